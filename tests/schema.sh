#!/bin/sh
# schema.sh -- validates reports against the shipped schemas: every *.json
# under fixtures/golden/ against data/schema/report.schema.json (python3
# jsonschema, draft 2020-12) and every *.xml against data/schema/report.xsd
# (xmllint --schema), then this machine's live `hwvirt inventory` and
# `hwvirt audit` in json and xml, as root and, when run as root, as nobody.
#
# A missing validator is a failure, not a skip: the schemas are a contract.
# Until tests/golden.sh has written golden files only the live reports are
# checked. The audit's exit status is its verdict (0, 2 or 3; a KVM guest
# without an IOMMU is not ready: 2); 65 means a diagnostic about bad input,
# which stays on standard error and leaves the report valid.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

json_schema=$top_srcdir/data/schema/report.schema.json
xsd=$top_srcdir/data/schema/report.xsd
golden=$top_srcdir/fixtures/golden

[ -n "${PYTHON3:-}" ] || PYTHON3=$(command -v python3 || true)
[ -n "${XMLLINT:-}" ] || XMLLINT=$(command -v xmllint || true)

hv_mktemp

# ---- the validators ----------------------------------------------------------

hv_checks=$((hv_checks + 1))
if [ -z "$PYTHON3" ] || ! "$PYTHON3" -c 'import jsonschema' 2>"$hv_tmp/py.err"; then
	hv_fail "python3 with jsonschema is needed (Debian: python3-jsonschema)"
	sed 's/^/    /' "$hv_tmp/py.err"
	hv_finish
fi
hv_checks=$((hv_checks + 1))
if [ -z "$XMLLINT" ] || ! "$XMLLINT" --version >/dev/null 2>&1; then
	hv_fail "xmllint is needed (Debian: libxml2-utils)"
	hv_finish
fi

cat >"$hv_tmp/validate.py" <<'EOF'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
V = jsonschema.Draft202012Validator
V.check_schema(schema)
v = V(schema)
for f in sys.argv[2:]:
    try:
        doc = json.load(open(f))
    except ValueError as e:
        print("FAIL", f, "is not JSON:", e)
        continue
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errs:
        print("FAIL", f)
        for e in errs[:10]:
            print("    at", "/".join(str(p) for p in e.absolute_path) or "/",
                  ":", e.message[:300])
    else:
        print("ok", f)
EOF

# validate_json FILE...: one check per file.
validate_json()
{
	"$PYTHON3" "$hv_tmp/validate.py" "$json_schema" "$@" >"$hv_tmp/v.out" 2>&1
	_prc=$?
	while IFS= read -r _line; do
		case $_line in
		"ok "*)
			hv_checks=$((hv_checks + 1))
			hv_pass "JSON schema: ${_line#ok }" ;;
		"FAIL "*)
			hv_checks=$((hv_checks + 1))
			hv_fail "JSON schema: ${_line#FAIL }" ;;
		*)
			printf '%s\n' "$_line" ;;
		esac
	done <"$hv_tmp/v.out"
	if [ "$_prc" -ne 0 ]; then
		hv_checks=$((hv_checks + 1))
		hv_fail "the JSON validator failed (exit $_prc)"
	fi
}

# validate_xml FILE: one check.
validate_xml()
{
	hv_checks=$((hv_checks + 1))
	if "$XMLLINT" --noout --nonet --schema "$xsd" "$1" >"$hv_tmp/x.out" 2>&1; then
		hv_pass "XML schema: $1"
	else
		hv_fail "XML schema: $1"
		sed -n '1,20s/^/    /p' "$hv_tmp/x.out"
	fi
}

# The schemas themselves: a compiled XSD, a valid JSON Schema (checked by
# the validator above), and each rejects a report with an unknown element.
hv_checks=$((hv_checks + 1))
printf '<?xml version="1.0"?>\n<hwvirt schema_version="1.0" hwvirt_version="x" command="inventory"><bogus/></hwvirt>\n' \
	>"$hv_tmp/bogus.xml"
if "$XMLLINT" --noout --nonet --schema "$xsd" "$hv_tmp/bogus.xml" >/dev/null 2>&1; then
	hv_fail "report.xsd accepts a document it should not"
else
	hv_pass "report.xsd rejects an unknown element"
fi
hv_checks=$((hv_checks + 1))
printf '{"schema_version": "1.0", "surprise": 1}\n' >"$hv_tmp/bogus.json"
if "$PYTHON3" "$hv_tmp/validate.py" "$json_schema" "$hv_tmp/bogus.json" | grep -q '^FAIL'; then
	hv_pass "report.schema.json rejects an unknown member"
else
	hv_fail "report.schema.json accepts a document it should not"
fi

# ---- the golden files --------------------------------------------------------

if [ -d "$golden" ]; then
	find "$golden" -type f -name '*.json' | LC_ALL=C sort >"$hv_tmp/golden-json"
	find "$golden" -type f -name '*.xml' | LC_ALL=C sort >"$hv_tmp/golden-xml"
	if [ -s "$hv_tmp/golden-json" ]; then
		# shellcheck disable=SC2046
		validate_json $(cat "$hv_tmp/golden-json")
	fi
	while IFS= read -r f; do
		validate_xml "$f"
	done <"$hv_tmp/golden-xml"
fi
[ -s "$hv_tmp/golden-json" ] || [ -s "$hv_tmp/golden-xml" ] ||
	echo "note: no golden JSON or XML yet; checking the live reports only"

# ---- this machine ------------------------------------------------------------

if [ ! -x "$HWVIRT" ]; then
	hv_checks=$((hv_checks + 1))
	hv_fail "$HWVIRT is not built"
	hv_finish
fi

# live WHO PREFIX...: run hwvirt inventory and audit in json and xml (as
# PREFIX, e.g. setpriv ...), check the exit status and validate.
live()
{
	_who=$1
	shift
	for _cmd in inventory audit; do
		for _fmt in json xml; do
			_p="$hv_tmp/live-$_who-$_cmd"
			hv_run "$_p" "$@" "$HWVIRT" "$_cmd" --format "$_fmt"
			mv "$_p.out" "$_p.$_fmt"
			hv_checks=$((hv_checks + 1))
			case $_cmd:$hv_rc in
			inventory:0 | inventory:65 | audit:0 | audit:2 | audit:3 | audit:65)
				hv_pass "$_who: hwvirt $_cmd --format $_fmt: exit $hv_rc" ;;
			*)
				hv_fail "$_who: hwvirt $_cmd --format $_fmt: exit $hv_rc"
				sed -n '1,20s/^/    stderr: /p' "$_p.err"
				continue ;;
			esac
			if [ ! -s "$_p.$_fmt" ]; then
				hv_checks=$((hv_checks + 1))
				hv_fail "$_who: hwvirt $_cmd --format $_fmt wrote nothing"
				continue
			fi
			if [ "$_fmt" = json ]; then
				validate_json "$_p.json"
			else
				validate_xml "$_p.xml"
			fi
		done
	done
}

live "$(id -un 2>/dev/null || echo user)"

# What an ordinary user sees: facts unknown for want of root are null (JSON)
# or left out (XML), and the report must still be valid.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	# the shell (root) opens the output files; only hwvirt runs as nobody
	nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	if $nobody test -x "$HWVIRT"; then
		# shellcheck disable=SC2086
		live nobody $nobody
	else
		echo "note: nobody cannot run $HWVIRT; the unprivileged run is left out"
	fi
fi

hv_finish
