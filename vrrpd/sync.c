#include "sync.h"
#include "clock.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SYNC_MAGIC 0x484b5347u	/* "HKSG" */
#define SYNC_VERSION 1
#define MAX_CONNS 64
#define QLEN 32

enum { MSG_STATUS = 1, MSG_BYE };
enum { F_WANT = 1, F_FAULT = 2 };

struct sync_msg {
	uint32_t magic;
	uint8_t version, type, state, flags;
	uint8_t prio, hooked, pad[2];
	uint32_t seq;
	uint64_t incarnation;
	char group[VRRP_NAME_MAX + 1];
	char name[VRRP_NAME_MAX + 1];
};

struct conn {
	int fd;			/* -1: free */
	int peer;		/* index in peers, -1 until its first status */
};

struct vrrp_sync {
	int ep, lfd;
	char group[VRRP_NAME_MAX + 1];
	char self[VRRP_NAME_MAX + 1];
	char *dir;		/* DIR/GROUP */
	char *path;		/* DIR/GROUP/SELF.sock */
	struct conn conns[MAX_CONNS];
	struct vrrp_peer peers[VRRP_SYNC_MAX_PEERS];
	size_t npeers;
	struct sync_msg last;	/* what we last said, for new connections */
	bool have_last;
	uint64_t incarnation;
	uint32_t seq;
	/* Events found while reading, handed out one at a time. */
	struct vrrp_sync_event queue[QLEN];
	unsigned qhead, qlen;
};

/* ---- the view (pure) ---- */

void vrrp_group_eval(const struct vrrp_member *self, const struct vrrp_peer *peers, size_t n,
		     struct vrrp_group_view *v)
{
	bool all_master = self->state == VRRP_STATE_MASTER;
	bool all_backup = self->state == VRRP_STATE_BACKUP || self->state == VRRP_STATE_INIT;
	bool any_fault = self->state == VRRP_STATE_FAULT;
	const char *leader = self->name;

	memset(v, 0, sizeof(*v));
	v->can_master = true;
	v->settled = true;
	for (size_t i = 0; i < n; i++) {
		const struct vrrp_peer *p = &peers[i];

		if (p->missing) {
			if (!v->fault)
				snprintf(v->why, sizeof(v->why), "sync group member %s is missing",
					 p->m.name);
			v->fault = any_fault = true;
			v->can_master = false;
			continue;
		}
		if (!p->known || !p->nconn) {
			v->settled = false;
			v->can_master = false;
			all_master = all_backup = false;
			continue;
		}
		if (strcmp(p->m.name, leader) < 0)
			leader = p->m.name;
		if (p->m.fault) {
			if (!v->fault)
				snprintf(v->why, sizeof(v->why), "sync group member %s is in FAULT",
					 p->m.name);
			v->fault = true;
		}
		any_fault |= p->m.state == VRRP_STATE_FAULT;
		all_master &= p->m.state == VRRP_STATE_MASTER;
		all_backup &= p->m.state == VRRP_STATE_BACKUP || p->m.state == VRRP_STATE_INIT;
		if (!p->m.want_master && p->m.state != VRRP_STATE_MASTER)
			v->can_master = false;
	}
	if (v->fault)
		v->can_master = false;
	v->leader = leader == self->name;
	v->gstate = any_fault ? VRRP_STATE_FAULT : all_master ? VRRP_STATE_MASTER
		    : all_backup ? VRRP_STATE_BACKUP : VRRP_STATE_INIT;
}

/* ---- sockets ---- */

static void push(struct vrrp_sync *s, enum vrrp_sync_event_type t, const char *name,
		 const char *what)
{
	struct vrrp_sync_event *ev;

	if (s->qlen == QLEN) {
		/* Full (it cannot be: each round reads one message a
		 * connection): a "view changed" covers what is lost. */
		s->queue[(s->qhead + s->qlen - 1) % QLEN].type = VRRP_SYNC_CHANGED;
		return;
	}
	ev = &s->queue[(s->qhead + s->qlen++) % QLEN];
	memset(ev, 0, sizeof(*ev));
	ev->type = t;
	snprintf(ev->name, sizeof(ev->name), "%s", name);
	snprintf(ev->what, sizeof(ev->what), "%s", what ? what : "");
}

