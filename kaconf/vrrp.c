/*
 * global_defs, vrrp_script, track_file, vrrp_instance and vrrp_sync_group,
 * with keepalived 2.2.7's defaults and its start-up adjustments (state
 * MASTER without a priority means 255, nopreempt needs state BACKUP,
 * vrrp_strict's rules...) made explicit, so that vrrpd gets every value
 * spelled out and behaves as keepalived would with the same file.
 */
#include "clock.h"
#include "kc.h"
#include "parse.h"

#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#define SECS(s) ((uint64_t)(s) * HK_USEC_PER_SEC)

/* ---- global_defs ------------------------------------------------------- */

static void g_ignore(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	(void)c; (void)conf; (void)st; (void)obj;
}

static void g_lvs_id(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	(void)conf; (void)obj;
	kc_note(c, &st->w[0].pos, "'lvs_id' is the old name of router_id");
}

static void g_mcast(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	bool v6 = strcmp(st->w[0].s, "vrrp_mcast_group6") == 0;
	struct hk_addr a;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) < 0 ||
	    kc_arg_addr(c, st, 1, v6 ? AF_INET6 : AF_INET, &a) < 0)
		return;
	if (!hk_addr_is_multicast(&a)) {
		kc_error(c, &st->w[1].pos, "%s: '%s' is not a multicast address",
			 st->w[0].s, st->w[1].s);
		return;
	}
	if (v6)
		conf->mcast6 = a;
	else
		conf->mcast4 = a;
}

static bool valid_user(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 32 && (s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
				    (s[0] >= 'A' && s[0] <= 'Z')) &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.-") == n;
}

static void g_script_user(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	(void)obj;
	if (kc_nargs(c, st, 1, 2) < 0)
		return;
	for (size_t i = 1; i < st->n; i++)
		if (!valid_user(st->w[i].s)) {
			kc_error(c, &st->w[i].pos, "script_user: '%s' is not a user or group name",
				 st->w[i].s);
			return;
		}
	conf->script_user = st->w[1].s;
	conf->script_group = st->n > 2 ? st->w[2].s : NULL;
	conf->script_user_pos = st->w[1].pos;
}

static void g_flag(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	bool v;

	(void)obj;
	if (kc_nargs(c, st, 0, 1) < 0 || kc_arg_bool(c, st, 1, &v) < 0)
		return;
	if (strcmp(st->w[0].s, "vrrp_strict") == 0)
		conf->strict = v;
	else if (strcmp(st->w[0].s, "enable_script_security") == 0)
		conf->script_security = v;
	else if (v) {		/* vrrp_min_garp */
		conf->garp_repeat = 1;
		conf->garp_delay = 0;
	}
}

/* garp delay/refresh in whole seconds, repeat a count: keepalived's ranges. */
static int garp_value(struct kc_ctx *c, struct kc_stmt *st, long *out)
{
	uint64_t v;
	bool repeat = strstr(st->w[0].s, "repeat") != NULL;

	if (kc_nargs(c, st, 1, 1) < 0 ||
	    kc_arg_uint(c, st, 1, repeat ? 1 : 0, repeat ? 255 : 86400, &v) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

static void g_garp(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	const char *k = st->w[0].s + strlen("vrrp_garp_master_");

	(void)obj;
	garp_value(c, st, strcmp(k, "delay") == 0 ? &conf->garp_delay :
			  strcmp(k, "repeat") == 0 ? &conf->garp_repeat :
			  &conf->garp_refresh);
}

static void g_version(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	uint64_t v;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) == 0 && kc_arg_uint(c, st, 1, 2, 3, &v) == 0)
		conf->version = (unsigned)v;
}

/* The vrrp process's tuning, as keepalived's global_defs give it. */
static void g_tuning(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	const char *k = st->w[0].s;
	uint64_t v;
	int64_t n;
	bool on;

	(void)obj;
	if (strcmp(k, "vrrp_no_swap") == 0) {
		if (kc_nargs(c, st, 0, 1) == 0 && kc_arg_bool(c, st, 1, &on) == 0)
			conf->no_swap = on;
	} else if (strcmp(k, "vrrp_priority") == 0) {
		if (kc_nargs(c, st, 1, 1) == 0 && kc_arg_int(c, st, 1, -20, 19, &n) == 0) {
			conf->nice = (int)n;
			conf->nice_given = true;
		}
	} else if (strcmp(k, "vrrp_rt_priority") == 0) {
		if (kc_nargs(c, st, 1, 1) == 0 && kc_arg_uint(c, st, 1, 1, 99, &v) == 0)
			conf->rt_priority = (int)v;
	} else if (strcmp(k, "vrrp_cpu_affinity") == 0) {
		/* CPU ids of this machine, as keepalived checks them. */
		long ncpu = sysconf(_SC_NPROCESSORS_CONF);
		const char *list = "";

		if (kc_nargs(c, st, 1, 64) < 0)
			return;
		for (size_t i = 1; i < st->n; i++) {
			if (kc_arg_uint(c, st, i, 0, ncpu > 0 ? (uint64_t)ncpu - 1 : 1023, &v) < 0)
				return;
			list = kc_printf(&c->arena, "%s%s%" PRIu64, list, i > 1 ? "," : "", v);
		}
		conf->cpus = list;
	} else if (kc_nargs(c, st, 1, 1) == 0 &&	/* vrrp_rlimit_rttime */
		   kc_arg_uint(c, st, 1, 1000, 60000000, &v) == 0) {
		conf->rlimit_rttime_us = v;
	}
}

