/*
 * iasl.c -- a parser of iasl's data-table disassembly and a comparison of
 * it with records rendered from decoded structs (iasl.h).
 *
 * The lines this reads (acpica's AcpiDmLineHeader() and friends):
 *
 *   [024h 0036 001h]          Host Address Width : 26
 *   [030h 0048 002h]               Subtable Type : 0000 [Hardware Unit Definition]
 *   [009h 0009 001h]                    Checksum : 6C     /\* Incorrect checksum, should be 37 *\/
 *                                      Coherent : 1        (a sub-field "decoded below")
 *   **** Unknown IVRS subtable type 0x51               (a marker)
 *   Raw Table Data: Length 484 (0x1E4)                 (the end of the fields)
 *
 * plus the comment block at the top and blank lines.
 */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

#include "iasl.h"

static void *
xgrow(void *arrp, size_t *n, size_t *cap, size_t sz)
{
	void **arr = arrp;

	if (hv_grow(arr, cap, *n + 1, sz) < 0) {
		fprintf(stderr, "iasl: out of memory\n");
		abort();
	}
	return (char *)*arr + (*n)++ * sz;
}

static char *
xstrndup(const char *s, size_t n)
{
	char *r = strndup(s, n);

	if (!r) {
		fprintf(stderr, "iasl: out of memory\n");
		abort();
	}
	return r;
}

static char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s = hv_vasprintf(fmt, ap);

	if (!s) {
		fprintf(stderr, "iasl: out of memory\n");
		abort();
	}
	return s;
}

