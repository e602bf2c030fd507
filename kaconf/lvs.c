/*
 * virtual_server, real_server and their health checkers, with keepalived
 * 2.2.7's defaults: scheduler wlc, forwarding NAT, protocol TCP,
 * delay_loop 60 s, connect_timeout 5 s, retry 1 (0 for MISC_CHECK),
 * delay_before_retry 3 s for HTTP_GET/SSL_GET and 1 s otherwise, quorum
 * 1, hysteresis 0, real server weight 1.  Timings given on the virtual
 * server apply to its real servers, and a real server's to its checkers.
 */
#include "clock.h"
#include "kc.h"
#include "parse.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#define SECS(s) ((uint64_t)(s) * HK_USEC_PER_SEC)

static void timing_init(struct kc_timing *t)
{
	t->delay_loop_us = t->connect_timeout_us = t->dbr_us = -1;
	t->retry = -1;
	t->alpha = -1;
}

/* delay_loop, connect_timeout, retry, nb_get_retry, delay_before_retry and
 * alpha, wherever they appear. */
static void kw_timing(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      struct kc_timing *t)
{
	const char *k = st->w[0].s;
	uint64_t v;
	bool b;

	(void)conf;
	if (strcmp(k, "alpha") == 0) {
		if (kc_nargs(c, st, 0, 1) == 0 && kc_arg_bool(c, st, 1, &b) == 0)
			t->alpha = b;
		return;
	}
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(k, "retry") == 0 || strcmp(k, "nb_get_retry") == 0) {
		if (k[0] == 'n')
			kc_note(c, &st->w[0].pos, "'nb_get_retry' is the old name of 'retry'");
		if (kc_arg_uint(c, st, 1, 0, 100, &v) == 0)
			t->retry = (long)v;
		return;
	}
	/* An attempt's timeout becomes hcheck's --timeout, at most an hour. */
	if (kc_arg_secs(c, st, 1, strcmp(k, "delay_before_retry") == 0 ? 0 : 10000,
			SECS(strcmp(k, "connect_timeout") == 0 ? 3600 : 86400), &v) < 0)
		return;
	if (strcmp(k, "delay_loop") == 0)
		t->delay_loop_us = (int64_t)v;
	else if (strcmp(k, "connect_timeout") == 0)
		t->connect_timeout_us = (int64_t)v;
	else
		t->dbr_us = (int64_t)v;
}

static int fwd_word(struct kc_ctx *c, const struct kc_stmt *st)
{
	const char *s = st->w[1].s;

	if (strcasecmp(s, "NAT") == 0)
		return KC_FWD_NAT;
	if (strcasecmp(s, "DR") == 0)
		return KC_FWD_DR;
	if (strcasecmp(s, "TUN") == 0) {
		if (st->n > 2)
			kc_warn(c, &st->w[2].pos, "%s: tunnel options ('%s'...) are not "
				"supported by hakit; plain IPIP is used", st->w[0].s, st->w[2].s);
		return KC_FWD_TUN;
	}
	kc_error(c, &st->w[1].pos, "%s: '%s' is not NAT, DR or TUN", st->w[0].s, s);
	return -1;
}

static const char *vhost_arg(struct kc_ctx *c, struct kc_stmt *st)
{
	const char *s;

	if (kc_nargs(c, st, 1, 1) < 0 || !(s = kc_arg_str(c, st, 1)))
		return NULL;
	if (!*s || strpbrk(s, " \"\\")) {
		kc_error(c, &st->w[1].pos, "virtualhost: '%s' is not a host name", s);
		return NULL;
	}
	return s;
}

/* ---- checkers ---------------------------------------------------------- */

static void u_path(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_url *u = obj;
	const char *s;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || !(s = kc_arg_str(c, st, 1)))
		return;
	if (s[0] != '/' || strpbrk(s, " ")) {
		kc_error(c, &st->w[1].pos, "path: '%s' must start with '/' and hold no blank", s);
		return;
	}
	u->path = s;
}

static void u_digest(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_url *u = obj;
	const char *s;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	s = st->w[1].s;
	if (strlen(s) != 32 || strspn(s, "0123456789abcdefABCDEF") != 32) {
		kc_error(c, &st->w[1].pos, "digest: '%s' is not an MD5 digest (32 hex digits, as genhash prints)", s);
		return;
	}
	u->digest = s;
}

