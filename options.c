// SPDX-License-Identifier: GPL-2.0
/* options.c - parse show_bt's command line; see options.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "numparse.h"
#include "options.h"

enum {
	OPT_VERSION = 256, OPT_SLOTS, OPT_VERIFIER_LOG, OPT_DEPTH,
	OPT_MAX_PROBES, OPT_MAX_STACKS, OPT_CHECK, OPT_DUMP, OPT_XLATED,
	OPT_PROG, OPT_JSON, OPT_SVG, OPT_ATTACH,
	OPT_COMM = 300, OPT_CGROUP	/* the filters */
};

static int interval_check(struct options *opts, int got_duration,
			  char *err, size_t size);

static const struct option long_options[] = {
	{ "duration",	  required_argument, NULL, 'd' },
	{ "interval",	  required_argument, NULL, 'i' },
	{ "pid",	  required_argument, NULL, 'p' },
	{ "per-process",  no_argument,	     NULL, 'P' },
	{ "per-thread",	  no_argument,	     NULL, 'T' },
	{ "folded",	  no_argument,	     NULL, 'f' },
	{ "addresses",	  no_argument,	     NULL, 'a' },
	{ "depth",	  required_argument, NULL, OPT_DEPTH },
	{ "max-probes",	  required_argument, NULL, OPT_MAX_PROBES },
	{ "check",	  no_argument,	     NULL, OPT_CHECK },
	{ "dump",	  no_argument,	     NULL, OPT_DUMP },
	{ "xlated",	  no_argument,	     NULL, OPT_XLATED },
	{ "prog",	  required_argument, NULL, OPT_PROG },
	{ "json",	  required_argument, NULL, OPT_JSON },
	{ "svg",	  required_argument, NULL, OPT_SVG },
	{ "attach",	  required_argument, NULL, OPT_ATTACH },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, OPT_VERSION },
	{ "stack-slots",  required_argument, NULL, OPT_SLOTS },
	{ "max-stacks",	  required_argument, NULL, OPT_MAX_STACKS },
	{ "verifier-log", optional_argument, NULL, OPT_VERIFIER_LOG },
	/* The filters. */
	{ "cpu",	  required_argument, NULL, 'c' },
	{ "comm",	  required_argument, NULL, OPT_COMM },
	{ "cgroup",	  required_argument, NULL, OPT_CGROUP },
	{ NULL, 0, NULL, 0 }
};

/* The synopsis, and what show_bt does. */
static void usage_head(FILE *out)
{
	fputs(
"Usage: show_bt [OPTION]... FUNCTION...\n"
"       show_bt --dump | --xlated [-p PID] [-P | -T] [--prog FILE]\n"
"Show every distinct kernel backtrace that reaches FUNCTION, with how many\n"
"calls took each, watching for a few seconds (needs root, or CAP_BPF and\n"
"CAP_PERFMON, and a kernel with kprobes).\n"
"\n", out);
}

