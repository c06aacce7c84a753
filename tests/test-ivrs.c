/*
 * test-ivrs.c -- the IVRS decoder (src/ivrs.c, src/acpi-table.c) against
 * every real table of the corpus and iasl's disassembly of each, then on
 * truncated, corrupted and hostile versions of them.
 *
 * Every table under acpi/ivrs/ of the corpus (synthetic-fwts/ included;
 * tests/corpus, or $HV_CORPUS_DIR) is decoded, rendered into iasl's
 * (offset, field, value) records and compared both ways with its
 * *.iasl-20260408.dsl. The directory is read, so a table added later is
 * tested too. Corrupted inputs are made from those real tables.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hv-acpi.h"
#include "hv-test.h"
#include "iasl.h"

static uint8_t *
read_table(const char *path, size_t *ret_len)
{
	return (uint8_t *)hv_test_read(path, ret_len);
}

/* A corpus table by path under acpi/ivrs/, without ".ivrs.dat". */
static uint8_t *
corpus_table(const char *base, size_t *ret_len)
{
	_cleanup_free_ char *rel = hv_asprintf("acpi/ivrs/%s.ivrs.dat", base);
	_cleanup_free_ char *path = NULL;

	assert_non_null(rel);
	path = hv_test_corpus(rel);
	return read_table(path, ret_len);
}

/* ---- every block, in table order ---------------------------------------- */

struct item {
	uint32_t offset;
	uint8_t type;
	uint16_t length;
	size_t index;
	char kind;			/* 'h' IVHD, 'm' IVMD, 'u' unknown */
};

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static struct item *
items_of(const struct hv_ivrs *v, size_t *ret_n)
{
	size_t n = v->n_ivhd + v->n_ivmd + v->n_unknown, k = 0;
	struct item *it = calloc(n ? n : 1, sizeof(*it));

	assert_non_null(it);
	for (size_t i = 0; i < v->n_ivhd; i++)
		it[k++] = (struct item){ v->ivhd[i].offset, v->ivhd[i].type,
					 v->ivhd[i].length, i, 'h' };
	for (size_t i = 0; i < v->n_ivmd; i++)
		it[k++] = (struct item){ v->ivmd[i].offset, v->ivmd[i].type,
					 v->ivmd[i].length, i, 'm' };
	for (size_t i = 0; i < v->n_unknown; i++)
		it[k++] = (struct item){ v->unknown[i].offset,
					 (uint8_t)v->unknown[i].type,
					 v->unknown[i].length, i, 'u' };
	qsort(it, n, sizeof(*it), cmp_item);
	*ret_n = n;
	return it;
}

/* v->ivhd[i], failing the test if there is no such block. */
static const struct hv_ivhd *
ivhd_at(const struct hv_ivrs *v, size_t i)
{
	static const struct hv_ivhd none;

	if (!v->ivhd || i >= v->n_ivhd) {
		fail_msg("no IVHD %zu (%zu decoded)", i, v->n_ivhd);
		return &none;
	}
	return &v->ivhd[i];
}

static bool
has_issue_at(const struct hv_acpi_issues *is, size_t offset)
{
	for (size_t i = 0; i < is->n; i++)
		if (is->v[i].offset == offset)
			return true;
	return false;
}

static void
print_issues(const char *what, const struct hv_acpi_issues *is)
{
	for (size_t i = 0; i < is->n; i++)
		printf("%s: issue at 0x%zx: %s\n", what, is->v[i].offset, is->v[i].msg);
}

/* ---- rendering as iasl prints it ---------------------------------------- */

static void
render_bits(struct iasl_dump *m, uint8_t v, const char *const names[8])
{
	for (unsigned b = 0; b < 8; b++)
		if (names[b])
			iasl_add_sub(m, names[b], "%X", (v >> b) & 1);
}

static void
render_data_setting(struct iasl_dump *m, uint32_t o, uint8_t v)
{
	iasl_add(m, o, 1, "Data Setting (decoded below)", "%02X", v);
	iasl_add_sub(m, "INITPass", "%X", v & 1);
	iasl_add_sub(m, "EIntPass", "%X", (v >> 1) & 1);
	iasl_add_sub(m, "NMIPass", "%X", (v >> 2) & 1);
	iasl_add_sub(m, "Reserved", "%X", (v >> 3) & 1);
	iasl_add_sub(m, "System MGMT", "%X", (v >> 4) & 3);
	iasl_add_sub(m, "LINT0 Pass", "%X", (v >> 6) & 1);
	iasl_add_sub(m, "LINT1 Pass", "%X", (v >> 7) & 1);
}

static void
render_id(struct iasl_dump *m, uint32_t o, const char *name, bool is_integer,
	  uint64_t raw, const char *str)
{
	if (is_integer)
		iasl_add(m, o, 8, name, "%016" PRIX64, raw);
	else
		iasl_add(m, o, 8, name, "\"%s\"", str);
}