static const struct kc_kw global_kw[] = {
	{ "vrrp_rt_priority", g_tuning, KC_KW_NOBLOCK },
	{ "vrrp_rlimit_rttime", g_tuning, KC_KW_NOBLOCK },
	{ "vrrp_priority", g_tuning, KC_KW_NOBLOCK },
	{ "vrrp_no_swap", g_tuning, KC_KW_NOBLOCK },
	{ "vrrp_cpu_affinity", g_tuning, KC_KW_NOBLOCK },
	{ "router_id", g_ignore, KC_KW_NOBLOCK },
	{ "lvs_id", g_lvs_id, KC_KW_NOBLOCK },
	{ "vrrp_mcast_group4", g_mcast, KC_KW_NOBLOCK },
	{ "vrrp_mcast_group6", g_mcast, KC_KW_NOBLOCK },
	{ "script_user", g_script_user, KC_KW_NOBLOCK },
	{ "enable_script_security", g_flag, KC_KW_NOBLOCK },
	{ "vrrp_strict", g_flag, KC_KW_NOBLOCK },
	{ "vrrp_min_garp", g_flag, KC_KW_NOBLOCK },
	{ "vrrp_garp_master_delay", g_garp, KC_KW_NOBLOCK },
	{ "vrrp_garp_master_repeat", g_garp, KC_KW_NOBLOCK },
	{ "vrrp_garp_master_refresh", g_garp, KC_KW_NOBLOCK },
	{ "vrrp_version", g_version, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

#define EMAIL "e-mail alerts are not part of hakit (use notify scripts)"
#define TUNING "process tuning of keepalived's checker; hakit's checks run as short probes"
#define AUTOPRIO "give vrrp_rt_priority instead: vrrpd then takes real-time priority from the start"
static const struct kc_unsup global_unsup[] = {
	{ "notification_email", EMAIL, true },
	{ "notification_email_from", EMAIL, true },
	{ "smtp_server", EMAIL, true },
	{ "smtp_helo_name", EMAIL, true },
	{ "smtp_connect_timeout", EMAIL, true },
	{ "smtp_alert", EMAIL, true },
	{ "smtp_alert_vrrp", EMAIL, true },
	{ "smtp_alert_checker", EMAIL, true },
	{ "email_faults", EMAIL, true },
	{ "no_email_faults", EMAIL, true },
	{ "log_file", "hakit logs to stderr, which systemd sends to the journal", true },
	{ "log_facility", "hakit logs to stderr, which systemd sends to the journal", true },
	{ "max_auto_priority", AUTOPRIO, true },
	{ "min_auto_priority_delay", AUTOPRIO, true },
	{ "checker_priority", TUNING, true },
	{ "checker_rt_priority", TUNING, true },
	{ "checker_no_swap", TUNING, true },
	{ "checker_rlimit_rttime", TUNING, true },
	{ "enable_snmp_vrrp", "SNMP is not part of hakit", true },
	{ "enable_snmp_checker", "SNMP is not part of hakit", true },
	{ "enable_snmp_rfc", "SNMP is not part of hakit", true },
	{ "enable_traps", "SNMP is not part of hakit", true },
	{ "enable_dbus", "D-Bus is not part of hakit", true },
	{ "vrrp_skip_check_adv_addr", NULL, false },
	{ "vrrp_garp_interval", NULL, false },
	{ "vrrp_gna_interval", NULL, false },
	{ "vrrp_garp_lower_prio_delay", NULL, false },
	{ "vrrp_garp_lower_prio_repeat", NULL, false },
	{ "vrrp_garp_master_refresh_repeat", NULL, false },
	{ "vrrp_garp_extra_if", NULL, false },
	{ "vrrp_lower_prio_no_advert", NULL, false },
	{ "vrrp_higher_prio_send_advert", NULL, false },
	{ "vrrp_check_unicast_src", NULL, false },
	{ "vrrp_down_timer_adverts", NULL, false },
	{ "vrrp_startup_delay", NULL, false },
	{ "vrrp_iptables", "hakit's vrrpd keeps its own nftables table", false },
	{ "vrrp_ipsets", "hakit's vrrpd keeps its own nftables table", false },
	{ "nftables", "hakit's vrrpd keeps its own nftables table", false },
	{ "lvs_flush", "hakit's ipvsctl apply replaces the services it manages", false },
	{ "lvs_flush_on_stop", "use 'hakit run -k' to keep IPVS entries on stop", false },
	{ "lvs_timeouts", "set them with 'ipvsctl timeout'", false },
	{ "lvs_sync_daemon", "start it with 'ipvsctl sync-daemon'", false },
	{ "default_interface", "give each vrrp_instance its interface", false },
	{ "dynamic_interfaces", NULL, false },
	{ "script_security", NULL, false },
	{ "process_names", NULL, true },
	{ "notify_fifo", "use notify scripts", false },
	{ "notify_fifo_script", "use notify scripts", false },
	{ "vrrp_notify_fifo", "use notify scripts", false },
	{ "vrrp_notify_fifo_script", "use notify scripts", false },
	{ "lvs_notify_fifo", "use notify scripts", false },
	{ "lvs_notify_fifo_script", "use notify scripts", false },
	{ NULL, NULL, false },
};

void kc_kw_global_defs(struct kc_ctx *c, struct kc_conf *conf,
		       struct kc_stmt *st, void *obj)
{
	(void)obj;
	if (st->n > 1)
		kc_warn(c, &st->w[1].pos, "global_defs takes no name; '%s' ignored",
			st->w[1].s);
	kc_dispatch(c, conf, st->child, global_kw, global_unsup, "global_defs", NULL);
}

/* ---- vrrp_script and track_file ---------------------------------------- */

/* "weight W [reverse|no_reverse]" from word i on; range +-max.  *out is
 * W, negated for reverse; *rev (if not NULL) says whether it was. */
static int weight_words(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
			long max, long *out, bool *rev)
{
	bool reverse = false;
	int64_t w;

	if (i >= st->n) {
		kc_error(c, &st->w[0].pos, "'weight' needs a value");
		return -1;
	}
	if (kc_arg_int(c, st, i, -max, max, &w) < 0)
		return -1;
	if (i + 1 < st->n) {
		const char *r = st->w[i + 1].s;

		if (strcmp(r, "reverse") == 0)
			reverse = true;
		else if (strcmp(r, "no_reverse") != 0 && strcmp(r, "noreverse") != 0) {
			kc_error(c, &st->w[i + 1].pos, "weight: '%s' is not reverse or no_reverse", r);
			return -1;
		}
		if (i + 2 < st->n) {
			kc_error(c, &st->w[i + 2].pos, "weight: '%s' is one word too many",
				 st->w[i + 2].s);
			return -1;
		}
	}
	*out = reverse ? -(long)w : (long)w;
	if (rev)
		*rev = reverse;
	return 0;
}

static void s_script(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_script *s = obj;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, false);

	(void)conf;
	if (cmd) {
		s->cmd = *cmd;
		s->has_cmd = true;
	}
}

static void s_time(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_script *s = obj;
	bool iv = strcmp(st->w[0].s, "interval") == 0;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 ||
	    kc_arg_secs(c, st, 1, iv ? 10000 : 1000, SECS(86400), &v) < 0)
		return;
	if (iv) {
		s->interval_us = v;
	} else {
		s->timeout_us = v;
		s->has_timeout = true;
	}
}

