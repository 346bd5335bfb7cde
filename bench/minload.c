// SPDX-License-Identifier: GPL-2.0
/*
 * minload - the least a BPF kprobe tracer must do: load an empty program
 * ("r0 = 0; exit") and attach it to one function through the kprobe PMU.
 * The baseline for show_bt's startup time.
 *
 *   minload FUNC
 *
 * Prints "minload: timing: attached T" on stderr (T = CLOCK_MONOTONIC
 * seconds) once the probe is enabled, waits for SIGINT or SIGTERM, detaches
 * and exits 0.
 */
#include <signal.h>
#include <stdlib.h>

#include "kp.h"

int main(int argc, char **argv)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int type, prog_fd, fd, sig;
	sigset_t set;

	if (argc != 2) {
		fprintf(stderr, "usage: minload FUNC\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);

	type = kp_pmu_type();
	prog_fd = kp_prog_load(prog, 2);
	if (type < 0 || prog_fd < 0) {
		fprintf(stderr, "minload: no kprobe PMU or load failed: %s\n",
			strerror(-(type < 0 ? type : prog_fd)));
		return 1;
	}
	fd = kp_attach(type, argv[1], prog_fd);
	if (fd < 0) {
		fprintf(stderr, "minload: cannot probe %s: %s\n", argv[1],
			strerror(-fd));
		return 1;
	}
	fprintf(stderr, "minload: timing: attached %.6f\n", kp_now());
	sigwait(&set, &sig);
	fprintf(stderr, "minload: timing: window_end %.6f\n", kp_now());
	close(fd);
	close(prog_fd);
	return 0;
}
