/*
 * test-checks.c -- the table of checks and every check's evaluate function,
 * over hosts built in memory, through hv_audit_run() as hwvirt runs them.
 *
 * The hosts are built from real data (tests/corpus/, see SOURCES.md and
 * tests/corpus/cpuid/): CPUID registers of this machine (an AMD EPYC KVM
 * guest, cpuid/amd-epyc-kvm-guest.cpuid-raw.txt), an Intel Xeon E5-2690 v4
 * (cpuid/intel-xeon-e5-2690-v4.fuchsia.inc), an AMD EPYC 7713
 * (cpuid/amd-epyc-7713-milan.cpuid-raw.txt) and an Intel Core i7-6500U
 * (cpuid/intel-core-i7-6500u.cpuid-raw.txt); the kernel's "vmx flags" line
 * of an i7-8650U (cpuid/intel-core-i7-8650u-excerpt.cpuinfo); the headers
 * of real DMAR and IVRS tables (acpi/dmar/desktop_Supermicro_X10DAi_*,
 * acpi/dmar/notebook_Lenovo_ThinkPad-P53-*, acpi/ivrs/server_Supermicro_
 * H8DGU_*); the Intel 82576 SR-IOV PF of pci/pciutils-tests/cap-pcie-2
 * (TotalVFs 8, NumVFs 1, VF Enable+, VF offset 384 stride 2, VF 10ca); this
 * machine's PCI ids, modules (kvm, kvm_pvm) and kernel command line. What is
 * not real hardware data (which flags a case turns off, command lines of
 * other hosts, IOMMU groups) is marked where it is made up.
 */
#include <stdio.h>

#include "hv-audit.h"
#include "hv-probe.h"
#include "hv-test.h"

/* ---- building hosts ------------------------------------------------------ */

static void
cpuid_add(struct hv_host *h, uint32_t leaf, uint32_t eax, uint32_t ebx,
	  uint32_t ecx, uint32_t edx)
{
	struct hv_cpuid_dump *d;

	if (h->cpu.n_types == 0) {
		h->cpu.types = calloc(1, sizeof(*h->cpu.types));
		assert_non_null(h->cpu.types);
		h->cpu.n_types = 1;
		h->cpu.types[0].cpuid.cpu = -1;
	}
	d = &h->cpu.types[0].cpuid;
	assert_int_equal(HV_GROW(d->leaves, d->cap, d->n_leaves + 1), 0);
	d->leaves[d->n_leaves++] = (struct hv_cpuid_leaf){
		.leaf = leaf, .r = { eax, ebx, ecx, edx },
	};
}

static void
strv_set(struct hv_strv *sv, const char *words)
{
	hv_strv_clear(sv);
	assert_int_equal(hv_strv_split(sv, words, " "), 0);
	hv_strv_sort(sv);
}

static void
fact_ok(struct hv_fact *f, const char *source)
{
	assert_int_equal(hv_fact_set_ok(f, source), 0);
}

static void
module_add(struct hv_host *h, const char *name, enum hv_tri loaded,
	   bool builtin, enum hv_tri available)
{
	struct hv_kernel *k = &h->kernel;
	struct hv_module *m;

	k->modules = realloc(k->modules, (k->n_modules + 1) * sizeof(*k->modules));
	assert_non_null(k->modules);
	m = &k->modules[k->n_modules++];
	*m = (struct hv_module){
		.name = strdup(name), .loaded = loaded, .builtin = builtin,
		.available = available,
	};
}

static void
module_param(struct hv_host *h, const char *name, const char *key,
	     const char *value)
{
	struct hv_module *m = NULL;

	for (size_t i = 0; i < h->kernel.n_modules; i++)
		if (strcmp(h->kernel.modules[i].name, name) == 0)
			m = &h->kernel.modules[i];
	if (!m) {
		fail_msg("no module %s", name);
		return;
	}
	m->params = realloc(m->params, (m->n_params + 1) * sizeof(*m->params));
	assert_non_null(m->params);
	m->params[m->n_params++] = (struct hv_kparam){
		.key = strdup(key), .value = strdup(value),
	};
}

/* A command line split on spaces, the first '=' splitting (no quotes in
 * the test lines). */
static void
cmdline_set(struct hv_host *h, const char *line)
{
	struct hv_cmdline *c = &h->kernel.cmdline;
	struct hv_strv words = { 0 };

	hv_cmdline_clear(c);
	free(h->kernel.cmdline_raw);
	h->kernel.cmdline_raw = strdup(line);
	fact_ok(&h->kernel.cmdline_fact, "proc/cmdline");
	assert_int_equal(hv_strv_split(&words, line, " "), 0);
	for (size_t i = 0; i < words.n; i++) {
		char *eq = strchr(words.v[i], '=');

		if (strcmp(words.v[i], "--") == 0)
			break;
		assert_int_equal(HV_GROW(c->params, c->cap, c->n_params + 1), 0);
		c->params[c->n_params++] = (struct hv_kparam){
			.key = eq ? strndup(words.v[i], (size_t)(eq - words.v[i]))
				  : strdup(words.v[i]),
			.value = eq ? strdup(eq + 1) : NULL,
		};
	}
	hv_strv_clear(&words);
}

static void
table_set(struct hv_acpi_table *t, size_t length, uint8_t rev,
	  const char *oem, const char *table_id)
{
	char src[64];

	snprintf(src, sizeof(src), "sys/firmware/acpi/tables/%s", t->signature);
	t->present = true;
	fact_ok(&t->fact, src);
	t->length = length;
	t->revision = rev;
	snprintf(t->oem_id, sizeof(t->oem_id), "%s", oem);
	snprintf(t->oem_table_id, sizeof(t->oem_table_id), "%s", table_id);
	t->checksum_ok = true;
}

static void
tables_absent(struct hv_host *h)
{
	struct hv_acpi_table *t[] = {
		&h->acpi.dmar, &h->acpi.ivrs, &h->acpi.viot, &h->acpi.iort,
	};

	fact_ok(&h->acpi.tables_fact, "sys/firmware/acpi/tables");
	for (size_t i = 0; i < HV_ELEMENTSOF(t); i++) {
		char src[64];

		snprintf(src, sizeof(src), "sys/firmware/acpi/tables/%s", t[i]->signature);
		t[i]->present = false;
		assert_int_equal(hv_fact_set_absent(&t[i]->fact, src), 0);
	}
}

static void
iommu_unit(struct hv_host *h, const char *name, const char *kind)
{
	struct hv_iommu *io = &h->iommu;

	io->units = realloc(io->units, (io->n_units + 1) * sizeof(*io->units));
	assert_non_null(io->units);
	io->units[io->n_units++] = (struct hv_iommu_unit){
		.name = strdup(name), .kind = strdup(kind),
	};
}

static void
iommu_group(struct hv_host *h, unsigned id, const char *type, const char *dev)
{
	struct hv_iommu *io = &h->iommu;
	struct hv_iommu_group *g;

	io->groups = realloc(io->groups, (io->n_groups + 1) * sizeof(*io->groups));
	assert_non_null(io->groups);
	g = &io->groups[io->n_groups++];
	*g = (struct hv_iommu_group){ .id = id, .type = strdup(type) };
	assert_int_equal(hv_strv_add(&g->devices, dev), 0);
}

static void
iommu_state(struct hv_host *h, enum hv_iommu_state st, const char *reason)
{
	h->iommu.state = st;
	free(h->iommu.state_reason);
	h->iommu.state_reason = reason ? strdup(reason) : NULL;
}

static struct hv_pci_dev *
pci_add(struct hv_host *h, const char *addr, uint16_t vendor, uint16_t device,
	uint32_t class_code, size_t config_len, bool pcie)
{
	struct hv_pci *pci = &h->pci;
	struct hv_pci_dev *d;
	char src[80];

	pci->devs = realloc(pci->devs, (pci->n_devs + 1) * sizeof(*pci->devs));
	assert_non_null(pci->devs);
	d = &pci->devs[pci->n_devs++];
	*d = (struct hv_pci_dev){
		.vendor_id = vendor, .device_id = device, .class_code = class_code,
		.numa_node = -1, .iommu_group = -1, .config_len = config_len,
		.is_pcie = pcie, .extended_visible = config_len > 256,
	};
	snprintf(d->addr, sizeof(d->addr), "%s", addr);
	snprintf(src, sizeof(src), "sys/bus/pci/devices/%s/config", addr);
	fact_ok(&d->config_fact, src);
	return d;
}

static struct hv_sriov *
sriov_new(struct hv_pci_dev *d)
{
	d->sriov = calloc(1, sizeof(*d->sriov));
	assert_non_null(d->sriov);
	d->sriov->sysfs_totalvfs = -1;
	d->sriov->sysfs_numvfs = -1;
	d->sriov->sysfs_offset = -1;
	d->sriov->sysfs_stride = -1;
	d->sriov->sysfs_vf_device = -1;
	return d->sriov;
}

/*
 * The Intel 82576 of pci/pciutils-tests/cap-pcie-2 at 0000:01:00.0: the
 * SR-IOV capability at 0x160 with Initial/Total VFs 8, NumVFs 1, VF Enable+,
 * offset 384, stride 2, VF device 10ca; its one VF at 0000:02:10.0. With
 * sysfs when numvfs >= 0.
 */
