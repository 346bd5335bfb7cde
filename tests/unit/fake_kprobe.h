/* SPDX-License-Identifier: GPL-2.0 */
/* fake_kprobe.h - the kernel fake_kprobe.c plays, and what it was asked. */
#ifndef SHOW_BT_FAKE_KPROBE_H
#define SHOW_BT_FAKE_KPROBE_H

#include <stddef.h>

#define FAKE_CALLS_MAX	64

struct fake_kernel {
	int refuses_shared;	/* EADDRNOTAVAIL for shared_name by name */
	const char *shared_name;
	unsigned long refused[8];	/* EINVAL for these addresses */
	size_t nrefused;
};

struct fake_call {
	int by_name;
	char name[128];
	unsigned long addr;	/* address + offset, when not by name */
	int multi;		/* one of a kprobe_multi link's functions */
};

extern struct fake_kernel fake_kernel;
extern struct fake_call fake_calls[FAKE_CALLS_MAX];
extern size_t fake_ncalls;

void fake_reset(void);

#endif
