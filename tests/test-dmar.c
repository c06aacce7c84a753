/*
 * test-dmar.c -- the DMAR decoder (src/dmar.c, src/acpi-table.c) against
 * every real table of the corpus and iasl's disassembly of each, then on
 * truncated, corrupted and hostile versions of them.
 *
 * Every table under acpi/dmar/ of the corpus (tests/corpus, or
 * $HV_CORPUS_DIR) is decoded, rendered into iasl's (offset, field, value)
 * records and compared both ways with its *.iasl-20260408.dsl; the
 * directory is read, so a table added later is tested too. Corrupted inputs
 * are made from those real tables, byte by byte.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hv-acpi.h"
#include "hv-test.h"
#include "iasl.h"

/* ---- reading tables ---------------------------------------------------- */

static uint8_t *
read_table(const char *path, size_t *ret_len)
{
	return (uint8_t *)hv_test_read(path, ret_len);
}

/* A corpus table by base name (without ".dmar.dat"). */
static uint8_t *
corpus_table(const char *base, size_t *ret_len)
{
	_cleanup_free_ char *rel = hv_asprintf("acpi/dmar/%s.dmar.dat", base);
	_cleanup_free_ char *path = NULL;

	assert_non_null(rel);
	path = hv_test_corpus(rel);
	return read_table(path, ret_len);
}

/* ---- every structure, in table order ----------------------------------- */

struct item {
	uint32_t offset;
	uint16_t type;
	uint16_t length;
	size_t index;			/* in the array of its kind */
	bool raw;			/* in d->unknown */
};

static int
cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static struct item *
items_of(const struct hv_dmar *d, size_t *ret_n)
{
	size_t n = d->n_drhd + d->n_rmrr + d->n_atsr + d->n_rhsa + d->n_andd +
		   d->n_satc + d->n_sidp + d->n_unknown, k = 0;
	struct item *v = calloc(n ? n : 1, sizeof(*v));

	assert_non_null(v);
#define ADD(arr, cnt, t)						\
	for (size_t i = 0; i < d->cnt; i++)				\
		v[k++] = (struct item){ d->arr[i].offset, (t),		\
					d->arr[i].length, i, false }
	ADD(drhd, n_drhd, HV_DMAR_TYPE_DRHD);
	ADD(rmrr, n_rmrr, HV_DMAR_TYPE_RMRR);
	ADD(atsr, n_atsr, HV_DMAR_TYPE_ATSR);
	ADD(rhsa, n_rhsa, HV_DMAR_TYPE_RHSA);
	ADD(andd, n_andd, HV_DMAR_TYPE_ANDD);
	ADD(satc, n_satc, HV_DMAR_TYPE_SATC);
	ADD(sidp, n_sidp, HV_DMAR_TYPE_SIDP);
#undef ADD
	for (size_t i = 0; i < d->n_unknown; i++)
		v[k++] = (struct item){ d->unknown[i].offset, d->unknown[i].type,
					d->unknown[i].length, i, true };
	qsort(v, n, sizeof(*v), cmp_item);
	*ret_n = n;
	return v;
}

/* The device scopes of the structure it, or NULL. */
static const struct hv_dmar_scope *
scopes_of(const struct hv_dmar *d, const struct item *it, size_t *ret_n)
{
	*ret_n = 0;
	if (it->raw)
		return NULL;
	switch (it->type) {
	case HV_DMAR_TYPE_DRHD:
		*ret_n = d->drhd[it->index].n_scopes;
		return d->drhd[it->index].scopes;
	case HV_DMAR_TYPE_RMRR:
		*ret_n = d->rmrr[it->index].n_scopes;
		return d->rmrr[it->index].scopes;
	case HV_DMAR_TYPE_ATSR:
		*ret_n = d->atsr[it->index].n_scopes;
		return d->atsr[it->index].scopes;
	case HV_DMAR_TYPE_SATC:
		*ret_n = d->satc[it->index].n_scopes;
		return d->satc[it->index].scopes;
	case HV_DMAR_TYPE_SIDP:
		*ret_n = d->sidp[it->index].n_scopes;
		return d->sidp[it->index].scopes;
	default:
		return NULL;
	}
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

/* ---- rendering as iasl prints it --------------------------------------- */

static void
render_scopes(struct iasl_dump *m, const struct hv_dmar_scope *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t o = s[i].offset;

		iasl_add(m, o, 1, "Device Scope Type", "%02X", s[i].type);
		iasl_add(m, o + 1, 1, "Entry Length", "%02X", s[i].length);
		iasl_add(m, o + 2, 1, "Flags", "%02X", s[i].flags);
		iasl_add(m, o + 3, 1, "Reserved", "%02X", s[i].reserved);
		iasl_add(m, o + 4, 1, "Enumeration ID", "%02X", s[i].enumeration_id);
		iasl_add(m, o + 5, 1, "PCI Bus Number", "%02X", s[i].start_bus_number);
		for (size_t j = 0; j < s[i].n_path; j++)
			iasl_add(m, o + 6 + 2 * (uint32_t)j, 2, "PCI Path", "%02X,%02X",
				 s[i].path[j].device, s[i].path[j].function);
	}
}

