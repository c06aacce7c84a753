/*
 * writer-json.c -- the report model (a json-c tree built from struct
 * hv_report) and the JSON writer; also the string sanitizer every writer
 * shares.
 *
 * Shape (data/schema/report.schema.json has it exactly):
 *
 *   { "schema_version", "hwvirt_version", "command", "root", "live",
 *     "capture": null | { "facts", "created", "hostname", "hwvirt_version" },
 *     "host": { "cpu", "kernel", "firmware", "acpi", "iommu", "pci" },
 *     "audit": { "profiles", "verdict", "score", "summary", "findings" },
 *                                              (audit only)
 *     "diagnostics": [ { "path", "line", "errno", "message", "bad_input" } ] }
 *
 * Conventions, everywhere:
 *   - every struct hv_fact is an object { "status", "source" [, "reason",
 *     "errno"] } in the "facts" object of its section, keyed by its name;
 *   - a value whose fact is not "ok", an hv_tri UNKNOWN, or a sentinel
 *     (-1 NUMA node, 0 sockets, ...) is null: never a made-up value;
 *   - PCI ids and classes are lowercase hex without 0x ("8086", "020000"),
 *     as `lspci -n` prints them; registers are "0x" and 2, 4 or 8 hex
 *     digits by width, 64-bit values "0x" and 16; counts are numbers;
 *   - keys are in a fixed order; arrays keep the host's order (devices by
 *     address, groups by number, findings in check order).
 */
#include <inttypes.h>
#include <json.h>
#include <stdio.h>

#include "hv-writer.h"

/* ---- sanitizing ------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629, table 3-7 of
 * Unicode), or 0 if there is none. *ret_cp is the code point. */
static size_t
utf8_seq(const unsigned char *s, uint32_t *ret_cp)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;
	uint32_t cp;

	if (b < 0x80) {
		*ret_cp = b;
		return 1;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		n = 2;
		cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;		/* no overlong forms */
		else if (b == 0xed)
			hi = 0x9f;		/* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;
		else if (b == 0xf4)
			hi = 0x8f;		/* nothing above U+10FFFF */
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		unsigned char c = s[i];	/* the NUL ends a short sequence */

		if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf))
			return 0;
		cp = (cp << 6) | (c & 0x3f);
	}
	*ret_cp = cp;
	return n;
}

static bool
cp_allowed(uint32_t cp)
{
	if (cp == '\t' || cp == '\n')
		return true;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return false;		/* C0, DEL, C1 */
	return cp != 0xfffe && cp != 0xffff;
}

int
hv_writer_sanitize(const char *s, char **ret)
{
	static const char repl[] = "\xef\xbf\xbd";	/* U+FFFD */
	const unsigned char *p = (const unsigned char *)s;
	size_t len;
	char *out, *q;

	if (!s) {
		*ret = NULL;
		return 0;
	}
	len = strlen(s);
	if (len > (SIZE_MAX - 1) / 3)
		return -ENOMEM;
	out = malloc(3 * len + 1);	/* each byte becomes at most 3 */
	if (!out)
		return -ENOMEM;
	q = out;
	while (*p) {
		uint32_t cp;
		size_t n = utf8_seq(p, &cp);

		if (n > 0 && cp_allowed(cp)) {
			memcpy(q, p, n);
			q += n;
			p += n;
		} else {
			memcpy(q, repl, 3);
			q += 3;
			p += n > 0 ? n : 1;
		}
	}
	*q = '\0';
	*ret = out;
	return 0;
}

/* ---- building --------------------------------------------------------- */

/*
 * The builder keeps the first error; every helper is a no-op on a NULL
 * parent, so a section is written straight through and checked once.
 * A helper that returns NULL without setting err means JSON null.
 */
struct jb {
	int err;
};

static struct json_object *
jb_check(struct jb *b, struct json_object *o)
{
	if (!o && b->err == 0)
		b->err = -ENOMEM;
	return o;
}

static struct json_object *
j_obj(struct jb *b)
{
	return jb_check(b, json_object_new_object());
}

static struct json_object *
j_arr(struct jb *b)
{
	return jb_check(b, json_object_new_array());
}

/* A string from anywhere (host or not): sanitized. NULL -> null. */
static struct json_object *
j_str(struct jb *b, const char *s)
{
	_cleanup_free_ char *clean = NULL;

	if (!s)
		return NULL;
	if (hv_writer_sanitize(s, &clean) < 0) {
		jb_check(b, NULL);
		return NULL;
	}
	return jb_check(b, json_object_new_string(clean));
}

