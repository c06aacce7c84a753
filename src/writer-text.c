/* writer-text.c -- PLACEHOLDER: being written. */
#include "hv-writer.h"

int
hv_write_text(FILE *out _unused_, const struct hv_report *r _unused_,
	    const struct hv_write_opts *o _unused_)
{
	return -ENOSYS;
}
