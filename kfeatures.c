// SPDX-License-Identifier: GPL-2.0
/*
 * kfeatures.c - what the running kernel can do, asked once per run; see
 * kfeatures.h.
 *
 * The questions, in the order asked; each is answered yes, no, or not at
 * all:
 *
 *   maps_charge_memlock: a small map created with RLIMIT_MEMLOCK's soft
 *     limit at 0.  Created: no.  EPERM, and created under the usual
 *     limit: yes.
 *   hash_keys_over_512: a hash map of 1024-byte keys.  Created: yes.
 *     E2BIG: no.
 *   hash_alloc_in_probe: a perf_event program naming a hash map of
 *     BPF_F_NO_PREALLOC.  Loaded: yes.  EINVAL, the log saying
 *     "preallocated": no.
 *   kprobe_needs_kern_version: a kprobe program with kern_version 0.
 *     Loaded: no.  EINVAL, and loaded with the version's code: yes.
 *   helper_get_stack, helper_ns_pid_tgid: a kprobe program calling the
 *     helper.  Loaded: yes.  EINVAL, the log naming an unknown helper: no.
 *   perf_event_links: BPF_LINK_CREATE, BPF_PERF_EVENT, on an fd that is
 *     no perf event.  EBADF: yes.  EINVAL: no.
 *
 * The kprobe questions go first in one program (kern_version 0, both
 * helpers), and one by one only where it is refused.  So a kernel that
 * has everything answers in 2 map creates, 2 program loads (of 4 and 13
 * instructions), 1 link create, 3 prlimit and 1 stat, and 4 closes.
 *
 * Any other answer (EPERM to someone not root, ENOMEM, a question not
 * put because an earlier step failed) says nothing about the kernel: the
 * version decides that field, as it alone decides kprobe_skips_counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "bpf.h"
#include "kfeatures.h"
#include "insn.h"
#include "prog.h"

/* The first pid namespace's inode number (include/linux/proc_ns.h). */
#define PROC_PID_INIT_INO	0xEFFFFFFCu

/* Verifier logs are only read from refusals of a few instructions. */
#define PROBE_LOG_SIZE	4096

/* The name of every probe map and program (15 characters at most). */
#define PROBE_NAME	"show_bt_feature"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The probe programs' pieces.  bpf_get_stack(ctx, r10 - 8, 8, 0): */
#define CALL_GET_STACK						\
	BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),			\
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -8),			\
	BPF_MOV64_IMM(BPF_REG_3, 8),				\
	BPF_MOV64_IMM(BPF_REG_4, 0),				\
	BPF_CALL_HELPER(BPF_FUNC_get_stack)

/* bpf_get_ns_current_pid_tgid(0, 0, r10 - 8, 8), r1 set again: */
#define CALL_NS_PID_TGID					\
	BPF_MOV64_IMM(BPF_REG_1, 0),				\
	BPF_MOV64_IMM(BPF_REG_2, 0),				\
	BPF_MOV64_REG(BPF_REG_3, BPF_REG_10),			\
	BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, -8),			\
	BPF_MOV64_IMM(BPF_REG_4, 8),				\
	BPF_CALL_HELPER(BPF_FUNC_get_ns_current_pid_tgid)

/* bpf_get_current_ancestor_cgroup_id(0): */
#define CALL_ANCESTOR_CGROUP					\
	BPF_MOV64_IMM(BPF_REG_1, 0),				\
	BPF_CALL_HELPER(BPF_FUNC_get_current_ancestor_cgroup_id)

/* return 0 */
#define RETURN_0						\
	BPF_MOV64_IMM(BPF_REG_0, 0),				\
	BPF_EXIT_INSN()

/*
 * What a field is when neither its question nor the version tells (both
 * unknown: bpf() refused and no version string parsed).  Assume the
 * capability where using it on a kernel without it fails loudly, with the
 * kernel's own reason (a load or an attach refused); lack it where using
 * it would go wrong in silence, or the old way costs nothing.  These are
 * also what show_bt assumed of a kernel of unknown version before this
 * table existed (but for own_calls_skipped(), which took such a kernel
 * for one without bpf_get_ns_current_pid_tgid() where process_filter()
 * took it for one with).
 */
enum { UNKNOWN_NO = 0, UNKNOWN_YES = 1 };

