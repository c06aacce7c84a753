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

#endif