static void
render_entry(struct iasl_dump *m, const struct hv_ivhd_entry *e)
{
	uint32_t o = e->offset;

	iasl_add(m, o, 1, "Subtable Type", "%02X", e->type);
	iasl_add(m, o + 1, 2, "Device ID", "%04X", e->device_id);
	render_data_setting(m, o + 3, e->data_setting);
	switch (e->type) {
	case HV_IVHD_ENTRY_ALIAS_SELECT:
	case HV_IVHD_ENTRY_ALIAS_START:
		iasl_add(m, o + 4, 1, "Reserved", "%02X", e->reserved1);
		iasl_add(m, o + 5, 2, "Source Used Device ID", "%04X", e->source_device_id);
		iasl_add(m, o + 7, 1, "Reserved", "%02X", e->reserved2);
		break;
	case HV_IVHD_ENTRY_PAD8:
	case HV_IVHD_ENTRY_EXT_SELECT:
	case HV_IVHD_ENTRY_EXT_START:
		iasl_add(m, o + 4, 4, "Extended Data", "%08X", e->ext);
		break;
	case HV_IVHD_ENTRY_SPECIAL:
		iasl_add(m, o + 4, 1, "Handle", "%02X", e->handle);
		iasl_add(m, o + 5, 2, "Source Used Device ID", "%04X", e->source_device_id);
		iasl_add(m, o + 7, 1, "Variety", "%02X", e->variety);
		break;
	case HV_IVHD_ENTRY_ACPI_HID:
		render_id(m, o + 4, "ACPI HID", e->hid_is_integer, e->hid_raw, e->hid);
		render_id(m, o + 12, "ACPI CID", e->cid_is_integer, e->cid_raw, e->cid);
		/* iasl prints the UID fields only when there is a UID */
		if (e->uid_length == 0)
			break;
		iasl_add(m, o + 20, 1, "UID Format", "%02X", e->uid_format);
		iasl_add(m, o + 21, 1, "UID Length", "%02X", e->uid_length);
		if (e->uid_format == HV_IVHD_UID_STRING)
			iasl_add(m, o + 22, e->uid_length, "UID", "\"%s\"", e->uid);
		else
			iasl_add(m, o + 22, e->uid_length, "UID", "%016" PRIX64,
				 e->uid_integer);
		break;
	default:
		break;			/* iasl prints the 4-byte header only */
	}
}

static void
render_ivrs(struct iasl_dump *m, const struct hv_ivrs *v)
{
	static const char *const ivhd_flags[8] = {
		"HtTunEn", "PassPW", "ResPassPW", "Isoc Control", "Iotlb Support",
		"Coherent", "Prefetch Support", "PPR Support",
	};
	static const char *const ivmd_flags[8] = {
		"Unity", "Readable", "Writeable", "Exclusion Range",
	};
	_cleanup_free_ struct item *items = NULL;
	size_t n;

	iasl_render_header(m, &v->header);
	iasl_add(m, 36, 4, "Virtualization Info", "%08X", v->ivinfo.raw);
	iasl_add(m, 40, 8, "Reserved", "%016" PRIX64, v->reserved);

	items = items_of(v, &n);
	for (size_t i = 0; i < n; i++) {
		uint32_t o = items[i].offset;

		if (items[i].kind == 'h') {
			const struct hv_ivhd *h = &v->ivhd[items[i].index];

			iasl_add(m, o, 1, "Subtable Type", "%02X", h->type);
			iasl_add(m, o + 1, 1, "Flags (decoded below)", "%02X", h->flags);
			render_bits(m, h->flags, ivhd_flags);
			iasl_add(m, o + 2, 2, "Length", "%04X", h->length);
			iasl_add(m, o + 4, 2, "DeviceId", "%04X", h->device_id);
			iasl_add(m, o + 6, 2, "Capability Offset", "%04X", h->capability_offset);
			iasl_add(m, o + 8, 8, "Base Address", "%016" PRIX64, h->base_address);
			iasl_add(m, o + 16, 2, "PCI Segment Group", "%04X", h->pci_segment_group);
			iasl_add(m, o + 18, 2, "Virtualization Info", "%04X", h->iommu_info);
			if (h->type == HV_IVRS_TYPE_IVHD_10) {
				iasl_add(m, o + 20, 4, "Feature Reporting", "%08X",
					 h->feature_reporting);
			} else {
				iasl_add(m, o + 20, 4, "Attributes", "%08X", h->attributes);
				iasl_add(m, o + 24, 8, "EFR Image", "%016" PRIX64, h->efr_image);
				iasl_add(m, o + 32, 8, "Reserved", "%016" PRIX64, h->efr2_image);
			}
			for (size_t j = 0; j < h->n_entries; j++)
				render_entry(m, &h->entries[j]);
		} else if (items[i].kind == 'm') {
			const struct hv_ivmd *d = &v->ivmd[items[i].index];

			iasl_add(m, o, 1, "Subtable Type", "%02X", d->type);
			iasl_add(m, o + 1, 1, "Flags (decoded below)", "%02X", d->flags);
			render_bits(m, d->flags, ivmd_flags);
			iasl_add(m, o + 2, 2, "Length", "%04X", d->length);
			iasl_add(m, o + 4, 2, "DeviceId", "%04X", d->device_id);
			iasl_add(m, o + 6, 2, "Auxiliary Data", "%04X", d->auxiliary_data);
			iasl_add(m, o + 8, 8, "Reserved", "%016" PRIX64, d->reserved);
			iasl_add(m, o + 16, 8, "Start Address", "%016" PRIX64, d->start_address);
			iasl_add(m, o + 24, 8, "Memory Length", "%016" PRIX64, d->memory_length);
		}
		/* unknown blocks: iasl prints only a message */
	}
}

/* ---- the corpus against iasl -------------------------------------------- */

static const struct hv_ivhd_entry *
find_entry(const struct hv_ivrs *v, uint32_t offset)
{
	for (size_t i = 0; i < v->n_ivhd; i++)
		for (size_t j = 0; j < v->ivhd[i].n_entries; j++)
			if (v->ivhd[i].entries[j].offset == offset)
				return &v->ivhd[i].entries[j];
	return NULL;
}

