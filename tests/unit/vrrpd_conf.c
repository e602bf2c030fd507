/* vrrpd/conf.c: options, config files, hook commands, the default
 * interface. */
#include "t.h"
#include "../../vrrpd/conf.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <unistd.h>

TEST(vrrp_cmd_split_groups_words_in_double_quotes)
{
	struct vrrp_cmd c = { 0 };
	struct hk_err e;

	CHECK_EQ_INT(vrrp_cmd_split("  /bin/notify.sh   master \"two words\" a\"b c\"d ", &c, &e), 0);
	CHECK_EQ_INT(c.argc, 4);
	CHECK_EQ_STR(c.argv[0], "/bin/notify.sh");
	CHECK_EQ_STR(c.argv[1], "master");
	CHECK_EQ_STR(c.argv[2], "two words");
	CHECK_EQ_STR(c.argv[3], "ab cd");
	CHECK(c.argv[4] == NULL);
	CHECK_EQ_INT(vrrp_cmd_split("/bin/true \"\"", &c, &e), 0);	/* an empty word */
	CHECK_EQ_INT(c.argc, 2);
	CHECK_EQ_STR(c.argv[1], "");
	CHECK_EQ_INT(vrrp_cmd_split("/bin/x \"open", &c, &e), -1);
	CHECK(strstr(e.msg, "unterminated") != NULL);
	CHECK_EQ_INT(vrrp_cmd_split("   ", &c, &e), -1);
	CHECK_EQ_INT(vrrp_cmd_split("\"\" x", &c, &e), -1);
	/* A failed split leaves the previous command alone. */
	CHECK_EQ_STR(c.text, "/bin/true \"\"");
	vrrp_cmd_free(&c);
}

TEST(vrrp_conf_set_names_the_bad_value)
{
	struct vrrp_conf c;
	struct hk_err e;

	vrrp_conf_init(&c);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vrid", "0", &e), -1);
	CHECK_EQ_STR(e.msg, "'0' is out of range 1-255");
	CHECK_EQ_INT(vrrp_conf_set(&c, "priority", "256", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "advert-int", "0.001", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "state", "primary", &e), -1);
	CHECK_EQ_STR(e.msg, "'primary' is neither backup nor master");
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1/33", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "224.0.0.1", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1 brd 192.0.2.255", &e), -1);
	CHECK(strstr(e.msg, "unknown word 'brd'") != NULL);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1 dev", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "2001:db8::1 label eth0:1", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1 dev eth0 dev eth1", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1/24 dev eth0 label eth0:1", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1", &e), -1);
	CHECK(strstr(e.msg, "given twice") != NULL);
	CHECK_EQ_INT(vrrp_conf_set(&c, "unicast-peer", "224.0.0.18", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "mcast-group", "192.0.2.1", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "name", "a/b", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "name", "-x", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "name", "VI_1", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "no-preempt", "yes", &e), -1);
	CHECK(strstr(e.msg, "takes no value") != NULL);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vrid", NULL, &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "bogus", "1", &e), -1);
	CHECK_EQ_STR(e.msg, "unknown option 'bogus'");
	CHECK_EQ_INT(vrrp_conf_set(&c, "notify", "/bin/x\nsecond line", &e), -1);
	CHECK_EQ_INT(c.vrid, 0);
	CHECK_EQ_INT(c.nvips, 1);
	CHECK_EQ_STR(c.name, "VI_1");
	vrrp_conf_free(&c);
}

