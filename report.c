// SPDX-License-Identifier: GPL-2.0
/*
 * report.c - the report: the maps read back, the frames named, the stacks
 * printed (and exported), then the summary of how every call was counted;
 * see report.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "export.h"
#include "load.h"
#include "msg.h"
#include "output.h"
#include "report.h"

static void symbols(struct symtab *tab, const struct stack_set *set,
		    const struct probes *probes, struct kallsyms *ksyms);
static int print_stacks(const struct stack_set *set, const struct symtab *tab,
			const struct options *opts);
static int any_tracepoint(const struct options *opts)
{
	size_t i;

	for (i = 0; i < opts->nfuncs; i++)
		if (opts->funcs[i].tracepoint)
			return 1;
	return 0;
}

static void print_summary(const char *label, const struct options *opts,
			  const struct stack_set *set, double seconds,
			  const struct skips *skipped);
static void print_skipped(const struct skips *s);
static void name_tracepoints(struct symtab *tab, const struct probes *probes);
static void print_may_miss(const struct probes *probes,
			   const struct skips *skipped);

/* Read the maps back, print the stacks and the summary. */
int report_stacks(const struct options *opts, const struct prog_maps *maps,
		  const struct probes *probes, const char *label,
		  double window, const struct skips *skipped,
		  struct kallsyms *ksyms)
{
	struct stack_set set;
	struct symtab tab;
	int err, ret = EXIT_FAIL;

	err = stackmap_read(maps, &set);
	if (err) {
		err_msg("cannot read the BPF maps: %s", strerror(-err));
		return EXIT_FAIL;
	}
	probes_frame0(probes, &set);	/* the link's as a kprobe's */
	if (opts->depth)
		stack_set_truncate(&set, opts->depth);
	symbols(&tab, &set, probes, ksyms);
	if (print_stacks(&set, &tab, opts) == 0)
		ret = EXIT_OK;
	if (export_write(opts, probes, &set, &tab, label, window,
			 skips_total(skipped)))
		ret = EXIT_FAIL;
	symtab_free(&tab);
	msg_timing("output_done");
	report_end(opts, maps, probes, label, &set, window, skipped);
	stack_set_free(&set);
	return ret;
}

void report_end(const struct options *opts, const struct prog_maps *maps,
		const struct probes *probes, const char *label,
		const struct stack_set *set, double window,
		const struct skips *skipped)
{
	print_summary(label, opts, set, window, skipped);
	print_skipped(skipped);
	print_may_miss(probes, skipped);
	if (maps->depth < PROG_MAX_DEPTH)
		err_msg("note: kernel.perf_event_max_stack is %u: deeper stacks were cut to their %u innermost frames",
			maps->depth, maps->depth);
}

void report_summary(const char *label, const struct options *opts,
		    const struct stack_set *set, double seconds,
		    const struct skips *skipped)
{
	print_summary(label, opts, set, seconds, skipped);
}

/*
 * The symbols of every frame, from the copy of /proc/kallsyms the window
 * made (finished first if the window was short), or else from a copy made
 * now; frame 0 under the name that was traced where several names
 * share its address.  A table that cannot be read leaves raw addresses,
 * with a note.
 */
static void symbols(struct symtab *tab, const struct stack_set *set,
		    const struct probes *probes, struct kallsyms *ksyms)
{
	report_symbols(tab, set, probes, ksyms);
	kallsyms_free(ksyms);
}

/*
 * symbols() that keeps the copy, for the next interval (-i): only a
 * module or BPF program loaded since it began sends a name to the file
 * again (kallsyms_resolve()).
 */
void report_symbols(struct symtab *tab, const struct stack_set *set,
		    const struct probes *probes, struct kallsyms *ksyms)
{
	const char **traced = calloc(probes->ntargets + 1, sizeof(*traced));
	size_t i, n = probes->ntargets;
	int err;

	memset(tab, 0, sizeof(*tab));
	if (!traced) {
		err_msg("cannot name the frames (out of memory): printing raw addresses");
		return;
	}
	for (i = 0; i < n; i++)
		traced[i] = probes->targets[i].name;
	if (set->n && !ksyms->state && !kallsyms_finish(ksyms))
		msg_timing("kallsyms_copied");	/* after a short window */
	if (set->n && ksyms->state == 1) {
		kallsyms_bpf_now(ksyms, bpf_prog_last_id());
		err = symtab_build_copied(tab, set, ksyms, traced, n);
	} else {
		err = symtab_build_traced(tab, set, KALLSYMS_PATH, traced, n);
	}
	free(traced);
	name_tracepoints(tab, probes);
	if (err == -EACCES)
		err_msg("%s shows every address as zero (kernel.kptr_restrict, or not root): printing raw addresses",
			KALLSYMS_PATH);
	else if (err)
		err_msg("cannot read %s (%s): printing raw addresses",
			KALLSYMS_PATH, strerror(-err));
}

