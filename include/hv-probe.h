/*
 * hv-probe.h -- probes: read the host through the root, fill the inventory.
 *
 * A probe never prints, judges or writes. It returns 0 when it ran, whatever
 * it found: what could not be read is recorded in the facts (hv-host.h) and,
 * for malformed input, as a diagnostic with hv_host_diag(). A negative errno
 * means the probe itself failed (-ENOMEM) and the run cannot go on.
 *
 * Pure parsers (bytes in, structs out, no I/O) are declared beside their
 * probe so tests and fuzzers call them directly.
 */
#ifndef HV_PROBE_H
#define HV_PROBE_H

#include "hv-host.h"
#include "hv-root.h"

struct hv_probe {
	const char *name;
	int (*probe)(struct hv_root *root, struct hv_host *host);
};

/* The probes, in the order they run (later ones use earlier facts). */
extern const struct hv_probe hv_probes[];
extern const size_t hv_n_probes;

/* Run every probe. 0, or the first negative errno of a failed probe. */
int hv_host_probe(struct hv_root *root, struct hv_host *host);

/* ---- cpu.c, cpuid.c --------------------------------------------------- */

/* Reads: CPUID (live) or hwvirt/cpuid.txt, proc/cpuinfo,
 *        sys/devices/system/node/online. Fills: host->cpu. */
int hv_cpu_probe(struct hv_root *root, struct hv_host *host);

/*
 * Parse the output of `cpuid -r` (Debian's cpuid): one "CPU N:" block per
 * CPU, or a single "CPU:" block, each with lines
 *   "   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=... edx=..."
 * Pure. Fills *ret_dumps (array of *ret_n dumps, caller frees with
 * hv_cpuid_dumps_free). -EBADMSG with err set on malformed input.
 */
int hv_cpuid_parse_text(const char *buf, size_t len,
			struct hv_cpuid_dump **ret_dumps, size_t *ret_n,
			struct hv_parse_error *err);
void hv_cpuid_dumps_free(struct hv_cpuid_dump *dumps, size_t n);
void hv_cpuid_dump_clear(struct hv_cpuid_dump *d);

/* Look up a leaf. NULL if the dump does not have it. */
const struct hv_cpuid_regs *hv_cpuid_get(const struct hv_cpuid_dump *d,
					 uint32_t leaf, uint32_t subleaf);

/* Decode vendor, signature, brand, VMX/SVM, hypervisor, SEV leaves from
 * cpu->types[0] into cpu. Pure. */
void hv_cpuid_decode(struct hv_cpu *cpu);

/*
 * Parse proc/cpuinfo text into cpu (model_name, microcode, flags,
 * vmx_flags, logical_cpus, sockets). Pure. -EBADMSG if no processor entry.
 */
int hv_cpuinfo_parse(const char *buf, size_t len, struct hv_cpu *cpu,
		     struct hv_parse_error *err);

/* ---- kernel.c, cmdline.c ---------------------------------------------- */

/* Reads: proc/sys/kernel/{osrelease,hostname}, proc/cmdline, sys/module/NAME,
 *        dev/kvm, sys/kernel/mm/hugepages, proc/meminfo.
 * Fills: host->kernel. */
int hv_kernel_probe(struct hv_root *root, struct hv_host *host);

/*
 * Split a kernel command line into parameters as the kernel does
 * (next_arg() in lib/cmdline.c: whitespace separates, double quotes group,
 * the first '=' splits key and value; "--" ends the kernel's part).
 * Pure. 0 or -ENOMEM; -E2BIG (and nothing written) for more than
 * HV_CMDLINE_MAX_PARAMS parameters. *ret is overwritten; clear it with
 * hv_cmdline_clear().
 */
#define HV_CMDLINE_MAX_PARAMS	4096
int hv_cmdline_parse(const char *s, struct hv_cmdline *ret);
void hv_cmdline_clear(struct hv_cmdline *c);

/* ---- acpi.c ----------------------------------------------------------- */

/* Reads: sys/firmware/acpi/tables/{DMAR,IVRS,VIOT,IORT}. Fills: host->acpi. */
int hv_acpi_probe(struct hv_root *root, struct hv_host *host);

/* ---- pci.c ------------------------------------------------------------ */

/* Reads: sys/bus/pci/devices/DEV/... (through libpci and the root).
 * Fills: host->pci. */
int hv_pci_probe(struct hv_root *root, struct hv_host *host);

/* ---- iommu.c ---------------------------------------------------------- */

/* Reads: sys/class/iommu, sys/kernel/iommu_groups. Uses: acpi, kernel
 * command line, pci. Fills: host->iommu, including the derived state. */
int hv_iommu_probe(struct hv_root *root, struct hv_host *host);

/* Derive the four-state IOMMU state from the facts already in host. Pure.
 * Sets host->iommu.state and state_reason. 0 or -ENOMEM. */
int hv_iommu_derive_state(struct hv_host *host);

/* ---- iommu-map.c ------------------------------------------------------ */

/* Uses: the decoded DMAR/IVRS, pci. Fills: host->acpi.decoded's map of
 * which IOMMU unit covers each PCI device. */
int hv_iommu_map_probe(struct hv_root *root, struct hv_host *host);

/* ---- firmware.c ------------------------------------------------------- */

/* Reads: sys/class/dmi/id/FIELD, sys/firmware/efi. Fills: host->firmware. */
int hv_firmware_probe(struct hv_root *root, struct hv_host *host);

/* ---- capture-info ----------------------------------------------------- */

/* Reads: hwvirt/capture.json (captures only). Fills: host->capture. */
int hv_capture_info_probe(struct hv_root *root, struct hv_host *host);

#endif
