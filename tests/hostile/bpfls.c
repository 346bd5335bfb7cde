// SPDX-License-Identifier: GPL-2.0
/*
 * bpfls - list the kernel's BPF programs and maps by name, as bpftool
 * would, for systems without bpftool (the test VM runs busybox only).
 *
 *   bpfls
 *
 * Prints "prog ID NAME" and "map ID NAME", one object a line, walking
 * BPF_PROG_GET_NEXT_ID / BPF_MAP_GET_NEXT_ID, opening each object by id
 * and asking BPF_OBJ_GET_INFO_BY_FD for its name.  An object freed
 * between the two calls is skipped.  Exits 1 if the walk itself fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int next_id(int cmd, __u32 id, __u32 *next)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = id;
	if (sys_bpf(cmd, &attr))
		return -errno;
	*next = attr.next_id;
	return 0;
}

static int fd_by_id(int cmd, __u32 id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	if (cmd == BPF_PROG_GET_FD_BY_ID)
		attr.prog_id = id;
	else
		attr.map_id = id;
	return sys_bpf(cmd, &attr);
}

static int info_by_fd(int fd, void *info, __u32 len)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	memset(info, 0, len);
	attr.info.bpf_fd = fd;
	attr.info.info_len = len;
	attr.info.info = (__u64)(unsigned long)info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &attr) ? -errno : 0;
}

/* Walk one kind of object; 0, or -errno when the walk fails. */
static int walk(const char *kind, int next_cmd, int fd_cmd)
{
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	__u32 id = 0, next = 0;
	const char *name;
	int fd, err;

	while (!(err = next_id(next_cmd, id, &next))) {
		id = next;
		fd = fd_by_id(fd_cmd, id);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;	/* freed meanwhile */
			printf("%s %u ?(%s)\n", kind, id, strerror(errno));
			continue;
		}
		if (fd_cmd == BPF_PROG_GET_FD_BY_ID) {
			err = info_by_fd(fd, &pinfo, sizeof(pinfo));
			name = pinfo.name;
		} else {
			err = info_by_fd(fd, &minfo, sizeof(minfo));
			name = minfo.name;
		}
		close(fd);
		if (err)
			printf("%s %u ?(%s)\n", kind, id, strerror(-err));
		else
			printf("%s %u %s\n", kind, id, name[0] ? name : "-");
	}
	if (err == -ENOENT)
		return 0;
	fprintf(stderr, "bpfls: %s walk: %s\n", kind, strerror(-err));
	return err;
}

int main(void)
{
	int err = walk("prog", BPF_PROG_GET_NEXT_ID, BPF_PROG_GET_FD_BY_ID);

	if (walk("map", BPF_MAP_GET_NEXT_ID, BPF_MAP_GET_FD_BY_ID))
		err = -1;
	return err ? 1 : 0;
}
