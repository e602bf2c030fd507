/*
 * From statements to the model: keyword dispatch with the diagnostics an
 * operator needs (unknown keywords with a guess at what was meant, values
 * out of range with the range), and the argument parsers every keyword
 * handler shares.
 */
#include "kc.h"
#include "parse.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Levenshtein distance, capped: only small distances matter. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0], cur;

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);

			cur = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *guess(struct kc_ctx *c, const struct kc_stmt *st,
			 const struct kc_kw *kw)
{
	const char *w0 = st->w[0].s, *best = NULL;
	unsigned bestd = 3;

	/* "unicast src_ip": two words that make a keyword when joined */
	if (st->n >= 2) {
		const char *joined = kc_printf(&c->arena, "%s_%s", w0, st->w[1].s);

		for (const struct kc_kw *k = kw; k->name; k++)
			if (strcmp(k->name, joined) == 0)
				return k->name;
	}
	if (strlen(w0) < 4)
		return NULL;
	for (const struct kc_kw *k = kw; k->name; k++) {
		unsigned d = edit_distance(w0, k->name);

		if (d < bestd) {
			bestd = d;
			best = k->name;
		}
	}
	return best;
}

void kc_dispatch(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *list,
		 const struct kc_kw *kw, const struct kc_unsup *unsup,
		 const char *what, void *obj)
{
	for (struct kc_stmt *st = list; st; st = st->next) {
		const char *name = st->w[0].s;
		const struct kc_kw *k = NULL;
		const char *g;

		if (!st->w[0].quoted)
			for (const struct kc_kw *p = kw; p->name; p++)
				if (strcmp(p->name, name) == 0) {
					k = p;
					break;
				}
		if (k) {
			if ((k->flags & KC_KW_BLOCK) && !st->has_block) {
				kc_error(c, &st->w[0].pos, "'%s' needs a block: %s ... { ... }",
					 name, name);
				continue;
			}
			if ((k->flags & KC_KW_NOBLOCK) && st->has_block) {
				kc_error(c, &st->bpos, "'%s' takes no block", name);
				continue;
			}
			k->fn(c, conf, st, obj);
			continue;
		}
		for (const struct kc_unsup *u = unsup; u && u->name; u++) {
			if (strcmp(u->name, name) != 0)
				continue;
			if (u->note)
				kc_note(c, &st->w[0].pos, "'%s' in %s: %s; ignored", name,
					what, u->why);
			else
				kc_warn(c, &st->w[0].pos, "'%s' in %s: %s; ignored", name,
					what, u->why ? u->why : "not supported by hakit");
			goto next;
		}
		g = guess(c, st, kw);
		kc_warn(c, &st->w[0].pos, "unknown keyword '%s' in %s; %s ignored%s%s%s",
			name, what, st->has_block ? "it and its block are" : "the line is",
			g ? " (did you mean '" : "", g ? g : "", g ? "'?)" : "");
next:;
	}
}

int kc_nargs(struct kc_ctx *c, const struct kc_stmt *st, size_t min, size_t max)
{
	size_t n = st->n - 1;

	if (n >= min && n <= max)
		return 0;
	if (n > max) {
		if (max == 0)
			kc_error(c, &st->w[1].pos, "'%s' takes no value", st->w[0].s);
		else
			kc_error(c, &st->w[max + 1].pos, "'%s' takes %s%zu value%s; '%s' is one too many",
				 st->w[0].s, min == max ? "" : "at most ", max,
				 max == 1 ? "" : "s", st->w[max + 1].s);
	} else {
		kc_error(c, &st->w[0].pos, "'%s' needs %s%zu value%s", st->w[0].s,
			 min == max ? "" : "at least ", min, min == 1 ? "" : "s");
	}
	return -1;
}

static int fail(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		const struct hk_err *e)
{
	kc_error(c, &st->w[i].pos, "%s: %s", st->w[0].s, e->msg);
	return -1;
}

int kc_arg_uint(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		uint64_t min, uint64_t max, uint64_t *out)
{
	struct hk_err e;

	if (hk_parse_uint(st->w[i].s, min, max, out, &e) < 0)
		return fail(c, st, i, &e);
	return 0;
}

int kc_arg_int(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
	       int64_t min, int64_t max, int64_t *out)
{
	struct hk_err e;

	if (hk_parse_int(st->w[i].s, min, max, out, &e) < 0)
		return fail(c, st, i, &e);
	return 0;
}

