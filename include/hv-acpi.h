/*
 * hv-acpi.h -- decoders of the ACPI tables that describe IOMMUs: the common
 * ACPI header and its checksum (src/acpi-table.c), Intel's DMA Remapping
 * Reporting table DMAR (VT-d, src/dmar.c) and AMD's I/O Virtualization
 * Reporting Structure IVRS (AMD-Vi, src/ivrs.c).
 *
 * Pure: bytes in, structs out. No I/O, no printing; the probe reads the
 * table through the root and hands the bytes here.
 *
 * Field names follow the specifications (Intel VT-d 5.0 chapter 8, AMD IOMMU
 * 48882 rev 3.x section 5.2); the "json:" comment by each field is the key
 * the JSON and XML writers use for it. Offsets are byte offsets from the
 * start of the table, as iasl prints them. 64-bit addresses, masks and
 * register images are written as "0x..." strings in JSON (DESIGN.md).
 * Fields marked "not written" are kept so that a decoded table can be
 * compared with iasl byte for byte; writers leave them out.
 *
 * Results. hv_dmar_parse() and hv_ivrs_parse() always leave *ret in a
 * defined state that the caller must release with the matching _clear(),
 * whatever they return: a table that is broken half-way is still a fact,
 * and the structures decoded before the break are kept. They return 0 for
 * a table that decoded without a problem (unknown structure types are not
 * problems: they are kept raw), -EBADMSG when the table is malformed (the
 * issues list says what and at which offset; "complete" says whether the
 * walk reached the end; a bad checksum is one such issue, at offset 9, and
 * the table is still decoded in full), -E2BIG for a table over
 * HV_ACPI_TABLE_MAX, or -ENOMEM (with what was decoded so far kept).
 *
 * For the probe: on -EBADMSG record the table's fact as INVALID and turn
 * issues.v[0] (offset and message, which names the table) into
 * hv_host_diag(host, true, path, 0, -EBADMSG, ...), keeping the decoded
 * structures in the report.
 */
#ifndef HV_ACPI_H
#define HV_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv-util.h"

/* ---- little-endian readers (tables are little-endian) ----------------- */

static inline uint16_t
hv_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
hv_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t
hv_le64(const uint8_t *p)
{
	return (uint64_t)hv_le32(p) | (uint64_t)hv_le32(p + 4) << 32;
}

/* ---- the common header (acpi-table.c) --------------------------------- */

#define HV_ACPI_HEADER_SIZE	36u
/* The largest table the decoders accept: real DMAR/IVRS are a few KiB. */
#define HV_ACPI_TABLE_MAX	(1024u * 1024u)

struct hv_acpi_header {
	char signature[5];		/* json: signature */
	uint32_t length;		/* json: length (as the header says) */
	uint8_t revision;		/* json: revision */
	uint8_t checksum;		/* json: checksum (the byte in the table) */
	char oem_id[7];			/* json: oem_id */
	char oem_table_id[9];		/* json: oem_table_id */
	uint32_t oem_revision;		/* json: oem_revision */
	char creator_id[5];		/* json: creator_id (iasl: Asl Compiler ID) */
	uint32_t creator_revision;	/* json: creator_revision */
	/*
	 * json: checksum_valid: yes when all length bytes sum to 0 mod 256,
	 * no when they do not, unknown when fewer than length bytes were given
	 * (a truncated table). A bad checksum is recorded, never fatal.
	 */
	enum hv_tri checksum_valid;
	uint8_t checksum_expected;	/* json: checksum_expected: the byte that
					   makes the sum 0 (when valid is known) */
	size_t available;		/* bytes given, which may differ from length */
};

/*
 * The four text fields above hold the bytes as iasl prints them: up to the
 * first NUL, every byte that is not printable ASCII shown as a space, and
 * trailing spaces kept ("INTEL ", "      " for a blank OEM id). So a binary
 * id such as 01 00 .. 00 reads " ".
 */

/*
 * Decode the 36-byte header at buf (len bytes available) and verify the
 * checksum over min(len, length) bytes. Pure. Returns 0, or -EBADMSG when
 * len is below 36 or the length field is below 36 (*ret untouched then).
 */
int hv_acpi_header_parse(const uint8_t *buf, size_t len,
			 struct hv_acpi_header *ret);

/* The sum of len bytes mod 256 (0 for a valid table). */
uint8_t hv_acpi_sum(const uint8_t *buf, size_t len);

