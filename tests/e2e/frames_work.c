// SPDX-License-Identifier: GPL-2.0
/*
 * frames_work - a mixed kernel workload for tests/e2e/frames.sh.
 *
 *   frames_work DIR ROUNDS
 *
 * Creates the FIFO DIR/go and the file DIR/ready (to say it is set up),
 * then opens DIR/go for reading, which blocks until the test opens it for
 * writing, and reads it to its end: the go signal, once the tracers are
 * attached (the test opens and closes it).  Then, in this one
 * process, ROUNDS times over:
 *   - file traffic: create, write, fsync, read back, rename, unlink;
 *   - a pipe and an AF_UNIX socketpair, 4 KiB at a time;
 *   - loopback TCP (the receive side runs in softirq context), if the
 *     loopback interface can be brought up;
 *   - a shared mapping of a file and an anonymous mapping, touched page by
 *     page (page faults), and a read() into a fresh anonymous mapping (page
 *     faults taken inside the kernel, in copy_to_user);
 *   - fork, exec of itself as "frames_work -" (which exits at once), wait;
 *   - two threads: one ends with pthread_exit(), the other with a raw
 *     exit system call (both end in the kernel's do_exit, which never
 *     returns: the call to it is its caller's last instruction);
 *   - a busy loop of cheap system calls, so that timer interrupts land
 *     inside the kernel's paths while this process runs;
 * and last, on x86-64, ROUNDS opens and closes through the 32-bit SYSCALL
 * entry (compat_traffic(), below).
 * Then it writes "done" and its counts to stdout, creates DIR/done and
 * blocks in pause() until it is killed: the test stops its tracers once
 * this process sleeps there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <setjmp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#endif

#define CHUNK 4096
#define PAGES 16

static const char *dir;
static char buf[CHUNK];
static long page;

static void die(const char *what)
{
	fprintf(stderr, "frames_work: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void path_of(char *p, size_t size, const char *name)
{
	snprintf(p, size, "%s/%s", dir, name);
}

static void write_all(int fd, const void *p, size_t n, const char *what)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w <= 0)
			die(what);
		p = (const char *)p + w;
		n -= w;
	}
}

static void read_all(int fd, void *p, size_t n, const char *what)
{
	ssize_t r;

	while (n) {
		r = read(fd, p, n);
		if (r <= 0)
			die(what);
		p = (char *)p + r;
		n -= r;
	}
}

/* NAME: each thread has files of its own. */
static void file_traffic(const char *name)
{
	char n[64], p[4096], q[4096];
	int fd, i;

	path_of(p, sizeof(p), name);
	snprintf(n, sizeof(n), "%s.renamed", name);
	path_of(q, sizeof(q), n);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open file");
	for (i = 0; i < 4; i++)
		write_all(fd, buf, CHUNK, "write file");
	if (fsync(fd))
		die("fsync");
	if (lseek(fd, 0, SEEK_SET))
		die("lseek");
	for (i = 0; i < 4; i++)
		read_all(fd, buf, CHUNK, "read file");
	close(fd);
	if (rename(p, q) || unlink(q))
		die("rename, unlink");
}

/* Both ends of a pipe or a stream socket pair: 4 KiB each way, 4 times. */
static void pair_traffic(int a, int b, const char *what)
{
	int i;

	for (i = 0; i < 4; i++) {
		write_all(a, buf, CHUNK, what);
		read_all(b, buf, CHUNK, what);
	}
	close(a);
	close(b);
}

static void pipe_traffic(void)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC))
		die("pipe2");
	pair_traffic(fds[1], fds[0], "pipe");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
		die("socketpair");
	pair_traffic(fds[0], fds[1], "socketpair");
}

/* Bring the loopback interface up: the guest's init does not. */
static int loopback_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ok;

	if (s < 0)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ok = !ioctl(s, SIOCGIFFLAGS, &ifr);
	if (ok && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		ok = !ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return ok;
}

/* A connected pair of loopback TCP sockets, made before the go signal. */
static int tcp_pair(int fds[2])
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int l, one = 1;

	if (!loopback_up())
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(l, 1) || getsockname(l, (struct sockaddr *)&sa, &len))
		return 0;
	fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[0] < 0 ||
	    connect(fds[0], (struct sockaddr *)&sa, sizeof(sa)))
		return 0;
	fds[1] = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	close(l);
	if (fds[1] < 0)
		return 0;
	setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 1;
}

