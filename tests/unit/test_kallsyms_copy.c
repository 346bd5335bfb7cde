// SPDX-License-Identifier: GPL-2.0
/*
 * test_kallsyms_copy.c - a copy of kallsyms names every address as the
 * file does.
 *
 *   test_kallsyms_copy FIXTURES_DIR WORK_DIR [KALLSYMS...]
 *
 * For each file (the fixtures, files written here, and the ones named,
 * such as the host's /proc/kallsyms, "namedN" in the test's name): every
 * symbol's address, one before
 * and one after it, and random addresses, resolved through the file and
 * through a copy of it, must give the same symbols, field by field, with
 * and without names asked for, by a window's copy and by one read whole
 * (kview's, every line kept as the file has it).  Then the recheck: a
 * module that appears after the copy began is named from the file; and
 * the restamp: a copy stays current through the caller's own programs,
 * not through another's or a module.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bpf.h"
#include "../../insn.h"
#include "../../kallsyms.h"
#include "kallsyms_oracle.h"
#include "unit.h"

static const char *work;

/* Every address of the file, and its neighbours; 0 when unreadable. */
static size_t file_addrs(const char *path, unsigned long **out)
{
	char line[KLINE_MAX + 2];
	unsigned long a, *v = NULL;
	size_t n = 0, cap = 0, k;
	FILE *f = fopen(path, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx", &a) != 1)
			continue;
		if (n + 5 > cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				break;
		}
		v[n++] = a;
		v[n++] = a - 1;
		v[n++] = a + 1;
		v[n++] = a + 0x40;
	}
	fclose(f);
	if (v && n + 64 > cap) {
		cap = n + 64;
		v = realloc(v, cap * sizeof(*v));
	}
	for (k = 0; v && k < 64; k++)
		v[n++] = k % 2 ? test_rand() : 0xffffffff81000000ul +
			 test_rand() % 0x2000000;
	*out = v;
	return v ? n : 0;
}

static int ksym_same(const struct ksym *a, const struct ksym *b)
{
	return a->addr == b->addr && a->type == b->type &&
	       !strcmp(a->name, b->name) && !strcmp(a->module, b->module);
}

/* The names asked for: every tenth text name of the file, and a few. */
static size_t some_names(const char *path, char ***out)
{
	char line[KLINE_MAX + 2], **v = calloc(4096, sizeof(*v));
	size_t n = 0, i = 0;
	struct kline l;
	FILE *f = fopen(path, "re");

	if (!f || !v) {
		if (f)
			fclose(f);
		*out = v;
		return 0;
	}
	while (n < 4000 && fgets(line, sizeof(line), f))
		if (!kline_parse(line, &l) && ksym_is_text(l.type) &&
		    i++ % 10 == 0)
			v[n++] = strdup(l.name);
	fclose(f);
	v[n++] = strdup("__x64_sys_getppid");
	v[n++] = strdup("no_such_name");
	*out = v;
	return n;
}

/*
 * A copy read whole (kallsyms_read_all()) has every line the file
 * gives kline_parse(), in the file's order: how many differ.
 */
static size_t lines_differ(const struct kallsyms *c, const char *path)
{
	char buf[KLINE_MAX + 1], nb[KSYM_NAME_LEN];
	FILE *f = fopen(path, "re");
	size_t i = 0, bad = 0;
	int skipping = 0, whole;
	struct kline l, m;

	if (!f)
		return 1;
	while (fgets(buf, sizeof(buf), f)) {
		whole = strchr(buf, '\n') != NULL || feof(f);
		if (!skipping && whole && !kline_parse(buf, &l)) {
			if (i < c->n) {
				kallsyms_line(c, i, &m, nb, sizeof(nb));
				bad += m.addr != l.addr || m.type != l.type ||
				       strcmp(m.name, l.name) ||
				       strcmp(m.module ? m.module : "",
					      l.module ? l.module : "");
			}
			i++;
		}
		skipping = !whole && !feof(f);
	}
	fclose(f);
	return bad + (i != c->n);
}

