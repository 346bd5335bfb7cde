// SPDX-License-Identifier: GPL-2.0
/*
 * window.c - the window: the gate opens once every probe is in, the
 * kernel counts, the gate closes; see window.h.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include "attach.h"
#include "bpf.h"
#include "msg.h"
#include "testhook.h"
#include "window.h"

/* What the wait needs to tick (-i): see wait_ticks(). */
struct ticker {
	const struct options *opts;
	const struct window_ticks *ticks;
	const struct probes *probes;
	int prog_fd;
	double start;			/* when the gate opened */
	const struct skips *before;	/* the skips counted then */
};

static int stop_taken(void);
static int gate_set(const struct prog_maps *maps, __u64 open);
static int wait_window(double seconds, struct kallsyms *ksyms);
static void wait_ticks(const struct ticker *t, struct kallsyms *ksyms);
static void say_tracing(const struct options *opts, const char *label,
			const char *with);
static void wait_programs(struct probes *probes);
static void skips_read(const struct probes *probes, int prog_fd,
		       struct skips *s);
static void kallsyms_copy_begin(const struct options *opts,
				struct probes *probes, int prog_fd,
				struct kallsyms *ksyms);
static int own_calls_skipped(const struct options *opts,
			     const struct kfeatures *f);
static unsigned int prog_id(int prog_fd);

/*
 * The window: the gate opens once every probe is attached and closes at
 * the end, so the attach counts nothing.  Ctrl-C during the attach gives
 * an empty window: the gate never opens.  The maps are read only after
 * the gate has closed and the programs that were running have finished:
 * reading a stack map while programs still write it can briefly empty a
 * bucket that a program is just matching, and credit its hit to another
 * stack.  Returns 0 with the window's length in seconds, or -errno.
 */
int window_watch(const struct options *opts, const struct prog_maps *maps,
		 struct probes *probes, int prog_fd, const char *label,
		 double *seconds, struct skips *skipped,
		 struct kallsyms *ksyms)
{
	return window_watch_ticks(opts, maps, probes, prog_fd, label, seconds,
				  skipped, ksyms, NULL);
}

int window_watch_ticks(const struct options *opts,
		       const struct prog_maps *maps, struct probes *probes,
		       int prog_fd, const char *label, double *seconds,
		       struct skips *skipped, struct kallsyms *ksyms,
		       const struct window_ticks *ticks)
{
	struct ticker t = { opts, ticks, probes, prog_fd, 0, NULL };
	struct skips before;
	char with[160];
	double start;
	sigset_t stop;
	int err;

	*seconds = 0;
	skips_read(probes, prog_fd, skipped);
	skips_since(skipped, skipped);	/* an empty window skipped none */
	test_stop("attached");
	if (!stop_taken()) {
		err = gate_set(maps, 1);
		if (err) {
			err_msg("cannot open the window (gate map): %s",
				strerror(-err));
			return err;
		}
		start = clock_now();
		skips_read(probes, prog_fd, &before);
		/*
		 * Before the line that says so, so that a test sees the copy
		 * under way (its /proc/kallsyms open) once it is said.
		 */
		kallsyms_copy_begin(opts, probes, prog_fd, ksyms);
		attached_with(probes, with, sizeof(with));
		say_tracing(opts, label, with);
		test_stop("tracing");
		t.start = start;
		t.before = &before;
		if (ticks)
			wait_ticks(&t, ksyms);
		else
			wait_window(opts->duration, ksyms);
		*seconds = clock_now() - start;
		err = gate_set(maps, 0);
		if (err) {
			err_msg("cannot close the window (gate map): %s",
				strerror(-err));
			return err;
		}
		/* Before the wait, which may detach: the links tell skips. */
		skips_read(probes, prog_fd, skipped);
		skips_since(skipped, &before);
		wait_programs(probes);
		/*
		 * The probes are still in, unless wait_programs() detached
		 * them (detaching hundreds takes seconds after the window):
		 * a test makes calls here, which the closed gate keeps out.
		 */
		test_stop("closed");
	}
	msg_timing("window_end");
	/* The kernel drops the probes with the process: let Ctrl-C end a
	 * stuck output. */
	stop_signals(&stop);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);
	return 0;
}

void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

/*
 * Whether Ctrl-C or SIGTERM came (they are blocked: pending), taking it:
 * left pending, it would kill show_bt when the output unblocks it.
 */
static int stop_taken(void)
{
	struct timespec now = { 0, 0 };
	sigset_t set;

	stop_signals(&set);
	return sigtimedwait(&set, NULL, &now) >= 0;
}

static int gate_set(const struct prog_maps *maps, __u64 open)
{
	__u32 key = 0;

	return bpf_map_update(maps->fd[MAP_GATE], &key, &open, BPF_ANY);
}

/* "tracing ...": tests wait for this line's start. */
static void say_tracing(const struct options *opts, const char *label,
			const char *with)
{
	if (!opts->interval)
		err_msg("tracing %s for %g s, attached with %s (Ctrl-C ends it early)",
			label, opts->duration, with);
	else if (opts->until_stopped)
		err_msg("tracing %s until Ctrl-C or SIGTERM, printing every %g s, attached with %s",
			label, opts->interval, with);
	else
		err_msg("tracing %s for %g s, printing every %g s, attached with %s (Ctrl-C ends it early)",
			label, opts->duration, opts->interval, with);
}

