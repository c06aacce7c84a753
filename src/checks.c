/*
 * checks.c -- the table of checks (report order) and their evaluate
 * functions: CPU virtualization extensions, KVM, the IOMMU in firmware and
 * in the kernel, the IOMMU-related kernel parameters, VFIO, hugepages and
 * SR-IOV.
 *
 * Reads:  struct hv_host only, never the filesystem.
 * Fills:  struct hv_finding: status, message (one sentence: why), observed
 *         and expected values, evidence (root-relative paths or CPUID
 *         registers, with the raw values relied on) and a host-specific
 *         remedy (Intel or AMD, guest or bare metal, the exact kernel
 *         parameter or sysfs write).
 *
 * A fact that is not OK makes a finding UNKNOWN with the fact's reason; it
 * is never judged as a pass or a fail. Kernel parameters are judged as the
 * kernel parses them (comma-separated options matched by prefix, in order,
 * the last word winning), never as substrings.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hv-check.h"
#include "hv-probe.h"

/* Return from the enclosing function when a setter fails (-ENOMEM). */
#define TRY(expr)				\
	do {					\
		int _r_ = (expr);		\
		if (_r_ < 0)			\
			return _r_;		\
	} while (0)

/* Bounds on what a finding lists, whatever a hostile capture holds. */
#define MAX_LISTED		8	/* names in one message */
#define MAX_DEV_EVIDENCE	16	/* per-device evidence entries */
#define MAX_FILTERS		64	/* class/device parameters */
#define MAX_KP_ITEMS		32	/* kernel-parameter observations */

/* ---- shared helpers ----------------------------------------------------- */

enum vendor {
	VENDOR_UNKNOWN = 0,
	VENDOR_INTEL,
	VENDOR_AMD,
};

static enum vendor
cpu_vendor(const struct hv_host *h)
{
	if (!hv_fact_ok(&h->cpu.cpuid))
		return VENDOR_UNKNOWN;
	switch (h->cpu.vendor) {
	case HV_CPU_VENDOR_INTEL:
		return VENDOR_INTEL;
	case HV_CPU_VENDOR_AMD:
	case HV_CPU_VENDOR_HYGON:
		return VENDOR_AMD;
	case HV_CPU_VENDOR_OTHER:
	case HV_CPU_VENDOR_UNKNOWN:
		break;
	}
	return VENDOR_UNKNOWN;
}

/* Whose IOMMU: the firmware table says it best, else the CPU vendor. */
static enum vendor
iommu_vendor(const struct hv_host *h)
{
	if (h->acpi.dmar.present)
		return VENDOR_INTEL;
	if (h->acpi.ivrs.present)
		return VENDOR_AMD;
	return cpu_vendor(h);
}

/* Running as a guest: the CPUID hypervisor bit, else the kernel's flag. */
static enum hv_tri
host_guest(const struct hv_host *h)
{
	if (hv_fact_ok(&h->cpu.cpuid))
		return hv_tri_from_bool(h->cpu.hypervisor);
	if (hv_fact_ok(&h->cpu.cpuinfo))
		return hv_tri_from_bool(hv_cpu_has_flag(&h->cpu, "hypervisor"));
	return HV_TRI_UNKNOWN;
}

/*
 * Hypervisors by their CPUID 0x40000000 vendor id, and how each exposes
 * virtualization extensions to its guests (nested virtualization).
 */
struct hypervisor {
	const char *id;
	const char *name;
	const char *nested;	/* NULL: KVM, built from the CPU vendor */
};

static const struct hypervisor hypervisors[] = {
	{ "KVMKVMKVM", "KVM", NULL },
	{ "Linux KVM Hv", "KVM (with Hyper-V enlightenments)", NULL },
	{ "Microsoft Hv", "Hyper-V",
	  "on the Hyper-V host, with the VM off, run Set-VMProcessor -VMName NAME "
	  "-ExposeVirtualizationExtensions $true" },
	{ "VMwareVMware", "VMware",
	  "in the VM's settings enable \"Expose hardware assisted virtualization to "
	  "the guest OS\" (vhv.enable = \"TRUE\"), with the VM powered off" },
	{ "XenVMMXenVMM", "Xen",
	  "set nestedhvm=1 in the HVM domain's configuration and restart the domain" },
	{ "VBoxVBoxVBox", "VirtualBox",
	  "run VBoxManage modifyvm NAME --nested-hw-virt on with the VM powered off" },
	{ "TCGTCGTCGTCG", "QEMU TCG (software emulation)",
	  "run the guest under KVM instead of TCG emulation (QEMU -accel kvm -cpu host)" },
	{ "bhyve bhyve", "bhyve",
	  "bhyve does not expose VMX or SVM to its guests: run KVM guests on the "
	  "physical host" },
	{ "ACRNACRNACRN", "ACRN",
	  "ACRN does not expose VMX to its guests: run KVM guests on the physical host" },
	{ " lrpepyh  vr", "Parallels",
	  "enable nested virtualization in the VM's CPU settings (Parallels Desktop: "
	  "Hardware > CPU & Memory > Advanced > Enable nested virtualization)" },
};

/* Compare CPUID vendor ids, ignoring trailing spaces and NULs. */
static bool
cpuid_id_eq(const char *a, const char *b)
{
	size_t la = strnlen(a, 12), lb = strnlen(b, 12);

	while (la > 0 && a[la - 1] == ' ')
		la--;
	while (lb > 0 && b[lb - 1] == ' ')
		lb--;
	return la == lb && memcmp(a, b, la) == 0;
}

static const struct hypervisor *
hypervisor_find(const char *id)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(hypervisors); i++)
		if (cpuid_id_eq(hypervisors[i].id, id))
			return &hypervisors[i];
	return NULL;
}

/* "KVM (KVMKVMKVM)", "an unknown hypervisor (XYZ)". Caller frees. */
static char *
hypervisor_label(const struct hv_host *h)
{
	const char *id = h->cpu.hypervisor_id;
	const struct hypervisor *hv;

	if (!hv_fact_ok(&h->cpu.cpuid) || !id[0])
		return strdup("an unidentified hypervisor");
	hv = hypervisor_find(id);
	if (hv)
		return hv_asprintf("%s (\"%.12s\")", hv->name, id);
	return hv_asprintf("an unknown hypervisor (\"%.12s\")", id);
}

/* How to give this guest VMX/SVM from its host: a sentence starting
 * "Enable nested virtualization". Caller frees. */
static char *
nested_remedy(const struct hv_host *h)
{
	const struct hypervisor *hv = NULL;
	const char *mod;

	if (hv_fact_ok(&h->cpu.cpuid) && h->cpu.hypervisor_id[0])
		hv = hypervisor_find(h->cpu.hypervisor_id);
	if (hv && hv->nested)
		return hv_asprintf("Enable nested virtualization for this VM: %s.",
				   hv->nested);
	switch (cpu_vendor(h)) {
	case VENDOR_AMD:
		mod = "kvm_amd";
		break;
	case VENDOR_INTEL:
		mod = "kvm_intel";
		break;
	case VENDOR_UNKNOWN:
	default:
		mod = NULL;
		break;
	}
	return hv_asprintf(
		"Enable nested virtualization for this VM on its KVM host: load %s "
		"with nested=1 there (echo 'options %s nested=1' > "
		"/etc/modprobe.d/kvm-nested.conf%s, then reload the module with no "
		"VM running; /sys/module/%s/parameters/nested shows it), and give the "
		"guest the host's CPU model (QEMU -cpu host, or libvirt <cpu "
		"mode='host-passthrough'/>); then restart the guest.",
		mod ? mod : "kvm_intel or kvm_amd", mod ? mod : "kvm_intel",
		mod ? "" : ", kvm_amd on AMD", mod ? mod : "kvm_intel");
}

/* A raw CPUID leaf (subleaf 0) of the boot CPU's type; NULL if the dump
 * does not have it. */
static const struct hv_cpuid_regs *
cpuid_regs(const struct hv_cpu *cpu, uint32_t leaf)
{
	if (!hv_fact_ok(&cpu->cpuid) || cpu->n_types == 0 || !cpu->types)
		return NULL;
	return hv_cpuid_get(&cpu->types[0].cpuid, leaf, 0);
}

/* Evidence "cpuid 0x1:ecx" = "0xfffa3203 (bit 5 VMX: 0, bit 31 ...: 1)". */
struct cpuid_bit {
	uint32_t leaf;
	char reg;		/* 'a', 'b', 'c', 'd' */
	unsigned bit;
	const char *name;
};

static uint32_t
reg_value(const struct hv_cpuid_regs *r, char reg)
{
	switch (reg) {
	case 'a':
		return r->eax;
	case 'b':
		return r->ebx;
	case 'c':
		return r->ecx;
	default:
		return r->edx;
	}
}

/* One evidence entry per register: "cpuid 0x1:ecx" = "0xfffa3203 (bit 5
 * VMX: 0, bit 31 hypervisor: 1)", every bit of bits[] in that register. */
static int
evidence_cpuid_bits(struct hv_finding *f, const struct hv_cpu *cpu,
		    const struct cpuid_bit *bits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct hv_cpuid_regs *r = cpuid_regs(cpu, bits[i].leaf);
		_cleanup_free_ char *path = NULL;
		char detail[256];
		size_t len;
		uint32_t v;
		bool done = false;

		for (size_t k = 0; k < i; k++)
			if (bits[k].leaf == bits[i].leaf && bits[k].reg == bits[i].reg)
				done = true;
		if (done)
			continue;
		path = hv_asprintf("cpuid 0x%x:e%cx", bits[i].leaf, bits[i].reg);
		if (!path)
			return -ENOMEM;
		if (!r) {
			TRY(hv_finding_evidence(f, path, "leaf not reported"));
			continue;
		}
		v = reg_value(r, bits[i].reg);
		len = (size_t)snprintf(detail, sizeof(detail), "0x%08x (", v);
		for (size_t k = i; k < n && len < sizeof(detail); k++) {
			if (bits[k].leaf != bits[i].leaf || bits[k].reg != bits[i].reg)
				continue;
			len += (size_t)snprintf(detail + len, sizeof(detail) - len,
						"%sbit %u %s: %u", k == i ? "" : ", ",
						bits[k].bit, bits[k].name,
						(v >> bits[k].bit) & 1);
		}
		TRY(hv_finding_evidence(f, path, "%s)", detail));
	}
	return 0;
}

/* UNKNOWN from a fact, or, when the fact is OK but the value still could
 * not be told, from a reason of our own. */
static int
unknown(struct hv_finding *f, const struct hv_fact *fact, const char *what,
	const char *why)
{
	if (fact && !hv_fact_ok(fact) && fact->state != HV_FACT_UNPROBED)
		return hv_finding_unknown_from_fact(f, fact, what);
	if (fact && fact->state == HV_FACT_UNPROBED) {
		TRY(hv_finding_set(f, HV_STATUS_UNKNOWN,
				   "%s could not be read: it was not probed", what));
		return hv_finding_observed(f, "unknown (not probed)");
	}
	TRY(hv_finding_set(f, HV_STATUS_UNKNOWN, "%s could not be told: %s",
			   what, why));
	TRY(hv_finding_observed(f, "unknown (%s)", why));
	if (fact)
		TRY(hv_finding_evidence_fact(f, fact, NULL));
	return 0;
}

/* A parameter's value, or its spec's default. */
static const char *
param_value(const struct hv_params *p, const struct hv_param_spec *specs,
	    const char *name)
{
	const struct hv_param_spec *s = hv_param_spec_find(specs, name);
	const char *v = hv_params_get(p, name);

	return v ? v : s ? s->default_value : NULL;
}

static int
param_uint(const struct hv_params *p, const struct hv_param_spec *specs,
	   const char *name, struct hv_finding *f, bool *ret_set,
	   uint32_t *ret)
{
	const char *v = param_value(p, specs, name);
	uint32_t u;

	if (!v) {
		*ret_set = false;
		return 0;
	}
	if (hv_parse_u32(v, 10, &u) < 0) {
		/* profiles are validated at load: only a rule built in code */
		TRY(hv_finding_set(f, HV_STATUS_UNKNOWN,
				   "parameter %s '%s' is not a whole number", name, v));
		TRY(hv_finding_observed(f, "unknown (invalid parameter %s)", name));
		return -EINVAL;
	}
	*ret_set = true;
	*ret = u;
	return 0;
}

static const char *
module_state(const struct hv_module *m)
{
	if (!m)
		return "not loaded";
	switch (m->loaded) {
	case HV_TRI_YES:
		return m->builtin ? "built in" : "loaded";
	case HV_TRI_NO:
		return "not loaded";
	case HV_TRI_UNKNOWN:
		break;
	}
	return "unknown";
}

/* A module's state: YES loaded (or built in), NO not, UNKNOWN. A module
 * the kernel probe did not list is not loaded (it lists what it finds). */
static enum hv_tri
module_loaded(const struct hv_host *h, const char *name)
{
	const struct hv_module *m = hv_host_module(h, name);

	return m ? m->loaded : HV_TRI_NO;
}

static int
evidence_module(struct hv_finding *f, const struct hv_host *h,
		const char *name)
{
	const struct hv_module *m = hv_host_module(h, name);
	_cleanup_free_ char *path = hv_asprintf("sys/module/%s", name);

	if (!path)
		return -ENOMEM;
	return hv_finding_evidence(f, path, "%s", module_state(m));
}

/* ---- the kernel command line, as the kernel reads it --------------------- */

/*
 * What the IOMMU-related parameters do, judged in command-line order the
 * way the kernel's handlers judge them: intel_iommu_setup() and
 * parse_amd_iommu_options() walk comma-separated options and match each by
 * prefix in a fixed order (an unknown one is logged "Unknown option" and
 * ignored), x86's iommu_setup() does the same but ignores unknown words
 * silently, and the bool parameters go through kstrtobool().
 */
enum kp_level {
	KP_OK = 0,
	KP_NOTE,		/* worth saying, does no harm */
	KP_WARN,
	KP_FAIL,
};

