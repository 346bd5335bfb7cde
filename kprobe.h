/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kprobe.h - attach a BPF program to a kernel function via the kprobe PMU.
 *
 * The probe is a perf event: it exists exactly as long as its file
 * descriptor, so a tracer that dies leaves nothing in the kernel.
 */
#ifndef SHOW_BT_KPROBE_H
#define SHOW_BT_KPROBE_H

#include <stddef.h>
#include <linux/types.h>

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"
#define KPROBE_BLACKLIST "/sys/kernel/debug/kprobes/blacklist"
#define KPROBE_LIST "/sys/kernel/debug/kprobes/list"
#define KPROBES_ENABLED "/sys/kernel/debug/kprobes/enabled"
#define FTRACE_ENABLED "/proc/sys/kernel/ftrace_enabled"

/* The kprobe PMU's perf type, or -ENOENT when the kernel has none. */
int kprobe_pmu_type(void);

/*
 * A kprobe on func+offset (or, with func NULL, the address addr+offset),
 * disabled, running nothing: the kernel registers it (kprobes/list shows
 * where it went).  Returns its fd or a negative errno.
 */
int kprobe_open(int pmu_type, const char *func, unsigned long addr,
		unsigned long offset);

/*
 * Probe func+offset (or, with func NULL, the address addr+offset), run
 * prog_fd on every hit, and enable it.  With link_fd NULL the program is
 * set with PERF_EVENT_IOC_SET_BPF; else through a perf-event BPF link,
 * whose fd goes to *link_fd.  Returns the probe's fd (close it, and the
 * link, to detach) or a negative errno.
 */
int kprobe_attach(int pmu_type, const char *func, unsigned long addr,
		  unsigned long offset, int prog_fd, int *link_fd);

/*
 * What kprobes and tracepoints share (tracepoint.c): open a perf event
 * for every process on one CPU (the BPF program runs for hits on every
 * CPU, whatever CPU the event is bound to); put prog_fd on an event as
 * kprobe_attach() does, and enable it (on failure the link is closed, the
 * event is left to the caller).  An fd or 0, else a negative errno.
 */
struct perf_event_attr;
int perf_event_open_cpu(struct perf_event_attr *attr, int cpu);
int perf_event_run_prog(int fd, int prog_fd, int *link_fd);

/*
 * Hits the kprobe of a perf-event link skipped (it was already running a
 * handler on that CPU: an interrupt came during a hit).  0, or -errno
 * where the kernel does not say (before Linux 6.7: the field is there
 * from 6.7, reading as 0 on 6.6, so callers check the version).
 */
int kprobe_link_missed(int link_fd, __u64 *missed);

/*
 * Whether the kernel has kprobe_multi links, told without side effects
 * from a symbol /proc/kallsyms lists only then: the links came in Linux
 * 5.18 and are built only with CONFIG_FPROBE (Debian's 6.12 has it, its
 * 6.1 does not), and this function, which releases such a link, is in
 * kernel/trace/bpf_trace.c under that option.  It is called through the
 * link's ops table, so the compiler cannot inline it away.  A text
 * symbol: the name is listed even where kptr_restrict hides addresses.
 */
#define KPROBE_MULTI_SYMBOL "bpf_kprobe_multi_link_release"

/*
 * One kprobe_multi link (BPF_LINK_CREATE, BPF_TRACE_KPROBE_MULTI) running
 * prog_fd, which must have been loaded with that expected attach type, on
 * entry to each function that starts at addrs[0..n): one fprobe, armed
 * for every function in one ftrace update.  All or nothing: the kernel
 * refuses the whole link if it refuses one address (one ftrace cannot
 * trace: EINVAL or ENOENT, by version).  Returns the link's fd (closing
 * it detaches) or a negative errno.
 */
int kprobe_multi_attach(int prog_fd, const unsigned long *addrs, size_t n);

/*
 * Hits the link's fprobe skipped (ftrace's recursion guard: a hit made
 * while a handler already ran on that CPU), as kprobe_link_missed() for
 * perf-event links: in the link's info since Linux 6.7.
 */
int kprobe_multi_missed(int link_fd, __u64 *missed);

#endif