/* A fixed-size char array from the host: "" -> null. */
static struct json_object *
j_str_nonempty(struct jb *b, const char *s)
{
	return s && *s ? j_str(b, s) : NULL;
}

static struct json_object *
j_fmt(struct jb *b, const char *fmt, ...) _printf_(2, 3);

static struct json_object *
j_fmt(struct jb *b, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	s = hv_vasprintf(fmt, ap);
	va_end(ap);
	if (!s) {
		jb_check(b, NULL);
		return NULL;
	}
	return j_str(b, s);
}

static struct json_object *
j_int(struct jb *b, int64_t v)
{
	return jb_check(b, json_object_new_int64(v));
}

static struct json_object *
j_uint(struct jb *b, uint64_t v)
{
	return jb_check(b, json_object_new_uint64(v));
}

static struct json_object *
j_bool(struct jb *b, bool v)
{
	return jb_check(b, json_object_new_boolean(v));
}

static struct json_object *
j_tri(struct jb *b, enum hv_tri t)
{
	if (t == HV_TRI_UNKNOWN)
		return NULL;
	return j_bool(b, t == HV_TRI_YES);
}

static struct json_object *
j_reg8(struct jb *b, uint8_t v)
{
	return j_fmt(b, "0x%02x", v);
}

static struct json_object *
j_reg16(struct jb *b, uint16_t v)
{
	return j_fmt(b, "0x%04x", v);
}

static struct json_object *
j_reg32(struct jb *b, uint32_t v)
{
	return j_fmt(b, "0x%08" PRIx32, v);
}

static struct json_object *
j_reg64(struct jb *b, uint64_t v)
{
	return j_fmt(b, "0x%016" PRIx64, v);
}

/* A PCI id as `lspci -n` prints it. */
static struct json_object *
j_id16(struct jb *b, uint16_t v)
{
	return j_fmt(b, "%04x", v);
}

/* Add v (NULL: null) to object o under key. Takes v in every case. */
static void
j_set(struct jb *b, struct json_object *o, const char *key,
      struct json_object *v)
{
	if (!o) {
		json_object_put(v);
		return;
	}
	if (json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		jb_check(b, NULL);
	}
}

/* Append v to array a; a NULL v (an error already recorded) is skipped. */
static void
j_push(struct jb *b, struct json_object *a, struct json_object *v)
{
	if (!a || !v) {
		json_object_put(v);
		return;
	}
	if (json_object_array_add(a, v) < 0) {
		json_object_put(v);
		jb_check(b, NULL);
	}
}

static struct json_object *
j_strv(struct jb *b, const struct hv_strv *sv)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < sv->n; i++)
		j_push(b, a, j_str(b, sv->v[i]));
	return a;
}

/* ---- facts ------------------------------------------------------------ */

/* "EACCES" for -13; NULL for 0 or a number without a name. */
static const char *
errno_name(int err)
{
	if (err == 0)
		return NULL;
	return strerrorname_np(err < 0 ? -err : err);
}

static struct json_object *
j_fact(struct jb *b, const struct hv_fact *f)
{
	struct json_object *o = j_obj(b);

	j_set(b, o, "status", j_str(b, hv_fact_state_to_string(f->state)));
	j_set(b, o, "source", j_str(b, f->source));
	if (f->state != HV_FACT_OK) {
		_cleanup_free_ char *reason = hv_fact_reason(f);

		if (!reason)
			jb_check(b, NULL);
		j_set(b, o, "reason", j_str(b, reason));
		j_set(b, o, "errno", j_str(b, errno_name(f->err)));
	}
	return o;
}

/* ---- capture ---------------------------------------------------------- */

static struct json_object *
j_capture(struct jb *b, const struct hv_capture_info *c)
{
	bool ok = hv_fact_ok(&c->fact);
	struct json_object *o, *facts;

	if (c->fact.state == HV_FACT_UNPROBED)
		return NULL;	/* a live host: there is no capture to tell of */
	o = j_obj(b);
	facts = j_obj(b);
	j_set(b, facts, "capture", j_fact(b, &c->fact));
	j_set(b, o, "facts", facts);
	j_set(b, o, "created", ok ? j_str(b, c->created) : NULL);
	j_set(b, o, "hostname", ok ? j_str(b, c->hostname) : NULL);
	j_set(b, o, "hwvirt_version", ok ? j_str(b, c->hwvirt_version) : NULL);
	return o;
}

/* ---- cpu -------------------------------------------------------------- */

static struct json_object *
j_regs(struct jb *b, const struct hv_cpuid_regs *r)
{
	struct json_object *o = j_obj(b);

	j_set(b, o, "eax", j_reg32(b, r->eax));
	j_set(b, o, "ebx", j_reg32(b, r->ebx));
	j_set(b, o, "ecx", j_reg32(b, r->ecx));
	j_set(b, o, "edx", j_reg32(b, r->edx));
	return o;
}