static void
render_dmar(struct iasl_dump *m, const struct hv_dmar *d)
{
	_cleanup_free_ struct item *items = NULL;
	char reserved[3 * sizeof(d->reserved)];
	size_t n;

	iasl_render_header(m, &d->header);
	iasl_add(m, 36, 1, "Host Address Width", "%02X", d->host_address_width);
	iasl_add(m, 37, 1, "Flags", "%02X", d->flags);
	for (size_t i = 0; i < sizeof(d->reserved); i++)
		snprintf(reserved + 3 * i, sizeof(reserved) - 3 * i, "%02X%s",
			 d->reserved[i], i + 1 < sizeof(d->reserved) ? " " : "");
	iasl_add(m, 38, 10, "Reserved", "%s", reserved);

	items = items_of(d, &n);
	for (size_t i = 0; i < n; i++) {
		const struct item *it = &items[i];
		uint32_t o = it->offset;

		iasl_add(m, o, 2, "Subtable Type", "%04X", it->type);
		iasl_add(m, o + 2, 2, "Length", "%04X", it->length);
		if (it->raw)
			continue;
		switch (it->type) {
		case HV_DMAR_TYPE_DRHD: {
			const struct hv_dmar_drhd *u = &d->drhd[it->index];

			iasl_add(m, o + 4, 1, "Flags", "%02X", u->flags);
			iasl_add(m, o + 5, 1, "Size (decoded below)", "%02X", u->size);
			iasl_add_sub(m, "Size (pages, log2)", "%X", u->size & 0x0f);
			iasl_add(m, o + 6, 2, "PCI Segment Number", "%04X", u->segment);
			iasl_add(m, o + 8, 8, "Register Base Address", "%016" PRIX64,
				 u->register_base_address);
			render_scopes(m, u->scopes, u->n_scopes);
			break;
		}
		case HV_DMAR_TYPE_RMRR: {
			const struct hv_dmar_rmrr *r = &d->rmrr[it->index];

			iasl_add(m, o + 4, 2, "Reserved", "%04X", r->reserved);
			iasl_add(m, o + 6, 2, "PCI Segment Number", "%04X", r->segment);
			iasl_add(m, o + 8, 8, "Base Address", "%016" PRIX64, r->base_address);
			iasl_add(m, o + 16, 8, "End Address (limit)", "%016" PRIX64,
				 r->limit_address);
			render_scopes(m, r->scopes, r->n_scopes);
			break;
		}
		case HV_DMAR_TYPE_ATSR: {
			const struct hv_dmar_atsr *a = &d->atsr[it->index];

			iasl_add(m, o + 4, 1, "Flags", "%02X", a->flags);
			iasl_add(m, o + 5, 1, "Reserved", "%02X", a->reserved);
			iasl_add(m, o + 6, 2, "PCI Segment Number", "%04X", a->segment);
			render_scopes(m, a->scopes, a->n_scopes);
			break;
		}
		case HV_DMAR_TYPE_RHSA: {
			const struct hv_dmar_rhsa *h = &d->rhsa[it->index];

			iasl_add(m, o + 4, 4, "Reserved", "%08X", h->reserved);
			iasl_add(m, o + 8, 8, "Base Address", "%016" PRIX64,
				 h->register_base_address);
			iasl_add(m, o + 16, 4, "Proximity Domain", "%08X", h->proximity_domain);
			break;
		}
		case HV_DMAR_TYPE_ANDD: {
			const struct hv_dmar_andd *a = &d->andd[it->index];

			iasl_add(m, o + 4, 3, "Reserved", "%06X", a->reserved);
			iasl_add(m, o + 7, 1, "Device Number", "%02X", a->acpi_device_number);
			iasl_add(m, o + 8, (uint32_t)strlen(a->acpi_object_name) + 1,
				 "Device Name", "\"%s\"", a->acpi_object_name);
			break;
		}
		case HV_DMAR_TYPE_SATC: {
			const struct hv_dmar_satc *s = &d->satc[it->index];

			iasl_add(m, o + 4, 1, "Flags", "%02X", s->flags);
			iasl_add(m, o + 5, 1, "Reserved", "%02X", s->reserved);
			iasl_add(m, o + 6, 2, "PCI Segment Number", "%04X", s->segment);
			render_scopes(m, s->scopes, s->n_scopes);
			break;
		}
		case HV_DMAR_TYPE_SIDP: {
			const struct hv_dmar_sidp *s = &d->sidp[it->index];

			iasl_add(m, o + 4, 2, "Reserved", "%04X", s->reserved);
			iasl_add(m, o + 6, 2, "PCI Segment Number", "%04X", s->segment);
			render_scopes(m, s->scopes, s->n_scopes);
			break;
		}
		default:
			fail_msg("structure type %u not rendered", it->type);
		}
	}
}

