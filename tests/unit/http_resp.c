/* lib/http.c: the request keepalived sends, and the incremental
 * response parser fed in every way a socket could cut the bytes. */
#include "t.h"
#include "http.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

struct sink {
	char wire[4096], data[4096];
	size_t wire_len, data_len;
	int calls;
};

static void collect(void *arg, const char *p, size_t n, unsigned flags)
{
	struct sink *s = arg;

	s->calls++;
	if ((flags & HK_HTTP_WIRE) && s->wire_len + n <= sizeof(s->wire)) {
		memcpy(s->wire + s->wire_len, p, n);
		s->wire_len += n;
	}
	if ((flags & HK_HTTP_DATA) && s->data_len + n <= sizeof(s->data)) {
		memcpy(s->data + s->data_len, p, n);
		s->data_len += n;
	}
}

static struct hk_http_resp resp;

/* Feed s in pieces of `step` bytes (0: all at once); returns the total
 * consumed, or -1 at the first error.  eof: then signal the close. */
static long feed(const char *s, size_t n, size_t step, struct sink *k, int eof)
{
	size_t off = 0;

	hk_http_resp_init(&resp);
	memset(k, 0, sizeof(*k));
	while (off < n) {
		size_t piece = step && n - off > step ? step : n - off;
		ssize_t used = hk_http_resp_feed(&resp, s + off, piece, collect, k);

		if (used < 0)
			return -1;
		off += (size_t)used;
		if ((size_t)used < piece)
			break;		/* complete: the rest is not ours */
	}
	if (eof && hk_http_resp_eof(&resp) < 0)
		return -1;
	return (long)off;
}

#define S(lit) lit, sizeof(lit) - 1

TEST(http_request_is_keepalived_s_for_each_protocol)
{
	char buf[512];

	CHECK_EQ_INT(hk_http_request(buf, sizeof(buf), "/index.html", "192.0.2.10:80", HK_HTTP_10), 78);
	CHECK_EQ_STR(buf, "GET /index.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
			  "Host: 192.0.2.10:80\r\n\r\n");
	hk_http_request(buf, sizeof(buf), "/", "www.example.com", HK_HTTP_10C);
	CHECK_EQ_STR(buf, "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
			  "Connection: close\r\nHost: www.example.com\r\n\r\n");
	hk_http_request(buf, sizeof(buf), "/a?b=c", "[2001:db8::1]:8080", HK_HTTP_11);
	CHECK_EQ_STR(buf, "GET /a?b=c HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
			  "Connection: close\r\nHost: [2001:db8::1]:8080\r\n\r\n");
}

TEST(http_request_refuses_what_would_break_the_request)
{
	char buf[512];
	const char *paths[] = { "index.html", "/a b", "/a\r\nX: y", "/\x7f", "/caf\xc3\xa9", "", NULL };

	for (int i = 0; paths[i]; i++) {
		errno = 0;
		CHECK_EQ_INT(hk_http_request(buf, sizeof(buf), paths[i], "h", HK_HTTP_10), -1);
		CHECK_EQ_INT(errno, EINVAL);
	}
	CHECK_EQ_INT(hk_http_request(buf, sizeof(buf), "/", "a b", HK_HTTP_10), -1);
	CHECK_EQ_INT(hk_http_request(buf, sizeof(buf), "/", "", HK_HTTP_10), -1);
	CHECK_EQ_INT(hk_http_request(buf, 40, "/", "host", HK_HTTP_10), -1);
	CHECK_EQ_INT(errno, ENOSPC);
	CHECK_EQ_STR(hk_http_path_problem("x"), "does not start with '/'");
}

