#include "md5.h"

#include <errno.h>
#include <string.h>

/* The four round functions of RFC 1321, in the forms that need fewest
 * operations. */
#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))

#define STEP(f, a, b, c, d, x, t, s)                                \
	do {                                                        \
		(a) += f((b), (c), (d)) + (x) + (uint32_t)(t);      \
		(a) = ((a) << (s)) | ((a) >> (32 - (s)));           \
		(a) += (b);                                         \
	} while (0)

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Hash n whole 64-byte blocks at p. */
static void blocks(uint32_t h[4], const unsigned char *p, size_t n)
{
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];

	for (; n > 0; n--, p += 64) {
		uint32_t x[16];
		uint32_t sa = a, sb = b, sc = c, sd = d;

		for (int i = 0; i < 16; i++)
			x[i] = le32(p + 4 * i);

		STEP(F, a, b, c, d, x[0], 0xd76aa478, 7);
		STEP(F, d, a, b, c, x[1], 0xe8c7b756, 12);
		STEP(F, c, d, a, b, x[2], 0x242070db, 17);
		STEP(F, b, c, d, a, x[3], 0xc1bdceee, 22);
		STEP(F, a, b, c, d, x[4], 0xf57c0faf, 7);
		STEP(F, d, a, b, c, x[5], 0x4787c62a, 12);
		STEP(F, c, d, a, b, x[6], 0xa8304613, 17);
		STEP(F, b, c, d, a, x[7], 0xfd469501, 22);
		STEP(F, a, b, c, d, x[8], 0x698098d8, 7);
		STEP(F, d, a, b, c, x[9], 0x8b44f7af, 12);
		STEP(F, c, d, a, b, x[10], 0xffff5bb1, 17);
		STEP(F, b, c, d, a, x[11], 0x895cd7be, 22);
		STEP(F, a, b, c, d, x[12], 0x6b901122, 7);
		STEP(F, d, a, b, c, x[13], 0xfd987193, 12);
		STEP(F, c, d, a, b, x[14], 0xa679438e, 17);
		STEP(F, b, c, d, a, x[15], 0x49b40821, 22);

		STEP(G, a, b, c, d, x[1], 0xf61e2562, 5);
		STEP(G, d, a, b, c, x[6], 0xc040b340, 9);
		STEP(G, c, d, a, b, x[11], 0x265e5a51, 14);
		STEP(G, b, c, d, a, x[0], 0xe9b6c7aa, 20);
		STEP(G, a, b, c, d, x[5], 0xd62f105d, 5);
		STEP(G, d, a, b, c, x[10], 0x02441453, 9);
		STEP(G, c, d, a, b, x[15], 0xd8a1e681, 14);
		STEP(G, b, c, d, a, x[4], 0xe7d3fbc8, 20);
		STEP(G, a, b, c, d, x[9], 0x21e1cde6, 5);
		STEP(G, d, a, b, c, x[14], 0xc33707d6, 9);
		STEP(G, c, d, a, b, x[3], 0xf4d50d87, 14);
		STEP(G, b, c, d, a, x[8], 0x455a14ed, 20);
		STEP(G, a, b, c, d, x[13], 0xa9e3e905, 5);
		STEP(G, d, a, b, c, x[2], 0xfcefa3f8, 9);
		STEP(G, c, d, a, b, x[7], 0x676f02d9, 14);
		STEP(G, b, c, d, a, x[12], 0x8d2a4c8a, 20);

		STEP(H, a, b, c, d, x[5], 0xfffa3942, 4);
		STEP(H, d, a, b, c, x[8], 0x8771f681, 11);
		STEP(H, c, d, a, b, x[11], 0x6d9d6122, 16);
		STEP(H, b, c, d, a, x[14], 0xfde5380c, 23);
		STEP(H, a, b, c, d, x[1], 0xa4beea44, 4);
		STEP(H, d, a, b, c, x[4], 0x4bdecfa9, 11);
		STEP(H, c, d, a, b, x[7], 0xf6bb4b60, 16);
		STEP(H, b, c, d, a, x[10], 0xbebfbc70, 23);
		STEP(H, a, b, c, d, x[13], 0x289b7ec6, 4);
		STEP(H, d, a, b, c, x[0], 0xeaa127fa, 11);
		STEP(H, c, d, a, b, x[3], 0xd4ef3085, 16);
		STEP(H, b, c, d, a, x[6], 0x04881d05, 23);
		STEP(H, a, b, c, d, x[9], 0xd9d4d039, 4);
		STEP(H, d, a, b, c, x[12], 0xe6db99e5, 11);
		STEP(H, c, d, a, b, x[15], 0x1fa27cf8, 16);
		STEP(H, b, c, d, a, x[2], 0xc4ac5665, 23);

		STEP(I, a, b, c, d, x[0], 0xf4292244, 6);
		STEP(I, d, a, b, c, x[7], 0x432aff97, 10);
		STEP(I, c, d, a, b, x[14], 0xab9423a7, 15);
		STEP(I, b, c, d, a, x[5], 0xfc93a039, 21);
		STEP(I, a, b, c, d, x[12], 0x655b59c3, 6);
		STEP(I, d, a, b, c, x[3], 0x8f0ccc92, 10);
		STEP(I, c, d, a, b, x[10], 0xffeff47d, 15);
		STEP(I, b, c, d, a, x[1], 0x85845dd1, 21);
		STEP(I, a, b, c, d, x[8], 0x6fa87e4f, 6);
		STEP(I, d, a, b, c, x[15], 0xfe2ce6e0, 10);
		STEP(I, c, d, a, b, x[6], 0xa3014314, 15);
		STEP(I, b, c, d, a, x[13], 0x4e0811a1, 21);
		STEP(I, a, b, c, d, x[4], 0xf7537e82, 6);
		STEP(I, d, a, b, c, x[11], 0xbd3af235, 10);
		STEP(I, c, d, a, b, x[2], 0x2ad7d2bb, 15);
		STEP(I, b, c, d, a, x[9], 0xeb86d391, 21);

		a += sa;
		b += sb;
		c += sc;
		d += sd;
	}
	h[0] = a;
	h[1] = b;
	h[2] = c;
	h[3] = d;
}

