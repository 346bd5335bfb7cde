// SPDX-License-Identifier: GPL-2.0
/*
 * feat_thread - two threads of one process with known call counts, for
 * -T (tests/e2e/feat_thread.sh).
 *
 *   feat_thread DIR NA NB
 *
 * Starts two threads, which name themselves fth_a and fth_b
 * (PR_SET_NAME) and wait.  Then writes "PID TID_A TID_B" to DIR/ready
 * (through DIR/ready.tmp, renamed: the file is whole once it exists) and
 * waits for SIGUSR1, so that the tracer can attach first.  Then thread a
 * makes exactly NA write(2)s of one byte to /dev/null, and thread b NB;
 * nothing else writes.  Once both are done, creates DIR/done (an open, no
 * write) and sleeps until killed, its threads alive: their names stay in
 * /proc for show_bt to read.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

struct worker {
	const char *name;
	long calls;
	int fd;
	pid_t tid;
};

static pthread_barrier_t named, go, finished;

static void *work(void *arg)
{
	struct worker *w = arg;
	long i;

	prctl(PR_SET_NAME, w->name, 0, 0, 0);
	w->tid = syscall(SYS_gettid);
	pthread_barrier_wait(&named);
	pthread_barrier_wait(&go);
	for (i = 0; i < w->calls; i++)
		if (write(w->fd, "x", 1) != 1)
			_exit(3);
	pthread_barrier_wait(&finished);
	for (;;)
		pause();
	return NULL;
}

static int put_ready(const char *dir, const struct worker *w)
{
	char tmp[4096], path[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/ready.tmp", dir);
	snprintf(path, sizeof(path), "%s/ready", dir);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%d %d %d\n", (int)getpid(), (int)w[0].tid,
		(int)w[1].tid);
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

int main(int argc, char **argv)
{
	struct worker w[2] = { { "fth_a", 0, -1, 0 }, { "fth_b", 0, -1, 0 } };
	char path[4096];
	pthread_t t[2];
	sigset_t usr1;
	int i, sig, fd;

	if (argc != 4) {
		fprintf(stderr, "usage: feat_thread DIR NA NB\n");
		return 2;
	}
	w[0].calls = atol(argv[2]);
	w[1].calls = atol(argv[3]);
	/* Blocked before the threads start: they inherit the mask. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	pthread_barrier_init(&named, NULL, 3);
	pthread_barrier_init(&go, NULL, 3);
	pthread_barrier_init(&finished, NULL, 3);
	for (i = 0; i < 2; i++) {
		w[i].fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (w[i].fd < 0 || pthread_create(&t[i], NULL, work, &w[i])) {
			perror("feat_thread: setup");
			return 1;
		}
	}
	pthread_barrier_wait(&named);
	if (put_ready(argv[1], w)) {
		perror("feat_thread: ready");
		return 1;
	}
	if (sigwait(&usr1, &sig))
		return 1;
	pthread_barrier_wait(&go);
	pthread_barrier_wait(&finished);
	snprintf(path, sizeof(path), "%s/done", argv[1]);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	close(fd);
	for (;;)
		pause();
}
