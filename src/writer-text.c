/*
 * writer-text.c -- the text writer, for people: the inventory in sections
 * by area, or the audit's findings grouped by area with a verdict line.
 *
 * Layout: 78 columns; a section title at column 0, then "  Label   value"
 * lines with the values aligned at column VALUE_COL and wrapped with a
 * hanging indent. Without colour every byte written is ASCII except those
 * of strings from the host; with colour, ANSI SGR sequences mark titles and
 * statuses. Every string goes out through hv_writer_sanitize(), so a hostile
 * capture cannot put terminal escapes on the screen.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hv-writer.h"

#define WIDTH		78
#define LABEL_COL	2
#define VALUE_COL	21	/* LABEL_COL + 18 + 1 */

enum color {
	C_BOLD = 0,
	C_GREEN,
	C_YELLOW,
	C_RED,
	C_MAGENTA,
	C_CYAN,
	C_DIM,
};

static const char *const ansi[] = {
	[C_BOLD] = "\033[1m",
	[C_GREEN] = "\033[32m",
	[C_YELLOW] = "\033[33m",
	[C_RED] = "\033[31m",
	[C_MAGENTA] = "\033[35m",
	[C_CYAN] = "\033[36m",
	[C_DIM] = "\033[2m",
};
#define ANSI_RESET	"\033[0m"

struct tw {
	FILE *out;
	const struct hv_host *host;
	bool color;
	bool verbose;
	bool first_section;
	int err;		/* first -ENOMEM */
};

/* ---- primitives ------------------------------------------------------- */

static void
t_oom(struct tw *t)
{
	if (t->err == 0)
		t->err = -ENOMEM;
}

/* Our own ASCII, as it is. */
static void
t_raw(struct tw *t, const char *s)
{
	fputs(s, t->out);
}

static void
t_spaces(struct tw *t, size_t n)
{
	while (n-- > 0)
		fputc(' ', t->out);
}

static void
t_on(struct tw *t, enum color c)
{
	if (t->color)
		t_raw(t, ansi[c]);
}

static void
t_off(struct tw *t)
{
	if (t->color)
		t_raw(t, ANSI_RESET);
}

/* Columns taken by UTF-8 text (one per code point: good enough here). */
static size_t
t_width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/*
 * Write text, sanitized, from column col, wrapping at WIDTH with
 * continuation lines indented to indent. Blanks between words are kept (a
 * tab counts as one space) except where the line breaks; a newline in the
 * text starts a new (indented) line. No final newline.
 */
static void
t_wrap(struct tw *t, size_t col, size_t indent, const char *text)
{
	_cleanup_free_ char *s = NULL;
	bool line_empty = true;
	size_t blanks = 0;
	const char *p;

	if (!text)
		return;
	if (hv_writer_sanitize(text, &s) < 0) {
		t_oom(t);
		return;
	}
	for (p = s; *p;) {
		size_t n, w;

		if (*p == '\n') {
			fputc('\n', t->out);
			t_spaces(t, indent);
			col = indent;
			line_empty = true;
			blanks = 0;
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t') {
			blanks++;
			p++;
			continue;
		}
		n = strcspn(p, " \t\n");
		w = t_width(p, n);
		if (!line_empty) {
			if (col + blanks + w > WIDTH) {
				fputc('\n', t->out);
				t_spaces(t, indent);
				col = indent;
			} else {
				t_spaces(t, blanks);
				col += blanks;
			}
		}
		blanks = 0;
		fwrite(p, 1, n, t->out);
		col += w;
		line_empty = false;
		p += n;
	}
}

/* A formatted string; NULL (and t->err) on ENOMEM. Caller frees. */
static char *
t_fmt(struct tw *t, const char *fmt, ...) _printf_(2, 3);

static char *
t_fmt(struct tw *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = hv_vasprintf(fmt, ap);
	va_end(ap);
	if (!s)
		t_oom(t);
	return s;
}

static void
t_section(struct tw *t, const char *title)
{
	if (!t->first_section)
		fputc('\n', t->out);
	t->first_section = false;
	t_on(t, C_BOLD);
	t_wrap(t, 0, 0, title);
	t_off(t);
	fputc('\n', t->out);
}

/* "  Label             value..." and a newline. */
static void
t_field(struct tw *t, const char *label, const char *value)
{
	size_t lw = strlen(label);

	t_spaces(t, LABEL_COL);
	t_raw(t, label);
	if (LABEL_COL + lw + 1 > VALUE_COL) {
		/* too long a label: the value goes on the next line */
		fputc('\n', t->out);
		t_spaces(t, VALUE_COL);
	} else {
		t_spaces(t, VALUE_COL - LABEL_COL - lw);
	}
	t_wrap(t, VALUE_COL, VALUE_COL, value ? value : "unknown");
	fputc('\n', t->out);
}

static void
t_fieldf(struct tw *t, const char *label, const char *fmt, ...) _printf_(3, 4);

static void
t_fieldf(struct tw *t, const char *label, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	s = hv_vasprintf(fmt, ap);
	va_end(ap);
	if (!s) {
		t_oom(t);
		return;
	}
	t_field(t, label, s);
}

/* ---- words for facts and values --------------------------------------- */

static const char *
tri_word(enum hv_tri v)
{
	return hv_tri_to_string(v);
}

static const char *
nz(const char *s)
{
	return s && *s ? s : NULL;
}

/*
 * Why a fact is not known, for people: "not present", "unknown (permission
 * denied: needs root)", "invalid (line 3: ...)", "not probed". Caller frees.
 */