/* The entry at offset, failing the test if there is none. */
static const struct hv_ivhd_entry *
entry_at(const struct hv_ivrs *v, uint32_t offset)
{
	static const struct hv_ivhd_entry none;
	const struct hv_ivhd_entry *e = find_entry(v, offset);

	if (!e) {
		fail_msg("no device entry at 0x%x", offset);
		return &none;
	}
	return e;
}

/* iasl's messages against the decoder: what iasl calls unknown must be
 * kept as unknown, with the same type (and size, for entries). */
static unsigned
check_markers(const char *name, const struct iasl_dump *ref,
	      const struct hv_ivrs *v)
{
	unsigned bad = 0;

	for (size_t i = 0; i < ref->n_markers; i++) {
		const struct iasl_marker *mk = &ref->markers[i];

		if (mk->kind == IASL_MARK_UNKNOWN_SUBTABLE) {
			bool found = false;

			for (size_t j = 0; j < v->n_unknown; j++)
				found |= v->unknown[j].type == mk->type;
			if (!found) {
				printf("%s: iasl found unknown block type 0x%x, the decoder "
				       "did not\n", name, mk->type);
				bad++;
			}
		} else if (mk->kind == IASL_MARK_UNKNOWN_ENTRY) {
			const struct hv_ivhd_entry *e = find_entry(v, mk->offset);

			if (!e || e->known || e->type != mk->type || e->length != mk->length) {
				printf("%s: iasl found unknown entry 0x%x/%u at 0x%x, the "
				       "decoder did not\n", name, mk->type, mk->length,
				       mk->offset);
				bad++;
			}
		}
	}
	return bad;
}

static unsigned
check_one(const char *path, unsigned *ret_fields)
{
	_cleanup_free_ char *dsl_path = iasl_reference_path(path);
	_cleanup_free_ char *dsl = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct iasl_dump ref, mine = { 0 };
	struct hv_ivrs v;
	unsigned line = 0, bad;
	size_t len;
	int r;

	buf = read_table(path, &len);
	dsl = hv_test_read(dsl_path, NULL);
	if (iasl_parse(dsl, &ref, &line) < 0)
		fail_msg("%s: cannot parse line %u", dsl_path, line);

	r = hv_ivrs_parse(buf, len, &v);
	render_ivrs(&mine, &v);
	bad = iasl_compare(name, &ref, &mine);
	bad += check_markers(name, &ref, &v);

	if (!v.complete) {
		printf("%s: not decoded to the end\n", name);
		bad++;
	}
	for (size_t i = 0; i < v.issues.n; i++)
		if (v.issues.v[i].offset != 9) {
			printf("%s: issue: %s\n", name, v.issues.v[i].msg);
			bad++;
		}
	if (r != (v.header.checksum_valid == HV_TRI_YES ? 0 : -EBADMSG)) {
		printf("%s: parse returned %d\n", name, r);
		bad++;
	}
	/* every IVHD counted in exactly one IOMMU */
	for (size_t i = 0, sum = 0; i <= v.n_iommus; i++) {
		if (i == v.n_iommus) {
			if (sum != v.n_ivhd) {
				printf("%s: %zu IVHDs, %zu counted\n", name, v.n_ivhd, sum);
				bad++;
			}
			break;
		}
		sum += v.iommus[i].n_ivhd;
	}

	*ret_fields = (unsigned)ref.n_fields;
	iasl_dump_clear(&ref);
	iasl_dump_clear(&mine);
	hv_ivrs_clear(&v);
	return bad;
}

static void
test_corpus_matches_iasl(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };
	unsigned bad = 0, fields = 0;
	bool synthetic = false;

	iasl_list_tables(dir, &tables);
	assert_true(tables.n >= 20);
	for (size_t i = 0; i < tables.n; i++) {
		unsigned n = 0, b = check_one(tables.v[i], &n);

		print_message("%s: %u fields, %u disagreements\n",
			      strrchr(tables.v[i], '/') + 1, n, b);
		assert_true(n > 50);
		synthetic |= strstr(tables.v[i], "/synthetic-fwts/") != NULL;
		fields += n;
		bad += b;
	}
	print_message("%zu tables, %u fields compared with iasl\n", tables.n, fields);
	hv_strv_clear(&tables);
	assert_true(synthetic);
	assert_int_equal(bad, 0);
}

/* ---- facts on real tables ----------------------------------------------- */

