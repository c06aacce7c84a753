/* test-iommu.c -- IOMMU units, groups and the derived four-state verdict. */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "hv-probe.h"
#include "hv-test.h"

/*
 * The hosts below follow the shapes of a real sysfs (Documentation/ABI
 * sysfs-class-iommu*, sysfs-kernel-iommu_groups; drivers/iommu/
 * iommu-sysfs.c): class links into sys/devices, a unit's "devices" links,
 * the AMD unit as a child of its PCI function, virtio-iommu as a child of
 * its virtio device. Firmware tables are real ones from tests/corpus.
 * Unit names, group numbers and device addresses are glue.
 */

/* Intel host, VT-d on and translating (intel_iommu=on). */
static const char intel_translated[] =
	"f proc/cmdline BOOT_IMAGE=/vmlinuz ro intel_iommu=on\n"
	"l sys/class/iommu/dmar0 ../../devices/virtual/iommu/dmar0\n"
	"l sys/class/iommu/dmar1 ../../devices/virtual/iommu/dmar1\n"
	"d sys/devices/virtual/iommu/dmar0/intel-iommu\n"
	"d sys/devices/virtual/iommu/dmar1/intel-iommu\n"
	"l sys/devices/virtual/iommu/dmar0/devices/0000:00:1f.0 "
	"../../../../pci0000:00/0000:00:1f.0\n"
	"l sys/devices/virtual/iommu/dmar0/devices/0000:00:02.0 "
	"../../../../pci0000:00/0000:00:02.0\n"
	"l sys/devices/virtual/iommu/dmar1/devices/0000:3b:00.0 "
	"../../../../pci0000:3a/0000:3a:00.0/0000:3b:00.0\n"
	"f sys/kernel/iommu_groups/10/type DMA\n"
	"l sys/kernel/iommu_groups/10/devices/0000:3b:00.0 "
	"../../../../devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0\n"
	"f sys/kernel/iommu_groups/2/type DMA-FQ\n"
	"l sys/kernel/iommu_groups/2/devices/0000:00:1f.0 "
	"../../../../devices/pci0000:00/0000:00:1f.0\n"
	"l sys/kernel/iommu_groups/2/devices/0000:00:1f.3 "
	"../../../../devices/pci0000:00/0000:00:1f.3\n"
	"f sys/kernel/iommu_groups/0/type DMA-FQ\n"
	"l sys/kernel/iommu_groups/0/devices/0000:00:02.0 "
	"../../../../devices/pci0000:00/0000:00:02.0\n"
	"f sys/kernel/iommu_groups/7/type unmanaged\n"
	"f sys/kernel/iommu_groups/7/reserved_regions "
	"0x00000000fee00000 0x00000000feefffff msi\n"
	"l sys/kernel/iommu_groups/7/devices/0000:3b:10.0 "
	"../../../../devices/pci0000:3a/0000:3a:00.0/0000:3b:10.0\n";

/* AMD host in passthrough (iommu=pt), one device given to VFIO. */
static const char amd_passthrough[] =
	"f proc/cmdline BOOT_IMAGE=/vmlinuz ro iommu=pt\n"
	"l sys/class/iommu/ivhd0 "
	"../../devices/pci0000:00/0000:00:00.2/iommu/ivhd0\n"
	"d sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0/amd-iommu\n"
	"l sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0/device "
	"../../../0000:00:00.2\n"
	"l sys/devices/pci0000:00/0000:00:00.2/subsystem ../../../bus/pci\n"
	"d sys/bus/pci\n"
	"l sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0/devices/0000:00:01.0 "
	"../../../../0000:00:01.0\n"
	"f sys/kernel/iommu_groups/0/type identity\n"
	"l sys/kernel/iommu_groups/0/devices/0000:00:01.0 "
	"../../../../devices/pci0000:00/0000:00:01.0\n"
	"f sys/kernel/iommu_groups/1/type identity\n"
	"f sys/kernel/iommu_groups/5/type unmanaged\n"
	"f sys/kernel/iommu_groups/6/type blocked\n";

static const char kvm_guest_tables[] =
	"f sys/firmware/acpi/tables/APIC\n"
	"f sys/firmware/acpi/tables/DSDT\n"
	"f sys/firmware/acpi/tables/FACP\n"
	"f sys/firmware/acpi/tables/MCFG\n";

/* Materialize manifest, optionally add a corpus table as SIG, and run the
 * probes the IOMMU depends on, in their order, then the IOMMU's. */
