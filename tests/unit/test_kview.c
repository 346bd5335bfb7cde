// SPDX-License-Identifier: GPL-2.0
/*
 * test_kview.c - the kernel's view (kview.c) answers as kallsyms.c's one
 * pass over the file would, on the files in tests/fixtures/kallsyms, on a
 * copy of this machine's /proc/kallsyms and on random ones; it reads each
 * file once (it still answers after the file is gone), but tries again a
 * file it could not open for want of a descriptor; the blacklist and the
 * traceable list.
 *
 * Usage: test_kview FIXTURE_DIR WORK_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "../../kallsyms.h"
#include "kallsyms_oracle.h"
#include "../../kprobe.h"
#include "../../kview.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *fixtures, *work;

static const char *fixture(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	return path;
}

static const char *work_file(const char *name)
{
	static char path[4][4096];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", work, name);
	return p;
}

static int copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "r"), *out;
	size_t n;
	int ok = 1;

	if (!in)
		return 0;
	out = fopen(to, "w");
	if (!out) {
		fclose(in);
		return 0;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ok &= fwrite(buf, 1, n, out) == n;
	ok &= !ferror(in);
	fclose(in);
	ok &= fclose(out) == 0;
	return ok;
}

/* kview_lookup() against oracle_lookup_name(), field by field. */
static void same_lookup(struct kview *kv, const char *path, const char *name)
{
	static struct ksym_name_info a, b;
	unsigned int i;
	int ea, eb;

	ea = oracle_lookup_name(path, name, &a);
	eb = kview_lookup(kv, name, &b);
	EXPECT(ea == eb, "%s: returned %d, kallsyms.c %d", name, eb, ea);
	if (ea)
		return;
	EXPECT(a.text == b.text && a.other == b.other,
	       "%s: text %u other %u, kallsyms.c %u %u", name, b.text,
	       b.other, a.text, a.other);
	EXPECT(!a.other || a.other_type == b.other_type,
	       "%s: other_type '%c', kallsyms.c '%c'", name, b.other_type,
	       a.other_type);
	EXPECT(a.init_start == b.init_start && a.init_end == b.init_end,
	       "%s: init range differs", name);
	EXPECT(a.clones == b.clones &&
	       (!a.clones || !strcmp(a.clone, b.clone)),
	       "%s: %u clones (%s), kallsyms.c %u (%s)", name, b.clones,
	       b.clone, a.clones, a.clone);
	EXPECT(a.naddrs == b.naddrs, "%s: %u addresses, kallsyms.c %u", name,
	       b.naddrs, a.naddrs);
	for (i = 0; i < a.naddrs && i < b.naddrs; i++)
		EXPECT(a.addrs[i] == b.addrs[i], "%s: address %u differs",
		       name, i);
	EXPECT(a.nsuggest == b.nsuggest, "%s: %u suggestions, kallsyms.c %u",
	       name, b.nsuggest, a.nsuggest);
	for (i = 0; i < a.nsuggest && i < b.nsuggest; i++)
		EXPECT(!strcmp(a.suggest[i], b.suggest[i]),
		       "%s: suggestion %u '%s', kallsyms.c '%s'", name, i,
		       b.suggest[i], a.suggest[i]);
}

static void same_addrs(struct kview *kv, const char *path, const char *name)
{
	const char *names[1] = { name };
	unsigned long aa, ab;
	unsigned int ca, cb;
	int ea, eb;

	ea = oracle_addrs(path, names, 1, &aa, &ca);
	eb = kview_addrs(kv, name, &ab, &cb);
	EXPECT(ea == eb, "%s: addrs returned %d, kallsyms.c %d", name, eb,
	       ea);
	EXPECT(ea && ea != -EACCES ? 1 : ca == cb && aa == ab,
	       "%s: %u at %lx, kallsyms.c %u at %lx", name, cb, ab, ca, aa);
}

static void same_resolve(struct kview *kv, const char *path,
			 unsigned long addr)
{
	struct ksym a, b;
	int ea, eb;

	ea = oracle_resolve(path, &addr, 1, &a);
	eb = kview_resolve(kv, addr, &b);
	EXPECT(ea == eb, "%lx: resolve returned %d, kallsyms.c %d", addr, eb,
	       ea);
	EXPECT(a.addr == b.addr && (!a.addr || (a.type == b.type &&
	       !strcmp(a.name, b.name) && !strcmp(a.module, b.module))),
	       "%lx: %s+%lx [%s] '%c', kallsyms.c %s+%lx [%s] '%c'", addr,
	       b.name, b.addr, b.module, b.type, a.name, a.addr, a.module,
	       a.type);
}