/* ---- the corpus against iasl ------------------------------------------- */

static unsigned
check_one(const char *path, unsigned *ret_fields)
{
	_cleanup_free_ char *dsl_path = iasl_reference_path(path);
	_cleanup_free_ char *dsl = NULL;
	_cleanup_free_ uint8_t *buf = NULL;
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct iasl_dump ref, mine = { 0 };
	struct hv_dmar d;
	unsigned line = 0, bad;
	size_t len;
	int r;

	buf = read_table(path, &len);
	dsl = hv_test_read(dsl_path, NULL);
	if (iasl_parse(dsl, &ref, &line) < 0)
		fail_msg("%s: cannot parse line %u", dsl_path, line);

	r = hv_dmar_parse(buf, len, &d);
	render_dmar(&mine, &d);
	bad = iasl_compare(name, &ref, &mine);

	/* iasl's messages: an unknown structure must be one we kept raw */
	for (size_t i = 0; i < ref.n_markers; i++) {
		const struct iasl_marker *mk = &ref.markers[i];
		bool found = false;

		if (mk->kind != IASL_MARK_UNKNOWN_SUBTABLE)
			continue;
		for (size_t j = 0; j < d.n_unknown; j++)
			found |= d.unknown[j].type == mk->type;
		if (!found) {
			printf("%s: iasl found unknown type 0x%x, the decoder did not\n",
			       name, mk->type);
			bad++;
		}
	}

	/* a real table decodes completely; only a bad checksum is an issue */
	if (!d.complete) {
		printf("%s: not decoded to the end\n", name);
		bad++;
	}
	for (size_t i = 0; i < d.issues.n; i++)
		if (d.issues.v[i].offset != 9) {
			printf("%s: issue: %s\n", name, d.issues.v[i].msg);
			bad++;
		}
	if (r != (d.header.checksum_valid == HV_TRI_YES ? 0 : -EBADMSG)) {
		printf("%s: parse returned %d\n", name, r);
		bad++;
	}

	*ret_fields = (unsigned)ref.n_fields;
	iasl_dump_clear(&ref);
	iasl_dump_clear(&mine);
	hv_dmar_clear(&d);
	return bad;
}

static void
test_corpus_matches_iasl(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/dmar");
	struct hv_strv tables = { 0 };
	unsigned bad = 0, fields = 0;

	iasl_list_tables(dir, &tables);
	assert_true(tables.n >= 40);
	for (size_t i = 0; i < tables.n; i++) {
		unsigned n = 0, b = check_one(tables.v[i], &n);

		print_message("%s: %u fields, %u disagreements\n",
			      strrchr(tables.v[i], '/') + 1, n, b);
		assert_true(n > 20);
		fields += n;
		bad += b;
	}
	print_message("%zu tables, %u fields compared with iasl\n", tables.n, fields);
	hv_strv_clear(&tables);
	assert_int_equal(bad, 0);
}

/* ---- facts on real tables ---------------------------------------------- */

/*
 * A test topology for the Supermicro X10DAi (two sockets): the root ports
 * 80:01.0 and 80:02.0 of its DRHD's sub-hierarchy scopes lead to buses
 * 81 and 82..83. Only the bus numbers are made up; the table is real.
 */
static int
x10dai_bridges(void *userdata, uint16_t segment, uint16_t bdf,
	       uint8_t *ret_secondary, uint8_t *ret_subordinate)
{
	unsigned *calls = userdata;

	(*calls)++;
	if (segment != 0)
		return -ENOENT;
	switch (bdf) {
	case 0x8008:			/* 80:01.0 */
		*ret_secondary = 0x81;
		*ret_subordinate = 0x81;
		return 0;
	case 0x8010:			/* 80:02.0 */
		*ret_secondary = 0x82;
		*ret_subordinate = 0x83;
		return 0;
	default:
		return -ENOENT;
	}
}

