/*
 * test-capture.c -- captures (src/capture-write.c, src/archive.c,
 * src/capture.c): what a capture holds path by path, the round trip of
 * every fixture host and of this machine through directories and tarballs
 * (the inventory of a capture is the inventory of what was captured),
 * failures to write that leave nothing behind, hostile, corrupt and
 * truncated tarballs refused, and hwvirt/capture.json written and read.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <json.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "hv-capture.h"
#include "hv-probe.h"
#include "hv-test.h"
#include "hv-writer.h"

/* ---- helpers ------------------------------------------------------------ */

static char *
path_in(const char *dir, const char *rel)
{
	char *p = hv_asprintf("%s/%s", dir, rel);

	assert_non_null(p);
	return p;
}

/* The content of dir/rel (fails the test if unreadable). */
static char *
read_in(const char *dir, const char *rel, size_t *ret_len)
{
	_cleanup_free_ char *p = path_in(dir, rel);

	return hv_test_read(p, ret_len);
}

static mode_t
lmode(const char *dir, const char *rel)
{
	_cleanup_free_ char *p = path_in(dir, rel);
	struct stat st;

	if (lstat(p, &st) < 0)
		return 0;
	return st.st_mode;
}

static void
assert_link(const char *dir, const char *rel, const char *target)
{
	_cleanup_free_ char *p = path_in(dir, rel);
	char buf[4096];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	if (n < 0)
		fail_msg("%s: not a link", rel);
	buf[n] = '\0';
	assert_string_equal(buf, target);
}

static void
assert_file(const char *dir, const char *rel, const char *content)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	if (!S_ISREG(lmode(dir, rel)))
		fail_msg("%s: not a regular file", rel);
	text = read_in(dir, rel, &len);
	assert_int_equal(len, strlen(content));
	assert_memory_equal(text, content, len);
	/* readable, never executable */
	assert_true(lmode(dir, rel) & 0400);
	assert_int_equal(lmode(dir, rel) & 07111, 0);
}

/* An entry of a listed directory that was not read: empty, mode 0. */
static void
assert_hole(const char *dir, const char *rel)
{
	_cleanup_free_ char *p = path_in(dir, rel);
	struct stat st;

	if (lstat(p, &st) < 0)
		fail_msg("%s: missing", rel);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0);
	assert_int_equal(st.st_size, 0);
}

static void
assert_absent(const char *dir, const char *rel)
{
	if (lmode(dir, rel) != 0)
		fail_msg("%s: should not be in the capture", rel);
}

/* Is there an entry (but "." and "..") starting with prefix in dir? */
static bool
dir_has_prefix(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool found = false;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			found = true;
	closedir(d);
	return found;
}

static const struct hv_capture_meta test_meta = {
	.created = 1795867200,	/* 2026-11-28T12:00:00Z */
	.hostname = "node17",
	.hwvirt_version = "0.1.0",
	.root = "/the/root",
	.privileged = true,
};

/* Probe root (recording) and write its capture to out. */
static void
capture_root(struct hv_root *root, const char *out, enum hv_capture_format f)
{
	struct hv_host *host = hv_host_new();
	struct hv_capture_error e = { 0 };
	struct hv_capture_stats st = { 0 };
	struct hv_capture_meta meta = test_meta;
	int r;

	assert_non_null(host);
	hv_root_set_recording(root, true);
	assert_int_equal(hv_host_probe(root, host), 0);
	hv_root_set_recording(root, false);
	if (hv_fact_ok(&host->kernel.hostname_fact))
		meta.hostname = host->kernel.hostname;
	r = hv_capture_write(root, &meta, out, f, &st, &e);
	if (r < 0)
		fail_msg("capture to %s: %s: %s (%s)", out, e.path, e.msg,
			 hv_strerror(r));
	assert_true(st.files > 0 && st.dirs > 0);
	hv_host_free(host);
}

/* Open a capture as a root: a directory as it is, a tarball extracted
 * into *ret_tmp. */
static struct hv_root *
open_capture(const char *out, enum hv_capture_format f, char **ret_tmp)
{
	struct hv_root *root = NULL;
	const char *dir = out;

	*ret_tmp = NULL;
	if (f != HV_CAPTURE_DIR) {
		struct hv_capture_error e = { 0 };
		int r;

		*ret_tmp = hv_test_tmpdir();
		r = hv_archive_extract(out, *ret_tmp, &e);
		if (r < 0)
			fail_msg("extract %s: %s: %s", out, e.path, e.msg);
		dir = *ret_tmp;
	}
	assert_int_equal(hv_root_open(dir, &root), 0);
	return root;
}

/* The inventory report of the host under root, as JSON. */
static struct json_object *
inventory_of(struct hv_root *root)
{
	struct hv_host *host = hv_host_new();
	struct json_object *j = NULL;
	struct hv_report rep;

	assert_non_null(host);
	assert_int_equal(hv_host_probe(root, host), 0);
	rep = (struct hv_report){ .command = "inventory", .host = host };
	assert_int_equal(hv_report_to_json(&rep, &j), 0);
	hv_host_free(host);
	return j;
}

