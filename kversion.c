// SPDX-License-Identifier: GPL-2.0
/* kversion.c - the running kernel's real upstream version; see kversion.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "kversion.h"

/*
 * A decimal number of at most three digits at *s (no sign, no space):
 * versions never need more, and no overflow can happen.  0 or -EINVAL.
 */
static int parse_num(const char **s, unsigned int *n)
{
	const char *p = *s;
	unsigned int v = 0;
	int digits = 0;

	while (*p >= '0' && *p <= '9') {
		if (++digits > 3)
			return -EINVAL;
		v = v * 10 + (unsigned int)(*p++ - '0');
	}
	if (!digits)
		return -EINVAL;
	*s = p;
	*n = v;
	return 0;
}

/*
 * "MAJOR.MINOR[.PATCH]" at the start of s, anything after (say "-27-amd64").
 * need_patch: the three numbers must all be there.  0 or -EINVAL.
 */
static int parse_triple(const char *s, int need_patch, struct kversion *kv)
{
	struct kversion v = { 0, 0, 0 };

	if (!s || parse_num(&s, &v.major) || *s++ != '.' ||
	    parse_num(&s, &v.minor))
		return -EINVAL;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		if (parse_num(&s, &v.patch))
			return -EINVAL;
	} else if (need_patch) {
		return -EINVAL;
	}
	/* "4.19.0123" or "5.1000": not a version. */
	if (*s >= '0' && *s <= '9')
		return -EINVAL;
	if (v.major > 255 || v.minor > 255)
		return -EINVAL;
	*kv = v;
	return 0;
}

/* Ubuntu: the last whitespace-separated field of the signature. */
static int parse_signature(const char *sig, struct kversion *kv)
{
	const char *last = NULL;
	const char *p;

	if (!sig)
		return -EINVAL;
	for (p = sig; *p; p++)
		if (!strchr(" \t\n", *p) && (p == sig || strchr(" \t\n", p[-1])))
			last = p;
	/* A lone field is no signature: Ubuntu's has three. */
	if (!last || last == sig)
		return -EINVAL;
	if (parse_triple(last, 1, kv))
		return -EINVAL;
	/* The field must end at the version: "5.15.111", not "5.15.111abc". */
	p = last + strspn(last, "0123456789.");
	return *p && !strchr(" \t\n", *p) ? -EINVAL : 0;
}

/* Debian: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)". */
static int parse_debian(const char *version, struct kversion *kv)
{
	const char *p = version;

	while (p && (p = strstr(p, "Debian ")) != NULL) {
		p += strlen("Debian ");
		if (!parse_triple(p, 1, kv))
			return 0;
	}
	return -EINVAL;
}

/* A distribution's version counts when it is the release's major.minor. */
static int agrees(const struct kversion *d, const struct kversion *rel)
{
	return !rel || (d->major == rel->major && d->minor == rel->minor);
}

int kversion_parse(const char *release, const char *version,
		   const char *signature, struct kversion *kv)
{
	struct kversion r, d;
	const struct kversion *rel = parse_triple(release, 0, &r) ? NULL : &r;

	if ((!parse_signature(signature, &d) && agrees(&d, rel)) ||
	    (!parse_debian(version, &d) && agrees(&d, rel))) {
		*kv = d;
		return 0;
	}
	if (!rel)
		return -EINVAL;
	*kv = r;
	return 0;
}

/*
 * The running kernel does not change under a process: its version is read
 * once (a uname(2) and an open, several times a run otherwise, which under
 * emulation shows in the startup), and the answer, error too, kept.
 */
int kversion_running(struct kversion *kv)
{
	static struct kversion cached;
	static int cached_ret = 1;	/* 1: not read yet */
	const char *test = getenv("SHOW_BT_TEST_KERNEL");
	struct utsname u;
	char sig[256];
	ssize_t n = -1;
	int fd;

	/* Tests of what show_bt says on kernels the suite cannot boot. */
	if (test && *test)
		return kversion_parse(test, NULL, NULL, kv);
	if (cached_ret <= 0) {
		if (!cached_ret)
			*kv = cached;
		return cached_ret;
	}
	if (uname(&u) < 0)
		return -errno;
	fd = open("/proc/version_signature", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, sig, sizeof(sig) - 1);
		close(fd);
	}
	sig[n > 0 ? n : 0] = '\0';
	cached_ret = kversion_parse(u.release, u.version, sig, &cached);
	if (!cached_ret)
		*kv = cached;
	return cached_ret;
}

unsigned int kversion_code(const struct kversion *kv)
{
	unsigned int patch = kv->patch > 255 ? 255 : kv->patch;

	return (kv->major << 16) + (kv->minor << 8) + patch;
}
