/*
 * profiles.c -- `hwvirt profiles`: the built-in profiles, as a menu.
 */
#include <err.h>
#include <json.h>
#include <stdio.h>

#include "hwvirt.h"

/* One profile as JSON: name, title, extends, and its checks. NULL: ENOMEM. */
static struct json_object *
profile_json(const struct hv_profile *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *checks = json_object_new_array();

	if (!o || !checks)
		goto oom;
	if (json_object_object_add(o, "name", json_object_new_string(p->name)) < 0 ||
	    json_object_object_add(o, "title",
				   json_object_new_string(p->title ? p->title : "")) < 0 ||
	    json_object_object_add(o, "extends",
				   p->extends ? json_object_new_string(p->extends) : NULL) < 0)
		goto oom;
	for (size_t j = 0; j < p->n_rules; j++) {
		const struct hv_profile_rule *rule = &p->rules[j];
		struct json_object *c = json_object_new_object();
		const char *sev = hv_severity_to_string(rule->severity);

		if (!c || json_object_array_add(checks, c) < 0) {
			json_object_put(c);
			goto oom;
		}
		if (json_object_object_add(c, "id",
					   json_object_new_string(rule->check_id)) < 0 ||
		    json_object_object_add(c, "severity", json_object_new_string(sev)) < 0)
			goto oom;
	}
	if (json_object_object_add(o, "checks", checks) < 0)
		goto oom;
	return o;
oom:
	json_object_put(checks);
	json_object_put(o);
	return NULL;
}

static void
profile_text(const struct hv_profile *p, bool verbose)
{
	printf("%-12s %s\n", p->name, p->title ? p->title : "");
	if (!verbose)
		return;
	for (size_t j = 0; j < p->n_rules; j++)
		printf("    %-28s %s\n", p->rules[j].check_id,
		       hv_severity_to_string(p->rules[j].severity));
}

int
hv_cmd_profiles(struct hv_ctx *ctx, int argc _unused_, char **argv _unused_)
{
	struct json_object *arr = NULL;
	int rc = 0;

	if (ctx->format == HV_FORMAT_XML) {
		warnx("profiles: --format xml is not supported; "
		      "the profiles themselves are XML (see hwvirt-profile(5))");
		return HV_EXIT_USAGE;
	}
	if (ctx->format == HV_FORMAT_JSON) {
		arr = json_object_new_array();
		if (!arr)
			goto oom;
	}
	for (size_t i = 0; i < hv_n_builtin_profiles; i++) {
		struct hv_profile_error e = { 0 };
		struct hv_profile *p = NULL;
		int r;

		r = hv_profile_load(hv_builtin_profiles[i], &p, &e);
		if (r < 0) {
			/* a built-in that fails to load is our bug */
			warnx("built-in profile %s: %s", hv_builtin_profiles[i],
			      e.msg);
			rc = HV_EXIT_INTERNAL;
			continue;
		}
		if (arr) {
			struct json_object *o = profile_json(p);

			hv_profile_free(p);
			if (!o || json_object_array_add(arr, o) < 0) {
				json_object_put(o);
				goto oom;
			}
		} else {
			profile_text(p, ctx->verbose);
			hv_profile_free(p);
		}
	}
	if (arr) {
		puts(json_object_to_json_string_ext(arr,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
	} else {
		puts("\nUse 'hwvirt audit --profile NAME'; "
		     "'hwvirt explain ID' tells what a check means.");
	}
	return rc;
oom:
	json_object_put(arr);
	warnx("out of memory");
	return HV_EXIT_INTERNAL;
}
