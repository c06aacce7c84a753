/* cc.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

int
hv_cc_probe(struct hv_root *root _unused_, struct hv_host *host _unused_)
{
	return 0;
}

void
hv_cc_clear(struct hv_cc *cc _unused_)
{
}
