/*
 * test-util.c -- string, number, vector and version helpers (src/util.c).
 */
#include "hv-test.h"

static void
test_parse_u64(void **state _unused_)
{
	uint64_t v = 0;
	uint32_t u = 0;
	int i = 0;

	assert_int_equal(hv_parse_u64("42", 10, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(hv_parse_u64("  0x1f\n", 0, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(hv_parse_u64("ff", 16, &v), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(hv_parse_u64("18446744073709551615", 10, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(hv_parse_u64("18446744073709551616", 10, &v), -ERANGE);
	assert_int_equal(hv_parse_u64("", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64("   ", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64("-1", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64("+1", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64("12abc", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64("1 2", 10, &v), -EINVAL);
	assert_int_equal(hv_parse_u64(NULL, 10, &v), -EINVAL);

	assert_int_equal(hv_parse_u32("4294967295", 10, &u), 0);
	assert_true(u == UINT32_MAX);
	assert_int_equal(hv_parse_u32("4294967296", 10, &u), -ERANGE);

	assert_int_equal(hv_parse_int("-1", 10, &i), 0);
	assert_int_equal(i, -1);
	assert_int_equal(hv_parse_int("2147483648", 10, &i), -ERANGE);
	assert_int_equal(hv_parse_int("x", 10, &i), -EINVAL);
}

static void
test_strings(void **state _unused_)
{
	char buf[] = "  \t hello world \n";
	char *s;

	assert_string_equal(hv_strstrip(buf), "hello world");
	assert_true(hv_streq(NULL, NULL));
	assert_false(hv_streq("a", NULL));
	assert_true(hv_streq("a", "a"));
	assert_true(hv_startswith("intel_iommu=on", "intel_iommu"));
	assert_false(hv_startswith("intel", "intel_iommu"));
	assert_null(hv_strdup(NULL));
	s = hv_asprintf("%s-%d", "x", 7);
	assert_string_equal(s, "x-7");
	free(s);
	assert_string_equal(hv_tri_to_string(HV_TRI_YES), "yes");
	assert_string_equal(hv_tri_to_string(HV_TRI_NO), "no");
	assert_string_equal(hv_tri_to_string(HV_TRI_UNKNOWN), "unknown");
	assert_string_equal(hv_strerror(-EACCES), "Permission denied");
	assert_string_equal(hv_strerror(EACCES), "Permission denied");
}

static void
test_strv(void **state _unused_)
{
	struct hv_strv sv = { 0 };
	char *j;

	assert_int_equal(hv_strv_split(&sv, ",b,,a,c,", ","), 0);
	assert_int_equal(sv.n, 3);
	assert_null(sv.v[3]);
	hv_strv_sort(&sv);
	j = hv_strv_join(&sv, " ");
	assert_string_equal(j, "a b c");
	free(j);
	assert_int_equal(hv_strv_add_unique(&sv, "b"), 0);
	assert_int_equal(sv.n, 3);
	assert_int_equal(hv_strv_add_unique(&sv, "d"), 0);
	assert_int_equal(sv.n, 4);
	assert_true(hv_strv_contains(&sv, "d"));
	assert_false(hv_strv_contains(&sv, "e"));
	hv_strv_clear(&sv);
	assert_int_equal(sv.n, 0);
	assert_null(sv.v);
	j = hv_strv_join(&sv, ",");
	assert_string_equal(j, "");
	free(j);
	hv_strv_clear(NULL);
}

static void
test_grow(void **state _unused_)
{
	int *a = NULL;
	size_t cap = 0;

	for (size_t i = 0; i < 1000; i++) {
		assert_int_equal(HV_GROW(a, cap, i + 1), 0);
		a[i] = (int)i;
	}
	assert_true(cap >= 1000);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(a[i], (int)i);
	/* new space is zeroed */
	assert_int_equal(HV_GROW(a, cap, cap + 1), 0);
	assert_int_equal(a[cap - 1], 0);
	free(a);
	cap = 0;
	a = NULL;
	assert_int_equal(hv_grow((void **)&a, &cap, SIZE_MAX / 2, 64), -ENOMEM);
	assert_null(a);
}

static void
test_version_cmp(void **state _unused_)
{
	static const struct {
		const char *a, *b;
		int sign;
	} cases[] = {
		{ "1.2", "1.2", 0 },
		{ "1.10", "1.9", 1 },
		{ "535.86.05", "535.104.05", -1 },
		{ "1.2", "1.2.1", -1 },
		{ "01.2", "1.2", 0 },
		{ "2.0a", "2.0", 1 },
		{ "P2.10", "P2.9", 1 },
		{ "", "0", -1 },
		{ "94.02.71.40.72", "94.02.26.48.1B", 1 },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		int c = hv_version_cmp(cases[i].a, cases[i].b);
		int d = hv_version_cmp(cases[i].b, cases[i].a);

		c = c < 0 ? -1 : c > 0;
		d = d < 0 ? -1 : d > 0;
		if (c != cases[i].sign || d != -cases[i].sign)
			fail_msg("version_cmp(%s, %s) = %d, want %d",
				 cases[i].a, cases[i].b, c, cases[i].sign);
	}
}

static void
test_parse_error(void **state _unused_)
{
	struct hv_parse_error e = { 0 };

	hv_parse_error_set(&e, 12, "bad %s", "thing");
	assert_int_equal(e.line, 12);
	assert_string_equal(e.msg, "bad thing");
	hv_parse_error_set(NULL, 1, "ignored");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_strv),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_parse_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
