// SPDX-License-Identifier: GPL-2.0
/*
 * test_shared.c - a name several functions share is probed at every one
 * of them, whatever the kernel would do with the name: the same probes
 * whether it takes the name (and would probe one function of it, as
 * kernels before the EADDRNOTAVAIL check did) or refuses it.  kallsyms
 * decides, read from a fixture; the kernel is fake_kprobe.c, which notes
 * every probe asked of it.  Covers perf kprobes, the kprobe_multi link,
 * --check, NAME@ADDR, functions of the name the kernel refuses, and
 * hidden addresses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../notes.h"
#include "../../options.h"
#include "../../probes.h"
#include "../../targets.h"
#include "fake_kprobe.h"
#include "unit.h"

static const char *work;

#define DUP1	0xffffffff81400000ul
#define DUP2	0xffffffff81500000ul
#define TRIO1	0xffffffff81600000ul
#define TRIO2	0xffffffff81600100ul

static const char kallsyms_text[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81200000 T vfs_write\n"
	"ffffffff81400000 t dup_fn\n"
	"ffffffff81500000 t dup_fn\n"
	"ffffffff81600000 t trio_fn\n"
	"ffffffff81600100 t trio_fn\n"
	"ffffffff81600200 t trio_fn\n"
	"ffffffff81e00000 T _etext\n";
/* A kernel with kprobe_multi links lists this (kprobe.h). */
static const char multi_text[] =
	"ffffffff81700000 t bpf_kprobe_multi_link_release\n";
static const char hidden_text[] =
	"0000000000000000 T vfs_write\n"
	"0000000000000000 t dup_fn\n"
	"0000000000000000 t dup_fn\n";

static char ks_path[4096], bl_path[4096], tr_path[4096];

static int write_file(const char *path, const char *a, const char *b)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return 0;
	fputs(a, f);
	fputs(b, f);
	return fclose(f) == 0;
}

/*
 * A run's state as show_bt would have it for argv, from kallsyms (plus
 * the multi symbol when multi), ftrace's list traceable, and a kernel
 * whose kprobes and ftrace are on.  Returns 0 or why not (in the case).
 */
static int setup(struct probes *p, struct options *opts, int argc,
		 char **argv, const char *ksyms, int multi,
		 const char *traceable)
{
	char err[1024];

	snprintf(ks_path, sizeof(ks_path), "%s/shared_kallsyms", work);
	snprintf(bl_path, sizeof(bl_path), "%s/shared_blacklist", work);
	snprintf(tr_path, sizeof(tr_path), "%s/shared_traceable", work);
	if (!write_file(ks_path, ksyms, multi ? multi_text : "") ||
	    !write_file(bl_path, "", "") ||
	    !write_file(tr_path, traceable, "")) {
		test_fail("cannot write the fixtures in %s", work);
		return -1;
	}
	memset(p, 0, sizeof(*p));
	p->kv.kallsyms_path = ks_path;
	p->kv.blacklist_path = bl_path;
	p->kv.traceable_path = tr_path;
	/* The host's own sysctls do not come into it. */
	p->kv.sysctl_state[KVIEW_KPROBES_ENABLED] = 1;
	p->kv.sysctl[KVIEW_KPROBES_ENABLED] = 1;
	p->kv.sysctl_state[KVIEW_FTRACE_ENABLED] = 1;
	p->kv.sysctl[KVIEW_FTRACE_ENABLED] = 1;
	if (options_parse(argc, argv, opts, err, sizeof(err))) {
		test_fail("options: %s", err);
		return -1;
	}
	if (targets_expand(opts, p, err, sizeof(err))) {
		test_fail("targets_expand: %s", err);
		options_free(opts);
		return -1;
	}
	/* As show_bt.c's attach_how() decides by default. */
	p->use_multi = p->multi_avail && p->multi_able > 1;
	return 0;
}

