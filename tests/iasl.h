/* iasl.h -- PLACEHOLDER */
#ifndef HV_TEST_IASL_H
#define HV_TEST_IASL_H
#endif
