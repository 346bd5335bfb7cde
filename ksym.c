// SPDX-License-Identifier: GPL-2.0
/* ksym.c - one kallsyms line and the rules that name by it; see ksym.h. */
#include <stdio.h>
#include <string.h>

#include "ksym.h"
#include "numparse.h"

int ksym_is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

int ksym_is_placed(char type, unsigned long addr)
{
	return type != 'a' && type != 'A' && type != 'U' && addr;
}

int kline_parse(char *s, struct kline *l)
{
	const char *end;
	char *name, *mod;

	/* Hex digits alone, as the kernel prints them (%px): no overflow. */
	if (num_ulong(s, &end, 16, &l->addr) || *end != ' ' || !end[1] ||
	    end[2] != ' ')
		return -1;
	l->type = end[1];
	name = s + (end - s) + 3;
	name[strcspn(name, "\n")] = '\0';
	l->name = name;
	l->module = NULL;
	mod = strchr(name, '\t');
	if (mod) {
		*mod++ = '\0';
		if (*mod == '[') {
			mod++;
			mod[strcspn(mod, "]")] = '\0';
			l->module = mod;
		}
	}
	if (!*name || strlen(name) >= KSYM_NAME_LEN)
		return -1;
	return 0;
}

/*
 * Several names at one address, such as __do_sys_getppid, __ia32_sys_getppid
 * and __x64_sys_getppid (the syscall stubs are aliases of one function):
 * the output needs one, and the same one whatever order the file lists
 * them in (modules load in any order).  The rule, perf's in its first
 * steps: text over anything else; then global ('T') over weak ('W', 'w')
 * over local ('t'), the name with the widest reach being the one callers
 * use; then fewer leading underscores (the kernel hides its helpers behind
 * them); then the shorter name, the plainest spelling (perf takes the
 * longer: __ia32_sys_getppid on x86-64, where __x64_sys_getppid is the
 * entry point); then the first in strcmp() order.  (perf's
 * choose_best_symbol() also puts weak below local; show_bt follows the
 * order issue 10 asked for.)
 */
static int alias_rank(char type)
{
	switch (type) {
	case 'T':
		return 3;
	case 'W':
	case 'w':
		return 2;
	case 't':
		return 1;
	default:
		return 0;
	}
}

int ksym_alias_better(char ta, const char *a, char tb, const char *b)
{
	int ra = alias_rank(ta), rb = alias_rank(tb);
	int ma = ksym_is_marker(a), mb = ksym_is_marker(b);
	size_t ua = strspn(a, "_"), ub = strspn(b, "_");
	size_t la = strlen(a), lb = strlen(b);

	/* A section's bounds share an address with its first function. */
	if (ma != mb)
		return mb;
	if (ra != rb)
		return ra > rb;
	if (ua != ub)
		return ua < ub;
	if (la != lb)
		return la < lb;
	return strcmp(a, b) < 0;
}

static int ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && !strcmp(s + len - n, tail);
}

/*
 * The linker's bounds of the kernel image and of its text sections
 * (_stext, _etext, __entry_text_start, __sched_text_end,
 * __static_call_text_end, __indirect_thunk_start, ...): text symbols of
 * no size, each at the same address as a function or at the end of one.
 * No code runs "in" them.  __start_SECTION and __stop_SECTION are not
 * among them: __start_tty and __stop_tty are functions.
 */
int ksym_is_marker(const char *name)
{
	static const char *const image[] = {
		"_text", "_stext", "_etext", "_sinittext", "_einittext",
		"_sdata", "_edata", "_end",
	};
	size_t i, len = strlen(name);

	for (i = 0; i < sizeof(image) / sizeof(image[0]); i++)
		if (!strcmp(name, image[i]))
			return 1;
	return !strncmp(name, "__", 2) &&
	       (ends_with(name, len, "text_start") ||
		ends_with(name, len, "text_end") ||
		ends_with(name, len, "thunk_start") ||
		ends_with(name, len, "thunk_end"));
}

