/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stackset.h - synthetic stack sets and symbol tables for the unit tests
 * of the writers (--json, --svg): frames are made by name, and each name
 * gets a function at its own address.
 */
#ifndef SHOW_BT_STACKSET_H
#define SHOW_BT_STACKSET_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../output.h"

#define FX_MAX_SYMS	4096
#define FX_BASE		0xffffffff81000000ull

struct fx {
	struct stack_set set;
	struct symtab tab;
	size_t nfuncs;
	char funcs[FX_MAX_SYMS][2][KSYM_NAME_LEN];	/* name, module */
};

static inline struct fx *fx_new(void)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	fx->tab.addrs = calloc(FX_MAX_SYMS, sizeof(*fx->tab.addrs));
	fx->tab.syms = calloc(FX_MAX_SYMS, sizeof(*fx->tab.syms));
	return fx;
}

/* The address off bytes into function name (module "" for the kernel). */
static inline unsigned long fx_addr(struct fx *fx, const char *name,
				    const char *module, unsigned long off)
{
	unsigned long start, addr;
	struct ksym *sym;
	size_t i, at;

	for (i = 0; i < fx->nfuncs; i++)
		if (!strcmp(fx->funcs[i][0], name) &&
		    !strcmp(fx->funcs[i][1], module))
			break;
	if (i == fx->nfuncs) {
		snprintf(fx->funcs[i][0], KSYM_NAME_LEN, "%s", name);
		snprintf(fx->funcs[i][1], KSYM_NAME_LEN, "%s", module);
		fx->nfuncs++;
	}
	start = FX_BASE + i * 0x10000;
	addr = start + off;
	/* Keep the table sorted: output.c looks addresses up by bsearch. */
	for (at = 0; at < fx->tab.n && fx->tab.addrs[at] < addr; at++)
		;
	if (at < fx->tab.n && fx->tab.addrs[at] == addr)
		return addr;
	memmove(&fx->tab.addrs[at + 1], &fx->tab.addrs[at],
		(fx->tab.n - at) * sizeof(*fx->tab.addrs));
	memmove(&fx->tab.syms[at + 1], &fx->tab.syms[at],
		(fx->tab.n - at) * sizeof(*fx->tab.syms));
	fx->tab.addrs[at] = addr;
	sym = &fx->tab.syms[at];
	memset(sym, 0, sizeof(*sym));
	sym->addr = start;
	sym->type = 't';
	snprintf(sym->name, sizeof(sym->name), "%s", name);
	snprintf(sym->module, sizeof(sym->module), "%s", module);
	fx->tab.n++;
	return addr;
}

/*
 * A stack of count calls, innermost frame first: each frame a name
 * ("func", "func [mod]", or "0x..." for an address kallsyms lacks), its
 * offset 0x10 (0x20 with "+" prepended: "+func").  pid 0: no process.
 */
static inline void fx_stack(struct fx *fx, unsigned long long count,
			    unsigned int pid, const char *comm,
			    unsigned int n, ...)
{
	struct stack_set *set = &fx->set;
	char name[KSYM_NAME_LEN], *mod;
	const char *arg;
	struct stack *s;
	__u64 *ips = calloc(n ? n : 1, sizeof(*ips));
	unsigned int f;
	va_list ap;

	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->stacks = realloc(set->stacks,
				      set->cap * sizeof(*set->stacks));
	}
	va_start(ap, n);
	for (f = 0; f < n; f++) {
		arg = va_arg(ap, const char *);
		if (!strncmp(arg, "0x", 2)) {
			ips[f] = strtoull(arg, NULL, 16);
			continue;
		}
		snprintf(name, sizeof(name), "%s", arg + (arg[0] == '+'));
		mod = strstr(name, " [");
		if (mod) {
			*mod = '\0';
			mod += 2;
			mod[strcspn(mod, "]")] = '\0';
		}
		ips[f] = fx_addr(fx, name, mod ? mod : "",
				 arg[0] == '+' ? 0x20 : 0x10);
	}
	va_end(ap);
	s = &set->stacks[set->n++];
	memset(s, 0, sizeof(*s));
	s->count = count;
	s->pid = pid;
	snprintf(s->comm, sizeof(s->comm), "%s", comm ? comm : "");
	s->nframes = n;
	s->ips = ips;
	set->by_id += count;
	set->calls += count;
}

static inline void fx_lost(struct fx *fx, int cause, unsigned long long n)
{
	fx->set.lost[cause] += n;
	fx->set.calls += n;
}

static inline void fx_free(struct fx *fx)
{
	size_t i;

	for (i = 0; i < fx->set.n; i++)
		free((void *)fx->set.stacks[i].ips);
	free(fx->set.stacks);
	free(fx->tab.addrs);
	free(fx->tab.syms);
	free(fx);
}

/* What a writer printed, as a string to free. */
#define FX_CAPTURE(buf, expr)						\
	do {								\
		size_t fx_len;						\
		FILE *out = open_memstream(&(buf), &fx_len);		\
		(expr);							\
		fclose(out);						\
	} while (0)

/*
 * One strictly valid UTF-8 character at s, by the standard's table (not
 * utf8.c's code, so that the tests check the writers independently): its
 * length in bytes, with the code point in *cp; 0 with *why set where s
 * starts with no valid character.
 */
static inline unsigned int test_utf8(const unsigned char *s, unsigned int *cp,
				     const char **why)
{
	unsigned int n, i;

	if (s[0] < 0x80)
		n = 1, *cp = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		n = 2, *cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, *cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, *cp = s[0] & 0x07;
	else
		return *why = "invalid UTF-8 lead byte", 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return *why = "truncated UTF-8", 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && *cp < 0x80) || (n == 3 && *cp < 0x800) ||
	    (n == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return *why = "overlong, surrogate or too large UTF-8", 0;
	return n;
}

#endif
