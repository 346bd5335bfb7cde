// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms_oracle.c - /proc/kallsyms read in one pass, line by line, the
 * plainest reading there is: the tests' reference for kallsyms.c's index,
 * which show_bt names everything with.  See kallsyms_oracle.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms_oracle.h"

#define KALLSYMS_IO_SIZE	(64 << 10)
#define is_text ksym_is_text

/*
 * Call fn for every well-formed line.  Lines too long for the buffer are
 * skipped whole.  Returns 0 or -errno; *nonzero counts lines whose address
 * is not zero.
 */
static int kallsyms_scan(const char *path,
			 void (*fn)(const struct kline *, void *), void *ctx,
			 size_t *nonzero)
{
	char buf[KLINE_MAX + 1], *io;
	struct kline l;
	int skipping = 0, err = 0;
	FILE *f;

	*nonzero = 0;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/*
	 * /proc files get a 1 KiB stdio buffer: thousands of read()s.  A
	 * buffer of our own, as glibc and musl size theirs whatever a NULL
	 * buffer's size says.
	 */
	io = malloc(KALLSYMS_IO_SIZE);
	if (io)
		setvbuf(f, io, _IOFBF, KALLSYMS_IO_SIZE);
	/*
	 * Whether fgets() cut a line: it filled buf (its last byte is then
	 * the NUL) and the last character is not the newline.  Not by
	 * looking for the newline: a NUL byte in the line would hide it.
	 */
	buf[sizeof(buf) - 1] = 1;
	while (fgets(buf, sizeof(buf), f)) {
		int whole = buf[sizeof(buf) - 1] ||
			    buf[sizeof(buf) - 2] == '\n' || feof(f);

		if (!skipping && whole && !kline_parse(buf, &l)) {
			if (l.addr)
				(*nonzero)++;
			fn(&l, ctx);
		}
		skipping = !whole && !feof(f);
		buf[sizeof(buf) - 1] = 1;
	}
	if (ferror(f))
		err = -EIO;
	fclose(f);
	free(io);
	return err;
}

static void ksym_set(struct ksym *sym, const struct kline *l)
{
	sym->addr = l->addr;
	sym->type = l->type;
	snprintf(sym->name, sizeof(sym->name), "%s", l->name);
	snprintf(sym->module, sizeof(sym->module), "%s",
		 l->module ? l->module : "");
}

/* A text symbol whose name the caller asked for (named resolution). */
struct named_sym {
	unsigned long addr;
	char type;
	const char *name;	/* one of the caller's names */
	char module[KSYM_MODULE_MAX];
};

struct resolve_ctx {
	const unsigned long *keys;	/* the addresses, sorted */
	const size_t *perm;	/* keys[j] is addrs[perm[j]]; NULL: same */
	size_t n;
	struct ksym *syms;	/* in the caller's order */
	unsigned long last;	/* the highest symbol address seen */
	const char **names;	/* sorted; NULL: none asked for */
	size_t nnames;
	struct named_sym *named;	/* text symbols with one of names */
	size_t nnamed, cap;
	int err;		/* -ENOMEM while collecting them */
};

static size_t slot(const struct resolve_ctx *c, size_t j)
{
	return c->perm ? c->perm[j] : j;
}

