/*
 * genhash: the MD5 digest of a web page's body, as keepalived's HTTP_GET
 * and SSL_GET compare it (`digest` in a url block), with keepalived's
 * genhash flags.  Unlike keepalived's, it says when it could not make a
 * digest, with an exit code.
 */
#include "clock.h"
#include "exitcode.h"
#include "fetch.h"
#include "hashpipe.h"
#include "http.h"
#include "log.h"
#include "md5.h"
#include "parse.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: genhash -s SERVER -p PORT -u URL [-S] [-I] [-V VHOST]\n"
	"               [-P 1.0|1.0c|1.1] [-t TIMEOUT] [-m FWMARK] [-v]\n"
	"       genhash -h\n";

static void usage(FILE *f, int code)
{
	fputs(usage_text, f);
	exit(code);
}

struct gh_opts {
	struct hk_addr server;
	uint16_t port;
	const char *url;
	const char *vhost;
	bool ssl, sni, verbose;
	enum hk_http_proto proto;
	uint64_t timeout_us;
	uint32_t fwmark;
};

static void parse_args(int argc, char **argv, struct gh_opts *g)
{
	static const struct option longopts[] = {
		{ "use-ssl", no_argument, NULL, 'S' },
		{ "use-sni", no_argument, NULL, 'I' },
		{ "server", required_argument, NULL, 's' },
		{ "port", required_argument, NULL, 'p' },
		{ "url", required_argument, NULL, 'u' },
		{ "use-virtualhost", required_argument, NULL, 'V' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "fwmark", required_argument, NULL, 'm' },
		{ "protocol", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	bool have_server = false, have_port = false;
	const char *why;
	int c;

	while ((c = getopt_long(argc, argv, "SIs:p:u:V:vhm:P:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': g->ssl = true; break;
		case 'I': g->sni = true; break;
		case 's':
			hk_opt_addr("-s", optarg, AF_UNSPEC, &g->server);
			have_server = true;
			break;
		case 'p':
			g->port = (uint16_t)hk_opt_uint("-p", optarg, 1, 65535);
			have_port = true;
			break;
		case 'u':
			if ((why = hk_http_path_problem(optarg)))
				hk_die(HK_PROBE_UNKNOWN, "-u: '%s' %s", optarg, why);
			g->url = optarg;
			break;
		case 'V':
			if ((why = hk_http_host_problem(optarg)))
				hk_die(HK_PROBE_UNKNOWN, "-V: '%s' %s", optarg, why);
			g->vhost = optarg;
			break;
		case 'v': g->verbose = true; break;
		case 'h': usage(stdout, HK_PROBE_OK); break;
		case 'm':
			g->fwmark = (uint32_t)hk_opt_uint("-m", optarg, 1, UINT32_MAX);
			break;
		case 'P':
			if (hk_http_proto_parse(optarg, &g->proto) < 0)
				hk_die(HK_PROBE_UNKNOWN, "-P: '%s' is not 1.0, 1.0c or 1.1", optarg);
			break;
		case 't':
			g->timeout_us = hk_opt_secs("-t", optarg, 1000, 3600 * HK_USEC_PER_SEC);
			break;
		default:
			usage(stderr, HK_PROBE_UNKNOWN);
		}
	}
	if (optind < argc) {
		hk_warn("unexpected argument '%s'", argv[optind]);
		usage(stderr, HK_PROBE_UNKNOWN);
	}
	if (!have_server || !have_port || !g->url) {
		hk_warn("%s is required", !have_server ? "-s SERVER" :
			!have_port ? "-p PORT" : "-u URL");
		usage(stderr, HK_PROBE_UNKNOWN);
	}
	if (g->sni && !g->ssl)
		hk_die(HK_PROBE_UNKNOWN, "-I: SNI needs -S (TLS)");
	if (g->sni && !g->vhost)
		hk_die(HK_PROBE_UNKNOWN, "-I: SNI sends the virtual host: give it with -V");
}

/* -v: the request and response header, on stderr so that stdout stays
 * the digest alone. */
static void show_block(const char *prefix, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n;
		size_t shown = len && p[len - 1] == '\r' ? len - 1 : len;
		char q[1024];

		fprintf(stderr, "%s%s\n", prefix, hk_http_quote(q, sizeof(q), p, shown));
		if (!nl)
			break;
		n -= len + 1;
		p = nl + 1;
	}
}

static void show_verbose(const struct hk_fetch *f,
			 const char *req, size_t req_len)
{
	const struct hk_http_resp *r = &f->resp;

	show_block("> ", req, req_len);
	if (r->hdr_len)
		show_block("< ", r->hdr, r->hdr_len);
	if (f->have_cert)
		fprintf(stderr, "certificate: expires in %ld days\n", f->cert_days);
	if (r->have_header) {
		switch (r->framing) {
		case HK_HTTP_F_CHUNKED:
			fprintf(stderr, "body: %llu bytes, chunked; %llu bytes hashed "
				"(chunk framing included, as keepalived does)\n",
				(unsigned long long)r->body_len,
				(unsigned long long)r->wire_len);
			break;
		case HK_HTTP_F_LENGTH:
			fprintf(stderr, "body: %llu bytes (Content-Length), all hashed\n",
				(unsigned long long)r->body_len);
			break;
		default:
			fprintf(stderr, "body: %llu bytes (until close), all hashed\n",
				(unsigned long long)r->body_len);
			break;
		}
	}
	fprintf(stderr, "response time: %llu usecs\n",
		(unsigned long long)hk_fetch_elapsed_us(f));
}

/* Wire bytes (keepalived's digest covers the chunk framing too) go to
 * the hashing thread. */
static void to_pipe(void *arg, const char *p, size_t n, unsigned flags)
{
	if (flags & HK_HTTP_WIRE)
		gh_pipe_feed(arg, p, n);
}

int main(int argc, char **argv)
{
	struct gh_opts g = { .proto = HK_HTTP_10, .timeout_us = 5 * HK_USEC_PER_SEC };
	struct hk_fetch_opts o = { 0 };
	static struct hk_fetch f;
	static struct gh_pipe pipe;
	unsigned char digest[HK_MD5_LEN];
	char req[8400], host[HK_ADDRSTRLEN], hex[HK_MD5_HEXLEN];
	struct hk_err e;
	ssize_t n;
	int code = HK_PROBE_OK;

	hk_log_init(argv[0], HK_LOG_STDERR, LOG_INFO);
	hk_set_usage_exit(HK_PROBE_UNKNOWN);
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv, &g);

	hk_addrport_str(&g.server, g.port, host);
	n = hk_http_request(req, sizeof(req), g.url, g.vhost ? g.vhost : host, g.proto);
	if (n < 0)
		hk_die(HK_PROBE_UNKNOWN, "-u: '%s' makes a request line too long", g.url);

	o.kind = g.ssl ? HK_FETCH_HTTPS : HK_FETCH_HTTP;
	o.addr = g.server;
	o.port = g.port;
	o.fwmark = g.fwmark;
	o.request = req;
	o.request_len = (size_t)n;
	o.body_cb = to_pipe;
	o.body_arg = &pipe;
	if (g.ssl) {
		/* keepalived's SSL_GET does not verify the certificate. */
		o.tls = hk_tls_ctx(false, NULL, &e);
		if (!o.tls)
			hk_die(HK_PROBE_UNKNOWN, "%s", e.msg);
		o.sni = g.sni ? g.vhost : NULL;
	}
	if (gh_pipe_start(&pipe) < 0)
		hk_die(HK_PROBE_UNKNOWN, "cannot start the hashing thread: %s", strerror(errno));

	switch (hk_fetch_run(&f, &o, g.timeout_us)) {
	case HK_FETCH_OK:
		break;
	case HK_FETCH_LOCAL:
		code = HK_PROBE_UNKNOWN;
		break;
	default:
		code = HK_PROBE_CRITICAL;
		break;
	}
	if (code == HK_PROBE_OK) {
		if (gh_pipe_finish(&pipe, digest) < 0)
			code = HK_PROBE_UNKNOWN;
	} else {
		gh_pipe_cancel(&pipe);
	}
	if (g.verbose)
		show_verbose(&f, req, (size_t)n);
	if (code == HK_PROBE_OK) {
		printf("%s\n", hk_md5_hex(hex, digest));
		if (fflush(stdout) != 0 || ferror(stdout))
			code = HK_PROBE_UNKNOWN;
		else if (f.resp.status < 200 || f.resp.status > 299) {
			char reason[128];

			hk_http_quote(reason, sizeof(reason), f.resp.hdr + f.resp.reason_off,
				      f.resp.reason_len);
			hk_warn("warning: %s answered %d %s: that is the digest of this page",
				host, f.resp.status, reason);
		}
	} else if (f.outcome == HK_FETCH_OK) {
		hk_warn("%s: no digest could be made", host);
	} else {
		hk_warn("%s: %s", host, f.why);
	}
	hk_fetch_end(&f);
	hk_tls_ctx_free(o.tls);
	return code;
}
