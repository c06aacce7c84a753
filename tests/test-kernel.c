/* test-kernel.c -- the kernel probe over captured roots and this machine. */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hv-probe.h"
#include "hv-test.h"

/*
 * A captured Intel KVM host. The shapes are those of a real sysfs (this
 * machine's /sys/module, /sys/class/misc and /sys/kernel/mm/hugepages, and
 * Documentation/ABI): module parameters one value per file, built-in
 * modules without initstate, the kvm misc device as a relative link.
 * The module index lines are in kmod's formats. The values are chosen to
 * exercise each case, not taken from one machine.
 */
static const char intel_host[] =
	"f proc/sys/kernel/osrelease 6.1.0-18-amd64\n"
	"f proc/sys/kernel/hostname node17\n"
	"f proc/cmdline BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 "
	"root=UUID=6c1e52b5-4e2a-4f0c-9d9e-2f0a3c3b9b1a ro quiet "
	"intel_iommu=on iommu=pt hugepages=16 -- single\n"
	"f sys/module/kvm/initstate live\n"
	"f sys/module/kvm/parameters/tdp_mmu Y\n"
	"f sys/module/kvm/parameters/halt_poll_ns 200000\n"
	"f sys/module/kvm/parameters/nx_huge_pages auto\n"
	"f sys/module/kvm_intel/initstate live\n"
	"f sys/module/kvm_intel/parameters/nested Y\n"
	"f sys/module/kvm_intel/parameters/ept Y\n"
	"f sys/module/kvm_intel/parameters/vpid Y\n"
	/* a parameter that cannot be read (a directory: -EISDIR) */
	"d sys/module/kvm_intel/parameters/zz_unreadable\n"
	/* built in, with parameters: no initstate */
	"f sys/module/vfio/parameters/enable_unsafe_noiommu_mode N\n"
	"F lib/modules/6.1.0-18-amd64/modules.dep\n"
	"kernel/arch/x86/kvm/kvm.ko:\n"
	"kernel/arch/x86/kvm/kvm-intel.ko: kernel/arch/x86/kvm/kvm.ko\n"
	"kernel/arch/x86/kvm/kvm-amd.ko.zst: kernel/arch/x86/kvm/kvm.ko "
	"kernel/drivers/crypto/ccp/ccp.ko\n"
	"kernel/drivers/vfio/pci/vfio-pci.ko.xz: "
	"kernel/drivers/vfio/pci/vfio-pci-core.ko\n"
	"kernel/drivers/vfio/vfio_iommu_type1.ko:\n"
	"\n"
	"kernel/drivers/net/ethernet/intel/igb/igb.ko: kernel/drivers/dca/dca.ko\n"
	".\n"
	"F lib/modules/6.1.0-18-amd64/modules.builtin\n"
	"kernel/drivers/vfio/vfio.ko\n"
	"kernel/drivers/iommu/iommufd/iommufd.ko\n"
	".\n"
	"l sys/class/misc/kvm ../../devices/virtual/misc/kvm\n"
	"f sys/devices/virtual/misc/kvm/dev 10:232\n"
	"f sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 16\n"
	"f sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 12\n"
	"f sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages 2\n"
	"f sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages 0\n"
	"F proc/meminfo\n"
	"MemTotal:       263842196 kB\n"
	"HugePages_Total:      16\n"
	"HugePages_Free:       12\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:         2129920 kB\n"
	".\n";

static struct hv_host *
probe_root(const char *dir)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;

	assert_non_null(host);
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_kernel_probe(root, host), 0);
	hv_root_free(root);
	return host;
}

/* Probe a root materialized from manifest text, and remove it. */
static struct hv_host *
probe_text(const char *manifest)
{
	char *dir = hv_test_root_from_text(manifest);
	struct hv_host *host = probe_root(dir);

	hv_test_rmtree(dir);
	return host;
}

/* The diagnostic about path; fails the test if there is none. */
static const struct hv_diag *get_diag(const struct hv_host *host,
				      const char *path)
	__attribute__((returns_nonnull));

static const struct hv_diag *
get_diag(const struct hv_host *host, const char *path)
{
	for (size_t i = 0; i < host->n_diags; i++)
		if (hv_streq(host->diags[i].path, path))
			return &host->diags[i];
	fail_msg("no diagnostic about %s", path);
	abort();
}

