#include "conf.h"
#include "log.h"
#include "priv.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SEC ((uint64_t)1000000)
#define LINE_MAX_LEN 4096

const struct vrrp_optdef vrrp_optdefs[] = {
	{ "interface", true, 'i' },
	{ "vrid", true, 0 },
	{ "vip", true, 0 },
	{ "priority", true, 0 },
	{ "advert-int", true, 0 },
	{ "version", true, 0 },
	{ "no-preempt", false, 0 },
	{ "preempt-delay", true, 0 },
	{ "state", true, 0 },
	{ "auth-pass-file", true, 0 },
	{ "unicast-src", true, 0 },
	{ "unicast-peer", true, 0 },
	{ "mcast-group", true, 0 },
	{ "garp-delay", true, 0 },
	{ "garp-repeat", true, 0 },
	{ "garp-refresh", true, 0 },
	{ "notify", true, 0 },
	{ "notify-master", true, 0 },
	{ "notify-backup", true, 0 },
	{ "notify-fault", true, 0 },
	{ "notify-stop", true, 0 },
	{ "hook-timeout", true, 0 },
	{ "name", true, 0 },
	{ "state-file", true, 0 },
	{ "dump-file", true, 0 },
	{ "v3-checksum-as-v2", false, 0 },
	{ "track-interface", true, 0 },
	{ "track-file", true, 0 },
	{ "track-script", true, 0 },
	{ "track-interval", true, 0 },
	{ "track-timeout", true, 0 },
	{ "track-weight", true, 0 },
	{ "track-rise", true, 0 },
	{ "track-fall", true, 0 },
	{ "sync-group", true, 0 },
	{ "sync-dir", true, 0 },
	{ "group-notify", true, 0 },
	{ "vmac", false, 0 },
	{ "accept", false, 0 },
	{ "no-accept", false, 0 },
	{ "strict", false, 0 },
	{ "script-user", true, 0 },
	{ "allow-root-scripts", false, 0 },
	{ "rt-priority", true, 0 },
	{ "rlimit-rttime", true, 0 },
	{ "nice", true, 0 },
	{ "mlock", false, 0 },
	{ "cpu-affinity", true, 0 },
	{ "foreground", false, 'f' },
	{ "check", false, 'n' },
	{ "verbose", false, 'v' },
	{ NULL, false, 0 },
};

/* Quote at most 64 bytes of user input in a message. */
#define Q(s) (int)(strlen(s) > 64 ? 64 : strlen(s)), (s)

const char *vrrp_fmt_secs(char *buf, size_t len, uint64_t us)
{
	int n = snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, us / SEC, us % SEC);

	if (n < 0 || (size_t)n >= len)
		return buf;
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

int vrrp_parse_cpus(const char *s, cpu_set_t *set, struct hk_err *e)
{
	const char *p = s;

	CPU_ZERO(set);
	for (;;) {
		char *end;
		unsigned long lo, hi;

		if (*p < '0' || *p > '9')
			goto bad;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				goto bad;
			hi = strtoul(p, &end, 10);
		}
		if (lo > hi || hi >= CPU_SETSIZE)
			return hk_err_set(e, ERANGE, "'%.*s': CPUs are numbered 0-%d, low to high",
					  Q(s), CPU_SETSIZE - 1);
		for (unsigned long c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (*end == '\0')
			return 0;
		if (*end != ',')
			goto bad;
		p = end + 1;
	}
bad:
	return hk_err_set(e, EINVAL, "'%.*s' is not a list of CPUs (0,2 or 0-3)", Q(s));
}

void vrrp_fmt_cpus(char *buf, size_t len, const cpu_set_t *set)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int end = c;

		if (!CPU_ISSET(c, set))
			continue;
		while (end + 1 < CPU_SETSIZE && CPU_ISSET(end + 1, set))
			end++;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, end > c ? "%s%d-%d" : "%s%d",
						off ? "," : "", c, end);
		c = end;
	}
}

void vrrp_conf_init(struct vrrp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->priority = 100;
	c->adver_int_us = SEC;
	c->preempt = true;
	c->garp_delay_us = 5 * SEC;
	c->garp_repeat = 5;
	c->hook_timeout_us = 30 * SEC;
	c->accept = -1;
	/* keepalived's default is 10 ms: a few scheduler ticks, which its
	 * own VRRP process overruns here (killed on start-up under
	 * vrrp_rt_priority).  0.1 s still stops a runaway. */
	c->rttime_us = 100000;
}

void vrrp_cmd_free(struct vrrp_cmd *cmd)
{
	if (cmd->argv)
		for (int i = 0; i < cmd->argc; i++)
			free(cmd->argv[i]);
	free(cmd->argv);
	free(cmd->text);
	free(cmd->path);
	memset(cmd, 0, sizeof(*cmd));
}

void vrrp_conf_free(struct vrrp_conf *c)
{
	vrrp_cmd_free(&c->notify);
	vrrp_cmd_free(&c->notify_master);
	vrrp_cmd_free(&c->notify_backup);
	vrrp_cmd_free(&c->notify_fault);
	vrrp_cmd_free(&c->notify_stop);
	vrrp_cmd_free(&c->group_notify);
	for (size_t i = 0; i < c->nscripts; i++)
		vrrp_cmd_free(&c->scripts[i].cmd);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i].path);
	free(c->scripts);
	free(c->files);
	free(c->ifs);
	free(c->sync_dir);
	free(c->script_user);
	free(c->auth_file);
	free(c->state_file);
	free(c->dump_file);
	free(c->vips);
	free(c->adv_addrs);
	explicit_bzero(c->auth, sizeof(c->auth));
	memset(c, 0, sizeof(*c));
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

