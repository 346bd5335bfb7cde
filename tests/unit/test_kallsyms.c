// SPDX-License-Identifier: GPL-2.0
/*
 * test_kallsyms.c - oracle_resolve(), oracle_resolve_named(),
 * oracle_lookup_name() and ksym_format() on the files in
 * tests/fixtures/kallsyms, on files written here (long lines, aliases in
 * every order) and on random ones.
 *
 * Usage: test_kallsyms FIXTURE_DIR WORK_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms_oracle.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixtures, *work;

static const char *fixture(const char *name)
{
	static char path[4][4096];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", fixtures, name);
	return p;
}

static const char *work_file(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", work, name);
	return path;
}

static int is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/* The symbol of one address, formatted, as the tool would print it. */
static void format(char *buf, size_t size, unsigned long addr,
		   const struct ksym *sym)
{
	ksym_format(buf, size, addr, sym);
}

/* want is one string, or alternatives separated by '|'. */
static int matches(const char *got, const char *want)
{
	size_t len = strlen(got);
	const char *p = want;

	for (;;) {
		size_t n = strcspn(p, "|");

		if (n == len && !strncmp(p, got, n))
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

struct resolve_row {
	const char *name;	/* test case, after "kallsyms_resolve_" */
	unsigned long addr;
	const char *want;	/* ksym_format() output */
};

/* Sorted by address, as oracle_resolve() wants them. */
static const struct resolve_row basic_rows[] = {
	{ "below_first_symbol", 0xffffffff80000000, "0xffffffff80000000" },
	{ "exact_shared_text", 0xffffffff81000000,
	  "_stext+0x0|startup_64+0x0" },
	{ "inside_shared_text", 0xffffffff81000010,
	  "_stext+0x10|startup_64+0x10" },
	{ "text_over_data_listed_after", 0xffffffff81100000,
	  "do_sys_open+0x0" },
	{ "inside_text_after_tie", 0xffffffff81100040, "do_sys_open+0x40" },
	{ "text_over_data_listed_before", 0xffffffff81110000,
	  "tied_text+0x0" },
	{ "inside_tied_text", 0xffffffff81110008, "tied_text+0x8" },
	{ "in_data_symbol", 0xffffffff81180010, "0xffffffff81180010" },
	{ "exact_symbol", 0xffffffff81200000, "vfs_write+0x0" },
	{ "inside_symbol", 0xffffffff81200150, "vfs_writev+0x50" },
	{ "duplicate_address", 0xffffffff81200150, "vfs_writev+0x50" },
	{ "absolute_ignored", 0xffffffff81300010, "vfs_writev+0xfff10" },
	{ "duplicate_name", 0xffffffff81400000, "dup_fn+0x0" },
	{ "weak_symbol", 0xffffffff81500104, "weak_fn+0x4" },
	{ "unsorted_entries", 0xffffffff81600180, "xfs_write+0x80" },
	{ "at_etext", 0xffffffff81e00000, "0xffffffff81e00000" },
	{ "past_etext", 0xffffffff81e00100, "0xffffffff81e00100" },
	{ "in_init_data", 0xffffffff82000010, "0xffffffff82000010" },
	{ "module_symbol", 0xffffffffc0a01010, "foo_init+0x10 [foo]" },
	{ "module_exact", 0xffffffffc0a02000, "foo_exit+0x0 [foo]" },
	{ "module_data", 0xffffffffc0a03008, "0xffffffffc0a03008" },
	{ "other_module", 0xffffffffc0b00180, "bar_exported+0x80 [bar]" },
	{ "module_bss", 0xffffffffc0c00000, "0xffffffffc0c00000" },
	{ "past_last_symbol", 0xffffffffc0d00000, "0xffffffffc0d00000" },
	{ "past_last_absolute_ignored", 0xffffffffffff0010,
	  "0xffffffffffff0010" },
};

static const struct resolve_row malformed_rows[] = {
	{ "malformed_skipped", 0xffffffff81000650, "good_one+0x650" },
	{ "malformed_module_no_bracket", 0xffffffff81000850,
	  "mod_no_bracket+0x50" },
	{ "malformed_after_bad_lines", 0xffffffff81001010, "good_two+0x10" },
};

/*
 * Frames and aliases: oracle_resolve() itself takes addresses as given
 * (output.c passes addr - 1 for return addresses).
 */
static const struct resolve_row frames_rows[] = {
	{ "noreturn_call_return_key", 0xffffffff8110003f,
	  "caller_fn+0x3f" },
	{ "pfx_symbol_itself", 0xffffffff81100040, "__pfx_next_fn+0x0" },
	{ "alias_global_over_local_then_shorter", 0xffffffff81200005,
	  "__x64_sys_getppid+0x5" },
	{ "alias_global_over_weak_and_local_despite_underscores",
	  0xffffffff81300010, "___global_third+0x10" },
	{ "alias_weak_over_local", 0xffffffff81400000, "__weak_b+0x0" },
	{ "alias_fewer_underscores", 0xffffffff81500008, "plain+0x8" },
	{ "alias_shorter_then_strcmp", 0xffffffff81700004, "zeta_a+0x4" },
	{ "alias_module_shorter", 0xffffffffc0a00010, "mod_fn+0x10 [foo]" },
	{ "highest_symbol_keeps_offset", 0xffffffffc0a00810,
	  "bpf_prog_1234_handler+0x10 [bpf]" },
	{ "highest_symbol_last_byte", 0xffffffffc0a01fff,
	  "bpf_prog_1234_handler+0x17ff [bpf]" },
	{ "past_highest_symbol_end", 0xffffffffc0a02000,
	  "0xffffffffc0a02000" },
	{ "far_past_highest_symbol", 0xffffffffffff0010,
	  "0xffffffffffff0010" },
};

static unsigned long random_row_addr(void)
{
	return basic_rows[test_below(ARRAY_SIZE(basic_rows))].addr;
}

static int ksym_equal(const struct ksym *a, const struct ksym *b)
{
	return a->addr == b->addr && a->type == b->type &&
	       !strcmp(a->name, b->name) && !strcmp(a->module, b->module);
}

static int ksym_zero(const struct ksym *s)
{
	return !s->addr && !s->type && !s->name[0] && !s->module[0];
}

/* Resolve rows all at once, then report one case per row. */
static void test_rows(const char *path, const struct resolve_row *rows,
		      size_t n)
{
	unsigned long addrs[64] = { 0 };
	struct ksym syms[64];
	char got[KSYM_NAME_LEN + KSYM_MODULE_MAX + 32], name[128];
	size_t i;
	int err;

	if (n > ARRAY_SIZE(addrs))
		n = ARRAY_SIZE(addrs);
	for (i = 0; i < n; i++)
		addrs[i] = rows[i].addr;
	err = oracle_resolve(path, addrs, n, syms);
	for (i = 0; i < n; i++) {
		EXPECT(!err, "kallsyms_resolve returned %d", err);
		format(got, sizeof(got), rows[i].addr, &syms[i]);
		EXPECT(matches(got, rows[i].want), "0x%lx gave '%s', want '%s'",
		       rows[i].addr, got, rows[i].want);
		snprintf(name, sizeof(name), "kallsyms_resolve_%s",
			 rows[i].name);
		test_end(name);
	}
}

/* Every address alone must get what it got in a batch. */
static void check_single_vs_batch(const char *path,
				  const unsigned long *addrs, size_t n,
				  const struct ksym *batch)
{
	struct ksym one;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = oracle_resolve(path, &addrs[i], 1, &one);
		EXPECT(!err, "resolving 0x%lx alone returned %d", addrs[i],
		       err);
		EXPECT(ksym_equal(&one, &batch[i]),
		       "0x%lx: alone '%s' at 0x%lx, in a batch '%s' at 0x%lx",
		       addrs[i], one.name, one.addr, batch[i].name,
		       batch[i].addr);
	}
}

static int cmp_ulong(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return a < b ? -1 : a > b;
}

/* Random sorted subsets (duplicates too) of the interesting addresses. */
static void test_random_subsets(void)
{
	const char *path = fixture("basic");
	unsigned long addrs[16];
	struct ksym syms[16];
	size_t n, i, round;
	int err;

	for (round = 0; round < 200; round++) {
		n = 1 + test_below(ARRAY_SIZE(addrs));
		for (i = 0; i < n; i++) {
			addrs[i] = random_row_addr();
			addrs[i] += test_below(3) ? 0 : test_below(0x40);
		}
		qsort(addrs, n, sizeof(addrs[0]), cmp_ulong);
		err = oracle_resolve(path, addrs, n, syms);
		EXPECT(!err, "kallsyms_resolve returned %d", err);
		check_single_vs_batch(path, addrs, n, syms);
		if (test_why[0])
			break;
	}
	test_end("kallsyms_resolve_batch_equals_single");
}

static void test_resolve_errors(void)
{
	unsigned long addrs[] = { 0x10, 0xffffffff81200000 };
	struct ksym syms[2];
	int err;

	memset(syms, 0x5a, sizeof(syms));
	err = oracle_resolve(fixture("zero"), addrs, 2, syms);
	EXPECT(err == -EACCES, "returned %d, want -EACCES", err);
	EXPECT(ksym_zero(&syms[0]) && ksym_zero(&syms[1]),
	       "symbols not zeroed");
	test_end("kallsyms_resolve_all_zero_is_eacces");

	memset(syms, 0x5a, sizeof(syms));
	err = oracle_resolve(fixture("empty"), addrs, 2, syms);
	EXPECT(err == -EACCES, "returned %d, want -EACCES (no address)",
	       err);
	EXPECT(ksym_zero(&syms[0]) && ksym_zero(&syms[1]),
	       "symbols not zeroed");
	test_end("kallsyms_resolve_empty_file");

	memset(syms, 0x5a, sizeof(syms));
	err = oracle_resolve(fixture("does-not-exist"), addrs, 2, syms);
	EXPECT(err == -ENOENT, "returned %d, want -ENOENT", err);
	EXPECT(ksym_zero(&syms[0]) && ksym_zero(&syms[1]),
	       "symbols not zeroed");
	test_end("kallsyms_resolve_missing_file");

	err = oracle_resolve(fixtures, addrs, 2, syms);
	EXPECT(err < 0, "a directory returned %d, want -errno", err);
	test_end("kallsyms_resolve_directory");
}

struct lookup_want {
	const char *test;
	const char *file;
	const char *name;
	unsigned int text, other;
	char other_type;
	const char *suggest;	/* "a,b,c" in order, "" for none, NULL: any */
};

static const struct lookup_want lookups[] = {
	{ "exists", "basic", "vfs_write", 1, 0, 0, "" },
	{ "duplicate_text_and_data", "basic", "dup_fn", 2, 1, 'D', "" },
	{ "data_only", "basic", "jiffies_like", 0, 1, 'D', NULL },
	{ "rodata", "basic", "tied_rodata", 0, 1, 'r', NULL },
	{ "absolute", "basic", "abs_in_text", 0, 1, 'A', NULL },
	{ "module_symbol", "basic", "foo_init", 1, 0, 0, "" },
	{ "weak_symbol", "basic", "weak_fn", 1, 0, 0, "" },
	{ "missing_name", "basic", "no_such_function_here", 0, 0, 0, "" },
	{ "suggest_typo", "basic", "vfs_writ", 0, 0, 0,
	  "vfs_write,nfs_write,xfs_write" },
	{ "suggest_module", "basic", "foo_ini", 0, 0, 0, "foo_init" },
	{ "suggest_swap", "basic", "do_sys_opne", 0, 0, 0, "do_sys_open" },
	{ "suggest_none_when_exists", "basic", "nfs_write", 1, 0, 0, "" },
	{ "suggest_none_far", "basic", "zzzzqqqqxxxx", 0, 0, 0, "" },
	{ "suggest_not_data", "basic", "jiffies_lik", 0, 0, 0, "" },
	{ "empty_name", "basic", "", 0, 0, 0, NULL },
	{ "zero_addresses_still_named", "zero", "vfs_write", 1, 0, 0, "" },
	{ "zero_addresses_suggest", "zero", "vfs_writ", 0, 0, 0,
	  "vfs_write,vfs_writev" },
	{ "empty_file", "empty", "vfs_write", 0, 0, 0, "" },
	{ "malformed_good_line", "malformed", "good_two", 1, 0, 0, "" },
	{ "malformed_bad_type", "malformed", "bad_type_width", 0, 0, 0, "" },
	{ "malformed_two_spaces", "malformed", "two_spaces", 0, 0, 0, "" },
	{ "malformed_tab", "malformed", "tab_sep", 0, 0, 0, "" },
	{ "malformed_bad_hex", "malformed", "bad_hex", 0, 0, 0, "" },
	{ "malformed_no_address", "malformed", "no_addr", 0, 0, 0, "" },
	{ "malformed_data_line", "malformed", "good_data", 0, 1, 'D', NULL },
	{ "last_line_without_newline", "no_newline", "last_fn_no_newline",
	  1, 0, 0, "" },
};

/* The suggestions as "a,b,c". */
static void join_suggestions(char *buf, size_t size,
			     const struct ksym_name_info *info)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < info->nsuggest && i < KSYM_SUGGESTIONS; i++)
		n += snprintf(buf + n, n < size ? size - n : 0, "%s%s",
			      i ? "," : "", info->suggest[i]);
}

