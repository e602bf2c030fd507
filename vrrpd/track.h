/*
 * Tracking, as keepalived 2.2 does it: what tracked scripts, files and
 * interfaces say, turned into a priority change or FAULT.  Pure
 * functions over the configuration and the last observations; the
 * daemon observes (runs scripts, reads files, watches links) and feeds
 * them in.
 */
#ifndef VRRP_TRACK_H
#define VRRP_TRACK_H

#include "conf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A track script's verdict with keepalived's rise and fall: a counter
 * from 0 to rise+fall-1, good at rise and above.  It starts at rise-1
 * so that the first run decides either way; then it takes rise
 * successes in a row to become good and fall failures in a row to
 * become bad.
 */
struct vrrp_script_state {
	unsigned result;
	bool reported;		/* a run has ended since start-up */
	bool ok;		/* the verdict, once reported */
};

void vrrp_script_state_init(struct vrrp_script_state *s, unsigned rise);

/* One run ended (a timeout is a failure).  Returns true if the verdict
 * changed, the first report included. */
bool vrrp_script_feed(struct vrrp_script_state *s, unsigned rise, unsigned fall, bool success);

/*
 * The value of a tracked file from its first bytes, as keepalived reads
 * it: strtol(3) with base 0 (so "0x10" is 16 and "010" is 8), leading
 * blanks skipped, anything else after the number ignored, no number at
 * all (or an empty or missing file) 0; clamped to -254..254.
 */
long vrrp_track_file_value(const char *buf, size_t len);

/* What one tracked object does to the instance. */
#define VRRP_TRACK_FAULT INT32_MIN	/* the instance must be in FAULT */

/* A file's contribution: with a weight, value * weight, clamped to
 * -254..253, where -254 means FAULT; without one, FAULT unless 0. */
int32_t vrrp_track_file_delta(long value, int weight, bool has_weight);

/* An interface's: with a positive weight, +weight while up; with a
 * negative one, +weight while down; without one, FAULT while down. */
int32_t vrrp_track_if_delta(bool up, int weight, bool has_weight);

/* A script's, once reported: as an interface's, good being "up"
 * (weight 0: FAULT while bad). */
int32_t vrrp_track_script_delta(const struct vrrp_script_state *s, int weight);

/* What the daemon last observed. */
struct vrrp_track_obs {
	struct vrrp_script_state scripts[VRRP_MAX_TRACKS];
	long file_values[VRRP_MAX_TRACKS];
	bool if_up[VRRP_MAX_TRACKS];
};

struct vrrp_track_verdict {
	int32_t delta;		/* the sum of the weights that apply */
	bool fault;		/* something tracked without a weight is down */
	bool init;		/* a script without a weight has not reported yet */
	char why[160];		/* the first cause of fault or init */
};

void vrrp_track_eval(const struct vrrp_conf *c, const struct vrrp_track_obs *o,
		     struct vrrp_track_verdict *v);

/* base + delta clamped to 1..254; the owner's 255 never moves. */
uint8_t vrrp_effective_priority(uint8_t base, int32_t delta);

#endif
