// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_kallsyms.c - a fuzzed /proc/kallsyms through every reader that
 * names addresses, each checked against a plain reference written here.
 *
 * The fuzz bytes are the file (in a memfd, read by its /proc/self/fd
 * path).  Lines are split on '\n'; a line of KLINE_MAX characters or more
 * is no line; kline_parse() splits the others (at their first NUL, if
 * any).  The addresses asked about: every line's address, one below and
 * one above, one between each two neighbouring symbols, and the edges (0,
 * 1, ~0, the end of the highest symbol's next page), in the file's order,
 * repeats kept.  Some of them ask for a name (named[i]): those of every
 * third text line, and one that is nowhere.
 *
 * The reference names address x after the symbol with the greatest start
 * at or below x among the lines the resolver looks at (ksym_is_placed()),
 * of several there the best by ksym_alias_better() (the first in the file
 * if neither is better), and names nothing when that symbol is no text,
 * a section marker (ksym_is_marker()), or x lies past the end of the
 * highest symbol's next page (ksym_last_end()).  With a name asked for,
 * the best of the asked names among the text symbols at that start in the
 * same module (as far as struct ksym holds its name: KSYM_MODULE_MAX - 1
 * characters).  A file where every address is 0 is refused (-EACCES).
 *
 * Checked against it: the tests' one-pass oracle (oracle_resolve_named()),
 * kallsyms.c's whole copy (kallsyms_read_all(), which must also
 * give every line back as kline_parse() split it) and its window copy
 * (kallsyms_start(), kallsyms_finish()), both through
 * kallsyms_resolve().  Then symtab.c's frame naming, from the file
 * and from the copy, on stacks made of those addresses: both name every
 * frame alike, and as symtab.h's rule says from the reference (frame 0 at
 * its address, as traced; a frame after a return address into the entry
 * text, or at a return trampoline's first byte, at its address; any
 * other by address - 1, or where that is in nothing that runs, by its
 * address; never padding), with the same entry text and trampolines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../kallsyms.h"
#include "../unit/kallsyms_oracle.h"
#include "../../symtab.h"
#include "fuzz.h"

#define MAX_ADDRS	4096
#define NO_MODULES	"/nonexistent/modules"
#define MISSING_NAME	"no_such_function_anywhere"

struct line {
	unsigned long addr;
	char type;
	const char *name;
	const char *module;	/* "" for the kernel image */
	size_t at;		/* its index among the lines */
	int placed;		/* ksym_is_placed() */
};

struct file {
	char *buf;
	struct line *lines;	/* every line kline_parse() takes, in order */
	size_t n;
	struct line **placed;	/* the placed ones, by address then order */
	size_t nplaced;
	size_t nonzero;		/* lines whose address is not 0 */
	unsigned long last;	/* the highest placed address */
	const char **names;	/* the names asked for */
	size_t nnames;
};

static int line_cmp(const void *pa, const void *pb)
{
	const struct line *a = *(const struct line *const *)pa;
	const struct line *b = *(const struct line *const *)pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

static void file_read(struct file *f, const uint8_t *data, size_t size)
{
	char *s, *end, *nl;
	struct kline kl;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->buf = malloc(size + 1);
	f->lines = malloc((size / 2 + 1) * sizeof(*f->lines));
	f->placed = malloc((size / 2 + 1) * sizeof(*f->placed));
	f->names = malloc((size / 2 + 2) * sizeof(*f->names));
	if (!f->buf || !f->lines || !f->placed || !f->names)
		abort();
	memcpy(f->buf, data, size);
	f->buf[size] = '\0';
	end = f->buf + size;
	for (s = f->buf; s < end; s = nl + 1) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		*nl = '\0';
		if (nl - s > KLINE_MAX - 1 || kline_parse(s, &kl))
			continue;
		f->lines[f->n] = (struct line){
			.addr = kl.addr, .type = kl.type, .name = kl.name,
			.module = kl.module ? kl.module : "", .at = f->n,
			.placed = ksym_is_placed(kl.type, kl.addr),
		};
		f->nonzero += kl.addr != 0;
		f->n++;
	}
	for (i = 0; i < f->n; i++) {
		struct line *l = &f->lines[i];

		if (!l->placed)
			continue;
		f->placed[f->nplaced++] = l;
		if (l->addr > f->last)
			f->last = l->addr;
		if (ksym_is_text(l->type) && i % 3 == 0)
			f->names[f->nnames++] = l->name;
	}
	f->names[f->nnames++] = MISSING_NAME;
	qsort(f->placed, f->nplaced, sizeof(*f->placed), line_cmp);
}

