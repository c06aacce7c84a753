/* test-acpi.c -- ACPI table presence and header checks, on the real tables of the corpus. */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hv-probe.h"
#include "hv-test.h"

#define TABLES "sys/firmware/acpi/tables"

/* Write len bytes to dir/rel, creating the tables directory. */
static void
put_file(const char *dir, const char *rel, const void *data, size_t len)
{
	_cleanup_free_ char *path = hv_asprintf("%s/%s", dir, rel);
	_cleanup_free_ char *tdir = hv_asprintf("%s/" TABLES, dir);
	FILE *f;

	assert_non_null(path);
	assert_non_null(tdir);
	/* mkdir -p of the tables directory */
	for (char *p = tdir + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(tdir, 0755);
			*p = '/';
		}
	}
	(void)mkdir(tdir, 0755);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A root holding one table file SIG with the given bytes. */
static char *
root_with_table(const char *sig, const void *data, size_t len)
{
	char *dir = hv_test_tmpdir();
	_cleanup_free_ char *rel = hv_asprintf(TABLES "/%s", sig);

	put_file(dir, rel, data, len);
	return dir;
}

static struct hv_host *
probe_dir(const char *dir)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;

	assert_non_null(host);
	assert_int_equal(hv_root_open(dir, &root), 0);
	assert_int_equal(hv_acpi_probe(root, host), 0);
	hv_root_free(root);
	return host;
}

static struct hv_acpi_table *
table_of(struct hv_host *host, const char *sig)
{
	if (strcmp(sig, "DMAR") == 0)
		return &host->acpi.dmar;
	if (strcmp(sig, "IVRS") == 0)
		return &host->acpi.ivrs;
	if (strcmp(sig, "VIOT") == 0)
		return &host->acpi.viot;
	return &host->acpi.iort;
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

/* The value after "FIELD : " on the first line of dsl that names it. */
static char *
dsl_field(const char *dsl, const char *field)
{
	const char *p, *e;

	/* iasl right-aligns field names; search for "NAME : " */
	p = strstr(dsl, field);
	while (p && strncmp(p + strlen(field), " : ", 3) != 0)
		p = strstr(p + 1, field);
	if (!p)
		fail_msg("no %s in the reference disassembly", field);
	p += strlen(field) + 3;
	e = strchr(p, '\n');
	return hv_strndup(p, e ? (size_t)(e - p) : strlen(p));
}

/* A quoted dsl string value, trailing spaces dropped (iasl stops at NUL). */
static char *
dsl_string(const char *dsl, const char *field)
{
	_cleanup_free_ char *v = dsl_field(dsl, field);
	char *q = strchr(v, '"'), *end;

	assert_non_null(q);
	end = strchr(q + 1, '"');
	assert_non_null(end);
	while (end > q + 1 && end[-1] == ' ')
		end--;
	return hv_strndup(q + 1, (size_t)(end - q - 1));
}

static bool
has_binary(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && p[i] != '\0'; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return true;
	return false;
}

/*
 * Check one corpus table (SIG, .dat) against its reference disassembly by
 * iasl 20260408 (the .iasl-20260408.dsl beside it).
 */
static void
check_corpus_table(const char *sig, const char *dat)
{
	_cleanup_free_ char *dsl_path = NULL, *dsl = NULL, *data = NULL;
	_cleanup_free_ char *len_s = NULL, *rev_s = NULL, *cks = NULL;
	_cleanup_free_ char *oem = NULL, *oem_table = NULL, *rel = NULL;
	struct hv_acpi_table *t;
	struct hv_host *host;
	size_t len, base_len;
	uint32_t want_len, want_rev;
	char *dir;

	base_len = strlen(dat) - strlen(".dat");
	dsl_path = hv_asprintf("%.*s.iasl-20260408.dsl", (int)base_len, dat);
	dsl = hv_test_read(dsl_path, NULL);
	data = hv_test_read(dat, &len);

	dir = root_with_table(sig, data, len);
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	t = table_of(host, sig);
	rel = hv_asprintf(TABLES "/%s", sig);

	len_s = dsl_field(dsl, "Table Length");
	rev_s = dsl_field(dsl, "Revision");
	cks = dsl_field(dsl, "Checksum");
	assert_int_equal(hv_parse_u32(len_s, 16, &want_len), 0);
	assert_int_equal(hv_parse_u32(rev_s, 16, &want_rev), 0);

	if (t->fact.state != HV_FACT_OK)
		fail_msg("%s: fact %s", dat,
			 hv_fact_state_to_string(t->fact.state));
	assert_string_equal(t->fact.source, rel);
	assert_true(t->present);
	assert_int_equal(t->length, want_len);
	assert_int_equal(t->length, len);
	assert_int_equal(t->revision, want_rev);
	assert_non_null(t->data);
	assert_memory_equal(t->data, data, len);
	/* iasl flags a bad checksum as "Incorrect checksum" */
	assert_int_equal(t->checksum_ok,
			 strstr(cks, "Incorrect checksum") == NULL);

	oem = dsl_string(dsl, "Oem ID");
	oem_table = dsl_string(dsl, "Oem Table ID");
	assert_string_equal(t->oem_id, oem);
	/* iasl prints binary OEM bytes its own way; ours are '?' (below) */
	if (!has_binary((const uint8_t *)data + 16, 8))
		assert_string_equal(t->oem_table_id, oem_table);

	/* a good table raises nothing; a bad checksum only a warning */
	for (size_t i = 0; i < host->n_diags; i++)
		assert_false(host->diags[i].bad_input);
	assert_int_equal(host->n_diags, t->checksum_ok ? 0 : 1);
	hv_host_free(host);
}

/* Every .dat table under corpus directory sub: returns how many. */
static size_t
check_corpus_dir(const char *sub, const char *sig)
{
	_cleanup_free_ char *dir = hv_test_corpus(sub);
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d))) {
		_cleanup_free_ char *path = NULL;
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".dat") != 0)
			continue;
		path = hv_asprintf("%s/%s", dir, de->d_name);
		check_corpus_table(sig, path);
		n++;
	}
	closedir(d);
	return n;
}

