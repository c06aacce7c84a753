/*
 * hv-profile.h -- profiles: which checks a class of host needs, how much
 * each matters, and with what parameters.
 *
 * A profile is an XML file validated against the shipped XML Schema
 * (data/schema/profile.xsd). It may extend another profile (built-in or a
 * file); rules of the extending profile replace the inherited ones of the
 * same check id. The built-in profiles are compiled in from data/profiles/
 * and also installed there under $(pkgdatadir).
 *
 * XML is parsed with network access and entity expansion off, no DTD
 * accepted, and a size bound.
 */
#ifndef HV_PROFILE_H
#define HV_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "hv-check.h"
#include "hv-util.h"

#define HV_PROFILE_MAX_SIZE	(1024 * 1024)
#define HV_PROFILE_MAX_DEPTH	8	/* "extends" chain */

struct hv_profile_rule {
	char *check_id;
	enum hv_severity severity;
	bool disabled;			/* <check id=".." severity="off"/> */
	struct hv_param *params;
	size_t n_params;
	char *from;			/* the profile that set this rule */
};

struct hv_profile {
	char *name;
	char *title;			/* one line, for `hwvirt profiles` */
	char *description;
	char *extends;			/* name or path; NULL if none */
	char *source;			/* "built-in" or the file path */
	struct hv_profile_rule *rules;	/* resolved: inherited + own, in
					   check-table order, disabled dropped */
	size_t n_rules;
};

/* Where a profile failed to load: the file, line and what is wrong. */
struct hv_profile_error {
	char path[512];
	unsigned line;
	char msg[400];
	bool bad_input;			/* 65; otherwise an internal error */
};

/*
 * Load a profile by built-in name ("kvm-host") or by file path (anything
 * with a '/' or ending in ".xml"), resolving "extends". On failure a
 * negative errno and *err says what: -ENOENT unknown name or missing file,
 * -EBADMSG malformed or schema-invalid XML, -ELOOP extends cycle or too
 * deep, -EINVAL unknown check id or bad parameter. Caller frees *ret.
 */
int hv_profile_load(const char *name_or_path, struct hv_profile **ret,
		    struct hv_profile_error *err);

/*
 * Parse one profile document (without resolving "extends"). Pure: bytes in.
 * source names it in errors.
 */
int hv_profile_parse(const char *buf, size_t len, const char *source,
		     struct hv_profile **ret, struct hv_profile_error *err);

void hv_profile_free(struct hv_profile *p);

/* Names of the built-in profiles, in menu order. */
extern const char *const hv_builtin_profiles[];
extern const size_t hv_n_builtin_profiles;

/*
 * Compiled-in data files (src/builtin-data.c, generated from data/).
 * name is the path under data/: "profiles/kvm-host.xml",
 * "schema/profile.xsd". NULL if there is none.
 */
const char *hv_builtin_data(const char *name, size_t *ret_len);

#endif
