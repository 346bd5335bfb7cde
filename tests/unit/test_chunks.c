// SPDX-License-Identifier: GPL-2.0
/*
 * test_chunks.c - stacks counted by their frames on kernels before 5.11,
 * whose hash maps refuse keys over 512 bytes: there a stack is a chain of
 * keys of PROG_OLD_CHUNK (63) frames each (prog.h), which stackmap_read()
 * must lay out again first chunk first.
 *
 * A real frames map of 512-byte keys (bpf() on this kernel: needs root)
 * is filled the way show_bt's BPF program fills it (prog.c's frames and
 * chunk groups: the scratch buffer, a key at every chunk * k slots, the
 * link written over the last frame of the chunk before, ids of
 * (cpu + 1) << 32 | serial, BPF_NOEXIST inserts, the count on the last
 * chunk's entry), for a stack of every depth from 1 to the map's depth,
 * chunk boundaries included.  Then stackmap_read() reads it back: every
 * frame in order, the count, the process and its command.  Twice: stacks
 * with frames of their own, and stacks that share their first frames, so
 * that a shorter stack ends on an entry a longer one chains through.  And
 * with the map depths 127 (the default) and 90 (a lower
 * kernel.perf_event_max_stack: two chunks).
 *
 * Usage: test_chunks
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../bpf.h"
#include "../../stackmap.h"
#include "unit.h"

#define NCPUS		2
#define PID_BASE	4000u

/* The program's per-CPU state: the scratch buffer and its serial. */
struct cpu {
	__u64 serial;
	__u64 buf[PROG_MAX_CHUNKS * PROG_OLD_CHUNK + 1];
};

static struct cpu cpus[NCPUS];

/*
 * -T: the link is the thread id, and each value carries {tid, tgid}
 * (prog.h, struct frames_value_thread); the process here is TGID_OF(tid).
 */
static int per_thread;
#define TGID_OF(tid)	((tid) + 100000u)

/* Frame i of the stack of depth d; shared: the same for every d. */
static __u64 frame(unsigned int d, unsigned int i, int shared)
{
	return 0xffffffff81000000ull + (shared ? 0 : (__u64)d << 16) +
	       (__u64)i * 16 + 5;
}

static int maps_create(struct prog_maps *m, unsigned int depth)
{
	prog_maps_init(m);
	m->depth = depth;
	m->chunk = PROG_OLD_CHUNK;
	m->slots = 1;
	m->max_frames = 1024;
	m->per_thread = per_thread;
	m->fd[MAP_FRAMES] = bpf_map_create(BPF_MAP_TYPE_HASH,
					   prog_frames_key_size(m->chunk),
					   per_thread ?
					   sizeof(struct frames_value_thread) :
					   sizeof(struct frames_value),
					   m->max_frames, 0, "test_frames");
	/* Empty: every stack here is counted by its frames. */
	m->fd[MAP_STACKS] = bpf_map_create(BPF_MAP_TYPE_HASH, 4, depth * 8, 1,
					   0, "test_stacks");
	m->fd[MAP_COUNTS] = bpf_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0,
					   "test_counts");
	m->fd[MAP_LOST] = bpf_map_create(BPF_MAP_TYPE_ARRAY, 4, 8, LOST_NR, 0,
					 "test_lost");
	if (m->fd[MAP_FRAMES] < 0)
		return m->fd[MAP_FRAMES];
	if (m->fd[MAP_STACKS] < 0)
		return m->fd[MAP_STACKS];
	if (m->fd[MAP_COUNTS] < 0)
		return m->fd[MAP_COUNTS];
	return m->fd[MAP_LOST] < 0 ? m->fd[MAP_LOST] : 0;
}

/*
 * One hit of a stack of n frames on a CPU, by process pid (its command
 * comm), as the program counts it with -P.  Returns 0 or -errno.
 */
static int hit(const struct prog_maps *m, unsigned int cpu, const __u64 *ips,
	       unsigned int n, __u32 pid, const char *comm)
{
	struct cpu *c = &cpus[cpu];
	unsigned int nchunks = prog_chunks(m), k;
	struct frames_value_thread tval;
	struct frames_value val, prev = { 0 };
	__u64 *key;
	int err;

	/* bpf_get_stack(): the frames at buf[1], zero-padded to depth. */
	memset(c->buf, 0, sizeof(c->buf));
	memcpy(&c->buf[1], ips, n * sizeof(*ips));
	c->buf[0] = pid;
	for (k = 0; k < nchunks; k++) {
		key = &c->buf[k * m->chunk];
		if (k > 0)
			key[0] = prev.id;
		err = bpf_map_lookup(m->fd[MAP_FRAMES], key, &tval);
		if (err == -ENOENT) {
			memset(&tval, 0, sizeof(tval));
			tval.v.id = (__u64)(cpu + 1) << 32 | ++c->serial;
			snprintf(tval.v.comm, sizeof(tval.v.comm), "%s", comm);
			tval.tid = pid;
			tval.tgid = TGID_OF(pid);
			err = bpf_map_update(m->fd[MAP_FRAMES], key, &tval,
					     BPF_NOEXIST);
			if (!err)
				err = bpf_map_lookup(m->fd[MAP_FRAMES], key,
						     &tval);
		}
		val = tval.v;
		if (err)
			return err;
		/* bpf_get_stack() returned n * 8 bytes. */
		if (k + 1 < nchunks && n * 8 > (k + 1) * m->chunk * 8) {
			prev = val;
			continue;
		}
		tval.v.count++;
		return bpf_map_update(m->fd[MAP_FRAMES], key, &tval, BPF_EXIST);
	}
	return -EINVAL;
}

