// SPDX-License-Identifier: GPL-2.0
/* tracepoint.c - tracepoints as probe points; see tracepoint.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/perf_event.h>

#include "glob.h"
#include "bpf.h"
#include "diagnose.h"
#include "kprobe.h"
#include "msg.h"
#include "perm.h"
#include "probes.h"
#include "tracepoint.h"

static int add_tracepoint(struct probes *p, size_t *cap, const char *name,
			  int from_pattern);
static int expand_one(const struct func_spec *spec, int check,
		      struct probes *p, size_t *cap, char *const *names,
		      size_t n, char *err, size_t size);
static int no_tracefs(int why, char *err, size_t size);
static void tracepoint_closest(char *const *names, size_t n,
			       const char *name, int categories, char *buf,
			       size_t size);
static int no_tracepoint(const struct func_spec *spec, const char *dir,
			 char *const *names, size_t n, char *err, size_t size);
static void dedup(struct probes *p);

int tracepoints_expand(const struct options *opts, struct probes *p,
		       char *err, size_t size)
{
	size_t i, cap = 0, n = 0, matched = 0;
	char **names = NULL;
	int ret = 0, why;

	for (i = 0; i < opts->nfuncs; i++)
		n += opts->funcs[i].tracepoint;
	if (!n)
		return 0;
	p->tp_dir = tracepoint_dir(&why);
	if (!p->tp_dir)
		return no_tracefs(why, err, size);
	ret = tracepoint_names(p->tp_dir, &names, &n);
	if (ret)
		return msg_fail(err, size, ret, "cannot list the tracepoints in %s: %s",
				p->tp_dir, strerror(-ret));
	for (i = 0; i < opts->nfuncs && !ret; i++)
		if (opts->funcs[i].tracepoint)
			ret = expand_one(&opts->funcs[i], opts->check, p,
					 &cap, names, n, err, size);
	tracepoint_names_free(names, n);
	if (ret)
		return ret;
	dedup(p);
	for (i = 0; i < p->ntps; i++)
		matched += p->tps[i].from_pattern;
	if (matched > opts->max_probes)
		return msg_fail(err, size, -E2BIG,
				"the patterns match %zu tracepoints, more than --max-probes=%u",
				matched, opts->max_probes);
	return 0;
}

/*
 * One t: argument: a glob adds every tracepoint it matches (CATEGORY:NAME
 * matched whole, so ':' separates the parts), a name adds itself.
 */
static int expand_one(const struct func_spec *spec, int check,
		      struct probes *p, size_t *cap, char *const *names,
		      size_t n, char *err, size_t size)
{
	size_t i, before = p->ntps;
	int ret;

	for (i = 0; i < n; i++) {
		if (!glob_match(spec->name, names[i]))
			continue;
		ret = add_tracepoint(p, cap, names[i], spec->glob);
		if (ret)
			return msg_fail(err, size, ret, "out of memory");
	}
	if (p->ntps > before)
		return 0;
	if (!spec->glob && check) {	/* --check says why */
		ret = add_tracepoint(p, cap, spec->name, 0);
		if (ret)
			return msg_fail(err, size, ret, "out of memory");
		p->tps[p->ntps - 1].id = -ENOENT;
		return 0;
	}
	return no_tracepoint(spec, p->tp_dir, names, n, err, size);
}

static int add_tracepoint(struct probes *p, size_t *cap, const char *name,
			  int from_pattern)
{
	struct tp_target *tp;

	if (p->ntps == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		tp = realloc(p->tps, *cap * sizeof(*tp));
		if (!tp)
			return -ENOMEM;
		p->tps = tp;
	}
	tp = &p->tps[p->ntps++];
	memset(tp, 0, sizeof(*tp));
	snprintf(tp->name, sizeof(tp->name), "%s", name);
	tp->from_pattern = from_pattern;
	tp->id = tracepoint_id(p->tp_dir, name);
	return 0;
}

static int tp_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tp_target *)a)->name,
		      ((const struct tp_target *)b)->name);
}

/* A tracepoint named twice (or matched by two patterns) is probed once. */
static void dedup(struct probes *p)
{
	size_t i, u = 0;

	if (p->ntps < 2)
		return;
	qsort(p->tps, p->ntps, sizeof(*p->tps), tp_cmp);
	for (i = 1; i < p->ntps; i++) {
		if (tp_cmp(&p->tps[u], &p->tps[i]))
			p->tps[++u] = p->tps[i];
		else if (!p->tps[i].from_pattern)
			p->tps[u].from_pattern = 0;
	}
	p->ntps = u + 1;
}

