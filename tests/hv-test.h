/*
 * hv-test.h -- helpers shared by the cmocka unit tests: paths to the source
 * tree and the corpus, reading files, materializing fixture manifests into
 * temporary roots.
 */
#ifndef HV_TEST_H
#define HV_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "hv-util.h"

/* HV_TOP_SRCDIR/rel. Caller frees. Never NULL (aborts the test). */
char *hv_test_srcpath(const char *rel);

/*
 * The corpus of real hardware data: $HV_CORPUS_DIR if set, else
 * tests/corpus in the source tree. Returns rel under it. Caller frees.
 */
char *hv_test_corpus(const char *rel);

/* Read a whole file. Fails the test if it cannot. Caller frees. */
char *hv_test_read(const char *path, size_t *ret_len);

/* A new empty temporary directory. Caller removes with hv_test_rmtree. */
char *hv_test_tmpdir(void);

/* rm -rf dir, and free the string. */
void hv_test_rmtree(char *dir);

/*
 * Materialize a manifest (hv-manifest.h) given as text into a new
 * temporary directory; returns its path. Fails the test on error.
 */
char *hv_test_root_from_text(const char *manifest);

/* Same, from a manifest file relative to the source tree
 * ("fixtures/hosts/intel-sriov.manifest"). */
char *hv_test_root_from_file(const char *rel);

#endif
