// SPDX-License-Identifier: GPL-2.0
/*
 * test_features.c - the table of what the running kernel can do.
 *
 * kfeatures_decide() is given what each kernel answers to the questions
 * kfeatures_ask() puts (upstream 4.18, 5.4, 5.10, 5.15, 6.1, 6.6, 6.7,
 * 6.12; RHEL 9's 5.14, whose BPF is 6.x's; kernels of unknown version;
 * answers that say nothing, as to someone not root), and every field is
 * checked; and verifier logs, to the refusals they are.  Then the real
 * thing on this machine (as root: bpf()): this kernel's words for an
 * unknown helper; the answers this kernel gives and the fields it must
 * have, with nothing left open or changed behind; the same fields for a
 * process that may not use bpf() (its refusals are no answer, the
 * version decides); a process in a pid namespace of its own; and
 * SHOW_BT_TEST_KERNEL.  The time kfeatures_probe() takes goes to stderr,
 * for the record; nothing here depends on it.
 *
 * Usage: test_features
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sched.h>
#include <sys/wait.h>

#include "../../bpf.h"
#include "../../kfeatures.h"
#include "../../insn.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What BPF_PROG_LOAD says: loaded, refused for the reason asked, ... */
#define LOADED		{ 0, 0 }
#define REFUSED		{ -EINVAL, 1 }
/* ...refused for another reason (the verifier disliked something else). */
#define REFUSED_OTHER	{ -EINVAL, 0 }
#define NOT_PERMITTED	{ -EPERM, 0 }
#define UNASKED		{ KFEATURE_NOT_ASKED, 0 }

/*
 * Answers of a kernel, and the fields it must get.  release is what
 * uname -r says; NULL: no version could be read.
 */
struct kernel_case {
	const char *name;
	const char *release;
	struct kfeature_answers answers;	/* version: from release */
	struct kfeatures want;			/* version: not compared */
};

#define HAS_EVERYTHING	.helper_get_stack = 1, .helper_ns_pid_tgid = 1, \
			.hash_keys_over_512 = 1, .hash_alloc_in_probe = 1, \
			.perf_event_links = 1

