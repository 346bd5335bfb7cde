// SPDX-License-Identifier: GPL-2.0
/* interval.c - -i: the window printed interval by interval; see interval.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "interval.h"
#include "json.h"
#include "load.h"
#include "msg.h"
#include "output.h"
#include "report.h"
#include "window.h"

struct intervals {
	const struct options *opts;
	const struct prog_maps *maps;
	const struct probes *probes;
	const char *label;
	struct kallsyms *ksyms;	/* kept from one interval to the next */
	struct stack_set prev;		/* the counters at the last read */
	struct skips prev_skips;	/* the skips then */
	double prev_at;			/* then, in seconds into the window */
	unsigned int n;			/* intervals printed */
	FILE *json;			/* --json: one line per interval */
	int err;			/* a failure, said: exit 1 */
	int gone;			/* stdout's reader left (| head) */
};

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void interval_header(char *buf, size_t size, unsigned int n, double wall,
		     double seconds)
{
	time_t t = (time_t)wall;
	struct tm tm;

	/*
	 * UTC, said so: the local time zone (localtime(), strftime()) cost
	 * 9 KiB of the static binary, whose size is a goal.
	 */
	if (!gmtime_r(&t, &tm))
		snprintf(buf, size, "-- ??:??:?? UTC (interval %u, %.2f s)",
			 n, seconds);
	else
		snprintf(buf, size,
			 "-- %02d:%02d:%02d UTC (interval %u, %.2f s)",
			 tm.tm_hour, tm.tm_min, tm.tm_sec, n, seconds);
}

/* A write to stdout failed: a reader that stopped early is no failure. */
static int stdout_failed(struct intervals *it, int err)
{
	if (err == -EPIPE) {
		it->gone = 1;
		return 0;
	}
	err_msg("cannot write the output: %s", strerror(-err));
	return err;
}

/*
 * The header, then the stacks as without -i.  In text a blank line parts
 * two intervals as it parts two stacks; folded output has no blank line,
 * and no folded line starts with "-- " (a line's only space comes before
 * its count): a script splits the blocks there.
 */
static int print_text(struct intervals *it, const struct stack_set *set,
		      const struct symtab *tab, double wall, double seconds)
{
	const struct options *o = it->opts;
	struct output_style style = {
		o->folded, o->addresses, o->per_process, o->per_thread
	};
	char head[96];

	if (export_to_stdout(o) || it->gone)
		return 0;
	interval_header(head, sizeof(head), it->n, wall, seconds);
	if (it->n > 1 && !o->folded)
		fputc('\n', stdout);
	printf("%s\n", head);
	output_stacks(stdout, set, tab, &style);
	if (fflush(stdout) || ferror(stdout))
		return stdout_failed(it, errno ? -errno : -EIO);
	return 0;
}

/* --json: the interval as one line, flushed: a reader sees it at once. */
static int print_json(struct intervals *it, const struct stack_set *set,
		      const struct symtab *tab, double wall, double seconds,
		      long long skipped)
{
	const struct options *o = it->opts;
	struct export_info info = {
		.label = it->label, .targets = it->probes->targets,
		.ntargets = it->probes->ntargets, .window = seconds,
		.skipped = skipped, .per_process = o->per_process,
		.pid = o->pid, .depth = o->depth, .tps = it->probes->tps,
		.ntps = it->probes->ntps, .interval = it->n,
		.interval_start = wall - seconds, .per_thread = o->per_thread,
		.cpus = o->cpu_list, .comm = o->comm, .cgroup = o->cgroup
	};
	int err;

	if (!it->json || (it->json == stdout && it->gone))
		return 0;
	errno = 0;
	err = json_write_line(it->json, set, tab, &info);
	if (!err && (fflush(it->json) || ferror(it->json)))
		err = errno ? -errno : -EIO;
	if (err && it->json == stdout)
		return stdout_failed(it, err);
	if (err)
		err_msg("cannot write %s: %s", o->json, strerror(-err));
	return err;
}

static void skips_less(struct skips *d, const struct skips *a,
		       const struct skips *b)
{
	*d = *a;
	skips_since(d, b);
}