/* Index of the first address >= a, or n. */
static size_t lower_bound(const unsigned long *addrs, size_t n,
			  unsigned long a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addrs[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Keep a text symbol whose name the caller asked for. */
static void named_add(struct resolve_ctx *c, const struct kline *l)
{
	const char **hit;
	struct named_sym *ns;

	if (!c->names || !is_text(l->type) || c->err)
		return;
	hit = bsearch(&l->name, c->names, c->nnames, sizeof(*c->names),
		      str_cmp);
	if (!hit)
		return;
	if (c->nnamed == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct named_sym *p = realloc(c->named, cap * sizeof(*p));

		if (!p) {
			c->err = -ENOMEM;
			return;
		}
		c->named = p;
		c->cap = cap;
	}
	ns = &c->named[c->nnamed++];
	ns->addr = l->addr;
	ns->type = l->type;
	ns->name = *hit;
	snprintf(ns->module, sizeof(ns->module), "%s",
		 l->module ? l->module : "");
}

/*
 * A symbol at address a can only be the best match of the addresses from
 * lower_bound(a) on, and among the symbols with that same lower bound the
 * highest one wins (of several at one address, the best name): the slot
 * of that first address keeps it.  A prefix pass afterwards hands each
 * address the best of all slots up to its own.
 */
static void resolve_line(const struct kline *l, void *p)
{
	struct resolve_ctx *c = p;
	struct ksym *cur;
	size_t i;

	if (!ksym_is_placed(l->type, l->addr))
		return;
	if (l->addr > c->last)
		c->last = l->addr;
	named_add(c, l);
	i = lower_bound(c->keys, c->n, l->addr);
	if (i == c->n)
		return;
	cur = &c->syms[slot(c, i)];
	if (l->addr > cur->addr ||
	    (l->addr == cur->addr &&
	     ksym_alias_better(l->type, l->name, cur->type, cur->name)))
		ksym_set(cur, l);
}

static int named_cmp(const void *pa, const void *pb)
{
	const struct named_sym *a = pa, *b = pb;

	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

/* The best of the asked-for names at sym's start, into sym. */
static void name_as_asked(const struct resolve_ctx *c, struct ksym *sym)
{
	const struct named_sym *best = NULL, *ns;
	size_t i = 0, lo = 0, hi = c->nnamed;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->named[mid].addr < sym->addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < c->nnamed && c->named[i].addr == sym->addr; i++) {
		ns = &c->named[i];
		if (strcmp(ns->module, sym->module))
			continue;
		if (!best || ksym_alias_better(ns->type, ns->name, best->type,
					  best->name))
			best = ns;
	}
	if (best) {
		sym->type = best->type;
		snprintf(sym->name, sizeof(sym->name), "%s", best->name);
	}
}

struct key_slot {
	unsigned long key;
	size_t slot;
};

static int key_slot_cmp(const void *pa, const void *pb)
{
	const struct key_slot *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->slot < b->slot ? -1 : a->slot > b->slot;
}

/* The addresses sorted, for one pass; perm NULL when they already are. */
static int sort_keys(const unsigned long *addrs, size_t n,
		     unsigned long **keys, size_t **perm)
{
	struct key_slot *ks;
	size_t i;

	*keys = (unsigned long *)addrs;
	*perm = NULL;
	for (i = 1; i < n && addrs[i - 1] <= addrs[i]; i++)
		;
	if (i >= n)
		return 0;
	ks = malloc(n * sizeof(*ks));
	*keys = malloc(n * sizeof(**keys));
	*perm = malloc(n * sizeof(**perm));
	if (!ks || !*keys || !*perm) {
		free(ks);
		free(*keys);
		free(*perm);
		*keys = NULL;
		*perm = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ks[i].key = addrs[i];
		ks[i].slot = i;
	}
	qsort(ks, n, sizeof(*ks), key_slot_cmp);
	for (i = 0; i < n; i++) {
		(*keys)[i] = ks[i].key;
		(*perm)[i] = ks[i].slot;
	}
	free(ks);
	return 0;
}

int oracle_resolve_named(const char *path, const unsigned long *addrs,
			 size_t n, struct ksym *syms,
			 const unsigned char *named,
			 const char *const *names, size_t nnames)
{
	struct resolve_ctx c = { .syms = syms, .n = n };
	unsigned long *keys, end;
	size_t i, nonzero, *perm;
	int err;

	memset(syms, 0, n * sizeof(*syms));
	err = sort_keys(addrs, n, &keys, &perm);
	if (err)
		return err;
	c.keys = keys;
	c.perm = perm;
	if (named && nnames) {
		c.names = malloc(nnames * sizeof(*c.names));
		if (!c.names) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(c.names, names, nnames * sizeof(*c.names));
		qsort(c.names, nnames, sizeof(*c.names), str_cmp);
		c.nnames = nnames;
	}
	err = kallsyms_scan(path, resolve_line, &c, &nonzero);
	if (!err)
		err = c.err;
	if (!err && !nonzero)
		err = -EACCES;
	if (err) {
		memset(syms, 0, n * sizeof(*syms));
		goto out;
	}
	for (i = 1; i < n; i++)
		if (!syms[slot(&c, i)].addr)
			syms[slot(&c, i)] = syms[slot(&c, i - 1)];
	end = ksym_last_end(c.last);
	for (i = 0; i < n; i++)
		if (!is_text(syms[i].type) || ksym_is_marker(syms[i].name) ||
		    (addrs[i] > c.last && addrs[i] >= end))
			memset(&syms[i], 0, sizeof(syms[i]));
	if (c.nnamed) {
		qsort(c.named, c.nnamed, sizeof(*c.named), named_cmp);
		for (i = 0; i < n; i++)
			if (named[i] && syms[i].addr)
				name_as_asked(&c, &syms[i]);
	}
out:
	if (perm) {
		free(keys);
		free(perm);
	}
	free(c.names);
	free(c.named);
	return err;
}

int oracle_resolve(const char *path, const unsigned long *addrs, size_t n,
		   struct ksym *syms)
{
	return oracle_resolve_named(path, addrs, n, syms, NULL, NULL, 0);
}

struct lookup_ctx {
	const char *name;
	struct ksym_name_info *info;
	struct ksym_suggester sug;
};

static void lookup_line(const struct kline *l, void *p)
{
	struct lookup_ctx *c = p;
	size_t len = strlen(c->name);

	if (!strcmp(l->name, "_sinittext"))
		c->info->init_start = l->addr;
	else if (!strcmp(l->name, "_einittext"))
		c->info->init_end = l->addr;
	/* A clone is an entry point; a .cold fragment is not. */
	if (is_text(l->type) && !strncmp(l->name, c->name, len) &&
	    l->name[len] == '.' && !strstr(l->name + len, ".cold")) {
		if (!c->info->clones++)
			snprintf(c->info->clone, KSYM_NAME_LEN, "%s", l->name);
	}
	if (!strcmp(l->name, c->name)) {
		if (is_text(l->type)) {
			if (c->info->naddrs < KSYM_ADDRS_MAX)
				c->info->addrs[c->info->naddrs++] = l->addr;
			c->info->text++;
		} else {
			c->info->other++;
			c->info->other_type = l->type;
		}
	} else if (is_text(l->type)) {
		ksym_suggest(&c->sug, c->info, l->name);
	}
}

int oracle_lookup_name(const char *path, const char *name,
			 struct ksym_name_info *info)
{
	struct lookup_ctx c = { .name = name, .info = info };
	size_t nonzero;
	int err;

	memset(info, 0, sizeof(*info));
	ksym_suggest_init(&c.sug, name);
	err = kallsyms_scan(path, lookup_line, &c, &nonzero);
	if (info->text)
		info->nsuggest = 0;
	if (!err && !nonzero && (info->text || info->other))
		return -EACCES;
	return err;
}

struct addrs_ctx {
	const char *const *names;
	size_t n;
	unsigned long *addrs;
	unsigned int *counts;
};

static int name_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Every entry of names equal to this line's name gets its address. */
static void addrs_line(const struct kline *l, void *p)
{
	struct addrs_ctx *c = p;
	const char *const *hit;
	size_t i, lo;

	if (!is_text(l->type))
		return;
	hit = bsearch(l->name, c->names, c->n, sizeof(*c->names), name_cmp);
	if (!hit)
		return;
	for (lo = hit - c->names; lo > 0 && !strcmp(c->names[lo - 1], l->name);)
		lo--;
	for (i = lo; i < c->n && !strcmp(c->names[i], l->name); i++) {
		if (!c->counts[i]++)
			c->addrs[i] = l->addr;
	}
}

int oracle_addrs(const char *path, const char *const *names, size_t n,
		   unsigned long *addrs, unsigned int *counts)
{
	struct addrs_ctx c = { names, n, addrs, counts };
	size_t nonzero;
	int err;

	memset(addrs, 0, n * sizeof(*addrs));
	memset(counts, 0, n * sizeof(*counts));
	err = kallsyms_scan(path, addrs_line, &c, &nonzero);
	if (!err && !nonzero)
		return -EACCES;
	return err;
}
