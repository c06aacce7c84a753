/* iommu-map.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

int
hv_iommu_map_probe(struct hv_root *root _unused_, struct hv_host *host _unused_)
{
	return 0;
}

void
hv_acpi_decoded_clear(struct hv_acpi_decoded *d _unused_)
{
}
