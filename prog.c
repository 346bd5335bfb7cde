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
 *
 * The default program (show_bt vfs_write), as C would say it; the groups
 * below are its lines, in this order:
 *
 *	int probe(struct pt_regs *ctx)
 *	{
 *		if (!gate[0])				// group_gate
 *			return 0;
 *		if (pid_of_current() == show_bt_pid)	// group_filter_pid
 *			return 0;
 *		id = bpf_get_stackid(ctx, &stacks, 0);	// group_stack_id
 *		if (id >= 0) {
 *			counts[id] += 1;		// atomic add
 *			return 0;
 *		}
 *		// The bucket holds another stack (-EEXIST): count by frames.
 *		n = bpf_get_stack(ctx, buf, depth * 8, 0);	// group_frames
 *		frames[{0, buf}] += 1;	// group_chunk, group_add_one
 *		return 0;		// a stack that could not be kept:
 *	}				// lost[cause] += 1, group_count_lost
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "insn.h"
#include "prog.h"

/* Stack slots below r10: a u32 map key, and a u64 value to insert. */
#define KEY_OFF		-4
#define ONE_OFF		-16

/* The scratch map's value (prog.h): a u64 serial, the frames buffer. */
#define SCRATCH_SERIAL	PROG_SCRATCH_SERIAL
#define SCRATCH_BUF	PROG_SCRATCH_BUF

/* A frames value on the BPF stack, to insert: count, id, comm. */
#define VAL_OFF		(-(int)sizeof(struct frames_value))
/*
 * -T's longer value (count, id, comm, tid, tgid), and below it the
 * thread's {tid, tgid}, kept from the link group to each insert.
 */
#define VAL_T_OFF	(-(int)sizeof(struct frames_value_thread))
#define THREAD_OFF	(VAL_T_OFF - 8)

/* Places a jump can name. */
enum label {
	L_STACK_ERROR,	/* bpf_get_stackid() failed: r0 = -errno */
	L_NO_SCRATCH,	/* the per-CPU scratch lookup failed */
	L_ADD_ONE,	/* r0 points at a u64 count: add one, return */
	L_RETURN,	/* return 0 */
	L_FRAMES_FULL,	/* the frames map has no room */
	L_LOST,		/* r0 = -errno: count the hit in lost[] */
	L_LOST_SLOT,	/* r1 = the lost[] slot */
	L_PID_OK,	/* the process filter let the hit through */
	L_PID_LINK,	/* -P: r0 = the process id, or 0 outside the ns */
	L_CPU_OK,	/* -c: the hit is on one of the CPUs */
	L_FOUND,	/* L_FOUND + k: r0 = chunk k's entry */
	L_CHUNK = L_FOUND + PROG_MAX_CHUNKS, /* L_CHUNK + k: chunk k */
	L_NR = L_CHUNK + PROG_MAX_CHUNKS
};

struct assembler {
	struct prog *prog;
	size_t label[L_NR];
	struct {
		size_t insn;
		enum label to;
	} jump[128];
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

/* r0 = map_lookup_elem(map, &(u32)0): the one entry of a small array. */
static void emit_lookup_zero(struct assembler *a, int map_fd)
{
	emit(a, BPF_ST_MEM(BPF_W, BPF_REG_10, KEY_OFF, 0));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, map_fd);
}

static void group_gate(struct assembler *a, const struct prog_maps *m)
{
	note(a, "the gate: count only while the window is open, gate[0] != 0 "
		"(show_bt opens it once every probe is attached and closes "
		"it before reading the maps back)");
	emit_lookup_zero(a, m->fd[MAP_GATE]);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_RETURN);
	emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_0, 0));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_1, 0, 0), L_RETURN);
}

/* The stack slot bpf_get_ns_current_pid_tgid() fills: {pid, tgid}. */
#define NS_OFF		-8

/*
 * r0 = bpf_get_ns_current_pid_tgid(dev, ino, r10 + off, 8): {pid, tgid}
 * of the task hit as show_bt's pid namespace numbers them, at r10 + off;
 * r0 != 0 for a task outside the namespace.
 */
