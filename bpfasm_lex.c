// SPDX-License-Identifier: GPL-2.0
/* bpfasm_lex.c - the parser's tokens; see bpfasm_lex.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bpfasm_lex.h"
#include "msg.h"

const struct range imm32 = {
	"immediate", 1ull << 31, 0xffffffffull,
	"-2147483648 to 4294967295"
};
const struct range imm64 = {
	"64-bit immediate", 1ull << 63, ~0ull,
	"-9223372036854775808 to 18446744073709551615"
};
const struct range off16 = {
	"offset", 32768, 32767, "-32768 to 32767"
};
/* The N of "(rB - N)" or "(rB + N)": checked with its sign after. */
const struct range off16_abs = {
	"offset", 0, ~0ull, "-32768 to 32767"
};

int lex_is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

int lex_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void lex_skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t')
		ps->p++;
}

/* The end of the statement: end of the line or a comment. */
int lex_at_end(const char *p)
{
	return !*p || *p == '\n' || *p == '\r' || *p == '#' || *p == ';' ||
	       (p[0] == '/' && p[1] == '/');
}

/* What is at p, for an error message. */
const char *lex_found(const char *p, char *buf, size_t size)
{
	size_t n = 0;

	if (lex_at_end(p))
		return "the end of the line";
	if (lex_is_ident(*p))
		while (lex_is_ident(p[n]) && n < 24)
			n++;
	else
		n = 1;
	snprintf(buf, size, "'%.*s'", (int)n, p);
	return buf;
}

int __attribute__((format(printf, 3, 4)))
lex_perr(struct parser *ps, const char *at, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return msg_fail(ps->err, ps->size, -1, "line %u, column %zu: %s",
			ps->lineno, (size_t)(at - ps->line) + 1, what);
}

/* Take s if it comes next (after blanks). */
int lex_lit(struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	lex_skip_ws(ps);
	if (strncmp(ps->p, s, n))
		return 0;
	ps->p += n;
	return 1;
}

/* Take the word w if it comes next, as a whole word. */
int lex_word(struct parser *ps, const char *w)
{
	size_t n = strlen(w);

	lex_skip_ws(ps);
	if (strncmp(ps->p, w, n) || lex_is_ident(ps->p[n]))
		return 0;
	ps->p += n;
	return 1;
}

int lex_need(struct parser *ps, const char *s)
{
	char buf[32];

	if (lex_lit(ps, s))
		return 0;
	return lex_perr(ps, ps->p, "expected '%s', found %s", s,
			lex_found(ps->p, buf, sizeof(buf)));
}

/*
 * Take the longest text of a table that comes next: ">=" rather than ">".
 * With whole, as a whole word ("u16", not "u1").  Returns its entry, or
 * NULL (having taken nothing).
 */
const struct op *lex_take_op(struct parser *ps, const struct op *ops,
			     size_t n, int whole)
{
	const struct op *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < n; i++) {
		len = strlen(ops[i].text);
		if (len > best_len && !strncmp(ps->p, ops[i].text, len) &&
		    !(whole && lex_is_ident(ps->p[len]))) {
			best = &ops[i];
			best_len = len;
		}
	}
	ps->p += best_len;
	return best;
}

/* Is a register ("r0".."r10", "w0".."w10") at p? */
int lex_reg_at(const char *p)
{
	size_t n = 1;

	if (*p != 'r' && *p != 'w')
		return 0;
	while (lex_is_digit(p[n]))
		n++;
	return n > 1 && !lex_is_ident(p[n]);
}

/* A register: its number in *reg, and in *w whether it was "wN". */
int lex_reg(struct parser *ps, int *regno, int *w)
{
	char buf[32];
	const char *at;
	long n = 0;

	lex_skip_ws(ps);
	at = ps->p;
	if (!lex_reg_at(at))
		return lex_perr(ps, at, "expected a register (r0 to r10), found %s",
				lex_found(at, buf, sizeof(buf)));
	for (ps->p = at + 1; lex_is_digit(*ps->p); ps->p++)
		if (n < 1000)
			n = n * 10 + (*ps->p - '0');
	if (n > 10)
		return lex_perr(ps, at, "no register %.*s: there are r0 to r10",
				(int)(ps->p - at), at);
	*regno = (int)n;
	*w = *at == 'w';
	return 0;
}

/* A 64-bit register ("rN"), for addresses and 64-bit operations. */
int lex_reg64(struct parser *ps, int *regno, const char *why)
{
	const char *at;
	int w;

	lex_skip_ws(ps);
	at = ps->p;
	if (lex_reg(ps, regno, &w))
		return -1;
	if (w)
		return lex_perr(ps, at, "%s needs a 64-bit register (r%d, not w%d)",
				why, *regno, *regno);
	return 0;
}

/*
 * A number, decimal or 0x hex, with an optional sign (or, with sign set,
 * a required one), within r.  Its two's complement bits in *v.
 */
