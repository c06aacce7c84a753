/* archive.c -- PLACEHOLDER: being written. */
#include "hv-probe.h"
