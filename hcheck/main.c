/*
 * hcheck: keepalived's health checks (HTTP_GET, SSL_GET, TCP_CHECK,
 * UDP_CHECK, PING_CHECK, DNS_CHECK, SMTP_CHECK) as a command: one probe with monitoring-plugin exit codes,
 * many probes from a file on one event loop, or `watch`, which keeps
 * probing and prints a line when a target goes up or down.
 */
#include "hcheck.h"
#include "clock.h"
#include "exitcode.h"
#include "log.h"
#include "tls.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char usage_text[] =
	"usage: hcheck http ADDR:PORT [PATH] [OPTION...] [--json]\n"
	"       hcheck https ADDR:PORT [PATH] [OPTION...] [--sni NAME] [--verify] [--ca FILE]\n"
	"                   [--cert-days N]\n"
	"       hcheck tcp ADDR:PORT [OPTION...]\n"
	"       hcheck udp ADDR:PORT [OPTION...] [--payload HEX] [--require-reply] [--reply HEX]\n"
	"                   [--min-reply-length N] [--max-reply-length N]\n"
	"       hcheck dns ADDR:PORT [OPTION...] [--dns-type TYPE] [--dns-name NAME]\n"
	"       hcheck smtp ADDR:PORT [OPTION...] [--helo NAME]\n"
	"       hcheck ping ADDR [OPTION...]\n"
	"       hcheck -f FILE|- [--json] [--concurrency N] [OPTION...]\n"
	"       hcheck watch -f FILE|- [--interval S] [--rise N] [--fall N] [--initial up|down]\n"
	"                   [--concurrency N] [OPTION...]\n"
	"       hcheck -h\n"
	"OPTION:\n"
	"       [--status LIST] [--digest MD5] [--regex ERE] [--vhost NAME]\n"
	"       [--http 1.0|1.0c|1.1] [-t|--timeout S] [--retry N] [--delay-before-retry S]\n"
	"       [--bind ADDR] [--fwmark N] [--warn-time S] [--name LABEL]\n";

#define DEFAULT_CONCURRENCY 256
#define LINE_MAX_BYTES 65536

static void usage(FILE *f, int code)
{
	fputs(usage_text, f);
	exit(code);
}

/* Words of the command line that configure probes, kept to be parsed
 * again in front of each line of a file. */
struct words {
	char **v;
	int n, cap;
};

static void words_add(struct words *w, char *s)
{
	if (w->n + 2 > w->cap) {
		int cap = w->cap ? w->cap * 2 : 16;
		char **v = realloc(w->v, (size_t)cap * sizeof(*v));

		if (!v)
			hk_die(HK_PROBE_UNKNOWN, "out of memory");
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = s;
	w->v[w->n] = NULL;
}

static const char *long_name(int opt)
{
	for (const struct option *o = hc_longopts; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

struct run {
	struct hc_global g;
	struct words pos;		/* positional words */
	struct words popt;		/* probe options, as "--name" "value" */
	struct hc_probe **probes;
	size_t n, cap;
	SSL_CTX *tls[8];
	bool tls_verify[8];
	const char *tls_ca[8];
	int ntls;
};

static void parse_cmdline(struct run *r, int argc, char **argv)
{
	static char dashdash_opt[64][40];
	int c, nopt = 0;
	bool have_initial = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, hc_shortopts, hc_longopts, NULL)) != -1) {
		const char *w = argv[optind - 1];

		switch (c) {
		case 1:
			words_add(&r->pos, optarg);
			break;
		case ':':
			hk_warn("option '%s' needs a value", w);
			usage(stderr, HK_PROBE_UNKNOWN);
			break;
		case '?':
			hk_warn("unknown option '%s'", w);
			usage(stderr, HK_PROBE_UNKNOWN);
			break;
		case 'h':
			usage(stdout, HK_PROBE_OK);
			break;
		case 'f':
			r->g.file = optarg;
			break;
		case HC_OPT_JSON:
			r->g.json = true;
			break;
		case HC_OPT_CONCURRENCY:
			r->g.concurrency = (unsigned)hk_opt_uint("--concurrency", optarg, 1, 1000000);
			break;
		case HC_OPT_INITIAL:
			if (strcmp(optarg, "up") == 0)
				r->g.initial_up = true;
			else if (strcmp(optarg, "down") == 0)
				r->g.initial_up = false;
			else
				hk_die(HK_PROBE_UNKNOWN, "--initial: '%s' is not up or down", optarg);
			have_initial = true;
			break;
		default:
			/* A probe option: keep it as "--name" [value]. */
			if (nopt == 64)
				hk_die(HK_PROBE_UNKNOWN, "too many options");
			snprintf(dashdash_opt[nopt], sizeof(dashdash_opt[nopt]), "--%s", long_name(c));
			words_add(&r->popt, dashdash_opt[nopt++]);
			if (optarg)
				words_add(&r->popt, optarg);
			break;
		}
	}
	for (; optind < argc; optind++)
		words_add(&r->pos, argv[optind]);
	if (r->pos.n > 0 && strcmp(r->pos.v[0], "watch") == 0) {
		r->g.watch = true;
		memmove(r->pos.v, r->pos.v + 1, (size_t)r->pos.n * sizeof(char *));
		r->pos.n--;
	}
	if (have_initial && !r->g.watch)
		hk_die(HK_PROBE_UNKNOWN, "--initial applies to watch only");
	if (r->g.watch && r->g.json)
		hk_die(HK_PROBE_UNKNOWN, "--json does not apply to watch (it prints UP/DOWN lines)");
	if (r->g.watch && !r->g.file)
		hk_die(HK_PROBE_UNKNOWN, "watch needs -f FILE (or -f - for stdin)");
	if (r->g.file && r->pos.n > 0)
		hk_die(HK_PROBE_UNKNOWN,
		       "unexpected word '%s': with -f, the checks come from the file",
		       r->pos.v[0]);
	if (!r->g.file && r->pos.n == 0) {
		hk_warn("no check given");
		usage(stderr, HK_PROBE_UNKNOWN);
	}
}