static const struct kernel_case kernels[] = {
	/*
	 * 4.18: the all-at-once program is refused for kern_version 0;
	 * loaded with the version's code, it had no ns helper; no
	 * BPF_LINK_CREATE command.
	 */
	{ "upstream_4_18", "4.18.20", {
		.memlock_zero = -EPERM, .memlock_usual = 0,
		.big_key = -E2BIG, .perf_event_nopre = REFUSED,
		.kern_version_0 = REFUSED, .get_stack = LOADED,
		.ns_pid_tgid = REFUSED, .perf_link = -EINVAL },
	  { .helper_get_stack = 1, .kprobe_needs_kern_version = 1,
	    .maps_charge_memlock = 1 } },
	{ "upstream_5_4", "5.4.284", {
		.memlock_zero = -EPERM, .memlock_usual = 0,
		.big_key = -E2BIG, .perf_event_nopre = REFUSED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = REFUSED, .perf_link = -EINVAL },
	  { .helper_get_stack = 1, .maps_charge_memlock = 1 } },
	/* 5.10: BPF_LINK_CREATE exists, the attach type does not. */
	{ "upstream_5_10", "5.10.0-46-amd64", {
		.memlock_zero = -EPERM, .memlock_usual = 0,
		.big_key = -E2BIG, .perf_event_nopre = REFUSED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EINVAL },
	  { .helper_get_stack = 1, .helper_ns_pid_tgid = 1,
	    .maps_charge_memlock = 1 } },
	/* 5.15: memory cgroup charging, big keys, perf links. */
	{ "upstream_5_15", "5.15.0-130-generic", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = REFUSED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { .helper_get_stack = 1, .helper_ns_pid_tgid = 1,
	    .hash_keys_over_512 = 1, .perf_event_links = 1 } },
	/* 6.1: the BPF memory allocator. */
	{ "upstream_6_1", "6.1.0-25-amd64", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING } },
	/* 6.6 answers as 6.1 does; it counts no kprobe skips. */
	{ "upstream_6_6", "6.6.58", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING } },
	{ "upstream_6_7", "6.7.12", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING, .kprobe_skips_counted = 1 } },
	{ "upstream_6_12", "6.12.48+deb13-amd64", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING, .kprobe_skips_counted = 1 } },
	/*
	 * RHEL 9: the version says 5.14, the answers say 6.x.  Every field
	 * the kernel answered follows the answer; the skip counts, asked of
	 * no one, follow the version.
	 */
	{ "rhel_9_5_14_with_6x_bpf", "5.14.0-427.13.1.el9_4.x86_64", {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING } },
	/* The other way: a new version, answers that say no.  They win. */
	{ "version_new_answers_old", "6.12.48", {
		.memlock_zero = -EPERM, .memlock_usual = 0,
		.big_key = -E2BIG, .perf_event_nopre = REFUSED,
		.kern_version_0 = REFUSED, .get_stack = REFUSED,
		.ns_pid_tgid = REFUSED, .perf_link = -EINVAL },
	  { .kprobe_needs_kern_version = 1, .maps_charge_memlock = 1,
	    .kprobe_skips_counted = 1 } },
	/* No version could be read: the answers alone. */
	{ "version_unknown_6_12_answers", NULL, {
		.memlock_zero = 0, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = 0, .perf_event_nopre = LOADED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = LOADED, .perf_link = -EBADF },
	  { HAS_EVERYTHING } },
	{ "version_unknown_5_4_answers", NULL, {
		.memlock_zero = -EPERM, .memlock_usual = 0,
		.big_key = -E2BIG, .perf_event_nopre = REFUSED,
		.kern_version_0 = LOADED, .get_stack = LOADED,
		.ns_pid_tgid = REFUSED, .perf_link = -EINVAL },
	  { .helper_get_stack = 1, .maps_charge_memlock = 1 } },
	/*
	 * Neither: what show_bt assumed of an unknown version before.
	 * Where using a capability the kernel lacks fails loudly, assume
	 * it; where it would go wrong in silence, do not.
	 */
	{ "version_unknown_nothing_answered", NULL, {
		.memlock_zero = KFEATURE_NOT_ASKED,
		.memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = KFEATURE_NOT_ASKED, .perf_event_nopre = UNASKED,
		.kern_version_0 = UNASKED, .get_stack = UNASKED,
		.ns_pid_tgid = UNASKED, .perf_link = KFEATURE_NOT_ASKED },
	  { .helper_get_stack = 1, .helper_ns_pid_tgid = 1,
	    .hash_keys_over_512 = 1, .perf_event_links = 1 } },
	/*
	 * Not root: every question refused with EPERM, which says nothing
	 * of the kernel (the link question was not put: no program).  The
	 * version decides, on an old kernel and on a new one.
	 */
	{ "not_permitted_5_10", "5.10.0-46-amd64", {
		.memlock_zero = -EPERM, .memlock_usual = -EPERM,
		.big_key = -EPERM, .perf_event_nopre = UNASKED,
		.kern_version_0 = NOT_PERMITTED, .get_stack = NOT_PERMITTED,
		.ns_pid_tgid = NOT_PERMITTED,
		.perf_link = KFEATURE_NOT_ASKED },
	  { .helper_get_stack = 1, .helper_ns_pid_tgid = 1,
	    .maps_charge_memlock = 1 } },
	{ "not_permitted_6_12", "6.12.48", {
		.memlock_zero = -EPERM, .memlock_usual = -EPERM,
		.big_key = -EPERM, .perf_event_nopre = UNASKED,
		.kern_version_0 = NOT_PERMITTED, .get_stack = NOT_PERMITTED,
		.ns_pid_tgid = NOT_PERMITTED,
		.perf_link = KFEATURE_NOT_ASKED },
	  { HAS_EVERYTHING, .kprobe_skips_counted = 1 } },
	/*
	 * Refusals for other reasons: no memory, a verifier that disliked
	 * something else than what was asked, an odd errno from the link.
	 * The version (5.10) decides.
	 */
	{ "refused_for_other_reasons_5_10", "5.10.0-46-amd64", {
		.memlock_zero = -ENOMEM, .memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = -ENOMEM, .perf_event_nopre = REFUSED_OTHER,
		.kern_version_0 = REFUSED_OTHER, .get_stack = REFUSED_OTHER,
		.ns_pid_tgid = REFUSED_OTHER, .perf_link = -EPERM },
	  { .helper_get_stack = 1, .helper_ns_pid_tgid = 1,
	    .maps_charge_memlock = 1 } },
	/* SHOW_BT_TEST_KERNEL=4.15.0-213-generic: nothing asked. */
	{ "test_kernel_4_15", "4.15.0-213-generic", {
		.memlock_zero = KFEATURE_NOT_ASKED,
		.memlock_usual = KFEATURE_NOT_ASKED,
		.big_key = KFEATURE_NOT_ASKED, .perf_event_nopre = UNASKED,
		.kern_version_0 = UNASKED, .get_stack = UNASKED,
		.ns_pid_tgid = UNASKED, .perf_link = KFEATURE_NOT_ASKED },
	  { .kprobe_needs_kern_version = 1, .maps_charge_memlock = 1 } },
};