/* Copy an n-byte name field into out (n + 1 bytes) as iasl prints it. */
void hv_acpi_name(const uint8_t *p, size_t n, char *out);

/*
 * What is wrong with a table, where. At most HV_ACPI_ISSUES_MAX are kept
 * (the first ones, which matter most); "dropped" counts the rest.
 */
#define HV_ACPI_ISSUES_MAX	16

struct hv_acpi_issue {
	size_t offset;			/* json: offset (byte offset in the table) */
	int err;			/* -EBADMSG */
	char msg[160];			/* json: message: "DMAR: structure at
					   offset 0x98 (DRHD): length 0 ..." */
};

struct hv_acpi_issues {
	struct hv_acpi_issue v[HV_ACPI_ISSUES_MAX];	/* json: issues */
	size_t n;
	size_t dropped;			/* json: issues_dropped */
};

/* Record an issue (kept if there is room, else counted in dropped). */
void hv_acpi_issue_add(struct hv_acpi_issues *is, size_t offset, int err,
		       const char *fmt, ...) _printf_(4, 5);

/* A structure of a type the decoder does not know, kept raw. */
struct hv_acpi_raw {
	uint32_t offset;		/* json: offset */
	uint16_t type;			/* json: type */
	uint16_t length;		/* json: length */
	uint8_t *data;			/* the length bytes, header included; owned
					   (json: data, as hex) */
};

/* ---- DMAR: Intel VT-d (dmar.c) ---------------------------------------- */

#define HV_DMAR_HEADER_SIZE	48u

/* DMAR flags (json: flags; decoded as the booleans below) */
#define HV_DMAR_FLAG_INTR_REMAP			0x01	/* json: intr_remap */
#define HV_DMAR_FLAG_X2APIC_OPT_OUT		0x02	/* json: x2apic_opt_out */
#define HV_DMAR_FLAG_DMA_CTRL_PLATFORM_OPT_IN	0x04	/* json: dma_ctrl_platform_opt_in */

/* Remapping structure types. */
enum hv_dmar_type {
	HV_DMAR_TYPE_DRHD = 0,	/* DMA remapping hardware unit definition */
	HV_DMAR_TYPE_RMRR = 1,	/* reserved memory region reporting */
	HV_DMAR_TYPE_ATSR = 2,	/* root port ATS capability reporting */
	HV_DMAR_TYPE_RHSA = 3,	/* remapping hardware static affinity */
	HV_DMAR_TYPE_ANDD = 4,	/* ACPI name-space device declaration */
	HV_DMAR_TYPE_SATC = 5,	/* SoC integrated address translation cache */
	HV_DMAR_TYPE_SIDP = 6,	/* SoC integrated device property */
};
/* "drhd", "rmrr", "atsr", "rhsa", "andd", "satc", "sidp"; NULL if unknown. */
const char *hv_dmar_type_to_string(unsigned type);

#define HV_DMAR_DRHD_INCLUDE_PCI_ALL	0x01	/* json: include_pci_all */
#define HV_DMAR_ATSR_ALL_PORTS		0x01	/* json: all_ports */
#define HV_DMAR_SATC_ATC_REQUIRED	0x01	/* json: atc_required */

/* Device scope entry types. */
enum hv_dmar_scope_type {
	HV_DMAR_SCOPE_PCI_ENDPOINT = 1,
	HV_DMAR_SCOPE_PCI_SUB_HIERARCHY = 2,	/* a bridge and all below it */
	HV_DMAR_SCOPE_IOAPIC = 3,
	HV_DMAR_SCOPE_HPET = 4,			/* MSI-capable HPET */
	HV_DMAR_SCOPE_ACPI_NAMESPACE = 5,	/* an ANDD device */
};
/* "pci_endpoint", "pci_sub_hierarchy", "ioapic", "hpet",
 * "acpi_namespace_device"; NULL if unknown. */
const char *hv_dmar_scope_type_to_string(unsigned type);

/* The deepest scope path hv_dmar_scope_resolve() follows. */
#define HV_DMAR_SCOPE_DEPTH_MAX	32u

struct hv_dmar_path {
	uint8_t device;			/* json: device */
	uint8_t function;		/* json: function */
};

