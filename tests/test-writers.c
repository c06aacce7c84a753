/*
 * test-writers.c -- the text, JSON and XML writers and the report schemas
 * (src/writer-*.c, data/schema/).
 *
 * Hosts and audits are built in memory from real data:
 *   - CPU and kernel of the full host: this project's build machine, a KVM
 *     guest on AMD EPYC (`cpuid -r -1`, /proc/cpuinfo, /proc/cmdline,
 *     /sys/module/kvm/parameters, read on the machine);
 *   - the Intel cpuinfo of the unprivileged host: the i7-11850H example of
 *     the "KVM and CPU identification in x86" guide (kvm-cpuid-guide);
 *   - DMI: linuxhw/DMI Desktop/Supermicro/X10/X10DAi/4A64A6094FE3
 *     (commit 22601155), the machine whose DMAR the corpus holds
 *     (tests/corpus/acpi/dmar/desktop_Supermicro_X10DAi_4A64A6094FE3,
 *     read here from the corpus);
 *   - the DMAR with a blank OEM id and a binary OEM table id: the corpus's
 *     HP EliteBook 6930p table, read here;
 *   - PCI: the 82576 SR-IOV PF of pciutils' tests/cap-pcie-2 (its SR-IOV
 *     capability at 0x160, register for register; the VF address follows
 *     from its offset and stride) and the Sky Lake-E root port 8086:2030 and
 *     Cannon Point-LP audio 8086:9dc8 of pcics (tests/corpus/pci/).
 * Addresses, group numbers and the capture's own metadata are this test's.
 */
#include <fcntl.h>
#include <json.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hv-test.h"
#include "hv-writer.h"

#define OK(x)	assert_int_equal((x), 0)

static char *
xs(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

static void
strv_set(struct hv_strv *sv, const char *const *v)
{
	for (size_t i = 0; v[i]; i++)
		OK(hv_strv_add(sv, v[i]));
}

/* ---- building hosts --------------------------------------------------- */

static struct hv_kparam *
kparams(const char *const *kv, size_t n)
{
	struct hv_kparam *p = calloc(n ? n : 1, sizeof(*p));

	assert_non_null(p);
	for (size_t i = 0; i < n; i++) {
		p[i].key = xs(kv[2 * i]);
		p[i].value = kv[2 * i + 1] ? xs(kv[2 * i + 1]) : NULL;
	}
	return p;
}

/* An ACPI table from a corpus file: header fields as the probe reads them. */
static void
acpi_from_corpus(struct hv_acpi_table *t, const char *rel, const char *source)
{
	_cleanup_free_ char *path = hv_test_corpus(rel);
	size_t len = 0;
	char *buf = hv_test_read(path, &len);
	uint8_t sum = 0;

	assert_true(len >= 36);
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + (uint8_t)buf[i]);
	OK(hv_fact_set_ok(&t->fact, source));
	t->present = true;
	t->length = len;
	t->revision = (uint8_t)buf[8];
	memcpy(t->oem_id, buf + 10, 6);
	t->oem_id[6] = '\0';
	memcpy(t->oem_table_id, buf + 16, 8);
	t->oem_table_id[8] = '\0';
	t->checksum_ok = sum == 0;
	t->data = (uint8_t *)buf;
}

static void
add_leaf(struct hv_cpuid_dump *d, uint32_t leaf, uint32_t sub, uint32_t a,
	 uint32_t b, uint32_t c, uint32_t dd)
{
	OK(HV_GROW(d->leaves, d->cap, d->n_leaves + 1));
	d->leaves[d->n_leaves++] = (struct hv_cpuid_leaf){
		leaf, sub, { a, b, c, dd },
	};
}

static struct hv_pci_dev *
add_dev(struct hv_host *h, const char *addr)
{
	struct hv_pci_dev *d;
	unsigned dom, bus, dev, fn;

	h->pci.devs = reallocarray(h->pci.devs, h->pci.n_devs + 1,
				   sizeof(*h->pci.devs));
	assert_non_null(h->pci.devs);
	d = &h->pci.devs[h->pci.n_devs++];
	*d = (struct hv_pci_dev){ 0 };
	assert_int_equal(sscanf(addr, "%x:%x:%x.%x", &dom, &bus, &dev, &fn), 4);
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	d->domain = (uint16_t)dom;
	d->bus = (uint8_t)bus;
	d->dev = (uint8_t)dev;
	d->func = (uint8_t)fn;
	d->numa_node = -1;
	d->iommu_group = -1;
	return d;
}

static void
config_facts(struct hv_pci_dev *d, size_t len, bool caps_ok)
{
	_cleanup_free_ char *src = hv_asprintf("sys/bus/pci/devices/%s/config",
					       d->addr);

	OK(hv_fact_set_ok(&d->config_fact, src));
	d->config_len = len;
	d->extended_visible = len > 256;
	if (caps_ok) {
		OK(hv_fact_set_ok(&d->caps_fact, NULL));
		if (len > 256)
			OK(hv_fact_set_ok(&d->ext_caps_fact, NULL));
		else
			OK(hv_fact_set_unknown(&d->ext_caps_fact, NULL, -ENODATA));
	} else {
		OK(hv_fact_set_unknown(&d->caps_fact, NULL, -EACCES));
		OK(hv_fact_set_unknown(&d->ext_caps_fact, NULL, -EACCES));
	}
}

static struct hv_sriov *
new_sriov(void)
{
	struct hv_sriov *sr = calloc(1, sizeof(*sr));

	assert_non_null(sr);
	sr->sysfs_totalvfs = sr->sysfs_numvfs = sr->sysfs_offset = -1;
	sr->sysfs_stride = sr->sysfs_vf_device = -1;
	return sr;
}

static void
add_group(struct hv_iommu *io, unsigned id, const char *type,
	  const char *const *devs)
{
	struct hv_iommu_group *g;

	io->groups = reallocarray(io->groups, io->n_groups + 1,
				  sizeof(*io->groups));
	assert_non_null(io->groups);
	g = &io->groups[io->n_groups++];
	*g = (struct hv_iommu_group){ .id = id, .type = type ? xs(type) : NULL };
	strv_set(&g->devices, devs);
}