/* Lenovo TC-S07 (Threadripper PRO): four IOMMUs, each as IVHD 10h + 11h. */
static void
test_four_iommus(void **state _unused_)
{
	static const struct {
		uint16_t device_id;
		uint64_t base;
	} want[] = {
		{ 0x6002, 0xce100000 }, { 0x4002, 0xc5100000 },
		{ 0x2002, 0xc4100000 }, { 0x0002, 0 },
	};
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_ivrs_range *g = NULL;
	struct hv_ivrs v;
	size_t len, idx = 99;

	buf = corpus_table("fwupd-test-firmware_Lenovo-TC-S07-IVRS-NOREMAP", &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	assert_string_equal(v.header.oem_table_id, "TC-S07  ");
	assert_int_equal(v.n_ivhd, 8);
	assert_int_equal(hv_ivrs_iommu_count(&v), 4);
	assert_false(v.ivinfo.dma_remap_sup);
	assert_true(v.ivinfo.efr_sup);
	for (size_t i = 0; i < HV_ELEMENTSOF(want); i++) {
		const struct hv_ivrs_iommu *m = &v.iommus[i];

		assert_int_equal(m->device_id, want[i].device_id);
		if (want[i].base)
			assert_int_equal(m->base_address, want[i].base);
		assert_int_equal(m->n_ivhd, 2);
		assert_int_equal(m->ivhd_types, 3);
		/* coverage from the 11h block, as Linux uses it */
		assert_int_equal(v.ivhd[m->ivhd].type, HV_IVRS_TYPE_IVHD_11);
		assert_int_equal(v.ivhd[m->ivhd].iommu, i);
		assert_int_equal(v.ivhd[2 * i].iommu, i);
	}
	/* 41:00.0 is behind the IOMMU at 40:00.2, 61:00.0 behind 60:00.2 */
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x4100, &idx, &g), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(g->first, 0x4008);
	assert_int_equal(g->last, 0x5ffe);
	assert_int_equal(g->entry_type, HV_IVHD_ENTRY_START);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x6100, &idx, NULL), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x2100, &idx, NULL), 0);
	assert_int_equal(idx, 2);
	/* the special devices' requester ids (IOAPICs) */
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x4001, &idx, &g), 0);
	assert_int_equal(idx, 1);
	assert_int_equal(g->entry_type, HV_IVHD_ENTRY_SPECIAL);
	/* the IOMMU itself is in no range; nor is another segment */
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x4002, &idx, NULL), -ENOENT);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 1, 0x4100, &idx, NULL), -ENOENT);
	hv_ivrs_clear(&v);
}

/* Most laptops: one IOMMU described three times (10h, 11h, 40h). */
static void
test_one_iommu_three_blocks(void **state _unused_)
{
	static const char *const tables[] = {
		"notebook_ASUS_TUF-Gaming-FX505DU_FX505DU_762913DF1149",
		"notebook_Framework_Laptop-16_4C9287F693BF",
		"notebook_System76_Pangolin_4F5C02C371C7",
		"notebook_HUAWEI_KLVL-WXX9_EC3A5551C690",
		"fwupd-test-firmware_Lenovo-TP-R1K-IVRS-REMAP",
		"desktop_GMKtec_NucBox-K6_429D41325B4F",
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(tables); i++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_ivrs v;
		size_t len;

		buf = corpus_table(tables[i], &len);
		assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
		assert_int_equal(v.n_ivhd, 3);
		assert_int_equal(hv_ivrs_iommu_count(&v), 1);
		assert_int_equal(v.iommus[0].device_id, 0x0002);
		assert_int_equal(v.iommus[0].ivhd_types, 7);
		assert_int_equal(v.ivhd[v.iommus[0].ivhd].type, HV_IVRS_TYPE_IVHD_40);
		assert_int_equal(v.ivinfo.pa_size, 48);
		assert_int_equal(v.ivinfo.va_size, 64);
		assert_int_equal(v.ivinfo.gva_size, 2);
		hv_ivrs_clear(&v);
	}
}

/*
 * Lenovo IdeaPad Slim 3: an undocumented block type 0x51 after the IVHD
 * 40h (iasl stops there; the decoder keeps it raw), an IVMD exclusion
 * range, and four ACPI HID entries sharing device id 00A5.
 */
