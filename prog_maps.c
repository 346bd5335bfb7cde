// SPDX-License-Identifier: GPL-2.0
/*
 * prog_maps.c - the maps show_bt's program writes and the report reads:
 * their sizes, creation (the frames map first, its key deciding the
 * scratch map's size), and names for programs in text; see prog.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "prog.h"

static unsigned int round_up_pow2(unsigned int n)
{
	unsigned int p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

size_t prog_frames_key_size(unsigned int chunk)
{
	return sizeof(__u64) + chunk * sizeof(__u64);
}

unsigned int prog_chunks(const struct prog_maps *maps)
{
	return (maps->depth + maps->chunk - 1) / maps->chunk;
}

/*
 * buf[0] is the first key's link, buf[1..depth] the frames.  Key k starts
 * at buf[k * chunk] (the last frame of chunk k - 1, overwritten by the
 * link once that chunk is counted) and spans chunk + 1 slots; the slots
 * past depth stay zero, padding the last key.
 */
size_t prog_scratch_size(const struct prog_maps *maps)
{
	return PROG_SCRATCH_BUF +
	       (prog_chunks(maps) * maps->chunk + 1) * sizeof(__u64);
}

struct map_spec {
	const char *name;	/* as programs in text name it */
	enum bpf_map_type type;
	unsigned int key, value, entries, flags;
};

static const char *const map_names[MAP_NR] = {
	[MAP_GATE] = "gate", [MAP_STACKS] = "stacks",
	[MAP_COUNTS] = "counts", [MAP_SCRATCH] = "scratch",
	[MAP_FRAMES] = "frames", [MAP_LOST] = "lost",
};

/*
 * Kernels from 5.7 to 6.0 WARN (and taint) when a tracing program uses a
 * hash map that allocates at run time, PREEMPT_RT ones refuse it, older
 * ones allocate inside the probe; 6.1 made it safe (commit 96da3f7d489d,
 * "bpf: Remove tracing program restriction on map types", on top of the
 * BPF memory allocator).  Before that the frames map is preallocated.
 */
static void map_specs(const struct prog_maps *m, int prealloc,
		      struct map_spec spec[MAP_NR])
{
	const struct map_spec s[MAP_NR] = {
		[MAP_GATE] = { NULL, BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0 },
		[MAP_STACKS] = { NULL, BPF_MAP_TYPE_STACK_TRACE, 4,
				 m->depth * 8, m->slots, 0 },
		[MAP_COUNTS] = { NULL, BPF_MAP_TYPE_ARRAY, 4, 8, m->slots, 0 },
		[MAP_SCRATCH] = { NULL, BPF_MAP_TYPE_PERCPU_ARRAY, 4,
				  prog_scratch_size(m), 1, 0 },
		[MAP_FRAMES] = { NULL, BPF_MAP_TYPE_HASH,
				 prog_frames_key_size(m->chunk),
				 m->per_thread ?
				 sizeof(struct frames_value_thread) :
				 sizeof(struct frames_value), m->max_frames,
				 prealloc ? 0 : BPF_F_NO_PREALLOC },
		[MAP_LOST] = { NULL, BPF_MAP_TYPE_ARRAY, 4, 8, LOST_NR, 0 },
	};
	int i;

	for (i = 0; i < MAP_NR; i++) {
		spec[i] = s[i];
		spec[i].name = map_names[i];
	}
}

void prog_maps_init(struct prog_maps *maps)
{
	int i;

	memset(maps, 0, sizeof(*maps));
	for (i = 0; i < MAP_NR; i++)
		maps->fd[i] = -1;
}

static int map_create(const struct map_spec *s)
{
	char name[BPF_OBJ_NAME_LEN];

	snprintf(name, sizeof(name), "show_bt_%s", s->name);
	return bpf_map_create(s->type, s->key, s->value, s->entries, s->flags,
			      name);
}

int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int max_frames, unsigned int depth,
		     int prealloc)
{
	struct map_spec spec[MAP_NR];
	int i, fd, per_thread = maps->per_thread;

	prog_maps_init(maps);
	maps->per_thread = per_thread;
	maps->slots = round_up_pow2(slots);
	maps->depth = depth;
	maps->max_frames = max_frames;
	maps->chunk = depth;
	/* The frames map first: its key size decides the scratch size. */
	map_specs(maps, prealloc, spec);
	fd = map_create(&spec[MAP_FRAMES]);
	if (fd == -E2BIG && depth > PROG_OLD_CHUNK) {
		maps->chunk = PROG_OLD_CHUNK;
		map_specs(maps, prealloc, spec);
		fd = map_create(&spec[MAP_FRAMES]);
	}
	if (fd < 0)
		return fd;
	maps->fd[MAP_FRAMES] = fd;
	for (i = 0; i < MAP_NR; i++) {
		if (i == MAP_FRAMES)
			continue;
		fd = map_create(&spec[i]);
		if (fd < 0) {
			prog_maps_close(maps);
			return fd;
		}
		maps->fd[i] = fd;
	}
	return 0;
}

void prog_maps_close(struct prog_maps *maps)
{
	int i;

	for (i = 0; i < MAP_NR; i++) {
		if (maps->fd[i] >= 0)
			close(maps->fd[i]);
		maps->fd[i] = -1;
	}
}

void prog_maps_standin(struct prog_maps *maps, unsigned int slots,
		       unsigned int depth)
{
	int i;

	for (i = 0; i < MAP_NR; i++)
		maps->fd[i] = 3 + i;
	maps->slots = round_up_pow2(slots);
	maps->depth = depth;
	maps->chunk = depth;
	maps->max_frames = 0;
	maps->per_thread = 0;
}

const char *prog_map_name(const struct prog_maps *maps, int fd)
{
	int i;

	for (i = 0; i < MAP_NR; i++)
		if (maps->fd[i] == fd)
			return map_names[i];
	return NULL;
}

const char *prog_map_name_at(enum prog_map i)
{
	return i < MAP_NR ? map_names[i] : NULL;
}

int prog_map_fd(const struct prog_maps *maps, const char *name)
{
	int i;

	for (i = 0; i < MAP_NR; i++)
		if (!strcmp(map_names[i], name))
			return maps->fd[i];
	return -1;
}
