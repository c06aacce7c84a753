/* test-firmware.c -- DMI/UEFI firmware facts, and the capture description (capture.c). */
#include <stdio.h>
#include <sys/stat.h>

#include "hv-probe.h"
#include "hv-test.h"

/*
 * DMI as the kernel exports it (drivers/firmware/dmi-id.c), with the
 * values of real machines from linuxhw/DMI (dmidecode outputs, licence
 * not stated in that repository; the same project's ACPI repository is
 * CC-BY-4.0), mapped field by field as dmi-id.c maps them:
 *
 * Supermicro X10DAi, Desktop/Supermicro/X10/X10DAi/4A64A6094FE3 at commit
 * 22601155473b88ad8594089e789a2c32d3c483a8 (the machine whose DMAR table
 * is in tests/corpus/acpi/dmar). Serial numbers and UUIDs are "--" there
 * (anonymised by hw-probe); they are in the tree to show they are not read.
 */
static const char x10dai[] =
	"l sys/class/dmi/id ../../devices/virtual/dmi/id\n"
	"f sys/devices/virtual/dmi/id/bios_vendor American Megatrends Inc.\n"
	"f sys/devices/virtual/dmi/id/bios_version 3.4\n"
	"f sys/devices/virtual/dmi/id/bios_date 10/04/2021\n"
	"f sys/devices/virtual/dmi/id/bios_release 5.11\n"
	"f sys/devices/virtual/dmi/id/sys_vendor Supermicro\n"
	"f sys/devices/virtual/dmi/id/product_name X10DAi\n"
	"f sys/devices/virtual/dmi/id/product_version 123456789\n"
	"f sys/devices/virtual/dmi/id/product_family SMC X10\n"
	"f sys/devices/virtual/dmi/id/product_sku 083615D9\n"
	"f sys/devices/virtual/dmi/id/product_serial --\n"
	"f sys/devices/virtual/dmi/id/product_uuid --\n"
	"f sys/devices/virtual/dmi/id/board_vendor Supermicro\n"
	"f sys/devices/virtual/dmi/id/board_name X10DAI\n"
	"f sys/devices/virtual/dmi/id/board_version 1.01\n"
	"f sys/devices/virtual/dmi/id/board_serial --\n"
	"f sys/devices/virtual/dmi/id/board_asset_tag --\n"
	"f sys/devices/virtual/dmi/id/chassis_vendor To be filled by O.E.M.\n"
	"f sys/devices/virtual/dmi/id/chassis_serial --\n"
	"f sys/devices/virtual/dmi/id/modalias dmi:bvnAmericanMegatrendsInc.\n"
	"d sys/firmware/efi/efivars\n";

/*
 * HP ProLiant DL380 G5, Server/Hewlett-Packard/ProLiant/ProLiant DL380 G5/
 * 97BE895CF6E6 at commit dc1d4b9a0e3ab5eea9f5dc57439bd33565b568ff (the
 * machine of tests/corpus/acpi/negative): no type 2 structure, so no
 * board_* attributes; BIOS release bytes not set, so no bios_release;
 * "Version: Not Specified" is string 0, which the kernel exports as "".
 * A legacy BIOS boot: sys/firmware without efi.
 */
static const char dl380g5[] =
	"f sys/class/dmi/id/bios_vendor HP\n"
	"f sys/class/dmi/id/bios_version P56\n"
	"f sys/class/dmi/id/bios_date 08/16/2015\n"
	"f sys/class/dmi/id/sys_vendor HP\n"
	"f sys/class/dmi/id/product_name ProLiant DL380 G5\n"
	"f sys/class/dmi/id/product_version\n"
	"f sys/class/dmi/id/product_family ProLiant\n"
	"f sys/class/dmi/id/chassis_vendor HP\n"
	"d sys/firmware/acpi/tables\n";

