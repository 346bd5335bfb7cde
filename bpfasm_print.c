// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm_print.c - programs to text: bpfasm_print() (bpfasm.h) and
 * bpfasm_insn_text() (bpfasm_text.h), one instruction, for
 * bpfasm_xlated.c.  It needs libc and prog.c's map names only: no system
 * call, no kallsyms.
 *
 * Each instruction is written in llvm-objdump's syntax when that syntax
 * says exactly what the instruction's 8 bytes are, and as ".quad 0x..."
 * (the bytes, as a little-endian number) when it does not: an unused field
 * that is not zero, an opcode no syntax has.  So whatever it prints,
 * llvm-mc and bpfasm_parse.c turn back into the same bytes.  The syntax
 * itself is in bpfasm_ops.c's tables.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "bpfasm.h"
#include "bpfasm_ops.h"
#include "bpfasm_text.h"

/* How wide the notes before a group of instructions get. */
#define NOTE_WIDTH	76

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
		o = op_of_arg(swaps.ops, swaps.n,
			      BPF_CLASS(in->code) | BPF_SRC(in->code), in->imm);
		if (in->src_reg || in->off || !o)
			return -1;
		snprintf(buf, size, "r%d = %s r%d", in->dst_reg, o->text,
			 in->dst_reg);
		return 0;
	}
	o = op_of(alu_ops.ops, alu_ops.n, op);
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
	s = op_of_arg(mem_sizes.ops, mem_sizes.n, sz, mode == BPF_MEMSX);
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
	s = op_of_arg(mem_sizes.ops, mem_sizes.n, BPF_SIZE(in->code), 0);
	addr_text(addr, sizeof(addr), in->dst_reg, in->off);
	snprintf(buf, size, "*(%s *)(%s) = %d", s->text, addr, in->imm);
	return 0;
}

static int stx_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int sz = BPF_SIZE(in->code), bits = size_bits(sz);
	const struct op *s = op_of_arg(mem_sizes.ops, mem_sizes.n, sz, 0);
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
	o = op_of(lock_ops.ops, lock_ops.n, in->imm);
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
	o = op_of(jmp_ops.ops, jmp_ops.n, op);
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

	fprintf(out, "# show_bt's BPF program: %zu instructions, for a %s "
		"(license %s).\n", prog->len,
		prog->tp_tag ? "tracepoint" : "kprobe", license);
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
