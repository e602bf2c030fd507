/*
 * Announcing that an address has moved: gratuitous ARP for IPv4 and
 * unsolicited Neighbour Advertisement for IPv6, sent as whole Ethernet
 * frames on a packet socket.  The builders are pure functions over a
 * buffer (unit-tested, no socket needed).
 */
#ifndef HK_GARP_H
#define HK_GARP_H

#include "addr.h"

#include <stddef.h>
#include <stdint.h>

#define HK_GARP_LEN 42	/* Ethernet header + ARP for IPv4 over Ethernet */
#define HK_UNA_LEN 86	/* Ethernet + IPv6 + NA + target link-layer option */

/*
 * Build a gratuitous ARP as keepalived sends it: a broadcast ARP request
 * whose sender and target IP are both ip, sender hardware address mac
 * and target hardware address ff:ff:ff:ff:ff:ff.  buf must hold
 * HK_GARP_LEN bytes.  Returns the frame length.
 */
size_t hk_garp_build(uint8_t *buf, const uint8_t mac[6], struct in_addr ip);

/*
 * Build an unsolicited Neighbour Advertisement (RFC 4861 7.2.6) for
 * target, from the link-local address src, to all nodes (ff02::1), hop
 * limit 255, Override flag set, Router flag as router says, with a
 * target link-layer address option carrying mac.  buf must hold
 * HK_UNA_LEN bytes.  Returns the frame length.
 */
size_t hk_una_build(uint8_t *buf, const uint8_t mac[6], const struct in6_addr *src,
		    const struct in6_addr *target, int router);

/*
 * Open a packet socket for sending frames (it receives nothing: its
 * protocol is 0).  Returns the descriptor, or -1 with errno (EPERM
 * without CAP_NET_RAW).
 */
int hk_garp_open(void);

/*
 * Send the frame of len bytes out of ifindex.  Returns 0, or -1 with
 * errno from sendto(2) (ENETDOWN when the link is down).
 */
int hk_garp_send(int fd, unsigned ifindex, const uint8_t *frame, size_t len);

/*
 * Build and send the announcement for one address a (either family)
 * from interface ifindex, looking up the interface's MAC (and, for
 * IPv6, its link-local source address).  Returns 0, or -1 with errno.
 */
int hk_announce(int fd, unsigned ifindex, const struct hk_addr *a);

#endif
