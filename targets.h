/* SPDX-License-Identifier: GPL-2.0 */
/*
 * targets.h - from FUNCTION arguments to attached kprobes.
 *
 * Names are probed by name (the kernel resolves them: nothing to read
 * first).  Patterns expand over the functions ftrace can trace, less the
 * kprobe blacklist.  A name several static functions share is probed at
 * each of their addresses, or at the one NAME@ADDR picks.
 */
#ifndef SHOW_BT_TARGETS_H
#define SHOW_BT_TARGETS_H

#include <stddef.h>
#include <stdio.h>

#include <linux/types.h>

#include "options.h"

struct stack_set;

struct target {
	char name[KSYM_NAME_LEN];
	unsigned long offset;
	unsigned long addr;	/* probe this address, not the name */
	int from_pattern;	/* a failure to attach is not fatal */
	unsigned long kaddr;	/* where it starts (kallsyms, or addr): 0
				 * when unknown, hidden, or several
				 * functions share the name */
	unsigned int copies;	/* text symbols of that name in kallsyms */
	int on_multi;		/* attached through the kprobe_multi link */
};

struct probes {
	struct target *targets;
	size_t ntargets;
	int use_link;		/* attach through perf-event BPF links */
	int *fds;		/* attached probes, one or more per target */
	int *links;		/* their links, or -1 (PERF_EVENT_IOC_SET_BPF) */
	size_t nfds, cap;
	size_t refused;		/* pattern matches the kernel refused */
	size_t shared;		/* names probed at several addresses */
	size_t shared_refused;	/* copies of those the kernel refused */
	char shared_note[400];	/* the first of them: NAME@ADDR (why) */
	size_t merged;		/* arguments that were another's function */
	/*
	 * The kprobe_multi link (kprobe.h).  Descriptors here are 0 when
	 * there is none: show_bt keeps fd 0 open (check_stdio()).
	 */
	int multi_known;	/* targets_expand() looked in kallsyms... */
	int multi_avail;	/* ...and the kernel has such links */
	size_t multi_able;	/* targets a link may take: offset 0, and
				 * one known address */
	int use_multi;		/* attach those through one such link */
	int multi_link;		/* its fd */
	size_t nmulti;		/* the functions on it */
	char multi_note[400];	/* why it took fewer, or none */
	int perf_prog;		/* the program for perf kprobes when the
				 * caller's is loaded for the link */
};

/*
 * Expand the FUNCTION arguments of opts into targets.  Returns 0, or a
 * negative errno with a one-line reason in err.
 */
int targets_expand(const struct options *opts, struct probes *p,
		   char *err, size_t size);

/*
 * With p->use_multi: attach prog_fd (loaded with expected attach type
 * BPF_TRACE_KPROBE_MULTI) through one kprobe_multi link to every target
 * it can take: function entries (no +OFFSET) with one known address, not
 * on the kprobe blacklist (which perf kprobes honour: both paths trace
 * the same functions).  If the kernel refuses the link, the functions
 * ftrace cannot trace are left out and the rest tried once more; if it
 * still refuses, every target is left to perf kprobes, and
 * p->multi_note says why.  Returns 0, or a negative errno with a
 * one-line reason in err (ftrace switched off) and nothing attached.
 */
int probes_attach_multi(struct probes *p, int prog_fd, char *err,
			size_t size);

/* The targets the link did not take, for probes_attach(). */
size_t probes_perf_left(const struct probes *p);

/*
 * Attach prog_fd to every target not on the link, each with a perf
 * kprobe.  Returns 0, or a negative errno with a one-line reason in err
 * (the kernel's refusal explained) and nothing left attached, the link
 * included.  On success err holds a note, or "": how many functions a
 * pattern matched that the kernel refused.
 */
int probes_attach(struct probes *p, int prog_fd, char *err, size_t size);

/*
 * --check: attach to each target and detach at once, printing one line per
 * target to out: "NAME: ok" (with what may mislead) or "NAME: cannot
 * trace: why".  With p->use_multi, each target the link may take is tried
 * on a link of its own (prog_fd), and a perf kprobe (p->perf_prog) where
 * that is refused, as a run would.  Returns how many cannot be traced.
 */
size_t probes_check(struct probes *p, int prog_fd, FILE *out);

/*
 * Frame 0 of a stack the link took is where ftrace's call returns, a few
 * bytes past where a kprobe reports the same call: move it back, so that
 * both paths give the same stacks.  Call it on what stackmap_read() read.
 */
void probes_frame0(const struct probes *p, struct stack_set *set);

/*
 * Whether name is BPF or tracing code, which runs while kprobe handlers
 * and BPF programs do: hits made then are skipped (the BPF recursion guard,
 * counted since Linux 6.7, or the kprobe's own reentrancy check, which
 * show_bt cannot read).
 */
int target_may_miss(const char *name);

/*
 * Hits the probes themselves skipped, summed over every probe: the
 * kprobes' (a handler already running on that CPU) and the kprobe_multi
 * link's fprobe's (ftrace's recursion guard).  0, or -EOPNOTSUPP where
 * they cannot be read (PERF_EVENT_IOC_SET_BPF has no way to; links tell
 * since Linux 6.7, which the caller checks).
 */
int probes_missed(const struct probes *p, unsigned long long *missed);

/*
 * Hits the BPF recursion guard skipped in p->perf_prog, the second
 * program of a run that has both a link and perf kprobes (the caller
 * reads its own program's): 0 and *missed 0 when there is none.
 */
int probes_recursion_missed(const struct probes *p,
			    unsigned long long *missed);

/* Detach everything: close every probe. */
void probes_detach(struct probes *p);
void probes_free(struct probes *p);

/* A short label for the summary: the one argument, or "N functions". */
void probes_label(const struct probes *p, const struct options *opts,
		  char *buf, size_t size);

#endif