/* Whether the fake kernel was asked for a probe at addr (by address). */
static int asked_at(unsigned long addr, int multi)
{
	size_t i;

	for (i = 0; i < fake_ncalls; i++)
		if (!fake_calls[i].by_name && fake_calls[i].addr == addr &&
		    fake_calls[i].multi == multi)
			return 1;
	return 0;
}

static size_t asked_by_name(void)
{
	size_t i, n = 0;

	for (i = 0; i < fake_ncalls; i++)
		n += fake_calls[i].by_name;
	return n;
}

/* dup_fn alone, on perf kprobes: both functions, by address. */
static void kprobes_every_function(int kernel_refuses)
{
	char *argv[] = { "show_bt", "dup_fn", NULL };
	char err[1024] = "", name[64];
	struct options opts;
	struct probes p;

	fake_reset();
	fake_kernel.refuses_shared = kernel_refuses;
	fake_kernel.shared_name = "dup_fn";
	if (!setup(&p, &opts, 2, argv, kallsyms_text, 0, "dup_fn\ndup_fn\n")) {
		EXPECT(p.ntargets == 1 && p.targets[0].copies == 2,
		       "targets: %zu, copies %u", p.ntargets,
		       p.ntargets ? p.targets[0].copies : 0);
		EXPECT(!probes_attach(&p, 100, err, sizeof(err)),
		       "attach: %s", err);
		EXPECT(asked_at(DUP1, 0) && asked_at(DUP2, 0) &&
		       !asked_by_name() && p.nfds == 2,
		       "want kprobes at both dup_fn, none by name: %zu asked, %zu by name, %zu attached",
		       fake_ncalls, asked_by_name(), p.nfds);
		EXPECT(p.shared == 1 && !p.shared_partial,
		       "shared %zu, partial %zu", p.shared, p.shared_partial);
		probes_free(&p);
		options_free(&opts);
	}
	snprintf(name, sizeof(name), "shared_name_kprobes_%s",
		 kernel_refuses ? "kernel_refuses" : "kernel_takes");
	test_end(name);
}

/* NAME@ADDR: that function alone. */
static void pick_one(void)
{
	char *argv[] = { "show_bt", "dup_fn@ffffffff81500000", NULL };
	char err[1024] = "";
	struct options opts;
	struct probes p;

	fake_reset();
	if (!setup(&p, &opts, 2, argv, kallsyms_text, 1, "dup_fn\ndup_fn\n")) {
		EXPECT(!p.use_multi, "one function went to the link");
		EXPECT(!probes_attach(&p, 100, err, sizeof(err)),
		       "attach: %s", err);
		EXPECT(fake_ncalls == 1 && asked_at(DUP2, 0) && !p.shared,
		       "want one kprobe at dup_fn@%lx: %zu asked, shared %zu",
		       DUP2, fake_ncalls, p.shared);
		probes_free(&p);
		options_free(&opts);
	}
	test_end("shared_name_pick_one");
}

/* One function of three the kernel refuses: the others, and said. */
static void some_refused(void)
{
	char *argv[] = { "show_bt", "trio_fn", NULL };
	char err[1024] = "", note[3 * KSYM_NAME_LEN / 2];
	struct options opts;
	struct probes p;

	fake_reset();
	fake_kernel.refused[fake_kernel.nrefused++] = TRIO2;
	if (!setup(&p, &opts, 2, argv, kallsyms_text, 0, "trio_fn\n")) {
		EXPECT(!probes_attach(&p, 100, err, sizeof(err)),
		       "attach: %s", err);
		EXPECT(fake_ncalls == 3 && !asked_by_name() && p.nfds == 2,
		       "want 3 asked by address, 2 attached: %zu, %zu by name, %zu",
		       fake_ncalls, asked_by_name(), p.nfds);
		EXPECT(p.shared == 1 && p.shared_partial == 1 &&
		       p.shared_refused == 1,
		       "shared %zu, partial %zu, refused %zu", p.shared,
		       p.shared_partial, p.shared_refused);
		notes_shared(&p.shared_first, note, sizeof(note));
		EXPECT(!strcmp(note, "trio_fn names 3 functions, and the kernel refused a kprobe on 1 of them, such as trio_fn@0xffffffff81600100 (Invalid argument); trio_fn@0xffffffff81600000 took one"),
		       "note: %s", note);
		probes_free(&p);
		options_free(&opts);
	}
	test_end("shared_name_some_refused");
}

