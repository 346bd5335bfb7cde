/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json.h - --json: the whole result as one JSON document (RFC 8259).
 *
 * {
 *   "label": "vfs_write",                what the summary line names
 *   "functions": [{"name": "vfs_write", "offset": 0, "address": null}],
 *   "window_seconds": 3.001,
 *   "per_process": false, "pid": null, "depth": null, "per_thread": false,
 *   "summary": {"calls": 21584, "distinct_stacks": 2,
 *               "by_stack_id": 21584, "by_frames": 0, "unreadable": 0,
 *               "lost_map_full": 0, "lost_other": 0,
 *               "skipped_by_kernel": 0},      null before Linux 6.7
 *   "stacks": [{"count": 19584,            most frequent first
 *               "pid": 42, "comm": "sh",     only with -P
 *               "tid": 43, "pid": 42, "comm": "worker",  only with -T
 *                                            (comm: the thread's name)
 *               "frames": [{"address": "0xffffffff8123abcd",
 *                           "name": "vfs_write", "offset": 5,
 *                           "module": null}, ...]}, ...]   innermost first
 * }
 *
 * With -i, one document per interval, each on one line (JSON Lines), with
 * one more member after "window_seconds" (the interval's length):
 *   "interval": {"number": 3, "start": 1765026124.500123, "seconds": 1.000}
 * number counts from 1, start is its start in Unix time (seconds since
 * 1970, UTC), seconds its length, as window_seconds.
 *
 * Addresses are strings ("0x" and hex): 64-bit values do not survive
 * parsers that read numbers as doubles.  A frame kallsyms cannot name has
 * null name, offset and module; "module" is null for the kernel image.
 */
#ifndef SHOW_BT_JSON_H
#define SHOW_BT_JSON_H

#include <stdio.h>

#include "export.h"

/*
 * s as a JSON string, quotes included.  Valid UTF-8 is copied; quotes,
 * backslashes, control characters, DEL, U+2028 and U+2029 are escaped
 * (\u00XX or the short forms); a byte that is not part of valid UTF-8
 * becomes U+FFFD, so any bytes give a valid document.
 */
void json_put_string(FILE *out, const char *s);

/* The document for set, as the text output printed it.  Returns 0 or -EIO. */
int json_write(FILE *out, const struct stack_set *set,
	       const struct symtab *tab, const struct export_info *info);

/*
 * json_write() on one line, for JSON Lines (-i): the document's newlines
 * and the indentation after them left out (a string holds none: they are
 * escaped), one newline at the end.  Returns 0, -ENOMEM or -EIO.
 */
int json_write_line(FILE *out, const struct stack_set *set,
		    const struct symtab *tab, const struct export_info *info);

#endif
