/*
 * Virtual IP addresses over rtnetlink, with libnl-route-3: add, delete
 * and list the addresses of an interface, IPv4 and IPv6.  Every request
 * waits for the kernel's acknowledgement; a refusal comes back as the
 * kernel's errno plus, where the kernel gave one, its own sentence
 * (extended ack), available from hk_nl_error().
 */
#ifndef HK_VIP_H
#define HK_VIP_H

#include "addr.h"

#include <net/if.h>
#include <stdint.h>

struct hk_nl;

struct hk_vip {
	struct hk_prefix pfx;
	unsigned ifindex;
	char label[IFNAMSIZ];	/* IPv4 only; "" for none */
	uint8_t scope;		/* RT_SCOPE_UNIVERSE (0), _LINK (253), _HOST (254) */
	uint32_t flags;		/* IFA_F_* (IFA_F_NODAD for IPv6 VIPs) */
};

/*
 * Open a routing netlink socket.  Returns it, or NULL with errno set
 * (from socket(2)/connect, or ENOMEM).
 */
struct hk_nl *hk_nl_open(void);
void hk_nl_close(struct hk_nl *nl);

/*
 * A sentence for the last failed request on nl: the kernel's
 * extended-ack message if it sent one, else strerror of its errno.
 */
const char *hk_nl_error(const struct hk_nl *nl);

/*
 * Add v (with NLM_F_EXCL: an address already present is an error).
 * Returns 0, or a negative errno: -EEXIST if the address is already on
 * the interface, -ENODEV for an unknown interface, -EINVAL for a
 * request the kernel rejected, ...
 */
int hk_vip_add(struct hk_nl *nl, const struct hk_vip *v);

/*
 * Delete v (matched on interface, address and prefix length).  Returns
 * 0, or a negative errno: -EADDRNOTAVAIL if it is not there.
 */
int hk_vip_del(struct hk_nl *nl, const struct hk_vip *v);

/*
 * Call cb for each address of family (AF_UNSPEC for both) on ifindex
 * (0 for every interface), in the kernel's order.  cb returns 0 to go on
 * or non-zero to stop (that value is returned).  Returns 0, or a negative
 * errno if the dump failed.
 */
int hk_vip_list(struct hk_nl *nl, int family, unsigned ifindex,
		int (*cb)(const struct hk_vip *v, void *arg), void *arg);

/*
 * 1 if the interface holds exactly this address and prefix length,
 * 0 if not, a negative errno on failure.
 */
int hk_vip_present(struct hk_nl *nl, const struct hk_vip *v);

#endif
