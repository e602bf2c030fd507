/* lib/md5.c: RFC 1321's test suite, and streaming in pieces of any
 * size against OpenSSL's MD5. */
#include "t.h"
#include "md5.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>

static const char *md5_of(const char *s, char *hex)
{
	struct hk_md5 m;
	unsigned char d[HK_MD5_LEN];

	hk_md5_init(&m);
	hk_md5_update(&m, s, strlen(s));
	hk_md5_final(&m, d);
	return hk_md5_hex(hex, d);
}

TEST(md5_passes_the_rfc_1321_test_suite)
{
	char hex[HK_MD5_HEXLEN];

	CHECK_EQ_STR(md5_of("", hex), "d41d8cd98f00b204e9800998ecf8427e");
	CHECK_EQ_STR(md5_of("a", hex), "0cc175b9c0f1b6a831c399e269772661");
	CHECK_EQ_STR(md5_of("abc", hex), "900150983cd24fb0d6963f7d28e17f72");
	CHECK_EQ_STR(md5_of("message digest", hex), "f96b697d7cb7938d525a2f31aaf161d0");
	CHECK_EQ_STR(md5_of("abcdefghijklmnopqrstuvwxyz", hex), "c3fcd3d76192e4007dfb496cca67e13b");
	CHECK_EQ_STR(md5_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", hex),
		     "d174ab98d277d9f5a5611c2c9f419d9f");
	CHECK_EQ_STR(md5_of("1234567890123456789012345678901234567890"
			    "1234567890123456789012345678901234567890", hex),
		     "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(md5_in_pieces_equals_openssl_s_for_every_length)
{
	static unsigned char data[1000];
	uint64_t r = 88172645463325252ULL;

	for (size_t i = 0; i < sizeof(data); i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		data[i] = (unsigned char)r;
	}
	for (size_t len = 0; len <= sizeof(data); len += (len < 130 ? 1 : 37)) {
		unsigned char ours[HK_MD5_LEN], theirs[HK_MD5_LEN];
		unsigned int n = 0;
		struct hk_md5 m;
		size_t off = 0;

		hk_md5_init(&m);
		while (off < len) {
			size_t piece = 1 + (size_t)(r % 97);

			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			if (piece > len - off)
				piece = len - off;
			hk_md5_update(&m, data + off, piece);
			off += piece;
		}
		CHECK_EQ_INT(hk_md5_final(&m, ours), 0);
		EVP_Digest(data, len, theirs, &n, EVP_md5(), NULL);
		if (memcmp(ours, theirs, HK_MD5_LEN) != 0)
			t_fail(__FILE__, __LINE__, "length %zu differs from OpenSSL", len);
	}
}

TEST(md5_hex_round_trips_and_refuses_what_is_not_32_hex_digits)
{
	unsigned char d[HK_MD5_LEN];
	char hex[HK_MD5_HEXLEN];

	CHECK_EQ_INT(hk_md5_parse("F52043B6E7C8DC6AE0000D580817EB1F", d), 0);
	CHECK_EQ_STR(hk_md5_hex(hex, d), "f52043b6e7c8dc6ae0000d580817eb1f");
	CHECK_EQ_INT(hk_md5_parse("f52043b6e7c8dc6ae0000d580817eb1", d), -1);
	CHECK_EQ_INT(hk_md5_parse("f52043b6e7c8dc6ae0000d580817eb1f0", d), -1);
	CHECK_EQ_INT(hk_md5_parse("g52043b6e7c8dc6ae0000d580817eb1f", d), -1);
	CHECK_EQ_INT(errno, EINVAL);
	CHECK_EQ_INT(hk_md5_parse("", d), -1);
}

TEST(md5_final_needs_a_started_digest)
{
	struct hk_md5 m = { 0 };
	unsigned char d[HK_MD5_LEN];

	CHECK_EQ_INT(hk_md5_final(&m, d), -1);
	hk_md5_init(&m);
	CHECK_EQ_INT(hk_md5_final(&m, d), 0);
	CHECK_EQ_INT(hk_md5_final(&m, d), -1);
}
