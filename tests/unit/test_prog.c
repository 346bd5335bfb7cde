// SPDX-License-Identifier: GPL-2.0
/*
 * test_prog.c - what prog_build() assembles, checked without a kernel.
 *
 * For several configurations: the program's shape (ends in exit, jumps land
 * on instructions, everything reachable, the map fds given), the -p filter,
 * the notes, and a small model of the verifier: which registers hold what
 * on every path, so that a helper called with the wrong argument, a map
 * value used before its NULL check, a read of a clobbered register or a
 * stack access out of bounds fails here rather than only on a real kernel.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "../../prog.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define STACK_SIZE 512

enum {
	FD_GATE = 101, FD_STACKS, FD_COUNTS, FD_SCRATCH, FD_FRAMES, FD_LOST
};

static struct prog_maps maps = {
	.fd = { FD_GATE, FD_STACKS, FD_COUNTS, FD_SCRATCH, FD_FRAMES,
		FD_LOST },
	.slots = 8192, .depth = 127, .chunk = 127,
};

/* The frames key, as prog.h describes it: a link, then chunk frames. */
static unsigned int key_size(void)
{
	return sizeof(__u64) + maps.chunk * sizeof(__u64);
}

/* Key and value sizes of each map, as prog.h describes them; 0 if no map. */
static unsigned int map_key(int fd)
{
	return fd == FD_FRAMES ? key_size() :
	       fd >= FD_GATE && fd <= FD_LOST ? 4 : 0;
}

/* The scratch value: a serial, the first link, the frames, the padding. */
static unsigned int scratch_size(void)
{
	unsigned int chunks = (maps.depth + maps.chunk - 1) / maps.chunk;

	return sizeof(__u64) + (chunks * maps.chunk + 1) * sizeof(__u64);
}

static unsigned int map_value(int fd)
{
	switch (fd) {
	case FD_STACKS:
		return maps.depth * sizeof(__u64);
	case FD_SCRATCH:
		return scratch_size();
	case FD_FRAMES:
		return maps.per_thread ? sizeof(struct frames_value_thread) :
		       sizeof(struct frames_value);
	case FD_GATE:
	case FD_COUNTS:
	case FD_LOST:
		return sizeof(__u64);
	}
	return 0;
}

static int is_ld_imm64(const struct bpf_insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}

static int is_call(const struct bpf_insn *in, int func)
{
	return in->code == (BPF_JMP | BPF_CALL) && in->imm == func;
}

static int is_exit(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_EXIT);
}

/* A jump with a target: any BPF_JMP/BPF_JMP32 but call and exit. */
static int is_jump(const struct bpf_insn *in)
{
	int cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	return (cls == BPF_JMP || cls == BPF_JMP32) &&
	       op != BPF_CALL && op != BPF_EXIT;
}

static int is_goto(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_JA);
}

/* second[i]: slot i is the upper half of a ld_imm64. */
static void check_slots(const struct prog *p, unsigned char *second)
{
	size_t i;

	memset(second, 0, PROG_MAX_INSNS);
	for (i = 0; i < p->len; i++) {
		if (!is_ld_imm64(&p->insns[i]))
			continue;
		if (i + 1 >= p->len) {
			test_fail("ld_imm64 at %zu has no second slot", i);
			return;
		}
		EXPECT(!p->insns[i + 1].code && !p->insns[i + 1].dst_reg &&
		       !p->insns[i + 1].src_reg && !p->insns[i + 1].off,
		       "second slot of the ld_imm64 at %zu is not zero", i);
		second[++i] = 1;
	}
}

static void check_jumps(const struct prog *p, const unsigned char *second)
{
	size_t i;

	for (i = 0; i < p->len; i++) {
		long t = (long)i + 1 + p->insns[i].off;

		if (second[i] || !is_jump(&p->insns[i]))
			continue;
		if (t < 0 || t >= (long)p->len)
			test_fail("jump at %zu to %ld, outside 0..%zu", i, t,
				  p->len - 1);
		else if (second[t])
			test_fail("jump at %zu into the middle of ld_imm64 %ld",
				  i, t - 1);
	}
}

/* Where control goes after insn i: up to two places, -1 for none. */
static void successors(const struct prog *p, size_t i, long *succ)
{
	const struct bpf_insn *in = &p->insns[i];

	succ[0] = succ[1] = -1;
	if (is_exit(in))
		return;
	if (is_jump(in))
		succ[1] = (long)i + 1 + in->off;
	if (!is_goto(in))
		succ[0] = i + (is_ld_imm64(in) ? 2 : 1);
}