/* The forms of FUNCTION, and the options that choose what is counted. */
static void usage_options(FILE *out)
{
	fputs(
"FUNCTION is a kernel function's name, as in /proc/kallsyms, or:\n"
"  NAME+OFFSET     probe OFFSET bytes into NAME (decimal or 0x hex)\n"
"  NAME@ADDR       the one of several same-named functions at ADDR (hex)\n"
"  PATTERN         every traceable function matching a glob: 'vfs_*'\n"
"  t:CATEGORY:NAME a tracepoint (also tracepoint:CATEGORY:NAME), as tracefs\n"
"                  lists it in events/; either part may be a glob:\n"
"                  't:block:*', 't:syscalls:sys_enter_*'\n"
"Several may be given, functions and tracepoints mixed; frame 0 of each\n"
"stack shows which was hit (for a tracepoint, tracepoint:CATEGORY:NAME).\n"
"\n"
"  -d, --duration=SECONDS  watch this long (default 5; fractions allowed);\n"
"                          Ctrl-C or SIGTERM ends the watch early\n"
"  -D SECONDS              the same as -d, as in stackcount\n"
"  -i, --interval=SECONDS  print the stacks every SECONDS, then count the\n"
"                          next interval from zero (no call is in two, none\n"
"                          between them); each is headed \"-- HH:MM:SS UTC\n"
"                          (interval N, S.SS s)\", its end's time; -f\n"
"                          and -a as without it, --json one document a line\n"
"                          per interval, --svg the whole run; without -d it\n"
"                          runs until Ctrl-C or SIGTERM, which print the\n"
"                          interval in progress\n"
"  -p, --pid=PID           count only the calls made by process PID\n"
"  -P, --per-process       split stacks per process: \"pid PID (COMM)\"\n"
"                          heads each stack, COMM from /proc/PID/comm (for\n"
"                          a process gone by then, \"thread: NAME\", the\n"
"                          thread the kernel saw)\n"
"  -T, --per-thread        split stacks per thread: \"tid TID (COMM) of pid\n"
"                          PID\" heads each stack, COMM the thread's name\n"
"                          from /proc/PID/task/TID/comm (for a thread gone\n"
"                          by then, the name the kernel saw); with -p, that\n"
"                          process's threads; -T names each thread's\n"
"                          process, so with -P too, -T wins\n"
"  -c, --cpu=CPUS          count only the calls made on these CPUs: a list\n"
"                          of numbers and ranges, 0,2 or 0-3,6; each must\n"
"                          be online\n"
"      --comm=NAME         count only the calls made by tasks (threads)\n"
"                          whose command is NAME, as /proc/PID/comm shows\n"
"                          it (at most 15 bytes: the kernel keeps no more)\n"
"      --cgroup=PATH       count only the calls made by tasks in the cgroup\n"
"                          v2 directory PATH or in any cgroup below it (as\n"
"                          perf -G does; on kernels before 5.14, in PATH\n"
"                          itself only, and show_bt says so)\n"
"                          Filters combine with each other and with -p, -P\n"
"                          and -T: a call counts if it passes them all\n",
	      out);
}

/* The options that shape the output, and the limits. */
static void usage_output(FILE *out)
{
	fprintf(out,
"  -f, --folded            one line per stack, root first, frames joined by\n"
"                          ';', then a space and the count (flamegraph.pl\n"
"                          and speedscope read this); with -P the first\n"
"                          frame is COMM-PID, with -T COMM-PID/TID\n"
"  -a, --addresses         print each frame's address before its name\n"
"  -v                      the same as -a, as in stackcount\n"
"      --depth=N           keep only the N innermost frames of each stack,\n"
"                          merging the stacks that become equal\n"
"      --max-probes=N      refuse patterns that match more than N functions\n"
"                          (default %u)\n"
"      --stack-slots=N     entries of the stack map (default %u, rounded up\n"
"                          to a power of two); a stack whose slot is taken\n"
"                          is still counted, by its frames, at more cost\n"
"      --max-stacks=N      distinct stacks counted by their frames (default\n"
"                          %u); calls beyond are counted as \"stack map full\"\n"
"      --attach=HOW        how the program goes on the functions: ioctl\n"
"                          (a kprobe each, PERF_EVENT_IOC_SET_BPF), link (a\n"
"                          kprobe each, with a perf-event BPF link, Linux\n"
"                          5.15+, which also tells the hits the kprobe\n"
"                          itself skipped, Linux 6.7+) or multi (one\n"
"                          kprobe_multi link for all, Linux 5.18+ with\n"
"                          CONFIG_FPROBE: much faster to attach and detach;\n"
"                          a function it cannot take gets a kprobe); default\n"
"                          multi for several functions where the kernel has\n"
"                          it, else link where it tells skips, else ioctl\n"
"      --json=FILE         also write the whole result to FILE as one JSON\n"
"                          document: what was traced, the window, the\n"
"                          summary's counts, each stack with its count (and\n"
"                          pid and command with -P; tid, pid and the\n"
"                          thread's name with -T) and frames (address,\n"
"                          name, offset, module); FILE - is stdout, in place\n"
"                          of the text output\n"
"      --svg=FILE          also write a flame graph of the stacks to FILE, an\n"
"                          SVG image (root at the bottom, width by calls,\n"
"                          full names and counts as tooltips; with -P one\n"
"                          tower per process, with -T per thread); FILE -\n"
"                          is stdout\n"
"\n",
		DEFAULT_MAX_PROBES, DEFAULT_SLOTS, DEFAULT_MAX_STACKS);
}

