// SPDX-License-Identifier: GPL-2.0
/*
 * test_bpfasm.c - bpfasm_print() and bpfasm_parse(), the codec of
 * bpfasm_ops.c, bpfasm_print.c and bpfasm_parse.c, without a kernel and without the syscall layer.
 *
 *	test_bpfasm		the tests: PASS/FAIL lines
 *	test_bpfasm cases	one line per instruction for bpfasm_llvm.sh:
 *				name TAB kind TAB bytes TAB printed text
 *	test_bpfasm raw PID SELF PER_PROCESS DEPTH
 *				prog_build()'s instructions, as raw bytes,
 *				with --dump's stand-in map fds 3 to 8
 *
 * The tests: printing then parsing gives the same instructions, for every
 * configuration of the built-in program, for every instruction form and
 * for random instructions; the syntax variants the parser takes; parse
 * errors, with their line and column.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "../../bpf.h"
#include "../../bpfasm.h"
#include "../../insn.h"
#include "../../prog.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The codec (bpfasm_*.c) needs no system call, and this test links no
 * syscall layer (bpf.c): it takes prog_build() and the map names from
 * prog.c, whose prog_maps_create() it never calls.  That one reference
 * to bpf.c is answered here, as a kernel without bpf() would.
 */
int bpf_map_create(enum bpf_map_type type, unsigned int key_size,
		   unsigned int value_size, unsigned int max_entries,
		   unsigned int flags, const char *name)
{
	(void)type, (void)key_size, (void)value_size, (void)max_entries;
	(void)flags, (void)name;
	return -ENOSYS;
}

/* The stand-in fds of show_bt --dump. */
static struct prog_maps maps = {
	.fd = { 3, 4, 5, 6, 7, 8 }, .slots = 8192, .depth = 127, .chunk = 127,
};

/* Instructions no insn.h macro builds. */
#define INSN(CODE, DST, SRC, OFF, IMM)					\
	((struct bpf_insn) { .code = CODE, .dst_reg = DST, .src_reg = SRC, \
			     .off = OFF, .imm = IMM })

/*
 * Every instruction form the printer knows.  kind says what llvm-mc (14)
 * can check: "same" its encoding is the bytes; "mapfd" the same with the
 * map named, pinned to its fd; "st" a BPF_ST, which llvm 14 cannot write
 * (bpfasm_llvm.sh derives it as insn_encoding.sh does); "new" a form newer
 * than llvm 14's assembler (checked by the round trip only).
 */
struct tcase {
	const char *name;
	const char *kind;
	struct bpf_insn insn[2];
	size_t n;
};

#define C(NAME, KIND, ...)						\
	{ NAME, KIND, { __VA_ARGS__ },					\
	  sizeof((struct bpf_insn[]){ __VA_ARGS__ }) /			\
	  sizeof(struct bpf_insn) }

#define MAX_CASES	160

static struct tcase cases[MAX_CASES];
static size_t ncases;

