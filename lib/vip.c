#include "vip.h"

#include <errno.h>
#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdlib.h>
#include <string.h>

struct hk_nl {
	struct nl_sock *sk;
	int err;		/* errno of the last refusal, positive */
	char msg[256];		/* the kernel's extended ack, if any */
	char text[320];
};

/*
 * libnl turns the kernel's errno into its own NLE_* codes, losing both
 * the exact errno and any extended-ack sentence.  This handler sees the
 * raw nlmsgerr first and keeps both.
 */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct hk_nl *nl = arg;
	struct nlmsghdr *outer = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	nl->err = -e->error;
	nl->msg[0] = '\0';
	if (outer->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* With NETLINK_CAP_ACK only the request's header is echoed;
		 * the TLVs follow it. */
		size_t off = NLMSG_HDRLEN + sizeof(*e);

		if (!(outer->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
		while (off + NLA_HDRLEN <= outer->nlmsg_len) {
			struct nlattr *a = (struct nlattr *)((char *)outer + off);

			if (a->nla_len < NLA_HDRLEN || off + a->nla_len > outer->nlmsg_len)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
				size_t n = a->nla_len - NLA_HDRLEN;

				if (n >= sizeof(nl->msg))
					n = sizeof(nl->msg) - 1;
				memcpy(nl->msg, (char *)a + NLA_HDRLEN, n);
				nl->msg[n] = '\0';
				/* The kernel includes the NUL; trim any. */
				nl->msg[strcspn(nl->msg, "\n")] = '\0';
			}
			off += NLA_ALIGN(a->nla_len);
		}
	}
	return NL_STOP;
}

struct hk_nl *hk_nl_open(void)
{
	struct hk_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, r;

	if (!nl)
		return NULL;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		free(nl);
		errno = ENOMEM;
		return NULL;
	}
	r = nl_connect(nl->sk, NETLINK_ROUTE);
	if (r < 0) {
		nl_socket_free(nl->sk);
		free(nl);
		errno = EPROTONOSUPPORT;
		return NULL;
	}
	/* Best effort: older kernels just do not send the sentences. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, on_error, nl);
	/* libnl peeks at every message to size its buffer: two recvmsg
	 * per acknowledgement.  The kernel never builds a netlink message
	 * larger than 32 KiB, so a 64 KiB buffer makes the peek useless. */
	nl_socket_disable_msg_peek(nl->sk);
	nl_socket_set_msg_buf_size(nl->sk, 65536);
	return nl;
}

