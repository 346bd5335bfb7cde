/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - print collected stacks with symbol names.
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
 * Each stack: its frames innermost first, "  func+0xoff" a line, then
 * "    COUNT"; stacks separated by a blank line.
 */
void output_text(FILE *out, const struct stack_set *set,
		 const struct symtab *tab);

#endif
