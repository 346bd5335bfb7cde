// SPDX-License-Identifier: GPL-2.0
/* bpfasm.c - BPF programs as text; see bpfasm.h.  (Being written.) */
#include <errno.h>
#include <stdio.h>

#include "bpfasm.h"

void bpfasm_print(FILE *out, const struct prog *prog,
		  const struct prog_maps *maps)
{
	(void)maps;
	fprintf(out, "; %zu instructions\n", prog->len);
}

int bpfasm_parse(const char *text, struct prog *prog,
		 const struct prog_maps *maps, char *err, size_t size)
{
	(void)text;
	(void)prog;
	(void)maps;
	snprintf(err, size, "line 1, column 1: not implemented yet");
	return -1;
}

int bpfasm_print_xlated(FILE *out, int prog_fd, const struct prog *orig,
			const struct prog_maps *maps)
{
	(void)out;
	(void)prog_fd;
	(void)orig;
	(void)maps;
	return -ENOSYS;
}
