// SPDX-License-Identifier: GPL-2.0
/* msg.c - how show_bt talks on stderr; see msg.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "msg.h"

int msg_fail(char *err, size_t size, int ret, const char *fmt, ...)
{
	va_list ap;

	if (!size)
		return ret;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	for (; *err; err++)
		if ((unsigned char)*err < ' ')
			*err = '?';
	return ret;
}

/*
 * One write(2) per message (stderr is unbuffered): show_bt may be tracing
 * writes, and a message cut in two would count twice.
 */
void err_msg(const char *fmt, ...)
{
	/* Room for a whole path (PATH_MAX) and what is said of it. */
	char line[4200];
	va_list ap;
	int len;

	len = snprintf(line, sizeof(line), "show_bt: ");
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	fputs(line, stderr);
}

void msg_text(const char *text)
{
	fputs(text, stderr);
}

/*
 * SHOW_BT_TIMING=1 (for make bench): CLOCK_MONOTONIC at the moments that
 * matter, on stderr, so a benchmark can subtract its own clock readings.
 */
void msg_timing(const char *what)
{
	if (getenv("SHOW_BT_TIMING"))
		fprintf(stderr, "show_bt: timing: %s %.6f\n", what, clock_now());
}

double clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
