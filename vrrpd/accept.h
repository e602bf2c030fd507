/*
 * --no-accept (RFC 5798 Accept_Mode False): a master that is not the
 * address owner drops packets addressed to the VIPs, except IPv6
 * neighbour discovery, which must go on working for them.  The rule
 * lives in an nftables table of the instance's own, made at start-up
 * (it matters only while the VIPs are here, that is while master),
 * replaced when a reload changes the VIPs and deleted on exit.  nft(8)
 * does the work: it runs at those three moments only, never on a
 * transition.
 */
#ifndef VRRP_ACCEPT_H
#define VRRP_ACCEPT_H

#include "conf.h"

#include <stddef.h>

/* The table's name for c: "hakit_vrrp4_IFINDEX_VRID" (vrrp6 for IPv6). */
void vrrp_accept_table(const struct vrrp_conf *c, char *buf, size_t len);

/*
 * The nft(8) script that replaces the table with one dropping what is
 * addressed to c's VIPs, into a malloc'ed string.  Returns it, or NULL
 * if memory ran out.
 */
char *vrrp_accept_script(const struct vrrp_conf *c);

/*
 * Run nft -f - with script on its standard input.  wait: wait for it (at
 * most 5 s) and return 0, or -1 with e holding what nft said; else
 * return its pid at once (the caller reaps it) or -1 with e set.
 */
int vrrp_accept_nft(const char *script, int wait, struct hk_err *e);

#endif