static struct json_object *
get(struct json_object *o, const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	char *save = NULL;

	assert_non_null(copy);
	for (char *k = strtok_r(copy, ".", &save); k && o;
	     k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	return o;
}

/* Remove the member path ("host.kernel.dev_kvm_usable") if present. */
static void
drop(struct json_object *o, const char *path)
{
	_cleanup_free_ char *copy = strdup(path);
	char *dot;

	assert_non_null(copy);
	dot = strrchr(copy, '.');
	if (dot) {
		*dot = '\0';
		o = get(o, copy);
		if (!o)
			return;
		json_object_object_del(o, dot + 1);
	} else {
		json_object_object_del(o, copy);
	}
}

/* Print where a and b first differ; true if they do. */
static bool
json_differs(struct json_object *a, struct json_object *b, const char *path)
{
	if (json_object_equal(a, b))
		return false;
	if (json_object_is_type(a, json_type_object) &&
	    json_object_is_type(b, json_type_object)) {
		json_object_object_foreach(a, k, va) {
			struct json_object *vb = NULL;
			_cleanup_free_ char *p = hv_asprintf("%s.%s", path, k);

			if (!json_object_object_get_ex(b, k, &vb)) {
				print_message("%s: only in the source\n", p);
				return true;
			}
			if (json_differs(va, vb, p))
				return true;
		}
		print_message("%s: members only in the capture\n", path);
		return true;
	}
	if (json_object_is_type(a, json_type_array) &&
	    json_object_is_type(b, json_type_array) &&
	    json_object_array_length(a) == json_object_array_length(b)) {
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			_cleanup_free_ char *p = hv_asprintf("%s[%zu]", path, i);

			if (json_differs(json_object_array_get_idx(a, i),
					 json_object_array_get_idx(b, i), p))
				return true;
		}
	}
	print_message("%s: %s != %s\n", path, json_object_to_json_string(a),
		      json_object_to_json_string(b));
	return true;
}

/* What a capture cannot hold of a live host (hwvirt(1), CAPTURED HOSTS). */
static void
drop_live_only(struct json_object *source, struct json_object *capture)
{
	static const char *const live_only[] = {
		"live",
		"host.kernel.dev_kvm_usable",	/* /dev/kvm opened */
		"host.kernel.kvm_api_version",	/* KVM_GET_API_VERSION */
		"host.kernel.facts.dev_kvm",	/* dev/kvm, or sys/class/misc/kvm */
		"host.cpu.facts.cpuid",		/* "cpuid", or hwvirt/cpuid.txt */
	};
	struct json_object *ia = get(source, "host.kernel.facts.modules_index");
	struct json_object *ib = get(capture, "host.kernel.facts.modules_index");

	for (size_t i = 0; i < HV_ELEMENTSOF(live_only); i++) {
		drop(source, live_only[i]);
		drop(capture, live_only[i]);
	}
	/* A host without lib/modules (this machine): the kernel probe calls
	 * the index absent live, not captured in a capture. */
	if (ia && ib && strcmp(json_object_get_string(get(ia, "status")),
			       "absent") == 0 && get(ib, "reason") &&
	    strcmp(json_object_get_string(get(ib, "reason")),
		   "lib/modules not captured") == 0) {
		struct json_object *objs[] = { source, capture };

		for (size_t j = 0; j < 2; j++) {
			struct json_object *mods = get(objs[j], "host.kernel.modules");

			drop(objs[j], "host.kernel.facts.modules_index");
			for (size_t i = 0; mods && i < json_object_array_length(mods); i++)
				json_object_object_del(json_object_array_get_idx(mods, i),
						       "available");
		}
	}
}

/* ---- names and capture.json --------------------------------------------- */

static void
test_names(void **state _unused_)
{
	static const struct {
		const char *out;
		enum hv_capture_format f;
	} cases[] = {
		{ "c.tar", HV_CAPTURE_TAR },
		{ "/x/c.tar.gz", HV_CAPTURE_TAR_GZ },
		{ "c.tgz", HV_CAPTURE_TAR_GZ },
		{ "c.tar.xz", HV_CAPTURE_TAR_XZ },
		{ "c", HV_CAPTURE_DIR },
		{ "c.gz", HV_CAPTURE_DIR },
		{ "c.tar/", HV_CAPTURE_DIR },
		{ ".tar", HV_CAPTURE_DIR },
		{ "captures/db17", HV_CAPTURE_DIR },
	};
	char *n;

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++)
		assert_int_equal(hv_capture_format_from_name(cases[i].out),
				 cases[i].f);
	n = hv_capture_default_name("node17.example.org", 1795867200);
	assert_string_equal(n, "hwvirt-node17.example.org-20261128T120000.tar.gz");
	free(n);
	n = hv_capture_default_name("a/b c\x01\xff", 0);
	assert_string_equal(n, "hwvirt-a_b_c__-19700101T000000.tar.gz");
	free(n);
	n = hv_capture_default_name(NULL, 0);
	assert_string_equal(n, "hwvirt-unknown-19700101T000000.tar.gz");
	free(n);
	n = hv_capture_default_name("", 0);
	assert_string_equal(n, "hwvirt-unknown-19700101T000000.tar.gz");
	free(n);
}