static void
test_x10dai(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_dmar_drhd *all;
	unsigned calls = 0;
	struct hv_dmar d;
	size_t len, idx = 99;
	uint16_t bdf = 0;

	buf = corpus_table("desktop_Supermicro_X10DAi_4A64A6094FE3", &len);
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_true(d.complete);
	assert_int_equal(d.header.checksum_valid, HV_TRI_YES);
	assert_string_equal(d.header.oem_id, "ALASKA");
	assert_string_equal(d.header.oem_table_id, "A M I ");
	assert_int_equal(d.host_address_width, 0x2d);
	assert_int_equal(hv_dmar_address_bits(&d), 46);
	assert_int_equal(d.flags, HV_DMAR_FLAG_INTR_REMAP);

	assert_int_equal(hv_dmar_iommu_count(&d), 3);
	assert_int_equal(d.drhd[0].offset, 0x30);
	assert_int_equal(d.drhd[0].n_scopes, 11);
	assert_int_equal(d.drhd[0].register_base_address, 0xfbffc000);
	assert_int_equal(d.drhd[1].register_base_address, 0xf3ffd000);
	all = hv_dmar_include_all(&d, 0);
	assert_ptr_equal(all, &d.drhd[2]);
	assert_int_equal(all->register_base_address, 0xf3ffc000);
	assert_int_equal(hv_dmar_drhd_register_size(all), 4096);
	assert_null(hv_dmar_include_all(&d, 1));

	/* an IOAPIC scope: IOAPIC id 1 at 80:05.4 */
	assert_int_equal(d.drhd[0].scopes[0].type, HV_DMAR_SCOPE_IOAPIC);
	assert_string_equal(hv_dmar_scope_type_to_string(d.drhd[0].scopes[0].type),
			    "ioapic");
	assert_int_equal(d.drhd[0].scopes[0].start_bus_number, 0x80);
	assert_int_equal(hv_dmar_scope_resolve(&d.drhd[0].scopes[0], 0, NULL, NULL,
					       &bdf), 0);
	assert_int_equal(bdf, 0x802c);

	assert_int_equal(d.n_rmrr, 1);
	assert_int_equal(d.rmrr[0].base_address, 0x7b461000);
	assert_int_equal(d.rmrr[0].limit_address, 0x7b470fff);
	assert_int_equal(d.rmrr[0].n_scopes, 3);
	assert_int_equal(d.rmrr[0].scopes[1].path[0].device, 0x1a);
	assert_int_equal(d.n_atsr, 1);
	assert_int_equal(d.atsr[0].flags & HV_DMAR_ATSR_ALL_PORTS, 0);
	assert_int_equal(d.atsr[0].n_scopes, 4);
	assert_int_equal(d.n_rhsa, 2);
	assert_int_equal(d.rhsa[1].register_base_address, 0xfbffc000);
	assert_int_equal(d.rhsa[1].proximity_domain, 1);

	/* which unit covers what */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x8200, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 0);			/* 82:00.0 behind 80:02.0 */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x8300, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 0);			/* 83:00.0, subordinate */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x8021, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 0);			/* 80:04.1, an endpoint */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x00d8, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 1);			/* 00:1b.0, audio */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x8400, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 2);			/* 84:00.0: the catch-all */
	assert_int_equal(hv_dmar_unit_for_device(&d, 0, 0x00f8, x10dai_bridges,
						 &calls, &idx), 0);
	assert_int_equal(idx, 2);			/* 00:1f.0 */
	assert_int_equal(hv_dmar_unit_for_device(&d, 1, 0x0000, x10dai_bridges,
						 &calls, &idx), -ENOENT);
	assert_true(calls > 0);
	hv_dmar_clear(&d);
}

/* A bridge 00:1c.4 with secondary bus 0x0b, for the ProLiant's scopes. */
static int
dl360_bridges(void *userdata _unused_, uint16_t segment, uint16_t bdf,
	      uint8_t *ret_secondary, uint8_t *ret_subordinate)
{
	if (segment == 0 && bdf == 0x00e4) {
		*ret_secondary = 0x0b;
		*ret_subordinate = 0x0b;
		return 0;
	}
	return -ENOENT;
}

static void
test_proliant_paths(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	const struct hv_dmar_scope *s = NULL;
	struct hv_dmar d;
	uint16_t bdf = 0;
	size_t len;

	buf = corpus_table("server_HP_ProLiant-DL360-G7_60DCEE46526A", &len);
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.flags, HV_DMAR_FLAG_X2APIC_OPT_OUT);
	assert_int_equal(d.n_drhd, 1);
	assert_true(d.drhd[0].flags & HV_DMAR_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(d.n_rmrr, 3);
	assert_int_equal(d.n_atsr, 1);

	/* the scope at 0xA8: 00:1c.4 -> 00.0, two path elements */
	for (size_t i = 0; i < d.n_rmrr; i++)
		for (size_t j = 0; j < d.rmrr[i].n_scopes; j++)
			if (d.rmrr[i].scopes[j].offset == 0xa8)
				s = &d.rmrr[i].scopes[j];
	if (!s) {
		fail_msg("no scope at 0xa8");
		return;
	}
	assert_int_equal(s->length, 10);
	assert_int_equal(s->n_path, 2);
	assert_int_equal(s->path[0].device, 0x1c);
	assert_int_equal(s->path[0].function, 4);
	assert_int_equal(hv_dmar_scope_resolve(s, 0, dl360_bridges, NULL, &bdf), 0);
	assert_int_equal(bdf, 0x0b00);
	/* no topology: the bridge cannot be followed */
	assert_int_equal(hv_dmar_scope_resolve(s, 0, NULL, NULL, &bdf), -ENOENT);
	assert_int_equal(hv_dmar_scope_resolve(s, 1, dl360_bridges, NULL, &bdf),
			 -ENOENT);
	hv_dmar_clear(&d);
}