/* Frame 0 of a tracepoint's stacks: tracepoint:CATEGORY:NAME. */
static void name_tracepoints(struct symtab *tab, const struct probes *probes)
{
	char **names = calloc(probes->ntps + 1, sizeof(*names));
	size_t i;

	for (i = 0; names && i < probes->ntps; i++)
		if (asprintf(&names[i], "tracepoint:%s",
			     probes->tps[i].name) < 0)
			names[i] = NULL;
	for (i = 0; names && i < probes->ntps && names[i]; i++)
		;
	if (names && i == probes->ntps)
		symtab_name_tags(tab, (const char *const *)names, i);
	for (i = 0; names && i < probes->ntps; i++)
		free(names[i]);
	free(names);
}

/* Print the stacks; only a failure to write the output is an error. */
static int print_stacks(const struct stack_set *set, const struct symtab *tab,
			const struct options *opts)
{
	struct output_style style = {
		opts->folded, opts->addresses, opts->per_process,
		opts->per_thread
	};

	if (!export_to_stdout(opts))	/* --json - or --svg - */
		output_stacks(stdout, set, tab, &style);
	if (fflush(stdout) || ferror(stdout)) {
		/* A reader that stopped early (| head) is no failure. */
		if (errno == EPIPE)
			return 0;
		err_msg("cannot write the output: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

static void print_summary(const char *label, const struct options *opts,
			  const struct stack_set *set, double seconds,
			  const struct skips *skipped)
{
	char skip[192];

	const __u64 *l = set->lost;
	unsigned long long lost = l[LOST_UNREADABLE] + l[LOST_MAP_FULL] +
				  l[LOST_OTHER];

	if (skips_total(skipped) >= 0)
		snprintf(skip, sizeof(skip), "%lld", skips_total(skipped));
	else if (skipped->recursion >= 0)
		snprintf(skip, sizeof(skip),
			 "%lld, and maybe more that --attach ioctl cannot count (the kprobes' own skips; --attach link counts them)",
			 skipped->recursion);
	else
		snprintf(skip, sizeof(skip),
			 "maybe some, which this kernel cannot count (Linux 6.7 and later can)");
	err_msg("%s: %llu call%s in %.2f s, %zu distinct stack%s; counted by stack id %llu, by frames %llu%s, unreadable %llu, lost %llu (map full %llu, other %llu); skipped by the kernel %s",
		label, (unsigned long long)set->calls,
		set->calls == 1 ? "" : "s", seconds, set->n,
		set->n == 1 ? "" : "s", (unsigned long long)set->by_id,
		(unsigned long long)set->by_frames,
		opts->per_process ? " (per process)" :
		opts->per_thread ? " (per thread)" :
		opts->interval ? " (with -i, every stack)" :
		arm64_entry(opts) ? " (arm64 entry: x30 as frame 1)" :
		any_tracepoint(opts) ? " (every tracepoint's, and any stack map collisions)" :
		set->by_frames ? " (stack map collisions)" : "",
		(unsigned long long)l[LOST_UNREADABLE],
		lost - l[LOST_UNREADABLE],
		(unsigned long long)l[LOST_MAP_FULL],
		(unsigned long long)l[LOST_OTHER], skip);
	if (opts->pid && kill(opts->pid, 0) < 0 && errno == ESRCH)
		err_msg("process %d exited during the window", opts->pid);
}

static void print_skipped(const struct skips *s)
{
	if (s->recursion > 0)
		err_msg("warning: the kernel skipped %lld hit%s made while a BPF program or map operation was running on the same CPU (its recursion guard); %s not in the counts above",
			s->recursion, s->recursion == 1 ? "" : "s",
			s->recursion == 1 ? "it is" : "they are");
	if (s->kprobe > 0)
		err_msg("warning: the probes skipped %lld hit%s made while a kprobe handler was already running on the same CPU (an interrupt during a hit, or tracing code); %s not in the counts above",
			s->kprobe, s->kprobe == 1 ? "" : "s",
			s->kprobe == 1 ? "it is" : "they are");
}

/*
 * Hits in BPF and tracing code made while a kprobe handler runs are
 * skipped by the kprobe itself: where show_bt cannot read that count,
 * say so for such functions (any function may lose hits made from an
 * interrupt during a hit: the summary says that).
 */
static void print_may_miss(const struct probes *probes,
			   const struct skips *skipped)
{
	size_t i, n = 0;

	if (skipped->kprobe >= 0)
		return;
	for (i = 0; i < probes->ntargets; i++)
		n += target_may_miss(probes->targets[i].name);
	if (n == 1 && probes->ntargets == 1)
		err_msg("warning: %s is BPF or tracing code: its hits made while a kprobe or BPF program was running on the same CPU were skipped, and not all such skips are counted",
			probes->targets[0].name);
	else if (n)
		err_msg("warning: %zu of the functions are BPF or tracing code: their hits made while a kprobe or BPF program was running on the same CPU were skipped, and not all such skips are counted",
			n);
}
