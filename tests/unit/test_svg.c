// SPDX-License-Identifier: GPL-2.0
/*
 * test_svg.c - --svg: XML escaping, the merged tree of frames (nested
 * merges, -P towers, lost calls), elision that keeps the totals, 2,000
 * random stacks; every graph checked by an XML 1.0 well-formedness checker
 * written here, which also reads back each box's nesting, place, width and
 * tooltip.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../svg.h"
#include "stackset.h"
#include "unit.h"

/* ---- A small XML 1.0 well-formedness checker ---- */

#define XML_MAX_DEPTH	512

struct xbox {			/* one <g> of the graph */
	int parent;		/* index of the enclosing <g>, -1 if none */
	unsigned int level;	/* <g>s around it */
	double x, y, w;		/* its <rect> */
	int has_rect;
	char title[1024];	/* its <title>, entities decoded */
	char fill[16];
};

struct xdoc {
	struct xbox *box;
	size_t n, cap;
	const char *err;
	size_t at;
	unsigned int elements;
};

struct xp {
	const char *doc, *p;
	struct xdoc *d;
	char stack[XML_MAX_DEPTH][32];
	int gstack[XML_MAX_DEPTH];	/* box of each open element, or -1 */
	unsigned int depth;
};

static int xp_fail(struct xp *x, const char *why)
{
	if (!x->d->err) {
		x->d->err = why;
		x->d->at = x->p - x->doc;
	}
	return -1;
}

