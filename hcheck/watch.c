#include "hcheck.h"

#include <limits.h>

/*
 * keepalived 2.2.7's HTTP_GET/SSL_GET/TCP_CHECK: a check of a live
 * server that fails is retried `retry` times, `delay_before_retry`
 * apart, and only when every attempt failed is the check failed; a
 * server already down is not retried (its next check comes after
 * delay_loop).  One good attempt makes a good check.  keepalived has no
 * rise/fall for these checkers (it acts on the first good or failed
 * check); --rise and --fall count consecutive checks on top, and their
 * default of 1 is keepalived's behaviour.
 */
enum hc_watch_next hc_watch_attempt(struct hc_watch *w, bool ok, unsigned retry,
				    unsigned rise, unsigned fall, bool *changed)
{
	*changed = false;
	/* keepalived also retries the very first check, whatever the
	 * initial state. */
	if (!ok && (w->up || !w->ran) && w->attempt < retry) {
		w->attempt++;
		return HC_W_RETRY;
	}
	w->attempt = 0;
	w->ran = true;
	if (ok) {
		w->bad = 0;
		if (w->good < UINT_MAX)
			w->good++;
		if (!w->up && w->good >= rise) {
			w->up = true;
			*changed = true;
		}
	} else {
		w->good = 0;
		if (w->bad < UINT_MAX)
			w->bad++;
		if (w->up && w->bad >= fall) {
			w->up = false;
			*changed = true;
		}
	}
	return HC_W_CHECK;
}
