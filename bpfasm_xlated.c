// SPDX-License-Identifier: GPL-2.0
/*
 * bpfasm_xlated.c - bpfasm_print_xlated() of bpfasm.h: the program as we
 * loaded it beside the kernel's rewrite of it, read back with
 * BPF_OBJ_GET_INFO_BY_FD (bpf.c), helper calls named from /proc/kallsyms
 * (kallsyms.c).  Both sides are printed by the codec (bpfasm_print.c); the
 * forms only a rewrite has (map ids, calls by address, per-CPU moves) are
 * printed here.
 *
 * The rows pair our instructions with the kernel's by how alike they are
 * (a weighted longest common subsequence), so what the verifier inlined,
 * dropped or moved stands out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpfasm.h"
#include "bpfasm_text.h"
#include "kallsyms.h"

/* Kernel-internal: a mov that makes a per-CPU address this CPU's. */
#define BPF_ADDR_PERCPU	(-1)

/* The xlated program's maps: its ids, with the names and fds we use. */
struct xmap {
	__u32 id;
	int fd;
	const char *name;
};

/* The function a kernel-resolved call goes to. */
struct xcall {
	__s32 imm;
	char name[KSYM_NAME_LEN + 24];
};

/*
 * What the kernel's rewrite refers to: map loads hold the map's id, calls
 * the offset of their function from __bpf_call_base.
 */
struct xnames {
	const struct xmap *maps;
	size_t nmaps;
	const struct xcall *calls;
	size_t ncalls;
};

static const struct xmap *xmap_by_id(const struct xnames *xn, __u32 id)
{
	size_t i;

	for (i = 0; i < xn->nmaps; i++)
		if (xn->maps[i].id == id)
			return &xn->maps[i];
	return NULL;
}

static const char *xcall_name(const struct xnames *xn, __s32 imm)
{
	size_t i;

	for (i = 0; i < xn->ncalls; i++)
		if (xn->calls[i].imm == imm)
			return xn->calls[i].name;
	return NULL;
}

/*
 * The instructions only a rewrite has, or has with another meaning, into
 * line: a map load by id ("r1 = map[id:7] ll"), of a value's address by
 * id and offset ("r1 = map[id:7][0]+8 ll"), a helper call by the function
 * it reaches ("call bpf_get_stackid"), a per-CPU address move.  Returns
 * the slots taken, or 0 for any other instruction: the codec's syntax,
 * ours, says those.
 */
static size_t xlated_form(const struct bpf_insn *p, size_t at, size_t left,
			  const struct xnames *xn, struct bpfasm_line *line)
{
	const struct bpf_insn *in = &p[at], *hi = in + 1;
	const struct xmap *xm;
	const char *name;

	line->note[0] = '\0';
	if (in->dst_reg > 10 || in->src_reg > 10)
		return 0;
	if (in->code == (BPF_ALU64 | BPF_MOV | BPF_X) && !in->imm &&
	    in->off == BPF_ADDR_PERCPU) {
		snprintf(line->text, sizeof(line->text),
			 "r%d = &(void __percpu *)(r%d)", in->dst_reg,
			 in->src_reg);
		return 1;
	}
	if (in->code == (BPF_JMP | BPF_CALL) && !in->dst_reg && !in->off &&
	    !in->src_reg) {
		name = xcall_name(xn, in->imm);
		if (name)
			snprintf(line->text, sizeof(line->text),
				 "call %.80s", name);
		else
			snprintf(line->text, sizeof(line->text), "call %d",
				 in->imm);
		if (!name && !in->imm)
			snprintf(line->note, sizeof(line->note),
				 "address hidden (kptr_restrict)");
		return 1;
	}
	if (in->code != (BPF_LD | BPF_DW | BPF_IMM) || left < 2 || in->off ||
	    hi->code || hi->dst_reg || hi->src_reg || hi->off ||
	    (in->src_reg != BPF_PSEUDO_MAP_FD &&
	     in->src_reg != BPF_PSEUDO_MAP_VALUE))
		return 0;
	if (in->src_reg == BPF_PSEUDO_MAP_FD)
		snprintf(line->text, sizeof(line->text), "r%d = map[id:%u] ll",
			 in->dst_reg, (__u32)in->imm);
	else
		snprintf(line->text, sizeof(line->text),
			 "r%d = map[id:%u][0]+%u ll", in->dst_reg,
			 (__u32)in->imm, (__u32)hi->imm);
	xm = xmap_by_id(xn, (__u32)in->imm);
	if (xm && xm->name)
		snprintf(line->note, sizeof(line->note), "the address of %s",
			 xm->name);
	return 2;
}

