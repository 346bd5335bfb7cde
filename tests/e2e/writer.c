// SPDX-License-Identifier: GPL-2.0
/*
 * writer - a workload with known call counts for the end-to-end tests.
 *
 *   writer FILE KIND=N...
 *
 * Opens FILE (and FILE.src, one byte, for the copying kinds), then waits
 * for SIGUSR1 so that the tracer can attach first, then for each KIND=N in
 * order makes exactly N calls of that kind, each writing one byte to FILE,
 * and exits 0.  Every kind reaches the file system's write path through a
 * different chain of kernel functions:
 *   write pwrite64 writev pwritev pwritev2 sendfile copy_file_range
 * Nothing else it does between the signal and exit writes to a file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/uio.h>

static int out_fd, src_fd;

static const char *const kinds[] = {
	"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendfile",
	"copy_file_range",
};

static int known_kind(const char *arg)
{
	size_t i, len = strcspn(arg, "=");

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == len && !strncmp(arg, kinds[i], len))
			return 1;
	return 0;
}

static int one_call(const char *kind, long i)
{
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	off_t off = 0;

	if (!strcmp(kind, "write"))
		return write(out_fd, "x", 1);
	if (!strcmp(kind, "pwrite64"))
		return pwrite(out_fd, "x", 1, i);
	if (!strcmp(kind, "writev"))
		return writev(out_fd, &iov, 1);
	if (!strcmp(kind, "pwritev"))
		return pwritev(out_fd, &iov, 1, i);
	if (!strcmp(kind, "pwritev2"))
		return pwritev2(out_fd, &iov, 1, i, 0);
	if (!strcmp(kind, "sendfile"))
		return sendfile(out_fd, src_fd, &off, 1);
	if (!strcmp(kind, "copy_file_range"))
		return copy_file_range(src_fd, &off, out_fd, NULL, 1, 0);
	return -2;
}

static int open_files(const char *path)
{
	char src[4096];

	snprintf(src, sizeof(src), "%s.src", path);
	out_fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	src_fd = open(src, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out_fd < 0 || src_fd < 0 || write(src_fd, "s", 1) != 1) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t set;
	long n, i;
	int a, sig;
	char *eq;

	if (argc < 3) {
		fprintf(stderr, "usage: writer FILE KIND=N...\n");
		return 2;
	}
	for (a = 2; a < argc; a++) {
		eq = strchr(argv[a], '=');
		if (!eq || !known_kind(argv[a]) || atol(eq + 1) < 0) {
			fprintf(stderr, "writer: bad argument '%s'\n", argv[a]);
			return 2;
		}
	}
	if (open_files(argv[1]))
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigwait(&set, &sig))
		return 1;

	for (a = 2; a < argc; a++) {
		eq = strchr(argv[a], '=');
		*eq = '\0';
		n = atol(eq + 1);
		for (i = 0; i < n; i++) {
			if (one_call(argv[a], i) != 1) {
				fprintf(stderr, "writer: %s call %ld failed\n",
					argv[a], i);
				return 1;
			}
		}
	}
	return 0;
}