/* The insn.h macros are compound literals: not for a static initializer. */
static void init_cases(void)
{
	const struct tcase c[] = {
	C("mov64_reg", "same", BPF_MOV64_REG(BPF_REG_6, BPF_REG_1)),
	C("mov64_r10", "same", BPF_MOV64_REG(BPF_REG_2, BPF_REG_10)),
	C("mov64_imm", "same", BPF_MOV64_IMM(BPF_REG_3, -2147483647 - 1)),
	C("mov32_reg", "same", INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 0, 0)),
	C("mov32_imm", "same", INSN(BPF_ALU | BPF_MOV | BPF_K, 1, 0, 0, -5)),
	C("add64_imm", "same", BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4)),
	C("sub64_imm", "same", BPF_ALU64_IMM(BPF_SUB, BPF_REG_1, 3)),
	C("mul64_imm", "same", BPF_ALU64_IMM(BPF_MUL, BPF_REG_1, 7)),
	C("div64_imm", "same", BPF_ALU64_IMM(BPF_DIV, BPF_REG_1, 10)),
	C("or64_imm", "same", BPF_ALU64_IMM(BPF_OR, BPF_REG_1, 16)),
	C("and64_imm", "same", BPF_ALU64_IMM(BPF_AND, BPF_REG_4, -8)),
	C("lsh64_imm", "same", BPF_ALU64_IMM(BPF_LSH, BPF_REG_1, 3)),
	C("rsh64_imm", "same", BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32)),
	C("xor64_imm", "same", BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, -1)),
	C("arsh64_imm", "same", BPF_ALU64_IMM(BPF_ARSH, BPF_REG_5, 1)),
	C("neg64", "same", BPF_ALU64_IMM(BPF_NEG, BPF_REG_1, 0)),
	C("add64_reg", "same", BPF_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2)),
	C("sub64_reg", "same", BPF_ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_4)),
	C("mul64_reg", "same", BPF_ALU64_REG(BPF_MUL, BPF_REG_5, BPF_REG_6)),
	C("div64_reg", "same", BPF_ALU64_REG(BPF_DIV, BPF_REG_7, BPF_REG_8)),
	C("or64_reg", "same", BPF_ALU64_REG(BPF_OR, BPF_REG_9, BPF_REG_0)),
	C("and64_reg", "same", BPF_ALU64_REG(BPF_AND, BPF_REG_0, BPF_REG_9)),
	C("lsh64_reg", "same", BPF_ALU64_REG(BPF_LSH, BPF_REG_1, BPF_REG_2)),
	C("rsh64_reg", "same", BPF_ALU64_REG(BPF_RSH, BPF_REG_1, BPF_REG_2)),
	C("xor64_reg", "same", BPF_ALU64_REG(BPF_XOR, BPF_REG_1, BPF_REG_10)),
	C("arsh64_reg", "same", BPF_ALU64_REG(BPF_ARSH, BPF_REG_1, BPF_REG_2)),
	C("add32_imm", "same", INSN(BPF_ALU | BPF_ADD | BPF_K, 1, 0, 0, -1)),
	C("sub32_reg", "same", INSN(BPF_ALU | BPF_SUB | BPF_X, 1, 2, 0, 0)),
	C("mul32_imm", "same", INSN(BPF_ALU | BPF_MUL | BPF_K, 3, 0, 0, 9)),
	C("div32_reg", "same", INSN(BPF_ALU | BPF_DIV | BPF_X, 4, 5, 0, 0)),
	C("or32_imm", "same", INSN(BPF_ALU | BPF_OR | BPF_K, 6, 0, 0, 1)),
	C("and32_reg", "same", INSN(BPF_ALU | BPF_AND | BPF_X, 7, 8, 0, 0)),
	C("lsh32_imm", "same", INSN(BPF_ALU | BPF_LSH | BPF_K, 9, 0, 0, 31)),
	C("rsh32_reg", "same", INSN(BPF_ALU | BPF_RSH | BPF_X, 0, 1, 0, 0)),
	C("xor32_imm", "same", INSN(BPF_ALU | BPF_XOR | BPF_K, 2, 0, 0, 255)),
	C("arsh32_reg", "same", INSN(BPF_ALU | BPF_ARSH | BPF_X, 3, 4, 0, 0)),
	C("neg32", "same", INSN(BPF_ALU | BPF_NEG, 5, 0, 0, 0)),
	C("le16", "same", INSN(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 16)),
	C("le32", "same", INSN(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 32)),
	C("le64", "same", INSN(BPF_ALU | BPF_END | BPF_TO_LE, 1, 0, 0, 64)),
	C("be16", "same", INSN(BPF_ALU | BPF_END | BPF_TO_BE, 2, 0, 0, 16)),
	C("be32", "same", INSN(BPF_ALU | BPF_END | BPF_TO_BE, 2, 0, 0, 32)),
	C("be64", "same", INSN(BPF_ALU | BPF_END | BPF_TO_BE, 2, 0, 0, 64)),
	C("ld_imm64", "same", BPF_LD_IMM64(BPF_REG_0, 0x123456789abcdef0ULL)),
	C("ld_imm64_neg", "same", BPF_LD_IMM64(BPF_REG_5, -1)),
	C("ld_map_stacks", "mapfd", BPF_LD_MAP_FD(BPF_REG_2, 3)),
	C("ld_map_lost", "mapfd", BPF_LD_MAP_FD(BPF_REG_1, 7)),
	C("ldx_u8", "same", BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 0)),
	C("ldx_u16", "same", BPF_LDX_MEM(BPF_H, BPF_REG_0, BPF_REG_1, 8)),
	C("ldx_u32", "same", BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_10, -4)),
	C("ldx_u64", "same", BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6,
					 -32768)),
	C("ldx_u64_max", "same", BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6,
					     32767)),
	C("stx_u8", "same", BPF_STX_MEM(BPF_B, BPF_REG_10, BPF_REG_1, -1)),
	C("stx_u16", "same", BPF_STX_MEM(BPF_H, BPF_REG_10, BPF_REG_2, -2)),
	C("stx_u32", "same", BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -4)),
	C("stx_u64", "same", BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 16)),
	C("st_u8", "st", BPF_ST_MEM(BPF_B, BPF_REG_10, -1, 255)),
	C("st_u16", "st", BPF_ST_MEM(BPF_H, BPF_REG_10, -2, -1)),
	C("st_u32", "st", BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 7)),
	C("st_u64", "st", BPF_ST_MEM(BPF_DW, BPF_REG_7, 0, -2147483647 - 1)),
	C("lock_add64", "same", BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0,
					      BPF_REG_1, 0)),
	C("lock_add32", "same", BPF_ATOMIC_OP(BPF_W, BPF_ADD, BPF_REG_2,
					      BPF_REG_3, -8)),
	C("lock_or64", "same", BPF_ATOMIC_OP(BPF_DW, BPF_OR, BPF_REG_4,
					     BPF_REG_5, 16)),
	C("lock_and64", "same", BPF_ATOMIC_OP(BPF_DW, BPF_AND, BPF_REG_4,
					      BPF_REG_5, 16)),
	C("lock_xor32", "same", BPF_ATOMIC_OP(BPF_W, BPF_XOR, BPF_REG_4,
					      BPF_REG_5, 0)),
	C("jeq_imm", "same", BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -17, 5)),
	C("jne_imm", "same", BPF_JMP_IMM(BPF_JNE, BPF_REG_1, -1, -2)),
	C("jgt_imm", "same", BPF_JMP_IMM(BPF_JGT, BPF_REG_1, 5, 0)),
	C("jge_imm", "same", BPF_JMP_IMM(BPF_JGE, BPF_REG_2, 6, 1)),
	C("jlt_imm", "same", BPF_JMP_IMM(BPF_JLT, BPF_REG_3, 7, 32767)),
	C("jle_imm", "same", BPF_JMP_IMM(BPF_JLE, BPF_REG_4, 8, -32768)),
	C("jsgt_imm", "same", BPF_JMP_IMM(BPF_JSGT, BPF_REG_5, -9, 1)),
	C("jsge_imm", "same", BPF_JMP_IMM(BPF_JSGE, BPF_REG_6, 10, 1)),
	C("jslt_imm", "same", BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 9)),
	C("jsle_imm", "same", BPF_JMP_IMM(BPF_JSLE, BPF_REG_9, 1, 1)),
	C("jeq_reg", "same", BPF_JMP_REG(BPF_JEQ, BPF_REG_1, BPF_REG_2, 1)),
	C("jne_reg", "same", BPF_JMP_REG(BPF_JNE, BPF_REG_3, BPF_REG_4, -1)),
	C("jgt_reg", "same", BPF_JMP_REG(BPF_JGT, BPF_REG_5, BPF_REG_6, 3)),
	C("jge_reg", "same", BPF_JMP_REG(BPF_JGE, BPF_REG_5, BPF_REG_6, 3)),
	C("jlt_reg", "same", BPF_JMP_REG(BPF_JLT, BPF_REG_5, BPF_REG_6, 3)),
	C("jle_reg", "same", BPF_JMP_REG(BPF_JLE, BPF_REG_9, BPF_REG_1, 4)),
	C("jsgt_reg", "same", BPF_JMP_REG(BPF_JSGT, BPF_REG_7, BPF_REG_8, -7)),
	C("jsge_reg", "same", BPF_JMP_REG(BPF_JSGE, BPF_REG_7, BPF_REG_8, 7)),
	C("jslt_reg", "same", BPF_JMP_REG(BPF_JSLT, BPF_REG_0, BPF_REG_10, 2)),
	C("jsle_reg", "same", BPF_JMP_REG(BPF_JSLE, BPF_REG_0, BPF_REG_1, 2)),
	C("jmp32_jeq_imm", "same",
	  INSN(BPF_JMP32 | BPF_JEQ | BPF_K, 1, 0, 1, 3)),
	C("jmp32_jne_reg", "same",
	  INSN(BPF_JMP32 | BPF_JNE | BPF_X, 1, 2, -1, 0)),
	C("jmp32_jgt_imm", "same",
	  INSN(BPF_JMP32 | BPF_JGT | BPF_K, 1, 0, 1, 3)),
	C("jmp32_jge_reg", "same",
	  INSN(BPF_JMP32 | BPF_JGE | BPF_X, 1, 2, 1, 0)),
	C("jmp32_jlt_imm", "same",
	  INSN(BPF_JMP32 | BPF_JLT | BPF_K, 1, 0, 1, 3)),
	C("jmp32_jle_reg", "same",
	  INSN(BPF_JMP32 | BPF_JLE | BPF_X, 1, 2, 1, 0)),
	C("jmp32_jsgt_imm", "same",
	  INSN(BPF_JMP32 | BPF_JSGT | BPF_K, 1, 0, 1, -3)),
	C("jmp32_jsge_reg", "same",
	  INSN(BPF_JMP32 | BPF_JSGE | BPF_X, 1, 2, 1, 0)),
	C("jmp32_jslt_reg", "same",
	  INSN(BPF_JMP32 | BPF_JSLT | BPF_X, 1, 2, -1, 0)),
	C("jmp32_jsle_imm", "same",
	  INSN(BPF_JMP32 | BPF_JSLE | BPF_K, 1, 0, 1, 3)),
	C("goto_fwd", "same", BPF_JMP_A(32767)),
	C("goto_back", "same", BPF_JMP_A(-32768)),
	C("goto_zero", "same", BPF_JMP_A(0)),
	C("call_stackid", "same", BPF_CALL_HELPER(BPF_FUNC_get_stackid)),
	C("call_unknown", "same", BPF_CALL_HELPER(-1)),
	C("exit", "same", BPF_EXIT_INSN()),
	C("mod64_imm", "new", BPF_ALU64_IMM(BPF_MOD, BPF_REG_1, 3)),
	C("mod32_reg", "new", INSN(BPF_ALU | BPF_MOD | BPF_X, 1, 3, 0, 0)),
	C("sdiv64_reg", "new", INSN(BPF_ALU64 | BPF_DIV | BPF_X, 1, 2, 1, 0)),
	C("smod32_imm", "new", INSN(BPF_ALU | BPF_MOD | BPF_K, 1, 0, 1, 7)),
	C("movsx64_s8", "new", INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 8, 0)),
	C("movsx64_s32", "new",
	  INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 32, 0)),
	C("movsx32_s16", "new", INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 2, 16, 0)),
	C("bswap64", "new", INSN(BPF_ALU64 | BPF_END, 3, 0, 0, 64)),
	C("ldsx_s8", "new", INSN(BPF_LDX | BPF_B | 0x80, 1, 2, -1, 0)),
	C("ldsx_s32", "new", INSN(BPF_LDX | BPF_W | 0x80, 1, 2, 4, 0)),
	C("jset_imm", "new", BPF_JMP_IMM(BPF_JSET, BPF_REG_1, 1, 1)),
	C("jset_reg", "new", BPF_JMP_REG(BPF_JSET, BPF_REG_1, BPF_REG_2, 1)),
	C("jmp32_jset_imm", "new",
	  INSN(BPF_JMP32 | BPF_JSET | BPF_K, 1, 0, 1, 3)),
	C("gotol", "new", INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, -100000)),
	C("fetch_add64", "new",
	  BPF_ATOMIC_OP(BPF_DW, BPF_ADD | BPF_FETCH, BPF_REG_2, BPF_REG_1, 0)),
	C("fetch_or32", "new",
	  BPF_ATOMIC_OP(BPF_W, BPF_OR | BPF_FETCH, BPF_REG_2, BPF_REG_1, 8)),
	C("fetch_and64", "new",
	  BPF_ATOMIC_OP(BPF_DW, BPF_AND | BPF_FETCH, BPF_REG_2, BPF_REG_3, 0)),
	C("fetch_xor64", "new",
	  BPF_ATOMIC_OP(BPF_DW, BPF_XOR | BPF_FETCH, BPF_REG_2, BPF_REG_3, 0)),
	C("xchg64", "new",
	  BPF_ATOMIC_OP(BPF_DW, BPF_XCHG, BPF_REG_2, BPF_REG_1, -16)),
	C("xchg32", "new", BPF_ATOMIC_OP(BPF_W, BPF_XCHG, BPF_REG_2,
					 BPF_REG_1, 0)),
	C("cmpxchg64", "new",
	  BPF_ATOMIC_OP(BPF_DW, BPF_CMPXCHG, BPF_REG_2, BPF_REG_1, 0)),
	C("cmpxchg32", "new",
	  BPF_ATOMIC_OP(BPF_W, BPF_CMPXCHG, BPF_REG_2, BPF_REG_1, 4)),
	C("call_pc", "new", INSN(BPF_JMP | BPF_CALL, 0, 1, 0, 12)),
	C("nospec", "new", INSN(BPF_ST | 0xc0, 0, 0, 0, 0)),
	C("raw_ld_abs", "same", INSN(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 12)),
	C("raw_bad_reg", "same", INSN(BPF_ALU64 | BPF_MOV | BPF_K, 11, 0,
				      0, 1)),
	C("raw_mov_junk", "same", INSN(BPF_ALU64 | BPF_MOV | BPF_X, 1, 2, 0,
				       5)),
	C("raw_ld_map_value", "same",
	  INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_VALUE, 0, 3),
	  INSN(0, 0, 0, 0, 8)),
	};

	ncases = ARRAY_SIZE(c);
	if (ncases > MAX_CASES)
		abort();
	memcpy(cases, c, sizeof(c));
}