static void s_weight(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_script *s = obj;
	long w;

	(void)conf;
	if (weight_words(c, st, 1, 253, &w, NULL) == 0)
		s->weight = (int)w;
}

static void s_risefall(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		       void *obj)
{
	struct kc_script *s = obj;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || kc_arg_uint(c, st, 1, 1, 1000, &v) < 0)
		return;
	if (st->w[0].s[0] == 'r')
		s->rise = (int)v;
	else
		s->fall = (int)v;
}

static void s_user(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	(void)conf; (void)obj;
	kc_warn(c, &st->w[0].pos,
		"'user' in vrrp_script: vrrpd runs every script as script_user; ignored");
}

static const struct kc_kw script_kw[] = {
	{ "script", s_script, KC_KW_NOBLOCK },
	{ "interval", s_time, KC_KW_NOBLOCK },
	{ "timeout", s_time, KC_KW_NOBLOCK },
	{ "weight", s_weight, KC_KW_NOBLOCK },
	{ "rise", s_risefall, KC_KW_NOBLOCK },
	{ "fall", s_risefall, KC_KW_NOBLOCK },
	{ "user", s_user, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup script_unsup[] = {
	{ "init_fail", "scripts start as succeeded in hakit", false },
	{ NULL, NULL, false },
};

static bool dup_name(struct kc_ctx *c, const struct kc_stmt *st, const char *kind,
		     const char *name, const struct kc_pos *first)
{
	if (!first)
		return false;
	kc_error(c, &st->w[1].pos, "%s '%s' is defined twice (first at %s:%u:%u)",
		 kind, name, first->file, first->line, first->col);
	return true;
}

void kc_kw_vrrp_script(struct kc_ctx *c, struct kc_conf *conf,
		       struct kc_stmt *st, void *obj)
{
	struct kc_script *s, **tail;
	const char *name;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) < 0 || !(name = kc_arg_name(c, st, 1)))
		return;
	for (tail = &conf->scripts; *tail; tail = &(*tail)->next)
		if (strcmp((*tail)->name, name) == 0 &&
		    dup_name(c, st, "vrrp_script", name, &(*tail)->pos))
			return;
	s = kc_alloc(&c->arena, sizeof(*s));
	s->name = name;
	s->pos = st->w[1].pos;
	s->interval_us = SECS(1);
	s->rise = s->fall = 1;
	kc_dispatch(c, conf, st->child, script_kw, script_unsup,
		    kc_printf(&c->arena, "vrrp_script %s", name), s);
	if (!s->has_cmd) {
		kc_error(c, &st->w[1].pos, "vrrp_script %s has no script", name);
		return;
	}
	*tail = s;
}

static void f_file(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_tfile *f = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	f->path = kc_arg_str(c, st, 1);
	if (f->path && f->path[0] != '/') {
		kc_error(c, &st->w[1].pos, "file: '%s' is not an absolute path", f->path);
		f->path = NULL;
	}
}

static void f_weight(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_tfile *f = obj;

	(void)conf;
	weight_words(c, st, 1, 254, &f->weight, &f->reverse);
}

static const struct kc_kw tfile_kw[] = {
	{ "file", f_file, KC_KW_NOBLOCK },
	{ "weight", f_weight, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup tfile_unsup[] = {
	{ "init_file", "create the file before starting hakit", false },
	{ NULL, NULL, false },
};

void kc_kw_track_file(struct kc_ctx *c, struct kc_conf *conf,
		      struct kc_stmt *st, void *obj)
{
	struct kc_tfile *f, **tail;
	const char *name;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) < 0 || !(name = kc_arg_name(c, st, 1)))
		return;
	if (strcmp(st->w[0].s, "vrrp_track_file") == 0)
		kc_note(c, &st->w[0].pos, "'vrrp_track_file' is the old name of track_file");
	for (tail = &conf->tfiles; *tail; tail = &(*tail)->next)
		if (strcmp((*tail)->name, name) == 0 &&
		    dup_name(c, st, "track_file", name, &(*tail)->pos))
			return;
	f = kc_alloc(&c->arena, sizeof(*f));
	f->name = name;
	f->pos = st->w[1].pos;
	f->weight = 1;
	kc_dispatch(c, conf, st->child, tfile_kw, tfile_unsup,
		    kc_printf(&c->arena, "track_file %s", name), f);
	if (!f->path) {
		kc_error(c, &st->w[1].pos, "track_file %s has no file", name);
		return;
	}
	*tail = f;
}

/* ---- vrrp_instance ----------------------------------------------------- */

static void i_state(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	struct kc_inst *in = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(st->w[1].s, "MASTER") == 0)
		in->state = KC_STATE_MASTER;
	else if (strcmp(st->w[1].s, "BACKUP") == 0)
		in->state = KC_STATE_BACKUP;
	else
		kc_error(c, &st->w[1].pos, "state: '%s' is not MASTER or BACKUP",
			 st->w[1].s);
}

static void i_interface(struct kc_ctx *c, struct kc_conf *conf,
			struct kc_stmt *st, void *obj)
{
	struct kc_inst *in = obj;
	struct hk_err e;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (hk_parse_ifname(st->w[1].s, NULL, &e) < 0) {
		kc_error(c, &st->w[1].pos, "interface: %s", e.msg);
		return;
	}
	in->iface = st->w[1].s;
}

static void i_uint(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;
	const char *k = st->w[0].s;
	uint64_t v;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(k, "virtual_router_id") == 0) {
		if (kc_arg_uint(c, st, 1, 1, 255, &v) == 0)
			in->vrid = (unsigned)v;
	} else if (strcmp(k, "priority") == 0) {
		if (kc_arg_uint(c, st, 1, 1, 255, &v) == 0)
			in->priority = (unsigned)v;
	} else if (strcmp(k, "version") == 0) {
		if (kc_arg_uint(c, st, 1, 2, 3, &v) == 0)
			in->version = (unsigned)v;
	}
}

static void i_advert(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_inst *in = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) == 0 &&
	    kc_arg_secs(c, st, 1, 10000, SECS(255), &in->advert_us) == 0)
		in->advert_pos = st->w[1].pos;
}

