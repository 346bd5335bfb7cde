/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - print collected stacks with symbol names: as text (one frame
 * a line) or folded (one stack a line, the input of flamegraph.pl).
 */
#ifndef SHOW_BT_OUTPUT_H
#define SHOW_BT_OUTPUT_H

#include <stdio.h>

#include "stackmap.h"
#include "symtab.h"

/*
 * Whether the kernel cut stack s at its depth limit (set->depth frames,
 * perf_event_max_stack capped at 127): the outputs then end it with the
 * root pseudo-frame OUTPUT_TRUNCATED.  A stack --depth cut
 * (stack_set_truncate() to fewer frames) is cut by choice: not marked.
 */
#define OUTPUT_TRUNCATED "[truncated]"
int output_stack_truncated(const struct stack_set *set,
			   const struct stack *s);

struct output_style {
	int folded;		/* -f */
	int addresses;		/* -a: the address before each frame */
	int per_process;	/* -P: who made the calls, per stack */
	int per_thread;		/* -T: which thread, of which process */
};

/*
 * Text: each stack's frames innermost first, "  func+0xoff" a line, then
 * "  [truncated]" if the kernel cut it (with -P a "pid PID (COMM)" line
 * first, "pid PID (thread: NAME)" when the process is gone), then
 * "    COUNT"; with -T "tid TID (COMM) of pid PID" first, COMM the
 * thread's); stacks separated by a blank line.  Folded:
 * "[COMM-PID;][[truncated];]root;...;func COUNT" a line ("thread:NAME-PID"
 * when the process is gone; "COMM-PID/TID" with -T, as
 * stackcollapse-perf.pl --tid), offsets dropped and equal lines merged.
 * Calls whose stack was lost follow, as pseudo-frames such as
 * "[stack unreadable]".
 */
void output_stacks(FILE *out, const struct stack_set *set,
		   const struct symtab *tab, const struct output_style *style);

/* The name of a lost cause, as output and the summary print it. */
const char *output_lost_name(enum lost_cause cause);

#endif