static void
test_corpus(void **state _unused_)
{
	size_t n;

	n = check_corpus_dir("acpi/dmar", "DMAR");
	assert_true(n >= 40);
	n = check_corpus_dir("acpi/ivrs", "IVRS");
	assert_true(n >= 20);
	/* the fwts fixtures: one of them has a bad checksum */
	n = check_corpus_dir("acpi/ivrs/synthetic-fwts", "IVRS");
	assert_int_equal(n, 2);
}

/* Probe a root holding corpus table rel as SIG. */
static struct hv_host *
probe_corpus(const char *sig, const char *rel)
{
	_cleanup_free_ char *path = hv_test_corpus(rel);
	_cleanup_free_ char *data = NULL;
	struct hv_host *host;
	size_t len;
	char *dir;

	data = hv_test_read(path, &len);
	dir = root_with_table(sig, data, len);
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	return host;
}

/* HP EliteBook 6930p: OEM ID of six spaces, OEM table ID 01 00 ... 00. */
static void
test_blank_oem(void **state _unused_)
{
	struct hv_host *host;

	host = probe_corpus("DMAR", "acpi/dmar/"
			    "notebook_HP_EliteBook-6930p_D4ACF28F4822.dmar.dat");
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_OK);
	assert_string_equal(host->acpi.dmar.oem_id, "");
	assert_string_equal(host->acpi.dmar.oem_table_id, "?");
	assert_true(host->acpi.dmar.checksum_ok);
	assert_int_equal(host->acpi.dmar.length, 0xf8);
	assert_int_equal(host->acpi.dmar.revision, 1);
	hv_host_free(host);

	/* fwts ThinkPad: "SNB " followed by NULs */
	host = probe_corpus("DMAR", "acpi/dmar/"
			    "fwts-wmi-0001_Lenovo-ThinkPad-BIOS-TP-G2.dmar.dat");
	assert_string_equal(host->acpi.dmar.oem_id, "INTEL");
	assert_string_equal(host->acpi.dmar.oem_table_id, "SNB");
	hv_host_free(host);

	/* an IVRS whose OEM ID is "AMD" and NULs */
	host = probe_corpus("IVRS", "acpi/ivrs/"
			    "desktop_Biostar_A68MHE_A3BA00D9A03A.ivrs.dat");
	assert_int_equal(host->acpi.ivrs.fact.state, HV_FACT_OK);
	assert_string_equal(host->acpi.ivrs.oem_id, "AMD");
	assert_string_equal(host->acpi.ivrs.oem_table_id, "BANTRY");
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_ABSENT);
	hv_host_free(host);
}

