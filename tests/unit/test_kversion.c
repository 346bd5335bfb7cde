// SPDX-License-Identifier: GPL-2.0
/*
 * test_kversion.c - kversion_parse() on the uname release, uname version
 * and /proc/version_signature strings of the distributions show_bt's users
 * run, and on garbage; kversion_code(), kversion_ge() and, on this machine,
 * kversion_running().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "../../kversion.h"
#include "unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KV(a, b, c) (((a) << 16) + ((b) << 8) + (c))

struct parse_case {
	const char *name;
	const char *release, *version, *signature;
	int ret;			/* 0 or -EINVAL */
	struct kversion want;
	unsigned int code;		/* LINUX_VERSION_CODE, written out */
};

static const struct parse_case cases[] = {
	/* Debian: the package's ABI name in the release, upstream in -v. */
	{ "debian_9", "4.9.0-19-amd64",
	  "#1 SMP Debian 4.9.320-2 (2022-06-30)", NULL,
	  0, { 4, 9, 320 }, KV(4, 9, 255) },
	{ "debian_10", "4.19.0-27-amd64",
	  "#1 SMP Debian 4.19.316-1 (2024-06-25)", NULL,
	  0, { 4, 19, 316 }, KV(4, 19, 255) },
	{ "debian_11", "5.10.0-32-amd64",
	  "#1 SMP Debian 5.10.223-1 (2024-08-10)", NULL,
	  0, { 5, 10, 223 }, KV(5, 10, 223) },
	{ "debian_11_no_signature_file", "5.10.0-32-amd64",
	  "#1 SMP Debian 5.10.223-1 (2024-08-10)", "",
	  0, { 5, 10, 223 }, KV(5, 10, 223) },
	/* Bullseye's last LTS kernel, as its uname said in the test VM. */
	{ "debian_11_lts", "5.10.0-46-amd64",
	  "#1 SMP Debian 5.10.262-1 (2026-07-31)", NULL,
	  0, { 5, 10, 262 }, KV(5, 10, 255) },
	{ "debian_11_arm64", "5.10.0-32-arm64",
	  "#1 SMP Debian 5.10.223-1 (2024-08-10)", NULL,
	  0, { 5, 10, 223 }, KV(5, 10, 223) },
	{ "debian_12", "6.1.0-25-amd64",
	  "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)", NULL,
	  0, { 6, 1, 106 }, KV(6, 1, 106) },
	{ "debian_12_backports", "6.12.9+bpo-amd64",
	  "#1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1~bpo12+1 (2025-01-19)", NULL,
	  0, { 6, 12, 9 }, KV(6, 12, 9) },
	{ "debian_13", "6.12.48+deb13-amd64",
	  "#1 SMP PREEMPT_DYNAMIC Debian 6.12.48-1 (2025-09-20)", NULL,
	  0, { 6, 12, 48 }, KV(6, 12, 48) },
	{ "debian_old_ckt", "3.16.0-4-amd64",
	  "#1 SMP Debian 3.16.7-ckt20-1+deb8u3 (2016-01-17)", NULL,
	  0, { 3, 16, 7 }, KV(3, 16, 7) },

	/* Ubuntu: the upstream version ends /proc/version_signature. */
	{ "ubuntu_18_04", "4.15.0-213-generic",
	  "#224-Ubuntu SMP Mon Jun 19 13:30:12 UTC 2023",
	  "Ubuntu 4.15.0-213.224-generic 4.15.18\n",
	  0, { 4, 15, 18 }, KV(4, 15, 18) },
	{ "ubuntu_20_04", "5.4.0-200-generic",
	  "#220-Ubuntu SMP Fri Sep 27 13:19:16 UTC 2024",
	  "Ubuntu 5.4.0-200.220-generic 5.4.281\n",
	  0, { 5, 4, 281 }, KV(5, 4, 255) },
	{ "ubuntu_22_04", "5.15.0-79-generic",
	  "#86-Ubuntu SMP Mon Jul 10 16:07:21 UTC 2023",
	  "Ubuntu 5.15.0-79.86-generic 5.15.111\n",
	  0, { 5, 15, 111 }, KV(5, 15, 111) },
	{ "ubuntu_22_04_hwe", "6.8.0-45-generic",
	  "#45~22.04.1-Ubuntu SMP PREEMPT_DYNAMIC Wed Sep 11 15:25:05 UTC 2",
	  "Ubuntu 6.8.0-45.45~22.04.1-generic 6.8.12\n",
	  0, { 6, 8, 12 }, KV(6, 8, 12) },
	{ "ubuntu_22_04_no_newline", "5.15.0-79-generic",
	  "#86-Ubuntu SMP Mon Jul 10 16:07:21 UTC 2023",
	  "Ubuntu 5.15.0-79.86-generic 5.15.111",
	  0, { 5, 15, 111 }, KV(5, 15, 111) },
	/* A container without the file: the release is all there is. */
	{ "ubuntu_18_04_no_signature", "4.15.0-213-generic",
	  "#224-Ubuntu SMP Mon Jun 19 13:30:12 UTC 2023", NULL,
	  0, { 4, 15, 0 }, KV(4, 15, 0) },

	/* RHEL and upstream: the release is the version. */
	{ "rhel_8", "4.18.0-553.el8_10.x86_64",
	  "#1 SMP Fri Jun 14 03:19:37 UTC 2024", NULL,
	  0, { 4, 18, 0 }, KV(4, 18, 0) },
	{ "rhel_9", "5.14.0-427.13.1.el9_4.x86_64",
	  "#1 SMP PREEMPT_DYNAMIC Wed Apr 10 10:29:16 EDT 2024", NULL,
	  0, { 5, 14, 0 }, KV(5, 14, 0) },
	{ "upstream_6_12_0", "6.12.0",
	  "#1 SMP PREEMPT_DYNAMIC Mon Nov 18 10:00:00 UTC 2024", NULL,
	  0, { 6, 12, 0 }, KV(6, 12, 0) },
	{ "upstream_rc_dirty", "6.8.0-rc3+", "#4 SMP", NULL,
	  0, { 6, 8, 0 }, KV(6, 8, 0) },
	{ "arch", "6.10.10-arch1-1",
	  "#1 SMP PREEMPT_DYNAMIC Thu, 12 Sep 2024 17:21:02 +0000", NULL,
	  0, { 6, 10, 10 }, KV(6, 10, 10) },
	{ "two_numbers", "6.7", NULL, NULL,
	  0, { 6, 7, 0 }, KV(6, 7, 0) },
	{ "patch_255", "4.9.255", NULL, NULL,
	  0, { 4, 9, 255 }, KV(4, 9, 255) },

	/* Distribution strings that disagree with the release lose. */
	{ "debian_version_other_kernel", "6.1.0-25-amd64",
	  "#1 SMP Debian 5.10.223-1 (2024-08-10)", NULL,
	  0, { 6, 1, 0 }, KV(6, 1, 0) },
	{ "signature_other_kernel", "5.15.0-79-generic", NULL,
	  "Ubuntu 4.15.0-213.224-generic 4.15.18\n",
	  0, { 5, 15, 0 }, KV(5, 15, 0) },
	{ "signature_other_kernel_debian_ok", "5.10.0-32-amd64",
	  "#1 SMP Debian 5.10.223-1 (2024-08-10)",
	  "Ubuntu 4.15.0-213.224-generic 4.15.18\n",
	  0, { 5, 10, 223 }, KV(5, 10, 223) },
	{ "debian_word_twice", "5.10.0-32-amd64",
	  "#1 SMP Debian GNU Debian 5.10.223-1 (2024-08-10)", NULL,
	  0, { 5, 10, 223 }, KV(5, 10, 223) },
	/* No release, but a distribution string: that one. */
	{ "no_release_debian", NULL,
	  "#1 SMP Debian 4.19.316-1 (2024-06-25)", NULL,
	  0, { 4, 19, 316 }, KV(4, 19, 255) },

	/* Garbage distribution strings fall back to the release. */
	{ "signature_one_field", "6.1.0-25-amd64", NULL, "Ubuntu\n",
	  0, { 6, 1, 0 }, KV(6, 1, 0) },
	{ "signature_last_not_version", "5.15.0-79-generic", NULL,
	  "Ubuntu 5.15.0-79.86-generic 5.15.111abc",
	  0, { 5, 15, 0 }, KV(5, 15, 0) },
	{ "signature_two_numbers", "5.15.0-79-generic", NULL,
	  "Ubuntu 5.15.0-79.86-generic 5.15",
	  0, { 5, 15, 0 }, KV(5, 15, 0) },
	{ "debian_two_numbers", "4.19.0-27-amd64",
	  "#1 SMP Debian 4.19 (2024-06-25)", NULL,
	  0, { 4, 19, 0 }, KV(4, 19, 0) },
	{ "debian_no_space", "4.19.0-27-amd64",
	  "#1 SMP Debian4.19.316-1", NULL,
	  0, { 4, 19, 0 }, KV(4, 19, 0) },

	/* Nothing anywhere. */
	{ "all_null", NULL, NULL, NULL, -EINVAL },
	{ "all_empty", "", "", "", -EINVAL },
	{ "words", "linux", "#1 SMP Debian", "Ubuntu", -EINVAL },
	{ "one_number", "6", NULL, NULL, -EINVAL },
	{ "number_dot", "6.", NULL, NULL, -EINVAL },
	{ "dot_number", ".12.0", NULL, NULL, -EINVAL },
	{ "leading_space", " 6.1.0", NULL, NULL, -EINVAL },
	{ "negative", "-6.1.0", NULL, NULL, -EINVAL },
	{ "plus_sign", "+6.1.0", NULL, NULL, -EINVAL },
	{ "major_256", "256.1.0", NULL, NULL, -EINVAL },
	{ "minor_1000", "6.1000.0", NULL, NULL, -EINVAL },
	{ "patch_four_digits", "6.1.1000", NULL, NULL, -EINVAL },
	{ "overflow", "99999999999999999999.1.1", NULL, NULL, -EINVAL },
	{ "hex", "0x6.0x1.0", NULL, NULL, -EINVAL },
	{ "debian_garbage", NULL, "#1 SMP Debian x.y.z", NULL, -EINVAL },
	{ "signature_garbage", "", NULL, "Ubuntu 1 2 3", -EINVAL },
};