/*
 * The verifier refuses unreachable instructions, falling off the end and
 * (before bounded loops, and for a program like this one) any loop.
 * Depth first: color 1 on the current path, 2 when done.
 */
static void check_reachable(const struct prog *p, const unsigned char *second)
{
	unsigned char color[PROG_MAX_INSNS] = { 0 };
	size_t stack[PROG_MAX_INSNS], edge[PROG_MAX_INSNS], sp = 0, i;
	long succ[2], t;

	stack[sp] = 0;
	edge[sp++] = 0;
	color[0] = 1;
	while (sp && !test_why[0]) {
		i = stack[sp - 1];
		successors(p, i, succ);
		if (edge[sp - 1] == 2) {
			color[i] = 2;
			sp--;
			continue;
		}
		t = succ[edge[sp - 1]++];
		if (t < 0)
			continue;
		if (t >= (long)p->len || second[t])
			test_fail("control goes from %zu to %ld: no insn",
				  i, t);
		else if (color[t] == 1)
			test_fail("loop: %zu jumps back to %ld", i, t);
		else if (!color[t]) {
			color[t] = 1;
			stack[sp] = t;
			edge[sp++] = 0;
		}
	}
	for (i = 0; i < p->len; i++)
		EXPECT(color[i] || second[i], "instruction %zu is unreachable",
		       i);
}

static void check_map_fds(const struct prog *p, const unsigned char *second,
			  int per_process)
{
	unsigned int used[FD_LOST + 1] = { 0 };
	const struct bpf_insn *in;
	size_t i;
	int fd;

	for (i = 0; i < p->len; i++) {
		in = &p->insns[i];
		/* A plain 64-bit constant (a namespace's device, inode). */
		if (second[i] || !is_ld_imm64(in) || !in->src_reg)
			continue;
		EXPECT(in->src_reg == BPF_PSEUDO_MAP_FD,
		       "ld_imm64 at %zu has src_reg %d, not BPF_PSEUDO_MAP_FD",
		       i, in->src_reg);
		EXPECT(!p->insns[i + 1].imm, "map load at %zu: upper imm %d",
		       i, p->insns[i + 1].imm);
		EXPECT(map_key(in->imm), "map load at %zu: %d is no map fd",
		       i, in->imm);
		if (map_key(in->imm))
			used[in->imm]++;
	}
	for (fd = FD_GATE; fd <= FD_LOST; fd++) {
		if (per_process && (fd == FD_STACKS || fd == FD_COUNTS))
			EXPECT(!used[fd], "-P: fd %d (stack ids) is used", fd);
		else
			EXPECT(used[fd], "map fd %d is never loaded", fd);
	}
}

/*
 * pid > 0: bpf_get_current_pid_tgid() >> 32 compared with the pid, before
 * any stack is taken (hits of other processes return); else self > 0: the
 * same, but the hits of self return.  Otherwise no comparison, and without
 * -P no call.
 */
