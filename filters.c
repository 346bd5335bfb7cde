// SPDX-License-Identifier: GPL-2.0
/* filters.c - -c, --comm and --cgroup against the system; see filters.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "filters.h"
#include "msg.h"

/* A sysfs CPU list is short; 1024 ranges cover any machine's holes. */
#define SYS_CPU_RANGES	1024

static int in_ranges(unsigned long cpu, const struct cpu_range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cpu >= r[i].lo && cpu <= r[i].hi)
			return 1;
	return 0;
}

long filters_cpu_missing(const struct cpu_range *want, size_t nwant,
			 const char *online)
{
	static struct cpu_range on[SYS_CPU_RANGES];
	unsigned long cpu;
	size_t i, non;

	if (options_parse_cpus(online, on, SYS_CPU_RANGES, &non))
		return -1;	/* unreadable: let the kernel be the judge */
	for (i = 0; i < nwant; i++)
		for (cpu = want[i].lo; cpu <= want[i].hi; cpu++)
			if (!in_ranges(cpu, on, non))
				return cpu;
	return -1;
}

/* A sysfs file's first line, without its newline; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (f) {
		if (!fgets(buf, size, f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
}

/* -c: every CPU named must be online; else name the first that is not. */
static int check_cpus(const struct options *opts)
{
	char online[4096], possible[4096];
	long cpu;

	if (!opts->ncpu_ranges)
		return 0;
	read_line(CPUS_ONLINE, online, sizeof(online));
	cpu = filters_cpu_missing(opts->cpus, opts->ncpu_ranges, online);
	if (cpu < 0)
		return 0;
	read_line(CPUS_POSSIBLE, possible, sizeof(possible));
	{
		struct cpu_range one = { cpu, cpu };

		if (filters_cpu_missing(&one, 1, possible) < 0)
			err_msg("-c %s: CPU %ld is offline (CPUs online: %s)",
				opts->cpu_list, cpu, online);
		else
			err_msg("-c %s: there is no CPU %ld (CPUs online: %s)",
				opts->cpu_list, cpu, online);
	}
	return -ENODEV;
}

/* On a cgroup v2 filesystem, and a directory: else why not, in why. */
static int cgroup2_dir(const char *path, char *why, size_t size)
{
	struct statfs sfs;
	struct stat st;

	if (statfs(path, &sfs) || stat(path, &st))
		return msg_fail(why, size, -errno, "--cgroup %s: %s", path,
				strerror(errno));
	if (sfs.f_type == CGROUP2_SUPER_MAGIC && S_ISDIR(st.st_mode))
		return 0;
	return msg_fail(why, size, -ENOTDIR,
			"--cgroup %s: not a cgroup v2 directory (%s)", path,
			sfs.f_type == CGROUP_SUPER_MAGIC ?
			"it is on a cgroup v1 hierarchy: show_bt filters by cgroup v2 only" :
			sfs.f_type == CGROUP2_SUPER_MAGIC ?
			"a file in one: give its directory" :
			"it is on no cgroup filesystem; cgroup v2 is usually at /sys/fs/cgroup");
}

/*
 * Its level: how many directories up its hierarchy's root is, the root
 * being the topmost directory on the same cgroup v2 mount.  (Inside a
 * cgroup namespace the mount's root is the namespace's, not the
 * hierarchy's: see the man page.)  Walked by "..", which the kernel
 * resolves, symbolic links and all.
 */
static int cgroup_level(const char *path)
{
	struct stat st, up;
	struct statfs sfs;
	int fd, parent, level = 0;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		level = -errno;
		goto out;
	}
	for (;;) {
		parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0)
			break;
		close(fd);
		fd = parent;
		/* Off the mount, or at a root whose ".." is itself. */
		if (fstatfs(fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC ||
		    fstat(fd, &up) || up.st_dev != st.st_dev ||
		    up.st_ino == st.st_ino)
			break;
		st = up;
		level++;
	}
out:
	close(fd);
	return level;
}

int filters_cgroup(const char *path, unsigned long long *id, int *level,
		   char *why, size_t size)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[8];
	} h;
	int mount_id, err;

	err = cgroup2_dir(path, why, size);
	if (err)
		return err;
	/* The 8-byte kernfs handle of a cgroup v2 directory is its id. */
	h.fh.handle_bytes = sizeof(h.bytes);
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) ||
	    h.fh.handle_bytes != sizeof(*id)) {
		err = h.fh.handle_bytes != sizeof(*id) ? -EINVAL : -errno;
		return msg_fail(why, size, err,
				"--cgroup %s: cannot read its cgroup id: %s",
				path, strerror(-err));
	}
	memcpy(id, h.fh.f_handle, sizeof(*id));
	*level = cgroup_level(path);
	if (*level < 0)
		return msg_fail(why, size, *level, "--cgroup %s: %s", path,
				strerror(-*level));
	return 0;
}

int filters_check(const struct options *opts)
{
	unsigned long long id;
	char why[PATH_MAX + 256];
	int level, err;

	err = check_cpus(opts);
	if (err || !opts->cgroup)
		return err;
	err = filters_cgroup(opts->cgroup, &id, &level, why, sizeof(why));
	if (err)
		err_msg("%s", why);
	return err;
}

/*
 * Whether show_bt runs in a cgroup namespace of its own: the kernel's
 * ancestor levels count from the hierarchy's root, which such a
 * namespace hides, so the level read from the mount may not be the one
 * the kernel compares.  The initial namespace's inode is fixed
 * (PROC_CGROUP_INIT_INO in the kernel's proc_ns.h).
 */
static int in_child_cgroupns(void)
{
	struct stat st;

	return !stat("/proc/self/ns/cgroup", &st) && st.st_ino != 0xEFFFFFFBu;
}

int filters_config(const struct options *opts, const struct kfeatures *f,
		   struct prog_config *cfg)
{
	static int said;
	char why[PATH_MAX + 256];
	int err;

	cfg->cpus = opts->cpus;
	cfg->ncpu_ranges = opts->ncpu_ranges;
	memset(cfg->comm, 0, sizeof(cfg->comm));
	if (opts->comm)
		strncpy(cfg->comm, opts->comm, sizeof(cfg->comm) - 1);
	cfg->cgroup_id = 0;
	cfg->cgroup_level = -1;
	if (!opts->cgroup)
		return 0;
	err = filters_cgroup(opts->cgroup, &cfg->cgroup_id, &cfg->cgroup_level,
			     why, sizeof(why));
	if (err) {
		err_msg("%s", why);
		return err;
	}
	/* Said once: each tracepoint's program is built with the filters. */
	if (!f->helper_ancestor_cgroup && !said++) {
		err_msg("note: Linux %s has no bpf_get_current_ancestor_cgroup_id for kprobes (5.14): --cgroup counts the tasks of %s itself, not of the cgroups below it",
			kfeatures_release(f), opts->cgroup);
	}
	if (!f->helper_ancestor_cgroup)
		cfg->cgroup_level = -1;
	else if (in_child_cgroupns()) {
		if (!said++)
			err_msg("note: show_bt runs in a cgroup namespace of its own, which hides how deep %s is in the whole hierarchy: --cgroup counts the tasks of %s itself, not of the cgroups below it",
				opts->cgroup, opts->cgroup);
		cfg->cgroup_level = -1;
	}
	return 0;
}
