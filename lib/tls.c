#include "tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>

/* The most useful sentence OpenSSL's error queue holds, then empty it:
 * the queue is per thread, shared by every session of an event loop. */
static const char *ssl_reason(char *buf, size_t size)
{
	unsigned long err = ERR_peek_last_error();

	if (err == 0)
		snprintf(buf, size, "unknown error");
	else if (ERR_reason_error_string(err))
		snprintf(buf, size, "%s", ERR_reason_error_string(err));
	else
		ERR_error_string_n(err, buf, size);
	ERR_clear_error();
	return buf;
}

SSL_CTX *hk_tls_ctx(bool verify, const char *ca_file, struct hk_err *e)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char why[160];

	if (!ctx) {
		hk_err_set(e, ENOMEM, "TLS context: %s", ssl_reason(why, sizeof(why)));
		return NULL;
	}
	/* A server that closes without close_notify ends the body, as a
	 * plain close does: health checks are not a truncation target. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
	if (verify) {
		int ok = ca_file ? SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
				 : SSL_CTX_set_default_verify_paths(ctx);

		if (ok != 1) {
			if (ca_file)
				hk_err_set(e, EINVAL, "--ca '%s': %s", ca_file,
					   ssl_reason(why, sizeof(why)));
			else
				hk_err_set(e, EINVAL, "the system certificate store: %s",
					   ssl_reason(why, sizeof(why)));
			SSL_CTX_free(ctx);
			return NULL;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	return ctx;
}

void hk_tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

SSL *hk_tls_new(SSL_CTX *ctx, int fd, const char *sni, const char *name,
		const struct hk_addr *ip, struct hk_err *e)
{
	SSL *ssl = SSL_new(ctx);
	char why[160];

	if (!ssl)
		goto fail;
	if (SSL_set_fd(ssl, fd) != 1)
		goto fail;
	if (sni && SSL_set_tlsext_host_name(ssl, sni) != 1)
		goto fail;
	if (SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) {
		if (name) {
			if (SSL_set1_host(ssl, name) != 1)
				goto fail;
		} else if (ip) {
			X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);

			if (X509_VERIFY_PARAM_set1_ip(vp, ip->bytes, hk_addr_len(ip)) != 1)
				goto fail;
		}
	}
	SSL_set_connect_state(ssl);
	return ssl;
fail:
	hk_err_set(e, ENOMEM, "TLS session: %s", ssl_reason(why, sizeof(why)));
	SSL_free(ssl);
	return NULL;
}

void hk_tls_free(SSL *ssl)
{
	SSL_free(ssl);
}

/* Turn SSL_get_error() into a want or an error sentence. */
static int ssl_outcome(SSL *ssl, int ret, const char *what, struct hk_err *e)
{
	int err = SSL_get_error(ssl, ret);
	char why[160];
	long vr;

	switch (err) {
	case SSL_ERROR_WANT_READ:
		return HK_TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return HK_TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		hk_err_set(e, ECONNRESET, "connection closed during the %s", what);
		break;
	case SSL_ERROR_SYSCALL:
		if (errno && ERR_peek_last_error() == 0)
			hk_err_set(e, errno, "%s: %s", what, strerror(errno));
		else if (ERR_peek_last_error() == 0)
			hk_err_set(e, ECONNRESET, "connection closed during the %s", what);
		else
			hk_err_set(e, EPROTO, "%s: %s", what, ssl_reason(why, sizeof(why)));
		break;
	default:
		vr = SSL_get_verify_result(ssl);
		if (vr != X509_V_OK)
			hk_err_set(e, EPROTO, "certificate verify failed: %s",
				   X509_verify_cert_error_string(vr));
		else
			hk_err_set(e, EPROTO, "%s: %s", what, ssl_reason(why, sizeof(why)));
		break;
	}
	ERR_clear_error();
	return -1;
}

int hk_tls_handshake(SSL *ssl, struct hk_err *e)
{
	int r;

	ERR_clear_error();
	errno = 0;
	r = SSL_do_handshake(ssl);
	if (r == 1)
		return HK_TLS_DONE;
	return ssl_outcome(ssl, r, "TLS handshake", e);
}

ssize_t hk_tls_read(SSL *ssl, void *buf, size_t n, int *want, struct hk_err *e)
{
	size_t got = 0;
	int r;

	*want = HK_TLS_DONE;
	ERR_clear_error();
	errno = 0;
	r = SSL_read_ex(ssl, buf, n, &got);
	if (r == 1)
		return (ssize_t)got;
	if (SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN) {
		ERR_clear_error();
		return 0;
	}
	r = ssl_outcome(ssl, r, "TLS read", e);
	if (r > 0)
		*want = r;
	return -1;
}

ssize_t hk_tls_write(SSL *ssl, const void *buf, size_t n, int *want,
		     struct hk_err *e)
{
	size_t put = 0;
	int r;

	*want = HK_TLS_DONE;
	ERR_clear_error();
	errno = 0;
	r = SSL_write_ex(ssl, buf, n, &put);
	if (r == 1)
		return (ssize_t)put;
	r = ssl_outcome(ssl, r, "TLS write", e);
	if (r > 0)
		*want = r;
	return -1;
}

bool hk_tls_pending(SSL *ssl)
{
	return SSL_pending(ssl) > 0;
}

int hk_tls_cert_days(SSL *ssl, long *days)
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	int d = 0, s = 0;

	if (!cert) {
		errno = ENOENT;
		return -1;
	}
	if (ASN1_TIME_diff(&d, &s, NULL, X509_get0_notAfter(cert)) != 1) {
		X509_free(cert);
		errno = EINVAL;
		return -1;
	}
	X509_free(cert);
	/* Whole days left, rounded down: one that expires in 20 hours has
	 * 0, one that expired an hour ago -1 (d and s share their sign). */
	if (s < 0)
		d--;
	*days = d;
	return 0;
}

void hk_tls_close(SSL *ssl)
{
	ERR_clear_error();
	(void)SSL_shutdown(ssl);
	ERR_clear_error();
}