struct kp_item {
	enum kp_level level;
	char *text;		/* one clause: "amd_iommu=on is not valid ..." */
	char *fix;		/* what to do, or NULL */
};

struct kp_state {
	enum vendor vendor;		/* whose IOMMU this host has */
	struct kp_item items[MAX_KP_ITEMS];
	size_t n_items;
	size_t n_dropped;
	struct hv_strv relevant;	/* "intel_iommu=on", in order */

	/* effective state after the whole command line */
	enum hv_tri intel_on;		/* UNKNOWN: not given (kernel default) */
	char *intel_off_param;		/* the last intel_iommu with "off" */
	bool amd_off;
	char *amd_off_param;
	bool no_iommu;			/* iommu=off */
	char *no_iommu_param;
	enum hv_tri passthrough;	/* iommu=pt/nopt, iommu.passthrough */
	struct hv_strv pt_params;	/* those that set passthrough on */
};

static void
kp_state_clear(struct kp_state *s)
{
	for (size_t i = 0; i < s->n_items; i++) {
		free(s->items[i].text);
		free(s->items[i].fix);
	}
	hv_strv_clear(&s->relevant);
	hv_strv_clear(&s->pt_params);
	free(s->intel_off_param);
	free(s->amd_off_param);
	free(s->no_iommu_param);
	*s = (struct kp_state){ 0 };
}

/* Record an observation, taking text and fix (which may be NULL). A NULL
 * text is -ENOMEM. */
static int
kp_add(struct kp_state *s, enum kp_level level, char *text, char *fix)
{
	if (!text) {
		free(fix);
		return -ENOMEM;
	}
	if (s->n_items >= MAX_KP_ITEMS) {
		s->n_dropped++;
		free(text);
		free(fix);
		return 0;
	}
	s->items[s->n_items++] = (struct kp_item){ level, text, fix };
	return 0;
}

static int
set_str(char **dst, const char *s)
{
	char *c = strdup(s);

	if (!c)
		return -ENOMEM;
	free(*dst);
	*dst = c;
	return 0;
}

/* kstrtobool(): 1/y/Y/t/T/on true; 0/n/N/f/F/off false; else invalid. */
static int
kstrtobool(const char *s, bool *ret)
{
	if (!s || !s[0])
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*ret = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*ret = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*ret = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*ret = false;
			return 0;
		}
		break;
	default:
		break;
	}
	return -EINVAL;
}

enum opt_effect {
	OPT_OK = 0,
	OPT_ON,			/* turns the IOMMU on */
	OPT_OFF,		/* turns it off */
	OPT_PT,			/* passthrough */
	OPT_NOPT,		/* translated */
	OPT_DEPRECATED,		/* accepted, with a warning in the log */
	OPT_IGNORED,		/* accepted, ignored by current kernels */
	OPT_WEAKEN,		/* accepted, weakens isolation */
};

struct kp_option {
	const char *prefix;
	enum opt_effect effect;
	const char *note;
};

/* drivers/iommu/intel/iommu.c intel_iommu_setup(), in its order. */
static const struct kp_option intel_iommu_options[] = {
	{ "on", OPT_ON, NULL },
	{ "off", OPT_OFF, NULL },
	{ "igfx_off", OPT_OK, NULL },
	{ "forcedac", OPT_DEPRECATED, "use iommu.forcedac=1" },
	{ "strict", OPT_DEPRECATED, "use iommu.strict=1" },
	{ "sp_off", OPT_OK, NULL },
	{ "sm_on", OPT_OK, NULL },
	{ "sm_off", OPT_OK, NULL },
	{ "tboot_noforce", OPT_WEAKEN,
	  "after a tboot launch the IOMMU is no longer forced on" },
	{ NULL, OPT_OK, NULL },
};

/* drivers/iommu/amd/init.c parse_amd_iommu_options(), in its order. */
static const struct kp_option amd_iommu_options[] = {
	{ "fullflush", OPT_DEPRECATED, "use iommu.strict=1" },
	{ "force_enable", OPT_OK, NULL },
	{ "off", OPT_OFF, NULL },
	{ "force_isolation", OPT_OK, NULL },
	{ "pgtbl_v1", OPT_OK, NULL },
	{ "pgtbl_v2", OPT_OK, NULL },
	{ "irtcachedis", OPT_OK, NULL },
	{ "nohugepages", OPT_OK, NULL },
	{ "v2_pgsizes_only", OPT_OK, NULL },
	{ NULL, OPT_OK, NULL },
};

/* arch/x86/kernel/pci-dma.c iommu_setup() and the GART options it passes
 * on (gart_parse_options()); longer words first where one prefixes another. */
static const struct kp_option x86_iommu_options[] = {
	{ "off", OPT_OFF, NULL },
	{ "forcesac", OPT_IGNORED, "ignored by current kernels" },
	{ "force", OPT_OK, NULL },
	{ "noforce", OPT_OK, NULL },
	{ "biomerge", OPT_OK, NULL },
	{ "panic", OPT_OK, NULL },
	{ "nopanic", OPT_OK, NULL },
	{ "merge", OPT_OK, NULL },
	{ "nomerge", OPT_OK, NULL },
	{ "allowdac", OPT_IGNORED, "ignored by current kernels" },
	{ "nodac", OPT_IGNORED, "ignored by current kernels" },
	{ "usedac", OPT_OK, NULL },
	{ "soft", OPT_OK, NULL },
	{ "pt", OPT_PT, NULL },
	{ "nopt", OPT_NOPT, NULL },
	{ "fullflush", OPT_OK, NULL },
	{ "nofullflush", OPT_OK, NULL },
	{ "noagp", OPT_OK, NULL },
	{ "noaperture", OPT_OK, NULL },
	{ "memaper", OPT_OK, NULL },
	{ "allowed", OPT_OK, NULL },
	{ NULL, OPT_OK, NULL },
};

/* drivers/iommu/irq_remapping.c setup_irqremap(), in its order. */
static const struct kp_option intremap_options[] = {
	{ "on", OPT_ON, NULL },
	{ "off", OPT_WEAKEN,
	  "interrupt remapping is off: a device can forge MSIs, and VFIO refuses "
	  "device assignment unless vfio_iommu_type1.allow_unsafe_interrupts=1" },
	{ "nosid", OPT_WEAKEN,
	  "interrupt remapping does not check the requester's source id" },
	{ "no_x2apic_optout", OPT_OK, NULL },
	{ "nopost", OPT_OK, NULL },
	{ "posted_msi", OPT_OK, NULL },
	{ NULL, OPT_OK, NULL },
};

static const struct kp_option *
kp_option_find(const struct kp_option *opts, const char *word, size_t len)
{
	for (size_t i = 0; opts[i].prefix; i++) {
		size_t pl = strlen(opts[i].prefix);

		/* the kernel compares strncmp(word, prefix, strlen(prefix)) */
		if (len >= pl && strncmp(word, opts[i].prefix, pl) == 0)
			return &opts[i];
	}
	return NULL;
}

/* "key=value" or "key", as written. Caller frees. */
static char *
kp_text(const struct hv_kparam *kp)
{
	if (kp->value)
		return hv_asprintf("%s=%s", kp->key, kp->value);
	return strdup(kp->key);
}

static const char *
vendor_name(enum vendor v)
{
	return v == VENDOR_INTEL ? "Intel" : v == VENDOR_AMD ? "AMD" : "unknown";
}

enum kp_family {
	FAM_INTEL,
	FAM_AMD,
	FAM_X86,
	FAM_INTREMAP,
};

static int
kp_options(struct kp_state *s, const struct hv_kparam *kp, const char *text,
	   const struct kp_option *opts, enum kp_family fam)
{
	const char *v = kp->value;

	if (!v || !v[0]) {
		return kp_add(s, KP_WARN,
			      hv_asprintf("%s has no value, which the kernel ignores",
					  text),
			      hv_asprintf("remove %s or give it a value", text));
	}
	while (*v) {
		size_t len = strcspn(v, ",");
		const struct kp_option *o = kp_option_find(opts, v, len);
		int n = (int)HV_MIN(len, 64u);

		if (!o) {
			const char *what = fam == FAM_X86
				? "the kernel ignores it without a word"
				: "the kernel logs \"Unknown option\" and ignores it";

			TRY(kp_add(s, KP_WARN,
				   hv_asprintf("'%.*s' in %s is not a value the kernel "
					       "accepts: %s%s", n, v, text, what,
					       fam == FAM_AMD && len == 2 &&
					       strncmp(v, "on", 2) == 0
					       ? " (the AMD IOMMU is on by default)"
					       : ""),
				   hv_asprintf("remove '%.*s' from %s", n, v, kp->key)));
		} else {
			switch (o->effect) {
			case OPT_ON:
				if (fam == FAM_INTEL)
					s->intel_on = HV_TRI_YES;
				break;
			case OPT_OFF:
				if (fam == FAM_INTEL) {
					s->intel_on = HV_TRI_NO;
					TRY(set_str(&s->intel_off_param, text));
				} else if (fam == FAM_AMD) {
					s->amd_off = true;
					TRY(set_str(&s->amd_off_param, text));
				} else if (fam == FAM_X86) {
					s->no_iommu = true;
					TRY(set_str(&s->no_iommu_param, text));
				}
				break;
			case OPT_PT:
				s->passthrough = HV_TRI_YES;
				TRY(hv_strv_add_unique(&s->pt_params, text));
				break;
			case OPT_NOPT:
				s->passthrough = HV_TRI_NO;
				break;
			case OPT_DEPRECATED:
				TRY(kp_add(s, KP_NOTE,
					   hv_asprintf("'%.*s' in %s is deprecated (%s)",
						       n, v, text, o->note),
					   NULL));
				break;
			case OPT_IGNORED:
				TRY(kp_add(s, KP_NOTE,
					   hv_asprintf("'%.*s' in %s is %s", n, v, text,
						       o->note),
					   NULL));
				break;
			case OPT_WEAKEN:
				TRY(kp_add(s, KP_WARN,
					   hv_asprintf("%s weakens isolation: %s", text,
						       o->note),
					   hv_asprintf("remove '%.*s' from %s", n, v,
						       kp->key)));
				break;
			case OPT_OK:
				break;
			}
		}
		v += len;
		while (*v == ',')
			v++;
	}
	return 0;
}

static int
kp_vendor_options(struct kp_state *s, const struct hv_kparam *kp,
		  const char *text, enum vendor mine)
{
	enum vendor other = mine == VENDOR_INTEL ? VENDOR_AMD : VENDOR_INTEL;

	/* the other vendor's driver finds no table of its own: no effect */
	if (s->vendor == other)
		return kp_add(s, KP_NOTE,
			      hv_asprintf("%s has no effect on this %s host", text,
					  vendor_name(s->vendor)),
			      hv_asprintf("%s can be removed", text));
	return kp_options(s, kp, text,
			  mine == VENDOR_INTEL ? intel_iommu_options
					       : amd_iommu_options,
			  mine == VENDOR_INTEL ? FAM_INTEL : FAM_AMD);
}

static int
kp_intel(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	return kp_vendor_options(s, kp, text, VENDOR_INTEL);
}

static int
kp_amd(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	return kp_vendor_options(s, kp, text, VENDOR_AMD);
}

static int
kp_x86_iommu(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	return kp_options(s, kp, text, x86_iommu_options, FAM_X86);
}

static int
kp_intremap(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	return kp_options(s, kp, text, intremap_options, FAM_INTREMAP);
}

static int
kp_bool_malformed(struct kp_state *s, const char *text, const char *key)
{
	return kp_add(s, KP_WARN,
		      hv_asprintf("%s is not a boolean the kernel accepts (0/1, y/n, "
				  "on/off): it logs \"Malformed early option\" and keeps "
				  "its default", text),
		      hv_asprintf("write %s=0 or %s=1", key, key));
}

static int
kp_passthrough(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	bool b;

	if (kstrtobool(kp->value, &b) < 0)
		return kp_bool_malformed(s, text, kp->key);
	s->passthrough = hv_tri_from_bool(b);
	if (b)
		return hv_strv_add_unique(&s->pt_params, text);
	return 0;
}

static int
kp_bool(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	bool b;

	if (kstrtobool(kp->value, &b) < 0)
		return kp_bool_malformed(s, text, kp->key);
	return 0;
}

static int
kp_acs_override(struct kp_state *s, const struct hv_kparam *kp _unused_,
		const char *text)
{
	return kp_add(s, KP_WARN,
		      hv_asprintf("%s (an out-of-tree patch) makes the kernel pretend "
				  "devices are isolated when the hardware does not "
				  "isolate them: a loss of isolation, never a fix", text),
		      hv_asprintf("remove %s and pass through only devices whose IOMMU "
				  "group is isolated (a slot behind a root port with ACS)",
				  text));
}

static int
kp_unsafe_bool(struct kp_state *s, const struct hv_kparam *kp,
	       const char *text, const char *what)
{
	bool b;

	if (kstrtobool(kp->value ? kp->value : "1", &b) < 0)
		return kp_bool_malformed(s, text, kp->key);
	if (!b)
		return 0;
	return kp_add(s, KP_WARN, hv_asprintf("%s %s", text, what),
		      hv_asprintf("remove %s", text));
}

static int
kp_unsafe_interrupts(struct kp_state *s, const struct hv_kparam *kp,
		     const char *text)
{
	return kp_unsafe_bool(s, kp, text,
			      "lets VFIO assign devices without interrupt remapping: "
			      "an assigned device can inject interrupts into the host");
}

static int
kp_noiommu(struct kp_state *s, const struct hv_kparam *kp, const char *text)
{
	return kp_unsafe_bool(s, kp, text,
			      "lets VFIO drive devices with no IOMMU at all: no DMA "
			      "isolation, the kernel taints itself");
}

static int
kp_ok(struct kp_state *s _unused_, const struct hv_kparam *kp _unused_,
      const char *text _unused_)
{
	return 0;
}

