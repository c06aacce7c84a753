/*
 * common.c -- what the subcommands share: opening the root (a directory,
 * or a tarball extracted into a private directory for the run), probing,
 * printing diagnostics, writing the report.
 */
#include <err.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv-capture.h"
#include "hv-probe.h"
#include "hwvirt.h"

/* ---- a tarball as the root ------------------------------------------------ */

/* Where the tarball root was extracted: removed at exit and on a signal
 * that ends the program (hv_capture_rmtree is async-signal-safe). */
static char extracted[PATH_MAX];

static void
remove_extracted(void)
{
	if (extracted[0]) {
		(void)hv_capture_rmtree(extracted);
		extracted[0] = '\0';
	}
}

static void
on_fatal_signal(int sig)
{
	remove_extracted();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* Extract the tarball path into a new private directory; its path in
 * extracted. 0 or an exit code, after a message. */
static int
extract_root(const char *path)
{
	struct hv_capture_error e;
	const char *tmpdir = getenv("TMPDIR");
	struct sigaction sa = { .sa_handler = on_fatal_signal };
	int r;

	if (!tmpdir || tmpdir[0] != '/')
		tmpdir = "/tmp";
	r = snprintf(extracted, sizeof(extracted), "%s/hwvirt-root.XXXXXX",
		     tmpdir);
	if (r < 0 || (size_t)r >= sizeof(extracted)) {
		extracted[0] = '\0';
		warnx("%s: TMPDIR is too long", path);
		return HV_EXIT_INTERNAL;
	}
	if (!mkdtemp(extracted)) {	/* mode 0700: ours alone */
		warn("%s: cannot create a directory to extract it into", path);
		extracted[0] = '\0';
		return HV_EXIT_INTERNAL;
	}
	if (atexit(remove_extracted) != 0) {
		remove_extracted();
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < HV_ELEMENTSOF(fatal_signals); i++)
		(void)sigaction(fatal_signals[i], &sa, NULL);

	r = hv_archive_extract(path, extracted, &e);
	if (r == 0)
		return 0;
	if (e.path[0])
		warnx("%s: member '%s': %s", path, e.path, e.msg);
	else
		warnx("%s: %s", path, e.msg[0] ? e.msg : hv_strerror(r));
	remove_extracted();
	switch (r) {
	case -EBADMSG:
	case -E2BIG:
	case -EACCES:
	case -ENOTSUP:
		return HV_EXIT_BAD_INPUT;	/* the archive is at fault */
	default:
		return HV_EXIT_INTERNAL;	/* ENOMEM, ENOSPC, EIO, ... */
	}
}

int
hv_cmd_open_root(const struct hv_ctx *ctx, struct hv_root **ret_root)
{
	const char *path = ctx->root_path ? ctx->root_path : "/";
	struct stat st;
	int r;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		if (extracted[0]) {
			warnx("%s: only one tarball root per run", path);
			return HV_EXIT_USAGE;
		}
		r = extract_root(path);
		if (r > 0)
			return r;
		r = hv_root_open(extracted, ret_root);
	} else {
		r = hv_root_open(path, ret_root);
	}
	if (r < 0) {
		if (r == -ENOMEM) {
			warnx("out of memory");
			return HV_EXIT_INTERNAL;
		}
		warnx("%s: cannot use as root: %s", path, hv_strerror(r));
		return HV_EXIT_BAD_INPUT;
	}
	return 0;
}

int
hv_cmd_probe_root(const struct hv_ctx *ctx, struct hv_root *root,
		  struct hv_host **ret_host)
{
	const char *path = ctx->root_path ? ctx->root_path : "/";
	struct hv_host *host;
	char *given;
	int r;

	host = hv_host_new();
	if (!host) {
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	r = hv_host_probe(root, host);
	if (r < 0) {
		warnx("probing %s failed: %s", path, hv_strerror(r));
		hv_host_free(host);
		return HV_EXIT_INTERNAL;
	}
	/* reports name the root as the user gave it, not where a tarball
	 * happens to be extracted */
	given = strdup(path);
	if (!given) {
		hv_host_free(host);
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	free(host->root);
	host->root = given;
	*ret_host = host;
	return 0;
}

int
hv_cmd_probe(const struct hv_ctx *ctx, struct hv_root **ret_root,
	     struct hv_host **ret_host)
{
	struct hv_root *root = NULL;
	int r;

	r = hv_cmd_open_root(ctx, &root);
	if (r > 0)
		return r;
	r = hv_cmd_probe_root(ctx, root, ret_host);
	if (r > 0) {
		hv_root_free(root);
		return r;
	}
	*ret_root = root;
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
