/* hv-capture.h -- PLACEHOLDER: being written. */
#ifndef HV_CAPTURE_H
#define HV_CAPTURE_H
#endif
