// SPDX-License-Identifier: GPL-2.0
/*
 * test_json.c - --json: string escaping (quotes, backslashes, control
 * characters, valid and invalid UTF-8, random bytes) and whole documents
 * from synthetic stack sets, each checked by a strict JSON parser written
 * here from RFC 8259, apart from the writer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../json.h"
#include "stackset.h"
#include "unit.h"

/* ---- A strict RFC 8259 checker; strings are decoded to UTF-8. ---- */

struct jp {
	const char *p;
	const char *err;
	char *str;		/* the last string, decoded */
	size_t len, cap;
	unsigned int depth;
};

static void jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
	       *j->p == '\r')
		j->p++;
}

static int jp_fail(struct jp *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return -1;
}

static void jp_putc(struct jp *j, unsigned char c)
{
	if (j->len + 2 > j->cap) {
		j->cap = j->cap ? j->cap * 2 : 64;
		j->str = realloc(j->str, j->cap);
	}
	j->str[j->len++] = c;
	j->str[j->len] = '\0';
}

static void jp_put_cp(struct jp *j, unsigned int cp)
{
	if (cp < 0x80) {
		jp_putc(j, cp);
	} else if (cp < 0x800) {
		jp_putc(j, 0xc0 | cp >> 6);
		jp_putc(j, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		jp_putc(j, 0xe0 | cp >> 12);
		jp_putc(j, 0x80 | (cp >> 6 & 0x3f));
		jp_putc(j, 0x80 | (cp & 0x3f));
	} else {
		jp_putc(j, 0xf0 | cp >> 18);
		jp_putc(j, 0x80 | (cp >> 12 & 0x3f));
		jp_putc(j, 0x80 | (cp >> 6 & 0x3f));
		jp_putc(j, 0x80 | (cp & 0x3f));
	}
}

/* One UTF-8 character of the document: a table, not utf8.c's code. */
static int jp_utf8(struct jp *j)
{
	const unsigned char *s = (const unsigned char *)j->p;
	unsigned int n, i, cp;
	const char *why;

	n = test_utf8(s, &cp, &why);
	if (!n)
		return jp_fail(j, why);
	for (i = 0; i < n; i++)
		jp_putc(j, s[i]);
	j->p += n;
	return 0;
}

static int jp_hex4(struct jp *j, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = j->p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return jp_fail(j, "bad \\u escape");
	}
	j->p += 4;
	return 0;
}

static int jp_string(struct jp *j)
{
	unsigned int cp, lo;

	j->len = 0;
	jp_putc(j, 0);
	j->len = 0;
	if (*j->p++ != '"')
		return jp_fail(j, "string expected");
	while (*j->p != '"') {
		unsigned char c = *j->p;

		if (!c)
			return jp_fail(j, "unterminated string");
		if (c < 0x20)
			return jp_fail(j, "raw control character in string");
		if (c != '\\') {
			if (jp_utf8(j))
				return -1;
			continue;
		}
		j->p++;
		switch (*j->p++) {
		case '"': jp_putc(j, '"'); break;
		case '\\': jp_putc(j, '\\'); break;
		case '/': jp_putc(j, '/'); break;
		case 'b': jp_putc(j, '\b'); break;
		case 'f': jp_putc(j, '\f'); break;
		case 'n': jp_putc(j, '\n'); break;
		case 'r': jp_putc(j, '\r'); break;
		case 't': jp_putc(j, '\t'); break;
		case 'u':
			if (jp_hex4(j, &cp))
				return -1;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return jp_fail(j, "lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (j->p[0] != '\\' || j->p[1] != 'u')
					return jp_fail(j, "lone high surrogate");
				j->p += 2;
				if (jp_hex4(j, &lo) || lo < 0xdc00 ||
				    lo > 0xdfff)
					return jp_fail(j, "bad surrogate pair");
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
			}
			jp_put_cp(j, cp);
			break;
		default:
			return jp_fail(j, "bad escape");
		}
	}
	j->p++;
	return 0;
}

static int jp_number(struct jp *j)
{
	const char *p = j->p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return jp_fail(j, "bad number");
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return jp_fail(j, "bad fraction");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return jp_fail(j, "bad exponent");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	j->p = p;
	return 0;
}

