#!/bin/sh
# PLACEHOLDER: being written.
exit 77
