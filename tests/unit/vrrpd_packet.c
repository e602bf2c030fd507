/* vrrpd/packet.c: building and parsing adverts. */
#include "t.h"
#include "../../vrrpd/packet.h"
#include "cksum.h"

#include <arpa/inet.h>
#include <stdlib.h>

static struct hk_addr A(const char *s)
{
	struct hk_addr a = { 0 };

	if (inet_pton(AF_INET, s, &a.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.v6) == 1)
		a.family = AF_INET6;
	return a;
}

/* Adverts captured from keepalived 2.2.7 on a test bridge. */
static const uint8_t ka_v2_pass[] = {	/* VRID 51, prio 200, "secret1", 192.0.2.100 */
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x18, 0x91,
	0xc0, 0x00, 0x02, 0x01, 0xe0, 0x00, 0x00, 0x12,
	0x21, 0x33, 0xc8, 0x01, 0x01, 0x01, 0xe6, 0x18, 0xc0, 0x00, 0x02, 0x64,
	0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x31, 0x00,
};
static const uint8_t ka_v3_ip4[] = {	/* VRID 52, prio 150, 10 cs, two VIPs */
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x0f, 0x00, 0x00, 0xff, 0x70, 0x18, 0x86,
	0xc0, 0x00, 0x02, 0x02, 0xe0, 0x00, 0x00, 0x12,
	0x31, 0x34, 0x96, 0x02, 0x00, 0x0a, 0x11, 0x5f, 0xc0, 0x00, 0x02, 0x64,
	0xc0, 0x00, 0x02, 0x65,
};
static const uint8_t ka_v3_ip6[] = {	/* VRID 53, prio 150, 50 cs, 2001:db8::100 */
	0x31, 0x35, 0x96, 0x01, 0x00, 0x32, 0x5d, 0xd2,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
};

static struct vrrp_expect exp_v2(void)
{
	struct vrrp_expect e = { .family = AF_INET, .version = 2, .vrid = 51, .v2_interval = 1,
				 .auth_type = 1, .check_ttl = true };

	memcpy(e.auth, "secret1", 7);
	return e;
}

TEST(vrrp_parse_accepts_keepalived_v2_with_password)
{
	struct vrrp_expect e = exp_v2();
	struct vrrp_adv adv;
	char buf[HK_ADDRSTRLEN];

	CHECK_EQ_INT(vrrp_parse(ka_v2_pass, sizeof(ka_v2_pass), AF_INET, NULL, &e, &adv), VRRP_OK);
	CHECK_EQ_INT(adv.version, 2);
	CHECK_EQ_INT(adv.vrid, 51);
	CHECK_EQ_INT(adv.priority, 200);
	CHECK_EQ_INT(adv.naddr, 1);
	CHECK_EQ_INT(adv.interval_cs, 100);
	CHECK_EQ_INT(adv.ttl, 255);
	CHECK_EQ_STR(hk_addr_str(&adv.src, buf), "192.0.2.1");
	CHECK_EQ_MEM(adv.addrs, "\xc0\x00\x02\x64", 4);
}

TEST(vrrp_parse_accepts_keepalived_v3_ipv4_and_ipv6)
{
	struct vrrp_expect e4 = { .family = AF_INET, .version = 3, .vrid = 52, .check_ttl = true };
	struct vrrp_expect e6 = { .family = AF_INET6, .version = 3, .vrid = 53, .check_ttl = true };
	struct vrrp_rxmeta m = { .src = A("fe80::dc96:36ff:feb0:9ba6"), .dst = A("ff02::12"),
				 .hoplimit = 255 };
	struct vrrp_adv adv;

	CHECK_EQ_INT(vrrp_parse(ka_v3_ip4, sizeof(ka_v3_ip4), AF_INET, NULL, &e4, &adv), VRRP_OK);
	CHECK_EQ_INT(adv.interval_cs, 10);
	CHECK_EQ_INT(adv.naddr, 2);
	CHECK_EQ_INT(vrrp_parse(ka_v3_ip6, sizeof(ka_v3_ip6), AF_INET6, &m, &e6, &adv), VRRP_OK);
	CHECK_EQ_INT(adv.interval_cs, 50);
	CHECK_EQ_INT(adv.priority, 150);
}