/*
 * Device scope:
 *   <type:1> <length:1> <flags:1> <reserved:1> <enumeration id:1>
 *   <start bus:1> { <device:1> <function:1> }...
 */
struct hv_dmar_scope {
	uint32_t offset;		/* json: offset */
	uint8_t type;			/* json: type (hv_dmar_scope_type_to_string) */
	uint8_t length;			/* json: length */
	uint8_t flags;			/* json: flags */
	uint8_t reserved;		/* not written */
	uint8_t enumeration_id;		/* json: enumeration_id (IOAPIC id,
					   HPET number, ANDD device number) */
	uint8_t start_bus_number;	/* json: start_bus_number */
	struct hv_dmar_path *path;	/* json: path: [{device, function}] */
	size_t n_path;
};

struct hv_dmar_drhd {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint8_t flags;			/* json: flags (INCLUDE_PCI_ALL) */
	/* json: size: bits 3:0 give the register set size as 2^N 4 KiB pages
	 * (hv_dmar_drhd_register_size()); 0 before VT-d 3.x. */
	uint8_t size;
	uint16_t segment;		/* json: segment */
	uint64_t register_base_address;	/* json: register_base_address */
	struct hv_dmar_scope *scopes;	/* json: device_scopes */
	size_t n_scopes;
};

/* The register set size in bytes of a DRHD (4096 << (size & 0xf)). */
static inline uint64_t
hv_dmar_drhd_register_size(const struct hv_dmar_drhd *u)
{
	return UINT64_C(4096) << (u->size & 0x0f);
}

struct hv_dmar_rmrr {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint16_t reserved;		/* not written */
	uint16_t segment;		/* json: segment */
	uint64_t base_address;		/* json: base_address */
	uint64_t limit_address;		/* json: limit_address (inclusive) */
	struct hv_dmar_scope *scopes;	/* json: device_scopes */
	size_t n_scopes;
};

struct hv_dmar_atsr {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint8_t flags;			/* json: flags (ALL_PORTS) */
	uint8_t reserved;		/* not written */
	uint16_t segment;		/* json: segment */
	struct hv_dmar_scope *scopes;	/* json: device_scopes */
	size_t n_scopes;
};

struct hv_dmar_rhsa {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint32_t reserved;		/* not written */
	uint64_t register_base_address;	/* json: register_base_address */
	uint32_t proximity_domain;	/* json: proximity_domain */
};

struct hv_dmar_andd {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint32_t reserved;		/* not written (3 bytes) */
	uint8_t acpi_device_number;	/* json: acpi_device_number */
	/* json: acpi_object_name: up to the first NUL or the end of the
	 * structure, non-printable bytes as '?'. Owned; never NULL. */
	char *acpi_object_name;
};

struct hv_dmar_satc {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint8_t flags;			/* json: flags (ATC_REQUIRED) */
	uint8_t reserved;		/* not written */
	uint16_t segment;		/* json: segment */
	struct hv_dmar_scope *scopes;	/* json: device_scopes */
	size_t n_scopes;
};

struct hv_dmar_sidp {
	uint32_t offset;		/* json: offset */
	uint16_t length;		/* json: length */
	uint16_t reserved;		/* not written */
	uint16_t segment;		/* json: segment */
	struct hv_dmar_scope *scopes;	/* json: device_scopes */
	size_t n_scopes;
};

struct hv_dmar {
	struct hv_acpi_header header;	/* json: header */
	/* json: host_address_width: the field as stored; the platform's DMA
	 * address width is this + 1 bits (0x26 -> 39 bits). */
	uint8_t host_address_width;
	uint8_t flags;			/* json: flags */
	uint8_t reserved[10];		/* not written */

	/* Each kind in table order; offsets give the interleaving. */
	struct hv_dmar_drhd *drhd;	/* json: drhd */
	size_t n_drhd;
	struct hv_dmar_rmrr *rmrr;	/* json: rmrr */
	size_t n_rmrr;
	struct hv_dmar_atsr *atsr;	/* json: atsr */
	size_t n_atsr;
	struct hv_dmar_rhsa *rhsa;	/* json: rhsa */
	size_t n_rhsa;
	struct hv_dmar_andd *andd;	/* json: andd */
	size_t n_andd;
	struct hv_dmar_satc *satc;	/* json: satc */
	size_t n_satc;
	struct hv_dmar_sidp *sidp;	/* json: sidp */
	size_t n_sidp;
	/* json: unknown: structures of types the decoder does not know, and
	 * known ones too short for their fixed fields (an issue says so). */
	struct hv_acpi_raw *unknown;
	size_t n_unknown;

