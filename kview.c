// SPDX-License-Identifier: GPL-2.0
/* kview.c - what the running kernel offers, read once; see kview.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kprobe.h"
#include "kview.h"
#include "numparse.h"

static const char *const traceable_paths[] = {
	KVIEW_TRACEABLE,
	"/sys/kernel/debug/tracing/available_filter_functions",
};

static const char *const sysctl_paths[KVIEW_NSYSCTLS] = {
	[KVIEW_KPROBES_ENABLED] = KPROBES_ENABLED,
	[KVIEW_FTRACE_ENABLED] = FTRACE_ENABLED,
};

/*
 * A part's state after a read that returned err: 1 (read), the error for
 * the rest of the run, or 0 to try again next time when the process was
 * out of descriptors (a run full of probes now may have closed them by
 * the next question).
 */
static int settle(int err)
{
	if (err == -EMFILE || err == -ENFILE)
		return 0;
	return err ? err : 1;
}

/*
 * The first of paths that opens, or NULL with -errno in *err: a path
 * that is there but refused tells more than one that is not there.
 */
static FILE *open_first(const char *const *paths, size_t n, int *err)
{
	size_t i;
	FILE *f;

	*err = -ENOENT;
	for (i = 0; i < n; i++) {
		f = fopen(paths[i], "re");
		if (f)
			return f;
		if (errno != ENOENT || *err == -ENOENT)
			*err = -errno;
	}
	return NULL;
}

/* The rest of f, NUL-terminated, into *out; closes f.  0 or -errno. */
static int slurp_file(FILE *f, char **out)
{
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *b;
	int err = 0;

	*out = NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			b = realloc(buf, cap);
			if (!b) {
				err = -ENOMEM;
				goto out;
			}
			buf = b;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
		err = -EIO;
	buf[len] = '\0';
out:
	fclose(f);
	if (err)
		free(buf);
	else
		*out = buf;
	return err;
}

/* The whole of a small file (kprobes/list), NUL-terminated. */
static int slurp(const char *path, char **out)
{
	FILE *f = fopen(path, "re");

	*out = NULL;
	return f ? slurp_file(f, out) : -errno;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The names of the first of paths that opens, into set, sorted: each
 * line's name starts after the first tab when after_tab is set (the
 * blacklist's "0xSTART-0xEND\tname"), else at the line's start
 * ("name [module]"), and ends at a blank.  -ENOENT when none opens, but
 * -EPERM or -EACCES when one is there and refused (kernel lockdown
 * refuses tracefs to root), which the caller explains.
 */
static int names_read(struct kview_names *set, const char *const *paths,
		      size_t npaths, int after_tab)
{
	char *line, *next, *name, **v;
	size_t cap = 0, len;
	FILE *f;
	int err;

	memset(set, 0, sizeof(*set));
	f = open_first(paths, npaths, &err);
	if (!f)
		return err == -EMFILE || err == -ENFILE || err == -EPERM ||
		       err == -EACCES ? err : -ENOENT;
	err = slurp_file(f, &set->buf);
	if (err)
		return err;
	for (line = set->buf; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		name = after_tab ? strchr(line, '\t') : line;
		if (!name)
			continue;
		name += after_tab;
		len = strcspn(name, " \t");
		name[len] = '\0';
		/* Nothing longer is a kernel symbol (nor fits a target). */
		if (!len || len >= KSYM_NAME_LEN)
			continue;
		if (set->n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = realloc(set->v, cap * sizeof(*v));
			if (!v) {
				err = -ENOMEM;
				goto fail;
			}
			set->v = v;
		}
		set->v[set->n++] = name;
	}
	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), str_cmp);
	return 0;
fail:
	free(set->v);
	free(set->buf);
	memset(set, 0, sizeof(*set));
	return err;
}

static int names_has(const struct kview_names *set, const char *name)
{
	return set->n && bsearch(&name, set->v, set->n, sizeof(*set->v),
				 str_cmp) != NULL;
}

static void names_free(struct kview_names *set)
{
	free(set->v);
	free(set->buf);
	memset(set, 0, sizeof(*set));
}

/* A list read on first need: 0 when it is there, else why not. */
static int names_ready(int *state, struct kview_names *set,
		       const char *path, const char *const *paths,
		       size_t npaths, int after_tab)
{
	int err;

	if (*state)
		return *state < 0 ? *state : 0;
	err = path ? names_read(set, &path, 1, after_tab) :
		     names_read(set, paths, npaths, after_tab);
	*state = settle(err);
	return err;
}

int kview_blacklisted(struct kview *kv, const char *name)
{
	static const char *const paths[] = { KPROBE_BLACKLIST };
	int err = names_ready(&kv->blacklist_state, &kv->blacklist,
			      kv->blacklist_path, paths, 1, 1);

	if (err == -ENOMEM)
		return err;
	return !err && names_has(&kv->blacklist, name);
}

int kview_traceable_list(struct kview *kv, char *const **names, size_t *n)
{
	int err = names_ready(&kv->traceable_state, &kv->traceable,
			      kv->traceable_path, traceable_paths,
			      sizeof(traceable_paths) /
			      sizeof(*traceable_paths), 0);

	*names = err ? NULL : kv->traceable.v;
	*n = err ? 0 : kv->traceable.n;
	return err;
}

int kview_traceable(struct kview *kv, const char *name)
{
	char *const *names;
	size_t n;
	int err = kview_traceable_list(kv, &names, &n);

	if (err == -ENOMEM)
		return err;
	if (err || !n)
		return -ENOENT;
	return names_has(&kv->traceable, name);
}

