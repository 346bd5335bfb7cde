/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prog.h - show_bt's BPF program and the maps it counts into.
 *
 * The program runs on every hit of a kprobe, and counts only while the
 * gate is open (the window: set after every probe is attached, cleared at
 * its end, so the attach and the read-back count nothing).  Fast path: take the kernel
 * stack with bpf_get_stackid() and add one to counts[stack id].  When the
 * stack map's bucket for that stack holds another stack (a collision), or
 * when stacks are split per process or thread (-P, -T), take the frames
 * themselves with bpf_get_stack() and count them in a hash map keyed by
 * the frames.  A hit
 * whose stack cannot be read at all is counted in lost[cause].  So every
 * hit is counted exactly once, somewhere.
 */
#ifndef SHOW_BT_PROG_H
#define SHOW_BT_PROG_H

#include <stddef.h>
#include <linux/bpf.h>

#include "options.h"	/* struct cpu_range */

/* Slots of the lost map: why a hit's stack could not be kept. */
enum lost_cause {
	LOST_UNREADABLE,	/* -EFAULT: no callchain could be taken */
	LOST_MAP_FULL,		/* no room left in the frames map (-E2BIG) */
	LOST_OTHER,		/* any other error (-ENOMEM: the kernel had no
				 * memory for a frames-map entry in the probe,
				 * which a preallocated map never lacks) */
	LOST_NR
};

/* The most frames a stack can have; the longest program (BPF_MAXINSNS). */
#define PROG_MAX_DEPTH	127
#define PROG_MAX_INSNS	4096

/*
 * Kernels before 5.11 refuse hash keys over 512 bytes (MAX_BPF_STACK; the
 * limit went with commit c6bde958a62b, "bpf: Lift hashtab key_size
 * limit").  There a stack's frames are keyed in chunks of this many.
 */
#define PROG_OLD_MAX_KEY	512
#define PROG_OLD_CHUNK	((PROG_OLD_MAX_KEY - 8) / 8)
#define PROG_MAX_CHUNKS	((PROG_MAX_DEPTH + PROG_OLD_CHUNK - 1) / PROG_OLD_CHUNK)

/*
 * The frames map: a stack of up to chunk frames is one key, {link,
 * frames}.  A longer one is a chain of keys, one per chunk of frames: the
 * first key's link is the process id (with -P; the thread id with -T, see
 * below; zero otherwise), each next
 * key's link is the id of the entry before it.  Ids are 2^32 or more, so a
 * link below 2^32 starts a chain.  Only the entry of a stack's last chunk
 * counts calls; the others have a count of zero unless a shorter stack
 * ends there too.
 */
struct frames_value {
	__u64 count;		/* calls whose stack ends at this key */
	__u64 id;		/* (cpu + 1) << 32 | that CPU's serial */
	char comm[16];		/* the command of the first caller */
};

#define FRAMES_LINK_MIN	(1ull << 32)

/*
 * -T, per thread: the first key's link is the thread id (a tid is below
 * 2^22, so links below 2^32 still start a chain), and the values grow by
 * the thread's ids, {tid, tgid}: the process is kept beside the key, not
 * in it, so that the link keeps its one meaning.  Every chunk's value
 * carries them (a chain is one thread's).  In a pid namespace of its own
 * both are the namespace's ids, and a task outside it has 0 and 0.  The
 * tail is laid out as struct bpf_pidns_info is, and as the u64 of
 * bpf_get_current_pid_tgid() is on a little-endian CPU.
 */
struct frames_value_thread {
	struct frames_value v;
	__u32 tid;		/* the thread: the first key's link */
	__u32 tgid;		/* its process */
};

/* The maps, by index: one table gives their names, types and sizes. */
enum prog_map {
	MAP_GATE,	/* ARRAY, 1 entry: nonzero while the window is open */
	MAP_STACKS,	/* STACK_TRACE: id -> frames */
	MAP_COUNTS,	/* ARRAY: id -> hits (u64) */
	MAP_SCRATCH,	/* PERCPU_ARRAY, 1 entry: serial, then frames */
	MAP_FRAMES,	/* HASH: {link, frames} -> struct frames_value */
	MAP_LOST,	/* ARRAY: enum lost_cause -> hits (u64) */
	MAP_NR
};

struct prog_maps {
	int fd[MAP_NR];
	unsigned int slots;	/* entries of stacks and counts */
	unsigned int depth;	/* frames per stack */
	unsigned int max_frames; /* entries of frames */
	unsigned int chunk;	/* frames per frames-map key */
	/*
	 * -T: the frames map's values are struct frames_value_thread.  Set
	 * it after prog_maps_init(), before prog_maps_create() (which keeps
	 * it).
	 */
	int per_thread;
};

/*
 * All fds -1, all else zero: nothing created yet (prog_maps_close() is
 * then a no-op).
 */
