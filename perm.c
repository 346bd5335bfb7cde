// SPDX-License-Identifier: GPL-2.0
/* perm.c - why the kernel said EPERM or EACCES; see perm.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "numparse.h"
#include "perm.h"

#define LOCKDOWN_PATH	"/sys/kernel/security/lockdown"
#define LSM_PATH	"/sys/kernel/security/lsm"
#define KMSG_PATH	"/dev/kmsg"
#define PROG_TYPE_LSM	29	/* BPF_PROG_TYPE_LSM, Linux 5.7 */

static const char *or_default(const char *path, const char *dflt)
{
	return path ? path : dflt;
}

/* The first line of a small file, without its newline: 0 or -errno. */
static int first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static int read_int(const char *path, int *v)
{
	char line[64];

	*v = -1;
	if (first_line(path, line, sizeof(line)))
		return -1;
	if (num_int(line, NULL, v) == -EINVAL) {
		*v = -1;
		return -1;
	}
	return 0;
}

/* The mode securityfs's lockdown file puts in brackets. */
static enum perm_lockdown lockdown_file(const char *path, char *how,
					size_t size)
{
	char line[128], *open_b;

	if (first_line(path, line, sizeof(line)))
		return PERM_LOCKDOWN_UNKNOWN;
	snprintf(how, size, "%s: %s", path, line);
	open_b = strchr(line, '[');
	if (!open_b)
		return PERM_LOCKDOWN_UNKNOWN;
	if (!strncmp(open_b, "[none]", 6))
		return PERM_LOCKDOWN_NONE;
	if (!strncmp(open_b, "[integrity]", 11))
		return PERM_LOCKDOWN_INTEGRITY;
	if (!strncmp(open_b, "[confidentiality]", 17))
		return PERM_LOCKDOWN_CONFIDENTIALITY;
	return PERM_LOCKDOWN_UNKNOWN;
}

/*
 * What the lockdown LSM logs when it refuses something only the
 * confidentiality mode forbids ("Lockdown: COMM: WHAT is restricted; see
 * man kernel_lockdown.7"; the WHATs are security/security.c's
 * lockdown_reasons past LOCKDOWN_INTEGRITY_MAX).  A mode is never
 * lowered, so one such line since boot tells the mode now.
 */
static const char *const confidential_whats[] = {
	"/proc/kcore access", "use of kprobes", "use of bpf to read kernel RAM",
	"use of kgdb/kdb to read kernel RAM", "unsafe use of perf",
	"use of tracefs", "xmon read and write access", "xfrm SA secret",
};

static int confidential_line(const char *msg)
{
	const char *what = strchr(msg + 10, ':');
	size_t i, len;

	if (strncmp(msg, "Lockdown: ", 10) || !what)
		return 0;
	what += 2;
	for (i = 0; i < sizeof(confidential_whats) / sizeof(char *); i++) {
		len = strlen(confidential_whats[i]);
		if (!strncmp(what, confidential_whats[i], len) &&
		    !strncmp(what + len, " is restricted", 14))
			return 1;
	}
	return 0;
}

