/*
 * hv-check.h -- checks judge the inventory and yield findings.
 *
 * A check has a stable dotted id that is never renamed ("iommu.enabled"), a
 * title, what it reads, and a remedy. Its evaluate function reads only the
 * host (never the filesystem) and the parameters its profile gives, and
 * fills a finding: a status, observed and expected values, the evidence
 * (paths and raw values read) and a host-specific remedy.
 *
 * Checks judge the effective state, never a string: "amd_iommu=on" is not a
 * valid value, "iommu=pt" is not isolation, iommu_group links without an
 * IOMMU behind them are no IOMMU.
 */
#ifndef HV_CHECK_H
#define HV_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv-host.h"

enum hv_status {
	HV_STATUS_PASS = 0,
	HV_STATUS_WARN,
	HV_STATUS_FAIL,
	HV_STATUS_UNKNOWN,		/* could not tell: not root, unreadable */
	HV_STATUS_SKIP,			/* a check it depends on did not pass */
	HV_STATUS_NOTAPPLICABLE,	/* does not apply to this host */
	HV_STATUS_FIXED,		/* after --fix */
	_HV_STATUS_MAX,
};
/* "pass", "warn", "fail", "unknown", "skip", "notapplicable", "fixed" */
const char *hv_status_to_string(enum hv_status s);
int hv_status_from_string(const char *s, enum hv_status *ret);

/*
 * How much a check matters in a profile. required: a failure makes the host
 * not ready. recommended: a failure is a warning. info: shown, never counted
 * in the verdict or the score (a failure shows as a warning).
 */
enum hv_severity {
	HV_SEVERITY_INFO = 0,
	HV_SEVERITY_RECOMMENDED,
	HV_SEVERITY_REQUIRED,
	_HV_SEVERITY_MAX,
};
const char *hv_severity_to_string(enum hv_severity s);
int hv_severity_from_string(const char *s, enum hv_severity *ret);

/* A parameter a profile gives a check ("min_vfs" = "4"). */
struct hv_param {
	char *name;
	char *value;
};

struct hv_params {
	const struct hv_param *v;
	size_t n;
};

/* What parameters a check accepts, so profiles are validated at load. */
enum hv_param_type {
	HV_PARAM_UINT,		/* decimal, 0..UINT32_MAX */
	HV_PARAM_STRING,	/* any non-empty text */
	HV_PARAM_ENUM,		/* one of values[] */
	HV_PARAM_PCI_CLASS,	/* hex class prefix: "02", "0200" or "020000" */
	HV_PARAM_PCI_ID,	/* "8086:10c9", or "8086:*" for a vendor */
	HV_PARAM_VERSION,	/* a version, compared with hv_version_cmp */
	HV_PARAM_DATE,		/* YYYY-MM-DD */
};

struct hv_param_spec {
	const char *name;
	enum hv_param_type type;
	const char *const *values;	/* HV_PARAM_ENUM: NULL-terminated */
	bool repeatable;
	const char *doc;		/* one line for `hwvirt explain` */
	const char *default_value;	/* used when a profile gives none;
					   NULL: none (the parameter is
					   optional or repeatable) */
};

/*
 * Check value against spec. 0, or -EINVAL with msg (size len) saying what
 * is wrong.
 */
int hv_param_validate(const struct hv_param_spec *spec, const char *value,
		      char *msg, size_t len);
/* The spec of parameter name in a NULL-name-terminated array, or NULL. */
const struct hv_param_spec *hv_param_spec_find(const struct hv_param_spec *specs,
					       const char *name);
/*
 * Does a PCI class code (base << 16 | sub << 8 | prog-if) match a class
 * prefix parameter ("02", "0200", "020000")? Does vendor:device match a
 * PCI id parameter ("8086:10c9", "8086:*")? Values must be valid.
 */
bool hv_param_match_class(const char *value, uint32_t class_code);
bool hv_param_match_id(const char *value, uint16_t vendor, uint16_t device);

/* The value of the last parameter called name, or NULL. */
const char *hv_params_get(const struct hv_params *p, const char *name);
/* Every value of parameters called name (for repeated ones: "class"). */
size_t hv_params_get_all(const struct hv_params *p, const char *name,
			 const char **ret, size_t max);

struct hv_evidence {
	char *path;			/* root-relative, or "cpuid 0x1:ecx" */
	char *value;			/* raw value read, or the fact's reason */
};

struct hv_check;

struct hv_finding {
	const struct hv_check *check;
	enum hv_status status;
	enum hv_severity severity;
	char *observed;
	char *expected;
	char *message;			/* one sentence: why this status */
	char *remedy;			/* host-specific; NULL: check->remedy */
	struct hv_evidence *evidence;
	size_t n_evidence;
	size_t evidence_cap;
};

/* Setters for evaluate functions. Each replaces the previous value.
 * 0 or -ENOMEM. */
int hv_finding_set(struct hv_finding *f, enum hv_status status,
		   const char *fmt, ...) _printf_(3, 4);
int hv_finding_observed(struct hv_finding *f, const char *fmt, ...)
	_printf_(2, 3);
int hv_finding_expected(struct hv_finding *f, const char *fmt, ...)
	_printf_(2, 3);
int hv_finding_remedy(struct hv_finding *f, const char *fmt, ...)
	_printf_(2, 3);
int hv_finding_evidence(struct hv_finding *f, const char *path,
			const char *fmt, ...) _printf_(3, 4);
/* Evidence for a fact: its source, and its reason when it is not OK. */
int hv_finding_evidence_fact(struct hv_finding *f, const struct hv_fact *fact,
			     const char *value);
/*
 * Set status UNKNOWN from a fact that is not OK, with the fact's reason
 * as message and as evidence. 0 or -ENOMEM.
 */
int hv_finding_unknown_from_fact(struct hv_finding *f,
				 const struct hv_fact *fact, const char *what);
void hv_finding_clear(struct hv_finding *f);

struct hv_check {
	const char *id;			/* stable: "iommu.enabled" */
	const char *area;		/* "cpu", "kvm", "iommu", "pci", "kernel" */
	const char *title;		/* "IOMMU enabled in the kernel" */
	const char *description;	/* what it means, why it matters */
	const char *remedy;		/* how to fix it, in general */
	const struct hv_param_spec *params;	/* ends with { NULL }; or NULL */
	const char *const *depends;	/* NULL-terminated check ids, or NULL */
	/*
	 * Judge the host. f arrives cleared with check and severity set.
	 * Returns 0 or -ENOMEM; every judgement goes in f.
	 */
	int (*evaluate)(const struct hv_host *host, const struct hv_params *p,
			struct hv_finding *f);
};

/* The table of every check, in report order. */
extern const struct hv_check hv_checks[];
extern const size_t hv_n_checks;

/* NULL if there is no such check. */
const struct hv_check *hv_check_find(const char *id);

/* The areas, in report order, with a human title ("IOMMU"). */
struct hv_area {
	const char *id;
	const char *title;
};
extern const struct hv_area hv_areas[];
extern const size_t hv_n_areas;
const char *hv_area_title(const char *id);

#endif