static void u_status(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_url *u = obj;
	char *list = NULL;

	(void)conf;
	if (kc_nargs(c, st, 1, 64) < 0)
		return;
	for (size_t i = 1; i < st->n; i++) {
		const char *s = st->w[i].s, *dash = strchr(s, '-');
		uint64_t lo, hi;
		char buf[16];
		struct hk_err e;

		if (dash && (size_t)(dash - s) < sizeof(buf)) {
			memcpy(buf, s, (size_t)(dash - s));
			buf[dash - s] = '\0';
		}
		if (dash ? (dash - s >= (long)sizeof(buf) ||
			    hk_parse_uint(buf, 100, 599, &lo, &e) < 0 ||
			    hk_parse_uint(dash + 1, 100, 599, &hi, &e) < 0 || hi < lo)
			 : hk_parse_uint(s, 100, 599, &lo, &e) < 0) {
			kc_error(c, &st->w[i].pos, "status_code: '%s' is not a status code "
				 "(100-599) or a range of them", s);
			return;
		}
		list = list ? kc_printf(&c->arena, "%s,%s", list, s) : kc_strdup(&c->arena, s);
	}
	u->status = list;
}

static void u_vhost(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	(void)conf;
	((struct kc_url *)obj)->vhost = vhost_arg(c, st);
}

static void u_regex(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	struct kc_url *u = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || !(u->regex = kc_arg_str(c, st, 1)))
		return;
	kc_note(c, &st->w[1].pos, "regex: keepalived matches PCRE, hcheck POSIX "
		"extended regular expressions; check that '%s' means the same", u->regex);
}

static const struct kc_kw url_kw[] = {
	{ "path", u_path, KC_KW_NOBLOCK },
	{ "digest", u_digest, KC_KW_NOBLOCK },
	{ "status_code", u_status, KC_KW_NOBLOCK },
	{ "virtualhost", u_vhost, KC_KW_NOBLOCK },
	{ "regex", u_regex, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup url_unsup[] = {
	{ "regex_no_match", NULL, false },
	{ "regex_options", NULL, false },
	{ "regex_stack", NULL, false },
	{ "regex_min_offset", NULL, false },
	{ "regex_max_offset", NULL, false },
	{ NULL, NULL, false },
};

static void c_url(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		  void *obj)
{
	struct kc_check *ck = obj;
	struct kc_url *u = kc_alloc(&c->arena, sizeof(*u)), **tail;

	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	u->pos = st->w[0].pos;
	kc_dispatch(c, conf, st->child, url_kw, url_unsup, "url", u);
	if (!u->path) {
		kc_error(c, &st->w[0].pos, "url without a path");
		return;
	}
	for (tail = &ck->urls; *tail; tail = &(*tail)->next)
		;
	*tail = u;
}

static void c_timing(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	kw_timing(c, conf, st, &((struct kc_check *)obj)->t);
}

static void c_connect(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	struct kc_check *ck = obj;
	const char *k = st->w[0].s;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(k, "fwmark") != 0)
		ck->has_connect = true;
	if (strcmp(k, "connect_ip") == 0) {
		kc_arg_addr(c, st, 1, AF_UNSPEC, &ck->connect_ip);
	} else if (strcmp(k, "bindto") == 0) {
		kc_arg_addr(c, st, 1, AF_UNSPEC, &ck->bindto);
	} else if (strcmp(k, "connect_port") == 0) {
		if (kc_arg_uint(c, st, 1, 1, 65535, &v) == 0)
			ck->connect_port = (unsigned)v;
	} else if (kc_arg_uint(c, st, 1, 1, UINT32_MAX, &v) == 0) {	/* fwmark */
		ck->fwmark = (unsigned)v;
	}
}

/* Where a checker connects to and from: every checker but MISC_CHECK. */
#define CONNECT_KW \
	{ "connect_ip", c_connect, KC_KW_NOBLOCK }, \
	{ "connect_port", c_connect, KC_KW_NOBLOCK }, \
	{ "bindto", c_connect, KC_KW_NOBLOCK }, \
	{ "fwmark", c_connect, KC_KW_NOBLOCK }

static void c_http_proto(struct kc_ctx *c, struct kc_conf *conf,
			 struct kc_stmt *st, void *obj)
{
	struct kc_check *ck = obj;
	const char *s;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	s = st->w[1].s;
	if (strcmp(s, "1.0") == 0 || strcmp(s, "1.1") == 0) {
		ck->http_proto = s;
	} else if (strcasecmp(s, "1.0C") == 0) {
		kc_warn(c, &st->w[1].pos, "http_protocol 1.0C: hcheck sends HTTP/1.0, "
			"which closes the connection anyway; 1.0 is used");
		ck->http_proto = "1.0";
	} else {
		kc_error(c, &st->w[1].pos, "http_protocol: '%s' is not 1.0, 1.0C or 1.1", s);
	}
}

static void c_vhost(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	(void)conf;
	((struct kc_check *)obj)->vhost = vhost_arg(c, st);
}

static void c_sni(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		  void *obj)
{
	struct kc_check *ck = obj;

	(void)conf;
	if (ck->kind != KC_CHECK_SSL) {
		kc_error(c, &st->w[0].pos, "enable_sni belongs in SSL_GET");
		return;
	}
	if (kc_nargs(c, st, 0, 0) == 0)
		ck->sni = true;
}

static void c_misc_path(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
			void *obj)
{
	struct kc_check *ck = obj;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, true);

	(void)conf;
	if (cmd) {
		ck->misc = *cmd;
		ck->has_misc = true;
	}
}

