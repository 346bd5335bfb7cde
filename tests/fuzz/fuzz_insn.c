// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_insn.c - any 8-byte instructions through the printer --dump uses
 * (bpfasm_insn_text(), bpfasm_print()) and back through the parser.
 *
 * The fuzz bytes are the instructions, 8 bytes each (a tail of fewer is
 * dropped).  The printer writes an instruction in llvm's syntax when that
 * syntax says exactly what its 8 bytes are, and otherwise refuses it: it
 * writes ".quad 0x..." (the bytes as a little-endian number).  syntax()
 * below says, from the instruction set alone, which forms have a syntax;
 * everything else is refused:
 * - a register above r10 in dst_reg or src_reg;
 * - an opcode with no syntax: ALU and JMP operations 0xe0 and 0xf0, a
 *   64-bit BPF_TO_BE swap, call and exit in JMP32, BPF_LD other than the
 *   64-bit immediate (the old packet loads), loads and stores in modes
 *   other than BPF_MEM (and BPF_MEMSX for loads; BPF_ATOMIC for BPF_STX,
 *   u32 and u64 only, with a known operation; BPF_NOSPEC for BPF_ST);
 * - a field the form does not use left nonzero: imm of a register
 *   operand, src_reg of an immediate one, off of most ALU operations
 *   (but 1, the signed form, for div and mod, and 8, 16 or 32 for a
 *   sign-extending move: 32 only in ALU64), a swap's width other than 16,
 *   32 or 64, a 64-bit load's second slot other than imm;
 * - a call of another kind than a helper or BPF_PSEUDO_CALL;
 * - a map load (BPF_PSEUDO_MAP_FD) of an fd that names no map (or with
 *   no maps given), or with a second imm; any other pseudo source;
 * - a 64-bit load with no second slot left.
 * Properties: the printer claims (writes a syntax for) exactly the forms
 * syntax() says; what it claims parses back to the same bytes, alone and
 * in the whole listing; what it refuses is the exact ".quad" of the
 * bytes with no note, one slot, and parses back too; the listing of the
 * whole array parses to the same array.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bpfasm.h"
#include "../../bpfasm_ops.h"
#include "../../bpfasm_text.h"
#include "../../prog.h"
#include "fuzz.h"

static struct prog prog, back, one;

/* Whether a table has an entry of that code. */
static int alu_op_known(int op)
{
	return op != 0xe0 && op != 0xf0 && op != BPF_NEG && op != BPF_MOV &&
	       op != BPF_END;
}

static int alu_syntax(const struct bpf_insn *in)
{
	int is64 = BPF_CLASS(in->code) == BPF_ALU64;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;

	switch (op) {
	case BPF_MOV:
		if (x)
			return !in->imm && (!in->off || in->off == 8 ||
					    in->off == 16 ||
					    (is64 && in->off == 32));
		return !in->src_reg && !in->off;
	case BPF_NEG:
		return !x && !in->src_reg && !in->off && !in->imm;
	case BPF_END:
		return !(is64 && x) && !in->src_reg && !in->off &&
		       (in->imm == 16 || in->imm == 32 || in->imm == 64);
	}
	if (!alu_op_known(op))
		return 0;
	if (in->off && !(in->off == 1 && (op == BPF_DIV || op == BPF_MOD)))
		return 0;
	return x ? !in->imm : !in->src_reg;
}

static int atomic_known(int imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD:
	case BPF_OR:
	case BPF_AND:
	case BPF_XOR:
		return 1;
	}
	return imm == BPF_XCHG || imm == BPF_CMPXCHG;
}

static int mem_syntax(const struct bpf_insn *in)
{
	int mode = BPF_MODE(in->code), sz = BPF_SIZE(in->code);

	switch (BPF_CLASS(in->code)) {
	case BPF_LDX:
		return !in->imm && (mode == BPF_MEM ||
				    (mode == BPF_MEMSX && sz != BPF_DW));
	case BPF_ST:
		if (mode == BPF_NOSPEC)
			return !sz && !in->dst_reg && !in->src_reg &&
			       !in->off && !in->imm;
		return mode == BPF_MEM && !in->src_reg;
	default:	/* BPF_STX */
		if (mode == BPF_MEM)
			return !in->imm;
		return mode == BPF_ATOMIC && (sz == BPF_W || sz == BPF_DW) &&
		       atomic_known(in->imm);
	}
}

static int jmp_syntax(const struct bpf_insn *in)
{
	int is32 = BPF_CLASS(in->code) == BPF_JMP32;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;

	switch (op) {
	case BPF_JA:
		return !x && !in->dst_reg && !in->src_reg &&
		       (is32 ? !in->off : !in->imm);
	case BPF_CALL:
		return !is32 && !x && !in->dst_reg && !in->off &&
		       (!in->src_reg || in->src_reg == BPF_PSEUDO_CALL);
	case BPF_EXIT:
		return !is32 && !x && !in->dst_reg && !in->src_reg &&
		       !in->off && !in->imm;
	case 0xe0:
	case 0xf0:
		return 0;
	}
	return x ? !in->imm : !in->src_reg;
}

