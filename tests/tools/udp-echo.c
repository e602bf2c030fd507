/*
 * udp-echo: a UDP server for the hcheck udp suite.
 *
 *   udp-echo ADDR PORT echo          answer each datagram with itself
 *   udp-echo ADDR PORT reply HEX     answer each with these bytes
 *   udp-echo ADDR PORT silent        read and never answer
 *   udp-echo ADDR PORT dns RCODE     answer a DNS query: the query back as
 *                                    a response (QR) with that RCODE
 *   udp-echo ADDR PORT dns-late      first a response with another ID
 *                                    (SERVFAIL), then the right one
 *   udp-echo ADDR PORT dns-noqr      the query back, QR not set
 *
 * It appends each datagram it gets, in hex, one line each, to the file
 * named by $UDP_ECHO_LOG if set.  Runs until killed.
 */
#include "addr.h"
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "udp-echo: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss, from;
	unsigned char buf[65536], out[1024];
	size_t outlen = 0;
	struct hk_addr a;
	struct hk_err e;
	socklen_t sl;
	int fd;

	if (argc < 4 || hk_parse_addr(argv[1], AF_UNSPEC, &a, &e) < 0 ||
	    ((strcmp(argv[3], "reply") == 0 || strcmp(argv[3], "dns") == 0) && argc != 5)) {
		fprintf(stderr, "usage: udp-echo ADDR PORT echo|silent|reply HEX|dns RCODE|dns-late|dns-noqr\n");
		return 2;
	}
	if (strcmp(argv[3], "reply") == 0)
		for (const char *p = argv[4]; p[0] && p[1] && outlen < sizeof(out); p += 2) {
			unsigned v;

			if (sscanf(p, "%2x", &v) != 1)
				break;
			out[outlen++] = (unsigned char)v;
		}
	fd = socket(a.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	sl = hk_addr_to_sockaddr(&a, (uint16_t)atoi(argv[2]), &ss);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) < 0)
		die("bind");
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		const char *log = getenv("UDP_ECHO_LOG");

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recvfrom");
		}
		if (log) {
			FILE *f = fopen(log, "a");

			if (f) {
				for (ssize_t i = 0; i < n; i++)
					fprintf(f, "%02x", buf[i]);
				fputc('\n', f);
				fclose(f);
			}
		}
		if (strncmp(argv[3], "dns", 3) == 0 && n >= 12) {
			if (strcmp(argv[3], "dns-noqr") != 0)
				buf[2] |= 0x80;
			buf[3] = (unsigned char)(0x80 | (argc == 5 ? atoi(argv[4]) & 0x0f : 0));
			if (strcmp(argv[3], "dns-late") == 0) {
				/* The wrong one says SERVFAIL: taking it fails. */
				buf[1] ^= 0x5a;
				buf[3] = 0x82;
				sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
				buf[1] ^= 0x5a;
				buf[3] = 0x80;
			}
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
		} else if (strcmp(argv[3], "echo") == 0)
			sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
		else if (strcmp(argv[3], "reply") == 0)
			sendto(fd, out, outlen, 0, (struct sockaddr *)&from, fl);
	}
}