static void c_misc_timeout(struct kc_ctx *c, struct kc_conf *conf,
			   struct kc_stmt *st, void *obj)
{
	struct kc_check *ck = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) == 0)
		kc_arg_secs(c, st, 1, 10000, SECS(86400), &ck->misc_timeout_us);
}

static void c_misc_dynamic(struct kc_ctx *c, struct kc_conf *conf,
			   struct kc_stmt *st, void *obj)
{
	(void)conf;
	if (kc_nargs(c, st, 0, 0) == 0)
		((struct kc_check *)obj)->misc_dynamic = true;
}

/* UDP_CHECK's payload and require_reply: keepalived's hex string (the
 * rest of the line), checked and kept as hcheck's one word. */
static void c_udp_hex(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	struct kc_check *ck = obj;
	bool reply = strcmp(st->w[0].s, "require_reply") == 0;
	unsigned char d[1024], m[1024];
	char *joined, *hex;
	struct hk_err e;
	size_t len = 0;
	long n;

	(void)conf;
	if (reply)
		ck->udp_require = true;
	if (st->n == 1) {
		if (!reply)
			kc_error(c, &st->w[0].pos, "payload needs a hex string");
		return;
	}
	for (size_t i = 1; i < st->n; i++)
		len += strlen(st->w[i].s) + 1;
	joined = kc_alloc(&c->arena, len);
	joined[0] = '\0';
	for (size_t i = 1; i < st->n; i++) {
		if (i > 1)
			strcat(joined, " ");
		strcat(joined, st->w[i].s);
	}
	n = hk_parse_hex(joined, d, reply ? m : NULL, sizeof(d), reply, &e);
	if (n < 0) {
		kc_error(c, &st->w[1].pos, "%s: %s", st->w[0].s, e.msg);
		return;
	}
	hex = kc_alloc(&c->arena, (size_t)n * 2 + 1);
	for (long i = 0; i < n; i++) {
		static const char digits[] = "0123456789abcdef";

		hex[2 * i] = reply && (m[i] & 0xf0) ? 'x' : digits[d[i] >> 4];
		hex[2 * i + 1] = reply && (m[i] & 0x0f) ? 'x' : digits[d[i] & 0xf];
	}
	hex[2 * n] = '\0';
	if (reply)
		ck->udp_reply = hex;
	else
		ck->udp_payload = hex;
}

static void c_udp_len(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	struct kc_check *ck = obj;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || kc_arg_uint(c, st, 1, 0, 65535, &v) < 0)
		return;
	if (strcmp(st->w[0].s, "min_reply_length") == 0)
		ck->udp_min = (unsigned)v;
	else
		ck->udp_max = (unsigned)v;
}

/* DNS_CHECK's type and name: what keepalived ignores (an unknown type,
 * an empty label) is a warning, and its default stays. */
static void c_dns(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st, void *obj)
{
	static const char *const types[] = { "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA",
					     "RRSIG", "DNSKEY" };
	struct kc_check *ck = obj;
	const char *v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	v = st->w[1].s;
	if (strcmp(st->w[0].s, "type") == 0) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(v, types[i]) == 0) {
				ck->dns_type = types[i];
				return;
			}
		kc_warn(c, &st->w[1].pos, "DNS_CHECK type '%s' is not A, NS, CNAME, SOA, MX, TXT, "
			"AAAA, RRSIG or DNSKEY; ignored, as keepalived ignores it (SOA is asked)", v);
		return;
	}
	if (ck->dns_name) {
		kc_warn(c, &st->w[0].pos, "DNS_CHECK name given twice; the first is kept, as keepalived keeps it");
		return;
	}
	if ((v[0] == '.' && v[1]) || strstr(v, "..") || strlen(v) > 253 ||
	    strpbrk(v, " \t\"'\\") || !v[0]) {
		kc_warn(c, &st->w[1].pos, "DNS_CHECK name '%s' is not a DNS name; ignored, as keepalived "
			"ignores a name with an empty label (the root, '.', is asked)", v);
		return;
	}
	ck->dns_name = v;
}

static void c_helo(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st, void *obj)
{
	struct kc_check *ck = obj;
	const char *v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	v = st->w[1].s;
	if (!v[0] || strlen(v) > 255 || strpbrk(v, " \t\r\n")) {
		kc_error(c, &st->w[1].pos, "helo_name '%s' is not one word of 1-255 characters", v);
		return;
	}
	ck->helo = v;
}

