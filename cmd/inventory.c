/*
 * inventory.c -- `hwvirt inventory`: the facts, no judgement.
 */
#include "hwvirt.h"

int
hv_cmd_inventory(struct hv_ctx *ctx, int argc _unused_, char **argv _unused_)
{
	struct hv_root *root = NULL;
	struct hv_host *host = NULL;
	struct hv_report report;
	bool bad;
	int r;

	r = hv_cmd_probe(ctx, &root, &host);
	if (r > 0)
		return r;
	report = (struct hv_report){ .command = "inventory", .host = host };
	r = hv_cmd_write(ctx, &report);
	bad = hv_cmd_print_diags(host);
	hv_host_free(host);
	hv_root_free(root);
	if (r > 0)
		return r;
	return bad ? HV_EXIT_BAD_INPUT : 0;
}
