# lib.sh -- shared shell helpers for tests/*.sh (sourced, POSIX sh).
#
# Environment (set by AM_TESTS_ENVIRONMENT in Makefile.am; each script falls
# back to sensible defaults when run by hand from a build directory):
#   top_srcdir, top_builddir, HWVIRT, MATERIALIZE, MANDOC, XMLLINT, PYTHON3
#
# Conventions: a test script calls hv_fail for every failed assertion and
# ends with hv_finish, which exits 1 if anything failed, else 0. Skip (77)
# only where the script says so.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$(pwd)}"
: "${HWVIRT:=$top_builddir/hwvirt}"
: "${MATERIALIZE:=$top_builddir/tests/materialize}"
export top_srcdir top_builddir HWVIRT MATERIALIZE

# Stable output whatever the caller's locale and terminal.
LC_ALL=C
export LC_ALL

hv_failures=0
hv_checks=0
hv_tmp=

# hv_fail MESSAGE...: record a failed assertion.
hv_fail()
{
	hv_failures=$((hv_failures + 1))
	printf 'FAIL: %s\n' "$*"
}

# hv_pass MESSAGE...: record a passed assertion (printed for the log).
hv_pass()
{
	printf 'ok: %s\n' "$*"
}

# hv_skip MESSAGE...: skip the whole script (exit 77).
hv_skip()
{
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# hv_finish: exit with the result of the script.
hv_finish()
{
	printf '%d checks, %d failed\n' "$hv_checks" "$hv_failures"
	[ "$hv_failures" -eq 0 ] || exit 1
	exit 0
}

# hv_mktemp: create the script's temporary directory, removed on exit, in
# $hv_tmp. Call it directly, never in $(...): the trap belongs to the script.
hv_mktemp()
{
	if [ -z "$hv_tmp" ]; then
		hv_tmp=$(mktemp -d "${TMPDIR:-/tmp}/hwvirt-test.XXXXXX") || exit 99
		# shellcheck disable=SC2064
		trap "rm -rf '$hv_tmp'" EXIT
		trap 'exit 99' HUP INT TERM
	fi
}

# hv_materialize MANIFEST DIR: build the root a manifest describes.
hv_materialize()
{
	if [ ! -x "$MATERIALIZE" ]; then
		echo "error: $MATERIALIZE missing: run 'make check' (it builds tests/materialize)" >&2
		exit 99
	fi
	"$MATERIALIZE" "$1" "$2" || {
		echo "error: cannot materialize $1 into $2" >&2
		exit 99
	}
}

# hv_run PREFIX COMMAND...: run COMMAND with stdin from /dev/null, its
# standard output in PREFIX.out, standard error in PREFIX.err and exit
# status in PREFIX.rc (and $hv_rc).
hv_run()
{
	_p=$1
	shift
	"$@" </dev/null >"$_p.out" 2>"$_p.err"
	hv_rc=$?
	echo "$hv_rc" >"$_p.rc"
	return 0
}

# hv_expect_rc PREFIX WANT WHAT: the exit status of hv_run PREFIX is WANT.
hv_expect_rc()
{
	hv_checks=$((hv_checks + 1))
	_got=$(cat "$1.rc")
	if [ "$_got" = "$2" ]; then
		hv_pass "$3: exit $2"
	else
		hv_fail "$3: exit $_got, expected $2"
		sed -n '1,20s/^/    stderr: /p' "$1.err"
	fi
}

# hv_expect_empty FILE WHAT: FILE is empty.
hv_expect_empty()
{
	hv_checks=$((hv_checks + 1))
	if [ -s "$1" ]; then
		hv_fail "$2: expected nothing, got:"
		sed -n '1,10s/^/    /p' "$1"
	else
		hv_pass "$2: empty"
	fi
}

# hv_expect_nonempty FILE WHAT: FILE is not empty.
hv_expect_nonempty()
{
	hv_checks=$((hv_checks + 1))
	if [ -s "$1" ]; then
		hv_pass "$2: not empty"
	else
		hv_fail "$2: expected output, got nothing"
	fi
}

# hv_expect_grep FILE PATTERN WHAT: FILE has a line matching the fixed
# string PATTERN.
hv_expect_grep()
{
	hv_checks=$((hv_checks + 1))
	if grep -F -q -e "$2" "$1"; then
		hv_pass "$3: has '$2'"
	else
		hv_fail "$3: no '$2' in:"
		sed -n '1,10s/^/    /p' "$1"
	fi
}

# hv_expect_egrep FILE REGEX WHAT: FILE has a line matching extended REGEX.
hv_expect_egrep()
{
	hv_checks=$((hv_checks + 1))
	if grep -E -q -e "$2" "$1"; then
		hv_pass "$3: matches /$2/"
	else
		hv_fail "$3: nothing matches /$2/ in:"
		sed -n '1,10s/^/    /p' "$1"
	fi
}

# hv_expect_no_grep FILE PATTERN WHAT: no line of FILE has fixed string
# PATTERN.
hv_expect_no_grep()
{
	hv_checks=$((hv_checks + 1))
	if grep -F -q -e "$2" "$1"; then
		hv_fail "$3: unexpected '$2' in:"
		grep -F -n -e "$2" "$1" | sed -n '1,5s/^/    /p'
	else
		hv_pass "$3: no '$2'"
	fi
}

# hv_expect_same EXPECTED ACTUAL WHAT: the two files are identical; prints
# a unified diff when they are not.
hv_expect_same()
{
	hv_checks=$((hv_checks + 1))
	if cmp -s "$1" "$2"; then
		hv_pass "$3"
	else
		hv_fail "$3: differs from $1"
		diff -u "$1" "$2" | sed -n '1,200p'
	fi
}

# hv_has_esc FILE: FILE holds an ANSI escape (ESC).
hv_has_esc()
{
	grep -q "$(printf '\033')" "$1"
}
