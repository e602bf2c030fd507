/* kaconf: keepalived.conf syntax into statements, and script strings. */
#include "t.h"
#include "../../kaconf/kc.h"

#include <stdlib.h>

struct run {
	struct kc_ctx c;
	char *diag;
	size_t dlen;
	struct kc_stmt *top;
};

static void parse(struct run *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	r->c.diag = open_memstream(&r->diag, &r->dlen);
	r->top = kc_read_buf(&r->c, "t.conf", text, strlen(text));
	fflush(r->c.diag);
}

static void done(struct run *r)
{
	fclose(r->c.diag);
	free(r->diag);
	kc_arena_free(&r->c.arena);
}

static const char *word(const struct kc_stmt *st, size_t i)
{
	return st && i < st->n ? st->w[i].s : NULL;
}

TEST(kc_braces_glued_to_words_are_tokens)
{
	struct run r;

	parse(&r, "unicast_peer{10.1.1.2}\nvirtual_ipaddress {\n  192.0.2.1}\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(word(r.top, 0), "unicast_peer");
	CHECK(r.top->has_block);
	CHECK_EQ_STR(word(r.top->child, 0), "10.1.1.2");
	CHECK_EQ_STR(word(r.top->next, 0), "virtual_ipaddress");
	CHECK_EQ_STR(word(r.top->next->child, 0), "192.0.2.1");
	CHECK(r.top->next->next == NULL);
	done(&r);
}

TEST(kc_one_line_blocks_hold_several_statements)
{
	struct run r;

	parse(&r, "global_defs { router_id x } vrrp_script s { script a }\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_STR(word(r.top, 0), "global_defs");
	CHECK_EQ_STR(word(r.top->child, 1), "x");
	CHECK_EQ_STR(word(r.top->next, 1), "s");
	CHECK_EQ_STR(word(r.top->next->child, 0), "script");
	done(&r);
}

TEST(kc_brace_on_the_next_line_opens_the_block)
{
	struct run r;

	parse(&r, "vrrp_instance VI_1\n{\n  state BACKUP\n}\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK(r.top->has_block);
	CHECK_EQ_STR(word(r.top->child, 1), "BACKUP");
	done(&r);
}

TEST(kc_comments_start_anywhere_outside_quotes)
{
	struct run r;

	parse(&r, "a b # c d\nx ! y\n  # whole line\nn \"q # not ! comment\" t!u\n");
	CHECK_EQ_INT(r.c.errors, 0);
	CHECK_EQ_INT(r.top->n, 2);
	CHECK_EQ_INT(r.top->next->n, 1);
	CHECK_EQ_STR(word(r.top->next->next, 1), "q # not ! comment");
	CHECK(r.top->next->next->w[1].quoted);
	CHECK_EQ_STR(word(r.top->next->next, 2), "t");
	done(&r);
}

TEST(kc_positions_count_characters_not_bytes)
{
	struct run r;

	/* two CJK characters (3 bytes each) before the word */
	parse(&r, "\xe4\xbd\xa0\xe5\xa5\xbd x\n");
	CHECK_EQ_INT(r.top->w[1].pos.line, 1);
	CHECK_EQ_INT(r.top->w[1].pos.col, 4);
	done(&r);
}

TEST(kc_unclosed_quote_is_an_error_at_the_quote)
{
	struct run r;

	parse(&r, "script \"abc\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:1:8: error: quoted string is not closed") != NULL);
	done(&r);
}

TEST(kc_tab_inside_quotes_is_refused_with_its_column)
{
	struct run r;

	parse(&r, "notify_up \"a\tb\"\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:1:13: error: a tab inside a quoted string") != NULL);
	done(&r);
}

TEST(kc_unbalanced_braces_are_errors_with_positions)
{
	struct run r;

	parse(&r, "a {\n  b\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:1:3: error: this '{' is never closed") != NULL);
	done(&r);
	parse(&r, "a\n}\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:2:1: error: '}' closes no block") != NULL);
	done(&r);
	parse(&r, "a { b }\n{ c }\n");
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:2:1: error: '{' does not follow a keyword") != NULL);
	done(&r);
}

