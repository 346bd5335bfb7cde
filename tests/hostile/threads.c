// SPDX-License-Identifier: GPL-2.0
/*
 * threads - a process whose writes are all made by its second thread.
 *
 *   threads FILE N
 *
 * Opens FILE, starts a thread, writes that thread's id (not the process
 * id) to FILE.tid, creates FILE.ready, then waits for SIGUSR1; on it the
 * thread makes exactly N one-byte write() calls to FILE, and the process
 * exits 0.  For tracers given a thread id where a process id belongs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static int out_fd;
static long calls;
static pid_t tid;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int state;		/* 1: tid known, 2: go */

static void *worker(void *arg)
{
	long i, *failed = arg;

	pthread_mutex_lock(&lock);
	tid = syscall(SYS_gettid);
	state = 1;
	pthread_cond_broadcast(&cond);
	while (state != 2)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < calls; i++)
		if (write(out_fd, "x", 1) != 1)
			*failed = 1;
	return NULL;
}

static int write_file(const char *path, const char *suffix, long value)
{
	char name[4096];
	FILE *f;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	f = fopen(name, "w");
	if (!f)
		return -1;
	if (value >= 0)
		fprintf(f, "%ld\n", value);
	return fclose(f);
}

int main(int argc, char **argv)
{
	static long failed;
	pthread_t th;
	sigset_t set;
	int sig;

	if (argc != 3 || (calls = atol(argv[2])) < 0) {
		fprintf(stderr, "usage: threads FILE N\n");
		return 2;
	}
	out_fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out_fd < 0) {
		perror(argv[1]);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&th, NULL, worker, &failed)) {
		fprintf(stderr, "threads: cannot start a thread\n");
		return 1;
	}
	pthread_mutex_lock(&lock);
	while (state != 1)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	if (write_file(argv[1], ".tid", tid) || write_file(argv[1], ".ready", -1)) {
		perror("threads");
		return 1;
	}
	if (sigwait(&set, &sig))
		return 1;
	pthread_mutex_lock(&lock);
	state = 2;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	pthread_join(th, NULL);
	return failed ? 1 : 0;
}