/* Every section filled, every fact known. */
static struct hv_host *
make_full_host(void)
{
	static const char *const cpu_flags[] = {	/* sorted, as the probe keeps them */
		"apic", "avx2", "cpuid", "cx16", "fpu", "hypervisor", "lm",
		"nx", "pdpe1gb", "sse4_2", "tsc", "vmmcall", "x2apic", NULL,
	};
	static const char *const kvm_params[] = {
		"enable_pmu", "N", "flush_on_reuse", "N",
		"halt_poll_ns", "200000",
	};
	static const char *const cmdline[] = {
		"console", "ttyS0", "quiet", NULL, "reboot", "k",
		"nested_pvm", "1",
	};
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu = &h->cpu;
	struct hv_kernel *k = &h->kernel;
	struct hv_dmi *dmi = &h->firmware.dmi;
	struct hv_iommu *io = &h->iommu;
	struct hv_pci_dev *d;
	struct hv_sriov *sr;

	assert_non_null(h);
	h->live = false;
	h->root = xs("/var/tmp/x10dai");
	OK(hv_fact_set_ok(&h->capture.fact, "hwvirt/capture.json"));
	h->capture.created = xs("2025-11-22T04:16:00Z");
	h->capture.hostname = xs("vm");
	h->capture.hwvirt_version = xs("0.1.0");

	/* CPU: the build machine */
	OK(hv_fact_set_ok(&cpu->cpuid, "cpuid"));
	cpu->types = calloc(1, sizeof(*cpu->types));
	assert_non_null(cpu->types);
	cpu->n_types = 1;
	cpu->types[0].cpus = xs("0-1");
	cpu->types[0].cpuid.cpu = 0;
	add_leaf(&cpu->types[0].cpuid, 0x0, 0, 0x0000001c, 0x68747541,
		 0x444d4163, 0x69746e65);
	add_leaf(&cpu->types[0].cpuid, 0x1, 0, 0x00a10f11, 0x00020800,
		 0xfffa3203, 0x178bfbff);
	add_leaf(&cpu->types[0].cpuid, 0x40000000, 0, 0x40000001, 0x4b4d564b,
		 0x564b4d56, 0x0000004d);
	add_leaf(&cpu->types[0].cpuid, 0x80000000, 0, 0x80000021, 0x68747541,
		 0x444d4163, 0x69746e65);
	add_leaf(&cpu->types[0].cpuid, 0x80000001, 0, 0x00a10f11, 0x40000000,
		 0x004003f3, 0x2fd3fbff);
	add_leaf(&cpu->types[0].cpuid, 0x8000000a, 0, 0, 0, 0, 0);
	cpu->vendor = HV_CPU_VENDOR_AMD;
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "AuthenticAMD");
	snprintf(cpu->brand, sizeof(cpu->brand), "AMD EPYC");
	cpu->signature = 0x00a10f11;
	cpu->family = 25;
	cpu->model = 17;
	cpu->stepping = 1;
	cpu->max_leaf = 0x1c;
	cpu->max_ext_leaf = 0x80000021;
	cpu->hypervisor = true;
	snprintf(cpu->hypervisor_id, sizeof(cpu->hypervisor_id), "KVMKVMKVM");
	cpu->have_svm_leaf = true;
	OK(hv_fact_set_ok(&cpu->cpuinfo, "proc/cpuinfo"));
	cpu->model_name = xs("AMD EPYC");
	cpu->microcode = xs("0x1000065");
	strv_set(&cpu->flags, cpu_flags);
	cpu->logical_cpus = 2;
	cpu->sockets = 1;
	OK(hv_fact_set_ok(&cpu->numa, "sys/devices/system/node/online"));
	cpu->numa_nodes = 1;
	cpu->virt_enabled = HV_TRI_NO;
	cpu->ept = cpu->vpid = cpu->unrestricted_guest = HV_TRI_NO;
	cpu->posted_interrupts = cpu->apicv = HV_TRI_NO;
	cpu->npt = cpu->avic = HV_TRI_NO;

	/* kernel: the build machine */
	OK(hv_fact_set_ok(&k->release_fact, "proc/sys/kernel/osrelease"));
	k->release = xs("6.18.44-fc-v669");
	OK(hv_fact_set_ok(&k->hostname_fact, "proc/sys/kernel/hostname"));
	k->hostname = xs("vm");
	OK(hv_fact_set_ok(&k->cmdline_fact, "proc/cmdline"));
	k->cmdline_raw = xs("console=ttyS0 quiet reboot=k nested_pvm=1");
	k->cmdline.params = kparams(cmdline, 4);
	k->cmdline.n_params = k->cmdline.cap = 4;
	OK(hv_fact_set_ok(&k->modules_fact, "sys/module"));
	OK(hv_fact_set_absent(&k->modules_index_fact,
			      "lib/modules/6.18.44-fc-v669/modules.dep"));
	k->modules = calloc(2, sizeof(*k->modules));
	assert_non_null(k->modules);
	k->n_modules = 2;
	k->modules[0] = (struct hv_module){
		.name = xs("kvm"), .loaded = HV_TRI_YES, .builtin = true,
		.available = HV_TRI_YES, .params = kparams(kvm_params, 3),
		.n_params = 3,
	};
	k->modules[1] = (struct hv_module){
		.name = xs("kvm_amd"), .loaded = HV_TRI_NO,
		.available = HV_TRI_UNKNOWN,
	};
	OK(hv_fact_set_ok(&k->dev_kvm_fact, "dev/kvm"));
	k->dev_kvm = HV_TRI_YES;
	k->dev_kvm_usable = HV_TRI_YES;
	k->kvm_api_version = 12;
	OK(hv_fact_set_ok(&k->hugepages_fact, "sys/kernel/mm/hugepages"));
	k->hugepages = calloc(2, sizeof(*k->hugepages));
	assert_non_null(k->hugepages);
	k->n_hugepages = 2;
	k->hugepages[0] = (struct hv_hugepages){ 2048, 0, 0 };
	k->hugepages[1] = (struct hv_hugepages){ 1048576, 0, 0 };
	k->default_hugepage_kb = 2048;

	/* firmware: the Supermicro X10DAi */
	OK(hv_fact_set_ok(&dmi->fact, "sys/class/dmi/id"));
	dmi->bios_vendor = xs("American Megatrends Inc.");
	dmi->bios_version = xs("3.4");
	dmi->bios_date = xs("10/04/2021");
	dmi->bios_release = xs("5.11");
	dmi->sys_vendor = xs("Supermicro");
	dmi->product_name = xs("X10DAi");
	dmi->product_version = xs("123456789");
	dmi->product_family = xs("SMC X10");
	dmi->board_vendor = xs("Supermicro");
	dmi->board_name = xs("X10DAI");
	dmi->board_version = xs("1.01");
	dmi->chassis_vendor = xs("To be filled by O.E.M.");
	OK(hv_fact_set_ok(&h->firmware.efi_fact, "sys/firmware/efi"));
	h->firmware.uefi = HV_TRI_YES;

	/* ACPI: its DMAR */
	OK(hv_fact_set_ok(&h->acpi.tables_fact, "sys/firmware/acpi/tables"));
	acpi_from_corpus(&h->acpi.dmar,
			 "acpi/dmar/desktop_Supermicro_X10DAi_4A64A6094FE3.dmar.dat",
			 "sys/firmware/acpi/tables/DMAR");
	OK(hv_fact_set_absent(&h->acpi.ivrs.fact, "sys/firmware/acpi/tables/IVRS"));
	OK(hv_fact_set_absent(&h->acpi.viot.fact, "sys/firmware/acpi/tables/VIOT"));
	OK(hv_fact_set_absent(&h->acpi.iort.fact, "sys/firmware/acpi/tables/IORT"));

	/* IOMMU */
	OK(hv_fact_set_ok(&io->units_fact, "sys/class/iommu"));
	io->units = calloc(1, sizeof(*io->units));
	assert_non_null(io->units);
	io->n_units = 1;
	io->units[0].name = xs("dmar0");
	io->units[0].kind = xs("intel-iommu");
	strv_set(&io->units[0].devices, (const char *const[]){
		"0000:00:01.0", "0000:01:00.0", "0000:02:10.0", NULL });
	OK(hv_fact_set_ok(&io->groups_fact, "sys/kernel/iommu_groups"));
	add_group(io, 13, "DMA", (const char *const[]){ "0000:00:01.0", NULL });
	add_group(io, 37, "DMA-FQ", (const char *const[]){ "0000:01:00.0", NULL });
	add_group(io, 92, "DMA", (const char *const[]){ "0000:02:10.0", NULL });
	io->state = HV_IOMMU_STATE_TRANSLATED;
	io->state_reason = xs("intel_iommu=on and every group translates");

	/* PCI */
	OK(hv_fact_set_ok(&h->pci.fact, "sys/bus/pci/devices"));
	d = add_dev(h, "0000:00:01.0");		/* pcics 8086_2030 */
	d->vendor_id = 0x8086;
	d->device_id = 0x2030;
	d->subsys_vendor_id = 0x8086;
	d->revision = 0x04;
	d->class_code = 0x060400;
	d->vendor_name = xs("Intel Corporation");
	d->device_name = xs("Sky Lake-E PCI Express Root Port A");
	d->class_name = xs("PCI bridge");
	d->driver = xs("pcieport");
	d->numa_node = 0;
	d->iommu_group = 13;
	config_facts(d, 4096, true);
	d->is_pcie = true;
	d->pcie_type = 0x4;

	d = add_dev(h, "0000:01:00.0");		/* pciutils cap-pcie-2 */
	d->vendor_id = 0x8086;
	d->device_id = 0x10c9;
	d->subsys_vendor_id = 0x8086;
	d->subsys_id = 0xa03c;
	d->revision = 0x01;
	d->class_code = 0x020000;
	d->vendor_name = xs("Intel Corporation");
	d->device_name = xs("82576 Gigabit Network Connection");
	d->class_name = xs("Ethernet controller");
	d->driver = xs("igb");
	d->numa_node = 0;
	d->iommu_group = 37;
	config_facts(d, 4096, true);
	d->is_pcie = true;
	d->pcie_type = 0x0;
	d->sriov = sr = new_sriov();
	OK(hv_fact_set_ok(&sr->cap_fact, "sys/bus/pci/devices/0000:01:00.0/config"));
	sr->cap_offset = 0x160;
	sr->capabilities = 0;
	sr->control = 0x0009;
	sr->status = 0;
	sr->initial_vfs = 8;
	sr->total_vfs = 8;
	sr->num_vfs = 1;
	sr->vf_offset = 384;
	sr->vf_stride = 2;
	sr->vf_device_id = 0x10ca;
	sr->supported_page_sizes = 0x553;
	sr->system_page_size = 0x1;
	sr->vf_enable = true;
	sr->vf_bar[0] = 0xd2840004;
	sr->vf_bar[3] = 0xd2860004;
	sr->sysfs_totalvfs = 8;
	sr->sysfs_numvfs = 1;
	sr->sysfs_offset = 384;
	sr->sysfs_stride = 2;
	sr->sysfs_vf_device = 0x10ca;
	sr->drivers_autoprobe = HV_TRI_YES;
	OK(hv_strv_add(&sr->vfs, "0000:02:10.0"));

	d = add_dev(h, "0000:02:10.0");		/* its VF: 0x100 + 384 */
	d->vendor_id = 0x8086;
	d->device_id = 0x10ca;
	d->subsys_vendor_id = 0x8086;
	d->subsys_id = 0xa03c;
	d->revision = 0x01;
	d->class_code = 0x020000;
	d->vendor_name = xs("Intel Corporation");
	d->device_name = xs("82576 Virtual Function");
	d->class_name = xs("Ethernet controller");
	d->driver = xs("igbvf");
	d->numa_node = 0;
	d->iommu_group = 92;
	d->physfn = xs("0000:01:00.0");
	config_facts(d, 4096, true);
	d->is_pcie = true;
	return h;
}

/* What an ordinary user sees, with malformed input too. */
static struct hv_host *
make_unknown_host(void)
{
	static const char *const vmx_flags[] = {	/* i7-11850H, sorted */
		"apicv", "ept", "ept_1gb", "ept_ad", "ept_mode_based_exec",
		"ept_x_only", "flexpriority", "invvpid", "mtf", "ple", "pml",
		"posted_intr", "preemption_timer", "shadow_vmcs", "tsc_offset",
		"tsc_scaling", "unrestricted_guest", "vapic", "vapic_reg", "vid",
		"vnmi", "vpid", "vtpr", NULL,
	};
	static const char *const flags[] = {
		"ept", "fpu", "tme", "vmx", "vpid", "x2apic", NULL,
	};
	static const char *const kvm_intel_params[] = { "ept", NULL, "nested", "Y" };
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu = &h->cpu;
	struct hv_kernel *k = &h->kernel;
	struct hv_pci_dev *d;
	struct hv_sriov *sr;

	assert_non_null(h);
	h->live = true;
	h->root = xs("/");

	OK(hv_fact_set_invalid(&cpu->cpuid, "hwvirt/cpuid.txt", -EBADMSG,
			       "line 3: expected \"0xLEAF 0xSUB: eax=...\""));
	OK(hv_host_diag(h, true, "hwvirt/cpuid.txt", 3, -EBADMSG,
			"expected \"0xLEAF 0xSUB: eax=...\""));
	OK(hv_fact_set_ok(&cpu->cpuinfo, "proc/cpuinfo"));
	cpu->model_name = xs("11th Gen Intel(R) Core(TM) i7-11850H @ 2.50GHz");
	cpu->microcode = xs("0x42");
	strv_set(&cpu->flags, flags);
	strv_set(&cpu->vmx_flags, vmx_flags);
	cpu->logical_cpus = 16;
	cpu->sockets = 1;
	OK(hv_fact_set_absent(&cpu->numa, "sys/devices/system/node"));
	cpu->virt_enabled = cpu->ept = cpu->vpid = HV_TRI_YES;
	cpu->unrestricted_guest = cpu->posted_interrupts = HV_TRI_YES;
	cpu->apicv = HV_TRI_YES;

	OK(hv_fact_set_ok(&k->release_fact, "proc/sys/kernel/osrelease"));
	k->release = xs("6.18.44-fc-v669");
	OK(hv_fact_set_unknown(&k->hostname_fact, "proc/sys/kernel/hostname",
			       -EIO));
	OK(hv_fact_set_ok(&k->cmdline_fact, "proc/cmdline"));
	k->cmdline_raw = xs("");
	OK(hv_fact_set_ok(&k->modules_fact, "sys/module"));
	OK(hv_fact_set_unknown(&k->modules_index_fact,
			       "lib/modules/6.18.44-fc-v669/modules.dep", -EACCES));
	k->modules = calloc(1, sizeof(*k->modules));
	assert_non_null(k->modules);
	k->n_modules = 1;
	k->modules[0] = (struct hv_module){
		.name = xs("kvm_intel"), .loaded = HV_TRI_YES,
		.available = HV_TRI_YES, .params = kparams(kvm_intel_params, 2),
		.n_params = 2,
	};
	k->modules[0].params[0].err = -EACCES;
	OK(hv_fact_set_unknown(&k->dev_kvm_fact, "dev/kvm", -EACCES));
	k->dev_kvm = HV_TRI_YES;
	k->dev_kvm_usable = HV_TRI_UNKNOWN;
	OK(hv_fact_set_absent(&k->hugepages_fact, "sys/kernel/mm/hugepages"));

	OK(hv_fact_set_unknown(&h->firmware.dmi.fact, "sys/class/dmi/id",
			       -EACCES));
	OK(hv_fact_set_absent(&h->firmware.efi_fact, "sys/firmware/efi"));
	h->firmware.uefi = HV_TRI_NO;

	OK(hv_fact_set_ok(&h->acpi.tables_fact, "sys/firmware/acpi/tables"));
	OK(hv_fact_set_unknown(&h->acpi.dmar.fact,
			       "sys/firmware/acpi/tables/DMAR", -EACCES));
	h->acpi.dmar.present = true;
	OK(hv_fact_set_absent(&h->acpi.ivrs.fact, "sys/firmware/acpi/tables/IVRS"));
	/* viot: never probed */
	OK(hv_fact_set_invalid(&h->acpi.iort.fact, "sys/firmware/acpi/tables/IORT",
			       -EBADMSG, "table length 12 is shorter than its "
			       "36-byte header"));
	h->acpi.iort.present = true;

	OK(hv_fact_set_absent(&h->iommu.units_fact, "sys/class/iommu"));
	OK(hv_fact_set_absent(&h->iommu.groups_fact, "sys/kernel/iommu_groups"));
	h->iommu.state = HV_IOMMU_STATE_UNKNOWN;

	OK(hv_fact_set_ok(&h->pci.fact, "sys/bus/pci/devices"));
	d = add_dev(h, "0000:00:1f.3");		/* pcics 8086_9dc8 */
	d->vendor_id = 0x8086;
	d->device_id = 0x9dc8;
	d->class_code = 0x040300;
	d->class_name = xs("Audio device");
	config_facts(d, 64, false);
	d = add_dev(h, "0000:01:00.0");		/* the 82576, not root */
	d->vendor_id = 0x8086;
	d->device_id = 0x10c9;
	d->class_code = 0x020000;
	d->driver = xs("igb");
	config_facts(d, 64, false);
	d->sriov = sr = new_sriov();
	OK(hv_fact_set_unknown(&sr->cap_fact,
			       "sys/bus/pci/devices/0000:01:00.0/config", -EACCES));
	sr->sysfs_totalvfs = 8;
	sr->sysfs_numvfs = 0;
	return h;
}

