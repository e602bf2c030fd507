#include "http.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A chunk size of more than 15 hex digits (2^60 bytes) is refused
 * rather than risk overflowing the counters. */
#define CHUNK_DIGITS_MAX 15
/* A chunk-size line with extensions, or one trailer line, longer than
 * this is refused: nothing legitimate comes close. */
#define LINE_MAX_BYTES 4096
/* Content-Length up to 2^60, for the same reason. */
#define LENGTH_MAX ((uint64_t)1 << 60)

int hk_http_proto_parse(const char *s, enum hk_http_proto *out)
{
	if (strcmp(s, "1.0") == 0)
		*out = HK_HTTP_10;
	else if (strcmp(s, "1.0c") == 0 || strcmp(s, "1.0C") == 0)
		*out = HK_HTTP_10C;
	else if (strcmp(s, "1.1") == 0)
		*out = HK_HTTP_11;
	else {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

const char *hk_http_path_problem(const char *path)
{
	if (path[0] != '/')
		return "does not start with '/'";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return "holds a space, a control character or a non-ASCII byte (percent-encode it)";
	if (strlen(path) > 8000)
		return "is longer than 8000 bytes";
	return NULL;
}

const char *hk_http_host_problem(const char *host)
{
	size_t n = strlen(host);

	if (n == 0)
		return "is empty";
	if (n > 255)
		return "is longer than 255 bytes";
	for (const unsigned char *p = (const unsigned char *)host; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return "holds a space, a control character or a non-ASCII byte";
	return NULL;
}

ssize_t hk_http_request(char *buf, size_t size, const char *path,
			const char *host, enum hk_http_proto proto)
{
	int n;

	if (hk_http_path_problem(path) || hk_http_host_problem(host)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, size,
		     "GET %s HTTP/1.%c\r\n"
		     "User-Agent: KeepAliveClient\r\n"
		     "%s"
		     "Host: %s\r\n"
		     "\r\n",
		     path, proto == HK_HTTP_11 ? '1' : '0',
		     proto == HK_HTTP_10 ? "" : "Connection: close\r\n", host);
	if (n < 0 || (size_t)n >= size) {
		errno = ENOSPC;
		return -1;
	}
	return n;
}

char *hk_http_quote(char *buf, size_t size, const char *p, size_t n)
{
	size_t o = 0;

	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char tmp[5];
		size_t k;

		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
			tmp[0] = (char)c;
			k = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
			k = 4;
		}
		/* Keep room for the NUL, and for "..." if more follows. */
		if (o + k + (i + 1 < n ? 3 : 0) + 1 > size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, k);
		o += k;
	}
	buf[o] = '\0';
	return buf;
}

static ssize_t fail(struct hk_http_resp *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static ssize_t fail(struct hk_http_resp *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	r->state = HK_HTTP_S_ERROR;
	return -1;
}

void hk_http_resp_init(struct hk_http_resp *r)
{
	/* Everything but the big header buffer, which only ever holds
	 * hdr_len valid bytes. */
	memset(r, 0, offsetof(struct hk_http_resp, hdr));
	r->hdr[0] = '\0';
}

bool hk_http_resp_have_header(const struct hk_http_resp *r)
{
	return r->have_header;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Strip optional white space (SP, HT) from both ends of [*s, *e). */
static void trim_ows(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* "HTTP/1.x SSS[ reason]" in [s, e), without the line end. */
static ssize_t parse_status_line(struct hk_http_resp *r, const char *s,
				 const char *e)
{
	char q[64];
	size_t n = (size_t)(e - s);

	if (n < 12 || memcmp(s, "HTTP/", 5) != 0 || !is_digit(s[5]) ||
	    s[6] != '.' || !is_digit(s[7]) || s[8] != ' ' ||
	    !is_digit(s[9]) || !is_digit(s[10]) || !is_digit(s[11]) ||
	    (n > 12 && s[12] != ' '))
		return fail(r, "malformed status line '%s'",
			    hk_http_quote(q, sizeof(q), s, n));
	if (s[5] != '1')
		return fail(r, "HTTP version %c.%c is not 1.x", s[5], s[7]);
	if (s[9] == '0')
		return fail(r, "malformed status code in '%s'",
			    hk_http_quote(q, sizeof(q), s, n));
	r->version_minor = s[7] - '0';
	r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	r->reason_off = n > 13 ? 13 : n;
	r->reason_len = n - r->reason_off;
	return 0;
}

/* A Content-Length value: digits, or a list of equal ones ("5, 5"). */
static int parse_length(const char *s, const char *e, uint64_t *out)
{
	bool have = false;
	uint64_t v = 0;

	while (s < e) {
		const char *item = s, *ie;
		uint64_t x = 0;

		while (s < e && *s != ',')
			s++;
		ie = s;
		if (s < e)
			s++;
		trim_ows(&item, &ie);
		if (item == ie)
			return -1;
		for (const char *p = item; p < ie; p++) {
			if (!is_digit(*p))
				return -1;
			x = x * 10 + (uint64_t)(*p - '0');
			if (x > LENGTH_MAX)
				return -1;
		}
		if (have && x != v)
			return -1;
		v = x;
		have = true;
	}
	if (!have)
		return -1;
	*out = v;
	return 0;
}

/* Is the last coding in a Transfer-Encoding list "chunked"? */
static bool last_coding_chunked(const char *s, const char *e)
{
	const char *last = s;

	for (const char *p = s; p < e; p++)
		if (*p == ',')
			last = p + 1;
	trim_ows(&last, &e);
	/* Parameters of a coding come after ';'. */
	for (const char *p = last; p < e; p++)
		if (*p == ';') {
			e = p;
			trim_ows(&last, &e);
			break;
		}
	return (size_t)(e - last) == 7 && strncasecmp(last, "chunked", 7) == 0;
}

/* The whole header is in r->hdr: parse the fields and choose framing. */
static ssize_t parse_fields(struct hk_http_resp *r)
{
	const char *p = r->hdr, *end = r->hdr + r->hdr_len;
	bool have_len = false, have_te = false, chunked = false;
	const char *prev_name = NULL;
	size_t prev_len = 0;
	uint64_t len = 0;
	char q[64];

	/* Skip the status line, already checked. */
	p = memchr(p, '\n', (size_t)(end - p)) + 1;
	for (;;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol, *colon, *vs, *ve;

		if (le > p && le[-1] == '\r')
			le--;
		if (le == p)
			break;		/* the blank line */
		if (*p == ' ' || *p == '\t') {
			/* obs-fold: the value goes on; harmless unless it
			 * is part of the framing. */
			if (prev_name && ((prev_len == 14 && !strncasecmp(prev_name, "content-length", 14)) ||
					  (prev_len == 17 && !strncasecmp(prev_name, "transfer-encoding", 17))))
				return fail(r, "folded %.*s header", (int)prev_len, prev_name);
			p = eol + 1;
			continue;
		}
		colon = memchr(p, ':', (size_t)(le - p));
		if (!colon || colon == p)
			return fail(r, "malformed header line '%s'",
				    hk_http_quote(q, sizeof(q), p, (size_t)(le - p)));
		for (const char *c = p; c < colon; c++)
			if (!is_tchar(*c))
				return fail(r, "malformed header line '%s'",
					    hk_http_quote(q, sizeof(q), p, (size_t)(le - p)));
		vs = colon + 1;
		ve = le;
		trim_ows(&vs, &ve);
		prev_name = p;
		prev_len = (size_t)(colon - p);
		if (prev_len == 14 && !strncasecmp(p, "content-length", 14)) {
			uint64_t v;

			if (parse_length(vs, ve, &v) < 0 || (have_len && v != len))
				return fail(r, "bad Content-Length '%s'",
					    hk_http_quote(q, sizeof(q), vs, (size_t)(ve - vs)));
			len = v;
			have_len = true;
		} else if (prev_len == 17 && !strncasecmp(p, "transfer-encoding", 17)) {
			have_te = true;
			/* Only the last Transfer-Encoding line's last coding
			 * decides (codings of several lines form one list). */
			chunked = last_coding_chunked(vs, ve);
		}
		p = eol + 1;
	}

	if ((r->status >= 100 && r->status < 200) || r->status == 204 ||
	    r->status == 304) {
		r->framing = HK_HTTP_F_NONE;
		r->state = HK_HTTP_S_DONE;
	} else if (have_te) {
		/* Transfer-Encoding overrides Content-Length (RFC 9112 6.3);
		 * a final coding other than chunked runs until close. */
		r->framing = chunked ? HK_HTTP_F_CHUNKED : HK_HTTP_F_CLOSE;
		r->state = chunked ? HK_HTTP_S_CHUNK_SIZE : HK_HTTP_S_CLOSE;
	} else if (have_len) {
		r->framing = HK_HTTP_F_LENGTH;
		r->content_length = len;
		r->left = len;
		r->state = len ? HK_HTTP_S_LENGTH : HK_HTTP_S_DONE;
	} else {
		r->framing = HK_HTTP_F_CLOSE;
		r->state = HK_HTTP_S_CLOSE;
	}
	r->have_header = true;
	return 0;
}

/*
 * Take header bytes from p until the blank line.  Returns the bytes
 * consumed (the header is complete if r->state changed), or -1.
 */
static ssize_t feed_header(struct hk_http_resp *r, const char *p, size_t n)
{
	static const char magic[] = "HTTP/";
	char q[64];

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (r->hdr_len >= HK_HTTP_HEADER_MAX)
			return fail(r, "header longer than %d bytes", HK_HTTP_HEADER_MAX);
		r->hdr[r->hdr_len++] = c;
		/* Not HTTP at all: say so at once rather than wait for a
		 * line end that may never come. */
		if (r->hdr_len <= 5 && c != magic[r->hdr_len - 1]) {
			char seen[48];
			size_t more = n - i - 1;

			/* What came so far (perhaps over several reads) and a
			 * little of what follows, to show in the message. */
			if (more > sizeof(seen) - r->hdr_len)
				more = sizeof(seen) - r->hdr_len;
			memcpy(seen, r->hdr, r->hdr_len);
			memcpy(seen + r->hdr_len, p + i + 1, more);
			return fail(r, "not an HTTP response: '%s'",
				    hk_http_quote(q, sizeof(q), seen, r->hdr_len + more));
		}
		if (c != '\n') {
			if (c == '\0')
				return fail(r, "NUL byte in the header");
			r->line_len++;
			continue;
		}
		if (r->status == 0) {
			/* The status line just ended. */
			size_t le = r->hdr_len - 1;

			if (le > 0 && r->hdr[le - 1] == '\r')
				le--;
			if (parse_status_line(r, r->hdr, r->hdr + le) < 0)
				return -1;
			r->line_len = 0;
			continue;
		}
		if (r->line_len == 0 || (r->line_len == 1 && r->hdr[r->hdr_len - 2] == '\r')) {
			r->hdr[r->hdr_len] = '\0';
			r->line_len = 0;
			if (parse_fields(r) < 0)
				return -1;
			return (ssize_t)(i + 1);
		}
		r->line_len = 0;
	}
	return (ssize_t)n;
}

/* Chunked body from p; returns bytes consumed or -1.  Emits DATA spans
 * itself; the caller emits the WIRE span. */
static ssize_t feed_chunked(struct hk_http_resp *r, const char *p, size_t n,
			    hk_http_body_fn *cb, void *arg)
{
	size_t i = 0;

	while (i < n && r->state != HK_HTTP_S_DONE) {
		char c = p[i];

		switch (r->state) {
		case HK_HTTP_S_CHUNK_SIZE:
			i++;
			if (++r->line_len > LINE_MAX_BYTES)
				return fail(r, "chunk-size line longer than %d bytes", LINE_MAX_BYTES);
			if (c == '\n') {
				if (r->ndigits == 0)
					return fail(r, "malformed chunk size: no hex digits");
				r->line_len = 0;
				r->ndigits = 0;
				r->in_ext = false;
				r->cr = false;
				r->state = r->left ? HK_HTTP_S_CHUNK_DATA : HK_HTTP_S_TRAILER;
				break;
			}
			if (r->cr)
				return fail(r, "malformed chunk size: CR not followed by LF");
			if (c == '\r') {
				r->cr = true;
				break;
			}
			if (r->in_ext)
				break;
			if (hexval(c) >= 0) {
				if (++r->ndigits > CHUNK_DIGITS_MAX)
					return fail(r, "chunk size of more than %d hex digits",
						    CHUNK_DIGITS_MAX);
				r->left = r->left * 16 + (uint64_t)hexval(c);
			} else if ((c == ';' || c == ' ' || c == '\t') && r->ndigits > 0) {
				r->in_ext = true;
			} else {
				char q[16];

				return fail(r, "malformed chunk size: unexpected '%s'",
					    hk_http_quote(q, sizeof(q), &c, 1));
			}
			break;
		case HK_HTTP_S_CHUNK_DATA: {
			size_t k = n - i;

			if (k > r->left)
				k = (size_t)r->left;
			if (cb)
				cb(arg, p + i, k, HK_HTTP_DATA);
			r->body_len += k;
			r->left -= k;
			i += k;
			if (r->left == 0)
				r->state = HK_HTTP_S_CHUNK_END;
			break;
		}
		case HK_HTTP_S_CHUNK_END:
			i++;
			if (c == '\r' && !r->cr) {
				r->cr = true;
			} else if (c == '\n') {
				r->cr = false;
				r->state = HK_HTTP_S_CHUNK_SIZE;
			} else {
				return fail(r, "chunk data longer than its chunk size");
			}
			break;
		case HK_HTTP_S_TRAILER:
			i++;
			if (++r->trailer_len > HK_HTTP_HEADER_MAX)
				return fail(r, "trailer longer than %d bytes", HK_HTTP_HEADER_MAX);
			if (c == '\n') {
				bool empty = r->line_len == 0 || (r->line_len == 1 && r->cr);

				r->line_len = 0;
				r->cr = false;
				if (empty)
					r->state = HK_HTTP_S_DONE;
			} else {
				r->cr = c == '\r';
				r->line_len++;
			}
			break;
		default:
			return fail(r, "internal: chunked state %d", (int)r->state);
		}
	}
	return (ssize_t)i;
}

ssize_t hk_http_resp_feed(struct hk_http_resp *r, const char *p, size_t n,
			  hk_http_body_fn *cb, void *arg)
{
	size_t used = 0;

	if (r->state == HK_HTTP_S_ERROR)
		return -1;
	if (r->state == HK_HTTP_S_HEADER) {
		ssize_t k = feed_header(r, p, n);

		if (k < 0)
			return -1;
		used = (size_t)k;
	}
	while (used < n) {
		size_t avail = n - used;
		const char *q = p + used;

		switch (r->state) {
		case HK_HTTP_S_HEADER:
			return (ssize_t)used;	/* header not finished: all taken */
		case HK_HTTP_S_DONE:
			return (ssize_t)used;
		case HK_HTTP_S_LENGTH:
			if (avail > r->left)
				avail = (size_t)r->left;
			if (cb)
				cb(arg, q, avail, HK_HTTP_WIRE | HK_HTTP_DATA);
			r->left -= avail;
			r->body_len += avail;
			r->wire_len += avail;
			used += avail;
			if (r->left == 0)
				r->state = HK_HTTP_S_DONE;
			break;
		case HK_HTTP_S_CLOSE:
			if (cb)
				cb(arg, q, avail, HK_HTTP_WIRE | HK_HTTP_DATA);
			r->body_len += avail;
			r->wire_len += avail;
			used += avail;
			break;
		default: {
			ssize_t k = feed_chunked(r, q, avail, cb, arg);

			if (k < 0)
				return -1;
			if (cb && k > 0)
				cb(arg, q, (size_t)k, HK_HTTP_WIRE);
			r->wire_len += (uint64_t)k;
			used += (size_t)k;
			break;
		}
		}
	}
	return (ssize_t)used;
}

int hk_http_resp_eof(struct hk_http_resp *r)
{
	switch (r->state) {
	case HK_HTTP_S_DONE:
		return 0;
	case HK_HTTP_S_CLOSE:
		r->state = HK_HTTP_S_DONE;
		return 0;
	case HK_HTTP_S_ERROR:
		return -1;
	case HK_HTTP_S_HEADER:
		if (r->hdr_len == 0)
			fail(r, "connection closed without a response");
		else
			fail(r, "connection closed in the header, after %zu bytes",
			     r->hdr_len);
		return -1;
	case HK_HTTP_S_LENGTH:
		fail(r, "connection closed after %llu of %llu body bytes",
		     (unsigned long long)r->body_len,
		     (unsigned long long)r->content_length);
		return -1;
	default:
		fail(r, "connection closed in the chunked body, after %llu bytes",
		     (unsigned long long)r->body_len);
		return -1;
	}
}
