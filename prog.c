// SPDX-License-Identifier: GPL-2.0
/*
 * prog.c - show_bt's BPF program, assembled one commented group at a time.
 *
 * Registers: r1-r5 carry helper arguments and are clobbered by calls, r0
 * holds return values, r6-r9 survive calls, r10 is the read-only frame
 * pointer with 512 bytes of stack below it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "insn.h"
#include "prog.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The stack slot at r10 - 4 holds the u32 key of every map lookup. */
#define KEY_OFF -4

static unsigned int round_up_pow2(unsigned int n)
{
	unsigned int p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

int prog_maps_create(struct prog_maps *maps, unsigned int slots,
		     unsigned int depth)
{
	int err;

	maps->stacks = maps->counts = maps->lost = -1;
	maps->slots = round_up_pow2(slots);
	maps->depth = depth;

	err = bpf_map_create(BPF_MAP_TYPE_STACK_TRACE, sizeof(__u32),
			     depth * sizeof(__u64), maps->slots, "show_bt_stacks");
	if (err < 0)
		goto fail;
	maps->stacks = err;
	err = bpf_map_create(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64),
			     maps->slots, "show_bt_counts");
	if (err < 0)
		goto fail;
	maps->counts = err;
	err = bpf_map_create(BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64),
			     LOST_NR, "show_bt_lost");
	if (err < 0)
		goto fail;
	maps->lost = err;
	return 0;
fail:
	prog_maps_close(maps);
	return err;
}

void prog_maps_close(struct prog_maps *maps)
{
	if (maps->stacks >= 0)
		close(maps->stacks);
	if (maps->counts >= 0)
		close(maps->counts);
	if (maps->lost >= 0)
		close(maps->lost);
	maps->stacks = maps->counts = maps->lost = -1;
}

static size_t append(struct bpf_insn *insns, size_t n,
		     const struct bpf_insn *group, size_t len)
{
	memcpy(insns + n, group, len * sizeof(*group));
	return n + len;
}

size_t prog_build(struct bpf_insn *insns, const struct prog_maps *maps,
		  int pid)
{
	size_t n = 0;

	/* Keep the context (the probed task's registers): calls clobber r1. */
	const struct bpf_insn save_ctx[] = {
		BPF_MOV64_REG(BPF_REG_6, BPF_REG_1),
	};

	/*
	 * With -p: the upper half of bpf_get_current_pid_tgid() is the
	 * process id (what user space calls pid).  Other processes return
	 * at once, before any stack is taken.
	 */
	const struct bpf_insn filter_pid[] = {
		BPF_CALL_HELPER(BPF_FUNC_get_current_pid_tgid),
		BPF_ALU64_IMM(BPF_RSH, BPF_REG_0, 32),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, pid, 2),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	/*
	 * r0 = bpf_get_stackid(ctx, &stacks, 0): the kernel walks the stack,
	 * stores it in the stack map unless it is there already, and returns
	 * its id.  Flags 0: skip no frame (frame 0 is the probed function),
	 * compare whole stacks, never evict another stack.  A negative r0
	 * jumps to the lost group below.
	 */
	const struct bpf_insn take_stack[] = {
		BPF_MOV64_REG(BPF_REG_1, BPF_REG_6),
		BPF_LD_MAP_FD(BPF_REG_2, maps->stacks),
		BPF_MOV64_IMM(BPF_REG_3, 0),
		BPF_CALL_HELPER(BPF_FUNC_get_stackid),
		BPF_JMP_IMM(BPF_JSLT, BPF_REG_0, 0, 11),
	};

	/*
	 * counts[id] += 1.  The key goes on the stack because map helpers
	 * take a pointer to it.  The verifier insists on the NULL check even
	 * though every id is below the array's size.  The add is atomic: two
	 * CPUs may count the same stack at once.
	 */
	const struct bpf_insn count_stack[] = {
		BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_0, KEY_OFF),
		BPF_LD_MAP_FD(BPF_REG_1, maps->counts),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF),
		BPF_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	/* Turn the error in r0 into a slot of the lost map (enum lost_cause). */
	const struct bpf_insn classify_loss[] = {
		BPF_MOV64_IMM(BPF_REG_1, LOST_COLLISION),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -EEXIST, 5),
		BPF_MOV64_IMM(BPF_REG_1, LOST_UNREADABLE),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -EFAULT, 3),
		BPF_MOV64_IMM(BPF_REG_1, LOST_MAP_FULL),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, -ENOMEM, 1),
		BPF_MOV64_IMM(BPF_REG_1, LOST_OTHER),
	};

	/* lost[cause] += 1, the same way as counts above. */
	const struct bpf_insn count_loss[] = {
		BPF_STX_MEM(BPF_W, BPF_REG_10, BPF_REG_1, KEY_OFF),
		BPF_LD_MAP_FD(BPF_REG_1, maps->lost),
		BPF_MOV64_REG(BPF_REG_2, BPF_REG_10),
		BPF_ALU64_IMM(BPF_ADD, BPF_REG_2, KEY_OFF),
		BPF_CALL_HELPER(BPF_FUNC_map_lookup_elem),
		BPF_JMP_IMM(BPF_JEQ, BPF_REG_0, 0, 2),
		BPF_MOV64_IMM(BPF_REG_1, 1),
		BPF_ATOMIC_OP(BPF_DW, BPF_ADD, BPF_REG_0, BPF_REG_1, 0),
		BPF_MOV64_IMM(BPF_REG_0, 0),
		BPF_EXIT_INSN(),
	};

	n = append(insns, n, save_ctx, ARRAY_SIZE(save_ctx));
	if (pid > 0)
		n = append(insns, n, filter_pid, ARRAY_SIZE(filter_pid));
	n = append(insns, n, take_stack, ARRAY_SIZE(take_stack));
	/* The jump out of take_stack must land on classify_loss. */
	_Static_assert(ARRAY_SIZE(count_stack) == 11, "fix take_stack's jump");
	n = append(insns, n, count_stack, ARRAY_SIZE(count_stack));
	n = append(insns, n, classify_loss, ARRAY_SIZE(classify_loss));
	n = append(insns, n, count_loss, ARRAY_SIZE(count_loss));
	return n;
}
