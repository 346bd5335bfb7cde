/* SPDX-License-Identifier: GPL-2.0 */
/*
 * glob.h - shell wildcards for function and tracepoint names.
 *
 * glob_match() is fnmatch(pattern, name, 0) for the names show_bt
 * matches (kernel symbols and tracefs entries: ASCII).  libc's fnmatch()
 * handles every locale's wide characters, and in musl's static binary
 * it pulled in some 17 KiB of wide-character tables for that.
 */
#ifndef SHOW_BT_GLOB_H
#define SHOW_BT_GLOB_H

/*
 * Whether name matches pattern: '*' any run of characters, '?' any one,
 * [abc], [a-z], [!a-z] (or [^a-z]) and [[:alpha:]]-style classes a set
 * of them, '\' makes the next character plain.  A '[' without its ']'
 * is a plain '['.  Returns 1 or 0.
 */
int glob_match(const char *pattern, const char *name);

#endif
