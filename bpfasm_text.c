// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm_text.c - the codec of bpfasm.h: BPF programs as text and back,
 * bpfasm_print() and bpfasm_parse(); and bpfasm_insn_text() (see
 * bpfasm_text.h), one instruction, for bpfasm_xlated.c.  It needs libc
 * and prog.c's map names only: no system call, no kallsyms.
 *
 * The syntax is in one table per instruction class (ALU operators, byte
 * swaps, comparisons, access sizes, atomic operations), which the printer
 * and the parser both read, and the parser's messages list: an operator
 * added there is printed, parsed and offered in one go.
 *
 * The printer writes each instruction in llvm-objdump's syntax when that
 * syntax says exactly what the instruction's 8 bytes are, and as
 * ".quad 0x..." (the bytes, as a little-endian number) when it does not: an
 * unused field that is not zero, an opcode no syntax has.  So whatever it
 * prints, llvm-mc and the parser below turn back into the same bytes.
 *
 * The parser reads one line at a time: an optional instruction number
 * ("12:"), an optional instruction, an optional comment ("#", "//" or ";"
 * to the end of the line).  Instruction numbers are ignored, so lines can
 * be added and removed; jumps are relative ("goto +3") and must be fixed
 * by hand when instructions come or go between a jump and its target.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bpfasm.h"
#include "bpfasm_text.h"

/* Opcodes newer than some uapi headers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80	/* sign-extending load (Linux 6.6) */
#endif
#ifndef BPF_NOSPEC
#define BPF_NOSPEC	0xc0	/* kernel-internal: speculation barrier */
#endif

/* How wide the notes before a group of instructions get. */
#define NOTE_WIDTH	76

#define NELEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- the syntax: one table per instruction class ---- */

/*
 * One entry of a class's table: its text, the bits of the instruction it
 * stands for, and an argument whose meaning the table's comment gives.
 */
struct op {
	const char *text;
	int code;
	int arg;
};

/*
 * BPF_ALU, BPF_ALU64 with two operands: "r1 += r2", "w1 -= 3".  code is
 * the BPF_OP; arg 1 when it has a signed form too, the text after an "s"
 * ("r1 s/= r2"), which is off 1 in the instruction (Linux 6.6).
 */
static const struct op alu_ops[] = {
	{ "+=", BPF_ADD, 0 }, { "-=", BPF_SUB, 0 }, { "*=", BPF_MUL, 0 },
	{ "/=", BPF_DIV, 1 }, { "%=", BPF_MOD, 1 }, { "|=", BPF_OR, 0 },
	{ "&=", BPF_AND, 0 }, { "^=", BPF_XOR, 0 }, { "<<=", BPF_LSH, 0 },
	{ ">>=", BPF_RSH, 0 }, { "s>>=", BPF_ARSH, 0 },
};

/*
 * BPF_ALU, BPF_ALU64 | BPF_END, the byte swaps, in place: "r1 = be16 r1",
 * "r1 = bswap64 r1" (Linux 6.6).  code is the class and BPF_SRC, arg the
 * width (imm).
 */
static const struct op swaps[] = {
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

/*
 * BPF_JMP, BPF_JMP32 conditions: "if r1 s>= 3 goto +2".  code is the
 * BPF_OP.  (goto, call and exit are words of their own.)
 */
static const struct op jmp_ops[] = {
	{ "==", BPF_JEQ, 0 }, { "!=", BPF_JNE, 0 }, { ">", BPF_JGT, 0 },
	{ ">=", BPF_JGE, 0 }, { "<", BPF_JLT, 0 }, { "<=", BPF_JLE, 0 },
	{ "s>", BPF_JSGT, 0 }, { "s>=", BPF_JSGE, 0 }, { "s<", BPF_JSLT, 0 },
	{ "s<=", BPF_JSLE, 0 }, { "&", BPF_JSET, 0 },
};

/*
 * BPF_LDX, BPF_ST, BPF_STX: the size of an access, "*(u32 *)(r1 + 0)".
 * code is the BPF_SIZE; arg 1 for a sign-extending load (BPF_MEMSX,
 * Linux 6.6), whose sizes also name the sign-extending moves:
 * "r1 = (s8)r2" (off 8).
 */
static const struct op mem_sizes[] = {
	{ "u8", BPF_B, 0 }, { "u16", BPF_H, 0 }, { "u32", BPF_W, 0 },
	{ "u64", BPF_DW, 0 }, { "s8", BPF_B, 1 }, { "s16", BPF_H, 1 },
	{ "s32", BPF_W, 1 },
};

/*
 * BPF_STX | BPF_ATOMIC, the operations without BPF_FETCH, as llvm writes
 * them: "lock *(u64 *)(r1 + 0) += r2".  code is the operation (imm).
 */
static const struct op lock_ops[] = {
	{ "+=", BPF_ADD, 0 }, { "|=", BPF_OR, 0 }, { "&=", BPF_AND, 0 },
	{ "^=", BPF_XOR, 0 },
};

/*
 * BPF_STX | BPF_ATOMIC, the operations that give the old value back,
 * written as assignments: "r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)",
 * "r2 = xchg_64(r1 + 0, r2)", "r0 = cmpxchg_64(r1 + 0, r0, r2)".  code is
 * the operation (imm); arg the width the name is for, 0 for either.
 */
static const struct op fetch_ops[] = {
	{ "atomic_fetch_add", BPF_ADD | BPF_FETCH, 0 },
	{ "atomic_fetch_or", BPF_OR | BPF_FETCH, 0 },
	{ "atomic_fetch_and", BPF_AND | BPF_FETCH, 0 },
	{ "atomic_fetch_xor", BPF_XOR | BPF_FETCH, 0 },
	{ "xchg_64", BPF_XCHG, 64 }, { "xchg32_32", BPF_XCHG, 32 },
	{ "cmpxchg_64", BPF_CMPXCHG, 64 }, { "cmpxchg32_32", BPF_CMPXCHG, 32 },
};

/* The entry of a table for code; NULL if none. */
static const struct op *op_of(const struct op *ops, size_t n, int code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ops[i].code == code)
			return &ops[i];
	return NULL;
}

