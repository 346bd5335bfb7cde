// SPDX-License-Identifier: GPL-2.0
/*
 * load.c - the load phase: the maps, the program (built in, or --prog's),
 * the bpf() load with the verifier's log when it refuses; see load.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "bpf.h"
#include "bpfasm.h"
#include "filters.h"
#include "load.h"
#include "msg.h"
#include "numparse.h"
#include "perm.h"

#define PERF_MAX_STACK "/proc/sys/kernel/perf_event_max_stack"

/*
 * 4096 instructions take under 200 KiB of text: a --prog file past 1 MiB
 * (or one without end, such as /dev/zero) is no program.
 */
#define PROG_FILE_MAX	(1 << 20)

static int create_maps(struct prog_maps *maps, const struct options *opts,
		       const struct kfeatures *f);
static int build_prog(struct prog *prog, const struct prog_maps *maps,
		      const struct options *opts,
		      const struct kfeatures *f, unsigned int tp_tag);
static int load_prog(const struct prog *prog, const struct options *opts,
		     enum bpf_attach_type type, int tracepoint);
static int load_tracepoints(const struct options *opts,
			    const struct prog_maps *maps,
			    struct probes *probes, int main_fd);
static void attach_type_note(FILE *out, const struct options *opts,
			     const struct probes *probes);
static int process_filter(const struct options *opts,
			  const struct kfeatures *f, struct prog_config *cfg);
static char *read_file(const char *path);
static void raise_memlock(void);
static unsigned long long memlock_bound(const struct kfeatures *f);
static const char *perm_line(enum perm_op op, int err, char *line,
			     size_t size);

/*
 * Maps, program (built-in or --prog), load; --xlated shows the result.
 * The program is loaded for the path attach_choose() chose: for a
 * kprobe_multi link, and for --check a second time for perf kprobes too
 * (a run loads that one only if a function falls back: attach_probes()).
 */
int load_program(const struct options *opts, struct prog_maps *maps,
		 struct prog *prog, struct probes *probes)
{
	enum bpf_attach_type type = probes->use_multi ?
				    BPF_TRACE_KPROBE_MULTI : 0;
	/* Tracepoints alone: the first one's program is the one shown. */
	int tp_only = !probes->ntargets && probes->ntps;
	int fd, err;

