/* vipctl: carrying out add, del, list and garp. */
#include "vipctl.h"
#include "clock.h"
#include "garp.h"
#include "json.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *scope_name(uint8_t scope)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	default: return "other";
	}
}

static int do_add(struct vip_ctx *ctx, const struct vip_cmd *c)
{
	char a[HK_ADDRSTRLEN];
	int r = hk_vip_add(ctx->nl, &c->vip);

	hk_addr_str(&c->vip.pfx.addr, a);
	if (r == -EEXIST) {
		/* Hooks run this blindly on every transition. */
		if (ctx->verbose)
			hk_info("%s/%u is already on %s", a, c->vip.pfx.plen, c->dev);
		return 0;
	}
	if (r < 0) {
		hk_log(LOG_ERR, "%scannot add %s/%u to %s: %s", ctx->where, a, c->vip.pfx.plen, c->dev,
		       hk_nl_error(ctx->nl));
		return 1;
	}
	if (ctx->verbose)
		hk_info("added %s/%u to %s", a, c->vip.pfx.plen, c->dev);
	return 0;
}

struct find_ctx {
	const struct hk_addr *addr;
	uint8_t plen;
	int found;
};

static int find_addr(const struct hk_vip *v, void *arg)
{
	struct find_ctx *f = arg;

	if (!hk_addr_eq(&v->pfx.addr, f->addr))
		return 0;
	f->plen = v->pfx.plen;
	f->found = 1;
	return 1;
}

/* The address's own prefix length on the interface, if it is there. */
static int lookup(struct vip_ctx *ctx, const struct vip_cmd *c, uint8_t *plen)
{
	struct find_ctx f = { &c->vip.pfx.addr, 0, 0 };
	int r = hk_vip_list(ctx->nl, c->vip.pfx.addr.family, c->vip.ifindex, find_addr, &f);

	if (r < 0)
		return r;
	if (f.found)
		*plen = f.plen;
	return f.found;
}

static int do_del(struct vip_ctx *ctx, const struct vip_cmd *c)
{
	struct hk_vip v = c->vip;
	char a[HK_ADDRSTRLEN];
	int r;

	hk_addr_str(&v.pfx.addr, a);
	if (!c->have_plen) {
		/* "del 192.0.2.5 dev eth0" means that address, whatever its
		 * prefix length: hooks should not have to repeat it. */
		r = lookup(ctx, c, &v.pfx.plen);
		if (r < 0) {
			hk_log(LOG_ERR, "%scannot read the addresses of %s: %s", ctx->where, c->dev,
			       hk_nl_error(ctx->nl));
			return 1;
		}
		if (r == 0)
			goto absent;
	}
	r = hk_vip_del(ctx->nl, &v);
	if (r == -EADDRNOTAVAIL)
		goto absent;
	if (r < 0) {
		hk_log(LOG_ERR, "%scannot delete %s/%u from %s: %s", ctx->where, a, v.pfx.plen, c->dev,
		       hk_nl_error(ctx->nl));
		return 1;
	}
	if (ctx->verbose)
		hk_info("deleted %s/%u from %s", a, v.pfx.plen, c->dev);
	return 0;
absent:
	if (ctx->verbose) {
		if (c->have_plen)
			hk_info("%s/%u is not on %s", a, v.pfx.plen, c->dev);
		else
			hk_info("%s is not on %s", a, c->dev);
	}
	return 0;
}

struct list_out {
	bool json;
	int n;
};

static int print_one(const struct hk_vip *v, void *arg)
{
	struct list_out *o = arg;
	char a[HK_ADDRSTRLEN], dev[IF_NAMESIZE];

	if (!if_indextoname(v->ifindex, dev))
		snprintf(dev, sizeof(dev), "if%u", v->ifindex);
	hk_addr_str(&v->pfx.addr, a);
	if (o->json) {
		printf("%s{\"dev\":", o->n ? "," : "");
		hk_json_str(stdout, dev);
		printf(",\"family\":\"%s\",\"address\":\"%s\",\"prefixlen\":%u,\"scope\":\"%s\"",
		       v->pfx.addr.family == AF_INET ? "inet" : "inet6", a, v->pfx.plen,
		       scope_name(v->scope));
		if (v->label[0]) {
			printf(",\"label\":");
			hk_json_str(stdout, v->label);
		}
		printf("}");
	} else {
		printf("%s %s/%u %s", dev, a, v->pfx.plen, scope_name(v->scope));
		if (v->label[0] && strcmp(v->label, dev) != 0)
			printf(" %s", v->label);
		printf("\n");
	}
	o->n++;
	return 0;
}

static int do_list(struct vip_ctx *ctx, const struct vip_cmd *c)
{
	struct list_out o = { c->json, 0 };
	int r;

	if (o.json)
		printf("[");
	r = hk_vip_list(ctx->nl, AF_UNSPEC, c->vip.ifindex, print_one, &o);
	if (o.json)
		printf("]\n");
	fflush(stdout);
	if (r < 0) {
		hk_log(LOG_ERR, "%scannot list addresses: %s", ctx->where, hk_nl_error(ctx->nl));
		return 1;
	}
	return 0;
}

static void pause_us(uint64_t us)
{
	struct timespec ts = { (time_t)(us / HK_USEC_PER_SEC), (long)(us % HK_USEC_PER_SEC) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int do_garp(struct vip_ctx *ctx, const struct vip_cmd *c)
{
	char a[HK_ADDRSTRLEN];
	uint8_t plen;

	hk_addr_str(&c->vip.pfx.addr, a);
	if (!c->force) {
		/* Announcing an address this host does not hold would pull
		 * its traffic here and drop it. */
		int r = lookup(ctx, c, &plen);

		if (r < 0) {
			hk_log(LOG_ERR, "%scannot read the addresses of %s: %s", ctx->where, c->dev,
			       hk_nl_error(ctx->nl));
			return 1;
		}
		if (r == 0) {
			hk_log(LOG_ERR, "%s%s is not on %s; refusing to announce it (--force to insist)", ctx->where,
			       a, c->dev);
			return 1;
		}
	}
	if (ctx->garp_fd < 0) {
		ctx->garp_fd = hk_garp_open();
		if (ctx->garp_fd < 0) {
			hk_log(LOG_ERR, "%scannot open a packet socket: %s", ctx->where, strerror(errno));
			return 1;
		}
	}
	for (unsigned i = 0; i < c->count; i++) {
		if (i)
			pause_us(c->interval_us);
		if (hk_announce(ctx->garp_fd, c->vip.ifindex, &c->vip.pfx.addr) < 0) {
			if (errno == EADDRNOTAVAIL && c->vip.pfx.addr.family == AF_INET6)
				hk_log(LOG_ERR, "%scannot announce %s: %s has no IPv6 link-local "
				       "address to send from", ctx->where, a, c->dev);
			else
				hk_log(LOG_ERR, "%scannot announce %s on %s: %s", ctx->where, a,
				       c->dev, strerror(errno));
			return 1;
		}
	}
	if (ctx->verbose)
		hk_info("announced %s on %s %u time%s (%s)", a, c->dev, c->count,
			c->count == 1 ? "" : "s",
			c->vip.pfx.addr.family == AF_INET ? "gratuitous ARP" : "unsolicited NA");
	return 0;
}

int vip_run(struct vip_ctx *ctx, const struct vip_cmd *c)
{
	switch (c->verb) {
	case VIP_ADD: return do_add(ctx, c);
	case VIP_DEL: return do_del(ctx, c);
	case VIP_LIST: return do_list(ctx, c);
	case VIP_GARP: return do_garp(ctx, c);
	}
	return 1;
}
