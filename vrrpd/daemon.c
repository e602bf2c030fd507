#include "daemon.h"
#include "accept.h"
#include "clock.h"
#include "exitcode.h"
#include "garp.h"
#include "netif.h"
#include "priv.h"
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/if_addr.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Packets read per wake-up before timers get a look in. */
#define RX_BATCH 64

/* ---- addresses and links ---- */

void vrrp_refresh_src(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;

	/* With --vmac the source is still the interface's own address
	 * (the VMAC has none, or for IPv6 the same link-local one). */
	if (c->unicast_src.family) {
		d->src = c->unicast_src;
		d->have_src = true;
	} else {
		d->have_src = hk_if_primary_addr(c->ifindex, c->family, c->adv_addrs, c->nadv,
						 &d->src) == 0;
	}
	if (d->have_src)
		d->sm.self = d->src;
}

bool vrrp_link_usable(struct vrrpd *d)
{
	d->carrier = hk_if_is_running(d->ifindex) == 1;
	return d->carrier && d->have_src;
}

static bool vip_same(const struct vrrp_vipconf *a, const struct vrrp_vipconf *b)
{
	return hk_addr_eq(&a->pfx.addr, &b->pfx.addr) && a->pfx.plen == b->pfx.plen &&
	       a->ifindex == b->ifindex && !strcmp(a->label, b->label);
}

/* Is v one of c's VIPs, as it is? */
static bool vip_in(const struct vrrp_vipconf *v, const struct vrrp_conf *c)
{
	for (size_t i = 0; c && i < c->nvips; i++)
		if (vip_same(v, &c->vips[i]))
			return true;
	return false;
}

void vrrp_vips_add(struct vrrpd *d, const struct vrrp_conf *c, bool only_new,
		   const struct vrrp_conf *old)
{
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < c->nvips; i++) {
		const struct vrrp_vipconf *vc = &c->vips[i];
		struct hk_vip v = { .pfx = vc->pfx, .ifindex = vc->ifindex };
		int r;

		if (only_new && vip_in(vc, old))
			continue;
		memcpy(v.label, vc->label, sizeof(v.label));
		if (vc->pfx.addr.family == AF_INET6)
			v.flags = IFA_F_NODAD;
		r = hk_vip_add(d->nl, &v);
		if (r < 0 && r != -EEXIST)
			hk_log(LOG_ERR, "%s: cannot add %s/%u: %s", c->name,
			       hk_addr_str(&vc->pfx.addr, a), vc->pfx.plen, hk_nl_error(d->nl));
	}
}

void vrrp_vips_del(struct vrrpd *d, const struct vrrp_conf *c, bool quiet,
		   const struct vrrp_conf *keep)
{
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < c->nvips; i++) {
		const struct vrrp_vipconf *vc = &c->vips[i];
		struct hk_vip v = { .pfx = vc->pfx, .ifindex = vc->ifindex };
		int r;

		if (vip_in(vc, keep))
			continue;
		r = hk_vip_del(d->nl, &v);
		if (r < 0 && r != -EADDRNOTAVAIL && !quiet)
			hk_log(LOG_ERR, "%s: cannot remove %s/%u: %s", c->name,
			       hk_addr_str(&vc->pfx.addr, a), vc->pfx.plen, hk_nl_error(d->nl));
	}
}

/* A run killed by SIGKILL leaves its addresses behind; nobody else
 * will remove them, and a backup must not hold them. */
static void remove_stale_vips(struct vrrpd *d)
{
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < d->c->nvips; i++) {
		const struct vrrp_vipconf *vc = &d->c->vips[i];
		struct hk_vip v = { .pfx = vc->pfx, .ifindex = vc->ifindex };

		if (hk_vip_present(d->nl, &v) <= 0)
			continue;
		if (hk_vip_del(d->nl, &v) == 0)
			hk_info("%s: removed %s/%u left by an earlier run", d->c->name,
				hk_addr_str(&vc->pfx.addr, a), vc->pfx.plen);
		else
			hk_log(LOG_ERR, "%s: cannot remove %s/%u left by an earlier run: %s",
			       d->c->name, hk_addr_str(&vc->pfx.addr, a), vc->pfx.plen,
			       hk_nl_error(d->nl));
	}
}

static bool ipv6_forwarding(unsigned ifindex)
{
	char name[IF_NAMESIZE], path[96], v = '0';
	int fd;

	if (hk_if_name(ifindex, name) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (read(fd, &v, 1) != 1)
		v = '0';
	close(fd);
	return v == '1';
}

/* Gratuitous ARP / unsolicited NA for every address (but those of
 * skip), count times. */
void vrrp_announce(struct vrrpd *d, unsigned count, const struct vrrp_conf *skip)
{
	uint8_t frame[HK_UNA_LEN], mac[6];
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < d->c->nvips && count; i++) {
		const struct vrrp_vipconf *vc = &d->c->vips[i];
		size_t len;

		if (vip_in(vc, skip))
			continue;
		if (hk_if_hwaddr(vc->ifindex, mac) < 0)
			goto fail;
		if (vc->pfx.addr.family == AF_INET) {
			len = hk_garp_build(frame, mac, vc->pfx.addr.v4);
		} else {
			struct hk_addr ll;

			if (hk_if_primary_addr(vc->ifindex, AF_INET6, NULL, 0, &ll) < 0)
				goto fail;
			len = hk_una_build(frame, mac, &ll.v6, &vc->pfx.addr.v6,
					   ipv6_forwarding(vc->ifindex));
		}
		for (unsigned k = 0; k < count; k++) {
			if (hk_garp_send(d->gfd, vc->ifindex, frame, len) < 0)
				goto fail;
			d->garps++;
		}
		continue;
fail:
		hk_log_rl(&d->garp_rl, LOG_WARNING, "%s: cannot announce %s: %s", d->c->name,
			  hk_addr_str(&vc->pfx.addr, a), strerror(errno));
	}
}

