/* hv-acpi.h -- PLACEHOLDER: being written. */
#ifndef HV_ACPI_H
#define HV_ACPI_H
#endif
