/*
 * ipvsctl's model of the IPVS tables: services, destinations, and the
 * changes made to them, shared by the parsers, the netlink layer, the
 * planner (restore/apply) and the printers.
 */
#ifndef IPVS_H
#define IPVS_H

#include "addr.h"
#include "parse.h"

#include <linux/ip_vs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ipvsadm's defaults, kept so that files move between the two tools. */
#define IPVS_DEF_SCHED "wlc"
#define IPVS_DEF_PERSIST 360		/* seconds: ipvsadm's -p with no value */
#define IPVS_MAX_PERSIST (86400 * 31)
#define IPVS_MAX_WEIGHT 65535
#define IPVS_MAX_THRESH 2147483647u

/* The scheduler flags a user may set (IP_VS_SVC_F_SCHED1..3). */
#define IPVS_SCHED_FLAGS (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)

struct ipvs_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

struct ipvs_service {
	/* The key: (af, protocol, addr, port) or (af, fwmark). */
	int af;			/* AF_INET or AF_INET6 */
	uint16_t protocol;	/* IPPROTO_TCP, _UDP, _SCTP; 0 for fwmark */
	struct hk_addr addr;	/* unset (family 0) for fwmark */
	uint16_t port;		/* host order */
	uint32_t fwmark;	/* non-zero for a fwmark service */
	/* What can be changed in place. */
	char sched[IP_VS_SCHEDNAME_MAXLEN];
	char pe[IP_VS_PENAME_MAXLEN];	/* "" for none */
	uint32_t flags;		/* IP_VS_SVC_F_PERSISTENT, _ONEPACKET, _SCHED1-3 */
	uint32_t timeout;	/* persistence, seconds */
	uint32_t netmask;	/* IPv4: mask in network order; IPv6: prefix length */
	struct ipvs_stats stats;	/* filled by dumps only */
};

struct ipvs_dest {
	struct hk_addr addr;	/* may differ in family from its service (tunnels) */
	uint16_t port;		/* host order */
	uint32_t fwd;		/* IP_VS_CONN_F_MASQ, _DROUTE, _TUNNEL, _LOCALNODE */
	uint32_t weight;
	uint32_t uthresh, lthresh;
	uint8_t tun_type;	/* IP_VS_CONN_F_TUNNEL_TYPE_* */
	uint16_t tun_port;	/* host order; GUE only */
	uint16_t tun_flags;	/* IP_VS_TUNNEL_ENCAP_FLAG_* */
	/* Filled by dumps only. */
	uint32_t active, inactive, persist;
	struct ipvs_stats stats;
};

/* ---------------------------------------------------------------- rules */

enum ipvs_op {
	IPVS_OP_NONE = 0,
	IPVS_OP_ADD_SVC,	/* -A */
	IPVS_OP_SET_SVC,	/* -E */
	IPVS_OP_DEL_SVC,	/* -D */
	IPVS_OP_ADD_DEST,	/* -a */
	IPVS_OP_SET_DEST,	/* -e */
	IPVS_OP_DEL_DEST,	/* -d */
	IPVS_OP_FLUSH,		/* -C */
};

/* Which attributes a rule gave explicitly (for `set`, which changes
 * only those). */
enum {
	IPVS_G_SCHED = 1 << 0,
	IPVS_G_PERSIST = 1 << 1,	/* persistent (on or off) */
	IPVS_G_NETMASK = 1 << 2,
	IPVS_G_PE = 1 << 3,
	IPVS_G_OPS = 1 << 4,
	IPVS_G_FLAGS = 1 << 5,		/* scheduler flags */
	IPVS_G_FWD = 1 << 6,
	IPVS_G_WEIGHT = 1 << 7,
	IPVS_G_UTHRESH = 1 << 8,
	IPVS_G_LTHRESH = 1 << 9,
	IPVS_G_TUN = 1 << 10,
	IPVS_G_DPORT = 1 << 11,		/* the destination's port was written */
};

/* One parsed change: a restore line or a command line. */
struct ipvs_rule {
	enum ipvs_op op;
	unsigned given;		/* IPVS_G_* */
	struct ipvs_service svc;
	struct ipvs_dest dest;
	unsigned line;		/* 1-based line number in its input; 0 for argv */
};