static struct hv_pci_dev *
add_82576(struct hv_host *h, int numvfs, bool with_vf)
{
	struct hv_pci_dev *d = pci_add(h, "0000:01:00.0", 0x8086, 0x10c9, 0x020000,
				       4096, true);
	struct hv_sriov *s = sriov_new(d);

	fact_ok(&s->cap_fact, "sys/bus/pci/devices/0000:01:00.0/config");
	s->cap_offset = 0x160;
	s->initial_vfs = 8;
	s->total_vfs = 8;
	s->num_vfs = 1;
	s->vf_offset = 384;
	s->vf_stride = 2;
	s->vf_device_id = 0x10ca;
	s->supported_page_sizes = 0x553;
	s->system_page_size = 1;
	s->vf_enable = true;
	s->control = 0x9;
	d->driver = strdup("igb");
	if (numvfs >= 0) {
		s->sysfs_totalvfs = 8;
		s->sysfs_numvfs = numvfs;
		s->sysfs_offset = 384;
		s->sysfs_stride = 2;
		s->sysfs_vf_device = 0x10ca;
	}
	if (with_vf) {
		struct hv_pci_dev *vf = pci_add(h, "0000:02:10.0", 0x8086, 0x10ca,
						0x020000, 4096, true);

		assert_int_equal(hv_strv_add(&h->pci.devs[0].sriov->vfs,
					     "0000:02:10.0"), 0);
		vf->physfn = strdup("0000:01:00.0");
	}
	return &h->pci.devs[0];
}

static void
hugepages_set(struct hv_host *h, uint64_t n_2m, uint64_t n_1g)
{
	struct hv_kernel *k = &h->kernel;

	free(k->hugepages);
	k->hugepages = calloc(2, sizeof(*k->hugepages));
	assert_non_null(k->hugepages);
	k->hugepages[0] = (struct hv_hugepages){ 2048, n_2m, n_2m };
	k->hugepages[1] = (struct hv_hugepages){ 1048576, n_1g, n_1g };
	k->n_hugepages = 2;
	k->default_hugepage_kb = 2048;
	fact_ok(&k->hugepages_fact, "sys/kernel/mm/hugepages");
}

/* The flags line of this machine's /proc/cpuinfo
 * (cpuid/amd-epyc-kvm-guest.cpuinfo). */
static const char this_machine_flags[] =
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
	"clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm "
	"constant_tsc rep_good nopl xtopology nonstop_tsc cpuid extd_apicid "
	"tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic "
	"movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor "
	"lahf_lm cmp_legacy cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw "
	"topoext vmmcall fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid "
	"avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd "
	"sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx512_bf16 "
	"clzero xsaveerptr arat avx512vbmi umip avx512_vbmi2 gfni vaes vpclmulqdq "
	"avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid fsrm";

/* This machine's /proc/cmdline, the kernel's part. */
static const char this_machine_cmdline[] =
	"mitigations=auto,no_guest_host,no_guest_guest console=ttyS0 quiet "
	"reboot=k panic=1 nomodule random.trust_cpu=1 swiotlb=noforce psi=1 "
	"nvproxy.enable=1 page_reporting.page_reporting_order=11 "
	"deferred_init=lazy nested_pvm=1 rcupdate.rcu_cpu_stall_cputime=1 "
	"cpuidle_haltpoll.force=1 haltpoll.guest_halt_poll_ns=0 sched_vcpu_pack=15 "
	"rdinit=/process_api";

/*
 * This machine: an AMD EPYC KVM guest without SVM, /dev/kvm from the
 * built-in kvm_pvm, no IOMMU table, no IOMMU unit, six virtio/Intel PCI
 * functions, no hugepages.
 */
static struct hv_host *
host_this_machine(void)
{
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu;

	assert_non_null(h);
	cpu = &h->cpu;
	fact_ok(&cpu->cpuid, "cpuid");
	cpuid_add(h, 0x0, 0x0000001c, 0x68747541, 0x444d4163, 0x69746e65);
	cpuid_add(h, 0x1, 0x00a10f11, 0x01020800, 0xfffa3203, 0x178bfbff);
	cpuid_add(h, 0x40000000, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x0000004d);
	cpuid_add(h, 0x80000001, 0x00a10f11, 0x40000000, 0x004003f3, 0x2fd3fbff);
	cpu->vendor = HV_CPU_VENDOR_AMD;
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "AuthenticAMD");
	snprintf(cpu->brand, sizeof(cpu->brand), "AMD EPYC");
	cpu->hypervisor = true;
	snprintf(cpu->hypervisor_id, sizeof(cpu->hypervisor_id), "KVMKVMKVM");
	fact_ok(&cpu->cpuinfo, "proc/cpuinfo");
	strv_set(&cpu->flags, this_machine_flags);
	cpu->virt_enabled = HV_TRI_NO;
	cpu->ept = cpu->vpid = cpu->unrestricted_guest = HV_TRI_NO;
	cpu->npt = cpu->avic = HV_TRI_NO;

	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm", HV_TRI_YES, false, HV_TRI_YES);
	module_add(h, "kvm_intel", HV_TRI_NO, false, HV_TRI_UNKNOWN);
	module_add(h, "kvm_amd", HV_TRI_NO, false, HV_TRI_UNKNOWN);
	module_add(h, "kvm_pvm", HV_TRI_YES, true, HV_TRI_YES);
	module_add(h, "vfio_pci", HV_TRI_NO, false, HV_TRI_UNKNOWN);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = HV_TRI_YES;
	h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 12;
	cmdline_set(h, this_machine_cmdline);
	hugepages_set(h, 0, 0);

	tables_absent(h);
	assert_int_equal(hv_fact_set_ok(&h->iommu.units_fact, "sys/class/iommu"), 0);
	fact_ok(&h->iommu.groups_fact, "sys/kernel/iommu_groups");
	iommu_state(h, HV_IOMMU_STATE_ABSENT,
		    "no DMAR, IVRS, VIOT or IORT table and no IOMMU unit");

	fact_ok(&h->pci.fact, "sys/bus/pci/devices");
	pci_add(h, "0000:00:00.0", 0x8086, 0x0d57, 0x060000, 4096, false);
	pci_add(h, "0000:00:01.0", 0x1af4, 0x1045, 0xffff00, 4096, true);
	pci_add(h, "0000:00:02.0", 0x1af4, 0x1042, 0x018000, 4096, true);
	pci_add(h, "0000:00:03.0", 0x1af4, 0x1041, 0x020000, 4096, true);
	pci_add(h, "0000:00:04.0", 0x1af4, 0x1053, 0xffff00, 4096, true);
	pci_add(h, "0000:00:05.0", 0x1af4, 0x1044, 0xffff00, 4096, true);
	return h;
}

/* The kernel's "vmx flags" of an i7-8650U (a real kernel line). */
static const char i7_vmx_flags[] =
	"vnmi preemption_timer invvpid ept_x_only ept_ad ept_1gb flexpriority "
	"tsc_offset vtpr mtf vapic ept vpid unrestricted_guest ple shadow_vmcs pml "
	"ept_mode_based_exec";

/*
 * An Intel Xeon E5-2690 v4 server on bare metal: VT-x on, the Supermicro
 * X10DAi DMAR, the IOMMU on and translating (units and groups made up),
 * kvm_intel loaded, the 82576 as its SR-IOV NIC.
 */
static struct hv_host *
host_xeon(void)
{
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu;

	assert_non_null(h);
	cpu = &h->cpu;
	fact_ok(&cpu->cpuid, "hwvirt/cpuid.txt");
	cpuid_add(h, 0x0, 0x00000014, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_add(h, 0x1, 0x000406f1, 0x02200800, 0x7ffefbff, 0xbfebfbff);
	cpuid_add(h, 0x80000001, 0x00000000, 0x00000000, 0x00000121, 0x2c100800);
	cpu->vendor = HV_CPU_VENDOR_INTEL;
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "GenuineIntel");
	snprintf(cpu->brand, sizeof(cpu->brand),
		 "Intel(R) Xeon(R) CPU E5-2690 v4 @ 2.60GHz");
	cpu->vmx = true;
	fact_ok(&cpu->cpuinfo, "proc/cpuinfo");
	strv_set(&cpu->flags, "fpu vme de pse tsc msr pae vmx smx est tm2 ssse3 "
		 "flexpriority ept vpid");
	strv_set(&cpu->vmx_flags, i7_vmx_flags);
	cpu->virt_enabled = HV_TRI_YES;
	cpu->ept = cpu->vpid = cpu->unrestricted_guest = HV_TRI_YES;
	cpu->posted_interrupts = cpu->apicv = HV_TRI_YES;
	cpu->npt = cpu->avic = HV_TRI_NO;

	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm", HV_TRI_YES, false, HV_TRI_YES);
	module_add(h, "kvm_intel", HV_TRI_YES, false, HV_TRI_YES);
	module_param(h, "kvm_intel", "ept", "Y");
	module_param(h, "kvm_intel", "nested", "Y");
	module_add(h, "kvm_amd", HV_TRI_NO, false, HV_TRI_YES);
	module_add(h, "vfio_pci", HV_TRI_YES, false, HV_TRI_YES);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = HV_TRI_YES;
	h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 12;
	cmdline_set(h, "BOOT_IMAGE=/vmlinuz-6.1.0-18-amd64 root=/dev/sda1 ro quiet "
		    "intel_iommu=on");
	hugepages_set(h, 0, 16);

	tables_absent(h);
	table_set(&h->acpi.dmar, 344, 1, "ALASKA", "A M I");
	fact_ok(&h->iommu.units_fact, "sys/class/iommu");
	iommu_unit(h, "dmar0", "intel-iommu");
	iommu_unit(h, "dmar1", "intel-iommu");
	iommu_unit(h, "dmar2", "intel-iommu");
	fact_ok(&h->iommu.groups_fact, "sys/kernel/iommu_groups");
	iommu_group(h, 0, "DMA-FQ", "0000:00:00.0");
	iommu_group(h, 1, "DMA-FQ", "0000:01:00.0");
	iommu_group(h, 2, "DMA-FQ", "0000:02:10.0");
	iommu_state(h, HV_IOMMU_STATE_TRANSLATED,
		    "3 DMAR units, groups of type DMA-FQ");

	fact_ok(&h->pci.fact, "sys/bus/pci/devices");
	add_82576(h, 1, true);
	return h;
}

