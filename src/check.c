/*
 * check.c -- statuses, severities, parameters and the finding setters that
 * every check's evaluate function uses.
 */
#include <stdio.h>

#include "hv-check.h"

static const char *const status_names[_HV_STATUS_MAX] = {
	[HV_STATUS_PASS] = "pass",
	[HV_STATUS_WARN] = "warn",
	[HV_STATUS_FAIL] = "fail",
	[HV_STATUS_UNKNOWN] = "unknown",
	[HV_STATUS_SKIP] = "skip",
	[HV_STATUS_NOTAPPLICABLE] = "notapplicable",
	[HV_STATUS_FIXED] = "fixed",
};

const char *
hv_status_to_string(enum hv_status s)
{
	if ((unsigned)s >= _HV_STATUS_MAX)
		return "unknown";
	return status_names[s];
}

int
hv_status_from_string(const char *s, enum hv_status *ret)
{
	for (unsigned i = 0; i < _HV_STATUS_MAX; i++) {
		if (strcmp(status_names[i], s) == 0) {
			*ret = (enum hv_status)i;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *const severity_names[_HV_SEVERITY_MAX] = {
	[HV_SEVERITY_INFO] = "info",
	[HV_SEVERITY_RECOMMENDED] = "recommended",
	[HV_SEVERITY_REQUIRED] = "required",
};

const char *
hv_severity_to_string(enum hv_severity s)
{
	if ((unsigned)s >= _HV_SEVERITY_MAX)
		return "info";
	return severity_names[s];
}

int
hv_severity_from_string(const char *s, enum hv_severity *ret)
{
	for (unsigned i = 0; i < _HV_SEVERITY_MAX; i++) {
		if (strcmp(severity_names[i], s) == 0) {
			*ret = (enum hv_severity)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *
hv_params_get(const struct hv_params *p, const char *name)
{
	const char *v = NULL;

	if (!p)
		return NULL;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			v = p->v[i].value;
	return v;
}

size_t
hv_params_get_all(const struct hv_params *p, const char *name,
		  const char **ret, size_t max)
{
	size_t n = 0;

	if (!p)
		return 0;
	for (size_t i = 0; i < p->n && n < max; i++)
		if (strcmp(p->v[i].name, name) == 0)
			ret[n++] = p->v[i].value;
	return n;
}

static int
set_string(char **dst, const char *fmt, va_list ap)
{
	char *s = hv_vasprintf(fmt, ap);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

int
hv_finding_set(struct hv_finding *f, enum hv_status status,
	       const char *fmt, ...)
{
	va_list ap;
	int r;

	f->status = status;
	if (!fmt)
		return 0;
	va_start(ap, fmt);
	r = set_string(&f->message, fmt, ap);
	va_end(ap);
	return r;
}

int
hv_finding_observed(struct hv_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_string(&f->observed, fmt, ap);
	va_end(ap);
	return r;
}

int
hv_finding_expected(struct hv_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_string(&f->expected, fmt, ap);
	va_end(ap);
	return r;
}

int
hv_finding_remedy(struct hv_finding *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = set_string(&f->remedy, fmt, ap);
	va_end(ap);
	return r;
}

static int
add_evidence(struct hv_finding *f, const char *path, char *value)
{
	struct hv_evidence *e;
	char *p;

	if (!value)
		return -ENOMEM;
	/* the same path twice keeps the first value */
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (hv_streq(f->evidence[i].path, path)) {
			free(value);
			return 0;
		}
	}
	p = strdup(path ? path : "");
	if (!p || HV_GROW(f->evidence, f->evidence_cap, f->n_evidence + 1) < 0) {
		free(p);
		free(value);
		return -ENOMEM;
	}
	e = &f->evidence[f->n_evidence++];
	e->path = p;
	e->value = value;
	return 0;
}

int
hv_finding_evidence(struct hv_finding *f, const char *path,
		    const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = hv_vasprintf(fmt, ap);
	va_end(ap);
	return add_evidence(f, path, v);
}

int
hv_finding_evidence_fact(struct hv_finding *f, const struct hv_fact *fact,
			 const char *value)
{
	if (!fact->source)
		return 0;
	if (fact->state == HV_FACT_OK)
		return add_evidence(f, fact->source,
				    strdup(value ? value : "read"));
	return add_evidence(f, fact->source, hv_fact_reason(fact));
}

int
hv_finding_unknown_from_fact(struct hv_finding *f, const struct hv_fact *fact,
			     const char *what)
{
	_cleanup_free_ char *reason = hv_fact_reason(fact);
	int r;

	if (!reason)
		return -ENOMEM;
	r = hv_finding_set(f, HV_STATUS_UNKNOWN, "%s could not be read: %s",
			   what, reason);
	if (r < 0)
		return r;
	r = hv_finding_observed(f, "unknown (%s)", reason);
	if (r < 0)
		return r;
	return hv_finding_evidence_fact(f, fact, NULL);
}

void
hv_finding_clear(struct hv_finding *f)
{
	if (!f)
		return;
	free(f->observed);
	free(f->expected);
	free(f->message);
	free(f->remedy);
	for (size_t i = 0; i < f->n_evidence; i++) {
		free(f->evidence[i].path);
		free(f->evidence[i].value);
	}
	free(f->evidence);
	*f = (struct hv_finding){ 0 };
}