int kc_arg_secs(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		uint64_t min_us, uint64_t max_us, uint64_t *out)
{
	struct hk_err e;

	if (hk_parse_secs(st->w[i].s, min_us, max_us, out, &e) < 0)
		return fail(c, st, i, &e);
	return 0;
}

int kc_arg_addr(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		int family, struct hk_addr *out)
{
	struct hk_err e;

	if (hk_parse_addr(st->w[i].s, family, out, &e) < 0)
		return fail(c, st, i, &e);
	return 0;
}

int kc_arg_bool(struct kc_ctx *c, const struct kc_stmt *st, size_t i, bool *out)
{
	static const char *yes[] = { "on", "true", "yes", "1", NULL };
	static const char *no[] = { "off", "false", "no", "0", NULL };

	if (i >= st->n) {
		*out = true;
		return 0;
	}
	for (int k = 0; yes[k]; k++)
		if (strcasecmp(st->w[i].s, yes[k]) == 0) {
			*out = true;
			return 0;
		}
	for (int k = 0; no[k]; k++)
		if (strcasecmp(st->w[i].s, no[k]) == 0) {
			*out = false;
			return 0;
		}
	kc_error(c, &st->w[i].pos, "%s: '%s' is not a boolean (on/off, true/false, yes/no)",
		 st->w[0].s, st->w[i].s);
	return -1;
}

const char *kc_arg_str(struct kc_ctx *c, const struct kc_stmt *st, size_t i)
{
	const char *s = st->w[i].s;
	char *out, *p;

	for (const char *q = s; *q; q++) {
		if ((unsigned char)*q < 0x20 || *q == 0x7f) {
			kc_error(c, &st->w[i].pos, "%s: a control character in '%s'",
				 st->w[0].s, s);
			return NULL;
		}
	}
	if (!st->w[i].quoted)
		return s;
	out = p = kc_alloc(&c->arena, strlen(s) + 1);
	for (; *s; s++) {
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		*p++ = *s;
	}
	*p = '\0';
	return out;
}

const char *kc_arg_name(struct kc_ctx *c, const struct kc_stmt *st, size_t i)
{
	const char *s = st->w[i].s;
	size_t len = strlen(s);

	if (len == 0 || len > 64 || s[0] == '.' || s[0] == '-' ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789_.-+@:") != len) {
		kc_error(c, &st->w[i].pos,
			 "%s: name '%s' must be 1 to 64 letters, digits or _.-+@: "
			 "(it names files and log lines)", st->w[0].s, s);
		return NULL;
	}
	return s;
}

struct kc_cmd *kc_arg_cmd(struct kc_ctx *c, const struct kc_stmt *st,
			  bool user_group)
{
	struct kc_cmd *cmd;
	const char *s;
	char err[256];

	if (st->n < 2) {
		kc_error(c, &st->w[0].pos, "'%s' needs a command", st->w[0].s);
		return NULL;
	}
	/* keepalived unescapes \" in the quoted string, then splits it:
	 * "/x \"a b\"" runs /x with the one argument 'a b'. */
	if (!(s = kc_arg_str(c, st, 1)))
		return NULL;
	cmd = kc_alloc(&c->arena, sizeof(*cmd));
	if (kc_cmd_split(&c->arena, s, cmd, err, sizeof(err)) < 0) {
		kc_error(c, &st->w[1].pos, "%s: %s", st->w[0].s, err);
		return NULL;
	}
	cmd->pos = st->w[1].pos;
	if (st->n > 2) {
		if (user_group)
			kc_warn(c, &st->w[2].pos,
				"%s: keepalived takes '%s' as the user to run '%s' as, not as "
				"an argument; hakit runs scripts as script_user, so it is "
				"ignored (quote the whole command to pass arguments)",
				st->w[0].s, st->w[2].s, cmd->w[0]);
		else
			kc_warn(c, &st->w[2].pos,
				"%s: keepalived runs only '%s' and drops '%s'...; so does "
				"hakit (quote the whole command to pass arguments)",
				st->w[0].s, cmd->w[0], st->w[2].s);
	}
	return cmd;
}

/* ---- enable_script_security ------------------------------------------- */

