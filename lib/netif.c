#include "netif.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ifreq_ioctl(unsigned ifindex, unsigned long req, struct ifreq *ifr)
{
	int fd, r, saved;

	memset(ifr, 0, sizeof(*ifr));
	if (!if_indextoname(ifindex, ifr->ifr_name)) {
		errno = ENODEV;
		return -1;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	r = ioctl(fd, req, ifr);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int hk_if_hwaddr(unsigned ifindex, uint8_t mac[6])
{
	struct ifreq ifr;

	if (ifreq_ioctl(ifindex, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int hk_if_name(unsigned ifindex, char *name)
{
	if (!if_indextoname(ifindex, name)) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

int hk_if_is_running(unsigned ifindex)
{
	struct ifreq ifr;

	if (ifreq_ioctl(ifindex, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

int hk_if_primary_addr(unsigned ifindex, int family, const struct hk_addr *skip,
		       size_t nskip, struct hk_addr *out)
{
	struct ifaddrs *ifa, *p;
	char name[IF_NAMESIZE];
	int found = 0;

	if (!if_indextoname(ifindex, name)) {
		errno = ENODEV;
		return -1;
	}
	if (getifaddrs(&ifa) < 0)
		return -1;
	for (p = ifa; p && !found; p = p->ifa_next) {
		struct hk_addr a;

		if (!p->ifa_addr || p->ifa_addr->sa_family != family ||
		    strcmp(p->ifa_name, name) != 0)
			continue;
		if (hk_addr_from_sockaddr(p->ifa_addr, &a, NULL) < 0)
			continue;
		if (family == AF_INET6 && !hk_addr_is_v6_linklocal(&a))
			continue;
		size_t i;

		for (i = 0; i < nskip && !hk_addr_eq(&a, &skip[i]); i++)
			;
		if (i < nskip)
			continue;
		*out = a;
		found = 1;
	}
	freeifaddrs(ifa);
	if (!found) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	return 0;
}
