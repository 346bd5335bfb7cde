// SPDX-License-Identifier: GPL-2.0
/* svg.c - a flame graph of the stacks; see svg.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "utf8.h"

#define SVG_WIDTH	1200	/* pixels */
#define SVG_PAD		10	/* left, right and bottom margins */
#define SVG_TOP		72	/* the two title lines */
#define FRAME_H		16	/* one frame's height */
#define FONT_SIZE	12
#define CHAR_W		7	/* about one character of 12px Verdana */
#define NAME_MAX_LEN	(KSYM_NAME_LEN + KSYM_MODULE_MAX + 32)

/* The callee of n with this kind, pid and name; a new one if none. */
static struct flame_node *flame_kid(struct flame_node *n, enum flame_kind kind,
				    unsigned int pid, const char *name)
{
	struct flame_node *k;
	size_t i, cap;

	/* Stacks come most frequent first: the last kid is often the one. */
	for (i = n->nkids; i-- > 0;) {
		k = &n->kids[i];
		if (k->kind == kind && k->pid == pid && !strcmp(k->name, name))
			return k;
	}
	if (n->nkids == n->cap) {
		cap = n->cap ? n->cap * 2 : 4;
		k = realloc(n->kids, cap * sizeof(*k));
		if (!k)
			return NULL;
		n->kids = k;
		n->cap = cap;
	}
	k = &n->kids[n->nkids];
	memset(k, 0, sizeof(*k));
	k->name = strdup(name);
	if (!k->name)
		return NULL;
	k->kind = kind;
	k->pid = pid;
	n->nkids++;
	return k;
}

/* Frame f of s for the graph: the text output's name, without offset. */
static void frame_label(char *buf, size_t size, const struct stack *s,
			unsigned int f, const struct symtab *tab)
{
	const struct ksym *sym = symtab_frame_sym(tab, s, f);

	if (!sym)
		snprintf(buf, size, "0x%llx", (unsigned long long)s->ips[f]);
	else if (sym->module[0])
		snprintf(buf, size, "%s [%s]", sym->name, sym->module);
	else
		snprintf(buf, size, "%s", sym->name);
}

static int add_stack(struct flame_node *root, const struct stack_set *set,
		     const struct stack *s, const struct symtab *tab,
		     int per_process)
{
	char name[NAME_MAX_LEN];
	struct flame_node *n = root;
	unsigned int f;
	const char *comm;
	int thread;

	root->count += s->count;
	if (per_process == FLAME_SPLIT_THREAD) {
		/* A tower per thread, named as the text heads it. */
		snprintf(name, sizeof(name), "%s (tid %u of pid %u)",
			 symtab_process_comm(tab, s, &thread), s->tid, s->pid);
		n = flame_kid(n, FLAME_PROCESS, s->pid, name);
		if (!n)
			return -ENOMEM;
		n->count += s->count;
	} else if (per_process) {
		/* As the text names it: the process's command, or a thread's. */
		comm = symtab_process_comm(tab, s, &thread);
		snprintf(name, sizeof(name), "%s%s (pid %u)",
			 thread ? "thread: " : "", comm, s->pid);
		n = flame_kid(n, FLAME_PROCESS, s->pid, name);
		if (!n)
			return -ENOMEM;
		n->count += s->count;
	}
	/* A stack the kernel cut: its root is unknown, and says so. */
	if (output_stack_truncated(set, s)) {
		n = flame_kid(n, FLAME_FRAME, 0, OUTPUT_TRUNCATED);
		if (!n)
			return -ENOMEM;
		n->count += s->count;
	}
	for (f = s->nframes; f-- > 0;) {
		frame_label(name, sizeof(name), s, f, tab);
		n = flame_kid(n, FLAME_FRAME, 0, name);
		if (!n)
			return -ENOMEM;
		n->count += s->count;
	}
	return 0;
}

