/* SPDX-License-Identifier: GPL-2.0 */
/*
 * load.h - the load phase: create the maps, build the program (prog.c's,
 * or the user's with --prog), load it with bpf(); when the verifier
 * refuses, load it again with a log and print the log.  --dump prints the
 * program without asking the kernel; --xlated prints what the kernel made
 * of it.
 */
#ifndef SHOW_BT_LOAD_H
#define SHOW_BT_LOAD_H

#include "options.h"
#include "probes.h"
#include "prog.h"

/*
 * Maps, program, load, for the path attach_choose() chose (a kprobe_multi
 * link's expected attach type, or perf kprobes'); --check on the link's
 * path loads the second program too.  Returns the program's fd, or a
 * negative errno once the reason is said.
 */
int load_program(const struct options *opts, struct prog_maps *maps,
		 struct prog *prog, struct probes *probes);

/*
 * The program again, for perf kprobes beside a kprobe_multi link (without
 * the link's expected attach type): its fd, also in probes->perf_prog.
 */
int load_for_perf(const struct prog *prog, const struct options *opts,
		  struct probes *probes);

/* --dump: the program with stand-in map fds; EXIT_OK or EXIT_FAIL. */
int dump_program(const struct options *opts);

/* The deepest stack the kernel will take (kernel.perf_event_max_stack). */
unsigned int stack_depth(void);

/*
 * arm64, every function probed at its first instruction: the program puts
 * x30 in as frame 1 (prog.h, entry_lr).  Elsewhere 0.
 */
int arm64_entry(const struct options *opts);

/* Whether every FUNCTION argument is a tracepoint (t:CATEGORY:NAME). */
int tracepoints_only(const struct options *opts);

/* Exit statuses, as --help lists them. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

#endif
