// SPDX-License-Identifier: GPL-2.0
/* export.c - the --json and --svg files; see export.h. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "json.h"
#include "msg.h"
#include "probes.h"
#include "svg.h"

typedef int (*writer_fn)(FILE *out, const struct stack_set *set,
			 const struct symtab *tab,
			 const struct export_info *info);

static int is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

int export_to_stdout(const struct options *opts)
{
	return is_stdout(opts->json) || is_stdout(opts->svg);
}

/* Says that path could not be written (err_msg()); returns err. */
static int fail(const char *what, const char *path, int err)
{
	err_msg("cannot %s %s: %s", what, is_stdout(path) ? "stdout" : path,
		strerror(-err));
	return err;
}

static int write_one(const char *path, writer_fn fn,
		     const struct stack_set *set, const struct symtab *tab,
		     const struct export_info *info)
{
	FILE *out = stdout;
	int err;

	if (!is_stdout(path)) {
		out = fopen(path, "we");
		if (!out)
			return fail("create", path, -errno);
	}
	errno = 0;
	err = fn(out, set, tab, info);
	if (err == -ENOMEM)
		goto done;
	if (fflush(out) || ferror(out))
		err = errno ? -errno : -EIO;
	/* A reader that stopped early (| head) is no failure. */
	if (is_stdout(path) && err == -EPIPE)
		err = 0;
done:
	if (out != stdout && fclose(out) && !err)
		err = errno ? -errno : -EIO;
	return err ? fail("write", path, err) : 0;
}

/*
 * Whether path can be written, asked before the window rather than found
 * after it: an existing file writable, or its directory.  0 or -errno.
 */
static int writable(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (is_stdout(path) || !access(path, W_OK))
		return 0;
	if (errno != ENOENT)
		return -errno;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) ?
			 (int)(slash - path) : 1, path);
	return access(dir, W_OK | X_OK) ? -errno : 0;
}

int export_check(const struct options *opts)
{
	int err;

	if (opts->json && (err = writable(opts->json)))
		return fail("write", opts->json, err);
	if (opts->svg && (err = writable(opts->svg)))
		return fail("write", opts->svg, err);
	return 0;
}

int export_write(const struct options *opts, const struct probes *probes,
		 const struct stack_set *set, const struct symtab *tab,
		 const char *label, double window, long long skipped)
{
	struct export_info info = {
		.label = label, .targets = probes->targets,
		.ntargets = probes->ntargets, .window = window,
		.skipped = skipped, .per_process = opts->per_process,
		.pid = opts->pid, .depth = opts->depth, .tps = probes->tps,
		.ntps = probes->ntps, .per_thread = opts->per_thread,
		.cpus = opts->cpu_list, .comm = opts->comm,
		.cgroup = opts->cgroup
	};
	struct symtab own = { 0 };
	int err = 0, e;


	if (!opts->json && !opts->svg)
		return 0;
	if (!tab) {
		/* Unreadable kallsyms: raw addresses, as the text has them. */
		if (symtab_build(&own, set, KALLSYMS_PATH) == -ENOMEM) {
			err = fail("write", opts->json ? opts->json : opts->svg,
				   -ENOMEM);
			goto out;
		}
		tab = &own;
	}
	if (opts->json)
		err = write_one(opts->json, json_write, set, tab, &info);
	if (opts->svg && (e = write_one(opts->svg, svg_write, set, tab,
					&info)) && !err)
		err = e;
out:
	symtab_free(&own);
	return err;
}