static struct hv_host *
probe_host(const char *manifest, const char *sig, const char *corpus_rel)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	char *dir;

	assert_non_null(host);
	dir = hv_test_root_from_text(manifest);
	if (sig) {
		_cleanup_free_ char *src = hv_test_corpus(corpus_rel);
		_cleanup_free_ char *data = NULL;
		_cleanup_free_ char *tdir = NULL, *dst = NULL;
		size_t len;
		FILE *f;

		data = hv_test_read(src, &len);
		tdir = hv_asprintf("%s/sys/firmware/acpi/tables", dir);
		dst = hv_asprintf("%s/%s", tdir, sig);
		for (char *p = tdir + strlen(dir) + 1; *p; p++) {
			if (*p == '/') {
				*p = '\0';
				(void)mkdir(tdir, 0755);
				*p = '/';
			}
		}
		(void)mkdir(tdir, 0755);
		f = fopen(dst, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(data, 1, len, f), len);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_kernel_probe(root, host), 0);
	assert_int_equal(hv_acpi_probe(root, host), 0);
	assert_int_equal(hv_iommu_probe(root, host), 0);
	hv_root_free(root);
	hv_test_rmtree(dir);
	return host;
}

static void
assert_contains(const char *s, const char *what)
{
	if (!s || !strstr(s, what))
		fail_msg("\"%s\" lacks \"%s\"", s ? s : "(null)", what);
}

static void
test_intel_translated(void **state _unused_)
{
	struct hv_host *host = probe_host(intel_translated, "DMAR",
		"acpi/dmar/desktop_Supermicro_X10DAi_4A64A6094FE3.dmar.dat");
	const struct hv_iommu *io = &host->iommu;

	assert_int_equal(host->n_diags, 0);
	assert_true(host->acpi.dmar.present);
	assert_int_equal(io->units_fact.state, HV_FACT_OK);
	assert_int_equal(io->n_units, 2);
	assert_string_equal(io->units[0].name, "dmar0");
	assert_string_equal(io->units[0].kind, "intel-iommu");
	assert_int_equal(io->units[0].devices.n, 2);
	/* sorted as the PCI probe sorts addresses */
	assert_string_equal(io->units[0].devices.v[0], "0000:00:02.0");
	assert_string_equal(io->units[0].devices.v[1], "0000:00:1f.0");
	assert_string_equal(io->units[1].devices.v[0], "0000:3b:00.0");

	assert_int_equal(io->groups_fact.state, HV_FACT_OK);
	assert_int_equal(io->n_groups, 4);
	/* by number, not by name */
	assert_int_equal(io->groups[0].id, 0);
	assert_int_equal(io->groups[1].id, 2);
	assert_int_equal(io->groups[2].id, 7);
	assert_int_equal(io->groups[3].id, 10);
	assert_string_equal(io->groups[1].type, "DMA-FQ");
	assert_int_equal(io->groups[1].devices.n, 2);
	assert_string_equal(io->groups[1].devices.v[1], "0000:00:1f.3");
	assert_string_equal(io->groups[2].type, "unmanaged");
	assert_string_equal(io->groups[3].type, "DMA");

	assert_int_equal(io->state, HV_IOMMU_STATE_TRANSLATED);
	assert_contains(io->state_reason, "2 IOMMU units");
	assert_contains(io->state_reason, "3 of 4 groups translate");
	hv_host_free(host);
}

static void
test_amd_passthrough(void **state _unused_)
{
	struct hv_host *host = probe_host(amd_passthrough, "IVRS",
		"acpi/ivrs/desktop_ASRock_X370-Killer-Sli_4C483D36D3E6.ivrs.dat");
	const struct hv_iommu *io = &host->iommu;

	assert_int_equal(io->n_units, 1);
	assert_string_equal(io->units[0].name, "ivhd0");
	assert_string_equal(io->units[0].kind, "amd-iommu");
	assert_int_equal(io->units[0].devices.n, 1);
	assert_int_equal(io->n_groups, 4);
	assert_null(io->groups[1].devices.v);
	assert_int_equal(io->state, HV_IOMMU_STATE_PASSTHROUGH);
	assert_contains(io->state_reason, "2 identity-mapped");
	assert_contains(io->state_reason, "2 unmanaged or blocked");
	hv_host_free(host);
}