	bool complete;			/* json: complete: walked to the end */
	struct hv_acpi_issues issues;
};

/*
 * Decode a DMAR table image (buf, len bytes: the file's contents). Pure.
 * *ret is always initialized (see the top of this file for the return
 * values); release it with hv_dmar_clear().
 */
int hv_dmar_parse(const uint8_t *buf, size_t len, struct hv_dmar *ret);
void hv_dmar_clear(struct hv_dmar *d);

/* Derived facts. */
static inline unsigned
hv_dmar_address_bits(const struct hv_dmar *d)
{
	return (unsigned)d->host_address_width + 1;
}

/* The number of remapping hardware units: one per DRHD. */
size_t hv_dmar_iommu_count(const struct hv_dmar *d);

/* The DRHD with INCLUDE_PCI_ALL for segment (the catch-all of that
 * segment), or NULL. */
const struct hv_dmar_drhd *hv_dmar_include_all(const struct hv_dmar *d,
					       uint16_t segment);

/*
 * The PCI topology a scope path is resolved against: the buses behind the
 * bridge at segment:bdf (bdf = bus << 8 | device << 3 | function). Returns
 * 0 and the bridge's secondary and subordinate bus numbers, or a negative
 * errno (-ENOENT: no bridge there).
 */
typedef int (*hv_dmar_bridge_fn)(void *userdata, uint16_t segment,
				 uint16_t bdf, uint8_t *ret_secondary,
				 uint8_t *ret_subordinate);

/*
 * Resolve a device scope's path to the BDF of the device it names: start
 * at start_bus_number, and for every path element but the last follow the
 * bridge there to its secondary bus. Pure but for the callback. Returns 0
 * and *ret_bdf; -EINVAL for a scope without a path or with a device > 31
 * or function > 7; -ELOOP for a path deeper than HV_DMAR_SCOPE_DEPTH_MAX;
 * or the callback's error.
 */
int hv_dmar_scope_resolve(const struct hv_dmar_scope *s, uint16_t segment,
			  hv_dmar_bridge_fn bridge, void *userdata,
			  uint16_t *ret_bdf);

/*
 * Which DRHD covers the PCI device segment:bdf, as Linux matches them: a
 * DRHD of that segment whose PCI endpoint scope resolves to it, or whose
 * sub-hierarchy scope is it or a bridge above it (its bus within the
 * bridge's secondary..subordinate range); failing those, the segment's
 * INCLUDE_PCI_ALL unit. Returns 0 and the index in d->drhd, -ENOENT if no
 * unit covers it. Callback errors on a scope only skip that scope.
 */
int hv_dmar_unit_for_device(const struct hv_dmar *d, uint16_t segment,
			    uint16_t bdf, hv_dmar_bridge_fn bridge,
			    void *userdata, size_t *ret_index);

/* ---- IVRS: AMD-Vi (ivrs.c) -------------------------------------------- */

#define HV_IVRS_HEADER_SIZE	48u

/* The most IVHD blocks decoded (real tables have a few dozen at most). */
#define HV_IVRS_IVHD_MAX	1024u

/* IVinfo, the 32-bit field at offset 36. */
struct hv_ivrs_ivinfo {
	uint32_t raw;			/* json: ivinfo (the field as stored) */
	bool efr_sup;			/* json: efr_sup: bit 0, the IVHDs carry
					   an EFR image */
	/* json: dma_remap_sup: bit 1, firmware enabled DMA remapping before
	 * boot (pre-boot DMA protection); the OS is expected to keep it. */
	bool dma_remap_sup;
	uint8_t gva_size;		/* json: gva_size: bits 7:5 (2 = 48 bits) */
	uint8_t pa_size;		/* json: pa_size: bits 14:8, bits */
	uint8_t va_size;		/* json: va_size: bits 21:15, bits */
	bool ht_ats_resv;		/* json: ht_ats_resv: bit 22 */
};