static struct json_object *
j_cpu_types(struct jb *b, const struct hv_cpu *cpu)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < cpu->n_types; i++) {
		const struct hv_cpu_type *t = &cpu->types[i];
		struct json_object *o = j_obj(b), *leaves = j_arr(b);

		j_set(b, o, "cpus", j_str(b, t->cpus));
		j_set(b, o, "core_type",
		      t->core_type ? j_reg8(b, t->core_type) : NULL);
		for (size_t k = 0; leaves && k < t->cpuid.n_leaves; k++) {
			const struct hv_cpuid_leaf *l = &t->cpuid.leaves[k];
			struct json_object *lo = j_obj(b);

			j_set(b, lo, "leaf", j_reg32(b, l->leaf));
			j_set(b, lo, "subleaf", j_reg32(b, l->subleaf));
			j_set(b, lo, "eax", j_reg32(b, l->r.eax));
			j_set(b, lo, "ebx", j_reg32(b, l->r.ebx));
			j_set(b, lo, "ecx", j_reg32(b, l->r.ecx));
			j_set(b, lo, "edx", j_reg32(b, l->r.edx));
			j_push(b, leaves, lo);
		}
		j_set(b, o, "cpuid", leaves);
		j_push(b, a, o);
	}
	return a;
}

static struct json_object *
j_cpu(struct jb *b, const struct hv_cpu *cpu)
{
	bool id = hv_fact_ok(&cpu->cpuid);
	bool info = hv_fact_ok(&cpu->cpuinfo);
	bool numa = hv_fact_ok(&cpu->numa);
	struct json_object *o = j_obj(b), *facts = j_obj(b);

	j_set(b, facts, "cpuid", j_fact(b, &cpu->cpuid));
	j_set(b, facts, "cpuinfo", j_fact(b, &cpu->cpuinfo));
	j_set(b, facts, "numa", j_fact(b, &cpu->numa));
	j_set(b, o, "facts", facts);

	/* CPUID */
	j_set(b, o, "vendor",
	      id ? j_str(b, hv_cpu_vendor_to_string(cpu->vendor)) : NULL);
	j_set(b, o, "vendor_id", id ? j_str_nonempty(b, cpu->vendor_id) : NULL);
	j_set(b, o, "brand", id ? j_str_nonempty(b, cpu->brand) : NULL);
	j_set(b, o, "signature", id ? j_reg32(b, cpu->signature) : NULL);
	j_set(b, o, "family", id ? j_uint(b, cpu->family) : NULL);
	j_set(b, o, "model", id ? j_uint(b, cpu->model) : NULL);
	j_set(b, o, "stepping", id ? j_uint(b, cpu->stepping) : NULL);
	j_set(b, o, "max_leaf", id ? j_reg32(b, cpu->max_leaf) : NULL);
	j_set(b, o, "max_ext_leaf", id ? j_reg32(b, cpu->max_ext_leaf) : NULL);
	j_set(b, o, "vmx", id ? j_bool(b, cpu->vmx) : NULL);
	j_set(b, o, "svm", id ? j_bool(b, cpu->svm) : NULL);
	j_set(b, o, "hypervisor", id ? j_bool(b, cpu->hypervisor) : NULL);
	j_set(b, o, "hypervisor_id", id && cpu->hypervisor ?
	      j_str_nonempty(b, cpu->hypervisor_id) : NULL);
	j_set(b, o, "hybrid", id ? j_bool(b, cpu->hybrid) : NULL);
	j_set(b, o, "svm_leaf", id && cpu->have_svm_leaf ?
	      j_regs(b, &cpu->svm_leaf) : NULL);
	j_set(b, o, "sev_leaf", id && cpu->have_sev_leaf ?
	      j_regs(b, &cpu->sev_leaf) : NULL);
	j_set(b, o, "types", id ? j_cpu_types(b, cpu) : NULL);

	/* proc/cpuinfo */
	j_set(b, o, "model_name", info ? j_str(b, cpu->model_name) : NULL);
	j_set(b, o, "microcode", info ? j_str(b, cpu->microcode) : NULL);
	j_set(b, o, "logical_cpus", info && cpu->logical_cpus ?
	      j_uint(b, cpu->logical_cpus) : NULL);
	j_set(b, o, "sockets", info && cpu->sockets ?
	      j_uint(b, cpu->sockets) : NULL);
	j_set(b, o, "flags", info ? j_strv(b, &cpu->flags) : NULL);
	j_set(b, o, "vmx_flags", info ? j_strv(b, &cpu->vmx_flags) : NULL);

	/* sys/devices/system/node */
	j_set(b, o, "numa_nodes", numa && cpu->numa_nodes ?
	      j_uint(b, cpu->numa_nodes) : NULL);

	/* the kernel's view, else CPUID */
	j_set(b, o, "virt_enabled", j_tri(b, cpu->virt_enabled));
	j_set(b, o, "ept", j_tri(b, cpu->ept));
	j_set(b, o, "vpid", j_tri(b, cpu->vpid));
	j_set(b, o, "unrestricted_guest", j_tri(b, cpu->unrestricted_guest));
	j_set(b, o, "posted_interrupts", j_tri(b, cpu->posted_interrupts));
	j_set(b, o, "apicv", j_tri(b, cpu->apicv));
	j_set(b, o, "npt", j_tri(b, cpu->npt));
	j_set(b, o, "avic", j_tri(b, cpu->avic));
	return o;
}

