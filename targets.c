// SPDX-License-Identifier: GPL-2.0
/* targets.c - from FUNCTION arguments to attached kprobes; see targets.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kallsyms.h"
#include "bpf.h"
#include "kprobe.h"
#include "stackmap.h"
#include "targets.h"
#include "testhook.h"

static const char *const traceable_paths[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

static int fail(char *err, size_t size, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t size, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return ret;
}

/* The number a /proc or /sys file holds, or -1. */
static int read_int(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

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

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct name_set {
	char **names;
	size_t n;
};

/*
 * Read the names of f into set, sorted: each line's name starts after the
 * first tab when after_tab is set ("0xSTART-0xEND\tname"), else at the
 * start and ends at a blank ("name [module]").  An unreadable file (f
 * NULL) gives an empty set.
 */
static void name_set_read(struct name_set *set, FILE *f, int after_tab)
{
	char line[KSYM_NAME_LEN + 128], *name, **v;
	size_t cap = 0;

	memset(set, 0, sizeof(*set));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		name = after_tab ? strchr(line, '\t') : line;
		if (!name)
			continue;
		name += after_tab;
		name[strcspn(name, " \t\n")] = '\0';
		if (set->n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(set->names, cap * sizeof(*v));
			if (!v)
				break;
			set->names = v;
		}
		set->names[set->n] = strdup(name);
		if (set->names[set->n])
			set->n++;
	}
	fclose(f);
	if (set->n)
		qsort(set->names, set->n, sizeof(*set->names), str_cmp);
}

static int name_set_has(const struct name_set *s, const char *name)
{
	return s->n && bsearch(&name, s->names, s->n, sizeof(*s->names),
			       str_cmp) != NULL;
}

static void name_set_free(struct name_set *s)
{
	while (s->n)
		free(s->names[--s->n]);
	free(s->names);
}

static FILE *open_traceable(void)
{
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(traceable_paths) / sizeof(*traceable_paths); i++) {
		f = fopen(traceable_paths[i], "re");
		if (f)
			return f;
	}
	return NULL;
}

/*
 * A function a pattern may pick: ftrace can trace it (so it is kernel
 * text, not freed init code, not notrace), the kprobe blacklist does not
 * hold it, and it is not a .cold fragment split off a function.
 */
static int pickable(const char *name, const struct name_set *bl)
{
	return !strstr(name, ".cold") &&
	       strncmp(name, "__ftrace_invalid_address__", 26) &&
	       !name_set_has(bl, name);
}

