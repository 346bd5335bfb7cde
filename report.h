/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.h - the report: read the maps back (stackmap.h), name every
 * frame (symtab.h), print the stacks on stdout (output.h) and export them
 * (--json, --svg), then the summary line on stderr: how every call was
 * counted, and what the kernel skipped.
 */
#ifndef SHOW_BT_REPORT_H
#define SHOW_BT_REPORT_H

#include "kallsyms_copy.h"
#include "options.h"
#include "probes.h"
#include "prog.h"
#include "window.h"

/* EXIT_OK, or EXIT_FAIL when the maps or the output failed (said). */
int report_stacks(const struct options *opts, const struct prog_maps *maps,
		  const struct probes *probes, const char *label,
		  double window, const struct skips *skipped,
		  struct kallsyms_copy *ksyms);

#endif