TEST(http_proto_parse_takes_keepalived_s_three_words)
{
	enum hk_http_proto p;

	CHECK(hk_http_proto_parse("1.0", &p) == 0 && p == HK_HTTP_10);
	CHECK(hk_http_proto_parse("1.0c", &p) == 0 && p == HK_HTTP_10C);
	CHECK(hk_http_proto_parse("1.0C", &p) == 0 && p == HK_HTTP_10C);
	CHECK(hk_http_proto_parse("1.1", &p) == 0 && p == HK_HTTP_11);
	CHECK_EQ_INT(hk_http_proto_parse("2", &p), -1);
	CHECK_EQ_INT(hk_http_proto_parse("1.1 ", &p), -1);
}

static const char cl_resp[] = "HTTP/1.1 200 OK\r\nServer: t\r\nContent-Length: 12\r\n\r\nhello world\nEXTRA";

TEST(http_content_length_body_ends_at_its_length_however_it_is_cut)
{
	struct sink k;

	for (size_t step = 0; step <= 7; step++) {
		long used = feed(S(cl_resp), step, &k, 0);

		CHECK_EQ_INT(used, sizeof(cl_resp) - 1 - 5);
		CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
		CHECK_EQ_INT(resp.status, 200);
		CHECK_EQ_INT(resp.version_minor, 1);
		CHECK_EQ_INT(resp.framing, HK_HTTP_F_LENGTH);
		CHECK_EQ_INT(resp.body_len, 12);
		CHECK_EQ_INT(k.data_len, 12);
		CHECK_EQ_INT(k.wire_len, 12);
		CHECK_EQ_MEM(k.data, "hello world\n", 12);
	}
	CHECK(hk_http_resp_have_header(&resp));
	CHECK_EQ_INT((int)resp.reason_len, 2);
	CHECK_EQ_MEM(resp.hdr + resp.reason_off, "OK", 2);
	CHECK_EQ_INT(resp.hdr_len, sizeof(cl_resp) - 1 - 17);
	CHECK_EQ_INT(hk_http_resp_eof(&resp), 0);
}

static const char chunked[] =
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	"5\r\nhello\r\n"
	"7;name=val\r\n world\n\r\n"
	"0\r\nX-Trailer: 1\r\n\r\n";

TEST(http_chunked_body_is_decoded_and_its_wire_bytes_kept_for_the_digest)
{
	const char *wire = strstr(chunked, "\r\n\r\n") + 4;
	struct sink k;

	for (size_t step = 0; step <= 9; step++) {
		CHECK_EQ_INT(feed(S(chunked), step, &k, 0), sizeof(chunked) - 1);
		CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
		CHECK_EQ_INT(resp.framing, HK_HTTP_F_CHUNKED);
		CHECK_EQ_INT(k.data_len, 12);
		CHECK_EQ_MEM(k.data, "hello world\n", 12);
		/* keepalived hashes the chunked body as sent. */
		CHECK_EQ_INT(k.wire_len, strlen(wire));
		CHECK_EQ_MEM(k.wire, wire, strlen(wire));
		CHECK_EQ_INT(resp.wire_len, strlen(wire));
	}
}