struct kp_handler {
	const char *key;
	int (*handle)(struct kp_state *s, const struct hv_kparam *kp,
		      const char *text);
};

/* The IOMMU-related kernel parameters. */
static const struct kp_handler kp_handlers[] = {
	{ "intel_iommu", kp_intel },
	{ "amd_iommu", kp_amd },
	{ "iommu", kp_x86_iommu },
	{ "iommu.passthrough", kp_passthrough },
	{ "iommu.strict", kp_bool },
	{ "iommu.forcedac", kp_bool },
	{ "intremap", kp_intremap },
	{ "amd_iommu_intr", kp_ok },
	{ "pcie_acs_override", kp_acs_override },
	{ "vfio_iommu_type1.allow_unsafe_interrupts", kp_unsafe_interrupts },
	{ "vfio.enable_unsafe_noiommu_mode", kp_noiommu },
};

/* Judge the command line. *s must be zeroed; clear it with kp_state_clear. */
static int
kp_analyze(const struct hv_host *h, struct kp_state *s)
{
	const struct hv_cmdline *c = &h->kernel.cmdline;

	s->vendor = iommu_vendor(h);
	for (size_t i = 0; i < c->n_params; i++) {
		const struct hv_kparam *kp = &c->params[i];

		for (size_t k = 0; k < HV_ELEMENTSOF(kp_handlers); k++) {
			_cleanup_free_ char *text = NULL;

			if (!hv_cmdline_parameq(kp->key, kp_handlers[k].key))
				continue;
			text = kp_text(kp);
			if (!text)
				return -ENOMEM;
			TRY(hv_strv_add(&s->relevant, text));
			TRY(kp_handlers[k].handle(s, kp, text));
			break;
		}
	}

	/* the effective state, after every word was seen */
	if (s->intel_on == HV_TRI_NO)
		TRY(kp_add(s, KP_FAIL,
			   hv_asprintf("%s turns the Intel IOMMU off", s->intel_off_param),
			   hv_asprintf("remove %s (and add intel_iommu=on)",
				       s->intel_off_param)));
	else if (s->intel_off_param)
		TRY(kp_add(s, KP_NOTE,
			   hv_asprintf("%s is overridden by a later intel_iommu=on",
				       s->intel_off_param),
			   hv_asprintf("remove %s", s->intel_off_param)));
	if (s->amd_off)
		TRY(kp_add(s, KP_FAIL,
			   hv_asprintf("%s turns the AMD IOMMU off", s->amd_off_param),
			   hv_asprintf("remove %s", s->amd_off_param)));
	if (s->no_iommu)
		TRY(kp_add(s, KP_FAIL,
			   hv_asprintf("%s turns every IOMMU off", s->no_iommu_param),
			   hv_asprintf("remove %s", s->no_iommu_param)));
	return 0;
}

static enum kp_level
kp_worst(const struct kp_state *s)
{
	enum kp_level w = KP_OK;

	for (size_t i = 0; i < s->n_items; i++)
		if (s->items[i].level > w)
			w = s->items[i].level;
	return w;
}

/* The relevant parameters as one string, "none" when there are none. */
static char *
kp_relevant(const struct kp_state *s)
{
	if (s->relevant.n == 0)
		return strdup("none");
	return hv_strv_join(&s->relevant, " ");
}

static int
evidence_cmdline(struct hv_finding *f, const struct hv_host *h,
		 const struct kp_state *s)
{
	_cleanup_free_ char *rel = kp_relevant(s);

	if (!rel)
		return -ENOMEM;
	if (!h->kernel.cmdline_fact.source)
		return hv_finding_evidence(f, "proc/cmdline", "%s", rel);
	return hv_finding_evidence_fact(f, &h->kernel.cmdline_fact, rel);
}

static const char boot_loader_hint[] =
	"edit GRUB_CMDLINE_LINUX in /etc/default/grub and run update-grub "
	"(Debian, Ubuntu), or use grubby --update-kernel=ALL (RHEL, Fedora), "
	"then reboot";

/* ---- cpu.virt_extensions -------------------------------------------------- */

static const struct cpuid_bit virt_bits[] = {
	{ 0x1, 'c', 5, "VMX" },
	{ 0x1, 'c', 31, "hypervisor" },
	{ 0x80000001, 'c', 2, "SVM" },
};

static const char *
virt_names(bool vmx, bool svm)
{
	if (vmx && svm)
		return "VMX and SVM";
	if (vmx)
		return "VMX (Intel VT-x)";
	if (svm)
		return "SVM (AMD-V)";
	return "neither VMX nor SVM";
}

static const char *
virt_wanted(enum vendor v)
{
	switch (v) {
	case VENDOR_INTEL:
		return "VMX (Intel VT-x)";
	case VENDOR_AMD:
		return "SVM (AMD-V)";
	case VENDOR_UNKNOWN:
		break;
	}
	return "VMX (Intel VT-x) or SVM (AMD-V)";
}

static int
eval_virt_extensions(const struct hv_host *h, const struct hv_params *p _unused_,
		     struct hv_finding *f)
{
	const struct hv_cpu *cpu = &h->cpu;
	enum vendor v = cpu_vendor(h);
	_cleanup_free_ char *hv = NULL, *fix = NULL;

	TRY(hv_finding_expected(f, "%s", virt_wanted(v)));
	if (!hv_fact_ok(&cpu->cpuid)) {
		bool vmx = hv_cpu_has_flag(cpu, "vmx");
		bool svm = hv_cpu_has_flag(cpu, "svm");

		/* the kernel shows vmx/svm only for a CPU that has them */
		if (hv_fact_ok(&cpu->cpuinfo) && (vmx || svm)) {
			TRY(hv_finding_set(f, HV_STATUS_PASS,
					   "The kernel's CPU flags show %s, so the CPU "
					   "has it (CPUID itself was not read).",
					   virt_names(vmx, svm)));
			TRY(hv_finding_observed(f, "%s", virt_names(vmx, svm)));
			TRY(hv_finding_evidence_fact(f, &cpu->cpuinfo,
						     vmx ? "flags: vmx" : "flags: svm"));
			return hv_finding_evidence_fact(f, &cpu->cpuid, NULL);
		}
		return hv_finding_unknown_from_fact(f, &cpu->cpuid, "CPUID");
	}

	TRY(hv_finding_observed(f, "%s", virt_names(cpu->vmx, cpu->svm)));
	TRY(hv_finding_evidence_fact(f, &cpu->cpuid, cpu->vendor_id));
	TRY(evidence_cpuid_bits(f, cpu, virt_bits, HV_ELEMENTSOF(virt_bits)));
	if (cpu->vmx || cpu->svm)
		return hv_finding_set(f, HV_STATUS_PASS, "CPUID reports %s.",
				      virt_names(cpu->vmx, cpu->svm));

	if (cpu->hypervisor) {
		hv = hypervisor_label(h);
		fix = nested_remedy(h);
		if (!hv || !fix)
			return -ENOMEM;
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "This is a guest of %s, which does not expose nested "
				   "virtualization: its CPUID has no %s.", hv,
				   virt_wanted(v)));
		return hv_finding_remedy(f, "%s", fix);
	}
	TRY(hv_finding_set(f, HV_STATUS_FAIL,
			   "The CPU (%s) has no %s, so it cannot run hardware-"
			   "assisted KVM guests.",
			   cpu->brand[0] ? cpu->brand : cpu->vendor_id, virt_wanted(v)));
	return hv_finding_remedy(f,
		"This CPU cannot be made to run hardware-assisted guests (firmware "
		"settings do not hide the CPUID bit): run KVM on a host whose CPU has "
		"%s.", virt_wanted(v));
}

/* ---- cpu.virt_enabled ----------------------------------------------------- */

static int
eval_virt_enabled(const struct hv_host *h, const struct hv_params *p _unused_,
		  struct hv_finding *f)
{
	const struct hv_cpu *cpu = &h->cpu;
	enum vendor v = cpu_vendor(h);
	const char *flag = v == VENDOR_AMD || (v == VENDOR_UNKNOWN && cpu->svm &&
					       !cpu->vmx) ? "svm" : "vmx";
	bool amd = strcmp(flag, "svm") == 0;
	_cleanup_free_ char *fix = NULL;

	TRY(hv_finding_expected(f, "%s in the kernel's flags", flag));
	if (!hv_fact_ok(&cpu->cpuinfo))
		return hv_finding_unknown_from_fact(f, &cpu->cpuinfo,
						    "The kernel's CPU flags");
	if (cpu->virt_enabled == HV_TRI_UNKNOWN)
		return unknown(f, &cpu->cpuinfo, "Whether firmware enabled "
			       "virtualization", "the kernel's flags do not say");

	if (cpu->virt_enabled == HV_TRI_YES) {
		TRY(hv_finding_observed(f, "%s in the kernel's flags", flag));
		TRY(hv_finding_evidence_fact(f, &cpu->cpuinfo,
					     amd ? "flags: svm" : "flags: vmx"));
		return hv_finding_set(f, HV_STATUS_PASS,
				      "The kernel's CPU flags show %s: firmware left %s "
				      "enabled.", flag, amd ? "SVM" : "VT-x");
	}

	TRY(hv_finding_observed(f, "no %s in the kernel's flags", flag));
	TRY(hv_finding_evidence_fact(f, &cpu->cpuinfo,
				     amd ? "flags: no svm" : "flags: no vmx"));
	if (host_guest(h) == HV_TRI_YES) {
		fix = nested_remedy(h);
		if (!fix)
			return -ENOMEM;
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "CPUID shows %s but the kernel does not: the hypervisor "
				   "advertises it without enabling it for this guest.",
				   amd ? "SVM" : "VMX"));
		return hv_finding_remedy(f, "%s", fix);
	}
	if (amd) {
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "The CPU has SVM but the kernel's flags do not show it: "
				   "firmware disabled it (VM_CR.SVMDIS)."));
		return hv_finding_remedy(f,
			"Enable \"SVM Mode\" (AMD-V) in the firmware setup (often under "
			"Advanced > CPU Configuration, or AMD CBS on servers), save, and "
			"power-cycle the host.");
	}
	TRY(hv_finding_set(f, HV_STATUS_FAIL,
			   "The CPU has VMX but the kernel's flags do not show it: "
			   "firmware locked IA32_FEAT_CTL with VMX off."));
	return hv_finding_remedy(f,
		"Enable \"Intel Virtualization Technology\" (VT-x) in the firmware "
		"setup (on servers often under Processor or CPU Configuration), save, "
		"and power-cycle the host: IA32_FEAT_CTL stays locked until the next "
		"reset.");
}

/* ---- cpu.ept_npt ---------------------------------------------------------- */

static int
eval_ept_npt(const struct hv_host *h, const struct hv_params *p _unused_,
	     struct hv_finding *f)
{
	const struct hv_cpu *cpu = &h->cpu;
	enum vendor v = cpu_vendor(h);
	bool amd = v == VENDOR_AMD || (v == VENDOR_UNKNOWN && cpu->svm && !cpu->vmx);
	const char *name = amd ? "NPT" : "EPT";
	enum hv_tri have = amd ? cpu->npt : cpu->ept;
	const char *mod = amd ? "kvm_amd" : "kvm_intel";
	const char *mparam = amd ? "npt" : "ept";
	const struct hv_module *m = hv_host_module(h, mod);
	const char *pv = hv_module_param(m, mparam);
	bool b;

	TRY(hv_finding_expected(f, "%s", amd ? "NPT (nested page tables)"
					     : "EPT with unrestricted guest"));
	if (have == HV_TRI_UNKNOWN) {
		if (!hv_fact_ok(&cpu->cpuinfo))
			return hv_finding_unknown_from_fact(f, &cpu->cpuinfo,
							    "The kernel's CPU flags");
		return unknown(f, &cpu->cpuinfo, name,
			       amd ? "neither the kernel nor CPUID reports it"
				   : "the kernel reports no EPT flag");
	}
	if (hv_fact_ok(&cpu->cpuinfo))
		TRY(hv_finding_evidence_fact(f, &cpu->cpuinfo,
			amd ? (have == HV_TRI_YES ? "flags: npt" : "flags: no npt")
			    : (have == HV_TRI_YES ? "vmx flags: ept" : "vmx flags: no ept")));
	if (amd) {
		static const struct cpuid_bit npt_bit[] = {
			{ 0x8000000a, 'd', 0, "NPT" },
		};

		if (cpu->have_svm_leaf)
			TRY(evidence_cpuid_bits(f, cpu, npt_bit, 1));
	}

