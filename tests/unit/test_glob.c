// SPDX-License-Identifier: GPL-2.0
/*
 * test_glob.c - glob.c's glob_match(): fixed cases as show_bt's users
 * write them, then random patterns and names over a small alphabet (so
 * that they often match) checked against the host libc's fnmatch(p, n, 0).
 */
#include <fnmatch.h>

#include "../../glob.h"
#include "unit.h"

#define ROUNDS 400000

static void test_cases(void)
{
	static const struct {
		const char *p, *n;
		int match;
	} c[] = {
		{ "vfs_*", "vfs_write", 1 },
		{ "vfs_*", "do_vfs_write", 0 },
		{ "*_read", "vfs_read", 1 },
		{ "*", "", 1 },
		{ "", "", 1 },
		{ "", "a", 0 },
		{ "?", "", 0 },
		{ "tcp_v?_connect", "tcp_v4_connect", 1 },
		{ "block:*", "block:block_rq_issue", 1 },
		{ "*:sys_enter_*", "syscalls:sys_enter_openat", 1 },
		{ "ext[24]_*", "ext4_write", 1 },
		{ "ext[!24]_*", "ext4_write", 0 },
		{ "ext[^24]_*", "ext3_write", 1 },
		{ "x[a-c]", "xb", 1 },
		{ "x[a-c]", "xd", 0 },
		{ "x[]]", "x]", 1 },
		{ "x[!]]", "x]", 0 },
		{ "x[a-]", "x-", 1 },
		{ "x[", "x[", 1 },
		{ "x[ab", "x[ab", 1 },
		{ "x\\*", "x*", 1 },
		{ "x\\*", "xy", 0 },
		{ "[[:digit:]]*", "4k", 1 },
		{ "[[:digit:]]*", "k4", 0 },
		{ "*.cold", "foo.cold", 1 },
		{ "*.part.*", "foo.part.0", 1 },
		{ "**a**b**", "xxaxxbxx", 1 },
		{ "a*b*c", "abxbxc", 1 },
		{ "a*b*c", "abxbxcx", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		EXPECT(glob_match(c[i].p, c[i].n) == c[i].match,
		       "glob_match(\"%s\", \"%s\") = %d, want %d", c[i].p,
		       c[i].n, !c[i].match, c[i].match);
	test_end("glob_cases");
}

static void random_string(char *s, size_t max, const char *alphabet)
{
	size_t len = test_rand() % max, n = strlen(alphabet), i;

	for (i = 0; i < len; i++)
		s[i] = alphabet[test_rand() % n];
	s[len] = '\0';
}

/* Whether some '[' of p has no ']' to close it (a first ']' is a member). */
static int unterminated_set(const char *p)
{
	for (p = strchr(p, '['); p; p = strchr(p + 1, '[')) {
		const char *q = p + 1;

		q += *q == '!' || *q == '^';
		q += *q == ']';
		if (!strchr(q, ']'))
			return 1;
	}
	return 0;
}

static void test_random(void)
{
	char p[16], n[16];
	unsigned long i, matches = 0;

	for (i = 0; i < ROUNDS; i++) {
		int want, got;

		random_string(p, sizeof(p), "ab_*?[]!^-\\:");
		random_string(n, sizeof(n), "ab_-]![");
		/*
		 * A trailing '\' is an error to glibc, a plain '\' here; a
		 * '[' with no ']' after it is a plain '[' here, and glibc's
		 * way with it varies with what comes before.
		 */
		if (strlen(p) && p[strlen(p) - 1] == '\\')
			continue;
		if (unterminated_set(p))
			continue;
		want = fnmatch(p, n, 0) == 0;
		got = glob_match(p, n);
		matches += want;
		EXPECT(got == want, "glob_match(\"%s\", \"%s\") = %d, fnmatch "
		       "says %d", p, n, got, want);
	}
	EXPECT(matches > ROUNDS / 100, "only %lu matches", matches);
	test_end("glob_random_vs_fnmatch");
}

/* Patterns of whole tokens: classes, ranges, sets and escapes. */
static void test_tokens(void)
{
	static const char *const tok[] = {
		"a", "b", "1", "_", "*", "?", "[ab]", "[!a]", "[^b]", "[a-c]",
		"[[:alpha:]]", "[[:digit:]]", "[![:alpha:]_]", "[]a]", "\\*",
		"\\a", "[", "[:", "[a-]", "[\\]]",
	};
	char p[64], n[16];
	unsigned long i, matches = 0;
	size_t k, len, ntok = sizeof(tok) / sizeof(tok[0]);

	for (i = 0; i < ROUNDS; i++) {
		int want, got;

		p[0] = '\0';
		len = test_rand() % 5;
		for (k = 0; k < len; k++)
			strcat(p, tok[test_rand() % ntok]);
		random_string(n, 6, "ab1_[]:*");
		want = fnmatch(p, n, 0) == 0;
		got = glob_match(p, n);
		matches += want;
		EXPECT(got == want, "glob_match(\"%s\", \"%s\") = %d, fnmatch "
		       "says %d", p, n, got, want);
	}
	EXPECT(matches > ROUNDS / 100, "only %lu matches", matches);
	test_end("glob_tokens_vs_fnmatch");
}

int main(void)
{
	test_cases();
	test_random();
	test_tokens();
	return test_failed ? 1 : 0;
}
