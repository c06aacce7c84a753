/*
 * test-profile.c -- profiles: the built-in ones, user files, "extends"
 * chains with overrides and "off", every kind of bad input with its error
 * and line, and the verdict, score and exit code of audits through them.
 *
 * The hosts of the verdict tests carry only the facts the kvm-host checks
 * read; their values are those of tests/test-checks.c (this machine, an
 * Intel Xeon E5-2690 v4 with the Supermicro X10DAi DMAR, an AMD EPYC 7713
 * with the Supermicro H8DGU IVRS), see the corpus there.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlIO.h>

#include "hv-audit.h"
#include "hv-test.h"

#define NS "xmlns=\"urn:hwvirt:profile:1\""

/* ---- helpers ------------------------------------------------------------- */

#define assert_contains(hay, needle)						\
	do {									\
		const char *_h = (hay);						\
		if (!_h || !strstr(_h, (needle)))				\
			fail_msg("'%s' does not contain '%s'", _h ? _h : "(null)", \
				 (needle));					\
	} while (0)

static void
write_file(const char *dir, const char *name, const char *text)
{
	_cleanup_free_ char *path = hv_asprintf("%s/%s", dir, name);
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static bool
has_rule(const struct hv_profile *p, const char *id)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].check_id, id) == 0)
			return true;
	return false;
}

/* The rule for id; fails the test if there is none. */
static const struct hv_profile_rule *
rule(const struct hv_profile *p, const char *id)
{
	static const struct hv_profile_rule none;

	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].check_id, id) == 0)
			return &p->rules[i];
	fail_msg("no rule for %s", id);
	return &none;
}

static const char *
rule_param(const struct hv_profile_rule *r, const char *name)
{
	const char *v = NULL;

	for (size_t i = 0; i < r->n_params; i++)
		if (strcmp(r->params[i].name, name) == 0)
			v = r->params[i].value;
	return v;
}

static void
assert_table_order(const struct hv_profile *p)
{
	const struct hv_check *prev = NULL;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct hv_check *c = hv_check_find(p->rules[i].check_id);

		assert_non_null(c);
		assert_false(p->rules[i].disabled);
		if (prev)
			assert_true(c > prev);
		prev = c;
	}
}

/* Parse text; expect failure r at line with msg in the message. */
static void
expect_parse_error(const char *text, int r, unsigned line, const char *msg)
{
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	assert_int_equal(hv_profile_parse(text, strlen(text), "test.xml", &p, &e), r);
	assert_null(p);
	assert_string_equal(e.path, "test.xml");
	if (e.line != line)
		fail_msg("line %u, expected %u: %s", e.line, line, e.msg);
	assert_contains(e.msg, msg);
	assert_true(e.bad_input);
}

/* ---- the built-in profiles ----------------------------------------------- */

static void
test_builtin_list(void **state _unused_)
{
	assert_int_equal(hv_n_builtin_profiles, 3);
	assert_string_equal(hv_builtin_profiles[0], "kvm-host");
	assert_string_equal(hv_builtin_profiles[1], "passthrough");
	assert_string_equal(hv_builtin_profiles[2], "fast-net");
}

/* What is compiled in is what data/ holds, and every file validates. */
static void
test_builtin_data(void **state _unused_)
{
	static const char *const files[] = {
		"profiles/kvm-host.xml", "profiles/passthrough.xml",
		"profiles/fast-net.xml", "schema/profile.xsd",
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(files); i++) {
		_cleanup_free_ char *rel = hv_asprintf("data/%s", files[i]);
		_cleanup_free_ char *path = hv_test_srcpath(rel);
		size_t len, blen;
		_cleanup_free_ char *text = hv_test_read(path, &len);
		const char *b = hv_builtin_data(files[i], &blen);

		assert_non_null(b);
		assert_int_equal(blen, len);
		assert_memory_equal(b, text, len);
		if (i < 3) {
			struct hv_profile_error e = { 0 };
			struct hv_profile *p = NULL;

			if (hv_profile_parse(b, blen, files[i], &p, &e) < 0)
				fail_msg("%s:%u: %s", e.path, e.line, e.msg);
			assert_string_equal(p->name, hv_builtin_profiles[i]);
			assert_non_null(p->title);
			assert_non_null(p->description);
			assert_true(strlen(p->description) > 80);
			hv_profile_free(p);
		}
	}
	assert_null(hv_builtin_data("profiles/nope.xml", NULL));
}

static void
test_builtin_kvm_host(void **state _unused_)
{
	static const struct {
		const char *id;
		enum hv_severity sev;
	} want[] = {
		{ "cpu.virt_extensions", HV_SEVERITY_REQUIRED },
		{ "cpu.virt_enabled", HV_SEVERITY_REQUIRED },
		{ "cpu.ept_npt", HV_SEVERITY_REQUIRED },
		{ "cpu.guest", HV_SEVERITY_INFO },
		{ "kvm.usable", HV_SEVERITY_REQUIRED },
		{ "iommu.acpi", HV_SEVERITY_REQUIRED },
		{ "iommu.enabled", HV_SEVERITY_REQUIRED },
		{ "kernel.iommu_params", HV_SEVERITY_RECOMMENDED },
	};
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	assert_int_equal(hv_profile_load("kvm-host", &p, &e), 0);
	assert_string_equal(p->name, "kvm-host");
	assert_string_equal(p->source, "built-in");
	assert_string_equal(p->title, "Host that runs KVM guests");
	assert_null(p->extends);
	assert_int_equal(p->n_rules, HV_ELEMENTSOF(want));
	for (size_t i = 0; i < HV_ELEMENTSOF(want); i++) {
		assert_string_equal(p->rules[i].check_id, want[i].id);
		assert_int_equal(p->rules[i].severity, want[i].sev);
		assert_string_equal(p->rules[i].from, "kvm-host");
		assert_int_equal(p->rules[i].n_params, 0);
	}
	assert_table_order(p);
	hv_profile_free(p);
}