/* The slots the printer should write a syntax for at prog[at], or 0. */
static size_t syntax(const struct bpf_insn *p, size_t at, size_t left,
		     const struct prog_maps *maps)
{
	const struct bpf_insn *in = &p[at], *hi = in + 1;

	if (in->dst_reg > 10 || in->src_reg > 10)
		return 0;
	switch (BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return alu_syntax(in);
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		return mem_syntax(in);
	case BPF_JMP:
	case BPF_JMP32:
		return jmp_syntax(in);
	}
	/* BPF_LD: the 64-bit immediate only. */
	if (in->code != (BPF_LD | BPF_DW | BPF_IMM) || left < 2 || in->off ||
	    hi->code || hi->dst_reg || hi->src_reg || hi->off)
		return 0;
	if (!in->src_reg)
		return 2;
	return in->src_reg == BPF_PSEUDO_MAP_FD && !hi->imm && maps &&
	       prog_map_name(maps, in->imm) ? 2 : 0;
}

static unsigned long long raw(const struct bpf_insn *in)
{
	const unsigned char *b = (const unsigned char *)in;
	unsigned long long v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Instruction at of p, printed alone, read back alone. */
static size_t check_one(const struct bpf_insn *p, size_t at, size_t left,
			const struct prog_maps *maps)
{
	const struct prog_maps *pm = maps;
	struct prog_maps standin;
	struct bpfasm_line line;
	char quad[32], err[256];
	size_t want, n;

	memset(&line, 0x5a, sizeof(line));
	want = syntax(p, at, left, maps);
	n = bpfasm_insn_text(p, at, left, maps, at & 1, &line);
	fuzz_check(memchr(line.text, '\0', sizeof(line.text)) &&
		   memchr(line.note, '\0', sizeof(line.note)),
		   "slot %zu: text or note not ended", at);
	snprintf(quad, sizeof(quad), ".quad 0x%016llx", raw(&p[at]));
	if (!want) {
		fuzz_check(n == 1 && !strcmp(line.text, quad) && !line.note[0],
			   "slot %zu (%s): no syntax, yet printed \"%s\" "
			   "(%zu slots, note \"%s\")", at, quad, line.text, n,
			   line.note);
	} else {
		fuzz_check(n == want && strncmp(line.text, ".quad", 5),
			   "slot %zu (%s): has a syntax of %zu slots, printed "
			   "\"%s\" (%zu)", at, quad, want, line.text, n);
	}
	/* The parser needs the maps to read a map load. */
	if (!pm) {
		prog_maps_standin(&standin, 1024, PROG_MAX_DEPTH);
		pm = &standin;
	}
	err[0] = '\0';
	fuzz_check(!bpfasm_parse(line.text, &one, pm, err, sizeof(err)),
		   "slot %zu (%s): \"%s\" is refused: %s", at, quad, line.text,
		   err);
	fuzz_check(one.len == n && !memcmp(one.insns, &p[at],
					   n * sizeof(p[0])),
		   "slot %zu (%s): \"%s\" parses to other bytes (%s)", at,
		   quad, line.text, one.len ? "" : "none");
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog_maps maps;
	char *listing = NULL, err[256];
	size_t len = 0, i;
	FILE *f;

	if (size < sizeof(struct bpf_insn) ||
	    size > PROG_MAX_INSNS * sizeof(struct bpf_insn))
		return -1;
	memset(&prog, 0, sizeof(prog));
	prog.len = size / sizeof(struct bpf_insn);
	memcpy(prog.insns, data, prog.len * sizeof(struct bpf_insn));
	prog_maps_standin(&maps, 1024, PROG_MAX_DEPTH);

	for (i = 0; i < prog.len;)
		i += check_one(prog.insns, i, prog.len - i, &maps);
	/* Without maps, a map load has no name: refused. */
	for (i = 0; i < prog.len;)
		i += check_one(prog.insns, i, prog.len - i, NULL);

	f = open_memstream(&listing, &len);
	if (!f)
		abort();
	bpfasm_print(f, &prog, &maps);
	if (fclose(f))
		abort();
	err[0] = '\0';
	fuzz_check(!bpfasm_parse(listing, &back, &maps, err, sizeof(err)),
		   "the listing is refused: %s\n%s", err, listing);
	fuzz_check(back.len == prog.len &&
		   !memcmp(back.insns, prog.insns,
			   prog.len * sizeof(prog.insns[0])),
		   "the listing parses to other bytes:\n%s", listing);
	fuzz_check(!back.license[0], "a license from nowhere: %s",
		   back.license);
	free(listing);
	return 0;
}
