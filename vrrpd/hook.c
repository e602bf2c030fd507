#include "hook.h"
#include "clock.h"
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KILL_GRACE_US (1000 * 1000)

void vrrp_hooks_init(struct vrrp_hooks *h, uint64_t timeout_us, struct vrrp_spawn *spawn)
{
	memset(h, 0, sizeof(*h));
	h->timeout_us = timeout_us;
	h->spawn = spawn;
}

static void job_free(struct vrrp_hook_job *j)
{
	if (j->argv)
		for (char **a = j->argv; *a; a++)
			free(*a);
	free(j->argv);
	free(j->path);
	memset(j, 0, sizeof(*j));
}

/* "path arg1 arg2": the words of a job for log lines. */
static char *words(const struct vrrp_hook_job *j)
{
	size_t n = 1;
	char *s, *p;

	for (char **a = j->argv; *a; a++)
		n += strlen(*a) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	p = s;
	for (char **a = j->argv; *a; a++) {
		if (p != s)
			*p++ = ' ';
		p = stpcpy(p, *a);
	}
	*p = '\0';
	return s;
}

static void start_next(struct vrrp_hooks *h, uint64_t now)
{
	while (!h->busy && h->len) {
		struct vrrp_hook_job *j = &h->q[h->head];

		h->head = (h->head + 1) % VRRP_HOOK_QUEUE;
		h->len--;
		free(h->running);
		h->running = words(j);
		h->seq = VRRP_JOB_HOOK | ((h->seq + 1) & ~VRRP_JOB_KIND);
		if (!h->spawn || vrrp_spawn_run(h->spawn, h->seq, j->path, j->argv, -1) < 0) {
			hk_warn("hook %s: cannot start it: %s", h->running ? h->running : j->path,
				h->spawn ? strerror(errno) : "no launcher");
			h->failed++;
			job_free(j);
			continue;
		}
		h->busy = true;
		h->run++;
		h->started = now;
		h->term_at = now + h->timeout_us;
		h->kill_at = 0;
		h->termed = false;
		hk_debug("hook started: %s", h->running ? h->running : j->path);
		job_free(j);
	}
}

int vrrp_hooks_queue(struct vrrp_hooks *h, uint64_t now, const char *path,
		     char *const argv[])
{
	struct vrrp_hook_job j = { 0 };
	size_t n = 0;

	while (argv[n])
		n++;
	j.path = strdup(path);
	j.argv = calloc(n + 1, sizeof(*j.argv));
	if (!j.path || !j.argv)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (!(j.argv[i] = strdup(argv[i])))
			goto nomem;
	if (h->len == VRRP_HOOK_QUEUE) {
		struct vrrp_hook_job *old = &h->q[h->head];
		char *w = words(old);

		hk_warn("hook queue full: dropping %s", w ? w : old->path);
		free(w);
		job_free(old);
		h->head = (h->head + 1) % VRRP_HOOK_QUEUE;
		h->len--;
		h->dropped++;
	}
	h->q[(h->head + h->len) % VRRP_HOOK_QUEUE] = j;
	h->len++;
	start_next(h, now);
	return 0;
nomem:
	job_free(&j);
	hk_warn("hook %s: out of memory", path);
	return -1;
}

void vrrp_hooks_ended(struct vrrp_hooks *h, uint64_t now, uint32_t id, int st)
{
	const char *w = h->running ? h->running : "?";

	if (!h->busy || id != h->seq)
		return;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		hk_debug("hook done: %s", w);
	} else if (WIFEXITED(st)) {
		h->failed++;
		if (WEXITSTATUS(st) == 127)
			hk_warn("hook %s: could not run it (exit 127)", w);
		else if (WEXITSTATUS(st) == 126)
			hk_warn("hook %s: the script user may not run it (exit 126)", w);
		else if (WEXITSTATUS(st) == VRRP_EXIT_NOUSER)
			hk_warn("hook %s: could not become the script user (exit %d)", w,
				VRRP_EXIT_NOUSER);
		else
			hk_warn("hook %s: exit status %d", w, WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		h->failed++;
		if (h->termed)
			hk_warn("hook %s: killed after the %.3f s time limit", w,
				(double)h->timeout_us / 1e6);
		else
			hk_warn("hook %s: killed by signal %d", w, WTERMSIG(st));
	}
	h->busy = false;
	start_next(h, now);
}

void vrrp_hooks_timer(struct vrrp_hooks *h, uint64_t now)
{
	if (!h->busy)
		return;
	if (!h->termed && now >= h->term_at) {
		hk_warn("hook %s: still running after %.3f s, stopping it",
			h->running ? h->running : "?", (double)h->timeout_us / 1e6);
		vrrp_spawn_kill(h->spawn, h->seq, SIGTERM);
		h->termed = true;
		h->timed_out++;
		h->kill_at = now + KILL_GRACE_US;
	} else if (h->termed && h->kill_at && now >= h->kill_at) {
		vrrp_spawn_kill(h->spawn, h->seq, SIGKILL);
		h->kill_at = 0;
	}
}

uint64_t vrrp_hooks_next(const struct vrrp_hooks *h)
{
	if (!h->busy)
		return 0;
	return h->termed ? h->kill_at : h->term_at;
}

bool vrrp_hooks_idle(const struct vrrp_hooks *h)
{
	return !h->busy && !h->len;
}

void vrrp_hooks_abort(struct vrrp_hooks *h)
{
	if (h->busy) {
		vrrp_spawn_kill(h->spawn, h->seq, SIGKILL);
		h->busy = false;
	}
	while (h->len) {
		job_free(&h->q[h->head]);
		h->head = (h->head + 1) % VRRP_HOOK_QUEUE;
		h->len--;
	}
	free(h->running);
	h->running = NULL;
}
