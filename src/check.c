/*
 * check.c -- statuses, severities, parameters and the finding setters that
 * every check's evaluate function uses.
 */
#include <stdio.h>
#include <strings.h>

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

const struct hv_param_spec *
hv_param_spec_find(const struct hv_param_spec *specs, const char *name)
{
	for (size_t i = 0; specs && specs[i].name; i++)
		if (strcmp(specs[i].name, name) == 0)
			return &specs[i];
	return NULL;
}

static bool
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

int
hv_param_validate(const struct hv_param_spec *spec, const char *value,
		  char *msg, size_t len)
{
	size_t l = value ? strlen(value) : 0;
	uint32_t u;

	if (!value || l == 0) {
		snprintf(msg, len, "parameter '%s' is empty", spec->name);
		return -EINVAL;
	}
	switch (spec->type) {
	case HV_PARAM_UINT:
		if (value[0] < '0' || value[0] > '9' ||
		    hv_parse_u32(value, 10, &u) < 0) {
			snprintf(msg, len, "parameter '%s': '%s' is not a whole number",
				 spec->name, value);
			return -EINVAL;
		}
		return 0;
	case HV_PARAM_STRING:
		return 0;
	case HV_PARAM_ENUM:
		for (size_t i = 0; spec->values && spec->values[i]; i++)
			if (strcmp(spec->values[i], value) == 0)
				return 0;
		snprintf(msg, len, "parameter '%s': '%s' is not one of the "
			 "accepted values", spec->name, value);
		return -EINVAL;
	case HV_PARAM_PCI_CLASS:
		if ((l == 2 || l == 4 || l == 6) && is_hex(value, l))
			return 0;
		snprintf(msg, len, "parameter '%s': '%s' is not a PCI class "
			 "(hex: 02, 0200 or 020000)", spec->name, value);
		return -EINVAL;
	case HV_PARAM_PCI_ID:
		if (l >= 6 && value[4] == ':' && is_hex(value, 4) &&
		    ((l == 9 && is_hex(value + 5, 4)) ||
		     (l == 6 && value[5] == '*')))
			return 0;
		snprintf(msg, len, "parameter '%s': '%s' is not a PCI id "
			 "(vendor:device, hex, or vendor:*)", spec->name, value);
		return -EINVAL;
	case HV_PARAM_VERSION:
		if (value[0] >= '0' && value[0] <= '9')
			return 0;
		snprintf(msg, len, "parameter '%s': '%s' is not a version",
			 spec->name, value);
		return -EINVAL;
	case HV_PARAM_DATE: {
		unsigned y, m, d;
		char tail;

		if (l == 10 && sscanf(value, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3 &&
		    value[4] == '-' && value[7] == '-' &&
		    m >= 1 && m <= 12 && d >= 1 && d <= 31)
			return 0;
		snprintf(msg, len, "parameter '%s': '%s' is not a date (YYYY-MM-DD)",
			 spec->name, value);
		return -EINVAL;
	}
	}
	snprintf(msg, len, "parameter '%s' has an unknown type", spec->name);
	return -EINVAL;
}

bool
hv_param_match_class(const char *value, uint32_t class_code)
{
	char hex[7];
	size_t l = strlen(value);

	snprintf(hex, sizeof(hex), "%06x", class_code & 0xffffff);
	return l <= 6 && strncasecmp(hex, value, l) == 0;
}

bool
hv_param_match_id(const char *value, uint16_t vendor, uint16_t device)
{
	char id[10];

	snprintf(id, sizeof(id), "%04x:%04x", vendor, device);
	if (strlen(value) == 6 && value[5] == '*')
		return strncasecmp(id, value, 5) == 0;
	return strcasecmp(id, value) == 0;
}