static void run_case(const struct parse_case *c)
{
	struct kversion kv = { 77, 77, 77 };
	int ret = kversion_parse(c->release, c->version, c->signature, &kv);

	EXPECT(ret == c->ret, "release '%s' version '%s' signature '%s': "
	       "returned %d, want %d", c->release ? c->release : "(null)",
	       c->version ? c->version : "(null)",
	       c->signature ? c->signature : "(null)", ret, c->ret);
	if (ret || c->ret) {
		/* A failed parse leaves kv alone. */
		EXPECT(kv.major == 77 && kv.minor == 77 && kv.patch == 77,
		       "failed parse changed kv to %u.%u.%u",
		       kv.major, kv.minor, kv.patch);
		return;
	}
	EXPECT(kv.major == c->want.major && kv.minor == c->want.minor &&
	       kv.patch == c->want.patch, "parsed %u.%u.%u, want %u.%u.%u",
	       kv.major, kv.minor, kv.patch,
	       c->want.major, c->want.minor, c->want.patch);
	EXPECT(kversion_code(&kv) == c->code, "code %#x, want %#x",
	       kversion_code(&kv), c->code);
}

static void test_ge(void)
{
	const struct kversion k67 = { 6, 7, 0 }, k610 = { 6, 10, 3 };
	const struct kversion k5 = { 5, 10, 223 }, k7 = { 7, 0, 0 };

	EXPECT(kversion_ge(&k67, 6, 7), "6.7.0 >= 6.7");
	EXPECT(!kversion_ge(&k67, 6, 8), "6.7.0 < 6.8");
	EXPECT(kversion_ge(&k610, 6, 7), "6.10.3 >= 6.7 (not by string)");
	EXPECT(!kversion_ge(&k5, 6, 7), "5.10 < 6.7");
	EXPECT(kversion_ge(&k5, 4, 18), "5.10 >= 4.18");
	EXPECT(kversion_ge(&k5, 5, 10), "5.10 >= 5.10");
	EXPECT(!kversion_ge(&k5, 5, 11), "5.10 < 5.11");
	EXPECT(kversion_ge(&k7, 6, 255), "7.0 >= 6.255");
	test_end("kversion_ge");
}

