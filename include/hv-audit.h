/*
 * hv-audit.h -- the audit: profiles applied to a host, findings, the
 * verdict and the score. Pure: reads the host and profiles only.
 *
 * Verdict: not-ready if a required check failed; unknown if none failed
 * but a required or recommended check could not be determined (never "ready"
 * on what could not be read, e.g. without root); degraded if only warnings;
 * ready otherwise. Score: 0-100, the weighted share of judged checks that
 * passed (required weigh 3, recommended 1; a warning counts half; info,
 * skip and notapplicable are not counted; unknown counts as not passed).
 *
 * Exit codes (a stable contract, hwvirt(1)): 0 ready or degraded (2 for
 * degraded with --strict), 2 not ready, 3 could not determine a required
 * check.
 */
#ifndef HV_AUDIT_H
#define HV_AUDIT_H

#include "hv-check.h"
#include "hv-host.h"
#include "hv-profile.h"

enum hv_verdict {
	HV_VERDICT_READY = 0,
	HV_VERDICT_DEGRADED,
	HV_VERDICT_NOT_READY,
	HV_VERDICT_UNKNOWN,
};
/* "ready", "degraded", "not-ready", "unknown" */
const char *hv_verdict_to_string(enum hv_verdict v);

enum {
	HV_EXIT_READY = 0,
	HV_EXIT_INTERNAL = 1,
	HV_EXIT_NOT_READY = 2,
	HV_EXIT_UNKNOWN = 3,
	HV_EXIT_USAGE = 64,
	HV_EXIT_BAD_INPUT = 65,
};

struct hv_audit {
	struct hv_strv profiles;	/* names, as given */
	struct hv_finding *findings;	/* in check-table order */
	size_t n_findings;
	unsigned counts[_HV_STATUS_MAX];
	enum hv_verdict verdict;
	unsigned score;
};

/*
 * Evaluate the union of the profiles' rules against host. A check selected
 * by several profiles is evaluated once, with the strictest severity (the
 * parameters of the first profile that gives it that severity). A check
 * whose dependency did not pass is SKIP. 0 or -ENOMEM.
 */
int hv_audit_run(const struct hv_host *host,
		 struct hv_profile *const *profiles, size_t n_profiles,
		 struct hv_audit **ret);
void hv_audit_free(struct hv_audit *a);

/* The exit code of this audit (0, 2 or 3). */
int hv_audit_exit_code(const struct hv_audit *a, bool strict);

#endif
