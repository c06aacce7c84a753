/*
 * pci.c -- PCI devices through libpci: identity, names, driver, NUMA node,
 * IOMMU group, PCI Express type, the capability lists' visibility, SR-IOV.
 *
 * Reads:  sys/bus/pci/devices (listed through the root), and per device
 *         DEV/{vendor,device,class,revision,subsystem_vendor,
 *         subsystem_device} (libpci, its sysfs method pointed at
 *         ROOT/sys/bus/pci), DEV/{irq,resource} (checked for libpci),
 *         DEV/config (through the root, handed to libpci as its cache),
 *         DEV/{driver,iommu_group,physfn,virtfnN} (links),
 *         DEV/numa_node, DEV/sriov_{totalvfs,numvfs,offset,stride,
 *         vf_device,drivers_autoprobe};
 *         usr/share/misc/pci.ids or usr/share/hwdata/pci.ids (names).
 * Fills:  host->pci.
 *
 * libpci's error hook must not return, and libpci calls it when a device
 * lacks a file it reads as mandatory (vendor, device, class, irq,
 * resource: lib/sysfs.c, sysfs_get_value(..., 1) and
 * sysfs_get_resources()). So the directory is listed here first; only
 * names that are PCI addresses in the kernel's form reach pci_get_dev()
 * (pci_scan_bus() is never called); the files libpci will open are
 * checked through the root beforehand (present, readable, well-formed,
 * and the same file libpci's plain open(2) reaches: a capture's absolute
 * symbolic link would take libpci out of the root). A device that fails
 * the check gets a diagnostic per file and is read from its config bytes
 * instead (libpci's bus-centric view: no sysfs attribute is opened).
 * As a backstop, every call into libpci runs under sigsetjmp(), and the
 * error hook siglongjmp()s back to it: the error becomes a diagnostic
 * for that device and the run goes on. The flags asked of libpci never
 * include IRQ or the BASES family, whose reading of "resource" could
 * leave a FILE open on the way out.
 *
 * Config space is read here through the root, at most 4096 bytes: 64
 * without root on a live host (the kernel hands unprivileged readers only
 * the standard header), 256 or 4096 with root, whatever a capture holds.
 * Those bytes go to libpci as a full 4096-byte cache (pci_setup_cache)
 * padded with 0xff, what a missing register reads as, so libpci's walks
 * (loop-safe through its been_there[]) read exactly them and never open
 * the file themselves. What lies past the visible bytes is unknown, never
 * absent.
 *
 * PCI Express extended capability header and the SR-IOV capability
 * (ID 0x0010, PCIe Base 6.0 section 9.3.3), offsets from the header:
 *
 *        31            20 19  16 15                             0
 *   +00 | next offset    | ver  | capability ID 0x0010           |
 *   +04 | SR-IOV Capabilities: VF Migration 0, VF 10-bit tag 2,  |
 *       |   VF Migration Interrupt Message Number 31:21          |
 *   +08 | SR-IOV Status              | SR-IOV Control: VF Enable 0,
 *       |                            | VF Migration 1, Mig. Int 2,
 *       |                            | VF MSE 3, ARI Hierarchy 4    |
 *   +0c | TotalVFs                   | InitialVFs                  |
 *   +10 | reserved   | Func Dep Link | NumVFs                      |
 *   +14 | VF Stride                  | First VF Offset             |
 *   +18 | VF Device ID               | reserved                    |
 *   +1c | Supported Page Sizes                                     |
 *   +20 | System Page Size                                         |
 *   +24 | VF BAR0 ... +38 VF BAR5                                  |
 *   +3c | VF Migration State Array Offset                          |
 *   +40
 */
#include <pci/pci.h>
#include <setjmp.h>
#include <stdio.h>
#include <sys/stat.h>

#include "hv-probe.h"

#define PCI_BUS_DIR	"sys/bus/pci"
#define PCI_DEVICES	"sys/bus/pci/devices"

#define CONFIG_MAX	4096u	/* PCI Express configuration space */
#define CONFIG_STD	256u	/* conventional PCI configuration space */
#define CONFIG_HEADER	64u	/* the standard header */
#define SRIOV_CAP_LEN	0x40u
#define MAX_DEVICES	65536u	/* entries of sys/bus/pci/devices */
#define MAX_VFS		65536u	/* TotalVFs is a 16-bit register */
#define ATTR_MAX	1023u	/* libpci reads attributes into 1024 bytes */
#define RESOURCE_LINE	255u	/* ... and resource lines into 256 */
#define LIB_MSG_MAX	256u

/* What libpci is asked for: nothing that reads irq or resource. */
#define FILL_FLAGS	(PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT | \
			 PCI_FILL_SUBSYS | PCI_FILL_CAPS | PCI_FILL_EXT_CAPS)
#define LOOKUP_FLAGS	(PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB)

/* pci.ids in the root, where distributions install it. */
static const char *const pci_ids_paths[] = {
	"usr/share/misc/pci.ids",	/* pciutils' default: Debian, Arch */
	"usr/share/hwdata/pci.ids",	/* hwdata: Fedora, RHEL, SUSE */
};

/* The files libpci opens as mandatory (lib/sysfs.c), and how to check them. */
enum attr_kind {
	ATTR_NUMBER,
	ATTR_RESOURCE,
};

static const struct libpci_file {
	const char *name;
	enum attr_kind kind;
	uint32_t max;		/* largest valid value for a number */
	bool opened;		/* opened by libpci for FILL_FLAGS */
} libpci_files[] = {
	{ "vendor",	ATTR_NUMBER,	0xffff,		true },
	{ "device",	ATTR_NUMBER,	0xffff,		true },
	{ "class",	ATTR_NUMBER,	0xffffff,	true },
	{ "irq",	ATTR_NUMBER,	UINT32_MAX,	false },
	{ "resource",	ATTR_RESOURCE,	0,		false },
};

/* Optional attributes libpci opens in its sysfs view (absence is fine). */
static const char *const libpci_optional[] = {
	"revision",
	"subsystem_vendor",
	"subsystem_device",
};

/* The SR-IOV attributes of a PF (drivers/pci/iov.c), into struct hv_sriov. */
static const struct sriov_attr {
	const char *name;
	int base;
	size_t offset;
} sriov_attrs[] = {
	{ "sriov_totalvfs",	10, offsetof(struct hv_sriov, sysfs_totalvfs) },
	{ "sriov_numvfs",	10, offsetof(struct hv_sriov, sysfs_numvfs) },
	{ "sriov_offset",	10, offsetof(struct hv_sriov, sysfs_offset) },
	{ "sriov_stride",	10, offsetof(struct hv_sriov, sysfs_stride) },
	{ "sriov_vf_device",	16, offsetof(struct hv_sriov, sysfs_vf_device) },
};

