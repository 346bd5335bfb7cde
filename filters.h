/* SPDX-License-Identifier: GPL-2.0 */
/*
 * filters.h - the filters of -c, --comm and --cgroup: what the system
 * must say about their values (the CPUs online, PATH a cgroup v2
 * directory, and its id), and their part of the program's configuration.
 */
#ifndef SHOW_BT_FILTERS_H
#define SHOW_BT_FILTERS_H

#include "kfeatures.h"
#include "options.h"
#include "prog.h"

/* Where the kernel lists the CPUs online and those that could be. */
#define CPUS_ONLINE	"/sys/devices/system/cpu/online"
#define CPUS_POSSIBLE	"/sys/devices/system/cpu/possible"

/*
 * The first CPU of want that online lacks, or -1 if online has them all.
 * online is a list as CPUS_ONLINE writes it.
 */
long filters_cpu_missing(const struct cpu_range *want, size_t nwant,
			 const char *online);

/*
 * A cgroup v2 directory's id (the kernfs id bpf_get_current_cgroup_id()
 * returns) and level below its hierarchy's root (the root is 0).
 * Returns 0, or -errno with a one-line reason in why.
 */
int filters_cgroup(const char *path, unsigned long long *id, int *level,
		   char *why, size_t size);

/*
 * Check the filters' values against the system, each refusal told in one
 * line on stderr.  Returns 0 or -errno.
 */
int filters_check(const struct options *opts);

/*
 * The filters' part of cfg (cpus, comm, cgroup_id, cgroup_level): with
 * no ancestor helper for kprobes (f), only the cgroup itself counts, and
 * a note says so.  Returns 0 or -errno (told on stderr).
 */
int filters_config(const struct options *opts, const struct kfeatures *f,
		   struct prog_config *cfg);

#endif
