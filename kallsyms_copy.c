// SPDX-License-Identifier: GPL-2.0
/* kallsyms_copy.c - /proc/kallsyms kept in memory; see kallsyms_copy.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "kallsyms_copy.h"
#include "numparse.h"

#define CHUNK		(64 << 10)
#define NO_NAME		0xffffffu	/* a line whose name is not kept */
#define PFX_NAME	0xfffffeu	/* "__pfx_" and the next line's name */
#define NAME_MAX_OFF	0xfffffdu	/* names beyond: -E2BIG */
#define PFX		"__pfx_"

/* Grow *v (of *cap elements of size) to hold one more than n. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4096;
	p = realloc(*v, ncap * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

static int strs_add(struct kallsyms_copy *c, const char *s, uint32_t *off)
{
	size_t len = strlen(s) + 1;

	if (c->strs_len + len > NAME_MAX_OFF)
		return -E2BIG;
	while (c->strs_len + len > c->strs_cap) {
		size_t ncap = c->strs_cap ? c->strs_cap * 2 : 64 << 10;
		char *p = realloc(c->strs, ncap);

		if (!p)
			return -ENOMEM;
		c->strs = p;
		c->strs_cap = ncap;
	}
	memcpy(c->strs + c->strs_len, s, len);
	*off = c->strs_len;
	c->strs_len += len;
	return 0;
}

/* Start a run of value at line n unless the last run has it already. */
static int run_note(struct kcopy_run **runs, size_t *nruns, size_t *cap,
		    size_t n, uint32_t value)
{
	int err;

	if (*nruns && (*runs)[*nruns - 1].value == value)
		return 0;
	err = grow((void **)runs, cap, *nruns, sizeof(**runs));
	if (err)
		return err;
	(*runs)[*nruns].from = n;
	(*runs)[(*nruns)++].value = value;
	return 0;
}

