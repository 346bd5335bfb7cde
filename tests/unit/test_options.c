// SPDX-License-Identifier: GPL-2.0
/*
 * test_options.c - options_parse() on many command lines, all in one
 * process: getopt's state must not leak from one parse to the next, so the
 * whole table runs three times, forwards, backwards and forwards again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../options.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 8

/*
 * A command line that parses.  Zero in duration, slots and max_probes
 * means the default; func, offset, addr and glob are about funcs[0].
 */
struct ok_case {
	const char *name;
	const char *args[MAX_ARGS];
	struct options want;
	const char *func;
	unsigned long offset, addr;
	int glob;
	int tp;			/* funcs[0] is a tracepoint */
};

static const struct ok_case ok_cases[] = {
	/* -i alone runs until Ctrl-C: the longest -d bounds it. */
	{ "interval_alone", { "-i", "1", "vfs_write" },
	  { .interval = 1, .duration = MAX_DURATION, .until_stopped = 1,
	    .nfuncs = 1 }, "vfs_write" },
	{ "interval_then_duration", { "-i", "0.5", "-d", "3", "vfs_write" },
	  { .interval = 0.5, .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "interval_after_duration", { "-d", "3", "-i2", "vfs_write" },
	  { .interval = 2, .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "interval_long", { "--interval=2", "-D", "4", "vfs_write" },
	  { .interval = 2, .duration = 4, .nfuncs = 1 }, "vfs_write" },
	{ "interval_max", { "-i", "31536000", "vfs_write" },
	  { .interval = MAX_DURATION, .duration = MAX_DURATION,
	    .until_stopped = 1, .nfuncs = 1 }, "vfs_write" },
	{ "defaults", { "vfs_write" }, { .nfuncs = 1 }, "vfs_write" },
	{ "duration_2", { "-d", "2", "vfs_write" },
	  { .duration = 2, .nfuncs = 1 }, "vfs_write" },
	{ "duration_half", { "-d", "0.5", "vfs_write" },
	  { .duration = 0.5, .nfuncs = 1 }, "vfs_write" },
	{ "duration_leading_dot", { "-d", ".25", "vfs_write" },
	  { .duration = 0.25, .nfuncs = 1 }, "vfs_write" },
	{ "duration_attached", { "-d3", "vfs_write" },
	  { .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "duration_long_equals", { "--duration=3", "vfs_write" },
	  { .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "duration_long_separate", { "--duration", "7", "vfs_write" },
	  { .duration = 7, .nfuncs = 1 }, "vfs_write" },
	{ "duration_abbreviated", { "--dur=4", "vfs_write" },
	  { .duration = 4, .nfuncs = 1 }, "vfs_write" },
	{ "duration_max", { "-d", "31536000", "vfs_write" },
	  { .duration = MAX_DURATION, .nfuncs = 1 }, "vfs_write" },
	/* What strtod() read, and numparse.c still does. */
	{ "duration_exponent", { "-d", "1e3", "vfs_write" },
	  { .duration = 1000, .nfuncs = 1 }, "vfs_write" },
	{ "duration_negative_exponent", { "-d", "25E-1", "vfs_write" },
	  { .duration = 2.5, .nfuncs = 1 }, "vfs_write" },
	{ "duration_trailing_dot", { "-d", "5.", "vfs_write" },
	  { .duration = 5, .nfuncs = 1 }, "vfs_write" },
	{ "duration_hex_float", { "-d", "0x1.8p1", "vfs_write" },
	  { .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "pid_123", { "-p", "123", "vfs_write" },
	  { .pid = 123, .nfuncs = 1 }, "vfs_write" },
	{ "pid_attached", { "-p123", "vfs_write" },
	  { .pid = 123, .nfuncs = 1 }, "vfs_write" },
	{ "pid_long", { "--pid=1", "vfs_write" },
	  { .pid = 1, .nfuncs = 1 }, "vfs_write" },
	{ "pid_max", { "-p", "2147483647", "vfs_write" },
	  { .pid = 2147483647, .nfuncs = 1 }, "vfs_write" },
	{ "stack_slots_64", { "--stack-slots=64", "vfs_write" },
	  { .slots = 64, .nfuncs = 1 }, "vfs_write" },
	{ "stack_slots_max", { "--stack-slots=1048576", "vfs_write" },
	  { .slots = MAX_SLOTS, .nfuncs = 1 }, "vfs_write" },
	{ "verifier_log", { "--verifier-log", "vfs_write" },
	  { .verifier_log = 1, .nfuncs = 1 }, "vfs_write" },
	{ "verifier_log_1", { "--verifier-log=1", "vfs_write" },
	  { .verifier_log = 1, .nfuncs = 1 }, "vfs_write" },
	{ "verifier_log_2", { "--verifier-log=2", "vfs_write" },
	  { .verifier_log = 2, .nfuncs = 1 }, "vfs_write" },
	{ "per_process", { "-P", "vfs_write" },
	  { .per_process = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_process_long", { "--per-process", "vfs_write" },
	  { .per_process = 1, .nfuncs = 1 }, "vfs_write" },
	/* -T: per thread; it names the process, so with -P it wins. */
	{ "per_thread", { "-T", "vfs_write" },
	  { .per_thread = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_thread_long", { "--per-thread", "vfs_write" },
	  { .per_thread = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_thread_abbreviated", { "--per-t", "vfs_write" },
	  { .per_thread = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_thread_wins_over_P", { "-P", "-T", "vfs_write" },
	  { .per_thread = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_thread_wins_over_P_after", { "-TP", "vfs_write" },
	  { .per_thread = 1, .nfuncs = 1 }, "vfs_write" },
	{ "per_thread_with_pid_folded", { "-p", "42", "-Tfa", "vfs_write" },
	  { .pid = 42, .per_thread = 1, .folded = 1, .addresses = 1,
	    .nfuncs = 1 }, "vfs_write" },
	{ "folded", { "--folded", "vfs_write" },
	  { .folded = 1, .nfuncs = 1 }, "vfs_write" },
	{ "addresses", { "--addresses", "vfs_write" },
	  { .addresses = 1, .nfuncs = 1 }, "vfs_write" },
	/* stackcount's names: -D for -d, -v for -a. */
	{ "stackcount_D", { "-D", "3", "vfs_write" },
	  { .duration = 3, .nfuncs = 1 }, "vfs_write" },
	{ "stackcount_D_attached", { "-D0.5", "vfs_write" },
	  { .duration = 0.5, .nfuncs = 1 }, "vfs_write" },
	{ "stackcount_D_after_d", { "-d", "1", "-D", "2", "vfs_write" },
	  { .duration = 2, .nfuncs = 1 }, "vfs_write" },
	{ "stackcount_d_after_D", { "-D", "2", "-d", "1", "vfs_write" },
	  { .duration = 1, .nfuncs = 1 }, "vfs_write" },
	{ "stackcount_v", { "-v", "vfs_write" },
	  { .addresses = 1, .nfuncs = 1 }, "vfs_write" },
	{ "stackcount_cluster", { "-vPD", "2", "vfs_write" },
	  { .addresses = 1, .per_process = 1, .duration = 2, .nfuncs = 1 },
	  "vfs_write" },
	{ "stackcount_command_line",
	  { "-p", "9", "-D", "2", "-v", "-f", "vfs_write" },
	  { .pid = 9, .duration = 2, .addresses = 1, .folded = 1,
	    .nfuncs = 1 }, "vfs_write" },
	{ "short_cluster", { "-Pfa", "vfs_write" },
	  { .per_process = 1, .folded = 1, .addresses = 1, .nfuncs = 1 },
	  "vfs_write" },
	{ "cluster_with_value", { "-fd", "2", "vfs_write" },
	  { .folded = 1, .duration = 2, .nfuncs = 1 }, "vfs_write" },
	{ "depth", { "--depth=10", "vfs_write" },
	  { .depth = 10, .nfuncs = 1 }, "vfs_write" },
	{ "max_probes", { "--max-probes=5", "vfs_*" },
	  { .max_probes = 5, .nfuncs = 1 }, "vfs_*", .glob = 1 },
	{ "help_short", { "-h" }, { .help = 1 } },
	{ "help_long", { "--help" }, { .help = 1 } },
	{ "help_with_function", { "vfs_write", "-h" }, { .help = 1 } },
	{ "version", { "--version" }, { .version = 1 } },
	{ "options_after_function", { "vfs_write", "-d", "2", "-p", "9" },
	  { .duration = 2, .pid = 9, .nfuncs = 1 }, "vfs_write" },
	{ "double_dash", { "-d", "1", "--", "vfs_write" },
	  { .duration = 1, .nfuncs = 1 }, "vfs_write" },
	{ "last_value_wins", { "-d", "1", "-d", "2", "vfs_write" },
	  { .duration = 2, .nfuncs = 1 }, "vfs_write" },
	{ "two_functions", { "vfs_write", "vfs_read" }, { .nfuncs = 2 },
	  "vfs_write" },
	{ "three_functions_mixed", { "vfs_read", "-d", "1", "a*", "b" },
	  { .duration = 1, .nfuncs = 3 }, "vfs_read" },
	{ "compiler_clone", { "foo.isra.0" }, { .nfuncs = 1 }, "foo.isra.0" },
	{ "offset_hex", { "vfs_write+0x10" }, { .nfuncs = 1 }, "vfs_write",
	  .offset = 16 },
	{ "offset_decimal", { "vfs_write+16" }, { .nfuncs = 1 },
	  "vfs_write", .offset = 16 },
	{ "offset_decimal_leading_zero", { "vfs_write+010" },
	  { .nfuncs = 1 }, "vfs_write", .offset = 10 },
	{ "offset_zero", { "vfs_write+0" }, { .nfuncs = 1 }, "vfs_write" },
	{ "address", { "vfs_write@ffffffff81234560" }, { .nfuncs = 1 },
	  "vfs_write", .addr = 0xffffffff81234560 },
	{ "address_0x", { "vfs_write@0XFFFFFFFF81234560" }, { .nfuncs = 1 },
	  "vfs_write", .addr = 0xffffffff81234560 },
	{ "glob_star", { "vfs_*" }, { .nfuncs = 1 }, "vfs_*", .glob = 1 },
	{ "glob_question", { "vfs_?rite" }, { .nfuncs = 1 }, "vfs_?rite",
	  .glob = 1 },
	{ "glob_class", { "[nx]fs_write" }, { .nfuncs = 1 }, "[nx]fs_write",
	  .glob = 1 },
	{ "attach_ioctl", { "--attach=ioctl", "vfs_write" },
	  { .attach = ATTACH_IOCTL, .nfuncs = 1 }, "vfs_write" },
	{ "attach_link", { "--attach", "link", "vfs_write" },
	  { .attach = ATTACH_LINK, .nfuncs = 1 }, "vfs_write" },
	{ "attach_multi", { "--attach=multi", "vfs_*" },
	  { .attach = ATTACH_MULTI, .nfuncs = 1 }, "vfs_*", .glob = 1 },
	{ "attach_last_wins", { "--attach=multi", "--attach=ioctl", "f", "g" },
	  { .attach = ATTACH_IOCTL, .nfuncs = 2 }, "f" },
	{ "tracepoint", { "t:sched:sched_switch" }, { .nfuncs = 1 },
	  "sched:sched_switch", .tp = 1 },
	{ "tracepoint_long_prefix", { "tracepoint:block:block_rq_issue" },
	  { .nfuncs = 1 }, "block:block_rq_issue", .tp = 1 },
	{ "tracepoint_glob_name", { "t:block:*" }, { .nfuncs = 1 },
	  "block:*", .glob = 1, .tp = 1 },
	{ "tracepoint_glob_category", { "t:sch?d:sched_[sw]*" },
	  { .nfuncs = 1 }, "sch?d:sched_[sw]*", .glob = 1, .tp = 1 },
	{ "tracepoint_and_function", { "t:sched:sched_switch", "vfs_write" },
	  { .nfuncs = 2 }, "sched:sched_switch", .tp = 1 },
	{ "function_named_t", { "t" }, { .nfuncs = 1 }, "t" },
};

/* A command line that must fail, with this in the message. */
struct err_case {
	const char *name;
	const char *args[MAX_ARGS];
	const char *message;
};

static char long_name[601], name_511[512], name_512[513];

static const struct err_case err_cases[] = {
	{ "interval_zero", { "-i", "0", "f" }, "invalid interval '0'" },
	{ "interval_negative", { "-i", "-1", "f" },
	  "invalid interval '-1'" },
	{ "interval_word", { "-i", "abc", "f" }, "invalid interval 'abc'" },
	{ "interval_beyond_max", { "-i", "1e30", "f" },
	  "invalid interval '1e30': expected seconds, more than 0 and at most 31536000" },
	{ "interval_nan", { "-i", "nan", "f" }, "invalid interval 'nan'" },
	{ "interval_empty", { "--interval=", "f" }, "invalid interval ''" },
	{ "interval_missing", { "f", "-i" }, "option '-i' needs a value" },
	{ "interval_prog", { "-i", "1", "--prog", "p.s", "f" },
	  "-i cannot be used with --prog" },
	{ "duration_zero", { "-d", "0", "f" }, "invalid duration '0'" },
	{ "duration_negative", { "-d", "-1", "f" }, "invalid duration '-1'" },
	{ "duration_word", { "-d", "abc", "f" }, "invalid duration 'abc'" },
	{ "duration_huge_exponent", { "-d", "1e400", "f" },
	  "invalid duration '1e400'" },
	{ "duration_huge", { "-d", "99999999999999999999", "f" },
	  "invalid duration" },
	{ "duration_over_a_year", { "-d", "31536001", "f" },
	  "invalid duration" },
	{ "duration_empty", { "-d", "", "f" }, "invalid duration ''" },
	{ "duration_nan", { "-d", "nan", "f" }, "invalid duration 'nan'" },
	{ "duration_inf", { "-d", "inf", "f" }, "invalid duration 'inf'" },
	{ "duration_unit", { "-d", "1s", "f" }, "invalid duration '1s'" },
	{ "duration_tiny", { "-d", "1e-400", "f" }, "invalid duration" },
	{ "duration_with_newline", { "-d", "1\n2", "f" }, "invalid duration" },
	{ "pid_zero", { "-p", "0", "f" }, "invalid pid '0'" },
	{ "pid_negative", { "-p", "-5", "f" }, "invalid pid '-5'" },
	{ "pid_word", { "-p", "abc", "f" }, "invalid pid 'abc'" },
	{ "pid_huge", { "-p", "99999999999999999999", "f" }, "invalid pid" },
	{ "pid_over_int", { "-p", "2147483648", "f" }, "invalid pid" },
	{ "pid_hex", { "-p", "0x10", "f" }, "invalid pid '0x10'" },
	{ "pid_plus", { "-p", "+5", "f" }, "invalid pid '+5'" },
	{ "pid_space", { "-p", " 5", "f" }, "invalid pid" },
	{ "stack_slots_zero", { "--stack-slots=0", "f" },
	  "invalid stack slot count '0'" },
	{ "stack_slots_over", { "--stack-slots=1048577", "f" },
	  "invalid stack slot count" },
	{ "verifier_log_3", { "--verifier-log=3", "f" },
	  "invalid verifier log level '3'" },
	{ "verifier_log_0", { "--verifier-log=0", "f" },
	  "invalid verifier log level '0'" },
	{ "verifier_log_empty", { "--verifier-log=", "f" },
	  "invalid verifier log level ''" },
	{ "depth_zero", { "--depth=0", "f" }, "invalid depth '0'" },
	{ "depth_over", { "--depth=128", "f" }, "invalid depth '128'" },
	{ "max_probes_zero", { "--max-probes=0", "f" },
	  "invalid probe limit '0'" },
	{ "max_probes_over", { "--max-probes=100001", "f" },
	  "invalid probe limit" },
	{ "attach_unknown", { "--attach=kprobe", "f" },
	  "invalid --attach 'kprobe': expected ioctl, link or multi" },
	{ "attach_empty", { "--attach=", "f" }, "invalid --attach ''" },
	{ "attach_case", { "--attach=Multi", "f" }, "invalid --attach 'Multi'" },
	{ "attach_missing", { "f", "--attach" },
	  "option '--attach' needs a value" },
	{ "unknown_short", { "-x", "f" }, "unknown option '-x'" },
	/* After -x: a stale optopt must not turn this into '-x'. */
	{ "unknown_long", { "--bogus", "f" }, "unknown option '--bogus'" },
	{ "unknown_short_in_cluster", { "-fx", "f" }, "'-x'" },
	{ "ambiguous_long", { "--d=1", "f" }, "--d" },
	{ "help_with_value", { "--help=1", "f" }, "--help" },
	{ "tracepoint_no_name", { "t:sched" }, "'t:sched' names no tracepoint" },
	{ "tracepoint_empty", { "t:" }, "'t:' names no tracepoint" },
	{ "tracepoint_empty_category", { "t::x" }, "category is empty" },
	{ "tracepoint_empty_name", { "t:sched:" }, "name is empty" },
	{ "tracepoint_three_parts", { "t:a:b:c" }, "with one ':' between them" },
	{ "tracepoint_offset", { "t:sched:x+4" }, "takes no offset or address" },
	{ "tracepoint_address", { "t:sched:x@ffff" },
	  "takes no offset or address" },
	{ "tracepoint_space", { "t:a b:c" }, "' ' is not allowed" },
	{ "tracepoint_slash", { "t:../x:y" }, "'.' is not allowed" },
	{ "tracepoint_control", { "t:a:b\001" }, "byte 6 is 0x01" },
	{ "version_with_value", { "--version=1", "f" }, "--version" },
	{ "per_process_with_value", { "--per-process=1", "f" },
	  "--per-process" },
	{ "per_thread_with_value", { "--per-thread=1", "f" },
	  "option '--per-thread' takes no value" },
	{ "per_ambiguous", { "--per", "f" },
	  "option '--per' is ambiguous: --per-process --per-thread" },
	{ "per_thread_no_function", { "-T" },
	  "no function given" },
	{ "missing_value_short", { "f", "-d" }, "option '-d' needs a value" },
	{ "missing_value_stackcount_D", { "f", "-D" },
	  "option '-D' needs a value" },
	{ "missing_value_cluster", { "f", "-fd" },
	  "option '-fd' needs a value" },
	/* Words to permute before it: musl's getopt_long moves them. */
	{ "missing_value_after_functions", { "f", "g", "-P", "--depth" },
	  "option '--depth' needs a value" },
	{ "stackcount_D_zero", { "-D", "0", "f" }, "invalid duration '0'" },
	{ "stackcount_D_word", { "-D", "abc", "f" },
	  "invalid duration 'abc'" },
	{ "stackcount_v_with_value", { "-v5", "f" }, "unknown option '-5'" },
	{ "missing_value_long", { "f", "--pid" },
	  "option '--pid' needs a value" },
	{ "missing_value_slots", { "f", "--stack-slots" },
	  "option '--stack-slots' needs a value" },
	{ "no_function", { 0 }, "no function given" },
	{ "no_function_after_options", { "-d", "2", "-P" },
	  "no function given" },
	{ "no_function_after_double_dash", { "--" }, "no function given" },
	{ "empty_name", { "" }, "the function name is empty" },
	{ "offset_without_name", { "+16" }, "the function name is empty" },
	{ "name_with_space", { "vfs write" }, "' ' is not allowed" },
	{ "name_with_newline", { "vfs\nwrite" }, "byte 4 is 0x0a" },
	{ "name_with_colon", { "vfs:write" }, "':' is not allowed" },
	{ "name_with_slash", { "vfs/write" }, "'/' is not allowed" },
	{ "name_with_percent", { "vfs%s%n" }, "'%' is not allowed" },
	{ "name_with_high_byte", { "vfs\xc3\xa9" }, "byte 4 is 0xc3" },
	{ "name_with_dash", { "vfs-write" }, "belongs in a pattern" },
	{ "name_600_characters", { long_name }, "too long" },
	{ "name_512_characters", { name_512 }, "too long" },
	{ "second_function_bad", { "vfs_write", "bad name" },
	  "invalid function name 'bad name'" },
	{ "pattern_with_offset", { "vfs_*+4" }, "not a pattern" },
	{ "offset_empty", { "vfs_write+" }, "invalid offset" },
	{ "offset_negative", { "vfs_write+-1" }, "invalid offset" },
	{ "offset_trailing", { "vfs_write+1x" }, "invalid offset" },
	{ "offset_too_big", { "vfs_write+0x100000" }, "invalid offset" },
	{ "offset_huge", { "vfs_write+99999999999999999999999" },
	  "invalid offset" },
	{ "address_empty", { "vfs_write@" }, "invalid address" },
	{ "address_zero", { "vfs_write@0" }, "invalid address" },
	{ "address_word", { "vfs_write@xyz" }, "invalid address" },
	{ "address_negative", { "vfs_write@-1" }, "invalid address" },
	{ "address_huge", { "vfs_write@1ffffffffffffffff" },
	  "invalid address" },
	{ "address_0x_empty", { "vfs_write@0x" }, "invalid address" },
	{ "address_0x_0x", { "vfs_write@0x0x1" }, "invalid address" },
	{ "address_space", { "vfs_write@ 1" }, "invalid address" },
	{ "offset_0x_empty", { "vfs_write+0x" }, "invalid offset" },
	{ "offset_0x_negative", { "vfs_write+0x-1" }, "invalid offset" },
	{ "offset_hex_without_0x", { "vfs_write+a" }, "invalid offset" },
	{ "duration_dot", { "-d", ".", "f" }, "invalid duration '.'" },
	{ "duration_exponent_alone", { "-d", "1e", "f" },
	  "invalid duration '1e'" },
	{ "duration_hex_empty", { "-d", "0x", "f" }, "invalid duration '0x'" },
	{ "duration_space", { "-d", " 1", "f" }, "invalid duration ' 1'" },
	{ "duration_trailing_space", { "-d", "1 ", "f" }, "invalid duration" },
	{ "duration_plus", { "-d", "+1", "f" }, "invalid duration '+1'" },
	{ "duration_denormal", { "-d", "1e-310", "f" }, "invalid duration" },
};

static const struct ok_case ok_511 = {
	"name_511_characters", { name_511 }, { .nfuncs = 1 }, name_511
};

static int make_argv(char **argv, const char *const *args)
{
	int argc = 0;

	argv[argc++] = "show_bt";
	while (argc <= MAX_ARGS && args[argc - 1]) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	return argc;
}

static void check_err_text(const char *err)
{
	EXPECT(err[0], "empty message");
	EXPECT(!strchr(err, '\n'), "the message has a newline");
	EXPECT(strncmp(err, "show_bt", 7), "message names the program");
}

static void run_ok(const struct ok_case *c)
{
	const struct options *w = &c->want;
	char *argv[MAX_ARGS + 2], err[256] = "";
	int argc = make_argv(argv, c->args), ret;
	struct options o;

	ret = options_parse(argc, argv, &o, err, sizeof(err));
	EXPECT(!ret, "returned %d: %s", ret, err);
	EXPECT(o.duration == (w->duration ? w->duration : DEFAULT_DURATION),
	       "duration %g", o.duration);
	EXPECT(o.pid == w->pid, "pid %d, want %d", o.pid, w->pid);
	EXPECT(o.interval == w->interval, "interval %g, want %g",
	       o.interval, w->interval);
	EXPECT(o.until_stopped == w->until_stopped, "until_stopped %d",
	       o.until_stopped);
	EXPECT(o.slots == (w->slots ? w->slots : DEFAULT_SLOTS),
	       "slots %u", o.slots);
	EXPECT(o.max_probes ==
	       (w->max_probes ? w->max_probes : DEFAULT_MAX_PROBES),
	       "max_probes %u", o.max_probes);
	EXPECT(o.verifier_log == w->verifier_log, "verifier_log %u",
	       o.verifier_log);
	EXPECT(o.per_process == w->per_process, "per_process %d",
	       o.per_process);
	EXPECT(o.per_thread == w->per_thread, "per_thread %d",
	       o.per_thread);
	EXPECT(o.folded == w->folded, "folded %d", o.folded);
	EXPECT(o.addresses == w->addresses, "addresses %d", o.addresses);
	EXPECT(o.depth == w->depth, "depth %u", o.depth);
	EXPECT(o.attach == w->attach, "attach %d, want %d", o.attach,
	       w->attach);
	EXPECT(o.help == w->help, "help %d", o.help);
	EXPECT(o.version == w->version, "version %d", o.version);
	if (w->help || w->version) {
		options_free(&o);
		return;
	}
	EXPECT(o.nfuncs == w->nfuncs, "%zu functions, want %zu", o.nfuncs,
	       w->nfuncs);
	if (o.nfuncs && o.funcs) {
		EXPECT(!strcmp(o.funcs[0].name, c->func), "name '%s'",
		       o.funcs[0].name);
		EXPECT(o.funcs[0].offset == c->offset, "offset %lu, want %lu",
		       o.funcs[0].offset, c->offset);
		EXPECT(o.funcs[0].addr == c->addr, "addr %#lx, want %#lx",
		       o.funcs[0].addr, c->addr);
		EXPECT(o.funcs[0].glob == c->glob, "glob %d", o.funcs[0].glob);
		EXPECT(o.funcs[0].tracepoint == c->tp, "tracepoint %d",
		       o.funcs[0].tracepoint);
		EXPECT(o.funcs[0].arg && (c->tp ?
			strstr(o.funcs[0].arg, c->func) != NULL :
			!strncmp(o.funcs[0].arg, c->func, strlen(c->func))),
		       "arg '%s'", o.funcs[0].arg);
	} else {
		EXPECT(0, "no funcs array");
	}
	options_free(&o);
}

static void run_err(const struct err_case *c)
{
	char *argv[MAX_ARGS + 2], err[1024] = "";
	int argc = make_argv(argv, c->args), ret;
	struct options o;

	ret = options_parse(argc, argv, &o, err, sizeof(err));
	EXPECT(ret == -1, "returned %d, want -1", ret);
	EXPECT(strstr(err, c->message), "message '%s' lacks '%s'", err,
	       c->message);
	check_err_text(err);
	options_free(&o);
}

/* A small err buffer: the message is cut, never overrun. */
static void test_small_buffer(void)
{
	char *argv[4] = { "show_bt", "-d", "abc", NULL };
	char err[12];
	struct options o;

	memset(err, '#', sizeof(err));
	EXPECT(options_parse(3, argv, &o, err, 8) == -1, "parsed");
	EXPECT(strlen(err) == 7 && err[8] == '#', "wrote '%.12s'", err);
	options_free(&o);
	test_end("options_small_error_buffer");
}

/*
 * --help names the stackcount spelling where it differs: -D and -v have
 * lines of their own that say so, and a paragraph tells the defaults.
 */
static void test_usage_stackcount(void)
{
	char *text = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	EXPECT(f, "open_memstream failed");
	if (!f)
		goto out;
	options_usage(f);
	fclose(f);
	line = strstr(text, "\n  -D SECONDS ");
	EXPECT(line && strstr(line, "stackcount") &&
	       strstr(line, "stackcount") < strchr(line + 1, '\n'),
	       "no '-D SECONDS' line naming stackcount");
	line = strstr(text, "\n  -v ");
	EXPECT(line && strstr(line, "stackcount") &&
	       strstr(line, "stackcount") < strchr(line + 1, '\n'),
	       "no '-v' line naming stackcount");
	EXPECT(strstr(text, "stackcount's -s"), "offsets (-s) not named");
	EXPECT(strstr(text, "until Ctrl-C"), "stackcount's window not named");
out:
	free(text);
	test_end("options_usage_names_stackcount");
}

/* getopt permutes argv: the same pointers, in another order. */
static void test_argv_kept(void)
{
	char *argv[5] = { "show_bt", "vfs_write", "-d", "2", NULL };
	char *copy[5], err[256];
	struct options o;
	int i, found;

	memcpy(copy, argv, sizeof(argv));
	EXPECT(!options_parse(4, argv, &o, err, sizeof(err)), "%s", err);
	for (i = 0; i < 4; i++) {
		found = argv[0] == copy[i] || argv[1] == copy[i] ||
			argv[2] == copy[i] || argv[3] == copy[i];
		EXPECT(found, "argv lost '%s'", copy[i]);
	}
	options_free(&o);
	test_end("options_argv_only_permuted");
}

int main(void)
{
	static char failed_ok[ARRAY_SIZE(ok_cases) + 1][512];
	static char failed_err[ARRAY_SIZE(err_cases)][512];
	size_t i, round;
	char name[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(long_name, 'a', sizeof(long_name) - 1);
	memset(name_511, 'b', sizeof(name_511) - 1);
	memset(name_512, 'c', sizeof(name_512) - 1);

	/* Keep each case's first failure over the three rounds. */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < ARRAY_SIZE(ok_cases) + ARRAY_SIZE(err_cases);
		     i++) {
			size_t k = round == 1 ?
				ARRAY_SIZE(ok_cases) + ARRAY_SIZE(err_cases) -
				1 - i : i;

			if (k < ARRAY_SIZE(ok_cases)) {
				run_ok(&ok_cases[k]);
				if (!failed_ok[k][0])
					memcpy(failed_ok[k], test_why, 512);
			} else {
				k -= ARRAY_SIZE(ok_cases);
				run_err(&err_cases[k]);
				if (!failed_err[k][0])
					memcpy(failed_err[k], test_why, 512);
			}
			test_why[0] = '\0';
		}
	}
	for (i = 0; i < ARRAY_SIZE(ok_cases); i++) {
		memcpy(test_why, failed_ok[i], 512);
		snprintf(name, sizeof(name), "options_%s", ok_cases[i].name);
		test_end(name);
	}
	run_ok(&ok_511);
	test_end("options_name_511_characters");
	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		memcpy(test_why, failed_err[i], 512);
		snprintf(name, sizeof(name), "options_error_%s",
			 err_cases[i].name);
		test_end(name);
	}
	test_small_buffer();
	test_argv_kept();
	test_usage_stackcount();
	return 0;
}
