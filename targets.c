// SPDX-License-Identifier: GPL-2.0
/* targets.c - from FUNCTION arguments to targets; see targets.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "glob.h"
#include "diagnose.h"
#include "kprobe.h"
#include "msg.h"
#include "perm.h"
#include "probes.h"
#include "targets.h"
#include "tracepoint.h"

static struct target *target_add(struct probes *p, size_t *cap)
{
	struct target *t;

	if (p->ntargets == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		t = realloc(p->targets, *cap * sizeof(*t));
		if (!t)
			return NULL;
		p->targets = t;
	}
	t = &p->targets[p->ntargets++];
	memset(t, 0, sizeof(*t));
	return t;
}

/*
 * A function a pattern may pick: ftrace can trace it (so it is kernel
 * text, not freed init code, not notrace), the kprobe blacklist does not
 * hold it, and it is not a .cold fragment split off a function.  1 or 0,
 * or -ENOMEM.
 */
static int pickable(struct kview *kv, const char *name)
{
	int listed;

	if (strstr(name, ".cold") ||
	    !strncmp(name, "__ftrace_invalid_address__", 26))
		return 0;
	listed = kview_blacklisted(kv, name);
	return listed < 0 ? listed : !listed;
}

/*
 * Why ftrace's list of traceable functions cannot be read (ret), which a
 * pattern needs.  Locked down for confidentiality, the kernel refuses
 * tracefs (EPERM) or, locked down from boot, never made its files
 * (ENOENT): the lockdown is the cause either way, and said first.
 */
static int no_traceable_list(const struct func_spec *spec, int ret,
			     char *err, size_t size)
{
	struct perm_facts f;
	char why[1024];

	perm_gather(NULL, PERM_TRACEFS, &f);
	if (ret == -EPERM || ret == -EACCES ||
	    f.lockdown == PERM_LOCKDOWN_CONFIDENTIALITY) {
		perm_explain(&f, PERM_TRACEFS, ret, why, sizeof(why));
		return msg_fail(err, size, ret == -ENOENT ? -EPERM : ret,
				"cannot list traceable functions for '%s' (%s): %s",
				spec->arg, KVIEW_TRACEABLE, why);
	}
	return msg_fail(err, size, -ENOENT,
			"cannot list traceable functions for '%s': no %s (mount tracefs: mount -t tracefs none /sys/kernel/tracing)",
			spec->arg, KVIEW_TRACEABLE);
}

static int expand_pattern(const struct func_spec *spec, struct probes *p,
			  size_t *cap, char *err, size_t size)
{
	size_t before = p->ntargets, refused = 0, n, i;
	char *const *names;
	struct target *t;
	int ret = kview_traceable_list(&p->kv, &names, &n);

	if (ret == -ENOMEM)
		return msg_fail(err, size, ret, "out of memory");
	if (ret)
		return no_traceable_list(spec, ret, err, size);
	for (i = 0; i < n; i++) {
		if (!glob_match(spec->name, names[i]))
			continue;
		ret = pickable(&p->kv, names[i]);
		if (ret < 0)
			return msg_fail(err, size, ret, "out of memory");
		if (!ret) {
			refused++;
			continue;
		}
		t = target_add(p, cap);
		if (!t)
			return msg_fail(err, size, -ENOMEM, "out of memory");
		snprintf(t->name, sizeof(t->name), "%s", names[i]);
		t->from_pattern = 1;
	}
	if (p->ntargets == before)
		return msg_fail(err, size, -ENOENT,
				"no traceable function matches '%s' (%zu on the kprobe blacklist); patterns pick among the functions ftrace can trace, a function named alone is probed with a breakpoint",
				spec->arg, refused);
	return 0;
}

static int target_cmp(const void *pa, const void *pb)
{
	const struct target *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	return 0;
}

/* A function named twice (or matched by two patterns) is probed once. */
static void targets_dedup(struct probes *p)
{
	size_t i, u = 0;

	if (p->ntargets < 2)
		return;
	qsort(p->targets, p->ntargets, sizeof(*p->targets), target_cmp);
	for (i = 1; i < p->ntargets; i++) {
		if (target_cmp(&p->targets[u], &p->targets[i]))
			p->targets[++u] = p->targets[i];
		else if (!p->targets[i].from_pattern)
			p->targets[u].from_pattern = 0;
	}
	p->ntargets = u + 1;
}

