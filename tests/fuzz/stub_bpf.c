// SPDX-License-Identifier: GPL-2.0
/*
 * stub_bpf.c - for the targets that link prog.c (the map names) without
 * the BPF layer: prog_maps_create() is never called there, so no map is
 * ever created.
 */
#include <errno.h>

#include "../../bpf.h"

int bpf_map_create(enum bpf_map_type type, unsigned int key_size,
		   unsigned int value_size, unsigned int max_entries,
		   unsigned int flags, const char *name)
{
	(void)type, (void)key_size, (void)value_size, (void)max_entries;
	(void)flags, (void)name;
	return -ENOSYS;
}
