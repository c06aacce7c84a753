/*
 * hv-firmware.h -- firmware versions beyond DMI: CPU microcode per CPU, NIC
 * firmware (ethtool), NVMe firmware, GPU VBIOS; and version requirements.
 * PLACEHOLDER: being written (src/firmware.c).
 */
#ifndef HV_FIRMWARE_H
#define HV_FIRMWARE_H

#include "hv-util.h"

struct hv_fw_versions {
	int unused;
};

void hv_fw_versions_clear(struct hv_fw_versions *v);

#endif
