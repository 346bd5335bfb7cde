// SPDX-License-Identifier: GPL-2.0
/* output.c - print stacks; see output.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

#define FRAME_MAX (KSYM_NAME_LEN + KSYM_MODULE_MAX + 32)

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
	const struct output_proc *a = pa, *b = pb;

	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/*
 * The process's command now, from its main thread (/proc/PID/comm of a
 * tgid), which is what -P means to show; the program saw only the thread
 * that made the first call.  A process that exited is gone from /proc:
 * then that thread's name, marked.  (A pid reused since the window would
 * name the newcomer; pids wrap slowly enough that show_bt accepts this.)
 */
static void proc_name(struct output_proc *p, const char *thread)
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
	struct output_proc *p;
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
		struct output_proc key = { .pid = set->stacks[i].pid };

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

const struct ksym *output_frame_sym(const struct symtab *tab,
				    const struct stack *s, unsigned int f)
{
	const struct ksym *sym = NULL;

	if (f == 0)
		sym = find(tab->addrs0, tab->syms0, tab->n0, s->ips[0]);
	if (!sym)
		sym = find(tab->addrs, tab->syms, tab->n, s->ips[f]);
	return sym && sym->addr ? sym : NULL;
}

void output_frame_name(char *buf, size_t size, const struct symtab *tab,
		       const struct stack *s, unsigned int f)
{
	ksym_format(buf, size, s->ips[f], output_frame_sym(tab, s, f));
}

const char *output_process_comm(const struct symtab *tab,
				const struct stack *s, int *thread)
{
	struct output_proc key = { .pid = s->pid };
	const struct output_proc *p = NULL;

	if (tab->nprocs)
		p = bsearch(&key, tab->procs, tab->nprocs, sizeof(key),
			    proc_cmp);
	*thread = p ? p->thread : 1;
	return p ? p->comm : s->comm;
}

/*
 * A stack of exactly the map's depth may be one that had that many frames
 * and no more, but a kernel stack 127 deep is a runaway; a stack that deep
 * is a cut one.
 */
int output_stack_truncated(const struct stack_set *set,
			   const struct stack *s)
{
	return set->depth && s->nframes >= set->depth;
}

const char *output_lost_name(enum lost_cause cause)
{
	switch (cause) {
	case LOST_UNREADABLE:
		return "stack unreadable";
	case LOST_MAP_FULL:
		return "stack map full";
	default:
		return "stack lost (other error)";
	}
}

/*
 * A command name is whatever the process set (prctl, exec name): it must
 * not be able to add lines, or frames to a folded stack.
 */
static void clean_comm(char *dst, size_t size, const char *comm, int folded)
{
	size_t i;

	for (i = 0; i + 1 < size && comm[i]; i++) {
		unsigned char c = comm[i];

		if (c < ' ' || c == 0x7f)
			c = '?';
		else if (folded && (c == ';' || c == ' '))
			c = '_';
		dst[i] = c;
	}
	dst[i] = '\0';
}

static void print_text(FILE *out, const struct stack_set *set,
		       const struct stack *s, const struct symtab *tab,
		       const struct output_style *style)
{
	char name[FRAME_MAX], comm[OUTPUT_COMM_MAX];
	unsigned int f;
	int thread;

	if (style->per_process) {
		clean_comm(comm, sizeof(comm),
			   output_process_comm(tab, s, &thread), 0);
		fprintf(out, "pid %u (%s%s)\n", s->pid,
			thread ? "thread: " : "", comm);
	}
	for (f = 0; f < s->nframes; f++) {
		output_frame_name(name, sizeof(name), tab, s, f);
		if (style->addresses)
			fprintf(out, "  %016llx %s\n",
				(unsigned long long)s->ips[f], name);
		else
			fprintf(out, "  %s\n", name);
	}
	if (output_stack_truncated(set, s))
		fprintf(out, "  %s\n", OUTPUT_TRUNCATED);
	fprintf(out, "    %llu\n", (unsigned long long)s->count);
}

