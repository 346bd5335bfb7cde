// SPDX-License-Identifier: GPL-2.0
/*
 * test_numparse.c - numparse.c's parsers: fixed cases (empty, sign,
 * blanks, overflow, trailing junk), then random strings checked against
 * the host libc's strtoul(), strtol() and strtod() on the forms both read.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../numparse.h"
#include "unit.h"

#define ROUNDS 200000
/* Beyond the exact case: at most 0.5 per step of scale10(), 21 of them. */
#define MAX_ULPS 11

static void test_ulong_cases(void)
{
	static const struct {
		const char *s;
		unsigned int base;
		int err;
		unsigned long v;
		size_t used;
	} c[] = {
		{ "", 10, -EINVAL, 0, 0 },
		{ "x", 16, -EINVAL, 0, 0 },
		{ "-1", 10, -EINVAL, 0, 0 },
		{ "+1", 10, -EINVAL, 0, 0 },
		{ " 1", 10, -EINVAL, 0, 0 },
		{ "0", 10, 0, 0, 1 },
		{ "42 ", 10, 0, 42, 2 },
		{ "12ab", 10, 0, 12, 2 },
		{ "12abZ", 16, 0, 0x12ab, 4 },
		{ "0x10", 16, 0, 0, 1 },
		{ "ffffffffffffffff", 16, 0, ULONG_MAX, 16 },
		{ "FFFFFFFFFFFFFFFF", 16, 0, ULONG_MAX, 16 },
		{ "10000000000000000", 16, -ERANGE, ULONG_MAX, 17 },
		{ "18446744073709551615", 10, 0, ULONG_MAX, 20 },
		{ "18446744073709551616", 10, -ERANGE, ULONG_MAX, 20 },
		{ "99999999999999999999999x", 10, -ERANGE, ULONG_MAX, 23 },
	};
	const char *end;
	unsigned long v;
	size_t i;
	int err;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		err = num_ulong(c[i].s, &end, c[i].base, &v);
		EXPECT(err == c[i].err && v == c[i].v &&
		       (size_t)(end - c[i].s) == c[i].used,
		       "'%s' base %u: %d %lu, %zu read", c[i].s, c[i].base,
		       err, v, (size_t)(end - c[i].s));
	}
	test_end("numparse_ulong_cases");
}

static void test_int_cases(void)
{
	static const struct {
		const char *s;
		int err, v;
		size_t used;
	} c[] = {
		{ "", -EINVAL, 0, 0 },
		{ "  ", -EINVAL, 0, 0 },
		{ "-", -EINVAL, 0, 0 },
		{ " +x", -EINVAL, 0, 0 },
		{ "--1", -EINVAL, 0, 0 },
		{ "7", 0, 7, 1 },
		{ "+7\n", 0, 7, 2 },
		{ " \t\n-1\n", 0, -1, 5 },
		{ "-0", 0, 0, 2 },
		{ "2147483647", 0, INT_MAX, 10 },
		{ "2147483648", -ERANGE, INT_MAX, 10 },
		{ "-2147483648", 0, INT_MIN, 11 },
		{ "-2147483649", -ERANGE, INT_MIN, 11 },
		{ "99999999999999999999999", -ERANGE, INT_MAX, 23 },
		{ "4 5", 0, 4, 1 },
	};
	const char *end;
	size_t i;
	int err, v;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		err = num_int(c[i].s, &end, &v);
		EXPECT(err == c[i].err && v == c[i].v &&
		       (size_t)(end - c[i].s) == c[i].used,
		       "'%s': %d %d, %zu read", c[i].s, err, v,
		       (size_t)(end - c[i].s));
	}
	test_end("numparse_int_cases");
}

