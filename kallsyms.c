// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms.c - the symbol resolver: addresses to functions and names to
 * addresses, from a copy of /proc/kallsyms; see kallsyms.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

struct best {
	int found;
	size_t line;
	struct kline l;
	char buf[KSYM_NAME_LEN];
};

static int names_index_build(struct kallsyms *c);
static int copy_stale(const struct kallsyms *c);
static int recheck(const struct kallsyms *c, const unsigned long *addrs,
		   size_t n, struct ksym *syms, const unsigned char *named,
		   const char *const *names, size_t nnames);

int kallsyms_read_all(struct kallsyms *c, const char *path,
		      const char *modules_path, unsigned int bpf_id)
{
	int err = kallsyms_start(c, path, modules_path, bpf_id);

	if (err)
		return err;
	c->keep_all = 1;
	err = kallsyms_finish(c);
	if (!err)
		err = names_index_build(c);
	if (err)
		kallsyms_free(c);
	return err;
}

int kallsyms_resolve(const struct kallsyms *c, const unsigned long *addrs,
		     size_t n, struct ksym *syms, const unsigned char *named,
		     const char *const *names, size_t nnames)
{
	int err;

	err = kallsyms_resolve_read(c, addrs, n, syms, named, names, nnames);
	if (err || !n || !copy_stale(c))
		return err;
	return recheck(c, addrs, n, syms, named, names, nnames);
}

void kallsyms_bpf_now(struct kallsyms *c, unsigned int bpf_id)
{
	c->bpf_now = bpf_id;
}

int kallsyms_restamp(struct kallsyms *c, unsigned int bpf_id)
{
	if (kallsyms_modules_stamp(c->modules_path) != c->modules_stamp)
		return -ESTALE;
	c->bpf_id = c->bpf_now = bpf_id;
	return 0;
}

static int str_cmp(const void *pa, const void *pb);
static void best_for(const struct kallsyms *c, unsigned long x,
		     struct best *b);
static void name_as_asked(const struct kallsyms *c, struct ksym *sym,
			  const char *const *names, size_t nnames);

int kallsyms_resolve_read(const struct kallsyms *c,
			  const unsigned long *addrs, size_t n,
			  struct ksym *syms, const unsigned char *named,
			  const char *const *names, size_t nnames)
{
	const char **sorted = NULL;
	unsigned long end = ksym_last_end(c->last);
	struct best b;
	size_t i;

	memset(syms, 0, n * sizeof(*syms));
	if (c->state != 1)
		return c->state < 0 ? c->state : -EINVAL;
	if (!c->nonzero)
		return -EACCES;
	if (named && nnames) {
		sorted = malloc(nnames * sizeof(*sorted));
		if (!sorted)
			return -ENOMEM;
		memcpy(sorted, names, nnames * sizeof(*sorted));
		qsort(sorted, nnames, sizeof(*sorted), str_cmp);
	}
	for (i = 0; i < n; i++) {
		best_for(c, addrs[i], &b);
		if (!b.found || !ksym_is_text(b.l.type) ||
		    ksym_is_marker(b.l.name) ||
		    (addrs[i] > c->last && addrs[i] >= end))
			continue;
		syms[i].addr = b.l.addr;
		syms[i].type = b.l.type;
		snprintf(syms[i].name, sizeof(syms[i].name), "%s", b.l.name);
		snprintf(syms[i].module, sizeof(syms[i].module), "%s",
			 b.l.module ? b.l.module : "");
		if (sorted && named[i])
			name_as_asked(c, &syms[i], sorted, nnames);
	}
	free(sorted);
	return 0;
}

/* ---- the address index: the function that holds an address ---- */

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/*
 * A sequence of lines by address: a run (v NULL: lines first, first + 1,
 * ...) or the tail (v).  The line at position j, and its address.
 */
static size_t seq_line(const struct kcopy_tail *v, size_t first, size_t j)
{
	return v ? v[j].line : first + j;
}

static unsigned long seq_addr(const struct kallsyms *c,
			      const struct kcopy_tail *v, size_t first,
			      size_t j)
{
	return v ? v[j].addr : kallsyms_line_addr(c, first + j);
}

/* In a sequence of n lines, the last with an address <= x, or n. */
static size_t last_at_or_below(const struct kallsyms *c,
			       const struct kcopy_tail *v, size_t first,
			       size_t n, unsigned long x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (seq_addr(c, v, first, mid) <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : n;
}


/*
 * Whether line i beats the best so far, as one pass over the file would
 * have it (the tests' oracle): the higher address, then the better name,
 * then the first in the file.
 */
static void best_offer(const struct kallsyms *c, struct best *b,
		       size_t i)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;

	kallsyms_line(c, i, &l, buf, sizeof(buf));
	if (b->found &&
	    (l.addr < b->l.addr ||
	     (l.addr == b->l.addr &&
	      !ksym_alias_better(l.type, l.name, b->l.type, b->l.name) &&
	      (ksym_alias_better(b->l.type, b->l.name, l.type, l.name) ||
	       i > b->line))))
		return;
	b->found = 1;
	b->line = i;
	b->l = l;
	if (l.name == buf) {
		memcpy(b->buf, buf, sizeof(buf));
		b->l.name = b->buf;
	}
}