/* Strings a hostile capture could hold. */
#define EVIL_QUOTE	"Evil \"Corp\" <b>&amp;</b> 'x'"
#define EVIL_ESC	"\x1b]0;pwned\x07\x1b[2J"
#define EVIL_UTF8	"caf\xc3\xa9 \xff\xfe \xed\xa0\x80 \xc0\xaf \xe2\x82"
#define EVIL_CTRL	"a\x01" "b\x7f" "c\xc2\x85" "d\xef\xbf\xbe" "e\tf\ng"
#define R		"\xef\xbf\xbd"	/* U+FFFD */

static struct hv_host *
make_hostile_host(void)
{
	static const char *const mod_params[] = { "opt", EVIL_QUOTE EVIL_ESC };
	struct hv_host *h = hv_host_new();
	struct hv_dmi *dmi = &h->firmware.dmi;
	struct hv_pci_dev *d;

	assert_non_null(h);
	h->root = xs("/tmp/evil \"<root>\" & " EVIL_ESC);
	OK(hv_fact_set_ok(&h->capture.fact, "hwvirt/capture.json"));
	h->capture.hostname = xs(EVIL_UTF8);
	OK(hv_fact_set_ok(&dmi->fact, "sys/class/dmi/id"));
	dmi->bios_vendor = xs(EVIL_QUOTE);
	dmi->bios_version = xs(EVIL_ESC);
	dmi->product_name = xs(EVIL_UTF8);
	dmi->board_name = xs(EVIL_CTRL);
	OK(hv_fact_set_ok(&h->kernel.cmdline_fact, "proc/cmdline"));
	h->kernel.cmdline_raw = xs("root=\"/dev/sda1\" x=<y>&z " EVIL_ESC);
	OK(hv_fact_set_ok(&h->kernel.modules_fact, "sys/module"));
	h->kernel.modules = calloc(1, sizeof(*h->kernel.modules));
	assert_non_null(h->kernel.modules);
	h->kernel.n_modules = 1;
	h->kernel.modules[0] = (struct hv_module){
		.name = xs("vfio_pci"), .loaded = HV_TRI_YES,
		.params = kparams(mod_params, 1), .n_params = 1,
	};
	/* the HP EliteBook 6930p: OEM id of blanks, OEM table id 01 00 .. */
	acpi_from_corpus(&h->acpi.dmar,
			 "acpi/dmar/notebook_HP_EliteBook-6930p_D4ACF28F4822.dmar.dat",
			 "sys/firmware/acpi/tables/DMAR");
	OK(hv_fact_set_ok(&h->pci.fact, "sys/bus/pci/devices"));
	d = add_dev(h, "0000:00:02.0");
	d->vendor_name = xs(EVIL_QUOTE);
	d->device_name = xs(EVIL_ESC EVIL_UTF8);
	d->driver = xs("drv<&>");
	OK(hv_fact_set_unknown(&d->config_fact, "sys/bus/pci/devices/0000:00:02.0/config",
			       -EACCES));
	OK(hv_host_diag(h, true, "sys/bus/pci/devices/0000:00:02.0/" EVIL_UTF8, 0,
			-EBADMSG, "bad name " EVIL_ESC));
	return h;
}

/* ---- audits ----------------------------------------------------------- */

#define LONG_REMEDY \
	"Enable VT-d in the firmware setup, add intel_iommu=on to the kernel " \
	"command line through the boot loader in use (on Debian a drop-in under " \
	"/etc/default/grub.d/ then update-grub), and reboot; hwvirt fix can do " \
	"the kernel command line part for you and undo it later."

static const struct hv_check test_checks[] = {
	{ .id = "cpu.virt", .area = "cpu", .title = "Hardware virtualization",
	  .remedy = "Enable VT-x or AMD-V in the firmware setup." },
	{ .id = "iommu.enabled", .area = "iommu",
	  .title = "IOMMU enabled in the kernel",
	  .remedy = "Turn the IOMMU on." },
	{ .id = "kvm.dev", .area = "kvm", .title = "/dev/kvm usable",
	  .remedy = "Load kvm_intel or kvm_amd." },
	{ .id = "test.elsewhere", .area = "zz-no-such-area",
	  .title = "A check of no known area", .remedy = "Nothing to do." },
	{ .id = "cpu.nested", .area = "cpu", .title = "Nested virtualization",
	  .remedy = "Set nested=1." },
};

static struct hv_audit *
make_audit(const char *message)
{
	struct hv_audit *a = calloc(1, sizeof(*a));
	struct hv_finding *f;

	assert_non_null(a);
	OK(hv_strv_add(&a->profiles, "kvm-host"));
	OK(hv_strv_add(&a->profiles, "passthrough"));
	a->findings = calloc(5, sizeof(*a->findings));
	assert_non_null(a->findings);
	a->n_findings = 5;

	f = &a->findings[0];
	f->check = &test_checks[0];
	f->severity = HV_SEVERITY_REQUIRED;
	OK(hv_finding_set(f, HV_STATUS_PASS, "%s", "SVM is in CPUID."));
	OK(hv_finding_observed(f, "svm"));
	OK(hv_finding_expected(f, "vmx or svm"));
	OK(hv_finding_evidence(f, "cpuid 0x80000001:ecx", "0x%08x", 0x004003f3));

	f = &a->findings[1];
	f->check = &test_checks[1];
	f->severity = HV_SEVERITY_REQUIRED;
	OK(hv_finding_set(f, HV_STATUS_FAIL, "%s", message));
	OK(hv_finding_observed(f, "off"));
	OK(hv_finding_expected(f, "translated"));
	OK(hv_finding_evidence(f, "sys/class/iommu", "(empty)"));
	OK(hv_finding_evidence(f, "proc/cmdline", "console=ttyS0 quiet"));
	OK(hv_finding_remedy(f, "%s", LONG_REMEDY));

	f = &a->findings[2];
	f->check = &test_checks[2];
	f->severity = HV_SEVERITY_RECOMMENDED;
	OK(hv_finding_set(f, HV_STATUS_UNKNOWN, "%s",
			  "dev/kvm could not be read: permission denied (needs root)"));
	OK(hv_finding_evidence(f, "dev/kvm", "Permission denied (needs root)"));
	/* no own remedy: the check's is written */

	f = &a->findings[3];
	f->check = &test_checks[3];
	f->severity = HV_SEVERITY_INFO;
	OK(hv_finding_set(f, HV_STATUS_NOTAPPLICABLE, "%s", "No such thing here."));

	f = &a->findings[4];
	f->check = &test_checks[4];
	f->severity = HV_SEVERITY_RECOMMENDED;
	OK(hv_finding_set(f, HV_STATUS_SKIP, "%s",
			  "not judged: cpu.virt is fail"));
	OK(hv_finding_observed(f, "not judged"));

	a->counts[HV_STATUS_PASS] = 1;
	a->counts[HV_STATUS_FAIL] = 1;
	a->counts[HV_STATUS_UNKNOWN] = 1;
	a->counts[HV_STATUS_NOTAPPLICABLE] = 1;
	a->counts[HV_STATUS_SKIP] = 1;
	a->verdict = HV_VERDICT_NOT_READY;
	a->score = 43;
	return a;
}

/* ---- writing and reading back ----------------------------------------- */

typedef int (*writer_fn)(FILE *, const struct hv_report *,
			 const struct hv_write_opts *);

/* Write with w into memory. NUL-terminated; caller frees. */
static char *
write_mem(writer_fn w, const struct hv_report *r,
	  const struct hv_write_opts *o, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	OK(w(f, r, o));
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	assert_true(len > 0);
	assert_int_equal(strlen(buf), len);	/* no NUL inside */
	if (ret_len)
		*ret_len = len;
	return buf;
}

static struct json_object *
parse_json(const char *s)
{
	enum json_tokener_error e = json_tokener_success;
	struct json_object *j = json_tokener_parse_verbose(s, &e);

	if (e != json_tokener_success)
		fail_msg("JSON does not parse: %s", json_tokener_error_desc(e));
	assert_non_null(j);
	return j;
}

/* The value at a dotted path ("host.pci.devices.0.vendor_id"); fails the
 * test if a member is missing. A JSON null comes back as NULL. */
static struct json_object *
jget(struct json_object *j, const char *path)
{
	_cleanup_free_ char *p = xs(path);
	char *save = NULL;

	for (char *t = strtok_r(p, ".", &save); t; t = strtok_r(NULL, ".", &save)) {
		if (!j)
			fail_msg("%s: null before '%s'", path, t);
		if (json_object_is_type(j, json_type_array)) {
			size_t i = strtoul(t, NULL, 10);

			if (i >= json_object_array_length(j))
				fail_msg("%s: no item %zu", path, i);
			j = json_object_array_get_idx(j, i);
		} else if (!json_object_object_get_ex(j, t, &j)) {
			fail_msg("%s: no member '%s'", path, t);
		}
	}
	return j;
}

static const char *
jstr(struct json_object *j, const char *path)
{
	struct json_object *v = jget(j, path);

	if (!v || !json_object_is_type(v, json_type_string))
		fail_msg("%s: not a string", path);
	return json_object_get_string(v);
}

static int64_t
jint(struct json_object *j, const char *path)
{
	struct json_object *v = jget(j, path);

	if (!v || !json_object_is_type(v, json_type_int))
		fail_msg("%s: not a number", path);
	return json_object_get_int64(v);
}

static bool
jbool(struct json_object *j, const char *path)
{
	struct json_object *v = jget(j, path);

	if (!v || !json_object_is_type(v, json_type_boolean))
		fail_msg("%s: not a boolean", path);
	return json_object_get_boolean(v);
}

static void
jnull(struct json_object *j, const char *path)
{
	if (jget(j, path) != NULL)
		fail_msg("%s: not null", path);
}

static bool
jhas(struct json_object *j, const char *path_to_obj, const char *key)
{
	struct json_object *o = jget(j, path_to_obj);

	assert_non_null(o);
	return json_object_object_get_ex(o, key, NULL);
}

static void
quiet_xml_error(void *ctx _unused_, xmlErrorPtr e _unused_)
{
}

static xmlDocPtr
parse_xml(const char *s, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(s, (int)len, "report.xml", NULL,
				      XML_PARSE_NONET);

	if (!doc)
		fail_msg("XML does not parse");
	return doc;
}

/* 0 if doc is valid against data/schema/report.xsd. */
static int
xsd_validate(xmlDocPtr doc, bool quiet)
{
	_cleanup_free_ char *path = hv_test_srcpath("data/schema/report.xsd");
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
	xmlSchemaValidCtxtPtr vc;
	xmlSchemaPtr schema;
	int r;

	assert_non_null(pc);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!schema)
		fail_msg("%s does not compile", path);
	vc = xmlSchemaNewValidCtxt(schema);
	assert_non_null(vc);
	if (quiet)
		xmlSchemaSetValidStructuredErrors(vc, quiet_xml_error, NULL);
	r = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	return r;
}

