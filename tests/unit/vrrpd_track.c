/* vrrpd/track.c: keepalived's tracking rules; vrrpd/sync.c's group view;
 * vrrpd/priv.c's user lookup and script checks; vrrpd/accept.c's table. */
#include "t.h"
#include "../../vrrpd/accept.h"
#include "../../vrrpd/priv.h"
#include "../../vrrpd/sync.h"
#include "../../vrrpd/track.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

TEST(vrrp_script_feed_follows_keepalived_rise_and_fall)
{
	struct vrrp_script_state s;

	/* rise 2, fall 3: the first run decides. */
	vrrp_script_state_init(&s, 2);
	CHECK(!s.reported);
	CHECK(vrrp_script_feed(&s, 2, 3, true));
	CHECK(s.ok);
	/* Two failures are not enough, the third is. */
	CHECK(!vrrp_script_feed(&s, 2, 3, false));
	CHECK(!vrrp_script_feed(&s, 2, 3, false));
	CHECK(s.ok);
	CHECK(vrrp_script_feed(&s, 2, 3, false));
	CHECK(!s.ok);
	/* One success is not enough, the second is. */
	CHECK(!vrrp_script_feed(&s, 2, 3, true));
	CHECK(!s.ok);
	CHECK(vrrp_script_feed(&s, 2, 3, true));
	CHECK(s.ok);
	/* A failure in between starts the count again. */
	CHECK(!vrrp_script_feed(&s, 2, 3, false));
	CHECK(!vrrp_script_feed(&s, 2, 3, true));
	CHECK(!vrrp_script_feed(&s, 2, 3, false));
	CHECK(!vrrp_script_feed(&s, 2, 3, false));
	CHECK(vrrp_script_feed(&s, 2, 3, false));
	/* A first run that fails fails at once, whatever fall says. */
	vrrp_script_state_init(&s, 2);
	CHECK(vrrp_script_feed(&s, 2, 3, false));
	CHECK(!s.ok);
}

TEST(vrrp_track_file_value_reads_as_keepalived_does)
{
	CHECK_EQ_INT(vrrp_track_file_value("0\n", 2), 0);
	CHECK_EQ_INT(vrrp_track_file_value("1", 1), 1);
	CHECK_EQ_INT(vrrp_track_file_value("  -7 apples", 11), -7);
	CHECK_EQ_INT(vrrp_track_file_value("0x10", 4), 16);
	CHECK_EQ_INT(vrrp_track_file_value("010", 3), 8);
	CHECK_EQ_INT(vrrp_track_file_value("abc", 3), 0);
	CHECK_EQ_INT(vrrp_track_file_value("", 0), 0);
	CHECK_EQ_INT(vrrp_track_file_value("300", 3), 254);
	CHECK_EQ_INT(vrrp_track_file_value("-99999999999999999999", 21), -254);
	/* Only the first 127 bytes count: no overrun on a long file. */
	char big[4096];

	memset(big, '9', sizeof(big));
	CHECK_EQ_INT(vrrp_track_file_value(big, sizeof(big)), 254);
}

TEST(vrrp_track_deltas_follow_the_weight_signs)
{
	CHECK_EQ_INT(vrrp_track_file_delta(0, 0, false), 0);
	CHECK_EQ_INT(vrrp_track_file_delta(3, 0, false), VRRP_TRACK_FAULT);
	CHECK_EQ_INT(vrrp_track_file_delta(-1, 0, true), VRRP_TRACK_FAULT);
	CHECK_EQ_INT(vrrp_track_file_delta(1, -10, true), -10);
	CHECK_EQ_INT(vrrp_track_file_delta(25, -10, true), -250);
	CHECK_EQ_INT(vrrp_track_file_delta(26, -10, true), VRRP_TRACK_FAULT);
	CHECK_EQ_INT(vrrp_track_file_delta(30, 10, true), 253);
	CHECK_EQ_INT(vrrp_track_if_delta(false, 0, false), VRRP_TRACK_FAULT);
	CHECK_EQ_INT(vrrp_track_if_delta(true, 0, false), 0);
	CHECK_EQ_INT(vrrp_track_if_delta(true, 20, true), 20);
	CHECK_EQ_INT(vrrp_track_if_delta(false, 20, true), 0);
	CHECK_EQ_INT(vrrp_track_if_delta(true, -20, true), 0);
	CHECK_EQ_INT(vrrp_track_if_delta(false, -20, true), -20);

	struct vrrp_script_state s;

	vrrp_script_state_init(&s, 1);
	CHECK_EQ_INT(vrrp_track_script_delta(&s, -10), 0);	/* not reported: nothing */
	vrrp_script_feed(&s, 1, 1, false);
	CHECK_EQ_INT(vrrp_track_script_delta(&s, -10), -10);
	CHECK_EQ_INT(vrrp_track_script_delta(&s, 10), 0);
	CHECK_EQ_INT(vrrp_track_script_delta(&s, 0), VRRP_TRACK_FAULT);
}