/* Whether msg names process pid ("pid=PID" as a word). */
static int names_pid(const char *msg, int pid)
{
	char word[32];
	const char *p;
	size_t len = snprintf(word, sizeof(word), "pid=%d", pid);

	for (p = strstr(msg, word); p; p = strstr(p + 1, word))
		if ((p == msg || p[-1] == ' ') &&
		    (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

/* A Lockdown line as evidence, without its "; see man ...". */
static void keep_lockdown(char *dst, const char *msg)
{
	snprintf(dst, PERM_EVIDENCE, "the kernel log: \"%.*s\"",
		 (int)strcspn(msg, ";"), msg);
}

/*
 * One message of the kernel log: a Lockdown line, where securityfs did
 * not tell the mode (ours, or the op's, is kept over another: the kernel
 * logs them rate-limited, and a boot's own may be all there is), or an
 * LSM denial of pid.
 */
static void kmsg_one(const char *msg, int pid, const char *comm,
		     const char *want, struct perm_facts *f, int *lock_rank)
{
	char mine[64];
	int rank;

	if (f->lockdown == PERM_LOCKDOWN_UNKNOWN && confidential_line(msg)) {
		snprintf(mine, sizeof(mine), "Lockdown: %s: ", comm);
		rank = 1 + !strncmp(msg, mine, strlen(mine)) +
		       2 * (strstr(msg, want) != NULL);
		if (rank > *lock_rank) {
			*lock_rank = rank;
			keep_lockdown(f->lockdown_how, msg);
		}
		return;
	}
	if (f->lsm_denied_by || !names_pid(msg, pid))
		return;
	if (strstr(msg, "avc:") && strstr(msg, "denied"))
		f->lsm_denied_by = "SELinux";
	else if (strstr(msg, "apparmor=\"DENIED\""))
		f->lsm_denied_by = "AppArmor";
	else
		return;
	snprintf(f->lsm_denial, sizeof(f->lsm_denial), "%s", msg);
}

/*
 * The kernel log, once: /dev/kmsg gives one record a read(), "PRI,SEQ,
 * TIME,FLAGS;MESSAGE" and then lines of its own that start with a blank;
 * a file (a test's) gives many a read.  Lines are split alike.
 */
static void scan_kmsg(const char *path, int pid, const char *comm,
		      const char *want, struct perm_facts *f)
{
	char buf[8192 + 1], *line, *nl, *msg;
	size_t have = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int rank = 0;
	ssize_t n;

	if (fd < 0)
		return;
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten meanwhile */
		/* The end of the log: EAGAIN (/dev/kmsg) or 0 (a file). */
		f->kmsg_read |= !n || (n < 0 && errno == EAGAIN);
		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			msg = strchr(line, ';');
			if (line[0] != ' ' && msg)
				kmsg_one(msg + 1, pid, comm, want, f, &rank);
		}
		have = buf + have - line;
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1)
			have = 0;	/* a line too long to matter */
	}
	close(fd);
	if (rank)
		f->lockdown = PERM_LOCKDOWN_CONFIDENTIALITY;
}

/* "CapEff:\t000001ffffffffff", as /proc/PID/status has it. */
static int cap_eff(const char *line, unsigned long long *eff)
{
	const char *p = line + strlen("CapEff:");
	unsigned long v;

	if (strncmp(line, "CapEff:", strlen("CapEff:")))
		return -EINVAL;
	p += strspn(p, " \t");
	if (num_ulong(p, NULL, 16, &v) == -EINVAL)
		return -EINVAL;
	*eff = v;
	return 0;
}