/* The options that show the program, then output and exit status. */
static void usage_tail(FILE *out)
{
	fputs(
"Seeing what runs underneath:\n"
"      --verifier-log[=L]  print the verifier's log (level 1 or 2, default 1)\n"
"                          even when the program loads\n"
"      --dump              print the BPF program as it would be loaded, in\n"
"                          llvm-objdump's syntax, with a note per group of\n"
"                          instructions; needs no kernel support\n"
"      --xlated            load the program, then print what the kernel made\n"
"                          of it (BPF_OBJ_GET_INFO_BY_FD): the rewritten\n"
"                          instructions beside ours, the JIT-ed size\n"
"      --prog=FILE         load FILE, in --dump's syntax with maps named\n"
"                          (\"r2 = map[stacks] ll\"), instead of the built-in\n"
"                          program: for verifier experiments\n"
"      --check             do not trace: attach to each function and detach\n"
"                          at once, and print one line for each: \"ok\" (and\n"
"                          what may mislead), or why it cannot be traced;\n"
"                          exit 1 if any cannot\n"
"  -h, --help              show this help and exit\n"
"      --version           show the version and exit\n"
"\n"
"Output: on stdout, each stack innermost frame first, one \"func+0xoff\" a\n"
"line (\"[module]\" after module functions), then its count; the most\n"
"frequent stack first, stacks separated by a blank line.  Calls whose stack\n"
"could not be read are counted too, as \"[stack unreadable]\" and the like.\n"
"On stderr, a summary: calls seen, distinct stacks, and how each call was\n"
"counted.\n"
"\n"
"For stackcount users: -p, -P and -f are the same; offsets are always shown\n"
"(stackcount's -s), the most frequent stack comes first (stackcount prints\n"
"it last), and the watch ends after 5 s unless -d or -D says otherwise\n"
"(stackcount's runs until Ctrl-C); -i is stackcount's -i, and without -d\n"
"runs until Ctrl-C as stackcount does.\n"
"\n"
"Exit status: 0 on success, 1 when tracing failed, 2 for bad usage.\n", out);
}

void options_usage(FILE *out)
{
	usage_head(out);
	usage_options(out);
	usage_output(out);
	usage_tail(out);
}