static char *
fact_phrase(struct tw *t, const struct hv_fact *f)
{
	_cleanup_free_ char *why = NULL;
	const char *e;

	switch (f->state) {
	case HV_FACT_OK:
		return t_fmt(t, "%s", "read");
	case HV_FACT_ABSENT:
		return t_fmt(t, "%s", "not present");
	case HV_FACT_UNPROBED:
		return t_fmt(t, "%s", "not probed");
	case HV_FACT_UNKNOWN:
	case HV_FACT_INVALID:
		break;
	}
	if (f->msg) {
		why = strdup(f->msg);
	} else if (f->err == -EACCES || f->err == -EPERM) {
		why = strdup("permission denied: needs root");
	} else {
		e = hv_strerror(f->err);
		why = strdup(e);
		if (why && why[0] >= 'A' && why[0] <= 'Z' &&
		    !(why[1] >= 'A' && why[1] <= 'Z'))
			why[0] = (char)(why[0] - 'A' + 'a');
	}
	if (!why) {
		t_oom(t);
		return NULL;
	}
	return t_fmt(t, "%s (%s)", f->state == HV_FACT_INVALID ? "invalid" :
		     "unknown", why);
}

/* t_field with the fact's phrase as value. */
static void
t_field_fact(struct tw *t, const char *label, const struct hv_fact *f)
{
	_cleanup_free_ char *s = fact_phrase(t, f);

	if (s)
		t_field(t, label, s);
}

/* Join the non-empty strings of v[0..n) with sep. Caller frees. */
static char *
join(struct tw *t, const char *const *v, size_t n, const char *sep)
{
	struct hv_strv sv = { 0 };
	char *s;

	for (size_t i = 0; i < n; i++) {
		if (!nz(v[i]))
			continue;
		if (hv_strv_add(&sv, v[i]) < 0) {
			hv_strv_clear(&sv);
			t_oom(t);
			return NULL;
		}
	}
	s = hv_strv_join(&sv, sep);
	hv_strv_clear(&sv);
	if (!s)
		t_oom(t);
	return s;
}

/* ---- header ----------------------------------------------------------- */

static void
write_header(struct tw *t, const char *command)
{
	const struct hv_host *h = t->host;
	const struct hv_capture_info *c = &h->capture;
	_cleanup_free_ char *line = NULL;

	line = t_fmt(t, "hwvirt %s %s of %s (%s)", PACKAGE_VERSION, command,
		     h->root ? h->root : "/", h->live ? "live host" : "capture");
	t_on(t, C_BOLD);
	t_wrap(t, 0, 4, line);
	t_off(t);
	fputc('\n', t->out);
	if (!h->live && hv_fact_ok(&c->fact) &&
	    (nz(c->created) || nz(c->hostname) || nz(c->hwvirt_version))) {
		_cleanup_free_ char *made = t_fmt(t, "Captured%s%s%s%s%s%s",
			nz(c->created) ? " " : "",
			nz(c->created) ? c->created : "",
			nz(c->hostname) ? " on " : "",
			nz(c->hostname) ? c->hostname : "",
			nz(c->hwvirt_version) ? " by hwvirt " : "",
			nz(c->hwvirt_version) ? c->hwvirt_version : "");

		if (made) {
			t_wrap(t, 0, 4, made);
			fputc('\n', t->out);
		}
	}
}

/* ---- inventory: host and firmware -------------------------------------- */

static void
write_firmware(struct tw *t)
{
	const struct hv_host *h = t->host;
	const struct hv_kernel *k = &h->kernel;
	const struct hv_dmi *d = &h->firmware.dmi;
	_cleanup_free_ char *sys = NULL, *board = NULL, *bios = NULL;

	t_section(t, "Host and firmware");
	if (hv_fact_ok(&k->hostname_fact))
		t_field(t, "Hostname", k->hostname);
	else
		t_field_fact(t, "Hostname", &k->hostname_fact);

	if (hv_fact_ok(&d->fact)) {
		_cleanup_free_ char *ver = NULL, *date = NULL, *rel = NULL;
		const char *sv[3], *bv[3], *fv[4];

		ver = nz(d->product_version) ?
		      t_fmt(t, "(version %s)", d->product_version) : NULL;
		sv[0] = d->sys_vendor;
		sv[1] = d->product_name;
		sv[2] = ver;
		sys = join(t, sv, 3, " ");
		bv[0] = d->board_vendor;
		bv[1] = d->board_name;
		bv[2] = d->board_version;
		board = join(t, bv, 3, " ");
		date = nz(d->bios_date) ? t_fmt(t, "dated %s", d->bios_date) : NULL;
		rel = nz(d->bios_release) ?
		      t_fmt(t, "release %s", d->bios_release) : NULL;
		fv[0] = d->bios_vendor;
		fv[1] = d->bios_version;
		fv[2] = date;
		fv[3] = rel;
		bios = join(t, fv, 4, " ");
		t_field(t, "System", nz(sys) ? sys : "not stated");
		if (t->verbose && nz(d->product_family))
			t_field(t, "Family", d->product_family);
		t_field(t, "Board", nz(board) ? board : "not stated");
		t_field(t, "BIOS", nz(bios) ? bios : "not stated");
		if (t->verbose)
			t_field(t, "Chassis vendor", nz(d->chassis_vendor) ?
				d->chassis_vendor : "not stated");
	} else {
		t_field_fact(t, "DMI", &d->fact);
	}

	switch (h->firmware.uefi) {
	case HV_TRI_YES:
		t_field(t, "Boot firmware", "UEFI");
		break;
	case HV_TRI_NO:
		t_field(t, "Boot firmware", "legacy BIOS (no EFI runtime)");
		break;
	case HV_TRI_UNKNOWN:
		if (h->firmware.efi_fact.state == HV_FACT_OK)
			t_field(t, "Boot firmware", "unknown");
		else
			t_field_fact(t, "Boot firmware", &h->firmware.efi_fact);
		break;
	}
}

/* ---- inventory: CPU --------------------------------------------------- */

