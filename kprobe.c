// SPDX-License-Identifier: GPL-2.0
/* kprobe.c - attach BPF programs through the kprobe PMU; see kprobe.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "kprobe.h"

int kprobe_pmu_type(void)
{
	FILE *f = fopen(KPROBE_PMU_TYPE, "re");
	int type, err = 0;

	if (!f)
		return errno == ENOENT ? -ENOENT : -errno;
	if (fscanf(f, "%d", &type) != 1 || type < 0)
		err = -EINVAL;
	fclose(f);
	return err ? err : type;
}

static int perf_event_open(struct perf_event_attr *attr, int cpu)
{
	long fd = syscall(__NR_perf_event_open, attr, -1, cpu, -1,
			  PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

int kprobe_attach(int pmu_type, const char *func, unsigned long addr,
		  unsigned long offset, int prog_fd)
{
	struct perf_event_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu_type;
	if (func) {
		attr.kprobe_func = (__u64)(unsigned long)func;
		attr.probe_offset = offset;
	} else {
		/* No name: the kernel takes config2 as an absolute address. */
		attr.kprobe_addr = addr + offset;
	}
	attr.sample_period = 1;
	attr.disabled = 1;

	/*
	 * pid -1 with one CPU: the BPF program runs for hits on every CPU
	 * whatever CPU the event is bound to, so one event is enough.
	 */
	fd = perf_event_open(&attr, 0);
	if (fd < 0)
		return fd;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}
