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
		err = bpf_map_lookup(maps->fd[MAP_LOST], &cause,
				     &set->lost[cause]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A new, empty stack at the end of set, with room for depth frames, all
 * zero: a chain of frames-map chunks fills only as many slots as its
 * chunks hold (63 for a stack of up to 63 frames before 5.11), and the
 * rest must read as the end of the stack, not as what the memory held.
 */
static struct stack *stack_add(struct stack_set *set)
{
	struct stack *s;
	__u64 *f;
	size_t i, cap;

	if (set->n == set->cap) {
		cap = set->cap ? set->cap * 2 : 64;
		s = realloc(set->stacks, cap * sizeof(*s));
		if (!s)
			return NULL;
		set->stacks = s;
		f = realloc(set->frames, cap * set->depth * sizeof(*f));
		if (!f)
			return NULL;
		set->frames = f;
		set->cap = cap;
		/* The frames moved: point every stack at its new place. */
		for (i = 0; i < set->n; i++)
			set->stacks[i].ips = f + i * set->depth;
	}
	s = &set->stacks[set->n];
	memset(s, 0, sizeof(*s));
	f = set->frames + set->n * set->depth;
	memset(f, 0, set->depth * sizeof(*f));
	s->ips = f;
	return s;
}

/* The kernel zero-pads stacks shorter than the map's depth. */
static unsigned int count_frames(const __u64 *ips, unsigned int depth)
{
	unsigned int n = 0;

	while (n < depth && ips[n])
		n++;
	return n;
}

/* counts[id] and the frames of stack id, from the stack id path. */
static int read_by_id(const struct prog_maps *maps, __u32 id,
		      struct stack_set *set)
{
	struct stack *s = stack_add(set);
	int err;

	if (!s)
		return -ENOMEM;
	err = bpf_map_lookup(maps->fd[MAP_STACKS], &id, (void *)s->ips);
	if (err)
		return err == -ENOENT ? 0 : err;
	err = bpf_map_lookup(maps->fd[MAP_COUNTS], &id, &s->count);
	if (err)
		return err;
	s->nframes = count_frames(s->ips, set->depth);
	set->by_id += s->count;
	if (s->count)
		set->n++;
	return 0;
}

/* Call fn on every key of map: a NULL key asks for the first one. */
static int map_for_each(const struct prog_maps *maps, int map,
			size_t key_size, struct stack_set *set,
			int (*fn)(const struct prog_maps *, const void *,
				  struct stack_set *, void *), void *arg)
{
	char *key = malloc(key_size), *next = malloc(key_size), *t;
	int err = -ENOMEM;

	if (!key || !next)
		goto out;
	for (err = bpf_map_next_key(map, NULL, next); !err;
	     err = bpf_map_next_key(map, key, next)) {
		t = key;
		key = next;
		next = t;
		err = fn(maps, key, set, arg);
		if (err)
			goto out;
	}
	if (err == -ENOENT)
		err = 0;
out:
	free(key);
	free(next);
	return err;
}

static int read_by_id_key(const struct prog_maps *maps, const void *key,
			  struct stack_set *set, void *arg)
{
	(void)arg;
	return read_by_id(maps, *(const __u32 *)key, set);
}

/* Order by who, then frames: equal stacks end up side by side. */
static int stack_cmp_frames(const void *pa, const void *pb)
{
	const struct stack *a = pa, *b = pb;
	unsigned int i;
	int c;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	c = strcmp(a->comm, b->comm);
	if (c)
		return c;
	for (i = 0; i < a->nframes && i < b->nframes; i++)
		if (a->ips[i] != b->ips[i])
			return a->ips[i] < b->ips[i] ? -1 : 1;
	return (int)a->nframes - (int)b->nframes;
}

/* Most frequent first; ties in frame order, so the output is stable. */
static int stack_cmp_count(const void *pa, const void *pb)
{
	const struct stack *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return stack_cmp_frames(pa, pb);
}

/* Merge equal stacks (summing their counts), then sort by count. */
static void merge_and_sort(struct stack_set *set)
{
	size_t i, u = 0;

	if (!set->n)
		return;
	qsort(set->stacks, set->n, sizeof(*set->stacks), stack_cmp_frames);
	for (i = 1; i < set->n; i++) {
		if (!stack_cmp_frames(&set->stacks[u], &set->stacks[i]))
			set->stacks[u].count += set->stacks[i].count;
		else
			set->stacks[++u] = set->stacks[i];
	}
	set->n = u + 1;
	qsort(set->stacks, set->n, sizeof(*set->stacks), stack_cmp_count);
}

/* One entry of the frames map: {link, chunk frames} and its value. */
struct chunk {
	__u64 *key;
	union {
		struct frames_value val;
		struct frames_value_thread tval;	/* -T's */
	};
};

struct chunks {
	struct chunk *c;
	size_t n, cap;
	size_t key_size;
};

static int read_chunk(const struct prog_maps *maps, const void *key,
		      struct stack_set *set, void *arg)
{
	struct chunks *cs = arg;
	struct chunk *c;
	int err;

	(void)set;
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 64;

		c = realloc(cs->c, cap * sizeof(*c));
		if (!c)
			return -ENOMEM;
		cs->c = c;
		cs->cap = cap;
	}
	c = &cs->c[cs->n];
	c->key = malloc(cs->key_size);
	if (!c->key)
		return -ENOMEM;
	memcpy(c->key, key, cs->key_size);
	memset(&c->tval, 0, sizeof(c->tval));
	err = bpf_map_lookup(maps->fd[MAP_FRAMES], key, &c->tval);
	if (err) {
		free(c->key);
		return err == -ENOENT ? 0 : err;
	}
	cs->n++;
	return 0;
}