	raise_memlock();
	if (create_maps(maps, opts, &probes->feat) ||
	    build_prog(prog, maps, opts, &probes->feat, tp_only))
		return -1;
	fd = load_prog(prog, opts, type, tp_only);
	if (fd >= 0 && probes->use_multi && opts->check &&
	    load_for_perf(prog, opts, probes) < 0) {
		close(fd);
		return -1;
	}
	if (fd >= 0 && load_tracepoints(opts, maps, probes, tp_only ? fd : -1)) {
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

/* --dump: the program with stand-in map fds; no kernel is asked. */
int dump_program(const struct options *opts)
{
	struct prog_maps maps;
	struct kfeatures f;
	struct prog prog;

	kfeatures_guess(&f);
	prog_maps_standin(&maps, DEFAULT_SLOTS, stack_depth());
	maps.per_thread = opts->per_thread;
	if (build_prog(&prog, &maps, opts, &f, tracepoints_only(opts)))
		return EXIT_FAIL;
	bpfasm_print(stdout, &prog, &maps);
	attach_type_note(stdout, opts, NULL);
	return EXIT_OK;
}

/*
 * Whether the program takes every stack by its frames (prog.c): -P, -T, -i,
 * an arm64 entry, a tracepoint.
 */
static int every_stack_by_frames(const struct options *opts)
{
	size_t i;

	for (i = 0; i < opts->nfuncs; i++)
		if (opts->funcs[i].tracepoint)
			return 1;
	return opts->per_process || opts->per_thread || opts->interval > 0 ||
	       arm64_entry(opts);
}

static int create_maps(struct prog_maps *maps, const struct options *opts,
		       const struct kfeatures *f)
{
	unsigned int depth = stack_depth();
	char line[1024];
	int err;

	maps->per_thread = opts->per_thread;	/* -T: longer values */
	if (!depth) {
		err_msg("kernel.perf_event_max_stack is 0: the kernel takes no stack at all (set it to 1 or more; 127 is its default)");
		return -EINVAL;
	}
	/*
	 * Before 6.1 no map entry may be allocated inside a probe.  After,
	 * an allocation there can fail in a burst of new stacks (the BPF
	 * allocator refills its per-CPU cache later, from an irq_work): a
	 * run that takes every stack by its frames preallocates too.
	 */
	err = prog_maps_create(maps, opts->slots, opts->max_stacks, depth,
			       !f->hash_alloc_in_probe ||
			       every_stack_by_frames(opts));
	if (err == -EMFILE || err == -ENFILE)
		err_msg("cannot create BPF maps: %s: raise the limit (ulimit -n)",
			strerror(-err));
	else if ((err == -EPERM || err == -EACCES) && memlock_bound(f))
		err_msg("cannot create BPF maps: %s: before Linux 5.11 BPF maps count against RLIMIT_MEMLOCK (ulimit -l is %llu KiB), which only root or CAP_SYS_RESOURCE can raise",
			strerror(-err), memlock_bound(f));
	else if (err == -EPERM || err == -EACCES)
		err_msg("cannot create BPF maps: %s",
			perm_line(PERM_MAP_CREATE, err, line, sizeof(line)));
	else if (err)
		err_msg("cannot create BPF maps: %s", strerror(-err));
	return err;
}

/*
 * The built-in program, or with --prog the user's.  tp_tag: for the
 * tracepoint with this tag (tracepoint.h), else 0.
 */
static int build_prog(struct prog *prog, const struct prog_maps *maps,
		      const struct options *opts,
		      const struct kfeatures *f, unsigned int tp_tag)
{
	struct prog_config cfg;
	char why[512], *text;
	int err;

	if (!opts->prog_file) {
		err = process_filter(opts, f, &cfg);
		if (!err)
			err = filters_config(opts, f, &cfg);
		if (err)
			return err;
		cfg.tp_tag = tp_tag;
		if (tp_tag)
			cfg.entry_lr = 0;
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

/* A kprobe's program (with the attach type), or a tracepoint's. */
static int prog_load_as(const struct prog *prog, const char *license,
			enum bpf_attach_type type, int tracepoint,
			unsigned int level, char *log, size_t log_size)
{
	if (tracepoint)
		return bpf_prog_load_tracepoint(prog->insns, prog->len,
						"show_bt", license, level,
						log, log_size);
	return bpf_prog_load_kprobe_as(prog->insns, prog->len, "show_bt",
				       license, type, level, log, log_size);
}

/*
 * Load quietly first; if the verifier refuses, load again with a log so
 * the user sees why.  With --verifier-log the log is printed either way.
 * The log buffer is calloc'ed: its untouched pages cost nothing, and it
 * is a string whatever part of it the kernel wrote.
 */
static int load_prog(const struct prog *prog, const struct options *opts,
		     enum bpf_attach_type type, int tracepoint)
{
	const char *license = prog->license[0] ? prog->license : "GPL";
	unsigned int level = opts->verifier_log;
	size_t log_size = 16 << 20;
	char *log = NULL, why[1024];
	int fd;

	if (level)
		log = calloc(1, log_size);
	fd = prog_load_as(prog, license, type, tracepoint, level, log,
			  log_size);
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
		prog_load_as(prog, license, type, tracepoint, level, log,
			     log_size);
	}
	if (fd < 0)
		err_msg("the verifier rejected the program (%s); its log:",
			strerror(-fd));
	if (log && (fd < 0 || opts->verifier_log))
		msg_text(log);
	free(log);
	return fd;
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
	if (tracepoints_only(opts))
		fprintf(out, "# Loaded as BPF_PROG_TYPE_TRACEPOINT, one copy per tracepoint, each with\n# its own tag as frame 0 (this one's is 1).\n");
	else if (!probes && opts->attach == ATTACH_DEFAULT)
		fprintf(out, "# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI for one kprobe_multi\n# link (several functions, where the kernel has such links), else with 0 for\n# perf kprobes: the instructions are the same either way.\n");
	else if (multi)
		fprintf(out, "# Loaded with expected_attach_type BPF_TRACE_KPROBE_MULTI, for one kprobe_multi\n# link.\n");
	else
		fprintf(out, "# Loaded with expected_attach_type 0, for perf kprobes.\n");
}

/*
 * The deepest stack the kernel will take: the stack map refuses a value
 * size beyond kernel.perf_event_max_stack frames.
 */
unsigned int stack_depth(void)
{
	unsigned int depth = PROG_MAX_DEPTH;
	int v;

	if (!num_read_int(PERF_MAX_STACK, &v) && v >= 0 &&
	    (unsigned int)v < depth)
		depth = v;
	return depth;
}

/*
 * Which processes count: -p's, or all but show_bt.  Inside a container
 * (a pid namespace other than the first) pids are the container's, and
 * the program must ask for them in that namespace: Linux 5.7 and later
 * can.  Before, -p is refused, and show_bt cannot leave its own calls
 * out (it says so).
 */
static int process_filter(const struct options *opts,
			  const struct kfeatures *f, struct prog_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pid = opts->pid;
	cfg->self = getpid();
	cfg->per_process = opts->per_process;
	cfg->per_thread = opts->per_thread;
	cfg->entry_lr = arm64_entry(opts);
	cfg->frames_only = opts->interval > 0;
	if (!f->in_child_pidns)
		return 0;
	if (!f->helper_ns_pid_tgid) {
		if (opts->pid || opts->per_process || opts->per_thread) {
			err_msg("%s inside a pid namespace (a container) needs Linux 5.7 or later (bpf_get_ns_current_pid_tgid), and this is %s",
				opts->pid ? "-p" : opts->per_thread ? "-T" : "-P",
				kfeatures_release(f));
			return -EOPNOTSUPP;
		}
		err_msg("note: inside a pid namespace on Linux %s, show_bt's own calls cannot be told apart and may be counted",
			kfeatures_release(f));
		cfg->self = 0;
		return 0;
	}
	cfg->ns_dev = f->pidns_dev;
	cfg->ns_ino = f->pidns_ino;
	return 0;
}

/*
 * arm64, every function probed at its first instruction: the program puts
 * x30 in as frame 1 (prog.h, entry_lr).  Elsewhere, and on other
 * architectures, 0.
 */
int arm64_entry(const struct options *opts)
{
#ifdef __aarch64__
	size_t i;

	size_t n = 0;

	for (i = 0; i < opts->nfuncs; i++) {
		if (opts->funcs[i].offset)
			return 0;
		n += !opts->funcs[i].tracepoint;
	}
	return n > 0;
#else
	(void)opts;
	return 0;
#endif
}

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

/* ---- tracepoints: a program each, its tag in frame 0 ---- */

/*
 * Each tracepoint's own program, tagged with its index plus one (prog.h).
 * main_fd >= 0: the first tracepoint's is the program load_program()
 * loaded (a run of tracepoints alone), shared through a dup().  A --check
 * entry that names no tracepoint gets none.  Its verifier log, if asked
 * for, comes once.  0 or -1, said.
 */
static int load_tracepoints(const struct options *opts,
			    const struct prog_maps *maps,
			    struct probes *probes, int main_fd)
{
	struct options quiet = *opts;
	struct prog *prog;
	size_t i = 0;
	int fd;

	if (!probes->ntps)
		return 0;
	if (main_fd >= 0) {
		probes->tps[0].prog_fd = dup(main_fd);
		if (probes->tps[0].prog_fd < 0) {
			err_msg("cannot load the tracepoints' programs: %s",
				strerror(errno));
			return -1;
		}
		i = 1;
	}
	prog = malloc(sizeof(*prog));
	if (!prog) {
		err_msg("out of memory");
		return -1;
	}
	quiet.verifier_log = main_fd >= 0 ? 0 : opts->verifier_log;
	for (fd = 0; i < probes->ntps && fd >= 0; i++) {
		if (probes->tps[i].id < 0)
			continue;
		fd = build_prog(prog, maps, opts, &probes->feat, i + 1);
		if (!fd)
			fd = load_prog(prog, &quiet, 0, 1);
		if (fd >= 0)
			probes->tps[i].prog_fd = fd;
		quiet.verifier_log = 0;
	}
	free(prog);
	return fd < 0 ? -1 : 0;
}

/* Whether every argument is a tracepoint: --dump shows their program. */
int tracepoints_only(const struct options *opts)
{
	size_t i;

	for (i = 0; i < opts->nfuncs; i++)
		if (!opts->funcs[i].tracepoint)
			return 0;
	return opts->nfuncs > 0;
}

/* ---- the second program: perf kprobes beside a kprobe_multi link ---- */

/*
 * The program for perf kprobes, beside the one loaded for the link: the
 * same instructions, loaded without an expected attach type, since perf
 * events may refuse a program loaded for kprobe_multi links (perf-event
 * links do: EINVAL on 6.12).  Its log, if asked for, was printed already.
 */
int load_for_perf(const struct prog *prog, const struct options *opts,
		  struct probes *probes)
{
	struct options quiet = *opts;
	int fd;

	quiet.verifier_log = 0;
	fd = load_prog(prog, &quiet, 0, 0);
	if (fd >= 0)
		probes->perf_prog = fd;
	return fd;
}

/* ---- before 5.11: maps charged to RLIMIT_MEMLOCK ---- */

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
static unsigned long long memlock_bound(const struct kfeatures *f)
{
	struct rlimit r;

	if (!f->maps_charge_memlock ||
	    getrlimit(RLIMIT_MEMLOCK, &r) || r.rlim_cur == RLIM_INFINITY ||
	    !(perm_has_cap(CAP_BPF_BIT) || perm_has_cap(CAP_SYS_ADMIN_BIT)))
		return 0;
	return r.rlim_cur / 1024 ? r.rlim_cur / 1024 : 1;
}

/* perm_reason() into line, which it returns: "STRERROR: why". */
static const char *perm_line(enum perm_op op, int err, char *line,
			     size_t size)
{
	perm_reason(op, err, line, size);
	return line;
}
