// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm.c - BPF programs as text, both ways; see bpfasm.h.
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
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "bpfasm.h"
#include "kallsyms.h"

/* Opcodes newer than some uapi headers. */
#ifndef BPF_MEMSX
#define BPF_MEMSX	0x80	/* sign-extending load (Linux 6.6) */
#endif
#ifndef BPF_NOSPEC
#define BPF_NOSPEC	0xc0	/* kernel-internal: speculation barrier */
#endif
#define BPF_ADDR_PERCPU	(-1)	/* kernel-internal: per-CPU address mov */

/* Where the comments of a listing start, and how wide notes get. */
#define TEXT_WIDTH	32
#define NOTE_WIDTH	76

/* ---- helper names ---- */

/* Every uapi header applies FN(name) with commas between. */
#define HELPER_NAME(x, ...) [BPF_FUNC_##x] = "bpf_" #x
static const char *const helper_names[] = {
	__BPF_FUNC_MAPPER(HELPER_NAME)
};
#undef HELPER_NAME

#define NHELPERS	(sizeof(helper_names) / sizeof(helper_names[0]))

static const char *helper_name(long long id)
{
	if (id <= 0 || (unsigned long long)id >= NHELPERS)
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
	for (i = 1; i < NHELPERS; i++)
		if (helper_names[i] && strlen(helper_names[i]) == len + 4 &&
		    !strncmp(helper_names[i] + 4, name, len))
			return (int)i;
	return -1;
}

/* ---- instructions to text ---- */

/* The xlated program's maps: its ids, with the names and fds we use. */
struct xmap {
	__u32 id;
	int fd;
	const char *name;
};

/* The function a kernel-resolved call goes to. */
struct xcall {
	__s32 imm;
	char name[KSYM_NAME_MAX + 24];
};

/*
 * How map loads and calls read.  As we load them: map fds, helper ids.
 * As the kernel dumps them (xlated): map ids, calls as offsets from
 * __bpf_call_base.
 */
struct namer {
	const struct prog_maps *maps;
	int fd_notes;			/* say each map's fd */
	int xlated;
	const struct xmap *xmaps;
	size_t nxmaps;
	const struct xcall *xcalls;
	size_t nxcalls;
};

static const char *const alu_ops[16] = {
	[BPF_ADD >> 4] = "+=", [BPF_SUB >> 4] = "-=",
	[BPF_MUL >> 4] = "*=", [BPF_DIV >> 4] = "/=",
	[BPF_OR >> 4] = "|=", [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=",
	[BPF_MOD >> 4] = "%=", [BPF_XOR >> 4] = "^=",
	[BPF_ARSH >> 4] = "s>>=",
};

static const char *const jmp_ops[16] = {
	[BPF_JEQ >> 4] = "==", [BPF_JGT >> 4] = ">",
	[BPF_JGE >> 4] = ">=", [BPF_JSET >> 4] = "&",
	[BPF_JNE >> 4] = "!=", [BPF_JSGT >> 4] = "s>",
	[BPF_JSGE >> 4] = "s>=", [BPF_JLT >> 4] = "<",
	[BPF_JLE >> 4] = "<=", [BPF_JSLT >> 4] = "s<",
	[BPF_JSLE >> 4] = "s<=",
};

static const char *const atomic_ops[16] = {
	[BPF_ADD >> 4] = "+=", [BPF_OR >> 4] = "|=",
	[BPF_AND >> 4] = "&=", [BPF_XOR >> 4] = "^=",
};

static const char *const fetch_ops[16] = {
	[BPF_ADD >> 4] = "add", [BPF_OR >> 4] = "or",
	[BPF_AND >> 4] = "and", [BPF_XOR >> 4] = "xor",
};

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

/* "(r10 - 4)" without the parentheses: "r10 - 4", "r0 + 0". */
static void addr_text(char *buf, size_t size, int reg, int off)
{
	snprintf(buf, size, "r%d %c %d", reg, off < 0 ? '-' : '+',
		 off < 0 ? -off : off);
}

static int alu_text(const struct bpf_insn *in, int xlated, char *buf,
		    size_t size)
{
	int is64 = BPF_CLASS(in->code) == BPF_ALU64;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;
	char r = is64 ? 'r' : 'w';

	switch (op) {
	case BPF_MOV:
		if (x && !in->imm && !in->off)
			snprintf(buf, size, "%c%d = %c%d", r, in->dst_reg, r,
				 in->src_reg);
		else if (x && !in->imm && (in->off == 8 || in->off == 16 ||
					   (in->off == 32 && is64)))
			snprintf(buf, size, "%c%d = (s%d)%c%d", r, in->dst_reg,
				 in->off, r, in->src_reg);
		else if (x && !in->imm && is64 && in->off == BPF_ADDR_PERCPU &&
			 xlated)
			snprintf(buf, size, "r%d = &(void __percpu *)(r%d)",
				 in->dst_reg, in->src_reg);
		else if (!x && !in->src_reg && !in->off)
			snprintf(buf, size, "%c%d = %d", r, in->dst_reg,
				 in->imm);
		else
			return -1;
		return 0;
	case BPF_NEG:
		if (x || in->src_reg || in->off || in->imm)
			return -1;
		snprintf(buf, size, "%c%d = -%c%d", r, in->dst_reg, r,
			 in->dst_reg);
		return 0;
	case BPF_END:
		if (in->src_reg || in->off ||
		    (in->imm != 16 && in->imm != 32 && in->imm != 64))
			return -1;
		if (!is64)
			snprintf(buf, size, "r%d = %s%d r%d", in->dst_reg,
				 x ? "be" : "le", in->imm, in->dst_reg);
		else if (!x)
			snprintf(buf, size, "r%d = bswap%d r%d", in->dst_reg,
				 in->imm, in->dst_reg);
		else
			return -1;
		return 0;
	}
	if (!alu_ops[op >> 4])
		return -1;
	/* Signed division and modulo (Linux 6.6): off 1. */
	if (in->off && !(in->off == 1 && (op == BPF_DIV || op == BPF_MOD)))
		return -1;
	if (x && !in->imm)
		snprintf(buf, size, "%c%d %s%s %c%d", r, in->dst_reg,
			 in->off ? "s" : "", alu_ops[op >> 4], r, in->src_reg);
	else if (!x && !in->src_reg)
		snprintf(buf, size, "%c%d %s%s %d", r, in->dst_reg,
			 in->off ? "s" : "", alu_ops[op >> 4], in->imm);
	else
		return -1;
	return 0;
}

static int ldx_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int mode = BPF_MODE(in->code), sz = BPF_SIZE(in->code);
	char addr[32];

	if (in->imm || (mode != BPF_MEM && mode != BPF_MEMSX) ||
	    (mode == BPF_MEMSX && sz == BPF_DW))
		return -1;
	addr_text(addr, sizeof(addr), in->src_reg, in->off);
	snprintf(buf, size, "r%d = *(%c%d *)(%s)", in->dst_reg,
		 mode == BPF_MEMSX ? 's' : 'u', size_bits(sz), addr);
	return 0;
}