/*
 * An AMD EPYC 7713 (Milan) server on bare metal: SVM and NPT in CPUID
 * (0x80000001 ECX 0x75c237ff, 0x8000000A EDX 0x119b9cff), the Supermicro
 * H8DGU IVRS, kvm_amd loaded, the IOMMU on in passthrough (iommu=pt).
 */
static struct hv_host *
host_epyc(void)
{
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu;

	assert_non_null(h);
	cpu = &h->cpu;
	fact_ok(&cpu->cpuid, "hwvirt/cpuid.txt");
	cpuid_add(h, 0x0, 0x00000010, 0x68747541, 0x444d4163, 0x69746e65);
	cpuid_add(h, 0x1, 0x00a00f11, 0x00800800, 0x7eda320b, 0x178bfbff);
	cpuid_add(h, 0x80000001, 0x00a00f11, 0x40000000, 0x75c237ff, 0x2fd3fbff);
	cpuid_add(h, 0x8000000a, 0x00000001, 0x00008000, 0x00000000, 0x119b9cff);
	cpu->vendor = HV_CPU_VENDOR_AMD;
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "AuthenticAMD");
	snprintf(cpu->brand, sizeof(cpu->brand), "AMD EPYC 7713 64-Core Processor");
	cpu->svm = true;
	cpu->have_svm_leaf = true;
	cpu->svm_leaf = (struct hv_cpuid_regs){ 0x1, 0x8000, 0, 0x119b9cff };
	fact_ok(&cpu->cpuinfo, "proc/cpuinfo");
	strv_set(&cpu->flags, "fpu vme de pse tsc msr pae svm npt avic sev sev_es");
	cpu->virt_enabled = HV_TRI_YES;
	cpu->npt = cpu->avic = HV_TRI_YES;
	cpu->ept = cpu->vpid = cpu->unrestricted_guest = HV_TRI_NO;

	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm", HV_TRI_YES, false, HV_TRI_YES);
	module_add(h, "kvm_amd", HV_TRI_YES, false, HV_TRI_YES);
	module_param(h, "kvm_amd", "npt", "1");
	module_add(h, "kvm_intel", HV_TRI_NO, false, HV_TRI_YES);
	module_add(h, "vfio_pci", HV_TRI_NO, false, HV_TRI_YES);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = HV_TRI_YES;
	h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 12;
	cmdline_set(h, "BOOT_IMAGE=/vmlinuz root=UUID=0 ro iommu=pt");
	hugepages_set(h, 1024, 0);

	tables_absent(h);
	table_set(&h->acpi.ivrs, 176, 1, "AMD", "RD890S");
	fact_ok(&h->iommu.units_fact, "sys/class/iommu");
	iommu_unit(h, "ivhd0", "amd-iommu");
	fact_ok(&h->iommu.groups_fact, "sys/kernel/iommu_groups");
	iommu_group(h, 0, "identity", "0000:00:00.0");
	iommu_group(h, 1, "identity", "0000:00:01.0");
	iommu_state(h, HV_IOMMU_STATE_PASSTHROUGH,
		    "1 AMD-Vi unit, groups of type identity");
	fact_ok(&h->pci.fact, "sys/bus/pci/devices");
	return h;
}

/*
 * An Intel laptop (Core i7-6500U) whose firmware has VT-d (the Lenovo
 * ThinkPad P53's DMAR) and whose kernel has the IOMMU off.
 */
static struct hv_host *
host_laptop(const char *cmdline)
{
	struct hv_host *h = hv_host_new();
	struct hv_cpu *cpu;

	assert_non_null(h);
	cpu = &h->cpu;
	fact_ok(&cpu->cpuid, "hwvirt/cpuid.txt");
	cpuid_add(h, 0x0, 0x00000016, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_add(h, 0x1, 0x000406e3, 0x00100800, 0x7ffafbbf, 0xbfebfbff);
	cpuid_add(h, 0x80000001, 0x00000000, 0x00000000, 0x00000121, 0x2c100800);
	cpu->vendor = HV_CPU_VENDOR_INTEL;
	snprintf(cpu->vendor_id, sizeof(cpu->vendor_id), "GenuineIntel");
	snprintf(cpu->brand, sizeof(cpu->brand),
		 "Intel(R) Core(TM) i7-6500U CPU @ 2.50GHz");
	cpu->vmx = true;
	fact_ok(&cpu->cpuinfo, "proc/cpuinfo");
	strv_set(&cpu->flags, "fpu vme de pse vmx est tm2 ssse3");
	strv_set(&cpu->vmx_flags, i7_vmx_flags);
	cpu->virt_enabled = HV_TRI_YES;
	cpu->ept = cpu->vpid = cpu->unrestricted_guest = HV_TRI_YES;

	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm_intel", HV_TRI_YES, false, HV_TRI_YES);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = HV_TRI_YES;
	h->kernel.dev_kvm_usable = HV_TRI_UNKNOWN;
	cmdline_set(h, cmdline);

	tables_absent(h);
	table_set(&h->acpi.dmar, 144, 1, "LENOVO", "TP-N2N");
	fact_ok(&h->iommu.units_fact, "sys/class/iommu");
	assert_int_equal(hv_fact_set_absent(&h->iommu.groups_fact,
					    "sys/kernel/iommu_groups"), 0);
	iommu_state(h, HV_IOMMU_STATE_OFF,
		    "a DMAR table is present but no IOMMU unit is registered");
	fact_ok(&h->pci.fact, "sys/bus/pci/devices");
	return h;
}

/* ---- running one check -------------------------------------------------- */

struct run {
	struct hv_profile profile;
	struct hv_profile_rule rule;
	struct hv_param params[8];
	struct hv_audit *audit;
	const struct hv_finding *f;
};

/* Audit h with one rule: check id (required), params as "name=value". */
static const struct hv_finding *
run_check(struct run *run, const struct hv_host *h, const char *id, ...)
{
	struct hv_profile *pp = &run->profile;
	const char *pv;
	va_list ap;

	*run = (struct run){ 0 };
	run->rule.check_id = (char *)id;
	run->rule.severity = HV_SEVERITY_REQUIRED;
	run->rule.params = run->params;
	va_start(ap, id);
	while ((pv = va_arg(ap, const char *))) {
		const char *eq = strchr(pv, '=');

		assert_non_null(eq);
		assert_true(run->rule.n_params < HV_ELEMENTSOF(run->params));
		run->params[run->rule.n_params].name = strndup(pv, (size_t)(eq - pv));
		run->params[run->rule.n_params].value = strdup(eq + 1);
		run->rule.n_params++;
	}
	va_end(ap);
	run->profile.name = (char *)"test";
	run->profile.rules = &run->rule;
	run->profile.n_rules = 1;
	assert_int_equal(hv_audit_run(h, &pp, 1, &run->audit), 0);
	assert_int_equal(run->audit->n_findings, 1);
	run->f = &run->audit->findings[0];
	assert_string_equal(run->f->check->id, id);
	assert_non_null(run->f->message);
	assert_non_null(run->f->observed);
	return run->f;
}

static void
run_done(struct run *run)
{
	for (size_t i = 0; i < run->rule.n_params; i++) {
		free(run->params[i].name);
		free(run->params[i].value);
	}
	hv_audit_free(run->audit);
}

#define assert_contains(hay, needle)						\
	do {									\
		const char *_h = (hay);						\
		if (!_h || !strstr(_h, (needle)))				\
			fail_msg("'%s' does not contain '%s'", _h ? _h : "(null)", \
				 (needle));					\
	} while (0)

#define assert_not_contains(hay, needle)					\
	do {									\
		const char *_h = (hay);						\
		if (_h && strstr(_h, (needle)))					\
			fail_msg("'%s' contains '%s'", _h, (needle));		\
	} while (0)

static const char *
evidence(const struct hv_finding *f, const char *path)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strcmp(f->evidence[i].path, path) == 0)
			return f->evidence[i].value;
	fail_msg("no evidence for %s", path);
	return "";
}

