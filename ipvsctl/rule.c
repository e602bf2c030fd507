/*
 * Parsing services, destinations and ipvsadm's rule lines into
 * struct ipvs_rule, and the small naming and ordering helpers that go
 * with them.  Nothing here talks to the kernel.
 */
#include "ipvs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The schedulers of Linux IPVS (twos needs Linux 6.2). */
static const char *const scheds[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos", NULL,
};

static const char *const pes[] = { "sip", NULL };

static bool in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static const char *proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_SCTP: return "SCTP";
	}
	return "?";
}

const char *ipvs_svc_str(const struct ipvs_service *s, char *buf)
{
	char a[HK_ADDRSTRLEN];

	if (s->fwmark)
		snprintf(buf, IPVS_SVCSTRLEN, "FWM %u%s", s->fwmark,
			 s->af == AF_INET6 ? " IPv6" : "");
	else
		snprintf(buf, IPVS_SVCSTRLEN, "%s %s", proto_name(s->protocol),
			 hk_addrport_str(&s->addr, s->port, a));
	return buf;
}

const char *ipvs_dest_str(const struct ipvs_dest *d, char *buf)
{
	return hk_addrport_str(&d->addr, d->port, buf);
}

/* ---------------------------------------------------------- scheduler flags */

struct flagname {
	const char *name;
	const char *sched;	/* only with this scheduler; NULL: any */
	uint32_t bit;
};

static const struct flagname flagnames[] = {
	{ "sh-fallback", "sh", IP_VS_SVC_F_SCHED1 },
	{ "sh-port", "sh", IP_VS_SVC_F_SCHED2 },
	{ "mh-fallback", "mh", IP_VS_SVC_F_SCHED1 },
	{ "mh-port", "mh", IP_VS_SVC_F_SCHED2 },
	{ "flag-1", NULL, IP_VS_SVC_F_SCHED1 },
	{ "flag-2", NULL, IP_VS_SVC_F_SCHED2 },
	{ "flag-3", NULL, IP_VS_SVC_F_SCHED3 },
	{ NULL, NULL, 0 },
};

const char *ipvs_sched_flags_str(const char *sched, uint32_t flags, char *buf, size_t len)
{
	static const uint32_t bits[] = { IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2,
					 IP_VS_SVC_F_SCHED3 };
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++) {
		const char *name = NULL;

		if (!(flags & bits[i]))
			continue;
		/* The scheduler's own name for the bit, else flag-N. */
		for (const struct flagname *f = flagnames; f->name; f++)
			if (f->bit == bits[i] && f->sched && strcmp(f->sched, sched) == 0) {
				name = f->name;
				break;
			}
		if (!name)
			name = i == 0 ? "flag-1" : i == 1 ? "flag-2" : "flag-3";
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s",
					off ? "," : "", name);
	}
	return buf;
}

/* "a,b,c" into flag bits; sched (possibly not known yet: "") decides
 * which scheduler-specific names are allowed, checked again later. */
static int parse_sched_flags(const char *s, uint32_t *out, struct hk_err *e)
{
	char tmp[128];
	char *save = NULL, *tok;

	if (strlen(s) >= sizeof(tmp))
		return hk_err_set(e, ERANGE, "scheduler flags '%.40s...' are too long", s);
	if (strcmp(s, "none") == 0) {
		*out = 0;
		return 0;
	}
	strcpy(tmp, s);
	*out = 0;
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct flagname *f;

		for (f = flagnames; f->name; f++)
			if (strcmp(f->name, tok) == 0)
				break;
		if (!f->name)
			return hk_err_set(e, EINVAL,
					  "unknown scheduler flag '%s' (sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3)",
					  tok);
		*out |= f->bit;
	}
	if (!*out)
		return hk_err_set(e, EINVAL, "empty scheduler flags '%s'", s);
	return 0;
}

