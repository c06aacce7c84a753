/* vdev.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

int
hv_vdev_probe(struct hv_root *root _unused_, struct hv_host *host _unused_)
{
	return 0;
}

void
hv_vdevs_clear(struct hv_vdevs *v _unused_)
{
}
