#include "hcheck.h"

#include <errno.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The end of the line: NUL, LF, or the CR of a CRLF file. */
static bool at_end(const char *r)
{
	return *r == '\0' || *r == '\n' || (*r == '\r' && (r[1] == '\0' || r[1] == '\n'));
}

int hc_words(char *line, char **words, int max, struct hk_err *e)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		while (blank(*r))
			r++;
		if (at_end(r) || *r == '#')
			break;
		if (n == max)
			return hk_err_set(e, E2BIG, "more than %d words", max);
		words[n++] = w;
		if (*r == '"') {
			r++;
			for (;;) {
				if (at_end(r))
					return hk_err_set(e, EINVAL, "a quote is not closed");
				if (*r == '"')
					break;
				if (*r == '\\') {
					if (r[1] != '"' && r[1] != '\\')
						return hk_err_set(e, EINVAL,
								  "unknown escape '\\%c' in quotes "
								  "(only \\\" and \\\\)",
								  r[1] ? r[1] : ' ');
					r++;
				}
				*w++ = *r++;
			}
			r++;
			if (!at_end(r) && !blank(*r))
				return hk_err_set(e, EINVAL, "text right after a closing quote");
		} else {
			while (!at_end(r) && !blank(*r)) {
				if (*r == '"')
					return hk_err_set(e, EINVAL,
							  "a quote inside a word (quote the whole word)");
				*w++ = *r++;
			}
		}
		/* r is past the word, on a blank or the end: the NUL we write
		 * never overtakes it, as w <= r. */
		if (at_end(r)) {
			*w = '\0';
			break;
		}
		*w++ = '\0';
		r++;
	}
	return n;
}
