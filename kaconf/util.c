/* The arena every kaconf structure lives in, and the diagnostics. */
#include "kc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct kc_chunk {
	struct kc_chunk *next;
	max_align_t data[];
};

void *kc_alloc(struct kc_arena *a, size_t n)
{
	struct kc_chunk *ch;

	if (n > SIZE_MAX - sizeof(*ch))
		hk_die(1, "out of memory");
	ch = calloc(1, sizeof(*ch) + n);
	if (!ch)
		hk_die(1, "out of memory");
	ch->next = a->head;
	a->head = ch;
	return ch->data;
}

char *kc_strndup(struct kc_arena *a, const char *s, size_t n)
{
	char *p = kc_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kc_strdup(struct kc_arena *a, const char *s)
{
	return kc_strndup(a, s, strlen(s));
}

char *kc_printf(struct kc_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		hk_die(1, "cannot format a string");
	p = kc_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void kc_arena_free(struct kc_arena *a)
{
	struct kc_chunk *ch = a->head, *next;

	for (; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	a->head = NULL;
}

HK_PRINTF(4, 0) static void vdiag(struct kc_ctx *c, const struct kc_pos *p, const char *kind,
		  const char *fmt, va_list ap)
{
	FILE *f = c->diag ? c->diag : stderr;

	fprintf(f, "%s: ", hk_prog);
	if (p && p->file)
		fprintf(f, "%s:%u:%u: ", p->file, p->line, p->col);
	fprintf(f, "%s: ", kind);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void kc_error(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
{
	va_list ap;

	c->errors++;
	va_start(ap, fmt);
	vdiag(c, p, "error", fmt, ap);
	va_end(ap);
}

void kc_warn(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
{
	va_list ap;

	c->warnings++;
	if (c->quiet)
		return;
	va_start(ap, fmt);
	vdiag(c, p, "warning", fmt, ap);
	va_end(ap);
}

void kc_note(struct kc_ctx *c, const struct kc_pos *p, const char *fmt, ...)
{
	va_list ap;

	c->notes++;
	if (c->quiet)
		return;
	va_start(ap, fmt);
	vdiag(c, p, "note", fmt, ap);
	va_end(ap);
}