static const char x10dai[] =
	"acpi/dmar/desktop_Supermicro_X10DAi_4A64A6094FE3.dmar.dat";

/* Probe the X10DAi DMAR table after edit() changed a copy of it. */
static struct hv_host *
probe_edited(void (*edit)(uint8_t *b, size_t *len))
{
	_cleanup_free_ char *path = hv_test_corpus(x10dai);
	_cleanup_free_ char *data = NULL;
	struct hv_host *host;
	uint8_t *b;
	size_t len;
	char *dir;

	data = hv_test_read(path, &len);
	b = malloc(len + 64);
	assert_non_null(b);
	memcpy(b, data, len);
	memset(b + len, 0, 64);
	edit(b, &len);
	dir = root_with_table("DMAR", b, len);
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	free(b);
	return host;
}

static void
cut_inside_header(uint8_t *b _unused_, size_t *len)
{
	*len = 20;
}

static void
cut_last_byte(uint8_t *b _unused_, size_t *len)
{
	*len -= 1;
}

static void
flip_body_byte(uint8_t *b, size_t *len _unused_)
{
	b[40] ^= 0x01;
}

static void
length_below_header(uint8_t *b, size_t *len _unused_)
{
	b[4] = 35;
	b[5] = b[6] = b[7] = 0;
}

static void
trailing_bytes(uint8_t *b _unused_, size_t *len)
{
	*len += 16;
}

static void
wrong_signature(uint8_t *b, size_t *len _unused_)
{
	memcpy(b, "DMA\x01", 4);
}

static void
empty_file(uint8_t *b _unused_, size_t *len)
{
	*len = 0;
}

static void
assert_invalid(struct hv_host *host, const char *offset_text)
{
	const struct hv_diag *d = get_diag(host, TABLES "/DMAR");

	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_INVALID);
	assert_true(host->acpi.dmar.present);
	assert_null(host->acpi.dmar.data);
	assert_non_null(d);
	assert_true(d->bad_input);
	assert_int_equal(d->err, -EBADMSG);
	assert_non_null(strstr(d->msg, "DMAR"));
	if (!strstr(d->msg, offset_text))
		fail_msg("diagnostic \"%s\" lacks \"%s\"", d->msg,
			 offset_text);
	assert_non_null(host->acpi.dmar.fact.msg);
}

static void
test_truncated_and_corrupt(void **state _unused_)
{
	struct hv_host *host;
	const struct hv_diag *d;

	host = probe_edited(cut_inside_header);
	assert_invalid(host, "offset 20");
	hv_host_free(host);

	host = probe_edited(empty_file);
	assert_invalid(host, "offset 0");
	hv_host_free(host);

	host = probe_edited(cut_last_byte);
	assert_invalid(host, "offset 4");
	assert_non_null(strstr(host->acpi.dmar.fact.msg, "truncated"));
	hv_host_free(host);

	host = probe_edited(length_below_header);
	assert_invalid(host, "offset 4");
	hv_host_free(host);

	host = probe_edited(wrong_signature);
	assert_invalid(host, "offset 0");
	assert_non_null(strstr(host->acpi.dmar.fact.msg, "\"DMA?\""));
	hv_host_free(host);

	/* a bad checksum: still read, flagged, and only a warning */
	host = probe_edited(flip_body_byte);
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_OK);
	assert_false(host->acpi.dmar.checksum_ok);
	assert_string_equal(host->acpi.dmar.oem_id, "ALASKA");
	assert_string_equal(host->acpi.dmar.oem_table_id, "A M I");
	d = get_diag(host, TABLES "/DMAR");
	assert_false(d->bad_input);
	assert_non_null(strstr(d->msg, "checksum"));
	hv_host_free(host);

	/* bytes after the table: ignored, the table is what length says */
	host = probe_edited(trailing_bytes);
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_OK);
	assert_true(host->acpi.dmar.checksum_ok);
	assert_int_equal(host->acpi.dmar.length, 0x158);
	d = get_diag(host, TABLES "/DMAR");
	assert_false(d->bad_input);
	hv_host_free(host);
}

