/*
 * One type for an IPv4 or IPv6 address, so that code handling VIPs,
 * peers and real servers is written once for both families.
 */
#ifndef HK_ADDR_H
#define HK_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct hk_addr {
	sa_family_t family;	/* AF_INET or AF_INET6; 0 = unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

/* An address with a prefix length: a VIP as "ADDR/PLEN". */
struct hk_prefix {
	struct hk_addr addr;
	uint8_t plen;
};

/* Long enough for any address, an IPv6 one in brackets, and ":65535". */
#define HK_ADDRSTRLEN 56

/* Bytes of the address proper: 4 or 16 (0 if family is unset). */
size_t hk_addr_len(const struct hk_addr *a);

/* Format a as text into buf (HK_ADDRSTRLEN bytes) and return buf. */
const char *hk_addr_str(const struct hk_addr *a, char *buf);

/* "ADDR:PORT", IPv6 as "[ADDR]:PORT", into buf; returns buf. */
const char *hk_addrport_str(const struct hk_addr *a, uint16_t port, char *buf);

/*
 * Order two addresses: by family, then as unsigned numbers in network
 * byte order (the comparison VRRP uses to break priority ties).
 * Returns <0, 0 or >0.
 */
int hk_addr_cmp(const struct hk_addr *a, const struct hk_addr *b);
bool hk_addr_eq(const struct hk_addr *a, const struct hk_addr *b);

bool hk_addr_is_multicast(const struct hk_addr *a);
bool hk_addr_is_unspecified(const struct hk_addr *a);
bool hk_addr_is_v6_linklocal(const struct hk_addr *a);

/* Fill a sockaddr_in/in6 for a and port; returns its length. */
socklen_t hk_addr_to_sockaddr(const struct hk_addr *a, uint16_t port,
			      struct sockaddr_storage *ss);

/* Take the address (and port, if port is not NULL) out of a sockaddr.
 * Returns 0, or -1 with errno EAFNOSUPPORT for another family. */
int hk_addr_from_sockaddr(const struct sockaddr *sa, struct hk_addr *a,
			  uint16_t *port);

#endif