int lex_number(struct parser *ps, const struct range *r, int sign,
	       unsigned long long *v)
{
	unsigned long long n = 0, d, base = 10;
	const char *at, *digits;
	int neg = 0, over = 0;
	char buf[32];

	lex_skip_ws(ps);
	at = ps->p;
	if (*ps->p == '-' || *ps->p == '+') {
		neg = *ps->p == '-';
		ps->p++;
	} else if (sign) {
		return lex_perr(ps, at, "expected a signed %s (+N or -N), found %s",
				r->what, lex_found(at, buf, sizeof(buf)));
	}
	if (ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X')) {
		base = 16;
		ps->p += 2;
	}
	digits = ps->p;
	for (;; ps->p++) {
		char c = *ps->p;

		if (lex_is_digit(c))
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
	if (ps->p == digits || lex_is_ident(*ps->p))
		return lex_perr(ps, at, "expected %s %s, found %s",
				r == &imm64 ? "a" : "an", r->what,
				lex_found(at, buf, sizeof(buf)));
	if (over || (neg ? n > r->neg : n > r->pos))
		return lex_perr(ps, at, "%s %.*s is out of range (%s)", r->what,
				(int)(ps->p - at), at, r->text);
	*v = neg ? -n : n;
	return 0;
}

int lex_imm(struct parser *ps, __s32 *v)
{
	unsigned long long n;

	if (lex_number(ps, &imm32, 0, &n))
		return -1;
	*v = (__s32)(__u32)n;
	return 0;
}

/* A jump's "+N" or "-N" (llvm writes the sign; it may be left out). */
int lex_offset(struct parser *ps, __s16 *v)
{
	unsigned long long n;

	if (lex_number(ps, &off16, 0, &n))
		return -1;
	*v = (__s16)(__u16)n;
	return 0;
}

/* "rB + OFF", "rB - OFF" or "rB": an address, into in's dst or src. */
int lex_address(struct parser *ps, int *base, __s16 *off)
{
	unsigned long long n;
	const char *at;
	int neg;

	if (lex_reg64(ps, base, "an address"))
		return -1;
	*off = 0;
	lex_skip_ws(ps);
	if (*ps->p != '+' && *ps->p != '-')
		return 0;
	neg = *ps->p == '-';
	ps->p++;
	lex_skip_ws(ps);
	at = ps->p;
	if (*at == '-' || *at == '+')
		return lex_perr(ps, at, "write the offset as '+ N' or '- N'");
	if (lex_number(ps, &off16_abs, 0, &n))
		return -1;
	if (neg ? n > 32768 : n > 32767)
		return lex_perr(ps, at, "offset %c%llu is out of range (%s)",
				neg ? '-' : '+', n, off16.text);
	*off = (__s16)(neg ? -(long long)n : (long long)n);
	return 0;
}

/* "(u32 *)": the BPF_SIZE in *size, whether it said "s" in *sx. */
int lex_mem_size(struct parser *ps, int *size, int *sx)
{
	const struct op *s;
	char buf[32], list[64];

	if (lex_need(ps, "("))
		return -1;
	lex_skip_ws(ps);
	s = lex_take_op(ps, mem_sizes.ops, mem_sizes.n, 1);
	if (!s)
		return lex_perr(ps, ps->p, "expected a size (%s), found %s",
				op_list(list, sizeof(list), mem_sizes.ops,
					mem_sizes.n, ", "),
				lex_found(ps->p, buf, sizeof(buf)));
	*size = s->code;
	*sx = s->arg;
	if (lex_need(ps, "*") || lex_need(ps, ")"))
		return -1;
	return 0;
}

/* "(u32 *)(rB + OFF)", unsigned: for stores and atomics. */
int lex_mem_operand(struct parser *ps, int *size, int *base, __s16 *off,
		    const char *what)
{
	const char *at;
	int sx;

	lex_skip_ws(ps);
	at = ps->p;
	if (lex_mem_size(ps, size, &sx))
		return -1;
	if (sx)
		return lex_perr(ps, at + 1, "%s has no sign: write u%d", what,
				size_bits(*size));
	if (lex_need(ps, "(") || lex_address(ps, base, off) || lex_need(ps, ")"))
		return -1;
	return 0;
}

/* A source: a register (as wide as w says) or a 32-bit immediate. */
int lex_operand(struct parser *ps, int w, struct bpf_insn *in, int *x)
{
	const char *at;
	int src, sw;

	lex_skip_ws(ps);
	at = ps->p;
	if (!lex_reg_at(at)) {
		*x = 0;
		return lex_imm(ps, &in->imm);
	}
	if (lex_reg(ps, &src, &sw))
		return -1;
	if (sw != w)
		return lex_perr(ps, at, "%c%d: both registers must be %s", sw ?
			    'w' : 'r', src, w ? "32-bit (wN)" : "64-bit (rN)");
	in->src_reg = src;
	*x = 1;
	return 0;
}
