/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfasm_lex.h - the tokens of bpfasm_parse.c's statements (bpfasm_lex.c):
 * blanks, words, registers, numbers in range, addresses and operands,
 * each taken from where the parser stands or refused with a message that
 * says where and what was found.  Private to the parser.
 */
#ifndef SHOW_BT_BPFASM_LEX_H
#define SHOW_BT_BPFASM_LEX_H

#include <stddef.h>
#include <linux/bpf.h>

#include "bpfasm_ops.h"
#include "prog.h"

/* Where the parser stands, and where its message goes. */
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

/* The ranges of immediates and offsets. */
extern const struct range imm32, imm64, off16, off16_abs;

/* Characters of names and numbers; blanks (not newlines) skipped. */
int lex_is_ident(char c);
int lex_is_digit(char c);
void lex_skip_ws(struct parser *ps);

/* The end of the statement: end of the line or a comment. */
int lex_at_end(const char *p);

/* What is at p, for an error message. */
const char *lex_found(const char *p, char *buf, size_t size);

/* "line L, column C: message" in ps->err, where at is; returns -1. */
int __attribute__((format(printf, 3, 4)))
lex_perr(struct parser *ps, const char *at, const char *fmt, ...);

/* Take s if it comes next (after blanks). */
int lex_lit(struct parser *ps, const char *s);

/* Take the word w if it comes next, as a whole word. */
int lex_word(struct parser *ps, const char *w);

/* Take s, or say it was expected: 0 or -1. */
int lex_need(struct parser *ps, const char *s);

/*
 * Take the longest text of a table that comes next: ">=" rather than ">".
 * With whole, as a whole word ("u16", not "u1").  Returns its entry, or
 * NULL (having taken nothing).
 */
const struct op *lex_take_op(struct parser *ps, const struct op *ops,
			     size_t n, int whole);

/* Is a register ("r0".."r10", "w0".."w10") at p? */
int lex_reg_at(const char *p);

/* A register: its number in *reg, and in *w whether it was "wN". */
int lex_reg(struct parser *ps, int *regno, int *w);

/* A 64-bit register ("rN"), for addresses and 64-bit operations. */
int lex_reg64(struct parser *ps, int *regno, const char *why);

/*
 * A number, decimal or 0x hex, with an optional sign (or, with sign set,
 * a required one), within r.  Its two's complement bits in *v.
 */
int lex_number(struct parser *ps, const struct range *r, int sign,
	       unsigned long long *v);

/* A 32-bit immediate. */
int lex_imm(struct parser *ps, __s32 *v);

/* A jump's "+N" or "-N" (llvm writes the sign; it may be left out). */
int lex_offset(struct parser *ps, __s16 *v);

/* "rB + OFF", "rB - OFF" or "rB": an address, into in's dst or src. */
int lex_address(struct parser *ps, int *base, __s16 *off);

/* "(u32 *)": the BPF_SIZE in *size, whether it said "s" in *sx. */
int lex_mem_size(struct parser *ps, int *size, int *sx);

/* "(u32 *)(rB + OFF)", unsigned: for stores and atomics. */
int lex_mem_operand(struct parser *ps, int *size, int *base, __s16 *off,
		    const char *what);

/* A source: a register (as wide as w says) or a 32-bit immediate. */
int lex_operand(struct parser *ps, int w, struct bpf_insn *in, int *x);

#endif