/* A whole decimal number in [min, max], nothing else. */
static int parse_ulong(const char *s, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	const char *end;

	if (num_ulong(s, &end, 10, out) || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static int parse_duration(const char *s, double *out)
{
	const char *end;

	if (num_double(s, &end, out) || *end || *out <= 0 ||
	    *out > MAX_DURATION)
		return -1;
	return 0;
}

#define SYMBOL_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_."
#define GLOB_CHARS "*?[]!-^"

/*
 * Kernel symbol names are C identifiers, with '.' in compiler clones
 * (foo.isra.0); a pattern adds glob characters.  Anything else cannot name
 * a function.
 */
static int check_name(struct func_spec *f, char *err, size_t size)
{
	const char *name = f->name;
	size_t len = strlen(name), ok = strspn(name, SYMBOL_CHARS GLOB_CHARS);

	if (!len)
		return msg_fail(err, size, -1, "'%s': the function name is empty",
				f->arg);
	if (ok < len && isprint((unsigned char)name[ok]))
		return msg_fail(err, size, -1,
				"invalid function name '%s': '%c' is not allowed (kernel symbols use letters, digits, '_' and '.')",
				f->arg, name[ok]);
	if (ok < len)
		return msg_fail(err, size, -1,
				"invalid function name: byte %zu is 0x%02x (kernel symbols use letters, digits, '_' and '.')",
				ok + 1, (unsigned char)name[ok]);
	f->glob = strpbrk(name, "*?[") != NULL;
	if (!f->glob && strspn(name, SYMBOL_CHARS) < len)
		return msg_fail(err, size, -1,
				"invalid function name '%s': '%c' belongs in a pattern with '*', '?' or '['",
				f->arg, name[strspn(name, SYMBOL_CHARS)]);
	return 0;
}

#define TRACEPOINT_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* The length of t:'s or tracepoint:'s prefix on arg, or 0. */
static size_t tracepoint_prefix(const char *arg)
{
	if (!strncmp(arg, "t:", 2))
		return 2;
	if (!strncmp(arg, "tracepoint:", 11))
		return 11;
	return 0;
}

/* One part of CATEGORY:NAME: tracefs names are C identifiers, or a glob. */
static int check_tracepoint_part(const struct func_spec *f, const char *part,
				 size_t len, const char *what, char *err,
				 size_t size)
{
	size_t ok = 0;

	if (!len)
		return msg_fail(err, size, -1,
				"'%s': the tracepoint's %s is empty (write t:CATEGORY:NAME, e.g. t:sched:sched_switch)",
				f->arg, what);
	while (ok < len && (strchr(TRACEPOINT_CHARS GLOB_CHARS, part[ok]) &&
			    part[ok]))
		ok++;
	if (ok == len)
		return 0;
	if (part[ok] == '+' || part[ok] == '@')
		return msg_fail(err, size, -1,
				"'%s': a tracepoint takes no offset or address",
				f->arg);
	if (isprint((unsigned char)part[ok]))
		return msg_fail(err, size, -1,
				"invalid tracepoint '%s': '%c' is not allowed (tracepoint names use letters, digits and '_')",
				f->arg, part[ok]);
	return msg_fail(err, size, -1,
			"invalid tracepoint: byte %zu is 0x%02x (tracepoint names use letters, digits and '_')",
			(size_t)(part - f->arg) + ok + 1,
			(unsigned char)part[ok]);
}

/* t:CATEGORY:NAME, either part a glob; f->name is CATEGORY:NAME. */
static int parse_tracepoint(const char *arg, size_t prefix,
			    struct func_spec *f, char *err, size_t size)
{
	const char *cat = arg + prefix, *colon = strchr(cat, ':');
	size_t len = strlen(cat);

	f->arg = arg;
	f->tracepoint = 1;
	if (!colon)
		return msg_fail(err, size, -1,
				"'%s' names no tracepoint: write t:CATEGORY:NAME, e.g. t:sched:sched_switch",
				arg);
	if (len >= KSYM_NAME_LEN)
		return msg_fail(err, size, -1,
				"tracepoint name too long (%zu characters; fewer than %d)",
				len, KSYM_NAME_LEN);
	if (check_tracepoint_part(f, cat, colon - cat, "category", err,
				  size) ||
	    check_tracepoint_part(f, colon + 1, strcspn(colon + 1, ":"),
				  "name", err, size))
		return -1;
	if (strchr(colon + 1, ':'))
		return msg_fail(err, size, -1,
				"'%s': a tracepoint is t:CATEGORY:NAME, with one ':' between them",
				arg);
	memcpy(f->name, cat, len + 1);
	f->glob = strpbrk(f->name, "*?[") != NULL;
	return 0;
}

/* NAME, NAME+OFFSET, NAME@ADDR or a pattern; see options_usage(). */
static int parse_func(const char *arg, struct func_spec *f, char *err,
		      size_t size)
{
	size_t len = strcspn(arg, "+@");
	const char *rest = arg + len, *end;
	int hex;

	if (tracepoint_prefix(arg))
		return parse_tracepoint(arg, tracepoint_prefix(arg), f, err,
					size);
	f->arg = arg;
	if (len >= KSYM_NAME_LEN)
		return msg_fail(err, size, -1,
				"function name too long (%zu characters; kernel symbols have fewer than %d)",
				len, KSYM_NAME_LEN);
	memcpy(f->name, arg, len);
	f->name[len] = '\0';
	if (check_name(f, err, size))
		return -1;
	if (!*rest)
		return 0;
	if (f->glob)
		return msg_fail(err, size, -1,
				"'%s': an offset or address needs one function, not a pattern",
				arg);
	if (*rest == '+') {
		/* "decimal or 0x hex", as --help says: no octal. */
		hex = rest[1] == '0' && (rest[2] | 0x20) == 'x';
		if (num_ulong(rest + 1 + 2 * hex, &end, hex ? 16 : 10,
			      &f->offset) || *end || f->offset >= MAX_OFFSET)
			return msg_fail(err, size, -1,
					"invalid offset in '%s': expected NAME+BYTES, below 0x%lx (decimal or 0x hex)",
					arg, MAX_OFFSET);
	} else {
		/* With or without 0x, as strtoul() read it. */
		hex = rest[1] == '0' && (rest[2] | 0x20) == 'x';
		if (num_ulong(rest + 1 + 2 * hex, &end, 16, &f->addr) ||
		    *end || !f->addr)
			return msg_fail(err, size, -1,
					"invalid address in '%s': expected NAME@HEXADDR, as /proc/kallsyms lists it",
					arg);
	}
	return 0;
}

/* One number of a CPU list: decimal, at most MAX_CPU; *s moves past it. */
static int cpu_number(const char **s, unsigned int *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > MAX_CPU)
			return -1;
	}
	*s = p;
	*out = v;
	return 0;
}

