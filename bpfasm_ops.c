// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm_ops.c - the syntax's tables and the helpers' names; see
 * bpfasm_ops.h.
 */
#include <stdio.h>
#include <string.h>

#include "bpfasm_ops.h"

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))


/*
 * BPF_ALU, BPF_ALU64 with two operands: "r1 += r2", "w1 -= 3".  code is
 * the BPF_OP; arg 1 when it has a signed form too, the text after an "s"
 * ("r1 s/= r2"), which is off 1 in the instruction (Linux 6.6).
 */
static const struct op alu_ops_entries[] = {
	{ "+=", BPF_ADD, 0 }, { "-=", BPF_SUB, 0 }, { "*=", BPF_MUL, 0 },
	{ "/=", BPF_DIV, 1 }, { "%=", BPF_MOD, 1 }, { "|=", BPF_OR, 0 },
	{ "&=", BPF_AND, 0 }, { "^=", BPF_XOR, 0 }, { "<<=", BPF_LSH, 0 },
	{ ">>=", BPF_RSH, 0 }, { "s>>=", BPF_ARSH, 0 },
};
const struct op_table alu_ops = {
	alu_ops_entries, NELEMS(alu_ops_entries)
};

/*
 * BPF_ALU, BPF_ALU64 | BPF_END, the byte swaps, in place: "r1 = be16 r1",
 * "r1 = bswap64 r1" (Linux 6.6).  code is the class and BPF_SRC, arg the
 * width (imm).
 */
static const struct op swaps_entries[] = {
	{ "le16", BPF_ALU | BPF_TO_LE, 16 },
	{ "le32", BPF_ALU | BPF_TO_LE, 32 },
	{ "le64", BPF_ALU | BPF_TO_LE, 64 },
	{ "be16", BPF_ALU | BPF_TO_BE, 16 },
	{ "be32", BPF_ALU | BPF_TO_BE, 32 },
	{ "be64", BPF_ALU | BPF_TO_BE, 64 },
	{ "bswap16", BPF_ALU64 | BPF_TO_LE, 16 },
	{ "bswap32", BPF_ALU64 | BPF_TO_LE, 32 },
	{ "bswap64", BPF_ALU64 | BPF_TO_LE, 64 },
};
const struct op_table swaps = {
	swaps_entries, NELEMS(swaps_entries)
};

/*
 * BPF_JMP, BPF_JMP32 conditions: "if r1 s>= 3 goto +2".  code is the
 * BPF_OP.  (goto, call and exit are words of their own.)
 */
static const struct op jmp_ops_entries[] = {
	{ "==", BPF_JEQ, 0 }, { "!=", BPF_JNE, 0 }, { ">", BPF_JGT, 0 },
	{ ">=", BPF_JGE, 0 }, { "<", BPF_JLT, 0 }, { "<=", BPF_JLE, 0 },
	{ "s>", BPF_JSGT, 0 }, { "s>=", BPF_JSGE, 0 }, { "s<", BPF_JSLT, 0 },
	{ "s<=", BPF_JSLE, 0 }, { "&", BPF_JSET, 0 },
};
const struct op_table jmp_ops = {
	jmp_ops_entries, NELEMS(jmp_ops_entries)
};

/*
 * BPF_LDX, BPF_ST, BPF_STX: the size of an access, "*(u32 *)(r1 + 0)".
 * code is the BPF_SIZE; arg 1 for a sign-extending load (BPF_MEMSX,
 * Linux 6.6), whose sizes also name the sign-extending moves:
 * "r1 = (s8)r2" (off 8).
 */
static const struct op mem_sizes_entries[] = {
	{ "u8", BPF_B, 0 }, { "u16", BPF_H, 0 }, { "u32", BPF_W, 0 },
	{ "u64", BPF_DW, 0 }, { "s8", BPF_B, 1 }, { "s16", BPF_H, 1 },
	{ "s32", BPF_W, 1 },
};
const struct op_table mem_sizes = {
	mem_sizes_entries, NELEMS(mem_sizes_entries)
};

/*
 * BPF_STX | BPF_ATOMIC, the operations without BPF_FETCH, as llvm writes
 * them: "lock *(u64 *)(r1 + 0) += r2".  code is the operation (imm).
 */