/* What every answer must satisfy, whatever the file. */
static void check_info(const char *name, const struct ksym_name_info *info)
{
	unsigned int i, j;

	EXPECT(info->nsuggest <= KSYM_SUGGESTIONS, "%u suggestions",
	       info->nsuggest);
	EXPECT(!info->text || !info->nsuggest,
	       "suggestions for a name that exists");
	EXPECT(!info->other || info->other_type,
	       "other symbols but no other_type");
	for (i = 0; i < info->nsuggest && i < KSYM_SUGGESTIONS; i++) {
		EXPECT(memchr(info->suggest[i], '\0', KSYM_NAME_LEN),
		       "suggestion %u not terminated", i);
		if (!memchr(info->suggest[i], '\0', KSYM_NAME_LEN))
			return;
		EXPECT(info->suggest[i][0], "suggestion %u is empty", i);
		EXPECT(strcmp(info->suggest[i], name),
		       "suggests the name itself");
		for (j = 0; j < i; j++)
			EXPECT(strcmp(info->suggest[i], info->suggest[j]),
			       "'%s' suggested twice", info->suggest[i]);
	}
}

static void test_lookups(void)
{
	struct ksym_name_info info;
	char got[3 * KSYM_NAME_LEN + 4], name[128];
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(lookups); i++) {
		const struct lookup_want *w = &lookups[i];

		memset(&info, 0x5a, sizeof(info));
		err = oracle_lookup_name(fixture(w->file), w->name, &info);
		/* A name found where every address is hidden: -EACCES. */
		if (!strcmp(w->file, "zero") && w->text)
			EXPECT(err == -EACCES, "returned %d, want -EACCES",
			       err);
		else
			EXPECT(!err, "returned %d", err);
		EXPECT(info.text == w->text, "text %u, want %u", info.text,
		       w->text);
		EXPECT(info.other == w->other, "other %u, want %u",
		       info.other, w->other);
		EXPECT(!w->other || info.other_type == w->other_type,
		       "other_type '%c', want '%c'", info.other_type,
		       w->other_type);
		check_info(w->name, &info);
		join_suggestions(got, sizeof(got), &info);
		EXPECT(!w->suggest || !strcmp(got, w->suggest),
		       "suggested '%s', want '%s'", got, w->suggest);
		snprintf(name, sizeof(name), "kallsyms_lookup_%s", w->test);
		test_end(name);
	}

	memset(&info, 0x5a, sizeof(info));
	err = oracle_lookup_name(fixture("does-not-exist"), "vfs_write",
				   &info);
	EXPECT(err == -ENOENT, "returned %d, want -ENOENT", err);
	EXPECT(!info.text && !info.other && !info.nsuggest,
	       "info not cleared");
	test_end("kallsyms_lookup_missing_file");
}

