/* profile.c -- PLACEHOLDER: being written. */
#include "hv-profile.h"

const char *const hv_builtin_profiles[] = { "kvm-host", "passthrough", "fast-net" };
const size_t hv_n_builtin_profiles = 3;

int
hv_profile_load(const char *name _unused_, struct hv_profile **ret _unused_,
		struct hv_profile_error *err _unused_)
{
	return -ENOSYS;
}

void
hv_profile_free(struct hv_profile *p _unused_)
{
}
