/*
 * kaconf internals: keepalived.conf read into a tree of statements
 * (lex.c), the tree checked into a model of instances and virtual servers
 * (vrrp.c, lvs.c), and the model turned into a plan for the supervisor
 * (plan.c).  Everything is allocated from one arena that lives as long as
 * the run, so that error paths never leak.
 */
#ifndef KC_H
#define KC_H

#include "addr.h"
#include "log.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- arena ---------------------------------------------------------- */

struct kc_arena {
	struct kc_chunk *head;
};

/* Zeroed memory that lives until kc_arena_free(); aborts on ENOMEM (a
 * configuration parser has nothing sensible to do without memory). */
void *kc_alloc(struct kc_arena *a, size_t n);
char *kc_strdup(struct kc_arena *a, const char *s);
char *kc_strndup(struct kc_arena *a, const char *s, size_t n);
char *kc_printf(struct kc_arena *a, const char *fmt, ...) HK_PRINTF(2, 3);
void kc_arena_free(struct kc_arena *a);

/* ---- diagnostics ---------------------------------------------------- */

/* A place in the configuration: file, 1-based line and column (columns
 * count characters, so that a position in a line of Chinese comments
 * points where an editor does). */
struct kc_pos {
	const char *file;
	unsigned line, col;
};

struct kc_ctx {
	struct kc_arena arena;
	FILE *diag;		/* where diagnostics go (stderr) */
	unsigned errors, warnings, notes;
	bool quiet;		/* -q: errors only */
	/* Whether a user or group exists here; NULL: getpwnam(3) and
	 * getgrnam(3) (unit tests give their own). */
	bool (*user_exists)(const char *name);
	bool (*group_exists)(const char *name);
};

/* "kaconf: FILE:LINE:COL: error: ..." and friends.  A NULL position
 * prints no location. */