static void test_double_cases(void)
{
	static const struct {
		const char *s;
		int err;
		double v;
		size_t used;
	} c[] = {
		{ "", -EINVAL, 0, 0 },
		{ ".", -EINVAL, 0, 0 },
		{ "e3", -EINVAL, 0, 0 },
		{ "-1", -EINVAL, 0, 0 },
		{ " 1", -EINVAL, 0, 0 },
		{ "inf", -EINVAL, 0, 0 },
		{ "nan", -EINVAL, 0, 0 },
		{ "0", 0, 0, 1 },
		{ "5", 0, 5, 1 },
		{ "5.", 0, 5, 2 },
		{ ".5", 0, 0.5, 2 },
		{ "0.1", 0, 0.1, 3 },
		{ "2.5s", 0, 2.5, 3 },
		{ "1e3", 0, 1000, 3 },
		{ "1E+3", 0, 1000, 4 },
		{ "15e-1", 0, 1.5, 5 },
		{ "1e", 0, 1, 1 },
		{ "1e+", 0, 1, 1 },
		{ "1e-x", 0, 1, 1 },
		{ "1.5.5", 0, 1.5, 3 },
		{ "31536000", 0, 31536000, 8 },
		{ "0.000001", 0, 1e-6, 8 },
		{ "0x10", 0, 16, 4 },
		{ "0X1.8p1", 0, 3, 7 },
		{ "0x.8", 0, 0.5, 4 },
		{ "0x1p-2", 0, 0.25, 6 },
		{ "0x1p", 0, 1, 3 },
		{ "0x", 0, 0, 1 },
		{ "0x.", 0, 0, 1 },
		{ "0xg", 0, 0, 1 },
		{ "0e99999999999999999999", 0, 0, 22 },
		{ "1e400", -ERANGE, HUGE_VAL, 5 },
		{ "1e99999999999999999999", -ERANGE, HUGE_VAL, 22 },
		{ "1e-400", -ERANGE, 0, 6 },
		{ "0x1p99999", -ERANGE, HUGE_VAL, 9 },
	};
	const char *end;
	double v;
	size_t i;
	int err;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		err = num_double(c[i].s, &end, &v);
		EXPECT(err == c[i].err && v == c[i].v &&
		       (size_t)(end - c[i].s) == c[i].used,
		       "'%s': %d %a, %zu read", c[i].s, err, v,
		       (size_t)(end - c[i].s));
	}
	test_end("numparse_double_cases");
}

/* A random string of up to 23 characters from set. */
static void random_text(char *s, const char *set)
{
	size_t n = test_rand() % 24, k = strlen(set), i;

	for (i = 0; i < n; i++)
		s[i] = set[test_rand() % k];
	s[n] = '\0';
}

static void test_ulong_random(void)
{
	char s[32];
	const char *end;
	char *lend;
	unsigned long v, want;
	unsigned int base;
	int i, err;

	for (i = 0; i < ROUNDS; i++) {
		base = i & 1 ? 16 : 10;
		random_text(s, "0123456789abcdefABCDEFxX -+");
		if (base == 16 && s[0] == '0' && (s[1] | 0x20) == 'x')
			continue;	/* strtoul reads a prefix there */
		err = num_ulong(s, &end, base, &v);
		if (!strchr("0123456789abcdefABCDEF", s[0]) || !s[0] ||
		    (base == 10 && !strchr("0123456789", s[0]))) {
			EXPECT(err == -EINVAL && end == s, "'%s' read", s);
			continue;
		}
		errno = 0;
		want = strtoul(s, &lend, base);
		EXPECT(v == want && end == lend &&
		       (err == -ERANGE) == (errno == ERANGE),
		       "'%s' base %u: %lu, strtoul %lu", s, base, v, want);
	}
	test_end("numparse_ulong_vs_strtoul");
}