/* A query longer than any symbol: no suggestion, no overflow. */
static void test_long_query(void)
{
	struct ksym_name_info info;
	static char name[4000];
	int err;

	memset(name, 'v', sizeof(name) - 1);
	memcpy(name, "vfs_write", 9);
	err = oracle_lookup_name(fixture("basic"), name, &info);
	EXPECT(!err, "returned %d", err);
	EXPECT(!info.text && !info.nsuggest, "text %u, %u suggestions",
	       info.text, info.nsuggest);
	test_end("kallsyms_lookup_long_query");
}

/*
 * Lines longer than kallsyms.c's buffer are skipped whole: a symbol line
 * hidden at every offset inside a long line, wherever the buffer boundary
 * falls, must never be read.  Names of 511 bytes fit, 512 do not.
 */
static void test_long_lines(void)
{
	const char *path = work_file("kallsyms_long");
	unsigned long addrs[] = { 0xffffffff81000010, 0xffffffff81000210,
				  0xffffffff81000310 };
	struct ksym_name_info info;
	struct ksym syms[3];
	char name511[512], name512[513], got[1200];
	FILE *f = fopen(path, "w");
	size_t k;
	int err;

	if (!f) {
		test_fail("cannot write %s", path);
		test_end("kallsyms_long_lines");
		return;
	}
	memset(name511, 'a', 511);
	name511[511] = '\0';
	memset(name512, 'b', 512);
	name512[512] = '\0';
	fprintf(f, "ffffffff81000000 T %s\n", name511);
	fprintf(f, "ffffffff81000100 T %s\n", name512);
	for (k = 500; k < 1500; k++)
		fprintf(f, "ffffffff81001000 T %*s%s\n", (int)k, "x",
			"ffffffff81000200 T evil");
	fprintf(f, "ffffffff81000300 T after_long\n");
	fprintf(f, "ffffffff81002000 T %*s\n", 3000, "y");
	fprintf(f, "ffffffff81003000 D end_data\n");
	fprintf(f, "ffffffff81004000 T %*s", 2000, "tail_no_newline");
	fclose(f);

	err = oracle_lookup_name(path, "evil", &info);
	EXPECT(!err && !info.text, "err %d, 'evil' found %u times", err,
	       info.text);
	test_end("kallsyms_long_line_hidden_symbol_lookup");

	err = oracle_lookup_name(path, name511, &info);
	EXPECT(!err && info.text == 1, "err %d, 511-byte name found %u times",
	       err, info.text);
	test_end("kallsyms_long_name_511_bytes");

	err = oracle_lookup_name(path, name512, &info);
	EXPECT(!err && !info.text, "err %d, 512-byte name found %u times",
	       err, info.text);
	test_end("kallsyms_long_name_512_bytes_rejected");

	err = oracle_lookup_name(path, "after_long", &info);
	EXPECT(!err && info.text == 1, "err %d, after_long found %u times",
	       err, info.text);
	test_end("kallsyms_line_after_long_lines");

	err = oracle_resolve(path, addrs, 3, syms);
	EXPECT(!err, "returned %d", err);
	format(got, sizeof(got), addrs[0], &syms[0]);
	EXPECT(!strncmp(got, "aaaa", 4) && strstr(got, "a+0x10"),
	       "0x%lx gave '%.40s...'", addrs[0], got);
	format(got, sizeof(got), addrs[1], &syms[1]);
	EXPECT(!strstr(got, "evil"), "0x%lx gave '%s'", addrs[1], got);
	format(got, sizeof(got), addrs[2], &syms[2]);
	EXPECT(!strcmp(got, "after_long+0x10"), "0x%lx gave '%s'", addrs[2],
	       got);
	test_end("kallsyms_long_line_hidden_symbol_resolve");
}

