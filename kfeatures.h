/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfeatures.h - what the running kernel can do, asked once per run.
 *
 * Each field of struct kfeatures is one capability show_bt decides by, 1
 * or 0.  Where the kernel can be asked without side effects it is asked
 * (a map of some type created and closed, a tiny program loaded and
 * closed, never attached); the version decides only where nothing can be
 * asked, or where the question got no answer (say, bpf() refused to
 * someone who is not root: that is no answer about the kernel).  So a
 * distribution kernel carrying newer BPF than its version (RHEL's 5.14)
 * is taken for what it does, not for its number.
 *
 * Two steps, so that the decision can be tested without the kernel:
 * kfeatures_ask() puts the questions and keeps the raw answers (errnos),
 * kfeatures_decide() turns answers into fields.  kfeatures_probe() is
 * both.  How each field is asked, and what decides when the answer says
 * nothing, is told at its decision in kfeatures.c.
 */
#ifndef SHOW_BT_KFEATURES_H
#define SHOW_BT_KFEATURES_H

#include "kversion.h"

struct kfeatures {
	/* The running kernel's upstream version, for messages. */
	struct kversion version;
	int version_known;
	char release[32];	/* kfeatures_release()'s words */

	/* bpf_get_stack() (4.18): show_bt cannot count without it. */
	int helper_get_stack;
	/* bpf_get_ns_current_pid_tgid() (5.7): pids as a container sees them. */
	int helper_ns_pid_tgid;
	/*
	 * Kprobe programs are refused unless their kern_version is the
	 * running kernel's LINUX_VERSION_CODE (before 5.0).
	 */
	int kprobe_needs_kern_version;
	/* Hash maps take keys over 512 bytes (5.11); else keys in chunks. */
	int hash_keys_over_512;
	/*
	 * Hash map entries may be allocated inside a probe (6.1, the BPF
	 * memory allocator); else the frames map is preallocated.
	 */
	int hash_alloc_in_probe;
	/* Maps are charged to RLIMIT_MEMLOCK (before 5.11). */
	int maps_charge_memlock;
	/* BPF links on perf events, BPF_LINK_CREATE (5.15). */
	int perf_event_links;
	/*
	 * The kernel counts the kprobe hits it skipped: a kprobe program's
	 * recursion_misses and a kprobe perf link's `missed` (6.7).
	 */
	int kprobe_skips_counted;
	/*
	 * bpf_get_current_ancestor_cgroup_id() in kprobe programs (5.14;
	 * 5.7 gave it to cgroup programs only): --cgroup counts the cgroups
	 * below PATH too.
	 */
	int helper_ancestor_cgroup;

	/*
	 * Not the kernel's but the process's: it runs in a pid namespace
	 * other than the first (a container), /proc/self/ns/pid's device
	 * and inode; all 0 outside one.
	 */
	int in_child_pidns;
	unsigned long long pidns_dev, pidns_ino;
};

/* An answer to a question that was not put (an earlier step failed). */
#define KFEATURE_NOT_ASKED	1

/* What BPF_PROG_LOAD said to one probe program. */
struct kfeature_load {
	int err;	/* 0 (it loaded), -errno, or KFEATURE_NOT_ASKED */
	/*
	 * The refusal is the one asked about: the verifier's log names the
	 * unknown helper or the preallocation rule; for the kern_version
	 * question, the same program loads with the version's code.  Any
	 * other refusal is no answer.
	 */
	int refused;
};

/* The raw answers: each 0 or -errno unless said otherwise. */
struct kfeature_answers {
	int version_err;		/* kversion_running() */
	struct kversion version;

	struct kfeature_load kern_version_0;	/* kprobe, kern_version 0 */
	struct kfeature_load get_stack;		/* calls bpf_get_stack() */
	struct kfeature_load ns_pid_tgid;	/* ...bpf_get_ns_current_pid_tgid() */
	struct kfeature_load ancestor_cgroup;	/* ...ancestor_cgroup_id() */
	struct kfeature_load perf_event_nopre;	/* perf_event prog, hash map
						   of BPF_F_NO_PREALLOC */
	int big_key;		/* BPF_MAP_CREATE, HASH of 1024-byte keys */
	int memlock_zero;	/* a map created under RLIMIT_MEMLOCK 0 */
	int memlock_usual;	/* the same under the usual limit: asked
				   when memlock_zero is -EPERM */
	int perf_link;		/* BPF_LINK_CREATE, BPF_PERF_EVENT, on an fd
				   that is no perf event */

	int pidns_err;		/* stat("/proc/self/ns/pid") */
	unsigned long long pidns_dev, pidns_ino;
};

/*
 * Put every question to the running kernel; the answers in a.  No
 * object outlives the call, and RLIMIT_MEMLOCK is as it was (it is
 * lowered for one map create: call this before starting threads).  With
 * SHOW_BT_TEST_KERNEL set (tests of what older kernels are told), no
 * question goes to the kernel: every answer is KFEATURE_NOT_ASKED and
 * the version stands alone.
 */
void kfeatures_ask(struct kfeature_answers *a);

/* Why a probe program may be refused, the reason a question asks about. */
enum kfeature_refusal {
	KFEATURE_UNKNOWN_HELPER,	/* the helper it calls */
	KFEATURE_NOT_PREALLOCATED,	/* a hash map of BPF_F_NO_PREALLOC */
};

/*
 * Whether a verifier log (BPF_PROG_LOAD's, log_level 1) refuses the
 * program for that reason, in the words of the kernels from 4.18 on:
 * how kfeatures_ask() tells a "no" from a refusal for anything else.
 */
int kfeature_log_refuses(const char *log, enum kfeature_refusal why);

/* The fields from the answers; no system call. */
void kfeatures_decide(struct kfeatures *f, const struct kfeature_answers *a);

/* kfeatures_ask() then kfeatures_decide(): once per run. */
void kfeatures_probe(struct kfeatures *f);

/*
 * The kernel's version for a message, "5.10" ("an unknown version" when
 * it could not be read), in a buffer of f's.
 */
const char *kfeatures_release(const struct kfeatures *f);

/*
 * The fields from the version and the pid namespace alone, no question
 * put to bpf(): for --dump, which asks the kernel nothing.
 */
void kfeatures_guess(struct kfeatures *f);

#endif