static void emit_ns_pid_tgid(struct assembler *a,
			     const struct prog_config *cfg, int off)
{
	struct bpf_insn dev[] = { BPF_LD_IMM64(BPF_REG_1, cfg->ns_dev) };
	struct bpf_insn ino[] = { BPF_LD_IMM64(BPF_REG_2, cfg->ns_ino) };

	emit(a, dev[0]);
	emit(a, dev[1]);
	emit(a, ino[0]);
	emit(a, ino[1]);
	emit(a, BPF_MOV64_REG(BPF_REG_3, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, off));
	emit(a, BPF_MOV64_IMM(BPF_REG_4, 8));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_ns_current_pid_tgid));
}

/*
 * r0 = the process id (tgid) of the task hit, as the caller's pid
 * namespace numbers it.  In the first namespace that is the upper half of
 * bpf_get_current_pid_tgid().  In another (a container), the init
 * namespace's ids mean nothing to the caller: bpf_get_ns_current_pid_tgid
 * (Linux 5.7) gives the namespace's own, or fails (r0 != 0) for a task
 * outside it, and then jumps to outside.
 */
static void emit_current_tgid(struct assembler *a,
			      const struct prog_config *cfg,
			      enum label outside)
{
	if (!cfg->ns_ino) {
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid));
		emit(a, BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32));
		return;
	}
	emit_ns_pid_tgid(a, cfg, NS_OFF);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), outside);
	emit(a, BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, NS_OFF + 4));
}

static void group_filter_pid(struct assembler *a, const struct prog_config *cfg)
{
	if (cfg->ns_ino)
		note(a, "which process? bpf_get_ns_current_pid_tgid() gives "
			"the ids of show_bt's pid namespace (a container's), "
			"or fails for a task outside it: with -p only that "
			"process counts, else every one but show_bt itself");
	else
		note(a, "which process? the upper half of "
			"bpf_get_current_pid_tgid() is the process id: with -p "
			"only that one counts, else every one but show_bt "
			"itself");
	/* Outside the namespace: not -p's process, and not show_bt. */
	emit_current_tgid(a, cfg, cfg->pid > 0 ? L_RETURN : L_PID_OK);
	if (cfg->pid > 0)
		emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, cfg->pid, 0),
			  L_RETURN);
	else
		emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, cfg->self, 0),
			  L_RETURN);
	place(a, L_PID_OK);
}

/* The 16 bytes bpf_get_current_comm() writes, for --comm. */
#define COMM_OFF	-32

/* -c: r0 = the CPU; each range lets it through, else return. */
static void group_filter_cpu(struct assembler *a,
			     const struct prog_config *cfg)
{
	const struct cpu_range *r = cfg->cpus;
	size_t i;

	note(a, "-c: which CPU? r0 = bpf_get_smp_processor_id(): a hit on "
		"none of the CPUs (each range: lo <= r0 <= hi) is not counted");
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_smp_processor_id));
	for (i = 0; i < cfg->ncpu_ranges; i++) {
		if (r[i].lo == r[i].hi) {
			emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, r[i].lo,
						 0), L_CPU_OK);
			continue;
		}
		/* Below lo: skip the next test, on to the next range. */
		emit(a, BPF_JMP_IMM(BPF_JLT, BPF_REG_0, r[i].lo, 1));
		emit_jump(a, BPF_JMP_IMM(BPF_JLE, BPF_REG_0, r[i].hi, 0),
			  L_CPU_OK);
	}
	emit_jump(a, BPF_JMP_A(0), L_RETURN);
	place(a, L_CPU_OK);
}

/* r1 = the 8 bytes of s from off on, as the CPU reads them from memory. */
static void emit_ld_bytes(struct assembler *a, const char *s, size_t off)
{
	__u64 v;

	memcpy(&v, s + off, sizeof(v));
	{
		struct bpf_insn ld[] = { BPF_LD_IMM64(BPF_REG_1, v) };

		emit(a, ld[0]);
		emit(a, ld[1]);
	}
}

/*
 * --comm: cfg->comm is NUL-padded to 16 bytes, and so is the task's
 * command once the slot is zeroed first: equal commands are two equal
 * u64s.  (The VM test caught the unpadded copy: without the zeroing,
 * stale stack bytes after a short command's NUL failed most matches.)
 */