static void
test_builtin_chain(void **state _unused_)
{
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;
	const struct hv_profile_rule *r;

	assert_int_equal(hv_profile_load("passthrough", &p, &e), 0);
	assert_string_equal(p->extends, "kvm-host");
	assert_int_equal(p->n_rules, 10);
	r = rule(p, "iommu.mode");
	assert_int_equal(r->severity, HV_SEVERITY_REQUIRED);
	assert_string_equal(rule_param(r, "expect"), "any");
	assert_string_equal(r->from, "passthrough");
	assert_int_equal(rule(p, "kernel.vfio")->severity, HV_SEVERITY_RECOMMENDED);
	assert_string_equal(rule(p, "kvm.usable")->from, "kvm-host");
	assert_table_order(p);
	hv_profile_free(p);

	assert_int_equal(hv_profile_load("fast-net", &p, &e), 0);
	assert_string_equal(p->extends, "passthrough");
	assert_int_equal(p->n_rules, hv_n_checks);
	r = rule(p, "sriov.vfs_enabled");
	assert_string_equal(rule_param(r, "class"), "0200");
	assert_string_equal(rule_param(r, "min_vfs"), "1");
	assert_string_equal(rule_param(rule(p, "sriov.capable"), "class"), "0200");
	assert_int_equal(rule(p, "kernel.hugepages")->severity, HV_SEVERITY_RECOMMENDED);
	assert_string_equal(rule(p, "iommu.mode")->from, "passthrough");
	assert_string_equal(rule(p, "cpu.virt_extensions")->from, "kvm-host");
	assert_table_order(p);
	hv_profile_free(p);
}

/* hv_profile_parse keeps a document's own rules, "off" ones included. */
static void
test_parse_own_rules(void **state _unused_)
{
	static const char text[] =
		"<profile " NS " name=\"site\" extends=\"fast-net\">\n"
		"  <title>  Site\n  profile  </title>\n"
		"  <check id=\"sriov.capable\" severity=\"off\"/>\n"
		"  <check id=\"cpu.guest\" severity=\"recommended\"/>\n"
		"</profile>\n";
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	assert_int_equal(hv_profile_parse(text, strlen(text), "site.xml", &p, &e), 0);
	assert_string_equal(p->name, "site");
	assert_string_equal(p->title, "Site profile");
	assert_null(p->description);
	assert_string_equal(p->extends, "fast-net");
	assert_string_equal(p->source, "site.xml");
	assert_int_equal(p->n_rules, 2);
	/* in check-table order */
	assert_string_equal(p->rules[0].check_id, "cpu.guest");
	assert_false(p->rules[0].disabled);
	assert_string_equal(p->rules[1].check_id, "sriov.capable");
	assert_true(p->rules[1].disabled);
	hv_profile_free(p);
}

/* ---- user files, extends, overrides, off ------------------------------------ */

static void
test_user_file(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *path = hv_asprintf("%s/edge.xml", dir);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;
	const struct hv_profile_rule *r;

	write_file(dir, "edge.xml",
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<profile " NS " name=\"edge\" extends=\"fast-net\">\n"
		   "  <title>Edge</title>\n"
		   "  <check id=\"sriov.vfs_enabled\" severity=\"recommended\">\n"
		   "    <param name=\"min_vfs\"> 4 </param>\n"
		   "    <param name=\"device\">8086:*</param>\n"
		   "    <param name=\"device\">15b3:101b</param>\n"
		   "  </check>\n"
		   "  <check id=\"cpu.guest\" severity=\"off\"/>\n"
		   "  <check id=\"kernel.vfio\" severity=\"required\"/>\n"
		   "  <check id=\"iommu.mode\" severity=\"required\">\n"
		   "    <param name=\"expect\">translated</param>\n"
		   "  </check>\n"
		   "</profile>\n");
	assert_int_equal(hv_profile_load(path, &p, &e), 0);
	assert_string_equal(p->name, "edge");
	assert_string_equal(p->source, path);
	assert_int_equal(p->n_rules, hv_n_checks - 1);
	assert_false(has_rule(p, "cpu.guest"));
	r = rule(p, "sriov.vfs_enabled");
	assert_int_equal(r->severity, HV_SEVERITY_RECOMMENDED);
	assert_string_equal(r->from, "edge");
	/* the rule replaces the inherited one, parameters and all */
	assert_int_equal(r->n_params, 3);
	assert_string_equal(rule_param(r, "min_vfs"), "4");
	assert_null(rule_param(r, "class"));
	assert_int_equal(rule(p, "kernel.vfio")->severity, HV_SEVERITY_REQUIRED);
	assert_string_equal(rule_param(rule(p, "iommu.mode"), "expect"), "translated");
	assert_string_equal(rule(p, "sriov.capable")->from, "fast-net");
	assert_table_order(p);
	hv_profile_free(p);
	hv_test_rmtree(dir);
}