static struct hv_host *
probe_firmware(const char *manifest, struct hv_strv *ret_recorded)
{
	char *dir = hv_test_root_from_text(manifest);
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;

	assert_non_null(host);
	assert_int_equal(hv_root_open(dir, &root), 0);
	hv_root_set_recording(root, true);
	assert_int_equal(hv_firmware_probe(root, host), 0);
	if (ret_recorded) {
		const struct hv_strv *rec = hv_root_recorded(root);

		for (size_t i = 0; i < rec->n; i++)
			assert_int_equal(hv_strv_add(ret_recorded, rec->v[i]),
					 0);
	}
	hv_root_free(root);
	hv_test_rmtree(dir);
	return host;
}

static void
test_dmi_server(void **state _unused_)
{
	struct hv_strv rec = { 0 };
	struct hv_host *host = probe_firmware(x10dai, &rec);
	const struct hv_dmi *d = &host->firmware.dmi;

	assert_int_equal(host->n_diags, 0);
	assert_int_equal(d->fact.state, HV_FACT_OK);
	assert_string_equal(d->fact.source, "sys/class/dmi/id");
	assert_string_equal(d->bios_vendor, "American Megatrends Inc.");
	assert_string_equal(d->bios_version, "3.4");
	assert_string_equal(d->bios_date, "10/04/2021");
	assert_string_equal(d->bios_release, "5.11");
	assert_string_equal(d->sys_vendor, "Supermicro");
	assert_string_equal(d->product_name, "X10DAi");
	assert_string_equal(d->product_version, "123456789");
	assert_string_equal(d->product_family, "SMC X10");
	assert_string_equal(d->board_vendor, "Supermicro");
	assert_string_equal(d->board_name, "X10DAI");
	assert_string_equal(d->board_version, "1.01");
	assert_string_equal(d->chassis_vendor, "To be filled by O.E.M.");

	assert_int_equal(host->firmware.efi_fact.state, HV_FACT_OK);
	assert_int_equal(host->firmware.uefi, HV_TRI_YES);

	/* serial numbers, UUIDs and asset tags are never read */
	assert_true(hv_strv_contains(&rec, "sys/class/dmi/id/bios_version"));
	assert_true(hv_strv_contains(&rec, "sys/firmware/efi"));
	for (size_t i = 0; i < rec.n; i++) {
		assert_null(strstr(rec.v[i], "serial"));
		assert_null(strstr(rec.v[i], "uuid"));
		assert_null(strstr(rec.v[i], "asset"));
		assert_null(strstr(rec.v[i], "efivars"));
	}
	hv_strv_clear(&rec);
	hv_host_free(host);
}

static void
test_dmi_missing_attributes(void **state _unused_)
{
	struct hv_host *host = probe_firmware(dl380g5, NULL);
	const struct hv_dmi *d = &host->firmware.dmi;

	assert_int_equal(host->n_diags, 0);
	assert_int_equal(d->fact.state, HV_FACT_OK);
	assert_string_equal(d->bios_vendor, "HP");
	assert_string_equal(d->bios_version, "P56");
	assert_null(d->bios_release);
	assert_string_equal(d->product_name, "ProLiant DL380 G5");
	/* present but empty is not absent */
	assert_non_null(d->product_version);
	assert_string_equal(d->product_version, "");
	assert_null(d->board_vendor);
	assert_null(d->board_name);
	assert_null(d->board_version);
	assert_string_equal(d->chassis_vendor, "HP");
	/* sys/firmware captured, no efi: a BIOS boot */
	assert_int_equal(host->firmware.efi_fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->firmware.uefi, HV_TRI_NO);
	hv_host_free(host);
}

/* A VM like this one (no DMI), and a capture without sys/firmware. */
static void
test_no_dmi(void **state _unused_)
{
	struct hv_host *host = probe_firmware("d proc\n", NULL);

	assert_int_equal(host->firmware.dmi.fact.state, HV_FACT_ABSENT);
	assert_string_equal(host->firmware.dmi.fact.source, "sys/class/dmi/id");
	assert_null(host->firmware.dmi.bios_vendor);
	/* whether it booted through UEFI was not captured */
	assert_int_equal(host->firmware.efi_fact.state, HV_FACT_UNKNOWN);
	assert_non_null(strstr(host->firmware.efi_fact.msg, "not captured"));
	assert_int_equal(host->firmware.uefi, HV_TRI_UNKNOWN);
	hv_host_free(host);
}