/* all: the copy read whole (kview's), else a window's. */
static void compare(const char *label, const char *path, int all)
{
	struct kallsyms c;
	struct ksym *a = NULL, *b = NULL;
	unsigned char *named = NULL;
	unsigned long *addrs = NULL;
	char **names = NULL, tname[600];
	size_t n, nn, i, bad = 0;
	int ea, eb, err;

	n = file_addrs(path, &addrs);
	nn = some_names(path, &names);
	a = calloc(n + 1, sizeof(*a));
	b = calloc(n + 1, sizeof(*b));
	named = calloc(n + 1, 1);
	EXPECT(a && b && named && names, "out of memory");
	if (!a || !b || !named || !names)
		goto out;
	for (i = 0; i < n; i++)
		named[i] = i % 3 == 0;
	if (all) {
		err = kallsyms_read_all(&c, path, "/nonexistent/modules", 0);
		EXPECT(!err, "%s: read_all: %s", path, strerror(-err));
		if (err)
			goto out;
		EXPECT(!lines_differ(&c, path),
		       "%s: %zu lines differ from the file's (of %zu)", path,
		       lines_differ(&c, path), c.n);
	} else {
		err = kallsyms_start(&c, path, "/nonexistent/modules", 0);
		EXPECT(!err, "%s: start: %s", path, strerror(-err));
		if (err)
			goto out;
		err = kallsyms_finish(&c);
		EXPECT(!err, "%s: finish: %s", path, strerror(-err));
	}
	/* Without names asked for, then with. */
	ea = oracle_resolve(path, addrs, n, a);
	eb = err ? err : kallsyms_resolve(&c, addrs, n, b, NULL, NULL, 0);
	EXPECT(ea == eb, "%s: the file says %d, the copy %d", path, ea, eb);
	for (i = 0; i < n; i++)
		if (!ksym_same(&a[i], &b[i]) && !bad++)
			test_fail("%s: 0x%lx: the file says %s+%c [%s], the copy %s+%c [%s]",
				  path, addrs[i], a[i].name, a[i].type,
				  a[i].module, b[i].name, b[i].type,
				  b[i].module);
	ea = oracle_resolve_named(path, addrs, n, a, named,
				    (const char *const *)names, nn);
	eb = err ? err : kallsyms_resolve(&c, addrs, n, b, named,
					(const char *const *)names, nn);
	EXPECT(ea == eb, "%s: named: the file says %d, the copy %d", path,
	       ea, eb);
	for (i = 0; i < n; i++)
		if (!ksym_same(&a[i], &b[i]) && !bad++)
			test_fail("%s: named 0x%lx: the file says %s, the copy %s",
				  path, addrs[i], a[i].name, b[i].name);
	kallsyms_free(&c);
out:
	snprintf(tname, sizeof(tname), "kallsyms_copy_same%s/%s",
		 all ? "_all" : "", label);
	test_end(tname);
	for (i = 0; names && i < nn; i++)
		free(names[i]);
	free(names);
	free(addrs);
	free(a);
	free(b);
	free(named);
}

static const char *write_file(const char *name, const char *text)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", work, name);
	f = fopen(p, "we");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* Padding symbols, chained and not, in the kernel and in modules. */
static const char pfx_file[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000ff0 t __pfx_a\n"
	"ffffffff81001000 t a\n"
	"ffffffff81001ff0 T __pfx___pfx_b\n"
	"ffffffff81001ff8 t __pfx_b\n"
	"ffffffff81002000 T b\n"
	"ffffffff81002ff0 t __pfx_c\n"
	"ffffffff81003000 t not_c\n"
	"ffffffff81003ff0 t __pfx_d\n"
	"ffffffff81004000 d d\n"
	"ffffffff81004ff0 t __pfx_\n"
	"ffffffff81005000 t e\n"
	"ffffffff81e00000 T _etext\n"
	"ffffffffc0000ff0 t __pfx_m\t[one]\n"
	"ffffffffc0001000 t m\t[two]\n"
	"ffffffffc0001ff0 t __pfx_n\t[two]\n"
	"ffffffffc0002000 t n\t[two]\n"
	"ffffffffc0003000 t o\t[two]\n"
	"ffffffffc0004000 t p\t[one]\n"
	"00007fff00000000 t low_half\n"
	"ffffffffc0005000 t __pfx_q\n";

/* Copy the file at from to to: 0, or -1. */
static int snapshot(const char *from, const char *to)
{
	FILE *in = fopen(from, "re"), *out = fopen(to, "we");
	char buf[1 << 16];
	size_t got;
	int bad = !in || !out;

	while (!bad && (got = fread(buf, 1, sizeof(buf), in)) > 0)
		bad = fwrite(buf, 1, got, out) != got;
	bad |= !in || ferror(in);
	if (in)
		fclose(in);
	if (out && fclose(out))
		bad = 1;
	return bad ? -1 : 0;
}

static void test_files(const char *fixtures, int argc, char **argv)
{
	char path[1024];
	struct dirent *de;
	DIR *d = opendir(fixtures);
	int i;

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", fixtures, de->d_name);
		compare(de->d_name, path, 0);
		compare(de->d_name, path, 1);
	}
	if (d)
		closedir(d);
	compare("pfx", write_file("copy_pfx", pfx_file), 0);
	compare("pfx", write_file("copy_pfx", pfx_file), 1);
	/* Files test_kallsyms wrote: long lines, random ones. */
	d = opendir(work);
	while (d && (de = readdir(d))) {
		/* Its own files are copy_*: the set is the same every run. */
		if (strncmp(de->d_name, "kallsyms_", 9))
			continue;
		snprintf(path, sizeof(path), "%s/%s", work, de->d_name);
		compare(de->d_name, path, 0);
		compare(de->d_name, path, 1);
	}
	if (d)
		closedir(d);
	for (i = 0; i < argc; i++) {
		char label[64];

		/*
		 * A live file (the host's /proc/kallsyms) changes as other
		 * processes load BPF programs: the oracle and the copy each
		 * read the same snapshot of it.
		 */
		snprintf(label, sizeof(label), "named%d", i + 1);
		snprintf(path, sizeof(path), "%s/copy_snapshot", work);
		if (snapshot(argv[i], path)) {
			test_fail("cannot copy %s to %s", argv[i], path);
			snprintf(path, sizeof(path), "kallsyms_copy_same/%s",
				 label);
			test_end(path);
			continue;
		}
		compare(label, path, 0);
		compare(label, path, 1);
	}
}

