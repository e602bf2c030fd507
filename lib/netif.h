/*
 * Facts about a local interface that several tools need: its hardware
 * address, its state, and the address it would speak from.
 */
#ifndef HK_NETIF_H
#define HK_NETIF_H

#include "addr.h"

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy the interface's 6-byte Ethernet address into mac.  Returns 0,
 * or -1 with errno from ioctl(SIOCGIFHWADDR), or EAFNOSUPPORT if the
 * interface is not Ethernet-like. */
int hk_if_hwaddr(unsigned ifindex, uint8_t mac[6]);

/* Put the interface's name in name (IFNAMSIZ bytes).  Returns 0, or -1
 * with errno ENODEV. */
int hk_if_name(unsigned ifindex, char *name);

/* 1 if the interface is administratively up and has carrier (IFF_UP
 * and IFF_RUNNING), 0 if not, -1 with errno on error. */
int hk_if_is_running(unsigned ifindex);

/*
 * The interface's first address of family (AF_INET: its primary IPv4
 * address; AF_INET6: its link-local address), skipping the nskip
 * addresses in skip (the VIPs a router adds itself, so that a VIP is
 * never taken for the primary address).  Returns 0, or -1 with errno
 * EADDRNOTAVAIL when there is none, or errno from getifaddrs(3).
 */
int hk_if_primary_addr(unsigned ifindex, int family, const struct hk_addr *skip,
		       size_t nskip, struct hk_addr *out);

#endif
