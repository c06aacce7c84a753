/*
 * test-root.c -- the host source (src/root.c) and host manifests
 * (src/manifest.c): reads stay inside the root whatever the links say.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv-manifest.h"
#include "hv-root.h"
#include "hv-test.h"

static const char tree[] =
	"# a small tree\n"
	"f proc/cmdline BOOT_IMAGE=/vmlinuz intel_iommu=on\n"
	"f sys/bus/pci/devices/0000:00:00.0/vendor 0x8086\n"
	"f sys/bus/pci/devices/0000:00:00.0/numa_node -1\n"
	"f sys/bus/pci/devices/0000:00:00.0/bad not-a-number\n"
	"l sys/bus/pci/devices/0000:00:00.0/driver ../../../bus/pci/drivers/igb\n"
	"d sys/bus/pci/drivers/igb\n"
	"l sys/bus/pci/devices/0000:00:01.0 ../../../devices/pci0000:00/0000:00:01.0\n"
	"f sys/devices/pci0000:00/0000:00:01.0/class 0x020000\n"
	"d sys/kernel/iommu_groups/2\n"
	"d sys/kernel/iommu_groups/10\n"
	"d sys/kernel/iommu_groups/1\n"
	"n hwvirt/nonl no newline\n"
	"f hwvirt/empty\n"
	"l escape/abs /etc/hostname\n"
	"l escape/rel ../../../../../../etc/hostname\n"
	"f etc/hostname inside\n"
	"F proc/cpuinfo\n"
	"processor\t: 0\n"
	"..leading dot\n"
	"\n"
	".\n"
	"x sys/firmware/acpi/tables/DMAR\n"
	"  0000: 44 4D 41 52 30 00 00 00 01 D5 49 4E 54 45 4C 20  DMAR0.....INTEL \n"
	"  0010: 53 4B 4C 20 20 20 20 20\n"
	"0020: ff\n"
	".\n";

static char *
make_root(struct hv_root **ret)
{
	char *dir = hv_test_root_from_text(tree);

	assert_int_equal(hv_root_open(dir, ret), 0);
	return dir;
}

static void
test_open(void **state _unused_)
{
	struct hv_root *root = NULL;
	char *dir;

	assert_int_equal(hv_root_open("/nonexistent/hwvirt", &root), -ENOENT);
	assert_int_equal(hv_root_open("/etc/hostname", &root), -ENOTDIR);
	assert_int_equal(hv_root_open(NULL, &root), 0);
	assert_true(hv_root_is_live(root));
	assert_string_equal(hv_root_path(root), "/");
	hv_root_set_not_live(root);
	assert_false(hv_root_is_live(root));
	hv_root_free(root);

	dir = make_root(&root);
	assert_false(hv_root_is_live(root));
	assert_string_equal(hv_root_path(root), dir);
	hv_root_free(root);
	hv_root_free(NULL);
	hv_test_rmtree(dir);
}

static void
test_read(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	char *s = NULL;
	size_t len = 0;
	uint64_t v = 0;
	int i = 0;

	assert_int_equal(hv_root_read(root, "proc/cmdline", 4096, &s, &len), 0);
	assert_string_equal(s, "BOOT_IMAGE=/vmlinuz intel_iommu=on\n");
	assert_int_equal(len, 35);
	free(s);
	/* a leading slash is tolerated */
	assert_int_equal(hv_root_read_str(root, "/proc/cmdline", &s), 0);
	assert_string_equal(s, "BOOT_IMAGE=/vmlinuz intel_iommu=on");
	free(s);
	assert_int_equal(hv_root_read_str(root, "hwvirt/nonl", &s), 0);
	assert_string_equal(s, "no newline");
	free(s);
	assert_int_equal(hv_root_read(root, "hwvirt/empty", 10, &s, &len), 0);
	assert_int_equal(len, 0);
	free(s);
	assert_int_equal(hv_root_read(root, "proc/cmdline", 10, &s, NULL), -EFBIG);
	assert_int_equal(hv_root_read(root, "proc/nothing", 10, &s, NULL), -ENOENT);
	assert_int_equal(hv_root_read(root, "proc", 10, &s, NULL), -EISDIR);

	assert_int_equal(hv_root_read_u64(root,
		"sys/bus/pci/devices/0000:00:00.0/vendor", 0, &v), 0);
	assert_int_equal(v, 0x8086);
	assert_int_equal(hv_root_read_int(root,
		"sys/bus/pci/devices/0000:00:00.0/numa_node", 10, &i), 0);
	assert_int_equal(i, -1);
	assert_int_equal(hv_root_read_u64(root,
		"sys/bus/pci/devices/0000:00:00.0/bad", 0, &v), -EBADMSG);
	/* through a relative link to a directory */
	assert_int_equal(hv_root_read_u64(root,
		"sys/bus/pci/devices/0000:00:01.0/class", 16, &v), 0);
	assert_int_equal(v, 0x020000);
	assert_int_equal(hv_root_readf(root, 100, &s, NULL, "proc/%s", "cpuinfo"), 0);
	assert_string_equal(s, "processor\t: 0\n.leading dot\n\n");
	free(s);

	hv_root_free(root);
	hv_test_rmtree(dir);
}