/*
 * A module loaded after the copy began: the copy does not have it, the
 * modules' stamp changed, so its addresses are asked of the file again;
 * the kernel image's stay as the copy had them.
 */
static void test_recheck(void)
{
	const char *ks = write_file("copy_live",
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 T f\n"
		"ffffffff81e00000 T _etext\n"
		"ffffffffc0001000 t old\t[old]\n");
	const char *mods = write_file("copy_modules",
		"old 16384 0 - Live 0xffffffffc0001000\n");
	unsigned long addrs[] = { 0xffffffff81001010, 0xffffffffc0001010,
				  0xffffffffc0009010 };
	struct kallsyms c;
	struct ksym s[3];
	int err;

	err = kallsyms_start(&c, ks, mods, 0);
	if (!err)
		err = kallsyms_finish(&c);
	EXPECT(!err, "copy: %s", strerror(-err));
	if (err)
		goto out;
	err = kallsyms_resolve(&c, addrs, 3, s, NULL, NULL, 0);
	EXPECT(!err && !s[2].addr && !strcmp(s[1].name, "old"),
	       "before the load: %s, %s, and 0x%lx past the last symbol's page, not %s (%d)",
	       s[0].name, s[1].name, addrs[2], s[2].name, err);
	/* The module comes; the image's f is renamed in the file only. */
	write_file("copy_live",
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 T f_renamed\n"
		"ffffffff81e00000 T _etext\n"
		"ffffffffc0001000 t old\t[old]\n"
		"ffffffffc0009000 t new_fn\t[new]\n");
	write_file("copy_modules",
		"new 16384 0 - Live 0xffffffffc0009000\n"
		"old 16384 0 - Live 0xffffffffc0001000\n");
	err = kallsyms_resolve(&c, addrs, 3, s, NULL, NULL, 0);
	EXPECT(!err, "resolve: %s", strerror(-err));
	EXPECT(!strcmp(s[0].name, "f"), "the image's f came from the file: %s",
	       s[0].name);
	EXPECT(!strcmp(s[1].name, "old") && !strcmp(s[1].module, "old"),
	       "old's address: %s [%s]", s[1].name, s[1].module);
	EXPECT(!strcmp(s[2].name, "new_fn") && !strcmp(s[2].module, "new"),
	       "the new module's address: %s [%s]", s[2].name, s[2].module);
	kallsyms_free(&c);
out:
	test_end("kallsyms_copy_recheck");
}