/*
 * On a kernel with kprobe_multi links: both dup_fn go on the link with
 * vfs_write; trio_fn, which ftrace's list names once for its three
 * functions, is left to kprobes, which take every one of them.
 */
static void link_every_function(void)
{
	char *argv[] = { "show_bt", "dup_fn", "vfs_write", "trio_fn", NULL };
	char err[1024] = "";
	struct options opts;
	struct probes p;

	fake_reset();
	fake_kernel.refuses_shared = 1;
	fake_kernel.shared_name = "trio_fn";
	if (!setup(&p, &opts, 4, argv, kallsyms_text, 1,
		   "dup_fn\ndup_fn\nvfs_write\ntrio_fn\n")) {
		EXPECT(p.use_multi && p.multi_able == 6,
		       "use_multi %d, multi_able %zu (want 6)", p.use_multi,
		       p.multi_able);
		EXPECT(!probes_attach_multi(&p, 100, err, sizeof(err)),
		       "link: %s", err);
		EXPECT(p.nmulti == 3 && asked_at(DUP1, 1) &&
		       asked_at(DUP2, 1) &&
		       asked_at(0xffffffff81200000ul, 1) &&
		       probes_perf_left(&p) == 1,
		       "want dup_fn twice and vfs_write on the link: %zu on it, %zu left",
		       p.nmulti, probes_perf_left(&p));
		EXPECT(!probes_attach(&p, 100, err, sizeof(err)),
		       "kprobes: %s", err);
		EXPECT(asked_at(0xffffffff81600000ul, 0) && asked_at(TRIO2, 0) &&
		       asked_at(0xffffffff81600200ul, 0) && !asked_by_name() &&
		       p.nfds == 3 && p.shared == 2,
		       "want trio_fn's 3 on kprobes: %zu, %zu by name, shared %zu",
		       p.nfds, asked_by_name(), p.shared);
		probes_free(&p);
		options_free(&opts);
	}
	test_end("shared_name_link");
}

/* --check says each function was probed, on either path. */
static void check_says(int multi)
{
	char *argv[] = { "show_bt", "--check", "dup_fn", NULL };
	char *text = NULL, name[64];
	size_t len = 0;
	struct options opts;
	struct probes p;
	FILE *out;

	fake_reset();
	if (!setup(&p, &opts, 3, argv, kallsyms_text, multi,
		   "dup_fn\ndup_fn\n")) {
		out = open_memstream(&text, &len);
		EXPECT(out, "open_memstream");
		if (out) {
			EXPECT(!probes_check(&p, 100, out), "check failed");
			fclose(out);
			EXPECT(text && !strcmp(text, "dup_fn: ok; 2 functions share this name and each was probed (pick one with NAME@ADDR)\n"),
			       "--check said: %s", text ? text : "");
			EXPECT(asked_at(DUP1, multi) && asked_at(DUP2, multi) &&
			       !asked_by_name(),
			       "want both dup_fn asked %s", multi ?
			       "on a link" : "as kprobes");
		}
		free(text);
		probes_free(&p);
		options_free(&opts);
	}
	snprintf(name, sizeof(name), "shared_name_check_%s",
		 multi ? "link" : "kprobes");
	test_end(name);
}

/*
 * Addresses hidden (kptr_restrict): the functions cannot be told apart.
 * A kernel that would take the name is not asked: it would probe one.
 */