static void tcp_traffic(const int fds[2])
{
	int i;

	for (i = 0; i < 4; i++) {
		write_all(fds[0], buf, CHUNK, "tcp send");
		read_all(fds[1], buf, CHUNK, "tcp recv");
		write_all(fds[1], buf, 64, "tcp send back");
		read_all(fds[0], buf, 64, "tcp recv back");
	}
}

static void touch(volatile char *m, long n)
{
	long i;

	for (i = 0; i < n; i++)
		m[i * page] = (char)i;
}

static void mmap_traffic(void)
{
	char p[4096];
	char *m;
	int fd;

	path_of(p, sizeof(p), "mapped");
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, PAGES * page))
		die("mapped file");
	m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	if (m == MAP_FAILED)
		die("mmap file");
	touch(m, PAGES);
	munmap(m, PAGES * page);

	m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("mmap anonymous");
	touch(m, PAGES);
	munmap(m, PAGES * page);

	/* The kernel faults these pages in itself, copying to them. */
	m = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("mmap anonymous");
	if (pread(fd, m, PAGES * page, 0) != PAGES * page)
		die("pread into a fresh mapping");
	munmap(m, PAGES * page);
	close(fd);
	unlink(p);
}

static void fork_exec(void)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl("/proc/self/exe", "frames_work", "-", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("fork, exec, wait");
}

/*
 * A thread with a file table and fs info of its own: do_exit() frees them
 * (exit_files(), exit_fs(): kmem_cache_free), so every exit makes stacks
 * through do_exit, and so through the return address after the exit
 * system call's noreturn call.  Shared with the process, nothing would be
 * freed there, and whether any stack went through do_exit was chance.
 */
static void own_tables(void)
{
	if (unshare(CLONE_FILES | CLONE_FS))
		die("unshare(CLONE_FILES | CLONE_FS)");
}

static void *thread_pthread_exit(void *arg)
{
	(void)arg;
	file_traffic("thread1");
	own_tables();
	pthread_exit(NULL);
}

static void *thread_sys_exit(void *arg)
{
	(void)arg;
	file_traffic("thread2");
	own_tables();
	/* The kernel clears the tid that pthread_join waits on. */
	syscall(SYS_exit, 0);
	return NULL;
}

static void threads(void)
{
	pthread_t t[2];

	if (pthread_create(&t[0], NULL, thread_pthread_exit, NULL) ||
	    pthread_create(&t[1], NULL, thread_sys_exit, NULL))
		die("pthread_create");
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
}

#ifdef __x86_64__
/*
 * x86-64: system calls through the 32-bit SYSCALL entry, from this 64-bit
 * process.  On some kernels (Debian's 6.12) the entry code's call to
 * do_fast_syscall_32 is followed directly by the label
 * sysret32_from_system_call: its return address is a symbol's first byte,
 * where show_bt (address - 1) and bpftrace (the address) name different
 * functions.  The kernel returns through the 32-bit vDSO's int80 landing
 * pad (pop %ebp, %edx, %ecx; ret), so the 32-bit vDSO is mapped in place
 * of the 64-bit one (arch_prctl ARCH_MAP_VDSO_32, as CRIU does), below
 * 4 GiB, and the calls run on a stack below 4 GiB; code and data of this
 * static, non-PIE binary are there already.  Done last: libc's vDSO
 * pointers are stale from then on.
 */
/* Global: the assembly below names them. */
unsigned long compat_rsp;
unsigned int compat_esp;
static char compat_path[4096];
long compat_syscall3(long nr, long a1, long a2, long a3);
__asm__(
	".text\n"
	".globl compat_syscall3\n"
	"compat_syscall3:\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, compat_rsp(%rip)\n"
	"	movl %edi, %eax\n"
	"	movl %esi, %ebx\n"
	"	xchgl %ecx, %edx\n"
	"	movl compat_esp(%rip), %esp\n"
	"	ljmpl *compat_far32(%rip)\n"
	".code32\n"
	"compat_code32:\n"
	"	call 1f\n"
	"	ljmpl $0x33, $compat_back64\n"
	/* As the vDSO's __kernel_vsyscall enters with SYSCALL. */
	"1:	pushl %ecx\n"
	"	pushl %edx\n"
	"	pushl %ebp\n"
	"	movl %ecx, %ebp\n"
	"	syscall\n"
	"	int $0x80\n"
	".code64\n"
	"compat_back64:\n"
	"	movq compat_rsp(%rip), %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	movslq %eax, %rax\n"
	"	ret\n"
	".data\n"
	"compat_far32:\n"
	"	.long compat_code32\n"
	"	.word 0x23\n"
	".text\n");

