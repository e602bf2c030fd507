#include "fetch.h"
#include "clock.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* One read buffer for every fetch: the loop is single-threaded and the
 * parser copies nothing it needs later out of it. */
static char rbuf[256 * 1024];

/* Bytes one step may read before it yields to the rest of the event
 * loop: a fast 100 MB body must not stall a thousand other targets. */
#define STEP_BUDGET (512 * 1024)

static int finish(struct hk_fetch *f, enum hk_fetch_outcome out,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int finish(struct hk_fetch *f, enum hk_fetch_outcome out,
		  const char *fmt, ...)
{
	va_list ap;

	f->outcome = out;
	f->why[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(f->why, sizeof(f->why), fmt, ap);
		va_end(ap);
	}
	f->phase = HK_FETCH_P_DONE;
	f->want = 0;
	f->again = false;
	f->t_end = hk_now_us();
	if (out == HK_FETCH_OK && f->md5.on)
		f->have_digest = hk_md5_final(&f->md5, f->digest) == 0;
	hk_md5_free(&f->md5);
	return 0;
}

char *hk_fetch_fmt_secs(char *buf, size_t size, uint64_t us)
{
	char *p;

	snprintf(buf, size, "%llu.%06llu", (unsigned long long)(us / 1000000),
		 (unsigned long long)(us % 1000000));
	p = buf + strlen(buf) - 1;
	while (*p == '0')
		*p-- = '\0';
	if (*p == '.')
		*p = '\0';
	strncat(buf, " s", size - strlen(buf) - 1);
	return buf;
}

uint64_t hk_fetch_elapsed_us(const struct hk_fetch *f)
{
	return f->t_end > f->t_start ? f->t_end - f->t_start : 0;
}

/* The body as it is decoded: wire bytes to the digest, both views to
 * the caller. */
static void on_body(void *arg, const char *p, size_t n, unsigned flags)
{
	struct hk_fetch *f = arg;

	if (flags & HK_HTTP_WIRE)
		hk_md5_update(&f->md5, p, n);
	if (f->o->body_cb)
		f->o->body_cb(f->o->body_arg, p, n, flags);
}

static int connect_failed(struct hk_fetch *f, int err)
{
	switch (err) {
	case ECONNREFUSED:
		return finish(f, HK_FETCH_CONNECT, "connection refused");
	case ECONNRESET:
		/* Accepted and reset before we saw it connect. */
		return finish(f, HK_FETCH_CONNECT, "connection reset");
	case ENETUNREACH:
	case EHOSTUNREACH:
		return finish(f, HK_FETCH_CONNECT, "no route to host");
	case EADDRNOTAVAIL:
	case EAGAIN:
	case ENOBUFS:
	case ENOMEM:
		/* Out of local ports or memory: the server is not to blame. */
		return finish(f, HK_FETCH_LOCAL, "connect: %s", strerror(err));
	default:
		return finish(f, HK_FETCH_CONNECT, "connect: %s", strerror(err));
	}
}

static int do_recv(struct hk_fetch *f)
{
	size_t budget = 0;

	for (;;) {
		ssize_t n;

		if (budget >= STEP_BUDGET) {
			f->again = true;
			return 1;
		}
		if (f->ssl) {
			struct hk_err e;
			int want;

			n = hk_tls_read(f->ssl, rbuf, sizeof(rbuf), &want, &e);
			if (n < 0 && want) {
				f->want = want == HK_TLS_WANT_READ ? POLLIN : POLLOUT;
				return 1;
			}
			if (n < 0)
				return finish(f, HK_FETCH_IO, "%s", e.msg);
		} else {
			n = read(f->fd, rbuf, sizeof(rbuf));
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				f->want = POLLIN;
				return 1;
			}
			if (n < 0) {
				if (errno == ECONNRESET)
					return finish(f, HK_FETCH_IO,
						      "connection reset after %zu bytes of response",
						      f->resp.hdr_len + (size_t)f->resp.wire_len);
				return finish(f, HK_FETCH_IO, "read: %s", strerror(errno));
			}
		}
		if (n == 0) {
			if (hk_http_resp_eof(&f->resp) < 0)
				return finish(f, HK_FETCH_PROTO, "%s", f->resp.err);
			return finish(f, HK_FETCH_OK, NULL);
		}
		budget += (size_t)n;
		if (hk_http_resp_feed(&f->resp, rbuf, (size_t)n, on_body, f) < 0)
			return finish(f, HK_FETCH_PROTO, "%s", f->resp.err);
		if (f->resp.state == HK_HTTP_S_DONE)
			return finish(f, HK_FETCH_OK, NULL);
	}
}