static const struct op lock_ops_entries[] = {
	{ "+=", BPF_ADD, 0 }, { "|=", BPF_OR, 0 }, { "&=", BPF_AND, 0 },
	{ "^=", BPF_XOR, 0 },
};
const struct op_table lock_ops = {
	lock_ops_entries, NELEMS(lock_ops_entries)
};

/*
 * BPF_STX | BPF_ATOMIC, the operations that give the old value back,
 * written as assignments: "r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)",
 * "r2 = xchg_64(r1 + 0, r2)", "r0 = cmpxchg_64(r1 + 0, r0, r2)".  code is
 * the operation (imm); arg the width the name is for, 0 for either.
 */
static const struct op fetch_ops_entries[] = {
	{ "atomic_fetch_add", BPF_ADD | BPF_FETCH, 0 },
	{ "atomic_fetch_or", BPF_OR | BPF_FETCH, 0 },
	{ "atomic_fetch_and", BPF_AND | BPF_FETCH, 0 },
	{ "atomic_fetch_xor", BPF_XOR | BPF_FETCH, 0 },
	{ "xchg_64", BPF_XCHG, 64 }, { "xchg32_32", BPF_XCHG, 32 },
	{ "cmpxchg_64", BPF_CMPXCHG, 64 }, { "cmpxchg32_32", BPF_CMPXCHG, 32 },
};
const struct op_table fetch_ops = {
	fetch_ops_entries, NELEMS(fetch_ops_entries)
};

/* The entry of a table for code; NULL if none. */
const struct op *op_of(const struct op *ops, size_t n, int code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ops[i].code == code)
			return &ops[i];
	return NULL;
}

/* The entry of a table for code and arg; NULL if none. */
const struct op *op_of_arg(const struct op *ops, size_t n, int code,
			   int arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ops[i].code == code && ops[i].arg == arg)
			return &ops[i];
	return NULL;
}

/* Bits of a BPF_SIZE. */
int size_bits(int size)
{
	switch (size) {
	case BPF_B:
		return 8;
	case BPF_H:
		return 16;
	case BPF_W:
		return 32;
	default:
		return 64;
	}
}

/* The sign-extending size of bits bits (8, 16, 32): "s8"; NULL if none. */
const struct op *sx_size(int bits)
{
	size_t i;

	for (i = 0; i < NELEMS(mem_sizes_entries); i++)
		if (mem_sizes_entries[i].arg &&
		    size_bits(mem_sizes_entries[i].code) == bits)
			return &mem_sizes_entries[i];
	return NULL;
}

/* The fetching atomic operation imm at this width (32, 64); NULL if none. */
const struct op *fetch_op(int imm, int bits)
{
	size_t i;

	for (i = 0; i < NELEMS(fetch_ops_entries); i++)
		if (fetch_ops_entries[i].code == imm &&
		    (!fetch_ops_entries[i].arg ||
		     fetch_ops_entries[i].arg == bits))
			return &fetch_ops_entries[i];
	return NULL;
}

/*
 * A table's texts for a message: "a, b, c", or "a, b or c" with last
 * " or ".  What the parser takes is what its messages offer.
 */
const char *op_list(char *buf, size_t size, const struct op *ops,
		    size_t n, const char *last)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s",
				!i ? "" : i + 1 < n ? ", " : last,
				ops[i].text);
	return buf;
}

/* ---- helper names ---- */

/* Every uapi header applies FN(name) with commas between. */
#define HELPER_NAME(x, ...) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

const char *helper_name(long long id)
{
	if (id <= 0 || (unsigned long long)id >= NELEMS(helper_names))
		return NULL;
	return helper_names[id];
}

/* The helper called name, with or without its "bpf_" prefix; -1 if none. */
int helper_id(const char *name, size_t len)
{
	size_t i;

	if (len > 4 && !strncmp(name, "bpf_", 4)) {
		name += 4;
		len -= 4;
	}
	for (i = 1; i < NELEMS(helper_names); i++)
		if (helper_names[i] && strlen(helper_names[i]) == len + 4 &&
		    !strncmp(helper_names[i] + 4, name, len))
			return (int)i;
	return -1;
}