static void
test_capture_intel(void **state _unused_)
{
	struct hv_host *host = probe_text(intel_host);
	const struct hv_kernel *k = &host->kernel;
	const struct hv_module *m;
	bool present;

	assert_int_equal(host->n_diags, 0);
	assert_int_equal(k->release_fact.state, HV_FACT_OK);
	assert_string_equal(k->release, "6.1.0-18-amd64");
	assert_string_equal(k->hostname, "node17");

	assert_int_equal(k->cmdline_fact.state, HV_FACT_OK);
	assert_string_equal(k->cmdline_fact.source, "proc/cmdline");
	assert_true(hv_startswith(k->cmdline_raw, "BOOT_IMAGE="));
	assert_int_equal(k->cmdline.n_params, 7);	/* "-- single" is init's */
	assert_string_equal(hv_cmdline_get(&k->cmdline, "root", NULL),
			    "UUID=6c1e52b5-4e2a-4f0c-9d9e-2f0a3c3b9b1a");
	assert_string_equal(hv_cmdline_get(&k->cmdline, "intel_iommu", NULL),
			    "on");
	assert_null(hv_cmdline_get(&k->cmdline, "single", &present));
	assert_false(present);

	assert_int_equal(k->modules_fact.state, HV_FACT_OK);
	assert_int_equal(k->modules_index_fact.state, HV_FACT_OK);
	assert_string_equal(k->modules_index_fact.source,
			    "lib/modules/6.1.0-18-amd64/modules.dep");
	/* kvm_pvm is neither loaded nor installed: not listed */
	assert_int_equal(k->n_modules, 7);
	assert_null(hv_host_module(host, "kvm_pvm"));

	m = hv_host_module(host, "kvm");
	assert_non_null(m);
	assert_int_equal(m->loaded, HV_TRI_YES);
	assert_false(m->builtin);
	assert_int_equal(m->available, HV_TRI_YES);
	assert_int_equal(m->n_params, 3);
	/* sorted by key */
	assert_string_equal(m->params[0].key, "halt_poll_ns");
	assert_string_equal(m->params[0].value, "200000");
	assert_string_equal(m->params[1].key, "nx_huge_pages");
	assert_string_equal(m->params[2].key, "tdp_mmu");
	assert_string_equal(hv_module_param(m, "tdp_mmu"), "Y");

	m = hv_host_module(host, "kvm_intel");
	assert_non_null(m);
	assert_int_equal(m->loaded, HV_TRI_YES);
	assert_int_equal(m->n_params, 4);
	assert_string_equal(hv_module_param(m, "nested"), "Y");
	assert_string_equal(m->params[3].key, "zz_unreadable");
	assert_null(m->params[3].value);
	assert_int_equal(m->params[3].err, -EISDIR);
	assert_int_equal(m->params[0].err, 0);

	m = hv_host_module(host, "kvm_amd");
	assert_non_null(m);
	assert_int_equal(m->loaded, HV_TRI_NO);
	assert_int_equal(m->available, HV_TRI_YES);	/* kvm-amd.ko.zst */
	assert_int_equal(m->n_params, 0);

	m = hv_host_module(host, "vfio");
	assert_int_equal(m->loaded, HV_TRI_YES);
	assert_true(m->builtin);
	assert_string_equal(hv_module_param(m, "enable_unsafe_noiommu_mode"),
			    "N");

	m = hv_host_module(host, "vfio_pci");
	assert_int_equal(m->loaded, HV_TRI_NO);
	assert_int_equal(m->available, HV_TRI_YES);	/* vfio-pci.ko.xz */

	m = hv_host_module(host, "vfio_iommu_type1");
	assert_int_equal(m->loaded, HV_TRI_NO);
	assert_int_equal(m->available, HV_TRI_YES);

	/* in modules.builtin, no sys/module directory: in the kernel */
	m = hv_host_module(host, "iommufd");
	assert_int_equal(m->loaded, HV_TRI_YES);
	assert_true(m->builtin);
	assert_int_equal(m->available, HV_TRI_YES);

	/* report order is the table's */
	assert_string_equal(k->modules[0].name, "kvm");
	assert_string_equal(k->modules[6].name, "iommufd");

	/* a capture: registered, never opened */
	assert_int_equal(k->dev_kvm_fact.state, HV_FACT_OK);
	assert_string_equal(k->dev_kvm_fact.source, "sys/class/misc/kvm");
	assert_int_equal(k->dev_kvm, HV_TRI_YES);
	assert_int_equal(k->dev_kvm_usable, HV_TRI_UNKNOWN);
	assert_int_equal(k->kvm_api_version, -1);

	assert_int_equal(k->hugepages_fact.state, HV_FACT_OK);
	assert_int_equal(k->n_hugepages, 2);
	assert_int_equal(k->hugepages[0].size_kb, 2048);
	assert_int_equal(k->hugepages[0].total, 16);
	assert_int_equal(k->hugepages[0].free, 12);
	assert_int_equal(k->hugepages[1].size_kb, 1048576);
	assert_int_equal(k->hugepages[1].total, 2);
	assert_int_equal(k->default_hugepage_kb, 2048);
	hv_host_free(host);
}