static void
test_slim3_quirks(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_ivhd *h;
	struct hv_ivrs v;
	size_t len, n_hid = 0;

	buf = corpus_table("notebook_Lenovo_IdeaPad-Slim-3-15ABR8-82XM_F9685D1E4132",
			   &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	assert_true(v.complete);
	assert_int_equal(v.ivinfo.raw, 0x00203043);
	assert_true(v.ivinfo.efr_sup);
	assert_true(v.ivinfo.dma_remap_sup);
	assert_false(v.ivinfo.ht_ats_resv);

	assert_int_equal(v.n_unknown, 1);
	assert_int_equal(v.unknown[0].type, 0x51);
	assert_int_equal(v.unknown[0].offset, 0x1c4);
	assert_int_equal(v.unknown[0].length, 0x20);
	assert_int_equal(v.unknown[0].data[0], 0x51);

	assert_int_equal(v.n_ivmd, 1);
	assert_int_equal(v.ivmd[0].type, HV_IVRS_TYPE_IVMD_ONE);
	assert_string_equal(hv_ivmd_type_to_string(v.ivmd[0].type), "ivmd_one");
	assert_int_equal(v.ivmd[0].flags, HV_IVMD_FLAG_EXCLUSION);
	assert_int_equal(v.ivmd[0].device_id, 0x0300);
	assert_int_equal(v.ivmd[0].first_device_id, 0x0300);
	assert_int_equal(v.ivmd[0].last_device_id, 0x0300);
	assert_int_equal(v.ivmd[0].start_address, 0xccd42000);
	assert_int_equal(v.ivmd[0].memory_length, 0x26000);

	assert_int_equal(hv_ivrs_iommu_count(&v), 1);
	h = &v.ivhd[v.iommus[0].ivhd];
	assert_int_equal(h->type, HV_IVRS_TYPE_IVHD_40);
	assert_int_equal(h->efr_image, 0x206d73ef22254adeULL);
	assert_int_equal(h->attributes, 0x00040200);
	assert_int_equal(hv_ivhd_msi_number(h), 0);
	for (size_t j = 0; j < h->n_entries; j++) {
		const struct hv_ivhd_entry *e = &h->entries[j];
		char want[16];

		if (e->type != HV_IVHD_ENTRY_ACPI_HID)
			continue;
		snprintf(want, sizeof(want), "\\_SB.FUR%zu", n_hid);
		assert_int_equal(e->device_id, 0x00a5);
		assert_string_equal(e->hid, "AMDI0020");
		assert_false(e->hid_is_integer);
		assert_true(e->cid_is_integer);
		assert_int_equal(e->cid_raw, 0);
		assert_int_equal(e->uid_format, HV_IVHD_UID_STRING);
		assert_int_equal(e->length, 22 + 9);
		assert_string_equal(e->uid, want);
		n_hid++;
	}
	assert_int_equal(n_hid, 4);
	hv_ivrs_clear(&v);
}

/*
 * ASUS Zenbook S 16: an IVMD unity range for 00:0c.0 and an exclusion range
 * for C4:00.7; an ACPI HID entry MSFT0201 with an integer UID (where iasl
 * stops: "subtable terminates early").
 */
static void
test_zenbook(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_ivrs_range *g = NULL;
	const struct hv_ivhd_entry *e;
	struct hv_ivrs v;
	size_t len, idx = 99;

	buf = corpus_table("notebook_ASUS_ASUS-Zenbook-S-16-UM5606WA_UM5606WA_4AF98851C2C6",
			   &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	assert_int_equal(v.n_ivmd, 2);
	assert_int_equal(v.ivmd[0].flags, HV_IVMD_FLAG_UNITY | HV_IVMD_FLAG_READ |
			 HV_IVMD_FLAG_WRITE);
	assert_int_equal(v.ivmd[0].device_id, 0x0060);
	assert_int_equal(v.ivmd[0].start_address, 0x7d900000);
	assert_int_equal(v.ivmd[0].memory_length, 0x100000);
	assert_int_equal(v.ivmd[1].offset, 0xe8);
	assert_int_equal(v.ivmd[1].flags, HV_IVMD_FLAG_EXCLUSION);
	assert_int_equal(v.ivmd[1].device_id, 0xc407);
	assert_int_equal(v.ivmd[1].first_device_id, 0xc407);
	assert_int_equal(v.ivmd[1].last_device_id, 0xc407);
	assert_int_equal(v.ivmd[1].start_address, 0x75e00000);
	assert_int_equal(v.ivmd[1].memory_length, 0x20000);

	e = entry_at(&v, 0x1d8);
	assert_int_equal(e->type, HV_IVHD_ENTRY_ACPI_HID);
	assert_string_equal(e->hid, "MSFT0201");
	assert_int_equal(e->device_id, 0x0060);
	assert_int_equal(e->uid_format, HV_IVHD_UID_INTEGER);
	assert_int_equal(e->uid_length, 2);
	assert_int_equal(e->uid_integer, 1);
	assert_null(e->uid);
	assert_int_equal(e->length, 24);
	assert_int_equal(e->offset + e->length, v.header.length);

	/* coverage: 00:00.0 and the IOMMU itself are outside every range */
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0000, &idx, NULL), -ENOENT);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0002, &idx, NULL), -ENOENT);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0xc407, &idx, &g), 0);
	assert_int_equal(idx, 0);
	assert_int_equal(g->first, 0x0003);
	assert_int_equal(g->last, 0xfffe);
	/* FF00..FFFF are aliased to 00:14.5 */
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0xff05, &idx, &g), 0);
	assert_true(g->alias);
	assert_int_equal(g->alias_id, 0x00a5);
	assert_int_equal(g->entry_type, HV_IVHD_ENTRY_ALIAS_START);
	hv_ivrs_clear(&v);
}

/* The fwts tables (synthetic, hand-made to exercise every entry type):
 * all, select, alias select, extended entries, IVMD 20h and 22h, an
 * unknown 8-byte entry 0x44, a bad checksum and non-zero reserved bytes. */
static void
test_fwts_synthetic(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL, *buf2 = NULL;
	const struct hv_ivhd_entry *e;
	const struct hv_ivrs_range *g = NULL;
	struct hv_ivrs v;
	size_t len, idx;

	buf = corpus_table("synthetic-fwts/fwts-ivrs-0001_acpidump-0001_SYNTHETIC", &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	e = entry_at(&v, 0x68);
	assert_int_equal(e->type, HV_IVHD_ENTRY_EXT_SELECT);
	assert_int_equal(e->ext, 0x11223344);
	e = entry_at(&v, 0x58);
	assert_int_equal(e->type, HV_IVHD_ENTRY_ALIAS_SELECT);
	assert_int_equal(e->source_device_id, 0x00a5);
	assert_string_equal(hv_ivhd_entry_type_to_string(e->type), "alias_select");
	/* coverage comes from the 40h block, as Linux reads it: the "all"
	 * entry of the 11h block does not count, 00:00.4 is not covered */
	assert_int_equal(v.iommus[0].ivhd, 2);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0004, &idx, &g), -ENOENT);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0001, &idx, &g), 0);
	assert_int_equal(g->entry_type, HV_IVHD_ENTRY_SPECIAL);
	assert_int_equal(v.n_ivmd, 3);
	assert_int_equal(v.ivmd[0].type, HV_IVRS_TYPE_IVMD_ALL);
	assert_int_equal(v.ivmd[0].first_device_id, 0);
	assert_int_equal(v.ivmd[0].last_device_id, 0xffff);
	assert_int_equal(v.ivmd[2].type, HV_IVRS_TYPE_IVMD_RANGE);
	assert_int_equal(v.ivmd[2].first_device_id, v.ivmd[2].device_id);
	assert_int_equal(v.ivmd[2].last_device_id, v.ivmd[2].auxiliary_data);
	hv_ivrs_clear(&v);

	buf2 = corpus_table("synthetic-fwts/fwts-ivrs-0001_acpidump-0002_SYNTHETIC", &len);
	assert_int_equal(hv_ivrs_parse(buf2, len, &v), -EBADMSG);
	assert_true(v.complete);
	assert_int_equal(v.header.checksum_valid, HV_TRI_NO);
	assert_int_equal(v.header.checksum, 0x6c);
	assert_int_equal(v.header.checksum_expected, 0x37);
	assert_int_equal(v.issues.n, 1);
	assert_int_equal(v.issues.v[0].offset, 9);
	assert_int_equal(v.ivinfo.raw, 0x07203044);
	assert_false(v.ivinfo.efr_sup);
	assert_false(v.ivinfo.ht_ats_resv);
	assert_int_equal(v.ivinfo.va_size, 64);
	assert_int_equal(v.ivinfo.raw >> 23, 0x0e);	/* reserved bits set */
	assert_int_equal(v.reserved, 0x000000cc00000000ULL);
	assert_int_equal(v.n_ivmd, 3);
	assert_int_equal(v.ivmd[2].reserved, 0x0000ff0000000000ULL);
	e = entry_at(&v, 0x8c);
	assert_int_equal(e->type, 0x44);
	assert_false(e->known);
	assert_int_equal(e->length, 8);
	assert_null(hv_ivhd_entry_type_to_string(0x44));
	assert_int_equal(hv_ivrs_iommu_count(&v), 1);
	hv_ivrs_clear(&v);
}

