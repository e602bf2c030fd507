#include "t.h"
#include "parse.h"

#include <arpa/inet.h>
#include <errno.h>

TEST(parse_uint_accepts_bounds)
{
	uint64_t v = 0;

	CHECK_EQ_INT(hk_parse_uint("1", 1, 255, &v, NULL), 0);
	CHECK_EQ_INT(v, 1);
	CHECK_EQ_INT(hk_parse_uint("255", 1, 255, &v, NULL), 0);
	CHECK_EQ_INT(v, 255);
	CHECK_EQ_INT(hk_parse_uint("18446744073709551615", 0, UINT64_MAX, &v, NULL), 0);
	CHECK(v == UINT64_MAX);
}

TEST(parse_uint_rejects_junk_with_a_sentence)
{
	struct hk_err e;
	uint64_t v = 7;
	const char *bad[] = { "", " 1", "1 ", "+1", "-1", "0x10", "1e3", "1.0", "12a", NULL };

	for (int i = 0; bad[i]; i++) {
		CHECK_EQ_INT(hk_parse_uint(bad[i], 0, 1000, &v, &e), -1);
		CHECK_EQ_INT(errno, EINVAL);
	}
	CHECK_EQ_INT(v, 7);
	hk_parse_uint("12a", 0, 10, &v, &e);
	CHECK_EQ_STR(e.msg, "'12a' is not a whole number");
}

TEST(parse_uint_reports_range_and_overflow)
{
	struct hk_err e;
	uint64_t v;

	CHECK_EQ_INT(hk_parse_uint("256", 1, 255, &v, &e), -1);
	CHECK_EQ_INT(errno, ERANGE);
	CHECK_EQ_STR(e.msg, "'256' is out of range 1-255");
	CHECK_EQ_INT(hk_parse_uint("0", 1, 255, &v, &e), -1);
	CHECK_EQ_INT(hk_parse_uint("18446744073709551616", 0, UINT64_MAX, &v, &e), -1);
	CHECK_EQ_INT(errno, ERANGE);
}

TEST(parse_int_handles_sign_and_limits)
{
	int64_t v;
	struct hk_err e;

	CHECK_EQ_INT(hk_parse_int("-254", -254, 254, &v, NULL), 0);
	CHECK_EQ_INT(v, -254);
	CHECK_EQ_INT(hk_parse_int("-9223372036854775808", INT64_MIN, INT64_MAX, &v, NULL), 0);
	CHECK(v == INT64_MIN);
	CHECK_EQ_INT(hk_parse_int("9223372036854775808", INT64_MIN, INT64_MAX, &v, NULL), -1);
	CHECK_EQ_INT(hk_parse_int("-255", -254, 254, &v, &e), -1);
	CHECK_EQ_STR(e.msg, "'-255' is out of range -254..254");
	CHECK_EQ_INT(hk_parse_int("-", -5, 5, &v, NULL), -1);
	CHECK_EQ_INT(hk_parse_int("--1", -5, 5, &v, NULL), -1);
}

TEST(parse_secs_takes_fractions_to_the_microsecond)
{
	uint64_t us;

	CHECK_EQ_INT(hk_parse_secs("1", 0, 100000000, &us, NULL), 0);
	CHECK_EQ_INT(us, 1000000);
	CHECK_EQ_INT(hk_parse_secs("0.01", 0, 100000000, &us, NULL), 0);
	CHECK_EQ_INT(us, 10000);
	CHECK_EQ_INT(hk_parse_secs(".5", 0, 100000000, &us, NULL), 0);
	CHECK_EQ_INT(us, 500000);
	CHECK_EQ_INT(hk_parse_secs("2.000001", 0, 100000000, &us, NULL), 0);
	CHECK_EQ_INT(us, 2000001);
}

TEST(parse_secs_rejects_bad_forms)
{
	struct hk_err e;
	uint64_t us;
	const char *bad[] = { "", ".", "1.", "-1", "1s", "1e2", "0.0000001", " 1", "1..2", NULL };

	for (int i = 0; bad[i]; i++)
		CHECK_EQ_INT(hk_parse_secs(bad[i], 0, 100000000, &us, &e), -1);
	CHECK_EQ_INT(hk_parse_secs("0.001", 10000, 255000000, &us, &e), -1);
	CHECK_EQ_STR(e.msg, "'0.001' is out of range 0.01-255 seconds");
	CHECK_EQ_INT(hk_parse_secs("99999999999999999999", 0, 100, &us, &e), -1);
	CHECK_EQ_INT(errno, ERANGE);
}

