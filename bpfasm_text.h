/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfasm_text.h - one instruction as text, by the codec of bpfasm.h
 * (bpfasm_print.c), for bpfasm_xlated.c: it prints the kernel's rewrite of
 * a program beside ours, in the same syntax and the same columns.
 */
#ifndef SHOW_BT_BPFASM_TEXT_H
#define SHOW_BT_BPFASM_TEXT_H

#include <stddef.h>
#include <linux/bpf.h>

#include "prog.h"

/* Where the comments of a listing start. */
#define BPFASM_TEXT_WIDTH	32

/* One instruction as text, and the note its comment says ("" if none). */
struct bpfasm_line {
	char text[96];
	char note[160];
};

/*
 * The instruction at prog[at], left slots remaining from there, into
 * line: notes name a helper call's helper, a jump's target ("-> 58") and,
 * with fd_notes set, a map load's fd.  Map loads name the map from maps
 * (prog_map_name()); with maps NULL they are printed as bytes.  Returns
 * the slots the instruction takes, 1 or 2.  What no syntax says exactly
 * is its 8 bytes, ".quad 0x..." (a little-endian number).
 */
size_t bpfasm_insn_text(const struct bpf_insn *prog, size_t at, size_t left,
			const struct prog_maps *maps, int fd_notes,
			struct bpfasm_line *line);

#endif
