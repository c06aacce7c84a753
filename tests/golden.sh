#!/bin/sh
# golden.sh -- end-to-end golden tests over every fixture host.
#
# For each fixtures/hosts/NAME.manifest: materialize it into a temporary
# directory, cd there and run, with the relative root NAME (so the output
# does not depend on where the test runs),
#   hwvirt --root NAME inventory --format F
#   hwvirt --root NAME audit --profile P --format F
# for F in text, json, xml and P in kvm-host, passthrough, fast-net, and
# compare with fixtures/golden/NAME/:
#   inventory.txt inventory.json inventory.xml   standard output per format
#   inventory.stderr inventory.exit              the same for every format
#   audit-P.txt audit-P.json audit-P.xml
#   audit-P.stderr audit-P.exit
# printing a unified diff on a mismatch. With HWVIRT_UPDATE_GOLDEN=1 it
# rewrites the golden files instead (`make update-golden`): review the diff.
#
# Before that it checks that the hardware bytes of each fixture are the
# corpus's, verbatim: the record after a "# source: FILE [ADDRESS]" comment
# must equal FILE (with an ADDRESS, that device's hex dump in the lspci text
# FILE).
# Skips (77) only when $HWVIRT is missing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -x "$HWVIRT" ] || hv_skip "$HWVIRT not built"

formats="text json xml"
profiles="kvm-host passthrough fast-net"
golden="$top_srcdir/fixtures/golden"
update=${HWVIRT_UPDATE_GOLDEN:-}
[ "$update" = 0 ] && update=

# Output must not depend on the caller's terminal or environment.
NO_COLOR=1
TERM=dumb
export NO_COLOR TERM

hv_mktemp

ext()
{
	case $1 in
	text) echo txt ;;
	*) echo "$1" ;;
	esac
}

# check_one HOST BASE FORMAT ARGS...: run hwvirt --root HOST ARGS --format
# FORMAT in the work directory and compare (or update) BASE.ext, BASE.exit
# and BASE.stderr under golden/HOST.
check_one()
{
	_host=$1 _base=$2 _fmt=$3
	shift 3
	_dir="$golden/$_host"
	_run="$hv_tmp/out/$_host-$_base-$_fmt"
	_e=$(ext "$_fmt")
	(cd "$hv_tmp/roots" && "$HWVIRT" --root "$_host" "$@" --format "$_fmt" \
		</dev/null >"$_run.out" 2>"$_run.err")
	echo $? >"$_run.rc"

	if [ -n "$update" ]; then
		mkdir -p "$_dir"
		cp "$_run.out" "$_dir/$_base.$_e"
		# exit status and stderr are the same for every format: the
		# first format writes them, the others must agree.
		if [ "$_fmt" = text ]; then
			cp "$_run.rc" "$_dir/$_base.exit"
			cp "$_run.err" "$_dir/$_base.stderr"
		else
			hv_expect_same "$_dir/$_base.exit" "$_run.rc" \
				"$_host: $_base --format $_fmt: exit status as with text"
			hv_expect_same "$_dir/$_base.stderr" "$_run.err" \
				"$_host: $_base --format $_fmt: stderr as with text"
		fi
		return
	fi

	for _f in "$_base.$_e" "$_base.exit" "$_base.stderr"; do
		hv_checks=$((hv_checks + 1))
		if [ ! -f "$_dir/$_f" ]; then
			hv_fail "$_host: missing golden file fixtures/golden/$_host/$_f (run 'make update-golden')"
			return
		fi
	done
	hv_expect_same "$_dir/$_base.$_e" "$_run.out" "$_host: $* --format $_fmt: stdout"
	hv_expect_same "$_dir/$_base.exit" "$_run.rc" "$_host: $* --format $_fmt: exit status"
	hv_expect_same "$_dir/$_base.stderr" "$_run.err" "$_host: $* --format $_fmt: stderr"
}

# dump_bytes FILE ADDRESS: the bytes of ADDRESS's hex dump in an lspci
# text, one hex byte per line, gaps as 00.
dump_bytes()
{
	awk -v want="$2" '
	function isdev(t) {
		return t ~ /^([0-9a-f][0-9a-f][0-9a-f][0-9a-f]:)?[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]$/
	}
	function hexval(s,    i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	isdev($1) {
		if (found && !inside_done)
			inside_done = inside
		inside = ($1 == want || "0000:" $1 == want) && !inside_done
		next
	}
	inside && $1 ~ /^[0-9a-f]+:$/ && NF > 1 {
		off = hexval(substr($1, 1, length($1) - 1))
		for (i = 2; i <= NF; i++) {
			b[off + i - 2] = $i
			if (off + i - 2 > max)
				max = off + i - 2
		}
		found = 1
	}
	END {
		if (!found)
			exit 1
		for (i = 0; i <= max; i++)
			print ((i in b) ? b[i] : "00")
	}' "$1"
}

# check_sources MANIFEST ROOT: the records marked "# source:" hold the
# corpus's bytes.
check_sources()
{
	awk '/^# source: / { src = $3; addr = $4; next }
	     /^#/ { next }
	     src != "" && /^[xF] / { print $2, src, addr; src = ""; addr = "" }
	     { src = ""; addr = "" }' "$1" >"$hv_tmp/sources"
	while read -r path src addr; do
		hv_checks=$((hv_checks + 1))
		if [ -z "$addr" ]; then
			if cmp -s "$2/$path" "$top_srcdir/$src"; then
				hv_pass "${1##*/}: $path is $src"
			else
				hv_fail "${1##*/}: $path is not $src verbatim"
			fi
			continue
		fi
		if ! dump_bytes "$top_srcdir/$src" "$addr" >"$hv_tmp/want"; then
			hv_fail "${1##*/}: no hex dump of $addr in $src"
			continue
		fi
		od -An -v -tx1 "$2/$path" | tr -s ' ' '\n' | sed '/^$/d' >"$hv_tmp/got"
		if cmp -s "$hv_tmp/want" "$hv_tmp/got"; then
			hv_pass "${1##*/}: $path is $addr of $src"
		else
			hv_fail "${1##*/}: $path is not the config space of $addr in $src"
		fi
	done <"$hv_tmp/sources"
}

mkdir -p "$hv_tmp/roots" "$hv_tmp/out"
hosts=
for manifest in "$top_srcdir"/fixtures/hosts/*.manifest; do
	[ -f "$manifest" ] || continue
	host=${manifest##*/}
	host=${host%.manifest}
	hosts="$hosts $host"
	hv_materialize "$manifest" "$hv_tmp/roots/$host"
	check_sources "$manifest" "$hv_tmp/roots/$host"
	for f in $formats; do
		check_one "$host" inventory "$f" inventory
	done
	for p in $profiles; do
		for f in $formats; do
			check_one "$host" "audit-$p" "$f" audit --profile "$p"
		done
	done
done

hv_checks=$((hv_checks + 1))
if [ -n "$hosts" ]; then
	hv_pass "fixture hosts:$hosts"
else
	hv_fail "no fixture hosts in $top_srcdir/fixtures/hosts"
fi

# Golden directories of hosts that no longer exist are stale.
for d in "$golden"/*/; do
	[ -d "$d" ] || continue
	h=${d%/}
	h=${h##*/}
	case " $hosts " in
	*" $h "*) ;;
	*)
		hv_checks=$((hv_checks + 1))
		hv_fail "fixtures/golden/$h has no fixtures/hosts/$h.manifest"
		;;
	esac
done

[ -n "$update" ] && echo "golden files updated under $golden: review them with git diff"
hv_finish
