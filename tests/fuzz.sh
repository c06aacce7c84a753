#!/bin/sh
# fuzz.sh -- build every libFuzzer harness (tests/fuzz-NAME.c) with
# $FUZZ_CC against an instrumented build of all of src/, fuzz each for
# $FUZZ_SECONDS (20) seconds from its seeds (tests/fuzz/NAME/: real inputs,
# and the regressions), then replay every file under
# tests/fuzz/NAME/regressions/ one by one. A new harness needs only its
# file and its seed folder.
#
# $FUZZ_OUT, when set (`make fuzz` sets it), keeps the corpus and crashes
# there (FUZZ_OUT/NAME/) instead of in a temporary directory.
#
# Exits 77 (skip) only when $FUZZ_CC (clang) or its libFuzzer runtime is
# missing; a harness that does not build, a crash, a leak, undefined
# behaviour or a broken invariant fails. A crash leaves its input in the
# output directory and is printed in hex: add it under
# tests/fuzz/NAME/regressions/ with the fix.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

: "${FUZZ_CC:=clang}"
: "${FUZZ_SECONDS:=20}"
: "${FUZZ_LIBS:=$(pkg-config --libs libpci libxml-2.0 json-c libarchive 2>/dev/null)}"
: "${FUZZ_CFLAGS:=$(pkg-config --cflags libpci libxml-2.0 json-c libarchive 2>/dev/null)}"
targets=$(cd "$top_srcdir/tests" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')

command -v "$FUZZ_CC" >/dev/null 2>&1 || hv_skip "$FUZZ_CC not found"
config_h="$top_builddir/config.h"
[ -f "$config_h" ] || { echo "error: $config_h missing: run configure" >&2; exit 99; }

hv_mktemp
cat >"$hv_tmp/probe.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{ (void)data; (void)size; return 0; }
EOF
"$FUZZ_CC" -fsanitize=fuzzer,address,undefined "$hv_tmp/probe.c" \
	-o "$hv_tmp/probe" >"$hv_tmp/probe.log" 2>&1 ||
	hv_skip "$FUZZ_CC cannot link -fsanitize=fuzzer (libFuzzer missing)"

# The harnesses report leaks and stop at the first problem of any kind.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

# One instrumented build of the library, shared by every harness.
builtin="$top_builddir/src/builtin-data.c"
[ -f "$builtin" ] || { echo "error: $builtin missing: run make" >&2; exit 99; }
mkdir -p "$hv_tmp/obj"
hv_checks=$((hv_checks + 1))
lib_ok=true
for src in "$top_srcdir"/src/*.c "$builtin"; do
	obj="$hv_tmp/obj/$(basename "$src" .c).o"
	if ! "$FUZZ_CC" -c -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		-fno-sanitize-recover=all -include "$config_h" $FUZZ_CFLAGS \
		-I"$top_srcdir/include" "$src" -o "$obj" \
		>>"$hv_tmp/build-lib.log" 2>&1; then
		lib_ok=false
	fi
done
if $lib_ok; then
	hv_pass "src/ builds instrumented"
else
	hv_fail "src/ does not build instrumented:"
	sed 's/^/    /' "$hv_tmp/build-lib.log"
	hv_finish
fi

for t in $targets; do
	bin="$hv_tmp/fuzz-$t"
	seeds="$top_srcdir/tests/fuzz/$t"
	out="${FUZZ_OUT:+$FUZZ_OUT/$t}"
	out="${out:-$hv_tmp/out-$t}"

	hv_checks=$((hv_checks + 1))
	if "$FUZZ_CC" -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -include "$config_h" $FUZZ_CFLAGS \
		-I"$top_srcdir/include" "$top_srcdir/tests/fuzz-$t.c" \
		"$hv_tmp"/obj/*.o $FUZZ_LIBS \
		-o "$bin" >"$hv_tmp/build-$t.log" 2>&1; then
		hv_pass "fuzz-$t builds"
	else
		hv_fail "fuzz-$t does not build:"
		sed 's/^/    /' "$hv_tmp/build-$t.log"
		continue
	fi

	# Fuzz from the seeds into a scratch corpus, for a bounded time.
	mkdir -p "$out/corpus" "$out/crash"
	hv_checks=$((hv_checks + 1))
	if "$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$out/crash/" \
		"$out/corpus" "$seeds" >"$hv_tmp/run-$t.log" 2>&1; then
		hv_pass "fuzz-$t: $(grep -E '^stat::number_of_executed_units' \
			"$hv_tmp/run-$t.log" | sed 's/.*: *//') runs in ${FUZZ_SECONDS}s"
	else
		hv_fail "fuzz-$t found a problem:"
		tail -n 40 "$hv_tmp/run-$t.log" | sed 's/^/    /'
		for f in "$out/crash"/*; do
			[ -f "$f" ] || continue
			echo "    input $f:"
			od -A x -t x1 "$f" | sed -n '1,40s/^/      /p'
		done
	fi

	# Replay every regression input, one run each.
	n=0
	for f in "$seeds"/regressions/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		hv_checks=$((hv_checks + 1))
		if "$bin" -runs=1 "$f" >"$hv_tmp/replay.log" 2>&1; then
			hv_pass "fuzz-$t replays $(basename "$f")"
		else
			hv_fail "fuzz-$t fails on $f:"
			tail -n 30 "$hv_tmp/replay.log" | sed 's/^/    /'
		fi
	done
	hv_checks=$((hv_checks + 1))
	if [ "$n" -gt 0 ]; then
		hv_pass "fuzz-$t: $n regression inputs"
	else
		hv_fail "fuzz-$t: no regression inputs in $seeds/regressions"
	fi
done

hv_finish
