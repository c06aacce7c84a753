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
for c in inventory audit profiles explain; do
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
	hv_expect_grep man-synopsis "hwvirt [--root DIR] COMMAND [options]" "hwvirt.1 synopsis"
	hv_expect_grep man-synopsis "hwvirt --help | --version" "hwvirt.1 synopsis"
	hv_expect_grep help.out "usage: hwvirt [--root DIR] COMMAND [options]" "hwvirt --help"
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

# ---- the README's test command is what CI runs ---------------------------------------

if [ -f "$top_srcdir/.ci/run" ] && [ -f "$top_srcdir/README.md" ]; then
	tail -n 1 "$top_srcdir/.ci/run" >ci-command
	awk '/^```sh$/ { n++; inb = 1; next } /^```$/ { inb = 0; next }
	     inb && n == 2 { print }' "$top_srcdir/README.md" >readme-command
	hv_expect_same ci-command readme-command "README's second command is .ci/run's"
fi

hv_finish