static void i_flag(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;
	const char *k = st->w[0].s;
	bool v = true;

	(void)conf;
	if (strcmp(k, "strict_mode") == 0) {
		if (kc_nargs(c, st, 0, 1) < 0 || kc_arg_bool(c, st, 1, &v) < 0)
			return;
		in->strict = v;
		return;
	}
	if (strcmp(k, "use_vmac") == 0) {
		if (kc_nargs(c, st, 0, 1) < 0)
			return;
		if (st->n > 1)
			kc_warn(c, &st->w[1].pos,
				"use_vmac: vrrpd names the macvlan after the VRID; the name '%s' is ignored",
				st->w[1].s);
		in->vmac = true;
		return;
	}
	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	if (strcmp(k, "nopreempt") == 0)
		in->nopreempt = true;
	else if (strcmp(k, "preempt") == 0)
		in->nopreempt = false;
	else if (strcmp(k, "accept") == 0)
		in->accept = 1;
	else if (strcmp(k, "no_accept") == 0)
		in->accept = 0;
}

static void i_preempt_delay(struct kc_ctx *c, struct kc_conf *conf,
			    struct kc_stmt *st, void *obj)
{
	struct kc_inst *in = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) == 0)
		kc_arg_secs(c, st, 1, 0, SECS(1000), &in->preempt_delay_us);
}

static void a_type(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	(void)conf; (void)obj;
	if (kc_nargs(c, st, 1, 1) < 0)
		return;
	if (strcmp(st->w[1].s, "AH") == 0)
		kc_error(c, &st->w[1].pos,
			 "auth_type AH is not supported by hakit (RFC 3768 removed "
			 "authentication; use PASS or none)");
	else if (strcmp(st->w[1].s, "PASS") != 0)
		kc_error(c, &st->w[1].pos, "auth_type: '%s' is not PASS or AH", st->w[1].s);
}

static void a_pass(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;
	const char *p;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) < 0 || !(p = kc_arg_str(c, st, 1)))
		return;
	if (strlen(p) > 8)
		kc_warn(c, &st->w[1].pos,
			"auth_pass: VRRPv2 passwords are 8 bytes; '%.8s...' is cut to 8, as keepalived does",
			p);
	memset(in->auth_pass, 0, sizeof(in->auth_pass));
	strncpy(in->auth_pass, p, 8);
	in->has_auth = true;
}

