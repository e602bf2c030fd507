#include "state.h"
#include "log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A master answers a lower-priority advert with a GARP burst (the other
 * router may have announced our addresses), at most this often. */
#define LOWPRIO_GARP_GAP_US (1000 * 1000)

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_STATE_INIT: return "INIT";
	case VRRP_STATE_BACKUP: return "BACKUP";
	case VRRP_STATE_MASTER: return "MASTER";
	case VRRP_STATE_FAULT: return "FAULT";
	case VRRP_STATE_STOP: return "STOP";
	}
	return "UNKNOWN";
}

void vrrp_sm_init(struct vrrp_sm *sm, const struct vrrp_sm_conf *c)
{
	memset(sm, 0, sizeof(*sm));
	sm->c = *c;
	sm->state = VRRP_STATE_INIT;
	sm->prio = c->priority;
	sm->master_adver_int_us = c->adver_int_us;
}

/*
 * RFC 3768: Skew_Time = (256 - Priority) / 256 seconds.
 * RFC 5798: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256.
 */
uint64_t vrrp_sm_skew_us(const struct vrrp_sm *sm)
{
	uint64_t base = sm->c.version == 2 ? 1000000 : sm->master_adver_int_us;

	return (256 - sm->prio) * base / 256;
}

uint64_t vrrp_sm_down_interval_us(const struct vrrp_sm *sm)
{
	return 3 * sm->master_adver_int_us + vrrp_sm_skew_us(sm);
}

/*
 * The next advert time after now: the next multiple of the interval on
 * the monotonic clock, so at most one interval away.  Every instance
 * on a host with the same interval then advertises at the same
 * instants, and the host wakes once per interval for all of them
 * rather than at fifty scattered times (what keepalived gets from
 * running every instance in one process).
 */
static uint64_t next_advert(const struct vrrp_sm *sm, uint64_t now)
{
	uint64_t i = sm->c.adver_int_us;

	return (now / i + 1) * i;
}

static void act(struct vrrp_out *out, enum vrrp_action a)
{
	if (out->n < VRRP_MAX_ACTIONS)
		out->act[out->n++] = a;
}

static void HK_PRINTF(5, 6) transition(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out,
				       enum vrrp_state to, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sm->reason, sizeof(sm->reason), fmt, ap);
	va_end(ap);
	out->from = sm->state;
	out->to = to;
	sm->state = to;
	sm->since = now;
	act(out, VRRP_ACT_NOTIFY);
}

static void become_master(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out,
			  const char *why)
{
	act(out, VRRP_ACT_VIPS_ADD);
	act(out, VRRP_ACT_ADVERT);
	act(out, VRRP_ACT_GARP);
	transition(sm, now, out, VRRP_STATE_MASTER, "%s", why);
	sm->adver_at = next_advert(sm, now);
	sm->garp2_at = sm->c.garp_delay_us ? now + sm->c.garp_delay_us : 0;
	sm->refresh_at = sm->c.garp_refresh_us ? now + sm->c.garp_refresh_us : 0;
	sm->down_at = 0;
	sm->preempt_at = 0;
	sm->lowprio_garp_at = 0;
	sm->master_known = true;
	sm->master_addr = sm->self;
	sm->master_prio = sm->prio;
	sm->master_seen_at = now;
	sm->became_master++;
	sm->want_master = true;
}

/* keepalived starts the preempt delay when it starts and when it leaves
 * FAULT: a lower-priority master is tolerated that long. */
static void arm_preempt_delay(struct vrrp_sm *sm, uint64_t now)
{
	sm->preempt_at = sm->c.preempt && sm->c.preempt_delay_us ? now + sm->c.preempt_delay_us : 0;
}

/* Enter BACKUP with a fresh Master_Down_Timer (the caller has queued
 * whatever leaving the old state needs). */
static void enter_backup(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out,
			 uint64_t wait_us, const char *why)
{
	if (sm->state == VRRP_STATE_MASTER)
		sm->released_master++;
	transition(sm, now, out, VRRP_STATE_BACKUP, "%s", why);
	sm->adver_at = sm->garp2_at = sm->refresh_at = 0;
	sm->down_at = now + wait_us;
	sm->down_wait_us = wait_us;
	sm->down_by_stop = false;
	sm->want_master = false;
}

/* Leave INIT or FAULT: the owner straight to MASTER (in a sync group,
 * once the group agrees), the others to BACKUP. */
static void come_up(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out, const char *why)
{
	char buf[160];

	sm->master_adver_int_us = sm->c.adver_int_us;
	if (sm->c.priority == VRRP_PRIO_OWNER && (!sm->sync || sm->group_ok)) {
		if (sm->state == VRRP_STATE_INIT)
			snprintf(buf, sizeof(buf), "address owner (priority 255)");
		else
			snprintf(buf, sizeof(buf), "%s, address owner", why);
		become_master(sm, now, out, buf);
		return;
	}
	arm_preempt_delay(sm, now);
	if (sm->c.priority == VRRP_PRIO_OWNER)
		enter_backup(sm, now, out, vrrp_sm_skew_us(sm), why);
	else if (sm->c.start_master && sm->state == VRRP_STATE_INIT)
		/* As keepalived's "state MASTER": take over after one
		 * interval unless a master that outranks us speaks. */
		enter_backup(sm, now, out, sm->c.adver_int_us + vrrp_sm_skew_us(sm),
			     "start-up (--state master: one advert interval before taking over)");
	else
		enter_backup(sm, now, out, vrrp_sm_down_interval_us(sm), why);
}


