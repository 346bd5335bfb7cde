/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog.h - show_bt's BPF program and the maps it counts into.
 *
 * The program runs on every hit of a kprobe.  Fast path: take the kernel
 * stack with bpf_get_stackid() and add one to counts[stack id].  When the
 * stack map's bucket for that stack holds another stack (a collision), or
 * when stacks are split per process (-P), take the frames themselves with
 * bpf_get_stack() and count them in a hash map keyed by the frames.  A hit
 * whose stack cannot be read at all is counted in lost[cause].  So every
 * hit is counted exactly once, somewhere.
 */
#ifndef SHOW_BT_PROG_H
#define SHOW_BT_PROG_H

#include <stddef.h>
#include <linux/bpf.h>

/* Slots of the lost map: why a hit's stack could not be kept. */
enum lost_cause {
	LOST_UNREADABLE,	/* -EFAULT: no callchain could be taken */
	LOST_MAP_FULL,		/* no room left in the stack or frames map */
	LOST_OTHER,		/* any other error */
	LOST_NR
};

/* The most frames a stack can have; the longest program (BPF_MAXINSNS). */
#define PROG_MAX_DEPTH	127
#define PROG_MAX_INSNS	4096

/*
 * The key of the frames map: who (with -P; zero otherwise), then the
 * frames, innermost first, zero-padded to the map's depth.
 */
struct frames_key_head {
	__u32 pid;		/* process id (tgid) */
	__u32 pad;
	char comm[16];		/* its command name */
};


struct prog_maps {
	int stacks;		/* STACK_TRACE: id -> frames */
	int counts;		/* ARRAY: id -> hits (u64) */
	int scratch;		/* PERCPU_ARRAY, 1 entry: a frames key */
	int frames;		/* HASH: frames key -> hits (u64) */
	int lost;		/* ARRAY: enum lost_cause -> hits (u64) */
	unsigned int slots;	/* entries of stacks and counts */
	unsigned int depth;	/* frames per stack */
	unsigned int max_frames; /* entries of frames */
};

struct prog_config {
	int pid;		/* > 0: only hits of this process */
	int self;		/* else: all hits but this process's own */
	int per_process;	/* -P: every stack keyed by process */
};

/*
 * Create the maps: slots is rounded up to a power of two (the stack map
 * does so itself, and a stack id must index counts); max_frames distinct
 * stacks fit in the frames map.  Returns 0 or -errno.
 */
int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int max_frames, unsigned int depth);
void prog_maps_close(struct prog_maps *maps);

/*
 * The maps by name, as programs in text name them ("map[stacks]"):
 * stacks, counts, scratch, frames, lost.  NULL or -1 when unknown.
 */
const char *prog_map_name(const struct prog_maps *maps, int fd);
int prog_map_fd(const struct prog_maps *maps, const char *name);

/* Size in bytes of a frames map key for maps of this depth. */
size_t prog_frames_key_size(unsigned int depth);

/* A comment on the group of instructions that starts at insn. */
struct prog_note {
	size_t insn;
	const char *text;
};

#define PROG_MAX_NOTES	16

struct prog {
	struct bpf_insn insns[PROG_MAX_INSNS];
	size_t len;
	char license[32];	/* "" means "GPL" (--prog: .license "...") */
	struct prog_note notes[PROG_MAX_NOTES];
	size_t nnotes;
};

/* Assemble the program for these maps and this configuration. */
void prog_build(struct prog *prog, const struct prog_maps *maps,
		const struct prog_config *cfg);

#endif