/*
 * The next interval, to at seconds into the window: cur, the counters
 * read at its end, less those of the last read.  Its stacks on stdout
 * (and --json), its summary on stderr.  0 or -errno (said).
 */
static int print_interval(struct intervals *it, const struct stack_set *cur,
			  double at, const struct skips *skipped)
{
	double seconds = at - it->prev_at, wall = wall_now();
	struct stack_set set;
	struct symtab tab;
	struct skips s;
	char label[160];
	int err;

	err = stack_set_diff(&set, cur, &it->prev);
	if (err) {
		err_msg("cannot count the interval: %s", strerror(-err));
		return err;
	}
	it->n++;
	skips_less(&s, skipped, &it->prev_skips);
	probes_frame0(it->probes, &set);
	if (it->opts->depth)
		stack_set_truncate(&set, it->opts->depth);
	report_symbols(&tab, &set, it->probes, it->ksyms);
	err = print_text(it, &set, &tab, wall, seconds);
	if (!err)
		err = print_json(it, &set, &tab, wall, seconds,
				 skips_total(&s));
	symtab_free(&tab);
	snprintf(label, sizeof(label), "%s: interval %u", it->label, it->n);
	report_summary(label, it->opts, &set, seconds, &s);
	stack_set_free(&set);
	return err;
}

/* An interval's end, the gate open (window.h): read, print, go on. */
static int tick(void *arg, double at, const struct skips *skipped)
{
	struct intervals *it = arg;
	struct stack_set cur;
	int err;

	err = stackmap_read_open(it->maps, &cur);
	if (err) {
		err_msg("cannot read the BPF maps: %s", strerror(-err));
		it->err = err;
		return 1;
	}
	err = print_interval(it, &cur, at, skipped);
	stack_set_free(&it->prev);
	it->prev = cur;
	it->prev_at = at;
	it->prev_skips = *skipped;
	if (err)
		it->err = err;
	return err || it->gone;
}

static int json_open(struct intervals *it)
{
	const char *path = it->opts->json;

	if (!path)
		return 0;
	it->json = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (it->json)
		return 0;
	err_msg("cannot create %s: %s", path, strerror(errno));
	return -errno;
}

/* The whole run: --svg draws it, the summary counts it. */
static int print_run(struct intervals *it, struct stack_set *all,
		     double seconds, const struct skips *skipped)
{
	struct options svg_only = *it->opts;
	struct symtab tab;
	int err = 0;

	probes_frame0(it->probes, all);
	if (it->opts->depth)
		stack_set_truncate(all, it->opts->depth);
	if (it->opts->svg) {
		svg_only.json = NULL;
		report_symbols(&tab, all, it->probes, it->ksyms);
		err = export_write(&svg_only, it->probes, all, &tab,
				   it->label, seconds, skips_total(skipped));
		symtab_free(&tab);
	}
	msg_timing("output_done");
	report_end(it->opts, it->maps, it->probes, it->label, all, seconds,
		   skipped);
	return err;
}

int interval_trace(const struct options *opts, const struct prog_maps *maps,
		   struct probes *probes, int prog_fd, const char *label,
		   struct kallsyms *ksyms)
{
	struct intervals it = {
		.opts = opts, .maps = maps, .probes = probes, .label = label,
		.ksyms = ksyms
	};
	struct window_ticks ticks = { tick, &it };
	struct stack_set all;
	struct skips skipped;
	double seconds;
	int ret = EXIT_FAIL, err;

	if (json_open(&it) ||
	    window_watch_ticks(opts, maps, probes, prog_fd, label, &seconds,
			       &skipped, ksyms, &ticks))
		goto out;
	/* The gate closed, the programs done: this read is exact. */
	err = stackmap_read(maps, &all);
	if (err) {
		err_msg("cannot read the BPF maps: %s", strerror(-err));
		goto out;
	}
	err = print_interval(&it, &all, seconds, &skipped);
	if (print_run(&it, &all, seconds, &skipped) || err || it.err)
		goto free;
	ret = EXIT_OK;
free:
	stack_set_free(&all);
out:
	if (it.json && it.json != stdout)
		fclose(it.json);
	stack_set_free(&it.prev);
	return ret;
}
