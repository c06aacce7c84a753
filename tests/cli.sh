#!/bin/sh
# cli.sh -- the command line as a user meets it: help and version, the
# synopsis in hwvirt(1) against each command's --help, usage errors (64),
# bad input (65), colour, the verdict of a fixture host, and this machine
# audited live, as root and as an ordinary user.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -x "$HWVIRT" ] || hv_skip "$HWVIRT not built"
: "${MANDOC:=$(command -v mandoc)}"
: "${PYTHON3:=$(command -v python3)}"
hv_mktemp
cd "$hv_tmp" || exit 99
unset NO_COLOR
TERM=dumb
export TERM

# usage_error NAME ARGS...: exit 64, a message on stderr, nothing on stdout.
usage_error()
{
	_n=$1
	shift
	hv_run "$_n" "$HWVIRT" "$@"
	hv_expect_rc "$_n" 64 "hwvirt $*"
	hv_expect_nonempty "$_n.err" "hwvirt $*: stderr"
	hv_expect_empty "$_n.out" "hwvirt $*: stdout"
}

# ---- help and version ---------------------------------------------------------

hv_run help "$HWVIRT" --help
hv_expect_rc help 0 "hwvirt --help"
hv_expect_grep help.out "usage: hwvirt" "hwvirt --help"
hv_expect_grep help.out "exit status:" "hwvirt --help"
hv_expect_empty help.err "hwvirt --help: stderr"

hv_run helpshort "$HWVIRT" -h
hv_expect_rc helpshort 0 "hwvirt -h"
hv_expect_same help.out helpshort.out "hwvirt -h is hwvirt --help"

hv_run version "$HWVIRT" --version
hv_expect_rc version 0 "hwvirt --version"
hv_expect_egrep version.out '^hwvirt [0-9]+\.[0-9]+' "hwvirt --version"
hv_expect_empty version.err "hwvirt --version: stderr"

# The commands, from the "commands:" section of --help.
commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' help.out)
hv_checks=$((hv_checks + 1))
if [ -n "$commands" ]; then
	hv_pass "commands listed: $(echo $commands)"
else
	hv_fail "no commands found in hwvirt --help"
fi
for c in inventory audit profiles explain capture; do
	hv_checks=$((hv_checks + 1))
	case " $(echo $commands) " in
	*" $c "*) hv_pass "--help lists $c" ;;
	*) hv_fail "--help does not list $c" ;;
	esac
done

for c in $commands; do
	hv_run "help-$c" "$HWVIRT" "$c" --help
	hv_expect_rc "help-$c" 0 "hwvirt $c --help"
	hv_expect_egrep "help-$c.out" "^usage: hwvirt $c( |\$)" "hwvirt $c --help"
	hv_expect_empty "help-$c.err" "hwvirt $c --help: stderr"
done

# ---- the man page synopsis is what --help prints (git's habit) ----------------

if [ -n "$MANDOC" ] && [ -x "$MANDOC" ]; then
	"$MANDOC" -Tascii -O width=400 "$top_srcdir/man/hwvirt.1" |
		sed 's/.\x08//g' |
		sed -n '/^SYNOPSIS/,/^[A-Z]/s/^ *\(hwvirt .*\)/\1/p' |
		sed 's/  */ /g; s/ *$//' >man-synopsis
	hv_expect_nonempty man-synopsis "synopsis from hwvirt.1"
	for c in $commands; do
		sed -n '1s/^usage: //p' "help-$c.out" | sed 's/  */ /g; s/ *$//' >"help-$c.syn"
		grep -E "^hwvirt $c( |\$)" man-synopsis >"man-$c.syn"
		hv_expect_same "help-$c.syn" "man-$c.syn" "hwvirt.1 synopsis of $c is 'hwvirt $c --help'"
	done
	# and the man page has no command that the program lacks
	sed -n 's/^hwvirt \([a-z][a-z-]*\).*/\1/p' man-synopsis | sort -u >man-commands
	for c in $(cat man-commands); do
		hv_checks=$((hv_checks + 1))
		case " $(echo $commands) " in
		*" $c "*) hv_pass "hwvirt.1 command $c exists" ;;
		*) hv_fail "hwvirt.1 documents '$c', which hwvirt --help does not list" ;;
		esac
	done
	# the global forms
	hv_expect_grep man-synopsis "hwvirt [--root DIR|FILE] COMMAND [options]" "hwvirt.1 synopsis"
	hv_expect_grep man-synopsis "hwvirt --help | --version" "hwvirt.1 synopsis"
	hv_expect_grep help.out "usage: hwvirt [--root DIR|FILE] COMMAND [options]" "hwvirt --help"