/* The entry of a table for code and arg; NULL if none. */
static const struct op *op_of_arg(const struct op *ops, size_t n, int code,
				  int arg)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ops[i].code == code && ops[i].arg == arg)
			return &ops[i];
	return NULL;
}

/* Bits of a BPF_SIZE. */
static int size_bits(int size)
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
static const struct op *sx_size(int bits)
{
	size_t i;

	for (i = 0; i < NELEMS(mem_sizes); i++)
		if (mem_sizes[i].arg && size_bits(mem_sizes[i].code) == bits)
			return &mem_sizes[i];
	return NULL;
}

/* The fetching atomic operation imm at this width (32, 64); NULL if none. */
static const struct op *fetch_op(int imm, int bits)
{
	size_t i;

	for (i = 0; i < NELEMS(fetch_ops); i++)
		if (fetch_ops[i].code == imm &&
		    (!fetch_ops[i].arg || fetch_ops[i].arg == bits))
			return &fetch_ops[i];
	return NULL;
}

/*
 * A table's texts for a message: "a, b, c", or "a, b or c" with last
 * " or ".  What the parser takes is what its messages offer.
 */
static const char *op_list(char *buf, size_t size, const struct op *ops,
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

static const char *helper_name(long long id)
{
	if (id <= 0 || (unsigned long long)id >= NELEMS(helper_names))
		return NULL;
	return helper_names[id];
}

/* The helper called name, with or without its "bpf_" prefix; -1 if none. */
static int helper_id(const char *name, size_t len)
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

/* ---- instructions to text ---- */

/* "(r10 - 4)" without the parentheses: "r10 - 4", "r0 + 0". */
static void addr_text(char *buf, size_t size, int reg, int off)
{
	snprintf(buf, size, "r%d %c %d", reg, off < 0 ? '-' : '+',
		 off < 0 ? -off : off);
}

/* The moves: "r1 = r2", "r1 = (s8)r2", "w1 = 3". */
static int mov_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int is64 = BPF_CLASS(in->code) == BPF_ALU64;
	int x = BPF_SRC(in->code) == BPF_X;
	char r = is64 ? 'r' : 'w';
	const struct op *sx;

	if (x && !in->imm && !in->off) {
		snprintf(buf, size, "%c%d = %c%d", r, in->dst_reg, r,
			 in->src_reg);
		return 0;
	}
	if (!x && !in->src_reg && !in->off) {
		snprintf(buf, size, "%c%d = %d", r, in->dst_reg, in->imm);
		return 0;
	}
	/* A sign-extending move (Linux 6.6): off is the bits it takes. */
	sx = sx_size(in->off);
	if (!x || in->imm || !sx || (!is64 && in->off == 32))
		return -1;
	snprintf(buf, size, "%c%d = (%s)%c%d", r, in->dst_reg, sx->text, r,
		 in->src_reg);
	return 0;
}

static int alu_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int is64 = BPF_CLASS(in->code) == BPF_ALU64;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;
	char r = is64 ? 'r' : 'w';
	const struct op *o;

	switch (op) {
	case BPF_MOV:
		return mov_text(in, buf, size);
	case BPF_NEG:
		if (x || in->src_reg || in->off || in->imm)
			return -1;
		snprintf(buf, size, "%c%d = -%c%d", r, in->dst_reg, r,
			 in->dst_reg);
		return 0;
	case BPF_END:
		o = op_of_arg(swaps, NELEMS(swaps),
			      BPF_CLASS(in->code) | BPF_SRC(in->code), in->imm);
		if (in->src_reg || in->off || !o)
			return -1;
		snprintf(buf, size, "r%d = %s r%d", in->dst_reg, o->text,
			 in->dst_reg);
		return 0;
	}
	o = op_of(alu_ops, NELEMS(alu_ops), op);
	if (!o)
		return -1;
	/* The signed form ("s/="): off 1. */
	if (in->off && !(in->off == 1 && o->arg))
		return -1;
	if (x && !in->imm)
		snprintf(buf, size, "%c%d %s%s %c%d", r, in->dst_reg,
			 in->off ? "s" : "", o->text, r, in->src_reg);
	else if (!x && !in->src_reg)
		snprintf(buf, size, "%c%d %s%s %d", r, in->dst_reg,
			 in->off ? "s" : "", o->text, in->imm);
	else
		return -1;
	return 0;
}

static int ldx_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int mode = BPF_MODE(in->code), sz = BPF_SIZE(in->code);
	const struct op *s;
	char addr[32];

	if (in->imm || (mode != BPF_MEM && mode != BPF_MEMSX))
		return -1;
	s = op_of_arg(mem_sizes, NELEMS(mem_sizes), sz, mode == BPF_MEMSX);
	if (!s)
		return -1;
	addr_text(addr, sizeof(addr), in->src_reg, in->off);
	snprintf(buf, size, "r%d = *(%s *)(%s)", in->dst_reg, s->text, addr);
	return 0;
}

static int st_text(const struct bpf_insn *in, char *buf, size_t size)
{
	const struct op *s;
	char addr[32];

	if (BPF_MODE(in->code) == BPF_NOSPEC) {
		if (BPF_SIZE(in->code) || in->dst_reg || in->src_reg ||
		    in->off || in->imm)
			return -1;
		snprintf(buf, size, "nospec");
		return 0;
	}
	if (BPF_MODE(in->code) != BPF_MEM || in->src_reg)
		return -1;
	s = op_of_arg(mem_sizes, NELEMS(mem_sizes), BPF_SIZE(in->code), 0);
	addr_text(addr, sizeof(addr), in->dst_reg, in->off);
	snprintf(buf, size, "*(%s *)(%s) = %d", s->text, addr, in->imm);
	return 0;
}