static void check_pid(const struct prog *p, int pid, int self,
		      int per_process, int ns)
{
	const int func = ns ? BPF_FUNC_get_ns_current_pid_tgid :
			      BPF_FUNC_get_current_pid_tgid;
	const struct bpf_insn *in = p->insns;
	size_t i, call = p->len, stack = p->len;

	for (i = 0; i < p->len; i++) {
		if ((is_call(&in[i], BPF_FUNC_get_current_pid_tgid) ||
		     is_call(&in[i], BPF_FUNC_get_ns_current_pid_tgid)) &&
		    call == p->len)
			call = i;
		if ((is_call(&in[i], BPF_FUNC_get_stackid) ||
		     is_call(&in[i], BPF_FUNC_get_stack)) && stack == p->len)
			stack = i;
	}
	if (pid <= 0 && self <= 0 && !per_process) {
		EXPECT(call == p->len,
		       "a pid helper called at %zu without -p", call);
		return;
	}
	if (call == p->len || !is_call(&in[call], func)) {
		test_fail("no call of helper %d, the one for %s", func,
			  ns ? "a pid namespace" : "the first pid namespace");
		return;
	}
	/*
	 * The process id in r0: the upper half of the first helper's value;
	 * the second's {pid, tgid} at r10 - 8, after a check that it worked.
	 */
	if (!ns && (call + 2 >= p->len ||
		    in[call + 1].code != (BPF_ALU64 | BPF_RSH | BPF_K) ||
		    in[call + 1].dst_reg != BPF_REG_0 ||
		    in[call + 1].imm != 32)) {
		test_fail("get_current_pid_tgid not followed by r0 >>= 32");
		return;
	}
	if (ns && (call + 3 >= p->len ||
		   in[call + 1].code != (BPF_JMP | BPF_JNE | BPF_K) ||
		   in[call + 1].dst_reg != BPF_REG_0 || in[call + 1].imm ||
		   in[call + 2].code != (BPF_LDX | BPF_MEM | BPF_W) ||
		   in[call + 2].dst_reg != BPF_REG_0 ||
		   in[call + 2].src_reg != BPF_REG_10 ||
		   in[call + 2].off != -4)) {
		test_fail("get_ns_current_pid_tgid not followed by a check "
			  "and r0 = the tgid it wrote");
		return;
	}
	in += call + (ns ? 3 : 2);
	if (pid > 0) {
		EXPECT(call < stack, "the pid filter comes after the stack");
		EXPECT(in->code == (BPF_JMP | BPF_JNE | BPF_K) &&
		       in->dst_reg == BPF_REG_0 && in->imm == pid,
		       "no 'if r0 != %d' after the pid is taken", pid);
	} else if (self > 0) {
		EXPECT(call < stack, "the self filter comes after the stack");
		EXPECT(in->code == (BPF_JMP | BPF_JEQ | BPF_K) &&
		       in->dst_reg == BPF_REG_0 && in->imm == self,
		       "no 'if r0 == %d' after the pid is taken", self);
	} else {
		EXPECT(BPF_CLASS(in->code) != BPF_JMP || is_call(in, in->imm) ||
		       in->dst_reg != BPF_REG_0,
		       "compares the pid without -p");
	}
}

/*
 * The gate comes first: before any helper but its own lookup, gate[0] is
 * loaded and a zero (or a failed lookup) returns.
 */
static void check_gate(const struct prog *p)
{
	const struct bpf_insn *in = p->insns;
	size_t i, load = p->len, call = p->len;

	for (i = 0; i < p->len; i++) {
		if (is_ld_imm64(&in[i]) && load == p->len)
			load = i;
		if (in[i].code == (BPF_JMP | BPF_CALL) && call == p->len)
			call = i;
	}
	if (load == p->len || in[load].imm != FD_GATE) {
		test_fail("the first map loaded is not the gate");
		return;
	}
	EXPECT(call == load + 2 && is_call(&in[call], BPF_FUNC_map_lookup_elem),
	       "the first call is not the gate's lookup");
	EXPECT(call + 3 < p->len &&
	       in[call + 1].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
	       in[call + 1].dst_reg == BPF_REG_0 && !in[call + 1].imm &&
	       in[call + 2].code == (BPF_LDX | BPF_MEM | BPF_DW) &&
	       in[call + 2].src_reg == BPF_REG_0 &&
	       in[call + 3].code == (BPF_JMP | BPF_JEQ | BPF_K) &&
	       in[call + 3].dst_reg == in[call + 2].dst_reg &&
	       !in[call + 3].imm,
	       "the gate's value is not tested for zero right after");
}

static void check_notes(const struct prog *p, const unsigned char *second)
{
	size_t i;

	EXPECT(p->nnotes && p->nnotes <= PROG_MAX_NOTES, "%zu notes",
	       p->nnotes);
	for (i = 0; i < p->nnotes && i < PROG_MAX_NOTES; i++) {
		EXPECT(p->notes[i].insn < p->len,
		       "note %zu at %zu, past the end", i, p->notes[i].insn);
		EXPECT(p->notes[i].insn >= p->len || !second[p->notes[i].insn],
		       "note %zu inside a ld_imm64", i);
		EXPECT(!i || p->notes[i].insn >= p->notes[i - 1].insn,
		       "note %zu before note %zu", i, i - 1);
		EXPECT(p->notes[i].text && p->notes[i].text[0] &&
		       !strchr(p->notes[i].text, '\n'),
		       "note %zu is empty or has a newline", i);
	}
}

/*
 * The verifier model.  Each register holds one of these; a join of two
 * paths keeps what both agree on (UNINIT if either lacks it).
 */
enum kind {
	V_UNINIT,	/* never written, or clobbered by a call */
	V_SCALAR,	/* a number */
	V_CONST,	/* a known number: n */
	V_CTX,		/* the context */
	V_FP,		/* the frame pointer + n */
	V_MAP,		/* a map (ld_imm64 of fd) */
	V_VAL_OR_NULL,	/* map_lookup_elem()'s answer, not checked yet */
	V_VAL,		/* a map value + n, checked */
	V_MIXED,	/* a pointer on one path, something else on another */
};