/* ---- adverts ---- */

static void send_advert(struct vrrpd *d, uint8_t prio)
{
	struct vrrp_conf *c = d->c;
	struct vrrp_txparams p = {
		.family = c->family, .version = c->version, .vrid = c->vrid,
		.priority = prio, .interval_cs = (uint32_t)(c->adver_int_us / 10000),
		.auth_type = c->have_auth ? 1 : 0, .addrs = c->adv_addrs, .naddr = c->nadv,
		.src = d->src, .v3_cksum_as_v2 = c->v3_cksum_as_v2,
	};
	size_t ndst = c->npeers ? c->npeers : 1;
	uint8_t pkt[VRRP_PKT_MAX];

	/* Without a link (a FAULT for that reason) there is nobody to
	 * tell, and the attempt would only fill the log. */
	if (!d->have_src || !d->carrier)
		return;
	memcpy(p.auth, c->auth, sizeof(p.auth));
	for (size_t i = 0; i < ndst; i++) {
		size_t len;

		p.dst = c->npeers ? c->peers[i] : c->mcast_group;
		/* 0 would have the kernel choose the identification. */
		p.ip_id = ++d->ip_id ? d->ip_id : ++d->ip_id;
		len = vrrp_build(pkt, sizeof(pkt), &p);
		if (len && vrrp_sock_send(d->fd, c->family, d->ifindex, pkt, len, &d->src,
					  &p.dst) == 0) {
			d->sent++;
			if (prio == 0)
				d->prio0_sent++;
			continue;
		}
		d->send_errors++;
		char a[HK_ADDRSTRLEN];

		hk_log_rl(&d->send_rl, LOG_WARNING, "%s: cannot send an advert to %s: %s", c->name,
			  hk_addr_str(&p.dst, a), len ? strerror(errno) : "cannot build it");
	}
	if (c->have_auth)
		explicit_bzero(pkt, sizeof(pkt));
}

/* ---- hooks ---- */

/* hook with its own words, then the four keepalived passes. */
static void queue_notify(struct vrrpd *d, const struct vrrp_cmd *hook, const char *type,
			 const char *name, const char *state, unsigned prio, uint64_t now)
{
	char p[4], *argv[hook->argc + 5];
	int n = 0;

	snprintf(p, sizeof(p), "%u", prio);
	for (int i = 0; i < hook->argc; i++)
		argv[n++] = hook->argv[i];
	argv[n++] = (char *)type;
	argv[n++] = (char *)name;
	argv[n++] = (char *)state;
	argv[n++] = p;
	argv[n] = NULL;
	vrrp_hooks_queue(&d->hooks, now, hook->path, argv);
}

static void run_hooks(struct vrrpd *d, enum vrrp_state st, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	const struct vrrp_cmd *specific = st == VRRP_STATE_MASTER ? &c->notify_master
					  : st == VRRP_STATE_BACKUP ? &c->notify_backup
					  : st == VRRP_STATE_FAULT ? &c->notify_fault
					  : st == VRRP_STATE_STOP ? &c->notify_stop
								  : NULL;

	/* keepalived's order: the state's own script, then "notify",
	 * which is told the effective priority. */
	if (specific && specific->argv)
		vrrp_hooks_queue(&d->hooks, now, specific->path, specific->argv);
	if (c->notify.argv)
		queue_notify(d, &c->notify, "INSTANCE", c->name, vrrp_state_name(st), d->sm.prio,
			     now);
}

/* ---- the sync group ---- */

/* What we are, as the group sees members. */
static void member(const struct vrrpd *d, struct vrrp_member *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", d->c->name);
	m->state = d->sm.state;
	m->want_master = d->sm.want_master;
	m->fault = d->own_fault;
	m->prio = d->sm.prio;
	m->hooked = d->hooked;
}

/* Tell the group what changed about us, if anything did. */
static void publish(struct vrrpd *d)
{
	struct vrrp_member m;

	if (!d->sync)
		return;
	member(d, &m);
	if (!memcmp(&m, &d->me, sizeof(m)))
		return;
	d->me = m;
	vrrp_sync_publish(d->sync, &m);
}

/*
 * The group hook, from the member that leads the group (the smallest
 * name present), when the group's state settles on a new value:
 * HOOK GROUP NAME STATE 0, as keepalived calls a sync group's notify.
 */
