/*
 * The launcher: a small process forked before vrrpd gives up its
 * privileges, which starts hooks and track scripts on request as the
 * script user.  vrrpd itself then keeps only CAP_NET_RAW and
 * CAP_NET_ADMIN and could not switch users; the launcher keeps only
 * what switching users and stopping their scripts take (CAP_SETUID,
 * CAP_SETGID, CAP_KILL), or everything when the script user is root
 * (the operator asked for root scripts).
 *
 * Requests and reports travel over a SOCK_SEQPACKET socket pair: "run
 * job ID" (with a descriptor for the output, or none for vrrpd's own),
 * "signal job ID's process group", and back "job ID ended with wait
 * status S".  The launcher kills every job and exits when vrrpd goes.
 */
#ifndef VRRP_SPAWN_H
#define VRRP_SPAWN_H

#include "parse.h"

#include <stdbool.h>
#include <stdint.h>

struct vrrp_spawn;

/* The exit status of a job that could not become the script user. */
#define VRRP_EXIT_NOUSER 125

/*
 * Fork the launcher, running jobs as uid/gid (with gid as its only
 * group); full_caps keeps every capability (a root script user).
 * Returns it, or NULL with e set.
 */
struct vrrp_spawn *vrrp_spawn_start(uint32_t uid, uint32_t gid, bool full_caps,
				    struct hk_err *e);

/* The descriptor to poll for reports. */
int vrrp_spawn_fd(const struct vrrp_spawn *s);

/*
 * Start path with argv (argv[0] the name it sees) as job id, in a new
 * process group, standard input from /dev/null, standard output and
 * error to out_fd (-1: vrrpd's own), no other descriptor.  Returns 0,
 * or -1 with errno (EMSGSIZE: the command is too long; EPIPE: the
 * launcher is gone).
 */
int vrrp_spawn_run(struct vrrp_spawn *s, uint32_t id, const char *path, char *const argv[],
		   int out_fd);

/* Send sig to job id's process group.  Returns 0, or -1 with errno. */
int vrrp_spawn_kill(struct vrrp_spawn *s, uint32_t id, int sig);

/*
 * Read one report: 1 with *id and *status (a wait(2) status; a job that
 * could not be started reports exit status 127 when the program is not
 * there, 126 when the script user may not run it, VRRP_EXIT_NOUSER when
 * it could not become the script user), 0 if none is queued, -1 if the
 * launcher is gone.
 */
int vrrp_spawn_read(struct vrrp_spawn *s, uint32_t *id, int *status);

/* Close the pair (the launcher kills its jobs and exits) and reap it. */
void vrrp_spawn_stop(struct vrrp_spawn *s);

/* The launcher's pid (reaped by vrrp_spawn_stop, or by the caller's
 * SIGCHLD handling if it dies). */
int vrrp_spawn_pid(const struct vrrp_spawn *s);

#endif
