#include "cksum.h"

#include <arpa/inet.h>

uint32_t hk_cksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)(p[0] << 8);
	/* Fold now and then so that long buffers cannot overflow 32 bits. */
	return (sum & 0xffff) + (sum >> 16);
}

uint16_t hk_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

uint32_t hk_cksum_pseudo(const struct hk_addr *src, const struct hk_addr *dst,
			 uint8_t proto, uint32_t len)
{
	uint32_t sum = 0;

	sum = hk_cksum_add(sum, src->bytes, hk_addr_len(src));
	sum = hk_cksum_add(sum, dst->bytes, hk_addr_len(dst));
	if (src->family == AF_INET6) {
		sum += len >> 16;
		sum += len & 0xffff;
	} else {
		sum += len & 0xffff;
	}
	sum += proto;
	return (sum & 0xffff) + (sum >> 16);
}