static void group_hook(struct vrrpd *d, uint64_t now)
{
	enum vrrp_state g = d->gv.gstate;

	if (!d->sync || !d->gv.settled || g == VRRP_STATE_INIT)
		return;
	if (g != d->hooked && d->gv.leader) {
		hk_info("%s: sync group %s is %s", d->c->name, d->c->sync_group,
			vrrp_state_name(g));
		if (d->c->group_notify.argv)
			queue_notify(d, &d->c->group_notify, "GROUP", d->c->sync_group,
				     vrrp_state_name(g), 0, now);
	}
	/* The others take it that the leader did. */
	d->hooked = g;
}

static void refresh_view(struct vrrpd *d, uint64_t now)
{
	struct vrrp_member m;

	if (!d->sync)
		return;
	member(d, &m);
	vrrp_sync_view(d->sync, &m, &d->gv);
	d->sm.group_ok = d->gv.can_master;
	group_hook(d, now);
}

/* ---- the state machine's actions ---- */

void vrrp_carry_out(struct vrrpd *d, const struct vrrp_out *out, uint64_t now)
{
	bool tell = false;

	/* Adverts allocate nothing; everything else (netlink, getifaddrs,
	 * hooks) may leave freed heap behind. */
	for (int i = 0; i < out->n; i++)
		if (out->act[i] != VRRP_ACT_ADVERT)
			d->trim = true;
	for (int i = 0; i < out->n; i++) {
		switch (out->act[i]) {
		case VRRP_ACT_VIPS_ADD:
			vrrp_vips_add(d, d->c, false, NULL);
			break;
		case VRRP_ACT_VIPS_DEL:
			vrrp_vips_del(d, d->c, false, NULL);
			break;
		case VRRP_ACT_ADVERT:
			send_advert(d, d->sm.prio);
			break;
		case VRRP_ACT_ADVERT_STOP:
			send_advert(d, VRRP_PRIO_STOP);
			break;
		case VRRP_ACT_GARP:
			vrrp_announce(d, d->c->garp_repeat, NULL);
			break;
		case VRRP_ACT_GARP_REFRESH:
			vrrp_announce(d, 1, NULL);
			break;
		case VRRP_ACT_NOTIFY:
			hk_info("%s: %s -> %s: %s", d->c->name, vrrp_state_name(out->from),
				vrrp_state_name(out->to), d->sm.reason);
			vrrp_write_state_file(d);
			run_hooks(d, out->to, now);
			tell = true;
			break;
		case VRRP_ACT_SYNC:
			tell = true;
			break;
		}
	}
	if (tell && d->sync) {
		publish(d);
		refresh_view(d, now);
		publish(d);	/* the hooked state may have moved */
	}
}

/* ---- what the state depends on ---- */

void vrrp_reassess(struct vrrpd *d, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	struct vrrp_track_verdict tv;
	struct vrrp_out out;
	bool fault;
	const char *why;
	uint8_t prio;

	vrrp_track_eval(c, d->obs, &tv);
	d->track_delta = tv.delta;
	d->track_init = tv.init;
	d->link_up = vrrp_link_usable(d);
	d->own_fault = !d->link_up || tv.fault;
	if (!d->link_up)
		snprintf(d->fault_why, sizeof(d->fault_why), "%s is %s", d->ifname,
			 !d->carrier ? "down (no carrier)" : "without an address to send from");
	else if (tv.fault || tv.init)
		snprintf(d->fault_why, sizeof(d->fault_why), "%s", tv.why);
	else
		d->fault_why[0] = '\0';

	prio = vrrp_effective_priority(c->priority, tv.delta);
	if (prio != d->sm.prio) {
		hk_info("%s: priority %u -> %u (%u%+d from tracking)", c->name, d->sm.prio, prio,
			c->priority, (int)tv.delta);
		vrrp_sm_set_priority(&d->sm, now, prio, &out);
		vrrp_carry_out(d, &out, now);
		vrrp_write_state_file(d);
	}
	refresh_view(d, now);
	fault = d->own_fault || (d->sync && d->gv.fault);
	why = d->own_fault ? d->fault_why : d->gv.why;
	if (d->sm.state == VRRP_STATE_INIT) {
		/* keepalived holds an instance in INIT until the scripts
		 * it tracks without a weight have said something. */
		if (tv.init && !fault)
			return;
		vrrp_sm_start(&d->sm, now, !fault, fault && d->link_up ? why : NULL, &out);
		vrrp_carry_out(d, &out, now);
	} else if (!d->stopping) {
		if (fault && d->sm.state != VRRP_STATE_FAULT) {
			hk_warn("%s: %s", c->name, why);
			d->fault_kind = !d->link_up ? FAULT_LINK : d->own_fault ? FAULT_TRACK
											: FAULT_GROUP;
		}
		vrrp_sm_set_fault(&d->sm, now, fault,
				  fault ? why
				  : d->fault_kind == FAULT_LINK ? "interface back up"
				  : d->fault_kind == FAULT_TRACK ? "tracking: nothing is down any more"
								 : "sync group: no member is down any more",
				  &out);
		vrrp_carry_out(d, &out, now);
	}
	publish(d);
}

/* ---- events ---- */

