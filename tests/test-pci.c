/*
 * test-pci.c -- the PCI probe (src/pci.c) over captured roots built from
 * the real config-space dumps of tests/corpus/pci, checked against what
 * `lspci -vvvnn` (pciutils 3.9.0 and 3.14.0) prints for the same dumps;
 * over malformed captures; and over this machine, as root and as nobody.
 *
 * Test data: every config space comes from the corpus (SOURCES.md says
 * where each dump is from). The sysfs attributes beside it (vendor,
 * device, class, revision, irq, resource, sriov_*, the virtfn/physfn
 * links) are derived from those bytes as the kernel derives them; the
 * one VF's address follows from its PF's First VF Offset and VF Stride.
 * Malformed inputs are real dumps truncated or with one byte changed,
 * said where.
 */
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hv-probe.h"
#include "hv-test.h"

#define LIBKMOD_NOISE	"lspci: Unable to load libkmod resources: error -2\n"

/* ---- config dumps (the lspci -x format) -------------------------------- */

struct dump_dev {
	char addr[16];			/* DDDD:BB:DD.F */
	uint8_t cfg[4096];
	size_t len;
};

struct dump {
	struct dump_dev *devs;
	size_t n;
};

/* "BB:DD.F " or "DDDD:BB:DD.F " at the start of line: a device. */
static bool
parse_header_addr(const char *line, char addr[16])
{
	unsigned dom = 0, bus, dev, fn;
	int n = 0;

	if (strlen(line) > 8 && line[2] == ':' && line[5] == '.' &&
	    line[7] == ' ' &&
	    sscanf(line, "%2x:%2x.%1u %n", &bus, &dev, &fn, &n) == 3 && n)
		;
	else if (strlen(line) > 13 && line[4] == ':' && line[7] == ':' &&
		 line[10] == '.' && line[12] == ' ' &&
		 sscanf(line, "%4x:%2x:%2x.%1u %n", &dom, &bus, &dev, &fn,
			&n) == 4 && n)
		;
	else
		return false;
	snprintf(addr, 16, "%04x:%02x:%02x.%u", dom, bus, dev, fn);
	return true;
}

/* Parse an lspci -x dump: device header lines, then "OFF: HH HH ..." */
static void
dump_parse(const char *text, struct dump *ret)
{
	_cleanup_free_ char *copy = strdup(text);
	struct dump_dev *cur = NULL;
	char *save = NULL;

	assert_non_null(copy);
	*ret = (struct dump){ 0 };
	for (char *line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char addr[16];
		unsigned off;
		int n = 0;

		if (parse_header_addr(line, addr)) {
			ret->devs = realloc(ret->devs,
					    (ret->n + 1) * sizeof(*ret->devs));
			assert_non_null(ret->devs);
			cur = &ret->devs[ret->n++];
			memset(cur, 0, sizeof(*cur));
			memcpy(cur->addr, addr, sizeof(addr));
			continue;
		}
		if (!cur || line[0] == '\t' ||
		    sscanf(line, "%3x: %n", &off, &n) != 1 || !n ||
		    (line[2] != ':' && line[3] != ':'))
			continue;
		for (const char *p = line + n; off < 4096;) {
			unsigned b;
			int k = 0;

			if (sscanf(p, "%2x%n", &b, &k) != 1 || k != 2)
				break;
			cur->cfg[off++] = (uint8_t)b;
			if (off > cur->len)
				cur->len = off;
			p += k;
			while (*p == ' ')
				p++;
		}
	}
}

static void
dump_free(struct dump *d)
{
	free(d->devs);
	*d = (struct dump){ 0 };
}

static uint16_t
cfg16(const struct dump_dev *d, unsigned off)
{
	return (uint16_t)(d->cfg[off] | d->cfg[off + 1] << 8);
}

/* ---- building a root from dumps ---------------------------------------- */

enum {
	WITH_ATTRS = 1 << 0,	/* vendor, device, class, revision, irq, resource */
	WITH_CONFIG = 1 << 1,
};

/* The sysfs directory of a device in the built root. */
static char *
dev_dir(const char *addr)
{
	char *p = hv_asprintf("sys/devices/pci%.7s/%s", addr, addr);

	assert_non_null(p);
	return p;
}

/* Append the manifest records of one device: len bytes of its config,
 * the attributes as flags say, less the one named omit. */
static void
emit_dev(FILE *m, const struct dump_dev *d, size_t len, unsigned flags,
	 const char *omit)
{
	_cleanup_free_ char *dir = dev_dir(d->addr);
	const char *o = omit ? omit : "";

	fprintf(m, "l sys/bus/pci/devices/%s ../../../devices/pci%.7s/%s\n",
		d->addr, d->addr, d->addr);
	fprintf(m, "d %s\n", dir);
	if (flags & WITH_CONFIG) {
		fprintf(m, "x %s/config\n", dir);
		for (size_t off = 0; off < len; off += 16) {
			fprintf(m, "%03zx:", off);
			for (size_t i = off; i < off + 16 && i < len; i++)
				fprintf(m, " %02x", d->cfg[i]);
			fprintf(m, "\n");
		}
		fprintf(m, ".\n");
	}
	if (flags & WITH_ATTRS) {
		/* As drivers/pci/pci-sysfs.c prints them. */
		if (strcmp(o, "vendor") != 0)
			fprintf(m, "f %s/vendor 0x%04x\n", dir, cfg16(d, 0));
		if (strcmp(o, "device") != 0)
			fprintf(m, "f %s/device 0x%04x\n", dir, cfg16(d, 2));
		if (strcmp(o, "class") != 0)
			fprintf(m, "f %s/class 0x%02x%02x%02x\n", dir,
				d->cfg[0xb], d->cfg[0xa], d->cfg[0x9]);
		if (strcmp(o, "revision") != 0)
			fprintf(m, "f %s/revision 0x%02x\n", dir, d->cfg[8]);
		if (strcmp(o, "irq") != 0)
			fprintf(m, "f %s/irq %u\n", dir, d->cfg[0x3c]);
		if (strcmp(o, "resource") != 0) {
			/* No BAR assigned: the address figures are not
			 * in a config dump. */
			fprintf(m, "F %s/resource\n", dir);
			for (int i = 0; i < 13; i++)
				fprintf(m, "0x0000000000000000 "
					"0x0000000000000000 "
					"0x0000000000000000\n");
			fprintf(m, ".\n");
		}
	}
}

/* A manifest for every device of a dump, plus extra records. */
static char *
dump_manifest(const struct dump *dp, unsigned flags, const char *extra)
{
	char *text = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&text, &size);

	assert_non_null(m);
	fprintf(m, "d sys/bus/pci/devices\n");
	for (size_t i = 0; i < dp->n; i++)
		emit_dev(m, &dp->devs[i], dp->devs[i].len, flags, NULL);
	if (extra)
		fputs(extra, m);
	assert_int_equal(fclose(m), 0);
	return text;
}

static struct hv_host *
probe_dir(const char *dir)
{
	struct hv_root *root = NULL;
	struct hv_host *host = hv_host_new();

	assert_non_null(host);
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_pci_probe(root, host), 0);
	hv_root_free(root);
	return host;
}

static struct hv_host *
probe_manifest(const char *manifest)
{
	char *dir = hv_test_root_from_text(manifest);
	struct hv_host *host = probe_dir(dir);

	hv_test_rmtree(dir);
	return host;
}

static void
load_dump(const char *rel, struct dump *ret)
{
	_cleanup_free_ char *path = hv_test_corpus(rel);
	_cleanup_free_ char *text = hv_test_read(path, NULL);

	dump_parse(text, ret);
	assert_true(ret->n > 0);
}

static const struct hv_pci_dev *
get_dev(const struct hv_host *host, const char *addr)
{
	const struct hv_pci_dev *d = hv_host_pci_dev(host, addr);

	static const struct hv_pci_dev none;

	if (d)
		return d;
	print_message("device %s not found\n", addr);
	fail();
	return &none;
}

/* The diagnostic whose path ends with path_end and whose message holds
 * word; NULL if none. */