/* s[0..n) with leading and trailing blanks removed, as a new string. */
static char *
strip_dup(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

/*
 * Split the text after " : " into value, [description] and comment.
 * A description follows a quoted string's closing quote or the first
 * token; a comment is a trailing C comment.
 */
static void
split_value(const char *v, size_t n, struct iasl_field *f)
{
	const char *end = v + n, *c, *desc;

	c = NULL;
	for (const char *s = v; s + 1 < end; s++)
		if (s[0] == '/' && s[1] == '*') {
			c = s;
			break;
		}
	if (c && v[0] != '"') {
		const char *ce = end;

		while (ce > c && (ce[-1] == ' ' || ce[-1] == '\r'))
			ce--;
		if (ce - c >= 4 && ce[-2] == '*' && ce[-1] == '/')
			f->comment = strip_dup(c + 2, (size_t)(ce - 2 - (c + 2)));
		else
			f->comment = strip_dup(c, (size_t)(ce - c));
		end = c;
	}

	desc = NULL;
	if (v[0] == '"') {
		const char *q = NULL;

		for (const char *s = end; s > v + 1; s--)
			if (s[-1] == '"') {
				q = s - 1;
				break;
			}
		if (q) {
			const char *s = q + 1;

			while (s < end && *s == ' ')
				s++;
			if (s < end && *s == '[')
				desc = s;
			if (desc)
				end = q + 1;
		}
	} else {
		for (const char *s = v; s + 1 < end; s++)
			if (s[0] == ' ' && s[1] == '[') {
				desc = s + 1;
				end = s;
				break;
			}
	}
	f->value = strip_dup(v, (size_t)(end - v));
}

static int
parse_marker(struct iasl_dump *d, const char *line, unsigned lineno)
{
	struct iasl_marker *m = xgrow(&d->markers, &d->n_markers, &d->cap_markers,
				      sizeof(*m));
	unsigned a, b, c;

	memset(m, 0, sizeof(*m));
	m->line = lineno;
	m->before = d->n_fields;
	m->text = strip_dup(line, strlen(line));
	if (sscanf(line, "**** Unknown IVRS device entry type/length: 0x%x/0x%x at offset 0x%x",
		   &a, &b, &c) == 3) {
		m->kind = IASL_MARK_UNKNOWN_ENTRY;
		m->type = a;
		m->length = b;
		m->offset = c;
	} else if (sscanf(line, "**** Unknown IVRS subtable type 0x%x", &a) == 1 ||
		   sscanf(line, "**** Unknown DMAR subtable type 0x%x", &a) == 1) {
		m->kind = IASL_MARK_UNKNOWN_SUBTABLE;
		m->type = a;
	} else if (strstr(line, "ACPI subtable terminates early")) {
		m->kind = IASL_MARK_TERMINATES_EARLY;
	} else {
		m->kind = IASL_MARK_OTHER;
	}
	return 0;
}

/* "[024h 0036 001h]  Name : value" */
static int
parse_field(struct iasl_dump *d, const char *line, unsigned lineno)
{
	unsigned hoff, doff, len;
	const char *rest, *sep;
	struct iasl_field *f;
	int n = 0;

	if (sscanf(line, "[%xh %u %xh]%n", &hoff, &doff, &len, &n) != 3 || n == 0)
		return -EBADMSG;
	if (hoff != doff)
		return -EBADMSG;
	rest = line + n;
	sep = strstr(rest, " : ");
	if (!sep)
		return -EBADMSG;
	f = xgrow(&d->fields, &d->n_fields, &d->cap_fields, sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->line = lineno;
	f->offset = hoff;
	f->length = len;
	f->name = strip_dup(rest, (size_t)(sep - rest));
	split_value(sep + 3, strlen(sep + 3), f);
	return 0;
}

/* The last field that is not itself a sub-field, or NULL. */
static const struct iasl_field *
last_parent(const struct iasl_dump *d)
{
	for (size_t i = d->n_fields; i > 0; i--)
		if (!strchr(d->fields[i - 1].name, '/'))
			return &d->fields[i - 1];
	return NULL;
}

/* "                    Coherent : 1" under a field */
static int
parse_sub(struct iasl_dump *d, const char *line, unsigned lineno)
{
	const struct iasl_field *parent = last_parent(d);
	const char *sep = strstr(line, " : ");
	struct iasl_field *f;
	uint32_t offset;
	char *sub, *name;

	if (!sep || !parent)
		return -EBADMSG;
	sub = strip_dup(line, (size_t)(sep - line));
	name = hv_asprintf("%s/%s", parent->name, sub);
	offset = parent->offset;
	free(sub);
	if (!name)
		abort();
	f = xgrow(&d->fields, &d->n_fields, &d->cap_fields, sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->line = lineno;
	f->offset = offset;
	f->length = 0;
	f->name = name;
	split_value(sep + 3, strlen(sep + 3), f);
	return 0;
}

int
iasl_parse(const char *text, struct iasl_dump *ret, unsigned *ret_line)
{
	const char *p = text;
	unsigned lineno = 0;
	bool in_comment = false;

	memset(ret, 0, sizeof(*ret));
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *line = xstrndup(p, n);
		const char *s = line;
		int r = 0;

		lineno++;
		p += n + (e ? 1 : 0);
		while (*s == ' ' || *s == '\t')
			s++;
		if (in_comment) {
			if (strstr(line, "*/"))
				in_comment = false;
		} else if (*s == '\0' || *s == '\r') {
			/* blank */
		} else if (hv_startswith(line, "/*") && !hv_startswith(line, "/****")) {
			in_comment = !strstr(line + 2, "*/");
		} else if (hv_startswith(line, "Raw Table Data:")) {
			free(line);
			break;
		} else if (hv_startswith(line, "****") || hv_startswith(line, "/****")) {
			r = parse_marker(ret, line, lineno);
		} else if (line[0] == '[') {
			r = parse_field(ret, line, lineno);
		} else if (line[0] == ' ') {
			r = parse_sub(ret, line, lineno);
		} else {
			r = -EBADMSG;
		}
		free(line);
		if (r < 0) {
			if (ret_line)
				*ret_line = lineno;
			return r;
		}
	}
	return 0;
}

void
iasl_dump_clear(struct iasl_dump *d)
{
	for (size_t i = 0; i < d->n_fields; i++) {
		free(d->fields[i].name);
		free(d->fields[i].value);
		free(d->fields[i].comment);
	}
	for (size_t i = 0; i < d->n_markers; i++)
		free(d->markers[i].text);
	free(d->fields);
	free(d->markers);
	memset(d, 0, sizeof(*d));
}

void
iasl_add(struct iasl_dump *d, uint32_t offset, uint32_t length,
	 const char *name, const char *fmt, ...)
{
	struct iasl_field *f = xgrow(&d->fields, &d->n_fields, &d->cap_fields,
				     sizeof(*f));
	va_list ap;

	memset(f, 0, sizeof(*f));
	f->offset = offset;
	f->length = length;
	f->name = xstrndup(name, strlen(name));
	va_start(ap, fmt);
	f->value = xvasprintf(fmt, ap);
	va_end(ap);
}

void
iasl_add_sub(struct iasl_dump *d, const char *sub, const char *fmt, ...)
{
	const struct iasl_field *parent = last_parent(d);
	struct iasl_field *f;
	uint32_t offset;
	va_list ap;
	char *name;

	if (!parent)
		abort();
	name = hv_asprintf("%s/%s", parent->name, sub);
	offset = parent->offset;
	if (!name)
		abort();
	f = xgrow(&d->fields, &d->n_fields, &d->cap_fields, sizeof(*f));
	memset(f, 0, sizeof(*f));
	f->offset = offset;
	f->length = 0;
	f->name = name;
	va_start(ap, fmt);
	f->value = xvasprintf(fmt, ap);
	va_end(ap);
}

void
iasl_set_comment(struct iasl_dump *d, const char *fmt, ...)
{
	struct iasl_field *f;
	va_list ap;

	if (d->n_fields == 0)
		abort();
	f = &d->fields[d->n_fields - 1];
	free(f->comment);
	va_start(ap, fmt);
	f->comment = xvasprintf(fmt, ap);
	va_end(ap);
}

void
iasl_render_header(struct iasl_dump *d, const struct hv_acpi_header *h)
{
	iasl_add(d, 0, 4, "Signature", "\"%s\"", h->signature);
	iasl_add(d, 4, 4, "Table Length", "%08X", h->length);
	iasl_add(d, 8, 1, "Revision", "%02X", h->revision);
	iasl_add(d, 9, 1, "Checksum", "%02X", h->checksum);
	if (h->checksum_valid == HV_TRI_NO)
		iasl_set_comment(d, "Incorrect checksum, should be %02X",
				 h->checksum_expected);
	iasl_add(d, 10, 6, "Oem ID", "\"%s\"", h->oem_id);
	iasl_add(d, 16, 8, "Oem Table ID", "\"%s\"", h->oem_table_id);
	iasl_add(d, 24, 4, "Oem Revision", "%08X", h->oem_revision);
	iasl_add(d, 28, 4, "Asl Compiler ID", "\"%s\"", h->creator_id);
	iasl_add(d, 32, 4, "Asl Compiler Revision", "%08X", h->creator_revision);
}

/* An offset range (lo, hi), open at both ends, where iasl printed nothing
 * because it stopped. */
struct gap {
	uint32_t lo, hi;
};

static bool
in_gaps(const struct gap *g, size_t n, uint32_t off)
{
	for (size_t i = 0; i < n; i++)
		if (off > g[i].lo && off < g[i].hi)
			return true;
	return false;
}

unsigned
iasl_compare(const char *table, struct iasl_dump *ref, struct iasl_dump *mine)
{
	struct gap *gaps = NULL;
	size_t n_gaps = 0, cap_gaps = 0;
	unsigned bad = 0;

	for (size_t i = 0; i < ref->n_markers; i++) {
		const struct iasl_marker *m = &ref->markers[i];
		struct gap *g;

		if (m->kind == IASL_MARK_OTHER) {
			printf("%s: line %u: iasl says \"%s\", which the test does not "
			       "know\n", table, m->line, m->text);
			bad++;
			continue;
		}
		if (m->kind == IASL_MARK_UNKNOWN_ENTRY)
			continue;
		g = xgrow(&gaps, &n_gaps, &cap_gaps, sizeof(*g));
		g->lo = m->before > 0 ? ref->fields[m->before - 1].offset : 0;
		g->hi = m->before < ref->n_fields ? ref->fields[m->before].offset :
			UINT32_MAX;
	}

	for (size_t i = 0; i < mine->n_fields; i++)
		mine->fields[i].matched = false;

	for (size_t i = 0; i < ref->n_fields; i++) {
		struct iasl_field *r = &ref->fields[i];
		struct iasl_field *f = NULL;

		for (size_t j = 0; j < mine->n_fields; j++) {
			struct iasl_field *c = &mine->fields[j];

			if (!c->matched && c->offset == r->offset &&
			    strcmp(c->name, r->name) == 0) {
				f = c;
				break;
			}
		}
		if (!f) {
			printf("%s: offset 0x%03X: field \"%s\" (iasl line %u: %s) was "
			       "not decoded\n", table, r->offset, r->name, r->line,
			       r->value);
			bad++;
			continue;
		}
		f->matched = true;
		if (strcmp(f->value, r->value) != 0) {
			printf("%s: offset 0x%03X: field \"%s\": iasl %s, decoded %s\n",
			       table, r->offset, r->name, r->value, f->value);
			bad++;
		}
		if (f->length != r->length) {
			printf("%s: offset 0x%03X: field \"%s\": iasl length %u, decoded "
			       "%u\n", table, r->offset, r->name, r->length, f->length);
			bad++;
		}
		if (!hv_streq(f->comment, r->comment)) {
			printf("%s: offset 0x%03X: field \"%s\": iasl comment \"%s\", "
			       "decoded \"%s\"\n", table, r->offset, r->name,
			       r->comment ? r->comment : "", f->comment ? f->comment : "");
			bad++;
		}
	}

	for (size_t j = 0; j < mine->n_fields; j++) {
		const struct iasl_field *f = &mine->fields[j];

		if (f->matched || in_gaps(gaps, n_gaps, f->offset))
			continue;
		printf("%s: offset 0x%03X: decoded field \"%s\" = %s, which iasl does "
		       "not print\n", table, f->offset, f->name, f->value);
		bad++;
	}
	free(gaps);
	return bad;
}

static void
list_dir(const char *dir, struct hv_strv *ret, unsigned depth)
{
	struct dirent *de;
	DIR *d;

	if (depth > 4)
		return;
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "iasl: cannot read %s\n", dir);
		abort();
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *path;
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.')
			continue;
		path = hv_asprintf("%s/%s", dir, de->d_name);
		if (!path)
			abort();
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_dir(path, ret, depth + 1);
			free(path);
		} else if (n > 4 && strcmp(de->d_name + n - 4, ".dat") == 0) {
			if (hv_strv_push(ret, path) < 0)
				abort();
		} else {
			free(path);
		}
	}
	closedir(d);
}

void
iasl_list_tables(const char *dir, struct hv_strv *ret)
{
	list_dir(dir, ret, 0);
	hv_strv_sort(ret);
}

char *
iasl_reference_path(const char *dat)
{
	size_t n = strlen(dat);
	char *p;

	if (n < 4)
		abort();
	p = hv_asprintf("%.*s.iasl-20260408.dsl", (int)(n - 4), dat);
	if (!p)
		abort();
	return p;
}
