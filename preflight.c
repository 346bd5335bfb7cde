// SPDX-License-Identifier: GPL-2.0
/*
 * preflight.c - what is checked and set before the kernel is asked
 * anything; see preflight.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "msg.h"
#include "numparse.h"
#include "preflight.h"

static int task_tgid(int pid);

/*
 * Standard descriptors that are closed would be reused by the first maps
 * created, and the output would go into a BPF map.  stdin and stderr get
 * /dev/null; a closed stdout is an error, since the output is the point.
 */
int check_stdio(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		if (fd == 1) {
			err_msg("stdout is closed: there is nowhere to print the stacks");
			return -EBADF;
		}
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			return -EBADF;
	}
	return 0;
}

/*
 * The oldest kernel show_bt can work on: the kprobe PMU is 4.17, and
 * bpf_get_stack(), which the lossless path needs, 4.18.  Older ones are
 * told in one line, not by a verifier log about an unknown helper.
 */
int check_kernel(const struct kfeatures *f)
{
	if (f->helper_get_stack)
		return 0;
	err_msg("this kernel is %s: show_bt needs Linux 4.18 or later (bpf_get_stack, which the kernel cannot do before)",
		kfeatures_release(f));
	return -EOPNOTSUPP;
}

/* -p names a process: one that exists, and not one of its threads. */
int check_pid(int pid)
{
	int tgid;

	if (!pid)
		return 0;
	if (kill(pid, 0) < 0 && errno == ESRCH) {
		err_msg("no process with pid %d", pid);
		return -ESRCH;
	}
	tgid = task_tgid(pid);
	if (tgid && tgid != pid) {
		err_msg("%d is a thread of process %d: -p takes a process id (-p %d counts all its threads)",
			pid, tgid, tgid);
		return -EINVAL;
	}
	return 0;
}

/* The process a task belongs to (its Tgid), or 0 if it cannot be read. */
static int task_tgid(int pid)
{
	char path[64], line[256];
	int tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5) &&
		    !num_int(line + 5, NULL, &tgid))
			break;
	fclose(f);
	return tgid;
}

/* One descriptor per probe and per map: lift the soft limit to the hard. */
void raise_nofile(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}
