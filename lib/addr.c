#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

size_t hk_addr_len(const struct hk_addr *a)
{
	return a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;
}

const char *hk_addr_str(const struct hk_addr *a, char *buf)
{
	if (!inet_ntop(a->family, a->bytes, buf, HK_ADDRSTRLEN))
		snprintf(buf, HK_ADDRSTRLEN, "(none)");
	return buf;
}

const char *hk_addrport_str(const struct hk_addr *a, uint16_t port, char *buf)
{
	char tmp[HK_ADDRSTRLEN];

	hk_addr_str(a, tmp);
	snprintf(buf, HK_ADDRSTRLEN, a->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 tmp, port);
	return buf;
}

int hk_addr_cmp(const struct hk_addr *a, const struct hk_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, hk_addr_len(a));
}

bool hk_addr_eq(const struct hk_addr *a, const struct hk_addr *b)
{
	return hk_addr_cmp(a, b) == 0;
}

bool hk_addr_is_multicast(const struct hk_addr *a)
{
	if (a->family == AF_INET)
		return IN_MULTICAST(ntohl(a->v4.s_addr));
	return a->family == AF_INET6 && a->v6.s6_addr[0] == 0xff;
}

bool hk_addr_is_unspecified(const struct hk_addr *a)
{
	static const uint8_t zero[16];

	return a->family == 0 || memcmp(a->bytes, zero, hk_addr_len(a)) == 0;
}

bool hk_addr_is_v6_linklocal(const struct hk_addr *a)
{
	return a->family == AF_INET6 && a->v6.s6_addr[0] == 0xfe &&
	       (a->v6.s6_addr[1] & 0xc0) == 0x80;
}

socklen_t hk_addr_to_sockaddr(const struct hk_addr *a, uint16_t port,
			      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->v6;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	s4->sin_addr = a->v4;
	return sizeof(*s4);
}

int hk_addr_from_sockaddr(const struct sockaddr *sa, struct hk_addr *a,
			  uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		a->family = AF_INET;
		a->v4 = s4->sin_addr;
		if (port)
			*port = ntohs(s4->sin_port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		a->family = AF_INET6;
		a->v6 = s6->sin6_addr;
		if (port)
			*port = ntohs(s6->sin6_port);
		return 0;
	}
	errno = EAFNOSUPPORT;
	return -1;
}
