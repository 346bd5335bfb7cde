// SPDX-License-Identifier: GPL-2.0
/* symtab.c - the names output prints, resolved once; see symtab.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symtab.h"

static int addr_cmp(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return a < b ? -1 : a > b;
}

/* Sort and keep each address once; returns how many. */
static size_t sort_unique(unsigned long *addrs, size_t n)
{
	size_t i, u = 0;

	if (!n)
		return 0;
	qsort(addrs, n, sizeof(*addrs), addr_cmp);
	for (i = 1; i < n; i++)
		if (addrs[i] != addrs[u])
			addrs[++u] = addrs[i];
	return u + 1;
}

/*
 * Frames past 0 are return addresses: the call they return from is the
 * instruction before, and when it is a function's last (a call to a
 * noreturn function) the address itself is already the next function's
 * start, its __pfx_ padding on kernels built with it.  addr - 1 is always
 * inside the caller, as the kernel's own %pB has it.  The one frame this
 * misnames is an interrupted address (an interrupt's regs->ip in the
 * middle of a stack) at a function's very first byte: the stack map does
 * not say which frames those are, and they are rare.
 */
static unsigned long return_key(unsigned long addr)
{
	return addr ? addr - 1 : 0;
}

static int proc_cmp(const void *pa, const void *pb)
{
	const struct symtab_proc *a = pa, *b = pb;

	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/*
 * The process's command now, from its main thread (/proc/PID/comm of a
 * tgid), which is what -P means to show; the program saw only the thread
 * that made the first call.  A process that exited is gone from /proc:
 * then that thread's name, marked.  (A pid reused since the window would
 * name the newcomer; pids wrap slowly enough that show_bt accepts this.)
 */
static void proc_name(struct symtab_proc *p, const char *thread)
{
	char path[32];
	ssize_t len = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/comm", p->pid);
	/* pid 0, the idle task, has no /proc entry. */
	fd = p->pid ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		len = read(fd, p->comm, sizeof(p->comm) - 1);
		close(fd);
	}
	if (len > 0) {
		p->comm[len] = '\0';
		if (p->comm[len - 1] == '\n')
			p->comm[len - 1] = '\0';
		p->thread = 0;
	} else {
		snprintf(p->comm, sizeof(p->comm), "%s", thread);
		p->thread = 1;
	}
}

/* Each pid of set once, with its name. */
static int procs_build(struct symtab *tab, const struct stack_set *set)
{
	struct symtab_proc *p;
	size_t i, u = 0;

	if (!set->n)
		return 0;
	p = calloc(set->n, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0; i < set->n; i++)
		p[i].pid = set->stacks[i].pid;
	qsort(p, set->n, sizeof(*p), proc_cmp);
	for (i = 1; i < set->n; i++)
		if (p[i].pid != p[u].pid)
			p[++u].pid = p[i].pid;
	tab->procs = p;
	tab->nprocs = u + 1;
	/*
	 * The thread name to fall back on, one per process so that folded
	 * output keeps one tower per pid: that of its most frequent stack
	 * (the set is sorted by count).
	 */
	for (i = set->n; i-- > 0;) {
		struct symtab_proc key = { .pid = set->stacks[i].pid };

		p = bsearch(&key, tab->procs, tab->nprocs, sizeof(key),
			    proc_cmp);
		snprintf(p->comm, sizeof(p->comm), "%s",
			 set->stacks[i].comm);
	}
	for (i = 0; i < tab->nprocs; i++) {
		char thread[sizeof(tab->procs[i].comm)];

		memcpy(thread, tab->procs[i].comm, sizeof(thread));
		proc_name(&tab->procs[i], thread);
	}
	return 0;
}

