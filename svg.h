/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svg.h - --svg: a flame graph, written by show_bt itself.
 *
 * The stacks are merged into a tree of frames, root at the bottom: each
 * frame is a box as wide as the calls that went through it, its callees
 * stacked on it, left to right by name (with -P a tower per process, by
 * pid).  Each box is a <g> holding a <title> (the full name, the count and
 * the share: the tooltip), a <rect> and a <text>; a callee's <g> is nested
 * in its caller's, so the tree is the document's own structure.  Frames
 * narrower than 1/FLAME_MIN_SHARE of all calls are not drawn, but their
 * calls stay in their caller's box and count.  One file, no script, no
 * external reference.
 */
#ifndef SHOW_BT_SVG_H
#define SHOW_BT_SVG_H

#include <stdio.h>

#include "export.h"

#define FLAME_MIN_SHARE	1000	/* under 0.1% of the calls: elided */

enum flame_kind {
	FLAME_ROOT,		/* "all": every call */
	FLAME_PROCESS,		/* -P: "COMM (pid PID)"; -T: "COMM (tid TID
				 * of pid PID)", pid then the thread's */
	FLAME_FRAME,		/* "func" or "func [module]" or "0xaddr" */
	FLAME_LOST,		/* "[stack unreadable]" and the like */
};

struct flame_node {
	char *name;
	enum flame_kind kind;
	unsigned int pid;		/* FLAME_PROCESS */
	unsigned long long count;	/* calls through this frame */
	struct flame_node *kids;	/* callees, sorted */
	size_t nkids, cap;
};

/*
 * The tree of set: frames named as the text output names them, offsets
 * dropped, each stack root first, merged by name.  per_process: 0, 1
 * (-P: a tower per process) or FLAME_SPLIT_THREAD (-T: a tower per
 * thread).  Returns 0 or -ENOMEM; flame_free() releases it either way.
 */
#define FLAME_SPLIT_THREAD	2
int flame_build(struct flame_node *root, const struct stack_set *set,
		const struct symtab *tab, int per_process);
void flame_free(struct flame_node *root);

/* Whether n gets a box in a graph of total calls. */
int flame_visible(const struct flame_node *n, unsigned long long total);

/*
 * s as XML character data, at most max characters (0: all) and ".." when
 * cut.  &, <, >, " and ' become references; what XML 1.0 cannot hold
 * (control characters, U+FFFE, U+FFFF, bytes that are not UTF-8) becomes
 * U+FFFD.
 */
void xml_put(FILE *out, const char *s, size_t max);

/* The flame graph of set, as the text output printed it.  0 or -EIO. */
int svg_write(FILE *out, const struct stack_set *set,
	      const struct symtab *tab, const struct export_info *info);

#endif