static int do_send(struct hk_fetch *f)
{
	const struct hk_fetch_opts *o = f->o;

	f->phase = HK_FETCH_P_SEND;
	while (f->sent < o->request_len) {
		const char *p = o->request + f->sent;
		size_t left = o->request_len - f->sent;
		ssize_t n;

		if (f->ssl) {
			struct hk_err e;
			int want;

			n = hk_tls_write(f->ssl, p, left, &want, &e);
			if (n < 0 && want) {
				f->want = want == HK_TLS_WANT_READ ? POLLIN : POLLOUT;
				return 1;
			}
			if (n < 0)
				return finish(f, HK_FETCH_IO, "%s", e.msg);
		} else {
			n = send(f->fd, p, left, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				f->want = POLLOUT;
				return 1;
			}
			if (n < 0 && (errno == ECONNRESET || errno == EPIPE))
				return finish(f, HK_FETCH_IO, "connection reset while sending the request");
			if (n < 0)
				return finish(f, HK_FETCH_IO, "sending the request: %s",
					      strerror(errno));
		}
		f->sent += (size_t)n;
	}
	f->phase = HK_FETCH_P_RECV;
	return do_recv(f);
}

/* UDP: the payload goes out as one datagram; then a datagram back, or
 * an ICMP error (which Linux reports on a connected socket), or the
 * caller's timeout. */
static int udp_recv(struct hk_fetch *f)
{
	ssize_t n;

	for (int i = 0;; i++) {
		n = recv(f->fd, f->dgram, sizeof(f->dgram), MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0)
			break;
		f->dgram_len = (size_t)n;
		if (f->o->kind != HK_FETCH_DNS)
			return finish(f, HK_FETCH_OK, NULL);
		/* DNS, as keepalived: only a response (QR) with the query's
		 * ID ends the wait; anything else is not the answer. */
		if (n >= 12 && (f->dgram[0] << 8 | f->dgram[1]) == f->echo_id &&
		    (f->dgram[2] & 0x80))
			return finish(f, HK_FETCH_OK, NULL);
		if (i == 64) {
			f->want = POLLIN;
			f->again = true;
			return 1;
		}
	}
	switch (errno) {
	case EAGAIN:
	case EINTR:
		f->want = POLLIN;
		return 1;
	case ECONNREFUSED:
		return finish(f, HK_FETCH_CONNECT, "port unreachable (ICMP)");
	case EHOSTUNREACH:
	case ENETUNREACH:
		return finish(f, HK_FETCH_CONNECT, "host unreachable (ICMP)");
	default:
		return finish(f, HK_FETCH_IO, "recv: %s", strerror(errno));
	}
}

static int udp_send(struct hk_fetch *f)
{
	const struct hk_fetch_opts *o = f->o;
	ssize_t n;

	f->phase = HK_FETCH_P_SEND;
	if (o->kind == HK_FETCH_DNS && o->request_len >= 12 &&
	    o->request_len <= sizeof(f->dgram)) {
		/* A fresh ID each attempt: a late answer to the last one
		 * does not count for this one. */
		static uint16_t counter;
		uint64_t t = hk_now_us();

		memcpy(f->dgram, o->request, o->request_len);
		f->echo_id = (uint16_t)(t ^ (t >> 16) ^ (uint64_t)getpid() ^ ++counter);
		f->dgram[0] = (unsigned char)(f->echo_id >> 8);
		f->dgram[1] = (unsigned char)f->echo_id;
		n = send(f->fd, f->dgram, o->request_len, MSG_DONTWAIT);
	} else {
		n = send(f->fd, o->request ? o->request : "", o->request_len, MSG_DONTWAIT);
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		f->want = POLLOUT;
		return 1;
	}
	if (n < 0)
		return connect_failed(f, errno);
	f->sent = (size_t)n;
	f->phase = HK_FETCH_P_RECV;
	return udp_recv(f);
}