static int chunk_cmp_id(const void *pa, const void *pb)
{
	const struct chunk *a = pa, *b = pb;

	return a->val.id < b->val.id ? -1 : a->val.id > b->val.id;
}

static const struct chunk *chunk_by_id(const struct chunks *cs, __u64 id)
{
	struct chunk want = { .val.id = id };

	return bsearch(&want, cs->c, cs->n, sizeof(*cs->c), chunk_cmp_id);
}

/*
 * The stack that ends at chunk c: walk the links back to the first chunk
 * (a link below FRAMES_LINK_MIN: the process or thread id, or zero), then lay the
 * chunks out first to last.  -EIO if a link leads nowhere (it cannot: an
 * entry is inserted before the next one links to it, and never deleted).
 */
static int chain_stack(const struct chunks *cs, const struct chunk *c,
		       unsigned int chunk, int per_thread,
		       struct stack_set *set)
{
	const struct chunk *path[PROG_MAX_CHUNKS];
	struct stack *s;
	unsigned int n = 0, i, at = 0, take;

	while (1) {
		if (n == PROG_MAX_CHUNKS)
			return -EIO;
		path[n++] = c;
		if (c->key[0] < FRAMES_LINK_MIN)
			break;
		c = chunk_by_id(cs, c->key[0]);
		if (!c)
			return -EIO;
	}
	s = stack_add(set);
	if (!s)
		return -ENOMEM;
	for (i = n; i-- > 0 && at < set->depth; at += take) {
		take = set->depth - at < chunk ? set->depth - at : chunk;
		memcpy((void *)(s->ips + at), path[i]->key + 1,
		       take * sizeof(__u64));
	}
	c = path[0];
	s->nframes = count_frames(s->ips, set->depth);
	s->count = c->val.count;
	s->pid = path[n - 1]->key[0];
	if (per_thread) {	/* the link is the thread; its process */
		s->tid = s->pid;
		s->pid = c->tval.tgid;
	}
	memcpy(s->comm, c->val.comm, sizeof(s->comm));
	s->comm[sizeof(s->comm) - 1] = '\0';
	set->by_frames += s->count;
	set->n++;
	return 0;
}

/*
 * open: programs may be inserting while the map is walked, so a chain's
 * last entry can be seen without one before it (inserted first, but into
 * a bucket the walk had passed): that stack is left for the next read.
 */
