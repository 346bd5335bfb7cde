// SPDX-License-Identifier: GPL-2.0
/*
 * fmt - show_bt's output formatting fed hostile stacks and damaged
 * kallsyms files, to run under AddressSanitizer and UBSan on any host
 * (no kprobes needed).
 *
 *   fmt WORKDIR [ROUNDS [SEED]]
 *
 * Writes damaged kallsyms files into WORKDIR (truncated mid-line, NUL
 * bytes, overlong names and module names, no newline, zero addresses,
 * overflowing addresses, CR-LF, ...), then resolves and prints a set of
 * hostile stacks through each (127 frames, addresses 1 and ULONG_MAX,
 * counts of 2^64-1, odd command names, every lost cause) in every output
 * style: text, -a, -P, -f, -f -P.  Then ROUNDS more times (default 200)
 * the same through a file of random bytes or a randomly mutated file.
 *
 * Checks that every output is well formed: text output holds only frame
 * lines, count lines, "pid" lines and blank separators, with one frame
 * line per frame; folded output is "STACK COUNT" lines.  Prints one
 * "PASS: hostile/host/fmt_NAME" or "FAIL: ..." line per file and exits 1
 * if any failed; a sanitizer report aborts it.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../output.h"

#define DEPTH		127
#define NSTACKS		6

static int failed;
static char bad[256];

/* A valid little kallsyms: every damaged file starts from this. */
static const char good[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81200000 T vfs_write\n"
	"ffffffff81200100 t vfs_writev\n"
	"ffffffff81200200 D jiffies\n"
	"0000000000014000 A cpu_number\n"
	"ffffffff81300000 T ksys_write\n"
	"ffffffff81400000 T _etext\n"
	"ffffffffc0a01000 t foo_write\t[foo]\n"
	"ffffffffc0a02000 t bar_write\t[bar]\n";

static __u64 frames[NSTACKS][DEPTH];
static struct stack stacks[NSTACKS];

/* Stacks whose frames hit every kind of place a file may describe. */
static void make_set(struct stack_set *set, int per_process)
{
	static const __u64 odd[] = {
		1, 0xffffffff80ffffffull, 0xffffffff81000000ull,
		0xffffffff81200005ull, 0xffffffff81200150ull,
		0xffffffff81200200ull, 0xffffffff813fffffull,
		0xffffffff81400000ull, 0xffffffffc0a01010ull,
		0xffffffffc0a02fffull, 0xfffffffffffffffeull, ~0ull,
	};
	static const char *const comms[] = {
		"writer", "a b;c%s%n", "", "123456789012345", "\t-", "x",
	};
	unsigned int i, f;

	memset(set, 0, sizeof(*set));
	memset(stacks, 0, sizeof(stacks));
	for (i = 0; i < NSTACKS; i++) {
		for (f = 0; f < DEPTH; f++)
			frames[i][f] = odd[(i + f) % (sizeof(odd) / sizeof(*odd))];
		stacks[i].ips = frames[i];
		stacks[i].nframes = i == 0 ? DEPTH : i == 1 ? 1 : 3 + i;
		stacks[i].count = i == 0 ? ~0ull : i == 1 ? 1 : 1000 - i;
		if (per_process) {
			stacks[i].pid = i == 2 ? ~0u : 100 + i;
			snprintf(stacks[i].comm, sizeof(stacks[i].comm), "%s",
				 comms[i]);
		}
	}
	set->stacks = stacks;
	set->n = NSTACKS;
	set->depth = DEPTH;
	set->lost[LOST_UNREADABLE] = 3;
	set->lost[LOST_MAP_FULL] = ~0ull;
	set->lost[LOST_OTHER] = 1;
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Text output: exactly the lines the stacks and lost counts call for. */
static int check_text(char *buf, const struct stack_set *set,
		      const struct output_style *st)
{
	size_t want_frames = 0, want_counts = set->n, frames_seen = 0;
	size_t counts = 0, pids = 0, i;
	char *line, *save = NULL;

	/* A stack the kernel cut also has a "[truncated]" root line. */
	for (i = 0; i < set->n; i++)
		want_frames += set->stacks[i].nframes +
			       output_stack_truncated(set, &set->stacks[i]);
	for (i = 0; i < LOST_NR; i++) {
		want_frames += !!set->lost[i];
		want_counts += !!set->lost[i];
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "    ", 4) && all_digits(line + 4))
			counts++;
		else if (!strncmp(line, "  ", 2) && line[2] && line[2] != ' ')
			frames_seen++;
		else if (st->per_process && !strncmp(line, "pid ", 4))
			pids++;
		else {
			snprintf(bad, sizeof(bad), "stray line '%.80s'", line);
			return -1;
		}
	}
	if (frames_seen != want_frames || counts != want_counts ||
	    (st->per_process && pids != set->n)) {
		snprintf(bad, sizeof(bad),
			 "%zu frame lines, %zu counts, %zu pids; want %zu, %zu, %zu",
			 frames_seen, counts, pids, want_frames, want_counts,
			 st->per_process ? set->n : 0);
		return -1;
	}
	return 0;
}

