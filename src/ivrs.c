/*
 * ivrs.c -- AMD I/O Virtualization Reporting Structure (ACPI IVRS, AMD
 * IOMMU specification 48882 rev 3.x section 5.2): a pure decoder, bytes in,
 * struct hv_ivrs out (hv-acpi.h), with the distinct IOMMUs and the device
 * ids each one translates.
 *
 * The probe reads sys/firmware/acpi/tables/IVRS through the root and hands
 * the bytes here; nothing in this file does I/O.
 *
 * Layout, little-endian:
 *
 *   0           36         40           48
 *   +-----------+----------+------------+------------------------+
 *   | ACPI hdr  | IVinfo:4 | reserved:8 | IVHD / IVMD blocks ... |
 *   +-----------+----------+------------+------------------------+
 *   IVinfo: bit 0 EFRSup, bit 1 DMA remap support (pre-boot), bits 7:5
 *   GVA size, bits 14:8 PA size, bits 21:15 VA size, bit 22 HT ATS resv.
 *
 *   every block:  <type:1> <flags:1> <length:2> <body: length - 4>
 *
 *   IVHD 10h (24 bytes, then device entries to length):
 *   +------+-------+--------+--------+---------+-----------+-----+------+---------+
 *   | type | flags | length | dev id | cap off | base addr | seg | info | feature |
 *   +------+-------+--------+--------+---------+-----------+-----+------+---------+
 *       1      1       2        2        2          8        2     2       4
 *   IVHD 11h, 40h (40 bytes): as 10h up to info, then
 *       <attributes:4> <EFR image:8> <EFR2 image:8>
 *
 *   device entries: <type:1> <device id:2> <data setting:1> [...]
 *     00h pad, 01h all, 02h select, 03h start, 04h end           4 bytes
 *     40h pad, 42h alias select, 43h alias start                 8 bytes
 *         (42h/43h: <reserved:1> <source device id:2> <reserved:1>)
 *     46h extended select, 47h extended start                    8 bytes
 *         (<extended data:4>)
 *     48h special: <handle:1> <source device id:2> <variety:1>  8 bytes
 *     F0h ACPI HID: <HID:8> <CID:8> <UID format:1> <UID length:1> <UID>
 *     other types: bits 7:6 give the size (00 4, 01 8 bytes); 80h..FFh
 *     other than F0h have no size the decoder can know.
 *
 *   IVMD 20h (all), 21h (one), 22h (range), 32 bytes:
 *     <type:1> <flags:1> <length:2> <device id:2> <auxiliary:2>
 *     <reserved:8> <start address:8> <memory block length:8>
 *     flags: bit 0 unity, 1 read, 2 write, 3 exclusion range.
 *
 * Hostile input: every length is checked against what remains of its
 * container before a byte is read. A block shorter than its 4-byte header
 * (0 included) or longer than what is left of the table stops the walk
 * with an issue naming the offset, keeping what came before. A device entry
 * that overruns its block (an F0h entry whose UID runs past the end, say)
 * stops that block's entries only. Unknown block types (one real table has
 * 51h) are kept raw and skipped by length. Every step advances, so the walk
 * ends; the number of IVHDs is bounded by HV_IVRS_IVHD_MAX.
 */
#include <stdio.h>

#include "hv-acpi.h"

/* Record a malformed-input issue at offset off. */
#define BAD(is, off, ...) hv_acpi_issue_add((is), (off), -EBADMSG, __VA_ARGS__)

struct ivrs_ctx {
	struct hv_ivrs *v;
	const uint8_t *buf;
	size_t cap_ivhd, cap_ivmd, cap_unknown, cap_iommus;
};

static void *
push(void *arrp, size_t *n, size_t *cap, size_t sz)
{
	void **arr = arrp;

	if (hv_grow(arr, cap, *n + 1, sz) < 0)
		return NULL;
	return (char *)*arr + (*n)++ * sz;
}

