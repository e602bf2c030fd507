#include "t.h"
#include "../../vipctl/vipctl.h"

#include <errno.h>

/* Parse a command given as one string (split like a batch line). */
static int parse(const char *text, struct vip_cmd *c, struct hk_err *e)
{
	char buf[512], *w[16];
	int n;

	snprintf(buf, sizeof(buf), "%s", text);
	n = vip_split_line(buf, w, 16);
	return vip_parse_cmd(n, w, c, e);
}

TEST(vip_split_line_drops_blanks_and_comments)
{
	char line[] = "  add\t192.0.2.1  dev lo # a comment\n", *w[8];

	CHECK_EQ_INT(vip_split_line(line, w, 8), 4);
	CHECK_EQ_STR(w[0], "add");
	CHECK_EQ_STR(w[3], "lo");
	char empty[] = "   # nothing\n";

	CHECK_EQ_INT(vip_split_line(empty, w, 8), 0);
	char many[] = "a b c d e";

	CHECK_EQ_INT(vip_split_line(many, w, 4), -1);
}

TEST(vip_parse_add_with_label_and_prefix)
{
	struct vip_cmd c;
	struct hk_err e;

	CHECK_EQ_INT(parse("add 192.0.2.10/24 dev lo label lo:5", &c, &e), 0);
	CHECK_EQ_INT(c.verb, VIP_ADD);
	CHECK_EQ_INT(c.vip.pfx.plen, 24);
	CHECK_EQ_STR(c.vip.label, "lo:5");
	CHECK_EQ_STR(c.dev, "lo");
	CHECK(c.have_plen);
	CHECK(c.vip.ifindex > 0);
}

TEST(vip_parse_ipv6_add_sets_nodad)
{
	struct vip_cmd c;

	CHECK_EQ_INT(parse("add 2001:db8::1 dev lo", &c, NULL), 0);
	CHECK_EQ_INT(c.vip.pfx.plen, 128);
	CHECK(c.vip.flags != 0);
	CHECK(!c.have_plen);
}

TEST(vip_parse_garp_options_and_bounds)
{
	struct vip_cmd c;
	struct hk_err e;

	CHECK_EQ_INT(parse("garp 192.0.2.1 dev lo --count 5 --interval 0.25 --force", &c, &e), 0);
	CHECK_EQ_INT(c.count, 5);
	CHECK_EQ_INT(c.interval_us, 250000);
	CHECK(c.force);
	CHECK_EQ_INT(parse("garp 192.0.2.1 dev lo --count 1001", &c, &e), -1);
	CHECK_EQ_STR(e.msg, "--count: '1001' is out of range 1-1000");
	CHECK_EQ_INT(parse("garp 192.0.2.1 dev lo --interval 61", &c, &e), -1);
	CHECK_EQ_INT(parse("garp 192.0.2.1 dev lo --count", &c, &e), -1);
	CHECK_EQ_STR(e.msg, "garp: '--count' needs a value");
}

TEST(vip_parse_rejects_what_does_not_belong_to_the_verb)
{
	struct vip_cmd c;
	struct hk_err e;

	CHECK_EQ_INT(parse("del 192.0.2.1 dev lo label lo:1", &c, &e), -1);
	CHECK_EQ_STR(e.msg, "del: unexpected 'label'");
	CHECK_EQ_INT(parse("add 192.0.2.1 dev lo --json", &c, &e), -1);
	CHECK_EQ_INT(parse("list --count 3", &c, &e), -1);
	CHECK_EQ_INT(parse("add", &c, &e), -1);
	CHECK_EQ_STR(e.msg, "add: missing address");
	CHECK_EQ_INT(vip_parse_cmd(0, NULL, &c, &e), -1);
}

TEST(vip_parse_list_filters)
{
	struct vip_cmd c;

	CHECK_EQ_INT(parse("list", &c, NULL), 0);
	CHECK_EQ_INT(c.vip.ifindex, 0);
	CHECK_EQ_INT(parse("show dev lo --json", &c, NULL), 0);
	CHECK(c.json);
	CHECK(c.vip.ifindex > 0);
}