static void
test_links_stay_inside(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	char *s = NULL;

	/* an absolute link resolves inside the root, not to the host's file */
	assert_int_equal(hv_root_read_str(root, "escape/abs", &s), 0);
	assert_string_equal(s, "inside");
	free(s);
	/* ".." cannot climb above the root */
	assert_int_equal(hv_root_read_str(root, "escape/rel", &s), 0);
	assert_string_equal(s, "inside");
	free(s);
	assert_int_equal(hv_root_read_str(root, "../../../../etc/hostname", &s), 0);
	assert_string_equal(s, "inside");
	free(s);

	assert_int_equal(hv_root_readlink(root,
		"sys/bus/pci/devices/0000:00:00.0/driver", &s), 0);
	assert_string_equal(s, "../../../bus/pci/drivers/igb");
	free(s);
	assert_int_equal(hv_root_readlink_base(root,
		"sys/bus/pci/devices/0000:00:00.0/driver", &s), 0);
	assert_string_equal(s, "igb");
	free(s);
	assert_int_equal(hv_root_readlink(root, "proc/cmdline", &s), -EINVAL);
	assert_int_equal(hv_root_readlink(root, "proc/none", &s), -ENOENT);

	hv_root_free(root);
	hv_test_rmtree(dir);
}

static void
test_list_and_stat(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	struct hv_strv sv = { 0 };
	struct stat st;

	assert_int_equal(hv_root_list(root, "sys/kernel/iommu_groups", &sv), 0);
	assert_int_equal(sv.n, 3);
	/* version order: 1 2 10 */
	assert_string_equal(sv.v[0], "1");
	assert_string_equal(sv.v[1], "2");
	assert_string_equal(sv.v[2], "10");
	hv_strv_clear(&sv);
	assert_int_equal(hv_root_list(root, "sys/nothing", &sv), -ENOENT);
	assert_int_equal(hv_root_list(root, "proc/cmdline", &sv), -ENOTDIR);

	assert_int_equal(hv_root_stat(root, "sys/firmware/acpi/tables/DMAR", &st), 0);
	assert_int_equal(st.st_size, 0x21);
	assert_int_equal(hv_root_exists(root, "sys/bus/pci/devices/0000:00:01.0"), 0);
	assert_int_equal(hv_root_exists(root, "sys/class/iommu"), -ENOENT);

	hv_root_free(root);
	hv_test_rmtree(dir);
}

static void
test_recording(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	const struct hv_strv *rec;
	struct hv_strv sv = { 0 };
	char *s = NULL;

	assert_int_equal(hv_root_read_str(root, "proc/cmdline", &s), 0);
	free(s);
	assert_int_equal(hv_root_recorded(root)->n, 0);

	hv_root_set_recording(root, true);
	assert_int_equal(hv_root_read_str(root, "/proc/cmdline", &s), 0);
	free(s);
	assert_int_equal(hv_root_read_str(root, "proc/cmdline", &s), 0);
	free(s);
	assert_int_equal(hv_root_read_str(root, "proc/none", &s), -ENOENT);
	assert_int_equal(hv_root_list(root, "sys/kernel/iommu_groups", &sv), 0);
	hv_strv_clear(&sv);
	assert_int_equal(hv_root_readlink(root,
		"sys/bus/pci/devices/0000:00:00.0/driver", &s), 0);
	free(s);
	assert_int_equal(hv_root_record(root, "usr/share/misc/pci.ids"), 0);

	rec = hv_root_recorded(root);
	assert_int_equal(rec->n, 4);
	assert_string_equal(rec->v[0], "proc/cmdline");
	assert_string_equal(rec->v[1], "sys/kernel/iommu_groups");
	assert_string_equal(rec->v[2], "sys/bus/pci/devices/0000:00:00.0/driver");
	assert_string_equal(rec->v[3], "usr/share/misc/pci.ids");

	/* synthesized files: kept only while recording, replaced by path */
	{
		const struct hv_root_blob *b;
		size_t n = 0;

		assert_int_equal(hv_root_record_data(root, "/hwvirt/cpuid.txt",
						     "CPU:\n", 5), 0);
		assert_int_equal(hv_root_record_data(root, "hwvirt/x.xml", "", 0), 0);
		assert_int_equal(hv_root_record_data(root, "hwvirt/cpuid.txt",
						     "CPU 0:\n", 7), 0);
		b = hv_root_recorded_data(root, &n);
		assert_int_equal(n, 2);
		assert_string_equal(b[0].path, "hwvirt/cpuid.txt");
		assert_int_equal(b[0].len, 7);
		assert_memory_equal(b[0].data, "CPU 0:\n", 7);
		assert_string_equal(b[1].path, "hwvirt/x.xml");
		assert_int_equal(b[1].len, 0);
		hv_root_set_recording(root, false);
		assert_int_equal(hv_root_record_data(root, "hwvirt/y", "y", 1), 0);
		(void)hv_root_recorded_data(root, &n);
		assert_int_equal(n, 2);
	}

	hv_root_free(root);
	hv_test_rmtree(dir);
}