/* ASUS TUF FX505DU: an ACPI HID entry (PNPD0040) without a UID, 22 bytes,
 * the last of the table. */
static void
test_hid_without_uid(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_ivhd_entry *e;
	struct hv_ivrs v;
	size_t len, idx;

	buf = corpus_table("notebook_ASUS_TUF-Gaming-FX505DU_FX505DU_762913DF1149", &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	e = entry_at(&v, 0x128);
	assert_int_equal(e->type, HV_IVHD_ENTRY_ACPI_HID);
	assert_string_equal(e->hid, "PNPD0040");
	assert_int_equal(e->device_id, 0x0099);
	assert_int_equal(e->data_setting, 0xf7);
	assert_int_equal(e->uid_format, HV_IVHD_UID_NONE);
	assert_int_equal(e->uid_length, 0);
	assert_null(e->uid);
	assert_int_equal(e->length, 22);
	assert_int_equal(e->offset + e->length, len);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0099, &idx, NULL), 0);
	hv_ivrs_clear(&v);
}

/* Old servers and desktops (RD890 chipsets): IVRS rev 1, IVHD 10h only. */
static void
test_rd890(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct hv_ivrs v;
	size_t len, idx, selects = 0;

	buf = corpus_table("server_Supermicro_H8DGU_57ED146F2C3C", &len);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), 0);
	assert_int_equal(v.header.revision, 1);
	assert_int_equal(v.ivinfo.raw, 0x00203400);
	assert_int_equal(v.ivinfo.pa_size, 52);
	assert_int_equal(v.n_ivhd, 1);
	assert_int_equal(v.iommus[0].ivhd_types, 1);
	for (size_t j = 0; j < v.ivhd[0].n_entries; j++)
		selects += v.ivhd[0].entries[j].type == HV_IVHD_ENTRY_SELECT;
	assert_int_equal(selects, 8);
	assert_int_equal(hv_ivrs_iommu_for_device(&v, 0, 0x0010, &idx, NULL), 0);
	hv_ivrs_clear(&v);
}

/* ---- hostile input ------------------------------------------------------ */

static void
test_bad_checksum(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_ivrs good, bad;
		size_t len;

		buf = read_table(tables.v[t], &len);
		(void)hv_ivrs_parse(buf, len, &good);
		buf[9] ^= 0x5a;
		if (buf[9] == good.header.checksum_expected)
			buf[9] ^= 0x01;
		assert_int_equal(hv_ivrs_parse(buf, len, &bad), -EBADMSG);
		assert_int_equal(bad.header.checksum_valid, HV_TRI_NO);
		assert_int_equal(bad.header.checksum_expected, good.header.checksum_expected);
		assert_true(bad.complete);
		assert_int_equal(bad.issues.n, 1);
		assert_int_equal(bad.issues.v[0].offset, 9);
		assert_int_equal(bad.n_ivhd, good.n_ivhd);
		assert_int_equal(bad.n_ivmd, good.n_ivmd);
		assert_int_equal(bad.n_iommus, good.n_iommus);
		hv_ivrs_clear(&good);
		hv_ivrs_clear(&bad);
	}
	hv_strv_clear(&tables);
}

