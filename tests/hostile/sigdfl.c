// SPDX-License-Identifier: GPL-2.0
/*
 * sigdfl CMD [ARG]...: run CMD with SIGINT and SIGTERM at their default
 * action and unblocked.  A shell starts a background job with SIGINT
 * ignored, and an ignored signal is never pending; Ctrl-C at a terminal
 * sends one that is not ignored.  So the rows that send SIGINT run
 * show_bt through this, to test what a user's Ctrl-C does.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc < 2) {
		fprintf(stderr, "usage: sigdfl CMD [ARG]...\n");
		return 2;
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
