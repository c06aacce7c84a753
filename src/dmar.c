/*
 * dmar.c -- Intel DMA Remapping Reporting table (ACPI DMAR, VT-d 5.0
 * chapter 8): a pure decoder, bytes in, struct hv_dmar out (hv-acpi.h).
 *
 * The probe reads sys/firmware/acpi/tables/DMAR through the root and hands
 * the bytes here; nothing in this file does I/O.
 *
 * Layout, little-endian:
 *
 *   0           36     37      38          48
 *   +-----------+------+-------+-----------+--------------------------+
 *   | ACPI hdr  | HAW  | flags | reserved  | remapping structures ... |
 *   +-----------+------+-------+-----------+--------------------------+
 *   HAW = host address width - 1; flags: bit 0 INTR_REMAP, bit 1
 *   X2APIC_OPT_OUT, bit 2 DMA_CTRL_PLATFORM_OPT_IN.
 *
 *   every structure:  <type:2> <length:2> <body: length - 4>
 *
 *   0 DRHD  <flags:1> <size:1> <segment:2> <register base:8> <scopes>
 *           flags bit 0 INCLUDE_PCI_ALL; size bits 3:0 = log2(4K pages)
 *   1 RMRR  <reserved:2> <segment:2> <base:8> <limit:8> <scopes>
 *   2 ATSR  <flags:1> <reserved:1> <segment:2> <scopes>   (bit 0 ALL_PORTS)
 *   3 RHSA  <reserved:4> <register base:8> <proximity domain:4>
 *   4 ANDD  <reserved:3> <ACPI device number:1> <object name, NUL-ended>
 *   5 SATC  <flags:1> <reserved:1> <segment:2> <scopes>   (bit 0 ATC_REQUIRED)
 *   6 SIDP  <reserved:2> <segment:2> <scopes>
 *
 *   device scope:
 *   +------+--------+-------+----------+---------+-----------+------------+
 *   | type | length | flags | reserved | enum id | start bus | {dev fn}...|
 *   +------+--------+-------+----------+---------+-----------+------------+
 *     1        1        1       1          1          1        2 each
 *
 * Hostile input: every length is checked against what remains of its
 * container before a byte of the body is read. A structure shorter than 4
 * bytes (0 included) or longer than what is left of the table stops the
 * walk with an issue naming the offset; what was decoded before is kept.
 * A device scope that overruns its structure stops that structure's scope
 * list only. Unknown structure types are kept raw and skipped by length.
 * Every step advances by at least the 4-byte header, so the walk ends.
 */
#include <stdio.h>

#include "hv-acpi.h"

/* Record a malformed-input issue at offset off. */
#define BAD(is, off, ...) hv_acpi_issue_add((is), (off), -EBADMSG, __VA_ARGS__)

struct dmar_ctx {
	struct hv_dmar *d;
	const uint8_t *buf;
	size_t cap[7];			/* capacities of d's arrays, by type */
	size_t cap_unknown;
};

static void *
push(void *arrp, size_t *n, size_t *cap, size_t sz)
{
	void **arr = arrp;

	if (hv_grow(arr, cap, *n + 1, sz) < 0)
		return NULL;
	return (char *)*arr + (*n)++ * sz;
}

static int
push_raw(struct hv_acpi_raw **arr, size_t *n, size_t *cap, const uint8_t *buf,
	 size_t off, uint16_t type, uint16_t len)
{
	struct hv_acpi_raw *raw;

	raw = push(arr, n, cap, sizeof(**arr));
	if (!raw)
		return -ENOMEM;
	raw->offset = (uint32_t)off;
	raw->type = type;
	raw->length = len;
	raw->data = malloc(len ? len : 1);
	if (!raw->data) {
		(*n)--;
		return -ENOMEM;
	}
	memcpy(raw->data, buf + off, len);
	return 0;
}

/*
 * Decode the device scopes in [soff, send) of the structure of kind at
 * struct_off into *ret_v / *ret_n (which the structure owns already).
 */
