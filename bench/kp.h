/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kp.h - the few raw system calls the bench's helper programs share: load
 * a kprobe BPF program, put it on a kernel function through the kprobe PMU
 * (as show_bt does), read CLOCK_MONOTONIC.  Header-only: each helper is one
 * C file plus this.
 */
#ifndef BENCH_KP_H
#define BENCH_KP_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#define KP_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"

static inline double kp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int kp_bpf(int cmd, union bpf_attr *attr)
{
	long ret = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return ret < 0 ? -errno : (int)ret;
}

/* A GPL kprobe program (bpf_get_stackid() is GPL-only). */
static inline int kp_prog_load(const struct bpf_insn *insns, size_t n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_KPROBE;
	attr.insns = (__u64)(unsigned long)insns;
	attr.insn_cnt = n;
	attr.license = (__u64)(unsigned long)"GPL";
	return kp_bpf(BPF_PROG_LOAD, &attr);
}

static inline int kp_pmu_type(void)
{
	FILE *f = fopen(KP_PMU_TYPE, "re");
	int type = -ENOENT;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = -EINVAL;
		fclose(f);
	}
	return type;
}

/* Probe func, run prog_fd on each hit; the probe's fd, or -errno. */
static inline int kp_attach(int type, const char *func, int prog_fd)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.kprobe_func = (__u64)(unsigned long)func;
	attr.sample_period = 1;
	attr.disabled = 1;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

#endif