/* ---- kernel ----------------------------------------------------------- */

static struct json_object *
j_kparams(struct jb *b, const struct hv_kparam *p, size_t n)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < n; i++) {
		struct json_object *o = j_obj(b);

		j_set(b, o, "key", j_str(b, p[i].key));
		j_set(b, o, "value", j_str(b, p[i].value));
		/* why a module parameter's value could not be read */
		j_set(b, o, "errno", p[i].value ? NULL :
		      j_str(b, errno_name(p[i].err)));
		j_push(b, a, o);
	}
	return a;
}

static struct json_object *
j_modules(struct jb *b, const struct hv_kernel *k)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < k->n_modules; i++) {
		const struct hv_module *m = &k->modules[i];
		struct json_object *o = j_obj(b);

		j_set(b, o, "name", j_str(b, m->name));
		j_set(b, o, "loaded", j_tri(b, m->loaded));
		j_set(b, o, "builtin", m->loaded == HV_TRI_YES ?
		      j_bool(b, m->builtin) : NULL);
		j_set(b, o, "available", j_tri(b, m->available));
		j_set(b, o, "params", j_kparams(b, m->params, m->n_params));
		j_push(b, a, o);
	}
	return a;
}

static struct json_object *
j_hugepages(struct jb *b, const struct hv_kernel *k)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < k->n_hugepages; i++) {
		struct json_object *o = j_obj(b);

		j_set(b, o, "size_kb", j_uint(b, k->hugepages[i].size_kb));
		j_set(b, o, "total", j_uint(b, k->hugepages[i].total));
		j_set(b, o, "free", j_uint(b, k->hugepages[i].free));
		j_push(b, a, o);
	}
	return a;
}

static struct json_object *
j_kernel(struct jb *b, const struct hv_kernel *k)
{
	bool cmd = hv_fact_ok(&k->cmdline_fact);
	bool hp = hv_fact_ok(&k->hugepages_fact);
	struct json_object *o = j_obj(b), *facts = j_obj(b);

	j_set(b, facts, "release", j_fact(b, &k->release_fact));
	j_set(b, facts, "hostname", j_fact(b, &k->hostname_fact));
	j_set(b, facts, "cmdline", j_fact(b, &k->cmdline_fact));
	j_set(b, facts, "modules", j_fact(b, &k->modules_fact));
	j_set(b, facts, "modules_index", j_fact(b, &k->modules_index_fact));
	j_set(b, facts, "dev_kvm", j_fact(b, &k->dev_kvm_fact));
	j_set(b, facts, "hugepages", j_fact(b, &k->hugepages_fact));
	j_set(b, o, "facts", facts);

	j_set(b, o, "release", hv_fact_ok(&k->release_fact) ?
	      j_str(b, k->release) : NULL);
	j_set(b, o, "hostname", hv_fact_ok(&k->hostname_fact) ?
	      j_str(b, k->hostname) : NULL);
	j_set(b, o, "cmdline", cmd ? j_str(b, k->cmdline_raw) : NULL);
	j_set(b, o, "cmdline_params", cmd ?
	      j_kparams(b, k->cmdline.params, k->cmdline.n_params) : NULL);
	j_set(b, o, "modules", hv_fact_ok(&k->modules_fact) ?
	      j_modules(b, k) : NULL);
	j_set(b, o, "dev_kvm", j_tri(b, k->dev_kvm));
	j_set(b, o, "dev_kvm_usable", j_tri(b, k->dev_kvm_usable));
	j_set(b, o, "kvm_api_version", k->kvm_api_version >= 0 ?
	      j_int(b, k->kvm_api_version) : NULL);
	j_set(b, o, "hugepages", hp ? j_hugepages(b, k) : NULL);
	j_set(b, o, "default_hugepage_kb", k->default_hugepage_kb ?
	      j_uint(b, k->default_hugepage_kb) : NULL);
	return o;
}

