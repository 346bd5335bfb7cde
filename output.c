// SPDX-License-Identifier: GPL-2.0
/* output.c - print stacks; see output.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static int addr_cmp(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return a < b ? -1 : a > b;
}

/* Every frame of every stack, sorted, each address once. */
static size_t collect_addrs(const struct stack_set *set, unsigned long *addrs)
{
	size_t i, n = 0, u = 0;
	unsigned int f;

	for (i = 0; i < set->n; i++)
		for (f = 0; f < set->stacks[i].nframes; f++)
			addrs[n++] = set->stacks[i].ips[f];
	if (!n)
		return 0;
	qsort(addrs, n, sizeof(*addrs), addr_cmp);
	for (i = 1; i < n; i++)
		if (addrs[i] != addrs[u])
			addrs[++u] = addrs[i];
	return u + 1;
}

int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path)
{
	size_t i, frames = 0;
	int err;

	memset(tab, 0, sizeof(*tab));
	for (i = 0; i < set->n; i++)
		frames += set->stacks[i].nframes;
	tab->addrs = malloc((frames ? frames : 1) * sizeof(*tab->addrs));
	if (!tab->addrs)
		return -ENOMEM;
	tab->n = collect_addrs(set, tab->addrs);
	tab->syms = calloc(tab->n ? tab->n : 1, sizeof(*tab->syms));
	if (!tab->syms)
		return -ENOMEM;
	if (!tab->n)
		return 0;
	err = kallsyms_resolve(kallsyms_path, tab->addrs, tab->n, tab->syms);
	if (err)
		memset(tab->syms, 0, tab->n * sizeof(*tab->syms));
	return err;
}

void symtab_free(struct symtab *tab)
{
	free(tab->addrs);
	free(tab->syms);
	memset(tab, 0, sizeof(*tab));
}

static const struct ksym *symtab_find(const struct symtab *tab,
				      unsigned long addr)
{
	const unsigned long *a = bsearch(&addr, tab->addrs, tab->n,
					 sizeof(addr), addr_cmp);

	return a ? &tab->syms[a - tab->addrs] : NULL;
}

void output_text(FILE *out, const struct stack_set *set,
		 const struct symtab *tab)
{
	char name[KSYM_NAME_MAX + KSYM_MODULE_MAX + 32];
	const struct stack *s;
	size_t i;
	unsigned int f;

	for (i = 0; i < set->n; i++) {
		s = &set->stacks[i];
		if (i)
			fputc('\n', out);
		for (f = 0; f < s->nframes; f++) {
			ksym_format(name, sizeof(name), s->ips[f],
				    symtab_find(tab, s->ips[f]));
			fprintf(out, "  %s\n", name);
		}
		fprintf(out, "    %llu\n", (unsigned long long)s->count);
	}
}
