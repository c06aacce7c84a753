/*
 * hv-gpu.h -- GPUs: NVIDIA GPUs from `nvidia-smi -q -x` (MIG, vGPU, VBIOS,
 * driver) and other vendors' GPU SR-IOV through the PCI facts.
 * PLACEHOLDER: being written (src/gpu.c).
 */
#ifndef HV_GPU_H
#define HV_GPU_H

#include "hv-util.h"

struct hv_root;
struct hv_host;

struct hv_gpus {
	int unused;
};

/* Reads: nvidia-smi -q -x (live) or hwvirt/nvidia-smi.xml. Fills: host->gpus. */
int hv_gpu_probe(struct hv_root *root, struct hv_host *host);
void hv_gpus_clear(struct hv_gpus *g);

#endif