TEST(vrrp_build_matches_keepalived_byte_for_byte)
{
	struct hk_addr v4[2] = { A("192.0.2.100"), A("192.0.2.101") }, v6 = A("2001:db8::100");
	struct vrrp_txparams p = { .family = AF_INET, .version = 2, .vrid = 51, .priority = 200,
				   .interval_cs = 100, .auth_type = 1, .addrs = v4, .naddr = 1,
				   .src = A("192.0.2.1"), .dst = A("224.0.0.18"), .ip_id = 1 };
	uint8_t buf[VRRP_PKT_MAX];

	memcpy(p.auth, "secret1", 7);
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), sizeof(ka_v2_pass));
	CHECK_EQ_MEM(buf, ka_v2_pass, sizeof(ka_v2_pass));

	p = (struct vrrp_txparams){ .family = AF_INET, .version = 3, .vrid = 52, .priority = 150,
				    .interval_cs = 10, .addrs = v4, .naddr = 2,
				    .src = A("192.0.2.2"), .dst = A("224.0.0.18"), .ip_id = 15 };
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), sizeof(ka_v3_ip4));
	CHECK_EQ_MEM(buf, ka_v3_ip4, sizeof(ka_v3_ip4));

	p = (struct vrrp_txparams){ .family = AF_INET6, .version = 3, .vrid = 53, .priority = 150,
				    .interval_cs = 50, .addrs = &v6, .naddr = 1,
				    .src = A("fe80::dc96:36ff:feb0:9ba6"), .dst = A("ff02::12") };
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), sizeof(ka_v3_ip6));
	CHECK_EQ_MEM(buf, ka_v3_ip6, sizeof(ka_v3_ip6));
}

TEST(vrrp_build_refuses_what_cannot_be_sent)
{
	struct hk_addr v4 = A("192.0.2.100"), v6 = A("2001:db8::1");
	struct vrrp_txparams p = { .family = AF_INET6, .version = 2, .vrid = 1, .priority = 100,
				   .interval_cs = 100, .addrs = &v6, .naddr = 1,
				   .src = A("fe80::1"), .dst = A("ff02::12") };
	uint8_t buf[VRRP_PKT_MAX];

	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), 0);	/* v2 over IPv6 */
	p.version = 3;
	p.addrs = &v4;
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), 0);	/* IPv4 address in IPv6 */
	p.addrs = &v6;
	p.naddr = VRRP_MAX_ADDRS_V6 + 1;
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), 0);	/* too many */
	p.naddr = 1;
	CHECK_EQ_INT(vrrp_build(buf, 10, &p), 0);		/* no room */
	CHECK_EQ_INT(vrrp_build(buf, sizeof(buf), &p), 24);
}

/* Build an IPv4 advert for the drop tests, then patch it. */
static size_t v3pkt(uint8_t *buf, uint8_t prio)
{
	static struct hk_addr vip;
	struct vrrp_txparams p = { .family = AF_INET, .version = 3, .vrid = 7, .priority = prio,
				   .interval_cs = 10, .addrs = &vip, .naddr = 1,
				   .src = A("192.0.2.2"), .dst = A("224.0.0.18"), .ip_id = 9 };

	vip = A("192.0.2.100");
	return vrrp_build(buf, VRRP_PKT_MAX, &p);
}

/* Recompute the VRRPv3 checksum after a patch, so that the patched
 * field, not the checksum, is what the parser objects to. */
static void fix_v3(uint8_t *buf, size_t len)
{
	struct hk_addr s = A("192.0.2.2"), d = A("224.0.0.18");
	uint8_t *m = buf + 20;
	size_t mlen = len - 20;
	uint16_t ck;

	m[6] = m[7] = 0;
	ck = hk_cksum_fold(hk_cksum_add(hk_cksum_pseudo(&s, &d, 112, (uint32_t)mlen), m, mlen));
	memcpy(m + 6, &ck, 2);
}