static void hidden(void)
{
	char *argv[] = { "show_bt", "dup_fn", NULL };
	char err[1024] = "";
	struct options opts;
	struct probes p;
	int ret;

	fake_reset();
	if (!setup(&p, &opts, 2, argv, hidden_text, 0, "dup_fn\ndup_fn\n")) {
		ret = probes_attach(&p, 100, err, sizeof(err));
		EXPECT(ret == -EADDRNOTAVAIL && !fake_ncalls &&
		       strstr(err, "several functions share that name, and /proc/kallsyms hides their addresses"),
		       "attach: %d, %zu asked: %s", ret, fake_ncalls, err);
		probes_free(&p);
		options_free(&opts);
	}
	test_end("shared_name_hidden_addresses");
}

/*
 * What notes_say() prints from the data an attach leaves: the words the
 * notes had when they were made as text at the attach, byte for byte.
 */
static void notes_words(int partial)
{
	static const char want_one[] =
		"show_bt: note: the kernel refused the kprobe_multi link (Invalid argument): every function gets a kprobe instead\n"
		"show_bt: 2 of 5 matching functions could not be probed; the first refusal: cannot probe foo_fn+0x4: Too many open files: each probe needs a file descriptor (raise ulimit -n)\n"
		"show_bt: 1 of the functions named were the same as another's (an alias, NAME@ADDR, or NAME+4 where the kernel skips an ENDBR): each probe site is probed once\n"
		"show_bt: 2 names are shared by several functions: each function is probed (pick one with NAME@ADDR)\n"
		"show_bt: warning: trio_fn names 3 functions, and the kernel refused a kprobe on 1 of them, such as trio_fn@0xffffffff81600100 (Invalid argument); trio_fn@0xffffffff81600000 took one: the calls of the others are not counted (pick one with NAME@ADDR)\n";
	static const char want_two[] =
		"show_bt: 1 name is shared by several functions: each function is probed (pick one with NAME@ADDR)\n"
		"show_bt: warning: 2 names are shared by several functions some of which the kernel refused (4 functions in all), such as: trio_fn names 3 functions, and the kernel refused a kprobe on 1 of them, such as trio_fn@0xffffffff81600100 (Invalid argument); trio_fn@0xffffffff81600000 took one: their calls are not counted (pick one with NAME@ADDR)\n";
	struct target foo = { .name = "foo_fn", .offset = 4 };
	struct target trio = { .name = "trio_fn" };
	struct probes p = { .ntargets = 5 };
	char path[4096], got[2048] = "";
	int fd, saved;
	ssize_t n;

	p.shared = 3;
	p.shared_partial = partial;
	p.shared_refused = partial == 1 ? 1 : 4;
	p.shared_first = (struct shared_refusal){ &trio, 3, 1, TRIO2,
						  -EINVAL, TRIO1 };
	if (partial == 1) {
		p.multi_refused = -EINVAL;
		p.refused = 2;
		p.refused_first = &foo;
		p.refused_why = -EMFILE;
		p.merged = 1;
	}
	snprintf(path, sizeof(path), "%s/notes.err", work);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	saved = dup(2);
	EXPECT(fd >= 0 && saved >= 0, "%s: %s", path, strerror(errno));
	if (fd >= 0 && saved >= 0) {
		dup2(fd, 2);
		notes_say(&p);
		dup2(saved, 2);
		n = pread(fd, got, sizeof(got) - 1, 0);
		got[n > 0 ? n : 0] = '\0';
		EXPECT(!strcmp(got, partial == 1 ? want_one : want_two),
		       "said:\n%s", got);
	}
	if (saved >= 0)
		close(saved);
	if (fd >= 0)
		close(fd);
	unlink(path);
	test_end(partial == 1 ? "notes_words" : "notes_words_shared_partial");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	work = argv[1];
	kprobes_every_function(0);
	kprobes_every_function(1);
	pick_one();
	some_refused();
	link_every_function();
	check_says(0);
	check_says(1);
	hidden();
	notes_words(1);
	notes_words(2);
	unlink(ks_path);
	unlink(bl_path);
	unlink(tr_path);
	return 0;
}