#define UNKNOWN LONG_MIN

struct val {
	enum kind kind;
	long n;		/* V_CONST value, V_FP/V_VAL offset, or UNKNOWN */
	int fd;		/* V_MAP, V_VAL*: the map, or -1 when paths differ */
};

struct state {
	int live;
	struct val r[11];
	unsigned char init[STACK_SIZE];	/* init[i]: r10 - 512 + i written */
};

static const char *const kind_name[] = {
	"uninitialized", "a scalar", "a constant", "ctx", "a stack pointer",
	"a map", "a map value or NULL", "a map value", "mixed",
};

static size_t model_at;		/* the instruction being checked */

#define MODEL_FAIL(fmt, ...) \
	test_fail("insn %zu: " fmt, model_at, ##__VA_ARGS__)

static struct val v_make(enum kind kind, long n, int fd)
{
	struct val v = { kind, n, fd };

	return v;
}

static int is_ptr(enum kind k)
{
	return k == V_CTX || k == V_FP || k == V_MAP || k == V_VAL_OR_NULL ||
	       k == V_VAL;
}

static struct val v_join(struct val a, struct val b)
{
	if (a.kind == V_UNINIT || b.kind == V_UNINIT)
		return v_make(V_UNINIT, 0, 0);
	if (a.kind == b.kind && a.n == b.n && a.fd == b.fd)
		return a;
	if ((a.kind == V_VAL && b.kind == V_VAL_OR_NULL) ||
	    (a.kind == V_VAL_OR_NULL && b.kind == V_VAL))
		a.kind = b.kind = V_VAL_OR_NULL;
	if (a.kind == b.kind && a.kind != V_CONST)
		return v_make(a.kind, a.n == b.n ? a.n : UNKNOWN,
			      a.fd == b.fd ? a.fd : -1);
	if (!is_ptr(a.kind) && !is_ptr(b.kind) && a.kind != V_MIXED &&
	    b.kind != V_MIXED)
		return v_make(V_SCALAR, 0, 0);
	return v_make(V_MIXED, 0, 0);
}

/* Join b into a; nonzero if a changed. */
static int state_join(struct state *a, const struct state *b)
{
	struct state old = *a;
	size_t i;

	if (!a->live) {
		*a = *b;
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(a->r); i++)
		a->r[i] = v_join(a->r[i], b->r[i]);
	for (i = 0; i < STACK_SIZE; i++)
		a->init[i] &= b->init[i];
	return memcmp(&old, a, sizeof(old)) != 0;
}

static int use(const struct state *s, int reg)
{
	if (s->r[reg].kind == V_UNINIT) {
		MODEL_FAIL("reads r%d, which is uninitialized", reg);
		return 0;
	}
	if (s->r[reg].kind == V_MIXED) {
		MODEL_FAIL("r%d holds a pointer on one path only", reg);
		return 0;
	}
	return 1;
}

/*
 * Access size bytes at reg + off.  align: the access is an instruction's
 * (the verifier wants stack accesses aligned), not a helper's buffer.
 */
static void mem(struct state *s, int reg, long off, long size, int write,
		int align)
{
	struct val *v = &s->r[reg];
	long at, i;

	if (!use(s, reg))
		return;
	switch (v->kind) {
	case V_FP:
		if (v->n == UNKNOWN) {
			MODEL_FAIL("r%d: stack offset differs between paths",
				   reg);
			return;
		}
		at = v->n + off;
		if (at < -STACK_SIZE || at + size > 0 || size <= 0) {
			MODEL_FAIL("stack r10%+ld, %ld bytes: out of bounds",
				   at, size);
			return;
		}
		if (align && at % size) {
			MODEL_FAIL("misaligned stack access r10%+ld, %ld bytes",
				   at, size);
			return;
		}
		for (i = 0; i < size; i++) {
			if (write)
				s->init[STACK_SIZE + at + i] = 1;
			else if (!s->init[STACK_SIZE + at + i]) {
				MODEL_FAIL("reads unwritten stack at r10%+ld",
					   at + i);
				return;
			}
		}
		return;
	case V_VAL:
		if (v->n == UNKNOWN) {
			MODEL_FAIL("r%d: value offset differs between paths",
				   reg);
			return;
		}
		at = v->n + off;
		if (at < 0 || size <= 0 || at + size >
		    (long)(v->fd < 0 ? sizeof(__u64) : map_value(v->fd)))
			MODEL_FAIL("map %d value %+ld, %ld bytes: outside",
				   v->fd, at, size);
		return;
	case V_CTX:
		if (write)
			MODEL_FAIL("writes into ctx");
		return;
	default:
		MODEL_FAIL("r%d is %s, not a pointer to memory", reg,
			   kind_name[v->kind]);
	}
}

/* The map in reg, or -1 after a failure. */
static int map_arg(const struct state *s, int reg)
{
	if (!use(s, reg))
		return -1;
	if (s->r[reg].kind != V_MAP || !map_key(s->r[reg].fd)) {
		MODEL_FAIL("r%d is %s, not one of our maps", reg,
			   kind_name[s->r[reg].kind]);
		return -1;
	}
	return s->r[reg].fd;
}

/* A known number in reg, or -1 after a failure. */
static long const_arg(const struct state *s, int reg)
{
	if (!use(s, reg))
		return -1;
	if (s->r[reg].kind != V_CONST) {
		MODEL_FAIL("r%d is %s, not a constant", reg,
			   kind_name[s->r[reg].kind]);
		return -1;
	}
	return s->r[reg].n;
}

static void ctx_arg(const struct state *s, int reg)
{
	if (use(s, reg) && s->r[reg].kind != V_CTX)
		MODEL_FAIL("r%d is %s, not ctx", reg,
			   kind_name[s->r[reg].kind]);
}

static void helper(struct state *s, int func)
{
	struct val ret = v_make(V_SCALAR, 0, 0);
	long size;
	int fd, i;

	switch (func) {
	case BPF_FUNC_map_lookup_elem:
		fd = map_arg(s, 1);
		if (fd >= 0)
			mem(s, 2, 0, map_key(fd), 0, 0);
		ret = v_make(V_VAL_OR_NULL, 0, fd);
		break;
	case BPF_FUNC_map_update_elem:
		fd = map_arg(s, 1);
		if (fd >= 0) {
			mem(s, 2, 0, map_key(fd), 0, 0);
			mem(s, 3, 0, map_value(fd), 0, 0);
		}
		const_arg(s, 4);
		break;
	case BPF_FUNC_get_current_pid_tgid:
	case BPF_FUNC_get_smp_processor_id:
		break;
	case BPF_FUNC_get_ns_current_pid_tgid:
		use(s, 1);
		use(s, 2);
		size = const_arg(s, 4);
		if (size > 0)
			mem(s, 3, 0, size, 1, 0);
		break;
	case BPF_FUNC_get_current_comm:
		size = const_arg(s, 2);
		if (size > 0)
			mem(s, 1, 0, size, 1, 0);
		break;
	case BPF_FUNC_get_stackid:
		ctx_arg(s, 1);
		if (map_arg(s, 2) >= 0 && s->r[2].fd != FD_STACKS)
			MODEL_FAIL("get_stackid on map %d, not the stack map",
				   s->r[2].fd);
		const_arg(s, 3);
		break;
	case BPF_FUNC_get_stack:
		ctx_arg(s, 1);
		size = const_arg(s, 3);
		if (size > 0)
			mem(s, 2, 0, size, 1, 0);
		const_arg(s, 4);
		break;
	default:
		MODEL_FAIL("helper %d is not modelled: teach test_prog.c",
			   func);
	}
	for (i = 1; i <= 5; i++)
		s->r[i] = v_make(V_UNINIT, 0, 0);
	s->r[0] = ret;
}

static void alu(struct state *s, const struct bpf_insn *in)
{
	struct val *d = &s->r[in->dst_reg];
	int op = BPF_OP(in->code), x = BPF_SRC(in->code) == BPF_X;

	if (in->dst_reg == BPF_REG_10) {
		MODEL_FAIL("writes r10");
		return;
	}
	if (x && !use(s, in->src_reg))
		return;
	if (op == BPF_MOV) {
		*d = x ? s->r[in->src_reg] : v_make(V_CONST, in->imm, 0);
		if (BPF_CLASS(in->code) == BPF_ALU && d->kind != V_CONST)
			*d = v_make(is_ptr(d->kind) ? V_MIXED : V_SCALAR, 0, 0);
		return;
	}
	if (!use(s, in->dst_reg))
		return;
	if ((op == BPF_ADD || op == BPF_SUB) && !x &&
	    BPF_CLASS(in->code) == BPF_ALU64 &&
	    (d->kind == V_FP || d->kind == V_VAL || d->kind == V_CONST)) {
		if (d->n != UNKNOWN)
			d->n += op == BPF_ADD ? in->imm : -(long)in->imm;
		return;
	}
	if (is_ptr(d->kind) || (x && is_ptr(s->r[in->src_reg].kind)))
		MODEL_FAIL("arithmetic %#x on a pointer", in->code);
	*d = v_make(V_SCALAR, 0, 0);
}

static const int size_bytes[] = { [BPF_W >> 3] = 4, [BPF_H >> 3] = 2,
				  [BPF_B >> 3] = 1, [BPF_DW >> 3] = 8 };

/*
 * Run one instruction on s; out[0] is the state after falling through,
 * out[1] after a jump taken.
 */
static void step(const struct bpf_insn *in, const struct state *s,
		 struct state *out)
{
	int cls = BPF_CLASS(in->code);
	int size = size_bytes[BPF_SIZE(in->code) >> 3];
	struct val *r0;

	out[0] = *s;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		alu(&out[0], in);
		break;
	case BPF_LD:
		if (!is_ld_imm64(in) || in->dst_reg == BPF_REG_10) {
			MODEL_FAIL("unexpected load %#x", in->code);
			break;
		}
		out[0].r[in->dst_reg] = in->src_reg == BPF_PSEUDO_MAP_FD ?
			v_make(V_MAP, 0, in->imm) : v_make(V_SCALAR, 0, 0);
		break;
	case BPF_LDX:
		if (in->dst_reg == BPF_REG_10)
			MODEL_FAIL("writes r10");
		mem(&out[0], in->src_reg, in->off, size, 0, 1);
		out[0].r[in->dst_reg] = v_make(V_SCALAR, 0, 0);
		break;
	case BPF_ST:
		mem(&out[0], in->dst_reg, in->off, size, 1, 1);
		break;
	case BPF_STX:
		if (use(&out[0], in->src_reg) &&
		    is_ptr(out[0].r[in->src_reg].kind))
			MODEL_FAIL("stores a pointer");
		mem(&out[0], in->dst_reg, in->off, size, 1, 1);
		if (BPF_MODE(in->code) == BPF_ATOMIC && (in->imm & BPF_FETCH))
			out[0].r[in->src_reg] = v_make(V_SCALAR, 0, 0);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (BPF_OP(in->code) == BPF_CALL) {
			helper(&out[0], in->imm);
			break;
		}
		if (BPF_OP(in->code) == BPF_EXIT) {
			if (use(s, BPF_REG_0) && is_ptr(s->r[0].kind))
				MODEL_FAIL("returns a pointer");
			break;
		}
		if (BPF_OP(in->code) == BPF_JA) {
			out[1] = *s;
			break;
		}
		use(s, in->dst_reg);
		if (BPF_SRC(in->code) == BPF_X)
			use(s, in->src_reg);
		out[1] = *s;
		/* The NULL check: r == 0 on one side, a value on the other. */
		r0 = &out[0].r[in->dst_reg];
		if (r0->kind == V_VAL_OR_NULL && BPF_SRC(in->code) == BPF_K &&
		    !in->imm && (BPF_OP(in->code) == BPF_JEQ ||
				 BPF_OP(in->code) == BPF_JNE)) {
			int eq = BPF_OP(in->code) == BPF_JEQ;

			out[!eq].r[in->dst_reg].kind = V_VAL;
			out[eq].r[in->dst_reg] = v_make(V_CONST, 0, 0);
		}
		break;
	default:
		MODEL_FAIL("unknown class %#x", cls);
	}
}

