/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - the few helpers the unit test programs share.
 *
 * A test case is any number of EXPECT()s followed by test_end(name), which
 * prints "PASS: unit/name" or "FAIL: unit/name: <first failed EXPECT>".
 * Nothing else goes to stdout; run.sh collects those lines.
 */
#ifndef SHOW_BT_UNIT_H
#define SHOW_BT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char test_why[512];
static unsigned int test_failed;

/* Record why the current case fails, unless it already has a reason. */
static inline void __attribute__((format(printf, 1, 2)))
test_fail(const char *fmt, ...)
{
	va_list ap;

	if (test_why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(test_why, sizeof(test_why), fmt, ap);
	va_end(ap);
	/* The reason ends the line: no newline may cut it. */
	test_why[strcspn(test_why, "\n")] = '\0';
	if (!test_why[0])
		snprintf(test_why, sizeof(test_why), "(empty reason)");
}

#define EXPECT(cond, ...)						\
	do {								\
		if (!(cond))						\
			test_fail(__VA_ARGS__);				\
	} while (0)

static inline void test_end(const char *name)
{
	if (test_why[0]) {
		printf("FAIL: unit/%s: %s\n", name, test_why);
		test_failed++;
	} else {
		printf("PASS: unit/%s\n", name);
	}
	test_why[0] = '\0';
}

/* xorshift64*: the same numbers on every libc, for a fixed seed. */
static unsigned long long test_rng = 0x9e3779b97f4a7c15ULL;

static inline unsigned long long test_rand(void)
{
	test_rng ^= test_rng >> 12;
	test_rng ^= test_rng << 25;
	test_rng ^= test_rng >> 27;
	return test_rng * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n), n > 0. */
static inline unsigned int test_below(unsigned int n)
{
	return (unsigned int)(test_rand() >> 33) % n;
}

#endif
