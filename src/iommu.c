/*
 * iommu.c -- the IOMMU as the running kernel has it: the units it
 * registered, the groups with their default domain types, and the state
 * derived from those, the firmware tables and the command line.
 *
 * Reads:  sys/class/iommu/NAME/{intel-iommu,amd-iommu,devices/},
 *         sys/class/iommu/NAME/device/subsystem (a link),
 *         sys/kernel/iommu_groups/N/{type,devices/}.
 * Uses:   host->acpi (which tables are present), host->kernel.cmdline.
 * Fills:  host->iommu.
 *
 * The sysfs shapes (Linux 6.x; "type" since 5.11):
 *
 *   sys/class/iommu/dmar0 -> ../../devices/virtual/iommu/dmar0
 *       intel-iommu/{version,address,cap,ecap}
 *       devices/0000:00:02.0 -> ../../../../pci0000:00/0000:00:02.0
 *   sys/class/iommu/ivhd0 -> ../../devices/pci0000:00/0000:00:00.2/iommu/ivhd0
 *       amd-iommu/{cap,features}
 *       device -> ../../../0000:00:00.2
 *       devices/...
 *   sys/class/iommu/virtio0 -> .../0000:00:03.0/virtio0/iommu/virtio0
 *       device -> ../../../virtio0         device/subsystem -> .../bus/virtio
 *   sys/class/iommu/smmu3.0x0000000009050000   (Arm SMMUv3, "smmu." v1/v2)
 *   sys/kernel/iommu_groups/12/type           "DMA-FQ": DMA, DMA-FQ,
 *                                             identity, blocked, unmanaged,
 *                                             unknown (no default domain)
 *   sys/kernel/iommu_groups/12/devices/0000:3b:00.0 -> ../../../../devices/...
 *
 * Groups can exist with no unit behind them (VFIO's no-IOMMU mode): those
 * are no IOMMU, and the state says so.
 */
#include "hv-probe.h"

#define UNITS_DIR	"sys/class/iommu"
#define GROUPS_DIR	"sys/kernel/iommu_groups"
#define MAX_UNITS	1024
#define MAX_GROUPS	65536
#define MAX_DEVICES	8192	/* per unit or group */

/* A unit's kind from the driver's attribute group. */
static const struct {
	const char *subdir;
	const char *kind;
} unit_subdirs[] = {
	{ "intel-iommu", "intel-iommu" },
	{ "amd-iommu",   "amd-iommu" },
};

/* Else from the name the driver gives it (Arm SMMU drivers). */
static const struct {
	const char *prefix;
	const char *kind;
} unit_prefixes[] = {
	{ "smmu3.", "arm-smmu-v3" },
	{ "smmu.",  "arm-smmu" },
};

/* ---- units ------------------------------------------------------------ */

/* Names in dir, bounded; the list is sorted by strcmp (PCI addresses in
 * the order the PCI probe keeps). ENOENT gives an empty list. */
static int
list_devices(struct hv_root *root, struct hv_host *host, const char *dir,
	     struct hv_strv *ret)
{
	struct hv_strv sv = { 0 };
	int r;

	r = hv_root_list(root, dir, &sv);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0)
		return r;
	if (sv.n > MAX_DEVICES) {
		for (size_t i = MAX_DEVICES; i < sv.n; i++)
			free(sv.v[i]);
		sv.n = MAX_DEVICES;
		r = hv_host_diag(host, true, dir, 0, -E2BIG,
				 "more than %d devices; the rest are ignored",
				 MAX_DEVICES);
		if (r < 0) {
			hv_strv_clear(&sv);
			return r;
		}
	}
	hv_strv_sort(&sv);
	*ret = sv;
	return 0;
}

static int
unit_kind(struct hv_root *root, const char *name, char **ret)
{
	_cleanup_free_ char *link = NULL, *subsys = NULL;
	int r;

	for (size_t i = 0; i < HV_ELEMENTSOF(unit_subdirs); i++) {
		_cleanup_free_ char *rel = NULL;

		rel = hv_asprintf("%s/%s/%s", UNITS_DIR, name,
				  unit_subdirs[i].subdir);
		if (!rel)
			return -ENOMEM;
		if (hv_root_exists(root, rel) == 0) {
			(void)hv_root_record(root, rel);
			*ret = strdup(unit_subdirs[i].kind);
			return *ret ? 0 : -ENOMEM;
		}
	}
	for (size_t i = 0; i < HV_ELEMENTSOF(unit_prefixes); i++) {
		if (hv_startswith(name, unit_prefixes[i].prefix)) {
			*ret = strdup(unit_prefixes[i].kind);
			return *ret ? 0 : -ENOMEM;
		}
	}
	/* The parent device's bus: "virtio" for virtio-iommu. */
	link = hv_asprintf("%s/%s/device/subsystem", UNITS_DIR, name);
	if (!link)
		return -ENOMEM;
	r = hv_root_readlink_base(root, link, &subsys);
	if (r == -ENOMEM)
		return r;
	*ret = strdup(r == 0 ? subsys : "unknown");
	return *ret ? 0 : -ENOMEM;
}