TEST(vrrp_track_eval_sums_weights_and_names_the_first_fault)
{
	struct vrrp_conf c;
	struct vrrp_track_obs o;
	struct vrrp_track_verdict v;
	struct hk_err e;

	vrrp_conf_init(&c);
	memset(&o, 0, sizeof(o));
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/run/a:-10", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-file", "/run/b", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-script", "/bin/true", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-weight", "5", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "track-script", "/bin/false", &e), 0);
	vrrp_script_state_init(&o.scripts[0], 1);
	vrrp_script_state_init(&o.scripts[1], 1);
	o.file_values[0] = 2;
	vrrp_track_eval(&c, &o, &v);
	CHECK_EQ_INT(v.delta, -20);
	CHECK(!v.fault);
	CHECK(v.init);		/* the weightless script has not reported */
	CHECK_EQ_STR(v.why, "waiting for the first run of the track scripts");
	vrrp_script_feed(&o.scripts[0], 1, 1, true);
	vrrp_script_feed(&o.scripts[1], 1, 1, false);
	o.file_values[1] = 1;
	vrrp_track_eval(&c, &o, &v);
	CHECK_EQ_INT(v.delta, -15);
	CHECK(v.fault);
	CHECK(!v.init);
	CHECK_EQ_STR(v.why, "tracked file /run/b holds 1");
	CHECK_EQ_INT(vrrp_effective_priority(100, -15), 85);
	CHECK_EQ_INT(vrrp_effective_priority(100, -200), 1);
	CHECK_EQ_INT(vrrp_effective_priority(200, 100), 254);
	CHECK_EQ_INT(vrrp_effective_priority(255, -100), 255);
	vrrp_conf_free(&c);
}

static struct vrrp_peer peer(const char *name, enum vrrp_state st, bool want, bool fault)
{
	struct vrrp_peer p = { .known = true, .nconn = 1 };

	snprintf(p.m.name, sizeof(p.m.name), "%s", name);
	p.m.state = st;
	p.m.want_master = want;
	p.m.fault = fault;
	return p;
}

TEST(vrrp_group_eval_is_keepalived_sync_group_logic)
{
	struct vrrp_member me = { .name = "VI_2", .state = VRRP_STATE_BACKUP };
	struct vrrp_peer p[2] = { 0 };
	struct vrrp_group_view v;

	/* Alone: settled, free to become master, the leader. */
	vrrp_group_eval(&me, p, 0, &v);
	CHECK(v.settled && v.can_master && v.leader && !v.fault);
	CHECK_EQ_INT(v.gstate, VRRP_STATE_BACKUP);
	/* Master only when every other member wants it or is master. */
	p[0] = peer("VI_1", VRRP_STATE_BACKUP, false, false);
	p[1] = peer("VI_3", VRRP_STATE_BACKUP, true, false);
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(!v.can_master);
	CHECK(!v.leader);	/* VI_1 is smaller */
	p[0].m.want_master = true;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(v.can_master);
	p[0].m.state = VRRP_STATE_MASTER;
	p[0].m.want_master = false;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(v.can_master);
	CHECK_EQ_INT(v.gstate, VRRP_STATE_INIT);	/* on its way */
	me.state = VRRP_STATE_MASTER;
	p[1].m.state = VRRP_STATE_MASTER;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK_EQ_INT(v.gstate, VRRP_STATE_MASTER);
	/* A member's own fault is the group's; one forced into FAULT by the
	 * group is not a cause. */
	p[1].m.state = VRRP_STATE_FAULT;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(!v.fault);
	CHECK_EQ_INT(v.gstate, VRRP_STATE_FAULT);
	p[1].m.fault = true;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(v.fault && !v.can_master);
	CHECK_EQ_STR(v.why, "sync group member VI_3 is in FAULT");
	/* Missing (crashed) is a fault; unknown yet is unsettled. */
	p[1] = peer("VI_3", VRRP_STATE_BACKUP, true, false);
	p[1].missing = true;
	p[1].nconn = 0;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(v.fault);
	CHECK_EQ_STR(v.why, "sync group member VI_3 is missing");
	p[1] = peer("VI_3", VRRP_STATE_BACKUP, true, false);
	p[1].known = false;
	vrrp_group_eval(&me, p, 2, &v);
	CHECK(!v.settled && !v.can_master && !v.fault);
}

