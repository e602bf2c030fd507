/*
 * libFuzzer target: vrrpd's receive path and state machine together.
 * The input is an instance (its first bytes) and then a stream of
 * events: adverts built from fuzzed fields by vrrp_build(), perhaps
 * with one byte changed, then checked by vrrp_parse() against the
 * instance and handed to the state machine as vrrpd hands them; timers
 * run at their deadlines or late; priority changes (tracking), faults,
 * sync-group news, shutdown.
 *
 * After every event it checks what must always hold, and aborts (a
 * crash for libFuzzer) when it does not:
 *   - the virtual addresses are held exactly while the state is MASTER;
 *   - a master has an advert due, a backup a Master_Down_Timer;
 *   - a timer that ran is not due again at once (the daemon would spin)
 *     and no deadline is absurdly far;
 *   - adverts go out only from MASTER; a notification names the state
 *     now and a change of state.
 */
#include "../vrrpd/packet.h"
#include "../vrrpd/state.h"
#include "../vrrpd/track.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct input *in)
{
	uint8_t b;

	if (!in->n)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

static uint16_t word(struct input *in)
{
	return (uint16_t)(byte(in) << 8 | byte(in));
}

struct world {
	struct vrrp_sm sm;
	struct vrrp_expect exp;
	struct hk_addr vips[2], peers[3], group;
	bool held;			/* the addresses are on the interface */
	uint64_t now, bound;		/* bound: how far a deadline may be */
};

static void fail(const struct world *w, const char *what)
{
	fprintf(stderr, "fuzz_vrrp_sm: %s (state %s, now %llu, next %llu)\n", what,
		vrrp_state_name(w->sm.state), (unsigned long long)w->now,
		(unsigned long long)vrrp_sm_next(&w->sm));
	abort();
}

/* Carry out the actions as far as the checks need, then check. */
static void check(struct world *w, const struct vrrp_out *out, bool timer_ran)
{
	uint64_t next = vrrp_sm_next(&w->sm);

	if (out->n < 0 || out->n > VRRP_MAX_ACTIONS)
		fail(w, "action count out of range");
	for (int i = 0; i < out->n; i++) {
		switch (out->act[i]) {
		case VRRP_ACT_VIPS_ADD:
			w->held = true;
			break;
		case VRRP_ACT_VIPS_DEL:
			w->held = false;
			break;
		case VRRP_ACT_ADVERT:
			if (w->sm.state != VRRP_STATE_MASTER)
				fail(w, "an advert with our priority outside MASTER");
			break;
		case VRRP_ACT_NOTIFY:
			if (out->to != w->sm.state || out->from == out->to)
				fail(w, "a notification that is no change of state");
			break;
		default:
			break;
		}
	}
	if (w->held != (w->sm.state == VRRP_STATE_MASTER))
		fail(w, "addresses held outside MASTER or missing in MASTER");
	if (w->sm.state == VRRP_STATE_MASTER && !w->sm.adver_at)
		fail(w, "a master with no advert due");
	if (w->sm.state == VRRP_STATE_BACKUP && !w->sm.down_at)
		fail(w, "a backup with no Master_Down_Timer");
	if (timer_ran && next && next <= w->now)
		fail(w, "a timer due again at once");
	if (next && next > w->now + w->bound)
		fail(w, "a deadline beyond any interval");
}

/* An advert from fuzzed fields, built, maybe damaged, parsed as vrrpd
 * parses what it receives, and handed over if it passed. */
static void advert(struct world *w, struct input *in, const struct vrrp_sm_conf *c)
{
	uint8_t pkt[VRRP_PKT_MAX], sel = byte(in), dmg;
	struct vrrp_txparams tp;
	struct vrrp_rxmeta meta;
	struct vrrp_adv adv;
	struct vrrp_out out;
	size_t len;

	memset(&tp, 0, sizeof(tp));
	tp.family = w->exp.family;
	tp.version = (sel & 1) ? (uint8_t)(5 - c->version) : c->version;	/* 2 <-> 3 */
	if (sel & 2)
		tp.version = c->version;
	tp.vrid = (sel & 4) ? byte(in) : w->exp.vrid;
	tp.priority = byte(in);
	tp.interval_cs = (sel & 8) ? word(in) & 0x0fff
				   : (uint32_t)(c->adver_int_us / 10000);
	if (tp.version == 2)
		tp.interval_cs = tp.interval_cs / 100 * 100;
	tp.auth_type = w->exp.auth_type;
	memcpy(tp.auth, w->exp.auth, sizeof(tp.auth));
	tp.addrs = w->vips;
	tp.naddr = (sel & 16) ? 1 : 2;
	tp.src = w->peers[(sel >> 5) % 3];
	tp.dst = w->group;
	tp.v3_cksum_as_v2 = w->exp.v3_cksum_as_v2;
	len = vrrp_build(pkt, sizeof(pkt), &tp);
	if (!len)
		return;
	dmg = byte(in);
	if (dmg & 0x80)
		pkt[dmg % len] ^= byte(in);
	memset(&meta, 0, sizeof(meta));
	meta.src = tp.src;
	meta.dst = tp.dst;
	meta.hoplimit = 255;
	if (vrrp_parse(pkt, len, tp.family, tp.family == AF_INET6 ? &meta : NULL, &w->exp, &adv) !=
	    VRRP_OK)
		return;
	vrrp_sm_recv(&w->sm, w->now, &adv, &out);
	check(w, &out, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct vrrp_sm_conf c;
	struct vrrp_out out;
	struct world w;
	uint8_t mode;
	int steps = 0;

	if (size < 8)
		return 0;
	memset(&w, 0, sizeof(w));
	memset(&c, 0, sizeof(c));
	mode = byte(&in);
	w.exp.family = (mode & 1) ? AF_INET6 : AF_INET;
	c.version = (mode & 2) || w.exp.family == AF_INET6 ? 3 : 2;
	c.priority = byte(&in);
	if (!c.priority)
		c.priority = 1;
	c.adver_int_us = c.version == 2 ? (uint64_t)(byte(&in) % 255 + 1) * 1000000
					: (uint64_t)(word(&in) % 4095 + 1) * 10000;
	c.preempt = !(mode & 4);
	c.preempt_delay_us = (mode & 8) ? (uint64_t)byte(&in) * 100000 : 0;
	c.start_master = (mode & 16) != 0;
	c.garp_delay_us = (mode & 32) ? (uint64_t)byte(&in) * 100000 : 0;
	c.garp_refresh_us = (mode & 64) ? (uint64_t)(byte(&in) + 1) * 100000 : 0;
	w.exp.version = c.version;
	w.exp.vrid = 51;
	w.exp.v2_interval = (uint8_t)(c.adver_int_us / 1000000);
	w.exp.auth_type = (c.version == 2 && (mode & 128)) ? 1 : 0;
	memcpy(w.exp.auth, "secret\0\0", VRRP_AUTH_LEN);
	w.exp.check_ttl = true;
	for (int i = 0; i < 2; i++)
		w.vips[i].family = (sa_family_t)w.exp.family;
	for (int i = 0; i < 3; i++)
		w.peers[i].family = (sa_family_t)w.exp.family;
	w.group.family = (sa_family_t)w.exp.family;
	if (w.exp.family == AF_INET) {
		inet_pton(AF_INET, "192.0.2.100", &w.vips[0].v4);
		inet_pton(AF_INET, "192.0.2.101", &w.vips[1].v4);
		inet_pton(AF_INET, "192.0.2.1", &w.peers[0].v4);
		inet_pton(AF_INET, "192.0.2.2", &w.peers[1].v4);
		inet_pton(AF_INET, "192.0.2.3", &w.peers[2].v4);
		inet_pton(AF_INET, "224.0.0.18", &w.group.v4);
	} else {
		inet_pton(AF_INET6, "fe80::100", &w.vips[0].v6);
		inet_pton(AF_INET6, "2001:db8::101", &w.vips[1].v6);
		inet_pton(AF_INET6, "fe80::1", &w.peers[0].v6);
		inet_pton(AF_INET6, "fe80::2", &w.peers[1].v6);
		inet_pton(AF_INET6, "fe80::3", &w.peers[2].v6);
		inet_pton(AF_INET6, "ff02::12", &w.group.v6);
	}
	/* The advertised list: both addresses (an advert of one is dropped). */
	w.exp.vips = w.vips;
	w.exp.nvips = 2;
	/* Deadlines: at most a Master_Down_Interval (under four intervals)
	 * of our interval or the longest one a v3 advert can teach, or the
	 * configured delays. */
	w.bound = 4 * (c.adver_int_us > 40950000 ? c.adver_int_us : 40950000) +
		  c.preempt_delay_us + c.garp_delay_us + c.garp_refresh_us;
	vrrp_sm_init(&w.sm, &c);
	w.sm.self = w.peers[1];
	w.sm.sync = (mode & 2) && (mode & 128);
	w.sm.group_ok = true;
	w.now = 1000000000;
	vrrp_sm_start(&w.sm, w.now, !(mode & 8) || (mode & 4), NULL, &out);
	check(&w, &out, false);

	while (in.n && steps++ < 500 && w.sm.state != VRRP_STATE_STOP) {
		uint8_t ev = byte(&in);
		uint64_t next;

		/* Time moves first: a little, or to the next deadline. */
		switch (ev >> 5) {
		case 0:
			w.now += (uint64_t)byte(&in) * 1000;
			break;
		case 1:
			next = vrrp_sm_next(&w.sm);
			if (next > w.now)
				w.now = next + byte(&in) % 4 * 1000;
			break;
		default:
			break;
		}
		switch (ev & 7) {
		case 0:
		case 1:
		case 2:
			advert(&w, &in, &c);
			break;
		case 3:
			next = vrrp_sm_next(&w.sm);
			if (next && w.now >= next) {
				vrrp_sm_timer(&w.sm, w.now, &out);
				check(&w, &out, true);
			} else {
				/* Early calls must be harmless. */
				vrrp_sm_timer(&w.sm, w.now, &out);
				check(&w, &out, false);
			}
			break;
		case 4:
			/* Tracking: what vrrpd would make of a weight sum. */
			vrrp_sm_set_priority(&w.sm, w.now,
					     vrrp_effective_priority(c.priority,
								     (int8_t)byte(&in) * 2),
					     &out);
			check(&w, &out, false);
			break;
		case 5:
			vrrp_sm_set_fault(&w.sm, w.now, (ev & 8) != 0, "fuzz", &out);
			check(&w, &out, false);
			break;
		case 6:
			if (!w.sm.sync) {
				advert(&w, &in, &c);
				break;
			}
			w.sm.group_ok = (ev & 8) != 0;
			if (ev & 16)
				vrrp_sm_group_master(&w.sm, w.now, "fuzz", &out);
			else
				vrrp_sm_group_backup(&w.sm, w.now, "fuzz", &out);
			check(&w, &out, false);
			break;
		case 7:
			if ((ev & 24) == 24) {
				vrrp_sm_shutdown(&w.sm, w.now, &out);
				check(&w, &out, false);
			} else {
				vrrp_sm_link(&w.sm, w.now, !(ev & 8), &out);
				check(&w, &out, false);
			}
			break;
		}
	}
	return 0;
}