static int expand_pattern(const struct func_spec *spec, struct probes *p,
			  size_t *cap, const struct name_set *bl,
			  char *err, size_t size)
{
	char line[KSYM_NAME_LEN + 128];
	size_t before = p->ntargets, len, refused = 0;
	struct target *t;
	FILE *f = open_traceable();

	if (!f)
		return fail(err, size, -ENOENT,
			    "cannot list traceable functions for '%s': no %s (mount tracefs: mount -t tracefs none /sys/kernel/tracing)",
			    spec->arg, traceable_paths[0]);
	while (fgets(line, sizeof(line), f)) {
		/* "name" or "name [module]" */
		len = strcspn(line, " \t\n");
		line[len] = '\0';
		if (len >= KSYM_NAME_LEN || fnmatch(spec->name, line, 0))
			continue;
		if (!pickable(line, bl)) {
			refused++;
			continue;
		}
		t = target_add(p, cap);
		if (!t) {
			fclose(f);
			return fail(err, size, -ENOMEM, "out of memory");
		}
		memcpy(t->name, line, len + 1);
		t->from_pattern = 1;
	}
	fclose(f);
	if (p->ntargets == before)
		return fail(err, size, -ENOENT,
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
 * Two arguments can name one function: an alias, or NAME and NAME@ADDR.
 * Probed twice, each call would count twice.  One pass over kallsyms
 * gives each name's address (names are sorted here); of the targets that
 * land on one address+offset the first stays.  A shared name is probed at
 * all its addresses, so NAME@ADDR beside NAME goes too.  Returns how many
 * targets were dropped.
 */
/* The whole of a small file (kprobes/list), NUL-terminated, or NULL. */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *b;
	FILE *f = fopen(path, "re");

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/*
 * Where the kernel puts a kprobe on name+0: on x86 kernels with IBT it
 * skips the function's ENDBR instruction and probes name+4, the same site
 * as name+4 itself (so both, attached, would count every call twice).
 * Asked of the kernel: a probe is opened (disabled, running nothing) and
 * its new line in kprobes/list read, "ADDR  k  name+0xOFF ...".  Returns
 * OFF, or -1 if it cannot be told.
 */
static long entry_site(const char *name)
{
	char *before, *after = NULL, *line, want[KSYM_NAME_LEN + 8];
	int type = kprobe_pmu_type(), fd;
	long off = -1;

	before = type < 0 ? NULL : slurp(KPROBE_LIST);
	if (!before)
		return -1;
	fd = kprobe_open(type, name, 0, 0);
	if (fd >= 0) {
		after = slurp(KPROBE_LIST);
		close(fd);
	}
	snprintf(want, sizeof(want), " %s+0x", name);
	for (line = after; line && *line; line = strchr(line, '\n')) {
		char *end, *at;

		line += *line == '\n';
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		at = strstr(line, want);
		if (at && !strstr(before, line))
			off = strtol(at + strlen(want), NULL, 16);
		if (end)
			*end = '\n';
		if (off >= 0)
			break;
	}
	free(before);
	free(after);
	return off;
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

static size_t targets_dedup_addrs(struct probes *p)
{
	size_t n = p->ntargets, i, u, dropped = 0;
	unsigned long off;
	struct keyed *k = calloc(n, sizeof(*k));
	char *drop = calloc(n, 1);
	const struct target **plus4 = calloc(n + 1, sizeof(*plus4));
	size_t nplus4 = 0;

	if (!k || !drop || !plus4)
		goto out;
	for (i = 0; i < n; i++)
		if (p->targets[i].offset == 4)
			plus4[nplus4++] = &p->targets[i];
	for (i = 0; i < n; i++) {
		const struct target *t = &p->targets[i];

		k[i].i = i;
		off = t->offset;
		/* NAME and NAME+4: one site where the kernel skips ENDBR. */
		if (!off && has_plus4(t, plus4, nplus4) &&
		    entry_site(t->name) == 4)
			off = 4;
		if (t->kaddr)
			k[i].key = t->kaddr + off;
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
			dropped++;
			continue;
		}
		p->targets[u++] = p->targets[i];
	}
	p->ntargets = u;
out:
	free(k);
	free(drop);
	free(plus4);
	return dropped;
}

/*
 * One pass over kallsyms for every target's address and how many
 * functions share its name (t->kaddr, t->copies), and for whether the
 * kernel has kprobe_multi links (KPROBE_MULTI_SYMBOL, asked in the same
 * pass).  Targets are sorted by name here.  Returns 0, or -errno when
 * kallsyms cannot be read; with addresses hidden (kptr_restrict) the
 * counts still come, the addresses stay 0.
 */
static int targets_locate(struct probes *p)
{
	size_t n = p->ntargets, i, j, mark = n;
	const char **names = calloc(n + 1, sizeof(*names));
	unsigned long *addrs = calloc(n + 1, sizeof(*addrs));
	unsigned int *counts = calloc(n + 1, sizeof(*counts));
	int err = -ENOMEM, hidden;

	if (!names || !addrs || !counts)
		goto out;
	/* The names stay sorted with the marker put in its place. */
	for (i = 0, j = 0; i < n; i++) {
		if (mark == n &&
		    strcmp(KPROBE_MULTI_SYMBOL, p->targets[i].name) < 0)
			mark = j++;
		names[j++] = p->targets[i].name;
	}
	names[mark] = KPROBE_MULTI_SYMBOL;	/* mark is n if it goes last */
	err = kallsyms_addrs(KALLSYMS_PATH, names, n + 1, addrs, counts);
	hidden = err == -EACCES;
	if (err && !hidden)
		goto out;
	err = 0;
	p->multi_known = 1;
	p->multi_avail = counts[mark] > 0;
	for (i = 0, j = 0; i < n; i++, j++) {
		struct target *t = &p->targets[i];

		j += j == mark;
		t->copies = counts[j];
		t->kaddr = t->addr ? t->addr :
			   counts[j] == 1 && !hidden ? addrs[j] : 0;
	}
out:
	free(names);
	free(addrs);
	free(counts);
	return err;
}

/* Whether a kprobe_multi link may take t: an entry with one address. */
static int multi_able(const struct target *t)
{
	return !t->offset && t->kaddr;
}

int targets_expand(const struct options *opts, struct probes *p,
		   char *err, size_t size)
{
	struct name_set bl = { NULL, 0 };
	size_t i, cap = 0, patterns = 0, matched;
	struct target *t;
	int ret = 0, dedup;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < opts->nfuncs; i++)
		patterns += opts->funcs[i].glob;
	if (patterns)
		name_set_read(&bl, fopen(KPROBE_BLACKLIST, "re"), 1);
	for (i = 0; i < opts->nfuncs && !ret; i++) {
		const struct func_spec *spec = &opts->funcs[i];

		if (spec->glob) {
			ret = expand_pattern(spec, p, &cap, &bl, err, size);
			continue;
		}
		t = target_add(p, &cap);
		if (!t)
			ret = fail(err, size, -ENOMEM, "out of memory");
		else {
			snprintf(t->name, sizeof(t->name), "%s", spec->name);
			t->offset = spec->offset;
			t->addr = spec->addr;
		}
	}
	name_set_free(&bl);
	if (ret)
		return ret;
	targets_dedup(p);
	/*
	 * One pass over kallsyms serves both: addresses to probe each
	 * function once, and whether the kernel has kprobe_multi links for
	 * the several functions that would use one.
	 */
	dedup = p->ntargets > 1 && !opts->check;
	if (dedup || opts->attach == ATTACH_MULTI ||
	    (opts->attach == ATTACH_DEFAULT && p->ntargets > 1))
		ret = targets_locate(p);
	/* --check gives each argument its verdict; tracing counts once. */
	if (dedup && !ret)	/* not with addresses hidden: none is known */
		p->merged = targets_dedup_addrs(p);
	for (i = 0; i < p->ntargets; i++)
		p->multi_able += multi_able(&p->targets[i]);
	for (i = 0, matched = 0; i < p->ntargets; i++)
		matched += p->targets[i].from_pattern;
	if (matched > opts->max_probes)
		return fail(err, size, -E2BIG,
			    "the patterns match %zu traceable functions, more than --max-probes=%u",
			    matched, opts->max_probes);
	return 0;
}

/* Note an attached probe: its perf fd and its link's, or -1 (ioctl). */
static int fd_add(struct probes *p, int fd, int link)
{
	int *v;

	if (p->nfds == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		v = realloc(p->fds, p->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->fds = v;
		v = realloc(p->links, p->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->links = v;
	}
	p->links[p->nfds] = link;
	p->fds[p->nfds++] = fd;
	return 0;
}

/* Attach one probe the way p->use_link says, and note it. */
static int probe_add(struct probes *p, int type, const char *func,
		     unsigned long addr, unsigned long offset, int prog_fd)
{
	int link = -1, fd, ret;

	fd = kprobe_attach(type, func, addr, offset, prog_fd,
			   p->use_link ? &link : NULL);
	if (fd < 0)
		return fd;
	ret = fd_add(p, fd, link);
	if (ret) {
		if (link >= 0)
			close(link);
		close(fd);
	}
	return ret;
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

/* Whether the kprobe blacklist holds name (0 when it cannot be read). */
static int blacklisted(const char *name)
{
	struct name_set set;
	int yes;

	name_set_read(&set, fopen(KPROBE_BLACKLIST, "re"), 1);
	yes = name_set_has(&set, name);
	name_set_free(&set);
	return yes;
}

/* Whether ftrace can trace name; 1 when that cannot be known. */
static int traceable(const char *name)
{
	struct name_set set;
	int yes;

	name_set_read(&set, open_traceable(), 0);
	yes = !set.n || name_set_has(&set, name);
	name_set_free(&set);
	return yes;
}

/* Why the kernel would not put a kprobe on t, with the evidence. */
static void reason(const struct target *t, int e, char *buf, size_t size)
{
	const char *why = strerror(-e);
	struct ksym_name_info info;
	int paranoid, ret;

	if (e == -EPERM || e == -EACCES) {
		paranoid = read_int("/proc/sys/kernel/perf_event_paranoid");
		if (paranoid > 2)
			snprintf(buf, size, "%s: kernel.perf_event_paranoid is %d, so perf events need CAP_SYS_ADMIN (or set it to 2 and use CAP_BPF and CAP_PERFMON)",
				 why, paranoid);
		else
			snprintf(buf, size, "%s: run as root (or with CAP_BPF and CAP_PERFMON)",
				 why);
		return;
	}
	if (e == -EMFILE || e == -ENFILE) {
		snprintf(buf, size, "%s: each probe needs a file descriptor (raise ulimit -n)",
			 why);
		return;
	}
	if (e == -ETOOMANYREFS) {
		snprintf(buf, size, "more than %d functions share that name, more than show_bt probes at once: pick one with NAME@ADDR",
			 KSYM_ADDRS_MAX);
		return;
	}
	if (e == -EILSEQ) {
		snprintf(buf, size, "offset 0x%lx is not on an instruction boundary of %s",
			 t->offset, t->name);
		return;
	}
	ret = kallsyms_lookup_name(KALLSYMS_PATH, t->name, &info);
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
	if (blacklisted(t->name)) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): %s is listed in %s",
			 why, t->name, KPROBE_BLACKLIST);
		return;
	}
	if (t->offset) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): the offset must fall on an instruction inside the function",
			 why);
		return;
	}
	if (e == -EINVAL && !traceable(t->name)) {
		snprintf(buf, size, "the kernel refused the kprobe (%s): ftrace cannot trace %s (notrace), and this kernel allows kprobes on such functions only with CONFIG_KPROBE_EVENTS_ON_NOTRACE",
			 why, t->name);
		return;
	}
	snprintf(buf, size, "the kernel refused the kprobe (%s); it may be blacklisted (see %s)",
		 why, KPROBE_BLACKLIST);
}

