#include "hcheck.h"

#include <errno.h>
#include <string.h>

static void set_range(struct hc_status_set *set, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		set->bits[c / 64] |= (uint64_t)1 << (c % 64);
}

bool hc_status_has(const struct hc_status_set *set, int code)
{
	if (code < HC_STATUS_MIN || code > HC_STATUS_MAX)
		return false;
	return set->bits[code / 64] >> (code % 64) & 1;
}

/* The set as "200-299,301": runs of codes, for messages. */
static void set_text(struct hc_status_set *set)
{
	size_t o = 0;

	set->text[0] = '\0';
	for (int c = HC_STATUS_MIN; c <= HC_STATUS_MAX; c++) {
		int end = c;
		int n;

		if (!hc_status_has(set, c))
			continue;
		while (end < HC_STATUS_MAX && hc_status_has(set, end + 1))
			end++;
		if (end == c)
			n = snprintf(set->text + o, sizeof(set->text) - o, "%s%d",
				     o ? "," : "", c);
		else
			n = snprintf(set->text + o, sizeof(set->text) - o, "%s%d-%d",
				     o ? "," : "", c, end);
		if (n < 0 || (size_t)n >= sizeof(set->text) - o) {
			/* Too many runs to list: end with an ellipsis. */
			strcpy(set->text + sizeof(set->text) - 4, "...");
			return;
		}
		o += (size_t)n;
		c = end;
	}
}

int hc_status_parse(const char *s, struct hc_status_set *set, struct hk_err *e)
{
	struct hc_status_set tmp;
	const char *p = s;
	bool any = false;

	memset(&tmp, 0, sizeof(tmp));
	while (*p) {
		char item[32];
		size_t n = strcspn(p, ", \t");
		uint64_t lo, hi;
		char *dash;

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(item))
			return hk_err_set(e, EINVAL, "'%.*s' is not a status code or range",
					  (int)n, p);
		memcpy(item, p, n);
		item[n] = '\0';
		p += n;
		dash = strchr(item, '-');
		if (dash)
			*dash = '\0';
		if (hk_parse_uint(item, HC_STATUS_MIN, HC_STATUS_MAX, &lo, NULL) < 0 ||
		    (dash && hk_parse_uint(dash + 1, HC_STATUS_MIN, HC_STATUS_MAX, &hi, NULL) < 0)) {
			if (dash)
				*dash = '-';
			return hk_err_set(e, EINVAL,
					  "'%s' is not a status code or range of 100-999", item);
		}
		if (!dash)
			hi = lo;
		if (hi < lo) {
			*dash = '-';
			return hk_err_set(e, EINVAL, "'%s' is a range that ends before it starts",
					  item);
		}
		set_range(&tmp, (unsigned)lo, (unsigned)hi);
		any = true;
	}
	if (!any)
		return hk_err_set(e, EINVAL, "'%s' holds no status code", s);
	set_text(&tmp);
	*set = tmp;
	return 0;
}
