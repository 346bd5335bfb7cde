// SPDX-License-Identifier: GPL-2.0
/* json.c - the result as one JSON document; see json.h. */
#include <errno.h>
#include <stdlib.h>

#include "json.h"
#include "utf8.h"

void json_put_string(FILE *out, const char *s)
{
	unsigned int cp;
	size_t len;

	fputc('"', out);
	while (*s) {
		len = utf8_next(s, &cp);
		if (!len) {
			fputs("\\ufffd", out);	/* not UTF-8: a stray byte */
			s++;
			continue;
		}
		switch (cp) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case 0x2028:	/* JSON, but not JavaScript before ES2019 */
		case 0x2029:
			fprintf(out, "\\u%04x", cp);
			break;
		default:
			if (cp < 0x20 || cp == 0x7f)
				fprintf(out, "\\u%04x", cp);
			else
				fwrite(s, 1, len, out);
		}
		s += len;
	}
	fputc('"', out);
}

static void put_functions(FILE *out, const struct export_info *info)
{
	const struct target *t;
	size_t i;

	fputs("  \"functions\": [", out);
	for (i = 0; i < info->ntargets; i++) {
		t = &info->targets[i];
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
		json_put_string(out, t->name);
		fprintf(out, ", \"offset\": %lu, \"address\": ", t->offset);
		if (t->addr)
			fprintf(out, "\"0x%lx\"}", t->addr);
		else
			fputs("null}", out);
	}
	fputs(info->ntargets ? "\n  ],\n" : "],\n", out);
}

/* Each tracepoint, with the tag its stacks carry as frame 0's address. */
static void put_tracepoints(FILE *out, const struct export_info *info)
{
	size_t i;

	fputs("  \"tracepoints\": [", out);
	for (i = 0; i < info->ntps; i++) {
		fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
		json_put_string(out, info->tps[i].name);
		fprintf(out, ", \"id\": %d, \"tag\": \"0x%zx\"}",
			info->tps[i].id, i + 1);
	}
	fputs(info->ntps ? "\n  ],\n" : "],\n", out);
}

static void put_summary(FILE *out, const struct stack_set *set,
			const struct export_info *info)
{
	fprintf(out,
		"  \"summary\": {\"calls\": %llu, \"distinct_stacks\": %zu, \"by_stack_id\": %llu, \"by_frames\": %llu,\n"
		"              \"unreadable\": %llu, \"lost_map_full\": %llu, \"lost_other\": %llu, \"skipped_by_kernel\": ",
		(unsigned long long)set->calls, set->n,
		(unsigned long long)set->by_id,
		(unsigned long long)set->by_frames,
		(unsigned long long)set->lost[LOST_UNREADABLE],
		(unsigned long long)set->lost[LOST_MAP_FULL],
		(unsigned long long)set->lost[LOST_OTHER]);
	if (info->skipped >= 0)
		fprintf(out, "%lld},\n", info->skipped);
	else
		fputs("null},\n", out);
}

static void put_frame(FILE *out, const struct stack *s, unsigned int f,
		      const struct symtab *tab)
{
	const struct ksym *sym = symtab_frame_sym(tab, s, f);

	fprintf(out, "{\"address\": \"0x%llx\", \"name\": ",
		(unsigned long long)s->ips[f]);
	if (!sym) {
		fputs("null, \"offset\": null, \"module\": null}", out);
		return;
	}
	json_put_string(out, sym->name);
	fprintf(out, ", \"offset\": %llu, \"module\": ",
		(unsigned long long)(s->ips[f] - sym->addr));
	if (sym->module[0])
		json_put_string(out, sym->module);
	else
		fputs("null", out);
	fputc('}', out);
}

