// SPDX-License-Identifier: GPL-2.0
/*
 * insn_encoding.c - every instruction macro of insn.h, for llvm-mc to check.
 *
 * It prints one line per macro case for insn_encoding.sh:
 *
 *	name TAB kind TAB bytes TAB asm1 TAB asm2
 *
 * bytes are what the macro built, in llvm-mc's "0xbf,0x16,..." form, and
 * asm1/asm2 are written by hand in llvm-mc's syntax; kind says how the
 * script derives the expected bytes from llvm-mc's encoding of them:
 *
 *	same	exactly asm1's encoding
 *	mapfd	asm1's ("rD = FD ll") with src_reg 1, BPF_PSEUDO_MAP_FD
 *	st	llvm 14 cannot write BPF_ST: asm1's ("*(SZ *)(rD + OFF) = r0")
 *		with class BPF_ST instead of BPF_STX, and the imm of asm2's
 *		("r0 = IMM")
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "../../insn.h"

struct tcase {
	const char *call;	/* the macro call, as written below */
	const char *kind;
	const char *asm1;
	const char *asm2;
	struct bpf_insn insn[2];
	size_t n;
};

#define MAX_CASES	128

#define T(KIND, ASM1, ASM2, CALL, ...)					\
	{ .call = CALL, .kind = KIND, .asm1 = ASM1, .asm2 = ASM2,	\
	  .insn = { __VA_ARGS__ },					\
	  .n = sizeof((struct bpf_insn[]){ __VA_ARGS__ }) /		\
	       sizeof(struct bpf_insn) }
#define SAME(ASM, ...)		T("same", ASM, "", #__VA_ARGS__, __VA_ARGS__)
#define MAPFD(ASM, ...)		T("mapfd", ASM, "", #__VA_ARGS__, __VA_ARGS__)
#define ST(ASM1, ASM2, ...)	T("st", ASM1, ASM2, #__VA_ARGS__, __VA_ARGS__)

/*
 * The test name from the macro call: "BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, -5,
 * -3)" becomes "insn_jmp_imm_jslt_r0_m5_m3".
 */