/* cpuinfo flags that matter for virtualization, in the order shown. */
static const char *const virt_flags[] = {
	"vmx", "svm", "hypervisor", "ept", "vpid", "ept_ad", "flexpriority",
	"tpr_shadow", "vnmi", "npt", "avic", "x2avic", "vgif",
	"v_vmsave_vmload", "nrip_save", "decodeassists", "flushbyasid",
	"tsc_scale", "vmcb_clean", "pausefilter", "sme", "sev", "sev_es",
	"sev_snp", "tme", "tdx_host_platform", "tdx_guest", "x2apic",
	"pdpe1gb", "pcid", "invpcid",
};

static void
write_flag_list(struct tw *t, const char *label, const struct hv_strv *sv)
{
	_cleanup_free_ char *all = NULL;

	if (sv->n == 0) {
		t_field(t, label, "none");
		return;
	}
	all = hv_strv_join(sv, " ");
	if (!all) {
		t_oom(t);
		return;
	}
	t_field(t, label, all);
}

static void
write_cpu_flags(struct tw *t, const struct hv_cpu *cpu)
{
	if (!hv_fact_ok(&cpu->cpuinfo))
		return;
	if (t->verbose) {
		write_flag_list(t, "Flags", &cpu->flags);
	} else {
		struct hv_strv sel = { 0 };
		_cleanup_free_ char *list = NULL;

		for (size_t i = 0; i < HV_ELEMENTSOF(virt_flags); i++) {
			if (!hv_cpu_has_flag(cpu, virt_flags[i]))
				continue;
			if (hv_strv_add(&sel, virt_flags[i]) < 0) {
				t_oom(t);
				break;
			}
		}
		list = hv_strv_join(&sel, " ");
		if (!list)
			t_oom(t);
		t_fieldf(t, "Flags", "%zu flags; for virtualization: %s",
			 cpu->flags.n, list && *list ? list : "none");
		hv_strv_clear(&sel);
	}
	if (cpu->vmx_flags.n > 0 || t->verbose)
		write_flag_list(t, "VMX flags", &cpu->vmx_flags);
}

static void
write_regs(struct tw *t, const char *label, const struct hv_cpuid_regs *r)
{
	t_fieldf(t, label, "eax=0x%08" PRIx32 " ebx=0x%08" PRIx32
		 " ecx=0x%08" PRIx32 " edx=0x%08" PRIx32,
		 r->eax, r->ebx, r->ecx, r->edx);
}

static void
write_cpu(struct tw *t)
{
	const struct hv_cpu *cpu = &t->host->cpu;
	bool id = hv_fact_ok(&cpu->cpuid);
	bool info = hv_fact_ok(&cpu->cpuinfo);
	bool intel = !id || cpu->vendor == HV_CPU_VENDOR_INTEL ||
		     cpu->vendor == HV_CPU_VENDOR_OTHER ||
		     cpu->vendor == HV_CPU_VENDOR_UNKNOWN;
	bool amd = !id || cpu->vendor != HV_CPU_VENDOR_INTEL;

	t_section(t, "CPU");
	if (id && nz(cpu->brand))
		t_field(t, "Model", cpu->brand);
	else if (info && nz(cpu->model_name))
		t_field(t, "Model", cpu->model_name);
	else
		t_field_fact(t, "Model", id ? &cpu->cpuinfo : &cpu->cpuid);

	if (id)
		t_fieldf(t, "Vendor", "%s, family %u model %u stepping %u "
			 "(signature 0x%08" PRIx32 ")",
			 nz(cpu->vendor_id) ? cpu->vendor_id :
			 hv_cpu_vendor_to_string(cpu->vendor),
			 cpu->family, cpu->model, cpu->stepping,
			 cpu->signature);
	else
		t_field_fact(t, "CPUID", &cpu->cpuid);

	if (info) {
		_cleanup_free_ char *cpus = NULL, *sock = NULL, *nodes = NULL;
		const char *v[3];

		t_field(t, "Microcode", nz(cpu->microcode) ? cpu->microcode :
			"not stated");
		cpus = cpu->logical_cpus ?
		       t_fmt(t, "%u logical", cpu->logical_cpus) : NULL;
		sock = cpu->sockets ? t_fmt(t, "%u socket%s", cpu->sockets,
					    cpu->sockets == 1 ? "" : "s") : NULL;
		nodes = hv_fact_ok(&cpu->numa) && cpu->numa_nodes ?
			t_fmt(t, "%u NUMA node%s", cpu->numa_nodes,
			      cpu->numa_nodes == 1 ? "" : "s") : NULL;
		v[0] = cpus;
		v[1] = sock;
		v[2] = nodes;
		{
			_cleanup_free_ char *s = join(t, v, 3, ", ");

			t_field(t, "CPUs", s && *s ? s : "unknown");
		}
	} else {
		t_field_fact(t, "proc/cpuinfo", &cpu->cpuinfo);
	}

	if (id) {
		if (cpu->hypervisor)
			t_fieldf(t, "Hypervisor", "%s (this host is a virtual machine)",
				 nz(cpu->hypervisor_id) ? cpu->hypervisor_id :
				 "unnamed");
		else
			t_field(t, "Hypervisor", "none (bare metal)");
		t_fieldf(t, "In CPUID", "VMX %s, SVM %s%s",
			 cpu->vmx ? "yes" : "no", cpu->svm ? "yes" : "no",
			 cpu->hybrid ? ", hybrid CPU" : "");
	}
	t_field(t, "Enabled (kernel)", tri_word(cpu->virt_enabled));
	if (intel)
		t_fieldf(t, "Intel VT-x", "EPT %s, VPID %s, unrestricted guest %s, "
			 "posted interrupts %s, APICv %s",
			 tri_word(cpu->ept), tri_word(cpu->vpid),
			 tri_word(cpu->unrestricted_guest),
			 tri_word(cpu->posted_interrupts),
			 tri_word(cpu->apicv));
	if (amd)
		t_fieldf(t, "AMD-V", "NPT %s, AVIC %s", tri_word(cpu->npt),
			 tri_word(cpu->avic));
	write_cpu_flags(t, cpu);

	if (t->verbose && id) {
		t_fieldf(t, "CPUID leaves", "max 0x%08" PRIx32
			 ", extended max 0x%08" PRIx32,
			 cpu->max_leaf, cpu->max_ext_leaf);
		if (cpu->have_svm_leaf)
			write_regs(t, "0x8000000a (SVM)", &cpu->svm_leaf);
		if (cpu->have_sev_leaf)
			write_regs(t, "0x8000001f (SEV)", &cpu->sev_leaf);
		for (size_t i = 0; i < cpu->n_types; i++) {
			const struct hv_cpu_type *ty = &cpu->types[i];
			_cleanup_free_ char *label = t_fmt(t, "CPU type %zu", i);

			if (!label)
				return;
			t_fieldf(t, label, "CPUs %s, core type 0x%02x, %zu CPUID leaves",
				 ty->cpus ? ty->cpus : "unknown", ty->core_type,
				 ty->cpuid.n_leaves);
		}
	}
}

