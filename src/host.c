/*
 * host.c -- the inventory's lifetime, facts, diagnostics, look-ups, and the
 * table of probes.
 */
#include <stdio.h>

#include "hv-probe.h"

/* ---- facts ------------------------------------------------------------ */

static int
fact_set(struct hv_fact *f, enum hv_fact_state state, const char *source,
	 int err, char *msg)
{
	char *src = NULL;

	if (source) {
		src = strdup(source);
		if (!src) {
			free(msg);
			return -ENOMEM;
		}
	}
	hv_fact_clear(f);
	f->state = state;
	f->source = src;
	f->err = err > 0 ? -err : err;
	f->msg = msg;
	return 0;
}

int
hv_fact_set_ok(struct hv_fact *f, const char *source)
{
	return fact_set(f, HV_FACT_OK, source, 0, NULL);
}

int
hv_fact_set_absent(struct hv_fact *f, const char *source)
{
	return fact_set(f, HV_FACT_ABSENT, source, -ENOENT, NULL);
}

int
hv_fact_set_unknown(struct hv_fact *f, const char *source, int err)
{
	return fact_set(f, HV_FACT_UNKNOWN, source, err, NULL);
}

int
hv_fact_set_invalid(struct hv_fact *f, const char *source, int err,
		    const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		msg = hv_vasprintf(fmt, ap);
		va_end(ap);
		if (!msg)
			return -ENOMEM;
	}
	return fact_set(f, HV_FACT_INVALID, source, err ? err : -EBADMSG, msg);
}

int
hv_fact_set_from_errno(struct hv_fact *f, const char *source, int r)
{
	if (r >= 0)
		return hv_fact_set_ok(f, source);
	if (r == -ENOENT || r == -ENOTDIR)
		return hv_fact_set_absent(f, source);
	if (r == -ENOMEM)
		return -ENOMEM;
	return hv_fact_set_unknown(f, source, r);
}

void
hv_fact_clear(struct hv_fact *f)
{
	if (!f)
		return;
	free(f->source);
	free(f->msg);
	*f = (struct hv_fact){ 0 };
}

const char *
hv_fact_state_to_string(enum hv_fact_state s)
{
	switch (s) {
	case HV_FACT_OK:
		return "ok";
	case HV_FACT_ABSENT:
		return "absent";
	case HV_FACT_UNKNOWN:
		return "unknown";
	case HV_FACT_INVALID:
		return "invalid";
	case HV_FACT_UNPROBED:
		break;
	}
	return "unprobed";
}

char *
hv_fact_reason(const struct hv_fact *f)
{
	switch (f->state) {
	case HV_FACT_OK:
		return strdup("read");
	case HV_FACT_ABSENT:
		return strdup("not present");
	case HV_FACT_UNKNOWN:
		if (f->msg)
			return strdup(f->msg);
		if (f->err == -EACCES || f->err == -EPERM)
			return hv_asprintf("%s (needs root)",
					   hv_strerror(f->err));
		return strdup(hv_strerror(f->err));
	case HV_FACT_INVALID:
		if (f->msg)
			return strdup(f->msg);
		return strdup(hv_strerror(f->err));
	case HV_FACT_UNPROBED:
		break;
	}
	return strdup("not probed");
}

/* ---- the host --------------------------------------------------------- */

struct hv_host *
hv_host_new(void)
{
	struct hv_host *host = calloc(1, sizeof(*host));

	if (!host)
		return NULL;
	memcpy(host->acpi.dmar.signature, "DMAR", 5);
	memcpy(host->acpi.ivrs.signature, "IVRS", 5);
	memcpy(host->acpi.viot.signature, "VIOT", 5);
	memcpy(host->acpi.iort.signature, "IORT", 5);
	host->kernel.kvm_api_version = -1;
	return host;
}

static void
cpu_clear(struct hv_cpu *cpu)
{
	hv_fact_clear(&cpu->cpuid);
	for (size_t i = 0; i < cpu->n_types; i++) {
		free(cpu->types[i].cpus);
		hv_cpuid_dump_clear(&cpu->types[i].cpuid);
	}
	free(cpu->types);
	hv_fact_clear(&cpu->cpuinfo);
	free(cpu->model_name);
	free(cpu->microcode);
	hv_strv_clear(&cpu->flags);
	hv_strv_clear(&cpu->vmx_flags);
	hv_fact_clear(&cpu->numa);
}

static void
kparams_free(struct hv_kparam *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].key);
		free(p[i].value);
	}
	free(p);
}

