/*
 * The event loop: every target is, at any moment, either waiting for a
 * time (its next check, its retry, or the deadline of its running
 * attempt: one min-heap), waiting for a free slot (a FIFO: at most
 * --concurrency attempts run at once, which bounds descriptors and
 * memory), or finished.  A slot holds one attempt's state (a fetch,
 * with its header buffer, and the body window for --regex); a target
 * holds only its configuration, its last result and its up/down state.
 */
#include "hcheck.h"
#include "clock.h"
#include "exitcode.h"
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

struct target;

struct slot {
	struct hk_fetch f;
	struct target *t;		/* NULL when free */
	unsigned events;		/* registered with epoll; 0 = not */
	bool in_again;			/* listed in loop.again */
	char *body;			/* start of the decoded body (--regex) */
	size_t body_len, body_cap;
	struct slot *next_free;
};

struct target {
	struct hc_probe *p;
	uint64_t wake_at;
	size_t heap_pos;		/* 1-based; 0 = not in the heap */
	struct slot *slot;		/* the running attempt */
	unsigned attempts;		/* in the current check */
	struct hc_result res;
	struct hc_watch w;
	bool done;
	struct target *qnext;
};

struct loop {
	const struct hc_global *g;
	bool one_shot;			/* each target once */
	bool single;			/* one target from the command line */
	int ep, sfd;
	struct target *t;
	size_t n, ndone, next_print;
	struct target **heap;
	size_t heap_len;
	struct target *qhead, *qtail;
	struct slot *slots, *free_slots;
	struct slot **again, **again_run;
	size_t nagain;
	int worst;
	bool stop;
	int exit_code;
};

/* ---- the heap of wake-up times ---- */

static void heap_set(struct loop *l, size_t i, struct target *t)
{
	l->heap[i] = t;
	t->heap_pos = i + 1;
}

static void heap_up(struct loop *l, size_t i)
{
	struct target *t = l->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (l->heap[parent]->wake_at <= t->wake_at)
			break;
		heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct target *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->heap_len)
			break;
		if (c + 1 < l->heap_len && l->heap[c + 1]->wake_at < l->heap[c]->wake_at)
			c++;
		if (t->wake_at <= l->heap[c]->wake_at)
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct loop *l, struct target *t)
{
	size_t i;
	struct target *last;

	if (!t->heap_pos)
		return;
	i = t->heap_pos - 1;
	t->heap_pos = 0;
	last = l->heap[--l->heap_len];
	if (last == t)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->heap_pos - 1);
}

static void schedule(struct loop *l, struct target *t, uint64_t at)
{
	heap_remove(l, t);
	t->wake_at = at;
	l->heap[l->heap_len] = t;
	l->heap_len++;
	heap_up(l, l->heap_len - 1);
}

/* ---- output ---- */

static void out_flush(struct loop *l)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		hk_warn("stdout: %s", strerror(errno));
		l->stop = true;
		l->exit_code = HK_PROBE_UNKNOWN;
	}
}

static void print_result(struct loop *l, const struct target *t)
{
	char line[1024];

	if (l->g->json) {
		hc_result_json(stdout, t->p, &t->res);
		putchar('\n');
		return;
	}
	hc_result_line(t->p, &t->res, line, sizeof(line));
	if (l->single)
		printf("%s\n", line);
	else
		printf("%s\t%s\n", t->p->label, line);
}

/* Print, in input order, every result whose predecessors are out. */
static void print_ready(struct loop *l)
{
	bool any = false;

	while (l->next_print < l->n && l->t[l->next_print].done) {
		print_result(l, &l->t[l->next_print++]);
		any = true;
	}
	if (any)
		out_flush(l);
}

/* Severity for the exit code of a batch: CRITICAL over WARNING over
 * UNKNOWN over OK. */
static int severity(int code)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return code >= 0 && code <= 3 ? rank[code] : 1;
}

/* ---- attempts ---- */

static void on_body(void *arg, const char *p, size_t n, unsigned flags)
{
	struct slot *s = arg;
	size_t room;

	if (!(flags & HK_HTTP_DATA) || s->body_len >= HC_REGEX_WINDOW)
		return;
	room = HC_REGEX_WINDOW - s->body_len;
	if (n > room)
		n = room;
	/* One byte more for a NUL: regexec() is given the length
	 * (REG_STARTEND), but a terminated buffer is safe either way. */
	if (s->body_len + n + 1 > s->body_cap) {
		size_t cap = s->body_cap ? s->body_cap : 4096;
		char *nb;

		while (cap < s->body_len + n + 1)
			cap *= 2;
		if (cap > HC_REGEX_WINDOW + 1)
			cap = HC_REGEX_WINDOW + 1;
		nb = realloc(s->body, cap);
		if (!nb)
			return;		/* the match sees less; it will say so by failing */
		s->body = nb;
		s->body_cap = cap;
	}
	memcpy(s->body + s->body_len, p, n);
	s->body_len += n;
	s->body[s->body_len] = '\0';
}