void hk_nl_close(struct hk_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

const char *hk_nl_error(const struct hk_nl *nl)
{
	struct hk_nl *m = (struct hk_nl *)nl;

	if (nl->msg[0])
		snprintf(m->text, sizeof(m->text), "%s (%s)", nl->msg, strerror(nl->err));
	else
		snprintf(m->text, sizeof(m->text), "%s", strerror(nl->err));
	return nl->text;
}

/* Map a libnl result to a negative errno, preferring what on_error saw. */
static int result(struct hk_nl *nl, int r)
{
	if (r >= 0)
		return 0;
	if (nl->err)
		return -nl->err;
	switch (-r) {
	case NLE_NOMEM: nl->err = ENOMEM; break;
	case NLE_EXIST: nl->err = EEXIST; break;
	case NLE_NODEV: nl->err = ENODEV; break;
	case NLE_NOADDR: nl->err = EADDRNOTAVAIL; break;
	case NLE_INVAL: nl->err = EINVAL; break;
	case NLE_PERM: nl->err = EPERM; break;
	default: nl->err = EIO; break;
	}
	return -nl->err;
}

static struct rtnl_addr *to_rtnl(const struct hk_vip *v, struct nl_addr **local)
{
	struct rtnl_addr *a = rtnl_addr_alloc();

	if (!a)
		return NULL;
	*local = nl_addr_build(v->pfx.addr.family, v->pfx.addr.bytes,
			       hk_addr_len(&v->pfx.addr));
	if (!*local) {
		rtnl_addr_put(a);
		return NULL;
	}
	nl_addr_set_prefixlen(*local, v->pfx.plen);
	rtnl_addr_set_ifindex(a, (int)v->ifindex);
	rtnl_addr_set_family(a, v->pfx.addr.family);
	rtnl_addr_set_local(a, *local);
	rtnl_addr_set_prefixlen(a, v->pfx.plen);
	return a;
}

int hk_vip_add(struct hk_nl *nl, const struct hk_vip *v)
{
	struct nl_addr *local;
	struct rtnl_addr *a;
	int r;

	nl->err = 0;
	nl->msg[0] = '\0';
	a = to_rtnl(v, &local);
	if (!a)
		return nl->err = ENOMEM, -ENOMEM;
	if (v->label[0] && v->pfx.addr.family == AF_INET)
		rtnl_addr_set_label(a, v->label);
	rtnl_addr_set_scope(a, v->scope);
	if (v->flags)
		rtnl_addr_set_flags(a, v->flags);
	r = rtnl_addr_add(nl->sk, a, NLM_F_EXCL);
	nl_addr_put(local);
	rtnl_addr_put(a);
	return result(nl, r);
}

int hk_vip_del(struct hk_nl *nl, const struct hk_vip *v)
{
	struct nl_addr *local;
	struct rtnl_addr *a;
	int r;

	nl->err = 0;
	nl->msg[0] = '\0';
	a = to_rtnl(v, &local);
	if (!a)
		return nl->err = ENOMEM, -ENOMEM;
	r = rtnl_addr_delete(nl->sk, a, 0);
	nl_addr_put(local);
	rtnl_addr_put(a);
	return result(nl, r);
}

struct list_ctx {
	int family;
	unsigned ifindex;
	int (*cb)(const struct hk_vip *, void *);
	void *arg;
	int stop;
};

static void each_addr(struct nl_object *obj, void *arg)
{
	struct list_ctx *c = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct nl_addr *local = rtnl_addr_get_local(a);
	struct hk_vip v;
	const char *label;

	if (c->stop || !local)
		return;
	if (c->ifindex && (unsigned)rtnl_addr_get_ifindex(a) != c->ifindex)
		return;
	memset(&v, 0, sizeof(v));
	v.pfx.addr.family = (sa_family_t)nl_addr_get_family(local);
	if (c->family != AF_UNSPEC && v.pfx.addr.family != c->family)
		return;
	if (nl_addr_get_len(local) != hk_addr_len(&v.pfx.addr))
		return;
	memcpy(v.pfx.addr.bytes, nl_addr_get_binary_addr(local), nl_addr_get_len(local));
	v.pfx.plen = (uint8_t)rtnl_addr_get_prefixlen(a);
	v.ifindex = (unsigned)rtnl_addr_get_ifindex(a);
	label = rtnl_addr_get_label(a);
	if (label)
		snprintf(v.label, sizeof(v.label), "%s", label);
	v.scope = (uint8_t)rtnl_addr_get_scope(a);
	v.flags = (uint32_t)rtnl_addr_get_flags(a);
	c->stop = c->cb(&v, c->arg);
}

int hk_vip_list(struct hk_nl *nl, int family, unsigned ifindex,
		int (*cb)(const struct hk_vip *v, void *arg), void *arg)
{
	struct nl_cache *cache;
	struct list_ctx c = { family, ifindex, cb, arg, 0 };
	int r;

	nl->err = 0;
	nl->msg[0] = '\0';
	r = rtnl_addr_alloc_cache(nl->sk, &cache);
	if (r < 0)
		return result(nl, r);
	nl_cache_foreach(cache, each_addr, &c);
	nl_cache_free(cache);
	return c.stop;
}

static int match_one(const struct hk_vip *v, void *arg)
{
	const struct hk_vip *want = arg;

	return hk_addr_eq(&v->pfx.addr, &want->pfx.addr) && v->pfx.plen == want->pfx.plen;
}

int hk_vip_present(struct hk_nl *nl, const struct hk_vip *v)
{
	return hk_vip_list(nl, v->pfx.addr.family, v->ifindex, match_one, (void *)v);
}
