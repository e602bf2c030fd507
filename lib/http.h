/*
 * The HTTP/1.x client side that hcheck and genhash share, as pure
 * functions over buffers (no sockets here, so a fuzzer or a unit test
 * can drive them byte by byte):
 *
 *  - hk_http_request(): the GET request keepalived's HTTP_GET sends;
 *  - struct hk_http_resp: an incremental response parser that takes the
 *    bytes as they arrive, in pieces of any size, checks the status line
 *    and header, and decodes the body framing (Content-Length, chunked,
 *    or delimited by the server closing), never buffering the body.
 *
 * The body is handed to a callback in two views.  HK_HTTP_DATA is the
 * decoded payload (what a browser would show).  HK_HTTP_WIRE is every
 * byte after the header up to the end of the response, framing
 * included: keepalived's digest is the MD5 of that (a chunked body is
 * hashed with its chunk-size lines), so this is the view genhash and
 * --digest hash.  Without chunking the two views are the same bytes and
 * come in one call with both flags.
 */
#ifndef HK_HTTP_H
#define HK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The protocol line keepalived offers: 1.0, 1.0 + "Connection: close", 1.1. */
enum hk_http_proto {
	HK_HTTP_10 = 0,
	HK_HTTP_10C,
	HK_HTTP_11,
};

/*
 * Parse "1.0", "1.0c" (or "1.0C") or "1.1".  Returns 0, or -1 with
 * errno EINVAL.
 */
int hk_http_proto_parse(const char *s, enum hk_http_proto *out);

/*
 * Check that path can go on a request line as it is: it starts with
 * '/' and holds no space, control character or byte >= 0x7f.  Returns
 * NULL if it can, else a sentence saying why.
 */
const char *hk_http_path_problem(const char *path);

/* Same for a Host header value (--vhost): 1-255 visible ASCII bytes. */
const char *hk_http_host_problem(const char *host);

/*
 * Write keepalived's HTTP_GET request for path into buf:
 *
 *   GET PATH HTTP/1.x\r\n
 *   User-Agent: KeepAliveClient\r\n
 *   Connection: close\r\n              (1.0c and 1.1 only)
 *   Host: HOST\r\n
 *   \r\n
 *
 * host is the virtual host, or the target as "ADDR:PORT" ("[ADDR6]:PORT").
 * Returns the length written (without the terminating NUL), or -1 with
 * errno ENOSPC if buf is too small, EINVAL if path or host would not
 * make a valid request line or header (see the two checks above).
 */
ssize_t hk_http_request(char *buf, size_t size, const char *path,
			const char *host, enum hk_http_proto proto);

/* Flags of a body callback: which view the bytes belong to. */
enum {
	HK_HTTP_WIRE = 1,	/* after the header, framing included */
	HK_HTTP_DATA = 2,	/* the decoded payload */
};

typedef void hk_http_body_fn(void *arg, const char *p, size_t n,
			     unsigned flags);

/* Largest status line + header block accepted; a longer one is an error. */
#define HK_HTTP_HEADER_MAX 16384

enum hk_http_state {
	HK_HTTP_S_HEADER = 0,	/* reading the status line and header */
	HK_HTTP_S_LENGTH,	/* body of Content-Length bytes */
	HK_HTTP_S_CLOSE,	/* body until the server closes */
	HK_HTTP_S_CHUNK_SIZE,	/* chunked: the chunk-size line */
	HK_HTTP_S_CHUNK_DATA,	/* chunked: chunk data */
	HK_HTTP_S_CHUNK_END,	/* chunked: the CRLF after chunk data */
	HK_HTTP_S_TRAILER,	/* chunked: trailer fields up to the empty line */
	HK_HTTP_S_DONE,		/* the response is complete */
	HK_HTTP_S_ERROR,	/* malformed; see err */
};

enum hk_http_framing {
	HK_HTTP_F_NONE = 0,	/* no body (204, 304, 1xx) */
	HK_HTTP_F_LENGTH,
	HK_HTTP_F_CHUNKED,
	HK_HTTP_F_CLOSE,
};

struct hk_http_resp {
	enum hk_http_state state;
	enum hk_http_framing framing;
	int version_minor;		/* HTTP/1.<minor> */
	int status;			/* 100-999 */
	bool have_header;		/* status line and header parsed */
	uint64_t content_length;	/* with HK_HTTP_F_LENGTH */
	uint64_t body_len;		/* decoded payload bytes so far */
	uint64_t wire_len;		/* bytes after the header so far */

	/* The status line and header as received (hdr_len bytes, the blank
	 * line included), NUL-terminated once the header is complete. */
	size_t hdr_len;
	size_t reason_off, reason_len;	/* the reason phrase in hdr */

	/* Error sentence when state is HK_HTTP_S_ERROR. */
	char err[160];

	/* Private: chunked-decoder and line state. */
	uint64_t left;			/* bytes left in body or chunk */
	unsigned line_len;		/* bytes of the current framing line */
	unsigned trailer_len;		/* bytes of trailer section */
	int ndigits;			/* hex digits in the chunk size */
	bool in_ext;			/* past the digits (chunk-ext) */
	bool cr;			/* a CR was just seen */
	char hdr[HK_HTTP_HEADER_MAX + 1];
};

/* Make r ready for a new response. */
void hk_http_resp_init(struct hk_http_resp *r);

/*
 * Feed n bytes of the response.  Body bytes go to cb (which may be
 * NULL) as they are decoded.  Returns the number of bytes consumed: all
 * of them, fewer once the response is complete (what follows is not
 * part of it), or -1 once it is malformed (r->state is then
 * HK_HTTP_S_ERROR and r->err says why; feeding more returns -1 again).
 */
ssize_t hk_http_resp_feed(struct hk_http_resp *r, const char *p, size_t n,
			  hk_http_body_fn *cb, void *arg);

/*
 * The server closed the connection.  Returns 0 if that completes the
 * response (a close-delimited body, or one already complete), else -1
 * with r->err saying where it was cut ("... after 10 of 612 body bytes").
 */
int hk_http_resp_eof(struct hk_http_resp *r);

/* Whether the header has been read (status, framing, hdr are valid). */
bool hk_http_resp_have_header(const struct hk_http_resp *r);

/*
 * Write n bytes of p into buf (size bytes) as printable text for an
 * error message: quotes, backslashes and bytes outside 0x20-0x7e as \xNN,
 * cut with "..." when longer than fits.  Returns buf.
 */
char *hk_http_quote(char *buf, size_t size, const char *p, size_t n);

#endif