static void group_filter_comm(struct assembler *a,
			      const struct prog_config *cfg)
{
	int half;

	note(a, "--comm: zero 16 bytes at r10 - 32 (kernels from 5.17 copy "
		"the command with strscpy, which does not pad), then "
		"bpf_get_current_comm(r10 - 32, 16) puts the task's command "
		"there; it counts only if both halves equal NAME's, "
		"NUL-padded (two 64-bit constants)");
	emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, COMM_OFF, 0));
	emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, COMM_OFF + 8, 0));
	emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, COMM_OFF));
	emit(a, BPF_MOV64_IMM(BPF_REG_2, 16));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_comm));
	for (half = 0; half < 2; half++) {
		emit_ld_bytes(a, cfg->comm, half * 8);
		emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_2, BPF_REG_10,
				    COMM_OFF + half * 8));
		emit_jump(a, BPF_JMP_REG(BPF_JNE, BPF_REG_1, BPF_REG_2, 0),
			  L_RETURN);
	}
}

/* --cgroup: the task's cgroup, or its ancestor at the cgroup's level. */
static void group_filter_cgroup(struct assembler *a,
				const struct prog_config *cfg)
{
	struct bpf_insn id[] = { BPF_LD_IMM64(BPF_REG_1, cfg->cgroup_id) };

	if (cfg->cgroup_level >= 0) {
		note(a, "--cgroup: r0 = bpf_get_current_ancestor_cgroup_id"
			"(level), the task's cgroup v2 ancestor at PATH's "
			"level (itself if it is that deep): PATH's id means "
			"the task is in PATH or below it");
		emit(a, BPF_MOV64_IMM(BPF_REG_1, cfg->cgroup_level));
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_ancestor_cgroup_id));
	} else {
		note(a, "--cgroup: r0 = bpf_get_current_cgroup_id(), the "
			"task's cgroup v2: only PATH's own tasks count (no "
			"ancestor helper for kprobes on this kernel)");
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_cgroup_id));
	}
	emit(a, id[0]);
	emit(a, id[1]);
	emit_jump(a, BPF_JMP_REG(BPF_JNE, BPF_REG_0, BPF_REG_1, 0), L_RETURN);
}

static void group_stack_id(struct assembler *a, const struct prog_maps *m)
{
	note(a, "r0 = bpf_get_stackid(ctx, &stacks, 0): the stack is stored "
		"once, its id returned; flags 0: skip no frame, compare whole "
		"stacks, never evict another stack");
	emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_6));
	emit_ld_map(a, BPF_REG_2, m->fd[MAP_STACKS]);
	emit(a, BPF_MOV64_IMM(BPF_REG_3, 0));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_stackid));
	emit_jump(a, BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 0), L_STACK_ERROR);

	note(a, "counts[id] += 1: the key goes on the stack, since map "
		"helpers take a pointer to it; the verifier insists on the "
		"NULL check");
	emit(a, BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, KEY_OFF));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, m->fd[MAP_COUNTS]);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_ADD_ONE);
	emit_jump(a, BPF_JMP_A(0), L_RETURN);

	place(a, L_STACK_ERROR);
	note(a, "-EFAULT: no stack could be taken, a loss.  Any other error "
		"(-EEXIST: another stack holds this one's bucket; -ENOMEM) "
		"is no loss: count the frames themselves below");
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -EFAULT, 0), L_LOST);
}

/* Offset in scratch of key k (buf[k * chunk]). */
static int key_off(const struct prog_maps *m, unsigned int k)
{
	return SCRATCH_BUF + k * m->chunk * sizeof(__u64);
}

/*
 * r0 = bpf_get_stack(ctx, scratch + off, size, 0): the frames' bytes,
 * zero-padded to size; an error is a lost hit.
 */
static void emit_get_stack(struct assembler *a, int off, unsigned int size)
{
	emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_6));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, off));
	emit(a, BPF_MOV64_IMM(BPF_REG_3, size));
	emit(a, BPF_MOV64_IMM(BPF_REG_4, 0));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_stack));
	emit_jump(a, BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 0), L_LOST);
}

/*
 * arm64 at a function's entry: the frames one slot further on, buf[2..],
 * then frame 0 (the pc) back to buf[1] and x30, the return address into
 * the caller that the unwinder cannot see yet, as frame 1.
 */