static const struct hv_diag *
find_diag(const struct hv_host *host, const char *path_end, const char *word)
{
	for (size_t i = 0; i < host->n_diags; i++) {
		const struct hv_diag *g = &host->diags[i];
		size_t pl = g->path ? strlen(g->path) : 0;

		if (path_end && (!g->path || pl < strlen(path_end) ||
				 strcmp(g->path + pl - strlen(path_end),
					path_end) != 0))
			continue;
		if (word && !strstr(g->msg, word))
			continue;
		return g;
	}
	return NULL;
}

/* find_diag() that fails the test when there is none. */
static const struct hv_diag *
must_diag(const struct hv_host *host, const char *path_end, const char *word)
{
	static const struct hv_diag none = { .msg = (char *)"" };
	const struct hv_diag *g = find_diag(host, path_end, word);

	if (g)
		return g;
	print_message("no diagnostic for %s with \"%s\"\n",
		      path_end ? path_end : "(none)", word ? word : "");
	fail();
	return &none;
}

static void
print_diags(const struct hv_host *host)
{
	for (size_t i = 0; i < host->n_diags; i++)
		print_message("diag: %s: %s\n", host->diags[i].path,
			      host->diags[i].msg);
}

/* ---- lspci -vvvnn references ------------------------------------------- */

#define CHECK(ctx, what, got, want)					\
	do {								\
		unsigned long long g_ = (got), w_ = (want);		\
		if (g_ != w_)						\
			fail_msg("%s: %s is 0x%llx, lspci says 0x%llx",	\
				 (ctx), (what), g_, w_);		\
	} while (0)

/* "Name+" or "Name-" in line: 1 or 0; fails if absent. */
static unsigned
flag(const char *ctx, const char *line, const char *name)
{
	const char *p = strstr(line, name);

	if (!p || (p[strlen(name)] != '+' && p[strlen(name)] != '-'))
		fail_msg("%s: no %s flag in \"%s\"", ctx, name, line);
	return p[strlen(name)] == '+';
}

/* The PCIe device/port types as lspci names them (ls-caps.c). */
static const struct {
	const char *name;
	unsigned type;
} pcie_types[] = {
	{ "Endpoint",				0x0 },
	{ "Legacy Endpoint",			0x1 },
	{ "Root Port",				0x4 },
	{ "Upstream Port",			0x5 },
	{ "Downstream Port",			0x6 },
	{ "PCI-Express to PCI/PCI-X Bridge",	0x7 },
	{ "PCI/PCI-X to PCI-Express Bridge",	0x8 },
	{ "Root Complex Integrated Endpoint",	0x9 },
	{ "Root Complex Event Collector",	0xa },
};

/* Check the SR-IOV block of lspci (lines after its "Capabilities:"). */
static void
check_sriov_block(const char *ctx, char **lines, size_t n,
		  const struct hv_sriov *s)
{
	bool consumed[6] = { false }, printed[6] = { false };
	unsigned v1, v2, v3, v4;

	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];
		unsigned long long addr;
		char bits[4], pf[8];
		int region;

		if (strncmp(l, "\t\t", 2) != 0)
			break;
		l += 2;
		if (strncmp(l, "IOVCap:", 7) == 0) {
			const char *imn = strstr(l, "Interrupt Message Number: ");

			CHECK(ctx, "IOVCap Migration", s->capabilities & 1,
			      flag(ctx, l, "Migration"));
			CHECK(ctx, "IOVCap 10BitTagReq",
			      (s->capabilities >> 2) & 1,
			      flag(ctx, l, "10BitTagReq"));
			if (imn) {	/* 3.9.0: hex */
				assert_int_equal(sscanf(imn + 26, "%x", &v1), 1);
			} else {	/* 3.14.0: "IntMsgNum %d" */
				imn = strstr(l, "IntMsgNum ");
				assert_non_null(imn);
				assert_int_equal(sscanf(imn + 10, "%u", &v1), 1);
			}
			CHECK(ctx, "IOVCap interrupt message number",
			      s->capabilities >> 21, v1);
		} else if (strncmp(l, "IOVCtl:", 7) == 0) {
			static const char *const bit[] = {
				"Enable", "Migration", "Interrupt", "MSE",
				"ARIHierarchy", "10BitTagReq",
			};

			for (unsigned b = 0; b < HV_ELEMENTSOF(bit); b++)
				CHECK(ctx, bit[b], (s->control >> b) & 1,
				      flag(ctx, l, bit[b]));
			CHECK(ctx, "vf_enable", s->vf_enable, s->control & 1);
			CHECK(ctx, "vf_migration_enable",
			      s->vf_migration_enable, flag(ctx, l, "Migration"));
			CHECK(ctx, "ari_capable_hierarchy",
			      s->ari_capable_hierarchy,
			      flag(ctx, l, "ARIHierarchy"));
		} else if (strncmp(l, "IOVSta:", 7) == 0) {
			CHECK(ctx, "IOVSta Migration", s->status & 1,
			      flag(ctx, l, "Migration"));
		} else if (sscanf(l, "Initial VFs: %u, Total VFs: %u, Number "
				  "of VFs: %u, Function Dependency Link: %x",
				  &v1, &v2, &v3, &v4) == 4) {
			CHECK(ctx, "Initial VFs", s->initial_vfs, v1);
			CHECK(ctx, "Total VFs", s->total_vfs, v2);
			CHECK(ctx, "Number of VFs", s->num_vfs, v3);
			CHECK(ctx, "Function Dependency Link",
			      s->function_dependency_link, v4);
		} else if (sscanf(l, "VF offset: %u, stride: %u, Device ID: %x",
				  &v1, &v2, &v3) == 3) {
			CHECK(ctx, "VF offset", s->vf_offset, v1);
			CHECK(ctx, "VF stride", s->vf_stride, v2);
			CHECK(ctx, "VF Device ID", s->vf_device_id, v3);
		} else if (sscanf(l, "Supported Page Size: %x, System Page "
				  "Size: %x", &v1, &v2) == 2) {
			CHECK(ctx, "Supported Page Size",
			      s->supported_page_sizes, v1);
			CHECK(ctx, "System Page Size", s->system_page_size, v2);
		} else if (sscanf(l, "Region %d: Memory at %llx (%3[0-9]-bit, "
				  "%7[a-z-]", &region, &addr, bits, pf) == 4) {
			uint64_t got;
			char what[32];

			assert_true(region >= 0 && region < 6);
			printed[region] = true;
			snprintf(what, sizeof(what), "VF BAR%d", region);
			got = s->vf_bar[region] & ~(uint64_t)0xf;
			if (strcmp(bits, "64") == 0) {
				CHECK(ctx, what, (s->vf_bar[region] >> 1) & 3, 2);
				assert_true(region < 5);
				consumed[region + 1] = true;
				got |= s->vf_bar[region + 1] << 32;
			} else
				CHECK(ctx, what, (s->vf_bar[region] >> 1) & 3, 0);
			CHECK(ctx, what, got, addr);
			CHECK(ctx, what, (s->vf_bar[region] >> 3) & 1,
			      strcmp(pf, "non-pre") != 0);
		}
	}
	/* lspci skips a VF BAR that reads 0 or ~0. */
	for (int i = 0; i < 6; i++)
		if (!printed[i] && !consumed[i])
			assert_true(s->vf_bar[i] == 0 ||
				    s->vf_bar[i] == 0xffffffff);
}

/*
 * Check every device of a reference decoding against the probe's view.
 * Returns how many devices the reference has.
 */
