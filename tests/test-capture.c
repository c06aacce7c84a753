/* test-capture.c -- PLACEHOLDER: being written. */
#include "hv-test.h"

static void
test_placeholder(void **state _unused_)
{
	skip();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