/* ---- inventory: kernel ------------------------------------------------ */

static void
write_modules(struct tw *t, const struct hv_kernel *k)
{
	struct hv_strv items = { 0 };
	_cleanup_free_ char *s = NULL;

	if (!hv_fact_ok(&k->modules_fact)) {
		t_field_fact(t, "Modules", &k->modules_fact);
		return;
	}
	for (size_t i = 0; i < k->n_modules; i++) {
		const struct hv_module *m = &k->modules[i];
		const char *state = m->loaded == HV_TRI_YES ?
				    (m->builtin ? "built in" : "loaded") :
				    m->loaded == HV_TRI_NO ?
				    (m->available == HV_TRI_YES ?
				     "not loaded, available" :
				     m->available == HV_TRI_NO ?
				     "not loaded, not installed" : "not loaded") :
				    "unknown";

		if (hv_strv_push(&items, t_fmt(t, "%s (%s)", m->name, state)) < 0) {
			t_oom(t);
			break;
		}
	}
	s = hv_strv_join(&items, ", ");
	hv_strv_clear(&items);
	if (!s) {
		t_oom(t);
		return;
	}
	t_field(t, "Modules", *s ? s : "none of interest");

	if (!t->verbose)
		return;
	for (size_t i = 0; i < k->n_modules; i++) {
		const struct hv_module *m = &k->modules[i];
		struct hv_strv ps = { 0 };
		_cleanup_free_ char *label = NULL, *list = NULL;

		if (m->n_params == 0)
			continue;
		for (size_t j = 0; j < m->n_params; j++)
			if (hv_strv_push(&ps, t_fmt(t, "%s=%s", m->params[j].key,
						    m->params[j].value ?
						    m->params[j].value :
						    m->params[j].err == -EACCES ||
						    m->params[j].err == -EPERM ?
						    "(needs root)" :
						    "(unreadable)")) < 0)
				t_oom(t);
		label = t_fmt(t, "  %s", m->name);
		list = hv_strv_join(&ps, " ");
		hv_strv_clear(&ps);
		if (!label || !list) {
			t_oom(t);
			return;
		}
		t_field(t, label, list);
	}
}

static void
write_kernel(struct tw *t)
{
	const struct hv_kernel *k = &t->host->kernel;

	t_section(t, "Kernel");
	if (hv_fact_ok(&k->release_fact))
		t_field(t, "Release", k->release);
	else
		t_field_fact(t, "Release", &k->release_fact);
	if (hv_fact_ok(&k->cmdline_fact))
		t_field(t, "Command line", nz(k->cmdline_raw) ? k->cmdline_raw :
			"(empty)");
	else
		t_field_fact(t, "Command line", &k->cmdline_fact);

	switch (k->dev_kvm) {
	case HV_TRI_YES: {
		_cleanup_free_ char *api = k->kvm_api_version >= 0 ?
			t_fmt(t, ", KVM API %d", k->kvm_api_version) : NULL;

		t_fieldf(t, "/dev/kvm", "present, %s%s",
			 k->dev_kvm_usable == HV_TRI_YES ? "usable" :
			 k->dev_kvm_usable == HV_TRI_NO ? "not usable" :
			 "usable: unknown", api ? api : "");
		break;
	}
	case HV_TRI_NO:
		t_field(t, "/dev/kvm", "not present");
		break;
	case HV_TRI_UNKNOWN:
		t_field_fact(t, "/dev/kvm", &k->dev_kvm_fact);
		break;
	}
	write_modules(t, k);

	if (hv_fact_ok(&k->hugepages_fact)) {
		struct hv_strv pools = { 0 };
		_cleanup_free_ char *s = NULL, *def = NULL;

		for (size_t i = 0; i < k->n_hugepages; i++)
			if (hv_strv_push(&pools, t_fmt(t, "%lu kB: %" PRIu64
						       " free of %" PRIu64,
						       k->hugepages[i].size_kb,
						       k->hugepages[i].free,
						       k->hugepages[i].total)) < 0)
				t_oom(t);
		s = hv_strv_join(&pools, "; ");
		hv_strv_clear(&pools);
		def = k->default_hugepage_kb ?
		      t_fmt(t, " (default %lu kB)", k->default_hugepage_kb) : NULL;
		if (s)
			t_fieldf(t, "Huge pages", "%s%s", *s ? s : "none",
				 def ? def : "");
		else
			t_oom(t);
	} else {
		t_field_fact(t, "Huge pages", &k->hugepages_fact);
	}
}

