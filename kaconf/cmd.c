/*
 * Script strings.  keepalived splits a script string into words itself
 * and executes the program directly (no shell): blanks separate words,
 * single and double quotes group, a backslash escapes the next character.
 * The words are then written for whoever runs them: vrrpd's notify-*
 * options (words joined by blanks, double quotes group, no escapes),
 * hcheck's probe lines (double quotes with \" and \\), and the plan
 * (tab-separated words, which the supervisor splits with IFS=<tab> and
 * globbing off: no word may hold a tab, which the lexer already refuses).
 */
#include "kc.h"

#include <stdlib.h>
#include <string.h>

int kc_cmd_split(struct kc_arena *a, const char *s, struct kc_cmd *out,
		 char *err, size_t errsz)
{
	size_t len = strlen(s), cap = 4, n = 0;
	char **w = kc_alloc(a, cap * sizeof(*w));
	char *buf = kc_alloc(a, len + 1);
	size_t i = 0;

	while (i < len) {
		size_t b = 0;
		char *word;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i >= len)
			break;
		while (i < len && s[i] != ' ' && s[i] != '\t') {
			char q = s[i];

			if (q == '\'' || q == '"') {
				size_t j = i + 1;

				while (j < len && s[j] != q) {
					if (q == '"' && s[j] == '\\' && j + 1 < len &&
					    (s[j + 1] == '"' || s[j + 1] == '\\'))
						j++;
					buf[b++] = s[j++];
				}
				if (j >= len) {
					snprintf(err, errsz, "the %s quote in '%s' is not closed",
						 q == '"' ? "double" : "single", s);
					return -1;
				}
				i = j + 1;
			} else if (q == '\\' && i + 1 < len) {
				buf[b++] = s[i + 1];
				i += 2;
			} else {
				buf[b++] = s[i++];
			}
		}
		if (b == 0) {
			/* the plan's tab-separated words cannot carry it */
			snprintf(err, errsz, "an empty word ('' or \"\") in '%s' cannot be passed on", s);
			return -1;
		}
		word = kc_strndup(a, buf, b);
		if (n + 1 >= cap) {
			char **nw = kc_alloc(a, cap * 2 * sizeof(*nw));

			memcpy(nw, w, n * sizeof(*w));
			w = nw;
			cap *= 2;
		}
		w[n++] = word;
	}
	if (n == 0 || w[0][0] == '\0') {
		snprintf(err, errsz, "the command is empty");
		return -1;
	}
	w[n] = NULL;
	out->w = w;
	out->n = n;
	return 0;
}

char *kc_cmd_vrrpd(struct kc_arena *a, const struct kc_cmd *cmd)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; i < cmd->n; i++) {
		if (cmd->w[i][0] == '\0' || strchr(cmd->w[i], '"'))
			return NULL;
		len += strlen(cmd->w[i]) + 3;
	}
	s = p = kc_alloc(a, len);
	for (size_t i = 0; i < cmd->n; i++) {
		bool q = strpbrk(cmd->w[i], " \t") != NULL;

		p += sprintf(p, "%s%s%s%s", i ? " " : "", q ? "\"" : "",
			     cmd->w[i], q ? "\"" : "");
	}
	return s;
}

char *kc_hcheck_word(struct kc_arena *a, const char *w)
{
	size_t len = strlen(w);
	char *s, *p;

	if (len && !strpbrk(w, " \t\"\\#'"))
		return kc_strdup(a, w);
	s = p = kc_alloc(a, 2 * len + 3);
	*p++ = '"';
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			*p++ = '\\';
		*p++ = *w;
	}
	*p++ = '"';
	*p = '\0';
	return s;
}
