#include "hook.h"
#include "clock.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KILL_GRACE_US (1000 * 1000)

void vrrp_hooks_init(struct vrrp_hooks *h, uint64_t timeout_us)
{
	memset(h, 0, sizeof(*h));
	h->timeout_us = timeout_us;
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
	while (!h->pid && h->len) {
		struct vrrp_hook_job *j = &h->q[h->head];
		pid_t pid;

		h->head = (h->head + 1) % VRRP_HOOK_QUEUE;
		h->len--;
		free(h->running);
		h->running = words(j);
		pid = fork();
		if (pid == 0) {
			/* The child: its own process group (so that a timeout
			 * kills whatever it started), default signals, no
			 * descriptor of ours but stdout and stderr. */
			int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

			setpgid(0, 0);
			hk_signals_reset();
			if (null >= 0 && null != STDIN_FILENO)
				dup2(null, STDIN_FILENO);
			closefrom(STDERR_FILENO + 1);
			execv(j->path, j->argv);
			_exit(127);
		}
		if (pid < 0) {
			hk_warn("hook %s: cannot fork: %s", h->running ? h->running : j->path,
				strerror(errno));
			h->failed++;
			job_free(j);
			continue;
		}
		/* Also here, so that a timeout right after fork finds the
		 * group whichever process ran first. */
		setpgid(pid, pid);
		h->pid = pid;
		h->run++;
		h->started = now;
		h->term_at = now + h->timeout_us;
		h->kill_at = 0;
		h->termed = false;
		hk_debug("hook started (pid %d): %s", (int)pid, h->running ? h->running : j->path);
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

void vrrp_hooks_reap(struct vrrp_hooks *h, uint64_t now)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid != h->pid)
			continue;	/* not ours to report (cannot happen) */
		const char *w = h->running ? h->running : "?";

		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			hk_debug("hook done: %s", w);
		} else if (WIFEXITED(st)) {
			h->failed++;
			if (WEXITSTATUS(st) == 127)
				hk_warn("hook %s: could not run it (exit 127)", w);
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
		h->pid = 0;
	}
	start_next(h, now);
}

void vrrp_hooks_timer(struct vrrp_hooks *h, uint64_t now)
{
	if (!h->pid)
		return;
	if (!h->termed && now >= h->term_at) {
		hk_warn("hook %s: still running after %.3f s, stopping it",
			h->running ? h->running : "?", (double)h->timeout_us / 1e6);
		kill(-h->pid, SIGTERM);
		h->termed = true;
		h->timed_out++;
		h->kill_at = now + KILL_GRACE_US;
	} else if (h->termed && h->kill_at && now >= h->kill_at) {
		kill(-h->pid, SIGKILL);
		h->kill_at = 0;
	}
}

uint64_t vrrp_hooks_next(const struct vrrp_hooks *h)
{
	if (!h->pid)
		return 0;
	return h->termed ? h->kill_at : h->term_at;
}

bool vrrp_hooks_idle(const struct vrrp_hooks *h)
{
	return !h->pid && !h->len;
}

void vrrp_hooks_abort(struct vrrp_hooks *h)
{
	if (h->pid) {
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
	}
	while (h->len) {
		job_free(&h->q[h->head]);
		h->head = (h->head + 1) % VRRP_HOOK_QUEUE;
		h->len--;
	}
	free(h->running);
	h->running = NULL;
}
