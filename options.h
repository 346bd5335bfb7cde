/* SPDX-License-Identifier: GPL-2.0 */
/* options.h - show_bt's command line. */
#ifndef SHOW_BT_OPTIONS_H
#define SHOW_BT_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "kallsyms.h"	/* KSYM_NAME_LEN */


/*
 * One FUNCTION argument: NAME, NAME+OFFSET, NAME@ADDR or a glob pattern;
 * or a tracepoint, t:CATEGORY:NAME (either part may be a glob).
 */
struct func_spec {
	const char *arg;	/* as given */
	char name[KSYM_NAME_LEN]; /* the function, or the pattern; for a
				   * tracepoint CATEGORY:NAME */
	int tracepoint;		/* t:CATEGORY:NAME or tracepoint:C:N */
	unsigned long offset;	/* +OFFSET: bytes into the function */
	unsigned long addr;	/* @ADDR: which of same-named functions */
	int glob;		/* name holds *, ? or [ */
};

/* -c: the CPUs lo to hi (one CPU: lo == hi). */
struct cpu_range {
	unsigned int lo, hi;
};

/* The most ranges -c takes, and the highest CPU number (NR_CPUS's most). */
#define MAX_CPU_RANGES		32
#define MAX_CPU			65535
/* --comm: the kernel keeps a task's command in 16 bytes with its NUL. */
#define COMM_MAX		15

/* --attach: how the program is put on each kprobe. */
enum attach_how {
	ATTACH_DEFAULT,		/* several functions: multi where the kernel
				 * has it; else link where it counts skips,
				 * else ioctl */
	ATTACH_IOCTL,		/* PERF_EVENT_IOC_SET_BPF (the card's way) */
	ATTACH_LINK,		/* BPF_LINK_CREATE, BPF_PERF_EVENT */
	ATTACH_MULTI,		/* BPF_LINK_CREATE, BPF_TRACE_KPROBE_MULTI:
				 * one link for every function it takes */
};

struct options {
	double duration;	/* -d: seconds to watch */
	double interval;	/* -i: print every this many seconds; 0 once */
	int until_stopped;	/* -i without -d: only Ctrl-C/SIGTERM end it */
	int pid;		/* -p: only this process; 0 for all */
	int per_process;	/* -P: split stacks per process */
	int per_thread;		/* -T: split stacks per thread (-P dropped) */
	int folded;		/* -f: folded output */
	int addresses;		/* -a: print frame addresses */
	unsigned int depth;	/* --depth: innermost frames kept; 0 all */
	unsigned int max_probes; /* --max-probes: most functions attached */
	unsigned int slots;	/* --stack-slots: stack map entries */
	unsigned int max_stacks; /* --max-stacks: frames map entries */
	unsigned int verifier_log; /* --verifier-log[=1|2]: 0 for none */
	int check;		/* --check: can each function be traced? */
	int attach;		/* --attach: enum attach_how */
	int dump;		/* --dump: print the program, load nothing */
	int xlated;		/* --xlated: print what the kernel loaded */
	const char *prog_file;	/* --prog: load this program instead */
	const char *json;	/* --json: write the result here ("-": stdout) */
	const char *svg;	/* --svg: write a flame graph here */
	int help;		/* -h, --help */
	int version;		/* --version */
	struct func_spec *funcs; /* the FUNCTION arguments */
	size_t nfuncs;

	/* The filters of -c, --comm and --cgroup; unset: 0 and NULL. */
	const char *cpu_list;	/* -c as given */
	struct cpu_range cpus[MAX_CPU_RANGES];
	size_t ncpu_ranges;
	const char *comm;	/* --comm: at most COMM_MAX bytes */
	const char *cgroup;	/* --cgroup: a cgroup v2 directory */
};

#define DEFAULT_DURATION	5.0
#define MAX_DURATION		(365.0 * 24 * 3600)
#define DEFAULT_SLOTS		1024
#define MAX_SLOTS		(1u << 20)
#define DEFAULT_MAX_STACKS	16384
#define MAX_MAX_STACKS		(1u << 22)
#define DEFAULT_MAX_PROBES	1000
#define MAX_PROBES		100000
#define MAX_OFFSET		(1ul << 20)

/*
 * Parse argv into opts.  Returns 0, or -1 with a one-line reason in err
 * (no program name, no newline).  options_free() releases opts either way.
 */
int options_parse(int argc, char **argv, struct options *opts,
		  char *err, size_t err_size);
void options_free(struct options *opts);

void options_usage(FILE *out);

/*
 * A CPU list as -c and /sys/devices/system/cpu/online write it: "0",
 * "0,2", "0-3,6".  Returns 0, or -1 if it is no such list (empty, a
 * range backwards, a number over MAX_CPU, more than max ranges).
 */
int options_parse_cpus(const char *s, struct cpu_range *r, size_t max,
		       size_t *n);

#endif
