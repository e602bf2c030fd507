/*
 * The instance's configuration: options by long name, from the command
 * line or from a --config file (one "NAME VALUE" a line), then checked
 * as a whole.  Nothing here opens a socket or changes the system, so
 * the same path serves -n and (later) a reload.
 */
#ifndef VRRP_CONF_H
#define VRRP_CONF_H

#include "addr.h"
#include "packet.h"
#include "parse.h"

#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define VRRP_MAX_VIPS 255
#define VRRP_MAX_PEERS 64
#define VRRP_NAME_MAX 64
#define VRRP_MAX_TRACKS 32	/* of each kind */
#define VRRP_STRICT_MAX_VIPS_V2 20

/* A command split into words: a hook. */
struct vrrp_cmd {
	char *text;		/* as given, for -n and logs */
	char **argv;		/* NULL-terminated; argv[0] as given */
	int argc;
	char *path;		/* argv[0] resolved to an absolute path */
};

/* --track-script and the options that follow it. */
struct vrrp_track_script_conf {
	struct vrrp_cmd cmd;
	uint64_t interval_us;	/* between starts; default 1 s */
	uint64_t timeout_us;	/* 0: the interval */
	int weight;		/* 0: a failure means FAULT */
	unsigned rise, fall;	/* default 1 */
};

/* --track-file PATH[:WEIGHT] */
struct vrrp_track_file_conf {
	char *path;
	int weight;
	bool has_weight;	/* without one, a non-zero value means FAULT */
};

/* --track-interface IF[:WEIGHT] */
struct vrrp_track_if_conf {
	char name[IFNAMSIZ];
	unsigned ifindex;	/* resolved by vrrp_conf_finish() */
	int weight;
	bool has_weight;	/* without one, down means FAULT */
};

struct vrrp_vipconf {
	struct hk_prefix pfx;
	char dev[IFNAMSIZ];	/* "" for the VRRP interface */
	char label[IFNAMSIZ];	/* "" for none */
	unsigned ifindex;	/* resolved by vrrp_conf_finish() */
};