/* A frame's name for folded output: the function, no offset. */
static void folded_frame(char *buf, size_t size, const struct stack *s,
			 unsigned int f, const struct symtab *tab)
{
	const struct ksym *sym = output_frame_sym(tab, s, f);

	if (sym)
		snprintf(buf, size, "%s", sym->name);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)s->ips[f]);
}

struct folded {
	char *line;		/* "comm;root;...;leaf" */
	unsigned long long count;
};

static int folded_cmp_line(const void *pa, const void *pb)
{
	return strcmp(((const struct folded *)pa)->line,
		      ((const struct folded *)pb)->line);
}

static int folded_cmp_count(const void *pa, const void *pb)
{
	const struct folded *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->line, b->line);
}

static char *folded_line(const struct stack_set *set, const struct stack *s,
			 const struct symtab *tab, int per_process)
{
	char frame[FRAME_MAX], comm[OUTPUT_COMM_MAX], *line;
	size_t len = 0, cap = 128 + (size_t)s->nframes * FRAME_MAX;
	unsigned int f;
	int thread;

	line = malloc(cap);
	if (!line)
		return NULL;
	line[0] = '\0';
	/*
	 * FlameGraph reads ';' as the frame separator and ' ' before the
	 * count.  The process is COMM-PID, stackcollapse-perf.pl --pid's
	 * form: two processes of one command stay two towers.
	 */
	if (per_process) {
		clean_comm(comm, sizeof(comm),
			   output_process_comm(tab, s, &thread), 1);
		len += snprintf(line, cap, "%s%s-%u", thread ? "thread:" : "",
				comm, s->pid);
	}
	if (output_stack_truncated(set, s))
		len += snprintf(line + len, cap - len, "%s%s", len ? ";" : "",
				OUTPUT_TRUNCATED);
	for (f = s->nframes; f-- > 0;) {
		folded_frame(frame, sizeof(frame), s, f, tab);
		len += snprintf(line + len, cap - len, "%s%s",
				len ? ";" : "", frame);
	}
	for (f = 0; f < len; f++)
		if (line[f] == ' ')
			line[f] = '_';
	return line;
}

/* Offsets dropped, different stacks can fold to one line: merge them. */
static void print_folded(FILE *out, const struct stack_set *set,
			 const struct symtab *tab, int per_process)
{
	struct folded *v = calloc(set->n ? set->n : 1, sizeof(*v));
	size_t i, n = 0;

	if (!v)
		return;
	for (i = 0; i < set->n; i++) {
		v[n].line = folded_line(set, &set->stacks[i], tab,
					 per_process);
		v[n].count = set->stacks[i].count;
		if (v[n].line)
			n++;
	}
	qsort(v, n, sizeof(*v), folded_cmp_line);
	for (i = 1; i < n; i++) {
		if (!strcmp(v[i].line, v[i - 1].line)) {
			v[i].count += v[i - 1].count;
			v[i - 1].count = 0;
		}
	}
	qsort(v, n, sizeof(*v), folded_cmp_count);
	for (i = 0; i < n; i++) {
		if (v[i].count)
			fprintf(out, "%s %llu\n", v[i].line, v[i].count);
		free(v[i].line);
	}
	free(v);
}

static void print_lost(FILE *out, const struct stack_set *set,
		       const struct output_style *style, int first)
{
	int cause;

	for (cause = 0; cause < LOST_NR; cause++) {
		if (!set->lost[cause])
			continue;
		if (style->folded) {
			fprintf(out, "[%s] %llu\n", output_lost_name(cause),
				(unsigned long long)set->lost[cause]);
			continue;
		}
		if (!first)
			fputc('\n', out);
		first = 0;
		fprintf(out, "  [%s]\n    %llu\n", output_lost_name(cause),
			(unsigned long long)set->lost[cause]);
	}
}

void output_stacks(FILE *out, const struct stack_set *set,
		   const struct symtab *tab, const struct output_style *style)
{
	size_t i;

	if (style->folded) {
		print_folded(out, set, tab, style->per_process);
	} else {
		for (i = 0; i < set->n; i++) {
			if (i)
				fputc('\n', out);
			print_text(out, set, &set->stacks[i], tab, style);
		}
	}
	print_lost(out, set, style, set->n == 0);
}