TEST(parse_addr_both_families_and_restrictions)
{
	struct hk_addr a;
	struct hk_err e;

	CHECK_EQ_INT(hk_parse_addr("192.0.2.1", AF_UNSPEC, &a, NULL), 0);
	CHECK_EQ_INT(a.family, AF_INET);
	CHECK_EQ_INT(hk_parse_addr("2001:db8::1", AF_UNSPEC, &a, NULL), 0);
	CHECK_EQ_INT(a.family, AF_INET6);
	CHECK_EQ_INT(hk_parse_addr("2001:db8::1", AF_INET, &a, &e), -1);
	CHECK_EQ_STR(e.msg, "'2001:db8::1' is not an IPv4 address");
	CHECK_EQ_INT(hk_parse_addr("192.0.2.300", AF_UNSPEC, &a, &e), -1);
	CHECK_EQ_STR(e.msg, "'192.0.2.300' is not an IPv4 or IPv6 address");
	CHECK_EQ_INT(hk_parse_addr("fe80::1%eth0", AF_UNSPEC, &a, NULL), -1);
	CHECK_EQ_INT(hk_parse_addr("192.0.2.1 ", AF_UNSPEC, &a, NULL), -1);
}

TEST(parse_prefix_defaults_to_host_length)
{
	struct hk_prefix p;
	struct hk_err e;

	CHECK_EQ_INT(hk_parse_prefix("192.0.2.10", AF_UNSPEC, &p, NULL), 0);
	CHECK_EQ_INT(p.plen, 32);
	CHECK_EQ_INT(hk_parse_prefix("192.0.2.10/24", AF_UNSPEC, &p, NULL), 0);
	CHECK_EQ_INT(p.plen, 24);
	CHECK_EQ_INT(p.addr.v4.s_addr, inet_addr("192.0.2.10"));
	CHECK_EQ_INT(hk_parse_prefix("2001:db8::5/64", AF_UNSPEC, &p, NULL), 0);
	CHECK_EQ_INT(p.plen, 64);
	CHECK_EQ_INT(hk_parse_prefix("2001:db8::5", AF_UNSPEC, &p, NULL), 0);
	CHECK_EQ_INT(p.plen, 128);
	CHECK_EQ_INT(hk_parse_prefix("192.0.2.10/33", AF_UNSPEC, &p, &e), -1);
	CHECK_EQ_STR(e.msg, "'192.0.2.10/33': prefix length '33' must be 0-32");
	CHECK_EQ_INT(hk_parse_prefix("192.0.2.10/", AF_UNSPEC, &p, NULL), -1);
	CHECK_EQ_INT(hk_parse_prefix("/24", AF_UNSPEC, &p, NULL), -1);
}

TEST(parse_addrport_brackets_and_ports)
{
	struct hk_addr a;
	uint16_t port = 0;
	struct hk_err e;

	CHECK_EQ_INT(hk_parse_addrport("192.0.2.1:80", &a, &port, 0, NULL), 0);
	CHECK_EQ_INT(port, 80);
	CHECK_EQ_INT(hk_parse_addrport("[2001:db8::1]:443", &a, &port, 0, NULL), 0);
	CHECK_EQ_INT(a.family, AF_INET6);
	CHECK_EQ_INT(port, 443);
	CHECK_EQ_INT(hk_parse_addrport("192.0.2.1", &a, &port, 0, &e), -1);
	CHECK_EQ_STR(e.msg, "'192.0.2.1' has no port (ADDR:PORT, [ADDR6]:PORT)");
	port = 9;
	CHECK_EQ_INT(hk_parse_addrport("2001:db8::1", &a, &port, 1, NULL), 0);
	CHECK_EQ_INT(port, 9);
	CHECK_EQ_INT(hk_parse_addrport("192.0.2.1:0", &a, &port, 0, &e), -1);
	CHECK_EQ_STR(e.msg, "'192.0.2.1:0': port '0' must be 1-65535");
	CHECK_EQ_INT(hk_parse_addrport("192.0.2.1:65536", &a, &port, 0, NULL), -1);
	CHECK_EQ_INT(hk_parse_addrport("[192.0.2.1]:80", &a, &port, 0, NULL), -1);
	CHECK_EQ_INT(hk_parse_addrport("[2001:db8::1]80", &a, &port, 0, NULL), -1);
	CHECK_EQ_INT(hk_parse_addrport(":80", &a, &port, 0, NULL), -1);
}

TEST(parse_ifname_checks_length_and_characters)
{
	struct hk_err e;
	unsigned idx;

	CHECK_EQ_INT(hk_parse_ifname("eth0", NULL, NULL), 0);
	CHECK_EQ_INT(hk_parse_ifname("abcdefghijklmnop", NULL, &e), -1);
	CHECK_EQ_INT(errno, ENAMETOOLONG);
	CHECK_EQ_INT(hk_parse_ifname("eth0:1", NULL, NULL), -1);
	CHECK_EQ_INT(hk_parse_ifname("a b", NULL, NULL), -1);
	CHECK_EQ_INT(hk_parse_ifname("", NULL, NULL), -1);
	CHECK_EQ_INT(hk_parse_ifname("lo", &idx, NULL), 0);
	CHECK(idx > 0);
	CHECK_EQ_INT(hk_parse_ifname("hknosuch0", &idx, &e), -1);
	CHECK_EQ_INT(errno, ENODEV);
	CHECK_EQ_STR(e.msg, "unknown interface 'hknosuch0'");
}

TEST(parse_messages_quote_long_input_truncated)
{
	char big[4096];
	struct hk_err e;
	uint64_t v;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ_INT(hk_parse_uint(big, 0, 1, &v, &e), -1);
	CHECK(strlen(e.msg) < 100);
}