static int stx_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int sz = BPF_SIZE(in->code), bits = size_bits(sz);
	const struct op *s = op_of_arg(mem_sizes, NELEMS(mem_sizes), sz, 0);
	const struct op *o;
	char addr[32], r = bits == 32 ? 'w' : 'r';

	addr_text(addr, sizeof(addr), in->dst_reg, in->off);
	if (BPF_MODE(in->code) == BPF_MEM && !in->imm) {
		snprintf(buf, size, "*(%s *)(%s) = r%d", s->text, addr,
			 in->src_reg);
		return 0;
	}
	/* imm: the operation, BPF_FETCH for the forms that return the old. */
	if (BPF_MODE(in->code) != BPF_ATOMIC || (sz != BPF_W && sz != BPF_DW) ||
	    (in->imm & ~0xf1))
		return -1;
	o = op_of(lock_ops, NELEMS(lock_ops), in->imm);
	if (o) {
		snprintf(buf, size, "lock *(%s *)(%s) %s %c%d", s->text, addr,
			 o->text, r, in->src_reg);
		return 0;
	}
	o = fetch_op(in->imm, bits);
	if (!o)
		return -1;
	if (in->imm == BPF_XCHG)
		snprintf(buf, size, "%c%d = %s(%s, %c%d)", r, in->src_reg,
			 o->text, addr, r, in->src_reg);
	else if (in->imm == BPF_CMPXCHG)
		snprintf(buf, size, "%c0 = %s(%s, %c0, %c%d)", r, o->text,
			 addr, r, r, in->src_reg);
	else
		snprintf(buf, size, "%c%d = %s((%s *)(%s), %c%d)", r,
			 in->src_reg, o->text, s->text, addr, r, in->src_reg);
	return 0;
}

static int call_text(const struct bpf_insn *in, struct bpfasm_line *line)
{
	const char *name;

	if (in->dst_reg || in->off)
		return -1;
	if (in->src_reg == BPF_PSEUDO_CALL) {
		snprintf(line->text, sizeof(line->text), "call pc%+d",
			 in->imm);
		return 0;
	}
	if (in->src_reg)
		return -1;
	snprintf(line->text, sizeof(line->text), "call %d", in->imm);
	name = helper_name(in->imm);
	if (name)
		snprintf(line->note, sizeof(line->note), "%s", name);
	return 0;
}

static int jmp_text(const struct bpf_insn *in, size_t at,
		    struct bpfasm_line *line)
{
	int is32 = BPF_CLASS(in->code) == BPF_JMP32;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;
	char r = is32 ? 'w' : 'r', *buf = line->text;
	size_t size = sizeof(line->text);
	long long to = (long long)at + 1 + in->off;
	const struct op *o;

	switch (op) {
	case BPF_JA:
		if (x || in->dst_reg || in->src_reg)
			return -1;
		if (is32 && !in->off) {
			snprintf(buf, size, "gotol %+d", in->imm);
			to = (long long)at + 1 + in->imm;
		} else if (!is32 && !in->imm) {
			snprintf(buf, size, "goto %+d", in->off);
		} else {
			return -1;
		}
		snprintf(line->note, sizeof(line->note), "-> %lld", to);
		return 0;
	case BPF_CALL:
		return is32 || x ? -1 : call_text(in, line);
	case BPF_EXIT:
		if (is32 || x || in->dst_reg || in->src_reg || in->off ||
		    in->imm)
			return -1;
		snprintf(buf, size, "exit");
		return 0;
	}
	o = op_of(jmp_ops, NELEMS(jmp_ops), op);
	if (!o)
		return -1;
	if (x && !in->imm)
		snprintf(buf, size, "if %c%d %s %c%d goto %+d", r, in->dst_reg,
			 o->text, r, in->src_reg, in->off);
	else if (!x && !in->src_reg)
		snprintf(buf, size, "if %c%d %s %d goto %+d", r, in->dst_reg,
			 o->text, in->imm, in->off);
	else
		return -1;
	snprintf(line->note, sizeof(line->note), "-> %lld", to);
	return 0;
}

/* The two-slot 64-bit load: a constant or a map. */
static int ld_text(const struct bpf_insn *in, size_t left,
		   const struct prog_maps *maps, int fd_notes,
		   struct bpfasm_line *line)
{
	const struct bpf_insn *hi = in + 1;
	unsigned long long v;
	const char *name;

	if (in->code != (BPF_LD | BPF_DW | BPF_IMM) || left < 2 || in->off ||
	    hi->code || hi->dst_reg || hi->src_reg || hi->off)
		return -1;
	v = (unsigned long long)(__u32)hi->imm << 32 | (__u32)in->imm;
	if (!in->src_reg) {
		snprintf(line->text, sizeof(line->text), "r%d = 0x%llx ll",
			 in->dst_reg, v);
		return 0;
	}
	if (in->src_reg != BPF_PSEUDO_MAP_FD || hi->imm || !maps)
		return -1;
	name = prog_map_name(maps, in->imm);
	if (!name)
		return -1;
	snprintf(line->text, sizeof(line->text), "r%d = map[%s] ll",
		 in->dst_reg, name);
	if (fd_notes)
		snprintf(line->note, sizeof(line->note), "fd %d", in->imm);
	return 0;
}

size_t bpfasm_insn_text(const struct bpf_insn *prog, size_t at, size_t left,
			const struct prog_maps *maps, int fd_notes,
			struct bpfasm_line *line)
{
	const struct bpf_insn *in = &prog[at];
	const unsigned char *b = (const unsigned char *)in;
	char *buf = line->text;
	size_t size = sizeof(line->text);
	unsigned long long raw = 0;
	int err = -1, i;

	line->note[0] = '\0';
	/* r11 to r15 do not exist (and pseudo sources are below 11). */
	switch (in->dst_reg > 10 || in->src_reg > 10 ? -1 :
		BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		err = alu_text(in, buf, size);
		break;
	case BPF_LDX:
		err = ldx_text(in, buf, size);
		break;
	case BPF_ST:
		err = st_text(in, buf, size);
		break;
	case BPF_STX:
		err = stx_text(in, buf, size);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		err = jmp_text(in, at, line);
		break;
	case BPF_LD:
		if (!ld_text(in, left, maps, fd_notes, line))
			return 2;
		break;
	}
	if (!err)
		return 1;
	line->note[0] = '\0';
	for (i = 7; i >= 0; i--)
		raw = raw << 8 | b[i];
	snprintf(buf, size, ".quad 0x%016llx", raw);
	return 1;
}

