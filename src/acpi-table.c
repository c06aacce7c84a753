/* acpi-table.c -- PLACEHOLDER: being written. */
#include "hv-acpi.h"
