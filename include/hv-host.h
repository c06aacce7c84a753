/*
 * hv-host.h -- the inventory: what a host has. Plain C structs, facts and
 * no opinions. Probes fill it (hv-probe.h), checks read it (hv-check.h),
 * writers format it (hv-writer.h).
 *
 * Every group of facts read from one place carries a struct hv_fact that
 * says how it came to be known: read, absent (absence is a fact), unknown
 * (could not be read: the errno says why, e.g. -EACCES without root) or
 * invalid (read but malformed: the message says what and where). A value
 * whose fact is not HV_FACT_OK must not be used by a check.
 *
 * Memory: the host owns every pointer in it; hv_host_free() releases all.
 * Arrays are (pointer, n) pairs, sorted where the writers need a stable
 * order (devices by address, groups by number).
 */
#ifndef HV_HOST_H
#define HV_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv-acpi.h"
#include "hv-cc.h"
#include "hv-firmware.h"
#include "hv-gpu.h"
#include "hv-pcivirt.h"
#include "hv-util.h"

/* ---- facts ------------------------------------------------------------ */

enum hv_fact_state {
	HV_FACT_UNPROBED = 0,	/* the probe did not run (or not yet) */
	HV_FACT_OK,		/* read and understood */
	HV_FACT_ABSENT,		/* the source does not exist */
	HV_FACT_UNKNOWN,	/* could not be read: err says why */
	HV_FACT_INVALID,	/* read, but malformed: msg says what */
};

struct hv_fact {
	enum hv_fact_state state;
	int err;		/* negative errno for UNKNOWN and INVALID */
	char *source;		/* root-relative path read, or "cpuid", ... */
	char *msg;		/* detail for INVALID (and optional for UNKNOWN) */
};

/* Set a fact. source is copied. 0 or -ENOMEM. */
int hv_fact_set_ok(struct hv_fact *f, const char *source);
int hv_fact_set_absent(struct hv_fact *f, const char *source);
int hv_fact_set_unknown(struct hv_fact *f, const char *source, int err);
int hv_fact_set_invalid(struct hv_fact *f, const char *source, int err,
			const char *fmt, ...) _printf_(4, 5);
/*
 * Set from the result of a read: r == 0 -> OK, -ENOENT/-ENOTDIR -> ABSENT,
 * anything else -> UNKNOWN. Returns 0 or -ENOMEM.
 */
int hv_fact_set_from_errno(struct hv_fact *f, const char *source, int r);
void hv_fact_clear(struct hv_fact *f);
static inline bool
hv_fact_ok(const struct hv_fact *f)
{
	return f->state == HV_FACT_OK;
}
/* "ok", "absent", "unknown", "invalid", "unprobed". */
const char *hv_fact_state_to_string(enum hv_fact_state s);
/*
 * Human reason for a fact that is not OK: "permission denied (needs root)",
 * "not present", "line 3: expected ...". Caller frees. NULL on ENOMEM.
 */
char *hv_fact_reason(const struct hv_fact *f);

/* A diagnostic about bad input, for standard error and the exit code. */
struct hv_diag {
	char *path;		/* root-relative path, or NULL */
	unsigned line;		/* 1-based line, 0 if not line-oriented */
	int err;		/* negative errno */
	char *msg;
	bool bad_input;		/* malformed user input: exit 65 */
};

/* ---- CPU -------------------------------------------------------------- */

enum hv_cpu_vendor {
	HV_CPU_VENDOR_UNKNOWN = 0,
	HV_CPU_VENDOR_INTEL,
	HV_CPU_VENDOR_AMD,
	HV_CPU_VENDOR_HYGON,
	HV_CPU_VENDOR_OTHER,
};
const char *hv_cpu_vendor_to_string(enum hv_cpu_vendor v);

struct hv_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

struct hv_cpuid_leaf {
	uint32_t leaf;
	uint32_t subleaf;
	struct hv_cpuid_regs r;
};

/* The leaves of one CPU, sorted by (leaf, subleaf). */
struct hv_cpuid_dump {
	int cpu;			/* logical CPU, -1 for "CPU:" */
	struct hv_cpuid_leaf *leaves;
	size_t n_leaves;
	size_t cap;
};

/* One distinct CPU type (hybrid CPUs have two or more). */
struct hv_cpu_type {
	char *cpus;			/* "0-7,16-23"; NULL if not known */
	uint8_t core_type;		/* CPUID 0x1A EAX[31:24]; 0 if none */
	struct hv_cpuid_dump cpuid;
};

struct hv_cpu {
	/* From CPUID: live instruction or hwvirt/cpuid.txt. */
	struct hv_fact cpuid;
	struct hv_cpu_type *types;	/* types[0] is the boot CPU's */
	size_t n_types;