	if (have == HV_TRI_NO) {
		TRY(hv_finding_observed(f, "no %s", name));
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "The CPU offers no %s, so KVM falls back to shadow page "
				   "tables: every guest page-table change traps to the host.",
				   name));
		if (host_guest(h) == HV_TRI_YES)
			return hv_finding_remedy(f,
				"The hypervisor does not expose %s to this guest: on a KVM "
				"host keep %s's %s=Y and nested=1, and give the guest the host "
				"CPU model (QEMU -cpu host, libvirt host-passthrough).",
				name, mod, mparam);
		return hv_finding_remedy(f,
			"This CPU has no %s (Intel before Nehalem, AMD before Barcelona): "
			"run KVM hosts on a newer CPU.", name);
	}

	/* present in the CPU: is KVM using it? */
	if (m && m->loaded == HV_TRI_YES && pv && kstrtobool(pv, &b) == 0 && !b) {
		_cleanup_free_ char *path = hv_asprintf("sys/module/%s/parameters/%s",
							mod, mparam);

		if (!path)
			return -ENOMEM;
		TRY(hv_finding_evidence(f, path, "%s", pv));
		TRY(hv_finding_observed(f, "%s present, off in %s (%s=%s)", name, mod,
					mparam, pv));
		TRY(hv_finding_set(f, HV_STATUS_WARN,
				   "The CPU has %s but %s was loaded with %s=%s, so guests "
				   "run on shadow page tables.", name, mod, mparam, pv));
		return hv_finding_remedy(f,
			"Remove %s.%s=0 from the kernel command line or 'options %s %s=0' "
			"from /etc/modprobe.d/, then reload %s (no VM running) or reboot.",
			mod, mparam, mod, mparam, mod);
	}
	if (amd) {
		TRY(hv_finding_observed(f, "NPT"));
		return hv_finding_set(f, HV_STATUS_PASS,
				      "The CPU offers NPT (nested page tables) to KVM.");
	}
	switch (cpu->unrestricted_guest) {
	case HV_TRI_YES:
		TRY(hv_finding_observed(f, "EPT with unrestricted guest"));
		return hv_finding_set(f, HV_STATUS_PASS,
				      "The CPU offers EPT with unrestricted guest to KVM.");
	case HV_TRI_NO:
		TRY(hv_finding_observed(f, "EPT without unrestricted guest"));
		TRY(hv_finding_set(f, HV_STATUS_WARN,
				   "The CPU has EPT but not unrestricted guest, so KVM "
				   "emulates guest real mode (slow boots, some guests fail)."));
		return hv_finding_remedy(f,
			"Unrestricted guest arrived with Westmere; in a guest, give it the "
			"host CPU model (QEMU -cpu host). Check that %s.unrestricted_guest "
			"is not set to 0.", mod);
	case HV_TRI_UNKNOWN:
		break;
	}
	TRY(hv_finding_observed(f, "EPT (unrestricted guest not reported)"));
	if (cpu->vmx_flags.n == 0)
		return hv_finding_set(f, HV_STATUS_PASS,
				      "The CPU offers EPT to KVM (this kernel prints no "
				      "vmx flags line, so unrestricted guest is not "
				      "reported).");
	return hv_finding_set(f, HV_STATUS_PASS,
			      "The CPU offers EPT to KVM (whether it has unrestricted "
			      "guest could not be told).");
}

/* ---- cpu.guest ------------------------------------------------------------ */

static const struct cpuid_bit guest_bits[] = {
	{ 0x1, 'c', 31, "hypervisor" },
};

static int
eval_guest(const struct hv_host *h, const struct hv_params *p _unused_,
	   struct hv_finding *f)
{
	enum hv_tri g = host_guest(h);
	_cleanup_free_ char *hv = NULL, *fix = NULL;

	TRY(hv_finding_expected(f, "bare metal"));
	if (g == HV_TRI_UNKNOWN) {
		if (!hv_fact_ok(&h->cpu.cpuid))
			return hv_finding_unknown_from_fact(f, &h->cpu.cpuid, "CPUID");
		return hv_finding_unknown_from_fact(f, &h->cpu.cpuinfo,
						    "The kernel's CPU flags");
	}
	if (hv_fact_ok(&h->cpu.cpuid)) {
		TRY(evidence_cpuid_bits(f, &h->cpu, guest_bits, 1));
		if (g == HV_TRI_YES)
			TRY(hv_finding_evidence(f, "cpuid 0x40000000:ebx,ecx,edx",
						"\"%.12s\"", h->cpu.hypervisor_id));
	} else {
		TRY(hv_finding_evidence_fact(f, &h->cpu.cpuinfo,
					     g == HV_TRI_YES ? "flags: hypervisor"
							     : "flags: no hypervisor"));
	}
	if (g == HV_TRI_NO) {
		TRY(hv_finding_observed(f, "bare metal"));
		return hv_finding_set(f, HV_STATUS_PASS,
				      "The CPUID hypervisor bit is clear: this is bare "
				      "metal.");
	}
	hv = hypervisor_label(h);
	fix = nested_remedy(h);
	if (!hv || !fix)
		return -ENOMEM;
	TRY(hv_finding_observed(f, "guest of %s", hv));
	TRY(hv_finding_set(f, HV_STATUS_WARN,
			   "This host is a guest of %s: device passthrough here needs a "
			   "virtual IOMMU, and KVM guests here run nested.", hv));
	return hv_finding_remedy(f,
		"Device passthrough inside a guest needs the hypervisor to give it a "
		"virtual IOMMU (QEMU -machine q35,kernel-irqchip=split -device "
		"intel-iommu,intremap=on,caching-mode=on, or -device virtio-iommu-pci; "
		"libvirt <iommu model='intel'/> or <iommu model='virtio'/>) and the "
		"devices assigned to the guest first. For KVM inside it, %c%s Audit "
		"the physical host for the hardware itself.", 'e', fix + 1);
}

/* ---- kvm.usable ----------------------------------------------------------- */

struct kvm_module {
	const char *name;
	bool hardware;		/* VMX/SVM-backed */
	const char *what;
};

static const struct kvm_module kvm_modules[] = {
	{ "kvm_intel", true, "Intel VT-x" },
	{ "kvm_amd", true, "AMD-V" },
	{ "kvm_pvm", false,
	  "PVM, a paravirtualized hypervisor that runs guests without VMX or SVM" },
};

static int
eval_kvm_usable(const struct hv_host *h, const struct hv_params *p _unused_,
		struct hv_finding *f)
{
	const struct hv_kernel *k = &h->kernel;
	const struct kvm_module *hw = NULL, *sw = NULL;
	enum vendor v = cpu_vendor(h);
	const char *want = v == VENDOR_AMD ? "kvm_amd"
			 : v == VENDOR_INTEL ? "kvm_intel" : "kvm_intel or kvm_amd";
	bool hw_unknown = false, guest = host_guest(h) == HV_TRI_YES;
	_cleanup_free_ char *opened = NULL, *fix = NULL;

	TRY(hv_finding_expected(f, "/dev/kvm answering API version 12, from %s", want));
	if (k->dev_kvm == HV_TRI_UNKNOWN)
		return unknown(f, &k->dev_kvm_fact, "/dev/kvm",
			       "whether it is registered could not be told");
	if (!hv_fact_ok(&k->modules_fact))
		return hv_finding_unknown_from_fact(f, &k->modules_fact,
						    "The kernel's modules");

	TRY(hv_finding_evidence_fact(f, &k->dev_kvm_fact,
				     k->dev_kvm == HV_TRI_YES ? "registered" : NULL));
	for (size_t i = 0; i < HV_ELEMENTSOF(kvm_modules); i++) {
		enum hv_tri l = module_loaded(h, kvm_modules[i].name);

		if (l == HV_TRI_NO && !hv_host_module(h, kvm_modules[i].name) &&
		    !kvm_modules[i].hardware)
			continue;	/* not worth listing */
		TRY(evidence_module(f, h, kvm_modules[i].name));
		if (l == HV_TRI_YES && kvm_modules[i].hardware && !hw)
			hw = &kvm_modules[i];
		else if (l == HV_TRI_YES && !kvm_modules[i].hardware && !sw)
			sw = &kvm_modules[i];
		else if (l == HV_TRI_UNKNOWN && kvm_modules[i].hardware)
			hw_unknown = true;
	}
	if (k->kvm_api_version >= 0)
		TRY(hv_finding_evidence(f, "dev/kvm KVM_GET_API_VERSION", "%d",
					k->kvm_api_version));

	if (k->dev_kvm == HV_TRI_NO) {
		TRY(hv_finding_observed(f, "no /dev/kvm"));
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "/dev/kvm is not registered: %s.",
				   hw ? "the KVM module is loaded but registered no device"
				      : "no KVM module is loaded"));
		if (guest) {
			fix = nested_remedy(h);
			if (!fix)
				return -ENOMEM;
			return hv_finding_remedy(f, "Load %s (modprobe %s); if it refuses "
						 "(no VMX/SVM in this guest): %s",
						 want, want, fix);
		}
		return hv_finding_remedy(f,
			"Load %s (modprobe %s; persist with echo %s > "
			"/etc/modules-load.d/kvm.conf). If it refuses, dmesg tells why: "
			"\"disabled by bios\" means enabling %s in the firmware setup.",
			want, want, v == VENDOR_UNKNOWN ? "kvm_intel" : want,
			v == VENDOR_AMD ? "SVM (AMD-V)" : "VT-x");
	}

	/* registered */
	if (k->dev_kvm_usable == HV_TRI_NO) {
		_cleanup_free_ char *why = hv_fact_ok(&k->dev_kvm_fact)
			? strdup("it does not answer KVM_GET_API_VERSION")
			: hv_fact_reason(&k->dev_kvm_fact);

		if (!why)
			return -ENOMEM;
		TRY(hv_finding_observed(f, "/dev/kvm registered, not usable (%s)", why));
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "/dev/kvm is registered but not usable: %s.", why));
		return hv_finding_remedy(f,
			"Check that /dev/kvm is a character device 10:232 (udev creates it; "
			"ls -l /dev/kvm) and dmesg for errors from %s; reload the module.",
			want);
	}
	if (k->dev_kvm_usable == HV_TRI_YES && k->kvm_api_version != 12) {
		TRY(hv_finding_observed(f, "API version %d", k->kvm_api_version));
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "/dev/kvm answers API version %d, not 12: it is not "
				   "the KVM that QEMU and libvirt drive.", k->kvm_api_version));
		return hv_finding_remedy(f, "Find what provides /dev/kvm (lsmod) and load "
					 "%s instead.", want);
	}
	if (k->dev_kvm_usable == HV_TRI_YES) {
		opened = strdup("answering API version 12");
	} else {
		_cleanup_free_ char *why = hv_fact_ok(&k->dev_kvm_fact)
			? strdup(h->live ? "not opened" : "a capture")
			: hv_fact_reason(&k->dev_kvm_fact);

		if (why)
			opened = hv_asprintf("not opened (%s)", why);
	}
	if (!opened)
		return -ENOMEM;

	if (hw) {
		TRY(hv_finding_observed(f, "/dev/kvm %s, %s loaded", opened, hw->name));
		return hv_finding_set(f, HV_STATUS_PASS,
				      "/dev/kvm is registered, %s, with %s (%s) loaded.",
				      opened, hw->name, hw->what);
	}
	if (hw_unknown)
		return unknown(f, NULL, "Which module provides /dev/kvm",
			       "the state of kvm_intel/kvm_amd could not be read");
	if (sw) {
		TRY(hv_finding_observed(f, "/dev/kvm %s, provided by %s", opened,
					sw->name));
		TRY(hv_finding_set(f, HV_STATUS_WARN,
				   "/dev/kvm is provided by %s (%s), not by hardware-"
				   "assisted kvm_intel or kvm_amd.", sw->name, sw->what));
	} else {
		TRY(hv_finding_observed(f, "/dev/kvm %s, neither kvm_intel nor kvm_amd "
					"loaded", opened));
		TRY(hv_finding_set(f, HV_STATUS_WARN,
				   "/dev/kvm is registered, %s, but neither kvm_intel nor "
				   "kvm_amd is loaded: it is not hardware-assisted KVM.",
				   opened));
	}
	if (guest) {
		fix = nested_remedy(h);
		if (!fix)
			return -ENOMEM;
		return hv_finding_remedy(f,
			"Hardware-assisted KVM in this guest needs VMX or SVM from its "
			"host. %s Then load %s (modprobe %s)%s%s.", fix, want, want,
			sw ? " and unload " : "", sw ? sw->name : "");
	}
	return hv_finding_remedy(f, "Load %s (modprobe %s)%s%s, with %s enabled in the "
				 "firmware setup.", want, want,
				 sw ? " after unloading " : "", sw ? sw->name : "",
				 v == VENDOR_AMD ? "SVM (AMD-V)" : "VT-x");
}

/* ---- iommu.acpi ----------------------------------------------------------- */

/* The firmware tables that describe an IOMMU, in hv_acpi order. */
static const char *const iommu_table_what[] = {
	"Intel VT-d", "AMD-Vi", "virtio-iommu", "Arm SMMU",
};

static const struct hv_acpi_table *
iommu_table(const struct hv_host *h, size_t i)
{
	const struct hv_acpi_table *const t[] = {
		&h->acpi.dmar, &h->acpi.ivrs, &h->acpi.viot, &h->acpi.iort,
	};

	return i < HV_ELEMENTSOF(t) ? t[i] : NULL;
}

/* "DMAR (Intel VT-d, OEM ALASKA A M I)". Caller frees. */
static char *
table_label(const struct hv_acpi_table *t, const char *what)
{
	if (hv_fact_ok(&t->fact))
		return hv_asprintf("%s (%s, OEM id \"%s\", table id \"%s\")",
				   t->signature, what, t->oem_id, t->oem_table_id);
	return hv_asprintf("%s (%s)", t->signature, what);
}

static int
evidence_table(struct hv_finding *f, const struct hv_acpi_table *t)
{
	_cleanup_free_ char *path = NULL, *reason = NULL;

	path = t->fact.source ? strdup(t->fact.source)
			      : hv_asprintf("sys/firmware/acpi/tables/%s", t->signature);
	if (!path)
		return -ENOMEM;
	if (!t->present && t->fact.state != HV_FACT_UNKNOWN)
		return hv_finding_evidence(f, path, "not present");
	if (hv_fact_ok(&t->fact))
		return hv_finding_evidence(f, path, "present, %zu bytes, revision %u, "
					   "OEM id \"%s\"", t->length, t->revision,
					   t->oem_id);
	reason = hv_fact_reason(&t->fact);
	if (!reason)
		return -ENOMEM;
	return hv_finding_evidence(f, path, "%s%s", t->present ? "present, not read: "
							      : "", reason);
}

