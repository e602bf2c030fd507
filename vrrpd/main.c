/* vrrpd: one VRRP instance per process.  Options only; see conf.c. */
#include "conf.h"
#include "daemon.h"
#include "exitcode.h"
#include "log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: vrrpd [-i IFACE] --vrid 1-255 --vip 'ADDR[/PLEN] [dev IF] [label LABEL]' [--vip ...]\n"
	"             [--priority 1-255] [--advert-int SECONDS] [--version 2|3]\n"
	"             [--no-preempt] [--preempt-delay SECONDS] [--state backup|master]\n"
	"             [--auth-pass-file FILE] [--unicast-src ADDR] [--unicast-peer ADDR ...]\n"
	"             [--mcast-group ADDR] [--v3-checksum-as-v2]\n"
	"             [--garp-delay SECONDS] [--garp-repeat N] [--garp-refresh SECONDS]\n"
	"             [--notify HOOK] [--notify-master CMD] [--notify-backup CMD]\n"
	"             [--notify-fault CMD] [--notify-stop CMD] [--hook-timeout SECONDS]\n"
	"             [--name NAME] [--state-file PATH] [--dump-file PATH]\n"
	"             [--config FILE] [-f] [-n] [-v]\n"
	"       vrrpd -h\n";

enum { OPT_CONFIG = 1000, OPT_HELP, OPT_BASE };

static void __attribute__((noreturn)) bad_usage(const char *what, const char *arg)
{
	fprintf(stderr, "vrrpd: %s '%s'\n%s", what, arg, usage);
	exit(HK_EXIT_USAGE);
}

/*
 * Apply the command line to c.  Its own function, so that the option
 * table's stack frame is gone before the daemon's loop runs: with fifty
 * processes a host, every stack page counts.
 */
static void parse_args(int argc, char **argv, struct vrrp_conf *c)
{
	struct option longopts[64];
	char shortopts[32] = ":h";
	struct hk_err e;
	size_t n = 0;
	int ch;

	for (size_t i = 0; vrrp_optdefs[i].name; i++, n++) {
		const struct vrrp_optdef *d = &vrrp_optdefs[i];

		longopts[n] = (struct option){ d->name, d->has_arg ? required_argument : no_argument,
					       NULL, d->short_opt ? d->short_opt : OPT_BASE + (int)i };
		if (d->short_opt) {
			size_t l = strlen(shortopts);

			shortopts[l] = d->short_opt;
			shortopts[l + 1] = d->has_arg ? ':' : '\0';
			shortopts[l + 2] = '\0';
		}
	}
	longopts[n++] = (struct option){ "config", required_argument, NULL, OPT_CONFIG };
	longopts[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };

	opterr = 0;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *name = NULL;

		switch (ch) {
		case 'h':
		case OPT_HELP:
			fputs(usage, stdout);
			vrrp_conf_free(c);
			free(c);
			exit(HK_EXIT_OK);
		case OPT_CONFIG:
			if (vrrp_conf_file(c, optarg, &e) < 0)
				hk_die(HK_EXIT_USAGE, "%s", e.msg);
			continue;
		case ':':
			bad_usage("this option needs a value:", argv[optind - 1]);
		case '?':
			bad_usage("unknown option", argv[optind - 1]);
		default:
			break;
		}
		for (size_t i = 0; vrrp_optdefs[i].name; i++)
			if (ch == vrrp_optdefs[i].short_opt || ch == OPT_BASE + (int)i)
				name = vrrp_optdefs[i].name;
		if (!name)
			bad_usage("unknown option", argv[optind - 1]);
		if (vrrp_conf_set(c, name, optarg, &e) < 0)
			hk_die(HK_EXIT_USAGE, "--%s: %s", name, e.msg);
	}
	if (optind < argc)
		bad_usage("unexpected argument", argv[optind]);
}

int main(int argc, char **argv)
{
	struct vrrp_conf *c = malloc(sizeof(*c));
	struct hk_err e;
	int code;

	hk_log_init("vrrpd", HK_LOG_STDERR, LOG_INFO);
	if (!c)
		hk_die(HK_EXIT_FAIL, "out of memory");
	vrrp_conf_init(c);
	parse_args(argc, argv, c);
	if (c->verbose)
		hk_log_init("vrrpd", HK_LOG_STDERR, LOG_DEBUG);
	if (vrrp_conf_finish(c, &e) < 0)
		hk_die(HK_EXIT_USAGE, "%s", e.msg);
	if (c->check) {
		vrrp_conf_print(stdout, c);
		code = fflush(stdout) == 0 ? HK_EXIT_OK : HK_EXIT_FAIL;
	} else {
		code = vrrp_run(c);
	}
	vrrp_conf_free(c);
	free(c);
	return code;
}
