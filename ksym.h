/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksym.h - what one line of /proc/kallsyms says, and the rules that name
 * an address by those lines: which symbols can hold code, which of several
 * names at one address is the one to print, what is padding or a section
 * marker, which names are close to a mistyped one.  kallsyms.c applies
 * them to the whole file; the tests' one-pass oracle applies them alike.
 */
#ifndef SHOW_BT_KSYM_H
#define SHOW_BT_KSYM_H

#include <stddef.h>
#define KSYM_NAME_LEN	512	/* the kernel's limit, NUL included */
#define KSYM_MODULE_MAX	64	/* the kernel's MODULE_NAME_LEN */

/* The type of a name that is no symbol: a tracepoint's tag (symtab.h). */
#define KSYM_TYPE_TAG	'@'

struct ksym {
	unsigned long addr;	/* the symbol's start, 0 if none found */
	char type;		/* nm-style type: 't', 'T', 'd', ... */
	char name[KSYM_NAME_LEN];
	char module[KSYM_MODULE_MAX];	/* "" for the kernel image */
};

/*
 * One line of the file, "ffffffff81234560 T vfs_write" or "... t f\t[mod]",
 * as kline_parse() splits it in place: name and module point into it
 * (module NULL for the kernel image).  A line longer than KLINE_MAX is no
 * symbol line; the readers skip it whole.
 */
struct kline {
	unsigned long addr;
	char type;
	const char *name;
	const char *module;
};

#define KLINE_MAX	(KSYM_NAME_LEN + KSYM_MODULE_MAX + 63)

/* Split line s in place; -1 when it is not a symbol line. */
int kline_parse(char *s, struct kline *l);

/* Whether an nm-style type is a text (code) symbol's: t, T, w, W. */
int ksym_is_text(char type);

/*
 * Whether a symbol can contain an address, for the resolver: not absolute
 * (a, A), undefined (U) or at 0 (addresses hidden).
 */
int ksym_is_placed(char type, unsigned long addr);

/*
 * The resolver's rules: whether name a (of type ta) is a better name
 * than b for one address (a function over a section marker, then global
 * ('T') over weak ('W', 'w') over local ('t'), then fewer leading
 * underscores, then the shorter, then the first in strcmp() order; never
 * the order of the file: see alias_rank() in ksym.c);
 * whether a name is a section marker (_etext, __entry_text_start, ...),
 * not a function, so that an address it contains is in no function;
 * where the highest symbol of the file ends (the end of the page after the
 * one it starts in, as perf has it).
 */
int ksym_alias_better(char ta, const char *a, char tb, const char *b);
int ksym_is_marker(const char *name);
/*
 * Whether a name is the padding before a function (__pfx_NAME, __cfi_NAME:
 * nops and traps that never run, there for call thunks and CFI).
 */
int ksym_is_padding(const char *name);
/*
 * Whether a name is a return trampoline (kretprobe_trampoline,
 * arch_rethook_trampoline, return_to_handler, ...): its first byte stands
 * on a stack as a return address that no call made.  0, or 1 + which of
 * them (below KSYM_TRAMPOLINES_MAX).
 */
int ksym_is_return_trampoline(const char *name);
#define KSYM_TRAMPOLINES_MAX	8
unsigned long ksym_last_end(unsigned long last);

#define KSYM_SUGGESTIONS 3
#define KSYM_ADDRS_MAX	64

struct ksym_name_info {
	unsigned int text;	/* text symbols of that name (t, T, w, W) */
	unsigned int other;	/* non-text symbols of that name (data ...) */
	char other_type;	/* the type of one of those */
	unsigned long init_start, init_end; /* _sinittext, _einittext */
	unsigned int clones;	/* text symbols named NAME.something */
	char clone[KSYM_NAME_LEN];	/* one of them */
	unsigned int naddrs;	/* addresses of the text symbols, up to: */
	unsigned long addrs[KSYM_ADDRS_MAX];
	unsigned int nsuggest;
	char suggest[KSYM_SUGGESTIONS][KSYM_NAME_LEN];	/* close text names */
};

/*
 * Close names for a name that is no function, as kallsyms_lookup()
 * gives them: up to KSYM_SUGGESTIONS text names in info->suggest, closest
 * first (by edit distance, at most a third of the name and at least 2;
 * then the shorter; then strcmp() order), the same whatever the order the
 * candidates come in.  Offer each candidate other than name itself.
 */
struct ksym_suggester {
	const char *name;
	unsigned int limit;
	unsigned int dist[KSYM_SUGGESTIONS];
};
void ksym_suggest_init(struct ksym_suggester *s, const char *name);
void ksym_suggest(struct ksym_suggester *s, struct ksym_name_info *info,
		  const char *cand);

/* "%s+0x%lx" or "%s+0x%lx [%s]" for addr in sym, or the bare hex address. */
void ksym_format(char *buf, size_t size, unsigned long addr,
		 const struct ksym *sym);

#endif
