/* hcheck/probe.c and result.c: a probe's words, and the plugin line. */
#include "t.h"
#include "../../hcheck/hcheck.h"
#include "clock.h"
#include "exitcode.h"

#include <stdlib.h>
#include <string.h>

/* Parse a command line given as one string (split on blanks). */
static int parse(const char *line, bool watch, struct hc_probe *p, struct hk_err *e)
{
	static char buf[1024];
	char *argv[HC_WORDS_MAX + 1];
	int n;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[0] = (char *)"hcheck";
	n = hc_words(buf, argv + 1, HC_WORDS_MAX, e);
	if (n < 0)
		return -1;
	argv[n + 1] = NULL;
	return hc_probe_parse(n + 1, argv, false, watch, p, e);
}

TEST(hc_probe_parses_the_used_by_line)
{
	struct hc_probe p;
	struct hk_err e;

	CHECK_EQ_INT(parse("http 192.0.2.10:80 /index.html --status 200 "
			   "--digest F52043B6E7C8DC6AE0000D580817EB1F --timeout 1 --retry 2 "
			   "--delay-before-retry 2", false, &p, &e), 0);
	CHECK_EQ_INT(p.kind, HC_HTTP);
	CHECK_EQ_STR(p.label, "192.0.2.10:80");
	CHECK_EQ_STR(p.path, "/index.html");
	CHECK_EQ_INT(p.port, 80);
	CHECK(p.has_digest && p.digest[0] == 0xf5 && p.digest[15] == 0x1f);
	CHECK_EQ_INT(p.timeout_us, 1000000);
	CHECK_EQ_INT(p.retry, 2);
	CHECK_EQ_INT(p.retry_delay_us, 2000000);
	CHECK(hc_status_has(&p.status, 200) && !hc_status_has(&p.status, 201));
	hc_probe_free(&p);
}

TEST(hc_probe_defaults_are_keepalived_s)
{
	struct hc_probe p;
	struct hk_err e;

	CHECK_EQ_INT(parse("http [2001:db8::1]:8080", true, &p, &e), 0);
	CHECK_EQ_STR(p.path, "/");
	CHECK_EQ_INT(p.timeout_us, 5000000);
	CHECK_EQ_INT(p.retry, 1);
	CHECK_EQ_INT(p.retry_delay_us, 3000000);
	CHECK_EQ_INT(p.interval_us, 60000000);
	CHECK_EQ_INT(p.rise, 1);
	CHECK_EQ_INT(p.fall, 1);
	CHECK_EQ_INT(p.proto, HK_HTTP_10);
	CHECK_EQ_STR(p.status.text, "200-299");
	hc_probe_free(&p);
	CHECK_EQ_INT(parse("tcp 192.0.2.1:22", false, &p, &e), 0);
	CHECK_EQ_INT(p.retry, 0);
	CHECK_EQ_INT(p.retry_delay_us, 1000000);
	hc_probe_free(&p);
}

TEST(hc_probe_options_may_come_first_and_last_wins)
{
	struct hc_probe p;
	struct hk_err e;

	CHECK_EQ_INT(parse("--timeout 2 --name a https 192.0.2.1:443 --timeout 3 /x --sni w.example --name b",
			   false, &p, &e), 0);
	CHECK_EQ_INT(p.kind, HC_HTTPS);
	CHECK_EQ_INT(p.timeout_us, 3000000);
	CHECK_EQ_STR(p.label, "b");
	CHECK_EQ_STR(p.path, "/x");
	CHECK_EQ_INT(hc_probe_prepare(&p, &e), 0);
	CHECK_EQ_STR(p.fo.sni, "w.example");
	CHECK(strstr(p.request, "Host: 192.0.2.1:443\r\n") != NULL);
	hc_probe_free(&p);
	CHECK_EQ_INT(parse("https 192.0.2.1:443 --vhost www.example", false, &p, &e), 0);
	CHECK_EQ_INT(hc_probe_prepare(&p, &e), 0);
	CHECK_EQ_STR(p.fo.sni, "www.example");
	CHECK(strstr(p.request, "Host: www.example\r\n") != NULL);
	hc_probe_free(&p);
}

