/* SPDX-License-Identifier: GPL-2.0 */
/*
 * targets.h - from FUNCTION arguments to the functions a run probes.
 *
 * Names are probed by name (the kernel resolves them).  Patterns expand
 * over the functions ftrace can trace, less the kprobe blacklist.  A name
 * several static functions share (several text symbols in /proc/kallsyms,
 * read for every run: some kernels refuse such a name, older ones probe
 * one of the functions without a word) is probed at each of their
 * addresses, or at the one NAME@ADDR picks.  Two arguments
 * that are one probe site (an alias, NAME@ADDR beside NAME, NAME+4 where
 * the kernel skips an ENDBR) are probed once.
 *
 * targets_expand() fills the run's state, struct probes (declared in
 * probes.h): the targets, what the kernel offers (p->kv, read once:
 * kview.h), and then the probes attached.
 */
#ifndef SHOW_BT_TARGETS_H
#define SHOW_BT_TARGETS_H

#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

#include "kfeatures.h"
#include "kview.h"
#include "options.h"

struct target {
	char name[KSYM_NAME_LEN];
	unsigned long offset;
	unsigned long addr;	/* probe this address, not the name */
	int from_pattern;	/* a failure to attach is not fatal */
	unsigned long kaddr;	/* where it starts (kallsyms, or addr): 0
				 * when unknown, hidden, or several
				 * functions share the name */
	unsigned int copies;	/* text symbols of that name in kallsyms */
	int hidden;		/* kallsyms hides their addresses */
	int on_multi;		/* attached through the kprobe_multi link */
};

/*
 * A tracepoint (tracepoint.h): its program is its own, so that a tag in
 * frame 0 (its index in probes.tps, plus one) tells its stacks apart.
 * Descriptors are 0 when there is none (show_bt keeps fd 0 open).
 */
struct tp_target {
	char name[KSYM_NAME_LEN];	/* CATEGORY:NAME */
	int id;			/* tracefs' id; < 0: none (-errno, --check) */
	int from_pattern;
	int prog_fd;		/* its program */
	int fd;			/* its perf event, once attached */
	int link;		/* its perf-event link, or 0 */
};

struct probes;		/* the run's state: probes.h */

/*
 * Expand the FUNCTION arguments of opts into p->targets (p is reset
 * first, but for p->kv: a zeroed view, or one a test made; probes_free()
 * frees it).  Returns 0, or a negative errno with a
 * one-line reason in err.
 */
int targets_expand(const struct options *opts, struct probes *p,
		   char *err, size_t size);

/*
 * Whether t names several functions: its name is shared (kallsyms lists
 * it as more than one text symbol) and no NAME@ADDR picked one.
 */
int target_shared(const struct target *t);

/*
 * Whether a kprobe_multi link may take t: an entry whose addresses are
 * known (one, or those of every function sharing its name).
 */
int target_multi_able(const struct target *t);

/* "NAME", "NAME@0xADDR", "NAME+0xOFF": t as its argument named it. */
void target_desc(const struct target *t, char *buf, size_t size);

/*
 * Whether name is BPF or tracing code, which runs while kprobe handlers
 * and BPF programs do: hits made then are skipped (the BPF recursion guard,
 * counted since Linux 6.7, or the kprobe's own reentrancy check, which
 * show_bt cannot read).
 */
int target_may_miss(const char *name);

#endif
