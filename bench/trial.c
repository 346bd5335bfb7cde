// SPDX-License-Identifier: GPL-2.0
/*
 * trial - run one tracer once and time it from the outside, for make bench.
 *
 *   trial [-n CALLS] [-x WORKLOAD] [-k] [-a NAME] [-t TIMEOUT] [-o OUT]
 *         [-e ERR] [-- TRACER [ARGS...]]
 *
 * Reads CLOCK_MONOTONIC just before it execs TRACER, reads the tracer's
 * stdout and stderr (saved to OUT and ERR) as they come, and picks up the
 * timestamps tracers print there: "timing: NAME SECONDS" (show_bt with
 * SHOW_BT_TIMING=1, floor), "timing_ns: NAME NANOSECONDS" or
 * "timing_at: NAME", which stands for the moment the line arrived (bpftrace:
 * its BEGIN probe fires before it attaches the others, so its nsecs there
 * would say "attached" too early; the line it prints there reaches the pipe
 * only once they are).  Once a "timing: attached" line arrives it runs the
 * workload itself: CALLS 1-byte writes to /dev/null, timed in slices, then
 * the shell command WORKLOAD; with -k it then sends the tracer SIGINT.
 * With -a, the workload also waits for a "timing: NAME" line (show_bt's
 * kallsyms_copied: on a one-CPU guest the copy it makes during the window
 * would share the CPU with the timed calls), at most 60 s after attached
 * and not past the window's end.
 * When the tracer's output ends it reaps it with wait4(), for its peak RSS
 * (ru_maxrss).  Without TRACER, only the workload runs.
 *
 * Prints one line of NAME=VALUE fields on stdout, times in seconds:
 *   exec attached window_end output_done   as above ("-": never seen)
 *   work_end kill exit                     when the workload ended, SIGINT
 *                                          was sent, wait4() returned
 *   out_first out_last out_bytes           when the tracer's stdout
 *                                          arrived, how much
 *   ns_per_call units_per_call spin_ns     a call's cost (see calls())
 *   maxrss_kb status                       status: the exit code, or 128 +
 *                                          the signal, 124 on timeout
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

enum { T_EXEC, T_ATTACHED, T_WINDOW_END, T_OUTPUT_DONE, T_WORK_END, T_KILL,
       T_EXIT, T_OUT_FIRST, T_OUT_LAST, T_NR };

static const char *const t_names[T_NR] = {
	"exec", "attached", "window_end", "output_done", "work_end", "kill",
	"exit", "out_first", "out_last",
};

static double t[T_NR];
static const char *after;	/* -a NAME */
static double after_at;		/* when NAME's line said, 0: not yet */

struct stream {
	int fd;			/* the pipe's read end, -1 once at EOF */
	int save;		/* where its bytes go, -1: nowhere */
	char line[4096];	/* the unfinished line */
	size_t len;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * "... timing: NAME SECONDS", "... timing_ns: NAME NANOSECONDS" or
 * "... timing_at: NAME" (the line's arrival, AT).
 */
static void parse_line(const char *line, double at)
{
	const char *p = strstr(line, "timing");
	char name[32];
	double v = at;
	int ns, i;

	if (!p)
		return;
	ns = !strncmp(p, "timing_ns: ", 11);
	if (!strncmp(p, "timing_at: ", 11)) {
		if (sscanf(p + 11, "%31s", name) != 1)
			return;
	} else if (!ns && strncmp(p, "timing: ", 8)) {
		return;
	} else if (sscanf(p + (ns ? 11 : 8), "%31s %lf", name, &v) != 2) {
		return;
	}
	if (after && !after_at && !strcmp(name, after))
		after_at = v;
	for (i = T_ATTACHED; i <= T_OUTPUT_DONE; i++)
		if (!strcmp(name, t_names[i]) && !t[i])
			t[i] = ns ? v / 1e9 : v;
}

static void take(struct stream *s, const char *buf, size_t n, double at)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (s->len < sizeof(s->line) - 1)
				s->line[s->len++] = buf[i];
			continue;
		}
		s->line[s->len] = '\0';
		parse_line(s->line, at);
		s->len = 0;
	}
}

/* Read what is there; 0 at EOF. */
static int drain(struct stream *s, int is_stdout, long *bytes)
{
	char buf[65536];
	ssize_t n = read(s->fd, buf, sizeof(buf));
	double at = now();

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return 0;
	}
	if (is_stdout) {
		if (!t[T_OUT_FIRST])
			t[T_OUT_FIRST] = at;
		t[T_OUT_LAST] = at;
		*bytes += n;
	}
	if (s->save >= 0 && write(s->save, buf, n) != n)
		s->save = -1;
	take(s, buf, n, at);
	return 1;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/*
 * The guest's speed wanders with the host's load: under emulation a
 * descheduled emulator thread makes every guest instruction slower alike.
 * So the calls are timed in CHUNKS slices, each followed by a fixed spin
 * in user space timed the same way, and a call's cost is also given in
 * spin iterations: the ratio of the two cancels the speed of the moment.
 */
#define CHUNKS		50
#define SPIN_ITERS	200000

