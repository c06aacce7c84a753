/*
 * firmware.c -- the platform firmware: BIOS/UEFI, system and board
 * identity from DMI (SMBIOS as the kernel exports it), and whether the
 * system booted through UEFI.
 *
 * Reads:  sys/class/dmi/id/{bios_vendor,bios_version,bios_date,
 *         bios_release,sys_vendor,product_name,product_version,
 *         product_family,board_vendor,board_name,board_version,
 *         chassis_vendor}, sys/firmware/efi.
 * Fills:  host->firmware.
 *
 * Serial numbers, UUIDs and asset tags (product_serial, product_uuid,
 * board_serial, chassis_serial, board_asset_tag, ...) are never read:
 * reports travel to fleets and bug trackers.
 */
#include <stddef.h>

#include "hv-probe.h"

#define DMI_DIR "sys/class/dmi/id"

/* The attributes read, and where each goes in struct hv_dmi. */
static const struct {
	const char *name;
	size_t offset;
} dmi_fields[] = {
	{ "bios_vendor",	offsetof(struct hv_dmi, bios_vendor) },
	{ "bios_version",	offsetof(struct hv_dmi, bios_version) },
	{ "bios_date",		offsetof(struct hv_dmi, bios_date) },
	{ "bios_release",	offsetof(struct hv_dmi, bios_release) },
	{ "sys_vendor",		offsetof(struct hv_dmi, sys_vendor) },
	{ "product_name",	offsetof(struct hv_dmi, product_name) },
	{ "product_version",	offsetof(struct hv_dmi, product_version) },
	{ "product_family",	offsetof(struct hv_dmi, product_family) },
	{ "board_vendor",	offsetof(struct hv_dmi, board_vendor) },
	{ "board_name",		offsetof(struct hv_dmi, board_name) },
	{ "board_version",	offsetof(struct hv_dmi, board_version) },
	{ "chassis_vendor",	offsetof(struct hv_dmi, chassis_vendor) },
};

static char **
dmi_slot(struct hv_dmi *d, size_t i)
{
	return (char **)(void *)((char *)d + dmi_fields[i].offset);
}

static int
probe_dmi(struct hv_root *root, struct hv_host *host)
{
	struct hv_dmi *d = &host->firmware.dmi;
	int r;

	/* Not recorded: the directory also holds serial numbers, and the
	 * attributes read below imply it in a capture. */
	r = hv_root_exists(root, DMI_DIR);
	if (r < 0)
		return hv_fact_set_from_errno(&d->fact, DMI_DIR, r);

	for (size_t i = 0; i < HV_ELEMENTSOF(dmi_fields); i++) {
		_cleanup_free_ char *rel = NULL;
		char **slot = dmi_slot(d, i);
		char *v = NULL;

		rel = hv_asprintf("%s/%s", DMI_DIR, dmi_fields[i].name);
		if (!rel)
			return -ENOMEM;
		r = hv_root_read_str(root, rel, &v);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT)
			continue;	/* the firmware does not provide it */
		if (r < 0) {
			/* These attributes are world-readable (0444); say
			 * so when one is not, and leave it NULL. */
			r = hv_host_diag(host, false, rel, 0, r,
					 "cannot read DMI attribute %s: %s",
					 dmi_fields[i].name, hv_strerror(r));
			if (r < 0)
				return r;
			continue;
		}
		free(*slot);
		*slot = v;
	}
	return hv_fact_set_ok(&d->fact, DMI_DIR);
}

static int
probe_efi(struct hv_root *root, struct hv_firmware *fw)
{
	static const char rel[] = "sys/firmware/efi";
	int r;

	r = hv_root_exists(root, rel);
	if (r == 0) {
		(void)hv_root_record(root, rel);
		fw->uefi = HV_TRI_YES;
		return hv_fact_set_ok(&fw->efi_fact, rel);
	}
	if (r == -ENOENT || r == -ENOTDIR) {
		/* On a live host, or a capture that has sys/firmware, no
		 * efi directory means a legacy BIOS boot. */
		if (hv_root_is_live(root) ||
		    hv_root_exists(root, "sys/firmware") == 0) {
			fw->uefi = HV_TRI_NO;
			return hv_fact_set_absent(&fw->efi_fact, rel);
		}
		fw->uefi = HV_TRI_UNKNOWN;
		r = hv_fact_set_unknown(&fw->efi_fact, rel, -ENOENT);
		if (r < 0)
			return r;
		fw->efi_fact.msg = strdup("sys/firmware not captured");
		return fw->efi_fact.msg ? 0 : -ENOMEM;
	}
	fw->uefi = HV_TRI_UNKNOWN;
	return hv_fact_set_unknown(&fw->efi_fact, rel, r);
}

int
hv_firmware_probe(struct hv_root *root, struct hv_host *host)
{
	int r;

	r = probe_dmi(root, host);
	if (r < 0)
		return r;
	return probe_efi(root, &host->firmware);
}

void
hv_fw_versions_clear(struct hv_fw_versions *v _unused_)
{
}
