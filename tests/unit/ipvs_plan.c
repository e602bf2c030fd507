/* ipvsctl's planner: restore checks, apply's difference, and undo. */
#include "../../ipvsctl/ipvs.h"
#include "t.h"

#include <errno.h>

/* Parse a little rule file (lines separated by '\n') into r[]. */
static size_t rules(const char *text, struct ipvs_rule *r, size_t max)
{
	char buf[4096], *save = NULL, *l;
	size_t n = 0;
	unsigned lineno = 0;
	struct hk_err e;

	snprintf(buf, sizeof(buf), "%s", text);
	for (l = strtok_r(buf, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (ipvs_parse_line(l, 0, &r[n], &e) == 1) {
			r[n].line = lineno;
			n++;
		} else {
			t_fail(__FILE__, __LINE__, "bad fixture line '%s': %s", l, e.msg);
		}
	}
	return n;
}

/* A table built as a restore of text into an empty one would. */
static void table(const char *text, struct ipvs_table *t)
{
	struct ipvs_rule r[64];
	struct ipvs_table empty = { 0 };
	struct ipvs_tx tx;
	struct hk_err e;
	size_t n = rules(text, r, 64);

	ipvs_tx_init(&tx, &empty);
	CHECK_EQ_INT(ipvs_plan_restore(&tx, r, n, &e), 0);
	ipvs_table_copy(t, &tx.sim);
	ipvs_tx_free(&tx);
}

static bool same_table(const struct ipvs_table *a, const struct ipvs_table *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct ipvs_entry *x = &a->v[i], *y = &b->v[i];

		if (ipvs_svc_cmp(&x->svc, &y->svc) || !ipvs_svc_same_attrs(&x->svc, &y->svc) ||
		    x->ndests != y->ndests)
			return false;
		for (size_t j = 0; j < x->ndests; j++)
			if (ipvs_dest_cmp(&x->dests[j], &y->dests[j]) ||
			    !ipvs_dest_same_attrs(&x->dests[j], &y->dests[j]))
				return false;
	}
	return true;
}

/* The table cur after the plan's requests, as the kernel would make it. */
static void play(const struct ipvs_table *cur, const struct ipvs_plan *p, struct ipvs_table *out)
{
	ipvs_table_copy(out, cur);
	for (size_t i = 0; i < p->n; i++)
		ipvs_table_apply(out, &p->v[i]);
}

/* The rollback (tx.c): apply's difference from where the requests
 * ended back to where they started must give the start back. */
static void check_undo(const struct ipvs_table *end, const struct ipvs_table *start)
{
	struct ipvs_plan back = { 0 };
	struct ipvs_table t;

	CHECK_EQ_INT(ipvs_plan_diff(end, start, true, &back), 0);
	play(end, &back, &t);
	CHECK(same_table(&t, start));
	ipvs_table_free(&t);
	ipvs_plan_free(&back);
}

static const char base[] =
	"-A -t 192.0.2.1:80 -s wrr\n"
	"-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2\n"
	"-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1\n"
	"-A -u 192.0.2.1:53 -s rr\n"
	"-a -u 192.0.2.1:53 -r 198.51.100.1:53 -m -w 1\n"
	"-A -f 6 -s rr -p 60\n"
	"-a -f 6 -r 198.51.100.3:0 -g -w 1\n";