/* Questions about one name: itself, near misses, a clone's base. */
static void ask_name(struct kview *kv, const char *path, const char *name)
{
	char v[KSYM_NAME_LEN + 8];
	size_t len = strlen(name);

	same_lookup(kv, path, name);
	same_addrs(kv, path, name);
	snprintf(v, sizeof(v), "%sx", name);
	same_lookup(kv, path, v);
	if (len > 1) {
		snprintf(v, sizeof(v), "%.*s", (int)len - 1, name);
		same_lookup(kv, path, v);
	}
	if (strchr(name, '.')) {
		snprintf(v, sizeof(v), "%.*s", (int)strcspn(name, "."), name);
		same_lookup(kv, path, v);
	}
}

static void ask_addr(struct kview *kv, const char *path, unsigned long a)
{
	same_resolve(kv, path, a);
	same_resolve(kv, path, a - 1);
	same_resolve(kv, path, a + 1);
	same_resolve(kv, path, a + 0x10);
	same_resolve(kv, path, a + 0x2000);
}

/*
 * Every line's name and address of path is asked about, or with every
 * > 1 only a random one in every (a large file).
 */
static void compare_file(const char *path, unsigned int every)
{
	struct kview kv = { .kallsyms_path = path };
	char line[1024], name[KSYM_NAME_LEN];
	unsigned long addr;
	FILE *f = fopen(path, "r");

	EXPECT(f, "cannot open %s", path);
	while (f && fgets(line, sizeof(line), f)) {
		if (every > 1 && test_below(every))
			continue;
		if (sscanf(line, "%lx %*c %511s", &addr, name) == 2)
			ask_name(&kv, path, name);
		else if (sscanf(line, "%lx", &addr) == 1)
			;
		else
			continue;
		ask_addr(&kv, path, addr);
	}
	if (f)
		fclose(f);
	same_lookup(&kv, path, "");
	same_lookup(&kv, path, "vfs_write");
	same_lookup(&kv, path, "no_such_function_here");
	same_lookup(&kv, path, KPROBE_MULTI_SYMBOL);
	same_resolve(&kv, path, 0);
	same_resolve(&kv, path, ~0ul);
	same_resolve(&kv, path, 0xffffffff81000000ul);
	kview_free(&kv);
}

static void test_fixtures(void)
{
	static const char *const files[] = {
		"basic", "zero", "empty", "malformed", "no_newline", "frames",
	};
	char test[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(test, sizeof(test), "kview_as_kallsyms_%s", files[i]);
		compare_file(fixture(files[i]), 1);
		test_end(test);
	}
}

/* This machine's kallsyms, copied first: modules may come and go. */
static void test_proc(void)
{
	const char *copy = work_file("kview_proc_kallsyms");

	if (!copy_file(KALLSYMS_PATH, copy)) {
		EXPECT(0, "cannot copy %s to %s", KALLSYMS_PATH, copy);
		test_end("kview_as_kallsyms_proc");
		return;
	}
	compare_file(copy, 10000);
	unlink(copy);
	test_end("kview_as_kallsyms_proc");
}

/* Mutants of the fixtures: lines dropped, doubled, cut, retyped. */
static void test_random(void)
{
	static const char *const files[] = { "basic", "frames", "malformed" };
	static const char types[] = "tTwWdDbBrRaAU";
	const char *path = work_file("kview_random");
	char line[1024];
	unsigned int round;
	FILE *in, *out;

	for (round = 0; round < 40; round++) {
		in = fopen(fixture(files[round % ARRAY_SIZE(files)]), "r");
		out = fopen(path, "w");
		if (!in || !out) {
			EXPECT(0, "cannot write %s", path);
			break;
		}
		while (fgets(line, sizeof(line), in)) {
			size_t len = strlen(line);

			switch (test_below(8)) {
			case 0:
				continue;
			case 1:
				fputs(line, out);
				break;
			case 2:
				if (len > 19 && line[16] == ' ')
					line[17] = types[test_below(
						sizeof(types) - 1)];
				break;
			case 3:
				if (len > 2)
					line[test_below(len - 1)] = '.';
				break;
			case 4:
				if (len > 2)
					line[test_below(len - 1) + 1] = '\0';
				break;
			}
			fputs(line, out);
		}
		fclose(in);
		fclose(out);
		compare_file(path, 1);
	}
	unlink(path);
	test_end("kview_as_kallsyms_random");
}

static int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return 0;
	fputs(text, f);
	return fclose(f) == 0;
}

