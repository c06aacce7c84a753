/* test-cmdline.c -- the kernel command line parser against the kernel's own rules. */
#include <stdio.h>

#include "hv-probe.h"
#include "hv-test.h"

/* One expected parameter; value NULL for a bare flag. */
struct kv {
	const char *key;
	const char *value;
};

/*
 * A case: the input and the parameters the kernel's parse_args() hands to
 * parse_one(), worked out by hand from next_arg() (lib/cmdline.c).
 */
struct ccase {
	const char *in;
	size_t n;
	struct kv p[6];
};

static const struct ccase cases[] = {
	/* empty and blank lines */
	{ "", 0, { { 0 } } },
	{ "   \t\n", 0, { { 0 } } },
	/* flags, values, whitespace of every kind the kernel knows */
	{ "quiet", 1, { { "quiet", NULL } } },
	{ "  ro  quiet ", 2, { { "ro", NULL }, { "quiet", NULL } } },
	{ "a=b c=d", 2, { { "a", "b" }, { "c", "d" } } },
	{ "a\tb\nc\vd\fe\rf", 6, { { "a", NULL }, { "b", NULL },
				   { "c", NULL }, { "d", NULL },
				   { "e", NULL }, { "f", NULL } } },
	/* lib/ctype.c: 0xa0 (Latin-1 no-break space) is a space too */
	{ "a\xa0" "b", 2, { { "a", NULL }, { "b", NULL } } },
	/* the first '=' splits; the rest is the value */
	{ "a=b=c", 1, { { "a", "b=c" } } },
	{ "root=UUID=0b1c-22 ro", 2, { { "root", "UUID=0b1c-22" },
				       { "ro", NULL } } },
	/* empty value */
	{ "a=", 1, { { "a", "" } } },
	{ "a= b", 2, { { "a", "" }, { "b", NULL } } },
	/* '=' at index 0 does not split (index 0 means "none" there) */
	{ "=a", 1, { { "=a", NULL } } },
	{ "=a=b", 1, { { "=a", "b" } } },
	/* quotes group and are removed */
	{ "a=\"b c\" d", 2, { { "a", "b c" }, { "d", NULL } } },
	{ "\"a b\" c", 2, { { "a b", NULL }, { "c", NULL } } },
	{ "\"a=b c\"", 1, { { "a", "b c" } } },
	{ "\"a\"", 1, { { "a", NULL } } },
	{ "a=\"\"", 1, { { "a", "" } } },
	{ "a=\"", 1, { { "a", "" } } },
	/* a lone quote: an empty key, as the kernel has it */
	{ "\"", 1, { { "", NULL } } },
	/* the closing quote is only removed at the very end */
	{ "a=\"b\"c", 1, { { "a", "b\"c" } } },
	{ "a=b\"c d\" e", 2, { { "a", "b\"c d\"" }, { "e", NULL } } },
	/* a quoted key keeps the quote before '=' */
	{ "\"a b\"=c", 1, { { "a b\"", "c" } } },
	/* an unclosed quote runs to the end */
	{ "a=\"b c d=e", 1, { { "a", "b c d=e" } } },
	{ "x \"y z", 2, { { "x", NULL }, { "y z", NULL } } },
	/* "--" ends the kernel's part; only a bare one */
	{ "a b -- c=d e", 2, { { "a", NULL }, { "b", NULL } } },
	{ "-- a", 0, { { 0 } } },
	{ "a --=x b", 3, { { "a", NULL }, { "--", "x" }, { "b", NULL } } },
	{ "a \"--\" b", 1, { { "a", NULL } } },
	{ "a ---", 2, { { "a", NULL }, { "---", NULL } } },
	/* duplicates are kept, in order */
	{ "iommu=pt iommu=off iommu=pt", 3, { { "iommu", "pt" },
					      { "iommu", "off" },
					      { "iommu", "pt" } } },
	/* dashes are kept as written */
	{ "kvm-intel.nested=1", 1, { { "kvm-intel.nested", "1" } } },
};