/* "%4zu: TEXT", then the note as a comment. */
static void print_insn(FILE *out, size_t at, const struct bpfasm_line *line)
{
	if (line->note[0])
		fprintf(out, "%4zu: %-*s # %s\n", at, BPFASM_TEXT_WIDTH,
			line->text, line->note);
	else
		fprintf(out, "%4zu: %s\n", at, line->text);
}

/* A note as "# " comment lines, wrapped between words. */
static void print_note(FILE *out, const char *text)
{
	size_t len, cut;

	while (*text) {
		len = strlen(text);
		cut = len;
		if (len > NOTE_WIDTH - 2) {
			cut = NOTE_WIDTH - 2;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut)
				cut = strcspn(text, " ");
		}
		fprintf(out, "# %.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

void bpfasm_print(FILE *out, const struct prog *prog,
		  const struct prog_maps *maps)
{
	const char *license = prog->license[0] ? prog->license : "GPL";
	struct bpfasm_line line;
	size_t i, n, k;

	fprintf(out, "# show_bt's BPF program: %zu instructions, for a kprobe "
		"(license %s).\n", prog->len, license);
	fprintf(out, "# Maps by name:");
	for (i = 0; i < MAP_NR; i++)
		fprintf(out, " map[%s]%s", prog_map_name_at(i),
			i + 1 < MAP_NR ? "," : ".\n");
	fprintf(out, "# Edit a copy, then load it: "
		"show_bt --prog FILE FUNCTION\n");
	/* A license of its own is part of the program: keep it on reload. */
	if (prog->license[0])
		fprintf(out, ".license \"%s\"\n", prog->license);
	for (i = 0; i < prog->len; i += n) {
		n = bpfasm_insn_text(prog->insns, i, prog->len - i, maps, 0,
				     &line);
		for (k = 0; k < prog->nnotes; k++) {
			if (prog->notes[k].insn < i ||
			    prog->notes[k].insn >= i + n)
				continue;
			fputc('\n', out);
			print_note(out, prog->notes[k].text);
		}
		print_insn(out, i, &line);
	}
}

/* ---- text to instructions ---- */

struct parser {
	const char *line;	/* the start of the line being read */
	const char *p;		/* the next character */
	unsigned int lineno;
	const struct prog_maps *maps;
	char *err;
	size_t size;
};

/* The range of a number, and what to call it when it is out of range. */
struct range {
	const char *what;
	unsigned long long neg;	/* the largest magnitude below zero */
	unsigned long long pos;	/* the largest value */
	const char *text;
};

static const struct range imm32 = {
	"immediate", 1ull << 31, 0xffffffffull,
	"-2147483648 to 4294967295"
};
static const struct range imm64 = {
	"64-bit immediate", 1ull << 63, ~0ull,
	"-9223372036854775808 to 18446744073709551615"
};
static const struct range off16 = {
	"offset", 32768, 32767, "-32768 to 32767"
};
/* The N of "(rB - N)" or "(rB + N)": checked with its sign after. */
static const struct range off16_abs = {
	"offset", 0, ~0ull, "-32768 to 32767"
};

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

/* The end of the statement: end of the line or a comment. */
static int at_end(const char *p)
{
	return !*p || *p == '\n' || *p == '\r' || *p == '#' || *p == ';' ||
	       (p[0] == '/' && p[1] == '/');
}

/* What is at p, for an error message. */
static const char *found(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	if (at_end(p))
		return "the end of the line";
	if (is_ident(*p))
		while (is_ident(p[n]) && n < 24)
			n++;
	else
		n = 1;
	snprintf(buf, size, "'%.*s'", (int)n, p);
	return buf;
}

static int __attribute__((format(printf, 3, 4)))
perr(struct parser *ps, const char *at, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->size, "line %u, column %zu: %s", ps->lineno,
		 (size_t)(at - ps->line) + 1, what);
	return -1;
}

/* Take s if it comes next (after blanks). */
static int lit(struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	skip_ws(ps);
	if (strncmp(ps->p, s, n))
		return 0;
	ps->p += n;
	return 1;
}

/* Take the word w if it comes next, as a whole word. */
static int word(struct parser *ps, const char *w)
{
	size_t n = strlen(w);

	skip_ws(ps);
	if (strncmp(ps->p, w, n) || is_ident(ps->p[n]))
		return 0;
	ps->p += n;
	return 1;
}

static int need(struct parser *ps, const char *s)
{
	char buf[32];

	if (lit(ps, s))
		return 0;
	return perr(ps, ps->p, "expected '%s', found %s", s,
		    found(ps->p, buf, sizeof(buf)));
}

/*
 * Take the longest text of a table that comes next: ">=" rather than ">".
 * With whole, as a whole word ("u16", not "u1").  Returns its entry, or
 * NULL (having taken nothing).
 */
static const struct op *take_op(struct parser *ps, const struct op *ops,
				size_t n, int whole)
{
	const struct op *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < n; i++) {
		len = strlen(ops[i].text);
		if (len > best_len && !strncmp(ps->p, ops[i].text, len) &&
		    !(whole && is_ident(ps->p[len]))) {
			best = &ops[i];
			best_len = len;
		}
	}
	ps->p += best_len;
	return best;
}

/* Is a register ("r0".."r10", "w0".."w10") at p? */
static int reg_at(const char *p)
{
	size_t n = 1;

	if (*p != 'r' && *p != 'w')
		return 0;
	while (is_digit(p[n]))
		n++;
	return n > 1 && !is_ident(p[n]);
}

/* A register: its number in *reg, and in *w whether it was "wN". */
static int reg(struct parser *ps, int *regno, int *w)
{
	char buf[32];
	const char *at;
	long n = 0;

	skip_ws(ps);
	at = ps->p;
	if (!reg_at(at))
		return perr(ps, at, "expected a register (r0 to r10), found %s",
			    found(at, buf, sizeof(buf)));
	for (ps->p = at + 1; is_digit(*ps->p); ps->p++)
		if (n < 1000)
			n = n * 10 + (*ps->p - '0');
	if (n > 10)
		return perr(ps, at, "no register %.*s: there are r0 to r10",
			    (int)(ps->p - at), at);
	*regno = (int)n;
	*w = *at == 'w';
	return 0;
}

