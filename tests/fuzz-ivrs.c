/*
 * fuzz-ivrs.c -- libFuzzer harness for the IVRS decoder (src/ivrs.c): any
 * bytes must decode without a crash, a leak, undefined behaviour or a
 * broken invariant, and the IOMMU look-up must cope with the result.
 *
 * Built by tests/fuzz.sh and `make fuzz` with clang -fsanitize=fuzzer;
 * seeds are the real tables in tests/fuzz/ivrs/, regressions in
 * tests/fuzz/ivrs/regressions/.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv-acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz-ivrs: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static void
check_ivhd(const struct hv_ivrs *v, const struct hv_ivhd *h, size_t size)
{
	uint32_t end = h->offset + h->length, at;

	CHECK(h->offset >= HV_IVRS_HEADER_SIZE && end <= size);
	CHECK(h->iommu < v->n_iommus);
	at = h->offset + (h->type == HV_IVRS_TYPE_IVHD_10 ? 24 : 40);
	for (size_t j = 0; j < h->n_entries; j++) {
		const struct hv_ivhd_entry *e = &h->entries[j];

		/* entries are contiguous and inside their block */
		CHECK(e->offset == at && e->length > 0);
		CHECK(e->offset + e->length <= end);
		CHECK(e->known == (hv_ivhd_entry_type_to_string(e->type) != NULL));
		if (e->type == HV_IVHD_ENTRY_ACPI_HID) {
			CHECK(e->length == 22 + e->uid_length);
			CHECK(strlen(e->hid) <= 8 && strlen(e->cid) <= 8);
			CHECK(!e->uid || strlen(e->uid) <= e->uid_length);
		}
		at += e->length;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct hv_ivrs_range *g;
	struct hv_ivrs v;
	size_t idx;
	int r;

	r = hv_ivrs_parse(data, size, &v);
	CHECK(r == 0 || r == -EBADMSG || r == -E2BIG);
	CHECK(r != 0 || (v.issues.n == 0 && v.complete));
	CHECK(r == 0 || v.issues.n > 0);
	for (size_t i = 0; i < v.issues.n; i++)
		CHECK(v.issues.v[i].msg[0] != '\0' && v.issues.v[i].offset <= size);

	CHECK(v.n_ivhd <= HV_IVRS_IVHD_MAX);
	CHECK(v.n_iommus <= v.n_ivhd);
	for (size_t i = 0; i < v.n_ivhd; i++)
		check_ivhd(&v, &v.ivhd[i], size);
	for (size_t i = 0; i < v.n_ivmd; i++) {
		CHECK(v.ivmd[i].offset + v.ivmd[i].length <= size);
		(void)hv_ivmd_type_to_string(v.ivmd[i].type);
	}
	for (size_t i = 0; i < v.n_unknown; i++)
		CHECK(v.unknown[i].offset + v.unknown[i].length <= size &&
		      memcmp(v.unknown[i].data, data + v.unknown[i].offset,
			     v.unknown[i].length) == 0);
	for (size_t i = 0; i < v.n_iommus; i++) {
		const struct hv_ivrs_iommu *m = &v.iommus[i];

		CHECK(m->ivhd < v.n_ivhd && v.ivhd[m->ivhd].iommu == i);
		CHECK(m->n_ivhd >= 1);
		for (size_t j = 0; j < m->n_ranges; j++)
			CHECK(m->ranges[j].first <= m->ranges[j].last);
	}
	CHECK(hv_ivrs_iommu_count(&v) == v.n_iommus);
	for (unsigned id = 0; id < 0x10000; id += 0x0ff1)
		if (hv_ivrs_iommu_for_device(&v, 0, (uint16_t)id, &idx, &g) == 0)
			CHECK(idx < v.n_iommus && g->first <= id && id <= g->last);
	hv_ivrs_clear(&v);
	return 0;
}