static void group_frames_entry_lr(struct assembler *a,
				  const struct prog_maps *m)
{
	note(a, "arm64, at the entry: r9 = bpf_get_stack(ctx, &buf[2], "
		"(depth - 1) * 8, 0), then buf[1] = that frame 0 (the pc) "
		"and buf[2] = x30, the return address into the caller, which "
		"the prologue has not saved yet");
	emit_get_stack(a, SCRATCH_BUF + 16, (m->depth - 1) * sizeof(__u64));
	emit(a, BPF_MOV64_REG(BPF_REG_9, BPF_REG_0));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_9, 8));
	emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, SCRATCH_BUF + 16));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, SCRATCH_BUF + 8));
	emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_6, PROG_ARM64_LR_OFF));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, SCRATCH_BUF + 16));
}

/*
 * A tracepoint: its frames one slot further on, buf[2..], and its tag as
 * frame 0 in buf[1].  The first frame the kernel gives is where the
 * tracepoint's caller resumes (perf took the registers there), a return
 * address like every frame after it.
 */
static void group_frames_tagged(struct assembler *a, const struct prog_maps *m,
				unsigned int tag)
{
	note(a, "a tracepoint: buf[1] = its tag (frame 0 says which "
		"tracepoint was hit), then r9 = bpf_get_stack(ctx, &buf[2], "
		"(depth - 1) * 8, 0) + 8");
	emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_7, SCRATCH_BUF + 8, tag));
	emit(a, BPF_MOV64_IMM(BPF_REG_9, 8));
	if (m->depth < 2)
		return;
	emit_get_stack(a, SCRATCH_BUF + 16, (m->depth - 1) * sizeof(__u64));
	emit(a, BPF_MOV64_REG(BPF_REG_9, BPF_REG_0));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_9, 8));
}

/*
 * -T: the first key's link is the thread id, and {tid, tgid} waits at
 * THREAD_OFF for the inserts, which put it in the value (prog.h, struct
 * frames_value_thread).  In a pid namespace of its own, the namespace's
 * ids (struct bpf_pidns_info is {pid, tgid}, the same layout), and a task
 * outside it is thread 0 of process 0, as -P makes it process 0.
 */
static void group_link_thread(struct assembler *a,
			      const struct prog_config *cfg)
{
	if (!cfg->ns_ino) {
		note(a, "-T: the first key's link is the thread id, the lower "
			"half of bpf_get_current_pid_tgid(); the whole u64, "
			"{tid, tgid} in memory, is kept below the value for "
			"the inserts");
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid));
		emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0,
				    THREAD_OFF));
	} else {
		note(a, "-T: the first key's link is the thread id as "
			"show_bt's pid namespace numbers it: "
			"bpf_get_ns_current_pid_tgid() fills {tid, tgid} below "
			"the value, for the inserts; a task outside the "
			"namespace is thread 0 of process 0");
		emit_ns_pid_tgid(a, cfg, THREAD_OFF);
		emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_PID_LINK);
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, THREAD_OFF, 0));
		place(a, L_PID_LINK);
	}
	/* The tid is the low u32 in memory: load it zero-extended. */
	emit(a, BPF_LDX_MEM(BPF_W, BPF_REG_0, BPF_REG_10, THREAD_OFF));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_0, SCRATCH_BUF));
}

static void group_frames(struct assembler *a, const struct prog_maps *m,
			 const struct prog_config *cfg)
{
	int per_process = cfg->per_process;

	note(a, "r7 = this CPU's scratch space: a serial, then the frames "
		"(too big for the 512-byte BPF stack)");
	emit_lookup_zero(a, m->fd[MAP_SCRATCH]);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_NO_SCRATCH);
	emit(a, BPF_MOV64_REG(BPF_REG_7, BPF_REG_0));

	if (cfg->tp_tag) {
		group_frames_tagged(a, m, cfg->tp_tag);
	} else if (cfg->entry_lr && m->depth > 1) {
		group_frames_entry_lr(a, m);
	} else {
		note(a, "r9 = bpf_get_stack(ctx, &buf[1], depth * 8, 0): the "
			"frames' bytes, zero-padded to the depth");
		emit_get_stack(a, SCRATCH_BUF + 8, m->depth * sizeof(__u64));
		emit(a, BPF_MOV64_REG(BPF_REG_9, BPF_REG_0));
	}

	if (cfg->per_thread) {
		group_link_thread(a, cfg);
	} else if (per_process) {
		note(a, "-P: the first key's link is the process id (0 for a "
			"task outside show_bt's pid namespace)");
		emit_current_tgid(a, cfg, L_PID_LINK);
		if (cfg->ns_ino) {
			emit(a, BPF_JMP_A(1));
			place(a, L_PID_LINK);
			emit(a, BPF_MOV64_IMM(BPF_REG_0, 0));
		}
		emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_0,
				    SCRATCH_BUF));
	} else {
		note(a, "the first key's link is zero: stacks are not split "
			"per process");
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_7, SCRATCH_BUF, 0));
	}
}