/* The program printed into a string (to be freed). */
static char *print_prog(const struct prog *prog)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	bpfasm_print(f, prog, &maps);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* Print prog, parse it back: the same instructions?  0 if so. */
static int round_trip(const struct prog *prog, char *why, size_t size)
{
	static struct prog back;
	char err[256];
	char *text = print_prog(prog);
	size_t i;

	if (!text) {
		snprintf(why, size, "cannot print");
		return -1;
	}
	if (bpfasm_parse(text, &back, &maps, err, sizeof(err))) {
		snprintf(why, size, "%s", err);
		free(text);
		return -1;
	}
	free(text);
	if (back.len != prog->len) {
		snprintf(why, size, "%zu instructions back, %zu printed",
			 back.len, prog->len);
		return -1;
	}
	for (i = 0; i < prog->len; i++)
		if (memcmp(&back.insns[i], &prog->insns[i],
			   sizeof(prog->insns[i]))) {
			snprintf(why, size, "instruction %zu differs", i);
			return -1;
		}
	return 0;
}

static void test_builtin(void)
{
	static const struct prog_config cfgs[] = {
		{ 0, 0, 0 }, { 1234, 0, 0 }, { 0, 4321, 0 }, { 0, 0, 1 },
		{ 1234, 0, 1 }, { 0, 4321, 1 },
	};
	static const unsigned int depths[] = { 1, 127 };
	static struct prog prog;
	char name[64], why[256];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(cfgs); i++)
		for (j = 0; j < ARRAY_SIZE(depths); j++) {
			maps.depth = maps.chunk = depths[j];
			prog_build(&prog, &maps, &cfgs[i]);
			if (round_trip(&prog, why, sizeof(why)))
				test_fail("%s", why);
			snprintf(name, sizeof(name),
				 "bpfasm_round_trip_%s%s_depth%u",
				 cfgs[i].pid ? "pid" : cfgs[i].self ? "self" :
				 "all", cfgs[i].per_process ? "_per_process" :
				 "", depths[j]);
			test_end(name);
		}
	maps.depth = maps.chunk = 127;
}