static void case_name(char *out, size_t size, const char *call)
{
	size_t n = 0;
	const char *s = call;

	n += snprintf(out, size, "insn_");
	while (*s && n + 2 < size) {
		if (!strncmp(s, "BPF_REG_", 8)) {
			out[n++] = 'r';
			s += 8;
		} else if (!strncmp(s, "BPF_", 4)) {
			s += 4;
		} else if (*s == '(' || *s == ',') {
			out[n++] = '_';
			s++;
		} else if (*s == '-') {
			out[n++] = 'm';
			s++;
		} else if (*s == ' ' || *s == ')') {
			s++;
		} else if (*s >= 'A' && *s <= 'Z') {
			out[n++] = *s++ - 'A' + 'a';
		} else if ((*s >= 'a' && *s <= 'z') ||
			   (*s >= '0' && *s <= '9') || *s == '_') {
			out[n++] = *s++;
		} else {
			s++;
		}
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

static int print_cases(void)
{
	const struct tcase cases[] = {
		SAME("r6 = r1", BPF_MOV64_REG(BPF_REG_6, BPF_REG_1)),
		SAME("r1 = r6", BPF_MOV64_REG(BPF_REG_1, BPF_REG_6)),
		SAME("r2 = r10", BPF_MOV64_REG(BPF_REG_2, BPF_REG_10)),
		SAME("r0 = 0", BPF_MOV64_IMM(BPF_REG_0, 0)),
		SAME("r1 = -1", BPF_MOV64_IMM(BPF_REG_1, -1)),
		SAME("r9 = 2147483647", BPF_MOV64_IMM(BPF_REG_9, INT_MAX)),
		SAME("r3 = -2147483648", BPF_MOV64_IMM(BPF_REG_3, INT_MIN)),
		SAME("r2 += -4", BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, -4)),
		SAME("r7 += 100", BPF_ALU64_IMM(BPF_ADD, BPF_REG_7, 100)),
		SAME("r1 -= 3", BPF_ALU64_IMM(BPF_SUB, BPF_REG_1, 3)),
		SAME("r1 *= 7", BPF_ALU64_IMM(BPF_MUL, BPF_REG_1, 7)),
		SAME("r1 /= 10", BPF_ALU64_IMM(BPF_DIV, BPF_REG_1, 10)),
		SAME("r1 |= 16", BPF_ALU64_IMM(BPF_OR, BPF_REG_1, 16)),
		SAME("r3 &= 255", BPF_ALU64_IMM(BPF_AND, BPF_REG_3, 255)),
		SAME("r4 &= -8", BPF_ALU64_IMM(BPF_AND, BPF_REG_4, -8)),
		SAME("r1 <<= 3", BPF_ALU64_IMM(BPF_LSH, BPF_REG_1, 3)),
		SAME("r0 >>= 32", BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32)),
		SAME("r5 s>>= 1", BPF_ALU64_IMM(BPF_ARSH, BPF_REG_5, 1)),
		SAME("r1 ^= -1", BPF_ALU64_IMM(BPF_XOR, BPF_REG_1, -1)),
		SAME("r1 = -r1", BPF_ALU64_IMM(BPF_NEG, BPF_REG_1, 0)),
		SAME("r1 += r2", BPF_ALU64_REG(BPF_ADD, BPF_REG_1, BPF_REG_2)),
		SAME("r3 -= r4", BPF_ALU64_REG(BPF_SUB, BPF_REG_3, BPF_REG_4)),
		SAME("r5 *= r6", BPF_ALU64_REG(BPF_MUL, BPF_REG_5, BPF_REG_6)),
		SAME("r7 /= r8", BPF_ALU64_REG(BPF_DIV, BPF_REG_7, BPF_REG_8)),
		SAME("r9 |= r0", BPF_ALU64_REG(BPF_OR, BPF_REG_9, BPF_REG_0)),
		SAME("r0 &= r9", BPF_ALU64_REG(BPF_AND, BPF_REG_0, BPF_REG_9)),
		SAME("r1 <<= r2", BPF_ALU64_REG(BPF_LSH, BPF_REG_1, BPF_REG_2)),
		SAME("r1 >>= r2", BPF_ALU64_REG(BPF_RSH, BPF_REG_1, BPF_REG_2)),
		SAME("r1 s>>= r2",
		     BPF_ALU64_REG(BPF_ARSH, BPF_REG_1, BPF_REG_2)),
		SAME("r1 ^= r10",
		     BPF_ALU64_REG(BPF_XOR, BPF_REG_1, BPF_REG_10)),
		SAME("r2 = 0 ll", BPF_LD_IMM64(BPF_REG_2, 0)),
		SAME("r2 = -1 ll", BPF_LD_IMM64(BPF_REG_2, -1)),
		SAME("r9 = 4294967296 ll",
		     BPF_LD_IMM64(BPF_REG_9, 0x100000000ULL)),
		SAME("r0 = 0x123456789abcdef0 ll",
		     BPF_LD_IMM64(BPF_REG_0, 0x123456789abcdef0ULL)),
		SAME("r5 = -81985529216486896 ll",
		     BPF_LD_IMM64(BPF_REG_5, -0x123456789abcdf0LL)),
		MAPFD("r1 = 3 ll", BPF_LD_MAP_FD(BPF_REG_1, 3)),
		MAPFD("r2 = 1000 ll", BPF_LD_MAP_FD(BPF_REG_2, 1000)),
		MAPFD("r9 = 2147483647 ll", BPF_LD_MAP_FD(BPF_REG_9, INT_MAX)),
		SAME("r0 = *(u8 *)(r1 + 0)",
		     BPF_LDX_MEM(BPF_B, BPF_REG_0, BPF_REG_1, 0)),
		SAME("r0 = *(u16 *)(r1 + 8)",
		     BPF_LDX_MEM(BPF_H, BPF_REG_0, BPF_REG_1, 8)),
		SAME("r2 = *(u32 *)(r10 - 4)",
		     BPF_LDX_MEM(BPF_W, BPF_REG_2, BPF_REG_10, -4)),
		SAME("r3 = *(u64 *)(r6 - 32768)",
		     BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, -32768)),
		SAME("r3 = *(u64 *)(r6 + 32767)",
		     BPF_LDX_MEM(BPF_DW, BPF_REG_3, BPF_REG_6, 32767)),
		SAME("*(u8 *)(r10 - 1) = r1",
		     BPF_STX_MEM(BPF_B, BPF_REG_10, BPF_REG_1, -1)),
		SAME("*(u16 *)(r10 - 2) = r2",
		     BPF_STX_MEM(BPF_H, BPF_REG_10, BPF_REG_2, -2)),
		SAME("*(u32 *)(r10 - 4) = r0",
		     BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, -4)),
		SAME("*(u64 *)(r10 - 512) = r9",
		     BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_9, -512)),
		SAME("*(u64 *)(r1 + 16) = r2",
		     BPF_STX_MEM(BPF_DW, BPF_REG_1, BPF_REG_2, 16)),
		ST("*(u8 *)(r10 - 1) = r0", "r0 = 255",
		   BPF_ST_MEM(BPF_B, BPF_REG_10, -1, 255)),
		ST("*(u16 *)(r10 - 2) = r0", "r0 = -1",
		   BPF_ST_MEM(BPF_H, BPF_REG_10, -2, -1)),
		ST("*(u32 *)(r10 - 4) = r0", "r0 = 7",
		   BPF_ST_MEM(BPF_W, BPF_REG_10, -4, 7)),
		ST("*(u64 *)(r3 + 24) = r0", "r0 = -2147483648",
		   BPF_ST_MEM(BPF_DW, BPF_REG_3, 24, INT_MIN)),
		ST("*(u64 *)(r7 + 0) = r0", "r0 = 0",
		   BPF_ST_MEM(BPF_DW, BPF_REG_7, 0, 0)),
		ST("*(u64 *)(r10 - 16) = r0", "r0 = 1",
		   BPF_ST_MEM(BPF_DW, BPF_REG_10, -16, 1)),
		SAME("lock *(u64 *)(r0 + 0) += r1",
		     BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0)),
		SAME("lock *(u32 *)(r2 - 8) += r3",
		     BPF_ATOMIC_OP(BPF_W, BPF_ADD, BPF_REG_2, BPF_REG_3, -8)),
		SAME("lock *(u64 *)(r4 + 16) |= r5",
		     BPF_ATOMIC_OP(BPF_DW, BPF_OR, BPF_REG_4, BPF_REG_5, 16)),
		SAME("if r0 == 0 goto +2",
		     BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2)),
		SAME("if r0 == -17 goto +5",
		     BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -17, 5)),
		SAME("if r1 != -1 goto -2",
		     BPF_JMP_IMM(BPF_JNE, BPF_REG_1, -1, -2)),
		SAME("if r0 s< 0 goto +11",
		     BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 11)),
		SAME("if r0 s< -5 goto -3",
		     BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, -5, -3)),
		SAME("if r1 > 5 goto +0",
		     BPF_JMP_IMM(BPF_JGT, BPF_REG_1, 5, 0)),
		SAME("if r2 >= 6 goto +1",
		     BPF_JMP_IMM(BPF_JGE, BPF_REG_2, 6, 1)),
		SAME("if r3 < 7 goto +32767",
		     BPF_JMP_IMM(BPF_JLT, BPF_REG_3, 7, 32767)),
		SAME("if r4 <= 8 goto -32768",
		     BPF_JMP_IMM(BPF_JLE, BPF_REG_4, 8, -32768)),
		SAME("if r5 s> -9 goto +1",
		     BPF_JMP_IMM(BPF_JSGT, BPF_REG_5, -9, 1)),
		SAME("if r6 s>= 10 goto +1",
		     BPF_JMP_IMM(BPF_JSGE, BPF_REG_6, 10, 1)),
		SAME("if r9 s<= -2147483648 goto +1",
		     BPF_JMP_IMM(BPF_JSLE, BPF_REG_9, INT_MIN, 1)),
		SAME("if r1 == r2 goto +1",
		     BPF_JMP_REG(BPF_JEQ, BPF_REG_1, BPF_REG_2, 1)),
		SAME("if r3 != r4 goto -1",
		     BPF_JMP_REG(BPF_JNE, BPF_REG_3, BPF_REG_4, -1)),
		SAME("if r5 > r6 goto +3",
		     BPF_JMP_REG(BPF_JGT, BPF_REG_5, BPF_REG_6, 3)),
		SAME("if r7 s> r8 goto -7",
		     BPF_JMP_REG(BPF_JSGT, BPF_REG_7, BPF_REG_8, -7)),
		SAME("if r0 s< r10 goto +2",
		     BPF_JMP_REG(BPF_JSLT, BPF_REG_0, BPF_REG_10, 2)),
		SAME("if r9 <= r1 goto +4",
		     BPF_JMP_REG(BPF_JLE, BPF_REG_9, BPF_REG_1, 4)),
		SAME("goto +0", BPF_JMP_A(0)),
		SAME("goto -1", BPF_JMP_A(-1)),
		SAME("goto +32767", BPF_JMP_A(32767)),
		SAME("goto -32768", BPF_JMP_A(-32768)),
		SAME("call 1", BPF_CALL_HELPER(BPF_FUNC_map_lookup_elem)),
		SAME("call 14", BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid)),
		SAME("call 2", BPF_CALL_HELPER(BPF_FUNC_map_update_elem)),
		SAME("call 16", BPF_CALL_HELPER(BPF_FUNC_get_current_comm)),
		SAME("call 27", BPF_CALL_HELPER(BPF_FUNC_get_stackid)),
		SAME("call 67", BPF_CALL_HELPER(BPF_FUNC_get_stack)),
		SAME("exit", BPF_EXIT_INSN()),
	};
	static char seen[MAX_CASES][64];
	char name[64];
	size_t i, j, b;

	if (sizeof(cases) / sizeof(cases[0]) > MAX_CASES) {
		fprintf(stderr, "raise MAX_CASES\n");
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		const unsigned char *p = (const unsigned char *)c->insn;

		case_name(name, sizeof(name), c->call);
		for (j = 0; j < i; j++)
			if (!strcmp(seen[j], name)) {
				fprintf(stderr, "duplicate case %s\n", name);
				return 1;
			}
		snprintf(seen[i], sizeof(seen[i]), "%s", name);
		printf("%s\t%s\t", name, c->kind);
		for (b = 0; b < c->n * sizeof(struct bpf_insn); b++)
			printf("%s0x%02x", b ? "," : "", p[b]);
		printf("\t%s\t%s\n", c->asm1, c->asm2);
	}
	return 0;
}

int main(void)
{
	return print_cases();
}
