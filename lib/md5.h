/*
 * MD5 (RFC 1321) over a stream, as keepalived's digests are: callers
 * hash a body piece by piece without buffering it.  Written here rather
 * than taken from libcrypto so that a plain HTTP probe does not load
 * OpenSSL at all (its start-up costs more than the probe); it runs at
 * the speed of OpenSSL's.
 */
#ifndef HK_MD5_H
#define HK_MD5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HK_MD5_LEN 16
#define HK_MD5_HEXLEN 33	/* 32 hex digits and a NUL */

struct hk_md5 {
	uint32_t h[4];
	uint64_t len;		/* bytes hashed */
	unsigned char buf[64];	/* a partial block */
	bool on;		/* started and not finished */
};

/* Start a digest.  Returns 0 (it cannot fail). */
int hk_md5_init(struct hk_md5 *m);

/* Add n bytes (nothing happens if the digest was not started). */
void hk_md5_update(struct hk_md5 *m, const void *p, size_t n);

/* Finish into out.  Returns 0, or -1 with errno EINVAL if the digest
 * was not started. */
int hk_md5_final(struct hk_md5 *m, unsigned char out[HK_MD5_LEN]);

/* Drop a digest without a result (safe to call twice). */
void hk_md5_free(struct hk_md5 *m);

/* Lowercase hex of a digest into out (HK_MD5_HEXLEN bytes); returns out. */
char *hk_md5_hex(char *out, const unsigned char d[HK_MD5_LEN]);

/* Parse 32 hex digits (either case) into d.  Returns 0, or -1 with
 * errno EINVAL. */
int hk_md5_parse(const char *s, unsigned char d[HK_MD5_LEN]);

#endif
