/*
 * What vrrpd may do once running, and whom its scripts run as: the
 * script user looked up, scripts checked as keepalived's
 * enable_script_security checks them, capabilities reduced to those the
 * protocol needs.
 */
#ifndef VRRP_PRIV_H
#define VRRP_PRIV_H

#include "parse.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_PASSWD "/etc/passwd"

/* A user name vrrpd accepts: 1-32 letters, digits, '.', '_', '-', not
 * starting with '-'. */
bool vrrp_user_name_ok(const char *name);

/*
 * Look name up in the passwd(5) file at path (local users only, as a
 * system user for scripts is).  Returns 0 with *uid and *gid, or -1 with
 * errno ENOENT (no such user) or fopen's.
 */
int vrrp_user_lookup(const char *path, const char *name, uint32_t *uid, uint32_t *gid);

/*
 * Is the program at path safe to run from a root daemon: the file and
 * every directory above it, along the path as given and along its
 * resolved form, owned by root and writable neither by a group other
 * than root's nor by everyone (sticky directories such as /tmp
 * excepted).  Returns 0, or -1 with "OPT: 'PATH' is unsafe: 'COMPONENT'
 * ..." in e.
 */
int vrrp_path_safe(const char *opt, const char *path, struct hk_err *e);

/*
 * Keep only the n capabilities in caps (CAP_* numbers), in the
 * permitted, effective and bounding sets, clear the inheritable and
 * ambient ones, and set no_new_privs.  Without root privileges, only
 * no_new_privs.  Returns 0, or -1 with e set.
 */
int vrrp_caps_keep(const int *caps, size_t n, struct hk_err *e);

#endif