static int jp_value(struct jp *j);

static int jp_container(struct jp *j, char close)
{
	int first = 1;

	if (++j->depth > 64)
		return jp_fail(j, "nested too deep");
	j->p++;
	jp_ws(j);
	while (*j->p != close) {
		if (!first) {
			if (*j->p++ != ',')
				return jp_fail(j, "',' expected");
			jp_ws(j);
		}
		first = 0;
		if (close == '}') {
			if (jp_string(j))
				return -1;
			jp_ws(j);
			if (*j->p++ != ':')
				return jp_fail(j, "':' expected");
			jp_ws(j);
		}
		if (jp_value(j))
			return -1;
		jp_ws(j);
	}
	j->p++;
	j->depth--;
	return 0;
}

static int jp_value(struct jp *j)
{
	switch (*j->p) {
	case '{':
		return jp_container(j, '}');
	case '[':
		return jp_container(j, ']');
	case '"':
		return jp_string(j);
	case 't':
		return strncmp(j->p, "true", 4) ? jp_fail(j, "bad literal") :
						  (j->p += 4, 0);
	case 'f':
		return strncmp(j->p, "false", 5) ? jp_fail(j, "bad literal") :
						   (j->p += 5, 0);
	case 'n':
		return strncmp(j->p, "null", 4) ? jp_fail(j, "bad literal") :
						  (j->p += 4, 0);
	default:
		return jp_number(j);
	}
}

/* NULL if doc is one valid JSON text, else why not (and where, in *at). */
static const char *json_check(const char *doc, size_t *at)
{
	struct jp j = { doc, NULL, NULL, 0, 0, 0 };

	jp_ws(&j);
	if (!jp_value(&j)) {
		jp_ws(&j);
		if (*j.p)
			jp_fail(&j, "text after the value");
	}
	free(j.str);
	*at = j.p - doc;
	return j.err;
}

/* What json_put_string() printed for s, and that string decoded again. */
static char *escaped(const char *s)
{
	char *buf;

	FX_CAPTURE(buf, json_put_string(out, s));
	return buf;
}

static char *decoded(const char *json, const char **err)
{
	struct jp j = { json, NULL, NULL, 0, 0, 0 };
	char *s;

	*err = NULL;
	if (jp_string(&j) || *j.p) {
		*err = j.err ? j.err : "text after the string";
		free(j.str);
		return NULL;
	}
	s = j.str;
	return s;
}

/* ---- The cases ---- */

static void expect_escape(const char *name, const char *in, const char *want)
{
	char *got = escaped(in);

	EXPECT(!strcmp(got, want), "%s: got %s, want %s", name, got, want);
	free(got);
}

static void test_escape_ascii(void)
{
	expect_escape("plain", "vfs_write", "\"vfs_write\"");
	expect_escape("empty", "", "\"\"");
	expect_escape("quote", "a\"b", "\"a\\\"b\"");
	expect_escape("backslash", "a\\b", "\"a\\\\b\"");
	expect_escape("slash", "a/b", "\"a/b\"");
	expect_escape("newline_tab_cr", "\n\t\r", "\"\\n\\t\\r\"");
	expect_escape("controls", "\x01\x08\x0c\x1f",
		      "\"\\u0001\\u0008\\u000c\\u001f\"");
	expect_escape("del", "\x7f", "\"\\u007f\"");
	test_end("json_escape_ascii");
}

static void test_escape_utf8(void)
{
	/* Valid UTF-8 is kept as is, 2, 3 and 4 bytes. */
	expect_escape("valid", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
		      "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	expect_escape("line_separators", "\xe2\x80\xa8\xe2\x80\xa9",
		      "\"\\u2028\\u2029\"");
	/* Anything else: U+FFFD per stray byte. */
	expect_escape("lone_ff", "a\xff" "b", "\"a\\ufffdb\"");
	expect_escape("lone_continuation", "\x80", "\"\\ufffd\"");
	expect_escape("truncated_at_end", "x\xc3", "\"x\\ufffd\"");
	expect_escape("truncated_3", "\xe2\x82", "\"\\ufffd\\ufffd\"");
	expect_escape("overlong_slash", "\xc0\xaf", "\"\\ufffd\\ufffd\"");
	expect_escape("overlong_3", "\xe0\x80\xaf",
		      "\"\\ufffd\\ufffd\\ufffd\"");
	expect_escape("surrogate", "\xed\xa0\x80",
		      "\"\\ufffd\\ufffd\\ufffd\"");
	expect_escape("past_10ffff", "\xf4\x90\x80\x80",
		      "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	expect_escape("f5", "\xf5", "\"\\ufffd\"");
	expect_escape("bad_then_quote", "\xc3\"", "\"\\ufffd\\\"\"");
	test_end("json_escape_utf8");
}

