/*
 * writer.c -- format names and the dispatch to one writer per format.
 */
#include "hv-writer.h"

static const char *const format_names[_HV_FORMAT_MAX] = {
	[HV_FORMAT_TEXT] = "text",
	[HV_FORMAT_JSON] = "json",
	[HV_FORMAT_XML] = "xml",
};

const char *
hv_format_to_string(enum hv_format f)
{
	if ((unsigned)f >= _HV_FORMAT_MAX)
		return "text";
	return format_names[f];
}

int
hv_format_from_string(const char *s, enum hv_format *ret)
{
	for (unsigned i = 0; i < _HV_FORMAT_MAX; i++) {
		if (strcmp(format_names[i], s) == 0) {
			*ret = (enum hv_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

int
hv_write(FILE *out, enum hv_format f, const struct hv_report *r,
	 const struct hv_write_opts *o)
{
	switch (f) {
	case HV_FORMAT_JSON:
		return hv_write_json(out, r, o);
	case HV_FORMAT_XML:
		return hv_write_xml(out, r, o);
	case HV_FORMAT_TEXT:
	case _HV_FORMAT_MAX:
		break;
	}
	return hv_write_text(out, r, o);
}