	/* Decoded from types[0]. */
	enum hv_cpu_vendor vendor;
	char vendor_id[13];		/* "GenuineIntel" */
	char brand[49];			/* stripped */
	uint32_t signature;		/* CPUID 1 EAX */
	unsigned family, model, stepping;	/* display values */
	uint32_t max_leaf, max_ext_leaf;
	bool vmx;			/* CPUID 1 ECX[5] */
	bool svm;			/* CPUID 8000_0001 ECX[2] */
	bool hypervisor;		/* CPUID 1 ECX[31] */
	char hypervisor_id[13];		/* CPUID 4000_0000 EBX..EDX */
	bool hybrid;			/* CPUID 7 EDX[15] */
	bool have_svm_leaf;		/* 8000_000A, raw (NPT, AVIC, ...) */
	struct hv_cpuid_regs svm_leaf;
	bool have_sev_leaf;		/* 8000_001F, raw (SME/SEV/SNP) */
	struct hv_cpuid_regs sev_leaf;

	/* From proc/cpuinfo (the kernel's view). */
	struct hv_fact cpuinfo;
	char *model_name;
	char *microcode;		/* as printed, "0x1000065" */
	struct hv_strv flags;		/* of the first processor, sorted */
	struct hv_strv vmx_flags;	/* "vmx flags" line (Intel), sorted */
	unsigned logical_cpus;		/* processor entries */
	unsigned sockets;		/* distinct "physical id" (0 unknown) */

	/* From sys/devices/system/node. */
	struct hv_fact numa;
	unsigned numa_nodes;

	/*
	 * Virtualization features, from the kernel's view where it has one
	 * (cpuinfo flags and vmx flags), else from CPUID.
	 */
	enum hv_tri virt_enabled;	/* vmx/svm in the kernel's flags */
	enum hv_tri ept;		/* Intel EPT */
	enum hv_tri vpid;
	enum hv_tri unrestricted_guest;
	enum hv_tri posted_interrupts;
	enum hv_tri apicv;		/* Intel APICv */
	enum hv_tri npt;		/* AMD NPT (RVI) */
	enum hv_tri avic;		/* AMD AVIC */
};

/* ---- kernel ----------------------------------------------------------- */

struct hv_kparam {
	char *key;
	char *value;			/* NULL for a bare flag ("quiet") */
	int err;			/* module parameters: negative errno when
					   value is NULL because the file could
					   not be read (0400/0200); else 0 */
};

struct hv_cmdline {
	struct hv_kparam *params;	/* in order, duplicates kept */
	size_t n_params;
	size_t cap;
};

struct hv_module {
	char *name;			/* "kvm_intel" */
	enum hv_tri loaded;		/* sys/module/NAME exists (or the module
					   is listed in modules.builtin) */
	bool builtin;			/* loaded, but no initstate */
	enum hv_tri available;		/* loaded, built in, or installed for
					   the running release (modules.dep):
					   modprobe can load it. UNKNOWN when
					   not loaded and the module index
					   could not be read */
	struct hv_kparam *params;	/* sorted by key; value NULL if unreadable */
	size_t n_params;
};

struct hv_hugepages {
	unsigned long size_kb;
	uint64_t total;
	uint64_t free;
};

struct hv_kernel {
	struct hv_fact release_fact;
	char *release;			/* proc/sys/kernel/osrelease */
	struct hv_fact hostname_fact;
	char *hostname;			/* proc/sys/kernel/hostname */

	struct hv_fact cmdline_fact;
	char *cmdline_raw;		/* proc/cmdline, stripped */
	struct hv_cmdline cmdline;

	struct hv_fact modules_fact;	/* sys/module */
	struct hv_module *modules;	/* kvm, kvm_intel, kvm_amd, vfio, ... */
	size_t n_modules;
	struct hv_fact modules_index_fact;	/* lib/modules/RELEASE/modules.dep */

	struct hv_fact dev_kvm_fact;	/* dev/kvm */
	enum hv_tri dev_kvm;		/* exists */
	enum hv_tri dev_kvm_usable;	/* opens and answers the API version */
	int kvm_api_version;		/* 12, or -1 */

	struct hv_fact hugepages_fact;	/* sys/kernel/mm/hugepages */
	struct hv_hugepages *hugepages;	/* sorted by size */
	size_t n_hugepages;
	unsigned long default_hugepage_kb;	/* proc/meminfo Hugepagesize */
};

/* ---- ACPI ------------------------------------------------------------- */