/* ---- firmware --------------------------------------------------------- */

static struct json_object *
j_firmware(struct jb *b, const struct hv_firmware *fw)
{
	const struct hv_dmi *d = &fw->dmi;
	const struct {
		const char *key;
		const char *value;
	} dmi_fields[] = {
		{ "bios_vendor",     d->bios_vendor },
		{ "bios_version",    d->bios_version },
		{ "bios_date",       d->bios_date },
		{ "bios_release",    d->bios_release },
		{ "sys_vendor",      d->sys_vendor },
		{ "product_name",    d->product_name },
		{ "product_version", d->product_version },
		{ "product_family",  d->product_family },
		{ "board_vendor",    d->board_vendor },
		{ "board_name",      d->board_name },
		{ "board_version",   d->board_version },
		{ "chassis_vendor",  d->chassis_vendor },
	};
	bool ok = hv_fact_ok(&d->fact);
	struct json_object *o = j_obj(b), *facts = j_obj(b), *dmi = j_obj(b);

	j_set(b, facts, "dmi", j_fact(b, &d->fact));
	j_set(b, facts, "efi", j_fact(b, &fw->efi_fact));
	j_set(b, o, "facts", facts);
	for (size_t i = 0; i < HV_ELEMENTSOF(dmi_fields); i++)
		j_set(b, dmi, dmi_fields[i].key,
		      ok ? j_str(b, dmi_fields[i].value) : NULL);
	j_set(b, o, "dmi", dmi);
	j_set(b, o, "uefi", j_tri(b, fw->uefi));
	return o;
}

/* ---- ACPI ------------------------------------------------------------- */

static struct json_object *
j_acpi_table(struct jb *b, const struct hv_acpi_table *t)
{
	enum hv_fact_state s = t->fact.state;
	bool ok = s == HV_FACT_OK;
	struct json_object *o = j_obj(b), *facts = j_obj(b), *present;

	/* present is known from stat even where reading needs root */
	if (t->present || s == HV_FACT_OK || s == HV_FACT_INVALID)
		present = j_bool(b, true);
	else if (s == HV_FACT_ABSENT)
		present = j_bool(b, false);
	else
		present = NULL;

	j_set(b, facts, "table", j_fact(b, &t->fact));
	j_set(b, o, "facts", facts);
	j_set(b, o, "signature", j_str(b, t->signature));
	j_set(b, o, "present", present);
	j_set(b, o, "status", j_str(b, hv_fact_state_to_string(s)));
	j_set(b, o, "length", ok ? j_uint(b, t->length) : NULL);
	j_set(b, o, "revision", ok ? j_uint(b, t->revision) : NULL);
	j_set(b, o, "oem_id", ok ? j_str(b, t->oem_id) : NULL);
	j_set(b, o, "oem_table_id", ok ? j_str(b, t->oem_table_id) : NULL);
	j_set(b, o, "checksum_ok", ok ? j_bool(b, t->checksum_ok) : NULL);
	return o;
}

static struct json_object *
j_acpi(struct jb *b, const struct hv_acpi *acpi)
{
	struct json_object *o = j_obj(b), *facts = j_obj(b);

	j_set(b, facts, "tables", j_fact(b, &acpi->tables_fact));
	j_set(b, o, "facts", facts);
	j_set(b, o, "dmar", j_acpi_table(b, &acpi->dmar));
	j_set(b, o, "ivrs", j_acpi_table(b, &acpi->ivrs));
	j_set(b, o, "viot", j_acpi_table(b, &acpi->viot));
	j_set(b, o, "iort", j_acpi_table(b, &acpi->iort));
	return o;
}

/* ---- IOMMU ------------------------------------------------------------ */