/* -T: the value's tail is the thread's {tid, tgid}, kept by the link. */
static void emit_value_thread(struct assembler *a)
{
	emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_10, THREAD_OFF));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_1, VAL_T_OFF + 32));
}

/*
 * Chunk k of the frames: find its key, or insert it with a fresh id; then
 * go on to chunk k + 1 if the stack is longer, else count the hit here.
 */
static void group_chunk(struct assembler *a, const struct prog_maps *m,
			unsigned int k, unsigned int nchunks,
			const struct prog_config *cfg)
{
	int off = key_off(m, k);
	int per_process = cfg->per_process || cfg->per_thread;
	int val = cfg->per_thread ? VAL_T_OFF : VAL_OFF;

	place(a, L_CHUNK + k);
	if (k > 0) {
		note(a, "the next chunk's key: its link is the id of the "
			"entry before it, written over that chunk's last "
			"frame (counted already)");
		emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_8, 8));
		emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, off));
	}
	note(a, k == 0 && nchunks == 1 ?
		"r0 = frames[key]: the key is {link, the frames}" :
		"r0 = frames[key]: the key is {link, this chunk of frames}");
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, off));
	emit_lookup(a, m->fd[MAP_FRAMES]);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_FOUND + k);

	note(a, "a new key: its value {count 0, id, comm} on the stack; the "
		"id is (cpu + 1) << 32 | this CPU's serial, unique without "
		"atomics, as one CPU runs one program at a time");
	emit(a, BPF_CALL_HELPER(BPF_FUNC_get_smp_processor_id));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_0, 1));
	emit(a, BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32));
	emit(a, BPF_LDX_MEM(BPF_DW, BPF_REG_1, BPF_REG_7, SCRATCH_SERIAL));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, 1));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_7, BPF_REG_1, SCRATCH_SERIAL));
	emit(a, BPF_ALU64_REG(BPF_OR, BPF_REG_0, BPF_REG_1));
	emit(a, BPF_STX_MEM(BPF_DW, BPF_REG_10, BPF_REG_0, val + 8));
	emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, val, 0));
	if (cfg->per_thread)
		emit_value_thread(a);
	if (per_process) {
		emit(a, BPF_MOV64_REG(BPF_REG_1, BPF_REG_10));
		emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_1, val + 16));
		emit(a, BPF_MOV64_IMM(BPF_REG_2, 16));
		emit(a, BPF_CALL_HELPER(BPF_FUNC_get_current_comm));
	} else {
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, VAL_OFF + 16, 0));
		emit(a, BPF_ST_MEM(BPF_DW, BPF_REG_10, VAL_OFF + 24, 0));
	}

	note(a, "insert it, BPF_NOEXIST: a key another CPU inserted "
		"meanwhile is kept, with its id; then look it up again: "
		"not there, r8 (the insert's answer) says why");
	emit_ld_map(a, BPF_REG_1, m->fd[MAP_FRAMES]);
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, off));
	emit(a, BPF_MOV64_REG(BPF_REG_3, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_3, val));
	emit(a, BPF_MOV64_IMM(BPF_REG_4, BPF_NOEXIST));
	emit(a, BPF_CALL_HELPER(BPF_FUNC_map_update_elem));
	emit(a, BPF_MOV64_REG(BPF_REG_8, BPF_REG_0));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_7));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, off));
	emit_lookup(a, m->fd[MAP_FRAMES]);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 0), L_FRAMES_FULL);

	place(a, L_FOUND + k);
	if (k + 1 < nchunks) {
		note(a, "more frames than this chunk holds: on to the next "
			"chunk, r8 = this entry");
		emit(a, BPF_MOV64_REG(BPF_REG_8, BPF_REG_0));
		emit_jump(a, BPF_JMP_IMM(BPF_JGT, BPF_REG_9,
					 (k + 1) * m->chunk * sizeof(__u64),
					 0), L_CHUNK + k + 1);
		emit_jump(a, BPF_JMP_A(0), L_ADD_ONE);
	}
	/* The last chunk falls through to L_ADD_ONE. */
}

