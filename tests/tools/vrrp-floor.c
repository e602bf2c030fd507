/*
 * vrrp-floor: the least work one process per VRRP instance must do, for
 * bench/vrrpd-scale.sh to set beside vrrpd and keepalived.
 *
 *   vrrp-floor send IFACE VRID INTERVAL_US    a master: wake on a periodic
 *                                             timer, send one VRRPv3
 *                                             advert to 224.0.0.18
 *   vrrp-floor recv IFACE VRID                a backup: block on a raw
 *                                             socket filtered to VRID (as
 *                                             vrrpd's), read each advert
 *
 * No state machine, no checks, no timers to move: what is left is the
 * wake-up, the system calls and the kernel's delivery that any design
 * with a process per instance pays for every advert.  Runs until killed.
 */
#include "cksum.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define VRRP_PROTO 112

static void die(const char *what)
{
	fprintf(stderr, "vrrp-floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int raw_socket(const char *ifname)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, VRRP_PROTO);

	if (fd < 0)
		die("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0)
		die(ifname);
	return fd;
}

static _Noreturn void do_send(const char *ifname, unsigned vrid, long interval_us)
{
	int fd = raw_socket(ifname), tfd, ttl = 255, loop = 0;
	struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex(ifname) };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0xe0000012) };
	struct itimerspec its = {
		.it_interval = { interval_us / 1000000, (interval_us % 1000000) * 1000 },
		.it_value = { interval_us / 1000000, (interval_us % 1000000) * 1000 },
	};
	struct sockaddr_in me;
	socklen_t ml = sizeof(me);
	uint8_t pkt[12];
	uint32_t pseudo[3];
	uint64_t n;

	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop)) < 0)
		die("setsockopt");
	/* The source the kernel will pick, for the checksum's pseudo-header. */
	{
		int u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in d = to;

		d.sin_port = htons(9);
		if (u < 0 || setsockopt(u, SOL_SOCKET, SO_BINDTODEVICE, ifname,
					(socklen_t)strlen(ifname) + 1) < 0 ||
		    setsockopt(u, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
		    connect(u, (struct sockaddr *)&d, sizeof(d)) < 0 ||
		    getsockname(u, (struct sockaddr *)&me, &ml) < 0)
			die("source address");
		close(u);
	}
	/* VRRPv3 advert: priority 200, 1 cs interval field as configured,
	 * one address (the VIP 192.0.2.(100+VRID)). */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x31;
	pkt[1] = (uint8_t)vrid;
	pkt[2] = 200;
	pkt[3] = 1;
	pkt[4] = (uint8_t)((interval_us / 10000) >> 8 & 0x0f);
	pkt[5] = (uint8_t)(interval_us / 10000);
	pkt[8] = 192, pkt[9] = 0, pkt[10] = 2, pkt[11] = (uint8_t)(100 + vrid);
	pseudo[0] = me.sin_addr.s_addr;
	pseudo[1] = to.sin_addr.s_addr;
	pseudo[2] = htonl(VRRP_PROTO << 16 | sizeof(pkt));
	{
		uint32_t sum = hk_cksum_add(0, pseudo, sizeof(pseudo));
		uint16_t c;

		sum = hk_cksum_add(sum, pkt, sizeof(pkt));
		c = hk_cksum_fold(sum);
		memcpy(pkt + 6, &c, 2);
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0)
		die("timerfd");
	for (;;) {
		if (read(tfd, &n, sizeof(n)) < 0 && errno != EINTR)
			die("read");
		sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to));
	}
}

static _Noreturn void do_recv(const char *ifname, unsigned vrid)
{
	int fd = raw_socket(ifname);
	struct ip_mreqn mr = { .imr_ifindex = (int)if_nametoindex(ifname) };
	/* vrrpd's filter: X = IP header length, the VRID after it. */
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 1),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vrid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog fp = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	uint8_t buf[256];

	mr.imr_multiaddr.s_addr = htonl(0xe0000012);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		die("setsockopt");
	for (;;)
		if (recv(fd, buf, sizeof(buf), 0) < 0 && errno != EINTR)
			die("recv");
}

int main(int argc, char **argv)
{
	unsigned long vrid;

	if (argc >= 4 && (vrid = strtoul(argv[3], NULL, 10)) >= 1 && vrid <= 255) {
		if (!strcmp(argv[1], "send") && argc == 5 && atol(argv[4]) >= 10000)
			do_send(argv[2], (unsigned)vrid, atol(argv[4]));
		if (!strcmp(argv[1], "recv") && argc == 4)
			do_recv(argv[2], (unsigned)vrid);
	}
	fprintf(stderr, "usage: vrrp-floor send IFACE VRID INTERVAL_US (>= 10000)\n"
			"       vrrp-floor recv IFACE VRID\n");
	return 2;
}