int vrrp_cmd_split(const char *s, struct vrrp_cmd *cmd, struct hk_err *e)
{
	size_t n = strlen(s);
	char *word = malloc(n + 1);
	char **argv = NULL;
	int argc = 0;
	const char *p = s;

	if (!word)
		return hk_err_set(e, ENOMEM, "out of memory");
	for (;;) {
		size_t w = 0;
		bool quoted = false, any = false;

		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		for (; *p && (quoted || !is_blank(*p)); p++) {
			if (*p == '"') {
				quoted = !quoted;
				any = true;
				continue;
			}
			word[w++] = *p;
			any = true;
		}
		if (quoted) {
			hk_err_set(e, EINVAL, "'%.*s' has an unterminated double quote", Q(s));
			goto fail;
		}
		if (!any)
			continue;
		word[w] = '\0';
		char **nv = realloc(argv, (size_t)(argc + 2) * sizeof(*argv));

		if (!nv || !(nv[argc] = strdup(word))) {
			if (nv)
				argv = nv;
			hk_err_set(e, ENOMEM, "out of memory");
			goto fail;
		}
		argv = nv;
		argv[++argc] = NULL;
	}
	free(word);
	if (argc == 0 || argv[0][0] == '\0') {
		word = NULL;
		hk_err_set(e, EINVAL, "'%.*s' is not a command", Q(s));
		goto fail;
	}
	vrrp_cmd_free(cmd);
	cmd->argv = argv;
	cmd->argc = argc;
	cmd->text = strdup(s);
	if (!cmd->text) {
		vrrp_cmd_free(cmd);
		return hk_err_set(e, ENOMEM, "out of memory");
	}
	return 0;
fail:
	free(word);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return -1;
}

/* "ADDR[/PLEN] [dev IF] [label LABEL]" */
static int parse_vip(const char *s, struct vrrp_vipconf *v, struct hk_err *e)
{
	char buf[512], *save = NULL, *tok;
	struct hk_err pe;

	memset(v, 0, sizeof(*v));
	if (strlen(s) >= sizeof(buf))
		return hk_err_set(e, EINVAL, "'%.*s...' is too long", Q(s));
	strcpy(buf, s);
	tok = strtok_r(buf, " \t", &save);
	if (!tok)
		return hk_err_set(e, EINVAL, "empty address (ADDR[/PLEN] [dev IF] [label LABEL])");
	if (hk_parse_prefix(tok, AF_UNSPEC, &v->pfx, &pe) < 0)
		return hk_err_set(e, errno, "%s", pe.msg);
	if (hk_addr_is_multicast(&v->pfx.addr) || hk_addr_is_unspecified(&v->pfx.addr))
		return hk_err_set(e, EINVAL, "'%.*s' cannot be a virtual address", Q(tok));
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *arg = strtok_r(NULL, " \t", &save);
		char *dst;

		if (strcmp(tok, "dev") == 0)
			dst = v->dev;
		else if (strcmp(tok, "label") == 0)
			dst = v->label;
		else
			return hk_err_set(e, EINVAL,
					  "unknown word '%.*s' in '%.*s' (ADDR[/PLEN] [dev IF] [label LABEL])",
					  Q(tok), Q(s));
		if (!arg)
			return hk_err_set(e, EINVAL, "'%s' needs a value in '%.*s'", tok, Q(s));
		if (dst[0])
			return hk_err_set(e, EINVAL, "'%s' given twice in '%.*s'", tok, Q(s));
		if (strlen(arg) >= IFNAMSIZ)
			return hk_err_set(e, ENAMETOOLONG, "%s '%.*s' is longer than %d bytes", tok,
					  Q(arg), IFNAMSIZ - 1);
		if (dst == v->dev && hk_parse_ifname(arg, NULL, &pe) < 0)
			return hk_err_set(e, errno, "%s", pe.msg);
		strcpy(dst, arg);
	}
	if (v->label[0] && v->pfx.addr.family != AF_INET)
		return hk_err_set(e, EINVAL, "'%.*s': labels exist only for IPv4 addresses", Q(s));
	return 0;
}

static int set_string(char **dst, const char *value, struct hk_err *e)
{
	char *s;

	if (value[0] == '\0')
		return hk_err_set(e, EINVAL, "empty path");
	s = strdup(value);
	if (!s)
		return hk_err_set(e, ENOMEM, "out of memory");
	free(*dst);
	*dst = s;
	return 0;
}

/* A file the daemon opens again after start-up: daemon(3) moves it to
 * "/", and a relative name would then mean another file. */
static int set_abs_path(char **dst, const char *value, struct hk_err *e)
{
	if (value[0] != '\0' && value[0] != '/')
		return hk_err_set(e, EINVAL, "'%.*s' is not an absolute path", Q(value));
	return set_string(dst, value, e);
}

static int set_secs(uint64_t *dst, const char *value, uint64_t min, uint64_t max,
		    struct hk_err *e)
{
	return hk_parse_secs(value, min, max, dst, e);
}

static int set_byte(uint8_t *dst, const char *value, uint64_t min, uint64_t max,
		    struct hk_err *e)
{
	uint64_t v;

	if (hk_parse_uint(value, min, max, &v, e) < 0)
		return -1;
	*dst = (uint8_t)v;
	return 0;
}

bool vrrp_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > VRRP_NAME_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.:@+-", *s))
			return false;
	return true;
}


int vrrp_split_weight(char *s, int max, int *weight, bool *has_weight, struct hk_err *e)
{
	char *colon = strrchr(s, ':');
	const char *w;
	int64_t v;

	*has_weight = false;
	*weight = 0;
	if (!colon)
		return 0;
	w = colon + 1;
	if (*w == '-' || *w == '+')
		w++;
	if (!*w || strspn(w, "0123456789") != strlen(w))
		return 0;	/* not a weight: part of the name */
	if (hk_parse_int(colon[1] == '+' ? colon + 2 : colon + 1, -max, max, &v, e) < 0)
		return -1;
	*colon = '\0';
	*weight = (int)v;
	*has_weight = true;
	return 0;
}

/* Room for one more element in the array at *p of n elements. */
static int grow(void **p, size_t n, size_t size, struct hk_err *e)
{
	void *np = realloc(*p, (n + 1) * size);

	if (!np)
		return hk_err_set(e, ENOMEM, "out of memory");
	*p = np;
	return 0;
}

/* The most recent --track-script, for the options that qualify it. */
static struct vrrp_track_script_conf *last_script(struct vrrp_conf *c, const char *name,
						  struct hk_err *e)
{
	if (!c->nscripts) {
		hk_err_set(e, EINVAL, "applies to a --track-script: give one before --%s", name);
		return NULL;
	}
	return &c->scripts[c->nscripts - 1];
}

static int set_track(struct vrrp_conf *c, const char *name, const char *value,
		     struct hk_err *e)
{
	struct vrrp_track_script_conf *ts;
	uint64_t v;
	int64_t w;

