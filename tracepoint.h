/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracepoint.h - the kernel's tracepoints as probe points: found in
 * tracefs (events/CATEGORY/NAME/id), attached the card's way
 * (perf_event_open with PERF_TYPE_TRACEPOINT and that id, then
 * PERF_EVENT_IOC_SET_BPF), each running a program of its own whose tag
 * becomes frame 0 of its stacks (prog.h: PROG_TAG_MAX).
 *
 * Tracepoints are the kernel's stable probe points: where a function was
 * inlined, renamed or split into clones, a tracepoint may still mark the
 * place.
 */
#ifndef SHOW_BT_TRACEPOINT_H
#define SHOW_BT_TRACEPOINT_H

#include <stddef.h>
#include <stdio.h>

#include "targets.h"

/* tracefs, and where debugfs has it (kernels before 4.1, or no tracefs). */
#define TRACEFS_EVENTS	"/sys/kernel/tracing/events"
#define DEBUGFS_EVENTS	"/sys/kernel/debug/tracing/events"

/*
 * The events directory, or NULL with *err the reason: -ENOENT where
 * neither tracefs nor debugfs is mounted, -EPERM/-EACCES where the kernel
 * refuses it.
 */
const char *tracepoint_dir(int *err);

/* The id of CATEGORY:NAME (its events/.../id file): > 0, or -errno. */
int tracepoint_id(const char *dir, const char *cat_name);

/*
 * Every tracepoint under dir as "CATEGORY:NAME", sorted, into *names (free
 * with tracepoint_names_free()).  0 or -errno.
 */
int tracepoint_names(const char *dir, char ***names, size_t *n);
void tracepoint_names_free(char **names, size_t n);

/*
 * Up to five tracepoints whose names share words (split at '_', three
 * letters or more; two in common where it has two) with a function's name,
 * most shared first, as
 * "t:CATEGORY:NAME, ..." into buf; "" if none; never a syscalls:
 * tracepoint, which has no kernel frames.  For --check, where a
 * function is inlined or absent.
 */
void tracepoint_related(char *const *names, size_t nnames, const char *func,
			char *buf, size_t size);

/*
 * Add the tracepoints that opts' t: arguments name to p->tps: each glob
 * expanded, each name once.  With opts->check, a name that is no
 * tracepoint stays, with id the negative errno, for its --check line.
 * Returns 0, or a negative errno with one line in err.
 */
int tracepoints_expand(const struct options *opts, struct probes *p,
		       char *err, size_t size);

/*
 * Attach every tracepoint of p with its own program (tp->prog_fd), through
 * perf-event links if p->use_link, else PERF_EVENT_IOC_SET_BPF.  0, or a
 * negative errno with one line in err and none of them left attached.
 */
int tracepoints_attach(struct probes *p, char *err, size_t size);

/* --check: one line per tracepoint, as probes_check() for functions. */
size_t tracepoints_check(struct probes *p, FILE *out);

/* Detach every tracepoint; free them and their programs. */
void tracepoints_detach(struct probes *p);
void tracepoints_free(struct probes *p);

/*
 * The recursion guard's skips in the tracepoints' programs, summed (they
 * count since Linux 6.7, as kprobe programs do).  0 or -errno.
 */
int tracepoints_recursion_missed(const struct probes *p,
				 unsigned long long *missed);

#endif
