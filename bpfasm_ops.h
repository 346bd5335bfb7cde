/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfasm_ops.h - the syntax the codec of bpfasm.h prints and parses, one
 * table per instruction class (ALU operators, byte swaps, comparisons,
 * access sizes, atomic operations) and the helpers' names: bpfasm_ops.c
 * holds them, bpfasm_print.c and bpfasm_parse.c both read them, so an
 * operator added to a table is printed, parsed and offered in the
 * parser's messages in one go.  Private to those three files.
 */
#ifndef SHOW_BT_BPFASM_OPS_H
#define SHOW_BT_BPFASM_OPS_H

#include <stddef.h>
#include <linux/bpf.h>

/* Opcodes newer than some uapi headers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80	/* sign-extending load (Linux 6.6) */
#endif
#ifndef BPF_NOSPEC
#define BPF_NOSPEC	0xc0	/* kernel-internal: speculation barrier */
#endif

/*
 * One entry of a class's table: its text, the bits of the instruction it
 * stands for, and an argument whose meaning the table's comment gives.
 */
struct op {
	const char *text;
	int code;
	int arg;
};

/* A class's table: its entries and how many. */
struct op_table {
	const struct op *ops;
	size_t n;
};

/* The tables; bpfasm_ops.c says what each entry's arg means. */
extern const struct op_table alu_ops, swaps, jmp_ops, mem_sizes, lock_ops,
	fetch_ops;

/* The entry of a table for code (and arg); NULL if none. */
const struct op *op_of(const struct op *ops, size_t n, int code);
const struct op *op_of_arg(const struct op *ops, size_t n, int code,
			   int arg);
/* Bits of a BPF_SIZE. */
int size_bits(int size);
/* The sign-extending size of bits bits (8, 16, 32): "s8"; NULL if none. */
const struct op *sx_size(int bits);
/* The fetching atomic operation imm at this width (32, 64); NULL if none. */
const struct op *fetch_op(int imm, int bits);
/*
 * A table's texts for a message: "a, b, c", or "a, b or c" with last
 * " or ".  What the parser takes is what its messages offer.
 */
const char *op_list(char *buf, size_t size, const struct op *ops,
		    size_t n, const char *last);
/* A helper's name ("bpf_get_stackid"); NULL if none. */
const char *helper_name(long long id);
/* The helper called name, with or without its "bpf_" prefix; -1 if none. */
int helper_id(const char *name, size_t len);

#endif
