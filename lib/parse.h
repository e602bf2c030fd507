/*
 * Strict parsing of what users type: numbers with bounds (the strtonum
 * idea: no atoi, no unchecked strtoul), durations in seconds with
 * fractions, addresses, prefixes, ADDR:PORT and interface names.
 *
 * Every parser returns 0 on success, or -1 with errno set (EINVAL for
 * bad syntax, ERANGE for a value out of bounds, ENODEV for an unknown
 * interface, ENAMETOOLONG for a too-long name) and, if e is not NULL,
 * a sentence in e->msg that names the bad value, e.g.
 * "'300' is out of range 1-255".  Callers prefix their context:
 * "vrrpd: --priority: '300' is out of range 1-255".
 */
#ifndef HK_PARSE_H
#define HK_PARSE_H

#include "addr.h"
#include "log.h"

#include <stdint.h>

struct hk_err {
	char msg[256];
};

/* Set e->msg (if e is not NULL) and errno; returns -1 for tail calls. */
int hk_err_set(struct hk_err *e, int err, const char *fmt, ...) HK_PRINTF(3, 4);

/* A decimal whole number in [min, max]; no sign, spaces or suffix. */
int hk_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  struct hk_err *e);

/* A decimal whole number in [min, max], optionally starting with '-'. */
int hk_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		 struct hk_err *e);

/*
 * Seconds, whole or with up to six decimals ("1", "0.01", "2.5"), into
 * microseconds in [min_us, max_us].
 */
int hk_parse_secs(const char *s, uint64_t min_us, uint64_t max_us,
		  uint64_t *out_us, struct hk_err *e);

/*
 * An IPv4 or IPv6 address in the usual text form.  family is AF_INET,
 * AF_INET6 or AF_UNSPEC for either.  IPv6 zone suffixes ("%eth0") are
 * refused: the interface is always given on its own.
 */
int hk_parse_addr(const char *s, int family, struct hk_addr *out,
		  struct hk_err *e);

/*
 * "ADDR[/PLEN]": PLEN defaults to the host length (32 or 128).  The
 * address keeps its host bits (a VIP is an address, not a network).
 */
int hk_parse_prefix(const char *s, int family, struct hk_prefix *out,
		    struct hk_err *e);

/*
 * "ADDR:PORT" or "[ADDR6]:PORT" with PORT in 1-65535.  A bare IPv6
 * address with a port must be bracketed.  If port_optional is set, a
 * lone address is accepted and *port is left untouched.
 */
int hk_parse_addrport(const char *s, struct hk_addr *a, uint16_t *port,
		      int port_optional, struct hk_err *e);

/*
 * An interface name: 1 to IFNAMSIZ-1 bytes, no '/', ':' or white space.
 * If ifindex is not NULL the interface must also exist (in the current
 * network namespace) and *ifindex receives its index.
 */
int hk_parse_ifname(const char *s, unsigned *ifindex, struct hk_err *e);

/*
 * Command-line wrappers: parse, or print "prog: OPT: message" and exit
 * with the usage code (2, or 3 for probes: see hk_set_usage_exit()).
 */
void hk_set_usage_exit(int code);
int hk_usage_exit(void);
uint64_t hk_opt_uint(const char *opt, const char *s, uint64_t min, uint64_t max);
int64_t hk_opt_int(const char *opt, const char *s, int64_t min, int64_t max);
uint64_t hk_opt_secs(const char *opt, const char *s, uint64_t min_us, uint64_t max_us);
void hk_opt_addr(const char *opt, const char *s, int family, struct hk_addr *out);
void hk_opt_prefix(const char *opt, const char *s, int family, struct hk_prefix *out);
unsigned hk_opt_ifname(const char *opt, const char *s);

/*
 * keepalived's hex strings (UDP_CHECK payload and require_reply): hex
 * digits in pairs, blanks between octets, a lone digit before a blank
 * or the end is an octet of its own; with wild, 'x' is a nibble that
 * matches anything (its mask bits set).  Returns the number of octets
 * (at most cap), or -1 with e->msg naming the bad character.
 */
long hk_parse_hex(const char *s, unsigned char *data, unsigned char *mask, size_t cap,
		  bool wild, struct hk_err *e);


#endif