/*
 * No tracepoint matched spec: name the closest names, or where the
 * category itself is unknown, the closest categories.
 */
static int no_tracepoint(const struct func_spec *spec, const char *dir,
			 char *const *names, size_t n, char *err, size_t size)
{
	size_t len = strcspn(spec->name, ":"), i;
	char close[3 * 80] = "";

	if (spec->glob)
		return msg_fail(err, size, -ENOENT,
				"no tracepoint matches '%s' (%zu tracepoints in %s)",
				spec->arg, n, dir);
	for (i = 0; i < n; i++)
		if (!strncmp(names[i], spec->name, len) &&
		    names[i][len] == ':')
			break;
	tracepoint_closest(names, n, spec->name, i == n, close,
			   sizeof(close));
	if (i == n)
		return msg_fail(err, size, -ENOENT,
				"no tracepoint category '%.*s' in %s%s",
				(int)len, spec->name, dir, close);
	return msg_fail(err, size, -ENOENT, "no tracepoint %s in %s%s",
			spec->arg, dir, close);
}

/*
 * Tracefs missing: say what to mount.  Refused (EPERM, EACCES, or a
 * kernel locked down for confidentiality, which never makes its files):
 * say why, the lockdown first (perm.h).
 */
static int no_tracefs(int why, char *err, size_t size)
{
	struct perm_facts f;
	char line[1024];

	perm_gather(NULL, PERM_TRACEFS, &f);
	if (why == -EPERM || why == -EACCES ||
	    f.lockdown == PERM_LOCKDOWN_CONFIDENTIALITY) {
		perm_explain(&f, PERM_TRACEFS, why == -ENOENT ? -EPERM : why,
			     line, sizeof(line));
		return msg_fail(err, size, why == -ENOENT ? -EPERM : why,
				"cannot read the tracepoints in tracefs: %s",
				line);
	}
	return msg_fail(err, size, -ENOENT,
			"tracepoints are listed in tracefs, which is not mounted: mount -t tracefs none /sys/kernel/tracing");
}

/* " (did you mean: t:A:B, t:C:D)" into buf, or "": see ksym_suggest(). */
static void tracepoint_closest(char *const *names, size_t n,
			       const char *name, int categories, char *buf,
			       size_t size)
{
	struct ksym_name_info *info = calloc(1, sizeof(*info));
	char cat[KSYM_NAME_LEN], prev[KSYM_NAME_LEN] = "";
	struct ksym_suggester sug;
	size_t i, len, at = 0;

	buf[0] = '\0';
	if (!info)
		return;
	snprintf(cat, sizeof(cat), "%.*s", (int)strcspn(name, ":"), name);
	ksym_suggest_init(&sug, categories ? cat : name);
	for (i = 0; i < n; i++) {
		if (!categories) {
			ksym_suggest(&sug, info, names[i]);
			continue;
		}
		len = strcspn(names[i], ":");
		if (len >= sizeof(prev) || (!strncmp(prev, names[i], len) &&
					    !prev[len]))
			continue;
		snprintf(prev, sizeof(prev), "%.*s", (int)len, names[i]);
		ksym_suggest(&sug, info, prev);
	}
	for (i = 0; i < info->nsuggest && at < size; i++)
		at += snprintf(buf + at, size - at, "%s%s%s",
			       i ? ", " : " (did you mean: ",
			       categories ? "" : "t:", info->suggest[i]);
	if (info->nsuggest && at < size)
		snprintf(buf + at, size - at, ")");
	free(info);
}

const char *tracepoint_dir(int *err)
{
	static const char *const dirs[] = { TRACEFS_EVENTS, DEBUGFS_EVENTS };
	struct stat st;
	size_t i;

	*err = -ENOENT;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		if (!stat(dirs[i], &st) && S_ISDIR(st.st_mode))
			return dirs[i];
		if (errno == EPERM || errno == EACCES)
			*err = -errno;
	}
	return NULL;
}