/*
 * PING: an echo request on a ping socket (SOCK_DGRAM, the kernel picks
 * the identifier and keeps other replies away) where
 * net.ipv4.ping_group_range allows it, else on a raw socket, connected
 * to the target so that only its packets come in, matched here by
 * identifier and sequence number.
 */
#define PING_DATA 56

static int ping_open(struct hk_fetch *f, int family)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;

	f->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (f->fd < 0 && (errno == EACCES || errno == EPERM || errno == EPROTONOSUPPORT)) {
		f->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
		f->raw = true;
	}
	return f->fd;
}

static uint16_t icmp_cksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int ping_recv(struct hk_fetch *f)
{
	bool v4 = f->o->addr.family == AF_INET;

	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(f->fd, f->dgram, sizeof(f->dgram), MSG_DONTWAIT);
		const unsigned char *h = f->dgram;
		size_t len;

		if (n < 0) {
			switch (errno) {
			case EAGAIN:
			case EINTR:
				f->want = POLLIN;
				return 1;
			case EHOSTUNREACH:
			case ENETUNREACH:
			case ECONNREFUSED:
				return finish(f, HK_FETCH_CONNECT, "host unreachable (ICMP)");
			default:
				return finish(f, HK_FETCH_IO, "recv: %s", strerror(errno));
			}
		}
		len = (size_t)n;
		/* A raw IPv4 socket hands over the IP header too. */
		if (f->raw && v4) {
			size_t ihl = len ? (size_t)(h[0] & 0x0f) * 4 : 0;

			if (ihl < 20 || len < ihl)
				continue;
			h += ihl;
			len -= ihl;
		}
		if (len < 8 || h[0] != (v4 ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY) || h[1] != 0)
			continue;
		if ((uint16_t)(h[6] << 8 | h[7]) != f->echo_seq)
			continue;
		if (f->raw && (uint16_t)(h[4] << 8 | h[5]) != f->echo_id)
			continue;
		f->dgram_len = len;
		return finish(f, HK_FETCH_OK, NULL);
	}
	/* Much else for a raw socket: look again on the next wake-up. */
	f->want = POLLIN;
	f->again = true;
	return 1;
}

static int ping_send(struct hk_fetch *f)
{
	static uint16_t counter;
	bool v4 = f->o->addr.family == AF_INET;
	unsigned char pkt[8 + PING_DATA];
	ssize_t n;

	f->phase = HK_FETCH_P_SEND;
	f->echo_id = (uint16_t)(getpid() ^ (++counter << 8));
	f->echo_seq = ++counter;
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = v4 ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
	pkt[4] = (unsigned char)(f->echo_id >> 8);
	pkt[5] = (unsigned char)f->echo_id;
	pkt[6] = (unsigned char)(f->echo_seq >> 8);
	pkt[7] = (unsigned char)f->echo_seq;
	for (size_t i = 8; i < sizeof(pkt); i++)
		pkt[i] = (unsigned char)i;
	/* The kernel sums ICMPv6 and ping sockets' messages itself. */
	if (f->raw && v4) {
		uint16_t c = icmp_cksum(pkt, sizeof(pkt));

		pkt[2] = (unsigned char)(c >> 8);
		pkt[3] = (unsigned char)c;
	}
	n = send(f->fd, pkt, sizeof(pkt), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		f->want = POLLOUT;
		return 1;
	}
	if (n < 0 && (errno == EHOSTUNREACH || errno == ENETUNREACH))
		return connect_failed(f, errno);
	if (n < 0)
		return finish(f, HK_FETCH_CONNECT, "sending the echo request: %s", strerror(errno));
	f->phase = HK_FETCH_P_RECV;
	return ping_recv(f);
}