/* An attribute that cannot be read is said, not silently dropped. */
static void
test_dmi_unreadable_attribute(void **state _unused_)
{
	struct hv_host *host = probe_firmware(
		"f sys/class/dmi/id/bios_vendor Hewlett-Packard\n"
		"d sys/class/dmi/id/bios_version\n", NULL);

	assert_int_equal(host->firmware.dmi.fact.state, HV_FACT_OK);
	assert_string_equal(host->firmware.dmi.bios_vendor, "Hewlett-Packard");
	assert_null(host->firmware.dmi.bios_version);
	assert_int_equal(host->n_diags, 1);
	assert_string_equal(host->diags[0].path,
			    "sys/class/dmi/id/bios_version");
	assert_false(host->diags[0].bad_input);
	assert_int_equal(host->diags[0].err, -EISDIR);
	hv_host_free(host);
}

static void
test_live_firmware(void **state _unused_)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	struct stat st;

	assert_int_equal(hv_root_open("/", &root), 0);
	assert_int_equal(hv_firmware_probe(root, host), 0);
	hv_root_free(root);
	if (stat("/sys/class/dmi/id", &st) == 0) {
		assert_int_equal(host->firmware.dmi.fact.state, HV_FACT_OK);
	} else {
		/* this machine: a KVM guest without DMI */
		assert_int_equal(host->firmware.dmi.fact.state,
				 HV_FACT_ABSENT);
		assert_null(host->firmware.dmi.sys_vendor);
	}
	assert_int_equal(host->firmware.uefi,
			 stat("/sys/firmware/efi", &st) == 0 ? HV_TRI_YES
							     : HV_TRI_NO);
	hv_host_free(host);
}

/* ---- capture.c: hwvirt/capture.json ------------------------------------ */

static struct hv_host *
probe_capture(const char *manifest)
{
	char *dir = hv_test_root_from_text(manifest);
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;

	assert_non_null(host);
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_capture_info_probe(root, host), 0);
	hv_root_free(root);
	hv_test_rmtree(dir);
	return host;
}

static void
test_capture_good(void **state _unused_)
{
	struct hv_host *host = probe_capture(
		"F hwvirt/capture.json\n"
		"{\n"
		"  \"created\": \"2024-05-01T12:00:00Z\",\n"
		"  \"hostname\": \"node17\",\n"
		"  \"hwvirt_version\": \"0.1\",\n"
		"  \"paths\": [ \"proc/cmdline\" ],\n"
		"  \"future\": { \"x\": null }\n"
		"}\n"
		".\n");
	const struct hv_capture_info *c = &host->capture;

	assert_int_equal(host->n_diags, 0);
	assert_int_equal(c->fact.state, HV_FACT_OK);
	assert_string_equal(c->fact.source, "hwvirt/capture.json");
	assert_string_equal(c->created, "2024-05-01T12:00:00Z");
	assert_string_equal(c->hostname, "node17");
	assert_string_equal(c->hwvirt_version, "0.1");
	hv_host_free(host);

	/* members may be missing or null */
	host = probe_capture("f hwvirt/capture.json "
			     "{\"hostname\": null, \"created\": \"x\"}\n");
	assert_int_equal(host->capture.fact.state, HV_FACT_OK);
	assert_null(host->capture.hostname);
	assert_null(host->capture.hwvirt_version);
	assert_string_equal(host->capture.created, "x");
	hv_host_free(host);

	/* no capture.json: a capture made by other means */
	host = probe_capture("d proc\n");
	assert_int_equal(host->capture.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);
}

