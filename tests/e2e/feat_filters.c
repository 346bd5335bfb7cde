// SPDX-License-Identifier: GPL-2.0
/*
 * feat_filters.c - the workload of tests/e2e/feat_filters.sh:
 *
 *	feat_filters NAME CPU N READY
 *
 * takes NAME as its command (prctl PR_SET_NAME; "-" keeps its own), pins
 * itself to CPU (-1: any), creates the file READY, waits for SIGUSR1,
 * then makes exactly N write(2)s of one byte to /dev/null (N calls of
 * vfs_write, all of them on CPU when pinned) and exits 0.  Exit 2 for
 * bad arguments, 3 when the setup fails, 4 when a write fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

static int setup(const char *name, int cpu, const char *ready)
{
	cpu_set_t set;
	int fd;

	if (strcmp(name, "-") && prctl(PR_SET_NAME, name, 0, 0, 0)) {
		perror("feat_filters: PR_SET_NAME");
		return -1;
	}
	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("feat_filters: sched_setaffinity");
			return -1;
		}
	}
	/* open and close: no write(2), nothing for vfs_write to count. */
	fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror("feat_filters: the ready file");
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t usr1;
	long n, i;
	int fd, sig;
	char c = 'x';

	if (argc != 5) {
		fprintf(stderr, "usage: feat_filters NAME CPU N READY\n");
		return 2;
	}
	n = atol(argv[3]);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	/* Blocked before READY exists: the go signal cannot be missed. */
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || setup(argv[1], atoi(argv[2]), argv[4]))
		return 3;
	if (sigwait(&usr1, &sig))
		return 3;
	for (i = 0; i < n; i++)
		if (write(fd, &c, 1) != 1)
			return 4;
	return 0;
}