/*
 * SMTP, as keepalived's SMTP_CHECK: the greeting must be 220, the HELO
 * answered 250, then QUIT and any answer.  A reply of several lines
 * ("250-...", then "250 ...") is read to its last line.
 */
static const char *const smtp_what[] = { "the greeting", "the HELO reply", "the QUIT reply" };

static int smtp_go(struct hk_fetch *f)
{
	static const char quit[] = "QUIT\r\n";
	static const int want_code[] = { 220, 250, 0 };

	for (;;) {
		char *nl;
		ssize_t n;

		while (f->out_len) {
			n = send(f->fd, f->out, f->out_len, MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				f->want = POLLOUT;
				return 1;
			}
			if (n < 0)
				return finish(f, HK_FETCH_IO, "sending %s: %s",
					      f->smtp_step == 1 ? "HELO" : "QUIT", strerror(errno));
			f->out += n;
			f->out_len -= (size_t)n;
		}
		f->phase = HK_FETCH_P_RECV;
		nl = memchr(f->dgram, '\n', f->dgram_len);
		if (!nl) {
			if (f->dgram_len == sizeof(f->dgram) - 1)
				return finish(f, HK_FETCH_PROTO, "%s: a line longer than %zu bytes",
					      smtp_what[f->smtp_step], sizeof(f->dgram) - 1);
			n = read(f->fd, f->dgram + f->dgram_len, sizeof(f->dgram) - 1 - f->dgram_len);
			if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
				f->want = POLLIN;
				return 1;
			}
			if (n < 0)
				return finish(f, HK_FETCH_IO, "reading %s: %s", smtp_what[f->smtp_step],
					      strerror(errno));
			if (n == 0)
				return finish(f, HK_FETCH_IO, "connection closed before %s",
					      smtp_what[f->smtp_step]);
			f->dgram_len += (size_t)n;
			continue;
		}
		{
			size_t len = (size_t)(nl - (char *)f->dgram) + 1;
			const unsigned char *l = f->dgram;
			bool digits = len >= 4 && l[0] >= '0' && l[0] <= '9' && l[1] >= '0' &&
				      l[1] <= '9' && l[2] >= '0' && l[2] <= '9';
			int code = digits ? (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0') : -1;
			bool more = digits && l[3] == '-';
			char shown[64];

			if (!more && want_code[f->smtp_step] && code != want_code[f->smtp_step]) {
				size_t k = len;

				while (k && (l[k - 1] == '\n' || l[k - 1] == '\r'))
					k--;
				if (k > 60)
					k = 60;
				for (size_t i = 0; i < k; i++)
					shown[i] = l[i] >= 0x20 && l[i] < 0x7f ? (char)l[i] : '?';
				shown[k] = '\0';
				return finish(f, HK_FETCH_PROTO, "%s was '%s', expected %d",
					      smtp_what[f->smtp_step], shown, want_code[f->smtp_step]);
			}
			memmove(f->dgram, f->dgram + len, f->dgram_len - len);
			f->dgram_len -= len;
			if (more)
				continue;
		}
		if (f->smtp_step == 2)
			return finish(f, HK_FETCH_OK, NULL);
		if (f->smtp_step == 0) {
			f->out = f->o->request;
			f->out_len = f->o->request_len;
		} else {
			f->out = quit;
			f->out_len = sizeof(quit) - 1;
		}
		f->smtp_step++;
		f->phase = HK_FETCH_P_SEND;
	}
}

static int do_tls(struct hk_fetch *f)
{
	struct hk_err e;
	int r = hk_tls_handshake(f->ssl, &e);

	if (r < 0)
		return finish(f, HK_FETCH_TLS, "%s", e.msg);
	if (r != HK_TLS_DONE) {
		f->want = r == HK_TLS_WANT_READ ? POLLIN : POLLOUT;
		return 1;
	}
	f->have_cert = hk_tls_cert_days(f->ssl, &f->cert_days) == 0;
	return do_send(f);
}