/* Every capability field of got against want; the first difference. */
#define EXPECT_FIELD(name, got, want, field)				\
	EXPECT((got)->field == (want)->field, "%s: " #field " is %d, want %d", \
	       name, (got)->field, (want)->field)

static void expect_fields(const char *name, const struct kfeatures *got,
			  const struct kfeatures *want)
{
	EXPECT_FIELD(name, got, want, helper_get_stack);
	EXPECT_FIELD(name, got, want, helper_ns_pid_tgid);
	EXPECT_FIELD(name, got, want, kprobe_needs_kern_version);
	EXPECT_FIELD(name, got, want, hash_keys_over_512);
	EXPECT_FIELD(name, got, want, hash_alloc_in_probe);
	EXPECT_FIELD(name, got, want, maps_charge_memlock);
	EXPECT_FIELD(name, got, want, perf_event_links);
	EXPECT_FIELD(name, got, want, kprobe_skips_counted);
	EXPECT_FIELD(name, got, want, in_child_pidns);
}

/* The first pid namespace's inode number (include/linux/proc_ns.h). */
#define INIT_PIDNS_INO	0xEFFFFFFCull

static void check_kernel(const struct kernel_case *c)
{
	struct kfeature_answers a = c->answers;
	struct kfeatures f;
	char name[96];

	a.version_err = kversion_parse(c->release, NULL, NULL, &a.version);
	EXPECT(!a.version_err == !!c->release, "%s: release %s %s", c->name,
	       c->release ? c->release : "(none)",
	       a.version_err ? "does not parse" : "parses");
	a.pidns_ino = INIT_PIDNS_INO;
	kfeatures_decide(&f, &a);
	expect_fields(c->name, &f, &c->want);
	EXPECT(f.version_known == !a.version_err, "%s: version_known is %d",
	       c->name, f.version_known);
	EXPECT(!f.version_known ||
	       (f.version.major == a.version.major &&
		f.version.minor == a.version.minor),
	       "%s: version %u.%u, want %u.%u", c->name, f.version.major,
	       f.version.minor, a.version.major, a.version.minor);
	snprintf(name, sizeof(name), "features_decide_%s", c->name);
	test_end(name);
}

/* The pid namespace: the first one, another, or none to be read. */
static void check_pidns(void)
{
	struct kfeature_answers a = { .pidns_dev = 4,
				      .pidns_ino = INIT_PIDNS_INO };
	struct kfeatures f;

	a.version_err = -EINVAL;
	kfeatures_decide(&f, &a);
	EXPECT(!f.in_child_pidns && !f.pidns_dev && !f.pidns_ino,
	       "the first pid namespace taken for a child: %d %llu %llu",
	       f.in_child_pidns, f.pidns_dev, f.pidns_ino);
	a.pidns_ino = 4026532501ull;
	kfeatures_decide(&f, &a);
	EXPECT(f.in_child_pidns && f.pidns_dev == 4 &&
	       f.pidns_ino == 4026532501ull,
	       "a child pid namespace not taken: %d %llu %llu",
	       f.in_child_pidns, f.pidns_dev, f.pidns_ino);
	a.pidns_err = -ENOENT;
	kfeatures_decide(&f, &a);
	EXPECT(!f.in_child_pidns && !f.pidns_ino,
	       "no /proc/self/ns/pid taken for a child namespace");
	test_end("features_decide_pidns");
}

/* Verifier logs, as kernels print them, and what they refuse. */
struct log_case {
	const char *log;
	int helper, prealloc;	/* the refusal it is, if any */
};