static int add_conn(struct vrrp_sync *s, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);
	struct epoll_event ev = { .events = EPOLLIN };

	/* Only another vrrpd of ours: the same user. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.uid != geteuid()) {
		hk_warn("sync group %s: refused a connection from uid %d", s->group,
			len == sizeof(cr) ? (int)cr.uid : -1);
		close(fd);
		return -1;
	}
	for (int i = 0; i < MAX_CONNS; i++) {
		if (s->conns[i].fd >= 0)
			continue;
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			break;
		s->conns[i] = (struct conn){ fd, -1 };
		if (s->have_last)
			send(fd, &s->last, sizeof(s->last), MSG_DONTWAIT | MSG_NOSIGNAL);
		return i;
	}
	hk_warn("sync group %s: too many connections", s->group);
	close(fd);
	return -1;
}

static int find_peer(struct vrrp_sync *s, const char *name, bool add)
{
	for (size_t i = 0; i < s->npeers; i++)
		if (!strcmp(s->peers[i].m.name, name))
			return (int)i;
	if (!add || s->npeers == VRRP_SYNC_MAX_PEERS)
		return -1;
	memset(&s->peers[s->npeers], 0, sizeof(s->peers[0]));
	snprintf(s->peers[s->npeers].m.name, sizeof(s->peers[0].m.name), "%s", name);
	return (int)s->npeers++;
}

static void drop_peer(struct vrrp_sync *s, int i)
{
	for (int k = 0; k < MAX_CONNS; k++) {
		if (s->conns[k].peer == i)
			s->conns[k].peer = -1;
		else if (s->conns[k].peer > i)
			s->conns[k].peer--;
	}
	memmove(&s->peers[i], &s->peers[i + 1], (s->npeers - (size_t)i - 1) * sizeof(s->peers[0]));
	s->npeers--;
}

static void close_conn(struct vrrp_sync *s, int k, bool bye)
{
	int i = s->conns[k].peer;
	char what[96];

	epoll_ctl(s->ep, EPOLL_CTL_DEL, s->conns[k].fd, NULL);
	close(s->conns[k].fd);
	s->conns[k] = (struct conn){ -1, -1 };
	if (i < 0)
		return;
	if (bye) {
		snprintf(what, sizeof(what), "%s left the group", s->peers[i].m.name);
		push(s, VRRP_SYNC_CHANGED, s->peers[i].m.name, what);
		/* Its other connections, if any, are of no more use. */
		for (int c = 0; c < MAX_CONNS; c++)
			if (s->conns[c].peer == i) {
				epoll_ctl(s->ep, EPOLL_CTL_DEL, s->conns[c].fd, NULL);
				close(s->conns[c].fd);
				s->conns[c] = (struct conn){ -1, -1 };
			}
		drop_peer(s, i);
		return;
	}
	if (--s->peers[i].nconn > 0)
		return;
	s->peers[i].missing = true;
	s->peers[i].known = false;
	snprintf(what, sizeof(what), "%s is missing (its connection dropped)", s->peers[i].m.name);
	push(s, VRRP_SYNC_CHANGED, s->peers[i].m.name, what);
}

static void on_msg(struct vrrp_sync *s, int k, const struct sync_msg *m)
{
	struct vrrp_peer *p;
	int i;
	char what[96];
	enum vrrp_state prev;

	if (m->magic != SYNC_MAGIC || m->version != SYNC_VERSION ||
	    memchr(m->name, '\0', sizeof(m->name)) == NULL ||
	    memchr(m->group, '\0', sizeof(m->group)) == NULL || strcmp(m->group, s->group) != 0 ||
	    !vrrp_valid_name(m->name) || !strcmp(m->name, s->self) || m->state > VRRP_STATE_STOP ||
	    m->hooked > VRRP_STATE_STOP) {
		hk_warn("sync group %s: dropped a malformed message", s->group);
		return;
	}
	if (m->type == MSG_BYE) {
		if (s->conns[k].peer < 0)
			s->conns[k].peer = find_peer(s, m->name, false);
		close_conn(s, k, true);
		return;
	}
	if (s->conns[k].peer < 0) {
		i = find_peer(s, m->name, true);
		if (i < 0) {
			hk_warn("sync group %s: more than %d members; ignoring %s", s->group,
				VRRP_SYNC_MAX_PEERS + 1, m->name);
			return;
		}
		s->conns[k].peer = i;
		s->peers[i].nconn++;
		if (s->peers[i].missing || !s->peers[i].known) {
			snprintf(what, sizeof(what), "%s %s", m->name,
				 s->peers[i].missing ? "is back" : "joined");
			s->peers[i].missing = false;
			push(s, VRRP_SYNC_CHANGED, m->name, what);
		}
	} else if (strcmp(s->peers[s->conns[k].peer].m.name, m->name) != 0) {
		return;	/* a connection does not change members */
	}
	p = &s->peers[s->conns[k].peer];
	/* Two connections to one member may deliver out of order: only a
	 * newer status counts. */
	if (p->known && p->incarnation == m->incarnation && m->seq <= p->seq)
		return;
	prev = p->known ? p->m.state : VRRP_STATE_INIT;
	p->incarnation = m->incarnation;
	p->seq = m->seq;
	p->known = true;
	p->m.state = (enum vrrp_state)m->state;
	p->m.want_master = m->flags & F_WANT;
	p->m.fault = m->flags & F_FAULT;
	p->m.prio = m->prio;
	p->m.hooked = (enum vrrp_state)m->hooked;
	if (prev != VRRP_STATE_MASTER && p->m.state == VRRP_STATE_MASTER)
		push(s, VRRP_SYNC_PEER_MASTER, m->name, NULL);
	else if (prev == VRRP_STATE_MASTER && p->m.state == VRRP_STATE_BACKUP)
		push(s, VRRP_SYNC_PEER_BACKUP, m->name, NULL);
	else
		push(s, VRRP_SYNC_CHANGED, m->name, NULL);
}