static void target_desc(const struct target *t, char *buf, size_t size)
{
	int len = snprintf(buf, size, "%s", t->name);

	if (t->addr && !t->from_pattern && len >= 0 && (size_t)len < size)
		len += snprintf(buf + len, size - len, "@0x%lx", t->addr);
	if (t->offset && len >= 0 && (size_t)len < size)
		snprintf(buf + len, size - len, "+0x%lx", t->offset);
}

/* "cannot probe NAME: reason", the one line a failed run prints. */
static void explain(const struct target *t, int e, char *err, size_t size)
{
	char desc[KSYM_NAME_LEN + 32], why[1024];

	target_desc(t, desc, sizeof(desc));
	reason(t, e, why, sizeof(why));
	snprintf(err, size, "cannot probe %.300s: %.700s", desc, why);
}

/* NAME@ADDR must name one of NAME's own addresses. */
static int check_addr(const struct target *t, char *err, size_t size)
{
	struct ksym_name_info info;
	unsigned int i;
	int ret = kallsyms_lookup_name(KALLSYMS_PATH, t->name, &info);

	if (ret == -EACCES)
		return fail(err, size, ret, "cannot check %s@0x%lx: %s hides every address (kernel.kptr_restrict)",
			    t->name, t->addr, KALLSYMS_PATH);
	if (ret)
		return fail(err, size, ret, "cannot read %s: %s",
			    KALLSYMS_PATH, strerror(-ret));
	for (i = 0; i < info.naddrs; i++)
		if (info.addrs[i] == t->addr)
			return 0;
	if (!info.naddrs)
		return fail(err, size, -ENOENT, "no function %s in %s",
			    t->name, KALLSYMS_PATH);
	return fail(err, size, -ENOENT,
		    "no function %s at 0x%lx: %s%u function%s of that name start%s at 0x%lx%s",
		    t->name, t->addr, info.naddrs > 1 ? "the " : "",
		    info.naddrs, info.naddrs > 1 ? "s" : "",
		    info.naddrs > 1 ? "" : "s", info.addrs[0],
		    info.naddrs > 1 ? ", ..." : "");
}

