/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kprobe.h - attach a BPF program to a kernel function via the kprobe PMU.
 *
 * The probe is a perf event: it exists exactly as long as its file
 * descriptor, so a tracer that dies leaves nothing in the kernel.
 */
#ifndef SHOW_BT_KPROBE_H
#define SHOW_BT_KPROBE_H

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"
#define KPROBE_BLACKLIST "/sys/kernel/debug/kprobes/blacklist"
#define KPROBES_ENABLED "/sys/kernel/debug/kprobes/enabled"
#define FTRACE_ENABLED "/proc/sys/kernel/ftrace_enabled"

/* The kprobe PMU's perf type, or -ENOENT when the kernel has none. */
int kprobe_pmu_type(void);

/*
 * Probe func+offset (or, with func NULL, the address addr+offset), run
 * prog_fd on every hit, and enable it.  Returns the probe's fd (close it to
 * detach) or a negative errno.
 */
int kprobe_attach(int pmu_type, const char *func, unsigned long addr,
		  unsigned long offset, int prog_fd);


#endif