static void log_drop(struct vrrpd *d, enum vrrp_drop r, const struct vrrp_adv *adv, size_t len)
{
	char a[HK_ADDRSTRLEN], detail[96] = "";

	switch (r) {
	case VRRP_DROP_TTL:
		snprintf(detail, sizeof(detail), " (%d)", adv->ttl);
		break;
	case VRRP_DROP_VERSION:
		snprintf(detail, sizeof(detail), " (%u, expected %u)", adv->version, d->c->version);
		break;
	case VRRP_DROP_VRID:
		snprintf(detail, sizeof(detail), " (%u)", adv->vrid);
		break;
	case VRRP_DROP_LENGTH:
		snprintf(detail, sizeof(detail), " (%zu bytes, %u addresses)", len, adv->naddr);
		break;
	case VRRP_DROP_INTERVAL:
		snprintf(detail, sizeof(detail), " (%u.%02u s)", adv->interval_cs / 100,
			 adv->interval_cs % 100);
		break;
	default:
		break;
	}
	hk_log_rl(&d->rl[r], LOG_WARNING, "%s: dropped a packet from %s: %s%s", d->c->name,
		  adv->src.family ? hk_addr_str(&adv->src, a) : "?", vrrp_drop_text(r), detail);
}

static bool is_peer(const struct vrrp_conf *c, const struct hk_addr *a)
{
	for (size_t i = 0; i < c->npeers; i++)
		if (hk_addr_eq(&c->peers[i], a))
			return true;
	return false;
}

/* CLOCK_REALTIME microseconds. */
static uint64_t real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * When a packet arrived, on the monotonic clock: the kernel stamps it
 * with the wall clock, so shift by the clocks' present difference.  A
 * stamp in the future or over a second old (the wall clock was just
 * stepped) is not trusted: then it arrived "now".
 */
static uint64_t arrival(const struct vrrp_rxmeta *m, uint64_t now, int64_t real_minus_mono)
{
	int64_t t;

	if (!m->rx_real_us)
		return now;
	t = (int64_t)m->rx_real_us - real_minus_mono;
	if (t > (int64_t)now || (int64_t)now - t > 1000000)
		return now;
	return (uint64_t)t;
}

static void on_packets(struct vrrpd *d, uint64_t now)
{
	int64_t offset = (int64_t)real_us() - (int64_t)now;

	for (int k = 0; k < RX_BATCH; k++) {
		struct vrrp_rxmeta meta;
		struct vrrp_adv adv;
		struct vrrp_out out;
		enum vrrp_drop r;
		ssize_t n = vrrp_sock_recv(d->fd, d->c->family, d->buf, sizeof(d->buf), &meta);

		if (n < 0)
			return;
		r = vrrp_parse(d->buf, (size_t)n, d->c->family, &meta, &d->exp, &adv);
		if (r == VRRP_OK && d->have_src && hk_addr_eq(&adv.src, &d->src))
			r = VRRP_DROP_OWN;
		else if (r == VRRP_OK && d->c->npeers && !is_peer(d->c, &adv.src))
			r = VRRP_DROP_NOT_PEER;
		if (r != VRRP_OK) {
			d->drops[r]++;
			log_drop(d, r, &adv, (size_t)n);
			continue;
		}
		d->rcvd++;
		if (adv.priority == 0)
			d->prio0_rcvd++;
		vrrp_sm_recv(&d->sm, arrival(&meta, now, offset), &adv, &out);
		vrrp_carry_out(d, &out, now);
	}
}

static void on_link_change(struct vrrpd *d, int what, uint64_t now)
{
	bool was = d->link_up, tracked = false;

	d->trim = true;
	if (what & VRRP_MON_ADDR)
		vrrp_refresh_src(d);
	if (what & (VRRP_MON_LINK | VRRP_MON_OTHER))
		tracked = vrrp_watch_links(d);
	if (vrrp_link_usable(d) != was || tracked || (what & VRRP_MON_ADDR))
		vrrp_reassess(d, now);
}

static void on_sync(struct vrrpd *d, uint64_t now)
{
	struct vrrp_sync_event ev;
	struct vrrp_out out;
	char why[160];
	bool any = false;

	while (vrrp_sync_next(d->sync, &ev) > 0) {
		any = true;
		if (ev.what[0])
			hk_info("%s: sync group %s: %s", d->c->name, d->c->sync_group, ev.what);
		if (d->stopping)
			continue;
		if (ev.type == VRRP_SYNC_PEER_MASTER || ev.type == VRRP_SYNC_PEER_BACKUP) {
			/* Before following, the view must say who is where. */
			vrrp_reassess(d, now);
			snprintf(why, sizeof(why), "sync group %s: %s %s", d->c->sync_group, ev.name,
				 ev.type == VRRP_SYNC_PEER_MASTER ? "became master" : "left MASTER");
			if (ev.type == VRRP_SYNC_PEER_MASTER)
				vrrp_sm_group_master(&d->sm, now, why, &out);
			else
				vrrp_sm_group_backup(&d->sm, now, why, &out);
			vrrp_carry_out(d, &out, now);
		}
	}
	if (any && !d->stopping)
		vrrp_reassess(d, now);
}