static void not_asked(struct kfeature_answers *a);
static void ask_pidns(struct kfeature_answers *a);
static void ask_memlock(struct kfeature_answers *a);
static void ask_hash_maps(struct kfeature_answers *a);
static void ask_uses_map(int map_fd, struct kfeature_load *ans);
static int ask_kprobe_progs(struct kfeature_answers *a);
static int ask_kern_version(struct kfeature_answers *a);
static int ask_perf_link(int prog_fd);
static void ask_helpers(struct kfeature_answers *a, __u32 kern_version);
static void ask_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, __u32 kern_version,
		     enum kfeature_refusal asked, struct kfeature_load *ans);
static int closed(int fd);
static int prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, __u32 kern_version, char *log,
		     size_t log_size);
static int since(int answer, const struct kfeature_answers *a,
		 unsigned int major, unsigned int minor, int unknown);
static int until(int answer, const struct kfeature_answers *a,
		 unsigned int major, unsigned int minor, int unknown);
static int negated(int answer);
static int load_answer(const struct kfeature_load *l);
static int errno_answer(int err, int yes, int no);
static int memlock_answer(const struct kfeature_answers *a);

/* ---- the questions: a few system calls, nothing left behind ---- */

void kfeatures_probe(struct kfeatures *f)
{
	struct kfeature_answers a;

	kfeatures_ask(&a);
	kfeatures_decide(f, &a);
}

void kfeatures_ask(struct kfeature_answers *a)
{
	const char *test = getenv("SHOW_BT_TEST_KERNEL");
	int fd;

	memset(a, 0, sizeof(*a));
	a->version_err = kversion_running(&a->version);
	ask_pidns(a);
	not_asked(a);
	/* Tests of what an older kernel is told: its version stands alone. */
	if (test && *test)
		return;
	/* First, while no map or program of ours is charged to the limit. */
	ask_memlock(a);
	ask_hash_maps(a);
	fd = ask_kprobe_progs(a);
	if (fd >= 0) {
		a->perf_link = ask_perf_link(fd);
		close(fd);
	}
}

const char *kfeatures_release(const struct kfeatures *f)
{
	return f->release;
}

void kfeatures_guess(struct kfeatures *f)
{
	struct kfeature_answers a;

	memset(&a, 0, sizeof(a));
	a.version_err = kversion_running(&a.version);
	ask_pidns(&a);
	not_asked(&a);
	kfeatures_decide(f, &a);
}

static void not_asked(struct kfeature_answers *a)
{
	a->kern_version_0.err = KFEATURE_NOT_ASKED;
	a->get_stack.err = KFEATURE_NOT_ASKED;
	a->ns_pid_tgid.err = KFEATURE_NOT_ASKED;
	a->ancestor_cgroup.err = KFEATURE_NOT_ASKED;
	a->perf_event_nopre.err = KFEATURE_NOT_ASKED;
	a->big_key = KFEATURE_NOT_ASKED;
	a->memlock_zero = KFEATURE_NOT_ASKED;
	a->memlock_usual = KFEATURE_NOT_ASKED;
	a->perf_link = KFEATURE_NOT_ASKED;
}

static void ask_pidns(struct kfeature_answers *a)
{
	struct stat st;

	a->pidns_err = stat("/proc/self/ns/pid", &st) ? -errno : 0;
	a->pidns_dev = a->pidns_err ? 0 : st.st_dev;
	a->pidns_ino = a->pidns_err ? 0 : st.st_ino;
}

/*
 * Maps charged to RLIMIT_MEMLOCK (before 5.11; then to the memory
 * cgroup): lower the soft limit to 0 for one small map.  Charged, it is
 * refused with EPERM; and if the usual limit lets the same map through,
 * the EPERM was the charge, not a process that may create no map.  The
 * soft limit goes back to where it was (lowering and raising it to at
 * most the hard limit needs no privilege).
 */
static void ask_memlock(struct kfeature_answers *a)
{
	struct rlimit usual, zero;

	if (getrlimit(RLIMIT_MEMLOCK, &usual)) {
		a->memlock_zero = -errno;
		return;
	}
	zero = usual;
	zero.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &zero)) {
		a->memlock_zero = -errno;
		return;
	}
	a->memlock_zero = closed(bpf_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1,
						0, PROBE_NAME));
	setrlimit(RLIMIT_MEMLOCK, &usual);
	if (a->memlock_zero == -EPERM)
		a->memlock_usual = closed(bpf_map_create(BPF_MAP_TYPE_ARRAY, 4,
							 8, 1, 0,
							 PROBE_NAME));
}

