/* What the instance tracks: scripts run by the launcher on their
 * interval, files watched with inotify, interfaces from the link
 * monitor.  Each feeds d->obs and asks for a reassessment on change. */
#include "run.h"
#include "clock.h"
#include "netif.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

/* keepalived: SIGTERM at the timeout, SIGKILL two seconds later. */
#define KILL_GRACE_US (2 * HK_USEC_PER_SEC)
#define INO_EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)

/* ---- files ---- */

static long read_value(const char *path)
{
	char buf[128];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	ssize_t n = 0;

	if (fd < 0)
		return 0;	/* as keepalived: a missing file holds 0 */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? vrrp_track_file_value(buf, (size_t)n) : 0;
}

static void add_watches(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;

	free(d->ino_wd);
	d->ino_wd = calloc(c->nfiles, sizeof(*d->ino_wd));
	if (!d->ino_wd) {
		hk_warn("%s: out of memory: the tracked files are not watched", c->name);
		return;
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		char *dir = strdup(c->files[i].path), *slash;

		d->ino_wd[i] = -1;
		if (!dir)
			continue;
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		d->ino_wd[i] = inotify_add_watch(d->ino, dir, INO_EVENTS | IN_ONLYDIR);
		if (d->ino_wd[i] < 0)
			hk_warn("%s: cannot watch %s for %s: %s", c->name, dir, c->files[i].path,
				strerror(errno));
		free(dir);
		d->obs->file_values[i] = read_value(c->files[i].path);
	}
}

/* What an instance that tracks nothing observes: nothing, never
 * written. */
static struct vrrp_track_obs no_obs;

/* The observations, on the heap only when there is something to
 * observe: fifty instances that track nothing dirty no page for them. */
static int alloc_obs(struct vrrpd *d)
{
	const struct vrrp_conf *c = d->c;

	if (d->obs && d->obs != &no_obs)
		free(d->obs);
	d->obs = &no_obs;
	if (!c->nscripts && !c->nfiles && !c->nifs)
		return 0;
	d->obs = calloc(1, sizeof(*d->obs));
	if (!d->obs) {
		d->obs = &no_obs;
		return -1;
	}
	return 0;
}

/* Per-script state, sized to the scripts (none: nothing allocated, so
 * that an instance without scripts dirties no page for them). */
static int alloc_scripts(struct vrrpd *d, size_t n)
{
	free(d->srt);
	d->srt = NULL;
	if (!n)
		return 0;
	d->srt = calloc(n, sizeof(*d->srt));
	if (!d->srt)
		return -1;
	for (size_t i = 0; i < n; i++)
		d->srt[i].pipe = -1;
	return 0;
}

int vrrp_watch_setup(struct vrrpd *d, struct hk_err *e)
{
	if (alloc_obs(d) < 0 || alloc_scripts(d, d->c->nscripts) < 0)
		return hk_err_set(e, ENOMEM, "out of memory");
	if (!d->c->nfiles)
		return 0;
	/* Watched, not polled: a change is seen when it is written. */
	d->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (d->ino < 0)
		return hk_err_set(e, errno, "cannot watch the tracked files: %s", strerror(errno));
	add_watches(d);
	return 0;
}

void vrrp_watch_inotify(struct vrrpd *d, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	ssize_t n;

	while ((n = read(d->ino, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Lost events: read every file again. */
				for (size_t i = 0; i < c->nfiles; i++)
					d->obs->file_values[i] = read_value(c->files[i].path);
				changed = true;
				continue;
			}
			if (!ev->len)
				continue;
			for (size_t i = 0; i < c->nfiles; i++) {
				const char *base = strrchr(c->files[i].path, '/') + 1;
				long v;

				if (!d->ino_wd || ev->wd != d->ino_wd[i] || strcmp(ev->name, base) != 0)
					continue;
				v = read_value(c->files[i].path);
				if (v == d->obs->file_values[i])
					continue;
				hk_info("%s: tracked file %s now holds %ld (was %ld)", c->name,
					c->files[i].path, v, d->obs->file_values[i]);
				d->obs->file_values[i] = v;
				changed = true;
			}
		}
	}
	if (changed)
		vrrp_reassess(d, now);
}

/* ---- interfaces ---- */

bool vrrp_watch_links(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	bool changed = false;

	for (size_t i = 0; i < c->nifs; i++) {
		bool up = hk_if_is_running(c->ifs[i].ifindex) == 1;

		if (up == d->obs->if_up[i])
			continue;
		if (d->started)
			hk_info("%s: tracked interface %s is %s", c->name, c->ifs[i].name,
				up ? "up" : "down");
		d->obs->if_up[i] = up;
		changed = true;
	}
	return changed;
}

/* ---- scripts ---- */

static void close_pipe(struct vrrpd *d, size_t i)
{
	struct vrrp_script_rt *rt = &d->srt[i];

	if (rt->pipe < 0)
		return;
	if (rt->linelen) {
		rt->line[rt->linelen] = '\0';
		hk_log_rl(&rt->rl, LOG_INFO, "%s: track script %s: %s", d->c->name,
			  d->c->scripts[i].cmd.argv[0], rt->line);
		rt->linelen = 0;
	}
	epoll_ctl(d->ep, EPOLL_CTL_DEL, rt->pipe, NULL);
	close(rt->pipe);
	rt->pipe = -1;
}