static void
test_resolve_bounds(void **state _unused_)
{
	struct hv_dmar_path path[HV_DMAR_SCOPE_DEPTH_MAX + 1] = { { 0 } };
	struct hv_dmar_scope s = { .type = 1, .path = path };
	uint16_t bdf = 0x1234;

	s.n_path = 0;
	assert_int_equal(hv_dmar_scope_resolve(&s, 0, NULL, NULL, &bdf), -EINVAL);
	s.n_path = HV_DMAR_SCOPE_DEPTH_MAX + 1;
	assert_int_equal(hv_dmar_scope_resolve(&s, 0, dl360_bridges, NULL, &bdf),
			 -ELOOP);
	s.n_path = 1;
	path[0].device = 32;
	assert_int_equal(hv_dmar_scope_resolve(&s, 0, NULL, NULL, &bdf), -EINVAL);
	path[0].device = 31;
	path[0].function = 8;
	assert_int_equal(hv_dmar_scope_resolve(&s, 0, NULL, NULL, &bdf), -EINVAL);
	path[0].function = 7;
	s.start_bus_number = 0xff;
	assert_int_equal(hv_dmar_scope_resolve(&s, 0, NULL, NULL, &bdf), 0);
	assert_int_equal(bdf, 0xffff);
}

static void
test_flags_and_ids(void **state _unused_)
{
	static const struct {
		const char *base;
		uint8_t flags;
		const char *oem_id, *oem_table_id, *creator_id;
	} cases[] = {
		{ "fwupd-test-firmware_Dell-DMAR-platform-opt-in", 0x05,
		  "INTEL ", "Dell Inc", "    " },
		{ "fwupd-test-firmware_Dell-DMAR-OPTOUT", 0x01,
		  "INTEL ", "Dell Inc", "    " },
		/* blank OEM id, binary table id 01 00 .. 00, zero creator */
		{ "notebook_HP_EliteBook-6930p_D4ACF28F4822", 0x00,
		  "      ", " ", "" },
		/* table id "SNB " then NULs */
		{ "fwts-wmi-0001_Lenovo-ThinkPad-BIOS-TP-G2", 0x01,
		  "INTEL ", "SNB ", "INTL" },
		{ "tablet_Microsoft_Surface-Laptop-3_4E426AB8062D", 0x07,
		  "MSFT  ", "MSFT    ", "MSFT" },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_dmar d;
		size_t len;

		buf = corpus_table(cases[i].base, &len);
		assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
		assert_int_equal(d.flags, cases[i].flags);
		assert_string_equal(d.header.signature, "DMAR");
		assert_string_equal(d.header.oem_id, cases[i].oem_id);
		assert_string_equal(d.header.oem_table_id, cases[i].oem_table_id);
		assert_string_equal(d.header.creator_id, cases[i].creator_id);
		assert_int_equal(d.header.length, len);
		hv_dmar_clear(&d);
	}
}

static void
test_andd_satc_sidp(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL, *buf2 = NULL;
	struct hv_dmar d;
	size_t len;
	bool found = false;

	/* EVGA: two ANDD (I2C controllers) named by ACPI namespace scopes */
	buf = corpus_table("desktop_EVGA_140-SS-E177_564CE2E4142A", &len);
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.n_andd, 2);
	assert_int_equal(d.andd[0].acpi_device_number, 1);
	assert_string_equal(d.andd[0].acpi_object_name, "\\_SB.PCI0.I2C0");
	assert_int_equal(d.andd[1].acpi_device_number, 2);
	assert_string_equal(d.andd[1].acpi_object_name, "\\_SB.PCI0.I2C1");
	assert_string_equal(hv_dmar_type_to_string(HV_DMAR_TYPE_ANDD), "andd");
	for (size_t i = 0; i < d.n_drhd; i++)
		for (size_t j = 0; j < d.drhd[i].n_scopes; j++) {
			const struct hv_dmar_scope *s = &d.drhd[i].scopes[j];

			if (s->type == HV_DMAR_SCOPE_ACPI_NAMESPACE &&
			    s->enumeration_id == 2) {
				found = true;
				assert_string_equal(hv_dmar_scope_type_to_string(s->type),
						    "acpi_namespace_device");
			}
		}
	assert_true(found);
	hv_dmar_clear(&d);

	/* ASUS NUC14 (Meteor Lake): SATC with ATC_REQUIRED and SIDP */
	buf2 = corpus_table("minipc_ASUS_NUC14RVH-B_85078AD9A204", &len);
	assert_int_equal(hv_dmar_parse(buf2, len, &d), 0);
	assert_int_equal(hv_dmar_address_bits(&d), 42);
	assert_int_equal(d.flags, HV_DMAR_FLAG_INTR_REMAP |
			 HV_DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN);
	assert_int_equal(d.n_satc, 1);
	assert_int_equal(d.satc[0].offset, 0x68);
	assert_true(d.satc[0].flags & HV_DMAR_SATC_ATC_REQUIRED);
	assert_int_equal(d.satc[0].n_scopes, 2);
	assert_int_equal(d.satc[0].scopes[1].path[0].device, 0x0b);
	assert_int_equal(d.n_sidp, 1);
	assert_int_equal(d.sidp[0].n_scopes, 2);
	assert_int_equal(d.sidp[0].scopes[0].flags, 0x1f);
	assert_int_equal(d.sidp[0].scopes[1].flags, 0x1c);
	assert_int_equal(d.drhd[1].flags, HV_DMAR_DRHD_INCLUDE_PCI_ALL);
	assert_int_equal(d.drhd[0].size, 0);
	hv_dmar_clear(&d);
}