/* A program loaded now (its fd, and its id in *id), or -errno. */
static int prog_loaded(unsigned int *id)
{
	const struct bpf_insn insns[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	struct bpf_prog_info info;
	int fd = bpf_prog_load_kprobe(insns, 2, "copy_test", "GPL", 0, NULL,
				      0);

	memset(&info, 0, sizeof(info));
	if (fd >= 0 && bpf_prog_get_info(fd, &info)) {
		close(fd);
		return -EINVAL;
	}
	*id = info.id;
	return fd;
}

/*
 * Whether a program other than own[0..n) was loaded after id since: another
 * process (systemd loads some as services start) would make a copy stale
 * as it should, and the case below is then tried again.
 */
static int foreign_since(unsigned int id, const unsigned int *own, size_t n)
{
	unsigned int next;
	size_t i;

	while (!bpf_prog_next_id(id, &next)) {
		for (i = 0; i < n && own[i] != next; i++)
			;
		if (i == n)
			return 1;
		id = next;
	}
	return 0;
}

/*
 * What window.c does before it takes kview's copy over: the programs
 * loaded since it began must be own[0..n) alone.
 */
static int restamp_own(struct kallsyms *c, const unsigned int *own, size_t n)
{
	unsigned int last;

	if (bpf_prog_only_own_since(c->bpf_id, own, n, &last))
		return -ESTALE;
	return kallsyms_restamp(c, last);
}

/*
 * One try of test_restamp(): 0 done, 1 when another process loaded a
 * program meanwhile (try again).
 */
static int restamp_try(const char *ks, const char *mods)
{
	unsigned long a = 0xffffffffc0001010;
	unsigned int own[2] = { 0, 0 }, other = 0, start;
	struct kallsyms c;
	int fd = -1, fd2 = -1, err, again = 0;
	struct ksym s;

	write_file("copy_stamp", "ffffffff81000000 T _stext\n"
		   "ffffffff81e00000 T _etext\n"
		   "ffffffffc0001000 t mod_fn\t[mod]\n");
	write_file("copy_stamp_modules",
		   "mod 16384 0 - Live 0xffffffffc0001000\n");
	err = kallsyms_read_all(&c, ks, mods, bpf_prog_last_id());
	EXPECT(!err, "read_all: %s", strerror(-err));
	if (err)
		return 0;
	start = c.bpf_id;
	fd = prog_loaded(&own[1]);
	EXPECT(fd >= 0, "cannot load a BPF program (root needed): %s",
	       strerror(-fd));
	if (fd < 0)
		goto out;
	/* The file renames mod_fn: a copy asked again would say so. */
	write_file("copy_stamp", "ffffffff81000000 T _stext\n"
		   "ffffffff81e00000 T _etext\n"
		   "ffffffffc0001000 t mod_renamed\t[mod]\n");
	err = restamp_own(&c, own, 2);
	if (foreign_since(start, own, 2)) {
		again = 1;
		goto out;
	}
	EXPECT(!err, "only our own program came: %s", strerror(-err));
	kallsyms_bpf_now(&c, bpf_prog_last_id());
	err = kallsyms_resolve(&c, &a, 1, &s, NULL, NULL, 0);
	EXPECT(!err && !strcmp(s.name, "mod_fn"),
	       "current after the restamp, yet asked the file: %s (%d)",
	       s.name, err);
	fd2 = prog_loaded(&other);
	EXPECT(fd2 >= 0, "a second program: %s", strerror(-fd2));
	err = restamp_own(&c, own, 2);
	EXPECT(err == -ESTALE, "another's program came: %d", err);
	kallsyms_bpf_now(&c, bpf_prog_last_id());
	err = kallsyms_resolve(&c, &a, 1, &s, NULL, NULL, 0);
	EXPECT(!err && !strcmp(s.name, "mod_renamed"),
	       "stale, so the module's address comes from the file: %s (%d)",
	       s.name, err);
	own[0] = other;
	err = restamp_own(&c, own, 2);
	if (foreign_since(start, own, 2)) {
		again = 1;
		goto out;
	}
	EXPECT(!err, "both ours now: %s", strerror(-err));
	write_file("copy_stamp_modules",
		   "mod 16384 0 - Live 0xffffffffc0001000\n"
		   "new 16384 0 - Live 0xffffffffc0009000\n");
	err = restamp_own(&c, own, 2);
	EXPECT(err == -ESTALE, "a module came: %d", err);
out:
	if (fd >= 0)
		close(fd);
	if (fd2 >= 0)
		close(fd2);
	kallsyms_free(&c);
	return again;
}

/*
 * kview's copy is read before show_bt loads its programs: the restamp
 * takes show_bt's own (ids given) as seen, so that a module's addresses are
 * not asked of the file again for them; another program, or a module,
 * loaded since leaves the copy stale.
 */
static void test_restamp(void)
{
	const char *ks = write_file("copy_stamp", "");
	const char *mods = write_file("copy_stamp_modules", "");
	int tries = 0;

	while (restamp_try(ks, mods) && ++tries < 20)
		;
	EXPECT(tries < 20, "other processes loaded BPF programs in each of 20 tries");
	test_end("kallsyms_copy_restamp");
}

/* Errors: no file; a copy not finished is refused, not half-used. */
static void test_errors(void)
{
	struct kallsyms c;
	unsigned long a = 1;
	struct ksym s;
	int err;

	err = kallsyms_start(&c, "/nonexistent/kallsyms", "/nonexistent", 0);
	EXPECT(err == -ENOENT, "a missing file: %d", err);
	err = kallsyms_start(&c, write_file("copy_half", pfx_file),
			     "/nonexistent", 0);
	EXPECT(!err, "start: %d", err);
	if (!err) {
		err = kallsyms_resolve(&c, &a, 1, &s, NULL, NULL, 0);
		EXPECT(err == -EINVAL, "an unfinished copy: %d", err);
		kallsyms_free(&c);
	}
	test_end("kallsyms_copy_errors");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_kallsyms_copy FIXTURES WORK [KALLSYMS...]\n");
		return 2;
	}
	work = argv[2];
	test_files(argv[1], argc - 3, argv + 3);
	test_recheck();
	test_restamp();
	test_errors();
	return test_failed ? 1 : 0;
}