static int xml_char_ok(unsigned int c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

/* One character of text (a reference decoded) appended to buf. */
static int xp_char(struct xp *x, char *buf, size_t size)
{
	const unsigned char *s = (const unsigned char *)x->p;
	unsigned int n, cp;
	const char *why;
	char ent[16];
	size_t len, at = buf ? strlen(buf) : 0;

	if (*s == '&') {
		len = strcspn(x->p + 1, ";");
		if (len >= sizeof(ent) || x->p[1 + len] != ';')
			return xp_fail(x, "'&' without a reference");
		memcpy(ent, x->p + 1, len);
		ent[len] = '\0';
		if (!strcmp(ent, "amp"))
			cp = '&';
		else if (!strcmp(ent, "lt"))
			cp = '<';
		else if (!strcmp(ent, "gt"))
			cp = '>';
		else if (!strcmp(ent, "quot"))
			cp = '"';
		else if (!strcmp(ent, "apos"))
			cp = '\'';
		else if (ent[0] == '#' && ent[1] == 'x' && ent[2])
			cp = strtoul(ent + 2, NULL, 16);
		else if (ent[0] == '#' && ent[1])
			cp = strtoul(ent + 1, NULL, 10);
		else
			return xp_fail(x, "unknown entity");
		if (!xml_char_ok(cp))
			return xp_fail(x, "reference to a character XML forbids");
		x->p += len + 2;
		if (buf && at + 2 < size)	/* decoded: just mark it */
			buf[at++] = cp < 0x80 ? (char)cp : '?', buf[at] = 0;
		return 0;
	}
	n = test_utf8(s, &cp, &why);
	if (!n)
		return xp_fail(x, why);
	if (!xml_char_ok(cp))
		return xp_fail(x, "a character XML forbids");
	if (buf && at + n + 1 < size) {
		memcpy(buf + at, s, n);
		buf[at + n] = '\0';
	}
	x->p += n;
	return 0;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
	       c == '.';
}

static int xp_name(struct xp *x, char *name, size_t size)
{
	size_t n = 0;

	while (name_char(*x->p) && n + 1 < size)
		name[n++] = *x->p++;
	name[n] = '\0';
	return n ? 0 : xp_fail(x, "name expected");
}

static void xp_ws(struct xp *x)
{
	while (*x->p == ' ' || *x->p == '\n' || *x->p == '\t' ||
	       *x->p == '\r')
		x->p++;
}

static struct xbox *xp_box(struct xp *x)
{
	int i = x->depth ? x->gstack[x->depth - 1] : -1;

	return i >= 0 ? &x->d->box[i] : NULL;
}

static int xp_tag(struct xp *x)
{
	char name[32], attr[32], val[256];
	struct xbox *b = NULL;
	int box = x->depth ? x->gstack[x->depth - 1] : -1, self = 0;
	unsigned int i, ng = 0;
	char q;

	x->p++;
	if (xp_name(x, name, sizeof(name)))
		return -1;
	if (x->depth == 0 && x->d->elements)
		return xp_fail(x, "a second root element");
	x->d->elements++;
	if (!strcmp(name, "g")) {
		struct xdoc *d = x->d;

		if (d->n == d->cap) {
			d->cap = d->cap ? 2 * d->cap : 64;
			d->box = realloc(d->box, d->cap * sizeof(*d->box));
		}
		b = &d->box[d->n];
		memset(b, 0, sizeof(*b));
		b->parent = box;
		for (i = 0; i < x->depth; i++)
			ng += !strcmp(x->stack[i], "g");
		b->level = ng;
		box = d->n++;
	}
	for (;;) {
		xp_ws(x);
		if (x->p[0] == '/' && x->p[1] == '>') {
			x->p += 2;
			self = 1;
			break;
		}
		if (*x->p == '>') {
			x->p++;
			break;
		}
		if (xp_name(x, attr, sizeof(attr)))
			return -1;
		xp_ws(x);
		if (*x->p++ != '=')
			return xp_fail(x, "'=' expected");
		xp_ws(x);
		q = *x->p++;
		if (q != '"' && q != '\'')
			return xp_fail(x, "quoted value expected");
		val[0] = '\0';
		while (*x->p != q) {
			if (!*x->p || *x->p == '<')
				return xp_fail(x, "'<' or end in a value");
			if (xp_char(x, val, sizeof(val)))
				return -1;
		}
		x->p++;
		/* A <rect> right inside a <g>: the box. */
		if (!strcmp(name, "rect") && xp_box(x) &&
		    !strcmp(x->stack[x->depth - 1], "g")) {
			struct xbox *r = xp_box(x);

			r->has_rect = 1;
			if (!strcmp(attr, "x"))
				r->x = atof(val);
			else if (!strcmp(attr, "y"))
				r->y = atof(val);
			else if (!strcmp(attr, "width"))
				r->w = atof(val);
			else if (!strcmp(attr, "fill"))
				snprintf(r->fill, sizeof(r->fill), "%.15s", val);
		}
	}
	if (self)
		return 0;
	if (x->depth >= XML_MAX_DEPTH)
		return xp_fail(x, "nested too deep for the checker");
	snprintf(x->stack[x->depth], sizeof(x->stack[0]), "%s", name);
	x->gstack[x->depth++] = box;
	return 0;
}

/* NULL if doc is well-formed XML; the <g> boxes in d, in document order. */
static const char *xml_check(const char *doc, struct xdoc *d)
{
	struct xp *x = calloc(1, sizeof(*x));
	char name[32], *title;
	const char *err;

	memset(d, 0, sizeof(*d));
	x->doc = x->p = doc;
	x->d = d;
	if (!strncmp(x->p, "<?xml ", 6)) {
		x->p = strstr(x->p, "?>");
		x->p = x->p ? x->p + 2 : doc + strlen(doc);
	}
	while (*x->p && !d->err) {
		if (!strncmp(x->p, "<!--", 4)) {
			const char *e = strstr(x->p, "-->");

			if (!e) {
				xp_fail(x, "unterminated comment");
				break;
			}
			x->p = e + 3;
		} else if (x->p[0] == '<' && x->p[1] == '/') {
			x->p += 2;
			if (xp_name(x, name, sizeof(name)))
				break;
			xp_ws(x);
			if (*x->p++ != '>' || !x->depth ||
			    strcmp(x->stack[x->depth - 1], name)) {
				xp_fail(x, "mismatched end tag");
				break;
			}
			x->depth--;
		} else if (*x->p == '<') {
			xp_tag(x);
		} else {
			/* Text: in a <title> right inside a <g>, kept. */
			title = NULL;
			if (x->depth && !strcmp(x->stack[x->depth - 1],
						"title") && xp_box(x))
				title = xp_box(x)->title;
			if (!x->depth && !strchr(" \n\t\r", *x->p))
				xp_fail(x, "text outside the root element");
			else
				xp_char(x, title, title ? 1024 : 0);
		}
	}
	if (!d->err && x->depth)
		xp_fail(x, "unclosed elements at the end");
	if (!d->err && !d->elements)
		xp_fail(x, "no element");
	err = d->err;
	free(x);
	return err;
}

/* "NAME: N calls (P%)": the count, or -1. */
static long long title_count(const struct xbox *b)
{
	const char *c = strstr(b->title, " call");
	const char *p;

	if (!c)
		return -1;
	for (p = c; p > b->title && p[-1] >= '0' && p[-1] <= '9'; p--)
		;
	if (p == c || p < b->title + 2 || p[-1] != ' ' || p[-2] != ':')
		return -1;
	return atoll(p);
}

/* The box whose title starts with name, or NULL. */
static const struct xbox *box_named(const struct xdoc *d, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < d->n; i++)
		if (!strncmp(d->box[i].title, name, len) &&
		    d->box[i].title[len] == ':')
			return &d->box[i];
	return NULL;
}

