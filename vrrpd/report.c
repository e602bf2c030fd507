/* What the instance tells the outside: the state file and the SIGUSR1
 * dump. */
#include "run.h"
#include "clock.h"
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void vrrp_write_state_file(struct vrrpd *d)
{
	char line[160];
	int n;

	if (!d->c->state_file)
		return;
	n = snprintf(line, sizeof(line), "%s %s %u\n", d->c->name,
		     vrrp_state_name(d->sm.state), d->sm.prio);
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


static const char *script_verdict(const struct vrrp_script_state *s)
{
	return !s->reported ? "init" : s->ok ? "good" : "bad";
}

static void dump_tracking(struct vrrpd *d, FILE *f, uint64_t now)
{
	struct vrrp_conf *c = d->c;

	fprintf(f, "\"tracking\":{\"fault\":%s,\"priority_change\":%d,\"why\":",
		d->own_fault ? "true" : "false", (int)d->track_delta);
	if (d->own_fault || d->track_init)
		hk_json_str(f, d->fault_why);
	else
		fprintf(f, "null");
	fprintf(f, ",\"interfaces\":[");
	for (size_t i = 0; i < c->nifs; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		hk_json_str(f, c->ifs[i].name);
		fprintf(f, ",\"up\":%s,\"weight\":", d->obs->if_up[i] ? "true" : "false");
		if (c->ifs[i].has_weight)
			fprintf(f, "%d}", c->ifs[i].weight);
		else
			fprintf(f, "null}");
	}
	fprintf(f, "],\"files\":[");
	for (size_t i = 0; i < c->nfiles; i++) {
		fprintf(f, "%s{\"path\":", i ? "," : "");
		hk_json_str(f, c->files[i].path);
		fprintf(f, ",\"value\":%ld,\"weight\":", d->obs->file_values[i]);
		if (c->files[i].has_weight)
			fprintf(f, "%d}", c->files[i].weight);
		else
			fprintf(f, "null}");
	}
	fprintf(f, "],\"scripts\":[");
	for (size_t i = 0; i < c->nscripts; i++) {
		const struct vrrp_script_rt *rt = &d->srt[i];

		fprintf(f, "%s{\"command\":", i ? "," : "");
		hk_json_str(f, c->scripts[i].cmd.text);
		fprintf(f, ",\"status\":\"%s\",\"running\":%s,\"last_exit\":",
			script_verdict(&d->obs->scripts[i]), rt->running ? "true" : "false");
		if (rt->last_status >= 0)
			fprintf(f, "%d", rt->last_status);
		else
			fprintf(f, "null");
		fprintf(f, ",\"weight\":%d,", c->scripts[i].weight);
		json_secs(f, "next_run_in", rt->next_at > now ? rt->next_at - now : 0, false);
		fprintf(f, "}");
	}
	fprintf(f, "]}");
}

static void dump_group(struct vrrpd *d, FILE *f)
{
	if (!d->sync) {
		fprintf(f, "null");
		return;
	}
	fprintf(f, "{\"name\":");
	hk_json_str(f, d->c->sync_group);
	fprintf(f, ",\"state\":\"%s\",\"fault\":%s,\"may_become_master\":%s,\"leader\":%s,\"why\":",
		d->gv.gstate == VRRP_STATE_INIT ? "CHANGING" : vrrp_state_name(d->gv.gstate),
		d->gv.fault ? "true" : "false", d->gv.can_master ? "true" : "false",
		d->gv.leader ? "true" : "false");
	if (d->gv.fault)
		hk_json_str(f, d->gv.why);
	else
		fprintf(f, "null");
	fprintf(f, "}");
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
	fprintf(f, "\"priority\":%u,\"base_priority\":%u,\"preempt\":%s,", sm->prio, c->priority,
		c->preempt ? "true" : "false");
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
	fprintf(f, "\"total\":%" PRIu64 "},", total);
	dump_tracking(d, f, now);
	fprintf(f, ",\"accept\":%s,\"vmac\":", c->accept_mode ? "true" : "false");
	if (d->vmac.ifindex)
		hk_json_str(f, d->vmac.name);
	else
		fprintf(f, "null");
	fprintf(f, ",\"sync_group\":");
	dump_group(d, f);
	fprintf(f, "}\n");
}

void vrrp_write_dump(struct vrrpd *d)
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

