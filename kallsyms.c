// SPDX-License-Identifier: GPL-2.0
/* kallsyms.c - read /proc/kallsyms in one pass; see kallsyms.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "numparse.h"

#define KALLSYMS_IO_SIZE	(64 << 10)

int ksym_is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

int ksym_is_placed(char type, unsigned long addr)
{
	return type != 'a' && type != 'A' && type != 'U' && addr;
}

#define is_text ksym_is_text

int kline_parse(char *s, struct kline *l)
{
	const char *end;
	char *name, *mod;

	/* Hex digits alone, as the kernel prints them (%px): no overflow. */
	if (num_ulong(s, &end, 16, &l->addr) || *end != ' ' || !end[1] ||
	    end[2] != ' ')
		return -1;
	l->type = end[1];
	name = s + (end - s) + 3;
	name[strcspn(name, "\n")] = '\0';
	l->name = name;
	l->module = NULL;
	mod = strchr(name, '\t');
	if (mod) {
		*mod++ = '\0';
		if (*mod == '[') {
			mod++;
			mod[strcspn(mod, "]")] = '\0';
			l->module = mod;
		}
	}
	if (!*name || strlen(name) >= KSYM_NAME_LEN)
		return -1;
	return 0;
}

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

/*
 * Several names at one address, such as __do_sys_getppid, __ia32_sys_getppid
 * and __x64_sys_getppid (the syscall stubs are aliases of one function):
 * the output needs one, and the same one whatever order the file lists
 * them in (modules load in any order).  The rule, perf's in its first
 * steps: text over anything else; then global ('T') over weak ('W', 'w')
 * over local ('t'), the name with the widest reach being the one callers
 * use; then fewer leading underscores (the kernel hides its helpers behind
 * them); then the shorter name, the plainest spelling (perf takes the
 * longer: __ia32_sys_getppid on x86-64, where __x64_sys_getppid is the
 * entry point); then the first in strcmp() order.  (perf's
 * choose_best_symbol() also puts weak below local; show_bt follows the
 * order issue 10 asked for.)
 */
static int alias_rank(char type)
{
	switch (type) {
	case 'T':
		return 3;
	case 'W':
	case 'w':
		return 2;
	case 't':
		return 1;
	default:
		return 0;
	}
}

int ksym_alias_better(char ta, const char *a, char tb, const char *b)
{
	int ra = alias_rank(ta), rb = alias_rank(tb);
	int ma = ksym_is_marker(a), mb = ksym_is_marker(b);
	size_t ua = strspn(a, "_"), ub = strspn(b, "_");
	size_t la = strlen(a), lb = strlen(b);

	/* A section's bounds share an address with its first function. */
	if (ma != mb)
		return mb;
	if (ra != rb)
		return ra > rb;
	if (ua != ub)
		return ua < ub;
	if (la != lb)
		return la < lb;
	return strcmp(a, b) < 0;
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

static int ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && !strcmp(s + len - n, tail);
}

/*
 * The linker's bounds of the kernel image and of its text sections
 * (_stext, _etext, __entry_text_start, __sched_text_end,
 * __static_call_text_end, __indirect_thunk_start, ...): text symbols of
 * no size, each at the same address as a function or at the end of one.
 * No code runs "in" them.  __start_SECTION and __stop_SECTION are not
 * among them: __start_tty and __stop_tty are functions.
 */
int ksym_is_marker(const char *name)
{
	static const char *const image[] = {
		"_text", "_stext", "_etext", "_sinittext", "_einittext",
		"_sdata", "_edata", "_end",
	};
	size_t i, len = strlen(name);

	for (i = 0; i < sizeof(image) / sizeof(image[0]); i++)
		if (!strcmp(name, image[i]))
			return 1;
	return !strncmp(name, "__", 2) &&
	       (ends_with(name, len, "text_start") ||
		ends_with(name, len, "text_end") ||
		ends_with(name, len, "thunk_start") ||
		ends_with(name, len, "thunk_end"));
}

/*
 * Code the kernel puts on a stack as a return address of its own making,
 * no call before it: kretprobes' and rethook's trampolines replace a
 * function's return address with their first byte (5.10's
 * kretprobe_trampoline, arm64's __kretprobe_trampoline, x86's
 * arch_rethook_trampoline), as the function graph tracer does with
 * return_to_handler.  Where the unwinder does not put the real return
 * address back, the frame is that first byte.
 */