static int st_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int bits = size_bits(BPF_SIZE(in->code));
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
	addr_text(addr, sizeof(addr), in->dst_reg, in->off);
	snprintf(buf, size, "*(u%d *)(%s) = %d", bits, addr, in->imm);
	return 0;
}

static int stx_text(const struct bpf_insn *in, char *buf, size_t size)
{
	int sz = BPF_SIZE(in->code), bits = size_bits(sz);
	int op = in->imm & ~BPF_FETCH;
	char addr[32], r = bits == 32 ? 'w' : 'r';

	addr_text(addr, sizeof(addr), in->dst_reg, in->off);
	if (BPF_MODE(in->code) == BPF_MEM && !in->imm) {
		snprintf(buf, size, "*(u%d *)(%s) = r%d", bits, addr,
			 in->src_reg);
		return 0;
	}
	/* imm: the operation, BPF_FETCH for the forms that return the old. */
	if (BPF_MODE(in->code) != BPF_ATOMIC || (sz != BPF_W && sz != BPF_DW) ||
	    (in->imm & ~0xf1))
		return -1;
	if (in->imm == BPF_XCHG)
		snprintf(buf, size, "%c%d = xchg%s(%s, %c%d)", r, in->src_reg,
			 bits == 32 ? "32_32" : "_64", addr, r, in->src_reg);
	else if (in->imm == BPF_CMPXCHG)
		snprintf(buf, size, "%c0 = cmpxchg%s(%s, %c0, %c%d)", r,
			 bits == 32 ? "32_32" : "_64", addr, r, r,
			 in->src_reg);
	else if (!(in->imm & BPF_FETCH) && atomic_ops[op >> 4])
		snprintf(buf, size, "lock *(u%d *)(%s) %s %c%d", bits, addr,
			 atomic_ops[op >> 4], r, in->src_reg);
	else if ((in->imm & BPF_FETCH) && fetch_ops[op >> 4])
		snprintf(buf, size, "%c%d = atomic_fetch_%s((u%d *)(%s), %c%d)",
			 r, in->src_reg, fetch_ops[op >> 4], bits, addr, r,
			 in->src_reg);
	else
		return -1;
	return 0;
}