else
	echo "note: mandoc not installed; synopsis comparison not run"
fi

# ---- usage errors: 64, a message, no report -----------------------------------

usage_error u-nocmd
usage_error u-cmd frobnicate
usage_error u-gopt --frobnicate inventory
usage_error u-opt inventory --frobnicate
usage_error u-sopt inventory -Z
usage_error u-arg inventory --format
usage_error u-sarg inventory -f
usage_error u-parg audit --profile
usage_error u-rarg --root
usage_error u-fmt inventory --format yaml
usage_error u-fmt2 audit --format=html
usage_error u-color inventory --color sometimes
usage_error u-notopt profiles --strict
usage_error u-extra inventory extra
usage_error u-noid explain
usage_error u-twoid explain iommu.enabled cpu.guest
usage_error u-capstdout capture -o -
usage_error u-capempty capture --output=
usage_error u-capfmt capture --format json
usage_error u-capextra capture extra
usage_error u-caparg capture -o
hv_expect_grep u-cmd.err "frobnicate" "unknown command named"
hv_expect_grep u-opt.err "frobnicate" "unknown option named"
hv_expect_grep u-fmt.err "yaml" "unknown format named"

# ---- explain -------------------------------------------------------------------

usage_error u-badid explain no.such.check
hv_expect_grep u-badid.err "no.such.check" "unknown check id named"
ids=$(sed -n 's/^  \([a-z0-9_]*\.[a-z0-9_.]*\)$/\1/p' u-badid.err)
hv_checks=$((hv_checks + 1))
if [ -n "$ids" ]; then
	hv_pass "check ids listed on an unknown id: $(echo $ids)"
else
	hv_fail "hwvirt explain no.such.check lists no check ids"
fi
for id in $ids; do
	hv_run "explain-$id" "$HWVIRT" explain "$id"
	hv_expect_rc "explain-$id" 0 "hwvirt explain $id"
	hv_expect_egrep "explain-$id.out" "^$id: " "hwvirt explain $id"
	hv_expect_grep "explain-$id.out" "Remedy" "hwvirt explain $id"
	hv_expect_empty "explain-$id.err" "hwvirt explain $id: stderr"
done

# ---- roots that cannot be used: 65, naming the path ----------------------------

for c in inventory audit; do
	hv_run "r-none-$c" "$HWVIRT" --root /nonexistent "$c"
	hv_expect_rc "r-none-$c" 65 "hwvirt --root /nonexistent $c"
	hv_expect_grep "r-none-$c.err" "/nonexistent" "hwvirt --root /nonexistent $c: stderr"
	hv_expect_empty "r-none-$c.out" "hwvirt --root /nonexistent $c: stdout"
done
: >afile
hv_run r-file "$HWVIRT" inventory --root afile
hv_expect_rc r-file 65 "hwvirt inventory --root FILE"
hv_expect_grep r-file.err "afile" "hwvirt inventory --root FILE: stderr"

# ---- fixtures -------------------------------------------------------------------

guest_manifest="$top_srcdir/fixtures/hosts/kvm-guest.manifest"
hv_materialize "$guest_manifest" guest

# The KVM guest without nested virtualization is not ready for KVM.
for p in kvm-host passthrough fast-net; do
	hv_run "g-$p" "$HWVIRT" --root guest audit --profile "$p"
	hv_expect_rc "g-$p" 2 "audit of kvm-guest, profile $p"
	hv_expect_nonempty "g-$p.out" "audit of kvm-guest, profile $p: report"
	hv_expect_empty "g-$p.err" "audit of kvm-guest, profile $p: stderr"
done
hv_run g-inv "$HWVIRT" inventory --root guest
hv_expect_rc g-inv 0 "inventory of kvm-guest"