/* Valid UTF-8 in: the same bytes out of a JSON parser. */
static int valid_utf8(const unsigned char *s)
{
	struct jp j = { (const char *)s, NULL, NULL, 0, 0, 0 };

	while (*j.p)
		if (jp_utf8(&j))
			break;
	free(j.str);
	return !j.err;
}

static void test_escape_random(void)
{
	unsigned char in[24];
	const char *err;
	char *out, *back;
	unsigned int i, k, n, roundtrips = 0;

	for (i = 0; i < 20000; i++) {
		n = test_below(sizeof(in));
		for (k = 0; k < n; k++) {
			/* Skewed to the interesting bytes. */
			switch (test_below(4)) {
			case 0:
				in[k] = 1 + test_below(0x7f);
				break;
			case 1:
				in[k] = 0x80 + test_below(0x80);
				break;
			case 2:
				in[k] = "\"\\\n\x01\x7f/"[test_below(6)];
				break;
			default:
				in[k] = 1 + test_below(0xff);
			}
		}
		in[n] = '\0';
		out = escaped((char *)in);
		back = decoded(out, &err);
		EXPECT(back, "bytes %u: invalid JSON %s (%s)", i, out, err);
		if (back && valid_utf8(in)) {
			EXPECT(!strcmp(back, (char *)in),
			       "bytes %u: %s does not decode to its input",
			       i, out);
			roundtrips++;
		}
		free(out);
		free(back);
	}
	EXPECT(roundtrips > 1000, "only %u valid UTF-8 inputs", roundtrips);
	test_end("json_escape_random_bytes");
}

static struct export_info info_of(const char *label, int per_process,
				  long long skipped)
{
	static struct target targets[2];
	struct export_info info = { 0 };

	memset(targets, 0, sizeof(targets));
	strcpy(targets[0].name, "vfs_write");
	strcpy(targets[1].name, "do_sys_open");
	targets[1].offset = 4;
	targets[1].addr = 0xffffffff81234560ul;
	info.label = label;
	info.targets = targets;
	info.ntargets = 2;
	info.window = 3.25;
	info.skipped = skipped;
	info.per_process = per_process;
	return info;
}

static void expect_valid(const char *name, const char *doc)
{
	const char *why;
	size_t at;

	why = json_check(doc, &at);
	EXPECT(!why, "%s: invalid JSON at byte %zu: %s: ...%.60s", name, at,
	       why, doc + (at > 20 ? at - 20 : 0));
}

static void expect_has(const char *doc, const char *want)
{
	EXPECT(strstr(doc, want), "no '%s' in: %.300s", want, doc);
}