/*
 * Several static functions share t's name: probe each by address.  A
 * copy the kernel refuses is left out, and named in p->shared_note; if
 * none can be probed, the first refusal is the answer.
 */
static int attach_shared(struct probes *p, const struct target *t, int type,
			 int prog_fd)
{
	struct ksym_name_info info;
	unsigned int i, ok = 0;
	int ret = kallsyms_lookup_name(KALLSYMS_PATH, t->name, &info);
	int first = 0;

	/* Hidden addresses: the functions cannot be told apart. */
	if (ret == -EACCES || info.naddrs < 2)
		return -EADDRNOTAVAIL;
	if (ret)
		return ret;
	if (info.text > info.naddrs)
		return -ETOOMANYREFS;
	for (i = 0; i < info.naddrs; i++) {
		ret = probe_add(p, type, NULL, info.addrs[i], t->offset,
				prog_fd);
		if (ret == -ENOMEM || ret == -EMFILE || ret == -ENFILE)
			return ret;
		if (!ret) {
			ok++;
			continue;
		}
		if (!first)
			first = ret;
		p->shared_refused++;
		if (!p->shared_note[0])
			snprintf(p->shared_note, sizeof(p->shared_note),
				 "%.300s@%lx (%s)", t->name, info.addrs[i],
				 strerror(-ret));
	}
	if (!ok)
		return first;
	p->shared++;
	return 0;
}

