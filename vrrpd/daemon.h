/*
 * The running instance: one poll loop over the signalfd, the timerfd,
 * the raw socket and the link monitor, carrying out what the state
 * machine asks for.
 */
#ifndef VRRP_DAEMON_H
#define VRRP_DAEMON_H

#include "conf.h"

/*
 * Run the instance described by c (finished by vrrp_conf_finish()) until
 * SIGTERM or SIGINT.  Returns the exit code: 0 after a clean stop, 1 if
 * the sockets could not be set up.
 */
int vrrp_run(struct vrrp_conf *c);

#endif
