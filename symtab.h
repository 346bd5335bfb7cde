/* SPDX-License-Identifier: GPL-2.0 */
/*
 * symtab.h - what the outputs name, resolved once after the window: each
 * frame's function (from the copy of /proc/kallsyms the window made, or
 * the file) and each process's command (-P).  The text, folded, JSON and
 * SVG writers all name frames and processes through it.
 */
#ifndef SHOW_BT_SYMTAB_H
#define SHOW_BT_SYMTAB_H

#include "kallsyms.h"
#include "stackmap.h"

/* Who made a stack's calls (-P): its process, named at output time. */
#define SYMTAB_COMM_MAX	64	/* a kworker's /proc/PID/comm is long */
struct symtab_proc {
	__u32 pid;
	__u32 tid;		/* -T: the thread, named by its own comm */
	int thread;		/* comm: the thread name the program saw */
	char comm[SYMTAB_COMM_MAX];	/* else: /proc/PID/comm */
};

/*
 * Everything output names, resolved once: frame addresses to functions and
 * processes to commands.  A kernel stack holds two kinds of frames past
 * frame 0 (the probed address, named after its function under the name
 * that was traced):
 * - return addresses, named after the function of addr - 1, the call
 *   (a call to a function that never returns can be its function's last
 *   instruction, and addr then the next function's first byte); where
 *   addr - 1 is in nothing that can hold a call (padding, a section
 *   marker, data), after the function of addr itself;
 * - interrupted instruction pointers, the frame right after a return
 *   address into the kernel's entry text (entry_start..entry_end, from
 *   kallsyms), named after the function of addr itself: the instruction
 *   the CPU was about to run, often a function's first.  So is the first
 *   byte of a return trampoline (kretprobe_trampoline, return_to_handler:
 *   tramps), which the kernel puts on a stack with no call before it.
 * No frame is named after padding (__pfx_, __cfi_), a section marker or a
 * data symbol.  addrs_ip, addrs0 and their syms live in the allocations of
 * addrs and syms.  A table filled by hand with only addrs, syms and n (the
 * writers' unit tests) names every frame from those.
 */
struct symtab {
	unsigned long *addrs;	/* return addresses, sorted, each once */
	struct ksym *syms;	/* the function of each, as above */
	size_t n;
	unsigned long *addrs_ip;	/* by their own address, sorted, once */
	struct ksym *syms_ip;	/* the function of each, by addr */
	size_t n_ip;
	unsigned long *addrs0;	/* frame 0 of each stack, sorted, once */
	struct ksym *syms0;	/* the function of each, as traced */
	size_t n0;
	unsigned long entry_start, entry_end;	/* entry text; 0: unknown */
	unsigned long tramps[KSYM_TRAMPOLINES_MAX];	/* return trampolines */
	unsigned int ntramps;
	struct symtab_proc *procs;	/* every pid of the set, sorted */
	size_t nprocs;
};

/*
 * Resolve every frame of set through a whole copy of kallsyms (kallsyms.h;
 * a second look, by addr, for a return address whose addr - 1 is in no
 * function), and read the command of every process (-P) from
 * /proc/PID/comm.  Frame 0 of a stack is named after one of
 * traced[0..ntraced) (any order, repeats allowed) when its function has
 * that name among its aliases, e.g. __x64_sys_getppid rather than
 * __do_sys_getppid: pass the names of the functions probed.  Returns 0,
 * -EACCES when kallsyms hides addresses (the table then prints bare
 * addresses), or another -errno.
 */
int symtab_build_copied(struct symtab *tab, const struct stack_set *set,
			const struct kallsyms *copy,
			const char *const *traced, size_t ntraced);
/* The same from the file at kallsyms_path, copied for the purpose. */
int symtab_build_traced(struct symtab *tab, const struct stack_set *set,
			const char *kallsyms_path,
			const char *const *traced, size_t ntraced);
/* symtab_build_traced() with no traced name: frame 0 by the alias rule. */
int symtab_build(struct symtab *tab, const struct stack_set *set,
		 const char *kallsyms_path);
void symtab_free(struct symtab *tab);

/*
 * Frame 0 of a tracepoint's stack is its program's tag (prog.h), k for
 * the tracepoint names[k - 1]: name those frames so, with no offset
 * (type KSYM_TYPE_TAG), after a build.
 */
void symtab_name_tags(struct symtab *tab, const char *const *names, size_t n);

/*
 * Frame f of stack s: its function (NULL when kallsyms has none), and its
 * name as the text output prints it ("func+0xoff [module]" or the bare
 * address; the offset is from the frame's own address, also where the
 * function was found from addr - 1).  Every output names frames through
 * these two, so text, folded, -a, JSON and SVG name a frame alike.
 */
const struct ksym *symtab_frame_sym(const struct symtab *tab,
				    const struct stack *s, unsigned int f);
void symtab_frame_name(char *buf, size_t size, const struct symtab *tab,
		       const struct stack *s, unsigned int f);

/*
 * The process of stack s (-P) by its command: the main thread's, read
 * from /proc/PID/comm by symtab_build() (*thread = 0), or where that could
 * not be read (the process is gone) the name of the thread the program
 * saw first (*thread = 1), which the output must mark as such.  With -T
 * (s->tid set) the thread's own name, from /proc/PID/task/TID/comm, or the
 * name the program saw when the thread is gone (*thread = 1; a thread's
 * name either way, so the writers need not mark it).  Raw bytes: each
 * writer escapes them its own way.
 */
const char *symtab_process_comm(const struct symtab *tab,
				const struct stack *s, int *thread);

#endif