int ksym_is_return_trampoline(const char *name)
{
	static const char *const names[] = {
		"kretprobe_trampoline", "__kretprobe_trampoline",
		"arch_rethook_trampoline", "rethook_trampoline",
		"return_to_handler",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i + 1;
	return 0;
}

int ksym_is_padding(const char *name)
{
	return !strncmp(name, "__pfx_", 6) || !strncmp(name, "__cfi_", 6);
}

/*
 * Where the highest symbol of the file ends.  Nothing above it says, and
 * an address far above it is no part of it (a BPF program kallsyms does
 * not list, a stray value): as perf's symbols__fixup_end() has it, at
 * roundup(start, 4096) + 4096, the end of the page after the one it
 * starts in (or of its own, for a symbol that starts a page).
 */
unsigned long ksym_last_end(unsigned long last)
{
	unsigned long up = (last + 4095) & ~4095ul;

	if (up < last || up + 4096 < up)
		return ~0ul;
	return up + 4096;
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

int kallsyms_resolve_named(const char *path, const unsigned long *addrs,
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

int kallsyms_resolve(const char *path, const unsigned long *addrs, size_t n,
		     struct ksym *syms)
{
	return kallsyms_resolve_named(path, addrs, n, syms, NULL, NULL, 0);
}

/* Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
static unsigned int edit_distance(const char *a, const char *b,
				  unsigned int limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[KSYM_NAME_LEN + 1], diag, up, best;

	if ((la > lb ? la - lb : lb - la) > limit || lb > KSYM_NAME_LEN)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

struct lookup_ctx {
	const char *name;
	struct ksym_name_info *info;
	struct ksym_suggester sug;
};

/* Keep the closest names: by distance, then shorter, then alphabetical. */
static int closer(unsigned int d1, const char *n1, unsigned int d2,
		  const char *n2)
{
	if (d1 != d2)
		return d1 < d2;
	if (strlen(n1) != strlen(n2))
		return strlen(n1) < strlen(n2);
	return strcmp(n1, n2) < 0;
}

void ksym_suggest_init(struct ksym_suggester *s, const char *name)
{
	size_t len = strlen(name);

	memset(s, 0, sizeof(*s));
	s->name = name;
	/* Close enough to be a typo: a third of the name, at least 2 edits. */
	s->limit = len / 3 > 2 ? len / 3 : 2;
}

void ksym_suggest(struct ksym_suggester *s, struct ksym_name_info *info,
		  const char *cand)
{
	unsigned int d, i, pos;

	for (i = 0; i < info->nsuggest; i++)
		if (!strcmp(info->suggest[i], cand))
			return;
	d = edit_distance(s->name, cand, s->limit);
	if (d > s->limit)
		return;
	for (pos = info->nsuggest; pos > 0; pos--)
		if (!closer(d, cand, s->dist[pos - 1], info->suggest[pos - 1]))
			break;
	if (pos == KSYM_SUGGESTIONS)
		return;
	if (info->nsuggest < KSYM_SUGGESTIONS)
		info->nsuggest++;
	for (i = info->nsuggest - 1; i > pos; i--) {
		s->dist[i] = s->dist[i - 1];
		memcpy(info->suggest[i], info->suggest[i - 1], KSYM_NAME_LEN);
	}
	s->dist[pos] = d;
	snprintf(info->suggest[pos], KSYM_NAME_LEN, "%s", cand);
}

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

int kallsyms_lookup_name(const char *path, const char *name,
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

void ksym_format(char *buf, size_t size, unsigned long addr,
		 const struct ksym *sym)
{
	if (!sym || !sym->addr)
		snprintf(buf, size, "0x%lx", addr);
	else if (sym->type == KSYM_TYPE_TAG)
		snprintf(buf, size, "%s", sym->name);
	else if (sym->module[0])
		snprintf(buf, size, "%s+0x%lx [%s]", sym->name,
			 addr - sym->addr, sym->module);
	else
		snprintf(buf, size, "%s+0x%lx", sym->name, addr - sym->addr);
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

int kallsyms_addrs(const char *path, const char *const *names, size_t n,
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