static void check_model(const struct prog *p, const unsigned char *second)
{
	static struct state in[PROG_MAX_INSNS];
	struct state out[2];
	size_t work[4 * PROG_MAX_INSNS], nwork = 0, steps = 0, i, next;
	int reg;

	memset(in, 0, sizeof(in));
	for (reg = 0; reg < 11; reg++)
		in[0].r[reg] = v_make(V_UNINIT, 0, 0);
	in[0].r[1] = v_make(V_CTX, 0, 0);
	in[0].r[10] = v_make(V_FP, 0, 0);
	in[0].live = 1;
	work[nwork++] = 0;
	while (nwork && !test_why[0]) {
		const struct bpf_insn *insn;

		i = work[--nwork];
		if (i >= p->len || second[i] || ++steps > 100000)
			return;		/* the other checks report it */
		insn = &p->insns[i];
		model_at = i;
		step(insn, &in[i], out);
		if (is_exit(insn))
			continue;
		if (is_jump(insn) && i + 1 + insn->off < p->len &&
		    state_join(&in[i + 1 + insn->off], &out[1]) &&
		    nwork < ARRAY_SIZE(work))
			work[nwork++] = i + 1 + insn->off;
		if (is_goto(insn))
			continue;
		next = i + (is_ld_imm64(insn) ? 2 : 1);
		if (next < p->len && state_join(&in[next], &out[0]) &&
		    nwork < ARRAY_SIZE(work))
			work[nwork++] = next;
	}
}

