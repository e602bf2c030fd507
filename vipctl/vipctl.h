/* vipctl's commands, shared by main.c (dispatch, batch) and the verbs. */
#ifndef VIPCTL_H
#define VIPCTL_H

#include "parse.h"
#include "vip.h"

#include <stdbool.h>
#include <stdint.h>

enum vip_verb { VIP_ADD, VIP_DEL, VIP_LIST, VIP_GARP };

struct vip_cmd {
	enum vip_verb verb;
	struct hk_vip vip;	/* ifindex 0 for "list" over every interface */
	char dev[IFNAMSIZ];
	bool have_plen;		/* del: the user gave /PLEN */
	bool json;		/* list --json */
	bool force;		/* garp --force */
	unsigned count;		/* garp */
	uint64_t interval_us;	/* garp */
};

/* Tool-wide settings, passed to every verb. */
struct vip_ctx {
	struct hk_nl *nl;
	int garp_fd;		/* opened on first use */
	bool verbose;
	const char *where;	/* "FILE:LINE: " in a batch, else "" */
};

/*
 * Parse one command's words (without "vipctl"): argv[0] is the verb.
 * Checks syntax, bounds and that the interface exists.  Returns 0, or
 * -1 with a sentence in e naming the bad word.
 */
int vip_parse_cmd(int argc, char **argv, struct vip_cmd *c, struct hk_err *e);

/*
 * Split a batch line in place into at most max words on blanks; a word
 * starting with '#' ends the line.  Returns the number of words, or -1
 * if there are more than max.
 */
int vip_split_line(char *line, char **words, int max);

/*
 * Run a parsed command.  Returns 0 on success (including adding an
 * address already present or deleting an absent one), or 1 after
 * writing a one-line error naming what failed (a kernel refusal).
 */
int vip_run(struct vip_ctx *ctx, const struct vip_cmd *c);

#endif
