/* hcheck/watch.c: keepalived's retry, and --rise/--fall on top. */
#include "t.h"
#include "../../hcheck/hcheck.h"

/* Feed a string of attempts ('+' good, '-' failed); return the events
 * as a string: 'U' went up, 'D' went down, 'r' retry, '.' check over. */
static const char *run(struct hc_watch *w, const char *attempts, unsigned retry,
		       unsigned rise, unsigned fall)
{
	static char out[64];
	size_t o = 0;

	for (const char *a = attempts; *a && o + 2 < sizeof(out); a++) {
		bool changed;

		if (hc_watch_attempt(w, *a == '+', retry, rise, fall, &changed) == HC_W_RETRY)
			out[o++] = 'r';
		else
			out[o++] = changed ? (w->up ? 'U' : 'D') : '.';
	}
	out[o] = '\0';
	return out;
}

TEST(hc_watch_defaults_act_on_the_first_check_like_keepalived)
{
	struct hc_watch w = { .up = false };

	CHECK_EQ_STR(run(&w, "+", 0, 1, 1), "U");
	CHECK_EQ_STR(run(&w, "++-", 0, 1, 1), "..D");
	CHECK_EQ_STR(run(&w, "-+", 0, 1, 1), ".U");
}

TEST(hc_watch_retries_a_live_server_before_dropping_it)
{
	struct hc_watch w = { .up = true, .ran = true };

	/* retry 2: three failed attempts make one failed check. */
	CHECK_EQ_STR(run(&w, "--+", 2, 1, 1), "rr.");
	CHECK(w.up);
	CHECK_EQ_STR(run(&w, "---", 2, 1, 1), "rrD");
	/* A dead server is not retried: each attempt is a check. */
	CHECK_EQ_STR(run(&w, "--+", 2, 1, 1), "..U");
}

TEST(hc_watch_retries_the_very_first_check_whatever_the_start)
{
	struct hc_watch w = { .up = false };

	CHECK_EQ_STR(run(&w, "-+", 1, 1, 1), "rU");
	w = (struct hc_watch){ .up = false };
	CHECK_EQ_STR(run(&w, "---", 1, 1, 1), "r..");
	CHECK(!w.up);
}

TEST(hc_watch_rise_and_fall_count_consecutive_checks)
{
	struct hc_watch w = { .up = false, .ran = true };

	CHECK_EQ_STR(run(&w, "++-+++", 0, 3, 2), "...." "." "U");
	CHECK_EQ_STR(run(&w, "-+--", 0, 3, 2), "...D");
	/* With retries too: fall 2 and retry 1 takes four failed attempts. */
	w = (struct hc_watch){ .up = true, .ran = true };
	CHECK_EQ_STR(run(&w, "----", 1, 1, 2), "r.rD");
}