struct variant {
	const char *tag;
	int pid;
	int self;
	int per_process;
	unsigned int depth;
	unsigned int chunk;	/* frames per frames-map key */
	int ns;			/* in a pid namespace of its own */
	int entry_lr;		/* arm64, every probe at an entry */
	unsigned int tp_tag;	/* a tracepoint's program, with its tag */
	int per_thread;		/* -T: keyed by thread, {tid, tgid} kept */
};

static const struct variant variants[] = {
	{ "default", 0, 0, 0, 127, 127 },
	{ "pidneg", -1, 0, 0, 127, 127 },
	{ "pid4242", 4242, 0, 0, 127, 127 },
	{ "pidmax", INT_MAX, 0, 0, 127, 127 },
	{ "depth1", 0, 0, 0, 1, 1 },
	{ "perprocess", 0, 0, 1, 127, 127 },
	{ "perprocess_pid4242", 4242, 0, 1, 127, 127 },
	{ "perprocess_depth1", 0, 0, 1, 1, 1 },
	{ "self777", 0, 777, 0, 127, 127 },
	{ "pid4242_self777", 4242, 777, 0, 127, 127 },
	{ "perprocess_self777", 0, 777, 1, 127, 127 },
	/* Kernels before 5.11: keys of 512 bytes, stacks in chunks. */
	{ "chunks3", 0, 777, 0, 127, PROG_OLD_CHUNK },
	{ "chunks3_perprocess", 0, 777, 1, 127, PROG_OLD_CHUNK },
	{ "chunks2", 4242, 0, 0, 100, PROG_OLD_CHUNK },
	{ "chunks2_exact", 0, 777, 1, 2 * PROG_OLD_CHUNK, PROG_OLD_CHUNK },
	{ "chunks3_small", 0, 777, 0, 12, 5 },
	/* In a container: ids from bpf_get_ns_current_pid_tgid(). */
	{ "ns_pid4242", 4242, 0, 0, 127, 127, 1 },
	{ "ns_self777", 0, 777, 0, 127, 127, 1 },
	{ "ns_perprocess_self777", 0, 777, 1, 127, PROG_OLD_CHUNK, 1 },
	{ "ns_perprocess_pid4242", 4242, 0, 1, 127, 127, 1 },
	/* arm64 at entries: x30 as frame 1, every stack by its frames. */
	{ "arm64_entry", 0, 777, 0, 127, 127, 0, 1 },
	{ "arm64_entry_chunks3", 4242, 0, 0, 127, PROG_OLD_CHUNK, 0, 1 },
	{ "arm64_entry_perprocess", 0, 777, 1, 127, 127, 0, 1 },
	/* A tracepoint's: its tag as frame 0, every stack by its frames. */
	{ "tracepoint", 0, 777, 0, 127, 127, 0, 0, 1 },
	{ "tracepoint_tagmax", 4242, 0, 0, 127, 127, 0, 0, PROG_TAG_MAX },
	{ "tracepoint_perprocess_ns", 0, 777, 1, 127, 127, 1, 0, 7 },
	{ "tracepoint_chunks3", 0, 777, 0, 127, PROG_OLD_CHUNK, 0, 0, 3 },
	{ "tracepoint_depth1", 0, 777, 0, 1, 1, 0, 0, 2 },
	{ "tracepoint_depth2", 0, 777, 0, 2, 2, 0, 0, 2 },
	/* Both set: the tracepoint's way wins (load.c clears entry_lr). */
	{ "tracepoint_arm64", 0, 777, 0, 127, 127, 0, 1, 5 },
	/* -T: the thread as the link, its process in the longer value. */
	{ "perthread", 0, 777, 0, 127, 127, 0, 0, 0, 1 },
	{ "perthread_pid4242", 4242, 0, 0, 127, 127, 0, 0, 0, 1 },
	{ "perthread_depth1", 0, 777, 0, 1, 1, 0, 0, 0, 1 },
	{ "perthread_chunks3", 0, 777, 0, 127, PROG_OLD_CHUNK, 0, 0, 0, 1 },
	{ "ns_perthread_pid4242", 4242, 0, 0, 127, PROG_OLD_CHUNK, 1, 0, 0, 1 },
	{ "ns_perthread_self777", 0, 777, 0, 127, 127, 1, 0, 0, 1 },
	{ "arm64_entry_perthread", 0, 777, 0, 127, 127, 0, 1, 0, 1 },
	/* Both: the tag as frame 0, the thread as the first link. */
	{ "tracepoint_perthread", 0, 777, 0, 127, 127, 0, 0, 3, 1 },
	{ "tracepoint_perthread_ns", 4242, 0, 0, 127, PROG_OLD_CHUNK, 1, 0, 4, 1 },
};

