/*
 * The running instance: one poll loop over the signalfd, the timerfd,
 * the raw socket, the link monitor and whatever the instance tracks,
 * carrying out what the state machine asks for.
 */
#ifndef VRRP_DAEMON_H
#define VRRP_DAEMON_H

#include "conf.h"

#include <stdbool.h>

/*
 * Run the instance described by c (finished by vrrp_conf_finish()) until
 * SIGTERM or SIGINT; argc/argv are the command line, applied again on
 * SIGHUP.  Returns the exit code: 0 after a clean stop, 1 if the
 * instance could not be set up.
 */
int vrrp_run(struct vrrp_conf *c, int argc, char **argv);

/*
 * Apply the command line to c (--config files where they stand).
 * Returns 0, 1 for -h, or -1 with e set; *usage_err says whether the
 * usage text should follow the message.
 */
int vrrp_apply_args(int argc, char **argv, struct vrrp_conf *c, struct hk_err *e,
		    bool *usage_err);

/*
 * A fresh configuration from the command line, finished: for SIGHUP.
 * Returns 0, or -1 with e set and c freed.
 */
int vrrp_reread(int argc, char **argv, struct vrrp_conf *c, struct hk_err *e);

#endif