/* A 64-bit register ("rN"), for addresses and 64-bit operations. */
static int reg64(struct parser *ps, int *regno, const char *why)
{
	const char *at;
	int w;

	skip_ws(ps);
	at = ps->p;
	if (reg(ps, regno, &w))
		return -1;
	if (w)
		return perr(ps, at, "%s needs a 64-bit register (r%d, not w%d)",
			    why, *regno, *regno);
	return 0;
}

/*
 * A number, decimal or 0x hex, with an optional sign (or, with sign set,
 * a required one), within r.  Its two's complement bits in *v.
 */
static int number(struct parser *ps, const struct range *r, int sign,
		  unsigned long long *v)
{
	unsigned long long n = 0, d, base = 10;
	const char *at, *digits;
	int neg = 0, over = 0;
	char buf[32];

	skip_ws(ps);
	at = ps->p;
	if (*ps->p == '-' || *ps->p == '+') {
		neg = *ps->p == '-';
		ps->p++;
	} else if (sign) {
		return perr(ps, at, "expected a signed %s (+N or -N), found %s",
			    r->what, found(at, buf, sizeof(buf)));
	}
	if (ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X')) {
		base = 16;
		ps->p += 2;
	}
	digits = ps->p;
	for (;; ps->p++) {
		char c = *ps->p;

		if (is_digit(c))
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		if (n > (~0ull - d) / base)
			over = 1;
		n = n * base + d;
	}
	if (ps->p == digits || is_ident(*ps->p))
		return perr(ps, at, "expected %s %s, found %s",
			    r == &imm64 ? "a" : "an", r->what,
			    found(at, buf, sizeof(buf)));
	if (over || (neg ? n > r->neg : n > r->pos))
		return perr(ps, at, "%s %.*s is out of range (%s)", r->what,
			    (int)(ps->p - at), at, r->text);
	*v = neg ? -n : n;
	return 0;
}

static int imm(struct parser *ps, __s32 *v)
{
	unsigned long long n;

	if (number(ps, &imm32, 0, &n))
		return -1;
	*v = (__s32)(__u32)n;
	return 0;
}

/* A jump's "+N" or "-N" (llvm writes the sign; it may be left out). */
static int offset(struct parser *ps, __s16 *v)
{
	unsigned long long n;

	if (number(ps, &off16, 0, &n))
		return -1;
	*v = (__s16)(__u16)n;
	return 0;
}

/* "rB + OFF", "rB - OFF" or "rB": an address, into in's dst or src. */
static int address(struct parser *ps, int *base, __s16 *off)
{
	unsigned long long n;
	const char *at;
	int neg;

	if (reg64(ps, base, "an address"))
		return -1;
	*off = 0;
	skip_ws(ps);
	if (*ps->p != '+' && *ps->p != '-')
		return 0;
	neg = *ps->p == '-';
	ps->p++;
	skip_ws(ps);
	at = ps->p;
	if (*at == '-' || *at == '+')
		return perr(ps, at, "write the offset as '+ N' or '- N'");
	if (number(ps, &off16_abs, 0, &n))
		return -1;
	if (neg ? n > 32768 : n > 32767)
		return perr(ps, at, "offset %c%llu is out of range (%s)",
			    neg ? '-' : '+', n, off16.text);
	*off = (__s16)(neg ? -(long long)n : (long long)n);
	return 0;
}

/* "(u32 *)": the BPF_SIZE in *size, whether it said "s" in *sx. */
static int mem_size(struct parser *ps, int *size, int *sx)
{
	const struct op *s;
	char buf[32], list[64];

	if (need(ps, "("))
		return -1;
	skip_ws(ps);
	s = take_op(ps, mem_sizes, NELEMS(mem_sizes), 1);
	if (!s)
		return perr(ps, ps->p, "expected a size (%s), found %s",
			    op_list(list, sizeof(list), mem_sizes,
				    NELEMS(mem_sizes), ", "),
			    found(ps->p, buf, sizeof(buf)));
	*size = s->code;
	*sx = s->arg;
	if (need(ps, "*") || need(ps, ")"))
		return -1;
	return 0;
}

/* "(u32 *)(rB + OFF)", unsigned: for stores and atomics. */
static int mem_operand(struct parser *ps, int *size, int *base, __s16 *off,
		       const char *what)
{
	const char *at;
	int sx;

	skip_ws(ps);
	at = ps->p;
	if (mem_size(ps, size, &sx))
		return -1;
	if (sx)
		return perr(ps, at + 1, "%s has no sign: write u%d", what,
			    size_bits(*size));
	if (need(ps, "(") || address(ps, base, off) || need(ps, ")"))
		return -1;
	return 0;
}

/* A source: a register (as wide as w says) or a 32-bit immediate. */
static int operand(struct parser *ps, int w, struct bpf_insn *in, int *x)
{
	const char *at;
	int src, sw;

	skip_ws(ps);
	at = ps->p;
	if (!reg_at(at)) {
		*x = 0;
		return imm(ps, &in->imm);
	}
	if (reg(ps, &src, &sw))
		return -1;
	if (sw != w)
		return perr(ps, at, "%c%d: both registers must be %s", sw ?
			    'w' : 'r', src, w ? "32-bit (wN)" : "64-bit (rN)");
	in->src_reg = src;
	*x = 1;
	return 0;
}

