/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kview.h - what the running kernel offers, each file read once a run.
 *
 * Expansion, attach, --check and the diagnosis of a refusal ask the same
 * few files many questions: /proc/kallsyms (where a function starts, how
 * many share its name, its clones, the init range, whether the kernel has
 * kprobe_multi links), the kprobe blacklist, the functions ftrace can
 * trace, a few sysctls, the kprobe PMU's type.  The view reads a file the
 * first time a question needs it and keeps what it read for the rest of
 * the run, so a run never reads a file twice, and one that asks nothing
 * of a file never opens it.  A file that cannot be read stays unreadable
 * for the run (but for want of a descriptor: that is tried again).
 *
 * kprobes/list is not in the view: it changes as probes come and go, and
 * kview_entry_site() reads it around a probe of its own each time.
 *
 * A zeroed struct kview is an empty view; kview_free() empties it again.
 */
#ifndef SHOW_BT_KVIEW_H
#define SHOW_BT_KVIEW_H

#include <stddef.h>

#include "kallsyms.h"

#define KVIEW_TRACEABLE "/sys/kernel/tracing/available_filter_functions"

/* The names of one file, sorted (repeats kept): pointers into buf. */
struct kview_names {
	char *buf;
	char **v;
	size_t n;
};

enum kview_sysctl {
	KVIEW_KPROBES_ENABLED,	/* debugfs kprobes/enabled */
	KVIEW_FTRACE_ENABLED,	/* kernel.ftrace_enabled */
	KVIEW_NSYSCTLS
};

struct kview {
	/* Where the files are; NULL: the kernel's (a test sets its own). */
	const char *kallsyms_path;
	const char *blacklist_path;
	const char *traceable_path;

	/* Each part: 0 until first asked for, then 1 or a negative errno. */
	int syms_state;
	struct kallsyms syms;	/* every line and name, whole */
	unsigned int bpf_id;	/* the highest BPF program id, as the
				 * view's owner saw it before the read */

	int blacklist_state;
	struct kview_names blacklist;
	int traceable_state;
	struct kview_names traceable;

	int sysctl_state[KVIEW_NSYSCTLS];
	int sysctl[KVIEW_NSYSCTLS];
	int pmu_state;
	int pmu_type;
};

void kview_free(struct kview *kv);

/*
 * kallsyms_lookup() (kallsyms.h) asked of the view's copy of the file,
 * read the first time a question needs it.
 */
int kview_lookup(struct kview *kv, const char *name,
		 struct ksym_name_info *info);

/*
 * kallsyms_resolve_read() of one address: the function containing addr (or
 * sym->addr 0), by the same rules.  Returns 0 or a negative errno
 * (-EACCES: addresses hidden).
 */
int kview_resolve(struct kview *kv, unsigned long addr, struct ksym *sym);

/*
 * How many text symbols are named name (*count) and where the first in
 * the file starts (*addr).  Returns 0, a negative errno, or -EACCES when
 * every address is hidden (kptr_restrict): *count is right even then.
 */
int kview_addrs(struct kview *kv, const char *name, unsigned long *addr,
		unsigned int *count);

/*
 * Whether the kernel has kprobe_multi links (KPROBE_MULTI_SYMBOL, see
 * kprobe.h, is a text symbol): 1 or 0, or a negative errno when kallsyms
 * cannot be read.  Hidden addresses do not hide the name.
 */
int kview_has_multi(struct kview *kv);

/*
 * Whether the kprobe blacklist holds name: 1 or 0 (0 too when the list
 * cannot be read: debugfs is not mounted), or -ENOMEM.
 */
int kview_blacklisted(struct kview *kv, const char *name);

/*
 * The functions ftrace can trace, sorted, repeats kept (a name several
 * functions share is listed as often): 0, or a negative errno when the
 * list cannot be read (-ENOENT: tracefs is not mounted, or has no such
 * file; -EPERM or -EACCES: it was refused).
 */
int kview_traceable_list(struct kview *kv, char *const **names, size_t *n);

/*
 * Whether ftrace can trace name: 1 or 0, -ENOENT when that cannot be
 * known (no list, or an empty one), or -ENOMEM.
 */
int kview_traceable(struct kview *kv, const char *name);

/*
 * How often ftrace's list names name: one line for each function of
 * that name it can trace.  -ENOENT when that cannot be known, or -ENOMEM.
 */
int kview_traceable_count(struct kview *kv, const char *name);

/*
 * Hand the view's copy of /proc/kallsyms over (kallsyms.h), if it has
 * read the file: the window then need not read it again.  The view reads
 * the file anew if asked of it later.  0, or -ENOENT when it has none.
 */
int kview_give_kallsyms(struct kview *kv, struct kallsyms *out);

/* The number a sysctl holds, or -1 when it cannot be read. */
int kview_sysctl(struct kview *kv, enum kview_sysctl which);

/* kprobe_pmu_type() (kprobe.h): the kprobe PMU's type, or -errno. */
int kview_kprobe_type(struct kview *kv);

/*
 * Where the kernel puts a kprobe on name+0: on x86 kernels with IBT it
 * skips the function's ENDBR and probes name+4.  Asked of the kernel each
 * time, not read from the view: a probe is opened (disabled, running
 * nothing) and its line in kprobes/list read.  Returns the offset,
 * -ENOMEM, or another negative errno when it cannot be told.
 */
long kview_entry_site(struct kview *kv, const char *name);

#endif
