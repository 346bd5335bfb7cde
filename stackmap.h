/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stackmap.h - read the stacks and counts the BPF program collected.
 */
#ifndef SHOW_BT_STACKMAP_H
#define SHOW_BT_STACKMAP_H

#include <stddef.h>
#include <linux/types.h>

#include "prog.h"

struct stack {
	__u64 count;		/* calls that took this stack */
	unsigned int nframes;
	const __u64 *ips;	/* innermost first */
};

struct stack_set {
	struct stack *stacks;	/* most frequent first */
	size_t n;
	__u64 *frames;		/* storage behind every stack's ips */
	__u64 lost[LOST_NR];	/* calls whose stack was not kept, by cause */
	__u64 calls;		/* all calls: counted stacks plus lost */
};

/*
 * Walk the stack map with BPF_MAP_GET_NEXT_KEY, look up each stack and its
 * count, and sort.  Returns 0 or -errno.
 */
int stackmap_read(const struct prog_maps *maps, struct stack_set *set);
void stack_set_free(struct stack_set *set);

/* Sort most frequent first; ties in frame order, so output is stable. */
void stack_set_sort(struct stack_set *set);

#endif
