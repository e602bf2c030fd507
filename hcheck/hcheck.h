/*
 * hcheck's parts: a probe's configuration (probe.c: the words of a
 * command line or of a line of a -f file), the words of such a line
 * (words.c), status-code sets (status.c), judging an attempt and
 * printing it (result.c), keepalived's retry/rise/fall rules (watch.c),
 * and the event loop that runs many probes at once (loop.c).
 */
#ifndef HC_HCHECK_H
#define HC_HCHECK_H

#include "addr.h"
#include "fetch.h"
#include "http.h"
#include "md5.h"
#include "parse.h"

#include <getopt.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- status-code sets (status.c) ---- */

#define HC_STATUS_MIN 100
#define HC_STATUS_MAX 999

struct hc_status_set {
	uint64_t bits[(HC_STATUS_MAX + 64) / 64];
	char text[80];		/* normalised, for messages: "200-299,301" */
};

/*
 * Parse "200", "200-299", "200,301-302" or "200-299 400-499" (commas or
 * blanks between items), codes 100-999.  Returns 0, or -1 with e->msg.
 */
int hc_status_parse(const char *s, struct hc_status_set *set, struct hk_err *e);
bool hc_status_has(const struct hc_status_set *set, int code);

/* ---- the words of a line (words.c) ---- */

#define HC_WORDS_MAX 64

/*
 * Split line in place into at most max words: blanks (space, tab)
 * separate words, a word may be double-quoted with \" and \\ inside, a
 * '#' at the start of a word starts a comment.  Returns the number of
 * words (0 for a blank or comment line), or -1 with e->msg.
 */
int hc_words(char *line, char **words, int max, struct hk_err *e);

/* ---- a probe's configuration (probe.c) ---- */

enum hc_kind {
	HC_TCP,
	HC_HTTP,
	HC_HTTPS,
	HC_UDP,
	HC_PING,
	HC_DNS,
	HC_SMTP,
};

/* UDP: the longest --payload and --reply, in bytes. */
#define HC_UDP_HEX_MAX 1024

/* Options that apply to a whole run, not to one probe. */
struct hc_global {
	const char *file;		/* -f */
	bool json;
	unsigned concurrency;
	bool initial_up;		/* watch --initial */
	bool watch;
};

struct hc_probe {
	enum hc_kind kind;
	char *label;			/* --name, or the target as written */
	char *target;			/* as written */
	struct hk_addr addr;
	uint16_t port;
	char *path;
	char *vhost, *sni, *ca;
	bool verify;
	unsigned cert_days;		/* 0: not checked */
	struct hc_status_set status;
	bool has_digest;
	unsigned char digest[HK_MD5_LEN];
	char *regex_src;
	bool has_regex;
	regex_t regex;
	enum hk_http_proto proto;
	uint64_t timeout_us;
	uint64_t warn_us;		/* 0: none */
	unsigned retry;
	uint64_t retry_delay_us;
	struct hk_addr bind;
	uint32_t fwmark;
	/* udp, as keepalived's UDP_CHECK: what to send; whether a reply
	 * must come; what it must start with (mask bits set: any value),
	 * and, with a pattern, its length range. */
	unsigned char *payload;
	size_t payload_len;
	bool require_reply;
	unsigned char *reply, *reply_mask;
	size_t reply_len;
	unsigned min_reply, max_reply;
	/* dns, as keepalived's DNS_CHECK: the query's type and name. */
	uint16_t dns_type;
	char *dns_name;
	/* smtp, as keepalived's SMTP_CHECK: the HELO name. */
	char *helo;
	/* watch */
	uint64_t interval_us;
	unsigned rise, fall;

	int line;			/* in the -f file; 0 on the command line */
	char *request;			/* built once */
	size_t request_len;
	struct hk_fetch_opts fo;	/* what each attempt runs */
};

/*
 * Parse argv (argv[0] is skipped, as getopt does) into p.  Positional
 * words are CHECK TARGET [PATH]; with defaults_only, none are allowed
 * (the options of a command line that apply to every line of a file).
 * in_watch selects watch-mode defaults (retry 1, as keepalived).
 * Global options (-f, --json, ...) are refused: main handles them.
 * Returns 0, or -1 with e->msg (naming the option and the value).
 */
