// SPDX-License-Identifier: GPL-2.0
/*
 * test_filters.c - -c, --comm and --cgroup: their parsing
 * (options_parse(), options_parse_cpus()), the CPU check against a sysfs
 * list (filters_cpu_missing()), and the program's filter groups.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../filters.h"
#include "../../prog.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int parse(struct options *o, char *err, size_t size, ...)
{
	char *argv[12] = { "show_bt" };
	int argc = 1;
	va_list ap;

	va_start(ap, size);
	while (argc < 11 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(argc, argv, o, err, size);
}

/* CPU lists that parse, as ranges "lo-hi,lo-hi". */
static const struct {
	const char *list, *want;
} cpu_ok[] = {
	{ "0", "0-0" }, { "1", "1-1" }, { "0,1", "0-0,1-1" },
	{ "0-3", "0-3" }, { "0-3,6", "0-3,6-6" }, { "2-2", "2-2" },
	{ "65535", "65535-65535" }, { "9999", "9999-9999" },
	{ "0-1\n", "0-1" },		/* as sysfs writes it */
	{ "0,2-5,7,9-10", "0-0,2-5,7-7,9-10" },
};

static const char *const cpu_bad[] = {
	"", "abc", "-1", "1-", "-", "3-1", "0,", ",0", "0,,1", "1 ", " 1",
	"0x1", "65536", "99999999999999999999", "1-2-3", "0\n1", "+1", "1.5",
};

static void ranges_text(const struct cpu_range *r, size_t n, char *out,
			size_t size)
{
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; i < n && at < size; i++)
		at += snprintf(out + at, size - at, "%s%u-%u", i ? "," : "",
			       r[i].lo, r[i].hi);
}

static void test_cpu_lists(void)
{
	struct cpu_range r[MAX_CPU_RANGES];
	char text[512], many[256];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(cpu_ok); i++) {
		EXPECT(!options_parse_cpus(cpu_ok[i].list, r, MAX_CPU_RANGES,
					   &n), "'%s' refused", cpu_ok[i].list);
		ranges_text(r, n, text, sizeof(text));
		EXPECT(!strcmp(text, cpu_ok[i].want), "'%s' is %s, want %s",
		       cpu_ok[i].list, text, cpu_ok[i].want);
	}
	test_end("filters_cpu_lists_parse");
	for (i = 0; i < ARRAY_SIZE(cpu_bad); i++)
		EXPECT(options_parse_cpus(cpu_bad[i], r, MAX_CPU_RANGES, &n),
		       "'%s' taken", cpu_bad[i]);
	test_end("filters_cpu_lists_refused");
	/* MAX_CPU_RANGES ranges fit, one more does not. */
	many[0] = '\0';
	for (i = 0; i < MAX_CPU_RANGES; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
			 "%s%zu", i ? "," : "", i * 2);
	EXPECT(!options_parse_cpus(many, r, MAX_CPU_RANGES, &n) &&
	       n == MAX_CPU_RANGES, "%d ranges refused", MAX_CPU_RANGES);
	strcat(many, ",99");
	EXPECT(options_parse_cpus(many, r, MAX_CPU_RANGES, &n),
	       "%d ranges taken", MAX_CPU_RANGES + 1);
	test_end("filters_cpu_lists_most_ranges");
}

static void test_cpu_missing(void)
{
	struct cpu_range r[MAX_CPU_RANGES];
	size_t n;

	options_parse_cpus("0,1", r, MAX_CPU_RANGES, &n);
	EXPECT(filters_cpu_missing(r, n, "0-1\n") == -1, "0,1 of 0-1");
	EXPECT(filters_cpu_missing(r, n, "0\n") == 1, "0,1 of 0");
	EXPECT(filters_cpu_missing(r, n, "1\n") == 0, "0,1 of 1");
	options_parse_cpus("0-3", r, MAX_CPU_RANGES, &n);
	EXPECT(filters_cpu_missing(r, n, "0-1,3-7\n") == 2, "0-3 of 0-1,3-7");
	EXPECT(filters_cpu_missing(r, n, "0-7\n") == -1, "0-3 of 0-7");
	options_parse_cpus("9999", r, MAX_CPU_RANGES, &n);
	EXPECT(filters_cpu_missing(r, n, "0-1\n") == 9999, "9999 of 0-1");
	/* No list (sysfs unreadable): the kernel judges, nothing missing. */
	EXPECT(filters_cpu_missing(r, n, "") == -1, "9999 of nothing");
	test_end("filters_cpu_missing");
}

static void test_options(void)
{
	char err[512], sixteen[17] = "abcdefghijklmnop";
	struct options o;

	EXPECT(!parse(&o, err, sizeof(err), "-c", "0-1,3", "f", NULL), "%s",
	       err);
	EXPECT(o.ncpu_ranges == 2 && o.cpus[0].lo == 0 && o.cpus[0].hi == 1 &&
	       o.cpus[1].lo == 3 && o.cpus[1].hi == 3, "-c 0-1,3");
	EXPECT(o.cpu_list && !strcmp(o.cpu_list, "0-1,3"), "cpu_list");
	EXPECT(!o.comm && !o.cgroup, "comm, cgroup set");
	options_free(&o);
	EXPECT(!parse(&o, err, sizeof(err), "--cpu=2", "-c1", "f", NULL),
	       "%s", err);
	EXPECT(o.ncpu_ranges == 1 && o.cpus[0].lo == 1, "the last -c wins");
	options_free(&o);
	test_end("filters_option_c");

	EXPECT(!parse(&o, err, sizeof(err), "--comm", "bash", "f", NULL),
	       "%s", err);
	EXPECT(o.comm && !strcmp(o.comm, "bash") && !o.ncpu_ranges, "comm");
	options_free(&o);
	sixteen[15] = '\0';
	EXPECT(!parse(&o, err, sizeof(err), "--comm", sixteen, "f", NULL),
	       "15 bytes: %s", err);
	options_free(&o);
	test_end("filters_option_comm");

	EXPECT(!parse(&o, err, sizeof(err), "--cgroup=/sys/fs/cgroup/a",
		      "-p", "7", "-P", "-c", "0", "--comm=x", "f", NULL),
	       "%s", err);
	EXPECT(o.cgroup && !strcmp(o.cgroup, "/sys/fs/cgroup/a"), "cgroup");
	EXPECT(o.pid == 7 && o.per_process && o.ncpu_ranges == 1 && o.comm,
	       "combined with -p, -P, -c, --comm");
	options_free(&o);
	test_end("filters_option_cgroup_combined");
}

