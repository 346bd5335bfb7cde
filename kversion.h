/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kversion.h - the running kernel's real upstream version.
 *
 * `uname -r` is not always the upstream version: Debian says 4.19.0-27-amd64
 * for 4.19.316 (the real one is in `uname -v`: "... Debian 4.19.316-1 ...")
 * and Ubuntu says 4.15.0-213-generic for 4.15.18 (the real one ends
 * /proc/version_signature: "Ubuntu 4.15.0-213.224-generic 4.15.18").  Other
 * loaders (libbpf, bcc, libuv) read the same places.
 */
#ifndef SHOW_BT_KVERSION_H
#define SHOW_BT_KVERSION_H

struct kversion {
	unsigned int major, minor, patch;
};

/*
 * The version from the three strings uname's release and version and the
 * contents of /proc/version_signature; any may be NULL or empty.  Ubuntu's
 * signature comes first, then Debian's `uname -v`, then the release; a
 * distribution's string only counts when its major.minor agree with the
 * release's.  0, or -EINVAL when no string holds a version.
 */
int kversion_parse(const char *release, const char *version,
		   const char *signature, struct kversion *kv);

/*
 * The same for the running kernel: uname(2) and /proc/version_signature,
 * read on the first call only; SHOW_BT_TEST_KERNEL=RELEASE stands in for
 * them (tests only; never cached).
 */
int kversion_running(struct kversion *kv);

/*
 * LINUX_VERSION_CODE, (major << 16) + (minor << 8) + patch, with the patch
 * level clamped to 255 as the kernel's own Makefile does (4.9.256 and later
 * stable releases would otherwise carry into the minor number).
 */
unsigned int kversion_code(const struct kversion *kv);

/* 1 when kv is major.minor or later, 0 when older: kversion_ge(&kv, 6, 7). */
static inline int kversion_ge(const struct kversion *kv, unsigned int major,
			      unsigned int minor)
{
	return kv->major > major || (kv->major == major && kv->minor >= minor);
}

#endif
