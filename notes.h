/* SPDX-License-Identifier: GPL-2.0 */
/*
 * notes.h - what a successful attach has to say, worded.
 *
 * Attaching leaves data in struct probes (probes.h): counts, the target
 * concerned and the kernel's errno.  The words are made here, where they
 * are said: on stderr after a run's attach, in a --check line.
 */
#ifndef SHOW_BT_NOTES_H
#define SHOW_BT_NOTES_H

#include <stddef.h>

struct probes;
struct shared_refusal;

/*
 * Every note of an attach on stderr (err_msg()), one line each: the link
 * refused, pattern matches refused, names merged, shared names.
 */
void notes_say(struct probes *p);

/*
 * "NAME names N functions, and the kernel refused a kprobe on M of them,
 * such as NAME@ADDR (why); NAME@ADDR took one", into buf.
 */
void notes_shared(const struct shared_refusal *s, char *buf, size_t size);

#endif
