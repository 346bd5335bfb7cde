// SPDX-License-Identifier: GPL-2.0
/*
 * privs - run a command with fewer privileges.
 *
 *   privs nobody COMMAND [ARG]...     uid and gid 65534, no groups
 *   privs nocaps COMMAND [ARG]...     still uid 0, but without
 *                                     CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON
 *   privs bpfonly COMMAND [ARG]...    uid 0 with CAP_BPF and CAP_PERFMON
 *                                     and no other capability
 *
 * Capabilities go from the bounding set first (root regains its
 * permitted set from the bounding set at execve), then from the
 * effective, permitted and inheritable sets, and the ambient set is
 * cleared.  Exits 126 with a message if a step fails.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON	38
#endif
#ifndef CAP_BPF
#define CAP_BPF		39
#endif
#define CAP_MAX		63

static int die(const char *what)
{
	perror(what);
	return 126;
}

static int keep(const char *mode, int cap)
{
	if (!strcmp(mode, "nocaps"))
		return cap != CAP_SYS_ADMIN && cap != CAP_BPF &&
		       cap != CAP_PERFMON;
	return cap == CAP_BPF || cap == CAP_PERFMON;	/* bpfonly */
}

static int drop_caps(const char *mode)
{
	struct __user_cap_header_struct hdr = {
		_LINUX_CAPABILITY_VERSION_3, 0
	};
	struct __user_cap_data_struct data[2];
	int cap;

	for (cap = 0; cap <= CAP_MAX; cap++)
		if (!keep(mode, cap) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && cap <= 40)
			return die("privs: PR_CAPBSET_DROP");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capget, &hdr, data))
		return die("privs: capget");
	for (cap = 0; cap <= CAP_MAX; cap++) {
		__u32 bit = 1u << (cap % 32);

		if (keep(mode, cap))
			continue;
		data[cap / 32].effective &= ~bit;
		data[cap / 32].permitted &= ~bit;
		data[cap / 32].inheritable &= ~bit;
	}
	if (syscall(SYS_capset, &hdr, data))
		return die("privs: capset");
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc < 3) {
		fprintf(stderr, "usage: privs nobody|nocaps|bpfonly COMMAND [ARG]...\n");
		return 126;
	}
	if (!strcmp(argv[1], "nobody")) {
		if (setgroups(0, NULL))
			return die("privs: setgroups");
		if (setresgid(65534, 65534, 65534))
			return die("privs: setresgid");
		if (setresuid(65534, 65534, 65534))
			return die("privs: setresuid");
	} else if (!strcmp(argv[1], "nocaps") || !strcmp(argv[1], "bpfonly")) {
		err = drop_caps(argv[1]);
		if (err)
			return err;
	} else {
		fprintf(stderr, "privs: unknown mode '%s'\n", argv[1]);
		return 126;
	}
	execvp(argv[2], argv + 2);
	return die(argv[2]);
}
