/* SPDX-License-Identifier: GPL-2.0 */
/*
 * preflight.h - what is checked and set before the kernel is asked
 * anything: the standard descriptors, the kernel's age, -p's process, the
 * descriptor limit.  Each check says what is wrong in one line (msg.h)
 * and returns a negative errno.
 */
#ifndef SHOW_BT_PREFLIGHT_H
#define SHOW_BT_PREFLIGHT_H

#include "kfeatures.h"

/*
 * Closed standard descriptors would be reused by the first maps created,
 * and the output would go into a BPF map: stdin and stderr get /dev/null;
 * a closed stdout is an error, since the output is the point.
 */
int check_stdio(void);

/* The oldest kernel show_bt can work on: 4.18 (bpf_get_stack). */
int check_kernel(const struct kfeatures *f);

/* -p names a process: one that exists, and not one of its threads. */
int check_pid(int pid);

/* One descriptor per probe and per map: lift the soft limit to the hard. */
void raise_nofile(void);

#endif