/* Processes by pid, frames by name, the lost causes last. */
static int kid_cmp(const void *pa, const void *pb)
{
	const struct flame_node *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void flame_sort(struct flame_node *n)
{
	size_t i;

	if (n->nkids > 1)
		qsort(n->kids, n->nkids, sizeof(*n->kids), kid_cmp);
	for (i = 0; i < n->nkids; i++)
		flame_sort(&n->kids[i]);
}

int flame_build(struct flame_node *root, const struct stack_set *set,
		const struct symtab *tab, int per_process)
{
	struct flame_node *n;
	char name[64];
	size_t i;
	int cause;

	memset(root, 0, sizeof(*root));
	root->kind = FLAME_ROOT;
	root->name = strdup("all");
	if (!root->name)
		return -ENOMEM;
	for (i = 0; i < set->n; i++)
		if (add_stack(root, set, &set->stacks[i], tab, per_process))
			return -ENOMEM;
	for (cause = 0; cause < LOST_NR; cause++) {
		if (!set->lost[cause])
			continue;
		/* As the text and folded outputs show them. */
		snprintf(name, sizeof(name), "[%s]", output_lost_name(cause));
		n = flame_kid(root, FLAME_LOST, 0, name);
		if (!n)
			return -ENOMEM;
		n->count = set->lost[cause];
		root->count += n->count;
	}
	flame_sort(root);
	return 0;
}

void flame_free(struct flame_node *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		flame_free(&n->kids[i]);
	free(n->kids);
	free(n->name);
	memset(n, 0, sizeof(*n));
}

int flame_visible(const struct flame_node *n, unsigned long long total)
{
	if (n->kind == FLAME_ROOT)
		return 1;
	/* count / total >= 1 / FLAME_MIN_SHARE, without overflow. */
	return n->count && n->count >= total / FLAME_MIN_SHARE +
		       (total % FLAME_MIN_SHARE != 0);
}

/* Characters in s, a stray byte counting as one. */
static size_t utf8_chars(const char *s)
{
	unsigned int cp;
	size_t len, n;

	for (n = 0; *s; n++) {
		len = utf8_next(s, &cp);
		s += len ? len : 1;
	}
	return n;
}

void xml_put(FILE *out, const char *s, size_t max)
{
	size_t len, i, keep = (size_t)-1;
	unsigned int cp;

	if (max && utf8_chars(s) > max)
		keep = max > 2 ? max - 2 : 0;
	for (i = 0; *s && i < keep; i++) {
		len = utf8_next(s, &cp);
		if (!len || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    cp == 0xfffe || cp == 0xffff)
			fputs("&#xfffd;", out);
		else if (cp == '&')
			fputs("&amp;", out);
		else if (cp == '<')
			fputs("&lt;", out);
		else if (cp == '>')
			fputs("&gt;", out);
		else if (cp == '"')
			fputs("&quot;", out);
		else if (cp == '\'')
			fputs("&apos;", out);
		else
			fwrite(s, 1, len, out);
		s += len ? len : 1;
	}
	if (*s)
		fputs("..", out);
}

struct svg_ctx {
	FILE *out;
	unsigned long long total;	/* calls: the root's count */
	double scale;			/* pixels per call */
	unsigned int depth;		/* the deepest level drawn; root 0 */
	size_t elided;			/* boxes too narrow to draw */
};

/* The deepest level drawn under n; counts the boxes left out. */
static unsigned int flame_depth(struct svg_ctx *c, const struct flame_node *n)
{
	unsigned int d = 0, k;
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		if (!flame_visible(&n->kids[i], c->total)) {
			c->elided++;
			continue;
		}
		k = 1 + flame_depth(c, &n->kids[i]);
		if (k > d)
			d = k;
	}
	return d;
}

/*
 * A colour from the name alone, so a function has the same one in every
 * graph: flamegraph.pl's warm palette (bright enough for black text) for
 * the kernel, aqua for modules, blue for processes, grey for lost calls.
 */
static void colour(const struct flame_node *n, char *buf, size_t size)
{
	unsigned int h = 2166136261u, r, g, b;
	double v1, v2, v3;
	const char *p;

	for (p = n->name; *p; p++)	/* FNV-1a */
		h = (h ^ (unsigned char)*p) * 16777619u;
	v1 = (h & 0xff) / 255.0;
	v2 = (h >> 8 & 0xff) / 255.0;
	v3 = (h >> 16 & 0xff) / 255.0;
	if (n->kind == FLAME_LOST) {
		r = g = b = 200;
	} else if (n->kind == FLAME_PROCESS) {
		r = 120 + 50 * v1;
		g = 160 + 50 * v2;
		b = 225 + 30 * v3;
	} else if (n->kind == FLAME_FRAME && strchr(n->name, ' ')) {
		r = 60 + 60 * v1;	/* "func [module]" */
		g = 175 + 50 * v2;
		b = 175 + 50 * v3;
	} else {
		r = 205 + 50 * v3;
		g = 80 + 150 * v1;
		b = 55 * v2;
	}
	snprintf(buf, size, "#%02x%02x%02x", r, g, b);
}

