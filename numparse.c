// SPDX-License-Identifier: GPL-2.0
/*
 * numparse.c - numbers read from text, without scanf or strto*(); see
 * numparse.h for what each parser accepts.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "numparse.h"

/* Decimal exponents beyond these cannot come back within a double's range. */
#define EXP_CLAMP	100000

static int digit_of(int c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		d = (c | 0x20) - 'a' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

int num_ulong(const char *s, const char **end, unsigned int base,
	      unsigned long *out)
{
	unsigned long v = 0;
	const char *p = s;
	int d, err = -EINVAL;

	for (; (d = digit_of(*p, base)) >= 0; p++) {
		if (err == -ERANGE)
			continue;
		err = 0;
		if (v > (ULONG_MAX - d) / base) {
			err = -ERANGE;
			v = ULONG_MAX;
		} else {
			v = v * base + d;
		}
	}
	*out = v;
	if (end)
		*end = p;
	return err;
}

int num_int(const char *s, const char **end, int *out)
{
	const char *p = s;
	unsigned long v, max = INT_MAX;
	int neg = 0, err;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	err = num_ulong(p, &p, 10, &v);
	if (err == -EINVAL) {
		*out = 0;
		if (end)
			*end = s;
		return err;
	}
	if (end)
		*end = p;
	if (neg)
		max++;
	if (err || v > max) {
		*out = neg ? INT_MIN : INT_MAX;
		return -ERANGE;
	}
	*out = neg ? (int)-(long)v : (int)v;
	return 0;
}

/*
 * The digits of a float: m, the first significant ones (19 decimal ones
 * fit in 64 bits, 15 hex ones in 60), times base to the power e.
 */
struct mantissa {
	uint64_t m;
	long e;
	unsigned int base, used, max;
	int digits;
};

static void mantissa_add(struct mantissa *mt, int d, int fraction)
{
	mt->digits = 1;
	if (!mt->m && !d) {
		mt->e -= fraction;
		return;
	}
	if (mt->used < mt->max) {
		mt->m = mt->m * mt->base + d;
		mt->used++;
		mt->e -= fraction;
	} else {
		mt->e += !fraction;
	}
}

/* DIGITS[.DIGITS] at *p: 0 if any digit was read (*p then past them). */
static int mantissa_scan(const char **p, unsigned int base,
			 struct mantissa *mt)
{
	const char *q = *p;
	int d, fraction = 0;

	mt->base = base;
	mt->max = base == 10 ? 19 : 15;
	for (;; q++) {
		d = digit_of(*q, base);
		if (d >= 0) {
			mantissa_add(mt, d, fraction);
		} else if (*q == '.' && !fraction) {
			fraction = 1;
		} else {
			break;
		}
	}
	if (!mt->digits)
		return -EINVAL;
	*p = q;
	return 0;
}

/* [+|-]DIGITS after the exponent's letter at *p, if there are digits. */
static long exponent_scan(const char **p, int letter)
{
	const char *q = *p;
	unsigned long v;
	int neg = 0;

	if ((*q | 0x20) != letter)
		return 0;
	q++;
	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (num_ulong(q, &q, 10, &v) == -EINVAL)
		return 0;
	*p = q;
	if (v > EXP_CLAMP)
		v = EXP_CLAMP;
	return neg ? -(long)v : (long)v;
}

/* m * 10^e, exactly rounded in the fast case (see numparse.h). */
static double scale10(uint64_t m, long e)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
		1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
		1e21, 1e22,
	};
	double v = (double)m;

	if (e > 400)
		return HUGE_VAL;
	if (e < -450)
		return 0;
	for (; e > 22; e -= 22)
		v *= 1e22;
	for (; e < -22; e += 22)
		v /= 1e22;
	return e < 0 ? v / p10[-e] : v * p10[e];
}

/* m * 2^e: exact unless the result leaves a double's normal range. */
static double scale2(uint64_t m, long e)
{
	double v = (double)m;
	long step;

	if (e > 2000)
		return HUGE_VAL;
	if (e < -2200)
		return 0;
	for (; e > 0; e -= step) {
		step = e > 60 ? 60 : e;
		v *= (double)(1ULL << step);
	}
	for (; e < 0; e += step) {
		step = e < -60 ? 60 : -e;
		v /= (double)(1ULL << step);
	}
	return v;
}

int num_double(const char *s, const char **end, double *out)
{
	struct mantissa mt = { 0 };
	const char *p = s;
	int hex = s[0] == '0' && (s[1] | 0x20) == 'x';

	*out = 0;
	if (hex) {
		p = s + 2;
		if (mantissa_scan(&p, 16, &mt)) {
			hex = 0;
			p = s + 1;
			mt.digits = 1;
		}
	} else if (mantissa_scan(&p, 10, &mt)) {
		if (end)
			*end = s;
		return -EINVAL;
	}
	if (hex)
		mt.e = mt.e * 4 + exponent_scan(&p, 'p');
	else if (mt.m)
		mt.e += exponent_scan(&p, 'e');
	else
		exponent_scan(&p, 'e');
	if (end)
		*end = p;
	if (!mt.m)
		return 0;
	*out = hex ? scale2(mt.m, mt.e) : scale10(mt.m, mt.e);
	if (isinf(*out))
		return -ERANGE;
	return *out < DBL_MIN ? -ERANGE : 0;
}

const char *num_field(const char *line, unsigned int field, size_t *len)
{
	const char *p = line;
	size_t n;

	for (;;) {
		p += strspn(p, " \t");
		n = strcspn(p, " \t\n");
		if (!n)
			return NULL;
		if (!field--)
			break;
		p += n;
	}
	*len = n;
	return p;
}

int num_read_int(const char *path, int *out)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	*out = 0;
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	return num_int(buf, NULL, out);
}