/* Written by hv_capture_info_format, read by the capture-info probe. */
static struct hv_host *
info_round_trip(const struct hv_capture_meta *m, char **ret_text)
{
	_cleanup_free_ char *p = NULL;
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	char *dir = hv_test_root_from_text("d hwvirt\n");
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(host);
	assert_int_equal(hv_capture_info_format(m, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	p = path_in(dir, "hwvirt/capture.json");
	f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_capture_info_probe(root, host), 0);
	hv_root_free(root);
	hv_test_rmtree(dir);
	*ret_text = text;
	return host;
}

static void
test_info(void **state _unused_)
{
	struct hv_capture_meta m = test_meta;
	struct hv_host *host;
	char *text = NULL;
	char when[32];

	host = info_round_trip(&m, &text);
	assert_string_equal(text,
		"{\n"
		"  \"created\": \"2026-11-28T12:00:00Z\",\n"
		"  \"hostname\": \"node17\",\n"
		"  \"hwvirt_version\": \"0.1.0\",\n"
		"  \"root\": \"/the/root\",\n"
		"  \"privileged\": true\n"
		"}\n");
	assert_int_equal(host->capture.fact.state, HV_FACT_OK);
	assert_string_equal(host->capture.created, "2026-11-28T12:00:00Z");
	assert_string_equal(host->capture.hostname, "node17");
	assert_string_equal(host->capture.hwvirt_version, "0.1.0");
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);
	free(text);

	/* what JSON must escape is escaped (json-c), and reads back */
	m.hostname = "a\"b\\c\nd\te\x01 \xc3\xa9";
	m.root = "/x/\"y\".tar.gz";
	m.privileged = false;
	host = info_round_trip(&m, &text);
	assert_non_null(strstr(text, "\"privileged\": false"));
	assert_int_equal(host->capture.fact.state, HV_FACT_OK);
	assert_string_equal(host->capture.hostname, m.hostname);
	hv_host_free(host);
	free(text);

	/* an unknown host name is null, and stays unknown */
	m.hostname = NULL;
	host = info_round_trip(&m, &text);
	assert_non_null(strstr(text, "\"hostname\": null"));
	assert_int_equal(host->capture.fact.state, HV_FACT_OK);
	assert_null(host->capture.hostname);
	hv_host_free(host);
	free(text);

	assert_int_equal(hv_capture_time_format(0, when, sizeof(when)), 0);
	assert_string_equal(when, "1970-01-01T00:00:00Z");
	assert_int_equal(hv_capture_time_format(0, when, 10), -EINVAL);
}

/* capture.json cut at every byte: never a crash, OK only when whole (or
 * when only the final newline is cut), else INVALID with a diagnostic. */
static void
test_info_truncated(void **state _unused_)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	assert_int_equal(hv_capture_info_format(&test_meta, &text, &len), 0);
	for (size_t cut = 0; cut <= len; cut++) {
		_cleanup_free_ char *p = NULL;
		struct hv_host *host = hv_host_new();
		struct hv_root *root = NULL;
		char *dir = hv_test_root_from_text("d hwvirt\n");
		FILE *f;

		p = path_in(dir, "hwvirt/capture.json");
		f = fopen(p, "w");
		assert_non_null(f);
		assert_int_equal(fwrite(text, 1, cut, f), cut);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(hv_root_open(dir, &root), 0);
		assert_int_equal(hv_capture_info_probe(root, host), 0);
		if (cut >= len - 1) {
			assert_int_equal(host->capture.fact.state, HV_FACT_OK);
			assert_string_equal(host->capture.hostname, "node17");
		} else {
			if (host->capture.fact.state != HV_FACT_INVALID)
				fail_msg("cut at %zu: %s", cut,
					 hv_fact_state_to_string(host->capture.fact.state));
			assert_int_equal(host->n_diags, 1);
			assert_true(host->diags[0].bad_input);
			assert_true(host->diags[0].line >= 1);
			assert_null(host->capture.hostname);
		}
		hv_root_free(root);
		hv_host_free(host);
		hv_test_rmtree(dir);
	}
}

/* ---- what a capture holds, path by path ---------------------------------- */

/* A small sysfs-like tree: a PCI device reached through its bus link, a
 * driver link, an absolute link, a link that climbs out of the root, a
 * listed directory with a subdirectory, a link, a FIFO and files. */
static const char layout_manifest[] =
	"f sys/devices/pci0000:00/0000:00:01.0/vendor 0x8086\n"
	"f sys/devices/pci0000:00/0000:00:01.0/device 0x10c9\n"
	"f sys/devices/pci0000:00/0000:00:01.0/secret never read\n"
	"d sys/devices/pci0000:00/0000:00:01.0/power\n"
	"l sys/devices/pci0000:00/0000:00:01.0/driver ../../../bus/pci/drivers/igb\n"
	"f sys/bus/pci/drivers/igb/bind\n"
	"l sys/bus/pci/drivers/igb/0000:00:01.0 ../../../../devices/pci0000:00/0000:00:01.0\n"
	"l sys/bus/pci/devices/0000:00:01.0 ../../../devices/pci0000:00/0000:00:01.0\n"
	"l sys/class/net/eth0 /sys/devices/pci0000:00/0000:00:01.0\n"
	"l sys/up ../../../../../etc\n"
	"f etc/hostname node17\n"
	"f etc/shadow root:*:\n"
	"f proc/cmdline quiet\n"
	"F usr/share/misc/pci.ids\n"
	"8086  Intel Corporation\n"
	".\n";