int tracepoint_id(const char *dir, const char *cat_name)
{
	size_t len = strcspn(cat_name, ":");
	char path[2 * KSYM_NAME_LEN + 64];
	FILE *f;
	int id = 0, c;

	if (!cat_name[len])
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%.*s/%s/id", dir, (int)len,
		 cat_name, cat_name + len + 1);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* A decimal number and a newline, nothing else. */
	while ((c = getc(f)) >= '0' && c <= '9' && id < 100000000)
		id = id * 10 + (c - '0');
	fclose(f);
	return id > 0 && (c == '\n' || c == EOF) ? id : -EINVAL;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectories of dir (d_type; tracefs fills it in). */
static int is_subdir(const struct dirent *d)
{
	return d->d_type == DT_DIR && strcmp(d->d_name, ".") &&
	       strcmp(d->d_name, "..");
}

static int names_add(char ***names, size_t *n, size_t *cap, const char *cat,
		     const char *name)
{
	char **v;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		v = realloc(*names, *cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		*names = v;
	}
	if (asprintf(&(*names)[*n], "%s:%s", cat, name) < 0)
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Every NAME under events/CAT, as "CAT:NAME". */
static int names_of_category(const char *dir, const char *cat,
			     char ***names, size_t *n, size_t *cap)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, cat);
	dp = opendir(path);
	if (!dp)
		return 0;	/* gone meanwhile: a module unloaded */
	while (!ret && (d = readdir(dp)))
		if (is_subdir(d))
			ret = names_add(names, n, cap, cat, d->d_name);
	closedir(dp);
	return ret;
}

int tracepoint_names(const char *dir, char ***names, size_t *n)
{
	size_t cap = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);
	int ret = 0;

	*names = NULL;
	*n = 0;
	if (!dp)
		return -errno;
	while (!ret && (d = readdir(dp)))
		if (is_subdir(d))
			ret = names_of_category(dir, d->d_name, names, n,
						&cap);
	closedir(dp);
	if (ret) {
		tracepoint_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return ret;
	}
	qsort(*names, *n, sizeof(**names), str_cmp);
	return 0;
}

void tracepoint_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- --check: tracepoints near a function that cannot be traced ---- */

#define WORDS_MAX	16

/* The words of name: split at '_' and '.', three letters or more. */
static size_t words_of(const char *name, char words[WORDS_MAX][64])
{
	size_t n = 0, len;

	while (*name && n < WORDS_MAX) {
		len = strcspn(name, "_.:");
		if (len >= 3 && len < 64) {
			memcpy(words[n], name, len);
			words[n++][len] = '\0';
		}
		name += len;
		name += strspn(name, "_.:");
	}
	return n;
}

/* How many of words are whole words of the tracepoint's NAME part. */
static size_t shared_words(char words[WORDS_MAX][64], size_t nwords,
			   const char *cat_name)
{
	char theirs[WORDS_MAX][64];
	const char *name = strchr(cat_name, ':');
	size_t i, j, n, hits = 0;

	n = words_of(name ? name + 1 : cat_name, theirs);
	for (i = 0; i < nwords; i++)
		for (j = 0; j < n; j++)
			if (!strcmp(words[i], theirs[j])) {
				hits++;
				break;
			}
	return hits;
}

void tracepoint_related(char *const *names, size_t nnames, const char *func,
			char *buf, size_t size)
{
	char words[WORDS_MAX][64];
	size_t nwords = words_of(func, words), i, k, best[5], nbest = 0;
	size_t score[5], s, at = 0;

	buf[0] = '\0';
	for (i = 0; i < nnames && nwords; i++) {
		/* A system call's own tracepoints have no kernel frames. */
		if (!strncmp(names[i], "syscalls:", 9))
			continue;
		s = shared_words(words, nwords, names[i]);
		/*
		 * Two words in common where the function has two (one word
		 * alone, "block", would bring a whole category); most shared
		 * first; names come sorted, so ties stay so.
		 */
		if (s < (nwords < 2 ? nwords : 2) ||
		    (nbest == 5 && s <= score[4]))
			continue;
		k = nbest < 5 ? nbest++ : 4;
		while (k > 0 && score[k - 1] < s) {
			best[k] = best[k - 1];
			score[k] = score[k - 1];
			k--;
		}
		best[k] = i;
		score[k] = s;
	}
	for (i = 0; i < nbest && at < size; i++)
		at += snprintf(buf + at, size - at, "%st:%s", i ? ", " : "",
			       names[best[i]]);
}

/* ---- attach, check, detach ---- */

/*
 * One tracepoint, the card's way: a perf event of PERF_TYPE_TRACEPOINT
 * whose config is the tracepoint's id, then its program on it.  The event
 * fd, or a negative errno.
 */