/* string(xpath) of doc. Caller frees. */
static char *
xpath_str(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	_cleanup_free_ char *e = hv_asprintf("string(%s)", expr);
	xmlXPathObjectPtr o;
	char *s;

	assert_non_null(ctx);
	o = xmlXPathEvalExpression((const xmlChar *)e, ctx);
	assert_non_null(o);
	s = xs((const char *)o->stringval);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static double
xpath_num(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o;
	double v;

	assert_non_null(ctx);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	assert_non_null(o);
	v = xmlXPathCastToNumber(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return v;
}

static void
assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	_cleanup_free_ char *got = xpath_str(doc, expr);

	if (strcmp(got, want) != 0)
		fail_msg("%s: '%s', expected '%s'", expr, got, want);
}

static void
assert_xcount(xmlDocPtr doc, const char *expr, int want)
{
	_cleanup_free_ char *e = hv_asprintf("count(%s)", expr);
	int got = (int)xpath_num(doc, e);

	if (got != want)
		fail_msg("%s: %d, expected %d", e, got, want);
}

/* ---- the JSON and the XML hold the same content ----------------------- */

static xmlNodePtr
next_elem(xmlNodePtr n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

static const char *
scalar_text(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static void compare_value(struct json_object *j, xmlNodePtr n,
			  const char *where);

static void
compare_text(const char *want, xmlNodePtr n, const char *where)
{
	xmlChar *t = xmlNodeGetContent(n);

	if (!t || strcmp((const char *)t, want) != 0)
		fail_msg("%s: XML '%s', JSON '%s'", where, t ? (char *)t : "",
			 want);
	xmlFree(t);
}

static void
compare_facts(struct json_object *facts, xmlNodePtr n, const char *where)
{
	xmlNodePtr c = next_elem(n->children);

	json_object_object_foreach(facts, name, f) {
		xmlChar *nm;

		if (!c || strcmp((const char *)c->name, "fact") != 0)
			fail_msg("%s: no <fact> for %s", where, name);
		nm = xmlGetProp(c, (const xmlChar *)"name");
		assert_non_null(nm);
		assert_string_equal((const char *)nm, name);
		xmlFree(nm);
		json_object_object_foreach(f, attr, val) {
			xmlChar *a = xmlGetProp(c, (const xmlChar *)attr);

			if (!val) {
				if (a)
					fail_msg("%s.%s.%s: null in JSON, set in XML",
						 where, name, attr);
			} else if (!a || strcmp((const char *)a, scalar_text(val)) != 0) {
				fail_msg("%s.%s.%s differs", where, name, attr);
			}
			xmlFree(a);
		}
		c = next_elem(c->next);
	}
	if (c)
		fail_msg("%s: extra <%s>", where, c->name);
}

static void
compare_value(struct json_object *j, xmlNodePtr n, const char *where)
{
	switch (json_object_get_type(j)) {
	case json_type_object: {
		xmlNodePtr c = next_elem(n->children);

		json_object_object_foreach(j, key, val) {
			_cleanup_free_ char *w = hv_asprintf("%s.%s", where, key);

			if (n->parent && n->parent->type == XML_DOCUMENT_NODE &&
			    (strcmp(key, "schema_version") == 0 ||
			     strcmp(key, "hwvirt_version") == 0 ||
			     strcmp(key, "command") == 0)) {
				xmlChar *a = xmlGetProp(n, (const xmlChar *)key);

				assert_non_null(a);
				assert_string_equal((const char *)a, scalar_text(val));
				xmlFree(a);
				continue;
			}
			if (!val) {
				if (c && strcmp((const char *)c->name, key) == 0)
					fail_msg("%s: null in JSON, present in XML", w);
				continue;
			}
			if (!c || strcmp((const char *)c->name, key) != 0)
				fail_msg("%s: expected <%s>, got <%s>", w, key,
					 c ? (const char *)c->name : "(end)");
			if (strcmp(key, "facts") == 0)
				compare_facts(val, c, w);
			else
				compare_value(val, c, w);
			c = next_elem(c->next);
		}
		if (c)
			fail_msg("%s: extra <%s>", where, c->name);
		break;
	}
	case json_type_array: {
		xmlNodePtr c = next_elem(n->children);
		size_t len = json_object_array_length(j);

		for (size_t i = 0; i < len; i++) {
			_cleanup_free_ char *w = hv_asprintf("%s.%zu", where, i);

			if (!c)
				fail_msg("%s: missing in XML", w);
			compare_value(json_object_array_get_idx(j, i), c, w);
			c = next_elem(c->next);
		}
		if (c)
			fail_msg("%s: extra <%s>", where, c->name);
		break;
	}
	case json_type_null:
		fail_msg("%s: null in an array", where);
		break;
	case json_type_boolean:
	case json_type_double:
	case json_type_int:
	case json_type_string:
		compare_text(scalar_text(j), n, where);
		break;
	}
}

static void
assert_same_content(const struct hv_report *r)
{
	size_t jl, xl;
	_cleanup_free_ char *js = write_mem(hv_write_json, r, NULL, &jl);
	_cleanup_free_ char *x = write_mem(hv_write_xml, r, NULL, &xl);
	struct json_object *j = parse_json(js);
	xmlDocPtr doc = parse_xml(x, xl);
	xmlNodePtr root = xmlDocGetRootElement(doc);

	assert_non_null(root);
	assert_string_equal((const char *)root->name, "hwvirt");
	compare_value(j, root, "$");
	xmlFreeDoc(doc);
	json_object_put(j);
}

/* ---- JSON Schema validation through python3 -------------------------- */

static const char validate_py[] =
	"import json, sys\n"
	"try:\n"
	"    import jsonschema\n"
	"except ImportError:\n"
	"    print('python3 jsonschema is missing', file=sys.stderr)\n"
	"    sys.exit(3)\n"
	"s = json.load(open(sys.argv[1]))\n"
	"V = jsonschema.Draft202012Validator\n"
	"V.check_schema(s)\n"
	"v = V(s)\n"
	"bad = 0\n"
	"for f in sys.argv[2:]:\n"
	"    errs = sorted(v.iter_errors(json.load(open(f))), key=str)\n"
	"    for e in errs[:5]:\n"
	"        print(f, list(e.absolute_path), e.message[:300], file=sys.stderr)\n"
	"    bad += 1 if errs else 0\n"
	"sys.exit(1 if bad else 0)\n";

/* Run the validator on files; its exit status. quiet: stderr to /dev/null. */
static int
run_jsonschema(char *const *files, size_t n, bool quiet)
{
	const char *py = getenv("PYTHON3");
	_cleanup_free_ char *schema = hv_test_srcpath("data/schema/report.schema.json");
	char **argv = calloc(n + 5, sizeof(char *));
	posix_spawn_file_actions_t fa;
	int status = 0;
	pid_t pid;

	assert_non_null(argv);
	if (!py || !*py)
		py = "python3";
	argv[0] = (char *)py;
	argv[1] = (char *)"-c";
	argv[2] = (char *)validate_py;
	argv[3] = schema;
	for (size_t i = 0; i < n; i++)
		argv[4 + i] = files[i];
	OK(posix_spawn_file_actions_init(&fa));
	if (quiet)
		OK(posix_spawn_file_actions_addopen(&fa, STDERR_FILENO,
						    "/dev/null", O_WRONLY, 0));
	if (posix_spawnp(&pid, py, &fa, NULL, argv, environ) != 0)
		fail_msg("cannot run %s", py);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static char *
save(const char *dir, const char *name, const char *content)
{
	char *path = hv_asprintf("%s/%s", dir, name);
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* ---- tests: the sanitizer --------------------------------------------- */

static void
assert_sanitized(const char *in, const char *want)
{
	_cleanup_free_ char *out = NULL;

	OK(hv_writer_sanitize(in, &out));
	assert_non_null(out);
	assert_string_equal(out, want);
}

static void
test_sanitize(void **state _unused_)
{
	char *out = (char *)"x";

	OK(hv_writer_sanitize(NULL, &out));
	assert_null(out);
	assert_sanitized("", "");
	assert_sanitized("plain ASCII 0x10c9", "plain ASCII 0x10c9");
	/* valid UTF-8 of every length is kept */
	assert_sanitized("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x96\xa5 \xf4\x8f\xbf\xbf",
			 "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x96\xa5 \xf4\x8f\xbf\xbf");
	assert_sanitized("tab\tnew\nline", "tab\tnew\nline");
	/* bytes that start no sequence, overlong forms, surrogates, > U+10FFFF */
	assert_sanitized("\xff\xfe", R R);
	assert_sanitized("\xc0\xaf", R R);
	assert_sanitized("\xe0\x80\xaf", R R R);
	assert_sanitized("\xed\xa0\x80", R R R);
	assert_sanitized("\xf4\x90\x80\x80", R R R R);
	assert_sanitized("\xf8\x88\x80\x80\x80", R R R R R);
	/* truncated sequences, at the end and before ASCII */
	assert_sanitized("ab\xe2\x82", "ab" R R);
	assert_sanitized("\xe2\x82z", R R "z");
	assert_sanitized("\xf0\x9f\x96", R R R);
	/* controls: C0 but tab and newline, DEL, C1; the non-characters */
	assert_sanitized("\x1b[31mred\r", R "[31mred" R);
	assert_sanitized("\x01\x7f\xc2\x85\xc2\x9f\xc2\xa0", R R R R "\xc2\xa0");
	assert_sanitized("\xef\xbf\xbe\xef\xbf\xbf\xef\xbf\xbd", R R R);
	assert_sanitized(EVIL_CTRL, "a" R "b" R "c" R "d" R "e\tf\ng");
}

/* ---- tests: JSON ------------------------------------------------------ */

static void
test_json_full_inventory(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_report r = { .command = "inventory", .host = h };
	_cleanup_free_ char *s = write_mem(hv_write_json, &r, NULL, NULL);
	struct json_object *j = parse_json(s);

	/* the shape the brief fixes: 2-space indentation, "key": value */
	assert_non_null(strstr(s, "{\n  \"schema_version\": \"1.0\",\n"));
	assert_string_equal(jstr(j, "schema_version"), HV_REPORT_SCHEMA_VERSION);
	assert_string_equal(jstr(j, "hwvirt_version"), PACKAGE_VERSION);
	assert_string_equal(jstr(j, "command"), "inventory");
	assert_string_equal(jstr(j, "root"), "/var/tmp/x10dai");
	assert_false(jbool(j, "live"));
	assert_string_equal(jstr(j, "capture.created"), "2025-11-22T04:16:00Z");
	assert_string_equal(jstr(j, "capture.facts.capture.status"), "ok");
	assert_false(jhas(j, "", "audit"));
	assert_int_equal(json_object_array_length(jget(j, "diagnostics")), 0);

	/* cpu */
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.status"), "ok");
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.source"), "cpuid");
	assert_false(jhas(j, "host.cpu.facts.cpuid", "reason"));
	assert_false(jhas(j, "host.cpu.facts.cpuid", "errno"));
	assert_string_equal(jstr(j, "host.cpu.vendor"), "amd");
	assert_string_equal(jstr(j, "host.cpu.vendor_id"), "AuthenticAMD");
	assert_string_equal(jstr(j, "host.cpu.signature"), "0x00a10f11");
	assert_int_equal(jint(j, "host.cpu.family"), 25);
	assert_int_equal(jint(j, "host.cpu.model"), 17);
	assert_string_equal(jstr(j, "host.cpu.max_ext_leaf"), "0x80000021");
	assert_false(jbool(j, "host.cpu.svm"));
	assert_true(jbool(j, "host.cpu.hypervisor"));
	assert_string_equal(jstr(j, "host.cpu.hypervisor_id"), "KVMKVMKVM");
	assert_string_equal(jstr(j, "host.cpu.svm_leaf.eax"), "0x00000000");
	jnull(j, "host.cpu.sev_leaf");
	assert_string_equal(jstr(j, "host.cpu.types.0.cpus"), "0-1");
	jnull(j, "host.cpu.types.0.core_type");
	assert_string_equal(jstr(j, "host.cpu.types.0.cpuid.1.leaf"), "0x00000001");
	assert_string_equal(jstr(j, "host.cpu.types.0.cpuid.1.ecx"), "0xfffa3203");
	assert_string_equal(jstr(j, "host.cpu.types.0.cpuid.2.ebx"), "0x4b4d564b");
	assert_string_equal(jstr(j, "host.cpu.microcode"), "0x1000065");
	assert_string_equal(jstr(j, "host.cpu.flags.5"), "hypervisor");
	assert_int_equal(json_object_array_length(jget(j, "host.cpu.vmx_flags")), 0);
	assert_int_equal(jint(j, "host.cpu.logical_cpus"), 2);
	assert_int_equal(jint(j, "host.cpu.numa_nodes"), 1);
	assert_false(jbool(j, "host.cpu.virt_enabled"));

	/* kernel */
	assert_string_equal(jstr(j, "host.kernel.release"), "6.18.44-fc-v669");
	assert_string_equal(jstr(j, "host.kernel.cmdline_params.2.key"), "reboot");
	assert_string_equal(jstr(j, "host.kernel.cmdline_params.2.value"), "k");
	jnull(j, "host.kernel.cmdline_params.1.value");	/* "quiet" */
	assert_string_equal(jstr(j, "host.kernel.facts.modules_index.status"), "absent");
	assert_string_equal(jstr(j, "host.kernel.facts.modules_index.errno"), "ENOENT");
	assert_string_equal(jstr(j, "host.kernel.modules.0.name"), "kvm");
	assert_true(jbool(j, "host.kernel.modules.0.builtin"));
	assert_string_equal(jstr(j, "host.kernel.modules.0.params.2.value"), "200000");
	jnull(j, "host.kernel.modules.0.params.2.errno");
	assert_false(jbool(j, "host.kernel.modules.1.loaded"));
	jnull(j, "host.kernel.modules.1.builtin");
	jnull(j, "host.kernel.modules.1.available");
	assert_true(jbool(j, "host.kernel.dev_kvm_usable"));
	assert_int_equal(jint(j, "host.kernel.kvm_api_version"), 12);
	assert_int_equal(jint(j, "host.kernel.hugepages.1.size_kb"), 1048576);
	assert_int_equal(jint(j, "host.kernel.default_hugepage_kb"), 2048);

	/* firmware */
	assert_string_equal(jstr(j, "host.firmware.dmi.bios_vendor"),
			    "American Megatrends Inc.");
	assert_string_equal(jstr(j, "host.firmware.dmi.bios_date"), "10/04/2021");
	assert_string_equal(jstr(j, "host.firmware.dmi.board_name"), "X10DAI");
	assert_true(jbool(j, "host.firmware.uefi"));

	/* ACPI: the X10DAi's DMAR as iasl reads it: 0x158 bytes, rev 1 */
	assert_string_equal(jstr(j, "host.acpi.dmar.signature"), "DMAR");
	assert_true(jbool(j, "host.acpi.dmar.present"));
	assert_string_equal(jstr(j, "host.acpi.dmar.status"), "ok");
	assert_int_equal(jint(j, "host.acpi.dmar.length"), 0x158);
	assert_int_equal(jint(j, "host.acpi.dmar.revision"), 1);
	assert_string_equal(jstr(j, "host.acpi.dmar.oem_id"), "ALASKA");
	assert_string_equal(jstr(j, "host.acpi.dmar.oem_table_id"), "A M I ");
	assert_true(jbool(j, "host.acpi.dmar.checksum_ok"));
	assert_false(jhas(j, "host.acpi.dmar", "data"));
	assert_false(jbool(j, "host.acpi.ivrs.present"));
	assert_string_equal(jstr(j, "host.acpi.ivrs.facts.table.status"), "absent");
	jnull(j, "host.acpi.ivrs.length");

	/* IOMMU */
	assert_string_equal(jstr(j, "host.iommu.state"), "translated");
	assert_string_equal(jstr(j, "host.iommu.units.0.kind"), "intel-iommu");
	assert_int_equal(jint(j, "host.iommu.groups.1.id"), 37);
	assert_string_equal(jstr(j, "host.iommu.groups.1.type"), "DMA-FQ");
	assert_string_equal(jstr(j, "host.iommu.groups.2.devices.0"), "0000:02:10.0");

	/* PCI, in address order */
	assert_string_equal(jstr(j, "host.pci.devices.0.address"), "0000:00:01.0");
	assert_string_equal(jstr(j, "host.pci.devices.0.class"), "060400");
	assert_string_equal(jstr(j, "host.pci.devices.0.pcie_type"), "root_port");
	jnull(j, "host.pci.devices.0.sriov");
	assert_string_equal(jstr(j, "host.pci.devices.1.vendor_id"), "8086");
	assert_string_equal(jstr(j, "host.pci.devices.1.device_id"), "10c9");
	assert_string_equal(jstr(j, "host.pci.devices.1.subsystem_id"), "a03c");
	assert_string_equal(jstr(j, "host.pci.devices.1.revision"), "01");
	assert_string_equal(jstr(j, "host.pci.devices.1.class"), "020000");
	assert_int_equal(jint(j, "host.pci.devices.1.bus"), 1);
	assert_int_equal(jint(j, "host.pci.devices.1.iommu_group"), 37);
	assert_int_equal(jint(j, "host.pci.devices.1.config"), 4096);
	assert_true(jbool(j, "host.pci.devices.1.config_extended"));
	assert_true(jbool(j, "host.pci.devices.1.pcie"));
	assert_string_equal(jstr(j, "host.pci.devices.1.pcie_type"), "endpoint");
	jnull(j, "host.pci.devices.1.physfn");
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.offset"), "0x160");
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.control"), "0x0009");
	assert_int_equal(jint(j, "host.pci.devices.1.sriov.capability.vf_offset"), 384);
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.vf_device_id"),
			    "10ca");
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.supported_page_sizes"),
			    "0x00000553");
	assert_true(jbool(j, "host.pci.devices.1.sriov.capability.vf_enable"));
	assert_int_equal(json_object_array_length(
		jget(j, "host.pci.devices.1.sriov.capability.vf_bars")), 6);
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.vf_bars.0"),
			    "0x00000000d2840004");
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.capability.vf_bars.3"),
			    "0x00000000d2860004");
	assert_int_equal(jint(j, "host.pci.devices.1.sriov.sysfs.numvfs"), 1);
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.sysfs.vf_device"), "10ca");
	assert_true(jbool(j, "host.pci.devices.1.sriov.sysfs.drivers_autoprobe"));
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.vfs.0"), "0000:02:10.0");
	assert_string_equal(jstr(j, "host.pci.devices.2.physfn"), "0000:01:00.0");
	assert_string_equal(jstr(j, "host.pci.devices.2.driver"), "igbvf");

	json_object_put(j);
	hv_host_free(h);
}

static void
test_json_unknown(void **state _unused_)
{
	struct hv_host *h = make_unknown_host();
	struct hv_report r = { .command = "inventory", .host = h };
	_cleanup_free_ char *s = write_mem(hv_write_json, &r, NULL, NULL);
	struct json_object *j = parse_json(s);

	assert_true(jbool(j, "live"));
	jnull(j, "capture");
	/* an invalid CPUID dump: no value from it, the reason and a diagnostic */
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.status"), "invalid");
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.source"), "hwvirt/cpuid.txt");
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.reason"),
			    "line 3: expected \"0xLEAF 0xSUB: eax=...\"");
	assert_string_equal(jstr(j, "host.cpu.facts.cpuid.errno"), "EBADMSG");
	jnull(j, "host.cpu.vendor");
	jnull(j, "host.cpu.signature");
	jnull(j, "host.cpu.vmx");
	jnull(j, "host.cpu.types");
	assert_string_equal(jstr(j, "host.cpu.vmx_flags.0"), "apicv");
	assert_int_equal(json_object_array_length(jget(j, "host.cpu.vmx_flags")), 23);
	assert_true(jbool(j, "host.cpu.ept"));
	jnull(j, "host.cpu.npt");
	assert_string_equal(jstr(j, "host.cpu.facts.numa.status"), "absent");
	jnull(j, "host.cpu.numa_nodes");
	assert_string_equal(jstr(j, "diagnostics.0.path"), "hwvirt/cpuid.txt");
	assert_int_equal(jint(j, "diagnostics.0.line"), 3);
	assert_string_equal(jstr(j, "diagnostics.0.errno"), "EBADMSG");
	assert_true(jbool(j, "diagnostics.0.bad_input"));

	/* unreadable without root */
	assert_string_equal(jstr(j, "host.kernel.facts.hostname.errno"), "EIO");
	jnull(j, "host.kernel.hostname");
	assert_string_equal(jstr(j, "host.kernel.cmdline"), "");
	assert_int_equal(json_object_array_length(jget(j, "host.kernel.cmdline_params")), 0);
	jnull(j, "host.kernel.modules.0.params.0.value");
	assert_string_equal(jstr(j, "host.kernel.modules.0.params.0.errno"), "EACCES");
	assert_string_equal(jstr(j, "host.kernel.facts.dev_kvm.errno"), "EACCES");
	assert_non_null(strstr(jstr(j, "host.kernel.facts.dev_kvm.reason"), "needs root"));
	assert_true(jbool(j, "host.kernel.dev_kvm"));
	jnull(j, "host.kernel.dev_kvm_usable");
	jnull(j, "host.kernel.kvm_api_version");
	jnull(j, "host.kernel.hugepages");
	jnull(j, "host.kernel.default_hugepage_kb");
	assert_string_equal(jstr(j, "host.firmware.facts.dmi.status"), "unknown");
	jnull(j, "host.firmware.dmi.bios_vendor");
	assert_false(jbool(j, "host.firmware.uefi"));

	/* a root-only DMAR is present, its contents unknown */
	assert_true(jbool(j, "host.acpi.dmar.present"));
	assert_string_equal(jstr(j, "host.acpi.dmar.status"), "unknown");
	jnull(j, "host.acpi.dmar.length");
	jnull(j, "host.acpi.dmar.oem_id");
	jnull(j, "host.acpi.dmar.checksum_ok");
	jnull(j, "host.acpi.viot.present");
	assert_string_equal(jstr(j, "host.acpi.viot.status"), "unprobed");
	jnull(j, "host.acpi.viot.facts.table.source");
	jnull(j, "host.acpi.viot.facts.table.errno");
	assert_string_equal(jstr(j, "host.acpi.iort.status"), "invalid");
	assert_true(jbool(j, "host.acpi.iort.present"));

	assert_string_equal(jstr(j, "host.iommu.state"), "unknown");
	jnull(j, "host.iommu.state_reason");
	jnull(j, "host.iommu.units");
	jnull(j, "host.iommu.groups");

	/* 64 bytes of config: whether it is PCIe is not known */
	assert_int_equal(jint(j, "host.pci.devices.0.config"), 64);
	assert_false(jbool(j, "host.pci.devices.0.config_extended"));
	jnull(j, "host.pci.devices.0.pcie");
	jnull(j, "host.pci.devices.0.pcie_type");
	jnull(j, "host.pci.devices.0.numa_node");
	jnull(j, "host.pci.devices.0.iommu_group");
	jnull(j, "host.pci.devices.0.driver");
	jnull(j, "host.pci.devices.0.vendor_name");
	assert_string_equal(jstr(j, "host.pci.devices.0.facts.capabilities.errno"), "EACCES");
	jnull(j, "host.pci.devices.1.sriov.capability");
	assert_string_equal(jstr(j, "host.pci.devices.1.sriov.facts.capability.status"),
			    "unknown");
	assert_int_equal(jint(j, "host.pci.devices.1.sriov.sysfs.totalvfs"), 8);
	assert_int_equal(jint(j, "host.pci.devices.1.sriov.sysfs.numvfs"), 0);
	jnull(j, "host.pci.devices.1.sriov.sysfs.offset");
	jnull(j, "host.pci.devices.1.sriov.sysfs.drivers_autoprobe");

	json_object_put(j);
	hv_host_free(h);
}

