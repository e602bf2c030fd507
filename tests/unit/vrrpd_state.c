/* vrrpd/state.c: the state machine, driven by hand. */
#include "t.h"
#include "../../vrrpd/state.h"

#include <arpa/inet.h>
#include <stdarg.h>

#define MS 1000ull
#define S 1000000ull

static struct hk_addr A(const char *s)
{
	struct hk_addr a = { .family = AF_INET };

	inet_pton(AF_INET, s, &a.v4);
	return a;
}

static struct vrrp_sm_conf conf(uint8_t version, uint8_t prio, uint64_t adv)
{
	return (struct vrrp_sm_conf){ .version = version, .priority = prio, .adver_int_us = adv,
				      .preempt = true, .garp_delay_us = 5 * S };
}

static struct vrrp_adv adv(const char *src, uint8_t prio, uint32_t interval_cs)
{
	return (struct vrrp_adv){ .src = A(src), .priority = prio, .interval_cs = interval_cs,
				  .version = 3 };
}

/* Does out hold exactly these actions, in this order? */
static int acts(const struct vrrp_out *out, int n, ...)
{
	va_list ap;
	int ok = out->n == n;

	va_start(ap, n);
	for (int i = 0; i < n && ok; i++)
		ok = (int)out->act[i] == va_arg(ap, int);
	va_end(ap);
	return ok;
}

static void start_backup(struct vrrp_sm *sm, struct vrrp_sm_conf c, const char *self)
{
	struct vrrp_out out;

	vrrp_sm_init(sm, &c);
	sm->self = A(self);
	vrrp_sm_start(sm, 1000 * S, true, NULL, &out);
}

TEST(vrrp_sm_timers_follow_the_rfc_formulas)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(2, 100, S);

	vrrp_sm_init(&sm, &c);
	CHECK_EQ_INT(vrrp_sm_skew_us(&sm), 609375);		/* 156/256 s */
	CHECK_EQ_INT(vrrp_sm_down_interval_us(&sm), 3609375);
	c = conf(3, 100, 100 * MS);
	vrrp_sm_init(&sm, &c);
	CHECK_EQ_INT(vrrp_sm_skew_us(&sm), 60937);		/* 156 * 0.1 / 256 s */
	CHECK_EQ_INT(vrrp_sm_down_interval_us(&sm), 360937);
	c = conf(3, 254, 10 * MS);
	vrrp_sm_init(&sm, &c);
	CHECK_EQ_INT(vrrp_sm_skew_us(&sm), 78);
}

TEST(vrrp_sm_starts_as_backup_and_takes_over_after_master_down_interval)
{
	struct vrrp_sm sm;
	struct vrrp_out out;

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1000 * S + 360937);
	vrrp_sm_timer(&sm, 1000 * S + 360000, &out);
	CHECK_EQ_INT(out.n, 0);
	vrrp_sm_timer(&sm, 1000 * S + 360937, &out);
	CHECK(acts(&out, 4, VRRP_ACT_VIPS_ADD, VRRP_ACT_ADVERT, VRRP_ACT_GARP, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(out.from, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(out.to, VRRP_STATE_MASTER);
	CHECK_EQ_INT(sm.became_master, 1);
	CHECK(strstr(sm.reason, "no advert") != NULL);
}

TEST(vrrp_sm_owner_starts_as_master_at_once)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(2, 255, S);
	struct vrrp_out out;

	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, 5 * S, true, NULL, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
	CHECK(acts(&out, 4, VRRP_ACT_VIPS_ADD, VRRP_ACT_ADVERT, VRRP_ACT_GARP, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(vrrp_sm_next(&sm), 6 * S);
}

TEST(vrrp_sm_starts_in_fault_without_a_usable_link)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(2, 255, S);
	struct vrrp_out out;

	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, 5 * S, false, NULL, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_FAULT);
	CHECK(acts(&out, 1, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(vrrp_sm_next(&sm), 0);
	vrrp_sm_link(&sm, 6 * S, true, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);	/* the owner */
}

TEST(vrrp_sm_state_master_hint_waits_one_interval)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 100, 100 * MS);

	c.start_master = true;
	start_backup(&sm, c, "192.0.2.1");
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1000 * S + 100 * MS + 60937);
}