/* The id the kernel gave the map behind fd; 0 if it will not say. */
static __u32 map_id(int fd)
{
	struct bpf_map_info info;

	memset(&info, 0, sizeof(info));
	if (bpf_map_get_info(fd, &info))
		return 0;
	return info.id;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Name the functions the xlated calls go to: the kernel turned each
 * helper id into the helper's address less __bpf_call_base's.  Fills
 * *calls (to be freed); leaves it empty when kallsyms will not tell.
 */
static void resolve_calls(const struct bpf_insn *x, size_t len,
			  struct xcall **calls, size_t *ncalls)
{
	struct kallsyms ks;
	unsigned long *addrs = NULL, base;
	unsigned int nbase;
	struct ksym *syms = NULL;
	struct xcall *c = NULL;
	size_t i, j, n = 0;

	*calls = NULL;
	*ncalls = 0;
	if (kallsyms_read_all(&ks, KALLSYMS_PATH, KALLSYMS_MODULES_PATH, 0))
		return;
	if (kallsyms_addrs(&ks, "__bpf_call_base", &base, &nbase) ||
	    nbase != 1 || !base)
		goto out;
	addrs = calloc(len, sizeof(*addrs));
	if (!addrs)
		goto out;
	for (i = 0; i < len; i++)
		if (x[i].code == (BPF_JMP | BPF_CALL) && !x[i].src_reg &&
		    x[i].imm)
			addrs[n++] = base + (long)x[i].imm;
	qsort(addrs, n, sizeof(*addrs), cmp_ulong);
	for (i = j = 0; i < n; i++)
		if (!j || addrs[j - 1] != addrs[i])
			addrs[j++] = addrs[i];
	n = j;
	syms = calloc(n + 1, sizeof(*syms));
	c = calloc(n + 1, sizeof(*c));
	if (!syms || !c ||
	    kallsyms_resolve_read(&ks, addrs, n, syms, NULL, NULL, 0)) {
		free(c);
		goto out;
	}
	for (i = 0; i < n; i++) {
		c[i].imm = (__s32)(long)(addrs[i] - base);
		if (syms[i].addr == addrs[i])
			snprintf(c[i].name, sizeof(c[i].name), "%s",
				 syms[i].name);
		else
			ksym_format(c[i].name, sizeof(c[i].name), addrs[i],
				    &syms[i]);
	}
	*calls = c;
	*ncalls = n;
out:
	free(syms);
	free(addrs);
	kallsyms_free(&ks);
}

/* Instructions, as units of one or two slots. */
struct units {
	size_t *at;		/* the first slot of each */
	size_t n;
};

static int split_units(const struct bpf_insn *p, size_t len, struct units *u)
{
	size_t i;

	u->n = 0;
	u->at = calloc(len + 1, sizeof(*u->at));
	if (!u->at)
		return -ENOMEM;
	for (i = 0; i < len; i++) {
		u->at[u->n++] = i;
		if (p[i].code == (BPF_LD | BPF_DW | BPF_IMM) && i + 1 < len)
			i++;
	}
	return 0;
}

/*
 * How alike two instructions are: 3 the same, 2 the same but for what the
 * kernel rewrites (a map's fd, a call's target, a jump's offset), 1 the
 * same operation on the same register, 0 unrelated.
 */
static int alike(const struct bpf_insn *a, const struct bpf_insn *b)
{
	int wide = a->code == (BPF_LD | BPF_DW | BPF_IMM);
	int cls = BPF_CLASS(a->code);

	if (!memcmp(a, b, (wide ? 2 : 1) * sizeof(*a)))
		return 3;
	if (a->code != b->code || a->dst_reg != b->dst_reg)
		return 0;
	if (wide || a->code == (BPF_JMP | BPF_CALL))
		return a->src_reg == b->src_reg ||
		       (a->src_reg == BPF_PSEUDO_MAP_FD &&
			b->src_reg == BPF_PSEUDO_MAP_VALUE) ? 2 : 1;
	if ((cls == BPF_JMP || cls == BPF_JMP32) &&
	    a->src_reg == b->src_reg && a->imm == b->imm)
		return 2;
	return a->src_reg == b->src_reg ? 1 : 0;
}

/* One row of the side-by-side listing: a slot index, or -1 for none. */
struct row {
	long a, b;
};

/*
 * Pair our units with the kernel's: the pairing of greatest likeness that
 * keeps both in order (a longest common subsequence, weighted).  Rows into
 * *rows (to be freed).
 */
static int align(const struct bpf_insn *pa, const struct units *ua,
		 const struct bpf_insn *pb, const struct units *ub,
		 struct row **rows, size_t *nrows)
{
	size_t w = ub->n + 1, i, j, n = 0;
	struct row *r;
	int *dp, s;

	dp = calloc((ua->n + 1) * w, sizeof(*dp));
	r = calloc(ua->n + ub->n + 1, sizeof(*r));
	if (!dp || !r) {
		free(dp);
		free(r);
		return -ENOMEM;
	}
	/* dp[i][j]: the best over our units i.. and the kernel's j.. */
	for (i = ua->n + 1; i-- > 0;)
		for (j = ub->n + 1; j-- > 0;) {
			if (i == ua->n || j == ub->n)
				continue;
			s = dp[(i + 1) * w + j];
			if (dp[i * w + j + 1] > s)
				s = dp[i * w + j + 1];
			if (alike(&pa[ua->at[i]], &pb[ub->at[j]]) &&
			    dp[(i + 1) * w + j + 1] +
			    alike(&pa[ua->at[i]], &pb[ub->at[j]]) > s)
				s = dp[(i + 1) * w + j + 1] +
				    alike(&pa[ua->at[i]], &pb[ub->at[j]]);
			dp[i * w + j] = s;
		}
	for (i = j = 0; i < ua->n || j < ub->n;) {
		s = i < ua->n && j < ub->n ?
		    alike(&pa[ua->at[i]], &pb[ub->at[j]]) : 0;
		if (s && dp[i * w + j] == dp[(i + 1) * w + j + 1] + s) {
			r[n].a = ua->at[i++];
			r[n++].b = ub->at[j++];
		} else if (i < ua->n && (j == ub->n ||
					  dp[i * w + j] == dp[(i + 1) * w + j])) {
			r[n].a = ua->at[i++];
			r[n++].b = -1;
		} else {
			r[n].a = -1;
			r[n++].b = ub->at[j++];
		}
	}
	free(dp);
	*rows = r;
	*nrows = n;
	return 0;
}

/*
 * "%4zu: TEXT  # note" for one side of a row; "" for none.  Ours (xn
 * NULL) notes each map load's fd, the kernel's side (xn) its rewrites.
 */
static void side_text(char *buf, size_t size, const struct bpf_insn *p,
		      size_t len, long at, const struct prog_maps *maps,
		      const struct xnames *xn)
{
	struct bpfasm_line line;

	buf[0] = '\0';
	if (at < 0)
		return;
	if (!xn)
		bpfasm_insn_text(p, at, len - at, maps, 1, &line);
	else if (!xlated_form(p, at, len - at, xn, &line))
		bpfasm_insn_text(p, at, len - at, NULL, 0, &line);
	if (line.note[0])
		snprintf(buf, size, "%4ld: %-*s # %s", at,
			 BPFASM_TEXT_WIDTH - 4, line.text, line.note);
	else
		snprintf(buf, size, "%4ld: %s", at, line.text);
}

static void print_rows(FILE *out, const struct row *rows, size_t nrows,
		       const struct prog *orig, const struct prog_maps *maps,
		       const struct bpf_insn *x, size_t xlen,
		       const struct xnames *theirs)
{
	char left[sizeof(struct bpfasm_line) + 32];
	char right[sizeof(struct bpfasm_line) + 32], mark;
	const struct row *r;
	size_t i;

	for (i = 0; i < nrows; i++) {
		r = &rows[i];
		side_text(left, sizeof(left), orig->insns, orig->len, r->a,
			  maps, NULL);
		side_text(right, sizeof(right), x, xlen, r->b, maps, theirs);
		if (r->a < 0)
			mark = '+';
		else if (r->b < 0)
			mark = '-';
		else
			mark = alike(&orig->insns[r->a], &x[r->b]) == 3 ?
			       ' ' : '~';
		if (right[0])
			fprintf(out, "%c %-62s| %s\n", mark, left, right);
		else
			fprintf(out, "%c %-62s|\n", mark, left);
	}
}

/* What the kernel runs: the program, the map ids, the JIT's size. */
struct xlated {
	struct bpf_insn *insns;
	__u32 len;		/* instructions */
	__u32 jited;		/* bytes of machine code; 0: interpreted */
	__u32 *ids;
	__u32 nids;
};

/*
 * BPF_OBJ_GET_INFO_BY_FD twice: the sizes, then the instructions and map
 * ids into buffers that big.  0, -EPERM (shown with CAP_BPF or
 * CAP_SYS_ADMIN only) or -errno; x's buffers are the caller's to free.
 */
static int read_xlated(int prog_fd, struct xlated *x)
{
	struct bpf_prog_info info;
	__u32 bytes;
	int err;

	memset(&info, 0, sizeof(info));
	err = bpf_prog_get_info(prog_fd, &info);
	if (err)
		return err;
	bytes = info.xlated_prog_len;
	x->jited = info.jited_prog_len;
	x->nids = info.nr_map_ids;
	if (!bytes)
		return -EPERM;
	x->insns = calloc(1, bytes);
	x->ids = calloc(x->nids + 1, sizeof(*x->ids));
	if (!x->insns || !x->ids)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = bytes;
	info.xlated_prog_insns = (__u64)(unsigned long)x->insns;
	info.nr_map_ids = x->nids;
	info.map_ids = (__u64)(unsigned long)x->ids;
	err = bpf_prog_get_info(prog_fd, &info);
	if (err)
		return err;
	if (info.xlated_prog_len < bytes)
		bytes = info.xlated_prog_len;
	x->len = bytes / sizeof(*x->insns);
	if (info.nr_map_ids < x->nids)
		x->nids = info.nr_map_ids;
	return 0;
}

/* The header: sizes, JIT, each map fd and the id that replaced it. */
static void print_header(FILE *out, const struct prog *orig,
			 const struct xlated *x, const struct xnames *theirs)
{
	size_t i, j;

	fprintf(out, "# The program as we loaded it (left), and as the kernel "
		"runs it (right), read\n# back with BPF_OBJ_GET_INFO_BY_FD: "
		"%zu instructions became %u.\n", orig->len, x->len);
	if (x->jited)
		fprintf(out,
			"# The JIT made %u bytes of machine code of them.\n",
			x->jited);
	else
		fprintf(out, "# Not JIT-ed: the kernel interprets them.\n");
	fprintf(out, "# The verifier replaced each map fd with the map's "
		"address; read back, the\n# map's id stands in its place "
		"(--verifier-log=2 shows the address):\n");
	for (i = 0; i < x->nids; i++) {
		for (j = 0; j < theirs->nmaps &&
			    theirs->maps[j].id != x->ids[i]; j++)
			;
		if (j < theirs->nmaps)
			fprintf(out, "#   map[%s]: fd %d -> map[id:%u]\n",
				theirs->maps[j].name, theirs->maps[j].fd,
				x->ids[i]);
		else
			fprintf(out, "#   map[id:%u]\n", x->ids[i]);
	}
	fprintf(out, "# Helper calls now name the function they reach; some "
		"map lookups are\n# inlined.  Rows: ' ' unchanged, '~' "
		"rewritten, '-' ours only, '+' the\n# kernel's only.\n");
}

int bpfasm_print_xlated(FILE *out, int prog_fd, const struct prog *orig,
			const struct prog_maps *maps)
{
	struct xnames theirs = { 0 };
	struct xmap xmaps[MAP_NR];
	struct units ua = { 0 }, ub = { 0 };
	struct xlated x = { 0 };
	struct xcall *calls = NULL;
	struct row *rows = NULL;
	size_t i, nrows, ncalls;
	int err;

	err = read_xlated(prog_fd, &x);
	if (err)
		goto out;
	for (i = 0; i < MAP_NR; i++) {
		xmaps[i].fd = maps->fd[i];
		xmaps[i].id = map_id(maps->fd[i]);
		xmaps[i].name = prog_map_name(maps, maps->fd[i]);
	}
	theirs.maps = xmaps;
	theirs.nmaps = i;
	resolve_calls(x.insns, x.len, &calls, &ncalls);
	theirs.calls = calls;
	theirs.ncalls = ncalls;
	print_header(out, orig, &x, &theirs);

	err = -ENOMEM;
	if (split_units(orig->insns, orig->len, &ua) ||
	    split_units(x.insns, x.len, &ub) ||
	    align(orig->insns, &ua, x.insns, &ub, &rows, &nrows))
		goto out;
	print_rows(out, rows, nrows, orig, maps, x.insns, x.len, &theirs);
	err = ferror(out) ? -EIO : 0;
out:
	free(rows);
	free(ua.at);
	free(ub.at);
	free(calls);
	free(x.ids);
	free(x.insns);
	return err;
}