struct cost {
	double ns;		/* ns per call, median slice */
	double units;		/* spin iterations per call, median */
	double spin_ns;		/* ns per spin iteration, median slice */
};

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double spin(void)
{
	volatile unsigned long x = 0;
	double start = now();
	long i;

	for (i = 0; i < SPIN_ITERS; i++)
		x += i;
	return (now() - start) * 1e9 / SPIN_ITERS;
}

static void calls(long n, struct cost *c)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	double ns[CHUNKS], units[CHUNKS], sp[CHUNKS], start;
	long per = n / CHUNKS, i;
	int k;

	memset(c, 0, sizeof(*c));
	if (fd < 0 || per <= 0)
		return;
	for (k = 0; k < CHUNKS; k++) {
		start = now();
		for (i = 0; i < per; i++)
			if (write(fd, "x", 1) != 1)
				break;
		ns[k] = (now() - start) * 1e9 / per;
		sp[k] = spin();
		units[k] = ns[k] / sp[k];
	}
	close(fd);
	c->ns = median(ns, CHUNKS);
	c->units = median(units, CHUNKS);
	c->spin_ns = median(sp, CHUNKS);
}

static void run_workload(const char *cmd)
{
	pid_t pid;
	int fd;

	if (!cmd)
		return;
	pid = fork();
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
}

static int open_save(const char *path)
{
	return path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			   0644) : -1;
}

int main(int argc, char **argv)
{
	const char *work = NULL, *out_path = NULL, *err_path = NULL;
	struct stream s[2] = { { -1, -1, "", 0 }, { -1, -1, "", 0 } };
	int op[2], ep[2], c, status = 0, kill_after = 0, worked = 0, i;
	double timeout = 600, *shared;
	struct cost cost = { 0, 0, 0 };
	long ncalls = 0, bytes = 0, maxrss = 0;
	double start = now();
	struct rusage ru;
	pid_t pid;

	while ((c = getopt(argc, argv, "+n:x:ka:t:o:e:")) != -1) {
		switch (c) {
		case 'n':
			ncalls = atol(optarg);
			break;
		case 'x':
			work = optarg;
			break;
		case 'k':
			kill_after = 1;
			break;
		case 'a':
			after = optarg;
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'e':
			err_path = optarg;
			break;
		default:
			fprintf(stderr, "usage: trial [-n CALLS] [-x WORKLOAD] [-k] [-a NAME] [-t TIMEOUT] [-o OUT] [-e ERR] [-- TRACER [ARGS...]]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		calls(ncalls, &cost);
		run_workload(work);
		printf("ns_per_call=%.1f units_per_call=%.4f spin_ns=%.4f\n",
		       cost.ns, cost.units, cost.spin_ns);
		return 0;
	}

	/* The child's clock reading, taken just before exec, lands here. */
	shared = mmap(NULL, sizeof(double), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || pipe2(op, O_CLOEXEC) ||
	    pipe2(ep, O_CLOEXEC)) {
		perror("trial");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("trial: fork");
		return 1;
	}
	if (pid == 0) {
		dup2(op[1], 1);
		dup2(ep[1], 2);
		*shared = now();
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "trial: cannot run %s: %s\n", argv[optind],
			strerror(errno));
		_exit(127);
	}
	close(op[1]);
	close(ep[1]);
	s[0].fd = op[0];
	s[0].save = open_save(out_path);
	s[1].fd = ep[0];
	s[1].save = open_save(err_path);

	while (s[0].fd >= 0 || s[1].fd >= 0) {
		struct pollfd p[2] = { { s[0].fd, POLLIN, 0 },
				       { s[1].fd, POLLIN, 0 } };
		double left = start + timeout - now();

		if (left <= 0) {
			kill(pid, SIGKILL);
			status = 124;
			break;
		}
		if (poll(p, 2, left > 1 ? 1000 : (int)(left * 1000) + 1) < 0 &&
		    errno != EINTR)
			break;
		for (i = 0; i < 2; i++)
			if (p[i].revents && s[i].fd >= 0)
				drain(&s[i], i == 0, &bytes);
		if (t[T_ATTACHED] && !worked &&
		    (!after || after_at || t[T_WINDOW_END] ||
		     now() > t[T_ATTACHED] + 60)) {
			worked = 1;
			calls(ncalls, &cost);
			run_workload(work);
			t[T_WORK_END] = now();
			if (kill_after) {
				t[T_KILL] = now();
				kill(pid, SIGINT);
			}
		}
	}
	while (wait4(pid, &c, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("trial: wait4");
			return 1;
		}
	}
	t[T_EXIT] = now();
	t[T_EXEC] = *shared;
	maxrss = ru.ru_maxrss;
	if (!status)
		status = WIFEXITED(c) ? WEXITSTATUS(c) : 128 + WTERMSIG(c);
	for (i = 0; i < T_NR; i++) {
		if (t[i])
			printf("%s=%.6f ", t_names[i], t[i]);
		else
			printf("%s=- ", t_names[i]);
	}
	printf("out_bytes=%ld ns_per_call=%.1f units_per_call=%.4f ",
	       bytes, cost.ns, cost.units);
	printf("spin_ns=%.4f maxrss_kb=%ld status=%d\n", cost.spin_ns, maxrss,
	       status);
	return 0;
}
