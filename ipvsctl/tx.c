/*
 * Running a transaction against the kernel: every request in order; at
 * the first refusal, stop and undo whatever was made, newest first, so
 * that the table is as it was.
 */
#include "tx.h"

#include "print.h"

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

int ipvs_tx_run(struct ipvs_nl *nl, const struct ipvs_tx *tx, char *msg, size_t len)
{
	const struct ipvs_plan *todo = &tx->todo;
	struct ipvs_plan undo = { 0 };
	int *res, *ures = NULL;
	int r;
	size_t first = todo->n, made = 0;

	msg[0] = '\0';
	if (!todo->n)
		return IPVS_TX_OK;
	res = calloc(todo->n, sizeof(*res));
	if (!res) {
		snprintf(msg, len, "out of memory");
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
	if (r < 0)
		snprintf(msg, len, "talking to the kernel failed: %s", strerror(-r));
	else
		refusal(nl, &todo->v[first], res[first], msg, len);

	/* Undo what was made, newest first; each one's inverses in order. */
	for (size_t i = todo->n; i-- > 0;) {
		if (res[i] != 0)
			continue;
		for (size_t k = tx->undo_at[i]; k < tx->undo_at[i + 1]; k++) {
			const struct ipvs_change *u = &tx->undo.v[k];

			if (ipvs_plan_push(&undo, u->op, &u->svc, &u->dest, todo->v[i].line) < 0)
				goto undo_failed_mem;
		}
	}
	if (undo.n) {
		ures = calloc(undo.n, sizeof(*ures));
		if (!ures)
			goto undo_failed_mem;
		r = ipvs_nl_exec(nl, undo.v, undo.n, ures, false);
		if (r != 0) {
			size_t k = 0;
			char s[512];

			while (k < undo.n && ures[k] <= 0)
				k++;
			if (r < 0 || k == undo.n)
				snprintf(s, sizeof(s), "%s", r < 0 ? strerror(-r) : "unknown error");
			else
				ipvs_change_error(&undo.v[k], ures[k], s, sizeof(s));
			size_t l = strlen(msg);

			snprintf(msg + l, len - l, "; undoing the %zu change%s made failed too (%s): the table is left part-changed",
				 made, made == 1 ? "" : "s", s);
			free(ures);
			free(res);
			ipvs_plan_free(&undo);
			return IPVS_TX_HALF;
		}
	}
	{
		size_t l = strlen(msg);

		if (made)
			snprintf(msg + l, len - l, "; the %zu change%s made before %s undone, nothing was changed",
				 made, made == 1 ? "" : "s", made == 1 ? "was" : "were");
		else
			snprintf(msg + l, len - l, "; nothing was changed");
	}
	free(ures);
	free(res);
	ipvs_plan_free(&undo);
	return IPVS_TX_FAILED;

undo_failed_mem:
	{
		size_t l = strlen(msg);

		snprintf(msg + l, len - l, "; out of memory while undoing: the table is left part-changed");
	}
	free(ures);
	free(res);
	ipvs_plan_free(&undo);
	return IPVS_TX_HALF;
}
