/*
 * Running a plan against the kernel as one transaction: every request
 * in order, in batches; at the first refusal, stop and put back the
 * services the plan touched as they were before it.
 *
 * The rollback is computed, not replayed: the table is read again and
 * apply's difference taken from it back to the snapshot the transaction
 * started from.  Replaying an inverse per request would be wrong in one
 * case batching allows -- a request after the refused one, in the same
 * batch, that succeeded on an object the refused one was to change
 * first -- and the difference is exact whatever happened.  Only the
 * services the transaction names are compared, so that what others
 * changed elsewhere meanwhile is left alone.
 */
#include "tx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sentence for a refusal, with the input line and the kernel's own
 * words when there are any. */
static void refusal(const struct ipvs_nl *nl, const struct ipvs_change *c, int err, char *buf,
		    size_t len)
{
	char s[512];
	const char *k = ipvs_nl_kmsg(nl);

	ipvs_change_error(c, err, s, sizeof(s));
	if (c->line)
		snprintf(buf, len, "line %u: %s%s%s%s", c->line, s, k[0] ? " (kernel: " : "", k,
			 k[0] ? ")" : "");
	else
		snprintf(buf, len, "%s%s%s%s", s, k[0] ? " (kernel: " : "", k, k[0] ? ")" : "");
}

/* The entries of t whose service is in keys (all of t if keys is NULL),
 * copied into out.  Returns 0 or -1 (ENOMEM). */
static int subset(const struct ipvs_table *t, const struct ipvs_table *keys,
		  struct ipvs_table *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->n; i++) {
		const struct ipvs_entry *e = &t->v[i];
		struct ipvs_entry *n;

		if (keys && !ipvs_table_find(keys, &e->svc))
			continue;
		n = ipvs_table_add(out, &e->svc);
		if (!n)
			return -1;
		for (size_t j = 0; j < e->ndests; j++)
			if (ipvs_entry_add_dest(n, &e->dests[j], 0) < 0)
				return -1;
	}
	return 0;
}

/* Put the touched services back as they were in orig.  Returns 0, or
 * -1 with a sentence in why. */
static int roll_back(struct ipvs_nl *nl, const struct ipvs_plan *todo,
		     const struct ipvs_table *orig, char *why, size_t len)
{
	struct ipvs_table now = { 0 }, keys = { 0 }, was = { 0 }, is = { 0 };
	struct ipvs_plan back = { 0 };
	bool all = false;
	int r, *res = NULL, rc = -1;

	for (size_t i = 0; i < todo->n && !all; i++) {
		if (todo->v[i].op == IPVS_OP_FLUSH)
			all = true;
		else if (!ipvs_table_add(&keys, &todo->v[i].svc))
			goto nomem;
	}
	r = ipvs_nl_get_table(nl, &now);
	if (r < 0) {
		snprintf(why, len, "cannot read the table back: %s", strerror(-r));
		goto out;
	}
	if (subset(orig, all ? NULL : &keys, &was) < 0 || subset(&now, all ? NULL : &keys, &is) < 0 ||
	    ipvs_plan_diff(&is, &was, true, &back) < 0)
		goto nomem;
	if (!back.n) {
		rc = 0;
		goto out;
	}
	res = calloc(back.n, sizeof(*res));
	if (!res)
		goto nomem;
	r = ipvs_nl_exec(nl, back.v, back.n, res, false);
	if (r < 0) {
		snprintf(why, len, "%s", strerror(-r));
		goto out;
	}
	for (size_t k = 0; k < back.n; k++)
		if (res[k] > 0) {
			ipvs_change_error(&back.v[k], res[k], why, len);
			goto out;
		}
	rc = 0;
	goto out;
nomem:
	snprintf(why, len, "out of memory");
out:
	free(res);
	ipvs_plan_free(&back);
	ipvs_table_free(&now);
	ipvs_table_free(&keys);
	ipvs_table_free(&was);
	ipvs_table_free(&is);
	return rc;
}

int ipvs_tx_run(struct ipvs_nl *nl, const struct ipvs_plan *todo, const struct ipvs_table *orig,
		char *msg, size_t len)
{
	int *res, r;
	size_t first = todo->n, made = 0, l;
	char why[512];

	msg[0] = '\0';
	if (!todo->n)
		return IPVS_TX_OK;
	res = calloc(todo->n, sizeof(*res));
	if (!res) {
		snprintf(msg, len, "out of memory; nothing was changed");
		return IPVS_TX_FAILED;
	}
	r = ipvs_nl_exec(nl, todo->v, todo->n, res, true);
	for (size_t i = 0; i < todo->n; i++) {
		if (res[i] > 0 && first == todo->n)
			first = i;
		made += res[i] == 0;
	}
	if (r == 0) {
		free(res);
		return IPVS_TX_OK;
	}
	if (r < 0 || first == todo->n)
		snprintf(msg, len, "talking to the kernel failed: %s", strerror(r < 0 ? -r : EIO));
	else
		refusal(nl, &todo->v[first], res[first], msg, len);
	free(res);

	l = strlen(msg);
	if (!made) {
		snprintf(msg + l, len - l, "; nothing was changed");
		return IPVS_TX_FAILED;
	}
	if (roll_back(nl, todo, orig, why, sizeof(why)) < 0) {
		snprintf(msg + l, len - l,
			 "; undoing the %zu change%s made failed too (%s): the table is left part-changed",
			 made, made == 1 ? "" : "s", why);
		return IPVS_TX_HALF;
	}
	snprintf(msg + l, len - l, "; the %zu change%s made %s undone, nothing was changed", made,
		 made == 1 ? "" : "s", made == 1 ? "was" : "were");
	return IPVS_TX_FAILED;
}