# A malformed hwvirt/cpuid.txt: the report still comes out, the diagnostic
# names the file and line, exit 65.
hv_materialize "$guest_manifest" badcpuid
sed '3s/.*/   0x00000001 0x00: eax=0xnothex ebx=0x00020800/' \
	badcpuid/hwvirt/cpuid.txt >badcpuid/cpuid.tmp &&
	mv badcpuid/cpuid.tmp badcpuid/hwvirt/cpuid.txt
for c in inventory audit; do
	for f in text json xml; do
		hv_run "bc-$c-$f" "$HWVIRT" --root badcpuid "$c" --format "$f"
		hv_expect_rc "bc-$c-$f" 65 "$c --format $f with a malformed cpuid.txt"
		hv_expect_nonempty "bc-$c-$f.out" "$c --format $f with a malformed cpuid.txt: report"
		hv_expect_grep "bc-$c-$f.err" "badcpuid/hwvirt/cpuid.txt:3:" \
			"$c --format $f with a malformed cpuid.txt: diagnostic"
	done
done

# A profile that fails its schema: 65, naming the file and the line.
cat >bad-profile.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<profile xmlns="urn:hwvirt:profile:1" name="bad">
  <title>A profile with an element the schema does not have</title>
  <frobnicate/>
</profile>
EOF
hv_run bp "$HWVIRT" --root guest audit --profile ./bad-profile.xml
hv_expect_rc bp 65 "audit with a profile that fails its schema"
hv_expect_grep bp.err "bad-profile.xml:4" "the schema error names the file and line"
hv_expect_empty bp.out "audit with a profile that fails its schema: stdout"

cat >bad-check.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<profile xmlns="urn:hwvirt:profile:1" name="badcheck">
  <title>A profile naming a check that does not exist</title>
  <check id="no.such.check" severity="required"/>
</profile>
EOF
hv_run bc "$HWVIRT" --root guest audit --profile ./bad-check.xml
hv_expect_rc bc 65 "audit with a profile naming an unknown check"
hv_expect_grep bc.err "bad-check.xml:4" "the unknown check names the file and line"
hv_expect_grep bc.err "no.such.check" "the unknown check is named"

hv_run np "$HWVIRT" --root guest audit --profile ./missing.xml
hv_expect_rc np 65 "audit with a missing profile file"
hv_expect_grep np.err "missing.xml" "the missing profile is named"

# ---- colour ----------------------------------------------------------------------

color()
{
	# color NAME WANT(yes|no) ENV... -- ARGS...
	_n=$1 _want=$2
	shift 2
	hv_run "$_n" env "$@"
	hv_checks=$((hv_checks + 1))
	if hv_has_esc "$_n.out"; then _got=yes; else _got=no; fi
	if [ "$_got" = "$_want" ]; then
		hv_pass "colour $_want: $*"
	else
		hv_fail "colour: expected $_want, got $_got: $*"
	fi
}
H=$HWVIRT
color c-always yes -u NO_COLOR "$H" --root guest audit --color=always
color c-always2 yes -u NO_COLOR "$H" --color=always --root guest audit
color c-auto no -u NO_COLOR "$H" --root guest audit
color c-never no -u NO_COLOR "$H" --root guest audit --color=never
color c-nocolor no -u NO_COLOR "$H" --root guest audit --color=always --no-color
color c-env no NO_COLOR=1 "$H" --root guest audit --color=always
color c-envauto no NO_COLOR=1 "$H" --root guest audit
color c-empty yes NO_COLOR= "$H" --root guest audit --color=always
color c-json no -u NO_COLOR "$H" --root guest audit --color=always --format json
hv_expect_rc c-always 2 "audit in colour keeps its exit status"

# ---- this machine, live ------------------------------------------------------------
#
# On the KVM guest these tests were written on, CPUID has neither VMX nor
# SVM and there is no IOMMU: the audit exits 2 and says so. Elsewhere the
# expectations follow what this machine has.

has_virt=no
grep -qw -e vmx -e svm /proc/cpuinfo 2>/dev/null && has_virt=yes
has_iommu=no
[ -n "$(ls /sys/class/iommu 2>/dev/null)" ] && has_iommu=yes

# findings JSON: print "ID STATUS" per finding of an audit report.
findings()
{
	"$PYTHON3" -c '
import json, sys
r = json.load(open(sys.argv[1]))
if not r["audit"]["findings"]:
    sys.exit("no findings")
for f in r["audit"]["findings"]:
    print(f["id"], f["status"])
' "$1"
}

