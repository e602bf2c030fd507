/*
 * Hooks (notify scripts) run asynchronously, one at a time and in the
 * order of the transitions that asked for them, each in a process group
 * of its own with a time limit: at the limit the group gets SIGTERM,
 * and SIGKILL a second later.  The launcher (spawn.h) starts them as
 * the script user.  The event loop never waits for a hook: it calls
 * vrrp_hooks_ended() when the launcher reports the job's end and
 * vrrp_hooks_timer() when vrrp_hooks_next() is due.
 */
#ifndef VRRP_HOOK_H
#define VRRP_HOOK_H

#include "spawn.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define VRRP_HOOK_QUEUE 32
/* Launcher job ids of hooks: this bit set, a sequence number below. */
#define VRRP_JOB_HOOK 0x01000000u
#define VRRP_JOB_KIND 0xff000000u

struct vrrp_hook_job {
	char *path;
	char **argv;		/* NULL-terminated, owned */
};

struct vrrp_hooks {
	uint64_t timeout_us;
	struct vrrp_spawn *spawn;	/* NULL: hooks cannot run */
	uint32_t seq;			/* the running job's id */
	struct vrrp_hook_job q[VRRP_HOOK_QUEUE];
	unsigned head, len;	/* pending jobs, q[head] first */
	bool busy;		/* a hook is running */
	char *running;		/* its words, for log lines */
	uint64_t started, term_at, kill_at;
	bool termed;
	uint64_t run, failed, timed_out, dropped;
};

void vrrp_hooks_init(struct vrrp_hooks *h, uint64_t timeout_us, struct vrrp_spawn *spawn);

/*
 * Queue path with argv (copied; argv[0] is the name the hook sees) and
 * start it at once if no hook is running.  When the queue is full the
 * oldest pending job is dropped (and logged).  Returns 0, or -1 if
 * memory ran out.
 */
int vrrp_hooks_queue(struct vrrp_hooks *h, uint64_t now, const char *path,
		     char *const argv[]);

/* The launcher reports job id ended with wait status st: log how the
 * hook ended, start the next one.  Ids not of the running hook are
 * ignored. */
void vrrp_hooks_ended(struct vrrp_hooks *h, uint64_t now, uint32_t id, int st);

/* Enforce the time limit. */
void vrrp_hooks_timer(struct vrrp_hooks *h, uint64_t now);

/* When vrrp_hooks_timer() has work next, 0 for never. */
uint64_t vrrp_hooks_next(const struct vrrp_hooks *h);

/* No hook running and none pending. */
bool vrrp_hooks_idle(const struct vrrp_hooks *h);

/* Kill the running hook's group, forget the pending ones, free all
 * (the launcher reaps it). */
void vrrp_hooks_abort(struct vrrp_hooks *h);

#endif
