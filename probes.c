// SPDX-License-Identifier: GPL-2.0
/* probes.c - attach, check, count and detach the probes; see probes.h. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf.h"
#include "diagnose.h"
#include "kprobe.h"
#include "msg.h"
#include "notes.h"
#include "probes.h"
#include "stackmap.h"
#include "testhook.h"
#include "tracepoint.h"

/* Note an attached probe: its perf fd and its link's, or -1 (ioctl). */
static int fd_add(struct probes *p, int fd, int link)
{
	size_t cap = p->cap ? p->cap * 2 : 16;
	int *v;

	if (p->nfds == p->cap) {
		/* cap grows only once both arrays have room. */
		v = realloc(p->fds, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->fds = v;
		v = realloc(p->links, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->links = v;
		p->cap = cap;
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

/*
 * The addresses of every function named t->name, into info: 0, or
 * -EADDRNOTAVAIL when they cannot be told apart (hidden by kptr_restrict,
 * or fewer than two), -ETOOMANYREFS when there are more than show_bt
 * keeps, -ENOMEM, or why kallsyms cannot be read.
 */
static int shared_addrs(struct probes *p, const struct target *t,
			struct ksym_name_info *info)
{
	int ret = kview_lookup(&p->kv, t->name, info);

	if (ret == -EACCES || (!ret && info->naddrs < 2))
		return -EADDRNOTAVAIL;
	if (ret)
		return ret;
	return info->text > info->naddrs ? -ETOOMANYREFS : 0;
}

/*
 * A name of n functions was probed at ok of them: count it, and keep what
 * the first such name with refusals has to say (p->shared_first): how many
 * it names, which of them was refused and why, and one that is probed.
 */
static void shared_done(struct probes *p, const struct target *t,
			unsigned int n, unsigned int ok,
			unsigned long refused_at, int why,
			unsigned long probed_at)
{
	p->shared++;
	if (ok == n)
		return;
	p->shared_partial++;
	p->shared_refused += n - ok;
	if (p->shared_first.t)
		return;
	p->shared_first.t = t;
	p->shared_first.n = n;
	p->shared_first.refused = n - ok;
	p->shared_first.refused_at = refused_at;
	p->shared_first.why = why;
	p->shared_first.probed_at = probed_at;
}

/*
 * Several static functions share t's name: probe each by address, on
 * every kernel (since about 6.6, and in backports, the kernel refuses the
 * name with EADDRNOTAVAIL; before, it probes one of them without a word).
 * A copy the kernel refuses is left out and said (shared_done()); if
 * none can be probed, the first refusal is the answer.
 */
static int attach_shared(struct probes *p, const struct target *t, int type,
			 int prog_fd)
{
	struct ksym_name_info info;
	unsigned long refused_at = 0, probed_at = 0;
	unsigned int i, ok = 0;
	int ret = shared_addrs(p, t, &info);
	int first = 0;

	if (ret)
		return ret;
	for (i = 0; i < info.naddrs; i++) {
		ret = probe_add(p, type, NULL, info.addrs[i], t->offset,
				prog_fd);
		if (ret == -ENOMEM || ret == -EMFILE || ret == -ENFILE)
			return ret;
		if (!ret) {
			if (!ok++)
				probed_at = info.addrs[i];
			continue;
		}
		if (!first) {
			first = ret;
			refused_at = info.addrs[i];
		}
	}
	if (!ok)
		return first;
	shared_done(p, t, info.naddrs, ok, refused_at, first, probed_at);
	return 0;
}

/*
 * A name kallsyms lists once goes to the kernel as it is.  The kernel's
 * EADDRNOTAVAIL is still heeded: where kallsyms could not be read, it is
 * how a shared name shows.
 */
static int attach_one(struct probes *p, const struct target *t, int type,
		      int prog_fd)
{
	int ret;

	if (target_shared(t))
		return attach_shared(p, t, type, prog_fd);
	ret = probe_add(p, type, t->addr ? NULL : t->name, t->addr,
			t->offset, prog_fd);
	if (ret == -EADDRNOTAVAIL && !t->addr)
		return attach_shared(p, t, type, prog_fd);
	return ret;
}

/*
 * Closing a perf kprobe unregisters it, and the kernel waits for RCU grace
 * periods (and updates ftrace) before close() returns, one kprobe after the
 * other.  Closes from several threads share the waits: 200 kprobes under
 * emulation took 9.1 s to close one by one and 4.3 s from 8 threads, on
 * 6.1 and 6.12 alike (more threads gained nothing).  A few probes are
 * closed in place.
 */
#define CLOSERS		8
#define CLOSERS_FROM	16		/* probes, below: no threads */

struct closer {
	const struct probes *p;
	size_t first, step;		/* closes first, first + step... */
};

static void *closer_run(void *arg)
{
	const struct closer *c = arg;
	size_t i;

	for (i = c->first; i < c->p->nfds; i += c->step) {
		if (c->p->links[i] >= 0)
			close(c->p->links[i]);
		close(c->p->fds[i]);
	}
	return NULL;
}

/* Close every perf fd (and its link); a thread that cannot start is run. */
static void close_perf(struct probes *p)
{
	size_t k, n = p->nfds < CLOSERS_FROM ? 1 : CLOSERS;
	struct closer c[CLOSERS];
	pthread_t t[CLOSERS];
	int started[CLOSERS] = { 0 };
	pthread_attr_t attr;

	if (n > 1 && pthread_attr_init(&attr))
		n = 1;
	/* Small stacks will do; where the libc wants more (arm64), its own. */
	if (n > 1)
		pthread_attr_setstacksize(&attr, 64 << 10);
	for (k = 0; k < n; k++) {
		c[k] = (struct closer){ p, k, n };
		if (n > 1)
			started[k] = !pthread_create(&t[k], &attr, closer_run,
						     &c[k]);
	}
	for (k = 0; k < n; k++) {
		if (started[k])
			pthread_join(t[k], NULL);
		else
			closer_run(&c[k]);
	}
	if (n > 1)
		pthread_attr_destroy(&attr);
	p->nfds = 0;
}

static void close_all(struct probes *p)
{
	close_perf(p);
	/*
	 * nmulti, on_multi and multi_starts stay: probes_frame0() needs
	 * them after.
	 */
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

	err = tracepoints_recursion_missed(p, missed);
	if (err || !p->perf_prog || !p->nfds)
		return err;
	memset(&info, 0, sizeof(info));
	err = bpf_prog_get_info(p->perf_prog, &info);
	if (!err)
		*missed += info.recursion_misses;
	return err;
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

/* How many functions t names: the link needs room for each. */
static size_t target_functions(const struct target *t)
{
	return target_shared(t) ? t->copies : 1;
}

/*
 * The addresses the link would take for t, into addrs (room for
 * target_functions(t)): its one start, or the start of every function
 * that shares its name, if ftrace can trace them all (the name is listed
 * as often as it has functions: the link is all or nothing, and cannot
 * be told which of them ftrace refuses).  Returns how many, 0 to leave t
 * to kprobes, or -ENOMEM.
 */
static int target_link_addrs(struct probes *p, const struct target *t,
			     unsigned long *addrs)
{
	struct ksym_name_info info;
	unsigned int i;
	int ret;

	if (!target_shared(t)) {
		addrs[0] = t->kaddr;
		return 1;
	}
	ret = shared_addrs(p, t, &info);
	if (ret == -ENOMEM)
		return ret;
	if (ret || info.naddrs != t->copies)
		return 0;
	ret = kview_traceable_count(&p->kv, t->name);
	if (ret == -ENOMEM)
		return ret;
	if (ret >= 0 && (unsigned int)ret < info.naddrs)
		return 0;
	for (i = 0; i < info.naddrs; i++)
		addrs[i] = info.addrs[i];
	return info.naddrs;
}

/*
 * Which functions the link is offered: those of the targets it may take
 * (target_multi_able()) that are not on the kprobe blacklist, which only
 * perf kprobes check: a function named alone that kprobes refuse is
 * refused either way (patterns left the blacklist out already).  Their
 * addresses go to addrs (ascending target order; a shared name's one
 * after the other), their targets' indexes to idx; *n is how many.
 * Returns 0 or -ENOMEM.
 */
static int multi_pick(struct probes *p, unsigned long *addrs, size_t *idx,
		      size_t *n)
{
	size_t i;
	int listed, k, j;

	*n = 0;
	for (i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];

		if (!target_multi_able(t) || same_name(p, i))
			continue;
		listed = t->from_pattern ? 0 : kview_blacklisted(&p->kv,
								 t->name);
		if (listed < 0)
			return listed;
		if (listed)
			continue;
		k = target_link_addrs(p, t, addrs + *n);
		if (k < 0)
			return k;
		for (j = 0; j < k; j++)
			idx[(*n)++] = i;
	}
	return 0;
}

/*
 * Keep of addrs and idx the functions ftrace can trace (the link refuses
 * all if it cannot trace one; kprobes can, with a breakpoint).  *n is how
 * many are left, unchanged when the list cannot be read.  Returns 0 or
 * -ENOMEM.
 */
static int multi_traceable(struct probes *p, unsigned long *addrs,
			   size_t *idx, size_t *n)
{
	size_t i, u = 0;
	int ret;

	for (i = 0; i < *n; i++) {
		ret = kview_traceable(&p->kv, p->targets[idx[i]].name);
		if (ret == -ENOMEM)
			return ret;
		if (ret < 0)
			return 0;	/* no list: nothing to leave out */
		if (!ret)
			continue;
		addrs[u] = addrs[i];
		idx[u++] = idx[i];
	}
	*n = u;
	return 0;
}

static int ulong_cmp(const void *pa, const void *pb)
{
	unsigned long a = *(const unsigned long *)pa;
	unsigned long b = *(const unsigned long *)pb;

	return a < b ? -1 : a > b;
}

int probes_attach_multi(struct probes *p, int prog_fd, char *err,
			size_t size)
{
	unsigned long *addrs;
	size_t *idx, i, n, m, room = 1;
	int ret, fd;

	for (i = 0; i < p->ntargets; i++)
		room += target_functions(&p->targets[i]);
	addrs = calloc(room, sizeof(*addrs));
	idx = calloc(room, sizeof(*idx));
	p->multi_refused = 0;
	if (!addrs || !idx) {
		ret = msg_fail(err, size, -ENOMEM, "out of memory");
		goto out;
	}
	ret = diag_ftrace_usable(&p->kv, err, size);
	if (ret)
		goto out;
	ret = multi_pick(p, addrs, idx, &n);
	if (ret) {
		msg_fail(err, size, ret, "out of memory");
		goto out;
	}
	fd = n ? kprobe_multi_attach(prog_fd, addrs, n) : -ENOENT;
	/* The tracing line tells how many went where. */
	if (fd < 0 && n) {
		m = n;
		ret = multi_traceable(p, addrs, idx, &m);
		if (ret) {
			msg_fail(err, size, ret, "out of memory");
			goto out;
		}
		if (m && m < n) {
			n = m;
			fd = kprobe_multi_attach(prog_fd, addrs, n);
		}
	}
	if (fd < 0) {
		if (n)
			p->multi_refused = fd;
		goto out;
	}
	p->multi_link = fd;
	p->nmulti = n;
	for (i = 0; i < n; i++)
		p->targets[idx[i]].on_multi = 1;
	/* A shared name's functions went on together: all of them. */
	for (i = 0; i < p->ntargets; i++)
		if (p->targets[i].on_multi && target_shared(&p->targets[i]))
			p->shared++;
	/* Kept for probes_frame0(), which then needs no memory of its own. */
	qsort(addrs, n, sizeof(*addrs), ulong_cmp);
	free(p->multi_starts);
	p->multi_starts = addrs;
	addrs = NULL;
	/* All in one go: a test may catch the attach here, kprobes to come. */
	test_stop("attaching");
out:
	free(addrs);
	free(idx);
	return ret;
}

size_t probes_perf_left(const struct probes *p)
{
	size_t i, n = 0;

	/* Not ntargets - nmulti: a shared name is several functions. */
	for (i = 0; i < p->ntargets; i++)
		n += !p->targets[i].on_multi;
	return n;
}

/* Every function a pattern matched refused: the first refusal says why. */
static int none_probed(struct probes *p, char *err, size_t size)
{
	char first[1024] = "";

	if (p->refused_first)
		diag_explain(&p->kv, p->refused_first, p->refused_why, first,
			     sizeof(first));
	return msg_fail(err, size, -ENOENT,
			"none of the %zu matching functions could be probed; the first refusal: %s",
			p->ntargets, first);
}

int probes_attach(struct probes *p, int prog_fd, char *err, size_t size)
{
	char why[1024], desc[KSYM_NAME_LEN + 48];
	int type, ret;
	size_t i;

	p->refused = 0;
	p->refused_first = NULL;
	if (!probes_perf_left(p))
		return 0;
	type = diag_kprobes_usable(&p->kv, err, size);
	if (type < 0) {
		close_all(p);
		return type;
	}
	for (i = 0; i < p->ntargets; i++) {
		const struct target *t = &p->targets[i];

		if (t->on_multi)
			continue;
		if (t->addr && !t->from_pattern) {
			ret = diag_check_addr(&p->kv, t, err, size);
			if (ret < 0) {
				close_all(p);
				return ret == -ENOMEM ? ret : -ENOENT;
			}
		}
		if (t->offset) {
			ret = diag_check_offset(&p->kv, t, why, sizeof(why));
			if (ret < 0) {
				target_desc(t, desc, sizeof(desc));
				msg_fail(err, size, ret,
					 "cannot probe %.300s: %.700s", desc,
					 why);
				close_all(p);
				return ret == -ENOMEM ? ret : -ENOENT;
			}
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
			diag_explain(&p->kv, t, ret, err, size);
			close_all(p);
			return ret;
		}
		/* Worded when said (notes.h): a pattern may match many. */
		if (!p->refused++) {
			p->refused_first = t;
			p->refused_why = ret;
		}
	}
	if (!p->nfds && !p->nmulti)
		return none_probed(p, err, size);
	return 0;
}

/*
 * Whether a run would put t on the kprobe_multi link: a link of its own,
 * made and closed at once, tells.  Returns how many functions it took
 * (a shared name's all), or 0.
 */
static size_t check_multi(struct probes *p, const struct target *t,
			  int prog_fd)
{
	unsigned long addrs[KSYM_ADDRS_MAX];
	int n, fd;

	if (!p->use_multi || !target_multi_able(t) ||
	    kview_blacklisted(&p->kv, t->name))
		return 0;
	n = target_link_addrs(p, t, addrs);
	if (n <= 0)
		return 0;	/* out of memory: kprobes will say */
	fd = kprobe_multi_attach(prog_fd, addrs, n);
	if (fd < 0)
		return 0;
	close(fd);
	return n;
}

/*
 * A function kallsyms does not list (inlined, or absent from this
 * kernel): tracepoints whose names share words with its name may mark
 * the place.  Said at the end of its --check line, when there are any.
 */
static void suggest_tracepoints(struct probes *p, const struct target *t,
				FILE *out)
{
	struct ksym_name_info *info = calloc(1, sizeof(*info));
	char **names = NULL, line[512] = "";
	const char *dir;
	size_t n = 0;
	int why;

	/* A clone of it is the place to probe: the line says so already. */
	if (!info || t->addr || kview_lookup(&p->kv, t->name, info) ||
	    info->text || info->clones)
		goto out;
	dir = tracepoint_dir(&why);
	if (!dir || tracepoint_names(dir, &names, &n))
		goto out;
	tracepoint_related(names, n, t->name, line, sizeof(line));
	if (line[0])
		fprintf(out, "; tracepoints with words in common: %s", line);
out:
	tracepoint_names_free(names, n);
	free(info);
}

/* One --check line: "NAME: ok", "NAME: ok, but ...", or "cannot trace". */
static int check_one(struct probes *p, const struct target *t, int type,
		     int prog_fd, FILE *out)
{
	char desc[KSYM_NAME_LEN + 32], why[1024], note[3 * KSYM_NAME_LEN / 2];
	size_t before = p->nfds, partial = p->shared_partial, probed = 0;
	int ret = 0, perf_fd = p->use_multi ? p->perf_prog : prog_fd;

	target_desc(t, desc, sizeof(desc));
	p->shared_first.t = NULL;
	if (t->addr)
		ret = diag_check_addr(&p->kv, t, why, sizeof(why));
	if (!ret && t->offset &&
	    diag_check_offset(&p->kv, t, why, sizeof(why)) < 0) {
		fprintf(out, "%s: cannot trace: %s\n", desc, why);
		return 1;
	}
	if (!ret)
		probed = check_multi(p, t, prog_fd);
	/* Else a perf kprobe, as a run falls back to. */
	if (!ret && !probed) {
		ret = attach_one(p, t, type, perf_fd);
		probed = p->nfds - before;
	}
	if (ret) {
		if (!t->addr || ret != -ENOENT)
			diag_reason(&p->kv, t, ret, why, sizeof(why));
		fprintf(out, "%s: cannot trace: %s", desc, why);
		suggest_tracepoints(p, t, out);
		fputc('\n', out);
		return 1;
	}
	fprintf(out, "%s: ok", desc);
	if (p->shared_partial > partial) {
		notes_shared(&p->shared_first, note, sizeof(note));
		fprintf(out, "; but %s: the calls of the others would not be counted (pick one with NAME@ADDR)",
			note);
	} else if (probed > 1 || target_shared(t)) {
		fprintf(out, "; %zu functions share this name and each was probed (pick one with NAME@ADDR)",
			probed);
	}
	if (kview_traceable(&p->kv, t->name) == 0)
		fprintf(out, "; probed with a breakpoint, as ftrace cannot trace it (patterns skip it)");
	if (target_may_miss(t->name))
		fprintf(out, "; may miss hits: it is BPF or tracing code, and the kernel skips hits made while a BPF program runs on the same CPU");
	fputc('\n', out);
	close_all(p);
	return 0;
}

/*
 * What every --check line may need from the view, read before the first:
 * after, only a lookup in kallsyms may want memory, and diag_reason()
 * says so in its line.  The traceable list is read even where it cannot
 * be (then nothing is noted); the blacklist only for the link.
 */
static int check_prepare(struct probes *p, char *err, size_t size)
{
	char *const *names;
	size_t n;
	int ret = kview_traceable_list(&p->kv, &names, &n);

	if (ret != -ENOMEM && p->use_multi)
		ret = kview_blacklisted(&p->kv, "");
	if (ret == -ENOMEM)
		return msg_fail(err, size, ret, "out of memory");
	return 0;
}

size_t probes_check(struct probes *p, int prog_fd, FILE *out)
{
	char why[512];
	int type = diag_kprobes_usable(&p->kv, why, sizeof(why));
	size_t i, bad = 0;

	if (type >= 0 && check_prepare(p, why, sizeof(why)))
		type = -ENOMEM;
	if (type < 0) {
		for (i = 0; i < p->ntargets; i++) {
			fprintf(out, "%s: cannot trace: %s",
				p->targets[i].name, why);
			suggest_tracepoints(p, &p->targets[i], out);
			fputc('\n', out);
		}
		return p->ntargets + tracepoints_check(p, out);
	}
	for (i = 0; i < p->ntargets; i++)
		bad += check_one(p, &p->targets[i], type, prog_fd, out);
	return bad + tracepoints_check(p, out);
}

void probes_detach(struct probes *p)
{
	close_all(p);
	tracepoints_detach(p);
}

void probes_free(struct probes *p)
{
	close_all(p);
	tracepoints_free(p);
	if (p->perf_prog)
		close(p->perf_prog);
	free(p->fds);
	free(p->links);
	free(p->targets);
	free(p->multi_starts);
	kview_free(&p->kv);
	memset(p, 0, sizeof(*p));
}

void probes_label(const struct probes *p, const struct options *opts,
		  char *buf, size_t size)
{
	size_t n = p->ntargets - p->refused;

	if (opts->nfuncs == 1 && !opts->funcs[0].glob)
		snprintf(buf, size, "%s", opts->funcs[0].arg);
	else if (!p->ntps)
		snprintf(buf, size, "%zu function%s", n, n == 1 ? "" : "s");
	else if (!n)
		snprintf(buf, size, "%zu tracepoint%s", p->ntps,
			 p->ntps == 1 ? "" : "s");
	else
		snprintf(buf, size, "%zu function%s and %zu tracepoint%s", n,
			 n == 1 ? "" : "s", p->ntps, p->ntps == 1 ? "" : "s");
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
static int has_start(const unsigned long *starts, size_t n,
		     unsigned long addr)
{
	return bsearch(&addr, starts, n, sizeof(*starts), ulong_cmp) != NULL;
}

void probes_frame0(const struct probes *p, struct stack_set *set)
{
	const unsigned long *starts = p->multi_starts;
	size_t i, n = p->nmulti;

	if (!n || !starts)
		return;
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
}
#else
void probes_frame0(const struct probes *p, struct stack_set *set)
{
	(void)p;
	(void)set;
}
#endif