/*
 * Code the kernel puts on a stack as a return address of its own making,
 * no call before it: kretprobes' and rethook's trampolines replace a
 * function's return address with their first byte (5.10's
 * kretprobe_trampoline, arm64's __kretprobe_trampoline, x86's
 * arch_rethook_trampoline), as the function graph tracer does with
 * return_to_handler.  Where the unwinder does not put the real return
 * address back, the frame is that first byte.
 */
int ksym_is_return_trampoline(const char *name)
{
	static const char *const names[] = {
		"kretprobe_trampoline", "__kretprobe_trampoline",
		"arch_rethook_trampoline", "rethook_trampoline",
		"return_to_handler",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i + 1;
	return 0;
}

int ksym_is_padding(const char *name)
{
	return !strncmp(name, "__pfx_", 6) || !strncmp(name, "__cfi_", 6);
}

/*
 * Where the highest symbol of the file ends.  Nothing above it says, and
 * an address far above it is no part of it (a BPF program kallsyms does
 * not list, a stray value): as perf's symbols__fixup_end() has it, at
 * roundup(start, 4096) + 4096, the end of the page after the one it
 * starts in (or of its own, for a symbol that starts a page).
 */
unsigned long ksym_last_end(unsigned long last)
{
	unsigned long up = (last + 4095) & ~4095ul;

	if (up < last || up + 4096 < up)
		return ~0ul;
	return up + 4096;
}

/* Levenshtein distance, or limit + 1 as soon as it must exceed limit. */
static unsigned int edit_distance(const char *a, const char *b,
				  unsigned int limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[KSYM_NAME_LEN + 1], diag, up, best;

	if ((la > lb ? la - lb : lb - la) > limit || lb > KSYM_NAME_LEN)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

/* Keep the closest names: by distance, then shorter, then alphabetical. */
static int closer(unsigned int d1, const char *n1, unsigned int d2,
		  const char *n2)
{
	if (d1 != d2)
		return d1 < d2;
	if (strlen(n1) != strlen(n2))
		return strlen(n1) < strlen(n2);
	return strcmp(n1, n2) < 0;
}

void ksym_suggest_init(struct ksym_suggester *s, const char *name)
{
	size_t len = strlen(name);

	memset(s, 0, sizeof(*s));
	s->name = name;
	/* Close enough to be a typo: a third of the name, at least 2 edits. */
	s->limit = len / 3 > 2 ? len / 3 : 2;
}

void ksym_suggest(struct ksym_suggester *s, struct ksym_name_info *info,
		  const char *cand)
{
	unsigned int d, i, pos;

	for (i = 0; i < info->nsuggest; i++)
		if (!strcmp(info->suggest[i], cand))
			return;
	d = edit_distance(s->name, cand, s->limit);
	if (d > s->limit)
		return;
	for (pos = info->nsuggest; pos > 0; pos--)
		if (!closer(d, cand, s->dist[pos - 1], info->suggest[pos - 1]))
			break;
	if (pos == KSYM_SUGGESTIONS)
		return;
	if (info->nsuggest < KSYM_SUGGESTIONS)
		info->nsuggest++;
	for (i = info->nsuggest - 1; i > pos; i--) {
		s->dist[i] = s->dist[i - 1];
		memcpy(info->suggest[i], info->suggest[i - 1], KSYM_NAME_LEN);
	}
	s->dist[pos] = d;
	snprintf(info->suggest[pos], KSYM_NAME_LEN, "%s", cand);
}

void ksym_format(char *buf, size_t size, unsigned long addr,
		 const struct ksym *sym)
{
	if (!sym || !sym->addr)
		snprintf(buf, size, "0x%lx", addr);
	else if (sym->type == KSYM_TYPE_TAG)
		snprintf(buf, size, "%s", sym->name);
	else if (sym->module[0])
		snprintf(buf, size, "%s+0x%lx [%s]", sym->name,
			 addr - sym->addr, sym->module);
	else
		snprintf(buf, size, "%s+0x%lx", sym->name, addr - sym->addr);
}