int hc_probe_parse(int argc, char **argv, bool defaults_only, bool in_watch,
		   struct hc_probe *p, struct hk_err *e);

/* Build p->request and p->fo (TLS context set by the caller). */
int hc_probe_prepare(struct hc_probe *p, struct hk_err *e);
void hc_probe_free(struct hc_probe *p);

/* The long options hcheck knows, for main's getopt and probe.c's. */
extern const char hc_shortopts[];
extern const struct option hc_longopts[];
enum {
	HC_OPT_STATUS = 256, HC_OPT_DIGEST, HC_OPT_REGEX, HC_OPT_VHOST,
	HC_OPT_HTTP, HC_OPT_RETRY, HC_OPT_DELAY, HC_OPT_BIND, HC_OPT_FWMARK,
	HC_OPT_WARN, HC_OPT_JSON, HC_OPT_SNI, HC_OPT_VERIFY, HC_OPT_CA,
	HC_OPT_CERT_DAYS, HC_OPT_NAME, HC_OPT_INTERVAL, HC_OPT_RISE,
	HC_OPT_FALL, HC_OPT_INITIAL, HC_OPT_CONCURRENCY, HC_OPT_PAYLOAD,
	HC_OPT_REPLY, HC_OPT_REQUIRE_REPLY, HC_OPT_MIN_REPLY, HC_OPT_MAX_REPLY,
	HC_OPT_DNS_TYPE, HC_OPT_DNS_NAME, HC_OPT_HELO,
};
/* Is this option one of the run-wide ones (-f, -h, --json, ...)? */
bool hc_opt_is_global(int opt);

/* ---- results (result.c) ---- */

/* Bytes of the body kept for --regex: the match looks at this much. */
#define HC_REGEX_WINDOW (256 * 1024)

struct hc_result {
	int code;			/* HK_PROBE_* */
	char reason[300];		/* why it is not OK; "" when OK */
	bool have_response;		/* status (not udp), bytes below are valid */
	bool no_reply;			/* udp: none came, and none was required */
	int status;
	uint64_t bytes;
	uint64_t time_us;
	bool have_digest;
	char digest[HK_MD5_HEXLEN];
	bool have_cert;
	long cert_days;
	unsigned attempts;
};

/*
 * Judge an ended attempt f of probe p; body/body_len is the start of
 * the decoded body (for --regex), followed by a NUL byte (body may be
 * NULL if body_len is 0).  Fills r (attempts is left alone).
 */
void hc_judge(const struct hc_probe *p, const struct hk_fetch *f,
	      const char *body, size_t body_len, struct hc_result *r);

/* "HTTP OK: 200, 612 bytes, 0.8 ms | time=...": the plugin line. */
void hc_result_line(const struct hc_probe *p, const struct hc_result *r,
		    char *buf, size_t size);

/* The result as one JSON object on one line, no newline. */
void hc_result_json(FILE *out, const struct hc_probe *p, const struct hc_result *r);

/* ---- keepalived's rules (watch.c) ---- */

struct hc_watch {
	bool up;
	bool ran;			/* a check has completed */
	unsigned good, bad;		/* consecutive checks */
	unsigned attempt;		/* failed attempts in the current check */
};

enum hc_watch_next {
	HC_W_RETRY,			/* try again after --delay-before-retry */
	HC_W_CHECK,			/* the check is over: next after --interval */
};

/*
 * One attempt ended (ok: it succeeded).  Returns what to do next; sets
 * *changed when the target just went up or down (w->up says which).
 */
enum hc_watch_next hc_watch_attempt(struct hc_watch *w, bool ok, unsigned retry,
				    unsigned rise, unsigned fall, bool *changed);

/* ---- the event loop (loop.c) ---- */

/*
 * Run probes[0..n) concurrently: once each (printing one line per
 * probe, in order, as soon as it and those before it are done), or in
 * watch mode forever (printing UP/DOWN lines), until SIGINT/SIGTERM.
 * Returns the exit code.
 */
int hc_run(struct hc_probe **probes, size_t n, const struct hc_global *g,
	   bool one_shot);

#endif
