#include "parse.h"
#include "clock.h"
#include "exitcode.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int usage_exit = HK_EXIT_USAGE;

int hk_err_set(struct hk_err *e, int err, const char *fmt, ...)
{
	if (e) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	errno = err;
	return -1;
}

/* Quote at most 64 bytes of user input in a message, so that a
 * megabyte-long argument does not become a megabyte-long log line. */
#define Q(s) (int)(strlen(s) > 64 ? 64 : strlen(s)), (s)

static int digits_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return 1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int hk_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  struct hk_err *e)
{
	uint64_t v = 0;
	int r = digits_u64(s, &v);

	if (r < 0)
		return hk_err_set(e, EINVAL, "'%.*s' is not a whole number", Q(s));
	if (r > 0 || v < min || v > max)
		return hk_err_set(e, ERANGE, "'%.*s' is out of range %" PRIu64 "-%" PRIu64,
				  Q(s), min, max);
	*out = v;
	return 0;
}

int hk_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		 struct hk_err *e)
{
	int neg = s[0] == '-';
	uint64_t mag = 0;
	int64_t v;
	int r = digits_u64(s + neg, &mag);

	if (r < 0)
		return hk_err_set(e, EINVAL, "'%.*s' is not a whole number", Q(s));
	if (r > 0 || mag > (uint64_t)INT64_MAX + neg)
		goto range;
	v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	if (v < min || v > max)
		goto range;
	*out = v;
	return 0;
range:
	return hk_err_set(e, ERANGE, "'%.*s' is out of range %" PRId64 "..%" PRId64,
			  Q(s), min, max);
}

/* Format microseconds as seconds without trailing zeros: 10000 -> "0.01". */
static void fmt_secs(char *buf, size_t len, uint64_t us)
{
	int n = snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, us / HK_USEC_PER_SEC,
			 us % HK_USEC_PER_SEC);

	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
}

int hk_parse_secs(const char *s, uint64_t min_us, uint64_t max_us,
		  uint64_t *out_us, struct hk_err *e)
{
	uint64_t whole = 0, frac = 0;
	const char *p = s;
	int ndig = 0, nfrac = 0;
	char lo[32], hi[32];

	for (; *p >= '0' && *p <= '9'; p++, ndig++) {
		if (whole > UINT64_MAX / 10 / HK_USEC_PER_SEC)
			goto range;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
			if (nfrac == 6)
				return hk_err_set(e, EINVAL,
					"'%.*s' has more than six decimals", Q(s));
			frac = frac * 10 + (uint64_t)(*p - '0');
		}
		if (nfrac == 0)
			goto syntax;
	}
	if (*p != '\0' || ndig + nfrac == 0)
		goto syntax;
	for (int i = nfrac; i < 6; i++)
		frac *= 10;
	uint64_t us = whole * HK_USEC_PER_SEC + frac;

	if (us < min_us || us > max_us)
		goto range;
	*out_us = us;
	return 0;
syntax:
	return hk_err_set(e, EINVAL, "'%.*s' is not a number of seconds", Q(s));
range:
	fmt_secs(lo, sizeof(lo), min_us);
	fmt_secs(hi, sizeof(hi), max_us);
	return hk_err_set(e, ERANGE, "'%.*s' is out of range %s-%s seconds", Q(s), lo, hi);
}

static const char *family_name(int family)
{
	return family == AF_INET ? "an IPv4" : family == AF_INET6 ? "an IPv6"
								  : "an IPv4 or IPv6";
}

/*
 * A dotted quad exactly as inet_pton(AF_INET) takes it (four decimal
 * parts of 0-255, no leading zeros, nothing around them), without the
 * library's generic loop: restores and batch files hold tens of
 * thousands of these, and under emulation each instruction counts.
 */
static bool parse_v4(const char *s, struct in_addr *out)
{
	uint8_t b[4];
	unsigned v = 0, parts = 0;
	bool digit = false;

	for (;; s++) {
		char c = *s;

		if (c >= '0' && c <= '9') {
			if (digit && v == 0)
				return false;
			v = v * 10 + (unsigned)(c - '0');
			if (v > 255)
				return false;
			digit = true;
		} else if ((c == '.' || c == '\0') && digit && parts < 4) {
			b[parts++] = (uint8_t)v;
			if (c == '\0')
				break;
			v = 0;
			digit = false;
		} else {
			return false;
		}
	}
	if (parts != 4)
		return false;
	memcpy(out, b, 4);
	return true;
}

int hk_parse_addr(const char *s, int family, struct hk_addr *out,
		  struct hk_err *e)
{
	struct hk_addr a;

	memset(&a, 0, sizeof(a));
	if (family != AF_INET6 && parse_v4(s, &a.v4))
		a.family = AF_INET;
	else if (family != AF_INET && inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	else
		return hk_err_set(e, EINVAL, "'%.*s' is not %s address", Q(s),
				  family_name(family));
	*out = a;
	return 0;
}

int hk_parse_prefix(const char *s, int family, struct hk_prefix *out,
		    struct hk_err *e)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	struct hk_prefix p;
	uint64_t plen;

	if (alen >= sizeof(buf))
		return hk_err_set(e, EINVAL, "'%.*s' is not %s address", Q(s),
				  family_name(family));
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (hk_parse_addr(buf, family, &p.addr, NULL) < 0)
		return hk_err_set(e, EINVAL, "'%.*s' is not %s address", Q(s),
				  family_name(family));
	p.plen = p.addr.family == AF_INET ? 32 : 128;
	if (slash) {
		if (hk_parse_uint(slash + 1, 0, p.plen, &plen, NULL) < 0)
			return hk_err_set(e, errno, "'%.*s': prefix length '%.*s' must be 0-%u",
					  Q(s), Q(slash + 1), p.plen);
		p.plen = (uint8_t)plen;
	}
	*out = p;
	return 0;
}