static void test_format(void)
{
	struct ksym sym;
	char buf[64];

	memset(&sym, 0, sizeof(sym));
	ksym_format(buf, sizeof(buf), 0xffffffff81234567, NULL);
	EXPECT(!strcmp(buf, "0xffffffff81234567"), "NULL sym: '%s'", buf);
	ksym_format(buf, sizeof(buf), 0xffffffff81234567, &sym);
	EXPECT(!strcmp(buf, "0xffffffff81234567"), "empty sym: '%s'", buf);
	ksym_format(buf, sizeof(buf), 0, NULL);
	EXPECT(!strcmp(buf, "0x0"), "address 0: '%s'", buf);
	test_end("kallsyms_format_bare_hex");

	sym.addr = 0xffffffff81200000;
	sym.type = 'T';
	strcpy(sym.name, "vfs_write");
	ksym_format(buf, sizeof(buf), 0xffffffff81200000, &sym);
	EXPECT(!strcmp(buf, "vfs_write+0x0"), "got '%s'", buf);
	ksym_format(buf, sizeof(buf), 0xffffffff812000ab, &sym);
	EXPECT(!strcmp(buf, "vfs_write+0xab"), "got '%s'", buf);
	test_end("kallsyms_format_kernel");

	sym.addr = 0xffffffffc0a01000;
	sym.type = 't';
	strcpy(sym.name, "foo_init");
	strcpy(sym.module, "foo");
	ksym_format(buf, sizeof(buf), 0xffffffffc0a01010, &sym);
	EXPECT(!strcmp(buf, "foo_init+0x10 [foo]"), "got '%s'", buf);
	test_end("kallsyms_format_module");

	memset(buf, '#', sizeof(buf));
	ksym_format(buf, 8, 0xffffffffc0a01010, &sym);
	EXPECT(!strcmp(buf, "foo_ini"), "size 8: '%s'", buf);
	EXPECT(buf[8] == '#', "wrote past size 8");
	ksym_format(buf, 1, 0xffffffffc0a01010, &sym);
	EXPECT(buf[0] == '\0' && buf[1] == 'o', "size 1 wrote '%s'", buf);
	memset(buf, '#', sizeof(buf));
	ksym_format(buf, 0, 0xffffffffc0a01010, &sym);
	EXPECT(buf[0] == '#', "size 0 wrote into buf");
	test_end("kallsyms_format_truncates");
}

