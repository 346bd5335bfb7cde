/* SPDX-License-Identifier: GPL-2.0 */
/*
 * export.h - the result as files for other programs and for people: --json
 * (one JSON document) and --svg (a flame graph), written after the text
 * output from the same stacks, with frames named as the text names them.
 */
#ifndef SHOW_BT_EXPORT_H
#define SHOW_BT_EXPORT_H

#include <stdio.h>

#include "output.h"
#include "stackmap.h"
#include "targets.h"

/* What the summary line says, beside the stacks themselves. */
struct export_info {
	const char *label;		/* what the summary says was traced */
	const struct target *targets;	/* each function probed */
	size_t ntargets;
	double window;			/* seconds watched */
	long long skipped;		/* hits the kernel skipped, or -1 */
	int per_process;		/* -P: stacks carry pid and comm */
	int pid;			/* -p: only this process; 0 for all */
	unsigned int depth;		/* --depth; 0 for all frames */
	const struct tp_target *tps;	/* each tracepoint probed */
	size_t ntps;
	unsigned int interval;		/* -i: this interval's number, from
					 * 1; 0 without -i */
	double interval_start;		/* -i: its start, Unix time */
	int per_thread;			/* -T: stacks carry tid, pid, comm */
	/* The filters as given (-c, --comm, --cgroup); NULL: not given. */
	const char *cpus, *comm, *cgroup;
};

/* Whether --json - or --svg - takes stdout: the text output then stays out. */
int export_to_stdout(const struct options *opts);

/*
 * Whether the files --json and --svg name can be written, before the
 * window: 0, or -errno after a one-line message on stderr.
 */
int export_check(const struct options *opts);

/*
 * Write the files --json and --svg name ("-" is stdout), from set as the
 * text output printed it.  tab may be NULL: the frames are then resolved
 * here, with one more pass over /proc/kallsyms.  Returns 0, or -errno
 * after a one-line message on stderr when a file cannot be written (a
 * closed pipe on stdout is no failure, as for the text output).
 */
int export_write(const struct options *opts, const struct probes *probes,
		 const struct stack_set *set, const struct symtab *tab,
		 const char *label, double window, long long skipped);

#endif