static void refused(const char *line, const char *msg)
{
	struct hc_probe p;
	struct hk_err e;

	if (parse(line, false, &p, &e) != -1)
		t_fail(__FILE__, __LINE__, "'%s' was accepted", line);
	else if (strcmp(e.msg, msg) != 0)
		t_fail(__FILE__, __LINE__, "'%s': '%s' != '%s'", line, e.msg, msg);
	hc_probe_free(&p);
}

TEST(hc_probe_refuses_bad_words_naming_them)
{
	refused("", "no check given (http, https, tcp, udp, dns, smtp or ping)");
	refused("ftp 192.0.2.1:21", "unknown check 'ftp' (http, https, tcp, udp, dns, smtp or ping)");
	refused("http", "http needs a target ADDR:PORT");
	refused("http www.example.com:80", "'www.example.com' is not an IPv4 or IPv6 address");
	refused("http 192.0.2.1", "'192.0.2.1' has no port (ADDR:PORT, [ADDR6]:PORT)");
	refused("http 192.0.2.1:0", "'192.0.2.1:0': port '0' must be 1-65535");
	refused("http 192.0.2.1:80 index.html", "PATH 'index.html' does not start with '/'");
	refused("http 192.0.2.1:80 / extra", "unexpected word 'extra'");
	refused("tcp 192.0.2.1:80 /", "tcp takes no PATH ('/')");
	refused("tcp 192.0.2.1:80 --digest 00000000000000000000000000000000",
		"--digest applies to http and https, not tcp");
	refused("http 192.0.2.1:80 --verify", "--verify applies to https only");
	refused("http 192.0.2.1:80 --bogus", "unknown option '--bogus'");
	refused("http 192.0.2.1:80 --timeout", "option '--timeout' needs a value");
	refused("http 192.0.2.1:80 --timeout 0", "--timeout: '0' is out of range 0.001-3600 seconds");
	refused("http 192.0.2.1:80 --status 2xx",
		"--status: '2xx' is not a status code or range of 100-999");
	refused("http 192.0.2.1:80 --digest abc", "--digest: 'abc' is not 32 hex digits (an MD5)");
	refused("http 192.0.2.1:80 --regex (", "--regex: '(' is not an extended regex: Unmatched ( or \\(");
	refused("http 192.0.2.1:80 --http 2", "--http: '2' is not 1.0, 1.0c or 1.1");
	refused("http 192.0.2.1:80 --retry 101", "--retry: '101' is out of range 0-100");
	refused("http 192.0.2.1:80 --fwmark 0", "--fwmark: '0' is out of range 1-4294967295");
	refused("http 192.0.2.1:80 --bind 2001:db8::1",
		"--bind: the source and '192.0.2.1:80' are not the same family");
	refused("http 192.0.2.1:80 --vhost \"a b\"", "--vhost: 'a b' holds a space, a control character or a non-ASCII byte");
	refused("http 192.0.2.1:80 --name \"a b\"", "--name: 'a b' holds a blank or a control character");
	refused("http 192.0.2.1:80 --json", "--json applies to the whole run: give it on the command line");
	refused("http 192.0.2.1:80 -f x", "--file applies to the whole run: give it on the command line");
	refused("http 192.0.2.1:80 --rise 0", "--rise: '0' is out of range 1-1000");
	refused("https 192.0.2.1:443 --cert-days x", "--cert-days: 'x' is not a whole number");
}

/* A fake ended attempt. */
static void ended(struct hk_fetch *f, enum hk_fetch_outcome out, int status,
		  uint64_t bytes, uint64_t us)
{
	memset(f, 0, sizeof(*f));
	f->outcome = out;
	f->t_start = 1;
	f->t_end = 1 + us;
	f->resp.status = status;
	f->resp.body_len = bytes;
}