/* The probe records what it read, so a capture holds exactly that. */
static void
test_recording(void **state _unused_)
{
	char *dir = hv_test_root_from_text(intel_host);
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	const struct hv_strv *rec;

	assert_int_equal(hv_root_open(dir, &root), 0);
	hv_root_set_recording(root, true);
	assert_int_equal(hv_kernel_probe(root, host), 0);
	rec = hv_root_recorded(root);
	assert_true(hv_strv_contains(rec, "proc/cmdline"));
	assert_true(hv_strv_contains(rec, "sys/class/misc/kvm"));
	assert_true(hv_strv_contains(rec, "sys/module/vfio"));
	assert_true(hv_strv_contains(rec,
				     "sys/module/kvm/parameters/tdp_mmu"));
	assert_true(hv_strv_contains(rec,
		"lib/modules/6.1.0-18-amd64/modules.builtin"));
	assert_true(hv_strv_contains(rec,
		"sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"));
	hv_root_free(root);
	hv_host_free(host);
	hv_test_rmtree(dir);
}

/* A capture that holds nothing of the kernel at all. */
static void
test_capture_empty(void **state _unused_)
{
	struct hv_host *host = probe_text("d etc\n");
	const struct hv_kernel *k = &host->kernel;

	assert_int_equal(host->n_diags, 0);
	assert_int_equal(k->release_fact.state, HV_FACT_ABSENT);
	assert_null(k->release);
	assert_int_equal(k->hostname_fact.state, HV_FACT_ABSENT);
	assert_int_equal(k->cmdline_fact.state, HV_FACT_ABSENT);
	assert_int_equal(k->cmdline.n_params, 0);
	/* sys/module not captured: loaded is not known */
	assert_int_equal(k->modules_fact.state, HV_FACT_ABSENT);
	assert_int_equal(k->modules_index_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(k->n_modules, 7);
	for (size_t i = 0; i < k->n_modules; i++) {
		assert_int_equal(k->modules[i].loaded, HV_TRI_UNKNOWN);
		assert_int_equal(k->modules[i].available, HV_TRI_UNKNOWN);
	}
	/* no sys/class/misc at all: /dev/kvm was not captured */
	assert_int_equal(k->dev_kvm_fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(k->dev_kvm_fact.err, -ENOENT);
	assert_non_null(strstr(k->dev_kvm_fact.msg, "not captured"));
	assert_int_equal(k->dev_kvm, HV_TRI_UNKNOWN);
	assert_int_equal(k->dev_kvm_usable, HV_TRI_UNKNOWN);
	assert_int_equal(k->hugepages_fact.state, HV_FACT_ABSENT);
	assert_int_equal(k->default_hugepage_kb, 0);
	hv_host_free(host);
}

static void
test_dev_kvm_capture(void **state _unused_)
{
	struct hv_host *host;

	/* sys/class/misc captured, no kvm in it: KVM is not there */
	host = probe_text("l sys/class/misc/fuse ../../devices/virtual/misc/fuse\n"
			  "f sys/devices/virtual/misc/fuse/dev 10:229\n");
	assert_int_equal(host->kernel.dev_kvm_fact.state, HV_FACT_ABSENT);
	assert_string_equal(host->kernel.dev_kvm_fact.source,
			    "sys/class/misc/kvm");
	assert_int_equal(host->kernel.dev_kvm, HV_TRI_NO);
	assert_int_equal(host->kernel.dev_kvm_usable, HV_TRI_NO);
	hv_host_free(host);

	/* the class link captured without its target still registers */
	host = probe_text("l sys/class/misc/kvm ../../devices/virtual/misc/kvm\n");
	assert_int_equal(host->kernel.dev_kvm_fact.state, HV_FACT_OK);
	assert_int_equal(host->kernel.dev_kvm, HV_TRI_YES);
	assert_int_equal(host->kernel.dev_kvm_usable, HV_TRI_UNKNOWN);
	hv_host_free(host);

	/* only a dev/kvm entry */
	host = probe_text("f dev/kvm\n");
	assert_int_equal(host->kernel.dev_kvm_fact.state, HV_FACT_OK);
	assert_string_equal(host->kernel.dev_kvm_fact.source, "dev/kvm");
	assert_int_equal(host->kernel.dev_kvm, HV_TRI_YES);
	assert_int_equal(host->kernel.dev_kvm_usable, HV_TRI_UNKNOWN);
	hv_host_free(host);
}

static void
test_module_index_variants(void **state _unused_)
{
	struct hv_host *host;

	/* lib/modules captured, but nothing for this release: not
	 * installed, so modprobe cannot load what is not loaded */
	host = probe_text("f proc/sys/kernel/osrelease 6.8.0-31-generic\n"
			  "f sys/module/kvm/initstate live\n"
			  "f lib/modules/6.1.0-18-amd64/modules.dep\n");
	assert_int_equal(host->kernel.modules_index_fact.state,
			 HV_FACT_ABSENT);
	assert_int_equal(hv_host_module(host, "kvm")->available, HV_TRI_YES);
	assert_int_equal(hv_host_module(host, "kvm_amd")->loaded, HV_TRI_NO);
	assert_int_equal(hv_host_module(host, "kvm_amd")->available,
			 HV_TRI_NO);
	hv_host_free(host);

	/* no index captured at all: availability of the others unknown */
	host = probe_text("f proc/sys/kernel/osrelease 6.8.0-31-generic\n"
			  "f sys/module/kvm/initstate live\n");
	assert_int_equal(host->kernel.modules_index_fact.state,
			 HV_FACT_UNKNOWN);
	assert_int_equal(hv_host_module(host, "kvm_amd")->loaded, HV_TRI_NO);
	assert_int_equal(hv_host_module(host, "kvm_amd")->available,
			 HV_TRI_UNKNOWN);
	hv_host_free(host);

	/* a hostile release cannot steer the index path */
	host = probe_text("f proc/sys/kernel/osrelease ../../../etc\n"
			  "f sys/module/kvm/initstate live\n");
	assert_int_equal(host->kernel.modules_index_fact.state,
			 HV_FACT_UNKNOWN);
	assert_non_null(host->kernel.modules_index_fact.msg);
	hv_host_free(host);

	/* kvm_pvm is listed when it is there (this machine's case) */
	host = probe_text("f proc/sys/kernel/osrelease 6.18.44-fc-v669\n"
			  "f sys/module/kvm/parameters/tdp_mmu Y\n"
			  "f sys/module/kvm_pvm/parameters/force N\n");
	assert_non_null(hv_host_module(host, "kvm_pvm"));
	assert_int_equal(hv_host_module(host, "kvm_pvm")->loaded,
			 HV_TRI_YES);
	assert_true(hv_host_module(host, "kvm_pvm")->builtin);
	assert_int_equal(host->kernel.n_modules, 8);
	hv_host_free(host);
}

static void
test_bad_inputs(void **state _unused_)
{
	const struct hv_diag *d;
	struct hv_host *host;
	char *big, *p;

	/* a NUL byte inside proc/cmdline */
	host = probe_text("x proc/cmdline\n"
			  "71 75 69 65 74 00 72 6f\n"
			  ".\n");
	assert_int_equal(host->kernel.cmdline_fact.state, HV_FACT_INVALID);
	d = get_diag(host, "proc/cmdline");
	assert_true(d->bad_input);
	assert_non_null(strstr(d->msg, "offset 5"));
	hv_host_free(host);

	/* more parameters than the bound */
	big = malloc(2 * (HV_CMDLINE_MAX_PARAMS + 1) + 64);
	assert_non_null(big);
	p = big + sizeof("f proc/cmdline ") - 1;
	memcpy(big, "f proc/cmdline ", sizeof("f proc/cmdline ") - 1);
	for (size_t i = 0; i <= HV_CMDLINE_MAX_PARAMS; i++) {
		*p++ = 'a';
		*p++ = ' ';
	}
	memcpy(p, "\n", 2);
	host = probe_text(big);
	free(big);
	assert_int_equal(host->kernel.cmdline_fact.state, HV_FACT_INVALID);
	assert_int_equal(host->kernel.cmdline_fact.err, -E2BIG);
	assert_int_equal(host->kernel.cmdline.n_params, 0);
	d = get_diag(host, "proc/cmdline");
	assert_int_equal(d->err, -E2BIG);
	hv_host_free(host);

	/* empty osrelease: malformed, and no index lookup with it */
	host = probe_text("f proc/sys/kernel/osrelease\n");
	assert_int_equal(host->kernel.release_fact.state, HV_FACT_INVALID);
	assert_null(host->kernel.release);
	(void)(get_diag(host, "proc/sys/kernel/osrelease"));
	assert_int_equal(host->kernel.modules_index_fact.state,
			 HV_FACT_UNKNOWN);
	hv_host_free(host);

	/* a hugepage count that is not a number */
	host = probe_text(
		"f sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 1x6\n"
		"f sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 0\n");
	assert_int_equal(host->kernel.hugepages_fact.state, HV_FACT_INVALID);
	d = get_diag(host,
		      "sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
	assert_true(d->bad_input);
	hv_host_free(host);

	/* a truncated pool: free_hugepages missing */
	host = probe_text(
		"f sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages 4\n");
	assert_int_equal(host->kernel.hugepages_fact.state, HV_FACT_INVALID);
	assert_int_equal(host->kernel.hugepages_fact.err, -ENOENT);
	(void)(get_diag(host,
		"sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages"));
	hv_host_free(host);

	/* names that are not pools are ignored */
	host = probe_text(
		"d sys/kernel/mm/hugepages/hugepages-xkB\n"
		"d sys/kernel/mm/hugepages/hugepages-kB\n"
		"f sys/kernel/mm/hugepages/README\n"
		"f sys/kernel/mm/hugepages/hugepages-64kB/nr_hugepages 3\n"
		"f sys/kernel/mm/hugepages/hugepages-64kB/free_hugepages 1\n");
	assert_int_equal(host->kernel.hugepages_fact.state, HV_FACT_OK);
	assert_int_equal(host->kernel.n_hugepages, 1);
	assert_int_equal(host->kernel.hugepages[0].size_kb, 64);
	hv_host_free(host);

	/* a malformed Hugepagesize line, named by its line */
	host = probe_text("F proc/meminfo\n"
			  "MemTotal:       263842196 kB\n"
			  "\n"
			  "Hugepagesize:       many kB\n"
			  ".\n");
	assert_int_equal(host->kernel.default_hugepage_kb, 0);
	d = get_diag(host, "proc/meminfo");
	assert_int_equal(d->line, 3);
	hv_host_free(host);
}

/* This machine, live: assertions hold on any Linux host. */
static void
test_live(void **state _unused_)
{
	struct hv_host *host = probe_root("/");
	const struct hv_kernel *k = &host->kernel;
	_cleanup_free_ char *cmdline = NULL;
	struct utsname u;
	struct stat st;
	DIR *d;

	assert_int_equal(uname(&u), 0);
	assert_int_equal(k->release_fact.state, HV_FACT_OK);
	assert_string_equal(k->release, u.release);
	assert_string_equal(k->hostname, u.nodename);

	cmdline = hv_test_read("/proc/cmdline", NULL);
	assert_int_equal(k->cmdline_fact.state, HV_FACT_OK);
	assert_string_equal(k->cmdline_raw, hv_strstrip(cmdline));

	assert_int_equal(k->modules_fact.state, HV_FACT_OK);
	for (size_t i = 0; i < k->n_modules; i++) {
		const struct hv_module *m = &k->modules[i];
		_cleanup_free_ char *dir = hv_asprintf("/sys/module/%s",
						       m->name);
		_cleanup_free_ char *init = hv_asprintf("%s/initstate", dir);

		if (stat(dir, &st) == 0) {
			assert_int_equal(m->loaded, HV_TRI_YES);
			assert_int_equal(m->builtin,
					 stat(init, &st) != 0);
		}
	}
	/* kvm_pvm is listed exactly when it is loaded */
	if (stat("/sys/module/kvm_pvm", &st) == 0)
		assert_non_null(hv_host_module(host, "kvm_pvm"));

	if (stat("/sys/class/misc/kvm", &st) == 0) {
		int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

		assert_int_equal(k->dev_kvm, HV_TRI_YES);
		if (fd >= 0) {
			assert_int_equal(k->dev_kvm_fact.state, HV_FACT_OK);
			assert_int_equal(k->kvm_api_version,
					 ioctl(fd, KVM_GET_API_VERSION, 0));
			assert_int_equal(k->dev_kvm_usable,
					 k->kvm_api_version == 12 ?
					 HV_TRI_YES : HV_TRI_NO);
			close(fd);
		} else if (errno == EACCES) {
			assert_int_equal(k->dev_kvm_fact.state,
					 HV_FACT_UNKNOWN);
			assert_int_equal(k->dev_kvm_fact.err, -EACCES);
			assert_int_equal(k->dev_kvm_usable, HV_TRI_UNKNOWN);
		}
	} else if (stat("/dev/kvm", &st) != 0) {
		assert_int_equal(k->dev_kvm, HV_TRI_NO);
		assert_int_equal(k->dev_kvm_usable, HV_TRI_NO);
	}

	d = opendir("/sys/kernel/mm/hugepages");
	if (d) {
		struct dirent *de;
		size_t n = 0;

		while ((de = readdir(d)))
			if (hv_startswith(de->d_name, "hugepages-"))
				n++;
		closedir(d);
		assert_int_equal(k->hugepages_fact.state, HV_FACT_OK);
		assert_int_equal(k->n_hugepages, n);
		for (size_t i = 1; i < k->n_hugepages; i++)
			assert_true(k->hugepages[i - 1].size_kb <
				    k->hugepages[i].size_kb);
		if (n > 0)
			assert_true(k->default_hugepage_kb > 0);
	}
	hv_host_free(host);
}

/*
 * This machine as an ordinary user (nobody), when the test runs as root
 * and /dev/kvm is not open to others: the device is known to be there,
 * its usability is not, and the reason is kept. The child reports by
 * exit status (0 ok, 2 skip, else the failed check).
 */
static int
child_dev_kvm_as_nobody(void)
{
	struct hv_host *host;
	struct hv_root *root = NULL;

	if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
	    setresuid(65534, 65534, 65534) < 0)
		return 10;
	host = hv_host_new();
	if (!host || hv_root_open("/", &root) < 0)
		return 11;
	if (hv_kernel_probe(root, host) < 0)
		return 12;
	if (host->kernel.dev_kvm != HV_TRI_YES)
		return 13;
	if (host->kernel.dev_kvm_usable != HV_TRI_UNKNOWN)
		return 14;
	if (host->kernel.dev_kvm_fact.state != HV_FACT_UNKNOWN ||
	    host->kernel.dev_kvm_fact.err != -EACCES)
		return 15;
	if (host->kernel.release_fact.state != HV_FACT_OK)
		return 16;
	hv_root_free(root);
	hv_host_free(host);
	return 0;
}

static void
test_live_unprivileged(void **state _unused_)
{
	struct stat st;
	pid_t pid;
	int status;

	if (geteuid() != 0 || stat("/dev/kvm", &st) < 0 ||
	    (st.st_mode & 0006) == 0006 ||
	    stat("/sys/class/misc/kvm", &st) < 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_dev_kvm_as_nobody());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_intel),
		cmocka_unit_test(test_recording),
		cmocka_unit_test(test_capture_empty),
		cmocka_unit_test(test_dev_kvm_capture),
		cmocka_unit_test(test_module_index_variants),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_live),
		cmocka_unit_test(test_live_unprivileged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