TEST(vrrp_parse_names_the_reason_for_each_bad_field)
{
	struct hk_addr vip = A("192.0.2.100");
	struct vrrp_expect e = { .family = AF_INET, .version = 3, .vrid = 7, .check_ttl = true,
				 .vips = &vip, .nvips = 1 };
	struct vrrp_adv adv;
	uint8_t b[VRRP_PKT_MAX];
	size_t n = v3pkt(b, 100);

	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_OK);

	n = v3pkt(b, 100);
	b[8] = 64;
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_TTL);
	e.check_ttl = false;	/* unicast mode */
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_OK);
	e.check_ttl = true;

	n = v3pkt(b, 100);
	b[26] ^= 0x01;
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_CHECKSUM);

	n = v3pkt(b, 100);
	b[20] = 0x21;
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_VERSION);

	n = v3pkt(b, 100);
	b[20] = 0x32;
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_TYPE);

	n = v3pkt(b, 100);
	b[21] = 8;
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_VRID);

	n = v3pkt(b, 100);
	b[23] = 2;	/* says two addresses, carries one */
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_LENGTH);

	n = v3pkt(b, 100);
	b[24] = 0;
	b[25] = 0;
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_INTERVAL);

	n = v3pkt(b, 100);
	b[31] = 0x65;	/* 192.0.2.101 */
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_ADDR_LIST);
	n = v3pkt(b, 255);	/* the owner's list wins */
	b[31] = 0x65;
	fix_v3(b, n);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_OK);

	n = v3pkt(b, 100);
	b[9] = 6;
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_IP_HEADER);
	n = v3pkt(b, 100);
	b[0] = 0x65;
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_IP_HEADER);
	n = v3pkt(b, 100);
	b[3] += 4;	/* total length beyond the data */
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_TRUNCATED);
	CHECK_EQ_INT(vrrp_parse(b, 19, AF_INET, NULL, &e, &adv), VRRP_DROP_SHORT);
}

TEST(vrrp_parse_checks_v2_authentication_and_interval)
{
	struct vrrp_expect e = exp_v2();
	struct vrrp_adv adv;

	memcpy(e.auth, "secret2", 7);
	CHECK_EQ_INT(vrrp_parse(ka_v2_pass, sizeof(ka_v2_pass), AF_INET, NULL, &e, &adv),
		     VRRP_DROP_AUTH);
	e = exp_v2();
	e.auth_type = 0;
	CHECK_EQ_INT(vrrp_parse(ka_v2_pass, sizeof(ka_v2_pass), AF_INET, NULL, &e, &adv),
		     VRRP_DROP_AUTH);
	e = exp_v2();
	e.v2_interval = 2;
	CHECK_EQ_INT(vrrp_parse(ka_v2_pass, sizeof(ka_v2_pass), AF_INET, NULL, &e, &adv),
		     VRRP_DROP_INTERVAL);
}

TEST(vrrp_parse_checks_ipv6_hop_limit_and_pseudo_header)
{
	struct vrrp_expect e = { .family = AF_INET6, .version = 3, .vrid = 53, .check_ttl = true };
	struct vrrp_rxmeta m = { .src = A("fe80::dc96:36ff:feb0:9ba6"), .dst = A("ff02::12"),
				 .hoplimit = 254 };
	struct vrrp_adv adv;

	CHECK_EQ_INT(vrrp_parse(ka_v3_ip6, sizeof(ka_v3_ip6), AF_INET6, &m, &e, &adv),
		     VRRP_DROP_TTL);
	m.hoplimit = 255;
	m.src = A("fe80::1");	/* the checksum covers the source */
	CHECK_EQ_INT(vrrp_parse(ka_v3_ip6, sizeof(ka_v3_ip6), AF_INET6, &m, &e, &adv),
		     VRRP_DROP_CHECKSUM);
	CHECK_EQ_INT(vrrp_parse(ka_v3_ip6, 7, AF_INET6, &m, &e, &adv), VRRP_DROP_SHORT);
}