static void set_events(struct loop *l, struct slot *s)
{
	struct epoll_event ev = { .events = s->f.want, .data.ptr = s };

	if (s->f.want == s->events || s->f.fd < 0)
		return;
	if (epoll_ctl(l->ep, s->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s->f.fd, &ev) < 0) {
		char why[64];

		/* Cannot wait for it: end the attempt as a local failure. */
		snprintf(why, sizeof(why), "epoll: %s", strerror(errno));
		hk_fetch_abort(&s->f, why);
		return;
	}
	s->events = s->f.want;
}

static void attempt_done(struct loop *l, struct target *t);

/* After a step: still running (watch its descriptor), or ended. */
static void after_step(struct loop *l, struct slot *s, int running)
{
	if (running) {
		set_events(l, s);
		if (s->f.phase == HK_FETCH_P_DONE)
			running = 0;
		else if (s->f.again && !s->in_again) {
			s->in_again = true;
			l->again[l->nagain++] = s;
		}
	}
	if (!running)
		attempt_done(l, s->t);
}

static void start_attempt(struct loop *l, struct target *t)
{
	struct slot *s = l->free_slots;
	struct hc_probe *p = t->p;
	int running;

	l->free_slots = s->next_free;
	s->t = t;
	s->events = 0;
	s->body_len = 0;
	if (s->body)
		s->body[0] = '\0';
	t->slot = s;
	p->fo.body_cb = p->has_regex ? on_body : NULL;
	p->fo.body_arg = s;
	running = hk_fetch_start(&s->f, &p->fo);
	if (running)
		schedule(l, t, s->f.t_start + p->timeout_us);
	after_step(l, s, running);
}

static void attempt_done(struct loop *l, struct target *t)
{
	struct slot *s = t->slot;
	struct hc_probe *p = t->p;
	uint64_t now;
	bool ok, changed;

	t->attempts++;
	t->res.attempts = t->attempts;
	hc_judge(p, &s->f, s->body, s->body_len, &t->res);
	hk_fetch_end(&s->f);	/* closing the socket takes it out of epoll */
	s->t = NULL;
	s->next_free = l->free_slots;
	l->free_slots = s;
	t->slot = NULL;
	heap_remove(l, t);

	now = hk_now_us();
	ok = t->res.code == HK_PROBE_OK || t->res.code == HK_PROBE_WARNING;
	if (l->one_shot) {
		if (!ok && t->attempts <= p->retry) {
			schedule(l, t, now + p->retry_delay_us);
			return;
		}
		t->done = true;
		l->ndone++;
		if (severity(t->res.code) > severity(l->worst))
			l->worst = t->res.code;
		print_ready(l);
		return;
	}
	if (hc_watch_attempt(&t->w, ok, p->retry, p->rise, p->fall, &changed) == HC_W_RETRY) {
		schedule(l, t, now + p->retry_delay_us);
		return;
	}
	if (changed) {
		if (t->w.up)
			printf("UP %s\n", p->label);
		else
			printf("DOWN %s %s\n", p->label, t->res.reason);
		out_flush(l);
	}
	t->attempts = 0;
	schedule(l, t, now + p->interval_us);
}

static void enqueue(struct loop *l, struct target *t)
{
	t->qnext = NULL;
	if (l->qtail)
		l->qtail->qnext = t;
	else
		l->qhead = t;
	l->qtail = t;
}

static void start_queued(struct loop *l)
{
	while (l->qhead && l->free_slots && !l->stop) {
		struct target *t = l->qhead;

		l->qhead = t->qnext;
		if (!l->qhead)
			l->qtail = NULL;
		start_attempt(l, t);
	}
}

/* Targets whose time came: a deadline ends an attempt, any other wake
 * starts one. */
static void run_timers(struct loop *l)
{
	uint64_t now = hk_now_us();

	while (l->heap_len && l->heap[0]->wake_at <= now) {
		struct target *t = l->heap[0];

		heap_remove(l, t);
		if (t->slot) {
			hk_fetch_timeout(&t->slot->f, t->p->timeout_us);
			attempt_done(l, t);
		} else {
			enqueue(l, t);
		}
	}
}