TEST(vrrp_sm_master_sends_adverts_and_garp_bursts_on_time)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 255, 100 * MS);
	struct vrrp_out out;

	c.garp_refresh_us = 2 * S;
	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, 0 + S, true, NULL, &out);
	vrrp_sm_timer(&sm, S + 100 * MS, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));
	CHECK_EQ_INT(vrrp_sm_next(&sm), S + 200 * MS);
	/* Woken late by more than an interval: one advert, then on the grid. */
	vrrp_sm_timer(&sm, S + 450 * MS, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));
	CHECK_EQ_INT(vrrp_sm_next(&sm), S + 500 * MS);
	vrrp_sm_timer(&sm, 3 * S, &out);
	CHECK(acts(&out, 2, VRRP_ACT_ADVERT, VRRP_ACT_GARP_REFRESH));
	vrrp_sm_timer(&sm, 6 * S, &out);
	CHECK(acts(&out, 3, VRRP_ACT_ADVERT, VRRP_ACT_GARP, VRRP_ACT_GARP_REFRESH));
	vrrp_sm_timer(&sm, 7 * S, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));	/* the second burst comes once */
}

TEST(vrrp_sm_adverts_fall_on_multiples_of_the_interval)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 255, 100 * MS);
	struct vrrp_out out;

	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, 7 * S + 37 * MS, true, NULL, &out);
	CHECK(acts(&out, 4, VRRP_ACT_VIPS_ADD, VRRP_ACT_ADVERT, VRRP_ACT_GARP, VRRP_ACT_NOTIFY));
	/* Never more than an interval after the last one. */
	CHECK_EQ_INT(vrrp_sm_next(&sm), 7 * S + 100 * MS);
	vrrp_sm_timer(&sm, 7 * S + 100 * MS + 3, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 7 * S + 200 * MS);
}

TEST(vrrp_sm_backup_resets_its_timer_on_a_better_master)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 200, 10);
	struct vrrp_out out;

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	vrrp_sm_recv(&sm, 1000 * S + 300 * MS, &a, &out);
	CHECK_EQ_INT(out.n, 0);
	/* v3: the master's interval (10 cs) is learned. */
	CHECK_EQ_INT(sm.master_adver_int_us, 100 * MS);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1000 * S + 300 * MS + 360937);
	CHECK(sm.master_known);
	CHECK_EQ_INT(sm.master_prio, 200);
	a.interval_cs = 20;
	vrrp_sm_recv(&sm, 1001 * S, &a, &out);
	CHECK_EQ_INT(sm.master_adver_int_us, 200 * MS);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1001 * S + 600 * MS + 121875);
}

TEST(vrrp_sm_backup_takes_over_after_skew_time_when_the_master_resigns)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 0, 10);
	struct vrrp_out out;

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	vrrp_sm_recv(&sm, 1000 * S + 50 * MS, &a, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1000 * S + 50 * MS + 60937);
	vrrp_sm_timer(&sm, 1000 * S + 50 * MS + 60937, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
	CHECK(strstr(sm.reason, "resigned") != NULL);
}

TEST(vrrp_sm_preempt_ignores_a_lower_master_until_the_timer_runs_out)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 50, 10);
	struct vrrp_out out;

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	uint64_t t0 = vrrp_sm_next(&sm);

	vrrp_sm_recv(&sm, 1000 * S + 100 * MS, &a, &out);
	vrrp_sm_recv(&sm, 1000 * S + 200 * MS, &a, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t0);
	vrrp_sm_timer(&sm, t0, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
}

TEST(vrrp_sm_no_preempt_keeps_a_lower_master)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 100, 100 * MS);
	struct vrrp_adv a = adv("192.0.2.2", 50, 10);
	struct vrrp_out out;

	c.preempt = false;
	start_backup(&sm, c, "192.0.2.1");
	vrrp_sm_recv(&sm, 1000 * S + 300 * MS, &a, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1000 * S + 300 * MS + 360937);
}

TEST(vrrp_sm_preempt_delay_tolerates_a_lower_master_for_a_while)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 100, 100 * MS);
	struct vrrp_adv lo = adv("192.0.2.2", 50, 10), hi = adv("192.0.2.3", 200, 10);
	struct vrrp_out out;
	uint64_t t = 1000 * S;

	c.preempt_delay_us = 2 * S;
	start_backup(&sm, c, "192.0.2.1");
	/* From start-up: tolerated until t + 2 s. */
	vrrp_sm_recv(&sm, t + 1900 * MS, &lo, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t + 1900 * MS + 360937);
	vrrp_sm_recv(&sm, t + 2000 * MS, &lo, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t + 1900 * MS + 360937);
	/* A better master stops the delay; the next lower one starts it
	 * again, from when it is first seen. */
	vrrp_sm_recv(&sm, t + 2100 * MS, &hi, &out);
	CHECK_EQ_INT(sm.preempt_at, 0);
	vrrp_sm_recv(&sm, t + 2200 * MS, &lo, &out);
	CHECK_EQ_INT(sm.preempt_at, t + 4200 * MS);
	vrrp_sm_recv(&sm, t + 4100 * MS, &lo, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t + 4100 * MS + 360937);
	vrrp_sm_recv(&sm, t + 4200 * MS, &lo, &out);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t + 4100 * MS + 360937);
}

