/*
 * audit.c -- apply profiles to a host: evaluate the selected checks in table
 * order, skip those whose dependencies did not pass, map statuses through
 * severities, and compute the verdict and the score. Pure.
 */
#include <stdio.h>

#include "hv-audit.h"

const char *
hv_verdict_to_string(enum hv_verdict v)
{
	switch (v) {
	case HV_VERDICT_READY:
		return "ready";
	case HV_VERDICT_DEGRADED:
		return "degraded";
	case HV_VERDICT_NOT_READY:
		return "not-ready";
	case HV_VERDICT_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The rule chosen for each check: strictest severity wins, first on ties. */
struct chosen {
	const struct hv_profile_rule *rule;
	bool selected;
};

/* Evaluation state per check, for dependencies. */
enum { EV_NONE = 0, EV_BUSY, EV_DONE };

struct audit_ctx {
	const struct hv_host *host;
	struct chosen *chosen;		/* per check in hv_checks[] */
	struct hv_finding *raw;		/* per check: unmapped result */
	unsigned char *state;
};

static size_t
check_index(const struct hv_check *c)
{
	return (size_t)(c - hv_checks);
}

static int evaluate(struct audit_ctx *a, size_t i);

/* Did every dependency of check i pass (pass or warn)? *ret_dep names the
 * first that did not. */
static int
deps_ok(struct audit_ctx *a, size_t i, const char **ret_dep,
	enum hv_status *ret_status)
{
	const char *const *deps = hv_checks[i].depends;

	for (size_t k = 0; deps && deps[k]; k++) {
		const struct hv_check *d = hv_check_find(deps[k]);
		enum hv_status s;
		size_t j;
		int r;

		if (!d)
			continue;	/* tests/test-checks.c keeps ids valid */
		j = check_index(d);
		r = evaluate(a, j);
		if (r < 0)
			return r;
		s = a->raw[j].status;
		if (s != HV_STATUS_PASS && s != HV_STATUS_WARN) {
			*ret_dep = d->id;
			*ret_status = s;
			return 0;
		}
	}
	*ret_dep = NULL;
	return 0;
}

static int
evaluate(struct audit_ctx *a, size_t i)
{
	const struct hv_check *c = &hv_checks[i];
	struct hv_finding *f = &a->raw[i];
	struct hv_params params = { 0 };
	const char *dep = NULL;
	enum hv_status dep_status = HV_STATUS_UNKNOWN;
	int r;

	if (a->state[i] == EV_DONE)
		return 0;
	if (a->state[i] == EV_BUSY)
		return -ELOOP;	/* a dependency cycle: a bug in the table */
	a->state[i] = EV_BUSY;

	f->check = c;
	if (a->chosen[i].rule) {
		params.v = a->chosen[i].rule->params;
		params.n = a->chosen[i].rule->n_params;
		f->severity = a->chosen[i].rule->severity;
	}
	r = deps_ok(a, i, &dep, &dep_status);
	if (r < 0)
		return r;
	if (dep) {
		r = hv_finding_set(f, HV_STATUS_SKIP,
				   "not judged: %s is %s", dep,
				   hv_status_to_string(dep_status));
		if (r < 0)
			return r;
		r = hv_finding_observed(f, "not judged");
	} else {
		f->status = HV_STATUS_UNKNOWN;
		r = c->evaluate(a->host, &params, f);
	}
	if (r < 0)
		return r;
	a->state[i] = EV_DONE;
	return 0;
}

static enum hv_status
map_status(enum hv_status s, enum hv_severity sev)
{
	if (s == HV_STATUS_FAIL && sev != HV_SEVERITY_REQUIRED)
		return HV_STATUS_WARN;
	return s;
}

static void
verdict_and_score(struct hv_audit *a)
{
	bool fail = false, unknown = false, warn = false;
	unsigned total = 0, got = 0;

	for (size_t i = 0; i < a->n_findings; i++) {
		const struct hv_finding *f = &a->findings[i];
		unsigned w = f->severity == HV_SEVERITY_REQUIRED ? 3
			   : f->severity == HV_SEVERITY_RECOMMENDED ? 1 : 0;

		a->counts[f->status]++;
		if (w == 0)
			continue;
		switch (f->status) {
		case HV_STATUS_PASS:
		case HV_STATUS_FIXED:
			total += 2 * w;
			got += 2 * w;
			break;
		case HV_STATUS_WARN:
			warn = true;
			total += 2 * w;
			got += w;
			break;
		case HV_STATUS_FAIL:
			fail = true;
			total += 2 * w;
			break;
		case HV_STATUS_UNKNOWN:
			unknown = true;
			total += 2 * w;
			break;
		case HV_STATUS_SKIP:
		case HV_STATUS_NOTAPPLICABLE:
		case _HV_STATUS_MAX:
			break;
		}
	}
	a->score = total ? (100 * got + total / 2) / total : 100;
	if (fail)
		a->verdict = HV_VERDICT_NOT_READY;
	else if (unknown)
		a->verdict = HV_VERDICT_UNKNOWN;
	else if (warn)
		a->verdict = HV_VERDICT_DEGRADED;
	else
		a->verdict = HV_VERDICT_READY;
}

int
hv_audit_run(const struct hv_host *host, struct hv_profile *const *profiles,
	     size_t n_profiles, struct hv_audit **ret)
{
	struct audit_ctx ctx = { .host = host };
	struct hv_audit *a;
	size_t n_sel = 0;
	int r = -ENOMEM;

	a = calloc(1, sizeof(*a));
	ctx.chosen = calloc(hv_n_checks, sizeof(*ctx.chosen));
	ctx.raw = calloc(hv_n_checks, sizeof(*ctx.raw));
	ctx.state = calloc(hv_n_checks, 1);
	if (!a || !ctx.chosen || !ctx.raw || !ctx.state)
		goto out;

	for (size_t p = 0; p < n_profiles; p++) {
		if (hv_strv_add(&a->profiles, profiles[p]->name) < 0)
			goto out;
		for (size_t k = 0; k < profiles[p]->n_rules; k++) {
			const struct hv_profile_rule *rule = &profiles[p]->rules[k];
			const struct hv_check *c = hv_check_find(rule->check_id);
			struct chosen *ch;

			if (!c || rule->disabled)
				continue;
			ch = &ctx.chosen[check_index(c)];
			if (!ch->selected || rule->severity > ch->rule->severity)
				ch->rule = rule;
			ch->selected = true;
		}
	}

	for (size_t i = 0; i < hv_n_checks; i++)
		if (ctx.chosen[i].selected)
			n_sel++;
	a->findings = calloc(n_sel ? n_sel : 1, sizeof(*a->findings));
	if (!a->findings)
		goto out;

	for (size_t i = 0; i < hv_n_checks; i++) {
		struct hv_finding *f;

		if (!ctx.chosen[i].selected)
			continue;
		r = evaluate(&ctx, i);
		if (r < 0)
			goto out;
		f = &a->findings[a->n_findings++];
		*f = ctx.raw[i];
		ctx.raw[i] = (struct hv_finding){ 0 };
		/* a later dependant must still see the raw status */
		ctx.raw[i].status = f->status;
		ctx.raw[i].check = f->check;
		f->status = map_status(f->status, f->severity);
	}
	verdict_and_score(a);
	*ret = a;
	a = NULL;
	r = 0;
out:
	if (ctx.raw)
		for (size_t i = 0; i < hv_n_checks; i++)
			hv_finding_clear(&ctx.raw[i]);
	free(ctx.raw);
	free(ctx.chosen);
	free(ctx.state);
	hv_audit_free(a);
	return r;
}

void
hv_audit_free(struct hv_audit *a)
{
	if (!a)
		return;
	hv_strv_clear(&a->profiles);
	for (size_t i = 0; i < a->n_findings; i++)
		hv_finding_clear(&a->findings[i]);
	free(a->findings);
	free(a);
}

int
hv_audit_exit_code(const struct hv_audit *a, bool strict)
{
	switch (a->verdict) {
	case HV_VERDICT_READY:
		return HV_EXIT_READY;
	case HV_VERDICT_DEGRADED:
		return strict ? HV_EXIT_NOT_READY : HV_EXIT_READY;
	case HV_VERDICT_NOT_READY:
		return HV_EXIT_NOT_READY;
	case HV_VERDICT_UNKNOWN:
		break;
	}
	return HV_EXIT_UNKNOWN;
}
