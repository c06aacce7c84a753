/*
 * kernel.c -- the running kernel: release, host name, command line, the
 * KVM/VFIO/IOMMU modules and their parameters, /dev/kvm, hugepages.
 *
 * Reads:  proc/sys/kernel/osrelease, proc/sys/kernel/hostname,
 *         proc/cmdline, sys/module/NAME/{initstate,parameters/NAME},
 *         lib/modules/RELEASE/{modules.dep,modules.builtin},
 *         sys/class/misc/kvm, dev/kvm (live: opened, KVM_GET_API_VERSION),
 *         sys/kernel/mm/hugepages/hugepages-NkB/{nr,free}_hugepages,
 *         proc/meminfo (Hugepagesize).
 * Fills:  host->kernel.
 *
 * Module index lines (kmod's formats), of which only the module's file
 * name matters here ("vfio-pci.ko.zst" is module "vfio_pci"):
 *   modules.dep:     kernel/drivers/vfio/pci/vfio-pci.ko.zst: kernel/...
 *   modules.builtin: kernel/drivers/vfio/vfio.ko
 */
#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hv-probe.h"

#define MAX_MODULE_PARAMS	256	/* per module */
#define MAX_HUGEPAGE_SIZES	64
#define MODULE_NAME_MAX		64	/* the kernel's MODULE_NAME_LEN is 56 */

/* The modules that matter for virtualization, in report order. */
static const struct kmod_spec {
	const char *name;
	bool only_if_present;	/* listed only when loaded or installed */
} kmod_specs[] = {
	{ "kvm",		false },
	{ "kvm_intel",		false },
	{ "kvm_amd",		false },
	{ "kvm_pvm",		true },	/* PVM: KVM without VMX/SVM */
	{ "vfio",		false },
	{ "vfio_pci",		false },
	{ "vfio_iommu_type1",	false },
	{ "iommufd",		false },
};
#define N_KMODS HV_ELEMENTSOF(kmod_specs)

/* What the module index of the running release says. */
struct kmod_index {
	bool read;			/* modules.dep was read */
	bool installed[N_KMODS];	/* listed in modules.dep */
	bool builtin[N_KMODS];		/* listed in modules.builtin */
};

/*
 * modules.dep is absent: is that known? Live, list the nearest directory
 * that exists on the way to it (lib/modules/RELEASE, lib/modules, lib), so
 * a capture holds that listing and knows the absence too; in a capture,
 * the absence is known when one of those directories was captured.
 */
static bool
index_absence_known(struct hv_root *root, const char *release)
{
	_cleanup_free_ char *reldir = hv_asprintf("lib/modules/%s", release);
	const char *const dirs[] = { reldir, "lib/modules", "lib" };

	for (size_t i = 0; i < HV_ELEMENTSOF(dirs); i++) {
		struct hv_strv sv = { 0 };

		if (!dirs[i])
			continue;
		if (!hv_root_is_live(root)) {
			if (hv_root_exists(root, dirs[i]) == 0)
				return true;
			continue;
		}
		if (hv_root_list(root, dirs[i], &sv) == 0) {
			hv_strv_clear(&sv);
			return true;
		}
	}
	return hv_root_is_live(root);
}

/* Read a one-line attribute into *ret and set its fact; an empty one is
 * malformed (the kernel never leaves these empty). */
static int
read_attr(struct hv_root *root, struct hv_host *host, const char *rel,
	  struct hv_fact *fact, char **ret)
{
	char *s = NULL;
	int r;

	r = hv_root_read_str(root, rel, &s);
	if (r == -ENOMEM)
		return r;
	if (r == 0 && s[0] == '\0') {
		free(s);
		r = hv_fact_set_invalid(fact, rel, -EBADMSG, "empty file");
		if (r < 0)
			return r;
		return hv_host_diag(host, true, rel, 1, -EBADMSG,
				    "empty file");
	}
	if (r == 0) {
		free(*ret);
		*ret = s;
	}
	return hv_fact_set_from_errno(fact, rel, r);
}

/* ---- command line ----------------------------------------------------- */

