#include "tls.h"

#include <dlfcn.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <string.h>

/*
 * OpenSSL is loaded when the first TLS context is made, not linked:
 * loading libssl and libcrypto costs about a millisecond at every
 * start, more than a whole plain HTTP probe, and hcheck mostly runs
 * plain HTTP probes.  The prototypes still come from OpenSSL's headers
 * (__typeof__), so a call through the table is checked as a direct one.
 */
#define HK_SSL_LIB "libssl.so.3"

#define OSSL_FUNCS(X)                                                        \
	X(ERR_peek_last_error) X(ERR_reason_error_string) X(ERR_error_string_n) \
	X(ERR_clear_error) X(SSL_CTX_new) X(TLS_client_method)                 \
	X(SSL_CTX_set_options) X(SSL_CTX_ctrl) X(SSL_CTX_load_verify_locations) \
	X(SSL_CTX_set_default_verify_paths) X(SSL_CTX_set_verify) X(SSL_CTX_free) \
	X(SSL_new) X(SSL_set_fd) X(SSL_ctrl) X(SSL_CTX_get_verify_mode)         \
	X(SSL_set1_host) X(SSL_get0_param) X(X509_VERIFY_PARAM_set1_ip)        \
	X(SSL_set_connect_state) X(SSL_free) X(SSL_get_error)                  \
	X(SSL_get_verify_result) X(X509_verify_cert_error_string)              \
	X(SSL_do_handshake) X(SSL_read_ex) X(SSL_write_ex) X(SSL_pending)      \
	X(SSL_get1_peer_certificate) X(ASN1_TIME_diff) X(X509_get0_notAfter)   \
	X(X509_free) X(SSL_shutdown)

static struct {
#define DECLARE(f) __typeof__(&f) f;
	OSSL_FUNCS(DECLARE)
#undef DECLARE
} ossl;
static bool ossl_loaded;

/* Load libssl (and with it libcrypto) once.  Returns 0, or -1 with
 * e->msg. */
