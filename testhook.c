// SPDX-License-Identifier: GPL-2.0
/* testhook.c - stop at a phase a test names; see testhook.h. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testhook.h"

void test_stop(const char *phase)
{
	const char *want = getenv("SHOW_BT_TEST_STOP"), *p;
	size_t len = strlen(phase);
	char line[128];
	int n;

	for (p = want; p && *p; p += strcspn(p, ",")) {
		p += *p == ',';
		if (strncmp(p, phase, len) || (p[len] && p[len] != ','))
			continue;
		n = snprintf(line, sizeof(line),
			     "show_bt: test: stopped at %s\n", phase);
		/* stderr may be closed: the stop is what counts. */
		(void)!write(STDERR_FILENO, line, n);
		raise(SIGSTOP);
		return;
	}
}