/* extends by path: relative to the extending file's directory */
static void
test_extends_relative(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *sub = hv_asprintf("%s/sub", dir);
	_cleanup_free_ char *path = hv_asprintf("%s/a.xml", dir);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	assert_int_equal(mkdir(sub, 0755), 0);
	write_file(dir, "a.xml",
		   "<profile " NS " name=\"a\" extends=\"sub/b.xml\">\n"
		   "  <title>A</title>\n"
		   "  <check id=\"kernel.hugepages\" severity=\"required\">\n"
		   "    <param name=\"min_pages\">8</param>\n"
		   "  </check>\n"
		   "</profile>\n");
	write_file(sub, "b.xml",
		   "<profile " NS " name=\"b\" extends=\"../c.xml\">\n"
		   "  <title>B</title>\n"
		   "  <check id=\"kvm.usable\" severity=\"off\"/>\n"
		   "  <check id=\"kernel.hugepages\" severity=\"info\"/>\n"
		   "</profile>\n");
	write_file(dir, "c.xml",
		   "<profile " NS " name=\"c\" extends=\"kvm-host\">\n"
		   "  <title>C</title>\n"
		   "  <check id=\"cpu.guest\" severity=\"required\"/>\n"
		   "</profile>\n");
	assert_int_equal(hv_profile_load(path, &p, &e), 0);
	assert_string_equal(p->name, "a");
	assert_string_equal(p->extends, "sub/b.xml");
	assert_false(has_rule(p, "kvm.usable"));
	assert_int_equal(rule(p, "cpu.guest")->severity, HV_SEVERITY_REQUIRED);
	assert_string_equal(rule(p, "cpu.guest")->from, "c");
	assert_int_equal(rule(p, "kernel.hugepages")->severity, HV_SEVERITY_REQUIRED);
	assert_string_equal(rule_param(rule(p, "kernel.hugepages"), "min_pages"), "8");
	assert_string_equal(rule(p, "iommu.enabled")->from, "kvm-host");
	assert_int_equal(p->n_rules, 8);	/* kvm-host's 8, -1 off, +1 */
	assert_table_order(p);
	hv_profile_free(p);

	/* a missing file in the chain: named, with the line that refers to it */
	write_file(dir, "c.xml",
		   "<profile " NS "\n"
		   "  name=\"c\" extends=\"gone.xml\">\n"
		   "  <title>C</title>\n"
		   "</profile>\n");
	assert_int_equal(hv_profile_load(path, &p, &e), -ENOENT);
	assert_contains(e.path, "c.xml");
	assert_int_equal(e.line, 2);	/* where the start tag ends */
	assert_contains(e.msg, "gone.xml");
	assert_contains(e.msg, "No such file or directory");
	hv_test_rmtree(dir);
}

static void
test_extends_cycle(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *path = hv_asprintf("%s/a.xml", dir);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	write_file(dir, "a.xml", "<profile " NS " name=\"a\" extends=\"b.xml\">"
		   "<title>A</title></profile>\n");
	write_file(dir, "b.xml", "<?xml version=\"1.0\"?>\n<profile " NS
		   " name=\"b\" extends=\"./a.xml\"><title>B</title></profile>\n");
	assert_int_equal(hv_profile_load(path, &p, &e), -ELOOP);
	assert_null(p);
	assert_contains(e.path, "b.xml");
	assert_int_equal(e.line, 2);
	assert_contains(e.msg, "extends cycle: ");
	assert_contains(e.msg, "a.xml -> ");
	assert_contains(e.msg, "b.xml -> ");
	assert_true(e.bad_input);

	/* a profile that extends itself */
	write_file(dir, "a.xml", "<profile " NS " name=\"a\" extends=\"a.xml\">"
		   "<title>A</title></profile>\n");
	assert_int_equal(hv_profile_load(path, &p, &e), -ELOOP);
	assert_contains(e.msg, "extends cycle");
	hv_test_rmtree(dir);
}

static void
test_extends_depth(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	/* p1 extends p2 ... p8 extends kvm-host: 9 profiles */
	for (int i = 1; i <= HV_PROFILE_MAX_DEPTH; i++) {
		char name[32], text[512];

		snprintf(name, sizeof(name), "p%d.xml", i);
		if (i < HV_PROFILE_MAX_DEPTH)
			snprintf(text, sizeof(text), "<profile " NS " name=\"p%d\" "
				 "extends=\"p%d.xml\"><title>P</title></profile>\n",
				 i, i + 1);
		else
			snprintf(text, sizeof(text), "<profile " NS " name=\"p%d\" "
				 "extends=\"kvm-host\"><title>P</title></profile>\n", i);
		write_file(dir, name, text);
	}
	{
		_cleanup_free_ char *p2 = hv_asprintf("%s/p2.xml", dir);
		_cleanup_free_ char *p1 = hv_asprintf("%s/p1.xml", dir);

		/* 8 deep: p2 .. p8, kvm-host */
		assert_int_equal(hv_profile_load(p2, &p, &e), 0);
		assert_int_equal(p->n_rules, 8);
		hv_profile_free(p);
		/* 9 deep */
		assert_int_equal(hv_profile_load(p1, &p, &e), -ELOOP);
		assert_contains(e.msg, "extends chain deeper than 8 profiles");
		assert_contains(e.path, "p8.xml");
	}
	hv_test_rmtree(dir);
}

/* ---- bad input -------------------------------------------------------------- */