/* No tables directory at all (a devicetree system), or an empty one. */
static void
test_absent(void **state _unused_)
{
	struct hv_host *host;
	char *dir;

	dir = hv_test_tmpdir();
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	assert_int_equal(host->acpi.tables_fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_ABSENT);
	assert_false(host->acpi.dmar.present);
	assert_int_equal(host->acpi.iort.fact.state, HV_FACT_ABSENT);
	hv_host_free(host);

	/* this machine's table list: APIC, DSDT, FACP, MCFG */
	dir = hv_test_root_from_text("f " TABLES "/APIC\n"
				     "f " TABLES "/DSDT\n"
				     "f " TABLES "/FACP\n"
				     "f " TABLES "/MCFG\n"
				     "d " TABLES "/data\n"
				     "d " TABLES "/dynamic\n");
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	assert_int_equal(host->acpi.tables_fact.state, HV_FACT_OK);
	assert_int_equal(host->acpi.dmar.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->acpi.ivrs.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->acpi.viot.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->acpi.iort.fact.state, HV_FACT_ABSENT);
	assert_int_equal(host->n_diags, 0);
	hv_host_free(host);
}

/* A table that is there but cannot be read: present, contents unknown. */
static void
test_unreadable(void **state _unused_)
{
	struct hv_host *host;
	char *dir;

	/* a directory in its place reads as -EISDIR whoever runs this */
	dir = hv_test_root_from_text("d " TABLES "/IVRS\n");
	host = probe_dir(dir);
	hv_test_rmtree(dir);
	assert_true(host->acpi.ivrs.present);
	assert_int_equal(host->acpi.ivrs.fact.state, HV_FACT_UNKNOWN);
	assert_int_equal(host->acpi.ivrs.fact.err, -EISDIR);
	assert_null(host->acpi.ivrs.data);
	hv_host_free(host);
}

/*
 * The real case: tables are 0400 root. Run the probe as nobody (when the
 * test runs as root) on a copy of a real table: present, -EACCES.
 */
static int
child_as_nobody(const char *dir)
{
	struct hv_host *host = hv_host_new();
	struct hv_root *root = NULL;
	int rc = 0;

	if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
	    setresuid(65534, 65534, 65534) < 0)
		return 10;
	if (!host || hv_root_open(dir, &root) < 0 ||
	    hv_acpi_probe(root, host) < 0)
		return 11;
	if (!host->acpi.dmar.present)
		rc = 12;
	else if (host->acpi.dmar.fact.state != HV_FACT_UNKNOWN ||
		 host->acpi.dmar.fact.err != -EACCES)
		rc = 13;
	else if (host->acpi.dmar.data || host->n_diags != 0)
		rc = 14;
	else if (host->acpi.ivrs.fact.state != HV_FACT_ABSENT)
		rc = 15;
	hv_root_free(root);
	hv_host_free(host);
	return rc;
}

static void
test_not_root(void **state _unused_)
{
	_cleanup_free_ char *path = hv_test_corpus(x10dai);
	_cleanup_free_ char *data = NULL, *file = NULL;
	char *dir;
	size_t len;
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip();
	data = hv_test_read(path, &len);
	dir = root_with_table("DMAR", data, len);
	file = hv_asprintf("%s/" TABLES "/DMAR", dir);
	/* as on a live host: directories world-readable, table 0400 */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chmod(file, 0400), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_as_nobody(dir));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	hv_test_rmtree(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* This machine, live: presence agrees with stat(2) whoever runs it. */
static void
test_live(void **state _unused_)
{
	static const char *sigs[] = { "DMAR", "IVRS", "VIOT", "IORT" };
	struct hv_host *host = probe_dir("/");
	struct stat st;

	if (stat("/" TABLES, &st) == 0)
		assert_int_equal(host->acpi.tables_fact.state, HV_FACT_OK);
	for (size_t i = 0; i < HV_ELEMENTSOF(sigs); i++) {
		_cleanup_free_ char *p = hv_asprintf("/" TABLES "/%s", sigs[i]);
		struct hv_acpi_table *t = table_of(host, sigs[i]);
		bool there = stat(p, &st) == 0;

		assert_int_equal(t->present, there);
		if (!there)
			assert_int_equal(t->fact.state, HV_FACT_ABSENT);
		else if (access(p, R_OK) == 0)
			assert_int_equal(t->fact.state, HV_FACT_OK);
	}
	hv_host_free(host);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_blank_oem),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_not_root),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