/*
 * The DRHD size byte. No table in the corpus has a non-zero one (the
 * Lunar Lake tables that do are not in it), so this sets it on a real
 * table (the NUC14's, whose DRHDs have 0) and fixes the checksum: bits 3:0
 * are log2 of the 4 KiB pages, bits 7:4 reserved.
 */
static void
test_drhd_size(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct hv_dmar d;
	size_t len;

	buf = corpus_table("minipc_ASUS_NUC14RVH-B_85078AD9A204", &len);
	assert_int_equal(buf[0x35], 0);
	buf[0x35] = 0x02;
	buf[0x4d] = 0xf1;
	buf[9] = (uint8_t)(buf[9] - 0x02 - 0xf1);
	assert_int_equal(hv_acpi_sum(buf, len), 0);
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.drhd[0].size, 2);
	assert_int_equal(hv_dmar_drhd_register_size(&d.drhd[0]), 16384);
	assert_int_equal(d.drhd[1].size, 0xf1);
	assert_int_equal(hv_dmar_drhd_register_size(&d.drhd[1]), 8192);
	hv_dmar_clear(&d);
}

/* ---- hostile input ------------------------------------------------------ */

/* A bad checksum is recorded, and everything is still decoded. */
static void
test_bad_checksum(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/dmar");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		struct hv_dmar good, bad;
		size_t len;
		uint8_t orig;

		buf = read_table(tables.v[t], &len);
		assert_int_equal(hv_dmar_parse(buf, len, &good), 0);
		orig = buf[9];
		buf[9] ^= 0x5a;
		assert_int_equal(hv_dmar_parse(buf, len, &bad), -EBADMSG);
		assert_int_equal(bad.header.checksum_valid, HV_TRI_NO);
		assert_int_equal(bad.header.checksum_expected, orig);
		assert_true(bad.complete);
		assert_int_equal(bad.issues.n, 1);
		assert_int_equal(bad.issues.v[0].offset, 9);
		assert_non_null(strstr(bad.issues.v[0].msg, "checksum"));
		assert_int_equal(bad.n_drhd, good.n_drhd);
		assert_int_equal(bad.n_rmrr, good.n_rmrr);
		assert_int_equal(bad.n_andd, good.n_andd);
		hv_dmar_clear(&good);
		hv_dmar_clear(&bad);
	}
	hv_strv_clear(&tables);
}

/* Every table cut at every length: the structures wholly before the cut are
 * kept, the cut is named, nothing else happens. */
static void
test_truncated(void **state _unused_)
{
	_cleanup_free_ char *dir = hv_test_corpus("acpi/dmar");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		_cleanup_free_ struct item *full_items = NULL;
		struct hv_dmar full;
		size_t len, n_full;

		buf = read_table(tables.v[t], &len);
		assert_int_equal(hv_dmar_parse(buf, len, &full), 0);
		full_items = items_of(&full, &n_full);

		for (size_t cut = 0; cut < len; cut++) {
			_cleanup_free_ uint8_t *copy = malloc(cut ? cut : 1);
			_cleanup_free_ struct item *items = NULL;
			struct hv_dmar d;
			size_t n, want = 0;

			assert_non_null(copy);
			memcpy(copy, buf, cut);
			assert_int_equal(hv_dmar_parse(copy, cut, &d), -EBADMSG);
			assert_false(d.complete);
			assert_true(d.issues.n > 0);
			if (!has_issue_at(&d.issues, cut)) {
				print_issues(tables.v[t], &d.issues);
				fail_msg("%s cut at %zu: no issue names the cut", tables.v[t], cut);
			}
			if (cut >= HV_ACPI_HEADER_SIZE)
				assert_int_equal(d.header.checksum_valid, HV_TRI_UNKNOWN);
			items = items_of(&d, &n);
			for (size_t i = 0; i < n_full; i++)
				if (cut >= HV_DMAR_HEADER_SIZE &&
				    full_items[i].offset + full_items[i].length <= cut)
					want++;
			assert_int_equal(n, want);
			for (size_t i = 0; i < n; i++) {
				size_t a, b;

				assert_int_equal(items[i].offset, full_items[i].offset);
				assert_int_equal(items[i].type, full_items[i].type);
				scopes_of(&d, &items[i], &a);
				scopes_of(&full, &full_items[i], &b);
				assert_int_equal(a, b);
			}
			/* the structure the cut falls in is named too */
			if (want < n_full && cut >= HV_DMAR_HEADER_SIZE &&
			    full_items[want].offset < cut)
				assert_true(has_issue_at(&d.issues, full_items[want].offset));
			hv_dmar_clear(&d);
		}
		hv_dmar_clear(&full);
	}
	hv_strv_clear(&tables);
}

