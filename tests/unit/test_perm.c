// SPDX-License-Identifier: GPL-2.0
/*
 * test_perm.c - the cause perm.c gives an EPERM or EACCES, from files
 * standing in for securityfs, /proc/self/status, the sysctls, the kernel
 * log and the LSMs' own files: kernel lockdown first, then capabilities,
 * then perf_event_paranoid where it applies, then an LSM, else "could not
 * be determined", and never a cause the files do not show.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../perm.h"
#include "unit.h"

static const char *work;
static char path[9][4096];

enum { P_LOCKDOWN, P_STATUS, P_LAST, P_PARANOID, P_KMSG, P_ENFORCE,
       P_APPARMOR, P_LSM, P_MISSING };

#define ALL_CAPS	"000001ffffffffff"
#define NO_CAPS		"0000000000000000"
#define BPF_PERFMON	"000000c000000000"	/* CAP_BPF, CAP_PERFMON */
#define ADMIN_ONLY	"0000000000200000"	/* CAP_SYS_ADMIN */

/* One machine: each field a file's text, NULL for no such file. */
struct machine {
	const char *lockdown, *capeff, *last_cap, *paranoid, *kmsg,
		   *enforce, *apparmor;
};

static int put(int i, const char *text)
{
	FILE *f;

	unlink(path[i]);
	if (!text)
		return 1;
	f = fopen(path[i], "w");
	if (!f)
		return 0;
	fputs(text, f);
	return fclose(f) == 0;
}

/* Why op with e on machine m, into buf. */
static void why(const struct machine *m, enum perm_op op, int e, char *buf,
		size_t size)
{
	char status[128];
	struct perm_env env = {
		.lockdown = path[P_LOCKDOWN], .status = path[P_STATUS],
		.cap_last_cap = path[P_LAST], .paranoid = path[P_PARANOID],
		.kmsg = path[P_KMSG], .selinux_enforce = path[P_ENFORCE],
		.apparmor = path[P_APPARMOR], .lsm = path[P_MISSING],
		.pid = 4242, .comm = "show_bt", .no_bpf = 1,
	};
	struct perm_facts f;

	snprintf(status, sizeof(status), "Name:\tshow_bt\nCapEff:\t%s\n",
		 m->capeff);
	buf[0] = '\0';
	if (!put(P_LOCKDOWN, m->lockdown) ||
	    !put(P_STATUS, m->capeff ? status : NULL) ||
	    !put(P_LAST, m->last_cap ? m->last_cap : "40\n") ||
	    !put(P_PARANOID, m->paranoid ? m->paranoid : "2\n") ||
	    !put(P_KMSG, m->kmsg) || !put(P_ENFORCE, m->enforce) ||
	    !put(P_APPARMOR, m->apparmor)) {
		test_fail("cannot write the files in %s", work);
		return;
	}
	perm_gather(&env, op, &f);
	perm_explain(&f, op, e, buf, size);
}

/* The case passes if op's line has want (and not unwanted, if given). */
static void expect(const char *name, const struct machine *m,
		   enum perm_op op, int e, const char *want,
		   const char *unwanted)
{
	char buf[1024];

	why(m, op, e, buf, sizeof(buf));
	EXPECT(strstr(buf, want), "want '%s' in: %s", want, buf);
	EXPECT(!unwanted || !strstr(buf, unwanted), "'%s' in: %s",
	       unwanted, buf);
	EXPECT(!strchr(buf, '\n'), "a newline in: %s", buf);
	test_end(name);
}

static const char locked_file[] = "none integrity [confidentiality]\n";
static const char lock_log[] =
	"5,1,100,-;Kernel is locked down from command line; see man kernel_lockdown.7\n"
	"5,2,200,-;Lockdown: swapper/0: use of tracefs is restricted; see man kernel_lockdown.7\n"
	"5,3,300,-;Lockdown: show_bt: use of kprobes is restricted; see man kernel_lockdown.7\n"
	" SUBSYSTEM=whatever\n";
static const char integrity_log[] =
	"5,1,100,-;Lockdown: show_bt: debugfs access is restricted; see man kernel_lockdown.7\n";
static const char avc_log[] =
	"5,1,100,-;audit: type=1400 audit(1.2:3): avc:  denied  { perfmon } for  pid=42 comm=\"other\" capability=38\n"
	"5,2,200,-;audit: type=1400 audit(1.2:4): avc:  denied  { perfmon } for  pid=4242 comm=\"show_bt\" capability=38 scontext=u:r:t:s0\n";
