/* capture.c -- PLACEHOLDER: being written. */
#include "hwvirt.h"