/* Subtable types. */
#define HV_IVRS_TYPE_IVHD_10	0x10	/* IVHD, legacy format */
#define HV_IVRS_TYPE_IVHD_11	0x11	/* IVHD with EFR image */
#define HV_IVRS_TYPE_IVHD_40	0x40	/* IVHD, mixed format (ACPI HID entries) */
#define HV_IVRS_TYPE_IVMD_ALL	0x20	/* IVMD for all peripherals */
#define HV_IVRS_TYPE_IVMD_ONE	0x21	/* IVMD for one peripheral */
#define HV_IVRS_TYPE_IVMD_RANGE	0x22	/* IVMD for a range of peripherals */

/* IVHD flags (json: flags) */
#define HV_IVHD_FLAG_HT_TUN_EN		0x01	/* json: ht_tun_en */
#define HV_IVHD_FLAG_PASS_PW		0x02	/* json: pass_pw */
#define HV_IVHD_FLAG_RES_PASS_PW	0x04	/* json: res_pass_pw */
#define HV_IVHD_FLAG_ISOC		0x08	/* json: isoc */
#define HV_IVHD_FLAG_IOTLB_SUP		0x10	/* json: iotlb_sup */
#define HV_IVHD_FLAG_COHERENT		0x20	/* json: coherent */
#define HV_IVHD_FLAG_PREF_SUP		0x40	/* json: pref_sup */
#define HV_IVHD_FLAG_PPR_SUP		0x80	/* json: ppr_sup */

/* Device entry types. Bits 7:6 give the size: 00 4 bytes, 01 8 bytes;
 * F0h is variable (22 bytes + UID length). */
enum hv_ivhd_entry_type {
	HV_IVHD_ENTRY_PAD4 = 0x00,
	HV_IVHD_ENTRY_ALL = 0x01,
	HV_IVHD_ENTRY_SELECT = 0x02,
	HV_IVHD_ENTRY_START = 0x03,
	HV_IVHD_ENTRY_END = 0x04,
	HV_IVHD_ENTRY_PAD8 = 0x40,
	HV_IVHD_ENTRY_ALIAS_SELECT = 0x42,
	HV_IVHD_ENTRY_ALIAS_START = 0x43,
	HV_IVHD_ENTRY_EXT_SELECT = 0x46,
	HV_IVHD_ENTRY_EXT_START = 0x47,
	HV_IVHD_ENTRY_SPECIAL = 0x48,
	HV_IVHD_ENTRY_ACPI_HID = 0xf0,
};
/* "pad4", "all", "select", "start", "end", "pad8", "alias_select",
 * "alias_start", "ext_select", "ext_start", "special", "acpi_hid";
 * NULL if unknown. */
const char *hv_ivhd_entry_type_to_string(unsigned type);

/* Data setting (DTE setting) bits (json: data_setting) */
#define HV_IVHD_DTE_INIT_PASS		0x01	/* json: init_pass */
#define HV_IVHD_DTE_EINT_PASS		0x02	/* json: eint_pass */
#define HV_IVHD_DTE_NMI_PASS		0x04	/* json: nmi_pass */
#define HV_IVHD_DTE_SYS_MGT_MASK	0x30	/* json: sys_mgt (bits 5:4) */
#define HV_IVHD_DTE_LINT0_PASS		0x40	/* json: lint0_pass */
#define HV_IVHD_DTE_LINT1_PASS		0x80	/* json: lint1_pass */

/* Special device varieties (48h). */
#define HV_IVHD_SPECIAL_IOAPIC	0x01
#define HV_IVHD_SPECIAL_HPET	0x02
/* "ioapic", "hpet"; NULL if unknown. */
const char *hv_ivhd_variety_to_string(unsigned variety);

/* UID formats of an ACPI HID entry (F0h). */
#define HV_IVHD_UID_NONE	0
#define HV_IVHD_UID_INTEGER	1
#define HV_IVHD_UID_STRING	2

/*
 * One device entry. Every entry starts <type:1> <device id:2> <data:1>;
 * the rest depends on the type.
 */
struct hv_ivhd_entry {
	uint32_t offset;		/* json: offset */
	uint8_t type;			/* json: type (hv_ivhd_entry_type_to_string) */
	bool known;			/* a type the specification defines */
	/* json: length: 4, 8 or 22 + uid_length; for a variable-length type
	 * the decoder does not know, the rest of the block (not decoded). */
	uint16_t length;
	uint16_t device_id;		/* json: device_id (bus << 8 | devfn) */
	uint8_t data_setting;		/* json: data_setting */

