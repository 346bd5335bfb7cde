/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perm.h - why the kernel said EPERM or EACCES: the one cause that holds,
 * checked in an order that cannot mislead.
 *
 *  1. Kernel lockdown.  In confidentiality mode the kernel refuses kprobes
 *     and tracefs to every process, root included, until the next boot;
 *     nothing else matters then.  Told by securityfs's lockdown file, or
 *     where it is not mounted by the kernel log's "Lockdown: ..." lines.
 *  2. Capabilities (CapEff in /proc/self/status): CAP_SYS_ADMIN, or
 *     CAP_BPF and CAP_PERFMON (Linux 5.8 and later), as the operation
 *     needs.
 *  3. kernel.perf_event_paranoid, only where it applies given the
 *     capabilities: above 2 (Debian's and Ubuntu's patch) perf events
 *     want CAP_SYS_ADMIN, which CAP_PERFMON does not replace.
 *  4. An LSM, when the kernel log names a denial of this process (SELinux,
 *     AppArmor) or the LSM's own files say it could refuse (SELinux
 *     enforcing, an AppArmor profile confining show_bt, BPF LSM programs
 *     loaded).
 * Where none tells, the line says what was checked, and does not guess.
 */
#ifndef SHOW_BT_PERM_H
#define SHOW_BT_PERM_H

#include <stddef.h>

/* What the kernel refused: each needs its own rights. */
enum perm_op {
	PERM_MAP_CREATE,	/* bpf(BPF_MAP_CREATE) */
	PERM_PROG_LOAD,		/* bpf(BPF_PROG_LOAD) of a kprobe program */
	PERM_KPROBE,		/* perf_event_open() on the kprobe PMU */
	PERM_TRACEFS,		/* opening a tracefs file */
};

/*
 * Where to look; a NULL path is the system's own (a test sets its own).
 * pid and comm are the process's (0, NULL: show_bt's own).  no_bpf: ask
 * the kernel nothing about its loaded BPF programs.
 */
struct perm_env {
	const char *lockdown;		/* /sys/kernel/security/lockdown */
	const char *lsm;		/* /sys/kernel/security/lsm */
	const char *status;		/* /proc/self/status */
	const char *cap_last_cap;	/* /proc/sys/kernel/cap_last_cap */
	const char *paranoid;		/* kernel.perf_event_paranoid */
	const char *kmsg;		/* /dev/kmsg */
	const char *selinux_enforce;	/* /sys/fs/selinux/enforce */
	const char *apparmor;		/* /proc/self/attr/apparmor/current */
	int pid;
	const char *comm;
	int no_bpf;
};

enum perm_lockdown {
	PERM_LOCKDOWN_UNKNOWN = -1,
	PERM_LOCKDOWN_NONE,
	PERM_LOCKDOWN_INTEGRITY,
	PERM_LOCKDOWN_CONFIDENTIALITY,
};

#define PERM_EVIDENCE	200

/* What perm_gather() found; perm_explain() words it. */
struct perm_facts {
	enum perm_lockdown lockdown;
	char lockdown_how[PERM_EVIDENCE];	/* the file's line, or the log's */
	int caps_known;
	unsigned long long cap_eff;
	int cap_last;			/* -1 unknown */
	int paranoid;			/* -1 unknown */
	int kmsg_read;			/* the kernel log could be read */
	char lsm_denial[PERM_EVIDENCE];	/* a log line denying this pid */
	const char *lsm_denied_by;	/* "SELinux", "AppArmor", or NULL */
	int selinux_enforcing;
	char apparmor_profile[PERM_EVIDENCE];	/* confining show_bt, or "" */
	int bpf_lsm;			/* "bpf" in the LSM list */
	int bpf_lsm_progs;		/* loaded BPF LSM programs, -1 unknown */
	unsigned int bpf_lsm_id;	/* one of them */
	char bpf_lsm_name[20];
};

/* Gather the facts for op (env NULL: the system's). */
void perm_gather(const struct perm_env *env, enum perm_op op,
		 struct perm_facts *f);

/*
 * "STRERROR: why" for a refusal of op with errno -e, from the facts, into
 * buf: one line, no newline.
 */
void perm_explain(const struct perm_facts *f, enum perm_op op, int e,
		  char *buf, size_t size);

/* Both: why the running kernel refused op with -e. */
void perm_reason(enum perm_op op, int e, char *buf, size_t size);

/* Whether show_bt has capability cap in effect (0 when unknown). */
int perm_has_cap(unsigned int cap);

/* The capabilities perm.c asks about (linux/capability.h's numbers). */
#define CAP_DAC_OVERRIDE_BIT	1
#define CAP_DAC_READ_SEARCH_BIT	2
#define CAP_SYS_ADMIN_BIT	21
#define CAP_PERFMON_BIT		38
#define CAP_BPF_BIT		39

#endif
