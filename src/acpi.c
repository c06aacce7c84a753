/*
 * acpi.c -- which IOMMU description tables the firmware provides, with
 * their ACPI headers checked: DMAR (Intel VT-d), IVRS (AMD-Vi), VIOT
 * (virtio-iommu) and IORT (Arm SMMU).
 *
 * Reads:  sys/firmware/acpi/tables (the directory),
 *         sys/firmware/acpi/tables/{DMAR,IVRS,VIOT,IORT}.
 * Fills:  host->acpi.
 *
 * The table files are 0400: without root, stat() still tells that a table
 * is there (present), but its bytes are unknown (-EACCES).
 *
 * Every ACPI table starts with the common 36-byte header (ACPI 6.5,
 * 5.2.6 "System Description Table Header"), little-endian:
 *
 *   0      4        8     9          10       16             24
 *   +------+--------+-----+----------+--------+--------------+
 *   | sig  | length | rev | checksum | OEM ID | OEM table ID | ...
 *   +------+--------+-----+----------+--------+--------------+
 *   24            28           32                 36
 *   +-------------+------------+------------------+
 *   | OEM rev     | creator ID | creator rev      |  body ...
 *   +-------------+------------+------------------+
 *
 * length counts the whole table, header included; all of its bytes sum
 * to 0 modulo 256. The decoders of the tables' bodies live elsewhere and
 * use t->data and t->length.
 */
#include "hv-probe.h"

#define TABLES_DIR		"sys/firmware/acpi/tables"
#define ACPI_HEADER_LEN		36u
#define ACPI_LENGTH_OFFSET	4u
#define ACPI_REVISION_OFFSET	8u
#define ACPI_OEM_ID_OFFSET	10u
#define ACPI_OEM_ID_LEN		6u
#define ACPI_OEM_TABLE_OFFSET	16u
#define ACPI_OEM_TABLE_LEN	8u

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * Copy an OEM string field into out (size n + 1) as the kernel and acpica
 * print it: up to the first NUL, trailing spaces dropped; any other byte
 * outside printable ASCII becomes '?', so the result is safe in a report
 * whatever the firmware put there (a real table has 01 00 00 ... here).
 */
