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

#include "options.h"

struct target {
	char name[KSYM_NAME_LEN];
	unsigned long offset;
	unsigned long addr;	/* probe this address, not the name */
	int from_pattern;	/* a failure to attach is not fatal */
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
};

/*
 * Expand the FUNCTION arguments of opts into targets.  Returns 0, or a
 * negative errno with a one-line reason in err.
 */
int targets_expand(const struct options *opts, struct probes *p,
		   char *err, size_t size);

/*
 * Attach prog_fd to every target.  Returns 0, or a negative errno with a
 * one-line reason in err (the kernel's refusal explained) and nothing left
 * attached.  On success err holds a note, or "": how many functions a
 * pattern matched that the kernel refused.
 */
int probes_attach(struct probes *p, int prog_fd, char *err, size_t size);

/*
 * --check: attach to each target and detach at once, printing one line per
 * target to out: "NAME: ok" (with what may mislead) or "NAME: cannot
 * trace: why".  Returns how many cannot be traced.
 */
size_t probes_check(struct probes *p, int prog_fd, FILE *out);

/*
 * Whether name is BPF or tracing code, which runs while kprobe handlers
 * and BPF programs do: hits made then are skipped (the BPF recursion guard,
 * counted since Linux 6.7, or the kprobe's own reentrancy check, which
 * show_bt cannot read).
 */
int target_may_miss(const char *name);

/*
 * Hits the kprobes themselves skipped, summed over every probe: 0, or
 * -EOPNOTSUPP where they cannot be read (PERF_EVENT_IOC_SET_BPF has no
 * way to; links tell since Linux 6.7, which the caller checks).
 */
int probes_missed(const struct probes *p, unsigned long long *missed);

/* Detach everything: close every probe. */
void probes_detach(struct probes *p);
void probes_free(struct probes *p);

/* A short label for the summary: the one argument, or "N functions". */
void probes_label(const struct probes *p, const struct options *opts,
		  char *buf, size_t size);

#endif