struct pci_ctx {
	struct hv_root *root;
	struct hv_host *host;
	struct pci_access *acc;
	size_t cap;			/* of host->pci.devs */
	bool names;			/* a pci.ids is loaded */
	char *ids_path;			/* libpci's name list path (owned) */
	bool enomem;			/* a libpci hook ran out of memory */
	char msg[LIB_MSG_MAX];		/* libpci's last error */
};

/* A PCI address as numbers. */
struct pci_addr {
	unsigned domain, bus, dev, func;
};

/* ---- libpci under a guard ---------------------------------------------- */

/*
 * libpci's hooks take no context: the guard in force and the probe that
 * runs are kept per thread.
 */
static _Thread_local sigjmp_buf *lib_jump;
static _Thread_local struct pci_ctx *lib_ctx;

static void
lib_format(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n;

	vsnprintf(buf, size, fmt, ap);
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
}

static void lib_error(char *msg, ...) _printf_(1, 2) __attribute__((noreturn));

/* libpci's error hook: keep the message, go back to the guard. */
static void
lib_error(char *msg, ...)
{
	va_list ap;

	if (lib_ctx) {
		va_start(ap, msg);
		lib_format(lib_ctx->msg, sizeof(lib_ctx->msg), msg, ap);
		va_end(ap);
	}
	/* Set: the hooks are installed after pci_alloc(), and libpci is
	 * only ever called through lib_run() from then on. */
	siglongjmp(*lib_jump, 1);
}

/* libpci's warning hook: a diagnostic that does not fail the run. */
static void _printf_(1, 2)
lib_warning(char *msg, ...)
{
	char buf[LIB_MSG_MAX];
	va_list ap;

	if (!lib_ctx)
		return;
	va_start(ap, msg);
	lib_format(buf, sizeof(buf), msg, ap);
	va_end(ap);
	if (hv_host_diag(lib_ctx->host, false, NULL, 0, -EIO, "libpci: %s",
			 buf) < 0)
		lib_ctx->enomem = true;
}

/* libpci's debug hook: dropped. */
static void _printf_(1, 2)
lib_debug(char *msg _unused_, ...)
{
}

typedef int lib_fn(struct pci_ctx *c, void *arg);

/*
 * Run fn(c, arg), which calls into libpci, with the error hook armed.
 * Returns what fn returns, or -EIO when libpci raised an error (its
 * message is in c->msg). Whatever fn stored through arg before the error
 * is there for the caller to release.
 */
static int
lib_run(struct pci_ctx *c, lib_fn *fn, void *arg)
{
	sigjmp_buf env;
	sigjmp_buf *volatile outer = lib_jump;
	int r;

	c->msg[0] = '\0';
	if (sigsetjmp(env, 0) != 0) {
		lib_jump = outer;
		return -EIO;
	}
	lib_jump = &env;
	r = fn(c, arg);
	lib_jump = outer;
	return r;
}

/* ---- small pure helpers ------------------------------------------------ */

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* min to max lower-case hex digits at p into *ret. Returns the end, or
 * NULL when there are fewer than min. */
