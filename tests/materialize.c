/*
 * materialize.c -- build a root directory from a host manifest.
 * usage: materialize MANIFEST DIR   (DIR is created if missing)
 */
#include <err.h>
#include <stdio.h>
#include <sys/stat.h>

#include "hv-manifest.h"

int
main(int argc, char **argv)
{
	struct hv_parse_error e = { 0 };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: materialize MANIFEST DIR\n");
		return 64;
	}
	f = fopen(argv[1], "r");
	if (!f)
		err(66, "%s", argv[1]);
	for (;;) {
		if (HV_GROW(buf, cap, len + 65536) < 0)
			errx(1, "out of memory");
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (mkdir(argv[2], 0755) < 0 && errno != EEXIST)
		err(73, "%s", argv[2]);
	r = hv_manifest_materialize(buf, len, argv[2], &e);
	free(buf);
	if (r == -EBADMSG)
		errx(65, "%s:%u: %s", argv[1], e.line, e.msg);
	if (r < 0)
		errx(1, "%s: %s", argv[1], e.msg[0] ? e.msg : hv_strerror(r));
	return 0;
}
