/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfasm.h - BPF programs as text, both ways, in the syntax llvm-objdump
 * prints for BPF ("r6 = r1", "call 27", "if r0 s< 0 goto +9",
 * "lock *(u64 *)(r0 + 0) += r1"), with maps named, not numbered:
 * "r2 = map[stacks] ll".  For --dump, --prog and --xlated.
 */
#ifndef SHOW_BT_BPFASM_H
#define SHOW_BT_BPFASM_H

#include <stddef.h>
#include <stdio.h>

#include "prog.h"

/*
 * The program, one instruction a line ("%4zu: TEXT", helper calls with
 * their names in a trailing comment), each group's note before it as a
 * "; ..." comment line.  Map loads name the map (prog_map_name()).
 */
void bpfasm_print(FILE *out, const struct prog *prog,
		  const struct prog_maps *maps);

/*
 * Read text in the syntax bpfasm_print() writes (instruction numbers and
 * comments optional) into prog; "map[NAME]" becomes the fd of that map.
 * Returns 0, or -1 with "line L, column C: what is wrong" in err.
 */
int bpfasm_parse(const char *text, struct prog *prog,
		 const struct prog_maps *maps, char *err, size_t size);

/*
 * --xlated: read the loaded program back (BPF_OBJ_GET_INFO_BY_FD) and
 * print what the kernel made of it beside orig: the rewritten
 * instructions, the JIT-ed size, the map ids.  Returns 0 or -errno.
 */
int bpfasm_print_xlated(FILE *out, int prog_fd, const struct prog *orig,
			const struct prog_maps *maps);

#endif