static void file_free(struct file *f)
{
	free(f->buf);
	free(f->lines);
	free(f->placed);
	free(f->names);
}

static int asked(const struct file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i], name))
			return 1;
	return 0;
}

/* Whether line a is a better name than b at one address, file order last. */
static int better(const struct line *a, const struct line *b)
{
	if (ksym_alias_better(a->type, a->name, b->type, b->name))
		return 1;
	if (ksym_alias_better(b->type, b->name, a->type, a->name))
		return 0;
	return a->at < b->at;
}

/* The reference: the symbol that names x (and with named, as asked). */
static void ref_resolve(const struct file *f, unsigned long x, int named,
			struct ksym *sym)
{
	const struct line *best = NULL, *as = NULL, *l;
	size_t lo = 0, hi = f->nplaced, i, first;

	memset(sym, 0, sizeof(*sym));
	/* The placed lines at the greatest start at or below x. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->placed[mid]->addr <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return;
	for (first = lo - 1;
	     first > 0 && f->placed[first - 1]->addr == f->placed[lo - 1]->addr;
	     first--)
		;
	for (i = first; i < lo; i++)
		if (!best || better(f->placed[i], best))
			best = f->placed[i];
	if (!ksym_is_text(best->type) || ksym_is_marker(best->name) ||
	    (x > f->last && x >= ksym_last_end(f->last)))
		return;
	if (named) {
		for (i = first; i < lo; i++) {
			l = f->placed[i];
			if (ksym_is_text(l->type) &&
			    !strncmp(l->module, best->module,
				     KSYM_MODULE_MAX - 1) &&
			    asked(f, l->name) && (!as || better(l, as)))
				as = l;
		}
		if (as) {
			sym->type = as->type;
			snprintf(sym->name, sizeof(sym->name), "%s", as->name);
		}
	}
	sym->addr = best->addr;
	if (!as) {
		sym->type = best->type;
		snprintf(sym->name, sizeof(sym->name), "%s", best->name);
	}
	snprintf(sym->module, sizeof(sym->module), "%s", best->module);
}

static void push(unsigned long *addrs, size_t *n, unsigned long a)
{
	if (*n < MAX_ADDRS)
		addrs[(*n)++] = a;
}

/* The addresses to ask about, in the file's order. */
static size_t addrs_make(const struct file *f, unsigned long *addrs)
{
	unsigned long end = ksym_last_end(f->last);
	size_t i, n = 0;

	push(addrs, &n, 0);
	push(addrs, &n, ~0ul);
	for (i = 0; i < f->n; i++) {
		push(addrs, &n, f->lines[i].addr);
		push(addrs, &n, f->lines[i].addr - 1);
		push(addrs, &n, f->lines[i].addr + 1);
	}
	for (i = 1; i < f->nplaced; i++) {
		unsigned long a = f->placed[i - 1]->addr;

		push(addrs, &n, a + (f->placed[i]->addr - a) / 2);
	}
	push(addrs, &n, 1);
	push(addrs, &n, end - 1);
	push(addrs, &n, end);
	push(addrs, &n, end + 1);
	return n;
}

static const char *show(const struct ksym *s, char *buf, size_t size)
{
	snprintf(buf, size, "%#lx %c '%s' [%s]", s->addr, s->type ? s->type :
		 '-', s->name, s->module);
	return buf;
}

static void expect_same(const char *who, unsigned long x, int named,
			const struct ksym *got, const struct ksym *want)
{
	char g[1200], w[1200];

	fuzz_check(got->addr == want->addr && got->type == want->type &&
		   !strcmp(got->name, want->name) &&
		   !strcmp(got->module, want->module),
		   "%s names %#lx%s as %s, the reference as %s", who, x,
		   named ? " (named)" : "", show(got, g, sizeof(g)),
		   show(want, w, sizeof(w)));
}

static void expect_all(const char *who, int err, int want_err,
		       const unsigned long *addrs, size_t n,
		       const unsigned char *named, const struct ksym *got,
		       const struct ksym *want)
{
	size_t i;

	fuzz_check(err == want_err, "%s returned %d, not %d", who, err,
		   want_err);
	if (err)
		return;
	for (i = 0; i < n; i++)
		expect_same(who, addrs[i], named[i], &got[i], &want[i]);
}

/* A whole copy gives every line back as kline_parse() split it. */
static void expect_lines(const struct file *f, const struct kallsyms *c)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;

