// SPDX-License-Identifier: GPL-2.0
/*
 * show_bt - show where in the kernel a function gets called from.
 *
 * The story of a run: parse the options, resolve the functions, load a
 * hand-assembled BPF program that counts kernel stacks, attach it to a
 * kprobe on each function, wait, detach, read the stacks and counts back
 * from the BPF maps, print them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "export.h"
#include "filters.h"
#include "interval.h"
#include "load.h"
#include "msg.h"
#include "options.h"
#include "preflight.h"
#include "probes.h"
#include "report.h"
#include "targets.h"
#include "window.h"

#define VERSION "0.2"

/* What a run does: one of these, from the options. */
enum mode {
	MODE_HELP,	/* -h: the usage */
	MODE_VERSION,	/* --version */
	MODE_DUMP,	/* --dump: the program as text, no kernel asked */
	MODE_XLATED,	/* --xlated alone: load, show the kernel's rewrite */
	MODE_CHECK,	/* --check: can each function be traced? */
	MODE_TRACE,	/* the window: attach, watch, report */
};

static enum mode run_mode(const struct options *opts);
static int run(const struct options *opts, enum mode mode);
static int trace_intervals(const struct options *opts,
			   const struct prog_maps *maps, struct probes *probes,
			   int prog_fd, struct prog *prog,
			   struct kallsyms *ksyms);
static int flush_output(int ret);

int main(int argc, char **argv)
{
	struct options opts;
	char why[1024];
	int ret;

	if (check_stdio())
		return EXIT_FAIL;
	if (options_parse(argc, argv, &opts, why, sizeof(why))) {
		err_msg("%s", why);
		options_free(&opts);
		return EXIT_USAGE;
	}
	switch (run_mode(&opts)) {
	case MODE_HELP:
		options_usage(stdout);
		ret = flush_output(EXIT_OK);
		break;
	case MODE_VERSION:
		printf("show_bt %s\n", VERSION);
		ret = flush_output(EXIT_OK);
		break;
	case MODE_DUMP:
		ret = flush_output(dump_program(&opts));
		break;
	default:
		ret = run(&opts, run_mode(&opts));
	}
	options_free(&opts);
	return ret;
}

/*
 * The story of a run that asks the kernel: resolve the functions, load the
 * program (--xlated shows it), then check each function or trace them all.
 */
static int run(const struct options *opts, enum mode mode)
{
	struct probes probes = { 0 };
	struct kfeatures feat;
	struct prog_maps maps;
	struct prog prog;
	char why[1024], label[64];
	int prog_fd = -1, ret = EXIT_FAIL;
	struct kallsyms ksyms = KALLSYMS_NONE;
	struct skips skipped;
	double window;
	sigset_t stop;

	prog_maps_init(&maps);
	kfeatures_probe(&feat);
	if (check_kernel(&feat) || check_pid(opts->pid) ||
	    filters_check(opts) ||
	    (mode == MODE_TRACE && export_check(opts)))
		goto out;
	if (targets_expand(opts, &probes, why, sizeof(why))) {
		err_msg("%s", why);
		goto out;
	}
	probes.feat = feat;
	if (attach_choose(opts, &probes))
		goto out;

	/* From here Ctrl-C only ends the window: the output still comes. */
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	/* A closed pipe shows as EPIPE when the output is written. */
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();

	prog_fd = load_program(opts, &maps, &prog, &probes);
	if (prog_fd < 0)
		goto out;
	switch (mode) {
	case MODE_CHECK:
		ret = probes_check(&probes, prog_fd, stdout) ? EXIT_FAIL :
							       EXIT_OK;
		break;
	case MODE_TRACE:
		if (opts->interval) {
			ret = trace_intervals(opts, &maps, &probes, prog_fd,
					      &prog, &ksyms);
			break;
		}
		if (attach_probes(&probes, prog_fd, &prog, opts, label,
			   sizeof(label)) ||
		    window_watch(opts, &maps, &probes, prog_fd, label, &window,
			  &skipped, &ksyms))
			break;
		ret = report_stacks(opts, &maps, &probes, label, window, &skipped,
			     &ksyms);
		probes_detach(&probes);
		break;
	default:			/* --xlated alone: printed by load_program() */
		ret = EXIT_OK;
	}
out:
	kallsyms_free(&ksyms);
	probes_free(&probes);
	if (prog_fd >= 0)
		close(prog_fd);
	prog_maps_close(&maps);
	return ret;
}

/* -i: attach, then the window interval by interval (interval.h). */
static int trace_intervals(const struct options *opts,
			   const struct prog_maps *maps, struct probes *probes,
			   int prog_fd, struct prog *prog,
			   struct kallsyms *ksyms)
{
	char label[64];
	int ret;

	if (attach_probes(probes, prog_fd, prog, opts, label, sizeof(label)))
		return EXIT_FAIL;
	ret = interval_trace(opts, maps, probes, prog_fd, label, ksyms);
	probes_detach(probes);
	return ret;
}

static enum mode run_mode(const struct options *opts)
{
	if (opts->help)
		return MODE_HELP;
	if (opts->version)
		return MODE_VERSION;
	if (opts->dump)
		return MODE_DUMP;
	if (opts->check)
		return MODE_CHECK;
	return opts->nfuncs ? MODE_TRACE : MODE_XLATED;
}

/* --help, --version, --dump: their output must get out too. */
static int flush_output(int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	err_msg("cannot write the output: %s", strerror(errno));
	return EXIT_FAIL;
}