/* The built-in program's notes come out as comments before their group. */
static void test_notes(void)
{
	const struct prog_config cfg = { 0, 4321, 0 };
	static struct prog prog;
	char *text, *at, line[32];
	size_t i;

	prog_build(&prog, &maps, &cfg);
	text = print_prog(&prog);
	EXPECT(text, "cannot print");
	for (i = 0; text && i < prog.nnotes; i++) {
		snprintf(line, sizeof(line), "\n%4zu: ", prog.notes[i].insn);
		at = strstr(text, line);
		EXPECT(at, "no line for instruction %zu", prog.notes[i].insn);
		if (!at)
			break;
		/* The line before the instruction's ends the note. */
		while (at > text && at[-1] != '\n')
			at--;
		EXPECT(*at == '#', "no comment before instruction %zu",
		       prog.notes[i].insn);
	}
	EXPECT(text && strstr(text, "call 27                          "
			      "# bpf_get_stackid\n"),
	       "no '# bpf_get_stackid' after call 27");
	EXPECT(text && strstr(text, " = map[stacks] ll\n"),
	       "no map[stacks] load");
	free(text);
	test_end("bpfasm_notes_and_names");
}

/* Each case printed alone, then parsed back. */
static void test_cases(void)
{
	static struct prog prog;
	char name[80], why[256];
	size_t i;

	for (i = 0; i < ncases; i++) {
		memset(&prog, 0, sizeof(prog));
		memcpy(prog.insns, cases[i].insn,
		       cases[i].n * sizeof(struct bpf_insn));
		prog.len = cases[i].n;
		if (round_trip(&prog, why, sizeof(why)))
			test_fail("%s", why);
		snprintf(name, sizeof(name), "bpfasm_round_trip_%s",
			 cases[i].name);
		test_end(name);
	}
}

