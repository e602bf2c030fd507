/* Runs every TEST() linked in, as TAP. */
#include "t.h"

#include <stdarg.h>
#include <stdlib.h>

static struct t_case *head, **tail = &head;
static int failures_in_case;

void t_register(struct t_case *c)
{
	*tail = c;
	tail = &c->next;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures_in_case++;
}

int main(int argc, char **argv)
{
	int n = 0, passed = 0, failed = 0;

	for (struct t_case *c = head; c; c = c->next) {
		/* An argument selects tests whose name contains it. */
		if (argc > 1 && !strstr(c->name, argv[1]))
			continue;
		failures_in_case = 0;
		c->fn();
		fflush(stdout);
		if (failures_in_case) {
			printf("not ok %d %s\n", ++n, c->name);
			failed++;
		} else {
			printf("ok %d %s\n", ++n, c->name);
			passed++;
		}
	}
	printf("1..%d\n", n);
	printf("# %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