static void
test_malformed(void **state _unused_)
{
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"info\">\n</profile>\n",
			   -EBADMSG, 4, "malformed XML: Opening and ending tag mismatch");
	/* truncated in the middle of a tag */
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n  <che",
			   -EBADMSG, 3, "malformed XML");
	expect_parse_error("", -EBADMSG, 1, "malformed XML");
	expect_parse_error("not xml at all\n", -EBADMSG, 1, "malformed XML");
	/* corrupted: a NUL byte and invalid UTF-8 */
	expect_parse_error("<profile " NS " name=\"x\">\n<title>t\xff\xfe</title>"
			   "</profile>\n", -EBADMSG, 2, "malformed XML");
	{
		static const char nul[] = "<profile " NS " name=\"x\">\n<title>a\0b"
					  "</title></profile>\n";
		struct hv_profile_error e = { 0 };
		struct hv_profile *p = NULL;

		assert_int_equal(hv_profile_parse(nul, sizeof(nul) - 1, "nul.xml", &p,
						  &e), -EBADMSG);
		assert_int_equal(e.line, 2);
	}
	expect_parse_error("<profile " NS " name=\"x\">\n<title>t</title></profile>\n"
			   "<profile " NS " name=\"y\"/>\n", -EBADMSG, 3,
			   "Extra content at the end of the document");
}

static void
test_wrong_namespace(void **state _unused_)
{
	expect_parse_error("<?xml version=\"1.0\"?>\n"
			   "<profile xmlns=\"urn:hwvirt:profile:2\" name=\"x\">\n"
			   "<title>t</title></profile>\n",
			   -EBADMSG, 2, "not <profile> in namespace urn:hwvirt:profile:1");
	expect_parse_error("<profile name=\"x\"><title>t</title></profile>\n",
			   -EBADMSG, 1, "namespace");
	expect_parse_error("<profiles " NS " name=\"x\"><title>t</title></profiles>\n",
			   -EBADMSG, 1, "not <profile>");
	/* the right root, a child from elsewhere */
	expect_parse_error("<profile " NS " name=\"x\">\n<title>t</title>\n"
			   "<check xmlns=\"urn:other\" id=\"cpu.guest\" severity=\"info\"/>\n"
			   "</profile>\n", -EBADMSG, 3, "This element is not expected");
}

static void
test_schema_errors(void **state _unused_)
{
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <chek id=\"cpu.guest\" severity=\"info\"/>\n</profile>\n",
			   -EBADMSG, 3, "Element 'chek': This element is not expected");
	expect_parse_error("<profile " NS " name=\"x\">\n"
			   "  <check id=\"cpu.guest\" severity=\"info\"/>\n</profile>\n",
			   -EBADMSG, 2, "Element 'check': This element is not expected. "
			   "Expected is ( title )");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"mandatory\"/>\n"
			   "</profile>\n", -EBADMSG, 3, "'mandatory'");
	expect_parse_error("<profile " NS ">\n  <title>t</title>\n</profile>\n",
			   -EBADMSG, 1, "The attribute 'name' is required");
	expect_parse_error("<profile " NS " name=\"a b\">\n  <title>t</title>\n"
			   "</profile>\n", -EBADMSG, 1, "'a b'");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"info\"/>\n"
			   "  <check id=\"cpu.guest\" severity=\"required\"/>\n"
			   "</profile>\n", -EBADMSG, 4, "Duplicate key-sequence");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"info\" extra=\"1\"/>\n"
			   "</profile>\n", -EBADMSG, 3, "'extra' is not allowed");
}

static void
test_unknown_check(void **state _unused_)
{
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"info\"/>\n"
			   "  <check id=\"iommu.enabld\" severity=\"required\"/>\n"
			   "</profile>\n", -EINVAL, 4, "unknown check id 'iommu.enabld'");
}

static void
test_bad_params(void **state _unused_)
{
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"sriov.vfs_enabled\" severity=\"required\">\n"
			   "    <param name=\"min_vf\">4</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4,
			   "check sriov.vfs_enabled has no parameter 'min_vf' "
			   "(it takes: min_vfs, class, device)");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"sriov.capable\" severity=\"required\">\n"
			   "    <param name=\"class\">0200</param>\n"
			   "    <param name=\"class\">02x0</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 5, "'02x0' is not a PCI class");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"sriov.capable\" severity=\"required\">\n"
			   "    <param name=\"device\">8086</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4, "'8086' is not a PCI id");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"iommu.mode\" severity=\"required\">\n"
			   "    <param name=\"expect\">strict</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4, "'strict' is not one of the accepted");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"kernel.hugepages\" severity=\"required\">\n"
			   "    <param name=\"min_pages\">-1</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4, "'-1' is not a whole number");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"kernel.hugepages\" severity=\"required\">\n"
			   "    <param name=\"min_pages\">1</param>\n"
			   "    <param name=\"min_pages\">2</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 5, "'min_pages' is given twice");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"cpu.guest\" severity=\"info\">\n"
			   "    <param name=\"x\">1</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4, "(it takes: none)");
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"kernel.hugepages\" severity=\"off\">\n"
			   "    <param name=\"min_pages\">1</param>\n  </check>\n"
			   "</profile>\n", -EINVAL, 4, "is off: it takes no parameters");
	/* an empty value is refused by the schema */
	expect_parse_error("<profile " NS " name=\"x\">\n  <title>t</title>\n"
			   "  <check id=\"kernel.hugepages\" severity=\"required\">\n"
			   "    <param name=\"min_pages\"></param>\n  </check>\n"
			   "</profile>\n", -EBADMSG, 4, "Element 'param': [facet 'minLength']");
}