static void
test_abspath(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	char *p, *want;

	p = hv_root_abspath(root, "sys/bus/pci");
	want = hv_asprintf("%s/sys/bus/pci", dir);
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = hv_root_abspath(root, "");
	assert_string_equal(p, dir);
	free(p);
	hv_root_free(root);
	hv_test_rmtree(dir);

	assert_int_equal(hv_root_open("/", &root), 0);
	p = hv_root_abspath(root, "/proc/cmdline");
	assert_string_equal(p, "/proc/cmdline");
	free(p);
	hv_root_free(root);
}

static void
test_manifest_hex(void **state _unused_)
{
	struct hv_root *root;
	char *dir = make_root(&root);
	char *s = NULL;
	size_t len = 0;

	assert_int_equal(hv_root_read(root, "sys/firmware/acpi/tables/DMAR",
				      4096, &s, &len), 0);
	/* offsets are honoured; the ASCII column is ignored; gaps are zero */
	assert_int_equal(len, 0x21);
	assert_memory_equal(s, "DMAR0\0\0\0\x01\xd5INTEL SKL     ", 0x18);
	assert_int_equal((unsigned char)s[0x1f], 0);
	assert_int_equal((unsigned char)s[0x20], 0xff);
	free(s);
	hv_root_free(root);
	hv_test_rmtree(dir);
}

static void
expect_manifest_error(const char *text, unsigned line, const char *needle)
{
	struct hv_parse_error e = { 0 };
	char *dir = hv_test_tmpdir();
	int r;

	r = hv_manifest_materialize(text, strlen(text), dir, &e);
	assert_int_equal(r, -EBADMSG);
	if (e.line != line || !strstr(e.msg, needle))
		fail_msg("manifest error: line %u '%s', want line %u '%s'",
			 e.line, e.msg, line, needle);
	hv_test_rmtree(dir);
}

static void
test_manifest_errors(void **state _unused_)
{
	expect_manifest_error("f ../etc/passwd x\n", 1, "bad path");
	expect_manifest_error("# c\nf /abs x\n", 2, "bad path");
	expect_manifest_error("d a\nd a/../../b\n", 2, "bad path");
	expect_manifest_error("z foo\n", 1, "unknown record");
	expect_manifest_error("ffoo\n", 1, "expected a record");
	expect_manifest_error("F a\nline\n", 1, "not closed");
	expect_manifest_error("x a\n00: 12 zz\n.\n", 2, "not a hex dump line");
	expect_manifest_error("x a\n00: 123\n.\n", 2, "not a hex dump line");
	expect_manifest_error("x a\n\n00: 12\nq0: 12\n.\n", 4, "not a hex dump line");
	expect_manifest_error("l a\n", 1, "no target");
	expect_manifest_error("x a\nfffffffff: 00\n.\n", 2, "not a hex dump line");
}

static void
test_manifest_no_follow(void **state _unused_)
{
	/* a file record never writes through a link the manifest made */
	static const char text[] =
		"l a/link /tmp/hwvirt-test-should-not-exist\n"
		"f a/link x\n";
	struct hv_parse_error e = { 0 };
	char *dir = hv_test_tmpdir();
	struct stat st;

	assert_int_equal(hv_manifest_materialize(text, strlen(text), dir, &e), -ELOOP);
	assert_int_equal(stat("/tmp/hwvirt-test-should-not-exist", &st), -1);
	hv_test_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_links_stay_inside),
		cmocka_unit_test(test_list_and_stat),
		cmocka_unit_test(test_recording),
		cmocka_unit_test(test_abspath),
		cmocka_unit_test(test_manifest_hex),
		cmocka_unit_test(test_manifest_errors),
		cmocka_unit_test(test_manifest_no_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
