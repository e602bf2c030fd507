/*
 * keepalived.conf syntax: '#' and '!' comments anywhere outside double
 * quotes, words, "quoted strings" (one line; \" does not end them),
 * braces that are tokens of their own even when glued to a word
 * ("unicast_peer{"), and `include PATTERN` lines whose globs are relative
 * to the including file.  The files are turned into one token stream
 * (includes spliced in place, as keepalived does), then into a tree of
 * statements.
 */
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { T_WORD, T_LB, T_RB, T_EOL };

struct tok {
	int kind;
	struct kc_word w;
};

struct lexer {
	struct kc_ctx *c;
	struct tok *t;
	size_t n, cap;
	unsigned files;
	/* the include stack, as real paths, to refuse cycles */
	char *stack[KC_MAX_INCLUDE_DEPTH + 2];
	unsigned depth;
	bool top_read;		/* the file named on the command line was read */
};

static void push(struct lexer *lx, int kind, const struct kc_word *w)
{
	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 256;
		struct tok *t = realloc(lx->t, cap * sizeof(*t));

		if (!t)
			hk_die(1, "out of memory");
		lx->t = t;
		lx->cap = cap;
	}
	lx->t[lx->n].kind = kind;
	if (w)
		lx->t[lx->n].w = *w;
	else
		memset(&lx->t[lx->n].w, 0, sizeof(lx->t[lx->n].w));
	lx->n++;
}

