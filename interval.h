/* SPDX-License-Identifier: GPL-2.0 */
/*
 * interval.h - -i: the window in intervals.  At each interval's end the
 * maps are read while the gate stays open, and what was counted since the
 * last read is printed: the maps' counters only grow, so each call lands
 * before or after the read of its counter, in exactly one interval.  The
 * last interval ends as a window does (gate closed, programs waited for,
 * then read), so the intervals add up to the run's exact total.
 */
#ifndef SHOW_BT_INTERVAL_H
#define SHOW_BT_INTERVAL_H

#include "kallsyms.h"
#include "options.h"
#include "probes.h"
#include "prog.h"

/*
 * The window of opts->duration (or until Ctrl-C) in intervals of
 * opts->interval, each printed as it ends: "-- HH:MM:SS (interval N, S.SS
 * s)", its end's local time, then its stacks on stdout (-f: folded) and
 * its summary on stderr; --json one line per interval.  Then the run's
 * summary and --svg of the whole run.  EXIT_OK or EXIT_FAIL (said).
 */
int interval_trace(const struct options *opts, const struct prog_maps *maps,
		   struct probes *probes, int prog_fd, const char *label,
		   struct kallsyms *ksyms);

/* The header of interval n, ended at wall (Unix time), of seconds. */
void interval_header(char *buf, size_t size, unsigned int n, double wall,
		     double seconds);

#endif
