/*
 * Tables in memory, and turning input into kernel requests: a restore's
 * rules checked against the table before anything is changed, and
 * apply's difference between the table and the desired one -- which is
 * also how a refusal half-way is rolled back (tx.c).
 */
#include "ipvs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- table */

static void entry_free(struct ipvs_entry *e)
{
	free(e->dests);
	free(e->dest_lines);
	e->dests = NULL;
	e->dest_lines = NULL;
	e->ndests = e->capdests = 0;
}

void ipvs_table_free(struct ipvs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		entry_free(&t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static int svc_qcmp(const void *a, const void *b)
{
	return ipvs_svc_cmp(&((const struct ipvs_entry *)a)->svc,
			    &((const struct ipvs_entry *)b)->svc);
}

static int dest_qcmp(const void *a, const void *b)
{
	return ipvs_dest_cmp(a, b);
}

void ipvs_table_sort(struct ipvs_table *t)
{
	/* Only kernel dumps are sorted this way; they carry no lines. */
	qsort(t->v, t->n, sizeof(t->v[0]), svc_qcmp);
	for (size_t i = 0; i < t->n; i++)
		qsort(t->v[i].dests, t->v[i].ndests, sizeof(struct ipvs_dest), dest_qcmp);
}

/* Where s is or would go: the index of the first entry not below it. */
static size_t svc_pos(const struct ipvs_table *t, const struct ipvs_service *s, bool *found)
{
	size_t lo = 0, hi = t->n;
	int last;

	/* Files list a service and then its destinations, mostly in order:
	 * the last entry, or past it, is the usual answer. */
	if (hi && (last = ipvs_svc_cmp(&t->v[hi - 1].svc, s)) <= 0) {
		*found = last == 0;
		return last == 0 ? hi - 1 : hi;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ipvs_svc_cmp(&t->v[mid].svc, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < t->n && ipvs_svc_cmp(&t->v[lo].svc, s) == 0;
	return lo;
}

static size_t dest_pos(const struct ipvs_entry *e, const struct ipvs_dest *d, bool *found)
{
	size_t lo = 0, hi = e->ndests;
	int c;

	/* In order (files) or in reverse (the kernel lists the newest
	 * first): past the end or before the start is the usual answer. */
	if (hi && (c = ipvs_dest_cmp(&e->dests[hi - 1], d)) <= 0) {
		*found = c == 0;
		return c == 0 ? hi - 1 : hi;
	}
	if (hi && ipvs_dest_cmp(d, &e->dests[0]) < 0) {
		*found = false;
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ipvs_dest_cmp(&e->dests[mid], d) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < e->ndests && ipvs_dest_cmp(&e->dests[lo], d) == 0;
	return lo;
}

struct ipvs_entry *ipvs_table_find(const struct ipvs_table *t, const struct ipvs_service *s)
{
	bool found;
	size_t i = svc_pos(t, s, &found);

	return found ? &t->v[i] : NULL;
}

long ipvs_entry_find_dest(const struct ipvs_entry *e, const struct ipvs_dest *d)
{
	bool found;
	size_t i = dest_pos(e, d, &found);

	return found ? (long)i : -1;
}

struct ipvs_entry *ipvs_table_add(struct ipvs_table *t, const struct ipvs_service *s)
{
	bool found;
	size_t i = svc_pos(t, s, &found);

	if (found) {
		t->v[i].svc = *s;
		return &t->v[i];
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct ipvs_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(t->v[0]));
	t->n++;
	memset(&t->v[i], 0, sizeof(t->v[i]));
	t->v[i].svc = *s;
	return &t->v[i];
}

int ipvs_entry_add_dest(struct ipvs_entry *e, const struct ipvs_dest *d, unsigned line)
{
	bool found;
	size_t i = dest_pos(e, d, &found);

	if (found) {
		e->dests[i] = *d;
		e->dest_lines[i] = line;
		return 0;
	}
	if (e->ndests == e->capdests) {
		size_t cap = e->capdests ? e->capdests * 2 : 4;
		struct ipvs_dest *v = realloc(e->dests, cap * sizeof(*v));
		unsigned *l;

		if (!v)
			return -1;
		e->dests = v;
		l = realloc(e->dest_lines, cap * sizeof(*l));
		if (!l)
			return -1;
		e->dest_lines = l;
		e->capdests = cap;
	}
	memmove(&e->dests[i + 1], &e->dests[i], (e->ndests - i) * sizeof(e->dests[0]));
	memmove(&e->dest_lines[i + 1], &e->dest_lines[i], (e->ndests - i) * sizeof(unsigned));
	e->ndests++;
	e->dests[i] = *d;
	e->dest_lines[i] = line;
	return 0;
}

void ipvs_table_del(struct ipvs_table *t, size_t i)
{
	entry_free(&t->v[i]);
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
	t->n--;
}

void ipvs_entry_del_dest(struct ipvs_entry *e, size_t j)
{
	memmove(&e->dests[j], &e->dests[j + 1], (e->ndests - j - 1) * sizeof(e->dests[0]));
	memmove(&e->dest_lines[j], &e->dest_lines[j + 1], (e->ndests - j - 1) * sizeof(unsigned));
	e->ndests--;
}

int ipvs_table_copy(struct ipvs_table *dst, const struct ipvs_table *src)
{
	memset(dst, 0, sizeof(*dst));
	if (!src->n)
		return 0;
	dst->v = calloc(src->n, sizeof(dst->v[0]));
	if (!dst->v)
		return -1;
	dst->cap = src->n;
	for (size_t i = 0; i < src->n; i++) {
		const struct ipvs_entry *s = &src->v[i];
		struct ipvs_entry *d = &dst->v[i];

		d->svc = s->svc;
		d->line = s->line;
		dst->n = i + 1;
		if (!s->ndests)
			continue;
		d->dests = malloc(s->ndests * sizeof(d->dests[0]));
		d->dest_lines = calloc(s->ndests, sizeof(unsigned));
		if (!d->dests || !d->dest_lines) {
			ipvs_table_free(dst);
			errno = ENOMEM;
			return -1;
		}
		memcpy(d->dests, s->dests, s->ndests * sizeof(d->dests[0]));
		if (s->dest_lines)
			memcpy(d->dest_lines, s->dest_lines, s->ndests * sizeof(unsigned));
		d->ndests = d->capdests = s->ndests;
	}
	return 0;
}

int ipvs_table_apply(struct ipvs_table *t, const struct ipvs_change *c)
{
	bool found;
	size_t i;
	long j;
	struct ipvs_entry *e;

	switch (c->op) {
	case IPVS_OP_FLUSH:
		for (i = 0; i < t->n; i++)
			entry_free(&t->v[i]);
		t->n = 0;
		return 0;
	case IPVS_OP_ADD_SVC:
	case IPVS_OP_SET_SVC:
		return ipvs_table_add(t, &c->svc) ? 0 : -1;
	case IPVS_OP_DEL_SVC:
		i = svc_pos(t, &c->svc, &found);
		if (found)
			ipvs_table_del(t, i);
		return 0;
	case IPVS_OP_ADD_DEST:
	case IPVS_OP_SET_DEST:
		e = ipvs_table_find(t, &c->svc);
		return e ? ipvs_entry_add_dest(e, &c->dest, c->line) : 0;
	case IPVS_OP_DEL_DEST:
		e = ipvs_table_find(t, &c->svc);
		if (e && (j = ipvs_entry_find_dest(e, &c->dest)) >= 0)
			ipvs_entry_del_dest(e, (size_t)j);
		return 0;
	case IPVS_OP_NONE:
		break;
	}
	return 0;
}

/* ---------------------------------------------------------------- plans */

void ipvs_plan_free(struct ipvs_plan *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int ipvs_plan_push(struct ipvs_plan *p, enum ipvs_op op, const struct ipvs_service *s,
		   const struct ipvs_dest *d, unsigned line)
{
	struct ipvs_change *c;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct ipvs_change *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	c = &p->v[p->n++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	if (s)
		c->svc = *s;
	if (d)
		c->dest = *d;
	c->line = line;
	return 0;
}

int ipvs_tx_init(struct ipvs_tx *tx, const struct ipvs_table *cur)
{
	memset(tx, 0, sizeof(*tx));
	return ipvs_table_copy(&tx->sim, cur);
}

void ipvs_tx_free(struct ipvs_tx *tx)
{
	ipvs_plan_free(&tx->todo);
	ipvs_table_free(&tx->sim);
	memset(tx, 0, sizeof(*tx));
}

int ipvs_tx_push(struct ipvs_tx *tx, enum ipvs_op op, const struct ipvs_service *s,
		 const struct ipvs_dest *d, unsigned line)
{
	if (ipvs_plan_push(&tx->todo, op, s, d, line) < 0)
		return -1;
	return ipvs_table_apply(&tx->sim, &tx->todo.v[tx->todo.n - 1]);
}

/* --------------------------------------------------------------- restore */

int ipvs_plan_restore(struct ipvs_tx *tx, const struct ipvs_rule *r, size_t n,
		      struct hk_err *e)
{
	char sb[IPVS_SVCSTRLEN], db[HK_ADDRSTRLEN];

	for (size_t k = 0; k < n; k++) {
		const struct ipvs_rule *x = &r[k];
		struct ipvs_entry *en = NULL;
		bool dest = x->op == IPVS_OP_ADD_DEST || x->op == IPVS_OP_SET_DEST ||
			    x->op == IPVS_OP_DEL_DEST;
		bool has_d = false;

		if (x->op != IPVS_OP_FLUSH)
			en = ipvs_table_find(&tx->sim, &x->svc);
		if (en && dest)
			has_d = ipvs_entry_find_dest(en, &x->dest) >= 0;
		/* Names are formatted only for the message. */
		if ((x->op == IPVS_OP_ADD_SVC && en) ||
		    ((x->op == IPVS_OP_SET_SVC || x->op == IPVS_OP_DEL_SVC || dest) && !en))
			return hk_err_set(e, en ? EEXIST : ESRCH, "line %u: service %s %s", x->line,
					  ipvs_svc_str(&x->svc, sb), en ? "already exists" : "does not exist");
		if (dest && (x->op == IPVS_OP_ADD_DEST) == has_d)
			return hk_err_set(e, has_d ? EEXIST : ENOENT, "line %u: destination %s %s %s",
					  x->line, ipvs_dest_str(&x->dest, db),
					  has_d ? "already exists in" : "does not exist in",
					  ipvs_svc_str(&x->svc, sb));
		if (ipvs_tx_push(tx, x->op, &x->svc, &x->dest, x->line) < 0)
			return hk_err_set(e, ENOMEM, "out of memory");
	}
	return 0;
}

/* ----------------------------------------------------------------- apply */

int ipvs_desired_add(struct ipvs_table *want, const struct ipvs_rule *x, struct hk_err *e)
{
	char sb[IPVS_SVCSTRLEN], db[HK_ADDRSTRLEN];
	struct ipvs_entry *en = ipvs_table_find(want, &x->svc);
	long j;

	if (x->op == IPVS_OP_ADD_SVC) {
		if (en)
			return hk_err_set(e, EEXIST, "line %u: service %s is given again (first on line %u)",
					  x->line, ipvs_svc_str(&x->svc, sb), en->line);
		en = ipvs_table_add(want, &x->svc);
		if (!en)
			return hk_err_set(e, ENOMEM, "out of memory");
		en->line = x->line;
		return 0;
	}
	if (x->op != IPVS_OP_ADD_DEST)
		return hk_err_set(e, EINVAL,
				  "line %u: apply takes the desired table, -A and -a lines only", x->line);
	if (!en)
		return hk_err_set(e, ESRCH,
				  "line %u: destination %s of service %s, which no -A line before it gives",
				  x->line, ipvs_dest_str(&x->dest, db), ipvs_svc_str(&x->svc, sb));
	if ((j = ipvs_entry_find_dest(en, &x->dest)) >= 0)
		return hk_err_set(e, EEXIST,
				  "line %u: destination %s of %s is given again (first on line %u)",
				  x->line, ipvs_dest_str(&x->dest, db), ipvs_svc_str(&x->svc, sb),
				  en->dest_lines[j]);
	if (ipvs_entry_add_dest(en, &x->dest, x->line) < 0)
		return hk_err_set(e, ENOMEM, "out of memory");
	return 0;
}

int ipvs_desired_table(const struct ipvs_rule *r, size_t n, struct ipvs_table *want,
		       struct hk_err *e)
{
	memset(want, 0, sizeof(*want));
	for (size_t k = 0; k < n; k++)
		if (ipvs_desired_add(want, &r[k], e) < 0)
			return -1;
	return 0;
}

int ipvs_plan_diff(const struct ipvs_table *cur, const struct ipvs_table *want, bool all,
		   struct ipvs_plan *p)
{
	/* First what is added or changed, so that a service never goes
	 * without the destinations it will keep... */
	for (size_t i = 0; i < want->n; i++) {
		const struct ipvs_entry *w = &want->v[i];
		const struct ipvs_entry *c = ipvs_table_find(cur, &w->svc);

		if (!c) {
			if (ipvs_plan_push(p, IPVS_OP_ADD_SVC, &w->svc, NULL, w->line) < 0)
				return -1;
		} else if (!ipvs_svc_same_attrs(&c->svc, &w->svc)) {
			if (ipvs_plan_push(p, IPVS_OP_SET_SVC, &w->svc, NULL, w->line) < 0)
				return -1;
		}
		for (size_t j = 0; j < w->ndests; j++) {
			long k = c ? ipvs_entry_find_dest(c, &w->dests[j]) : -1;

			if (k >= 0 && ipvs_dest_same_attrs(&c->dests[k], &w->dests[j]))
				continue;
			if (ipvs_plan_push(p, k >= 0 ? IPVS_OP_SET_DEST : IPVS_OP_ADD_DEST, &w->svc,
					   &w->dests[j], w->dest_lines ? w->dest_lines[j] : 0) < 0)
				return -1;
		}
	}
	/* ...then what goes. */
	for (size_t i = 0; i < cur->n; i++) {
		const struct ipvs_entry *c = &cur->v[i];
		const struct ipvs_entry *w = ipvs_table_find(want, &c->svc);

		if (!w) {
			if (all && ipvs_plan_push(p, IPVS_OP_DEL_SVC, &c->svc, NULL, 0) < 0)
				return -1;
			continue;
		}
		for (size_t j = 0; j < c->ndests; j++)
			if (ipvs_entry_find_dest(w, &c->dests[j]) < 0 &&
			    ipvs_plan_push(p, IPVS_OP_DEL_DEST, &c->svc, &c->dests[j], w->line) < 0)
				return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- errors */

const char *ipvs_change_error(const struct ipvs_change *c, int err, char *buf, size_t len)
{
	char sb[IPVS_SVCSTRLEN], db[HK_ADDRSTRLEN];
	bool dest = c->op == IPVS_OP_ADD_DEST || c->op == IPVS_OP_SET_DEST ||
		    c->op == IPVS_OP_DEL_DEST;
	const char *verb;

	ipvs_svc_str(&c->svc, sb);
	if (dest)
		ipvs_dest_str(&c->dest, db);
	if (err == EPERM || err == EACCES) {
		snprintf(buf, len, "permission denied (ipvsctl needs CAP_NET_ADMIN)");
		return buf;
	}
	switch (c->op) {
	case IPVS_OP_ADD_SVC:
	case IPVS_OP_SET_SVC:
		if (err == EEXIST) {
			snprintf(buf, len, "service %s already exists", sb);
			return buf;
		}
		if (err == ESRCH) {
			snprintf(buf, len, "service %s does not exist", sb);
			return buf;
		}
		if (err == ENOENT) {
			if (c->svc.pe[0])
				snprintf(buf, len, "%s: scheduler '%s' or persistence engine '%s' is not available in this kernel",
					 sb, c->svc.sched, c->svc.pe);
			else
				snprintf(buf, len, "%s: scheduler '%s' is not available in this kernel (no module ip_vs_%s)",
					 sb, c->svc.sched, c->svc.sched);
			return buf;
		}
		verb = c->op == IPVS_OP_ADD_SVC ? "add" : "change";
		snprintf(buf, len, "the kernel refused to %s service %s: %s", verb, sb, strerror(err));
		return buf;
	case IPVS_OP_DEL_SVC:
		if (err == ESRCH)
			snprintf(buf, len, "service %s does not exist", sb);
		else
			snprintf(buf, len, "the kernel refused to delete service %s: %s", sb, strerror(err));
		return buf;
	case IPVS_OP_ADD_DEST:
	case IPVS_OP_SET_DEST:
	case IPVS_OP_DEL_DEST:
		if (err == ESRCH) {
			snprintf(buf, len, "service %s does not exist", sb);
			return buf;
		}
		if (err == EEXIST) {
			snprintf(buf, len, "destination %s already exists in %s", db, sb);
			return buf;
		}
		if (err == ENOENT) {
			snprintf(buf, len, "destination %s does not exist in %s", db, sb);
			return buf;
		}
		verb = c->op == IPVS_OP_ADD_DEST ? "add" : c->op == IPVS_OP_SET_DEST ? "change" : "delete";
		if (err == EINVAL && c->op != IPVS_OP_DEL_DEST)
			snprintf(buf, len,
				 "the kernel refused to %s destination %s in %s: invalid argument (is the address unicast or local here?)",
				 verb, db, sb);
		else if (err == ERANGE)
			snprintf(buf, len, "the kernel refused to %s destination %s in %s: weight or threshold out of range",
				 verb, db, sb);
		else
			snprintf(buf, len, "the kernel refused to %s destination %s in %s: %s",
				 verb, db, sb, strerror(err));
		return buf;
	case IPVS_OP_FLUSH:
		snprintf(buf, len, "the kernel refused to flush the table: %s", strerror(err));
		return buf;
	case IPVS_OP_NONE:
		break;
	}
	snprintf(buf, len, "%s", strerror(err));
	return buf;
}