int options_parse_cpus(const char *s, struct cpu_range *r, size_t max,
		       size_t *n)
{
	*n = 0;
	do {
		if (*n == max || cpu_number(&s, &r[*n].lo))
			return -1;
		r[*n].hi = r[*n].lo;
		if (*s == '-') {
			s++;
			if (cpu_number(&s, &r[*n].hi) || r[*n].hi < r[*n].lo)
				return -1;
		}
		(*n)++;
	} while (*s++ == ',');
	/* sysfs ends its list with a newline; -c's ends at the NUL. */
	return s[-1] == '\0' || (s[-1] == '\n' && !*s) ? 0 : -1;
}

/*
 * -c, --comm and --cgroup: only what the words say here; whether the CPUs
 * are online and PATH is a cgroup is asked of the system later
 * (preflight.c), as -p's process is.
 */
static int parse_filter(int c, const char *arg, struct options *opts,
			char *err, size_t size)
{
	size_t len = strlen(arg);

	if (c == 'c') {
		if (options_parse_cpus(arg, opts->cpus, MAX_CPU_RANGES,
				       &opts->ncpu_ranges))
			return msg_fail(err, size, -1,
					"invalid CPU list '%s': expected CPU numbers from 0 to %u and ranges, such as 0,2 or 0-3 (at most %u of them)",
					arg, MAX_CPU, MAX_CPU_RANGES);
		opts->cpu_list = arg;
	} else if (c == OPT_COMM) {
		if (!len)
			return msg_fail(err, size, -1,
					"--comm needs a command name");
		if (len > COMM_MAX)
			return msg_fail(err, size, -1,
					"--comm '%s' is %zu bytes long: the kernel keeps only the first %d bytes of a command name",
					arg, len, COMM_MAX);
		opts->comm = arg;
	} else {
		if (!len)
			return msg_fail(err, size, -1,
					"--cgroup needs a cgroup v2 directory");
		opts->cgroup = arg;
	}
	return 0;
}

/* "--d": getopt says no more than "unknown"; name the candidates. */
static int ambiguous(const char *arg, char *err, size_t size)
{
	char names[512];
	size_t len, i, n = 0, at = 0;

	if (strncmp(arg, "--", 2))
		return 0;
	arg += 2;
	len = strcspn(arg, "=");
	for (i = 0; long_options[i].name; i++)
		n += !strncmp(long_options[i].name, arg, len);
	if (n < 2)
		return 0;
	names[0] = '\0';
	for (i = 0; long_options[i].name && at < sizeof(names); i++)
		if (!strncmp(long_options[i].name, arg, len))
			at += snprintf(names + at, sizeof(names) - at, " --%s",
				       long_options[i].name);
	msg_fail(err, size, -1, "option '--%.*s' is ambiguous:%s", (int)len,
		 arg, names);
	return 1;
}

