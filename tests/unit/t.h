/*
 * A unit-test harness in one header.  A test is
 *
 *	TEST(parse_uint_rejects_signs) { CHECK(...); CHECK_EQ_INT(a, b); }
 *
 * registered at start-up; main.c runs them all and prints TAP, one
 * "ok"/"not ok" line per test.  A failed CHECK reports file:line and the
 * expression, and the test goes on (so one run shows every failure).
 */
#ifndef HK_T_H
#define HK_T_H

#include <stdio.h>
#include <string.h>

struct t_case {
	const char *name;
	void (*fn)(void);
	struct t_case *next;
};

void t_register(struct t_case *c);
void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)                                                       \
	static void t_fn_##name(void);                                   \
	static struct t_case t_case_##name = { #name, t_fn_##name, NULL }; \
	__attribute__((constructor)) static void t_reg_##name(void)      \
	{                                                                \
		t_register(&t_case_##name);                              \
	}                                                                \
	static void t_fn_##name(void)

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond))                                             \
			t_fail(__FILE__, __LINE__, "%s", #cond);         \
	} while (0)

#define CHECK_EQ_INT(a, b)                                               \
	do {                                                             \
		long long t_a = (long long)(a), t_b = (long long)(b);    \
		if (t_a != t_b)                                          \
			t_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
			       #a, #b, t_a, t_b);                        \
	} while (0)

#define CHECK_EQ_STR(a, b)                                               \
	do {                                                             \
		const char *t_a = (a), *t_b = (b);                       \
		if (!t_a || !t_b || strcmp(t_a, t_b) != 0)               \
			t_fail(__FILE__, __LINE__, "%s == %s: '%s' != '%s'", \
			       #a, #b, t_a ? t_a : "(null)",             \
			       t_b ? t_b : "(null)");                    \
	} while (0)

#define CHECK_EQ_MEM(a, b, n)                                            \
	do {                                                             \
		if (memcmp((a), (b), (n)) != 0)                          \
			t_fail(__FILE__, __LINE__, "%s == %s (%zu bytes)", \
			       #a, #b, (size_t)(n));                     \
	} while (0)

#endif