static void
kernel_clear(struct hv_kernel *k)
{
	hv_fact_clear(&k->release_fact);
	free(k->release);
	hv_fact_clear(&k->hostname_fact);
	free(k->hostname);
	hv_fact_clear(&k->cmdline_fact);
	free(k->cmdline_raw);
	hv_cmdline_clear(&k->cmdline);
	hv_fact_clear(&k->modules_fact);
	for (size_t i = 0; i < k->n_modules; i++) {
		free(k->modules[i].name);
		kparams_free(k->modules[i].params, k->modules[i].n_params);
	}
	free(k->modules);
	hv_fact_clear(&k->modules_index_fact);
	hv_fact_clear(&k->dev_kvm_fact);
	hv_fact_clear(&k->hugepages_fact);
	free(k->hugepages);
}

static void
acpi_table_clear(struct hv_acpi_table *t)
{
	hv_fact_clear(&t->fact);
	free(t->data);
	t->data = NULL;
}

static void
iommu_clear(struct hv_iommu *io)
{
	hv_fact_clear(&io->units_fact);
	for (size_t i = 0; i < io->n_units; i++) {
		free(io->units[i].name);
		free(io->units[i].kind);
		hv_strv_clear(&io->units[i].devices);
	}
	free(io->units);
	hv_fact_clear(&io->groups_fact);
	for (size_t i = 0; i < io->n_groups; i++) {
		free(io->groups[i].type);
		hv_strv_clear(&io->groups[i].devices);
	}
	free(io->groups);
	free(io->state_reason);
}

static void
pci_dev_clear(struct hv_pci_dev *d)
{
	free(d->vendor_name);
	free(d->device_name);
	free(d->class_name);
	free(d->driver);
	free(d->physfn);
	hv_fact_clear(&d->config_fact);
	hv_fact_clear(&d->caps_fact);
	hv_fact_clear(&d->ext_caps_fact);
	if (d->sriov) {
		hv_fact_clear(&d->sriov->cap_fact);
		hv_strv_clear(&d->sriov->vfs);
		free(d->sriov);
	}
}

static void
firmware_clear(struct hv_firmware *fw)
{
	struct hv_dmi *d = &fw->dmi;

	hv_fact_clear(&d->fact);
	free(d->bios_vendor);
	free(d->bios_version);
	free(d->bios_date);
	free(d->bios_release);
	free(d->sys_vendor);
	free(d->product_name);
	free(d->product_version);
	free(d->product_family);
	free(d->board_vendor);
	free(d->board_name);
	free(d->board_version);
	free(d->chassis_vendor);
	hv_fact_clear(&fw->efi_fact);
	hv_fw_versions_clear(&fw->versions);
}

void
hv_host_free(struct hv_host *host)
{
	if (!host)
		return;
	free(host->root);
	hv_fact_clear(&host->capture.fact);
	free(host->capture.created);
	free(host->capture.hostname);
	free(host->capture.hwvirt_version);
	cpu_clear(&host->cpu);
	kernel_clear(&host->kernel);
	hv_fact_clear(&host->acpi.tables_fact);
	acpi_table_clear(&host->acpi.dmar);
	acpi_table_clear(&host->acpi.ivrs);
	acpi_table_clear(&host->acpi.viot);
	acpi_table_clear(&host->acpi.iort);
	hv_acpi_decoded_clear(&host->acpi.decoded);
	iommu_clear(&host->iommu);
	hv_fact_clear(&host->pci.fact);
	for (size_t i = 0; i < host->pci.n_devs; i++)
		pci_dev_clear(&host->pci.devs[i]);
	free(host->pci.devs);
	firmware_clear(&host->firmware);
	hv_vdevs_clear(&host->vdevs);
	hv_isolation_clear(&host->isolation);
	hv_gpus_clear(&host->gpus);
	hv_cc_clear(&host->cc);
	for (size_t i = 0; i < host->n_diags; i++) {
		free(host->diags[i].path);
		free(host->diags[i].msg);
	}
	free(host->diags);
	free(host);
}

int
hv_host_diag(struct hv_host *host, bool bad_input, const char *path,
	     unsigned line, int err, const char *fmt, ...)
{
	struct hv_diag *d;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = hv_vasprintf(fmt, ap);
	va_end(ap);
	if (!msg)
		return -ENOMEM;
	if (HV_GROW(host->diags, host->diags_cap, host->n_diags + 1) < 0) {
		free(msg);
		return -ENOMEM;
	}
	d = &host->diags[host->n_diags];
	d->path = hv_strdup(path);
	if (path && !d->path) {
		free(msg);
		return -ENOMEM;
	}
	d->line = line;
	d->err = err > 0 ? -err : err;
	d->msg = msg;
	d->bad_input = bad_input;
	host->n_diags++;
	return 0;
}

