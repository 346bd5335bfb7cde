/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/fuzz/fuzz.h - what the libFuzzer targets share: a property that
 * does not hold is reported on stderr with the input's own words and ends
 * the run (abort(), which libFuzzer saves as a crash), and the fuzz bytes
 * become a NUL-ended string the product can read.
 */
#ifndef SHOW_BT_FUZZ_H
#define SHOW_BT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold: say which and where, then abort. */
#define fuzz_check(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: property failed: %s: ",	\
				__FILE__, __LINE__, #cond);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

/*
 * The fuzz bytes as a string in an allocation of its own size (so that
 * ASan sees a read past its end), cut at the first NUL.
 */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	size_t len = strnlen((const char *)data, size);
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

#endif