static void fmt_secs(char *buf, size_t len, uint64_t us)
{
	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, us / 1000000, us / 1000 % 1000);
}

void vrrp_sm_start(struct vrrp_sm *sm, uint64_t now, bool up, const char *why,
		   struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state != VRRP_STATE_INIT)
		return;
	sm->master_adver_int_us = sm->c.adver_int_us;
	if (!up) {
		transition(sm, now, out, VRRP_STATE_FAULT, "%s",
			   why ? why : "interface not usable at start-up");
		return;
	}
	come_up(sm, now, out, "start-up");
}

void vrrp_sm_timer(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state == VRRP_STATE_BACKUP && sm->down_at && now >= sm->down_at) {
		char why[160], s[32];

		if (sm->down_by_stop && sm->master_known) {
			char a[HK_ADDRSTRLEN];

			snprintf(why, sizeof(why), "master %s resigned (priority 0)",
				 hk_addr_str(&sm->master_addr, a));
		} else {
			fmt_secs(s, sizeof(s), sm->down_wait_us);
			snprintf(why, sizeof(why), "no advert from a master for %s s", s);
		}
		if (sm->sync && !sm->group_ok) {
			/* Held back by the group: say so, and look again a
			 * Master_Down_Interval later if nothing changes. */
			if (!sm->want_master)
				act(out, VRRP_ACT_SYNC);
			sm->want_master = true;
			sm->down_wait_us = vrrp_sm_down_interval_us(sm);
			sm->down_at = now + sm->down_wait_us;
			sm->down_by_stop = false;
			return;
		}
		become_master(sm, now, out, why);
		return;
	}
	if (sm->state != VRRP_STATE_MASTER)
		return;
	if (sm->adver_at && now >= sm->adver_at) {
		act(out, VRRP_ACT_ADVERT);
		/* Late by more than an interval (the host stalled), this
		 * sends once and goes on from now rather than in a burst. */
		sm->adver_at = next_advert(sm, now);
		sm->master_seen_at = now;
	}
	if (sm->garp2_at && now >= sm->garp2_at) {
		act(out, VRRP_ACT_GARP);
		sm->garp2_at = 0;
	}
	if (sm->refresh_at && now >= sm->refresh_at) {
		act(out, VRRP_ACT_GARP_REFRESH);
		sm->refresh_at = now + sm->c.garp_refresh_us;
	}
}

static void note_master(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv)
{
	sm->master_known = true;
	sm->master_addr = adv->src;
	sm->master_prio = adv->priority;
	sm->master_seen_at = now;
}

static void recv_backup(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv,
			struct vrrp_out *out)
{
	if (adv->priority == VRRP_PRIO_STOP) {
		/* The master resigned: take over after Skew_Time, so that
		 * the best backup goes first. */
		sm->down_wait_us = vrrp_sm_skew_us(sm);
		sm->down_at = now + sm->down_wait_us;
		sm->down_by_stop = true;
		note_master(sm, now, adv);
		return;
	}
	bool lower = adv->priority < sm->prio;

	/* As keepalived: with a preempt delay, a lower-priority master is
	 * accepted until preempt_at, which its first advert sets. */
	if (!sm->c.preempt || !lower ||
	    (sm->c.preempt_delay_us && (!sm->preempt_at || now < sm->preempt_at))) {
		if (sm->c.version == 3)
			sm->master_adver_int_us = (uint64_t)adv->interval_cs * 10000;
		sm->down_wait_us = vrrp_sm_down_interval_us(sm);
		sm->down_at = now + sm->down_wait_us;
		sm->down_by_stop = false;
		note_master(sm, now, adv);
		/* A master we accept: whatever a sync group held us back
		 * for, we no longer want to take over. */
		if (sm->want_master)
			act(out, VRRP_ACT_SYNC);
		sm->want_master = false;
		if (!lower)
			sm->preempt_at = 0;
		else if (!sm->preempt_at && sm->c.preempt_delay_us)
			sm->preempt_at = now + sm->c.preempt_delay_us;
		return;
	}
	/* Preempting a lower-priority master: discard its adverts and let
	 * the Master_Down_Timer run out (RFC 5798 6.4.2). */
	note_master(sm, now, adv);
}

static void recv_master(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv,
			struct vrrp_out *out)
{
	char a[HK_ADDRSTRLEN];
	int cmp = hk_addr_cmp(&adv->src, &sm->self);