/* What to do when the firmware describes no IOMMU. Caller frees. */
static char *
no_iommu_remedy(const struct hv_host *h)
{
	if (host_guest(h) == HV_TRI_YES)
		return strdup(
			"Give this guest a virtual IOMMU from its hypervisor: QEMU "
			"-machine q35,kernel-irqchip=split -device "
			"intel-iommu,intremap=on,caching-mode=on (it publishes a DMAR), or "
			"-device virtio-iommu-pci (a VIOT); libvirt <iommu model='intel'/> "
			"or <iommu model='virtio'/>. Then restart the guest.");
	switch (cpu_vendor(h)) {
	case VENDOR_INTEL:
		return strdup(
			"Enable \"Intel VT-d\" (Virtualization Technology for Directed "
			"I/O) in the firmware setup (often under Chipset, North Bridge or "
			"Integrated IO Configuration), save, and reboot: the firmware then "
			"publishes a DMAR table.");
	case VENDOR_AMD:
		return strdup(
			"Enable the IOMMU (\"IOMMU\", \"AMD-Vi\" or \"AMD IOV\", often under "
			"AMD CBS > NBIO Common Options) in the firmware setup, save, and "
			"reboot: the firmware then publishes an IVRS table.");
	case VENDOR_UNKNOWN:
		break;
	}
	return strdup("Enable the IOMMU (Intel VT-d or AMD-Vi) in the firmware setup, "
		      "save, and reboot.");
}

static int
eval_iommu_acpi(const struct hv_host *h, const struct hv_params *p _unused_,
		struct hv_finding *f)
{
	struct hv_strv found = { 0 };
	bool unknown_table = false;
	_cleanup_free_ char *list = NULL, *fix = NULL;
	int r = 0;

	TRY(hv_finding_expected(f, "a DMAR, IVRS, VIOT or IORT table"));
	if (!hv_fact_ok(&h->acpi.tables_fact))
		return hv_finding_unknown_from_fact(f, &h->acpi.tables_fact,
						    "The ACPI tables");
	for (size_t i = 0; i < HV_ELEMENTSOF(iommu_table_what); i++) {
		const struct hv_acpi_table *t = iommu_table(h, i);

		TRY(evidence_table(f, t));
		if (t->present) {
			char *l = table_label(t, iommu_table_what[i]);

			if (!l || hv_strv_push(&found, l) < 0) {
				r = -ENOMEM;
				goto out;
			}
		} else if (t->fact.state == HV_FACT_UNKNOWN ||
			   t->fact.state == HV_FACT_UNPROBED) {
			unknown_table = true;
		}
	}
	if (found.n > 0) {
		list = hv_strv_join(&found, ", ");
		if (!list) {
			r = -ENOMEM;
			goto out;
		}
		r = hv_finding_observed(f, "%s", list);
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "The firmware describes an IOMMU: %s.", list);
		goto out;
	}
	if (unknown_table) {
		r = unknown(f, NULL, "Whether the firmware describes an IOMMU",
			    "an IOMMU table's presence could not be read");
		goto out;
	}
	fix = no_iommu_remedy(h);
	if (!fix) {
		r = -ENOMEM;
		goto out;
	}
	r = hv_finding_observed(f, "no DMAR, IVRS, VIOT or IORT table");
	if (r >= 0)
		r = hv_finding_set(f, HV_STATUS_FAIL,
				   "The firmware describes no IOMMU: there is no DMAR, IVRS, "
				   "VIOT or IORT table%s.",
				   host_guest(h) == HV_TRI_YES
				   ? " (the hypervisor gives this guest no virtual IOMMU)"
				   : "");
	if (r >= 0)
		r = hv_finding_remedy(f, "%s", fix);
out:
	hv_strv_clear(&found);
	return r;
}

/* ---- iommu.enabled -------------------------------------------------------- */

static int
evidence_units(struct hv_finding *f, const struct hv_host *h)
{
	struct hv_strv names = { 0 };
	_cleanup_free_ char *list = NULL;
	size_t n = HV_MIN(h->iommu.n_units, (size_t)MAX_LISTED);
	int r;

	if (!hv_fact_ok(&h->iommu.units_fact))
		return hv_finding_evidence_fact(f, &h->iommu.units_fact, NULL);
	for (size_t i = 0; i < n; i++) {
		r = hv_strv_add(&names, h->iommu.units[i].name);
		if (r < 0) {
			hv_strv_clear(&names);
			return r;
		}
	}
	list = hv_strv_join(&names, " ");
	hv_strv_clear(&names);
	if (!list)
		return -ENOMEM;
	if (h->iommu.n_units == 0)
		return hv_finding_evidence(f, h->iommu.units_fact.source
					   ? h->iommu.units_fact.source
					   : "sys/class/iommu", "no units");
	return hv_finding_evidence(f, h->iommu.units_fact.source
				   ? h->iommu.units_fact.source : "sys/class/iommu",
				   "%s%s", list, h->iommu.n_units > n ? " ..." : "");
}

static const char *
missing_table(const struct hv_host *h)
{
	switch (cpu_vendor(h)) {
	case VENDOR_INTEL:
		return "no DMAR table";
	case VENDOR_AMD:
		return "no IVRS table";
	case VENDOR_UNKNOWN:
		break;
	}
	return "no DMAR, IVRS, VIOT or IORT table";
}

static int
iommu_off_remedy(struct hv_finding *f, const struct hv_host *h,
		 const struct kp_state *s)
{
	if (s->no_iommu)
		return hv_finding_remedy(f, "Remove %s from the kernel command line "
					 "(%s).", s->no_iommu_param, boot_loader_hint);
	switch (iommu_vendor(h)) {
	case VENDOR_INTEL:
		if (s->intel_on == HV_TRI_NO)
			return hv_finding_remedy(f,
				"Replace %s with intel_iommu=on on the kernel command line "
				"(%s).", s->intel_off_param, boot_loader_hint);
		if (s->intel_on == HV_TRI_YES)
			return hv_finding_remedy(f,
				"intel_iommu=on is set, yet no DMAR unit registered: check "
				"dmesg | grep -i -e DMAR -e IOMMU for the reason (a kernel "
				"without CONFIG_INTEL_IOMMU, or a DMAR the kernel rejects; then "
				"update the firmware).");
		return hv_finding_remedy(f,
			"Add intel_iommu=on to the kernel command line: the Intel IOMMU is "
			"on by default only in kernels built with "
			"CONFIG_INTEL_IOMMU_DEFAULT_ON (%s).", boot_loader_hint);
	case VENDOR_AMD:
		if (s->amd_off)
			return hv_finding_remedy(f,
				"Remove %s from the kernel command line: the AMD IOMMU is on "
				"by default (%s).", s->amd_off_param, boot_loader_hint);
		return hv_finding_remedy(f,
			"The AMD IOMMU is on by default and nothing on the command line "
			"turns it off: check dmesg | grep AMD-Vi for why it did not start "
			"(a kernel without CONFIG_AMD_IOMMU, or an IVRS the kernel "
			"rejects; then update the firmware).");
	case VENDOR_UNKNOWN:
		break;
	}
	if (h->acpi.viot.present)
		return hv_finding_remedy(f,
			"Load the virtio-iommu driver (modprobe virtio_iommu, or a kernel "
			"with CONFIG_VIRTIO_IOMMU=y) and reboot.");
	return hv_finding_remedy(f,
		"Check dmesg for the IOMMU driver's messages and the kernel command "
		"line for parameters that turn it off.");
}

/* A sentence of another module as a clause: no final period, and a first
 * word in lower case unless it is an acronym ("DMAR"). Caller frees. */
static char *
clause(const char *sentence)
{
	char *c = strdup(sentence ? sentence : "");
	size_t l;

	if (!c)
		return NULL;
	l = strlen(c);
	while (l > 0 && (c[l - 1] == '.' || c[l - 1] == ' '))
		c[--l] = '\0';
	if (c[0] >= 'A' && c[0] <= 'Z' && !(c[1] >= 'A' && c[1] <= 'Z'))
		c[0] = (char)(c[0] - 'A' + 'a');
	return c;
}

/* The firmware tables that describe an IOMMU here: "DMAR", "IVRS and VIOT". */
static void
present_tables(const struct hv_host *h, char *buf, size_t len)
{
	size_t o = 0, n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < HV_ELEMENTSOF(iommu_table_what) && o < len; i++) {
		const struct hv_acpi_table *t = iommu_table(h, i);

		if (!t->present)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", n ? " and " : "",
				      t->signature);
		n++;
	}
	if (n == 0)
		snprintf(buf, len, "an IOMMU table");
}

static int
eval_iommu_enabled(const struct hv_host *h, const struct hv_params *p _unused_,
		   struct hv_finding *f)
{
	struct kp_state s = { 0 };
	_cleanup_free_ char *fix = NULL, *why = NULL;
	const char *reason = h->iommu.state_reason;
	char tables[64];
	int r = 0;

	TRY(hv_finding_expected(f, "on (translated or passthrough)"));
	if (h->iommu.state == HV_IOMMU_STATE_UNKNOWN) {
		if (!hv_fact_ok(&h->iommu.units_fact))
			return hv_finding_unknown_from_fact(f, &h->iommu.units_fact,
							    "The kernel's IOMMU units");
		return unknown(f, NULL, "Whether the IOMMU is on",
			       reason ? reason : "its state could not be derived");
	}
	if (hv_fact_ok(&h->kernel.cmdline_fact))
		TRY(kp_analyze(h, &s));
	r = evidence_units(f, h);
	if (r >= 0 && hv_fact_ok(&h->kernel.cmdline_fact))
		r = evidence_cmdline(f, h, &s);
	if (r < 0)
		goto out;

	switch (h->iommu.state) {
	case HV_IOMMU_STATE_TRANSLATED:
	case HV_IOMMU_STATE_PASSTHROUGH:
		r = hv_finding_observed(f, "on, %s (%zu unit%s)",
					hv_iommu_state_to_string(h->iommu.state),
					h->iommu.n_units, h->iommu.n_units == 1 ? "" : "s");
		why = reason ? clause(reason) : NULL;
		if (r >= 0 && reason && !why)
			r = -ENOMEM;
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "The IOMMU is on in the kernel (%s)%s%s.",
					   hv_iommu_state_to_string(h->iommu.state),
					   why && why[0] ? ": " : "", why ? why : "");
		break;
	case HV_IOMMU_STATE_OFF:
		present_tables(h, tables, sizeof(tables));
		r = hv_finding_observed(f, "off: described by firmware, no unit in the "
					"kernel");
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_FAIL,
					   "The firmware describes an IOMMU (%s) but the "
					   "kernel has it off: no IOMMU unit is registered.",
					   tables);
		if (r >= 0)
			r = iommu_off_remedy(f, h, &s);
		break;
	case HV_IOMMU_STATE_ABSENT:
		fix = no_iommu_remedy(h);
		if (!fix) {
			r = -ENOMEM;
			break;
		}
		r = hv_finding_observed(f, "absent (%s)", missing_table(h));
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_FAIL,
					   "There is no IOMMU to turn on: the firmware "
					   "publishes %s.", missing_table(h));
		if (r >= 0)
			r = hv_finding_remedy(f, "%s", fix);
		break;
	case HV_IOMMU_STATE_UNKNOWN:
		break;
	}
out:
	kp_state_clear(&s);
	return r;
}

/* ---- iommu.mode ----------------------------------------------------------- */

static const char *const iommu_mode_values[] = {
	"translated", "passthrough", "any", NULL,
};

static const struct hv_param_spec iommu_mode_params[] = {
	{ "expect", HV_PARAM_ENUM, iommu_mode_values, false,
	  "translated, passthrough or any: the mode the IOMMU must run in for "
	  "host devices", "any" },
	{ NULL, HV_PARAM_STRING, NULL, false, NULL, NULL },
};

static int
evidence_groups(struct hv_finding *f, const struct hv_host *h)
{
	static const char *const types[] = {
		"DMA", "DMA-FQ", "identity", "blocked", "unmanaged",
	};
	size_t count[HV_ELEMENTSOF(types) + 1] = { 0 };
	char buf[200];
	size_t len;

	if (!hv_fact_ok(&h->iommu.groups_fact))
		return hv_finding_evidence_fact(f, &h->iommu.groups_fact, NULL);
	for (size_t i = 0; i < h->iommu.n_groups; i++) {
		size_t k = 0;

		while (k < HV_ELEMENTSOF(types) &&
		       !hv_streq(h->iommu.groups[i].type, types[k]))
			k++;
		count[k]++;
	}
	len = (size_t)snprintf(buf, sizeof(buf), "%zu groups", h->iommu.n_groups);
	for (size_t k = 0; k <= HV_ELEMENTSOF(types) && len < sizeof(buf); k++)
		if (count[k])
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, ", %zu %s",
						count[k], k < HV_ELEMENTSOF(types)
						? types[k] : "of unknown type");
	return hv_finding_evidence(f, h->iommu.groups_fact.source
				   ? h->iommu.groups_fact.source
				   : "sys/kernel/iommu_groups", "%s", buf);
}

static int
eval_iommu_mode(const struct hv_host *h, const struct hv_params *p,
		struct hv_finding *f)
{
	const char *expect = param_value(p, iommu_mode_params, "expect");
	enum hv_iommu_state st = h->iommu.state;
	struct kp_state s = { 0 };
	_cleanup_free_ char *pt = NULL;
	int r;

	if (!expect)
		expect = "any";
	TRY(hv_finding_expected(f, "%s", strcmp(expect, "any") == 0
				? "translated or passthrough" : expect));
	if (st != HV_IOMMU_STATE_TRANSLATED && st != HV_IOMMU_STATE_PASSTHROUGH) {
		if (st == HV_IOMMU_STATE_UNKNOWN)
			return unknown(f, &h->iommu.groups_fact, "The IOMMU mode",
				       "the IOMMU state could not be derived");
		TRY(hv_finding_observed(f, "%s", hv_iommu_state_to_string(st)));
		return hv_finding_set(f, HV_STATUS_FAIL, "The IOMMU is %s, so it has no "
				      "mode (see iommu.enabled).",
				      hv_iommu_state_to_string(st));
	}
	if (hv_fact_ok(&h->kernel.cmdline_fact))
		TRY(kp_analyze(h, &s));
	r = evidence_groups(f, h);
	if (r >= 0 && hv_fact_ok(&h->kernel.cmdline_fact))
		r = evidence_cmdline(f, h, &s);
	if (r >= 0)
		r = hv_finding_observed(f, "%s", hv_iommu_state_to_string(st));
	if (r < 0)
		goto out;

