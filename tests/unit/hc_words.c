/* hcheck/words.c: the grammar of a -f line. */
#include "t.h"
#include "../../hcheck/hcheck.h"

#include <string.h>

static int split(const char *line, char **w, char *buf, size_t size, struct hk_err *e)
{
	snprintf(buf, size, "%s", line);
	return hc_words(buf, w, HC_WORDS_MAX, e);
}

TEST(hc_words_splits_on_blanks)
{
	char buf[256], *w[HC_WORDS_MAX];
	struct hk_err e;

	CHECK_EQ_INT(split("http\t192.0.2.10:80  /index.html --status 200\n", w, buf, sizeof(buf), &e), 5);
	CHECK_EQ_STR(w[0], "http");
	CHECK_EQ_STR(w[1], "192.0.2.10:80");
	CHECK_EQ_STR(w[2], "/index.html");
	CHECK_EQ_STR(w[4], "200");
	CHECK_EQ_INT(split("  tcp 192.0.2.1:22\r\n", w, buf, sizeof(buf), &e), 2);
	CHECK_EQ_STR(w[1], "192.0.2.1:22");
}

TEST(hc_words_takes_quoted_words_with_escapes)
{
	char buf[256], *w[HC_WORDS_MAX];
	struct hk_err e;

	CHECK_EQ_INT(split("http 192.0.2.1:80 --regex \"a b \\\"c\\\" \\\\d\" x", w, buf, sizeof(buf), &e), 5);
	CHECK_EQ_STR(w[3], "a b \"c\" \\d");
	CHECK_EQ_STR(w[4], "x");
	CHECK_EQ_INT(split("\"\" y", w, buf, sizeof(buf), &e), 2);
	CHECK_EQ_STR(w[0], "");
	/* A backslash outside quotes is an ordinary byte. */
	CHECK_EQ_INT(split("a\\b", w, buf, sizeof(buf), &e), 1);
	CHECK_EQ_STR(w[0], "a\\b");
}

TEST(hc_words_comments_start_a_word_only)
{
	char buf[256], *w[HC_WORDS_MAX];
	struct hk_err e;

	CHECK_EQ_INT(split("# all comment", w, buf, sizeof(buf), &e), 0);
	CHECK_EQ_INT(split("   \t\n", w, buf, sizeof(buf), &e), 0);
	CHECK_EQ_INT(split("", w, buf, sizeof(buf), &e), 0);
	CHECK_EQ_INT(split("tcp 192.0.2.1:22 # the ssh port", w, buf, sizeof(buf), &e), 2);
	CHECK_EQ_INT(split("http 192.0.2.1:80 /a#b", w, buf, sizeof(buf), &e), 3);
	CHECK_EQ_STR(w[2], "/a#b");
	CHECK_EQ_INT(split("x \"#not a comment\"", w, buf, sizeof(buf), &e), 2);
	CHECK_EQ_STR(w[1], "#not a comment");
}

TEST(hc_words_refuses_broken_quotes)
{
	char buf[256], *w[HC_WORDS_MAX];
	struct hk_err e;

	CHECK_EQ_INT(split("x \"open", w, buf, sizeof(buf), &e), -1);
	CHECK_EQ_STR(e.msg, "a quote is not closed");
	CHECK_EQ_INT(split("x \"a\"b", w, buf, sizeof(buf), &e), -1);
	CHECK_EQ_STR(e.msg, "text right after a closing quote");
	CHECK_EQ_INT(split("x a\"b\"", w, buf, sizeof(buf), &e), -1);
	CHECK_EQ_STR(e.msg, "a quote inside a word (quote the whole word)");
	CHECK_EQ_INT(split("x \"a\\nb\"", w, buf, sizeof(buf), &e), -1);
	CHECK_EQ_STR(e.msg, "unknown escape '\\n' in quotes (only \\\" and \\\\)");
}

TEST(hc_words_has_a_bound)
{
	char buf[1024], *w[HC_WORDS_MAX];
	struct hk_err e;
	size_t o = 0;

	for (int i = 0; i < HC_WORDS_MAX + 1; i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "w ");
	CHECK_EQ_INT(hc_words(buf, w, HC_WORDS_MAX, &e), -1);
	CHECK_EQ_STR(e.msg, "more than 64 words");
}
