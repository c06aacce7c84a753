/*
 * audit.c -- `hwvirt audit`: the host judged against profiles. The exit
 * status is the verdict (hv-audit.h).
 */
#include <err.h>
#include <stdio.h>

#include "hwvirt.h"

static void
free_profiles(struct hv_profile **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hv_profile_free(p[i]);
	free(p);
}

static int
load_profiles(const struct hv_ctx *ctx, struct hv_profile ***ret,
	      size_t *ret_n)
{
	static const char *const fallback[] = { "kvm-host" };
	const char *const *names = fallback;
	struct hv_profile **p;
	size_t n = 1;

	if (ctx->profiles.n > 0) {
		names = (const char *const *)ctx->profiles.v;
		n = ctx->profiles.n;
	}
	p = calloc(n, sizeof(*p));
	if (!p) {
		warnx("out of memory");
		return HV_EXIT_INTERNAL;
	}
	for (size_t i = 0; i < n; i++) {
		struct hv_profile_error e = { 0 };
		int r;

		r = hv_profile_load(names[i], &p[i], &e);
		if (r < 0) {
			if (e.path[0] && e.line)
				warnx("%s:%u: %s", e.path, e.line, e.msg);
			else if (e.path[0])
				warnx("%s: %s", e.path, e.msg);
			else
				warnx("profile '%s': %s", names[i],
				      e.msg[0] ? e.msg : hv_strerror(r));
			free_profiles(p, n);
			if (r == -ENOMEM)
				return HV_EXIT_INTERNAL;
			return e.bad_input || r != -ENOMEM ? HV_EXIT_BAD_INPUT
							   : HV_EXIT_INTERNAL;
		}
	}
	*ret = p;
	*ret_n = n;
	return 0;
}

int
hv_cmd_audit(struct hv_ctx *ctx, int argc _unused_, char **argv _unused_)
{
	struct hv_profile **profiles = NULL;
	struct hv_audit *audit = NULL;
	struct hv_root *root = NULL;
	struct hv_host *host = NULL;
	struct hv_report report;
	size_t n_profiles = 0;
	bool bad;
	int r;

	/* Profiles first: a bad profile is a usage problem, found before
	 * any probing. */
	r = load_profiles(ctx, &profiles, &n_profiles);
	if (r > 0)
		return r;
	r = hv_cmd_probe(ctx, &root, &host);
	if (r > 0)
		goto out;
	r = hv_audit_run(host, profiles, n_profiles, &audit);
	if (r < 0) {
		warnx("audit failed: %s", hv_strerror(r));
		r = HV_EXIT_INTERNAL;
		goto out;
	}
	report = (struct hv_report){
		.command = "audit", .host = host, .audit = audit,
	};
	r = hv_cmd_write(ctx, &report);
	bad = hv_cmd_print_diags(host);
	if (r > 0)
		goto out;
	r = bad ? HV_EXIT_BAD_INPUT : hv_audit_exit_code(audit, ctx->strict);
out:
	hv_audit_free(audit);
	hv_host_free(host);
	hv_root_free(root);
	free_profiles(profiles, n_profiles);
	return r;
}
