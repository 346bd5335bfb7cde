// SPDX-License-Identifier: GPL-2.0
/*
 * hammer - the highest rate of one system call the machine can make.
 *
 *   hammer N [NPROC]
 *
 * Forks NPROC processes (default: one per online CPU), pins process i to
 * CPU i with sched_setaffinity, and has each make exactly N getppid()
 * system calls as fast as it can.  Each prints "hammer: cpu I: N calls",
 * the parent then "hammer: total T calls" and exits 0 once every child
 * did.  getppid() is made with syscall(2): nothing caches it.  The
 * processes are named "hammer" (their command name), so that a tracer
 * splitting stacks per process can tell their calls from any other's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int child(int cpu, long n)
{
	cpu_set_t set;
	long i;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "hammer: cpu %d: sched_setaffinity: %s\n", cpu,
			strerror(errno));
		return 1;
	}
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("hammer: cpu %d: %ld calls\n", cpu, n);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	long n, nproc, i, done = 0;
	int status, failed = 0;
	pid_t pid;

	if (argc < 2 || argc > 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: hammer N [NPROC]\n");
		return 2;
	}
	nproc = argc == 3 ? atol(argv[2]) : sysconf(_SC_NPROCESSORS_ONLN);
	if (nproc <= 0 || nproc > CPU_SETSIZE) {
		fprintf(stderr, "hammer: bad process count %ld\n", nproc);
		return 2;
	}
	fflush(stdout);
	for (i = 0; i < nproc; i++) {
		pid = fork();
		if (pid < 0) {
			perror("hammer: fork");
			failed = 1;
			break;
		}
		if (!pid)
			_exit(child(i, n));
	}
	while (wait(&status) > 0) {
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			done++;
		else
			failed = 1;
	}
	printf("hammer: total %ld calls\n", done * n);
	return failed;
}
