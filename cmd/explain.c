/*
 * explain.c -- `hwvirt explain ID`: what a check means and how to fix it.
 */
#include <err.h>
#include <stdio.h>

#include "hv-check.h"
#include "hv-profile.h"
#include "hwvirt.h"

/* Print text wrapped at width, indented. */
static void
print_wrapped(const char *text, const char *indent, size_t width)
{
	const char *p = text;

	while (*p) {
		size_t col = strlen(indent);
		const char *line = p;
		const char *brk = NULL;

		/* keep paragraphs: a newline in the text ends the line */
		while (*p && *p != '\n') {
			if (*p == ' ')
				brk = p;
			if (col >= width && brk)
				break;
			col++;
			p++;
		}
		if (*p && *p != '\n' && brk) {
			printf("%s%.*s\n", indent, (int)(brk - line), line);
			p = brk + 1;
		} else {
			printf("%s%.*s\n", indent, (int)(p - line), line);
			if (*p == '\n')
				p++;
		}
	}
}

int
hv_cmd_explain(struct hv_ctx *ctx, int argc, char **argv)
{
	const struct hv_check *c;

	if (argc != 1) {
		warnx("explain: expected one check id");
		hv_usage_cmd(stderr, ctx->cmd);
		return HV_EXIT_USAGE;
	}
	c = hv_check_find(argv[0]);
	if (!c) {
		warnx("explain: unknown check '%s'; the checks are:", argv[0]);
		for (size_t i = 0; i < hv_n_checks; i++)
			fprintf(stderr, "  %s\n", hv_checks[i].id);
		return HV_EXIT_USAGE;
	}
	printf("%s: %s\n\n", c->id, c->title);
	print_wrapped(c->description, "  ", 76);
	if (c->depends && c->depends[0]) {
		printf("\nDepends on:");
		for (size_t i = 0; c->depends[i]; i++)
			printf(" %s", c->depends[i]);
		putchar('\n');
	}
	if (c->params && c->params[0].name) {
		printf("\nParameters (set in a profile):\n");
		for (size_t i = 0; c->params[i].name; i++) {
			const struct hv_param_spec *ps = &c->params[i];
			_cleanup_free_ char *dflt = ps->default_value
				? hv_asprintf(" (default %s)", ps->default_value)
				: strdup("");
			_cleanup_free_ char *line = dflt ? hv_asprintf("%s%s: %s%s",
				ps->name, ps->repeatable ? " (repeatable)" : "",
				ps->doc ? ps->doc : "", dflt) : NULL;

			if (line)
				print_wrapped(line, "  ", 76);
		}
	}
	printf("\nRemedy:\n");
	print_wrapped(c->remedy, "  ", 76);
	printf("\nIn the built-in profiles:");
	for (size_t i = 0; i < hv_n_builtin_profiles; i++) {
		struct hv_profile_error e = { 0 };
		struct hv_profile *p = NULL;

		if (hv_profile_load(hv_builtin_profiles[i], &p, &e) < 0)
			continue;
		for (size_t j = 0; j < p->n_rules; j++)
			if (strcmp(p->rules[j].check_id, c->id) == 0)
				printf(" %s (%s)", p->name,
				       hv_severity_to_string(p->rules[j].severity));
		hv_profile_free(p);
	}
	putchar('\n');
	return 0;
}
