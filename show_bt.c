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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include "bpf.h"
#include "bpfasm.h"
#include "kallsyms.h"
#include "kallsyms_copy.h"
#include "kprobe.h"
#include "kversion.h"
#include "options.h"
#include "output.h"
#include "perm.h"
#include "probes.h"
#include "prog.h"
#include "stackmap.h"
#include "targets.h"
#include "export.h"
#include "testhook.h"

#define VERSION "0.2"
#define PERF_MAX_STACK "/proc/sys/kernel/perf_event_max_stack"

/* Exit statuses, as --help lists them. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static void err_msg(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void err_msg(const char *fmt, ...)
{
	va_list ap;

	char line[2048];
	int len;

	/* One write(2) per message: show_bt may be tracing writes. */
	len = snprintf(line, sizeof(line), "show_bt: ");
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	fputs(line, stderr);
}

/*
 * The deepest stack the kernel will take: the stack map refuses a value
 * size beyond kernel.perf_event_max_stack frames.
 */
static unsigned int stack_depth(void)
{
	FILE *f = fopen(PERF_MAX_STACK, "re");
	unsigned int depth = PROG_MAX_DEPTH, v;

	if (f) {
		if (fscanf(f, "%u", &v) == 1 && v < depth)
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

/*
 * Where maps are charged to RLIMIT_MEMLOCK (before 5.11), the process may
 * create them (CAP_BPF or CAP_SYS_ADMIN) and the limit could not be raised
 * (no CAP_SYS_RESOURCE): the limit in KiB; else 0.
 */
static unsigned long long memlock_bound(void)
{
	struct kversion kv;
	struct rlimit r;

	if (kversion_running(&kv) || kversion_ge(&kv, 5, 11) ||
	    getrlimit(RLIMIT_MEMLOCK, &r) || r.rlim_cur == RLIM_INFINITY ||
	    !(perm_has_cap(CAP_BPF_BIT) || perm_has_cap(CAP_SYS_ADMIN_BIT)))
		return 0;
	return r.rlim_cur / 1024 ? r.rlim_cur / 1024 : 1;
}

/* Kernels before 6.1 must not allocate map entries inside a probe. */
static int must_prealloc(void)
{
	struct kversion kv;

	return kversion_running(&kv) || !kversion_ge(&kv, 6, 1);
}

/* perm_reason() into line, which it returns: "STRERROR: why". */
static const char *perm_line(enum perm_op op, int err, char *line,
			     size_t size)
{
	perm_reason(op, err, line, size);
	return line;
}

static int create_maps(struct prog_maps *maps, const struct options *opts)
{
	unsigned int depth = stack_depth();
	char line[1024];
	int err;

	if (!depth) {
		err_msg("kernel.perf_event_max_stack is 0: the kernel takes no stack at all (set it to 1 or more; 127 is its default)");
		return -EINVAL;
	}
	err = prog_maps_create(maps, opts->slots, opts->max_stacks, depth,
			       must_prealloc());
	if (err == -EMFILE || err == -ENFILE)
		err_msg("cannot create BPF maps: %s: raise the limit (ulimit -n)",
			strerror(-err));
	else if ((err == -EPERM || err == -EACCES) && memlock_bound())
		err_msg("cannot create BPF maps: %s: before Linux 5.11 BPF maps count against RLIMIT_MEMLOCK (ulimit -l is %llu KiB), which only root or CAP_SYS_RESOURCE can raise",
			strerror(-err), memlock_bound());
	else if (err == -EPERM || err == -EACCES)
		err_msg("cannot create BPF maps: %s",
			perm_line(PERM_MAP_CREATE, err, line, sizeof(line)));
	else if (err)
		err_msg("cannot create BPF maps: %s", strerror(-err));
	return err;
}

/* The whole of a --prog file, NUL-terminated; NULL with errno set. */
/*
 * The whole of a --prog file, NUL-terminated; NULL with errno set.  4096
 * instructions take under 200 KiB of text: a file past 1 MiB (or one
 * without end, such as /dev/zero) is no program.
 */
#define PROG_FILE_MAX	(1 << 20)

static char *read_file(const char *path)
{
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap), *p;
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f || !buf)
		goto fail;
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 < cap)
			continue;
		if (cap >= PROG_FILE_MAX) {
			err = EFBIG;
			goto fail;
		}
		p = realloc(buf, cap *= 2);
		if (!p)
			goto fail;
		buf = p;
	}
	if (ferror(f))
		goto fail;
	buf[len] = '\0';
	fclose(f);
	return buf;
