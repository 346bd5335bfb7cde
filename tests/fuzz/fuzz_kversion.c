// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_kversion.c - kversion_parse() on any release, `uname -v` and
 * /proc/version_signature: the fuzz bytes split on NUL into the three
 * strings (fewer pieces: the rest NULL; a fourth piece and on ignored).
 *
 * Properties (kversion.h): it never crashes; a version it gives has
 * major and minor at most 255 and a patch of at most three digits; when
 * the release alone holds a version, the answer never fails and has the
 * release's major.minor (a distribution's string only counts when it
 * agrees); without a release, the answer is the signature's or the
 * version's alone; an empty string is as good as NULL; the same strings
 * give the same answer again; kversion_code() stays below 256.256.256.
 */
#include <errno.h>

#include "../../kversion.h"
#include "fuzz.h"

static int same(const struct kversion *a, const struct kversion *b)
{
	return a->major == b->major && a->minor == b->minor &&
	       a->patch == b->patch;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *s[3] = { NULL, NULL, NULL };
	struct kversion kv, again, alone, r;
	size_t i, at = 0;
	int ret, ret2, rel_ret;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i < 3 && at <= size; i++) {
		s[i] = copy + at;
		at += strlen(s[i]) + 1;
	}

	ret = kversion_parse(s[0], s[1], s[2], &kv);
	fuzz_check(ret == 0 || ret == -EINVAL, "returned %d", ret);
	ret2 = kversion_parse(s[0], s[1], s[2], &again);
	fuzz_check(ret2 == ret && (ret || same(&kv, &again)),
		   "a second parse gave another answer");
	if (!ret) {
		fuzz_check(kv.major <= 255 && kv.minor <= 255 &&
			   kv.patch <= 999, "version %u.%u.%u", kv.major,
			   kv.minor, kv.patch);
		fuzz_check(kversion_code(&kv) < (256u << 16),
			   "code %#x for %u.%u.%u", kversion_code(&kv),
			   kv.major, kv.minor, kv.patch);
	}

	rel_ret = kversion_parse(s[0], NULL, NULL, &r);
	if (!rel_ret) {
		fuzz_check(!ret, "the release \"%s\" holds %u.%u.%u, yet the "
			   "whole fails", s[0], r.major, r.minor, r.patch);
		fuzz_check(kv.major == r.major && kv.minor == r.minor,
			   "%u.%u.%u disagrees with the release's %u.%u",
			   kv.major, kv.minor, kv.patch, r.major, r.minor);
	}

	/* No release: the signature's, else the version's, else none. */
	if (!s[0] || !*s[0]) {
		int sig = kversion_parse(NULL, NULL, s[2], &alone);

		if (sig)
			sig = kversion_parse(NULL, s[1], NULL, &alone);
		fuzz_check(sig == ret && (ret || same(&kv, &alone)),
			   "without a release, not the signature's or the "
			   "version's answer");
	}

	/* Empty strings say nothing. */
	ret2 = kversion_parse(s[0] && *s[0] ? s[0] : NULL,
			      s[1] && *s[1] ? s[1] : NULL,
			      s[2] && *s[2] ? s[2] : NULL, &again);
	fuzz_check(ret2 == ret && (ret || same(&kv, &again)),
		   "an empty string is not as good as none");
	free(copy);
	return 0;
}