TEST(ipvs_plan_restore_refuses_what_cannot_succeed_with_its_line)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "-A -t 192.0.2.1:80 -s rr", "line 1: service TCP 192.0.2.1:80 already exists" },
		{ "-A -t 192.0.2.9:80\n-A -t 192.0.2.9:80", "line 2: service TCP 192.0.2.9:80 already exists" },
		{ "-E -t 192.0.2.9:80 -s rr", "line 1: service TCP 192.0.2.9:80 does not exist" },
		{ "-D -f 7", "line 1: service FWM 7 does not exist" },
		{ "-a -t 192.0.2.9:80 -r 198.51.100.1", "line 1: service TCP 192.0.2.9:80 does not exist" },
		{ "-a -t 192.0.2.1:80 -r 198.51.100.1:80",
		  "line 1: destination 198.51.100.1:80 already exists in TCP 192.0.2.1:80" },
		{ "-d -t 192.0.2.1:80 -r 198.51.100.9",
		  "line 1: destination 198.51.100.9:80 does not exist in TCP 192.0.2.1:80" },
		{ "-C\n-a -t 192.0.2.1:80 -r 198.51.100.9", "line 2: service TCP 192.0.2.1:80 does not exist" },
		{ "-D -t 192.0.2.1:80\n-e -t 192.0.2.1:80 -r 198.51.100.1", "line 2: service" },
	};
	struct ipvs_table cur;

	table(base, &cur);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ipvs_rule r[8];
		struct ipvs_tx tx;
		struct hk_err e = { "" };
		size_t n = rules(cases[k].in, r, 8);

		ipvs_tx_init(&tx, &cur);
		CHECK_EQ_INT(ipvs_plan_restore(&tx, r, n, &e), -1);
		if (!strstr(e.msg, cases[k].msg))
			t_fail(__FILE__, __LINE__, "'%s' lacks '%s'", e.msg, cases[k].msg);
		ipvs_tx_free(&tx);
	}
	ipvs_table_free(&cur);
}

TEST(ipvs_plan_restore_rollback_gives_back_the_table)
{
	static const char in[] =
		"-A -t 192.0.2.2:80 -s rr\n"
		"-a -t 192.0.2.2:80 -r 198.51.100.5:80\n"
		"-e -t 192.0.2.1:80 -r 198.51.100.1:80 -w 5\n"
		"-d -t 192.0.2.1:80 -r 198.51.100.2:80\n"
		"-E -u 192.0.2.1:53 -s wlc -p\n"
		"-D -f 6\n"
		"-C\n"
		"-A -t 192.0.2.3:80\n";
	struct ipvs_table cur;
	struct ipvs_rule r[16];
	struct ipvs_tx tx;
	struct hk_err e;
	size_t n = rules(in, r, 16);

	table(base, &cur);
	ipvs_tx_init(&tx, &cur);
	CHECK_EQ_INT(ipvs_plan_restore(&tx, r, n, &e), 0);
	CHECK_EQ_INT(tx.todo.n, 8);
	CHECK_EQ_INT(tx.sim.n, 1);
	check_undo(&tx.sim, &cur);
	ipvs_tx_free(&tx);
	ipvs_table_free(&cur);
}

TEST(ipvs_plan_diff_changes_weights_in_place)
{
	struct ipvs_table cur, want, end;
	struct ipvs_rule r[16];
	struct ipvs_plan p = { 0 };
	struct hk_err e;
	size_t n;
	static const char in[] =
		"-A -t 192.0.2.1:80 -s wrr\n"
		"-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 0\n"
		"-a -t 192.0.2.1:80 -r 198.51.100.2:80 -g -w 1\n"
		"-A -u 192.0.2.1:53 -s rr\n"
		"-a -u 192.0.2.1:53 -r 198.51.100.1:53 -m -w 1\n"
		"-A -f 6 -s rr -p 60\n"
		"-a -f 6 -r 198.51.100.3:0 -g -w 1\n";

	table(base, &cur);
	n = rules(in, r, 16);
	CHECK_EQ_INT(ipvs_desired_table(r, n, &want, &e), 0);
	CHECK_EQ_INT(ipvs_plan_diff(&cur, &want, false, &p), 0);
	CHECK_EQ_INT(p.n, 1);
	CHECK_EQ_INT(p.v[0].op, IPVS_OP_SET_DEST);
	CHECK_EQ_INT(p.v[0].dest.weight, 0);
	CHECK_EQ_INT(p.v[0].line, 2);
	play(&cur, &p, &end);
	CHECK(same_table(&end, &want));
	check_undo(&end, &cur);
	ipvs_table_free(&end);
	ipvs_plan_free(&p);

	/* The same table again: nothing to do. */
	CHECK_EQ_INT(ipvs_plan_diff(&want, &want, true, &p), 0);
	CHECK_EQ_INT(p.n, 0);
	ipvs_plan_free(&p);
	ipvs_table_free(&want);
	ipvs_table_free(&cur);
}