/*
 * keepalived's rule: every component of the script's resolved path must be
 * owned by root and writable by no one else (a group other than root's
 * with write permission, or the world's; sticky directories such as /tmp
 * excepted).  Returns NULL if the script may run, else why not.
 */
static const char *insecure(struct kc_arena *a, const char *path)
{
	char *real = realpath(path, NULL), *p;
	const char *why = NULL;

	if (!real)
		return NULL;	/* missing: secure_cmd() says so */
	for (p = real;; p++) {
		if (*p == '/' || *p == '\0') {
			char sav = *p;
			struct stat st;

			*p = '\0';
			if (stat(p == real ? "/" : real, &st) < 0) {
				why = kc_printf(a, "'%s' cannot be read (%s)", p == real ? "/" : real,
						strerror(errno));
			} else if (st.st_uid != 0) {
				why = kc_printf(a, "'%s' is owned by uid %u, not root",
						p == real ? "/" : real, (unsigned)st.st_uid);
			} else if ((!S_ISDIR(st.st_mode) || !(st.st_mode & S_ISVTX)) &&
				   ((st.st_gid != 0 && (st.st_mode & S_IWGRP)) ||
				    (st.st_mode & S_IWOTH))) {
				why = kc_printf(a, "'%s' is writable by %s",
						p == real ? "/" : real,
						st.st_mode & S_IWOTH ? "everyone" : "its group");
			}
			*p = sav;
			if (why || sav == '\0')
				break;
		}
	}
	free(real);
	return why;
}

static void secure_cmd(struct kc_ctx *c, const struct kc_cmd *cmd)
{
	const char *why;

	/* a bare name is looked up in PATH when it runs: not checked here */
	if (!cmd || !strchr(cmd->w[0], '/'))
		return;
	if (access(cmd->w[0], F_OK) < 0)
		kc_warn(c, &cmd->pos, "enable_script_security: '%s' cannot be found here "
			"(%s); keepalived disables a script it cannot find", cmd->w[0],
			strerror(errno));
	else if ((why = insecure(&c->arena, cmd->w[0])))
		kc_error(c, &cmd->pos, "enable_script_security: '%s' may not run: %s "
			 "(keepalived disables such scripts)", cmd->w[0], why);
}

/* ---- notify scripts that are not there ------------------------------- */

/*
 * 0 if prog can be executed here: a path as it is, a bare name as execvp
 * finds it in PATH (vrrpd and hakit's hooks run them so); else an errno.
 */
static int cannot_exec(const char *prog)
{
	const char *path = getenv("PATH"), *d, *e;
	char buf[PATH_MAX];
	int err = ENOENT;

	if (strchr(prog, '/'))
		return access(prog, X_OK) < 0 ? errno : 0;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (d = path;; d = e + 1) {
		int dl;

		e = strchr(d, ':');
		if (!e)
			e = d + strlen(d);
		dl = (int)(e - d);
		if (snprintf(buf, sizeof(buf), "%.*s/%s", dl ? dl : 1, dl ? d : ".", prog) <
		    (int)sizeof(buf)) {
			if (access(buf, X_OK) == 0)
				return 0;
			if (errno != ENOENT)
				err = errno;
		}
		if (!*e)
			return err;
	}
}

/*
 * keepalived disables a notify script it cannot find or execute, whatever
 * enable_script_security says, and runs on without it; vrrpd would refuse
 * to start with it.  So it is left out, with a warning.
 */
static void drop_missing(struct kc_ctx *c, const char *kw, struct kc_cmd **cmd)
{
	int err;

	if (!*cmd || !(err = cannot_exec((*cmd)->w[0])))
		return;
	kc_warn(c, &(*cmd)->pos, "%s: '%s' cannot be run here (%s): left out, as keepalived "
		"disables it", kw, (*cmd)->w[0], strerror(err));
	*cmd = NULL;
}

static void drop_missing_notify(struct kc_ctx *c, struct kc_conf *conf)
{
	for (struct kc_group *g = conf->groups; g; g = g->next)
		drop_missing(c, "notify", &g->notify);
	for (struct kc_inst *in = conf->insts; in; in = in->next) {
		drop_missing(c, "notify", &in->notify);
		drop_missing(c, "notify_master", &in->notify_master);
		drop_missing(c, "notify_backup", &in->notify_backup);
		drop_missing(c, "notify_fault", &in->notify_fault);
		drop_missing(c, "notify_stop", &in->notify_stop);
	}
	for (struct kc_vs *vs = conf->vss; vs; vs = vs->next) {
		drop_missing(c, "quorum_up", &vs->quorum_up);
		drop_missing(c, "quorum_down", &vs->quorum_down);
		for (struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
			drop_missing(c, "notify_up", &rs->notify_up);
			drop_missing(c, "notify_down", &rs->notify_down);
		}
	}
}

