/* The command line, applied to a configuration: for main() and for
 * SIGHUP, which applies it again. */
#include "conf.h"
#include "daemon.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

enum { OPT_CONFIG = 1000, OPT_HELP, OPT_BASE };

/*
 * Apply the command line to c.  Returns 0, 1 for -h, or -1 with e set
 * (usage says whether the usage text should follow).  Its own function,
 * and one that does not exit: SIGHUP applies the command line again.
 * The option table's frame is gone before the daemon's loop runs: with
 * fifty processes a host, every stack page counts.
 */
int vrrp_apply_args(int argc, char **argv, struct vrrp_conf *c, struct hk_err *e, bool *usage_err)
{
	struct option longopts[64];
	char shortopts[32] = ":h";
	size_t n = 0;
	int ch;

	*usage_err = false;
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
	optind = 0;	/* from the start, even the second time */
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *name = NULL;
		struct hk_err oe;

		switch (ch) {
		case 'h':
		case OPT_HELP:
			return 1;
		case OPT_CONFIG:
			if (vrrp_conf_file(c, optarg, e) < 0)
				return -1;
			continue;
		case ':':
			*usage_err = true;
			return hk_err_set(e, EINVAL, "this option needs a value: '%s'", argv[optind - 1]);
		case '?':
			*usage_err = true;
			return hk_err_set(e, EINVAL, "unknown option '%s'", argv[optind - 1]);
		default:
			break;
		}
		for (size_t i = 0; vrrp_optdefs[i].name; i++)
			if (ch == vrrp_optdefs[i].short_opt || ch == OPT_BASE + (int)i)
				name = vrrp_optdefs[i].name;
		if (!name) {
			*usage_err = true;
			return hk_err_set(e, EINVAL, "unknown option '%s'", argv[optind - 1]);
		}
		if (vrrp_conf_set(c, name, optarg, &oe) < 0)
			return hk_err_set(e, EINVAL, "--%s: %s", name, oe.msg);
	}
	if (optind < argc) {
		*usage_err = true;
		return hk_err_set(e, EINVAL, "unexpected argument '%s'", argv[optind]);
	}
	return 0;
}

int vrrp_reread(int argc, char **argv, struct vrrp_conf *c, struct hk_err *e)
{
	bool usage_err;
	int r;

	vrrp_conf_init(c);
	r = vrrp_apply_args(argc, argv, c, e, &usage_err);
	if (r == 0)
		r = vrrp_conf_finish(c, e);
	if (r != 0) {
		vrrp_conf_free(c);
		return -1;
	}
	return 0;
}

