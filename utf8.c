// SPDX-License-Identifier: GPL-2.0
/* utf8.c - one UTF-8 character at a time; see utf8.h. */
#include "utf8.h"

size_t utf8_next(const char *str, unsigned int *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int c = s[0], min;
	size_t len, i;

	*cp = c;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		min = 0x80;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		min = 0x800;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return 0;	/* continuation byte, 0xc0, 0xc1, 0xf5.. */
	}
	/* A NUL is no continuation byte: this stops at the string's end. */
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}
