/* vipctl: parsing a command's words, for the command line and batches. */
#include "vipctl.h"
#include "clock.h"

#include <linux/if_addr.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_GARP_COUNT 1000
#define MAX_GARP_INTERVAL_US (60 * HK_USEC_PER_SEC)

static const struct {
	const char *name;
	enum vip_verb verb;
} verbs[] = {
	{ "add", VIP_ADD },
	{ "del", VIP_DEL },
	{ "delete", VIP_DEL },
	{ "list", VIP_LIST },
	{ "show", VIP_LIST },
	{ "garp", VIP_GARP },
};

static int parse_dev(const char *s, struct vip_cmd *c, struct hk_err *e)
{
	/* A batch names the same interface line after line; looking it up
	 * each time costs three system calls a line. */
	static char last[IFNAMSIZ];
	static unsigned last_index;

	if (last_index && strcmp(s, last) == 0) {
		c->vip.ifindex = last_index;
	} else {
		if (hk_parse_ifname(s, &c->vip.ifindex, e) < 0)
			return -1;
		snprintf(last, sizeof(last), "%s", s);
		last_index = c->vip.ifindex;
	}
	snprintf(c->dev, sizeof(c->dev), "%s", s);
	return 0;
}

int vip_parse_cmd(int argc, char **argv, struct vip_cmd *c, struct hk_err *e)
{
	size_t i;
	int a = 1;
	const char *addr = NULL, *label = NULL;

	memset(c, 0, sizeof(*c));
	c->count = 1;
	c->interval_us = HK_USEC_PER_SEC / 10;
	if (argc < 1)
		return hk_err_set(e, EINVAL, "missing command (add, del, list, garp)");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[0], verbs[i].name) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return hk_err_set(e, EINVAL, "unknown command '%.64s' (add, del, list, garp)",
				  argv[0]);
	c->verb = verbs[i].verb;

	if (c->verb != VIP_LIST) {
		if (a >= argc)
			return hk_err_set(e, EINVAL, "%s: missing address", argv[0]);
		addr = argv[a++];
	}
	while (a < argc) {
		const char *w = argv[a++];
		const char *v = a < argc ? argv[a] : NULL;
		int takes_value = strcmp(w, "dev") == 0 || strcmp(w, "label") == 0 ||
				  strcmp(w, "--count") == 0 || strcmp(w, "--interval") == 0;

		if (takes_value && !v)
			return hk_err_set(e, EINVAL, "%s: '%s' needs a value", argv[0], w);
		if (strcmp(w, "dev") == 0) {
			if (parse_dev(v, c, e) < 0)
				return -1;
		} else if (strcmp(w, "label") == 0 && c->verb == VIP_ADD) {
			label = v;
		} else if (strcmp(w, "--json") == 0 && c->verb == VIP_LIST) {
			c->json = true;
			continue;
		} else if (strcmp(w, "--force") == 0 && c->verb == VIP_GARP) {
			c->force = true;
			continue;
		} else if (strcmp(w, "--count") == 0 && c->verb == VIP_GARP) {
			uint64_t n;
			struct hk_err why;

			if (hk_parse_uint(v, 1, MAX_GARP_COUNT, &n, &why) < 0)
				return hk_err_set(e, errno, "--count: %s", why.msg);
			c->count = (unsigned)n;
		} else if (strcmp(w, "--interval") == 0 && c->verb == VIP_GARP) {
			struct hk_err why;

			if (hk_parse_secs(v, 0, MAX_GARP_INTERVAL_US, &c->interval_us, &why) < 0)
				return hk_err_set(e, errno, "--interval: %s", why.msg);
		} else {
			return hk_err_set(e, EINVAL, "%s: unexpected '%.64s'", argv[0], w);
		}
		a++;
	}

	if (c->verb == VIP_LIST)
		return 0;
	if (!c->vip.ifindex)
		return hk_err_set(e, EINVAL, "%s: missing 'dev IF'", argv[0]);
	if (c->verb == VIP_GARP) {
		if (hk_parse_addr(addr, AF_UNSPEC, &c->vip.pfx.addr, e) < 0)
			return -1;
		c->vip.pfx.plen = c->vip.pfx.addr.family == AF_INET ? 32 : 128;
		return 0;
	}
	if (hk_parse_prefix(addr, AF_UNSPEC, &c->vip.pfx, e) < 0)
		return -1;
	c->have_plen = strchr(addr, '/') != NULL;
	if (hk_addr_is_multicast(&c->vip.pfx.addr) || hk_addr_is_unspecified(&c->vip.pfx.addr))
		return hk_err_set(e, EINVAL, "'%.64s' is not a unicast address", addr);
	if (c->vip.pfx.addr.family == AF_INET6)
		/* A VIP must work the moment it moves: no duplicate address
		 * detection, which would hold it back a second or more. */
		c->vip.flags = IFA_F_NODAD;
	if (label) {
		size_t dl = strlen(c->dev);

		if (c->vip.pfx.addr.family != AF_INET)
			return hk_err_set(e, EINVAL, "label '%.64s': labels are for IPv4 addresses only",
					  label);
		if (strlen(label) >= IFNAMSIZ)
			return hk_err_set(e, ENAMETOOLONG, "label '%.64s' is longer than %d bytes",
					  label, IFNAMSIZ - 1);
		/* The kernel shows a label as an alias of the interface;
		 * iproute2 insists on the prefix, and so do we. */
		if (strncmp(label, c->dev, dl) != 0 || (label[dl] != '\0' && label[dl] != ':'))
			return hk_err_set(e, EINVAL, "label '%s' must be '%s' or start with '%s:'",
					  label, c->dev, c->dev);
		snprintf(c->vip.label, sizeof(c->vip.label), "%s", label);
	}
	return 0;
}

int vip_split_line(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
}
