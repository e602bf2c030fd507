#include "spawn.h"
#include "clock.h"
#include "priv.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG_MAX 16384
#define MAX_JOBS 64

enum { REQ_RUN = 1, REQ_KILL, REP_EXIT };

struct msg {
	uint32_t type;
	uint32_t id;
	int32_t arg;		/* REQ_KILL: the signal; REP_EXIT: the wait status */
	uint32_t len;		/* REQ_RUN: bytes of NUL-terminated words after this */
};

struct vrrp_spawn {
	int fd;
	pid_t pid;
};

/* ---- the launcher ---- */

struct job {
	pid_t pid;
	uint32_t id;
};

static int send_msg(int fd, const struct msg *m, const void *data, size_t len, int pass_fd)
{
	struct iovec iov[2] = { { (void *)m, sizeof(*m) }, { (void *)data, len } };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cm;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	if (pass_fd >= 0) {
		struct cmsghdr *c;

		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	}
	for (;;) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (n >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static void __attribute__((noreturn))
exec_job(char *words, size_t len, int out_fd, uint32_t uid, uint32_t gid, bool switch_user)
{
	char *argv[256], *path = words;
	size_t n = 0;
	int null;

	/* Words: path, then argv[0..]. */
	for (char *p = words + strlen(words) + 1; p < words + len && n < 255; p += strlen(p) + 1)
		argv[n++] = p;
	argv[n] = NULL;
	setpgid(0, 0);
	hk_signals_reset();
	null = open("/dev/null", O_RDWR);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	if (out_fd >= 0) {
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);
	}
	closefrom(STDERR_FILENO + 1);
	if (chdir("/") < 0)
		_exit(VRRP_EXIT_NOUSER);
	if (switch_user) {
		gid_t g = gid;

		if (setgroups(1, &g) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(VRRP_EXIT_NOUSER);
	}
	if (n == 0)
		_exit(127);
	execv(path, argv);
	/* As a shell says it: 127 not found, 126 found but not to be run
	 * (by this user). */
	_exit(errno == ENOENT || errno == ENOTDIR ? 127 : 126);
}

static void reap(int sock, struct job *jobs)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (int i = 0; i < MAX_JOBS; i++) {
			if (jobs[i].pid != pid)
				continue;
			struct msg m = { .type = REP_EXIT, .id = jobs[i].id, .arg = st };

			/* What it started stays (a check script may start the
			 * service it checks); only a timeout kills the group. */
			send_msg(sock, &m, NULL, 0, -1);
			jobs[i].pid = 0;
		}
	}
}

static void __attribute__((noreturn)) launcher(int sock, uint32_t uid, uint32_t gid)
{
	static struct job jobs[MAX_JOBS];
	static char buf[MSG_MAX];
	bool switch_user = (uid_t)uid != getuid() || (gid_t)gid != getgid();
	const int chld[] = { SIGCHLD };
	int sfd;

	/* vrrpd's signals are not ours: a Ctrl-C or a SIGTERM to the
	 * process group must not kill the STOP hooks' launcher. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGUSR1, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sfd = hk_signalfd_open(chld, 1);
	if (sfd < 0)
		_exit(1);
	for (;;) {
		struct pollfd p[2] = { { sock, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		union {
			char b[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} cm;
		struct msg m;
		struct iovec iov[2] = { { &m, sizeof(m) }, { buf, sizeof(buf) - 1 } };
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2, .msg_control = cm.b,
				     .msg_controllen = sizeof(cm.b) };
		int out_fd = -1;
		ssize_t n;

		if (poll(p, 2, -1) < 0)
			continue;
		if (p[1].revents) {
			while (hk_signalfd_read(sfd, NULL) > 0)
				;
			reap(sock, jobs);
		}
		if (!p[0].revents)
			continue;
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* vrrpd is gone */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				memcpy(&out_fd, CMSG_DATA(c), sizeof(int));
		if ((size_t)n < sizeof(m) || m.len != (size_t)n - sizeof(m)) {
			if (out_fd >= 0)
				close(out_fd);
			continue;
		}
		buf[m.len] = '\0';
		if (m.type == REQ_KILL) {
			for (int i = 0; i < MAX_JOBS; i++)
				if (jobs[i].pid && jobs[i].id == m.id)
					kill(-jobs[i].pid, m.arg);
		} else if (m.type == REQ_RUN) {
			int slot = -1;
			pid_t pid = -1;

			for (int i = 0; i < MAX_JOBS && slot < 0; i++)
				if (!jobs[i].pid)
					slot = i;
			if (slot >= 0 && m.len > 0 && buf[m.len - 1] == '\0')
				pid = fork();
			if (pid == 0)
				exec_job(buf, m.len, out_fd, uid, gid, switch_user);
			if (pid > 0) {
				setpgid(pid, pid);
				jobs[slot] = (struct job){ pid, m.id };
			} else {
				struct msg r = { .type = REP_EXIT, .id = m.id, .arg = 127 << 8 };

				send_msg(sock, &r, NULL, 0, -1);
			}
		}
		if (out_fd >= 0)
			close(out_fd);
	}
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid)
			kill(-jobs[i].pid, SIGKILL);
	while (wait(NULL) > 0)
		;
	_exit(0);
}