static int tracepoint_attach(const struct tp_target *tp, int *link_fd)
{
	struct perf_event_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = tp->id;
	attr.sample_period = 1;
	attr.disabled = 1;
	fd = perf_event_open_cpu(&attr, 0);
	if (fd < 0)
		return fd;
	err = perf_event_run_prog(fd, tp->prog_fd, link_fd);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* Why the kernel refused tracepoint tp (err), into buf. */
static void refusal(const struct tp_target *tp, int err, char *buf,
		    size_t size)
{
	char why[1024];

	if (err == -EPERM || err == -EACCES)
		perm_reason(PERM_KPROBE, err, why, sizeof(why));
	else if (err == -ENOENT || err == -EINVAL)
		snprintf(why, sizeof(why),
			 "%s: the kernel has no such tracepoint (id %d)",
			 strerror(-err), tp->id);
	else
		snprintf(why, sizeof(why), "%s", strerror(-err));
	msg_fail(buf, size, err, "cannot attach to tracepoint %s: %s",
		 tp->name, why);
}

int tracepoints_attach(struct probes *p, char *err, size_t size)
{
	size_t i;
	int fd, link;

	for (i = 0; i < p->ntps; i++) {
		struct tp_target *tp = &p->tps[i];

		link = 0;
		fd = tracepoint_attach(tp, p->use_link ? &link : NULL);
		if (fd < 0) {
			refusal(tp, fd, err, size);
			tracepoints_detach(p);
			return fd;
		}
		tp->fd = fd;
		tp->link = link;
	}
	return 0;
}

/* tp's --check line: attached and detached at once, as for functions. */
static int check_one(struct probes *p, struct tp_target *tp,
		     char *const *names, size_t n, FILE *out)
{
	char why[1024], close_names[256];
	int fd, link = 0;

	if (tp->id < 0) {
		tracepoint_closest(names, n, tp->name, 0, close_names,
				   sizeof(close_names));
		fprintf(out, "t:%s: cannot trace: no such tracepoint%s\n",
			tp->name, close_names);
		return 1;
	}
	fd = tracepoint_attach(tp, p->use_link ? &link : NULL);
	if (fd < 0) {
		refusal(tp, fd, why, sizeof(why));
		fprintf(out, "t:%s: cannot trace: %s\n", tp->name, why);
		return 1;
	}
	if (link > 0)
		close(link);
	close(fd);
	fprintf(out, "t:%s: ok", tp->name);
	if (!strncmp(tp->name, "syscalls:", 9))
		fprintf(out, "; but its stacks hold no kernel frame: a system call's own tracepoint fires at the entry, with the registers of user space (trace __x64_sys_NAME or __arm64_sys_NAME, or raw_syscalls:sys_enter, for where the kernel is)");
	fputc('\n', out);
	return 0;
}

size_t tracepoints_check(struct probes *p, FILE *out)
{
	char **names = NULL;
	size_t i, n = 0, bad = 0;

	if (p->tp_dir && tracepoint_names(p->tp_dir, &names, &n))
		n = 0;
	for (i = 0; i < p->ntps; i++)
		bad += check_one(p, &p->tps[i], names, n, out);
	tracepoint_names_free(names, n);
	return bad;
}

void tracepoints_detach(struct probes *p)
{
	size_t i;

	for (i = 0; i < p->ntps; i++) {
		if (p->tps[i].link > 0)
			close(p->tps[i].link);
		if (p->tps[i].fd > 0)
			close(p->tps[i].fd);
		p->tps[i].fd = p->tps[i].link = 0;
	}
}

void tracepoints_free(struct probes *p)
{
	size_t i;

	tracepoints_detach(p);
	for (i = 0; i < p->ntps; i++)
		if (p->tps[i].prog_fd > 0)
			close(p->tps[i].prog_fd);
	free(p->tps);
	p->tps = NULL;
	p->ntps = 0;
}

int tracepoints_recursion_missed(const struct probes *p,
				 unsigned long long *missed)
{
	struct bpf_prog_info info;
	size_t i;
	int err;

	*missed = 0;
	for (i = 0; i < p->ntps; i++) {
		if (p->tps[i].prog_fd <= 0)
			continue;
		memset(&info, 0, sizeof(info));
		err = bpf_prog_get_info(p->tps[i].prog_fd, &info);
		if (err)
			return err;
		*missed += info.recursion_misses;
	}
	return 0;
}