TEST(hc_result_line_is_a_plugin_line)
{
	struct hc_probe p;
	struct hc_result r = { 0 };
	struct hk_fetch *f = calloc(1, sizeof(*f));
	struct hk_err e;
	char line[512];

	parse("http 192.0.2.10:80", false, &p, &e);
	ended(f, HK_FETCH_OK, 200, 612, 800);
	r.attempts = 1;
	hc_judge(&p, f, NULL, 0, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP OK: 200, 612 bytes, 0.8 ms | time=0.000800s;;;0 size=612B;;;0");
	ended(f, HK_FETCH_OK, 404, 10, 1500);
	hc_judge(&p, f, NULL, 0, &r);
	CHECK_EQ_INT(r.code, HK_PROBE_CRITICAL);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP CRITICAL: status 404, expected 200-299 | time=0.001500s;;;0 size=10B;;;0");
	ended(f, HK_FETCH_CONNECT, 0, 0, 100);
	snprintf(f->why, sizeof(f->why), "connection refused");
	r.attempts = 3;
	hc_judge(&p, f, NULL, 0, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP CRITICAL: connection refused (after 3 attempts)");
	ended(f, HK_FETCH_LOCAL, 0, 0, 100);
	snprintf(f->why, sizeof(f->why), "bind 192.0.2.1: Cannot assign requested address");
	r.attempts = 1;
	hc_judge(&p, f, NULL, 0, &r);
	CHECK_EQ_INT(r.code, HK_PROBE_UNKNOWN);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP UNKNOWN: bind 192.0.2.1: Cannot assign requested address");
	hc_probe_free(&p);

	parse("http 192.0.2.10:80 --warn-time 0.5 --regex ^ok$", false, &p, &e);
	ended(f, HK_FETCH_OK, 200, 2, 600000);
	hc_judge(&p, f, "ok", 2, &r);
	CHECK_EQ_INT(r.code, HK_PROBE_WARNING);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP WARNING: 200, 2 bytes, 600.0 ms, slower than 0.5 s"
		     " | time=0.600000s;0.500000;;0 size=2B;;;0");
	hc_judge(&p, f, "ko", 2, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTP CRITICAL: body does not match '^ok$' | time=0.600000s;0.500000;;0 size=2B;;;0");
	/* A body holding NUL bytes is searched whole. */
	hc_judge(&p, f, "\0ok", 3, &r);
	CHECK_EQ_INT(r.code, HK_PROBE_CRITICAL);
	hc_probe_free(&p);

	parse("tcp 192.0.2.10:22", false, &p, &e);
	ended(f, HK_FETCH_OK, 0, 0, 200);
	hc_judge(&p, f, NULL, 0, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "TCP OK: connected in 0.2 ms | time=0.000200s;;;0");
	hc_probe_free(&p);

	parse("https 192.0.2.10:443 --cert-days 30", false, &p, &e);
	ended(f, HK_FETCH_OK, 200, 5, 2000);
	f->have_cert = true;
	f->cert_days = 12;
	hc_judge(&p, f, NULL, 0, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTPS WARNING: 200, 5 bytes, 2.0 ms, certificate expires in 12 days "
		     "(--cert-days 30) | time=0.002000s;;;0 size=5B;;;0");
	f->cert_days = -2;
	hc_judge(&p, f, NULL, 0, &r);
	CHECK_EQ_INT(r.code, HK_PROBE_CRITICAL);
	CHECK_EQ_STR(r.reason, "certificate expired 2 days ago");
	f->cert_days = 300;
	hc_judge(&p, f, NULL, 0, &r);
	hc_result_line(&p, &r, line, sizeof(line));
	CHECK_EQ_STR(line, "HTTPS OK: 200, 5 bytes, 2.0 ms, certificate expires in 300 days"
		     " | time=0.002000s;;;0 size=5B;;;0");
	hc_probe_free(&p);
	free(f);
}
