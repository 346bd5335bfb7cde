/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attach.h - the attach phase: which way the probes go in (the card's
 * PERF_EVENT_IOC_SET_BPF, perf-event BPF links, one kprobe_multi link),
 * then the probes themselves (probes.h does the syscalls), and what the
 * run should be told about them.
 */
#ifndef SHOW_BT_ATTACH_H
#define SHOW_BT_ATTACH_H

#include <stddef.h>

#include "options.h"
#include "probes.h"
#include "prog.h"

/*
 * Choose the attach path from --attach and what the kernel has, into
 * probes->use_multi and use_link: 0, or a negative errno once a path
 * asked for that this kernel lacks is refused.
 */
int attach_choose(const struct options *opts, struct probes *probes);

/*
 * Attach prog_fd to every target (prog: to load it again for perf kprobes
 * beside a link), say what the run should know, and put the summary's
 * label in label: 0, or -1 once the reason is said and nothing is left
 * attached.
 */
int attach_probes(struct probes *probes, int prog_fd,
		  const struct prog *prog, const struct options *opts,
		  char *label, size_t size);

/* What the tracing line says the probes were attached with. */
void attached_with(const struct probes *probes, char *buf, size_t size);

#endif