/* The running kernel: whatever it is, its release's major.minor. */
static void test_running(void)
{
	struct kversion kv;
	struct utsname u;
	unsigned int a, b;
	int ret = kversion_running(&kv);

	EXPECT(ret == 0, "kversion_running() returned %d", ret);
	EXPECT(uname(&u) == 0 &&
	       sscanf(u.release, "%u.%u", &a, &b) == 2,
	       "uname release '%s' unreadable", u.release);
	if (!ret && !test_why[0])
		EXPECT(kv.major == a && kv.minor == b,
		       "running %u.%u.%u, release '%s'",
		       kv.major, kv.minor, kv.patch, u.release);
	test_end("kversion_running");
}

/* Random bytes and random version-like strings: no crash, sane results. */
static void test_fuzz(void)
{
	static const char alphabet[] = "0123456789.-+ \nDebianUbuntu#";
	char s[3][40];
	struct kversion kv;
	int i, j, k, n;

	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 3; j++) {
			n = (int)test_below(sizeof(s[j]));
			for (k = 0; k < n; k++)
				s[j][k] = i & 1 ?
					(char)(1 + test_below(255)) :
					alphabet[test_below(sizeof(alphabet) - 1)];
			s[j][n] = '\0';
		}
		if (kversion_parse(s[0], s[1], s[2], &kv) == 0)
			EXPECT(kv.major <= 255 && kv.minor <= 255 &&
			       kv.patch <= 999 && kversion_code(&kv) < 1 << 24,
			       "'%s' '%s' '%s' gave %u.%u.%u", s[0], s[1], s[2],
			       kv.major, kv.minor, kv.patch);
	}
	test_end("kversion_fuzz");
}

int main(void)
{
	char name[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		run_case(&cases[i]);
		snprintf(name, sizeof(name), "kversion_%s", cases[i].name);
		test_end(name);
	}
	test_ge();
	test_running();
	test_fuzz();
	return 0;
}