static struct json_object *
j_iommu(struct jb *b, const struct hv_iommu *io)
{
	struct json_object *o = j_obj(b), *facts = j_obj(b);
	struct json_object *units = NULL, *groups = NULL;

	j_set(b, facts, "units", j_fact(b, &io->units_fact));
	j_set(b, facts, "groups", j_fact(b, &io->groups_fact));
	j_set(b, o, "facts", facts);
	j_set(b, o, "state", j_str(b, hv_iommu_state_to_string(io->state)));
	j_set(b, o, "state_reason", j_str(b, io->state_reason));

	if (hv_fact_ok(&io->units_fact)) {
		units = j_arr(b);
		for (size_t i = 0; units && i < io->n_units; i++) {
			struct json_object *u = j_obj(b);

			j_set(b, u, "name", j_str(b, io->units[i].name));
			j_set(b, u, "kind", j_str(b, io->units[i].kind));
			j_set(b, u, "devices", j_strv(b, &io->units[i].devices));
			j_push(b, units, u);
		}
	}
	j_set(b, o, "units", units);

	if (hv_fact_ok(&io->groups_fact)) {
		groups = j_arr(b);
		for (size_t i = 0; groups && i < io->n_groups; i++) {
			struct json_object *g = j_obj(b);

			j_set(b, g, "id", j_uint(b, io->groups[i].id));
			j_set(b, g, "type", j_str(b, io->groups[i].type));
			j_set(b, g, "devices", j_strv(b, &io->groups[i].devices));
			j_push(b, groups, g);
		}
	}
	j_set(b, o, "groups", groups);
	return o;
}

/* ---- PCI -------------------------------------------------------------- */

/* PCIe capability device/port type (PCIe base spec 7.5.3.2), by code. */
static const char *const pcie_type_names[] = {
	[0x0] = "endpoint",
	[0x1] = "legacy_endpoint",
	[0x4] = "root_port",
	[0x5] = "upstream_port",
	[0x6] = "downstream_port",
	[0x7] = "pcie_pci_bridge",		/* PCIe to PCI/PCI-X bridge */
	[0x8] = "pci_pcie_bridge",		/* PCI/PCI-X to PCIe bridge */
	[0x9] = "rc_integrated_endpoint",
	[0xa] = "rc_event_collector",
};

static const char *
pcie_type_name(uint8_t t)
{
	if (t >= HV_ELEMENTSOF(pcie_type_names))
		return NULL;			/* reserved */
	return pcie_type_names[t];
}

static struct json_object *
j_sysfs_int(struct jb *b, int v)
{
	return v >= 0 ? j_int(b, v) : NULL;
}

static struct json_object *
j_sriov(struct jb *b, const struct hv_sriov *sr)
{
	struct json_object *o = j_obj(b), *facts = j_obj(b);
	struct json_object *cap = NULL, *sysfs = j_obj(b);

	j_set(b, facts, "capability", j_fact(b, &sr->cap_fact));
	j_set(b, o, "facts", facts);

	if (hv_fact_ok(&sr->cap_fact)) {
		struct json_object *bars = j_arr(b);

		cap = j_obj(b);
		j_set(b, cap, "offset", j_fmt(b, "0x%03x", sr->cap_offset));
		j_set(b, cap, "capabilities", j_reg32(b, sr->capabilities));
		j_set(b, cap, "control", j_reg16(b, sr->control));
		j_set(b, cap, "status", j_reg16(b, sr->status));
		j_set(b, cap, "initial_vfs", j_uint(b, sr->initial_vfs));
		j_set(b, cap, "total_vfs", j_uint(b, sr->total_vfs));
		j_set(b, cap, "num_vfs", j_uint(b, sr->num_vfs));
		j_set(b, cap, "function_dependency_link",
		      j_uint(b, sr->function_dependency_link));
		j_set(b, cap, "vf_offset", j_uint(b, sr->vf_offset));
		j_set(b, cap, "vf_stride", j_uint(b, sr->vf_stride));
		j_set(b, cap, "vf_device_id", j_id16(b, sr->vf_device_id));
		j_set(b, cap, "supported_page_sizes",
		      j_reg32(b, sr->supported_page_sizes));
		j_set(b, cap, "system_page_size",
		      j_reg32(b, sr->system_page_size));
		j_set(b, cap, "vf_enable", j_bool(b, sr->vf_enable));
		j_set(b, cap, "vf_migration_enable",
		      j_bool(b, sr->vf_migration_enable));
		j_set(b, cap, "ari_capable_hierarchy",
		      j_bool(b, sr->ari_capable_hierarchy));
		for (size_t i = 0; bars && i < HV_ELEMENTSOF(sr->vf_bar); i++)
			j_push(b, bars, j_reg64(b, sr->vf_bar[i]));
		j_set(b, cap, "vf_bars", bars);
	}
	j_set(b, o, "capability", cap);

	j_set(b, sysfs, "totalvfs", j_sysfs_int(b, sr->sysfs_totalvfs));
	j_set(b, sysfs, "numvfs", j_sysfs_int(b, sr->sysfs_numvfs));
	j_set(b, sysfs, "offset", j_sysfs_int(b, sr->sysfs_offset));
	j_set(b, sysfs, "stride", j_sysfs_int(b, sr->sysfs_stride));
	j_set(b, sysfs, "vf_device", sr->sysfs_vf_device >= 0 &&
	      sr->sysfs_vf_device <= 0xffff ?
	      j_id16(b, (uint16_t)sr->sysfs_vf_device) : NULL);
	j_set(b, sysfs, "drivers_autoprobe", j_tri(b, sr->drivers_autoprobe));
	j_set(b, o, "sysfs", sysfs);
	j_set(b, o, "vfs", j_strv(b, &sr->vfs));
	return o;
}