/* Opcodes of every class and mode, for random instructions to use. */
static const __u8 codes[] = {
	0x04, 0x07, 0x0c, 0x0f, 0x14, 0x17, 0x1c, 0x1f, 0x24, 0x27, 0x2c,
	0x2f, 0x34, 0x37, 0x3c, 0x3f, 0x44, 0x47, 0x4c, 0x4f, 0x54, 0x57,
	0x5c, 0x5f, 0x64, 0x67, 0x6c, 0x6f, 0x74, 0x77, 0x7c, 0x7f, 0x84,
	0x87, 0x94, 0x97, 0x9c, 0x9f, 0xa4, 0xa7, 0xac, 0xaf, 0xb4, 0xb7,
	0xbc, 0xbf, 0xc4, 0xc7, 0xcc, 0xcf, 0xd4, 0xd7, 0xdc, 0x18, 0x61,
	0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63,
	0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0x05, 0x06, 0x15, 0x16, 0x1d, 0x1e,
	0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75,
	0x7d, 0x85, 0x95, 0xa5, 0xad, 0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd,
	0xc2, 0x20, 0x00,
};

static const __s32 imms[] = {
	0, 1, -1, 8, 16, 32, 64, 3, 7, 0x41, 0x51, 0xa1, 0xe1, 0xf1, 0x40,
	0x50, 0xa0, -2147483647 - 1, 2147483647,
};

static const __s16 offs[] = { 0, 1, -1, 8, 16, 32, -32768, 32767 };

/* A random instruction, mostly well-formed, sometimes with junk. */
static struct bpf_insn random_insn(void)
{
	struct bpf_insn in;

	if (!test_below(20)) {
		unsigned long long r = test_rand();

		memcpy(&in, &r, sizeof(in));
		return in;
	}
	in.code = codes[test_below(ARRAY_SIZE(codes))];
	in.dst_reg = test_below(8) ? test_below(11) : test_below(16);
	in.src_reg = test_below(8) ? test_below(11) : test_below(16);
	in.off = test_below(2) ? 0 : offs[test_below(ARRAY_SIZE(offs))];
	in.imm = test_below(2) ? 0 : imms[test_below(ARRAY_SIZE(imms))];
	if (!test_below(4))
		in.imm = (__s32)test_rand();
	return in;
}

