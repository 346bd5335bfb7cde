// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms_read.c - /proc/kallsyms read into memory and indexed by
 * address; see kallsyms.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kallsyms.h"
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

static int strs_add(struct kallsyms *c, const char *s, uint32_t *off)
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
static int lines_grow(struct kallsyms *c)
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

static const char *word_name(const struct kallsyms *c, size_t i)
{
	uint32_t off = c->word[i] >> 8;

	return off < PFX_NAME ? c->strs + off : NULL;
}

static uint32_t module_of(const struct kallsyms *c, size_t i);
static int index_build(struct kallsyms *c);

#define ENTRY_TEXT	"__entry_text_"

/*
 * Keep one line.  A __pfx_NAME line followed by NAME's (its function's,
 * which it pads) gives its name back: replay spells it again.
 */
static int copy_line(struct kallsyms *c, const struct kline *l)
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
uint64_t kallsyms_modules_stamp(const char *path)
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

int kallsyms_start(struct kallsyms *c, const char *path,
		   const char *modules_path, unsigned int bpf_id)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->modules_path = modules_path;
	c->modules_stamp = kallsyms_modules_stamp(modules_path);
	c->bpf_id = c->bpf_now = bpf_id;
	c->buf = malloc(CHUNK + KLINE_MAX + 1);
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!c->buf || c->fd < 0) {
		int err = c->buf ? -errno : -ENOMEM;

		kallsyms_free(c);
		return err;
	}
	return 0;
}

/* Keep the whole lines of buf[0..len); a cut one stays for the next. */
static int copy_lines(struct kallsyms *c, size_t len, int last)
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

int kallsyms_step(struct kallsyms *c)
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

int kallsyms_finish(struct kallsyms *c)
{
	int ret;

	while (!(ret = kallsyms_step(c)))
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

static uint32_t module_of(const struct kallsyms *c, size_t i)
{
	return run_value(c->mods, c->nmods, i);
}

void kallsyms_line(const struct kallsyms *c, size_t i, struct kline *l,
		   char *buf, size_t size)
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

unsigned long kallsyms_line_addr(const struct kallsyms *c, size_t i)
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

static int line_placed(const struct kallsyms *c, size_t i)
{
	return ksym_is_placed((char)(c->word[i] & 0xff), kallsyms_line_addr(c, i));
}

/* Lines the resolver ignores (kept by kallsyms_read_all()) are not. */
static int index_build(struct kallsyms *c)
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
		unsigned long a = placed ? kallsyms_line_addr(c, i) : 0;

		if (placed && a > c->last)
			c->last = a;
		if (placed && i > from && a >= kallsyms_line_addr(c, i - 1))
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
				c->tail[ntail].addr = kallsyms_line_addr(c, from);
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

void kallsyms_free(struct kallsyms *c)
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
	kallsyms_names_free(c);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->state = -EBADF;
}
