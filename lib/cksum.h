/*
 * The Internet checksum (RFC 1071), with the IPv4/IPv6 pseudo-header
 * that VRRPv3 and ICMPv6 include.
 */
#ifndef HK_CKSUM_H
#define HK_CKSUM_H

#include "addr.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Add len bytes at data to the running 32-bit sum (start with 0).
 * Returns the new sum; fold it with hk_cksum_fold().  An odd length is
 * padded with a zero byte, as the RFC says.  Only the last chunk of a
 * sum may have an odd length.
 */
uint32_t hk_cksum_add(uint32_t sum, const void *data, size_t len);

/* Fold a running sum to 16 bits and complement it: the value to put in
 * the packet's checksum field, in network byte order. */
uint16_t hk_cksum_fold(uint32_t sum);

/*
 * The pseudo-header sum for an upper-layer packet of length len and
 * protocol proto between src and dst (both of one family): RFC 768
 * style for IPv4, RFC 8200 section 8.1 for IPv6.
 */
uint32_t hk_cksum_pseudo(const struct hk_addr *src, const struct hk_addr *dst,
			 uint8_t proto, uint32_t len);

#endif
