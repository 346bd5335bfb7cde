// SPDX-License-Identifier: GPL-2.0
/*
 * show_bt - show where in the kernel a function gets called from.
 *
 * The story of a run: parse the options, load a hand-assembled BPF program
 * that counts kernel stacks, attach it to a kprobe on the function, wait,
 * detach, read the stacks and counts back from the BPF maps, print them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bpf.h"
#include "kallsyms.h"
#include "kprobe.h"
#include "options.h"
#include "output.h"
#include "prog.h"
#include "stackmap.h"

#define VERSION "0.1"
#define PERF_MAX_STACK "/proc/sys/kernel/perf_event_max_stack"

/* Exit statuses, as --help lists them. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static void err_msg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("show_bt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *not_permitted =
	"run as root (or with CAP_BPF and CAP_PERFMON)";

/*
 * The deepest stack the kernel will take: the stack map refuses a value
 * size beyond kernel.perf_event_max_stack frames.
 */
static unsigned int stack_depth(void)
{
	FILE *f = fopen(PERF_MAX_STACK, "re");
	unsigned int depth = PROG_MAX_DEPTH, v;

	if (f) {
		if (fscanf(f, "%u", &v) == 1 && v > 0 && v < depth)
			depth = v;
		fclose(f);
	}
	return depth;
}

/* Kernels before 5.11 charge BPF maps to RLIMIT_MEMLOCK. */
static void raise_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_MEMLOCK, &r);
}

static int create_maps(struct prog_maps *maps, const struct options *opts)
{
	int err = prog_maps_create(maps, opts->slots, stack_depth());

	if (err == -EPERM || err == -EACCES)
		err_msg("cannot create BPF maps: %s: %s", strerror(-err),
			not_permitted);
	else if (err)
		err_msg("cannot create BPF maps: %s", strerror(-err));
	return err;
}

/*
 * Load quietly first; if the verifier refuses, load again with a log so
 * the user sees why.  With --verifier-log the log is printed either way.
 */
static int load_prog(const struct prog_maps *maps, const struct options *opts)
{
	struct bpf_insn insns[PROG_MAX_INSNS];
	size_t n = prog_build(insns, maps, opts->pid);
	size_t log_size = 16 << 20;
	unsigned int level = opts->verifier_log;
	char *log = NULL;
	int fd;

	if (level)
		log = malloc(log_size);
	fd = bpf_prog_load_kprobe(insns, n, "show_bt", level, log, log_size);
	if (fd == -EPERM && !level) {
		err_msg("cannot load the BPF program: %s: %s",
			strerror(-fd), not_permitted);
		return fd;
	}
	if (fd < 0 && !level) {
		level = 1;
		log = malloc(log_size);
		bpf_prog_load_kprobe(insns, n, "show_bt", level, log,
				     log_size);
	}
	if (fd < 0)
		err_msg("the verifier rejected the program (%s); its log:",
			strerror(-fd));
	if (log && (fd < 0 || opts->verifier_log))
		fprintf(stderr, "%s", log);
	free(log);
	return fd;
}

/* Say why the kernel would not put a kprobe on func, with the evidence. */
static void explain_attach_error(const char *func, int err)
{
	struct ksym_name_info info;
	unsigned int i;
	int listed;

	if (err == -EPERM || err == -EACCES) {
		err_msg("cannot probe %s: %s: %s", func, strerror(-err),
			not_permitted);
		return;
	}
	if (kallsyms_lookup_name(KALLSYMS_PATH, func, &info) == 0 &&
	    !info.text) {
		if (info.other) {
			err_msg("cannot probe %s: it is a data symbol (type '%c' in %s), not a function",
				func, info.other_type, KALLSYMS_PATH);
			return;
		}
		fprintf(stderr, "show_bt: no function %s in %s", func,
			KALLSYMS_PATH);
		for (i = 0; i < info.nsuggest; i++)
			fprintf(stderr, "%s%s", i ? ", " : " (did you mean: ",
				info.suggest[i]);
		fprintf(stderr, "%s\n", info.nsuggest ? "?)" : "");
		return;
	}
	if (err == -EADDRNOTAVAIL) {
		err_msg("cannot probe %s: %u functions share that name, so the name is ambiguous (%s)",
			func, info.text, strerror(-err));
		return;
	}
	listed = kprobe_blacklisted(func);
	if (listed > 0)
		err_msg("cannot probe %s: the kernel refused the kprobe (%s): %s is listed in %s",
			func, strerror(-err), func, KPROBE_BLACKLIST);
	else
		err_msg("cannot probe %s: the kernel refused the kprobe (%s); it may be blacklisted (see %s)",
			func, strerror(-err), KPROBE_BLACKLIST);
}

