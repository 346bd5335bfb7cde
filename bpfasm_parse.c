// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm_parse.c - text to programs: bpfasm_parse() (bpfasm.h), for
 * --prog.  It needs libc and prog.c's map names only.
 *
 * The parser reads one line at a time: an optional instruction number
 * ("12:"), an optional instruction, an optional comment ("#", "//" or ";"
 * to the end of the line).  Instruction numbers are ignored, so lines can
 * be added and removed; jumps are relative ("goto +3") and must be fixed
 * by hand when instructions come or go between a jump and its target.
 * What it accepts is what bpfasm_ops.c's tables say, and its messages
 * list their entries.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bpfasm.h"
#include "bpfasm_lex.h"
#include "msg.h"
static int parse_call(struct parser *ps, struct bpf_insn *in)
{
	unsigned long long n;
	const char *at;
	char buf[32];
	size_t len;
	int id;

	in->code = BPF_JMP | BPF_CALL;
	lex_skip_ws(ps);
	at = ps->p;
	if (lex_word(ps, "pc")) {
		in->src_reg = BPF_PSEUDO_CALL;
		if (lex_number(ps, &imm32, 1, &n))
			return -1;
		in->imm = (__s32)(__u32)n;
		return 1;
	}
	if (lex_is_digit(*at) || *at == '-' || *at == '+')
		return lex_imm(ps, &in->imm) ? -1 : 1;
	for (len = 0; lex_is_ident(at[len]); len++)
		;
	if (!len)
		return lex_perr(ps, at,
				"expected a helper's number or name, found %s",
				lex_found(at, buf, sizeof(buf)));
	id = helper_id(at, len);
	if (id < 0)
		return lex_perr(ps, at, "unknown helper '%.*s'", (int)len, at);
	ps->p = at + len;
	in->imm = id;
	return 1;
}

static int parse_if(struct parser *ps, struct bpf_insn *in)
{
	const struct op *cond;
	char buf[32], list[64];
	int dst, w, x;

	if (lex_reg(ps, &dst, &w))
		return -1;
	lex_skip_ws(ps);
	cond = lex_take_op(ps, jmp_ops.ops, jmp_ops.n, 0);
	if (!cond)
		return lex_perr(ps, ps->p,
				"expected a comparison (%s), found %s",
				op_list(list, sizeof(list), jmp_ops.ops,
					jmp_ops.n, ", "),
				lex_found(ps->p, buf, sizeof(buf)));
	in->dst_reg = dst;
	if (lex_operand(ps, w, in, &x))
		return -1;
	if (!lex_word(ps, "goto"))
		return lex_perr(ps, ps->p, "expected 'goto', found %s",
				lex_found(ps->p, buf, sizeof(buf)));
	if (lex_offset(ps, &in->off))
		return -1;
	in->code = (w ? BPF_JMP32 : BPF_JMP) | cond->code |
		   (x ? BPF_X : BPF_K);
	return 1;
}