static void on_spawn(struct vrrpd *d, uint64_t now)
{
	uint32_t id;
	int st, r;

	while ((r = vrrp_spawn_read(d->spawn, &id, &st)) > 0) {
		if ((id & VRRP_JOB_KIND) == VRRP_JOB_HOOK)
			vrrp_hooks_ended(&d->hooks, now, id, st);
		else
			vrrp_watch_job_ended(d, id, st, now);
	}
	if (r < 0 && !d->fatal) {
		/* Without it no hook or script can run: stop, so that a
		 * supervisor starts us again whole. */
		hk_log(LOG_ERR, "%s: the script launcher is gone; stopping", d->c->name);
		d->fatal = true;
		epoll_ctl(d->ep, EPOLL_CTL_DEL, vrrp_spawn_fd(d->spawn), NULL);
		vrrp_hooks_abort(&d->hooks);
	}
}

static void rearm(struct vrrpd *d, bool fired)
{
	uint64_t t[] = { d->stopping ? 0 : vrrp_sm_next(&d->sm), vrrp_hooks_next(&d->hooks),
			 d->stopping ? 0 : vrrp_watch_next(d) };
	uint64_t next = 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i] && (!next || t[i] < next))
			next = t[i];
	/* Set the timer whenever the deadline moves, even later: one
	 * system call per advert costs less than the wake-ups a lazily set
	 * timer would cause.  After it fired it must be set (or cleared)
	 * anyway, which also consumes the expiration. */
	if (!fired && next == d->armed)
		return;
	if (hk_timerfd_at(d->tfd, next) < 0)
		hk_warn("%s: cannot set the timer: %s", d->c->name, strerror(errno));
	d->armed = next;
}

/* ---- set-up and the loop ---- */

int vrrp_watch(struct vrrpd *d, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	return epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev);
}

void vrrp_set_expect(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;

	d->exp = (struct vrrp_expect){
		.family = c->family, .version = c->version, .vrid = c->vrid,
		.v2_interval = (uint8_t)(c->adver_int_us / 1000000),
		.auth_type = c->have_auth ? 1 : 0, .check_ttl = c->npeers == 0,
		.v3_cksum_as_v2 = c->v3_cksum_as_v2, .vips = c->adv_addrs, .nvips = c->nadv,
	};
	memcpy(d->exp.auth, c->auth, sizeof(d->exp.auth));
}

/* The VMAC, before anything that names the interface VRRP speaks on. */
static int setup_vmac(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	struct hk_addr ll = { 0 };
	struct hk_err e;
	char name[IFNAMSIZ];

	vrrp_vmac_name(c, name);
	if (c->family == AF_INET6) {
		if (c->unicast_src.family)
			ll = c->unicast_src;
		else if (hk_if_primary_addr(c->ifindex, AF_INET6, NULL, 0, &ll) < 0) {
			hk_log(LOG_ERR, "%s: --vmac: %s has no link-local address to give %s",
			       c->name, c->ifname, name);
			return -1;
		}
	}
	if (vrrp_vmac_up(&d->vmac, d->nl, name, c->ifindex, c->family, c->vrid, &ll, &e) < 0) {
		hk_log(LOG_ERR, "%s: %s", c->name, e.msg);
		return -1;
	}
	d->ifindex = d->vmac.ifindex;
	snprintf(d->ifname, sizeof(d->ifname), "%s", d->vmac.name);
	for (size_t i = 0; i < c->nvips; i++)
		if (!c->vips[i].dev[0])
			c->vips[i].ifindex = d->ifindex;
	return 0;
}

/* Give the VIPs without a "dev" the VMAC's index again (a reload). */
void vrrp_fix_vmac_vips(struct vrrpd *d, struct vrrp_conf *c)
{
	if (!d->vmac.ifindex)
		return;
	for (size_t i = 0; i < c->nvips; i++)
		if (!c->vips[i].dev[0])
			c->vips[i].ifindex = d->vmac.ifindex;
}

/* The sockets and what changes the system, before daemon(3), so that a
 * failure shows on the terminal. */
static int setup(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	struct hk_err e;

	d->fd = d->tfd = d->sfd = d->gfd = d->ep = d->ino = -1;
	d->ifindex = c->ifindex;
	snprintf(d->ifname, sizeof(d->ifname), "%s", c->ifname);
	d->nl = hk_nl_open();
	if (!d->nl) {
		hk_log(LOG_ERR, "cannot open a routing netlink socket: %s", strerror(errno));
		return -1;
	}
	d->mon = vrrp_mon_open();
	if (!d->mon) {
		hk_log(LOG_ERR, "cannot open a netlink monitor: %s", strerror(errno));
		return -1;
	}
	if (c->vmac && setup_vmac(d) < 0)
		return -1;
	d->fd = vrrp_sock_open(c->family, d->ifindex, d->ifname, c->vrid,
			       c->npeers ? NULL : &c->mcast_group, &e);
	if (d->fd < 0) {
		hk_log(LOG_ERR, "%s: %s", d->ifname, e.msg);
		return -1;
	}
	d->gfd = hk_garp_open();
	if (d->gfd < 0) {
		hk_log(LOG_ERR, "cannot open a packet socket: %s", strerror(errno));
		return -1;
	}
	if (!c->accept_mode) {
		char *script = vrrp_accept_script(c);

		if (!script || vrrp_accept_nft(script, 1, &e) < 0) {
			hk_log(LOG_ERR, "%s: --no-accept: %s", c->name,
			       script ? e.msg : "out of memory");
			free(script);
			return -1;
		}
		free(script);
		d->accept_table = true;
	}
	if (vrrp_watch_setup(d, &e) < 0) {
		hk_log(LOG_ERR, "%s: %s", c->name, e.msg);
		return -1;
	}
	if (c->sync_group[0]) {
		d->sync = vrrp_sync_open(c->sync_dir ? c->sync_dir : VRRP_SYNC_DIR, c->sync_group,
					 c->name, &e);
		if (!d->sync) {
			hk_log(LOG_ERR, "%s: %s", c->name, e.msg);
			return -1;
		}
	}
	return 0;
}

