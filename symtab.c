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

static int proc_cmp(const void *pa, const void *pb)
{
	const struct symtab_proc *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->tid < b->tid ? -1 : a->tid > b->tid;
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
	char path[48];
	ssize_t len = -1;
	int fd;

	if (p->tid)	/* -T: the thread's own name */
		snprintf(path, sizeof(path), "/proc/%u/task/%u/comm", p->pid,
			 p->tid);
	else
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
	for (i = 0; i < set->n; i++) {
		p[i].pid = set->stacks[i].pid;
		p[i].tid = set->stacks[i].tid;
	}
	qsort(p, set->n, sizeof(*p), proc_cmp);
	for (i = 1; i < set->n; i++)
		if (proc_cmp(&p[i], &p[u]))
			p[++u] = p[i];
	tab->procs = p;
	tab->nprocs = u + 1;
	/*
	 * The thread name to fall back on, one per process so that folded
	 * output keeps one tower per pid: that of its most frequent stack
	 * (the set is sorted by count).
	 */
	for (i = set->n; i-- > 0;) {
		struct symtab_proc key = { .pid = set->stacks[i].pid,
					   .tid = set->stacks[i].tid };

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

/*
 * What tells the kinds of frames apart, from the running kernel's own
 * symbols: its entry text, [__entry_text_start, __entry_text_end), the
 * code that exceptions and interrupts enter through (x86-64's asm_exc_*,
 * asm_sysvec_*, asm_common_interrupt; arm64's el1h_64_irq, el1h_64_sync;
 * 5.10's el1_irq), whatever names the kernel gives it; and its return
 * trampolines (ksym_is_return_trampoline()).  Left empty where the
 * symbols are not there: then every frame past 0 is a return address.
 */
static void landmarks_find(struct symtab *tab, const struct kallsyms *ks)
{
	/* Noted as the copy was read. */
	tab->ntramps = ks->ntramps;
	memcpy(tab->tramps, ks->tramps, sizeof(tab->tramps));
	if (ks->entry_start && ks->entry_start < ks->entry_end) {
		tab->entry_start = ks->entry_start;
		tab->entry_end = ks->entry_end;
	}
}

/*
 * Whether frame f (past 0, the probed address) is named by its own
 * address rather than as a return address:
 * - an interrupted instruction pointer.  The unwinder crosses an exception
 *   or an interrupt through the registers the entry code saved: the frame
 *   before is a return address into the entry text (the entry stub called
 *   its C handler), and the frame itself is the instruction the CPU was
 *   about to run (regs->ip, arm64's ELR), often a function's first;
 * - a return trampoline's first byte, which no call put there.
 */
static int frame_by_own_address(const struct symtab *tab,
				const struct stack *s, unsigned int f)
{
	unsigned long prev;
	unsigned int i;

	if (!f)
		return 0;
	for (i = 0; i < tab->ntramps; i++)
		if (s->ips[f] == tab->tramps[i])
			return 1;
	if (!tab->entry_end)
		return 0;
	prev = s->ips[f - 1];
	if (f > 1)
		prev--;		/* a return address: the call before it */
	return prev >= tab->entry_start && prev < tab->entry_end;
}

/* Whether what a frame was named after can be running code. */
static int sym_runs(const struct ksym *sym)
{
	return sym->addr && !ksym_is_padding(sym->name);
}

/*
 * A return address names the function of the call before it, addr - 1:
 * when the call is a function's last instruction (a call to a function
 * that never returns), addr itself is already the next function's start,
 * or its __pfx_ padding, while addr - 1 is still in the caller.  Where
 * addr - 1 lies in nothing that holds a call (padding, a section marker,
 * data, no symbol), the frame can only be the instruction at addr: an
 * interrupted function's first one, its entry frame not recognized.
 * This looks those addresses up again, by addr.
 */
static int return_fixup(struct symtab *tab, const struct kallsyms *ks)
{
	unsigned long *keys;
	struct ksym *syms;
	size_t *at, i, n = 0;
	int err = -ENOMEM;

	for (i = 0; i < tab->n; i++)
		n += !sym_runs(&tab->syms[i]);
	if (!n)
		return 0;
	keys = malloc(n * sizeof(*keys));
	at = malloc(n * sizeof(*at));
	syms = calloc(n, sizeof(*syms));
	if (!keys || !at || !syms)
		goto out;
	for (i = 0, n = 0; i < tab->n; i++) {
		if (sym_runs(&tab->syms[i]))
			continue;
		at[n] = i;
		keys[n++] = tab->addrs[i];
	}
	err = kallsyms_resolve(ks, keys, n, syms, NULL, NULL, 0);
	for (i = 0; !err && i < n; i++)
		tab->syms[at[i]] = syms[i];
out:
	free(keys);
	free(at);
	free(syms);
	return err;
}

/*
 * The frames' addresses, each kind sorted and each address once: return
 * addresses first, then the frames named by their own address, then frame 0s,
 * in one allocation.
 */
static int frames_collect(struct symtab *tab, const struct stack_set *set)
{
	size_t i, frames = 0;
	unsigned int f;

	for (i = 0; i < set->n; i++)
		frames += set->stacks[i].nframes;
	tab->addrs = malloc((frames ? frames : 1) * sizeof(*tab->addrs));
	if (!tab->addrs)
		return -ENOMEM;
	for (i = 0; i < set->n; i++)
		for (f = 1; f < set->stacks[i].nframes; f++)
			if (!frame_by_own_address(tab, &set->stacks[i], f))
				tab->addrs[tab->n++] = set->stacks[i].ips[f];
	tab->n = sort_unique(tab->addrs, tab->n);
	tab->addrs_ip = tab->addrs + tab->n;
	for (i = 0; i < set->n; i++)
		for (f = 1; f < set->stacks[i].nframes; f++)
			if (frame_by_own_address(tab, &set->stacks[i], f))
				tab->addrs_ip[tab->n_ip++] =
					set->stacks[i].ips[f];
	tab->n_ip = sort_unique(tab->addrs_ip, tab->n_ip);
	tab->addrs0 = tab->addrs_ip + tab->n_ip;
	for (i = 0; i < set->n; i++)
		if (set->stacks[i].nframes)
			tab->addrs0[tab->n0++] = set->stacks[i].ips[0];
	tab->n0 = sort_unique(tab->addrs0, tab->n0);
	return 0;
}

/* Name every frame of set from ks; see symtab.h for the rules. */
int symtab_build_copied(struct symtab *tab, const struct stack_set *set,
			const struct kallsyms *ks,
			const char *const *traced, size_t ntraced)
{
	unsigned long *keys = NULL;
	unsigned char *named = NULL;
	size_t i, total;
	int err;

	memset(tab, 0, sizeof(*tab));
	err = procs_build(tab, set);
	if (err)
		return err;
	if (set->n)
		landmarks_find(tab, ks);
	err = frames_collect(tab, set);
	if (err)
		return err;
	total = tab->n + tab->n_ip + tab->n0;
	tab->syms = calloc(total ? total : 1, sizeof(*tab->syms));
	if (!tab->syms)
		return -ENOMEM;
	tab->syms_ip = tab->syms + tab->n;
	tab->syms0 = tab->syms_ip + tab->n_ip;
	if (!total)
		return 0;
	keys = malloc(total * sizeof(*keys));
	named = calloc(total, 1);
	if (!keys || !named) {
		err = -ENOMEM;
		goto out;
	}
	/* Return addresses by addr - 1, the rest by their own address. */
	for (i = 0; i < tab->n; i++)
		keys[i] = tab->addrs[i] ? tab->addrs[i] - 1 : 0;
	for (i = tab->n; i < total; i++)
		keys[i] = tab->addrs[i];
	for (i = tab->n + tab->n_ip; i < total; i++)
		named[i] = 1;
	err = kallsyms_resolve(ks, keys, total, tab->syms, named, traced,
			       ntraced);
	if (!err)
		err = return_fixup(tab, ks);
	/* No frame is named after padding, which never runs. */
	for (i = 0; !err && i < total; i++)
		if (!sym_runs(&tab->syms[i]))
			memset(&tab->syms[i], 0, sizeof(tab->syms[i]));
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
	struct kallsyms ks = KALLSYMS_NONE;
	int err;

	/* No stack, no frame to name: the file is not read (0.7 s emulated). */
	if (!set->n)
		return symtab_build_copied(tab, set, &ks, traced, ntraced);
	err = kallsyms_start(&ks, kallsyms_path, KALLSYMS_MODULES_PATH, 0);
	if (!err)
		err = kallsyms_finish(&ks);
	if (err) {
		kallsyms_free(&ks);
		ks.state = err;	/* every frame unnamed, for that reason */
	}
	err = symtab_build_copied(tab, set, &ks, traced, ntraced);
	kallsyms_free(&ks);
	return err;
}

int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path)
{
	return symtab_build_traced(tab, set, kallsyms_path, NULL, 0);
}

void symtab_name_tags(struct symtab *tab, const char *const *names, size_t n)
{
	size_t i;

	if (!tab->syms0)
		return;
	/* Sorted: the tags, small numbers, come first. */
	for (i = 0; i < tab->n0 && tab->addrs0[i] <= n; i++) {
		struct ksym *sym = &tab->syms0[i];

		if (!tab->addrs0[i])
			continue;
		memset(sym, 0, sizeof(*sym));
		sym->addr = tab->addrs0[i];
		sym->type = KSYM_TYPE_TAG;
		snprintf(sym->name, sizeof(sym->name), "%s",
			 names[tab->addrs0[i] - 1]);
	}
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
	else if (frame_by_own_address(tab, s, f))
		sym = find(tab->addrs_ip, tab->syms_ip, tab->n_ip, s->ips[f]);
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
	struct symtab_proc key = { .pid = s->pid, .tid = s->tid };
	const struct symtab_proc *p = NULL;

	if (tab->nprocs)
		p = bsearch(&key, tab->procs, tab->nprocs, sizeof(key),
			    proc_cmp);
	*thread = p ? p->thread : 1;
	return p ? p->comm : s->comm;
}