TEST(kc_nesting_is_bounded)
{
	struct run r;
	char buf[256] = "";

	for (int i = 0; i < 40; i++)
		strcat(buf, "a {");
	parse(&r, buf);
	CHECK(r.c.errors >= 1);
	CHECK(strstr(r.diag, "blocks nested deeper than 16") != NULL);
	done(&r);
}

TEST(kc_nul_byte_stops_the_file)
{
	struct run r;
	static const char text[] = "a b\nc \0 d\ne f\n";

	memset(&r, 0, sizeof(r));
	r.c.diag = open_memstream(&r.diag, &r.dlen);
	r.top = kc_read_buf(&r.c, "t.conf", text, sizeof(text) - 1);
	fflush(r.c.diag);
	CHECK_EQ_INT(r.c.errors, 1);
	CHECK(strstr(r.diag, "t.conf:2:3: error: a NUL byte") != NULL);
	CHECK(r.top && r.top->next == NULL);
	done(&r);
}

TEST(kc_cmd_split_follows_keepalived)
{
	struct kc_arena a = { 0 };
	struct kc_cmd cmd;
	char err[128];

	/* keepalived's dump of "/bin/echo 'a b' \"c # d\" e!f" after unescaping */
	CHECK_EQ_INT(kc_cmd_split(&a, "/bin/echo 'a b' \"c # d\" e!f", &cmd, err, sizeof(err)), 0);
	CHECK_EQ_INT(cmd.n, 4);
	CHECK_EQ_STR(cmd.w[0], "/bin/echo");
	CHECK_EQ_STR(cmd.w[1], "a b");
	CHECK_EQ_STR(cmd.w[2], "c # d");
	CHECK_EQ_STR(cmd.w[3], "e!f");
	CHECK_EQ_INT(kc_cmd_split(&a, "x \"c # d\" y\\ z", &cmd, err, sizeof(err)), 0);
	CHECK_EQ_INT(cmd.n, 3);
	CHECK_EQ_STR(cmd.w[1], "c # d");
	CHECK_EQ_STR(cmd.w[2], "y z");
	CHECK(cmd.w[3] == NULL);
	CHECK_EQ_INT(kc_cmd_split(&a, "x 'open", &cmd, err, sizeof(err)), -1);
	CHECK_EQ_STR(err, "the single quote in 'x 'open' is not closed");
	CHECK_EQ_INT(kc_cmd_split(&a, "   ", &cmd, err, sizeof(err)), -1);
	CHECK_EQ_STR(err, "the command is empty");
	CHECK_EQ_INT(kc_cmd_split(&a, "x '' y", &cmd, err, sizeof(err)), -1);
	kc_arena_free(&a);
}

TEST(kc_cmd_encodings_for_vrrpd_and_hcheck)
{
	struct kc_arena a = { 0 };
	struct kc_cmd cmd;
	char err[128];

	kc_cmd_split(&a, "/x/notify.sh 'two words' master", &cmd, err, sizeof(err));
	CHECK_EQ_STR(kc_cmd_vrrpd(&a, &cmd), "/x/notify.sh \"two words\" master");
	kc_cmd_split(&a, "/x 'say \"hi\"'", &cmd, err, sizeof(err));
	CHECK(kc_cmd_vrrpd(&a, &cmd) == NULL);
	CHECK_EQ_STR(kc_hcheck_word(&a, "/index.html"), "/index.html");
	CHECK_EQ_STR(kc_hcheck_word(&a, "/a b"), "\"/a b\"");
	CHECK_EQ_STR(kc_hcheck_word(&a, "x\"y\\z"), "\"x\\\"y\\\\z\"");
	CHECK_EQ_STR(kc_hcheck_word(&a, "#frag"), "\"#frag\"");
	kc_arena_free(&a);
}