hv_run live "$HWVIRT" audit
hv_run live-json "$HWVIRT" audit --format json
hv_run live-inv "$HWVIRT" inventory --format json
for r in live live-json; do
	case $(cat "$r.rc") in
	0|2|3) hv_checks=$((hv_checks + 1)); hv_pass "live audit ($r): exit $(cat "$r.rc")" ;;
	*) hv_expect_rc "$r" 2 "live audit ($r)" ;;
	esac
done
hv_expect_rc live-inv 0 "live inventory"
if [ "$has_virt" = no ] || [ "$has_iommu" = no ]; then
	hv_expect_rc live 2 "live audit of a host without VMX/SVM or IOMMU"
	hv_expect_rc live-json 2 "live audit of a host without VMX/SVM or IOMMU (json)"
fi
if [ -n "$PYTHON3" ] && [ -s live-json.out ]; then
	findings live-json.out >live.findings 2>live.pyerr || hv_fail "live audit: JSON without audit.findings: $(cat live.pyerr)"
	if [ "$has_virt" = no ]; then
		hv_expect_grep live.findings "cpu.virt_extensions fail" "live: missing VMX/SVM is a failure"
		hv_expect_egrep live.out '[Vv][Mm][Xx]|[Ss][Vv][Mm]' "live: the report names VMX/SVM"
	fi
	if [ "$has_iommu" = no ]; then
		hv_expect_grep live.findings "iommu.enabled fail" "live: no IOMMU is a failure"
		hv_expect_grep live.out "IOMMU" "live: the report names the IOMMU"
	fi
fi

# The same as an ordinary user: CPUID needs no privilege, so the verdict is
# the same; nothing that needs root is claimed: every finding the user's run
# judges is judged as root's run judged it, and no PCI device shows more
# than the 64 bytes of configuration space the kernel gives non-root readers.
nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "note: not root (or no setpriv): the ordinary-user run is not done"
elif ! $nobody test -x "$HWVIRT"; then
	echo "note: $HWVIRT is not executable by an ordinary user: the ordinary-user run is not done"
else
	chmod 755 "$hv_tmp"
	hv_run user $nobody "$HWVIRT" audit
	hv_run user-json $nobody "$HWVIRT" audit --format json
	hv_run user-inv $nobody "$HWVIRT" inventory --format json
	hv_checks=$((hv_checks + 1))
	if [ "$(cat user.rc)" = "$(cat live.rc)" ]; then
		hv_pass "live audit as an ordinary user: exit $(cat user.rc), as root's"
	else
		hv_fail "live audit as an ordinary user: exit $(cat user.rc), as root $(cat live.rc)"
		sed -n '1,20s/^/    stderr: /p' user.err
	fi
	hv_expect_rc user-json "$(cat live-json.rc)" "live audit as an ordinary user (json)"
	hv_expect_rc user-inv 0 "live inventory as an ordinary user"
	if [ -n "$PYTHON3" ] && [ -s user-json.out ] && [ -s live.findings ]; then
		findings user-json.out >user.findings 2>user.pyerr || hv_fail "user audit: bad JSON: $(cat user.pyerr)"
		while read -r id st; do
			case $st in
			pass|warn|fail)
				hv_expect_grep live.findings "$id $st" "as a user, $id is $st only if root says so"
				;;
			esac
		done <user.findings
		if [ "$has_virt" = no ]; then
			hv_expect_grep user.findings "cpu.virt_extensions fail" "as a user: missing VMX/SVM is a failure"
		fi
		"$PYTHON3" -c '
import json, sys
r = json.load(open(sys.argv[1]))
devs = r["host"]["pci"]["devices"]
if not devs:
    sys.exit("no PCI devices in the report")
bad = [d["address"] for d in devs if not isinstance(d["config"], int) or d["config"] > 64]
if bad:
    sys.exit("more than 64 bytes of config space shown to a user: %s" % bad)
k = r["host"]["kernel"]
if k["dev_kvm_usable"] is not None and k["facts"]["dev_kvm"]["status"] != "ok":
    sys.exit("/dev/kvm usability claimed without opening it: %r" % k["dev_kvm_usable"])