/* Read once: the answers stay when the files are gone. */
static void test_read_once(void)
{
	const char *ks = work_file("kview_once_kallsyms");
	const char *bl = work_file("kview_once_blacklist");
	const char *tr = work_file("kview_once_traceable");
	struct kview kv = { .kallsyms_path = ks, .blacklist_path = bl,
			    .traceable_path = tr };
	struct ksym_name_info info;
	unsigned long addr;
	unsigned int count;
	char *const *names;
	size_t n;
	int round, err;

	EXPECT(copy_file(fixture("basic"), ks) &&
	       write_text(bl, "0xffffffff81000000-0xffffffff81000010\tlisted_fn\n0xffffffff81000010-0xffffffff81000020\tother_listed\n") &&
	       write_text(tr, "vfs_write\nfoo_init [foo]\ndup_fn\ndup_fn\nx\n"),
	       "cannot write the files");
	for (round = 0; round < 2; round++) {
		err = kview_lookup(&kv, "dup_fn", &info);
		EXPECT(!err && info.text == 2 && info.other == 1,
		       "round %d: dup_fn: %d, text %u, other %u", round, err,
		       info.text, info.other);
		err = kview_addrs(&kv, "vfs_write", &addr, &count);
		EXPECT(!err && count == 1 && addr == 0xffffffff81200000ul,
		       "round %d: vfs_write: %d, %u at %lx", round, err,
		       count, addr);
		EXPECT(kview_has_multi(&kv) == 0, "round %d: multi", round);
		EXPECT(kview_blacklisted(&kv, "listed_fn") == 1 &&
		       kview_blacklisted(&kv, "other_listed") == 1 &&
		       kview_blacklisted(&kv, "vfs_write") == 0,
		       "round %d: blacklist", round);
		err = kview_traceable_list(&kv, &names, &n);
		EXPECT(!err && n == 5 && !strcmp(names[0], "dup_fn") &&
		       !strcmp(names[1], "dup_fn") &&
		       !strcmp(names[2], "foo_init") &&
		       !strcmp(names[4], "x"),
		       "round %d: traceable list: %d, %zu names", round, err,
		       n);
		EXPECT(kview_traceable(&kv, "foo_init") == 1 &&
		       kview_traceable(&kv, "vfs_writev") == 0,
		       "round %d: traceable", round);
		/* Each function of a shared name is a line of its own. */
		EXPECT(kview_traceable_count(&kv, "dup_fn") == 2 &&
		       kview_traceable_count(&kv, "vfs_write") == 1 &&
		       kview_traceable_count(&kv, "x") == 1 &&
		       kview_traceable_count(&kv, "vfs_writev") == 0,
		       "round %d: traceable counts: dup_fn %d, vfs_write %d, x %d, vfs_writev %d",
		       round, kview_traceable_count(&kv, "dup_fn"),
		       kview_traceable_count(&kv, "vfs_write"),
		       kview_traceable_count(&kv, "x"),
		       kview_traceable_count(&kv, "vfs_writev"));
		/* Gone after the first round: the view must not look. */
		unlink(ks);
		unlink(bl);
		unlink(tr);
	}
	kview_free(&kv);
	test_end("kview_reads_each_file_once");

	/* Missing files: kallsyms an error, the lists "unknown". */
	err = kview_lookup(&kv, "dup_fn", &info);
	EXPECT(err == -ENOENT, "lookup of a missing file: %d", err);
	EXPECT(kview_blacklisted(&kv, "listed_fn") == 0, "missing blacklist");
	EXPECT(kview_traceable(&kv, "vfs_write") == -ENOENT &&
	       kview_traceable_count(&kv, "vfs_write") == -ENOENT,
	       "missing traceable list");
	err = kview_traceable_list(&kv, &names, &n);
	EXPECT(err == -ENOENT && !n, "missing traceable list: %d", err);
	kview_free(&kv);
	test_end("kview_missing_files");

	/* An empty traceable list: nothing can be known from it. */
	EXPECT(write_text(tr, ""), "cannot write %s", tr);
	EXPECT(kview_traceable(&kv, "vfs_write") == -ENOENT,
	       "empty traceable list");
	err = kview_traceable_list(&kv, &names, &n);
	EXPECT(!err && !n, "empty traceable list: %d, %zu", err, n);
	kview_free(&kv);
	unlink(tr);
	test_end("kview_empty_traceable");
}

/* Out of descriptors is not unreadable for the run: tried again. */
static void test_emfile(void)
{
	const char *ks = work_file("kview_emfile_kallsyms");
	struct kview kv = { .kallsyms_path = ks };
	struct ksym_name_info info;
	struct rlimit old, low;
	int err = 0, fd;

	EXPECT(copy_file(fixture("basic"), ks), "cannot copy");
	getrlimit(RLIMIT_NOFILE, &old);
	fd = dup(0);
	low = old;
	low.rlim_cur = fd >= 0 ? fd : 3;	/* no fd left from here */
	if (fd >= 0)
		close(fd);
	if (!setrlimit(RLIMIT_NOFILE, &low)) {
		err = kview_lookup(&kv, "dup_fn", &info);
		setrlimit(RLIMIT_NOFILE, &old);
		EXPECT(err == -EMFILE, "with no descriptor left: %d", err);
	}
	err = kview_lookup(&kv, "dup_fn", &info);
	EXPECT(!err && info.text == 2, "tried again: %d, text %u", err,
	       info.text);
	kview_free(&kv);
	unlink(ks);
	test_end("kview_emfile_tried_again");
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

	test_fixtures();
	test_proc();
	test_random();
	test_read_once();
	test_emfile();
	return 0;
}