static const struct log_case logs[] = {
	{ "0: (85) call unknown#120\ninvalid func unknown#120\n"
	  "processed 1 insns (limit 131072), stack depth 0\n", 1, 0 },
	{ "0: (85) call bpf_get_ns_current_pid_tgid#120\n"
	  "unknown func bpf_get_ns_current_pid_tgid#120\n", 1, 0 },
	{ "0: R1=ctx() R10=fp0\n0: (85) call bpf_d_path#147\n"
	  "program of this type cannot use helper bpf_d_path#147\n"
	  "processed 1 insns (limit 1000000) max_states_per_insn 0 "
	  "total_states 0 peak_states 0 mark_read 0\n", 1, 0 },
	{ "perf_event programs can only use preallocated hash map\n"
	  "processed 0 insns (limit 1000000)\n", 0, 1 },
	{ "perf_event programs can only use preallocated inner hash map\n",
	  0, 1 },
	/* Refusals for something else. */
	{ "0: (85) call bpf_map_lookup_elem#1\n"
	  "R1 type=ctx expected=map_ptr\n", 0, 0 },
	{ "R2 !read_ok\n", 0, 0 },
	{ "", 0, 0 },
};

static void check_logs(void)
{
	size_t i;
	int helper, prealloc;

	for (i = 0; i < ARRAY_SIZE(logs); i++) {
		helper = kfeature_log_refuses(logs[i].log,
					      KFEATURE_UNKNOWN_HELPER);
		prealloc = kfeature_log_refuses(logs[i].log,
						KFEATURE_NOT_PREALLOCATED);
		EXPECT(!helper == !logs[i].helper &&
		       !prealloc == !logs[i].prealloc,
		       "log %zu: an unknown helper %d (want %d), not "
		       "preallocated %d (want %d)", i, helper, logs[i].helper,
		       prealloc, logs[i].prealloc);
	}
	test_end("features_log_refuses");
}

/* ---- on this machine ---- */

/*
 * This kernel's own words: a call to a helper number it does not have
 * is refused as an unknown helper; a known helper called wrongly (EACCES),
 * or an unknown opcode (EINVAL, as an unknown helper is), for something
 * else.
 */
