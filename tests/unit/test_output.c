// SPDX-License-Identifier: GPL-2.0
/*
 * test_output.c - the names output.c gives frames and processes, through
 * symtab_build_traced() on tests/fixtures/kallsyms/frames and
 * output_stacks(), in text and folded form: return addresses named from
 * addr - 1, frame 0 under the traced name, the alias rule elsewhere, the
 * highest symbol, the "[truncated]" root of a stack the kernel cut (and
 * none for one --depth cut), and -P's process names from /proc.
 *
 * Usage: test_output FIXTURE_DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../../output.h"
#include "unit.h"

#define MAX_STACKS	8
#define MAX_FRAMES	8
/* Above PID_MAX_LIMIT (2^22): no process ever has these. */
#define NO_PID		4194305u

static const char *fixtures;
static char kallsyms[4096];

struct fx {
	struct stack_set set;
	struct stack stacks[MAX_STACKS];
	__u64 ips[MAX_STACKS][MAX_FRAMES];
};

static void fx_init(struct fx *fx, unsigned int depth)
{
	memset(fx, 0, sizeof(*fx));
	fx->set.stacks = fx->stacks;
	fx->set.cap = MAX_STACKS;
	fx->set.depth = depth;
}

/* A stack of count calls by pid (thread comm), n frames innermost first. */
static void fx_stack(struct fx *fx, unsigned long long count,
		     unsigned int pid, const char *comm, unsigned int n, ...)
{
	struct stack *s = &fx->stacks[fx->set.n];
	unsigned int f;
	va_list ap;

	va_start(ap, n);
	for (f = 0; f < n; f++)
		fx->ips[fx->set.n][f] = va_arg(ap, unsigned long long);
	va_end(ap);
	s->count = count;
	s->pid = pid;
	snprintf(s->comm, sizeof(s->comm), "%s", comm);
	s->nframes = n;
	s->ips = fx->ips[fx->set.n];
	fx->set.n++;
	fx->set.calls += count;
	fx->set.by_id += count;
}

