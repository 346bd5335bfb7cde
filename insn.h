/* SPDX-License-Identifier: GPL-2.0 */
/*
 * insn.h - build BPF instructions by hand.
 *
 * Each macro expands to one struct bpf_insn initializer (two for the 64-bit
 * immediate loads), in the spirit of the kernel's samples/bpf/bpf_insn.h.
 * The comment beside each gives the llvm-objdump syntax of what it builds;
 * tests/unit/insn_encoding.sh checks every one against llvm-mc.
 *
 * Encoding, from linux/bpf.h and linux/bpf_common.h:
 *   code = class | size/op | mode/source, then dst_reg:4, src_reg:4, off, imm.
 */
#ifndef SHOW_BT_INSN_H
#define SHOW_BT_INSN_H

#include <linux/bpf.h>

/* dst = src (64 bit)				"rD = rS" */
#define BPF_MOV64_REG(DST, SRC)					\
	((struct bpf_insn) {					\
		.code  = BPF_ALU64 | BPF_MOV | BPF_X,		\
		.dst_reg = DST, .src_reg = SRC, .off = 0, .imm = 0 })

/* dst = imm, sign-extended to 64 bits		"rD = IMM" */
#define BPF_MOV64_IMM(DST, IMM)					\
	((struct bpf_insn) {					\
		.code  = BPF_ALU64 | BPF_MOV | BPF_K,		\
		.dst_reg = DST, .src_reg = 0, .off = 0, .imm = IMM })

/* dst OP= imm (64 bit), OP one of BPF_ADD, BPF_RSH, BPF_AND, ... */
#define BPF_ALU64_IMM(OP, DST, IMM)				\
	((struct bpf_insn) {					\
		.code  = BPF_ALU64 | BPF_OP(OP) | BPF_K,	\
		.dst_reg = DST, .src_reg = 0, .off = 0, .imm = IMM })

/* dst OP= src (64 bit) */
#define BPF_ALU64_REG(OP, DST, SRC)				\
	((struct bpf_insn) {					\
		.code  = BPF_ALU64 | BPF_OP(OP) | BPF_X,	\
		.dst_reg = DST, .src_reg = SRC, .off = 0, .imm = 0 })

/*
 * The one instruction that takes two slots: a 64-bit constant, low half in
 * the first imm, high half in the second.  "rD = IMM ll"
 */
#define BPF_LD_IMM64_RAW(DST, SRC, IMM)				\
	((struct bpf_insn) {					\
		.code  = BPF_LD | BPF_DW | BPF_IMM,		\
		.dst_reg = DST, .src_reg = SRC, .off = 0,	\
		.imm = (__u32)(IMM) }),				\
	((struct bpf_insn) {					\
		.code  = 0, .dst_reg = 0, .src_reg = 0, .off = 0, \
		.imm = (__u32)((__u64)(IMM) >> 32) })

#define BPF_LD_IMM64(DST, IMM) BPF_LD_IMM64_RAW(DST, 0, IMM)

/*
 * The same load with src_reg = BPF_PSEUDO_MAP_FD: the imm is a map fd, and
 * the verifier replaces it with the address of that map.
 */
#define BPF_LD_MAP_FD(DST, MAP_FD)				\
	BPF_LD_IMM64_RAW(DST, BPF_PSEUDO_MAP_FD, MAP_FD)

/* dst = *(SIZE *)(src + off)			"rD = *(u64 *)(rS + OFF)" */
#define BPF_LDX_MEM(SIZE, DST, SRC, OFF)			\
	((struct bpf_insn) {					\
		.code  = BPF_LDX | BPF_SIZE(SIZE) | BPF_MEM,	\
		.dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 })

/* *(SIZE *)(dst + off) = src			"*(u32 *)(rD + OFF) = rS" */
#define BPF_STX_MEM(SIZE, DST, SRC, OFF)			\
	((struct bpf_insn) {					\
		.code  = BPF_STX | BPF_SIZE(SIZE) | BPF_MEM,	\
		.dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 })

/* *(SIZE *)(dst + off) = imm			"*(u32 *)(rD + OFF) = IMM" */
#define BPF_ST_MEM(SIZE, DST, OFF, IMM)				\
	((struct bpf_insn) {					\
		.code  = BPF_ST | BPF_SIZE(SIZE) | BPF_MEM,	\
		.dst_reg = DST, .src_reg = 0, .off = OFF, .imm = IMM })

/*
 * Atomic read-modify-write on memory, the operation in imm (BPF_ADD: the
 * old BPF_XADD).  Two CPUs counting into one slot never lose an increment.
 * "lock *(u64 *)(rD + OFF) += rS"
 */
#define BPF_ATOMIC_OP(SIZE, OP, DST, SRC, OFF)			\
	((struct bpf_insn) {					\
		.code  = BPF_STX | BPF_SIZE(SIZE) | BPF_ATOMIC,	\
		.dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = OP })

/* if (dst OP imm) goto pc + 1 + off		"if rD s< IMM goto +OFF" */
#define BPF_JMP_IMM(OP, DST, IMM, OFF)				\
	((struct bpf_insn) {					\
		.code  = BPF_JMP | BPF_OP(OP) | BPF_K,		\
		.dst_reg = DST, .src_reg = 0, .off = OFF, .imm = IMM })

/* if (dst OP src) goto pc + 1 + off */
#define BPF_JMP_REG(OP, DST, SRC, OFF)				\
	((struct bpf_insn) {					\
		.code  = BPF_JMP | BPF_OP(OP) | BPF_X,		\
		.dst_reg = DST, .src_reg = SRC, .off = OFF, .imm = 0 })

/* goto pc + 1 + off				"goto +OFF" */
#define BPF_JMP_A(OFF)						\
	((struct bpf_insn) {					\
		.code  = BPF_JMP | BPF_JA,			\
		.dst_reg = 0, .src_reg = 0, .off = OFF, .imm = 0 })

/* r0 = helper(r1, ..., r5), FUNC a BPF_FUNC_* number	"call 27" */
#define BPF_CALL_HELPER(FUNC)					\
	((struct bpf_insn) {					\
		.code  = BPF_JMP | BPF_CALL,			\
		.dst_reg = 0, .src_reg = 0, .off = 0, .imm = FUNC })

/* return r0					"exit" */
#define BPF_EXIT_INSN()						\
	((struct bpf_insn) {					\
		.code  = BPF_JMP | BPF_EXIT,			\
		.dst_reg = 0, .src_reg = 0, .off = 0, .imm = 0 })

#endif