struct keyed {
	unsigned long key;	/* address + offset; 0 when unknown */
	size_t i;		/* index into p->targets */
};

static int keyed_cmp(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * Whether another target names t's function at offset 4.  plus4 lists
 * the targets at offset 4 (nplus4 of them: almost always none, so that a
 * pattern of thousands of functions costs nothing here).
 */
static int has_plus4(const struct target *t, const struct target **plus4,
		     size_t nplus4)
{
	size_t i;

	for (i = 0; i < nplus4; i++)
		if (plus4[i]->addr == t->addr &&
		    !strcmp(plus4[i]->name, t->name))
			return 1;
	return 0;
}

/*
 * The probe site of t: its start plus its offset, where NAME (offset 0)
 * beside NAME+4 is asked of the kernel, which skips an ENDBR on x86 with
 * IBT and so probes NAME+4 for both.  0 when unknown, or -ENOMEM.
 */
static int site_key(struct probes *p, const struct target *t,
		    const struct target **plus4, size_t nplus4,
		    unsigned long *key)
{
	unsigned long off = t->offset;
	long site;

	*key = 0;
	if (!off && has_plus4(t, plus4, nplus4)) {
		site = kview_entry_site(&p->kv, t->name);
		if (site == -ENOMEM)
			return -ENOMEM;
		if (site == 4)
			off = 4;
	}
	if (t->kaddr)
		*key = t->kaddr + off;
	return 0;
}

/*
 * Two arguments can name one function: an alias, or NAME and NAME@ADDR.
 * Probed twice, each call would count twice.  Of the targets that land on
 * one address+offset (targets_locate() found the addresses; names are
 * sorted here) the first stays.  A shared name is probed at all its
 * addresses, so NAME@ADDR beside NAME goes too.  *dropped: how many
 * targets went.  Returns 0 or -ENOMEM.
 */
static int targets_dedup_addrs(struct probes *p, size_t *dropped)
{
	size_t n = p->ntargets, i, u, nplus4 = 0;
	struct keyed *k = calloc(n + 1, sizeof(*k));
	char *drop = calloc(n + 1, 1);
	const struct target **plus4 = calloc(n + 1, sizeof(*plus4));
	int err = -ENOMEM;

	*dropped = 0;
	if (!k || !drop || !plus4)
		goto out;
	for (i = 0; i < n; i++)
		if (p->targets[i].offset == 4)
			plus4[nplus4++] = &p->targets[i];
	for (i = 0; i < n; i++) {
		const struct target *t = &p->targets[i];

		k[i].i = i;
		err = site_key(p, t, plus4, nplus4, &k[i].key);
		if (err)
			goto out;
		/* NAME@ADDR beside a shared NAME, same offset: covered. */
		if (t->addr && i > 0 && t->copies > 1 &&
		    !strcmp(p->targets[i - 1].name, t->name) &&
		    !p->targets[i - 1].addr &&
		    p->targets[i - 1].offset == t->offset)
			drop[i] = 1;
	}
	qsort(k, n, sizeof(*k), keyed_cmp);
	for (i = 1; i < n; i++)
		if (k[i].key && k[i].key == k[i - 1].key)
			drop[k[i].i] = 1;
	for (i = 0, u = 0; i < n; i++) {
		if (drop[i]) {
			(*dropped)++;
			continue;
		}
		p->targets[u++] = p->targets[i];
	}
	p->ntargets = u;
	err = 0;
out:
	free(k);
	free(drop);
	free(plus4);
	return err;
}

/*
 * Every target's address and how many functions share its name (t->kaddr,
 * t->copies), and whether the kernel has kprobe_multi links, from the
 * view's kallsyms.  Returns 0; -ENOMEM; or another negative errno when
 * kallsyms cannot be read, and then nothing is known.  With addresses
 * hidden (kptr_restrict) the counts still come, the addresses stay 0.
 */
static int targets_locate(struct probes *p)
{
	unsigned long addr;
	unsigned int count;
	size_t i;
	int err, hidden, multi;

	multi = kview_has_multi(&p->kv);
	if (multi < 0)
		return multi;
	p->multi_known = 1;
	p->multi_avail = multi;
	for (i = 0; i < p->ntargets; i++) {
		struct target *t = &p->targets[i];

		err = kview_addrs(&p->kv, t->name, &addr, &count);
		hidden = err == -EACCES;
		if (err && !hidden)
			return err;
		t->copies = count;
		t->hidden = hidden;
		t->kaddr = t->addr ? t->addr :
			   count == 1 && !hidden ? addr : 0;
	}
	return 0;
}

int target_shared(const struct target *t)
{
	return !t->addr && t->copies > 1;
}

int target_multi_able(const struct target *t)
{
	if (t->offset)
		return 0;
	if (target_shared(t))
		return !t->hidden && t->copies <= KSYM_ADDRS_MAX;
	return t->kaddr != 0;
}

int targets_expand(const struct options *opts, struct probes *p,
		   char *err, size_t size)
{
	size_t i, cap = 0, matched;
	struct target *t;
	int ret = 0, dedup;
	struct kview kv = p->kv;

	/* A view the caller made (a test, of files of its own) stays. */
	memset(p, 0, sizeof(*p));
	p->kv = kv;
	/* What kallsyms lists, when the view reads it: these programs. */
	p->kv.bpf_id = bpf_prog_last_id();
	for (i = 0; i < opts->nfuncs && !ret; i++) {
		const struct func_spec *spec = &opts->funcs[i];

		if (spec->tracepoint)	/* tracepoints_expand(), below */
			continue;
		if (spec->glob) {
			ret = expand_pattern(spec, p, &cap, err, size);
			continue;
		}
		t = target_add(p, &cap);
		if (!t)
			return msg_fail(err, size, -ENOMEM, "out of memory");
		snprintf(t->name, sizeof(t->name), "%s", spec->name);
		t->offset = spec->offset;
		t->addr = spec->addr;
	}
	if (ret)
		return ret;
	targets_dedup(p);
	/*
	 * kallsyms serves all three: which names several functions share
	 * (each is probed, whatever the kernel would do with the name),
	 * addresses to probe each function once, and whether the kernel has
	 * kprobe_multi links.  The window takes the copy over to name the
	 * frames (kview_give_kallsyms()), so a run still reads it once.
	 * Unreadable, it tells none of them: names go to the kernel as they
	 * are, and nothing is merged.
	 */
	dedup = p->ntargets > 1 && !opts->check;
	ret = targets_locate(p);
	if (ret == -ENOMEM)
		return msg_fail(err, size, ret, "out of memory");
	/* --check gives each argument its verdict; tracing counts once. */
	if (dedup && !ret) {
		ret = targets_dedup_addrs(p, &p->merged);
		if (ret)
			return msg_fail(err, size, ret, "out of memory");
	}
	for (i = 0; i < p->ntargets; i++) {
		t = &p->targets[i];
		if (target_multi_able(t))
			p->multi_able += target_shared(t) ? t->copies : 1;
	}
	for (i = 0, matched = 0; i < p->ntargets; i++)
		matched += p->targets[i].from_pattern;
	if (matched > opts->max_probes)
		return msg_fail(err, size, -E2BIG,
				"the patterns match %zu traceable functions, more than --max-probes=%u",
				matched, opts->max_probes);
	return tracepoints_expand(opts, p, err, size);
}

void target_desc(const struct target *t, char *buf, size_t size)
{
	int len = snprintf(buf, size, "%s", t->name);

	if (t->addr && !t->from_pattern && len >= 0 && (size_t)len < size)
		len += snprintf(buf + len, size - len, "@0x%lx", t->addr);
	if (t->offset && len >= 0 && (size_t)len < size)
		snprintf(buf + len, size - len, "+0x%lx", t->offset);
}

/*
 * Code that runs while BPF programs run: a hit there, made while a BPF
 * program is running on that CPU, is skipped by the kernel's recursion
 * guard (and a kprobe inside a kprobe handler is not run at all).
 */
int target_may_miss(const char *name)
{
	static const char *const prefixes[] = {
		"bpf_", "__bpf_", "___bpf_", "array_map_", "htab_",
		"stack_map_", "perf_", "__perf_", "trace_call_bpf", "ftrace_",
		"kprobe", "__kprobe", "arch_prepare_kprobe", "get_perf_callchain",
		"rcu_read_", "__rcu_read_", "unwind_", "__unwind_",
		"perf_callchain_",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}