static int read_by_frames(const struct prog_maps *maps, struct stack_set *set,
			  int open)
{
	struct chunks cs = { .key_size = prog_frames_key_size(maps->chunk) };
	size_t i;
	int err;

	err = map_for_each(maps, maps->fd[MAP_FRAMES], cs.key_size, set,
			   read_chunk, &cs);
	if (!err)
		qsort(cs.c, cs.n, sizeof(*cs.c), chunk_cmp_id);
	for (i = 0; !err && i < cs.n; i++) {
		if (!cs.c[i].val.count)
			continue;
		err = chain_stack(&cs, &cs.c[i], maps->chunk,
				  maps->per_thread, set);
		if (err == -EIO && open)
			err = 0;
	}
	for (i = 0; i < cs.n; i++)
		free(cs.c[i].key);
	free(cs.c);
	return err;
}

static int read_maps(const struct prog_maps *maps, struct stack_set *set,
		     int open)
{
	int err, i;

	memset(set, 0, sizeof(*set));
	set->depth = maps->depth;
	err = read_lost(maps, set);
	if (!err)
		err = map_for_each(maps, maps->fd[MAP_STACKS], sizeof(__u32),
				   set, read_by_id_key, NULL);
	if (!err)
		err = read_by_frames(maps, set, open);
	if (err) {
		stack_set_free(set);
		return err;
	}
	set->calls = set->by_id + set->by_frames;
	for (i = 0; i < LOST_NR; i++)
		set->calls += set->lost[i];
	merge_and_sort(set);
	return 0;
}

int stackmap_read(const struct prog_maps *maps, struct stack_set *set)
{
	return read_maps(maps, set, 0);
}

int stackmap_read_open(const struct prog_maps *maps, struct stack_set *set)
{
	return read_maps(maps, set, 1);
}

static int stack_ptr_cmp(const void *pa, const void *pb)
{
	return stack_cmp_frames(*(const struct stack *const *)pa,
				*(const struct stack *const *)pb);
}

/* c less p, or 0 where a counter read lower (it cannot: they only grow). */
static __u64 since(__u64 c, __u64 p)
{
	return c > p ? c - p : 0;
}

/* Stack s with count, its frames copied, at the end of out. */
static int stack_copy(struct stack_set *out, const struct stack *s,
		      __u64 count)
{
	struct stack *d = stack_add(out);
	unsigned int n = s->nframes < out->depth ? s->nframes : out->depth;

	if (!d)
		return -ENOMEM;
	memcpy((void *)d->ips, s->ips, n * sizeof(*s->ips));
	d->nframes = n;
	d->count = count;
	d->pid = s->pid;
	d->tid = s->tid;
	memcpy(d->comm, s->comm, sizeof(d->comm));
	out->n++;
	return 0;
}

int stack_set_diff(struct stack_set *out, const struct stack_set *cur,
		   const struct stack_set *prev)
{
	const struct stack **by = calloc(prev->n ? prev->n : 1, sizeof(*by));
	const struct stack *const *p, *s;
	size_t i;
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->depth = cur->depth;
	if (!by)
		return -ENOMEM;
	for (i = 0; i < prev->n; i++)
		by[i] = &prev->stacks[i];
	qsort(by, prev->n, sizeof(*by), stack_ptr_cmp);
	for (i = 0; !err && i < cur->n; i++) {
		s = &cur->stacks[i];
		p = bsearch(&s, by, prev->n, sizeof(*by), stack_ptr_cmp);
		if (since(s->count, p ? (*p)->count : 0))
			err = stack_copy(out, s,
					 since(s->count, p ? (*p)->count : 0));
	}
	free(by);
	if (err) {
		stack_set_free(out);
		return err;
	}
	for (i = 0; i < LOST_NR; i++)
		out->lost[i] = since(cur->lost[i], prev->lost[i]);
	out->by_id = since(cur->by_id, prev->by_id);
	out->by_frames = since(cur->by_frames, prev->by_frames);
	out->calls = since(cur->calls, prev->calls);
	merge_and_sort(out);
	return 0;
}

void stack_set_truncate(struct stack_set *set, unsigned int depth)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->stacks[i].nframes > depth)
			set->stacks[i].nframes = depth;
	merge_and_sort(set);
}

void stack_set_free(struct stack_set *set)
{
	free(set->stacks);
	free(set->frames);
	memset(set, 0, sizeof(*set));
}
