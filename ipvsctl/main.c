/*
 * ipvsctl: the Linux IPVS tables over generic netlink.  Options and
 * dispatch only; see rule.c (parsing), plan.c (restore/apply), nl.c
 * (the kernel), print.c (output), tx.c (rollback).
 */
#include "exitcode.h"
#include "ipvs.h"
#include "log.h"
#include "nl.h"
#include "parse.h"
#include "print.h"
#include "tx.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: ipvsctl [--idempotent] add service SERVICE [sched NAME] [flags FLAG,...]\n"
	"               [persistent [SECONDS]] [netmask MASK] [ops] [pe NAME]\n"
	"       ipvsctl [--idempotent] add dest SERVICE RADDR[:PORT] [mode dr|nat|tun]\n"
	"               [weight W] [uthreshold N] [lthreshold N]\n"
	"               [tun-type ipip|gue|gre] [tun-port P] [tun-csum nocsum|csum|remcsum]\n"
	"       ipvsctl set service SERVICE [sched NAME] [flags FLAG,...|none]\n"
	"               [persistent [SECONDS]|off] [netmask MASK] [ops [off]] [pe NAME|none]\n"
	"       ipvsctl set dest SERVICE RADDR[:PORT] [mode dr|nat|tun] [weight W]\n"
	"               [uthreshold N] [lthreshold N] [tun-type T] [tun-port P] [tun-csum C]\n"
	"       ipvsctl [--idempotent] del service SERVICE\n"
	"       ipvsctl [--idempotent] del dest SERVICE RADDR[:PORT]\n"
	"       ipvsctl list [SERVICE] [-n] [--stats|--rate|--thresholds] [--exact] [--json]\n"
	"       ipvsctl save [-n]\n"
	"       ipvsctl restore [--dry-run] [FILE|-]\n"
	"       ipvsctl apply [--all] [--dry-run] FILE|-\n"
	"       ipvsctl flush\n"
	"       ipvsctl zero [SERVICE]\n"
	"       ipvsctl timeout [tcp SECONDS] [tcpfin SECONDS] [udp SECONDS]\n"
	"       ipvsctl sync-daemon start master|backup --interface IF [--syncid N]\n"
	"       ipvsctl sync-daemon stop master|backup\n"
	"       ipvsctl sync-daemon status\n"
	"       ipvsctl -h\n"
	"SERVICE := tcp|udp|sctp ADDR[:PORT] | fwmark N [ipv6]\n"
	"Every command also takes --netns NAME (-N) to work in the network namespace NAME, as ip -n does.\n";

static void usage(FILE *f, int code)
{
	fputs(usage_text, f);
	exit(code);
}

/* Options, as a mask, so each command can refuse those it ignores. */
enum {
	OPT_IDEMPOTENT = 1 << 0,
	OPT_NUMERIC = 1 << 1,
	OPT_JSON = 1 << 2,
	OPT_STATS = 1 << 3,
	OPT_RATE = 1 << 4,
	OPT_THRESH = 1 << 5,
	OPT_EXACT = 1 << 6,
	OPT_ALL = 1 << 7,
	OPT_DRY = 1 << 8,
	OPT_IFACE = 1 << 9,
	OPT_SYNCID = 1 << 10,
};

struct ctx {
	unsigned opts;
	const char *iface;
	uint32_t syncid;
	struct ipvs_nl *nl;
};

static const char *const optname[] = {
	"--idempotent", "-n", "--json", "--stats", "--rate", "--thresholds", "--exact",
	"--all", "--dry-run", "--interface", "--syncid",
};

static void only(const struct ctx *c, unsigned allowed, const char *cmd)
{
	unsigned bad = c->opts & ~allowed;

	for (unsigned i = 0; bad && i < sizeof(optname) / sizeof(optname[0]); i++)
		if (bad & (1u << i))
			hk_die(HK_EXIT_USAGE, "%s does not take %s", cmd, optname[i]);
}

static struct ipvs_nl *nl(struct ctx *c)
{
	struct hk_err e;

