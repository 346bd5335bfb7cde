/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msg.h - how show_bt talks on stderr: one "show_bt: ..." line per
 * message, each in one write(2) (show_bt may be tracing writes), and, for
 * make bench, the moments that matter.
 */
#ifndef SHOW_BT_MSG_H
#define SHOW_BT_MSG_H

#include <stddef.h>

/*
 * The one line of a failure, for the caller to hand up to the one that
 * prints it (err_msg()): fmt into err, each control character made '?'
 * (the user's text may be quoted in it, and the message must stay one
 * line).  Returns ret: a negative errno, or -1 for bad usage.
 */
int msg_fail(char *err, size_t size, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "show_bt: " and the message, one line on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Text of many lines as it is, on stderr: the verifier's log. */
void msg_text(const char *text);

/*
 * With SHOW_BT_TIMING=1 in the environment: "show_bt: timing: WHAT T",
 * T being clock_now(), for a benchmark to subtract its own readings.
 */
void msg_timing(const char *what);

/* CLOCK_MONOTONIC, in seconds. */
double clock_now(void);

#endif