static void check_this_kernels_words(void)
{
	const struct bpf_insn unknown[] = {
		BPF_CALL_HELPER(__BPF_FUNC_MAX_ID + 1000),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	/* bpf_map_lookup_elem(ctx, ...): r1 is no map */
	const struct bpf_insn wrong[] = {
		BPF_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	/* EINVAL too, for something else than a helper */
	const struct bpf_insn bad_op[] = {
		{ .code = 0xff },
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};
	static char log[4096];
	int fd;

	fd = bpf_prog_load_kprobe(unknown, ARRAY_SIZE(unknown), "test", "GPL",
				  1, log, sizeof(log));
	EXPECT(fd == -EINVAL, "an unknown helper: %s, want EINVAL",
	       fd < 0 ? strerror(-fd) : "loaded");
	EXPECT(kfeature_log_refuses(log, KFEATURE_UNKNOWN_HELPER),
	       "an unknown helper, not in those words: %s", log);
	if (fd >= 0)
		close(fd);
	fd = bpf_prog_load_kprobe(wrong, ARRAY_SIZE(wrong), "test", "GPL", 1,
				  log, sizeof(log));
	EXPECT(fd < 0, "a helper called wrongly loaded");
	EXPECT(!kfeature_log_refuses(log, KFEATURE_UNKNOWN_HELPER),
	       "a helper called wrongly read as unknown: %s", log);
	if (fd >= 0)
		close(fd);
	fd = bpf_prog_load_kprobe(bad_op, ARRAY_SIZE(bad_op), "test", "GPL",
				  1, log, sizeof(log));
	EXPECT(fd == -EINVAL, "an unknown opcode: %s, want EINVAL",
	       fd < 0 ? strerror(-fd) : "loaded");
	EXPECT(!kfeature_log_refuses(log, KFEATURE_UNKNOWN_HELPER),
	       "an unknown opcode read as an unknown helper: %s", log);
	if (fd >= 0)
		close(fd);
	test_end("features_this_kernels_words");
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/*
 * This kernel (6.18) answers every question yes, from the kernel itself
 * (not from its version), and has every capability; nothing stays open,
 * RLIMIT_MEMLOCK is as it was.  The first call's time and the median of
 * 21 more go to stderr.
 */
static void check_this_kernel(void)
{
	struct rlimit before, after;
	struct kfeature_answers a;
	struct kfeatures f, want = { HAS_EVERYTHING,
				     .kprobe_skips_counted = 1 };
	double t0, first, times[21];
	struct stat st;
	size_t i;
	int fds;

	fds = open_fds();
	getrlimit(RLIMIT_MEMLOCK, &before);
	t0 = now_ms();
	kfeatures_probe(&f);
	first = now_ms() - t0;
	for (i = 0; i < ARRAY_SIZE(times); i++) {
		t0 = now_ms();
		kfeatures_probe(&f);
		times[i] = now_ms() - t0;
	}
	qsort(times, ARRAY_SIZE(times), sizeof(times[0]), cmp_double);
	fprintf(stderr, "test_features: kfeatures_probe() took %.3f ms the first time, %.3f ms (median of %zu) after\n",
		first, times[ARRAY_SIZE(times) / 2], ARRAY_SIZE(times));
	getrlimit(RLIMIT_MEMLOCK, &after);

	kfeatures_ask(&a);
	EXPECT(!a.version_err, "no version: %s", strerror(-a.version_err));
	EXPECT(!a.memlock_zero, "a map under RLIMIT_MEMLOCK 0: %s",
	       strerror(-a.memlock_zero));
	EXPECT(!a.big_key, "a hash map of 1024-byte keys: %s",
	       strerror(-a.big_key));
	EXPECT(!a.perf_event_nopre.err, "the perf_event program: %s",
	       strerror(-a.perf_event_nopre.err));
	EXPECT(!a.kern_version_0.err && !a.get_stack.err &&
	       !a.ns_pid_tgid.err, "the kprobe program: %s",
	       strerror(-(a.kern_version_0.err ? a.kern_version_0.err :
			  a.get_stack.err ? a.get_stack.err :
			  a.ns_pid_tgid.err)));
	EXPECT(a.perf_link == -EBADF, "the link question: %s, want EBADF",
	       strerror(-a.perf_link));

	EXPECT(f.version_known && kversion_ge(&f.version, 6, 7),
	       "version %u.%u (known %d): this suite's kernel is 6.7 or later",
	       f.version.major, f.version.minor, f.version_known);
	want.in_child_pidns = !stat("/proc/self/ns/pid", &st) &&
			      st.st_ino != INIT_PIDNS_INO;
	expect_fields("this kernel", &f, &want);
	EXPECT(!f.in_child_pidns ||
	       (f.pidns_dev == st.st_dev && f.pidns_ino == st.st_ino),
	       "pid namespace %llu:%llu, want %llu:%llu", f.pidns_dev,
	       f.pidns_ino, (unsigned long long)st.st_dev,
	       (unsigned long long)st.st_ino);
	EXPECT(open_fds() == fds, "%d fds open before, %d after", fds,
	       open_fds());
	EXPECT(before.rlim_cur == after.rlim_cur &&
	       before.rlim_max == after.rlim_max,
	       "RLIMIT_MEMLOCK %llu/%llu before, %llu/%llu after",
	       (unsigned long long)before.rlim_cur,
	       (unsigned long long)before.rlim_max,
	       (unsigned long long)after.rlim_cur,
	       (unsigned long long)after.rlim_max);
	test_end("features_probe_this_kernel");
}

/*
 * As nobody, bpf() refuses everything: refusals that say nothing of the
 * kernel.  The fields must be the root's (from this kernel's version),
 * and no answer may have read as "the kernel lacks it".  A child drops
 * its ids and sends what it found through a pipe.
 */
struct as_nobody {
	int dropped;		/* 0, or -errno of the setres[ug]id */
	struct kfeature_answers a;
	struct kfeatures f;
};

static void check_not_permitted(void)
{
	struct as_nobody got = { 0 };
	struct kfeatures root;
	int p[2], status = 0;
	ssize_t n = -1;
	pid_t pid;

	kfeatures_probe(&root);
	if (pipe(p)) {
		EXPECT(0, "pipe: %s", strerror(errno));
		test_end("features_probe_not_permitted");
		return;
	}
	/* Nothing buffered for the child to print again (valgrind does). */
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			got.dropped = -errno;
		kfeatures_ask(&got.a);
		kfeatures_decide(&got.f, &got.a);
		n = write(p[1], &got, sizeof(got));
		_exit(n == sizeof(got) ? 0 : 1);
	}
	close(p[1]);
	if (pid > 0)
		n = read(p[0], &got, sizeof(got));
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	EXPECT(pid > 0, "fork: %s", strerror(errno));
	EXPECT(n == sizeof(got) && WIFEXITED(status) &&
	       !WEXITSTATUS(status), "the child sent %zd bytes, status %d",
	       n, status);
	EXPECT(!got.dropped, "cannot become nobody (not root?): %s",
	       strerror(-got.dropped));
	/* Refused, and not read as a "no". */
	EXPECT(got.a.kern_version_0.err == -EPERM &&
	       got.a.get_stack.err == -EPERM &&
	       got.a.ns_pid_tgid.err == -EPERM,
	       "kprobe loads as nobody: %d %d %d, want EPERM",
	       got.a.kern_version_0.err, got.a.get_stack.err,
	       got.a.ns_pid_tgid.err);
	expect_fields("as nobody", &got.f, &root);
	test_end("features_probe_not_permitted");
}

static const struct kernel_case *kernel_case(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernels); i++)
		if (!strcmp(kernels[i].name, name))
			return &kernels[i];
	abort();
}

