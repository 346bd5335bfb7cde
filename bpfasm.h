/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfasm.h - BPF programs as text, both ways, in the syntax llvm-objdump
 * prints for BPF ("r6 = r1", "call 27", "if r0 s< 0 goto +9",
 * "lock *(u64 *)(r0 + 0) += r1"), with maps named, not numbered:
 * "r2 = map[stacks] ll".  For --dump, --prog and --xlated.
 *
 * Comments start with '#' and run to the end of the line: llvm-mc's BPF
 * assembler takes '#' (and "//"), not ';'.  So a listing becomes llvm-mc
 * input by cutting each line's "%4zu: " number and its '#' comment, and
 * replacing map[NAME] with a number (see tests/unit/bpfasm_llvm.sh).
 * What llvm 14 cannot assemble: BPF_ST ("*(u64 *)(r7 + 0) = 0"), and the
 * forms newer than it ("r1 %= 3", "if r1 & 1 goto +1", atomic_fetch_add,
 * xchg, cmpxchg, sign-extending loads and moves, "gotol").
 */
#ifndef SHOW_BT_BPFASM_H
#define SHOW_BT_BPFASM_H

#include <stddef.h>
#include <stdio.h>

#include "prog.h"

/*
 * The program, one instruction a line: "%4zu: TEXT", the number being the
 * instruction's slot (a 64-bit load takes two), then for some a comment:
 * "# bpf_get_stackid" after a helper call, "# -> 58" after a jump (its
 * target).  Each group's note comes first, as "# ..." lines after a blank
 * line.  Map loads name the map (prog_map_name()).  An instruction no
 * syntax describes exactly (an unused field set, an unknown opcode) is
 * printed as its 8 bytes: ".quad 0x..." (a little-endian number), which
 * both llvm-mc and bpfasm_parse() read back to the same bytes.
 */
void bpfasm_print(FILE *out, const struct prog *prog,
		  const struct prog_maps *maps);

/*
 * Read text in the syntax bpfasm_print() writes (instruction numbers
 * optional and ignored; comments start with '#', "//" or ';'; blank lines
 * skipped) into prog; "map[NAME]" becomes the fd of that map, "call NAME"
 * a helper by name (with or without "bpf_"), and a line '.license "MIT"'
 * sets the license the program is loaded under (else GPL).  prog gets no
 * notes.
 * Returns 0, or -1 with "line L, column C: what is wrong" in err.
 */
int bpfasm_parse(const char *text, struct prog *prog,
		 const struct prog_maps *maps, char *err, size_t size);

/*
 * --xlated: read the loaded program back (BPF_OBJ_GET_INFO_BY_FD) and
 * print what the kernel made of it beside orig, row by row: map loads
 * with the map's id where we gave its fd, helper calls with the kernel
 * function they reach (from /proc/kallsyms), instructions the verifier
 * added (inlined lookups) or dropped (dead code), jumps moved; and the
 * JIT-ed size.  Returns 0 or -errno.
 */
int bpfasm_print_xlated(FILE *out, int prog_fd, const struct prog *orig,
			const struct prog_maps *maps);

#endif