static size_t
check_reference(const char *file, const struct hv_host *host)
{
	_cleanup_free_ char *path = hv_test_corpus(file);
	_cleanup_free_ char *text = hv_test_read(path, NULL);
	struct hv_strv lines = { 0 };
	size_t ndev = 0;
	char *p;

	/* pciutils 3.9.0 printed this on stderr, into the capture. */
	while ((p = strstr(text, LIBKMOD_NOISE)))
		memmove(p, p + strlen(LIBKMOD_NOISE),
			strlen(p + strlen(LIBKMOD_NOISE)) + 1);
	assert_int_equal(hv_strv_split(&lines, text, "\n"), 0);

	for (size_t i = 0; i < lines.n; i++) {
		const struct hv_pci_dev *d;
		const char *l = lines.v[i], *q;
		unsigned cls, ven, dev, rev = 0, progif = 0;
		bool sub_seen = false, pcie_seen = false;
		char addr[16], ctx[160];

		if (!parse_header_addr(l, addr))
			continue;
		ndev++;
		snprintf(ctx, sizeof(ctx), "%s %s", file, addr);
		d = get_dev(host, addr);

		/* "... [0200]: ... [8086:10c9] (rev 01) (prog-if 8f ...)" */
		q = strstr(l, "]: ");
		assert_non_null(q);
		assert_int_equal(sscanf(q - 5, "[%4x]", &cls), 1);
		q = strstr(l, " (rev ");
		if (q)
			assert_int_equal(sscanf(q, " (rev %2x)", &rev), 1);
		q = strstr(l, " (prog-if ");
		if (q)
			assert_int_equal(sscanf(q, " (prog-if %2x", &progif), 1);
		q = NULL;
		for (const char *s = strchr(l, '['); s; s = strchr(s + 1, '['))
			if (strlen(s) >= 11 && s[5] == ':' && s[10] == ']')
				q = s;
		assert_non_null(q);
		assert_int_equal(sscanf(q, "[%4x:%4x]", &ven, &dev), 2);
		CHECK(ctx, "vendor", d->vendor_id, ven);
		CHECK(ctx, "device", d->device_id, dev);
		CHECK(ctx, "class", d->class_code, cls << 8 | progif);
		CHECK(ctx, "revision", d->revision, rev);

		for (size_t k = i + 1; k < lines.n; k++) {
			const char *m = lines.v[k];
			unsigned sv, sd, at;

			if (parse_header_addr(m, addr))
				break;
			if (strncmp(m, "\tBus: primary=", 14) == 0) {
				unsigned pb, sb, ob;

				assert_int_equal(sscanf(m, "\tBus: primary=%2x, "
					"secondary=%2x, subordinate=%2x",
					&pb, &sb, &ob), 3);
				CHECK(ctx, "header_known", d->header_known, 1);
				assert_true(d->header_type == 1 ||
					    d->header_type == 2);
				CHECK(ctx, "primary_bus", d->primary_bus, pb);
				CHECK(ctx, "secondary_bus", d->secondary_bus, sb);
				CHECK(ctx, "subordinate_bus",
				      d->subordinate_bus, ob);
			}
			if (strncmp(m, "\tSubsystem: ", 12) == 0) {
				q = strrchr(m, '[');
				assert_int_equal(sscanf(q, "[%4x:%4x]", &sv,
							&sd), 2);
				CHECK(ctx, "subsystem vendor",
				      d->subsys_vendor_id, sv);
				CHECK(ctx, "subsystem", d->subsys_id, sd);
				sub_seen = true;
			}
			if (strncmp(m, "\tCapabilities: [", 16) == 0 &&
			    (q = strstr(m, "] Express ("))) {
				q = strchr(q, ')');
				assert_non_null(q);
				q += 2;
				pcie_seen = true;
				CHECK(ctx, "is_pcie", d->is_pcie, 1);
				for (size_t t = 0; t < HV_ELEMENTSOF(pcie_types);
				     t++) {
					size_t nl = strlen(pcie_types[t].name);

					if (strncmp(q, pcie_types[t].name, nl) == 0 &&
					    (q[nl] == ',' || q[nl] == ' '))
						CHECK(ctx, "pcie_type",
						      d->pcie_type,
						      pcie_types[t].type);
				}
			}
			if (strncmp(m, "\tCapabilities: [", 16) == 0 &&
			    strstr(m, "Single Root I/O Virtualization") &&
			    sscanf(m, "\tCapabilities: [%x", &at) == 1) {
				if (!d->sriov)
					print_message("%s: no SR-IOV\n", ctx);
				assert_non_null(d->sriov);
				CHECK(ctx, "SR-IOV cap_fact",
				      d->sriov->cap_fact.state, HV_FACT_OK);
				CHECK(ctx, "SR-IOV cap_offset",
				      d->sriov->cap_offset, at);
				check_sriov_block(ctx, lines.v + k + 1,
						  lines.n - k - 1, d->sriov);
			}
		}
		if (!sub_seen)
			assert_true(d->subsys_vendor_id == 0 ||
				    d->subsys_vendor_id == 0xffff);
		if (!pcie_seen && d->caps_fact.state == HV_FACT_OK)
			CHECK(ctx, "is_pcie", d->is_pcie, 0);
		/* Without the capability, nothing to decode: no sysfs
		 * SR-IOV attributes in these roots either. */
		if (d->sriov && d->sriov->cap_fact.state != HV_FACT_OK)
			fail_msg("%s: SR-IOV where lspci shows none", ctx);
		if (d->header_known && d->header_type == 0)
			CHECK(ctx, "bus numbers of a non-bridge",
			      d->secondary_bus | d->subordinate_bus, 0);
	}
	hv_strv_clear(&lines);
	return ndev;
}

/* Dumps and their references: BASE.lspci*.txt, BASE.decoded-lspci-V.txt */
static void
check_corpus_file(const char *dump_rel, unsigned flags)
{
	static const char *const versions[] = { "3.9.0", "3.14.0" };
	_cleanup_free_ char *manifest = NULL, *base = NULL;
	struct hv_host *host;
	struct dump dp;
	size_t checked = 0;

	load_dump(dump_rel, &dp);
	manifest = dump_manifest(&dp, flags, NULL);
	host = probe_manifest(manifest);
	assert_int_equal(host->pci.n_devs, dp.n);
	for (size_t i = 1; i < host->pci.n_devs; i++)
		assert_true(strcmp(host->pci.devs[i - 1].addr,
				   host->pci.devs[i].addr) < 0);

	for (size_t i = 0; i < dp.n; i++) {
		const struct hv_pci_dev *d = get_dev(host, dp.devs[i].addr);

		assert_int_equal(d->config_fact.state, HV_FACT_OK);
		assert_int_equal(d->config_len, dp.devs[i].len);
		assert_int_equal(d->extended_visible, dp.devs[i].len > 256);
		if (dp.devs[i].len <= 256) {
			/* Unknown, never absent. */
			assert_int_equal(d->ext_caps_fact.state,
					 HV_FACT_UNKNOWN);
			assert_int_equal(d->ext_caps_fact.err, -ENODATA);
		} else
			assert_true(d->ext_caps_fact.state == HV_FACT_OK ||
				    d->ext_caps_fact.state == HV_FACT_ABSENT);
		assert_null(d->driver);
		assert_int_equal(d->numa_node, -1);
		assert_int_equal(d->iommu_group, -1);
	}

	if (flags & WITH_ATTRS) {
		if (host->n_diags)
			print_diags(host);
		assert_int_equal(host->n_diags, 0);
	} else {
		/* Each device lacks all five files libpci needs. */
		for (size_t i = 0; i < dp.n; i++) {
			static const char *const files[] = {
				"vendor", "device", "class", "irq", "resource",
			};

			for (size_t f = 0; f < HV_ELEMENTSOF(files); f++) {
				_cleanup_free_ char *end = hv_asprintf(
					"%s/%s", dp.devs[i].addr, files[f]);
				const struct hv_diag *g;

				g = must_diag(host, end, "missing");
				assert_true(g->bad_input);
				assert_int_equal(g->err, -ENOENT);
			}
		}
	}

	base = strdup(dump_rel);
	assert_non_null(base);
	*strstr(base, ".lspci") = '\0';
	for (size_t v = 0; v < HV_ELEMENTSOF(versions); v++) {
		_cleanup_free_ char *ref = hv_asprintf(
			"%s.decoded-lspci-%s.txt", base, versions[v]);
		_cleanup_free_ char *path = hv_test_corpus(ref);
		struct stat st;

		if (stat(path, &st) < 0)
			continue;
		assert_int_equal(check_reference(ref, host), dp.n);
		checked++;
	}
	assert_true(checked > 0);
	hv_host_free(host);
	dump_free(&dp);
}

static void
for_each_corpus_dump(unsigned flags)
{
	static const char *const patterns[] = {
		"pci/pciutils-tests/*.lspci.txt",
		"pci/pcics/*.lspci-xxxx-derived.txt",
		"pci/fwupd/*.lspci-x-derived.txt",
	};
	_cleanup_free_ char *top = hv_test_corpus("");
	size_t total = 0;

	for (size_t i = 0; i < HV_ELEMENTSOF(patterns); i++) {
		_cleanup_free_ char *pat = hv_test_corpus(patterns[i]);
		glob_t g;

		assert_int_equal(glob(pat, 0, NULL, &g), 0);
		for (size_t k = 0; k < g.gl_pathc; k++) {
			check_corpus_file(g.gl_pathv[k] + strlen(top), flags);
			total++;
		}
		globfree(&g);
	}
	/* 28 from pciutils, 2 from pcics, 1 from fwupd. */
	assert_int_equal(total, 31);
}