static void draw(struct svg_ctx *c, const struct flame_node *n, double x,
		 unsigned int level)
{
	double w = c->total ? n->count * c->scale : SVG_WIDTH - 2 * SVG_PAD;
	double y = SVG_TOP + (double)(c->depth - level) * FRAME_H;
	unsigned long long hidden = 0;
	char fill[8];
	size_t i, fit;

	for (i = 0; i < n->nkids; i++)
		if (!flame_visible(&n->kids[i], c->total))
			hidden += n->kids[i].count;
	colour(n, fill, sizeof(fill));
	fputs("<g><title>", c->out);
	xml_put(c->out, n->name, 0);
	fprintf(c->out, ": %llu call%s (%.2f%%)", n->count,
		n->count == 1 ? "" : "s",
		c->total ? 100.0 * n->count / c->total : 0.0);
	if (hidden)
		fprintf(c->out, "\n%llu of them through frames too narrow to draw",
			hidden);
	fprintf(c->out,
		"</title><rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
		x, y, w, FRAME_H - 1, fill);
	/* The name if it fits, else a start of it worth reading, or none. */
	fit = w > 6 ? (size_t)((w - 6) / CHAR_W) : 0;
	if (fit >= 5 || (fit && utf8_chars(n->name) <= fit)) {
		fprintf(c->out, "<text x=\"%.2f\" y=\"%.0f\">", x + 3,
			y + FRAME_H - 4);
		xml_put(c->out, n->name, fit);
		fputs("</text>", c->out);
	}
	fputc('\n', c->out);
	/* Boxes left out keep their room: x is by calls, theirs included. */
	for (i = 0; i < n->nkids; i++) {
		if (flame_visible(&n->kids[i], c->total))
			draw(c, &n->kids[i], x, level + 1);
		x += n->kids[i].count * c->scale;
	}
	fputs("</g>\n", c->out);
}

static void header(struct svg_ctx *c, const struct stack_set *set,
		   const struct export_info *info, unsigned int height)
{
	const __u64 *l = set->lost;
	FILE *out = c->out;

	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" viewBox=\"0 0 %d %u\" font-family=\"Verdana, 'DejaVu Sans', sans-serif\" font-size=\"%d\">\n<title>show_bt: ",
		SVG_WIDTH, height, SVG_WIDTH, height, FONT_SIZE);
	xml_put(out, info->label ? info->label : "", 0);
	fprintf(out, ", %llu call%s in %.2f s</title>\n",
		c->total, c->total == 1 ? "" : "s", info->window);
	fprintf(out,
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%u\" fill=\"#f8f8f4\"/>\n"
		"<text x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"17\">",
		SVG_WIDTH, height, SVG_WIDTH / 2);
	xml_put(out, info->label ? info->label : "", 0);
	fprintf(out, ": %llu call%s in %.2f s%s%s</text>\n",
		c->total, c->total == 1 ? "" : "s", info->window,
		info->per_process ? ", per process" :
		info->per_thread ? ", per thread" : "",
		info->depth ? ", innermost frames only" : "");
	fprintf(out,
		"<text x=\"%d\" y=\"44\" text-anchor=\"middle\" fill=\"#444\">counted by stack id %llu, by frames %llu, unreadable %llu, lost %llu (map full %llu, other %llu); skipped by the kernel ",
		SVG_WIDTH / 2, (unsigned long long)set->by_id,
		(unsigned long long)set->by_frames,
		(unsigned long long)l[LOST_UNREADABLE],
		(unsigned long long)(l[LOST_MAP_FULL] + l[LOST_OTHER]),
		(unsigned long long)l[LOST_MAP_FULL],
		(unsigned long long)l[LOST_OTHER]);
	if (info->skipped >= 0)
		fprintf(out, "%lld</text>\n", info->skipped);
	else
		fputs("not counted before Linux 6.7</text>\n", out);
	fprintf(out,
		"<text x=\"%d\" y=\"62\" text-anchor=\"middle\" fill=\"#444\">root at the bottom, width by calls; hover a frame for its full name and count",
		SVG_WIDTH / 2);
	if (c->elided)
		fprintf(out, "; %zu frame%s under %.1f%% of the calls not drawn (their calls stay in the frame below)",
			c->elided, c->elided == 1 ? "" : "s",
			100.0 / FLAME_MIN_SHARE);
	fputs("</text>\n", out);
}

int svg_write(FILE *out, const struct stack_set *set,
	      const struct symtab *tab, const struct export_info *info)
{
	struct svg_ctx c = { out, 0, 0, 0, 0 };
	struct flame_node root;
	unsigned int height;
	int err;

	err = flame_build(&root, set, tab, info->per_thread ?
			  FLAME_SPLIT_THREAD : info->per_process);
	if (err)
		goto out;
	c.total = root.count;
	c.scale = c.total ? (double)(SVG_WIDTH - 2 * SVG_PAD) / c.total : 0;
	c.depth = flame_depth(&c, &root);
	height = SVG_TOP + (c.depth + 1) * FRAME_H + SVG_PAD;
	header(&c, set, info, height);
	draw(&c, &root, SVG_PAD, 0);
	fputs("</svg>\n", out);
	err = ferror(out) ? -EIO : 0;
out:
	flame_free(&root);
	return err;
}