static void
check_case(const struct ccase *c)
{
	struct hv_cmdline cl = { 0 };

	assert_int_equal(hv_cmdline_parse(c->in, &cl), 0);
	if (cl.n_params != c->n)
		fail_msg("\"%s\": %zu parameters, expected %zu", c->in,
			 cl.n_params, c->n);
	for (size_t i = 0; i < c->n; i++) {
		const struct hv_kparam *p = &cl.params[i];

		if (!hv_streq(p->key, c->p[i].key) ||
		    !hv_streq(p->value, c->p[i].value))
			fail_msg("\"%s\" #%zu: got [%s]=[%s], expected "
				 "[%s]=[%s]", c->in, i, p->key,
				 p->value ? p->value : "(null)",
				 c->p[i].key,
				 c->p[i].value ? c->p[i].value : "(null)");
		assert_int_equal(p->err, 0);
	}
	hv_cmdline_clear(&cl);
	assert_null(cl.params);
	assert_int_equal(cl.n_params, 0);
}

static void
test_cases(void **state _unused_)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++)
		check_case(&cases[i]);
}

static void
test_null_input(void **state _unused_)
{
	struct hv_cmdline cl = { 0 };

	assert_int_equal(hv_cmdline_parse(NULL, &cl), 0);
	assert_int_equal(cl.n_params, 0);
	hv_cmdline_clear(&cl);
	hv_cmdline_clear(NULL);
}

/* This machine's /proc/cmdline when the tests were written (a Firecracker
 * guest): the kernel's part ends at "--". */
static void
test_real_guest(void **state _unused_)
{
	static const char line[] =
		"mitigations=auto,no_guest_host,no_guest_guest console=ttyS0 "
		"quiet reboot=k panic=1 nomodule random.trust_cpu=1 "
		"swiotlb=noforce psi=1 nvproxy.enable=1 "
		"page_reporting.page_reporting_order=11 deferred_init=lazy "
		"nested_pvm=1 rcupdate.rcu_cpu_stall_cputime=1 "
		"cpuidle_haltpoll.force=1 haltpoll.guest_halt_poll_ns=0 "
		"sched_vcpu_pack=15 rdinit=/process_api -- --firecracker-init "
		"--addr 0.0.0.0:2024 --max-ws-buffer-size 32768";
	struct hv_cmdline cl = { 0 };
	bool present;

	assert_int_equal(hv_cmdline_parse(line, &cl), 0);
	assert_int_equal(cl.n_params, 18);
	assert_string_equal(cl.params[0].key, "mitigations");
	assert_string_equal(cl.params[0].value,
			    "auto,no_guest_host,no_guest_guest");
	assert_string_equal(cl.params[17].key, "rdinit");
	assert_string_equal(cl.params[17].value, "/process_api");
	assert_string_equal(hv_cmdline_get(&cl, "nested_pvm", NULL), "1");
	assert_null(hv_cmdline_get(&cl, "nomodule", &present));
	assert_true(present);
	/* init's arguments are not kernel parameters */
	assert_null(hv_cmdline_get(&cl, "--addr", &present));
	assert_false(present);
	hv_cmdline_clear(&cl);
}