	if (!c->nl && !(c->nl = ipvs_nl_open(&e)))
		hk_die(HK_EXIT_FAIL, "%s", e.msg);
	return c->nl;
}

/* A kernel refusal of a single request: the sentence, exit 1. */
static void refused(struct ctx *c, const struct ipvs_change *ch, int err)
{
	char s[512];
	const char *k = ipvs_nl_kmsg(c->nl);

	ipvs_change_error(ch, err, s, sizeof(s));
	hk_die(HK_EXIT_FAIL, "%s%s%s%s", s, k[0] ? " (kernel: " : "", k, k[0] ? ")" : "");
}

static void words_done(int argc, int i, char **argv)
{
	if (i < argc)
		hk_die(HK_EXIT_USAGE, "unexpected '%s'", argv[i]);
}

static void parse_svc(char **argv, int argc, int *i, struct ipvs_service *s)
{
	struct hk_err e;

	if (ipvs_parse_svc_words(argv, argc, i, IPVS_PARSE_NAMES, s, &e) < 0)
		hk_die(HK_EXIT_USAGE, "%s", e.msg);
}

/* Make one change; 0 when made, else the positive errno.  Dies on a
 * socket failure. */
static int exec1(struct ctx *c, const struct ipvs_change *ch)
{
	int res, r = ipvs_nl_exec(nl(c), ch, 1, &res, true);

	if (r < 0)
		hk_die(HK_EXIT_FAIL, "talking to the kernel failed: %s", strerror(-r));
	return res;
}

/* ---------------------------------------------------------- add / set / del */