static char *tmpfile_with(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/vrrpd-unit-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

TEST(vrrp_conf_file_applies_lines_in_order_and_reports_file_and_line)
{
	struct vrrp_conf c;
	struct hk_err e;
	char *p = tmpfile_with("# a comment\n"
			       "\n"
			       "   vrid   51  \n"
			       "priority 100\n"
			       "\t# indented comment\n"
			       "vip 192.0.2.100/24 dev eth0 label eth0:1\r\n"
			       "vip 192.0.2.101\n"
			       "notify-master /bin/notify.sh \"master now\"\n"
			       "no-preempt\n"
			       "priority 120\n");

	CHECK(p != NULL);
	vrrp_conf_init(&c);
	CHECK_EQ_INT(vrrp_conf_file(&c, p, &e), 0);
	CHECK_EQ_INT(c.vrid, 51);
	CHECK_EQ_INT(c.priority, 120);	/* the later line wins */
	CHECK_EQ_INT(c.nvips, 2);
	CHECK_EQ_STR(c.vips[0].label, "eth0:1");
	CHECK(!c.preempt);
	CHECK_EQ_INT(c.notify_master.argc, 2);
	CHECK_EQ_STR(c.notify_master.argv[1], "master now");
	unlink(p);
	vrrp_conf_free(&c);

	vrrp_conf_init(&c);
	p = tmpfile_with("vrid 51\n\npriority 300\n");
	CHECK_EQ_INT(vrrp_conf_file(&c, p, &e), -1);
	CHECK(strstr(e.msg, ":3: priority: '300' is out of range 1-255") != NULL);
	unlink(p);
	p = tmpfile_with("vrid 51\nfrobnicate 1\n");
	CHECK_EQ_INT(vrrp_conf_file(&c, p, &e), -1);
	CHECK(strstr(e.msg, ":2: unknown option 'frobnicate'") != NULL);
	unlink(p);
	p = tmpfile_with("config /etc/other\n");
	CHECK_EQ_INT(vrrp_conf_file(&c, p, &e), -1);
	CHECK(strstr(e.msg, ":1: config files do not nest") != NULL);
	unlink(p);
	p = tmpfile_with("vrid\n");
	CHECK_EQ_INT(vrrp_conf_file(&c, p, &e), -1);
	CHECK(strstr(e.msg, ":1: vrid: needs a value") != NULL);
	unlink(p);
	CHECK_EQ_INT(vrrp_conf_file(&c, "/nonexistent/vrrpd.conf", &e), -1);
	CHECK(strstr(e.msg, "--config: cannot open '/nonexistent/vrrpd.conf'") != NULL);
	vrrp_conf_free(&c);
}

static struct vrrp_ifaddr ifa(const char *name, const char *addr, uint8_t plen, bool lo)
{
	struct vrrp_ifaddr a = { .pfx.plen = plen, .loopback = lo };

	snprintf(a.name, sizeof(a.name), "%s", name);
	if (inet_pton(AF_INET, addr, &a.pfx.addr.v4) == 1)
		a.pfx.addr.family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &a.pfx.addr.v6) == 1)
		a.pfx.addr.family = AF_INET6;
	return a;
}

TEST(vrrp_pick_iface_takes_the_longest_prefix_holding_the_vip)
{
	struct vrrp_ifaddr l[] = {
		ifa("lo", "10.0.0.1", 8, true),
		ifa("eth0", "10.0.0.1", 8, false),
		ifa("eth1", "10.0.0.2", 24, false),
		ifa("eth2", "10.0.0.3", 32, false),	/* the VIP itself, left over */
		ifa("eth3", "2001:db8::1", 64, false),
	};
	struct hk_addr v = { .family = AF_INET };

	inet_pton(AF_INET, "10.0.0.3", &v.v4);
	CHECK_EQ_INT(vrrp_pick_iface(l, 5, &v), 2);
	inet_pton(AF_INET, "10.9.0.3", &v.v4);
	CHECK_EQ_INT(vrrp_pick_iface(l, 5, &v), 1);
	inet_pton(AF_INET, "192.0.2.1", &v.v4);
	CHECK_EQ_INT(vrrp_pick_iface(l, 5, &v), -1);
	v.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::99", &v.v6);
	CHECK_EQ_INT(vrrp_pick_iface(l, 5, &v), 4);
	inet_pton(AF_INET6, "2001:db8:1::99", &v.v6);
	CHECK_EQ_INT(vrrp_pick_iface(l, 5, &v), -1);
}

TEST(vrrp_fmt_secs_drops_trailing_zeros)
{
	char b[32];

	CHECK_EQ_STR(vrrp_fmt_secs(b, sizeof(b), 100000), "0.1");
	CHECK_EQ_STR(vrrp_fmt_secs(b, sizeof(b), 3000000), "3");
	CHECK_EQ_STR(vrrp_fmt_secs(b, sizeof(b), 0), "0");
	CHECK_EQ_STR(vrrp_fmt_secs(b, sizeof(b), 10000), "0.01");
}

