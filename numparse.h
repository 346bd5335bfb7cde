/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numparse.h - numbers read from text, without scanf or the strto*()
 * family.
 *
 * libc's versions carry what show_bt never needs (locales, wide input,
 * long double, strtod's every rounding): in musl's static arm64 binary,
 * vfscanf, strtod's float scanning and the soft long double arithmetic it
 * pulls in were about 12 KiB.  These parse exactly the forms show_bt
 * reads:
 *
 *   num_ulong()   digits in base 10 or 16 (no sign, blank or "0x"), as
 *                 far as they go
 *   num_int()     an int as /proc and /sys files print it: leading
 *                 blanks, an optional sign, decimal digits
 *   num_double()  a non-negative decimal or hex float, in strtod()'s
 *                 syntax without the sign, leading blanks, "inf" and "nan"
 *   num_field()   the Nth blank-separated field of a line
 *   num_read_int() num_int() of a /proc or /sys file's first line
 *
 * Each returns 0, -EINVAL when no number starts at the text, or -ERANGE
 * when it does not fit; *end (when not NULL) is then past what was read,
 * so trailing junk is the caller's to refuse.  Neither touches errno.
 */
#ifndef SHOW_BT_NUMPARSE_H
#define SHOW_BT_NUMPARSE_H

#include <stddef.h>

/*
 * The digits of base (10 or 16) at s into *out.  On -ERANGE *end is past
 * every digit and *out is ULONG_MAX; on -EINVAL *end is s and *out 0.
 */
int num_ulong(const char *s, const char **end, unsigned int base,
	      unsigned long *out);

/*
 * Blanks (isspace), then an optional '+' or '-', then decimal digits.
 * On -ERANGE, *out is INT_MAX or INT_MIN.
 */
int num_int(const char *s, const char **end, int *out);

/*
 * DIGITS[.DIGITS][(e|E)[+|-]DIGITS] with digits on at least one side of
 * the point, or 0x (0X) then HEXDIGITS[.HEXDIGITS][(p|P)[+|-]DIGITS]; an
 * exponent without digits is not read, nor a 0x without hex digits (then
 * the number is the 0).  The value is correctly rounded when the digits,
 * leading zeros aside, are at most 15 and a decimal exponent at most 22
 * either way, as in every duration a person types; otherwise within a few
 * units in the last place.  -ERANGE for a result too large for a double,
 * or a nonzero one below DBL_MIN (*out is then HUGE_VAL or the small
 * value), as strtod() reports them.
 */
int num_double(const char *s, const char **end, double *out);

/*
 * The field'th (0 first) run of non-blank characters of line, blanks
 * being ' ' and '\t' (a '\n' ends the line), and its length; NULL if the
 * line has fewer fields.
 */
const char *num_field(const char *line, unsigned int field, size_t *len);

/*
 * num_int() of the start of the file at path (its first 63 bytes), as
 * fscanf(f, "%d") read it; -errno when it cannot be opened or read.
 */
int num_read_int(const char *path, int *out);

#endif
