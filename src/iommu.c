/* iommu.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

int
hv_iommu_probe(struct hv_root *root _unused_, struct hv_host *host _unused_)
{
	return 0;
}

int
hv_iommu_derive_state(struct hv_host *host _unused_)
{
	return 0;
}