static void
test_layout(void **state _unused_)
{
	char *src = hv_test_root_from_text(layout_manifest);
	char *outdir = hv_test_tmpdir();
	_cleanup_free_ char *out = path_in(outdir, "cap");
	_cleanup_free_ char *fifo = path_in(src, "sys/devices/pci0000:00/0000:00:01.0/events");
	struct hv_capture_error e = { 0 };
	struct hv_capture_stats st = { 0 };
	struct hv_strv names = { 0 };
	struct hv_root *root = NULL;
	char *s = NULL;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(hv_root_open(src, &root), 0);
	hv_root_set_recording(root, true);
	/* as the probes read: a list, files through links, a readlink */
	assert_int_equal(hv_root_list(root, "sys/bus/pci/devices", &names), 0);
	assert_int_equal(names.n, 1);
	hv_strv_clear(&names);
	assert_int_equal(hv_root_read_str(root, "sys/bus/pci/devices/0000:00:01.0/vendor",
					  &s), 0);
	free(s);
	assert_int_equal(hv_root_list(root, "sys/bus/pci/devices/0000:00:01.0",
				      &names), 0);
	hv_strv_clear(&names);
	assert_int_equal(hv_root_readlink_base(root,
		"sys/bus/pci/devices/0000:00:01.0/driver", &s), 0);
	assert_string_equal(s, "igb");
	free(s);
	assert_int_equal(hv_root_read_str(root, "sys/class/net/eth0/device", &s), 0);
	free(s);
	assert_int_equal(hv_root_read_str(root, "sys/up/hostname", &s), 0);
	assert_string_equal(s, "node17");
	free(s);
	assert_int_equal(hv_root_read_str(root, "proc/cmdline", &s), 0);
	free(s);
	assert_int_equal(hv_root_read_str(root, "proc/nonexistent", &s), -ENOENT);
	/* what a live probe learnt without a file */
	assert_int_equal(hv_root_record_data(root, "hwvirt/nvidia-smi.xml",
					     "<nvidia_smi_log/>\n", 18), 0);
	hv_root_set_recording(root, false);

	assert_int_equal(hv_capture_write(root, &test_meta, out, HV_CAPTURE_DIR,
					  &st, &e), 0);
	/* the link as it was, and the directory it points to */
	assert_link(out, "sys/bus/pci/devices/0000:00:01.0",
		    "../../../devices/pci0000:00/0000:00:01.0");
	assert_true(S_ISDIR(lmode(out, "sys/devices/pci0000:00/0000:00:01.0")));
	assert_file(out, "sys/devices/pci0000:00/0000:00:01.0/vendor", "0x8086\n");
	/* the listed device directory: its entries as they are */
	assert_file(out, "sys/devices/pci0000:00/0000:00:01.0/device", "0x10c9\n");
	assert_hole(out, "sys/devices/pci0000:00/0000:00:01.0/secret");
	assert_true(S_ISDIR(lmode(out, "sys/devices/pci0000:00/0000:00:01.0/power")));
	assert_link(out, "sys/devices/pci0000:00/0000:00:01.0/driver",
		    "../../../bus/pci/drivers/igb");
	assert_absent(out, "sys/devices/pci0000:00/0000:00:01.0/events");
	/* the driver link was read: its directory, listed */
	assert_true(S_ISDIR(lmode(out, "sys/bus/pci/drivers/igb")));
	assert_hole(out, "sys/bus/pci/drivers/igb/bind");
	assert_link(out, "sys/bus/pci/drivers/igb/0000:00:01.0",
		    "../../../../devices/pci0000:00/0000:00:01.0");
	/* an absolute link is kept, its target held inside the root */
	assert_link(out, "sys/class/net/eth0", "/sys/devices/pci0000:00/0000:00:01.0");
	/* a link that climbs past the top stops at the root, as reading does */
	assert_link(out, "sys/up", "../../../../../etc");
	assert_file(out, "etc/hostname", "node17\n");
	assert_absent(out, "etc/shadow");
	assert_file(out, "proc/cmdline", "quiet\n");
	assert_absent(out, "proc/nonexistent");
	/* pci.ids: libpci's read is recorded only by the PCI probe */
	assert_absent(out, "usr");
	/* what the probes gave, and what the capture says of itself */
	assert_file(out, "hwvirt/nvidia-smi.xml", "<nvidia_smi_log/>\n");
	s = read_in(out, "hwvirt/capture.json", NULL);
	assert_non_null(strstr(s, "\"root\": \"/the/root\""));
	free(s);
	assert_true(st.links >= 5);
	assert_true(st.holes >= 2);
	assert_true(st.skipped >= 1);	/* the FIFO */

	/* the capture reads as the source did */
	{
		struct hv_root *c = NULL;

		assert_int_equal(hv_root_open(out, &c), 0);
		assert_int_equal(hv_root_read_str(c, "sys/bus/pci/devices/0000:00:01.0/vendor",
						  &s), 0);
		assert_string_equal(s, "0x8086");
		free(s);
		assert_int_equal(hv_root_readlink_base(c,
			"sys/bus/pci/devices/0000:00:01.0/driver", &s), 0);
		assert_string_equal(s, "igb");
		free(s);
		assert_int_equal(hv_root_read_str(c, "sys/class/net/eth0/vendor", &s), 0);
		free(s);
		assert_int_equal(hv_root_read_str(c, "sys/up/hostname", &s), 0);
		assert_string_equal(s, "node17");
		free(s);
		assert_int_equal(hv_root_list(c, "sys/bus/pci/devices/0000:00:01.0",
					      &names), 0);
		/* vendor, device, secret, power, driver: the FIFO is left out */
		assert_int_equal(names.n, 5);
		hv_strv_clear(&names);
		hv_root_free(c);
	}

	/* a second capture to the same place is refused, the first kept */
	assert_int_equal(hv_capture_write(root, &test_meta, out, HV_CAPTURE_DIR,
					  NULL, &e), -EEXIST);
	assert_string_equal(e.path, out);
	assert_file(out, "proc/cmdline", "quiet\n");
	hv_root_free(root);
	hv_test_rmtree(src);
	hv_test_rmtree(outdir);
}

/* A synthesized file must stay inside the capture. */
static void
test_bad_blob(void **state _unused_)
{
	static const char *const bad[] = {
		"../evil", "hwvirt/../../evil", "/", "hwvirt//x", "hwvirt/x/",
		"hwvirt/./x",
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(bad); i++) {
		char *src = hv_test_root_from_text("f proc/cmdline quiet\n");
		char *outdir = hv_test_tmpdir();
		_cleanup_free_ char *out = path_in(outdir, "cap.tar");
		_cleanup_free_ char *evil = path_in(outdir, "evil");
		struct hv_capture_error e = { 0 };
		struct hv_root *root = NULL;

		assert_int_equal(hv_root_open(src, &root), 0);
		hv_root_set_recording(root, true);
		assert_int_equal(hv_root_record_data(root, bad[i], "x", 1), 0);
		hv_root_set_recording(root, false);
		print_message("%s\n", bad[i]);
		assert_int_equal(hv_capture_write(root, &test_meta, out,
						  HV_CAPTURE_TAR, NULL, &e),
				 -EINVAL);
		assert_true(strlen(e.msg) > 0);
		assert_int_equal(access(out, F_OK), -1);
		assert_int_equal(access(evil, F_OK), -1);
		assert_false(dir_has_prefix(outdir, "."));
		hv_root_free(root);
		hv_test_rmtree(src);
		hv_test_rmtree(outdir);
	}
}