static int
parse_scopes(struct dmar_ctx *c, const char *kind, size_t struct_off,
	     size_t soff, size_t send, struct hv_dmar_scope **ret_v,
	     size_t *ret_n)
{
	struct hv_acpi_issues *is = &c->d->issues;
	const uint8_t *p = c->buf;
	size_t cap = 0;

	while (soff < send) {
		size_t left = send - soff, npath;
		struct hv_dmar_scope *s;
		uint8_t slen;

		if (left < 2) {
			BAD(is, soff,
			    "DMAR: %s at offset 0x%zx: %zu byte left at offset 0x%zx, "
			    "too few for a device scope", kind, struct_off, left, soff);
			break;
		}
		slen = p[soff + 1];
		if (slen < 6) {
			BAD(is, soff,
			    "DMAR: %s at offset 0x%zx: device scope at offset 0x%zx "
			    "has length %u, below its 6-byte header",
			    kind, struct_off, soff, slen);
			break;
		}
		if (slen > left) {
			BAD(is, soff,
			    "DMAR: %s at offset 0x%zx: device scope at offset 0x%zx "
			    "(length %u) runs past the end of the structure at 0x%zx",
			    kind, struct_off, soff, slen, send);
			break;
		}
		s = push(ret_v, ret_n, &cap, sizeof(**ret_v));
		if (!s)
			return -ENOMEM;
		s->offset = (uint32_t)soff;
		s->type = p[soff];
		s->length = slen;
		s->flags = p[soff + 2];
		s->reserved = p[soff + 3];
		s->enumeration_id = p[soff + 4];
		s->start_bus_number = p[soff + 5];
		npath = (size_t)(slen - 6) / 2;
		if ((slen - 6) % 2)
			BAD(is, soff,
			    "DMAR: %s at offset 0x%zx: device scope at offset 0x%zx "
			    "has length %u, leaving half a path entry",
			    kind, struct_off, soff, slen);
		if (npath > 0) {
			s->path = calloc(npath, sizeof(*s->path));
			if (!s->path)
				return -ENOMEM;
			for (size_t i = 0; i < npath; i++) {
				s->path[i].device = p[soff + 6 + 2 * i];
				s->path[i].function = p[soff + 7 + 2 * i];
			}
			s->n_path = npath;
		}
		soff += slen;
	}
	return 0;
}

