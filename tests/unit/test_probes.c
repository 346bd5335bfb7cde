// SPDX-License-Identifier: GPL-2.0
/*
 * test_probes.c - probes_detach() closes every probe's fd and link once,
 * whether in place (a few probes) or from its closer threads (16 or more),
 * and nothing else.  Pipes stand in for the perf events and links.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../probes.h"
#include "unit.h"

static int is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* n probes, every third with a link; all must be closed, the rest not. */
static void detach_closes_all(size_t n)
{
	struct probes p = { 0 };
	int keep[2], fds[2];
	size_t i, open_left = 0, links = 0;
	char name[64];

	EXPECT(!pipe(keep), "pipe: %s", strerror(errno));
	p.fds = calloc(n + 1, sizeof(*p.fds));
	p.links = calloc(n + 1, sizeof(*p.links));
	p.cap = n + 1;
	for (i = 0; i < n; i++) {
		if (pipe(fds)) {
			test_fail("pipe %zu: %s", i, strerror(errno));
			break;
		}
		p.fds[p.nfds] = fds[0];
		p.links[p.nfds] = -1;
		if (i % 3 == 0) {
			p.links[p.nfds] = fds[1];
			links++;
		} else {
			close(fds[1]);
		}
		p.nfds++;
	}
	probes_detach(&p);
	for (i = 0; i < n; i++) {
		open_left += is_open(p.fds[i]);
		if (p.links[i] >= 0)
			open_left += is_open(p.links[i]);
	}
	EXPECT(!open_left, "%zu descriptors left open (of %zu fds, %zu links)",
	       open_left, n, links);
	EXPECT(!p.nfds, "nfds %zu after the detach", p.nfds);
	EXPECT(is_open(keep[0]) && is_open(keep[1]),
	       "a descriptor that was no probe's was closed");
	probes_detach(&p);	/* again: nothing left to close */
	EXPECT(is_open(keep[0]) && is_open(keep[1]),
	       "a second detach closed a descriptor that was no probe's");
	close(keep[0]);
	close(keep[1]);
	free(p.fds);
	free(p.links);
	snprintf(name, sizeof(name), "probes_detach_closes_%zu", n);
	test_end(name);
}

int main(void)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 301 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		detach_closes_all(sizes[i]);
	return 0;
}