static int connected(struct hk_fetch *f)
{
	const struct hk_fetch_opts *o = f->o;
	struct hk_err e;

	f->t_connect = hk_now_us();
	if (o->kind == HK_FETCH_TCP)
		return finish(f, HK_FETCH_OK, NULL);
	if (o->kind == HK_FETCH_UDP || o->kind == HK_FETCH_DNS)
		return udp_send(f);
	if (o->kind == HK_FETCH_PING)
		return ping_send(f);
	if (o->kind == HK_FETCH_SMTP)
		return smtp_go(f);
	if (o->kind == HK_FETCH_HTTPS) {
		f->ssl = hk_tls_new(o->tls, f->fd, o->sni, o->verify_name, &o->addr, &e);
		if (!f->ssl)
			return finish(f, HK_FETCH_LOCAL, "%s", e.msg);
		f->phase = HK_FETCH_P_TLS;
		return do_tls(f);
	}
	return do_send(f);
}

int hk_fetch_start(struct hk_fetch *f, const struct hk_fetch_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	char a[HK_ADDRSTRLEN];

	memset(f, 0, offsetof(struct hk_fetch, resp));
	hk_http_resp_init(&f->resp);
	f->o = o;
	f->fd = -1;
	f->phase = HK_FETCH_P_CONNECT;
	f->t_start = hk_now_us();
	if (o->digest && (o->kind == HK_FETCH_HTTP || o->kind == HK_FETCH_HTTPS) &&
	    hk_md5_init(&f->md5) < 0)
		return finish(f, HK_FETCH_LOCAL, "MD5: %s", strerror(errno));

	if (o->kind == HK_FETCH_PING)
		ping_open(f, o->addr.family);
	else
		f->fd = socket(o->addr.family,
			       (o->kind == HK_FETCH_UDP || o->kind == HK_FETCH_DNS ? SOCK_DGRAM
										    : SOCK_STREAM) |
			       SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->fd < 0)
		return finish(f, HK_FETCH_LOCAL, "socket: %s", strerror(errno));
	if (o->fwmark && setsockopt(f->fd, SOL_SOCKET, SO_MARK, &o->fwmark,
				    sizeof(o->fwmark)) < 0)
		return finish(f, HK_FETCH_LOCAL, "fwmark %u: %s", o->fwmark,
			      strerror(errno));
	if (o->bind.family) {
		int one = 1;

		/* Choose the port at connect time, per destination:
		 * thousands of probes from one source address would
		 * otherwise exhaust the ephemeral ports at bind. */
		if (o->bind.family == AF_INET && o->kind != HK_FETCH_PING)
			(void)setsockopt(f->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
					 &one, sizeof(one));
		sl = hk_addr_to_sockaddr(&o->bind, 0, &ss);
		if (bind(f->fd, (struct sockaddr *)&ss, sl) < 0)
			return finish(f, HK_FETCH_LOCAL, "bind %s: %s",
				      hk_addr_str(&o->bind, a), strerror(errno));
	}
	sl = hk_addr_to_sockaddr(&o->addr, o->port, &ss);
	if (connect(f->fd, (struct sockaddr *)&ss, sl) == 0)
		return connected(f);
	if (errno != EINPROGRESS)
		return connect_failed(f, errno);
	f->want = POLLOUT;
	return 1;
}

int hk_fetch_step(struct hk_fetch *f)
{
	int err = 0;
	socklen_t len = sizeof(err);

	f->again = false;
	switch (f->phase) {
	case HK_FETCH_P_CONNECT:
		if (getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err == EINPROGRESS || err == EALREADY)
			return 1;
		if (err)
			return connect_failed(f, err);
		return connected(f);
	case HK_FETCH_P_TLS:
		return do_tls(f);
	case HK_FETCH_P_SEND:
		return f->o->kind == HK_FETCH_UDP || f->o->kind == HK_FETCH_DNS ? udp_send(f) :
		       f->o->kind == HK_FETCH_PING ? ping_send(f) :
		       f->o->kind == HK_FETCH_SMTP ? smtp_go(f) : do_send(f);
	case HK_FETCH_P_RECV:
		return f->o->kind == HK_FETCH_UDP || f->o->kind == HK_FETCH_DNS ? udp_recv(f) :
		       f->o->kind == HK_FETCH_PING ? ping_recv(f) :
		       f->o->kind == HK_FETCH_SMTP ? smtp_go(f) : do_recv(f);
	case HK_FETCH_P_DONE:
		break;
	}
	return 0;
}