static int
probe_cmdline(struct hv_root *root, struct hv_host *host)
{
	struct hv_kernel *k = &host->kernel;
	static const char rel[] = "proc/cmdline";
	_cleanup_free_ char *buf = NULL;
	size_t len;
	char *s;
	int r;

	r = hv_root_read(root, rel, HV_READ_SMALL, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -EFBIG) {
		r = hv_fact_set_invalid(&k->cmdline_fact, rel, r,
					"larger than %u bytes", HV_READ_SMALL);
		if (r < 0)
			return r;
		return hv_host_diag(host, true, rel, 0, -EFBIG,
				    "kernel command line larger than %u bytes",
				    HV_READ_SMALL);
	}
	if (r < 0)
		return hv_fact_set_from_errno(&k->cmdline_fact, rel, r);

	if (strlen(buf) != len) {
		size_t off = strlen(buf);

		r = hv_fact_set_invalid(&k->cmdline_fact, rel, -EBADMSG,
					"NUL byte at offset %zu", off);
		if (r < 0)
			return r;
		return hv_host_diag(host, true, rel, 0, -EBADMSG,
				    "NUL byte at offset %zu in the command line",
				    off);
	}

	s = hv_strstrip(buf);
	free(k->cmdline_raw);
	k->cmdline_raw = strdup(s);
	if (!k->cmdline_raw)
		return -ENOMEM;

	hv_cmdline_clear(&k->cmdline);
	r = hv_cmdline_parse(s, &k->cmdline);
	if (r == -E2BIG) {
		r = hv_fact_set_invalid(&k->cmdline_fact, rel, -E2BIG,
					"more than %d parameters",
					HV_CMDLINE_MAX_PARAMS);
		if (r < 0)
			return r;
		return hv_host_diag(host, true, rel, 1, -E2BIG,
				    "more than %d kernel parameters",
				    HV_CMDLINE_MAX_PARAMS);
	}
	if (r < 0)
		return r;
	return hv_fact_set_ok(&k->cmdline_fact, rel);
}

/* ---- modules ---------------------------------------------------------- */

/*
 * The module name of an index line: the file name of its first path, up
 * to the first '.', with '-' read as '_' (kmod's modname_normalize).
 */
static bool
index_line_name(const char *line, size_t n, char *name, size_t size)
{
	size_t end = 0, start = 0, o = 0;

	while (end < n && line[end] != ':')
		end++;
	for (size_t i = 0; i < end; i++)
		if (line[i] == '/')
			start = i + 1;
	for (size_t i = start; i < end && line[i] != '.'; i++) {
		if (o + 1 >= size)
			return false;
		name[o++] = line[i] == '-' ? '_' : line[i];
	}
	name[o] = '\0';
	return o > 0;
}

static void
index_scan(const char *text, size_t len, bool *found)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char name[MODULE_NAME_MAX];

		if (index_line_name(p, n, name, sizeof(name)))
			for (size_t i = 0; i < N_KMODS; i++)
				if (strcmp(name, kmod_specs[i].name) == 0)
					found[i] = true;
		p += n + 1;
	}
}

/* A release string is safe as one path component. */
static bool
release_ok(const char *rel)
{
	return rel && *rel && strchr(rel, '/') == NULL &&
	       strcmp(rel, ".") != 0 && strcmp(rel, "..") != 0;
}

static int
probe_module_index(struct hv_root *root, struct hv_kernel *k,
		   struct kmod_index *idx)
{
	_cleanup_free_ char *dep = NULL, *builtin = NULL, *text = NULL;
	size_t len;
	int r;

	if (!hv_fact_ok(&k->release_fact) || !release_ok(k->release)) {
		/* Without the release there is no index to look in. */
		r = hv_fact_set_unknown(&k->modules_index_fact,
					"lib/modules", -ENOENT);
		if (r < 0)
			return r;
		k->modules_index_fact.msg =
			strdup("the kernel release is not known");
		return k->modules_index_fact.msg ? 0 : -ENOMEM;
	}

	dep = hv_asprintf("lib/modules/%s/modules.dep", k->release);
	builtin = hv_asprintf("lib/modules/%s/modules.builtin", k->release);
	if (!dep || !builtin)
		return -ENOMEM;