static int atomic_size_reg(struct parser *ps, int size, int *src)
{
	const char *at;
	int w;

	lex_skip_ws(ps);
	at = ps->p;
	if (lex_reg(ps, src, &w))
		return -1;
	if (w && size == BPF_DW)
		return lex_perr(ps, at, "a u64 operation needs r%d, not w%d", *src,
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

	if (lex_need(ps, "*"))
		return -1;
	lex_skip_ws(ps);
	at = ps->p;
	if (lex_mem_operand(ps, &size, &base, &in->off, "an atomic operation"))
		return -1;
	if (size != BPF_W && size != BPF_DW)
		return lex_perr(ps, at + 1, "atomic operations are u32 or u64");
	lex_skip_ws(ps);
	op = lex_take_op(ps, lock_ops.ops, lock_ops.n, 0);
	if (!op)
		return lex_perr(ps, ps->p, "expected %s, found %s",
				op_list(list, sizeof(list), lock_ops.ops,
					lock_ops.n, " or "),
				lex_found(ps->p, buf, sizeof(buf)));
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

	if (lex_mem_operand(ps, &size, &base, &in->off, "a store") ||
	    lex_need(ps, "="))
		return -1;
	in->dst_reg = base;
	lex_skip_ws(ps);
	at = ps->p;
	if (!lex_reg_at(at)) {
		in->code = BPF_ST | size | BPF_MEM;
		return lex_imm(ps, &in->imm) ? -1 : 1;
	}
	if (lex_reg(ps, &src, &w))
		return -1;
	if (w && size == BPF_DW)
		return lex_perr(ps, at, "a u64 store needs r%d, not w%d", src,
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

	lex_skip_ws(ps);
	at = ps->p;
	if (atomic_size_reg(ps, size, &src))
		return -1;
	if (src != dst)
		return lex_perr(ps, at, "%s: the register here must be the one "
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

	lex_skip_ws(ps);
	at = ps->p;
	op = lex_take_op(ps, fetch_ops.ops, fetch_ops.n, 1);
	if (!op)
		return 0;
	/* The exchanges say their width in their names. */
	size = op->arg == 64 ? BPF_DW : BPF_W;
	if (op->code == BPF_XCHG) {
		if (lex_need(ps, "(") || lex_address(ps, &base, &in->off) ||
		    lex_need(ps, ",") || same_reg(ps, dst, size, "xchg") ||
		    lex_need(ps, ")"))
			return -1;
		src = dst;
	} else if (op->code == BPF_CMPXCHG) {
		if (dst)
			return lex_perr(ps, at, "cmpxchg returns the old value in "
				    "r0: write r0 = cmpxchg...");
		if (lex_need(ps, "(") || lex_address(ps, &base, &in->off) ||
		    lex_need(ps, ",") || same_reg(ps, 0, size, "cmpxchg") ||
		    lex_need(ps, ",") || atomic_size_reg(ps, size, &src) ||
		    lex_need(ps, ")"))
			return -1;
	} else {
		if (lex_need(ps, "(") || lex_mem_operand(ps, &size, &base, &in->off,
							 "an atomic operation"))
			return -1;
		if (size != BPF_W && size != BPF_DW)
			return lex_perr(ps, at, "atomic operations are u32 or u64");
		if (lex_need(ps, ",") || same_reg(ps, dst, size, op->text) ||
		    lex_need(ps, ")"))
			return -1;
		src = dst;
	}
	if (w && size == BPF_DW)
		return lex_perr(ps, at, "a u64 operation needs r%d, not w%d", dst,
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

	if (lex_need(ps, "["))
		return -1;
	lex_skip_ws(ps);
	at = ps->p;
	for (len = 0; lex_is_ident(at[len]); len++)
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
		return lex_perr(ps, at, "unknown map '%.*s': the maps are %s",
				(int)len, at, list);
	}
	ps->p = at + len;
	if (lex_need(ps, "]"))
		return -1;
	lex_word(ps, "ll");
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

	lex_skip_ws(ps);
	swap = lex_take_op(ps, swaps.ops, swaps.n, 1);
	if (!swap)
		return 0;
	if (w)
		return lex_perr(ps, at, "byte swaps are written with r%d", dst);
	lex_skip_ws(ps);
	at = ps->p;
	if (lex_reg64(ps, &src, "a byte swap"))
		return -1;
	if (src != dst)
		return lex_perr(ps, at, "a byte swap works in place: r%d = %s r%d",
				dst, swap->text, dst);
	in->code = swap->code | BPF_END;
	in->dst_reg = dst;
	in->imm = swap->arg;
	return 1;
}

/* "rD = *(SIZE *)(rS + OFF)", at its '*'. */
static int parse_load(struct parser *ps, struct bpf_insn *in, int dst, int w)
{
	int size, sx, src;
	const char *q;

	lex_skip_ws(ps);
	q = ps->p;
	if (lex_mem_size(ps, &size, &sx) || lex_need(ps, "(") ||
	    lex_address(ps, &src, &in->off) || lex_need(ps, ")"))
		return -1;
	if (w && (size == BPF_DW || sx))
		return lex_perr(ps, q, "load into r%d, not w%d", dst, dst);
	in->code = BPF_LDX | size | (sx ? BPF_MEMSX : BPF_MEM);
	in->src_reg = src;
	return 1;
}

/* "rD = -rD" at at: 1, or 0 if a '-' and a register do not start it. */
static int parse_neg(struct parser *ps, struct bpf_insn *in, int dst, int w,
		     const char *at)
{
	const char *q = at + 1;
	int src, sw;

	if (*at != '-')
		return 0;
	while (*q == ' ' || *q == '\t')
		q++;
	if (!lex_reg_at(q))
		return 0;
	ps->p = q;
	if (lex_reg(ps, &src, &sw))
		return -1;
	if (src != dst || sw != w)
		return lex_perr(ps, q, "negation works in place: %c%d = -%c%d",
				w ? 'w' : 'r', dst, w ? 'w' : 'r', dst);
	in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_NEG;
	return 1;
}

/* Sign-extending move (Linux 6.6), "r1 = (s8)r2", at its '('. */
static int parse_movsx(struct parser *ps, struct bpf_insn *in, int w,
		       const char *at)
{
	const struct op *ext;
	int sx;

	ps->p++;
	lex_skip_ws(ps);
	ext = lex_take_op(ps, mem_sizes.ops, mem_sizes.n, 1);
	if (!ext || !ext->arg || (w && ext->code == BPF_W))
		return lex_perr(ps, at, "expected (s8), (s16) or (s32)");
	in->off = size_bits(ext->code);
	if (lex_need(ps, ")") || lex_operand(ps, w, in, &sx))
		return -1;
	if (!sx)
		return lex_perr(ps, at, "a sign-extending move takes a register");
	in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X;
	return 1;
}

/* A constant: 64-bit with "ll" (two instructions), else a 32-bit move. */
static int parse_constant(struct parser *ps, struct bpf_insn *in, int dst,
			  int w, const char *at)
{
	const char *q = ps->p;
	unsigned long long v;
	char buf[32];

	if (!lex_is_digit(*q) && *q != '-' && *q != '+')
		return lex_perr(ps, q, "expected a register, a number, a load or "
			    "map[NAME] after '=', found %s",
			    lex_found(q, buf, sizeof(buf)));
	if (lex_number(ps, &imm64, 0, &v))
		return -1;
	if (lex_word(ps, "ll")) {
		if (w)
			return lex_perr(ps, at, "a 64-bit constant goes into r%d, "
				    "not w%d", dst, dst);
		in[0].code = BPF_LD | BPF_DW | BPF_IMM;
		in[0].imm = (__s32)(__u32)v;
		in[1].imm = (__s32)(__u32)(v >> 32);
		return 2;
	}
	ps->p = q;
	if (lex_imm(ps, &in->imm))
		return -1;
	in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_K;
	return 1;
}

/* After "rD =": loads, moves, constants, maps, swaps, atomics. */
static int parse_set(struct parser *ps, struct bpf_insn *in, int dst, int w)
{
	const char *at;
	int sx, n;

	lex_skip_ws(ps);
	at = ps->p;
	in->dst_reg = dst;
	if (lex_lit(ps, "*"))
		return parse_load(ps, in, dst, w);
	n = parse_neg(ps, in, dst, w, at);
	if (n)
		return n;
	if (lex_word(ps, "map")) {
		if (w)
			return lex_perr(ps, at, "a map is loaded into r%d, not w%d",
					dst, dst);
		return parse_map(ps, in, dst);
	}
	n = parse_swap(ps, in, dst, w, at);
	if (n)
		return n;
	n = parse_fetch(ps, in, dst, w);
	if (n)
		return n;
	if (at[0] == '(' && at[1] == 's')
		return parse_movsx(ps, in, w, at);
	if (lex_reg_at(at)) {
		if (lex_operand(ps, w, in, &sx))
			return -1;
		in->code = (w ? BPF_ALU : BPF_ALU64) | BPF_MOV | BPF_X;
		return 1;
	}
	return parse_constant(ps, in, dst, w, at);
}

/* An instruction that starts with its destination register. */
static int parse_assign(struct parser *ps, struct bpf_insn *in)
{
	const struct op *op;
	int dst, w, x, sign = 0;
	const char *at;
	char buf[32];

	if (lex_reg(ps, &dst, &w))
		return -1;
	lex_skip_ws(ps);
	at = ps->p;
	op = lex_take_op(ps, alu_ops.ops, alu_ops.n, 0);
	/* A signed form: "s/=", "s%=" ("s>>=" is an operator of its own). */
	if (!op && *at == 's') {
		ps->p = at + 1;
		op = lex_take_op(ps, alu_ops.ops, alu_ops.n, 0);
		if (op && op->arg) {
			sign = 1;
		} else {
			ps->p = at;
			op = NULL;
		}
	}
	if (!op) {
		if (!lex_lit(ps, "="))
			return lex_perr(ps, ps->p, "expected '=' or an operator "
				    "such as '+=' after %c%d, found %s",
				    w ? 'w' : 'r', dst,
				    lex_found(ps->p, buf, sizeof(buf)));
		return parse_set(ps, in, dst, w);
	}
	in->dst_reg = dst;
	in->off = sign;
	if (lex_operand(ps, w, in, &x))
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

	if (lex_number(ps, &imm64, 0, &v))
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

	lex_skip_ws(ps);
	at = ps->p;
	if (lex_word(ps, "exit")) {
		in->code = BPF_JMP | BPF_EXIT;
		return 1;
	}
	if (lex_word(ps, "nospec")) {
		in->code = BPF_ST | BPF_NOSPEC;
		return 1;
	}
	if (lex_word(ps, "call"))
		return parse_call(ps, in);
	if (lex_word(ps, "goto")) {
		in->code = BPF_JMP | BPF_JA;
		return lex_offset(ps, &in->off) ? -1 : 1;
	}
	if (lex_word(ps, "gotol")) {
		in->code = BPF_JMP32 | BPF_JA;
		return lex_imm(ps, &in->imm) ? -1 : 1;
	}
	if (lex_word(ps, "if"))
		return parse_if(ps, in);
	if (lex_word(ps, "lock"))
		return parse_lock(ps, in);
	if (lex_lit(ps, "*"))
		return parse_store(ps, in);
	if (!strncmp(at, ".quad", 5) && !lex_is_ident(at[5])) {
		ps->p += 5;
		return parse_raw(ps, in);
	}
	if (lex_reg_at(at))
		return parse_assign(ps, in);
	return lex_perr(ps, at, "expected an instruction, found %s",
			lex_found(at, buf, sizeof(buf)));
}

/* .license "NAME": the license the program is loaded under. */
static int parse_license(struct parser *ps, struct prog *prog)
{
	const char *start, *end;
	char buf[32];

	ps->p += 8;
	lex_skip_ws(ps);
	if (*ps->p != '"')
		return lex_perr(ps, ps->p, "expected a quoted license, found %s",
				lex_found(ps->p, buf, sizeof(buf)));
	start = ps->p + 1;
	end = start + strcspn(start, "\"\n");
	if (*end != '"')
		return lex_perr(ps, ps->p, "the license's closing quote is missing");
	if (end == start || (size_t)(end - start) >= sizeof(prog->license))
		return lex_perr(ps, start, "a license has 1 to %zu characters",
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
		lex_skip_ws(&ps);
		/* An instruction number, as --dump prints them: ignored. */
		for (q = ps.p; lex_is_digit(*q); q++)
			;
		if (q != ps.p && *q == ':')
			ps.p = q + 1;
		lex_skip_ws(&ps);
		at = ps.p;
		if (!strncmp(at, ".license", 8) && !lex_is_ident(at[8])) {
			if (parse_license(&ps, prog))
				return -1;
			lex_skip_ws(&ps);
			if (!lex_at_end(ps.p))
				return lex_perr(&ps, ps.p,
						"unexpected %s after the license",
						lex_found(ps.p, buf, sizeof(buf)));
		} else if (!lex_at_end(at)) {
			memset(in, 0, sizeof(in));
			n = statement(&ps, in);
			if (n < 0)
				return -1;
			lex_skip_ws(&ps);
			if (!lex_at_end(ps.p))
				return lex_perr(&ps, ps.p,
						"unexpected %s after the instruction",
						lex_found(ps.p, buf, sizeof(buf)));
			if (prog->len + n > PROG_MAX_INSNS)
				return lex_perr(&ps, at, "too many instructions: "
					    "show_bt loads at most %d",
					    PROG_MAX_INSNS);
			memcpy(&prog->insns[prog->len], in, n * sizeof(in[0]));
			prog->len += n;
		}
		ps.p += strcspn(ps.p, "\n");
		if (*ps.p)
			ps.p++;
	}
	if (!prog->len)
		return msg_fail(err, size, -1,
				"line %u, column 1: no instructions",
				ps.lineno > 1 ? ps.lineno - 1 : 1);
	return 0;
}