static int attach_one(struct probes *p, const struct target *t, int type,
		      int prog_fd)
{
	int ret;

	ret = probe_add(p, type, t->addr ? NULL : t->name, t->addr,
			t->offset, prog_fd);
	if (ret == -EADDRNOTAVAIL)
		return attach_shared(p, t, type, prog_fd);
	return ret;
}

static void close_all(struct probes *p)
{
	while (p->nfds) {
		p->nfds--;
		if (p->links[p->nfds] >= 0)
			close(p->links[p->nfds]);
		close(p->fds[p->nfds]);
	}
	/* nmulti and on_multi stay: probes_frame0() needs them after. */
	if (p->multi_link) {
		close(p->multi_link);
		p->multi_link = 0;
	}
}

int probes_missed(const struct probes *p, unsigned long long *missed)
{
	__u64 m;
	size_t i;
	int err;

	*missed = 0;
	if (p->nfds && !p->use_link)
		return -EOPNOTSUPP;
	for (i = 0; i < p->nfds; i++) {
		err = kprobe_link_missed(p->links[i], &m);
		if (err)
			return err;
		*missed += m;
	}
	if (p->multi_link) {
		err = kprobe_multi_missed(p->multi_link, &m);
		if (err)
			return err;
		*missed += m;
	}
	return 0;
}

int probes_recursion_missed(const struct probes *p,
			    unsigned long long *missed)
{
	struct bpf_prog_info info;
	int err;

	*missed = 0;
	if (!p->perf_prog || !p->nfds)
		return 0;
	memset(&info, 0, sizeof(info));
	err = bpf_prog_get_info(p->perf_prog, &info);
	if (!err)
		*missed = info.recursion_misses;
	return err;
}

/*
 * The kprobe PMU's type, or a negative errno with why kprobes cannot be
 * used: no kprobe support, kprobes switched off, or ftrace switched off
 * (kprobes on function entries ride on ftrace, and arming one then leaves
 * ftrace broken until reboot).
 */
static int kprobes_usable(char *err, size_t size)
{
	int type = kprobe_pmu_type();

	if (type < 0)
		return fail(err, size, type,
			    "this kernel has no kprobe support (no %s): it was built without CONFIG_KPROBES",
			    KPROBE_PMU_TYPE);
	if (read_int(KPROBES_ENABLED) == 0)
		return fail(err, size, -EPERM,
			    "kprobes are switched off (%s is 0): echo 1 > %s",
			    KPROBES_ENABLED, KPROBES_ENABLED);
#ifdef __x86_64__
	/*
	 * x86 puts a kprobe at a function's entry on ftrace's call site;
	 * arm64 (6.1) uses a breakpoint there as anywhere, without ftrace.
	 */
	if (read_int(FTRACE_ENABLED) == 0)
		return fail(err, size, -EPERM,
			    "ftrace is switched off (kernel.ftrace_enabled is 0), and kprobes on function entries need it: sysctl kernel.ftrace_enabled=1");
#endif
	return type;
}

/*
 * A kprobe_multi link rides on ftrace alone (no kprobe is made): it needs
 * ftrace switched on, as kprobes on function entries do.
 */
static int ftrace_usable(char *err, size_t size)
{
	if (read_int(FTRACE_ENABLED) == 0)
		return fail(err, size, -EPERM,
			    "ftrace is switched off (kernel.ftrace_enabled is 0), and probes on function entries need it: sysctl kernel.ftrace_enabled=1");
	return 0;
}

/*
 * Whether another target has the name of target i (NAME beside
 * NAME+OFFSET: sorted, they are neighbours).  Such an entry stays a
 * kprobe, so that frame 0 tells the link's stacks apart (probes_frame0()).
 */