static const struct kc_kw auth_kw[] = {
	{ "auth_type", a_type, KC_KW_NOBLOCK },
	{ "auth_pass", a_pass, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static void i_auth(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;

	kc_dispatch(c, conf, st->child, auth_kw, NULL, "authentication", obj);
	if (!in->has_auth)
		kc_warn(c, &st->w[0].pos, "authentication without auth_pass; no password is used");
}

/* An address label ("eth0:1"): what the kernel takes, IFNAMSIZ - 1. */
static bool valid_label(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 16 && !strpbrk(s, " \t/");
}

static void vip_item(struct kc_ctx *c, struct kc_inst *in, struct kc_stmt *st)
{
	struct kc_vip *v = kc_alloc(&c->arena, sizeof(*v)), **tail;
	struct hk_err e;

	if (hk_parse_prefix(st->w[0].s, AF_UNSPEC, &v->pfx, &e) < 0) {
		kc_error(c, &st->w[0].pos, "virtual_ipaddress: %s", e.msg);
		return;
	}
	v->pos = st->w[0].pos;
	for (size_t i = 1; i < st->n; i++) {
		const char *k = st->w[i].s;

		if (strcmp(k, "dev") == 0 || strcmp(k, "label") == 0) {
			if (i + 1 >= st->n) {
				kc_error(c, &st->w[i].pos, "virtual_ipaddress: '%s' needs a value", k);
				return;
			}
			if (k[0] == 'd' && hk_parse_ifname(st->w[i + 1].s, NULL, &e) < 0) {
				kc_error(c, &st->w[i + 1].pos, "virtual_ipaddress: dev %s", e.msg);
				return;
			}
			if (k[0] == 'l' && !valid_label(st->w[i + 1].s)) {
				kc_error(c, &st->w[i + 1].pos, "virtual_ipaddress: label '%s' "
					 "must be 1 to 15 characters, no blank or '/'",
					 st->w[i + 1].s);
				return;
			}
			if (k[0] == 'd')
				v->dev = st->w[i + 1].s;
			else
				v->label = st->w[i + 1].s;
			i++;
		} else if (strcmp(k, "brd") == 0 || strcmp(k, "broadcast") == 0 ||
			   strcmp(k, "scope") == 0 || strcmp(k, "preferred_lft") == 0 ||
			   strcmp(k, "track_group") == 0) {
			kc_warn(c, &st->w[i].pos, "virtual_ipaddress: '%s' is not supported by hakit; ignored", k);
			i++;
		} else if (strcmp(k, "noprefixroute") == 0 || strcmp(k, "no_track") == 0 ||
			   strcmp(k, "home") == 0 || strcmp(k, "nodad") == 0 ||
			   strcmp(k, "mngtmpaddr") == 0 || strcmp(k, "autojoin") == 0) {
			kc_warn(c, &st->w[i].pos, "virtual_ipaddress: '%s' is not supported by hakit; ignored", k);
		} else {
			kc_error(c, &st->w[i].pos, "virtual_ipaddress: '%s' is not an option of an address "
				 "(dev, label...)", k);
			return;
		}
	}
	if (st->has_block) {
		kc_error(c, &st->bpos, "virtual_ipaddress: an address takes no block");
		return;
	}
	for (tail = &in->vips; *tail; tail = &(*tail)->next)
		;
	*tail = v;
}

static void i_vips(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	(void)conf;
	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	for (struct kc_stmt *it = st->child; it; it = it->next)
		vip_item(c, obj, it);
}

static void i_usrc(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;

	(void)conf;
	if (kc_nargs(c, st, 1, 1) == 0)
		kc_arg_addr(c, st, 1, AF_UNSPEC, &in->usrc);
}

static void i_peers(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	struct kc_inst *in = obj;
	struct kc_addrl **tail;

	(void)conf;
	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	for (tail = &in->peers; *tail; tail = &(*tail)->next)
		;
	for (struct kc_stmt *it = st->child; it; it = it->next) {
		struct kc_addrl *p = kc_alloc(&c->arena, sizeof(*p));
		struct hk_err e;

		if (hk_parse_addr(it->w[0].s, AF_UNSPEC, &p->a, &e) < 0) {
			kc_error(c, &it->w[0].pos, "unicast_peer: %s", e.msg);
			continue;
		}
		if (it->n > 1)
			kc_warn(c, &it->w[1].pos, "unicast_peer: '%s...' is not supported by hakit; ignored",
				it->w[1].s);
		p->pos = it->w[0].pos;
		*tail = p;
		tail = &p->next;
	}
}

/* Whether IN tracks NAME of KIND already: keepalived keeps the first. */
static bool tracked(const struct kc_inst *in, enum kc_track_kind kind,
		    const char *name)
{
	for (const struct kc_track *t = in->tracks; t; t = t->next)
		if (t->kind == kind && strcmp(t->name, name) == 0)
			return true;
	return false;
}

static void track_list(struct kc_ctx *c, struct kc_inst *in, struct kc_stmt *st,
		       enum kc_track_kind kind)
{
	struct kc_track **tail;

	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	for (tail = &in->tracks; *tail; tail = &(*tail)->next)
		;
	for (struct kc_stmt *it = st->child; it; it = it->next) {
		struct kc_track *t = kc_alloc(&c->arena, sizeof(*t));
		struct hk_err e;

		t->kind = kind;
		t->pos = it->w[0].pos;
		if (kind == KC_TRACK_IF) {
			if (hk_parse_ifname(it->w[0].s, NULL, &e) < 0) {
				kc_error(c, &it->w[0].pos, "track_interface: %s", e.msg);
				continue;
			}
			t->name = it->w[0].s;
		} else if (!(t->name = kc_arg_name(c, it, 0))) {
			continue;
		}
		if (it->n > 1) {
			if (strcmp(it->w[1].s, "weight") != 0) {
				kc_error(c, &it->w[1].pos, "%s: '%s' is not 'weight'",
					 st->w[0].s, it->w[1].s);
				continue;
			}
			if (weight_words(c, it, 2, kind == KC_TRACK_SCRIPT ? 253 : 254,
					 &t->weight, &t->reverse) < 0)
				continue;
			t->has_weight = true;
		}
		if (tracked(in, kind, t->name)) {
			kc_warn(c, &t->pos, "%s: %s already tracks '%s'; this one is "
				"ignored, as keepalived ignores it", st->w[0].s, in->name,
				t->name);
			continue;
		}
		*tail = t;
		tail = &t->next;
	}
}

static void i_track(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		    void *obj)
{
	const char *k = st->w[0].s;

	(void)conf;
	track_list(c, obj, st, strcmp(k, "track_script") == 0 ? KC_TRACK_SCRIPT :
			       strcmp(k, "track_file") == 0 ? KC_TRACK_FILE :
			       KC_TRACK_IF);
}

static void i_notify(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_inst *in = obj;
	const char *k = st->w[0].s;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, true);

	(void)conf;
	if (!cmd)
		return;
	/* The generic hook's own arguments come first, then INSTANCE NAME
	 * STATE PRIORITY, with vrrpd as with keepalived. */
	if (strcmp(k, "notify") == 0) {
		in->notify = cmd;
	} else if (strcmp(k, "notify_master") == 0) {
		in->notify_master = cmd;
	} else if (strcmp(k, "notify_backup") == 0) {
		in->notify_backup = cmd;
	} else if (strcmp(k, "notify_fault") == 0) {
		in->notify_fault = cmd;
	} else {
		in->notify_stop = cmd;
	}
}

static void i_garp(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj)
{
	struct kc_inst *in = obj;
	const char *k = st->w[0].s + strlen("garp_master_");

	(void)conf;
	garp_value(c, st, strcmp(k, "delay") == 0 ? &in->garp_delay :
			  strcmp(k, "repeat") == 0 ? &in->garp_repeat :
			  &in->garp_refresh);
}

static const struct kc_kw inst_kw[] = {
	{ "state", i_state, KC_KW_NOBLOCK },
	{ "interface", i_interface, KC_KW_NOBLOCK },
	{ "virtual_router_id", i_uint, KC_KW_NOBLOCK },
	{ "priority", i_uint, KC_KW_NOBLOCK },
	{ "version", i_uint, KC_KW_NOBLOCK },
	{ "advert_int", i_advert, KC_KW_NOBLOCK },
	{ "nopreempt", i_flag, KC_KW_NOBLOCK },
	{ "preempt", i_flag, KC_KW_NOBLOCK },
	{ "preempt_delay", i_preempt_delay, KC_KW_NOBLOCK },
	{ "accept", i_flag, KC_KW_NOBLOCK },
	{ "no_accept", i_flag, KC_KW_NOBLOCK },
	{ "use_vmac", i_flag, KC_KW_NOBLOCK },
	{ "strict_mode", i_flag, KC_KW_NOBLOCK },
	{ "authentication", i_auth, KC_KW_BLOCK },
	{ "virtual_ipaddress", i_vips, KC_KW_BLOCK },
	{ "unicast_src_ip", i_usrc, KC_KW_NOBLOCK },
	{ "unicast_peer", i_peers, KC_KW_BLOCK },
	{ "track_script", i_track, KC_KW_BLOCK },
	{ "track_file", i_track, KC_KW_BLOCK },
	{ "track_interface", i_track, KC_KW_BLOCK },
	{ "notify", i_notify, KC_KW_NOBLOCK },
	{ "notify_master", i_notify, KC_KW_NOBLOCK },
	{ "notify_backup", i_notify, KC_KW_NOBLOCK },
	{ "notify_fault", i_notify, KC_KW_NOBLOCK },
	{ "notify_stop", i_notify, KC_KW_NOBLOCK },
	{ "garp_master_delay", i_garp, KC_KW_NOBLOCK },
	{ "garp_master_repeat", i_garp, KC_KW_NOBLOCK },
	{ "garp_master_refresh", i_garp, KC_KW_NOBLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup inst_unsup[] = {
	{ "smtp_alert", EMAIL, true },
	{ "debug", "keepalived's debug level; use vrrpd -v", true },
	{ "mcast_src_ip", "vrrpd sends from the interface's primary address "
			  "(or unicast_src_ip)", false },
	{ "virtual_ipaddress_excluded", NULL, false },
	{ "virtual_routes", NULL, false },
	{ "virtual_rules", NULL, false },
	{ "track_process", "process tracking is not supported by hakit", false },
	{ "track_bfd", "BFD is not supported by hakit", false },
	{ "dont_track_primary", NULL, false },
	{ "lvs_sync_daemon_interface", "start it with 'ipvsctl sync-daemon'", false },
	{ "vmac_xmit_base", NULL, false },
	{ "native_ipv6", "an instance with IPv6 addresses is IPv6", false },
	{ "garp_lower_prio_delay", NULL, false },
	{ "garp_lower_prio_repeat", NULL, false },
	{ "garp_master_refresh_repeat", NULL, false },
	{ "lower_prio_no_advert", NULL, false },
	{ "higher_prio_send_advert", NULL, false },
	{ "kernel_rx_buf_size", NULL, false },
	{ "notify_master_rx_lower_pri", NULL, false },
	{ "notify_deleted", NULL, false },
	{ "notify_priority_changes", NULL, false },
	{ "down_timer_adverts", NULL, false },
	{ "skip_check_adv_addr", NULL, false },
	{ "check_unicast_src", NULL, false },
	{ "unicast_ttl", NULL, false },
	{ "unicast_fault_no_peer", NULL, false },
	{ "old_unicast_checksum", NULL, false },
	{ NULL, NULL, false },
};

void kc_kw_vrrp_instance(struct kc_ctx *c, struct kc_conf *conf,
			 struct kc_stmt *st, void *obj)
{
	struct kc_inst *in, **tail;
	const char *name;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) < 0 || !(name = kc_arg_name(c, st, 1)))
		return;
	for (tail = &conf->insts; *tail; tail = &(*tail)->next)
		if (strcmp((*tail)->name, name) == 0 &&
		    dup_name(c, st, "vrrp_instance", name, &(*tail)->pos))
			return;
	in = kc_alloc(&c->arena, sizeof(*in));
	in->name = name;
	in->pos = st->w[1].pos;
	in->accept = -1;
	in->garp_delay = in->garp_repeat = in->garp_refresh = -1;
	kc_dispatch(c, conf, st->child, inst_kw, inst_unsup,
		    kc_printf(&c->arena, "vrrp_instance %s", name), in);
	*tail = in;
}

/* ---- vrrp_sync_group ---------------------------------------------------- */

static void sg_group(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		     void *obj)
{
	struct kc_group *g = obj;
	struct kc_member **tail;

	(void)conf;
	if (kc_nargs(c, st, 0, 0) < 0)
		return;
	for (tail = &g->members; *tail; tail = &(*tail)->next)
		;
	for (struct kc_stmt *it = st->child; it; it = it->next) {
		struct kc_member *m = kc_alloc(&c->arena, sizeof(*m));

		if (it->n > 1 || it->has_block) {
			kc_error(c, &it->w[0].pos, "group: one instance name a line ('%s ...')",
				 it->w[0].s);
			continue;
		}
		if (!(m->name = kc_arg_name(c, it, 0)))
			continue;
		m->pos = it->w[0].pos;
		*tail = m;
		tail = &m->next;
	}
}

static void sg_tracking_weight(struct kc_ctx *c, struct kc_conf *conf,
			       struct kc_stmt *st, void *obj)
{
	struct kc_group *g = obj;

	(void)conf;
	if (kc_nargs(c, st, 0, 0) == 0)
		g->tracking_weight = true;
}

/* The group's generic hook: every member's vrrpd is given it as
 * --group-notify, and the group's leader runs it (HOOK GROUP NAME STATE 0),
 * as keepalived runs it once for the group. */
static void sg_notify(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		      void *obj)
{
	struct kc_group *g = obj;
	struct kc_cmd *cmd = kc_arg_cmd(c, st, true);

	(void)conf;
	if (cmd)
		g->notify = cmd;
}

static void sg_unsup_hook(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj)
{
	(void)conf; (void)obj;
	kc_warn(c, &st->w[0].pos,
		"'%s' of a sync group: vrrpd has only the generic group hook "
		"('notify', run as HOOK GROUP NAME STATE 0); use it and switch on "
		"STATE; ignored", st->w[0].s);
}

static const struct kc_kw group_kw[] = {
	{ "group", sg_group, KC_KW_BLOCK },
	{ "sync_group_tracking_weight", sg_tracking_weight, KC_KW_NOBLOCK },
	{ "notify", sg_notify, KC_KW_NOBLOCK },
	{ "notify_master", sg_unsup_hook, 0 },
	{ "notify_backup", sg_unsup_hook, 0 },
	{ "notify_fault", sg_unsup_hook, 0 },
	{ "notify_stop", sg_unsup_hook, 0 },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup group_unsup[] = {
	{ "smtp_alert", EMAIL, true },
	{ "global_tracking", "the members' own tracking applies", false },
	{ "track_script", "track scripts on the member instances", false },
	{ "track_interface", "track interfaces on the member instances", false },
	{ "track_file", "track files on the member instances", false },
	{ "track_process", "process tracking is not supported by hakit", false },
	{ "track_bfd", "BFD is not supported by hakit", false },
	{ NULL, NULL, false },
};

void kc_kw_vrrp_sync_group(struct kc_ctx *c, struct kc_conf *conf,
			   struct kc_stmt *st, void *obj)
{
	struct kc_group *g, **tail;
	const char *name;

	(void)obj;
	if (kc_nargs(c, st, 1, 1) < 0 || !(name = kc_arg_name(c, st, 1)))
		return;
	for (tail = &conf->groups; *tail; tail = &(*tail)->next)
		if (strcmp((*tail)->name, name) == 0 &&
		    dup_name(c, st, "vrrp_sync_group", name, &(*tail)->pos))
			return;
	g = kc_alloc(&c->arena, sizeof(*g));
	g->name = name;
	g->pos = st->w[1].pos;
	kc_dispatch(c, conf, st->child, group_kw, group_unsup,
		    kc_printf(&c->arena, "vrrp_sync_group %s", name), g);
	*tail = g;
}

/* ---- after the whole file: names, defaults, keepalived's adjustments --- */

static void resolve_tracks(struct kc_ctx *c, struct kc_conf *conf,
			   struct kc_inst *in)
{
	struct kc_track **pp = &in->tracks;

	while (*pp) {
		struct kc_track *t = *pp;
		bool ok = true;

		if (t->kind == KC_TRACK_SCRIPT) {
			for (struct kc_script *s = conf->scripts; s; s = s->next)
				if (strcmp(s->name, t->name) == 0)
					t->script = s;
			if (!t->script) {
				kc_error(c, &t->pos, "track_script: there is no vrrp_script '%s'",
					 t->name);
				ok = false;
			} else if (!t->has_weight) {
				t->weight = t->script->weight;
			}
		} else if (t->kind == KC_TRACK_FILE) {
			for (struct kc_tfile *f = conf->tfiles; f; f = f->next)
				if (strcmp(f->name, t->name) == 0)
					t->tfile = f;
			if (!t->tfile) {
				kc_error(c, &t->pos, "track_file: there is no track_file '%s'",
					 t->name);
				ok = false;
			} else if (!t->has_weight) {
				t->weight = t->tfile->weight;
				t->reverse = t->tfile->reverse;
			}
		}
		if (ok && in->group && t->weight) {
			struct kc_group *g = NULL;

			for (g = conf->groups; g; g = g->next)
				if (strcmp(g->name, in->group) == 0)
					break;
			/* keepalived 2.2.7, in a group without
			 * sync_group_tracking_weight: an interface's weight, or
			 * a track_file's weight of 1 (its default; as written,
			 * so "weight 1 reverse" too), becomes 0 (failure =
			 * FAULT); a track_script or track_file of any other
			 * weight is dropped, its failures ignored. */
			long written = t->reverse ? -t->weight : t->weight;

			if (g && !g->tracking_weight &&
			    (t->kind == KC_TRACK_IF ||
			     (t->kind == KC_TRACK_FILE && written == 1))) {
				kc_warn(c, &t->pos,
					"'%s' of %s in sync group %s: keepalived forces weight 0 "
					"(failure = FAULT) unless the group has "
					"sync_group_tracking_weight; so does hakit",
					t->name, in->name, in->group);
				t->weight = 0;
			} else if (g && !g->tracking_weight) {
				kc_warn(c, &t->pos,
					"'%s' of %s in sync group %s has weight %ld: keepalived "
					"ignores it, failures and all, unless the group has "
					"sync_group_tracking_weight; so does hakit (weight 0 "
					"would make a failure move the group)",
					t->name, in->name, in->group, t->weight);
				ok = false;
			}
		}
		if (ok && t->kind == KC_TRACK_FILE) {
			if (t->weight)
				kc_note(c, &t->pos,
					"track_file %s: the number in %s times %ld is added to "
					"%s's priority; a missing or empty file counts as 0 "
					"(healthy), as in keepalived",
					t->name, t->tfile->path, t->weight, in->name);
			else
				kc_note(c, &t->pos,
					"track_file %s with weight 0: a non-zero number in %s "
					"means FAULT; a missing or empty file counts as 0 "
					"(healthy), as in keepalived",
					t->name, t->tfile->path);
		}
		if (ok)
			pp = &t->next;
		else
			*pp = t->next;
	}
}

static void finish_groups(struct kc_ctx *c, struct kc_conf *conf)
{
	for (struct kc_group *g = conf->groups; g; g = g->next) {
		unsigned n = 0;

		for (struct kc_member *m = g->members; m; m = m->next) {
			for (struct kc_inst *in = conf->insts; in; in = in->next)
				if (strcmp(in->name, m->name) == 0)
					m->inst = in;
			if (!m->inst) {
				kc_warn(c, &m->pos, "vrrp_sync_group %s: there is no vrrp_instance "
					"'%s'; ignored, as keepalived does", g->name, m->name);
				continue;
			}
			if (m->inst->group) {
				if (strcmp(m->inst->group, g->name) == 0)
					kc_error(c, &m->pos, "vrrp_sync_group %s lists %s twice",
						 g->name, m->name);
				else
					kc_error(c, &m->pos, "vrrp_instance %s is already in "
						 "sync group %s", m->name, m->inst->group);
				continue;
			}
			m->inst->group = g->name;
			n++;
		}
		if (n < 2)
			kc_warn(c, &g->pos, "vrrp_sync_group %s has %u member instance%s; a "
				"sync group needs two to mean anything", g->name, n,
				n == 1 ? "" : "s");
	}
}

/* vrrpd's configuration takes a command as one line, words split on
 * blanks, double quotes grouping, no escapes, '#' possibly a comment. */
static void check_cmd(struct kc_ctx *c, const char *what, const struct kc_cmd *cmd)
{
	const char *v;

	if (!cmd)
		return;
	v = kc_cmd_vrrpd(&c->arena, cmd);
	if (!v || strchr(v, '#'))
		kc_error(c, &cmd->pos, "%s: a word of this command (with a double quote "
			 "or a '#', or empty) cannot be written in vrrpd's configuration; "
			 "use a wrapper script", what);
}

static void finish_inst(struct kc_ctx *c, struct kc_conf *conf, struct kc_inst *in)
{
	bool strict = in->strict || conf->strict;

	check_cmd(c, "notify", in->notify);
	check_cmd(c, "notify_master", in->notify_master);
	check_cmd(c, "notify_backup", in->notify_backup);
	check_cmd(c, "notify_fault", in->notify_fault);
	check_cmd(c, "notify_stop", in->notify_stop);

	in->strict = strict;
	resolve_tracks(c, conf, in);
	if (in->vrid == 0)
		kc_error(c, &in->pos, "vrrp_instance %s has no virtual_router_id", in->name);
	if (!in->iface)
		kc_warn(c, &in->pos,
			"vrrp_instance %s has no interface: vrrpd takes the one with a route "
			"to the first VIP (keepalived takes default_interface, eth0)", in->name);

	/* the address family: the VIPs', which must agree */
	in->family = in->vips ? in->vips->pfx.addr.family : AF_INET;
	for (struct kc_vip *v = in->vips; v; v = v->next)
		if (v->pfx.addr.family != in->family)
			kc_error(c, &v->pos, "vrrp_instance %s mixes IPv4 and IPv6 "
				 "addresses; VRRP carries one family per instance "
				 "(make two instances)", in->name);
	for (struct kc_addrl *p = in->peers; p; p = p->next)
		if (p->a.family != in->family)
			kc_error(c, &p->pos, "unicast_peer is not of the family of %s's "
				 "addresses", in->name);
	if (in->usrc.family && in->usrc.family != in->family)
		kc_error(c, &in->pos, "unicast_src_ip of %s is not of the family of its "
			 "addresses", in->name);

	if (!in->version)
		in->version = in->family == AF_INET6 ? 3 : conf->version ? conf->version : 2;
	else if (in->version == 2 && in->family == AF_INET6)
		kc_error(c, &in->pos, "vrrp_instance %s: IPv6 needs VRRP version 3", in->name);

	if (!in->vips) {
		if (in->version == 3 || strict)
			kc_error(c, &in->pos, "vrrp_instance %s has no virtual_ipaddress", in->name);
		else
			kc_warn(c, &in->pos, "vrrp_instance %s has no virtual_ipaddress", in->name);
	}

	if (!in->advert_us) {
		in->advert_us = HK_USEC_PER_SEC;
	} else if (in->version == 2 && in->advert_us % HK_USEC_PER_SEC) {
		uint64_t r = (in->advert_us + HK_USEC_PER_SEC / 2) / HK_USEC_PER_SEC;

		if (r == 0)
			r = 1;
		kc_warn(c, &in->advert_pos,
			"advert_int: VRRPv2 counts whole seconds; %.2f is rounded to %llu, as "
			"keepalived does (use version 3 for fractions)",
			(double)in->advert_us / 1e6, (unsigned long long)r);
		in->advert_us = r * HK_USEC_PER_SEC;
	} else if (in->version == 3 && (in->advert_us % 10000 || in->advert_us > 40950000)) {
		kc_error(c, &in->advert_pos,
			 "advert_int: VRRPv3 counts centiseconds up to 40.95; '%.6g' is not one",
			 (double)in->advert_us / 1e6);
	}

	/* keepalived: no priority means 255 for state MASTER, else 100; no
	 * state means MASTER for the owner (255), else BACKUP. */
	if (!in->priority)
		in->priority = in->state == KC_STATE_MASTER ? 255 : 100;
	if (in->state == KC_STATE_UNSET)
		in->state = in->priority == 255 ? KC_STATE_MASTER : KC_STATE_BACKUP;
	else if (strict && (in->state == KC_STATE_MASTER) != (in->priority == 255)) {
		kc_warn(c, &in->pos, "vrrp_instance %s: with vrrp_strict, state MASTER "
			"needs priority 255 and the reverse; state set to %s, as keepalived does",
			in->name, in->priority == 255 ? "MASTER" : "BACKUP");
		in->state = in->priority == 255 ? KC_STATE_MASTER : KC_STATE_BACKUP;
	}
	if (in->priority == 255 && in->nopreempt) {
		kc_warn(c, &in->pos, "vrrp_instance %s: nopreempt cannot apply to the "
			"address owner (priority 255); cleared, as keepalived does", in->name);
		in->nopreempt = false;
	}
	if (in->state == KC_STATE_MASTER && in->nopreempt) {
		kc_warn(c, &in->pos, "vrrp_instance %s: nopreempt needs state BACKUP; with "
			"state MASTER keepalived clears it, and so does hakit", in->name);
		in->nopreempt = false;
	}
	if (in->state == KC_STATE_MASTER && in->preempt_delay_us) {
		kc_warn(c, &in->pos, "vrrp_instance %s: preempt_delay needs state BACKUP; "
			"cleared, as keepalived does", in->name);
		in->preempt_delay_us = 0;
	}
	if (in->preempt_delay_us && strict) {
		kc_warn(c, &in->pos, "vrrp_instance %s: vrrp_strict forbids preempt_delay; "
			"cleared, as keepalived does", in->name);
		in->preempt_delay_us = 0;
	}
	if (in->preempt_delay_us && in->nopreempt) {
		kc_warn(c, &in->pos, "vrrp_instance %s: preempt_delay means nothing with "
			"nopreempt; cleared, as keepalived does", in->name);
		in->preempt_delay_us = 0;
	}
	if (strict && in->has_auth) {
		kc_warn(c, &in->pos, "vrrp_instance %s: vrrp_strict forbids authentication; "
			"no password is used, as keepalived does", in->name);
		in->has_auth = false;
	}
	if (strict && in->peers)
		kc_error(c, &in->peers->pos, "vrrp_instance %s: vrrp_strict forbids "
			 "unicast peers", in->name);
	if (in->has_auth && in->version == 3) {
		kc_warn(c, &in->pos, "vrrp_instance %s: VRRPv3 has no authentication; "
			"the password is not used", in->name);
		in->has_auth = false;
	}
	if (in->accept < 0)
		in->accept = !strict;
	if (!in->mcast.family)
		in->mcast = in->family == AF_INET6 ? conf->mcast6 : conf->mcast4;
	if (in->garp_delay < 0)
		in->garp_delay = conf->garp_delay >= 0 ? conf->garp_delay : 5;
	if (in->garp_repeat < 0)
		in->garp_repeat = conf->garp_repeat >= 0 ? conf->garp_repeat : 5;
	if (in->garp_refresh < 0)
		in->garp_refresh = conf->garp_refresh >= 0 ? conf->garp_refresh : 0;
}

void kc_vrrp_finish(struct kc_ctx *c, struct kc_conf *conf)
{
	for (const struct kc_script *s = conf->scripts; s; s = s->next)
		check_cmd(c, "script", &s->cmd);
	for (const struct kc_group *g = conf->groups; g; g = g->next)
		check_cmd(c, "notify", g->notify);
	/* "PATH:WEIGHT" for vrrpd: a ':' in the path would read as the weight */
	for (const struct kc_tfile *t = conf->tfiles; t; t = t->next)
		if (strchr(t->path, ':'))
			kc_error(c, &t->pos, "track_file %s: a ':' in '%s' cannot be passed "
				 "to vrrpd (it separates the weight)", t->name, t->path);
	finish_groups(c, conf);
	for (struct kc_inst *in = conf->insts; in; in = in->next) {
		finish_inst(c, conf, in);
		for (struct kc_inst *o = conf->insts; o != in; o = o->next) {
			if (o->vrid && o->vrid == in->vrid && o->family == in->family &&
			    o->iface && in->iface && strcmp(o->iface, in->iface) == 0)
				kc_error(c, &in->pos, "vrrp_instances %s and %s share "
					 "virtual_router_id %u on %s", o->name, in->name,
					 in->vrid, in->iface);
		}
	}
}