/* The flag words in s must suit scheduler sched. */
static int check_sched_flags(const char *s, const char *sched, struct hk_err *e)
{
	char tmp[128];
	char *save = NULL, *tok;

	if (strlen(s) >= sizeof(tmp) || strcmp(s, "none") == 0)
		return 0;
	strcpy(tmp, s);
	for (tok = strtok_r(tmp, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		for (const struct flagname *f = flagnames; f->name; f++)
			if (strcmp(f->name, tok) == 0 && f->sched && strcmp(f->sched, sched) != 0)
				return hk_err_set(e, EINVAL,
						  "scheduler flag '%s' needs scheduler %s, not %s",
						  tok, f->sched, sched);
	return 0;
}

/* ------------------------------------------------------------ addresses */

/* A port: a number 0-65535, or (with names) a service name of proto. */
static int parse_port(const char *s, uint16_t proto, unsigned flags, uint16_t *port,
		      struct hk_err *e)
{
	uint64_t v;
	struct hk_err e2;

	if (hk_parse_uint(s, 0, 65535, &v, &e2) == 0) {
		*port = (uint16_t)v;
		return 0;
	}
	if ((flags & IPVS_PARSE_NAMES) && *s && s[strspn(s, "0123456789")] != '\0') {
		const char *p = proto == IPPROTO_UDP ? "udp" : proto == IPPROTO_SCTP ? "sctp" : "tcp";
		struct servent *se = getservbyname(s, p);

		if (se) {
			*port = ntohs((uint16_t)se->s_port);
			return 0;
		}
		return hk_err_set(e, EINVAL, "unknown port '%s' (not a number nor a %s service)", s, p);
	}
	return hk_err_set(e, errno, "port %s", e2.msg);
}

static int resolve_host(const char *s, int family, struct hk_addr *a, struct hk_err *e)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int r;

	r = getaddrinfo(s, NULL, &hints, &res);
	if (r != 0 || !res)
		return hk_err_set(e, EINVAL, "'%s' is not an address nor a known host name", s);
	r = hk_addr_from_sockaddr(res->ai_addr, a, NULL);
	freeaddrinfo(res);
	if (r < 0)
		return hk_err_set(e, EINVAL, "'%s' is not an address nor a known host name", s);
	return 0;
}

/*
 * "ADDR", "ADDR:PORT", "[ADDR6]", "[ADDR6]:PORT", or a bare IPv6
 * address (no port); with names, "HOST[:PORT]" too.  *has_port tells
 * whether a port was written.
 */
static int parse_hostport(const char *s, uint16_t proto, unsigned flags, struct hk_addr *a,
			  uint16_t *port, bool *has_port, struct hk_err *e)
{
	char host[256];
	const char *colon, *ps = NULL;
	size_t hl;
	struct hk_err e2;

	*has_port = false;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			return hk_err_set(e, EINVAL, "'%s' lacks its closing ']'", s);
		hl = (size_t)(close - s - 1);
		if (close[1] == ':')
			ps = close + 2;
		else if (close[1] != '\0')
			return hk_err_set(e, EINVAL, "'%s': ']' must be followed by ':PORT'", s);
		if (hl >= sizeof(host))
			return hk_err_set(e, ERANGE, "address '%.40s...' is too long", s);
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (hk_parse_addr(host, AF_INET6, a, &e2) < 0)
			return hk_err_set(e, EINVAL, "'%s' is not an IPv6 address", host);
	} else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			/* Two colons: a bare IPv6 address, no port. */
			if (hk_parse_addr(s, AF_INET6, a, &e2) < 0)
				return hk_err_set(e, EINVAL,
						  "'%s' is not an IPv6 address (write [ADDR]:PORT for a port)",
						  s);
			return 0;
		}
		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (hl >= sizeof(host))
			return hk_err_set(e, ERANGE, "address '%.40s...' is too long", s);
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (colon)
			ps = colon + 1;
		if (hk_parse_addr(host, AF_INET, a, &e2) < 0) {
			if (!(flags & IPVS_PARSE_NAMES) || !host[0] || host[strspn(host, "0123456789.")] == '\0')
				return hk_err_set(e, EINVAL, "'%s' is not an IPv4 address", host);
			if (resolve_host(host, AF_UNSPEC, a, e) < 0)
				return -1;
		}
	}
	if (ps) {
		if (parse_port(ps, proto, flags, port, e) < 0)
			return -1;
		*has_port = true;
	}
	return 0;
}

/* ------------------------------------------------------------ numbers */

static int num(const char *what, const char *s, uint64_t min, uint64_t max, uint64_t *v,
	       struct hk_err *e)
{
	struct hk_err e2;

	if (hk_parse_uint(s, min, max, v, &e2) < 0)
		return hk_err_set(e, errno, "%s: %s", what, e2.msg);
	return 0;
}

static int parse_netmask(const char *s, int af, uint32_t *mask, struct hk_err *e)
{
	if (af == AF_INET6) {
		uint64_t v;

		if (num("netmask", s, 1, 128, &v, e) < 0)
			return -1;
		*mask = (uint32_t)v;
		return 0;
	}
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return hk_err_set(e, EINVAL, "netmask '%s' is not a dotted IPv4 mask", s);
	*mask = in.s_addr;
	return 0;
}

static int set_name(char *dst, size_t len, const char *what, const char *s,
		    const char *const *known, struct hk_err *e)
{
	if (!in_list(known, s))
		return hk_err_set(e, EINVAL, "unknown %s '%s'", what, s);
	if (strlen(s) >= len)
		return hk_err_set(e, ERANGE, "%s '%s' is too long", what, s);
	strcpy(dst, s);
	return 0;
}

/* ------------------------------------------------------- rule completion */

int ipvs_svc_check(const struct ipvs_service *s, struct hk_err *e)
{
	char sb[IPVS_SVCSTRLEN];

	if (!s->fwmark && !s->port && !(s->flags & IP_VS_SVC_F_PERSISTENT))
		return hk_err_set(e, EINVAL, "%s: port 0 is only allowed for a persistent service",
				  ipvs_svc_str(s, sb));
	if ((s->flags & IP_VS_SVC_F_ONEPACKET) && s->protocol != IPPROTO_UDP && !s->fwmark)
		return hk_err_set(e, EINVAL,
				  "%s: one-packet scheduling (ops) is only for UDP and fwmark services",
				  ipvs_svc_str(s, sb));
	if (s->pe[0] && !(s->flags & IP_VS_SVC_F_PERSISTENT))
		return hk_err_set(e, EINVAL, "%s: persistence engine '%s' needs persistence",
				  ipvs_svc_str(s, sb), s->pe);
	return 0;
}

