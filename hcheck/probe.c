#include "hcheck.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char hc_shortopts[] = "-:f:ht:";

const struct option hc_longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ "json", no_argument, NULL, HC_OPT_JSON },
	{ "concurrency", required_argument, NULL, HC_OPT_CONCURRENCY },
	{ "initial", required_argument, NULL, HC_OPT_INITIAL },
	{ "timeout", required_argument, NULL, 't' },
	{ "status", required_argument, NULL, HC_OPT_STATUS },
	{ "digest", required_argument, NULL, HC_OPT_DIGEST },
	{ "regex", required_argument, NULL, HC_OPT_REGEX },
	{ "vhost", required_argument, NULL, HC_OPT_VHOST },
	{ "http", required_argument, NULL, HC_OPT_HTTP },
	{ "retry", required_argument, NULL, HC_OPT_RETRY },
	{ "delay-before-retry", required_argument, NULL, HC_OPT_DELAY },
	{ "bind", required_argument, NULL, HC_OPT_BIND },
	{ "fwmark", required_argument, NULL, HC_OPT_FWMARK },
	{ "warn-time", required_argument, NULL, HC_OPT_WARN },
	{ "sni", required_argument, NULL, HC_OPT_SNI },
	{ "verify", no_argument, NULL, HC_OPT_VERIFY },
	{ "ca", required_argument, NULL, HC_OPT_CA },
	{ "cert-days", required_argument, NULL, HC_OPT_CERT_DAYS },
	{ "name", required_argument, NULL, HC_OPT_NAME },
	{ "interval", required_argument, NULL, HC_OPT_INTERVAL },
	{ "rise", required_argument, NULL, HC_OPT_RISE },
	{ "fall", required_argument, NULL, HC_OPT_FALL },
	{ "payload", required_argument, NULL, HC_OPT_PAYLOAD },
	{ "reply", required_argument, NULL, HC_OPT_REPLY },
	{ "require-reply", no_argument, NULL, HC_OPT_REQUIRE_REPLY },
	{ "min-reply-length", required_argument, NULL, HC_OPT_MIN_REPLY },
	{ "max-reply-length", required_argument, NULL, HC_OPT_MAX_REPLY },
	{ "dns-type", required_argument, NULL, HC_OPT_DNS_TYPE },
	{ "dns-name", required_argument, NULL, HC_OPT_DNS_NAME },
	{ "helo", required_argument, NULL, HC_OPT_HELO },
	{ NULL, 0, NULL, 0 },
};

bool hc_opt_is_global(int opt)
{
	return opt == 'f' || opt == 'h' || opt == HC_OPT_JSON ||
	       opt == HC_OPT_CONCURRENCY || opt == HC_OPT_INITIAL;
}

/* The option's name as typed, for messages. */
static const char *opt_name(int opt)
{
	static char buf[32];

	for (const struct option *o = hc_longopts; o->name; o++)
		if (o->val == opt) {
			snprintf(buf, sizeof(buf), "--%s", o->name);
			return buf;
		}
	snprintf(buf, sizeof(buf), "-%c", opt);
	return buf;
}

/* Options that only make sense for some checks. */
static bool http_only(int opt)
{
	return opt == HC_OPT_STATUS || opt == HC_OPT_DIGEST || opt == HC_OPT_REGEX ||
	       opt == HC_OPT_VHOST || opt == HC_OPT_HTTP;
}

static bool https_only(int opt)
{
	return opt == HC_OPT_SNI || opt == HC_OPT_VERIFY || opt == HC_OPT_CA ||
	       opt == HC_OPT_CERT_DAYS;
}

static bool dns_only(int opt)
{
	return opt == HC_OPT_DNS_TYPE || opt == HC_OPT_DNS_NAME;
}

/* The query types keepalived's DNS_CHECK knows. */
static const struct {
	const char *name;
	uint16_t type;
} dns_types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "MX", 15 }, { "TXT", 16 },
	{ "AAAA", 28 }, { "RRSIG", 46 }, { "DNSKEY", 48 },
};