static void test_int_random(void)
{
	char s[32];
	const char *end;
	char *lend;
	long want;
	int i, v, err, range;

	for (i = 0; i < ROUNDS; i++) {
		random_text(s, i & 1 ? "0123456789 \t+-" : "21474836489-+ ");
		err = num_int(s, &end, &v);
		errno = 0;
		want = strtol(s, &lend, 10);
		range = errno == ERANGE || want > INT_MAX || want < INT_MIN;
		EXPECT(end == lend, "'%s': %zu read, strtol %zu", s,
		       (size_t)(end - s), (size_t)(lend - s));
		if (lend == s)
			EXPECT(err == -EINVAL, "'%s': %d", s, err);
		else if (range)
			EXPECT(err == -ERANGE, "'%s': %d", s, err);
		else
			EXPECT(!err && v == want, "'%s': %d, strtol %ld", s, v,
			       want);
	}
	test_end("numparse_int_vs_strtol");
}

/* How many doubles apart a and b are (both finite, same sign). */
static uint64_t ulps(double a, double b)
{
	int64_t x, y;

	memcpy(&x, &a, sizeof(x));
	memcpy(&y, &b, sizeof(y));
	return x > y ? (uint64_t)(x - y) : (uint64_t)(y - x);
}

static void check_double(const char *s, int exact)
{
	const char *end;
	char *lend;
	double v, want;
	int err;

	err = num_double(s, &end, &v);
	errno = 0;
	want = strtod(s, &lend);
	EXPECT(end == lend, "'%s': %zu read, strtod %zu", s,
	       (size_t)(end - s), (size_t)(lend - s));
	if (lend == s) {
		EXPECT(err == -EINVAL, "'%s': %d", s, err);
		return;
	}
	EXPECT((err == -ERANGE) == (errno == ERANGE) || want < DBL_MIN,
	       "'%s': %d, strtod errno %d (%a)", s, err, errno, want);
	if (isinf(want) || want < DBL_MIN)
		EXPECT(isinf(want) ? isinf(v) : v < DBL_MIN,
		       "'%s': %a, strtod %a", s, v, want);
	else
		EXPECT(exact ? v == want : ulps(v, want) <= MAX_ULPS,
		       "'%s': %a, strtod %a", s, v, want);
}

static void test_double_random(void)
{
	char s[48];
	int i;

	for (i = 0; i < ROUNDS; i++) {
		random_text(s, i & 1 ? "0123456789.e-+" : "0x1.8fFpP-+e9");
		if ((s[0] >= '0' && s[0] <= '9') || s[0] == '.')
			check_double(s, 0);
		else
			EXPECT(num_double(s, NULL, &(double){ 0 }) == -EINVAL,
			       "'%s' read", s);
	}
	/* What a person types: up to 15 digits, exactly rounded. */
	for (i = 0; i < ROUNDS; i++) {
		snprintf(s, sizeof(s), "%llu.%llue%d",
			 test_rand() % 100000000, test_rand() % 10000000,
			 (int)(test_rand() % 31) - 15);
		check_double(s, 1);
		snprintf(s, sizeof(s), "%llu.%0*llu",
			 test_rand() % 100000000, (int)(test_rand() % 7) + 1,
			 test_rand() % 1000000);
		check_double(s, 1);
	}
	test_end("numparse_double_vs_strtod");
}

static void test_field(void)
{
	const char *line = "ext4 1081344 1 - Live 0xffffffffc0a1b000\n";
	const char *f;
	size_t len = 0;

	f = num_field(line, 0, &len);
	EXPECT(f == line && len == 4, "field 0: %zu", len);
	f = num_field(line, 5, &len);
	EXPECT(f && len == 18 && !strncmp(f, "0xffffffffc0a1b000", len),
	       "field 5: %.*s", (int)len, f ? f : "");
	EXPECT(!num_field(line, 6, &len), "a field 6");
	EXPECT(!num_field("", 0, &len), "a field in \"\"");
	EXPECT(!num_field(" \t\n", 0, &len), "a field in blanks");
	f = num_field("\ta\t b", 1, &len);
	EXPECT(f && *f == 'b' && len == 1, "tabs");
	test_end("numparse_field");
}

int main(void)
{
	test_ulong_cases();
	test_int_cases();
	test_double_cases();
	test_ulong_random();
	test_int_random();
	test_double_random();
	test_field();
	return test_failed ? 1 : 0;
}
