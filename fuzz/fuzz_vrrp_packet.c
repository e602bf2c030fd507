/*
 * libFuzzer target: vrrpd's advert parser, every branch of it: the first
 * input byte picks family, version, authentication, TTL checking and the
 * v3-checksum mode, the second the VRID; the rest is the packet (an IPv4
 * datagram, or for IPv6 the VRRP message with ancillary data).
 */
#include "../vrrpd/packet.h"

#include <arpa/inet.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrrp_expect exp;
	struct vrrp_rxmeta meta;
	struct vrrp_adv adv;
	struct hk_addr vips[2];
	uint8_t mode;

	if (size < 2)
		return 0;
	mode = data[0];
	memset(&exp, 0, sizeof(exp));
	memset(&meta, 0, sizeof(meta));
	memset(vips, 0, sizeof(vips));
	exp.family = (mode & 1) ? AF_INET6 : AF_INET;
	exp.version = (mode & 2) ? 3 : 2;
	exp.vrid = data[1];
	exp.v2_interval = 1;
	exp.auth_type = (mode & 4) ? 1 : 0;
	memcpy(exp.auth, "1111\0\0\0\0", VRRP_AUTH_LEN);
	exp.check_ttl = (mode & 8) != 0;
	exp.v3_cksum_as_v2 = (mode & 16) != 0;
	if (mode & 32) {
		vips[0].family = vips[1].family = (sa_family_t)exp.family;
		if (exp.family == AF_INET) {
			inet_pton(AF_INET, "192.0.2.100", &vips[0].v4);
			inet_pton(AF_INET, "192.0.2.101", &vips[1].v4);
		} else {
			inet_pton(AF_INET6, "2001:db8::100", &vips[0].v6);
			inet_pton(AF_INET6, "2001:db8::101", &vips[1].v6);
		}
		exp.vips = vips;
		exp.nvips = 2;
	}
	meta.src.family = meta.dst.family = AF_INET6;
	inet_pton(AF_INET6, "fe80::1", &meta.src.v6);
	inet_pton(AF_INET6, "ff02::12", &meta.dst.v6);
	meta.hoplimit = (mode & 64) ? 64 : 255;
	vrrp_parse(data + 2, size - 2, exp.family, exp.family == AF_INET6 ? &meta : NULL,
		   &exp, &adv);
	return 0;
}