void vrrp_watch_pipe(struct vrrpd *d, unsigned i)
{
	struct vrrp_script_rt *rt;
	char buf[512];
	ssize_t n;

	if (i >= d->c->nscripts || d->srt[i].pipe < 0)
		return;
	rt = &d->srt[i];
	n = read(rt->pipe, buf, sizeof(buf));
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			close_pipe(d, i);
		return;
	}
	/* Line by line to the log, at most a few lines a while. */
	for (ssize_t k = 0; k < n; k++) {
		if (buf[k] != '\n' && rt->linelen < sizeof(rt->line) - 1) {
			rt->line[rt->linelen++] = buf[k] == '\0' ? ' ' : buf[k];
			continue;
		}
		if (buf[k] != '\n')
			continue;	/* the rest of an overlong line */
		rt->line[rt->linelen] = '\0';
		hk_log_rl(&rt->rl, LOG_INFO, "%s: track script %s: %s", d->c->name,
			  d->c->scripts[i].cmd.argv[0], rt->line);
		rt->linelen = 0;
	}
}

static void start_script(struct vrrpd *d, size_t i, uint64_t now)
{
	const struct vrrp_track_script_conf *t = &d->c->scripts[i];
	struct vrrp_script_rt *rt = &d->srt[i];
	int p[2] = { -1, -1 };

	close_pipe(d, i);
	/* Only vrrpd's end is non-blocking: the flag belongs to the open
	 * file, and a script whose stdout said EAGAIN would fail as soon
	 * as it wrote faster than vrrpd reads. */
	if (pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_SETFL, O_NONBLOCK) < 0) {
		close(p[0]);
		close(p[1]);
		p[0] = p[1] = -1;
	}
	if (p[0] >= 0) {
		rt->pipe = p[0];
		if (vrrp_watch(d, p[0], EV_TAG(EV_PIPE, i)) < 0)
			close_pipe(d, i);
	}
	/* A run's own id: a report from a run killed by a reload never
	 * passes for the next one's. */
	rt->job = VRRP_JOB_SCRIPT | (++d->script_seq & 0xff) << 16 | (uint32_t)i;
	if (!d->spawn || vrrp_spawn_run(d->spawn, rt->job, t->cmd.path, t->cmd.argv, p[1]) < 0) {
		hk_log_rl(&rt->rl, LOG_WARNING, "%s: cannot start track script %s: %s", d->c->name,
			  t->cmd.argv[0], d->spawn ? strerror(errno) : "no launcher");
		if (p[1] >= 0)
			close(p[1]);
		/* A script that cannot run has failed. */
		vrrp_watch_job_ended(d, rt->job, 127 << 8, now);
		return;
	}
	if (p[1] >= 0)
		close(p[1]);
	rt->running = true;
	rt->termed = false;
	rt->term_at = now + t->timeout_us;
	rt->kill_at = 0;
}

void vrrp_watch_start(struct vrrpd *d, uint64_t now)
{
	for (size_t i = 0; i < d->c->nscripts; i++) {
		struct vrrp_script_rt *rt = &d->srt[i];

		vrrp_script_state_init(&d->obs->scripts[i], d->c->scripts[i].rise);
		rt->last_status = -1;
		rt->rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(10000, 10);
		rt->next_at = now;	/* as keepalived: a first run at once */
	}
}

void vrrp_watch_timer(struct vrrpd *d, uint64_t now)
{
	for (size_t i = 0; i < d->c->nscripts; i++) {
		const struct vrrp_track_script_conf *t = &d->c->scripts[i];
		struct vrrp_script_rt *rt = &d->srt[i];

		if (rt->running && !rt->termed && now >= rt->term_at) {
			hk_warn("%s: track script %s still running after %.3f s: stopping it",
				d->c->name, t->cmd.argv[0], (double)t->timeout_us / 1e6);
			vrrp_spawn_kill(d->spawn, rt->job, SIGTERM);
			rt->termed = true;
			rt->kill_at = now + KILL_GRACE_US;
		} else if (rt->running && rt->termed && rt->kill_at && now >= rt->kill_at) {
			vrrp_spawn_kill(d->spawn, rt->job, SIGKILL);
			rt->kill_at = 0;
		}
		if (now < rt->next_at)
			continue;
		/* The interval runs from start to start; a run still going
		 * when the next is due makes it skip, as in keepalived. */
		rt->next_at += t->interval_us;
		if (rt->next_at <= now)
			rt->next_at = now + t->interval_us;
		if (rt->running)
			hk_log_rl(&rt->rl, LOG_WARNING, "%s: track script %s is still running; skipping a run",
				  d->c->name, t->cmd.argv[0]);
		else
			start_script(d, i, now);
	}
}