void hk_fetch_timeout(struct hk_fetch *f, uint64_t timeout_us)
{
	const struct hk_http_resp *r = &f->resp;
	char t[32];

	hk_fetch_fmt_secs(t, sizeof(t), timeout_us);
	switch (f->phase) {
	case HK_FETCH_P_CONNECT:
		finish(f, HK_FETCH_TIMEOUT, "timeout after %s connecting", t);
		break;
	case HK_FETCH_P_TLS:
		finish(f, HK_FETCH_TIMEOUT, "timeout after %s in the TLS handshake", t);
		break;
	case HK_FETCH_P_SEND:
		finish(f, HK_FETCH_TIMEOUT, "timeout after %s sending the request", t);
		break;
	case HK_FETCH_P_RECV:
		if (f->o->kind == HK_FETCH_SMTP)
			finish(f, HK_FETCH_TIMEOUT, "timeout after %s waiting for %s", t,
			       smtp_what[f->smtp_step]);
		else if (f->o->kind == HK_FETCH_UDP || f->o->kind == HK_FETCH_PING ||
		    f->o->kind == HK_FETCH_DNS)
			finish(f, HK_FETCH_TIMEOUT, "no reply in %s", t);
		else if (r->hdr_len == 0)
			finish(f, HK_FETCH_TIMEOUT, "timeout after %s waiting for the response", t);
		else if (!r->have_header)
			finish(f, HK_FETCH_TIMEOUT, "timeout after %s reading the header (%zu bytes)",
			       t, r->hdr_len);
		else if (r->framing == HK_HTTP_F_LENGTH)
			finish(f, HK_FETCH_TIMEOUT,
			       "timeout after %s reading the body (%llu of %llu bytes)", t,
			       (unsigned long long)r->body_len,
			       (unsigned long long)r->content_length);
		else
			finish(f, HK_FETCH_TIMEOUT,
			       "timeout after %s reading the body (%llu bytes)", t,
			       (unsigned long long)r->body_len);
		break;
	case HK_FETCH_P_DONE:
		break;
	}
}

void hk_fetch_abort(struct hk_fetch *f, const char *why)
{
	if (f->phase != HK_FETCH_P_DONE)
		finish(f, HK_FETCH_LOCAL, "%s", why);
}

void hk_fetch_end(struct hk_fetch *f)
{
	if (f->ssl) {
		if (f->outcome == HK_FETCH_OK)
			hk_tls_close(f->ssl);
		hk_tls_free(f->ssl);
		f->ssl = NULL;
	}
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	hk_md5_free(&f->md5);
}

enum hk_fetch_outcome hk_fetch_run(struct hk_fetch *f,
				   const struct hk_fetch_opts *o,
				   uint64_t timeout_us)
{
	int running = hk_fetch_start(f, o);
	uint64_t deadline = f->t_start + timeout_us;

	while (running) {
		struct pollfd pfd = { .fd = f->fd, .events = (short)f->want };
		uint64_t now = hk_now_us();
		int n;

		if (now >= deadline) {
			hk_fetch_timeout(f, timeout_us);
			break;
		}
		if (!f->again) {
			/* Round up: waking a little late is harmless, early
			 * would spin. */
			n = poll(&pfd, 1, (int)((deadline - now + 999) / 1000));
			if (n < 0 && errno != EINTR) {
				finish(f, HK_FETCH_LOCAL, "poll: %s", strerror(errno));
				break;
			}
			if (n <= 0)
				continue;
		}
		running = hk_fetch_step(f);
	}
	return f->outcome;
}