static void
test_truncated(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		_cleanup_free_ struct item *full_items = NULL;
		struct hv_ivrs full;
		size_t len, n_full;

		buf = read_table(tables.v[t], &len);
		(void)hv_ivrs_parse(buf, len, &full);
		assert_true(full.complete);
		full_items = items_of(&full, &n_full);

		for (size_t cut = 0; cut < len; cut++) {
			_cleanup_free_ uint8_t *copy = malloc(cut ? cut : 1);
			_cleanup_free_ struct item *items = NULL;
			struct hv_ivrs v;
			size_t n, want = 0;

			assert_non_null(copy);
			memcpy(copy, buf, cut);
			assert_int_equal(hv_ivrs_parse(copy, cut, &v), -EBADMSG);
			assert_false(v.complete);
			if (!has_issue_at(&v.issues, cut)) {
				print_issues(tables.v[t], &v.issues);
				fail_msg("%s cut at %zu: no issue names the cut", tables.v[t], cut);
			}
			items = items_of(&v, &n);
			for (size_t i = 0; i < n_full; i++)
				if (cut >= HV_IVRS_HEADER_SIZE &&
				    full_items[i].offset + full_items[i].length <= cut)
					want++;
			assert_int_equal(n, want);
			for (size_t i = 0; i < n; i++) {
				assert_int_equal(items[i].offset, full_items[i].offset);
				assert_int_equal(items[i].kind, full_items[i].kind);
				if (items[i].kind == 'h')
					assert_int_equal(v.ivhd[items[i].index].n_entries,
							 full.ivhd[full_items[i].index].n_entries);
			}
			if (want < n_full && cut >= HV_IVRS_HEADER_SIZE &&
			    full_items[want].offset < cut)
				assert_true(has_issue_at(&v.issues, full_items[want].offset));
			hv_ivrs_clear(&v);
		}
		hv_ivrs_clear(&full);
	}
	hv_strv_clear(&tables);
}

static void
test_block_lengths(void **state _unused_)
{
	static const uint16_t bad_lengths[] = { 0, 1, 3, 0xffff };
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		_cleanup_free_ struct item *full_items = NULL;
		struct hv_ivrs full;
		size_t len, n_full;

		buf = read_table(tables.v[t], &len);
		(void)hv_ivrs_parse(buf, len, &full);
		full_items = items_of(&full, &n_full);
		for (size_t i = 0; i < n_full; i++)
			for (size_t k = 0; k < HV_ELEMENTSOF(bad_lengths); k++) {
				_cleanup_free_ uint8_t *copy = malloc(len);
				_cleanup_free_ struct item *items = NULL;
				uint32_t o = full_items[i].offset;
				struct hv_ivrs v;
				size_t n;

				assert_non_null(copy);
				memcpy(copy, buf, len);
				copy[o + 2] = (uint8_t)bad_lengths[k];
				copy[o + 3] = (uint8_t)(bad_lengths[k] >> 8);
				assert_int_equal(hv_ivrs_parse(copy, len, &v), -EBADMSG);
				assert_false(v.complete);
				if (!has_issue_at(&v.issues, o)) {
					print_issues(tables.v[t], &v.issues);
					fail_msg("%s: length %u at 0x%x not named", tables.v[t],
						 bad_lengths[k], o);
				}
				items = items_of(&v, &n);
				assert_int_equal(n, i);
				hv_ivrs_clear(&v);
			}
		hv_ivrs_clear(&full);
	}
	hv_strv_clear(&tables);
}

/* Every F0h entry's UID length set to run past its block: the entries
 * before it are kept, the block and the rest of the table decode on. */
static void
test_uid_overrun(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };
	unsigned tried = 0;

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_ivrs full;
		size_t len;

		buf = read_table(tables.v[t], &len);
		(void)hv_ivrs_parse(buf, len, &full);
		for (size_t i = 0; i < full.n_ivhd; i++)
			for (size_t j = 0; j < full.ivhd[i].n_entries; j++) {
				const struct hv_ivhd_entry *e = &full.ivhd[i].entries[j];
				_cleanup_free_ uint8_t *copy = NULL;
				struct hv_ivrs v;

				if (e->type != HV_IVHD_ENTRY_ACPI_HID)
					continue;
				copy = malloc(len);
				assert_non_null(copy);
				memcpy(copy, buf, len);
				copy[e->offset + 21] = 0xff;
				assert_int_equal(hv_ivrs_parse(copy, len, &v), -EBADMSG);
				assert_true(v.complete);
				assert_true(has_issue_at(&v.issues, e->offset));
				assert_int_equal(v.n_ivhd, full.n_ivhd);
				assert_int_equal(v.n_ivmd, full.n_ivmd);
				assert_int_equal(v.n_unknown, full.n_unknown);
				assert_int_equal(ivhd_at(&v, i)->n_entries, j);
				assert_int_equal(hv_ivrs_iommu_count(&v),
						 hv_ivrs_iommu_count(&full));
				hv_ivrs_clear(&v);
				tried++;
			}
		hv_ivrs_clear(&full);
	}
	assert_true(tried >= 40);
	hv_strv_clear(&tables);
}

/* Every device entry turned into an unknown variable-size type (0x81), and
 * every 4-byte entry into an 8-byte one where that overruns the block: an
 * issue at the entry, the rest of the block skipped, the table goes on. */