	r = hv_root_read(root, dep, HV_READ_MAX, &text, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT || r == -ENOTDIR) {
		if (index_absence_known(root, k->release))
			return hv_fact_set_absent(&k->modules_index_fact, dep);
		r = hv_fact_set_unknown(&k->modules_index_fact, dep, r);
		if (r < 0)
			return r;
		k->modules_index_fact.msg = strdup("lib/modules not captured");
		return k->modules_index_fact.msg ? 0 : -ENOMEM;
	}
	if (r < 0)
		return hv_fact_set_unknown(&k->modules_index_fact, dep, r);
	index_scan(text, len, idx->installed);
	idx->read = true;
	free(text);
	text = NULL;

	/* modules.builtin is optional (kernels with no built-in modules). */
	r = hv_root_read(root, builtin, HV_READ_MAX, &text, &len);
	if (r == -ENOMEM)
		return r;
	if (r == 0)
		index_scan(text, len, idx->builtin);
	return hv_fact_set_ok(&k->modules_index_fact, dep);
}

static int
cmp_kparam(const void *a, const void *b)
{
	return strcmp(((const struct hv_kparam *)a)->key,
		      ((const struct hv_kparam *)b)->key);
}

/* sys/module/NAME/parameters/P: each value stripped; unreadable: NULL. */
static int
probe_module_params(struct hv_root *root, struct hv_module *m)
{
	_cleanup_free_ char *dir = NULL;
	struct hv_strv names = { 0 };
	size_t cap = 0;
	int r;

	dir = hv_asprintf("sys/module/%s/parameters", m->name);
	if (!dir)
		return -ENOMEM;
	r = hv_root_list(root, dir, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;	/* no parameters (or none visible) */

	for (size_t i = 0; i < names.n && i < MAX_MODULE_PARAMS; i++) {
		_cleanup_free_ char *rel = NULL;
		struct hv_kparam *p;
		char *value = NULL;

		rel = hv_asprintf("%s/%s", dir, names.v[i]);
		if (!rel || HV_GROW(m->params, cap, m->n_params + 1) < 0) {
			hv_strv_clear(&names);
			return -ENOMEM;
		}
		r = hv_root_read_str(root, rel, &value);
		if (r == -ENOMEM) {
			hv_strv_clear(&names);
			return r;
		}
		p = &m->params[m->n_params++];
		p->key = names.v[i];
		names.v[i] = NULL;
		p->value = r == 0 ? value : NULL;
		p->err = r == 0 ? 0 : r;
	}
	hv_strv_clear(&names);
	if (m->n_params > 1)
		qsort(m->params, m->n_params, sizeof(*m->params), cmp_kparam);
	return 0;
}

static int
probe_one_module(struct hv_root *root, struct hv_kernel *k, size_t i,
		 const struct kmod_index *idx)
{
	const struct kmod_spec *spec = &kmod_specs[i];
	_cleanup_free_ char *dir = NULL, *initstate = NULL, *state = NULL;
	struct hv_module m = { 0 };
	int r, rs;

	dir = hv_asprintf("sys/module/%s", spec->name);
	initstate = hv_asprintf("sys/module/%s/initstate", spec->name);
	if (!dir || !initstate)
		return -ENOMEM;

	if (!hv_fact_ok(&k->modules_fact)) {
		m.loaded = idx->builtin[i] ? HV_TRI_YES : HV_TRI_UNKNOWN;
		m.builtin = idx->builtin[i];
	} else {
		r = hv_root_exists(root, dir);
		if (r == 0) {
			(void)hv_root_record(root, dir);
			m.loaded = HV_TRI_YES;
			rs = hv_root_read_str(root, initstate, &state);
			if (rs == -ENOMEM)
				return rs;
			/* Built-in modules have no initstate. */
			m.builtin = rs == -ENOENT;
		} else if (r == -ENOENT || r == -ENOTDIR) {
			/* A built-in module without parameters has no
			 * sys/module directory; modules.builtin knows it. */
			m.loaded = idx->builtin[i] ? HV_TRI_YES : HV_TRI_NO;
			m.builtin = idx->builtin[i];
		} else {
			m.loaded = HV_TRI_UNKNOWN;
		}
	}

	if (m.loaded == HV_TRI_YES || idx->installed[i])
		m.available = HV_TRI_YES;
	else if (idx->read && m.loaded == HV_TRI_NO)
		m.available = HV_TRI_NO;
	else if (!idx->read && m.loaded == HV_TRI_NO &&
		 k->modules_index_fact.state == HV_FACT_ABSENT)
		m.available = HV_TRI_NO;	/* no module tree installed */
	else
		m.available = HV_TRI_UNKNOWN;

	if (spec->only_if_present && m.available != HV_TRI_YES)
		return 0;

	m.name = strdup(spec->name);
	if (!m.name)
		return -ENOMEM;
	if (m.loaded == HV_TRI_YES) {
		r = probe_module_params(root, &m);
		if (r < 0)
			goto fail;
	}
	/* k->modules has room: see probe_modules(). */
	k->modules[k->n_modules++] = m;
	return 0;
fail:
	free(m.name);
	for (size_t j = 0; j < m.n_params; j++) {
		free(m.params[j].key);
		free(m.params[j].value);
	}
	free(m.params);
	return r;
}

static int
probe_modules(struct hv_root *root, struct hv_kernel *k)
{
	struct kmod_index idx = { 0 };
	int r;

	r = hv_root_exists(root, "sys/module");
	if (r == -ENOMEM)
		return r;
	if (r == 0)
		(void)hv_root_record(root, "sys/module");
	r = hv_fact_set_from_errno(&k->modules_fact, "sys/module", r);
	if (r < 0)
		return r;

	r = probe_module_index(root, k, &idx);
	if (r < 0)
		return r;

	k->modules = calloc(N_KMODS, sizeof(*k->modules));
	if (!k->modules)
		return -ENOMEM;
	k->n_modules = 0;
	for (size_t i = 0; i < N_KMODS; i++) {
		r = probe_one_module(root, k, i, &idx);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- /dev/kvm --------------------------------------------------------- */

static void
set_dev_kvm(struct hv_kernel *k, enum hv_tri exists, enum hv_tri usable)
{
	k->dev_kvm = exists;
	k->dev_kvm_usable = usable;
}

static int
probe_dev_kvm_live(struct hv_root *root, struct hv_kernel *k, bool registered)
{
	int fd, v;

	fd = hv_root_open_file(root, "dev/kvm", O_RDWR | O_NOCTTY);
	if (fd >= 0) {
		v = ioctl(fd, KVM_GET_API_VERSION, 0);
		if (v < 0) {
			int e = -errno;

			close(fd);
			set_dev_kvm(k, HV_TRI_YES, HV_TRI_NO);
			return hv_fact_set_unknown(&k->dev_kvm_fact, "dev/kvm",
						   e);
		}
		close(fd);
		k->kvm_api_version = v;
		set_dev_kvm(k, HV_TRI_YES,
			    hv_tri_from_bool(v == KVM_API_VERSION));
		return hv_fact_set_ok(&k->dev_kvm_fact, "dev/kvm");
	}
	switch (fd) {
	case -EACCES:
	case -EPERM:
		/* The node exists; this user may not open it. */
		set_dev_kvm(k, HV_TRI_YES, HV_TRI_UNKNOWN);
		return hv_fact_set_unknown(&k->dev_kvm_fact, "dev/kvm", fd);
	case -ENOENT:
		if (registered) {
			/* Registered, but no device node (a container). */
			set_dev_kvm(k, HV_TRI_YES, HV_TRI_NO);
			return hv_fact_set_ok(&k->dev_kvm_fact, "dev/kvm");
		}
		set_dev_kvm(k, HV_TRI_NO, HV_TRI_NO);
		return hv_fact_set_absent(&k->dev_kvm_fact,
					  "sys/class/misc/kvm");
	case -ENXIO:
	case -ENODEV:
		/* A stale node: no driver behind it. */
		set_dev_kvm(k, hv_tri_from_bool(registered), HV_TRI_NO);
		return hv_fact_set_ok(&k->dev_kvm_fact, "dev/kvm");
	default:
		set_dev_kvm(k, registered ? HV_TRI_YES : HV_TRI_UNKNOWN,
			    HV_TRI_UNKNOWN);
		return hv_fact_set_unknown(&k->dev_kvm_fact, "dev/kvm", fd);
	}
}

/*
 * Does the class entry rel exist? A class entry is a link into
 * sys/devices; a capture may hold the link without its target, and the
 * link alone says the device is registered.
 */
static int
class_entry_exists(struct hv_root *root, const char *rel)
{
	_cleanup_free_ char *target = NULL;
	int r;

	r = hv_root_exists(root, rel);
	if (r == 0) {
		(void)hv_root_record(root, rel);
		return 0;
	}
	if (r != -ENOENT)
		return r;
	r = hv_root_readlink(root, rel, &target);
	if (r == -ENOMEM)
		return r;
	return r == 0 ? 0 : -ENOENT;
}

static int
probe_dev_kvm(struct hv_root *root, struct hv_kernel *k)
{
	int r;

	k->kvm_api_version = -1;
	r = class_entry_exists(root, "sys/class/misc/kvm");
	if (r == -ENOMEM)
		return r;
	if (r != 0 && r != -ENOENT && r != -ENOTDIR) {
		set_dev_kvm(k, HV_TRI_UNKNOWN, HV_TRI_UNKNOWN);
		return hv_fact_set_unknown(&k->dev_kvm_fact,
					   "sys/class/misc/kvm", r);
	}

	if (hv_root_is_live(root))
		return probe_dev_kvm_live(root, k, r == 0);

	/* A capture: registration is all there is; nothing is opened. */
	if (r == 0) {
		set_dev_kvm(k, HV_TRI_YES, HV_TRI_UNKNOWN);
		return hv_fact_set_ok(&k->dev_kvm_fact, "sys/class/misc/kvm");
	}
	if (hv_root_exists(root, "dev/kvm") == 0) {
		(void)hv_root_record(root, "dev/kvm");
		set_dev_kvm(k, HV_TRI_YES, HV_TRI_UNKNOWN);
		return hv_fact_set_ok(&k->dev_kvm_fact, "dev/kvm");
	}
	if (hv_root_exists(root, "sys/class/misc") == 0) {
		set_dev_kvm(k, HV_TRI_NO, HV_TRI_NO);
		return hv_fact_set_absent(&k->dev_kvm_fact,
					  "sys/class/misc/kvm");
	}
	set_dev_kvm(k, HV_TRI_UNKNOWN, HV_TRI_UNKNOWN);
	r = hv_fact_set_unknown(&k->dev_kvm_fact, "sys/class/misc/kvm",
				-ENOENT);
	if (r < 0)
		return r;
	k->dev_kvm_fact.msg = strdup("sys/class/misc not captured");
	return k->dev_kvm_fact.msg ? 0 : -ENOMEM;
}

/* ---- hugepages -------------------------------------------------------- */

/* "hugepages-2048kB" -> 2048. false if the name is not of that form. */
static bool
hugepage_dir_size(const char *name, unsigned long *ret)
{
	static const char prefix[] = "hugepages-";
	_cleanup_free_ char *num = NULL;
	size_t l = strlen(name);
	uint64_t v;

	if (!hv_startswith(name, prefix) || l < sizeof(prefix) + 2 ||
	    strcmp(name + l - 2, "kB") != 0)
		return false;
	num = strndup(name + sizeof(prefix) - 1, l - (sizeof(prefix) - 1) - 2);
	if (!num || num[0] < '0' || num[0] > '9')
		return false;
	if (hv_parse_u64(num, 10, &v) < 0 || v == 0 || v > ULONG_MAX)
		return false;
	*ret = (unsigned long)v;
	return true;
}

static int
cmp_hugepages(const void *a, const void *b)
{
	unsigned long x = ((const struct hv_hugepages *)a)->size_kb;
	unsigned long y = ((const struct hv_hugepages *)b)->size_kb;

	return x < y ? -1 : x > y;
}

/* Hugepagesize from proc/meminfo ("Hugepagesize:       2048 kB"). */
static int
probe_meminfo(struct hv_root *root, struct hv_host *host)
{
	static const char rel[] = "proc/meminfo", key[] = "Hugepagesize:";
	_cleanup_free_ char *buf = NULL;
	unsigned line = 0;
	size_t len;
	char *p, *end;
	int r;

	r = hv_root_read(root, rel, HV_READ_SMALL, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;	/* 0: not known; hugepages_fact has the sizes */
	for (p = buf, end = buf + len; p < end; p++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *num, *unit;
		uint64_t v;

		line++;
		if (nl)
			*nl = '\0';
		else
			nl = end;
		if (hv_startswith(p, key)) {
			num = p + sizeof(key) - 1;
			unit = strstr(num, " kB");
			if (unit)
				*unit = '\0';
			if (!unit || hv_parse_u64(num, 10, &v) < 0 ||
			    v > ULONG_MAX)
				return hv_host_diag(host, true, rel, line,
						    -EBADMSG,
						    "malformed Hugepagesize line");
			host->kernel.default_hugepage_kb = (unsigned long)v;
			return 0;
		}
		p = nl;
	}
	return 0;
}

static int
probe_hugepages(struct hv_root *root, struct hv_host *host)
{
	static const char dir[] = "sys/kernel/mm/hugepages";
	struct hv_kernel *k = &host->kernel;
	struct hv_strv names = { 0 };
	size_t cap = 0;
	int r;

	r = probe_meminfo(root, host);
	if (r < 0)
		return r;

	r = hv_root_list(root, dir, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_from_errno(&k->hugepages_fact, dir, r);

	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *nr = NULL, *fr = NULL;
		struct hv_hugepages h = { 0 };
		const char *bad = NULL;
		int rn, rf;

		if (!hugepage_dir_size(names.v[i], &h.size_kb))
			continue;	/* not a pool directory */
		if (k->n_hugepages >= MAX_HUGEPAGE_SIZES) {
			r = hv_fact_set_invalid(&k->hugepages_fact, dir,
						-E2BIG,
						"more than %d page sizes",
						MAX_HUGEPAGE_SIZES);
			if (r == 0)
				r = hv_host_diag(host, true, dir, 0, -E2BIG,
						 "more than %d hugepage sizes",
						 MAX_HUGEPAGE_SIZES);
			hv_strv_clear(&names);
			return r;
		}
		nr = hv_asprintf("%s/%s/nr_hugepages", dir, names.v[i]);
		fr = hv_asprintf("%s/%s/free_hugepages", dir, names.v[i]);
		if (!nr || !fr) {
			hv_strv_clear(&names);
			return -ENOMEM;
		}
		rn = hv_root_read_u64(root, nr, 10, &h.total);
		rf = hv_root_read_u64(root, fr, 10, &h.free);
		if (rn == -ENOMEM || rf == -ENOMEM) {
			hv_strv_clear(&names);
			return -ENOMEM;
		}
		if (rn < 0 || rf < 0) {
			int e = rn < 0 ? rn : rf;

			bad = rn < 0 ? nr : fr;
			hv_strv_clear(&names);
			if (e == -EBADMSG || e == -ENOENT || e == -EFBIG) {
				r = hv_fact_set_invalid(&k->hugepages_fact,
							bad, e, "%s: %s", bad,
							e == -EBADMSG ?
							"not a number" :
							hv_strerror(e));
				if (r == 0)
					r = hv_host_diag(host, true, bad, 1, e,
							 "%s",
							 e == -EBADMSG ?
							 "not a number" :
							 hv_strerror(e));
				return r;
			}
			return hv_fact_set_unknown(&k->hugepages_fact, bad, e);
		}
		if (HV_GROW(k->hugepages, cap, k->n_hugepages + 1) < 0) {
			hv_strv_clear(&names);
			return -ENOMEM;
		}
		k->hugepages[k->n_hugepages++] = h;
	}
	hv_strv_clear(&names);
	if (k->n_hugepages > 1)
		qsort(k->hugepages, k->n_hugepages, sizeof(*k->hugepages),
		      cmp_hugepages);
	return hv_fact_set_ok(&k->hugepages_fact, dir);
}

/* ---- the probe -------------------------------------------------------- */

int
hv_kernel_probe(struct hv_root *root, struct hv_host *host)
{
	struct hv_kernel *k = &host->kernel;
	int r;

	r = read_attr(root, host, "proc/sys/kernel/osrelease",
		      &k->release_fact, &k->release);
	if (r < 0)
		return r;
	r = read_attr(root, host, "proc/sys/kernel/hostname",
		      &k->hostname_fact, &k->hostname);
	if (r < 0)
		return r;
	r = probe_cmdline(root, host);
	if (r < 0)
		return r;
	r = probe_modules(root, k);
	if (r < 0)
		return r;
	r = probe_dev_kvm(root, k);
	if (r < 0)
		return r;
	return probe_hugepages(root, host);
}