	if (st == HV_IOMMU_STATE_TRANSLATED) {
		if (strcmp(expect, "passthrough") != 0) {
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "The IOMMU translates DMA for host devices, so they "
					   "are isolated from each other.");
			goto out;
		}
		r = hv_finding_set(f, HV_STATUS_FAIL,
				   "The IOMMU translates DMA for host devices, but the "
				   "profile expects passthrough.");
		if (r >= 0)
			r = hv_finding_remedy(f,
				"Add iommu=pt to the kernel command line (%s): host devices "
				"then skip translation, while devices assigned through VFIO "
				"stay isolated.", boot_loader_hint);
		goto out;
	}

	/* passthrough */
	if (strcmp(expect, "translated") != 0) {
		r = hv_finding_set(f, HV_STATUS_PASS,
				   "The IOMMU is on in passthrough mode: host devices are "
				   "identity-mapped (not isolated from each other), devices "
				   "assigned through VFIO are isolated.");
		goto out;
	}
	r = hv_finding_set(f, HV_STATUS_FAIL,
			   "The IOMMU is in passthrough mode: host devices are identity-"
			   "mapped and can reach all memory by DMA, which is not "
			   "isolation.");
	if (r < 0)
		goto out;
	if (s.pt_params.n > 0) {
		pt = hv_strv_join(&s.pt_params, " and ");
		if (!pt) {
			r = -ENOMEM;
			goto out;
		}
		r = hv_finding_remedy(f, "Remove %s from the kernel command line (%s); "
				      "the IOMMU then translates for every device.", pt,
				      boot_loader_hint);
	} else {
		r = hv_finding_remedy(f,
			"Nothing on the command line asks for passthrough, so the kernel "
			"was built with CONFIG_IOMMU_DEFAULT_PASSTHROUGH: add "
			"iommu.passthrough=0 to the kernel command line (%s). A single "
			"group can be switched at run time with its drivers unbound: echo "
			"DMA > /sys/kernel/iommu_groups/N/type.", boot_loader_hint);
	}
out:
	kp_state_clear(&s);
	return r;
}

/* ---- kernel.iommu_params -------------------------------------------------- */

static int
eval_iommu_params(const struct hv_host *h, const struct hv_params *p _unused_,
		  struct hv_finding *f)
{
	struct kp_state s = { 0 };
	struct hv_strv fixes = { 0 };
	_cleanup_free_ char *rel = NULL, *fix = NULL;
	enum kp_level worst;
	const struct kp_item *first = NULL;
	size_t n_bad = 0;
	int r;

	TRY(hv_finding_expected(f, "IOMMU parameters the kernel accepts, none that turn "
				"the IOMMU or its isolation off"));
	if (!hv_fact_ok(&h->kernel.cmdline_fact))
		return hv_finding_unknown_from_fact(f, &h->kernel.cmdline_fact,
						    "The kernel command line");
	r = kp_analyze(h, &s);
	if (r >= 0)
		r = evidence_cmdline(f, h, &s);
	if (r < 0)
		goto out;
	rel = kp_relevant(&s);
	if (!rel) {
		r = -ENOMEM;
		goto out;
	}
	r = hv_finding_observed(f, "%s", rel);
	if (r < 0)
		goto out;

	worst = kp_worst(&s);
	for (size_t i = 0; i < s.n_items; i++) {
		if (s.items[i].level == worst && !first)
			first = &s.items[i];
		if (s.items[i].level >= (worst >= KP_WARN ? KP_WARN : KP_NOTE))
			n_bad++;
	}
	if (worst <= KP_NOTE) {
		if (s.relevant.n == 0)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "No IOMMU-related kernel parameters are set, so the "
					   "kernel's defaults apply.");
		else if (first)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "The IOMMU-related kernel parameters are valid; note: "
					   "%s%s.", first->text, n_bad > 1 ? " (and more)" : "");
		else
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "The IOMMU-related kernel parameters are valid and "
					   "keep the IOMMU on.");
		goto out;
	}
	if (n_bad > 1)
		r = hv_finding_set(f, worst == KP_FAIL ? HV_STATUS_FAIL : HV_STATUS_WARN,
				   "%s (and %zu more: see the remedy).", first->text,
				   n_bad - 1);
	else
		r = hv_finding_set(f, worst == KP_FAIL ? HV_STATUS_FAIL : HV_STATUS_WARN,
				   "%s.", first->text);
	if (r < 0)
		goto out;
	/* the fixes, the worst first */
	for (int lvl = KP_FAIL; lvl >= KP_WARN; lvl--)
		for (size_t i = 0; i < s.n_items; i++) {
			const struct kp_item *it = &s.items[i];

			if ((int)it->level != lvl || !it->fix)
				continue;
			r = hv_strv_add_unique(&fixes, it->fix);
			if (r < 0)
				goto out;
		}
	fix = hv_strv_join(&fixes, "; ");
	if (!fix) {
		r = -ENOMEM;
		goto out;
	}
	if (fix[0])
		fix[0] = (char)(fix[0] >= 'a' && fix[0] <= 'z' ? fix[0] - 'a' + 'A'
							      : fix[0]);
	r = hv_finding_remedy(f, "%s; %s.", fix, boot_loader_hint);
out:
	hv_strv_clear(&fixes);
	kp_state_clear(&s);
	return r;
}

/* ---- kernel.vfio ---------------------------------------------------------- */

static int
eval_vfio(const struct hv_host *h, const struct hv_params *p _unused_,
	  struct hv_finding *f)
{
	const struct hv_module *m = hv_host_module(h, "vfio_pci");
	enum hv_tri loaded = module_loaded(h, "vfio_pci");
	enum hv_tri available = m ? m->available : HV_TRI_UNKNOWN;

	TRY(hv_finding_expected(f, "vfio_pci loaded, built in, or installed"));
	if (!hv_fact_ok(&h->kernel.modules_fact))
		return hv_finding_unknown_from_fact(f, &h->kernel.modules_fact,
						    "The kernel's modules");
	TRY(evidence_module(f, h, "vfio_pci"));
	TRY(evidence_module(f, h, "vfio_iommu_type1"));
	TRY(evidence_module(f, h, "iommufd"));
	if (loaded == HV_TRI_YES) {
		TRY(hv_finding_observed(f, "vfio_pci %s", module_state(m)));
		return hv_finding_set(f, HV_STATUS_PASS, "vfio-pci is %s, so devices can "
				      "be bound to it for assignment.",
				      m && m->builtin ? "built into the kernel" : "loaded");
	}
	if (loaded == HV_TRI_UNKNOWN)
		return unknown(f, &h->kernel.modules_fact, "Whether vfio_pci is loaded",
			       "sys/module/vfio_pci could not be read");
	if (hv_fact_ok(&h->kernel.modules_index_fact) ||
	    h->kernel.modules_index_fact.state != HV_FACT_UNPROBED)
		TRY(hv_finding_evidence_fact(f, &h->kernel.modules_index_fact,
					     available == HV_TRI_YES
					     ? "vfio-pci installed" : "no vfio-pci"));
	if (available == HV_TRI_YES) {
		TRY(hv_finding_observed(f, "vfio_pci installed, not loaded"));
		TRY(hv_finding_set(f, HV_STATUS_PASS,
				   "vfio-pci is installed for this kernel and loads when a "
				   "device is bound to it (it is not loaded now)."));
		return hv_finding_remedy(f, "To load it at boot: echo vfio-pci > "
					 "/etc/modules-load.d/vfio-pci.conf.");
	}
	TRY(hv_finding_observed(f, "vfio_pci not loaded%s",
				available == HV_TRI_NO ? ", not installed" : ""));
	TRY(hv_finding_set(f, HV_STATUS_FAIL, "vfio-pci is not loaded%s.",
			   available == HV_TRI_NO ? " and not installed for this kernel"
			   : " (whether it is installed could not be told)"));
	if (available == HV_TRI_NO)
		return hv_finding_remedy(f,
			"Install the kernel's extra modules (vfio-pci ships with the "
			"distribution kernel: e.g. linux-modules-extra on Ubuntu, "
			"kernel-modules on Fedora) or build CONFIG_VFIO_PCI, then modprobe "
			"vfio-pci.");
	return hv_finding_remedy(f, "modprobe vfio-pci; to load it at boot: echo "
				 "vfio-pci > /etc/modules-load.d/vfio-pci.conf.");
}

/* ---- kernel.hugepages ----------------------------------------------------- */

static const struct hv_param_spec hugepages_params[] = {
	{ "min_pages", HV_PARAM_UINT, NULL, false,
	  "how many hugepages must be reserved (of size_kb, or of any size)", "1" },
	{ "size_kb", HV_PARAM_UINT, NULL, false,
	  "the hugepage size in kB: 2048 or 1048576 on x86 (default: any size)", NULL },
	{ NULL, HV_PARAM_STRING, NULL, false, NULL, NULL },
};

static const char *
size_name(unsigned long kb, char *buf, size_t len)
{
	if (kb >= 1024 * 1024 && kb % (1024 * 1024) == 0)
		snprintf(buf, len, "%luG", kb / (1024 * 1024));
	else if (kb >= 1024 && kb % 1024 == 0)
		snprintf(buf, len, "%luM", kb / 1024);
	else
		snprintf(buf, len, "%luK", kb);
	return buf;
}

static int
eval_hugepages(const struct hv_host *h, const struct hv_params *p,
	       struct hv_finding *f)
{
	const struct hv_kernel *k = &h->kernel;
	const struct hv_hugepages *best = NULL, *want = NULL;
	uint32_t min = 1, size = 0;
	bool have_min = false, have_size = false;
	char obs[256], sz[32];
	size_t len = 0;
	int r;

	r = param_uint(p, hugepages_params, "min_pages", f, &have_min, &min);
	if (r == 0)
		r = param_uint(p, hugepages_params, "size_kb", f, &have_size, &size);
	if (r == -EINVAL)
		return 0;
	TRY(r);
	if (!have_min)
		min = 1;
	if (have_size)
		TRY(hv_finding_expected(f, "at least %u hugepage%s of %u kB", min,
					min == 1 ? "" : "s", size));
	else
		TRY(hv_finding_expected(f, "at least %u hugepage%s", min,
					min == 1 ? "" : "s"));
	if (!hv_fact_ok(&k->hugepages_fact))
		return hv_finding_unknown_from_fact(f, &k->hugepages_fact,
						    "The hugepage pools");

	obs[0] = '\0';
	for (size_t i = 0; i < k->n_hugepages; i++) {
		const struct hv_hugepages *hp = &k->hugepages[i];
		_cleanup_free_ char *path = hv_asprintf(
			"sys/kernel/mm/hugepages/hugepages-%lukB/nr_hugepages", hp->size_kb);

		if (!path)
			return -ENOMEM;
		if (i < MAX_DEV_EVIDENCE)
			TRY(hv_finding_evidence(f, path, "%" PRIu64, hp->total));
		if (len < sizeof(obs))
			len += (size_t)snprintf(obs + len, sizeof(obs) - len,
						"%s%" PRIu64 " of %lu kB", i ? ", " : "",
						hp->total, hp->size_kb);
		if (have_size && hp->size_kb == size)
			want = hp;
		if (!best || hp->total > best->total)
			best = hp;
	}
	TRY(hv_finding_observed(f, "%s", k->n_hugepages ? obs : "no hugepage sizes"));

	if (have_size && !want) {
		TRY(hv_finding_set(f, HV_STATUS_FAIL,
				   "The kernel offers no %u kB hugepages.", size));
		return hv_finding_remedy(f,
			"%s", size == 1048576
			? "1 GB hugepages need a CPU with the pdpe1gb flag and a kernel "
			  "with HugeTLB; reserve them at boot with default_hugepagesz=1G "
			  "hugepagesz=1G hugepages=N on the kernel command line."
			: "Use a hugepage size this kernel offers (see "
			  "/sys/kernel/mm/hugepages/).");
	}
	if (have_size)
		best = want;
	if (best && best->total >= min)
		return hv_finding_set(f, HV_STATUS_PASS,
				      "%" PRIu64 " hugepages of %lu kB are reserved.",
				      best->total, best->size_kb);

	TRY(hv_finding_set(f, HV_STATUS_FAIL,
			   "%" PRIu64 " hugepages%s%s%s are reserved, fewer than %u.",
			   best ? best->total : 0, have_size ? " of " : "",
			   have_size ? size_name(size, sz, sizeof(sz)) : "",
			   have_size ? "B" : "", min));
	if (have_size && size >= 1024 * 1024)
		return hv_finding_remedy(f,
			"Reserve them at boot, before memory fragments: add "
			"hugepagesz=%s hugepages=%u (and default_hugepagesz=%s to make "
			"it the default size) to the kernel command line (%s).",
			size_name(size, sz, sizeof(sz)), min,
			size_name(size, sz, sizeof(sz)), boot_loader_hint);
	if (have_size && size != k->default_hugepage_kb)
		return hv_finding_remedy(f,
			"Reserve them with echo %u > "
			"/sys/kernel/mm/hugepages/hugepages-%ukB/nr_hugepages, and at boot "
			"with hugepagesz=%s hugepages=%u on the kernel command line (%s).",
			min, size, size_name(size, sz, sizeof(sz)), min, boot_loader_hint);
	return hv_finding_remedy(f,
		"Reserve them with sysctl vm.nr_hugepages=%u (pages of the default "
		"size) and persist it in /etc/sysctl.d/80-hugepages.conf "
		"(vm.nr_hugepages = %u), or reserve them at boot with hugepages=%u "
		"(and default_hugepagesz to choose the size) on the kernel command "
		"line.", min, min, min);
}

/* ---- sriov.capable, sriov.vfs_enabled ------------------------------------- */