static int parse_call(struct parser *ps, struct bpf_insn *in)
{
	unsigned long long n;
	const char *at;
	char buf[32];
	size_t len;
	int id;

	in->code = BPF_JMP | BPF_CALL;
	skip_ws(ps);
	at = ps->p;
	if (word(ps, "pc")) {
		in->src_reg = BPF_PSEUDO_CALL;
		if (number(ps, &imm32, 1, &n))
			return -1;
		in->imm = (__s32)(__u32)n;
		return 1;
	}
	if (is_digit(*at) || *at == '-' || *at == '+')
		return imm(ps, &in->imm) ? -1 : 1;
	for (len = 0; is_ident(at[len]); len++)
		;
	if (!len)
		return perr(ps, at,
			    "expected a helper's number or name, found %s",
			    found(at, buf, sizeof(buf)));
	id = helper_id(at, len);
	if (id < 0)
		return perr(ps, at, "unknown helper '%.*s'", (int)len, at);
	ps->p = at + len;
	in->imm = id;
	return 1;
}

static int parse_if(struct parser *ps, struct bpf_insn *in)
{
	const struct op *cond;
	char buf[32], list[64];
	int dst, w, x;

	if (reg(ps, &dst, &w))
		return -1;
	skip_ws(ps);
	cond = take_op(ps, jmp_ops, NELEMS(jmp_ops), 0);
	if (!cond)
		return perr(ps, ps->p,
			    "expected a comparison (%s), found %s",
			    op_list(list, sizeof(list), jmp_ops,
				    NELEMS(jmp_ops), ", "),
			    found(ps->p, buf, sizeof(buf)));
	in->dst_reg = dst;
	if (operand(ps, w, in, &x))
		return -1;
	if (!word(ps, "goto"))
		return perr(ps, ps->p, "expected 'goto', found %s",
			    found(ps->p, buf, sizeof(buf)));
	if (offset(ps, &in->off))
		return -1;
	in->code = (w ? BPF_JMP32 : BPF_JMP) | cond->code |
		   (x ? BPF_X : BPF_K);
	return 1;
}

static int atomic_size_reg(struct parser *ps, int size, int *src)
{
	const char *at;
	int w;

	skip_ws(ps);
	at = ps->p;
	if (reg(ps, src, &w))
		return -1;
	if (w && size == BPF_DW)
		return perr(ps, at, "a u64 operation needs r%d, not w%d", *src,
			    *src);
	return 0;
}

/* "lock *(u64 *)(rB + OFF) += rS", and |=, &=, ^=. */
static int parse_lock(struct parser *ps, struct bpf_insn *in)
{
	const struct op *op;
	char buf[32], list[64];
	int size, base, src;
	const char *at;

	if (need(ps, "*"))
		return -1;
	skip_ws(ps);
	at = ps->p;
	if (mem_operand(ps, &size, &base, &in->off, "an atomic operation"))
		return -1;
	if (size != BPF_W && size != BPF_DW)
		return perr(ps, at + 1, "atomic operations are u32 or u64");
	skip_ws(ps);
	op = take_op(ps, lock_ops, NELEMS(lock_ops), 0);
	if (!op)
		return perr(ps, ps->p, "expected %s, found %s",
			    op_list(list, sizeof(list), lock_ops,
				    NELEMS(lock_ops), " or "),
			    found(ps->p, buf, sizeof(buf)));
	if (atomic_size_reg(ps, size, &src))
		return -1;
	in->code = BPF_STX | size | BPF_ATOMIC;
	in->dst_reg = base;
	in->src_reg = src;
	in->imm = op->code;
	return 1;
}

/* "*(u32 *)(rB + OFF) = rS" or "= IMM". */
static int parse_store(struct parser *ps, struct bpf_insn *in)
{
	int size, base, src, w;
	const char *at;

	if (mem_operand(ps, &size, &base, &in->off, "a store") ||
	    need(ps, "="))
		return -1;
	in->dst_reg = base;
	skip_ws(ps);
	at = ps->p;
	if (!reg_at(at)) {
		in->code = BPF_ST | size | BPF_MEM;
		return imm(ps, &in->imm) ? -1 : 1;
	}
	if (reg(ps, &src, &w))
		return -1;
	if (w && size == BPF_DW)
		return perr(ps, at, "a u64 store needs r%d, not w%d", src,
			    src);
	in->code = BPF_STX | size | BPF_MEM;
	in->src_reg = src;
	return 1;
}

/* The register after "rD = OP(": it must be rD again, as wide as size. */
static int same_reg(struct parser *ps, int dst, int size, const char *what)
{
	const char *at;
	int src;

	skip_ws(ps);
	at = ps->p;
	if (atomic_size_reg(ps, size, &src))
		return -1;
	if (src != dst)
		return perr(ps, at, "%s: the register here must be the one "
			    "assigned, r%d", what, dst);
	return 0;
}

/*
 * The atomics written as assignments: atomic_fetch_OP((u64 *)(rB + OFF),
 * rS), xchg_64(rB + OFF, rS), cmpxchg_64(rB + OFF, r0, rS) and their
 * 32-bit forms (xchg32_32, cmpxchg32_32).  Returns 0 when none is next.
 */
static int parse_fetch(struct parser *ps, struct bpf_insn *in, int dst,
		       int w)
{
	const struct op *op;
	int size, base, src;
	const char *at;

	skip_ws(ps);
	at = ps->p;
	op = take_op(ps, fetch_ops, NELEMS(fetch_ops), 1);
	if (!op)
		return 0;
	/* The exchanges say their width in their names. */
	size = op->arg == 64 ? BPF_DW : BPF_W;
	if (op->code == BPF_XCHG) {
		if (need(ps, "(") || address(ps, &base, &in->off) ||
		    need(ps, ",") || same_reg(ps, dst, size, "xchg") ||
		    need(ps, ")"))
			return -1;
		src = dst;
	} else if (op->code == BPF_CMPXCHG) {
		if (dst)
			return perr(ps, at, "cmpxchg returns the old value in "
				    "r0: write r0 = cmpxchg...");
		if (need(ps, "(") || address(ps, &base, &in->off) ||
		    need(ps, ",") || same_reg(ps, 0, size, "cmpxchg") ||
		    need(ps, ",") || atomic_size_reg(ps, size, &src) ||
		    need(ps, ")"))
			return -1;
	} else {
		if (need(ps, "(") || mem_operand(ps, &size, &base, &in->off,
						 "an atomic operation"))
			return -1;
		if (size != BPF_W && size != BPF_DW)
			return perr(ps, at, "atomic operations are u32 or u64");
		if (need(ps, ",") || same_reg(ps, dst, size, op->text) ||
		    need(ps, ")"))
			return -1;
		src = dst;
	}
	if (w && size == BPF_DW)
		return perr(ps, at, "a u64 operation needs r%d, not w%d", dst,
			    dst);
	in->code = BPF_STX | size | BPF_ATOMIC;
	in->dst_reg = base;
	in->src_reg = src;
	in->imm = op->code;
	return 1;
}