/* The 32-bit vDSO in place of the 64-bit one, below 4 GiB: 1 if done. */
static int compat_setup(void)
{
	unsigned long lo, hi;
	char line[512];
	void *stack;
	FILE *maps;
	int ok = 1;

	if ((unsigned long)compat_path >= 1UL << 32 ||
	    (unsigned long)compat_syscall3 >= 1UL << 32)
		return 0;
	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return 0;
	while (fgets(line, sizeof(line), maps))
		if ((strstr(line, "[vdso]") || strstr(line, "[vvar")) &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    munmap((void *)lo, hi - lo))
			ok = 0;
	fclose(maps);
	if (!ok || syscall(SYS_arch_prctl, ARCH_MAP_VDSO_32, 0x50000000UL) < 0)
		return 0;
	stack = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (stack == MAP_FAILED || (unsigned long)stack >= 1UL << 32)
		return 0;
	compat_esp = (unsigned int)(unsigned long)stack + 4 * page - 16;
	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return 0;
	ok = 0;
	while (fgets(line, sizeof(line), maps))
		if (strstr(line, "[vdso]") &&
		    sscanf(line, "%lx-%lx", &lo, &hi) == 2 && hi <= 1UL << 32)
			ok = 1;
	fclose(maps);
	return ok;
}

static sigjmp_buf compat_fault;

static void compat_segv(int sig)
{
	(void)sig;
	siglongjmp(compat_fault, 1);
}

/*
 * N opens and closes of FILE through the 32-bit entry; how many worked.
 * A CPU or kernel that refuses 32-bit code (a fault on the far jump) ends
 * it: none.
 */
static int compat_traffic(const char *file, int n)
{
	volatile int done = 0;
	long fd;
	int i;

	snprintf(compat_path, sizeof(compat_path), "%s", file);
	if (!compat_setup())
		return 0;
	if (sigsetjmp(compat_fault, 1)) {
		signal(SIGSEGV, SIG_DFL);
		return done;
	}
	signal(SIGSEGV, compat_segv);
	for (i = 0; i < n; i++) {
		fd = compat_syscall3(5, (long)compat_path, 0, 0);  /* open */
		if (fd < 0)
			break;
		if (compat_syscall3(6, fd, 0, 0) == 0)             /* close */
			done++;
	}
	signal(SIGSEGV, SIG_DFL);
	return done;
}
#else
static int compat_traffic(const char *file, int n)
{
	(void)file;
	(void)n;
	return 0;
}
#endif

/* Cheap system calls for the timer interrupts to land in. */
static void busy(void)
{
	int i;

	for (i = 0; i < 2000; i++)
		syscall(SYS_getppid);
}

int main(int argc, char **argv)
{
	char go[4096], p[4096];
	int fd, rounds, r, tcp, compat, tfds[2] = { -1, -1 };

	if (argc == 2 && !strcmp(argv[1], "-"))
		return 0;
	if (argc != 3 || (rounds = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: frames_work DIR ROUNDS\n");
		return 2;
	}
	dir = argv[1];
	page = sysconf(_SC_PAGESIZE);
	memset(buf, 'x', sizeof(buf));
	tcp = tcp_pair(tfds);

	path_of(go, sizeof(go), "go");
	if (mkfifo(go, 0600))
		die("mkfifo go");
	path_of(p, sizeof(p), "ready");
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("ready");
	close(fd);
	/*
	 * Blocks until the test opens the FIFO for writing, then reads to
	 * the end (the test's close): the test never writes to a FIFO
	 * whose reader has gone.
	 */
	fd = open(go, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open go");
	while ((r = read(fd, buf, sizeof(buf))) != 0)
		if (r < 0 && errno != EINTR)
			die("read go");
	close(fd);

	for (r = 0; r < rounds; r++) {
		file_traffic("file");
		pipe_traffic();
		if (tcp)
			tcp_traffic(tfds);
		mmap_traffic();
		fork_exec();
		threads();
		busy();
	}
	if (tcp) {
		close(tfds[0]);
		close(tfds[1]);
	}
	path_of(p, sizeof(p), "compat");
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("compat file");
	close(fd);
	compat = compat_traffic(p, rounds);
	printf("frames_work: done: rounds %d tcp %d threads %d compat %d\n",
	       rounds, tcp, 2 * rounds, compat);
	fflush(stdout);
	path_of(p, sizeof(p), "done");
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("done");
	close(fd);
	for (;;)
		pause();
}