/*
 * Big keys and allocation inside probes, both of hash maps of
 * BPF_F_NO_PREALLOC (nothing allocated at creation).
 *
 * Keys over 512 bytes (5.11, commit c6bde958a62b): a map keyed as a
 * stack of the most frames is created, or refused with E2BIG.
 *
 * Allocation inside a probe: 6.1 (commit 96da3f7d489d, "bpf: Remove
 * tracing program restriction on map types", once hash maps allocate from
 * the BPF memory allocator) let every tracing program use a map that is
 * not preallocated.  Before, a kprobe program that uses one is let
 * through with a warning (from 5.7, a WARN_ONCE, which taints the
 * kernel): not a question to put.  But a perf_event program that uses
 * one is refused outright, "perf_event programs can only use
 * preallocated hash map" (4.x to 6.0), by the same check the commit
 * removed.  That program only names the map, and is never attached.
 * (A kernel with that commit but not the allocator would be misread:
 * a backport of the commit alone to 5.15.y was proposed in April 2025.)
 */
static void ask_hash_maps(struct kfeature_answers *a)
{
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_HASH, (PROG_MAX_DEPTH + 1) * 8, 8, 1,
			    BPF_F_NO_PREALLOC, PROBE_NAME);
	a->big_key = fd < 0 ? fd : 0;
	/* Refused the big key: any small one does for the second question. */
	if (fd == -E2BIG)
		fd = bpf_map_create(BPF_MAP_TYPE_HASH, 8, 8, 1,
				    BPF_F_NO_PREALLOC, PROBE_NAME);
	if (fd < 0) {
		a->perf_event_nopre.err = KFEATURE_NOT_ASKED;
		return;
	}
	ask_uses_map(fd, &a->perf_event_nopre);
	close(fd);
}

/* A perf_event program that names the map fd, and does nothing. */
static void ask_uses_map(int map_fd, struct kfeature_load *ans)
{
	const struct bpf_insn insns[] = {
		BPF_LD_MAP_FD(BPF_REG_1, map_fd),
		RETURN_0,
	};

	ask_load(BPF_PROG_TYPE_PERF_EVENT, insns, ARRAY_SIZE(insns), 0,
		 KFEATURE_NOT_PREALLOCATED, ans);
}

/*
 * The kprobe questions: kern_version and the helpers.  All at once
 * first, one program with kern_version 0 that calls both helpers: a
 * kernel that has everything pays one load.  Refused, one question at a
 * time, to know which.  The fd of a program that loaded serves the link
 * question: returned, or -errno.
 */
static int ask_kprobe_progs(struct kfeature_answers *a)
{
	static const struct bpf_insn all[] = {
		CALL_GET_STACK,
		CALL_NS_PID_TGID,
		CALL_ANCESTOR_CGROUP,
		RETURN_0,
	};
	int fd;

	fd = prog_load(BPF_PROG_TYPE_KPROBE, all, ARRAY_SIZE(all), 0, NULL,
		       0);
	if (fd >= 0) {
		a->kern_version_0 = (struct kfeature_load){ 0, 0 };
		a->get_stack = (struct kfeature_load){ 0, 0 };
		a->ns_pid_tgid = (struct kfeature_load){ 0, 0 };
		a->ancestor_cgroup = (struct kfeature_load){ 0, 0 };
		return fd;
	}
	fd = ask_kern_version(a);
	/* As bpf.c loads: the version, where a kernel before 5.0 wants it. */
	ask_helpers(a, a->version_err ? 0 : kversion_code(&a->version));
	return fd;
}

/*
 * Kprobe programs that must carry the running kernel's version: before
 * 5.0 (commit 6c4fc209fcf9) bpf_prog_load() refuses any other with
 * EINVAL.  A program of two instructions with kern_version 0 loads or
 * not; refused, the same with the version's LINUX_VERSION_CODE tells
 * whether that check was the reason (with no version known, nothing
 * does).  The fd of whichever loaded serves the link question: returned,
 * or -errno.
 */
static int ask_kern_version(struct kfeature_answers *a)
{
	static const struct bpf_insn insns[] = {
		RETURN_0,
	};
	int fd;

	a->kern_version_0.refused = 0;
	fd = prog_load(BPF_PROG_TYPE_KPROBE, insns, ARRAY_SIZE(insns), 0,
		       NULL, 0);
	a->kern_version_0.err = fd < 0 ? fd : 0;
	if (fd != -EINVAL || a->version_err)
		return fd;
	fd = prog_load(BPF_PROG_TYPE_KPROBE, insns, ARRAY_SIZE(insns),
		       kversion_code(&a->version), NULL, 0);
	a->kern_version_0.refused = fd >= 0;
	return fd;
}