static int cmd_add_del(struct ctx *c, int argc, char **argv, bool add)
{
	struct ipvs_rule r = { 0 };
	struct ipvs_change ch = { 0 };
	struct hk_err e;
	int i = 1, err;
	bool dest;

	only(c, OPT_IDEMPOTENT, add ? "add" : "del");
	if (argc < 2) {
		hk_warn("%s needs 'service SERVICE' or 'dest SERVICE RADDR'", add ? "add" : "del");
		usage(stderr, HK_EXIT_USAGE);
	}
	if (strcmp(argv[0], "service") == 0)
		dest = false;
	else if (strcmp(argv[0], "dest") == 0 || strcmp(argv[0], "destination") == 0)
		dest = true;
	else
		hk_die(HK_EXIT_USAGE, "%s what: '%s' (service or dest)", add ? "add" : "del", argv[0]);
	parse_svc(argv, argc, &i, &r.svc);
	if (dest) {
		r.op = add ? IPVS_OP_ADD_DEST : IPVS_OP_DEL_DEST;
		if (ipvs_parse_dest_words(argv, argc, &i, IPVS_PARSE_NAMES, add, &r, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
	} else {
		r.op = add ? IPVS_OP_ADD_SVC : IPVS_OP_DEL_SVC;
		if (add && ipvs_parse_svc_opts(argv, argc, &i, &r, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
	}
	words_done(argc, i, argv);
	if (ipvs_rule_finish(&r, &e) < 0)
		hk_die(HK_EXIT_USAGE, "%s", e.msg);

	ch.op = r.op;
	ch.svc = r.svc;
	ch.dest = r.dest;
	err = exec1(c, &ch);
	if (!err)
		return HK_EXIT_OK;
	if (c->opts & OPT_IDEMPOTENT) {
		/* Present already: make it as asked.  Absent already: done. */
		if (add && err == EEXIST) {
			ch.op = dest ? IPVS_OP_SET_DEST : IPVS_OP_SET_SVC;
			err = exec1(c, &ch);
			if (!err)
				return HK_EXIT_OK;
		} else if (!add && (dest ? err == ENOENT : err == ESRCH)) {
			return HK_EXIT_OK;
		}
	}
	refused(c, &ch, err);
	return HK_EXIT_FAIL;
}

static int cmd_add(struct ctx *c, int argc, char **argv)
{
	return cmd_add_del(c, argc, argv, true);
}

static int cmd_del(struct ctx *c, int argc, char **argv)
{
	return cmd_add_del(c, argc, argv, false);
}

/* set: read the object, change only what the command line gives. */
static int cmd_set(struct ctx *c, int argc, char **argv)
{
	struct ipvs_rule r = { 0 };
	struct ipvs_change ch = { 0 };
	struct hk_err e;
	char sb[IPVS_SVCSTRLEN], db[HK_ADDRSTRLEN];
	int i = 1, err;

	only(c, 0, "set");
	if (argc < 2) {
		hk_warn("set needs 'service SERVICE' or 'dest SERVICE RADDR'");
		usage(stderr, HK_EXIT_USAGE);
	}
	if (strcmp(argv[0], "service") == 0) {
		struct ipvs_service cur;

		parse_svc(argv, argc, &i, &r.svc);
		r.op = IPVS_OP_SET_SVC;
		if (ipvs_parse_svc_opts(argv, argc, &i, &r, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
		words_done(argc, i, argv);
		if (!r.given)
			hk_die(HK_EXIT_USAGE, "set service: nothing to change");
		cur = r.svc;
		err = ipvs_nl_get_service(nl(c), &cur);
		if (err == -ESRCH)
			hk_die(HK_EXIT_FAIL, "service %s does not exist", ipvs_svc_str(&r.svc, sb));
		if (err < 0)
			hk_die(HK_EXIT_FAIL, "cannot read service %s: %s", ipvs_svc_str(&r.svc, sb),
			       strerror(-err));
		if (r.given & IPVS_G_SCHED)
			strcpy(cur.sched, r.svc.sched);
		if (r.given & IPVS_G_PERSIST) {
			cur.flags = (cur.flags & ~IP_VS_SVC_F_PERSISTENT) |
				    (r.svc.flags & IP_VS_SVC_F_PERSISTENT);
			cur.timeout = r.svc.flags & IP_VS_SVC_F_PERSISTENT ?
				      (r.svc.timeout ? r.svc.timeout : IPVS_DEF_PERSIST) : 0;
		}
		if (r.given & IPVS_G_NETMASK)
			cur.netmask = r.svc.netmask;
		if (r.given & IPVS_G_PE)
			strcpy(cur.pe, r.svc.pe);
		if (r.given & IPVS_G_OPS)
			cur.flags = (cur.flags & ~IP_VS_SVC_F_ONEPACKET) |
				    (r.svc.flags & IP_VS_SVC_F_ONEPACKET);
		if (r.given & IPVS_G_FLAGS)
			cur.flags = (cur.flags & ~IPVS_SCHED_FLAGS) | (r.svc.flags & IPVS_SCHED_FLAGS);
		if (ipvs_svc_check(&cur, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
		ch.op = IPVS_OP_SET_SVC;
		ch.svc = cur;
	} else if (strcmp(argv[0], "dest") == 0 || strcmp(argv[0], "destination") == 0) {
		struct ipvs_entry en = { 0 };
		struct ipvs_dest d;
		long j;

		parse_svc(argv, argc, &i, &r.svc);
		r.op = IPVS_OP_SET_DEST;
		if (ipvs_parse_dest_words(argv, argc, &i, IPVS_PARSE_NAMES, true, &r, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
		words_done(argc, i, argv);
		if (!(r.given & ~IPVS_G_DPORT))
			hk_die(HK_EXIT_USAGE, "set dest: nothing to change");
		if (!(r.given & IPVS_G_DPORT))
			r.dest.port = r.svc.port;
		err = ipvs_nl_get_service(nl(c), &r.svc);
		if (err == -ESRCH)
			hk_die(HK_EXIT_FAIL, "service %s does not exist", ipvs_svc_str(&r.svc, sb));
		if (err == 0)
			err = ipvs_nl_get_dests(c->nl, &r.svc, &en);
		if (err < 0)
			hk_die(HK_EXIT_FAIL, "cannot read service %s: %s", ipvs_svc_str(&r.svc, sb),
			       strerror(-err));
		j = ipvs_entry_find_dest(&en, &r.dest);
		if (j < 0) {
			free(en.dests);
			free(en.dest_lines);
			hk_die(HK_EXIT_FAIL, "destination %s does not exist in %s",
			       ipvs_dest_str(&r.dest, db), ipvs_svc_str(&r.svc, sb));
		}
		d = en.dests[j];
		free(en.dests);
		free(en.dest_lines);
		if (r.given & IPVS_G_FWD)
			d.fwd = r.dest.fwd;
		if (r.given & IPVS_G_WEIGHT)
			d.weight = r.dest.weight;
		if (r.given & IPVS_G_UTHRESH)
			d.uthresh = r.dest.uthresh;
		if (r.given & IPVS_G_LTHRESH)
			d.lthresh = r.dest.lthresh;
		if (r.given & IPVS_G_TUN) {
			d.tun_type = r.dest.tun_type;
			d.tun_port = r.dest.tun_port;
			d.tun_flags = r.dest.tun_flags;
		}
		if (ipvs_dest_check(&r.svc, &d, &e) < 0)
			hk_die(HK_EXIT_USAGE, "%s", e.msg);
		ch.op = IPVS_OP_SET_DEST;
		ch.svc = r.svc;
		ch.dest = d;
	} else {
		hk_die(HK_EXIT_USAGE, "set what: '%s' (service or dest)", argv[0]);
	}
	err = exec1(c, &ch);
	if (err)
		refused(c, &ch, err);
	return HK_EXIT_OK;
}

/* ------------------------------------------------------------ list / save */

static unsigned fmt_of(const struct ctx *c)
{
	unsigned f = 0;

	if (c->opts & OPT_NUMERIC)
		f |= IPVS_FMT_NUMERIC;
	if (c->opts & OPT_STATS)
		f |= IPVS_FMT_STATS;
	if (c->opts & OPT_RATE)
		f |= IPVS_FMT_RATE;
	if (c->opts & OPT_THRESH)
		f |= IPVS_FMT_THRESH;
	if (c->opts & OPT_EXACT)
		f |= IPVS_FMT_EXACT;
	return f;
}

static void read_table(struct ctx *c, struct ipvs_table *t, bool stats)
{
	int r;

	ipvs_nl_stats(nl(c), stats);
	r = ipvs_nl_get_table(c->nl, t);

	if (r == -EPERM || r == -EACCES)
		hk_die(HK_EXIT_FAIL, "cannot read the IPVS table: permission denied (ipvsctl needs CAP_NET_ADMIN)");
	if (r < 0)
		hk_die(HK_EXIT_FAIL, "cannot read the IPVS table: %s", strerror(-r));
}

static int cmd_list(struct ctx *c, int argc, char **argv)
{
	struct ipvs_table t = { 0 };
	uint32_t version = 0, size = 0;
	int r, i = 0, views;
	bool one_svc = argc > 0;

	only(c, OPT_NUMERIC | OPT_JSON | OPT_STATS | OPT_RATE | OPT_THRESH | OPT_EXACT, "list");
	views = !!(c->opts & OPT_STATS) + !!(c->opts & OPT_RATE) + !!(c->opts & OPT_THRESH);
	if (views > 1)
		hk_die(HK_EXIT_USAGE, "list: --stats, --rate and --thresholds are different views; give one");
	if (one_svc) {
		struct ipvs_service s;
		struct ipvs_entry *e;
		char sb[IPVS_SVCSTRLEN];

		parse_svc(argv, argc, &i, &s);
		words_done(argc, i, argv);
		r = ipvs_nl_get_service(nl(c), &s);
		if (r == -ESRCH)
			hk_die(HK_EXIT_FAIL, "service %s does not exist", ipvs_svc_str(&s, sb));
		if (r < 0)
			hk_die(HK_EXIT_FAIL, "cannot read service %s: %s", ipvs_svc_str(&s, sb), strerror(-r));
		e = ipvs_table_add(&t, &s);
		if (!e)
			hk_die(HK_EXIT_FAIL, "out of memory");
		r = ipvs_nl_get_dests(c->nl, &s, e);
		if (r < 0)
			hk_die(HK_EXIT_FAIL, "cannot read service %s: %s", ipvs_svc_str(&s, sb), strerror(-r));
	} else {
		read_table(c, &t, true);
	}
	r = ipvs_nl_info(nl(c), &version, &size);
	if (r < 0)
		hk_die(HK_EXIT_FAIL, "cannot read the IPVS version: %s", strerror(-r));
	if (c->opts & OPT_JSON)
		ipvs_print_json(stdout, &t, version, size);
	else
		ipvs_print_list(stdout, &t, version, size, !one_svc, fmt_of(c));
	ipvs_table_free(&t);
	return HK_EXIT_OK;
}

static int cmd_save(struct ctx *c, int argc, char **argv)
{
	struct ipvs_table t;

	only(c, OPT_NUMERIC, "save");
	words_done(argc, 0, argv);
	read_table(c, &t, false);
	ipvs_print_save(stdout, &t, fmt_of(c));
	ipvs_table_free(&t);
	return HK_EXIT_OK;
}

/* ------------------------------------------------------- restore / apply */

#define MAX_RULES 2000000

/* Read and parse every rule of FILE (or stdin for "-" or NULL), handing
 * each to fn: any bad line ends here, before anything is changed. */
static void each_rule(const char *path, void (*fn)(struct ipvs_rule *r, void *arg), void *arg)
{
	FILE *f = stdin;
	const char *name = "stdin";
	struct ipvs_rule rule;
	char line[1024];
	unsigned lineno = 0;
	size_t nrules = 0;
	struct hk_err e;

	if (path && strcmp(path, "-") != 0) {
		f = fopen(path, "re");
		if (!f)
			hk_die(HK_EXIT_USAGE, "cannot open '%s': %s", path, strerror(errno));
		name = path;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		int r;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f))
			hk_die(HK_EXIT_USAGE, "%s: line %u: longer than %zu bytes", name, lineno,
			       sizeof(line) - 2);
		r = ipvs_parse_line(line, IPVS_PARSE_NAMES, &rule, &e);
		if (r < 0)
			hk_die(HK_EXIT_USAGE, "%s: line %u: %s", name, lineno, e.msg);
		if (r == 0)
			continue;
		if (++nrules > MAX_RULES)
			hk_die(HK_EXIT_USAGE, "%s: more than %d rules", name, MAX_RULES);
		rule.line = lineno;
		fn(&rule, arg);
	}
	if (ferror(f))
		hk_die(HK_EXIT_USAGE, "cannot read %s: %s", name, strerror(errno));
	if (f != stdin)
		fclose(f);
}

struct rules {
	struct ipvs_rule *v;
	size_t n, cap;
};

static void keep_rule(struct ipvs_rule *r, void *arg)
{
	struct rules *rs = arg;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct ipvs_rule *nv = realloc(rs->v, cap * sizeof(*nv));

		if (!nv)
			hk_die(HK_EXIT_FAIL, "out of memory");
		rs->v = nv;
		rs->cap = cap;
	}
	rs->v[rs->n++] = *r;
}

/* apply builds its desired table as it reads. */
static void want_rule(struct ipvs_rule *r, void *arg)
{
	struct hk_err e;

	if (ipvs_desired_add(arg, r, &e) < 0)
		hk_die(errno == ENOMEM ? HK_EXIT_FAIL : HK_EXIT_USAGE, "apply: %s", e.msg);
}

static int run_plan(struct ctx *c, const struct ipvs_plan *todo, const struct ipvs_table *orig,
		    const char *what)
{
	char msg[1024];
	int r;

	if (c->opts & OPT_DRY) {
		for (size_t i = 0; i < todo->n; i++)
			ipvs_print_change(stdout, &todo->v[i]);
		return HK_EXIT_OK;
	}
	r = ipvs_tx_run(c->nl, todo, orig, msg, sizeof(msg));
	if (r != IPVS_TX_OK)
		hk_die(HK_EXIT_FAIL, "%s: %s", what, msg);
	return HK_EXIT_OK;
}

static int cmd_restore(struct ctx *c, int argc, char **argv)
{
	struct ipvs_table cur;
	struct ipvs_tx tx;
	struct rules rs = { 0 };
	struct hk_err e;
	int rc;

	only(c, OPT_DRY, "restore");
	if (argc > 1)
		words_done(argc, 1, argv);
	each_rule(argc ? argv[0] : NULL, keep_rule, &rs);
	read_table(c, &cur, false);
	if (ipvs_tx_init(&tx, &cur) < 0)
		hk_die(HK_EXIT_FAIL, "out of memory");
	if (ipvs_plan_restore(&tx, rs.v, rs.n, &e) < 0)
		hk_die(HK_EXIT_FAIL, "restore: %s; nothing was changed", e.msg);
	free(rs.v);
	rc = run_plan(c, &tx.todo, &cur, "restore");
	ipvs_tx_free(&tx);
	ipvs_table_free(&cur);
	return rc;
}

static int cmd_apply(struct ctx *c, int argc, char **argv)
{
	struct ipvs_table cur, want = { 0 };
	struct ipvs_plan todo = { 0 };
	int rc;

	only(c, OPT_ALL | OPT_DRY, "apply");
	if (argc != 1)
		hk_die(HK_EXIT_USAGE, "apply needs one FILE (or - for stdin)");
	each_rule(argv[0], want_rule, &want);
	read_table(c, &cur, false);
	if (ipvs_plan_diff(&cur, &want, c->opts & OPT_ALL, &todo) < 0)
		hk_die(HK_EXIT_FAIL, "out of memory");
	ipvs_table_free(&want);
	rc = run_plan(c, &todo, &cur, "apply");
	ipvs_plan_free(&todo);
	ipvs_table_free(&cur);
	return rc;
}

/* ------------------------------------------------------- flush, zero ... */

static int cmd_flush(struct ctx *c, int argc, char **argv)
{
	struct ipvs_change ch = { .op = IPVS_OP_FLUSH };
	int err;

	only(c, 0, "flush");
	words_done(argc, 0, argv);
	err = exec1(c, &ch);
	if (err)
		refused(c, &ch, err);
	return HK_EXIT_OK;
}

static int cmd_zero(struct ctx *c, int argc, char **argv)
{
	struct ipvs_service s;
	char sb[IPVS_SVCSTRLEN];
	int i = 0, r;

	only(c, 0, "zero");
	if (argc) {
		parse_svc(argv, argc, &i, &s);
		words_done(argc, i, argv);
	}
	r = ipvs_nl_zero(nl(c), argc ? &s : NULL);
	if (r == -ESRCH)
		hk_die(HK_EXIT_FAIL, "service %s does not exist", ipvs_svc_str(&s, sb));
	if (r < 0)
		hk_die(HK_EXIT_FAIL, "the kernel refused to zero the counters: %s", strerror(-r));
	return HK_EXIT_OK;
}

static int cmd_timeout(struct ctx *c, int argc, char **argv)
{
	static const char *const names[3] = { "tcp", "tcpfin", "udp" };
	uint32_t t[3] = { 0, 0, 0 };
	int r;

	only(c, 0, "timeout");
	if (argc == 0) {
		r = ipvs_nl_get_timeouts(nl(c), t);
		if (r < 0)
			hk_die(HK_EXIT_FAIL, "cannot read the timeouts: %s", strerror(-r));
		printf("Timeout (tcp tcpfin udp): %u %u %u\n", t[0], t[1], t[2]);
		return HK_EXIT_OK;
	}
	for (int i = 0; i < argc; i += 2) {
		int k;

		for (k = 0; k < 3; k++)
			if (strcmp(argv[i], names[k]) == 0)
				break;
		if (k == 3)
			hk_die(HK_EXIT_USAGE, "timeout: unknown '%s' (tcp, tcpfin or udp)", argv[i]);
		if (t[k])
			hk_die(HK_EXIT_USAGE, "timeout: %s given twice", names[k]);
		if (i + 1 == argc)
			hk_die(HK_EXIT_USAGE, "timeout: %s needs a value in seconds", names[k]);
		t[k] = (uint32_t)hk_opt_uint(names[k], argv[i + 1], 1, IPVS_MAX_PERSIST);
	}
	r = ipvs_nl_set_timeouts(nl(c), t);
	if (r < 0)
		hk_die(HK_EXIT_FAIL, "the kernel refused the timeouts: %s", strerror(-r));
	return HK_EXIT_OK;
}

static uint32_t daemon_state(const char *s)
{
	if (strcmp(s, "master") == 0)
		return IP_VS_STATE_MASTER;
	if (strcmp(s, "backup") == 0)
		return IP_VS_STATE_BACKUP;
	hk_die(HK_EXIT_USAGE, "sync-daemon: '%s' is neither master nor backup", s);
}

static int cmd_sync(struct ctx *c, int argc, char **argv)
{
	struct ipvs_daemon d = { 0 };
	int r;

	if (argc == 1 && strcmp(argv[0], "status") == 0) {
		struct ipvs_daemon v[2];
		size_t n;
		char g[HK_ADDRSTRLEN];

		only(c, 0, "sync-daemon status");
		r = ipvs_nl_daemon_list(nl(c), v, &n);
		if (r < 0)
			hk_die(HK_EXIT_FAIL, "cannot read the sync daemons: %s", strerror(-r));
		for (size_t i = 0; i < n; i++) {
			printf("%s sync daemon (mcast=%s, syncid=%u", v[i].state & IP_VS_STATE_MASTER ?
			       "master" : "backup", v[i].ifname, v[i].syncid);
			if (v[i].maxlen)
				printf(", maxlen=%u", v[i].maxlen);
			if (v[i].group.family)
				printf(", group=%s, port=%u, ttl=%u", hk_addr_str(&v[i].group, g),
				       v[i].port, v[i].ttl);
			printf(")\n");
		}
		return HK_EXIT_OK;
	}
	if (argc == 0)
		hk_die(HK_EXIT_USAGE, "sync-daemon needs start, stop or status");
	if (strcmp(argv[0], "status") == 0)
		hk_die(HK_EXIT_USAGE, "sync-daemon status: unexpected '%s'", argv[1]);
	if (strcmp(argv[0], "start") != 0 && strcmp(argv[0], "stop") != 0)
		hk_die(HK_EXIT_USAGE, "sync-daemon: unknown '%s' (start, stop or status)", argv[0]);
	if (argc == 1)
		hk_die(HK_EXIT_USAGE, "sync-daemon %s needs master or backup", argv[0]);
	if (argc > 2)
		hk_die(HK_EXIT_USAGE, "sync-daemon %s: unexpected '%s'", argv[0], argv[2]);
	d.state = daemon_state(argv[1]);
	if (strcmp(argv[0], "start") == 0) {
		struct hk_err e;

		only(c, OPT_IFACE | OPT_SYNCID, "sync-daemon start");
		if (!c->iface)
			hk_die(HK_EXIT_USAGE, "sync-daemon start needs --interface IF");
		if (hk_parse_ifname(c->iface, NULL, &e) < 0 || strlen(c->iface) >= sizeof(d.ifname))
			hk_die(HK_EXIT_USAGE, "--interface: %s", e.msg);
		if (hk_parse_ifname(c->iface, &(unsigned){ 0 }, &e) < 0)
			hk_die(HK_EXIT_USAGE, "--interface: %s", e.msg);
		strcpy(d.ifname, c->iface);
		d.syncid = c->opts & OPT_SYNCID ? c->syncid : 255;
		r = ipvs_nl_daemon_start(nl(c), &d);
		if (r == -EEXIST)
			hk_die(HK_EXIT_FAIL, "a %s sync daemon is already running", argv[1]);
		if (r < 0)
			hk_die(HK_EXIT_FAIL, "the kernel refused to start the %s sync daemon: %s",
			       argv[1], strerror(-r));
		return HK_EXIT_OK;
	}
	only(c, 0, "sync-daemon stop");
	r = ipvs_nl_daemon_stop(nl(c), d.state);
	if (r == -ESRCH)
		hk_die(HK_EXIT_FAIL, "no %s sync daemon is running", argv[1]);
	if (r < 0)
		hk_die(HK_EXIT_FAIL, "the kernel refused to stop the %s sync daemon: %s",
		       argv[1], strerror(-r));
	return HK_EXIT_OK;
}

/* ------------------------------------------------------------------- main */

/* Work in the named network namespace (as `ip -n NAME`): IPVS tables
 * belong to one. */
static void enter_netns(const char *name)
{
	char path[300];
	int fd;

	if (!name[0] || strchr(name, '/') || strlen(name) > 255 || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		hk_die(HK_EXIT_USAGE, "--netns: '%s' is not a namespace name", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		hk_die(HK_EXIT_USAGE, "--netns: no network namespace '%s' (%s: %s)", name, path,
		       strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		hk_die(HK_EXIT_FAIL, "--netns: cannot enter '%s': %s", name, strerror(errno));
	close(fd);
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *, int, char **);
} commands[] = {
	{ "add", cmd_add },
	{ "set", cmd_set },
	{ "del", cmd_del },
	{ "delete", cmd_del },
	{ "list", cmd_list },
	{ "save", cmd_save },
	{ "restore", cmd_restore },
	{ "apply", cmd_apply },
	{ "flush", cmd_flush },
	{ "zero", cmd_zero },
	{ "timeout", cmd_timeout },
	{ "sync-daemon", cmd_sync },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "idempotent", no_argument, NULL, 'I' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ "rate", no_argument, NULL, 'r' },
		{ "thresholds", no_argument, NULL, 't' },
		{ "exact", no_argument, NULL, 'x' },
		{ "all", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "interface", required_argument, NULL, 'i' },
		{ "syncid", required_argument, NULL, 'S' },
		{ "netns", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx c = { 0 };
	int o, rc;

	hk_log_init("ipvsctl", HK_LOG_STDERR, LOG_INFO);
	/* getopt would read "weight -1" as the option -1: no value ipvsctl
	 * takes is negative, so say that, naming the word before it. */
	for (int k = 2; k < argc && strcmp(argv[k], "--") != 0; k++)
		if (argv[k][0] == '-' && argv[k][1] >= '0' && argv[k][1] <= '9')
			hk_die(HK_EXIT_USAGE, "%s '%s': no value ipvsctl takes is negative",
			       argv[k - 1], argv[k]);
	while ((o = getopt_long(argc, argv, "hnN:", longopts, NULL)) != -1) {
		switch (o) {
		case 'h': usage(stdout, HK_EXIT_OK); break;
		case 'n': c.opts |= OPT_NUMERIC; break;
		case 'I': c.opts |= OPT_IDEMPOTENT; break;
		case 'j': c.opts |= OPT_JSON; break;
		case 's': c.opts |= OPT_STATS; break;
		case 'r': c.opts |= OPT_RATE; break;
		case 't': c.opts |= OPT_THRESH; break;
		case 'x': c.opts |= OPT_EXACT; break;
		case 'a': c.opts |= OPT_ALL; break;
		case 'd': c.opts |= OPT_DRY; break;
		case 'i': c.opts |= OPT_IFACE; c.iface = optarg; break;
		case 'S':
			c.opts |= OPT_SYNCID;
			c.syncid = (uint32_t)hk_opt_uint("--syncid", optarg, 0, 255);
			break;
		case 'N': enter_netns(optarg); break;
		default: usage(stderr, HK_EXIT_USAGE);
		}
	}
	if (optind == argc) {
		hk_warn("no command given");
		usage(stderr, HK_EXIT_USAGE);
	}
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strcmp(argv[optind], commands[k].name) != 0)
			continue;
		rc = commands[k].fn(&c, argc - optind - 1, argv + optind + 1);
		ipvs_nl_close(c.nl);
		if (fflush(stdout) != 0 || ferror(stdout))
			hk_die(HK_EXIT_FAIL, "cannot write the output: %s", strerror(errno));
		return rc;
	}
	hk_warn("unknown command '%s'", argv[optind]);
	usage(stderr, HK_EXIT_USAGE);
}
