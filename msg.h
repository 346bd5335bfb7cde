/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msg.h - how show_bt talks on stderr: one "show_bt: ..." line per
 * message, each in one write(2) (show_bt may be tracing writes), and, for
 * make bench, the moments that matter.
 */
#ifndef SHOW_BT_MSG_H
#define SHOW_BT_MSG_H

/* "show_bt: " and the message, one line on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * With SHOW_BT_TIMING=1 in the environment: "show_bt: timing: WHAT T",
 * T being clock_now(), for a benchmark to subtract its own readings.
 */
void msg_timing(const char *what);

/* CLOCK_MONOTONIC, in seconds. */
double clock_now(void);

#endif