static void
assert_status(const struct hv_finding *f, enum hv_status s)
{
	if (f->status != s)
		fail_msg("%s: status %s, expected %s: %s", f->check->id,
			 hv_status_to_string(f->status), hv_status_to_string(s),
			 f->message);
}

/* ---- the table -------------------------------------------------------- */

static bool
dotted_id(const char *id)
{
	bool dot = false;

	if (!(id[0] >= 'a' && id[0] <= 'z'))
		return false;
	for (const char *p = id; *p; p++) {
		if (*p == '.') {
			if (p[1] == '\0' || p[1] == '.')
				return false;
			dot = true;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			     *p == '_')) {
			return false;
		}
	}
	return dot;
}

static void
test_table_ids(void **state _unused_)
{
	size_t area = 0;

	assert_int_equal(hv_n_checks, 13);
	for (size_t i = 0; i < hv_n_checks; i++) {
		const struct hv_check *c = &hv_checks[i];
		size_t a;

		assert_true(dotted_id(c->id));
		for (size_t j = i + 1; j < hv_n_checks; j++)
			assert_string_not_equal(c->id, hv_checks[j].id);
		assert_ptr_equal(hv_check_find(c->id), c);
		assert_non_null(c->title);
		assert_true(strlen(c->title) > 10);
		assert_non_null(c->description);
		assert_true(strlen(c->description) > 150);
		assert_int_equal(c->description[strlen(c->description) - 1], '.');
		assert_non_null(c->remedy);
		assert_true(strlen(c->remedy) > 40);
		assert_non_null(c->evaluate);
		/* grouped by area, areas in hv_areas order */
		for (a = 0; a < hv_n_areas; a++)
			if (strcmp(hv_areas[a].id, c->area) == 0)
				break;
		assert_true(a < hv_n_areas);
		assert_true(a >= area);
		area = a;
	}
	assert_null(hv_check_find("iommu"));
	assert_null(hv_check_find("iommu.enabled.x"));
	assert_null(hv_check_find(""));
	assert_null(hv_check_find(NULL));
	/* the ids the profiles and scripts rely on */
	assert_non_null(hv_check_find("cpu.virt_extensions"));
	assert_non_null(hv_check_find("sriov.vfs_enabled"));
	assert_non_null(hv_check_find("kernel.iommu_params"));
}

static bool
depends_on(const struct hv_check *c, const char *id, unsigned depth)
{
	if (depth > hv_n_checks)
		return true;	/* a cycle */
	for (size_t k = 0; c->depends && c->depends[k]; k++) {
		const struct hv_check *d = hv_check_find(c->depends[k]);

		if (strcmp(c->depends[k], id) == 0 || (d && depends_on(d, id, depth + 1)))
			return true;
	}
	return false;
}

static void
test_table_depends(void **state _unused_)
{
	for (size_t i = 0; i < hv_n_checks; i++) {
		const struct hv_check *c = &hv_checks[i];

		for (size_t k = 0; c->depends && c->depends[k]; k++) {
			const struct hv_check *d = hv_check_find(c->depends[k]);

			assert_non_null(d);
			assert_ptr_not_equal(d, c);
			/* a dependency comes first in report order */
			assert_true(d < c);
		}
		assert_false(depends_on(c, c->id, 0));
	}
	assert_string_equal(hv_check_find("cpu.ept_npt")->depends[0],
			    "cpu.virt_extensions");
	assert_string_equal(hv_check_find("iommu.mode")->depends[0], "iommu.enabled");
	assert_string_equal(hv_check_find("sriov.vfs_enabled")->depends[0],
			    "sriov.capable");
}

static void
test_table_params(void **state _unused_)
{
	char msg[200];

	for (size_t i = 0; i < hv_n_checks; i++) {
		const struct hv_param_spec *ps = hv_checks[i].params;

		for (size_t k = 0; ps && ps[k].name; k++) {
			assert_non_null(ps[k].doc);
			assert_true(strlen(ps[k].doc) > 10);
			assert_ptr_equal(hv_param_spec_find(ps, ps[k].name), &ps[k]);
			if (ps[k].type == HV_PARAM_ENUM)
				assert_non_null(ps[k].values);
			if (ps[k].repeatable)
				assert_null(ps[k].default_value);
			if (ps[k].default_value &&
			    hv_param_validate(&ps[k], ps[k].default_value, msg,
					      sizeof(msg)) < 0)
				fail_msg("%s: default of %s: %s", hv_checks[i].id,
					 ps[k].name, msg);
		}
	}
	assert_string_equal(hv_param_spec_find(hv_check_find("iommu.mode")->params,
					       "expect")->default_value, "any");
	assert_string_equal(hv_param_spec_find(hv_check_find("kernel.hugepages")->params,
					       "min_pages")->default_value, "1");
	assert_null(hv_param_spec_find(hv_check_find("kernel.hugepages")->params,
				       "size_kb")->default_value);
	assert_true(hv_param_spec_find(hv_check_find("sriov.capable")->params,
				       "class")->repeatable);
	assert_int_equal(hv_param_spec_find(hv_check_find("sriov.vfs_enabled")->params,
					    "device")->type, HV_PARAM_PCI_ID);
}

static void
test_areas(void **state _unused_)
{
	assert_int_equal(hv_n_areas, 5);
	assert_string_equal(hv_area_title("cpu"), "CPU");
	assert_string_equal(hv_area_title("kvm"), "KVM");
	assert_string_equal(hv_area_title("iommu"), "IOMMU");
	assert_string_equal(hv_area_title("kernel"), "Kernel");
	assert_string_equal(hv_area_title("pci"), "PCI and SR-IOV");
	assert_string_equal(hv_area_title("gpu"), "gpu");
	for (size_t a = 0; a < hv_n_areas; a++) {
		bool used = false;

		for (size_t i = 0; i < hv_n_checks; i++)
			used |= strcmp(hv_checks[i].area, hv_areas[a].id) == 0;
		assert_true(used);
	}
}

/* hwvirt-profile(5) documents every check and every parameter. */
static void
test_man_page(void **state _unused_)
{
	_cleanup_free_ char *path = hv_test_srcpath("man/hwvirt-profile.5");
	_cleanup_free_ char *man = hv_test_read(path, NULL);

	for (size_t i = 0; i < hv_n_checks; i++) {
		const struct hv_param_spec *ps = hv_checks[i].params;
		char want[128];

		snprintf(want, sizeof(want), "Sy %s", hv_checks[i].id);
		assert_contains(man, want);
		for (size_t k = 0; ps && ps[k].name; k++) {
			snprintf(want, sizeof(want), "Cm %s", ps[k].name);
			assert_contains(man, want);
		}
	}
}

/* ---- cpu.virt_extensions ------------------------------------------------- */

static void
test_virt_extensions_this_machine(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f = run_check(&run, h, "cpu.virt_extensions", NULL);

	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "KVM (\"KVMKVMKVM\")");
	assert_contains(f->message, "does not expose nested virtualization");
	assert_string_equal(f->observed, "neither VMX nor SVM");
	assert_string_equal(f->expected, "SVM (AMD-V)");
	assert_contains(f->remedy, "kvm_amd with nested=1");
	assert_contains(f->remedy, "-cpu host");
	assert_contains(f->remedy, "host-passthrough");
	assert_not_contains(f->remedy, "kvm_intel");
	assert_string_equal(evidence(f, "cpuid 0x1:ecx"),
			    "0xfffa3203 (bit 5 VMX: 0, bit 31 hypervisor: 1)");
	assert_string_equal(evidence(f, "cpuid 0x80000001:ecx"),
			    "0x004003f3 (bit 2 SVM: 0)");
	assert_string_equal(evidence(f, "cpuid"), "AuthenticAMD");
	run_done(&run);
	hv_host_free(h);
}

static void
test_virt_extensions_pass(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f = run_check(&run, h, "cpu.virt_extensions", NULL);

	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "VMX (Intel VT-x)");
	assert_string_equal(f->expected, "VMX (Intel VT-x)");
	assert_string_equal(evidence(f, "cpuid 0x1:ecx"),
			    "0x7ffefbff (bit 5 VMX: 1, bit 31 hypervisor: 0)");
	assert_string_equal(evidence(f, "hwvirt/cpuid.txt"), "GenuineIntel");
	assert_null(f->remedy);
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "SVM (AMD-V)");
	assert_string_equal(evidence(f, "cpuid 0x80000001:ecx"),
			    "0x75c237ff (bit 2 SVM: 1)");
	run_done(&run);
	hv_host_free(h);
}

static void
test_virt_extensions_other_hypervisors(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f;

	/* the same guest under Hyper-V, then VMware (ids as CPUID gives them) */
	snprintf(h->cpu.hypervisor_id, sizeof(h->cpu.hypervisor_id), "Microsoft Hv");
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "Hyper-V");
	assert_contains(f->remedy, "ExposeVirtualizationExtensions $true");
	run_done(&run);
	snprintf(h->cpu.hypervisor_id, sizeof(h->cpu.hypervisor_id), "VMwareVMware");
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_contains(f->remedy, "vhv.enable");
	run_done(&run);
	snprintf(h->cpu.hypervisor_id, sizeof(h->cpu.hypervisor_id), "ZZZZ");
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_contains(f->message, "an unknown hypervisor (\"ZZZZ\")");
	assert_contains(f->remedy, "kvm_amd with nested=1");
	run_done(&run);
	hv_host_free(h);
}