static void
test_json_empty(void **state _unused_)
{
	struct hv_host *h = hv_host_new();
	struct hv_report r = { .command = "inventory", .host = h };
	_cleanup_free_ char *s = write_mem(hv_write_json, &r, NULL, NULL);
	struct json_object *j = parse_json(s);

	assert_string_equal(jstr(j, "root"), "/");
	jnull(j, "capture");
	assert_string_equal(jstr(j, "host.pci.facts.devices.status"), "unprobed");
	assert_string_equal(jstr(j, "host.pci.facts.devices.reason"), "not probed");
	jnull(j, "host.pci.devices");
	jnull(j, "host.cpu.flags");
	jnull(j, "host.kernel.kvm_api_version");	/* -1 */
	assert_string_equal(jstr(j, "host.acpi.iort.signature"), "IORT");
	assert_string_equal(jstr(j, "host.iommu.state"), "unknown");
	assert_int_equal(json_object_array_length(jget(j, "diagnostics")), 0);
	json_object_put(j);
	hv_host_free(h);
}

static void
test_json_audit(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_audit *a = make_audit("The IOMMU is off.");
	struct hv_report r = { .command = "audit", .host = h, .audit = a };
	_cleanup_free_ char *s = write_mem(hv_write_json, &r, NULL, NULL);
	struct json_object *j = parse_json(s);

	assert_string_equal(jstr(j, "command"), "audit");
	assert_string_equal(jstr(j, "audit.profiles.1"), "passthrough");
	assert_string_equal(jstr(j, "audit.verdict"), "not-ready");
	assert_int_equal(jint(j, "audit.score"), 43);
	assert_int_equal(jint(j, "audit.summary.pass"), 1);
	assert_int_equal(jint(j, "audit.summary.fail"), 1);
	assert_int_equal(jint(j, "audit.summary.warn"), 0);
	assert_int_equal(jint(j, "audit.summary.notapplicable"), 1);
	assert_int_equal(jint(j, "audit.summary.fixed"), 0);
	assert_int_equal(json_object_object_length(jget(j, "audit.summary")), 7);
	assert_int_equal(json_object_array_length(jget(j, "audit.findings")), 5);
	assert_string_equal(jstr(j, "audit.findings.0.id"), "cpu.virt");
	assert_string_equal(jstr(j, "audit.findings.0.area"), "cpu");
	assert_string_equal(jstr(j, "audit.findings.0.status"), "pass");
	assert_string_equal(jstr(j, "audit.findings.0.severity"), "required");
	assert_string_equal(jstr(j, "audit.findings.0.evidence.0.path"),
			    "cpuid 0x80000001:ecx");
	assert_string_equal(jstr(j, "audit.findings.0.evidence.0.value"), "0x004003f3");
	assert_string_equal(jstr(j, "audit.findings.1.status"), "fail");
	assert_string_equal(jstr(j, "audit.findings.1.message"), "The IOMMU is off.");
	assert_string_equal(jstr(j, "audit.findings.1.observed"), "off");
	assert_string_equal(jstr(j, "audit.findings.1.expected"), "translated");
	assert_string_equal(jstr(j, "audit.findings.1.remedy"), LONG_REMEDY);
	assert_string_equal(jstr(j, "audit.findings.1.evidence.1.value"),
			    "console=ttyS0 quiet");
	/* the check's remedy where the finding has none */
	assert_string_equal(jstr(j, "audit.findings.2.remedy"),
			    "Load kvm_intel or kvm_amd.");
	assert_string_equal(jstr(j, "audit.findings.2.severity"), "recommended");
	jnull(j, "audit.findings.2.observed");
	assert_string_equal(jstr(j, "audit.findings.4.status"), "skip");
	/* the inventory is there too */
	assert_string_equal(jstr(j, "host.pci.devices.1.device_id"), "10c9");

	json_object_put(j);
	hv_audit_free(a);
	hv_host_free(h);
}

