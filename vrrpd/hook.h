/*
 * Hooks (notify scripts) run asynchronously, one at a time and in the
 * order of the transitions that asked for them, each in a process group
 * of its own with a time limit: at the limit the group gets SIGTERM,
 * and SIGKILL a second later.  The event loop never waits for a hook:
 * it calls vrrp_hooks_reap() on SIGCHLD and vrrp_hooks_timer() when
 * vrrp_hooks_next() is due.
 */
#ifndef VRRP_HOOK_H
#define VRRP_HOOK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define VRRP_HOOK_QUEUE 32

struct vrrp_hook_job {
	char *path;
	char **argv;		/* NULL-terminated, owned */
};

struct vrrp_hooks {
	uint64_t timeout_us;
	struct vrrp_hook_job q[VRRP_HOOK_QUEUE];
	unsigned head, len;	/* pending jobs, q[head] first */
	pid_t pid;		/* the running hook, 0 if none */
	char *running;		/* its words, for log lines */
	uint64_t started, term_at, kill_at;
	bool termed;
	uint64_t run, failed, timed_out, dropped;
};

void vrrp_hooks_init(struct vrrp_hooks *h, uint64_t timeout_us);

/*
 * Queue path with argv (copied; argv[0] is the name the hook sees) and
 * start it at once if no hook is running.  When the queue is full the
 * oldest pending job is dropped (and logged).  Returns 0, or -1 if
 * memory ran out.
 */
int vrrp_hooks_queue(struct vrrp_hooks *h, uint64_t now, const char *path,
		     char *const argv[]);

/* Collect exited children (SIGCHLD), log how the hook ended, start the
 * next one. */
void vrrp_hooks_reap(struct vrrp_hooks *h, uint64_t now);

/* Enforce the time limit. */
void vrrp_hooks_timer(struct vrrp_hooks *h, uint64_t now);

/* When vrrp_hooks_timer() has work next, 0 for never. */
uint64_t vrrp_hooks_next(const struct vrrp_hooks *h);

/* No hook running and none pending. */
bool vrrp_hooks_idle(const struct vrrp_hooks *h);

/* Kill the running hook's group, forget the pending ones, free all. */
void vrrp_hooks_abort(struct vrrp_hooks *h);

#endif