/* ---- round trips ----------------------------------------------------------- */

static const enum hv_capture_format all_formats[] = {
	HV_CAPTURE_DIR, HV_CAPTURE_TAR, HV_CAPTURE_TAR_GZ, HV_CAPTURE_TAR_XZ,
};
static const char *const format_names[] = { "cap", "cap.tar", "cap.tar.gz",
					    "cap.tar.xz" };

/*
 * Each fixture host, captured as a directory and as each kind of tarball:
 * the inventory of the capture is the fixture's, apart from the root and
 * the capture's own description.
 */
static void
test_round_trip_fixtures(void **state _unused_)
{
	_cleanup_free_ char *hosts = hv_test_srcpath("fixtures/hosts");
	struct hv_strv names = { 0 };
	struct dirent *de;
	DIR *d = opendir(hosts);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strstr(de->d_name, ".manifest"))
			assert_int_equal(hv_strv_add(&names, de->d_name), 0);
	closedir(d);
	hv_strv_sort(&names);
	assert_true(names.n >= 4);

	for (size_t i = 0; i < names.n; i++) {
		_cleanup_free_ char *rel = hv_asprintf("fixtures/hosts/%s", names.v[i]);
		char *src = hv_test_root_from_file(rel);
		struct hv_root *root = NULL;
		struct json_object *want;

		assert_int_equal(hv_root_open(src, &root), 0);
		want = inventory_of(root);
		drop(want, "root");
		drop(want, "capture");
		for (size_t f = 0; f < HV_ELEMENTSOF(all_formats); f++) {
			char *outdir = hv_test_tmpdir();
			_cleanup_free_ char *out = path_in(outdir, format_names[f]);
			struct hv_root *cap;
			struct json_object *got, *meta;
			char *tmp = NULL;

			print_message("%s as %s\n", names.v[i], format_names[f]);
			capture_root(root, out, all_formats[f]);
			cap = open_capture(out, all_formats[f], &tmp);
			got = inventory_of(cap);
			meta = get(got, "capture");
			assert_non_null(meta);
			assert_string_equal(json_object_get_string(get(meta, "created")),
					    "2026-11-28T12:00:00Z");
			drop(got, "root");
			drop(got, "capture");
			if (json_differs(want, got, ""))
				fail_msg("%s as %s: the inventory differs",
					 names.v[i], format_names[f]);
			json_object_put(got);
			hv_root_free(cap);
			hv_test_rmtree(tmp);
			hv_test_rmtree(outdir);
		}
		json_object_put(want);
		hv_root_free(root);
		hv_test_rmtree(src);
	}
	hv_strv_clear(&names);
}

/*
 * This machine: the capture's inventory is the live one apart from what a
 * capture cannot hold (drop_live_only). A directory and a tarball.
 */
static void
test_round_trip_live(void **state _unused_)
{
	for (size_t f = 0; f < HV_ELEMENTSOF(all_formats); f += 2) {
		char *outdir = hv_test_tmpdir();
		_cleanup_free_ char *out = path_in(outdir, format_names[f]);
		struct hv_root *live = NULL, *cap;
		struct json_object *want, *got;
		char *tmp = NULL;

		assert_int_equal(hv_root_open("/", &live), 0);
		assert_true(hv_root_is_live(live));
		capture_root(live, out, all_formats[f]);
		want = inventory_of(live);
		cap = open_capture(out, all_formats[f], &tmp);
		got = inventory_of(cap);
		assert_true(json_object_get_boolean(get(want, "live")));
		assert_false(json_object_get_boolean(get(got, "live")));
		assert_string_equal(json_object_get_string(
			get(got, "host.cpu.facts.cpuid.source")), "hwvirt/cpuid.txt");
		drop(want, "root");
		drop(want, "capture");
		drop(got, "root");
		drop(got, "capture");
		drop_live_only(want, got);
		if (json_differs(want, got, ""))
			fail_msg("live as %s: the inventory differs", format_names[f]);
		json_object_put(want);
		json_object_put(got);
		hv_root_free(cap);
		hv_root_free(live);
		hv_test_rmtree(tmp);
		hv_test_rmtree(outdir);
	}
}

/* ---- failures to write: nothing left behind ---------------------------- */