/* ---- tests: XML ------------------------------------------------------- */

static void
test_xml_full(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_audit *a = make_audit("The IOMMU is off.");
	struct hv_report r = { .command = "audit", .host = h, .audit = a };
	size_t len;
	_cleanup_free_ char *s = write_mem(hv_write_xml, &r, NULL, &len);
	xmlDocPtr doc = parse_xml(s, len);

	assert_true(hv_startswith(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				  "<hwvirt schema_version=\"1.0\""));
	assert_non_null(strstr(s, "\n  <host>\n    <cpu>\n"));	/* indented */
	assert_int_equal(xsd_validate(doc, false), 0);
	assert_xpath(doc, "/hwvirt/@hwvirt_version", PACKAGE_VERSION);
	assert_xpath(doc, "/hwvirt/@command", "audit");
	assert_xpath(doc, "/hwvirt/live", "false");
	assert_xpath(doc, "/hwvirt/capture/hostname", "vm");
	assert_xpath(doc, "/hwvirt/host/cpu/facts/fact[@name='cpuid']/@status", "ok");
	assert_xcount(doc, "/hwvirt/host/cpu/facts/fact[@name='cpuid']/@reason", 0);
	assert_xpath(doc, "/hwvirt/host/cpu/signature", "0x00a10f11");
	assert_xpath(doc, "/hwvirt/host/cpu/types/type/cpuid/leaf[2]/ecx", "0xfffa3203");
	assert_xpath(doc, "/hwvirt/host/cpu/flags/flag[6]", "hypervisor");
	assert_xcount(doc, "/hwvirt/host/cpu/vmx_flags/flag", 0);
	assert_xcount(doc, "/hwvirt/host/cpu/vmx_flags", 1);
	assert_xcount(doc, "/hwvirt/host/cpu/sev_leaf", 0);	/* null */
	assert_xpath(doc, "/hwvirt/host/kernel/modules/module[1]/params/param[3]/value",
		     "200000");
	assert_xcount(doc, "/hwvirt/host/kernel/cmdline_params/param[2]/value", 0);
	assert_xpath(doc, "/hwvirt/host/firmware/dmi/sys_vendor", "Supermicro");
	assert_xpath(doc, "/hwvirt/host/acpi/dmar/oem_table_id", "A M I ");
	assert_xpath(doc, "/hwvirt/host/acpi/dmar/length", "344");
	assert_xpath(doc, "/hwvirt/host/iommu/groups/group[2]/id", "37");
	assert_xpath(doc, "/hwvirt/host/iommu/groups/group[2]/devices/device",
		     "0000:01:00.0");
	assert_xpath(doc, "/hwvirt/host/pci/devices/device[2]/vendor_id", "8086");
	assert_xpath(doc, "/hwvirt/host/pci/devices/device[2]/sriov/capability/vf_bars/bar[1]",
		     "0x00000000d2840004");
	assert_xpath(doc, "/hwvirt/host/pci/devices/device[2]/sriov/vfs/vf",
		     "0000:02:10.0");
	assert_xcount(doc, "/hwvirt/host/pci/devices/device[1]/sriov", 0);
	assert_xpath(doc, "/hwvirt/audit/verdict", "not-ready");
	assert_xpath(doc, "/hwvirt/audit/summary/unknown", "1");
	assert_xpath(doc, "/hwvirt/audit/findings/finding[2]/id", "iommu.enabled");
	assert_xpath(doc, "/hwvirt/audit/findings/finding[2]/evidence/item[2]/path",
		     "proc/cmdline");
	assert_xpath(doc, "/hwvirt/audit/findings/finding[3]/remedy",
		     "Load kvm_intel or kvm_amd.");
	assert_xcount(doc, "/hwvirt/diagnostics/diagnostic", 0);
	assert_xcount(doc, "/hwvirt/diagnostics", 1);

	/* the schema is strict: an element it does not know fails */
	assert_non_null(xmlNewChild(xmlDocGetRootElement(doc), NULL,
				    (const xmlChar *)"bogus", (const xmlChar *)"1"));
	assert_int_not_equal(xsd_validate(doc, true), 0);

	xmlFreeDoc(doc);
	hv_audit_free(a);
	hv_host_free(h);
}

static void
test_xml_unknown(void **state _unused_)
{
	struct hv_host *h = make_unknown_host();
	struct hv_report r = { .command = "inventory", .host = h };
	size_t len;
	_cleanup_free_ char *s = write_mem(hv_write_xml, &r, NULL, &len);
	xmlDocPtr doc = parse_xml(s, len);

	assert_int_equal(xsd_validate(doc, false), 0);
	/* unknown values are left out; the fact says why */
	assert_xcount(doc, "/hwvirt/capture", 0);
	assert_xcount(doc, "/hwvirt/host/cpu/vendor", 0);
	assert_xpath(doc, "/hwvirt/host/cpu/facts/fact[@name='cpuid']/@status", "invalid");
	assert_xpath(doc, "/hwvirt/host/cpu/facts/fact[@name='cpuid']/@errno", "EBADMSG");
	assert_xpath(doc, "/hwvirt/host/kernel/facts/fact[@name='dev_kvm']/@errno", "EACCES");
	assert_xcount(doc, "/hwvirt/host/kernel/dev_kvm_usable", 0);
	assert_xpath(doc, "/hwvirt/host/kernel/dev_kvm", "true");
	assert_xpath(doc, "/hwvirt/host/kernel/modules/module/params/param[1]/errno",
		     "EACCES");
	assert_xpath(doc, "/hwvirt/host/acpi/dmar/present", "true");
	assert_xcount(doc, "/hwvirt/host/acpi/dmar/length", 0);
	assert_xcount(doc, "/hwvirt/host/acpi/viot/present", 0);
	assert_xpath(doc, "/hwvirt/host/acpi/viot/facts/fact/@status", "unprobed");
	assert_xcount(doc, "/hwvirt/host/acpi/viot/facts/fact/@source", 0);
	assert_xcount(doc, "/hwvirt/host/iommu/units", 0);
	assert_xcount(doc, "/hwvirt/host/pci/devices/device[1]/pcie", 0);
	assert_xpath(doc, "/hwvirt/host/pci/devices/device[2]/sriov/sysfs/totalvfs", "8");
	assert_xcount(doc, "/hwvirt/host/pci/devices/device[2]/sriov/capability", 0);
	assert_xpath(doc, "/hwvirt/diagnostics/diagnostic/line", "3");
	assert_xpath(doc, "/hwvirt/diagnostics/diagnostic/bad_input", "true");
	xmlFreeDoc(doc);
	hv_host_free(h);
}

static void
test_json_xml_same(void **state _unused_)
{
	struct hv_host *full = make_full_host();
	struct hv_host *unk = make_unknown_host();
	struct hv_host *evil = make_hostile_host();
	struct hv_host *empty = hv_host_new();
	struct hv_audit *a = make_audit("The IOMMU is off " EVIL_ESC EVIL_UTF8);
	const struct hv_report reports[] = {
		{ .command = "inventory", .host = full },
		{ .command = "audit", .host = full, .audit = a },
		{ .command = "inventory", .host = unk },
		{ .command = "inventory", .host = evil },
		{ .command = "audit", .host = evil, .audit = a },
		{ .command = "inventory", .host = empty },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(reports); i++)
		assert_same_content(&reports[i]);
	hv_audit_free(a);
	hv_host_free(full);
	hv_host_free(unk);
	hv_host_free(evil);
	hv_host_free(empty);
}

/* ---- tests: hostile strings ------------------------------------------- */