/* "rD = map[NAME] ll" after the "map". */
static int parse_map(struct parser *ps, struct bpf_insn *in, int dst)
{
	const char *at;
	char name[32];
	size_t len;
	int fd;

	if (need(ps, "["))
		return -1;
	skip_ws(ps);
	at = ps->p;
	for (len = 0; is_ident(at[len]); len++)
		;
	fd = -1;
	if (len && len < sizeof(name)) {
		memcpy(name, at, len);
		name[len] = '\0';
		if (ps->maps)
			fd = prog_map_fd(ps->maps, name);
	}
	if (fd < 0) {
		char list[128];
		size_t n = 0, k;

		/* "gate, stacks, ... and lost", from prog.c's table. */
		list[0] = '\0';
		for (k = 0; k < MAP_NR && n < sizeof(list); k++)
			n += snprintf(list + n, sizeof(list) - n, "%s%s",
				      !k ? "" : k + 1 < MAP_NR ? ", " : " and ",
				      prog_map_name_at(k));
		return perr(ps, at, "unknown map '%.*s': the maps are %s",
			    (int)len, at, list);
	}
	ps->p = at + len;
	if (need(ps, "]"))
		return -1;
	word(ps, "ll");
	in[0].code = BPF_LD | BPF_DW | BPF_IMM;
	in[0].dst_reg = dst;
	in[0].src_reg = BPF_PSEUDO_MAP_FD;
	in[0].imm = fd;
	return 2;
}

/* "rD = be16 rD" (and le, 32, 64), "rD = bswap16 rD". */
static int parse_swap(struct parser *ps, struct bpf_insn *in, int dst, int w,
		      const char *at)
{
	const struct op *swap;
	int src;

	skip_ws(ps);
	swap = take_op(ps, swaps, NELEMS(swaps), 1);
	if (!swap)
		return 0;
	if (w)
		return perr(ps, at, "byte swaps are written with r%d", dst);
	skip_ws(ps);
	at = ps->p;
	if (reg64(ps, &src, "a byte swap"))
		return -1;
	if (src != dst)
		return perr(ps, at, "a byte swap works in place: r%d = %s r%d",
			    dst, swap->text, dst);
	in->code = swap->code | BPF_END;
	in->dst_reg = dst;
	in->imm = swap->arg;
	return 1;
}

/* After "rD =": loads, moves, constants, maps, swaps, atomics. */
static int parse_set(struct parser *ps, struct bpf_insn *in, int dst, int w)
{
	const struct op *ext;
	unsigned long long v;
	int size, sx, src, sw, n;
	const char *at, *q;
	char buf[32];

	skip_ws(ps);
	at = ps->p;
	in->dst_reg = dst;
	if (lit(ps, "*")) {
		skip_ws(ps);
		q = ps->p;
		if (mem_size(ps, &size, &sx) || need(ps, "(") ||
		    address(ps, &src, &in->off) || need(ps, ")"))
			return -1;
		if (w && (size == BPF_DW || sx))
			return perr(ps, q, "load into r%d, not w%d", dst, dst);
		in->code = BPF_LDX | size | (sx ? BPF_MEMSX : BPF_MEM);
		in->src_reg = src;
		return 1;
	}
	if (*at == '-') {
		q = at + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (reg_at(q)) {
			ps->p = q;
			if (reg(ps, &src, &sw))
				return -1;
			if (src != dst || sw != w)
				return perr(ps, q, "negation works in place: "
					    "%c%d = -%c%d", w ? 'w' : 'r', dst,
					    w ? 'w' : 'r', dst);
			in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_NEG;
			return 1;
		}
	}
	if (word(ps, "map")) {
		if (w)
			return perr(ps, at, "a map is loaded into r%d, not w%d",
				    dst, dst);
		return parse_map(ps, in, dst);
	}
	n = parse_swap(ps, in, dst, w, at);
	if (n)
		return n;
	n = parse_fetch(ps, in, dst, w);
	if (n)
		return n;
	if (at[0] == '(' && at[1] == 's') {
		/* Sign-extending move (Linux 6.6): "r1 = (s8)r2". */
		ps->p++;
		skip_ws(ps);
		ext = take_op(ps, mem_sizes, NELEMS(mem_sizes), 1);
		if (!ext || !ext->arg || (w && ext->code == BPF_W))
			return perr(ps, at, "expected (s8), (s16) or (s32)");
		in->off = size_bits(ext->code);
		if (need(ps, ")") || operand(ps, w, in, &sx))
			return -1;
		if (!sx)
			return perr(ps, at, "a sign-extending move takes a "
				    "register");
		in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X;
		return 1;
	}
	if (reg_at(at)) {
		if (operand(ps, w, in, &sx))
			return -1;
		in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X;
		return 1;
	}
	/* A constant: 64-bit with "ll", else a 32-bit move. */
	q = ps->p;
	if (!is_digit(*q) && *q != '-' && *q != '+')
		return perr(ps, q, "expected a register, a number, a load or "
			    "map[NAME] after '=', found %s",
			    found(q, buf, sizeof(buf)));
	if (number(ps, &imm64, 0, &v))
		return -1;
	if (word(ps, "ll")) {
		if (w)
			return perr(ps, at, "a 64-bit constant goes into r%d, "
				    "not w%d", dst, dst);
		in[0].code = BPF_LD | BPF_DW | BPF_IMM;
		in[0].imm = (__s32)(__u32)v;
		in[1].imm = (__s32)(__u32)(v >> 32);
		return 2;
	}
	ps->p = q;
	if (imm(ps, &in->imm))
		return -1;
	in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_K;
	return 1;
}