static struct json_object *
j_pci_dev(struct jb *b, const struct hv_pci_dev *d)
{
	bool cfg = hv_fact_ok(&d->config_fact);
	bool caps = hv_fact_ok(&d->caps_fact);
	struct json_object *o = j_obj(b), *facts = j_obj(b), *pcie = NULL;

	/* the PCIe capability is known only when the list was walked; a
	 * device without a list has none */
	if (caps)
		pcie = j_bool(b, d->is_pcie);
	else if (d->caps_fact.state == HV_FACT_ABSENT)
		pcie = j_bool(b, false);

	j_set(b, o, "address", j_str(b, d->addr));
	j_set(b, o, "domain", j_uint(b, d->domain));
	j_set(b, o, "bus", j_uint(b, d->bus));
	j_set(b, o, "slot", j_uint(b, d->dev));
	j_set(b, o, "function", j_uint(b, d->func));
	j_set(b, facts, "config", j_fact(b, &d->config_fact));
	j_set(b, facts, "capabilities", j_fact(b, &d->caps_fact));
	j_set(b, facts, "extended_capabilities", j_fact(b, &d->ext_caps_fact));
	j_set(b, o, "facts", facts);
	j_set(b, o, "vendor_id", j_id16(b, d->vendor_id));
	j_set(b, o, "device_id", j_id16(b, d->device_id));
	j_set(b, o, "subsystem_vendor_id", j_id16(b, d->subsys_vendor_id));
	j_set(b, o, "subsystem_id", j_id16(b, d->subsys_id));
	j_set(b, o, "revision", j_fmt(b, "%02x", d->revision));
	j_set(b, o, "class", j_fmt(b, "%06" PRIx32, d->class_code & 0xffffff));
	j_set(b, o, "vendor_name", j_str(b, d->vendor_name));
	j_set(b, o, "device_name", j_str(b, d->device_name));
	j_set(b, o, "class_name", j_str(b, d->class_name));
	j_set(b, o, "driver", j_str(b, d->driver));
	j_set(b, o, "numa_node", d->numa_node >= 0 ?
	      j_int(b, d->numa_node) : NULL);
	j_set(b, o, "iommu_group", d->iommu_group >= 0 ?
	      j_int(b, d->iommu_group) : NULL);
	j_set(b, o, "physfn", j_str(b, d->physfn));
	j_set(b, o, "config", cfg ? j_uint(b, d->config_len) : NULL);
	j_set(b, o, "config_extended", cfg ?
	      j_bool(b, d->extended_visible) : NULL);
	j_set(b, o, "pcie", pcie);
	j_set(b, o, "pcie_type", caps && d->is_pcie ?
	      j_str(b, pcie_type_name(d->pcie_type)) : NULL);
	j_set(b, o, "sriov", d->sriov ? j_sriov(b, d->sriov) : NULL);
	return o;
}

static struct json_object *
j_pci(struct jb *b, const struct hv_pci *pci)
{
	struct json_object *o = j_obj(b), *facts = j_obj(b), *devs = NULL;

	j_set(b, facts, "devices", j_fact(b, &pci->fact));
	j_set(b, o, "facts", facts);
	if (hv_fact_ok(&pci->fact)) {
		devs = j_arr(b);
		for (size_t i = 0; devs && i < pci->n_devs; i++)
			j_push(b, devs, j_pci_dev(b, &pci->devs[i]));
	}
	j_set(b, o, "devices", devs);
	return o;
}

/* ---- audit ------------------------------------------------------------ */

static struct json_object *
j_finding(struct jb *b, const struct hv_finding *f)
{
	const struct hv_check *c = f->check;
	struct json_object *o = j_obj(b), *ev = j_arr(b);

	j_set(b, o, "id", j_str(b, c->id));
	j_set(b, o, "area", j_str(b, c->area));
	j_set(b, o, "title", j_str(b, c->title));
	j_set(b, o, "status", j_str(b, hv_status_to_string(f->status)));
	j_set(b, o, "severity", j_str(b, hv_severity_to_string(f->severity)));
	j_set(b, o, "message", j_str(b, f->message));
	j_set(b, o, "observed", j_str(b, f->observed));
	j_set(b, o, "expected", j_str(b, f->expected));
	for (size_t i = 0; ev && i < f->n_evidence; i++) {
		struct json_object *e = j_obj(b);

		j_set(b, e, "path", j_str(b, f->evidence[i].path));
		j_set(b, e, "value", j_str(b, f->evidence[i].value));
		j_push(b, ev, e);
	}
	j_set(b, o, "evidence", ev);
	j_set(b, o, "remedy", j_str(b, f->remedy ? f->remedy : c->remedy));
	return o;
}