/* What output_stacks() printed, to free; per_process 2 is -T. */
static char *print(const struct fx *fx, const struct symtab *tab,
		   int folded, int addresses, int per_process)
{
	struct output_style style = { folded, addresses, per_process == 1,
				      per_process == 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		return strdup("(open_memstream failed)");
	output_stacks(out, &fx->set, tab, &style);
	fclose(out);
	return buf;
}

static void expect_output(const char *what, const char *got,
			  const char *want)
{
	EXPECT(!strcmp(got, want), "%s: got [%s], want [%s]", what, got,
	       want);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * Frames past 0 are return addresses: the noreturn call at caller_fn's
 * last byte returns to __pfx_next_fn's start, and must be named
 * caller_fn+0x40 (offset from the real address), not __pfx_next_fn+0x0.
 * Frame 0, the probed address, is taken as it is: next_fn+0x0, not
 * __pfx_next_fn+0xf.  The highest symbol keeps its offsets.
 */
static void test_return_addresses(void)
{
	struct fx fx;
	struct symtab tab;
	const struct ksym *sym;
	char *out;
	int err;

	fx_init(&fx, 127);
	fx_stack(&fx, 7, 0, "", 4, 0xffffffff81100050ull,
		 0xffffffff81100040ull, 0xffffffff81100060ull,
		 0xffffffffc0a00810ull);
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);
	out = print(&fx, &tab, 0, 0, 0);
	expect_output("text", out,
		      "  next_fn+0x0\n"
		      "  caller_fn+0x40\n"
		      "  next_fn+0x10\n"
		      "  bpf_prog_1234_handler+0x10 [bpf]\n"
		      "    7\n");
	free(out);
	out = print(&fx, &tab, 1, 0, 0);
	expect_output("folded", out,
		      "bpf_prog_1234_handler;next_fn;caller_fn;next_fn 7\n");
	free(out);
	out = print(&fx, &tab, 0, 1, 0);
	expect_output("-a", out,
		      "  ffffffff81100050 next_fn+0x0\n"
		      "  ffffffff81100040 caller_fn+0x40\n"
		      "  ffffffff81100060 next_fn+0x10\n"
		      "  ffffffffc0a00810 bpf_prog_1234_handler+0x10 [bpf]\n"
		      "    7\n");
	free(out);
	/* The writers get the function, offsets from the real address. */
	sym = symtab_frame_sym(&tab, &fx.stacks[0], 1);
	EXPECT(sym && !strcmp(sym->name, "caller_fn") &&
	       sym->addr == 0xffffffff81100000ul,
	       "symtab_frame_sym(frame 1): %s", sym ? sym->name : "NULL");
	sym = symtab_frame_sym(&tab, &fx.stacks[0], 0);
	EXPECT(sym && !strcmp(sym->name, "next_fn"),
	       "symtab_frame_sym(frame 0): %s", sym ? sym->name : "NULL");
	symtab_free(&tab);
	test_end("output_return_address_minus_one");
}

/*
 * Frame 0 is named as traced (show_bt __ia32_sys_getppid: that name, though
 * the rule picks __x64_sys_getppid there); every other frame by the rule,
 * even one whose addr - 1 is some stack's frame 0.
 */
static void test_traced_alias(void)
{
	static const char *const traced[] = { "vfs_write", "mod_alias",
					      "__ia32_sys_getppid" };
	static const char *const local[] = { "__do_sys_getppid" };
	struct fx fx;
	struct symtab tab;
	char *out;
	int err;

	fx_init(&fx, 127);
	fx_stack(&fx, 5, 0, "", 2, 0xffffffff81200005ull,
		 0xffffffff81100060ull);
	fx_stack(&fx, 3, 0, "", 3, 0xffffffff81100055ull,
		 0xffffffff81200006ull, 0xffffffff81300010ull);
	fx_stack(&fx, 2, 0, "", 2, 0xffffffffc0a00004ull,
		 0xffffffffc0a00010ull);
	err = symtab_build_traced(&tab, &fx.set, kallsyms, traced, 3);
	EXPECT(!err, "symtab_build_traced returned %d", err);
	out = print(&fx, &tab, 0, 0, 0);
	expect_output("traced", out,
		      "  __ia32_sys_getppid+0x5\n"
		      "  next_fn+0x10\n"
		      "    5\n"
		      "\n"
		      "  next_fn+0x5\n"
		      "  __x64_sys_getppid+0x6\n"
		      "  ___global_third+0x10\n"
		      "    3\n"
		      "\n"
		      "  mod_alias+0x4 [foo]\n"
		      "  mod_fn+0x10 [foo]\n"
		      "    2\n");
	free(out);
	out = print(&fx, &tab, 1, 0, 0);
	expect_output("traced folded", out,
		      "next_fn;__ia32_sys_getppid 5\n"
		      "___global_third;__x64_sys_getppid;next_fn 3\n"
		      "mod_fn;mod_alias 2\n");
	free(out);
	symtab_free(&tab);

	/* Without traced names, frame 0 too follows the rule. */
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);
	out = print(&fx, &tab, 0, 0, 0);
	EXPECT(starts_with(out, "  __x64_sys_getppid+0x5\n"),
	       "untraced: [%s]", out);
	free(out);
	symtab_free(&tab);

	/* A local name traced is still the name frame 0 shows. */
	err = symtab_build_traced(&tab, &fx.set, kallsyms, local, 1);
	EXPECT(!err, "symtab_build_traced returned %d", err);
	out = print(&fx, &tab, 0, 0, 0);
	EXPECT(starts_with(out, "  __do_sys_getppid+0x5\n"),
	       "traced __do_sys_getppid: [%s]", out);
	free(out);
	symtab_free(&tab);
	test_end("output_frame0_traced_name_others_by_rule");
}

/*
 * A stack of exactly set->depth frames was cut by the kernel: text and
 * folded end it with a "[truncated]" root.  One --depth made shorter
 * (stack_set_truncate()) is the user's cut: no marker.
 */
