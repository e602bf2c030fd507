#include "track.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vrrp_script_state_init(struct vrrp_script_state *s, unsigned rise)
{
	memset(s, 0, sizeof(*s));
	s->result = rise - 1;
}

bool vrrp_script_feed(struct vrrp_script_state *s, unsigned rise, unsigned fall, bool success)
{
	bool was_ok = s->ok, first = !s->reported;

	if (success) {
		if (s->result < rise - 1)
			s->result++;
		else
			s->result = rise + fall - 1;
	} else {
		if (s->result > rise)
			s->result--;
		else
			s->result = 0;
	}
	s->ok = s->result >= rise;
	s->reported = true;
	return first || s->ok != was_ok;
}

long vrrp_track_file_value(const char *buf, size_t len)
{
	char tmp[128];
	char *end;
	long v;

	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtol(tmp, &end, 0);
	if (end == tmp)
		return 0;
	if (v > 254)
		return 254;
	if (v < -254)
		return -254;
	return v;
}

static int32_t clamp_status(long v)
{
	if (v <= -254)
		return VRRP_TRACK_FAULT;
	return v > 253 ? 253 : (int32_t)v;
}

int32_t vrrp_track_file_delta(long value, int weight, bool has_weight)
{
	if (!has_weight || weight == 0)
		return value ? VRRP_TRACK_FAULT : 0;
	return clamp_status(value * weight);
}

int32_t vrrp_track_if_delta(bool up, int weight, bool has_weight)
{
	if (!has_weight || weight == 0)
		return up ? 0 : VRRP_TRACK_FAULT;
	if (weight > 0)
		return up ? weight : 0;
	return up ? 0 : weight;
}

int32_t vrrp_track_script_delta(const struct vrrp_script_state *s, int weight)
{
	if (!s->reported)
		return 0;
	return vrrp_track_if_delta(s->ok, weight, true);
}

/* The first cause of FAULT is the one the log and the dump give. */
#define CAUSE(v, ...) \
	do { if (!(v)->why[0]) snprintf((v)->why, sizeof((v)->why), __VA_ARGS__); } while (0)

void vrrp_track_eval(const struct vrrp_conf *c, const struct vrrp_track_obs *o,
		     struct vrrp_track_verdict *v)
{
	int64_t sum = 0;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < c->nifs; i++) {
		int32_t d = vrrp_track_if_delta(o->if_up[i], c->ifs[i].weight, c->ifs[i].has_weight);

		if (d == VRRP_TRACK_FAULT) {
			v->fault = true;
			CAUSE(v, "tracked interface %s is down", c->ifs[i].name);
		} else {
			sum += d;
		}
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct vrrp_track_file_conf *f = &c->files[i];
		int32_t d = vrrp_track_file_delta(o->file_values[i], f->weight, f->has_weight);

		if (d == VRRP_TRACK_FAULT) {
			v->fault = true;
			CAUSE(v, "tracked file %s holds %ld", f->path, o->file_values[i]);
		} else {
			sum += d;
		}
	}
	for (size_t i = 0; i < c->nscripts; i++) {
		const struct vrrp_track_script_conf *t = &c->scripts[i];
		const struct vrrp_script_state *s = &o->scripts[i];

		if (t->weight == 0 && !s->reported) {
			v->init = true;
			continue;
		}
		int32_t d = vrrp_track_script_delta(s, t->weight);

		if (d == VRRP_TRACK_FAULT) {
			v->fault = true;
			CAUSE(v, "track script %s failed", t->cmd.argv[0]);
		} else {
			sum += d;
		}
	}
	if (v->init && !v->fault && !v->why[0])
		snprintf(v->why, sizeof(v->why), "waiting for the first run of the track scripts");
	/* Far beyond what a priority can absorb either way. */
	if (sum > 1000)
		sum = 1000;
	if (sum < -1000)
		sum = -1000;
	v->delta = (int32_t)sum;
}

uint8_t vrrp_effective_priority(uint8_t base, int32_t delta)
{
	int32_t p = base + delta;

	if (base == 255)
		return 255;
	if (p < 1)
		return 1;
	if (p > 254)
		return 254;
	return (uint8_t)p;
}
