/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpf.h - thin wrappers around the bpf() system call.
 *
 * Each zeroes the whole union bpf_attr before filling the fields it needs
 * (the kernel rejects non-zero bytes past the fields a command knows), and
 * returns a file descriptor or 0 on success, a negative errno on failure.
 */
#ifndef SHOW_BT_BPF_H
#define SHOW_BT_BPF_H

#include <stddef.h>
#include <linux/bpf.h>

/*
 * The bpf() system call: 0 or a new fd, or -errno.  The caller zeroes the
 * whole union first (the kernel refuses non-zero unused bytes).
 */
int sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr);

int bpf_map_create(enum bpf_map_type type, unsigned int key_size,
		   unsigned int value_size, unsigned int max_entries,
		   unsigned int flags, const char *name);
int bpf_map_lookup(int map_fd, const void *key, void *value);
int bpf_map_update(int map_fd, const void *key, const void *value,
		   unsigned long long flags);
int bpf_map_next_key(int map_fd, const void *key, void *next_key);

/* The id of the loaded BPF program after id start (-ENOENT: none). */
int bpf_prog_next_id(unsigned int start, unsigned int *next);

/*
 * The highest id of a loaded BPF program, 0 if none can be seen: what
 * kallsyms lists of BPF programs, as a copy of it is stamped (kallsyms.h).
 */
unsigned int bpf_prog_last_id(void);

/*
 * Whether every program loaded after id `after` is one of own[0..nown):
 * 0, with *last the highest id, or -ESTALE.
 */
int bpf_prog_only_own_since(unsigned int after, const unsigned int *own,
			    size_t nown, unsigned int *last);

/* A descriptor of the loaded program id (CAP_SYS_ADMIN), or -errno. */
int bpf_prog_get_fd_by_id(unsigned int id);

/*
 * BPF_PROG_LOAD as show_bt uses it: every program it loads, and the tiny
 * ones that ask the kernel what it can do (kfeatures.c), go through
 * bpf_prog_load().  With log_level > 0 the verifier writes its reasoning
 * into log (log_size bytes, always NUL-terminated).
 */
struct bpf_load {
	enum bpf_prog_type type;
	enum bpf_attach_type expected_attach_type;
	const struct bpf_insn *insns;
	size_t insn_cnt;
	const char *name;	/* up to BPF_OBJ_NAME_LEN - 1 kept */
	const char *license;
	__u32 kern_version;	/* LINUX_VERSION_CODE: before 5.0, kprobes */
	unsigned int log_level;
	char *log;
	size_t log_size;
};
int bpf_prog_load(const struct bpf_load *l);

/*
 * Load a BPF_PROG_TYPE_KPROBE program under license ("GPL": helpers such
 * as bpf_get_stackid() are offered to GPL-compatible programs only).  With
 * log_level > 0 the verifier writes its reasoning into log (log_size
 * bytes, always NUL-terminated).
 */
int bpf_prog_load_kprobe(const struct bpf_insn *insns, size_t insn_cnt,
			 const char *name, const char *license,
			 unsigned int log_level, char *log, size_t log_size);

/*
 * The same with an expected attach type: BPF_TRACE_KPROBE_MULTI for a
 * program that goes on a kprobe_multi link (the link takes no other, and
 * perf events may refuse it), 0 for perf kprobes.  The verifier checks
 * the same instructions the same way: the context is struct pt_regs both
 * ways.
 */
int bpf_prog_load_kprobe_as(const struct bpf_insn *insns, size_t insn_cnt,
			    const char *name, const char *license,
			    enum bpf_attach_type expected_attach_type,
			    unsigned int log_level, char *log, size_t log_size);

/*
 * A BPF_PROG_TYPE_TRACEPOINT program: its context is the tracepoint's
 * record, whose first 8 bytes the kernel overwrites with a pointer to the
 * registers perf took where the tracepoint fired, which is what
 * bpf_get_stackid() and bpf_get_stack() unwind from.
 */
int bpf_prog_load_tracepoint(const struct bpf_insn *insns, size_t insn_cnt,
			     const char *name, const char *license,
			     unsigned int log_level, char *log, size_t log_size);

/*
 * What the kernel knows of a loaded program (BPF_OBJ_GET_INFO_BY_FD):
 * pointers set in info beforehand (xlated_prog_insns, map_ids...) are
 * filled in too.
 */
int bpf_prog_get_info(int prog_fd, struct bpf_prog_info *info);
int bpf_map_get_info(int map_fd, struct bpf_map_info *info);

#endif
