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

static const char *const traceable_paths[] = {
	KVIEW_TRACEABLE,
	"/sys/kernel/debug/tracing/available_filter_functions",
};

static const char *const sysctl_paths[KVIEW_NSYSCTLS] = {
	[KVIEW_KPROBES_ENABLED] = KPROBES_ENABLED,
	[KVIEW_FTRACE_ENABLED] = FTRACE_ENABLED,
	[KVIEW_PERF_PARANOID] = "/proc/sys/kernel/perf_event_paranoid",
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

/* The first of paths that opens, or NULL with -errno in *err. */
static FILE *open_first(const char *const *paths, size_t n, int *err)
{
	size_t i;
	FILE *f;

	*err = -ENOENT;
	for (i = 0; i < n; i++) {
		f = fopen(paths[i], "re");
		if (f)
			return f;
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
 * ("name [module]"), and ends at a blank.  -ENOENT when none opens.
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
		return err == -EMFILE || err == -ENFILE ? err : -ENOENT;
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

/* The number a /proc or /sys file holds (-1 if none), or -errno. */
static int read_int(const char *path, int *v)
{
	FILE *f = fopen(path, "re");

	*v = -1;
	if (!f)
		return -errno;
	if (fscanf(f, "%d", v) != 1)
		*v = -1;
	fclose(f);
	return 0;
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
		if (at && !strstr(before, line))
			off = strtol(at + strlen(want), NULL, 16);
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
 * /proc/kallsyms, read whole into the view, each line taken or skipped
 * by kallsyms.c's own rules (kline_parse(), ksym_alias_better(), ...), so
 * that the view answers as its calls would.  Lookups by name go through
 * a hash table; the rarer questions (an address's function, clones,
 * close names) scan the symbols in the file's order, as one pass over
 * the file would.
 */

/* Whether a symbol can contain an address: not absolute, undefined, 0. */
static int is_placed(const struct kview_sym *s)
{
	return s->type != 'a' && s->type != 'A' && s->type != 'U' && s->addr;
}

/* FNV-1a: the name's bucket before the mask. */
static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static const char *sym_name(const struct kview *kv,
			    const struct kview_sym *s)
{
	return kv->strs + s->name;
}

/* A copy of s in strs; *off its offset (they outlive reallocs). */
static int strs_add(struct kview *kv, const char *s, unsigned int *off)
{
	size_t len = strlen(s) + 1, cap = kv->strs_cap;
	char *p;

	if (kv->strs_len + len > cap) {
		cap = cap ? cap : 1 << 20;
		while (cap < kv->strs_len + len)
			cap *= 2;
		if (cap > UINT_MAX)
			return -ENOMEM;
		p = realloc(kv->strs, cap);
		if (!p)
			return -ENOMEM;
		kv->strs = p;
		kv->strs_cap = cap;
	}
	memcpy(kv->strs + kv->strs_len, s, len);
	*off = kv->strs_len;
	kv->strs_len += len;
	return 0;
}

/* Keep one line; *module is the last module's offset (lines run by one). */
static int sym_add(struct kview *kv, const struct kline *l,
		   unsigned int *module)
{
	struct kview_sym *s;
	size_t cap;
	int err;

	if (kv->nsyms == kv->syms_cap) {
		cap = kv->syms_cap ? kv->syms_cap * 2 : 4096;
		if (cap >= UINT_MAX)
			return -ENOMEM;
		s = realloc(kv->syms, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		kv->syms = s;
		kv->syms_cap = cap;
	}
	s = &kv->syms[kv->nsyms];
	memset(s, 0, sizeof(*s));
	s->addr = l->addr;
	s->type = l->type;
	err = strs_add(kv, l->name, &s->name);
	if (!err && l->module && *l->module) {
		if (!*module || strcmp(kv->strs + *module, l->module))
			err = strs_add(kv, l->module, module);
		s->module = *module;
	}
	if (err)
		return err;
	kv->nsyms++;
	if (l->addr)
		kv->nonzero++;
	if (!strcmp(l->name, "_sinittext"))
		kv->init_start = l->addr;
	else if (!strcmp(l->name, "_einittext"))
		kv->init_end = l->addr;
	if (is_placed(s) && s->addr > kv->last)
		kv->last = s->addr;
	return 0;
}

/* Chain each bucket's symbols in the file's order. */
static int index_build(struct kview *kv)
{
	size_t nb = 1, i;
	unsigned int h;

	while (nb < kv->nsyms)
		nb <<= 1;
	kv->buckets = calloc(nb, sizeof(*kv->buckets));
	if (!kv->buckets)
		return -ENOMEM;
	kv->nbuckets = nb;
	for (i = kv->nsyms; i-- > 0;) {
		h = name_hash(sym_name(kv, &kv->syms[i])) & (nb - 1);
		kv->syms[i].next = kv->buckets[h];
		kv->buckets[h] = i + 1;
	}
	return 0;
}

static void syms_free(struct kview *kv)
{
	free(kv->strs);
	free(kv->syms);
	free(kv->buckets);
	kv->strs = NULL;
	kv->syms = NULL;
	kv->buckets = NULL;
	kv->strs_len = kv->strs_cap = kv->nsyms = kv->syms_cap = 0;
	kv->nbuckets = kv->nonzero = 0;
	kv->last = kv->init_start = kv->init_end = 0;
}

static int syms_load(struct kview *kv)
{
	char buf[KLINE_MAX + 1];
	unsigned int module = 0;
	int skipping = 0, whole, err;
	struct kline l;
	FILE *f;

	f = fopen(kv->kallsyms_path ? kv->kallsyms_path : KALLSYMS_PATH,
		  "re");
	if (!f)
		return -errno;
	/* /proc files get a 1 KiB stdio buffer: thousands of read()s. */
	setvbuf(f, NULL, _IOFBF, 64 << 10);
	err = strs_add(kv, "", &module);	/* offset 0: no module */
	while (!err && fgets(buf, sizeof(buf), f)) {
		whole = strchr(buf, '\n') != NULL || feof(f);
		if (!skipping && whole && !kline_parse(buf, &l))
			err = sym_add(kv, &l, &module);
		skipping = !whole && !feof(f);
	}
	if (!err && ferror(f))
		err = -EIO;
	fclose(f);
	if (!err)
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

/* The first symbol from index i + 1 on (a bucket's chain) named name. */
static const struct kview_sym *sym_match(const struct kview *kv,
					 unsigned int i, const char *name)
{
	for (; i; i = kv->syms[i - 1].next)
		if (!strcmp(sym_name(kv, &kv->syms[i - 1]), name))
			return &kv->syms[i - 1];
	return NULL;
}

/* The first symbol named name; sym_match(kv, s->next, name) the next. */
static const struct kview_sym *sym_first(const struct kview *kv,
					 const char *name)
{
	size_t b = name_hash(name) & (kv->nbuckets - 1);

	return sym_match(kv, kv->buckets[b], name);
}

/* Every symbol named name, in the file's order. */
#define for_each_named(kv, s, name)					\
	for (s = sym_first(kv, name); s; s = sym_match(kv, s->next, name))

int kview_addrs(struct kview *kv, const char *name, unsigned long *addr,
		unsigned int *count)
{
	const struct kview_sym *s;
	int err;

	*addr = 0;
	*count = 0;
	err = syms_ready(kv);
	if (err)
		return err;
	for_each_named(kv, s, name) {
		if (ksym_is_text(s->type) && !(*count)++)
			*addr = s->addr;
	}
	return kv->nonzero ? 0 : -EACCES;
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
	const struct kview_sym *best = NULL, *s;
	const char *name;
	size_t i;
	int err;

	memset(sym, 0, sizeof(*sym));
	err = syms_ready(kv);
	if (err)
		return err;
	if (!kv->nonzero)
		return -EACCES;
	/* The greatest start at or below addr; of several, the best name. */
	for (i = 0; i < kv->nsyms; i++) {
		s = &kv->syms[i];
		if (!is_placed(s) || s->addr > addr)
			continue;
		if (!best || s->addr > best->addr ||
		    (s->addr == best->addr &&
		     ksym_alias_better(s->type, sym_name(kv, s), best->type,
				  sym_name(kv, best))))
			best = s;
	}
	if (!best || !ksym_is_text(best->type))
		return 0;
	name = sym_name(kv, best);
	/* Not a function: the end of kernel text, or past the last one. */
	if (ksym_is_end_marker(name) ||
	    (addr > kv->last && addr >= ksym_last_end(kv->last)))
		return 0;
	sym->addr = best->addr;
	sym->type = best->type;
	snprintf(sym->name, sizeof(sym->name), "%s", name);
	snprintf(sym->module, sizeof(sym->module), "%s",
		 kv->strs + best->module);
	return 0;
}

/*
 * The KSYM_SUGGESTIONS text names closest to name, closest first (the
 * same whatever the order they come in: ties go by length, then name).
 */
static void suggest(const struct kview *kv, const char *name,
		    struct ksym_name_info *info)
{
	struct ksym_suggester sug;
	const char *cand;
	size_t i;

	ksym_suggest_init(&sug, name);
	for (i = 0; i < kv->nsyms; i++) {
		if (!ksym_is_text(kv->syms[i].type))
			continue;
		cand = sym_name(kv, &kv->syms[i]);
		if (strcmp(cand, name))
			ksym_suggest(&sug, info, cand);
	}
}

int kview_lookup(struct kview *kv, const char *name,
		 struct ksym_name_info *info)
{
	size_t len = strlen(name), i;
	const struct kview_sym *s;
	const char *n;
	int err;

	memset(info, 0, sizeof(*info));
	err = syms_ready(kv);
	if (err)
		return err;
	info->init_start = kv->init_start;
	info->init_end = kv->init_end;
	for_each_named(kv, s, name) {
		if (ksym_is_text(s->type)) {
			if (info->naddrs < KSYM_ADDRS_MAX)
				info->addrs[info->naddrs++] = s->addr;
			info->text++;
		} else {
			info->other++;
			info->other_type = s->type;	/* the last one's */
		}
	}
	/* A clone is an entry point; a .cold fragment is not. */
	for (i = 0; i < kv->nsyms; i++) {
		s = &kv->syms[i];
		n = sym_name(kv, s);
		if (!ksym_is_text(s->type) || strncmp(n, name, len) ||
		    n[len] != '.' || strstr(n + len, ".cold"))
			continue;
		if (!info->clones++)
			snprintf(info->clone, KSYM_NAME_LEN, "%s", n);
	}
	if (!info->text)
		suggest(kv, name, info);
	if (!kv->nonzero && (info->text || info->other))
		return -EACCES;
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
