/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probes.h - the targets of a run (targets.h) attached, checked, counted
 * and detached.
 *
 * Several functions go on one kprobe_multi link where the kernel has
 * them; the rest get a perf kprobe each.  --check attaches each target
 * and detaches it at once.  Failures come back as a negative errno with
 * one line in the caller's err buffer, which is written only then; what
 * a successful attach has to say stays in struct probes (refused_note,
 * shared_note, multi_note and the counts beside them).
 */
#ifndef SHOW_BT_PROBES_H
#define SHOW_BT_PROBES_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"
#include "targets.h"

struct stack_set;

/*
 * With p->use_multi: attach prog_fd (loaded with expected attach type
 * BPF_TRACE_KPROBE_MULTI) through one kprobe_multi link to every target
 * it can take: function entries (no +OFFSET) with one known address, not
 * on the kprobe blacklist (which perf kprobes honour: both paths trace
 * the same functions).  If the kernel refuses the link, the functions
 * ftrace cannot trace are left out and the rest tried once more; if it
 * still refuses, every target is left to perf kprobes, and
 * p->multi_note says why.  Returns 0, or a negative errno with a
 * one-line reason in err (ftrace switched off, out of memory) and
 * nothing attached.
 */
int probes_attach_multi(struct probes *p, int prog_fd, char *err,
			size_t size);

/* The targets the link did not take, for probes_attach(). */
size_t probes_perf_left(const struct probes *p);

/*
 * Attach prog_fd to every target not on the link, each with a perf
 * kprobe.  Returns 0, or a negative errno with a one-line reason in err
 * (the kernel's refusal explained) and nothing left attached, the link
 * included.  On success p->refused_note says, if any, how many functions
 * a pattern matched that the kernel refused ("" if none).
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

/* Detach, and free the targets and the kernel's view. */
void probes_free(struct probes *p);

/* A short label for the summary: the one argument, or "N functions". */
void probes_label(const struct probes *p, const struct options *opts,
		  char *buf, size_t size);

#endif