uint64_t vrrp_watch_next(const struct vrrpd *d)
{
	uint64_t next = 0;

	for (size_t i = 0; i < d->c->nscripts; i++) {
		const struct vrrp_script_rt *rt = &d->srt[i];
		uint64_t t[3] = { rt->next_at, rt->running && !rt->termed ? rt->term_at : 0,
				  rt->running ? rt->kill_at : 0 };

		for (int k = 0; k < 3; k++)
			if (t[k] && (!next || t[k] < next))
				next = t[k];
	}
	return next;
}

void vrrp_watch_job_ended(struct vrrpd *d, uint32_t id, int st, uint64_t now)
{
	size_t i = id & 0xffff;
	const struct vrrp_track_script_conf *t;
	struct vrrp_script_rt *rt;
	struct vrrp_script_state *s;
	bool ok, changed;
	int code;

	if ((id & VRRP_JOB_KIND) != VRRP_JOB_SCRIPT || i >= d->c->nscripts)
		return;
	t = &d->c->scripts[i];
	rt = &d->srt[i];
	s = &d->obs->scripts[i];
	if (rt->job != id)
		return;
	rt->running = false;
	ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (code != rt->last_status)
		hk_info("%s: track script %s now %s %d%s", d->c->name, t->cmd.argv[0],
			WIFEXITED(st) ? "exits" : "dies of signal",
			WIFEXITED(st) ? code : WTERMSIG(st),
			rt->termed ? " (timed out)" : code == 127 ? " (could not run it)"
			: code == 126 ? " (the script user may not run it)"
			: code == VRRP_EXIT_NOUSER ? " (could not become the script user)" : "");
	rt->last_status = code;
	changed = vrrp_script_feed(s, t->rise, t->fall, ok);
	if (changed) {
		hk_info("%s: track script %s is %s", d->c->name, t->cmd.argv[0],
			s->ok ? "good" : "failing");
		vrrp_reassess(d, now);
	}
}

void vrrp_watch_close(struct vrrpd *d)
{
	for (size_t i = 0; d->srt && i < d->c->nscripts; i++) {
		if (d->srt[i].pipe >= 0) {
			close(d->srt[i].pipe);
			d->srt[i].pipe = -1;
		}
		if (d->srt[i].running && d->spawn)
			vrrp_spawn_kill(d->spawn, d->srt[i].job, SIGKILL);
		d->srt[i].running = false;
	}
	free(d->srt);
	d->srt = NULL;
	free(d->ino_wd);
	d->ino_wd = NULL;
	if (d->obs != &no_obs)
		free(d->obs);
	d->obs = &no_obs;
	if (d->ino >= 0) {
		close(d->ino);
		d->ino = -1;
	}
}

static bool same_script(const struct vrrp_track_script_conf *a,
			const struct vrrp_track_script_conf *b)
{
	return !strcmp(a->cmd.text, b->cmd.text) && a->interval_us == b->interval_us &&
	       a->timeout_us == b->timeout_us && a->weight == b->weight && a->rise == b->rise &&
	       a->fall == b->fall;
}

void vrrp_watch_reload(struct vrrpd *d, const struct vrrp_conf *old, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	struct vrrp_track_obs prev = *d->obs;
	int last[VRRP_MAX_TRACKS];

	/* Every running script stops: job ids are indexes, and indexes
	 * move.  Their output too. */
	for (size_t i = 0; i < old->nscripts; i++) {
		last[i] = d->srt[i].last_status;
		if (d->srt[i].running && d->spawn)
			vrrp_spawn_kill(d->spawn, d->srt[i].job, SIGKILL);
		if (d->srt[i].pipe >= 0) {
			epoll_ctl(d->ep, EPOLL_CTL_DEL, d->srt[i].pipe, NULL);
			close(d->srt[i].pipe);
		}
	}
	/* Out of memory, the shared zero observations serve (this
	 * process has one instance), and the scripts stop. */
	if (alloc_obs(d) < 0 || alloc_scripts(d, c->nscripts) < 0) {
		hk_log(LOG_ERR, "%s: out of memory: the track scripts stop", c->name);
		c->nscripts = 0;
	}
	vrrp_watch_start(d, now);
	/* A script both have keeps its verdict (and runs again now). */
	for (size_t i = 0; i < c->nscripts; i++)
		for (size_t k = 0; k < old->nscripts; k++)
			if (same_script(&c->scripts[i], &old->scripts[k])) {
				d->obs->scripts[i] = prev.scripts[k];
				d->srt[i].last_status = last[k];
			}
	/* Files and interfaces: looked at afresh. */
	if (d->ino >= 0) {
		close(d->ino);
		d->ino = -1;
	}
	if (c->nfiles) {
		d->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (d->ino < 0 || vrrp_watch(d, d->ino, EV_TAG(EV_INOTIFY, 0)) < 0)
			hk_warn("%s: cannot watch the tracked files: %s", c->name, strerror(errno));
		else
			add_watches(d);
	}
	for (size_t i = 0; i < c->nifs; i++)
		for (size_t k = 0; k < old->nifs; k++)
			if (c->ifs[i].ifindex == old->ifs[k].ifindex)
				d->obs->if_up[i] = prev.if_up[k];
	vrrp_watch_links(d);
}