static int
parse_drhd(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_drhd *u;

	u = push(&d->drhd, &d->n_drhd, &c->cap[HV_DMAR_TYPE_DRHD], sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->offset = (uint32_t)off;
	u->length = (uint16_t)len;
	u->flags = p[4];
	u->size = p[5];
	u->segment = hv_le16(p + 6);
	u->register_base_address = hv_le64(p + 8);
	return parse_scopes(c, "DRHD", off, off + 16, off + len, &u->scopes,
			    &u->n_scopes);
}

static int
parse_rmrr(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_rmrr *m;

	m = push(&d->rmrr, &d->n_rmrr, &c->cap[HV_DMAR_TYPE_RMRR], sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->offset = (uint32_t)off;
	m->length = (uint16_t)len;
	m->reserved = hv_le16(p + 4);
	m->segment = hv_le16(p + 6);
	m->base_address = hv_le64(p + 8);
	m->limit_address = hv_le64(p + 16);
	return parse_scopes(c, "RMRR", off, off + 24, off + len, &m->scopes,
			    &m->n_scopes);
}

static int
parse_atsr(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_atsr *a;

	a = push(&d->atsr, &d->n_atsr, &c->cap[HV_DMAR_TYPE_ATSR], sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->offset = (uint32_t)off;
	a->length = (uint16_t)len;
	a->flags = p[4];
	a->reserved = p[5];
	a->segment = hv_le16(p + 6);
	return parse_scopes(c, "ATSR", off, off + 8, off + len, &a->scopes,
			    &a->n_scopes);
}

static int
parse_rhsa(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_rhsa *h;

	h = push(&d->rhsa, &d->n_rhsa, &c->cap[HV_DMAR_TYPE_RHSA], sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->offset = (uint32_t)off;
	h->length = (uint16_t)len;
	h->reserved = hv_le32(p + 4);
	h->register_base_address = hv_le64(p + 8);
	h->proximity_domain = hv_le32(p + 16);
	return 0;
}

static int
parse_andd(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_andd *a;
	size_t n, max = len - 8;

	a = push(&d->andd, &d->n_andd, &c->cap[HV_DMAR_TYPE_ANDD], sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->offset = (uint32_t)off;
	a->length = (uint16_t)len;
	a->reserved = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16;
	a->acpi_device_number = p[7];
	for (n = 0; n < max && p[8 + n] != '\0'; n++)
		;
	a->acpi_object_name = malloc(n + 1);
	if (!a->acpi_object_name)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = p[8 + i];

		a->acpi_object_name[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	a->acpi_object_name[n] = '\0';
	return 0;
}

static int
parse_satc(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_satc *s;

	s = push(&d->satc, &d->n_satc, &c->cap[HV_DMAR_TYPE_SATC], sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->offset = (uint32_t)off;
	s->length = (uint16_t)len;
	s->flags = p[4];
	s->reserved = p[5];
	s->segment = hv_le16(p + 6);
	return parse_scopes(c, "SATC", off, off + 8, off + len, &s->scopes,
			    &s->n_scopes);
}

static int
parse_sidp(struct dmar_ctx *c, size_t off, size_t len)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf + off;
	struct hv_dmar_sidp *s;

	s = push(&d->sidp, &d->n_sidp, &c->cap[HV_DMAR_TYPE_SIDP], sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->offset = (uint32_t)off;
	s->length = (uint16_t)len;
	s->reserved = hv_le16(p + 4);
	s->segment = hv_le16(p + 6);
	return parse_scopes(c, "SIDP", off, off + 8, off + len, &s->scopes,
			    &s->n_scopes);
}

/* The structure types, indexed by type; min_len is the fixed part. */
static const struct dmar_kind {
	const char *name;		/* for messages */
	const char *key;		/* hv_dmar_type_to_string() */
	size_t min_len;
	int (*parse)(struct dmar_ctx *c, size_t off, size_t len);
} dmar_kinds[] = {
	[HV_DMAR_TYPE_DRHD] = { "DRHD", "drhd", 16, parse_drhd },
	[HV_DMAR_TYPE_RMRR] = { "RMRR", "rmrr", 24, parse_rmrr },
	[HV_DMAR_TYPE_ATSR] = { "ATSR", "atsr", 8, parse_atsr },
	[HV_DMAR_TYPE_RHSA] = { "RHSA", "rhsa", 20, parse_rhsa },
	[HV_DMAR_TYPE_ANDD] = { "ANDD", "andd", 8, parse_andd },
	[HV_DMAR_TYPE_SATC] = { "SATC", "satc", 8, parse_satc },
	[HV_DMAR_TYPE_SIDP] = { "SIDP", "sidp", 8, parse_sidp },
};

const char *
hv_dmar_type_to_string(unsigned type)
{
	return type < HV_ELEMENTSOF(dmar_kinds) ? dmar_kinds[type].key : NULL;
}

const char *
hv_dmar_scope_type_to_string(unsigned type)
{
	static const char *const names[] = {
		[HV_DMAR_SCOPE_PCI_ENDPOINT] = "pci_endpoint",
		[HV_DMAR_SCOPE_PCI_SUB_HIERARCHY] = "pci_sub_hierarchy",
		[HV_DMAR_SCOPE_IOAPIC] = "ioapic",
		[HV_DMAR_SCOPE_HPET] = "hpet",
		[HV_DMAR_SCOPE_ACPI_NAMESPACE] = "acpi_namespace_device",
	};

	return type < HV_ELEMENTSOF(names) ? names[type] : NULL;
}

static int
dmar_walk(struct dmar_ctx *c, size_t off, size_t end, size_t *ret_off)
{
	struct hv_dmar *d = c->d;
	const uint8_t *p = c->buf;
	int r;

	while (off < end) {
		size_t left = end - off;
		uint16_t type, len;

		if (left < 4) {
			BAD(&d->issues, off,
			    "DMAR: %zu byte(s) left at offset 0x%zx, too few for a "
			    "structure header", left, off);
			break;
		}
		type = hv_le16(p + off);
		len = hv_le16(p + off + 2);
		if (len < 4) {
			BAD(&d->issues, off,
			    "DMAR: structure at offset 0x%zx (type %u) has length %u, "
			    "below its 4-byte header", off, type, len);
			break;
		}
		if (len > left) {
			BAD(&d->issues, off,
			    "DMAR: structure at offset 0x%zx (type %u) has length %u, "
			    "past the end of the table (%zu bytes left)",
			    off, type, len, left);
			break;
		}
		if (type < HV_ELEMENTSOF(dmar_kinds) && len >= dmar_kinds[type].min_len) {
			r = dmar_kinds[type].parse(c, off, len);
		} else {
			if (type < HV_ELEMENTSOF(dmar_kinds))
				BAD(&d->issues, off,
				    "DMAR: %s at offset 0x%zx has length %u, below "
				    "its %zu fixed bytes; kept raw", dmar_kinds[type].name,
				    off, len, dmar_kinds[type].min_len);
			r = push_raw(&d->unknown, &d->n_unknown, &c->cap_unknown, p,
				     off, type, len);
		}
		if (r < 0) {
			*ret_off = off;
			return r;
		}
		off += len;
	}
	*ret_off = off;
	return 0;
}

int
hv_dmar_parse(const uint8_t *buf, size_t len, struct hv_dmar *ret)
{
	struct dmar_ctx c = { .d = ret, .buf = buf };
	struct hv_dmar *d = ret;
	size_t end, off = 0;
	int r;

	memset(d, 0, sizeof(*d));
	if (!buf)
		len = 0;
	if (len > HV_ACPI_TABLE_MAX) {
		hv_acpi_issue_add(&d->issues, 0, -E2BIG,
				  "DMAR: %zu bytes, more than the %u this decoder accepts",
				  len, HV_ACPI_TABLE_MAX);
		return -E2BIG;
	}
	r = hv_acpi_header_parse(buf, len, &d->header);
	if (r < 0) {
		if (len < HV_ACPI_HEADER_SIZE)
			BAD(&d->issues, len,
			    "DMAR: %zu bytes, too few for the 36-byte ACPI header",
			    len);
		else
			BAD(&d->issues, 4,
			    "DMAR: length field %u at offset 0x4 is below the "
			    "36-byte ACPI header", hv_le32(buf + 4));
		return -EBADMSG;
	}
	if (memcmp(buf, "DMAR", 4) != 0) {
		BAD(&d->issues, 0,
		    "DMAR: signature is \"%s\", not \"DMAR\"", d->header.signature);
		return -EBADMSG;
	}
	if (d->header.checksum_valid == HV_TRI_NO)
		BAD(&d->issues, 9,
		    "DMAR: checksum 0x%02x at offset 0x9 is wrong (should be 0x%02x)",
		    d->header.checksum, d->header.checksum_expected);

	end = d->header.length;
	if (len < end) {
		BAD(&d->issues, len,
		    "DMAR: truncated at offset 0x%zx: the header says %u bytes",
		    len, d->header.length);
		end = len;
	}
	if (end < HV_DMAR_HEADER_SIZE) {
		BAD(&d->issues, end,
		    "DMAR: %zu bytes, too few for the 48-byte DMAR header", end);
		return -EBADMSG;
	}
	d->host_address_width = buf[36];
	d->flags = buf[37];
	memcpy(d->reserved, buf + 38, sizeof(d->reserved));

	r = dmar_walk(&c, HV_DMAR_HEADER_SIZE, end, &off);
	d->complete = r == 0 && off == d->header.length;
	if (r < 0)
		return r;
	return d->issues.n > 0 ? -EBADMSG : 0;
}

static void
scopes_free(struct hv_dmar_scope *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void
hv_dmar_clear(struct hv_dmar *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_drhd; i++)
		scopes_free(d->drhd[i].scopes, d->drhd[i].n_scopes);
	for (size_t i = 0; i < d->n_rmrr; i++)
		scopes_free(d->rmrr[i].scopes, d->rmrr[i].n_scopes);
	for (size_t i = 0; i < d->n_atsr; i++)
		scopes_free(d->atsr[i].scopes, d->atsr[i].n_scopes);
	for (size_t i = 0; i < d->n_andd; i++)
		free(d->andd[i].acpi_object_name);
	for (size_t i = 0; i < d->n_satc; i++)
		scopes_free(d->satc[i].scopes, d->satc[i].n_scopes);
	for (size_t i = 0; i < d->n_sidp; i++)
		scopes_free(d->sidp[i].scopes, d->sidp[i].n_scopes);
	for (size_t i = 0; i < d->n_unknown; i++)
		free(d->unknown[i].data);
	free(d->drhd);
	free(d->rmrr);
	free(d->atsr);
	free(d->rhsa);
	free(d->andd);
	free(d->satc);
	free(d->sidp);
	free(d->unknown);
	memset(d, 0, sizeof(*d));
}

size_t
hv_dmar_iommu_count(const struct hv_dmar *d)
{
	return d->n_drhd;
}

const struct hv_dmar_drhd *
hv_dmar_include_all(const struct hv_dmar *d, uint16_t segment)
{
	for (size_t i = 0; i < d->n_drhd; i++)
		if (d->drhd[i].segment == segment &&
		    (d->drhd[i].flags & HV_DMAR_DRHD_INCLUDE_PCI_ALL))
			return &d->drhd[i];
	return NULL;
}

int
hv_dmar_scope_resolve(const struct hv_dmar_scope *s, uint16_t segment,
		      hv_dmar_bridge_fn bridge, void *userdata, uint16_t *ret_bdf)
{
	uint8_t bus;

	if (!s || s->n_path == 0)
		return -EINVAL;
	if (s->n_path > HV_DMAR_SCOPE_DEPTH_MAX)
		return -ELOOP;
	for (size_t i = 0; i < s->n_path; i++)
		if (s->path[i].device > 31 || s->path[i].function > 7)
			return -EINVAL;

	bus = s->start_bus_number;
	for (size_t i = 0; i + 1 < s->n_path; i++) {
		uint16_t bdf = (uint16_t)(bus << 8 | s->path[i].device << 3 |
					  s->path[i].function);
		uint8_t secondary = 0, subordinate = 0;
		int r;

		if (!bridge)
			return -ENOENT;
		r = bridge(userdata, segment, bdf, &secondary, &subordinate);
		if (r < 0)
			return r;
		bus = secondary;
	}
	*ret_bdf = (uint16_t)(bus << 8 | s->path[s->n_path - 1].device << 3 |
			      s->path[s->n_path - 1].function);
	return 0;
}

/* Does scope s (of a DRHD on segment) name the device bdf, or a bridge
 * above it? */
static bool
scope_covers(const struct hv_dmar_scope *s, uint16_t segment, uint16_t bdf,
	     hv_dmar_bridge_fn bridge, void *userdata)
{
	uint8_t secondary = 0, subordinate = 0;
	uint16_t at;

	if (s->type != HV_DMAR_SCOPE_PCI_ENDPOINT &&
	    s->type != HV_DMAR_SCOPE_PCI_SUB_HIERARCHY)
		return false;
	if (hv_dmar_scope_resolve(s, segment, bridge, userdata, &at) < 0)
		return false;
	if (at == bdf)
		return true;
	if (s->type != HV_DMAR_SCOPE_PCI_SUB_HIERARCHY || !bridge)
		return false;
	if (bridge(userdata, segment, at, &secondary, &subordinate) < 0)
		return false;
	return (bdf >> 8) >= secondary && (bdf >> 8) <= subordinate;
}

int
hv_dmar_unit_for_device(const struct hv_dmar *d, uint16_t segment,
			uint16_t bdf, hv_dmar_bridge_fn bridge, void *userdata,
			size_t *ret_index)
{
	const struct hv_dmar_drhd *all;

	for (size_t i = 0; i < d->n_drhd; i++) {
		const struct hv_dmar_drhd *u = &d->drhd[i];

		if (u->segment != segment || (u->flags & HV_DMAR_DRHD_INCLUDE_PCI_ALL))
			continue;
		for (size_t j = 0; j < u->n_scopes; j++)
			if (scope_covers(&u->scopes[j], segment, bdf, bridge, userdata)) {
				*ret_index = i;
				return 0;
			}
	}
	all = hv_dmar_include_all(d, segment);
	if (!all)
		return -ENOENT;
	*ret_index = (size_t)(all - d->drhd);
	return 0;
}
