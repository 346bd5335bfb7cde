// SPDX-License-Identifier: GPL-2.0
/*
 * writer - a workload with known call counts for the end-to-end tests.
 *
 *   writer FILE KIND=N...
 *
 * Opens FILE (and FILE.src, one byte, for the copying kinds), creates
 * FILE.ready (an open, no write) to say it is set up, then waits for
 * SIGUSR1 so that the tracer can attach first, then for each KIND=N in
 * order makes exactly N calls of that kind, each writing one byte to FILE,
 * and exits 0.  Every kind reaches the file system's write path through a
 * different chain of kernel functions:
 *   write pwrite64 writev pwritev pwritev2 sendfile copy_file_range
 * Nothing else it does between the signal and exit writes to a file.
 *
 * One more kind writes nothing: bpf_map_lookup=N makes N BPF_MAP_LOOKUP_ELEM
 * calls on an array map (the kernel runs array_map_lookup_elem with BPF
 * programs held off, so a kprobe there shows the recursion guard at work).
 *
 * And stop=N stops the writer N times (SIGSTOP to itself): between two
 * groups of calls, a test waits for the stop (state T in /proc/PID/stat),
 * does what it must, and sends SIGCONT for the calls that follow.
 *
 * wake_chain=N makes deep kernel stacks without timing: N one-byte
 * sendfile(2)s from FILE.src into a TCP connection over the loopback
 * (which must be up).  The receive runs in the sender's own softirq, and
 * wakes a chain set up beforehand: five epolls nested on the receiving
 * socket, an aio poll (IOCB_CMD_POLL) on the fifth that signals an
 * eventfd when it completes, five epolls nested on that eventfd.  Each
 * call hits ep_poll_callback at every level, one stack deeper each time:
 * on Debian's 5.10 the deepest is 69 frames, past the 63 of one chunk of
 * the frames map there (prog.h).  Each call first drains the socket and
 * arms the aio poll again (it is one-shot), and after the sendfile reaps
 * the completion and reads the eventfd.
 *
 *   writer --kprobe NAME
 *
 * asks the kernel itself for a kprobe on NAME by name, through the kprobe
 * PMU as show_bt would ask (disabled, closed at once), and exits 0 if it
 * made one, 1 with why on stderr if it refused: whether the kernel takes
 * a name that several functions share (and probes one of them) or
 * refuses it (EADDRNOTAVAIL), which kprobe_events cannot tell, as the
 * kernel may answer it otherwise (Debian's 5.10).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/aio_abi.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/uio.h>

static int out_fd, src_fd, map_fd = -1;

/* wake_chain: the connection's two ends, the epoll polled, the rest. */
#define CHAIN_EPOLLS	5	/* the most one wake-up path may nest */
static struct {
	int tx, rx, top, efd;
	aio_context_t aio;
} wc = { -1, -1, -1, -1, 0 };

static const char *const kinds[] = {
	"write", "pwrite64", "writev", "pwritev", "pwritev2", "sendfile",
	"copy_file_range", "bpf_map_lookup", "stop", "wake_chain",
};

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_lookup(void)
{
	union bpf_attr attr;
	__u32 key = 0;
	__u64 value;

	if (map_fd < 0) {
		memset(&attr, 0, sizeof(attr));
		attr.map_type = BPF_MAP_TYPE_ARRAY;
		attr.key_size = sizeof(key);
		attr.value_size = sizeof(value);
		attr.max_entries = 1;
		map_fd = sys_bpf(BPF_MAP_CREATE, &attr);
		if (map_fd < 0)
			return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = map_fd;
	attr.key = (__u64)(unsigned long)&key;
	attr.value = (__u64)(unsigned long)&value;
	return sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr) ? -1 : 1;
}

/* n epolls, each watching the one before, the first watching fd. */
static int epoll_nest(int fd, int n)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep;

	while (n--) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			return -1;
		fd = ep;
	}
	return fd;
}

/* The connection, the two chains of epolls and the aio context. */
static int wake_chain_setup(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int ls, one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, len) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &len))
		return -1;
	wc.tx = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (wc.tx < 0 || connect(wc.tx, (struct sockaddr *)&a, len))
		return -1;
	wc.rx = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	close(ls);
	/* Each byte its own segment, sent at once: no Nagle. */
	if (wc.rx < 0 || setsockopt(wc.tx, IPPROTO_TCP, TCP_NODELAY, &one,
				    sizeof(one)))
		return -1;
	wc.top = epoll_nest(wc.rx, CHAIN_EPOLLS);
	wc.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wc.top < 0 || wc.efd < 0 ||
	    epoll_nest(wc.efd, CHAIN_EPOLLS) < 0)
		return -1;
	return syscall(__NR_io_setup, 1, &wc.aio) ? -1 : 0;
}

static int wake_chain(void)
{
	struct iocb cb = {
		.aio_lio_opcode = IOCB_CMD_POLL,
		.aio_fildes = wc.top,
		.aio_buf = POLLIN,
		.aio_flags = IOCB_FLAG_RESFD,
		.aio_resfd = wc.efd,
	}, *cbs[1] = { &cb };
	struct io_event ev;
	char buf[64];
	off_t off = 0;
	uint64_t n;

	/* Not readable, so that the poll waits for the byte below. */
	while (recv(wc.rx, buf, sizeof(buf), 0) > 0)
		;
	if (syscall(__NR_io_submit, wc.aio, 1, cbs) != 1 ||
	    sendfile(wc.tx, src_fd, &off, 1) != 1 ||
	    syscall(__NR_io_getevents, wc.aio, 1, 1, &ev, NULL) != 1 ||
	    read(wc.efd, &n, sizeof(n)) != sizeof(n))
		return -1;
	return 1;
}

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
	if (!strcmp(kind, "bpf_map_lookup"))
		return map_lookup();
	if (!strcmp(kind, "stop"))
		return raise(SIGSTOP) ? -1 : 1;
	if (!strcmp(kind, "wake_chain"))
		return wake_chain();
	return -2;
}

static int kprobe_by_name(const char *name)
{
	struct perf_event_attr attr;
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "re");
	int type = -1, fd;

	if (!f || fscanf(f, "%d", &type) != 1) {
		fprintf(stderr, "writer: no kprobe PMU\n");
		return 2;
	}
	fclose(f);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config1 = (__u64)(unsigned long)name;	/* kprobe_func */
	attr.disabled = 1;
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "writer: kprobe on %s: %s\n", name,
			strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
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

/* The test starts the tracer only now: setting up wrote to FILE.src. */
static int say_ready(const char *path)
{
	char ready[4096];
	int fd;

	snprintf(ready, sizeof(ready), "%s.ready", path);
	fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(ready);
		return -1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t set;
	long n, i;
	int a, sig;
	char *eq;

	if (argc == 3 && !strcmp(argv[1], "--kprobe"))
		return kprobe_by_name(argv[2]);
	if (argc < 3) {
		fprintf(stderr, "usage: writer FILE KIND=N... | --kprobe NAME\n");
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
	/*
	 * The map and the wake chain are made now: their making is no part
	 * of what is counted.
	 */
	for (a = 2; a < argc; a++)
		if (!strncmp(argv[a], "bpf_map_lookup=", 15) && map_lookup() < 0) {
			perror("bpf");
			return 1;
		}
	for (a = 2; a < argc; a++)
		if (!strncmp(argv[a], "wake_chain=", 11) && wc.tx < 0 &&
		    wake_chain_setup()) {
			perror("wake_chain (is the loopback up?)");
			return 1;
		}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (say_ready(argv[1]))
		return 1;
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
