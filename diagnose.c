// SPDX-License-Identifier: GPL-2.0
/* diagnose.c - why the kernel refused a probe; see diagnose.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "kallsyms.h"
#include "kprobe.h"
#include "msg.h"
#include "perm.h"

/*
 * kprobes on function entries ride on ftrace on x86, and arming one while
 * ftrace is switched off leaves ftrace broken until reboot.
 */
int diag_kprobes_usable(struct kview *kv, char *err, size_t size)
{
	int type = kview_kprobe_type(kv);

	if (type < 0)
		return msg_fail(err, size, type,
				"this kernel has no kprobe support (no %s): it was built without CONFIG_KPROBES",
				KPROBE_PMU_TYPE);
	if (kview_sysctl(kv, KVIEW_KPROBES_ENABLED) == 0)
		return msg_fail(err, size, -EPERM,
				"kprobes are switched off (%s is 0): echo 1 > %s",
				KPROBES_ENABLED, KPROBES_ENABLED);
#ifdef __x86_64__
	/*
	 * x86 puts a kprobe at a function's entry on ftrace's call site;
	 * arm64 (6.1) uses a breakpoint there as anywhere, without ftrace.
	 */
	if (kview_sysctl(kv, KVIEW_FTRACE_ENABLED) == 0)
		return msg_fail(err, size, -EPERM,
				"ftrace is switched off (kernel.ftrace_enabled is 0), and kprobes on function entries need it: sysctl kernel.ftrace_enabled=1");
#endif
	return type;
}

/* A kprobe_multi link rides on ftrace alone (no kprobe is made). */
int diag_ftrace_usable(struct kview *kv, char *err, size_t size)
{
	if (kview_sysctl(kv, KVIEW_FTRACE_ENABLED) == 0)
		return msg_fail(err, size, -EPERM,
				"ftrace is switched off (kernel.ftrace_enabled is 0), and probes on function entries need it: sysctl kernel.ftrace_enabled=1");
	return 0;
}

int diag_check_addr(struct kview *kv, const struct target *t, char *err,
		    size_t size)
{
	struct ksym_name_info info;
	unsigned int i;
	int ret = kview_lookup(kv, t->name, &info);

	if (ret == -EACCES)
		return msg_fail(err, size, ret,
				"cannot check %s@0x%lx: %s hides every address (kernel.kptr_restrict)",
				t->name, t->addr, KALLSYMS_PATH);
	if (ret)
		return msg_fail(err, size, ret, "cannot read %s: %s",
				KALLSYMS_PATH, strerror(-ret));
	for (i = 0; i < info.naddrs; i++)
		if (info.addrs[i] == t->addr)
			return 0;
	if (!info.naddrs)
		return msg_fail(err, size, -ENOENT, "no function %s in %s",
				t->name, KALLSYMS_PATH);
	return msg_fail(err, size, -ENOENT,
			"no function %s at 0x%lx: %s%u function%s of that name start%s at 0x%lx%s",
			t->name, t->addr, info.naddrs > 1 ? "the " : "",
			info.naddrs, info.naddrs > 1 ? "s" : "",
			info.naddrs > 1 ? "" : "s", info.addrs[0],
			info.naddrs > 1 ? ", ..." : "");
}

/*
 * Past NAME's end is another function.  On arm64 every instruction is 4
 * bytes and 4-aligned, and the kernel refuses any other address with a
 * bare EINVAL (x86's decoder answers EILSEQ, which diag_reason()
 * explains).  Addresses hidden: nothing to check against.
 */