int ipvs_dest_check(const struct ipvs_service *s, const struct ipvs_dest *d, struct hk_err *e)
{
	char sb[IPVS_SVCSTRLEN], ab[HK_ADDRSTRLEN];

	if (hk_addr_is_unspecified(&d->addr) || hk_addr_is_multicast(&d->addr))
		return hk_err_set(e, EINVAL, "destination '%s' is not a unicast address",
				  hk_addr_str(&d->addr, ab));
	if (d->addr.family != s->af && d->fwd != IP_VS_CONN_F_TUNNEL)
		return hk_err_set(e, EINVAL,
				  "destination %s is not of %s's address family (only tunnels may be)",
				  hk_addr_str(&d->addr, ab), ipvs_svc_str(s, sb));
	if (d->lthresh > d->uthresh)
		return hk_err_set(e, ERANGE, "lower threshold %u is above the upper threshold %u",
				  d->lthresh, d->uthresh);
	if (d->fwd == IP_VS_CONN_F_TUNNEL && d->tun_type == IP_VS_CONN_F_TUNNEL_TYPE_GUE &&
	    !d->tun_port)
		return hk_err_set(e, EINVAL, "a GUE tunnel needs a tunnel port");
	if (d->fwd == IP_VS_CONN_F_TUNNEL && d->tun_port &&
	    d->tun_type != IP_VS_CONN_F_TUNNEL_TYPE_GUE)
		return hk_err_set(e, EINVAL, "a tunnel port is only for GUE tunnels");
	return 0;
}