/* Offer every line at the address of v's line j and those before it. */
static void offer_ties(const struct kallsyms *c, struct best *b,
		       const struct kcopy_tail *v, size_t first, size_t j)
{
	unsigned long a = seq_addr(c, v, first, j);

	do
		best_offer(c, b, seq_line(v, first, j));
	while (j-- > 0 && seq_addr(c, v, first, j) == a);
}

/* The line that names x: the highest start at or below it, best named. */
static void best_for(const struct kallsyms *c, unsigned long x,
		     struct best *b)
{
	size_t r, j;

	b->found = 0;
	for (r = 0; r < c->nruns; r++) {
		j = last_at_or_below(c, NULL, c->runs[r].from,
				     c->runs[r].value, x);
		if (j < c->runs[r].value)
			offer_ties(c, b, NULL, c->runs[r].from, j);
	}
	j = last_at_or_below(c, c->tail, 0, c->ntail, x);
	if (j < c->ntail)
		offer_ties(c, b, c->tail, 0, j);
}

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/*
 * Frame 0 under an asked-for name: of the text lines at sym's start in
 * its module whose name was asked for, the best.  The module as sym
 * holds it (KSYM_MODULE_MAX - 1 characters), as kallsyms.c compares.
 */
static void name_as_asked(const struct kallsyms *c, struct ksym *sym,
			  const char *const *names, size_t nnames)
{
	struct best b = { 0 };
	size_t r, j, i;

	for (r = 0; r <= c->nruns; r++) {
		const struct kcopy_tail *v = r < c->nruns ? NULL : c->tail;
		size_t first = r < c->nruns ? c->runs[r].from : 0;
		size_t n = r < c->nruns ? c->runs[r].value : c->ntail;

		j = last_at_or_below(c, v, first, n, sym->addr);
		for (; j < n; j--) {
			char buf[KSYM_NAME_LEN];
			struct kline l;

			i = seq_line(v, first, j);
			kallsyms_line(c, i, &l, buf, sizeof(buf));
			if (l.addr != sym->addr)
				break;
			if (!ksym_is_text(l.type) ||
			    strncmp(l.module ? l.module : "", sym->module,
				    KSYM_MODULE_MAX - 1) ||
			    !bsearch(l.name, names, nnames, sizeof(*names),
				     name_cmp))
				continue;
			if (!b.found || ksym_alias_better(l.type, l.name,
							  b.l.type, b.l.name)) {
				b.found = 1;
				b.l = l;
				snprintf(b.buf, sizeof(b.buf), "%s", l.name);
				b.l.name = b.buf;	/* buf: the next line's */
			}
		}
	}
	if (b.found) {
		sym->type = b.l.type;
		snprintf(sym->name, sizeof(sym->name), "%s", b.buf);
	}
}


/* ---- a copy older than what is loaded now ---- */

/* Whether modules or BPF programs came or went since the copy began. */
static int copy_stale(const struct kallsyms *c)
{
	return kallsyms_modules_stamp(c->modules_path) != c->modules_stamp ||
	       c->bpf_now != c->bpf_id;
}

/* The file read again, whole, for addrs[0..n). */
static int resolve_again(const struct kallsyms *c, const unsigned long *addrs,
			 size_t n, struct ksym *syms,
			 const unsigned char *named, const char *const *names,
			 size_t nnames)
{
	struct kallsyms now;
	int err;

	err = kallsyms_start(&now, c->path, c->modules_path, c->bpf_now);
	if (!err)
		err = kallsyms_finish(&now);
	if (!err)
		err = kallsyms_resolve_read(&now, addrs, n, syms, named, names,
					    nnames);
	kallsyms_free(&now);
	return err;
}

/* Ask the file again about the addresses the copy left outside the image. */
static int recheck(const struct kallsyms *c, const unsigned long *addrs,
		   size_t n, struct ksym *syms, const unsigned char *named,
		   const char *const *names, size_t nnames)
{
	unsigned long *a = malloc(n * sizeof(*a));
	unsigned char *nm = malloc(n);
	struct ksym *s = malloc(n * sizeof(*s));
	size_t *at = malloc(n * sizeof(*at));
	size_t i, m = 0;
	int err = -ENOMEM;

	if (!a || !nm || !s || !at)
		goto out;
	for (i = 0; i < n; i++) {
		if (syms[i].addr && !syms[i].module[0])
			continue;	/* the kernel image stays as it was */
		a[m] = addrs[i];
		nm[m] = named ? named[i] : 0;
		at[m++] = i;
	}
	err = 0;
	if (m)
		err = resolve_again(c, a, m, s, nm, names, nnames);
	for (i = 0; !err && i < m; i++)
		syms[at[i]] = s[i];
out:
	free(a);
	free(nm);
	free(s);
	free(at);
	return err;
}

/* ---- the names index: where the functions of a name start ---- */

/* FNV-1a: the name's bucket before the mask. */
static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/*
 * Chain each bucket's lines in the file's order; note the init range
 * (the last line of each name, as one pass would keep it).
 */
