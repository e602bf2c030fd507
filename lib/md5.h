/*
 * MD5 over a stream, as keepalived's digests are: OpenSSL's EVP
 * implementation (the fastest on hand), wrapped so that callers hash a
 * body piece by piece without buffering it.
 */
#ifndef HK_MD5_H
#define HK_MD5_H

#include <stdbool.h>
#include <stddef.h>

#define HK_MD5_LEN 16
#define HK_MD5_HEXLEN 33	/* 32 hex digits and a NUL */

struct hk_md5 {
	void *ctx;		/* EVP_MD_CTX; NULL when not started */
};

/* Start a digest.  Returns 0, or -1 with errno ENOMEM. */
int hk_md5_init(struct hk_md5 *m);

/* Add n bytes (nothing happens if the digest was not started). */
void hk_md5_update(struct hk_md5 *m, const void *p, size_t n);

/* Finish into out and release the context.  Returns 0, or -1 with errno
 * EINVAL if the digest was not started. */
int hk_md5_final(struct hk_md5 *m, unsigned char out[HK_MD5_LEN]);

/* Release the context without a result (safe to call twice). */
void hk_md5_free(struct hk_md5 *m);

/* Lowercase hex of a digest into out (HK_MD5_HEXLEN bytes); returns out. */
char *hk_md5_hex(char *out, const unsigned char d[HK_MD5_LEN]);

/* Parse 32 hex digits (either case) into d.  Returns 0, or -1 with
 * errno EINVAL. */
int hk_md5_parse(const char *s, unsigned char d[HK_MD5_LEN]);

#endif
