/*
 * common.c -- what the subcommands share: opening the root, probing,
 * printing diagnostics, writing the report.
 */
#include <err.h>
#include <stdio.h>
#include <unistd.h>

#include "hv-probe.h"
#include "hwvirt.h"

int
hv_cmd_probe(const struct hv_ctx *ctx, struct hv_root **ret_root,
	     struct hv_host **ret_host)
{
	const char *path = ctx->root_path ? ctx->root_path : "/";
	struct hv_root *root = NULL;
	struct hv_host *host;
	int r;

	r = hv_root_open(path, &root);
	if (r < 0) {
		if (r == -ENOMEM) {
			warnx("out of memory");
			return HV_EXIT_INTERNAL;
		}
		warnx("%s: cannot use as root: %s", path, hv_strerror(r));
		return HV_EXIT_BAD_INPUT;
	}
	host = hv_host_new();
	if (!host) {
		hv_root_free(root);
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	r = hv_host_probe(root, host);
	if (r < 0) {
		warnx("probing %s failed: %s", path, hv_strerror(r));
		hv_host_free(host);
		hv_root_free(root);
		return HV_EXIT_INTERNAL;
	}
	*ret_root = root;
	*ret_host = host;
	return 0;
}

bool
hv_cmd_print_diags(const struct hv_host *host)
{
	bool bad = false;

	for (size_t i = 0; i < host->n_diags; i++) {
		const struct hv_diag *d = &host->diags[i];
		const char *root = host->root ? host->root : "/";
		const char *sep = root[strlen(root) - 1] == '/' ? "" : "/";

		if (d->path && d->line)
			warnx("%s%s%s:%u: %s", root, sep, d->path, d->line,
			      d->msg);
		else if (d->path)
			warnx("%s%s%s: %s", root, sep, d->path, d->msg);
		else
			warnx("%s", d->msg);
		bad |= d->bad_input;
	}
	return bad;
}

bool
hv_cmd_use_color(const struct hv_ctx *ctx)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	/* https://no-color.org: present and not empty disables colour */
	if (nc && *nc)
		return false;
	switch (ctx->color) {
	case HV_COLOR_ALWAYS:
		return true;
	case HV_COLOR_NEVER:
		return false;
	case HV_COLOR_AUTO:
		break;
	}
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

int
hv_cmd_write(const struct hv_ctx *ctx, const struct hv_report *report)
{
	struct hv_write_opts o = {
		.color = ctx->format == HV_FORMAT_TEXT && hv_cmd_use_color(ctx),
		.verbose = ctx->verbose,
	};
	int r;

	r = hv_write(stdout, ctx->format, report, &o);
	if (r == -ENOMEM) {
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	if (r < 0) {
		warnx("writing the report failed: %s", hv_strerror(r));
		return HV_EXIT_INTERNAL;
	}
	return 0;
}