static void
oem_string(const uint8_t *p, size_t n, char *out)
{
	const uint8_t *nul = memchr(p, '\0', n);

	if (nul)
		n = (size_t)(nul - p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	out[n] = '\0';
}

/* The signature as printable text, for messages. */
static void
sig_string(const uint8_t *p, size_t avail, char out[5])
{
	size_t i;

	for (i = 0; i < 4 && i < avail; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	out[i] = '\0';
}

/* Record t as INVALID, with a diagnostic naming the table and offset. */
static int
table_invalid(struct hv_host *host, struct hv_acpi_table *t, const char *rel,
	      size_t offset, const char *what)
{
	int r;

	r = hv_fact_set_invalid(&t->fact, rel, -EBADMSG, "offset %zu: %s",
				offset, what);
	if (r < 0)
		return r;
	return hv_host_diag(host, true, rel, 0, -EBADMSG,
			    "%s table, offset %zu: %s", t->signature, offset,
			    what);
}

/*
 * Check the header of the table image *buf (len bytes) and fill t from
 * it. On success t->data takes *buf (left NULL); an invalid table leaves
 * it to the caller.
 */
static int
table_parse(struct hv_host *host, struct hv_acpi_table *t, const char *rel,
	    uint8_t **buf, size_t len)
{
	_cleanup_free_ char *what = NULL;
	uint8_t *b = *buf, sum = 0;
	char sig[5];
	uint32_t length;
	int r;

	if (len < ACPI_HEADER_LEN) {
		what = hv_asprintf("the table ends after %zu bytes, inside "
				   "the %u-byte ACPI header", len,
				   ACPI_HEADER_LEN);
		return what ? table_invalid(host, t, rel, len, what) : -ENOMEM;
	}
	if (memcmp(b, t->signature, 4) != 0) {
		sig_string(b, len, sig);
		what = hv_asprintf("signature is \"%s\", not \"%s\"", sig,
				   t->signature);
		return what ? table_invalid(host, t, rel, 0, what) : -ENOMEM;
	}
	length = le32(b + ACPI_LENGTH_OFFSET);
	if (length < ACPI_HEADER_LEN) {
		what = hv_asprintf("length field %u is shorter than the "
				   "%u-byte header", length, ACPI_HEADER_LEN);
		return what ? table_invalid(host, t, rel, ACPI_LENGTH_OFFSET,
					    what) : -ENOMEM;
	}
	if (length > len) {
		what = hv_asprintf("length field %u exceeds the %zu bytes "
				   "present (truncated table)", length, len);
		return what ? table_invalid(host, t, rel, ACPI_LENGTH_OFFSET,
					    what) : -ENOMEM;
	}
	if (length < len) {
		/* sysfs never returns more than length; a capture might. */
		r = hv_host_diag(host, false, rel, 0, 0,
				 "%s table: %zu bytes after the %u the length "
				 "field (offset 4) counts were ignored",
				 t->signature, len - length, length);
		if (r < 0)
			return r;
	}

	for (uint32_t i = 0; i < length; i++)
		sum = (uint8_t)(sum + b[i]);
	t->checksum_ok = sum == 0;
	if (!t->checksum_ok) {
		/* Linux only warns about this; so do we. */
		r = hv_host_diag(host, false, rel, 0, -EBADMSG,
				 "%s table: checksum mismatch (bytes sum to "
				 "0x%02x, not 0)", t->signature, sum);
		if (r < 0)
			return r;
	}
	t->length = length;
	t->revision = b[ACPI_REVISION_OFFSET];
	oem_string(b + ACPI_OEM_ID_OFFSET, ACPI_OEM_ID_LEN, t->oem_id);
	oem_string(b + ACPI_OEM_TABLE_OFFSET, ACPI_OEM_TABLE_LEN,
		   t->oem_table_id);
	free(t->data);
	t->data = HV_TAKE_PTR(*buf);
	return hv_fact_set_ok(&t->fact, rel);
}

static int
probe_table(struct hv_root *root, struct hv_host *host,
	    struct hv_acpi_table *t)
{
	_cleanup_free_ char *rel = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
	char *raw = NULL;
	struct stat st;
	size_t len;
	int r;

	rel = hv_asprintf("%s/%s", TABLES_DIR, t->signature);
	if (!rel)
		return -ENOMEM;

	r = hv_root_stat(root, rel, &st);
	if (r == -ENOENT || r == -ENOTDIR) {
		t->present = false;
		return hv_fact_set_absent(&t->fact, rel);
	}
	if (r < 0)
		return hv_fact_set_unknown(&t->fact, rel, r);
	t->present = true;

	r = hv_root_read(root, rel, HV_READ_MAX, &raw, &len);
	if (r == -ENOMEM)
		return r;
	buf = (uint8_t *)raw;
	if (r == -EFBIG) {
		r = hv_fact_set_invalid(&t->fact, rel, -EFBIG,
					"larger than %u bytes", HV_READ_MAX);
		if (r < 0)
			return r;
		return hv_host_diag(host, true, rel, 0, -EFBIG,
				    "%s table larger than %u bytes",
				    t->signature, HV_READ_MAX);
	}
	if (r < 0) {
		/* -EACCES without root: present, contents unknown. */
		(void)hv_root_record(root, rel);
		return hv_fact_set_unknown(&t->fact, rel, r);
	}
	return table_parse(host, t, rel, &buf, len);
}

int
hv_acpi_probe(struct hv_root *root, struct hv_host *host)
{
	struct hv_acpi *a = &host->acpi;
	struct hv_acpi_table *tables[] = { &a->dmar, &a->ivrs, &a->viot,
					   &a->iort };
	int r;

	r = hv_root_exists(root, TABLES_DIR);
	if (r == 0)
		(void)hv_root_record(root, TABLES_DIR);
	r = hv_fact_set_from_errno(&a->tables_fact, TABLES_DIR, r);
	if (r < 0)
		return r;

	for (size_t i = 0; i < HV_ELEMENTSOF(tables); i++) {
		r = probe_table(root, host, tables[i]);
		if (r < 0)
			return r;
	}
	return 0;
}