static void
test_corpus_agrees_with_lspci(void **state _unused_)
{
	for_each_corpus_dump(WITH_ATTRS | WITH_CONFIG);
}

/* No sysfs attributes at all: every device is read from its config
 * bytes, with a diagnostic per missing file, and still agrees. */
static void
test_corpus_config_only(void **state _unused_)
{
	for_each_corpus_dump(WITH_CONFIG);
}


/* ---- one device, many ways --------------------------------------------- */

/* Build a manifest with open_memstream. */
struct mbuf {
	char *text;
	size_t size;
	FILE *f;
};

static FILE *
mbuf_open(struct mbuf *b)
{
	*b = (struct mbuf){ 0 };
	b->f = open_memstream(&b->text, &b->size);
	assert_non_null(b->f);
	fprintf(b->f, "d sys/bus/pci/devices\n");
	return b->f;
}

/* Close, materialize, probe. */
static struct hv_host *
mbuf_probe(struct mbuf *b)
{
	struct hv_host *host;

	assert_int_equal(fclose(b->f), 0);
	host = probe_manifest(b->text);
	free(b->text);
	return host;
}

/*
 * The Intel 82576 of pciutils' tests/cap-pcie-2 (01:00.0, igb, SR-IOV
 * with 1 of 8 VFs enabled: First VF Offset 384, VF Stride 2, VF Device
 * ID 10ca), and the sysfs attributes the kernel shows for it.
 */
static const char *const i82576 = "pci/pciutils-tests/cap-pcie-2.lspci.txt";
#define I82576_DIR "sys/devices/pci0000:01/0000:01:00.0"
/* Routing ID 01:00.0 (0x0100) + 384 = 0x0280: 02:10.0. */
#define I82576_VF0 "0000:02:10.0"

static void
emit_82576_sriov_attrs(FILE *m, unsigned numvfs)
{
	fprintf(m, "f " I82576_DIR "/sriov_totalvfs 8\n");
	fprintf(m, "f " I82576_DIR "/sriov_numvfs %u\n", numvfs);
	fprintf(m, "f " I82576_DIR "/sriov_offset 384\n");
	fprintf(m, "f " I82576_DIR "/sriov_stride 2\n");
	fprintf(m, "f " I82576_DIR "/sriov_vf_device 10ca\n");
	fprintf(m, "f " I82576_DIR "/sriov_drivers_autoprobe 1\n");
	/* VF i at routing ID 0x0280 + 2 * i; listed out of order. */
	for (unsigned i = numvfs; i-- > 0;) {
		unsigned rid = 0x280 + 2 * i;

		fprintf(m, "l " I82576_DIR "/virtfn%u ../0000:%02x:%02x.%u\n",
			i, rid >> 8, (rid >> 3) & 0x1f, rid & 7);
	}
}

static void
check_82576_sysfs(const struct hv_sriov *s, unsigned numvfs)
{
	assert_int_equal(s->sysfs_totalvfs, 8);
	assert_int_equal(s->sysfs_numvfs, (int)numvfs);
	assert_int_equal(s->sysfs_offset, 384);
	assert_int_equal(s->sysfs_stride, 2);
	assert_int_equal(s->sysfs_vf_device, 0x10ca);
	assert_int_equal(s->drivers_autoprobe, HV_TRI_YES);
	assert_int_equal(s->vfs.n, numvfs);
	for (unsigned i = 0; i < numvfs; i++) {
		unsigned rid = 0x280 + 2 * i;
		char want[16];

		snprintf(want, sizeof(want), "0000:%02x:%02x.%u", rid >> 8,
			 (rid >> 3) & 0x1f, rid & 7);
		assert_string_equal(s->vfs.v[i], want);
	}
}

