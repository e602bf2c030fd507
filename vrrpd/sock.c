#include "sock.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IPPROTO_VRRP
#define IPPROTO_VRRP VRRP_PROTO
#endif

size_t vrrp_bpf_build(struct sock_filter *prog, int family, uint8_t vrid)
{
	size_t n = 0;

	if (family == AF_INET) {
		/* X = IP header length; A = the byte after the VRRP
		 * version/type, the VRID. */
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0);
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_IND, 1);
	} else {
		prog[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 1);
	}
	prog[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vrid, 0, 1);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	return n;
}

static int opt(int fd, int level, int name, int value, const char *what, struct hk_err *e)
{
	if (setsockopt(fd, level, name, &value, sizeof(value)) < 0)
		return hk_err_set(e, errno, "%s: %s", what, strerror(errno));
	return 0;
}

static int setup4(int fd, unsigned ifindex, const struct hk_addr *group, struct hk_err *e)
{
	struct ip_mreqn mr;

	if (opt(fd, IPPROTO_IP, IP_HDRINCL, 1, "IP_HDRINCL", e) < 0 ||
	    opt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP", e) < 0)
		return -1;
	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = (int)ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0)
		return hk_err_set(e, errno, "IP_MULTICAST_IF: %s", strerror(errno));
	if (group) {
		mr.imr_multiaddr = group->v4;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			return hk_err_set(e, errno, "cannot join the multicast group: %s",
					  strerror(errno));
	}
	return 0;
}

static int setup6(int fd, unsigned ifindex, const struct hk_addr *group, struct hk_err *e)
{
	struct ipv6_mreq mr;

	if (opt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL, "IPV6_MULTICAST_HOPS", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL, "IPV6_UNICAST_HOPS", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex, "IPV6_MULTICAST_IF", e) < 0 ||
	    opt(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS, "IPV6_TCLASS", e) < 0)
		return -1;
	if (group) {
		memset(&mr, 0, sizeof(mr));
		mr.ipv6mr_multiaddr = group->v6;
		mr.ipv6mr_interface = ifindex;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			return hk_err_set(e, errno, "cannot join the multicast group: %s",
					  strerror(errno));
	}
	return 0;
}

int vrrp_sock_open(int family, unsigned ifindex, const char *ifname, uint8_t vrid,
		   const struct hk_addr *group, struct hk_err *e)
{
	struct sock_filter prog[8];
	struct sock_fprog fp;
	uint8_t junk[64];
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_VRRP);

	if (fd < 0)
		return hk_err_set(e, errno, "cannot open a raw socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0) {
		hk_err_set(e, errno, "cannot bind to %s: %s", ifname, strerror(errno));
		goto fail;
	}
	fp.len = (unsigned short)vrrp_bpf_build(prog, family, vrid);
	fp.filter = prog;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0) {
		hk_err_set(e, errno, "cannot attach the VRID filter: %s", strerror(errno));
		goto fail;
	}
	if ((family == AF_INET ? setup4(fd, ifindex, group, e) : setup6(fd, ifindex, group, e)) < 0)
		goto fail;
	/* The arrival time: timers then run from when an advert came, not
	 * from when a loaded host got round to reading it. */
	if (opt(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS", e) < 0)
		goto fail;
	/* Whatever arrived before the filter was attached may be for
	 * another VRID: throw it away. */
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
		;
	return fd;
fail:
	close(fd);
	return -1;
}

int vrrp_sock_send(int fd, int family, unsigned ifindex, const uint8_t *pkt, size_t len,
		   const struct hk_addr *src, const struct hk_addr *dst)
{
	struct sockaddr_storage ss;
	socklen_t sl = hk_addr_to_sockaddr(dst, 0, &ss);
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr mh = { .msg_name = &ss, .msg_namelen = sl, .msg_iov = &iov, .msg_iovlen = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cm;

	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		struct in6_pktinfo pi = { .ipi6_addr = src->v6, .ipi6_ifindex = ifindex };
		struct cmsghdr *c;

		if (IN6_IS_ADDR_LINKLOCAL(&dst->v6) || IN6_IS_ADDR_MC_LINKLOCAL(&dst->v6))
			s6->sin6_scope_id = ifindex;
		memset(&cm, 0, sizeof(cm));
		mh.msg_control = cm.buf;
		mh.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(fd, &mh, MSG_DONTWAIT) < 0 ? -1 : 0;
}

ssize_t vrrp_sock_recv(int fd, int family, uint8_t *buf, size_t cap,
		       struct vrrp_rxmeta *meta)
{
	struct sockaddr_storage ss;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} cm;
	struct msghdr mh = { .msg_name = &ss, .msg_namelen = sizeof(ss), .msg_iov = &iov,
			     .msg_iovlen = 1, .msg_control = cm.buf,
			     .msg_controllen = sizeof(cm.buf) };
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	if (n < 0)
		return -1;
	/* A packet larger than the buffer: report what arrived, which the
	 * parser then finds truncated or inconsistent. */
	if ((size_t)n > cap)
		n = (ssize_t)cap;
	memset(meta, 0, sizeof(*meta));
	meta->hoplimit = -1;
	if (family == AF_INET6) {
		meta->dst.family = AF_INET6;
		hk_addr_from_sockaddr((struct sockaddr *)&ss, &meta->src, NULL);
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			meta->rx_real_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
		} else if (c->cmsg_level != IPPROTO_IPV6) {
			continue;
		} else if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int h;

			memcpy(&h, CMSG_DATA(c), sizeof(h));
			meta->hoplimit = h;
		} else if (c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			meta->dst.v6 = pi.ipi6_addr;
		}
	}
	return n;
}