/* The file at kallsyms_path names the frames, or else the copy of it. */
static int symtab_build_with(struct symtab *tab, const struct stack_set *set,
			     const char *kallsyms_path,
			     const struct kallsyms_copy *copy,
			     const char *const *traced, size_t ntraced)
{
	unsigned long *keys = NULL;
	unsigned char *named = NULL;
	size_t i, frames = 0, total;
	unsigned int f;
	int err;

	memset(tab, 0, sizeof(*tab));
	err = procs_build(tab, set);
	if (err)
		return err;
	for (i = 0; i < set->n; i++)
		frames += set->stacks[i].nframes;
	tab->addrs = malloc((frames ? frames : 1) * sizeof(*tab->addrs));
	if (!tab->addrs)
		return -ENOMEM;
	/* Return addresses first, then frame 0s, in one allocation. */
	for (i = 0; i < set->n; i++)
		for (f = 1; f < set->stacks[i].nframes; f++)
			tab->addrs[tab->n++] = set->stacks[i].ips[f];
	tab->n = sort_unique(tab->addrs, tab->n);
	tab->addrs0 = tab->addrs + tab->n;
	for (i = 0; i < set->n; i++)
		if (set->stacks[i].nframes)
			tab->addrs0[tab->n0++] = set->stacks[i].ips[0];
	tab->n0 = sort_unique(tab->addrs0, tab->n0);
	total = tab->n + tab->n0;
	tab->syms = calloc(total ? total : 1, sizeof(*tab->syms));
	if (!tab->syms)
		return -ENOMEM;
	tab->syms0 = tab->syms + tab->n;
	if (!total)
		return 0;
	keys = malloc(total * sizeof(*keys));
	named = calloc(total, 1);
	if (!keys || !named) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < tab->n; i++)
		keys[i] = return_key(tab->addrs[i]);
	for (i = tab->n; i < total; i++) {
		keys[i] = tab->addrs[i];
		named[i] = 1;
	}
	if (copy)
		err = kallsyms_copy_resolve(copy, keys, total, tab->syms,
					    named, traced, ntraced);
	else
		err = kallsyms_resolve_named(kallsyms_path, keys, total,
					     tab->syms, named, traced, ntraced);
out:
	if (err)
		memset(tab->syms, 0, total * sizeof(*tab->syms));
	free(keys);
	free(named);
	return err;
}

int symtab_build_traced(struct symtab *tab, const struct stack_set *set,
			const char *kallsyms_path,
			const char *const *traced, size_t ntraced)
{
	return symtab_build_with(tab, set, kallsyms_path, NULL, traced,
				 ntraced);
}

int symtab_build_copied(struct symtab *tab, const struct stack_set *set,
			const struct kallsyms_copy *copy,
			const char *const *traced, size_t ntraced)
{
	return symtab_build_with(tab, set, NULL, copy, traced, ntraced);
}

int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path)
{
	return symtab_build_traced(tab, set, kallsyms_path, NULL, 0);
}

void symtab_free(struct symtab *tab)
{
	free(tab->addrs);
	free(tab->syms);
	free(tab->procs);
	memset(tab, 0, sizeof(*tab));
}

static const struct ksym *find(const unsigned long *addrs,
			       const struct ksym *syms, size_t n,
			       unsigned long addr)
{
	const unsigned long *a;

	if (!n)
		return NULL;
	a = bsearch(&addr, addrs, n, sizeof(addr), addr_cmp);
	return a ? &syms[a - addrs] : NULL;
}

const struct ksym *symtab_frame_sym(const struct symtab *tab,
				    const struct stack *s, unsigned int f)
{
	const struct ksym *sym = NULL;

	if (f == 0)
		sym = find(tab->addrs0, tab->syms0, tab->n0, s->ips[0]);
	if (!sym)
		sym = find(tab->addrs, tab->syms, tab->n, s->ips[f]);
	return sym && sym->addr ? sym : NULL;
}

void symtab_frame_name(char *buf, size_t size, const struct symtab *tab,
		       const struct stack *s, unsigned int f)
{
	ksym_format(buf, size, s->ips[f], symtab_frame_sym(tab, s, f));
}

const char *symtab_process_comm(const struct symtab *tab,
				const struct stack *s, int *thread)
{
	struct symtab_proc key = { .pid = s->pid };
	const struct symtab_proc *p = NULL;

	if (tab->nprocs)
		p = bsearch(&key, tab->procs, tab->nprocs, sizeof(key),
			    proc_cmp);
	*thread = p ? p->thread : 1;
	return p ? p->comm : s->comm;
}
