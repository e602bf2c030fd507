/*
 * Logging: "tool: message" on stderr in the foreground, syslog (daemon
 * facility, the tool's name as ident) when asked.  Per-packet warnings go
 * through a rate limiter so that a flood of bad packets costs one line a
 * second, not a full disk.
 */
#ifndef HK_LOG_H
#define HK_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#define HK_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* The tool's name, as given to hk_log_init(); "hakit" before that. */
extern const char *hk_prog;

enum {
	HK_LOG_STDERR = 1,	/* write "prog: message" to stderr */
	HK_LOG_SYSLOG = 2,	/* write to syslog(3), LOG_DAEMON */
};

/*
 * Set the tool name and where messages go (a mask of HK_LOG_*; 0 means
 * stderr).  Messages of priority above max_prio (LOG_INFO by default)
 * are dropped; pass LOG_DEBUG for -v.
 */
void hk_log_init(const char *prog, int where, int max_prio);

/* Log one message at priority prio (LOG_ERR ... LOG_DEBUG). */
void hk_log(int prio, const char *fmt, ...) HK_PRINTF(2, 3);
void hk_vlog(int prio, const char *fmt, va_list ap) HK_PRINTF(2, 0);

/* A warning on stderr/syslog, as warnx(3): "prog: message". */
#define hk_warn(...) hk_log(LOG_WARNING, __VA_ARGS__)
#define hk_info(...) hk_log(LOG_INFO, __VA_ARGS__)
#define hk_debug(...) hk_log(LOG_DEBUG, __VA_ARGS__)

/* Log at LOG_ERR and exit with code, as errx(3).  Never returns. */
void hk_die(int code, const char *fmt, ...) HK_PRINTF(2, 3)
	__attribute__((noreturn));

/*
 * A token-bucket-like limiter: at most `burst` messages per
 * `interval_ms`; the rest are counted and reported once the next window
 * opens ("N similar messages suppressed").  Zero-initialise, then set
 * the two limits (HK_RATELIMIT_INIT does both).
 */
struct hk_ratelimit {
	uint64_t interval_ms;
	unsigned burst;
	uint64_t window_start;
	unsigned used;
	unsigned long suppressed;
};
#define HK_RATELIMIT_INIT(ms, n) { .interval_ms = (ms), .burst = (n) }

/*
 * Return true if a message may be logged now (and count it), false if
 * it is to be suppressed (and count that).  now_ms is a monotonic time.
 * When a new window opens after suppressions, *suppressed (if not NULL)
 * receives how many were dropped in the old one, else 0.
 */
bool hk_ratelimit_ok(struct hk_ratelimit *rl, uint64_t now_ms,
		     unsigned long *suppressed);

/* hk_log() through a limiter; notes suppressed messages when it can. */
void hk_log_rl(struct hk_ratelimit *rl, int prio, const char *fmt, ...)
	HK_PRINTF(3, 4);

#endif
