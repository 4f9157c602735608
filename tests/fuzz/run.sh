#!/bin/sh
# Builds the libFuzzer targets with clang and runs each over a copy of its
# seed corpus for a bounded time.
#
#   FERRY_FUZZ_RUNS      inputs per target, from a fixed seed, so make check
#                        gives the same answer every time (default 20000;
#                        0: run for FERRY_FUZZ_SECONDS from a random seed,
#                        for fuzzing by hand)
#   FERRY_FUZZ_SECONDS   seconds per target, at most (default 10)
#   FERRY_FUZZ_TARGETS   targets to run (default: all)
#   FERRY_FUZZ_CC        the compiler (default: clang)
#   FERRY_FUZZ_ARGS      more libFuzzer options, e.g. "-fork=2 -ignore_crashes=1"
#
# Exit status (automake's): 0 all ran clean, 1 a target crashed, leaked, hung
# or broke an invariant (the reproducer's path is in the log), 77 clang or
# libFuzzer is not installed, 99 a target did not build.
set -u

srcdir=${FERRY_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${FERRY_BUILDDIR:-$(pwd)}
seconds=${FERRY_FUZZ_SECONDS:-10}
runs=${FERRY_FUZZ_RUNS:-20000}
if [ "$runs" -gt 0 ]; then
	bounds="-runs=$runs -seed=1"
else
	bounds=""
fi
targets=${FERRY_FUZZ_TARGETS:-"fuzz_policy fuzz_cmdline fuzz_glob fuzz_proto"}
cc=${FERRY_FUZZ_CC:-clang}
out=$builddir/tests/fuzz/out

# The pure sources each target is linked with (fuzz_glob includes policy.c).
sources_for() {
	case $1 in
	fuzz_policy | fuzz_cmdline) echo "src/common/config.c src/common/fail.c src/common/policy.c" ;;
	fuzz_glob) echo "src/common/config.c src/common/fail.c" ;;
	fuzz_proto) echo "src/common/proto.c" ;;
	*) return 1 ;;
	esac
}

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "SKIP: no $cc: the fuzz targets need clang with libFuzzer" \
		"(Debian: apt-get install clang libclang-rt-dev)"
	exit 77
fi
# A build directory this user cannot write is an error, not a missing
# libFuzzer.
if ! mkdir -p "$out" || [ ! -w "$out" ]; then
	echo "FAIL: cannot write the fuzz output directory $out"
	exit 99
fi
cat >"$out/probe.c" <<'PROBE'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { (void)data; (void)size; return 0; }
PROBE
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >"$out/probe.log" 2>&1; then
	echo "SKIP: $cc cannot link -fsanitize=fuzzer,address,undefined: libFuzzer's runtime is" \
		"missing (Debian: apt-get install libclang-rt-dev):"
	sed 's/^/  /' "$out/probe.log"
	exit 77
fi

cflags="-g -O1 -fno-omit-frame-pointer -std=gnu11 -D_GNU_SOURCE
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Werror -Wno-unused-function
	-I$srcdir/include -I$srcdir/tests/fuzz"

# Leaks are failures (detect_leaks is on by default with ASan on Linux; said
# again in case the environment turned it off); UB aborts with a stack.
ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS UBSAN_OPTIONS

status=0
for t in $targets; do
	srcs=$(sources_for "$t") || { echo "ERROR: unknown target $t"; exit 99; }
	files="$srcdir/tests/fuzz/$t.c"
	for s in $srcs; do files="$files $srcdir/$s"; done
	echo "== $t: building"
	# shellcheck disable=SC2086
	if ! "$cc" $cflags $files -o "$out/$t" >"$out/$t.build.log" 2>&1; then
		cat "$out/$t.build.log"
		echo "ERROR: $t did not build"
		exit 99
	fi

	# A fresh copy of the seeds: the fuzzer adds to its corpus directory, and
	# the source tree stays as it is.
	rm -rf "$out/$t.corpus" "$out/$t.crashes"
	mkdir -p "$out/$t.corpus" "$out/$t.crashes"
	cp "$srcdir/tests/fuzz/corpus/$t/"* "$out/$t.corpus/" || exit 99

	echo "== $t: fuzzing (${bounds:-random seed}, ${seconds}s at most) over $(ls "$out/$t.corpus" | wc -l) seeds"
	# shellcheck disable=SC2086
	"$out/$t" $bounds -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
		-artifact_prefix="$out/$t.crashes/" -print_final_stats=1 ${FERRY_FUZZ_ARGS:-} \
		"$out/$t.corpus" >"$out/$t.log" 2>&1
	rc=$?
	# libFuzzer's own failure status is 77 (-error_exitcode), automake's
	# "skipped": never pass it on.
	crashes=$(ls "$out/$t.crashes" 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ -n "$crashes" ]; then
		tail -n 60 "$out/$t.log"
		echo "FAIL: $t exited with status $rc; full log: $out/$t.log"
		for c in $crashes; do
			echo "FAIL: $t: reproducer $out/$t.crashes/$c" \
				"(rerun: $out/$t $out/$t.crashes/$c)"
		done
		status=1
	else
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+.*DONE' "$out/$t.log"
		echo "PASS: $t"
	fi
done
exit $status
