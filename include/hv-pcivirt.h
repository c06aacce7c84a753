/*
 * hv-pcivirt.h -- what PCI devices mean for virtualization beyond their own
 * capabilities: virtual devices (vfio-pci bindings, mediated devices, vDPA,
 * CXL, DPUs/SmartNICs; src/vdev.c) and IOMMU isolation per device
 * (src/isolation.c). PLACEHOLDER: being written.
 */
#ifndef HV_PCIVIRT_H
#define HV_PCIVIRT_H

#include "hv-util.h"

struct hv_root;
struct hv_host;

struct hv_vdevs {
	int unused;
};

struct hv_isolation {
	int unused;
};

int hv_vdev_probe(struct hv_root *root, struct hv_host *host);
void hv_vdevs_clear(struct hv_vdevs *v);
int hv_isolation_probe(struct hv_root *root, struct hv_host *host);
void hv_isolation_clear(struct hv_isolation *iso);

#endif