static bool
has_byte(const char *s, size_t len, unsigned char c)
{
	return memchr(s, c, len) != NULL;
}

static void
assert_clean(const char *s, size_t len)
{
	/* nothing a terminal or an XML parser could choke on */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\n' && c != '\t')
			fail_msg("control byte 0x%02x at %zu", c, i);
		if (c == 0x7f)
			fail_msg("DEL at %zu", i);
	}
	assert_null(strstr(s, "\xed\xa0\x80"));
	assert_null(strstr(s, "\xc2\x85"));
	assert_null(strstr(s, "\xef\xbf\xbe"));
}

static void
test_hostile(void **state _unused_)
{
	struct hv_host *h = make_hostile_host();
	struct hv_audit *a = make_audit("IOMMU <off> & \"quoted\" " EVIL_ESC EVIL_UTF8);
	struct hv_report inv = { .command = "inventory", .host = h };
	struct hv_report aud = { .command = "audit", .host = h, .audit = a };
	struct hv_write_opts plain = { .verbose = true };
	struct hv_write_opts color = { .color = true, .verbose = true };
	const struct hv_report *rs[] = { &inv, &aud };

	for (size_t i = 0; i < HV_ELEMENTSOF(rs); i++) {
		size_t jl, xl, tl, cl;
		_cleanup_free_ char *js = write_mem(hv_write_json, rs[i], NULL, &jl);
		_cleanup_free_ char *x = write_mem(hv_write_xml, rs[i], NULL, &xl);
		_cleanup_free_ char *t = write_mem(hv_write_text, rs[i], &plain, &tl);
		_cleanup_free_ char *c = write_mem(hv_write_text, rs[i], &color, &cl);
		struct json_object *j = parse_json(js);
		xmlDocPtr doc = parse_xml(x, xl);

		assert_clean(js, jl);
		assert_clean(x, xl);
		assert_clean(t, tl);
		assert_int_equal(xsd_validate(doc, false), 0);
		/* the strings come back sanitized, the same in both */
		assert_string_equal(jstr(j, "root"),
				    "/tmp/evil \"<root>\" & " R "]0;pwned" R R "[2J");
		assert_string_equal(jstr(j, "host.firmware.dmi.bios_vendor"),
				    EVIL_QUOTE);
		assert_xpath(doc, "/hwvirt/host/firmware/dmi/bios_vendor", EVIL_QUOTE);
		assert_string_equal(jstr(j, "host.firmware.dmi.product_name"),
				    "caf\xc3\xa9 " R R " " R R R " " R R " " R R);
		assert_xpath(doc, "/hwvirt/host/firmware/dmi/product_name",
			     "caf\xc3\xa9 " R R " " R R R " " R R " " R R);
		assert_string_equal(jstr(j, "host.firmware.dmi.board_name"),
				    "a" R "b" R "c" R "d" R "e\tf\ng");
		assert_string_equal(jstr(j, "host.pci.devices.0.driver"), "drv<&>");
		assert_xpath(doc, "/hwvirt/host/pci/devices/device/driver", "drv<&>");
		assert_string_equal(jstr(j, "host.kernel.modules.0.params.0.value"),
				    EVIL_QUOTE R "]0;pwned" R R "[2J");
		/* the HP EliteBook's DMAR: OEM id of blanks, table id 0x01 */
		assert_string_equal(jstr(j, "host.acpi.dmar.oem_id"), "      ");
		assert_string_equal(jstr(j, "host.acpi.dmar.oem_table_id"), R);
		assert_xpath(doc, "/hwvirt/host/acpi/dmar/oem_table_id", R);
		assert_true(jbool(j, "host.acpi.dmar.checksum_ok"));
		assert_non_null(strstr(jstr(j, "diagnostics.0.message"), "bad name " R));
		if (rs[i]->audit) {
			assert_string_equal(jstr(j, "audit.findings.1.message"),
					    "IOMMU <off> & \"quoted\" " R "]0;pwned" R R
					    "[2J" "caf\xc3\xa9 " R R " " R R R " " R R
					    " " R R);
			assert_xpath(doc, "/hwvirt/audit/findings/finding[2]/message",
				     "IOMMU <off> & \"quoted\" " R "]0;pwned" R R
				     "[2J" "caf\xc3\xa9 " R R " " R R R " " R R
				     " " R R);
		}
		/* text: no escape at all without colour; with colour only ours */
		assert_false(has_byte(t, tl, 0x1b));
		assert_true(has_byte(c, cl, 0x1b));
		assert_null(strstr(c, "\x1b]"));
		assert_null(strstr(c, "\x1b[2J"));
		if (!rs[i]->audit)
			assert_non_null(strstr(t, "BIOS               Evil \"Corp\" "
					       "<b>&amp;</b> 'x' " R "]0;pwned"));
		xmlFreeDoc(doc);
		json_object_put(j);
	}
	hv_audit_free(a);
	hv_host_free(h);
}

/* ---- tests: schemas --------------------------------------------------- */

static void
test_json_schema(void **state _unused_)
{
	struct hv_host *full = make_full_host();
	struct hv_host *unk = make_unknown_host();
	struct hv_host *evil = make_hostile_host();
	struct hv_host *empty = hv_host_new();
	struct hv_audit *a = make_audit("The IOMMU is off.");
	struct hv_audit *none = calloc(1, sizeof(*none));
	const struct hv_report reports[] = {
		{ .command = "inventory", .host = full },
		{ .command = "audit", .host = full, .audit = a },
		{ .command = "inventory", .host = unk },
		{ .command = "audit", .host = unk, .audit = a },
		{ .command = "inventory", .host = evil },
		{ .command = "audit", .host = evil, .audit = none },
		{ .command = "inventory", .host = empty },
	};
	char *files[HV_ELEMENTSOF(reports)];
	char *dir = hv_test_tmpdir();
	struct json_object *j;
	char *bad[3];

	assert_non_null(none);
	OK(hv_strv_add(&none->profiles, "kvm-host"));
	for (size_t i = 0; i < HV_ELEMENTSOF(reports); i++) {
		_cleanup_free_ char *s = write_mem(hv_write_json, &reports[i], NULL, NULL);
		_cleanup_free_ char *name = hv_asprintf("report-%zu.json", i);

		files[i] = save(dir, name, s);
	}
	assert_int_equal(run_jsonschema(files, HV_ELEMENTSOF(files), false), 0);

	/* and the schema catches drift: an unknown key, a wrong type, a
	 * missing audit */
	{
		_cleanup_free_ char *s = write_mem(hv_write_json, &reports[0], NULL, NULL);

		j = parse_json(s);
		json_object_object_add(jget(j, "host.cpu"), "surprise",
				       json_object_new_int(1));
		bad[0] = save(dir, "bad-0.json", json_object_to_json_string(j));
		json_object_put(j);
		j = parse_json(s);
		json_object_object_add(jget(j, "host.pci.devices.1"), "vendor_id",
				       json_object_new_string("0x8086"));
		bad[1] = save(dir, "bad-1.json", json_object_to_json_string(j));
		json_object_put(j);
		j = parse_json(s);
		json_object_object_add(j, "command", json_object_new_string("audit"));
		bad[2] = save(dir, "bad-2.json", json_object_to_json_string(j));
		json_object_put(j);
	}
	for (size_t i = 0; i < HV_ELEMENTSOF(bad); i++)
		assert_int_equal(run_jsonschema(&bad[i], 1, true), 1);

	for (size_t i = 0; i < HV_ELEMENTSOF(files); i++)
		free(files[i]);
	for (size_t i = 0; i < HV_ELEMENTSOF(bad); i++)
		free(bad[i]);
	hv_test_rmtree(dir);
	hv_audit_free(a);
	hv_audit_free(none);
	hv_host_free(full);
	hv_host_free(unk);
	hv_host_free(evil);
	hv_host_free(empty);
}

/* ---- tests: text ------------------------------------------------------ */

static void
assert_has(const char *s, const char *want)
{
	if (!strstr(s, want))
		fail_msg("no '%s' in:\n%s", want, s);
}

static void
assert_lacks(const char *s, const char *what)
{
	if (strstr(s, what))
		fail_msg("unexpected '%s' in:\n%s", what, s);
}

static void
assert_ascii_width(const char *s, size_t width)
{
	size_t col = 0;

	for (const char *p = s; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			fail_msg("non-ASCII byte in ASCII-only report:\n%s", s);
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (++col > width)
			fail_msg("a line longer than %zu columns:\n%s", width, s);
	}
}

static void
test_text_inventory(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_report r = { .command = "inventory", .host = h };
	struct hv_write_opts o = { 0 };
	struct hv_write_opts v = { .verbose = true };
	struct hv_write_opts c = { .color = true };
	_cleanup_free_ char *s = write_mem(hv_write_text, &r, &o, NULL);
	_cleanup_free_ char *sv = write_mem(hv_write_text, &r, &v, NULL);
	_cleanup_free_ char *sc = write_mem(hv_write_text, &r, &c, NULL);

	assert_ascii_width(s, 78);
	assert_ascii_width(sv, 78);
	assert_true(hv_startswith(s, "hwvirt " PACKAGE_VERSION " inventory of "
				  "/var/tmp/x10dai (capture)\nCaptured "
				  "2025-11-22T04:16:00Z on vm by hwvirt 0.1.0\n"));
	assert_has(s, "\nHost and firmware\n");
	assert_has(s, "\n  Hostname           vm\n");
	assert_has(s, "\n  System             Supermicro X10DAi (version 123456789)\n");
	assert_has(s, "\n  BIOS               American Megatrends Inc. 3.4 dated "
		   "10/04/2021 release\n                     5.11\n");
	assert_has(s, "\n  Boot firmware      UEFI\n");
	assert_has(s, "\nCPU\n  Model              AMD EPYC\n");
	assert_has(s, "\n  Vendor             AuthenticAMD, family 25 model 17 "
		   "stepping 1 (signature\n                     0x00a10f11)\n");
	assert_has(s, "\n  CPUs               2 logical, 1 socket, 1 NUMA node\n");
	assert_has(s, "\n  Hypervisor         KVMKVMKVM (this host is a virtual machine)\n");
	assert_has(s, "\n  AMD-V              NPT no, AVIC no\n");
	assert_lacks(s, "Intel VT-x");
	assert_has(s, "\n  Flags              13 flags; for virtualization: hypervisor "
		   "x2apic pdpe1gb\n");
	assert_has(s, "\n  /dev/kvm           present, usable, KVM API 12\n");
	assert_has(s, "\n  Modules            kvm (built in), kvm_amd (not loaded)\n");
	assert_has(s, "\n  Huge pages         2048 kB: 0 free of 0; 1048576 kB: 0 free "
		   "of 0 (default\n                     2048 kB)\n");
	assert_has(s, "\n  DMAR               present: revision 1, 344 bytes, OEM "
		   "\"ALASKA\" \"A M I \",\n                     checksum ok\n");
	assert_has(s, "\n  IVRS               not present\n");
	assert_lacks(s, "VIOT");
	assert_has(s, "\n  IOMMU              translated: intel_iommu=on and every "
		   "group translates\n");
	assert_has(s, "\n  IOMMU units        dmar0 (intel-iommu, 3 devices)\n");
	assert_has(s, "\n  Group 37           DMA-FQ: 0000:01:00.0\n");
	assert_has(s, "\nPCI devices (3)\n  0000:01:00.0  0200  8086:10c9  Intel "
		   "Corporation 82576 Gigabit Network\n                Connection\n"
		   "                driver igb, IOMMU group 37\n");
	/* bridges and VFs only with --verbose */
	assert_lacks(s, "0000:00:01.0  0604");
	assert_has(s, "(1 bridge and 1 virtual function not shown; --verbose shows "
		   "every device)");
	assert_has(s, "\nSR-IOV physical functions\n  0000:01:00.0  Intel Corporation "
		   "82576 Gigabit Network Connection\n");
	assert_has(s, "\n    VFs              1 enabled of 8 (initial 8)\n");
	assert_has(s, "\n    VF device        8086:10ca, offset 384, stride 2\n");
	assert_has(s, "\n    Autoprobe        yes\n");
	assert_has(s, "\n    Capability       at 0x160: VF enable on, VF migration off, "
		   "ARI hierarchy\n                     off\n");
	assert_has(s, "\n    VF 0             0000:02:10.0  driver igbvf\n");
	assert_lacks(s, "Problems reading");
	assert_false(has_byte(s, strlen(s), 0x1b));

	/* verbose: every device and flag, the details */
	assert_has(sv, "\n  0000:00:01.0  0604  8086:2030  Intel Corporation Sky "
		   "Lake-E PCI Express Root\n                Port A\n");
	assert_has(sv, "\n  0000:02:10.0  0200  8086:10ca");
	assert_has(sv, "PCIe root port");
	assert_has(sv, "\n                VF of 0000:01:00.0, driver igbvf, IOMMU group 92, "
		   "NUMA node 0\n");
	assert_has(sv, "\n  Flags              apic avx2 cpuid cx16 fpu hypervisor lm "
		   "nx pdpe1gb sse4_2\n                     tsc vmmcall x2apic\n");
	assert_has(sv, "\n  Chassis vendor     To be filled by O.E.M.\n");
	assert_has(sv, "\n    kvm              enable_pmu=N flush_on_reuse=N "
		   "halt_poll_ns=200000\n");
	assert_has(sv, "\n    VF BARs          0xd2840004 0x0 0x0 0xd2860004 0x0 0x0\n");
	assert_has(sv, "\n  0x8000000a (SVM)   eax=0x00000000");
	assert_lacks(sv, "not shown");

	/* colour: bold titles */
	assert_has(sc, "\033[1mCPU\033[0m\n");

	hv_host_free(h);
}

