/*
 * hv-test.c -- helpers shared by the unit tests (hv-test.h).
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv-manifest.h"
#include "hv-test.h"

char *
hv_test_srcpath(const char *rel)
{
	char *p = hv_asprintf("%s/%s", HV_TOP_SRCDIR, rel);

	assert_non_null(p);
	return p;
}

char *
hv_test_corpus(const char *rel)
{
	const char *dir = getenv("HV_CORPUS_DIR");
	struct stat st;
	char *p;

	if (dir && *dir && stat(dir, &st) == 0)
		p = hv_asprintf("%s/%s", dir, rel);
	else
		p = hv_asprintf("%s/tests/corpus/%s", HV_TOP_SRCDIR, rel);
	assert_non_null(p);
	return p;
}

char *
hv_test_read(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (ret_len)
		*ret_len = (size_t)n;
	return buf;
}

char *
hv_test_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *p = hv_asprintf("%s/hwvirt-test-XXXXXX", t && *t ? t : "/tmp");

	assert_non_null(p);
	assert_non_null(mkdtemp(p));
	return p;
}

static int
rm_one(const char *path, const struct stat *st _unused_, int flag,
       struct FTW *ftw _unused_)
{
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

void
hv_test_rmtree(char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *
hv_test_root_from_text(const char *manifest)
{
	struct hv_parse_error e = { 0 };
	char *dir = hv_test_tmpdir();
	int r;

	r = hv_manifest_materialize(manifest, strlen(manifest), dir, &e);
	if (r < 0)
		fail_msg("manifest line %u: %s (%s)", e.line, e.msg,
			 hv_strerror(r));
	return dir;
}

char *
hv_test_root_from_file(const char *rel)
{
	_cleanup_free_ char *path = hv_test_srcpath(rel);
	_cleanup_free_ char *text = hv_test_read(path, NULL);

	return hv_test_root_from_text(text);
}
