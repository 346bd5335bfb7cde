// SPDX-License-Identifier: GPL-2.0
/*
 * writer - a workload with known call counts for the end-to-end tests.
 *
 *   writer N_WRITE N_PWRITE N_WRITEV FILE
 *
 * Opens FILE, then waits for SIGUSR1 so that the tracer can attach first,
 * then makes exactly N_WRITE write(), N_PWRITE pwrite64() and N_WRITEV
 * writev() calls of one byte each, in that order, and exits 0.  Nothing
 * else it does between the signal and exit writes to a file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/uio.h>

int main(int argc, char **argv)
{
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	long n_write, n_pwrite, n_writev, i;
	sigset_t set;
	int fd, sig;

	if (argc != 5) {
		fprintf(stderr, "usage: writer N_WRITE N_PWRITE N_WRITEV FILE\n");
		return 2;
	}
	n_write = atol(argv[1]);
	n_pwrite = atol(argv[2]);
	n_writev = atol(argv[3]);
	fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(argv[4]);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigwait(&set, &sig))
		return 1;

	for (i = 0; i < n_write; i++)
		if (write(fd, "x", 1) != 1)
			return 1;
	for (i = 0; i < n_pwrite; i++)
		if (pwrite(fd, "x", 1, i) != 1)
			return 1;
	for (i = 0; i < n_writev; i++)
		if (writev(fd, &iov, 1) != 1)
			return 1;
	return 0;
}