TEST(http_chunked_takes_upper_case_hex_and_bare_line_feeds)
{
	struct sink k;

	CHECK(feed(S("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nA\nabcdefghij\n0\n\n"), 1, &k, 0) > 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(k.data_len, 10);
}

TEST(http_transfer_encoding_wins_over_content_length)
{
	struct sink k;

	feed(S("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
	       "3\r\nabc\r\n0\r\n\r\n"), 0, &k, 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(resp.framing, HK_HTTP_F_CHUNKED);
	CHECK_EQ_INT(k.data_len, 3);
}

TEST(http_other_final_coding_runs_until_close)
{
	struct sink k;

	CHECK(feed(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nxyz"), 0, &k, 1) > 0);
	CHECK_EQ_INT(resp.framing, HK_HTTP_F_CLOSE);
	CHECK_EQ_INT(k.data_len, 3);
}

TEST(http_body_without_length_ends_when_the_server_closes)
{
	struct sink k;

	CHECK_EQ_INT(feed(S("HTTP/1.0 200 OK\r\n\r\nsome body"), 3, &k, 0), 28);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_CLOSE);
	CHECK_EQ_INT(hk_http_resp_eof(&resp), 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(k.data_len, 9);
}

TEST(http_no_content_and_not_modified_have_no_body)
{
	struct sink k;

	CHECK_EQ_INT(feed(S("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello"), 0, &k, 0), 46);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(resp.status, 204);
	CHECK_EQ_INT(k.calls, 0);
	feed(S("HTTP/1.1 304 Not Modified\r\n\r\n"), 0, &k, 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	feed(S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 0, &k, 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
}

TEST(http_equal_content_length_list_is_accepted)
{
	struct sink k;

	feed(S("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\ncontent-length:3\r\n\r\nabc"), 0, &k, 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(resp.content_length, 3);
}

TEST(http_status_line_without_reason_is_accepted)
{
	struct sink k;

	feed(S("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n"), 0, &k, 0);
	CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
	CHECK_EQ_INT(resp.status, 503);
	CHECK_EQ_INT((int)resp.reason_len, 0);
}

/* Each malformed response, fed whole and byte by byte, must fail with
 * the given start of a sentence. */
static void bad(const char *s, size_t n, const char *msg, int eof)
{
	struct sink k;

	for (size_t step = 0; step <= 1; step++) {
		CHECK_EQ_INT(feed(s, n, step, &k, eof), -1);
		CHECK_EQ_INT(resp.state, HK_HTTP_S_ERROR);
		if (strncmp(resp.err, msg, strlen(msg)) != 0)
			t_fail(__FILE__, __LINE__, "error '%s' does not start with '%s'", resp.err, msg);
		/* Once broken, it stays broken. */
		CHECK_EQ_INT(hk_http_resp_feed(&resp, "x", 1, NULL, NULL), -1);
	}
}

TEST(http_garbage_is_refused_at_once_with_what_came)
{
	struct sink k;

	/* One byte is enough to know, even without a line end; the
	 * message shows what came with it. */
	bad(S("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), "not an HTTP response: 'S", 0);
	CHECK_EQ_INT(feed(S("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), 0, &k, 0), -1);
	CHECK_EQ_STR(resp.err, "not an HTTP response: 'SSH-2.0-OpenSSH_9.2p1 Debian-2\\x0d\\x0a'");
	CHECK_EQ_INT(feed(S("HTTP\x16\x03\x01"), 0, &k, 0), -1);
	CHECK_EQ_STR(resp.err, "not an HTTP response: 'HTTP\\x16\\x03\\x01'");
	CHECK_EQ_INT(feed(S("<"), 0, &k, 0), -1);
	bad(S("HTTP/2 200\r\n\r\n"), "malformed status line 'HTTP/2 200'", 0);
	bad(S("HTTP/2.0 200 OK\r\n\r\n"), "HTTP version 2.0 is not 1.x", 0);
	bad(S("HTTP/1.1 20 OK\r\n\r\n"), "malformed status line", 0);
	bad(S("HTTP/1.1 099 OK\r\n\r\n"), "malformed status code", 0);
	bad(S("HTTP/1.1 200OK\r\n\r\n"), "malformed status line", 0);
}

TEST(http_bad_header_lines_are_refused)
{
	bad(S("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"), "malformed header line 'no colon here'", 0);
	bad(S("HTTP/1.1 200 OK\r\n: empty\r\n\r\n"), "malformed header line", 0);
	bad(S("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"), "malformed header line", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n"), "bad Content-Length '12a'", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"), "bad Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"), "bad Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n"), "bad Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"), "bad Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"), "bad Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n 4\r\n\r\n"), "folded Content-Length", 0);
	bad(S("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n"), "NUL byte in the header", 0);
}

TEST(http_header_larger_than_the_bound_is_refused)
{
	size_t n = HK_HTTP_HEADER_MAX + 100;
	char *big = malloc(n);

	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', n - 20);
	bad(big, n, "header longer than 16384 bytes", 0);
	free(big);
}

TEST(http_bad_chunks_are_refused)
{
#define CH "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	bad(S(CH "g\r\n"), "malformed chunk size: unexpected 'g'", 0);
	bad(S(CH "\r\n"), "malformed chunk size: no hex digits", 0);
	bad(S(CH "-1\r\n"), "malformed chunk size: unexpected '-'", 0);
	bad(S(CH "1234567890abcdef0\r\n"), "chunk size of more than 15 hex digits", 0);
	bad(S(CH "3\r\nabcd\r\n"), "chunk data longer than its chunk size", 0);
	bad(S(CH "3\rx"), "malformed chunk size: CR not followed by LF", 0);
#undef CH
}

TEST(http_a_close_before_the_end_says_where)
{
	bad(S(""), "connection closed without a response", 1);
	bad(S("HTTP/1.1 200 OK\r\nContent-"), "connection closed in the header, after 25 bytes", 1);
	bad(S("HTTP/1.1 200 OK\r\nContent-Length: 612\r\n\r\nabc"),
	    "connection closed after 3 of 612 body bytes", 1);
	bad(S("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"),
	    "connection closed in the chunked body, after 3 bytes", 1);
}

TEST(http_quote_escapes_and_cuts)
{
	char buf[16], big[17];

	CHECK_EQ_STR(hk_http_quote(big, sizeof(big), "a'b\\c\n", 6), "a\\x27b\\x5cc\\x0a");
	CHECK_EQ_STR(hk_http_quote(buf, sizeof(buf), "abcdefghijklmnopqrstuvwxyz", 26), "abcdefghijkl...");
}

/* A small deterministic fuzzer: seeds mutated (bytes flipped, cut,
 * repeated) and fed in random pieces.  The parser must never read or
 * write out of bounds (the sanitizer pass watches), never consume more
 * than it was given, and end in a coherent state. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

TEST(http_parser_survives_mutated_responses)
{
	static const char *const seeds[] = {
		cl_resp, chunked,
		"HTTP/1.0 200 OK\r\n\r\nclose delimited",
		"HTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffff\r\nabc",
		"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n X: y\r\n\r\nabc",
	};
	char buf[512];

	for (int iter = 0; iter < 20000; iter++) {
		const char *seed = seeds[rnd() % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = strlen(seed), off = 0;
		int muts = (int)(rnd() % 4);

		memcpy(buf, seed, n);
		for (int m = 0; m < muts; m++) {
			size_t at = rnd() % n;

			switch (rnd() % 3) {
			case 0: buf[at] = (char)rnd(); break;
			case 1: n = at + 1; break;
			case 2:
				if (n + 8 < sizeof(buf)) {
					memmove(buf + at + 8, buf + at, n - at);
					n += 8;
				}
				break;
			}
		}
		hk_http_resp_init(&resp);
		while (off < n) {
			size_t piece = 1 + rnd() % (n - off);
			ssize_t used = hk_http_resp_feed(&resp, buf + off, piece, NULL, NULL);

			if (used < 0) {
				CHECK_EQ_INT(resp.state, HK_HTTP_S_ERROR);
				CHECK(resp.err[0] != '\0');
				break;
			}
			CHECK((size_t)used <= piece);
			off += (size_t)used;
			if ((size_t)used < piece) {
				CHECK_EQ_INT(resp.state, HK_HTTP_S_DONE);
				break;
			}
		}
		if (resp.state != HK_HTTP_S_ERROR) {
			int r = hk_http_resp_eof(&resp);

			CHECK(r == 0 ? resp.state == HK_HTTP_S_DONE : resp.state == HK_HTTP_S_ERROR);
		}
		if (resp.state == HK_HTTP_S_DONE)
			CHECK(resp.body_len <= resp.wire_len);
	}
}