/* A laptop whose firmware has VT-d but whose kernel has the IOMMU off. */
static void
test_laptop_off(void **state _unused_)
{
	struct hv_host *host = probe_host(
		"f proc/cmdline BOOT_IMAGE=/vmlinuz ro quiet splash\n"
		"d sys/class/iommu\n"
		"d sys/kernel/iommu_groups\n", "DMAR",
		"acpi/dmar/notebook_Dell_Latitude-5420_F185446A212C.dmar.dat");
	const struct hv_iommu *io = &host->iommu;

	assert_int_equal(io->units_fact.state, HV_FACT_OK);
	assert_int_equal(io->n_units, 0);
	assert_int_equal(io->n_groups, 0);
	assert_int_equal(io->state, HV_IOMMU_STATE_OFF);
	assert_contains(io->state_reason, "ACPI DMAR");
	assert_contains(io->state_reason, "off in the kernel");
	hv_host_free(host);

	/* a kernel without IOMMU support has no sys/class/iommu at all */
	host = probe_host("f proc/cmdline ro\n", "IVRS",
		"acpi/ivrs/desktop_MSI_MS-7A38_53B5D217D45C.ivrs.dat");
	assert_int_equal(host->iommu.units_fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_OFF);
	assert_contains(host->iommu.state_reason, "ACPI IVRS");
	hv_host_free(host);
}

/* A KVM guest like this machine: no table, no unit. */
static void
test_guest_absent(void **state _unused_)
{
	_cleanup_free_ char *m = hv_asprintf("%s%s", kvm_guest_tables,
					     "d sys/class/iommu\n"
					     "d sys/kernel/iommu_groups\n");
	struct hv_host *host = probe_host(m, NULL, NULL);

	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_ABSENT);
	assert_contains(host->iommu.state_reason, "describes no IOMMU");
	assert_null(strstr(host->iommu.state_reason, "no-IOMMU"));
	hv_host_free(host);
}

/* Groups with no unit behind them (VFIO no-IOMMU mode) are no IOMMU. */
static void
test_noiommu_groups(void **state _unused_)
{
	_cleanup_free_ char *m = hv_asprintf("%s%s", kvm_guest_tables,
		"d sys/class/iommu\n"
		"f sys/kernel/iommu_groups/0/type unknown\n"
		"l sys/kernel/iommu_groups/0/devices/0000:00:04.0 "
		"../../../../devices/pci0000:00/0000:00:04.0\n"
		"f sys/kernel/iommu_groups/1/type unknown\n");
	struct hv_host *host = probe_host(m, NULL, NULL);

	assert_int_equal(host->iommu.n_groups, 2);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_ABSENT);
	assert_contains(host->iommu.state_reason, "2 IOMMU groups have no "
			"IOMMU behind them");
	hv_host_free(host);
}

/* A virtio-iommu guest and an Arm SMMUv3: kinds from bus and name. */
static void
test_other_kinds(void **state _unused_)
{
	struct hv_host *host = probe_host(
		"l sys/class/iommu/virtio0 ../../devices/pci0000:00/"
		"0000:00:03.0/virtio0/iommu/virtio0\n"
		"l sys/devices/pci0000:00/0000:00:03.0/virtio0/iommu/virtio0/"
		"device ../../../virtio0\n"
		"l sys/devices/pci0000:00/0000:00:03.0/virtio0/subsystem "
		"../../../../bus/virtio\n"
		"d sys/bus/virtio\n"
		"l sys/class/iommu/smmu3.0x0000000009050000 ../../devices/"
		"platform/9050000.smmuv3/iommu/smmu3.0x0000000009050000\n"
		"d sys/devices/platform/9050000.smmuv3/iommu/"
		"smmu3.0x0000000009050000\n"
		"d sys/class/iommu/odd0\n"
		"f sys/kernel/iommu_groups/3/type DMA\n", NULL, NULL);
	const struct hv_iommu *io = &host->iommu;

	assert_int_equal(io->n_units, 3);
	assert_string_equal(io->units[0].name, "odd0");
	assert_string_equal(io->units[0].kind, "unknown");
	assert_string_equal(io->units[1].name, "smmu3.0x0000000009050000");
	assert_string_equal(io->units[1].kind, "arm-smmu-v3");
	assert_string_equal(io->units[2].name, "virtio0");
	assert_string_equal(io->units[2].kind, "virtio");
	assert_int_equal(io->state, HV_IOMMU_STATE_TRANSLATED);
	hv_host_free(host);
}