/* Each structure's length set to 0, 1..3 and 0xffff: the walk stops there,
 * with an issue at its offset; everything before it is kept. */
static void
test_structure_lengths(void **state _unused_)
{
	static const uint16_t bad_lengths[] = { 0, 1, 3, 0xffff };
	_cleanup_free_ char *dir = hv_test_corpus("acpi/dmar");
	struct hv_strv tables = { 0 };

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		_cleanup_free_ struct item *full_items = NULL;
		struct hv_dmar full;
		size_t len, n_full;

		buf = read_table(tables.v[t], &len);
		assert_int_equal(hv_dmar_parse(buf, len, &full), 0);
		full_items = items_of(&full, &n_full);
		for (size_t i = 0; i < n_full; i++)
			for (size_t k = 0; k < HV_ELEMENTSOF(bad_lengths); k++) {
				_cleanup_free_ uint8_t *copy = malloc(len);
				_cleanup_free_ struct item *items = NULL;
				uint32_t o = full_items[i].offset;
				struct hv_dmar d;
				size_t n;

				assert_non_null(copy);
				memcpy(copy, buf, len);
				copy[o + 2] = (uint8_t)bad_lengths[k];
				copy[o + 3] = (uint8_t)(bad_lengths[k] >> 8);
				assert_int_equal(hv_dmar_parse(copy, len, &d), -EBADMSG);
				assert_false(d.complete);
				if (!has_issue_at(&d.issues, o)) {
					print_issues(tables.v[t], &d.issues);
					fail_msg("%s: length %u at 0x%x not named", tables.v[t],
						 bad_lengths[k], o);
				}
				items = items_of(&d, &n);
				assert_int_equal(n, i);
				hv_dmar_clear(&d);
			}
		hv_dmar_clear(&full);
	}
	hv_strv_clear(&tables);
}

/* Each device scope's length set to 0, 5 and 0xff (past its structure):
 * that structure keeps the scopes before it, the walk goes on. */
static void
test_scope_lengths(void **state _unused_)
{
	static const uint8_t bad_lengths[] = { 0, 5, 0xff };
	_cleanup_free_ char *dir = hv_test_corpus("acpi/dmar");
	struct hv_strv tables = { 0 };
	unsigned tried = 0;

	iasl_list_tables(dir, &tables);
	for (size_t t = 0; t < tables.n; t++) {
		_cleanup_free_ uint8_t *buf = NULL;
		_cleanup_free_ struct item *full_items = NULL;
		struct hv_dmar full;
		size_t len, n_full;

		buf = read_table(tables.v[t], &len);
		assert_int_equal(hv_dmar_parse(buf, len, &full), 0);
		full_items = items_of(&full, &n_full);
		for (size_t i = 0; i < n_full; i++) {
			const struct hv_dmar_scope *scopes;
			size_t ns;

			scopes = scopes_of(&full, &full_items[i], &ns);
			for (size_t j = 0; j < ns; j++)
				for (size_t k = 0; k < HV_ELEMENTSOF(bad_lengths); k++) {
					_cleanup_free_ uint8_t *copy = malloc(len);
					_cleanup_free_ struct item *items = NULL;
					struct hv_dmar d;
					size_t n, n_scopes;

					assert_non_null(copy);
					memcpy(copy, buf, len);
					copy[scopes[j].offset + 1] = bad_lengths[k];
					assert_int_equal(hv_dmar_parse(copy, len, &d), -EBADMSG);
					assert_true(d.complete);
					assert_true(has_issue_at(&d.issues, scopes[j].offset));
					items = items_of(&d, &n);
					assert_int_equal(n, n_full);
					scopes_of(&d, &items[i], &n_scopes);
					assert_int_equal(n_scopes, j);
					hv_dmar_clear(&d);
					tried++;
				}
		}
		hv_dmar_clear(&full);
	}
	assert_true(tried > 300);
	hv_strv_clear(&tables);
}