/* Whatever the bytes, print and parse give them back (".quad" if need be). */
static void test_random(void)
{
	static struct prog prog;
	char why[256];
	int round, failed = 0;
	size_t i;

	for (round = 0; round < 400 && !failed; round++) {
		memset(&prog, 0, sizeof(prog));
		prog.len = 1 + test_below(PROG_MAX_INSNS);
		for (i = 0; i < prog.len; i++)
			prog.insns[i] = random_insn();
		/* Zero-ish second halves, so that ld_imm64 is printed. */
		for (i = 0; i + 1 < prog.len; i++)
			if (prog.insns[i].code == 0x18 && test_below(2)) {
				memset(&prog.insns[i + 1], 0,
				       sizeof(prog.insns[i + 1]));
				prog.insns[i + 1].imm = test_below(2) ? 0 :
							(__s32)test_rand();
				if (prog.insns[i].src_reg == 1)
					prog.insns[i].imm = 3 + test_below(6);
			}
		if (round_trip(&prog, why, sizeof(why))) {
			test_fail("round %d: %s", round, why);
			failed = 1;
		}
	}
	test_end("bpfasm_round_trip_random");
}

/* Text the printer does not write, but the parser takes. */
static void test_variants(void)
{
	static const struct {
		const char *text;
		struct bpf_insn insn[2];
		size_t n;
	} v[] = {
		{ "r0=*(u64*)(r1+8)",
		  { BPF_LDX_MEM(BPF_DW, BPF_REG_0, BPF_REG_1, 8) }, 1 },
		{ "  7:\tr1 = r6 // a comment",
		  { BPF_MOV64_REG(BPF_REG_1, BPF_REG_6) }, 1 },
		{ "r1 = r6 ; a comment\r\n",
		  { BPF_MOV64_REG(BPF_REG_1, BPF_REG_6) }, 1 },
		{ "call bpf_get_stackid",
		  { BPF_CALL_HELPER(BPF_FUNC_get_stackid) }, 1 },
		{ "call get_stack",
		  { BPF_CALL_HELPER(BPF_FUNC_get_stack) }, 1 },
		{ "call ringbuf_output",
		  { BPF_CALL_HELPER(BPF_FUNC_ringbuf_output) }, 1 },
		{ "r1 = 0xffffffffffffffff ll", { BPF_LD_IMM64(BPF_REG_1, -1) },
		  2 },
		{ "r1 = 4294967295", { BPF_MOV64_IMM(BPF_REG_1, -1) }, 1 },
		{ "r1 = 0x7fffffff", { BPF_MOV64_IMM(BPF_REG_1, 0x7fffffff) },
		  1 },
		{ "r2 = map[frames]", { BPF_LD_MAP_FD(BPF_REG_2, 7) }, 2 },
		{ "lock *(u32 *)(r2 - 8) += r3",
		  { BPF_ATOMIC_OP(BPF_W, BPF_ADD, BPF_REG_2, BPF_REG_3, -8) },
		  1 },
		{ "*(u32 *)(r10 - 4) = w1",
		  { BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, -4) }, 1 },
		{ "w0 = *(u32 *)(r1 + 0)",
		  { BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_1, 0) }, 1 },
		{ "r0 = *(u8 *)(r1)",
		  { BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 0) }, 1 },
		{ "goto 3", { BPF_JMP_A(3) }, 1 },
		{ "if r0 s< 0 goto 9", { BPF_JMP_IMM(BPF_JSLT, 0, 0, 9) }, 1 },
		{ "r1 = - r1", { BPF_ALU64_IMM(BPF_NEG, BPF_REG_1, 0) }, 1 },
		{ ".quad 0x95", { BPF_EXIT_INSN() }, 1 },
		{ "r10 = 0", { BPF_MOV64_IMM(BPF_REG_10, 0) }, 1 },
	};
	static struct prog prog;
	char err[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		if (bpfasm_parse(v[i].text, &prog, &maps, err, sizeof(err))) {
			test_fail("\"%s\": %s", v[i].text, err);
			continue;
		}
		EXPECT(prog.len == v[i].n &&
		       !memcmp(prog.insns, v[i].insn, v[i].n * 8),
		       "\"%s\" gave other instructions", v[i].text);
	}
	test_end("bpfasm_parse_variants");
}