/*
 * --rt-priority, --nice, --mlock, --cpu-affinity, as keepalived's
 * vrrp_rt_priority, vrrp_priority, vrrp_no_swap and vrrp_cpu_affinity:
 * what cannot be had is said in the log and the instance runs on
 * without it, as keepalived's does.  Children (the launcher is forked
 * before; nft runs after) start with normal scheduling and no negative
 * nice: SCHED_RESET_ON_FORK.  Real-time scheduling comes last, so that
 * locking the memory in does not count against RLIMIT_RTTIME.
 */
static void tune_process(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	char s[256];

	if (c->mlock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		hk_warn("%s: cannot lock its memory: %s", c->name, strerror(errno));
	if (c->cpus_given && sched_setaffinity(0, sizeof(c->cpus), &c->cpus) < 0) {
		vrrp_fmt_cpus(s, sizeof(s), &c->cpus);
		hk_warn("%s: cannot run on CPUs %s only: %s", c->name, s, strerror(errno));
	}
	if (c->nice_given) {
		struct sched_param sp = { 0 };

		if (!c->rt_priority)
			sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
		if (setpriority(PRIO_PROCESS, 0, c->nice) < 0)
			hk_warn("%s: cannot set nice %d: %s", c->name, c->nice, strerror(errno));
	}
	if (c->rt_priority) {
		struct sched_param sp = { .sched_priority = c->rt_priority };
		struct rlimit rl = { .rlim_cur = c->rttime_us / 2, .rlim_max = c->rttime_us };

		/* A warning (SIGXCPU) at half the limit; the kernel kills a
		 * process that runs the whole of it without sleeping. */
		if (setrlimit(RLIMIT_RTTIME, &rl) < 0)
			hk_warn("%s: cannot limit real-time CPU time: %s", c->name, strerror(errno));
		if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0)
			hk_warn("%s: cannot take real-time priority %d: %s", c->name, c->rt_priority,
				strerror(errno));
		else
			hk_info("%s: real-time scheduling, SCHED_RR priority %d, at most %s s of CPU without sleeping",
				c->name, c->rt_priority, vrrp_fmt_secs(s, sizeof(s), c->rttime_us));
	}
}

/*
 * After daemon(3), before the loop: the launcher for scripts, forked
 * while we still may switch users, the process tuning, then the
 * privileges we drop for good (CAP_IPC_LOCK stays with --mlock: memory
 * the process maps later is locked too, beyond RLIMIT_MEMLOCK).
 */
static int setup_privileges(struct vrrpd *d)
{
	const int keep[] = { CAP_NET_RAW, CAP_NET_ADMIN, CAP_IPC_LOCK };
	struct vrrp_conf *c = d->c;
	struct hk_err e;

	if (c->have_scripts) {
		d->spawn = vrrp_spawn_start(c->script_uid, c->script_gid, c->script_uid == 0, &e);
		if (!d->spawn) {
			hk_log(LOG_ERR, "%s: %s", c->name, e.msg);
			return -1;
		}
	}
	tune_process(d);
	if (vrrp_caps_keep(keep, c->mlock ? 3 : 2, &e) < 0) {
		hk_log(LOG_ERR, "%s: %s", c->name, e.msg);
		return -1;
	}
	return 0;
}

/*
 * The loop's own descriptors, after daemon(3): a signalfd watched by an
 * epoll instance created before a fork would go on waiting for the
 * parent's signals.
 */