static const struct hv_param_spec sriov_capable_params[] = {
	{ "class", HV_PARAM_PCI_CLASS, NULL, true,
	  "only PFs of this PCI class (hex prefix: 02 network, 0200 Ethernet, 0302 "
	  "3D controller)", NULL },
	{ "device", HV_PARAM_PCI_ID, NULL, true,
	  "only PFs with this vendor:device id (8086:1572, or 15b3:* for a vendor)",
	  NULL },
	{ NULL, HV_PARAM_STRING, NULL, false, NULL, NULL },
};

static const struct hv_param_spec sriov_vfs_params[] = {
	{ "min_vfs", HV_PARAM_UINT, NULL, false,
	  "how many VFs a matching PF must have enabled", "1" },
	{ "class", HV_PARAM_PCI_CLASS, NULL, true,
	  "only PFs of this PCI class (hex prefix)", NULL },
	{ "device", HV_PARAM_PCI_ID, NULL, true,
	  "only PFs with this vendor:device id (or vendor:*)", NULL },
	{ NULL, HV_PARAM_STRING, NULL, false, NULL, NULL },
};

struct pci_filter {
	const char *classes[MAX_FILTERS];
	size_t n_classes;
	const char *devices[MAX_FILTERS];
	size_t n_devices;
};

static void
filter_init(struct pci_filter *flt, const struct hv_params *p)
{
	flt->n_classes = hv_params_get_all(p, "class", flt->classes, MAX_FILTERS);
	flt->n_devices = hv_params_get_all(p, "device", flt->devices, MAX_FILTERS);
}

/* Several values of one filter: any; class and device together: both. */
static bool
filter_match(const struct pci_filter *flt, const struct hv_pci_dev *d)
{
	bool c = flt->n_classes == 0, i = flt->n_devices == 0;

	for (size_t k = 0; k < flt->n_classes && !c; k++)
		c = hv_param_match_class(flt->classes[k], d->class_code);
	for (size_t k = 0; k < flt->n_devices && !i; k++)
		i = hv_param_match_id(flt->devices[k], d->vendor_id, d->device_id);
	return c && i;
}

/* "class 0200 or 0207, device 8086:*"; "" without filters. Caller frees. */
static char *
filter_text(const struct pci_filter *flt)
{
	struct hv_strv parts = { 0 }, vals = { 0 };
	char *s = NULL, *j;
	int r = 0;

	for (int pass = 0; pass < 2 && r >= 0; pass++) {
		const char *const *v = pass ? flt->devices : flt->classes;
		size_t n = pass ? flt->n_devices : flt->n_classes;

		if (n == 0)
			continue;
		for (size_t k = 0; k < n && r >= 0; k++)
			r = hv_strv_add(&vals, v[k]);
		j = r >= 0 ? hv_strv_join(&vals, " or ") : NULL;
		hv_strv_clear(&vals);
		if (!j) {
			r = -ENOMEM;
			break;
		}
		r = hv_strv_push(&parts, hv_asprintf("%s %s", pass ? "device" : "class",
						     j));
		free(j);
	}
	if (r >= 0)
		s = hv_strv_join(&parts, ", ");
	hv_strv_clear(&parts);
	return s;
}

enum sriov_cap {
	SRIOV_NO = 0,
	SRIOV_YES,
	SRIOV_UNKNOWN,
};

/* Is d an SR-IOV capable PF, as far as config space and sysfs tell? */
static enum sriov_cap
sriov_capable(const struct hv_pci_dev *d)
{
	const struct hv_sriov *s = d->sriov;

	if (d->physfn)
		return SRIOV_NO;	/* a VF is no PF */
	if (s && (hv_fact_ok(&s->cap_fact) || s->sysfs_totalvfs > 0))
		return SRIOV_YES;
	if (s && s->sysfs_totalvfs == 0)
		return SRIOV_NO;	/* the kernel says none */
	if (!hv_fact_ok(&d->config_fact))
		return SRIOV_UNKNOWN;
	if (d->extended_visible)
		return SRIOV_NO;	/* the capability list was there to walk */
	/* a conventional PCI device (capability list seen, no PCIe
	 * capability) has no extended space at all */
	if (d->config_len > 64 && !d->is_pcie)
		return SRIOV_NO;
	return SRIOV_UNKNOWN;
}

static int
total_vfs(const struct hv_pci_dev *d)
{
	const struct hv_sriov *s = d->sriov;

	if (!s)
		return -1;
	if (s->sysfs_totalvfs >= 0)
		return s->sysfs_totalvfs;
	return hv_fact_ok(&s->cap_fact) ? s->total_vfs : -1;
}

/* VFs enabled now: sysfs, else the capability's NumVFs with VF Enable. */
static int
enabled_vfs(const struct hv_pci_dev *d)
{
	const struct hv_sriov *s = d->sriov;

	if (!s)
		return -1;
	if (s->sysfs_numvfs >= 0)
		return s->sysfs_numvfs;
	if (hv_fact_ok(&s->cap_fact))
		return s->vf_enable ? s->num_vfs : 0;
	return -1;
}

/* Can d offer n VFs (or is its total not known)? */
static bool
offers(const struct hv_pci_dev *d, uint32_t n)
{
	int t = total_vfs(d);

	return t < 0 || (uint32_t)t >= n;
}

static int
evidence_pf(struct hv_finding *f, const struct hv_pci_dev *d, bool numvfs)
{
	const struct hv_sriov *s = d->sriov;
	_cleanup_free_ char *path = NULL;

	if (!s)
		return 0;
	if (numvfs && s->sysfs_numvfs >= 0) {
		path = hv_asprintf("sys/bus/pci/devices/%s/sriov_numvfs", d->addr);
		if (!path)
			return -ENOMEM;
		TRY(hv_finding_evidence(f, path, "%d", s->sysfs_numvfs));
		free(path);
		path = NULL;
	}
	if (s->sysfs_totalvfs >= 0) {
		path = hv_asprintf("sys/bus/pci/devices/%s/sriov_totalvfs", d->addr);
		if (!path)
			return -ENOMEM;
		TRY(hv_finding_evidence(f, path, "%d", s->sysfs_totalvfs));
		free(path);
		path = NULL;
	}
	if (hv_fact_ok(&s->cap_fact)) {
		path = hv_asprintf("sys/bus/pci/devices/%s/config", d->addr);
		if (!path)
			return -ENOMEM;
		TRY(hv_finding_evidence(f, path, "SR-IOV capability at 0x%x: TotalVFs %u, "
					"NumVFs %u, VF Enable %d, VF device %04x",
					s->cap_offset, s->total_vfs, s->num_vfs,
					s->vf_enable, s->vf_device_id));
	}
	return 0;
}

static int
eval_sriov_capable(const struct hv_host *h, const struct hv_params *p,
		   struct hv_finding *f)
{
	struct pci_filter flt = { 0 };
	struct hv_strv pfs = { 0 };
	size_t matched = 0, n_unknown = 0, n_pf = 0;
	const struct hv_pci_dev *first_unknown = NULL;
	_cleanup_free_ char *ft = NULL, *list = NULL, *reason = NULL;
	int r = 0;

	filter_init(&flt, p);
	ft = filter_text(&flt);
	if (!ft)
		return -ENOMEM;
	TRY(hv_finding_expected(f, "an SR-IOV capable PF%s%s", ft[0] ? " of " : "", ft));
	if (!hv_fact_ok(&h->pci.fact))
		return hv_finding_unknown_from_fact(f, &h->pci.fact, "The PCI devices");

	for (size_t i = 0; i < h->pci.n_devs; i++) {
		const struct hv_pci_dev *d = &h->pci.devs[i];

		if (d->physfn || !filter_match(&flt, d))
			continue;
		matched++;
		switch (sriov_capable(d)) {
		case SRIOV_YES:
			if (n_pf < MAX_LISTED) {
				int t = total_vfs(d);
				char *l = t >= 0
					? hv_asprintf("%s (%04x:%04x, %d VFs)", d->addr,
						      d->vendor_id, d->device_id, t)
					: hv_asprintf("%s (%04x:%04x)", d->addr,
						      d->vendor_id, d->device_id);

				if (!l || hv_strv_push(&pfs, l) < 0) {
					r = -ENOMEM;
					goto out;
				}
			}
			if (n_pf < MAX_DEV_EVIDENCE) {
				r = evidence_pf(f, d, false);
				if (r < 0)
					goto out;
			}
			n_pf++;
			break;
		case SRIOV_UNKNOWN:
			if (!first_unknown)
				first_unknown = d;
			n_unknown++;
			break;
		case SRIOV_NO:
			break;
		}
	}

	if (n_pf > 0) {
		list = hv_strv_join(&pfs, ", ");
		if (!list) {
			r = -ENOMEM;
			goto out;
		}
		r = hv_finding_observed(f, "%zu SR-IOV PF%s: %s%s", n_pf,
					n_pf == 1 ? "" : "s", list,
					n_pf > MAX_LISTED ? ", ..." : "");
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "SR-IOV capable PF%s found: %s%s.",
					   n_pf == 1 ? "" : "s", list,
					   n_pf > MAX_LISTED ? ", ..." : "");
		goto out;
	}
	if (n_unknown > 0) {
		_cleanup_free_ char *path = hv_asprintf("sys/bus/pci/devices/%s/config",
							first_unknown->addr);

		reason = hv_fact_ok(&first_unknown->config_fact)
			? hv_asprintf("only %zu bytes of config space are visible (needs "
				      "root)", first_unknown->config_len)
			: hv_fact_reason(&first_unknown->config_fact);
		if (!reason || !path) {
			r = -ENOMEM;
			goto out;
		}
		r = hv_finding_evidence(f, path, "%s", reason);
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_UNKNOWN,
					   "No SR-IOV capable PF was found, but %zu matching "
					   "device%s could not be told (%s: %s).", n_unknown,
					   n_unknown == 1 ? "" : "s", first_unknown->addr,
					   reason);
		if (r >= 0)
			r = hv_finding_observed(f, "unknown (%s)", reason);
		goto out;
	}
	r = hv_finding_observed(f, "%zu matching device%s, none SR-IOV capable",
				matched, matched == 1 ? "" : "s");
	if (r < 0)
		goto out;
	if (matched == 0)
		r = hv_finding_set(f, HV_STATUS_FAIL, "No PCI device%s%s is present.",
				   ft[0] ? " of " : "", ft);
	else
		r = hv_finding_set(f, HV_STATUS_FAIL,
				   "None of the %zu PCI device%s%s%s is an SR-IOV capable "
				   "PF.", matched, matched == 1 ? "" : "s",
				   ft[0] ? " of " : "", ft);
	if (r < 0)
		goto out;
	if (host_guest(h) == HV_TRI_YES)
		r = hv_finding_remedy(f,
			"Virtual devices (virtio-net, e1000) offer no SR-IOV: pass an SR-IOV "
			"PF or its VFs through to this guest from the host, or run the "
			"SR-IOV workload on the host.");
	else
		r = hv_finding_remedy(f,
			"SR-IOV needs a capable device (e.g. Intel 82576, X710, E810, "
			"NVIDIA/Mellanox ConnectX) with SR-IOV enabled in the firmware setup "
			"(\"SR-IOV Support\", often under PCI or Chipset settings) and, for "
			"some NICs, in the NIC's own firmware (mlxconfig set SRIOV_EN=1 "
			"NUM_OF_VFS=N on ConnectX); then reboot.");
out:
	hv_strv_clear(&pfs);
	return r;
}

static int
vfs_remedy(struct hv_finding *f, const struct hv_pci_dev *d, uint32_t want)
{
	int cur = enabled_vfs(d), tot = total_vfs(d);
	const char *a = d->addr;

	if (!d->sriov || d->sriov->sysfs_numvfs < 0)
		return hv_finding_remedy(f,
			"The kernel did not set up SR-IOV on %s (no sriov_numvfs): enable "
			"SR-IOV in the firmware setup; if dmesg shows \"not enough MMIO "
			"resources for SR-IOV\", boot with pci=realloc.", a);
	if (tot >= 0 && (uint32_t)tot < want)
		return hv_finding_remedy(f,
			"%s supports at most %d VFs, fewer than %u: lower min_vfs or use "
			"a device with more VFs (its firmware may also cap NUM_OF_VFS).",
			a, tot, want);
	if (!d->driver)
		return hv_finding_remedy(f,
			"Bind the PF's driver first (no driver is bound to %s), then echo "
			"%u > /sys/bus/pci/devices/%s/sriov_numvfs; persist it with a udev "
			"rule: ACTION==\"bind\", SUBSYSTEM==\"pci\", KERNEL==\"%s\", "
			"ATTR{sriov_numvfs}=\"%u\" in /etc/udev/rules.d/70-sriov.rules.",
			a, want, a, a, want);
	if (cur > 0)
		return hv_finding_remedy(f,
			"echo 0 > /sys/bus/pci/devices/%s/sriov_numvfs, then echo %u > "
			"/sys/bus/pci/devices/%s/sriov_numvfs (the kernel refuses to "
			"change a non-zero count directly); persist it with a udev rule: "
			"ACTION==\"bind\", SUBSYSTEM==\"pci\", KERNEL==\"%s\", "
			"ATTR{sriov_numvfs}=\"%u\" in /etc/udev/rules.d/70-sriov.rules.",
			a, want, a, a, want);
	return hv_finding_remedy(f,
		"echo %u > /sys/bus/pci/devices/%s/sriov_numvfs; persist it with a "
		"udev rule: ACTION==\"bind\", SUBSYSTEM==\"pci\", KERNEL==\"%s\", "
		"ATTR{sriov_numvfs}=\"%u\" in /etc/udev/rules.d/70-sriov.rules.",
		want, a, a, want);
}

static int
eval_sriov_vfs(const struct hv_host *h, const struct hv_params *p,
	       struct hv_finding *f)
{
	struct pci_filter flt = { 0 };
	struct hv_strv seen = { 0 };
	const struct hv_pci_dev *good = NULL, *cand = NULL;
	size_t n_pf = 0, n_unknown = 0;
	uint32_t min = 1;
	bool have_min = false;
	_cleanup_free_ char *ft = NULL, *list = NULL;
	int r;

