/*
 * vrrp-inject: send hand-made VRRP packets, well-formed or not, for the
 * vrrpd suites.  It builds the packet itself, independently of
 * vrrpd/packet.c, so that the two check each other.
 *
 *   vrrp-inject -i IFACE --src ADDR [--dst ADDR] [--vrid N] [--prio N]
 *               [--version N] [--type N] [--interval N] [--addr ADDR]...
 *               [--naddr N] [--auth-type N] [--pass PASS] [--ttl N]
 *               [--bad-checksum] [--no-pseudo] [--short] [--count N]
 *
 * --interval is in seconds for v2 and centiseconds for v3; --naddr
 * overrides the address count field; --short sends only the first four
 * bytes of the VRRP message; --no-pseudo leaves the IPv4 pseudo-header
 * out of a v3 checksum.  Exit 0 when every packet went out.
 */
#include "addr.h"
#include "cksum.h"
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "vrrp-inject: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct hk_addr addr(const char *s)
{
	struct hk_addr a;
	struct hk_err e;

	if (hk_parse_addr(s, AF_UNSPEC, &a, &e) < 0) {
		fprintf(stderr, "vrrp-inject: %s\n", e.msg);
		exit(2);
	}
	return a;
}

static long num(const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end || v < 0 || v > max) {
		fprintf(stderr, "vrrp-inject: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "src", 1, 0, 's' }, { "dst", 1, 0, 'd' }, { "vrid", 1, 0, 'r' },
		{ "prio", 1, 0, 'p' }, { "version", 1, 0, 'V' }, { "type", 1, 0, 'T' },
		{ "interval", 1, 0, 'I' }, { "addr", 1, 0, 'a' }, { "naddr", 1, 0, 'N' },
		{ "auth-type", 1, 0, 'A' }, { "pass", 1, 0, 'P' }, { "ttl", 1, 0, 't' },
		{ "bad-checksum", 0, 0, 'B' }, { "no-pseudo", 0, 0, 'n' },
		{ "short", 0, 0, 'S' }, { "count", 1, 0, 'c' }, { 0, 0, 0, 0 },
	};
	struct hk_addr src = { 0 }, dst = { 0 }, addrs[16];
	long vrid = 1, prio = 100, version = 3, type = 1, interval = -1, naddr = -1;
	long auth_type = -1, ttl = 255, count = 1;
	int bad_ck = 0, no_pseudo = 0, shrt = 0, na = 0, ch;
	const char *ifname = NULL, *pass = "";
	uint8_t pkt[512], *m;
	size_t alen, mlen, hl;

	while ((ch = getopt_long(argc, argv, "i:", lo, NULL)) != -1) {
		switch (ch) {
		case 'i': ifname = optarg; break;
		case 's': src = addr(optarg); break;
		case 'd': dst = addr(optarg); break;
		case 'r': vrid = num(optarg, 255); break;
		case 'p': prio = num(optarg, 255); break;
		case 'V': version = num(optarg, 15); break;
		case 'T': type = num(optarg, 15); break;
		case 'I': interval = num(optarg, 4095); break;
		case 'a':
			if (na == 16)
				return 2;
			addrs[na++] = addr(optarg);
			break;
		case 'N': naddr = num(optarg, 255); break;
		case 'A': auth_type = num(optarg, 255); break;
		case 'P': pass = optarg; break;
		case 't': ttl = num(optarg, 255); break;
		case 'B': bad_ck = 1; break;
		case 'n': no_pseudo = 1; break;
		case 'S': shrt = 1; break;
		case 'c': count = num(optarg, 100000); break;
		default: return 2;
		}
	}
	if (!ifname || !src.family) {
		fprintf(stderr, "vrrp-inject: -i IFACE and --src are required\n");
		return 2;
	}
	if (!dst.family)
		dst = addr(src.family == AF_INET ? "224.0.0.18" : "ff02::12");
	alen = src.family == AF_INET ? 4 : 16;
	hl = src.family == AF_INET ? 20 : 0;
	m = pkt + hl;
	memset(pkt, 0, sizeof(pkt));

	/* The VRRP message. */
	m[0] = (uint8_t)(version << 4 | type);
	m[1] = (uint8_t)vrid;
	m[2] = (uint8_t)prio;
	m[3] = (uint8_t)(naddr >= 0 ? naddr : na);
	if (version == 2) {
		m[4] = (uint8_t)(auth_type >= 0 ? auth_type : pass[0] ? 1 : 0);
		m[5] = (uint8_t)(interval >= 0 ? interval : 1);
	} else {
		uint16_t iv = (uint16_t)(interval >= 0 ? interval : 100);

		m[4] = (uint8_t)(iv >> 8);
		m[5] = (uint8_t)iv;
	}
	for (int i = 0; i < na; i++)
		memcpy(m + 8 + (size_t)i * alen, addrs[i].bytes, alen);
	mlen = 8 + (size_t)na * alen;
	if (version == 2 && src.family == AF_INET) {
		strncpy((char *)m + mlen, pass, 8);
		mlen += 8;
	}
	uint32_t sum = 0;

	if (src.family == AF_INET6 || (version == 3 && !no_pseudo))
		sum = hk_cksum_pseudo(&src, &dst, 112, (uint32_t)mlen);
	uint16_t ck = hk_cksum_fold(hk_cksum_add(sum, m, mlen));

	if (bad_ck)
		ck ^= 0x0101;
	memcpy(m + 6, &ck, 2);
	if (shrt)
		mlen = 4;

	int fd = socket(src.family, SOCK_RAW, 112);

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		die("SO_BINDTODEVICE");
	if (src.family == AF_INET) {
		int one = 1;
		uint16_t tot = (uint16_t)(hl + mlen);

		if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0)
			die("IP_HDRINCL");
		pkt[0] = 0x45;
		pkt[1] = 0xc0;
		pkt[2] = (uint8_t)(tot >> 8);
		pkt[3] = (uint8_t)tot;
		pkt[8] = (uint8_t)ttl;
		pkt[9] = 112;
		memcpy(pkt + 12, &src.v4, 4);
		memcpy(pkt + 16, &dst.v4, 4);
	} else {
		int h = (int)ttl;
		struct sockaddr_storage ss;
		socklen_t sl = hk_addr_to_sockaddr(&src, 0, &ss);

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &h, sizeof(h)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &h, sizeof(h)) < 0)
			die("hop limit");
		((struct sockaddr_in6 *)&ss)->sin6_scope_id = if_nametoindex(ifname);
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			die("bind");
	}

	struct sockaddr_storage to;
	socklen_t tl = hk_addr_to_sockaddr(&dst, 0, &to);

	if (dst.family == AF_INET6)
		((struct sockaddr_in6 *)&to)->sin6_scope_id = if_nametoindex(ifname);
	for (long i = 0; i < count; i++)
		if (sendto(fd, pkt, hl + mlen, 0, (struct sockaddr *)&to, tl) < 0)
			die("sendto");
	close(fd);
	return 0;
}