/* ---- inventory: ACPI and IOMMU ---------------------------------------- */

static void
write_acpi_table(struct tw *t, const struct hv_acpi_table *tb)
{
	const struct hv_fact *f = &tb->fact;
	_cleanup_free_ char *s = NULL;

	switch (f->state) {
	case HV_FACT_OK:
		s = t_fmt(t, "present: revision %u, %zu bytes, OEM \"%s\" \"%s\", "
			  "checksum %s", tb->revision, tb->length, tb->oem_id,
			  tb->oem_table_id, tb->checksum_ok ? "ok" : "BAD");
		break;
	case HV_FACT_UNKNOWN:
		if (tb->present) {
			_cleanup_free_ char *why = fact_phrase(t, f);

			s = t_fmt(t, "present, contents %s", why ? why : "unknown");
			break;
		}
		s = fact_phrase(t, f);
		break;
	case HV_FACT_ABSENT:
	case HV_FACT_INVALID:
	case HV_FACT_UNPROBED:
		s = fact_phrase(t, f);
		break;
	}
	if (s)
		t_field(t, tb->signature[0] ? tb->signature : "????", s);
}

static void
write_acpi_iommu(struct tw *t)
{
	const struct hv_acpi *a = &t->host->acpi;
	const struct hv_iommu *io = &t->host->iommu;
	const struct hv_acpi_table *tables[] = {
		&a->dmar, &a->ivrs, &a->viot, &a->iort,
	};

	t_section(t, "ACPI and IOMMU");
	if (!hv_fact_ok(&a->tables_fact))
		t_field_fact(t, "ACPI tables", &a->tables_fact);
	for (size_t i = 0; i < HV_ELEMENTSOF(tables); i++) {
		const struct hv_acpi_table *tb = tables[i];

		/* DMAR and IVRS always; the others when there or asked for */
		if (i >= 2 && !t->verbose && !tb->present &&
		    tb->fact.state != HV_FACT_OK)
			continue;
		write_acpi_table(t, tb);
	}

	{
		_cleanup_free_ char *s = t_fmt(t, "%s%s%s",
			hv_iommu_state_to_string(io->state),
			io->state_reason ? ": " : "",
			io->state_reason ? io->state_reason : "");

		if (s)
			t_field(t, "IOMMU", s);
	}

	if (!hv_fact_ok(&io->units_fact)) {
		t_field_fact(t, "IOMMU units", &io->units_fact);
	} else {
		struct hv_strv us = { 0 };
		_cleanup_free_ char *s = NULL;

		for (size_t i = 0; i < io->n_units; i++) {
			const struct hv_iommu_unit *u = &io->units[i];

			if (hv_strv_push(&us, t_fmt(t, "%s (%s, %zu device%s)",
						    u->name,
						    u->kind ? u->kind : "unknown kind",
						    u->devices.n,
						    u->devices.n == 1 ? "" : "s")) < 0)
				t_oom(t);
		}
		s = hv_strv_join(&us, ", ");
		hv_strv_clear(&us);
		if (s)
			t_field(t, "IOMMU units", *s ? s : "none");
		else
			t_oom(t);
	}
}

static const char *
dev_name(const struct hv_pci_dev *d)
{
	if (d->device_name)
		return d->device_name;
	return d->class_name;
}

static void
write_groups(struct tw *t)
{
	const struct hv_iommu *io = &t->host->iommu;

	t_section(t, "IOMMU groups");
	if (!hv_fact_ok(&io->groups_fact)) {
		t_field_fact(t, "Groups", &io->groups_fact);
		return;
	}
	if (io->n_groups == 0) {
		t_field(t, "Groups", "none");
		return;
	}
	for (size_t i = 0; i < io->n_groups; i++) {
		const struct hv_iommu_group *g = &io->groups[i];
		_cleanup_free_ char *label = t_fmt(t, "Group %u", g->id);
		_cleanup_free_ char *devs = hv_strv_join(&g->devices, " ");
		_cleanup_free_ char *s = NULL;

		if (!label || !devs) {
			t_oom(t);
			return;
		}
		s = t_fmt(t, "%s: %s", g->type ? g->type : "type unknown",
			  *devs ? devs : "no devices");
		if (s)
			t_field(t, label, s);
		if (!t->verbose)
			continue;
		for (size_t j = 0; j < g->devices.n; j++) {
			const struct hv_pci_dev *d =
				hv_host_pci_dev(t->host, g->devices.v[j]);
			_cleanup_free_ char *l = t_fmt(t, "  %s", g->devices.v[j]);

			if (l && d && dev_name(d))
				t_field(t, l, dev_name(d));
		}
	}
}

/* ---- inventory: PCI --------------------------------------------------- */

static bool
is_bridge(const struct hv_pci_dev *d)
{
	return (d->class_code >> 16) == 0x06;
}