static void check_security(struct kc_ctx *c, const struct kc_conf *conf)
{
	for (const struct kc_script *s = conf->scripts; s; s = s->next)
		secure_cmd(c, &s->cmd);
	for (const struct kc_group *g = conf->groups; g; g = g->next)
		secure_cmd(c, g->notify);
	for (const struct kc_inst *in = conf->insts; in; in = in->next) {
		secure_cmd(c, in->notify);
		secure_cmd(c, in->notify_master);
		secure_cmd(c, in->notify_backup);
		secure_cmd(c, in->notify_fault);
		secure_cmd(c, in->notify_stop);
	}
	for (const struct kc_vs *vs = conf->vss; vs; vs = vs->next) {
		secure_cmd(c, vs->quorum_up);
		secure_cmd(c, vs->quorum_down);
		for (const struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
			secure_cmd(c, rs->notify_up);
			secure_cmd(c, rs->notify_down);
			for (const struct kc_check *ck = rs->checks; ck; ck = ck->next)
				if (ck->has_misc)
					secure_cmd(c, &ck->misc);
		}
	}
}

/* ---- whom scripts run as ------------------------------------------------ */

/* The first script hakit will run (a tracked vrrp_script, a notify or
 * quorum script, a MISC_CHECK), or NULL if there is none. */
static const struct kc_cmd *first_script(const struct kc_conf *conf)
{
	for (const struct kc_inst *in = conf->insts; in; in = in->next) {
		const struct kc_cmd *hooks[] = { in->notify, in->notify_master,
						 in->notify_backup, in->notify_fault,
						 in->notify_stop };

		for (const struct kc_track *t = in->tracks; t; t = t->next)
			if (t->kind == KC_TRACK_SCRIPT)
				return &t->script->cmd;
		for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
			if (hooks[i])
				return hooks[i];
	}
	for (const struct kc_group *g = conf->groups; g; g = g->next)
		if (g->notify)
			return g->notify;
	for (const struct kc_vs *vs = conf->vss; vs; vs = vs->next) {
		if (vs->quorum_up || vs->quorum_down)
			return vs->quorum_up ? vs->quorum_up : vs->quorum_down;
		for (const struct kc_rs *rs = vs->rs; rs; rs = rs->next) {
			if (rs->notify_up || rs->notify_down)
				return rs->notify_up ? rs->notify_up : rs->notify_down;
			for (const struct kc_check *ck = rs->checks; ck; ck = ck->next)
				if (ck->has_misc)
					return &ck->misc;
		}
	}
	return NULL;
}

static bool user_exists(const struct kc_ctx *c, const char *name)
{
	return c->user_exists ? c->user_exists(name) : getpwnam(name) != NULL;
}

static bool group_exists(const struct kc_ctx *c, const char *name)
{
	return c->group_exists ? c->group_exists(name) : getgrnam(name) != NULL;
}

#define KC_DEFAULT_USER "keepalived_script"
#define KC_HAKIT_USER "hakit_script"

/*
 * keepalived 2.2.7 runs scripts as script_user; without it, as the user
 * keepalived_script if it exists, else as root (it warns, and with
 * enable_script_security disables every script instead).  vrrpd runs
 * them as --script-user, else hakit_script if it exists, and as root only
 * with --allow-root-scripts.  The choice is made here, where kaconf runs
 * (the supervisor runs it on the host, at start and on each reload), and
 * written out: script-user for vrrpd and the plan, or allow-root-scripts.
 */
