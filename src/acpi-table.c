/*
 * acpi-table.c -- the common ACPI table header and checksum, and the issue
 * list, shared by the DMAR and IVRS decoders (hv-acpi.h). Pure.
 *
 * Layout (ACPI 6.5, 5.2.6 "System Description Table Header"), little-endian:
 *
 *   0          4          8     9          10        16
 *   +----------+----------+-----+----------+---------+--------------+
 *   | sig:4    | length:4 | rev | checksum | OEM id:6| OEM table:8  |
 *   +----------+----------+-----+----------+---------+--------------+
 *   24              28              32                 36
 *   +---------------+---------------+------------------+
 *   | OEM rev:4     | creator id:4  | creator rev:4    |  body ...
 *   +---------------+---------------+------------------+
 *
 * length counts the whole table, header included; all length bytes sum to
 * 0 modulo 256.
 */
#include <stdio.h>

#include "hv-acpi.h"

uint8_t
hv_acpi_sum(const uint8_t *buf, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + buf[i]);
	return sum;
}

void
hv_acpi_name(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	/* As iasl's AcpiUtCheckAndRepairAscii() and "%.Ns": stop at NUL,
	 * anything unprintable shown as a space. */
	for (i = 0; i < n && p[i] != '\0'; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : ' ';
	out[i] = '\0';
}

int
hv_acpi_header_parse(const uint8_t *buf, size_t len, struct hv_acpi_header *ret)
{
	struct hv_acpi_header h = { 0 };

	if (!buf || len < HV_ACPI_HEADER_SIZE)
		return -EBADMSG;

	hv_acpi_name(buf, 4, h.signature);
	h.length = hv_le32(buf + 4);
	if (h.length < HV_ACPI_HEADER_SIZE)
		return -EBADMSG;
	h.revision = buf[8];
	h.checksum = buf[9];
	hv_acpi_name(buf + 10, 6, h.oem_id);
	hv_acpi_name(buf + 16, 8, h.oem_table_id);
	h.oem_revision = hv_le32(buf + 24);
	hv_acpi_name(buf + 28, 4, h.creator_id);
	h.creator_revision = hv_le32(buf + 32);
	h.available = len;

	if (len >= h.length) {
		uint8_t sum = hv_acpi_sum(buf, h.length);

		h.checksum_valid = hv_tri_from_bool(sum == 0);
		h.checksum_expected = (uint8_t)(h.checksum - sum);
	} else {
		h.checksum_valid = HV_TRI_UNKNOWN;
	}
	*ret = h;
	return 0;
}

void
hv_acpi_issue_add(struct hv_acpi_issues *is, size_t offset, int err,
		  const char *fmt, ...)
{
	struct hv_acpi_issue *i;
	va_list ap;

	if (is->n >= HV_ACPI_ISSUES_MAX) {
		is->dropped++;
		return;
	}
	i = &is->v[is->n++];
	i->offset = offset;
	i->err = err;
	va_start(ap, fmt);
	vsnprintf(i->msg, sizeof(i->msg), fmt, ap);
	va_end(ap);
}