static const struct kc_kw smtp_host_kw[] = {
	CONNECT_KW,
	{ NULL, NULL, 0 },
};

/* keepalived 2.x turns each (deprecated) host block of an SMTP_CHECK
 * into a checker of its own, with the block's settings so far. */
static void c_smtp_host(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
			void *obj)
{
	struct kc_check *ck = obj, *h = kc_alloc(&c->arena, sizeof(*h)), **tail;

	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	*h = *ck;
	h->pos = st->w[0].pos;
	h->hosts = NULL;
	h->next = NULL;
	h->has_connect = false;
	kc_dispatch(c, conf, st->child, smtp_host_kw, NULL, "host", h);
	for (tail = &ck->hosts; *tail; tail = &(*tail)->next)
		;
	*tail = h;
}

static void c_user(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	(void)conf; (void)obj;
	kc_warn(c, &st->w[0].pos, "'user' in MISC_CHECK: hakit runs every script as "
		"script_user; ignored");
}

#define TIMING_KW(fn) \
	{ "delay_loop", fn, KC_KW_NOBLOCK }, \
	{ "connect_timeout", fn, KC_KW_NOBLOCK }, \
	{ "retry", fn, KC_KW_NOBLOCK }, \
	{ "delay_before_retry", fn, KC_KW_NOBLOCK }, \
	{ "alpha", fn, KC_KW_NOBLOCK }

