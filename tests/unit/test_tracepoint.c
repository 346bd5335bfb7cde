// SPDX-License-Identifier: GPL-2.0
/*
 * test_tracepoint.c - tracefs as tracepoint.c reads it, from a directory
 * laid out as events/ is: the names listed, ids read (and refused when the
 * file holds anything but a number), and the tracepoints --check suggests
 * for a function that cannot be traced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../../tracepoint.h"
#include "unit.h"

static char dir[256];

static void put(const char *cat, const char *name, const char *id)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, cat);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", dir, cat, name);
	mkdir(path, 0755);
	if (!id)
		return;
	snprintf(path, sizeof(path), "%s/%s/%s/id", dir, cat, name);
	f = fopen(path, "w");
	if (f) {
		fputs(id, f);
		fclose(f);
	}
}

static void layout(void)
{
	char path[512];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/test_tracepoint.%d", getpid());
	mkdir(dir, 0755);
	put("sched", "sched_switch", "372\n");
	put("sched", "sched_wakeup", "370\n");
	put("block", "block_rq_issue", "1201\n");
	put("block", "block_bio_queue", "1205\n");
	put("exceptions", "page_fault_user", "99");
	put("exceptions", "page_fault_kernel", "98\n");
	put("odd", "letters", "12x\n");
	put("odd", "empty", "");
	put("odd", "zero", "0\n");
	put("odd", "noid", NULL);
	/* Files beside the events: not tracepoints. */
	snprintf(path, sizeof(path), "%s/enable", dir);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "%s/sched/filter", dir);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

static void test_names(void)
{
	static const char *const want[] = {
		"block:block_bio_queue", "block:block_rq_issue",
		"exceptions:page_fault_kernel", "exceptions:page_fault_user",
		"odd:empty", "odd:letters", "odd:noid", "odd:zero",
		"sched:sched_switch", "sched:sched_wakeup",
	};
	char **names;
	size_t n, i;
	int ret = tracepoint_names(dir, &names, &n);

	EXPECT(!ret, "tracepoint_names: %d", ret);
	EXPECT(n == sizeof(want) / sizeof(*want), "%zu names", n);
	for (i = 0; !ret && i < n && i < sizeof(want) / sizeof(*want); i++)
		EXPECT(!strcmp(names[i], want[i]), "names[%zu] '%s', want '%s'",
		       i, names[i], want[i]);
	if (!ret)
		tracepoint_names_free(names, n);
	test_end("tracepoint_names_sorted");
	ret = tracepoint_names("/nonexistent/events", &names, &n);
	EXPECT(ret == -ENOENT && !n, "missing dir: %d, %zu", ret, n);
	test_end("tracepoint_names_missing_dir");
}

static void test_ids(void)
{
	EXPECT(tracepoint_id(dir, "sched:sched_switch") == 372, "%d",
	       tracepoint_id(dir, "sched:sched_switch"));
	EXPECT(tracepoint_id(dir, "exceptions:page_fault_user") == 99,
	       "no newline: %d",
	       tracepoint_id(dir, "exceptions:page_fault_user"));
	test_end("tracepoint_id");
	EXPECT(tracepoint_id(dir, "odd:letters") == -EINVAL, "letters: %d",
	       tracepoint_id(dir, "odd:letters"));
	EXPECT(tracepoint_id(dir, "odd:empty") == -EINVAL, "empty: %d",
	       tracepoint_id(dir, "odd:empty"));
	EXPECT(tracepoint_id(dir, "odd:zero") == -EINVAL, "zero: %d",
	       tracepoint_id(dir, "odd:zero"));
	EXPECT(tracepoint_id(dir, "odd:noid") == -ENOENT, "no id: %d",
	       tracepoint_id(dir, "odd:noid"));
	EXPECT(tracepoint_id(dir, "sched:nope") == -ENOENT, "none: %d",
	       tracepoint_id(dir, "sched:nope"));
	EXPECT(tracepoint_id(dir, "sched") == -ENOENT, "no colon: %d",
	       tracepoint_id(dir, "sched"));
	test_end("tracepoint_id_refused");
}

static void related(const char *func, const char *want)
{
	char *const names[] = {
		"block:block_bio_queue", "block:block_rq_issue",
		"exceptions:page_fault_kernel", "exceptions:page_fault_user",
		"sched:sched_switch", "sched:sched_wakeup",
		"syscalls:sys_enter_sysinfo", "syscalls:sys_enter_sync_file_range",
	};
	char buf[512];

	tracepoint_related(names, sizeof(names) / sizeof(*names), func, buf,
			   sizeof(buf));
	EXPECT(!strcmp(buf, want), "%s: '%s', want '%s'", func, buf, want);
}

static void test_related(void)
{
	related("do_block_rq_issue", "t:block:block_rq_issue");
	related("sched_switch_foo", "t:sched:sched_switch");
	related("__handle_page_fault_user",
		"t:exceptions:page_fault_user, t:exceptions:page_fault_kernel");
	related("wakeup", "t:sched:sched_wakeup");
	related("vfs_write", "");
	related("a_b_c", "");
	related("", "");
	/* A system call's tracepoints have no kernel frames: never offered. */
	related("do_sysinfo", "");
	related("ext4_sync_file_range", "");
	test_end("tracepoint_related");
}

int main(void)
{
	char cmd[300];

	setvbuf(stdout, NULL, _IOLBF, 0);
	layout();
	test_names();
	test_ids();
	test_related();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? 1 : 0;
}
