// SPDX-License-Identifier: GPL-2.0
/*
 * floor - the floors under show_bt's cost per traced call: a kprobe on FUNC
 * running either nothing or only bpf_get_stackid().
 *
 *   floor empty FUNC      "r0 = 0; exit": the floor for any BPF tracer
 *   floor stackid FUNC    bpf_get_stackid(ctx, &stacks, 0), result unused:
 *                         the floor for any tracer that keeps stacks
 *
 * The stack map is the one show_bt makes by default: 1024 slots of
 * kernel.perf_event_max_stack frames (at most 127).  Prints
 * "floor: timing: attached T" on stderr when the probe is enabled, waits
 * for SIGINT or SIGTERM, detaches and exits 0.
 */
#include <signal.h>
#include <stdlib.h>

#include "kp.h"

#define SLOTS		1024
#define MAX_DEPTH	127

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

static int stack_map(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_STACK_TRACE;
	attr.key_size = sizeof(__u32);
	attr.value_size = stack_depth() * sizeof(__u64);
	attr.max_entries = SLOTS;
	return kp_bpf(BPF_MAP_CREATE, &attr);
}

int main(int argc, char **argv)
{
	struct bpf_insn empty[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct bpf_insn stackid[] = {
		/* r1 = ctx already; r2 = &stacks (two slots); r3 = 0 */
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_2,
		  .src_reg = BPF_PSEUDO_MAP_FD },
		{ .code = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_stackid },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
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

	type = kp_pmu_type();
	if (type < 0) {
		fprintf(stderr, "floor: no kprobe PMU: %s\n", strerror(-type));
		return 1;
	}
	if (!strcmp(argv[1], "empty")) {
		prog_fd = kp_prog_load(empty, 2);
	} else {
		map_fd = stack_map();
		if (map_fd < 0) {
			fprintf(stderr, "floor: stack map: %s\n",
				strerror(-map_fd));
			return 1;
		}
		stackid[0].imm = map_fd;
		prog_fd = kp_prog_load(stackid, 6);
	}
	if (prog_fd < 0) {
		fprintf(stderr, "floor: load failed: %s\n", strerror(-prog_fd));
		return 1;
	}
	fd = kp_attach(type, argv[2], prog_fd);
	if (fd < 0) {
		fprintf(stderr, "floor: cannot probe %s: %s\n", argv[2],
			strerror(-fd));
		return 1;
	}
	fprintf(stderr, "floor: timing: attached %.6f\n", kp_now());
	sigwait(&set, &sig);
	fprintf(stderr, "floor: timing: window_end %.6f\n", kp_now());
	close(fd);
	close(prog_fd);
	if (map_fd >= 0)
		close(map_fd);
	return 0;
}