/* ---- Helpers ---- */

static struct export_info info_of(int per_process)
{
	struct export_info info = { 0 };

	info.label = "vfs_write";
	info.window = 2.5;
	info.per_process = per_process;
	return info;
}

static char *graph(struct fx *fx, const struct export_info *info)
{
	char *buf;
	int rc;

	FX_CAPTURE(buf, rc = svg_write(out, &fx->set, &fx->tab, info));
	EXPECT(rc == 0, "svg_write returned %d", rc);
	return buf;
}

static void expect_wellformed(const char *name, const char *svg,
			      struct xdoc *d)
{
	const char *why = xml_check(svg, d);

	EXPECT(!why, "%s: not well-formed XML at byte %zu: %s: ...%.80s",
	       name, d->at, why, svg + (d->at > 30 ? d->at - 30 : 0));
}

/*
 * Every box: as wide as its count says (scale from the root), inside its
 * parent, one row above it, children left to right without overlap, and
 * the counts of the children no more than the parent's.
 */
static void expect_geometry(const struct xdoc *d)
{
	const struct xbox *root = d->n ? &d->box[0] : NULL, *b, *p;
	double scale, end;
	long long c, sum;
	size_t i, k;

	if (!root || title_count(root) <= 0)
		return;
	scale = root->w / title_count(root);
	for (i = 1; i < d->n; i++) {
		b = &d->box[i];
		p = &d->box[b->parent];
		c = title_count(b);
		EXPECT(c > 0 && b->has_rect, "box %zu: no count or rect: %s",
		       i, b->title);
		EXPECT(fabs(b->w - c * scale) < 0.02,
		       "box %zu (%s) is %.2f wide, its count says %.2f", i,
		       b->title, b->w, c * scale);
		EXPECT(b->x >= p->x - 0.01 && b->x + b->w <= p->x + p->w + 0.02,
		       "box %zu (%s) sticks out of its caller", i, b->title);
		EXPECT(fabs(b->y - (p->y - 16)) < 0.01,
		       "box %zu (%s) is not one row above its caller", i,
		       b->title);
		/* Children of b: left to right, counts within b's. */
		sum = 0;
		end = b->x;
		for (k = i + 1; k < d->n; k++) {
			if (d->box[k].parent != (int)i)
				continue;
			EXPECT(d->box[k].x >= end - 0.02,
			       "boxes over each other in %s", b->title);
			end = d->box[k].x + d->box[k].w;
			sum += title_count(&d->box[k]);
		}
		EXPECT(sum <= c, "%s: callees count %lld, more than %lld",
		       b->title, sum, c);
	}
}

/* ---- The cases ---- */

static char *xml_of(const char *s, size_t max)
{
	char *buf;

	FX_CAPTURE(buf, xml_put(out, s, max));
	return buf;
}

static void expect_xml(const char *s, size_t max, const char *want)
{
	char *got = xml_of(s, max);

	EXPECT(!strcmp(got, want), "xml_put(\"%s\", %zu): got \"%s\", want \"%s\"",
	       s, max, got, want);
	free(got);
}