/* A number-valued option: -d, -D, -i, -p, --depth and the limits. */
static int parse_number_option(int c, const char *arg, struct options *opts,
			       char *err, size_t size)
{
	unsigned long v;

	switch (c) {
	case 'd':
	case 'D':	/* stackcount's name for -d */
	case 'i':
		if (parse_duration(arg, c == 'i' ? &opts->interval :
				   &opts->duration))
			return msg_fail(err, size, -1,
					"invalid %s '%s': expected seconds, more than 0 and at most %.0f",
					c == 'i' ? "interval" : "duration", arg,
					MAX_DURATION);
		return 0;
	case 'p':
		if (parse_ulong(arg, 1, INT_MAX, &v))
			return msg_fail(err, size, -1,
					"invalid pid '%s': expected a process id from 1 to %d",
					arg, INT_MAX);
		opts->pid = v;
		return 0;
	case OPT_DEPTH:
		if (parse_ulong(arg, 1, 127, &v))
			return msg_fail(err, size, -1,
					"invalid depth '%s': expected 1 to 127 frames",
					arg);
		opts->depth = v;
		return 0;
	case OPT_MAX_PROBES:
		if (parse_ulong(arg, 1, MAX_PROBES, &v))
			return msg_fail(err, size, -1,
					"invalid probe limit '%s': expected 1 to %u",
					arg, MAX_PROBES);
		opts->max_probes = v;
		return 0;
	case OPT_SLOTS:
		if (parse_ulong(arg, 1, MAX_SLOTS, &v))
			return msg_fail(err, size, -1,
					"invalid stack slot count '%s': expected 1 to %u",
					arg, MAX_SLOTS);
		opts->slots = v;
		return 0;
	case OPT_MAX_STACKS:
		if (parse_ulong(arg, 1, MAX_MAX_STACKS, &v))
			return msg_fail(err, size, -1,
					"invalid stack limit '%s': expected 1 to %u",
					arg, MAX_MAX_STACKS);
		opts->max_stacks = v;
		return 0;
	default:	/* --verifier-log, whose value is optional */
		v = 1;
		if (arg && parse_ulong(arg, 1, 2, &v))
			return msg_fail(err, size, -1,
					"invalid verifier log level '%s': expected 1 or 2",
					arg);
		opts->verifier_log = v;
		return 0;
	}
}

/* An option that names a file or a way: --prog, --attach, --json, --svg. */
static int parse_word_option(int c, const char *arg, struct options *opts,
			     char *err, size_t size)
{
	static const char *const how[] = {
		[ATTACH_IOCTL] = "ioctl", [ATTACH_LINK] = "link",
		[ATTACH_MULTI] = "multi",
	};
	size_t i;

	if (c == OPT_ATTACH) {
		for (i = ATTACH_IOCTL; i <= ATTACH_MULTI; i++)
			if (!strcmp(arg, how[i])) {
				opts->attach = i;
				return 0;
			}
		return msg_fail(err, size, -1,
				"invalid --attach '%s': expected ioctl, link or multi",
				arg);
	}
	if (c == OPT_PROG && !*arg)
		return msg_fail(err, size, -1, "--prog needs a file name");
	if (!*arg)
		return msg_fail(err, size, -1, "--%s needs a file name (- for stdout)",
				c == OPT_JSON ? "json" : "svg");
	if (c == OPT_PROG)
		opts->prog_file = arg;
	else if (c == OPT_JSON)
		opts->json = arg;
	else
		opts->svg = arg;
	return 0;
}

/*
 * What getopt could not take: a missing value (last: the last word, where
 * only a value can be missing), a value given to a flag, an ambiguous or
 * unknown option.
 */
static int getopt_refusal(int c, char **argv, const char *last, char *err,
			  size_t size)
{
	size_t i;

	/*
	 * Not argv[optind - 1]: musl leaves optind past the end after a
	 * missing value, and its permutation may have moved argv.
	 */
	if (c == ':')
		return msg_fail(err, size, -1, "option '%s' needs a value", last);
	if (!optopt && ambiguous(argv[optind - 1], err, size))
		return -1;
	for (i = 0; long_options[i].name; i++)
		if (long_options[i].val == optopt &&
		    long_options[i].has_arg == no_argument)
			return msg_fail(err, size, -1, "option '--%s' takes no value",
					long_options[i].name);
	if (optopt)
		return msg_fail(err, size, -1, "unknown option '-%c'", optopt);
	return msg_fail(err, size, -1, "unknown option '%s'", argv[optind - 1]);
}