/* Before Linux 5.11 groups have no type: judge from the command line. */
static const struct {
	const char *cmdline;
	enum hv_iommu_state state;
	const char *reason;
} pre511[] = {
	{ "ro iommu=pt", HV_IOMMU_STATE_PASSTHROUGH, "from iommu=pt" },
	{ "ro iommu=force,pt", HV_IOMMU_STATE_PASSTHROUGH,
	  "from iommu=force,pt" },
	{ "ro iommu.passthrough=1", HV_IOMMU_STATE_PASSTHROUGH,
	  "iommu.passthrough=1" },
	{ "ro iommu.passthrough=on", HV_IOMMU_STATE_PASSTHROUGH,
	  "iommu.passthrough=on" },
	/* '-' is '_' to the kernel, but '.' is not: not the same name */
	{ "ro iommu-passthrough=1", HV_IOMMU_STATE_TRANSLATED,
	  "neither iommu=pt" },
	{ "ro iommu.passthrough=Y iommu=nopt", HV_IOMMU_STATE_TRANSLATED,
	  "from iommu=nopt" },
	{ "ro iommu=pt iommu.passthrough=0", HV_IOMMU_STATE_TRANSLATED,
	  "iommu.passthrough=0" },
	{ "ro iommu.passthrough=maybe", HV_IOMMU_STATE_TRANSLATED,
	  "neither iommu=pt" },
	{ "ro iommu", HV_IOMMU_STATE_TRANSLATED, "neither iommu=pt" },
	{ "ro intel_iommu=on", HV_IOMMU_STATE_TRANSLATED,
	  "neither iommu=pt" },
};

static void
test_pre_511(void **state _unused_)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(pre511); i++) {
		_cleanup_free_ char *m = hv_asprintf(
			"f proc/cmdline %s\n"
			"l sys/class/iommu/dmar0 ../../devices/virtual/iommu/dmar0\n"
			"d sys/devices/virtual/iommu/dmar0/intel-iommu\n"
			"l sys/kernel/iommu_groups/0/devices/0000:00:02.0 "
			"../../../../devices/pci0000:00/0000:00:02.0\n",
			pre511[i].cmdline);
		struct hv_host *host = probe_host(m, NULL, NULL);

		assert_null(host->iommu.groups[0].type);
		if (host->iommu.state != pre511[i].state)
			fail_msg("\"%s\": %s (%s)", pre511[i].cmdline,
				 hv_iommu_state_to_string(host->iommu.state),
				 host->iommu.state_reason);
		assert_contains(host->iommu.state_reason, "inferred");
		assert_contains(host->iommu.state_reason, "before 5.11");
		assert_contains(host->iommu.state_reason, pre511[i].reason);
		hv_host_free(host);
	}
}

/* derive_state is pure: hosts built in memory. */
static void
test_derive_unknown(void **state _unused_)
{
	struct hv_host *host = hv_host_new();

	/* nothing probed */
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_UNKNOWN);
	assert_non_null(host->iommu.state_reason);

	/* units unreadable */
	assert_int_equal(hv_fact_set_unknown(&host->iommu.units_fact,
					     "sys/class/iommu", -EACCES), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_UNKNOWN);
	assert_contains(host->iommu.state_reason, "sys/class/iommu");
	assert_contains(host->iommu.state_reason, "needs root");

	/* no unit, but whether a table is there could not be told */
	assert_int_equal(hv_fact_set_ok(&host->iommu.units_fact,
					"sys/class/iommu"), 0);
	assert_int_equal(hv_fact_set_absent(&host->acpi.dmar.fact, "x"), 0);
	assert_int_equal(hv_fact_set_absent(&host->acpi.ivrs.fact, "x"), 0);
	assert_int_equal(hv_fact_set_absent(&host->acpi.viot.fact, "x"), 0);
	assert_int_equal(hv_fact_set_unknown(&host->acpi.iort.fact, "x",
					     -EIO), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_UNKNOWN);

	/* all four known absent: ABSENT */
	assert_int_equal(hv_fact_set_absent(&host->acpi.iort.fact, "x"), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_ABSENT);

	/* a present table decides even with other facts unknown */
	host->acpi.dmar.present = true;
	assert_int_equal(hv_fact_set_unknown(&host->acpi.dmar.fact, "x",
					     -EACCES), 0);
	assert_int_equal(hv_fact_set_unknown(&host->acpi.iort.fact, "x",
					     -EIO), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_OFF);
	hv_host_free(host);
}

