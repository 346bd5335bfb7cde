/* SPDX-License-Identifier: GPL-2.0 */
/*
 * probes.h - the targets of a run (targets.h) attached, checked, counted
 * and detached.
 *
 * Several functions go on one kprobe_multi link where the kernel has
 * them; the rest get a perf kprobe each.  --check attaches each target
 * and detaches it at once.  Failures come back as a negative errno with
 * one line in the caller's err buffer, which is written only then; what
 * a successful attach has to say stays in struct probes as data (counts,
 * the target concerned, the kernel's errno), which notes.h words.
 */
#ifndef SHOW_BT_PROBES_H
#define SHOW_BT_PROBES_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"
#include "targets.h"

struct stack_set;

/*
 * The first name of several functions the kernel refused in part: how
 * many it names, which was refused and why, and one that took a kprobe.
 */
struct shared_refusal {
	const struct target *t;		/* the name; NULL while none */
	unsigned int n;			/* the functions it names */
	unsigned int refused;		/* those the kernel refused */
	unsigned long refused_at;	/* the first refused, */
	int why;			/* with this -errno */
	unsigned long probed_at;	/* and one probed */
};

/*
 * The run's state: what is traced (functions and tracepoints), how each
 * is attached, and what a successful attach has to say.  Filled by
 * targets.c and tracepoint.c (what to trace), then here (attached).
 */
struct probes {
	struct target *targets;	/* the functions */
	size_t ntargets;
	struct tp_target *tps;	/* the tracepoints */
	size_t ntps;
	const char *tp_dir;	/* tracefs' events directory */
	struct kview kv;	/* the kernel's files, each read once */
	int use_link;		/* attach through perf-event BPF links */
	int *fds;		/* attached probes, one or more per target */
	int *links;		/* their links, or -1 (PERF_EVENT_IOC_SET_BPF) */
	size_t nfds, cap;
	/*
	 * What a successful attach has to say, as data for notes.h to word:
	 * never in the error buffer (which is written on failure only).
	 */
	size_t refused;		/* pattern matches the kernel refused */
	const struct target *refused_first; /* the first of them, */
	int refused_why;	/* refused with this -errno */
	size_t shared;		/* names probed at several addresses */
	size_t shared_partial;	/* those of them the kernel refused in part */
	size_t shared_refused;	/* the functions it refused */
	struct shared_refusal shared_first; /* the first such name */
	size_t merged;		/* arguments that were another's function */
	/*
	 * The kprobe_multi link (kprobe.h).  Descriptors here are 0 when
	 * there is none: show_bt keeps fd 0 open (check_stdio()).
	 */
	int multi_known;	/* targets_expand() looked in kallsyms... */
	int multi_avail;	/* ...and the kernel has such links */
	size_t multi_able;	/* functions a link may take: targets at
				 * offset 0 with known addresses, each
				 * counted as the functions it names */
	int use_multi;		/* attach those through one such link */
	int multi_link;		/* its fd */
	size_t nmulti;		/* the functions on it */
	unsigned long *multi_starts; /* where they start, sorted */
	int multi_refused;	/* the kernel's -errno refusing it, or 0:
				 * every function went to kprobes */
	int perf_prog;		/* the program for perf kprobes when the
				 * caller's is loaded for the link */
	struct kfeatures feat;	/* what the kernel can do: asked once */
};

/*
 * With p->use_multi: attach prog_fd (loaded with expected attach type
 * BPF_TRACE_KPROBE_MULTI) through one kprobe_multi link to every target
 * it can take: function entries (no +OFFSET) with one known address, not
 * on the kprobe blacklist (which perf kprobes honour: both paths trace
 * the same functions).  If the kernel refuses the link, the functions
 * ftrace cannot trace are left out and the rest tried once more; if it
 * still refuses, every target is left to perf kprobes, and
 * p->multi_refused says why.  Returns 0, or a negative errno with a
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
 * included.  On success p->refused says how many functions a pattern
 * matched that the kernel refused, and p->refused_first the first.
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
