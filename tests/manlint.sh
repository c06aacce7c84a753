#!/bin/sh
# manlint.sh -- the man pages pass `mandoc -Tlint -Wwarning` without a word.
# Skips (77) only when mandoc is not installed.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

: "${MANDOC:=$(command -v mandoc)}"
[ -n "$MANDOC" ] && [ -x "$MANDOC" ] || hv_skip "mandoc not installed"

hv_mktemp
for page in "$top_srcdir/man/hwvirt.1" "$top_srcdir/man/hwvirt-profile.5"; do
	name=${page##*/}
	hv_checks=$((hv_checks + 1))
	if [ ! -s "$page" ]; then
		hv_fail "$name: missing or empty"
		continue
	fi
	"$MANDOC" -Tlint -Wwarning "$page" >"$hv_tmp/lint" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$hv_tmp/lint" ]; then
		hv_pass "$name: mandoc -Tlint -Wwarning is silent"
	else
		hv_fail "$name: mandoc -Tlint -Wwarning (exit $rc) says:"
		sed 's/^/    /' "$hv_tmp/lint"
	fi
done

hv_finish
