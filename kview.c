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
 * /proc/kallsyms, read whole into the view: a copy that keeps every line
 * and name (kallsyms_copy_read_all()), each line taken or skipped by
 * kallsyms.c's own rules (kline_parse(), ksym_alias_better(), ...), so
 * that the view answers as its calls would.  Lookups by name go through a
 * hash table over its lines, an address's function through the copy's
 * index; the rarer questions (clones, close names) scan the lines in the
 * file's order, as one pass over the file would.  The window may then
 * take the copy over (kview_give_kallsyms()): the file is read once.
 */

/* FNV-1a: the name's bucket before the mask. */
static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Line i; its name may be spelled into buf (KSYM_NAME_LEN bytes). */
static void line_at(const struct kview *kv, size_t i, struct kline *l,
		    char *buf)
{
	kallsyms_copy_line(&kv->syms, i, l, buf, KSYM_NAME_LEN);
}

static void syms_free(struct kview *kv)
{
	kallsyms_copy_free(&kv->syms);
	free(kv->next);
	free(kv->buckets);
	kv->next = NULL;
	kv->buckets = NULL;
	kv->nbuckets = 0;
	kv->init_start = kv->init_end = 0;
}

/*
 * Chain each bucket's lines in the file's order; note the init range
 * (the last line of each name, as one pass would keep it).
 */
static int index_build(struct kview *kv)
{
	size_t n = kv->syms.n, nb = 1, i;
	int start_seen = 0, end_seen = 0;
	char buf[KSYM_NAME_LEN];
	struct kline l;
	unsigned int h;

	if (n >= UINT_MAX)
		return -ENOMEM;
	while (nb < n)
		nb <<= 1;
	kv->buckets = calloc(nb, sizeof(*kv->buckets));
	kv->next = calloc(n ? n : 1, sizeof(*kv->next));
	if (!kv->buckets || !kv->next)
		return -ENOMEM;
	kv->nbuckets = nb;
	for (i = n; i-- > 0;) {
		line_at(kv, i, &l, buf);
		h = name_hash(l.name) & (nb - 1);
		kv->next[i] = kv->buckets[h];
		kv->buckets[h] = i + 1;
		if (!start_seen && !strcmp(l.name, "_sinittext")) {
			kv->init_start = l.addr;
			start_seen = 1;
		} else if (!end_seen && !strcmp(l.name, "_einittext")) {
			kv->init_end = l.addr;
			end_seen = 1;
		}
	}
	return 0;
}

static int syms_load(struct kview *kv)
{
	int err;

	err = kallsyms_copy_read_all(&kv->syms, kv->kallsyms_path ?
				     kv->kallsyms_path : KALLSYMS_PATH,
				     KALLSYMS_MODULES_PATH);
	if (err)
		return err;
	err = index_build(kv);
	if (err)
		syms_free(kv);
	return err;
}

static int syms_ready(struct kview *kv)
{
	int err;

	if (kv->syms_state)
		return kv->syms_state < 0 ? kv->syms_state : 0;
	err = syms_load(kv);
	kv->syms_state = settle(err);
	return err;
}

/*
 * The first line from index i - 1 on along a bucket's chain that is named
 * name, + 1 (0: none), read into *l (and buf).
 */
static size_t line_match(const struct kview *kv, size_t i, const char *name,
			 struct kline *l, char *buf)
{
	for (; i; i = kv->next[i - 1]) {
		line_at(kv, i - 1, l, buf);
		if (!strcmp(l->name, name))
			return i;
	}
	return 0;
}

static size_t line_first(const struct kview *kv, const char *name,
			 struct kline *l, char *buf)
{
	size_t b = name_hash(name) & (kv->nbuckets - 1);

	return line_match(kv, kv->buckets[b], name, l, buf);
}

/* Every line named name (i: its index + 1, into l), in the file's order. */
#define for_each_named(kv, i, l, buf, name)				\
	for (i = line_first(kv, name, &l, buf); i;			\
	     i = line_match(kv, kv->next[i - 1], name, &l, buf))

int kview_addrs(struct kview *kv, const char *name, unsigned long *addr,
		unsigned int *count)
{
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;
	int err;

	*addr = 0;
	*count = 0;
	err = syms_ready(kv);
	if (err)
		return err;
	for_each_named(kv, i, l, buf, name) {
		if (ksym_is_text(l.type) && !(*count)++)
			*addr = l.addr;
	}
	return kv->syms.nonzero ? 0 : -EACCES;
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
	return kallsyms_copy_resolve_read(&kv->syms, &addr, 1, sym, NULL,
					  NULL, 0);
}

/*
 * The KSYM_SUGGESTIONS text names closest to name, closest first (the
 * same whatever the order they come in: ties go by length, then name).
 */
static void suggest(const struct kview *kv, const char *name,
		    struct ksym_name_info *info)
{
	struct ksym_suggester sug;
	char buf[KSYM_NAME_LEN];
	struct kline l;
	size_t i;

	ksym_suggest_init(&sug, name);
	for (i = 0; i < kv->syms.n; i++) {
		line_at(kv, i, &l, buf);
		if (ksym_is_text(l.type) && strcmp(l.name, name))
			ksym_suggest(&sug, info, l.name);
	}
}

int kview_lookup(struct kview *kv, const char *name,
		 struct ksym_name_info *info)
{
	size_t len = strlen(name), i;
	char buf[KSYM_NAME_LEN];
	struct kline l;
	int err;

	memset(info, 0, sizeof(*info));
	err = syms_ready(kv);
	if (err)
		return err;
	info->init_start = kv->init_start;
	info->init_end = kv->init_end;
	for_each_named(kv, i, l, buf, name) {
		if (ksym_is_text(l.type)) {
			if (info->naddrs < KSYM_ADDRS_MAX)
				info->addrs[info->naddrs++] = l.addr;
			info->text++;
		} else {
			info->other++;
			info->other_type = l.type;	/* the last one's */
		}
	}
	/* A clone is an entry point; a .cold fragment is not. */
	for (i = 0; i < kv->syms.n; i++) {
		line_at(kv, i, &l, buf);
		if (!ksym_is_text(l.type) || strncmp(l.name, name, len) ||
		    l.name[len] != '.' || strstr(l.name + len, ".cold"))
			continue;
		if (!info->clones++)
			snprintf(info->clone, KSYM_NAME_LEN, "%s", l.name);
	}
	if (!info->text)
		suggest(kv, name, info);
	if (!kv->syms.nonzero && (info->text || info->other))
		return -EACCES;
	return 0;
}

int kview_give_kallsyms(struct kview *kv, struct kallsyms_copy *out)
{
	if (kv->syms_state != 1)
		return -ENOENT;
	*out = kv->syms;
	kv->syms = (struct kallsyms_copy)KALLSYMS_COPY_NONE;
	syms_free(kv);
	kv->syms_state = 0;
	return 0;
}

void kview_free(struct kview *kv)
{
	const char *kallsyms = kv->kallsyms_path;
	const char *blacklist = kv->blacklist_path;
	const char *traceable = kv->traceable_path;

	syms_free(kv);
	names_free(&kv->blacklist);
	names_free(&kv->traceable);
	memset(kv, 0, sizeof(*kv));
	kv->kallsyms_path = kallsyms;
	kv->blacklist_path = blacklist;
	kv->traceable_path = traceable;
}