TEST(vrrp_conf_tracking_options_qualify_the_last_track_script)
{
	struct vrrp_conf c;
	struct hk_err e;

	vrrp_conf_init(&c);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-weight", "-10", &e), -1);
	CHECK_EQ_STR(e.msg, "applies to a --track-script: give one before --track-weight");
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-script", "/etc/keepalived/check_nginx.sh", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-interval", "1", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-weight", "-10", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-rise", "2", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-fall", "3", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-script", "/bin/true x", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-timeout", "0.5", &e), 0);
	CHECK_EQ_INT(c.nscripts, 2);
	CHECK_EQ_INT(c.scripts[0].weight, -10);
	CHECK_EQ_INT(c.scripts[0].rise, 2);
	CHECK_EQ_INT(c.scripts[0].fall, 3);
	CHECK_EQ_INT(c.scripts[0].timeout_us, 0);
	CHECK_EQ_INT(c.scripts[1].weight, 0);
	CHECK_EQ_INT(c.scripts[1].timeout_us, 500000);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-weight", "254", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-fall", "0", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-interval", "0.001", &e), -1);

	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/tmp/nginx.txt:-10", &e), 0);
	CHECK_EQ_STR(c.files[0].path, "/tmp/nginx.txt");
	CHECK(c.files[0].has_weight);
	CHECK_EQ_INT(c.files[0].weight, -10);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/run/a:b", &e), 0);
	CHECK_EQ_STR(c.files[1].path, "/run/a:b");
	CHECK(!c.files[1].has_weight);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/run/c:+5", &e), 0);
	CHECK_EQ_INT(c.files[2].weight, 5);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "relative", &e), -1);
	CHECK_EQ_STR(e.msg, "'relative' is not an absolute path");
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/run/x:300", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/tmp/nginx.txt", &e), -1);
	CHECK(strstr(e.msg, "given twice") != NULL);

	CHECK_EQ_INT(vrrp_conf_set(&c, "track-interface", "eth1:-20", &e), 0);
	CHECK_EQ_STR(c.ifs[0].name, "eth1");
	CHECK_EQ_INT(c.ifs[0].weight, -20);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-interface", "eth2", &e), 0);
	CHECK(!c.ifs[1].has_weight);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-interface", "eth 3", &e), -1);

	CHECK_EQ_INT(vrrp_conf_set(&c, "sync-group", "VG_1", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "sync-group", "../x", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "sync-dir", "run/x", &e), -1);
	CHECK_EQ_INT(vrrp_conf_set(&c, "accept", NULL, &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "no-accept", NULL, &e), 0);
	CHECK_EQ_INT(c.accept, 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vmac", "x", &e), -1);
	vrrp_conf_free(&c);
}

TEST(vrrp_parse_cpus_takes_lists_and_ranges_and_prints_them_back)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "0", "0" }, { "1,0", "0-1" }, { "0,2-3", "0,2-3" }, { "5-5,7", "5,7" },
		{ "0-2,4,6-7", "0-2,4,6-7" }, { "1023", "1023" },
	};
	static const char *const bad[] = { "", ",", "0,", "-1", "a", "1-", "3-1", "0 1", "1024",
					   "0x1", "2,,3" };
	cpu_set_t set;
	char buf[64];
	struct hk_err e;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		CHECK_EQ_INT(vrrp_parse_cpus(ok[i].in, &set, &e), 0);
		vrrp_fmt_cpus(buf, sizeof(buf), &set);
		CHECK_EQ_STR(buf, ok[i].out);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vrrp_parse_cpus(bad[i], &set, &e) != -1)
			t_fail(__FILE__, __LINE__, "'%s' was taken as a CPU list", bad[i]);
	CHECK_EQ_INT(vrrp_parse_cpus("3-1", &set, &e), -1);
	CHECK_EQ_STR(e.msg, "'3-1': CPUs are numbered 0-1023, low to high");
	CHECK_EQ_INT(vrrp_parse_cpus("0;1", &set, &e), -1);
	CHECK_EQ_STR(e.msg, "'0;1' is not a list of CPUs (0,2 or 0-3)");
}