TEST(ipvs_plan_diff_adds_deletes_and_leaves_unlisted_services_unless_all)
{
	struct ipvs_table cur, want, end;
	struct ipvs_rule r[16];
	struct ipvs_plan p = { 0 };
	struct hk_err e;
	size_t n, adds = 0, sets = 0, dels = 0;
	static const char in[] =
		"-A -t 192.0.2.1:80 -s rr\n"			/* scheduler changed */
		"-a -t 192.0.2.1:80 -r 198.51.100.1:80 -g -w 2\n"
		"-a -t 192.0.2.1:80 -r 198.51.100.4:80 -g -w 1\n"	/* .2 goes, .4 comes */
		"-A -t 192.0.2.7:443 -s wlc\n"			/* new service */
		"-a -t 192.0.2.7:443 -r 198.51.100.7:443 -m\n";

	table(base, &cur);
	n = rules(in, r, 16);
	CHECK_EQ_INT(ipvs_desired_table(r, n, &want, &e), 0);

	CHECK_EQ_INT(ipvs_plan_diff(&cur, &want, false, &p), 0);
	for (size_t i = 0; i < p.n; i++) {
		enum ipvs_op op = p.v[i].op;

		adds += op == IPVS_OP_ADD_SVC || op == IPVS_OP_ADD_DEST;
		sets += op == IPVS_OP_SET_SVC || op == IPVS_OP_SET_DEST;
		dels += op == IPVS_OP_DEL_SVC || op == IPVS_OP_DEL_DEST;
	}
	CHECK_EQ_INT(adds, 3);	/* service .7, dests .4 and .7 */
	CHECK_EQ_INT(sets, 1);	/* the scheduler */
	CHECK_EQ_INT(dels, 1);	/* dest .2 */
	/* Deletions come last. */
	CHECK_EQ_INT(p.v[p.n - 1].op, IPVS_OP_DEL_DEST);
	/* The UDP and fwmark services were not listed: they stay. */
	play(&cur, &p, &end);
	CHECK_EQ_INT(end.n, 4);
	check_undo(&end, &cur);
	ipvs_table_free(&end);
	ipvs_plan_free(&p);

	CHECK_EQ_INT(ipvs_plan_diff(&cur, &want, true, &p), 0);
	play(&cur, &p, &end);
	CHECK(same_table(&end, &want));
	check_undo(&end, &cur);
	ipvs_table_free(&end);
	ipvs_plan_free(&p);
	ipvs_table_free(&want);
	ipvs_table_free(&cur);
}

TEST(ipvs_desired_table_refuses_repeats_and_other_commands)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
		{ "-A -t 192.0.2.1:80\n-A -t 192.0.2.1:80 -s rr",
		  "line 2: service TCP 192.0.2.1:80 is given again (first on line 1)" },
		{ "-A -t 192.0.2.1:80\n-a -t 192.0.2.1:80 -r 198.51.100.1\n-a -t 192.0.2.1:80 -r 198.51.100.1 -w 3",
		  "line 3: destination 198.51.100.1:80 of TCP 192.0.2.1:80 is given again (first on line 2)" },
		{ "-a -t 192.0.2.1:80 -r 198.51.100.1",
		  "line 1: destination 198.51.100.1:80 of service TCP 192.0.2.1:80, which no -A line before it gives" },
		{ "-D -t 192.0.2.1:80", "line 1: apply takes the desired table, -A and -a lines only" },
		{ "-C", "apply takes the desired table" },
	};

	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ipvs_rule r[8];
		struct ipvs_table want;
		struct hk_err e = { "" };
		size_t n = rules(cases[k].in, r, 8);

		CHECK_EQ_INT(ipvs_desired_table(r, n, &want, &e), -1);
		if (!strstr(e.msg, cases[k].msg))
			t_fail(__FILE__, __LINE__, "'%s' lacks '%s'", e.msg, cases[k].msg);
		ipvs_table_free(&want);
	}
}

