/*
 * fuzz-dmar.c -- libFuzzer harness for the DMAR decoder (src/dmar.c): any
 * bytes must decode without a crash, a leak, undefined behaviour or a
 * broken invariant, and the helpers must cope with whatever was decoded.
 *
 * Built by tests/fuzz.sh and `make fuzz` with clang -fsanitize=fuzzer;
 * seeds are the real tables in tests/fuzz/dmar/, regressions in
 * tests/fuzz/dmar/regressions/.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hv-acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz-dmar: %s:%d: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* A topology where every bridge leads to the next bus. */
static int
next_bus(void *userdata, uint16_t segment, uint16_t bdf, uint8_t *ret_secondary,
	 uint8_t *ret_subordinate)
{
	unsigned *calls = userdata;

	(*calls)++;
	if (segment & 1)
		return -ENOENT;
	*ret_secondary = (uint8_t)((bdf >> 8) + 1);
	*ret_subordinate = (uint8_t)((bdf >> 8) + 2);
	return 0;
}

static void
check_scopes(const struct hv_dmar_scope *s, size_t n, uint32_t off, uint16_t len,
	     uint16_t segment)
{
	unsigned calls = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t bdf;
		int r;

		CHECK(s[i].offset >= off && s[i].offset + s[i].length <= off + len);
		CHECK(s[i].length >= 6);
		CHECK(s[i].n_path == (size_t)(s[i].length - 6) / 2);
		CHECK(s[i].n_path == 0 || s[i].path);
		r = hv_dmar_scope_resolve(&s[i], segment, next_bus, &calls, &bdf);
		CHECK(r == 0 || r == -EINVAL || r == -ELOOP || r == -ENOENT);
		CHECK(calls <= HV_DMAR_SCOPE_DEPTH_MAX * (i + 1));
		(void)hv_dmar_scope_type_to_string(s[i].type);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_dmar d;
	unsigned calls = 0;
	size_t idx, total;
	int r;

	r = hv_dmar_parse(data, size, &d);
	CHECK(r == 0 || r == -EBADMSG || r == -E2BIG);
	CHECK(r != 0 || (d.issues.n == 0 && d.complete));
	CHECK(r == 0 || d.issues.n > 0);
	CHECK(d.issues.n <= HV_ACPI_ISSUES_MAX);
	for (size_t i = 0; i < d.issues.n; i++)
		CHECK(d.issues.v[i].msg[0] != '\0' && d.issues.v[i].offset <= size);

	total = d.n_drhd + d.n_rmrr + d.n_atsr + d.n_rhsa + d.n_andd + d.n_satc +
		d.n_sidp + d.n_unknown;
	CHECK(total <= size / 4);
	for (size_t i = 0; i < d.n_drhd; i++) {
		const struct hv_dmar_drhd *u = &d.drhd[i];

		CHECK(u->offset >= HV_DMAR_HEADER_SIZE && u->offset + u->length <= size);
		CHECK(hv_dmar_drhd_register_size(u) >= 4096);
		check_scopes(u->scopes, u->n_scopes, u->offset, u->length, u->segment);
	}
	for (size_t i = 0; i < d.n_rmrr; i++)
		check_scopes(d.rmrr[i].scopes, d.rmrr[i].n_scopes, d.rmrr[i].offset,
			     d.rmrr[i].length, d.rmrr[i].segment);
	for (size_t i = 0; i < d.n_atsr; i++)
		check_scopes(d.atsr[i].scopes, d.atsr[i].n_scopes, d.atsr[i].offset,
			     d.atsr[i].length, d.atsr[i].segment);
	for (size_t i = 0; i < d.n_satc; i++)
		check_scopes(d.satc[i].scopes, d.satc[i].n_scopes, d.satc[i].offset,
			     d.satc[i].length, d.satc[i].segment);
	for (size_t i = 0; i < d.n_sidp; i++)
		check_scopes(d.sidp[i].scopes, d.sidp[i].n_scopes, d.sidp[i].offset,
			     d.sidp[i].length, d.sidp[i].segment);
	for (size_t i = 0; i < d.n_andd; i++)
		CHECK(strlen(d.andd[i].acpi_object_name) + 8 <= d.andd[i].length);
	for (size_t i = 0; i < d.n_unknown; i++)
		CHECK(d.unknown[i].offset + d.unknown[i].length <= size &&
		      memcmp(d.unknown[i].data, data + d.unknown[i].offset,
			     d.unknown[i].length) == 0);

	CHECK(hv_dmar_iommu_count(&d) == d.n_drhd);
	(void)hv_dmar_include_all(&d, 0);
	for (unsigned bdf = 0; bdf < 0x10000; bdf += 0x0fff)
		if (hv_dmar_unit_for_device(&d, 0, (uint16_t)bdf, next_bus, &calls,
					    &idx) == 0)
			CHECK(idx < d.n_drhd);
	hv_dmar_clear(&d);
	return 0;
}