static int attach(const char *func, int prog_fd)
{
	int type = kprobe_pmu_type(), fd;

	if (type < 0) {
		err_msg("this kernel has no kprobe support (no %s): it was built without CONFIG_KPROBES",
			KPROBE_PMU_TYPE);
		return type;
	}
	fd = kprobe_attach(type, func, 0, prog_fd);
	if (fd < 0)
		explain_attach_error(func, fd);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep for the window, or until SIGINT or SIGTERM (blocked in main). */
static void wait_window(double seconds)
{
	double end = now() + seconds, left;
	struct timespec ts;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while ((left = end - now()) > 0) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		if (sigtimedwait(&set, NULL, &ts) >= 0)
			return;
	}
}

static void block_stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int check_pid(int pid)
{
	if (pid && kill(pid, 0) < 0 && errno == ESRCH) {
		err_msg("no process with pid %d", pid);
		return -ESRCH;
	}
	return 0;
}

static void print_summary(const struct options *opts,
			  const struct stack_set *set, double seconds)
{
	const __u64 *l = set->lost;
	__u64 lost = l[LOST_COLLISION] + l[LOST_UNREADABLE] +
		     l[LOST_MAP_FULL] + l[LOST_OTHER];

	fprintf(stderr,
		"show_bt: %s: %llu call%s in %.2f s, %zu distinct stack%s, %llu stacks lost (collision %llu, unreadable %llu, map full %llu, other %llu)\n",
		opts->func, (unsigned long long)set->calls,
		set->calls == 1 ? "" : "s", seconds, set->n,
		set->n == 1 ? "" : "s",
		(unsigned long long)lost,
		(unsigned long long)l[LOST_COLLISION],
		(unsigned long long)l[LOST_UNREADABLE],
		(unsigned long long)l[LOST_MAP_FULL],
		(unsigned long long)l[LOST_OTHER]);
	if (l[LOST_COLLISION])
		fprintf(stderr,
			"show_bt: a collision means another stack held that slot of the stack map: a larger --stack-slots makes them rarer\n");
	if (opts->pid && kill(opts->pid, 0) < 0 && errno == ESRCH)
		fprintf(stderr,
			"show_bt: process %d exited during the window\n",
			opts->pid);
}

/* Print the stacks; only a failure to write the output is an error. */
static int print_stacks(const struct stack_set *set)
{
	struct symtab tab;
	int err = symtab_build(&tab, set, KALLSYMS_PATH);

	if (err == -EACCES)
		err_msg("%s shows every address as zero (kernel.kptr_restrict, or not root): printing raw addresses",
			KALLSYMS_PATH);
	else if (err)
		err_msg("cannot read %s (%s): printing raw addresses",
			KALLSYMS_PATH, strerror(-err));
	output_text(stdout, set, &tab);
	symtab_free(&tab);
	if (fflush(stdout) || ferror(stdout)) {
		err_msg("cannot write the output: %s", strerror(errno));
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct prog_maps maps = { -1, -1, -1, 0, 0 };
	struct stack_set set = { 0 };
	struct options opts;
	char why[256];
	int prog_fd = -1, probe_fd = -1, ret = EXIT_FAIL;
	double window;

	if (options_parse(argc, argv, &opts, why, sizeof(why))) {
		err_msg("%s", why);
		return EXIT_USAGE;
	}
	if (opts.help) {
		options_usage(stdout);
		return EXIT_OK;
	}
	if (opts.version) {
		printf("show_bt %s\n", VERSION);
		return EXIT_OK;
	}
	if (check_pid(opts.pid))
		return EXIT_FAIL;

	/* From here Ctrl-C only ends the window: the output still comes. */
	block_stop_signals();
	raise_memlock();
	if (create_maps(&maps, &opts))
		goto out;
	prog_fd = load_prog(&maps, &opts);
	if (prog_fd < 0)
		goto out;
	probe_fd = attach(opts.func, prog_fd);
	if (probe_fd < 0)
		goto out;

	window = now();
	wait_window(opts.duration);
	close(probe_fd);	/* detach: the counts stop moving */
	probe_fd = -1;
	window = now() - window;

	if (stackmap_read(&maps, &set)) {
		err_msg("cannot read the stack map: %s", strerror(errno));
		goto out;
	}
	if (print_stacks(&set) == 0)
		ret = EXIT_OK;
	print_summary(&opts, &set, window);
out:
	stack_set_free(&set);
	if (probe_fd >= 0)
		close(probe_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	prog_maps_close(&maps);
	return ret;
}