TEST(ipvs_change_errors_name_what_was_refused)
{
	struct ipvs_rule r;
	struct ipvs_change c = { 0 };
	struct hk_err e;
	char buf[256];

	ipvs_parse_line("-a -t 192.0.2.1:80 -r 198.51.100.1:80", 0, &r, &e);
	c.op = IPVS_OP_ADD_DEST;
	c.svc = r.svc;
	c.dest = r.dest;
	CHECK_EQ_STR(ipvs_change_error(&c, EEXIST, buf, sizeof(buf)),
		     "destination 198.51.100.1:80 already exists in TCP 192.0.2.1:80");
	CHECK_EQ_STR(ipvs_change_error(&c, ESRCH, buf, sizeof(buf)),
		     "service TCP 192.0.2.1:80 does not exist");
	CHECK(strstr(ipvs_change_error(&c, EINVAL, buf, sizeof(buf)), "unicast or local"));
	CHECK(strstr(ipvs_change_error(&c, EPERM, buf, sizeof(buf)), "CAP_NET_ADMIN"));
	c.op = IPVS_OP_DEL_DEST;
	CHECK_EQ_STR(ipvs_change_error(&c, ENOENT, buf, sizeof(buf)),
		     "destination 198.51.100.1:80 does not exist in TCP 192.0.2.1:80");
	c.op = IPVS_OP_ADD_SVC;
	strcpy(c.svc.sched, "twos");
	CHECK_EQ_STR(ipvs_change_error(&c, ENOENT, buf, sizeof(buf)),
		     "TCP 192.0.2.1:80: scheduler 'twos' is not available in this kernel (no module ip_vs_twos)");
	CHECK_EQ_STR(ipvs_change_error(&c, EEXIST, buf, sizeof(buf)),
		     "service TCP 192.0.2.1:80 already exists");
}

/* The table keeps services and destinations sorted whatever order they
 * come in (files in order, the kernel newest first, anything else) and
 * finds each of them again. */
TEST(ipvs_table_sorted_whatever_the_order_of_insertion)
{
	static const int orders[3][8] = {
		{ 0, 1, 2, 3, 4, 5, 6, 7 }, { 7, 6, 5, 4, 3, 2, 1, 0 }, { 3, 7, 0, 5, 1, 6, 2, 4 },
	};

	for (int o = 0; o < 3; o++) {
		struct ipvs_table t = { 0 };
		struct ipvs_entry *en;

		for (int k = 0; k < 8; k++) {
			struct ipvs_service s = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };

			s.addr.family = AF_INET;
			s.addr.bytes[0] = 192;
			s.addr.bytes[3] = (uint8_t)(1 + orders[o][k]);
			en = ipvs_table_add(&t, &s);
			CHECK(en != NULL);
			for (int j = 0; en && j < 8; j++) {
				struct ipvs_dest d = { .port = 80, .weight = 1 };

				d.addr.family = AF_INET;
				d.addr.bytes[0] = 198;
				d.addr.bytes[3] = (uint8_t)(1 + orders[(o + 1) % 3][j]);
				CHECK_EQ_INT(ipvs_entry_add_dest(en, &d, 0), 0);
			}
		}
		CHECK_EQ_INT((int)t.n, 8);
		for (size_t i = 0; i < t.n; i++) {
			CHECK(i == 0 || ipvs_svc_cmp(&t.v[i - 1].svc, &t.v[i].svc) < 0);
			CHECK(ipvs_table_find(&t, &t.v[i].svc) == &t.v[i]);
			CHECK_EQ_INT((int)t.v[i].ndests, 8);
			for (size_t j = 0; j < t.v[i].ndests; j++) {
				CHECK(j == 0 || ipvs_dest_cmp(&t.v[i].dests[j - 1], &t.v[i].dests[j]) < 0);
				CHECK_EQ_INT((int)ipvs_entry_find_dest(&t.v[i], &t.v[i].dests[j]), (int)j);
			}
		}
		{
			struct ipvs_service absent = t.v[0].svc;
			struct ipvs_dest nod = t.v[0].dests[0];

			absent.port = 81;
			nod.addr.bytes[3] = 200;
			CHECK(ipvs_table_find(&t, &absent) == NULL);
			CHECK_EQ_INT((int)ipvs_entry_find_dest(&t.v[0], &nod), -1);
			nod.addr.bytes[3] = 0;
			CHECK_EQ_INT((int)ipvs_entry_find_dest(&t.v[0], &nod), -1);
		}
		ipvs_table_free(&t);
	}
}
