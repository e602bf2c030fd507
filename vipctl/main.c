/* vipctl: virtual IP addresses over netlink, and their announcement. */
#include "vipctl.h"
#include "exitcode.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_WORDS 16
#define MAX_LINE 4096
#define MAX_BATCH_LINES 1000000

static const char usage_text[] =
	"usage: vipctl [-v] add ADDR[/PLEN] dev IF [label LABEL]\n"
	"       vipctl [-v] del ADDR[/PLEN] dev IF\n"
	"       vipctl list [dev IF] [--json]\n"
	"       vipctl [-v] garp ADDR dev IF [--count N] [--interval SECONDS] [--force]\n"
	"       vipctl [-v] -b FILE|-\n"
	"       vipctl -h\n";

static void usage(FILE *f, int code)
{
	fputs(usage_text, f);
	exit(code);
}

static struct hk_nl *open_nl(void)
{
	struct hk_nl *nl = hk_nl_open();

	if (!nl)
		hk_die(HK_EXIT_FAIL, "cannot open a netlink socket: %s", strerror(errno));
	return nl;
}

struct batch_cmd {
	unsigned line;
	struct vip_cmd cmd;
};

/*
 * Read and check the whole batch first: a typo on line 900 must not
 * leave 899 changes behind.  Then apply in order; if the kernel refuses
 * one, stop there and say how many went in before it (as ip -batch,
 * those stay).
 */
static int run_batch(struct vip_ctx *ctx, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	const char *name = strcmp(path, "-") == 0 ? "-" : path;
	struct batch_cmd *cmds = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL, where[MAX_LINE];
	size_t linecap = 0;
	unsigned lineno = 0;
	ssize_t len;
	int rc = HK_EXIT_OK;

	if (!f)
		hk_die(HK_EXIT_USAGE, "cannot open batch file '%s': %s", path, strerror(errno));
	while ((len = getline(&line, &linecap, f)) >= 0) {
		char *words[MAX_WORDS];
		struct hk_err e;
		int nw;

		lineno++;
		if (lineno > MAX_BATCH_LINES)
			hk_die(HK_EXIT_USAGE, "%s:%u: more than %d lines", name, lineno,
			       MAX_BATCH_LINES);
		if (len > MAX_LINE)
			hk_die(HK_EXIT_USAGE, "%s:%u: line longer than %d bytes; nothing applied",
			       name, lineno, MAX_LINE);
		if ((size_t)len != strlen(line))
			hk_die(HK_EXIT_USAGE, "%s:%u: NUL byte in line; nothing applied", name, lineno);
		nw = vip_split_line(line, words, MAX_WORDS);
		if (nw == 0)
			continue;
		if (nw < 0)
			hk_die(HK_EXIT_USAGE, "%s:%u: more than %d words; nothing applied", name,
			       lineno, MAX_WORDS);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			cmds = realloc(cmds, cap * sizeof(*cmds));
			if (!cmds)
				hk_die(HK_EXIT_FAIL, "out of memory");
		}
		if (vip_parse_cmd(nw, words, &cmds[n].cmd, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s:%u: %s; nothing applied", name, lineno, e.msg);
		cmds[n++].line = lineno;
	}
	if (ferror(f))
		hk_die(HK_EXIT_FAIL, "cannot read '%s': %s", name, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);

	for (size_t i = 0; i < n; i++) {
		snprintf(where, sizeof(where), "%s:%u: ", name, cmds[i].line);
		ctx->where = where;
		if (vip_run(ctx, &cmds[i].cmd) != 0) {
			hk_log(LOG_ERR, "%s:%u: stopped there; %zu of %zu commands applied before it",
			       name, cmds[i].line, i, n);
			rc = HK_EXIT_FAIL;
			break;
		}
	}
	free(cmds);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vip_ctx ctx = { .garp_fd = -1, .where = "" };
	const char *batch = NULL;
	struct vip_cmd cmd;
	struct hk_err e;
	int c, rc;

	hk_log_init(argv[0], HK_LOG_STDERR, LOG_INFO);
	/* '+': stop at the verb, whose own words may look like options. */
	while ((c = getopt_long(argc, argv, "+vb:h", opts, NULL)) != -1) {
		switch (c) {
		case 'v': ctx.verbose = true; break;
		case 'b': batch = optarg; break;
		case 'h': usage(stdout, HK_EXIT_OK); break;
		default: usage(stderr, HK_EXIT_USAGE);
		}
	}
	if (batch) {
		if (optind != argc)
			hk_die(HK_EXIT_USAGE, "-b takes no command words (found '%s')", argv[optind]);
		ctx.nl = open_nl();
		rc = run_batch(&ctx, batch);
	} else {
		if (optind == argc) {
			hk_warn("missing command (add, del, list, garp)");
			usage(stderr, HK_EXIT_USAGE);
		}
		if (vip_parse_cmd(argc - optind, argv + optind, &cmd, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
		ctx.nl = open_nl();
		rc = vip_run(&ctx, &cmd);
	}
	hk_nl_close(ctx.nl);
	if (ctx.garp_fd >= 0)
		close(ctx.garp_fd);
	return rc;
}
