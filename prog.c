// SPDX-License-Identifier: GPL-2.0
/*
 * prog.c - show_bt's BPF program, assembled one commented group at a time.
 *
 * Registers: r1-r5 carry helper arguments and are clobbered by calls, r0
 * holds return values, r6-r9 survive calls, r10 is the read-only frame
 * pointer with 512 bytes of stack below it.  Here r6 keeps the context and
 * r7 points at the frames key in per-CPU scratch space.
 *
 * Jumps name a label; prog_build() fills in the offsets once every label's
 * place is known, so groups can come and go with the options.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "insn.h"
#include "prog.h"

/* Stack slots below r10: a u32 map key, and a u64 value to insert. */
#define KEY_OFF		-4
#define ONE_OFF		-16

#define HEAD_SIZE	((int)sizeof(struct frames_key_head))

static unsigned int round_up_pow2(unsigned int n)
{
	unsigned int p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

size_t prog_frames_key_size(unsigned int depth)
{
	return HEAD_SIZE + depth * sizeof(__u64);
}

int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int max_frames, unsigned int depth)
{
	size_t key = prog_frames_key_size(depth);
	int fd;

	maps->stacks = maps->counts = maps->scratch = -1;
	maps->frames = maps->lost = -1;
	maps->slots = round_up_pow2(slots);
	maps->depth = depth;
	maps->max_frames = max_frames;

	fd = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, sizeof(__u32),
			    depth * sizeof(__u64), maps->slots, 0,
			    "show_bt_stacks");
	if (fd < 0)
		goto fail;
	maps->stacks = fd;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64),
			    maps->slots, 0, "show_bt_counts");
	if (fd < 0)
		goto fail;
	maps->counts = fd;
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), key, 1, 0,
			    "show_bt_scratch");
	if (fd < 0)
		goto fail;
	maps->scratch = fd;
	/* Allocated as stacks arrive: most runs never fill more than a few. */
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, key, sizeof(__u64), max_frames,
			    BPF_F_NO_PREALLOC, "show_bt_frames");
	if (fd < 0)
		goto fail;
	maps->frames = fd;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64),
			    LOST_NR, 0, "show_bt_lost");
	if (fd < 0)
		goto fail;
	maps->lost = fd;
	return 0;
fail:
	prog_maps_close(maps);
	return fd;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void prog_maps_close(struct prog_maps *maps)
{
	close_fd(&maps->stacks);
	close_fd(&maps->counts);
	close_fd(&maps->scratch);
	close_fd(&maps->frames);
	close_fd(&maps->lost);
}

static const char *const map_names[] = {
	"stacks", "counts", "scratch", "frames", "lost",
};

static const int *map_fds(const struct prog_maps *m, int fds[5])
{
	fds[0] = m->stacks;
	fds[1] = m->counts;
	fds[2] = m->scratch;
	fds[3] = m->frames;
	fds[4] = m->lost;
	return fds;
}

const char *prog_map_name(const struct prog_maps *maps, int fd)
{
	int fds[5];
	size_t i;

	map_fds(maps, fds);
	for (i = 0; i < 5; i++)
		if (fds[i] == fd)
			return map_names[i];
	return NULL;
}

int prog_map_fd(const struct prog_maps *maps, const char *name)
{
	int fds[5];
	size_t i;

	map_fds(maps, fds);
	for (i = 0; i < 5; i++)
		if (!strcmp(map_names[i], name))
			return fds[i];
	return -1;
}

/* Places a jump can name. */
enum label {
	L_STACK_ERROR,	/* bpf_get_stackid() failed: r0 = -errno */
	L_NO_SCRATCH,	/* the per-CPU scratch lookup failed */
	L_ADD_ONE,	/* r0 points at a u64 count: add one, return */
	L_RETURN,	/* return 0 */
	L_FRAMES_FULL,	/* the frames map has no room */
	L_LOST,		/* r0 = -errno: count the hit in lost[] */
	L_LOST_SLOT,	/* r1 = the lost[] slot */
	L_NR
};

struct assembler {
	struct prog *prog;
	size_t label[L_NR];
	struct {
		size_t insn;
		enum label to;
	} jump[32];
	size_t njumps;
};

static void emit(struct assembler *a, struct bpf_insn insn)
{
	a->prog->insns[a->prog->len++] = insn;
}

/* The two-slot load of a map's address (the kernel turns the fd into it). */
static void emit_ld_map(struct assembler *a, int reg, int map_fd)
{
	struct bpf_insn ld[] = { BPF_LD_MAP_FD(reg, map_fd) };

	emit(a, ld[0]);
	emit(a, ld[1]);
}

/* A jump whose offset is filled in when the label is placed. */
static void emit_jump(struct assembler *a, struct bpf_insn jmp,
		      enum label to)
{
	a->jump[a->njumps].insn = a->prog->len;
	a->jump[a->njumps++].to = to;
	emit(a, jmp);
}

static void place(struct assembler *a, enum label l)
{
	a->label[l] = a->prog->len;
}

static void note(struct assembler *a, const char *text)
{
	struct prog *p = a->prog;

	p->notes[p->nnotes].insn = p->len;
	p->notes[p->nnotes++].text = text;
}

static void resolve_jumps(struct assembler *a)
{
	size_t i, at;

	for (i = 0; i < a->njumps; i++) {
		at = a->jump[i].insn;
		a->prog->insns[at].off = a->label[a->jump[i].to] - at - 1;
	}
}

/* r0 = map_lookup_elem(map, r2): the key pointer must already be in r2. */
static void emit_lookup(struct assembler *a, int map_fd)
{
	emit_ld_map(a, BPF_REG_1, map_fd);
	emit(a, BPF_CALL_HELPER(BPF_FUNC_map_lookup_elem));
}