static void
test_capture_live(void **state _unused_)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;

	assert_int_equal(hv_root_open("/", &root), 0);
	assert_true(hv_root_is_live(root));
	assert_int_equal(hv_capture_info_probe(root, host), 0);
	assert_int_equal(host->capture.fact.state, HV_FACT_UNPROBED);
	hv_root_free(root);
	hv_host_free(host);
}

/* Malformed capture.json: INVALID, a diagnostic with the line, no crash. */
static const struct {
	const char *manifest;
	unsigned line;
	const char *msg;
} bad_captures[] = {
	{ "f hwvirt/capture.json\n", 1, "end of file" },
	{ "n hwvirt/capture.json\n", 1, "end of file" },
	{ "f hwvirt/capture.json {\"created\": \"2024-\n", 1, "end of file" },
	{ "F hwvirt/capture.json\n{\n  \"created\": \"2024\",\n.\n", 2,
	  "end of file" },
	{ "F hwvirt/capture.json\n{\n  \"created\": \"a\",\n"
	  "  \"hostname\" \"b\"\n}\n.\n", 3, "':' expected" },
	{ "f hwvirt/capture.json [1, 2]\n", 1, "not a JSON object" },
	{ "f hwvirt/capture.json {\"hostname\": 5}\n", 0,
	  "\"hostname\" is not a string" },
	{ "f hwvirt/capture.json {\"created\": [\"2024\"]}\n", 0,
	  "\"created\" is not a string" },
	{ "F hwvirt/capture.json\n{}\n\nxyz\n.\n", 3, "data after" },
	{ "f hwvirt/capture.json {\"hostname\": \"a\\u0000b\"}\n", 0,
	  "\"hostname\" is not a string" },
	{ "x hwvirt/capture.json\n7b 7d 00 0a\n.\n", 1, "NUL byte" },
	{ "f hwvirt/capture.json "
	  "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n",
	  1, "malformed JSON" },
};

static void
test_capture_bad(void **state _unused_)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(bad_captures); i++) {
		struct hv_host *host = probe_capture(bad_captures[i].manifest);
		const struct hv_capture_info *c = &host->capture;

		if (c->fact.state != HV_FACT_INVALID)
			fail_msg("case %zu: fact %s", i,
				 hv_fact_state_to_string(c->fact.state));
		assert_null(c->created);
		assert_null(c->hostname);
		assert_int_equal(host->n_diags, 1);
		assert_true(host->diags[0].bad_input);
		assert_string_equal(host->diags[0].path, "hwvirt/capture.json");
		if (host->diags[0].line != bad_captures[i].line ||
		    !strstr(host->diags[0].msg, bad_captures[i].msg))
			fail_msg("case %zu: line %u \"%s\"", i,
				 host->diags[0].line, host->diags[0].msg);
		hv_host_free(host);
	}
}

static void
test_capture_too_big(void **state _unused_)
{
	size_t n = HV_READ_SMALL + 100;
	char *m = malloc(n + 64), *p;
	struct hv_host *host;

	assert_non_null(m);
	p = m + sizeof("f hwvirt/capture.json {\"x\": \"") - 1;
	memcpy(m, "f hwvirt/capture.json {\"x\": \"",
	       sizeof("f hwvirt/capture.json {\"x\": \"") - 1);
	memset(p, 'a', n);
	memcpy(p + n, "\"}\n", 4);
	host = probe_capture(m);
	free(m);
	assert_int_equal(host->capture.fact.state, HV_FACT_INVALID);
	assert_int_equal(host->capture.fact.err, -EFBIG);
	assert_int_equal(host->n_diags, 1);
	hv_host_free(host);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmi_server),
		cmocka_unit_test(test_dmi_missing_attributes),
		cmocka_unit_test(test_no_dmi),
		cmocka_unit_test(test_dmi_unreadable_attribute),
		cmocka_unit_test(test_live_firmware),
		cmocka_unit_test(test_capture_good),
		cmocka_unit_test(test_capture_live),
		cmocka_unit_test(test_capture_bad),
		cmocka_unit_test(test_capture_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
