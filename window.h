/* SPDX-License-Identifier: GPL-2.0 */
/*
 * window.h - the window: the gate map opens once every probe is attached
 * and closes at the window's end (or Ctrl-C), then the programs still
 * running are waited for, so that "N calls in X s" is exactly the window.
 * Meanwhile /proc/kallsyms is copied, to name the stacks at once.
 */
#ifndef SHOW_BT_WINDOW_H
#define SHOW_BT_WINDOW_H

#include <signal.h>

#include "kallsyms.h"
#include "options.h"
#include "probes.h"
#include "prog.h"

/*
 * Hits the kernel skipped, by who skipped them; -1 where this kernel does
 * not count them.  The BPF recursion guard: a hit made while a BPF program
 * was already running on that CPU (in the program's info since Linux
 * 6.7).  The kprobe: a hit made while a kprobe handler was already running
 * on that CPU, such as an interrupt during a hit (in a perf-event link's
 * info since 6.7; PERF_EVENT_IOC_SET_BPF gives no way to read it).
 */
struct skips {
	long long recursion;
	long long kprobe;
};

/*
 * Open the gate, say "tracing ...", wait opts->duration or for Ctrl-C,
 * close the gate and wait for the programs in flight.  *seconds: the
 * window's length; *skipped: the window's skips; ksyms: the copy of
 * kallsyms made meanwhile (or none).  Returns 0 or -errno once said.
 */
int window_watch(const struct options *opts, const struct prog_maps *maps,
		 struct probes *probes, int prog_fd, const char *label,
		 double *seconds, struct skips *skipped,
		 struct kallsyms *ksyms);

/*
 * -i: tick() is called at each interval's end while the gate stays open,
 * with at, the seconds since the window opened, and skipped, the skips
 * since then.  Its nonzero return ends the window, as Ctrl-C does.  The
 * window's own end is no tick: the caller reads the last interval after
 * window_watch_ticks() returns, the gate closed.
 */
struct window_ticks {
	int (*tick)(void *arg, double at, const struct skips *skipped);
	void *arg;
};

/* window_watch() with a tick every opts->interval seconds (ticks NULL:
 * none). */
int window_watch_ticks(const struct options *opts,
		       const struct prog_maps *maps, struct probes *probes,
		       int prog_fd, const char *label, double *seconds,
		       struct skips *skipped, struct kallsyms *ksyms,
		       const struct window_ticks *ticks);

/* end less start, where both are counted: what was skipped between. */
void skips_since(struct skips *end, const struct skips *start);

/* Every skip counted: their sum; else -1. */
long long skips_total(const struct skips *s);

/* SIGINT and SIGTERM: blocked during a run, they end the window. */
void stop_signals(sigset_t *set);

#endif