	/* 8-byte entries: bytes 4..7 as stored (extended data for 46h/47h,
	 * json: extended_data; raw for unknown 8-byte types). */
	uint32_t ext;
	/* 42h/43h: json: source_device_id (the id requests carry, the alias);
	 * 48h: json: source_device_id (the IOAPIC's or HPET's requester id) */
	uint16_t source_device_id;
	uint8_t reserved1, reserved2;	/* 42h/43h bytes 4 and 7; not written */
	uint8_t handle;			/* 48h: json: handle (IOAPIC id, HPET no.) */
	uint8_t variety;		/* 48h: json: variety (1 IOAPIC, 2 HPET) */

	/* F0h. HID and CID are strings unless their first three bytes are not
	 * all letters (iasl's test): then they are integers (EISA ids). */
	uint64_t hid_raw;		/* the 8 bytes, little-endian */
	bool hid_is_integer;
	char hid[9];			/* json: acpi_hid (string form) */
	uint64_t cid_raw;		/* json: acpi_cid as "0x..." when integer */
	bool cid_is_integer;
	char cid[9];			/* json: acpi_cid (string form) */
	uint8_t uid_format;		/* json: uid_format (0 none, 1 int, 2 string) */
	uint8_t uid_length;		/* json: uid_length */
	char *uid;			/* json: uid: a string UID, non-printable
					   bytes as '?'; NULL otherwise. Owned. */
	uint64_t uid_integer;		/* json: uid for an integer UID (the first
					   up to 8 bytes, little-endian) */
};

/*
 * IVHD (types 10h, 11h, 40h):
 *   <type:1> <flags:1> <length:2> <device id:2> <capability offset:2>
 *   <base address:8> <segment:2> <iommu info:2> then, for 10h,
 *   <feature reporting:4>, for 11h/40h, <attributes:4> <EFR image:8>
 *   <EFR2 image:8>; then device entries to the end of the block.
 */
struct hv_ivhd {
	uint32_t offset;		/* json: offset */
	uint8_t type;			/* json: type (0x10, 0x11, 0x40) */
	uint8_t flags;			/* json: flags */
	uint16_t length;		/* json: length */
	uint16_t device_id;		/* json: device_id (of the IOMMU itself) */
	uint16_t capability_offset;	/* json: capability_offset */
	uint64_t base_address;		/* json: base_address */
	uint16_t pci_segment_group;	/* json: pci_segment_group */
	/* json: iommu_info: MSI number bits 4:0 (json: msi_number), unit id
	 * bits 12:8 (json: unit_id). iasl: Virtualization Info. */
	uint16_t iommu_info;
	uint32_t feature_reporting;	/* 10h: json: iommu_feature_reporting */
	uint32_t attributes;		/* 11h/40h: json: iommu_attributes */
	uint64_t efr_image;		/* 11h/40h: json: efr_register_image */
	uint64_t efr2_image;		/* 11h/40h: json: efr_register_image_2
					   (iasl prints it as Reserved) */
	struct hv_ivhd_entry *entries;	/* json: device_entries */
	size_t n_entries;
	size_t iommu;			/* index in ivrs->iommus of the IOMMU
					   this block describes */
};

static inline unsigned
hv_ivhd_msi_number(const struct hv_ivhd *h)
{
	return h->iommu_info & 0x1f;
}

static inline unsigned
hv_ivhd_unit_id(const struct hv_ivhd *h)
{
	return (h->iommu_info >> 8) & 0x1f;
}

/* IVMD flags (json: flags) */
#define HV_IVMD_FLAG_UNITY	0x01	/* json: unity */
#define HV_IVMD_FLAG_READ	0x02	/* json: read */
#define HV_IVMD_FLAG_WRITE	0x04	/* json: write */
#define HV_IVMD_FLAG_EXCLUSION	0x08	/* json: exclusion_range */

/*
 * IVMD (types 20h, 21h, 22h), 32 bytes:
 *   <type:1> <flags:1> <length:2> <device id:2> <auxiliary data:2>
 *   <reserved:8> <start address:8> <memory block length:8>
 */