/* A random file: raw bytes, bytes of kallsyms' alphabet, or a mutant. */
static size_t random_file(char *buf, size_t size, const char *seed,
			  size_t seed_len)
{
	static const char alpha[] =
		"0123456789abcdefABCDEF ffff\t\n\n[]TtDdAaWwUbr_x";
	size_t n = 0, i, k, at, len;

	switch (test_below(3)) {
	case 0:
		n = test_below(1500);
		for (i = 0; i < n; i++)
			buf[i] = (char)test_rand();
		break;
	case 1:
		n = test_below(3000);
		for (i = 0; i < n; i++)
			buf[i] = alpha[test_below(sizeof(alpha) - 1)];
		break;
	default:
		n = seed_len < size ? seed_len : size;
		memcpy(buf, seed, n);
		for (k = 1 + test_below(8); k > 0 && n; k--) {
			at = test_below(n);
			switch (test_below(5)) {
			case 0:		/* flip a byte */
				buf[at] ^= (char)(1 + test_below(255));
				break;
			case 1:		/* insert one */
				if (n + 1 >= size)
					break;
				memmove(buf + at + 1, buf + at, n - at);
				buf[at] = alpha[test_below(sizeof(alpha) - 1)];
				n++;
				break;
			case 2:		/* delete a run */
				len = test_below(n - at) + 1;
				memmove(buf + at, buf + at + len,
					n - at - len);
				n -= len;
				break;
			case 3:		/* copy a run elsewhere */
				len = test_below(64);
				if (at + len > n || n + len >= size)
					break;
				i = test_below(n);
				memmove(buf + i + len, buf + i, n - i);
				memmove(buf + i, buf + (at < i ? at : at + len),
					len);
				n += len;
				break;
			default:	/* truncate */
				n = at;
				break;
			}
		}
	}
	return n;
}