' user-inv.out >user.pci 2>&1
		prc=$?
		hv_checks=$((hv_checks + 1))
		if [ "$prc" -eq 0 ]; then
			hv_pass "as a user, no device shows more than 64 bytes of config space, /dev/kvm not claimed"
		else
			hv_fail "as a user: $(cat user.pci)"
		fi
	fi
fi

# ---- capture: a capture audits as its host did ---------------------------------------
#
# The proof of `hwvirt capture` is the round trip: the inventory of a
# capture is the inventory of what was captured, apart from the root, the
# capture's own description, and the facts only a live host has (listed in
# same_facts below). Tarball roots are extracted under $TMPDIR, which must
# be left empty.

mkdir -p "$hv_tmp/tmp"
TMPDIR=$hv_tmp/tmp
export TMPDIR

# same_facts KIND A B: the inventory JSON reports A (the source) and B (its
# capture) hold the same facts. KIND fixture: apart from "root" and
# "capture". KIND live: also apart from what a capture cannot hold --
# "live", /dev/kvm's usability and API version (and the fact naming where
# that was read: dev/kvm opened, or sys/class/misc/kvm), the source of
# CPUID (the instruction, or hwvirt/cpuid.txt) -- and, where the live host
# has no lib/modules (this machine), the module index, which the kernel
# probe reports as not captured rather than absent. KIND user: live, and a
# short PCI config space is unknown for want of root (EACCES) live and for
# want of data (ENODATA) in a capture: what the capability lists hold stays
# unknown either way, only the reason differs.
same_facts()
{
	"$PYTHON3" - "$@" <<'PY'
import json, sys
kind, a, b = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
for r in (a, b):
    r.pop("root", None)
    r.pop("capture", None)
if kind in ("live", "user"):
    for r in (a, b):
        r.pop("live", None)
        k = r["host"]["kernel"]
        for key in ("dev_kvm_usable", "kvm_api_version"):
            k.pop(key, None)
        k["facts"].pop("dev_kvm", None)
        r["host"]["cpu"]["facts"].pop("cpuid", None)
    la, lb = a["host"]["kernel"], b["host"]["kernel"]
    ia, ib = la["facts"]["modules_index"], lb["facts"]["modules_index"]
    if ia["status"] == "absent" and ib.get("reason") == "lib/modules not captured":
        for k in (la, lb):
            k["facts"].pop("modules_index")
            for m in k["modules"]:
                if m.get("available") in (False, None):
                    m.pop("available")
if kind == "user":
    for r in (a, b):
        for d in r["host"]["pci"]["devices"]:
            for f in d["facts"].values():
                if f and f["status"] == "unknown" and f.get("errno") in ("EACCES", "ENODATA"):
                    f["errno"] = "EACCES|ENODATA"
                    f["reason"] = None
def diff(x, y, path):
    if type(x) != type(y):
        print("%s: %r != %r" % (path, x, y)); return 1
    if isinstance(x, dict):
        n = 0
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                print("%s.%s: only in %s" % (path, k, "source" if k in x else "capture")); n += 1
            else:
                n += diff(x[k], y[k], path + "." + k)
        return n
    if isinstance(x, list):
        if len(x) != len(y):
            print("%s: %d items != %d" % (path, len(x), len(y))); return 1
        return sum(diff(p, q, "%s[%d]" % (path, i)) for i, (p, q) in enumerate(zip(x, y)))
    if x != y:
        print("%s: %r != %r" % (path, x, y)); return 1
    return 0
sys.exit(1 if diff(a, b, "") else 0)
PY
}

# expect_same_facts KIND A B WHAT
expect_same_facts()
{
	hv_checks=$((hv_checks + 1))
	if same_facts "$1" "$2" "$3" >same.diff 2>&1; then
		hv_pass "$4"
	else
		hv_fail "$4: the facts differ:"
		sed -n '1,30s/^/    /p' same.diff
	fi
}

if [ -z "$PYTHON3" ]; then
	echo "note: python3 not installed: the capture round trips are not compared"
fi

