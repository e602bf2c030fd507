#include "daemon.h"
#include "clock.h"
#include "exitcode.h"
#include "garp.h"
#include "hook.h"
#include "json.h"
#include "log.h"
#include "netif.h"
#include "sock.h"
#include "state.h"
#include "vip.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if_addr.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Packets read per wake-up before timers get a look in. */
#define RX_BATCH 64

struct vrrpd {
	struct vrrp_conf *c;
	struct vrrp_sm sm;
	struct vrrp_hooks hooks;
	struct vrrp_expect exp;
	struct hk_nl *nl;
	struct vrrp_mon *mon;
	int fd, tfd, sfd, gfd, ep;
	uint64_t armed;			/* the timerfd's deadline, 0 if disarmed */
	struct hk_addr src;		/* where our adverts come from */
	bool have_src, carrier, link_up;
	bool stopping;
	bool trim;			/* the heap grew: give back what is free */
	uint16_t ip_id;
	uint64_t started;
	uint64_t sent, send_errors, rcvd, prio0_sent, prio0_rcvd, garps;
	uint64_t drops[VRRP_DROP_MAX];
	struct hk_ratelimit rl[VRRP_DROP_MAX];
	struct hk_ratelimit send_rl, garp_rl;
	uint8_t buf[2048];
};

/* ---- addresses and links ---- */

static void refresh_src(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;

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

static bool link_usable(struct vrrpd *d)
{
	d->carrier = hk_if_is_running(d->c->ifindex) == 1;
	return d->carrier && d->have_src;
}

static void vips_add(struct vrrpd *d)
{
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < d->c->nvips; i++) {
		const struct vrrp_vipconf *vc = &d->c->vips[i];
		struct hk_vip v = { .pfx = vc->pfx, .ifindex = vc->ifindex };
		int r;

		memcpy(v.label, vc->label, sizeof(v.label));
		if (vc->pfx.addr.family == AF_INET6)
			v.flags = IFA_F_NODAD;
		r = hk_vip_add(d->nl, &v);
		if (r < 0 && r != -EEXIST)
			hk_log(LOG_ERR, "%s: cannot add %s/%u: %s", d->c->name,
			       hk_addr_str(&vc->pfx.addr, a), vc->pfx.plen, hk_nl_error(d->nl));
	}
}