static void
test_malformed_headers(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	_cleanup_free_ uint8_t *big = NULL;
	struct hv_dmar d;
	size_t len;

	buf = corpus_table("desktop_ASUS_H110M-A-M.2_C8AF5B504787", &len);

	/* no bytes at all */
	assert_int_equal(hv_dmar_parse(NULL, 0, &d), -EBADMSG);
	assert_int_equal(d.issues.n, 1);
	assert_int_equal(d.n_drhd, 0);
	hv_dmar_clear(&d);

	/* another table's signature */
	memcpy(buf, "IVRS", 4);
	assert_int_equal(hv_dmar_parse(buf, len, &d), -EBADMSG);
	assert_non_null(strstr(d.issues.v[0].msg, "signature"));
	assert_int_equal(d.n_drhd, 0);
	hv_dmar_clear(&d);
	memcpy(buf, "DMAR", 4);

	/* a length field below the header */
	buf[4] = 20;
	assert_int_equal(hv_dmar_parse(buf, len, &d), -EBADMSG);
	assert_int_equal(d.issues.v[0].offset, 4);
	hv_dmar_clear(&d);

	/* a length that leaves no room for the DMAR fields */
	buf[4] = 40;
	assert_int_equal(hv_dmar_parse(buf, 40, &d), -EBADMSG);
	assert_false(d.complete);
	assert_int_equal(d.n_drhd, 0);
	hv_dmar_clear(&d);

	/* a header alone, exactly 48 bytes, is a valid empty table */
	buf[4] = 48;
	buf[9] = 0;
	buf[9] = (uint8_t)-hv_acpi_sum(buf, 48);
	assert_int_equal(hv_dmar_parse(buf, 48, &d), 0);
	assert_true(d.complete);
	assert_int_equal(hv_dmar_iommu_count(&d), 0);
	hv_dmar_clear(&d);

	/* trailing bytes after the length are ignored */
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_int_equal(d.n_drhd, 0);
	hv_dmar_clear(&d);

	/* too big to be a DMAR */
	big = calloc(1, HV_ACPI_TABLE_MAX + 1);
	assert_non_null(big);
	memcpy(big, "DMAR", 4);
	assert_int_equal(hv_dmar_parse(big, HV_ACPI_TABLE_MAX + 1, &d), -E2BIG);
	assert_int_equal(d.issues.n, 1);
	hv_dmar_clear(&d);
	hv_dmar_clear(NULL);
}

/* Unknown structure types are kept raw and skipped; a known type too short
 * for its fixed fields is kept raw with an issue. */
static void
test_unknown_types(void **state _unused_)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct hv_dmar d;
	size_t len;

	buf = corpus_table("desktop_Supermicro_X10DAi_4A64A6094FE3", &len);
	/* the RHSA at 0x130 (length 0x14) becomes type 7, a future type */
	assert_int_equal(buf[0x130], 3);
	buf[0x130] = 7;
	buf[9] = (uint8_t)(buf[9] - 4);
	assert_int_equal(hv_dmar_parse(buf, len, &d), 0);
	assert_true(d.complete);
	assert_int_equal(d.n_rhsa, 1);
	assert_int_equal(d.n_unknown, 1);
	assert_int_equal(d.unknown[0].offset, 0x130);
	assert_int_equal(d.unknown[0].type, 7);
	assert_int_equal(d.unknown[0].length, 0x14);
	assert_memory_equal(d.unknown[0].data, buf + 0x130, 0x14);
	assert_null(hv_dmar_type_to_string(7));
	hv_dmar_clear(&d);

	/* a DRHD (at 0x98, length 0x18) that says it is 8 bytes long: kept
	 * raw with an issue; the walk then lands mid-structure at 0xa0, reads
	 * type 0xd000 with length 0xf3ff there and stops */
	buf[0x130] = 3;
	buf[9] = (uint8_t)(buf[9] + 4);
	buf[0x9a] = 8;
	assert_int_equal(hv_dmar_parse(buf, len, &d), -EBADMSG);
	assert_true(has_issue_at(&d.issues, 0x98));
	assert_int_equal(d.n_unknown, 1);
	assert_int_equal(d.unknown[0].offset, 0x98);
	assert_int_equal(d.unknown[0].length, 8);
	assert_true(has_issue_at(&d.issues, 0xa0));
	assert_false(d.complete);
	hv_dmar_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_matches_iasl),
		cmocka_unit_test(test_x10dai),
		cmocka_unit_test(test_proliant_paths),
		cmocka_unit_test(test_resolve_bounds),
		cmocka_unit_test(test_flags_and_ids),
		cmocka_unit_test(test_andd_satc_sidp),
		cmocka_unit_test(test_drhd_size),
		cmocka_unit_test(test_bad_checksum),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_structure_lengths),
		cmocka_unit_test(test_scope_lengths),
		cmocka_unit_test(test_malformed_headers),
		cmocka_unit_test(test_unknown_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
