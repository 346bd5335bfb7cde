// SPDX-License-Identifier: GPL-2.0
/* stackmap.c - read back what the BPF program collected; see stackmap.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "stackmap.h"

static int read_lost(const struct prog_maps *maps, struct stack_set *set)
{
	__u32 cause;
	int err;

	for (cause = 0; cause < LOST_NR; cause++) {
		err = bpf_map_lookup(maps->lost, &cause, &set->lost[cause]);
		if (err)
			return err;
		set->calls += set->lost[cause];
	}
	return 0;
}

/* Make room for one more stack of maps->depth frames. */
static int grow(struct stack_set *set, size_t *cap, unsigned int depth)
{
	struct stack *s;
	__u64 *f;
	size_t i;

	if (set->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	s = realloc(set->stacks, *cap * sizeof(*s));
	if (!s)
		return -ENOMEM;
	set->stacks = s;
	f = realloc(set->frames, *cap * depth * sizeof(*f));
	if (!f)
		return -ENOMEM;
	set->frames = f;
	/* Frames moved: point every stack at its new place. */
	for (i = 0; i < set->n; i++)
		set->stacks[i].ips = f + i * depth;
	return 0;
}

static int read_stack(const struct prog_maps *maps, __u32 id,
		      struct stack_set *set)
{
	__u64 *ips = set->frames + set->n * maps->depth;
	struct stack *s = &set->stacks[set->n];
	unsigned int n = 0;
	int err;

	err = bpf_map_lookup(maps->stacks, &id, ips);
	if (err)
		return err == -ENOENT ? 0 : err;
	err = bpf_map_lookup(maps->counts, &id, &s->count);
	if (err)
		return err;
	/* The kernel zero-pads stacks shorter than the map's depth. */
	while (n < maps->depth && ips[n])
		n++;
	s->nframes = n;
	s->ips = ips;
	if (s->count) {
		set->calls += s->count;
		set->n++;
	}
	return 0;
}

int stackmap_read(const struct prog_maps *maps, struct stack_set *set)
{
	__u32 key, next;
	size_t cap = 0;
	int err;

	memset(set, 0, sizeof(*set));
	err = read_lost(maps, set);
	if (err)
		return err;
	/* A NULL key asks for the first key; -ENOENT means no more. */
	for (err = bpf_map_next_key(maps->stacks, NULL, &next); !err;
	     err = bpf_map_next_key(maps->stacks, &key, &next)) {
		key = next;
		err = grow(set, &cap, maps->depth);
		if (!err)
			err = read_stack(maps, key, set);
		if (err)
			goto fail;
	}
	if (err != -ENOENT)
		goto fail;
	stack_set_sort(set);
	return 0;
fail:
	stack_set_free(set);
	return err;
}

void stack_set_free(struct stack_set *set)
{
	free(set->stacks);
	free(set->frames);
	set->stacks = NULL;
	set->frames = NULL;
	set->n = 0;
}

static int stack_cmp(const void *pa, const void *pb)
{
	const struct stack *a = pa, *b = pb;
	unsigned int i;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	for (i = 0; i < a->nframes && i < b->nframes; i++)
		if (a->ips[i] != b->ips[i])
			return a->ips[i] < b->ips[i] ? -1 : 1;
	return (int)a->nframes - (int)b->nframes;
}

void stack_set_sort(struct stack_set *set)
{
	if (set->n)
		qsort(set->stacks, set->n, sizeof(*set->stacks), stack_cmp);
}