static const char other_avc_log[] =
	"5,1,100,-;audit: type=1400 audit(1.2:3): avc:  denied  { perfmon } for  pid=42424 comm=\"show_bt\" capability=38\n";
static const char apparmor_log[] =
	"5,1,100,-;audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" operation=\"capable\" profile=\"sbt\" pid=4242 comm=\"show_bt\" capability=38\n";

static void lockdown_first(void)
{
	char buf[1024];
	const struct machine locked = { locked_file, ALL_CAPS, 0, "3\n",
					"", 0, 0 };
	const struct machine locked_no_caps = { locked_file, NO_CAPS, 0, 0,
						"", 0, 0 };
	const struct machine log_only = { NULL, ALL_CAPS, 0, "3\n", lock_log,
					  0, 0 };
	const struct machine file_and_log = { locked_file, ALL_CAPS, 0, 0,
					      lock_log, 0, 0 };
	const struct machine integrity = { "none [integrity] confidentiality\n",
					   ALL_CAPS, 0, 0, integrity_log, 0,
					   0 };

	expect("perm_lockdown_kprobe", &locked, PERM_KPROBE, -EPERM,
	       "lockdown: none integrity [confidentiality]), which forbids kprobes to every process, root included, until the next boot",
	       "paranoid");
	expect("perm_lockdown_tracefs", &locked, PERM_TRACEFS, -EPERM,
	       "none integrity [confidentiality]), which forbids tracefs",
	       NULL);
	expect("perm_lockdown_before_capabilities", &locked_no_caps,
	       PERM_KPROBE, -EACCES, "locked down for confidentiality",
	       "lacks");
	expect("perm_lockdown_from_the_log", &log_only, PERM_KPROBE, -EPERM,
	       "locked down for confidentiality (the kernel log: \"Lockdown: show_bt: use of kprobes is restricted\")",
	       "see man");
	/* The file, where there is one, over the log's rate-limited lines. */
	expect("perm_lockdown_file_over_log", &file_and_log, PERM_KPROBE,
	       -EPERM, "lockdown: none integrity [confidentiality]), which forbids kprobes",
	       "the kernel log");
	expect("perm_lockdown_from_the_log_tracefs", &log_only, PERM_TRACEFS,
	       -EPERM, "(the kernel log: \"Lockdown: swapper/0: use of tracefs is restricted\")",
	       NULL);
	/* Maps and programs: lockdown does not refuse them. */
	expect("perm_lockdown_not_maps", &locked, PERM_MAP_CREATE, -EPERM,
	       "could not be determined", "locked down");
	/* Integrity mode allows kprobes; its debugfs line tells nothing. */
	why(&integrity, PERM_KPROBE, -EPERM, buf, sizeof(buf));
	EXPECT(strstr(buf, "could not be determined: not kernel lockdown (") &&
	       strstr(buf, "perm_lockdown: none [integrity] confidentiality), nor capabilities") &&
	       !strstr(buf, "locked down for"), "got: %s", buf);
	test_end("perm_integrity_allows_kprobes");
}

static void capabilities(void)
{
	const struct machine nobody = { "[none] integrity confidentiality\n",
					NO_CAPS, 0, 0, "", 0, 0 };
	const struct machine old = { "[none] integrity confidentiality\n",
				     BPF_PERFMON, "37\n", 0, "", 0, 0 };
	const struct machine bpf_perfmon = { "[none] integrity confidentiality\n",
					     BPF_PERFMON, 0, "3\n", "", 0, 0 };
	const struct machine bpf_perfmon_2 = { "[none] integrity confidentiality\n",
					       BPF_PERFMON, 0, "2\n", "", 0,
					       0 };
	const struct machine admin = { "[none] integrity confidentiality\n",
				       ADMIN_ONLY, 0, "3\n", "", 0, 0 };

	expect("perm_caps_map", &nobody, PERM_MAP_CREATE, -EPERM,
	       "Operation not permitted: show_bt lacks CAP_SYS_ADMIN, or CAP_BPF (CapEff in /proc/self/status is 0000000000000000): run as root (or with CAP_BPF and CAP_PERFMON)",
	       NULL);
	expect("perm_caps_kprobe", &nobody, PERM_KPROBE, -EACCES,
	       "Permission denied: show_bt lacks CAP_SYS_ADMIN, or CAP_PERFMON",
	       "paranoid");
	expect("perm_caps_before_5_8", &old, PERM_KPROBE, -EACCES,
	       "lacks CAP_SYS_ADMIN (this kernel has no CAP_BPF or CAP_PERFMON)",
	       NULL);
	expect("perm_paranoid_applies", &bpf_perfmon, PERM_KPROBE, -EACCES,
	       "kernel.perf_event_paranoid is 3, and above 2 perf events need CAP_SYS_ADMIN, which show_bt lacks",
	       "or with CAP_BPF and CAP_PERFMON");
	expect("perm_paranoid_not_loads", &bpf_perfmon, PERM_PROG_LOAD,
	       -EPERM, "could not be determined", "paranoid");
	expect("perm_paranoid_2", &bpf_perfmon_2, PERM_KPROBE, -EACCES,
	       "could not be determined", "paranoid is");
	expect("perm_paranoid_not_for_admin", &admin, PERM_KPROBE, -EACCES,
	       "could not be determined", "paranoid is");
	expect("perm_caps_tracefs", &bpf_perfmon, PERM_TRACEFS, -EACCES,
	       "show_bt lacks CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH (tracefs is root's)",
	       NULL);
}