static void fill_sun(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
}

/* 1 connected (fd in *fd), 0 nobody answers, -1 another error. */
static int try_connect(const char *path, int *fd)
{
	struct sockaddr_un sun;
	int f = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (f < 0)
		return -1;
	fill_sun(&sun, path);
	if (connect(f, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		*fd = f;
		return 1;
	}
	close(f);
	return errno == ECONNREFUSED ? 0 : -1;
}

/* mkdir -p for DIR (0755) and DIR/GROUP (0700). */
static int make_dirs(const char *dir, struct hk_err *e)
{
	char *p = strdup(dir);
	int r = 0;

	if (!p)
		return hk_err_set(e, ENOMEM, "out of memory");
	for (char *q = p + 1; r == 0; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char saved = *q;

		*q = '\0';
		if (mkdir(p, saved ? 0755 : 0700) < 0 && errno != EEXIST)
			r = hk_err_set(e, errno, "--sync-dir: cannot create '%s': %s", p,
				       strerror(errno));
		*q = saved;
		if (!saved)
			break;
	}
	free(p);
	return r;
}

static void scan(struct vrrp_sync *s)
{
	DIR *d = opendir(s->dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char name[VRRP_NAME_MAX + 1], *path;
		int fd = -1, r;

		if (n <= 5 || n - 5 > VRRP_NAME_MAX || strcmp(de->d_name + n - 5, ".sock") != 0)
			continue;
		memcpy(name, de->d_name, n - 5);
		name[n - 5] = '\0';
		if (!vrrp_valid_name(name) || !strcmp(name, s->self))
			continue;
		if (asprintf(&path, "%s/%s", s->dir, de->d_name) < 0)
			continue;
		r = try_connect(path, &fd);
		free(path);
		if (r == 1) {
			add_conn(s, fd);
		} else if (r == 0) {
			/* A member that died before we came: missing until it
			 * is back. */
			int i = find_peer(s, name, true);

			if (i >= 0 && !s->peers[i].nconn) {
				s->peers[i].missing = true;
				hk_warn("sync group %s: member %s does not answer on its socket; the group stays in FAULT until it is back (or its socket is removed)",
					s->group, name);
			}
		}
	}
	closedir(d);
}

struct vrrp_sync *vrrp_sync_open(const char *dir, const char *group, const char *self,
				 struct hk_err *e)
{
	struct vrrp_sync *s = calloc(1, sizeof(*s));
	struct sockaddr_un sun;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = UINT32_MAX };
	struct stat st;
	struct timespec ts;
	int fd = -1;

	if (!s) {
		hk_err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	s->ep = s->lfd = -1;
	for (int i = 0; i < MAX_CONNS; i++)
		s->conns[i] = (struct conn){ -1, -1 };
	snprintf(s->group, sizeof(s->group), "%s", group);
	snprintf(s->self, sizeof(s->self), "%s", self);
	clock_gettime(CLOCK_REALTIME, &ts);
	s->incarnation = (uint64_t)getpid() << 32 ^ (uint64_t)ts.tv_sec << 20 ^ (uint64_t)ts.tv_nsec;
	if (asprintf(&s->dir, "%s/%s", dir, group) < 0 ||
	    asprintf(&s->path, "%s/%s.sock", s->dir, self) < 0) {
		hk_err_set(e, ENOMEM, "out of memory");
		goto fail;
	}
	if (make_dirs(s->dir, e) < 0)
		goto fail;
	if (lstat(s->dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022)) {
		hk_err_set(e, EPERM,
			   "sync group %s: '%s' must be a directory of ours that nobody else may write",
			   group, s->dir);
		goto fail;
	}
	/* Our name: a live process answering there is another us. */
	switch (try_connect(s->path, &fd)) {
	case 1:
		close(fd);
		hk_err_set(e, EEXIST, "sync group %s: member %s is already running (%s)", group,
			   self, s->path);
		goto fail;
	case 0:
		unlink(s->path);
		break;
	default:
		if (errno != ENOENT) {
			hk_err_set(e, errno, "sync group %s: '%s': %s", group, s->path,
				   strerror(errno));
			goto fail;
		}
	}
	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	fill_sun(&sun, s->path);
	if (s->ep < 0 || s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(s->lfd, 16) < 0 || epoll_ctl(s->ep, EPOLL_CTL_ADD, s->lfd, &ev) < 0) {
		hk_err_set(e, errno, "sync group %s: cannot listen on '%s': %s", group, s->path,
			   strerror(errno));
		goto fail;
	}
	scan(s);
	return s;
fail:
	vrrp_sync_close(s, false);
	return NULL;
}

int vrrp_sync_fd(const struct vrrp_sync *s)
{
	return s->ep;
}

void vrrp_sync_publish(struct vrrp_sync *s, const struct vrrp_member *me)
{
	struct sync_msg *m = &s->last;

	memset(m, 0, sizeof(*m));
	m->magic = SYNC_MAGIC;
	m->version = SYNC_VERSION;
	m->type = MSG_STATUS;
	m->state = (uint8_t)me->state;
	m->flags = (uint8_t)((me->want_master ? F_WANT : 0) | (me->fault ? F_FAULT : 0));
	m->prio = me->prio;
	m->hooked = (uint8_t)me->hooked;
	m->seq = ++s->seq;
	m->incarnation = s->incarnation;
	snprintf(m->group, sizeof(m->group), "%s", s->group);
	snprintf(m->name, sizeof(m->name), "%s", s->self);
	s->have_last = true;
	for (int k = 0; k < MAX_CONNS; k++)
		if (s->conns[k].fd >= 0 &&
		    send(s->conns[k].fd, m, sizeof(*m), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN)
			hk_debug("sync group %s: cannot send: %s", s->group, strerror(errno));
}

int vrrp_sync_next(struct vrrp_sync *s, struct vrrp_sync_event *ev)
{
	struct epoll_event evs[16];
	int n;

	while (!s->qlen && (n = epoll_wait(s->ep, evs, 16, 0)) > 0) {
		for (int i = 0; i < n; i++) {
			uint32_t k = evs[i].data.u32;

			if (k == UINT32_MAX) {
				int fd;

				while ((fd = accept4(s->lfd, NULL, NULL,
						     SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0)
					add_conn(s, fd);
				continue;
			}
			if (k >= MAX_CONNS || s->conns[k].fd < 0)
				continue;
			/* One message a connection a round: what is left
			 * wakes epoll again. */
			struct sync_msg m;
			ssize_t r = recv(s->conns[k].fd, &m, sizeof(m), MSG_DONTWAIT);

			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r <= 0)
				close_conn(s, (int)k, false);
			else if ((size_t)r == sizeof(m))
				on_msg(s, (int)k, &m);
		}
	}
	if (!s->qlen)
		return 0;
	*ev = s->queue[s->qhead];
	s->qhead = (s->qhead + 1) % QLEN;
	s->qlen--;
	return 1;
}

void vrrp_sync_view(const struct vrrp_sync *s, const struct vrrp_member *me,
		    struct vrrp_group_view *v)
{
	vrrp_group_eval(me, s->peers, s->npeers, v);
	/* A connection whose member has not said who it is yet: someone
	 * is there, and the group cannot be called settled. */
	for (int k = 0; k < MAX_CONNS; k++)
		if (s->conns[k].fd >= 0 && s->conns[k].peer < 0) {
			v->settled = false;
			v->can_master = false;
			if (v->gstate != VRRP_STATE_FAULT)
				v->gstate = VRRP_STATE_INIT;
		}
}

void vrrp_sync_close(struct vrrp_sync *s, bool bye)
{
	if (!s)
		return;
	if (bye && s->have_last) {
		struct sync_msg m = s->last;

		m.type = MSG_BYE;
		for (int k = 0; k < MAX_CONNS; k++)
			if (s->conns[k].fd >= 0)
				send(s->conns[k].fd, &m, sizeof(m), MSG_DONTWAIT | MSG_NOSIGNAL);
	}
	for (int k = 0; k < MAX_CONNS; k++)
		if (s->conns[k].fd >= 0)
			close(s->conns[k].fd);
	if (s->lfd >= 0) {
		close(s->lfd);
		/* Gone on purpose: take our name out, so that nobody waits
		 * for us.  After a crash it stays, and says we are missing. */
		if (bye)
			unlink(s->path);
	}
	if (s->ep >= 0)
		close(s->ep);
	free(s->dir);
	free(s->path);
	free(s);
}
