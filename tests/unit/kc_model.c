/* kaconf: keepalived's defaults and start-up rules, whom scripts run as,
 * and the initial state of virtual servers. */
#include "t.h"
#include "../../kaconf/kc.h"

#include <stdlib.h>

struct run {
	struct kc_ctx c;
	char *diag;
	size_t dlen;
	struct kc_conf conf;
};

/* The users and groups of the host the tests pretend to be on (root, and
 * those on_host() adds), not the machine's. */
static const char *users[4] = { "root" }, *groups[4] = { "root" };

static bool listed(const char **list, const char *name)
{
	for (int i = 0; i < 4 && list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static bool fake_user(const char *name)
{
	return listed(users, name);
}

static bool fake_group(const char *name)
{
	return listed(groups, name);
}

static void build(struct run *r, const char *text)
{
	struct kc_stmt *top;

	memset(r, 0, sizeof(*r));
	r->c.diag = open_memstream(&r->diag, &r->dlen);
	r->c.user_exists = fake_user;
	r->c.group_exists = fake_group;
	top = kc_read_buf(&r->c, "t.conf", text, strlen(text));
	kc_conf_build(&r->c, top, &r->conf);
	fflush(r->c.diag);
	users[1] = users[2] = NULL;
}

/* build() on a host where the users u0 and u1 (either may be NULL) exist. */
static void on_host(struct run *r, const char *u0, const char *u1, const char *text)
{
	users[1] = u0;
	users[2] = u0 ? u1 : NULL;
	build(r, text);
}

static void done(struct run *r)
{
	fclose(r->c.diag);
	free(r->diag);
	kc_arena_free(&r->c.arena);
}

#define INST(body) "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n" \
		   " virtual_ipaddress { 192.0.2.10/24 }\n" body "}\n"

TEST(kc_instance_defaults_are_keepalived_s)
{
	struct run r;
	struct kc_inst *in;

	build(&r, INST(""));
	in = r.conf.insts;
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(in->priority, 100);
	CHECK_EQ_INT(in->state, KC_STATE_BACKUP);
	CHECK_EQ_INT(in->advert_us, 1000000);
	CHECK_EQ_INT(in->version, 2);
	CHECK_EQ_INT(in->accept, 1);
	CHECK_EQ_INT(in->garp_delay, 5);
	CHECK_EQ_INT(in->garp_repeat, 5);
	CHECK_EQ_INT(in->vips->pfx.plen, 24);
	done(&r);
}

TEST(kc_state_master_without_priority_is_the_owner)
{
	struct run r;

	build(&r, INST(" state MASTER\n"));
	CHECK_EQ_INT(r.conf.insts->priority, 255);
	done(&r);
	build(&r, INST(" priority 255\n"));
	CHECK_EQ_INT(r.conf.insts->state, KC_STATE_MASTER);
	done(&r);
}

TEST(kc_nopreempt_needs_state_backup)
{
	struct run r;

	build(&r, INST(" state MASTER\n priority 150\n nopreempt\n preempt_delay 5\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(!r.conf.insts->nopreempt);
	CHECK_EQ_INT(r.conf.insts->preempt_delay_us, 0);
	CHECK(strstr(r.diag, "nopreempt needs state BACKUP") != NULL);
	done(&r);
	build(&r, INST(" state BACKUP\n priority 150\n nopreempt\n"));
	CHECK(r.conf.insts->nopreempt);
	CHECK_EQ_INT(r.c.warnings, 0);
	done(&r);
}

TEST(kc_vrrp_strict_applies_keepalived_s_rules)
{
	struct run r;

	build(&r, "global_defs { vrrp_strict }\n"
		  INST(" state MASTER\n priority 100\n preempt_delay 3\n"
		       " authentication { auth_type PASS\n auth_pass x }\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.conf.insts->state, KC_STATE_BACKUP);
	CHECK(!r.conf.insts->has_auth);
	CHECK_EQ_INT(r.conf.insts->preempt_delay_us, 0);
	CHECK_EQ_INT(r.conf.insts->accept, 0);
	CHECK(r.conf.insts->strict);
	done(&r);
	build(&r, "global_defs { vrrp_strict }\n" INST(" unicast_peer { 192.0.2.2 }\n"));
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "vrrp_strict forbids unicast peers") != NULL);
	done(&r);
}

TEST(kc_v2_advert_int_fractions_are_rounded_with_a_warning)
{
	struct run r;

	build(&r, INST(" advert_int 1.6\n"));
	CHECK_EQ_INT(r.conf.insts->advert_us, 2000000);
	CHECK(strstr(r.diag, "t.conf:5:13: warning: advert_int: VRRPv2 counts whole seconds") != NULL);
	done(&r);
	build(&r, INST(" advert_int 0.25\n version 3\n"));
	CHECK_EQ_INT(r.c.warnings, 0);
	CHECK_EQ_INT(r.conf.insts->advert_us, 250000);
	done(&r);
	build(&r, INST(" advert_int 0.255\n version 3\n"));
	CHECK_EQ_INT(r.c.errors, 1);
	done(&r);
}

TEST(kc_out_of_range_values_are_errors_naming_the_value)
{
	struct run r;

	build(&r, INST(" priority 300\n"));
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:5:11: error: priority: '300' is out of range 1-255") != NULL);
	done(&r);
	build(&r, INST(" state master\n"));
	CHECK(strstr(r.diag, "state: 'master' is not MASTER or BACKUP") != NULL);
	done(&r);
}

TEST(kc_typo_keywords_are_reported_with_a_guess)
{
	struct run r;

	build(&r, INST(" unicast src_ip 10.1.1.2\n priorty 90\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.c.warnings, 2);
	CHECK(strstr(r.diag, "t.conf:5:2: warning: unknown keyword 'unicast' in "
		      "vrrp_instance VI_1; the line is ignored (did you mean "
		      "'unicast_src_ip'?)") != NULL);
	CHECK(strstr(r.diag, "(did you mean 'priority'?)") != NULL);
	CHECK(!r.conf.insts->usrc.family);
	done(&r);
}

TEST(kc_unquoted_notify_words_are_what_keepalived_makes_of_them)
{
	struct run r;

	/* a script that exists: one that does not is left out */
	build(&r, INST(" notify_master /bin/sh master\n notify_backup \"/bin/sh backup\"\n"));
	CHECK_EQ_INT(r.conf.insts->notify_master->n, 1);
	CHECK(strstr(r.diag, "keepalived takes 'master' as the user") != NULL);
	CHECK_EQ_INT(r.conf.insts->notify_backup->n, 2);
	CHECK_EQ_STR(r.conf.insts->notify_backup->w[1], "backup");
	done(&r);
}

TEST(kc_notify_scripts_that_cannot_run_here_are_left_out)
{
	struct run r;

	build(&r, INST(" notify_master /nonexistent/n.sh master\n notify_backup /bin/sh\n"
		       " notify hakit-no-such-notify-script\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(r.conf.insts->notify_master == NULL);
	CHECK(r.conf.insts->notify == NULL);
	CHECK(r.conf.insts->notify_backup != NULL);
	CHECK(strstr(r.diag, "warning: notify_master: '/nonexistent/n.sh' cannot be run "
		      "here (No such file or directory): left out, as keepalived "
		      "disables it") != NULL);
	CHECK(strstr(r.diag, "notify: 'hakit-no-such-notify-script' cannot be run here") != NULL);
	done(&r);
}

TEST(kc_track_weights_resolve_as_keepalived)
{
	struct run r;
	struct kc_track *t;

	build(&r, "vrrp_script chk { script /x\n weight -10\n fall 3\n rise 2 }\n"
		  "vrrp_script chk2 { script /y }\n"
		  "track_file tf { file /tmp/f }\n"
		  INST(" track_script { chk\n chk2 weight 5 reverse }\n"
		       " track_file { tf }\n track_interface { eth1 weight -20 }\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	t = r.conf.insts->tracks;
	CHECK_EQ_INT(t->weight, -10);
	CHECK_EQ_INT(t->next->weight, -5);
	CHECK_EQ_INT(t->next->next->weight, 1);	/* track_file's default */
	CHECK_EQ_INT(t->next->next->next->weight, -20);
	done(&r);
	build(&r, INST(" track_script { nosuch }\n"));
	CHECK(strstr(r.diag, "t.conf:5:17: error: track_script: there is no vrrp_script 'nosuch'") != NULL);
	done(&r);
}

TEST(kc_a_track_given_twice_counts_once_the_first_as_keepalived)
{
	struct run r;
	const struct kc_track *t;

	build(&r, "vrrp_script s { script /x\n weight -10 }\n"
		  "track_file f { file /run/f\n weight -10 }\n"
		  INST(" track_file { f\n f weight 5 }\n"
		       " track_script { s\n s weight 3 }\n"
		       " track_interface { eth0\n eth0 weight 4 }\n"
		       " track_file { f }\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	t = r.conf.insts->tracks;
	CHECK_EQ_STR(t->name, "f");
	CHECK_EQ_INT(t->weight, -10);
	CHECK_EQ_STR((t = t->next)->name, "s");
	CHECK_EQ_INT(t->weight, -10);
	CHECK_EQ_STR((t = t->next)->name, "eth0");
	CHECK_EQ_INT(t->weight, 0);
	CHECK(t->next == NULL);
	CHECK(strstr(r.diag, "t.conf:10:2: warning: track_file: VI_1 already tracks 'f'; "
		     "this one is ignored, as keepalived ignores it\n") != NULL);
	CHECK(strstr(r.diag, "t.conf:12:2: warning: track_script: VI_1 already tracks 's'") != NULL);
	CHECK(strstr(r.diag, "t.conf:14:2: warning: track_interface: VI_1 already tracks 'eth0'") != NULL);
	CHECK(strstr(r.diag, "t.conf:15:15: warning: track_file: VI_1 already tracks 'f'") != NULL);
	done(&r);
}

/* The second member of the sync group G, after VI_1 (INST). */
#define VI_2_IN_G "vrrp_instance VI_2 { interface eth1\n virtual_router_id 8\n" \
		  " virtual_ipaddress { 198.51.100.1 } }\n"

/* keepalived 2.2.7 without sync_group_tracking_weight: an interface's
 * weight and a track_file's weight of 1 become 0 (failure = FAULT); a
 * script or file of any other weight is dropped, as keepalived drops it. */
TEST(kc_sync_group_members_track_with_weight_zero_or_not_at_all)
{
	struct run r;
	const struct kc_track *t;

	build(&r, "vrrp_script chk { script /x\n weight -10 }\n"
		  "vrrp_script ok { script /y }\n"
		  "track_file f1 { file /run/f1 }\n"
		  "track_file f10 { file /run/f10\n weight -10 }\n"
		  "track_file f0 { file /run/f0\n weight -10 }\n"
		  "vrrp_sync_group G { group { VI_1\n VI_2 } }\n"
		  INST(" track_script { chk\n ok\n ok2 weight 0 }\n"
		       " track_file { f1\n f10\n f0 weight 0 }\n"
		       " track_interface { eth2 weight -5 }\n")
		  "vrrp_script ok2 { script /z\n weight 20 }\n"
		  VI_2_IN_G);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(r.conf.insts->group, "G");
	t = r.conf.insts->tracks;
	CHECK_EQ_STR(t->name, "ok");
	CHECK_EQ_INT(t->weight, 0);
	CHECK_EQ_STR((t = t->next)->name, "ok2");
	CHECK_EQ_INT(t->weight, 0);
	CHECK_EQ_STR((t = t->next)->name, "f1");
	CHECK_EQ_INT(t->weight, 0);
	CHECK_EQ_STR((t = t->next)->name, "f0");
	CHECK_EQ_INT(t->weight, 0);
	CHECK_EQ_STR((t = t->next)->name, "eth2");
	CHECK_EQ_INT(t->weight, 0);
	CHECK(t->next == NULL);
	CHECK(strstr(r.diag, "t.conf:15:17: warning: 'chk' of VI_1 in sync group G has weight "
		     "-10: keepalived ignores it, failures and all, unless the group has "
		     "sync_group_tracking_weight; so does hakit (weight 0 would make a "
		     "failure move the group)\n") != NULL);
	CHECK(strstr(r.diag, "t.conf:18:15: warning: 'f1' of VI_1 in sync group G: keepalived "
		     "forces weight 0 (failure = FAULT)") != NULL);
	CHECK(strstr(r.diag, "'f10' of VI_1 in sync group G has weight -10: keepalived "
		     "ignores it") != NULL);
	CHECK(strstr(r.diag, "'eth2' of VI_1 in sync group G: keepalived forces weight 0") != NULL);
	done(&r);
}

/* keepalived tests a track_file's weight as written, before "reverse":
 * "weight 1 reverse" is its default 1 and becomes 0 like it; a written
 * "weight -1" is another weight and is dropped. */
TEST(kc_sync_group_track_file_weight_1_reverse_is_weight_1)
{
	struct run r;
	const struct kc_track *t;

	build(&r, "track_file fr { file /run/fr\n weight 1 reverse }\n"
		  "track_file fm { file /run/fm }\n"
		  "track_file fn { file /run/fn }\n"
		  "vrrp_sync_group G { group { VI_1\n VI_2 } }\n"
		  INST(" track_file { fr\n fm weight 1 reverse\n fn weight -1 }\n")
		  VI_2_IN_G);
	CHECK_EQ_INT(r.c.errors, 0);
	t = r.conf.insts->tracks;
	CHECK_EQ_STR(t->name, "fr");
	CHECK_EQ_INT(t->weight, 0);
	CHECK_EQ_STR((t = t->next)->name, "fm");
	CHECK_EQ_INT(t->weight, 0);
	CHECK(t->next == NULL);
	CHECK(strstr(r.diag, "'fr' of VI_1 in sync group G: keepalived forces weight 0") != NULL);
	CHECK(strstr(r.diag, "'fm' of VI_1 in sync group G: keepalived forces weight 0") != NULL);
	CHECK(strstr(r.diag, "'fn' of VI_1 in sync group G has weight -1: keepalived "
		     "ignores it") != NULL);
	done(&r);
}

/* Outside a group "reverse" negates the weight. */
TEST(kc_track_file_weight_reverse_negates_outside_a_group)
{
	struct run r;

	build(&r, "track_file fr { file /run/fr\n weight 7 reverse }\n"
		  INST(" track_file { fr }\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.conf.insts->tracks->weight, -7);
	done(&r);
}

TEST(kc_sync_group_tracking_weight_keeps_the_members_weights)
{
	struct run r;

	build(&r, "vrrp_script chk { script /x\n weight -10 }\n"
		  "vrrp_sync_group G { group { VI_1\n VI_2 }\n sync_group_tracking_weight }\n"
		  INST(" track_script { chk }\n") VI_2_IN_G);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.conf.insts->tracks->weight, -10);
	CHECK(strstr(r.diag, "sync group") == NULL);
	done(&r);
}

TEST(kc_ipv6_instances_are_version_3_and_families_do_not_mix)
{
	struct run r;

	build(&r, "vrrp_instance V6 { interface eth0\n virtual_router_id 9\n"
		  " virtual_ipaddress { 2001:db8::10/64 } }\n");
	CHECK_EQ_INT(r.conf.insts->version, 3);
	CHECK_EQ_INT(r.conf.insts->family, AF_INET6);
	done(&r);
	build(&r, "vrrp_instance V { interface eth0\n virtual_router_id 9\n"
		  " virtual_ipaddress { 192.0.2.1\n 2001:db8::10 } }\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "mixes IPv4 and IPv6") != NULL);
	done(&r);
}

#define VS(body) "virtual_server 192.0.2.1 80 {\n lb_kind DR\n" body "}\n"
#define RS(addr, body) " real_server " addr " 80 {\n" body " }\n"

static struct kc_rs *rs_n(struct kc_vs *vs, int n)
{
	struct kc_rs *rs = vs->rs;

	while (rs && n--)
		rs = rs->next;
	return rs;
}

TEST(kc_virtual_server_defaults_are_keepalived_s)
{
	struct run r;
	struct kc_vs *vs;

	build(&r, "virtual_server 192.0.2.1 80 {\n" RS("198.51.100.1", "") "}\n");
	vs = r.conf.vss;
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(vs->sched, "wlc");
	CHECK_EQ_INT(vs->fwd, KC_FWD_NAT);
	CHECK_EQ_STR(vs->proto, "tcp");
	CHECK_EQ_INT(vs->quorum, 1);
	CHECK_EQ_INT(vs->hysteresis, 0);
	CHECK_EQ_INT(vs->rs->weight, 1);
	CHECK_EQ_INT(vs->rs->port, 80);
	done(&r);
	build(&r, VS(" persistence_timeout\n"));
	CHECK_EQ_INT(r.conf.vss->persistence, 360);
	done(&r);
}

TEST(kc_alpha_servers_start_down_and_the_sorry_server_stands_in)
{
	struct run r;
	struct kc_vs *vs;

	build(&r, VS(" sorry_server 203.0.113.9 80\n"
		     RS("198.51.100.1", "  weight 2\n  TCP_CHECK { alpha }\n")
		     RS("198.51.100.2", "  weight 1\n  TCP_CHECK { }\n")));
	CHECK_EQ_INT(r.c.errors, 0);
	vs = r.conf.vss;
	kc_plan_initial(&r.conf, NULL);
	CHECK(!rs_n(vs, 0)->alive);
	CHECK(rs_n(vs, 1)->alive);
	CHECK(vs->quorum_up_now);	/* weight 1 >= quorum 1 */
	CHECK(!vs->sorry_in);
	done(&r);
	build(&r, VS(" alpha\n sorry_server 203.0.113.9 80\n"
		     RS("198.51.100.1", "  TCP_CHECK { }\n")));
	kc_plan_initial(&r.conf, NULL);
	CHECK(!r.conf.vss->rs->alive);
	CHECK(!r.conf.vss->quorum_up_now);
	CHECK(r.conf.vss->sorry_in);
	done(&r);
}

TEST(kc_hysteresis_needs_quorum_plus_hysteresis_to_start_up)
{
	struct run r;

	build(&r, VS(" quorum 3\n hysteresis 1\n"
		     RS("198.51.100.1", "  weight 3\n")));
	kc_plan_initial(&r.conf, NULL);
	CHECK(!r.conf.vss->quorum_up_now);	/* 3 < 3 + 1 */
	done(&r);
}

TEST(kc_carried_state_keeps_health_and_quorum_across_a_reload)
{
	struct run r;
	struct kc_carry carry = { 0 };
	struct kc_carry_rs cr = { .key = "tcp 192.0.2.1:80 198.51.100.1:80", .up = false };
	struct kc_carry_vs cv = { .key = "tcp 192.0.2.1:80", .up = true };

	build(&r, VS(" quorum 3\n hysteresis 1\n"
		     RS("198.51.100.1", "  weight 2\n") RS("198.51.100.2", "  weight 2\n")));
	carry.rs = &cr;
	carry.vs = &cv;
	kc_plan_initial(&r.conf, &carry);
	CHECK(!rs_n(r.conf.vss, 0)->alive);
	CHECK(rs_n(r.conf.vss, 1)->alive);
	/* up, weight 2 is not below 3 - 1: quorum holds */
	CHECK(r.conf.vss->quorum_up_now);
	done(&r);
}

TEST(kc_checker_errors_name_their_place)
{
	struct run r;

	build(&r, VS(RS("198.51.100.1", "  HTTP_GET { connect_timeout 1 }\n"
				"  TCP_CHECK { connect_port 70000 }\n"
				"  HTTP_GET { url { path /x\n digest xyz } }\n")));
	CHECK_EQ_INT(r.c.errors, 3);
	CHECK(strstr(r.diag, "t.conf:4:3: error: HTTP_GET without a url") != NULL);
	CHECK(strstr(r.diag, "t.conf:5:28: error: connect_port: '70000' is out of range 1-65535") != NULL);
	CHECK(strstr(r.diag, "t.conf:7:9: error: digest: 'xyz' is not an MD5 digest") != NULL);
	done(&r);
}

/* ---- whom scripts run as, hooks ---- */

#define CHECKED "vrrp_script chk {\n script \"/x/chk.sh arg\"\n}\n" \
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n" \
		" virtual_ipaddress { 192.0.2.10/24 }\n track_script { chk }\n}\n"

TEST(kc_no_script_user_means_keepalived_script_if_it_exists)
{
	struct run r;

	on_host(&r, "keepalived_script", "hakit_script", CHECKED);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.c.warnings, 0);
	CHECK_EQ_STR(r.conf.script_user, "keepalived_script");
	CHECK(!r.conf.allow_root_scripts);
	CHECK(strstr(r.diag, "t.conf:2:9: note: no script_user: '/x/chk.sh' and the other "
		      "scripts run as keepalived_script, as keepalived runs them") != NULL);
	done(&r);
}

TEST(kc_no_script_user_and_only_hakit_script_runs_them_as_hakit_script_with_a_warning)
{
	struct run r;

	on_host(&r, "hakit_script", NULL, CHECKED);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(r.conf.script_user, "hakit_script");
	CHECK(strstr(r.diag, "t.conf:2:9: warning: no script_user and no user "
		      "keepalived_script here: keepalived would run '/x/chk.sh' and the "
		      "other scripts as root; they run as hakit_script") != NULL);
	done(&r);
}

TEST(kc_no_script_user_and_no_default_user_is_root_with_a_warning_at_the_first_script)
{
	struct run r;

	on_host(&r, NULL, NULL, CHECKED);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.c.warnings, 1);
	CHECK(r.conf.script_user == NULL);
	CHECK(r.conf.allow_root_scripts);
	CHECK(strstr(r.diag, ": t.conf:2:9: warning: no script_user and no user "
		      "keepalived_script here: '/x/chk.sh' and the other scripts run as "
		      "root, as keepalived runs them (vrrpd is told allow-root-scripts); "
		      "set script_user, or create the user keepalived_script\n") != NULL);
	done(&r);
}

TEST(kc_enable_script_security_without_a_user_is_an_error_as_keepalived_runs_nothing)
{
	struct run r;

	on_host(&r, NULL, NULL, "global_defs {\n enable_script_security\n}\n" CHECKED);
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(!r.conf.allow_root_scripts);
	CHECK(strstr(r.diag, "t.conf:5:9: error: enable_script_security without "
		      "script_user: keepalived runs scripts as keepalived_script, which "
		      "does not exist here, so it disables every script ('/x/chk.sh' and "
		      "the others)") != NULL);
	done(&r);
	/* the default user, when it exists, is enough */
	on_host(&r, "keepalived_script", NULL, "global_defs {\n enable_script_security\n}\n" CHECKED);
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(r.conf.script_user, "keepalived_script");
	done(&r);
}

TEST(kc_a_script_user_that_does_not_exist_is_an_error_only_when_scripts_run)
{
	struct run r;

	on_host(&r, NULL, NULL, "global_defs {\n script_user nobody2\n}\n" CHECKED);
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:2:14: error: script_user: there is no user 'nobody2' "
		      "here; keepalived would run no script ('/x/chk.sh' and the others), "
		      "and vrrpd would not start") != NULL);
	done(&r);
	on_host(&r, "svc", NULL, "global_defs {\n script_user svc nogroup2\n}\n" CHECKED);
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:2:14: error: script_user: there is no group 'nogroup2'") != NULL);
	done(&r);
	/* nothing runs: nothing is wrong yet */
	on_host(&r, NULL, NULL, "global_defs {\n script_user nobody2\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n"
		" virtual_ipaddress { 192.0.2.10/24 }\n}\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(strstr(r.diag, "t.conf:2:14: warning: script_user: there is no user 'nobody2' "
		      "here (no script runs, so nothing uses it)") != NULL);
	done(&r);
	/* one that exists is taken as it is */
	on_host(&r, "svc", NULL, "global_defs {\n script_user svc\n}\n" CHECKED);
	CHECK_EQ_INT(r.c.errors + r.c.warnings + r.c.notes, 0);
	CHECK_EQ_STR(r.conf.script_user, "svc");
	done(&r);
}

TEST(kc_without_scripts_no_user_is_chosen_and_nothing_is_said)
{
	struct run r;

	/* an untracked vrrp_script never runs */
	on_host(&r, NULL, NULL, "vrrp_script chk {\n script /x/chk.sh\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n"
		" virtual_ipaddress { 192.0.2.10/24 }\n}\n");
	CHECK_EQ_INT(r.c.errors + r.c.warnings + r.c.notes, 0);
	CHECK(r.conf.script_user == NULL);
	CHECK(!r.conf.allow_root_scripts);
	done(&r);
}

TEST(kc_notify_and_quorum_scripts_and_misc_checks_count_as_scripts)
{
	struct run r;

	on_host(&r, NULL, NULL, "virtual_server 192.0.2.1 80 {\n real_server 198.51.100.1 80 {\n"
		"  MISC_CHECK {\n   misc_path \"/bin/sh -c true\"\n  }\n }\n}\n");
	CHECK(r.conf.allow_root_scripts);
	CHECK(strstr(r.diag, "t.conf:4:14: warning: no script_user") != NULL);
	done(&r);
	on_host(&r, NULL, NULL, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n"
		" virtual_ipaddress { 192.0.2.10/24 }\n notify_fault /bin/sh\n}\n");
	CHECK(r.conf.allow_root_scripts);
	CHECK(strstr(r.diag, "t.conf:5:15: warning: no script_user") != NULL);
	done(&r);
}

#define GROUP(hooks) "vrrp_sync_group VG_1 {\n group {\n  VI_1\n  VI_2\n }\n" hooks "}\n" \
		     "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n" \
		     " virtual_ipaddress { 192.0.2.10/24 }\n}\n" \
		     "vrrp_instance VI_2 {\n interface eth1\n virtual_router_id 8\n" \
		     " virtual_ipaddress { 198.51.100.10/24 }\n}\n"

TEST(kc_a_sync_group_notify_is_the_group_hook_and_per_state_ones_are_warned_about)
{
	struct run r;

	on_host(&r, NULL, NULL, GROUP(" notify \"/bin/sh /x/g.sh vg\"\n notify_master /bin/sh\n"
				      " notify_stop /bin/sh\n"));
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(r.conf.groups->notify != NULL);
	CHECK_EQ_INT(r.conf.groups->notify->n, 3);
	CHECK_EQ_STR(r.conf.groups->notify->w[2], "vg");
	CHECK(strstr(r.diag, "t.conf:7:2: warning: 'notify_master' of a sync group: vrrpd has "
		      "only the generic group hook ('notify', run as HOOK GROUP NAME STATE 0); "
		      "use it and switch on STATE; ignored") != NULL);
	CHECK(strstr(r.diag, "t.conf:8:2: warning: 'notify_stop' of a sync group") != NULL);
	/* it is a script like the others */
	CHECK(strstr(r.diag, "t.conf:6:9: warning: no script_user") != NULL);
	done(&r);
	/* one that cannot run here is left out, as keepalived disables it */
	on_host(&r, NULL, NULL, GROUP(" notify /nonexistent/g.sh\n"));
	CHECK(r.conf.groups->notify == NULL);
	CHECK(strstr(r.diag, "t.conf:6:9: warning: notify: '/nonexistent/g.sh' cannot be run here") != NULL);
	done(&r);
	/* a word vrrpd's configuration cannot carry */
	on_host(&r, NULL, NULL, GROUP(" notify \"/bin/sh 'a\\\"b'\"\n"));
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:6:9: error: notify: a word of this command") != NULL);
	done(&r);
}

TEST(kc_an_instance_notify_keeps_its_own_arguments)
{
	struct run r;

	on_host(&r, NULL, NULL, "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n"
		" virtual_ipaddress { 192.0.2.10/24 }\n notify \"/bin/sh /x/n.sh VI_1\"\n}\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.conf.insts->notify->n, 3);
	done(&r);
}

TEST(kc_a_weightless_track_file_note_says_a_missing_file_is_healthy)
{
	struct run r;

	on_host(&r, NULL, NULL, "track_file tf {\n file /run/x.txt\n weight 0\n}\n"
		"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 7\n"
		" virtual_ipaddress { 192.0.2.10/24 }\n track_file { tf }\n}\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(strstr(r.diag, "t.conf:9:15: note: track_file tf with weight 0: a non-zero "
		      "number in /run/x.txt means FAULT; a missing or empty file counts as 0 "
		      "(healthy), as in keepalived\n") != NULL);
	done(&r);
}
