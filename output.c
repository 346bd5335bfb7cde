// SPDX-License-Identifier: GPL-2.0
/* output.c - print stacks; see output.h. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define FRAME_MAX (KSYM_NAME_LEN + KSYM_MODULE_MAX + 32)

/*
 * A stack of exactly the map's depth may be one that had that many frames
 * and no more, but a kernel stack 127 deep is a runaway; a stack that deep
 * is a cut one.
 */
int output_stack_truncated(const struct stack_set *set,
			   const struct stack *s)
{
	return set->depth && s->nframes >= set->depth;
}

const char *output_lost_name(enum lost_cause cause)
{
	switch (cause) {
	case LOST_UNREADABLE:
		return "stack unreadable";
	case LOST_MAP_FULL:
		return "stack map full";
	default:
		return "stack lost (other error)";
	}
}

/*
 * A command name is whatever the process set (prctl, exec name): it must
 * not be able to add lines, or frames to a folded stack.
 */
static void clean_comm(char *dst, size_t size, const char *comm, int folded)
{
	size_t i;

	for (i = 0; i + 1 < size && comm[i]; i++) {
		unsigned char c = comm[i];

		if (c < ' ' || c == 0x7f)
			c = '?';
		else if (folded && (c == ';' || c == ' '))
			c = '_';
		dst[i] = c;
	}
	dst[i] = '\0';
}

static void print_text(FILE *out, const struct stack_set *set,
		       const struct stack *s, const struct symtab *tab,
		       const struct output_style *style)
{
	char name[FRAME_MAX], comm[SYMTAB_COMM_MAX];
	unsigned int f;
	int thread;

	if (style->per_process) {
		clean_comm(comm, sizeof(comm),
			   symtab_process_comm(tab, s, &thread), 0);
		fprintf(out, "pid %u (%s%s)\n", s->pid,
			thread ? "thread: " : "", comm);
	}
	if (style->per_thread) {	/* the name is the thread's, always */
		clean_comm(comm, sizeof(comm),
			   symtab_process_comm(tab, s, &thread), 0);
		fprintf(out, "tid %u (%s) of pid %u\n", s->tid, comm, s->pid);
	}
	for (f = 0; f < s->nframes; f++) {
		symtab_frame_name(name, sizeof(name), tab, s, f);
		if (style->addresses)
			fprintf(out, "  %016llx %s\n",
				(unsigned long long)s->ips[f], name);
		else
			fprintf(out, "  %s\n", name);
	}
	if (output_stack_truncated(set, s))
		fprintf(out, "  %s\n", OUTPUT_TRUNCATED);
	fprintf(out, "    %llu\n", (unsigned long long)s->count);
}

/* A frame's name for folded output: the function, no offset. */
static void folded_frame(char *buf, size_t size, const struct stack *s,
			 unsigned int f, const struct symtab *tab)
{
	const struct ksym *sym = symtab_frame_sym(tab, s, f);

	if (sym)
		snprintf(buf, size, "%s", sym->name);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)s->ips[f]);
}

struct folded {
	char *line;		/* "comm;root;...;leaf" */
	unsigned long long count;
};

static int folded_cmp_line(const void *pa, const void *pb)
{
	return strcmp(((const struct folded *)pa)->line,
		      ((const struct folded *)pb)->line);
}

static int folded_cmp_count(const void *pa, const void *pb)
{
	const struct folded *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->line, b->line);
}

static char *folded_line(const struct stack_set *set, const struct stack *s,
			 const struct symtab *tab, int per_process,
			 int per_thread)
{
	char frame[FRAME_MAX], comm[SYMTAB_COMM_MAX], *line;
	size_t len = 0, cap = 128 + (size_t)s->nframes * FRAME_MAX;
	unsigned int f;
	int thread;

	line = malloc(cap);
	if (!line)
		return NULL;
	line[0] = '\0';
	/*
	 * FlameGraph reads ';' as the frame separator and ' ' before the
	 * count.  The process is COMM-PID, stackcollapse-perf.pl --pid's
	 * form: two processes of one command stay two towers.
	 */
	if (per_process) {
		clean_comm(comm, sizeof(comm),
			   symtab_process_comm(tab, s, &thread), 1);
		len += snprintf(line, cap, "%s%s-%u", thread ? "thread:" : "",
				comm, s->pid);
	}
	/* stackcollapse-perf.pl --tid's COMM-PID/TID: a tower per thread. */
	if (per_thread) {
		clean_comm(comm, sizeof(comm),
			   symtab_process_comm(tab, s, &thread), 1);
		len += snprintf(line, cap, "%s-%u/%u", comm, s->pid, s->tid);
	}
	if (output_stack_truncated(set, s))
		len += snprintf(line + len, cap - len, "%s%s", len ? ";" : "",
				OUTPUT_TRUNCATED);
	for (f = s->nframes; f-- > 0;) {
		folded_frame(frame, sizeof(frame), s, f, tab);
		len += snprintf(line + len, cap - len, "%s%s",
				len ? ";" : "", frame);
	}
	for (f = 0; f < len; f++)
		if (line[f] == ' ')
			line[f] = '_';
	return line;
}

/* Offsets dropped, different stacks can fold to one line: merge them. */
static void print_folded(FILE *out, const struct stack_set *set,
			 const struct symtab *tab, int per_process,
			 int per_thread)
{
	struct folded *v = calloc(set->n ? set->n : 1, sizeof(*v));
	size_t i, n = 0;

	if (!v)
		return;
	for (i = 0; i < set->n; i++) {
		v[n].line = folded_line(set, &set->stacks[i], tab,
					 per_process, per_thread);
		v[n].count = set->stacks[i].count;
		if (v[n].line)
			n++;
	}
	qsort(v, n, sizeof(*v), folded_cmp_line);
	for (i = 1; i < n; i++) {
		if (!strcmp(v[i].line, v[i - 1].line)) {
			v[i].count += v[i - 1].count;
			v[i - 1].count = 0;
		}
	}
	qsort(v, n, sizeof(*v), folded_cmp_count);
	for (i = 0; i < n; i++) {
		if (v[i].count)
			fprintf(out, "%s %llu\n", v[i].line, v[i].count);
		free(v[i].line);
	}
	free(v);
}

static void print_lost(FILE *out, const struct stack_set *set,
		       const struct output_style *style, int first)
{
	int cause;

	for (cause = 0; cause < LOST_NR; cause++) {
		if (!set->lost[cause])
			continue;
		if (style->folded) {
			fprintf(out, "[%s] %llu\n", output_lost_name(cause),
				(unsigned long long)set->lost[cause]);
			continue;
		}
		if (!first)
			fputc('\n', out);
		first = 0;
		fprintf(out, "  [%s]\n    %llu\n", output_lost_name(cause),
			(unsigned long long)set->lost[cause]);
	}
}

void output_stacks(FILE *out, const struct stack_set *set,
		   const struct symtab *tab, const struct output_style *style)
{
	size_t i;

	if (style->folded) {
		print_folded(out, set, tab, style->per_process,
			     style->per_thread);
	} else {
		for (i = 0; i < set->n; i++) {
			if (i)
				fputc('\n', out);
			print_text(out, set, &set->stacks[i], tab, style);
		}
	}
	print_lost(out, set, style, set->n == 0);
}
