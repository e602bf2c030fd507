/*
 * The plan: the files each child reads (a vrrpd configuration per
 * instance, its password file, the IPVS desired state, hcheck watch
 * lists) and the plan lines that tell the supervisor what to run and what
 * to do on each health event.  Plan lines are tab-separated fields, none
 * empty ('-' stands for nothing), the last fields of hook and misc lines
 * a command's words; the supervisor reads them with IFS=<tab> read -r and
 * never evaluates them.  The format is documented in kaconf(8).
 */
#include "clock.h"
#include "kc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLAN_VERSION 1

/* ---- names and formats --------------------------------------------------- */

const char *kc_fwd_word(int fwd)
{
	return fwd == KC_FWD_DR ? "dr" : fwd == KC_FWD_TUN ? "tun" : "nat";
}

const char *kc_fwd_flag(int fwd)
{
	return fwd == KC_FWD_DR ? "-g" : fwd == KC_FWD_TUN ? "-i" : "-m";
}

const char *kc_vs_key(struct kc_arena *a, const struct kc_vs *vs)
{
	char buf[HK_ADDRSTRLEN];

	if (vs->is_fwmark)
		return kc_printf(a, "fwmark %u%s", vs->fwmark,
				 vs->family == AF_INET6 ? " inet6" : "");
	return kc_printf(a, "%s %s", vs->proto,
			 hk_addrport_str(&vs->addr, (uint16_t)vs->port, buf));
}

const char *kc_vs_sel(struct kc_arena *a, const struct kc_vs *vs)
{
	char buf[HK_ADDRSTRLEN];
	const char *opt;

	if (vs->is_fwmark)
		return kc_printf(a, "-f %u%s", vs->fwmark,
				 vs->family == AF_INET6 ? " -6" : "");
	opt = strcmp(vs->proto, "udp") == 0 ? "-u" :
	      strcmp(vs->proto, "sctp") == 0 ? "--sctp-service" : "-t";
	return kc_printf(a, "%s %s", opt,
			 hk_addrport_str(&vs->addr, (uint16_t)vs->port, buf));
}

const char *kc_rs_addr(struct kc_arena *a, const struct kc_rs *rs)
{
	char buf[HK_ADDRSTRLEN];

	return kc_strdup(a, hk_addrport_str(&rs->addr, (uint16_t)rs->port, buf));
}

/* Seconds as the shell's sleep and timeout take them: "6", "0.5". */
static const char *secs(struct kc_arena *a, uint64_t us)
{
	char *s;
	size_t n;

	if (us % HK_USEC_PER_SEC == 0)
		return kc_printf(a, "%llu", (unsigned long long)(us / HK_USEC_PER_SEC));
	s = kc_printf(a, "%llu.%06llu", (unsigned long long)(us / HK_USEC_PER_SEC),
		      (unsigned long long)(us % HK_USEC_PER_SEC));
	n = strlen(s);
	while (s[n - 1] == '0')
		s[--n] = '\0';
	return s;
}

/* ---- effective checker settings ----------------------------------------- */

static int64_t pick(int64_t ck, int64_t rs, int64_t vs, int64_t dflt)
{
	return ck >= 0 ? ck : rs >= 0 ? rs : vs >= 0 ? vs : dflt;
}

static uint64_t delay_loop(const struct kc_vs *vs, const struct kc_rs *rs,
			   const struct kc_check *ck)
{
	return (uint64_t)pick(ck->t.delay_loop_us, rs->t.delay_loop_us,
			      vs->t.delay_loop_us, 60 * (int64_t)HK_USEC_PER_SEC);
}

static bool check_alpha(const struct kc_vs *vs, const struct kc_rs *rs,
			const struct kc_check *ck)
{
	return pick(ck->t.alpha, rs->t.alpha, vs->t.alpha, 0) > 0;
}

static bool rs_inhibit(const struct kc_vs *vs, const struct kc_rs *rs)
{
	return rs->inhibit >= 0 ? rs->inhibit : vs->inhibit;
}

static int rs_fwd(const struct kc_vs *vs, const struct kc_rs *rs)
{
	return rs->fwd >= 0 ? rs->fwd : (int)vs->fwd;
}

/* ---- the initial state --------------------------------------------------- */