	fuzz_check(c->n == f->n, "the whole copy has %zu lines, the file %zu",
		   c->n, f->n);
	for (i = 0; i < f->n; i++) {
		kallsyms_line(c, i, &l, buf, sizeof(buf));
		fuzz_check(l.addr == f->lines[i].addr &&
			   l.type == f->lines[i].type &&
			   !strcmp(l.name, f->lines[i].name) &&
			   !strcmp(l.module ? l.module : "",
				   f->lines[i].module),
			   "line %zu comes back as %#lx %c '%s' [%s], not "
			   "%#lx %c '%s' [%s]", i, l.addr, l.type, l.name,
			   l.module ? l.module : "", f->lines[i].addr,
			   f->lines[i].type, f->lines[i].name,
			   f->lines[i].module);
	}
}

/* ---- symtab.c: the frames of stacks made of the addresses ---- */

#define FRAMES	6

/* Whether a symbol is something that runs (symtab.c's rule). */
static int runs(const struct ksym *s)
{
	return s->addr && !ksym_is_padding(s->name);
}

static int is_tramp(const struct symtab *tab, unsigned long a)
{
	unsigned int i;

	for (i = 0; i < tab->ntramps; i++)
		if (tab->tramps[i] == a)
			return 1;
	return 0;
}

/* Whether two tables found the same trampolines, in any order. */
static int same_tramps(const struct symtab *a, const struct symtab *b)
{
	unsigned int i;

	if (a->ntramps != b->ntramps)
		return 0;
	for (i = 0; i < a->ntramps; i++)
		if (!is_tramp(b, a->tramps[i]) || !is_tramp(a, b->tramps[i]))
			return 0;
	return 1;
}

/* The reference's name for frame fr of st, by symtab.h's rule. */
static void ref_frame(const struct file *f, const struct symtab *tab,
		      const struct stack *st, unsigned int fr,
		      struct ksym *sym)
{
	unsigned long a = st->ips[fr], prev;

	if (!fr) {
		ref_resolve(f, a, 1, sym);
	} else {
		prev = st->ips[fr - 1] - (fr > 1);
		if (is_tramp(tab, a) ||
		    (tab->entry_end && prev >= tab->entry_start &&
		     prev < tab->entry_end)) {
			ref_resolve(f, a, 0, sym);
		} else {
			ref_resolve(f, a ? a - 1 : 0, 0, sym);
			if (!runs(sym))
				ref_resolve(f, a, 0, sym);
		}
	}
	if (!runs(sym))
		memset(sym, 0, sizeof(*sym));
}

