// SPDX-License-Identifier: GPL-2.0
/* options.c - parse show_bt's command line; see options.h. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum { OPT_VERSION = 256, OPT_SLOTS, OPT_VERIFIER_LOG };

static const struct option long_options[] = {
	{ "duration",	  required_argument, NULL, 'd' },
	{ "pid",	  required_argument, NULL, 'p' },
	{ "help",	  no_argument,	     NULL, 'h' },
	{ "version",	  no_argument,	     NULL, OPT_VERSION },
	{ "stack-slots",  required_argument, NULL, OPT_SLOTS },
	{ "verifier-log", optional_argument, NULL, OPT_VERIFIER_LOG },
	{ NULL, 0, NULL, 0 }
};

void options_usage(FILE *out)
{
	fprintf(out,
"Usage: show_bt [OPTION]... FUNCTION\n"
"Show every distinct kernel backtrace that reaches FUNCTION, with how many\n"
"calls took each, watching for a few seconds (needs root, or CAP_BPF and\n"
"CAP_PERFMON, and a kernel with kprobes).\n"
"\n"
"  -d, --duration=SECONDS  watch this long (default 5; fractions allowed);\n"
"                          Ctrl-C or SIGTERM ends the watch early\n"
"  -p, --pid=PID           count only the calls made by process PID\n"
"      --stack-slots=N     entries of the stack map (default %u, rounded\n"
"                          up to a power of two); a stack that hashes to a\n"
"                          taken slot is lost and reported as a collision\n"
"      --verifier-log[=L]  print the verifier's log (level 1 or 2, default 1)\n"
"                          even when the program loads\n"
"  -h, --help              show this help and exit\n"
"      --version           show the version and exit\n"
"\n"
"Output: on stdout, each stack innermost frame first, one \"func+0xoff\" a\n"
"line (\"[module]\" after module functions), then its count; the most\n"
"frequent stack first, stacks separated by a blank line.  On stderr, a\n"
"summary: calls seen, distinct stacks, and hits whose stack was lost, by\n"
"cause.\n"
"\n"
"Exit status: 0 on success, 1 when tracing failed, 2 for bad usage.\n",
		DEFAULT_SLOTS);
}

static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole decimal number in [min, max], nothing else. */
static int parse_ulong(const char *s, unsigned long min, unsigned long max,
		       unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -1;
	return 0;
}

static int parse_duration(const char *s, double *out)
{
	char *end;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end || !isfinite(*out) || *out <= 0 ||
	    *out > MAX_DURATION)
		return -1;
	return 0;
}

/*
 * Kernel symbol names are C identifiers, with '.' in compiler clones
 * (foo.isra.0); anything else cannot name a function.
 */
static int check_name(const char *name, char *err, size_t size)
{
	size_t len = strlen(name), bad = strspn(name,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

	if (!len)
		return fail(err, size, "the function name is empty");
	if (len >= KSYM_NAME_LEN)
		return fail(err, size,
			    "function name too long (%zu characters; kernel symbols have fewer than %d)",
			    len, KSYM_NAME_LEN);
	if (bad < len && isprint((unsigned char)name[bad]))
		return fail(err, size,
			    "invalid function name '%s': '%c' is not allowed (kernel symbols use letters, digits, '_' and '.')",
			    name, name[bad]);
	if (bad < len)
		return fail(err, size,
			    "invalid function name: byte %zu is 0x%02x (kernel symbols use letters, digits, '_' and '.')",
			    bad + 1, (unsigned char)name[bad]);
	return 0;
}

int options_parse(int argc, char **argv, struct options *opts,
		  char *err, size_t size)
{
	unsigned long v;
	int c;

	memset(opts, 0, sizeof(*opts));
	opts->duration = DEFAULT_DURATION;
	opts->slots = DEFAULT_SLOTS;
	optind = 0;		/* restart getopt: tests parse many times */
	opterr = 0;		/* our messages, not getopt's */

	while ((c = getopt_long(argc, argv, ":d:p:h", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_duration(optarg, &opts->duration))
				return fail(err, size,
					    "invalid duration '%s': expected seconds, more than 0 and at most %.0f",
					    optarg, MAX_DURATION);
			break;
		case 'p':
			if (parse_ulong(optarg, 1, INT_MAX, &v))
				return fail(err, size,
					    "invalid pid '%s': expected a process id from 1 to %d",
					    optarg, INT_MAX);
			opts->pid = v;
			break;
		case 'h':
			opts->help = 1;
			return 0;
		case OPT_VERSION:
			opts->version = 1;
			return 0;
		case OPT_SLOTS:
			if (parse_ulong(optarg, 1, MAX_SLOTS, &v))
				return fail(err, size,
					    "invalid stack slot count '%s': expected 1 to %u",
					    optarg, MAX_SLOTS);
			opts->slots = v;
			break;
		case OPT_VERIFIER_LOG:
			v = 1;
			if (optarg && parse_ulong(optarg, 1, 2, &v))
				return fail(err, size,
					    "invalid verifier log level '%s': expected 1 or 2",
					    optarg);
			opts->verifier_log = v;
			break;
		case ':':
			return fail(err, size, "option '%s' needs a value",
				    argv[optind - 1]);
		default:
			if (optopt)
				return fail(err, size, "unknown option '-%c'",
					    optopt);
			return fail(err, size, "unknown option '%s'",
				    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return fail(err, size, "no function given (try 'show_bt --help')");
	if (argc - optind > 1)
		return fail(err, size,
			    "one function at a time: unexpected '%s'",
			    argv[optind + 1]);
	opts->func = argv[optind];
	return check_name(opts->func, err, size);
}