struct vrrp_mon {
	struct nl_sock *sk;
	unsigned ifindex, addr_ifindex;
	int result;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct vrrp_mon *m = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg))) {
			const struct ifinfomsg *ifi = nlmsg_data(h);

			if ((unsigned)ifi->ifi_index == m->ifindex)
				m->result |= VRRP_MON_LINK;
			else
				m->result |= VRRP_MON_OTHER;
		}
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifaddrmsg))) {
			const struct ifaddrmsg *ifa = nlmsg_data(h);

			if (ifa->ifa_index == m->ifindex || ifa->ifa_index == m->addr_ifindex)
				m->result |= VRRP_MON_ADDR;
		}
		break;
	}
	return NL_OK;
}

struct vrrp_mon *vrrp_mon_open(void)
{
	struct vrrp_mon *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->sk = nl_socket_alloc();
	if (!m->sk) {
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	nl_socket_disable_seq_check(m->sk);
	nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, m);
	if (nl_connect(m->sk, NETLINK_ROUTE) < 0 ||
	    nl_socket_add_memberships(m->sk, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				      RTNLGRP_IPV6_IFADDR, 0) < 0 ||
	    nl_socket_set_nonblocking(m->sk) < 0) {
		nl_socket_free(m->sk);
		free(m);
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	return m;
}

int vrrp_mon_fd(const struct vrrp_mon *m)
{
	return nl_socket_get_fd(m->sk);
}

int vrrp_mon_read(struct vrrp_mon *m, unsigned ifindex, unsigned addr_ifindex)
{
	int r, n = 0;

	m->ifindex = ifindex;
	m->addr_ifindex = addr_ifindex;
	m->result = 0;
	/* Bounded, so that a storm of events cannot starve the adverts. */
	while ((r = nl_recvmsgs_default(m->sk)) == 0 && ++n < 256)
		;
	/* Anything but "nothing more queued" (an overrun above all) may
	 * have lost an event: have the caller look again. */
	if (n == 256 || (r < 0 && r != -NLE_AGAIN))
		m->result |= VRRP_MON_LINK | VRRP_MON_ADDR | VRRP_MON_OTHER;
	return m->result;
}

void vrrp_mon_close(struct vrrp_mon *m)
{
	if (!m)
		return;
	nl_socket_free(m->sk);
	free(m);
}
