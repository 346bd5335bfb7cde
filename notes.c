// SPDX-License-Identifier: GPL-2.0
/* notes.c - what a successful attach has to say, worded; see notes.h. */
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "msg.h"
#include "notes.h"
#include "probes.h"

void notes_shared(const struct shared_refusal *s, char *buf, size_t size)
{
	const char *name = s->t->name;

	snprintf(buf, size,
		 "%.200s names %u functions, and the kernel refused a kprobe on %u of them, such as %.200s@0x%lx (%s); %.200s@0x%lx took one",
		 name, s->n, s->refused, name, s->refused_at,
		 strerror(-s->why), name, s->probed_at);
}

/* The functions a pattern matched that the kernel refused. */
static void say_refused(struct probes *p)
{
	char first[1024];

	/* Worded as the refusal of a run's only function would be. */
	diag_explain(&p->kv, p->refused_first, p->refused_why, first,
		     sizeof(first));
	err_msg("%zu of %zu matching functions could not be probed; the first refusal: %s",
		p->refused, p->ntargets, first);
}

/* Names of several functions: each probed, or some refused. */
static void say_shared(const struct probes *p)
{
	char first[3 * KSYM_NAME_LEN / 2];
	size_t shared = p->shared - p->shared_partial;

	if (shared)
		err_msg("%zu name%s shared by several functions: each function is probed (pick one with NAME@ADDR)",
			shared, shared == 1 ? " is" : "s are");
	if (!p->shared_partial)
		return;
	notes_shared(&p->shared_first, first, sizeof(first));
	if (p->shared_partial > 1)
		err_msg("warning: %zu names are shared by several functions some of which the kernel refused (%zu functions in all), such as: %s: their calls are not counted (pick one with NAME@ADDR)",
			p->shared_partial, p->shared_refused, first);
	else
		err_msg("warning: %s: the calls of the others are not counted (pick one with NAME@ADDR)",
			first);
}

void notes_say(struct probes *p)
{
	if (p->multi_refused)
		err_msg("note: the kernel refused the kprobe_multi link (%s): every function gets a kprobe instead",
			strerror(-p->multi_refused));
	if (p->refused)
		say_refused(p);
	if (p->merged)
		err_msg("%zu of the functions named were the same as another's (an alias, NAME@ADDR, or NAME+4 where the kernel skips an ENDBR): each probe site is probed once",
			p->merged);
	say_shared(p);
}
