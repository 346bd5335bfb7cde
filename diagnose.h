/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diagnose.h - why the kernel refused a probe, or would: the one line a
 * failed run or --check prints, with its evidence.
 *
 * The evidence is what the kernel lists (the run's view, kview.h):
 * kallsyms for what a name is (__init code, data, an absolute symbol,
 * clones, close names, several functions), the kprobe blacklist, the
 * functions ftrace can trace, and the sysctls that switch kprobes,
 * ftrace and perf events off.  The checks made before a probe is tried
 * (NAME@ADDR, NAME+OFFSET, kprobes and ftrace usable) live here too:
 * each returns 0 or a negative errno with its line in err.
 */
#ifndef SHOW_BT_DIAGNOSE_H
#define SHOW_BT_DIAGNOSE_H

#include <stddef.h>

#include "kview.h"
#include "targets.h"

/*
 * The kprobe PMU's type, or a negative errno with why kprobes cannot be
 * used: no kprobe support, kprobes switched off, or (x86) ftrace
 * switched off.
 */
int diag_kprobes_usable(struct kview *kv, char *err, size_t size);

/* 0, or -EPERM when ftrace is switched off (kprobe_multi links need it). */
int diag_ftrace_usable(struct kview *kv, char *err, size_t size);

/* NAME@ADDR must name one of NAME's own addresses: 0, or -errno. */
int diag_check_addr(struct kview *kv, const struct target *t, char *err,
		    size_t size);

/*
 * NAME+OFFSET must stay inside NAME (and, on arm64, on an instruction):
 * 0, or -ERANGE, -EILSEQ or -ENOMEM.
 */
int diag_check_offset(struct kview *kv, const struct target *t, char *err,
		      size_t size);

/* Why the kernel refused a kprobe on t with errno -e, with the evidence. */
void diag_reason(struct kview *kv, const struct target *t, int e, char *buf,
		 size_t size);

/* "cannot probe NAME: why", the one line a failed run prints. */
void diag_explain(struct kview *kv, const struct target *t, int e,
		  char *err, size_t size);

#endif