void prog_maps_init(struct prog_maps *maps);

/*
 * Create the maps: slots is rounded up to a power of two (the stack map
 * does so itself, and a stack id must index counts); max_frames keys fit
 * in the frames map.  Where the kernel refuses a key of depth frames, the
 * frames map is keyed in chunks of PROG_OLD_CHUNK.  prealloc: allocate the
 * frames map's entries up front (kernels before 6.1 must: see prog.c).
 * Returns 0 or -errno.
 */
int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int max_frames, unsigned int depth,
		     int prealloc);
void prog_maps_close(struct prog_maps *maps);

/*
 * The maps by name, as programs in text name them ("map[stacks]"):
 * gate, stacks, counts, scratch, frames, lost.  NULL or -1 when unknown.
 */
const char *prog_map_name(const struct prog_maps *maps, int fd);
const char *prog_map_name_at(enum prog_map i);
int prog_map_fd(const struct prog_maps *maps, const char *name);

/* Frames per chunk, key size and chunks per stack of a frames map. */
size_t prog_frames_key_size(unsigned int chunk);
unsigned int prog_chunks(const struct prog_maps *maps);

/*
 * The scratch map's one value: a u64 serial for ids at PROG_SCRATCH_SERIAL,
 * then the frames buffer from PROG_SCRATCH_BUF on.
 */
#define PROG_SCRATCH_SERIAL	0
#define PROG_SCRATCH_BUF	8

/* Bytes of the scratch map's one value: the serial, then the frames. */
size_t prog_scratch_size(const struct prog_maps *maps);

struct prog_config {
	int pid;		/* > 0: only hits of this process */
	int self;		/* else: all hits but this process's own */
	int per_process;	/* -P: every stack keyed by process */
	/*
	 * -T: every stack keyed by thread, its process in the value (see
	 * struct frames_value_thread); the maps must have per_thread set.
	 * -T names each thread's process already: with -P too, -T wins
	 * (options.c drops -P).
	 */
	int per_thread;
	/*
	 * Nonzero: show_bt runs in a pid namespace other than the first
	 * (a container), whose nsfs device and inode these are; pid and
	 * self are ids in it, and so are -P's.
	 */
	unsigned long long ns_dev, ns_ino;
	/*
	 * arm64, every probe at a function's first instruction: there the
	 * return address into the caller is only in x30 (the prologue has
	 * not saved it), so the unwinder skips the caller.  The program
	 * then takes every stack by its frames and puts x30 in as frame 1.
	 */
	int entry_lr;
	/*
	 * A tracepoint's program (tracepoint.h): nonzero, this tag goes in as
	 * frame 0 of every stack, so that the output can say which
	 * tracepoint was hit (a stack id cannot carry it: every stack is
	 * counted by its frames).  Tags are small numbers, never a kernel
	 * address: 1 to PROG_TAG_MAX.
	 */
	unsigned int tp_tag;

	/* The filters (-c, --comm, --cgroup): a hit counts if it passes all. */
	const struct cpu_range *cpus;	/* -c: ncpu_ranges of them */
	size_t ncpu_ranges;
	char comm[16];			/* --comm, NUL-padded; "" for none */
	unsigned long long cgroup_id;	/* --cgroup's id; 0 for none */
	/*
	 * The cgroup's level below the root (root 0): a task counts if its
	 * cgroup's ancestor at that level is the cgroup (it or a descendant;
	 * bpf_get_current_ancestor_cgroup_id).  -1: only the cgroup itself.
	 */
	int cgroup_level;

	/*
	 * -i: every stack by its frames, never through the stack map, whose
	 * lookups show_bt makes while programs run: a lookup takes the bucket
	 * out for a moment, and a program that meets it empty stores its own
	 * stack there, its hit then credited to the stack put back.
	 */
	int frames_only;
};

#define PROG_TAG_MAX	(1u << 20)

/* Where struct pt_regs keeps x30 on arm64 (user_pt_regs.regs[30]). */
#define PROG_ARM64_LR_OFF	(30 * 8)

/* Stand-in maps for --dump and the tests: fds 3 up, nothing created. */
void prog_maps_standin(struct prog_maps *maps, unsigned int slots,
		       unsigned int depth);

/* A comment on the group of instructions that starts at insn. */
struct prog_note {
	size_t insn;
	const char *text;
};

#define PROG_MAX_NOTES	48

struct prog {
	struct bpf_insn insns[PROG_MAX_INSNS];
	size_t len;
	char license[32];	/* "" means "GPL" (--prog: .license "...") */
	struct prog_note notes[PROG_MAX_NOTES];
	size_t nnotes;
	unsigned int tp_tag;	/* built for a tracepoint: its tag, else 0 */
};

/* Assemble the program for these maps and this configuration. */
void prog_build(struct prog *prog, const struct prog_maps *maps,
		const struct prog_config *cfg);

#endif