static void
write_pci_dev(struct tw *t, const struct hv_pci_dev *d)
{
	_cleanup_free_ char *head = NULL, *name = NULL, *extra = NULL;
	const char *nv[2];
	const char *ev[4];
	_cleanup_free_ char *drv = NULL, *grp = NULL, *node = NULL, *pf = NULL;

	nv[0] = d->vendor_name;
	nv[1] = dev_name(d);
	name = join(t, nv, 2, " ");
	head = t_fmt(t, "%s  %04" PRIx32 "  %04x:%04x  %s", d->addr,
		     (d->class_code >> 8) & 0xffff, d->vendor_id, d->device_id,
		     name && *name ? name : "(unnamed)");
	drv = t_fmt(t, "driver %s", d->driver ? d->driver : "none");
	grp = d->iommu_group >= 0 ? t_fmt(t, "IOMMU group %d", d->iommu_group) :
	      t_fmt(t, "%s", "no IOMMU group");
	node = d->numa_node >= 0 ? t_fmt(t, "NUMA node %d", d->numa_node) : NULL;
	pf = d->physfn ? t_fmt(t, "VF of %s", d->physfn) : NULL;
	ev[0] = pf;
	ev[1] = drv;
	ev[2] = grp;
	ev[3] = t->verbose ? node : NULL;
	extra = join(t, ev, 4, ", ");
	if (!head || !extra)
		return;
	t_spaces(t, LABEL_COL);
	t_wrap(t, LABEL_COL, 16, head);
	fputc('\n', t->out);
	t_spaces(t, 16);
	t_wrap(t, 16, 16, extra);
	fputc('\n', t->out);

	if (t->verbose) {
		_cleanup_free_ char *cfg = NULL, *line = NULL;
		const char *tp = NULL;

		if (hv_fact_ok(&d->config_fact))
			cfg = t_fmt(t, "config %zu bytes%s", d->config_len,
				    d->extended_visible ? " (extended)" : "");
		else
			cfg = fact_phrase(t, &d->config_fact);
		if (hv_fact_ok(&d->caps_fact) && d->is_pcie) {
			static const char *const types[] = {
				[0x0] = "PCIe endpoint",
				[0x1] = "PCIe legacy endpoint",
				[0x4] = "PCIe root port",
				[0x5] = "PCIe switch upstream port",
				[0x6] = "PCIe switch downstream port",
				[0x7] = "PCIe to PCI bridge",
				[0x8] = "PCI to PCIe bridge",
				[0x9] = "root complex integrated endpoint",
				[0xa] = "root complex event collector",
			};

			tp = d->pcie_type < HV_ELEMENTSOF(types) ?
			     types[d->pcie_type] : NULL;
			if (!tp)
				tp = "PCIe (reserved port type)";
		}
		line = t_fmt(t, "class %06" PRIx32 " %s, subsystem %04x:%04x, "
			     "revision %02x%s%s, %s",
			     d->class_code & 0xffffff,
			     d->class_name ? d->class_name : "",
			     d->subsys_vendor_id, d->subsys_id, d->revision,
			     tp ? ", " : "", tp ? tp : "",
			     cfg ? cfg : "config unknown");
		if (line) {
			t_spaces(t, 16);
			t_wrap(t, 16, 16, line);
			fputc('\n', t->out);
		}
	}
}

static void
write_pci(struct tw *t)
{
	const struct hv_pci *pci = &t->host->pci;
	size_t hidden_bridges = 0, hidden_vfs = 0;
	_cleanup_free_ char *title = NULL;

	if (!hv_fact_ok(&pci->fact)) {
		t_section(t, "PCI devices");
		t_field_fact(t, "Devices", &pci->fact);
		return;
	}
	title = t_fmt(t, "PCI devices (%zu)", pci->n_devs);
	t_section(t, title ? title : "PCI devices");
	if (pci->n_devs == 0)
		t_field(t, "Devices", "none");
	for (size_t i = 0; i < pci->n_devs; i++) {
		const struct hv_pci_dev *d = &pci->devs[i];

		if (!t->verbose && d->physfn) {
			hidden_vfs++;
			continue;
		}
		if (!t->verbose && is_bridge(d)) {
			hidden_bridges++;
			continue;
		}
		write_pci_dev(t, d);
	}
	if (hidden_bridges || hidden_vfs) {
		_cleanup_free_ char *b = hidden_bridges ?
			t_fmt(t, "%zu bridge%s", hidden_bridges,
			      hidden_bridges == 1 ? "" : "s") : NULL;
		_cleanup_free_ char *v = hidden_vfs ?
			t_fmt(t, "%zu virtual function%s", hidden_vfs,
			      hidden_vfs == 1 ? "" : "s") : NULL;
		_cleanup_free_ char *s = t_fmt(t, "(%s%s%s not shown; --verbose "
					       "shows every device)",
					       b ? b : "", b && v ? " and " : "",
					       v ? v : "");

		if (s) {
			t_spaces(t, LABEL_COL);
			t_wrap(t, LABEL_COL, LABEL_COL, s);
			fputc('\n', t->out);
		}
	}
}