static int same_name(const struct probes *p, size_t i)
{
	const char *name = p->targets[i].name;

	return (i > 0 && !strcmp(p->targets[i - 1].name, name)) ||
	       (i + 1 < p->ntargets && !strcmp(p->targets[i + 1].name, name));
}

/*
 * Which targets the link is offered: those it may take (multi_able())
 * that are not on the kprobe blacklist, which only perf kprobes check:
 * a function named alone that kprobes refuse is refused either way.
 * Their addresses go to addrs (ascending target order), their indexes
 * to idx; returns how many.
 */
static size_t multi_pick(const struct probes *p, unsigned long *addrs,
			 size_t *idx)
{
	struct name_set bl = { NULL, 0 };
	size_t i, n = 0;

	for (i = 0; i < p->ntargets; i++)
		if (multi_able(&p->targets[i]) &&
		    !p->targets[i].from_pattern)
			break;
	/* Patterns have left the blacklist out already. */
	if (i < p->ntargets)
		name_set_read(&bl, fopen(KPROBE_BLACKLIST, "re"), 1);
	for (i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];

		if (!multi_able(t) || name_set_has(&bl, t->name) ||
		    same_name(p, i))
			continue;
		addrs[n] = t->kaddr;
		idx[n++] = i;
	}
	name_set_free(&bl);
	return n;
}

/*
 * Keep of addrs and idx the functions ftrace can trace (the link refuses
 * all if it cannot trace one; kprobes can, with a breakpoint).  Returns
 * how many are left, or n when the list cannot be read.
 */
static size_t multi_traceable(const struct probes *p, unsigned long *addrs,
			      size_t *idx, size_t n)
{
	struct name_set set;
	size_t i, u = 0;

	name_set_read(&set, open_traceable(), 0);
	if (!set.n)
		return n;
	for (i = 0; i < n; i++) {
		if (!name_set_has(&set, p->targets[idx[i]].name))
			continue;
		addrs[u] = addrs[i];
		idx[u++] = idx[i];
	}
	name_set_free(&set);
	return u;
}

int probes_attach_multi(struct probes *p, int prog_fd, char *err,
			size_t size)
{
	unsigned long *addrs = calloc(p->ntargets + 1, sizeof(*addrs));
	size_t *idx = calloc(p->ntargets + 1, sizeof(*idx));
	size_t i, n, m;
	int ret, fd;

	err[0] = '\0';
	p->multi_note[0] = '\0';
	if (!addrs || !idx) {
		ret = fail(err, size, -ENOMEM, "out of memory");
		goto out;
	}
	ret = ftrace_usable(err, size);
	if (ret)
		goto out;
	n = multi_pick(p, addrs, idx);
	fd = n ? kprobe_multi_attach(prog_fd, addrs, n) : -ENOENT;
	/* The tracing line tells how many went where. */
	if (fd < 0 && n) {
		m = multi_traceable(p, addrs, idx, n);
		if (m && m < n) {
			n = m;
			fd = kprobe_multi_attach(prog_fd, addrs, n);
		}
	}
	if (fd < 0) {
		if (n)
			snprintf(p->multi_note, sizeof(p->multi_note),
				 "the kernel refused the kprobe_multi link (%s): every function gets a kprobe instead",
				 strerror(-fd));
		goto out;
	}
	p->multi_link = fd;
	p->nmulti = n;
	for (i = 0; i < n; i++)
		p->targets[idx[i]].on_multi = 1;
	/* All in one go: a test may catch the attach here, kprobes to come. */
	test_stop("attaching");
out:
	free(addrs);
	free(idx);
	return ret;
}

size_t probes_perf_left(const struct probes *p)
{
	return p->ntargets - p->nmulti;
}

/*
 * NAME+OFFSET must stay inside NAME: past its end is another function.
 * On arm64 it must also be a multiple of 4: every instruction is 4 bytes
 * and 4-aligned, and the kernel refuses any other address with a bare
 * EINVAL (x86's decoder answers EILSEQ, which reason() explains).
 * Returns 0, or -ERANGE or -EILSEQ with the reason in err.
 */