struct vrrp_conf {
	char name[VRRP_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
	unsigned ifindex;
	uint8_t vrid;			/* 0 until given */
	uint8_t priority;
	uint64_t adver_int_us;
	uint8_t version;		/* 0 until given or derived */
	bool preempt;
	uint64_t preempt_delay_us;
	bool start_master;
	char *auth_file;
	uint8_t auth[VRRP_AUTH_LEN];	/* the password, zero-padded */
	bool have_auth;
	struct hk_addr unicast_src;	/* family 0: the interface's address */
	struct hk_addr peers[VRRP_MAX_PEERS];
	size_t npeers;
	struct hk_addr mcast_group;	/* family 0: the default group */
	uint64_t garp_delay_us;
	unsigned garp_repeat;
	uint64_t garp_refresh_us;
	struct vrrp_cmd notify, notify_master, notify_backup, notify_fault, notify_stop;
	uint64_t hook_timeout_us;
	char *state_file;
	char *dump_file;
	bool v3_cksum_as_v2;
	bool foreground, check;
	int verbose;
	struct vrrp_vipconf *vips;
	size_t nvips;

	/* Tracking (arrays on the heap, NULL when empty: an instance that
	 * tracks nothing pays nothing for them). */
	struct vrrp_track_script_conf *scripts;
	size_t nscripts;
	struct vrrp_track_file_conf *files;
	size_t nfiles;
	struct vrrp_track_if_conf *ifs;
	size_t nifs;

	/* Sync group. */
	char sync_group[VRRP_NAME_MAX + 1];	/* "" for none */
	char *sync_dir;				/* NULL: VRRP_SYNC_DIR */
	struct vrrp_cmd group_notify;

	bool vmac;
	int accept;			/* -1 not given, 0 --no-accept, 1 --accept */
	bool strict;
	char *script_user;		/* NULL: the default */
	bool allow_root_scripts;

	/* Process tuning, set once at start-up (keepalived's vrrp_rt_priority,
	 * vrrp_rlimit_rttime, vrrp_priority and vrrp_no_swap). */
	int rt_priority;		/* 0: normal scheduling; else SCHED_RR 1-99 */
	uint64_t rttime_us;		/* RLIMIT_RTTIME's hard limit with rt_priority */
	bool rttime_given;
	int nice;			/* with nice_given */
	bool nice_given;
	bool mlock;			/* mlockall */
	cpu_set_t cpus;			/* sched_setaffinity, with cpus_given */
	bool cpus_given;

	/* Derived by vrrp_conf_finish(). */
	int family;			/* the first VIP's */
	struct hk_addr *adv_addrs;	/* VIPs of that family: what adverts carry */
	size_t nadv;
	bool accept_mode;		/* accept packets for the VIPs */
	bool have_scripts;		/* any hook or track script */
	uint32_t script_uid, script_gid;	/* whom they run as */
	char base_ifname[IFNAMSIZ];	/* --vmac: the parent interface */
	unsigned base_ifindex;		/* (else the same as ifname) */
};

/* Where sync groups meet: one directory per group. */
#define VRRP_SYNC_DIR "/run/hakit/sync"
/* The user scripts run as by default, if it exists. */
#define VRRP_SCRIPT_USER "hakit_script"

/* The options, for getopt_long and the file parser. */
struct vrrp_optdef {
	const char *name;
	bool has_arg;
	char short_opt;		/* 0 for none */
};
extern const struct vrrp_optdef vrrp_optdefs[];

/* Defaults: priority 100, 1 s adverts, preempt, 5 GARPs then 5 more
 * after 5 s, 30 s hook timeout. */
void vrrp_conf_init(struct vrrp_conf *c);
void vrrp_conf_free(struct vrrp_conf *c);

/*
 * Apply option name with value (NULL for an option without one).
 * Returns 0, or -1 with a sentence in e naming the bad value (the caller
 * adds where it came from).
 */
int vrrp_conf_set(struct vrrp_conf *c, const char *name, const char *value,
		  struct hk_err *e);

/*
 * Apply every line of the file at path, as if given on the command line
 * where --config stands.  Returns 0, or -1 with "PATH:LINE: ..." in e.
 */
int vrrp_conf_file(struct vrrp_conf *c, const char *path, struct hk_err *e);

/*
 * Check the options as a whole and derive the rest: the interface (the
 * one with an address in the first VIP's subnet, if not given), the
 * version, the name, the hooks' paths, the password.  Returns 0, or -1
 * with a sentence in e.
 */
int vrrp_conf_finish(struct vrrp_conf *c, struct hk_err *e);

/*
 * Split "NAME[:WEIGHT]" (the weight an optionally signed integer in
 * [-max, max] after the last colon) for --track-file/--track-interface.
 * Returns 0 with *has_weight and *weight set and name cut at the colon,
 * or -1 with e set (a weight out of range).
 */
int vrrp_split_weight(char *s, int max, int *weight, bool *has_weight, struct hk_err *e);

/* The --vmac interface's name for c: "vrrp.VRID" (IPv6 "vrrp6.VRID"). */
void vrrp_vmac_name(const struct vrrp_conf *c, char name[IFNAMSIZ]);

/* "0,2-3" into set; -1 with e set for anything else or a CPU beyond
 * CPU_SETSIZE.  vrrp_fmt_cpus writes a set back the same way. */
int vrrp_parse_cpus(const char *s, cpu_set_t *set, struct hk_err *e);
void vrrp_fmt_cpus(char *buf, size_t len, const cpu_set_t *set);

/* Write the instance as a --config file (what -n prints). */
void vrrp_conf_print(FILE *f, const struct vrrp_conf *c);

/*
 * Split s into words on blanks, double quotes grouping words (as
 * keepalived splits notify scripts).  Returns 0, or -1 with e set (an
 * empty command, an unterminated quote).
 */
int vrrp_cmd_split(const char *s, struct vrrp_cmd *cmd, struct hk_err *e);
void vrrp_cmd_free(struct vrrp_cmd *cmd);

/* An interface address, for choosing the default interface. */
struct vrrp_ifaddr {
	char name[IFNAMSIZ];
	struct hk_prefix pfx;	/* the address and its subnet's length */
	bool loopback;
};

/*
 * The entry of list whose subnet holds vip, the longest prefix winning,
 * loopback and vip itself left out.  Returns its index, or -1.
 */
int vrrp_pick_iface(const struct vrrp_ifaddr *list, size_t n, const struct hk_addr *vip);

/* An instance or group name: 1-64 letters, digits and _.:@+-, not
 * starting with '.' or '-' (it names files and sockets). */
bool vrrp_valid_name(const char *s);

/* Seconds as text without trailing zeros: 100000 -> "0.1". */
const char *vrrp_fmt_secs(char *buf, size_t len, uint64_t us);

#endif