/* ---- look-ups --------------------------------------------------------- */

const struct hv_pci_dev *
hv_host_pci_dev(const struct hv_host *host, const char *addr)
{
	size_t lo = 0, hi = host->pci.n_devs;

	/* devices are sorted by address */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(host->pci.devs[mid].addr, addr);

		if (c == 0)
			return &host->pci.devs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct hv_module *
hv_host_module(const struct hv_host *host, const char *name)
{
	for (size_t i = 0; i < host->kernel.n_modules; i++)
		if (strcmp(host->kernel.modules[i].name, name) == 0)
			return &host->kernel.modules[i];
	return NULL;
}

const char *
hv_module_param(const struct hv_module *m, const char *key)
{
	if (!m)
		return NULL;
	for (size_t i = 0; i < m->n_params; i++)
		if (strcmp(m->params[i].key, key) == 0)
			return m->params[i].value;
	return NULL;
}

bool
hv_cpu_has_flag(const struct hv_cpu *cpu, const char *flag)
{
	return hv_strv_contains(&cpu->flags, flag);
}

bool
hv_cpu_has_vmx_flag(const struct hv_cpu *cpu, const char *flag)
{
	return hv_strv_contains(&cpu->vmx_flags, flag);
}

/* parameq() of kernel/params.c: '-' and '_' are the same in a name. */
bool
hv_cmdline_parameq(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (;; a++, b++) {
		char ca = *a == '-' ? '_' : *a;
		char cb = *b == '-' ? '_' : *b;

		if (ca != cb)
			return false;
		if (ca == '\0')
			return true;
	}
}

const char *
hv_cmdline_get(const struct hv_cmdline *c, const char *key, bool *ret_present)
{
	const char *v = NULL;
	bool present = false;

	for (size_t i = 0; i < c->n_params; i++) {
		if (hv_cmdline_parameq(c->params[i].key, key)) {
			present = true;
			v = c->params[i].value;
		}
	}
	if (ret_present)
		*ret_present = present;
	return v;
}

const char *
hv_cpu_vendor_to_string(enum hv_cpu_vendor v)
{
	switch (v) {
	case HV_CPU_VENDOR_INTEL:
		return "intel";
	case HV_CPU_VENDOR_AMD:
		return "amd";
	case HV_CPU_VENDOR_HYGON:
		return "hygon";
	case HV_CPU_VENDOR_OTHER:
		return "other";
	case HV_CPU_VENDOR_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *
hv_iommu_state_to_string(enum hv_iommu_state s)
{
	switch (s) {
	case HV_IOMMU_STATE_ABSENT:
		return "absent";
	case HV_IOMMU_STATE_OFF:
		return "off";
	case HV_IOMMU_STATE_PASSTHROUGH:
		return "passthrough";
	case HV_IOMMU_STATE_TRANSLATED:
		return "translated";
	case HV_IOMMU_STATE_UNKNOWN:
		break;
	}
	return "unknown";
}

/* ---- probes ----------------------------------------------------------- */

const struct hv_probe hv_probes[] = {	/* table order = run order */
	{ "capture",   hv_capture_info_probe },
	{ "cpu",       hv_cpu_probe },
	{ "kernel",    hv_kernel_probe },
	{ "firmware",  hv_firmware_probe },
	{ "cc",        hv_cc_probe },		/* after cpu, kernel, firmware */
	{ "acpi",      hv_acpi_probe },
	{ "pci",       hv_pci_probe },
	{ "vdev",      hv_vdev_probe },		/* after pci */
	{ "gpu",       hv_gpu_probe },		/* after pci */
	{ "iommu",     hv_iommu_probe },	/* after acpi, kernel, pci */
	{ "iommu-map", hv_iommu_map_probe },	/* after iommu: device -> unit */
	{ "isolation", hv_isolation_probe },	/* after iommu-map, vdev */
};
const size_t hv_n_probes = HV_ELEMENTSOF(hv_probes);

int
hv_host_probe(struct hv_root *root, struct hv_host *host)
{
	host->live = hv_root_is_live(root);
	free(host->root);
	host->root = strdup(hv_root_path(root));
	if (!host->root)
		return -ENOMEM;
	for (size_t i = 0; i < hv_n_probes; i++) {
		int r = hv_probes[i].probe(root, host);

		if (r < 0)
			return r;
	}
	return 0;
}