static int names_index_build(struct kallsyms *c)
{
	size_t n = c->n, nb = 1, i;
	int start_seen = 0, end_seen = 0;
	char buf[KSYM_NAME_LEN];
	struct kline l;
	unsigned int h;

	if (n >= UINT_MAX)
		return -ENOMEM;
	while (nb < n)
		nb <<= 1;
	c->buckets = calloc(nb, sizeof(*c->buckets));
	c->next = calloc(n ? n : 1, sizeof(*c->next));
	if (!c->buckets || !c->next)
		return -ENOMEM;
	c->nbuckets = nb;
	for (i = n; i-- > 0;) {
		kallsyms_line(c, i, &l, buf, sizeof(buf));
		h = name_hash(l.name) & (nb - 1);
		c->next[i] = c->buckets[h];
		c->buckets[h] = i + 1;
		if (!start_seen && !strcmp(l.name, "_sinittext")) {
			c->init_start = l.addr;
			start_seen = 1;
		} else if (!end_seen && !strcmp(l.name, "_einittext")) {
			c->init_end = l.addr;
			end_seen = 1;
		}
	}
	return 0;
}

/*
 * The first line from index i - 1 on along a bucket's chain that is named
 * name, + 1 (0: none), read into *l (and buf).
 */
static size_t line_match(const struct kallsyms *c, size_t i,
			 const char *name, struct kline *l, char *buf)
{
	for (; i; i = c->next[i - 1]) {
		kallsyms_line(c, i - 1, l, buf, KSYM_NAME_LEN);
		if (!strcmp(l->name, name))
			return i;
	}
	return 0;
}

static size_t line_first(const struct kallsyms *c, const char *name,
			 struct kline *l, char *buf)
{
	if (!c->nbuckets)
		return 0;
	return line_match(c, c->buckets[name_hash(name) & (c->nbuckets - 1)],
			  name, l, buf);
}

void kallsyms_names_free(struct kallsyms *c)
{
	free(c->next);
	free(c->buckets);
	c->next = NULL;
	c->buckets = NULL;
	c->nbuckets = 0;
}

int kallsyms_addrs(const struct kallsyms *c, const char *name,
		   unsigned long *addr, unsigned int *count)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;

	*addr = 0;
	*count = 0;
	if (c->state != 1)
		return c->state < 0 ? c->state : -EINVAL;
	for (i = line_first(c, name, &l, buf); i;
	     i = line_match(c, c->next[i - 1], name, &l, buf))
		if (ksym_is_text(l.type) && !(*count)++)
			*addr = l.addr;
	return c->nonzero ? 0 : -EACCES;
}

static void clones_find(const struct kallsyms *c, const char *name,
			struct ksym_name_info *info);
static void suggest(const struct kallsyms *c, const char *name,
		    struct ksym_name_info *info);

int kallsyms_lookup(const struct kallsyms *c, const char *name,
		    struct ksym_name_info *info)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;

	memset(info, 0, sizeof(*info));
	if (c->state != 1)
		return c->state < 0 ? c->state : -EINVAL;
	info->init_start = c->init_start;
	info->init_end = c->init_end;
	for (i = line_first(c, name, &l, buf); i;
	     i = line_match(c, c->next[i - 1], name, &l, buf)) {
		if (ksym_is_text(l.type)) {
			if (info->naddrs < KSYM_ADDRS_MAX)
				info->addrs[info->naddrs++] = l.addr;
			info->text++;
		} else {
			info->other++;
			info->other_type = l.type;	/* the last one's */
		}
	}
	clones_find(c, name, info);
	if (!info->text)
		suggest(c, name, info);
	if (!c->nonzero && (info->text || info->other))
		return -EACCES;
	return 0;
}

/* A clone (NAME.constprop.0, NAME.isra.0) is an entry point; .cold is not. */
static void clones_find(const struct kallsyms *c, const char *name,
			struct ksym_name_info *info)
{
	size_t len = strlen(name), i;
	char buf[KSYM_NAME_LEN];
	struct kline l;

	for (i = 0; i < c->n; i++) {
		kallsyms_line(c, i, &l, buf, sizeof(buf));
		if (!ksym_is_text(l.type) || strncmp(l.name, name, len) ||
		    l.name[len] != '.' || strstr(l.name + len, ".cold"))
			continue;
		if (!info->clones++)
			snprintf(info->clone, KSYM_NAME_LEN, "%s", l.name);
	}
}

/*
 * The KSYM_SUGGESTIONS text names closest to name, closest first (the
 * same whatever the order they come in: ties go by length, then name).
 */
static void suggest(const struct kallsyms *c, const char *name,
		    struct ksym_name_info *info)
{
	struct ksym_suggester sug;
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;

	ksym_suggest_init(&sug, name);
	for (i = 0; i < c->n; i++) {
		kallsyms_line(c, i, &l, buf, sizeof(buf));
		if (ksym_is_text(l.type) && strcmp(l.name, name))
			ksym_suggest(&sug, info, l.name);
	}
}