# Every fixture host, captured as a directory and as each kind of tarball.
for m in "$top_srcdir"/fixtures/hosts/*.manifest; do
	h=$(basename "$m" .manifest)
	hv_materialize "$m" "fx-$h"
	hv_run "fx-$h-inv" "$HWVIRT" --root "fx-$h" inventory --format json
	hv_run "fx-$h-aud" "$HWVIRT" --root "fx-$h" audit --format json
	for out in dir tar tgz tar.gz tar.xz; do
		o=cap-$h.$out
		[ "$out" = dir ] && o=cap-$h
		hv_run "c-$h-$out" "$HWVIRT" --root "fx-$h" capture --output "$o"
		hv_expect_rc "c-$h-$out" 0 "capture of fixture $h ($out)"
		echo "$o" >"c-$h-$out.want"
		hv_expect_same "c-$h-$out.want" "c-$h-$out.out" "capture of $h ($out) prints its name"
		hv_run "ci-$h-$out" "$HWVIRT" --root "$o" inventory --format json
		hv_expect_rc "ci-$h-$out" "$(cat "fx-$h-inv.rc")" "inventory of the capture of $h ($out)"
		[ -n "$PYTHON3" ] &&
			expect_same_facts fixture "fx-$h-inv.out" "ci-$h-$out.out" \
				"inventory of the capture of $h ($out) is the fixture's"
	done
	# the audit too, from the tarball: same verdict, same findings
	hv_run "ca-$h" "$HWVIRT" --root "cap-$h.tar.gz" audit --format json
	hv_expect_rc "ca-$h" "$(cat "fx-$h-aud.rc")" "audit of the capture of $h"
	[ -n "$PYTHON3" ] &&
		expect_same_facts fixture "fx-$h-aud.out" "ca-$h.out" \
			"audit of the capture of $h is the fixture's"
	hv_expect_grep "ci-$h-tar.gz.out" "\"root\": \"cap-$h.tar.gz\"" \
		"a tarball root is reported as given"
	hv_expect_grep "ci-$h-tar.gz.out" "\"hwvirt_version\": \"" \
		"the capture of $h describes itself"
done
# A capture of a capture is the same capture.
hv_run cc "$HWVIRT" --root cap-kvm-guest.tar.xz capture --output capcap
hv_expect_rc cc 0 "capture of a tarball capture"
hv_run cc-inv "$HWVIRT" --root capcap inventory --format json
[ -n "$PYTHON3" ] &&
	expect_same_facts fixture fx-kvm-guest-inv.out cc-inv.out "a capture of a capture"
hv_expect_grep capcap/hwvirt/capture.json '"root": "cap-kvm-guest.tar.xz"' \
	"capture.json names the root as given"

# The default name, in the current directory.
mkdir defname
(cd defname && "$HWVIRT" --root ../fx-kvm-guest capture) >defname.out 2>defname.err
echo $? >defname.rc
hv_expect_rc defname 0 "capture without --output"
hv_expect_egrep defname.out '^hwvirt-[A-Za-z0-9._-]+-[0-9]{8}T[0-9]{6}\.tar\.gz$' \
	"the default capture name"
hv_checks=$((hv_checks + 1))
if [ -s "defname/$(cat defname.out)" ]; then
	hv_pass "the default capture is written where it says"
else
	hv_fail "no defname/$(cat defname.out)"
fi

# Failures to write: 73, a message naming OUT, nothing left behind, and an
# existing OUT untouched.
mkdir exists
echo keep >exists/file
hv_run x-exists "$HWVIRT" --root fx-kvm-guest capture -o exists
hv_expect_rc x-exists 73 "capture onto an existing directory"
hv_expect_grep x-exists.err "exists" "capture onto an existing directory: stderr"
hv_expect_grep exists/file "keep" "an existing output is untouched"
: >exists.tar.gz
hv_run x-existst "$HWVIRT" --root fx-kvm-guest capture -o exists.tar.gz
hv_expect_rc x-existst 73 "capture onto an existing tarball"
hv_run x-nodir "$HWVIRT" --root fx-kvm-guest capture -o no/such/dir/c.tar.gz
hv_expect_rc x-nodir 73 "capture into a missing directory"
hv_expect_grep x-nodir.err "no/such/dir/c.tar.gz" "capture into a missing directory: stderr"
hv_expect_empty x-nodir.out "capture into a missing directory: stdout"
# a file size limit stands for a full disk: the write fails half way
for out in small small.tar; do
	(ulimit -f 2 && exec "$HWVIRT" --root fx-intel-sriov capture -o "$out") \
		</dev/null >"x-full-$out.out" 2>"x-full-$out.err"
	echo $? >"x-full-$out.rc"
	hv_expect_rc "x-full-$out" 73 "capture that cannot be written in full ($out)"
	hv_expect_grep "x-full-$out.err" "$out" "capture that cannot be written in full ($out): stderr"
	hv_expect_empty "x-full-$out.out" "capture that cannot be written in full ($out): stdout"
done
ls -A >leftovers
hv_expect_no_grep leftovers ".small" "no temporary capture is left behind"
hv_checks=$((hv_checks + 1))
if [ ! -e small ] && [ ! -e small.tar ]; then
	hv_pass "no half capture is left behind"
else
	hv_fail "a half capture was left behind: $(ls -d small small.tar 2>/dev/null)"
fi

# Corrupt and hostile tarballs: 65, naming the tarball and the member, and
# nothing written outside the extraction directory.
head -c $(($(wc -c <cap-intel-sriov.tar.gz) / 2)) cap-intel-sriov.tar.gz >trunc.tar.gz
hv_run t-trunc "$HWVIRT" --root trunc.tar.gz inventory
hv_expect_rc t-trunc 65 "a truncated tarball"
hv_expect_grep t-trunc.err "trunc.tar.gz" "a truncated tarball: stderr"
hv_expect_empty t-trunc.out "a truncated tarball: stdout"
head -c 4096 /dev/urandom >garbage.tar
hv_run t-garbage "$HWVIRT" --root garbage.tar audit
hv_expect_rc t-garbage 65 "a tarball of garbage"
hv_expect_grep t-garbage.err "garbage.tar" "a tarball of garbage: stderr"
if [ -n "$PYTHON3" ]; then
	mkdir hostile
	(cd hostile && "$PYTHON3" - <<'PY'
import io, tarfile
def mk(name, members, mode="w:gz"):
    with tarfile.open(name, mode) as t:
        for path, kind, arg in members:
            ti = tarfile.TarInfo(path)
            if kind == "f":
                ti.size = len(arg); t.addfile(ti, io.BytesIO(arg)); continue
            ti.type = {"d": tarfile.DIRTYPE, "l": tarfile.SYMTYPE,
                       "h": tarfile.LNKTYPE, "c": tarfile.CHRTYPE,
                       "p": tarfile.FIFOTYPE}[kind]
            if kind in "lh":
                ti.linkname = arg
            t.addfile(ti)
mk("abs.tgz", [("/tmp/hwvirt-evil", "f", b"x")])
mk("dotdot.tgz", [("proc/../../hwvirt-evil", "f", b"x")])
mk("through.tgz", [("proc", "l", "/tmp"), ("proc/hwvirt-evil", "f", b"x")])
mk("through-rel.tgz", [("proc", "l", ".."), ("proc/hwvirt-evil", "f", b"x")])
mk("device.tgz", [("dev", "d", None), ("dev/kvm", "c", None)])
mk("fifo.tgz", [("proc", "d", None), ("proc/cmdline", "p", None)])
mk("hardlink.tgz", [("proc", "d", None), ("proc/cmdline", "f", b"quiet\n"),
                    ("proc/cpuinfo", "h", "proc/cmdline")])
mk("twice.tgz", [("proc", "d", None), ("proc/cmdline", "f", b"quiet\n"),
                 ("proc/cmdline", "f", b"iommu=pt\n")])
mk("bomb.tgz", [("proc", "d", None), ("proc/cpuinfo", "f", bytes(17 << 20))])
PY
	)
	for t in abs:/tmp/hwvirt-evil dotdot:proc/../../hwvirt-evil through:proc/hwvirt-evil \
		 through-rel:proc/hwvirt-evil device:dev/kvm fifo:proc/cmdline \
		 hardlink:proc/cpuinfo twice:proc/cmdline bomb:proc/cpuinfo; do
		n=${t%%:*}
		member=${t#*:}
		hv_run "h-$n" "$HWVIRT" --root "hostile/$n.tgz" inventory
		hv_expect_rc "h-$n" 65 "a hostile tarball ($n)"
		hv_expect_grep "h-$n.err" "hostile/$n.tgz: member '$member'" \
			"a hostile tarball ($n): the member is named"
		hv_expect_empty "h-$n.out" "a hostile tarball ($n): stdout"
	done
	hv_checks=$((hv_checks + 1))
	if [ -e /tmp/hwvirt-evil ] || [ -e "$hv_tmp/hwvirt-evil" ] ||
	   [ -e "$TMPDIR/hwvirt-evil" ]; then
		hv_fail "a hostile tarball wrote outside its directory"
	else
		hv_pass "no hostile tarball wrote outside its directory"
	fi
fi

# This machine, live: the capture's inventory is the live one apart from
# what only a live host has. As root, and as an ordinary user, whose
# capture holds what that user can read (and stays unknown where root's
# does not).
hv_run lc "$HWVIRT" capture --output live-cap.tar.gz
hv_expect_rc lc 0 "capture of this machine"
hv_run lc-inv "$HWVIRT" inventory --format json
hv_run lcc-inv "$HWVIRT" --root live-cap.tar.gz inventory --format json
hv_expect_rc lcc-inv 0 "inventory of the capture of this machine"
[ -n "$PYTHON3" ] &&
	expect_same_facts live lc-inv.out lcc-inv.out \
		"inventory of the capture of this machine is the live one"
hv_expect_grep lcc-inv.out '"source": "hwvirt/cpuid.txt"' \
	"the capture of this machine holds its CPUID"
hv_run lc-dir "$HWVIRT" capture --output live-cap
hv_run lcd-inv "$HWVIRT" --root live-cap inventory --format json
[ -n "$PYTHON3" ] &&
	expect_same_facts live lc-inv.out lcd-inv.out \
		"inventory of the capture of this machine (directory) is the live one"
hv_run lca "$HWVIRT" --root live-cap.tar.gz audit
hv_run lla "$HWVIRT" audit
hv_expect_rc lca "$(cat lla.rc)" "audit of the capture of this machine: the live verdict"
find live-cap \( -type c -o -type b -o -type p -o -type s \) >live-cap.special
hv_expect_empty live-cap.special "no device node, FIFO or socket in a capture"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
   $nobody test -x "$HWVIRT"; then
	chmod 1777 "$hv_tmp/tmp"
	mkdir -m 777 user-cap
	hv_run uc $nobody env TMPDIR="$TMPDIR" "$HWVIRT" capture --output user-cap/c.tar.gz
	hv_expect_rc uc 0 "capture of this machine as an ordinary user"
	hv_run uc-inv $nobody "$HWVIRT" inventory --format json
	hv_run ucc-inv $nobody env TMPDIR="$TMPDIR" "$HWVIRT" --root user-cap/c.tar.gz inventory --format json
	hv_expect_rc ucc-inv 0 "inventory of an ordinary user's capture, as that user"
	[ -n "$PYTHON3" ] &&
		expect_same_facts user uc-inv.out ucc-inv.out \
			"an ordinary user's capture is what that user sees live"
	hv_checks=$((hv_checks + 1))
	if [ -s user-cap/c.tar.gz ]; then
		hv_pass "the ordinary user's capture exists"
	else
		hv_fail "the ordinary user's capture is missing"
	fi
	hv_run uc-dir $nobody "$HWVIRT" capture --output user-cap/d
	hv_run ucd-root "$HWVIRT" --root user-cap/d inventory --format json
	[ -n "$PYTHON3" ] &&
		expect_same_facts user uc-inv.out ucd-root.out \
			"an ordinary user's capture read by root stays what the user saw"
fi

# Nothing extracted is left behind.
ls -A "$TMPDIR" >tmp-left
hv_expect_empty tmp-left "every extracted tarball root was removed"

# ---- the README's test command is what CI runs ---------------------------------------

if [ -f "$top_srcdir/.ci/run" ] && [ -f "$top_srcdir/README.md" ]; then
	tail -n 1 "$top_srcdir/.ci/run" >ci-command
	awk '/^```sh$/ { n++; inb = 1; next } /^```$/ { inb = 0; next }
	     inb && n == 2 { print }' "$top_srcdir/README.md" >readme-command
	hv_expect_same ci-command readme-command "README's second command is .ci/run's"
fi

hv_finish