/* An ACPI table's presence, as sys/firmware/acpi/tables/SIG shows it. */
struct hv_acpi_table {
	char signature[5];
	struct hv_fact fact;		/* ABSENT, OK (read), UNKNOWN (not root) */
	bool present;			/* the file exists (stat works without root) */
	size_t length;			/* bytes read, when readable */
	uint8_t revision;		/* header revision, when readable */
	char oem_id[7];
	char oem_table_id[9];
	bool checksum_ok;
	/* The whole table, when read (the decoders of hv-acpi.h use it). */
	uint8_t *data;
};

struct hv_acpi {
	struct hv_fact tables_fact;	/* sys/firmware/acpi/tables */
	struct hv_acpi_table dmar;	/* Intel VT-d */
	struct hv_acpi_table ivrs;	/* AMD-Vi */
	struct hv_acpi_table viot;	/* virtio-iommu */
	struct hv_acpi_table iort;	/* Arm SMMU */
	/* The decoded tables and what they say about devices (hv-acpi.h). */
	struct hv_acpi_decoded decoded;
};

/* ---- IOMMU in the kernel ---------------------------------------------- */

enum hv_iommu_state {
	HV_IOMMU_STATE_UNKNOWN = 0,
	HV_IOMMU_STATE_ABSENT,		/* no IOMMU described by firmware */
	HV_IOMMU_STATE_OFF,		/* described, but the kernel has it off */
	HV_IOMMU_STATE_PASSTHROUGH,	/* on, host devices identity-mapped */
	HV_IOMMU_STATE_TRANSLATED,	/* on and translating */
};
const char *hv_iommu_state_to_string(enum hv_iommu_state s);

struct hv_iommu_unit {
	char *name;			/* sys/class/iommu/NAME: dmar0, ivhd0 */
	char *kind;			/* "intel-iommu", "amd-iommu", "virtio", ... */
	struct hv_strv devices;		/* PCI addresses it serves, sorted */
};

struct hv_iommu_group {
	unsigned id;
	char *type;			/* "DMA", "DMA-FQ", "identity", "blocked",
					   "unmanaged"; NULL if unknown */
	struct hv_strv devices;		/* PCI addresses (or other names), sorted */
};

struct hv_iommu {
	struct hv_fact units_fact;	/* sys/class/iommu */
	struct hv_iommu_unit *units;
	size_t n_units;

	struct hv_fact groups_fact;	/* sys/kernel/iommu_groups */
	struct hv_iommu_group *groups;	/* sorted by id */
	size_t n_groups;

	/* Derived by the probe from firmware, units, groups and cmdline. */
	enum hv_iommu_state state;
	char *state_reason;		/* why that state, in a sentence */
};

/* ---- PCI -------------------------------------------------------------- */

struct hv_sriov {
	/* From the SR-IOV extended capability (needs config space > 256 B). */
	struct hv_fact cap_fact;	/* OK: decoded; ABSENT: no capability;
					   UNKNOWN: extended config not readable */
	uint16_t cap_offset;
	uint32_t capabilities;
	uint16_t control;
	uint16_t status;
	uint16_t initial_vfs;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint8_t function_dependency_link;
	uint16_t vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device_id;
	uint32_t supported_page_sizes;
	uint32_t system_page_size;
	bool vf_enable;			/* control bit 0 */
	bool vf_migration_enable;	/* control bit 1 */
	bool ari_capable_hierarchy;	/* control bit 4 */
	uint64_t vf_bar[6];		/* raw BAR registers */

	/* From sysfs (world-readable): -1 when the attribute is absent. */
	int sysfs_totalvfs;
	int sysfs_numvfs;
	int sysfs_offset;
	int sysfs_stride;
	int sysfs_vf_device;		/* sriov_vf_device, hex */
	enum hv_tri drivers_autoprobe;
	struct hv_strv vfs;		/* virtfnN targets, PCI addresses, by N */
};

struct hv_pci_dev {
	char addr[16];			/* "0000:3b:00.0" */
	uint16_t domain;
	uint8_t bus, dev, func;

	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor_id, subsys_id;
	uint8_t revision;
	uint32_t class_code;		/* base << 16 | sub << 8 | prog-if */
	char *vendor_name;		/* pci.ids; NULL if not known */
	char *device_name;
	char *class_name;

	char *driver;			/* bound driver; NULL if none */
	int numa_node;			/* -1 if none or unknown */
	int iommu_group;		/* -1 if none */
	char *physfn;			/* for a VF: its PF's address */