	if (!strcmp(name, "track-interface")) {
		struct vrrp_track_if_conf t = { 0 };
		char buf[64];

		if (strlen(value) >= sizeof(buf))
			return hk_err_set(e, EINVAL, "'%.*s' is too long", Q(value));
		strcpy(buf, value);
		if (vrrp_split_weight(buf, 254, &t.weight, &t.has_weight, e) < 0 ||
		    hk_parse_ifname(buf, NULL, e) < 0)
			return -1;
		for (size_t i = 0; i < c->nifs; i++)
			if (!strcmp(c->ifs[i].name, buf))
				return hk_err_set(e, EEXIST, "'%s' is given twice", buf);
		if (c->nifs == VRRP_MAX_TRACKS)
			return hk_err_set(e, E2BIG, "more than %d tracked interfaces", VRRP_MAX_TRACKS);
		if (grow((void **)&c->ifs, c->nifs, sizeof(*c->ifs), e) < 0)
			return -1;
		strcpy(t.name, buf);
		c->ifs[c->nifs++] = t;
	} else if (!strcmp(name, "track-file")) {
		struct vrrp_track_file_conf t = { 0 };

		if (c->nfiles == VRRP_MAX_TRACKS)
			return hk_err_set(e, E2BIG, "more than %d tracked files", VRRP_MAX_TRACKS);
		if (!(t.path = strdup(value)))
			return hk_err_set(e, ENOMEM, "out of memory");
		if (vrrp_split_weight(t.path, 254, &t.weight, &t.has_weight, e) < 0)
			goto bad_file;
		if (t.path[0] != '/') {
			hk_err_set(e, EINVAL, "'%.*s' is not an absolute path", Q(t.path));
			goto bad_file;
		}
		if (t.path[strlen(t.path) - 1] == '/') {
			hk_err_set(e, EINVAL, "'%.*s' names a directory", Q(t.path));
			goto bad_file;
		}
		for (size_t i = 0; i < c->nfiles; i++)
			if (!strcmp(c->files[i].path, t.path)) {
				hk_err_set(e, EEXIST, "'%.*s' is given twice", Q(t.path));
				goto bad_file;
			}
		if (grow((void **)&c->files, c->nfiles, sizeof(*c->files), e) < 0)
			goto bad_file;
		c->files[c->nfiles++] = t;
		return 0;
bad_file:
		free(t.path);
		return -1;
	} else if (!strcmp(name, "track-script")) {
		struct vrrp_track_script_conf t = { .interval_us = SEC, .rise = 1, .fall = 1 };

		if (c->nscripts == VRRP_MAX_TRACKS)
			return hk_err_set(e, E2BIG, "more than %d track scripts", VRRP_MAX_TRACKS);
		if (grow((void **)&c->scripts, c->nscripts, sizeof(*c->scripts), e) < 0 ||
		    vrrp_cmd_split(value, &t.cmd, e) < 0)
			return -1;
		c->scripts[c->nscripts++] = t;
	} else if (!(ts = last_script(c, name, e))) {
		return -1;
	} else if (!strcmp(name, "track-interval")) {
		return hk_parse_secs(value, 10000, 86400 * SEC, &ts->interval_us, e);
	} else if (!strcmp(name, "track-timeout")) {
		return hk_parse_secs(value, 1000, 86400 * SEC, &ts->timeout_us, e);
	} else if (!strcmp(name, "track-weight")) {
		if (hk_parse_int(value, -253, 253, &w, e) < 0)
			return -1;
		ts->weight = (int)w;
	} else if (!strcmp(name, "track-rise") || !strcmp(name, "track-fall")) {
		if (hk_parse_uint(value, 1, 1000, &v, e) < 0)
			return -1;
		if (name[6] == 'r')
			ts->rise = (unsigned)v;
		else
			ts->fall = (unsigned)v;
	}
	return 0;
}

int vrrp_conf_set(struct vrrp_conf *c, const char *name, const char *value,
		  struct hk_err *e)
{
	const struct vrrp_optdef *d;
	uint64_t v;

	for (d = vrrp_optdefs; d->name && strcmp(d->name, name) != 0; d++)
		;
	if (!d->name)
		return hk_err_set(e, EINVAL, "unknown option '%.*s'", Q(name));
	if (d->has_arg && !value)
		return hk_err_set(e, EINVAL, "needs a value");
	if (!d->has_arg && value)
		return hk_err_set(e, EINVAL, "takes no value (got '%.*s')", Q(value));
	/* Every value must survive a round trip through a --config file. */
	if (value && strpbrk(value, "\n\r"))
		return hk_err_set(e, EINVAL, "'%.*s' contains a line break", Q(value));