	r = param_uint(p, sriov_vfs_params, "min_vfs", f, &have_min, &min);
	if (r == -EINVAL)
		return 0;
	TRY(r);
	if (!have_min)
		min = 1;
	filter_init(&flt, p);
	ft = filter_text(&flt);
	if (!ft)
		return -ENOMEM;
	TRY(hv_finding_expected(f, "a PF%s%s with at least %u VF%s enabled",
				ft[0] ? " of " : "", ft, min, min == 1 ? "" : "s"));
	if (!hv_fact_ok(&h->pci.fact))
		return hv_finding_unknown_from_fact(f, &h->pci.fact, "The PCI devices");

	for (size_t i = 0; i < h->pci.n_devs; i++) {
		const struct hv_pci_dev *d = &h->pci.devs[i];
		int n;

		if (d->physfn || !filter_match(&flt, d) ||
		    sriov_capable(d) != SRIOV_YES)
			continue;
		n = enabled_vfs(d);
		if (n_pf < MAX_DEV_EVIDENCE) {
			r = evidence_pf(f, d, true);
			if (r < 0)
				goto out;
		}
		n_pf++;
		if (n < 0) {
			n_unknown++;
		} else if (seen.n < MAX_LISTED) {
			int t = total_vfs(d);
			char *l = t >= 0 ? hv_asprintf("%s: %d of %d", d->addr, n, t)
					 : hv_asprintf("%s: %d", d->addr, n);

			if (!l || hv_strv_push(&seen, l) < 0) {
				r = -ENOMEM;
				goto out;
			}
		}
		if (n >= 0 && (uint32_t)n >= min && !good)
			good = d;
		/* the PF to fix: the first that can offer min VFs, else the first */
		if (n >= 0 && (!cand || (!offers(cand, min) && offers(d, min))))
			cand = d;
	}
	list = seen.n ? hv_strv_join(&seen, ", ") : strdup("");
	if (!list) {
		r = -ENOMEM;
		goto out;
	}
	if (good) {
		r = hv_finding_observed(f, "VFs enabled: %s%s", list,
					n_pf > MAX_LISTED ? ", ..." : "");
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_PASS,
					   "%s has %d VF%s enabled (at least %u wanted).",
					   good->addr, enabled_vfs(good),
					   enabled_vfs(good) == 1 ? "" : "s", min);
		goto out;
	}
	if (n_pf == 0) {
		r = hv_finding_observed(f, "no SR-IOV capable PF%s%s", ft[0] ? " of " : "",
					ft);
		if (r >= 0)
			r = hv_finding_set(f, HV_STATUS_FAIL, "There is no SR-IOV capable "
					   "PF%s%s to enable VFs on.", ft[0] ? " of " : "", ft);
		goto out;
	}
	if (n_unknown > 0) {
		r = unknown(f, NULL, "How many VFs are enabled",
			    "neither sriov_numvfs nor the SR-IOV capability could be read");
		goto out;
	}
	r = hv_finding_observed(f, "VFs enabled: %s%s", list,
				n_pf > MAX_LISTED ? ", ..." : "");
	if (r >= 0)
		r = hv_finding_set(f, HV_STATUS_FAIL,
				   "No SR-IOV PF%s%s has %u VF%s enabled (%s).",
				   ft[0] ? " of " : "", ft, min, min == 1 ? "" : "s", list);
	if (r >= 0 && cand)
		r = vfs_remedy(f, cand, min);
out:
	hv_strv_clear(&seen);
	return r;
}

/* ---- the table -------------------------------------------------------------- */

static const char *const dep_virt_extensions[] = { "cpu.virt_extensions", NULL };
static const char *const dep_iommu_enabled[] = { "iommu.enabled", NULL };
static const char *const dep_sriov_capable[] = { "sriov.capable", NULL };

const struct hv_check hv_checks[] = {
	{
		.id = "cpu.virt_extensions",
		.area = "cpu",
		.title = "CPU virtualization extensions (VMX or SVM)",
		.description =
			"Hardware-assisted virtualization needs the CPU's virtualization "
			"extensions: VMX (Intel VT-x) or SVM (AMD-V), reported by CPUID "
			"(leaf 1 ECX bit 5, leaf 0x80000001 ECX bit 2). Without them KVM "
			"cannot run guests at all. In a virtual machine they appear only "
			"when the hypervisor exposes nested virtualization.",
		.remedy =
			"Use a CPU with Intel VT-x or AMD-V. In a guest, enable nested "
			"virtualization on the host (kvm_intel/kvm_amd nested=1) and give "
			"the guest the host CPU model (QEMU -cpu host, libvirt "
			"host-passthrough).",
		.evaluate = eval_virt_extensions,
	},
	{
		.id = "cpu.virt_enabled",
		.area = "cpu",
		.title = "Virtualization enabled by firmware",
		.description =
			"A CPU can have VMX or SVM and still have it disabled by the "
			"firmware: Intel firmware locks IA32_FEAT_CTL with VMX off, AMD "
			"firmware sets VM_CR.SVMDIS. The kernel then leaves vmx or svm out "
			"of its CPU flags in /proc/cpuinfo, and KVM refuses to load "
			"(\"disabled by bios\").",
		.remedy =
			"Enable Intel Virtualization Technology (VT-x) or AMD SVM Mode in "
			"the firmware setup, save, and power-cycle the host.",
		.depends = dep_virt_extensions,
		.evaluate = eval_virt_enabled,
	},
	{
		.id = "cpu.ept_npt",
		.area = "cpu",
		.title = "Second-level address translation (EPT or NPT)",
		.description =
			"EPT (Intel, with unrestricted guest) and NPT (AMD) let the CPU "
			"translate guest memory in hardware. Without them KVM keeps shadow "
			"page tables, trapping every guest page-table change: guests run "
			"much slower, and Intel CPUs without unrestricted guest must "
			"emulate real mode.",
		.remedy =
			"Use a CPU with EPT (Intel Nehalem or later) or NPT (AMD Barcelona "
			"or later); keep the kvm_intel ept / kvm_amd npt parameters on; in "
			"a guest, give it the host CPU model.",
		.depends = dep_virt_extensions,
		.evaluate = eval_ept_npt,
	},
	{
		.id = "cpu.guest",
		.area = "cpu",
		.title = "Bare metal (not a virtual machine)",
		.description =
			"A host that is itself a virtual machine (CPUID hypervisor bit set, "
			"with the hypervisor's vendor id) can run KVM only nested, and can "
			"pass devices through only when its hypervisor gives it a virtual "
			"IOMMU. Its hardware facts describe the virtual machine, not the "
			"physical host.",
		.remedy =
			"Run KVM hosts on bare metal, or give the guest nested "
			"virtualization and a virtual IOMMU from its hypervisor.",
		.evaluate = eval_guest,
	},
	{
		.id = "kvm.usable",
		.area = "kvm",
		.title = "KVM usable (/dev/kvm from kvm_intel or kvm_amd)",
		.description =
			"QEMU and libvirt drive KVM through /dev/kvm, which must be "
			"registered by a hardware-assisted KVM module (kvm_intel or "
			"kvm_amd) and answer KVM_GET_API_VERSION with 12. A /dev/kvm "
			"provided by another module, such as kvm_pvm, runs guests without "
			"the CPU's virtualization extensions.",
		.remedy =
			"Load kvm_intel or kvm_amd (modprobe kvm_intel) with VT-x or SVM "
			"enabled in the firmware; in a guest, enable nested virtualization "
			"on the host first.",
		.evaluate = eval_kvm_usable,
	},
	{
		.id = "iommu.acpi",
		.area = "iommu",
		.title = "IOMMU described by firmware (DMAR, IVRS, VIOT, IORT)",
		.description =
			"The kernel finds an IOMMU only where the firmware describes one: "
			"a DMAR table (Intel VT-d), IVRS (AMD-Vi), VIOT (virtio-iommu) or "
			"IORT (Arm SMMU). Without it there is no DMA or interrupt "
			"remapping, so no device can be assigned to a guest safely.",
		.remedy =
			"Enable VT-d (Intel) or the IOMMU / AMD-Vi (AMD) in the firmware "
			"setup; in a guest, give it a virtual IOMMU (QEMU -device "
			"intel-iommu or virtio-iommu-pci).",
		.evaluate = eval_iommu_acpi,
	},
	{
		.id = "iommu.enabled",
		.area = "iommu",
		.title = "IOMMU enabled in the kernel",
		.description =
			"An IOMMU described by firmware still has to be turned on by the "
			"kernel, which then registers its units in /sys/class/iommu and "
			"puts devices into IOMMU groups. The Intel IOMMU is off by default "
			"unless the kernel was built with CONFIG_INTEL_IOMMU_DEFAULT_ON; "
			"the AMD IOMMU is on by default. IOMMU group links without a unit "
			"behind them are no IOMMU.",
		.remedy =
			"Intel: add intel_iommu=on to the kernel command line. AMD: remove "
			"amd_iommu=off or iommu=off. Then regenerate the boot configuration "
			"and reboot.",
		.evaluate = eval_iommu_enabled,
	},
	{
		.id = "iommu.mode",
		.area = "iommu",
		.title = "IOMMU mode (translated or passthrough)",
		.description =
			"With iommu=pt (or iommu.passthrough=1, or a kernel built with "
			"CONFIG_IOMMU_DEFAULT_PASSTHROUGH) the IOMMU identity-maps host "
			"devices: they can reach all memory by DMA and are not isolated "
			"from each other, although devices assigned to guests through VFIO "
			"still are. Translated mode isolates every device.",
		.remedy =
			"For isolation of host devices, remove iommu=pt and "
			"iommu.passthrough=1 from the kernel command line; for "
			"passthrough, add iommu=pt.",
		.params = iommu_mode_params,
		.depends = dep_iommu_enabled,
		.evaluate = eval_iommu_mode,
	},
	{
		.id = "kernel.iommu_params",
		.area = "kernel",
		.title = "IOMMU kernel parameters valid and not self-defeating",
		.description =
			"IOMMU parameters are easy to get wrong: amd_iommu=on is not a "
			"value the kernel accepts (the AMD IOMMU is on by default), "
			"intel_iommu=off, amd_iommu=off and iommu=off turn the IOMMU off, "
			"intremap=off and pcie_acs_override give up isolation, and the "
			"other vendor's parameter has no effect. They are judged as the "
			"kernel parses them, option by option.",
		.remedy =
			"Remove the parameters the kernel does not accept or that turn "
			"isolation off, regenerate the boot configuration, and reboot.",
		.evaluate = eval_iommu_params,
	},
	{
		.id = "kernel.vfio",
		.area = "kernel",
		.title = "vfio-pci available",
		.description =
			"Devices are assigned to guests through vfio-pci, with the VFIO "
			"type1 or iommufd backend. The vfio_pci module must be loaded, "
			"built in, or at least installed for the running kernel so that "
			"binding a device can load it.",
		.remedy =
			"modprobe vfio-pci, and load it at boot with /etc/modules-load.d/; "
			"install the distribution's extra kernel modules if it is missing.",
		.evaluate = eval_vfio,
	},
	{
		.id = "kernel.hugepages",
		.area = "kernel",
		.title = "Hugepages reserved",
		.description =
			"Guests backed by hugepages (2 MB or 1 GB) take fewer TLB misses "
			"and their memory cannot be swapped or fragmented away; DPDK and "
			"other fast-path networking need them. They must be reserved, "
			"best at boot for 1 GB pages.",
		.remedy =
			"Reserve hugepages with hugepages=N (and hugepagesz, "
			"default_hugepagesz) on the kernel command line, or "
			"vm.nr_hugepages in /etc/sysctl.d/.",
		.params = hugepages_params,
		.evaluate = eval_hugepages,
	},
	{
		.id = "sriov.capable",
		.area = "pci",
		.title = "SR-IOV capable devices present",
		.description =
			"SR-IOV lets one physical function (PF) present many virtual "
			"functions (VFs), each assignable to a guest. A PF is capable when "
			"its config space has the SR-IOV extended capability or sysfs "
			"shows sriov_totalvfs above zero. The extended config space is "
			"readable only by root.",
		.remedy =
			"Install an SR-IOV capable device and enable SR-IOV in the "
			"firmware setup (and in the NIC's firmware where it has a switch).",
		.params = sriov_capable_params,
		.evaluate = eval_sriov_capable,
	},
	{
		.id = "sriov.vfs_enabled",
		.area = "pci",
		.title = "SR-IOV virtual functions enabled",
		.description =
			"VFs exist only once enabled by writing their number to the PF's "
			"sriov_numvfs. The count does not survive a reboot unless "
			"something (a udev rule, the network manager) writes it again.",
		.remedy =
			"echo N > /sys/bus/pci/devices/ADDR/sriov_numvfs (through 0 when "
			"changing a non-zero count), and persist it with a udev rule.",
		.params = sriov_vfs_params,
		.depends = dep_sriov_capable,
		.evaluate = eval_sriov_vfs,
	},
};
const size_t hv_n_checks = HV_ELEMENTSOF(hv_checks);

const struct hv_check *
hv_check_find(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < hv_n_checks; i++)
		if (strcmp(hv_checks[i].id, id) == 0)
			return &hv_checks[i];
	return NULL;
}

const struct hv_area hv_areas[] = {
	{ "cpu", "CPU" },
	{ "kvm", "KVM" },
	{ "iommu", "IOMMU" },
	{ "kernel", "Kernel" },
	{ "pci", "PCI and SR-IOV" },
};
const size_t hv_n_areas = HV_ELEMENTSOF(hv_areas);

const char *
hv_area_title(const char *id)
{
	for (size_t i = 0; i < hv_n_areas; i++)
		if (hv_streq(hv_areas[i].id, id))
			return hv_areas[i].title;
	return id;
}
