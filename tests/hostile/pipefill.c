// SPDX-License-Identifier: GPL-2.0
/*
 * pipefill - run a command whose stdout is a full pipe that nobody reads.
 *
 *   pipefill SECONDS COMMAND [ARG]...
 *
 * Makes a pipe, shrinks it to one page (F_SETPIPE_SZ), fills it to the
 * brim, then forks a reader that holds the read end for SECONDS without
 * reading and exits (so the writer then gets EPIPE), and execs COMMAND
 * with the write end as its stdout.  COMMAND keeps pipefill's pid, so a
 * shell's $! names it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char page[4096];
	int fds[2], flags;
	unsigned int hold;

	if (argc < 3) {
		fprintf(stderr, "usage: pipefill SECONDS COMMAND [ARG]...\n");
		return 126;
	}
	hold = atoi(argv[1]);
	if (pipe(fds)) {
		perror("pipefill: pipe");
		return 126;
	}
	fcntl(fds[1], F_SETPIPE_SZ, 4096);
	flags = fcntl(fds[1], F_GETFL);
	fcntl(fds[1], F_SETFL, flags | O_NONBLOCK);
	memset(page, 'f', sizeof(page));
	while (write(fds[1], page, sizeof(page)) > 0 ||
	       write(fds[1], page, 1) > 0)
		;
	if (errno != EAGAIN) {
		perror("pipefill: fill");
		return 126;
	}
	fcntl(fds[1], F_SETFL, flags);
	switch (fork()) {
	case -1:
		perror("pipefill: fork");
		return 126;
	case 0:
		close(fds[1]);
		sleep(hold);
		_exit(0);
	}
	close(fds[0]);
	if (dup2(fds[1], 1) < 0) {
		perror("pipefill: dup2");
		return 126;
	}
	close(fds[1]);
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 126;
}