/*
 * In a pid namespace of its own (unshare, then a child: the first
 * process of the new namespace), the process is in a child namespace,
 * /proc/self/ns/pid's; outside, it is not.
 */
static void check_child_pidns(void)
{
	struct kfeatures f, outside;
	struct stat st;
	int p[2], status = 0;
	ssize_t n = -1;
	pid_t pid;

	kfeatures_probe(&outside);
	if (pipe(p)) {
		EXPECT(0, "pipe: %s", strerror(errno));
		test_end("features_probe_child_pidns");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid = fork();
		if (pid == 0) {
			kfeatures_probe(&f);
			n = write(p[1], &f, sizeof(f));
			_exit(n == sizeof(f) ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			_exit(3);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 4);
	}
	close(p[1]);
	memset(&f, 0, sizeof(f));
	if (pid > 0)
		n = read(p[0], &f, sizeof(f));
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &status, 0);
	EXPECT(n == sizeof(f) && WIFEXITED(status) && !WEXITSTATUS(status),
	       "the child sent %zd bytes, status %d (2: unshare failed)", n,
	       status);
	EXPECT(f.in_child_pidns && f.pidns_ino &&
	       (!stat("/proc/self/ns/pid", &st) && f.pidns_ino != st.st_ino),
	       "in a new pid namespace: in_child_pidns %d, inode %llu",
	       f.in_child_pidns, f.pidns_ino);
	EXPECT(f.helper_ns_pid_tgid == outside.helper_ns_pid_tgid &&
	       f.perf_event_links == outside.perf_event_links,
	       "other fields differ in a new pid namespace");
	test_end("features_probe_child_pidns");
}

/* SHOW_BT_TEST_KERNEL: nothing is asked, the version stands alone. */
static void check_test_kernel(void)
{
	const struct kernel_case *c = kernel_case("test_kernel_4_15");
	struct kfeature_answers a;
	struct kfeatures f;

	setenv("SHOW_BT_TEST_KERNEL", c->release, 1);
	kfeatures_ask(&a);
	kfeatures_decide(&f, &a);
	unsetenv("SHOW_BT_TEST_KERNEL");
	EXPECT(a.memlock_zero == KFEATURE_NOT_ASKED &&
	       a.big_key == KFEATURE_NOT_ASKED &&
	       a.perf_link == KFEATURE_NOT_ASKED &&
	       a.kern_version_0.err == KFEATURE_NOT_ASKED &&
	       a.get_stack.err == KFEATURE_NOT_ASKED &&
	       a.ns_pid_tgid.err == KFEATURE_NOT_ASKED &&
	       a.perf_event_nopre.err == KFEATURE_NOT_ASKED,
	       "a question was put under SHOW_BT_TEST_KERNEL");
	EXPECT(f.version_known && f.version.major == 4 &&
	       f.version.minor == 15, "version %u.%u (known %d), want 4.15",
	       f.version.major, f.version.minor, f.version_known);
	expect_fields(c->name, &f, &c->want);
	test_end("features_probe_test_kernel");
}

int main(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kernels); i++)
		check_kernel(&kernels[i]);
	check_pidns();
	check_logs();
	check_this_kernels_words();
	check_this_kernel();
	check_not_permitted();
	check_child_pidns();
	check_test_kernel();
	return test_failed ? 1 : 0;
}
