#include "md5.h"

#include <errno.h>
#include <openssl/evp.h>

int hk_md5_init(struct hk_md5 *m)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	m->ctx = NULL;
	if (!c || EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		errno = ENOMEM;
		return -1;
	}
	m->ctx = c;
	return 0;
}

void hk_md5_update(struct hk_md5 *m, const void *p, size_t n)
{
	if (m->ctx && n)
		EVP_DigestUpdate(m->ctx, p, n);
}

int hk_md5_final(struct hk_md5 *m, unsigned char out[HK_MD5_LEN])
{
	unsigned int len = HK_MD5_LEN;
	int ok;

	if (!m->ctx) {
		errno = EINVAL;
		return -1;
	}
	ok = EVP_DigestFinal_ex(m->ctx, out, &len);
	hk_md5_free(m);
	if (ok != 1) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void hk_md5_free(struct hk_md5 *m)
{
	EVP_MD_CTX_free(m->ctx);
	m->ctx = NULL;
}

char *hk_md5_hex(char *out, const unsigned char d[HK_MD5_LEN])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < HK_MD5_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * HK_MD5_LEN] = '\0';
	return out;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hk_md5_parse(const char *s, unsigned char d[HK_MD5_LEN])
{
	unsigned char tmp[HK_MD5_LEN];

	for (int i = 0; i < HK_MD5_LEN; i++) {
		int hi = nibble(s[2 * i]), lo = hi < 0 ? -1 : nibble(s[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			errno = EINVAL;
			return -1;
		}
		tmp[i] = (unsigned char)(hi << 4 | lo);
	}
	if (s[2 * HK_MD5_LEN] != '\0') {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < HK_MD5_LEN; i++)
		d[i] = tmp[i];
	return 0;
}