const char *
hv_ivhd_entry_type_to_string(unsigned type)
{
	static const struct {
		uint8_t type;
		const char *name;
	} names[] = {
		{ HV_IVHD_ENTRY_PAD4, "pad4" },
		{ HV_IVHD_ENTRY_ALL, "all" },
		{ HV_IVHD_ENTRY_SELECT, "select" },
		{ HV_IVHD_ENTRY_START, "start" },
		{ HV_IVHD_ENTRY_END, "end" },
		{ HV_IVHD_ENTRY_PAD8, "pad8" },
		{ HV_IVHD_ENTRY_ALIAS_SELECT, "alias_select" },
		{ HV_IVHD_ENTRY_ALIAS_START, "alias_start" },
		{ HV_IVHD_ENTRY_EXT_SELECT, "ext_select" },
		{ HV_IVHD_ENTRY_EXT_START, "ext_start" },
		{ HV_IVHD_ENTRY_SPECIAL, "special" },
		{ HV_IVHD_ENTRY_ACPI_HID, "acpi_hid" },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(names); i++)
		if (names[i].type == type)
			return names[i].name;
	return NULL;
}

const char *
hv_ivhd_variety_to_string(unsigned variety)
{
	switch (variety) {
	case HV_IVHD_SPECIAL_IOAPIC:
		return "ioapic";
	case HV_IVHD_SPECIAL_HPET:
		return "hpet";
	default:
		return NULL;
	}
}

const char *
hv_ivmd_type_to_string(unsigned type)
{
	switch (type) {
	case HV_IVRS_TYPE_IVMD_ALL:
		return "ivmd_all";
	case HV_IVRS_TYPE_IVMD_ONE:
		return "ivmd_one";
	case HV_IVRS_TYPE_IVMD_RANGE:
		return "ivmd_range";
	default:
		return NULL;
	}
}

/* iasl's UtIsIdInteger(): an ACPI id is an integer (an EISA id) unless its
 * first three bytes are letters. */
static bool
id_is_integer(const uint8_t *p)
{
	for (size_t i = 0; i < 3; i++) {
		uint8_t ch = p[i] | 0x20;

		if (ch < 'a' || ch > 'z')
			return true;
	}
	return false;
}

/* Decode the F0h entry at p (len = 22 + UID length bytes, checked). */
static int
parse_acpi_hid(struct hv_ivhd_entry *e, const uint8_t *p)
{
	e->hid_raw = hv_le64(p + 4);
	e->hid_is_integer = id_is_integer(p + 4);
	hv_acpi_name(p + 4, 8, e->hid);
	e->cid_raw = hv_le64(p + 12);
	e->cid_is_integer = id_is_integer(p + 12);
	hv_acpi_name(p + 12, 8, e->cid);
	e->uid_format = p[20];
	e->uid_length = p[21];
	if (e->uid_length == 0)
		return 0;
	if (e->uid_format == HV_IVHD_UID_STRING) {
		size_t n;

		for (n = 0; n < e->uid_length && p[22 + n] != '\0'; n++)
			;
		e->uid = malloc(n + 1);
		if (!e->uid)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			uint8_t ch = p[22 + i];

			e->uid[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		}
		e->uid[n] = '\0';
	} else {
		for (size_t i = 0; i < e->uid_length && i < 8; i++)
			e->uid_integer |= (uint64_t)p[22 + i] << (8 * i);
	}
	return 0;
}

static bool
entry_type_known(uint8_t type)
{
	return hv_ivhd_entry_type_to_string(type) != NULL;
}