static void put_stack(FILE *out, const struct stack_set *set,
		      const struct stack *s, const struct symtab *tab,
		      const struct export_info *info)
{
	unsigned int f;
	int thread;

	fprintf(out, "    {\"count\": %llu, ", (unsigned long long)s->count);
	/* As the text names it: the process's command, or a thread's. */
	if (info->per_process) {
		fprintf(out, "\"pid\": %u, \"comm\": ", s->pid);
		json_put_string(out, symtab_process_comm(tab, s, &thread));
		fprintf(out, ", \"comm_is_thread\": %s, ",
			thread ? "true" : "false");
	}
	/* -T: the thread, its process, and the thread's own name. */
	if (info->per_thread) {
		fprintf(out, "\"tid\": %u, \"pid\": %u, \"comm\": ", s->tid,
			s->pid);
		json_put_string(out, symtab_process_comm(tab, s, &thread));
		fputs(", ", out);
	}
	/* The kernel cut the stack at its depth limit. */
	fprintf(out, "\"truncated\": %s, ",
		output_stack_truncated(set, s) ? "true" : "false");
	fputs("\"frames\": [", out);
	for (f = 0; f < s->nframes; f++) {
		fputs(f ? ",\n      " : "\n      ", out);
		put_frame(out, s, f, tab);
	}
	fputs(s->nframes ? "\n    ]}" : "]}", out);
}

/* -i: which interval this document is (json.h). */
static void put_interval(FILE *out, const struct export_info *info)
{
	if (!info->interval)
		return;
	fprintf(out,
		"  \"interval\": {\"number\": %u, \"start\": %.6f, \"seconds\": %.6f},\n",
		info->interval, info->interval_start, info->window);
}

static void put_string_or_null(FILE *out, const char *s)
{
	if (s)
		json_put_string(out, s);
	else
		fputs("null", out);
}

/* -c, --comm and --cgroup as given; null where not given. */
static void put_filters(FILE *out, const struct export_info *info)
{
	fputs("  \"filters\": {\"cpus\": ", out);
	put_string_or_null(out, info->cpus);
	fputs(", \"comm\": ", out);
	put_string_or_null(out, info->comm);
	fputs(", \"cgroup\": ", out);
	put_string_or_null(out, info->cgroup);
	fputs("},\n", out);
}

int json_write(FILE *out, const struct stack_set *set,
	       const struct symtab *tab, const struct export_info *info)
{
	size_t i;

	fputs("{\n  \"label\": ", out);
	json_put_string(out, info->label ? info->label : "");
	fputs(",\n", out);
	put_functions(out, info);
	put_tracepoints(out, info);
	fprintf(out, "  \"window_seconds\": %.6f,\n", info->window);
	put_interval(out, info);
	fprintf(out, "  \"per_process\": %s, \"pid\": ",
		info->per_process ? "true" : "false");
	if (info->pid)
		fprintf(out, "%d", info->pid);
	else
		fputs("null", out);
	if (info->depth)
		fprintf(out, ", \"depth\": %u", info->depth);
	else
		fputs(", \"depth\": null", out);
	fprintf(out, ", \"per_thread\": %s,\n",
		info->per_thread ? "true" : "false");
	put_filters(out, info);
	put_summary(out, set, info);
	fputs("  \"stacks\": [", out);
	for (i = 0; i < set->n; i++) {
		fputs(i ? ",\n" : "\n", out);
		put_stack(out, set, &set->stacks[i], tab, info);
	}
	fputs(set->n ? "\n  ]\n}\n" : "]\n}\n", out);
	return ferror(out) ? -EIO : 0;
}

int json_write_line(FILE *out, const struct stack_set *set,
		    const struct symtab *tab, const struct export_info *info)
{
	char *doc = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&doc, &len);
	int err;

	if (!mem)
		return -ENOMEM;
	err = json_write(mem, set, tab, info);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	for (i = 0; !err && i < len; i++) {
		if (doc[i] != '\n') {
			fputc(doc[i], out);
			continue;
		}
		while (i + 1 < len && doc[i + 1] == ' ')
			i++;
	}
	free(doc);
	if (!err)
		fputc('\n', out);
	return err ? err : ferror(out) ? -EIO : 0;
}
