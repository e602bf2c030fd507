#include "garp.h"
#include "cksum.h"
#include "netif.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint8_t *put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

size_t hk_garp_build(uint8_t *buf, const uint8_t mac[6], struct in_addr ip)
{
	uint8_t *p = buf;

	memset(p, 0xff, 6);			/* to everyone */
	memcpy(p + 6, mac, 6);
	p = put16(p + 12, ETHERTYPE_ARP);
	p = put16(p, 1);			/* hardware: Ethernet */
	p = put16(p, ETHERTYPE_IP);
	*p++ = 6;
	*p++ = 4;
	p = put16(p, 1);			/* request */
	memcpy(p, mac, 6);
	memcpy(p + 6, &ip, 4);
	memset(p + 10, 0xff, 6);
	memcpy(p + 16, &ip, 4);
	return HK_GARP_LEN;
}

size_t hk_una_build(uint8_t *buf, const uint8_t mac[6], const struct in6_addr *src,
		    const struct in6_addr *target, int router)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct hk_addr s = { .family = AF_INET6 }, d = { .family = AF_INET6 };
	const uint32_t icmp_len = 32;	/* NA header 24 + option 8 */
	uint8_t *ip6 = buf + 14, *icmp = ip6 + 40;

	s.v6 = *src;
	inet_pton(AF_INET6, "ff02::1", &d.v6);
	memcpy(buf, allnodes_mac, 6);
	memcpy(buf + 6, mac, 6);
	put16(buf + 12, ETHERTYPE_IPV6);

	memset(ip6, 0, 40);
	ip6[0] = 0x60;
	put16(ip6 + 4, (uint16_t)icmp_len);
	ip6[6] = IPPROTO_ICMPV6;
	ip6[7] = 255;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, &d.v6, 16);

	memset(icmp, 0, icmp_len);
	icmp[0] = 136;				/* Neighbour Advertisement */
	icmp[4] = (uint8_t)((router ? 0x80 : 0) | 0x20);	/* R, O; S clear */
	memcpy(icmp + 8, target, 16);
	icmp[24] = 2;				/* target link-layer address */
	icmp[25] = 1;				/* length in units of 8 bytes */
	memcpy(icmp + 26, mac, 6);

	uint32_t sum = hk_cksum_pseudo(&s, &d, IPPROTO_ICMPV6, icmp_len);

	sum = hk_cksum_add(sum, icmp, icmp_len);
	uint16_t ck = hk_cksum_fold(sum);

	memcpy(icmp + 2, &ck, 2);
	return HK_UNA_LEN;
}

int hk_garp_open(void)
{
	return socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
}

int hk_garp_send(int fd, unsigned ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);
	memcpy(&sll.sll_protocol, frame + 12, 2);
	if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	return 0;
}

int hk_announce(int fd, unsigned ifindex, const struct hk_addr *a)
{
	uint8_t mac[6], frame[HK_UNA_LEN];
	size_t len;

	if (hk_if_hwaddr(ifindex, mac) < 0)
		return -1;
	if (a->family == AF_INET) {
		len = hk_garp_build(frame, mac, a->v4);
	} else if (a->family == AF_INET6) {
		struct hk_addr ll;

		if (hk_if_primary_addr(ifindex, AF_INET6, NULL, 0, &ll) < 0)
			return -1;
		len = hk_una_build(frame, mac, &ll.v6, &a->v6, 0);
	} else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return hk_garp_send(fd, ifindex, frame, len);
}
