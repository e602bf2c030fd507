/* httploop: the demo's client.  Every INTERVAL_MS, a fresh TCP
 * connection to ADDR:PORT, "GET PATH" with Connection: close, and a
 * line on stdout: the wall-clock time the request started and the
 * first line of the body, or FAILED if no 200 answer came within
 * TIMEOUT_MS.  One process instead of a curl per request: under the
 * qemu VM's software emulation a fork and exec per request is most of
 * what the machine can do.
 *
 *   httploop ADDR PORT PATH INTERVAL_MS TIMEOUT_MS [COUNT]
 *
 * Runs COUNT requests (default: until killed).  IPv4 only; exit 2 on
 * bad arguments. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long num(const char *s, const char *what, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "httploop: bad %s '%s' (%ld-%ld)\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* One request; the body's first line in out, or "FAILED". */
static void one(const struct sockaddr_in *sa, const char *req, long timeout, char *out, size_t n)
{
	struct timespec t0;
	char buf[4096];
	size_t got = 0;
	int fd;

	snprintf(out, n, "FAILED");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 && errno != EINPROGRESS)
		goto out;
	for (int sent = 0;;) {
		struct pollfd p = { .fd = fd, .events = sent ? POLLIN : POLLOUT };
		long left = timeout - ms_since(&t0);
		ssize_t r;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			goto out;
		if (!sent) {
			int err = 0;
			socklen_t l = sizeof(err);

			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0 || err)
				goto out;
			if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
				goto out;
			sent = 1;
			continue;
		}
		r = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(buf) - 1)
			break;
	}
	buf[got] = 0;
	if (strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0) {
		char *body = strstr(buf, "\r\n\r\n");

		if (body) {
			body += 4;
			body[strcspn(body, "\r\n")] = 0;
			snprintf(out, n, "%s", *body ? body : "(empty)");
		}
	}
out:
	close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char req[512], line[128];
	long interval, timeout, count = -1;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: httploop ADDR PORT PATH INTERVAL_MS TIMEOUT_MS [COUNT]\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "httploop: bad IPv4 address '%s'\n", argv[1]);
		return 2;
	}
	sa.sin_port = htons((uint16_t)num(argv[2], "port", 1, 65535));
	interval = num(argv[4], "interval", 1, 60000);
	timeout = num(argv[5], "timeout", 1, 60000);
	if (argc == 7)
		count = num(argv[6], "count", 1, 100000000);
	if (snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n",
		     argv[3], argv[1]) >= (int)sizeof(req)) {
		fprintf(stderr, "httploop: path too long\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 0; count < 0 || i < count; i++) {
		struct timespec start, now, next;
		long spent;

		clock_gettime(CLOCK_REALTIME, &start);
		clock_gettime(CLOCK_MONOTONIC, &now);
		one(&sa, req, timeout, line, sizeof(line));
		printf("%lld.%09ld %s\n", (long long)start.tv_sec, start.tv_nsec, line);
		spent = ms_since(&now);
		if (spent < interval) {
			next.tv_sec = (interval - spent) / 1000;
			next.tv_nsec = (interval - spent) % 1000 * 1000000;
			nanosleep(&next, NULL);
		}
	}
	return 0;
}