	if (adv->priority == VRRP_PRIO_STOP) {
		/* Another master resigned; remind the backups who is master. */
		act(out, VRRP_ACT_ADVERT);
		sm->adver_at = next_advert(sm, now);
		return;
	}
	if (adv->priority > sm->prio || (adv->priority == sm->prio && cmp > 0)) {
		char why[96];

		snprintf(why, sizeof(why),
			 adv->priority > sm->prio ? "higher priority %u from %s"
							: "equal priority %u from higher address %s",
			 adv->priority, hk_addr_str(&adv->src, a));
		act(out, VRRP_ACT_VIPS_DEL);
		if (sm->c.version == 3)
			sm->master_adver_int_us = (uint64_t)adv->interval_cs * 10000;
		note_master(sm, now, adv);
		enter_backup(sm, now, out, vrrp_sm_down_interval_us(sm), why);
		return;
	}
	if (cmp == 0)
		return;	/* our own advert, looped back */
	/*
	 * A lower-priority router thinks it is master (it lost our adverts
	 * for a while).  As keepalived does: advertise at once so that it
	 * backs off, and announce our addresses again, since it may have
	 * announced them with its own MAC.
	 */
	act(out, VRRP_ACT_ADVERT);
	sm->adver_at = next_advert(sm, now);
	if (!sm->lowprio_garp_at || now - sm->lowprio_garp_at >= LOWPRIO_GARP_GAP_US) {
		act(out, VRRP_ACT_GARP);
		sm->lowprio_garp_at = now;
	}
}

void vrrp_sm_recv(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv,
		  struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state == VRRP_STATE_BACKUP)
		recv_backup(sm, now, adv, out);
	else if (sm->state == VRRP_STATE_MASTER)
		recv_master(sm, now, adv, out);
}

void vrrp_sm_set_fault(struct vrrp_sm *sm, uint64_t now, bool fault, const char *why,
		       struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (fault && (sm->state == VRRP_STATE_MASTER || sm->state == VRRP_STATE_BACKUP)) {
		if (sm->state == VRRP_STATE_MASTER) {
			act(out, VRRP_ACT_ADVERT_STOP);
			act(out, VRRP_ACT_VIPS_DEL);
			sm->released_master++;
		}
		transition(sm, now, out, VRRP_STATE_FAULT, "%s", why);
		sm->down_at = sm->adver_at = sm->garp2_at = sm->refresh_at = 0;
		sm->preempt_at = 0;
		sm->master_known = false;
		sm->want_master = false;
		return;
	}
	if (!fault && sm->state == VRRP_STATE_FAULT)
		come_up(sm, now, out, why);
}

void vrrp_sm_link(struct vrrp_sm *sm, uint64_t now, bool up, struct vrrp_out *out)
{
	vrrp_sm_set_fault(sm, now, !up, up ? "interface back up" : "interface went down", out);
}

void vrrp_sm_set_priority(struct vrrp_sm *sm, uint64_t now, uint8_t prio, struct vrrp_out *out)
{
	uint64_t old_skew = vrrp_sm_skew_us(sm);

	memset(out, 0, sizeof(*out));
	if (prio == sm->prio)
		return;
	sm->prio = prio;
	if (sm->state == VRRP_STATE_MASTER) {
		sm->master_prio = prio;
		act(out, VRRP_ACT_ADVERT);
		sm->adver_at = next_advert(sm, now);
	} else if (sm->state == VRRP_STATE_BACKUP && sm->down_at && !sm->down_by_stop) {
		/* As keepalived: the timer keeps running, by the new skew. */
		uint64_t new_skew = vrrp_sm_skew_us(sm);

		sm->down_at = sm->down_at + new_skew > old_skew ? sm->down_at + new_skew - old_skew
								: now;
		sm->down_wait_us = vrrp_sm_down_interval_us(sm);
	}
}

void vrrp_sm_group_master(struct vrrp_sm *sm, uint64_t now, const char *why,
			  struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state == VRRP_STATE_BACKUP)
		become_master(sm, now, out, why);
}

void vrrp_sm_group_backup(struct vrrp_sm *sm, uint64_t now, const char *why,
			  struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state != VRRP_STATE_MASTER)
		return;
	act(out, VRRP_ACT_VIPS_DEL);
	enter_backup(sm, now, out, vrrp_sm_down_interval_us(sm), why);
}

void vrrp_sm_shutdown(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sm->state == VRRP_STATE_STOP)
		return;
	if (sm->state == VRRP_STATE_MASTER) {
		act(out, VRRP_ACT_ADVERT_STOP);
		act(out, VRRP_ACT_VIPS_DEL);
		sm->released_master++;
	}
	transition(sm, now, out, VRRP_STATE_STOP, "stopped by a signal");
	sm->down_at = sm->adver_at = sm->garp2_at = sm->refresh_at = sm->preempt_at = 0;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return a < b ? a : b;
}

uint64_t vrrp_sm_next(const struct vrrp_sm *sm)
{
	if (sm->state == VRRP_STATE_BACKUP)
		return sm->down_at;
	if (sm->state == VRRP_STATE_MASTER)
		return earliest(earliest(sm->adver_at, sm->garp2_at), sm->refresh_at);
	return 0;
}
