// SPDX-License-Identifier: GPL-2.0
/* bpf.c - thin wrappers around the bpf() system call; see bpf.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bpf.h"
#include "kversion.h"

int sys_bpf(enum bpf_cmd cmd, union bpf_attr *attr)
{
	long ret = syscall(__NR_bpf, cmd, attr, sizeof(*attr));

	return ret < 0 ? -errno : (int)ret;
}

static __u64 ptr_to_u64(const void *p)
{
	return (__u64)(unsigned long)p;
}

int bpf_map_create(enum bpf_map_type type, unsigned int key_size,
		   unsigned int value_size, unsigned int max_entries,
		   unsigned int flags, const char *name)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key_size;
	attr.value_size = value_size;
	attr.max_entries = max_entries;
	attr.map_flags = flags;
	strncpy(attr.map_name, name, sizeof(attr.map_name) - 1);
	return sys_bpf(BPF_MAP_CREATE, &attr);
}

int bpf_map_lookup(int map_fd, const void *key, void *value)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map_fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr);
}

int bpf_map_update(int map_fd, const void *key, const void *value,
		   unsigned long long flags)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map_fd;
	attr.key = ptr_to_u64(key);
	attr.value = ptr_to_u64(value);
	attr.flags = flags;
	return sys_bpf(BPF_MAP_UPDATE_ELEM, &attr);
}

int bpf_map_next_key(int map_fd, const void *key, void *next_key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map_fd;
	attr.key = ptr_to_u64(key);
	attr.next_key = ptr_to_u64(next_key);
	return sys_bpf(BPF_MAP_GET_NEXT_KEY, &attr);
}

int bpf_prog_next_id(unsigned int start, unsigned int *next)
{
	union bpf_attr attr;
	int err;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = start;
	err = sys_bpf(BPF_PROG_GET_NEXT_ID, &attr);
	if (!err)
		*next = attr.next_id;
	return err;
}

unsigned int bpf_prog_last_id(void)
{
	unsigned int id = 0, next;

	while (!bpf_prog_next_id(id, &next))
		id = next;
	return id;
}

int bpf_prog_only_own_since(unsigned int after, const unsigned int *own,
			    size_t nown, unsigned int *last)
{
	unsigned int id = after, next;
	size_t i;

	while (!bpf_prog_next_id(id, &next)) {
		for (i = 0; i < nown && own[i] != next; i++)
			;
		if (i == nown)
			return -ESTALE;
		id = next;
	}
	*last = id;
	return 0;
}

int bpf_prog_get_fd_by_id(unsigned int id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	return sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
}

/*
 * Kernels before 5.0 refuse kprobe programs whose kern_version is not the
 * running kernel's LINUX_VERSION_CODE; later ones ignore the field.  The
 * upstream version, not `uname -r`'s: see kversion.h.
 */
static __u32 running_kernel_version(void)
{
	struct kversion kv;

	return kversion_running(&kv) ? 0 : kversion_code(&kv);
}

int bpf_prog_load_kprobe(const struct bpf_insn *insns, size_t insn_cnt,
			 const char *name, const char *license,
			 unsigned int log_level, char *log, size_t log_size)
{
	return bpf_prog_load_kprobe_as(insns, insn_cnt, name, license, 0,
				       log_level, log, log_size);
}

int bpf_prog_load(const struct bpf_load *l)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = l->type;
	attr.expected_attach_type = l->expected_attach_type;
	attr.insns = ptr_to_u64(l->insns);
	attr.insn_cnt = l->insn_cnt;
	attr.license = ptr_to_u64(l->license);
	attr.kern_version = l->kern_version;
	strncpy(attr.prog_name, l->name, sizeof(attr.prog_name) - 1);
	if (l->log_level && l->log && l->log_size) {
		l->log[0] = '\0';
		attr.log_level = l->log_level;
		attr.log_buf = ptr_to_u64(l->log);
		attr.log_size = l->log_size;
	}
	return sys_bpf(BPF_PROG_LOAD, &attr);
}

/* A kprobe's or a tracepoint's program, as show_bt loads them. */
static int prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		     size_t insn_cnt, const char *name, const char *license,
		     enum bpf_attach_type expected_attach_type,
		     unsigned int log_level, char *log, size_t log_size)
{
	struct bpf_load l = {
		.type = type,
		.expected_attach_type = expected_attach_type,
		.insns = insns,
		.insn_cnt = insn_cnt,
		.name = name,
		.license = license,
		.kern_version = running_kernel_version(),
		.log_level = log_level,
		.log = log,
		.log_size = log_size,
	};

	return bpf_prog_load(&l);
}

int bpf_prog_load_kprobe_as(const struct bpf_insn *insns, size_t insn_cnt,
			    const char *name, const char *license,
			    enum bpf_attach_type expected_attach_type,
			    unsigned int log_level, char *log, size_t log_size)
{
	return prog_load(BPF_PROG_TYPE_KPROBE, insns, insn_cnt, name, license,
			 expected_attach_type, log_level, log, log_size);
}

int bpf_prog_load_tracepoint(const struct bpf_insn *insns, size_t insn_cnt,
			     const char *name, const char *license,
			     unsigned int log_level, char *log, size_t log_size)
{
	return prog_load(BPF_PROG_TYPE_TRACEPOINT, insns, insn_cnt, name,
			 license, 0, log_level, log, log_size);
}

static int obj_get_info(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.info.bpf_fd = fd;
	attr.info.info_len = len;
	attr.info.info = ptr_to_u64(info);
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
}

int bpf_prog_get_info(int prog_fd, struct bpf_prog_info *info)
{
	return obj_get_info(prog_fd, info, sizeof(*info));
}

int bpf_map_get_info(int map_fd, struct bpf_map_info *info)
{
	return obj_get_info(map_fd, info, sizeof(*info));
}