static int check_offset(const struct target *t, char *err, size_t size)
{
	struct ksym_name_info info;
	unsigned long base[KSYM_ADDRS_MAX], a;
	unsigned int i, n = 0;
	struct ksym sym;

	if (t->addr) {
		base[n++] = t->addr;
	} else if (kallsyms_lookup_name(KALLSYMS_PATH, t->name, &info) == 0) {
		for (n = 0; n < info.naddrs; n++)
			base[n] = info.addrs[n];
	}
	for (i = 0; i < n; i++) {
		a = base[i] + t->offset;
		if (kallsyms_resolve(KALLSYMS_PATH, &a, 1, &sym) == 0 &&
		    sym.addr != base[i]) {
			if (sym.addr)
				return fail(err, size, -ERANGE,
					    "the offset is past the end of %.200s (that address is in %.200s+0x%lx)",
					    t->name, sym.name, a - sym.addr);
			return fail(err, size, -ERANGE,
				    "the offset is past the end of %.200s",
				    t->name);
		}
	}
#ifdef __aarch64__
	if (t->offset % 4)
		return fail(err, size, -EILSEQ,
			    "offset 0x%lx is not on an instruction boundary of %.200s",
			    t->offset, t->name);
#endif
	return 0;
}

int probes_attach(struct probes *p, int prog_fd, char *err, size_t size)
{
	char first[1024] = "", why[1024], desc[KSYM_NAME_LEN + 48];
	int type, ret;
	size_t i;

	err[0] = '\0';		/* no note unless one is written below */
	if (!probes_perf_left(p))
		return 0;
	type = kprobes_usable(err, size);
	if (type < 0) {
		close_all(p);
		return type;
	}
	for (i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];

		if (t->on_multi)
			continue;
		if (t->addr && !t->from_pattern &&
		    check_addr(t, err, size) < 0) {
			close_all(p);
			return -ENOENT;
		}
		if (t->offset && check_offset(t, why, sizeof(why)) < 0) {
			target_desc(t, desc, sizeof(desc));
			snprintf(err, size, "cannot probe %.300s: %.700s", desc,
				 why);
			close_all(p);
			return -ENOENT;
		}
		ret = attach_one(p, t, type, prog_fd);
		/*
		 * Half the probes are in: a test may catch the attach here
		 * (with a link, it did already: probes_attach_multi()).
		 */
		if (i + 1 == (p->ntargets + 1) / 2 && p->ntargets > 1 &&
		    !p->nmulti)
			test_stop("attaching");
		if (!ret)
			continue;
		if (!t->from_pattern || ret == -EMFILE || ret == -ENFILE ||
		    ret == -ENOMEM) {
			explain(t, ret, err, size);
			close_all(p);
			return ret;
		}
		if (!p->refused++)
			explain(t, ret, first, sizeof(first));
	}
	if (!p->nfds && !p->nmulti)
		return fail(err, size, -ENOENT,
			    "none of the %zu matching functions could be probed; the first refusal: %s",
			    p->ntargets, first);
	if (p->refused)
		snprintf(err, size, "%zu of %zu matching functions could not be probed; the first refusal: %s",
			 p->refused, p->ntargets, first);
	return 0;
}

/* One --check line: "NAME: ok", "NAME: ok, but ...", or "cannot trace". */
/*
 * Whether a run would put t on the kprobe_multi link: a link of its own,
 * made and closed at once, tells.
 */
