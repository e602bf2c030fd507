/* genhash/hashpipe.c: the digest on a second thread equals the one
 * made in place, whatever the pieces, across many blocks. */
#include "t.h"
#include "../../genhash/hashpipe.h"

#include <stdlib.h>

TEST(hashpipe_digest_equals_the_direct_one)
{
	static struct gh_pipe pipe;
	size_t n = GH_PIPE_BLOCK * (GH_PIPE_BLOCKS * 2 + 3) + 12345;
	unsigned char *data = malloc(n), a[HK_MD5_LEN], b[HK_MD5_LEN];
	uint64_t r = 0x2545f4914f6cdd1dULL;
	struct hk_md5 m;
	size_t off = 0;

	for (size_t i = 0; i < n; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		data[i] = (unsigned char)r;
	}
	CHECK_EQ_INT(gh_pipe_start(&pipe), 0);
	while (off < n) {
		size_t piece = 1 + (size_t)(r % 300000);

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		if (piece > n - off)
			piece = n - off;
		gh_pipe_feed(&pipe, data + off, piece);
		off += piece;
	}
	CHECK_EQ_INT(gh_pipe_finish(&pipe, a), 0);
	hk_md5_init(&m);
	hk_md5_update(&m, data, n);
	hk_md5_final(&m, b);
	CHECK_EQ_MEM(a, b, HK_MD5_LEN);
	free(data);
}

TEST(hashpipe_of_nothing_is_the_empty_digest_and_cancel_stops_it)
{
	static struct gh_pipe pipe;
	unsigned char d[HK_MD5_LEN];
	char hex[HK_MD5_HEXLEN];

	CHECK_EQ_INT(gh_pipe_start(&pipe), 0);
	CHECK_EQ_INT(gh_pipe_finish(&pipe, d), 0);
	CHECK_EQ_STR(hk_md5_hex(hex, d), "d41d8cd98f00b204e9800998ecf8427e");
	CHECK_EQ_INT(gh_pipe_start(&pipe), 0);
	gh_pipe_feed(&pipe, "abc", 3);
	gh_pipe_cancel(&pipe);
}