/* An instruction that starts with its destination register. */
static int parse_assign(struct parser *ps, struct bpf_insn *in)
{
	const struct op *op;
	int dst, w, x, sign = 0;
	const char *at;
	char buf[32];

	if (reg(ps, &dst, &w))
		return -1;
	skip_ws(ps);
	at = ps->p;
	op = take_op(ps, alu_ops, NELEMS(alu_ops), 0);
	/* A signed form: "s/=", "s%=" ("s>>=" is an operator of its own). */
	if (!op && *at == 's') {
		ps->p = at + 1;
		op = take_op(ps, alu_ops, NELEMS(alu_ops), 0);
		if (op && op->arg) {
			sign = 1;
		} else {
			ps->p = at;
			op = NULL;
		}
	}
	if (!op) {
		if (!lit(ps, "="))
			return perr(ps, ps->p, "expected '=' or an operator "
				    "such as '+=' after %c%d, found %s",
				    w ? 'w' : 'r', dst,
				    found(ps->p, buf, sizeof(buf)));
		return parse_set(ps, in, dst, w);
	}
	in->dst_reg = dst;
	in->off = sign;
	if (operand(ps, w, in, &x))
		return -1;
	in->code = (w ? BPF_ALU : BPF_ALU64) | op->code | (x ? BPF_X : BPF_K);
	return 1;
}

/* ".quad N": one instruction's 8 bytes, as a little-endian number. */
static int parse_raw(struct parser *ps, struct bpf_insn *in)
{
	unsigned char *b = (unsigned char *)in;
	unsigned long long v;
	int i;

	if (number(ps, &imm64, 0, &v))
		return -1;
	for (i = 0; i < 8; i++, v >>= 8)
		b[i] = v & 0xff;
	return 1;
}

/* One instruction into in[0] (and in[1]): the slots it takes, or -1. */
static int statement(struct parser *ps, struct bpf_insn *in)
{
	const char *at;
	char buf[32];

	skip_ws(ps);
	at = ps->p;
	if (word(ps, "exit")) {
		in->code = BPF_JMP | BPF_EXIT;
		return 1;
	}
	if (word(ps, "nospec")) {
		in->code = BPF_ST | BPF_NOSPEC;
		return 1;
	}
	if (word(ps, "call"))
		return parse_call(ps, in);
	if (word(ps, "goto")) {
		in->code = BPF_JMP | BPF_JA;
		return offset(ps, &in->off) ? -1 : 1;
	}
	if (word(ps, "gotol")) {
		in->code = BPF_JMP32 | BPF_JA;
		return imm(ps, &in->imm) ? -1 : 1;
	}
	if (word(ps, "if"))
		return parse_if(ps, in);
	if (word(ps, "lock"))
		return parse_lock(ps, in);
	if (lit(ps, "*"))
		return parse_store(ps, in);
	if (!strncmp(at, ".quad", 5) && !is_ident(at[5])) {
		ps->p += 5;
		return parse_raw(ps, in);
	}
	if (reg_at(at))
		return parse_assign(ps, in);
	return perr(ps, at, "expected an instruction, found %s",
		    found(at, buf, sizeof(buf)));
}

/* .license "NAME": the license the program is loaded under. */
static int parse_license(struct parser *ps, struct prog *prog)
{
	const char *start, *end;
	char buf[32];

	ps->p += 8;
	skip_ws(ps);
	if (*ps->p != '"')
		return perr(ps, ps->p, "expected a quoted license, found %s",
			    found(ps->p, buf, sizeof(buf)));
	start = ps->p + 1;
	end = start + strcspn(start, "\"\n");
	if (*end != '"')
		return perr(ps, ps->p, "the license's closing quote is missing");
	if (end == start || (size_t)(end - start) >= sizeof(prog->license))
		return perr(ps, start, "a license has 1 to %zu characters",
			    sizeof(prog->license) - 1);
	memcpy(prog->license, start, end - start);
	prog->license[end - start] = '\0';
	ps->p = end + 1;
	return 0;
}

int bpfasm_parse(const char *text, struct prog *prog,
		 const struct prog_maps *maps, char *err, size_t size)
{
	struct parser ps = { .p = text, .lineno = 1, .maps = maps,
			     .err = err, .size = size };
	struct bpf_insn in[2];
	char buf[32];
	const char *at, *q;
	int n;

	memset(prog, 0, sizeof(*prog));
	for (; *ps.p; ps.lineno++) {
		ps.line = ps.p;
		skip_ws(&ps);
		/* An instruction number, as --dump prints them: ignored. */
		for (q = ps.p; is_digit(*q); q++)
			;
		if (q != ps.p && *q == ':')
			ps.p = q + 1;
		skip_ws(&ps);
		at = ps.p;
		if (!strncmp(at, ".license", 8) && !is_ident(at[8])) {
			if (parse_license(&ps, prog))
				return -1;
			skip_ws(&ps);
			if (!at_end(ps.p))
				return perr(&ps, ps.p,
					    "unexpected %s after the license",
					    found(ps.p, buf, sizeof(buf)));
		} else if (!at_end(at)) {
			memset(in, 0, sizeof(in));
			n = statement(&ps, in);
			if (n < 0)
				return -1;
			skip_ws(&ps);
			if (!at_end(ps.p))
				return perr(&ps, ps.p,
					    "unexpected %s after the instruction",
					    found(ps.p, buf, sizeof(buf)));
			if (prog->len + n > PROG_MAX_INSNS)
				return perr(&ps, at, "too many instructions: "
					    "show_bt loads at most %d",
					    PROG_MAX_INSNS);
			memcpy(&prog->insns[prog->len], in, n * sizeof(in[0]));
			prog->len += n;
		}
		ps.p += strcspn(ps.p, "\n");
		if (*ps.p)
			ps.p++;
	}
	if (!prog->len) {
		snprintf(err, size, "line %u, column 1: no instructions",
			 ps.lineno > 1 ? ps.lineno - 1 : 1);
		return -1;
	}
	return 0;
}