/* Room for one more line in lo[] and word[]. */
static int lines_grow(struct kallsyms_copy *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 4096;
	uint32_t *p;

	if (c->n < c->cap)
		return 0;
	p = realloc(c->lo, ncap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->lo = p;
	p = realloc(c->word, ncap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	c->word = p;
	c->cap = ncap;
	return 0;
}

static const char *word_name(const struct kallsyms_copy *c, size_t i)
{
	uint32_t off = c->word[i] >> 8;

	return off < PFX_NAME ? c->strs + off : NULL;
}

static uint32_t module_of(const struct kallsyms_copy *c, size_t i);
static int index_build(struct kallsyms_copy *c);

#define ENTRY_TEXT	"__entry_text_"

/*
 * Keep one line.  A __pfx_NAME line followed by NAME's (its function's,
 * which it pads) gives its name back: replay spells it again.
 */
static int copy_line(struct kallsyms_copy *c, const struct kline *l)
{
	uint32_t off = NO_NAME, mod = NO_NAME;
	const char *prev;
	int err, tramp;

	if (l->addr)
		c->nonzero++;
	if (ksym_is_text(l->type) &&
	    !strncmp(l->name, ENTRY_TEXT, strlen(ENTRY_TEXT))) {
		if (!strcmp(l->name + strlen(ENTRY_TEXT), "start") &&
		    !c->entry_starts++)
			c->entry_start = l->addr;
		else if (!strcmp(l->name + strlen(ENTRY_TEXT), "end") &&
			 !c->entry_ends++)
			c->entry_end = l->addr;
	}
	tramp = ksym_is_text(l->type) ? ksym_is_return_trampoline(l->name) : 0;
	if (tramp && !c->tramp_count[tramp - 1]++)
		c->tramp_first[tramp - 1] = l->addr;
	if (!c->keep_all && !ksym_is_placed(l->type, l->addr))
		return 0;	/* the resolver never looks at them */
	err = lines_grow(c);
	if (err)
		return err;
	if (l->module) {
		err = strs_add(c, l->module, &mod);
		/* The same module as the run before: keep its name once. */
		if (!err && c->nmods && c->mods[c->nmods - 1].value != NO_NAME &&
		    !strcmp(c->strs + c->mods[c->nmods - 1].value, l->module)) {
			c->strs_len = mod;
			mod = c->mods[c->nmods - 1].value;
		}
		if (err)
			return err;
	}
	err = run_note(&c->mods, &c->nmods, &c->mods_cap, c->n, mod);
	if (!err)
		err = run_note(&c->his, &c->nhis, &c->his_cap, c->n,
			       (uint32_t)(l->addr >> 32));
	if (err)
		return err;
	if (ksym_is_text(l->type) || c->keep_all) {
		prev = c->n ? word_name(c, c->n - 1) : NULL;
		/*
		 * Drop the padding's name, the last one kept (this line's
		 * module is the same, so no module name came after it), unless
		 * the line before it spells its name from it.
		 */
		if (prev && ksym_is_text(l->type) &&
		    ksym_is_text((char)(c->word[c->n - 1] & 0xff)) &&
		    !strncmp(prev, PFX, strlen(PFX)) &&
		    !strcmp(prev + strlen(PFX), l->name) &&
		    module_of(c, c->n - 1) == mod &&
		    (c->n < 2 || c->word[c->n - 2] >> 8 != PFX_NAME)) {
			c->strs_len = c->word[c->n - 1] >> 8;
			c->word[c->n - 1] = PFX_NAME << 8 |
					    (c->word[c->n - 1] & 0xff);
		}
		err = strs_add(c, l->name, &off);
		if (err)
			return err;
	}
	c->lo[c->n] = (uint32_t)l->addr;
	c->word[c->n++] = off << 8 | (unsigned char)l->type;
	return 0;
}

/* Hash of the modules loaded: their names and addresses. */
static uint64_t modules_stamp(const char *path)
{
	char line[512];
	const char *name, *at;
	unsigned long addr;
	uint64_t h = 14695981039346656037ull;
	FILE *f = fopen(path, "re");
	size_t i, len, n;

	if (!f)
		return 0;
	/* "ext4 1081344 1 - Live 0xffffffffc0a1b000": fields 0 and 5. */
	while (fgets(line, sizeof(line), f)) {
		name = num_field(line, 0, &n);
		at = num_field(line, 5, &len);
		if (at && at[0] == '0' && (at[1] | 0x20) == 'x')
			at += 2;
		if (!at || num_ulong(at, NULL, 16, &addr))
			addr = 0;
		for (i = 0; name && i < n; i++)
			h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
		h = (h ^ addr) * 1099511628211ull;
	}
	fclose(f);
	return h;
}

/* The highest id a loaded BPF program has, 0 if none can be seen. */
static uint32_t bpf_last_id(void)
{
	unsigned int id = 0, next;

	while (!bpf_prog_next_id(id, &next))
		id = next;
	return id;
}

static int copy_start(struct kallsyms_copy *c, const char *path,
		      const char *modules_path, int keep_all)
{
	memset(c, 0, sizeof(*c));
	c->keep_all = keep_all;
	c->path = path;
	c->modules_path = modules_path;
	c->modules_stamp = modules_stamp(modules_path);
	c->bpf_last_id = bpf_last_id();
	c->buf = malloc(CHUNK + KLINE_MAX + 1);
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!c->buf || c->fd < 0) {
		int err = c->buf ? -errno : -ENOMEM;

		kallsyms_copy_free(c);
		return err;
	}
	return 0;
}

int kallsyms_copy_start(struct kallsyms_copy *c, const char *path,
			const char *modules_path)
{
	return copy_start(c, path, modules_path, 0);
}

int kallsyms_copy_read_all(struct kallsyms_copy *c, const char *path,
			   const char *modules_path)
{
	int err = copy_start(c, path, modules_path, 1);

	if (!err)
		err = kallsyms_copy_finish(c);
	if (err)
		kallsyms_copy_free(c);
	return err;
}

/* Keep the whole lines of buf[0..len); a cut one stays for the next. */
static int copy_lines(struct kallsyms_copy *c, size_t len, int last)
{
	char *s = c->buf, *end = c->buf + len, *nl;
	struct kline l;
	int err;

	while (s < end) {
		nl = memchr(s, '\n', end - s);
		if (!nl && !last && end - s <= KLINE_MAX)
			break;
		if (nl)
			*nl = '\0';
		else
			*end = '\0';
		if (!c->skipping && (nl ? nl : end) - s <= KLINE_MAX - 1 &&
		    !kline_parse(s, &l)) {
			err = copy_line(c, &l);
			if (err)
				return err;
		}
		/* A line too long: the part after this cut is skipped too. */
		c->skipping = !nl && !last;
		s = nl ? nl + 1 : end;
	}
	c->buf_len = end - s;
	memmove(c->buf, s, c->buf_len);
	return 0;
}

int kallsyms_copy_step(struct kallsyms_copy *c)
{
	ssize_t got;
	int err;

	if (c->state)
		return c->state;
	do
		got = read(c->fd, c->buf + c->buf_len, CHUNK);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		err = -errno;
		goto fail;
	}
	err = copy_lines(c, c->buf_len + got, got == 0);
	if (err)
		goto fail;
	if (got)
		return 0;
	close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	err = index_build(c);
	if (err)
		goto fail;
	c->state = 1;
	return 1;
fail:
	c->state = err;
	return err;
}