static const struct kc_kw http_kw[] = {
	TIMING_KW(c_timing),
	{ "nb_get_retry", c_timing, KC_KW_NOBLOCK },
	{ "url", c_url, KC_KW_BLOCK },
	CONNECT_KW,
	{ "http_protocol", c_http_proto, KC_KW_NOBLOCK },
	{ "virtualhost", c_vhost, KC_KW_NOBLOCK },
	{ "enable_sni", c_sni, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_kw tcp_kw[] = {
	TIMING_KW(c_timing),
	CONNECT_KW,
	{ NULL, NULL, 0 },
};

static const struct kc_kw udp_kw[] = {
	TIMING_KW(c_timing),
	CONNECT_KW,
	{ "payload", c_udp_hex, KC_KW_NOBLOCK },
	{ "require_reply", c_udp_hex, KC_KW_NOBLOCK },
	{ "min_reply_length", c_udp_len, KC_KW_NOBLOCK },
	{ "max_reply_length", c_udp_len, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

/* keepalived's PING_CHECK takes the common keywords; the port of
 * connect_port means nothing to an echo request. */
static const struct kc_kw ping_kw[] = {
	TIMING_KW(c_timing),
	CONNECT_KW,
	{ NULL, NULL, 0 },
};

static const struct kc_kw smtp_kw[] = {
	TIMING_KW(c_timing),
	CONNECT_KW,
	{ "helo_name", c_helo, KC_KW_NOBLOCK },
	{ "host", c_smtp_host, KC_KW_BLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_kw dns_kw[] = {
	TIMING_KW(c_timing),
	CONNECT_KW,
	{ "type", c_dns, KC_KW_NOBLOCK },
	{ "name", c_dns, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_kw misc_kw[] = {
	TIMING_KW(c_timing),
	{ "misc_path", c_misc_path, KC_KW_NOBLOCK },
	{ "misc_timeout", c_misc_timeout, KC_KW_NOBLOCK },
	{ "misc_dynamic", c_misc_dynamic, KC_KW_NOBLOCK },
	{ "user", c_user, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

/* keepalived 2.2.7 takes nb_get_retry in HTTP_GET and SSL_GET only: in a
 * TCP_CHECK, for one, it skips the line and the checker keeps retry 1 */
#define NB_GET_RETRY_ELSEWHERE \
	{ "nb_get_retry", "keepalived 2.2.7 takes it in HTTP_GET and SSL_GET only " \
	  "and skips it here (write 'retry')", false }

static const struct kc_unsup check_unsup[] = {
	NB_GET_RETRY_ELSEWHERE,
	{ "warmup", "checks start at once", false },
	{ "bind_port", NULL, false },
	{ "bind_if", NULL, false },
	{ "fast_recovery", "hakit checks every URL on each round anyway", true },
	{ "log_all_failures", "hcheck logs every state change", true },
	{ NULL, NULL, false },
};

static void rs_checker(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		       void *obj)
{
	struct kc_rs *rs = obj;
	struct kc_check *ck = kc_alloc(&c->arena, sizeof(*ck)), **tail;
	const char *k = st->w[0].s;
	const struct kc_kw *kw;

	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	ck->pos = st->w[0].pos;
	timing_init(&ck->t);
	if (strcmp(k, "HTTP_GET") == 0) {
		ck->kind = KC_CHECK_HTTP;
		kw = http_kw;
	} else if (strcmp(k, "SSL_GET") == 0) {
		ck->kind = KC_CHECK_SSL;
		kw = http_kw;
	} else if (strcmp(k, "TCP_CHECK") == 0) {
		ck->kind = KC_CHECK_TCP;
		kw = tcp_kw;
	} else if (strcmp(k, "SMTP_CHECK") == 0) {
		ck->kind = KC_CHECK_SMTP;
		kw = smtp_kw;
	} else if (strcmp(k, "DNS_CHECK") == 0) {
		ck->kind = KC_CHECK_DNS;
		kw = dns_kw;
	} else if (strcmp(k, "PING_CHECK") == 0) {
		ck->kind = KC_CHECK_PING;
		kw = ping_kw;
	} else if (strcmp(k, "UDP_CHECK") == 0) {
		ck->kind = KC_CHECK_UDP;
		kw = udp_kw;
		/* keepalived's defaults */
		ck->udp_max = 255;
	} else {
		ck->kind = KC_CHECK_MISC;
		kw = misc_kw;
	}
	kc_dispatch(c, conf, st->child, kw, check_unsup, k, ck);
	if ((ck->kind == KC_CHECK_HTTP || ck->kind == KC_CHECK_SSL) && !ck->urls) {
		kc_error(c, &st->w[0].pos, "%s without a url { path ... }", k);
		return;
	}
	if (ck->kind == KC_CHECK_MISC && !ck->has_misc) {
		kc_error(c, &st->w[0].pos, "MISC_CHECK without misc_path");
		return;
	}
	if (ck->kind == KC_CHECK_UDP && ck->udp_min > ck->udp_max) {
		kc_error(c, &st->w[0].pos,
			 "UDP_CHECK: min_reply_length %u is above max_reply_length %u: no reply could match",
			 ck->udp_min, ck->udp_max);
		return;
	}
	for (tail = &rs->checks; *tail; tail = &(*tail)->next)
		;
	if (ck->kind == KC_CHECK_SMTP && ck->hosts) {
		/* As keepalived 2.x: a checker per host block, and one for
		 * the block itself only if it says where to connect. */
		if (ck->has_connect) {
			*tail = ck;
			tail = &ck->next;
		}
		*tail = ck->hosts;
		ck->hosts = NULL;
		return;
	}
	*tail = ck;
}

/* ---- real_server ------------------------------------------------------- */

static void r_weight(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_rs *rs = obj;
	uint64_t v;
	const char *k = st->w[0].s;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || kc_arg_uint(c, st, 1, 0, 65535, &v) < 0)
		return;
	if (strcmp(k, "weight") == 0)
		rs->weight = (long)v;
	else if (strcmp(k, "uthreshold") == 0)
		rs->uthreshold = (long)v;
	else
		rs->lthreshold = (long)v;
}

static void r_fwd(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		  void *obj)
{
	(void)conf;
	if (kc_nargs(c, st, 1, 8) == 0)
		((struct kc_rs *)obj)->fwd = fwd_word(c, st);
}

static void r_notify(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_rs *rs = obj;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, true);

	(void)conf;
	if (strcmp(st->w[0].s, "notify_up") == 0)
		rs->notify_up = cmd;
	else
		rs->notify_down = cmd;
}

static void r_inhibit(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	bool b;

	(void)conf;
	if (kc_nargs(c, st, 0, 1) == 0 && kc_arg_bool(c, st, 1, &b) == 0)
		((struct kc_rs *)obj)->inhibit = b;
}

static void r_timing(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	kw_timing(c, conf, st, &((struct kc_rs *)obj)->t);
}

static void r_vhost(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	(void)conf;
	((struct kc_rs *)obj)->vhost = vhost_arg(c, st);
}

static void r_unsup_check(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	(void)conf; (void)obj;
	kc_warn(c, &st->w[0].pos, "%s is not supported by hakit; the real server is "
		"judged by its other checkers (up if it has none)", st->w[0].s);
}

static const struct kc_kw rs_kw[] = {
	TIMING_KW(r_timing),
	{ "weight", r_weight, KC_KW_NOBLOCK },
	{ "uthreshold", r_weight, KC_KW_NOBLOCK },
	{ "lthreshold", r_weight, KC_KW_NOBLOCK },
	{ "lvs_method", r_fwd, KC_KW_NOBLOCK },
	{ "lb_kind", r_fwd, KC_KW_NOBLOCK },
	{ "notify_up", r_notify, KC_KW_NOBLOCK },
	{ "notify_down", r_notify, KC_KW_NOBLOCK },
	{ "inhibit_on_failure", r_inhibit, KC_KW_NOBLOCK },
	{ "virtualhost", r_vhost, KC_KW_NOBLOCK },
	{ "HTTP_GET", rs_checker, KC_KW_BLOCK },
	{ "SSL_GET", rs_checker, KC_KW_BLOCK },
	{ "TCP_CHECK", rs_checker, KC_KW_BLOCK },
	{ "MISC_CHECK", rs_checker, KC_KW_BLOCK },
	{ "UDP_CHECK", rs_checker, KC_KW_BLOCK },
	{ "PING_CHECK", rs_checker, KC_KW_BLOCK },
	{ "DNS_CHECK", rs_checker, KC_KW_BLOCK },
	{ "SMTP_CHECK", rs_checker, KC_KW_BLOCK },
	{ "BFD_CHECK", r_unsup_check, 0 },
	{ "FILE_CHECK", r_unsup_check, 0 },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup rs_unsup[] = {
	NB_GET_RETRY_ELSEWHERE,
	{ "smtp_alert", "e-mail alerts are not part of hakit (use notify_up/notify_down)", true },
	{ "snmp_name", "SNMP is not part of hakit", true },
	{ "warmup", "checks start at once", false },
	{ NULL, NULL, false },
};

/* "ADDR [PORT]" of real_server and sorry_server. */
static int addr_port(struct kc_ctx *c, const struct kc_stmt *st, struct kc_vs *vs,
		     struct hk_addr *a, unsigned *port)
{
	uint64_t v;

	if (kc_nargs(c, st, 1, 2) < 0 || kc_arg_addr(c, st, 1, AF_UNSPEC, a) < 0)
		return -1;
	if (st->n > 2) {
		if (kc_arg_uint(c, st, 2, 1, 65535, &v) < 0)
			return -1;
		*port = (unsigned)v;
	} else if (vs->is_fwmark) {
		kc_error(c, &st->w[1].pos, "%s of a fwmark virtual_server needs a port",
			 st->w[0].s);
		return -1;
	} else {
		*port = vs->port;
	}
	return 0;
}

static void v_real_server(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	struct kc_vs *vs = obj;
	struct kc_rs *rs = kc_alloc(&c->arena, sizeof(*rs)), **tail;
	char buf[HK_ADDRSTRLEN];

	if (addr_port(c, st, vs, &rs->addr, &rs->port) < 0)
		return;
	rs->pos = st->w[1].pos;
	rs->weight = 1;
	rs->fwd = rs->inhibit = -1;
	timing_init(&rs->t);
	kc_dispatch(c, conf, st->child, rs_kw, rs_unsup,
		    kc_printf(&c->arena, "real_server %s",
			      hk_addrport_str(&rs->addr, (uint16_t)rs->port, buf)), rs);
	for (tail = &vs->rs; *tail; tail = &(*tail)->next) {
		if (hk_addr_eq(&(*tail)->addr, &rs->addr) && (*tail)->port == rs->port) {
			kc_error(c, &st->w[1].pos, "real_server %s appears twice in this "
				 "virtual_server (first at line %u)", buf, (*tail)->pos.line);
			return;
		}
	}
	*tail = rs;
}

/* ---- virtual_server ---------------------------------------------------- */

static void v_sched(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	static const char *scheds[] = { "rr", "wrr", "lc", "wlc", "lblc", "lblcr",
		"dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos", NULL };
	struct kc_vs *vs = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	for (int i = 0; scheds[i]; i++)
		if (strcmp(st->w[1].s, scheds[i]) == 0) {
			vs->sched = scheds[i];
			return;
		}
	kc_error(c, &st->w[1].pos, "%s: '%s' is not an IPVS scheduler (rr, wrr, lc, wlc, "
		 "lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos)", st->w[0].s, st->w[1].s);
}

static void v_fwd(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		  void *obj)
{
	struct kc_vs *vs = obj;
	int f;

	(void)conf;
	if (kc_nargs(c, st, 1, 8) < 0 || (f = fwd_word(c, st)) < 0)
		return;
	if (strcmp(st->w[0].s, "sorry_server_lvs_method") == 0)
		vs->sorry_fwd = f;
	else
		vs->fwd = (enum kc_fwd)f;
}

static void v_persistence(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	struct kc_vs *vs = obj;
	uint64_t v = 360;

	(void)conf;
	if (kc_nargs(c, st, 0, 1) < 0)
		return;
	if (st->n > 1 && kc_arg_uint(c, st, 1, 1, 2678400, &v) < 0)
		return;
	vs->persistence = (unsigned long)v;
}

static void v_granularity(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	struct kc_vs *vs = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) == 0)
		kc_arg_addr(c, st, 1, AF_INET, &vs->granularity);
}

static void v_protocol(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		       void *obj)
{
	struct kc_vs *vs = obj;
	const char *s;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	s = st->w[1].s;
	if (strcasecmp(s, "TCP") == 0)
		vs->proto = "tcp";
	else if (strcasecmp(s, "UDP") == 0)
		vs->proto = "udp";
	else if (strcasecmp(s, "SCTP") == 0)
		vs->proto = "sctp";
	else
		kc_error(c, &st->w[1].pos, "protocol: '%s' is not TCP, UDP or SCTP", s);
}

static void v_sorry(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	struct kc_vs *vs = obj;

	(void)conf;
	if (addr_port(c, st, vs, &vs->sorry, &vs->sorry_port) == 0)
		vs->has_sorry = true;
}

static void v_number(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_vs *vs = obj;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || kc_arg_uint(c, st, 1, 0, 1u << 30, &v) < 0)
		return;
	if (strcmp(st->w[0].s, "quorum") == 0)
		vs->quorum = (long)v;
	else
		vs->hysteresis = (long)v;
}

static void v_quorum_cmd(struct kc_ctx *c, struct kc_conf *conf,
			 struct kc_stmt *st, void *obj)
{
	struct kc_vs *vs = obj;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, true);

	(void)conf;
	if (strcmp(st->w[0].s, "quorum_up") == 0)
		vs->quorum_up = cmd;
	else
		vs->quorum_down = cmd;
}

static void v_flag(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_vs *vs = obj;
	const char *k = st->w[0].s;
	bool b = true;

	(void)conf;
	if (strcmp(k, "alpha") == 0) {
		kw_timing(c, conf, st, &vs->t);
		vs->alpha = vs->t.alpha > 0;
		return;
	}
	if (kc_nargs(c, st, 0, 1) < 0 || kc_arg_bool(c, st, 1, &b) < 0)
		return;
	if (strcmp(k, "omega") == 0)
		vs->omega = b;
	else if (strcmp(k, "inhibit_on_failure") == 0)
		vs->inhibit = b;
	else if (strcmp(k, "sorry_server_inhibit") == 0)
		vs->sorry_inhibit = b;
	else if (strcmp(k, "ops") == 0)
		vs->ops = b;
	else if (b)	/* scheduler flags */
		vs->flags = vs->flags ? kc_printf(&c->arena, "%s,%s", vs->flags, k) : k;
}

static void v_timing(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	kw_timing(c, conf, st, &((struct kc_vs *)obj)->t);
}

static void v_vhost(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	(void)conf;
	((struct kc_vs *)obj)->vhost = vhost_arg(c, st);
}

static void v_pe(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		 void *obj)
{
	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(st->w[1].s, "sip") != 0) {
		kc_error(c, &st->w[1].pos, "persistence_engine: '%s' is not 'sip', the only one IPVS has",
			 st->w[1].s);
		return;
	}
	((struct kc_vs *)obj)->pe = "sip";
}

static void v_family(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_vs *vs = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (!vs->is_fwmark) {
		kc_warn(c, &st->w[0].pos, "ip_family applies to fwmark services only; ignored");
		return;
	}
	if (strcmp(st->w[1].s, "inet") == 0)
		vs->family = AF_INET;
	else if (strcmp(st->w[1].s, "inet6") == 0)
		kc_error(c, &st->w[1].pos, "ip_family inet6: IPv6 fwmark services are "
			 "not supported by hakit yet (ipvsctl names a fwmark service by "
			 "its mark alone)");
	else
		kc_error(c, &st->w[1].pos, "ip_family: '%s' is not inet or inet6", st->w[1].s);
}

static const struct kc_kw vs_kw[] = {
	{ "delay_loop", v_timing, KC_KW_NOBLOCK },
	{ "connect_timeout", v_timing, KC_KW_NOBLOCK },
	{ "retry", v_timing, KC_KW_NOBLOCK },
	{ "delay_before_retry", v_timing, KC_KW_NOBLOCK },
	{ "lb_algo", v_sched, KC_KW_NOBLOCK },
	{ "lvs_sched", v_sched, KC_KW_NOBLOCK },
	{ "lb_kind", v_fwd, KC_KW_NOBLOCK },
	{ "lvs_method", v_fwd, KC_KW_NOBLOCK },
	{ "sorry_server_lvs_method", v_fwd, KC_KW_NOBLOCK },
	{ "persistence_timeout", v_persistence, KC_KW_NOBLOCK },
	{ "persistence_granularity", v_granularity, KC_KW_NOBLOCK },
	{ "persistence_engine", v_pe, KC_KW_NOBLOCK },
	{ "protocol", v_protocol, KC_KW_NOBLOCK },
	{ "sorry_server", v_sorry, KC_KW_NOBLOCK },
	{ "quorum", v_number, KC_KW_NOBLOCK },
	{ "hysteresis", v_number, KC_KW_NOBLOCK },
	{ "quorum_up", v_quorum_cmd, KC_KW_NOBLOCK },
	{ "quorum_down", v_quorum_cmd, KC_KW_NOBLOCK },
	{ "alpha", v_flag, KC_KW_NOBLOCK },
	{ "omega", v_flag, KC_KW_NOBLOCK },
	{ "inhibit_on_failure", v_flag, KC_KW_NOBLOCK },
	{ "sorry_server_inhibit", v_flag, KC_KW_NOBLOCK },
	{ "ops", v_flag, KC_KW_NOBLOCK },
	{ "flag-1", v_flag, KC_KW_NOBLOCK },
	{ "flag-2", v_flag, KC_KW_NOBLOCK },
	{ "flag-3", v_flag, KC_KW_NOBLOCK },
	{ "sh-port", v_flag, KC_KW_NOBLOCK },
	{ "sh-fallback", v_flag, KC_KW_NOBLOCK },
	{ "mh-port", v_flag, KC_KW_NOBLOCK },
	{ "mh-fallback", v_flag, KC_KW_NOBLOCK },
	{ "virtualhost", v_vhost, KC_KW_NOBLOCK },
	{ "ip_family", v_family, KC_KW_NOBLOCK },
	{ "real_server", v_real_server, KC_KW_BLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup vs_unsup[] = {
	NB_GET_RETRY_ELSEWHERE,
	{ "smtp_alert", "e-mail alerts are not part of hakit (use quorum_up/quorum_down)", true },
	{ "snmp_name", "SNMP is not part of hakit", true },
	{ "ha_suspend", NULL, false },
	{ "warmup", "checks start at once", false },
	{ NULL, NULL, false },
};

void kc_kw_virtual_server(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	struct kc_vs *vs = kc_alloc(&c->arena, sizeof(*vs)), **tail;
	uint64_t v;

	(void)obj;
	if (kc_nargs(c, st, 2, 2) < 0)
		return;
	vs->pos = st->w[1].pos;
	if (strcmp(st->w[1].s, "group") == 0) {
		kc_warn(c, &st->w[1].pos, "virtual_server group is not supported by hakit; "
			"it and its block are ignored (write one virtual_server per address)");
		return;
	}
	if (strcmp(st->w[1].s, "fwmark") == 0) {
		if (kc_arg_uint(c, st, 2, 1, UINT32_MAX, &v) < 0)
			return;
		vs->is_fwmark = true;
		vs->fwmark = (unsigned)v;
		vs->family = AF_INET;
	} else {
		if (kc_arg_addr(c, st, 1, AF_UNSPEC, &vs->addr) < 0 ||
		    kc_arg_uint(c, st, 2, 1, 65535, &v) < 0)
			return;
		vs->port = (unsigned)v;
		vs->family = vs->addr.family;
	}
	vs->proto = "tcp";
	vs->sched = "wlc";
	vs->fwd = KC_FWD_NAT;
	vs->sorry_fwd = -1;
	vs->quorum = 1;
	timing_init(&vs->t);
	kc_dispatch(c, conf, st->child, vs_kw, vs_unsup,
		    kc_printf(&c->arena, "virtual_server %s %s", st->w[1].s, st->w[2].s), vs);
	if (vs->granularity.family && !vs->persistence)
		kc_warn(c, &st->w[0].pos, "persistence_granularity without "
			"persistence_timeout means nothing; ignored");
	for (struct kc_rs *rs = vs->rs; rs; rs = rs->next)
		if (!vs->is_fwmark && rs->addr.family != vs->family)
			kc_error(c, &rs->pos, "real_server is not of the family of its "
				 "virtual_server (IPVS cannot mix them)");
	for (tail = &conf->vss; *tail; tail = &(*tail)->next) {
		struct kc_vs *o = *tail;

		if (o->is_fwmark == vs->is_fwmark && o->family == vs->family &&
		    (vs->is_fwmark ? o->fwmark == vs->fwmark :
		     hk_addr_eq(&o->addr, &vs->addr) && o->port == vs->port &&
		     strcmp(o->proto, vs->proto) == 0)) {
			kc_error(c, &vs->pos, "this virtual_server is defined twice (first at "
				 "%s:%u:%u)", o->pos.file, o->pos.line, o->pos.col);
			return;
		}
	}
	*tail = vs;
}

/* SSL { ca ... }: the CA goes to hcheck; client certificates do not. */
static void ssl_ca(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	(void)obj;
	if (kc_nargs(c, st, 1, 1) == 0)
		conf->ssl_ca = kc_arg_str(c, st, 1);
}

static const struct kc_kw ssl_kw[] = {
	{ "ca", ssl_ca, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup ssl_unsup[] = {
	{ "password", "client certificates are not supported by hcheck", false },
	{ "certificate", "client certificates are not supported by hcheck", false },
	{ "key", "client certificates are not supported by hcheck", false },
	{ NULL, NULL, false },
};

void kc_kw_ssl(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
	       void *obj)
{
	(void)obj;
	conf->ssl_pos = st->w[0].pos;
	kc_dispatch(c, conf, st->child, ssl_kw, ssl_unsup, "SSL", NULL);
}