static void group_add_one(struct assembler *a)
{
	place(a, L_ADD_ONE);
	note(a, "*r0 += 1, atomically: other CPUs may count the same stack "
		"(the count is the first u64 of every value here)");
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
		"slot of lost[] (enum lost_cause), r1; the frames map's "
		"insert said why in r8: -E2BIG, the map is full; -ENOMEM, no "
		"memory for an entry; r0 = r8 sign-extended from 32 bits: "
		"before Linux 6.4 the map's update returns an int, which the "
		"verifier calls directly, so the upper half is not -1");
	emit(a, BPF_MOV64_REG(BPF_REG_0, BPF_REG_8));
	emit(a, BPF_ALU64_IMM(BPF_LSH, BPF_REG_0, 32));
	emit(a, BPF_ALU64_IMM(BPF_ARSH, BPF_REG_0, 32));
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_LOST);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, -ENOSPC));
	emit(a, BPF_JMP_A(1));
	place(a, L_NO_SCRATCH);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, -ENOENT));
	place(a, L_LOST);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_UNREADABLE));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -EFAULT, 0), L_LOST_SLOT);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_MAP_FULL));
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -E2BIG, 0), L_LOST_SLOT);
	emit_jump(a, BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -ENOSPC, 0), L_LOST_SLOT);
	emit(a, BPF_MOV64_IMM(BPF_REG_1, LOST_OTHER));

	place(a, L_LOST_SLOT);
	note(a, "lost[r1] += 1");
	emit(a, BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, KEY_OFF));
	emit(a, BPF_MOV64_REG(BPF_REG_2, BPF_REG_10));
	emit(a, BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF));
	emit_lookup(a, m->fd[MAP_LOST]);
	emit_jump(a, BPF_JMP_IMM(BPF_JNE, BPF_REG_0, 0, 0), L_ADD_ONE);
	emit(a, BPF_MOV64_IMM(BPF_REG_0, 0));
	emit(a, BPF_EXIT_INSN());
}

void prog_build(struct prog *prog, const struct prog_maps *maps,
		const struct prog_config *cfg)
{
	struct assembler a = { .prog = prog };
	unsigned int k, nchunks = prog_chunks(maps);

	memset(prog, 0, sizeof(*prog));
	prog->tp_tag = cfg->tp_tag;
	note(&a, cfg->tp_tag ?
		"r6 = ctx (the tracepoint's record; the kernel put the "
		"registers perf took in its first 8 bytes): calls clobber r1" :
		"r6 = ctx (the probed task's registers): calls clobber r1");
	emit(&a, BPF_MOV64_REG(BPF_REG_6, BPF_REG_1));
	group_gate(&a, maps);
	if (cfg->pid > 0 || cfg->self > 0)
		group_filter_pid(&a, cfg);
	if (cfg->ncpu_ranges)
		group_filter_cpu(&a, cfg);
	if (cfg->comm[0])
		group_filter_comm(&a, cfg);
	if (cfg->cgroup_id)
		group_filter_cgroup(&a, cfg);
	/*
	 * -P and -T need the process or thread in the key: stack ids
	 * cannot carry it; an arm64 entry stack needs x30 put in, and a
	 * tracepoint's its tag, which a stack id cannot take; -i counts
	 * every stack by its frames.
	 */
	if (!cfg->per_process && !cfg->per_thread && !cfg->tp_tag &&
	    !(cfg->entry_lr && maps->depth > 1) && !cfg->frames_only)
		group_stack_id(&a, maps);
	group_frames(&a, maps, cfg);
	for (k = 0; k < nchunks; k++)
		group_chunk(&a, maps, k, nchunks, cfg);
	group_add_one(&a);
	group_count_lost(&a, maps);
	resolve_jumps(&a);
}