/* Folded output: "STACK COUNT" lines, no more than stacks + lost causes. */
static int check_folded(char *buf, const struct stack_set *set)
{
	char *line, *save = NULL, *sp;
	size_t lines = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		sp = strrchr(line, ' ');
		if (!sp || sp == line || !all_digits(sp + 1)) {
			snprintf(bad, sizeof(bad), "folded line '%.80s'", line);
			return -1;
		}
		lines++;
	}
	if (lines > set->n + LOST_NR) {
		snprintf(bad, sizeof(bad), "%zu folded lines for %zu stacks",
			 lines, set->n);
		return -1;
	}
	return 0;
}

static int print_one(const char *path, const struct output_style *st)
{
	struct stack_set set;
	struct symtab tab;
	size_t len = 0;
	char *buf = NULL;
	FILE *out;
	int ret;

	make_set(&set, st->per_process);
	symtab_build(&tab, &set, path);
	out = open_memstream(&buf, &len);
	if (!out) {
		snprintf(bad, sizeof(bad), "open_memstream failed");
		symtab_free(&tab);
		return -1;
	}
	output_stacks(out, &set, &tab, st);
	fclose(out);
	symtab_free(&tab);
	ret = st->folded ? check_folded(buf, &set) :
			   check_text(buf, &set, st);
	free(buf);
	return ret;
}