/* PF with its capability and sysfs attributes, and its VF with physfn. */
static void
test_sriov_pf_and_vf(void **state _unused_)
{
	const struct hv_pci_dev *pf, *vf;
	const struct hv_sriov *s;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump(i82576, &dp);
	assert_string_equal(dp.devs[0].addr, "0000:01:00.0");
	emit_dev(m, &dp.devs[0], dp.devs[0].len, WITH_ATTRS | WITH_CONFIG,
		 NULL);
	emit_82576_sriov_attrs(m, 1);
	/* "Kernel driver in use: igb" in the dump. */
	fprintf(m, "l " I82576_DIR "/driver ../../../bus/pci/drivers/igb\n");
	fprintf(m, "f " I82576_DIR "/numa_node 0\n");
	fprintf(m, "l " I82576_DIR "/iommu_group "
		"../../../kernel/iommu_groups/12\n");
	/* The VF: its attributes as the kernel gives them (vendor of the
	 * PF, VF Device ID); its config space is not in the corpus. */
	fprintf(m, "l sys/bus/pci/devices/" I82576_VF0
		" ../../../devices/pci0000:01/" I82576_VF0 "\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/vendor 0x8086\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/device 0x10ca\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/class 0x020000\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/revision 0x01\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/irq 0\n"
		"f sys/devices/pci0000:01/" I82576_VF0 "/resource\n"
		"l sys/devices/pci0000:01/" I82576_VF0 "/physfn ../0000:01:00.0\n"
		"l sys/devices/pci0000:01/" I82576_VF0
		"/driver ../../../bus/pci/drivers/igbvf\n");
	host = mbuf_probe(&b);
	print_diags(host);
	assert_int_equal(host->n_diags, 0);
	assert_int_equal(host->pci.n_devs, 2);

	pf = get_dev(host, "0000:01:00.0");
	assert_int_equal(pf->domain, 0);
	assert_int_equal(pf->bus, 1);
	assert_int_equal(pf->dev, 0);
	assert_int_equal(pf->func, 0);
	assert_int_equal(pf->vendor_id, 0x8086);
	assert_int_equal(pf->device_id, 0x10c9);
	assert_int_equal(pf->subsys_vendor_id, 0x8086);
	assert_int_equal(pf->subsys_id, 0xa03c);
	assert_int_equal(pf->revision, 0x01);
	assert_int_equal(pf->class_code, 0x020000);
	assert_string_equal(pf->driver, "igb");
	assert_int_equal(pf->numa_node, 0);
	assert_int_equal(pf->iommu_group, 12);
	assert_null(pf->physfn);
	assert_int_equal(pf->config_len, 4096);
	assert_true(pf->extended_visible);
	assert_true(pf->is_pcie);
	assert_int_equal(pf->pcie_type, 0);	/* Endpoint */
	assert_int_equal(pf->caps_fact.state, HV_FACT_OK);
	assert_int_equal(pf->ext_caps_fact.state, HV_FACT_OK);

	s = pf->sriov;
	assert_non_null(s);
	assert_int_equal(s->cap_fact.state, HV_FACT_OK);
	assert_string_equal(s->cap_fact.source,
			    "sys/bus/pci/devices/0000:01:00.0/config");
	assert_int_equal(s->cap_offset, 0x160);
	assert_int_equal(s->initial_vfs, 8);
	assert_int_equal(s->total_vfs, 8);
	assert_int_equal(s->num_vfs, 1);
	assert_int_equal(s->vf_offset, 384);
	assert_int_equal(s->vf_stride, 2);
	assert_int_equal(s->vf_device_id, 0x10ca);
	assert_int_equal(s->supported_page_sizes, 0x553);
	assert_int_equal(s->system_page_size, 1);
	assert_true(s->vf_enable);
	assert_false(s->vf_migration_enable);
	assert_false(s->ari_capable_hierarchy);
	/* Region 0 at d2840000 and Region 3 at d2860000, 64-bit. */
	assert_int_equal(s->vf_bar[0], 0xd2840004);
	assert_int_equal(s->vf_bar[1], 0);
	assert_int_equal(s->vf_bar[3], 0xd2860004);
	check_82576_sysfs(s, 1);

	vf = get_dev(host, I82576_VF0);
	assert_string_equal(vf->physfn, "0000:01:00.0");
	assert_int_equal(vf->vendor_id, 0x8086);
	assert_int_equal(vf->device_id, 0x10ca);
	assert_string_equal(vf->driver, "igbvf");
	assert_null(vf->sriov);
	assert_int_equal(vf->config_fact.state, HV_FACT_ABSENT);
	assert_int_equal(vf->caps_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(vf->caps_fact.err, -ENOENT);
	hv_host_free(host);
	dump_free(&dp);
}

/* The sysfs attributes, with config space that does not reach SR-IOV. */
static void
check_sysfs_only(const struct dump *dp, size_t cfglen, unsigned flags,
		 int want_caps, int want_err)
{
	const struct hv_pci_dev *pf;
	struct hv_host *host;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	emit_dev(m, &dp->devs[0], cfglen, flags, NULL);
	/* As if an operator had enabled all 8 VFs. */
	emit_82576_sriov_attrs(m, 8);
	host = mbuf_probe(&b);
	print_diags(host);
	assert_int_equal(host->n_diags, 0);
	assert_int_equal(host->pci.n_devs, 1);
	pf = get_dev(host, "0000:01:00.0");
	assert_int_equal(pf->device_id, 0x10c9);
	assert_false(pf->extended_visible);
	assert_int_equal((int)pf->caps_fact.state, want_caps);
	assert_int_equal(pf->ext_caps_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(pf->ext_caps_fact.err, want_err);
	assert_non_null(pf->sriov);
	/* Unknown from config space, never absent. */
	assert_int_equal(pf->sriov->cap_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(pf->sriov->cap_fact.err, want_err);
	assert_int_equal(pf->sriov->total_vfs, 0);
	check_82576_sysfs(pf->sriov, 8);
	hv_host_free(host);
}

static void
test_sriov_sysfs_without_config(void **state _unused_)
{
	const struct hv_pci_dev *pf;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m;

	load_dump(i82576, &dp);
	/* No config file. */
	check_sysfs_only(&dp, 0, WITH_ATTRS, HV_FACT_UNKNOWN, -ENOENT);
	/* The standard header only, as an unprivileged read gives it. */
	check_sysfs_only(&dp, 64, WITH_ATTRS | WITH_CONFIG, HV_FACT_UNKNOWN,
			 -ENODATA);
	/* Conventional config space: PCIe capability seen, extended not. */
	check_sysfs_only(&dp, 256, WITH_ATTRS | WITH_CONFIG, HV_FACT_OK,
			 -ENODATA);

	/* The capability with no sysfs attributes (a kernel without
	 * CONFIG_PCI_IOV): the sysfs figures are -1. */
	m = mbuf_open(&b);
	emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	host = mbuf_probe(&b);
	pf = get_dev(host, "0000:01:00.0");
	assert_non_null(pf->sriov);
	assert_int_equal(pf->sriov->cap_fact.state, HV_FACT_OK);
	assert_int_equal(pf->sriov->num_vfs, 1);
	assert_int_equal(pf->sriov->sysfs_totalvfs, -1);
	assert_int_equal(pf->sriov->sysfs_numvfs, -1);
	assert_int_equal(pf->sriov->sysfs_offset, -1);
	assert_int_equal(pf->sriov->sysfs_stride, -1);
	assert_int_equal(pf->sriov->sysfs_vf_device, -1);
	assert_int_equal(pf->sriov->drivers_autoprobe, HV_TRI_UNKNOWN);
	assert_int_equal(pf->sriov->vfs.n, 0);
	hv_host_free(host);
	dump_free(&dp);
}

/* Malformed sysfs attributes: a diagnostic each, the rest still read. */
static void
test_sysfs_attrs_malformed(void **state _unused_)
{
	const struct hv_pci_dev *pf;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump(i82576, &dp);
	emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	fprintf(m, "f " I82576_DIR "/sriov_totalvfs eight\n"
		"f " I82576_DIR "/sriov_numvfs 70000\n"
		"f " I82576_DIR "/sriov_offset 384\n"
		"f " I82576_DIR "/sriov_drivers_autoprobe yes\n"
		"l " I82576_DIR "/virtfn0 ../0000:02:10.0\n"
		"l " I82576_DIR "/virtfn1 ../not-a-device\n"
		"l " I82576_DIR "/virtfn01 ../0000:02:10.6\n"
		"f " I82576_DIR "/numa_node zero\n"
		"l " I82576_DIR "/iommu_group ../../../kernel/iommu_groups/x1\n"
		"f " I82576_DIR "/driver igb\n");
	host = mbuf_probe(&b);
	pf = get_dev(host, "0000:01:00.0");
	assert_non_null(pf->sriov);
	assert_int_equal(pf->sriov->cap_fact.state, HV_FACT_OK);
	assert_int_equal(pf->sriov->sysfs_totalvfs, -1);
	assert_int_equal(pf->sriov->sysfs_numvfs, -1);
	assert_int_equal(pf->sriov->sysfs_offset, 384);
	assert_int_equal(pf->sriov->sysfs_stride, -1);
	assert_int_equal(pf->sriov->drivers_autoprobe, HV_TRI_UNKNOWN);
	/* virtfn01 is not a name the kernel writes: ignored. */
	assert_int_equal(pf->sriov->vfs.n, 1);
	assert_string_equal(pf->sriov->vfs.v[0], "0000:02:10.0");
	assert_int_equal(pf->numa_node, -1);
	assert_int_equal(pf->iommu_group, -1);
	assert_null(pf->driver);
	assert_true(must_diag(host, "/sriov_totalvfs", "eight")->bad_input);
	assert_true(must_diag(host, "/sriov_numvfs", "70000")->bad_input);
	assert_true(must_diag(host, "/sriov_drivers_autoprobe", "yes")->bad_input);
	assert_true(must_diag(host, "0000:01:00.0", "not-a-device")->bad_input);
	assert_true(must_diag(host, "/numa_node", "not a number")->bad_input);
	assert_true(must_diag(host, "0000:01:00.0", "x1")->bad_input);
	assert_true(must_diag(host, "/driver", "not a symbolic link")->bad_input);
	assert_int_equal(host->n_diags, 7);
	hv_host_free(host);
	dump_free(&dp);
}

/*
 * Devices missing a file libpci reads as mandatory: a diagnostic naming
 * the file, the run goes on, every other device is there. The 16
 * devices of pciutils' tests/cap-vc-and-rcl (an Intel ICH7 system).
 */
static void
test_missing_libpci_files(void **state _unused_)
{
	static const char *const omit[] = { "irq", "resource", "vendor",
					    "class" };
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump("pci/pciutils-tests/cap-vc-and-rcl.lspci.txt", &dp);
	assert_int_equal(dp.n, 16);
	for (size_t i = 0; i < dp.n; i++)
		emit_dev(m, &dp.devs[i], dp.devs[i].len,
			 WITH_ATTRS | WITH_CONFIG,
			 i < HV_ELEMENTSOF(omit) ? omit[i] : NULL);
	/* A vendor file libpci would read as 0: not a number. */
	{
		_cleanup_free_ char *dir = dev_dir(dp.devs[4].addr);

		fprintf(m, "f %s/device 0xzz10\n", dir);
	}
	host = mbuf_probe(&b);
	assert_int_equal(host->pci.n_devs, 16);
	assert_int_equal(host->n_diags, 5);
	for (size_t i = 0; i < HV_ELEMENTSOF(omit); i++) {
		_cleanup_free_ char *end = hv_asprintf("%s/%s", dp.devs[i].addr,
						       omit[i]);
		const struct hv_diag *g = must_diag(host, end, "missing");

		assert_true(g->bad_input);
		assert_int_equal(g->err, -ENOENT);
	}
	{
		_cleanup_free_ char *end = hv_asprintf("%s/device",
						       dp.devs[4].addr);

		assert_true(must_diag(host, end, "not a number")->bad_input);
	}
	/* Identity from sysfs where libpci could read it, from the config
	 * bytes where not: the same figures either way. */
	for (size_t i = 0; i < dp.n; i++) {
		const struct hv_pci_dev *d = get_dev(host, dp.devs[i].addr);
		const struct dump_dev *x = &dp.devs[i];

		assert_int_equal(d->vendor_id, cfg16(x, 0));
		assert_int_equal(d->device_id, cfg16(x, 2));
		assert_int_equal(d->class_code, (uint32_t)x->cfg[0xb] << 16 |
				 (uint32_t)x->cfg[0xa] << 8 | x->cfg[0x9]);
		assert_int_equal(d->revision, x->cfg[8]);
		assert_int_equal(d->config_fact.state, HV_FACT_OK);
		assert_int_equal(d->caps_fact.state, cfg16(x, 6) & 0x10 ?
				 HV_FACT_OK : HV_FACT_ABSENT);
	}
	hv_host_free(host);
	dump_free(&dp);
}

/* Names in sys/bus/pci/devices that are not devices. */
static void
test_unparseable_names(void **state _unused_)
{
	static const char *const bad[] = {
		"garbage", "0000:00:1f.3x", "0000:00:20.0", "0000:00:1F.0",
		"00000:00:01.0", "0000:0:01.0", "0000:00:01.8", "0000:00:01.",
		"-000:00:01.0", "0x00:00:01.0",
	};
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump(i82576, &dp);
	emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	for (size_t i = 0; i < HV_ELEMENTSOF(bad); i++)
		fprintf(m, "d sys/bus/pci/devices/%s\n", bad[i]);
	/* A valid name that is a file, and one that is a dangling link. */
	fprintf(m, "f sys/bus/pci/devices/0000:00:02.0 x\n"
		"l sys/bus/pci/devices/0000:00:03.0 ../../../devices/nowhere\n");
	host = mbuf_probe(&b);
	assert_int_equal(host->pci.n_devs, 1);
	assert_string_equal(host->pci.devs[0].addr, "0000:01:00.0");
	assert_int_equal(host->pci.devs[0].device_id, 0x10c9);
	for (size_t i = 0; i < HV_ELEMENTSOF(bad); i++) {
		_cleanup_free_ char *end = hv_asprintf("/%s", bad[i]);

		assert_true(must_diag(host, end, "not a PCI address")->bad_input);
	}
	assert_int_equal(must_diag(host, "/0000:00:02.0", "not a directory")->err,
			 -ENOTDIR);
	assert_int_equal(must_diag(host, "/0000:00:03.0", "not a directory")->err,
			 -ENOENT);
	assert_int_equal(host->n_diags, HV_ELEMENTSOF(bad) + 2);
	hv_host_free(host);
	dump_free(&dp);
}

/* Config files shorter than the standard header, or too long. */
static void
test_config_size(void **state _unused_)
{
	const struct hv_pci_dev *d;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m;

	load_dump(i82576, &dp);
	/* The real dump cut at 40 bytes. */
	m = mbuf_open(&b);
	emit_dev(m, &dp.devs[0], 40, WITH_ATTRS | WITH_CONFIG, NULL);
	host = mbuf_probe(&b);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->config_fact.state, HV_FACT_INVALID);
	assert_int_equal(d->config_len, 40);
	assert_int_equal(d->caps_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(d->caps_fact.err, -EBADMSG);
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_UNKNOWN);
	assert_false(d->is_pcie);
	assert_null(d->sriov);
	/* Identity from sysfs all the same. */
	assert_int_equal(d->vendor_id, 0x8086);
	assert_int_equal(d->device_id, 0x10c9);
	assert_true(must_diag(host, "0000:01:00.0/config", "shorter")->bad_input);
	assert_int_equal(host->n_diags, 1);
	hv_host_free(host);

	/* Neither sysfs nor usable config: identity unknown (0xffff). */
	m = mbuf_open(&b);
	emit_dev(m, &dp.devs[0], 40, WITH_CONFIG, NULL);
	host = mbuf_probe(&b);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->vendor_id, 0xffff);
	assert_int_equal(d->device_id, 0xffff);
	assert_int_equal(d->class_code, 0xffffff);
	assert_null(d->vendor_name);
	assert_int_equal(host->n_diags, 6);
	hv_host_free(host);

	/* 4096 bytes and one more line. */
	m = mbuf_open(&b);
	emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	fprintf(m, "x " I82576_DIR "/config\n1000: 00\n.\n");
	host = mbuf_probe(&b);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->config_fact.state, HV_FACT_INVALID);
	assert_int_equal(d->config_fact.err, -EFBIG);
	assert_int_equal(d->device_id, 0x10c9);
	assert_int_equal(must_diag(host, "/config", "larger")->err, -EFBIG);
	hv_host_free(host);
	dump_free(&dp);
}