static int wait_ms(const struct loop *l)
{
	uint64_t now, at;

	if (l->nagain || (l->qhead && l->free_slots))
		return 0;
	if (!l->heap_len)
		return -1;
	now = hk_now_us();
	at = l->heap[0]->wake_at;
	if (at <= now)
		return 0;
	/* Round up: waking early would only spin. */
	return (int)((at - now + 999) / 1000);
}

/* Attempts that stopped reading to let others run (a big body, or TLS
 * bytes already decrypted that epoll cannot see): one more step each. */
static void run_again(struct loop *l)
{
	size_t n = l->nagain;
	struct slot **list = l->again;

	l->again = l->again_run;
	l->again_run = list;
	l->nagain = 0;
	for (size_t i = 0; i < n; i++)
		list[i]->in_again = false;
	for (size_t i = 0; i < n; i++) {
		struct slot *s = list[i];

		if (s->t && s->f.again)
			after_step(l, s, hk_fetch_step(&s->f));
	}
}

static int setup(struct loop *l, struct hc_probe **probes, size_t n)
{
	unsigned nslots = l->g->concurrency;

	if (nslots > n)
		nslots = (unsigned)n;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->sfd = -1;
	l->t = calloc(n, sizeof(*l->t));
	l->heap = calloc(n, sizeof(*l->heap));
	l->slots = calloc(nslots, sizeof(*l->slots));
	l->again = calloc(nslots, sizeof(*l->again));
	l->again_run = calloc(nslots, sizeof(*l->again_run));
	if (l->ep < 0 || !l->t || !l->heap || !l->slots || !l->again || !l->again_run) {
		hk_warn("cannot set up the event loop: %s", strerror(errno));
		return -1;
	}
	for (unsigned i = 0; i < nslots; i++) {
		l->slots[i].f.fd = -1;
		l->slots[i].next_free = l->free_slots;
		l->free_slots = &l->slots[i];
	}
	l->n = n;
	for (size_t i = 0; i < n; i++) {
		l->t[i].p = probes[i];
		l->t[i].w.up = l->g->initial_up;
		enqueue(l, &l->t[i]);
	}
	if (!l->one_shot) {
		int sigs[] = { SIGINT, SIGTERM };
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

		l->sfd = hk_signalfd_open(sigs, 2);
		if (l->sfd < 0 || epoll_ctl(l->ep, EPOLL_CTL_ADD, l->sfd, &ev) < 0) {
			hk_warn("signals: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void teardown(struct loop *l, size_t nslots)
{
	for (size_t i = 0; l->slots && i < nslots; i++) {
		hk_fetch_end(&l->slots[i].f);
		free(l->slots[i].body);
	}
	if (l->sfd >= 0)
		close(l->sfd);
	if (l->ep >= 0)
		close(l->ep);
	free(l->t);
	free(l->heap);
	free(l->slots);
	free(l->again);
	free(l->again_run);
}

int hc_run(struct hc_probe **probes, size_t n, const struct hc_global *g,
	   bool one_shot)
{
	struct loop l = { .g = g, .one_shot = one_shot || !g->watch,
			  .single = one_shot, .ep = -1, .sfd = -1 };
	size_t nslots = g->concurrency < n ? g->concurrency : n;
	struct epoll_event evs[256];

	if (setup(&l, probes, n) < 0) {
		teardown(&l, nslots);
		return HK_PROBE_UNKNOWN;
	}
	while (!l.stop) {
		int k;

		start_queued(&l);
		if (l.one_shot && l.ndone == l.n)
			break;
		k = epoll_wait(l.ep, evs, 256, wait_ms(&l));
		if (k < 0 && errno != EINTR) {
			hk_warn("epoll_wait: %s", strerror(errno));
			l.exit_code = HK_PROBE_UNKNOWN;
			break;
		}
		for (int i = 0; i < k; i++) {
			struct slot *s = evs[i].data.ptr;

			if (!s) {
				l.stop = true;	/* SIGINT or SIGTERM */
				continue;
			}
			if (s->t)
				after_step(&l, s, hk_fetch_step(&s->f));
		}
		run_again(&l);
		run_timers(&l);
	}
	teardown(&l, nslots);
	if (l.exit_code)
		return l.exit_code;
	return l.one_shot ? l.worst : HK_PROBE_OK;
}