/* Column of byte off in line, counting characters (UTF-8 lead bytes). */
static unsigned column(const char *line, size_t off)
{
	unsigned col = 1;

	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static const char *ctl_name(unsigned char ch)
{
	switch (ch) {
	case '\t': return "a tab";
	case '\r': return "a carriage return";
	default: return "a control character";
	}
}

static void lex_file(struct lexer *lx, const char *path, const struct kc_pos *from);

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[{") != NULL;
}

static void do_include(struct lexer *lx, const char *file, struct kc_word *w,
		       size_t nw)
{
	struct kc_ctx *c = lx->c;
	const char *pat;
	char *full;
	glob_t g;
	int rc;

	if (nw != 2) {
		kc_error(c, &w[0].pos, "'%s' takes one file name or pattern",
			 w[0].s);
		return;
	}
	pat = w[1].s;
	if (pat[0] == '/') {
		full = kc_strdup(&c->arena, pat);
	} else {
		const char *slash = strrchr(file, '/');

		if (slash)
			full = kc_printf(&c->arena, "%.*s/%s",
					 (int)(slash - file), file, pat);
		else
			full = kc_strdup(&c->arena, pat);
	}
	memset(&g, 0, sizeof(g));
	rc = glob(full, GLOB_BRACE | GLOB_TILDE_CHECK, NULL, &g);
	if (rc == GLOB_NOMATCH || (rc == 0 && g.gl_pathc == 0)) {
		/* keepalived carries on without the file: so do we, loudly. */
		kc_warn(c, &w[1].pos, "include: %s '%s' %s; nothing included",
			has_glob(pat) ? "pattern" : "file", full,
			has_glob(pat) ? "matches no file" : "does not exist");
		globfree(&g);
		return;
	}
	if (rc != 0) {
		kc_error(c, &w[1].pos, "include: cannot expand '%s': %s", full,
			 rc == GLOB_NOSPACE ? "out of memory" : "read error");
		globfree(&g);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct stat st;

		/* A directory matched by a wildcard is not a configuration. */
		if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    has_glob(pat))
			continue;
		lex_file(lx, kc_strdup(&c->arena, g.gl_pathv[i]), &w[1].pos);
	}
	globfree(&g);
}

/*
 * "include PATTERN": the pattern is taken whole, braces and all (csh brace
 * expansion), up to a blank or a comment, or in double quotes.  Returns
 * true if the line was an include line (and was handled).
 */
static bool include_line(struct lexer *lx, const char *file, unsigned lineno,
			 const char *line, size_t len)
{
	struct kc_ctx *c = lx->c;
	struct kc_word w[2] = { 0 };
	size_t i = 0, k, j;

	while (i < len && is_blank(line[i]))
		i++;
	for (k = i; k < len && line[k] >= 'a' && line[k] <= 'z'; k++)
		;
	if (k - i < 7 || strncmp(line + i, "include", 7) != 0 ||
	    (k - i == 8 && !strchr("rmwba", line[i + 7])) || k - i > 8 ||
	    (k < len && !is_blank(line[k])))
		return false;
	w[0].s = kc_strndup(&c->arena, line + i, k - i);
	w[0].pos = (struct kc_pos){ file, lineno, column(line, i) };
	for (i = k; i < len && is_blank(line[i]); i++)
		;
	w[1].pos = (struct kc_pos){ file, lineno, column(line, i) };
	if (i < len && line[i] == '"') {
		for (j = i + 1; j < len && line[j] != '"'; j++)
			;
		if (j >= len) {
			kc_error(c, &w[1].pos, "quoted string is not closed on its line");
			return true;
		}
		w[1].s = kc_strndup(&c->arena, line + i + 1, j - i - 1);
		j++;
	} else {
		for (j = i; j < len && !is_blank(line[j]) && line[j] != '#' &&
			    line[j] != '!'; j++)
			;
		w[1].s = kc_strndup(&c->arena, line + i, j - i);
	}
	while (j < len && is_blank(line[j]))
		j++;
	if (!*w[1].s || (j < len && line[j] != '#' && line[j] != '!')) {
		kc_error(c, &w[0].pos, "'%s' takes one file name or pattern", w[0].s);
		return true;
	}
	if (w[0].s[7])
		kc_note(c, &w[0].pos, "'%s': its extra checks are not made; read as 'include'",
			w[0].s);
	do_include(lx, file, w, 2);
	return true;
}

/* Tokenise one line; an include line is expanded instead of emitted. */
static void lex_line(struct lexer *lx, const char *file, unsigned lineno,
		     const char *line, size_t len)
{
	struct kc_ctx *c = lx->c;
	struct tok pend[256];
	size_t np = 0, i = 0;

	if (include_line(lx, file, lineno, line, len))
		return;

	while (i < len) {
		char ch = line[i];
		struct kc_word w = { 0 };

		if (is_blank(ch)) {
			i++;
			continue;
		}
		if (ch == '#' || ch == '!')
			break;
		w.pos.file = file;
		w.pos.line = lineno;
		w.pos.col = column(line, i);
		if (ch == '{' || ch == '}') {
			if (np < sizeof(pend) / sizeof(pend[0])) {
				pend[np].kind = ch == '{' ? T_LB : T_RB;
				pend[np].w = w;
				np++;
			}
			i++;
			continue;
		}
		if (ch == '"') {
			size_t j = i + 1;
			bool bad = false;

			while (j < len && line[j] != '"') {
				if (line[j] == '\\' && j + 1 < len)
					j++;
				j++;
			}
			if (j >= len) {
				kc_error(c, &w.pos, "quoted string is not closed on its line");
				break;
			}
			for (size_t k = i + 1; k < j; k++) {
				unsigned char u = (unsigned char)line[k];

				if (u < 0x20 || u == 0x7f) {
					struct kc_pos p = w.pos;

					p.col = column(line, k);
					kc_error(c, &p, "%s inside a quoted string cannot be carried into a plan",
						 ctl_name(u));
					bad = true;
					break;
				}
			}
			w.s = kc_strndup(&c->arena, line + i + 1, j - i - 1);
			w.quoted = true;
			i = j + 1;
			if (bad)
				continue;
		} else {
			size_t j = i;

			while (j < len && !is_blank(line[j]) && line[j] != '{' &&
			       line[j] != '}' && line[j] != '#' && line[j] != '!')
				j++;
			w.s = kc_strndup(&c->arena, line + i, j - i);
			i = j;
		}
		if (np >= sizeof(pend) / sizeof(pend[0])) {
			kc_error(c, &w.pos, "more than %zu words on one line",
				 sizeof(pend) / sizeof(pend[0]));
			return;
		}
		pend[np].kind = T_WORD;
		pend[np].w = w;
		np++;
	}
	for (size_t k = 0; k < np; k++)
		push(lx, pend[k].kind, &pend[k].w);
	if (np)
		push(lx, T_EOL, NULL);
}

static void lex_buf(struct lexer *lx, const char *file, const char *buf,
		    size_t len)
{
	unsigned lineno = 0;
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (buf + off)) : len - off;
		const char *nul = memchr(buf + off, '\0', l);

		lineno++;
		if (nul) {
			struct kc_pos p = { file, lineno,
					    column(buf + off, (size_t)(nul - (buf + off))) };

			kc_error(lx->c, &p, "a NUL byte: this is not a text file; rest of the file ignored");
			return;
		}
		lex_line(lx, file, lineno, buf + off, l);
		off += l + (nl ? 1 : 0);
	}
}