int kview_traceable_count(struct kview *kv, const char *name)
{
	char *const *names, **hit;
	size_t n, lo, hi;
	int err = kview_traceable_list(kv, &names, &n);

	if (err == -ENOMEM)
		return err;
	if (err || !n)
		return -ENOENT;
	hit = bsearch(&name, names, n, sizeof(*names), str_cmp);
	if (!hit)
		return 0;
	/* Repeats are neighbours in the sorted list. */
	lo = hi = hit - names;
	while (lo > 0 && !strcmp(names[lo - 1], name))
		lo--;
	while (hi + 1 < n && !strcmp(names[hi + 1], name))
		hi++;
	return hi - lo + 1 > INT_MAX ? INT_MAX : (int)(hi - lo + 1);
}

/* The number a /proc or /sys file holds (-1 if none), or -errno. */
static int read_int(const char *path, int *v)
{
	int err = num_read_int(path, v);

	if (err)
		*v = -1;
	return err == -EINVAL || err == -ERANGE ? 0 : err;
}

int kview_sysctl(struct kview *kv, enum kview_sysctl which)
{
	if (!kv->sysctl_state[which])
		kv->sysctl_state[which] = settle(read_int(sysctl_paths[which],
						 &kv->sysctl[which]));
	return kv->sysctl[which];
}

int kview_kprobe_type(struct kview *kv)
{
	int type;

	if (kv->pmu_state)
		return kv->pmu_type;
	type = kprobe_pmu_type();
	kv->pmu_state = settle(type < 0 ? type : 0);
	kv->pmu_type = type;
	return type;
}

long kview_entry_site(struct kview *kv, const char *name)
{
	char *before, *after = NULL, *line, want[KSYM_NAME_LEN + 8];
	int type = kview_kprobe_type(kv), fd, err;
	unsigned long hex;
	long off = -ENOENT;

	if (type < 0)
		return type;
	err = slurp(KPROBE_LIST, &before);
	if (err)
		return err;
	fd = kprobe_open(type, name, 0, 0);
	if (fd < 0) {
		free(before);
		return fd;
	}
	err = slurp(KPROBE_LIST, &after);
	close(fd);
	if (err) {
		free(before);
		return err;
	}
	/* "ADDR  k  name+0xOFF ...": the line that was not there before. */
	snprintf(want, sizeof(want), " %s+0x", name);
	for (line = after; *line && off < 0; line = strchr(line, '\n')) {
		char *end, *at;

		line += *line == '\n';
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		at = strstr(line, want);
		if (at && !strstr(before, line)) {
			num_ulong(at + strlen(want), NULL, 16, &hex);
			off = hex > LONG_MAX ? LONG_MAX : (long)hex;
		}
		if (end)
			*end = '\n';
		else
			break;
	}
	free(before);
	free(after);
	return off;
}

/*
 * /proc/kallsyms, read whole into the view (kallsyms_read_all()): its
 * names index answers lookups by name, its address index an address's
 * function.  The window may then take the copy over
 * (kview_give_kallsyms()): the file is read once.
 */
static int syms_ready(struct kview *kv)
{
	int err;

	if (kv->syms_state)
		return kv->syms_state < 0 ? kv->syms_state : 0;
	err = kallsyms_read_all(&kv->syms, kv->kallsyms_path ?
				kv->kallsyms_path : KALLSYMS_PATH,
				KALLSYMS_MODULES_PATH, kv->bpf_id);
	kv->syms_state = settle(err);
	return err;
}

int kview_addrs(struct kview *kv, const char *name, unsigned long *addr,
		unsigned int *count)
{
	int err = syms_ready(kv);

	*addr = 0;
	*count = 0;
	return err ? err : kallsyms_addrs(&kv->syms, name, addr, count);
}

int kview_has_multi(struct kview *kv)
{
	unsigned long addr;
	unsigned int count;
	int err = kview_addrs(kv, KPROBE_MULTI_SYMBOL, &addr, &count);

	if (err && err != -EACCES)
		return err;
	return count > 0;
}

int kview_resolve(struct kview *kv, unsigned long addr, struct ksym *sym)
{
	int err;

	memset(sym, 0, sizeof(*sym));
	err = syms_ready(kv);
	if (err)
		return err;
	return kallsyms_resolve_read(&kv->syms, &addr, 1, sym, NULL, NULL, 0);
}

int kview_lookup(struct kview *kv, const char *name,
		 struct ksym_name_info *info)
{
	int err = syms_ready(kv);

	if (err) {
		memset(info, 0, sizeof(*info));
		return err;
	}
	return kallsyms_lookup(&kv->syms, name, info);
}

int kview_give_kallsyms(struct kview *kv, struct kallsyms *out)
{
	if (kv->syms_state != 1)
		return -ENOENT;
	*out = kv->syms;
	/* The window names addresses only: its names index can go. */
	kallsyms_names_free(out);
	kv->syms = (struct kallsyms)KALLSYMS_NONE;
	kv->syms_state = 0;
	return 0;
}

void kview_free(struct kview *kv)
{
	const char *kallsyms = kv->kallsyms_path;
	const char *blacklist = kv->blacklist_path;
	const char *traceable = kv->traceable_path;

	kallsyms_free(&kv->syms);
	names_free(&kv->blacklist);
	names_free(&kv->traceable);
	memset(kv, 0, sizeof(*kv));
	kv->kallsyms_path = kallsyms;
	kv->blacklist_path = blacklist;
	kv->traceable_path = traceable;
}
