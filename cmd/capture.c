/*
 * capture.c -- `hwvirt capture`: run every probe with the root recording
 * what it reads, and write exactly that (plus what live probes learnt
 * without a file, and hwvirt/capture.json) to a directory or a tarball
 * that `hwvirt --root` audits anywhere (hv-capture.h).
 *
 * Exit status: 0 when the capture was written (problems in what was read
 * are printed as they are for inventory, and copied as they are, for the
 * bug report); 73 when it could not be written; 64 usage; 65 a root that
 * cannot be used; 1 internal (out of memory, a host beyond the bounds of
 * a capture).
 */
#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "hv-capture.h"
#include "hwvirt.h"

static void
print_stats(const char *out, const struct hv_capture_stats *st)
{
	fprintf(stderr,
		"hwvirt: captured %zu files (%llu bytes), %zu directories, "
		"%zu links, and %zu files unread or unreadable (empty, mode "
		"0000) into %s",
		st->files, (unsigned long long)st->bytes, st->dirs, st->links,
		st->holes, out);
	if (st->skipped)
		fprintf(stderr, "; %zu paths left out (gone, or not files, "
			"directories or links)", st->skipped);
	fputc('\n', stderr);
}

int
hv_cmd_capture(struct hv_ctx *ctx, int argc _unused_, char **argv _unused_)
{
	_cleanup_free_ char *defname = NULL;
	struct hv_capture_error e = { 0 };
	struct hv_capture_stats st = { 0 };
	struct hv_capture_meta meta;
	struct hv_root *root = NULL;
	struct hv_host *host = NULL;
	const char *out = ctx->output;
	int r;

	if (out && (!*out || strcmp(out, "-") == 0)) {
		warnx("capture: give --output a directory or a tarball name, "
		      "not '%s'", out);
		hv_usage_cmd(stderr, ctx->cmd);
		return HV_EXIT_USAGE;
	}
	/* a file size limit is a write error to clean up after, not death */
	signal(SIGXFSZ, SIG_IGN);
	r = hv_cmd_open_root(ctx, &root);
	if (r > 0)
		return r;
	hv_root_set_recording(root, true);
	r = hv_cmd_probe_root(ctx, root, &host);
	hv_root_set_recording(root, false);
	if (r > 0) {
		hv_root_free(root);
		return r;
	}
	(void)hv_cmd_print_diags(host);

	meta = (struct hv_capture_meta){
		.created = time(NULL),
		.hostname = hv_fact_ok(&host->kernel.hostname_fact) ?
			    host->kernel.hostname : NULL,
		.hwvirt_version = PACKAGE_VERSION,
		.root = ctx->root_path ? ctx->root_path : "/",
		.privileged = geteuid() == 0,
	};
	if (!out) {
		defname = hv_capture_default_name(meta.hostname, meta.created);
		if (!defname) {
			warnx("out of memory");
			r = HV_EXIT_INTERNAL;
			goto out;
		}
		out = defname;
	}

	r = hv_capture_write(root, &meta, out, hv_capture_format_from_name(out),
			     &st, &e);
	if (r < 0) {
		if (e.path[0] && strcmp(e.path, out) != 0)
			warnx("%s: cannot capture %s: %s", out, e.path, e.msg);
		else
			warnx("%s: %s", out, e.msg[0] ? e.msg : hv_strerror(r));
		r = r == -ENOMEM || r == -E2BIG ? HV_EXIT_INTERNAL
						: HV_EXIT_CANTCREAT;
		goto out;
	}
	if (ctx->verbose)
		print_stats(out, &st);
	printf("%s\n", out);
	r = 0;
out:
	hv_host_free(host);
	hv_root_free(root);
	return r;
}
