#include "t.h"
#include "addr.h"
#include "cksum.h"
#include "garp.h"
#include "json.h"
#include "log.h"

#include <arpa/inet.h>
#include <stdlib.h>

TEST(addr_cmp_orders_as_network_numbers)
{
	struct hk_addr a = { .family = AF_INET }, b = { .family = AF_INET };

	inet_pton(AF_INET, "192.0.2.9", &a.v4);
	inet_pton(AF_INET, "192.0.2.10", &b.v4);
	CHECK(hk_addr_cmp(&a, &b) < 0);
	CHECK(hk_addr_cmp(&b, &a) > 0);
	CHECK(hk_addr_eq(&a, &a));
}

TEST(addrport_str_brackets_ipv6)
{
	struct hk_addr a = { .family = AF_INET6 };
	char buf[HK_ADDRSTRLEN];

	inet_pton(AF_INET6, "2001:db8::1", &a.v6);
	CHECK_EQ_STR(hk_addrport_str(&a, 80, buf), "[2001:db8::1]:80");
	a.family = AF_INET;
	inet_pton(AF_INET, "198.51.100.1", &a.v4);
	CHECK_EQ_STR(hk_addrport_str(&a, 8080, buf), "198.51.100.1:8080");
}

/* RFC 1071's worked example: the sum of these words is ddf2, so the
 * checksum is its complement, 220d. */
TEST(cksum_matches_rfc1071_example)
{
	const uint8_t data[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t ck = hk_cksum_fold(hk_cksum_add(0, data, sizeof(data)));

	CHECK_EQ_INT(ntohs(ck), 0x220d);
}

TEST(cksum_of_data_with_its_checksum_is_zero)
{
	uint8_t data[21];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 37 + 11);
	data[4] = data[5] = 0;
	uint16_t ck = hk_cksum_fold(hk_cksum_add(0, data, sizeof(data)));

	memcpy(data + 4, &ck, 2);
	CHECK_EQ_INT(hk_cksum_fold(hk_cksum_add(0, data, sizeof(data))), 0);
}

TEST(garp_frame_is_a_broadcast_request_for_the_vip)
{
	const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	struct in_addr ip;
	uint8_t f[HK_GARP_LEN];

	inet_pton(AF_INET, "192.0.2.100", &ip);
	CHECK_EQ_INT(hk_garp_build(f, mac, ip), 42);
	CHECK_EQ_MEM(f, "\xff\xff\xff\xff\xff\xff", 6);
	CHECK_EQ_MEM(f + 6, mac, 6);
	CHECK_EQ_MEM(f + 12, "\x08\x06", 2);
	CHECK_EQ_MEM(f + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	CHECK_EQ_MEM(f + 22, mac, 6);
	CHECK_EQ_MEM(f + 28, &ip, 4);
	CHECK_EQ_MEM(f + 32, "\xff\xff\xff\xff\xff\xff", 6);
	CHECK_EQ_MEM(f + 38, &ip, 4);
}

TEST(una_frame_has_override_flag_and_valid_checksum)
{
	const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct hk_addr src = { .family = AF_INET6 }, dst = { .family = AF_INET6 };
	struct in6_addr target;
	uint8_t f[HK_UNA_LEN];

	inet_pton(AF_INET6, "fe80::11:22ff:fe33:4455", &src.v6);
	inet_pton(AF_INET6, "ff02::1", &dst.v6);
	inet_pton(AF_INET6, "2001:db8::100", &target);
	CHECK_EQ_INT(hk_una_build(f, mac, &src.v6, &target, 0), 86);
	CHECK_EQ_MEM(f, "\x33\x33\x00\x00\x00\x01", 6);
	CHECK_EQ_MEM(f + 12, "\x86\xdd", 2);
	CHECK_EQ_INT(f[14 + 6], 58);	/* next header ICMPv6 */
	CHECK_EQ_INT(f[14 + 7], 255);	/* hop limit */
	const uint8_t *icmp = f + 54;

	CHECK_EQ_INT(icmp[0], 136);
	CHECK_EQ_INT(icmp[4], 0x20);	/* override only */
	CHECK_EQ_MEM(icmp + 8, &target, 16);
	CHECK_EQ_INT(icmp[24], 2);
	CHECK_EQ_MEM(icmp + 26, mac, 6);
	uint32_t sum = hk_cksum_pseudo(&src, &dst, 58, 32);

	CHECK_EQ_INT(hk_cksum_fold(hk_cksum_add(sum, icmp, 32)), 0);
}

TEST(ratelimit_allows_a_burst_then_counts_the_rest)
{
	struct hk_ratelimit rl = HK_RATELIMIT_INIT(1000, 3);
	unsigned long dropped;
	int allowed = 0;

	for (int i = 0; i < 10; i++)
		allowed += hk_ratelimit_ok(&rl, 5000 + (uint64_t)i, &dropped);
	CHECK_EQ_INT(allowed, 3);
	CHECK(hk_ratelimit_ok(&rl, 6001, &dropped));
	CHECK_EQ_INT(dropped, 7);
}

TEST(json_str_escapes_quotes_and_controls)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hk_json_str(f, "a\"b\\c\n\x01");
	fclose(f);
	CHECK_EQ_STR(buf, "\"a\\\"b\\\\c\\n\\u0001\"");
	free(buf);
}
