/*
 * The VRRP state machine (RFC 3768 section 6, RFC 5798/9568 section 6),
 * with keepalived's choices where the RFCs leave room: preempt delay,
 * the --state master start-up hint, answering a lower-priority advert.
 *
 * No sockets and no clock: the caller feeds events with the current
 * monotonic time in microseconds and carries out the actions returned,
 * in order.  vrrp_sm_next() says when to call vrrp_sm_timer() again.
 */
#ifndef VRRP_STATE_H
#define VRRP_STATE_H

#include "addr.h"
#include "packet.h"

#include <stdbool.h>
#include <stdint.h>

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
	VRRP_STATE_STOP,
};

/* "INIT", "BACKUP", "MASTER", "FAULT", "STOP": the hook's STATE. */
const char *vrrp_state_name(enum vrrp_state s);

struct vrrp_sm_conf {
	uint8_t version;		/* 2 or 3 */
	uint8_t priority;		/* 1-255 */
	uint64_t adver_int_us;		/* Advertisement_Interval */
	bool preempt;
	uint64_t preempt_delay_us;
	bool start_master;		/* --state master */
	uint64_t garp_delay_us;		/* second GARP burst; 0: none */
	uint64_t garp_refresh_us;	/* periodic GARP while master; 0: none */
};

enum vrrp_action {
	VRRP_ACT_VIPS_ADD = 1,	/* add the virtual addresses */
	VRRP_ACT_VIPS_DEL,	/* remove them */
	VRRP_ACT_ADVERT,	/* send an advert with our priority */
	VRRP_ACT_ADVERT_STOP,	/* send an advert with priority 0 */
	VRRP_ACT_GARP,		/* a burst of gratuitous ARP / unsolicited NA */
	VRRP_ACT_GARP_REFRESH,	/* one announcement per address */
	VRRP_ACT_NOTIFY,	/* the state changed: log, state file, hooks */
	VRRP_ACT_SYNC,		/* tell the sync group (what we want changed) */
};

/* Actions for the caller, in the order to carry them out. */
#define VRRP_MAX_ACTIONS 8
struct vrrp_out {
	enum vrrp_action act[VRRP_MAX_ACTIONS];
	int n;
	enum vrrp_state from, to;	/* meaningful with VRRP_ACT_NOTIFY */
};

struct vrrp_sm {
	struct vrrp_sm_conf c;
	enum vrrp_state state;
	uint8_t prio;			/* the effective priority (tracking) */
	/* Sync group: a member whose Master_Down_Timer runs out wants to
	 * be master, and becomes master only when group_ok says every other
	 * member wants it too (keepalived's vrrp_sync_can_goto_master). */
	bool sync;
	bool group_ok;
	bool want_master;
	struct hk_addr self;		/* our primary address: breaks ties */
	uint64_t master_adver_int_us;	/* Master_Adver_Interval (learned in v3) */
	uint64_t down_at;		/* BACKUP: Master_Down_Timer expiry */
	uint64_t down_wait_us;		/* what down_at was last set to wait */
	uint64_t adver_at;		/* MASTER: next advert */
	uint64_t garp2_at;		/* MASTER: the delayed second burst */
	uint64_t refresh_at;		/* MASTER: next GARP refresh */
	uint64_t preempt_at;		/* BACKUP: lower-priority master tolerated until */
	uint64_t lowprio_garp_at;	/* MASTER: last burst against a lower master */
	bool down_by_stop;		/* the down timer runs on Skew_Time after priority 0 */
	/* The current master as seen from here (ourselves when master). */
	bool master_known;
	struct hk_addr master_addr;
	uint8_t master_prio;
	uint64_t master_seen_at;
	uint64_t since;			/* time of the last transition */
	char reason[160];		/* why the last transition happened */
	uint64_t became_master, released_master;
};

void vrrp_sm_init(struct vrrp_sm *sm, const struct vrrp_sm_conf *c);

/* Skew_Time and Master_Down_Interval for the current
 * Master_Adver_Interval, in microseconds. */
uint64_t vrrp_sm_skew_us(const struct vrrp_sm *sm);
uint64_t vrrp_sm_down_interval_us(const struct vrrp_sm *sm);

/* Leave INIT: to FAULT if the instance cannot run (up false; why says
 * why, NULL for "interface not usable at start-up"), else to MASTER for
 * the address owner, BACKUP for the others. */
void vrrp_sm_start(struct vrrp_sm *sm, uint64_t now, bool up, const char *why,
		   struct vrrp_out *out);

/* Timers: call when now >= vrrp_sm_next() (calling early is harmless). */
void vrrp_sm_timer(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out);

/* A valid advert for our VRID arrived (vrrp_parse() said VRRP_OK). */
void vrrp_sm_recv(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv,
		  struct vrrp_out *out);

/* The link became usable (carrier and a source address) or not. */
void vrrp_sm_link(struct vrrp_sm *sm, uint64_t now, bool up, struct vrrp_out *out);

/*
 * Something the instance depends on failed (fault true: the link,
 * tracking without a weight, the sync group) or everything is back:
 * FAULT, or out of it to BACKUP (the owner: MASTER).  A master leaving
 * for FAULT sends a priority-0 advert first, as keepalived does.  why
 * is the reason logged.
 */
void vrrp_sm_set_fault(struct vrrp_sm *sm, uint64_t now, bool fault, const char *why,
		       struct vrrp_out *out);

/*
 * The effective priority changed (tracking): a master advertises it at
 * once; a backup's Master_Down_Timer moves by the change in Skew_Time.
 */
void vrrp_sm_set_priority(struct vrrp_sm *sm, uint64_t now, uint8_t prio, struct vrrp_out *out);

/* Sync group: another member became master (follow it, from BACKUP),
 * or left MASTER for BACKUP (follow it, from MASTER, without a
 * priority-0 advert). */
void vrrp_sm_group_master(struct vrrp_sm *sm, uint64_t now, const char *why,
			  struct vrrp_out *out);
void vrrp_sm_group_backup(struct vrrp_sm *sm, uint64_t now, const char *why,
			  struct vrrp_out *out);

/* SIGTERM: resign (priority 0 advert, addresses removed) and STOP. */
void vrrp_sm_shutdown(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out);

/* The earliest time vrrp_sm_timer() has work, or 0 for none. */
uint64_t vrrp_sm_next(const struct vrrp_sm *sm);

#endif