TEST(vrrp_v3_checksum_as_v2_leaves_the_pseudo_header_out)
{
	struct hk_addr vip = A("192.0.2.100");
	struct vrrp_txparams p = { .family = AF_INET, .version = 3, .vrid = 7, .priority = 100,
				   .interval_cs = 100, .addrs = &vip, .naddr = 1,
				   .src = A("192.0.2.2"), .dst = A("224.0.0.18"),
				   .v3_cksum_as_v2 = true };
	struct vrrp_expect e = { .family = AF_INET, .version = 3, .vrid = 7, .check_ttl = true };
	struct vrrp_adv adv;
	uint8_t b[VRRP_PKT_MAX];
	size_t n = vrrp_build(b, sizeof(b), &p);

	CHECK_EQ_INT(hk_cksum_fold(hk_cksum_add(0, b + 20, n - 20)), 0);
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_DROP_CHECKSUM);
	e.v3_cksum_as_v2 = true;
	CHECK_EQ_INT(vrrp_parse(b, n, AF_INET, NULL, &e, &adv), VRRP_OK);
}

TEST(vrrp_parse_rejects_every_truncation_and_every_bit_flip)
{
	struct vrrp_expect e = exp_v2();
	struct vrrp_adv adv;
	uint8_t b[sizeof(ka_v2_pass)];

	for (size_t n = 0; n < sizeof(ka_v2_pass); n++) {
		/* A copy of exactly n bytes, so that ASan sees any overread. */
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, ka_v2_pass, n);
		CHECK(vrrp_parse(cut, n, AF_INET, NULL, &e, &adv) != VRRP_OK);
		free(cut);
	}
	for (size_t i = 20; i < sizeof(b); i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(b, ka_v2_pass, sizeof(b));
			b[i] ^= (uint8_t)(1 << bit);
			if (vrrp_parse(b, sizeof(b), AF_INET, NULL, &e, &adv) == VRRP_OK)
				t_fail(__FILE__, __LINE__, "byte %zu bit %d flipped still parses", i,
				       bit);
		}
	}
}

TEST(vrrp_parse_survives_random_bytes)
{
	struct hk_addr vip = A("192.0.2.100");
	struct vrrp_expect e4 = { .family = AF_INET, .version = 2, .vrid = 51, .vips = &vip,
				  .nvips = 1 };
	struct vrrp_expect e6 = { .family = AF_INET6, .version = 3, .vrid = 53 };
	struct vrrp_rxmeta m = { .src = A("fe80::1"), .dst = A("ff02::12"), .hoplimit = 255 };
	struct vrrp_adv adv;
	uint32_t x = 12345;
	int ok = 0;

	for (int i = 0; i < 20000; i++) {
		size_t n = 0;
		uint8_t *b;

		x = x * 1103515245 + 12345;
		n = (x >> 16) % 80;
		b = malloc(n ? n : 1);
		for (size_t k = 0; k < n; k++) {
			x = x * 1103515245 + 12345;
			b[k] = (uint8_t)(x >> 16);
		}
		/* Half the time a plausible header, to get deeper. */
		if (n >= 24 && (i & 1)) {
			b[0] = 0x45;
			b[2] = 0;
			b[3] = (uint8_t)n;
			b[9] = 112;
			b[20] = 0x21;
			b[21] = 51;
		}
		ok += vrrp_parse(b, n, AF_INET, NULL, &e4, &adv) == VRRP_OK;
		ok += vrrp_parse(b, n, AF_INET6, &m, &e6, &adv) == VRRP_OK;
		free(b);
	}
	CHECK(ok < 5);	/* random bytes almost never pass the checksum */
	CHECK_EQ_STR(vrrp_drop_name(VRRP_DROP_TTL), "ttl");
	CHECK_EQ_STR(vrrp_drop_name((enum vrrp_drop)99), "unknown");
}
