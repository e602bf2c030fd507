/*
 * badhttpd: a web server that misbehaves on purpose, for hcheck's and
 * genhash's tests.  Each connection gets its own child, which reads the
 * request (up to the blank line), then answers as told:
 *
 *   badhttpd -l ADDR:PORT [-w PORTFILE] [-r REQLOG] [what to send] [how]
 *
 * What to send (in this order, each optional):
 *   -f FILE      these bytes as they are (status line, header, body...)
 *   -n BYTES     then BYTES generated body bytes ("abc...z\n" repeated)
 *   -c SIZE      ...sent as chunks of SIZE bytes, with the final 0 chunk
 * How:
 *   -t MS        trickle: one byte every MS milliseconds
 *   -T MS        trickle the generated body only (-n)
 *   -k           keep the connection open after sending (until the
 *                client closes it)
 *   -s           send nothing, keep the connection open
 *   -R           reset the connection (RST) instead of answering
 *   -H           the request is one TLS record (a ClientHello), not an
 *                HTTP header: with -f, a server that breaks off in the
 *                middle of a TLS handshake
 *
 * With PORT 0 the kernel picks a free port, written to PORTFILE.
 * REQLOG receives every request as received.  Children die with the
 * parent (PR_SET_PDEATHSIG) and after 60 s at the most.
 */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct {
	const char *file, *portfile, *reqlog;
	uint64_t gen_bytes, chunk;
	uint64_t trickle_ms, trickle_body_ms;
	bool keep, silent, reset, tls;
} opt;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "badhttpd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static void msleep(uint64_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Send n bytes, trickled if asked; exit quietly when the client is gone. */
static void out(int fd, const char *p, size_t n)
{
	while (n > 0) {
		size_t k = opt.trickle_ms ? 1 : n;
		ssize_t w = send(fd, p, k, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		p += w;
		n -= (size_t)w;
		if (opt.trickle_ms && n)
			msleep(opt.trickle_ms);
	}
}

/* Read exactly n bytes; false at EOF or on an error. */
static bool read_full(int fd, unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t r = recv(fd, p, n, 0);

		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* One TLS record: a 5-byte header whose last two bytes are the length. */
static void read_tls_record(int fd)
{
	unsigned char buf[5 + 65535];

	if (read_full(fd, buf, 5))
		read_full(fd, buf + 5, (size_t)buf[3] << 8 | buf[4]);
}

static void read_request(int fd)
{
	char buf[16384];
	size_t len = 0;

	if (opt.tls) {
		read_tls_record(fd);
		return;
	}
	while (len < sizeof(buf) - 1) {
		ssize_t r = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);

		if (r <= 0)
			break;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
	}
	if (opt.reqlog && len) {
		int lf = open(opt.reqlog, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

		if (lf >= 0) {
			if (write(lf, buf, len) < 0) {
				/* The test will notice the missing request. */
			}
			close(lf);
		}
	}
}

static void gen_body(int fd)
{
	static const char pat[] = "abcdefghijklmnopqrstuvwxyz\n";
	char buf[65536];
	uint64_t left = opt.gen_bytes, pos = 0;

	if (opt.trickle_body_ms)
		opt.trickle_ms = opt.trickle_body_ms;

	while (left > 0) {
		size_t k = left > (opt.chunk ? opt.chunk : sizeof(buf)) ?
				   (size_t)(opt.chunk ? opt.chunk : sizeof(buf)) : (size_t)left;
		size_t done = 0;

		if (opt.chunk) {
			char head[32];

			snprintf(head, sizeof(head), "%zx\r\n", k);
			out(fd, head, strlen(head));
		}
		while (done < k) {
			size_t piece = k - done < sizeof(buf) ? k - done : sizeof(buf);

			for (size_t i = 0; i < piece; i++)
				buf[i] = pat[(pos + i) % (sizeof(pat) - 1)];
			out(fd, buf, piece);
			pos += piece;
			done += piece;
		}
		if (opt.chunk)
			out(fd, "\r\n", 2);
		left -= k;
	}
	if (opt.chunk)
		out(fd, "0\r\n\r\n", 5);
}

static void serve(int fd)
{
	char buf[65536];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(60);
	if (opt.reset) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		_exit(0);
	}
	read_request(fd);
	if (opt.silent)
		goto hold;
	if (opt.file) {
		int ff = open(opt.file, O_RDONLY | O_CLOEXEC);
		ssize_t r;

		if (ff < 0)
			_exit(1);
		while ((r = read(ff, buf, sizeof(buf))) > 0)
			out(fd, buf, (size_t)r);
		close(ff);
	}
	gen_body(fd);
	if (!opt.keep) {
		/* Close gently: the client has read what it wants. */
		shutdown(fd, SHUT_WR);
		while (recv(fd, buf, sizeof(buf), 0) > 0)
			;
		_exit(0);
	}
hold:
	while (recv(fd, buf, sizeof(buf), 0) > 0)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	struct hk_addr a;
	uint16_t port = 0;
	struct sockaddr_storage ss;
	socklen_t sl;
	int c, lfd, one = 1;
	const char *listen_at = NULL;

	while ((c = getopt(argc, argv, "l:w:r:f:n:c:t:T:ksRH")) != -1) {
		switch (c) {
		case 'l': listen_at = optarg; break;
		case 'w': opt.portfile = optarg; break;
		case 'r': opt.reqlog = optarg; break;
		case 'f': opt.file = optarg; break;
		case 'n': opt.gen_bytes = hk_opt_uint("-n", optarg, 0, UINT64_MAX); break;
		case 'c': opt.chunk = hk_opt_uint("-c", optarg, 1, 1 << 30); break;
		case 't': opt.trickle_ms = hk_opt_uint("-t", optarg, 1, 60000); break;
		case 'T': opt.trickle_body_ms = hk_opt_uint("-T", optarg, 1, 60000); break;
		case 'k': opt.keep = true; break;
		case 's': opt.silent = true; break;
		case 'R': opt.reset = true; break;
		case 'H': opt.tls = true; break;
		default: die("%s", "usage: badhttpd -l ADDR:PORT [-w PORTFILE] [-r REQLOG] [-f FILE] [-n BYTES] [-c SIZE] [-t MS] [-T MS] [-k] [-s] [-R] [-H]");
		}
	}
	if (!listen_at)
		die("%s", "-l ADDR:PORT is required");
	{
		/* Port 0 is allowed here, unlike hk_parse_addrport's 1-65535. */
		char tmp[128];
		size_t n = strlen(listen_at);

		if (n >= sizeof(tmp))
			die("bad -l '%s'", listen_at);
		memcpy(tmp, listen_at, n + 1);
		if (n >= 2 && strcmp(tmp + n - 2, ":0") == 0) {
			tmp[n - 2] = '\0';
			if (tmp[0] == '[') {
				tmp[strlen(tmp) - 1] = '\0';
				hk_opt_addr("-l", tmp + 1, AF_UNSPEC, &a);
			} else {
				hk_opt_addr("-l", tmp, AF_UNSPEC, &a);
			}
		} else {
			struct hk_err e;

			if (hk_parse_addrport(listen_at, &a, &port, 0, &e) < 0)
				die("-l: %s", e.msg);
		}
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	lfd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sl = hk_addr_to_sockaddr(&a, port, &ss);
	if (bind(lfd, (struct sockaddr *)&ss, sl) < 0)
		die("bind: %s", strerror(errno));
	if (listen(lfd, 128) < 0)
		die("listen: %s", strerror(errno));
	if (opt.portfile) {
		FILE *pf;

		sl = sizeof(ss);
		getsockname(lfd, (struct sockaddr *)&ss, &sl);
		hk_addr_from_sockaddr((struct sockaddr *)&ss, &a, &port);
		pf = fopen(opt.portfile, "w");
		if (!pf)
			die("%s: cannot write", opt.portfile);
		fprintf(pf, "%u\n", port);
		fclose(pf);
	}
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		pid_t pid;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept: %s", strerror(errno));
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			serve(fd);
		}
		close(fd);
	}
}