static void resolve_script_user(struct kc_ctx *c, struct kc_conf *conf)
{
	const struct kc_cmd *first = first_script(conf);

	if (conf->script_user) {
		const char *what = NULL, *name = NULL;

		if (!user_exists(c, conf->script_user))
			what = "user", name = conf->script_user;
		else if (conf->script_group && !group_exists(c, conf->script_group))
			what = "group", name = conf->script_group;
		if (!what)
			return;
		if (first)
			kc_error(c, &conf->script_user_pos, "script_user: there is no %s '%s' "
				 "here; keepalived would run no script ('%s' and the others), "
				 "and vrrpd would not start", what, name, first->w[0]);
		else
			kc_warn(c, &conf->script_user_pos, "script_user: there is no %s '%s' "
				"here (no script runs, so nothing uses it)", what, name);
		return;
	}
	if (!first)
		return;
	if (user_exists(c, KC_DEFAULT_USER)) {
		conf->script_user = KC_DEFAULT_USER;
		kc_note(c, &first->pos, "no script_user: '%s' and the other scripts run "
			"as %s, as keepalived runs them", first->w[0], KC_DEFAULT_USER);
	} else if (user_exists(c, KC_HAKIT_USER)) {
		conf->script_user = KC_HAKIT_USER;
		kc_warn(c, &first->pos, "no script_user and no user %s here: keepalived "
			"would run '%s' and the other scripts as root; they run as %s, the "
			"user made for hakit's scripts (set 'script_user root' for keepalived's "
			"behaviour)", KC_DEFAULT_USER, first->w[0], KC_HAKIT_USER);
	} else if (conf->script_security) {
		kc_error(c, &first->pos, "enable_script_security without script_user: "
			 "keepalived runs scripts as %s, which does not exist here, so it "
			 "disables every script ('%s' and the others); set script_user or "
			 "create the user", KC_DEFAULT_USER, first->w[0]);
	} else {
		conf->allow_root_scripts = true;
		kc_warn(c, &first->pos, "no script_user and no user %s here: '%s' and the "
			"other scripts run as root, as keepalived runs them (vrrpd is told "
			"allow-root-scripts); set script_user, or create the user %s",
			KC_DEFAULT_USER, first->w[0], KC_DEFAULT_USER);
	}
}

/* ---- the top level ---------------------------------------------------- */

static const struct kc_kw top_kw[] = {
	{ "global_defs", kc_kw_global_defs, KC_KW_BLOCK },
	{ "vrrp_script", kc_kw_vrrp_script, KC_KW_BLOCK },
	{ "track_file", kc_kw_track_file, KC_KW_BLOCK },
	{ "vrrp_track_file", kc_kw_track_file, KC_KW_BLOCK },
	{ "vrrp_instance", kc_kw_vrrp_instance, KC_KW_BLOCK },
	{ "vrrp_sync_group", kc_kw_vrrp_sync_group, KC_KW_BLOCK },
	{ "virtual_server", kc_kw_virtual_server, KC_KW_BLOCK },
	{ "SSL", kc_kw_ssl, KC_KW_BLOCK },
	{ NULL, NULL, 0 },
};

static const struct kc_unsup top_unsup[] = {
	{ "virtual_server_group", NULL, false },
	{ "vrrp_track_process", "process tracking is not supported by hakit", false },
	{ "track_process", "process tracking is not supported by hakit", false },
	{ "static_ipaddress", "static addresses are the system's job (ip address / ifupdown)", false },
	{ "static_routes", "static routes are the system's job", false },
	{ "static_rules", "static rules are the system's job", false },
	{ "linkbeat_use_polling", NULL, false },
	{ "bfd_instance", "BFD is not supported by hakit", false },
	{ "net_namespace", "run hakit inside the namespace instead (ip netns exec)", false },
	{ "instance", "run one hakit per instance instead", false },
	{ "track_script", "track_script belongs in a vrrp_instance or vrrp_sync_group", false },
	{ "track_interface", "track_interface belongs in a vrrp_instance", false },
	{ NULL, NULL, false },
};

void kc_conf_build(struct kc_ctx *c, struct kc_stmt *top, struct kc_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->garp_delay = conf->garp_repeat = conf->garp_refresh = -1;
	hk_parse_addr("224.0.0.18", AF_INET, &conf->mcast4, NULL);
	hk_parse_addr("ff02::12", AF_INET6, &conf->mcast6, NULL);
	/* Names (track scripts, sync group members) are resolved once the
	 * whole file is read: a vrrp_script may follow the instance that
	 * tracks it, as keepalived allows. */
	kc_dispatch(c, conf, top, top_kw, top_unsup, "the top level", NULL);
	kc_vrrp_finish(c, conf);
	drop_missing_notify(c, conf);
	resolve_script_user(c, conf);
	if (conf->script_security)
		check_security(c, conf);
}