static int setup_loop(struct vrrpd *d)
{
	const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD, SIGXCPU };

	d->tfd = hk_timerfd_open();
	if (d->tfd < 0) {
		hk_log(LOG_ERR, "cannot open a timerfd: %s", strerror(errno));
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	d->sfd = hk_signalfd_open(sigs, sizeof(sigs) / sizeof(sigs[0]));
	if (d->sfd < 0) {
		hk_log(LOG_ERR, "cannot open a signalfd: %s", strerror(errno));
		return -1;
	}
	/* epoll rather than poll: a wake-up then costs no walk over the
	 * descriptors, which counts at a hundred adverts a second. */
	d->ep = epoll_create1(EPOLL_CLOEXEC);
	if (d->ep < 0 || vrrp_watch(d, d->sfd, EV_TAG(EV_SIGNAL, 0)) < 0 ||
	    vrrp_watch(d, d->tfd, EV_TAG(EV_TIMER, 0)) < 0 ||
	    vrrp_watch(d, d->fd, EV_TAG(EV_PACKET, 0)) < 0 ||
	    vrrp_watch(d, vrrp_mon_fd(d->mon), EV_TAG(EV_LINK, 0)) < 0 ||
	    (d->spawn && vrrp_watch(d, vrrp_spawn_fd(d->spawn), EV_TAG(EV_SPAWN, 0)) < 0) ||
	    (d->ino >= 0 && vrrp_watch(d, d->ino, EV_TAG(EV_INOTIFY, 0)) < 0) ||
	    (d->sync && vrrp_watch(d, vrrp_sync_fd(d->sync), EV_TAG(EV_SYNC, 0)) < 0)) {
		hk_log(LOG_ERR, "cannot set up epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void teardown(struct vrrpd *d, bool clean)
{
	struct hk_err e;

	vrrp_hooks_abort(&d->hooks);
	vrrp_watch_close(d);
	/* A clean stop leaves the group; anything else is missed. */
	vrrp_sync_close(d->sync, clean);
	d->sync = NULL;
	vrrp_spawn_stop(d->spawn);
	d->spawn = NULL;
	if (d->accept_table) {
		char table[64], *script = NULL;

		vrrp_accept_table(d->c, table, sizeof(table));
		if (asprintf(&script, "table inet %s\ndelete table inet %s\n", table, table) < 0 ||
		    vrrp_accept_nft(script, 1, &e) < 0)
			hk_warn("%s: cannot remove the nftables table %s: %s", d->c->name, table,
				script ? e.msg : "out of memory");
		free(script);
	}
	if (d->nft_pid > 0)
		waitpid(d->nft_pid, NULL, 0);
	if (d->fd >= 0)
		close(d->fd);
	if (d->gfd >= 0)
		close(d->gfd);
	if (d->tfd >= 0)
		close(d->tfd);
	if (d->sfd >= 0)
		close(d->sfd);
	if (d->ep >= 0)
		close(d->ep);
	vrrp_vmac_down(&d->vmac);
	vrrp_mon_close(d->mon);
	hk_nl_close(d->nl);
}

/* Children of ours that are not the launcher's jobs: nft runs. */
static void reap(struct vrrpd *d)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (d->spawn && pid == vrrp_spawn_pid(d->spawn))
			continue;	/* its socket says so too */
		if (pid != d->nft_pid)
			continue;
		d->nft_pid = 0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			hk_warn("%s: nft could not update the --no-accept table (status %d)",
				d->c->name, WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st));
	}
}

static void on_signals(struct vrrpd *d, uint64_t now)
{
	int sig, pid;

	while ((sig = hk_signalfd_read(d->sfd, &pid)) > 0) {
		switch (sig) {
		case SIGCHLD:
			reap(d);
			break;
		case SIGUSR1:
			vrrp_write_dump(d);
			break;
		case SIGXCPU: {
			char s[32];

			hk_log_rl(&d->xcpu_rl, LOG_WARNING,
				  "%s: ran %s s at real-time priority without sleeping (half of --rlimit-rttime; the kernel kills it at the whole)",
				  d->c->name, vrrp_fmt_secs(s, sizeof(s), d->c->rttime_us / 2));
			break;
		}
		case SIGHUP:
			if (!d->stopping)
				vrrp_reload(d, now);
			break;
		case SIGTERM:
		case SIGINT:
			if (d->stopping) {
				hk_warn("%s: second signal: not waiting for hooks", d->c->name);
				vrrp_hooks_abort(&d->hooks);
				return;
			}
			hk_info("%s: stopping on signal %d", d->c->name, sig);
			d->stopping = true;
			struct vrrp_out out;

			vrrp_sm_shutdown(&d->sm, now, &out);
			vrrp_carry_out(d, &out, now);
			if (d->sync && d->gv.leader && d->c->group_notify.argv)
				queue_notify(d, &d->c->group_notify, "GROUP", d->c->sync_group, "STOP", 0,
					     now);
			break;
		}
	}
}

static void log_start(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	char s[32], a[HK_ADDRSTRLEN];

	hk_info("%s: VRRPv%u on %s, VRID %u, priority %u, advert every %s s, %zu address%s, %s %s",
		c->name, c->version, d->ifname, c->vrid, c->priority,
		vrrp_fmt_secs(s, sizeof(s), c->adver_int_us), c->nvips, c->nvips > 1 ? "es" : "",
		c->npeers ? "unicast to" : "multicast to",
		c->npeers ? hk_addr_str(&c->peers[0], a) : hk_addr_str(&c->mcast_group, a));
}

static void dispatch(struct vrrpd *d, uint32_t tag, uint64_t now, bool *fired, bool *sig)
{
	switch (tag >> 16) {
	case EV_PACKET:
		if (!d->stopping)
			on_packets(d, now);
		break;
	case EV_LINK:
		if (!d->stopping)
			on_link_change(d, vrrp_mon_read(d->mon, d->ifindex, d->c->ifindex), now);
		break;
	case EV_TIMER:
		*fired = true;
		break;
	case EV_SIGNAL:
		*sig = true;
		break;
	case EV_SPAWN:
		on_spawn(d, now);
		break;
	case EV_INOTIFY:
		vrrp_watch_inotify(d, now);
		break;
	case EV_PIPE:
		vrrp_watch_pipe(d, tag & 0xffff);
		break;
	case EV_SYNC:
		on_sync(d, now);
		break;
	}
}