/*
 * Perf-event BPF links (5.15): BPF_LINK_CREATE with attach type
 * BPF_PERF_EVENT for a kprobe program.  Given an fd that is no perf event
 * (the program's own), a kernel that has them looks for the event and
 * answers EBADF; one that has not refuses the attach type (5.7 to 5.14)
 * or the command (before 5.7) with EINVAL.  Nothing is attached.
 */
static int ask_perf_link(int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_fd = prog_fd;
	attr.link_create.attach_type = BPF_PERF_EVENT;
	return closed(sys_bpf(BPF_LINK_CREATE, &attr));
}

/*
 * Helpers: a kprobe program that calls one, with arguments the verifier
 * takes.  A helper the kernel lacks is refused in the verifier's words
 * (kfeature_log_refuses()).
 */
static void ask_helpers(struct kfeature_answers *a, __u32 kern_version)
{
	static const struct bpf_insn get_stack[] = {
		CALL_GET_STACK,
		RETURN_0,
	};
	static const struct bpf_insn ns_pid_tgid[] = {
		CALL_NS_PID_TGID,
		RETURN_0,
	};

	ask_load(BPF_PROG_TYPE_KPROBE, get_stack, ARRAY_SIZE(get_stack),
		 kern_version, KFEATURE_UNKNOWN_HELPER, &a->get_stack);
	static const struct bpf_insn ancestor_cgroup[] = {
		CALL_ANCESTOR_CGROUP,
		RETURN_0,
	};

	ask_load(BPF_PROG_TYPE_KPROBE, ns_pid_tgid, ARRAY_SIZE(ns_pid_tgid),
		 kern_version, KFEATURE_UNKNOWN_HELPER, &a->ns_pid_tgid);
	ask_load(BPF_PROG_TYPE_KPROBE, ancestor_cgroup,
		 ARRAY_SIZE(ancestor_cgroup), kern_version,
		 KFEATURE_UNKNOWN_HELPER, &a->ancestor_cgroup);
}

/*
 * Load a probe program and close it.  Only a refusal is loaded again,
 * with the verifier's log, to tell the refusal asked about from any
 * other: a kernel that has everything pays one load.
 */
static void ask_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, __u32 kern_version,
		     enum kfeature_refusal asked, struct kfeature_load *ans)
{
	char log[PROBE_LOG_SIZE];
	int err;

	ans->refused = 0;
	ans->err = closed(prog_load(type, insns, insn_cnt, kern_version,
				    NULL, 0));
	if (ans->err != -EINVAL)
		return;
	/* The log's own errors (ENOSPC: it filled) leave what it holds. */
	err = prog_load(type, insns, insn_cnt, kern_version, log,
			sizeof(log));
	log[sizeof(log) - 1] = '\0';
	if (err >= 0)
		close(err);
	else
		ans->refused = kfeature_log_refuses(log, asked);
}

/* 0 or -errno, the fd closed: the question is whether it could be made. */
static int closed(int fd)
{
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/*
 * A question's program: bpf.h's kprobe and tracepoint loaders set
 * kern_version from the version; the questions set it themselves (0 to
 * ask whether it is needed) and ask of perf_event programs too.
 */
static int prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, __u32 kern_version, char *log,
		     size_t log_size)
{
	struct bpf_load l = {
		.type = type,
		.insns = insns,
		.insn_cnt = insn_cnt,
		.name = PROBE_NAME,
		.license = "GPL",
		.kern_version = kern_version,
		.log_level = log ? 1 : 0,
		.log = log,
		.log_size = log_size,
	};

	return bpf_prog_load(&l);
}

/*
 * The verifier's words.  A helper the kernel lacks: "invalid func" (a
 * number past the kernel's last), "unknown func" (one it does not offer
 * this program type; older kernels) or "program of this type cannot use
 * helper" (newer ones), the forms bpftool and libbpf look for too.  A map
 * not preallocated, in a perf_event program: "perf_event programs can
 * only use preallocated hash map" (4.x to 6.0).
 */
int kfeature_log_refuses(const char *log, enum kfeature_refusal why)
{
	switch (why) {
	case KFEATURE_UNKNOWN_HELPER:
		return strstr(log, "invalid func ") ||
		       strstr(log, "unknown func ") ||
		       strstr(log, "program of this type cannot use helper ");
	case KFEATURE_NOT_PREALLOCATED:
		return strstr(log, "can only use preallocated") != NULL;
	}
	return 0;
}

/* ---- the decision: answers to fields, no system call ---- */