static void
write_sriov_pf(struct tw *t, const struct hv_pci_dev *d)
{
	const struct hv_sriov *sr = d->sriov;
	bool cap = hv_fact_ok(&sr->cap_fact);
	int total = sr->sysfs_totalvfs >= 0 ? sr->sysfs_totalvfs :
		    cap ? sr->total_vfs : -1;
	int num = sr->sysfs_numvfs >= 0 ? sr->sysfs_numvfs :
		  cap ? sr->num_vfs : -1;
	int vfdev = sr->sysfs_vf_device >= 0 ? sr->sysfs_vf_device :
		    cap ? sr->vf_device_id : -1;
	int off = sr->sysfs_offset >= 0 ? sr->sysfs_offset :
		  cap ? sr->vf_offset : -1;
	int stride = sr->sysfs_stride >= 0 ? sr->sysfs_stride :
		     cap ? sr->vf_stride : -1;
	_cleanup_free_ char *head = NULL, *name = NULL, *s = NULL;
	const char *nv[2] = { d->vendor_name, dev_name(d) };

	name = join(t, nv, 2, " ");
	head = t_fmt(t, "%s  %s", d->addr, name && *name ? name : "(unnamed)");
	if (!head)
		return;
	t_spaces(t, LABEL_COL);
	t_wrap(t, LABEL_COL, 16, head);
	fputc('\n', t->out);

	{
		_cleanup_free_ char *n = num >= 0 ? t_fmt(t, "%d", num) : NULL;
		_cleanup_free_ char *tt = total >= 0 ? t_fmt(t, "%d", total) : NULL;
		_cleanup_free_ char *init = cap ?
			t_fmt(t, " (initial %u)", sr->initial_vfs) : NULL;

		t_fieldf(t, "  VFs", "%s enabled of %s%s", n ? n : "unknown",
			 tt ? tt : "unknown", init ? init : "");
	}
	if (vfdev >= 0) {
		_cleanup_free_ char *o = off >= 0 ? t_fmt(t, ", offset %d", off) : NULL;
		_cleanup_free_ char *st = stride >= 0 ?
			t_fmt(t, ", stride %d", stride) : NULL;

		t_fieldf(t, "  VF device", "%04x:%04x%s%s", d->vendor_id,
			 (unsigned)vfdev & 0xffff, o ? o : "", st ? st : "");
	}
	t_field(t, "  Autoprobe", tri_word(sr->drivers_autoprobe));
	if (cap) {
		s = t_fmt(t, "at 0x%03x: VF enable %s, VF migration %s, "
			  "ARI hierarchy %s", sr->cap_offset,
			  sr->vf_enable ? "on" : "off",
			  sr->vf_migration_enable ? "on" : "off",
			  sr->ari_capable_hierarchy ? "on" : "off");
		if (s)
			t_field(t, "  Capability", s);
		if (t->verbose) {
			t_fieldf(t, "  Page sizes", "supported 0x%08" PRIx32
				 ", system 0x%08" PRIx32,
				 sr->supported_page_sizes, sr->system_page_size);
			t_fieldf(t, "  VF BARs", "0x%" PRIx64 " 0x%" PRIx64
				 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
				 " 0x%" PRIx64, sr->vf_bar[0], sr->vf_bar[1],
				 sr->vf_bar[2], sr->vf_bar[3], sr->vf_bar[4],
				 sr->vf_bar[5]);
		}
	} else {
		t_field_fact(t, "  Capability", &sr->cap_fact);
	}
	for (size_t i = 0; i < sr->vfs.n; i++) {
		const struct hv_pci_dev *vf = hv_host_pci_dev(t->host,
							      sr->vfs.v[i]);
		_cleanup_free_ char *label = t_fmt(t, "  VF %zu", i);
		_cleanup_free_ char *v = t_fmt(t, "%s  driver %s", sr->vfs.v[i],
					       vf && vf->driver ? vf->driver :
					       vf ? "none" : "unknown");

		if (label && v)
			t_field(t, label, v);
	}
}

static void
write_sriov(struct tw *t)
{
	const struct hv_pci *pci = &t->host->pci;
	bool any = false;

	if (!hv_fact_ok(&pci->fact))
		return;
	for (size_t i = 0; i < pci->n_devs; i++) {
		if (!pci->devs[i].sriov)
			continue;
		if (!any)
			t_section(t, "SR-IOV physical functions");
		any = true;
		write_sriov_pf(t, &pci->devs[i]);
	}
}

/* ---- diagnostics ------------------------------------------------------ */

static void
write_diags(struct tw *t)
{
	const struct hv_host *h = t->host;

	if (h->n_diags == 0)
		return;
	t_section(t, "Problems reading the host");
	for (size_t i = 0; i < h->n_diags; i++) {
		const struct hv_diag *d = &h->diags[i];
		_cleanup_free_ char *where = NULL, *s = NULL;

		if (d->path && d->line)
			where = t_fmt(t, "%s:%u: ", d->path, d->line);
		else if (d->path)
			where = t_fmt(t, "%s: ", d->path);
		s = t_fmt(t, "%s%s%s", where ? where : "", d->msg ? d->msg : "",
			  d->bad_input ? " (bad input)" : "");
		if (!s)
			return;
		t_spaces(t, LABEL_COL);
		t_wrap(t, LABEL_COL, 6, s);
		fputc('\n', t->out);
	}
}

static void
write_inventory(struct tw *t, const char *command)
{
	write_header(t, command);
	t->first_section = false;
	write_firmware(t);
	write_cpu(t);
	write_kernel(t);
	write_acpi_iommu(t);
	write_groups(t);
	write_pci(t);
	write_sriov(t);
	write_diags(t);
}

/* ---- audit ------------------------------------------------------------ */

#define TAG_COL		2
#define BODY_COL	12

static const struct {
	const char *tag;
	enum color color;
} status_tags[_HV_STATUS_MAX] = {
	[HV_STATUS_PASS] = { "[PASS]", C_GREEN },
	[HV_STATUS_WARN] = { "[WARN]", C_YELLOW },
	[HV_STATUS_FAIL] = { "[FAIL]", C_RED },
	[HV_STATUS_UNKNOWN] = { "[UNKNOWN]", C_MAGENTA },
	[HV_STATUS_SKIP] = { "[SKIP]", C_DIM },
	[HV_STATUS_NOTAPPLICABLE] = { "[N/A]", C_DIM },
	[HV_STATUS_FIXED] = { "[FIXED]", C_CYAN },
};

/* "label: text" at BODY_COL, wrapped under the text. */
static void
write_body(struct tw *t, const char *label, const char *text)
{
	size_t col = BODY_COL;

	if (!text)
		return;
	t_spaces(t, BODY_COL);
	if (label) {
		t_raw(t, label);
		col += strlen(label);
	}
	t_wrap(t, col, label ? BODY_COL + 10 : BODY_COL, text);
	fputc('\n', t->out);
}