static char *slurp(struct kc_ctx *c, const char *path, size_t *len,
		   const struct kc_pos *from)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *buf;
	size_t got = 0;

	if (fd < 0) {
		kc_error(c, from, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		kc_error(c, from, "'%s' is not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((uint64_t)st.st_size > KC_MAX_FILE_BYTES) {
		kc_error(c, from, "'%s' is larger than %u MiB", path,
			 KC_MAX_FILE_BYTES >> 20);
		close(fd);
		return NULL;
	}
	buf = kc_alloc(&c->arena, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kc_error(c, from, "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return buf;
}

static void lex_file(struct lexer *lx, const char *path, const struct kc_pos *from)
{
	struct kc_ctx *c = lx->c;
	char *real, *buf;
	size_t len;

	if (lx->depth > KC_MAX_INCLUDE_DEPTH) {
		kc_error(c, from, "includes nested deeper than %d (at '%s')",
			 KC_MAX_INCLUDE_DEPTH, path);
		return;
	}
	if (++lx->files > KC_MAX_FILES) {
		if (lx->files == KC_MAX_FILES + 1)
			kc_error(c, from, "more than %d configuration files",
				 KC_MAX_FILES);
		return;
	}
	real = realpath(path, NULL);
	if (real) {
		for (unsigned i = 0; i < lx->depth; i++) {
			if (strcmp(lx->stack[i], real) == 0) {
				kc_error(c, from, "'%s' includes itself", path);
				free(real);
				return;
			}
		}
	}
	buf = slurp(c, path, &len, from);
	if (!buf) {
		free(real);
		return;
	}
	if (lx->depth == 0)
		lx->top_read = true;
	if (!real && !(real = strdup(path)))
		hk_die(1, "out of memory");
	lx->stack[lx->depth++] = real;
	lex_buf(lx, path, buf, len);
	free(lx->stack[--lx->depth]);
}

/* ---- tokens to statements -------------------------------------------- */

struct parser {
	struct kc_ctx *c;
	const struct tok *t;
	size_t n, i;
	bool too_deep;
};

static void skip_block(struct parser *p)
{
	unsigned open = 1;

	while (p->i < p->n && open) {
		if (p->t[p->i].kind == T_LB)
			open++;
		else if (p->t[p->i].kind == T_RB)
			open--;
		p->i++;
	}
}

static struct kc_stmt *parse_list(struct parser *p, unsigned depth,
				  const struct kc_pos *open);

static void open_block(struct parser *p, struct kc_stmt *st, unsigned depth)
{
	st->has_block = true;
	st->bpos = p->t[p->i].w.pos;
	p->i++;
	if (depth + 1 > KC_MAX_NESTING) {
		if (!p->too_deep)
			kc_error(p->c, &st->bpos, "blocks nested deeper than %d",
				 KC_MAX_NESTING);
		p->too_deep = true;
		skip_block(p);
		return;
	}
	st->child = parse_list(p, depth + 1, &st->bpos);
}

static struct kc_stmt *parse_list(struct parser *p, unsigned depth,
				  const struct kc_pos *open)
{
	struct kc_ctx *c = p->c;
	struct kc_stmt *head = NULL, **tail = &head, *last = NULL;
	bool line_start = true;

	for (;;) {
		const struct tok *t;

		if (p->i >= p->n) {
			if (depth > 0)
				kc_error(c, open, "this '{' is never closed");
			return head;
		}
		t = &p->t[p->i];
		switch (t->kind) {
		case T_EOL:
			p->i++;
			line_start = true;
			continue;
		case T_RB:
			p->i++;
			if (depth > 0)
				return head;
			kc_error(c, &t->w.pos, "'}' closes no block");
			line_start = false;
			continue;
		case T_LB:
			/* "vrrp_instance VI_1" then "{" on the next line */
			if (last && !last->has_block && line_start) {
				open_block(p, last, depth);
			} else {
				struct kc_stmt dummy = { 0 };

				kc_error(c, &t->w.pos, "'{' does not follow a keyword");
				open_block(p, &dummy, depth);
			}
			line_start = false;
			continue;
		default:
			break;
		}

		struct kc_stmt *st = kc_alloc(&c->arena, sizeof(*st));
		size_t j = p->i, k;

		while (j < p->n && p->t[j].kind == T_WORD)
			j++;
		st->n = j - p->i;
		st->w = kc_alloc(&c->arena, st->n * sizeof(*st->w));
		for (k = 0; k < st->n; k++)
			st->w[k] = p->t[p->i + k].w;
		p->i = j;
		*tail = st;
		tail = &st->next;
		last = st;
		line_start = false;
		if (p->i < p->n && p->t[p->i].kind == T_LB)
			open_block(p, st, depth);
	}
}

static struct kc_stmt *finish(struct lexer *lx)
{
	struct parser p = { .c = lx->c, .t = lx->t, .n = lx->n };
	struct kc_stmt *top = parse_list(&p, 0, NULL);

	free(lx->t);
	return top;
}

struct kc_stmt *kc_read_file(struct kc_ctx *c, const char *path)
{
	struct lexer lx = { .c = c };

	lex_file(&lx, kc_strdup(&c->arena, path), NULL);
	if (!lx.top_read) {
		free(lx.t);
		return NULL;
	}
	return finish(&lx);
}

struct kc_stmt *kc_read_buf(struct kc_ctx *c, const char *name,
			    const char *buf, size_t len)
{
	struct lexer lx = { .c = c };

	lex_buf(&lx, kc_strdup(&c->arena, name), buf, len);
	return finish(&lx);
}
