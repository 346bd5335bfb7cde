/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms.h - show_bt's one symbol resolver: /proc/kallsyms kept in
 * memory and indexed, answering names to addresses and addresses to names
 * for expansion, --check, --xlated and the output alike.
 *
 * kallsyms_read.c reads the file into a struct kallsyms, whole at once
 * (kallsyms_read_all()) or a read() at a time between two looks at the
 * clock (kallsyms_start(), kallsyms_step()): the kernel lists its symbols
 * slowly, 0.5 to 1 s for Debian 6.12's 167,000 lines under emulation,
 * tens of ms natively, so show_bt reads them while the window runs and
 * the output need not wait.  It keeps what naming needs: every line's
 * address (the low half; the high one by runs) and type, the names (a
 * __pfx_ padding symbol's is its function's, so not kept twice), the
 * modules by runs: 2.5 MiB for 6.12's 166,583 lines.  A copy read a step
 * at a time leaves out the lines the resolver ignores ('A', 'U', address
 * 0) and the names of data symbols.  kallsyms.c answers from it, by the
 * rules of ksym.h: the address index is binary searches over the runs of
 * lines in address order; the names index, of a copy read whole, a hash.
 *
 * What was loaded after the copy began is not in it: a module or a BPF
 * program loaded during the window.  The copy notes /proc/modules itself;
 * of BPF programs, which only the bpf() syscall lists, the caller tells
 * it (bpf_prog_last_id(), bpf.h): the symbol code makes no bpf() call.
 * kallsyms_resolve() then reads the file again for the addresses the
 * copy did not place in the kernel image.
 */
#ifndef SHOW_BT_KALLSYMS_H
#define SHOW_BT_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

#include "ksym.h"

#define KALLSYMS_PATH		"/proc/kallsyms"
#define KALLSYMS_MODULES_PATH	"/proc/modules"

/* A run of lines that share something: from line `from` on. */
struct kcopy_run {
	size_t from;
	uint32_t value;
};

struct kallsyms {
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
	 * The names index (a copy read whole): per line the next of its
	 * hash bucket, + 1, and each bucket's first line, + 1; the init
	 * range (the first _sinittext and _einittext of the file).
	 */
	unsigned int *next;
	unsigned int *buckets;
	size_t nbuckets;		/* a power of two */
	unsigned long init_start, init_end;
	/*
	 * The entry text's bounds: the one text symbol of each name, or 0
	 * when it is missing or there twice (the counts).
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
	unsigned int bpf_id;		/* the caller's highest BPF program */
	unsigned int bpf_now;		/* id: when it began, and now */
};

/* ---- kallsyms_read.c: the file into memory ---- */

/*
 * Begin a copy of the file at path: note its modules and open it.  bpf_id
 * is the highest BPF program id now (bpf_prog_last_id()).  Returns 0 or
 * -errno (c is then no copy).
 */
int kallsyms_start(struct kallsyms *c, const char *path,
		   const char *modules_path, unsigned int bpf_id);

/*
 * One read() on (64 KiB at most; the kernel gives about 4 KiB): 1 once
 * the file is whole and indexed, 0 while there is more, -errno when it
 * failed (the copy is then useless: free it).
 */
int kallsyms_step(struct kallsyms *c);

/* Read to the end: 0, or -errno. */
int kallsyms_finish(struct kallsyms *c);

/*
 * Line i (of c->n, in the file's order) of a whole copy: its address,
 * type, name (in buf, size KSYM_NAME_LEN, when the copy spells it from
 * the next line's: a __pfx_ padding symbol's; "" if not kept) and module
 * (NULL: the kernel image).
 */
void kallsyms_line(const struct kallsyms *c, size_t i, struct kline *l,
		   char *buf, size_t size);
unsigned long kallsyms_line_addr(const struct kallsyms *c, size_t i);

/* A hash of the modules loaded (path: /proc/modules), their names and
 * addresses: the stamp a copy compares. */
uint64_t kallsyms_modules_stamp(const char *path);

/* Free what the copy holds; it is then KALLSYMS_NONE. */
void kallsyms_free(struct kallsyms *c);

/* No copy: every call on it fails with -EBADF. */
#define KALLSYMS_NONE	{ .fd = -1, .state = -EBADF }

/* ---- kallsyms.c: the answers ---- */

/*
 * Free the names index of a copy read whole, for a holder that asks of
 * addresses only: kallsyms_addrs() and kallsyms_lookup() then find nothing.
 */
void kallsyms_names_free(struct kallsyms *c);

/*
 * The whole file at once, every line and every name kept, indexed by
 * name too (what expansion and --check ask): 0, or -errno (c is then no
 * copy).  It answers kallsyms_resolve() as a window's copy does.
 */
int kallsyms_read_all(struct kallsyms *c, const char *path,
		      const char *modules_path, unsigned int bpf_id);

/*
 * For each of addrs[0..n) (any order, repeats allowed), the function
 * containing it: the text symbol with the greatest start at or below it,
 * in syms[i].  An address past _etext or another section marker
 * (ksym_is_marker()), in a data symbol, or past the end of the file's
 * highest symbol (the end of the page after its start, as perf has it)
 * gets addr 0.  Of several names at one start, the best by
 * ksym_alias_better(), never the order of the file.  An address whose
 * named[i] is set gets one of names[0..nnames) (any order, repeats
 * allowed) when that name is a text symbol at the start of its function
 * (of several, the best by the rule), whatever other names the function
 * has there: show_bt names frame 0 after the function it traced this
 * way.  named may be NULL.  As the copy was read, never asking the file
 * again.  Returns 0, -errno, or -EACCES when every address in the file
 * reads as zero (kernel.kptr_restrict hides them).
 */
int kallsyms_resolve_read(const struct kallsyms *c,
			  const unsigned long *addrs, size_t n,
			  struct ksym *syms, const unsigned char *named,
			  const char *const *names, size_t nnames);

/*
 * The BPF programs the caller sees now (bpf_prog_last_id()).  When they
 * differ from those when the copy began, or the modules do,
 * kallsyms_resolve() reads the file again for the addresses the copy did
 * not place in the kernel image.
 */
void kallsyms_bpf_now(struct kallsyms *c, unsigned int bpf_id);

/*
 * The copy lists what is loaded now too if the modules are the same:
 * then it takes bpf_id (bpf_prog_only_own_since(): the caller's own
 * programs alone were loaded since it began) as seen.  0, or -ESTALE.
 */
int kallsyms_restamp(struct kallsyms *c, unsigned int bpf_id);

/* kallsyms_resolve_read(), with the file read again as said above. */
int kallsyms_resolve(const struct kallsyms *c, const unsigned long *addrs,
		     size_t n, struct ksym *syms, const unsigned char *named,
		     const char *const *names, size_t nnames);

/*
 * Of a copy read whole: how many text symbols are named name (*count)
 * and the first one's address (*addr).  0, or -EACCES when every address
 * in the file reads as zero.
 */
int kallsyms_addrs(const struct kallsyms *c, const char *name,
		   unsigned long *addr, unsigned int *count);

/*
 * Of a copy read whole: what the kernel has under name, its clones
 * (NAME.something, not .cold), the init range, and when it has no such
 * function, up to KSYM_SUGGESTIONS text symbols with close names, closest
 * first.  Returns 0, or -EACCES when the name is there but every address
 * in the file reads as zero (kernel.kptr_restrict).
 */
int kallsyms_lookup(const struct kallsyms *c, const char *name,
		    struct ksym_name_info *info);

#endif