/* What the options say together, then the FUNCTION arguments. */
static int parse_rest(int argc, char **argv, struct options *opts,
		      int got_duration, char *err, size_t size)
{
	size_t i;

	if (opts->json && opts->svg && !strcmp(opts->json, "-") &&
	    !strcmp(opts->svg, "-"))
		return msg_fail(err, size, -1,
				"--json - and --svg - cannot both take stdout: give one a file name");
	/* -T names each thread's process too: -P adds nothing to it. */
	if (opts->per_thread)
		opts->per_process = 0;
	if (interval_check(opts, got_duration, err, size))
		return -1;
	/* Showing the program needs no function to probe. */
	if (optind >= argc && (opts->dump || opts->xlated))
		return 0;
	if (optind >= argc)
		return msg_fail(err, size, -1, "no function given (try 'show_bt --help')");
	opts->nfuncs = argc - optind;
	opts->funcs = calloc(opts->nfuncs, sizeof(*opts->funcs));
	if (!opts->funcs)
		return msg_fail(err, size, -1, "out of memory");
	for (i = 0; i < opts->nfuncs; i++)
		if (parse_func(argv[optind + i], &opts->funcs[i], err, size))
			return -1;
	return 0;
}

int options_parse(int argc, char **argv, struct options *opts,
		  char *err, size_t size)
{
	const char *last = argc > 1 ? argv[argc - 1] : "";
	int c, got_duration = 0;

	memset(opts, 0, sizeof(*opts));
	opts->duration = DEFAULT_DURATION;
	opts->slots = DEFAULT_SLOTS;
	opts->max_probes = DEFAULT_MAX_PROBES;
	opts->max_stacks = DEFAULT_MAX_STACKS;
	optind = 0;		/* restart getopt: tests parse many times */
	opterr = 0;		/* our messages, not getopt's */

	while ((c = getopt_long(argc, argv, ":d:D:i:p:PTfavhc:", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
		case 'D':
			got_duration = 1;
			/* fall through */
		case 'i':
		case 'p':
		case OPT_DEPTH:
		case OPT_MAX_PROBES:
		case OPT_SLOTS:
		case OPT_MAX_STACKS:
		case OPT_VERIFIER_LOG:
			if (parse_number_option(c, optarg, opts, err, size))
				return -1;
			break;
		case OPT_PROG:
		case OPT_ATTACH:
		case OPT_JSON:
		case OPT_SVG:
			if (parse_word_option(c, optarg, opts, err, size))
				return -1;
			break;
		case 'c':
		case OPT_COMM:
		case OPT_CGROUP:
			if (parse_filter(c, optarg, opts, err, size))
				return -1;
			break;
		case 'P':
			opts->per_process = 1;
			break;
		case 'T':
			opts->per_thread = 1;
			break;
		case 'f':
			opts->folded = 1;
			break;
		case 'a':
		case 'v':	/* stackcount's name for it */
			opts->addresses = 1;
			break;
		case OPT_CHECK:
			opts->check = 1;
			break;
		case OPT_DUMP:
			opts->dump = 1;
			break;
		case OPT_XLATED:
			opts->xlated = 1;
			break;
		case 'h':
			opts->help = 1;
			return 0;
		case OPT_VERSION:
			opts->version = 1;
			return 0;
		default:
			return getopt_refusal(c, argv, last, err, size);
		}
	}
	return parse_rest(argc, argv, opts, got_duration, err, size);
}

/*
 * -i: without -d the run lasts until Ctrl-C or SIGTERM (as stackcount's
 * -i), bounded by the longest -d.  A --prog program may count by stack
 * ids, and reading the stack map while programs run can credit a hit to
 * another stack (window.c): the built-in one counts by frames with -i.
 */
static int interval_check(struct options *opts, int got_duration,
			  char *err, size_t size)
{
	if (!opts->interval)
		return 0;
	if (opts->prog_file)
		return msg_fail(err, size, -1,
				"-i cannot be used with --prog: intervals are read while the program runs, which only the built-in program allows");
	if (!got_duration) {
		opts->duration = MAX_DURATION;
		opts->until_stopped = 1;
	}
	return 0;
}

void options_free(struct options *opts)
{
	free(opts->funcs);
	opts->funcs = NULL;
	opts->nfuncs = 0;
}