	if (!strcmp(name, "interface")) {
		if (hk_parse_ifname(value, NULL, e) < 0)
			return -1;
		strcpy(c->ifname, value);
	} else if (!strcmp(name, "vrid")) {
		return set_byte(&c->vrid, value, 1, 255, e);
	} else if (!strcmp(name, "vip")) {
		struct vrrp_vipconf vip, *nv;

		if (parse_vip(value, &vip, e) < 0)
			return -1;
		for (size_t i = 0; i < c->nvips; i++)
			if (hk_addr_eq(&c->vips[i].pfx.addr, &vip.pfx.addr))
				return hk_err_set(e, EEXIST, "'%.*s' is given twice", Q(value));
		if (c->nvips == VRRP_MAX_VIPS)
			return hk_err_set(e, E2BIG, "more than %d addresses", VRRP_MAX_VIPS);
		nv = realloc(c->vips, (c->nvips + 1) * sizeof(*nv));
		if (!nv)
			return hk_err_set(e, ENOMEM, "out of memory");
		c->vips = nv;
		c->vips[c->nvips++] = vip;
	} else if (!strcmp(name, "priority")) {
		return set_byte(&c->priority, value, 1, 255, e);
	} else if (!strcmp(name, "advert-int")) {
		return set_secs(&c->adver_int_us, value, 10000, 255 * SEC, e);
	} else if (!strcmp(name, "version")) {
		return set_byte(&c->version, value, 2, 3, e);
	} else if (!strcmp(name, "no-preempt")) {
		c->preempt = false;
	} else if (!strcmp(name, "preempt-delay")) {
		return set_secs(&c->preempt_delay_us, value, 0, 1000 * SEC, e);
	} else if (!strcmp(name, "state")) {
		if (!strcasecmp(value, "master"))
			c->start_master = true;
		else if (!strcasecmp(value, "backup"))
			c->start_master = false;
		else
			return hk_err_set(e, EINVAL, "'%.*s' is neither backup nor master", Q(value));
	} else if (!strcmp(name, "auth-pass-file")) {
		return set_abs_path(&c->auth_file, value, e);
	} else if (!strcmp(name, "unicast-src")) {
		return hk_parse_addr(value, AF_UNSPEC, &c->unicast_src, e);
	} else if (!strcmp(name, "unicast-peer")) {
		struct hk_addr a;

		if (hk_parse_addr(value, AF_UNSPEC, &a, e) < 0)
			return -1;
		if (hk_addr_is_multicast(&a) || hk_addr_is_unspecified(&a))
			return hk_err_set(e, EINVAL, "'%.*s' is not a unicast address", Q(value));
		for (size_t i = 0; i < c->npeers; i++)
			if (hk_addr_eq(&c->peers[i], &a))
				return hk_err_set(e, EEXIST, "'%.*s' is given twice", Q(value));
		if (c->npeers == VRRP_MAX_PEERS)
			return hk_err_set(e, E2BIG, "more than %d peers", VRRP_MAX_PEERS);
		c->peers[c->npeers++] = a;
	} else if (!strcmp(name, "mcast-group")) {
		struct hk_addr a;

		if (hk_parse_addr(value, AF_UNSPEC, &a, e) < 0)
			return -1;
		if (!hk_addr_is_multicast(&a))
			return hk_err_set(e, EINVAL, "'%.*s' is not a multicast address", Q(value));
		c->mcast_group = a;
	} else if (!strcmp(name, "garp-delay")) {
		return set_secs(&c->garp_delay_us, value, 0, 1000 * SEC, e);
	} else if (!strcmp(name, "garp-repeat")) {
		if (hk_parse_uint(value, 0, 100, &v, e) < 0)
			return -1;
		c->garp_repeat = (unsigned)v;
	} else if (!strcmp(name, "garp-refresh")) {
		return set_secs(&c->garp_refresh_us, value, 0, 86400 * SEC, e);
	} else if (!strcmp(name, "notify")) {
		return vrrp_cmd_split(value, &c->notify, e);
	} else if (!strcmp(name, "notify-master")) {
		return vrrp_cmd_split(value, &c->notify_master, e);
	} else if (!strcmp(name, "notify-backup")) {
		return vrrp_cmd_split(value, &c->notify_backup, e);
	} else if (!strcmp(name, "notify-fault")) {
		return vrrp_cmd_split(value, &c->notify_fault, e);
	} else if (!strcmp(name, "notify-stop")) {
		return vrrp_cmd_split(value, &c->notify_stop, e);
	} else if (!strcmp(name, "hook-timeout")) {
		return set_secs(&c->hook_timeout_us, value, 10000, 3600 * SEC, e);
	} else if (!strcmp(name, "name")) {
		if (!vrrp_valid_name(value))
			return hk_err_set(e, EINVAL,
					  "'%.*s' is not a name (1-%d letters, digits and _.:@+-, not starting with . or -)",
					  Q(value), VRRP_NAME_MAX);
		strcpy(c->name, value);
	} else if (!strcmp(name, "state-file")) {
		return set_abs_path(&c->state_file, value, e);
	} else if (!strcmp(name, "dump-file")) {
		return set_abs_path(&c->dump_file, value, e);
	} else if (!strcmp(name, "v3-checksum-as-v2")) {
		c->v3_cksum_as_v2 = true;
	} else if (!strncmp(name, "track-", 6)) {
		return set_track(c, name, value, e);
	} else if (!strcmp(name, "sync-group")) {
		if (!vrrp_valid_name(value))
			return hk_err_set(e, EINVAL,
					  "'%.*s' is not a group name (1-%d letters, digits and _.:@+-, not starting with . or -)",
					  Q(value), VRRP_NAME_MAX);
		strcpy(c->sync_group, value);
	} else if (!strcmp(name, "sync-dir")) {
		return set_abs_path(&c->sync_dir, value, e);
	} else if (!strcmp(name, "group-notify")) {
		return vrrp_cmd_split(value, &c->group_notify, e);
	} else if (!strcmp(name, "vmac")) {
		c->vmac = true;
	} else if (!strcmp(name, "accept")) {
		c->accept = 1;
	} else if (!strcmp(name, "no-accept")) {
		c->accept = 0;
	} else if (!strcmp(name, "strict")) {
		c->strict = true;
	} else if (!strcmp(name, "script-user")) {
		if (!vrrp_user_name_ok(value))
			return hk_err_set(e, EINVAL, "'%.*s' is not a user name", Q(value));
		return set_string(&c->script_user, value, e);
	} else if (!strcmp(name, "allow-root-scripts")) {
		c->allow_root_scripts = true;
	} else if (!strcmp(name, "rt-priority")) {
		if (hk_parse_uint(value, 1, 99, &v, e) < 0)
			return -1;
		c->rt_priority = (int)v;
	} else if (!strcmp(name, "rlimit-rttime")) {
		c->rttime_given = true;
		return set_secs(&c->rttime_us, value, 1000, 60 * SEC, e);
	} else if (!strcmp(name, "nice")) {
		int64_t n;

		if (hk_parse_int(value, -20, 19, &n, e) < 0)
			return -1;
		c->nice = (int)n;
		c->nice_given = true;
	} else if (!strcmp(name, "mlock")) {
		c->mlock = true;
	} else if (!strcmp(name, "cpu-affinity")) {
		if (vrrp_parse_cpus(value, &c->cpus, e) < 0)
			return -1;
		c->cpus_given = true;
	} else if (!strcmp(name, "foreground")) {
		c->foreground = true;
	} else if (!strcmp(name, "check")) {
		c->check = true;
	} else if (!strcmp(name, "verbose")) {
		c->verbose++;
	}
	return 0;
}

int vrrp_conf_file(struct vrrp_conf *c, const char *path, struct hk_err *e)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;
	int r = 0;

	if (!f)
		return hk_err_set(e, errno, "--config: cannot open '%.*s': %s", Q(path),
				  strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *name, *value, *end;
		struct hk_err le;

		lineno++;
		if (n > LINE_MAX_LEN) {
			r = hk_err_set(e, E2BIG, "%.*s:%u: line longer than %d bytes", Q(path),
				       lineno, LINE_MAX_LEN);
			break;
		}
		if (memchr(line, '\0', (size_t)n)) {
			r = hk_err_set(e, EINVAL, "%.*s:%u: NUL byte in the line", Q(path), lineno);
			break;
		}
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		for (name = line; is_blank(*name); name++)
			;
		for (end = name + strlen(name); end > name && is_blank(end[-1]); end--)
			;
		*end = '\0';
		if (*name == '\0' || *name == '#')
			continue;
		for (value = name; *value && !is_blank(*value); value++)
			;
		if (*value) {
			*value++ = '\0';
			while (is_blank(*value))
				value++;
		}
		if (strcmp(name, "config") == 0) {
			r = hk_err_set(e, EINVAL, "%.*s:%u: config files do not nest", Q(path), lineno);
			break;
		}
		if (vrrp_conf_set(c, name, *value ? value : NULL, &le) < 0) {
			if (strncmp(le.msg, "unknown option", 14) == 0)
				r = hk_err_set(e, errno, "%.*s:%u: %s", Q(path), lineno, le.msg);
			else
				r = hk_err_set(e, errno, "%.*s:%u: %s: %s", Q(path), lineno, name,
					       le.msg);
			break;
		}
	}
	if (r == 0 && ferror(f))
		r = hk_err_set(e, EIO, "cannot read '%.*s'", Q(path));
	free(line);
	fclose(f);
	return r;
}

