/*
 * SIGHUP: read the command line and its --config files again and apply
 * the difference.  A master whose VIP set is unchanged stays master
 * without a blip; one whose set changed stays master too, with the
 * removed addresses gone and the new ones added and announced.  What
 * identifies the instance (its interface, VRID, version, VMAC, name,
 * group, script user) and its process tuning cannot change under a
 * running process: a reload
 * that changes it is refused, as is a broken file, and the running
 * configuration goes on, with one line in the log saying why.
 */
#include "run.h"
#include "accept.h"
#include "daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* What cannot change in place, or NULL. */
static const char *fixed_part(const struct vrrpd *d, const struct vrrp_conf *o,
			      const struct vrrp_conf *n)
{
	if (strcmp(o->name, n->name))
		return "the name (--name)";
	if (strcmp(o->ifname, n->ifname))
		return "the interface (--interface)";
	if (o->vrid != n->vrid)
		return "the VRID (--vrid)";
	if (o->family != n->family)
		return "the address family (the first --vip)";
	if (o->version != n->version)
		return "the VRRP version (--version)";
	if (o->vmac != n->vmac)
		return "--vmac";
	if (strcmp(o->sync_group, n->sync_group) || !same_str(o->sync_dir, n->sync_dir))
		return "the sync group (--sync-group, --sync-dir)";
	if (n->have_scripts && !d->spawn)
		return "the presence of hooks or track scripts (the process that runs them is made at start-up)";
	if (n->have_scripts && (o->script_uid != n->script_uid || o->script_gid != n->script_gid))
		return "the script user (--script-user)";
	/* Set before the privileges to set them are dropped. */
	if (o->rt_priority != n->rt_priority || (o->rt_priority && o->rttime_us != n->rttime_us) ||
	    o->nice_given != n->nice_given || (o->nice_given && o->nice != n->nice) ||
	    o->mlock != n->mlock || o->cpus_given != n->cpus_given ||
	    (o->cpus_given && !CPU_EQUAL(&o->cpus, &n->cpus)))
		return "the process tuning (--rt-priority, --rlimit-rttime, --nice, --mlock, --cpu-affinity)";
	return NULL;
}

static bool vips_differ(const struct vrrp_conf *a, const struct vrrp_conf *b)
{
	if (a->nvips != b->nvips)
		return true;
	for (size_t i = 0; i < a->nvips; i++) {
		bool found = false;

		for (size_t k = 0; k < b->nvips && !found; k++)
			found = hk_addr_eq(&a->vips[i].pfx.addr, &b->vips[k].pfx.addr) &&
				a->vips[i].pfx.plen == b->vips[k].pfx.plen &&
				a->vips[i].ifindex == b->vips[k].ifindex &&
				!strcmp(a->vips[i].label, b->vips[k].label);
		if (!found)
			return true;
	}
	return false;
}

/* Multicast to unicast or another group: a socket joined otherwise. */
static void reopen_socket(struct vrrpd *d)
{
	struct vrrp_conf *c = d->c;
	struct hk_err e;
	int fd = vrrp_sock_open(c->family, d->ifindex, d->ifname, c->vrid,
				c->npeers ? NULL : &c->mcast_group, &e);

	if (fd < 0) {
		hk_log(LOG_ERR, "%s: SIGHUP: cannot open the new socket, keeping the old one: %s",
		       c->name, e.msg);
		return;
	}
	epoll_ctl(d->ep, EPOLL_CTL_DEL, d->fd, NULL);
	close(d->fd);
	d->fd = fd;
	if (vrrp_watch(d, fd, EV_TAG(EV_PACKET, 0)) < 0)
		hk_log(LOG_ERR, "%s: SIGHUP: cannot watch the new socket: %s", c->name,
		       strerror(errno));
}

static void update_accept(struct vrrpd *d, const struct vrrp_conf *o)
{
	struct vrrp_conf *c = d->c;
	struct hk_err e;
	char *script = NULL;
	int pid;

	if (c->accept_mode && d->accept_table) {
		char table[64];

		vrrp_accept_table(c, table, sizeof(table));
		if (asprintf(&script, "table inet %s\ndelete table inet %s\n", table, table) < 0)
			script = NULL;
		d->accept_table = false;
	} else if (!c->accept_mode && (!d->accept_table || vips_differ(o, c))) {
		script = vrrp_accept_script(c);
		d->accept_table = true;
	} else {
		return;
	}
	/* In the background: a reload never holds adverts up. */
	pid = script ? vrrp_accept_nft(script, 0, &e) : hk_err_set(&e, ENOMEM, "out of memory");
	if (pid < 0)
		hk_warn("%s: SIGHUP: cannot update the --no-accept table: %s", c->name, e.msg);
	else
		d->nft_pid = pid;
	free(script);
}

void vrrp_reload(struct vrrpd *d, uint64_t now)
{
	struct vrrp_conf *n = malloc(sizeof(*n)), old;
	struct vrrp_sm_conf *sc = &d->sm.c;
	const char *fixed;
	struct hk_err e;
	bool resock, vips;

	if (!n) {
		hk_warn("%s: SIGHUP: keeping the running configuration: out of memory", d->c->name);
		return;
	}
	if (vrrp_reread(d->argc, d->argv, n, &e) < 0) {
		hk_warn("%s: SIGHUP: keeping the running configuration: %s", d->c->name, e.msg);
		free(n);
		return;
	}
	fixed = fixed_part(d, d->c, n);
	if (fixed) {
		hk_warn("%s: SIGHUP: keeping the running configuration: %s cannot change while vrrpd runs; restart it",
			d->c->name, fixed);
		vrrp_conf_free(n);
		free(n);
		return;
	}
	vrrp_fix_vmac_vips(d, n);
	/* The foreground and the log level are the command line's, as
	 * they were. */
	n->foreground = d->c->foreground;
	old = *d->c;
	*d->c = *n;
	free(n);
	vips = vips_differ(&old, d->c);
	resock = !old.npeers != !d->c->npeers || !hk_addr_eq(&old.mcast_group, &d->c->mcast_group);

	if (vips && d->sm.state == VRRP_STATE_MASTER) {
		vrrp_vips_del(d, &old, false, d->c);
		vrrp_vips_add(d, d->c, true, &old);
		vrrp_announce(d, d->c->garp_repeat, &old);
	}
	if (resock)
		reopen_socket(d);
	vrrp_set_expect(d);
	sc->priority = d->c->priority;
	sc->adver_int_us = d->c->adver_int_us;
	sc->preempt = d->c->preempt;
	sc->preempt_delay_us = d->c->preempt_delay_us;
	sc->garp_delay_us = d->c->garp_delay_us;
	sc->garp_refresh_us = d->c->garp_refresh_us;
	if (sc->version == 2)
		d->sm.master_adver_int_us = sc->adver_int_us;
	if (d->sm.state == VRRP_STATE_MASTER && old.adver_int_us != sc->adver_int_us)
		d->sm.adver_at = now;	/* the new interval starts with an advert */
	d->hooks.timeout_us = d->c->hook_timeout_us;
	vrrp_watch_reload(d, &old, now);
	update_accept(d, &old);
	vrrp_conf_free(&old);
	hk_info("%s: SIGHUP: configuration re-read%s", d->c->name,
		vips ? ", the VIPs changed" : "");
	vrrp_write_state_file(d);
	vrrp_reassess(d, now);
	d->trim = true;
}