static int caps_read(const char *path, unsigned long long *eff)
{
	char line[256];
	FILE *f = fopen(path, "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = !cap_eff(line, eff);
	fclose(f);
	return found;
}

int perm_has_cap(unsigned int cap)
{
	unsigned long long eff = 0;

	return caps_read("/proc/self/status", &eff) && cap < 64 &&
	       (eff >> cap & 1);
}

/* Whether the comma-separated list of active LSMs holds name. */
static int lsm_listed(const char *path, const char *name)
{
	char line[512], *tok, *save = NULL;

	if (first_line(path, line, sizeof(line)))
		return 0;
	for (tok = strtok_r(line, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, name))
			return 1;
	return 0;
}

/* The BPF LSM programs loaded, one of them kept; -1 when not told. */
static int bpf_lsm_programs(struct perm_facts *f)
{
	struct bpf_prog_info info;
	unsigned int id = 0;
	int n = 0, fd, err;

	while (!(err = bpf_prog_next_id(id, &id))) {
		fd = bpf_prog_get_fd_by_id(id);
		if (fd < 0)
			continue;	/* gone meanwhile */
		memset(&info, 0, sizeof(info));
		if (!bpf_prog_get_info(fd, &info) &&
		    info.type == PROG_TYPE_LSM && !n++) {
			f->bpf_lsm_id = id;
			snprintf(f->bpf_lsm_name, sizeof(f->bpf_lsm_name),
				 "%s", info.name);
		}
		close(fd);
	}
	return err == -ENOENT ? n : -1;
}

/* The AppArmor profile confining show_bt, if one that refuses does. */
static void apparmor_profile(const char *path, struct perm_facts *f)
{
	char line[PERM_EVIDENCE];
	int ret = first_line(path ? path : "/proc/self/attr/apparmor/current",
			     line, sizeof(line));

	/* Before 5.8 AppArmor has only the shared file, where SELinux
	 * could be speaking: only its "PROFILE (mode)" is taken. */
	if (ret && !path)
		ret = first_line("/proc/self/attr/current", line,
				 sizeof(line));
	if (ret)
		return;
	if (strstr(line, " (enforce)") || strstr(line, " (kill)"))
		snprintf(f->apparmor_profile, sizeof(f->apparmor_profile),
			 "%s", line);
}

void perm_gather(const struct perm_env *env, enum perm_op op,
		 struct perm_facts *f)
{
	static const struct perm_env none;
	char comm[32];
	int enforce;

	if (!env)
		env = &none;
	memset(f, 0, sizeof(*f));
	f->lockdown = lockdown_file(or_default(env->lockdown, LOCKDOWN_PATH),
				    f->lockdown_how, sizeof(f->lockdown_how));
	if (f->lockdown == PERM_LOCKDOWN_UNKNOWN)
		f->lockdown_how[0] = '\0';
	f->caps_known = caps_read(or_default(env->status, "/proc/self/status"),
				  &f->cap_eff);
	read_int(or_default(env->cap_last_cap,
			    "/proc/sys/kernel/cap_last_cap"), &f->cap_last);
	read_int(or_default(env->paranoid,
			    "/proc/sys/kernel/perf_event_paranoid"),
		 &f->paranoid);
	if (env->comm)
		snprintf(comm, sizeof(comm), "%s", env->comm);
	else if (first_line("/proc/self/comm", comm, sizeof(comm)))
		snprintf(comm, sizeof(comm), "show_bt");
	scan_kmsg(or_default(env->kmsg, KMSG_PATH),
		  env->pid ? env->pid : (int)getpid(), comm,
		  op == PERM_TRACEFS ? "use of tracefs" : "use of kprobes", f);
	if (!read_int(or_default(env->selinux_enforce,
				 "/sys/fs/selinux/enforce"), &enforce))
		f->selinux_enforcing = enforce == 1;
	apparmor_profile(env->apparmor, f);
	f->bpf_lsm = lsm_listed(or_default(env->lsm, LSM_PATH), "bpf");
	f->bpf_lsm_progs = -1;
	if (f->bpf_lsm && !env->no_bpf)
		f->bpf_lsm_progs = bpf_lsm_programs(f);
}

static int has(const struct perm_facts *f, unsigned int cap)
{
	return f->caps_known && (f->cap_eff >> cap & 1);
}

/* The kernel knows CAP_BPF and CAP_PERFMON (5.8): unknown counts as yes. */
static int new_caps(const struct perm_facts *f)
{
	return f->cap_last < 0 || f->cap_last >= CAP_BPF_BIT;
}

/* What op needs that show_bt lacks, as words: "" when it lacks nothing. */
static const char *caps_missing(const struct perm_facts *f,
				enum perm_op op)
{
	int admin = has(f, CAP_SYS_ADMIN_BIT);
	int bpf = new_caps(f) && has(f, CAP_BPF_BIT);
	int perfmon = new_caps(f) && has(f, CAP_PERFMON_BIT);

	if (admin)
		return "";
	if (!new_caps(f))
		return "CAP_SYS_ADMIN (this kernel has no CAP_BPF or CAP_PERFMON)";
	switch (op) {
	case PERM_MAP_CREATE:
		return bpf ? "" : "CAP_SYS_ADMIN, or CAP_BPF";
	case PERM_PROG_LOAD:
		if (bpf && perfmon)
			return "";
		return bpf ? "CAP_SYS_ADMIN, or CAP_PERFMON beside CAP_BPF" :
		       perfmon ? "CAP_SYS_ADMIN, or CAP_BPF beside CAP_PERFMON" :
				 "CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON";
	case PERM_KPROBE:
		return perfmon ? "" : "CAP_SYS_ADMIN, or CAP_PERFMON";
	case PERM_TRACEFS:
		if (has(f, CAP_DAC_OVERRIDE_BIT) ||
		    has(f, CAP_DAC_READ_SEARCH_BIT))
			return "";
		return "CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH (tracefs is root's)";
	}
	return "";
}

static const char *what_locked(enum perm_op op)
{
	return op == PERM_TRACEFS ? "tracefs" : "kprobes";
}

/* Appends to buf at *len, which stays within size. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + n < size ? *len + n : size - 1;
}

/* The LSM step: a denial logged, or an LSM that could refuse. */
static int lsm_said(const struct perm_facts *f, char *buf, size_t size,
		    size_t *len)
{
	if (f->lsm_denied_by) {
		add(buf, size, len, "%s denied it (the kernel log: \"%.160s\")",
		    f->lsm_denied_by, f->lsm_denial);
		return 1;
	}
	if (!f->selinux_enforcing && !f->apparmor_profile[0] &&
	    f->bpf_lsm_progs <= 0)
		return 0;
	add(buf, size, len, "lockdown, capabilities and kernel.perf_event_paranoid allow it, but ");
	if (f->selinux_enforcing)
		add(buf, size, len, "SELinux is enforcing (/sys/fs/selinux/enforce is 1)%s",
		    f->apparmor_profile[0] || f->bpf_lsm_progs > 0 ? "; " : "");
	if (f->apparmor_profile[0])
		add(buf, size, len, "show_bt is confined by the AppArmor profile %s%s",
		    f->apparmor_profile, f->bpf_lsm_progs > 0 ? "; " : "");
	if (f->bpf_lsm_progs > 0)
		add(buf, size, len, "%d BPF LSM program%s loaded (such as id %u, %s)",
		    f->bpf_lsm_progs, f->bpf_lsm_progs == 1 ? " is" : "s are",
		    f->bpf_lsm_id, f->bpf_lsm_name[0] ? f->bpf_lsm_name :
							"unnamed");
	add(buf, size, len, ", and %s: its denials are in the audit log%s",
	    f->selinux_enforcing + !!f->apparmor_profile[0] +
	    (f->bpf_lsm_progs > 0) > 1 ? "each may refuse it" :
					 "that may refuse it",
	    f->kmsg_read ? "" : " (the kernel log cannot be read here)");
	return 1;
}

void perm_explain(const struct perm_facts *f, enum perm_op op, int e,
		  char *buf, size_t size)
{
	const char *missing = caps_missing(f, op);
	size_t len = 0;

	add(buf, size, &len, "%s: ", strerror(-e));
	/* 1. Nothing else can help: root is refused too, until reboot. */
	if ((op == PERM_KPROBE || op == PERM_TRACEFS) &&
	    f->lockdown == PERM_LOCKDOWN_CONFIDENTIALITY) {
		add(buf, size, &len, "the kernel is locked down for confidentiality (%s), which forbids %s to every process, root included, until the next boot (the lockdown= boot option, or Secure Boot's policy, sets it)",
		    f->lockdown_how, what_locked(op));
		return;
	}
	/* 2. */
	if (f->caps_known && missing[0]) {
		add(buf, size, &len, "show_bt lacks %s (CapEff in /proc/self/status is %016llx): run as root (or with CAP_BPF and CAP_PERFMON)",
		    missing, f->cap_eff);
		return;
	}
	/* 3. Debian's and Ubuntu's perf_event_paranoid 3 (and above). */
	if (op == PERM_KPROBE && f->caps_known &&
	    !has(f, CAP_SYS_ADMIN_BIT) && f->paranoid > 2) {
		add(buf, size, &len, "kernel.perf_event_paranoid is %d, and above 2 perf events need CAP_SYS_ADMIN, which show_bt lacks (CAP_PERFMON does not do there): set it to 2 (sysctl kernel.perf_event_paranoid=2), or run as root",
		    f->paranoid);
		return;
	}
	/* 4. */
	if (lsm_said(f, buf, size, &len))
		return;
	add(buf, size, &len, "the kernel refused it, and the cause could not be determined: ");
	if (f->lockdown == PERM_LOCKDOWN_UNKNOWN &&
	    (op == PERM_KPROBE || op == PERM_TRACEFS))
		add(buf, size, &len, "the kernel lockdown could not be read (no %s: securityfs is not mounted there, or the kernel has no lockdown LSM)",
		    LOCKDOWN_PATH);
	else
		add(buf, size, &len, "not kernel lockdown%s%s%s",
		    f->lockdown_how[0] ? " (" : "", f->lockdown_how,
		    f->lockdown_how[0] ? ")" : "");
	if (f->caps_known)
		add(buf, size, &len, ", nor capabilities (CapEff %016llx)",
		    f->cap_eff);
	else
		add(buf, size, &len, ", capabilities unknown (no CapEff in /proc/self/status)");
	add(buf, size, &len, "; %s",
	    f->kmsg_read ? "the kernel log names no LSM denial" :
			   "the kernel log, where an LSM would say it denied it, cannot be read");
}

void perm_reason(enum perm_op op, int e, char *buf, size_t size)
{
	struct perm_facts f;

	perm_gather(NULL, op, &f);
	perm_explain(&f, op, e, buf, size);
}
