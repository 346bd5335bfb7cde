// SPDX-License-Identifier: GPL-2.0
/* kprobe.c - attach BPF programs through the kprobe PMU; see kprobe.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

#include "kprobe.h"
#include "numparse.h"

int kprobe_pmu_type(void)
{
	int type, err = num_read_int(KPROBE_PMU_TYPE, &type);

	if (err == -ERANGE || (!err && type < 0))
		err = -EINVAL;
	return err ? err : type;
}

int perf_event_open_cpu(struct perf_event_attr *attr, int cpu)
{
	long fd = syscall(__NR_perf_event_open, attr, -1, cpu, -1,
			  PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : (int)fd;
}

/*
 * The card's way: PERF_EVENT_IOC_SET_BPF puts the program on the event.
 * The other: a perf-event BPF link (BPF_LINK_CREATE, BPF_PERF_EVENT; Linux
 * 5.15), which does the same and, since Linux 6.7, tells how many hits
 * the kprobe itself skipped (see kprobe_link_missed()).
 */
static int set_prog(int fd, int prog_fd, int *link_fd)
{
	union bpf_attr attr;
	long ret;

	if (!link_fd)
		return ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ?
		       -errno : 0;
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.target_fd = fd;
	attr.link_create.attach_type = BPF_PERF_EVENT;
	ret = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	if (ret < 0)
		return -errno;
	*link_fd = ret;
	return 0;
}

int kprobe_open(int pmu_type, const char *func, unsigned long addr,
		unsigned long offset)
{
	struct perf_event_attr attr;

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
	return perf_event_open_cpu(&attr, 0);
}

int kprobe_attach(int pmu_type, const char *func, unsigned long addr,
		  unsigned long offset, int prog_fd, int *link_fd)
{
	int fd, err;

	fd = kprobe_open(pmu_type, func, addr, offset);
	if (fd < 0)
		return fd;
	err = perf_event_run_prog(fd, prog_fd, link_fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int perf_event_run_prog(int fd, int prog_fd, int *link_fd)
{
	int err = set_prog(fd, prog_fd, link_fd);

	if (!err && ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		err = -errno;
		if (link_fd)
			close(*link_fd);
	}
	return err;
}

/*
 * What BPF_OBJ_GET_INFO_BY_FD fills in for a perf-event link on a kprobe:
 * struct bpf_link_info's head, then its perf_event member (Linux 6.6;
 * missed since 6.7).  Spelled out, since the uapi headers show_bt is
 * built against may be older than the kernel it runs on.
 */
struct perf_link_info {
	__u32 type;		/* BPF_LINK_TYPE_PERF_EVENT */
	__u32 id;
	__u32 prog_id;
	__u32 pad;		/* the union is 8-byte aligned */
	__u32 event_type;	/* enum bpf_perf_event_type */
	__u32 pad2;
	__u64 func_name;	/* we ask for no name: 0 and 0 */
	__u32 name_len;
	__u32 offset;
	__u64 addr;
	__u64 missed;
	__u64 cookie;
};

#define LINK_TYPE_PERF_EVENT	7	/* BPF_LINK_TYPE_PERF_EVENT */
#define PERF_EVENT_KPROBE	3	/* BPF_PERF_EVENT_KPROBE */

static int link_info(int link_fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(info, 0, len);
	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = link_fd;
	attr.info.info_len = len;
	attr.info.info = (__u64)(unsigned long)info;
	if (syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

int kprobe_link_missed(int link_fd, __u64 *missed)
{
	struct perf_link_info info;
	int err = link_info(link_fd, &info, sizeof(info));

	if (err)
		return err;
	if (info.type != LINK_TYPE_PERF_EVENT ||
	    info.event_type != PERF_EVENT_KPROBE)
		return -EOPNOTSUPP;
	*missed = info.missed;
	return 0;
}

int kprobe_multi_attach(int prog_fd, const unsigned long *addrs, size_t n)
{
	union bpf_attr attr;
	long ret;

	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = prog_fd;
	attr.link_create.attach_type = BPF_TRACE_KPROBE_MULTI;
	/*
	 * By address, not by name (syms): the caller has told apart the
	 * static functions that share a name, which the kernel would
	 * resolve to one of them, and module functions, which older
	 * kernels look for among the kernel's own names only.
	 */
	attr.link_create.kprobe_multi.addrs = (__u64)(unsigned long)addrs;
	attr.link_create.kprobe_multi.cnt = n;
	ret = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return ret < 0 ? -errno : (int)ret;
}

/*
 * What BPF_OBJ_GET_INFO_BY_FD fills in for a kprobe_multi link: struct
 * bpf_link_info's head, then its kprobe_multi member (Linux 6.6; missed
 * since 6.7, cookies since 6.9).  Spelled out as struct perf_link_info
 * is, since the uapi headers show_bt is built against (6.1's) have none.
 * addrs 0 and count 0 ask for no addresses; the kernel answers with the
 * count.  Kernels before 6.6 fill in the head only.
 */
struct multi_link_info {
	__u32 type;		/* BPF_LINK_TYPE_KPROBE_MULTI */
	__u32 id;
	__u32 prog_id;
	__u32 pad;		/* the union is 8-byte aligned */
	__u64 addrs;		/* in: where to copy the addresses; we ask 0 */
	__u32 count;		/* in: room there (0); out: functions */
	__u32 flags;		/* BPF_F_KPROBE_MULTI_RETURN or 0 */
	__u64 missed;		/* the fprobe's nmissed */
	__u64 cookies;
};

#define LINK_TYPE_KPROBE_MULTI	8	/* BPF_LINK_TYPE_KPROBE_MULTI */

int kprobe_multi_missed(int link_fd, __u64 *missed)
{
	struct multi_link_info info;
	int err = link_info(link_fd, &info, sizeof(info));

	if (err)
		return err;
	if (info.type != LINK_TYPE_KPROBE_MULTI)
		return -EOPNOTSUPP;
	*missed = info.missed;
	return 0;
}
