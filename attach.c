// SPDX-License-Identifier: GPL-2.0
/*
 * attach.c - the attach phase: which way the probes go in, then in they
 * go, with what the run should know about them; see attach.h.
 */
#include <errno.h>
#include <stdio.h>

#include "attach.h"
#include "kallsyms.h"
#include "kprobe.h"
#include "load.h"
#include "msg.h"
#include "notes.h"
#include "tracepoint.h"

static void entry_caller_note(const struct probes *probes,
			      const struct options *opts);

/*
 * --attach: several functions go on one kprobe_multi link where the
 * kernel has them (targets_expand() looked): one ftrace update attaches
 * them all and one detaches them, where a kprobe each takes one update
 * and, closed, one RCU grace period each.  A single function keeps the
 * card's kprobe.  Kprobes (alone, or for what the link cannot take) go
 * through links where the kernel counts the kprobes' own skips in a
 * link's info (6.7+), so that no skip goes uncounted; else through the
 * card's PERF_EVENT_IOC_SET_BPF.
 */
int attach_choose(const struct options *opts, struct probes *probes)
{
	const struct kfeatures *f = &probes->feat;

	if (opts->attach == ATTACH_LINK && !f->perf_event_links) {
		err_msg("--attach link needs Linux 5.15 or later (perf-event BPF links), and this is %s: use --attach ioctl",
			kfeatures_release(f));
		return -EOPNOTSUPP;
	}
	if (opts->attach == ATTACH_MULTI && !probes->multi_avail) {
		err_msg("--attach multi needs kprobe_multi links (Linux 5.18 or later built with CONFIG_FPROBE), and this kernel has none (no %s in %s): use --attach link or ioctl",
			KPROBE_MULTI_SYMBOL, KALLSYMS_PATH);
		return -EOPNOTSUPP;
	}
	probes->use_multi = opts->attach == ATTACH_MULTI ||
			    (opts->attach == ATTACH_DEFAULT &&
			     probes->multi_avail && probes->multi_able > 1);
	/* Links by default only where they tell the kprobes' skips. */
	probes->use_link = opts->attach == ATTACH_LINK ||
			   (opts->attach != ATTACH_IOCTL &&
			    f->perf_event_links && f->kprobe_skips_counted);
	return 0;
}

/*
 * The link first, then a kprobe for each function it did not take, with
 * a second load of the program if the first was for the link.
 */
int attach_probes(struct probes *probes, int prog_fd, const struct prog *prog,
		  const struct options *opts, char *label, size_t size)
{
	char why[1024] = "";
	int perf_fd = prog_fd;

	if (probes->use_multi &&
	    probes_attach_multi(probes, prog_fd, why, sizeof(why))) {
		err_msg("%s", why);
		return -1;
	}
	if (probes->use_multi && probes_perf_left(probes)) {
		perf_fd = load_for_perf(prog, opts, probes);
		if (perf_fd < 0) {
			probes_detach(probes);
			return -1;
		}
	}
	if (probes_attach(probes, perf_fd, why, sizeof(why))) {
		err_msg("%s", why);
		return -1;
	}
	if (tracepoints_attach(probes, why, sizeof(why))) {
		probes_detach(probes);
		err_msg("%s", why);
		return -1;
	}
	msg_timing("attached");
	/* The program skips show_bt's own calls: these writes don't count. */
	notes_say(probes);
	probes_label(probes, opts, label, size);
	entry_caller_note(probes, opts);
	return 0;
}

/* What the tracing line says the probes were attached with. */
void attached_with(const struct probes *probes, char *buf,
		   size_t size)
{
	const char *perf = probes->use_link ? "perf-event BPF links" :
			   "PERF_EVENT_IOC_SET_BPF";

	if (!probes->nmulti || !probes->ntargets)
		snprintf(buf, size, "%s", perf);
	else if (!probes->nfds)
		snprintf(buf, size, "a kprobe_multi link");
	else
		snprintf(buf, size, "a kprobe_multi link on %zu function%s and %s on %zu kprobe%s",
			 probes->nmulti, probes->nmulti == 1 ? "" : "s", perf,
			 probes->nfds, probes->nfds == 1 ? "" : "s");
}

/*
 * An arm64 kprobe is a breakpoint on the instruction itself: until the
 * function's prologue has saved the return address (it is only in x30),
 * the unwinder, starting from the frame record in x29, begins at the
 * caller's caller.  Where every probe is at an entry the program puts x30
 * back (arm64_entry()).  A NAME+OFFSET probe may sit inside a prologue,
 * where x30 may already be something else: that cannot be mended, so it
 * is said (LIMITATIONS.md, section 12 has the outputs).
 */
static void entry_caller_note(const struct probes *probes,
			      const struct options *opts)
{
#ifdef __aarch64__
	if (!arm64_entry(opts) && probes->ntargets)
		err_msg("note: on arm64 a probe placed before its function has saved its return address (in its first instructions) misses that function's caller; runs that probe every function at its entry put it back");
#else
	(void)probes;
	(void)opts;
#endif
}