static const struct {
	const char *name, *args[3], *message;
} errs[] = {
	{ "c_empty", { "-c", "" }, "invalid CPU list ''" },
	{ "c_word", { "-c", "abc" }, "invalid CPU list 'abc'" },
	{ "c_negative", { "-c", "-1" }, "invalid CPU list '-1'" },
	{ "c_backwards", { "--cpu=3-1" }, "invalid CPU list '3-1'" },
	{ "c_over", { "-c", "70000" }, "invalid CPU list '70000'" },
	{ "c_missing", { "-c" }, "needs a value" },
	{ "comm_empty", { "--comm=" }, "--comm needs a command name" },
	{ "comm_16", { "--comm", "abcdefghijklmnop" },
	  "is 16 bytes long: the kernel keeps only the first 15 bytes" },
	{ "comm_newline", { "--comm", "a\nb\nc\nd\ne\nf\ng\nh\n" },
	  "is 16 bytes long" },
	{ "cgroup_empty", { "--cgroup=" }, "--cgroup needs a cgroup v2" },
};

static void test_errors(void)
{
	char *argv[6], err[512], name[64];
	struct options o;
	size_t i;
	int argc;

	for (i = 0; i < ARRAY_SIZE(errs); i++) {
		argc = 0;
		argv[argc++] = "show_bt";
		while (argc - 1 < 3 && errs[i].args[argc - 1])
			argv[argc] = (char *)errs[i].args[argc - 1], argc++;
		if (strcmp(errs[i].name, "c_missing"))
			argv[argc++] = "f";
		argv[argc] = NULL;
		EXPECT(options_parse(argc, argv, &o, err, sizeof(err)) == -1,
		       "parsed");
		EXPECT(strstr(err, errs[i].message), "'%s' lacks '%s'", err,
		       errs[i].message);
		EXPECT(!strchr(err, '\n'), "a newline in '%s'", err);
		options_free(&o);
		snprintf(name, sizeof(name), "filters_error_%s", errs[i].name);
		test_end(name);
	}
}

/* The program with the filters: each group there, in order, once. */
static void test_prog(void)
{
	static struct prog p;
	struct cpu_range r[2] = { { 0, 0 }, { 2, 5 } };
	struct prog_config cfg = { .self = 9, .cpus = r, .ncpu_ranges = 2,
				   .comm = "feat_filters",
				   .cgroup_id = 0x1234567890ull,
				   .cgroup_level = 2 };
	struct prog_maps m;
	size_t i, cpu = 0, comm = 0, anc = 0, cg = 0, ldi = 0;
	__u64 lo;

	prog_maps_standin(&m, 64, 127);
	prog_build(&p, &m, &cfg);
	for (i = 0; i < p.len; i++) {
		const struct bpf_insn *in = &p.insns[i];

		if (in->code != (BPF_JMP | BPF_CALL))
			continue;
		cpu += in->imm == BPF_FUNC_get_smp_processor_id;
		comm += in->imm == BPF_FUNC_get_current_comm;
		anc += in->imm == BPF_FUNC_get_current_ancestor_cgroup_id;
		cg += in->imm == BPF_FUNC_get_current_cgroup_id;
	}
	/* get_smp_processor_id: -c, and a new frames key per chunk. */
	EXPECT(cpu >= 1 && comm == 1 && anc == 1 && cg == 0,
	       "calls: cpu %zu comm %zu ancestor %zu cgroup %zu", cpu, comm,
	       anc, cg);
	memcpy(&lo, "feat_fil", 8);
	for (i = 0; i + 1 < p.len; i++)
		if (p.insns[i].code == (BPF_LD | BPF_DW | BPF_IMM) &&
		    !p.insns[i].src_reg &&
		    ((__u64)(__u32)p.insns[i + 1].imm << 32 |
		     (__u32)p.insns[i].imm) == lo)
			ldi++;
	EXPECT(ldi == 1, "the comm's first 8 bytes loaded %zu times", ldi);
	test_end("filters_prog_groups");

	cfg.cgroup_level = -1;
	cfg.ncpu_ranges = 0;
	cfg.comm[0] = '\0';
	prog_build(&p, &m, &cfg);
	for (i = anc = cg = comm = 0; i < p.len; i++)
		if (p.insns[i].code == (BPF_JMP | BPF_CALL)) {
			anc += p.insns[i].imm ==
			       BPF_FUNC_get_current_ancestor_cgroup_id;
			cg += p.insns[i].imm == BPF_FUNC_get_current_cgroup_id;
			comm += p.insns[i].imm == BPF_FUNC_get_current_comm;
		}
	EXPECT(anc == 0 && cg == 1 && comm == 0,
	       "exact cgroup: ancestor %zu cgroup %zu comm %zu", anc, cg,
	       comm);
	test_end("filters_prog_exact_cgroup");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_cpu_lists();
	test_cpu_missing();
	test_options();
	test_errors();
	test_prog();
	return test_failed ? 1 : 0;
}
