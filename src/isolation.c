/* isolation.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

int
hv_isolation_probe(struct hv_root *root _unused_, struct hv_host *host _unused_)
{
	return 0;
}

void
hv_isolation_clear(struct hv_isolation *iso _unused_)
{
}