int diag_check_offset(struct kview *kv, const struct target *t, char *err,
		      size_t size)
{
	struct ksym_name_info info;
	unsigned long base[KSYM_ADDRS_MAX], a;
	unsigned int i, n = 0;
	struct ksym sym;
	int ret;

	if (t->addr) {
		base[n++] = t->addr;
	} else {
		ret = kview_lookup(kv, t->name, &info);
		if (ret == -ENOMEM)
			return msg_fail(err, size, ret, "out of memory");
		for (n = 0; !ret && n < info.naddrs; n++)
			base[n] = info.addrs[n];
	}
	for (i = 0; i < n; i++) {
		a = base[i] + t->offset;
		ret = kview_resolve(kv, a, &sym);
		if (ret == -ENOMEM)
			return msg_fail(err, size, ret, "out of memory");
		if (ret || sym.addr == base[i])
			continue;
		if (sym.addr)
			return msg_fail(err, size, -ERANGE,
					"the offset is past the end of %.200s (that address is in %.200s+0x%lx)",
					t->name, sym.name, a - sym.addr);
		return msg_fail(err, size, -ERANGE,
				"the offset is past the end of %.200s",
				t->name);
	}
#ifdef __aarch64__
	if (t->offset % 4)
		return msg_fail(err, size, -EILSEQ,
				"offset 0x%lx is not on an instruction boundary of %.200s",
				t->offset, t->name);
#endif
	return 0;
}

static int within_init(const struct ksym_name_info *info)
{
	unsigned int i;

	if (!info->naddrs || !info->init_start || !info->init_end)
		return 0;
	for (i = 0; i < info->naddrs; i++)
		if (info->addrs[i] < info->init_start ||
		    info->addrs[i] >= info->init_end)
			return 0;
	return 1;
}

/* What /proc/kallsyms says of a name the kernel would not probe. */
static int symbol_reason(const struct target *t,
			 const struct ksym_name_info *info, char *buf,
			 size_t size)
{
	size_t len;
	unsigned int i;

	if (info->text) {
		if (!within_init(info))
			return 0;
		snprintf(buf, size, "it is __init code, freed after boot (%s is in .init.text)",
			 t->name);
		return 1;
	}
	if (info->other && (info->other_type | 0x20) == 'a') {
		snprintf(buf, size, "it is an absolute symbol (type '%c' in %s): a constant, not a function",
			 info->other_type, KALLSYMS_PATH);
		return 1;
	}
	if (info->other) {
		snprintf(buf, size, "it is a data symbol (type '%c' in %s), not a function",
			 info->other_type, KALLSYMS_PATH);
		return 1;
	}
	if (info->clones) {
		snprintf(buf, size, "no symbol %.200s in %s, but the compiler made %u clone%s of it, such as %.200s: probe %s by that name",
			 t->name, KALLSYMS_PATH, info->clones,
			 info->clones > 1 ? "s" : "", info->clone,
			 info->clones > 1 ? "them" : "it");
		return 1;
	}
	len = snprintf(buf, size, "no symbol in %s: no such function, inlined everywhere, or in a module that is not loaded",
		       KALLSYMS_PATH);
	for (i = 0; i < info->nsuggest && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s",
				i ? ", " : " (did you mean: ", info->suggest[i]);
	if (info->nsuggest && len < size)
		snprintf(buf + len, size - len, "?)");
	return 1;
}

/* The errors that say their cause alone: 1 if e is one (buf says it). */
static int errno_reason(const struct target *t, int e, char *buf, size_t size)
{
	/* Lockdown, capabilities, perf_event_paranoid, an LSM (perm.h). */
	if (e == -EPERM || e == -EACCES)
		perm_reason(PERM_KPROBE, e, buf, size);
	else if (e == -EMFILE || e == -ENFILE)
		snprintf(buf, size, "%s: each probe needs a file descriptor (raise ulimit -n)",
			 strerror(-e));
	else if (e == -ETOOMANYREFS)
		snprintf(buf, size, "more than %d functions share that name, more than show_bt probes at once: pick one with NAME@ADDR",
			 KSYM_ADDRS_MAX);
	else if (e == -EILSEQ)
		snprintf(buf, size, "offset 0x%lx is not on an instruction boundary of %s",
			 t->offset, t->name);
	else
		return 0;
	return 1;
}