static void
test_virt_extensions_bare_metal_fail(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	/* made up: the Xeon's CPUID with the VMX bit cleared */
	h->cpu.vmx = false;
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "Intel(R) Xeon(R) CPU E5-2690 v4");
	assert_contains(f->message, "has no VMX (Intel VT-x)");
	assert_contains(f->remedy, "firmware settings do not hide the CPUID bit");
	assert_not_contains(f->remedy, "nested");
	run_done(&run);
	hv_host_free(h);
}

static void
test_virt_extensions_unknown(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	/* a capture without hwvirt/cpuid.txt: the kernel's flags decide */
	assert_int_equal(hv_fact_set_absent(&h->cpu.cpuid, "hwvirt/cpuid.txt"), 0);
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "kernel's CPU flags show VMX");
	assert_string_equal(evidence(f, "proc/cpuinfo"), "flags: vmx");
	assert_string_equal(evidence(f, "hwvirt/cpuid.txt"), "not present");
	run_done(&run);

	/* no vmx in the flags says nothing (firmware may have cleared it) */
	strv_set(&h->cpu.flags, "fpu vme de pse");
	f = run_check(&run, h, "cpu.virt_extensions", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "CPUID could not be read: not present");
	assert_string_equal(f->observed, "unknown (not present)");
	run_done(&run);
	hv_host_free(h);
}

/* ---- cpu.virt_enabled ---------------------------------------------------- */

static void
test_virt_enabled(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "cpu.virt_enabled", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "vmx in the kernel's flags");
	assert_string_equal(evidence(f, "proc/cpuinfo"), "flags: vmx");
	run_done(&run);

	/* made up: firmware locked VMX off, the kernel cleared the flag */
	h->cpu.virt_enabled = HV_TRI_NO;
	strv_set(&h->cpu.flags, "fpu vme de pse tsc msr pae smx est tm2 ssse3");
	f = run_check(&run, h, "cpu.virt_enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "IA32_FEAT_CTL");
	assert_string_equal(f->observed, "no vmx in the kernel's flags");
	assert_contains(f->remedy, "Intel Virtualization Technology");
	assert_contains(f->remedy, "power-cycle");
	run_done(&run);

	/* the kernel's flags unreadable */
	assert_int_equal(hv_fact_set_unknown(&h->cpu.cpuinfo, "proc/cpuinfo",
					     -EACCES), 0);
	f = run_check(&run, h, "cpu.virt_enabled", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "needs root");
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	h->cpu.virt_enabled = HV_TRI_NO;	/* made up: SVMDIS set */
	f = run_check(&run, h, "cpu.virt_enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "VM_CR.SVMDIS");
	assert_contains(f->remedy, "SVM Mode");
	assert_string_equal(f->expected, "svm in the kernel's flags");
	run_done(&run);
	hv_host_free(h);
}

static void
test_virt_enabled_skip(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f = run_check(&run, h, "cpu.virt_enabled", NULL);

	assert_status(f, HV_STATUS_SKIP);
	assert_string_equal(f->message, "not judged: cpu.virt_extensions is fail");
	run_done(&run);
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_SKIP);
	run_done(&run);
	hv_host_free(h);
}

/* ---- cpu.ept_npt ----------------------------------------------------------- */

static void
test_ept_npt(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "EPT with unrestricted guest");
	assert_string_equal(evidence(f, "proc/cpuinfo"), "vmx flags: ept");
	run_done(&run);

	/* a kernel before 5.8: ept in flags, no vmx flags line
	 * (cpuid/intel-core-i7-8650u-linux-pre5.8.cpuinfo) */
	h->cpu.unrestricted_guest = HV_TRI_UNKNOWN;
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "could not be told");
	run_done(&run);
	hv_strv_clear(&h->cpu.vmx_flags);
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "no vmx flags line, so unrestricted guest is not "
			"reported");
	assert_string_equal(f->observed, "EPT (unrestricted guest not reported)");
	run_done(&run);

	h->cpu.unrestricted_guest = HV_TRI_NO;
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "emulates guest real mode");
	run_done(&run);

	/* EPT there, KVM told not to use it */
	h->cpu.unrestricted_guest = HV_TRI_YES;
	free(h->kernel.modules[1].params[0].value);
	h->kernel.modules[1].params[0].value = strdup("N");
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_WARN);
	assert_string_equal(f->observed, "EPT present, off in kvm_intel (ept=N)");
	assert_string_equal(evidence(f, "sys/module/kvm_intel/parameters/ept"), "N");
	assert_contains(f->remedy, "kvm_intel.ept=0");
	run_done(&run);

	h->cpu.ept = HV_TRI_NO;
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "shadow page tables");
	assert_contains(f->remedy, "Nehalem");
	run_done(&run);

	h->cpu.ept = HV_TRI_UNKNOWN;
	assert_int_equal(hv_fact_set_unknown(&h->cpu.cpuinfo, "proc/cpuinfo", -EIO), 0);
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "Input/output error");
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	f = run_check(&run, h, "cpu.ept_npt", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "NPT");
	assert_string_equal(f->expected, "NPT (nested page tables)");
	assert_string_equal(evidence(f, "cpuid 0x8000000a:edx"),
			    "0x119b9cff (bit 0 NPT: 1)");
	run_done(&run);
	hv_host_free(h);
}

/* ---- cpu.guest ------------------------------------------------------------- */

static void
test_guest(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "cpu.guest", NULL);
	assert_status(f, HV_STATUS_WARN);
	assert_string_equal(f->observed, "guest of KVM (\"KVMKVMKVM\")");
	assert_contains(f->message, "needs a virtual IOMMU");
	assert_contains(f->remedy, "virtio-iommu-pci");
	assert_contains(f->remedy, "kvm_amd with nested=1");
	assert_string_equal(evidence(f, "cpuid 0x40000000:ebx,ecx,edx"),
			    "\"KVMKVMKVM\"");
	run_done(&run);

	/* without CPUID, the kernel's hypervisor flag */
	assert_int_equal(hv_fact_set_absent(&h->cpu.cpuid, "hwvirt/cpuid.txt"), 0);
	f = run_check(&run, h, "cpu.guest", NULL);
	assert_status(f, HV_STATUS_WARN);
	assert_string_equal(evidence(f, "proc/cpuinfo"), "flags: hypervisor");
	assert_contains(f->observed, "an unidentified hypervisor");
	run_done(&run);

	assert_int_equal(hv_fact_set_unknown(&h->cpu.cpuinfo, "proc/cpuinfo",
					     -EACCES), 0);
	f = run_check(&run, h, "cpu.guest", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);

	h = host_xeon();
	f = run_check(&run, h, "cpu.guest", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "bare metal");
	assert_string_equal(evidence(f, "cpuid 0x1:ecx"),
			    "0x7ffefbff (bit 31 hypervisor: 0)");
	run_done(&run);
	hv_host_free(h);
}

/* ---- kvm.usable ------------------------------------------------------------ */

static void
test_kvm_usable_this_machine(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f = run_check(&run, h, "kvm.usable", NULL);

	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "provided by kvm_pvm");
	assert_contains(f->message, "not by hardware-assisted kvm_intel or kvm_amd");
	assert_string_equal(f->observed,
			    "/dev/kvm answering API version 12, provided by kvm_pvm");
	assert_string_equal(evidence(f, "sys/module/kvm_pvm"), "built in");
	assert_string_equal(evidence(f, "sys/module/kvm_amd"), "not loaded");
	assert_string_equal(evidence(f, "dev/kvm"), "registered");
	assert_string_equal(evidence(f, "dev/kvm KVM_GET_API_VERSION"), "12");
	assert_contains(f->remedy, "kvm_amd with nested=1");
	assert_contains(f->remedy, "unload kvm_pvm");
	run_done(&run);

	/* an ordinary user: /dev/kvm is 0600 root here */
	h->kernel.dev_kvm_usable = HV_TRI_UNKNOWN;
	h->kernel.kvm_api_version = -1;
	assert_int_equal(hv_fact_set_unknown(&h->kernel.dev_kvm_fact, "dev/kvm",
					     -EACCES), 0);
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->observed, "not opened (Permission denied (needs root))");
	run_done(&run);
	hv_host_free(h);
}