static void check_frames(const struct file *f, const unsigned long *addrs,
			 size_t n, const struct kallsyms *copy,
			 char *path)
{
	size_t nstacks = (n + FRAMES - 1) / FRAMES, i, k;
	struct stack *stacks = calloc(nstacks ? nstacks : 1, sizeof(*stacks));
	__u64 *ips = malloc((n ? n : 1) * sizeof(*ips));
	struct stack_set set = { .stacks = stacks, .n = nstacks,
				 .cap = nstacks, .depth = 127 };
	struct symtab tab[2];
	struct ksym want;
	unsigned int fr;
	int err[2];

	if (!stacks || !ips)
		abort();
	for (i = 0; i < n; i++)
		ips[i] = addrs[i];
	for (i = 0; i < nstacks; i++) {
		stacks[i].count = 1;
		stacks[i].ips = ips + i * FRAMES;
		stacks[i].nframes = n - i * FRAMES < FRAMES ? n - i * FRAMES :
				    FRAMES;
	}
	err[0] = symtab_build_traced(&tab[0], &set, path, f->names,
				     f->nnames);
	err[1] = symtab_build_copied(&tab[1], &set, copy, f->names,
				     f->nnames);
	fuzz_check(err[0] == err[1], "symtab from the file returned %d, from "
		   "the copy %d", err[0], err[1]);
	fuzz_check(tab[0].entry_start == tab[1].entry_start &&
		   tab[0].entry_end == tab[1].entry_end,
		   "the entry text is %#lx..%#lx from the file, %#lx..%#lx "
		   "from the copy", tab[0].entry_start, tab[0].entry_end,
		   tab[1].entry_start, tab[1].entry_end);
	fuzz_check(same_tramps(&tab[0], &tab[1]), "%u return trampolines "
		   "from the file (first %#lx), %u from the copy (first %#lx)",
		   tab[0].ntramps, tab[0].ntramps ? tab[0].tramps[0] : 0,
		   tab[1].ntramps, tab[1].ntramps ? tab[1].tramps[0] : 0);
	for (i = 0; !err[0] && i < nstacks; i++) {
		for (fr = 0; fr < stacks[i].nframes; fr++) {
			ref_frame(f, &tab[0], &stacks[i], fr, &want);
			for (k = 0; k < 2; k++) {
				const struct ksym *got, none = { 0 };

				got = symtab_frame_sym(&tab[k], &stacks[i],
						       fr);
				expect_same(k ? "symtab (copy)" :
					    "symtab (file)", stacks[i].ips[fr],
					    fr == 0, got ? got : &none, &want);
			}
		}
	}
	symtab_free(&tab[0]);
	symtab_free(&tab[1]);
	free(stacks);
	free(ips);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned long addrs[MAX_ADDRS];
	static unsigned char named[MAX_ADDRS];
	static struct ksym want[MAX_ADDRS], got[MAX_ADDRS];
	struct kallsyms whole = KALLSYMS_NONE;
	struct kallsyms window = KALLSYMS_NONE;
	char path[64];
	struct file f;
	size_t n, i;
	int fd, want_err, err;

	fd = memfd_create("kallsyms", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	file_read(&f, data, size);
	n = addrs_make(&f, addrs);
	for (i = 0; i < n; i++) {
		named[i] = i % 3 != 1;
		ref_resolve(&f, addrs[i], named[i], &want[i]);
	}
	want_err = f.nonzero ? 0 : -EACCES;

	err = oracle_resolve_named(path, addrs, n, got, named, f.names,
				     f.nnames);
	expect_all("oracle_resolve_named", err, want_err, addrs, n, named,
		   got, want);

	err = kallsyms_read_all(&whole, path, NO_MODULES, 0);
	fuzz_check(!err, "kallsyms_read_all returned %d", err);
	expect_lines(&f, &whole);
	err = kallsyms_resolve(&whole, addrs, n, got, named, f.names,
				    f.nnames);
	expect_all("the whole copy", err, want_err, addrs, n, named, got,
		   want);

	err = kallsyms_start(&window, path, NO_MODULES, 0);
	fuzz_check(!err, "kallsyms_start returned %d", err);
	err = kallsyms_finish(&window);
	fuzz_check(!err, "kallsyms_finish returned %d", err);
	err = kallsyms_resolve(&window, addrs, n, got, named, f.names,
				    f.nnames);
	expect_all("the window's copy", err, want_err, addrs, n, named, got,
		   want);

	if (!want_err)
		check_frames(&f, addrs, n, &whole, path);

	kallsyms_free(&whole);
	kallsyms_free(&window);
	file_free(&f);
	close(fd);
	return 0;
}