void kc_error(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
	HK_PRINTF(3, 4);
void kc_warn(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
	HK_PRINTF(3, 4);
void kc_note(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
	HK_PRINTF(3, 4);

/* ---- the statement tree (lex.c) -------------------------------------- */

struct kc_word {
	char *s;		/* text; quoted strings without their quotes */
	struct kc_pos pos;
	bool quoted;
};

/*
 * One statement: the words of one line up to a '{', '}' or the end of the
 * line, and the block that follows it, if any.  keepalived's lists
 * (virtual_ipaddress, unicast_peer, group...) are blocks whose statements
 * are the list items.
 */
struct kc_stmt {
	struct kc_word *w;
	size_t n;
	bool has_block;
	struct kc_pos bpos;		/* the '{' */
	struct kc_stmt *child;		/* first statement of the block */
	struct kc_stmt *next;
};

/* Limits: what a sane configuration never reaches and a broken or hostile
 * one must not make us exceed. */
#define KC_MAX_FILE_BYTES (16u << 20)
#define KC_MAX_INCLUDE_DEPTH 8
#define KC_MAX_FILES 1024
#define KC_MAX_NESTING 16

/*
 * Read FILE (with its includes) into a statement list.  Syntax errors are
 * reported through c (and counted in c->errors); the tree is still
 * returned as far as it could be built.  Returns NULL only if FILE itself
 * cannot be read (reported too).
 */
struct kc_stmt *kc_read_file(struct kc_ctx *c, const char *path);

/* The same for a buffer (unit tests, fuzzing); name is used in positions
 * and as the base for relative includes ("." if it has no '/'). */
struct kc_stmt *kc_read_buf(struct kc_ctx *c, const char *name,
			    const char *buf, size_t len);

/* ---- commands (cmd.c) ------------------------------------------------ */

/* A command line as keepalived splits a script string: words, program
 * first. */
struct kc_cmd {
	char **w;
	size_t n;
	struct kc_pos pos;
};

/*
 * Split s (a script string as written in keepalived.conf) into words as
 * keepalived does: blanks separate, '...' and "..." group, a backslash
 * escapes the next character.  Returns 0, or -1 with a sentence in err
 * (errsz bytes) for an unterminated quote, an empty word ('' cannot be
 * carried by the plan's tab-separated fields) or an empty command.
 */
int kc_cmd_split(struct kc_arena *a, const char *s, struct kc_cmd *out,
		 char *err, size_t errsz);

/*
 * vrrpd's notify-* value: words joined by one space, a word with a blank
 * in double quotes.  Returns the string, or NULL if a word cannot be
 * carried (it contains a double quote, or is empty).
 */
char *kc_cmd_vrrpd(struct kc_arena *a, const struct kc_cmd *cmd);

/* One word for an hcheck probe line: bare if it can be, else in double
 * quotes with \" and \\ escaped. */
char *kc_hcheck_word(struct kc_arena *a, const char *w);

/* ---- the model (vrrp.c, lvs.c) ---------------------------------------- */

enum kc_track_kind { KC_TRACK_SCRIPT, KC_TRACK_FILE, KC_TRACK_IF };

struct kc_script {		/* vrrp_script */
	const char *name;
	struct kc_pos pos;
	struct kc_cmd cmd;
	bool has_cmd;
	uint64_t interval_us, timeout_us;
	bool has_timeout;
	int weight;
	int rise, fall;
	struct kc_script *next;
};

struct kc_tfile {		/* track_file */
	const char *name;
	struct kc_pos pos;
	const char *path;
	long weight;		/* keepalived's default: 1; negated for reverse */
	bool reverse;		/* "weight W reverse" */
	struct kc_tfile *next;
};

struct kc_track {
	enum kc_track_kind kind;
	const char *name;	/* script or track_file name, or interface */
	struct kc_pos pos;
	bool has_weight;
	long weight;		/* negated for reverse */
	bool reverse;		/* "weight W reverse" */
	const struct kc_script *script;
	const struct kc_tfile *tfile;
	struct kc_track *next;
};

struct kc_vip {
	struct hk_prefix pfx;
	const char *dev, *label;
	struct kc_pos pos;
	struct kc_vip *next;
};

struct kc_addrl {
	struct hk_addr a;
	struct kc_pos pos;
	struct kc_addrl *next;
};

enum { KC_STATE_UNSET, KC_STATE_MASTER, KC_STATE_BACKUP };

struct kc_inst {
	const char *name;
	struct kc_pos pos;
	const char *iface;
	unsigned vrid;
	unsigned priority;		/* 0: not given */
	int state;			/* KC_STATE_* */
	uint64_t advert_us;		/* 0: not given */
	struct kc_pos advert_pos;
	unsigned version;		/* 0: not given */
	bool nopreempt;
	uint64_t preempt_delay_us;
	bool has_auth;
	char auth_pass[9];
	struct kc_vip *vips;
	struct kc_addrl *peers;
	struct hk_addr usrc;
	struct hk_addr mcast;
	int accept;			/* -1 not given */
	struct kc_cmd *notify, *notify_master, *notify_backup,
		*notify_fault, *notify_stop;
	long garp_delay, garp_repeat, garp_refresh;	/* -1: not given */
	bool vmac, strict;
	const char *group;		/* sync group, if any */
	struct kc_track *tracks;
	int family;
	struct kc_inst *next;
};

struct kc_group {
	const char *name;
	struct kc_pos pos;
	struct kc_member {
		const char *name;
		struct kc_pos pos;
		struct kc_inst *inst;
		struct kc_member *next;
	} *members;
	bool tracking_weight;
	struct kc_cmd *notify;		/* the generic group hook */
	struct kc_group *next;
};

enum kc_fwd { KC_FWD_NAT, KC_FWD_DR, KC_FWD_TUN };
enum kc_check_kind {
	KC_CHECK_HTTP, KC_CHECK_SSL, KC_CHECK_TCP, KC_CHECK_MISC, KC_CHECK_UDP, KC_CHECK_PING,
	KC_CHECK_DNS, KC_CHECK_SMTP
};

/* Checker settings that a virtual server, a real server and a checker
 * can each give, the nearer one winning. */
struct kc_timing {
	int64_t delay_loop_us, connect_timeout_us, dbr_us;	/* -1: not given */
	long retry;						/* -1: not given */
	int alpha;						/* -1: not given */
};

struct kc_url {
	const char *path, *digest, *status, *vhost, *regex;
	struct kc_pos pos;
	struct kc_url *next;
};

struct kc_check {
	enum kc_check_kind kind;
	struct kc_pos pos;
	struct kc_timing t;
	struct hk_addr connect_ip;
	unsigned connect_port;
	struct hk_addr bindto;
	unsigned fwmark;
	const char *http_proto, *vhost;
	bool sni;
	struct kc_url *urls;
	struct kc_cmd misc;
	bool has_misc;
	uint64_t misc_timeout_us;	/* 0: delay_loop */
	bool misc_dynamic;
	/* UDP_CHECK: payload and require_reply as hcheck's hex (pairs,
	 * 'x' for a wildcard nibble); NULL: none. */
	const char *udp_payload, *udp_reply;
	bool udp_require;
	unsigned udp_min, udp_max;	/* reply length range, with a pattern */
	const char *dns_type, *dns_name;	/* DNS_CHECK; NULL: SOA, "." */
	const char *helo;		/* SMTP_CHECK's helo_name; NULL: keepalived's */
	struct kc_check *hosts;		/* SMTP_CHECK's host blocks, a checker each */
	bool has_connect;		/* connect_ip, connect_port or bindto given */
	struct kc_check *next;
};

struct kc_rs {
	struct hk_addr addr;
	unsigned port;
	struct kc_pos pos;
	long weight;
	int fwd;			/* -1: the virtual server's */
	int inhibit;			/* -1: the virtual server's */
	struct kc_timing t;
	const char *vhost;
	long uthreshold, lthreshold;
	struct kc_cmd *notify_up, *notify_down;
	struct kc_check *checks;
	struct kc_rs *next;
	/* computed by the plan */
	bool alive;
	unsigned index;
};

struct kc_vs {
	struct kc_pos pos;
	bool is_fwmark;
	unsigned fwmark;
	int family;
	const char *proto;		/* "tcp", "udp", "sctp" */
	struct hk_addr addr;
	unsigned port;
	const char *sched;
	enum kc_fwd fwd;
	unsigned long persistence;	/* seconds, 0: none */
	struct hk_addr granularity;
	const char *flags;		/* "sh-port,sh-fallback", or NULL */
	bool ops;
	const char *pe;
	long quorum, hysteresis;
	bool has_sorry;
	struct hk_addr sorry;
	unsigned sorry_port;
	int sorry_fwd;			/* -1: the virtual server's */
	bool sorry_inhibit;
	bool alpha, omega, inhibit;
	struct kc_timing t;
	const char *vhost;
	struct kc_cmd *quorum_up, *quorum_down;
	struct kc_rs *rs;
	struct kc_vs *next;
	/* computed by the plan */
	bool quorum_up_now, sorry_in;
	unsigned index;
};

struct kc_conf {
	/* global_defs */
	struct hk_addr mcast4, mcast6;
	const char *script_user, *script_group;
	struct kc_pos script_user_pos;
	/* Scripts run as root with nobody named: no script_user, and neither
	 * keepalived_script nor hakit_script exists (kc_conf_build). */
	bool allow_root_scripts;
	bool script_security, strict;
	long garp_delay, garp_repeat, garp_refresh;	/* -1: not given */
	unsigned version;				/* 0: not given */
	/* vrrp_rt_priority, vrrp_rlimit_rttime (microseconds), vrrp_priority,
	 * vrrp_no_swap, vrrp_cpu_affinity: every vrrpd's process tuning. */
	int rt_priority;				/* 0: not given */
	uint64_t rlimit_rttime_us;			/* 0: not given */
	int nice;
	bool nice_given, no_swap;
	const char *cpus;				/* vrrp_cpu_affinity as "0,1" */

	struct kc_script *scripts;
	struct kc_tfile *tfiles;
	struct kc_inst *insts;
	struct kc_group *groups;
	struct kc_vs *vss;
	struct kc_pos ssl_pos;
	const char *ssl_ca;
};

/* Check the tree and fill conf; diagnostics through c. */
void kc_conf_build(struct kc_ctx *c, struct kc_stmt *top, struct kc_conf *conf);

/* ---- shared helpers for vrrp.c and lvs.c ------------------------------ */

/* What a handler of one keyword gets. */
struct kc_kw {
	const char *name;
	void (*fn)(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
		   void *obj);
	unsigned flags;
};
#define KC_KW_BLOCK   1u	/* must have a block */
#define KC_KW_NOBLOCK 2u	/* must not have one */

/* A keepalived keyword hakit knows and does not implement, and why. */
struct kc_unsup {
	const char *name;
	const char *why;	/* NULL: "not supported by hakit" */
	bool note;		/* harmless: a note, not a warning */
};

/*
 * Dispatch every statement of a block to its keyword handler.  what names
 * the block in messages ("vrrp_instance VI_1").  Unknown keywords and the
 * known unsupported ones are warned about and skipped (with their block).
 */
void kc_dispatch(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *list,
		 const struct kc_kw *kw, const struct kc_unsup *unsup,
		 const char *what, void *obj);

/* Argument helpers: each reports its own error at the word's position and
 * returns -1 on failure. */
int kc_nargs(struct kc_ctx *c, const struct kc_stmt *st, size_t min, size_t max);
int kc_arg_uint(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		uint64_t min, uint64_t max, uint64_t *out);
int kc_arg_int(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
	       int64_t min, int64_t max, int64_t *out);
int kc_arg_secs(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		uint64_t min_us, uint64_t max_us, uint64_t *out);
int kc_arg_addr(struct kc_ctx *c, const struct kc_stmt *st, size_t i,
		int family, struct hk_addr *out);
/* An optional keepalived BOOL (no value = true). */
int kc_arg_bool(struct kc_ctx *c, const struct kc_stmt *st, size_t i, bool *out);
/* A plain string: unescaped, no control characters. */
const char *kc_arg_str(struct kc_ctx *c, const struct kc_stmt *st, size_t i);
/* A name that becomes part of a file name or a plan field. */
const char *kc_arg_name(struct kc_ctx *c, const struct kc_stmt *st, size_t i);
/*
 * A script as keepalived takes it: the first word is the command (a quoted
 * string of several words, or one bare word).  Extra bare words are what
 * keepalived takes them for: user and group for notify scripts
 * (user_group true), nothing for vrrp_script's script; either way a
 * warning says so.
 */
struct kc_cmd *kc_arg_cmd(struct kc_ctx *c, const struct kc_stmt *st,
			  bool user_group);

/* The keyword table of the top level, global_defs and VRRP (vrrp.c) and
 * of virtual servers (lvs.c). */
void kc_vrrp_finish(struct kc_ctx *c, struct kc_conf *conf);
void kc_kw_virtual_server(struct kc_ctx *c, struct kc_conf *conf,
			  struct kc_stmt *st, void *obj);
void kc_kw_ssl(struct kc_ctx *c, struct kc_conf *conf, struct kc_stmt *st,
	       void *obj);
void kc_kw_vrrp_script(struct kc_ctx *c, struct kc_conf *conf,
		       struct kc_stmt *st, void *obj);
void kc_kw_track_file(struct kc_ctx *c, struct kc_conf *conf,
		      struct kc_stmt *st, void *obj);
void kc_kw_vrrp_instance(struct kc_ctx *c, struct kc_conf *conf,
			 struct kc_stmt *st, void *obj);
void kc_kw_vrrp_sync_group(struct kc_ctx *c, struct kc_conf *conf,
			   struct kc_stmt *st, void *obj);
void kc_kw_global_defs(struct kc_ctx *c, struct kc_conf *conf,
		       struct kc_stmt *st, void *obj);

/* ---- the plan (plan.c) ------------------------------------------------ */

/* Runtime state handed back by the supervisor on a reload, so that real
 * servers keep their health and quorum across it. */
struct kc_carry {
	struct kc_carry_vs {
		char *key;	/* "tcp 192.0.2.1:80" */
		bool up;
		struct kc_carry_vs *next;
	} *vs;
	struct kc_carry_rs {
		char *key;	/* "tcp 192.0.2.1:80 198.51.100.1:80" */
		bool up;
		struct kc_carry_rs *next;
	} *rs;
};

/* Read a carry file; 0, or -1 with a message in err. */
int kc_carry_read(struct kc_arena *a, const char *path, struct kc_carry *out,
		  char *err, size_t errsz);

/*
 * Decide the initial state of every virtual and real server the way
 * keepalived's checker process does at start-up (alpha, inhibit, quorum,
 * hysteresis, sorry server), or carried over from carry (may be NULL).
 */
void kc_plan_initial(struct kc_conf *conf, const struct kc_carry *carry);

/* The service key ("tcp 192.0.2.1:80", "fwmark 6") and the address of a
 * real server ("198.51.100.1:80", "[2001:db8::1]:80"). */
const char *kc_vs_key(struct kc_arena *a, const struct kc_vs *vs);
const char *kc_rs_addr(struct kc_arena *a, const struct kc_rs *rs);
/* ipvsadm -S service selector: "-t 192.0.2.1:80", "-f 6". */
const char *kc_vs_sel(struct kc_arena *a, const struct kc_vs *vs);
/* The forwarding word for ipvsctl (dr, nat, tun) and ipvsadm (-g -m -i). */
const char *kc_fwd_word(int fwd);
const char *kc_fwd_flag(int fwd);

struct kc_plan_opts {
	const char *outdir;	/* where files are written */
	const char *refdir;	/* what configs call that directory */
	const char *rundir;	/* vrrpd state and dump files */
	const char *source;	/* the configuration file, for comments */
};

/* Write the files and print the plan on out.  Returns 0, or -1 after an
 * error message (an I/O failure: exit 1). */
int kc_plan_write(struct kc_ctx *c, struct kc_conf *conf,
		  const struct kc_plan_opts *o, FILE *out);

#endif