static const struct kc_carry_rs *carried_rs(struct kc_arena *a,
					    const struct kc_carry *carry,
					    const struct kc_vs *vs,
					    const struct kc_rs *rs)
{
	const char *key;

	if (!carry)
		return NULL;
	key = kc_printf(a, "%s %s", kc_vs_key(a, vs), kc_rs_addr(a, rs));
	for (const struct kc_carry_rs *r = carry->rs; r; r = r->next)
		if (strcmp(r->key, key) == 0)
			return r;
	return NULL;
}

void kc_plan_initial(struct kc_conf *conf, const struct kc_carry *carry)
{
	struct kc_arena tmp = { 0 };
	unsigned nvs = 0, nrs = 0;

	for (struct kc_vs *vs = conf->vss; vs; vs = vs->next) {
		const struct kc_carry_vs *cv = NULL;
		long sum = 0;

		vs->index = ++nvs;
		for (struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
			const struct kc_carry_rs *cr = carried_rs(&tmp, carry, vs, rs);

			rs->index = ++nrs;
			/* keepalived: a real server starts up unless one of its
			 * checkers is in alpha mode (pessimistic start). */
			rs->alive = true;
			for (struct kc_check *ck = rs->checks; ck; ck = ck->next)
				if (check_alpha(vs, rs, ck))
					rs->alive = false;
			if (cr)
				rs->alive = cr->up;
			if (rs->alive)
				sum += rs->weight;
		}
		if (carry) {
			const char *key = kc_vs_key(&tmp, vs);

			for (cv = carry->vs; cv; cv = cv->next)
				if (strcmp(cv->key, key) == 0)
					break;
		}
		if (cv) {
			/* the running quorum state, moved as keepalived's
			 * update_quorum_state() would on the new weights */
			vs->quorum_up_now = cv->up;
			if (!cv->up && sum >= vs->quorum + vs->hysteresis)
				vs->quorum_up_now = true;
			else if (cv->up && (!sum || sum < vs->quorum - vs->hysteresis))
				vs->quorum_up_now = false;
		} else {
			vs->quorum_up_now = sum >= vs->quorum + vs->hysteresis;
		}
		vs->sorry_in = vs->has_sorry && !vs->quorum_up_now;
	}
	kc_arena_free(&tmp);
}

/* ---- the carry file ------------------------------------------------------ */

