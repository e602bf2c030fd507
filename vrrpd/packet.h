/*
 * VRRP advertisements on the wire: building and parsing, as pure
 * functions over a buffer (no socket, no clock, no global state), so
 * that unit tests and the fuzzer drive them directly.
 *
 * IPv4 packets are whole IP datagrams (the raw socket sends with
 * IP_HDRINCL and receives the IP header); IPv6 packets are the VRRP
 * message alone, with the addresses and hop limit given beside it (the
 * kernel owns the IPv6 header and reports it as ancillary data).
 */
#ifndef VRRP_PACKET_H
#define VRRP_PACKET_H

#include "addr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_PROTO 112		/* IP protocol number */
#define VRRP_TTL 255		/* TTL / hop limit of every advert */
#define VRRP_TOS 0xc0		/* internetwork control, as keepalived sends */
#define VRRP_HDR_LEN 8		/* the fixed part of the VRRP message */
#define VRRP_AUTH_LEN 8		/* VRRPv2 authentication data (IPv4) */
#define VRRP_IP4_HDR_LEN 20
#define VRRP_PRIO_OWNER 255
#define VRRP_PRIO_STOP 0
#define VRRP_V2_MAX_INT 255	/* seconds */
#define VRRP_V3_MAX_INT 4095	/* centiseconds */
/* The most addresses one advert carries: the count is a byte, and an
 * IPv6 advert must fit a 1500-byte link (40 + 8 + 85 * 16 = 1408). */
#define VRRP_MAX_ADDRS_V4 255
#define VRRP_MAX_ADDRS_V6 85
/* Room for the largest packet vrrp_build() makes. */
#define VRRP_PKT_MAX (VRRP_IP4_HDR_LEN + VRRP_HDR_LEN + 4 * VRRP_MAX_ADDRS_V4 + VRRP_AUTH_LEN)

/* Why a received packet was dropped.  The names (vrrp_drop_name) are
 * the keys of the "dropped" object in the JSON dump. */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_SHORT,	/* shorter than the IP or VRRP header */
	VRRP_DROP_TRUNCATED,	/* IPv4 total length beyond what arrived */
	VRRP_DROP_IP_HEADER,	/* not IPv4, bad header length, not protocol 112 */
	VRRP_DROP_TTL,		/* TTL / hop limit not 255 (multicast) */
	VRRP_DROP_VERSION,	/* VRRP version other than the instance's */
	VRRP_DROP_TYPE,		/* not an advertisement (type 1) */
	VRRP_DROP_VRID,		/* another virtual router */
	VRRP_DROP_LENGTH,	/* length disagrees with the address count */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_AUTH,		/* v2 authentication type or password */
	VRRP_DROP_INTERVAL,	/* v2 interval differs from ours; v3 zero */
	VRRP_DROP_ADDR_LIST,	/* the virtual addresses differ from ours */
	VRRP_DROP_NOT_PEER,	/* unicast mode: sender is not a --unicast-peer */
	VRRP_DROP_OWN,		/* our own advert, looped back */
	VRRP_DROP_MAX
};

/* A short name ("ttl", "checksum") and a phrase for log lines. */
const char *vrrp_drop_name(enum vrrp_drop d);
const char *vrrp_drop_text(enum vrrp_drop d);

/* What a received packet must match. */
struct vrrp_expect {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t version;		/* 2 or 3 */
	uint8_t vrid;
	uint8_t v2_interval;		/* v2: our interval in seconds */
	uint8_t auth_type;		/* v2: 0 none, 1 simple password */
	uint8_t auth[VRRP_AUTH_LEN];	/* v2 password, zero-padded */
	bool check_ttl;			/* multicast: TTL must be 255 */
	bool v3_cksum_as_v2;		/* v3 over IPv4 without pseudo-header */
	const struct hk_addr *vips;	/* our advertised addresses, or NULL */
	size_t nvips;
};

/* What the kernel told us about a packet (ancillary data). */
struct vrrp_rxmeta {
	struct hk_addr src, dst;	/* IPv6 (IPv4 packets carry theirs) */
	int hoplimit;			/* IPv6; -1 if unknown */
	uint64_t rx_real_us;		/* arrival, CLOCK_REALTIME; 0 if unknown */
};

/* A parsed advertisement.  addrs points into the parsed buffer. */
struct vrrp_adv {
	struct hk_addr src, dst;
	int ttl;
	uint8_t version, vrid, priority, naddr;
	uint32_t interval_cs;		/* v3: as sent; v2: seconds * 100 */
	uint8_t auth_type;
	const uint8_t *addrs;		/* naddr addresses of 4 or 16 bytes */
};

/*
 * Check a received packet against exp and, if it is a valid advert for
 * us, fill out.  For AF_INET, buf is the IPv4 datagram (meta may be
 * NULL); for AF_INET6, buf is the VRRP message and meta gives the
 * addresses and hop limit.  Returns VRRP_OK or the reason to drop it;
 * out is only meaningful on VRRP_OK, except that out->src is set as soon
 * as it is known (for log lines).  Reads nothing outside buf[0..len).
 */
enum vrrp_drop vrrp_parse(const uint8_t *buf, size_t len, int family,
			  const struct vrrp_rxmeta *meta,
			  const struct vrrp_expect *exp, struct vrrp_adv *out);

/* What to put in an advert. */
struct vrrp_txparams {
	int family;
	uint8_t version, vrid, priority;
	uint32_t interval_cs;		/* centiseconds (v2: whole seconds * 100) */
	uint8_t auth_type;		/* v2 */
	uint8_t auth[VRRP_AUTH_LEN];
	const struct hk_addr *addrs;	/* the advertised addresses */
	size_t naddr;
	struct hk_addr src, dst;
	bool v3_cksum_as_v2;
	uint16_t ip_id;			/* IPv4 identification */
};

/*
 * Build an advert into buf (cap bytes): for IPv4 a whole datagram with
 * its header (TOS 0xc0, TTL 255, protocol 112, header checksum), for
 * IPv6 the VRRP message with its checksum over the pseudo-header.
 * Returns the length, or 0 if cap is too small or p is inconsistent (an
 * address of the wrong family, too many addresses).
 */
size_t vrrp_build(uint8_t *buf, size_t cap, const struct vrrp_txparams *p);

#endif