fail:
	err = err ? err : errno;
	free(buf);
	if (f)
		fclose(f);
	errno = err;
	return NULL;
}

/*
 * arm64, every function probed at its first instruction: the program puts
 * x30 in as frame 1 (prog.h, entry_lr).  Elsewhere, and on other
 * architectures, 0.
 */
static int arm64_entry(const struct options *opts)
{
#ifdef __aarch64__
	size_t i;

	for (i = 0; i < opts->nfuncs; i++)
		if (opts->funcs[i].offset)
			return 0;
	return opts->nfuncs > 0;
#else
	(void)opts;
	return 0;
#endif
}

/* The first pid namespace's inode number (include/linux/proc_ns.h). */
#define PROC_PID_INIT_INO	0xEFFFFFFCu

/*
 * Which processes count: -p's, or all but show_bt.  Inside a container
 * (a pid namespace other than the first) pids are the container's, and
 * the program must ask for them in that namespace: Linux 5.7 and later
 * can.  Before, -p is refused, and show_bt cannot leave its own calls
 * out (it says so).
 */
static int process_filter(const struct options *opts, struct prog_config *cfg)
{
	struct kversion kv;
	struct stat st;

	memset(cfg, 0, sizeof(*cfg));
	cfg->pid = opts->pid;
	cfg->self = getpid();
	cfg->per_process = opts->per_process;
	cfg->entry_lr = arm64_entry(opts);
	if (stat("/proc/self/ns/pid", &st) || st.st_ino == PROC_PID_INIT_INO)
		return 0;
	if (!kversion_running(&kv) && !kversion_ge(&kv, 5, 7)) {
		if (opts->pid || opts->per_process) {
			err_msg("%s inside a pid namespace (a container) needs Linux 5.7 or later (bpf_get_ns_current_pid_tgid), and this is %u.%u",
				opts->pid ? "-p" : "-P", kv.major, kv.minor);
			return -EOPNOTSUPP;
		}
		err_msg("note: inside a pid namespace on Linux %u.%u, show_bt's own calls cannot be told apart and may be counted",
			kv.major, kv.minor);
		cfg->self = 0;
		return 0;
	}
	cfg->ns_dev = st.st_dev;
	cfg->ns_ino = st.st_ino;
	return 0;
}

/* A loaded program's id, or 0. */
static unsigned int prog_id(int prog_fd)
{
	struct bpf_prog_info info;

	memset(&info, 0, sizeof(info));
	return prog_fd > 0 && !bpf_prog_get_info(prog_fd, &info) ? info.id : 0;
}

/*
 * Whether the program leaves show_bt's own calls out, so that show_bt may
 * read /proc/kallsyms during the window: the built-in one does, but in a
 * pid namespace before Linux 5.7 (process_filter()); a --prog one may not.
 */
static int own_calls_skipped(const struct options *opts)
{
	struct kversion kv;
	struct stat st;

	if (opts->prog_file)
		return 0;
	if (opts->pid > 0 || stat("/proc/self/ns/pid", &st) ||
	    st.st_ino == PROC_PID_INIT_INO)
		return 1;
	return !kversion_running(&kv) && kversion_ge(&kv, 5, 7);
}

static void timing(const char *what);