static const struct xmap *xmap_by_id(const struct namer *nm, __u32 id)
{
	size_t i;

	for (i = 0; i < nm->nxmaps; i++)
		if (nm->xmaps[i].id == id)
			return &nm->xmaps[i];
	return NULL;
}

static const char *xcall_name(const struct namer *nm, __s32 imm)
{
	size_t i;

	for (i = 0; i < nm->nxcalls; i++)
		if (nm->xcalls[i].imm == imm)
			return nm->xcalls[i].name;
	return NULL;
}

static int call_text(const struct bpf_insn *in, const struct namer *nm,
		     char *buf, size_t size, char *note, size_t nsize)
{
	const char *name;

	if (in->dst_reg || in->off)
		return -1;
	if (in->src_reg == BPF_PSEUDO_CALL) {
		snprintf(buf, size, "call pc%+d", in->imm);
		return 0;
	}
	if (in->src_reg)
		return -1;
	if (nm->xlated) {
		name = xcall_name(nm, in->imm);
		if (name)
			snprintf(buf, size, "call %.80s", name);
		else
			snprintf(buf, size, "call %d", in->imm);
		if (!name && !in->imm)
			snprintf(note, nsize, "address hidden (kptr_restrict)");
		return 0;
	}
	snprintf(buf, size, "call %d", in->imm);
	name = helper_name(in->imm);
	if (name)
		snprintf(note, nsize, "%s", name);
	return 0;
}

static int jmp_text(const struct bpf_insn *in, size_t at,
		    const struct namer *nm, char *buf, size_t size,
		    char *note, size_t nsize)
{
	int is32 = BPF_CLASS(in->code) == BPF_JMP32;
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;
	char r = is32 ? 'w' : 'r';
	long long to = (long long)at + 1 + in->off;

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
		snprintf(note, nsize, "-> %lld", to);
		return 0;
	case BPF_CALL:
		return is32 || x ? -1 : call_text(in, nm, buf, size, note,
						  nsize);
	case BPF_EXIT:
		if (is32 || x || in->dst_reg || in->src_reg || in->off ||
		    in->imm)
			return -1;
		snprintf(buf, size, "exit");
		return 0;
	}
	if (!jmp_ops[op >> 4])
		return -1;
	if (x && !in->imm)
		snprintf(buf, size, "if %c%d %s %c%d goto %+d", r, in->dst_reg,
			 jmp_ops[op >> 4], r, in->src_reg, in->off);
	else if (!x && !in->src_reg)
		snprintf(buf, size, "if %c%d %s %d goto %+d", r, in->dst_reg,
			 jmp_ops[op >> 4], in->imm, in->off);
	else
		return -1;
	snprintf(note, nsize, "-> %lld", to);
	return 0;
}

/* The two-slot 64-bit load: a constant, a map, or (xlated) a map id. */
static int ld_text(const struct bpf_insn *in, size_t left,
		   const struct namer *nm, char *buf, size_t size,
		   char *note, size_t nsize)
{
	const struct bpf_insn *hi = in + 1;
	unsigned long long v;
	const struct xmap *xm;
	const char *name;

	if (in->code != (BPF_LD | BPF_DW | BPF_IMM) || left < 2 || in->off ||
	    hi->code || hi->dst_reg || hi->src_reg || hi->off)
		return -1;
	v = (unsigned long long)(__u32)hi->imm << 32 | (__u32)in->imm;
	if (!in->src_reg) {
		snprintf(buf, size, "r%d = 0x%llx ll", in->dst_reg, v);
		return 0;
	}
	if (nm->xlated && (in->src_reg == BPF_PSEUDO_MAP_FD ||
			   in->src_reg == BPF_PSEUDO_MAP_VALUE)) {
		xm = xmap_by_id(nm, (__u32)in->imm);
		if (in->src_reg == BPF_PSEUDO_MAP_FD)
			snprintf(buf, size, "r%d = map[id:%u] ll",
				 in->dst_reg, (__u32)in->imm);
		else
			snprintf(buf, size, "r%d = map[id:%u][0]+%u ll",
				 in->dst_reg, (__u32)in->imm, (__u32)hi->imm);
		if (xm && xm->name)
			snprintf(note, nsize, "the address of %s", xm->name);
		return 0;
	}
	if (in->src_reg != BPF_PSEUDO_MAP_FD || hi->imm || !nm->maps)
		return -1;
	name = prog_map_name(nm->maps, in->imm);
	if (!name)
		return -1;
	snprintf(buf, size, "r%d = map[%s] ll", in->dst_reg, name);
	if (nm->fd_notes)
		snprintf(note, nsize, "fd %d", in->imm);
	return 0;
}