static int prefix_holds(const struct hk_prefix *p, const struct hk_addr *a)
{
	size_t full = p->plen / 8, rest = p->plen % 8;

	if (p->addr.family != a->family)
		return 0;
	if (memcmp(p->addr.bytes, a->bytes, full) != 0)
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((p->addr.bytes[full] & mask) != (a->bytes[full] & mask))
			return 0;
	}
	return 1;
}

int vrrp_pick_iface(const struct vrrp_ifaddr *list, size_t n, const struct hk_addr *vip)
{
	int best = -1;

	for (size_t i = 0; i < n; i++) {
		if (list[i].loopback || hk_addr_eq(&list[i].pfx.addr, vip) ||
		    !prefix_holds(&list[i].pfx, vip))
			continue;
		if (best < 0 || list[i].pfx.plen > list[best].pfx.plen)
			best = (int)i;
	}
	return best;
}

static unsigned mask_len(const struct sockaddr *sa)
{
	struct hk_addr m;
	unsigned n = 0;

	if (!sa || hk_addr_from_sockaddr(sa, &m, NULL) < 0)
		return 0;
	for (size_t i = 0; i < hk_addr_len(&m); i++)
		for (int b = 7; b >= 0 && (m.bytes[i] >> b & 1); b--)
			n++;
	return n;
}

/* The default interface: the one with an address in vip's subnet. */
static int default_iface(const struct hk_addr *vip, char *name, struct hk_err *e)
{
	struct ifaddrs *ifa, *p;
	struct vrrp_ifaddr *list = NULL;
	size_t n = 0;
	char a[HK_ADDRSTRLEN];
	int i;

	if (getifaddrs(&ifa) < 0)
		return hk_err_set(e, errno, "cannot list the interfaces: %s", strerror(errno));
	for (p = ifa; p; p = p->ifa_next) {
		struct vrrp_ifaddr *nl;

		if (!p->ifa_addr || (p->ifa_addr->sa_family != AF_INET &&
				     p->ifa_addr->sa_family != AF_INET6))
			continue;
		nl = realloc(list, (n + 1) * sizeof(*list));
		if (!nl)
			break;
		list = nl;
		memset(&list[n], 0, sizeof(list[n]));
		snprintf(list[n].name, sizeof(list[n].name), "%s", p->ifa_name);
		hk_addr_from_sockaddr(p->ifa_addr, &list[n].pfx.addr, NULL);
		list[n].pfx.plen = (uint8_t)mask_len(p->ifa_netmask);
		list[n].loopback = (p->ifa_flags & IFF_LOOPBACK) != 0;
		n++;
	}
	freeifaddrs(ifa);
	i = vrrp_pick_iface(list, n, vip);
	if (i >= 0)
		strcpy(name, list[i].name);
	free(list);
	if (i < 0)
		return hk_err_set(e, ENODEV,
				  "no interface has an address in the subnet of '%s'; give --interface",
				  hk_addr_str(vip, a));
	return 0;
}

/* argv[0] as an absolute path to an executable regular file. */
static int resolve_cmd(const char *opt, struct vrrp_cmd *cmd, struct hk_err *e)
{
	const char *prog = cmd->argv[0];
	char *buf = NULL, *real;
	struct stat st;

	if (!strchr(prog, '/')) {
		const char *path = getenv("PATH");
		const char *p = path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

		while (*p && !buf) {
			size_t len = strcspn(p, ":");

			if (len > 0 && asprintf(&buf, "%.*s/%s", (int)len, p, prog) >= 0 &&
			    !(access(buf, X_OK) == 0 && stat(buf, &st) == 0 && S_ISREG(st.st_mode))) {
				free(buf);
				buf = NULL;
			}
			p += len;
			if (*p == ':')
				p++;
		}
		if (!buf)
			return hk_err_set(e, ENOENT, "%s: '%.*s' is not found in PATH", opt, Q(prog));
		prog = buf;
	}
	int r = 0;

	if (stat(prog, &st) < 0)
		r = hk_err_set(e, errno, "%s: '%.*s': %s", opt, Q(prog), strerror(errno));
	else if (!S_ISREG(st.st_mode))
		r = hk_err_set(e, EINVAL, "%s: '%.*s' is not a regular file", opt, Q(prog));
	else if (access(prog, X_OK) < 0)
		r = hk_err_set(e, EACCES, "%s: '%.*s' is not executable", opt, Q(prog));
	else if (!(real = realpath(prog, NULL)))
		r = hk_err_set(e, errno, "%s: '%.*s': %s", opt, Q(prog), strerror(errno));
	if (r == 0) {
		free(cmd->path);
		cmd->path = real;
	}
	free(buf);
	return r;
}

/* The password: the file's first line without its newline, 1-8 bytes. */
static int read_auth(struct vrrp_conf *c, struct hk_err *e)
{
	char buf[64];
	int fd = open(c->auth_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;
	struct stat st;

	if (fd < 0)
		return hk_err_set(e, errno, "--auth-pass-file: cannot open '%.*s': %s",
				  Q(c->auth_file), strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return hk_err_set(e, errno, "--auth-pass-file: cannot read '%.*s': %s",
				  Q(c->auth_file), strerror(errno));
	}
	/* Only root may have written the password, and nobody else may
	 * read it. */
	if (!S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 077)) {
		close(fd);
		if (!S_ISREG(st.st_mode))
			return hk_err_set(e, EINVAL, "--auth-pass-file: '%.*s' is not a regular file",
					  Q(c->auth_file));
		if (st.st_uid != 0 && st.st_uid != geteuid())
			return hk_err_set(e, EPERM,
					  "--auth-pass-file: '%.*s' belongs to uid %u, not root",
					  Q(c->auth_file), (unsigned)st.st_uid);
		return hk_err_set(e, EPERM,
				  "--auth-pass-file: '%.*s' has mode %04o: others than its owner may use it (chmod 600)",
				  Q(c->auth_file), (unsigned)(st.st_mode & 07777));
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return hk_err_set(e, errno, "--auth-pass-file: cannot read '%.*s': %s",
				  Q(c->auth_file), strerror(errno));
	size_t len = strcspn(buf, "\n") < (size_t)n ? strcspn(buf, "\n") : (size_t)n;

	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0 || len > VRRP_AUTH_LEN || memchr(buf, '\0', len)) {
		explicit_bzero(buf, sizeof(buf));
		return hk_err_set(e, EINVAL,
				  "--auth-pass-file: '%.*s' must hold a password of 1-8 bytes on its first line",
				  Q(c->auth_file));
	}
	memset(c->auth, 0, sizeof(c->auth));
	memcpy(c->auth, buf, len);
	explicit_bzero(buf, sizeof(buf));
	c->have_auth = true;
	return 0;
}

