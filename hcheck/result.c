#include "hcheck.h"
#include "exitcode.h"
#include "json.h"

#include <stdarg.h>
#include <string.h>

static const char *kind_name(enum hc_kind k)
{
	static const char *const names[] = { "TCP", "HTTP", "HTTPS", "UDP", "PING", "DNS", "SMTP" };

	return names[k];
}

static const char *code_name(int code)
{
	switch (code) {
	case HK_PROBE_OK: return "OK";
	case HK_PROBE_WARNING: return "WARNING";
	case HK_PROBE_CRITICAL: return "CRITICAL";
	default: return "UNKNOWN";
	}
}

static void say(struct hc_result *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct hc_result *r, int code, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
}

/* Does the start of the body match the probe's regex?  REG_STARTEND
 * lets a body holding NUL bytes be searched whole. */
static bool regex_matches(const struct hc_probe *p, const char *body, size_t len)
{
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	return regexec(&p->regex, body ? body : "", 1, m, REG_STARTEND) == 0;
}

/*
 * keepalived's UDP_CHECK: a reply passes unless a pattern was given
 * and the reply is outside the length range or differs from it in its
 * first bytes (as many as both have); no reply passes unless one is
 * required; an ICMP error fails.
 */
static void judge_udp(const struct hc_probe *p, const struct hk_fetch *f, struct hc_result *r)
{
	size_t n;

	r->have_response = true;
	r->bytes = f->dgram_len;
	if (!p->reply)
		return;
	if (f->dgram_len < p->min_reply || f->dgram_len > p->max_reply) {
		say(r, HK_PROBE_CRITICAL, "a reply of %zu bytes, outside %u-%u", f->dgram_len,
		    p->min_reply, p->max_reply);
		return;
	}
	n = f->dgram_len < p->reply_len ? f->dgram_len : p->reply_len;
	for (size_t i = 0; i < n; i++)
		if ((f->dgram[i] ^ p->reply[i]) & ~p->reply_mask[i]) {
			say(r, HK_PROBE_CRITICAL,
			    "a reply of %zu bytes that differs from --reply at byte %zu", f->dgram_len,
			    i + 1);
			return;
		}
}

/* keepalived's DNS_CHECK: any response to the query but an error code
 * is an answer. */
static void judge_dns(const struct hk_fetch *f, struct hc_result *r)
{
	static const char *const rcodes[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					      "NOTIMP", "REFUSED" };
	unsigned rc = f->dgram[3] & 0x0f;

	r->have_response = true;
	r->bytes = f->dgram_len;
	r->status = (int)rc;
	if (rc)
		say(r, HK_PROBE_CRITICAL, "response code %u (%s)", rc,
		    rc < sizeof(rcodes) / sizeof(rcodes[0]) ? rcodes[rc] : "error");
}

void hc_judge(const struct hc_probe *p, const struct hk_fetch *f,
	      const char *body, size_t body_len, struct hc_result *r)
{
	unsigned attempts = r->attempts;
	char t[32];

	memset(r, 0, sizeof(*r));
	r->attempts = attempts;
	r->code = HK_PROBE_OK;
	r->time_us = hk_fetch_elapsed_us(f);
	if (f->have_cert) {
		r->have_cert = true;
		r->cert_days = f->cert_days;
	}
	/* keepalived's UDP_CHECK: silence passes unless a reply is due. */
	if (p->kind == HC_UDP && f->outcome == HK_FETCH_TIMEOUT && !p->require_reply) {
		r->no_reply = true;
		return;
	}
	if (f->outcome != HK_FETCH_OK) {
		say(r, f->outcome == HK_FETCH_LOCAL ? HK_PROBE_UNKNOWN : HK_PROBE_CRITICAL,
		    "%s", f->why);
		return;
	}
	if (p->kind == HC_UDP || p->kind == HC_DNS || p->kind == HC_PING || p->kind == HC_SMTP) {
		if (p->kind == HC_UDP)
			judge_udp(p, f, r);
		else if (p->kind == HC_DNS)
			judge_dns(f, r);
		if (r->code == HK_PROBE_OK && p->warn_us && r->time_us > p->warn_us)
			say(r, HK_PROBE_WARNING, "slower than %s",
			    hk_fetch_fmt_secs(t, sizeof(t), p->warn_us));
		return;
	}
	if (p->kind != HC_TCP) {
		r->have_response = true;
		r->status = f->resp.status;
		r->bytes = f->resp.body_len;
		if (f->have_digest) {
			r->have_digest = true;
			hk_md5_hex(r->digest, f->digest);
		}
	}
	/* The first failure found is the reason given, most telling first. */
	if (p->kind != HC_TCP && !hc_status_has(&p->status, r->status)) {
		say(r, HK_PROBE_CRITICAL, "status %d, expected %s", r->status, p->status.text);
		return;
	}
	if (p->has_digest && (!f->have_digest ||
			      memcmp(f->digest, p->digest, HK_MD5_LEN) != 0)) {
		char want[HK_MD5_HEXLEN];

		say(r, HK_PROBE_CRITICAL, "digest %s, expected %s", r->digest,
		    hk_md5_hex(want, p->digest));
		return;
	}
	if (p->has_regex && !regex_matches(p, body, body_len)) {
		say(r, HK_PROBE_CRITICAL, "body does not match '%s'", p->regex_src);
		return;
	}
	if (p->cert_days && f->have_cert) {
		if (f->cert_days < 0) {
			say(r, HK_PROBE_CRITICAL, "certificate expired %ld days ago",
			    -f->cert_days);
			return;
		}
		if (f->cert_days < (long)p->cert_days) {
			say(r, HK_PROBE_WARNING, "certificate expires in %ld days (--cert-days %u)",
			    f->cert_days, p->cert_days);
			return;
		}
	}
	if (p->warn_us && r->time_us > p->warn_us)
		say(r, HK_PROBE_WARNING, "slower than %s",
		    hk_fetch_fmt_secs(t, sizeof(t), p->warn_us));
}

