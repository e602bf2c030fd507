/*
 * libFuzzer target: the HTTP response parser and chunked decoder that
 * hcheck and genhash share, fed in pieces (the first byte picks the piece
 * size, so splits inside the header, a chunk-size line or a CRLF are all
 * reached), then closed.  Checks that the decoded bytes handed out match
 * the parser's own count.
 */
#include "http.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	uint64_t data, wire;
};

static void body(void *arg, const char *p, size_t n, unsigned flags)
{
	struct seen *s = arg;

	(void)p;
	if (flags & HK_HTTP_DATA)
		s->data += n;
	if (flags & HK_HTTP_WIRE)
		s->wire += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hk_http_resp r;	/* 16 KiB: not on the stack */
	struct seen s = { 0, 0 };
	size_t piece, off = 0;

	if (size == 0)
		return 0;
	piece = (size_t)data[0] % 17 + 1;
	data++;
	size--;
	hk_http_resp_init(&r);
	while (off < size) {
		size_t n = size - off < piece ? size - off : piece;
		ssize_t used = hk_http_resp_feed(&r, (const char *)data + off, n, body, &s);

		if (used < 0 || (size_t)used > n)
			break;
		off += (size_t)used;
		if ((size_t)used < n || r.state == HK_HTTP_S_DONE)
			break;
	}
	if (r.state != HK_HTTP_S_ERROR)
		hk_http_resp_eof(&r);
	if (s.data != r.body_len)
		abort();
	return 0;
}
