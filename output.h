/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - print collected stacks with symbol names: as text (one frame
 * a line) or folded (one stack a line, the input of flamegraph.pl).
 */
#ifndef SHOW_BT_OUTPUT_H
#define SHOW_BT_OUTPUT_H

#include <stdio.h>

#include "kallsyms.h"
#include "stackmap.h"

/* Every distinct address of a stack set, sorted, with its symbol. */
struct symtab {
	unsigned long *addrs;
	struct ksym *syms;
	size_t n;
};

/*
 * Resolve every frame of set through kallsyms (one pass over the file).
 * Returns 0, -EACCES when kallsyms hides addresses (the table then prints
 * bare addresses), or another -errno.
 */
int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path);
void symtab_free(struct symtab *tab);

/*
 * Frame f of stack s: its function (NULL when kallsyms has none), and its
 * name as the text output prints it ("func+0xoff [module]" or the bare
 * address).  Every output names frames through these two.
 */
const struct ksym *output_frame_sym(const struct symtab *tab,
				    const struct stack *s, unsigned int f);
void output_frame_name(char *buf, size_t size, const struct symtab *tab,
		       const struct stack *s, unsigned int f);

struct output_style {
	int folded;		/* -f */
	int addresses;		/* -a: the address before each frame */
	int per_process;	/* -P: who made the calls, per stack */
};

/*
 * Text: each stack's frames innermost first, "  func+0xoff" a line (with
 * -P a "pid PID (COMM)" line first), then "    COUNT"; stacks separated by
 * a blank line.  Folded: "[COMM;]root;...;func COUNT" a line, offsets
 * dropped and equal lines merged.  Calls whose stack was lost follow, as
 * pseudo-frames such as "[stack unreadable]".
 */
void output_stacks(FILE *out, const struct stack_set *set,
		   const struct symtab *tab, const struct output_style *style);

/* The name of a lost cause, as output and the summary print it. */
const char *output_lost_name(enum lost_cause cause);

#endif