/*
 * The text of the instruction at prog[at] (left slots remain), and a note
 * for its comment ("" if none).  Returns the slots it takes, 1 or 2; when
 * no syntax says exactly what it is, its bytes as ".quad 0x...".
 */
static size_t insn_text(const struct bpf_insn *prog, size_t at, size_t left,
			const struct namer *nm, char *buf, size_t size,
			char *note, size_t nsize)
{
	const struct bpf_insn *in = &prog[at];
	const unsigned char *b = (const unsigned char *)in;
	unsigned long long raw = 0;
	int err = -1, i;

	note[0] = '\0';
	/* r11 to r15 do not exist (and pseudo sources are below 11). */
	switch (in->dst_reg > 10 || in->src_reg > 10 ? -1 :
		BPF_CLASS(in->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		err = alu_text(in, nm->xlated, buf, size);
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
		err = jmp_text(in, at, nm, buf, size, note, nsize);
		break;
	case BPF_LD:
		if (!ld_text(in, left, nm, buf, size, note, nsize))
			return 2;
		break;
	}
	if (!err)
		return 1;
	note[0] = '\0';
	for (i = 7; i >= 0; i--)
		raw = raw << 8 | b[i];
	snprintf(buf, size, ".quad 0x%016llx", raw);
	return 1;
}

/* "%4zu: TEXT", then the note as a comment. */
static void print_insn(FILE *out, size_t at, const char *text,
		       const char *note)
{
	if (note[0])
		fprintf(out, "%4zu: %-*s # %s\n", at, TEXT_WIDTH, text, note);
	else
		fprintf(out, "%4zu: %s\n", at, text);
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
	struct namer nm = { .maps = maps };
	char text[96], note[160];
	size_t i, n, k;

	const char *license = prog->license[0] ? prog->license : "GPL";

	fprintf(out, "# show_bt's BPF program: %zu instructions, for a kprobe "
		"(license %s).\n", prog->len, license);
	fprintf(out, "# Maps by name: map[gate], map[stacks], map[counts], "
		"map[scratch], map[frames], map[lost].\n");
	fprintf(out, "# Edit a copy, then load it: "
		"show_bt --prog FILE FUNCTION\n");
	/* A license of its own is part of the program: keep it on reload. */
	if (prog->license[0])
		fprintf(out, ".license \"%s\"\n", prog->license);
	for (i = 0; i < prog->len; i += n) {
		n = insn_text(prog->insns, i, prog->len - i, &nm, text,
			      sizeof(text), note, sizeof(note));
		for (k = 0; k < prog->nnotes; k++) {
			if (prog->notes[k].insn < i ||
			    prog->notes[k].insn >= i + n)
				continue;
			fputc('\n', out);
			print_note(out, prog->notes[k].text);
		}
		print_insn(out, i, text, note);
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
	static const struct {
		const char *name;
		int size, sx;
	} sizes[] = {
		{ "u8", BPF_B, 0 }, { "u16", BPF_H, 0 },
		{ "u32", BPF_W, 0 }, { "u64", BPF_DW, 0 },
		{ "s8", BPF_B, 1 }, { "s16", BPF_H, 1 },
		{ "s32", BPF_W, 1 },
	};
	char buf[32];
	size_t i;

	if (need(ps, "("))
		return -1;
	skip_ws(ps);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (word(ps, sizes[i].name))
			break;
	if (i == sizeof(sizes) / sizeof(sizes[0]))
		return perr(ps, ps->p,
			    "expected a size (u8, u16, u32, u64, s8, s16, s32), found %s",
			    found(ps->p, buf, sizeof(buf)));
	*size = sizes[i].size;
	*sx = sizes[i].sx;
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
	/* Longest first: "s>=" before "s>", ">=" before ">". */
	static const struct {
		const char *text;
		int op;
	} conds[] = {
		{ "==", BPF_JEQ }, { "!=", BPF_JNE }, { "s>=", BPF_JSGE },
		{ "s<=", BPF_JSLE }, { "s>", BPF_JSGT }, { "s<", BPF_JSLT },
		{ ">=", BPF_JGE }, { "<=", BPF_JLE }, { ">", BPF_JGT },
		{ "<", BPF_JLT }, { "&", BPF_JSET },
	};
	int dst, w, x;
	char buf[32];
	size_t i;

	if (reg(ps, &dst, &w))
		return -1;
	skip_ws(ps);
	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
		if (lit(ps, conds[i].text))
			break;
	if (i == sizeof(conds) / sizeof(conds[0]))
		return perr(ps, ps->p,
			    "expected a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &), found %s",
			    found(ps->p, buf, sizeof(buf)));
	in->dst_reg = dst;
	if (operand(ps, w, in, &x))
		return -1;
	if (!word(ps, "goto"))
		return perr(ps, ps->p, "expected 'goto', found %s",
			    found(ps->p, buf, sizeof(buf)));
	if (offset(ps, &in->off))
		return -1;
	in->code = (w ? BPF_JMP32 : BPF_JMP) | conds[i].op |
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
	static const struct {
		const char *text;
		int op;
	} ops[] = {
		{ "+=", BPF_ADD }, { "|=", BPF_OR }, { "&=", BPF_AND },
		{ "^=", BPF_XOR },
	};
	int size, base, src;
	const char *at;
	char buf[32];
	size_t i;

	if (need(ps, "*"))
		return -1;
	skip_ws(ps);
	at = ps->p;
	if (mem_operand(ps, &size, &base, &in->off, "an atomic operation"))
		return -1;
	if (size != BPF_W && size != BPF_DW)
		return perr(ps, at + 1, "atomic operations are u32 or u64");
	skip_ws(ps);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (lit(ps, ops[i].text))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return perr(ps, ps->p, "expected +=, |=, &= or ^=, found %s",
			    found(ps->p, buf, sizeof(buf)));
	if (atomic_size_reg(ps, size, &src))
		return -1;
	in->code = BPF_STX | size | BPF_ATOMIC;
	in->dst_reg = base;
	in->src_reg = src;
	in->imm = ops[i].op;
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
	static const struct {
		const char *name;
		int op;
	} fetch[] = {
		{ "atomic_fetch_add", BPF_ADD | BPF_FETCH },
		{ "atomic_fetch_or", BPF_OR | BPF_FETCH },
		{ "atomic_fetch_and", BPF_AND | BPF_FETCH },
		{ "atomic_fetch_xor", BPF_XOR | BPF_FETCH },
	};
	int size, base, src;
	const char *at;
	size_t i;

	skip_ws(ps);
	at = ps->p;
	for (i = 0; i < sizeof(fetch) / sizeof(fetch[0]); i++)
		if (word(ps, fetch[i].name))
			break;
	if (i < sizeof(fetch) / sizeof(fetch[0])) {
		if (need(ps, "(") || mem_operand(ps, &size, &base, &in->off,
						 "an atomic operation"))
			return -1;
		if (size != BPF_W && size != BPF_DW)
			return perr(ps, at, "atomic operations are u32 or u64");
		if (need(ps, ",") ||
		    same_reg(ps, dst, size, fetch[i].name) || need(ps, ")"))
			return -1;
		in->imm = fetch[i].op;
		src = dst;
	} else if (word(ps, "xchg_64") || word(ps, "xchg32_32")) {
		size = ps->p[-1] == '4' ? BPF_DW : BPF_W;
		if (need(ps, "(") || address(ps, &base, &in->off) ||
		    need(ps, ",") || same_reg(ps, dst, size, "xchg") ||
		    need(ps, ")"))
			return -1;
		in->imm = BPF_XCHG;
		src = dst;
	} else if (word(ps, "cmpxchg_64") || word(ps, "cmpxchg32_32")) {
		size = ps->p[-1] == '4' ? BPF_DW : BPF_W;
		if (dst)
			return perr(ps, at, "cmpxchg returns the old value in "
				    "r0: write r0 = cmpxchg...");
		if (need(ps, "(") || address(ps, &base, &in->off) ||
		    need(ps, ",") || same_reg(ps, 0, size, "cmpxchg") ||
		    need(ps, ",") || atomic_size_reg(ps, size, &src) ||
		    need(ps, ")"))
			return -1;
		in->imm = BPF_CMPXCHG;
	} else {
		return 0;
	}
	if (w && size == BPF_DW)
		return perr(ps, at, "a u64 operation needs r%d, not w%d", dst,
			    dst);
	in->code = BPF_STX | size | BPF_ATOMIC;
	in->dst_reg = base;
	in->src_reg = src;
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
	if (fd < 0)
		return perr(ps, at, "unknown map '%.*s': the maps are stacks, "
			    "counts, scratch, frames and lost", (int)len, at);
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
	static const char *const names[] = {
		"le16", "le32", "le64", "be16", "be32", "be64",
		"bswap16", "bswap32", "bswap64",
	};
	size_t i;
	int src;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (word(ps, names[i]))
			break;
	if (i == sizeof(names) / sizeof(names[0]))
		return 0;
	if (w)
		return perr(ps, at, "byte swaps are written with r%d", dst);
	skip_ws(ps);
	at = ps->p;
	if (reg64(ps, &src, "a byte swap"))
		return -1;
	if (src != dst)
		return perr(ps, at, "a byte swap works in place: r%d = %s r%d",
			    dst, names[i], dst);
	in->code = (i < 6 ? BPF_ALU : BPF_ALU64) | BPF_END |
		   (i >= 3 && i < 6 ? BPF_TO_BE : BPF_TO_LE);
	in->dst_reg = dst;
	in->imm = 16 << (i % 3);
	return 1;
}

/* After "rD =": loads, moves, constants, maps, swaps, atomics. */
static int parse_set(struct parser *ps, struct bpf_insn *in, int dst, int w)
{
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
		if (word(ps, "s8"))
			in->off = 8;
		else if (word(ps, "s16"))
			in->off = 16;
		else if (!w && word(ps, "s32"))
			in->off = 32;
		else
			return perr(ps, at, "expected (s8), (s16) or (s32)");
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
	/* Longest first: "s>>=" before ">>=", "<<=" before "<". */
	static const struct {
		const char *text;
		int op, off;
	} ops[] = {
		{ "s>>=", BPF_ARSH, 0 }, { "s/=", BPF_DIV, 1 },
		{ "s%=", BPF_MOD, 1 }, { "<<=", BPF_LSH, 0 },
		{ ">>=", BPF_RSH, 0 }, { "+=", BPF_ADD, 0 },
		{ "-=", BPF_SUB, 0 }, { "*=", BPF_MUL, 0 },
		{ "/=", BPF_DIV, 0 }, { "%=", BPF_MOD, 0 },
		{ "|=", BPF_OR, 0 }, { "&=", BPF_AND, 0 },
		{ "^=", BPF_XOR, 0 },
	};
	int dst, w, x;
	char buf[32];
	size_t i;

	if (reg(ps, &dst, &w))
		return -1;
	skip_ws(ps);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (lit(ps, ops[i].text))
			break;
	if (i == sizeof(ops) / sizeof(ops[0])) {
		if (!lit(ps, "="))
			return perr(ps, ps->p, "expected '=' or an operator "
				    "such as '+=' after %c%d, found %s",
				    w ? 'w' : 'r', dst,
				    found(ps->p, buf, sizeof(buf)));
		return parse_set(ps, in, dst, w);
	}
	in->dst_reg = dst;
	in->off = ops[i].off;
	if (operand(ps, w, in, &x))
		return -1;
	in->code = (w ? BPF_ALU : BPF_ALU64) | ops[i].op | (x ? BPF_X : BPF_K);
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

/* ---- what the kernel made of it ---- */

/* The id the kernel gave the map behind fd; 0 if it will not say. */
static __u32 map_id(int fd)
{
	struct bpf_map_info info;

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info(fd, &info))
		return 0;
	return info.id;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Name the functions the xlated calls go to: the kernel turned each
 * helper id into the helper's address less __bpf_call_base's.  Fills
 * *calls (to be freed); leaves it empty when kallsyms will not tell.
 */
static void resolve_calls(const struct bpf_insn *x, size_t len,
			  struct xcall **calls, size_t *ncalls)
{
	struct ksym_name_info *base = malloc(sizeof(*base));
	unsigned long *addrs = NULL;
	struct ksym *syms = NULL;
	struct xcall *c = NULL;
	size_t i, j, n = 0;

	*calls = NULL;
	*ncalls = 0;
	if (!base || kallsyms_lookup_name(KALLSYMS_PATH, "__bpf_call_base",
					  base) || base->naddrs != 1 ||
	    !base->addrs[0])
		goto out;
	addrs = calloc(len, sizeof(*addrs));
	if (!addrs)
		goto out;
	for (i = 0; i < len; i++)
		if (x[i].code == (BPF_JMP | BPF_CALL) && !x[i].src_reg &&
		    x[i].imm)
			addrs[n++] = base->addrs[0] + (long)x[i].imm;
	qsort(addrs, n, sizeof(*addrs), cmp_ulong);
	for (i = j = 0; i < n; i++)
		if (!j || addrs[j - 1] != addrs[i])
			addrs[j++] = addrs[i];
	n = j;
	syms = calloc(n + 1, sizeof(*syms));
	c = calloc(n + 1, sizeof(*c));
	if (!syms || !c || kallsyms_resolve(KALLSYMS_PATH, addrs, n, syms)) {
		free(c);
		goto out;
	}
	for (i = 0; i < n; i++) {
		c[i].imm = (__s32)(long)(addrs[i] - base->addrs[0]);
		if (syms[i].addr == addrs[i])
			snprintf(c[i].name, sizeof(c[i].name), "%s",
				 syms[i].name);
		else
			ksym_format(c[i].name, sizeof(c[i].name), addrs[i],
				    &syms[i]);
	}
	*calls = c;
	*ncalls = n;
out:
	free(syms);
	free(addrs);
	free(base);
}

/* Instructions, as units of one or two slots. */
struct units {
	size_t *at;		/* the first slot of each */
	size_t n;
};

static int split_units(const struct bpf_insn *p, size_t len, struct units *u)
{
	size_t i;

	u->n = 0;
	u->at = calloc(len + 1, sizeof(*u->at));
	if (!u->at)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		u->at[u->n++] = i;
		if (p[i].code == (BPF_LD | BPF_DW | BPF_IMM) && i + 1 < len)
			i++;
	}
	return 0;
}

/*
 * How alike two instructions are: 3 the same, 2 the same but for what the
 * kernel rewrites (a map's fd, a call's target, a jump's offset), 1 the
 * same operation on the same register, 0 unrelated.
 */
static int alike(const struct bpf_insn *a, const struct bpf_insn *b)
{
	int wide = a->code == (BPF_LD | BPF_DW | BPF_IMM);
	int cls = BPF_CLASS(a->code);

	if (!memcmp(a, b, (wide ? 2 : 1) * sizeof(*a)))
		return 3;
	if (a->code != b->code || a->dst_reg != b->dst_reg)
		return 0;
	if (wide || a->code == (BPF_JMP | BPF_CALL))
		return a->src_reg == b->src_reg ||
		       (a->src_reg == BPF_PSEUDO_MAP_FD &&
			b->src_reg == BPF_PSEUDO_MAP_VALUE) ? 2 : 1;
	if ((cls == BPF_JMP || cls == BPF_JMP32) &&
	    a->src_reg == b->src_reg && a->imm == b->imm)
		return 2;
	return a->src_reg == b->src_reg ? 1 : 0;
}

/* One row of the side-by-side listing: a slot index, or -1 for none. */
struct row {
	long a, b;
};

/*
 * Pair our units with the kernel's: the pairing of greatest likeness that
 * keeps both in order (a longest common subsequence, weighted).  Rows into
 * *rows (to be freed).
 */
static int align(const struct bpf_insn *pa, const struct units *ua,
		 const struct bpf_insn *pb, const struct units *ub,
		 struct row **rows, size_t *nrows)
{
	size_t w = ub->n + 1, i, j, n = 0;
	struct row *r;
	int *dp, s;

	dp = calloc((ua->n + 1) * w, sizeof(*dp));
	r = calloc(ua->n + ub->n + 1, sizeof(*r));
	if (!dp || !r) {
		free(dp);
		free(r);
		return -ENOMEM;
	}
	/* dp[i][j]: the best over our units i.. and the kernel's j.. */
	for (i = ua->n + 1; i-- > 0;)
		for (j = ub->n + 1; j-- > 0;) {
			if (i == ua->n || j == ub->n)
				continue;
			s = dp[(i + 1) * w + j];
			if (dp[i * w + j + 1] > s)
				s = dp[i * w + j + 1];
			if (alike(&pa[ua->at[i]], &pb[ub->at[j]]) &&
			    dp[(i + 1) * w + j + 1] +
			    alike(&pa[ua->at[i]], &pb[ub->at[j]]) > s)
				s = dp[(i + 1) * w + j + 1] +
				    alike(&pa[ua->at[i]], &pb[ub->at[j]]);
			dp[i * w + j] = s;
		}
	for (i = j = 0; i < ua->n || j < ub->n;) {
		s = i < ua->n && j < ub->n ?
		    alike(&pa[ua->at[i]], &pb[ub->at[j]]) : 0;
		if (s && dp[i * w + j] == dp[(i + 1) * w + j + 1] + s) {
			r[n].a = ua->at[i++];
			r[n++].b = ub->at[j++];
		} else if (i < ua->n && (j == ub->n ||
					  dp[i * w + j] == dp[(i + 1) * w + j])) {
			r[n].a = ua->at[i++];
			r[n++].b = -1;
		} else {
			r[n].a = -1;
			r[n++].b = ub->at[j++];
		}
	}
	free(dp);
	*rows = r;
	*nrows = n;
	return 0;
}

/* "%4zu: TEXT  # note" for one side of a row; "" for none. */
static void side_text(char *buf, size_t size, const struct bpf_insn *p,
		      size_t len, long at, const struct namer *nm)
{
	char text[96], note[KSYM_NAME_MAX + 64];

	buf[0] = '\0';
	if (at < 0)
		return;
	insn_text(p, at, len - at, nm, text, sizeof(text), note,
		  sizeof(note));
	if (note[0])
		snprintf(buf, size, "%4ld: %-*s # %s", at, TEXT_WIDTH - 4,
			 text, note);
	else
		snprintf(buf, size, "%4ld: %s", at, text);
}

static void print_rows(FILE *out, const struct row *rows, size_t nrows,
		       const struct prog *orig, const struct namer *ours,
		       const struct bpf_insn *x, size_t xlen,
		       const struct namer *theirs)
{
	char left[KSYM_NAME_MAX + 256], right[KSYM_NAME_MAX + 256], mark;
	const struct row *r;
	size_t i;

	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		side_text(left, sizeof(left), orig->insns, orig->len, r->a,
			  ours);
		side_text(right, sizeof(right), x, xlen, r->b, theirs);
		if (r->a < 0)
			mark = '+';
		else if (r->b < 0)
			mark = '-';
		else
			mark = alike(&orig->insns[r->a], &x[r->b]) == 3 ?
			       ' ' : '~';
		if (right[0])
			fprintf(out, "%c %-62s| %s\n", mark, left, right);
		else
			fprintf(out, "%c %-62s|\n", mark, left);
	}
}

int bpfasm_print_xlated(FILE *out, int prog_fd, const struct prog *orig,
			const struct prog_maps *maps)
{
	const int *fds = maps->fd;
	struct namer ours = { .maps = maps, .fd_notes = 1 };
	struct namer theirs = { .maps = maps, .xlated = 1 };
	struct xmap xmaps[MAP_NR];
	struct units ua = { 0 }, ub = { 0 };
	struct bpf_insn *x = NULL;
	struct bpf_prog_info info;
	struct xcall *calls = NULL;
	struct row *rows = NULL;
	__u32 *ids = NULL, nids, xlen, jlen;
	size_t i, j, nrows, ncalls;
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_prog_get_info(prog_fd, &info);
	if (err)
		goto out;
	xlen = info.xlated_prog_len;
	jlen = info.jited_prog_len;
	nids = info.nr_map_ids;
	err = -EPERM;
	if (!xlen)		/* shown with CAP_BPF (or CAP_SYS_ADMIN) only */
		goto out;
	err = -ENOMEM;
	x = calloc(1, xlen);
	ids = calloc(nids + 1, sizeof(*ids));
	if (!x || !ids)
		goto out;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = xlen;
	info.xlated_prog_insns = (__u64)(unsigned long)x;
	info.nr_map_ids = nids;
	info.map_ids = (__u64)(unsigned long)ids;
	err = bpf_prog_get_info(prog_fd, &info);
	if (err)
		goto out;
	xlen = info.xlated_prog_len < xlen ? info.xlated_prog_len : xlen;
	xlen /= sizeof(*x);
	if (info.nr_map_ids < nids)
		nids = info.nr_map_ids;

	for (i = 0; i < MAP_NR; i++) {
		xmaps[i].fd = fds[i];
		xmaps[i].id = map_id(fds[i]);
		xmaps[i].name = prog_map_name(maps, fds[i]);
	}
	theirs.xmaps = xmaps;
	theirs.nxmaps = i;
	resolve_calls(x, xlen, &calls, &ncalls);
	theirs.xcalls = calls;
	theirs.nxcalls = ncalls;

	fprintf(out, "# The program as we loaded it (left), and as the kernel "
		"runs it (right), read\n# back with BPF_OBJ_GET_INFO_BY_FD: "
		"%zu instructions became %u.\n", orig->len, xlen);
	if (jlen)
		fprintf(out,
			"# The JIT made %u bytes of machine code of them.\n",
			jlen);
	else
		fprintf(out, "# Not JIT-ed: the kernel interprets them.\n");
	fprintf(out, "# The verifier replaced each map fd with the map's "
		"address; read back, the\n# map's id stands in its place "
		"(--verifier-log=2 shows the address):\n");
	for (i = 0; i < nids; i++) {
		for (j = 0; j < theirs.nxmaps && xmaps[j].id != ids[i]; j++)
			;
		if (j < theirs.nxmaps)
			fprintf(out, "#   map[%s]: fd %d -> map[id:%u]\n",
				xmaps[j].name, xmaps[j].fd, ids[i]);
		else
			fprintf(out, "#   map[id:%u]\n", ids[i]);
	}
	fprintf(out, "# Helper calls now name the function they reach; some "
		"map lookups are\n# inlined.  Rows: ' ' unchanged, '~' "
		"rewritten, '-' ours only, '+' the\n# kernel's only.\n");

	err = -ENOMEM;
	if (split_units(orig->insns, orig->len, &ua) ||
	    split_units(x, xlen, &ub) ||
	    align(orig->insns, &ua, x, &ub, &rows, &nrows))
		goto out;
	print_rows(out, rows, nrows, orig, &ours, x, xlen, &theirs);
	err = ferror(out) ? -EIO : 0;
out:
	free(rows);
	free(ua.at);
	free(ub.at);
	free(calls);
	free(ids);
	free(x);
	return err;
}