/*
 * A tracepoint's program stores its tag as buf[1] (frame 0), and takes no
 * stack id: there must be the store, and no bpf_get_stackid() call.
 */
static void check_tag(const struct prog *p, unsigned int tag)
{
	size_t i, stores = 0, stackids = 0;

	for (i = 0; i < p->len; i++) {
		const struct bpf_insn *in = &p->insns[i];

		if (in->code == (BPF_ST | BPF_MEM | BPF_DW) &&
		    in->dst_reg == BPF_REG_7 && in->off == 16)
			stores += in->imm == (int)tag;
		if (in->code == (BPF_JMP | BPF_CALL) &&
		    in->imm == BPF_FUNC_get_stackid)
			stackids++;
	}
	EXPECT(!tag || stores == 1, "%zu stores of tag %u to buf[1]", stores,
	       tag);
	EXPECT(!tag || !stackids, "%zu bpf_get_stackid() calls", stackids);
	EXPECT(p->tp_tag == tag, "prog.tp_tag %u, want %u", p->tp_tag, tag);
}

static void check_variant(const struct variant *v)
{
	static struct prog p;
	struct prog_config cfg = {
		.pid = v->pid, .self = v->self, .per_process = v->per_process,
		.ns_dev = v->ns ? 4 : 0, .ns_ino = v->ns ? 0xf0000152u : 0,
		.entry_lr = v->entry_lr, .tp_tag = v->tp_tag,
		.per_thread = v->per_thread,
	};
	unsigned char second[PROG_MAX_INSNS];
	char name[128];

#define END(check)							\
	do {								\
		snprintf(name, sizeof(name), "prog_%s_%s", v->tag, check); \
		test_end(name);						\
	} while (0)

	maps.depth = v->depth;
	maps.chunk = v->chunk;
	maps.per_thread = v->per_thread;
	memset(&p, 0xa5, sizeof(p));
	prog_build(&p, &maps, &cfg);
	EXPECT(p.len && p.len <= PROG_MAX_INSNS, "%zu instructions", p.len);
	END("size");
	if (!p.len || p.len > PROG_MAX_INSNS)
		return;
	EXPECT(is_exit(&p.insns[p.len - 1]), "last instruction is %#x",
	       p.insns[p.len - 1].code);
	END("ends_with_exit");
	check_slots(&p, second);
	END("ld_imm64_slots");
	check_jumps(&p, second);
	END("jump_targets");
	check_reachable(&p, second);
	END("all_reachable");
	check_map_fds(&p, second, v->per_process || v->per_thread ||
		      v->entry_lr || v->tp_tag);
	END("map_fds");
	check_tag(&p, v->tp_tag);
	END("tag");
	check_pid(&p, v->pid, v->self, v->per_process || v->per_thread,
		  v->ns);
	END(v->pid > 0 ? "pid_filter" : v->self > 0 ? "self_filter" :
	    "no_pid_filter");
	check_gate(&p);
	END("gate_first");
	EXPECT(prog_chunks(&maps) <= PROG_MAX_CHUNKS, "%u chunks",
	       prog_chunks(&maps));
	EXPECT(prog_scratch_size(&maps) == scratch_size(),
	       "scratch %zu bytes, want %u", prog_scratch_size(&maps),
	       scratch_size());
	END("chunks");
	check_notes(&p, second);
	END("notes");
	check_model(&p, second);
	END("verifier_model");
#undef END
}

int main(void)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ARRAY_SIZE(variants); i++)
		check_variant(&variants[i]);

	for (i = 1; i <= PROG_MAX_DEPTH; i++)
		EXPECT(prog_frames_key_size(i) == (i + 1) * sizeof(__u64),
		       "chunk %zu: key size %zu", i, prog_frames_key_size(i));
	EXPECT(prog_frames_key_size(PROG_OLD_CHUNK) <= PROG_OLD_MAX_KEY,
	       "old kernels' key: %zu bytes",
	       prog_frames_key_size(PROG_OLD_CHUNK));
	test_end("prog_frames_key_size");
	return 0;
}