static void test_errors(void)
{
	static const struct {
		const char *text, *err;
	} e[] = {
		{ "r11 = 1",
		  "line 1, column 1: no register r11: there are r0 to r10" },
		{ "r1 = 1\n\n  foo\n",
		  "line 3, column 3: expected an instruction, found 'foo'" },
		{ "r1 = map[stack] ll",
		  "line 1, column 10: unknown map 'stack': the maps are gate, stacks, counts, scratch, frames and lost" },
		{ "goto +40000",
		  "line 1, column 6: offset +40000 is out of range (-32768 to 32767)" },
		{ "r1 = 4294967296",
		  "line 1, column 6: immediate 4294967296 is out of range (-2147483648 to 4294967295)" },
		{ "r1 = 1 ll 2",
		  "line 1, column 11: unexpected '2' after the instruction" },
		{ "if r1 ~ 2 goto +1",
		  "line 1, column 7: expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &), found '~'" },
		{ "if r1 == 2 goto",
		  "line 1, column 16: expected an offset, found the end of the line" },
		{ "if r1 == 2 +1",
		  "line 1, column 12: expected 'goto', found '+'" },
		{ "   4: r0 = *(u64 *)(r1 + 8) x",
		  "line 1, column 29: unexpected 'x' after the instruction" },
		{ "call frobnicate",
		  "line 1, column 6: unknown helper 'frobnicate'" },
		{ "w1 += r2",
		  "line 1, column 7: r2: both registers must be 32-bit (wN)" },
		{ "*(s8 *)(r10 - 1) = r1",
		  "line 1, column 3: a store has no sign: write u8" },
		{ "r1 = -r2",
		  "line 1, column 7: negation works in place: r1 = -r1" },
		{ "", "line 1, column 1: no instructions" },
		{ "# only a comment\n", "line 1, column 1: no instructions" },
		{ "r1 = *(u64 *)(w2 + 0)",
		  "line 1, column 15: an address needs a 64-bit register (r2, not w2)" },
		{ "*(u64 *)(r10 - 8) = w1",
		  "line 1, column 21: a u64 store needs r1, not w1" },
		{ "r1 = 0x",
		  "line 1, column 6: expected a 64-bit immediate, found '0x'" },
		{ "lock *(u16 *)(r1 + 0) += r2",
		  "line 1, column 8: atomic operations are u32 or u64" },
		{ "r1 = (s64)r2",
		  "line 1, column 6: expected (s8), (s16) or (s32)" },
		{ "r1 = *(u64 *)(r10 + -8)",
		  "line 1, column 21: write the offset as '+ N' or '- N'" },
		{ "r1 = *(u64 *)(r10 - 32769)",
		  "line 1, column 21: offset -32769 is out of range (-32768 to 32767)" },
		{ "r1 = *(u64 *)(r10 - 8",
		  "line 1, column 22: expected ')', found the end of the line" },
		{ "r1 = *(u128 *)(r10 - 8)",
		  "line 1, column 8: expected a size (u8, u16, u32, u64, s8, s16, s32), found 'u128'" },
		{ "r1 = foo",
		  "line 1, column 6: expected a register, a number, a load or map[NAME] after '=', found 'foo'" },
		{ "r1 ! 3",
		  "line 1, column 4: expected '=' or an operator such as '+=' after r1, found '!'" },
		{ "exit\nr0 = r1 + 1\n",
		  "line 2, column 9: unexpected '+' after the instruction" },
		/* The messages list the operator tables. */
		{ "lock *(u64 *)(r1 + 0) -= r2",
		  "line 1, column 23: expected +=, |=, &= or ^=, found '-'" },
		/* Only / and % have signed forms; "s<<=" is no operator. */
		{ "r1 s<<= 2",
		  "line 1, column 4: expected '=' or an operator such as '+=' after r1, found 's'" },
		{ "r1 s+= 2",
		  "line 1, column 4: expected '=' or an operator such as '+=' after r1, found 's'" },
		{ "w1 = (s32)w2",
		  "line 1, column 6: expected (s8), (s16) or (s32)" },
		{ "r1 = bswap16 r2",
		  "line 1, column 14: a byte swap works in place: r1 = bswap16 r1" },
	};
	static struct prog prog;
	static char text[8 * (PROG_MAX_INSNS + 1) + 1];
	char err[256], want[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(e); i++) {
		err[0] = '\0';
		if (!bpfasm_parse(e[i].text, &prog, &maps, err, sizeof(err)))
			test_fail("\"%s\" parsed", e[i].text);
		else
			EXPECT(!strcmp(err, e[i].err),
			       "\"%s\": got \"%s\", want \"%s\"", e[i].text,
			       err, e[i].err);
	}
	for (i = 0; i <= PROG_MAX_INSNS; i++)
		memcpy(text + 5 * i, "exit\n", 6);
	snprintf(want, sizeof(want),
		 "line %d, column 1: too many instructions: show_bt loads at most %d",
		 PROG_MAX_INSNS + 1, PROG_MAX_INSNS);
	EXPECT(bpfasm_parse(text, &prog, &maps, err, sizeof(err)) &&
	       !strcmp(err, want), "%d instructions: %s", PROG_MAX_INSNS + 1,
	       err);
	test_end("bpfasm_parse_errors");
}