/* Parse options. */
enum {
	/* Accept host and service names (getaddrinfo, getservbyname).
	 * Without it only numbers are accepted and nothing is looked up. */
	IPVS_PARSE_NAMES = 1 << 0,
};

/*
 * Parse one line of ipvsadm's -S/-R format ("-A -t 192.0.2.1:80 -s wrr",
 * "-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2", with or without a
 * leading "ipvsadm" word), and complete it with ipvsadm's defaults.
 * A pure function of its input (unless IPVS_PARSE_NAMES), for the
 * fuzzer.  Returns 1 and fills *r for a rule, 0 for a blank or comment
 * line, or -1 with errno EINVAL/ERANGE and e->msg naming the bad word.
 */
int ipvs_parse_line(const char *line, unsigned flags, struct ipvs_rule *r,
		    struct hk_err *e);

/*
 * Parse a service as the command line gives it, starting at argv[*i]:
 * "tcp|udp|sctp ADDR[:PORT]" or "fwmark N [ipv6]".  Advances *i past
 * it.  Returns 0, or -1 with e->msg.
 */
int ipvs_parse_svc_words(char **argv, int argc, int *i, unsigned flags,
			 struct ipvs_service *s, struct hk_err *e);

/*
 * Parse the command line's service options from argv[*i] on ("sched
 * wrr", "persistent [S]", "netmask M", "flags a,b", "ops", "pe NAME")
 * into r, marking r->given.  Returns 0, or -1 with e->msg.
 */
int ipvs_parse_svc_opts(char **argv, int argc, int *i, struct ipvs_rule *r,
			struct hk_err *e);

/* The same for a destination: "RADDR[:PORT] [mode dr|nat|tun] [weight W]
 * [uthreshold N] [lthreshold N]"; opts=false parses the address only. */
int ipvs_parse_dest_words(char **argv, int argc, int *i, unsigned flags,
			  bool opts, struct ipvs_rule *r, struct hk_err *e);

/*
 * Fill what a rule left out with ipvsadm's defaults (scheduler wlc,
 * netmask /32 or /128, DR, weight 1, the service's port for a
 * destination without one) and check that the whole is coherent
 * (persistence for a port-0 service, thresholds, one-packet only for
 * UDP...).  Returns 0, or -1 with e->msg.
 */
int ipvs_rule_finish(struct ipvs_rule *r, struct hk_err *e);

/* Check a whole service / destination (of service s) for what the
 * kernel would refuse or ipvsadm forbids.  Returns 0 or -1 with e->msg. */
int ipvs_svc_check(const struct ipvs_service *s, struct hk_err *e);
int ipvs_dest_check(const struct ipvs_service *s, const struct ipvs_dest *d, struct hk_err *e);

/* Scheduler flag names for sched: "sh-fallback,sh-port" etc. into buf
 * (at least 64 bytes).  Returns buf. */
const char *ipvs_sched_flags_str(const char *sched, uint32_t flags, char *buf, size_t len);

/* "TCP 192.0.2.1:80", "FWM 6", "FWM 7 IPv6": how messages name a
 * service.  buf of IPVS_SVCSTRLEN bytes. */
#define IPVS_SVCSTRLEN 80
const char *ipvs_svc_str(const struct ipvs_service *s, char *buf);

/* "198.51.100.1:80", "[2001:db8::1]:80". buf of HK_ADDRSTRLEN bytes. */
const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf);

/* Order of services and destinations in listings: fwmark services
 * last, then family, protocol, address, port (ipvsadm's order). */
int ipvs_svc_cmp(const struct ipvs_service *a, const struct ipvs_service *b);
int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* Whether two services have the same in-place attributes (scheduler,
 * flags, persistence, netmask, pe); a netmask and timeout without
 * persistence do not count. */
bool ipvs_svc_same_attrs(const struct ipvs_service *a, const struct ipvs_service *b);
bool ipvs_dest_same_attrs(const struct ipvs_dest *a, const struct ipvs_dest *b);

/* ---------------------------------------------------------------- table */

struct ipvs_entry {
	struct ipvs_service svc;
	struct ipvs_dest *dests;
	size_t ndests, capdests;
	unsigned line;		/* where it came from, for parsed tables */
	unsigned *dest_lines;	/* per destination, for parsed tables */
};

struct ipvs_table {
	struct ipvs_entry *v;
	size_t n, cap;
};