/*
 * The copy of /proc/kallsyms that names the stacks (kallsyms_copy.h): the
 * one the kernel view read to expand the targets, if it did and nothing
 * but show_bt's own programs was loaded since (its modules are the same);
 * else one read during the window, where the program leaves show_bt's own
 * reads out.  Without a copy the output reads the file itself.
 */
static void kallsyms_copy_begin(const struct options *opts,
				struct probes *probes, int prog_fd,
				struct kallsyms_copy *ksyms)
{
	unsigned int own[2];

	if (!kview_give_kallsyms(&probes->kv, ksyms)) {
		own[0] = prog_id(prog_fd);
		own[1] = prog_id(probes->perf_prog);
		if (!kallsyms_copy_restamp(ksyms, own, 2)) {
			timing("kallsyms_copied");
			return;
		}
		kallsyms_copy_free(ksyms);
	}
	if (own_calls_skipped(opts))
		kallsyms_copy_start(ksyms, KALLSYMS_PATH,
				    KALLSYMS_MODULES_PATH);
}

/* The built-in program, or with --prog the user's. */
static int build_prog(struct prog *prog, const struct prog_maps *maps,
		      const struct options *opts)
{
	struct prog_config cfg;
	char why[512], *text;
	int err;

	if (!opts->prog_file) {
		err = process_filter(opts, &cfg);
		if (err)
			return err;
		prog_build(prog, maps, &cfg);
		return 0;
	}
	text = read_file(opts->prog_file);
	if (!text) {
		err = -errno;
		err_msg("cannot read %s: %s", opts->prog_file, strerror(-err));
		return err;
	}
	err = bpfasm_parse(text, prog, maps, why, sizeof(why));
	free(text);
	if (err)
		err_msg("%s: %s", opts->prog_file, why);
	return err ? -EINVAL : 0;
}

/*
 * --dump and --xlated: the one thing that differs between the attach
 * paths is the load's expected attach type, not the instructions.  With
 * probes NULL (--dump asks no kernel) both are told, as --attach allows.
 */
static void attach_type_note(FILE *out, const struct options *opts,
			     const struct probes *probes)
{
	int multi = probes ? probes->use_multi : opts->attach == ATTACH_MULTI;

	if (!probes)		/* after the program: its head stays first */
		fputc('\n', out);
	if (!probes && opts->attach == ATTACH_DEFAULT)
		fprintf(out, "# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI for one kprobe_multi\n# link (several functions, where the kernel has such links), else with 0 for\n# perf kprobes: the instructions are the same either way.\n");
	else if (multi)
		fprintf(out, "# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI, for one kprobe_multi\n# link.\n");
	else
		fprintf(out, "# Loaded with expected_attach_type 0, for perf kprobes.\n");
}

/* --dump: the program with stand-in map fds; no kernel is asked. */
static int dump_prog(const struct options *opts)
{
	struct prog_maps maps;
	struct prog prog;

	prog_maps_standin(&maps, DEFAULT_SLOTS, stack_depth());
	if (build_prog(&prog, &maps, opts))
		return EXIT_FAIL;
	bpfasm_print(stdout, &prog, &maps);
	attach_type_note(stdout, opts, NULL);
	return EXIT_OK;
}

/*
 * Load quietly first; if the verifier refuses, load again with a log so
 * the user sees why.  With --verifier-log the log is printed either way.
 * The log buffer is calloc'ed: its untouched pages cost nothing, and it
 * is a string whatever part of it the kernel wrote.
 */
static int load_prog(const struct prog *prog, const struct options *opts,
		     enum bpf_attach_type type)
{
	const char *license = prog->license[0] ? prog->license : "GPL";
	unsigned int level = opts->verifier_log;
	size_t log_size = 16 << 20;
	char *log = NULL, why[1024];
	int fd;

