/*
 * The TLS client side of hcheck and genhash over OpenSSL, loaded with
 * dlopen(3) on first use (see tls.c for why): a context
 * (optionally verifying against the system store or a CA file), a
 * session on a connected non-blocking socket (SNI, the name or address
 * to verify), and handshake/read/write steps that say what they wait
 * for instead of blocking.  Every error comes back as one sentence.
 *
 * Callers ignore SIGPIPE: OpenSSL writes to the socket with write(2).
 */
#ifndef HK_TLS_H
#define HK_TLS_H

#include "addr.h"
#include "parse.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

/* What a step waits for before it can go on. */
enum {
	HK_TLS_DONE = 0,
	HK_TLS_WANT_READ = 1,
	HK_TLS_WANT_WRITE = 2,
};

/*
 * A client context.  With verify, the server's certificate must chain
 * to ca_file (PEM) if given, else to the system store.  The first call
 * loads libssl.  Returns the context, or NULL with e->msg saying why
 * (libssl missing, ca_file unreadable, ...).  Every other function
 * here needs a context made first.
 */
SSL_CTX *hk_tls_ctx(bool verify, const char *ca_file, struct hk_err *e);
void hk_tls_ctx_free(SSL_CTX *ctx);

/*
 * A session on the connected socket fd.  sni (may be NULL) is sent as
 * the server name.  If the context verifies, the certificate must also
 * match name (if not NULL) or else the address ip.  Returns the
 * session, or NULL with e->msg.
 */
SSL *hk_tls_new(SSL_CTX *ctx, int fd, const char *sni, const char *name,
		const struct hk_addr *ip, struct hk_err *e);
void hk_tls_free(SSL *ssl);

/*
 * One handshake step.  Returns HK_TLS_DONE, HK_TLS_WANT_READ or
 * HK_TLS_WANT_WRITE, or -1 with e->msg ("certificate verify failed:
 * self-signed certificate", "connection closed during the handshake").
 */
int hk_tls_handshake(SSL *ssl, struct hk_err *e);

/*
 * Read up to n bytes.  Returns the count (> 0), 0 at the end of the
 * stream (close_notify, or the peer simply closing), or -1: then *want
 * is HK_TLS_WANT_READ/WRITE to wait, or HK_TLS_DONE with e->msg for an
 * error.
 */
ssize_t hk_tls_read(SSL *ssl, void *buf, size_t n, int *want, struct hk_err *e);

/* Write up to n bytes; returns as hk_tls_read (never 0). */
ssize_t hk_tls_write(SSL *ssl, const void *buf, size_t n, int *want,
		     struct hk_err *e);

/* Bytes already decrypted and waiting in the session: poll(2) cannot
 * see them, so a reader that stops early must come back for them. */
bool hk_tls_pending(SSL *ssl);

/*
 * Whole days until the peer certificate's notAfter (negative once it
 * has expired).  Returns 0 and *days, or -1 with errno ENOENT if the
 * peer sent no certificate.
 */
int hk_tls_cert_days(SSL *ssl, long *days);

/* Send close_notify once, without waiting for the answer. */
void hk_tls_close(SSL *ssl);

#endif
