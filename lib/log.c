#include "log.h"
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *hk_prog = "hakit";
static int log_where = HK_LOG_STDERR;
static int log_max = LOG_INFO;

void hk_log_init(const char *prog, int where, int max_prio)
{
	const char *slash = strrchr(prog, '/');

	hk_prog = slash ? slash + 1 : prog;
	log_where = where ? where : HK_LOG_STDERR;
	log_max = max_prio;
	if (log_where & HK_LOG_SYSLOG)
		openlog(hk_prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void hk_vlog(int prio, const char *fmt, va_list ap)
{
	char msg[1024];

	if (prio > log_max)
		return;
	/* Format once, then write with a single call so that lines from
	 * several processes sharing a terminal do not interleave. */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_where & HK_LOG_SYSLOG)
		syslog(prio, "%s", msg);
	if (log_where & HK_LOG_STDERR) {
		char line[1200];
		int n = snprintf(line, sizeof(line), "%s: %s\n", hk_prog, msg);

		if (n > (int)sizeof(line) - 1)
			n = sizeof(line) - 1;
		if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0) {
			/* Nowhere left to report it. */
		}
	}
}

void hk_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hk_vlog(prio, fmt, ap);
	va_end(ap);
}

void hk_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hk_vlog(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(code);
}

bool hk_ratelimit_ok(struct hk_ratelimit *rl, uint64_t now_ms,
		     unsigned long *suppressed)
{
	if (suppressed)
		*suppressed = 0;
	if (rl->window_start == 0 || now_ms - rl->window_start >= rl->interval_ms) {
		if (suppressed)
			*suppressed = rl->suppressed;
		rl->window_start = now_ms ? now_ms : 1;
		rl->used = 0;
		rl->suppressed = 0;
	}
	if (rl->used < rl->burst) {
		rl->used++;
		return true;
	}
	rl->suppressed++;
	return false;
}

void hk_log_rl(struct hk_ratelimit *rl, int prio, const char *fmt, ...)
{
	unsigned long dropped;
	va_list ap;

	if (!hk_ratelimit_ok(rl, hk_now_ms(), &dropped))
		return;
	if (dropped)
		hk_log(prio, "%lu similar messages suppressed", dropped);
	va_start(ap, fmt);
	hk_vlog(prio, fmt, ap);
	va_end(ap);
}