static const char *family_word(int family)
{
	return family == AF_INET ? "IPv4" : "IPv6";
}

static int check_dir_of(const char *opt, const char *path, struct hk_err *e)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;
	int r = 0;

	if (!slash || slash == path)
		return 0;
	dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return hk_err_set(e, ENOMEM, "out of memory");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		r = hk_err_set(e, ENOENT, "%s: directory '%.*s' does not exist", opt, Q(dir));
	free(dir);
	return r;
}

void vrrp_vmac_name(const struct vrrp_conf *c, char name[IFNAMSIZ])
{
	snprintf(name, IFNAMSIZ, "%s.%u", c->family == AF_INET6 ? "vrrp6" : "vrrp", c->vrid);
}

/* The tracking options as a whole. */
static int finish_tracking(struct vrrp_conf *c, struct hk_err *e)
{
	struct hk_err pe;

	for (size_t i = 0; i < c->nifs; i++)
		if (hk_parse_ifname(c->ifs[i].name, &c->ifs[i].ifindex, &pe) < 0)
			return hk_err_set(e, errno, "--track-interface: %s", pe.msg);
	/* The file may come and go; the directory watched for it must be. */
	for (size_t i = 0; i < c->nfiles; i++)
		if (check_dir_of("--track-file", c->files[i].path, e) < 0)
			return -1;
	for (size_t i = 0; i < c->nscripts; i++) {
		struct vrrp_track_script_conf *t = &c->scripts[i];

		if (resolve_cmd("--track-script", &t->cmd, e) < 0)
			return -1;
		if (!t->timeout_us)
			t->timeout_us = t->interval_us;	/* as keepalived */
	}
	return 0;
}

/* --strict: what RFC 3768 and RFC 5798 allow, each refusal explained. */
static int finish_strict(struct vrrp_conf *c, struct hk_err *e)
{
	if (!c->strict)
		return 0;
	if (c->npeers)
		return hk_err_set(e, EINVAL,
				  "--strict: --unicast-peer is not allowed: the RFCs send adverts to the multicast group only");
	if (c->auth_file)
		return hk_err_set(e, EINVAL,
				  "--strict: --auth-pass-file is not allowed: RFC 5798 removed authentication, and RFC 3768's plain password protects nothing");
	if (c->version == 2 && c->nadv > VRRP_STRICT_MAX_VIPS_V2)
		return hk_err_set(e, E2BIG,
				  "--strict: %zu addresses in a VRRPv2 advert; RFC 3768 routers expect at most %d",
				  c->nadv, VRRP_STRICT_MAX_VIPS_V2);
	return 0;
}

/* The program as written when that is an absolute path (a symbolic
 * link on the way matters as much as what it points to). */
static const char *as_given(const struct vrrp_cmd *cmd)
{
	return cmd->argv[0][0] == '/' ? cmd->argv[0] : cmd->path;
}

/*
 * Whom hooks and track scripts run as, and whether they are safe to run:
 * root only when asked for, and never a program that someone other than
 * root could change (keepalived's enable_script_security).
 */
static int finish_scripts(struct vrrp_conf *c, struct hk_err *e)
{
	struct vrrp_cmd *cmds[] = { &c->notify, &c->notify_master, &c->notify_backup,
				    &c->notify_fault, &c->notify_stop, &c->group_notify };
	const char *opts[] = { "--notify", "--notify-master", "--notify-backup",
			       "--notify-fault", "--notify-stop", "--group-notify" };
	const char *user = c->script_user;
	uid_t me = geteuid();

	c->have_scripts = c->nscripts > 0;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		c->have_scripts |= cmds[i]->argv != NULL;
	if (!c->have_scripts)
		return 0;
	if (me != 0) {
		/* Nothing to drop to: they run as whoever runs vrrpd. */
		c->script_uid = (uint32_t)me;
		c->script_gid = (uint32_t)getegid();
		return 0;
	}
	if (!user) {
		if (vrrp_user_lookup(VRRP_PASSWD, VRRP_SCRIPT_USER, &c->script_uid,
				     &c->script_gid) == 0)
			user = VRRP_SCRIPT_USER;
		else if (!c->allow_root_scripts)
			return hk_err_set(e, EPERM,
					  "hooks and track scripts would run as root: create the system user '%s', give --script-user USER, or --allow-root-scripts",
					  VRRP_SCRIPT_USER);
		else
			c->script_uid = c->script_gid = 0;
	} else if (vrrp_user_lookup(VRRP_PASSWD, user, &c->script_uid, &c->script_gid) < 0) {
		return hk_err_set(e, ENOENT, "--script-user: no user '%.*s' in %s", Q(user),
				  VRRP_PASSWD);
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i]->path && vrrp_path_safe(opts[i], as_given(cmds[i]), e) < 0)
			return -1;
	for (size_t i = 0; i < c->nscripts; i++)
		if (vrrp_path_safe("--track-script", as_given(&c->scripts[i].cmd), e) < 0)
			return -1;
	return 0;
}