static struct hc_probe *new_probe(struct run *r)
{
	struct hc_probe *p;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct hc_probe **v = realloc(r->probes, cap * sizeof(*v));

		if (!v)
			hk_die(HK_PROBE_UNKNOWN, "out of memory");
		r->probes = v;
		r->cap = cap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		hk_die(HK_PROBE_UNKNOWN, "out of memory");
	r->probes[r->n++] = p;
	return p;
}

/* argv for hc_probe_parse: a program name, the command line's probe
 * options (defaults), then the words of the line. */
static char **join_words(const struct words *defaults, char **w, int n)
{
	char **v = calloc((size_t)(defaults->n + n + 2), sizeof(*v));
	int k = 0;

	if (!v)
		hk_die(HK_PROBE_UNKNOWN, "out of memory");
	v[k++] = (char *)"hcheck";
	for (int i = 0; i < defaults->n; i++)
		v[k++] = defaults->v[i];
	for (int i = 0; i < n; i++)
		v[k++] = w[i];
	return v;
}

static int cmp_label(const void *a, const void *b)
{
	const struct hc_probe *x = *(struct hc_probe *const *)a;
	const struct hc_probe *y = *(struct hc_probe *const *)b;
	int c = strcmp(x->label, y->label);

	return c ? c : x->line - y->line;
}

/* Every label once: watch's lines name the target by it. */
static void check_labels(struct run *r, const char *fname)
{
	struct hc_probe **v = malloc(r->n * sizeof(*v));
	const struct hc_probe *dup = NULL, *first = NULL;

	if (!v)
		hk_die(HK_PROBE_UNKNOWN, "out of memory");
	memcpy(v, r->probes, r->n * sizeof(*v));
	qsort(v, r->n, sizeof(*v), cmp_label);
	for (size_t i = 1; i < r->n; i++)
		if (strcmp(v[i]->label, v[i - 1]->label) == 0 &&
		    (!dup || v[i]->line < dup->line)) {
			dup = v[i];
			first = v[i - 1];
		}
	if (dup) {
		int l1 = first->line, l2 = dup->line;
		char label[256];

		snprintf(label, sizeof(label), "%s", dup->label);
		free(v);
		hk_die(HK_PROBE_UNKNOWN, "%s:%d: label '%s' is already used on line %d (give --name)",
		       fname, l2, label, l1);
	}
	free(v);
}

