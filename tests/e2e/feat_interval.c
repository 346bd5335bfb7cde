// SPDX-License-Identifier: GPL-2.0
/*
 * feat_interval - the workload of tests/e2e/feat_interval.sh: write(2)s
 * of one byte to /dev/null, each one call of vfs_write, in phases that a
 * test places in show_bt -i's intervals by waiting for states.
 *
 *   feat_interval FILE PHASE...
 *
 * Opens /dev/null, then stops itself (SIGSTOP) before each PHASE and once
 * after the last, so that a test can wait for the stop (state T in
 * /proc/PID/stat), do what it must, and send SIGCONT.  A PHASE is a number
 * N, N write(2)s, or "until": write(2)s until a SIGUSR2.  After the last
 * stop it writes the number of write(2)s it made to FILE (that write comes
 * after the tracer is gone) and exits 0.  Nothing else it does between the
 * first stop and the last writes to a file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_usr2(int sig)
{
	(void)sig;
	stop = 1;
}

/* One phase's write(2)s: every call, whatever it returns, is one vfs_write. */
static unsigned long phase(int fd, const char *what)
{
	unsigned long n = 0, want;
	char *end;

	if (!strcmp(what, "until")) {
		while (!stop) {
			(void)!write(fd, "x", 1);
			n++;
		}
		return n;
	}
	want = strtoul(what, &end, 10);
	if (*end) {
		fprintf(stderr, "feat_interval: bad phase '%s'\n", what);
		exit(2);
	}
	for (; n < want; n++)
		(void)!write(fd, "x", 1);
	return n;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	unsigned long total = 0;
	FILE *out;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: feat_interval FILE PHASE...\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("feat_interval: /dev/null");
		return 1;
	}
	for (i = 2; i < argc; i++) {
		kill(getpid(), SIGSTOP);
		total += phase(fd, argv[i]);
	}
	kill(getpid(), SIGSTOP);
	out = fopen(argv[1], "w");
	if (!out || fprintf(out, "%lu\n", total) < 0 || fclose(out)) {
		perror("feat_interval: the count");
		return 1;
	}
	return 0;
}