static void make_master(struct vrrp_sm *sm, uint8_t prio, const char *self)
{
	struct vrrp_out out;

	start_backup(sm, conf(3, prio, 100 * MS), self);
	vrrp_sm_timer(sm, vrrp_sm_next(sm), &out);
}

TEST(vrrp_sm_master_yields_to_a_higher_priority_removing_addresses_first)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 150, 20);
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_recv(&sm, 1002 * S, &a, &out);
	CHECK(acts(&out, 2, VRRP_ACT_VIPS_DEL, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(sm.master_adver_int_us, 200 * MS);
	CHECK_EQ_INT(sm.released_master, 1);
	CHECK(strstr(sm.reason, "higher priority 150 from 192.0.2.2") != NULL);
}

TEST(vrrp_sm_equal_priority_goes_to_the_higher_address)
{
	struct vrrp_sm sm;
	struct vrrp_adv lower = adv("192.0.2.1", 100, 10), higher = adv("192.0.2.3", 100, 10);
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.2");
	vrrp_sm_recv(&sm, 1002 * S, &lower, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
	CHECK(acts(&out, 2, VRRP_ACT_ADVERT, VRRP_ACT_GARP));
	vrrp_sm_recv(&sm, 1002 * S + 1, &higher, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK(strstr(sm.reason, "equal priority") != NULL);
}

TEST(vrrp_sm_master_answers_a_lower_master_with_garp_at_most_once_a_second)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 50, 10), stop = adv("192.0.2.2", 0, 10);
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_recv(&sm, 1002 * S, &a, &out);
	CHECK(acts(&out, 2, VRRP_ACT_ADVERT, VRRP_ACT_GARP));
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1002 * S + 100 * MS);
	vrrp_sm_recv(&sm, 1002 * S + 500 * MS, &a, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));
	vrrp_sm_recv(&sm, 1003 * S, &a, &out);
	CHECK(acts(&out, 2, VRRP_ACT_ADVERT, VRRP_ACT_GARP));
	vrrp_sm_recv(&sm, 1003 * S + 1, &stop, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
}