/* Append to buf at *o, never past size. */
static void put(char *buf, size_t size, size_t *o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*o >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *o, size - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o += (size_t)n < size - *o ? (size_t)n : size - *o - 1;
}

void hc_result_line(const struct hc_probe *p, const struct hc_result *r,
		    char *buf, size_t size)
{
	size_t o = 0;
	char warn[32] = "";

	put(buf, size, &o, "%s %s: ", kind_name(p->kind), code_name(r->code));
	if (p->kind == HC_UDP && r->no_reply) {
		char t[32];

		put(buf, size, &o, "no reply in %s, none required",
		    hk_fetch_fmt_secs(t, sizeof(t), p->timeout_us));
	} else if (p->kind == HC_UDP && r->code == HK_PROBE_OK) {
		put(buf, size, &o, "a reply of %llu bytes in %.1f ms",
		    (unsigned long long)r->bytes, r->time_us / 1000.0);
	} else if (p->kind == HC_DNS && (r->code == HK_PROBE_OK || r->code == HK_PROBE_WARNING)) {
		put(buf, size, &o, "NOERROR, %llu bytes in %.1f ms", (unsigned long long)r->bytes,
		    r->time_us / 1000.0);
		if (r->code == HK_PROBE_WARNING)
			put(buf, size, &o, ", %s", r->reason);
	} else if (p->kind == HC_SMTP && r->code == HK_PROBE_OK) {
		put(buf, size, &o, "220, HELO 250, QUIT in %.1f ms", r->time_us / 1000.0);
	} else if (p->kind == HC_SMTP && r->code == HK_PROBE_WARNING) {
		put(buf, size, &o, "220, HELO 250, QUIT, %s", r->reason);
	} else if (p->kind == HC_PING && r->code == HK_PROBE_OK) {
		put(buf, size, &o, "a reply in %.1f ms", r->time_us / 1000.0);
	} else if (p->kind == HC_PING && r->code == HK_PROBE_WARNING) {
		put(buf, size, &o, "a reply, %s", r->reason);
	} else if (p->kind == HC_UDP && r->code == HK_PROBE_WARNING) {
		put(buf, size, &o, "a reply of %llu bytes, %s", (unsigned long long)r->bytes,
		    r->reason);
	} else if (r->code == HK_PROBE_OK || (r->code == HK_PROBE_WARNING && r->have_response)) {
		if (p->kind == HC_TCP)
			put(buf, size, &o, "connected in %.1f ms", r->time_us / 1000.0);
		else
			put(buf, size, &o, "%d, %llu bytes, %.1f ms", r->status,
			    (unsigned long long)r->bytes, r->time_us / 1000.0);
		if (r->have_cert && r->code == HK_PROBE_OK)
			put(buf, size, &o, ", certificate expires in %ld days", r->cert_days);
		if (r->code == HK_PROBE_WARNING)
			put(buf, size, &o, ", %s", r->reason);
	} else if (r->code == HK_PROBE_WARNING && p->kind == HC_TCP) {
		put(buf, size, &o, "connected, %s", r->reason);
	} else {
		put(buf, size, &o, "%s", r->reason);
	}
	if (r->attempts > 1)
		put(buf, size, &o, r->code == HK_PROBE_OK || r->code == HK_PROBE_WARNING ?
			" (on attempt %u)" : " (after %u attempts)", r->attempts);
	if (r->code == HK_PROBE_UNKNOWN)
		return;
	/* Performance data, as monitoring plugins print it: time always
	 * once connected, size once a response came. */
	if (p->warn_us)
		snprintf(warn, sizeof(warn), "%.6f", p->warn_us / 1e6);
	if (r->code == HK_PROBE_OK || r->code == HK_PROBE_WARNING || r->have_response) {
		put(buf, size, &o, " | time=%.6fs;%s;;0", r->time_us / 1e6, warn);
		if (r->have_response)
			put(buf, size, &o, " size=%lluB;;;0", (unsigned long long)r->bytes);
	}
}

void hc_result_json(FILE *out, const struct hc_probe *p, const struct hc_result *r)
{
	static const char *const kinds[] = { "tcp", "http", "https", "udp", "ping", "dns", "smtp" };

	fputs("{\"label\":", out);
	hk_json_str(out, p->label);
	fprintf(out, ",\"check\":\"%s\",\"target\":", kinds[p->kind]);
	hk_json_str(out, p->target);
	fprintf(out, ",\"state\":\"%s\",\"code\":%d", code_name(r->code), r->code);
	if (r->reason[0]) {
		fputs(",\"reason\":", out);
		hk_json_str(out, r->reason);
	}
	fprintf(out, ",\"time\":%.6f", r->time_us / 1e6);
	if (r->have_response && p->kind == HC_UDP)
		fprintf(out, ",\"bytes\":%llu", (unsigned long long)r->bytes);
	else if (r->have_response && p->kind == HC_DNS)
		fprintf(out, ",\"rcode\":%d,\"bytes\":%llu", r->status,
			(unsigned long long)r->bytes);
	else if (r->have_response)
		fprintf(out, ",\"status\":%d,\"bytes\":%llu", r->status,
			(unsigned long long)r->bytes);
	if (r->no_reply)
		fputs(",\"reply\":false", out);
	if (r->have_digest)
		fprintf(out, ",\"digest\":\"%s\"", r->digest);
	if (r->have_cert)
		fprintf(out, ",\"cert_days\":%ld", r->cert_days);
	fprintf(out, ",\"attempts\":%u}", r->attempts);
}
