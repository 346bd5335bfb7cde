// SPDX-License-Identifier: GPL-2.0
/*
 * floor - the floors under show_bt: a kprobe on FUNC running nothing, or
 * only bpf_get_stackid(), loaded and attached with show_bt's own bpf.c and
 * kprobe.c (bench.sh links them in), as show_bt attaches a single function.
 *
 *   floor empty FUNC      "r0 = 0; exit": the floor for any BPF tracer's
 *                         cost per call, and the minimal loader whose
 *                         startup is the floor for show_bt's
 *   floor stackid FUNC    bpf_get_stackid(ctx, &stacks, 0), result unused:
 *                         the floor for any tracer that keeps stacks
 *
 * The stack map is the one show_bt makes by default: 1024 slots of
 * kernel.perf_event_max_stack frames (at most 127).  Prints
 * "floor: timing: attached T" on stderr (T: CLOCK_MONOTONIC seconds) when
 * the probe is enabled, waits for SIGINT or SIGTERM, prints "floor:
 * timing: window_end T", detaches and exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "insn.h"
#include "kprobe.h"

#define SLOTS		1024
#define MAX_DEPTH	127
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void stamp(const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "floor: timing: %s %.6f\n", what,
		ts.tv_sec + ts.tv_nsec / 1e9);
}

static unsigned int stack_depth(void)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_stack", "re");
	unsigned int depth = MAX_DEPTH, v;

	if (f) {
		if (fscanf(f, "%u", &v) == 1 && v > 0 && v < depth)
			depth = v;
		fclose(f);
	}
	return depth;
}

static int load_empty(void)
{
	const struct bpf_insn prog[] = {
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	return bpf_prog_load_kprobe(prog, ARRAY_SIZE(prog), "floor_empty",
				    "GPL", 0, NULL, 0);
}

static int load_stackid(int map_fd)
{
	const struct bpf_insn prog[] = {
		/* r1 = ctx already; r2 = &stacks; r3 = 0 (no flags) */
		BPF_LD_MAP_FD(BPF_REG_2, map_fd),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_CALL_HELPER(BPF_FUNC_get_stackid),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	return bpf_prog_load_kprobe(prog, ARRAY_SIZE(prog), "floor_stackid",
				    "GPL", 0, NULL, 0);
}

int main(int argc, char **argv)
{
	int type, map_fd = -1, prog_fd, fd, sig;
	sigset_t set;

	if (argc != 3 || (strcmp(argv[1], "empty") &&
			  strcmp(argv[1], "stackid"))) {
		fprintf(stderr, "usage: floor empty|stackid FUNC\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	type = kprobe_pmu_type();
	if (type < 0) {
		fprintf(stderr, "floor: no kprobe PMU: %s\n", strerror(-type));
		return 1;
	}
	if (!strcmp(argv[1], "empty")) {
		prog_fd = load_empty();
	} else {
		map_fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE,
					sizeof(__u32),
					stack_depth() * sizeof(__u64), SLOTS,
					0, "floor_stacks");
		if (map_fd < 0) {
			fprintf(stderr, "floor: stack map: %s\n",
				strerror(-map_fd));
			return 1;
		}
		prog_fd = load_stackid(map_fd);
	}
	if (prog_fd < 0) {
		fprintf(stderr, "floor: load failed: %s\n", strerror(-prog_fd));
		return 1;
	}
	fd = kprobe_attach(type, argv[2], 0, 0, prog_fd, NULL);
	if (fd < 0) {
		fprintf(stderr, "floor: cannot probe %s: %s\n", argv[2],
			strerror(-fd));
		return 1;
	}
	stamp("attached");
	sigwait(&set, &sig);
	stamp("window_end");
	close(fd);
	close(prog_fd);
	if (map_fd >= 0)
		close(map_fd);
	return 0;
}