int ipvs_rule_finish(struct ipvs_rule *r, struct hk_err *e)
{
	struct ipvs_service *s = &r->svc;
	struct ipvs_dest *d = &r->dest;

	if (r->op == IPVS_OP_FLUSH)
		return 0;
	if (!s->fwmark && !s->protocol)
		return hk_err_set(e, EINVAL, "no service given");
	if (!s->fwmark)
		s->af = s->addr.family;
	else if (!s->af)
		s->af = AF_INET;

	switch (r->op) {
	case IPVS_OP_ADD_SVC:
	case IPVS_OP_SET_SVC:
		if (!(r->given & IPVS_G_SCHED))
			strcpy(s->sched, IPVS_DEF_SCHED);
		if (!(r->given & IPVS_G_NETMASK))
			s->netmask = s->af == AF_INET6 ? 128 : 0xffffffffu;
		if ((s->flags & IP_VS_SVC_F_PERSISTENT) && !s->timeout)
			s->timeout = IPVS_DEF_PERSIST;
		return ipvs_svc_check(s, e);
	case IPVS_OP_ADD_DEST:
	case IPVS_OP_SET_DEST:
		if (!d->addr.family)
			return hk_err_set(e, EINVAL, "no destination given");
		if (!(r->given & IPVS_G_FWD))
			d->fwd = IP_VS_CONN_F_DROUTE;
		if (!(r->given & IPVS_G_WEIGHT))
			d->weight = 1;
		/* Only NAT can change the port; ipvsadm forces the service's on
		 * the others, and so does this, so that files restore alike. */
		if (d->fwd != IP_VS_CONN_F_MASQ || !(r->given & IPVS_G_DPORT))
			d->port = s->port;
		if (d->fwd != IP_VS_CONN_F_TUNNEL && (r->given & IPVS_G_TUN))
			return hk_err_set(e, EINVAL, "tunnel options need the tunnel mode (-i, mode tun)");
		return ipvs_dest_check(s, d, e);
	case IPVS_OP_DEL_DEST:
		if (!d->addr.family)
			return hk_err_set(e, EINVAL, "no destination given");
		/* ipvsadm: a destination without a port is at the service's. */
		if (!(r->given & IPVS_G_DPORT))
			d->port = s->port;
		return 0;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------ rule lines */

#define MAX_WORDS 48

/* Blanks between words; '\0' ends a word too. */
static const bool blank[256] = { [' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true };
static const bool word_end[256] = { ['\0'] = true, [' '] = true, ['\t'] = true, ['\r'] = true,
				    ['\n'] = true };

/* Split line into words at blanks; returns the count or -1 if too many. */
static int split(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (blank[(unsigned char)*p])
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		w[n++] = p;
		while (!word_end[(unsigned char)*p])
			p++;
		if (*p)
			*p++ = '\0';
	}
}

struct optdef {
	const char *s, *l;	/* short and long spelling */
	int id;
	int arg;		/* 0 none, 1 required, 2 optional number */
};

enum {
	O_ADD_SVC = 1, O_EDIT_SVC, O_DEL_SVC, O_CLEAR, O_ADD_DEST, O_EDIT_DEST, O_DEL_DEST,
	O_TCP, O_UDP, O_SCTP, O_FWMARK, O_IPV6, O_SCHED, O_PERSIST, O_NETMASK, O_PE,
	O_FLAGS, O_OPS, O_REAL, O_DR, O_TUN, O_NAT, O_WEIGHT, O_UTH, O_LTH,
	O_TUN_TYPE, O_TUN_PORT, O_TUN_NOCSUM, O_TUN_CSUM, O_TUN_REMCSUM,
};

static const struct optdef optdefs[] = {
	{ "-A", "--add-service", O_ADD_SVC, 0 },
	{ "-E", "--edit-service", O_EDIT_SVC, 0 },
	{ "-D", "--delete-service", O_DEL_SVC, 0 },
	{ "-C", "--clear", O_CLEAR, 0 },
	{ "-a", "--add-server", O_ADD_DEST, 0 },
	{ "-e", "--edit-server", O_EDIT_DEST, 0 },
	{ "-d", "--delete-server", O_DEL_DEST, 0 },
	{ "-t", "--tcp-service", O_TCP, 1 },
	{ "-u", "--udp-service", O_UDP, 1 },
	{ NULL, "--sctp-service", O_SCTP, 1 },
	{ "-f", "--fwmark-service", O_FWMARK, 1 },
	{ "-6", "--ipv6", O_IPV6, 0 },
	{ "-s", "--scheduler", O_SCHED, 1 },
	{ "-p", "--persistent", O_PERSIST, 2 },
	{ "-M", "--netmask", O_NETMASK, 1 },
	{ NULL, "--pe", O_PE, 1 },
	{ "-b", "--sched-flags", O_FLAGS, 1 },
	{ "-o", "--ops", O_OPS, 0 },
	{ "-r", "--real-server", O_REAL, 1 },
	{ "-g", "--gatewaying", O_DR, 0 },
	{ "-i", "--ipip", O_TUN, 0 },
	{ "-m", "--masquerading", O_NAT, 0 },
	{ "-w", "--weight", O_WEIGHT, 1 },
	{ "-x", "--u-threshold", O_UTH, 1 },
	{ "-y", "--l-threshold", O_LTH, 1 },
	{ NULL, "--tun-type", O_TUN_TYPE, 1 },
	{ NULL, "--tun-port", O_TUN_PORT, 1 },
	{ NULL, "--tun-nocsum", O_TUN_NOCSUM, 0 },
	{ NULL, "--tun-csum", O_TUN_CSUM, 0 },
	{ NULL, "--tun-remcsum", O_TUN_REMCSUM, 0 },
	{ NULL, NULL, 0, 0 },
};

static const struct optdef *find_opt(const char *w)
{
	/* Restores are thousands of lines: short options by a table made
	 * once from optdefs, long ones by a character first. */
	static const struct optdef *by_letter[128];
	static bool indexed;

	if (w[0] != '-' || !w[1])
		return NULL;
	if (w[1] != '-') {
		if (w[2] || (unsigned char)w[1] >= 128)
			return NULL;
		if (!indexed) {
			for (const struct optdef *o = optdefs; o->id; o++)
				if (o->s)
					by_letter[(unsigned char)o->s[1]] = o;
			indexed = true;
		}
		return by_letter[(unsigned char)w[1]];
	}
	for (const struct optdef *o = optdefs; o->id; o++)
		if (o->l[2] == w[2] && strcmp(o->l, w) == 0)
			return o;
	return NULL;
}

static int parse_tun_type(const char *s, uint8_t *t, struct hk_err *e)
{
	if (strcmp(s, "ipip") == 0)
		*t = IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
	else if (strcmp(s, "gue") == 0)
		*t = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	else if (strcmp(s, "gre") == 0)
		*t = IP_VS_CONN_F_TUNNEL_TYPE_GRE;
	else
		return hk_err_set(e, EINVAL, "unknown tunnel type '%s' (ipip, gue or gre)", s);
	return 0;
}

/*
 * The options that carry a value and mean the same in both syntaxes
 * ("-w 2" and "weight 2"): set it in r and mark it given.
 */
static int set_value(struct ipvs_rule *r, int id, const char *arg, struct hk_err *e)
{
	uint64_t v;
	uint32_t f = 0;

	switch (id) {
	case O_SCHED:
		if (set_name(r->svc.sched, sizeof(r->svc.sched), "scheduler", arg, scheds, e) < 0)
			return -1;
		r->given |= IPVS_G_SCHED;
		return 0;
	case O_PE:
		if (strcmp(arg, "none") == 0)
			r->svc.pe[0] = '\0';
		else if (set_name(r->svc.pe, sizeof(r->svc.pe), "persistence engine", arg, pes, e) < 0)
			return -1;
		r->given |= IPVS_G_PE;
		return 0;
	case O_FLAGS:
		if (parse_sched_flags(arg, &f, e) < 0)
			return -1;
		r->svc.flags = (r->svc.flags & ~IPVS_SCHED_FLAGS) | f;
		r->given |= IPVS_G_FLAGS;
		return 0;
	case O_WEIGHT:
		if (num("weight", arg, 0, IPVS_MAX_WEIGHT, &v, e) < 0)
			return -1;
		r->dest.weight = (uint32_t)v;
		r->given |= IPVS_G_WEIGHT;
		return 0;
	case O_UTH:
	case O_LTH:
		if (num(id == O_UTH ? "upper threshold" : "lower threshold", arg, 0, IPVS_MAX_THRESH,
			&v, e) < 0)
			return -1;
		*(id == O_UTH ? &r->dest.uthresh : &r->dest.lthresh) = (uint32_t)v;
		r->given |= id == O_UTH ? IPVS_G_UTHRESH : IPVS_G_LTHRESH;
		return 0;
	case O_TUN_TYPE:
		if (parse_tun_type(arg, &r->dest.tun_type, e) < 0)
			return -1;
		r->given |= IPVS_G_TUN;
		return 0;
	case O_TUN_PORT:
		if (num("tunnel port", arg, 1, 65535, &v, e) < 0)
			return -1;
		r->dest.tun_port = (uint16_t)v;
		r->given |= IPVS_G_TUN;
		return 0;
	}
	return hk_err_set(e, EINVAL, "internal: option %d has no value", id);
}

/* The service part of a rule, once the protocol option is known. */
static int set_service(struct ipvs_rule *r, int id, const char *arg, unsigned flags,
		       struct hk_err *e)
{
	struct ipvs_service *s = &r->svc;
	bool has_port;

	if (s->protocol || s->fwmark)
		return hk_err_set(e, EINVAL, "more than one service given");
	if (id == O_FWMARK) {
		uint64_t v;

		if (num("fwmark", arg, 1, UINT32_MAX, &v, e) < 0)
			return -1;
		s->fwmark = (uint32_t)v;
		return 0;
	}
	s->protocol = id == O_TCP ? IPPROTO_TCP : id == O_UDP ? IPPROTO_UDP : IPPROTO_SCTP;
	s->port = 0;
	if (parse_hostport(arg, s->protocol, flags, &s->addr, &s->port, &has_port, e) < 0)
		return -1;
	if (hk_addr_is_multicast(&s->addr))
		return hk_err_set(e, EINVAL, "service address '%s' is multicast", arg);
	return 0;
}

/* What each command takes besides its service: a mask of option ids. */
#define BIT(x) (1ull << (x))
#define SVC_OPTS (BIT(O_SCHED) | BIT(O_PERSIST) | BIT(O_NETMASK) | BIT(O_PE) | BIT(O_FLAGS) | BIT(O_OPS))
#define DEST_OPTS (BIT(O_REAL) | BIT(O_DR) | BIT(O_TUN) | BIT(O_NAT) | BIT(O_WEIGHT) | BIT(O_UTH) | \
		   BIT(O_LTH) | BIT(O_TUN_TYPE) | BIT(O_TUN_PORT) | BIT(O_TUN_NOCSUM) | BIT(O_TUN_CSUM) | \
		   BIT(O_TUN_REMCSUM))

static const struct {
	int id;
	enum ipvs_op op;
	unsigned long long allowed;
} cmds[] = {
	{ O_ADD_SVC, IPVS_OP_ADD_SVC, SVC_OPTS },
	{ O_EDIT_SVC, IPVS_OP_SET_SVC, SVC_OPTS },
	{ O_DEL_SVC, IPVS_OP_DEL_SVC, 0 },
	{ O_CLEAR, IPVS_OP_FLUSH, 0 },
	{ O_ADD_DEST, IPVS_OP_ADD_DEST, DEST_OPTS },
	{ O_EDIT_DEST, IPVS_OP_SET_DEST, DEST_OPTS },
	{ O_DEL_DEST, IPVS_OP_DEL_DEST, BIT(O_REAL) },
};

int ipvs_parse_line(const char *line, unsigned flags, struct ipvs_rule *r, struct hk_err *e)
{
	char buf[1024];
	char *w[MAX_WORDS];
	const char *mask_word = NULL, *flags_word = NULL, *cmd_word = NULL;
	int n, i = 0, cmd = 0, ipv6 = 0;
	unsigned long long seen = 0, allowed = 0;
	size_t len = strlen(line);

	memset(r, 0, sizeof(*r));
	if (len >= sizeof(buf))
		return hk_err_set(e, ERANGE, "line is longer than %zu bytes", sizeof(buf) - 1);
	memcpy(buf, line, len + 1);
	n = split(buf, w, MAX_WORDS);
	if (n < 0)
		return hk_err_set(e, ERANGE, "more than %d words", MAX_WORDS);
	if (n == 0 || w[0][0] == '#')
		return 0;
	if (strcmp(w[0], "ipvsadm") == 0)
		i = 1;

	for (; i < n; i++) {
		const struct optdef *o = find_opt(w[i]);
		const char *arg = NULL;
		uint64_t v;

		if (!o) {
			if (w[i][0] == '#')
				break;	/* a trailing comment */
			return hk_err_set(e, EINVAL, "unknown option '%s'", w[i]);
		}
		if (o->arg == 1) {
			if (i + 1 == n)
				return hk_err_set(e, EINVAL, "option '%s' needs a value", w[i]);
			arg = w[++i];
		} else if (o->arg == 2 && i + 1 < n && w[i + 1][0] != '-' && w[i + 1][0] != '#') {
			arg = w[++i];
		}
		if (seen & BIT(o->id))
			return hk_err_set(e, EINVAL, "option '%s' given twice", w[i - (arg ? 1 : 0)]);
		seen |= BIT(o->id);
		switch (o->id) {
		case O_ADD_SVC: case O_EDIT_SVC: case O_DEL_SVC: case O_CLEAR:
		case O_ADD_DEST: case O_EDIT_DEST: case O_DEL_DEST:
			if (cmd)
				return hk_err_set(e, EINVAL, "more than one command ('%s' and '%s')",
						  cmd_word, w[i]);
			cmd = o->id;
			cmd_word = w[i];
			break;
		case O_TCP: case O_UDP: case O_SCTP: case O_FWMARK:
			if (set_service(r, o->id, arg, flags, e) < 0)
				return -1;
			break;
		case O_IPV6:
			ipv6 = 1;
			break;
		case O_SCHED: case O_PE: case O_FLAGS: case O_WEIGHT: case O_UTH: case O_LTH:
		case O_TUN_TYPE: case O_TUN_PORT:
			if (set_value(r, o->id, arg, e) < 0)
				return -1;
			if (o->id == O_FLAGS)
				flags_word = arg;
			break;
		case O_PERSIST:
			r->svc.flags |= IP_VS_SVC_F_PERSISTENT;
			r->given |= IPVS_G_PERSIST;
			if (arg) {
				if (num("persistence timeout", arg, 1, IPVS_MAX_PERSIST, &v, e) < 0)
					return -1;
				r->svc.timeout = (uint32_t)v;
			}
			break;
		case O_NETMASK:
			/* Its form depends on the family, known at the end. */
			mask_word = arg;
			r->given |= IPVS_G_NETMASK;
			break;
		case O_OPS:
			r->svc.flags |= IP_VS_SVC_F_ONEPACKET;
			r->given |= IPVS_G_OPS;
			break;
		case O_REAL: {
			bool has_port;

			if (parse_hostport(arg, r->svc.protocol, flags, &r->dest.addr, &r->dest.port,
					   &has_port, e) < 0)
				return -1;
			if (has_port)
				r->given |= IPVS_G_DPORT;
			break;
		}
		case O_DR: case O_TUN: case O_NAT:
			if (r->given & IPVS_G_FWD)
				return hk_err_set(e, EINVAL, "more than one forwarding method ('%s')", w[i]);
			r->dest.fwd = o->id == O_DR ? IP_VS_CONN_F_DROUTE :
				o->id == O_TUN ? IP_VS_CONN_F_TUNNEL : IP_VS_CONN_F_MASQ;
			r->given |= IPVS_G_FWD;
			break;
		case O_TUN_NOCSUM: case O_TUN_CSUM: case O_TUN_REMCSUM:
			if (seen & (BIT(O_TUN_NOCSUM) | BIT(O_TUN_CSUM) | BIT(O_TUN_REMCSUM)) & ~BIT(o->id))
				return hk_err_set(e, EINVAL, "more than one tunnel checksum option ('%s')", w[i]);
			r->dest.tun_flags = o->id == O_TUN_NOCSUM ? IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM :
				o->id == O_TUN_CSUM ? IP_VS_TUNNEL_ENCAP_FLAG_CSUM :
				IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
			r->given |= IPVS_G_TUN;
			break;
		}
	}

	if (!cmd)
		return hk_err_set(e, EINVAL, "no command (-A, -E, -D, -C, -a, -e or -d)");
	for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
		if (cmds[k].id == cmd) {
			r->op = cmds[k].op;
			allowed = cmds[k].allowed;
		}
	allowed |= BIT(cmd) | BIT(O_IPV6);
	if (r->op != IPVS_OP_FLUSH)
		allowed |= BIT(O_TCP) | BIT(O_UDP) | BIT(O_SCTP) | BIT(O_FWMARK);
	if (seen & ~allowed) {
		for (const struct optdef *o = optdefs; o->id; o++)
			if (seen & ~allowed & BIT(o->id))
				return hk_err_set(e, EINVAL, "'%s' does not go with '%s'",
						  o->s ? o->s : o->l, cmd_word);
	}
	if ((r->op == IPVS_OP_ADD_DEST || r->op == IPVS_OP_SET_DEST || r->op == IPVS_OP_DEL_DEST) &&
	    !(seen & BIT(O_REAL)))
		return hk_err_set(e, EINVAL, "'%s' needs a destination (-r)", cmd_word);
	if (ipv6) {
		if (!r->svc.fwmark && r->svc.protocol && r->svc.addr.family != AF_INET6)
			return hk_err_set(e, EINVAL, "-6 with an IPv4 service address");
		r->svc.af = AF_INET6;
	}
	if (r->op != IPVS_OP_FLUSH && !r->svc.fwmark && !r->svc.protocol)
		return hk_err_set(e, EINVAL, "'%s' needs a service (-t, -u, --sctp-service or -f)",
				  cmd_word);
	if (!r->svc.fwmark && r->svc.protocol)
		r->svc.af = r->svc.addr.family;
	else if (r->svc.fwmark && !r->svc.af)
		r->svc.af = AF_INET;
	if (mask_word && parse_netmask(mask_word, r->svc.af, &r->svc.netmask, e) < 0)
		return -1;
	if (flags_word) {
		if (!(r->given & IPVS_G_SCHED))
			strcpy(r->svc.sched, IPVS_DEF_SCHED);
		if (check_sched_flags(flags_word, r->svc.sched, e) < 0)
			return -1;
	}
	if (ipvs_rule_finish(r, e) < 0)
		return -1;
	return 1;
}

/* ------------------------------------------------------- command words */

static int need(char **argv, int argc, int i, const char *what, struct hk_err *e)
{
	if (i >= argc)
		return hk_err_set(e, EINVAL, "%s needs a value", what);
	(void)argv;
	return 0;
}

int ipvs_parse_svc_words(char **argv, int argc, int *i, unsigned flags,
			 struct ipvs_service *s, struct hk_err *e)
{
	const char *p;
	bool has_port;

	memset(s, 0, sizeof(*s));
	if (*i >= argc)
		return hk_err_set(e, EINVAL, "no service given (tcp|udp|sctp ADDR:PORT or fwmark N)");
	p = argv[*i];
	if (strcmp(p, "fwmark") == 0) {
		uint64_t v;

		if (need(argv, argc, *i + 1, "fwmark", e) < 0 ||
		    num("fwmark", argv[*i + 1], 1, UINT32_MAX, &v, e) < 0)
			return -1;
		s->fwmark = (uint32_t)v;
		s->af = AF_INET;
		*i += 2;
		if (*i < argc && (strcmp(argv[*i], "ipv6") == 0 || strcmp(argv[*i], "inet6") == 0)) {
			s->af = AF_INET6;
			(*i)++;
		}
		return 0;
	}
	if (strcmp(p, "tcp") == 0)
		s->protocol = IPPROTO_TCP;
	else if (strcmp(p, "udp") == 0)
		s->protocol = IPPROTO_UDP;
	else if (strcmp(p, "sctp") == 0)
		s->protocol = IPPROTO_SCTP;
	else
		return hk_err_set(e, EINVAL, "unknown service kind '%s' (tcp, udp, sctp or fwmark)", p);
	if (need(argv, argc, *i + 1, p, e) < 0)
		return -1;
	if (parse_hostport(argv[*i + 1], s->protocol, flags, &s->addr, &s->port, &has_port, e) < 0)
		return -1;
	if (hk_addr_is_multicast(&s->addr))
		return hk_err_set(e, EINVAL, "service address '%s' is multicast", argv[*i + 1]);
	s->af = s->addr.family;
	*i += 2;
	return 0;
}

int ipvs_parse_svc_opts(char **argv, int argc, int *i, struct ipvs_rule *r, struct hk_err *e)
{
	struct ipvs_service *s = &r->svc;
	const char *flags_word = NULL;
	uint64_t v;

	while (*i < argc) {
		const char *w = argv[*i];
		const char *arg = *i + 1 < argc ? argv[*i + 1] : NULL;

		if (strcmp(w, "sched") == 0 || strcmp(w, "flags") == 0 || strcmp(w, "pe") == 0) {
			if (!arg)
				return hk_err_set(e, EINVAL, "%s needs a value", w);
			if (set_value(r, w[0] == 's' ? O_SCHED : w[0] == 'f' ? O_FLAGS : O_PE, arg, e) < 0)
				return -1;
			if (w[0] == 'f')
				flags_word = arg;
			*i += 2;
		} else if (strcmp(w, "persistent") == 0) {
			r->given |= IPVS_G_PERSIST;
			*i += 1;
			if (arg && strcmp(arg, "off") == 0) {
				s->flags &= ~IP_VS_SVC_F_PERSISTENT;
				s->timeout = 0;
				*i += 1;
			} else {
				s->flags |= IP_VS_SVC_F_PERSISTENT;
				s->timeout = 0;
				if (arg && arg[0] >= '0' && arg[0] <= '9') {
					if (num("persistent", arg, 1, IPVS_MAX_PERSIST, &v, e) < 0)
						return -1;
					s->timeout = (uint32_t)v;
					*i += 1;
				}
			}
		} else if (strcmp(w, "netmask") == 0) {
			if (!arg)
				return hk_err_set(e, EINVAL, "netmask needs a value");
			if (parse_netmask(arg, s->af, &s->netmask, e) < 0)
				return -1;
			r->given |= IPVS_G_NETMASK;
			*i += 2;
		} else if (strcmp(w, "ops") == 0) {
			r->given |= IPVS_G_OPS;
			*i += 1;
			if (arg && strcmp(arg, "off") == 0) {
				s->flags &= ~IP_VS_SVC_F_ONEPACKET;
				*i += 1;
			} else {
				s->flags |= IP_VS_SVC_F_ONEPACKET;
			}
		} else {
			return hk_err_set(e, EINVAL, "unknown service option '%s'", w);
		}
	}
	if (flags_word && (r->given & IPVS_G_SCHED) && check_sched_flags(flags_word, s->sched, e) < 0)
		return -1;
	if (flags_word && !(r->given & IPVS_G_SCHED) && r->op == IPVS_OP_ADD_SVC &&
	    check_sched_flags(flags_word, IPVS_DEF_SCHED, e) < 0)
		return -1;
	return 0;
}

/* The destination words that carry a value, as option ids; 0 if not. */
static int dest_word(const char *w)
{
	static const struct {
		const char *w;
		int id;
	} m[] = {
		{ "weight", O_WEIGHT }, { "uthreshold", O_UTH }, { "lthreshold", O_LTH },
		{ "tun-type", O_TUN_TYPE }, { "tun-port", O_TUN_PORT },
	};

	for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++)
		if (strcmp(m[k].w, w) == 0)
			return m[k].id;
	return 0;
}

int ipvs_parse_dest_words(char **argv, int argc, int *i, unsigned flags, bool opts,
			  struct ipvs_rule *r, struct hk_err *e)
{
	struct ipvs_dest *d = &r->dest;
	bool has_port;

	if (*i >= argc)
		return hk_err_set(e, EINVAL, "no destination given (RADDR:PORT)");
	if (parse_hostport(argv[*i], r->svc.protocol, flags, &d->addr, &d->port, &has_port, e) < 0)
		return -1;
	if (has_port)
		r->given |= IPVS_G_DPORT;
	(*i)++;
	while (opts && *i < argc) {
		const char *w = argv[*i];
		const char *arg = *i + 1 < argc ? argv[*i + 1] : NULL;

		if (!arg)
			return hk_err_set(e, EINVAL, "%s needs a value", w);
		if (strcmp(w, "mode") == 0) {
			if (strcmp(arg, "dr") == 0 || strcmp(arg, "route") == 0)
				d->fwd = IP_VS_CONN_F_DROUTE;
			else if (strcmp(arg, "nat") == 0 || strcmp(arg, "masq") == 0)
				d->fwd = IP_VS_CONN_F_MASQ;
			else if (strcmp(arg, "tun") == 0 || strcmp(arg, "tunnel") == 0)
				d->fwd = IP_VS_CONN_F_TUNNEL;
			else
				return hk_err_set(e, EINVAL, "unknown mode '%s' (dr, nat or tun)", arg);
			r->given |= IPVS_G_FWD;
		} else if (dest_word(w) != 0) {
			if (set_value(r, dest_word(w), arg, e) < 0)
				return -1;
		} else if (strcmp(w, "tun-csum") == 0) {
			if (strcmp(arg, "nocsum") == 0)
				d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
			else if (strcmp(arg, "csum") == 0)
				d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
			else if (strcmp(arg, "remcsum") == 0)
				d->tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
			else
				return hk_err_set(e, EINVAL, "unknown tun-csum '%s' (nocsum, csum or remcsum)", arg);
			r->given |= IPVS_G_TUN;
		} else {
			return hk_err_set(e, EINVAL, "unknown destination option '%s'", w);
		}
		*i += 2;
	}
	return 0;
}

/* ------------------------------------------------------------ ordering */

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

int ipvs_svc_cmp(const struct ipvs_service *a, const struct ipvs_service *b)
{
	int r;

	/* fwmark 0 (address services) first, as in ipvsadm's listing. */
	if ((r = cmp_u(a->fwmark, b->fwmark)))
		return r;
	if ((r = cmp_u((unsigned)a->af, (unsigned)b->af)))
		return r;
	if (a->fwmark)
		return 0;
	if ((r = cmp_u(a->protocol, b->protocol)))
		return r;
	if ((r = memcmp(a->addr.bytes, b->addr.bytes, hk_addr_len(&a->addr))))
		return r;
	return cmp_u(a->port, b->port);
}

int ipvs_dest_cmp(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	int r;

	if ((r = cmp_u((unsigned)a->addr.family, (unsigned)b->addr.family)))
		return r;
	if ((r = memcmp(a->addr.bytes, b->addr.bytes, hk_addr_len(&a->addr))))
		return r;
	return cmp_u(a->port, b->port);
}

bool ipvs_svc_same_attrs(const struct ipvs_service *a, const struct ipvs_service *b)
{
	uint32_t m = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET | IPVS_SCHED_FLAGS;

	if (strcmp(a->sched, b->sched) != 0 || strcmp(a->pe, b->pe) != 0 ||
	    (a->flags & m) != (b->flags & m))
		return false;
	if (a->flags & IP_VS_SVC_F_PERSISTENT)
		return a->timeout == b->timeout && a->netmask == b->netmask;
	return true;
}

bool ipvs_dest_same_attrs(const struct ipvs_dest *a, const struct ipvs_dest *b)
{
	if ((a->fwd & IP_VS_CONN_F_FWD_MASK) != (b->fwd & IP_VS_CONN_F_FWD_MASK) ||
	    a->weight != b->weight || a->uthresh != b->uthresh || a->lthresh != b->lthresh)
		return false;
	if ((a->fwd & IP_VS_CONN_F_FWD_MASK) == IP_VS_CONN_F_TUNNEL)
		return a->tun_type == b->tun_type && a->tun_port == b->tun_port &&
		       a->tun_flags == b->tun_flags;
	return true;
}