static void
test_write_failures(void **state _unused_)
{
	char *src = hv_test_root_from_file("fixtures/hosts/intel-sriov.manifest");
	char *outdir = hv_test_tmpdir();
	struct hv_capture_error e = { 0 };
	struct hv_root *root = NULL;
	struct hv_host *host = hv_host_new();
	struct rlimit old, small;

	assert_non_null(host);
	assert_int_equal(hv_root_open(src, &root), 0);
	hv_root_set_recording(root, true);
	assert_int_equal(hv_host_probe(root, host), 0);
	hv_root_set_recording(root, false);

	/* an existing file or directory is never replaced */
	for (size_t f = 0; f < HV_ELEMENTSOF(all_formats); f++) {
		_cleanup_free_ char *out = path_in(outdir, format_names[f]);
		FILE *fp = fopen(out, "w");

		assert_non_null(fp);
		fputs("keep", fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(hv_capture_write(root, &test_meta, out,
						  all_formats[f], NULL, &e), -EEXIST);
		assert_string_equal(e.msg, "already exists");
		{
			_cleanup_free_ char *kept = hv_test_read(out, NULL);

			assert_string_equal(kept, "keep");
		}
		assert_int_equal(unlink(out), 0);
	}
	/* a directory that does not exist */
	for (size_t f = 0; f < HV_ELEMENTSOF(all_formats); f++) {
		_cleanup_free_ char *out = hv_asprintf("%s/no/such/%s", outdir,
						       format_names[f]);

		assert_int_equal(hv_capture_write(root, &test_meta, out,
						  all_formats[f], NULL, &e), -ENOENT);
		assert_string_equal(e.path, out);
	}
	/* the disk fills up half way (a file size limit stands for it) */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = (struct rlimit){ 2048, old.rlim_max };	/* the soft limit only */
	for (size_t f = 0; f < HV_ELEMENTSOF(all_formats); f++) {
		_cleanup_free_ char *out = path_in(outdir, format_names[f]);
		int r;

		assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
		r = hv_capture_write(root, &test_meta, out, all_formats[f], NULL, &e);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
		print_message("%s: %s: %s\n", format_names[f], e.path, e.msg);
		assert_int_equal(r, -EFBIG);
		assert_string_equal(e.path, out);
		assert_int_equal(access(out, F_OK), -1);
	}
	signal(SIGXFSZ, SIG_DFL);
	/* no temporary ".cap*.XXXXXX" is left */
	assert_false(dir_has_prefix(outdir, "."));
	assert_false(dir_has_prefix(outdir, "cap"));
	hv_host_free(host);
	hv_root_free(root);
	hv_test_rmtree(src);
	hv_test_rmtree(outdir);
}

/* ---- tarballs as roots: hostile, corrupt, truncated ---------------------- */

struct member {
	const char *path;
	mode_t type;		/* AE_IF*; a NULL path ends the list */
	const char *arg;	/* content, link target, hard link target */
	int perm;		/* 0: 0644 */
	int64_t sparse_size;	/* a sparse file of this size, one byte */
	bool hard;		/* a hard link to arg */
};

#define NOPERM	0x10000		/* perm: mode 0000 */

/* Write the members as a tarball at path with libarchive. */
static void
make_tar(const char *path, const struct member *m, int filter)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	assert_non_null(a);
	assert_non_null(e);
	assert_int_equal(archive_write_set_format_pax(a), ARCHIVE_OK);
	assert_true(archive_write_add_filter(a, filter) >= ARCHIVE_WARN);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (; m->path; m++) {
		bool data = m->type == AE_IFREG && m->arg && !m->hard;

		archive_entry_clear(e);
		archive_entry_set_pathname(e, m->path);
		archive_entry_set_filetype(e, m->type);
		archive_entry_set_perm(e, m->perm == NOPERM ? 0 :
					  m->perm ? (mode_t)m->perm : 0644);
		if (m->type == AE_IFLNK)
			archive_entry_set_symlink(e, m->arg);
		if (m->hard)
			archive_entry_set_hardlink(e, m->arg);
		if (data)
			archive_entry_set_size(e, (la_int64_t)strlen(m->arg));
		if (m->sparse_size) {
			archive_entry_set_size(e, m->sparse_size);
			archive_entry_sparse_add_entry(e, m->sparse_size - 1, 1);
		}
		if (m->type == AE_IFCHR)
			archive_entry_set_rdev(e, makedev(10, 232));
		assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
		if (data)
			assert_int_equal(archive_write_data(a, m->arg, strlen(m->arg)),
					 (la_ssize_t)strlen(m->arg));
		if (m->sparse_size)
			assert_int_equal(archive_write_data(a, "x", 1), 1);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	archive_entry_free(e);
}

static int
extract(const char *tar, char **ret_dir, struct hv_capture_error *e)
{
	*ret_dir = hv_test_tmpdir();
	return hv_archive_extract(tar, *ret_dir, e);
}

static void
test_extract_good(void **state _unused_)
{
	static const struct member good[] = {
		{ "./", AE_IFDIR, NULL, 0700, 0, false },
		{ "./proc", AE_IFDIR, NULL, 0700, 0, false },
		{ "./proc/cmdline", AE_IFREG, "quiet\n", 0600, 0, false },
		{ "sys/firmware/acpi/tables", AE_IFDIR, NULL, NOPERM, 0, false },
		{ "sys/firmware/acpi/tables/DMAR", AE_IFREG, "", NOPERM, 0, false },
		{ "sys/firmware/acpi/tables/x", AE_IFREG, "1", 0400, 0, false },
		{ "sys/bus", AE_IFLNK, "/etc", 0, 0, false },
		{ "sys/up", AE_IFLNK, "../../../../etc", 0, 0, false },
		/* a directory twice is fine */
		{ "proc", AE_IFDIR, NULL, 0755, 0, false },
		{ NULL, 0, NULL, 0, 0, false },
	};
	char *work = hv_test_tmpdir(), *dir = NULL;
	_cleanup_free_ char *tar = path_in(work, "good.tar.gz");
	struct hv_capture_error e = { 0 };

	make_tar(tar, good, ARCHIVE_FILTER_GZIP);
	if (extract(tar, &dir, &e) != 0)
		fail_msg("%s: %s", e.path, e.msg);
	/* modes as a capture has them: directories 0755, files 0644 */
	assert_file(dir, "proc/cmdline", "quiet\n");
	assert_int_equal(lmode(dir, "proc") & 0700, 0700);
	assert_int_equal(lmode(dir, "sys/firmware/acpi/tables") & 0700, 0700);
	assert_file(dir, "sys/firmware/acpi/tables/x", "1");
	/* no read permission: none in the capture either */
	assert_hole(dir, "sys/firmware/acpi/tables/DMAR");
	assert_link(dir, "sys/bus", "/etc");
	assert_link(dir, "sys/up", "../../../../etc");
	hv_test_rmtree(dir);
	hv_test_rmtree(work);
}

static void
test_extract_hostile(void **state _unused_)
{
	static const struct {
		const char *what;
		struct member m[4];
		int err;
		const char *member, *msg;
	} cases[] = {
		{ "absolute", { { "/tmp/hwvirt-evil", AE_IFREG, "x", 0, 0, false } },
		  -EBADMSG, "/tmp/hwvirt-evil", "absolute" },
		{ "dotdot", { { "proc/../../hwvirt-evil", AE_IFREG, "x", 0, 0, false } },
		  -EBADMSG, "proc/../../hwvirt-evil", ".." },
		{ "through a link", { { "proc", AE_IFLNK, "..", 0, 0, false },
				      { "proc/hwvirt-evil", AE_IFREG, "x", 0, 0, false } },
		  -EBADMSG, "proc/hwvirt-evil", "symbolic link" },
		{ "through a file", { { "proc", AE_IFREG, "x", 0, 0, false },
				      { "proc/cmdline", AE_IFREG, "x", 0, 0, false } },
		  -EBADMSG, "proc/cmdline", "under a file" },
		{ "device", { { "dev/kvm", AE_IFCHR, NULL, 0, 0, false } },
		  -EBADMSG, "dev/kvm", "character device" },
		{ "fifo", { { "proc/cmdline", AE_IFIFO, NULL, 0, 0, false } },
		  -EBADMSG, "proc/cmdline", "FIFO" },
		{ "hard link", { { "proc/cmdline", AE_IFREG, "quiet", 0, 0, false },
				 { "proc/cpuinfo", AE_IFREG, "proc/cmdline", 0, 0, true } },
		  -EBADMSG, "proc/cpuinfo", "hard link" },
		{ "twice", { { "proc/cmdline", AE_IFREG, "quiet", 0, 0, false },
			     { "./proc//cmdline", AE_IFREG, "iommu=pt", 0, 0, false } },
		  -EBADMSG, "./proc//cmdline", "twice" },
		{ "file over dir", { { "proc", AE_IFDIR, NULL, 0, 0, false },
				     { "proc", AE_IFREG, "x", 0, 0, false } },
		  -EBADMSG, "proc", "twice" },
		{ "empty link", { { "proc", AE_IFLNK, "", 0, 0, false } },
		  -EBADMSG, "proc", "link" },
		{ "too deep", { { "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/"
				  "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/"
				  "a/b/c/d/e/f/g/h/i/j/k/l/m", AE_IFDIR, NULL, 0, 0, false } },
		  -EBADMSG, "a/b/c", "deep" },
		{ "one huge file", { { "proc/cpuinfo", AE_IFREG, NULL, 0,
				       (int64_t)HV_CAPTURE_MAX_FILE + 1, false } },
		  -E2BIG, "proc/cpuinfo", "larger than" },
	};
	char *work = hv_test_tmpdir();
	_cleanup_free_ char *evil = path_in(work, "hwvirt-evil");

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *tar = path_in(work, "h.tar.gz");
		struct hv_capture_error e = { 0 };
		char *dir = NULL;
		int r;

		print_message("%s\n", cases[i].what);
		make_tar(tar, cases[i].m, ARCHIVE_FILTER_GZIP);
		r = extract(tar, &dir, &e);
		if (r != cases[i].err || !strstr(e.path, cases[i].member) ||
		    !strstr(e.msg, cases[i].msg))
			fail_msg("%s: %d '%s' '%s'", cases[i].what, r, e.path, e.msg);
		/* refused before anything was written */
		assert_false(dir_has_prefix(dir, ""));
		assert_int_equal(access(evil, F_OK), -1);
		assert_int_equal(access("/tmp/hwvirt-evil", F_OK), -1);
		hv_test_rmtree(dir);
		unlink(tar);
	}
	hv_test_rmtree(work);
}

