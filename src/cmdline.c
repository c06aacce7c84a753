/* cmdline.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"

void
hv_cmdline_clear(struct hv_cmdline *c)
{
	for (size_t i = 0; i < c->n_params; i++) {
		free(c->params[i].key);
		free(c->params[i].value);
	}
	free(c->params);
	*c = (struct hv_cmdline){ 0 };
}