static void read_file(struct run *r)
{
	const char *fname = strcmp(r->g.file, "-") == 0 ? "stdin" : r->g.file;
	FILE *f = strcmp(r->g.file, "-") == 0 ? stdin : fopen(r->g.file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	struct hk_err e;
	struct hc_probe dummy;

	if (!f)
		hk_die(HK_PROBE_UNKNOWN, "-f: '%s': %s", r->g.file, strerror(errno));
	/* The command line's options alone first, so that a bad one is
	 * blamed on the command line, not on line 1. */
	{
		char **v = join_words(&r->popt, NULL, 0);
		int rc = hc_probe_parse(r->popt.n + 1, v, true, r->g.watch, &dummy, &e);

		hc_probe_free(&dummy);
		free(v);
		if (rc < 0)
			hk_die(HK_PROBE_UNKNOWN, "%s", e.msg);
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *words[HC_WORDS_MAX];
		char *copy, **v;
		int n, rc;
		struct hc_probe *p;

		lineno++;
		if (len > LINE_MAX_BYTES)
			hk_die(HK_PROBE_UNKNOWN, "%s:%d: line longer than %d bytes", fname,
			       lineno, LINE_MAX_BYTES);
		if (strlen(line) != (size_t)len)
			hk_die(HK_PROBE_UNKNOWN, "%s:%d: NUL byte in the line", fname, lineno);
		copy = strdup(line);
		if (!copy)
			hk_die(HK_PROBE_UNKNOWN, "out of memory");
		n = hc_words(copy, words, HC_WORDS_MAX, &e);
		if (n < 0)
			hk_die(HK_PROBE_UNKNOWN, "%s:%d: %s", fname, lineno, e.msg);
		if (n == 0) {
			free(copy);
			continue;
		}
		p = new_probe(r);
		v = join_words(&r->popt, words, n);
		rc = hc_probe_parse(r->popt.n + n + 1, v, false, r->g.watch, p, &e);
		free(v);
		free(copy);
		if (rc < 0)
			hk_die(HK_PROBE_UNKNOWN, "%s:%d: %s", fname, lineno, e.msg);
		p->line = lineno;
	}
	if (ferror(f))
		hk_die(HK_PROBE_UNKNOWN, "-f: '%s': %s", r->g.file, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	if (r->n == 0)
		hk_die(HK_PROBE_UNKNOWN, "%s: no checks in it", fname);
	check_labels(r, fname);
}

/* One TLS context per (verify, CA file) in use. */
static SSL_CTX *tls_for(struct run *r, const struct hc_probe *p)
{
	struct hk_err e;
	SSL_CTX *ctx;

	for (int i = 0; i < r->ntls; i++)
		if (r->tls_verify[i] == p->verify &&
		    ((!r->tls_ca[i] && !p->ca) ||
		     (r->tls_ca[i] && p->ca && strcmp(r->tls_ca[i], p->ca) == 0)))
			return r->tls[i];
	if (r->ntls == (int)(sizeof(r->tls) / sizeof(r->tls[0])))
		hk_die(HK_PROBE_UNKNOWN, "more than %d different --ca files",
		       (int)(sizeof(r->tls) / sizeof(r->tls[0])) - 1);
	ctx = hk_tls_ctx(p->verify, p->ca, &e);
	if (!ctx) {
		if (p->line)
			hk_die(HK_PROBE_UNKNOWN, "%s:%d: %s", r->g.file, p->line, e.msg);
		hk_die(HK_PROBE_UNKNOWN, "%s", e.msg);
	}
	r->tls[r->ntls] = ctx;
	r->tls_verify[r->ntls] = p->verify;
	r->tls_ca[r->ntls] = p->ca;
	r->ntls++;
	return ctx;
}

/* As many descriptors as allowed: one per running probe. */
static unsigned fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1000;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	/* stdio, epoll, signalfd, the file and a margin. */
	return rl.rlim_cur > 64 ? (unsigned)(rl.rlim_cur - 32) : 32;
}

int main(int argc, char **argv)
{
	struct run r = { .g = { .concurrency = 0 } };
	struct hk_err e;
	int code;

	hk_log_init(argv[0], HK_LOG_STDERR, LOG_INFO);
	hk_set_usage_exit(HK_PROBE_UNKNOWN);
	signal(SIGPIPE, SIG_IGN);
	parse_cmdline(&r, argc, argv);

	if (r.g.file) {
		read_file(&r);
	} else {
		struct hc_probe *p = new_probe(&r);
		char **v = join_words(&r.pos, r.popt.v, r.popt.n);
		int rc = hc_probe_parse(r.pos.n + r.popt.n + 1, v, false, false, p, &e);

		free(v);
		if (rc < 0)
			hk_die(HK_PROBE_UNKNOWN, "%s", e.msg);
	}
	for (size_t i = 0; i < r.n; i++) {
		struct hc_probe *p = r.probes[i];

		if (hc_probe_prepare(p, &e) < 0)
			hk_die(HK_PROBE_UNKNOWN, "%s", e.msg);
		if (p->kind == HC_HTTPS)
			p->fo.tls = tls_for(&r, p);
	}
	{
		unsigned budget = fd_budget();

		if (r.g.concurrency == 0)
			r.g.concurrency = DEFAULT_CONCURRENCY;
		if (r.g.concurrency > budget) {
			hk_warn("--concurrency %u lowered to %u: the open file limit", r.g.concurrency,
				budget);
			r.g.concurrency = budget;
		}
	}

	code = hc_run(r.probes, r.n, &r.g, !r.g.file);

	for (size_t i = 0; i < r.n; i++) {
		hc_probe_free(r.probes[i]);
		free(r.probes[i]);
	}
	free(r.probes);
	for (int i = 0; i < r.ntls; i++)
		hk_tls_ctx_free(r.tls[i]);
	free(r.pos.v);
	free(r.popt.v);
	return code;
}
