/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kallsyms_oracle.h - the tests' reference reading of /proc/kallsyms: one
 * pass over the file, line by line, keeping only what was asked about,
 * with ksym.h's rules.  kallsyms.c's in-memory index must answer every
 * question as these do (test_kallsyms_copy, the kallsyms fuzz target).
 */
#ifndef SHOW_BT_KALLSYMS_ORACLE_H
#define SHOW_BT_KALLSYMS_ORACLE_H

#include "../../ksym.h"

/*
 * For each of addrs[0..n) (sorted ascending), the function containing it:
 * the text symbol with the greatest start at or below it, in syms[i].  An
 * address past _etext or another section marker (ksym_is_marker()), in a
 * data symbol, or past the end of the file's highest symbol (the end of
 * the page after its start, as perf has it) gets addr 0.  Of several names
 * at one start, the best by one rule (ksym_alias_better()):
 * a function over a section marker, then global ('T') over weak ('W', 'w')
 * over local ('t'), then fewer leading underscores, then the shorter, then
 * the first in strcmp() order; never the order of the file.
 * Returns 0, -errno, or -EACCES when every address in the file reads as
 * zero (kernel.kptr_restrict hides them).
 */
int oracle_resolve(const char *path, const unsigned long *addrs, size_t n,
		   struct ksym *syms);

/*
 * oracle_resolve() for addresses in any order (repeats allowed), still
 * one pass, with a say in the names: an address whose named[i] is set gets
 * one of names[0..nnames) (any order, repeats allowed) when that name is a
 * text symbol at the start of its function (of several, the best by the
 * rule above), whatever other names the function has there.  show_bt
 * names frame 0 after the function it traced this way.  named may be NULL.
 */
int oracle_resolve_named(const char *path, const unsigned long *addrs,
			 size_t n, struct ksym *syms, const unsigned char *named,
			 const char *const *names, size_t nnames);

/*
 * What the kernel has under name, and when it has no such function, up to
 * KSYM_SUGGESTIONS text symbols with close names, closest first.  Returns
 * 0, -errno, or -EACCES when the name is there but every address in the
 * file reads as zero (kernel.kptr_restrict).
 */
int oracle_lookup_name(const char *path, const char *name,
			 struct ksym_name_info *info);

/*
 * For each of names[0..n) (sorted; repeats allowed), how many text symbols
 * have that name (counts[i]) and the address of the first (addrs[i]).
 * Returns 0, -errno, or -EACCES when every address reads as zero.
 */
int oracle_addrs(const char *path, const char *const *names, size_t n,
		   unsigned long *addrs, unsigned int *counts);

#endif
