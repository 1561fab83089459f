#!/usr/bin/env bash
# Builds everything and runs the whole test suite:
#   1. the normal build with -Werror: unit, integration and e2e tests (ctest);
#   2. an AddressSanitizer + UndefinedBehaviorSanitizer build of the unit tests;
#   3. every libFuzzer target for a short run (clang).
# Set PACKLINE_SKIP_SANITIZERS=1 or PACKLINE_SKIP_FUZZ=1 to skip 2 or 3 locally.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs=${PACKLINE_JOBS:-2}
# ccache hashes relative paths, so every checkout of the project shares the cache.
export CCACHE_BASEDIR="$PWD"

echo "== format (clang-format, .clang-format)"
# shellcheck disable=SC2046
clang-format --dry-run --Werror $(git ls-files '*.cpp' '*.h' 2>/dev/null || find hardware labels station tests -name '*.cpp' -o -name '*.h')

echo "== build (warnings are errors)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPACKLINE_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
passed=0
count_passed() {  # adds the "out of N" of a ctest run whose log is $1
  local n
  n=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9][0-9]*\).*/\1/p' "$1" | tail -n 1)
  passed=$((passed + ${n:-0}))
}

echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" 2>&1 | tee build/ctest.log
count_passed build/ctest.log

if [ "${PACKLINE_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== unit tests under ASan + UBSan"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPACKLINE_WERROR=ON \
        -DPACKLINE_SANITIZE=ON -DPACKLINE_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit 2>&1 | tee build-asan/ctest.log
  count_passed build-asan/ctest.log
fi

if [ "${PACKLINE_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz targets (libFuzzer, ${PACKLINE_FUZZ_SECONDS:-10} s each)"
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DPACKLINE_FUZZ=ON -DPACKLINE_BUILD_TESTS=OFF -DPACKLINE_BUILD_BENCHMARKS=OFF >/dev/null
  fuzzers=$(for source in tests/fuzz/fuzz_*.cpp; do basename "$source" .cpp; done)
  # shellcheck disable=SC2086
  cmake --build build-fuzz -j"$jobs" --target $fuzzers
  for fuzzer in build-fuzz/fuzz/fuzz_*; do
    name=$(basename "$fuzzer")
    corpus="tests/fuzz/corpus/${name#fuzz_}"
    work=$(mktemp -d)
    cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    echo "-- $name"
    LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp":print_suppressions=0 \
      "$fuzzer" -max_total_time="${PACKLINE_FUZZ_SECONDS:-10}" -print_final_stats=0 "$work" 2>&1 | tail -n 1
    rm -rf "$work"
    passed=$((passed + 1))
  done
fi
echo "== all tests passed (ctest runs and fuzz targets)"
echo "total: $passed passed, 0 failed"