int vrrp_conf_finish(struct vrrp_conf *c, struct hk_err *e)
{
	char a[HK_ADDRSTRLEN], s[32], vmac[IFNAMSIZ];
	struct hk_err pe;
	struct vrrp_cmd *cmds[] = { &c->notify, &c->notify_master, &c->notify_backup,
				    &c->notify_fault, &c->notify_stop };
	const char *cmd_opts[] = { "--notify", "--notify-master", "--notify-backup",
				   "--notify-fault", "--notify-stop" };
	size_t max;

	if (!c->vrid)
		return hk_err_set(e, EINVAL, "--vrid is required (1-255)");
	if (!c->nvips)
		return hk_err_set(e, EINVAL, "at least one --vip is required");
	if (c->cpus_given) {
		long n = sysconf(_SC_NPROCESSORS_CONF);

		for (int k = 0; n > 0 && k < CPU_SETSIZE; k++)
			if (CPU_ISSET(k, &c->cpus) && k >= n)
				return hk_err_set(e, ERANGE,
						  "--cpu-affinity: there is no CPU %d here (CPUs 0-%ld)", k,
						  n - 1);
	}
	if (c->rttime_given && !c->rt_priority)
		return hk_err_set(e, EINVAL,
				  "--rlimit-rttime limits real-time scheduling: it needs --rt-priority");
	c->family = c->vips[0].pfx.addr.family;

	if (!c->ifname[0] && default_iface(&c->vips[0].pfx.addr, c->ifname, e) < 0)
		return -1;
	if (hk_parse_ifname(c->ifname, &c->ifindex, &pe) < 0)
		return hk_err_set(e, errno, "--interface: %s", pe.msg);

	/* The version and its interval. */
	if (c->family == AF_INET6) {
		if (c->version == 2)
			return hk_err_set(e, EINVAL, "--version 2 is IPv4 only; IPv6 needs VRRPv3");
		c->version = 3;
	} else if (!c->version) {
		c->version = 2;
	}
	if (c->version == 2 &&
	    (c->adver_int_us % SEC || c->adver_int_us > VRRP_V2_MAX_INT * SEC))
		return hk_err_set(e, EINVAL,
				  "--advert-int '%s': VRRPv2 intervals are whole seconds 1-255 (fractions need --version 3)",
				  vrrp_fmt_secs(s, sizeof(s), c->adver_int_us));
	if (c->version == 3 &&
	    (c->adver_int_us % 10000 || c->adver_int_us > VRRP_V3_MAX_INT * (uint64_t)10000))
		return hk_err_set(e, EINVAL,
				  "--advert-int '%s': VRRPv3 intervals are hundredths of a second, 0.01-40.95",
				  vrrp_fmt_secs(s, sizeof(s), c->adver_int_us));

	/* Addresses: each must fit the instance. */
	free(c->adv_addrs);
	c->adv_addrs = calloc(c->nvips, sizeof(*c->adv_addrs));
	if (!c->adv_addrs)
		return hk_err_set(e, ENOMEM, "out of memory");
	c->nadv = 0;
	strcpy(c->base_ifname, c->ifname);
	c->base_ifindex = c->ifindex;
	vrrp_vmac_name(c, vmac);
	for (size_t i = 0; i < c->nvips; i++) {
		struct vrrp_vipconf *v = &c->vips[i];
		const char *dev = v->dev[0] ? v->dev : c->vmac ? vmac : c->ifname;

		/* The VMAC interface is made at start-up: its VIPs get their
		 * index then. */
		v->ifindex = 0;
		if ((v->dev[0] || !c->vmac) && hk_parse_ifname(dev, &v->ifindex, &pe) < 0)
			return hk_err_set(e, errno, "--vip %s: %s", hk_addr_str(&v->pfx.addr, a),
					  pe.msg);
		if (v->label[0] && strncmp(v->label, dev, strlen(dev)) != 0)
			return hk_err_set(e, EINVAL,
					  "--vip %s: label '%s' must start with the interface name '%s'",
					  hk_addr_str(&v->pfx.addr, a), v->label, dev);
		if (v->pfx.addr.family == c->family)
			c->adv_addrs[c->nadv++] = v->pfx.addr;
	}
	max = c->family == AF_INET ? VRRP_MAX_ADDRS_V4 : VRRP_MAX_ADDRS_V6;
	if (c->nadv > max)
		return hk_err_set(e, E2BIG, "%zu %s addresses do not fit one advert (at most %zu)",
				  c->nadv, family_word(c->family), max);

	if (c->unicast_src.family && c->unicast_src.family != c->family)
		return hk_err_set(e, EINVAL, "--unicast-src '%s' is not %s like the first --vip",
				  hk_addr_str(&c->unicast_src, a), family_word(c->family));
	for (size_t i = 0; i < c->npeers; i++)
		if (c->peers[i].family != c->family)
			return hk_err_set(e, EINVAL,
					  "--unicast-peer '%s' is not %s like the first --vip",
					  hk_addr_str(&c->peers[i], a), family_word(c->family));
	if (c->mcast_group.family && c->mcast_group.family != c->family)
		return hk_err_set(e, EINVAL, "--mcast-group '%s' is not %s like the first --vip",
				  hk_addr_str(&c->mcast_group, a), family_word(c->family));
	if (!c->mcast_group.family) {
		c->mcast_group.family = (sa_family_t)c->family;
		inet_pton(c->family, c->family == AF_INET ? "224.0.0.18" : "ff02::12",
			  c->mcast_group.bytes);
	}

	if (c->auth_file) {
		if (c->version != 2)
			return hk_err_set(e, EINVAL,
					  "--auth-pass-file: VRRPv3 has no authentication (RFC 5798); it needs --version 2");
		if (read_auth(c, e) < 0)
			return -1;
	}
	if (c->v3_cksum_as_v2 && (c->version != 3 || c->family != AF_INET))
		return hk_err_set(e, EINVAL, "--v3-checksum-as-v2 applies to VRRPv3 over IPv4 only");

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i]->argv && resolve_cmd(cmd_opts[i], cmds[i], e) < 0)
			return -1;
	if (c->group_notify.argv && !c->sync_group[0])
		return hk_err_set(e, EINVAL, "--group-notify needs --sync-group");
	if (c->group_notify.argv && resolve_cmd("--group-notify", &c->group_notify, e) < 0)
		return -1;
	if (finish_tracking(c, e) < 0 || finish_strict(c, e) < 0 || finish_scripts(c, e) < 0)
		return -1;
	/* keepalived's default: accept mode unless strict.  The address
	 * owner always accepts (RFC 5798 6.4.3). */
	c->accept_mode = c->accept >= 0 ? c->accept == 1 : !c->strict;
	if (c->priority == VRRP_PRIO_OWNER)
		c->accept_mode = true;

	if (!c->name[0])
		snprintf(c->name, sizeof(c->name), "%s-%u", c->ifname, c->vrid);
	if (!c->dump_file) {
		char buf[sizeof("/run/hakit/vrrpd-.json") + VRRP_NAME_MAX];

		snprintf(buf, sizeof(buf), "/run/hakit/vrrpd-%s.json", c->name);
		c->dump_file = strdup(buf);
		if (!c->dump_file)
			return hk_err_set(e, ENOMEM, "out of memory");
	} else if (check_dir_of("--dump-file", c->dump_file, e) < 0) {
		return -1;
	}
	if (c->state_file && check_dir_of("--state-file", c->state_file, e) < 0)
		return -1;
	if (c->sync_group[0]) {
		const char *dir = c->sync_dir ? c->sync_dir : VRRP_SYNC_DIR;
		struct sockaddr_un sun;

		/* DIR/GROUP/NAME.sock must fit a socket address. */
		if (strlen(dir) + strlen(c->sync_group) + strlen(c->name) + 7 > sizeof(sun.sun_path))
			return hk_err_set(e, ENAMETOOLONG,
					  "--sync-dir '%.*s': '%s/%s/%s.sock' is longer than a socket path (%zu bytes)",
					  Q(dir), "...", c->sync_group, c->name, sizeof(sun.sun_path) - 1);
	}
	return 0;
}