static void lsms(void)
{
	const struct machine avc = { "[none] integrity confidentiality\n",
				     ALL_CAPS, 0, 0, avc_log, "1\n", 0 };
	const struct machine other_avc = { "[none] integrity confidentiality\n",
					   ALL_CAPS, 0, 0, other_avc_log, 0,
					   0 };
	const struct machine aa_log = { "[none] integrity confidentiality\n",
					ALL_CAPS, 0, 0, apparmor_log, 0, 0 };
	const struct machine enforcing = { "[none] integrity confidentiality\n",
					   ALL_CAPS, 0, 0, NULL, "1\n", 0 };
	const struct machine permissive = { "[none] integrity confidentiality\n",
					    ALL_CAPS, 0, 0, "", "0\n", 0 };
	const struct machine confined = { "[none] integrity confidentiality\n",
					  ALL_CAPS, 0, 0, "",  0,
					  "sbt (enforce)\n" };
	const struct machine unconfined = { "[none] integrity confidentiality\n",
					    ALL_CAPS, 0, 0, "", 0,
					    "unconfined\n" };
	const struct machine unknown = { NULL, ALL_CAPS, 0, 0, NULL, 0, 0 };

	expect("perm_selinux_logged", &avc, PERM_KPROBE, -EACCES,
	       "SELinux denied it (the kernel log: \"audit: type=1400 audit(1.2:4): avc:  denied  { perfmon } for  pid=4242 ",
	       NULL);
	expect("perm_selinux_other_pid", &other_avc, PERM_KPROBE, -EACCES,
	       "the kernel log names no LSM denial", "SELinux");
	expect("perm_apparmor_logged", &aa_log, PERM_MAP_CREATE, -EPERM,
	       "AppArmor denied it (the kernel log: ", NULL);
	expect("perm_selinux_enforcing", &enforcing, PERM_KPROBE, -EACCES,
	       "but SELinux is enforcing (/sys/fs/selinux/enforce is 1), and that may refuse it: its denials are in the audit log (the kernel log cannot be read here)",
	       NULL);
	expect("perm_selinux_permissive", &permissive, PERM_KPROBE, -EACCES,
	       "could not be determined", "SELinux");
	expect("perm_apparmor_confined", &confined, PERM_PROG_LOAD, -EPERM,
	       "show_bt is confined by the AppArmor profile sbt (enforce)",
	       NULL);
	expect("perm_apparmor_unconfined", &unconfined, PERM_PROG_LOAD,
	       -EPERM, "could not be determined", "AppArmor");
	expect("perm_nothing_known", &unknown, PERM_KPROBE, -EPERM,
	       "Operation not permitted: the kernel refused it, and the cause could not be determined: the kernel lockdown could not be read (no /sys/kernel/security/lockdown: securityfs is not mounted there, or the kernel has no lockdown LSM), nor capabilities (CapEff 000001ffffffffff); the kernel log, where an LSM would say it denied it, cannot be read",
	       NULL);
}

int main(int argc, char **argv)
{
	static const char *const names[] = {
		"lockdown", "status", "cap_last_cap", "paranoid", "kmsg",
		"enforce", "apparmor", "lsm", "missing",
	};
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	work = argv[1];
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		snprintf(path[i], sizeof(path[i]), "%s/perm_%s", work,
			 names[i]);
	unlink(path[P_MISSING]);
	lockdown_first();
	capabilities();
	lsms();
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		unlink(path[i]);
	return 0;
}