static void
test_get_parameq(void **state _unused_)
{
	struct hv_cmdline cl = { 0 };
	bool present = true;

	assert_int_equal(hv_cmdline_parse("BOOT_IMAGE=/vmlinuz-6.1.0-18-amd64 "
					  "intel_iommu=on kvm-intel.nested=1 "
					  "iommu=pt iommu=nopt quiet "
					  "vfio_pci.ids=10de:1eb8 a_b-c=1",
					  &cl), 0);
	assert_int_equal(cl.n_params, 8);
	/* '-' and '_' are the same in names, both ways */
	assert_string_equal(hv_cmdline_get(&cl, "intel-iommu", NULL), "on");
	assert_string_equal(hv_cmdline_get(&cl, "kvm_intel.nested", NULL),
			    "1");
	assert_string_equal(hv_cmdline_get(&cl, "vfio-pci.ids", NULL),
			    "10de:1eb8");
	assert_string_equal(hv_cmdline_get(&cl, "a-b_c", NULL), "1");
	/* the key is kept as written */
	assert_string_equal(cl.params[2].key, "kvm-intel.nested");
	/* the last value wins */
	assert_string_equal(hv_cmdline_get(&cl, "iommu", NULL), "nopt");
	/* a flag: present, no value */
	assert_null(hv_cmdline_get(&cl, "quiet", &present));
	assert_true(present);
	/* not a prefix match, not case-insensitive */
	assert_null(hv_cmdline_get(&cl, "intel_iommu=on", &present));
	assert_false(present);
	assert_null(hv_cmdline_get(&cl, "intel", &present));
	assert_false(present);
	assert_null(hv_cmdline_get(&cl, "QUIET", &present));
	assert_false(present);

	assert_true(hv_cmdline_parameq("a-b", "a_b"));
	assert_true(hv_cmdline_parameq("", ""));
	assert_false(hv_cmdline_parameq("a-b", "a_bc"));
	assert_false(hv_cmdline_parameq("ab", "a"));
	assert_false(hv_cmdline_parameq(NULL, "a"));
	hv_cmdline_clear(&cl);
}

/* A single parameter as long as the input: no length limit but memory. */
static void
test_long_parameter(void **state _unused_)
{
	const size_t n = 1024 * 1024;
	struct hv_cmdline cl = { 0 };
	char *s = malloc(n + 16);

	assert_non_null(s);
	memcpy(s, "k=", 2);
	memset(s + 2, 'x', n);
	memcpy(s + 2 + n, " tail", 6);
	assert_int_equal(hv_cmdline_parse(s, &cl), 0);
	assert_int_equal(cl.n_params, 2);
	assert_int_equal(strlen(cl.params[0].value), n);
	assert_string_equal(cl.params[1].key, "tail");
	hv_cmdline_clear(&cl);
	free(s);
}

/* Build "p p p ... [-- init init ...]" with n kernel parameters. */
static char *
many(size_t n, size_t n_init)
{
	size_t len = (n + n_init) * 2 + 8;
	char *s = malloc(len), *p = s;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		*p++ = 'p';
		*p++ = ' ';
	}
	if (n_init > 0) {
		memcpy(p, "-- ", 3);
		p += 3;
		for (size_t i = 0; i < n_init; i++) {
			*p++ = 'i';
			*p++ = ' ';
		}
	}
	*p = '\0';
	return s;
}

static void
test_param_bound(void **state _unused_)
{
	struct hv_cmdline cl = { 0 };
	char *s;

	/* exactly at the bound: fine, duplicates kept */
	s = many(HV_CMDLINE_MAX_PARAMS, 0);
	assert_int_equal(hv_cmdline_parse(s, &cl), 0);
	assert_int_equal(cl.n_params, HV_CMDLINE_MAX_PARAMS);
	hv_cmdline_clear(&cl);
	free(s);

	/* one more: refused, nothing written */
	s = many(HV_CMDLINE_MAX_PARAMS + 1, 0);
	cl.n_params = 77;
	assert_int_equal(hv_cmdline_parse(s, &cl), -E2BIG);
	assert_int_equal(cl.n_params, 77);
	assert_null(cl.params);
	cl.n_params = 0;
	free(s);

	/* what follows "--" is not counted */
	s = many(10, 3 * HV_CMDLINE_MAX_PARAMS);
	assert_int_equal(hv_cmdline_parse(s, &cl), 0);
	assert_int_equal(cl.n_params, 10);
	hv_cmdline_clear(&cl);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_real_guest),
		cmocka_unit_test(test_get_parameq),
		cmocka_unit_test(test_long_parameter),
		cmocka_unit_test(test_param_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
