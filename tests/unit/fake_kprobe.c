// SPDX-License-Identifier: GPL-2.0
/*
 * fake_kprobe.c - kprobe.h's functions without a kernel, for unit tests
 * of what show_bt asks the kernel for.  Every probe asked for is noted in
 * fake_calls (by name or by address), and answered as fake_kernel says:
 * a probe by name is taken, as kernels before the EADDRNOTAVAIL check
 * did, or refused with EADDRNOTAVAIL when fake_shared_name says the name
 * is shared.  An address in fake_refused is refused with EINVAL (ftrace
 * cannot trace it).  Descriptors are those of /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../kprobe.h"
#include "fake_kprobe.h"

struct fake_kernel fake_kernel;
struct fake_call fake_calls[FAKE_CALLS_MAX];
size_t fake_ncalls;

void fake_reset(void)
{
	memset(&fake_kernel, 0, sizeof(fake_kernel));
	memset(fake_calls, 0, sizeof(fake_calls));
	fake_ncalls = 0;
}

static void note(const char *func, unsigned long addr, int multi)
{
	struct fake_call *c;

	if (fake_ncalls == FAKE_CALLS_MAX)
		return;
	c = &fake_calls[fake_ncalls++];
	c->by_name = func != NULL;
	if (func)
		strncpy(c->name, func, sizeof(c->name) - 1);
	c->addr = addr;
	c->multi = multi;
}

static int refused(unsigned long addr)
{
	size_t i;

	for (i = 0; i < fake_kernel.nrefused; i++)
		if (fake_kernel.refused[i] == addr)
			return 1;
	return 0;
}

static int fake_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int kprobe_pmu_type(void)
{
	return 6;
}

int kprobe_open(int pmu_type, const char *func, unsigned long addr,
		unsigned long offset)
{
	(void)pmu_type;
	note(func, addr + offset, 0);
	if (func && fake_kernel.refuses_shared &&
	    !strcmp(func, fake_kernel.shared_name))
		return -EADDRNOTAVAIL;
	if (!func && refused(addr + offset))
		return -EINVAL;
	return fake_fd();
}

int kprobe_attach(int pmu_type, const char *func, unsigned long addr,
		  unsigned long offset, int prog_fd, int *link_fd)
{
	int fd = kprobe_open(pmu_type, func, addr, offset);

	(void)prog_fd;
	if (fd >= 0 && link_fd)
		*link_fd = -1;
	return fd;
}

int kprobe_link_missed(int link_fd, __u64 *missed)
{
	(void)link_fd;
	*missed = 0;
	return 0;
}

int kprobe_multi_attach(int prog_fd, const unsigned long *addrs, size_t n)
{
	size_t i;

	(void)prog_fd;
	for (i = 0; i < n; i++) {
		note(NULL, addrs[i], 1);
		if (refused(addrs[i]))
			return -EINVAL;
	}
	return fake_fd();
}

int kprobe_multi_missed(int link_fd, __u64 *missed)
{
	(void)link_fd;
	*missed = 0;
	return 0;
}

/* Tracepoints: no test here attaches one. */
int perf_event_open_cpu(struct perf_event_attr *attr, int cpu)
{
	(void)attr;
	(void)cpu;
	return -ENOSYS;
}

int perf_event_run_prog(int fd, int prog_fd, int *link_fd)
{
	(void)fd;
	(void)prog_fd;
	(void)link_fd;
	return -ENOSYS;
}