int kc_carry_read(struct kc_arena *a, const char *path, struct kc_carry *out,
		  char *err, size_t errsz)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	unsigned n = 0;

	memset(out, 0, sizeof(*out));
	if (!f) {
		snprintf(err, errsz, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fld[6], *p = line, *nl = strchr(line, '\n');
		int nf = 0;

		n++;
		if (!nl) {
			snprintf(err, errsz, "%s:%u: line too long or not ended", path, n);
			fclose(f);
			return -1;
		}
		*nl = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		while (nf < 6) {
			fld[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (strcmp(fld[0], "vs") == 0 && nf == 4 &&
		    (strcmp(fld[3], "up") == 0 || strcmp(fld[3], "down") == 0)) {
			struct kc_carry_vs *v = kc_alloc(a, sizeof(*v));

			v->key = kc_printf(a, "%s %s", fld[1], fld[2]);
			v->up = fld[3][0] == 'u';
			v->next = out->vs;
			out->vs = v;
		} else if (strcmp(fld[0], "rs") == 0 && nf == 5 &&
			   (strcmp(fld[4], "up") == 0 || strcmp(fld[4], "down") == 0)) {
			struct kc_carry_rs *r = kc_alloc(a, sizeof(*r));

			r->key = kc_printf(a, "%s %s %s", fld[1], fld[2], fld[3]);
			r->up = fld[4][0] == 'u';
			r->next = out->rs;
			out->rs = r;
		} else {
			snprintf(err, errsz, "%s:%u: not a 'vs' or 'rs' state line", path, n);
			fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		snprintf(err, errsz, "cannot read '%s'", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* ---- writing -------------------------------------------------------------- */

struct out {
	struct kc_ctx *c;
	const struct kc_plan_opts *o;
	FILE *plan;
	int failed;
};

/* Open DIR/name for writing, fresh (so that a secret's mode is ours). */
static FILE *create(struct out *w, const char *name, mode_t mode)
{
	const char *path = kc_printf(&w->c->arena, "%s/%s", w->o->outdir, name);
	int fd;
	FILE *f;

	if (unlink(path) < 0 && errno != ENOENT) {
		hk_warn("cannot replace '%s': %s", path, strerror(errno));
		w->failed = 1;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0 || fchmod(fd, mode) < 0 || !(f = fdopen(fd, "w"))) {
		hk_warn("cannot create '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		w->failed = 1;
		return NULL;
	}
	return f;
}

static void finish_file(struct out *w, FILE *f, const char *name)
{
	if (!f)
		return;
	if (ferror(f) | fclose(f)) {
		hk_warn("cannot write '%s/%s': %s", w->o->outdir, name, strerror(errno));
		w->failed = 1;
	}
}

static const char *ref(struct out *w, const char *name)
{
	return kc_printf(&w->c->arena, "%s/%s", w->o->refdir, name);
}

/* A vrrpd option whose value is a command. */
static void opt_cmd(struct out *w, FILE *f, const char *opt, const struct kc_cmd *cmd)
{
	const char *v;

	if (!cmd)
		return;
	v = kc_cmd_vrrpd(&w->c->arena, cmd);
	if (!v || strchr(v, '#'))
		return;		/* refused by kc_vrrp_finish() already */
	fprintf(f, "%s %s\n", opt, v);
}

static void write_vrrpd(struct out *w, const struct kc_conf *conf,
			const struct kc_inst *in)
{
	struct kc_arena *a = &w->c->arena;
	const char *name = kc_printf(a, "%s.conf", in->name);
	const char *state = kc_printf(a, "%s/vrrp/%s.state", w->o->rundir, in->name);
	char buf[HK_ADDRSTRLEN];
	FILE *f;

	if (in->has_auth) {
		const char *pname = kc_printf(a, "%s.pass", in->name);
		FILE *p = create(w, pname, 0600);

		if (p)
			fputs(in->auth_pass, p);
		finish_file(w, p, pname);
	}
	f = create(w, name, 0644);
	if (!f)
		return;
	fprintf(f, "# vrrp_instance %s of %s:%u, written by kaconf\n", in->name,
		in->pos.file, in->pos.line);
	fprintf(f, "name %s\n", in->name);
	if (in->iface)
		fprintf(f, "interface %s\n", in->iface);
	fprintf(f, "vrid %u\n", in->vrid);
	fprintf(f, "priority %u\n", in->priority);
	fprintf(f, "advert-int %s\n", secs(a, in->advert_us));
	fprintf(f, "version %u\n", in->version);
	fprintf(f, "state %s\n", in->state == KC_STATE_MASTER ? "master" : "backup");
	if (in->nopreempt)
		fprintf(f, "no-preempt\n");
	if (in->preempt_delay_us)
		fprintf(f, "preempt-delay %s\n", secs(a, in->preempt_delay_us));
	if (in->has_auth)
		fprintf(f, "auth-pass-file %s\n", ref(w, kc_printf(a, "%s.pass", in->name)));
	for (const struct kc_vip *v = in->vips; v; v = v->next) {
		fprintf(f, "vip %s/%u", hk_addr_str(&v->pfx.addr, buf), v->pfx.plen);
		if (v->dev)
			fprintf(f, " dev %s", v->dev);
		if (v->label)
			fprintf(f, " label %s", v->label);
		fputc('\n', f);
	}
	if (in->usrc.family)
		fprintf(f, "unicast-src %s\n", hk_addr_str(&in->usrc, buf));
	for (const struct kc_addrl *p = in->peers; p; p = p->next)
		fprintf(f, "unicast-peer %s\n", hk_addr_str(&p->a, buf));
	if (!in->peers)
		fprintf(f, "mcast-group %s\n", hk_addr_str(&in->mcast, buf));
	fprintf(f, "garp-delay %ld\n", in->garp_delay);
	fprintf(f, "garp-repeat %ld\n", in->garp_repeat);
	if (in->garp_refresh)
		fprintf(f, "garp-refresh %ld\n", in->garp_refresh);
	opt_cmd(w, f, "notify", in->notify);
	opt_cmd(w, f, "notify-master", in->notify_master);
	opt_cmd(w, f, "notify-backup", in->notify_backup);
	opt_cmd(w, f, "notify-fault", in->notify_fault);
	opt_cmd(w, f, "notify-stop", in->notify_stop);
	/* spelled out either way: vrrpd's default depends on strict */
	fprintf(f, "%s\n", in->accept ? "accept" : "no-accept");
	if (in->strict)
		fprintf(f, "strict\n");
	if (in->vmac)
		fprintf(f, "vmac\n");
	if (conf->rt_priority) {
		fprintf(f, "rt-priority %d\n", conf->rt_priority);
		if (conf->rlimit_rttime_us)
			fprintf(f, "rlimit-rttime %s\n", secs(a, conf->rlimit_rttime_us));
	}
	if (conf->nice_given)
		fprintf(f, "nice %d\n", conf->nice);
	if (conf->no_swap)
		fprintf(f, "mlock\n");
	if (conf->cpus)
		fprintf(f, "cpu-affinity %s\n", conf->cpus);
	if (in->group) {
		const struct kc_group *g = conf->groups;

		while (g && strcmp(g->name, in->group) != 0)
			g = g->next;
		fprintf(f, "sync-group %s\n", in->group);
		/* the members of this run meet under its run directory, not
		 * with another supervisor's of the same group name */
		fprintf(f, "sync-dir %s/sync\n", w->o->rundir);
		if (g)
			opt_cmd(w, f, "group-notify", g->notify);
	}
	if (conf->script_user)
		fprintf(f, "script-user %s\n", conf->script_user);
	else if (conf->allow_root_scripts)
		fprintf(f, "allow-root-scripts\n");
	for (const struct kc_track *t = in->tracks; t; t = t->next) {
		switch (t->kind) {
		case KC_TRACK_SCRIPT:
			opt_cmd(w, f, "track-script", &t->script->cmd);
			fprintf(f, "track-interval %s\n", secs(a, t->script->interval_us));
			fprintf(f, "track-timeout %s\n",
				secs(a, t->script->has_timeout ? t->script->timeout_us :
				     t->script->interval_us));
			fprintf(f, "track-weight %ld\n", t->weight);
			fprintf(f, "track-rise %d\n", t->script->rise);
			fprintf(f, "track-fall %d\n", t->script->fall);
			break;
		case KC_TRACK_FILE:
			if (t->weight)
				fprintf(f, "track-file %s:%ld\n", t->tfile->path, t->weight);
			else
				fprintf(f, "track-file %s\n", t->tfile->path);
			break;
		case KC_TRACK_IF:
			if (t->weight)
				fprintf(f, "track-interface %s:%ld\n", t->name, t->weight);
			else
				fprintf(f, "track-interface %s\n", t->name);
			break;
		}
	}
	fprintf(f, "state-file %s\n", state);
	fprintf(f, "dump-file %s/vrrp/%s.json\n", w->o->rundir, in->name);
	finish_file(w, f, name);
	fprintf(w->plan, "vrrpd\t%s\t%s\t%s\n", in->name, ref(w, name), state);
}

static void hook(struct out *w, char kind, unsigned idx, const char *ev,
		 const struct kc_cmd *cmd)
{
	if (!cmd)
		return;
	fprintf(w->plan, "hook\t%c%u\t%s", kind, idx, ev);
	for (size_t i = 0; i < cmd->n; i++)
		fprintf(w->plan, "\t%s", cmd->w[i]);
	fputc('\n', w->plan);
}

static void write_ipvs(struct out *w, FILE *f, const struct kc_vs *vs)
{
	struct kc_arena *a = &w->c->arena;
	const char *sel = kc_vs_sel(a, vs);
	char buf[HK_ADDRSTRLEN];

	fprintf(f, "# virtual_server of %s:%u\n", vs->pos.file, vs->pos.line);
	fprintf(f, "-A %s -s %s", sel, vs->sched);
	if (vs->persistence) {
		fprintf(f, " -p %lu", vs->persistence);
		if (vs->granularity.family)
			fprintf(f, " -M %s", hk_addr_str(&vs->granularity, buf));
	}
	if (vs->flags)
		fprintf(f, " -b %s", vs->flags);
	if (vs->ops)
		fprintf(f, " -o");
	if (vs->pe)
		fprintf(f, " --pe %s", vs->pe);
	fputc('\n', f);
	if (vs->has_sorry && (vs->sorry_in || vs->sorry_inhibit))
		fprintf(f, "-a %s -r %s %s -w %d\n", sel,
			hk_addrport_str(&vs->sorry, (uint16_t)vs->sorry_port, buf),
			kc_fwd_flag(vs->sorry_fwd >= 0 ? vs->sorry_fwd : (int)vs->fwd),
			vs->sorry_in ? 1 : 0);
	for (const struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
		bool inh = rs_inhibit(vs, rs);
		long weight;

		/* keepalived: an inhibited server is always in the table, at
		 * weight 0 while down or while the sorry server stands in */
		if (rs->alive && !vs->sorry_in)
			weight = rs->weight;
		else if (inh)
			weight = 0;
		else
			continue;
		fprintf(f, "-a %s -r %s %s -w %ld", sel, kc_rs_addr(a, rs),
			kc_fwd_flag(rs_fwd(vs, rs)), weight);
		if (rs->uthreshold)
			fprintf(f, " -x %ld", rs->uthreshold);
		if (rs->lthreshold)
			fprintf(f, " -y %ld", rs->lthreshold);
		fputc('\n', f);
	}
}

/* One hcheck watch list per (delay_loop, initial state). */
struct watch {
	uint64_t interval_us;
	bool up;
	const char *name;
	FILE *f;
	struct watch *next;
};

static FILE *watch_file(struct out *w, struct watch **list, uint64_t iv, bool up)
{
	struct watch *wl;

	for (wl = *list; wl; wl = wl->next)
		if (wl->interval_us == iv && wl->up == up)
			return wl->f;
	wl = kc_alloc(&w->c->arena, sizeof(*wl));
	wl->interval_us = iv;
	wl->up = up;
	wl->name = kc_printf(&w->c->arena, "watch-%ss-%s.list", secs(&w->c->arena, iv),
			     up ? "up" : "down");
	wl->f = create(w, wl->name, 0644);
	if (!wl->f)
		return NULL;
	fprintf(wl->f, "# hcheck watch list, checks every %ss, starting %s; written by kaconf\n",
		secs(&w->c->arena, iv), up ? "up" : "down");
	wl->next = *list;
	*list = wl;
	return wl->f;
}

static void probe_common(struct out *w, FILE *f, const struct kc_conf *conf,
			 const struct kc_vs *vs, const struct kc_rs *rs,
			 const struct kc_check *ck, unsigned label)
{
	struct kc_arena *a = &w->c->arena;
	char buf[HK_ADDRSTRLEN];
	int64_t to = pick(ck->t.connect_timeout_us, rs->t.connect_timeout_us,
			  vs->t.connect_timeout_us, 5 * (int64_t)HK_USEC_PER_SEC);
	/* keepalived's DNS_CHECK retries 3 times, a delay loop apart. */
	int64_t retry = pick(ck->t.retry, rs->t.retry, vs->t.retry,
			     ck->kind == KC_CHECK_DNS ? 3 : 1);
	int64_t dbr = pick(ck->t.dbr_us, rs->t.dbr_us, vs->t.dbr_us,
			   ck->kind == KC_CHECK_DNS ? (int64_t)delay_loop(vs, rs, ck) :
			   (ck->kind == KC_CHECK_HTTP || ck->kind == KC_CHECK_SSL ? 3 : 1) *
			   (int64_t)HK_USEC_PER_SEC);

	fprintf(f, " --timeout %s --retry %lld --delay-before-retry %s",
		secs(a, (uint64_t)to), (long long)retry, secs(a, (uint64_t)dbr));
	if (ck->bindto.family)
		fprintf(f, " --bind %s", hk_addr_str(&ck->bindto, buf));
	if (ck->fwmark)
		fprintf(f, " --fwmark %u", ck->fwmark);
	if (ck->kind == KC_CHECK_SSL && conf->ssl_ca)
		fprintf(f, " --ca %s", kc_hcheck_word(a, conf->ssl_ca));
	fprintf(f, " --name c%u\n", label);
}

static void write_checks(struct out *w, const struct kc_conf *conf,
			 const struct kc_vs *vs, const struct kc_rs *rs,
			 unsigned *label, struct watch **watches)
{
	struct kc_arena *a = &w->c->arena;
	char buf[HK_ADDRSTRLEN];

	for (const struct kc_check *ck = rs->checks; ck; ck = ck->next) {
		uint64_t iv = delay_loop(vs, rs, ck);
		const struct hk_addr *ip = ck->connect_ip.family ? &ck->connect_ip : &rs->addr;
		unsigned port = ck->connect_port ? ck->connect_port : rs->port;
		const char *target = kc_strdup(a, hk_addrport_str(ip, (uint16_t)port, buf));
		bool up = rs->alive;

		if (ck->kind == KC_CHECK_MISC) {
			int64_t retry = pick(ck->t.retry, rs->t.retry, vs->t.retry, 0);
			int64_t dbr = pick(ck->t.dbr_us, rs->t.dbr_us, vs->t.dbr_us,
					   (int64_t)HK_USEC_PER_SEC);

			++*label;
			fprintf(w->plan, "check\tc%u\tr%u\tMISC_CHECK %s\t%s\n", *label,
				rs->index, ck->misc.w[0], up ? "up" : "down");
			fprintf(w->plan, "misc\tc%u\t%s\t%s\t%lld\t%s\t%d\t%s", *label,
				secs(a, iv), secs(a, ck->misc_timeout_us ? ck->misc_timeout_us : iv),
				(long long)retry, secs(a, (uint64_t)dbr), ck->misc_dynamic,
				up ? "up" : "down");
			for (size_t i = 0; i < ck->misc.n; i++)
				fprintf(w->plan, "\t%s", ck->misc.w[i]);
			fputc('\n', w->plan);
			continue;
		}
		if (ck->kind == KC_CHECK_PING) {
			FILE *f = watch_file(w, watches, iv, up);

			hk_addr_str(ip, buf);
			++*label;
			fprintf(w->plan, "check\tc%u\tr%u\tPING_CHECK %s\t%s\n", *label,
				rs->index, buf, up ? "up" : "down");
			if (!f)
				continue;
			fprintf(f, "ping %s", buf);
			probe_common(w, f, conf, vs, rs, ck, *label);
			continue;
		}
		if (ck->kind == KC_CHECK_DNS) {
			FILE *f = watch_file(w, watches, iv, up);

			++*label;
			fprintf(w->plan, "check\tc%u\tr%u\tDNS_CHECK %s %s %s\t%s\n", *label,
				rs->index, target, ck->dns_type ? ck->dns_type : "SOA",
				ck->dns_name ? ck->dns_name : ".", up ? "up" : "down");
			if (!f)
				continue;
			fprintf(f, "dns %s --dns-type %s --dns-name %s", target,
				ck->dns_type ? ck->dns_type : "SOA",
				kc_hcheck_word(a, ck->dns_name ? ck->dns_name : "."));
			probe_common(w, f, conf, vs, rs, ck, *label);
			continue;
		}
		if (ck->kind == KC_CHECK_TCP || ck->kind == KC_CHECK_UDP ||
		    ck->kind == KC_CHECK_SMTP) {
			FILE *f = watch_file(w, watches, iv, up);
			bool udp = ck->kind == KC_CHECK_UDP;
			bool smtp = ck->kind == KC_CHECK_SMTP;

			++*label;
			fprintf(w->plan, "check\tc%u\tr%u\t%s %s\t%s\n", *label, rs->index,
				udp ? "UDP_CHECK" : smtp ? "SMTP_CHECK" : "TCP_CHECK", target,
				up ? "up" : "down");
			if (!f)
				continue;
			fprintf(f, "%s %s", udp ? "udp" : smtp ? "smtp" : "tcp", target);
			if (smtp && ck->helo)
				fprintf(f, " --helo %s", kc_hcheck_word(a, ck->helo));
			if (udp && ck->udp_payload)
				fprintf(f, " --payload %s", ck->udp_payload);
			if (udp && ck->udp_reply)
				fprintf(f, " --reply %s --min-reply-length %u --max-reply-length %u",
					ck->udp_reply, ck->udp_min, ck->udp_max);
			else if (udp && ck->udp_require)
				fputs(" --require-reply", f);
			probe_common(w, f, conf, vs, rs, ck, *label);
			continue;
		}
		for (const struct kc_url *u = ck->urls; u; u = u->next) {
			FILE *f = watch_file(w, watches, iv, up);
			const char *vh = u->vhost ? u->vhost : ck->vhost ? ck->vhost :
					 rs->vhost ? rs->vhost : vs->vhost;

			++*label;
			fprintf(w->plan, "check\tc%u\tr%u\t%s %s%s\t%s\n", *label, rs->index,
				ck->kind == KC_CHECK_SSL ? "SSL_GET" : "HTTP_GET", target,
				u->path, up ? "up" : "down");
			if (!f)
				continue;
			fprintf(f, "%s %s %s", ck->kind == KC_CHECK_SSL ? "https" : "http",
				target, kc_hcheck_word(a, u->path));
			if (u->status)
				fprintf(f, " --status %s", u->status);
			if (u->digest)
				fprintf(f, " --digest %s", u->digest);
			if (vh)
				fprintf(f, " --vhost %s", kc_hcheck_word(a, vh));
			if (ck->sni && vh)
				fprintf(f, " --sni %s", kc_hcheck_word(a, vh));
			if (u->regex)
				fprintf(f, " --regex %s", kc_hcheck_word(a, u->regex));
			if (ck->http_proto)
				fprintf(f, " --http %s", ck->http_proto);
			probe_common(w, f, conf, vs, rs, ck, *label);
		}
	}
}

int kc_plan_write(struct kc_ctx *c, struct kc_conf *conf,
		  const struct kc_plan_opts *o, FILE *out)
{
	struct out w = { .c = c, .o = o, .plan = out };
	struct kc_arena *a = &c->arena;
	struct watch *watches = NULL;
	unsigned label = 0;
	fprintf(out, "plan\t%d\n", PLAN_VERSION);
	fprintf(out, "source\t%s\n", o->source);
	if (conf->script_user)
		fprintf(out, "script_user\t%s\t%s\n", conf->script_user,
			conf->script_group ? conf->script_group : "-");
	for (const struct kc_inst *in = conf->insts; in; in = in->next)
		write_vrrpd(&w, conf, in);
	for (const struct kc_group *g = conf->groups; g; g = g->next) {
		unsigned n = 0;

		for (const struct kc_member *m = g->members; m; m = m->next)
			n += m->inst != NULL && strcmp(m->inst->group, g->name) == 0;
		if (n == 0)
			continue;
		fprintf(out, "group\t%s", g->name);
		for (const struct kc_member *m = g->members; m; m = m->next)
			if (m->inst && strcmp(m->inst->group, g->name) == 0)
				fprintf(out, "\t%s", m->name);
		fputc('\n', out);
	}
	if (conf->vss) {
		FILE *f = create(&w, "ipvs.rules", 0644);

		if (f) {
			fprintf(f, "# IPVS desired state (ipvsadm -S format), written by kaconf\n");
			for (const struct kc_vs *vs = conf->vss; vs; vs = vs->next)
				write_ipvs(&w, f, vs);
			finish_file(&w, f, "ipvs.rules");
			fprintf(out, "ipvs\t%s\n", ref(&w, "ipvs.rules"));
		}
	}
	for (const struct kc_vs *vs = conf->vss; vs; vs = vs->next) {
		const char *key = kc_vs_key(a, vs);
		const char *sp = strchr(key, ' ');
		char buf[HK_ADDRSTRLEN];

		fprintf(out, "vs\tv%u\t%.*s\t%s\t%ld\t%ld\t%s\t", vs->index,
			(int)(sp - key), key, sp + 1, vs->quorum, vs->hysteresis,
			vs->quorum_up_now ? "up" : "down");
		if (vs->has_sorry)
			fprintf(out, "%s\t%s\t%d\t%d",
				hk_addrport_str(&vs->sorry, (uint16_t)vs->sorry_port, buf),
				kc_fwd_word(vs->sorry_fwd >= 0 ? vs->sorry_fwd : (int)vs->fwd),
				vs->sorry_inhibit, vs->sorry_in);
		else
			fprintf(out, "-\t-\t0\t0");
		fprintf(out, "\t%d\n", vs->omega);
		hook(&w, 'v', vs->index, "up", vs->quorum_up);
		hook(&w, 'v', vs->index, "down", vs->quorum_down);
		for (const struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
			bool inh = rs_inhibit(vs, rs);
			bool set = (rs->alive && !vs->sorry_in) || inh;

			fprintf(out, "rs\tr%u\tv%u\t%s\t%ld\t%s\t%d\t%d\t%d\n", rs->index,
				vs->index, kc_rs_addr(a, rs), rs->weight,
				kc_fwd_word(rs_fwd(vs, rs)), inh, rs->alive, set);
			hook(&w, 'r', rs->index, "up", rs->notify_up);
			hook(&w, 'r', rs->index, "down", rs->notify_down);
			write_checks(&w, conf, vs, rs, &label, &watches);
		}
	}
	for (struct watch *wl = watches; wl; wl = wl->next) {
		finish_file(&w, wl->f, wl->name);
		fprintf(out, "watch\t%s\t%s\t%s\n", ref(&w, wl->name),
			secs(a, wl->interval_us), wl->up ? "up" : "down");
	}
	return w.failed ? -1 : 0;
}