/* Corrupted and truncated copies of the 82576's config space. */
static struct hv_host *
probe_82576_bytes(const struct dump_dev *x, size_t len)
{
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	emit_dev(m, x, len, WITH_ATTRS | WITH_CONFIG, NULL);
	return mbuf_probe(&b);
}

static void
test_capability_lists_corrupted(void **state _unused_)
{
	const struct hv_pci_dev *d;
	struct hv_host *host;
	struct dump_dev x;
	struct dump dp;

	load_dump(i82576, &dp);

	/* SR-IOV (0x160, last) points back to AER at 0x100: a loop. */
	x = dp.devs[0];
	assert_int_equal(x.cfg[0x163], 0x00);
	x.cfg[0x163] = 0x10;
	host = probe_82576_bytes(&x, 4096);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_OK);
	assert_int_equal(must_diag(host, NULL, "loops back to 0x100")->err,
			 -ELOOP);
	assert_non_null(d->sriov);
	assert_int_equal(d->sriov->cap_fact.state, HV_FACT_OK);
	assert_int_equal(d->sriov->vf_offset, 384);
	hv_host_free(host);

	/* PCI Express (0xa0, last) points back to PM at 0x40. */
	x = dp.devs[0];
	assert_int_equal(x.cfg[0xa1], 0x00);
	x.cfg[0xa1] = 0x40;
	host = probe_82576_bytes(&x, 4096);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->caps_fact.state, HV_FACT_OK);
	assert_true(d->is_pcie);
	assert_int_equal(must_diag(host, NULL, "loops back to 0x40")->err,
			 -ELOOP);
	assert_int_equal(d->sriov->cap_fact.state, HV_FACT_OK);
	hv_host_free(host);

	/* Cut inside SR-IOV: the header is there, the body is not. */
	host = probe_82576_bytes(&dp.devs[0], 0x170);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->config_len, 0x170);
	assert_true(d->extended_visible);
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_OK);
	assert_non_null(d->sriov);
	assert_int_equal(d->sriov->cap_fact.state, HV_FACT_INVALID);
	assert_true(must_diag(host, "/config", "runs past")->bad_input);
	hv_host_free(host);

	/* Cut before SR-IOV: the list runs past what is there. */
	host = probe_82576_bytes(&dp.devs[0], 0x150);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(d->ext_caps_fact.err, -ENODATA);
	assert_null(d->sriov);
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);

	/* The capability pointer runs past 64 bytes, not past 256. */
	host = probe_82576_bytes(&dp.devs[0], 0x44);
	d = get_dev(host, "0000:01:00.0");
	assert_int_equal(d->caps_fact.state, HV_FACT_UNKNOWN);
	assert_false(d->is_pcie);
	hv_host_free(host);
	dump_free(&dp);
}

/*
 * broken-ecaps (an AMD RS690 host bridge, 4096 bytes): its status says
 * no capability list, and the bytes at 0x100 chain into a loop. Nothing
 * hangs; nothing is read from them.
 */
static void
test_broken_ecaps(void **state _unused_)
{
	const struct hv_pci_dev *d;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump("pci/pciutils-tests/broken-ecaps.lspci.txt", &dp);
	emit_dev(m, &dp.devs[0], dp.devs[0].len, WITH_ATTRS | WITH_CONFIG,
		 NULL);
	host = mbuf_probe(&b);
	d = get_dev(host, "0000:00:00.0");
	assert_int_equal(d->vendor_id, 0x1002);
	assert_int_equal(d->device_id, 0x7911);
	assert_int_equal(d->config_len, 4096);
	assert_int_equal(d->caps_fact.state, HV_FACT_ABSENT);
	assert_false(d->is_pcie);
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_ABSENT);
	assert_null(d->sriov);
	hv_host_free(host);
	dump_free(&dp);
}