int kallsyms_copy_finish(struct kallsyms_copy *c)
{
	int ret;

	while (!(ret = kallsyms_copy_step(c)))
		;
	return ret < 0 ? ret : 0;
}

/* The value of the run that line i is in (runs start at line 0). */
static uint32_t run_value(const struct kcopy_run *runs, size_t nruns,
			  size_t i)
{
	size_t lo = 0, hi = nruns;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (runs[mid].from <= i)
			lo = mid;
		else
			hi = mid;
	}
	return runs[lo].value;
}

static uint32_t module_of(const struct kallsyms_copy *c, size_t i)
{
	return run_value(c->mods, c->nmods, i);
}

void kallsyms_copy_line(const struct kallsyms_copy *c, size_t i,
			struct kline *l, char *buf, size_t size)
{
	uint32_t off = c->word[i] >> 8, mod = module_of(c, i);

	l->addr = (unsigned long)run_value(c->his, c->nhis, i) << 32 |
		  c->lo[i];
	l->type = (char)(c->word[i] & 0xff);
	if (off == PFX_NAME) {
		snprintf(buf, size, PFX "%s", c->strs + (c->word[i + 1] >> 8));
		l->name = buf;
	} else {
		l->name = off == NO_NAME ? "" : c->strs + off;
	}
	l->module = mod == NO_NAME ? NULL : c->strs + mod;
}

static unsigned long line_addr(const struct kallsyms_copy *c, size_t i)
{
	return (unsigned long)run_value(c->his, c->nhis, i) << 32 | c->lo[i];
}