static void
test_text_unknown(void **state _unused_)
{
	struct hv_host *h = make_unknown_host();
	struct hv_host *e = hv_host_new();
	struct hv_report r = { .command = "inventory", .host = h };
	struct hv_report re = { .command = "inventory", .host = e };
	struct hv_write_opts o = { 0 };
	_cleanup_free_ char *s = write_mem(hv_write_text, &r, &o, NULL);
	_cleanup_free_ char *se = write_mem(hv_write_text, &re, &o, NULL);

	assert_ascii_width(s, 78);
	assert_true(hv_startswith(s, "hwvirt " PACKAGE_VERSION " inventory of / "
				  "(live host)\n"));
	assert_has(s, "\n  Hostname           unknown (input/output error)\n");
	assert_has(s, "\n  DMI                unknown (permission denied: needs root)\n");
	assert_has(s, "\n  Boot firmware      legacy BIOS (no EFI runtime)\n");
	assert_has(s, "\n  Model              11th Gen Intel(R) Core(TM) i7-11850H @ "
		   "2.50GHz\n");
	assert_has(s, "\n  CPUID              invalid (line 3: expected \"0xLEAF 0xSUB: "
		   "eax=...\")\n");
	assert_has(s, "\n  Intel VT-x         EPT yes, VPID yes, unrestricted guest yes,");
	assert_has(s, "\n  VMX flags          apicv ept ept_1gb");
	assert_has(s, "\n  /dev/kvm           present, usable: unknown\n");
	assert_has(s, "\n  Huge pages         not present\n");
	assert_has(s, "\n  DMAR               present, contents unknown (permission "
		   "denied: needs root)\n");
	assert_has(s, "\n  IORT               invalid (table length 12 is shorter than "
		   "its 36-byte\n                     header)\n");
	assert_lacks(s, "VIOT");		/* not probed, not verbose */
	assert_has(s, "\n  IOMMU              unknown\n");
	assert_has(s, "\n  IOMMU units        not present\n");
	assert_has(s, "\n  Groups             not present\n");
	assert_has(s, "\n  0000:00:1f.3  0403  8086:9dc8  Audio device\n"
		   "                driver none, no IOMMU group\n");
	assert_has(s, "\n    VFs              0 enabled of 8\n");
	assert_has(s, "\n    Capability       unknown (permission denied: needs root)\n");
	assert_has(s, "\nProblems reading the host\n  hwvirt/cpuid.txt:3: expected "
		   "\"0xLEAF 0xSUB: eax=...\" (bad input)\n");

	/* a host nothing was probed on */
	assert_ascii_width(se, 78);
	assert_has(se, "\n  Model              not probed\n");
	assert_has(se, "\n  Devices            not probed\n");
	assert_has(se, "\n  Enabled (kernel)   unknown\n");
	hv_host_free(h);
	hv_host_free(e);
}

static const char *
area_heading(const char *area)
{
	for (size_t i = 0; i < hv_n_areas; i++)
		if (hv_streq(hv_areas[i].id, area))
			return hv_areas[i].title;
	return "Other";
}

static void
test_text_audit(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_audit *a = make_audit("The IOMMU is off: the kernel registered no "
					"IOMMU unit although the firmware describes one.");
	struct hv_report r = { .command = "audit", .host = h, .audit = a };
	struct hv_write_opts o = { 0 };
	struct hv_write_opts v = { .verbose = true };
	struct hv_write_opts c = { .color = true };
	_cleanup_free_ char *s = write_mem(hv_write_text, &r, &o, NULL);
	_cleanup_free_ char *sv = write_mem(hv_write_text, &r, &v, NULL);
	_cleanup_free_ char *sc = write_mem(hv_write_text, &r, &c, NULL);
	_cleanup_free_ char *cpu_head = hv_asprintf("\n%s\n  [PASS]    Hardware "
						    "virtualization (cpu.virt)\n",
						    area_heading("cpu"));
	_cleanup_free_ char *iommu_head = hv_asprintf("\n%s\n  [FAIL]    IOMMU enabled "
						      "in the kernel (iommu.enabled)\n",
						      area_heading("iommu"));
	const char *p_cpu, *p_nested, *p_other;

	assert_ascii_width(s, 78);
	assert_ascii_width(sv, 78);
	assert_true(hv_startswith(s, "hwvirt " PACKAGE_VERSION " audit of /var/tmp/x10dai"));
	assert_has(s, "\nProfiles: kvm-host, passthrough\n");
	assert_has(s, cpu_head);
	assert_has(s, iommu_head);
	assert_has(s, "\n            SVM is in CPUID.\n"
		   "            observed: svm\n"
		   "            expected: vmx or svm\n");
	/* a passing finding shows no evidence nor remedy without --verbose */
	assert_lacks(s, "cpuid 0x80000001:ecx");
	assert_lacks(s, "Enable VT-x or AMD-V");
	assert_has(sv, "evidence: cpuid 0x80000001:ecx = 0x004003f3\n");
	/* a failing one: message wrapped, evidence, its own remedy wrapped */
	assert_has(s, "\n            The IOMMU is off: the kernel registered no IOMMU "
		   "unit although the\n            firmware describes one.\n");
	assert_has(s, "\n            evidence: sys/class/iommu = (empty)\n");
	assert_has(s, "\n            evidence: proc/cmdline = console=ttyS0 quiet\n");
	assert_has(s, "\n            remedy:   Enable VT-d in the firmware setup, add "
		   "intel_iommu=on to\n                      the kernel command line");
	/* unknown: the check's remedy */
	assert_has(s, "[UNKNOWN] /dev/kvm usable (kvm.dev)\n");
	assert_has(s, "\n            remedy:   Load kvm_intel or kvm_amd.\n");
	assert_has(s, "  [N/A]     A check of no known area (test.elsewhere)\n");
	assert_has(s, "  [SKIP]    Nested virtualization (cpu.nested)\n");
	assert_lacks(s, "Set nested=1.");
	/* grouped by area: the second cpu finding is in the cpu group, the
	 * finding of no known area in "Other" at the end */
	p_cpu = strstr(s, cpu_head);
	p_nested = strstr(s, "(cpu.nested)");
	p_other = strstr(s, "\nOther\n  [N/A]");
	assert_non_null(p_other);
	assert_true(p_cpu < p_nested);
	assert_true(p_nested < p_other);
	if (hv_streq(area_heading("cpu"), area_heading("iommu")) == false &&
	    strcmp(area_heading("iommu"), "Other") != 0)
		assert_true(p_nested < strstr(s, iommu_head));
	assert_has(s, "\n\nVerdict: NOT READY, score 43/100 (1 pass, 1 fail, 1 unknown, "
		   "1 skip, 1 n/a)\n");
	assert_lacks(s, "expected: -");
	assert_false(has_byte(s, strlen(s), 0x1b));

	/* colour: statuses and the verdict */
	assert_has(sc, "  \033[32m[PASS]\033[0m    Hardware virtualization");
	assert_has(sc, "  \033[31m[FAIL]\033[0m    IOMMU enabled");
	assert_has(sc, "\033[1mVerdict: \033[0m\033[31mNOT READY\033[0m, score 43/100");

	hv_audit_free(a);
	hv_host_free(h);
}

/* ---- tests: errors and determinism ------------------------------------ */

static void
test_write_errors(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_audit *a = make_audit("x");
	struct hv_report r = { .command = "audit", .host = h, .audit = a };
	struct hv_report nohost = { .command = "inventory" };
	const writer_fn writers[] = { hv_write_text, hv_write_json, hv_write_xml };
	struct hv_write_opts o = { 0 };
	struct hv_finding f0;

	for (size_t i = 0; i < HV_ELEMENTSOF(writers); i++) {
		FILE *f = fopen("/dev/full", "w");

		assert_non_null(f);
		assert_int_equal(writers[i](f, &r, &o), -EIO);
		fclose(f);
		f = fopen("/dev/null", "w");
		assert_non_null(f);
		assert_int_equal(writers[i](f, &nohost, &o), -EINVAL);
		fclose(f);
	}
	/* a finding without its check is a caller's bug, not a crash */
	f0 = a->findings[0];
	a->findings[0].check = NULL;
	for (size_t i = 0; i < HV_ELEMENTSOF(writers); i++) {
		FILE *f = fopen("/dev/null", "w");

		assert_non_null(f);
		assert_int_equal(writers[i](f, &r, &o), -EINVAL);
		fclose(f);
	}
	a->findings[0] = f0;
	hv_audit_free(a);
	hv_host_free(h);
}

static void
test_deterministic(void **state _unused_)
{
	struct hv_host *h = make_full_host();
	struct hv_audit *a = make_audit("x");
	struct hv_report r = { .command = "audit", .host = h, .audit = a };
	const writer_fn writers[] = { hv_write_text, hv_write_json, hv_write_xml };

	for (size_t i = 0; i < HV_ELEMENTSOF(writers); i++) {
		_cleanup_free_ char *one = write_mem(writers[i], &r, NULL, NULL);
		_cleanup_free_ char *two = write_mem(writers[i], &r, NULL, NULL);

		assert_string_equal(one, two);
	}
	hv_audit_free(a);
	hv_host_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_json_full_inventory),
		cmocka_unit_test(test_json_unknown),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_audit),
		cmocka_unit_test(test_xml_full),
		cmocka_unit_test(test_xml_unknown),
		cmocka_unit_test(test_json_xml_same),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_json_schema),
		cmocka_unit_test(test_text_inventory),
		cmocka_unit_test(test_text_unknown),
		cmocka_unit_test(test_text_audit),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_deterministic),
	};
	int r;

	LIBXML_TEST_VERSION
	r = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return r;
}