static const char *
hex_field(const char *p, size_t min, size_t max, unsigned *ret)
{
	unsigned v = 0;
	size_t n = 0;

	for (; n < max; n++) {
		char ch = p[n];

		if (ch >= '0' && ch <= '9')
			v = v * 16 + (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v = v * 16 + (unsigned)(ch - 'a' + 10);
		else
			break;
	}
	if (n < min)
		return NULL;
	*ret = v;
	return p + n;
}

/*
 * Parse a PCI address in the form the kernel names devices in sysfs
 * ("%04x:%02x:%02x.%d") and no other: lower-case hex, those widths, a
 * domain of at most 7 digits without a leading zero beyond four (it must
 * fit struct hv_pci_dev's addr), device 0-1f, function 0-7.
 * Pure. 0 or -EINVAL.
 */
static int
parse_pci_addr(const char *s, struct pci_addr *ret)
{
	struct pci_addr a;
	const char *p = s, *q;

	q = hex_field(p, 4, 7, &a.domain);
	if (!q || *q != ':' || (q - p > 4 && p[0] == '0'))
		return -EINVAL;
	p = hex_field(q + 1, 2, 2, &a.bus);
	if (!p || *p != ':')
		return -EINVAL;
	q = hex_field(p + 1, 2, 2, &a.dev);
	if (!q || *q != '.' || a.dev > 0x1f)
		return -EINVAL;
	if (q[1] < '0' || q[1] > '7' || q[2] != '\0')
		return -EINVAL;
	a.func = (unsigned)(q[1] - '0');
	*ret = a;
	return 0;
}

/*
 * Whether the standard capability list lies within the first len bytes,
 * followed as libpci follows it (lib/caps.c: pointers masked with ~3,
 * stop at 0, at ID 0xff or at an offset seen before). HV_FACT_OK,
 * HV_FACT_ABSENT (no list) or HV_FACT_UNKNOWN. *ret_loop is the offset
 * that repeats, 0 if none. Pure.
 */
static enum hv_fact_state
trad_caps_visible(const uint8_t *cfg, size_t len, unsigned *ret_loop)
{
	bool seen[CONFIG_STD] = { false };
	unsigned where;

	*ret_loop = 0;
	if (len < PCI_STATUS + 2)
		return HV_FACT_UNKNOWN;
	if (!(le16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return HV_FACT_ABSENT;
	if (len <= PCI_CAPABILITY_LIST)
		return HV_FACT_UNKNOWN;
	where = cfg[PCI_CAPABILITY_LIST] & ~3u;
	while (where) {
		if (where + 2 > len)
			return HV_FACT_UNKNOWN;
		if (seen[where]) {
			*ret_loop = where;
			break;
		}
		seen[where] = true;
		if (cfg[where] == 0xff)
			break;
		where = cfg[where + 1] & ~3u;
	}
	return HV_FACT_OK;
}

/*
 * The same for the extended list from 0x100 (lib/caps.c: stop at a header
 * of 0 or ~0, or at an offset seen before). HV_FACT_OK or HV_FACT_UNKNOWN.
 * Pure.
 */
static enum hv_fact_state
ext_caps_visible(const uint8_t *cfg, size_t len, unsigned *ret_loop)
{
	bool seen[CONFIG_MAX / 4] = { false };
	unsigned where = CONFIG_STD;

	*ret_loop = 0;
	do {
		uint32_t header;

		if (where + 4 > len)
			return HV_FACT_UNKNOWN;
		header = le32(cfg + where);
		if (header == 0 || header == 0xffffffff)
			break;
		if (seen[where / 4]) {
			*ret_loop = where;
			break;
		}
		seen[where / 4] = true;
		where = (header >> 20) & ~3u;
	} while (where);
	return HV_FACT_OK;
}

/* ---- reading through the root ------------------------------------------ */

/*
 * Whether libpci, opening ROOT/rel with a plain open(2), reaches a regular
 * file, and the one that rel names inside the root (a capture's absolute
 * symbolic link would take libpci elsewhere; a FIFO would block it).
 * 1 yes, 0 no, -ENOENT when rel is not in the root, other -errno.
 */
static int
libpci_can_open(struct hv_root *root, const char *rel)
{
	_cleanup_free_ char *abs = NULL;
	struct stat in, out;
	int r;

	r = hv_root_stat(root, rel, &in);
	if (r < 0)
		return r;
	if (!S_ISREG(in.st_mode))
		return 0;
	if (hv_root_is_live(root))
		return 1;
	abs = hv_root_abspath(root, rel);
	if (!abs)
		return -ENOMEM;
	if (stat(abs, &out) < 0)
		return 0;
	return in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

/* Each line of a resource file holds three hex numbers (start end
 * flags), as libpci scans them. 1 yes, 0 no, -ENOMEM. */
static int
resource_valid(const char *buf)
{
	struct hv_strv lines = { 0 };
	int r = 1;

	if (hv_strv_split(&lines, buf, "\n") < 0)
		return -ENOMEM;
	for (size_t i = 0; r == 1 && i < lines.n; i++) {
		struct hv_strv f = { 0 };
		uint64_t v;

		if (strlen(lines.v[i]) > RESOURCE_LINE)
			r = 0;
		else if (hv_strv_split(&f, lines.v[i], " \t") < 0)
			r = -ENOMEM;
		else if (f.n < 3)
			r = 0;
		for (size_t k = 0; r == 1 && k < 3; k++)
			if (hv_parse_u64(f.v[k], 16, &v) < 0)
				r = 0;
		hv_strv_clear(&f);
	}
	hv_strv_clear(&lines);
	return r;
}

/*
 * Check the files libpci reads of the device in dir. One diagnostic per
 * file that is missing, unreadable or malformed. Returns 1 when libpci
 * can read the device through sysfs, 0 when it must be read from its
 * config bytes, -ENOMEM.
 */
static int
check_libpci_files(struct pci_ctx *c, const char *dir)
{
	bool usable = true;
	int r;

	for (size_t i = 0; i < HV_ELEMENTSOF(libpci_files); i++) {
		const struct libpci_file *f = &libpci_files[i];
		_cleanup_free_ char *rel = NULL, *buf = NULL;
		const char *why = NULL;
		uint32_t v;

		rel = hv_asprintf("%s/%s", dir, f->name);
		if (!rel)
			return -ENOMEM;
		r = hv_root_read(c->root, rel,
				 f->kind == ATTR_NUMBER ? ATTR_MAX : HV_READ_SMALL,
				 &buf, NULL);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT)
			why = "missing";
		else if (r < 0)
			why = "unreadable";
		else if (f->kind == ATTR_NUMBER &&
			 (hv_parse_u32(buf, 0, &v) < 0 || v > f->max))
			why = "not a number in range";
		else if (f->kind == ATTR_RESOURCE) {
			r = resource_valid(buf);
			if (r < 0)
				return r;
			if (r == 0)
				why = "not lines of three hex numbers";
		} else if (f->opened) {
			r = libpci_can_open(c->root, rel);
			if (r == -ENOMEM)
				return r;
			if (r != 1)
				why = "not a regular file inside the root";
		}
		if (!why)
			continue;
		if (r >= 0)
			r = -EBADMSG;
		if (f->opened)
			usable = false;
		r = hv_host_diag(c->host, true, rel, 0, r,
				 "PCI device attribute %s is %s: %s", f->name,
				 why, f->opened ?
				 "the device is read from its config space" :
				 "libpci would stop on it; not needed here");
		if (r < 0)
			return r;
	}

	for (size_t i = 0; usable && i < HV_ELEMENTSOF(libpci_optional); i++) {
		_cleanup_free_ char *rel = NULL;

		rel = hv_asprintf("%s/%s", dir, libpci_optional[i]);
		if (!rel)
			return -ENOMEM;
		r = libpci_can_open(c->root, rel);
		if (r == -ENOMEM)
			return r;
		if (r == 1 || r == -ENOENT)
			continue;
		usable = false;
		r = hv_host_diag(c->host, true, rel, 0, -EBADMSG,
				 "PCI device attribute %s is not a regular file "
				 "inside the root: the device is read from its "
				 "config space", libpci_optional[i]);
		if (r < 0)
			return r;
	}
	return usable ? 1 : 0;
}

/* What was read of config space. */
struct config {
	uint8_t bytes[CONFIG_MAX];	/* the visible bytes, then 0xff */
	size_t visible;			/* usable bytes (0: none) */
	int hidden_err;			/* why bytes past visible are unknown */
};

/*
 * Read DEV/config into cfg and set dev->config_fact and config_len.
 * 0 or -ENOMEM.
 */
static int
read_config(struct pci_ctx *c, const char *dir, struct hv_pci_dev *dev,
	    struct config *cfg)
{
	_cleanup_free_ char *rel = NULL, *buf = NULL;
	struct stat st;
	size_t len = 0;
	int r;

	memset(cfg->bytes, 0xff, sizeof(cfg->bytes));
	cfg->visible = 0;
	rel = hv_asprintf("%s/config", dir);
	if (!rel)
		return -ENOMEM;
	r = hv_root_read(c->root, rel, CONFIG_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -EFBIG) {
		cfg->hidden_err = -EBADMSG;
		r = hv_fact_set_invalid(&dev->config_fact, rel, -EFBIG,
					"larger than %u bytes", CONFIG_MAX);
		if (r < 0)
			return r;
		return hv_host_diag(c->host, true, rel, 0, -EFBIG,
				    "PCI config space larger than %u bytes",
				    CONFIG_MAX);
	}
	if (r < 0) {
		cfg->hidden_err = r;
		return hv_fact_set_from_errno(&dev->config_fact, rel, r);
	}
	dev->config_len = len;
	if (len < CONFIG_HEADER) {
		cfg->hidden_err = -EBADMSG;
		r = hv_fact_set_invalid(&dev->config_fact, rel, -EBADMSG,
					"%zu bytes, shorter than the %u-byte "
					"standard header", len, CONFIG_HEADER);
		if (r < 0)
			return r;
		return hv_host_diag(c->host, true, rel, 0, -EBADMSG,
				    "PCI config space of %zu bytes is shorter "
				    "than the %u-byte standard header", len,
				    CONFIG_HEADER);
	}
	memcpy(cfg->bytes, buf, len);
	cfg->visible = len;
	/*
	 * The kernel sizes the file to the device's config space and hands
	 * unprivileged readers only the first 64 bytes of it: fewer bytes
	 * than the file's size means permission; a source that simply holds
	 * no more (a 256-byte device, a capture) means no data.
	 */
	if (hv_root_stat(c->root, rel, &st) == 0 && st.st_size > 0 &&
	    (size_t)st.st_size > len)
		cfg->hidden_err = -EACCES;
	else
		cfg->hidden_err = -ENODATA;
	dev->extended_visible = len > CONFIG_STD;
	return hv_fact_set_ok(&dev->config_fact, rel);
}

/* ---- libpci jobs ------------------------------------------------------- */

static int
job_init(struct pci_ctx *c, void *arg)
{
	static char p_sysfs[] = "sysfs.path";
	static char p_hwdb[] = "hwdb.disable";
	static char one[] = "1";
	struct pci_access *a = c->acc;

	a->method = PCI_ACCESS_SYS_BUS_PCI;
	a->writeable = 0;
	a->buscentric = 0;
	a->numeric_ids = 0;
	a->debugging = 0;
	a->id_lookup_mode = 0;	/* no ~/.pciids-cache, no DNS */
	if (pci_set_param(a, p_sysfs, arg) < 0)
		return -EINVAL;
	/* Names come only from pci.ids; the lookups also say NO_HWDB. */
	(void)pci_set_param(a, p_hwdb, one);
	pci_init(a);
	return 0;
}

static int
job_load_names(struct pci_ctx *c, void *arg)
{
	if (arg)
		pci_set_name_list_path(c->acc, arg, 0);
	return pci_load_name_list(c->acc) ? 0 : -ENOENT;
}

static int
job_free_names(struct pci_ctx *c, void *arg _unused_)
{
	pci_free_name_list(c->acc);
	return 0;
}

static int
job_cleanup(struct pci_ctx *c, void *arg _unused_)
{
	pci_cleanup(c->acc);
	return 0;
}

struct fill_job {
	struct pci_addr addr;
	bool buscentric;
	uint8_t *cache;
	struct pci_dev *d;
};

static int
job_fill(struct pci_ctx *c, void *arg)
{
	struct fill_job *j = arg;

	c->acc->buscentric = j->buscentric;
	j->d = pci_get_dev(c->acc, (int)j->addr.domain, (int)j->addr.bus,
			   (int)j->addr.dev, (int)j->addr.func);
	pci_setup_cache(j->d, j->cache, CONFIG_MAX);
	pci_fill_info(j->d, FILL_FLAGS);
	c->acc->buscentric = 0;
	return 0;
}

static int
job_free_dev(struct pci_ctx *c _unused_, void *arg)
{
	pci_free_dev(arg);
	return 0;
}

struct names_job {
	struct pci_dev *d;
	char *vendor, *device, *class;
};

static int
job_names(struct pci_ctx *c, void *arg)
{
	struct names_job *j = arg;
	struct pci_dev *d = j->d;
	char buf[256], tail[8];
	const char *s;
	size_t n;

	s = pci_lookup_name(c->acc, buf, sizeof(buf),
			    PCI_LOOKUP_VENDOR | LOOKUP_FLAGS, d->vendor_id);
	if (s && !(j->vendor = strdup(s)))
		return -ENOMEM;
	s = pci_lookup_name(c->acc, buf, sizeof(buf),
			    PCI_LOOKUP_DEVICE | LOOKUP_FLAGS, d->vendor_id,
			    d->device_id);
	if (s && !(j->device = strdup(s)))
		return -ENOMEM;
	s = pci_lookup_name(c->acc, buf, sizeof(buf),
			    PCI_LOOKUP_CLASS | LOOKUP_FLAGS, d->device_class);
	if (!s)
		return 0;
	/* An unknown subclass comes back as the class name with the
	 * number appended ("Serial bus controller [0c7f]"): the name is
	 * the class's. */
	snprintf(tail, sizeof(tail), " [%04x]", d->device_class);
	n = strlen(s);
	if (n > strlen(tail) && strcmp(s + n - strlen(tail), tail) == 0)
		n -= strlen(tail);
	j->class = strndup(s, n);
	return j->class ? 0 : -ENOMEM;
}

struct cap_job {
	struct pci_dev *d;
	unsigned id, type;
	unsigned addr;		/* 0: not found */
};

static int
job_find_cap(struct pci_ctx *c _unused_, void *arg)
{
	struct cap_job *j = arg;
	struct pci_cap *cap = pci_find_cap(j->d, j->id, j->type);

	j->addr = cap ? cap->addr : 0;
	return 0;
}

struct sriov_job {
	struct pci_dev *d;
	unsigned at;
	struct hv_sriov *s;
};

/* Decode the SR-IOV capability at j->at from libpci's cache (its reads
 * do the byte order). The caller checked at + 0x40 is visible. */
static int
job_sriov(struct pci_ctx *c _unused_, void *arg)
{
	struct sriov_job *j = arg;
	struct hv_sriov *s = j->s;
	struct pci_dev *d = j->d;
	int at = (int)j->at;

	s->cap_offset = (uint16_t)j->at;
	s->capabilities = pci_read_long(d, at + PCI_IOV_CAP);
	s->control = pci_read_word(d, at + PCI_IOV_CTRL);
	s->status = pci_read_word(d, at + PCI_IOV_STATUS);
	s->initial_vfs = pci_read_word(d, at + PCI_IOV_INITIALVF);
	s->total_vfs = pci_read_word(d, at + PCI_IOV_TOTALVF);
	s->num_vfs = pci_read_word(d, at + PCI_IOV_NUMVF);
	s->function_dependency_link = pci_read_byte(d, at + PCI_IOV_FDL);
	s->vf_offset = pci_read_word(d, at + PCI_IOV_OFFSET);
	s->vf_stride = pci_read_word(d, at + PCI_IOV_STRIDE);
	s->vf_device_id = pci_read_word(d, at + PCI_IOV_DID);
	s->supported_page_sizes = pci_read_long(d, at + PCI_IOV_SUPPS);
	s->system_page_size = pci_read_long(d, at + PCI_IOV_SYSPS);
	for (int i = 0; i < PCI_IOV_NUM_BAR; i++)
		s->vf_bar[i] = pci_read_long(d, at + PCI_IOV_BAR_BASE + 4 * i);
	s->vf_enable = s->control & PCI_IOV_CTRL_VFE;
	s->vf_migration_enable = s->control & PCI_IOV_CTRL_VFME;
	s->ari_capable_hierarchy = s->control & PCI_IOV_CTRL_ARI;
	return 0;
}

/* ---- pci.ids ----------------------------------------------------------- */

/*
 * Load the names. They come from the root's own pci.ids when it has one
 * (a live host's is the system's; a capture's is the captured host's,
 * recorded so that a capture carries it), else from the pci.ids of the
 * system hwvirt runs on (libpci's built-in path, /usr/share/misc/pci.ids
 * on Debian) for captures that hold none. Never from udev's hwdb, the
 * network or ~/.pciids-cache. A pci.ids that cannot be loaded leaves the
 * names NULL with a diagnostic. 0 or -ENOMEM.
 */
static int
load_names(struct pci_ctx *c)
{
	const char *rel = NULL;
	int r;

	for (size_t i = 0; !rel && i < HV_ELEMENTSOF(pci_ids_paths); i++) {
		struct stat st;

		if (hv_root_stat(c->root, pci_ids_paths[i], &st) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		r = libpci_can_open(c->root, pci_ids_paths[i]);
		if (r == -ENOMEM)
			return r;
		if (r != 1) {
			r = hv_host_diag(c->host, true, pci_ids_paths[i], 0,
					 -EBADMSG, "pci.ids resolves outside "
					 "the root: not used");
			if (r < 0)
				return r;
			continue;
		}
		rel = pci_ids_paths[i];
	}
	if (rel) {
		/* libpci keeps the pointer: freed after pci_cleanup(). */
		c->ids_path = hv_root_abspath(c->root, rel);
		if (!c->ids_path)
			return -ENOMEM;
	}

	r = lib_run(c, job_load_names, c->ids_path);
	if (r == 0) {
		c->names = true;
		if (rel)
			(void)hv_root_record(c->root, rel);
		return 0;
	}
	if (r == -EIO) {
		/* Malformed: libpci's message says which line. */
		r = hv_host_diag(c->host, rel != NULL, rel, 0, -EBADMSG,
				 "libpci: %s: device names unknown", c->msg);
		(void)lib_run(c, job_free_names, NULL);
		return r;
	}
	return hv_host_diag(c->host, false, rel, 0, r,
			    "no pci.ids in the root or on this system: "
			    "device names unknown");
}

/* ---- one device -------------------------------------------------------- */

static int
fact_set_state(struct hv_fact *f, enum hv_fact_state state, int err)
{
	/* No source: config_fact names the file (and host.c frees
	 * nothing of these two facts). */
	switch (state) {
	case HV_FACT_OK:
		return hv_fact_set_ok(f, NULL);
	case HV_FACT_ABSENT:
		return hv_fact_set_absent(f, NULL);
	case HV_FACT_UNPROBED:
	case HV_FACT_UNKNOWN:
	case HV_FACT_INVALID:
		break;
	}
	return hv_fact_set_unknown(f, NULL, err);
}

/*
 * The last component of the link DIR/name into *ret (NULL when there is
 * no such link). A file that is there but not a link is a diagnostic.
 * 0 or -ENOMEM.
 */
static int
read_link_base(struct pci_ctx *c, const char *dir, const char *name,
	       char **ret)
{
	_cleanup_free_ char *rel = NULL;
	char *s = NULL;
	int r;

	*ret = NULL;
	rel = hv_asprintf("%s/%s", dir, name);
	if (!rel)
		return -ENOMEM;
	r = hv_root_readlink_base(c->root, rel, &s);
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return hv_host_diag(c->host, r == -EINVAL, rel, 0, r,
				    "cannot read the %s link: %s", name,
				    r == -EINVAL ? "not a symbolic link" :
				    hv_strerror(r));
	*ret = s;
	return 0;
}

/* driver, iommu_group, physfn, numa_node. 0 or -ENOMEM. */
static int
probe_links(struct pci_ctx *c, const char *dir, struct hv_pci_dev *dev)
{
	_cleanup_free_ char *group = NULL, *physfn = NULL, *rel = NULL;
	struct pci_addr pa;
	uint32_t id;
	int r, v;

	r = read_link_base(c, dir, "driver", &dev->driver);
	if (r < 0)
		return r;

	r = read_link_base(c, dir, "iommu_group", &group);
	if (r < 0)
		return r;
	if (group) {
		if (hv_parse_u32(group, 10, &id) == 0 && id <= INT32_MAX)
			dev->iommu_group = (int)id;
		else {
			r = hv_host_diag(c->host, true, dir, 0, -EBADMSG,
					 "iommu_group link names \"%s\", not a "
					 "group number", group);
			if (r < 0)
				return r;
		}
	}

	r = read_link_base(c, dir, "physfn", &physfn);
	if (r < 0)
		return r;
	if (physfn) {
		if (parse_pci_addr(physfn, &pa) == 0)
			dev->physfn = HV_TAKE_PTR(physfn);
		else {
			r = hv_host_diag(c->host, true, dir, 0, -EBADMSG,
					 "physfn link names \"%s\", not a PCI "
					 "address", physfn);
			if (r < 0)
				return r;
		}
	}

	rel = hv_asprintf("%s/numa_node", dir);
	if (!rel)
		return -ENOMEM;
	r = hv_root_read_int(c->root, rel, 10, &v);
	if (r == -ENOMEM)
		return r;
	if (r == 0) {
		dev->numa_node = v < 0 ? -1 : v;
		return 0;
	}
	if (r == -ENOENT)
		return 0;
	return hv_host_diag(c->host, r == -EBADMSG, rel, 0, r,
			    "cannot read numa_node: %s",
			    r == -EBADMSG ? "not a number" : hv_strerror(r));
}

struct vf_link {
	unsigned n;
	char *addr;
};

static int
cmp_vf_link(const void *a, const void *b)
{
	const struct vf_link *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* N of "virtfnN", canonical decimal. -EINVAL if name is not one. */
static int
parse_virtfn(const char *name, unsigned *ret)
{
	const char *p = name + strlen("virtfn");
	uint32_t n;

	if (!hv_startswith(name, "virtfn") || *p < '0' || *p > '9' ||
	    (p[0] == '0' && p[1] != '\0'))
		return -EINVAL;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return -EINVAL;
	if (hv_parse_u32(p, 10, &n) < 0 || n >= MAX_VFS)
		return -EINVAL;
	*ret = n;
	return 0;
}

/* The virtfnN links of dir, resolved to PCI addresses, by N. */
static int
probe_virtfns(struct pci_ctx *c, const char *dir, struct hv_strv *ret)
{
	struct hv_strv names = { 0 };
	struct vf_link *vfs = NULL;
	size_t n = 0, cap = 0;
	int r;

	r = hv_root_list(c->root, dir, &names);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (size_t i = 0; i < names.n; i++) {
		struct pci_addr pa;
		unsigned idx;
		char *target;

		if (parse_virtfn(names.v[i], &idx) < 0)
			continue;
		r = read_link_base(c, dir, names.v[i], &target);
		if (r < 0)
			goto out;
		if (!target)
			continue;
		if (parse_pci_addr(target, &pa) < 0) {
			r = hv_host_diag(c->host, true, dir, 0, -EBADMSG,
					 "%s link names \"%s\", not a PCI "
					 "address", names.v[i], target);
			free(target);
			if (r < 0)
				goto out;
			continue;
		}
		if (HV_GROW(vfs, cap, n + 1) < 0) {
			free(target);
			r = -ENOMEM;
			goto out;
		}
		vfs[n].n = idx;
		vfs[n++].addr = target;
	}
	if (n > 1)
		qsort(vfs, n, sizeof(*vfs), cmp_vf_link);
	for (size_t i = 0; i < n; i++) {
		r = hv_strv_push(ret, HV_TAKE_PTR(vfs[i].addr));
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(vfs[i].addr);
	free(vfs);
	hv_strv_clear(&names);
	return r;
}

/*
 * The SR-IOV attributes sysfs has for a PF into s (-1 when absent).
 * *ret_any: any of them, or a virtfn link, exists. 0 or -ENOMEM.
 */
static int
probe_sriov_sysfs(struct pci_ctx *c, const char *dir, struct hv_sriov *s,
		  bool *ret_any)
{
	_cleanup_free_ char *rel = NULL, *val = NULL;
	bool any = false;
	int r;

	for (size_t i = 0; i < HV_ELEMENTSOF(sriov_attrs); i++) {
		int *slot = (int *)(void *)((char *)s + sriov_attrs[i].offset);
		_cleanup_free_ char *arel = NULL, *str = NULL;
		uint32_t v;

		*slot = -1;
		arel = hv_asprintf("%s/%s", dir, sriov_attrs[i].name);
		if (!arel)
			return -ENOMEM;
		r = hv_root_read_str(c->root, arel, &str);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT)
			continue;
		any = true;
		if (r < 0) {
			r = hv_host_diag(c->host, false, arel, 0, r,
					 "cannot read %s: %s",
					 sriov_attrs[i].name, hv_strerror(r));
			if (r < 0)
				return r;
			continue;
		}
		if (hv_parse_u32(str, sriov_attrs[i].base, &v) < 0 ||
		    v > 0xffff) {
			r = hv_host_diag(c->host, true, arel, 0, -EBADMSG,
					 "%s holds \"%s\", not a 16-bit number",
					 sriov_attrs[i].name, str);
			if (r < 0)
				return r;
			continue;
		}
		*slot = (int)v;
	}

	s->drivers_autoprobe = HV_TRI_UNKNOWN;
	rel = hv_asprintf("%s/sriov_drivers_autoprobe", dir);
	if (!rel)
		return -ENOMEM;
	r = hv_root_read_str(c->root, rel, &val);
	if (r == -ENOMEM)
		return r;
	if (r == 0) {
		any = true;
		if (hv_streq(val, "0") || hv_streq(val, "1"))
			s->drivers_autoprobe = hv_tri_from_bool(val[0] == '1');
		else {
			r = hv_host_diag(c->host, true, rel, 0, -EBADMSG,
					 "sriov_drivers_autoprobe holds \"%s\", "
					 "not 0 or 1", val);
			if (r < 0)
				return r;
		}
	} else if (r != -ENOENT) {
		any = true;
		r = hv_host_diag(c->host, false, rel, 0, r,
				 "cannot read sriov_drivers_autoprobe: %s",
				 hv_strerror(r));
		if (r < 0)
			return r;
	}

	r = probe_virtfns(c, dir, &s->vfs);
	if (r < 0)
		return r;
	*ret_any = any || s->vfs.n > 0;
	return 0;
}

/*
 * The capability lists: caps_fact, is_pcie, pcie_type, ext_caps_fact.
 * 0 or -ENOMEM.
 */
static int
probe_caps(struct pci_ctx *c, const char *dir, struct hv_pci_dev *dev,
	   struct pci_dev *d, const struct config *cfg)
{
	struct cap_job cj = { .d = d, .id = PCI_CAP_ID_EXP,
			      .type = PCI_CAP_NORMAL };
	enum hv_fact_state trad, ext;
	unsigned loop;
	int r;

	if (!cfg->visible || !d) {
		int err = !d ? -EIO : cfg->hidden_err;

		r = fact_set_state(&dev->caps_fact, HV_FACT_UNKNOWN, err);
		if (r < 0)
			return r;
		return fact_set_state(&dev->ext_caps_fact, HV_FACT_UNKNOWN,
				      err);
	}

	trad = trad_caps_visible(cfg->bytes, cfg->visible, &loop);
	r = fact_set_state(&dev->caps_fact, trad, cfg->hidden_err);
	if (r < 0)
		return r;
	if (loop) {
		r = hv_host_diag(c->host, false, dir, 0, -ELOOP,
				 "capability list loops back to 0x%02x; "
				 "read up to there", loop);
		if (r < 0)
			return r;
	}

	if (lib_run(c, job_find_cap, &cj) == 0 && cj.addr &&
	    cj.addr + 4 <= cfg->visible) {
		dev->is_pcie = true;
		dev->pcie_type = (le16(cfg->bytes + cj.addr + PCI_EXP_FLAGS) &
				  PCI_EXP_FLAGS_TYPE) >> 4;
	}

	if (cfg->visible <= CONFIG_STD)
		ext = HV_FACT_UNKNOWN;
	else if (dev->is_pcie) {
		ext = ext_caps_visible(cfg->bytes, cfg->visible, &loop);
		if (loop) {
			r = hv_host_diag(c->host, false, dir, 0, -ELOOP,
					 "extended capability list loops back "
					 "to 0x%03x; read up to there", loop);
			if (r < 0)
				return r;
		}
	} else if (trad == HV_FACT_OK || trad == HV_FACT_ABSENT)
		/* libpci, like the kernel, reads no extended capabilities
		 * of a function without a PCI Express capability. */
		ext = HV_FACT_ABSENT;
	else
		ext = HV_FACT_UNKNOWN;
	return fact_set_state(&dev->ext_caps_fact, ext, cfg->hidden_err);
}

/* SR-IOV from the capability and from sysfs. 0 or -ENOMEM. */
static int
probe_sriov(struct pci_ctx *c, const char *dir, struct hv_pci_dev *dev,
	    struct pci_dev *d, const struct config *cfg)
{
	_cleanup_free_ char *rel = NULL;
	struct cap_job cj = { .d = d, .id = PCI_EXT_CAP_ID_SRIOV,
			      .type = PCI_CAP_EXTENDED };
	struct hv_sriov tmp = { 0 }, *s;
	bool any = false;
	int r;

	r = probe_sriov_sysfs(c, dir, &tmp, &any);
	if (r < 0) {
		hv_strv_clear(&tmp.vfs);
		return r;
	}
	if (d && cfg->visible && lib_run(c, job_find_cap, &cj) < 0)
		cj.addr = 0;
	if (!cj.addr && !any)
		return 0;	/* not an SR-IOV PF, as far as both tell */

	s = malloc(sizeof(*s));
	if (!s) {
		hv_strv_clear(&tmp.vfs);
		return -ENOMEM;
	}
	*s = tmp;
	dev->sriov = s;

	rel = hv_asprintf("%s/config", dir);
	if (!rel)
		return -ENOMEM;
	if (!cj.addr) {
		if (dev->ext_caps_fact.state == HV_FACT_OK ||
		    dev->ext_caps_fact.state == HV_FACT_ABSENT)
			return hv_fact_set_absent(&s->cap_fact, rel);
		return hv_fact_set_unknown(&s->cap_fact, rel,
					   dev->ext_caps_fact.err);
	}
	if (cj.addr < CONFIG_STD || cj.addr + SRIOV_CAP_LEN > cfg->visible) {
		r = hv_fact_set_invalid(&s->cap_fact, rel, -EBADMSG,
					"SR-IOV capability at 0x%03x runs past "
					"the %zu bytes visible", cj.addr,
					cfg->visible);
		if (r < 0)
			return r;
		return hv_host_diag(c->host, true, rel, 0, -EBADMSG,
				    "SR-IOV capability at 0x%03x runs past the "
				    "%zu bytes visible", cj.addr, cfg->visible);
	}
	{
		struct sriov_job sj = { .d = d, .at = cj.addr, .s = s };

		r = lib_run(c, job_sriov, &sj);
	}
	if (r < 0)
		return hv_fact_set_unknown(&s->cap_fact, rel, r);
	return hv_fact_set_ok(&s->cap_fact, rel);
}

/* Vendor, device, class and subsystem from libpci; names from pci.ids. */
static int
fill_identity(struct pci_ctx *c, struct hv_pci_dev *dev, struct pci_dev *d,
	      bool known)
{
	struct names_job nj = { .d = d };
	int r;

	if (!known) {
		/* Neither sysfs nor config space said. */
		dev->vendor_id = dev->device_id = 0xffff;
		dev->subsys_vendor_id = dev->subsys_id = 0xffff;
		dev->revision = 0xff;
		dev->class_code = 0xffffff;
		return 0;
	}
	dev->vendor_id = d->vendor_id;
	dev->device_id = d->device_id;
	dev->subsys_vendor_id = d->subsys_vendor_id;
	dev->subsys_id = d->subsys_id;
	dev->revision = d->rev_id;
	dev->class_code = (uint32_t)d->device_class << 8 | d->prog_if;
	if (!c->names || dev->vendor_id == 0xffff)
		return 0;

	r = lib_run(c, job_names, &nj);
	if (r == 0) {
		dev->vendor_name = HV_TAKE_PTR(nj.vendor);
		dev->device_name = HV_TAKE_PTR(nj.device);
		dev->class_name = HV_TAKE_PTR(nj.class);
	}
	free(nj.vendor);
	free(nj.device);
	free(nj.class);
	return r == -ENOMEM ? r : 0;
}

/* libpci read the optional attributes by itself: a capture must hold
 * them (the mandatory ones were read through the root already). */
static void
record_libpci_reads(struct pci_ctx *c, const char *dir)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(libpci_optional); i++) {
		_cleanup_free_ char *rel = hv_asprintf("%s/%s", dir,
						       libpci_optional[i]);

		if (rel && hv_root_exists(c->root, rel) == 0)
			(void)hv_root_record(c->root, rel);
	}
}

/*
 * The header type and, for a PCI-PCI or CardBus bridge, its bus numbers
 * (the same bytes in both layouts): all within the first 64 bytes, so
 * visible without root too.
 */
static void
header_fields(struct hv_pci_dev *dev, const struct config *cfg)
{
	if (cfg->visible <= 0x0e)
		return;
	dev->header_known = true;
	dev->header_type = cfg->bytes[0x0e] & 0x7f;
	dev->multifunction = cfg->bytes[0x0e] & 0x80;
	if ((dev->header_type == 1 || dev->header_type == 2) &&
	    cfg->visible > 0x1a) {
		dev->primary_bus = cfg->bytes[0x18];
		dev->secondary_bus = cfg->bytes[0x19];
		dev->subordinate_bus = cfg->bytes[0x1a];
	}
}

/*
 * Probe the device named name (already parsed into pa) and append it to
 * host->pci.devs. 0 or -ENOMEM.
 */
static int
probe_device(struct pci_ctx *c, const char *name, const struct pci_addr *pa)
{
	struct hv_pci *pci = &c->host->pci;
	_cleanup_free_ struct config *cfg = NULL;
	_cleanup_free_ char *dir = NULL;
	struct fill_job fj = { .addr = *pa };
	struct hv_pci_dev *dev;
	bool known;
	int sysfs, r;

	dir = hv_asprintf("%s/%s", PCI_DEVICES, name);
	cfg = malloc(sizeof(*cfg));
	if (!dir || !cfg || HV_GROW(pci->devs, c->cap, pci->n_devs + 1) < 0)
		return -ENOMEM;
	dev = &pci->devs[pci->n_devs++];
	*dev = (struct hv_pci_dev){ 0 };
	snprintf(dev->addr, sizeof(dev->addr), "%s", name);
	/* As libpci's domain_16: 0xffff when the domain does not fit. */
	dev->domain = pa->domain > 0xffff ? 0xffff : (uint16_t)pa->domain;
	dev->bus = (uint8_t)pa->bus;
	dev->dev = (uint8_t)pa->dev;
	dev->func = (uint8_t)pa->func;
	dev->numa_node = -1;
	dev->iommu_group = -1;

	sysfs = check_libpci_files(c, dir);
	if (sysfs < 0)
		return sysfs;
	r = read_config(c, dir, dev, cfg);
	if (r < 0)
		return r;
	header_fields(dev, cfg);

	fj.cache = cfg->bytes;
	fj.buscentric = sysfs == 0;
	r = lib_run(c, job_fill, &fj);
	if (r == -EIO && !fj.buscentric) {
		/* The backstop: libpci failed on a sysfs attribute after
		 * all (a device removed meanwhile, say). */
		r = hv_host_diag(c->host, !hv_root_is_live(c->root), dir, 0,
				 -EIO, "libpci: %s: the device is read from "
				 "its config space", c->msg);
		if (r < 0)
			goto out;
		if (fj.d)
			(void)lib_run(c, job_free_dev, fj.d);
		fj.d = NULL;
		fj.buscentric = true;
		r = lib_run(c, job_fill, &fj);
	}
	c->acc->buscentric = 0;
	if (r == -EIO) {
		r = hv_host_diag(c->host, !hv_root_is_live(c->root), dir, 0,
				 -EIO, "libpci: %s", c->msg);
		if (r < 0)
			goto out;
		if (fj.d)
			(void)lib_run(c, job_free_dev, fj.d);
		fj.d = NULL;
	} else if (r < 0)
		goto out;

	/* From config bytes, identity needs them; from sysfs, it does not. */
	known = fj.d && (!fj.buscentric || cfg->visible > 0);
	r = fill_identity(c, dev, fj.d, known);
	if (r < 0)
		goto out;
	if (fj.d && !fj.buscentric)
		record_libpci_reads(c, dir);

	r = probe_caps(c, dir, dev, fj.d, cfg);
	if (r < 0)
		goto out;
	r = probe_links(c, dir, dev);
	if (r < 0)
		goto out;
	r = probe_sriov(c, dir, dev, fj.d, cfg);
out:
	if (fj.d)
		(void)lib_run(c, job_free_dev, fj.d);
	return r;
}

static int
cmp_dev(const void *a, const void *b)
{
	const struct hv_pci_dev *x = a, *y = b;

	/* The order hv_host_pci_dev() searches in. */
	return strcmp(x->addr, y->addr);
}

/* ---- the probe --------------------------------------------------------- */

int
hv_pci_probe(struct hv_root *root, struct hv_host *host)
{
	struct pci_ctx c = { .root = root, .host = host,
			     .cap = host->pci.n_devs };
	struct pci_ctx *outer_ctx = lib_ctx;
	_cleanup_free_ char *sysfs = NULL;
	struct hv_strv names = { 0 };
	int r;

	r = hv_root_list(root, PCI_DEVICES, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_from_errno(&host->pci.fact, PCI_DEVICES, r);
	r = hv_fact_set_ok(&host->pci.fact, PCI_DEVICES);
	if (r < 0)
		goto out;

	sysfs = hv_root_abspath(root, PCI_BUS_DIR);
	c.acc = pci_alloc();
	if (!sysfs || !c.acc) {
		r = -ENOMEM;
		goto out;
	}
	c.acc->error = lib_error;
	c.acc->warning = lib_warning;
	c.acc->debug = lib_debug;
	lib_ctx = &c;

	r = lib_run(&c, job_init, sysfs);
	if (r < 0) {
		r = hv_fact_set_unknown(&host->pci.fact, PCI_DEVICES, -EIO);
		if (r == 0)
			r = hv_host_diag(host, false, PCI_DEVICES, 0, -EIO,
					 "libpci cannot start: %s", c.msg);
		goto out;
	}
	r = load_names(&c);
	if (r < 0)
		goto out;

	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *rel = NULL;
		struct pci_addr pa;
		struct stat st;

		rel = hv_asprintf("%s/%s", PCI_DEVICES, names.v[i]);
		if (!rel) {
			r = -ENOMEM;
			goto out;
		}
		if (host->pci.n_devs >= MAX_DEVICES) {
			r = hv_host_diag(host, true, PCI_DEVICES, 0, -E2BIG,
					 "more than %u PCI devices: the rest "
					 "are not read", MAX_DEVICES);
			if (r < 0)
				goto out;
			break;
		}
		if (parse_pci_addr(names.v[i], &pa) < 0) {
			r = hv_host_diag(host, true, rel, 0, -EINVAL,
					 "\"%s\" is not a PCI address as the "
					 "kernel writes one (DDDD:BB:DD.F): not "
					 "read", names.v[i]);
			if (r < 0)
				goto out;
			continue;
		}
		r = hv_root_stat(root, rel, &st);
		if (r == 0 && !S_ISDIR(st.st_mode))
			r = -ENOTDIR;
		if (r < 0) {
			r = hv_host_diag(host, true, rel, 0, r,
					 "PCI device %s is not a directory: %s",
					 names.v[i], hv_strerror(r));
			if (r < 0)
				goto out;
			continue;
		}
		r = probe_device(&c, names.v[i], &pa);
		if (r == 0 && c.enomem)
			r = -ENOMEM;
		if (r < 0)
			goto out;
	}
	if (host->pci.n_devs > 1)
		qsort(host->pci.devs, host->pci.n_devs, sizeof(*host->pci.devs),
		      cmp_dev);
	r = 0;
out:
	/* pci_cleanup() copes with an access that never started. */
	if (c.acc)
		(void)lib_run(&c, job_cleanup, NULL);
	lib_ctx = outer_ctx;
	free(c.ids_path);
	hv_strv_clear(&names);
	return r;
}