/* A name as DNS labels: "." for the root, else labels of 1-63 visible
 * characters between dots (a final dot allowed), 253 at most. */
static const char *dns_name_problem(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (strcmp(s, ".") == 0)
		return NULL;
	if (n == 0)
		return "is empty";
	if (n > 254 || (n == 254 && s[n - 1] != '.'))
		return "is longer than 253 characters";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return "has an empty label";
			label = 0;
			continue;
		}
		if (*p <= 0x20 || *p >= 0x7f)
			return "holds a blank or a character that is not visible ASCII";
		if (++label > 63)
			return "has a label longer than 63 characters";
	}
	return NULL;
}

static bool udp_only(int opt)
{
	return opt == HC_OPT_PAYLOAD || opt == HC_OPT_REPLY || opt == HC_OPT_REQUIRE_REPLY ||
	       opt == HC_OPT_MIN_REPLY || opt == HC_OPT_MAX_REPLY;
}

/* --payload and --reply: into a fresh buffer (and mask) of their own. */
static int set_hex(const char *opt, const char *arg, bool wild, unsigned char **data,
		   unsigned char **mask, size_t *len, struct hk_err *e)
{
	unsigned char *d = malloc(HC_UDP_HEX_MAX), *m = wild ? malloc(HC_UDP_HEX_MAX) : NULL;
	struct hk_err pe;
	long n;

	if (!d || (wild && !m)) {
		free(d);
		free(m);
		return hk_err_set(e, ENOMEM, "out of memory");
	}
	n = hk_parse_hex(arg, d, m, HC_UDP_HEX_MAX, wild, &pe);
	if (n < 0) {
		free(d);
		free(m);
		return hk_err_set(e, EINVAL, "%s: %s", opt, pe.msg);
	}
	free(*data);
	*data = d;
	if (mask) {
		free(*mask);
		*mask = m;
	}
	*len = (size_t)n;
	return 0;
}

static int set_str(char **dst, const char *s, struct hk_err *e)
{
	char *d = strdup(s);

	if (!d)
		return hk_err_set(e, ENOMEM, "out of memory");
	free(*dst);
	*dst = d;
	return 0;
}

/* A name as a single word: visible ASCII, no blanks. */
static const char *word_problem(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0)
		return "is empty";
	if (n > max)
		return "is too long";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return "holds a blank or a control character";
	return NULL;
}

/* A CA file that cannot be read is refused with the system's reason
 * while the options are read, not later with OpenSSL's. */
static int ca_problem(const char *path, struct hk_err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return hk_err_set(e, errno, "--ca: '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return hk_err_set(e, EINVAL, "--ca: '%s' is not a regular file", path);
	}
	close(fd);
	return 0;
}

static void probe_defaults(struct hc_probe *p, bool in_watch)
{
	memset(p, 0, sizeof(*p));
	p->proto = HK_HTTP_10;
	/* keepalived's defaults: connect_timeout 5, delay_loop 60, retry 1
	 * (for one-shot runs 0: a plugin answers at once). */
	p->timeout_us = 5 * HK_USEC_PER_SEC;
	p->retry = in_watch ? 1 : 0;
	p->interval_us = 60 * HK_USEC_PER_SEC;
	p->rise = 1;
	p->fall = 1;
	/* keepalived's UDP_CHECK and DNS_CHECK defaults. */
	p->min_reply = 0;
	p->max_reply = 255;
	p->dns_type = 6;	/* SOA, of the name "." */
	hc_status_parse("200-299", &p->status, NULL);
}

