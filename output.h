/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - print collected stacks with symbol names: as text (one frame
 * a line) or folded (one stack a line, the input of flamegraph.pl).
 */
#ifndef SHOW_BT_OUTPUT_H
#define SHOW_BT_OUTPUT_H

#include <stdio.h>

#include "kallsyms.h"
#include "kallsyms_copy.h"
#include "stackmap.h"

/* Who made a stack's calls (-P): its process, named at output time. */
#define OUTPUT_COMM_MAX	64	/* a kworker's /proc/PID/comm is long */
struct output_proc {
	__u32 pid;
	int thread;		/* comm: the thread name the program saw */
	char comm[OUTPUT_COMM_MAX];	/* else: /proc/PID/comm */
};

/*
 * Everything output names, resolved once: frame addresses to functions and
 * processes to commands.  Frames past 0 are return addresses, named after
 * the function of addr - 1 (see symtab_build()); frame 0, the probed
 * address, after its own function under the name that was traced.
 * addrs0 and syms0 live in the allocations of addrs and syms.  A table
 * filled by hand with only addrs, syms and n (the writers' unit tests)
 * names every frame from those.
 */
struct symtab {
	unsigned long *addrs;	/* frames past 0, sorted, each once */
	struct ksym *syms;	/* the function of each, from addrs[i] - 1 */
	size_t n;
	unsigned long *addrs0;	/* frame 0 of each stack, sorted, once */
	struct ksym *syms0;	/* the function of each, as traced */
	size_t n0;
	struct output_proc *procs;	/* every pid of the set, sorted */
	size_t nprocs;
};

/*
 * Resolve every frame of set through kallsyms (one pass over the file),
 * and read the command of every process (-P) from /proc/PID/comm.  Frame
 * 0 of a stack is named after one of traced[0..ntraced) (any order,
 * repeats allowed) when its function has that name among its aliases,
 * e.g. __x64_sys_getppid rather than __do_sys_getppid: pass the names of
 * the functions probed.  Returns 0, -EACCES when kallsyms hides addresses
 * (the table then prints bare addresses), or another -errno.
 */
int symtab_build_traced(struct symtab *tab, const struct stack_set *set,
			const char *kallsyms_path,
			const char *const *traced, size_t ntraced);
/* The same from a whole copy of the file (kallsyms_copy.h). */
int symtab_build_copied(struct symtab *tab, const struct stack_set *set,
			const struct kallsyms_copy *copy,
			const char *const *traced, size_t ntraced);
/* symtab_build_traced() with no traced name: frame 0 by the alias rule. */
int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path);
void symtab_free(struct symtab *tab);

/*
 * Frame f of stack s: its function (NULL when kallsyms has none), and its
 * name as the text output prints it ("func+0xoff [module]" or the bare
 * address; the offset is from the frame's own address, also where the
 * function was found from addr - 1).  Every output names frames through
 * these two.
 */
const struct ksym *output_frame_sym(const struct symtab *tab,
				    const struct stack *s, unsigned int f);
void output_frame_name(char *buf, size_t size, const struct symtab *tab,
		       const struct stack *s, unsigned int f);

/*
 * The process of stack s (-P) by its command: the main thread's, read
 * from /proc/PID/comm by symtab_build() (*thread = 0), or where that could
 * not be read (the process is gone) the name of the thread the program
 * saw first (*thread = 1), which the output must mark as such.  Raw bytes:
 * each writer escapes them its own way.
 */
const char *output_process_comm(const struct symtab *tab,
				const struct stack *s, int *thread);

/*
 * Whether the kernel cut stack s at its depth limit (set->depth frames,
 * perf_event_max_stack capped at 127): the outputs then end it with the
 * root pseudo-frame OUTPUT_TRUNCATED.  A stack --depth cut
 * (stack_set_truncate() to fewer frames) is cut by choice: not marked.
 */
#define OUTPUT_TRUNCATED "[truncated]"
int output_stack_truncated(const struct stack_set *set,
			   const struct stack *s);

struct output_style {
	int folded;		/* -f */
	int addresses;		/* -a: the address before each frame */
	int per_process;	/* -P: who made the calls, per stack */
};

/*
 * Text: each stack's frames innermost first, "  func+0xoff" a line, then
 * "  [truncated]" if the kernel cut it (with -P a "pid PID (COMM)" line
 * first, "pid PID (thread: NAME)" when the process is gone), then
 * "    COUNT"; stacks separated by a blank line.  Folded:
 * "[COMM-PID;][[truncated];]root;...;func COUNT" a line ("thread:NAME-PID"
 * when the process is gone), offsets dropped and equal lines merged.
 * Calls whose stack was lost follow, as pseudo-frames such as
 * "[stack unreadable]".
 */
void output_stacks(FILE *out, const struct stack_set *set,
		   const struct symtab *tab, const struct output_style *style);

/* The name of a lost cause, as output and the summary print it. */
const char *output_lost_name(enum lost_cause cause);

#endif
