// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_bpfasm.c - the --prog assembler, bpfasm_parse(), on any text.
 *
 * Properties:
 * - it never crashes, and a refusal says where: "line L, column C: ...",
 *   one line, L no further than the text's last line;
 * - a program it accepts has 1 to PROG_MAX_INSNS slots, and printed back
 *   (bpfasm_print(), what --dump writes) it parses to the same
 *   instruction bytes and the same license;
 * - that second text prints the same again (the listing is a fixed point).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bpfasm.h"
#include "../../prog.h"
#include "fuzz.h"

static struct prog first, second;

/* The program as --dump prints it, in a malloc()ed string. */
static char *print(const struct prog *p, const struct prog_maps *maps)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	bpfasm_print(f, p, maps);
	if (fclose(f))
		abort();
	return text;
}

/* The error's shape: "line L, column C: what", one line. */
static void check_error(const char *text, const char *err)
{
	unsigned int line, col, lines = 1;
	const char *p;
	int used = 0;

	for (p = text; *p; p++)
		lines += *p == '\n';
	fuzz_check(sscanf(err, "line %u, column %u: %n", &line, &col,
			  &used) == 2 && used > 0 && err[used],
		   "refused without saying where: \"%s\"", err);
	fuzz_check(line >= 1 && line <= lines && col >= 1,
		   "refusal at line %u column %u, the text has %u lines: %s",
		   line, col, lines, err);
	fuzz_check(!strchr(err, '\n'), "a refusal of two lines: \"%s\"", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog_maps maps;
	char err[256], *text = fuzz_string(data, size), *listing, *again;

	prog_maps_standin(&maps, 1024, PROG_MAX_DEPTH);
	err[0] = '\0';
	if (bpfasm_parse(text, &first, &maps, err, sizeof(err))) {
		check_error(text, err);
		free(text);
		return 0;
	}
	fuzz_check(first.len >= 1 && first.len <= PROG_MAX_INSNS,
		   "accepted with %zu slots", first.len);
	fuzz_check(first.nnotes == 0, "a parsed program has %zu notes",
		   first.nnotes);
	fuzz_check(memchr(first.license, '\0', sizeof(first.license)) &&
		   !strpbrk(first.license, "\"\n"),
		   "a license the printer cannot quote");

	listing = print(&first, &maps);
	err[0] = '\0';
	fuzz_check(!bpfasm_parse(listing, &second, &maps, err, sizeof(err)),
		   "the listing of an accepted program is refused: %s\n%s",
		   err, listing);
	fuzz_check(second.len == first.len,
		   "%zu slots became %zu through the listing:\n%s", first.len,
		   second.len, listing);
	for (size_t i = 0; i < first.len; i++)
		fuzz_check(!memcmp(&first.insns[i], &second.insns[i],
				   sizeof(first.insns[i])),
			   "slot %zu changed through the listing:\n%s", i,
			   listing);
	fuzz_check(!strcmp(first.license, second.license),
		   "license \"%s\" became \"%s\"", first.license,
		   second.license);

	again = print(&second, &maps);
	fuzz_check(!strcmp(listing, again), "the listing is no fixed point:\n"
		   "%s\nthen\n%s", listing, again);
	free(again);
	free(listing);
	free(text);
	return 0;
}