static void test_truncated(void)
{
	struct fx fx;
	struct symtab tab;
	char *out;
	int err;

	fx_init(&fx, 3);
	fx_stack(&fx, 9, 0, "", 3, 0xffffffff81100055ull,
		 0xffffffff81100060ull, 0xffffffff81500008ull);
	fx_stack(&fx, 4, 0, "", 2, 0xffffffff81100055ull,
		 0xffffffff81100060ull);
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);
	EXPECT(output_stack_truncated(&fx.set, &fx.stacks[0]) &&
	       !output_stack_truncated(&fx.set, &fx.stacks[1]),
	       "output_stack_truncated: %d %d",
	       output_stack_truncated(&fx.set, &fx.stacks[0]),
	       output_stack_truncated(&fx.set, &fx.stacks[1]));
	out = print(&fx, &tab, 0, 0, 0);
	expect_output("text", out,
		      "  next_fn+0x5\n"
		      "  next_fn+0x10\n"
		      "  plain+0x8\n"
		      "  [truncated]\n"
		      "    9\n"
		      "\n"
		      "  next_fn+0x5\n"
		      "  next_fn+0x10\n"
		      "    4\n");
	free(out);
	out = print(&fx, &tab, 0, 1, 0);
	expect_output("-a", out,
		      "  ffffffff81100055 next_fn+0x5\n"
		      "  ffffffff81100060 next_fn+0x10\n"
		      "  ffffffff81500008 plain+0x8\n"
		      "  [truncated]\n"
		      "    9\n"
		      "\n"
		      "  ffffffff81100055 next_fn+0x5\n"
		      "  ffffffff81100060 next_fn+0x10\n"
		      "    4\n");
	free(out);
	out = print(&fx, &tab, 1, 0, 0);
	expect_output("folded", out,
		      "[truncated];plain;next_fn;next_fn 9\n"
		      "next_fn;next_fn 4\n");
	free(out);
	symtab_free(&tab);
	test_end("output_truncated_at_kernel_depth");

	/* --depth 2 of a set 3 deep: both stacks become one, unmarked. */
	stack_set_truncate(&fx.set, 2);
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);
	out = print(&fx, &tab, 0, 0, 0);
	expect_output("--depth 2", out,
		      "  next_fn+0x5\n"
		      "  next_fn+0x10\n"
		      "    13\n");
	free(out);
	out = print(&fx, &tab, 1, 0, 0);
	expect_output("--depth 2 folded", out, "next_fn;next_fn 13\n");
	free(out);
	symtab_free(&tab);
	test_end("output_user_depth_not_marked");
}

/*
 * -P: a live process is named by /proc/PID/comm, its main thread's name
 * now (this program's, set below), not the thread name the program saw;
 * a process that is gone by the recorded thread name, marked.  Folded
 * keeps the pid: two gone processes of one name stay two lines.
 */
static void test_processes(void)
{
	char want[1024], name[64];
	unsigned int me = getpid();
	struct fx fx;
	struct symtab tab;
	const char *comm;
	char *out;
	int thread, err;

	EXPECT(!prctl(PR_SET_NAME, "outtest main", 0, 0, 0),
	       "prctl: %s", strerror(errno));
	fx_init(&fx, 127);
	fx_stack(&fx, 6, me, "worker-thread", 2, 0xffffffff81100055ull,
		 0xffffffff81100060ull);
	fx_stack(&fx, 5, NO_PID, "gone one;x", 2, 0xffffffff81100055ull,
		 0xffffffff81100060ull);
	fx_stack(&fx, 4, NO_PID + 1, "gone one;x", 2, 0xffffffff81100055ull,
		 0xffffffff81100060ull);
	fx_stack(&fx, 3, 0, "swapper/1", 1, 0xffffffff81100055ull);
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);

	comm = symtab_process_comm(&tab, &fx.stacks[0], &thread);
	EXPECT(!strcmp(comm, "outtest main") && !thread,
	       "own process: '%s', thread %d", comm, thread);
	comm = symtab_process_comm(&tab, &fx.stacks[1], &thread);
	EXPECT(!strcmp(comm, "gone one;x") && thread,
	       "gone process: '%s', thread %d", comm, thread);

	out = print(&fx, &tab, 0, 0, 1);
	snprintf(want, sizeof(want),
		 "pid %u (outtest main)\n"
		 "  next_fn+0x5\n"
		 "  next_fn+0x10\n"
		 "    6\n"
		 "\n"
		 "pid %u (thread: gone one;x)\n"
		 "  next_fn+0x5\n"
		 "  next_fn+0x10\n"
		 "    5\n"
		 "\n"
		 "pid %u (thread: gone one;x)\n"
		 "  next_fn+0x5\n"
		 "  next_fn+0x10\n"
		 "    4\n"
		 "\n"
		 "pid 0 (thread: swapper/1)\n"
		 "  next_fn+0x5\n"
		 "    3\n", me, NO_PID, NO_PID + 1);
	expect_output("text -P", out, want);
	free(out);

	out = print(&fx, &tab, 1, 0, 1);
	snprintf(want, sizeof(want),
		 "outtest_main-%u;next_fn;next_fn 6\n"
		 "thread:gone_one_x-%u;next_fn;next_fn 5\n"
		 "thread:gone_one_x-%u;next_fn;next_fn 4\n"
		 "thread:swapper/1-0;next_fn 3\n", me, NO_PID, NO_PID + 1);
	expect_output("folded -P", out, want);
	free(out);
	symtab_free(&tab);

	/* Read at output time: a rename after the window shows. */
	EXPECT(!prctl(PR_SET_NAME, "renamed", 0, 0, 0), "prctl: %s",
	       strerror(errno));
	err = symtab_build(&tab, &fx.set, kallsyms);
	comm = symtab_process_comm(&tab, &fx.stacks[0], &thread);
	snprintf(name, sizeof(name), "%s", comm);
	EXPECT(!err && !strcmp(name, "renamed") && !thread,
	       "after prctl: '%s'", name);
	symtab_free(&tab);
	test_end("output_per_process_names");
}

