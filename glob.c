// SPDX-License-Identifier: GPL-2.0
/*
 * glob.c - shell wildcards, ASCII only (glob.h).
 *
 * Every token but '*' matches exactly one character, so the classic
 * two-pointer walk suffices: on a mismatch, go back to the last '*' and
 * let it take one more character.  No recursion, and time at most the
 * pattern's length times the name's.
 */
#include <ctype.h>
#include <string.h>

#include "glob.h"

static const struct {
	const char *name;
	int (*is)(int c);
} classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
	{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
	{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
	{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

/*
 * [:name:] at p (p at the first ':'): whether c is of that class, and
 * *end past the closing ":]"; a name no class has matches nothing, as in
 * glibc.  -1 when no lowercase letters and ":]" follow: the '[' before
 * p is then a plain character of the set.
 */
static int class_match(const char *p, const char **end, unsigned char c)
{
	size_t len = 0, i;

	while (islower((unsigned char)p[1 + len]))
		len++;
	if (p[1 + len] != ':' || p[2 + len] != ']')
		return -1;
	*end = p + len + 3;
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i].name) == len &&
		    !strncmp(classes[i].name, p + 1, len))
			return classes[i].is(c) != 0;
	}
	return 0;
}

/*
 * The set [...] at p (past the '['), against c: 1 or 0, *end past the
 * ']'; -1 when the set has no ']' (the '[' is then a plain character).
 */
static int set_match(const char *p, const char **end, unsigned char c)
{
	int negate = 0, in = 0, first = 1, k;
	unsigned char lo, hi;

	if (*p == '!' || *p == '^') {
		negate = 1;
		p++;
	}
	for (; *p && (first || *p != ']'); first = 0) {
		if (p[0] == '[' && p[1] == ':') {
			k = class_match(p + 1, &p, c);
			if (k >= 0) {
				in |= k;
				continue;
			}
		}
		if (*p == '\\' && p[1])
			p++;
		lo = hi = (unsigned char)*p++;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		in |= lo <= c && c <= hi;
	}
	if (*p != ']')
		return -1;
	*end = p + 1;
	return in != negate;
}

/*
 * The token at *pp against c: 1 or 0, *pp past it.  '*' is the caller's.
 */
static int token_match(const char **pp, unsigned char c)
{
	const char *p = *pp;
	int k;

	if (*p == '?') {
		*pp = p + 1;
		return 1;
	}
	if (*p == '[') {
		k = set_match(p + 1, pp, c);
		if (k >= 0)
			return k;
	}
	if (*p == '\\' && p[1])
		p++;
	*pp = p + 1;
	return (unsigned char)*p == c;
}

int glob_match(const char *pattern, const char *name)
{
	const char *p = pattern, *n = name;
	const char *star_p = NULL, *star_n = NULL;

	while (*n) {
		if (*p == '*') {
			/* Let the star take nothing first; remember it. */
			star_p = ++p;
			star_n = n;
			continue;
		}
		if (*p && token_match(&p, (unsigned char)*n)) {
			n++;
			continue;
		}
		if (!star_p)
			return 0;
		/* Mismatch: the last star takes one more character. */
		p = star_p;
		n = ++star_n;
	}
	while (*p == '*')
		p++;
	return !*p;
}
