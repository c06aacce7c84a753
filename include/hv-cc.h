/*
 * hv-cc.h -- confidential computing: SME/SEV/SEV-ES/SEV-SNP, TDX, TME,
 * Secure Boot, TPM. PLACEHOLDER: being written (src/cc.c).
 */
#ifndef HV_CC_H
#define HV_CC_H

#include "hv-util.h"

struct hv_root;
struct hv_host;

struct hv_cc {
	int unused;
};

int hv_cc_probe(struct hv_root *root, struct hv_host *host);
void hv_cc_clear(struct hv_cc *cc);

#endif