static int
probe_units(struct hv_root *root, struct hv_host *host)
{
	struct hv_iommu *io = &host->iommu;
	struct hv_strv names = { 0 };
	int r;

	r = hv_root_list(root, UNITS_DIR, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_from_errno(&io->units_fact, UNITS_DIR, r);

	if (names.n > MAX_UNITS) {
		hv_strv_clear(&names);
		r = hv_fact_set_invalid(&io->units_fact, UNITS_DIR, -E2BIG,
					"more than %d IOMMU units", MAX_UNITS);
		if (r < 0)
			return r;
		return hv_host_diag(host, true, UNITS_DIR, 0, -E2BIG,
				    "more than %d IOMMU units", MAX_UNITS);
	}
	io->units = calloc(names.n ? names.n : 1, sizeof(*io->units));
	if (!io->units) {
		hv_strv_clear(&names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct hv_iommu_unit *u = &io->units[io->n_units];
		_cleanup_free_ char *devs = NULL;

		devs = hv_asprintf("%s/%s/devices", UNITS_DIR, names.v[i]);
		if (!devs) {
			r = -ENOMEM;
			break;
		}
		u->name = HV_TAKE_PTR(names.v[i]);
		io->n_units++;
		r = unit_kind(root, u->name, &u->kind);
		if (r < 0)
			break;
		r = list_devices(root, host, devs, &u->devices);
		if (r < 0)
			break;
	}
	hv_strv_clear(&names);
	if (r < 0 && r != -ENOMEM) {
		/* A unit directory that cannot be read: the units are not
		 * known as a whole. */
		return hv_fact_set_unknown(&io->units_fact, UNITS_DIR, r);
	}
	if (r < 0)
		return r;
	return hv_fact_set_ok(&io->units_fact, UNITS_DIR);
}

/* ---- groups ----------------------------------------------------------- */

static int
cmp_groups(const void *a, const void *b)
{
	unsigned x = ((const struct hv_iommu_group *)a)->id;
	unsigned y = ((const struct hv_iommu_group *)b)->id;

	return x < y ? -1 : x > y;
}

static bool
group_id(const char *name, unsigned *ret)
{
	uint32_t v;

	for (const char *p = name; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	if (hv_parse_u32(name, 10, &v) < 0)
		return false;
	*ret = v;
	return true;
}

static int
probe_groups(struct hv_root *root, struct hv_host *host)
{
	struct hv_iommu *io = &host->iommu;
	struct hv_strv names = { 0 };
	size_t cap = 0;
	int r = 0;

	r = hv_root_list(root, GROUPS_DIR, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_from_errno(&io->groups_fact, GROUPS_DIR, r);

	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *type = NULL, *devs = NULL, *t = NULL;
		struct hv_iommu_group *g;
		unsigned id;

		if (!group_id(names.v[i], &id)) {
			_cleanup_free_ char *rel =
				hv_asprintf("%s/%s", GROUPS_DIR, names.v[i]);

			r = rel ? hv_host_diag(host, true, rel, 0, -EBADMSG,
					       "not an IOMMU group number")
				: -ENOMEM;
			if (r < 0)
				break;
			continue;
		}
		if (io->n_groups >= MAX_GROUPS) {
			r = hv_host_diag(host, true, GROUPS_DIR, 0, -E2BIG,
					 "more than %d IOMMU groups; the rest "
					 "are ignored", MAX_GROUPS);
			break;
		}
		type = hv_asprintf("%s/%s/type", GROUPS_DIR, names.v[i]);
		devs = hv_asprintf("%s/%s/devices", GROUPS_DIR, names.v[i]);
		if (!type || !devs ||
		    HV_GROW(io->groups, cap, io->n_groups + 1) < 0) {
			r = -ENOMEM;
			break;
		}
		g = &io->groups[io->n_groups++];
		*g = (struct hv_iommu_group){ .id = id };
		/* No type file before Linux 5.11: NULL, judged elsewhere. */
		r = hv_root_read_str(root, type, &t);
		if (r == -ENOMEM)
			break;
		if (r == 0 && t[0] != '\0')
			g->type = HV_TAKE_PTR(t);
		r = list_devices(root, host, devs, &g->devices);
		if (r < 0)
			break;
	}
	hv_strv_clear(&names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_unknown(&io->groups_fact, GROUPS_DIR, r);
	if (io->n_groups > 1)
		qsort(io->groups, io->n_groups, sizeof(*io->groups),
		      cmp_groups);
	return hv_fact_set_ok(&io->groups_fact, GROUPS_DIR);
}

/* ---- the state -------------------------------------------------------- */

/* kstrtobool() of lib/kstrtox.c. -EINVAL if not a boolean. */
static int
kstrtobool(const char *s, bool *ret)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case '1':
		*ret = true;
		return 0;
	case 'n': case 'N': case '0':
		*ret = false;
		return 0;
	case 'o': case 'O':
		switch (s[1]) {
		case 'n': case 'N':
			*ret = true;
			return 0;
		case 'f': case 'F':
			*ret = false;
			return 0;
		default:
			break;
		}
		break;
	default:
		break;
	}
	return -EINVAL;
}

/*
 * Does the command line ask for passthrough by default? As the kernel
 * processes it, in order, the last word winning: iommu= (x86's
 * iommu_setup(): comma-separated words, "pt" and "nopt" by prefix) and
 * iommu.passthrough= (kstrtobool). Returns the parameter that decided,
 * or NULL when none did (then *ret_pt is false).
 */
static const struct hv_kparam *
cmdline_passthrough(const struct hv_cmdline *c, bool *ret_pt)
{
	const struct hv_kparam *decided = NULL;
	bool pt = false;

	for (size_t i = 0; i < c->n_params; i++) {
		const struct hv_kparam *p = &c->params[i];

		if (!p->value)
			continue;
		if (hv_cmdline_parameq(p->key, "iommu")) {
			const char *w = p->value;

			while (*w) {
				if (strncmp(w, "pt", 2) == 0) {
					pt = true;
					decided = p;
				}
				if (strncmp(w, "nopt", 4) == 0) {
					pt = false;
					decided = p;
				}
				w += strcspn(w, ",");
				if (*w == ',')
					w++;
			}
		} else if (hv_cmdline_parameq(p->key, "iommu.passthrough")) {
			bool b;

			if (kstrtobool(p->value, &b) == 0) {
				pt = b;
				decided = p;
			}
		}
	}
	*ret_pt = pt;
	return decided;
}

static bool
type_is(const char *type, const char *what)
{
	return type && strcmp(type, what) == 0;
}

static int
set_state(struct hv_iommu *io, enum hv_iommu_state state, char *reason)
{
	if (!reason)
		return -ENOMEM;
	free(io->state_reason);
	io->state = state;
	io->state_reason = reason;
	return 0;
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The firmware tables present, "DMAR" or "DMAR, IVRS"; "" if none.
 * *ret_unknown is set when one of them could not be told. */
static char *
tables_present(const struct hv_acpi *a, bool *ret_unknown)
{
	const struct hv_acpi_table *t[] = { &a->dmar, &a->ivrs, &a->viot,
					    &a->iort };
	struct hv_strv sv = { 0 };
	bool unknown = false;
	char *s;

	for (size_t i = 0; i < HV_ELEMENTSOF(t); i++) {
		if (t[i]->present) {
			if (hv_strv_add(&sv, t[i]->signature) < 0) {
				hv_strv_clear(&sv);
				return NULL;
			}
		} else if (t[i]->fact.state != HV_FACT_ABSENT) {
			unknown = true;
		}
	}
	s = hv_strv_join(&sv, ", ");
	hv_strv_clear(&sv);
	*ret_unknown = unknown;
	return s;
}

static char *
fact_why(const struct hv_fact *f)
{
	_cleanup_free_ char *why = hv_fact_reason(f);

	if (!why)
		return NULL;
	return hv_asprintf("%s: %s", f->source ? f->source : "?", why);
}

/* Why the groups did not tell the domain type; NULL on ENOMEM. */
static char *
no_type_why(const struct hv_iommu *io, size_t n_typed)
{
	if (!hv_fact_ok(&io->groups_fact)) {
		_cleanup_free_ char *why = fact_why(&io->groups_fact);

		return why ? hv_asprintf("the IOMMU groups are not known "
					 "(%s)", why) : NULL;
	}
	if (io->n_groups == 0)
		return strdup("there is no IOMMU group");
	if (n_typed == 0)
		return strdup("no group shows its default domain type "
			      "(Linux before 5.11)");
	return strdup("no group has a DMA, DMA-FQ or identity default "
		      "domain");
}

/* With units registered: judge from the groups' default domain types,
 * else from the command line. */
static int
derive_with_units(struct hv_host *host)
{
	struct hv_iommu *io = &host->iommu;
	size_t n_dma = 0, n_identity = 0, n_other = 0, n_typed = 0;
	const struct hv_kparam *decided;
	_cleanup_free_ char *why = NULL;
	bool pt;

	if (hv_fact_ok(&io->groups_fact)) {
		for (size_t i = 0; i < io->n_groups; i++) {
			const char *t = io->groups[i].type;

			if (t && strcmp(t, "unknown") != 0)
				n_typed++;
			if (type_is(t, "DMA") || type_is(t, "DMA-FQ"))
				n_dma++;
			else if (type_is(t, "identity"))
				n_identity++;
			else if (type_is(t, "unmanaged") ||
				 type_is(t, "blocked"))
				n_other++;
		}
	}
	if (n_dma > 0)
		return set_state(io, HV_IOMMU_STATE_TRANSLATED, hv_asprintf(
			"%zu IOMMU unit%s registered and %zu of %zu group%s "
			"translate DMA (default domain DMA or DMA-FQ).",
			io->n_units, plural(io->n_units), n_dma, io->n_groups,
			plural(io->n_groups)));
	if (n_identity > 0)
		return set_state(io, HV_IOMMU_STATE_PASSTHROUGH, hv_asprintf(
			"%zu IOMMU unit%s registered and no group translates: "
			"%zu identity-mapped (passthrough), %zu unmanaged or "
			"blocked.",
			io->n_units, plural(io->n_units), n_identity, n_other));

	why = no_type_why(io, n_typed);
	if (!why)
		return -ENOMEM;
	if (!hv_fact_ok(&host->kernel.cmdline_fact)) {
		_cleanup_free_ char *cwhy =
			fact_why(&host->kernel.cmdline_fact);

		if (!cwhy)
			return -ENOMEM;
		return set_state(io, HV_IOMMU_STATE_UNKNOWN, hv_asprintf(
			"%zu IOMMU unit%s registered, but %s and the kernel "
			"command line is not known (%s).",
			io->n_units, plural(io->n_units), why, cwhy));
	}
	decided = cmdline_passthrough(&host->kernel.cmdline, &pt);
	if (decided)
		return set_state(io, pt ? HV_IOMMU_STATE_PASSTHROUGH
					: HV_IOMMU_STATE_TRANSLATED,
			hv_asprintf(
			"%zu IOMMU unit%s registered; %s, so %s is inferred "
			"from %s=%s on the command line.",
			io->n_units, plural(io->n_units), why,
			pt ? "passthrough" : "translation", decided->key,
			decided->value));
	return set_state(io, HV_IOMMU_STATE_TRANSLATED, hv_asprintf(
		"%zu IOMMU unit%s registered; %s, so translation is inferred "
		"from a command line with neither iommu=pt nor "
		"iommu.passthrough=1 (a kernel built for passthrough by "
		"default would differ).",
		io->n_units, plural(io->n_units), why));
}

int
hv_iommu_derive_state(struct hv_host *host)
{
	struct hv_iommu *io = &host->iommu;
	_cleanup_free_ char *tables = NULL, *orphans = NULL;
	bool tables_unknown;

	if (io->units_fact.state == HV_FACT_OK && io->n_units > 0)
		return derive_with_units(host);

	if (io->units_fact.state != HV_FACT_OK &&
	    io->units_fact.state != HV_FACT_ABSENT) {
		_cleanup_free_ char *why = fact_why(&io->units_fact);

		if (!why)
			return -ENOMEM;
		return set_state(io, HV_IOMMU_STATE_UNKNOWN, hv_asprintf(
			"The IOMMU units the kernel registered are not known "
			"(%s).", why));
	}

	/* No unit registered (or no IOMMU class at all in the kernel). */
	tables = tables_present(&host->acpi, &tables_unknown);
	if (!tables)
		return -ENOMEM;
	if (tables[0] != '\0')
		return set_state(io, HV_IOMMU_STATE_OFF, hv_asprintf(
			"The firmware describes an IOMMU (ACPI %s) but the "
			"kernel registered no IOMMU unit: it is off in the "
			"kernel or not built in.", tables));
	if (tables_unknown)
		return set_state(io, HV_IOMMU_STATE_UNKNOWN, strdup(
			"The kernel registered no IOMMU unit, and whether the "
			"firmware describes one is not known (the ACPI tables "
			"could not be checked)."));

	if (hv_fact_ok(&io->groups_fact) && io->n_groups > 0)
		orphans = hv_asprintf(
			"; its %zu IOMMU group%s have no IOMMU behind them "
			"(VFIO no-IOMMU mode)", io->n_groups,
			plural(io->n_groups));
	else
		orphans = strdup("");
	if (!orphans)
		return -ENOMEM;
	return set_state(io, HV_IOMMU_STATE_ABSENT, hv_asprintf(
		"The firmware describes no IOMMU (no DMAR, IVRS, VIOT or "
		"IORT table) and the kernel registered no IOMMU unit%s.",
		orphans));
}

int
hv_iommu_probe(struct hv_root *root, struct hv_host *host)
{
	int r;

	r = probe_units(root, host);
	if (r < 0)
		return r;
	r = probe_groups(root, host);
	if (r < 0)
		return r;
	return hv_iommu_derive_state(host);
}