static void
test_kvm_usable(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed,
			    "/dev/kvm answering API version 12, kvm_intel loaded");
	assert_string_equal(f->expected,
			    "/dev/kvm answering API version 12, from kvm_intel");
	run_done(&run);

	/* not opened for lack of permission: judged on registration */
	h->kernel.dev_kvm_usable = HV_TRI_UNKNOWN;
	assert_int_equal(hv_fact_set_unknown(&h->kernel.dev_kvm_fact, "dev/kvm",
					     -EACCES), 0);
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "not opened (Permission denied (needs root))");
	run_done(&run);

	h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 11;
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "API version 11, not 12");
	run_done(&run);

	h->kernel.dev_kvm_usable = HV_TRI_NO;
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "does not answer KVM_GET_API_VERSION");
	run_done(&run);

	/* no /dev/kvm, no module */
	h->kernel.dev_kvm = HV_TRI_NO;
	h->kernel.modules[1].loaded = HV_TRI_NO;
	assert_int_equal(hv_fact_set_absent(&h->kernel.dev_kvm_fact, "dev/kvm"), 0);
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "no KVM module is loaded");
	assert_contains(f->remedy, "modprobe kvm_intel");
	assert_contains(f->remedy, "disabled by bios");
	assert_string_equal(evidence(f, "dev/kvm"), "not present");
	run_done(&run);

	h->kernel.dev_kvm = HV_TRI_UNKNOWN;
	assert_int_equal(hv_fact_set_unknown(&h->kernel.dev_kvm_fact,
					     "sys/class/misc/kvm", -EIO), 0);
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);

	h->kernel.dev_kvm = HV_TRI_YES;
	assert_int_equal(hv_fact_set_unknown(&h->kernel.modules_fact, "sys/module",
					     -EACCES), 0);
	f = run_check(&run, h, "kvm.usable", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "modules could not be read");
	run_done(&run);
	hv_host_free(h);
}

/* ---- iommu.acpi ------------------------------------------------------------ */

static void
test_iommu_acpi(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "no DMAR, IVRS, VIOT or IORT table");
	assert_contains(f->remedy, "virtual IOMMU");
	assert_contains(f->remedy, "virtio-iommu-pci");
	assert_string_equal(evidence(f, "sys/firmware/acpi/tables/DMAR"), "not present");
	assert_string_equal(evidence(f, "sys/firmware/acpi/tables/IVRS"), "not present");
	run_done(&run);
	hv_host_free(h);

	h = host_xeon();
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message,
			"DMAR (Intel VT-d, OEM id \"ALASKA\", table id \"A M I\")");
	assert_string_equal(evidence(f, "sys/firmware/acpi/tables/DMAR"),
			    "present, 344 bytes, revision 1, OEM id \"ALASKA\"");
	run_done(&run);

	/* without root: present, not readable */
	assert_int_equal(hv_fact_set_unknown(&h->acpi.dmar.fact,
					     "sys/firmware/acpi/tables/DMAR", -EACCES), 0);
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "DMAR (Intel VT-d)");
	assert_string_equal(evidence(f, "sys/firmware/acpi/tables/DMAR"),
			    "present, not read: Permission denied (needs root)");
	run_done(&run);

	/* bare-metal Intel without the table */
	h->acpi.dmar.present = false;
	assert_int_equal(hv_fact_set_absent(&h->acpi.dmar.fact,
					    "sys/firmware/acpi/tables/DMAR"), 0);
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "Intel VT-d");
	assert_not_contains(f->remedy, "QEMU");
	run_done(&run);

	/* a table whose presence could not be told */
	assert_int_equal(hv_fact_set_unknown(&h->acpi.ivrs.fact,
					     "sys/firmware/acpi/tables/IVRS", -EIO), 0);
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);

	assert_int_equal(hv_fact_set_absent(&h->acpi.tables_fact,
					    "sys/firmware/acpi/tables"), 0);
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "ACPI tables could not be read: not present");
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "IVRS (AMD-Vi, OEM id \"AMD\", table id \"RD890S\")");
	run_done(&run);
	/* made up: the AMD server without its IVRS */
	h->acpi.ivrs.present = false;
	assert_int_equal(hv_fact_set_absent(&h->acpi.ivrs.fact,
					    "sys/firmware/acpi/tables/IVRS"), 0);
	f = run_check(&run, h, "iommu.acpi", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "AMD-Vi");
	assert_contains(f->remedy, "IVRS");
	run_done(&run);
	hv_host_free(h);
}

/* ---- iommu.enabled --------------------------------------------------------- */

static void
test_iommu_enabled(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "no IVRS table");
	assert_string_equal(f->observed, "absent (no IVRS table)");
	assert_string_equal(evidence(f, "sys/class/iommu"), "no units");
	assert_string_equal(evidence(f, "proc/cmdline"), "none");
	assert_contains(f->remedy, "virtual IOMMU");
	run_done(&run);
	hv_host_free(h);

	/* an Intel laptop with VT-d in firmware, off in the kernel */
	h = host_laptop("BOOT_IMAGE=/boot/vmlinuz-6.8.0-45-generic root=UUID=1 ro "
			"quiet splash");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_string_equal(f->message, "The firmware describes an IOMMU (DMAR) but the "
			    "kernel has it off: no IOMMU unit is registered.");
	assert_contains(f->remedy, "Add intel_iommu=on");
	assert_contains(f->remedy, "CONFIG_INTEL_IOMMU_DEFAULT_ON");
	assert_contains(f->remedy, "update-grub");
	run_done(&run);
	hv_host_free(h);

	h = host_laptop("root=/dev/nvme0n1p2 ro intel_iommu=off");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "Replace intel_iommu=off with intel_iommu=on");
	assert_string_equal(evidence(f, "proc/cmdline"), "intel_iommu=off");
	run_done(&run);

	/* the kernel was asked, and still has none */
	cmdline_set(h, "root=/dev/nvme0n1p2 ro intel_iommu=on");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_contains(f->remedy, "intel_iommu=on is set, yet no DMAR unit");
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "on, passthrough (1 unit)");
	assert_string_equal(f->message, "The IOMMU is on in the kernel (passthrough): "
			    "1 AMD-Vi unit, groups of type identity.");
	assert_string_equal(evidence(f, "sys/class/iommu"), "ivhd0");
	assert_string_equal(evidence(f, "proc/cmdline"), "iommu=pt");
	run_done(&run);

	/* another module's sentence becomes a clause */
	iommu_state(h, HV_IOMMU_STATE_PASSTHROUGH, "Inferred from iommu=pt.");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_string_equal(f->message, "The IOMMU is on in the kernel (passthrough): "
			    "inferred from iommu=pt.");
	run_done(&run);

	/* made up: the AMD IOMMU turned off on the command line */
	iommu_state(h, HV_IOMMU_STATE_OFF, "an IVRS table is present but no unit");
	cmdline_set(h, "ro amd_iommu=off");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "Remove amd_iommu=off");
	assert_contains(f->remedy, "on by default");
	run_done(&run);
	cmdline_set(h, "ro iommu=off");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_contains(f->remedy, "Remove iommu=off");
	run_done(&run);
	cmdline_set(h, "ro");
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_contains(f->remedy, "dmesg | grep AMD-Vi");
	run_done(&run);

	iommu_state(h, HV_IOMMU_STATE_UNKNOWN, NULL);
	assert_int_equal(hv_fact_set_unknown(&h->iommu.units_fact, "sys/class/iommu",
					     -EACCES), 0);
	f = run_check(&run, h, "iommu.enabled", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "IOMMU units could not be read");
	run_done(&run);
	hv_host_free(h);
}

/* ---- iommu.mode ------------------------------------------------------------ */

static void
test_iommu_mode(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "iommu.mode", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "translated");
	assert_string_equal(f->expected, "translated or passthrough");
	assert_string_equal(evidence(f, "sys/kernel/iommu_groups"),
			    "3 groups, 3 DMA-FQ");
	run_done(&run);

	f = run_check(&run, h, "iommu.mode", "expect=translated", NULL);
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	f = run_check(&run, h, "iommu.mode", "expect=passthrough", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "Add iommu=pt");
	run_done(&run);
	hv_host_free(h);

	h = host_epyc();
	f = run_check(&run, h, "iommu.mode", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "not isolated from each other");
	run_done(&run);

	f = run_check(&run, h, "iommu.mode", "expect=translated", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "not isolation");
	assert_contains(f->remedy, "Remove iommu=pt from the kernel command line");
	assert_string_equal(evidence(f, "sys/kernel/iommu_groups"),
			    "2 groups, 2 identity");
	run_done(&run);

	cmdline_set(h, "ro iommu.passthrough=1 iommu=pt");
	f = run_check(&run, h, "iommu.mode", "expect=translated", NULL);
	assert_contains(f->remedy, "Remove iommu.passthrough=1 and iommu=pt");
	run_done(&run);

	/* passthrough with nothing on the command line: the kernel's default */
	cmdline_set(h, "ro");
	f = run_check(&run, h, "iommu.mode", "expect=translated", NULL);
	assert_contains(f->remedy, "CONFIG_IOMMU_DEFAULT_PASSTHROUGH");
	assert_contains(f->remedy, "iommu.passthrough=0");
	run_done(&run);
	hv_host_free(h);

	/* the IOMMU off: not judged */
	h = host_laptop("ro");
	f = run_check(&run, h, "iommu.mode", NULL);
	assert_status(f, HV_STATUS_SKIP);
	assert_string_equal(f->message, "not judged: iommu.enabled is fail");
	run_done(&run);
	hv_host_free(h);
}

/* ---- kernel.iommu_params ----------------------------------------------------- */

static const struct hv_finding *
run_params(struct run *run, struct hv_host *h, const char *cmdline)
{
	cmdline_set(h, cmdline);
	return run_check(run, h, "kernel.iommu_params", NULL);
}