/* hk_parse_addr's own dotted-quad reader takes exactly what
 * inet_pton(AF_INET) takes: tricky cases, then many random strings
 * over the characters that matter (fixed seed, so a failure repeats). */
TEST(parse_addr_ipv4_agrees_with_inet_pton)
{
	static const char *const cases[] = {
		"0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "1.2.3.4.", "1.2.3.4.5",
		".1.2.3", "1..2.3", "01.2.3.4", "1.2.3.00", "1.2.3.0", "1.2.3.-1", "", ".",
		"1.2.3.4 ", " 1.2.3.4", "1.2.3.4x", "1.2.3.255", "1.2.3.2550", "999.1.1.1",
		"0x1.2.3.4", "1.2.3.4\n", "00.0.0.0", "0.0.0.09",
	};
	struct hk_addr a;
	struct in_addr want;
	unsigned seed = 12345;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ok = inet_pton(AF_INET, cases[i], &want) == 1;
		int got = hk_parse_addr(cases[i], AF_INET, &a, NULL) == 0;

		if (ok != got || (ok && memcmp(&a.v4, &want, 4) != 0))
			t_fail(__FILE__, __LINE__, "'%s': inet_pton %d, hk_parse_addr %d", cases[i],
			       ok, got);
	}
	for (int i = 0; i < 200000; i++) {
		static const char set[] = "0123456789..0125x";
		char s[20];
		int len, ok, got;

		seed = seed * 1103515245u + 12345u;
		if (i % 2) {
			/* Any characters of the set. */
			len = (int)((seed >> 16) % 18);
			for (int k = 0; k < len; k++) {
				seed = seed * 1103515245u + 12345u;
				s[k] = set[(seed >> 16) % (sizeof(set) - 1)];
			}
		} else {
			/* Three to five parts of up to three digits: mostly
			 * addresses, some just off. */
			int parts = 3 + (int)((seed >> 16) % 3);

			len = 0;
			for (int p = 0; p < parts; p++) {
				seed = seed * 1103515245u + 12345u;
				if (p)
					s[len++] = '.';
				for (int k = (int)((seed >> 16) % 4); k > 0; k--) {
					seed = seed * 1103515245u + 12345u;
					s[len++] = (char)('0' + (seed >> 16) % (k == 3 ? 3 : 10));
				}
			}
		}
		s[len] = '\0';
		ok = inet_pton(AF_INET, s, &want) == 1;
		got = hk_parse_addr(s, AF_INET, &a, NULL) == 0;
		if (ok != got || (ok && memcmp(&a.v4, &want, 4) != 0)) {
			t_fail(__FILE__, __LINE__, "'%s': inet_pton %d, hk_parse_addr %d", s, ok, got);
			break;
		}
	}
}

TEST(parse_hex_reads_keepalived_hex_strings)
{
	unsigned char d[8], m[8];
	struct hk_err e;

	/* Pairs, blanks between octets, a lone digit an octet of its own. */
	CHECK_EQ_INT(hk_parse_hex("0a0B ff 1 2", d, m, sizeof(d), false, &e), 5);
	CHECK_EQ_MEM(d, "\x0a\x0b\xff\x01\x02", 5);
	CHECK_EQ_INT(hk_parse_hex("\t48454c4c4f ", d, NULL, sizeof(d), false, &e), 5);
	CHECK_EQ_MEM(d, "HELLO", 5);
	/* Wildcards: nibbles that match anything, only when allowed. */
	CHECK_EQ_INT(hk_parse_hex("1x X2 xx", d, m, sizeof(d), true, &e), 3);
	CHECK_EQ_MEM(d, "\x10\x02\x00", 3);
	CHECK_EQ_MEM(m, "\x0f\xf0\xff", 3);
	CHECK_EQ_INT(hk_parse_hex("1x", d, m, sizeof(d), false, &e), -1);
	CHECK(strstr(e.msg, "'x' at 2 is not a hex digit") != NULL);
}

TEST(parse_hex_refuses_empty_junk_and_overflow)
{
	unsigned char d[4];
	struct hk_err e;

	CHECK_EQ_INT(hk_parse_hex("", d, NULL, sizeof(d), false, &e), -1);
	CHECK(strstr(e.msg, "holds no hex digits") != NULL);
	CHECK_EQ_INT(hk_parse_hex("   ", d, NULL, sizeof(d), false, &e), -1);
	CHECK_EQ_INT(hk_parse_hex("0g", d, NULL, sizeof(d), false, &e), -1);
	CHECK(strstr(e.msg, "'g' at 2") != NULL);
	CHECK_EQ_INT(hk_parse_hex("0x10", d, NULL, sizeof(d), false, &e), -1);
	CHECK_EQ_INT(hk_parse_hex("01020304", d, NULL, sizeof(d), false, &e), 4);
	CHECK_EQ_INT(hk_parse_hex("0102030405", d, NULL, sizeof(d), false, &e), -1);
	CHECK(strstr(e.msg, "longer than 4 bytes") != NULL);
}