static int ossl_load(struct hk_err *e)
{
	void *h;

	if (ossl_loaded)
		return 0;
	h = dlopen(HK_SSL_LIB, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return hk_err_set(e, ENOENT, "TLS: cannot load %s: %s", HK_SSL_LIB, dlerror());
#define RESOLVE(f)                                                          \
	*(void **)&ossl.f = dlsym(h, #f);                                   \
	if (!ossl.f)                                                        \
		return hk_err_set(e, ENOENT, "TLS: %s lacks %s", HK_SSL_LIB, #f);
	OSSL_FUNCS(RESOLVE)
#undef RESOLVE
	ossl_loaded = true;
	return 0;
}

/* The OpenSSL macros this file uses, over the loaded functions. */
#undef SSL_CTX_set_mode
#define SSL_CTX_set_mode(ctx, op) ossl.SSL_CTX_ctrl((ctx), SSL_CTRL_MODE, (op), NULL)
#undef SSL_set_tlsext_host_name
#define SSL_set_tlsext_host_name(s, name) \
	ossl.SSL_ctrl((s), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)(name))

/* The most useful sentence OpenSSL's error queue holds, then empty it:
 * the queue is per thread, shared by every session of an event loop. */
static const char *ssl_reason(char *buf, size_t size)
{
	unsigned long err = ossl.ERR_peek_last_error();

	if (err == 0)
		snprintf(buf, size, "unknown error");
	else if (ossl.ERR_reason_error_string(err))
		snprintf(buf, size, "%s", ossl.ERR_reason_error_string(err));
	else
		ossl.ERR_error_string_n(err, buf, size);
	ossl.ERR_clear_error();
	return buf;
}

SSL_CTX *hk_tls_ctx(bool verify, const char *ca_file, struct hk_err *e)
{
	SSL_CTX *ctx;
	char why[160];

	if (ossl_load(e) < 0)
		return NULL;
	ctx = ossl.SSL_CTX_new(ossl.TLS_client_method());
	if (!ctx) {
		hk_err_set(e, ENOMEM, "TLS context: %s", ssl_reason(why, sizeof(why)));
		return NULL;
	}
	/* A server that closes without close_notify ends the body, as a
	 * plain close does: health checks are not a truncation target. */
	ossl.SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_AUTO_RETRY);
	if (verify) {
		int ok = ca_file ? ossl.SSL_CTX_load_verify_locations(ctx, ca_file, NULL)
				 : ossl.SSL_CTX_set_default_verify_paths(ctx);

		if (ok != 1) {
			if (ca_file)
				hk_err_set(e, EINVAL, "--ca '%s': %s", ca_file,
					   ssl_reason(why, sizeof(why)));
			else
				hk_err_set(e, EINVAL, "the system certificate store: %s",
					   ssl_reason(why, sizeof(why)));
			ossl.SSL_CTX_free(ctx);
			return NULL;
		}
		ossl.SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		ossl.SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	return ctx;
}

void hk_tls_ctx_free(SSL_CTX *ctx)
{
	if (ctx)
		ossl.SSL_CTX_free(ctx);
}

SSL *hk_tls_new(SSL_CTX *ctx, int fd, const char *sni, const char *name,
		const struct hk_addr *ip, struct hk_err *e)
{
	SSL *ssl = ossl.SSL_new(ctx);
	char why[160];

	if (!ssl)
		goto fail;
	if (ossl.SSL_set_fd(ssl, fd) != 1)
		goto fail;
	if (sni && SSL_set_tlsext_host_name(ssl, sni) != 1)
		goto fail;
	if (ossl.SSL_CTX_get_verify_mode(ctx) & SSL_VERIFY_PEER) {
		if (name) {
			if (ossl.SSL_set1_host(ssl, name) != 1)
				goto fail;
		} else if (ip) {
			X509_VERIFY_PARAM *vp = ossl.SSL_get0_param(ssl);

			if (ossl.X509_VERIFY_PARAM_set1_ip(vp, ip->bytes, hk_addr_len(ip)) != 1)
				goto fail;
		}
	}
	ossl.SSL_set_connect_state(ssl);
	return ssl;
fail:
	hk_err_set(e, ENOMEM, "TLS session: %s", ssl_reason(why, sizeof(why)));
	ossl.SSL_free(ssl);
	return NULL;
}

void hk_tls_free(SSL *ssl)
{
	if (ssl)
		ossl.SSL_free(ssl);
}

/* Turn SSL_get_error() into a want or an error sentence. */
static int ssl_outcome(SSL *ssl, int ret, const char *what, struct hk_err *e)
{
	int err = ossl.SSL_get_error(ssl, ret);
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
		if (errno && ossl.ERR_peek_last_error() == 0)
			hk_err_set(e, errno, "%s: %s", what, strerror(errno));
		else if (ossl.ERR_peek_last_error() == 0)
			hk_err_set(e, ECONNRESET, "connection closed during the %s", what);
		else
			hk_err_set(e, EPROTO, "%s: %s", what, ssl_reason(why, sizeof(why)));
		break;
	default:
		vr = ossl.SSL_get_verify_result(ssl);
		if (vr != X509_V_OK)
			hk_err_set(e, EPROTO, "certificate verify failed: %s",
				   ossl.X509_verify_cert_error_string(vr));
		else
			hk_err_set(e, EPROTO, "%s: %s", what, ssl_reason(why, sizeof(why)));
		break;
	}
	ossl.ERR_clear_error();
	return -1;
}

int hk_tls_handshake(SSL *ssl, struct hk_err *e)
{
	int r;

	ossl.ERR_clear_error();
	errno = 0;
	r = ossl.SSL_do_handshake(ssl);
	if (r == 1)
		return HK_TLS_DONE;
	return ssl_outcome(ssl, r, "TLS handshake", e);
}

ssize_t hk_tls_read(SSL *ssl, void *buf, size_t n, int *want, struct hk_err *e)
{
	size_t got = 0;
	int r;

	*want = HK_TLS_DONE;
	ossl.ERR_clear_error();
	errno = 0;
	r = ossl.SSL_read_ex(ssl, buf, n, &got);
	if (r == 1)
		return (ssize_t)got;
	if (ossl.SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN) {
		ossl.ERR_clear_error();
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
	ossl.ERR_clear_error();
	errno = 0;
	r = ossl.SSL_write_ex(ssl, buf, n, &put);
	if (r == 1)
		return (ssize_t)put;
	r = ssl_outcome(ssl, r, "TLS write", e);
	if (r > 0)
		*want = r;
	return -1;
}

bool hk_tls_pending(SSL *ssl)
{
	return ossl.SSL_pending(ssl) > 0;
}

int hk_tls_cert_days(SSL *ssl, long *days)
{
	X509 *cert = ossl.SSL_get1_peer_certificate(ssl);
	int d = 0, s = 0;

	if (!cert) {
		errno = ENOENT;
		return -1;
	}
	if (ossl.ASN1_TIME_diff(&d, &s, NULL, ossl.X509_get0_notAfter(cert)) != 1) {
		ossl.X509_free(cert);
		errno = EINVAL;
		return -1;
	}
	ossl.X509_free(cert);
	/* Whole days left, rounded down: one that expires in 20 hours has
	 * 0, one that expired an hour ago -1 (d and s share their sign). */
	if (s < 0)
		d--;
	*days = d;
	return 0;
}

void hk_tls_close(SSL *ssl)
{
	ossl.ERR_clear_error();
	(void)ossl.SSL_shutdown(ssl);
	ossl.ERR_clear_error();
}
