/*
 * hv-writer.h -- writers: format a report. They read only the report and
 * never probe or judge. Output order is deterministic (devices by address,
 * groups by number, findings in check order) so golden files stay stable.
 *
 * JSON goes through json-c, XML through libxml2's xmlTextWriter: no
 * hand-written escaping. The shapes are fixed by data/schema/report.schema.json
 * and data/schema/report.xsd, and the tests validate against them.
 */
#ifndef HV_WRITER_H
#define HV_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "hv-audit.h"
#include "hv-host.h"

#define HV_REPORT_SCHEMA_VERSION	"1.0"

enum hv_format {
	HV_FORMAT_TEXT = 0,
	HV_FORMAT_JSON,
	HV_FORMAT_XML,
	_HV_FORMAT_MAX,
};
const char *hv_format_to_string(enum hv_format f);
int hv_format_from_string(const char *s, enum hv_format *ret);

struct hv_report {
	const char *command;		/* "inventory" or "audit" */
	const struct hv_host *host;
	const struct hv_audit *audit;	/* NULL for inventory */
};

struct hv_write_opts {
	bool color;			/* ANSI colour (text only) */
	bool verbose;			/* text: every device, every flag */
};

/* Each returns 0, or a negative errno (-EIO on a write error). */
int hv_write_text(FILE *out, const struct hv_report *r,
		  const struct hv_write_opts *o);
int hv_write_json(FILE *out, const struct hv_report *r,
		  const struct hv_write_opts *o);
int hv_write_xml(FILE *out, const struct hv_report *r,
		 const struct hv_write_opts *o);

/* Dispatch on format. */
int hv_write(FILE *out, enum hv_format f, const struct hv_report *r,
	     const struct hv_write_opts *o);

/*
 * The report as a json-c tree: the one model that both the JSON and the
 * XML writer serialize, so the two formats always hold the same content
 * (data/schema/ describes it). Every string from the host in it has been
 * through hv_writer_sanitize(). 0, -EINVAL for a report without a host or
 * a finding without a check, or -ENOMEM. The caller owns *ret and releases
 * it with json_object_put().
 */
struct json_object;
int hv_report_to_json(const struct hv_report *r, struct json_object **ret);

/*
 * A copy of s that is safe in JSON, in XML 1.0 and on a terminal: valid
 * UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF) holding no control character but tab and newline. Each byte
 * that does not start a well-formed sequence, each other C0 control, DEL,
 * each C1 control and the non-characters U+FFFE and U+FFFF become U+FFFD.
 * *ret is NULL when s is NULL. 0 or -ENOMEM; the caller frees *ret.
 */
int hv_writer_sanitize(const char *s, char **ret);

#endif