/* A tar bomb, by size: files each within bounds, too much data in all
 * (sparse members claim the size and hold one byte each). */
static void
test_extract_bomb(void **state _unused_)
{
	const size_t n = HV_CAPTURE_MAX_BYTES / HV_CAPTURE_MAX_FILE + 1;
	struct member *m = calloc(n + 1, sizeof(*m));
	char *work = hv_test_tmpdir(), *dir = NULL;
	_cleanup_free_ char *tar = path_in(work, "bomb.tar.xz");
	struct hv_capture_error e = { 0 };
	char (*names)[16] = calloc(n, sizeof(*names));

	assert_non_null(m);
	assert_non_null(names);
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "f%zu", i);
		m[i] = (struct member){ names[i], AE_IFREG, NULL, 0,
					HV_CAPTURE_MAX_FILE, false };
	}
	make_tar(tar, m, ARCHIVE_FILTER_XZ);
	assert_int_equal(extract(tar, &dir, &e), -E2BIG);
	assert_string_equal(e.path, names[n - 1]);
	assert_non_null(strstr(e.msg, "bytes in all"));
	assert_false(dir_has_prefix(dir, ""));
	hv_test_rmtree(dir);
	hv_test_rmtree(work);
	free(m);
	free(names);
}

/* A tar bomb, by count: one member more than a capture may hold. */
static void
test_extract_too_many(void **state _unused_)
{
	char *work = hv_test_tmpdir(), *dir = NULL;
	_cleanup_free_ char *tar = path_in(work, "many.tar.gz");
	struct hv_capture_error e = { 0 };
	struct archive *a = archive_write_new();
	struct archive_entry *en = archive_entry_new();

	assert_non_null(a);
	assert_non_null(en);
	assert_int_equal(archive_write_set_format_ustar(a), ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, tar), ARCHIVE_OK);
	for (size_t i = 0; i <= HV_CAPTURE_MAX_ENTRIES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "d/%zu", i);
		archive_entry_clear(en);
		archive_entry_set_pathname(en, name);
		archive_entry_set_filetype(en, AE_IFREG);
		archive_entry_set_perm(en, 0644);
		archive_entry_set_size(en, 0);
		assert_int_equal(archive_write_header(a, en), ARCHIVE_OK);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	archive_entry_free(en);

	assert_int_equal(extract(tar, &dir, &e), -E2BIG);
	assert_non_null(strstr(e.msg, "more than 262144 members"));
	assert_false(dir_has_prefix(dir, ""));
	hv_test_rmtree(dir);
	hv_test_rmtree(work);
}

