/*
 * The sockets of an instance: one raw IP socket (protocol 112) bound to
 * the interface that sends and receives adverts, with a classic BPF
 * filter so that the kernel wakes us only for our own VRID; and a
 * routing netlink socket that reports link and address changes.
 */
#ifndef VRRP_SOCK_H
#define VRRP_SOCK_H

#include "addr.h"
#include "packet.h"
#include "parse.h"

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The filter program for family and vrid into prog (room for 8
 * instructions).  IPv4 raw sockets see the IP header, IPv6 ones the
 * VRRP message.  Returns the number of instructions.
 */
size_t vrrp_bpf_build(struct sock_filter *prog, int family, uint8_t vrid);

/*
 * Open the raw socket on ifindex/ifname for family: bound to the
 * device, filtered to vrid, joined to group (NULL in unicast mode),
 * TTL/hop limit 255, no multicast loopback.  Returns the descriptor, or
 * -1 with a sentence in e.
 */
int vrrp_sock_open(int family, unsigned ifindex, const char *ifname, uint8_t vrid,
		   const struct hk_addr *group, struct hk_err *e);

/*
 * Send one advert built by vrrp_build() to dst.  IPv4 packets carry
 * their own header; IPv6 ones leave from src (IPV6_PKTINFO).  Returns 0
 * or -1 with errno from sendmsg(2).
 */
int vrrp_sock_send(int fd, int family, unsigned ifindex, const uint8_t *pkt, size_t len,
		   const struct hk_addr *src, const struct hk_addr *dst);

/*
 * Receive one packet into buf (a packet larger than cap comes cut, and
 * then parses as truncated).  meta receives the kernel's arrival time
 * and, for IPv6, the addresses and hop limit.  Returns the length, or -1
 * with errno (EAGAIN when nothing is queued).
 */
ssize_t vrrp_sock_recv(int fd, int family, uint8_t *buf, size_t cap,
		       struct vrrp_rxmeta *meta);

/* The link/address monitor. */
struct vrrp_mon;

/*
 * Open a routing netlink socket subscribed to link and address events.
 * Returns it, or NULL with errno.  vrrp_mon_fd() is the descriptor to
 * poll.
 */
struct vrrp_mon *vrrp_mon_open(void);
int vrrp_mon_fd(const struct vrrp_mon *m);

/*
 * Read what is queued.  Returns a mask of VRRP_MON_LINK (a link event
 * for ifindex), VRRP_MON_ADDR (an address event for ifindex or
 * addr_ifindex) and VRRP_MON_OTHER (a link event for another
 * interface), all three if events were lost; 0 for nothing.
 */
enum { VRRP_MON_LINK = 1, VRRP_MON_ADDR = 2, VRRP_MON_OTHER = 4 };
int vrrp_mon_read(struct vrrp_mon *m, unsigned ifindex, unsigned addr_ifindex);
void vrrp_mon_close(struct vrrp_mon *m);

#endif