/* Decode the device entries in [eo, eend) of the IVHD h at offset hoff. */
static int
parse_entries(struct ivrs_ctx *c, struct hv_ivhd *h, size_t eo, size_t eend)
{
	struct hv_acpi_issues *is = &c->v->issues;
	const uint8_t *p = c->buf;
	size_t cap = 0;

	while (eo < eend) {
		size_t left = eend - eo, elen;
		struct hv_ivhd_entry *e;
		uint8_t t = p[eo];
		bool variable_unknown = false;

		if (t == HV_IVHD_ENTRY_ACPI_HID) {
			if (left < 22) {
				BAD(is, eo,
				    "IVRS: IVHD at offset 0x%x: ACPI HID entry at offset "
				    "0x%zx needs 22 bytes, %zu left in the block",
				    h->offset, eo, left);
				break;
			}
			elen = 22 + (size_t)p[eo + 21];
			if (elen > left) {
				BAD(is, eo,
				    "IVRS: IVHD at offset 0x%x: ACPI HID entry at offset "
				    "0x%zx: UID length %u runs past the end of the block "
				    "at 0x%zx", h->offset, eo, p[eo + 21], eend);
				break;
			}
		} else if (t < 0x80) {
			elen = (size_t)4 << (t >> 6);
			if (elen > left) {
				BAD(is, eo,
				    "IVRS: IVHD at offset 0x%x: device entry at offset "
				    "0x%zx (type 0x%02x, %zu bytes) runs past the end of "
				    "the block at 0x%zx", h->offset, eo, t, elen, eend);
				break;
			}
		} else {
			BAD(is, eo,
			    "IVRS: IVHD at offset 0x%x: device entry at offset 0x%zx "
			    "has type 0x%02x, of a size this decoder does not know; "
			    "the rest of the block is not decoded", h->offset, eo, t);
			elen = left;
			variable_unknown = true;
		}

		e = push(&h->entries, &h->n_entries, &cap, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->offset = (uint32_t)eo;
		e->type = t;
		e->known = entry_type_known(t);
		e->length = (uint16_t)elen;
		if (left >= 4) {
			e->device_id = hv_le16(p + eo + 1);
			e->data_setting = p[eo + 3];
		}
		if (variable_unknown)
			break;
		if (elen == 8) {
			e->ext = hv_le32(p + eo + 4);
			if (t == HV_IVHD_ENTRY_SPECIAL)
				e->handle = p[eo + 4];
			else
				e->reserved1 = p[eo + 4];
			e->source_device_id = hv_le16(p + eo + 5);
			if (t == HV_IVHD_ENTRY_SPECIAL)
				e->variety = p[eo + 7];
			else
				e->reserved2 = p[eo + 7];
			if (t != HV_IVHD_ENTRY_ALIAS_SELECT &&
			    t != HV_IVHD_ENTRY_ALIAS_START &&
			    t != HV_IVHD_ENTRY_SPECIAL)
				e->source_device_id = 0;
		} else if (t == HV_IVHD_ENTRY_ACPI_HID) {
			int r = parse_acpi_hid(e, p + eo);

			if (r < 0)
				return r;
		}
		eo += elen;
	}
	return 0;
}

static int
parse_ivhd(struct ivrs_ctx *c, size_t off, size_t len)
{
	struct hv_ivrs *v = c->v;
	const uint8_t *p = c->buf + off;
	struct hv_ivhd *h;
	size_t fixed = p[0] == HV_IVRS_TYPE_IVHD_10 ? 24 : 40;

	h = push(&v->ivhd, &v->n_ivhd, &c->cap_ivhd, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->offset = (uint32_t)off;
	h->type = p[0];
	h->flags = p[1];
	h->length = (uint16_t)len;
	h->device_id = hv_le16(p + 4);
	h->capability_offset = hv_le16(p + 6);
	h->base_address = hv_le64(p + 8);
	h->pci_segment_group = hv_le16(p + 16);
	h->iommu_info = hv_le16(p + 18);
	if (h->type == HV_IVRS_TYPE_IVHD_10) {
		h->feature_reporting = hv_le32(p + 20);
	} else {
		h->attributes = hv_le32(p + 20);
		h->efr_image = hv_le64(p + 24);
		h->efr2_image = hv_le64(p + 32);
	}
	return parse_entries(c, h, off + fixed, off + len);
}

static int
parse_ivmd(struct ivrs_ctx *c, size_t off, size_t len)
{
	struct hv_ivrs *v = c->v;
	const uint8_t *p = c->buf + off;
	struct hv_ivmd *m;

	m = push(&v->ivmd, &v->n_ivmd, &c->cap_ivmd, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->offset = (uint32_t)off;
	m->type = p[0];
	m->flags = p[1];
	m->length = (uint16_t)len;
	m->device_id = hv_le16(p + 4);
	m->auxiliary_data = hv_le16(p + 6);
	m->reserved = hv_le64(p + 8);
	m->start_address = hv_le64(p + 16);
	m->memory_length = hv_le64(p + 24);
	m->pci_segment_group = hv_le16(p + 8);
	switch (m->type) {
	case HV_IVRS_TYPE_IVMD_ALL:
		m->first_device_id = 0;
		m->last_device_id = 0xffff;
		break;
	case HV_IVRS_TYPE_IVMD_ONE:
		m->first_device_id = m->last_device_id = m->device_id;
		break;
	default:
		m->first_device_id = m->device_id;
		m->last_device_id = m->auxiliary_data;
		break;
	}
	return 0;
}

/* The block types, by type byte; min_len is the fixed part. */
static const struct ivrs_kind {
	uint8_t type;
	const char *name;
	size_t min_len;
	int (*parse)(struct ivrs_ctx *c, size_t off, size_t len);
} ivrs_kinds[] = {
	{ HV_IVRS_TYPE_IVHD_10, "IVHD 10h", 24, parse_ivhd },
	{ HV_IVRS_TYPE_IVHD_11, "IVHD 11h", 40, parse_ivhd },
	{ HV_IVRS_TYPE_IVHD_40, "IVHD 40h", 40, parse_ivhd },
	{ HV_IVRS_TYPE_IVMD_ALL, "IVMD 20h", 32, parse_ivmd },
	{ HV_IVRS_TYPE_IVMD_ONE, "IVMD 21h", 32, parse_ivmd },
	{ HV_IVRS_TYPE_IVMD_RANGE, "IVMD 22h", 32, parse_ivmd },
};

static const struct ivrs_kind *
ivrs_kind(uint8_t type)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(ivrs_kinds); i++)
		if (ivrs_kinds[i].type == type)
			return &ivrs_kinds[i];
	return NULL;
}

static int
push_raw(struct ivrs_ctx *c, size_t off, uint8_t type, uint16_t len)
{
	struct hv_ivrs *v = c->v;
	struct hv_acpi_raw *raw;

	raw = push(&v->unknown, &v->n_unknown, &c->cap_unknown, sizeof(*raw));
	if (!raw)
		return -ENOMEM;
	raw->offset = (uint32_t)off;
	raw->type = type;
	raw->length = len;
	raw->data = malloc(len);
	if (!raw->data) {
		v->n_unknown--;
		return -ENOMEM;
	}
	memcpy(raw->data, c->buf + off, len);
	return 0;
}

static int
ivrs_walk(struct ivrs_ctx *c, size_t off, size_t end, size_t *ret_off)
{
	struct hv_ivrs *v = c->v;
	const uint8_t *p = c->buf;
	int r;

	while (off < end) {
		const struct ivrs_kind *k;
		size_t left = end - off;
		uint16_t len;
		uint8_t type;

		if (left < 4) {
			BAD(&v->issues, off,
			    "IVRS: %zu byte(s) left at offset 0x%zx, too few for a "
			    "block header", left, off);
			break;
		}
		type = p[off];
		len = hv_le16(p + off + 2);
		if (len < 4) {
			BAD(&v->issues, off,
			    "IVRS: block at offset 0x%zx (type 0x%02x) has length %u, "
			    "below its 4-byte header", off, type, len);
			break;
		}
		if (len > left) {
			BAD(&v->issues, off,
			    "IVRS: block at offset 0x%zx (type 0x%02x) has length %u, "
			    "past the end of the table (%zu bytes left)",
			    off, type, len, left);
			break;
		}
		k = ivrs_kind(type);
		if (k && k->parse == parse_ivhd && v->n_ivhd >= HV_IVRS_IVHD_MAX) {
			BAD(&v->issues, off,
			    "IVRS: more than %u IVHD blocks; the rest from offset "
			    "0x%zx is not decoded", HV_IVRS_IVHD_MAX, off);
			break;
		}
		if (k && len >= k->min_len) {
			r = k->parse(c, off, len);
		} else {
			if (k)
				BAD(&v->issues, off,
				    "IVRS: %s at offset 0x%zx has length %u, below its "
				    "%zu fixed bytes; kept raw", k->name, off, len,
				    k->min_len);
			r = push_raw(c, off, type, len);
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

/* 10h < 11h < 40h: the block Linux prefers for one IOMMU. */
static int
ivhd_rank(uint8_t type)
{
	switch (type) {
	case HV_IVRS_TYPE_IVHD_10:
		return 1;
	case HV_IVRS_TYPE_IVHD_11:
		return 2;
	case HV_IVRS_TYPE_IVHD_40:
		return 3;
	default:
		return 0;
	}
}

static int
add_range(struct hv_ivrs_iommu *m, size_t *cap, uint16_t first, uint16_t last,
	  const struct hv_ivhd_entry *from, bool alias, uint16_t alias_id)
{
	struct hv_ivrs_range *g;

	g = push(&m->ranges, &m->n_ranges, cap, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->first = first;
	g->last = last;
	g->entry_type = from->type;
	g->entry_offset = from->offset;
	g->data_setting = from->data_setting;
	g->alias = alias;
	g->alias_id = alias_id;
	return 0;
}

/*
 * The device ids the entries of h cover, as Linux's init_iommu_from_acpi()
 * reads them: all, select, start..end ranges (plain, alias, extended), the
 * alias targets, special devices' requester ids and ACPI HID devices. A
 * start without an end covers nothing; an end closes the last start.
 */
static int
build_ranges(struct hv_ivrs_iommu *m, const struct hv_ivhd *h)
{
	const struct hv_ivhd_entry *start = NULL;
	size_t cap = 0;
	int r = 0;

	for (size_t i = 0; i < h->n_entries && r == 0; i++) {
		const struct hv_ivhd_entry *e = &h->entries[i];

		switch (e->type) {
		case HV_IVHD_ENTRY_ALL:
			r = add_range(m, &cap, 0, 0xffff, e, false, 0);
			break;
		case HV_IVHD_ENTRY_SELECT:
		case HV_IVHD_ENTRY_EXT_SELECT:
		case HV_IVHD_ENTRY_ACPI_HID:
			r = add_range(m, &cap, e->device_id, e->device_id, e, false, 0);
			break;
		case HV_IVHD_ENTRY_ALIAS_SELECT:
			r = add_range(m, &cap, e->device_id, e->device_id, e, true,
				      e->source_device_id);
			if (r == 0)
				r = add_range(m, &cap, e->source_device_id,
					      e->source_device_id, e, false, 0);
			break;
		case HV_IVHD_ENTRY_START:
		case HV_IVHD_ENTRY_ALIAS_START:
		case HV_IVHD_ENTRY_EXT_START:
			start = e;
			break;
		case HV_IVHD_ENTRY_END:
			if (!start || e->device_id < start->device_id) {
				start = NULL;
				break;
			}
			if (start->type == HV_IVHD_ENTRY_ALIAS_START) {
				r = add_range(m, &cap, start->device_id, e->device_id, start,
					      true, start->source_device_id);
				if (r == 0)
					r = add_range(m, &cap, start->source_device_id,
						      start->source_device_id, start, false, 0);
			} else {
				r = add_range(m, &cap, start->device_id, e->device_id, start,
					      false, 0);
			}
			start = NULL;
			break;
		case HV_IVHD_ENTRY_SPECIAL:
			r = add_range(m, &cap, e->source_device_id, e->source_device_id,
				      e, false, 0);
			break;
		default:
			break;
		}
	}
	return r;
}

static int
build_iommus(struct ivrs_ctx *c)
{
	struct hv_ivrs *v = c->v;

	for (size_t i = 0; i < v->n_ivhd; i++) {
		struct hv_ivhd *h = &v->ivhd[i];
		struct hv_ivrs_iommu *m = NULL;
		size_t j;

		for (j = 0; j < v->n_iommus; j++)
			if (v->iommus[j].pci_segment_group == h->pci_segment_group &&
			    v->iommus[j].device_id == h->device_id) {
				m = &v->iommus[j];
				break;
			}
		if (!m) {
			m = push(&v->iommus, &v->n_iommus, &c->cap_iommus, sizeof(*m));
			if (!m)
				return -ENOMEM;
			m->pci_segment_group = h->pci_segment_group;
			m->device_id = h->device_id;
			m->base_address = h->base_address;
			m->ivhd = i;
		}
		h->iommu = j;
		m->n_ivhd++;
		switch (h->type) {
		case HV_IVRS_TYPE_IVHD_10:
			m->ivhd_types |= 1;
			break;
		case HV_IVRS_TYPE_IVHD_11:
			m->ivhd_types |= 2;
			break;
		case HV_IVRS_TYPE_IVHD_40:
			m->ivhd_types |= 4;
			break;
		default:
			m->ivhd_types |= 8;
			break;
		}
		if (ivhd_rank(h->type) > ivhd_rank(v->ivhd[m->ivhd].type))
			m->ivhd = i;
	}
	for (size_t j = 0; j < v->n_iommus; j++) {
		int r = build_ranges(&v->iommus[j], &v->ivhd[v->iommus[j].ivhd]);

		if (r < 0)
			return r;
	}
	return 0;
}

int
hv_ivrs_parse(const uint8_t *buf, size_t len, struct hv_ivrs *ret)
{
	struct ivrs_ctx c = { .v = ret, .buf = buf };
	struct hv_ivrs *v = ret;
	size_t end, off = 0;
	uint32_t info;
	int r;

	memset(v, 0, sizeof(*v));
	if (!buf)
		len = 0;
	if (len > HV_ACPI_TABLE_MAX) {
		hv_acpi_issue_add(&v->issues, 0, -E2BIG,
				  "IVRS: %zu bytes, more than the %u this decoder accepts",
				  len, HV_ACPI_TABLE_MAX);
		return -E2BIG;
	}
	r = hv_acpi_header_parse(buf, len, &v->header);
	if (r < 0) {
		if (len < HV_ACPI_HEADER_SIZE)
			BAD(&v->issues, len,
			    "IVRS: %zu bytes, too few for the 36-byte ACPI header",
			    len);
		else
			BAD(&v->issues, 4,
			    "IVRS: length field %u at offset 0x4 is below the "
			    "36-byte ACPI header", hv_le32(buf + 4));
		return -EBADMSG;
	}
	if (memcmp(buf, "IVRS", 4) != 0) {
		BAD(&v->issues, 0,
		    "IVRS: signature is \"%s\", not \"IVRS\"", v->header.signature);
		return -EBADMSG;
	}
	if (v->header.checksum_valid == HV_TRI_NO)
		BAD(&v->issues, 9,
		    "IVRS: checksum 0x%02x at offset 0x9 is wrong (should be 0x%02x)",
		    v->header.checksum, v->header.checksum_expected);

	end = v->header.length;
	if (len < end) {
		BAD(&v->issues, len,
		    "IVRS: truncated at offset 0x%zx: the header says %u bytes",
		    len, v->header.length);
		end = len;
	}
	if (end < HV_IVRS_HEADER_SIZE) {
		BAD(&v->issues, end,
		    "IVRS: %zu bytes, too few for the 48-byte IVRS header", end);
		return -EBADMSG;
	}
	info = hv_le32(buf + 36);
	v->ivinfo.raw = info;
	v->ivinfo.efr_sup = info & 0x1;
	v->ivinfo.dma_remap_sup = (info >> 1) & 0x1;
	v->ivinfo.gva_size = (info >> 5) & 0x7;
	v->ivinfo.pa_size = (info >> 8) & 0x7f;
	v->ivinfo.va_size = (info >> 15) & 0x7f;
	v->ivinfo.ht_ats_resv = (info >> 22) & 0x1;
	v->reserved = hv_le64(buf + 40);

	r = ivrs_walk(&c, HV_IVRS_HEADER_SIZE, end, &off);
	v->complete = r == 0 && off == v->header.length;
	if (r == 0)
		r = build_iommus(&c);
	if (r < 0)
		return r;
	return v->issues.n > 0 ? -EBADMSG : 0;
}

void
hv_ivrs_clear(struct hv_ivrs *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n_ivhd; i++) {
		for (size_t j = 0; j < v->ivhd[i].n_entries; j++)
			free(v->ivhd[i].entries[j].uid);
		free(v->ivhd[i].entries);
	}
	for (size_t i = 0; i < v->n_unknown; i++)
		free(v->unknown[i].data);
	for (size_t i = 0; i < v->n_iommus; i++)
		free(v->iommus[i].ranges);
	free(v->ivhd);
	free(v->ivmd);
	free(v->unknown);
	free(v->iommus);
	memset(v, 0, sizeof(*v));
}

size_t
hv_ivrs_iommu_count(const struct hv_ivrs *v)
{
	return v->n_iommus;
}

int
hv_ivrs_iommu_for_device(const struct hv_ivrs *v, uint16_t segment,
			 uint16_t device_id, size_t *ret_index,
			 const struct hv_ivrs_range **ret_range)
{
	const struct hv_ivrs_range *best = NULL;
	size_t best_index = 0;

	for (size_t i = 0; i < v->n_iommus; i++) {
		const struct hv_ivrs_iommu *m = &v->iommus[i];

		if (m->pci_segment_group != segment)
			continue;
		for (size_t j = 0; j < m->n_ranges; j++) {
			const struct hv_ivrs_range *g = &m->ranges[j];

			if (device_id < g->first || device_id > g->last)
				continue;
			if (!best || g->last - g->first < best->last - best->first) {
				best = g;
				best_index = i;
			}
		}
	}
	if (!best)
		return -ENOENT;
	*ret_index = best_index;
	if (ret_range)
		*ret_range = best;
	return 0;
}