static void vips_del(struct vrrpd *d, bool quiet)
{
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < d->c->nvips; i++) {
		const struct vrrp_vipconf *vc = &d->c->vips[i];
		struct hk_vip v = { .pfx = vc->pfx, .ifindex = vc->ifindex };
		int r = hk_vip_del(d->nl, &v);

		if (r < 0 && r != -EADDRNOTAVAIL && !quiet)
			hk_log(LOG_ERR, "%s: cannot remove %s/%u: %s", d->c->name,
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

/* Gratuitous ARP / unsolicited NA for every address, count times. */
static void announce(struct vrrpd *d, unsigned count)
{
	uint8_t frame[HK_UNA_LEN], mac[6];
	char a[HK_ADDRSTRLEN];

	for (size_t i = 0; i < d->c->nvips && count; i++) {
		const struct vrrp_vipconf *vc = &d->c->vips[i];
		size_t len;

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

	if (!d->have_src)
		return;
	memcpy(p.auth, c->auth, sizeof(p.auth));
	for (size_t i = 0; i < ndst; i++) {
		size_t len;

		p.dst = c->npeers ? c->peers[i] : c->mcast_group;
		/* 0 would have the kernel choose the identification. */
		p.ip_id = ++d->ip_id ? d->ip_id : ++d->ip_id;
		len = vrrp_build(pkt, sizeof(pkt), &p);
		if (len && vrrp_sock_send(d->fd, c->family, c->ifindex, pkt, len, &d->src,
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

/* ---- files ---- */

/* Write len bytes to path through a temporary file and rename(2), so
 * that a reader sees the old or the new content, never a mix. */
static int write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp;
	int fd, saved;

	/* On the heap: a PATH_MAX buffer on the stack would stay resident
	 * in each of fifty processes. */
	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		saved = errno;
		free(tmp);
		errno = saved;
		return -1;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	/* No fsync: these files live in /run, and the point is that
	 * readers never see half a file, not crash durability. */
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		fd = -1;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

static void write_state_file(struct vrrpd *d)
{
	char line[160];
	int n;

	if (!d->c->state_file)
		return;
	n = snprintf(line, sizeof(line), "%s %s %u\n", d->c->name,
		     vrrp_state_name(d->sm.state), d->c->priority);
	if (write_atomic(d->c->state_file, line, (size_t)n) < 0)
		hk_warn("%s: cannot write --state-file '%s': %s", d->c->name, d->c->state_file,
			strerror(errno));
}

static void json_secs(FILE *f, const char *key, uint64_t us, bool comma)
{
	fprintf(f, "\"%s\":%" PRIu64 ".%06" PRIu64 "%s", key, us / 1000000, us % 1000000,
		comma ? "," : "");
}

static void json_addr(FILE *f, const struct hk_addr *a)
{
	char s[HK_ADDRSTRLEN];

	hk_json_str(f, hk_addr_str(a, s));
}

static void dump_json(struct vrrpd *d, FILE *f, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	struct vrrp_sm *sm = &d->sm;
	char s[HK_ADDRSTRLEN];

	fprintf(f, "{\"name\":");
	hk_json_str(f, c->name);
	fprintf(f, ",\"pid\":%d,\"interface\":", (int)getpid());
	hk_json_str(f, c->ifname);
	fprintf(f, ",\"vrid\":%u,\"version\":%u,\"family\":\"%s\",", c->vrid, c->version,
		c->family == AF_INET ? "inet" : "inet6");
	fprintf(f, "\"state\":\"%s\",\"reason\":", vrrp_state_name(sm->state));
	hk_json_str(f, sm->reason);
	fprintf(f, ",");
	json_secs(f, "in_state", now - sm->since, true);
	fprintf(f, "\"priority\":%u,\"preempt\":%s,", c->priority, c->preempt ? "true" : "false");
	json_secs(f, "preempt_delay", c->preempt_delay_us, true);
	json_secs(f, "advert_int", c->adver_int_us, true);
	json_secs(f, "master_advert_int", sm->master_adver_int_us, true);
	json_secs(f, "skew_time", vrrp_sm_skew_us(sm), true);
	json_secs(f, "master_down_interval", vrrp_sm_down_interval_us(sm), true);
	fprintf(f, "\"source\":");
	if (d->have_src)
		json_addr(f, &d->src);
	else
		fprintf(f, "null");
	fprintf(f, ",\"mode\":\"%s\",\"master\":", c->npeers ? "unicast" : "multicast");
	if (sm->master_known) {
		fprintf(f, "{\"address\":");
		json_addr(f, &sm->master_addr);
		fprintf(f, ",\"priority\":%u,", sm->master_prio);
		json_secs(f, "seen_ago", now - sm->master_seen_at, false);
		fprintf(f, "}");
	} else {
		fprintf(f, "null");
	}
	fprintf(f, ",\"vips\":[");
	for (size_t i = 0; i < c->nvips; i++) {
		char v[HK_ADDRSTRLEN + 8];

		snprintf(v, sizeof(v), "%s/%u", hk_addr_str(&c->vips[i].pfx.addr, s),
			 c->vips[i].pfx.plen);
		fprintf(f, "%s", i ? "," : "");
		hk_json_str(f, v);
	}
	fprintf(f, "],\"timers\":{");
	uint64_t next = vrrp_sm_next(sm);

	if (sm->state == VRRP_STATE_BACKUP && next)
		json_secs(f, "master_down_in", next > now ? next - now : 0, false);
	else if (sm->state == VRRP_STATE_MASTER && sm->adver_at)
		json_secs(f, "next_advert_in", sm->adver_at > now ? sm->adver_at - now : 0, false);
	fprintf(f, "},\"counters\":{\"adverts_sent\":%" PRIu64 ",\"send_errors\":%" PRIu64
		",\"adverts_received\":%" PRIu64 ",\"priority_zero_sent\":%" PRIu64
		",\"priority_zero_received\":%" PRIu64 ",\"became_master\":%" PRIu64
		",\"released_master\":%" PRIu64 ",\"announcements_sent\":%" PRIu64
		",\"hooks_run\":%" PRIu64 ",\"hooks_failed\":%" PRIu64
		",\"hooks_timed_out\":%" PRIu64 ",\"hooks_dropped\":%" PRIu64 "},\"dropped\":{",
		d->sent, d->send_errors, d->rcvd, d->prio0_sent, d->prio0_rcvd, sm->became_master,
		sm->released_master, d->garps, d->hooks.run, d->hooks.failed, d->hooks.timed_out,
		d->hooks.dropped);
	uint64_t total = 0;

	for (int r = 1; r < VRRP_DROP_MAX; r++) {
		fprintf(f, "\"%s\":%" PRIu64 ",", vrrp_drop_name((enum vrrp_drop)r), d->drops[r]);
		total += d->drops[r];
	}
	fprintf(f, "\"total\":%" PRIu64 "}}\n", total);
}

static void write_dump(struct vrrpd *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *path = d->c->dump_file;

	if (!f) {
		hk_warn("%s: cannot build the dump: %s", d->c->name, strerror(errno));
		return;
	}
	dump_json(d, f, hk_now_us());
	if (fclose(f) != 0) {
		free(buf);
		return;
	}
	/* The default directory belongs to hakit: make it if need be. */
	if (strncmp(path, "/run/hakit/", 11) == 0 && mkdir("/run/hakit", 0755) < 0 &&
	    errno != EEXIST)
		hk_warn("%s: cannot create /run/hakit: %s", d->c->name, strerror(errno));
	if (write_atomic(path, buf, len) < 0)
		hk_warn("%s: cannot write the dump to '%s': %s", d->c->name, path, strerror(errno));
	else
		hk_info("%s: state dumped to %s", d->c->name, path);
	free(buf);
}

/* ---- hooks ---- */

static void run_hooks(struct vrrpd *d, enum vrrp_state st, uint64_t now)
{
	struct vrrp_conf *c = d->c;
	const struct vrrp_cmd *specific = st == VRRP_STATE_MASTER ? &c->notify_master
					  : st == VRRP_STATE_BACKUP ? &c->notify_backup
					  : st == VRRP_STATE_FAULT ? &c->notify_fault
					  : st == VRRP_STATE_STOP ? &c->notify_stop
								  : NULL;

	/* keepalived's order: the state's own script, then "notify". */
	if (specific && specific->argv)
		vrrp_hooks_queue(&d->hooks, now, specific->path, specific->argv);
	if (c->notify.argv) {
		char prio[4], *argv[c->notify.argc + 5];
		int n = 0;

		snprintf(prio, sizeof(prio), "%u", c->priority);
		for (int i = 0; i < c->notify.argc; i++)
			argv[n++] = c->notify.argv[i];
		argv[n++] = "INSTANCE";
		argv[n++] = c->name;
		argv[n++] = (char *)vrrp_state_name(st);
		argv[n++] = prio;
		argv[n] = NULL;
		vrrp_hooks_queue(&d->hooks, now, c->notify.path, argv);
	}
}

/* ---- the state machine's actions ---- */

static void carry_out(struct vrrpd *d, const struct vrrp_out *out, uint64_t now)
{
	/* Adverts allocate nothing; everything else (netlink, getifaddrs,
	 * hooks) may leave freed heap behind. */
	for (int i = 0; i < out->n; i++)
		if (out->act[i] != VRRP_ACT_ADVERT)
			d->trim = true;
	for (int i = 0; i < out->n; i++) {
		switch (out->act[i]) {
		case VRRP_ACT_VIPS_ADD:
			vips_add(d);
			break;
		case VRRP_ACT_VIPS_DEL:
			vips_del(d, false);
			break;
		case VRRP_ACT_ADVERT:
			send_advert(d, d->c->priority);
			break;
		case VRRP_ACT_ADVERT_STOP:
			send_advert(d, VRRP_PRIO_STOP);
			break;
		case VRRP_ACT_GARP:
			announce(d, d->c->garp_repeat);
			break;
		case VRRP_ACT_GARP_REFRESH:
			announce(d, 1);
			break;
		case VRRP_ACT_NOTIFY:
			hk_info("%s: %s -> %s: %s", d->c->name, vrrp_state_name(out->from),
				vrrp_state_name(out->to), d->sm.reason);
			write_state_file(d);
			run_hooks(d, out->to, now);
			break;
		}
	}
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
		carry_out(d, &out, now);
	}
}

static void on_link_change(struct vrrpd *d, int what, uint64_t now)
{
	struct vrrp_out out;
	bool up;

	d->trim = true;
	if (what & VRRP_MON_ADDR)
		refresh_src(d);
	up = link_usable(d);
	if (up == d->link_up)
		return;
	d->link_up = up;
	if (!up)
		hk_warn("%s: %s is %s", d->c->name, d->c->ifname,
			!d->carrier ? "down (no carrier)" : "without an address to send from");
	vrrp_sm_link(&d->sm, now, up, &out);
	carry_out(d, &out, now);
}

static void rearm(struct vrrpd *d, bool fired)
{
	uint64_t a = d->stopping ? 0 : vrrp_sm_next(&d->sm), b = vrrp_hooks_next(&d->hooks);
	uint64_t next = !a ? b : !b ? a : a < b ? a : b;

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

enum { EV_SIGNAL, EV_TIMER, EV_PACKET, EV_LINK };

static int watch(struct vrrpd *d, int fd, int what)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)what };

	return epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev);
}

/* The sockets, before daemon(3), so that a failure shows on the
 * terminal. */
static int setup(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	struct hk_err e;

	d->fd = d->tfd = d->sfd = d->gfd = d->ep = -1;
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
	d->fd = vrrp_sock_open(c->family, c->ifindex, c->ifname, c->vrid,
			       c->npeers ? NULL : &c->mcast_group, &e);
	if (d->fd < 0) {
		hk_log(LOG_ERR, "%s: %s", c->ifname, e.msg);
		return -1;
	}
	d->gfd = hk_garp_open();
	if (d->gfd < 0) {
		hk_log(LOG_ERR, "cannot open a packet socket: %s", strerror(errno));
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
	const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD };

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
	if (d->ep < 0 || watch(d, d->sfd, EV_SIGNAL) < 0 || watch(d, d->tfd, EV_TIMER) < 0 ||
	    watch(d, d->fd, EV_PACKET) < 0 || watch(d, vrrp_mon_fd(d->mon), EV_LINK) < 0) {
		hk_log(LOG_ERR, "cannot set up epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void teardown(struct vrrpd *d)
{
	vrrp_hooks_abort(&d->hooks);
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
	vrrp_mon_close(d->mon);
	hk_nl_close(d->nl);
}

static void on_signals(struct vrrpd *d, uint64_t now)
{
	int sig, pid;

	while ((sig = hk_signalfd_read(d->sfd, &pid)) > 0) {
		switch (sig) {
		case SIGCHLD:
			vrrp_hooks_reap(&d->hooks, now);
			break;
		case SIGUSR1:
			write_dump(d);
			break;
		case SIGHUP:
			hk_warn("%s: SIGHUP: reloading is not supported yet; ignored", d->c->name);
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
			carry_out(d, &out, now);
			break;
		}
	}
}

static void log_start(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	char s[32], a[HK_ADDRSTRLEN];

	hk_info("%s: VRRPv%u on %s, VRID %u, priority %u, advert every %s s, %zu address%s, %s %s",
		c->name, c->version, c->ifname, c->vrid, c->priority,
		vrrp_fmt_secs(s, sizeof(s), c->adver_int_us), c->nvips, c->nvips > 1 ? "es" : "",
		c->npeers ? "unicast to" : "multicast to",
		c->npeers ? hk_addr_str(&c->peers[0], a) : hk_addr_str(&c->mcast_group, a));
}

int vrrp_run(struct vrrp_conf *c)
{
	struct vrrpd *d = calloc(1, sizeof(*d));
	struct vrrp_sm_conf sc;
	struct vrrp_out out;
	int code = HK_EXIT_OK;

	if (!d) {
		hk_log(LOG_ERR, "out of memory");
		return HK_EXIT_FAIL;
	}
	/* libnl reads netlink into 16 kB buffers: mapped and unmapped
	 * rather than carved from the heap, whose pages would stay. */
	mallopt(M_MMAP_THRESHOLD, 8192);
	d->c = c;
	for (int r = 0; r < VRRP_DROP_MAX; r++)
		d->rl[r] = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	d->send_rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
	d->garp_rl = (struct hk_ratelimit)HK_RATELIMIT_INIT(1000, 1);
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
	if (setup_loop(d) < 0) {
		code = HK_EXIT_FAIL;
		goto out;
	}

	d->exp = (struct vrrp_expect){
		.family = c->family, .version = c->version, .vrid = c->vrid,
		.v2_interval = (uint8_t)(c->adver_int_us / 1000000),
		.auth_type = c->have_auth ? 1 : 0, .check_ttl = c->npeers == 0,
		.v3_cksum_as_v2 = c->v3_cksum_as_v2, .vips = c->adv_addrs, .nvips = c->nadv,
	};
	memcpy(d->exp.auth, c->auth, sizeof(d->exp.auth));
	sc = (struct vrrp_sm_conf){
		.version = c->version, .priority = c->priority, .adver_int_us = c->adver_int_us,
		.preempt = c->preempt, .preempt_delay_us = c->preempt_delay_us,
		.start_master = c->start_master, .garp_delay_us = c->garp_delay_us,
		.garp_refresh_us = c->garp_refresh_us,
	};
	vrrp_sm_init(&d->sm, &sc);
	vrrp_hooks_init(&d->hooks, c->hook_timeout_us);

	log_start(d);
	remove_stale_vips(d);
	refresh_src(d);
	d->link_up = link_usable(d);
	if (!d->link_up)
		hk_warn("%s: %s is %s", c->name, c->ifname,
			!d->carrier ? "down (no carrier)" : "without an address to send from");
	d->started = hk_now_us();
	vrrp_sm_start(&d->sm, d->started, d->link_up, &out);
	carry_out(d, &out, d->started);
	rearm(d, true);
	malloc_trim(0);

	while (!d->stopping || !vrrp_hooks_idle(&d->hooks)) {
		struct epoll_event ev[4];
		bool fired = false, sig = false;
		int n = epoll_wait(d->ep, ev, 4, -1);
		uint64_t now = hk_now_us();

		if (n < 0) {
			if (errno == EINTR)
				continue;
			hk_log(LOG_ERR, "epoll_wait: %s", strerror(errno));
			code = HK_EXIT_FAIL;
			break;
		}
		for (int i = 0; i < n; i++) {
			switch (ev[i].data.u32) {
			case EV_PACKET:
				if (!d->stopping)
					on_packets(d, now);
				break;
			case EV_LINK:
				if (!d->stopping)
					on_link_change(d, vrrp_mon_read(d->mon, c->ifindex), now);
				break;
			case EV_TIMER:
				fired = true;
				break;
			case EV_SIGNAL:
				sig = true;
				break;
			}
		}
		if (fired) {
			uint64_t due = vrrp_sm_next(&d->sm);

			/* An advert that came in time but is still unread (this
			 * process was not scheduled) must count before the
			 * Master_Down_Timer does. */
			if (!d->stopping && due && now >= due && d->sm.state == VRRP_STATE_BACKUP) {
				on_packets(d, now);
				due = vrrp_sm_next(&d->sm);
			}
			if (!d->stopping && due && now >= due) {
				vrrp_sm_timer(&d->sm, now, &out);
				carry_out(d, &out, now);
			}
			vrrp_hooks_timer(&d->hooks, now);
		}
		if (sig) {
			bool was = d->stopping;

			on_signals(d, now);
			/* Stopping: adverts and link events no longer matter. */
			if (d->stopping && !was) {
				epoll_ctl(d->ep, EPOLL_CTL_DEL, d->fd, NULL);
				epoll_ctl(d->ep, EPOLL_CTL_DEL, vrrp_mon_fd(d->mon), NULL);
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
	/* Leave no address behind, whatever happened. */
	if (d->sm.state == VRRP_STATE_MASTER)
		vips_del(d, true);
out:
	teardown(d);
	explicit_bzero(d, sizeof(*d));
	free(d);
	return code;
}