static void test_xml_escape(void)
{
	expect_xml("vfs_write", 0, "vfs_write");
	expect_xml("<a&b>\"'", 0, "&lt;a&amp;b&gt;&quot;&apos;");
	expect_xml("\x01\t\n\x7f", 0, "&#xfffd;&#xfffd;&#xfffd;&#xfffd;");
	expect_xml("\xc2\x85", 0, "&#xfffd;");	/* C1 control NEL */
	expect_xml("\xef\xbf\xbe", 0, "&#xfffd;");	/* U+FFFE */
	expect_xml("\xc3\xa9\xf0\x9f\x98\x80", 0, "\xc3\xa9\xf0\x9f\x98\x80");
	expect_xml("a\xff\xc3", 0, "a&#xfffd;&#xfffd;");
	expect_xml("\xed\xa0\x80", 0, "&#xfffd;&#xfffd;&#xfffd;");
	/* Cut to max characters, ".." included; never inside a character. */
	expect_xml("abcdef", 6, "abcdef");
	expect_xml("abcdefg", 6, "abcd..");
	expect_xml("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, "\xc3\xa9..");
	expect_xml("&&&&&", 4, "&amp;&amp;..");
	test_end("svg_xml_escape");
}

static void test_nested_merge(void)
{
	struct fx *fx = fx_new();
	struct flame_node root, *c, *b;
	struct xdoc d;
	char *svg;
	int err;

	/* Innermost first; roots: entry (twice, different offsets), irq. */
	fx_stack(fx, 5, 0, NULL, 3, "leaf", "mid_b", "entry");
	fx_stack(fx, 3, 0, NULL, 3, "leaf", "mid_a", "+entry");
	fx_stack(fx, 2, 0, NULL, 3, "+leaf", "mid_b", "entry");
	fx_stack(fx, 4, 0, NULL, 2, "leaf", "irq [mod]");
	fx_stack(fx, 1, 0, NULL, 2, "0xffffffffc0000000", "entry");
	err = flame_build(&root, &fx->set, &fx->tab, 0);
	EXPECT(!err, "flame_build: %d", err);
	EXPECT(root.count == 15 && root.nkids == 2,
	       "root: %llu calls, %zu kids; want 15, 2", root.count,
	       root.nkids);
	if (root.nkids == 2) {
		c = &root.kids[0];
		EXPECT(!strcmp(c->name, "entry") && c->count == 11 &&
		       c->nkids == 3, "kid 0: %s %llu %zu", c->name,
		       c->count, c->nkids);
		EXPECT(!strcmp(root.kids[1].name, "irq [mod]") &&
		       root.kids[1].count == 4, "kid 1: %s %llu",
		       root.kids[1].name, root.kids[1].count);
		if (c->nkids == 3) {
			/* Sorted by name: the bare address, mid_a, mid_b. */
			EXPECT(!strcmp(c->kids[0].name, "0xffffffffc0000000") &&
			       c->kids[0].count == 1, "entry kid 0: %s",
			       c->kids[0].name);
			EXPECT(!strcmp(c->kids[1].name, "mid_a") &&
			       c->kids[1].count == 3, "entry kid 1: %s",
			       c->kids[1].name);
			b = &c->kids[2];
			EXPECT(!strcmp(b->name, "mid_b") && b->count == 7 &&
			       b->nkids == 1 && b->kids[0].count == 7 &&
			       !strcmp(b->kids[0].name, "leaf") &&
			       !b->kids[0].nkids,
			       "offsets not merged under mid_b: %s %llu %zu",
			       b->name, b->count, b->nkids);
		}
	}
	flame_free(&root);

	svg = graph(fx, &(struct export_info){ "vfs_write", NULL, 0, 2.5, 0 });
	expect_wellformed("nested", svg, &d);
	EXPECT(d.n == 9, "%zu boxes, want 9 (all, entry, 3 under it, leaf x2, irq, leaf)",
	       d.n);
	EXPECT(d.n && !strncmp(d.box[0].title, "all: 15 calls (100.00%)", 23),
	       "root title: %s", d.n ? d.box[0].title : "");
	EXPECT(box_named(&d, "mid_b") && title_count(box_named(&d, "mid_b")) == 7,
	       "no mid_b box of 7 calls");
	EXPECT(strstr(svg, "<title>show_bt: vfs_write, 15 calls in 2.50 s</title>"),
	       "no document title naming the function and window");
	EXPECT(strstr(svg, ">vfs_write: 15 calls in 2.50 s</text>"),
	       "no heading naming the function and window");
	expect_geometry(&d);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_nested_merge");
}

/*
 * 1,999 single calls through distinct leaves under one frame, against
 * 1,000 calls on one stack: the leaves are under 0.1% and not drawn, but
 * their calls stay in their caller's box, count and width.
 */
static void test_elision(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(0);
	const struct xbox *common, *root;
	char leaf[32], *svg;
	struct xdoc d;
	unsigned int i;

	fx_stack(fx, 1000, 0, NULL, 3, "big_leaf", "big", "entry");
	for (i = 0; i < 1999; i++) {
		snprintf(leaf, sizeof(leaf), "leaf_%04u", i);
		fx_stack(fx, 1, 0, NULL, 3, leaf, "common", "entry");
	}
	fx_stack(fx, 4, 0, NULL, 2, "just_enough", "entry");
	svg = graph(fx, &info);
	expect_wellformed("elision", svg, &d);
	root = d.n ? &d.box[0] : NULL;
	common = box_named(&d, "common");
	EXPECT(root && title_count(root) == 3003, "root count %lld, want 3003",
	       root ? title_count(root) : -1);
	EXPECT(common && title_count(common) == 1999,
	       "common's box: %s", common ? common->title : "none");
	EXPECT(common && strstr(common->title,
				"\n1999 of them through frames too narrow to draw"),
	       "common's tooltip does not say its calls are in hidden frames: %s",
	       common ? common->title : "none");
	EXPECT(!box_named(&d, "leaf_0000") && !box_named(&d, "leaf_1998"),
	       "frames under 0.1%% drawn");
	EXPECT(box_named(&d, "just_enough"), "a frame of 0.1%% left out");
	EXPECT(d.n == 6, "%zu boxes drawn, want 6", d.n);
	EXPECT(strstr(svg, "1999 frames under 0.1% of the calls not drawn"),
	       "no note of the frames left out");
	EXPECT(strlen(svg) < 20000, "%zu bytes for 6 boxes", strlen(svg));
	expect_geometry(&d);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_elision_keeps_totals");
}

static void test_per_process(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(1);
	const struct xbox *a, *b;
	struct xdoc d;
	char *svg;
	size_t i, towers = 0;

	fx_stack(fx, 6, 300, "writer", 2, "vfs_write", "ksys_write");
	fx_stack(fx, 4, 20, "sh", 2, "vfs_write", "ksys_write");
	fx_stack(fx, 2, 300, "writer", 2, "vfs_write", "do_pwrite");
	fx_stack(fx, 1, 20, "<b&>", 1, "vfs_write");
	fx_lost(fx, LOST_UNREADABLE, 2);
	svg = graph(fx, &info);
	expect_wellformed("per_process", svg, &d);
	for (i = 0; i < d.n; i++)
		towers += d.box[i].level == 1;
	/* The fixture's table reads no /proc: names are the threads'. */
	a = box_named(&d, "thread: sh (pid 20)");
	b = box_named(&d, "thread: writer (pid 300)");
	EXPECT(towers == 4, "%zu boxes on the root, want 4 (3 processes, 1 lost)",
	       towers);
	EXPECT(a && b && a->x < b->x, "towers not in pid order");
	EXPECT(a && title_count(a) == 4 && b && title_count(b) == 8,
	       "tower counts: sh %lld, writer %lld", a ? title_count(a) : -1,
	       b ? title_count(b) : -1);
	EXPECT(box_named(&d, "thread: <b&> (pid 20)"),
	       "process with <&> in its name");
	EXPECT(box_named(&d, "[stack unreadable]") &&
	       title_count(box_named(&d, "[stack unreadable]")) == 2,
	       "no box for the unreadable calls");
	EXPECT(d.n && title_count(&d.box[0]) == 15, "root: %s",
	       d.n ? d.box[0].title : "");
	EXPECT(strstr(svg, "vfs_write: 15 calls in 2.50 s, per process</text>"),
	       "heading does not say per process");
	/* ksys_write twice: once in each tower, not merged across them. */
	for (i = 0, towers = 0; i < d.n; i++)
		towers += !strncmp(d.box[i].title, "ksys_write:", 11);
	EXPECT(towers == 2, "%zu ksys_write boxes, want 2", towers);
	expect_geometry(&d);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_per_process_towers");
}

/* -T: a tower per thread, named as the text heads it, in pid order. */
static void test_per_thread(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(0);
	const struct xbox *a, *b, *c;
	struct xdoc d;
	char *svg;
	size_t i, towers = 0;

	info.per_thread = 1;
	fx_stack(fx, 6, 300, "fth_a", 2, "vfs_write", "ksys_write");
	fx_stack(fx, 4, 300, "fth_b", 2, "vfs_write", "ksys_write");
	fx_stack(fx, 2, 20, "sh", 2, "vfs_write", "ksys_write");
	fx->set.stacks[0].tid = 301;
	fx->set.stacks[1].tid = 302;
	fx->set.stacks[2].tid = 20;
	svg = graph(fx, &info);
	expect_wellformed("per_thread", svg, &d);
	for (i = 0; i < d.n; i++)
		towers += d.box[i].level == 1;
	a = box_named(&d, "fth_a (tid 301 of pid 300)");
	b = box_named(&d, "fth_b (tid 302 of pid 300)");
	c = box_named(&d, "sh (tid 20 of pid 20)");
	EXPECT(towers == 3, "%zu boxes on the root, want 3 threads", towers);
	EXPECT(a && b && c && title_count(a) == 6 && title_count(b) == 4 &&
	       title_count(c) == 2, "thread towers missing or miscounted");
	EXPECT(a && b && c && c->x < a->x && a->x < b->x,
	       "towers not in pid, then name order");
	EXPECT(strstr(svg, "vfs_write: 12 calls in 2.50 s, per thread</text>"),
	       "heading does not say per thread");
	expect_geometry(&d);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_per_thread_towers");
}

static void test_colours(void)
{
	struct fx *fx = fx_new(), *fx2 = fx_new();
	struct export_info info = info_of(0);
	const struct xbox *a, *b;
	struct xdoc d, d2;
	char *svg, *svg2;

	fx_stack(fx, 5, 0, NULL, 3, "leaf", "xfs_write [xfs]", "entry");
	fx_stack(fx2, 9, 0, NULL, 2, "other", "entry");
	fx_stack(fx2, 1, 0, NULL, 2, "leaf", "zzz");
	svg = graph(fx, &info);
	svg2 = graph(fx2, &info);
	expect_wellformed("colours", svg, &d);
	expect_wellformed("colours2", svg2, &d2);
	a = box_named(&d, "leaf");
	b = box_named(&d2, "leaf");
	EXPECT(a && b && a->fill[0] == '#' && !strcmp(a->fill, b->fill),
	       "leaf's colour differs between graphs: %s, %s",
	       a ? a->fill : "", b ? b->fill : "");
	a = box_named(&d, "entry");
	b = box_named(&d2, "entry");
	EXPECT(a && b && !strcmp(a->fill, b->fill), "entry's colour differs");
	a = box_named(&d, "xfs_write [xfs]");
	EXPECT(a && strlen(a->fill) == 7 &&
	       strtoul(a->fill + 1, NULL, 16) % 256 > 150,
	       "a module's frame is not in the aqua range: %s", a ? a->fill : "");
	free(d.box);
	free(d2.box);
	free(svg);
	free(svg2);
	fx_free(fx);
	fx_free(fx2);
	test_end("svg_colours_from_names");
}

static void test_hostile(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(1);
	char name[48], comm[16], *svg;
	struct xdoc d;
	unsigned int i, k;

	info.label = "<&\"'\x01\xff>";
	for (i = 0; i < 300; i++) {
		for (k = 0; k < sizeof(name) - 1; k++) {
			name[k] = 1 + test_below(255);
			if (name[k] == '[' || name[k] == '+')
				name[k] = '<';
		}
		name[k] = '\0';
		if (name[0] == '0')
			name[0] = '&';
		for (k = 0; k < sizeof(comm) - 1; k++)
			comm[k] = 1 + test_below(255);
		comm[k] = '\0';
		fx_stack(fx, 1 + test_below(50), i, comm, 2, name,
			 "entry");
	}
	svg = graph(fx, &info);
	expect_wellformed("hostile", svg, &d);
	EXPECT(d.n > 10, "only %zu boxes", d.n);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_hostile_names_wellformed");
}

/* 2,000 random stacks up to 60 deep, from 300 names: the graph holds. */
static void test_2000_stacks(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(0);
	const char *names[60];
	static char pool[300][24];
	unsigned long long total = 0;
	struct flame_node root;
	unsigned int i, k, n;
	struct xdoc d;
	char *svg;

	for (i = 0; i < 300; i++)
		snprintf(pool[i], sizeof(pool[i]), "func_%u", i);
	for (i = 0; i < 2000; i++) {
		n = 1 + test_below(60);
		for (k = 0; k < n; k++)
			/* A few roots, many leaves: like real stacks. */
			names[k] = pool[k + 1 == n ? test_below(3) :
					test_below(300)];
		fx_stack(fx, 1 + test_below(1000), 0, NULL, 0);
		/* fx_stack takes varargs: fill the frames by hand. */
		fx->set.stacks[i].nframes = n;
		free((void *)fx->set.stacks[i].ips);
		fx->set.stacks[i].ips = calloc(n, sizeof(__u64));
		for (k = 0; k < n; k++)
			((__u64 *)fx->set.stacks[i].ips)[k] =
				fx_addr(fx, names[k], "", 0x10);
		total += fx->set.stacks[i].count;
	}
	EXPECT(!flame_build(&root, &fx->set, &fx->tab, 0) &&
	       root.count == total, "tree total %llu, want %llu",
	       root.count, total);
	flame_free(&root);
	svg = graph(fx, &info);
	expect_wellformed("2000", svg, &d);
	EXPECT(d.n && title_count(&d.box[0]) == (long long)total,
	       "root %lld, want %llu", d.n ? title_count(&d.box[0]) : -1,
	       total);
	EXPECT(d.n < 20000, "%zu boxes drawn", d.n);
	expect_geometry(&d);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_2000_random_stacks");
}

static void test_empty(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of(0);
	struct xdoc d;
	char *svg;

	svg = graph(fx, &info);
	expect_wellformed("empty", svg, &d);
	EXPECT(d.n == 1 && !strncmp(d.box[0].title, "all: 0 calls", 12),
	       "empty graph: %zu boxes", d.n);
	free(d.box);
	free(svg);
	fx_free(fx);
	test_end("svg_empty");
}

/* The checker itself refuses what is not well-formed. */
static void test_checker(void)
{
	static const char *const bad[] = {
		"<a>", "<a></b>", "<a>&</a>", "<a>&foo;</a>", "<a>\x01</a>",
		"<a>\xff</a>", "<a b=\"<\"/>", "<a/><b/>", "<a>&#1;</a>",
		"", "text",
	};
	struct xdoc d;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT(xml_check(bad[i], &d), "accepted '%s'", bad[i]);
		free(d.box);
	}
	EXPECT(!xml_check("<?xml version=\"1.0\"?>\n<a x='1'><g><title>t&amp;&#xfffd;</title></g></a>\n",
			  &d), "refused a well-formed document");
	free(d.box);
	test_end("svg_checker_refuses_invalid");
}

int main(void)
{
	test_checker();
	test_xml_escape();
	test_nested_merge();
	test_elision();
	test_per_process();
	test_per_thread();
	test_colours();
	test_hostile();
	test_2000_stacks();
	test_empty();
	return test_failed ? 1 : 0;
}