int vrrp_run(struct vrrp_conf *c, int argc, char **argv)
{
	struct vrrpd *d = calloc(1, sizeof(*d));
	struct vrrp_sm_conf sc;
	int code = HK_EXIT_OK;
	bool clean = false;

	if (!d) {
		hk_log(LOG_ERR, "out of memory");
		return HK_EXIT_FAIL;
	}
	/* libnl reads netlink into 16 kB buffers: mapped and unmapped
	 * rather than carved from the heap, whose pages would stay. */
	mallopt(M_MMAP_THRESHOLD, 8192);
	d->c = c;
	d->argc = argc;
	d->argv = argv;
	d->hooked = VRRP_STATE_INIT;
	for (int r = 0; r < VRRP_DROP_MAX; r++)
		d->rl[r] = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	d->send_rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	d->garp_rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	d->xcpu_rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	if (setup(d) < 0) {
		code = HK_EXIT_FAIL;
		goto out;
	}
	if (!c->foreground) {
		if (daemon(0, 0) < 0) {
			hk_log(LOG_ERR, "cannot become a daemon: %s", strerror(errno));
			code = HK_EXIT_FAIL;
			goto out;
		}
		hk_log_init("vrrpd", HK_LOG_SYSLOG, c->verbose ? LOG_DEBUG : LOG_INFO);
	}
	if (setup_privileges(d) < 0 || setup_loop(d) < 0) {
		code = HK_EXIT_FAIL;
		goto out;
	}

	vrrp_set_expect(d);
	sc = (struct vrrp_sm_conf){
		.version = c->version, .priority = c->priority, .adver_int_us = c->adver_int_us,
		.preempt = c->preempt, .preempt_delay_us = c->preempt_delay_us,
		.start_master = c->start_master, .garp_delay_us = c->garp_delay_us,
		.garp_refresh_us = c->garp_refresh_us,
	};
	vrrp_sm_init(&d->sm, &sc);
	d->sm.sync = d->sync != NULL;
	vrrp_hooks_init(&d->hooks, c->hook_timeout_us, d->spawn);

	log_start(d);
	remove_stale_vips(d);
	vrrp_refresh_src(d);
	d->started = hk_now_us();
	vrrp_watch_links(d);
	vrrp_watch_start(d, d->started);
	vrrp_reassess(d, d->started);
	rearm(d, true);
	malloc_trim(0);

	while ((!d->stopping || !vrrp_hooks_idle(&d->hooks)) && !d->fatal) {
		struct epoll_event ev[8];
		bool fired = false, sig = false;
		int n = epoll_wait(d->ep, ev, 8, -1);
		uint64_t now = hk_now_us();

		if (n < 0) {
			if (errno == EINTR)
				continue;
			hk_log(LOG_ERR, "epoll_wait: %s", strerror(errno));
			code = HK_EXIT_FAIL;
			break;
		}
		for (int i = 0; i < n; i++)
			dispatch(d, ev[i].data.u32, now, &fired, &sig);
		if (fired) {
			uint64_t due = vrrp_sm_next(&d->sm);
			struct vrrp_out out;

			/* An advert that came in time but is still unread (this
			 * process was not scheduled) must count before the
			 * Master_Down_Timer does. */
			if (!d->stopping && due && now >= due && d->sm.state == VRRP_STATE_BACKUP) {
				on_packets(d, now);
				due = vrrp_sm_next(&d->sm);
			}
			if (!d->stopping && due && now >= due) {
				vrrp_sm_timer(&d->sm, now, &out);
				vrrp_carry_out(d, &out, now);
			}
			vrrp_hooks_timer(&d->hooks, now);
			if (!d->stopping)
				vrrp_watch_timer(d, now);
		}
		if (sig) {
			bool was = d->stopping;

			on_signals(d, now);
			/* Stopping: adverts and link events no longer matter. */
			if (d->stopping && !was) {
				epoll_ctl(d->ep, EPOLL_CTL_DEL, d->fd, NULL);
				epoll_ctl(d->ep, EPOLL_CTL_DEL, vrrp_mon_fd(d->mon), NULL);
				clean = true;
			}
		}
		rearm(d, fired);
		/*
		 * Fifty instances on a host are fifty processes: hand freed
		 * heap pages back after the rare events that allocate, so
		 * that each stays at the few pages its steady state needs.
		 */
		if (d->trim || sig) {
			malloc_trim(0);
			d->trim = false;
		}
	}
	if (d->fatal) {
		struct vrrp_out out;

		vrrp_sm_shutdown(&d->sm, hk_now_us(), &out);
		vrrp_carry_out(d, &out, hk_now_us());
		code = HK_EXIT_FAIL;
	}
	/* Leave no address behind, whatever happened. */
	if (d->sm.state == VRRP_STATE_MASTER)
		vrrp_vips_del(d, d->c, true, NULL);
out:
	teardown(d, clean);
	explicit_bzero(d, sizeof(*d));
	free(d);
	return code;
}