/*
 * -T: "tid TID (NAME) of pid PID", NAME the thread's own, read from
 * /proc/PID/task/TID/comm at output time (this thread's, set below, not
 * the name the program saw), or for a thread gone the name the program
 * saw, unmarked (a thread's name either way).  Folded: NAME-PID/TID, one
 * name per thread whatever each stack saw.
 */
static void test_threads(void)
{
	char want[1024];
	unsigned int me = getpid();
	struct fx fx;
	struct symtab tab;
	const char *comm;
	char *out;
	int thread, err;

	EXPECT(!prctl(PR_SET_NAME, "outtest thr", 0, 0, 0),
	       "prctl: %s", strerror(errno));
	fx_init(&fx, 127);
	fx_stack(&fx, 7, me, "seen name", 2, 0xffffffff81100055ull,
		 0xffffffff81100060ull);
	fx_stack(&fx, 5, NO_PID, "gone;t x", 1, 0xffffffff81100055ull);
	fx_stack(&fx, 2, me, "other name", 1, 0xffffffff81100055ull);
	fx.stacks[0].tid = me;
	fx.stacks[1].tid = NO_PID + 2;
	fx.stacks[2].tid = me;
	err = symtab_build(&tab, &fx.set, kallsyms);
	EXPECT(!err, "symtab_build returned %d", err);
	comm = symtab_process_comm(&tab, &fx.stacks[2], &thread);
	EXPECT(!strcmp(comm, "outtest thr") && !thread,
	       "own thread: '%s', thread %d", comm, thread);

	out = print(&fx, &tab, 0, 0, 2);
	snprintf(want, sizeof(want),
		 "tid %u (outtest thr) of pid %u\n"
		 "  next_fn+0x5\n"
		 "  next_fn+0x10\n"
		 "    7\n"
		 "\n"
		 "tid %u (gone;t x) of pid %u\n"
		 "  next_fn+0x5\n"
		 "    5\n"
		 "\n"
		 "tid %u (outtest thr) of pid %u\n"
		 "  next_fn+0x5\n"
		 "    2\n", me, me, NO_PID + 2, NO_PID, me, me);
	expect_output("text -T", out, want);
	free(out);

	out = print(&fx, &tab, 1, 0, 2);
	snprintf(want, sizeof(want),
		 "outtest_thr-%u/%u;next_fn;next_fn 7\n"
		 "gone_t_x-%u/%u;next_fn 5\n"
		 "outtest_thr-%u/%u;next_fn 2\n", me, me, NO_PID, NO_PID + 2,
		 me, me);
	expect_output("folded -T", out, want);
	free(out);
	symtab_free(&tab);
	test_end("output_per_thread_names");
}

/* Unreadable kallsyms: bare addresses, -P still named. */
static void test_no_kallsyms(void)
{
	char path[4200];
	struct fx fx;
	struct symtab tab;
	char *out;
	int err;

	snprintf(path, sizeof(path), "%s/zero", fixtures);
	fx_init(&fx, 2);
	fx_stack(&fx, 1, NO_PID, "t", 2, 0xffffffff81100055ull,
		 0xffffffff81100040ull);
	err = symtab_build(&tab, &fx.set, path);
	EXPECT(err == -EACCES, "returned %d", err);
	out = print(&fx, &tab, 0, 0, 1);
	snprintf(path, sizeof(path),
		 "pid %u (thread: t)\n"
		 "  0xffffffff81100055\n"
		 "  0xffffffff81100040\n"
		 "  [truncated]\n"
		 "    1\n", NO_PID);
	expect_output("hidden", out, path);
	free(out);
	symtab_free(&tab);
	test_end("output_kallsyms_hidden");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fixtures = argv[1];
	snprintf(kallsyms, sizeof(kallsyms), "%s/frames", fixtures);
	test_return_addresses();
	test_traced_alias();
	test_truncated();
	test_processes();
	test_threads();
	test_no_kallsyms();
	return 0;
}