/* The 64- and 256-byte dumps, and the verbatim sysfs config files. */
static void
test_short_dumps(void **state _unused_)
{
	static const struct {
		const char *bin;
		const char *addr;
		size_t len;
		enum hv_fact_state caps;
		bool pcie;
		enum hv_fact_state ext;
	} bins[] = {
		{ "pci/fwupd/fwupd_pci-bcr_config_8086-a150.bin",
		  "0000:00:1f.5", 64, HV_FACT_ABSENT, false, HV_FACT_UNKNOWN },
		{ "pci/pcics/8086_9dc8.sysfs-config.bin",
		  "0000:00:1f.3", 256, HV_FACT_OK, false, HV_FACT_UNKNOWN },
		{ "pci/pcics/8086_2030.sysfs-config.bin",
		  "0000:00:00.0", 4096, HV_FACT_OK, true, HV_FACT_OK },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(bins); i++) {
		_cleanup_free_ char *path = hv_test_corpus(bins[i].bin);
		_cleanup_free_ char *bytes = NULL, *dir = NULL;
		_cleanup_free_ char *root = NULL, *cfg = NULL;
		const struct hv_pci_dev *d;
		struct hv_host *host;
		struct dump_dev x = { 0 };
		size_t len;
		int fd;
		struct mbuf b;
		FILE *m = mbuf_open(&b);

		bytes = hv_test_read(path, &len);
		assert_int_equal(len, bins[i].len);
		memcpy(x.cfg, bytes, len);
		x.len = len;
		snprintf(x.addr, sizeof(x.addr), "%s", bins[i].addr);
		emit_dev(m, &x, 0, WITH_ATTRS, NULL);
		assert_int_equal(fclose(b.f), 0);
		root = hv_test_root_from_text(b.text);
		free(b.text);
		/* The file itself, byte for byte. */
		dir = dev_dir(x.addr);
		cfg = hv_asprintf("%s/%s/config", root, dir);
		fd = open(cfg, O_WRONLY | O_CREAT | O_EXCL, 0644);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, bytes, len), (ssize_t)len);
		close(fd);

		host = probe_dir(root);
		d = get_dev(host, x.addr);
		assert_int_equal(d->vendor_id, 0x8086);
		assert_int_equal(d->config_len, len);
		assert_int_equal(d->extended_visible, len > 256);
		assert_int_equal(d->caps_fact.state, bins[i].caps);
		assert_int_equal(d->is_pcie, bins[i].pcie);
		assert_int_equal(d->ext_caps_fact.state, bins[i].ext);
		if (bins[i].ext == HV_FACT_UNKNOWN)
			assert_int_equal(d->ext_caps_fact.err, -ENODATA);
		assert_null(d->sriov);
		assert_int_equal(host->n_diags, 0);
		hv_host_free(host);
		hv_test_rmtree(HV_TAKE_PTR(root));
	}
}

/* pci.ids: the root's own; a malformed one; one that leads outside. */
static const char pci_ids_excerpt[] =
	/* Lines of pci.ids 2023.04.10 (Debian's pci.ids package): Intel's
	 * vendor line without its devices, and the Ethernet class. */
	"F %s\n"
	"#\tList of PCI ID's\n"
	"8086  Intel Corporation\n"
	"C 02  Network controller\n"
	"\t00  Ethernet controller\n"
	"%s"
	".\n";

static struct hv_host *
probe_with_pci_ids(const struct dump *dp, const char *where,
		   const char *more_lines, const char *extra)
{
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	emit_dev(m, &dp->devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	if (where)
		fprintf(m, pci_ids_excerpt, where, more_lines);
	if (extra)
		fputs(extra, m);
	return mbuf_probe(&b);
}

static void
test_pci_ids(void **state _unused_)
{
	const struct hv_pci_dev *d;
	struct hv_host *host;
	struct dump dp;
	struct stat st;

	load_dump(i82576, &dp);

	/* The root's own: it knows Intel but not the 82576. */
	host = probe_with_pci_ids(&dp, "usr/share/misc/pci.ids", "", NULL);
	d = get_dev(host, "0000:01:00.0");
	assert_string_equal(d->vendor_name, "Intel Corporation");
	assert_null(d->device_name);
	assert_string_equal(d->class_name, "Ethernet controller");
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);

	/* Where hwdata puts it. */
	host = probe_with_pci_ids(&dp, "usr/share/hwdata/pci.ids", "", NULL);
	d = get_dev(host, "0000:01:00.0");
	assert_string_equal(d->vendor_name, "Intel Corporation");
	assert_null(d->device_name);
	hv_host_free(host);

	/* Malformed at line 5: libpci's error hook returns to the probe,
	 * the names are unknown, the devices are all there. */
	host = probe_with_pci_ids(&dp, "usr/share/misc/pci.ids",
				  "zzzz  Not an ID\n", NULL);
	d = get_dev(host, "0000:01:00.0");
	assert_null(d->vendor_name);
	assert_null(d->class_name);
	assert_int_equal(d->device_id, 0x10c9);
	assert_non_null(d->sriov);
	assert_true(must_diag(host, "usr/share/misc/pci.ids",
			      "line 5")->bad_input);
	assert_int_equal(host->n_diags, 1);
	hv_host_free(host);

	/* A link that libpci would follow out of the root: not used; the
	 * next place is. */
	host = probe_with_pci_ids(&dp, "usr/share/hwdata/pci.ids", "",
				  "l usr/share/misc/pci.ids "
				  "/usr/share/hwdata/pci.ids\n");
	d = get_dev(host, "0000:01:00.0");
	assert_true(must_diag(host, "usr/share/misc/pci.ids",
			      "outside the root")->bad_input);
	assert_string_equal(d->vendor_name, "Intel Corporation");
	assert_null(d->device_name);
	hv_host_free(host);

	/* None in the root: the system's, where this system has one. */
	host = probe_with_pci_ids(&dp, NULL, NULL, NULL);
	d = get_dev(host, "0000:01:00.0");
	if (stat("/usr/share/misc/pci.ids", &st) == 0) {
		assert_string_equal(d->vendor_name, "Intel Corporation");
		assert_string_equal(d->device_name,
				    "82576 Gigabit Network Connection");
		assert_int_equal(host->n_diags, 0);
	}
	hv_host_free(host);
	dump_free(&dp);
}

/* A capture whose device link is absolute: libpci would read the real
 * /sys, not the capture. The device is read from its config bytes. */
static void
test_link_outside_root(void **state _unused_)
{
	const struct hv_pci_dev *d;
	struct hv_host *host;
	struct dump dp;
	struct mbuf b;
	FILE *m = mbuf_open(&b);

	load_dump(i82576, &dp);
	emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG, NULL);
	/* Replace the relative link by an absolute one. */
	assert_int_equal(fclose(b.f), 0);
	{
		char *p = strstr(b.text, " ../../../devices/");
		_cleanup_free_ char *text = NULL;

		assert_non_null(p);
		*p = '\0';
		text = hv_asprintf("%s /sys/devices/%s", b.text,
				   p + strlen(" ../../../devices/"));
		assert_non_null(text);
		host = probe_manifest(text);
	}
	free(b.text);
	d = get_dev(host, "0000:01:00.0");
	assert_true(must_diag(host, "0000:01:00.0/vendor",
			      "inside the root")->bad_input);
	assert_int_equal(d->vendor_id, 0x8086);
	assert_int_equal(d->device_id, 0x10c9);
	assert_int_equal(d->subsys_id, 0xa03c);
	assert_int_equal(d->class_code, 0x020000);
	assert_non_null(d->sriov);
	assert_int_equal(d->sriov->cap_fact.state, HV_FACT_OK);
	hv_host_free(host);
	dump_free(&dp);
}

/* A FIFO where an attribute should be: libpci's open(2) would block on
 * it, so libpci is never given one; hwvirt's own reads do not block. */