TEST(vrrp_user_lookup_reads_passwd_lines_strictly)
{
	char path[] = "/tmp/vrrpd-unit-passwd-XXXXXX";
	int fd = mkstemp(path);
	uint32_t u = 1, g = 1;
	FILE *f = fdopen(fd, "w");

	fputs("root:x:0:0:root:/root:/bin/sh\nhakit:x:999:998::/:/bin/false\n"
	      "broken:x:abc:1::/:/bin/false\nshort:x:5\nhakit_script:x:64999:64998::/:/x\n", f);
	fclose(f);
	CHECK_EQ_INT(vrrp_user_lookup(path, "hakit_script", &u, &g), 0);
	CHECK_EQ_INT(u, 64999);
	CHECK_EQ_INT(g, 64998);
	CHECK_EQ_INT(vrrp_user_lookup(path, "hakit", &u, &g), 0);
	CHECK_EQ_INT(u, 999);
	CHECK_EQ_INT(vrrp_user_lookup(path, "hak", &u, &g), -1);
	CHECK_EQ_INT(vrrp_user_lookup(path, "broken", &u, &g), -1);
	CHECK_EQ_INT(vrrp_user_lookup(path, "short", &u, &g), -1);
	CHECK(vrrp_user_name_ok("hakit_script"));
	CHECK(!vrrp_user_name_ok("-x"));
	CHECK(!vrrp_user_name_ok("a b"));
	CHECK(!vrrp_user_name_ok(""));
	unlink(path);
}

TEST(vrrp_path_safe_names_the_component_others_may_write)
{
	char dir[] = "/tmp/vrrpd-unit-safe-XXXXXX", sub[64], file[80];
	struct hk_err e;
	FILE *f;

	if (geteuid() != 0)
		return;	/* ownership by root is the point */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/d", dir);
	snprintf(file, sizeof(file), "%s/s", sub);
	CHECK_EQ_INT(mkdir(sub, 0755), 0);
	f = fopen(file, "w");
	fclose(f);
	chmod(file, 0755);
	CHECK_EQ_INT(vrrp_path_safe("--notify", file, &e), 0);
	chmod(sub, 0777);
	CHECK_EQ_INT(vrrp_path_safe("--notify", file, &e), -1);
	CHECK(strstr(e.msg, "everyone may write") != NULL);
	chmod(sub, 01777);	/* sticky, as /tmp */
	CHECK_EQ_INT(vrrp_path_safe("--notify", file, &e), 0);
	chmod(sub, 0755);
	chmod(file, 0757);
	CHECK_EQ_INT(vrrp_path_safe("--notify", file, &e), -1);
	CHECK_EQ_INT(vrrp_path_safe("--notify", "relative/x", &e), -1);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
}

TEST(vrrp_accept_script_drops_the_vips_and_lets_neighbour_discovery_through)
{
	struct vrrp_conf c;
	struct hk_err e;
	char *s;

	vrrp_conf_init(&c);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.1/24", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "192.0.2.2", &e), 0);
	CHECK_EQ_INT(vrrp_conf_set(&c, "vip", "2001:db8::1/64", &e), 0);
	c.family = AF_INET;
	c.base_ifindex = 3;
	c.vrid = 51;
	s = vrrp_accept_script(&c);
	CHECK(s != NULL);
	CHECK_EQ_STR(s, "table inet hakit_vrrp4_3_51\ndelete table inet hakit_vrrp4_3_51\n"
			"table inet hakit_vrrp4_3_51 {\n\tchain input {\n"
			"\t\ttype filter hook input priority -10; policy accept;\n"
			"\t\tip daddr { 192.0.2.1, 192.0.2.2 } drop\n"
			"\t\tip6 daddr { 2001:db8::1 } icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept\n"
			"\t\tip6 daddr { 2001:db8::1 } drop\n\t}\n}\n");
	free(s);
	vrrp_conf_free(&c);
}
