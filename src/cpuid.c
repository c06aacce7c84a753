/* cpuid.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

void
hv_cpuid_dump_clear(struct hv_cpuid_dump *d)
{
	free(d->leaves);
	*d = (struct hv_cpuid_dump){ 0 };
}