static void check_file(const char *name, const char *path)
{
	static const struct output_style styles[] = {
		{ 0, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 }, { 1, 0, 1 },
		{ 0, 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(styles) / sizeof(*styles); i++) {
		if (print_one(path, &styles[i])) {
			printf("FAIL: hostile/host/fmt_%s: style %zu: %s\n",
			       name, i, bad);
			failed = 1;
			return;
		}
	}
	printf("PASS: hostile/host/fmt_%s\n", name);
}

static const char *write_file(const char *dir, const char *name,
			      const char *data, size_t len)
{
	static char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/kallsyms.%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	return path;
}

static void fixed_files(const char *dir)
{
	char *buf = malloc(1 << 16);
	size_t n;

	if (!buf)
		exit(1);
#define FILE_OF(name, text) \
	check_file(name, write_file(dir, name, text, sizeof(text) - 1))
	FILE_OF("good", good);
	FILE_OF("empty", "");
	FILE_OF("zero_addresses",
		"0000000000000000 T vfs_write\n0000000000000000 t foo\t[foo]\n");
	FILE_OF("truncated_mid_line", "ffffffff81000000 T _stext\nffffffff812");
	FILE_OF("no_newline", "ffffffff81000000 T _stext\nffffffff81200000 T vfs_write");
	FILE_OF("crlf", "ffffffff81000000 T _stext\r\nffffffff81200000 T vfs_write\r\n");
	FILE_OF("overflowing_addresses",
		"fffffffffffffffffffffff T big\n-1 T minus_one\n0x10 T hex\n");
	FILE_OF("no_type", "ffffffff81000000\nffffffff81000000 \nffffffff81000000 T\n");
	FILE_OF("module_unterminated",
		"ffffffff81000000 T _stext\nffffffffc0a01000 t foo_write\t[foo\n");
	FILE_OF("spaces_in_names",
		"ffffffff81000000 T a b;c\nffffffff81200000 t %s%n%p\t[m o d]\n");
	FILE_OF("only_data", "ffffffff81000000 D d1\nffffffff81200000 B b1\n");
	FILE_OF("only_absolute", "ffffffffffffffff A a1\n0000000000000001 A a2\n");
	FILE_OF("nul_bytes",
		"ffffffff81000000 T _st\0ext\nffffffff81200000 T vfs\0_write\n");
	/* Names of 511 and 512 bytes, a module name of 300, a 5000-byte line. */
	n = sprintf(buf, "ffffffff81000000 T ");
	memset(buf + n, 'a', 511);
	n += 511;
	n += sprintf(buf + n, "\nffffffff81100000 T ");
	memset(buf + n, 'b', 512);
	n += 512;
	n += sprintf(buf + n, "\nffffffffc0a01000 t foo\t[");
	memset(buf + n, 'm', 300);
	n += 300;
	n += sprintf(buf + n, "]\nffffffff81200000 T ");
	memset(buf + n, 'c', 5000);
	n += 5000;
	n += sprintf(buf + n, "\nffffffff81300000 T after_long\n");
	check_file("long_names", write_file(dir, "long_names", buf, n));
	free(buf);
#undef FILE_OF
}

/* Random bytes, bytes of kallsyms' alphabet, or good with bytes changed. */
static size_t random_file(char *buf, size_t size)
{
	static const char alphabet[] = "0123456789abcdef TtDdAaWw_\t[]\n.";
	size_t len = rand() % size, i;
	int kind = rand() % 3;

	for (i = 0; i < len; i++) {
		if (kind == 0)
			buf[i] = rand();
		else if (kind == 1)
			buf[i] = alphabet[rand() % (sizeof(alphabet) - 1)];
		else
			buf[i] = good[i % (sizeof(good) - 1)];
	}
	if (kind == 2)
		for (i = 0; len && i < 1 + len / 64; i++)
			buf[rand() % len] = rand();
	return len;
}

int main(int argc, char **argv)
{
	unsigned int rounds = 200, seed = 1, i, bad_rounds = 0;
	char buf[8192], name[64], first[320] = "";
	size_t len;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: fmt WORKDIR [ROUNDS [SEED]]\n");
		return 2;
	}
	if (argc > 2)
		rounds = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		seed = strtoul(argv[3], NULL, 10);
	fixed_files(argv[1]);
	check_file("proc_kallsyms", "/proc/kallsyms");
	srand(seed);
	for (i = 0; i < rounds; i++) {
		static const struct output_style styles[] = {
			{ 0, 1, 1 }, { 1, 0, 1 },
		};
		const char *path;
		size_t s;

		len = random_file(buf, sizeof(buf));
		snprintf(name, sizeof(name), "random");
		path = write_file(argv[1], name, buf, len);
		for (s = 0; s < 2; s++)
			if (print_one(path, &styles[s])) {
				if (!bad_rounds++)
					snprintf(first, sizeof(first),
						 "round %u: %s", i, bad);
				break;
			}
	}
	if (bad_rounds) {
		printf("FAIL: hostile/host/fmt_random_%u: %u bad rounds, first %s\n",
		       rounds, bad_rounds, first);
		failed = 1;
	} else {
		printf("PASS: hostile/host/fmt_random_%u\n", rounds);
	}
	return failed;
}
