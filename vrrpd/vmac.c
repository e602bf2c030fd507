#include "vmac.h"
#include "log.h"
#include "netif.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void vrrp_vmac_mac(int family, uint8_t vrid, uint8_t mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = vrid;
}

/* /proc/sys/net/ipvN/conf/IF/KEY: -1 if it cannot be read. */
static int sysctl_get(const char *ipv, const char *ifname, const char *key)
{
	char path[128], buf[8] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", ipv, ifname, key);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;
	return buf[0] - '0';
}

static int sysctl_set(const char *ipv, const char *ifname, const char *key, int value)
{
	char path[128], c = (char)('0' + value);
	int fd, saved;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", ipv, ifname, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, &c, 1);
	saved = errno;
	close(fd);
	errno = saved;
	return n == 1 ? 0 : -1;
}

static struct nl_sock *nl_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

/* Is link a VRRP VMAC (a macvlan with a VRRP MAC) on base?  mac: the
 * one it must have, or NULL for any VRRP one. */
static bool is_vmac(struct rtnl_link *link, unsigned base, const uint8_t *mac)
{
	struct nl_addr *a = rtnl_link_get_addr(link);
	const char *type = rtnl_link_get_type(link);
	const uint8_t *b;

	if (!type || strcmp(type, "macvlan") != 0 || (unsigned)rtnl_link_get_link(link) != base ||
	    !a || nl_addr_get_len(a) != 6)
		return false;
	b = nl_addr_get_binary_addr(a);
	if (mac)
		return memcmp(b, mac, 6) == 0;
	return b[0] == 0 && b[1] == 0 && b[2] == 0x5e && b[3] == 0 && (b[4] == 1 || b[4] == 2);
}

static int del_link(struct nl_sock *sk, unsigned ifindex)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int r;

	if (!l)
		return -NLE_NOMEM;
	rtnl_link_set_ifindex(l, (int)ifindex);
	r = rtnl_link_delete(sk, l);
	rtnl_link_put(l);
	return r;
}

static int set_up(struct nl_sock *sk, unsigned ifindex)
{
	struct rtnl_link *old = rtnl_link_alloc(), *new = rtnl_link_alloc();
	int r = -NLE_NOMEM;

	if (old && new) {
		rtnl_link_set_ifindex(old, (int)ifindex);
		rtnl_link_set_flags(new, IFF_UP);
		r = rtnl_link_change(sk, old, new, 0);
	}
	if (old)
		rtnl_link_put(old);
	if (new)
		rtnl_link_put(new);
	return r;
}