static void group_filter_pid(struct assembler *a, const struct prog_config *cfg)
{
	note(a, "which process? the upper half of bpf_get_current_pid_tgid() "
		"is the process id: with -p only that one counts, else every "
		"one but show_bt itself");
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid));
	emit(a, BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
	if (cfg->pid > 0)
		emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, cfg->pid, 0),
			  L_RETURN);
	else
		emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, cfg->self, 0),
			  L_RETURN);
}

static void group_stack_id(struct assembler *a, const struct prog_maps *m)
{
	note(a, "r0 = bpf_get_stackid(ctx, &stacks, 0): the stack is stored "
		"once, its id returned; flags 0: skip no frame, compare whole "
		"stacks, never evict another stack");
	emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_6));
	emit_ld_map(a, BPF_REG_2, m->stacks);
	emit(a, BPF_MOV64_IMM(BPF_REG_3, 0));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_stackid));
	emit_jump(a, BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 0), L_STACK_ERROR);

	note(a, "counts[id] += 1: the key goes on the stack, since map "
		"helpers take a pointer to it; the verifier insists on the "
		"NULL check");
	emit(a, BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, KEY_OFF));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, m->counts);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_ADD_ONE);
	emit_jump(a, BPF_JMP_A(0), L_RETURN);

	place(a, L_STACK_ERROR);
	note(a, "-EEXIST: another stack holds this one's bucket; count the "
		"frames themselves below.  Other errors are losses");
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, -EEXIST, 0), L_LOST);
}

static void group_frames_key(struct assembler *a, const struct prog_maps *m,
			     int per_process)
{
	note(a, "r7 = this CPU's scratch space for a frames key (too big for "
		"the 512-byte BPF stack)");
	emit(a, BPF_ST_MEM(BPF_W, BPF_REG_10, KEY_OFF, 0));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, m->scratch);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_NO_SCRATCH);
	emit(a, BPF_MOV64_REG(BPF_REG_7, BPF_REG_0));

	if (per_process) {
		note(a, "-P: the key starts with the process id and command "
			"name");
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid));
		emit(a, BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
		emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_0, 0));
		emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_7));
		emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 8));
		emit(a, BPF_MOV64_IMM(BPF_REG_2, 16));
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_comm));
	} else {
		note(a, "the key's head (process id, command) stays zero: "
			"stacks are not split per process");
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_7, 0, 0));
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_7, 8, 0));
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_7, 16, 0));
	}

	note(a, "r0 = bpf_get_stack(ctx, key frames, size, 0): the frames, "
		"zero-padded to the map's depth");
	emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_6));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, HEAD_SIZE));
	emit(a, BPF_MOV64_IMM(BPF_REG_3, m->depth * sizeof(__u64)));
	emit(a, BPF_MOV64_IMM(BPF_REG_4, 0));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_stack));
	emit_jump(a, BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 0), L_LOST);
}

static void group_count_frames(struct assembler *a, const struct prog_maps *m)
{
	note(a, "frames[key] += 1 if the key is there");
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit_lookup(a, m->frames);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_ADD_ONE);

	note(a, "else insert it with a count of 1; BPF_NOEXIST, so that a "
		"key another CPU inserted meanwhile is not reset");
	emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, ONE_OFF, 1));
	emit_ld_map(a, BPF_REG_1, m->frames);
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_MOV64_REG(BPF_REG_3, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, ONE_OFF));
	emit(a, BPF_MOV64_IMM(BPF_REG_4, BPF_NOEXIST));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_map_update_elem));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_RETURN);

	note(a, "the insert failed: either another CPU inserted the key "
		"first (look again and add) or the map is full");
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit_lookup(a, m->frames);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_FRAMES_FULL);

	place(a, L_ADD_ONE);
	note(a, "*r0 += 1, atomically: other CPUs may count the same stack");
	emit(a, BPF_MOV64_IMM(BPF_REG_1, 1));
	emit(a, BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0));
	place(a, L_RETURN);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, 0));
	emit(a, BPF_EXIT_INSN());
}

static void group_count_lost(struct assembler *a, const struct prog_maps *m)
{
	place(a, L_FRAMES_FULL);
	note(a, "a hit whose stack cannot be kept: r0 = -errno becomes the "
		"slot of lost[] (enum lost_cause), r1");
	emit(a, BPF_MOV64_IMM(BPF_REG_0, -ENOSPC));
	emit(a, BPF_JMP_A(1));
	place(a, L_NO_SCRATCH);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, -ENOENT));
	place(a, L_LOST);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_UNREADABLE));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -EFAULT, 0), L_LOST_SLOT);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_MAP_FULL));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -ENOMEM, 0), L_LOST_SLOT);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -ENOSPC, 0), L_LOST_SLOT);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_OTHER));

	place(a, L_LOST_SLOT);
	note(a, "lost[r1] += 1");
	emit(a, BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, KEY_OFF));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, m->lost);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_ADD_ONE);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, 0));
	emit(a, BPF_EXIT_INSN());
}

void prog_build(struct prog *prog, const struct prog_maps *maps,
		const struct prog_config *cfg)
{
	struct assembler a = { .prog = prog };

	memset(prog, 0, sizeof(*prog));
	note(&a, "r6 = ctx (the probed task's registers): calls clobber r1");
	emit(&a, BPF_MOV64_REG(BPF_REG_6, BPF_REG_1));
	if (cfg->pid > 0 || cfg->self > 0)
		group_filter_pid(&a, cfg);
	/* -P needs the process in the key: stack ids cannot carry it. */
	if (!cfg->per_process)
		group_stack_id(&a, maps);
	group_frames_key(&a, maps, cfg->per_process);
	group_count_frames(&a, maps);
	group_count_lost(&a, maps);
	resolve_jumps(&a);
}