void kfeatures_decide(struct kfeatures *f, const struct kfeature_answers *a)
{
	memset(f, 0, sizeof(*f));
	f->version_known = !a->version_err;
	if (f->version_known) {
		f->version = a->version;
		snprintf(f->release, sizeof(f->release), "%u.%u",
			 f->version.major, f->version.minor);
	} else {
		snprintf(f->release, sizeof(f->release), "an unknown version");
	}

	/* Unknown: yes, the program's load says what is missing. */
	f->helper_get_stack = since(load_answer(&a->get_stack), a, 4, 18,
				    UNKNOWN_YES);
	f->helper_ns_pid_tgid = since(load_answer(&a->ns_pid_tgid), a, 5, 7,
				      UNKNOWN_YES);
	/* Unknown: no; --cgroup then counts PATH's own tasks, and says so. */
	f->helper_ancestor_cgroup = since(load_answer(&a->ancestor_cgroup), a,
					  5, 14, UNKNOWN_NO);
	/*
	 * A program that loads without it does not need it.  Unknown: no,
	 * as there would be no version to give anyway.
	 */
	f->kprobe_needs_kern_version =
		until(negated(load_answer(&a->kern_version_0)), a, 5, 0,
		      UNKNOWN_NO);
	/* Unknown: yes, the map create says E2BIG (prog.c then chunks). */
	f->hash_keys_over_512 = since(errno_answer(a->big_key, 0, -E2BIG),
				      a, 5, 11, UNKNOWN_YES);
	/*
	 * Unknown: no.  Wrongly assumed, a kernel from 5.7 to 6.0 warns and
	 * taints, an older one allocates inside the probe; preallocation
	 * works on all.
	 */
	f->hash_alloc_in_probe = since(load_answer(&a->perf_event_nopre), a,
				       6, 1, UNKNOWN_NO);
	/* Unknown: no; it only words the message of a refused map. */
	f->maps_charge_memlock = until(memlock_answer(a), a, 5, 11,
				       UNKNOWN_NO);
	/* Unknown: yes, the link create says what is missing. */
	f->perf_event_links = since(errno_answer(a->perf_link, -EBADF,
						 -EINVAL),
				    a, 5, 15, UNKNOWN_YES);
	/*
	 * By version alone: the counts are read from a kprobe's own perf
	 * link and from a program that ran, neither of which can be had
	 * without attaching a kprobe; and no other question of the same
	 * kernel change (6.7, "bpf: Add missed stats for kprobes") has an
	 * answer that a backport of something else could not also give.
	 * Unknown: no.  Wrongly assumed, the summary would say 0 skipped
	 * where the kernel counted nothing.
	 */
	f->kprobe_skips_counted = since(-1, a, 6, 7, UNKNOWN_NO);

	f->in_child_pidns = !a->pidns_err &&
			    a->pidns_ino != PROC_PID_INIT_INO;
	if (f->in_child_pidns) {
		f->pidns_dev = a->pidns_dev;
		f->pidns_ino = a->pidns_ino;
	}
}

/*
 * A field that came with major.minor: the question's answer where it gave
 * one (answer 1 yes, 0 no, -1 none), else the version, else unknown.
 */
static int since(int answer, const struct kfeature_answers *a,
		 unsigned int major, unsigned int minor, int unknown)
{
	if (answer >= 0)
		return answer;
	if (!a->version_err)
		return kversion_ge(&a->version, major, minor);
	return unknown;
}

/* A field that went with major.minor: the same, the version turned. */
static int until(int answer, const struct kfeature_answers *a,
		 unsigned int major, unsigned int minor, int unknown)
{
	if (answer >= 0)
		return answer;
	if (!a->version_err)
		return !kversion_ge(&a->version, major, minor);
	return unknown;
}

/* An answer turned around: yes is no, no is yes, none stays none. */
static int negated(int answer)
{
	return answer < 0 ? answer : !answer;
}

/* A load's answer: 1 loaded, 0 refused for the reason asked, else -1. */
static int load_answer(const struct kfeature_load *l)
{
	if (!l->err)
		return 1;
	return l->err == -EINVAL && l->refused ? 0 : -1;
}

/* A question whose yes and no are two errnos (0 or -errno each). */
static int errno_answer(int err, int yes, int no)
{
	if (err == yes)
		return 1;
	return err == no ? 0 : -1;
}

/*
 * Charged to RLIMIT_MEMLOCK: a map refused under a zero limit (EPERM)
 * that the usual limit lets through.  EPERM both times is a process that
 * may not create maps at all: no answer.
 */
static int memlock_answer(const struct kfeature_answers *a)
{
	if (!a->memlock_zero)
		return 0;
	return a->memlock_zero == -EPERM && !a->memlock_usual ? 1 : -1;
}