int vrrp_vmac_up(struct vrrp_vmac *v, struct hk_nl *nl, const char *name, unsigned base_ifindex,
		 int family, uint8_t vrid, const struct hk_addr *ll, struct hk_err *e)
{
	struct nl_sock *sk = nl_open();
	struct rtnl_link *link = NULL;
	uint8_t mac[6];
	int r;

	memset(v, 0, sizeof(*v));
	v->saved_arp_ignore = v->saved_arp_filter = -1;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->base = base_ifindex;
	v->family = family;
	if (hk_if_name(base_ifindex, v->base_name) < 0)
		return hk_err_set(e, ENODEV, "--vmac: interface %u is gone", base_ifindex);
	if (!sk)
		return hk_err_set(e, errno, "--vmac: cannot open a netlink socket");
	vrrp_vmac_mac(family, vrid, mac);
	if (rtnl_link_get_kernel(sk, 0, name, &link) == 0) {
		if (!is_vmac(link, base_ifindex, mac)) {
			rtnl_link_put(link);
			nl_socket_free(sk);
			return hk_err_set(e, EEXIST,
					  "--vmac: interface %s exists and is not the VMAC of VRID %u on %s (a macvlan with %02x:%02x:%02x:%02x:%02x:%02x)",
					  name, vrid, v->base_name, mac[0], mac[1], mac[2], mac[3],
					  mac[4], mac[5]);
		}
		/* Left by a run that was killed: ours again. */
		v->ifindex = (unsigned)rtnl_link_get_ifindex(link);
		rtnl_link_put(link);
		hk_info("--vmac: taking over %s, left by an earlier run", name);
	} else {
		struct nl_addr *addr = nl_addr_build(AF_LLC, mac, 6);

		link = rtnl_link_macvlan_alloc();
		if (!link || !addr) {
			if (addr)
				nl_addr_put(addr);
			if (link)
				rtnl_link_put(link);
			nl_socket_free(sk);
			return hk_err_set(e, ENOMEM, "out of memory");
		}
		rtnl_link_set_name(link, name);
		rtnl_link_set_link(link, (int)base_ifindex);
		rtnl_link_set_addr(link, addr);
		rtnl_link_macvlan_set_mode(link, MACVLAN_MODE_PRIVATE);
		r = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
		nl_addr_put(addr);
		rtnl_link_put(link);
		link = NULL;
		if (r < 0 || rtnl_link_get_kernel(sk, 0, name, &link) < 0) {
			nl_socket_free(sk);
			return hk_err_set(e, EIO, "--vmac: cannot create %s on %s: %s", name,
					  v->base_name, r < 0 ? nl_geterror(r) : "it vanished");
		}
		v->ifindex = (unsigned)rtnl_link_get_ifindex(link);
		rtnl_link_put(link);
		v->created = true;
	}
	if (family == AF_INET) {
		/* The VMAC answers ARP only for what it holds, hears the
		 * other routers' adverts without an address of its own. */
		if (sysctl_set("ipv4", name, "arp_ignore", 1) < 0 ||
		    sysctl_set("ipv4", name, "accept_local", 1) < 0 ||
		    sysctl_set("ipv4", name, "rp_filter", 0) < 0 ||
		    sysctl_set("ipv4", name, "promote_secondaries", 1) < 0)
			goto sysctl_fail;
		sysctl_set("ipv6", name, "disable_ipv6", 1);
		/* The parent never answers for the VIPs. */
		v->saved_arp_ignore = sysctl_get("ipv4", v->base_name, "arp_ignore");
		v->saved_arp_filter = sysctl_get("ipv4", v->base_name, "arp_filter");
		if (sysctl_set("ipv4", v->base_name, "arp_ignore", 1) < 0 ||
		    sysctl_set("ipv4", v->base_name, "arp_filter", 1) < 0)
			goto sysctl_fail;
	} else {
		struct hk_vip lv = { .pfx = { .addr = *ll, .plen = 64 }, .ifindex = v->ifindex,
				     .scope = 253, .flags = IFA_F_NODAD };

		/* RFC 5798 7.4: no address made from the virtual MAC; the
		 * adverts leave from the parent's link-local address. */
		if (sysctl_set("ipv6", name, "addr_gen_mode", 1) < 0)
			goto sysctl_fail;
		r = hk_vip_add(nl, &lv);
		if (r < 0 && r != -EEXIST) {
			char a[HK_ADDRSTRLEN];

			hk_err_set(e, -r, "--vmac: cannot add %s to %s: %s", hk_addr_str(ll, a), name,
				   hk_nl_error(nl));
			goto fail;
		}
	}
	r = set_up(sk, v->ifindex);
	if (r < 0) {
		hk_err_set(e, EIO, "--vmac: cannot bring %s up: %s", name, nl_geterror(r));
		goto fail;
	}
	nl_socket_free(sk);
	return 0;
sysctl_fail:
	hk_err_set(e, errno, "--vmac: cannot set the sysctls of %s: %s", name, strerror(errno));
fail:
	nl_socket_free(sk);
	vrrp_vmac_down(v);
	return -1;
}

/* Another VRRP VMAC on base (besides ours)? */
static bool others_on(struct nl_sock *sk, const struct vrrp_vmac *v)
{
	struct nl_cache *cache;
	bool found = false;

	if (rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache) < 0)
		return true;	/* cannot tell: leave the parent alone */
	for (struct nl_object *o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;

		found = (unsigned)rtnl_link_get_ifindex(l) != v->ifindex &&
			is_vmac(l, v->base, NULL);
	}
	nl_cache_free(cache);
	return found;
}

void vrrp_vmac_down(struct vrrp_vmac *v)
{
	struct nl_sock *sk;
	int r;

	if (!v->ifindex)
		return;
	sk = nl_open();
	if (!sk) {
		hk_warn("--vmac: cannot remove %s: no netlink socket", v->name);
		return;
	}
	r = del_link(sk, v->ifindex);
	if (r < 0 && r != -NLE_NODEV && r != -NLE_OBJ_NOTFOUND)
		hk_warn("--vmac: cannot remove %s: %s", v->name, nl_geterror(r));
	if ((v->saved_arp_ignore >= 0 || v->saved_arp_filter >= 0) && !others_on(sk, v)) {
		if (v->saved_arp_ignore >= 0)
			sysctl_set("ipv4", v->base_name, "arp_ignore", v->saved_arp_ignore);
		if (v->saved_arp_filter >= 0)
			sysctl_set("ipv4", v->base_name, "arp_filter", v->saved_arp_filter);
	}
	nl_socket_free(sk);
	v->ifindex = 0;
}