static int check_multi(const struct probes *p, const struct target *t,
		       int prog_fd, const struct name_set *bl)
{
	int fd;

	if (!p->use_multi || !multi_able(t) || name_set_has(bl, t->name))
		return 0;
	fd = kprobe_multi_attach(prog_fd, &t->kaddr, 1);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

static int check_one(struct probes *p, const struct target *t, int type,
		     int prog_fd, const struct name_set *traceable,
		     const struct name_set *bl, FILE *out)
{
	char desc[KSYM_NAME_LEN + 32], why[1024];
	size_t before = p->nfds;
	int ret = 0, perf_fd = p->use_multi ? p->perf_prog : prog_fd;

	target_desc(t, desc, sizeof(desc));
	if (t->addr)
		ret = check_addr(t, why, sizeof(why));
	if (!ret && t->offset && check_offset(t, why, sizeof(why)) < 0) {
		fprintf(out, "%s: cannot trace: %s\n", desc, why);
		return 1;
	}
	/* Else a perf kprobe, as a run falls back to. */
	if (!ret && !check_multi(p, t, prog_fd, bl))
		ret = attach_one(p, t, type, perf_fd);
	if (ret) {
		if (!t->addr || ret != -ENOENT)
			reason(t, ret, why, sizeof(why));
		fprintf(out, "%s: cannot trace: %s\n", desc, why);
		return 1;
	}
	fprintf(out, "%s: ok", desc);
	if (p->nfds - before > 1)
		fprintf(out, "; %zu functions share this name and each was probed (pick one with NAME@ADDR)",
			p->nfds - before);
	if (traceable->n && !name_set_has(traceable, t->name))
		fprintf(out, "; probed with a breakpoint, as ftrace cannot trace it (patterns skip it)");
	if (target_may_miss(t->name))
		fprintf(out, "; may miss hits: it is BPF or tracing code, and the kernel skips hits made while a BPF program runs on the same CPU");
	fputc('\n', out);
	close_all(p);
	return 0;
}

size_t probes_check(struct probes *p, int prog_fd, FILE *out)
{
	struct name_set traceable, bl;
	char why[512];
	int type = kprobes_usable(why, sizeof(why));
	size_t i, bad = 0;

	if (type < 0) {
		for (i = 0; i < p->ntargets; i++)
			fprintf(out, "%s: cannot trace: %s\n",
				p->targets[i].name, why);
		return p->ntargets;
	}
	/* Empty when tracefs is not mounted: then nothing is noted. */
	name_set_read(&traceable, open_traceable(), 0);
	name_set_read(&bl, p->use_multi ? fopen(KPROBE_BLACKLIST, "re") : NULL,
		      1);
	for (i = 0; i < p->ntargets; i++)
		bad += check_one(p, &p->targets[i], type, prog_fd, &traceable,
				 &bl, out);
	name_set_free(&traceable);
	name_set_free(&bl);
	return bad;
}

void probes_detach(struct probes *p)
{
	close_all(p);
}

void probes_free(struct probes *p)
{
	close_all(p);
	if (p->perf_prog)
		close(p->perf_prog);
	free(p->fds);
	free(p->links);
	free(p->targets);
	memset(p, 0, sizeof(*p));
}

void probes_label(const struct probes *p, const struct options *opts,
		  char *buf, size_t size)
{
	if (opts->nfuncs == 1 && !opts->funcs[0].glob)
		snprintf(buf, size, "%s", opts->funcs[0].arg);
	else
		snprintf(buf, size, "%zu function%s", p->ntargets - p->refused,
			 p->ntargets - p->refused == 1 ? "" : "s");
}

/*
 * x86-64: ftrace calls in at each traced function's entry with a 5-byte
 * call (at NAME+0, or NAME+4 after an ENDBR), and the registers of the
 * link's program hold that call's return address: NAME+0x5 or NAME+0x9.
 * A kprobe on the same site reports the site plus its 1-byte breakpoint,
 * as if it had hit: NAME+0x1 or NAME+0x5 (Debian's 6.12: vfs_write+0x9
 * by the link, +0x5 by kprobes; vfs_writev, static, without ENDBR, +0x5
 * and +0x1).  So frame 0 moves back 4 bytes where it is one of those two
 * places of a function on the link.  A kprobe elsewhere in such a function
 * cannot be mistaken for it: a function probed at an offset too stays
 * off the link (same_name()).  Other architectures keep the address the
 * link gives.
 */
#if defined(__x86_64__)
static int ulong_cmp(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return a < b ? -1 : a > b;
}

static int has_start(const unsigned long *starts, size_t n,
		     unsigned long addr)
{
	return bsearch(&addr, starts, n, sizeof(*starts), ulong_cmp) != NULL;
}

void probes_frame0(const struct probes *p, struct stack_set *set)
{
	unsigned long *starts;
	size_t i, n = 0;

	if (!p->nmulti)
		return;
	starts = calloc(p->nmulti, sizeof(*starts));
	if (!starts)
		return;
	for (i = 0; i < p->ntargets && n < p->nmulti; i++)
		if (p->targets[i].on_multi)
			starts[n++] = p->targets[i].kaddr;
	qsort(starts, n, sizeof(*starts), ulong_cmp);
	for (i = 0; i < set->n; i++) {
		struct stack *s = &set->stacks[i];
		/* The stack's frames live in set->frames, which is ours. */
		__u64 *ips = set->frames + (s->ips - set->frames);

		if (!s->nframes)
			continue;
		if (has_start(starts, n, ips[0] - 5) ||
		    has_start(starts, n, ips[0] - 9))
			ips[0] -= 4;
	}
	free(starts);
}
#else
void probes_frame0(const struct probes *p, struct stack_set *set)
{
	(void)p;
	(void)set;
}
#endif