static void
test_iommu_params_amd(void **state _unused_)
{
	struct hv_host *h = host_epyc();
	struct run run;
	const struct hv_finding *f;

	f = run_params(&run, h, "ro quiet");
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "none");
	assert_contains(f->message, "kernel's defaults apply");
	run_done(&run);

	f = run_params(&run, h, "ro amd_iommu=on iommu=pt");
	assert_status(f, HV_STATUS_WARN);
	assert_string_equal(f->observed, "amd_iommu=on iommu=pt");
	assert_contains(f->message, "'on' in amd_iommu=on is not a value the kernel accepts");
	assert_contains(f->message, "Unknown option");
	assert_contains(f->message, "the AMD IOMMU is on by default");
	assert_contains(f->remedy, "Remove 'on' from amd_iommu");
	assert_string_equal(evidence(f, "proc/cmdline"), "amd_iommu=on iommu=pt");
	run_done(&run);

	f = run_params(&run, h, "ro amd_iommu=force_isolation,pgtbl_v2");
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	f = run_params(&run, h, "ro amd_iommu=off");
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "amd_iommu=off turns the AMD IOMMU off");
	run_done(&run);

	/* the other vendor's parameter does nothing here */
	f = run_params(&run, h, "ro intel_iommu=on");
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "intel_iommu=on has no effect on this AMD host");
	run_done(&run);
	f = run_params(&run, h, "ro intel_iommu=off");
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	/* tokens, not substrings */
	f = run_params(&run, h, "ro xamd_iommu=off amd_iommu_dump foo=amd_iommu=off");
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "none");
	run_done(&run);

	f = run_params(&run, h, "ro amd_iommu=fullflush");
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "deprecated (use iommu.strict=1)");
	run_done(&run);
	hv_host_free(h);
}

static void
test_iommu_params_intel(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_params(&run, h, "ro intel_iommu=on,sm_on iommu=pt");
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "valid and keep the IOMMU on");
	run_done(&run);

	f = run_params(&run, h, "ro intel_iommu=off");
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "intel_iommu=off turns the Intel IOMMU off");
	assert_contains(f->remedy, "Remove intel_iommu=off (and add intel_iommu=on)");
	run_done(&run);

	/* the kernel treats '-' and '_' alike */
	f = run_params(&run, h, "ro intel-iommu=off");
	assert_status(f, HV_STATUS_FAIL);
	run_done(&run);

	/* the last word wins */
	f = run_params(&run, h, "ro intel_iommu=off intel_iommu=on");
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "intel_iommu=off is overridden by a later intel_iommu=on");
	run_done(&run);
	f = run_params(&run, h, "ro intel_iommu=on,igfx_off,off");
	assert_status(f, HV_STATUS_FAIL);
	run_done(&run);

	f = run_params(&run, h, "ro intel_iommu=on,pt");
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "'pt' in intel_iommu=on,pt is not a value");
	run_done(&run);

	f = run_params(&run, h, "ro iommu=off");
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "iommu=off turns every IOMMU off");
	run_done(&run);

	f = run_params(&run, h, "ro intel_iommu=on pcie_acs_override=downstream,multifunction");
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "loss of isolation, never a fix");
	assert_contains(f->remedy, "Remove pcie_acs_override=downstream,multifunction");
	run_done(&run);

	f = run_params(&run, h, "ro intel_iommu=on intremap=off");
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "interrupt remapping is off");
	run_done(&run);

	f = run_params(&run, h, "ro vfio_iommu_type1.allow_unsafe_interrupts=1");
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "without interrupt remapping");
	run_done(&run);
	f = run_params(&run, h, "ro vfio_iommu_type1.allow_unsafe_interrupts=0");
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	f = run_params(&run, h, "ro iommu.passthrough=maybe");
	assert_status(f, HV_STATUS_WARN);
	assert_contains(f->message, "not a boolean");
	run_done(&run);

	f = run_params(&run, h, "ro amd_iommu=on");
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "has no effect on this Intel host");
	run_done(&run);

	/* several problems: the worst first, the rest counted, all fixed */
	f = run_params(&run, h, "ro iommu=off pcie_acs_override=downstream intremap=off");
	assert_status(f, HV_STATUS_FAIL);
	assert_string_equal(f->message, "iommu=off turns every IOMMU off (and 2 more: "
			    "see the remedy).");
	assert_true(hv_startswith(f->remedy, "Remove iommu=off; remove "
				  "pcie_acs_override=downstream and pass through"));
	assert_contains(f->remedy, "; remove 'off' from intremap; edit GRUB_CMDLINE_LINUX");
	run_done(&run);

	assert_int_equal(hv_fact_set_unknown(&h->kernel.cmdline_fact, "proc/cmdline",
					     -EACCES), 0);
	f = run_check(&run, h, "kernel.iommu_params", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);
}

/* ---- kernel.vfio ------------------------------------------------------------- */

static void
test_vfio(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;
	struct hv_module *m;

	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "vfio_pci loaded");
	assert_string_equal(evidence(f, "sys/module/vfio_pci"), "loaded");
	run_done(&run);

	m = &h->kernel.modules[h->kernel.n_modules - 1];
	assert_string_equal(m->name, "vfio_pci");
	m->builtin = true;
	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "built into the kernel");
	run_done(&run);

	m->builtin = false;
	m->loaded = HV_TRI_NO;
	m->available = HV_TRI_YES;
	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_string_equal(f->observed, "vfio_pci installed, not loaded");
	assert_contains(f->remedy, "/etc/modules-load.d/vfio-pci.conf");
	run_done(&run);

	m->available = HV_TRI_NO;
	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "not installed for this kernel");
	assert_contains(f->remedy, "linux-modules-extra");
	run_done(&run);

	m->available = HV_TRI_UNKNOWN;
	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "could not be told");
	assert_contains(f->remedy, "modprobe vfio-pci");
	run_done(&run);

	assert_int_equal(hv_fact_set_unknown(&h->kernel.modules_fact, "sys/module",
					     -EIO), 0);
	f = run_check(&run, h, "kernel.vfio", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);
}

/* ---- kernel.hugepages -------------------------------------------------------- */

static void
test_hugepages(void **state _unused_)
{
	struct hv_host *h = host_this_machine();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "kernel.hugepages", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_string_equal(f->expected, "at least 1 hugepage");
	assert_string_equal(f->observed, "0 of 2048 kB, 0 of 1048576 kB");
	assert_string_equal(evidence(f, "sys/kernel/mm/hugepages/hugepages-2048kB/"
					"nr_hugepages"), "0");
	assert_contains(f->remedy, "sysctl vm.nr_hugepages=1");
	run_done(&run);

	f = run_check(&run, h, "kernel.hugepages", "size_kb=1048576", "min_pages=4",
		      NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_string_equal(f->expected, "at least 4 hugepages of 1048576 kB");
	assert_contains(f->message, "0 hugepages of 1GB are reserved, fewer than 4");
	assert_contains(f->remedy, "hugepagesz=1G hugepages=4");
	assert_contains(f->remedy, "default_hugepagesz=1G");
	run_done(&run);

	f = run_check(&run, h, "kernel.hugepages", "size_kb=4096", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "no 4096 kB hugepages");
	run_done(&run);
	hv_host_free(h);

	h = host_xeon();	/* 16 of 1 GB */
	f = run_check(&run, h, "kernel.hugepages", "size_kb=1048576", "min_pages=16",
		      NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "16 hugepages of 1048576 kB are reserved");
	run_done(&run);
	f = run_check(&run, h, "kernel.hugepages", "min_pages=17", NULL);
	assert_status(f, HV_STATUS_FAIL);
	run_done(&run);
	f = run_check(&run, h, "kernel.hugepages", "size_kb=2048", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "vm.nr_hugepages=1");
	run_done(&run);

	assert_int_equal(hv_fact_set_unknown(&h->kernel.hugepages_fact,
					     "sys/kernel/mm/hugepages", -EACCES), 0);
	f = run_check(&run, h, "kernel.hugepages", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);
}

/* ---- sriov.capable ----------------------------------------------------------- */

static void
test_sriov_capable(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "sriov.capable", "class=0200", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "0000:01:00.0 (8086:10c9, 8 VFs)");
	assert_not_contains(f->message, "0000:02:10.0");
	assert_string_equal(f->expected, "an SR-IOV capable PF of class 0200");
	assert_string_equal(evidence(f, "sys/bus/pci/devices/0000:01:00.0/config"),
			    "SR-IOV capability at 0x160: TotalVFs 8, NumVFs 1, "
			    "VF Enable 1, VF device 10ca");
	assert_string_equal(evidence(f, "sys/bus/pci/devices/0000:01:00.0/"
					"sriov_totalvfs"), "8");
	run_done(&run);

	f = run_check(&run, h, "sriov.capable", "device=8086:10c9", NULL);
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);
	f = run_check(&run, h, "sriov.capable", "device=15b3:*", "device=8086:*", NULL);
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	f = run_check(&run, h, "sriov.capable", "class=0302", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "No PCI device of class 0302 is present");
	assert_contains(f->remedy, "firmware setup");
	run_done(&run);

	f = run_check(&run, h, "sriov.capable", "class=0200", "device=15b3:*", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "class 0200, device 15b3:*");
	run_done(&run);

	/* only sysfs tells: the capability was not visible */
	assert_int_equal(hv_fact_set_unknown(&h->pci.devs[0].sriov->cap_fact,
					     "sys/bus/pci/devices/0000:01:00.0/config",
					     -EACCES), 0);
	f = run_check(&run, h, "sriov.capable", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "0000:01:00.0 (8086:10c9, 8 VFs)");
	run_done(&run);
	hv_host_free(h);

	/* this machine: PCIe devices fully visible, none with SR-IOV */
	h = host_this_machine();
	f = run_check(&run, h, "sriov.capable", "class=0200", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "None of the 1 PCI device of class 0200");
	assert_contains(f->remedy, "virtio-net");
	run_done(&run);

	/* as an ordinary user: 64 bytes of config, no sysfs attribute */
	for (size_t i = 0; i < h->pci.n_devs; i++) {
		h->pci.devs[i].config_len = 64;
		h->pci.devs[i].extended_visible = false;
		h->pci.devs[i].is_pcie = false;
	}
	f = run_check(&run, h, "sriov.capable", "class=0200", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	assert_contains(f->message, "0000:00:03.0");
	assert_contains(f->message, "only 64 bytes of config space are visible");
	run_done(&run);

	/* an unknown device does not hide a capable one */
	add_82576(h, -1, false);
	f = run_check(&run, h, "sriov.capable", "class=02", NULL);
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);

	assert_int_equal(hv_fact_set_unknown(&h->pci.fact, "sys/bus/pci/devices",
					     -EIO), 0);
	f = run_check(&run, h, "sriov.capable", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);
}

