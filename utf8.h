/* SPDX-License-Identifier: GPL-2.0 */
/*
 * utf8.h - walk a string one character at a time, telling valid UTF-8 from
 * stray bytes: command names and symbol names may hold any byte, and the
 * JSON and SVG writers must still produce valid documents.
 */
#ifndef SHOW_BT_UTF8_H
#define SHOW_BT_UTF8_H

#include <stddef.h>

/*
 * The character at s (NUL-terminated): returns its length in bytes (1 to
 * 4) with its code point in *cp, or 0 when s does not start a valid UTF-8
 * sequence (a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate, past U+10FFFF); *cp is then the byte itself.  At the
 * NUL, returns 1 with *cp 0.
 */
size_t utf8_next(const char *s, unsigned int *cp);

#endif