int hk_md5_init(struct hk_md5 *m)
{
	m->h[0] = 0x67452301;
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
	m->len = 0;
	m->on = true;
	return 0;
}

void hk_md5_update(struct hk_md5 *m, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have;

	if (!m->on || n == 0)
		return;
	have = (size_t)(m->len % 64);
	m->len += n;
	if (have) {
		size_t take = 64 - have < n ? 64 - have : n;

		memcpy(m->buf + have, p, take);
		p += take;
		n -= take;
		if (have + take < 64)
			return;
		blocks(m->h, m->buf, 1);
	}
	if (n >= 64) {
		blocks(m->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	memcpy(m->buf, p, n);
}

int hk_md5_final(struct hk_md5 *m, unsigned char out[HK_MD5_LEN])
{
	unsigned char pad[72] = { 0x80 };
	uint64_t bits;
	size_t have, padlen;

	if (!m->on) {
		errno = EINVAL;
		return -1;
	}
	bits = m->len * 8;
	have = (size_t)(m->len % 64);
	/* 0x80, zeros up to 56 bytes mod 64, then the length in bits. */
	padlen = have < 56 ? 56 - have : 120 - have;
	for (int i = 0; i < 8; i++)
		pad[padlen + (size_t)i] = (unsigned char)(bits >> (8 * i));
	hk_md5_update(m, pad, padlen + 8);
	for (int i = 0; i < 4; i++) {
		out[4 * i] = (unsigned char)m->h[i];
		out[4 * i + 1] = (unsigned char)(m->h[i] >> 8);
		out[4 * i + 2] = (unsigned char)(m->h[i] >> 16);
		out[4 * i + 3] = (unsigned char)(m->h[i] >> 24);
	}
	m->on = false;
	return 0;
}

void hk_md5_free(struct hk_md5 *m)
{
	m->on = false;
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
	memcpy(d, tmp, HK_MD5_LEN);
	return 0;
}