/* ---- sriov.vfs_enabled ------------------------------------------------------- */

static void
test_sriov_vfs(void **state _unused_)
{
	struct hv_host *h = host_xeon();
	struct run run;
	const struct hv_finding *f;

	f = run_check(&run, h, "sriov.vfs_enabled", "class=0200", NULL);
	assert_status(f, HV_STATUS_PASS);
	assert_contains(f->message, "0000:01:00.0 has 1 VF enabled");
	assert_string_equal(f->observed, "VFs enabled: 0000:01:00.0: 1 of 8");
	assert_string_equal(evidence(f, "sys/bus/pci/devices/0000:01:00.0/sriov_numvfs"),
			    "1");
	run_done(&run);

	/* a non-zero count goes through 0 */
	f = run_check(&run, h, "sriov.vfs_enabled", "min_vfs=4", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->message, "has 4 VFs enabled (0000:01:00.0: 1 of 8)");
	assert_contains(f->remedy,
			"echo 0 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs");
	assert_contains(f->remedy,
			"echo 4 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs");
	assert_contains(f->remedy, "ATTR{sriov_numvfs}=\"4\"");
	run_done(&run);

	h->pci.devs[0].sriov->sysfs_numvfs = 0;
	f = run_check(&run, h, "sriov.vfs_enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "echo 1 > /sys/bus/pci/devices/0000:01:00.0/sriov_numvfs");
	assert_not_contains(f->remedy, "echo 0 >");
	run_done(&run);

	f = run_check(&run, h, "sriov.vfs_enabled", "min_vfs=9", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "supports at most 8 VFs, fewer than 9");
	run_done(&run);

	free(h->pci.devs[0].driver);
	h->pci.devs[0].driver = NULL;
	f = run_check(&run, h, "sriov.vfs_enabled", NULL);
	assert_contains(f->remedy, "no driver is bound to 0000:01:00.0");
	run_done(&run);

	/* no sysfs: the capability's NumVFs with VF Enable */
	h->pci.devs[0].sriov->sysfs_numvfs = -1;
	h->pci.devs[0].sriov->sysfs_totalvfs = -1;
	f = run_check(&run, h, "sriov.vfs_enabled", NULL);
	assert_status(f, HV_STATUS_PASS);
	run_done(&run);
	h->pci.devs[0].sriov->vf_enable = false;
	f = run_check(&run, h, "sriov.vfs_enabled", NULL);
	assert_status(f, HV_STATUS_FAIL);
	assert_contains(f->remedy, "no sriov_numvfs");
	assert_contains(f->remedy, "pci=realloc");
	run_done(&run);

	/* neither: unknown */
	assert_int_equal(hv_fact_set_unknown(&h->pci.devs[0].sriov->cap_fact,
					     "sys/bus/pci/devices/0000:01:00.0/config",
					     -EACCES), 0);
	h->pci.devs[0].sriov->sysfs_totalvfs = 8;
	f = run_check(&run, h, "sriov.vfs_enabled", NULL);
	assert_status(f, HV_STATUS_UNKNOWN);
	run_done(&run);
	hv_host_free(h);

	/* no capable PF: not judged */
	h = host_this_machine();
	f = run_check(&run, h, "sriov.vfs_enabled", "class=0200", NULL);
	assert_status(f, HV_STATUS_SKIP);
	assert_string_equal(f->message, "not judged: sriov.capable is fail");
	run_done(&run);
	hv_host_free(h);
}

/* ---- this machine, probed live -------------------------------------------- */

static enum hv_tri
module_loaded_here(const struct hv_host *h, const char *name)
{
	const struct hv_module *m = hv_host_module(h, name);

	return m ? m->loaded : HV_TRI_NO;
}

/*
 * The whole kvm-host set over this machine as the probes see it, when it is
 * the machine the brief describes (an AMD KVM guest without SVM, /dev/kvm
 * from kvm_pvm, no IOMMU); skipped anywhere else.
 */
static void
test_live_this_machine(void **state _unused_)
{
	static const char *const ids[] = {
		"cpu.virt_extensions", "kvm.usable", "iommu.acpi", "iommu.enabled",
	};
	static const enum hv_status want[] = {
		HV_STATUS_FAIL, HV_STATUS_WARN, HV_STATUS_FAIL, HV_STATUS_FAIL,
	};
	struct hv_profile_rule rules[HV_ELEMENTSOF(ids)] = { { 0 } };
	struct hv_profile prof = { .name = (char *)"live", .rules = rules,
				   .n_rules = HV_ELEMENTSOF(ids) };
	struct hv_profile *pp = &prof;
	struct hv_root *root = NULL;
	struct hv_host *h = hv_host_new();
	struct hv_audit *a = NULL;

	assert_non_null(h);
	assert_int_equal(hv_root_open("/", &root), 0);
	assert_int_equal(hv_host_probe(root, h), 0);
	if (!hv_fact_ok(&h->cpu.cpuid) || h->cpu.vendor != HV_CPU_VENDOR_AMD ||
	    h->cpu.svm || !h->cpu.hypervisor ||
	    module_loaded_here(h, "kvm_pvm") != HV_TRI_YES ||
	    h->acpi.dmar.present || h->acpi.ivrs.present) {
		hv_host_free(h);
		hv_root_free(root);
		skip();
	}
	for (size_t i = 0; i < HV_ELEMENTSOF(ids); i++)
		rules[i] = (struct hv_profile_rule){
			.check_id = (char *)ids[i], .severity = HV_SEVERITY_REQUIRED,
		};
	assert_int_equal(hv_audit_run(h, &pp, 1, &a), 0);
	assert_int_equal(a->n_findings, HV_ELEMENTSOF(ids));
	for (size_t i = 0; i < a->n_findings; i++) {
		assert_string_equal(a->findings[i].check->id, ids[i]);
		assert_status(&a->findings[i], want[i]);
	}
	assert_contains(a->findings[0].message, "nested virtualization");
	assert_contains(a->findings[1].message, "kvm_pvm");
	assert_int_equal(a->verdict, HV_VERDICT_NOT_READY);
	assert_int_equal(hv_audit_exit_code(a, false), HV_EXIT_NOT_READY);
	hv_audit_free(a);
	hv_host_free(h);
	hv_root_free(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_ids),
		cmocka_unit_test(test_table_depends),
		cmocka_unit_test(test_table_params),
		cmocka_unit_test(test_areas),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_virt_extensions_this_machine),
		cmocka_unit_test(test_virt_extensions_pass),
		cmocka_unit_test(test_virt_extensions_other_hypervisors),
		cmocka_unit_test(test_virt_extensions_bare_metal_fail),
		cmocka_unit_test(test_virt_extensions_unknown),
		cmocka_unit_test(test_virt_enabled),
		cmocka_unit_test(test_virt_enabled_skip),
		cmocka_unit_test(test_ept_npt),
		cmocka_unit_test(test_guest),
		cmocka_unit_test(test_kvm_usable_this_machine),
		cmocka_unit_test(test_kvm_usable),
		cmocka_unit_test(test_iommu_acpi),
		cmocka_unit_test(test_iommu_enabled),
		cmocka_unit_test(test_iommu_mode),
		cmocka_unit_test(test_iommu_params_amd),
		cmocka_unit_test(test_iommu_params_intel),
		cmocka_unit_test(test_vfio),
		cmocka_unit_test(test_hugepages),
		cmocka_unit_test(test_sriov_capable),
		cmocka_unit_test(test_sriov_vfs),
		cmocka_unit_test(test_live_this_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
