/*
 * One health-check attempt as a non-blocking state machine: connect
 * (optionally from a source address, with a firewall mark), TLS
 * handshake, send the request, read and parse the response, hash the
 * body.  It never blocks and never sleeps: the caller owns the event
 * loop and the clock, waits for f->fd to become ready for f->want
 * (POLLIN/POLLOUT bits, the same values in epoll) and calls
 * hk_fetch_step(); it ends the attempt with hk_fetch_timeout() when its
 * deadline passes.  hcheck runs thousands of these on one epoll loop;
 * genhash runs one with hk_fetch_run().
 *
 * Memory is bounded: a fetch holds the header (HK_HTTP_HEADER_MAX) and
 * never the body, which goes to the digest and the caller's callback.
 */
#ifndef HK_FETCH_H
#define HK_FETCH_H

#include "addr.h"
#include "http.h"
#include "md5.h"
#include "tls.h"

#include <stdbool.h>
#include <stdint.h>

enum hk_fetch_kind {
	HK_FETCH_TCP,		/* connect, then close: keepalived's TCP_CHECK */
	HK_FETCH_HTTP,
	HK_FETCH_HTTPS,
	HK_FETCH_UDP,		/* send the request as one datagram, wait for
				 * one back: keepalived's UDP_CHECK */
	HK_FETCH_PING,		/* an ICMP/ICMPv6 echo request, wait for the
				 * reply: keepalived's PING_CHECK */
	HK_FETCH_DNS,		/* the request is a DNS query (its ID set
				 * afresh each attempt); wait for the response
				 * to it: keepalived's DNS_CHECK */
	HK_FETCH_SMTP,		/* greeting 220, the request (a HELO) 250,
				 * QUIT: keepalived's SMTP_CHECK */
};

struct hk_fetch_opts {
	enum hk_fetch_kind kind;
	struct hk_addr addr;
	uint16_t port;
	struct hk_addr bind;		/* source address; family 0 = any */
	uint32_t fwmark;		/* SO_MARK; 0 = none */

	/* HTTP(S): the request to send (hk_http_request()); UDP: the
	 * datagram's payload (may be empty). */
	const char *request;
	size_t request_len;

	/* HTTPS: the context, the SNI name (NULL: none), and the name to
	 * verify the certificate against (NULL: the address). */
	SSL_CTX *tls;
	const char *sni;
	const char *verify_name;

	bool digest;			/* MD5 of the body, as keepalived */
	/* The body as it comes, in the two views of http.h (flags say
	 * which: HK_HTTP_DATA for a regex, HK_HTTP_WIRE to hash). */
	hk_http_body_fn *body_cb;
	void *body_arg;
};

/* How an attempt ended. */
enum hk_fetch_outcome {
	HK_FETCH_OK = 0,	/* connected; for HTTP(S), a whole response;
				 * for UDP, a datagram back */
	HK_FETCH_CONNECT,	/* connect failed: refused, unreachable (for
				 * UDP, an ICMP error came back) */
	HK_FETCH_TIMEOUT,	/* hk_fetch_timeout() was called */
	HK_FETCH_TLS,		/* handshake or certificate failure */
	HK_FETCH_IO,		/* reset or error in the exchange */
	HK_FETCH_PROTO,		/* not a well-formed HTTP response */
	HK_FETCH_LOCAL,		/* a local failure: socket, bind, SO_MARK */
};

/* Bytes of a UDP reply kept for the caller to compare. */
#define HK_FETCH_DGRAM_KEEP 1024

enum hk_fetch_phase {
	HK_FETCH_P_CONNECT,
	HK_FETCH_P_TLS,
	HK_FETCH_P_SEND,
	HK_FETCH_P_RECV,
	HK_FETCH_P_DONE,
};

struct hk_fetch {
	const struct hk_fetch_opts *o;
	int fd;				/* -1 when closed */
	SSL *ssl;
	enum hk_fetch_phase phase;
	unsigned want;			/* POLLIN and/or POLLOUT */
	bool again;			/* stopped early: step again without waiting */
	size_t sent;

	uint64_t t_start, t_connect, t_end;	/* hk_now_us() */

	enum hk_fetch_outcome outcome;
	char why[256];			/* the failure, one sentence */

	struct hk_md5 md5;
	bool have_digest;
	unsigned char digest[HK_MD5_LEN];
	bool have_cert;
	long cert_days;

	/* PING: a raw socket (no ping socket allowed here), the echo's
	 * identifier and sequence number; DNS: echo_id is the query's ID. */
	bool raw;
	uint16_t echo_id, echo_seq;

	/* SMTP: the step (0 greeting, 1 HELO, 2 QUIT), what is left to
	 * send; the reply line being read is in dgram. */
	int smtp_step;
	const char *out;
	size_t out_len;

	/* UDP: the datagram that came back (its first HK_FETCH_DGRAM_KEEP
	 * bytes; dgram_len is its whole length). */
	size_t dgram_len;
	unsigned char dgram[HK_FETCH_DGRAM_KEEP];

	struct hk_http_resp resp;
};

/*
 * Start an attempt: open the socket and begin connecting.  f need not
 * be initialised; o must outlive the attempt.  Returns 1 while it runs
 * (wait for f->fd and f->want), 0 once it has ended (f->outcome).
 */
int hk_fetch_start(struct hk_fetch *f, const struct hk_fetch_opts *o);

/*
 * Go on after f->fd became ready (or at once if f->again).  Returns 1
 * while the attempt runs (f->want may have changed), 0 once it ended.
 */
int hk_fetch_step(struct hk_fetch *f);

/* End a running attempt as timed out after timeout_us; f->why names
 * the phase ("timeout after 1 s waiting for the response"). */
void hk_fetch_timeout(struct hk_fetch *f, uint64_t timeout_us);

/* End a running attempt as a local failure (the caller could not wait
 * for it, say); why is the sentence to report. */
void hk_fetch_abort(struct hk_fetch *f, const char *why);

/* Close the socket and free the session and digest.  Safe on an
 * attempt that ended, and twice. */
void hk_fetch_end(struct hk_fetch *f);

/*
 * Run one attempt to its end with poll(2), giving up after timeout_us.
 * Returns f->outcome; the caller still calls hk_fetch_end().
 */
enum hk_fetch_outcome hk_fetch_run(struct hk_fetch *f,
				   const struct hk_fetch_opts *o,
				   uint64_t timeout_us);

/* Total time of an ended attempt, in microseconds. */
uint64_t hk_fetch_elapsed_us(const struct hk_fetch *f);

/* "1 s", "0.5 s", "2.25 s": a duration for messages. */
char *hk_fetch_fmt_secs(char *buf, size_t size, uint64_t us);

#endif
