#include "priv.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define Q(s) (int)(strlen(s) > 64 ? 64 : strlen(s)), (s)

bool vrrp_user_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 32 || name[0] == '-')
		return false;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && !strchr("._-", *name))
			return false;
	return true;
}

int vrrp_user_lookup(const char *path, const char *name, uint32_t *uid, uint32_t *gid)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0, len = strlen(name);
	int found = 0;

	if (!f)
		return -1;
	while (!found && getline(&line, &cap, f) >= 0) {
		char *fields[4], *p = line;
		uint64_t u, g;
		int i;

		if (strncmp(line, name, len) != 0 || line[len] != ':')
			continue;
		for (i = 0; i < 4 && p; i++) {
			fields[i] = p;
			p = strchr(p, ':');
			if (p)
				*p++ = '\0';
		}
		/* name:password:uid:gid: anything less is not a user. */
		if (i < 4 || !p || hk_parse_uint(fields[2], 0, UINT32_MAX - 1, &u, NULL) < 0 ||
		    hk_parse_uint(fields[3], 0, UINT32_MAX - 1, &g, NULL) < 0)
			continue;
		*uid = (uint32_t)u;
		*gid = (uint32_t)g;
		found = 1;
	}
	free(line);
	fclose(f);
	if (!found) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* One component: owned by root, written by nobody else. */
static int component_safe(const char *opt, const char *path, const char *comp, bool follow,
			  struct hk_err *e)
{
	struct stat st;

	if ((follow ? stat(comp, &st) : lstat(comp, &st)) < 0)
		return hk_err_set(e, errno, "%s: '%.*s': cannot check '%.*s': %s", opt, Q(path),
				  Q(comp), strerror(errno));
	if (S_ISLNK(st.st_mode))
		return 0;	/* what it points to is checked on the resolved path */
	if (st.st_uid != 0)
		return hk_err_set(e, EPERM,
				  "%s: '%.*s' is unsafe to run: '%.*s' belongs to uid %u, not root",
				  opt, Q(path), Q(comp), (unsigned)st.st_uid);
	if ((st.st_mode & S_IWOTH) && !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)))
		return hk_err_set(e, EPERM,
				  "%s: '%.*s' is unsafe to run: everyone may write '%.*s'",
				  opt, Q(path), Q(comp));
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0 &&
	    !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)))
		return hk_err_set(e, EPERM,
				  "%s: '%.*s' is unsafe to run: group %u may write '%.*s'",
				  opt, Q(path), (unsigned)st.st_gid, Q(comp));
	return 0;
}

/* Every prefix of path ("/", "/a", "/a/b", ...). */
static int walk(const char *opt, const char *orig, const char *path, bool follow,
		struct hk_err *e)
{
	size_t n = strlen(path);
	char *buf = malloc(n + 1);
	int r = 0;

	if (!buf)
		return hk_err_set(e, ENOMEM, "out of memory");
	strcpy(buf, path);
	r = component_safe(opt, orig, "/", true, e);
	for (size_t i = 1; r == 0 && i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char saved = buf[i];

		buf[i] = '\0';
		if (buf[i - 1] != '/')
			r = component_safe(opt, orig, buf, follow, e);
		buf[i] = saved;
	}
	free(buf);
	return r;
}

int vrrp_path_safe(const char *opt, const char *path, struct hk_err *e)
{
	char *real;
	int r;

	if (path[0] != '/')
		return hk_err_set(e, EINVAL, "%s: '%.*s' is not an absolute path", opt, Q(path));
	/* The directories as written (a symbolic link in a directory
	 * others may write could be replaced), then as resolved. */
	if (walk(opt, path, path, false, e) < 0)
		return -1;
	real = realpath(path, NULL);
	if (!real)
		return hk_err_set(e, errno, "%s: '%.*s': %s", opt, Q(path), strerror(errno));
	r = strcmp(real, path) == 0 ? 0 : walk(opt, path, real, true, e);
	free(real);
	return r;
}

static int last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int n = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &n) != 1 || n < 0 || n > 63)
			n = CAP_LAST_CAP;
		fclose(f);
	}
	return n;
}

int vrrp_caps_keep(const int *caps, size_t n, struct hk_err *e)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uint64_t keep = 0;

	/* Whatever it runs may never gain privileges (setuid programs,
	 * file capabilities). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return hk_err_set(e, errno, "cannot set no_new_privs: %s", strerror(errno));
	if (geteuid() != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		keep |= (uint64_t)1 << caps[i];
	/* The bounding set first: dropping from it needs CAP_SETPCAP,
	 * which goes next. */
	for (int c = 0; c <= last_cap(); c++)
		if (!(keep >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return hk_err_set(e, errno, "cannot drop capability %d: %s", c,
					  strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return hk_err_set(e, errno, "cannot clear the ambient capabilities: %s",
				  strerror(errno));
	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = (uint32_t)keep;
	data[1].effective = data[1].permitted = (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return hk_err_set(e, errno, "cannot set the capabilities: %s", strerror(errno));
	return 0;
}
