/* kaconf: read keepalived.conf, check it, and write the plan hakit runs. */
#include "exitcode.h"
#include "kc.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: kaconf -c [-q] FILE\n"
	"       kaconf -o DIR [--ref-dir DIR] [--run-dir DIR] [--carry FILE] [-q] FILE\n"
	"       kaconf -h\n";

static void usage(int code)
{
	fputs(usage_text, code ? stderr : stdout);
	exit(code);
}

/* A path that ends up in plan fields and vrrpd's configuration. */
static const char *plain_path(const char *opt, const char *s)
{
	if (!*s || strpbrk(s, "\t\n\r"))
		hk_die(HK_EXIT_USAGE, "%s: '%s' is empty or holds a tab or newline", opt, s);
	return s;
}

/* A directory named in what vrrpd and hakit read later, from "/". */
static const char *abs_path(const char *opt, const char *s)
{
	plain_path(opt, s);
	if (s[0] != '/')
		hk_die(HK_EXIT_USAGE, "%s: '%s' is not an absolute path", opt, s);
	return s;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "ref-dir", required_argument, NULL, 'R' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "carry", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kc_ctx c = { .diag = stderr };
	struct kc_plan_opts po = { .rundir = "/run/hakit" };
	const char *carry_path = NULL;
	bool check = false;
	struct kc_stmt *top;
	struct kc_conf conf;
	struct kc_carry carry;
	int opt, rc = HK_EXIT_OK;

	hk_log_init("kaconf", 0, LOG_INFO);
	while ((opt = getopt_long(argc, argv, "co:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': check = true; break;
		case 'o': po.outdir = plain_path("-o", optarg); break;
		case 'R': po.refdir = abs_path("--ref-dir", optarg); break;
		case 'r': po.rundir = abs_path("--run-dir", optarg); break;
		case 's': carry_path = optarg; break;
		case 'q': c.quiet = true; break;
		case 'h': usage(HK_EXIT_OK); break;
		default: usage(HK_EXIT_USAGE);
		}
	}
	if (optind != argc - 1) {
		if (optind >= argc)
			hk_warn("no configuration file given");
		else
			hk_warn("one configuration file only: '%s' is one too many",
				argv[optind + 1]);
		usage(HK_EXIT_USAGE);
	}
	if (check == (po.outdir != NULL)) {
		hk_warn("give -c to check, or -o DIR to write a plan");
		usage(HK_EXIT_USAGE);
	}
	if (check && (po.refdir || carry_path)) {
		hk_warn("--ref-dir and --carry go with -o");
		usage(HK_EXIT_USAGE);
	}
	po.source = plain_path("FILE", argv[optind]);

	top = kc_read_file(&c, po.source);
	if (top || c.errors == 0) {
		kc_conf_build(&c, top, &conf);
		if (!conf.insts && !conf.vss)
			kc_warn(&c, NULL, "%s has no vrrp_instance and no virtual_server: "
				"nothing to run", po.source);
	}
	if (c.errors) {
		fprintf(stderr, "kaconf: %s: %u error%s, %u warning%s; nothing to run\n",
			po.source, c.errors, c.errors == 1 ? "" : "s",
			c.warnings, c.warnings == 1 ? "" : "s");
		kc_arena_free(&c.arena);
		return HK_EXIT_USAGE;
	}
	if (check) {
		if (!c.quiet)
			fprintf(stderr, "kaconf: %s: configuration OK (%u warning%s)\n",
				po.source, c.warnings, c.warnings == 1 ? "" : "s");
		kc_arena_free(&c.arena);
		return HK_EXIT_OK;
	}

	if (carry_path) {
		char err[512];

		if (kc_carry_read(&c.arena, carry_path, &carry, err, sizeof(err)) < 0) {
			kc_arena_free(&c.arena);
			hk_die(HK_EXIT_USAGE, "--carry: %s", err);
		}
	}
	kc_plan_initial(&conf, carry_path ? &carry : NULL);

	if (mkdir(po.outdir, 0700) < 0 && errno != EEXIST) {
		hk_warn("-o: cannot create '%s': %s", po.outdir, strerror(errno));
		kc_arena_free(&c.arena);
		return HK_EXIT_FAIL;
	}
	if (!po.refdir) {
		char *real = realpath(po.outdir, NULL);

		if (!real) {
			hk_warn("-o: '%s': %s", po.outdir, strerror(errno));
			kc_arena_free(&c.arena);
			return HK_EXIT_FAIL;
		}
		po.refdir = kc_strdup(&c.arena, real);
		free(real);
		plain_path("-o", po.refdir);
	}

	/* The plan goes to stdout only once every file is written: a reader
	 * never sees half a plan. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		hk_die(HK_EXIT_FAIL, "out of memory");
	rc = kc_plan_write(&c, &conf, &po, mem);
	if (fclose(mem) != 0)
		hk_die(HK_EXIT_FAIL, "out of memory");
	if (rc == 0) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
			hk_warn("cannot write the plan: %s", strerror(errno));
			rc = -1;
		}
	}
	free(buf);
	kc_arena_free(&c.arena);
	return rc == 0 ? HK_EXIT_OK : HK_EXIT_FAIL;
}