void vrrp_conf_print(FILE *f, const struct vrrp_conf *c)
{
	char a[HK_ADDRSTRLEN], s[32];

	fprintf(f, "# vrrpd instance %s\n", c->name);
	fprintf(f, "name %s\n", c->name);
	fprintf(f, "interface %s\n", c->ifname);
	fprintf(f, "vrid %u\n", c->vrid);
	fprintf(f, "version %u\n", c->version);
	fprintf(f, "priority %u\n", c->priority);
	fprintf(f, "advert-int %s\n", vrrp_fmt_secs(s, sizeof(s), c->adver_int_us));
	fprintf(f, "state %s\n", c->start_master ? "master" : "backup");
	if (!c->preempt)
		fprintf(f, "no-preempt\n");
	fprintf(f, "preempt-delay %s\n", vrrp_fmt_secs(s, sizeof(s), c->preempt_delay_us));
	for (size_t i = 0; i < c->nvips; i++) {
		const struct vrrp_vipconf *v = &c->vips[i];

		fprintf(f, "vip %s/%u", hk_addr_str(&v->pfx.addr, a), v->pfx.plen);
		fprintf(f, " dev %s", v->dev[0] ? v->dev : c->ifname);
		if (v->label[0])
			fprintf(f, " label %s", v->label);
		fprintf(f, "\n");
	}
	if (c->auth_file)
		fprintf(f, "auth-pass-file %s\n", c->auth_file);
	if (c->unicast_src.family)
		fprintf(f, "unicast-src %s\n", hk_addr_str(&c->unicast_src, a));
	for (size_t i = 0; i < c->npeers; i++)
		fprintf(f, "unicast-peer %s\n", hk_addr_str(&c->peers[i], a));
	if (c->mcast_group.family)
		fprintf(f, "mcast-group %s\n", hk_addr_str(&c->mcast_group, a));
	if (c->v3_cksum_as_v2)
		fprintf(f, "v3-checksum-as-v2\n");
	fprintf(f, "garp-delay %s\n", vrrp_fmt_secs(s, sizeof(s), c->garp_delay_us));
	fprintf(f, "garp-repeat %u\n", c->garp_repeat);
	fprintf(f, "garp-refresh %s\n", vrrp_fmt_secs(s, sizeof(s), c->garp_refresh_us));
	if (c->notify.text)
		fprintf(f, "notify %s\n", c->notify.text);
	if (c->notify_master.text)
		fprintf(f, "notify-master %s\n", c->notify_master.text);
	if (c->notify_backup.text)
		fprintf(f, "notify-backup %s\n", c->notify_backup.text);
	if (c->notify_fault.text)
		fprintf(f, "notify-fault %s\n", c->notify_fault.text);
	if (c->notify_stop.text)
		fprintf(f, "notify-stop %s\n", c->notify_stop.text);
	fprintf(f, "hook-timeout %s\n", vrrp_fmt_secs(s, sizeof(s), c->hook_timeout_us));
	for (size_t i = 0; i < c->nifs; i++) {
		fprintf(f, "track-interface %s", c->ifs[i].name);
		if (c->ifs[i].has_weight)
			fprintf(f, ":%d", c->ifs[i].weight);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		fprintf(f, "track-file %s", c->files[i].path);
		if (c->files[i].has_weight)
			fprintf(f, ":%d", c->files[i].weight);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < c->nscripts; i++) {
		const struct vrrp_track_script_conf *t = &c->scripts[i];

		fprintf(f, "track-script %s\n", t->cmd.text);
		fprintf(f, "track-interval %s\n", vrrp_fmt_secs(s, sizeof(s), t->interval_us));
		fprintf(f, "track-timeout %s\n", vrrp_fmt_secs(s, sizeof(s), t->timeout_us));
		fprintf(f, "track-weight %d\n", t->weight);
		fprintf(f, "track-rise %u\ntrack-fall %u\n", t->rise, t->fall);
	}
	if (c->sync_group[0]) {
		fprintf(f, "sync-group %s\n", c->sync_group);
		fprintf(f, "sync-dir %s\n", c->sync_dir ? c->sync_dir : VRRP_SYNC_DIR);
	}
	if (c->group_notify.text)
		fprintf(f, "group-notify %s\n", c->group_notify.text);
	if (c->vmac)
		fprintf(f, "vmac\n");
	fprintf(f, "%s\n", c->accept_mode ? "accept" : "no-accept");
	if (c->strict)
		fprintf(f, "strict\n");
	if (c->script_user)
		fprintf(f, "script-user %s\n", c->script_user);
	if (c->allow_root_scripts)
		fprintf(f, "allow-root-scripts\n");
	if (c->rt_priority) {
		fprintf(f, "rt-priority %d\n", c->rt_priority);
		fprintf(f, "rlimit-rttime %s\n", vrrp_fmt_secs(s, sizeof(s), c->rttime_us));
	}
	if (c->nice_given)
		fprintf(f, "nice %d\n", c->nice);
	if (c->mlock)
		fprintf(f, "mlock\n");
	if (c->cpus_given) {
		char cpus[256];

		vrrp_fmt_cpus(cpus, sizeof(cpus), &c->cpus);
		fprintf(f, "cpu-affinity %s\n", cpus);
	}
	if (c->state_file)
		fprintf(f, "state-file %s\n", c->state_file);
	fprintf(f, "dump-file %s\n", c->dump_file);
}