static void test_document(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("2 functions", 0, 7);
	char *doc;
	int rc;

	fx_stack(fx, 40, 0, NULL, 4, "vfs_write", "ksys_write",
		 "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
	fx_stack(fx, 2, 0, NULL, 3, "+xfs_file_write_iter [xfs]",
		 "vfs_write", "0xffffffffc0001234");
	fx_lost(fx, LOST_UNREADABLE, 3);
	fx_lost(fx, LOST_MAP_FULL, 4);
	fx_lost(fx, LOST_OTHER, 5);
	FX_CAPTURE(doc, rc = json_write(out, &fx->set, &fx->tab, &info));
	EXPECT(rc == 0, "json_write returned %d", rc);
	expect_valid("document", doc);
	expect_has(doc, "\"label\": \"2 functions\"");
	expect_has(doc, "{\"name\": \"vfs_write\", \"offset\": 0, \"address\": null}");
	expect_has(doc, "{\"name\": \"do_sys_open\", \"offset\": 4, \"address\": \"0xffffffff81234560\"}");
	expect_has(doc, "\"window_seconds\": 3.250000");
	expect_has(doc, "\"per_process\": false, \"pid\": null, \"depth\": null, \"per_thread\": false,\n");
	expect_has(doc, "\"calls\": 54, \"distinct_stacks\": 2, \"by_stack_id\": 42, \"by_frames\": 0");
	expect_has(doc, "\"unreadable\": 3, \"lost_map_full\": 4, \"lost_other\": 5, \"skipped_by_kernel\": 7}");
	expect_has(doc, "{\"count\": 40, \"truncated\": false, \"frames\": [\n      {\"address\": \"0xffffffff81000010\", \"name\": \"vfs_write\", \"offset\": 16, \"module\": null}");
	expect_has(doc, "{\"address\": \"0xffffffff81040020\", \"name\": \"xfs_file_write_iter\", \"offset\": 32, \"module\": \"xfs\"}");
	expect_has(doc, "{\"address\": \"0xffffffffc0001234\", \"name\": null, \"offset\": null, \"module\": null}");
	expect_has(doc, "\"filters\": {\"cpus\": null, \"comm\": null, \"cgroup\": null},\n");
	EXPECT(!strstr(doc, "\"pid\": 0") && !strstr(doc, "\"comm\": \""),
	       "pid or comm without -P");
	free(doc);
	fx_free(fx);
	test_end("json_document");
}

static void test_per_process(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("vfs_write", 1, -1);
	char *doc;

	info.pid = 99;
	info.depth = 2;
	fx_stack(fx, 5, 4242, "a\"b\\c\n\x01\xff", 2, "vfs_write",
		 "ksys_write");
	fx_stack(fx, 1, 1, "init", 2, "vfs_write", "ksys_write");
	FX_CAPTURE(doc, json_write(out, &fx->set, &fx->tab, &info));
	expect_valid("per_process", doc);
	expect_has(doc, "\"per_process\": true, \"pid\": 99, \"depth\": 2");
	expect_has(doc, "\"skipped_by_kernel\": null}");
	expect_has(doc, "{\"count\": 5, \"pid\": 4242, \"comm\": \"a\\\"b\\\\c\\n\\u0001\\ufffd\", \"comm_is_thread\": true, \"truncated\": false, \"frames\"");
	expect_has(doc, "{\"count\": 1, \"pid\": 1, \"comm\": \"init\", \"comm_is_thread\": true, \"truncated\": false, \"frames\"");
	free(doc);
	fx_free(fx);
	test_end("json_per_process_comm_escaped");
}

/* -T: each stack's tid, pid and the thread's name; no -P fields. */
static void test_per_thread(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("vfs_write", 0, 0);
	char *doc;

	info.per_thread = 1;
	info.pid = 4242;
	fx_stack(fx, 5, 4242, "fth_a", 2, "vfs_write", "ksys_write");
	fx_stack(fx, 3, 4242, "w\"x", 2, "vfs_write", "ksys_write");
	fx->set.stacks[0].tid = 4243;
	fx->set.stacks[1].tid = 4244;
	FX_CAPTURE(doc, json_write(out, &fx->set, &fx->tab, &info));
	expect_valid("per_thread", doc);
	expect_has(doc, "\"per_process\": false, \"pid\": 4242, \"depth\": null, \"per_thread\": true,\n");
	expect_has(doc, "{\"count\": 5, \"tid\": 4243, \"pid\": 4242, \"comm\": \"fth_a\", \"truncated\": false, \"frames\"");
	expect_has(doc, "{\"count\": 3, \"tid\": 4244, \"pid\": 4242, \"comm\": \"w\\\"x\", \"truncated\": false, \"frames\"");
	EXPECT(!strstr(doc, "comm_is_thread"), "a -P field with -T");
	free(doc);
	fx_free(fx);
	test_end("json_per_thread");
}

static void test_empty(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("", 0, 0);
	char *doc;

	info.ntargets = 0;
	FX_CAPTURE(doc, json_write(out, &fx->set, &fx->tab, &info));
	expect_valid("empty", doc);
	expect_has(doc, "\"functions\": [],");
	expect_has(doc, "\"calls\": 0, \"distinct_stacks\": 0");
	expect_has(doc, "\"stacks\": []\n}\n");
	free(doc);
	fx_free(fx);
	test_end("json_empty");
}

/* Hostile names in every string of the document: still valid JSON. */
static void test_hostile_names(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("x\"\\\x01\xfe", 1, 0);
	char name[40], mod[20], comm[16], frame[64], *doc;
	unsigned int i, k;

	for (i = 0; i < 200; i++) {
		for (k = 0; k < sizeof(name) - 1; k++)
			name[k] = 1 + test_below(255);
		name[k] = '\0';
		for (k = 0; k < sizeof(mod) - 1; k++)
			mod[k] = 1 + test_below(255);
		mod[k] = '\0';
		/* "[" and "]" would end the module in the fixture's syntax */
		for (k = 0; k < sizeof(mod) - 1; k++)
			if (mod[k] == ']' || mod[k] == '[')
				mod[k] = 'm';
		for (k = 0; k < sizeof(name) - 1; k++)
			if (name[k] == '[' || name[k] == '+')
				name[k] = 'n';
		for (k = 0; k < sizeof(comm) - 1; k++)
			comm[k] = 1 + test_below(255);
		comm[k] = '\0';
		snprintf(frame, sizeof(frame), "%s [%s]", name, mod);
		if (name[0] == '0' && name[1] == 'x')
			name[0] = 'z';
		fx_stack(fx, 1 + i, i, comm, 2, frame, "vfs_write");
	}
	FX_CAPTURE(doc, json_write(out, &fx->set, &fx->tab, &info));
	expect_valid("hostile", doc);
	free(doc);
	fx_free(fx);
	test_end("json_hostile_names_and_comms");
}

/* The checker itself must refuse what is not JSON. */
static void test_checker(void)
{
	static const char *const bad[] = {
		"", "{", "{\"a\" 1}", "[1,]", "\"\x01\"", "\"\xff\"",
		"\"\\x41\"", "[01]", "{\"a\": tru}", "\"\\ud800\"", "1 2",
	};
	unsigned int i;
	size_t at;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(json_check(bad[i], &at), "accepted '%s'", bad[i]);
	EXPECT(!json_check("{\"a\": [1, -2.5e3, true, null, \"\\u00e9\"]}",
			   &at), "refused a valid document");
	test_end("json_checker_refuses_invalid");
}

/* -i: one line per interval, which says which interval it is. */
static void test_line(void)
{
	struct fx *fx = fx_new();
	struct export_info info = info_of("vfs_write", 0, 0);
	char *doc;
	int rc;

	info.interval = 3;
	info.interval_start = 1765026124.5;
	fx_stack(fx, 40, 0, NULL, 2, "vfs_write", "ksys_write");
	fx_stack(fx, 2, 0, NULL, 1, "+vfs_write");
	fx_lost(fx, LOST_OTHER, 1);
	FX_CAPTURE(doc, rc = json_write_line(out, &fx->set, &fx->tab, &info));
	EXPECT(rc == 0, "json_write_line returned %d", rc);
	expect_valid("line", doc);
	EXPECT(strchr(doc, '\n') == doc + strlen(doc) - 1,
	       "not one line: %.300s", doc);
	expect_has(doc, "\"window_seconds\": 3.250000,\"interval\": {\"number\": 3, \"start\": 1765026124.500000, \"seconds\": 3.250000},");
	expect_has(doc, "\"stacks\": [{\"count\": 40, \"truncated\": false, \"frames\": [{\"address\"");
	free(doc);
	info.interval = 0;
	FX_CAPTURE(doc, json_write(out, &fx->set, &fx->tab, &info));
	EXPECT(!strstr(doc, "\"interval\""), "an interval without -i");
	free(doc);
	fx_free(fx);
	test_end("json_line_per_interval");
}

int main(void)
{
	test_checker();
	test_escape_ascii();
	test_escape_utf8();
	test_escape_random();
	test_document();
	test_per_process();
	test_per_thread();
	test_empty();
	test_hostile_names();
	test_line();
	return test_failed ? 1 : 0;
}
