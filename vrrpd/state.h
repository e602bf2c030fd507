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

/* Leave INIT: to MASTER for the address owner, FAULT if the link is
 * unusable, BACKUP otherwise. */
void vrrp_sm_start(struct vrrp_sm *sm, uint64_t now, bool link_up, struct vrrp_out *out);

/* Timers: call when now >= vrrp_sm_next() (calling early is harmless). */
void vrrp_sm_timer(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out);

/* A valid advert for our VRID arrived (vrrp_parse() said VRRP_OK). */
void vrrp_sm_recv(struct vrrp_sm *sm, uint64_t now, const struct vrrp_adv *adv,
		  struct vrrp_out *out);

/* The link became usable (carrier and a source address) or not. */
void vrrp_sm_link(struct vrrp_sm *sm, uint64_t now, bool up, struct vrrp_out *out);

/* SIGTERM: resign (priority 0 advert, addresses removed) and STOP. */
void vrrp_sm_shutdown(struct vrrp_sm *sm, uint64_t now, struct vrrp_out *out);

/* The earliest time vrrp_sm_timer() has work, or 0 for none. */
uint64_t vrrp_sm_next(const struct vrrp_sm *sm);

#endif
