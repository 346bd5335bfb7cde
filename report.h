/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - the report: read the maps back (stackmap.h), name every
 * frame (symtab.h), print the stacks on stdout (output.h) and export them
 * (--json, --svg), then the summary line on stderr: how every call was
 * counted, and what the kernel skipped.
 */
#ifndef SHOW_BT_REPORT_H
#define SHOW_BT_REPORT_H

#include "kallsyms.h"
#include "options.h"
#include "probes.h"
#include "prog.h"
#include "symtab.h"
#include "window.h"

/* EXIT_OK, or EXIT_FAIL when the maps or the output failed (said). */
int report_stacks(const struct options *opts, const struct prog_maps *maps,
		  const struct probes *probes, const char *label,
		  double window, const struct skips *skipped,
		  struct kallsyms *ksyms);

/*
 * The run's end on stderr: the summary line of set (the whole window),
 * the skips' warnings, the depth note.
 */
void report_end(const struct options *opts, const struct prog_maps *maps,
		const struct probes *probes, const char *label,
		const struct stack_set *set, double window,
		const struct skips *skipped);

/* The summary line alone: "show_bt: LABEL: N calls in S s, ...". */
void report_summary(const char *label, const struct options *opts,
		    const struct stack_set *set, double seconds,
		    const struct skips *skipped);

/*
 * Every frame of set named (symtab.h), from the copy of /proc/kallsyms if
 * there is one (finished first if need be; kept for the next interval),
 * else from the file; raw addresses, with a note, where neither can be
 * read.
 */
void report_symbols(struct symtab *tab, const struct stack_set *set,
		    const struct probes *probes, struct kallsyms *ksyms);

#endif
