/*
 * The running instance's state, shared by daemon.c (the loop, adverts,
 * transitions), watch.c (what it tracks), report.c (state file, dump)
 * and reload.c (SIGHUP).  Internal to vrrpd.
 */
#ifndef VRRP_RUN_H
#define VRRP_RUN_H

#include "conf.h"
#include "hook.h"
#include "log.h"
#include "packet.h"
#include "sock.h"
#include "spawn.h"
#include "state.h"
#include "sync.h"
#include "track.h"
#include "vip.h"
#include "vmac.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Launcher job ids of track scripts: this kind, the script's index. */
#define VRRP_JOB_SCRIPT 0x02000000u

/* epoll tags: the kind in the high half, an index in the low one. */
enum {
	EV_SIGNAL = 1, EV_TIMER, EV_PACKET, EV_LINK, EV_SPAWN, EV_INOTIFY, EV_SYNC,
	EV_PIPE,	/* a track script's output; low half: its index */
};
#define EV_TAG(kind, i) ((uint32_t)(kind) << 16 | (uint32_t)(i))

/* A track script between its runs. */
struct vrrp_script_rt {
	uint64_t next_at;		/* next start */
	bool running, termed;
	uint32_t job;
	uint64_t term_at, kill_at;
	int last_status;		/* exit status of the last run, -1 none */
	int pipe;			/* its output, -1 when none */
	char line[200];
	size_t linelen;
	struct hk_ratelimit rl;
};

struct vrrpd {
	struct vrrp_conf *c;
	int argc;
	char **argv;
	struct vrrp_sm sm;
	struct vrrp_hooks hooks;
	struct vrrp_expect exp;
	struct hk_nl *nl;
	struct vrrp_mon *mon;
	int fd, tfd, sfd, gfd, ep;
	unsigned ifindex;		/* where VRRP speaks: the interface or its VMAC */
	char ifname[IFNAMSIZ];
	struct vrrp_vmac vmac;
	uint64_t armed;			/* the timerfd's deadline, 0 if disarmed */
	struct hk_addr src;		/* where our adverts come from */
	bool have_src, carrier, link_up;
	bool stopping;
	bool trim;			/* the heap grew: give back what is free */
	uint16_t ip_id;
	uint64_t started;
	uint64_t sent, send_errors, rcvd, prio0_sent, prio0_rcvd, garps;
	uint64_t drops[VRRP_DROP_MAX];
	struct hk_ratelimit rl[VRRP_DROP_MAX];
	struct hk_ratelimit send_rl, garp_rl, xcpu_rl;

	/* Tracking. */
	struct vrrp_spawn *spawn;
	struct vrrp_track_obs *obs;	/* a shared zero one when nothing is tracked */
	struct vrrp_script_rt *srt;	/* one per track script, NULL for none */
	uint32_t script_seq;
	int ino;			/* inotify, -1 without tracked files */
	int *ino_wd;			/* the watch of each file's directory */
	int32_t track_delta;		/* what tracking does to the priority */
	bool track_init;		/* a weightless script has not reported */
	bool own_fault;			/* the link or tracking */
	char fault_why[160];		/* why FAULT, or INIT held */
	enum { FAULT_LINK = 1, FAULT_TRACK, FAULT_GROUP } fault_kind;	/* the last FAULT's */

	/* Sync group. */
	struct vrrp_sync *sync;
	struct vrrp_group_view gv;
	struct vrrp_member me;		/* what we last told the group */
	enum vrrp_state hooked;		/* group state last given to the group hook */

	bool accept_table;		/* our nftables table exists */
	pid_t nft_pid;			/* an nft run in the background, 0 none */
	bool fatal;			/* stop with exit status 1 */

	uint8_t buf[2048];
};

/* daemon.c */
void vrrp_carry_out(struct vrrpd *d, const struct vrrp_out *out, uint64_t now);
/* Look again at everything the state depends on (link, tracking, the
 * group) and act on what changed. */
void vrrp_reassess(struct vrrpd *d, uint64_t now);
void vrrp_refresh_src(struct vrrpd *d);
bool vrrp_link_usable(struct vrrpd *d);
void vrrp_vips_add(struct vrrpd *d, const struct vrrp_conf *c, bool announce_only_new,
		   const struct vrrp_conf *old);
void vrrp_vips_del(struct vrrpd *d, const struct vrrp_conf *c, bool quiet,
		   const struct vrrp_conf *keep);
void vrrp_announce(struct vrrpd *d, unsigned count, const struct vrrp_conf *skip);
int vrrp_watch(struct vrrpd *d, int fd, uint32_t tag);
/* Give c's VIPs without "dev" the VMAC's index (after a reload). */
void vrrp_fix_vmac_vips(struct vrrpd *d, struct vrrp_conf *c);
void vrrp_set_expect(struct vrrpd *d);

/* watch.c: track scripts, files and interfaces */
int vrrp_watch_setup(struct vrrpd *d, struct hk_err *e);
void vrrp_watch_start(struct vrrpd *d, uint64_t now);
void vrrp_watch_close(struct vrrpd *d);
void vrrp_watch_timer(struct vrrpd *d, uint64_t now);
uint64_t vrrp_watch_next(const struct vrrpd *d);
void vrrp_watch_job_ended(struct vrrpd *d, uint32_t id, int status, uint64_t now);
void vrrp_watch_pipe(struct vrrpd *d, unsigned i);
void vrrp_watch_inotify(struct vrrpd *d, uint64_t now);
/* Poll the tracked interfaces; true if one changed. */
bool vrrp_watch_links(struct vrrpd *d);
/* Stop every running script (a reload), keeping the verdicts of those
 * that old and new share. */
void vrrp_watch_reload(struct vrrpd *d, const struct vrrp_conf *old, uint64_t now);

/* report.c */
void vrrp_write_state_file(struct vrrpd *d);
void vrrp_write_dump(struct vrrpd *d);

/* reload.c */
void vrrp_reload(struct vrrpd *d, uint64_t now);

#endif