struct hv_ivmd {
	uint32_t offset;		/* json: offset */
	uint8_t type;			/* json: type */
	uint8_t flags;			/* json: flags */
	uint16_t length;		/* json: length */
	uint16_t device_id;		/* json: device_id */
	uint16_t auxiliary_data;	/* json: auxiliary_data (22h: last id) */
	uint64_t reserved;		/* not written (bytes 8..15) */
	uint64_t start_address;		/* json: start_address */
	uint64_t memory_length;		/* json: memory_block_length */
	/* Derived: the device ids it applies to (20h: all; 21h: device_id;
	 * 22h: device_id..auxiliary_data) and the PCI segment Linux reads
	 * from bytes 8..9 (reserved in the older specification). */
	uint16_t pci_segment_group;	/* json: pci_segment_group */
	uint16_t first_device_id;	/* json: first_device_id */
	uint16_t last_device_id;	/* json: last_device_id */
};

/* A run of device ids an IOMMU translates, from its device entries. */
struct hv_ivrs_range {
	uint16_t first;			/* json: first (device id, inclusive) */
	uint16_t last;			/* json: last (inclusive) */
	uint8_t entry_type;		/* json: entry_type: the entry it came from */
	uint32_t entry_offset;		/* json: entry_offset */
	uint8_t data_setting;		/* json: data_setting */
	bool alias;			/* json: alias: requests carry alias_id */
	uint16_t alias_id;		/* json: alias_id */
};

/*
 * One IOMMU. IVRS usually describes each IOMMU two or three times (IVHD
 * 10h, 11h and 40h for the same segment and device id, for drivers of
 * different ages); they count once. Its coverage comes from the block of
 * the highest type up to 40h, the one Linux uses.
 */
struct hv_ivrs_iommu {
	uint16_t pci_segment_group;	/* json: pci_segment_group */
	uint16_t device_id;		/* json: device_id */
	uint64_t base_address;		/* json: base_address */
	uint8_t ivhd_types;		/* json: ivhd_types: bit 0 10h, bit 1
					   11h, bit 2 40h, bit 3 other */
	size_t n_ivhd;			/* how many blocks describe it */
	size_t ivhd;			/* json: ivhd: index in ivrs->ivhd */
	struct hv_ivrs_range *ranges;	/* json: device_ranges (entry order) */
	size_t n_ranges;
};

struct hv_ivrs {
	struct hv_acpi_header header;	/* json: header */
	struct hv_ivrs_ivinfo ivinfo;	/* json: ivinfo */
	uint64_t reserved;		/* not written (bytes 40..47) */

	struct hv_ivhd *ivhd;		/* json: ivhd (table order) */
	size_t n_ivhd;
	struct hv_ivmd *ivmd;		/* json: ivmd (table order) */
	size_t n_ivmd;
	struct hv_acpi_raw *unknown;	/* json: unknown: subtables of other
					   types (e.g. 0x51), kept raw */
	size_t n_unknown;

	/* Derived: the distinct IOMMUs, in order of first appearance. */
	struct hv_ivrs_iommu *iommus;	/* json: iommus */
	size_t n_iommus;

	bool complete;			/* json: complete */
	struct hv_acpi_issues issues;
};

/*
 * Decode an IVRS table image. Pure. *ret is always initialized (see the
 * top of this file for the return values); release it with
 * hv_ivrs_clear().
 */
int hv_ivrs_parse(const uint8_t *buf, size_t len, struct hv_ivrs *ret);
void hv_ivrs_clear(struct hv_ivrs *v);

/* The number of distinct IOMMUs (n_iommus). */
size_t hv_ivrs_iommu_count(const struct hv_ivrs *v);

/*
 * Which IOMMU translates the PCI device segment:device_id: the one whose
 * ranges contain it, the narrowest range winning when several do (an
 * "all" entry yields to a select). Returns 0, the index in v->iommus and
 * (if ret_range is not NULL) the range, or -ENOENT.
 */
int hv_ivrs_iommu_for_device(const struct hv_ivrs *v, uint16_t segment,
			     uint16_t device_id, size_t *ret_index,
			     const struct hv_ivrs_range **ret_range);

/* "ivmd_all", "ivmd_one", "ivmd_range" for 20h..22h; NULL otherwise. */
const char *hv_ivmd_type_to_string(unsigned type);

/* ---- in the inventory ------------------------------------------------ */

/*
 * What the probe decoded (src/acpi.c) and what the tables say of each PCI
 * device (src/iommu-map.c). PLACEHOLDER fields: being written.
 */
struct hv_acpi_decoded {
	int unused;
};
void hv_acpi_decoded_clear(struct hv_acpi_decoded *d);

#endif