	struct hv_fact config_fact;	/* the config file */
	size_t config_len;		/* bytes readable: 64 without root */
	/* From the standard header, when config_len covers it (0x0e, 0x18-0x1a). */
	bool header_known;		/* header type (and bus numbers) read */
	uint8_t header_type;		/* bits 6:0: 0 endpoint, 1 PCI-PCI bridge,
					   2 CardBus bridge */
	bool multifunction;		/* header type bit 7 */
	uint8_t primary_bus;		/* bridges (header types 1, 2) only */
	uint8_t secondary_bus;
	uint8_t subordinate_bus;

	bool is_pcie;
	uint8_t pcie_type;		/* PCIe capability device/port type */
	bool extended_visible;		/* config_len > 256 */
	/*
	 * What the visible config bytes tell of the capability lists.
	 * source and msg stay NULL (config_fact names the file).
	 * caps_fact: OK the standard list was walked within the visible
	 *   bytes (is_pcie and pcie_type are facts); ABSENT the device has
	 *   no list (Status bit 4 clear); UNKNOWN the list runs past the
	 *   visible bytes (-EACCES: 64 bytes without root) or config could
	 *   not be read.
	 * ext_caps_fact: OK the extended list was walked within the visible
	 *   bytes, so a capability not found is absent; ABSENT not PCI
	 *   Express, there is no extended space; UNKNOWN not visible
	 *   (-EACCES without root, -ENODATA when the source holds only
	 *   256 bytes).
	 */
	struct hv_fact caps_fact;
	struct hv_fact ext_caps_fact;

	struct hv_sriov *sriov;		/* NULL: not an SR-IOV capable PF,
					   as far as config space and sysfs tell */
};

struct hv_pci {
	struct hv_fact fact;		/* sys/bus/pci/devices */
	struct hv_pci_dev *devs;	/* sorted by address */
	size_t n_devs;
};

/* ---- firmware (DMI) --------------------------------------------------- */

struct hv_dmi {
	struct hv_fact fact;		/* sys/class/dmi/id */
	char *bios_vendor;
	char *bios_version;
	char *bios_date;		/* as DMI has it: MM/DD/YYYY */
	char *bios_release;
	char *sys_vendor;
	char *product_name;
	char *product_version;
	char *product_family;
	char *board_vendor;
	char *board_name;
	char *board_version;
	char *chassis_vendor;
};

struct hv_firmware {
	struct hv_dmi dmi;
	struct hv_fact efi_fact;	/* sys/firmware/efi */
	enum hv_tri uefi;
	struct hv_fw_versions versions;	/* hv-firmware.h */
};

/* ---- the host --------------------------------------------------------- */

struct hv_capture_info {
	struct hv_fact fact;		/* hwvirt/capture.json */
	char *created;
	char *hostname;
	char *hwvirt_version;
};

struct hv_host {
	bool live;			/* read from the running system */
	char *root;			/* the root path, for reports */
	struct hv_capture_info capture;

	struct hv_cpu cpu;
	struct hv_kernel kernel;
	struct hv_acpi acpi;
	struct hv_iommu iommu;
	struct hv_pci pci;
	struct hv_firmware firmware;
	struct hv_vdevs vdevs;		/* hv-pcivirt.h */
	struct hv_isolation isolation;	/* hv-pcivirt.h */
	struct hv_gpus gpus;		/* hv-gpu.h */
	struct hv_cc cc;		/* hv-cc.h */

	struct hv_diag *diags;
	size_t n_diags;
	size_t diags_cap;
};

/* Allocate an empty host. NULL on ENOMEM. */
struct hv_host *hv_host_new(void);
void hv_host_free(struct hv_host *host);

/*
 * Record a diagnostic. path may be NULL, line 0. 0 or -ENOMEM.
 */
int hv_host_diag(struct hv_host *host, bool bad_input, const char *path,
		 unsigned line, int err, const char *fmt, ...) _printf_(6, 7);

/* Look-ups. NULL if absent. */
const struct hv_pci_dev *hv_host_pci_dev(const struct hv_host *host,
					 const char *addr);
const struct hv_module *hv_host_module(const struct hv_host *host,
				       const char *name);
/* The value of module parameter key, or NULL if absent/unreadable. */
const char *hv_module_param(const struct hv_module *m, const char *key);

/* Is flag in the kernel's cpuinfo flags (or vmx flags)? */
bool hv_cpu_has_flag(const struct hv_cpu *cpu, const char *flag);
bool hv_cpu_has_vmx_flag(const struct hv_cpu *cpu, const char *flag);

/* The last value of key on the command line; NULL if absent or a bare flag
 * (then *ret_present tells which). */
const char *hv_cmdline_get(const struct hv_cmdline *c, const char *key,
			   bool *ret_present);
/* Are two parameter names the same to the kernel (parameq: '-' and '_'
 * are equal)? */
bool hv_cmdline_parameq(const char *a, const char *b);

#endif