	if (level)
		log = calloc(1, log_size);
	fd = bpf_prog_load_kprobe_as(prog->insns, prog->len, "show_bt",
				     license, type, level, log, log_size);
	/* EACCES is the verifier's: its log says why. */
	if (fd == -EPERM && !level) {
		err_msg("cannot load the BPF program: %s",
			perm_line(PERM_PROG_LOAD, fd, why, sizeof(why)));
		return fd;
	}
	if (fd == -EMFILE || fd == -ENFILE) {
		err_msg("cannot load the BPF program: %s: raise the limit (ulimit -n)",
			strerror(-fd));
		free(log);
		return fd;
	}
	if (fd < 0 && !level) {
		level = 1;
		log = calloc(1, log_size);
		bpf_prog_load_kprobe_as(prog->insns, prog->len, "show_bt",
					license, type, level, log, log_size);
	}
	if (fd < 0)
		err_msg("the verifier rejected the program (%s); its log:",
			strerror(-fd));
	if (log && (fd < 0 || opts->verifier_log))
		fprintf(stderr, "%s", log);
	free(log);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

/*
 * Sleep for the window, or until SIGINT or SIGTERM (blocked in main).
 * Meanwhile copy /proc/kallsyms, a read() between two looks at the clock
 * and the signals, so that the stacks can be named the moment the window
 * ends (kallsyms_copy.h): the window ends within one read() of when it
 * should.  show_bt's own reads are not counted (the program skips its
 * process).
 */
static void wait_window(double seconds, struct kallsyms_copy *ksyms)
{
	double end = now() + seconds, left;
	struct timespec ts, zero = { 0, 0 };
	sigset_t set;

	stop_signals(&set);
	while ((left = end - now()) > 0) {
		if (ksyms->state == 0) {
			if (sigtimedwait(&set, NULL, &zero) >= 0)
				return;
			if (kallsyms_copy_step(ksyms) == 1)
				timing("kallsyms_copied");
			continue;
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		if (sigtimedwait(&set, NULL, &ts) >= 0)
			return;
	}
}

/*
 * SHOW_BT_TIMING=1 (for make bench): CLOCK_MONOTONIC at the moments that
 * matter, on stderr, so a benchmark can subtract its own clock readings.
 */
static void timing(const char *what)
{
	if (getenv("SHOW_BT_TIMING"))
		fprintf(stderr, "show_bt: timing: %s %.6f\n", what, now());
}

/* The process a task belongs to (its Tgid), or 0 if it cannot be read. */
static int task_tgid(int pid)
{
	char path[64], line[256];
	int tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/* -p names a process: one that exists, and not one of its threads. */
static int check_pid(int pid)
{
	int tgid;

	if (!pid)
		return 0;
	if (kill(pid, 0) < 0 && errno == ESRCH) {
		err_msg("no process with pid %d", pid);
		return -ESRCH;
	}
	tgid = task_tgid(pid);
	if (tgid && tgid != pid) {
		err_msg("%d is a thread of process %d: -p takes a process id (-p %d counts all its threads)",
			pid, tgid, tgid);
		return -EINVAL;
	}
	return 0;
}

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

static void skips_read(const struct probes *probes, int prog_fd,
		       struct skips *s)
{
	struct bpf_prog_info info;
	unsigned long long missed;
	struct kversion kv;

	s->recursion = s->kprobe = -1;
	if (kversion_running(&kv) || !kversion_ge(&kv, 6, 7))
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
static void skips_since(struct skips *end, const struct skips *start)
{
	end->recursion = end->recursion < 0 || start->recursion < 0 ? -1 :
			 end->recursion - start->recursion;
	end->kprobe = end->kprobe < 0 || start->kprobe < 0 ? -1 :
		      end->kprobe - start->kprobe;
}

/* Every skip counted: their sum; else -1. */
static long long skips_total(const struct skips *s)
{
	return s->recursion < 0 || s->kprobe < 0 ? -1 :
	       s->recursion + s->kprobe;
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
	fprintf(stderr,
		"show_bt: %s: %llu call%s in %.2f s, %zu distinct stack%s; counted by stack id %llu, by frames %llu%s, unreadable %llu, lost %llu (map full %llu, other %llu); skipped by the kernel %s\n",
		label, (unsigned long long)set->calls,
		set->calls == 1 ? "" : "s", seconds, set->n,
		set->n == 1 ? "" : "s", (unsigned long long)set->by_id,
		(unsigned long long)set->by_frames,
		opts->per_process ? " (per process)" :
		arm64_entry(opts) ? " (arm64 entry: x30 as frame 1)" :
		set->by_frames ? " (stack map collisions)" : "",
		(unsigned long long)l[LOST_UNREADABLE],
		lost - l[LOST_UNREADABLE],
		(unsigned long long)l[LOST_MAP_FULL],
		(unsigned long long)l[LOST_OTHER], skip);
	if (opts->pid && kill(opts->pid, 0) < 0 && errno == ESRCH)
		fprintf(stderr,
			"show_bt: process %d exited during the window\n",
			opts->pid);
}

/*
 * The symbols of every frame, from the copy of /proc/kallsyms the window
 * made (finished first if the window was short), or else in one pass over
 * the file; frame 0 under the name that was traced where several names
 * share its address.  A table that cannot be read leaves raw addresses,
 * with a note.
 */
static void symbols(struct symtab *tab, const struct stack_set *set,
		    const struct probes *probes, struct kallsyms_copy *ksyms)
{
	const char **traced = calloc(probes->ntargets + 1, sizeof(*traced));
	size_t i, n = probes->ntargets;
	int err;

	memset(tab, 0, sizeof(*tab));
	if (!traced) {
		err_msg("cannot name the frames (out of memory): printing raw addresses");
		kallsyms_copy_free(ksyms);
		return;
	}
	for (i = 0; i < n; i++)
		traced[i] = probes->targets[i].name;
	if (set->n && !ksyms->state && !kallsyms_copy_finish(ksyms))
		timing("kallsyms_copied");	/* after a short window */
	if (set->n && ksyms->state == 1)
		err = symtab_build_copied(tab, set, ksyms, traced, n);
	else
		err = symtab_build_traced(tab, set, KALLSYMS_PATH, traced, n);
	kallsyms_copy_free(ksyms);
	free(traced);
	if (err == -EACCES)
		err_msg("%s shows every address as zero (kernel.kptr_restrict, or not root): printing raw addresses",
			KALLSYMS_PATH);
	else if (err)
		err_msg("cannot read %s (%s): printing raw addresses",
			KALLSYMS_PATH, strerror(-err));
}

/* Print the stacks; only a failure to write the output is an error. */
static int print_stacks(const struct stack_set *set, const struct symtab *tab,
			const struct options *opts)
{
	struct output_style style = {
		opts->folded, opts->addresses, opts->per_process
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

/*
 * The program for perf kprobes, beside the one loaded for the link: the
 * same instructions, loaded without an expected attach type, since perf
 * events may refuse a program loaded for kprobe_multi links (perf-event
 * links do: EINVAL on 6.12).  Its log, if asked for, was printed already.
 */
static int load_for_perf(const struct prog *prog, const struct options *opts,
			 struct probes *probes)
{
	struct options quiet = *opts;
	int fd;

	quiet.verifier_log = 0;
	fd = load_prog(prog, &quiet, 0);
	if (fd >= 0)
		probes->perf_prog = fd;
	return fd;
}

/*
 * Maps, program (built-in or --prog), load; --xlated shows the result.
 * The program is loaded for the path attach_how() chose: for a
 * kprobe_multi link, and for --check a second time for perf kprobes too
 * (a run loads that one only if a function falls back: attach()).
 */
static int load(const struct options *opts, struct prog_maps *maps,
		struct prog *prog, struct probes *probes)
{
	enum bpf_attach_type type = probes->use_multi ?
				    BPF_TRACE_KPROBE_MULTI : 0;
	int fd, err;

	if (create_maps(maps, opts) || build_prog(prog, maps, opts))
		return -1;
	fd = load_prog(prog, opts, type);
	if (fd >= 0 && probes->use_multi && opts->check &&
	    load_for_perf(prog, opts, probes) < 0) {
		close(fd);
		return -1;
	}
	if (fd < 0 || !opts->xlated)
		return fd;
	attach_type_note(stdout, opts, probes);
	err = bpfasm_print_xlated(stdout, fd, prog, maps);
	if (err) {
		err_msg("cannot read the loaded program back: %s",
			strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

/*
 * --attach: several functions go on one kprobe_multi link where the
 * kernel has them (targets_expand() looked): one ftrace update attaches
 * them all and one detaches them, where a kprobe each takes one update
 * and, closed, one RCU grace period each.  A single function keeps the
 * card's kprobe.  Kprobes (alone, or for what the link cannot take) go
 * through links where the kernel counts the kprobes' own skips in a
 * link's info (6.7+), so that no skip goes uncounted; else through the
 * card's PERF_EVENT_IOC_SET_BPF.
 */
static int attach_how(const struct options *opts, struct probes *probes)
{
	struct kversion kv;
	int known = !kversion_running(&kv);

	if (opts->attach == ATTACH_LINK && known && !kversion_ge(&kv, 5, 15)) {
		err_msg("--attach link needs Linux 5.15 or later (perf-event BPF links), and this is %u.%u: use --attach ioctl",
			kv.major, kv.minor);
		return -EOPNOTSUPP;
	}
	if (opts->attach == ATTACH_MULTI && !probes->multi_avail) {
		err_msg("--attach multi needs kprobe_multi links (Linux 5.18 or later built with CONFIG_FPROBE), and this kernel has none (no %s in %s): use --attach link or ioctl",
			KPROBE_MULTI_SYMBOL, KALLSYMS_PATH);
		return -EOPNOTSUPP;
	}
	probes->use_multi = opts->attach == ATTACH_MULTI ||
			    (opts->attach == ATTACH_DEFAULT &&
			     probes->multi_avail && probes->multi_able > 1);
	probes->use_link = opts->attach == ATTACH_LINK ||
			   (opts->attach != ATTACH_IOCTL && known &&
			    kversion_ge(&kv, 6, 7));
	return 0;
}

/* What the tracing line says the probes were attached with. */
static void attached_with(const struct probes *probes, char *buf,
			  size_t size)
{
	const char *perf = probes->use_link ? "perf-event BPF links" :
			   "PERF_EVENT_IOC_SET_BPF";

	if (!probes->nmulti)
		snprintf(buf, size, "%s", perf);
	else if (!probes->nfds)
		snprintf(buf, size, "a kprobe_multi link");
	else
		snprintf(buf, size, "a kprobe_multi link on %zu function%s and %s on %zu kprobe%s",
			 probes->nmulti, probes->nmulti == 1 ? "" : "s", perf,
			 probes->nfds, probes->nfds == 1 ? "" : "s");
}

/*
 * The link first, then a kprobe for each function it did not take, with
 * a second load of the program if the first was for the link.
 */
/*
 * An arm64 kprobe is a breakpoint on the instruction itself: until the
 * function's prologue has saved the return address (it is only in x30),
 * the unwinder, starting from the frame record in x29, begins at the
 * caller's caller.  Where every probe is at an entry the program puts x30
 * back (arm64_entry()).  A NAME+OFFSET probe may sit inside a prologue,
 * where x30 may already be something else: that cannot be mended, so it
 * is said (LIMITATIONS.md, section 12 has the outputs).
 */
static void entry_caller_note(const struct probes *probes,
			      const struct options *opts)
{
#ifdef __aarch64__
	if (!arm64_entry(opts) && probes->ntargets)
		err_msg("note: on arm64 a probe placed before its function has saved its return address (in its first instructions) misses that function's caller; runs that probe every function at its entry put it back");
#else
	(void)probes;
	(void)opts;
#endif
}

static int attach(struct probes *probes, int prog_fd, const struct prog *prog,
		  const struct options *opts, char *label, size_t size)
{
	char why[1024] = "";
	int perf_fd = prog_fd;
	size_t shared;

	if (probes->use_multi &&
	    probes_attach_multi(probes, prog_fd, why, sizeof(why))) {
		err_msg("%s", why);
		return -1;
	}
	if (probes->use_multi && probes_perf_left(probes)) {
		perf_fd = load_for_perf(prog, opts, probes);
		if (perf_fd < 0) {
			probes_detach(probes);
			return -1;
		}
	}
	if (probes_attach(probes, perf_fd, why, sizeof(why))) {
		err_msg("%s", why);
		return -1;
	}
	timing("attached");
	/* The program skips show_bt's own calls: these writes don't count. */
	if (probes->multi_note[0])
		err_msg("note: %s", probes->multi_note);
	if (probes->refused_note[0])
		err_msg("%s", probes->refused_note);
	if (probes->merged)
		err_msg("%zu of the functions named were the same as another's (an alias, NAME@ADDR, or NAME+4 where the kernel skips an ENDBR): each probe site is probed once",
			probes->merged);
	shared = probes->shared - probes->shared_partial;
	if (shared)
		err_msg("%zu name%s shared by several functions: each function is probed (pick one with NAME@ADDR)",
			shared, shared == 1 ? " is" : "s are");
	if (probes->shared_partial > 1)
		err_msg("warning: %zu names are shared by several functions some of which the kernel refused (%zu functions in all), such as: %s: their calls are not counted (pick one with NAME@ADDR)",
			probes->shared_partial, probes->shared_refused,
			probes->shared_note);
	else if (probes->shared_partial)
		err_msg("warning: %s: the calls of the others are not counted (pick one with NAME@ADDR)",
			probes->shared_note);
	probes_label(probes, opts, label, size);
	entry_caller_note(probes, opts);
	return 0;
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

/*
 * The window: the gate opens once every probe is attached and closes at
 * the end, so the attach counts nothing.  Ctrl-C during the attach gives
 * an empty window: the gate never opens.  The maps are read only after
 * the gate has closed and the programs that were running have finished:
 * reading a stack map while programs still write it can briefly empty a
 * bucket that a program is just matching, and credit its hit to another
 * stack.  Returns 0 with the window's length in seconds, or -errno.
 */
static int watch(const struct options *opts, const struct prog_maps *maps,
		 struct probes *probes, int prog_fd, const char *label,
		 double *seconds, struct skips *skipped,
		 struct kallsyms_copy *ksyms)
{
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
		start = now();
		skips_read(probes, prog_fd, &before);
		/*
		 * Before the line that says so, so that a test sees the copy
		 * under way (its /proc/kallsyms open) once it is said.
		 */
		kallsyms_copy_begin(opts, probes, prog_fd, ksyms);
		attached_with(probes, with, sizeof(with));
		err_msg("tracing %s for %g s, attached with %s (Ctrl-C ends it early)",
			label, opts->duration, with);
		test_stop("tracing");
		wait_window(opts->duration, ksyms);
		*seconds = now() - start;
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
	}
	timing("window_end");
	/* The kernel drops the probes with the process: let Ctrl-C end a
	 * stuck output. */
	stop_signals(&stop);
	sigprocmask(SIG_UNBLOCK, &stop, NULL);
	return 0;
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

/* Read the maps back, print the stacks and the summary. */
static int report(const struct options *opts, const struct prog_maps *maps,
		  const struct probes *probes, const char *label,
		  double window, const struct skips *skipped,
		  struct kallsyms_copy *ksyms)
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
	timing("output_done");
	print_summary(label, opts, &set, window, skipped);
	print_skipped(skipped);
	print_may_miss(probes, skipped);
	if (maps->depth < PROG_MAX_DEPTH)
		err_msg("note: kernel.perf_event_max_stack is %u: deeper stacks were cut to their %u innermost frames",
			maps->depth, maps->depth);
	stack_set_free(&set);
	return ret;
}

/*
 * Standard descriptors that are closed would be reused by the first maps
 * created, and the output would go into a BPF map.  stdin and stderr get
 * /dev/null; a closed stdout is an error, since the output is the point.
 */
static int check_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (fd == 1) {
			err_msg("stdout is closed: there is nowhere to print the stacks");
			return -EBADF;
		}
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return -EBADF;
	}
	return 0;
}

/* One descriptor per probe and per map: lift the soft limit to the hard. */
static void raise_nofile(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* --help, --version, --dump: their output must get out too. */
static int flush_output(int ret)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return ret;
	err_msg("cannot write the output: %s", strerror(errno));
	return EXIT_FAIL;
}

/* What a run does: one of these, from the options. */
enum mode {
	MODE_HELP,	/* -h: the usage */
	MODE_VERSION,	/* --version */
	MODE_DUMP,	/* --dump: the program as text, no kernel asked */
	MODE_XLATED,	/* --xlated alone: load, show the kernel's rewrite */
	MODE_CHECK,	/* --check: can each function be traced? */
	MODE_TRACE,	/* the window: attach, watch, report */
};

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

/*
 * The oldest kernel show_bt can work on: the kprobe PMU is 4.17, and
 * bpf_get_stack(), which the lossless path needs, 4.18.  Older ones are
 * told in one line, not by a verifier log about an unknown helper.
 */
static int check_kernel(void)
{
	struct kversion kv;

	if (kversion_running(&kv) || kversion_ge(&kv, 4, 18))
		return 0;
	err_msg("this kernel is %u.%u: show_bt needs Linux 4.18 or later (bpf_get_stack, which the kernel cannot do before)",
		kv.major, kv.minor);
	return -EOPNOTSUPP;
}

/*
 * The story of a run that asks the kernel: resolve the functions, load the
 * program (--xlated shows it), then check each function or trace them all.
 */
static int run(const struct options *opts, enum mode mode)
{
	struct probes probes = { 0 };
	struct prog_maps maps;
	struct prog prog;
	char why[1024], label[64];
	int prog_fd = -1, ret = EXIT_FAIL;
	struct kallsyms_copy ksyms = KALLSYMS_COPY_NONE;
	struct skips skipped;
	double window;
	sigset_t stop;

	prog_maps_init(&maps);
	if (check_kernel() || check_pid(opts->pid) ||
	    (mode == MODE_TRACE && export_check(opts)))
		goto out;
	if (targets_expand(opts, &probes, why, sizeof(why))) {
		err_msg("%s", why);
		goto out;
	}
	if (attach_how(opts, &probes))
		goto out;

	/* From here Ctrl-C only ends the window: the output still comes. */
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	/* A closed pipe shows as EPIPE when the output is written. */
	signal(SIGPIPE, SIG_IGN);
	raise_memlock();
	raise_nofile();

	prog_fd = load(opts, &maps, &prog, &probes);
	if (prog_fd < 0)
		goto out;
	switch (mode) {
	case MODE_CHECK:
		ret = probes_check(&probes, prog_fd, stdout) ? EXIT_FAIL :
							       EXIT_OK;
		break;
	case MODE_TRACE:
		if (attach(&probes, prog_fd, &prog, opts, label,
			   sizeof(label)) ||
		    watch(opts, &maps, &probes, prog_fd, label, &window,
			  &skipped, &ksyms))
			break;
		ret = report(opts, &maps, &probes, label, window, &skipped,
			     &ksyms);
		probes_detach(&probes);
		break;
	default:			/* --xlated alone: printed by load() */
		ret = EXIT_OK;
	}
out:
	kallsyms_copy_free(&ksyms);
	probes_free(&probes);
	if (prog_fd >= 0)
		close(prog_fd);
	prog_maps_close(&maps);
	return ret;
}

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
		ret = flush_output(dump_prog(&opts));
		break;
	default:
		ret = run(&opts, run_mode(&opts));
	}
	options_free(&opts);
	return ret;
}