/* ---- vrrpd's side ---- */

struct vrrp_spawn *vrrp_spawn_start(uint32_t uid, uint32_t gid, bool full_caps,
				    struct hk_err *e)
{
	struct vrrp_spawn *s = calloc(1, sizeof(*s));
	int sv[2];

	if (!s) {
		hk_err_set(e, ENOMEM, "out of memory");
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		hk_err_set(e, errno, "cannot make the launcher's socket pair: %s", strerror(errno));
		free(s);
		return NULL;
	}
	s->pid = fork();
	if (s->pid < 0) {
		hk_err_set(e, errno, "cannot fork the launcher: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(s);
		return NULL;
	}
	if (s->pid == 0) {
		/* Nothing of vrrpd's but the socket and stdout/stderr: no
		 * raw socket, no netlink, no timer, and not vrrpd's handle
		 * on the launcher (never freed otherwise: the launcher ends
		 * in _exit, and valgrind calls that a leak). */
		const int keep[] = { CAP_SETUID, CAP_SETGID, CAP_KILL };
		int fd = fcntl(sv[1], F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

		free(s);
		if (fd < 0)
			_exit(1);
		if (fd != STDERR_FILENO + 1) {
			if (dup3(fd, STDERR_FILENO + 1, O_CLOEXEC) < 0)
				_exit(1);
			fd = STDERR_FILENO + 1;
		}
		closefrom(STDERR_FILENO + 2);
		if (full_caps ? prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
			      : vrrp_caps_keep(keep, 3, NULL) < 0)
			_exit(1);
		launcher(fd, uid, gid);
	}
	close(sv[1]);
	s->fd = sv[0];
	if (fcntl(s->fd, F_SETFL, O_NONBLOCK) < 0) {
		hk_err_set(e, errno, "cannot set up the launcher's socket: %s", strerror(errno));
		vrrp_spawn_stop(s);
		return NULL;
	}
	return s;
}

int vrrp_spawn_fd(const struct vrrp_spawn *s)
{
	return s->fd;
}

int vrrp_spawn_pid(const struct vrrp_spawn *s)
{
	return s->pid;
}

int vrrp_spawn_run(struct vrrp_spawn *s, uint32_t id, const char *path, char *const argv[],
		   int out_fd)
{
	char *buf = malloc(MSG_MAX);
	size_t len = 0;
	struct msg m = { .type = REQ_RUN, .id = id };
	int r, saved;

	if (!buf)
		return -1;
	for (size_t i = 0; i == 0 || argv[i - 1]; i++) {
		const char *w = i == 0 ? path : argv[i - 1];
		size_t n = strlen(w) + 1;

		if (len + n >= MSG_MAX) {
			free(buf);
			errno = EMSGSIZE;
			return -1;
		}
		memcpy(buf + len, w, n);
		len += n;
	}
	m.len = (uint32_t)len;
	r = send_msg(s->fd, &m, buf, len, out_fd);
	saved = errno;
	free(buf);
	errno = saved;
	return r;
}

int vrrp_spawn_kill(struct vrrp_spawn *s, uint32_t id, int sig)
{
	struct msg m = { .type = REQ_KILL, .id = id, .arg = sig };

	return send_msg(s->fd, &m, NULL, 0, -1);
}

int vrrp_spawn_read(struct vrrp_spawn *s, uint32_t *id, int *status)
{
	struct msg m;
	ssize_t n = recv(s->fd, &m, sizeof(m), MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	if ((size_t)n < sizeof(m) || m.type != REP_EXIT)
		return 0;
	*id = m.id;
	*status = m.arg;
	return 1;
}

void vrrp_spawn_stop(struct vrrp_spawn *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	/* It kills its jobs and exits at once when the pair closes. */
	if (s->pid > 0)
		waitpid(s->pid, NULL, 0);
	free(s);
}