static void
test_fifo_attribute(void **state _unused_)
{
	static const char *const names[] = { "revision", "vendor" };
	struct dump dp;

	load_dump(i82576, &dp);
	for (size_t i = 0; i < HV_ELEMENTSOF(names); i++) {
		_cleanup_free_ char *fifo = NULL, *end = NULL;
		const struct hv_pci_dev *d;
		struct hv_host *host;
		char *root;
		struct mbuf b;
		FILE *m = mbuf_open(&b);

		emit_dev(m, &dp.devs[0], 4096, WITH_ATTRS | WITH_CONFIG,
			 names[i]);
		assert_int_equal(fclose(m), 0);
		root = hv_test_root_from_text(b.text);
		free(b.text);
		fifo = hv_asprintf("%s/" I82576_DIR "/%s", root, names[i]);
		assert_int_equal(mkfifo(fifo, 0644), 0);
		host = probe_dir(root);
		d = get_dev(host, "0000:01:00.0");
		end = hv_asprintf("0000:01:00.0/%s", names[i]);
		assert_true(must_diag(host, end, i == 0 ? "not a regular file" :
				      "not a number")->bad_input);
		assert_int_equal(d->vendor_id, 0x8086);
		assert_int_equal(d->revision, 0x01);
		assert_int_equal(d->subsys_id, 0xa03c);
		assert_int_equal(host->n_diags, 1);
		hv_host_free(host);
		hv_test_rmtree(root);
	}
	dump_free(&dp);
}

/* No PCI bus at all: absence is a fact. */
static void
test_no_pci(void **state _unused_)
{
	struct hv_host *host = probe_manifest("d proc\n");

	assert_int_equal(host->pci.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->pci.n_devs, 0);
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);

	host = probe_manifest("d sys/bus/pci/devices\n");
	assert_int_equal(host->pci.fact.state, HV_FACT_OK);
	assert_int_equal(host->pci.n_devs, 0);
	hv_host_free(host);
}

/* ---- this machine ------------------------------------------------------ */

static struct hv_host *
probe_live(void)
{
	struct hv_root *root = NULL;
	struct hv_host *host = hv_host_new();
	int r;

	if (!host || hv_root_open(NULL, &root) < 0)
		return NULL;
	r = hv_pci_probe(root, host);
	hv_root_free(root);
	if (r < 0) {
		hv_host_free(host);
		return NULL;
	}
	return host;
}

/* Read a sysfs attribute of this machine directly, as a number. */
static long
live_attr(const char *addr, const char *name)
{
	_cleanup_free_ char *path = hv_asprintf("/sys/bus/pci/devices/%s/%s",
						addr, name);
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtol(buf, NULL, 0);
}

static size_t
live_config_len(const char *addr)
{
	_cleanup_free_ char *path = hv_asprintf(
		"/sys/bus/pci/devices/%s/config", addr);
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		len += (size_t)n;
	close(fd);
	return len;
}

static size_t
live_count(void)
{
	glob_t g;
	size_t n;

	if (glob("/sys/bus/pci/devices/*", 0, NULL, &g) != 0)
		return 0;
	n = g.gl_pathc;
	globfree(&g);
	return n;
}

/* This machine, as root: what sysfs says directly, and (on the KVM guest
 * this was written on) the six devices it has. */
static void
test_live_root(void **state _unused_)
{
	static const uint16_t virtio[] = { 0x1045, 0x1042, 0x1041, 0x1053,
					   0x1044 };
	struct hv_host *host;
	const struct hv_pci_dev *d;

	if (geteuid() != 0 || live_count() == 0)
		skip();
	host = probe_live();
	assert_non_null(host);
	print_diags(host);
	assert_int_equal(host->n_diags, 0);
	assert_int_equal(host->pci.fact.state, HV_FACT_OK);
	assert_int_equal(host->pci.n_devs, live_count());
	for (size_t i = 0; i < host->pci.n_devs; i++) {
		d = &host->pci.devs[i];
		assert_int_equal(d->vendor_id, live_attr(d->addr, "vendor"));
		assert_int_equal(d->device_id, live_attr(d->addr, "device"));
		assert_int_equal(d->class_code, live_attr(d->addr, "class"));
		assert_int_equal(d->config_len, live_config_len(d->addr));
		assert_int_equal(d->sriov != NULL,
				 live_attr(d->addr, "sriov_totalvfs") >= 0);
	}

	d = hv_host_pci_dev(host, "0000:00:00.0");
	if (!d || d->vendor_id != 0x8086 || d->device_id != 0x0d57) {
		hv_host_free(host);
		return;
	}
	/* The KVM guest: an Intel host bridge and five virtio devices. */
	assert_int_equal(host->pci.n_devs, 6);
	assert_int_equal(d->class_code, 0x060000);
	assert_int_equal(d->config_len, 4096);
	assert_int_equal(d->caps_fact.state, HV_FACT_ABSENT);
	assert_int_equal(d->ext_caps_fact.state, HV_FACT_ABSENT);
	assert_null(d->driver);
	for (size_t i = 0; i < HV_ELEMENTSOF(virtio); i++) {
		d = &host->pci.devs[i + 1];
		assert_int_equal(d->func, 0);
		assert_int_equal(d->dev, i + 1);
		assert_int_equal(d->vendor_id, 0x1af4);
		assert_int_equal(d->device_id, virtio[i]);
		assert_int_equal(d->revision, 1);
		assert_string_equal(d->driver, "virtio-pci");
		assert_int_equal(d->numa_node, -1);
		assert_int_equal(d->iommu_group, -1);
		assert_int_equal(d->config_len, 256);
		assert_int_equal(d->caps_fact.state, HV_FACT_OK);
		assert_false(d->is_pcie);
		assert_int_equal(d->ext_caps_fact.state, HV_FACT_UNKNOWN);
		assert_int_equal(d->ext_caps_fact.err, -ENODATA);
		assert_null(d->sriov);
		if (d->vendor_name)
			assert_string_equal(d->vendor_name, "Red Hat, Inc.");
	}
	hv_host_free(host);
}

/* What the child checks as nobody; the failing check's number is its
 * exit status. */
static int
live_nobody_checks(size_t want_devs)
{
	struct hv_host *host = probe_live();
	int bad = 0;

	if (!host)
		return 10;
	if (host->pci.n_devs != want_devs)
		bad = 11;
	for (size_t i = 0; !bad && i < host->pci.n_devs; i++) {
		const struct hv_pci_dev *d = &host->pci.devs[i];

		if (d->config_fact.state != HV_FACT_OK)
			bad = 12;
		else if (d->config_len != 64)
			bad = 13;
		else if (d->extended_visible)
			bad = 14;
		else if (d->caps_fact.state != HV_FACT_ABSENT &&
			 (d->caps_fact.state != HV_FACT_UNKNOWN ||
			  d->caps_fact.err != -EACCES))
			bad = 15;
		else if (d->ext_caps_fact.state != HV_FACT_UNKNOWN ||
			 d->ext_caps_fact.err != -EACCES)
			bad = 16;
		else if (d->sriov &&
			 (d->sriov->cap_fact.state != HV_FACT_UNKNOWN ||
			  d->sriov->cap_fact.err != -EACCES))
			bad = 17;
		else if (d->vendor_id != live_attr(d->addr, "vendor"))
			bad = 18;
	}
	if (!bad && host->n_diags != 0)
		bad = 19;
	hv_host_free(host);
	return bad;
}

/* This machine as an ordinary user: 64 bytes of config, SR-IOV and every
 * capability beyond them unknown (permission), never absent. */
static void
test_live_nobody(void **state _unused_)
{
	size_t n = live_count();
	int status = 0;
	pid_t pid;

	if (geteuid() != 0 || n == 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
		    setuid(65534) < 0)
			_exit(9);
		_exit(live_nobody_checks(n));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_agrees_with_lspci),
		cmocka_unit_test(test_corpus_config_only),
		cmocka_unit_test(test_sriov_pf_and_vf),
		cmocka_unit_test(test_sriov_sysfs_without_config),
		cmocka_unit_test(test_sysfs_attrs_malformed),
		cmocka_unit_test(test_missing_libpci_files),
		cmocka_unit_test(test_unparseable_names),
		cmocka_unit_test(test_config_size),
		cmocka_unit_test(test_capability_lists_corrupted),
		cmocka_unit_test(test_broken_ecaps),
		cmocka_unit_test(test_short_dumps),
		cmocka_unit_test(test_pci_ids),
		cmocka_unit_test(test_link_outside_root),
		cmocka_unit_test(test_fifo_attribute),
		cmocka_unit_test(test_no_pci),
		cmocka_unit_test(test_live_root),
		cmocka_unit_test(test_live_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