/* Units, but neither typed groups nor a known command line. */
static void
test_derive_no_cmdline(void **state _unused_)
{
	struct hv_host *host = hv_host_new();

	host->iommu.units = calloc(1, sizeof(*host->iommu.units));
	assert_non_null(host->iommu.units);
	host->iommu.units[0].name = strdup("dmar0");
	host->iommu.n_units = 1;
	assert_int_equal(hv_fact_set_ok(&host->iommu.units_fact,
					"sys/class/iommu"), 0);
	assert_int_equal(hv_fact_set_absent(&host->iommu.groups_fact,
					    "sys/kernel/iommu_groups"), 0);
	assert_int_equal(hv_fact_set_unknown(&host->kernel.cmdline_fact,
					     "proc/cmdline", -EACCES), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_UNKNOWN);
	assert_contains(host->iommu.state_reason, "proc/cmdline");
	assert_contains(host->iommu.state_reason, "groups are not known");

	/* the command line known: inferred translated */
	assert_int_equal(hv_fact_set_ok(&host->kernel.cmdline_fact,
					"proc/cmdline"), 0);
	assert_int_equal(hv_iommu_derive_state(host), 0);
	assert_int_equal(host->iommu.state, HV_IOMMU_STATE_TRANSLATED);
	assert_contains(host->iommu.state_reason, "inferred");
	hv_host_free(host);
}

static void
test_bad_group_names(void **state _unused_)
{
	struct hv_host *host = probe_host(
		"l sys/class/iommu/dmar0 ../../devices/virtual/iommu/dmar0\n"
		"d sys/devices/virtual/iommu/dmar0/intel-iommu\n"
		"f sys/kernel/iommu_groups/4/type DMA\n"
		"f sys/kernel/iommu_groups/abc/type DMA\n"
		"f sys/kernel/iommu_groups/-1/type DMA\n"
		"f sys/kernel/iommu_groups/99999999999/type DMA\n"
		"f sys/kernel/iommu_groups/5/type\n", NULL, NULL);
	const struct hv_iommu *io = &host->iommu;
	size_t bad = 0;

	assert_int_equal(io->groups_fact.state, HV_FACT_OK);
	assert_int_equal(io->n_groups, 2);
	assert_int_equal(io->groups[0].id, 4);
	/* an empty type file is no type */
	assert_null(io->groups[1].type);
	for (size_t i = 0; i < host->n_diags; i++)
		if (host->diags[i].bad_input &&
		    hv_startswith(host->diags[i].path,
				  "sys/kernel/iommu_groups/"))
			bad++;
	assert_int_equal(bad, 3);
	assert_int_equal(io->state, HV_IOMMU_STATE_TRANSLATED);
	hv_host_free(host);
}

/* This machine, live. */
static void
test_live(void **state _unused_)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	struct dirent *de;
	size_t n_units = 0;
	DIR *d;

	assert_int_equal(hv_root_open("/", &root), 0);
	assert_int_equal(hv_kernel_probe(root, host), 0);
	assert_int_equal(hv_acpi_probe(root, host), 0);
	assert_int_equal(hv_iommu_probe(root, host), 0);
	hv_root_free(root);

	d = opendir("/sys/class/iommu");
	if (d) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				n_units++;
		closedir(d);
	}
	assert_int_equal(host->iommu.n_units, n_units);
	if (n_units > 0)
		assert_true(host->iommu.state == HV_IOMMU_STATE_TRANSLATED ||
			    host->iommu.state == HV_IOMMU_STATE_PASSTHROUGH);
	else if (host->acpi.dmar.present || host->acpi.ivrs.present ||
		 host->acpi.viot.present || host->acpi.iort.present)
		assert_int_equal(host->iommu.state, HV_IOMMU_STATE_OFF);
	else
		/* this machine: a KVM guest with no virtual IOMMU */
		assert_int_equal(host->iommu.state, HV_IOMMU_STATE_ABSENT);
	for (size_t i = 1; i < host->iommu.n_groups; i++)
		assert_true(host->iommu.groups[i - 1].id <
			    host->iommu.groups[i].id);
	hv_host_free(host);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_translated),
		cmocka_unit_test(test_amd_passthrough),
		cmocka_unit_test(test_laptop_off),
		cmocka_unit_test(test_guest_absent),
		cmocka_unit_test(test_noiommu_groups),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_pre_511),
		cmocka_unit_test(test_derive_unknown),
		cmocka_unit_test(test_derive_no_cmdline),
		cmocka_unit_test(test_bad_group_names),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