void ipvs_table_free(struct ipvs_table *t);
/* Sort services and each service's destinations (ipvs_*_cmp). */
void ipvs_table_sort(struct ipvs_table *t);
/* The entry for service key s, or NULL (the table must be sorted). */
struct ipvs_entry *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *s);
/* The index of destination d in e, or -1 (e's dests must be sorted). */
long ipvs_entry_find_dest(const struct ipvs_entry *e, const struct ipvs_dest *d);
/* Append; return the new entry / 0, or NULL / -1 with errno ENOMEM. */
struct ipvs_entry *ipvs_table_add(struct ipvs_table *t, const struct ipvs_service *s);
int ipvs_entry_add_dest(struct ipvs_entry *e, const struct ipvs_dest *d, unsigned line);
/* Remove service i / destination j (order kept). */
void ipvs_table_del(struct ipvs_table *t, size_t i);
void ipvs_entry_del_dest(struct ipvs_entry *e, size_t j);
/* A deep copy; 0 or -1 with errno ENOMEM. */
int ipvs_table_copy(struct ipvs_table *dst, const struct ipvs_table *src);

/* ----------------------------------------------------------- changes */

/* One request to the kernel. */
struct ipvs_change {
	enum ipvs_op op;
	struct ipvs_service svc;
	struct ipvs_dest dest;
	unsigned line;		/* input line it comes from (0: none) */
};

struct ipvs_plan {
	struct ipvs_change *v;
	size_t n, cap;
};

void ipvs_plan_free(struct ipvs_plan *p);
int ipvs_plan_push(struct ipvs_plan *p, enum ipvs_op op, const struct ipvs_service *s,
		   const struct ipvs_dest *d, unsigned line);

/*
 * A transaction: the requests to make, in order, and the simulation of
 * the table they make (sim: the table as it will be once they all are).
 */
struct ipvs_tx {
	struct ipvs_plan todo;
	struct ipvs_table sim;
};

/* Start a transaction on a table that is now cur (copied).  Returns 0
 * or -1 with errno ENOMEM. */
int ipvs_tx_init(struct ipvs_tx *tx, const struct ipvs_table *cur);
void ipvs_tx_free(struct ipvs_tx *tx);

/* Add a request and play it on the simulation.  Returns 0 or -1 with
 * errno ENOMEM. */
int ipvs_tx_push(struct ipvs_tx *tx, enum ipvs_op op, const struct ipvs_service *s,
		 const struct ipvs_dest *d, unsigned line);

/*
 * Check the rules of a restore against the simulated table and push
 * their requests.  A rule that cannot succeed (adding a service that
 * exists, a destination to a service that does not...) is an error
 * naming its line.  Returns 0, or -1 with e->msg.
 */
int ipvs_plan_restore(struct ipvs_tx *tx, const struct ipvs_rule *r, size_t n,
		      struct hk_err *e);

/*
 * Build the desired table from apply's rules (only -A and -a; a service
 * or destination given twice is an error naming both lines).  Returns 0
 * or -1 with e->msg.
 */
int ipvs_desired_table(const struct ipvs_rule *r, size_t n, struct ipvs_table *want,
		       struct hk_err *e);
/* The same one rule at a time, into a table that starts zeroed: what
 * apply does as it reads, so that its input is never held whole. */
int ipvs_desired_add(struct ipvs_table *want, const struct ipvs_rule *r, struct hk_err *e);

/*
 * Append to p the fewest requests that turn table cur into want:
 * services and destinations missing are added, those that differ are
 * changed in place (a weight change is a SET, so connections survive),
 * destinations not wanted are deleted, and services not wanted only if
 * all is set (apply manages only the services its input lists).  Adds
 * and changes come first, deletions last.  Returns 0 or -1 with errno
 * ENOMEM.
 */
int ipvs_plan_diff(const struct ipvs_table *cur, const struct ipvs_table *want, bool all,
		   struct ipvs_plan *p);

/* Apply the change c to the in-memory table t, as the kernel would.
 * Returns 0, or -1 with errno ENOMEM. */
int ipvs_table_apply(struct ipvs_table *t, const struct ipvs_change *c);

/* A sentence for the kernel's refusal err (positive errno) of c, into
 * buf; returns buf. */
const char *ipvs_change_error(const struct ipvs_change *c, int err, char *buf, size_t len);

#endif
