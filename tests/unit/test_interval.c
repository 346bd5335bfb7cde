// SPDX-License-Identifier: GPL-2.0
/*
 * test_interval.c - -i's arithmetic: stack_set_diff() of two reads of the
 * maps (what an interval printed), and that the intervals of a run add up
 * to its total, stack by stack, whatever the reads' moments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../stackmap.h"
#include "stackset.h"
#include "unit.h"

#define DEPTH	8

/* The count of the stack whose frame 0 is ip0 and pid is pid, or 0. */
static unsigned long long count_of(const struct stack_set *set, __u64 ip0,
				   unsigned int pid)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->stacks[i].ips[0] == ip0 && set->stacks[i].pid == pid)
			return set->stacks[i].count;
	return 0;
}

static void test_same(void)
{
	struct fx *a = fx_new(), *b = fx_new();
	struct stack_set d;

	a->set.depth = b->set.depth = DEPTH;
	fx_stack(a, 5, 0, NULL, 2, "vfs_write", "ksys_write");
	fx_stack(b, 5, 0, NULL, 2, "vfs_write", "ksys_write");
	fx_lost(a, LOST_UNREADABLE, 2);
	fx_lost(b, LOST_UNREADABLE, 2);
	EXPECT(!stack_set_diff(&d, &b->set, &a->set), "diff failed");
	EXPECT(d.n == 0, "%zu stacks, want none: no call since", d.n);
	EXPECT(d.calls == 0 && d.lost[LOST_UNREADABLE] == 0,
	       "calls %llu, unreadable %llu", (unsigned long long)d.calls,
	       (unsigned long long)d.lost[LOST_UNREADABLE]);
	stack_set_free(&d);
	fx_free(a);
	fx_free(b);
	test_end("interval_diff_nothing_new");
}

static void test_grown(void)
{
	struct fx *a = fx_new(), *b = fx_new();
	struct stack_set d;
	__u64 w, p, s;

	a->set.depth = b->set.depth = DEPTH;
	fx_stack(a, 10, 0, NULL, 2, "vfs_write", "ksys_write");
	fx_stack(a, 7, 0, NULL, 2, "+vfs_write", "pwrite");
	fx_lost(a, LOST_MAP_FULL, 1);
	/* b: the write stack grew by 3, pwrite by none, a new one. */
	fx_stack(b, 13, 0, NULL, 2, "vfs_write", "ksys_write");
	fx_stack(b, 7, 0, NULL, 2, "+vfs_write", "pwrite");
	fx_stack(b, 4, 0, NULL, 3, "vfs_write", "sendfile", "do_syscall");
	fx_lost(b, LOST_MAP_FULL, 3);
	w = b->set.stacks[0].ips[0];
	p = b->set.stacks[1].ips[0];
	s = b->set.stacks[2].ips[1];
	EXPECT(!stack_set_diff(&d, &b->set, &a->set), "diff failed");
	EXPECT(d.n == 2, "%zu stacks, want 2 (pwrite's is left out)", d.n);
	EXPECT(d.n == 2 && d.stacks[0].count == 4 && d.stacks[0].ips[1] == s &&
	       d.stacks[0].nframes == 3,
	       "first: the new stack, 4 calls, 3 frames");
	EXPECT(d.n == 2 && d.stacks[1].count == 3 && d.stacks[1].ips[0] == w,
	       "second: write's 3 new calls");
	EXPECT(count_of(&d, p, 0) == 0, "pwrite's stack printed");
	EXPECT(d.lost[LOST_MAP_FULL] == 2, "map full %llu, want 2",
	       (unsigned long long)d.lost[LOST_MAP_FULL]);
	EXPECT(d.calls == 9, "calls %llu, want 4 + 3 + 2",
	       (unsigned long long)d.calls);
	EXPECT(d.by_id == 7, "by id %llu, want 7",
	       (unsigned long long)d.by_id);
	stack_set_free(&d);
	fx_free(a);
	fx_free(b);
	test_end("interval_diff_counts_since");
}

/* -P: one stack of two processes is two stacks, each diffed alone. */
static void test_per_process(void)
{
	struct fx *a = fx_new(), *b = fx_new();
	struct stack_set d;
	__u64 ip0;

	a->set.depth = b->set.depth = DEPTH;
	fx_stack(a, 2, 10, "sh", 1, "vfs_write");
	fx_stack(b, 2, 10, "sh", 1, "vfs_write");
	fx_stack(b, 6, 11, "sh", 1, "vfs_write");
	ip0 = b->set.stacks[0].ips[0];
	EXPECT(!stack_set_diff(&d, &b->set, &a->set), "diff failed");
	EXPECT(d.n == 1 && count_of(&d, ip0, 11) == 6 &&
	       !strcmp(d.stacks[0].comm, "sh"),
	       "want pid 11's 6 calls alone");
	stack_set_free(&d);
	fx_free(a);
	fx_free(b);
	test_end("interval_diff_per_process");
}

#define RUNS	200
#define STACKS	12
#define READS	9

/*
 * Random runs: counters that only grow, read at random moments; each
 * read's difference from the one before, summed, is the last read,
 * stack by stack, and no difference holds a stack with no call.
 */
static void test_sums(void)
{
	/* Raw addresses: every set numbers them alike. */
	static const char *names[STACKS] = {
		"0x1000", "0x1001", "0x1002", "0x1003", "0x1004", "0x1005",
		"0x1006", "0x1007", "0x1008", "0x1009", "0x100a", "0x100b"
	};
	unsigned long long count[STACKS], sum[STACKS], calls;
	struct fx *prev, *cur;
	struct stack_set d;
	unsigned int run, r, k;
	size_t i;

	for (run = 0; run < RUNS; run++) {
		memset(count, 0, sizeof(count));
		memset(sum, 0, sizeof(sum));
		calls = 0;
		prev = fx_new();
		prev->set.depth = DEPTH;
		for (r = 0; r < READS; r++) {
			cur = fx_new();
			cur->set.depth = DEPTH;
			for (k = 0; k < STACKS; k++) {
				if (test_rand() % 3 == 0)
					count[k] += test_rand() % 50;
				if (count[k])
					fx_stack(cur, count[k], k % 2, "w", 2,
						 names[k], "0x2000");
			}
			EXPECT(!stack_set_diff(&d, &cur->set, &prev->set),
			       "diff failed");
			for (i = 0; i < d.n; i++) {
				EXPECT(d.stacks[i].count, "a stack of 0");
				k = d.stacks[i].ips[0] - 0x1000;
				if (k < STACKS)
					sum[k] += d.stacks[i].count;
				if (i)
					EXPECT(d.stacks[i].count <=
					       d.stacks[i - 1].count,
					       "not most frequent first");
			}
			calls += d.calls;
			stack_set_free(&d);
			fx_free(prev);
			prev = cur;
		}
		for (k = 0; k < STACKS; k++)
			EXPECT(sum[k] == count[k],
			       "run %u: stack %u summed %llu, total %llu",
			       run, k, sum[k], count[k]);
		EXPECT(calls == prev->set.calls, "run %u: calls %llu of %llu",
		       run, calls, (unsigned long long)prev->set.calls);
		fx_free(prev);
	}
	test_end("interval_diffs_add_up");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_same();
	test_grown();
	test_per_process();
	test_sums();
	return test_failed ? 1 : 0;
}