int hk_parse_addrport(const char *s, struct hk_addr *a, uint16_t *port,
		      int port_optional, struct hk_err *e)
{
	char buf[INET6_ADDRSTRLEN + 2];
	const char *addr = s, *ps = NULL;
	size_t alen;
	uint64_t v;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			goto bad;
		addr = s + 1;
		alen = (size_t)(close - addr);
		if (close[1] == ':')
			ps = close + 2;
		else if (close[1] != '\0')
			goto bad;
	} else {
		const char *colon = strrchr(s, ':');

		/* More than one colon and no brackets: a bare IPv6 address. */
		if (colon && strchr(s, ':') != colon)
			colon = NULL;
		alen = colon ? (size_t)(colon - s) : strlen(s);
		if (colon)
			ps = colon + 1;
	}
	if (alen == 0 || alen >= sizeof(buf))
		goto bad;
	memcpy(buf, addr, alen);
	buf[alen] = '\0';
	if (hk_parse_addr(buf, AF_UNSPEC, a, NULL) < 0)
		return hk_err_set(e, EINVAL, "'%.*s' is not an IPv4 or IPv6 address", Q(buf));
	if (s[0] == '[' && a->family != AF_INET6)
		goto bad;
	if (!ps) {
		if (port_optional)
			return 0;
		return hk_err_set(e, EINVAL, "'%.*s' has no port (ADDR:PORT, [ADDR6]:PORT)",
				  Q(s));
	}
	if (hk_parse_uint(ps, 1, 65535, &v, NULL) < 0)
		return hk_err_set(e, errno, "'%.*s': port '%.*s' must be 1-65535", Q(s), Q(ps));
	*port = (uint16_t)v;
	return 0;
bad:
	return hk_err_set(e, EINVAL, "'%.*s' is not ADDR:PORT or [ADDR6]:PORT", Q(s));
}

int hk_parse_ifname(const char *s, unsigned *ifindex, struct hk_err *e)
{
	size_t n = strlen(s);

	if (n == 0)
		return hk_err_set(e, EINVAL, "empty interface name");
	if (n >= IFNAMSIZ)
		return hk_err_set(e, ENAMETOOLONG,
				  "interface name '%.*s' is longer than %d bytes",
				  Q(s), IFNAMSIZ - 1);
	for (const char *p = s; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    !isprint((unsigned char)*p))
			return hk_err_set(e, EINVAL, "'%.*s' is not a valid interface name", Q(s));
	if (!ifindex)
		return 0;
	unsigned idx = if_nametoindex(s);

	if (idx == 0)
		return hk_err_set(e, ENODEV, "unknown interface '%s'", s);
	*ifindex = idx;
	return 0;
}

void hk_set_usage_exit(int code)
{
	usage_exit = code;
}

int hk_usage_exit(void)
{
	return usage_exit;
}

uint64_t hk_opt_uint(const char *opt, const char *s, uint64_t min, uint64_t max)
{
	struct hk_err e;
	uint64_t v;

	if (hk_parse_uint(s, min, max, &v, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
	return v;
}

int64_t hk_opt_int(const char *opt, const char *s, int64_t min, int64_t max)
{
	struct hk_err e;
	int64_t v;

	if (hk_parse_int(s, min, max, &v, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
	return v;
}

uint64_t hk_opt_secs(const char *opt, const char *s, uint64_t min_us, uint64_t max_us)
{
	struct hk_err e;
	uint64_t v;

	if (hk_parse_secs(s, min_us, max_us, &v, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
	return v;
}

void hk_opt_addr(const char *opt, const char *s, int family, struct hk_addr *out)
{
	struct hk_err e;

	if (hk_parse_addr(s, family, out, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
}

void hk_opt_prefix(const char *opt, const char *s, int family, struct hk_prefix *out)
{
	struct hk_err e;

	if (hk_parse_prefix(s, family, out, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
}

unsigned hk_opt_ifname(const char *opt, const char *s)
{
	struct hk_err e;
	unsigned idx;

	if (hk_parse_ifname(s, &idx, &e) < 0)
		hk_die(usage_exit, "%s: %s", opt, e.msg);
	return idx;
}

static int hex_val(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long hk_parse_hex(const char *s, unsigned char *data, unsigned char *mask, size_t cap,
		  bool wild, struct hk_err *e)
{
	size_t n = 0;

	for (const char *p = s;;) {
		unsigned v = 0, m = 0;
		int digits = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (digits < 2 && *p && *p != ' ' && *p != '\t') {
			int h = hex_val((unsigned char)*p);

			if (h < 0 && !(wild && (*p == 'x' || *p == 'X')))
				return hk_err_set(e, EINVAL, "'%s': '%c' at %zu is not a hex digit%s",
						  s, *p, (size_t)(p - s) + 1,
						  wild ? " or x" : "");
			v = v << 4 | (h < 0 ? 0 : (unsigned)h);
			m = m << 4 | (h < 0 ? 0xf : 0);
			digits++;
			p++;
		}
		if (n == cap)
			return hk_err_set(e, EINVAL, "'%.40s...' is longer than %zu bytes", s, cap);
		data[n] = (unsigned char)v;
		if (mask)
			mask[n] = (unsigned char)m;
		n++;
	}
	if (n == 0)
		return hk_err_set(e, EINVAL, "'%s' holds no hex digits", s);
	return (long)n;
}