static void
test_entry_types(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/ivrs");
	struct hv_strv tables = { 0 };
	unsigned tried = 0;

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_ivrs full;
		size_t len;

		buf = read_table(tables.v[t], &len);
		(void)hv_ivrs_parse(buf, len, &full);
		for (size_t i = 0; i < full.n_ivhd; i++) {
			const struct hv_ivhd *h = &full.ivhd[i];

			for (size_t j = 0; j < h->n_entries; j++) {
				const struct hv_ivhd_entry *e = &h->entries[j];
				_cleanup_free_ uint8_t *copy = malloc(len);
				struct hv_ivrs v;

				assert_non_null(copy);
				memcpy(copy, buf, len);
				copy[e->offset] = 0x81;
				assert_int_equal(hv_ivrs_parse(copy, len, &v), -EBADMSG);
				assert_true(v.complete);
				assert_true(has_issue_at(&v.issues, e->offset));
				assert_int_equal(ivhd_at(&v, i)->n_entries, j + 1);
				assert_false(ivhd_at(&v, i)->entries[j].known);
				assert_int_equal(ivhd_at(&v, i)->entries[j].length,
						 h->offset + h->length - e->offset);
				assert_int_equal(v.n_ivhd, full.n_ivhd);
				hv_ivrs_clear(&v);
				tried++;
			}
			/* the last entry made 8 bytes long (or a 4-byte one) */
			if (h->n_entries > 0) {
				const struct hv_ivhd_entry *e = &h->entries[h->n_entries - 1];
				_cleanup_free_ uint8_t *copy = malloc(len);
				struct hv_ivrs v;

				assert_non_null(copy);
				memcpy(copy, buf, len);
				if (e->length == 4) {
					copy[e->offset] = HV_IVHD_ENTRY_EXT_SELECT;
					assert_int_equal(hv_ivrs_parse(copy, len, &v), -EBADMSG);
					assert_true(has_issue_at(&v.issues, e->offset));
					assert_int_equal(ivhd_at(&v, i)->n_entries,
							 h->n_entries - 1);
					hv_ivrs_clear(&v);
				}
			}
		}
		hv_ivrs_clear(&full);
	}
	assert_true(tried > 500);
	hv_strv_clear(&tables);
}

static void
test_malformed_headers(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	_cleanup_free_ uint8_t *big = NULL;
	struct hv_ivrs v;
	size_t len;

	buf = corpus_table("desktop_ASRock_970M-Pro3_75A2DB3F503A", &len);

	assert_int_equal(hv_ivrs_parse(NULL, 0, &v), -EBADMSG);
	assert_int_equal(v.issues.n, 1);
	hv_ivrs_clear(&v);

	memcpy(buf, "DMAR", 4);
	assert_int_equal(hv_ivrs_parse(buf, len, &v), -EBADMSG);
	assert_non_null(strstr(v.issues.v[0].msg, "signature"));
	assert_int_equal(v.n_ivhd, 0);
	hv_ivrs_clear(&v);
	memcpy(buf, "IVRS", 4);

	buf[4] = 20;
	buf[5] = 0;
	assert_int_equal(hv_ivrs_parse(buf, len, &v), -EBADMSG);
	assert_int_equal(v.issues.v[0].offset, 4);
	hv_ivrs_clear(&v);

	buf[4] = 44;
	assert_int_equal(hv_ivrs_parse(buf, 44, &v), -EBADMSG);
	assert_false(v.complete);
	hv_ivrs_clear(&v);

	buf[4] = 48;
	buf[9] = 0;
	buf[9] = (uint8_t)-hv_acpi_sum(buf, 48);
	assert_int_equal(hv_ivrs_parse(buf, 48, &v), 0);
	assert_true(v.complete);
	assert_int_equal(hv_ivrs_iommu_count(&v), 0);
	hv_ivrs_clear(&v);

	big = calloc(1, HV_ACPI_TABLE_MAX + 1);
	assert_non_null(big);
	memcpy(big, "IVRS", 4);
	assert_int_equal(hv_ivrs_parse(big, HV_ACPI_TABLE_MAX + 1, &v), -E2BIG);
	hv_ivrs_clear(&v);
	hv_ivrs_clear(NULL);
}

/*
 * More IVHD blocks than HV_IVRS_IVHD_MAX: a table made of one real 24-byte
 * IVHD 10h (the ASRock 970M's header, without its entries) repeated; the
 * walk stops at the cap with an issue, and the count of IOMMUs stays 1.
 */
static void
test_ivhd_cap(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL, *big = NULL;
	size_t len, n = HV_IVRS_IVHD_MAX + 10, total = 48 + 24 * n;
	struct hv_ivrs v;

	buf = corpus_table("desktop_ASRock_970M-Pro3_75A2DB3F503A", &len);
	big = calloc(1, total);
	assert_non_null(big);
	memcpy(big, buf, 48);
	big[4] = (uint8_t)total;
	big[5] = (uint8_t)(total >> 8);
	big[6] = (uint8_t)(total >> 16);
	for (size_t i = 0; i < n; i++) {
		memcpy(big + 48 + 24 * i, buf + 48, 24);
		big[48 + 24 * i + 2] = 24;
		big[48 + 24 * i + 3] = 0;
	}
	big[9] = 0;
	big[9] = (uint8_t)-hv_acpi_sum(big, total);
	assert_int_equal(hv_ivrs_parse(big, total, &v), -EBADMSG);
	assert_int_equal(v.n_ivhd, HV_IVRS_IVHD_MAX);
	assert_int_equal(v.issues.n, 1);
	assert_int_equal(v.issues.v[0].offset, 48 + 24 * HV_IVRS_IVHD_MAX);
	assert_int_equal(hv_ivrs_iommu_count(&v), 1);
	assert_int_equal(v.iommus[0].n_ivhd, HV_IVRS_IVHD_MAX);
	assert_int_equal(v.iommus[0].n_ranges, 0);
	hv_ivrs_clear(&v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_matches_iasl),
		cmocka_unit_test(test_four_iommus),
		cmocka_unit_test(test_one_iommu_three_blocks),
		cmocka_unit_test(test_slim3_quirks),
		cmocka_unit_test(test_zenbook),
		cmocka_unit_test(test_fwts_synthetic),
		cmocka_unit_test(test_hid_without_uid),
		cmocka_unit_test(test_rd890),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_block_lengths),
		cmocka_unit_test(test_uid_overrun),
		cmocka_unit_test(test_entry_types),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_ivhd_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