static struct json_object *
j_audit(struct jb *b, const struct hv_audit *a)
{
	struct json_object *o = j_obj(b), *sum = j_obj(b), *fs = j_arr(b);

	j_set(b, o, "profiles", j_strv(b, &a->profiles));
	j_set(b, o, "verdict", j_str(b, hv_verdict_to_string(a->verdict)));
	j_set(b, o, "score", j_uint(b, a->score));
	for (unsigned s = 0; s < _HV_STATUS_MAX; s++)
		j_set(b, sum, hv_status_to_string((enum hv_status)s),
		      j_uint(b, a->counts[s]));
	j_set(b, o, "summary", sum);
	for (size_t i = 0; fs && i < a->n_findings; i++)
		j_push(b, fs, j_finding(b, &a->findings[i]));
	j_set(b, o, "findings", fs);
	return o;
}

static struct json_object *
j_diags(struct jb *b, const struct hv_host *host)
{
	struct json_object *a = j_arr(b);

	for (size_t i = 0; a && i < host->n_diags; i++) {
		const struct hv_diag *d = &host->diags[i];
		struct json_object *o = j_obj(b);

		j_set(b, o, "path", j_str(b, d->path));
		j_set(b, o, "line", d->line ? j_uint(b, d->line) : NULL);
		j_set(b, o, "errno", j_str(b, errno_name(d->err)));
		j_set(b, o, "message", j_str(b, d->msg));
		j_set(b, o, "bad_input", j_bool(b, d->bad_input));
		j_push(b, a, o);
	}
	return a;
}

int
hv_report_to_json(const struct hv_report *r, struct json_object **ret)
{
	const struct hv_host *h = r->host;
	struct jb b = { 0 };
	struct json_object *root, *host;

	if (!h)
		return -EINVAL;
	for (size_t i = 0; r->audit && i < r->audit->n_findings; i++)
		if (!r->audit->findings[i].check)
			return -EINVAL;

	root = j_obj(&b);
	j_set(&b, root, "schema_version", j_str(&b, HV_REPORT_SCHEMA_VERSION));
	j_set(&b, root, "hwvirt_version", j_str(&b, PACKAGE_VERSION));
	j_set(&b, root, "command", j_str(&b, r->command ? r->command :
					 (r->audit ? "audit" : "inventory")));
	j_set(&b, root, "root", j_str(&b, h->root ? h->root : "/"));
	j_set(&b, root, "live", j_bool(&b, h->live));
	j_set(&b, root, "capture", j_capture(&b, &h->capture));

	host = j_obj(&b);
	j_set(&b, host, "cpu", j_cpu(&b, &h->cpu));
	j_set(&b, host, "kernel", j_kernel(&b, &h->kernel));
	j_set(&b, host, "firmware", j_firmware(&b, &h->firmware));
	j_set(&b, host, "acpi", j_acpi(&b, &h->acpi));
	j_set(&b, host, "iommu", j_iommu(&b, &h->iommu));
	j_set(&b, host, "pci", j_pci(&b, &h->pci));
	j_set(&b, root, "host", host);

	if (r->audit)
		j_set(&b, root, "audit", j_audit(&b, r->audit));
	j_set(&b, root, "diagnostics", j_diags(&b, h));

	if (b.err < 0) {
		json_object_put(root);
		return b.err;
	}
	*ret = root;
	return 0;
}

/* ---- the JSON writer -------------------------------------------------- */

int
hv_write_json(FILE *out, const struct hv_report *r,
	      const struct hv_write_opts *o _unused_)
{
	struct json_object *root = NULL;
	const char *s;
	int rc;

	rc = hv_report_to_json(r, &root);
	if (rc < 0)
		return rc;
	/* 2-space indentation, "key": value, keys in insertion order */
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					   JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		json_object_put(root);
		return -ENOMEM;
	}
	if (fputs(s, out) < 0 || fputc('\n', out) == EOF)
		rc = -EIO;
	json_object_put(root);
	if (fflush(out) != 0 || ferror(out))
		rc = -EIO;
	return rc;
}