/* Every URI libxml2 tries to open while the callbacks are registered. */
static unsigned n_opened;

static int
record_open(const char *uri _unused_)
{
	n_opened++;
	return 0;	/* not ours: the default handlers would go on */
}

static void
test_doctype(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *secret = hv_asprintf("%s/secret", dir);
	_cleanup_free_ char *text = NULL;
	int id;

	write_file(dir, "secret", "TOP-SECRET\n");
	text = hv_asprintf("<?xml version=\"1.0\"?>\n"
			   "<!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
			   "<!ENTITY y SYSTEM \"file://%s\">]>\n"
			   "<profile " NS " name=\"x\"><title>&x;&y;</title></profile>\n",
			   secret);
	assert_non_null(text);
	n_opened = 0;
	id = xmlRegisterInputCallbacks(record_open, NULL, NULL, NULL);
	assert_true(id >= 0);
	expect_parse_error(text, -EBADMSG, 2, "a DOCTYPE is not accepted");
	expect_parse_error("<?xml version=\"1.0\"?>\n"
			   "<!DOCTYPE profile SYSTEM \"file:///etc/passwd\">\n"
			   "<profile " NS " name=\"x\"><title>t</title></profile>\n",
			   -EBADMSG, 2, "DOCTYPE");
	expect_parse_error("<?xml version=\"1.0\"?>\n"
			   "<!DOCTYPE profile PUBLIC \"-//x//y\" \"http://127.0.0.1:9/x.dtd\">\n"
			   "<profile " NS " name=\"x\"><title>t</title></profile>\n",
			   -EBADMSG, 2, "DOCTYPE");
	/* internal entities too (billion laughs) */
	expect_parse_error("<?xml version=\"1.0\"?>\n<!DOCTYPE p [\n"
			   "<!ENTITY a \"aaaaaaaaaa\">\n"
			   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
			   "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
			   "<profile " NS " name=\"x\"><title>&c;</title></profile>\n",
			   -EBADMSG, 2, "DOCTYPE");
	assert_int_equal(n_opened, 0);

	/* the control: a parser told to substitute entities does open them */
	{
		_cleanup_free_ char *ctl = hv_asprintf(
			"<!DOCTYPE p [<!ENTITY y SYSTEM \"file://%s\">]><p>&y;</p>",
			secret);
		xmlDocPtr doc;

		assert_non_null(ctl);
		doc = xmlReadMemory(ctl, (int)strlen(ctl), "ctl.xml", NULL,
				    XML_PARSE_NOENT | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
		xmlFreeDoc(doc);
		assert_true(n_opened > 0);
	}
	assert_int_equal(xmlPopInputCallbacks(), id);
	hv_test_rmtree(dir);
}

static void
test_size_bound(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *path = hv_asprintf("%s/big.xml", dir);
	static const char head[] =
		"<profile " NS " name=\"x\"><title>t</title></profile><!--";
	size_t n = HV_PROFILE_MAX_SIZE + 1;
	char *big = malloc(n + 1);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;
	FILE *f;

	assert_non_null(big);
	/* a valid document, padded with a comment past the bound */
	memset(big, ' ', n);
	memcpy(big, head, strlen(head));
	memcpy(big + n - 3, "-->", 3);
	big[n] = '\0';
	assert_int_equal(hv_profile_parse(big, n, "big.xml", &p, &e), -EFBIG);
	assert_contains(e.msg, "larger than 1048576 bytes");
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(big, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(hv_profile_load(path, &p, &e), -EFBIG);
	assert_string_equal(e.path, path);
	assert_contains(e.msg, "larger than");
	assert_true(e.bad_input);
	free(big);
	hv_test_rmtree(dir);
}

static void
test_missing(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *xdir = hv_asprintf("%s/dir.xml", dir);
	_cleanup_free_ char *fifo = hv_asprintf("%s/fifo.xml", dir);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;

	assert_int_equal(hv_profile_load("/nonexistent/x.xml", &p, &e), -ENOENT);
	assert_string_equal(e.path, "/nonexistent/x.xml");
	assert_contains(e.msg, "No such file or directory");
	assert_true(e.bad_input);

	assert_int_equal(hv_profile_load("gpu-huge", &p, &e), -ENOENT);
	assert_contains(e.msg, "unknown profile 'gpu-huge'");
	assert_contains(e.msg, "kvm-host, passthrough, fast-net");
	assert_int_equal(hv_profile_load("bad name!", &p, &e), -ENOENT);
	assert_contains(e.msg, "not a profile name");
	assert_int_equal(hv_profile_load("", &p, &e), -ENOENT);

	/* not a regular file: a directory, a FIFO (never blocks) */
	assert_int_equal(mkdir(xdir, 0755), 0);
	assert_int_equal(hv_profile_load(xdir, &p, &e), -EINVAL);
	assert_contains(e.msg, "not a regular file");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	assert_int_equal(hv_profile_load(fifo, &p, &e), -EINVAL);
	assert_null(p);
	hv_test_rmtree(dir);
}

/* The site profile of hwvirt-profile(5)'s EXAMPLES loads as written. */
static void
test_man_example(void **state _unused_)
{
	_cleanup_free_ char *man_path = hv_test_srcpath("man/hwvirt-profile.5");
	_cleanup_free_ char *man = hv_test_read(man_path, NULL);
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *path = hv_asprintf("%s/edge-net.xml", dir);
	struct hv_profile_error e = { 0 };
	struct hv_profile *p = NULL;
	const char *start = strstr(man, ".Bd -literal");
	const char *end;
	char *text;

	assert_non_null(start);
	start = strchr(start, '\n') + 1;
	end = strstr(start, ".Ed\n");
	assert_non_null(end);
	text = strndup(start, (size_t)(end - start));
	assert_non_null(text);
	write_file(dir, "edge-net.xml", text);
	free(text);
	if (hv_profile_load(path, &p, &e) < 0)
		fail_msg("%s:%u: %s", e.path, e.line, e.msg);
	assert_string_equal(p->name, "edge-net");
	assert_string_equal(p->extends, "fast-net");
	assert_false(has_rule(p, "cpu.guest"));
	assert_string_equal(rule_param(rule(p, "sriov.vfs_enabled"), "min_vfs"), "4");
	assert_string_equal(rule_param(rule(p, "sriov.vfs_enabled"), "device"), "8086:*");
	assert_int_equal(rule(p, "kernel.hugepages")->severity, HV_SEVERITY_REQUIRED);
	assert_string_equal(rule_param(rule(p, "iommu.mode"), "expect"), "translated");
	hv_profile_free(p);
	hv_test_rmtree(dir);
}

/* ---- verdicts, scores, exit codes ------------------------------------------ */

static void
fact_ok(struct hv_fact *f, const char *source)
{
	assert_int_equal(hv_fact_set_ok(f, source), 0);
}

static void
module_add(struct hv_host *h, const char *name, enum hv_tri loaded, bool builtin)
{
	struct hv_kernel *k = &h->kernel;

	k->modules = realloc(k->modules, (k->n_modules + 1) * sizeof(*k->modules));
	assert_non_null(k->modules);
	k->modules[k->n_modules++] = (struct hv_module){
		.name = strdup(name), .loaded = loaded, .builtin = builtin,
		.available = HV_TRI_UNKNOWN,
	};
}

static void
cmdline_add(struct hv_host *h, const char *key, const char *value)
{
	struct hv_cmdline *c = &h->kernel.cmdline;

	fact_ok(&h->kernel.cmdline_fact, "proc/cmdline");
	assert_int_equal(HV_GROW(c->params, c->cap, c->n_params + 1), 0);
	c->params[c->n_params++] = (struct hv_kparam){
		.key = strdup(key), .value = value ? strdup(value) : NULL,
	};
}

static void
tables(struct hv_host *h)
{
	struct hv_acpi_table *t[] = {
		&h->acpi.dmar, &h->acpi.ivrs, &h->acpi.viot, &h->acpi.iort,
	};

	fact_ok(&h->acpi.tables_fact, "sys/firmware/acpi/tables");
	for (size_t i = 0; i < HV_ELEMENTSOF(t); i++)
		assert_int_equal(hv_fact_set_absent(&t[i]->fact, "sys/firmware/acpi/"
						    "tables/X"), 0);
}

static void
iommu_unit(struct hv_host *h, const char *name)
{
	struct hv_iommu *io = &h->iommu;

	fact_ok(&io->units_fact, "sys/class/iommu");
	io->units = realloc(io->units, (io->n_units + 1) * sizeof(*io->units));
	assert_non_null(io->units);
	io->units[io->n_units++] = (struct hv_iommu_unit){ .name = strdup(name) };
}

/* The Xeon of test-checks.c, with what kvm-host reads. */
static struct hv_host *
host_ready_intel(void)
{
	struct hv_host *h = hv_host_new();

	assert_non_null(h);
	fact_ok(&h->cpu.cpuid, "hwvirt/cpuid.txt");
	h->cpu.vendor = HV_CPU_VENDOR_INTEL;
	snprintf(h->cpu.vendor_id, sizeof(h->cpu.vendor_id), "GenuineIntel");
	h->cpu.vmx = true;
	fact_ok(&h->cpu.cpuinfo, "proc/cpuinfo");
	assert_int_equal(hv_strv_add(&h->cpu.flags, "vmx"), 0);
	h->cpu.virt_enabled = HV_TRI_YES;
	h->cpu.ept = h->cpu.unrestricted_guest = HV_TRI_YES;
	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm_intel", HV_TRI_YES, false);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 12;
	cmdline_add(h, "ro", NULL);
	cmdline_add(h, "intel_iommu", "on");
	tables(h);
	h->acpi.dmar.present = true;
	fact_ok(&h->acpi.dmar.fact, "sys/firmware/acpi/tables/DMAR");
	snprintf(h->acpi.dmar.oem_id, sizeof(h->acpi.dmar.oem_id), "ALASKA");
	iommu_unit(h, "dmar0");
	h->iommu.state = HV_IOMMU_STATE_TRANSLATED;
	return h;
}

/* This machine: an AMD EPYC KVM guest without SVM, kvm_pvm, no IOMMU. */
static struct hv_host *
host_this_machine(void)
{
	struct hv_host *h = hv_host_new();

	assert_non_null(h);
	fact_ok(&h->cpu.cpuid, "cpuid");
	h->cpu.vendor = HV_CPU_VENDOR_AMD;
	snprintf(h->cpu.vendor_id, sizeof(h->cpu.vendor_id), "AuthenticAMD");
	h->cpu.hypervisor = true;
	snprintf(h->cpu.hypervisor_id, sizeof(h->cpu.hypervisor_id), "KVMKVMKVM");
	fact_ok(&h->cpu.cpuinfo, "proc/cpuinfo");
	assert_int_equal(hv_strv_add(&h->cpu.flags, "hypervisor"), 0);
	h->cpu.virt_enabled = HV_TRI_NO;
	fact_ok(&h->kernel.modules_fact, "sys/module");
	module_add(h, "kvm", HV_TRI_YES, false);
	module_add(h, "kvm_pvm", HV_TRI_YES, true);
	fact_ok(&h->kernel.dev_kvm_fact, "dev/kvm");
	h->kernel.dev_kvm = h->kernel.dev_kvm_usable = HV_TRI_YES;
	h->kernel.kvm_api_version = 12;
	cmdline_add(h, "console", "ttyS0");
	cmdline_add(h, "nested_pvm", "1");
	tables(h);
	fact_ok(&h->iommu.units_fact, "sys/class/iommu");
	h->iommu.state = HV_IOMMU_STATE_ABSENT;
	return h;
}

static struct hv_audit *
audit(const struct hv_host *h, const char *const *names, size_t n)
{
	struct hv_profile *p[4] = { NULL };
	struct hv_audit *a = NULL;

	assert_true(n <= HV_ELEMENTSOF(p));
	for (size_t i = 0; i < n; i++) {
		struct hv_profile_error e = { 0 };

		if (hv_profile_load(names[i], &p[i], &e) < 0)
			fail_msg("%s: %s", names[i], e.msg);
	}
	assert_int_equal(hv_audit_run(h, p, n, &a), 0);
	for (size_t i = 0; i < n; i++)
		hv_profile_free(p[i]);
	return a;
}

static const struct hv_finding *
finding(const struct hv_audit *a, const char *id)
{
	static const struct hv_finding none;

	for (size_t i = 0; i < a->n_findings; i++)
		if (strcmp(a->findings[i].check->id, id) == 0)
			return &a->findings[i];
	fail_msg("no finding %s", id);
	return &none;
}

static void
test_verdict_ready(void **state _unused_)
{
	static const char *const kvm[] = { "kvm-host" };
	struct hv_host *h = host_ready_intel();
	struct hv_audit *a = audit(h, kvm, 1);

	assert_int_equal(a->n_findings, 8);
	assert_int_equal(a->counts[HV_STATUS_PASS], 8);
	assert_int_equal(a->verdict, HV_VERDICT_READY);
	assert_int_equal(a->score, 100);
	assert_int_equal(hv_audit_exit_code(a, false), HV_EXIT_READY);
	assert_int_equal(hv_audit_exit_code(a, true), HV_EXIT_READY);
	hv_audit_free(a);
	hv_host_free(h);
}

/* A recommended check that fails is a warning: degraded, 0 unless strict. */
static void
test_verdict_degraded(void **state _unused_)
{
	static const char *const kvm[] = { "kvm-host" };
	struct hv_host *h = host_ready_intel();
	struct hv_audit *a;

	cmdline_add(h, "pcie_acs_override", "downstream");
	a = audit(h, kvm, 1);
	assert_int_equal(finding(a, "kernel.iommu_params")->status, HV_STATUS_WARN);
	assert_int_equal(a->counts[HV_STATUS_WARN], 1);
	assert_int_equal(a->verdict, HV_VERDICT_DEGRADED);
	/* 6 required x 3 x 2 = 36 of 36, the recommended warning 1 of 2 */
	assert_int_equal(a->score, 97);
	assert_int_equal(hv_audit_exit_code(a, false), HV_EXIT_READY);
	assert_int_equal(hv_audit_exit_code(a, true), HV_EXIT_NOT_READY);
	hv_audit_free(a);

	/* iommu=off: a recommended failure still only warns, but iommu.enabled
	 * (required) judges the state, not the parameter */
	cmdline_add(h, "iommu", "off");
	a = audit(h, kvm, 1);
	assert_int_equal(finding(a, "kernel.iommu_params")->status, HV_STATUS_WARN);
	assert_contains(finding(a, "kernel.iommu_params")->message, "iommu=off");
	assert_int_equal(a->verdict, HV_VERDICT_DEGRADED);
	hv_audit_free(a);
	hv_host_free(h);
}

static void
test_verdict_not_ready(void **state _unused_)
{
	static const char *const kvm[] = { "kvm-host" };
	static const char *const both[] = { "kvm-host", "fast-net" };
	struct hv_host *h = host_this_machine();
	struct hv_audit *a = audit(h, kvm, 1);

	assert_int_equal(finding(a, "cpu.virt_extensions")->status, HV_STATUS_FAIL);
	assert_int_equal(finding(a, "cpu.virt_enabled")->status, HV_STATUS_SKIP);
	assert_int_equal(finding(a, "cpu.ept_npt")->status, HV_STATUS_SKIP);
	assert_int_equal(finding(a, "cpu.guest")->status, HV_STATUS_WARN);
	assert_int_equal(finding(a, "kvm.usable")->status, HV_STATUS_WARN);
	assert_int_equal(finding(a, "iommu.acpi")->status, HV_STATUS_FAIL);
	assert_int_equal(finding(a, "iommu.enabled")->status, HV_STATUS_FAIL);
	assert_int_equal(finding(a, "kernel.iommu_params")->status, HV_STATUS_PASS);
	assert_int_equal(a->verdict, HV_VERDICT_NOT_READY);
	/* required: 3 fails, 1 warn; recommended: 1 pass -> (3 + 2) / 26 */
	assert_int_equal(a->score, 19);
	assert_int_equal(hv_audit_exit_code(a, false), HV_EXIT_NOT_READY);
	assert_int_equal(hv_audit_exit_code(a, true), HV_EXIT_NOT_READY);
	hv_audit_free(a);

	/* two profiles: each check once, in table order */
	a = audit(h, both, 2);
	assert_int_equal(a->n_findings, hv_n_checks);
	for (size_t i = 0; i < a->n_findings; i++)
		assert_ptr_equal(a->findings[i].check, &hv_checks[i]);
	assert_int_equal(finding(a, "sriov.vfs_enabled")->status, HV_STATUS_SKIP);
	assert_int_equal(finding(a, "iommu.mode")->status, HV_STATUS_SKIP);
	assert_int_equal(a->verdict, HV_VERDICT_NOT_READY);
	hv_audit_free(a);
	hv_host_free(h);
}

/* Nothing could be read: every counted check unknown, exit 3. */
static void
test_verdict_unknown(void **state _unused_)
{
	static const char *const kvm[] = { "kvm-host" };
	struct hv_host *h = hv_host_new();
	struct hv_audit *a;

	assert_non_null(h);
	assert_int_equal(hv_fact_set_unknown(&h->cpu.cpuid, "hwvirt/cpuid.txt",
					     -EACCES), 0);
	assert_int_equal(hv_fact_set_unknown(&h->cpu.cpuinfo, "proc/cpuinfo",
					     -EACCES), 0);
	a = audit(h, kvm, 1);
	assert_int_equal(a->counts[HV_STATUS_PASS], 0);
	assert_int_equal(a->counts[HV_STATUS_FAIL], 0);
	assert_int_equal(a->counts[HV_STATUS_WARN], 0);
	assert_int_equal(finding(a, "cpu.virt_extensions")->status, HV_STATUS_UNKNOWN);
	assert_contains(finding(a, "cpu.virt_extensions")->message, "needs root");
	assert_int_equal(finding(a, "cpu.virt_enabled")->status, HV_STATUS_SKIP);
	assert_int_equal(finding(a, "kvm.usable")->status, HV_STATUS_UNKNOWN);
	assert_int_equal(finding(a, "iommu.enabled")->status, HV_STATUS_UNKNOWN);
	assert_int_equal(finding(a, "kernel.iommu_params")->status, HV_STATUS_UNKNOWN);
	assert_int_equal(a->verdict, HV_VERDICT_UNKNOWN);
	assert_int_equal(a->score, 0);
	assert_int_equal(hv_audit_exit_code(a, false), HV_EXIT_UNKNOWN);
	assert_int_equal(hv_audit_exit_code(a, true), HV_EXIT_UNKNOWN);
	hv_audit_free(a);
	hv_host_free(h);
}

/* A site profile can make a warning a failure, or switch a check off. */
static void
test_verdict_site_profile(void **state _unused_)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *strict = hv_asprintf("%s/strict.xml", dir);
	_cleanup_free_ char *lax = hv_asprintf("%s/lax.xml", dir);
	const char *names[1];
	struct hv_host *h = host_ready_intel();
	struct hv_audit *a;

	cmdline_add(h, "amd_iommu", "on");	/* no effect on Intel: a note */
	cmdline_add(h, "intremap", "off");
	write_file(dir, "strict.xml",
		   "<profile " NS " name=\"strict\" extends=\"kvm-host\">"
		   "<title>S</title>"
		   "<check id=\"kernel.iommu_params\" severity=\"required\"/>"
		   "</profile>\n");
	write_file(dir, "lax.xml",
		   "<profile " NS " name=\"lax\" extends=\"kvm-host\">"
		   "<title>L</title>"
		   "<check id=\"kernel.iommu_params\" severity=\"off\"/>"
		   "</profile>\n");
	names[0] = strict;
	a = audit(h, names, 1);
	assert_int_equal(finding(a, "kernel.iommu_params")->severity,
			 HV_SEVERITY_REQUIRED);
	assert_int_equal(finding(a, "kernel.iommu_params")->status, HV_STATUS_WARN);
	assert_int_equal(a->verdict, HV_VERDICT_DEGRADED);
	hv_audit_free(a);
	names[0] = lax;
	a = audit(h, names, 1);
	assert_int_equal(a->n_findings, 7);
	assert_int_equal(a->verdict, HV_VERDICT_READY);
	assert_int_equal(a->score, 100);
	hv_audit_free(a);
	hv_host_free(h);
	hv_test_rmtree(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_list),
		cmocka_unit_test(test_builtin_data),
		cmocka_unit_test(test_builtin_kvm_host),
		cmocka_unit_test(test_builtin_chain),
		cmocka_unit_test(test_parse_own_rules),
		cmocka_unit_test(test_user_file),
		cmocka_unit_test(test_extends_relative),
		cmocka_unit_test(test_extends_cycle),
		cmocka_unit_test(test_extends_depth),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_unknown_check),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_doctype),
		cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_man_example),
		cmocka_unit_test(test_verdict_ready),
		cmocka_unit_test(test_verdict_degraded),
		cmocka_unit_test(test_verdict_not_ready),
		cmocka_unit_test(test_verdict_unknown),
		cmocka_unit_test(test_verdict_site_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