/*
 * arm64: the offset is on an instruction inside the function (checked
 * before).  Refused with EINVAL on a function ftrace can trace, in its
 * first instructions: that is ftrace's call site (Debian's 6.1: NAME+4;
 * NAME itself is a breakpoint before it).  arm64 has no kprobes on ftrace
 * (Documentation/features: kprobes-on-ftrace TODO through 6.12), so a
 * kprobe may not share that instruction.  1 if that is the cause (buf
 * says it), 0 if not, -ENOMEM.
 */
static int ftrace_site_reason(struct kview *kv, const struct target *t, int e,
			      char *buf, size_t size)
{
#ifdef __aarch64__
	int traceable;

	if (!t->offset || t->offset > 8 || e != -EINVAL)
		return 0;
	traceable = kview_traceable(kv, t->name);
	if (traceable != 1)
		return traceable == -ENOMEM ? -ENOMEM : 0;
	snprintf(buf, size, "the kernel refused the kprobe (%s): %s+0x%lx is the instruction ftrace patches to call its trampoline, and arm64 puts no kprobe on it (it has no kprobes on ftrace): probe %s itself, or %s+0x%lx",
		 strerror(-e), t->name, t->offset, t->name, t->name,
		 t->offset + 4);
	return 1;
#else
	(void)kv, (void)t, (void)e, (void)buf, (void)size;
	return 0;
#endif
}

void diag_reason(struct kview *kv, const struct target *t, int e, char *buf,
		 size_t size)
{
	const char *why = strerror(-e);
	struct ksym_name_info info;
	int ret, listed, traceable;

	if (errno_reason(t, e, buf, size))
		return;
	ret = kview_lookup(kv, t->name, &info);
	if (ret == -ENOMEM)
		goto oom;
	if (ret == -EACCES && e == -EADDRNOTAVAIL) {
		snprintf(buf, size, "several functions share that name, and %s hides their addresses (kernel.kptr_restrict): they cannot be told apart",
			 KALLSYMS_PATH);
		return;
	}
	if (ret == 0 && symbol_reason(t, &info, buf, size))
		return;
	if (e == -EADDRNOTAVAIL) {
		snprintf(buf, size, "%u functions share that name (%s)",
			 info.text, why);
		return;
	}
	listed = kview_blacklisted(kv, t->name);
	if (listed < 0)
		goto oom;
	if (listed) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): %s is listed in %s",
			 why, t->name, KPROBE_BLACKLIST);
		return;
	}
	ret = ftrace_site_reason(kv, t, e, buf, size);
	if (ret < 0)
		goto oom;
	if (ret)
		return;
	if (t->offset) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): the offset must fall on an instruction inside the function",
			 why);
		return;
	}
	/* 0: ftrace's list is there and lacks it; unknown counts as yes. */
	traceable = e == -EINVAL ? kview_traceable(kv, t->name) : 1;
	if (traceable == -ENOMEM)
		goto oom;
	if (!traceable) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): ftrace cannot trace %s (notrace), and this kernel allows kprobes on such functions only with CONFIG_KPROBE_EVENTS_ON_NOTRACE",
			 why, t->name);
		return;
	}
	snprintf(buf, size, "the kernel refused the kprobe (%s); it may be blacklisted (see %s)",
		 why, KPROBE_BLACKLIST);
	return;
oom:
	snprintf(buf, size, "the kernel refused the kprobe (%s); show_bt ran out of memory looking for why",
		 why);
}

void diag_explain(struct kview *kv, const struct target *t, int e,
		  char *err, size_t size)
{
	char desc[KSYM_NAME_LEN + 32], why[1024];

	target_desc(t, desc, sizeof(desc));
	diag_reason(kv, t, e, why, sizeof(why));
	msg_fail(err, size, 0, "cannot probe %.300s: %.700s", desc, why);
}
