/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms_copy.h - /proc/kallsyms kept in memory, to name the stacks the
 * moment the window ends.
 *
 * The kernel lists its symbols slowly: 0.5 to 1 s for Debian 6.12's
 * 167,000 lines under emulation, tens of ms natively.  show_bt reads the
 * list while the window runs, a read() between two looks at the clock,
 * so the output need not wait for it.  The copy keeps what naming needs:
 * every line's address (the low half; the high one by runs) and type, the
 * names of text symbols (a __pfx_ padding symbol's is its function's, so
 * not kept twice), the modules by runs: 2.5 MiB for 6.12's 166,583
 * lines.  Lines the resolver ignores ('A', 'U', address 0) are left out.
 * Once whole, it is indexed for binary searches and answers exactly as
 * kallsyms_resolve_named() on the file would.  kview.c reads one whole at
 * once that keeps every line and name (kallsyms_copy_read_all()), and the
 * window then takes that one over: a run reads the file once.
 *
 * What was loaded after the copy began is not in it: a module or a BPF
 * program loaded during the window.  kallsyms_copy_resolve() notices that
 * /proc/modules or the BPF program ids changed, and then asks the file
 * again about the addresses the copy did not place in the kernel image.
 */
#ifndef SHOW_BT_KALLSYMS_COPY_H
#define SHOW_BT_KALLSYMS_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "kallsyms.h"

#define KALLSYMS_MODULES_PATH	"/proc/modules"

/* A run of lines that share something: from line `from` on. */
struct kcopy_run {
	size_t from;
	uint32_t value;
};

struct kallsyms_copy {
	const char *path;		/* the file copied */
	int keep_all;			/* every line and name (read_all) */
	const char *modules_path;	/* its modules, for the stamp */
	int fd;				/* while reading, else -1 */
	int state;			/* 0 reading, 1 whole, or -errno */
	char *buf;			/* a chunk, and a line cut at its end */
	size_t buf_len;
	int skipping;			/* inside a line too long to be one */
	uint32_t *lo;			/* each line's address, low half */
	uint32_t *word;			/* name offset << 8 | type */
	size_t n, cap;
	struct kcopy_run *his;		/* high halves of the addresses */
	size_t nhis, his_cap;
	struct kcopy_run *mods;		/* modules: strs offset, or none */
	size_t nmods, mods_cap;
	char *strs;			/* names and modules, NUL-ended */
	size_t strs_len, strs_cap;
	size_t nonzero;			/* lines whose address is not 0 */
	unsigned long last;		/* the highest address of a line */
	struct kcopy_run *runs;		/* the index: lines in address */
	size_t nruns, runs_cap;		/* order, from and how many */
	struct kcopy_tail {
		unsigned long addr;
		uint32_t line;
	} *tail;			/* the other lines, by address */
	size_t ntail, tail_cap;
	/*
	 * The entry text's bounds as kallsyms_addrs() finds them in the
	 * file: the one text symbol of each name, or 0 when it is missing
	 * or there twice (the counts).
	 */
	unsigned long entry_start;	/* __entry_text_start, or 0 */
	unsigned long entry_end;	/* __entry_text_end, or 0 */
	unsigned int entry_starts, entry_ends;
	/*
	 * The return trampolines, found as the entry text is: the one text
	 * symbol of each name (by ksym_is_return_trampoline() - 1: how many,
	 * and the first one's address).
	 */
	unsigned long tramps[KSYM_TRAMPOLINES_MAX];	/* return trampolines */
	unsigned int ntramps;
	unsigned int tramp_count[KSYM_TRAMPOLINES_MAX];
	unsigned long tramp_first[KSYM_TRAMPOLINES_MAX];
	uint64_t modules_stamp;		/* a hash of /proc/modules */
	uint32_t bpf_last_id;		/* the highest BPF program id */
};

/*
 * Begin a copy of the file at path: note what was loaded (modules, BPF
 * programs) and open it.  Returns 0 or -errno (c is then no copy).
 */
int kallsyms_copy_start(struct kallsyms_copy *c, const char *path,
			const char *modules_path);

/*
 * One read() on (64 KiB at most; the kernel gives about 4 KiB): 1 once
 * the file is whole and indexed, 0 while there is more, -errno when it
 * failed (the copy is then useless: free it).
 */
int kallsyms_copy_step(struct kallsyms_copy *c);

/* Read to the end: 0, or -errno. */
int kallsyms_copy_finish(struct kallsyms_copy *c);

/*
 * The whole file at once, every line and every name kept (kview.c's view
 * of the symbols, which asks of names too): 0, or -errno (c is then no
 * copy).  It answers kallsyms_copy_resolve() as a window's copy does.
 */
int kallsyms_copy_read_all(struct kallsyms_copy *c, const char *path,
			   const char *modules_path);

/*
 * Line i (of c->n, in the file's order) of a whole copy: its address,
 * type, name (in buf, size KSYM_NAME_LEN, when the copy spells it from
 * the next line's: a __pfx_ padding symbol's; "" if not kept) and module
 * (NULL: the kernel image).
 */
void kallsyms_copy_line(const struct kallsyms_copy *c, size_t i,
			struct kline *l, char *buf, size_t size);

/*
 * kallsyms_copy_resolve() as the copy was read, never asking the file
 * again: for questions asked before the window.
 */
int kallsyms_copy_resolve_read(const struct kallsyms_copy *c,
			       const unsigned long *addrs, size_t n,
			       struct ksym *syms, const unsigned char *named,
			       const char *const *names, size_t nnames);

/*
 * The copy lists what is loaded now too if the modules are the same and
 * the only BPF programs loaded since it began are the caller's (own, their
 * ids): then it takes them as seen.  0, or -ESTALE.
 */
int kallsyms_copy_restamp(struct kallsyms_copy *c, const unsigned int *own,
			  size_t nown);

/*
 * kallsyms_resolve_named() from a whole copy, with the file itself asked
 * again about the addresses outside the kernel image when modules or BPF
 * programs came and went since the copy began.
 */
int kallsyms_copy_resolve(const struct kallsyms_copy *c,
			  const unsigned long *addrs, size_t n,
			  struct ksym *syms, const unsigned char *named,
			  const char *const *names, size_t nnames);

/* Free what the copy holds; it is then KALLSYMS_COPY_NONE. */
void kallsyms_copy_free(struct kallsyms_copy *c);

/* No copy: every call on it fails with -EBADF. */
#define KALLSYMS_COPY_NONE	{ .fd = -1, .state = -EBADF }

#endif