TEST(vrrp_sm_link_loss_as_master_removes_addresses_and_faults)
{
	struct vrrp_sm sm;
	struct vrrp_adv a = adv("192.0.2.2", 200, 10);
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_link(&sm, 1003 * S, false, &out);
	/* A priority-0 advert first, as keepalived (the daemon sends
	 * nothing without a carrier). */
	CHECK(acts(&out, 3, VRRP_ACT_ADVERT_STOP, VRRP_ACT_VIPS_DEL, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_FAULT);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 0);
	vrrp_sm_recv(&sm, 1003 * S, &a, &out);	/* ignored in FAULT */
	CHECK_EQ_INT(out.n, 0);
	vrrp_sm_link(&sm, 1004 * S, true, &out);
	CHECK(acts(&out, 1, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1004 * S + 360937);
}

TEST(vrrp_sm_shutdown_resigns_a_master_before_removing_addresses)
{
	struct vrrp_sm sm, b;
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_shutdown(&sm, 1003 * S, &out);
	CHECK(acts(&out, 3, VRRP_ACT_ADVERT_STOP, VRRP_ACT_VIPS_DEL, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(out.to, VRRP_STATE_STOP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 0);
	vrrp_sm_shutdown(&sm, 1003 * S, &out);
	CHECK_EQ_INT(out.n, 0);
	start_backup(&b, conf(2, 100, S), "192.0.2.1");
	vrrp_sm_shutdown(&b, 1003 * S, &out);
	CHECK(acts(&out, 1, VRRP_ACT_NOTIFY));
	CHECK_EQ_STR(vrrp_state_name(b.state), "STOP");
}

TEST(vrrp_sm_priority_change_is_advertised_at_once_by_a_master_and_moves_a_backups_timer)
{
	struct vrrp_sm sm;
	struct vrrp_out out;
	uint64_t due;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_set_priority(&sm, 1010 * S, 90, &out);
	CHECK(acts(&out, 1, VRRP_ACT_ADVERT));
	CHECK_EQ_INT(sm.prio, 90);
	CHECK_EQ_INT(sm.master_prio, 90);
	vrrp_sm_set_priority(&sm, 1010 * S, 90, &out);	/* no change, nothing */
	CHECK_EQ_INT(out.n, 0);

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	due = vrrp_sm_next(&sm);
	/* 156 -> 146 of 256 of 0.1 s: the timer moves 3.9 ms earlier. */
	vrrp_sm_set_priority(&sm, 1000 * S + 10 * MS, 110, &out);
	CHECK_EQ_INT(out.n, 0);
	CHECK_EQ_INT(vrrp_sm_next(&sm), due - (60937 - 57031));
	/* Skew_Time now follows the effective priority. */
	CHECK_EQ_INT(vrrp_sm_skew_us(&sm), 57031);
}

TEST(vrrp_sm_fault_from_master_resigns_and_recovery_starts_a_fresh_backup)
{
	struct vrrp_sm sm;
	struct vrrp_out out;

	make_master(&sm, 100, "192.0.2.1");
	vrrp_sm_set_fault(&sm, 1010 * S, true, "track script x failed", &out);
	CHECK(acts(&out, 3, VRRP_ACT_ADVERT_STOP, VRRP_ACT_VIPS_DEL, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_FAULT);
	CHECK_EQ_STR(sm.reason, "track script x failed");
	vrrp_sm_set_fault(&sm, 1011 * S, true, "again", &out);
	CHECK_EQ_INT(out.n, 0);
	vrrp_sm_set_fault(&sm, 1012 * S, false, "tracking: nothing is down any more", &out);
	CHECK(acts(&out, 1, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), 1012 * S + 360937);
}

TEST(vrrp_sm_start_in_fault_says_why)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 100, 100 * MS);
	struct vrrp_out out;

	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, S, false, "tracked file /x holds 1", &out);
	CHECK(acts(&out, 1, VRRP_ACT_NOTIFY));
	CHECK_EQ_STR(sm.reason, "tracked file /x holds 1");
	vrrp_sm_init(&sm, &c);
	vrrp_sm_start(&sm, S, false, NULL, &out);
	CHECK_EQ_STR(sm.reason, "interface not usable at start-up");
}

TEST(vrrp_sm_in_a_sync_group_waits_for_the_group_before_becoming_master)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 100, 100 * MS);
	struct vrrp_adv a = adv("192.0.2.2", 200, 10);
	struct vrrp_out out;
	uint64_t t;

	vrrp_sm_init(&sm, &c);
	sm.self = A("192.0.2.1");
	sm.sync = true;
	sm.group_ok = false;
	vrrp_sm_start(&sm, 1000 * S, true, NULL, &out);
	t = vrrp_sm_next(&sm);
	vrrp_sm_timer(&sm, t, &out);
	/* Held back: it says it wants to be master, and waits again. */
	CHECK(acts(&out, 1, VRRP_ACT_SYNC));
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK(sm.want_master);
	CHECK_EQ_INT(vrrp_sm_next(&sm), t + 360937);
	vrrp_sm_timer(&sm, t + 360937, &out);
	CHECK_EQ_INT(out.n, 0);		/* already said */
	/* A master it accepts: it no longer wants it. */
	vrrp_sm_recv(&sm, t + 400 * MS, &a, &out);
	CHECK(acts(&out, 1, VRRP_ACT_SYNC));
	CHECK(!sm.want_master);
	/* The group agrees: the next expiry makes it master. */
	sm.group_ok = true;
	vrrp_sm_timer(&sm, vrrp_sm_next(&sm), &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
	CHECK(sm.want_master);
}

TEST(vrrp_sm_follows_its_group_to_master_and_back_without_a_priority_zero_advert)
{
	struct vrrp_sm sm;
	struct vrrp_out out;

	start_backup(&sm, conf(3, 100, 100 * MS), "192.0.2.1");
	sm.sync = true;
	vrrp_sm_group_master(&sm, 1000 * S + 1, "sync group G: VI_2 became master", &out);
	CHECK(acts(&out, 4, VRRP_ACT_VIPS_ADD, VRRP_ACT_ADVERT, VRRP_ACT_GARP, VRRP_ACT_NOTIFY));
	CHECK_EQ_STR(sm.reason, "sync group G: VI_2 became master");
	vrrp_sm_group_master(&sm, 1000 * S + 2, "again", &out);
	CHECK_EQ_INT(out.n, 0);
	vrrp_sm_group_backup(&sm, 1000 * S + 3, "sync group G: VI_2 left MASTER", &out);
	CHECK(acts(&out, 2, VRRP_ACT_VIPS_DEL, VRRP_ACT_NOTIFY));
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK(!sm.want_master);
	CHECK_EQ_INT(sm.released_master, 1);
}

TEST(vrrp_sm_owner_in_a_sync_group_waits_for_the_group_too)
{
	struct vrrp_sm sm;
	struct vrrp_sm_conf c = conf(3, 255, 100 * MS);
	struct vrrp_out out;

	vrrp_sm_init(&sm, &c);
	sm.sync = true;
	vrrp_sm_start(&sm, S, true, NULL, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_BACKUP);
	CHECK_EQ_INT(vrrp_sm_next(&sm), S + 390);	/* Skew_Time at 255 */
	sm.group_ok = true;
	vrrp_sm_timer(&sm, S + 390, &out);
	CHECK_EQ_INT(sm.state, VRRP_STATE_MASTER);
}