static int tail_cmp(const void *pa, const void *pb)
{
	const struct kcopy_tail *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/*
 * The index: the file lists the kernel image's symbols by address, but a
 * module's in its own order.  Runs of RUN_MIN or more lines in address
 * order are searched where they lie; the lines of shorter runs are sorted
 * into the tail.
 */
#define RUN_MIN	64

static int line_placed(const struct kallsyms_copy *c, size_t i)
{
	return ksym_is_placed((char)(c->word[i] & 0xff), line_addr(c, i));
}

/* Lines the resolver ignores (kept by kallsyms_copy_read_all()) are not. */
static int index_build(struct kallsyms_copy *c)
{
	size_t i, from = 0, nruns = 0, ntail = 0;

	if (c->entry_starts != 1 || c->entry_ends != 1)
		c->entry_start = c->entry_end = 0;
	c->ntramps = 0;
	for (i = 0; i < KSYM_TRAMPOLINES_MAX; i++)
		if (c->tramp_count[i] == 1)
			c->tramps[c->ntramps++] = c->tramp_first[i];
	c->last = 0;
	for (i = 0; i <= c->n; i++) {
		int placed = i < c->n && line_placed(c, i);
		unsigned long a = placed ? line_addr(c, i) : 0;

		if (placed && a > c->last)
			c->last = a;
		if (placed && i > from && a >= line_addr(c, i - 1))
			continue;
		/* A run ends before line i. */
		if (i - from >= RUN_MIN) {
			if (grow((void **)&c->runs, &c->runs_cap, nruns,
				 sizeof(*c->runs)))
				return -ENOMEM;
			c->runs[nruns].from = from;
			c->runs[nruns++].value = i - from;
		} else {
			while (from < i) {
				if (grow((void **)&c->tail, &c->tail_cap,
					 ntail, sizeof(*c->tail)))
					return -ENOMEM;
				c->tail[ntail].addr = line_addr(c, from);
				c->tail[ntail++].line = from++;
			}
		}
		/* An ignored line is in no run: the next starts after it. */
		from = placed ? i : i + 1;
	}
	c->nruns = nruns;
	c->ntail = ntail;
	if (ntail)
		qsort(c->tail, ntail, sizeof(*c->tail), tail_cmp);
	return 0;
}

/*
 * A sequence of lines by address: a run (v NULL: lines first, first + 1,
 * ...) or the tail (v).  The line at position j, and its address.
 */
static size_t seq_line(const struct kcopy_tail *v, size_t first, size_t j)
{
	return v ? v[j].line : first + j;
}

static unsigned long seq_addr(const struct kallsyms_copy *c,
			      const struct kcopy_tail *v, size_t first,
			      size_t j)
{
	return v ? v[j].addr : line_addr(c, first + j);
}

/* In a sequence of n lines, the last with an address <= x, or n. */
static size_t last_at_or_below(const struct kallsyms_copy *c,
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

struct best {
	int found;
	size_t line;
	struct kline l;
	char buf[KSYM_NAME_LEN];
};

/*
 * Whether line i beats the best so far, as kallsyms.c's one pass would
 * have it: the higher address, then the better name, then the first in
 * the file.
 */
static void best_offer(const struct kallsyms_copy *c, struct best *b,
		       size_t i)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;

	kallsyms_copy_line(c, i, &l, buf, sizeof(buf));
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
static void offer_ties(const struct kallsyms_copy *c, struct best *b,
		       const struct kcopy_tail *v, size_t first, size_t j)
{
	unsigned long a = seq_addr(c, v, first, j);

	do
		best_offer(c, b, seq_line(v, first, j));
	while (j-- > 0 && seq_addr(c, v, first, j) == a);
}

/* The line that names x: the highest start at or below it, best named. */
static void best_for(const struct kallsyms_copy *c, unsigned long x,
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
static void name_as_asked(const struct kallsyms_copy *c, struct ksym *sym,
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
			kallsyms_copy_line(c, i, &l, buf, sizeof(buf));
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

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* kallsyms_resolve_named()'s answers, from the copy's index. */
static int resolve_copy(const struct kallsyms_copy *c,
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

/* Whether modules or BPF programs came or went since the copy began. */
static int copy_stale(const struct kallsyms_copy *c)
{
	return modules_stamp(c->modules_path) != c->modules_stamp ||
	       bpf_last_id() != c->bpf_last_id;
}

/* Ask the file again about the addresses the copy left outside the image. */
static int recheck(const struct kallsyms_copy *c, const unsigned long *addrs,
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
		err = kallsyms_resolve_named(c->path, a, m, s, nm, names,
					     nnames);
	for (i = 0; !err && i < m; i++)
		syms[at[i]] = s[i];
out:
	free(a);
	free(nm);
	free(s);
	free(at);
	return err;
}

int kallsyms_copy_resolve_read(const struct kallsyms_copy *c,
			       const unsigned long *addrs, size_t n,
			       struct ksym *syms, const unsigned char *named,
			       const char *const *names, size_t nnames)
{
	return resolve_copy(c, addrs, n, syms, named, names, nnames);
}

int kallsyms_copy_restamp(struct kallsyms_copy *c, const unsigned int *own,
			  size_t nown)
{
	unsigned int id = c->bpf_last_id, next;
	size_t i;

	if (modules_stamp(c->modules_path) != c->modules_stamp)
		return -ESTALE;
	while (!bpf_prog_next_id(id, &next)) {
		for (i = 0; i < nown && own[i] != next; i++)
			;
		if (i == nown)
			return -ESTALE;
		id = next;
	}
	c->bpf_last_id = id;
	return 0;
}

int kallsyms_copy_resolve(const struct kallsyms_copy *c,
			  const unsigned long *addrs, size_t n,
			  struct ksym *syms, const unsigned char *named,
			  const char *const *names, size_t nnames)
{
	int err;

	err = resolve_copy(c, addrs, n, syms, named, names, nnames);
	if (err || !n || !copy_stale(c))
		return err;
	return recheck(c, addrs, n, syms, named, names, nnames);
}

void kallsyms_copy_free(struct kallsyms_copy *c)
{
	if (c->fd > 0)
		close(c->fd);
	free(c->buf);
	free(c->lo);
	free(c->word);
	free(c->his);
	free(c->mods);
	free(c->strs);
	free(c->runs);
	free(c->tail);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = -EBADF;
}