/* A good tarball cut short, or with bytes flipped: refused or read, never
 * a crash, and what was extracted is removed by hv_capture_rmtree. */
static void
test_extract_corrupt(void **state _unused_)
{
	char *src = hv_test_root_from_file("fixtures/hosts/kvm-guest.manifest");
	char *work = hv_test_tmpdir();
	_cleanup_free_ char *good = path_in(work, "good.tar");
	_cleanup_free_ char *bad = path_in(work, "bad.tar");
	_cleanup_free_ char *data = NULL;
	struct hv_root *root = NULL;
	size_t len = 0, refused = 0;

	assert_int_equal(hv_root_open(src, &root), 0);
	capture_root(root, good, HV_CAPTURE_TAR);
	hv_root_free(root);
	data = hv_test_read(good, &len);
	assert_true(len > 10240);

	for (size_t k = 0; k < 64; k++) {
		struct hv_capture_error e = { 0 };
		size_t cut = len * k / 64;
		char *dir = NULL;
		FILE *f = fopen(bad, "w");
		int r;

		assert_non_null(f);
		if (k % 2 == 0) {
			assert_int_equal(fwrite(data, 1, cut, f), cut);	/* truncated */
		} else {
			char saved = data[cut];

			data[cut] ^= 0x5a;	/* one byte corrupted */
			assert_int_equal(fwrite(data, 1, len, f), len);
			data[cut] = saved;
		}
		assert_int_equal(fclose(f), 0);
		r = extract(bad, &dir, &e);
		if (r < 0) {
			assert_true(r == -EBADMSG || r == -E2BIG);
			assert_true(strlen(e.msg) > 0);
			refused++;
		}
		assert_int_equal(hv_capture_rmtree(dir), 0);
		assert_int_equal(access(dir, F_OK), -1);
		free(dir);
	}
	/* a tar cut inside a member, and a header byte flipped (its
	 * checksum), are refused; a data byte flipped is only data */
	print_message("%zu of 64 refused\n", refused);
	assert_true(refused >= 24);
	hv_test_rmtree(src);
	hv_test_rmtree(work);
}

static void
test_extract_not_tar(void **state _unused_)
{
	static const char *const bodies[] = {
		"", "not an archive at all\n",
		"PK\x03\x04 a zip, not a tar................................",
	};
	char *work = hv_test_tmpdir();
	_cleanup_free_ char *f = path_in(work, "x.tar.gz");
	struct hv_capture_error e = { 0 };
	char *dir = NULL;

	for (size_t i = 0; i < HV_ELEMENTSOF(bodies); i++) {
		FILE *fp = fopen(f, "w");

		assert_non_null(fp);
		fputs(bodies[i], fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(extract(f, &dir, &e), -EBADMSG);
		assert_true(strlen(e.msg) > 0);
		hv_test_rmtree(dir);
	}
	assert_int_equal(extract(work, &dir, &e), -EBADMSG);	/* a directory */
	hv_test_rmtree(dir);
	unlink(f);
	assert_int_equal(extract(f, &dir, &e), -ENOENT);
	hv_test_rmtree(dir);
	hv_test_rmtree(work);
}

/* hv_capture_rmtree never follows a link out, and removes what it is given. */
static void
test_rmtree(void **state _unused_)
{
	char *outside = hv_test_root_from_text("f keep/me precious\n");
	char *tree = hv_test_root_from_text("f a/b/c/d/e/file x\n"
					    "d a/closed\n"
					    "f a/closed/inside y\n");
	_cleanup_free_ char *keep = path_in(outside, "keep/me");
	_cleanup_free_ char *outkeep = path_in(outside, "keep");
	_cleanup_free_ char *link = path_in(tree, "a/b/out");
	_cleanup_free_ char *closed = path_in(tree, "a/closed");
	_cleanup_free_ char *kept = NULL;

	assert_int_equal(symlink(outkeep, link), 0);
	assert_int_equal(chmod(closed, 0), 0);
	assert_int_equal(hv_capture_rmtree(tree), 0);
	assert_int_equal(access(tree, F_OK), -1);
	kept = hv_test_read(keep, NULL);
	assert_string_equal(kept, "precious\n");
	assert_int_equal(hv_capture_rmtree(tree), 0);	/* gone already */
	assert_int_equal(hv_capture_rmtree(""), -EINVAL);
	free(tree);
	hv_test_rmtree(outside);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_info_truncated),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_bad_blob),
		cmocka_unit_test(test_round_trip_fixtures),
		cmocka_unit_test(test_round_trip_live),
		cmocka_unit_test(test_write_failures),
		cmocka_unit_test(test_extract_good),
		cmocka_unit_test(test_extract_hostile),
		cmocka_unit_test(test_extract_bomb),
		cmocka_unit_test(test_extract_too_many),
		cmocka_unit_test(test_extract_corrupt),
		cmocka_unit_test(test_extract_not_tar),
		cmocka_unit_test(test_rmtree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
