// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_options.c - show_bt's command line, options_parse(), on any argv:
 * "show_bt", then the fuzz bytes split on NUL (an empty piece is an empty
 * argument; a last piece without its NUL counts too).
 *
 * Properties (options.h): it never crashes; a refusal is one line, not
 * empty, with no control character below ' ' (the user's bytes are
 * quoted in it), that fits the buffer; what it accepts is in
 * the documented ranges (duration, pid, depth, limits, attach), every
 * FUNCTION has a valid name (letters, digits, '_' and '.', or a glob
 * pattern, shorter than KSYM_NAME_LEN) and is one of the arguments, with
 * no offset or address on a pattern, and the file names given are
 * arguments or their values (--prog=FILE); the answer is the same when
 * asked again (getopt's state is restarted); options_free() frees it all.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>

#include "../../options.h"
#include "fuzz.h"

#define MAX_ARGS	64
#define SYMBOL_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_."
#define GLOB_CHARS "*?[]!-^"

static void check_error(const char *err, size_t size)
{
	size_t len = strnlen(err, size), i;

	fuzz_check(len > 0 && len < size, "a refusal of %zu bytes", len);
	for (i = 0; i < len; i++)
		fuzz_check((unsigned char)err[i] >= ' ',
			   "byte %zu of the refusal is %#x: \"%s\"", i,
			   (unsigned char)err[i], err);
}

static int is_arg(char **argv, int argc, const char *p)
{
	int i;

	for (i = 1; i < argc; i++)
		if (p == argv[i])
			return 1;
	return 0;
}

/* A whole argument or what follows its '=': a value as given. */
static int in_arg(char **argv, int argc, const char *p)
{
	int i;

	for (i = 1; i < argc; i++)
		if (p == argv[i] || (p > argv[i] && p[-1] == '=' &&
				     p <= argv[i] + strlen(argv[i])))
			return 1;
	return 0;
}

static void check_options(const struct options *o, char **argv, int argc)
{
	size_t i, len;

	fuzz_check(isfinite(o->duration) && o->duration > 0 &&
		   o->duration <= MAX_DURATION, "duration %g", o->duration);
	fuzz_check(o->pid >= 0, "pid %d", o->pid);
	fuzz_check(o->depth <= 127, "depth %u", o->depth);
	fuzz_check(o->max_probes >= 1 && o->max_probes <= MAX_PROBES,
		   "max_probes %u", o->max_probes);
	fuzz_check(o->slots >= 1 && o->slots <= MAX_SLOTS, "slots %u",
		   o->slots);
	fuzz_check(o->max_stacks >= 1 && o->max_stacks <= MAX_MAX_STACKS,
		   "max_stacks %u", o->max_stacks);
	fuzz_check(o->verifier_log <= 2, "verifier_log %u", o->verifier_log);
	fuzz_check(o->attach >= ATTACH_DEFAULT && o->attach <= ATTACH_MULTI,
		   "attach %d", o->attach);
	fuzz_check(!o->prog_file || (*o->prog_file &&
				     in_arg(argv, argc, o->prog_file)),
		   "--prog \"%s\"", o->prog_file);
	fuzz_check(!o->json || (*o->json && in_arg(argv, argc, o->json)),
		   "--json \"%s\"", o->json);
	fuzz_check(!o->svg || (*o->svg && in_arg(argv, argc, o->svg)),
		   "--svg \"%s\"", o->svg);
	if (o->help || o->version)
		return;
	fuzz_check(o->nfuncs || o->dump || o->xlated, "no function");
	fuzz_check(!(o->json && o->svg && !strcmp(o->json, "-") &&
		     !strcmp(o->svg, "-")), "--json - and --svg -");
	for (i = 0; i < o->nfuncs; i++) {
		const struct func_spec *f = &o->funcs[i];

		len = strlen(f->name);
		fuzz_check(is_arg(argv, argc, f->arg),
			   "function %zu is not an argument", i);
		fuzz_check(len > 0 && len < KSYM_NAME_LEN &&
			   !strncmp(f->arg, f->name, len),
			   "function %zu: name \"%s\" of \"%s\"", i, f->name,
			   f->arg);
		fuzz_check(strspn(f->name, f->glob ? SYMBOL_CHARS GLOB_CHARS :
				  SYMBOL_CHARS) == len,
			   "function %zu: invalid name \"%s\"", i, f->name);
		fuzz_check(f->glob == !!strpbrk(f->name, "*?["),
			   "function %zu: glob %d for \"%s\"", i, f->glob,
			   f->name);
		fuzz_check(!f->glob || (!f->offset && !f->addr &&
					!f->arg[len]),
			   "function %zu: a pattern with more: \"%s\"", i,
			   f->arg);
		fuzz_check(f->offset < MAX_OFFSET, "offset %#lx", f->offset);
		fuzz_check(f->arg[len] != '@' || f->addr,
			   "function %zu: address 0 in \"%s\"", i, f->arg);
	}
}

static int same(const struct options *a, const struct options *b)
{
	size_t i;

	if (a->duration != b->duration || a->pid != b->pid ||
	    a->per_process != b->per_process || a->folded != b->folded ||
	    a->addresses != b->addresses || a->depth != b->depth ||
	    a->max_probes != b->max_probes || a->slots != b->slots ||
	    a->max_stacks != b->max_stacks ||
	    a->verifier_log != b->verifier_log || a->check != b->check ||
	    a->attach != b->attach || a->dump != b->dump ||
	    a->xlated != b->xlated || a->help != b->help ||
	    a->version != b->version || a->nfuncs != b->nfuncs ||
	    !a->prog_file != !b->prog_file || !a->json != !b->json ||
	    !a->svg != !b->svg)
		return 0;
	if ((a->prog_file && strcmp(a->prog_file, b->prog_file)) ||
	    (a->json && strcmp(a->json, b->json)) ||
	    (a->svg && strcmp(a->svg, b->svg)))
		return 0;
	for (i = 0; i < a->nfuncs; i++)
		if (strcmp(a->funcs[i].name, b->funcs[i].name) ||
		    a->funcs[i].offset != b->funcs[i].offset ||
		    a->funcs[i].addr != b->funcs[i].addr ||
		    a->funcs[i].glob != b->funcs[i].glob)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *orig[MAX_ARGS + 2], *argv[MAX_ARGS + 2];
	char name[] = "show_bt", err[200], err2[200];
	struct options o, o2;
	size_t at = 0;
	int argc = 1, ret, ret2;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	orig[0] = name;
	while (at < size && argc <= MAX_ARGS) {
		orig[argc++] = copy + at;
		at += strlen(copy + at) + 1;
	}
	orig[argc] = NULL;
	/* getopt_long() permutes argv: each parse gets a fresh one. */
	memcpy(argv, orig, sizeof(orig));

	memset(err, 0x55, sizeof(err));
	ret = options_parse(argc, argv, &o, err, sizeof(err));
	fuzz_check(ret == 0 || ret == -1, "returned %d", ret);
	if (ret)
		check_error(err, sizeof(err));
	else
		check_options(&o, orig, argc);

	memcpy(argv, orig, sizeof(orig));
	memset(err2, 0x55, sizeof(err2));
	ret2 = options_parse(argc, argv, &o2, err2, sizeof(err2));
	fuzz_check(ret2 == ret, "returned %d, then %d", ret, ret2);
	if (ret)
		fuzz_check(!strcmp(err, err2), "refused as \"%s\", then as "
			   "\"%s\"", err, err2);
	else
		fuzz_check(same(&o, &o2), "another answer the second time");
	options_free(&o);
	options_free(&o2);
	free(copy);
	return 0;
}
