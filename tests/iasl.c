/* iasl.c -- PLACEHOLDER */
#include "iasl.h"