static size_t read_fixture(const char *name, char *buf, size_t size)
{
	FILE *f = fopen(fixture(name), "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, size, f);
	fclose(f);
	return n;
}

/* The invariants of one resolved symbol. */
static void check_sym(unsigned long addr, const struct ksym *s)
{
	char buf[KSYM_NAME_LEN + KSYM_MODULE_MAX + 32];

	EXPECT(memchr(s->name, '\0', sizeof(s->name)) &&
	       memchr(s->module, '\0', sizeof(s->module)),
	       "unterminated name or module");
	if (!memchr(s->name, '\0', sizeof(s->name)) ||
	    !memchr(s->module, '\0', sizeof(s->module)))
		return;
	if (!s->addr) {
		EXPECT(ksym_zero(s), "addr 0 but name '%s'", s->name);
	} else {
		EXPECT(s->addr <= addr, "0x%lx resolved above it, 0x%lx",
		       addr, s->addr);
		EXPECT(is_text(s->type), "0x%lx resolved to type '%c'", addr,
		       s->type);
		EXPECT(s->name[0], "0x%lx resolved to an empty name", addr);
	}
	format(buf, sizeof(buf), addr, s);
	EXPECT(buf[0], "empty format");
}

static void test_fuzz(void)
{
	static char seed[8192], buf[16384];
	static const char *names[] = { "vfs_write", "vfs_writ", "foo_init",
				       "", "x" };
	char path[4200];
	size_t seed_len = read_fixture("basic", seed, sizeof(seed));
	unsigned long addrs[8];
	struct ksym syms[8];
	struct ksym_name_info info;
	char qname[24];
	unsigned int round, i, n, bad = 0;
	size_t len, k;
	FILE *f;
	int err;

	EXPECT(seed_len > 0, "cannot read the basic fixture");
	for (round = 0; round < 2000 && !test_why[0]; round++) {
		/*
		 * A new file each round: rewriting one would make ext4 flush
		 * it on every close (auto_da_alloc).
		 */
		snprintf(path, sizeof(path), "%s.%u", work_file("fuzz"), round);
		len = random_file(buf, sizeof(buf), seed, seed_len);
		f = fopen(path, "w");
		if (!f || fwrite(buf, 1, len, f) != len) {
			test_fail("cannot write %s", path);
			if (f)
				fclose(f);
			break;
		}
		fclose(f);

		n = 1 + test_below(ARRAY_SIZE(addrs));
		for (i = 0; i < n; i++)
			addrs[i] = test_below(2) ? test_rand() :
				   random_row_addr() + test_below(0x100);
		qsort(addrs, n, sizeof(addrs[0]), cmp_ulong);
		err = oracle_resolve(path, addrs, n, syms);
		EXPECT(!err || err == -EACCES, "round %u: resolve returned %d",
		       round, err);
		for (i = 0; i < n; i++) {
			check_sym(addrs[i], &syms[i]);
			EXPECT(err != -EACCES || ksym_zero(&syms[i]),
			       "round %u: -EACCES with a symbol", round);
		}
		if (!err && round % 4 == 0)
			check_single_vs_batch(path, addrs, n, syms);

		for (i = 0; i < ARRAY_SIZE(names) + 1; i++) {
			const char *q = qname;

			if (i < ARRAY_SIZE(names)) {
				q = names[i];
			} else {
				len = test_below(sizeof(qname));
				for (k = 0; k < len; k++)
					qname[k] = "abcfo_iw"[test_below(8)];
				qname[len] = '\0';
			}
			err = oracle_lookup_name(path, q, &info);
			EXPECT(!err, "round %u: lookup('%s') returned %d",
			       round, q, err);
			check_info(q, &info);
		}
		if (test_why[0])
			bad = round;
		else
			remove(path);
	}
	if (test_why[0])
		fprintf(stderr, "test_kallsyms: fuzz round %u failed on %s\n",
			bad, path);
	test_end("kallsyms_fuzz_2000_files");
}

/* Write lines[0..n) to path in the order given by perm. */
static int write_lines(const char *path, const char *const *lines,
		       const unsigned int *perm, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		return -1;
	for (i = 0; i < n; i++)
		fputs(lines[perm ? perm[i] : i], f);
	return fclose(f);
}

/*
 * The alias rule must not depend on the order the file lists aliases in
 * (modules load in any order; the kernel sorts its own aliases by its own
 * rule): every order of each group gives the same name.
 */
static void test_alias_orders(void)
{
	static const char *const groups[4][3] = {
		{ "ffffffff81300000 t local_first\n",
		  "ffffffff81300000 W __weak_second\n",
		  "ffffffff81300000 T ___global_third\n" },
		{ "ffffffff81500000 T __underscored\n",
		  "ffffffff81500000 T plain\n",
		  "ffffffff81500000 T _one\n" },
		{ "ffffffff81200000 t __do_sys_getppid\n",
		  "ffffffff81200000 T __ia32_sys_getppid\n",
		  "ffffffff81200000 T __x64_sys_getppid\n" },
		{ "ffffffff81700000 T zeta_b\n",
		  "ffffffff81700000 T zeta_ab\n",
		  "ffffffff81700000 T zeta_a\n" },
	};
	static const unsigned int perms[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	const unsigned long addrs[] = { 0xffffffff81200005,
					0xffffffff81300010,
					0xffffffff81500008,
					0xffffffff81700004 };
	static const unsigned char named[] = { 1, 1, 1, 1 };
	static const char *const traced[] = { "__ia32_sys_getppid" };
	const char *lines[13], *path = work_file("kallsyms_aliases");
	struct ksym syms[4];
	unsigned int p, g, k;
	int err;

	for (p = 0; p < 6; p++) {
		for (g = 0; g < 4; g++)
			for (k = 0; k < 3; k++)
				lines[g * 3 + k] = groups[g][perms[p][k]];
		lines[12] = "ffffffff81e00000 T _etext\n";
		if (write_lines(path, lines, NULL, 13)) {
			test_fail("cannot write %s", path);
			break;
		}
		err = oracle_resolve(path, addrs, 4, syms);
		EXPECT(!err, "order %u: returned %d", p, err);
		EXPECT(!strcmp(syms[0].name, "__x64_sys_getppid"),
		       "order %u: 0x81200005 is '%s'", p, syms[0].name);
		EXPECT(!strcmp(syms[1].name, "___global_third"),
		       "order %u: 0x81300010 is '%s'", p, syms[1].name);
		EXPECT(!strcmp(syms[2].name, "plain"),
		       "order %u: 0x81500008 is '%s'", p, syms[2].name);
		EXPECT(!strcmp(syms[3].name, "zeta_a"),
		       "order %u: 0x81700004 is '%s'", p, syms[3].name);
		err = oracle_resolve_named(path, addrs, 4, syms, named,
					     traced, 1);
		EXPECT(!err && !strcmp(syms[0].name, "__ia32_sys_getppid") &&
		       syms[0].type == 'T' &&
		       syms[0].addr == 0xffffffff81200000,
		       "order %u: traced 0x81200005 is '%s' %c at 0x%lx", p,
		       syms[0].name, syms[0].type, syms[0].addr);
		EXPECT(!strcmp(syms[1].name, "___global_third"),
		       "order %u: traced, 0x81300010 is '%s'", p,
		       syms[1].name);
	}
	test_end("kallsyms_alias_rule_any_order");
}

/*
 * oracle_resolve_named(): addresses in any order with repeats, a name
 * asked for only where named[i] is set, and only a name that is an alias
 * of the function found (not one elsewhere, not one in another module).
 */
static void test_resolve_named(void)
{
	const char *path = fixture("frames");
	static const unsigned long addrs[] = {
		0xffffffffc0a00010, 0xffffffff81200005, 0xffffffff81200005,
		0xffffffff81100050, 0xffffffff8110003f, 0xffffffff81500008,
		0xffffffffc0a00010, 0x10,
	};
	static const unsigned char named[] = { 1, 1, 0, 1, 1, 1, 0, 1 };
	static const char *const traced[] = {
		"next_fn", "__ia32_sys_getppid", "mod_alias", "plain",
		"__ia32_sys_getppid", "caller_fn", "_one", "vfs_write",
	};
	static const char *const want[] = {
		"mod_alias+0x10 [foo]", "__ia32_sys_getppid+0x5",
		"__x64_sys_getppid+0x5", "next_fn+0x0", "caller_fn+0x3f",
		"plain+0x8", "mod_fn+0x10 [foo]", "0x10",
	};
	struct ksym syms[ARRAY_SIZE(addrs)], one;
	char got[KSYM_NAME_LEN + KSYM_MODULE_MAX + 32];
	size_t i;
	int err;

	err = oracle_resolve_named(path, addrs, ARRAY_SIZE(addrs), syms,
				     named, traced, ARRAY_SIZE(traced));
	EXPECT(!err, "returned %d", err);
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		format(got, sizeof(got), addrs[i], &syms[i]);
		EXPECT(!strcmp(got, want[i]),
		       "[%zu] 0x%lx gave '%s', want '%s'", i, addrs[i], got,
		       want[i]);
		err = oracle_resolve_named(path, &addrs[i], 1, &one,
					     &named[i], traced,
					     ARRAY_SIZE(traced));
		EXPECT(!err && ksym_equal(&one, &syms[i]),
		       "[%zu] alone '%s', in a batch '%s'", i, one.name,
		       syms[i].name);
	}
	test_end("kallsyms_resolve_named");

	memset(syms, 0x5a, sizeof(syms));
	err = oracle_resolve_named(fixture("zero"), addrs, 2, syms, named,
				     traced, 2);
	EXPECT(err == -EACCES && ksym_zero(&syms[0]) && ksym_zero(&syms[1]),
	       "zero fixture: returned %d", err);
	test_end("kallsyms_resolve_named_hidden");
}

/* A highest symbol that starts a page ends with it (perf's rule). */
static void test_highest_aligned(void)
{
	static const char *const lines[] = {
		"ffffffff81000000 T first_fn\n",
		"ffffffff81001000 t last_aligned\n",
	};
	const unsigned long addrs[] = { 0xffffffff81001000,
					0xffffffff81001fff,
					0xffffffff81002000 };
	const char *path = work_file("kallsyms_highest");
	struct ksym syms[3];
	char got[KSYM_NAME_LEN + 32];
	int err;

	if (write_lines(path, lines, NULL, 2)) {
		test_fail("cannot write %s", path);
	} else {
		err = oracle_resolve(path, addrs, 3, syms);
		EXPECT(!err, "returned %d", err);
		format(got, sizeof(got), addrs[0], &syms[0]);
		EXPECT(!strcmp(got, "last_aligned+0x0"), "start: '%s'", got);
		format(got, sizeof(got), addrs[1], &syms[1]);
		EXPECT(!strcmp(got, "last_aligned+0xfff"), "last: '%s'", got);
		format(got, sizeof(got), addrs[2], &syms[2]);
		EXPECT(!strcmp(got, "0xffffffff81002000"), "past: '%s'", got);
	}
	test_end("kallsyms_highest_symbol_page_aligned");
}

/* kallsyms_addrs: text symbols only, repeated names, hidden addresses. */
static void test_addrs(void)
{
	static const char *const names[] = {
		"dup_fn", "dup_fn", "no_such_fn", "vfs_write", "vfs_writev",
	};
	unsigned long addrs[5];
	unsigned int counts[5];
	int err;

	err = oracle_addrs(fixture("basic"), names, 5, addrs, counts);
	EXPECT(!err, "returned %d", err);
	EXPECT(counts[0] == 2 && counts[1] == 2 && addrs[0] == 0xffffffff81400000ul &&
	       addrs[1] == addrs[0], "dup_fn: %u at %lx, %u at %lx", counts[0],
	       addrs[0], counts[1], addrs[1]);
	EXPECT(!counts[2] && !addrs[2], "no_such_fn: %u", counts[2]);
	EXPECT(counts[3] == 1 && addrs[3] == 0xffffffff81200000ul &&
	       counts[4] == 1 && addrs[4] == 0xffffffff81200100ul,
	       "vfs_write %u %lx, vfs_writev %u %lx", counts[3], addrs[3],
	       counts[4], addrs[4]);
	test_end("kallsyms_addrs_basic");
	err = oracle_addrs(fixture("zero"), names, 5, addrs, counts);
	EXPECT(err == -EACCES, "zero fixture: returned %d", err);
	test_end("kallsyms_addrs_hidden");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s FIXTURE_DIR WORK_DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fixtures = argv[1];
	work = argv[2];

	test_addrs();
	test_rows(fixture("basic"), basic_rows, ARRAY_SIZE(basic_rows));
	test_rows(fixture("malformed"), malformed_rows,
		  ARRAY_SIZE(malformed_rows));
	test_rows(fixture("frames"), frames_rows, ARRAY_SIZE(frames_rows));
	test_alias_orders();
	test_resolve_named();
	test_highest_aligned();
	{
		unsigned long addrs[ARRAY_SIZE(basic_rows)];
		struct ksym syms[ARRAY_SIZE(basic_rows)];
		size_t i;
		int err;

		for (i = 0; i < ARRAY_SIZE(basic_rows); i++)
			addrs[i] = basic_rows[i].addr;
		err = oracle_resolve(fixture("basic"), addrs, i, syms);
		EXPECT(!err, "kallsyms_resolve returned %d", err);
		check_single_vs_batch(fixture("basic"), addrs, i, syms);
		test_end("kallsyms_resolve_rows_alone");
	}
	test_random_subsets();
	test_resolve_errors();
	test_lookups();
	test_long_query();
	test_long_lines();
	test_format();
	test_fuzz();
	return 0;
}