/*
 * -i: wait for each interval's end, then tick, until the window's end,
 * Ctrl-C or a tick's nonzero return.  The ends are the window's start
 * plus whole intervals, so they do not drift; one that passed while a
 * tick was printing is skipped, the next interval then the longer.
 */
static void wait_ticks(const struct ticker *t, struct kallsyms *ksyms)
{
	double end = t->start + t->opts->duration, next = t->start, now;
	struct skips s;

	while (1) {
		now = clock_now();
		while (next <= now)
			next += t->opts->interval;
		if (next >= end)
			break;
		if (wait_window(next - now, ksyms))
			return;
		skips_read(t->probes, t->prog_fd, &s);
		skips_since(&s, t->before);
		if (t->ticks->tick(t->ticks->arg, clock_now() - t->start, &s))
			return;
	}
	wait_window(end - clock_now(), ksyms);
}

/*
 * Sleep for the window, or until SIGINT or SIGTERM (blocked in main).
 * Meanwhile copy /proc/kallsyms, a read() between two looks at the clock
 * and the signals, so that the stacks can be named the moment the window
 * ends (kallsyms.h): the window ends within one read() of when it
 * should.  show_bt's own reads are not counted (the program skips its
 * process).  1 when a signal ended it.
 */
static int wait_window(double seconds, struct kallsyms *ksyms)
{
	double end = clock_now() + seconds, left;
	struct timespec ts, zero = { 0, 0 };
	sigset_t set;

	stop_signals(&set);
	while ((left = end - clock_now()) > 0) {
		if (ksyms->state == 0) {
			if (sigtimedwait(&set, NULL, &zero) >= 0)
				return 1;
			if (kallsyms_step(ksyms) == 1)
				msg_timing("kallsyms_copied");
			continue;
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		if (sigtimedwait(&set, NULL, &ts) >= 0)
			return 1;
	}
	return 0;
}

/*
 * Wait until every program that saw the gate open has finished: kprobe
 * handlers run BPF programs inside an RCU read-side section, and
 * MEMBARRIER_CMD_GLOBAL waits for an RCU grace period.  Where it is not
 * available (nohz_full CPUs refuse it), detaching waits for one too.
 */
static void wait_programs(struct probes *probes)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0)
		probes_detach(probes);
}

static void skips_read(const struct probes *probes, int prog_fd,
		       struct skips *s)
{
	struct bpf_prog_info info;
	unsigned long long missed;

	s->recursion = s->kprobe = -1;
	if (!probes->feat.kprobe_skips_counted)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpf_prog_get_info(prog_fd, &info))
		s->recursion = info.recursion_misses;
	/* A run with a link and kprobes has a second program. */
	if (s->recursion >= 0 && probes_recursion_missed(probes, &missed))
		s->recursion = -1;
	else if (s->recursion >= 0)
		s->recursion += missed;
	if (!probes_missed(probes, &missed))
		s->kprobe = missed;
}

/* The window's skips: what was counted at its end less at its start. */
void skips_since(struct skips *end, const struct skips *start)
{
	end->recursion = end->recursion < 0 || start->recursion < 0 ? -1 :
			 end->recursion - start->recursion;
	end->kprobe = end->kprobe < 0 || start->kprobe < 0 ? -1 :
		      end->kprobe - start->kprobe;
}

/* Every skip counted: their sum; else -1. */
long long skips_total(const struct skips *s)
{
	return s->recursion < 0 || s->kprobe < 0 ? -1 :
	       s->recursion + s->kprobe;
}

/* ---- the kallsyms copy: the stacks' names read during the window ---- */

/*
 * The copy of /proc/kallsyms that names the stacks (kallsyms.h): the
 * one the kernel view read to expand the targets, if it did and nothing
 * but show_bt's own programs was loaded since (its modules are the same);
 * else one read during the window, where the program leaves show_bt's own
 * reads out.  Without a copy the output reads the file itself.
 */
static void kallsyms_copy_begin(const struct options *opts,
				struct probes *probes, int prog_fd,
				struct kallsyms *ksyms)
{
	unsigned int own[2], last;

	if (!kview_give_kallsyms(&probes->kv, ksyms)) {
		own[0] = prog_id(prog_fd);
		own[1] = prog_id(probes->perf_prog);
		if (!bpf_prog_only_own_since(ksyms->bpf_id, own, 2, &last) &&
		    !kallsyms_restamp(ksyms, last)) {
			msg_timing("kallsyms_copied");
			return;
		}
		kallsyms_free(ksyms);
	}
	if (own_calls_skipped(opts, &probes->feat))
		kallsyms_start(ksyms, KALLSYMS_PATH, KALLSYMS_MODULES_PATH,
			       bpf_prog_last_id());
}

/*
 * Whether the program leaves show_bt's own calls out, so that show_bt may
 * read /proc/kallsyms during the window: the built-in one does, but in a
 * pid namespace before Linux 5.7 (process_filter()); a --prog one may not.
 */
static int own_calls_skipped(const struct options *opts,
			     const struct kfeatures *f)
{
	if (opts->prog_file)
		return 0;
	return opts->pid > 0 || !f->in_child_pidns || f->helper_ns_pid_tgid;
}

/* A loaded program's id, or 0. */
static unsigned int prog_id(int prog_fd)
{
	struct bpf_prog_info info;

	memset(&info, 0, sizeof(info));
	return prog_fd > 0 && !bpf_prog_get_info(prog_fd, &info) ? info.id : 0;
}