/* Parse one option's argument into p. */
static int apply_opt(struct hc_probe *p, int c, const char *arg, bool *delay_set,
		     struct hk_err *e)
{
	const char *why;
	struct hk_err pe;
	uint64_t v;

#define BAD_VALUE() hk_err_set(e, EINVAL, "%s: %s", opt_name(c), pe.msg)
	switch (c) {
	case 't':
		if (hk_parse_secs(arg, 1000, 3600 * HK_USEC_PER_SEC, &p->timeout_us, &pe) < 0)
			return BAD_VALUE();
		break;
	case HC_OPT_STATUS:
		if (hc_status_parse(arg, &p->status, &pe) < 0)
			return BAD_VALUE();
		break;
	case HC_OPT_DIGEST:
		if (hk_md5_parse(arg, p->digest) < 0)
			return hk_err_set(e, EINVAL, "--digest: '%s' is not 32 hex digits (an MD5)",
					  arg);
		p->has_digest = true;
		break;
	case HC_OPT_REGEX: {
		int r;

		if (p->has_regex) {
			regfree(&p->regex);
			p->has_regex = false;
		}
		/* Line anchors: "^OK$" finds a line of a health page. */
		r = regcomp(&p->regex, arg, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
		if (r != 0) {
			char msg[128];

			regerror(r, &p->regex, msg, sizeof(msg));
			return hk_err_set(e, EINVAL, "--regex: '%s' is not an extended regex: %s",
					  arg, msg);
		}
		p->has_regex = true;
		return set_str(&p->regex_src, arg, e);
	}
	case HC_OPT_VHOST:
		if ((why = hk_http_host_problem(arg)))
			return hk_err_set(e, EINVAL, "--vhost: '%s' %s", arg, why);
		return set_str(&p->vhost, arg, e);
	case HC_OPT_HTTP:
		if (hk_http_proto_parse(arg, &p->proto) < 0)
			return hk_err_set(e, EINVAL, "--http: '%s' is not 1.0, 1.0c or 1.1", arg);
		break;
	case HC_OPT_RETRY:
		if (hk_parse_uint(arg, 0, 100, &v, &pe) < 0)
			return BAD_VALUE();
		p->retry = (unsigned)v;
		break;
	case HC_OPT_DELAY:
		if (hk_parse_secs(arg, 0, 86400 * HK_USEC_PER_SEC, &p->retry_delay_us, &pe) < 0)
			return BAD_VALUE();
		*delay_set = true;
		break;
	case HC_OPT_BIND:
		if (hk_parse_addr(arg, AF_UNSPEC, &p->bind, &pe) < 0)
			return BAD_VALUE();
		break;
	case HC_OPT_FWMARK:
		if (hk_parse_uint(arg, 1, UINT32_MAX, &v, &pe) < 0)
			return BAD_VALUE();
		p->fwmark = (uint32_t)v;
		break;
	case HC_OPT_WARN:
		if (hk_parse_secs(arg, 1, 3600 * HK_USEC_PER_SEC, &p->warn_us, &pe) < 0)
			return BAD_VALUE();
		break;
	case HC_OPT_SNI:
		if ((why = hk_http_host_problem(arg)))
			return hk_err_set(e, EINVAL, "--sni: '%s' %s", arg, why);
		return set_str(&p->sni, arg, e);
	case HC_OPT_VERIFY:
		p->verify = true;
		break;
	case HC_OPT_CA:
		if (arg[0] == '\0')
			return hk_err_set(e, EINVAL, "--ca: empty file name");
		if (ca_problem(arg, e) < 0)
			return -1;
		p->verify = true;
		return set_str(&p->ca, arg, e);
	case HC_OPT_CERT_DAYS:
		if (hk_parse_uint(arg, 1, 36500, &v, &pe) < 0)
			return BAD_VALUE();
		p->cert_days = (unsigned)v;
		break;
	case HC_OPT_NAME:
		if ((why = word_problem(arg, 200)))
			return hk_err_set(e, EINVAL, "--name: '%s' %s", arg, why);
		return set_str(&p->label, arg, e);
	case HC_OPT_INTERVAL:
		if (hk_parse_secs(arg, 1000, 86400 * HK_USEC_PER_SEC, &p->interval_us, &pe) < 0)
			return BAD_VALUE();
		break;
	case HC_OPT_RISE:
	case HC_OPT_FALL:
		if (hk_parse_uint(arg, 1, 1000, &v, &pe) < 0)
			return BAD_VALUE();
		if (c == HC_OPT_RISE)
			p->rise = (unsigned)v;
		else
			p->fall = (unsigned)v;
		break;
	case HC_OPT_PAYLOAD:
		return set_hex("--payload", arg, false, &p->payload, NULL, &p->payload_len, e);
	case HC_OPT_REPLY:
		p->require_reply = true;
		return set_hex("--reply", arg, true, &p->reply, &p->reply_mask, &p->reply_len, e);
	case HC_OPT_REQUIRE_REPLY:
		p->require_reply = true;
		break;
	case HC_OPT_DNS_TYPE: {
		size_t i;

		for (i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
			if (strcasecmp(arg, dns_types[i].name) == 0)
				break;
		if (i == sizeof(dns_types) / sizeof(dns_types[0]))
			return hk_err_set(e, EINVAL,
					  "--dns-type: '%s' is not A, NS, CNAME, SOA, MX, TXT, AAAA, RRSIG or DNSKEY",
					  arg);
		p->dns_type = dns_types[i].type;
		break;
	}
	case HC_OPT_DNS_NAME:
		if ((why = dns_name_problem(arg)))
			return hk_err_set(e, EINVAL, "--dns-name: '%s' %s", arg, why);
		return set_str(&p->dns_name, arg, e);
	case HC_OPT_HELO:
		if ((why = word_problem(arg, 255)))
			return hk_err_set(e, EINVAL, "--helo: '%s' %s", arg, why);
		return set_str(&p->helo, arg, e);
	case HC_OPT_MIN_REPLY:
	case HC_OPT_MAX_REPLY:
		if (hk_parse_uint(arg, 0, 65535, &v, &pe) < 0)
			return BAD_VALUE();
		if (c == HC_OPT_MIN_REPLY)
			p->min_reply = (unsigned)v;
		else
			p->max_reply = (unsigned)v;
		break;
	default:
		return hk_err_set(e, EINVAL, "internal: option %d", c);
	}
#undef BAD_VALUE
	return 0;
}

int hc_probe_parse(int argc, char **argv, bool defaults_only, bool in_watch,
		   struct hc_probe *p, struct hk_err *e)
{
	char *pos[3];
	int npos = 0, c;
	bool delay_set = false;
	int http_opt = 0, https_opt = 0, udp_opt = 0, dns_opt = 0, smtp_opt = 0;
	const char *why;

	probe_defaults(p, in_watch);
	/* getopt keeps its state in globals: start afresh for each line,
	 * and report errors ourselves, as sentences naming the word.  The
	 * leading '-' hands back the positional words in place (code 1),
	 * so that options may come before or after them. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, hc_shortopts, hc_longopts, NULL)) != -1) {
		const char *w = argv[optind - 1];

		if (c == ':')
			return hk_err_set(e, EINVAL, "option '%s' needs a value", w);
		if (c == '?')
			return hk_err_set(e, EINVAL, "unknown option '%s'", w);
		if (c == 1) {
			if (npos == 3)
				return hk_err_set(e, EINVAL, "unexpected word '%s'", optarg);
			pos[npos++] = optarg;
			continue;
		}
		if (hc_opt_is_global(c))
			return hk_err_set(e, EINVAL,
					  "%s applies to the whole run: give it on the command line",
					  opt_name(c));
		if (http_only(c) && !http_opt)
			http_opt = c;
		if (https_only(c) && !https_opt)
			https_opt = c;
		if (udp_only(c) && !udp_opt)
			udp_opt = c;
		if (dns_only(c) && !dns_opt)
			dns_opt = c;
		if (c == HC_OPT_HELO && !smtp_opt)
			smtp_opt = c;
		if (apply_opt(p, c, optarg, &delay_set, e) < 0)
			return -1;
	}
	/* After "--", everything is positional. */
	for (; optind < argc; optind++) {
		if (npos == 3)
			return hk_err_set(e, EINVAL, "unexpected word '%s'", argv[optind]);
		pos[npos++] = argv[optind];
	}

	if (defaults_only) {
		if (npos)
			return hk_err_set(e, EINVAL, "unexpected word '%s'", pos[0]);
		return 0;
	}
	if (npos == 0)
		return hk_err_set(e, EINVAL,
				  "no check given (http, https, tcp, udp, dns, smtp or ping)");
	if (strcmp(pos[0], "http") == 0)
		p->kind = HC_HTTP;
	else if (strcmp(pos[0], "https") == 0)
		p->kind = HC_HTTPS;
	else if (strcmp(pos[0], "tcp") == 0)
		p->kind = HC_TCP;
	else if (strcmp(pos[0], "udp") == 0)
		p->kind = HC_UDP;
	else if (strcmp(pos[0], "ping") == 0)
		p->kind = HC_PING;
	else if (strcmp(pos[0], "dns") == 0)
		p->kind = HC_DNS;
	else if (strcmp(pos[0], "smtp") == 0)
		p->kind = HC_SMTP;
	else
		return hk_err_set(e, EINVAL,
				  "unknown check '%s' (http, https, tcp, udp, dns, smtp or ping)",
				  pos[0]);
	if (npos < 2)
		return hk_err_set(e, EINVAL, "%s needs a target %s", pos[0],
				  p->kind == HC_PING ? "ADDR" : "ADDR:PORT");
	if (p->kind == HC_PING) {
		struct hk_err pe;

		/* An address, as keepalived's PING_CHECK takes connect_ip. */
		if (hk_parse_addr(pos[1], AF_UNSPEC, &p->addr, &pe) < 0)
			return hk_err_set(e, EINVAL, "ping: %s (ping takes an address, no port)",
					  pe.msg);
	} else if (hk_parse_addrport(pos[1], &p->addr, &p->port, 0, e) < 0) {
		return -1;
	}
	if (set_str(&p->target, pos[1], e) < 0)
		return -1;
	if (p->kind != HC_HTTP && p->kind != HC_HTTPS && npos == 3)
		return hk_err_set(e, EINVAL, "%s takes no PATH ('%s')", pos[0], pos[2]);
	if (set_str(&p->path, npos == 3 ? pos[2] : "/", e) < 0)
		return -1;
	if ((why = hk_http_path_problem(p->path)))
		return hk_err_set(e, EINVAL, "PATH '%s' %s", p->path, why);
	if (p->kind != HC_HTTP && p->kind != HC_HTTPS && http_opt)
		return hk_err_set(e, EINVAL, "%s applies to http and https, not %s",
				  opt_name(http_opt), pos[0]);
	if (p->kind != HC_UDP && udp_opt)
		return hk_err_set(e, EINVAL, "%s applies to udp only", opt_name(udp_opt));
	if (p->kind != HC_DNS && dns_opt)
		return hk_err_set(e, EINVAL, "%s applies to dns only", opt_name(dns_opt));
	if (p->kind != HC_SMTP && smtp_opt)
		return hk_err_set(e, EINVAL, "%s applies to smtp only", opt_name(smtp_opt));
	if (p->min_reply > p->max_reply)
		return hk_err_set(e, EINVAL,
				  "--min-reply-length %u is above --max-reply-length %u: no reply could match",
				  p->min_reply, p->max_reply);
	if (p->kind != HC_HTTPS && https_opt)
		return hk_err_set(e, EINVAL, "%s applies to https only", opt_name(https_opt));
	if (p->bind.family && p->bind.family != p->addr.family)
		return hk_err_set(e, EINVAL, "--bind: the source and '%s' are not the same family",
				  p->target);
	if (!delay_set)
		/* keepalived: 3 s for HTTP_GET and SSL_GET, 1 s otherwise. */
		p->retry_delay_us = (p->kind == HC_HTTP || p->kind == HC_HTTPS ? 3 : 1) *
				    HK_USEC_PER_SEC;
	if (!p->label && set_str(&p->label, p->target, e) < 0)
		return -1;
	return 0;
}

int hc_probe_prepare(struct hc_probe *p, struct hk_err *e)
{
	struct hk_fetch_opts *o = &p->fo;

	memset(o, 0, sizeof(*o));
	o->kind = p->kind == HC_TCP ? HK_FETCH_TCP : p->kind == HC_UDP ? HK_FETCH_UDP :
		  p->kind == HC_PING ? HK_FETCH_PING : p->kind == HC_DNS ? HK_FETCH_DNS :
		  p->kind == HC_SMTP ? HK_FETCH_SMTP :
		  p->kind == HC_HTTP ? HK_FETCH_HTTP : HK_FETCH_HTTPS;
	o->addr = p->addr;
	o->port = p->port;
	o->bind = p->bind;
	o->fwmark = p->fwmark;
	o->digest = p->has_digest;
	if (p->kind == HC_UDP) {
		o->request = (const char *)p->payload;
		o->request_len = p->payload_len;
	} else if (p->kind == HC_SMTP) {
		/* keepalived's default HELO name. */
		const char *helo = p->helo ? p->helo : "smtpchecker.keepalived.org";
		size_t n = strlen(helo) + 8;

		p->request = malloc(n);
		if (!p->request)
			return hk_err_set(e, ENOMEM, "out of memory");
		p->request_len = (size_t)snprintf(p->request, n, "HELO %s\r\n", helo);
		o->request = p->request;
		o->request_len = p->request_len;
	} else if (p->kind == HC_DNS) {
		/* keepalived's query: recursion desired, one question of
		 * class IN; the ID is set by each attempt. */
		const char *name = p->dns_name ? p->dns_name : ".";
		unsigned char *q = malloc(12 + strlen(name) + 2 + 4);
		size_t n = 12;

		if (!q)
			return hk_err_set(e, ENOMEM, "out of memory");
		memset(q, 0, 12);
		q[2] = 0x01;	/* RD */
		q[5] = 1;	/* QDCOUNT */
		for (const char *s = name; *s && strcmp(s, ".") != 0;) {
			const char *dot = strchr(s, '.');
			size_t len = dot ? (size_t)(dot - s) : strlen(s);

			q[n++] = (unsigned char)len;
			memcpy(q + n, s, len);
			n += len;
			s += len + (dot ? 1 : 0);
		}
		q[n++] = 0;
		q[n++] = (unsigned char)(p->dns_type >> 8);
		q[n++] = (unsigned char)p->dns_type;
		q[n++] = 0;
		q[n++] = 1;	/* IN */
		p->request = (char *)q;
		p->request_len = n;
		o->request = p->request;
		o->request_len = n;
	} else if (p->kind == HC_HTTP || p->kind == HC_HTTPS) {
		char host[HK_ADDRSTRLEN];
		size_t size = strlen(p->path) + (p->vhost ? strlen(p->vhost) : 0) + 128;
		ssize_t n;

		hk_addrport_str(&p->addr, p->port, host);
		p->request = malloc(size);
		if (!p->request)
			return hk_err_set(e, ENOMEM, "out of memory");
		n = hk_http_request(p->request, size, p->path, p->vhost ? p->vhost : host,
				    p->proto);
		if (n < 0)
			return hk_err_set(e, errno, "cannot build the request for '%s'", p->path);
		p->request_len = (size_t)n;
		o->request = p->request;
		o->request_len = p->request_len;
	}
	if (p->kind == HC_HTTPS) {
		/* SNI: --sni, else the virtual host; verify against that
		 * name, else against the address. */
		o->sni = p->sni ? p->sni : p->vhost;
		o->verify_name = o->sni;
	}
	return 0;
}

void hc_probe_free(struct hc_probe *p)
{
	free(p->label);
	free(p->target);
	free(p->path);
	free(p->vhost);
	free(p->sni);
	free(p->ca);
	free(p->regex_src);
	free(p->payload);
	free(p->dns_name);
	free(p->helo);
	free(p->reply);
	free(p->reply_mask);
	if (p->has_regex)
		regfree(&p->regex);
	free(p->request);
	memset(p, 0, sizeof(*p));
}
