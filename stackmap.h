/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stackmap.h - read back the stacks and counts the BPF program collected,
 * from both of its sources (stack ids and the frames map), merged.
 */
#ifndef SHOW_BT_STACKMAP_H
#define SHOW_BT_STACKMAP_H

#include <stddef.h>
#include <linux/types.h>

#include "prog.h"

struct stack {
	__u64 count;		/* calls that took this stack */
	__u32 pid;		/* with -P: the process; else 0 */
	char comm[16];		/* with -P: its command name */
	__u32 tid;		/* with -T: the thread (pid: its process) */
	unsigned int nframes;
	const __u64 *ips;	/* innermost first */
};

struct stack_set {
	struct stack *stacks;	/* most frequent first */
	size_t n, cap;
	__u64 *frames;		/* storage behind every stack's ips */
	unsigned int depth;	/* frames per stack in that storage */
	__u64 lost[LOST_NR];	/* calls whose stack was not kept, by cause */
	__u64 by_id;		/* calls counted through a stack id */
	__u64 by_frames;	/* calls counted by their frames */
	__u64 calls;		/* all of the above */
};

/*
 * Walk the stack map and the frames map with BPF_MAP_GET_NEXT_KEY, look up
 * each stack and its count, merge equal stacks, sort.  Returns 0 or -errno.
 */
int stackmap_read(const struct prog_maps *maps, struct stack_set *set);
void stack_set_free(struct stack_set *set);

/*
 * stackmap_read() while programs still count (-i): a stack whose chain of
 * frames-map keys is not whole yet is left out, for the next read.
 */
int stackmap_read_open(const struct prog_maps *maps, struct stack_set *set);

/*
 * What was counted between two reads (-i): each stack of cur with its
 * count less prev's for the same stack (same frames, pid and comm), the
 * stacks with none left out; lost[], by_id, by_frames and calls likewise.
 * The maps' counters only grow, so each call lands in exactly one
 * difference.  Returns 0 or -ENOMEM; out is then empty.
 */
int stack_set_diff(struct stack_set *out, const struct stack_set *cur,
		   const struct stack_set *prev);

/* Keep at most depth innermost frames of each stack, merging equal ones. */
void stack_set_truncate(struct stack_set *set, unsigned int depth);

#endif