static void
write_finding(struct tw *t, const struct hv_finding *f)
{
	unsigned s = (unsigned)f->status < _HV_STATUS_MAX ? f->status :
		     HV_STATUS_UNKNOWN;
	const char *tag = status_tags[s].tag;
	bool problem = f->status == HV_STATUS_FAIL ||
		       f->status == HV_STATUS_WARN ||
		       f->status == HV_STATUS_UNKNOWN;
	_cleanup_free_ char *title = t_fmt(t, "%s (%s)", f->check->title,
					   f->check->id);
	const char *remedy = f->remedy ? f->remedy : f->check->remedy;

	t_spaces(t, TAG_COL);
	t_on(t, status_tags[s].color);
	t_raw(t, tag);
	t_off(t);
	/* the longest tag, "[UNKNOWN]", still leaves a blank before BODY_COL */
	t_spaces(t, BODY_COL - TAG_COL - strlen(tag));
	if (title)
		t_wrap(t, BODY_COL, BODY_COL, title);
	fputc('\n', t->out);
	write_body(t, NULL, f->message);
	write_body(t, "observed: ", f->observed);
	write_body(t, "expected: ", f->expected);
	if (problem || t->verbose) {
		for (size_t i = 0; i < f->n_evidence; i++) {
			_cleanup_free_ char *e = t_fmt(t, "%s = %s",
				f->evidence[i].path ? f->evidence[i].path : "",
				f->evidence[i].value ? f->evidence[i].value : "");

			write_body(t, "evidence: ", e);
		}
	}
	if (problem && remedy)
		write_body(t, "remedy:   ", remedy);
}

static bool
area_known(const char *area)
{
	for (size_t i = 0; i < hv_n_areas; i++)
		if (hv_streq(hv_areas[i].id, area))
			return true;
	return false;
}

static void
write_audit(struct tw *t, const struct hv_audit *a)
{
	static const enum color verdict_colors[] = {
		[HV_VERDICT_READY] = C_GREEN,
		[HV_VERDICT_DEGRADED] = C_YELLOW,
		[HV_VERDICT_NOT_READY] = C_RED,
		[HV_VERDICT_UNKNOWN] = C_MAGENTA,
	};
	_cleanup_free_ char *profiles = hv_strv_join(&a->profiles, ", ");
	_cleanup_free_ char *verdict = NULL, *counts = NULL;
	bool other = false;

	write_header(t, "audit");
	if (!profiles) {
		t_oom(t);
		return;
	}
	t_raw(t, "Profiles: ");
	t_wrap(t, 10, 10, *profiles ? profiles : "(none)");
	fputc('\n', t->out);
	t->first_section = false;

	for (size_t i = 0; i < hv_n_areas; i++) {
		bool any = false;

		for (size_t k = 0; k < a->n_findings; k++) {
			const struct hv_finding *f = &a->findings[k];

			if (!hv_streq(f->check->area, hv_areas[i].id))
				continue;
			if (!any)
				t_section(t, hv_areas[i].title ?
					  hv_areas[i].title : hv_areas[i].id);
			any = true;
			write_finding(t, f);
		}
	}
	for (size_t k = 0; k < a->n_findings; k++) {
		const struct hv_finding *f = &a->findings[k];

		if (area_known(f->check->area))
			continue;
		if (!other)
			t_section(t, "Other");
		other = true;
		write_finding(t, f);
	}
	if (a->n_findings == 0) {
		t_section(t, "Findings");
		t_spaces(t, LABEL_COL);
		t_raw(t, "none: the profiles select no check\n");
	}
	write_diags(t);

	/* the counts that are not zero, in status order */
	{
		static const char *const names[_HV_STATUS_MAX] = {
			[HV_STATUS_PASS] = "pass",
			[HV_STATUS_WARN] = "warn",
			[HV_STATUS_FAIL] = "fail",
			[HV_STATUS_UNKNOWN] = "unknown",
			[HV_STATUS_SKIP] = "skip",
			[HV_STATUS_NOTAPPLICABLE] = "n/a",
			[HV_STATUS_FIXED] = "fixed",
		};
		struct hv_strv cs = { 0 };

		for (unsigned i = 0; i < _HV_STATUS_MAX; i++)
			if (a->counts[i] &&
			    hv_strv_push(&cs, t_fmt(t, "%u %s", a->counts[i],
						    names[i])) < 0)
				t_oom(t);
		counts = hv_strv_join(&cs, ", ");
		hv_strv_clear(&cs);
	}
	verdict = strdup(hv_verdict_to_string(a->verdict));
	if (!verdict || !counts) {
		t_oom(t);
		return;
	}
	for (char *p = verdict; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
		else if (*p == '-')
			*p = ' ';
	}
	fputc('\n', t->out);
	t_on(t, C_BOLD);
	t_raw(t, "Verdict: ");
	t_off(t);
	t_on(t, (unsigned)a->verdict < HV_ELEMENTSOF(verdict_colors) ?
	     verdict_colors[a->verdict] : C_MAGENTA);
	t_raw(t, verdict);
	t_off(t);
	{
		_cleanup_free_ char *rest = t_fmt(t, ", score %u/100%s%s%s",
						  a->score, *counts ? " (" : "",
						  counts, *counts ? ")" : "");

		if (rest)
			t_wrap(t, 9 + strlen(verdict), 2, rest);
	}
	fputc('\n', t->out);
}

/* ---- entry ------------------------------------------------------------ */

int
hv_write_text(FILE *out, const struct hv_report *r,
	      const struct hv_write_opts *o)
{
	struct tw t = {
		.out = out,
		.host = r->host,
		.color = o && o->color,
		.verbose = o && o->verbose,
		.first_section = true,
	};

	if (!r->host)
		return -EINVAL;
	if (r->audit) {
		for (size_t i = 0; i < r->audit->n_findings; i++)
			if (!r->audit->findings[i].check)
				return -EINVAL;
		write_audit(&t, r->audit);
	} else {
		write_inventory(&t, r->command ? r->command : "inventory");
	}
	if (fflush(out) != 0 || ferror(out))
		return -EIO;
	return t.err;
}