/* Calls of the stack of depth d: a different number for each. */
static unsigned int calls(unsigned int d)
{
	return d % 5 + 1;
}

static const struct stack *find(const struct stack_set *set, __u32 pid,
				unsigned int nframes)
{
	const struct stack *s;
	size_t i;

	for (i = 0; i < set->n; i++) {
		s = &set->stacks[i];
		if (per_thread ? s->tid == pid && s->pid == TGID_OF(pid) :
		    s->pid == pid && !s->tid)
			if (s->nframes == nframes)
				return s;
	}
	return NULL;
}

/*
 * Every depth from 1 to depth, each with its process (distinct) or all
 * by one (shared), filled and read back.
 */
static void check(unsigned int depth, int shared)
{
	__u64 ips[PROG_MAX_DEPTH], total = 0;
	const struct stack *s;
	struct stack_set set;
	struct prog_maps m;
	unsigned int d, i, j;
	char comm[16], name[64];
	__u32 pid;
	int err;

	snprintf(name, sizeof(name), "chunks_%s_depth_%u%s",
		 shared ? "shared_prefix" : "distinct", depth,
		 per_thread ? "_per_thread" : "");
	memset(cpus, 0, sizeof(cpus));
	err = maps_create(&m, depth);
	EXPECT(!err, "cannot create the maps (bpf(), needs root): %s",
	       strerror(-err));
	/* Deepest first, so that shorter stacks end on entries of theirs. */
	for (d = depth; !err && d >= 1; d--) {
		for (i = 0; i < d; i++)
			ips[i] = frame(d, i, shared);
		pid = shared ? PID_BASE : PID_BASE + d;
		snprintf(comm, sizeof(comm), "w%u", shared ? 0 : d);
		for (j = 0; !err && j < calls(d); j++)
			err = hit(&m, (d + j) % NCPUS, ips, d, pid, comm);
		EXPECT(!err, "depth %u: cannot count the hit: %s", d,
		       strerror(-err));
		total += calls(d);
	}
	if (!err) {
		err = stackmap_read(&m, &set);
		EXPECT(!err, "stackmap_read: %s", strerror(-err));
	}
	if (err) {
		prog_maps_close(&m);
		test_end(name);
		return;
	}
	EXPECT(set.n == depth, "%zu stacks read, want %u", set.n, depth);
	EXPECT(set.by_frames == total && set.calls == total && !set.by_id,
	       "by frames %llu, by id %llu, calls %llu; want %llu by frames",
	       (unsigned long long)set.by_frames,
	       (unsigned long long)set.by_id,
	       (unsigned long long)set.calls, (unsigned long long)total);
	for (d = 1; d <= depth; d++) {
		pid = shared ? PID_BASE : PID_BASE + d;
		s = find(&set, pid, d);
		EXPECT(s, "no stack of %u frames by pid %u", d, pid);
		if (!s)
			continue;
		for (i = 0; i < d && s->ips[i] == frame(d, i, shared); i++)
			;
		EXPECT(i == d, "depth %u: frame %u is %#llx, want %#llx", d,
		       i, (unsigned long long)s->ips[i],
		       (unsigned long long)frame(d, i, shared));
		EXPECT(s->count == calls(d), "depth %u: count %llu, want %u",
		       d, (unsigned long long)s->count, calls(d));
		snprintf(comm, sizeof(comm), "w%u", shared ? 0 : d);
		EXPECT(!strcmp(s->comm, comm), "depth %u: comm '%s', want '%s'",
		       d, s->comm, comm);
	}
	stack_set_free(&set);
	prog_maps_close(&m);
	test_end(name);
}

int main(void)
{
	check(PROG_MAX_DEPTH, 0);
	check(PROG_MAX_DEPTH, 1);
	check(90, 0);
	check(90, 1);
	per_thread = 1;
	check(PROG_MAX_DEPTH, 0);
	check(PROG_MAX_DEPTH, 1);
	check(90, 1);
	return test_failed ? 1 : 0;
}
