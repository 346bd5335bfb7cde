/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog.h - show_bt's BPF program and the maps it counts into.
 *
 * The program runs on every hit of the kprobe.  It takes the kernel stack
 * with bpf_get_stackid() and adds one to counts[stack id]; when the stack
 * cannot be stored it adds one to lost[cause] instead, so every hit is
 * counted somewhere.
 */
#ifndef SHOW_BT_PROG_H
#define SHOW_BT_PROG_H

#include <stddef.h>
#include <linux/bpf.h>

/* Slots of the lost map: why a hit's stack could not be kept. */
enum lost_cause {
	LOST_COLLISION,	/* -EEXIST: another stack holds that hash bucket */
	LOST_UNREADABLE,/* -EFAULT: no callchain could be taken */
	LOST_MAP_FULL,	/* -ENOMEM: no free stack map element */
	LOST_OTHER,	/* any other error */
	LOST_NR
};

struct prog_maps {
	int stacks;		/* BPF_MAP_TYPE_STACK_TRACE: id -> frames */
	int counts;		/* BPF_MAP_TYPE_ARRAY: id -> hits (u64) */
	int lost;		/* BPF_MAP_TYPE_ARRAY: enum lost_cause -> hits */
	unsigned int slots;	/* entries of stacks and counts */
	unsigned int depth;	/* frames per stack */
};

/* The most frames a stack can have, and the longest program we build. */
#define PROG_MAX_DEPTH	127
#define PROG_MAX_INSNS	64

/*
 * Create the maps: slots is rounded up to a power of two (the stack map
 * does so itself, and a stack id must index counts).  Returns 0 or -errno.
 */
int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int depth);
void prog_maps_close(struct prog_maps *maps);

/*
 * Assemble the program into insns (PROG_MAX_INSNS long).  pid > 0 keeps
 * only the hits of that process.  Returns the instruction count.
 */
size_t prog_build(struct bpf_insn *insns, const struct prog_maps *maps,
		  int pid);

#endif
