/*
 * --vmac: the instance speaks from a macvlan interface (private mode)
 * over its interface, whose MAC is the VRRP virtual MAC
 * 00-00-5E-00-01-{VRID} (IPv6: 00-00-5E-00-02-{VRID}), as keepalived's
 * use_vmac: adverts, gratuitous ARPs and the VIPs then carry that MAC,
 * and a takeover needs no ARP cache to be updated.  The sysctls are
 * keepalived's: on the VMAC arp_ignore=1, accept_local=1, rp_filter=0
 * (and IPv6 off for an IPv4 instance; for IPv6 no address generated,
 * the parent's link-local address added); on the parent arp_ignore=1
 * and arp_filter=1, so that it never answers for the VIPs.
 */
#ifndef VRRP_VMAC_H
#define VRRP_VMAC_H

#include "addr.h"
#include "parse.h"
#include "vip.h"

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct vrrp_vmac {
	char name[IFNAMSIZ];
	unsigned ifindex;	/* 0: not made */
	unsigned base;		/* the parent's index */
	char base_name[IFNAMSIZ];
	int family;
	bool created;		/* by us (else taken over from a killed run) */
	int saved_arp_ignore, saved_arp_filter;	/* the parent's, -1 unchanged */
};

/* The virtual MAC for family and vrid. */
void vrrp_vmac_mac(int family, uint8_t vrid, uint8_t mac[6]);

/*
 * Make the VMAC name on base_ifindex for family/vrid (or take over one
 * a killed run left, with the same parent and MAC), set the sysctls,
 * for IPv6 add ll (the parent's link-local address) to it, and bring it
 * up.  Refuses an existing interface of that name that is not such a
 * VMAC.  Returns 0 with v filled in, or -1 with e set (nothing left
 * behind).
 */
int vrrp_vmac_up(struct vrrp_vmac *v, struct hk_nl *nl, const char *name, unsigned base_ifindex,
		 int family, uint8_t vrid, const struct hk_addr *ll, struct hk_err *e);

/* Delete it, and give the parent back its ARP settings if no other
 * VRRP VMAC remains on it. */
void vrrp_vmac_down(struct vrrp_vmac *v);

#endif
