/* SPDX-License-Identifier: GPL-2.0 */
/* options.h - show_bt's command line. */
#ifndef SHOW_BT_OPTIONS_H
#define SHOW_BT_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

struct options {
	double duration;	/* -d: seconds to watch */
	int pid;		/* -p: only this process; 0 for all */
	unsigned int slots;	/* --stack-slots: stack map entries */
	unsigned int verifier_log; /* --verifier-log[=1|2]: 0 for none */
	int help;		/* -h, --help */
	int version;		/* --version */
	const char *func;	/* the function to probe */
};

#define DEFAULT_DURATION	5.0
#define MAX_DURATION		(365.0 * 24 * 3600)
#define DEFAULT_SLOTS		8192
#define MAX_SLOTS		(1u << 20)
#define KSYM_NAME_LEN		512	/* the kernel's limit, NUL included */

/*
 * Parse argv into opts.  Returns 0, or -1 with a one-line reason in err
 * (no program name, no newline).
 */
int options_parse(int argc, char **argv, struct options *opts,
		  char *err, size_t err_size);

void options_usage(FILE *out);

#endif