/* For bpfasm_llvm.sh: what each case prints as. */
static int print_cases(void)
{
	static struct prog prog;
	char *text, *line, *save;
	const unsigned char *b;
	size_t i, j;

	for (i = 0; i < ncases; i++) {
		memset(&prog, 0, sizeof(prog));
		memcpy(prog.insns, cases[i].insn,
		       cases[i].n * sizeof(struct bpf_insn));
		prog.len = cases[i].n;
		text = print_prog(&prog);
		if (!text)
			return 1;
		printf("%s\t%s\t", cases[i].name, cases[i].kind);
		b = (const unsigned char *)prog.insns;
		for (j = 0; j < cases[i].n * sizeof(struct bpf_insn); j++)
			printf("%s0x%02x", j ? "," : "", b[j]);
		/* The instruction lines, as one line ("; " between). */
		printf("\t");
		j = 0;
		for (line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (line[0] != '#')
				printf("%s%s", j++ ? "; " : "", line);
		printf("\n");
		free(text);
	}
	return 0;
}

/* For bpfasm_llvm.sh: prog_build()'s bytes, as --dump would print them. */
static int print_raw(int argc, char **argv)
{
	struct prog_config cfg;
	static struct prog prog;

	if (argc != 6)
		return 2;
	/* Outside a container, as show_bt --dump in the first pid namespace. */
	memset(&cfg, 0, sizeof(cfg));
	cfg.pid = atoi(argv[2]);
	cfg.self = atoi(argv[3]);
	cfg.per_process = atoi(argv[4]);
	maps.depth = maps.chunk = atoi(argv[5]);
	prog_build(&prog, &maps, &cfg);
	return fwrite(prog.insns, sizeof(prog.insns[0]), prog.len, stdout) !=
	       prog.len;
}

/* .license "NAME" sets the license a --prog program is loaded under. */
static void test_license(void)
{
	static struct prog prog;
	char err[256];

	EXPECT(!bpfasm_parse(".license \"MIT\"\nr0 = 0\nexit\n", &prog, &maps,
			     err, sizeof(err)) &&
	       !strcmp(prog.license, "MIT") && prog.len == 2,
	       "license '%s', %zu insns: %s", prog.license, prog.len, err);
	EXPECT(!bpfasm_parse("r0 = 0\nexit\n", &prog, &maps, err,
			     sizeof(err)) && !prog.license[0],
	       "no .license line gave '%s'", prog.license);
	EXPECT(bpfasm_parse(".license MIT\nexit\n", &prog, &maps, err,
			    sizeof(err)) &&
	       !strncmp(err, "line 1, column 10: expected a quoted license",
			44), "unquoted: %s", err);
	EXPECT(bpfasm_parse(".license \"MIT\nexit\n", &prog, &maps, err,
			    sizeof(err)) &&
	       !strcmp(err, "line 1, column 10: the license's closing quote is missing"),
	       "unclosed: %s", err);
	EXPECT(bpfasm_parse(".license \"\"\nexit\n", &prog, &maps, err,
			    sizeof(err)) &&
	       !strncmp(err, "line 1, column 11: a license has 1 to 31", 40),
	       "empty: %s", err);
	EXPECT(bpfasm_parse(".license \"GPL\" x\nexit\n", &prog, &maps, err,
			    sizeof(err)) &&
	       !strncmp(err, "line 1, column 16: unexpected", 29),
	       "trailing: %s", err);
	test_end("bpfasm_license");
}

/* --dump prints the license a --prog program has, and reads it back. */
static void test_license_round_trip(void)
{
	static struct prog prog, again;
	char err[256], *text = NULL;
	size_t len = 0;
	FILE *f;

	EXPECT(!bpfasm_parse(".license \"MIT\"\nr0 = 0\nexit\n", &prog, &maps,
			     err, sizeof(err)), "parse: %s", err);
	f = open_memstream(&text, &len);
	if (!f) {
		test_fail("open_memstream failed");
		test_end("bpfasm_license_round_trip");
		return;
	}
	bpfasm_print(f, &prog, &maps);
	fclose(f);
	EXPECT(strstr(text, "(license MIT)") && strstr(text, "\n.license \"MIT\"\n"),
	       "--dump of an MIT program says: %.200s", text);
	EXPECT(!bpfasm_parse(text, &again, &maps, err, sizeof(err)) &&
	       !strcmp(again.license, "MIT") && again.len == prog.len,
	       "read back: license '%s', %zu insns: %s", again.license,
	       again.len, err);
	free(text);
	test_end("bpfasm_license_round_trip");
}

int main(int argc, char **argv)
{
	init_cases();
	if (argc > 1 && !strcmp(argv[1], "cases"))
		return print_cases();
	if (argc > 1 && !strcmp(argv[1], "raw"))
		return print_raw(argc, argv);
	test_builtin();
	test_notes();
	test_cases();
	test_random();
	test_variants();
	test_errors();
	test_license();
	test_license_round_trip();
	return test_failed ? 1 : 0;
}
