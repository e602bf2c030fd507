/*
 * The kernel's IPVS tables over generic netlink (family "IPVS"), with
 * libnl-genl-3.  Every change asks for an acknowledgement; changes are
 * sent in batches (many requests in one sendmsg) and each request's
 * answer is matched by its sequence number, so a refusal is known per
 * request.  Functions return 0 or a negative errno (the kernel's, or
 * from the socket); ipvs_nl_kmsg() gives the kernel's own sentence
 * for the last refusal when it sent one.
 */
#ifndef IPVS_NL_H
#define IPVS_NL_H

#include "ipvs.h"

struct ipvs_nl;

/*
 * Connect and resolve the family, loading ip_vs with the kernel's
 * modprobe if the family is missing.  Returns NULL with e->msg set.
 */
struct ipvs_nl *ipvs_nl_open(struct hk_err *e);
void ipvs_nl_close(struct ipvs_nl *nl);

/* Whether dumps parse the counters (on by default; restore and apply
 * do not need them). */
void ipvs_nl_stats(struct ipvs_nl *nl, bool on);

/* The kernel's sentence (extended ack) for the last refusal, or "". */
const char *ipvs_nl_kmsg(const struct ipvs_nl *nl);

/* IPVS version (0x010201 for 1.2.1) and connection table size. */
int ipvs_nl_info(struct ipvs_nl *nl, uint32_t *version, uint32_t *size);

/* Read every service and its destinations, sorted (ipvs_table_sort). */
int ipvs_nl_get_table(struct ipvs_nl *nl, struct ipvs_table *t);

/* Read one service (key in *s; attributes and statistics filled in).
 * -ESRCH if it does not exist. */
int ipvs_nl_get_service(struct ipvs_nl *nl, struct ipvs_service *s);

/* Read the destinations of service s into e (sorted). */
int ipvs_nl_get_dests(struct ipvs_nl *nl, const struct ipvs_service *s, struct ipvs_entry *e);

/*
 * Make the n changes in order.  res[i] receives 0 when change i was
 * made, its positive errno when the kernel refused it, or -1 when it
 * was not sent: with stop set, no batch is sent after one holding a
 * refusal (later changes in that same batch were sent, and res says
 * how each went).  Returns the number of refusals, or a negative errno
 * if the socket failed (res then tells what is known).
 */
int ipvs_nl_exec(struct ipvs_nl *nl, const struct ipvs_change *c, size_t n, int *res,
		 bool stop);

/* Timeouts in seconds: tcp, tcpfin, udp.  In set, 0 leaves one as is. */
int ipvs_nl_get_timeouts(struct ipvs_nl *nl, uint32_t t[3]);
int ipvs_nl_set_timeouts(struct ipvs_nl *nl, const uint32_t t[3]);

/* Zero the counters of service s, or of all if s is NULL. */
int ipvs_nl_zero(struct ipvs_nl *nl, const struct ipvs_service *s);

struct ipvs_daemon {
	uint32_t state;		/* IP_VS_STATE_MASTER or _BACKUP */
	char ifname[IP_VS_IFNAME_MAXLEN];
	uint32_t syncid;
	uint16_t maxlen;	/* 0: unknown (older kernels) */
	struct hk_addr group;	/* family 0: unknown */
	uint16_t port;
	uint8_t ttl;
};

int ipvs_nl_daemon_start(struct ipvs_nl *nl, const struct ipvs_daemon *d);
int ipvs_nl_daemon_stop(struct ipvs_nl *nl, uint32_t state);
/* Up to two running daemons into d[]; *n receives how many. */
int ipvs_nl_daemon_list(struct ipvs_nl *nl, struct ipvs_daemon d[2], size_t *n);

#endif
