/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testhook.h - let a test catch show_bt in a given phase, without timing.
 *
 * With SHOW_BT_TEST_STOP=PHASE[,PHASE...] in the environment, show_bt
 * says "show_bt: test: stopped at PHASE" on stderr when it reaches one of
 * those phases and stops itself (SIGSTOP), so the test can wait for the
 * stop and then act (signal it, run a workload, SIGCONT it).  Phases:
 *   attaching  some probes attached, others still to come
 *   attached   every probe attached, the window not yet open
 *   tracing    the window open (the "tracing" line printed)
 *   closed     the window closed and the programs in flight finished,
 *              the maps not yet read nor the probes detached (calls made
 *              while stopped here must not be counted)
 * Without the variable nothing happens.
 */
#ifndef SHOW_BT_TESTHOOK_H
#define SHOW_BT_TESTHOOK_H

void test_stop(const char *phase);

#endif
