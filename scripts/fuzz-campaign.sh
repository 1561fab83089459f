#!/usr/bin/env bash
# A fuzzing campaign outside CI: every libFuzzer target (or those named) for
# SECONDS each (default one hour), one after another, growing its corpus.
#   ./scripts/fuzz-campaign.sh [--seconds N] [--jobs N] [TARGET...]
# Per target: the committed corpus tests/fuzz/corpus/<name>/ is the seed; the
# run writes new inputs to a work corpus, then `-merge=1` keeps in the
# committed corpus only what adds coverage. A crash, leak or timeout leaves its
# reproducer in tests/fuzz/crashes/<name>/ (commit it with the fix: CI replays
# tests/fuzz/corpus/ as unit tests). Prints one line per target: hours run,
# executions, coverage (edges) and features, corpus size, and the result; the
# same lines go to build-fuzz/campaign.tsv for docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3600 jobs=1 targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$source" .cpp)"); done
fi
export CCACHE_BASEDIR="$PWD"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPACKLINE_FUZZ=ON -DPACKLINE_BUILD_TESTS=OFF -DPACKLINE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"${PACKLINE_JOBS:-2}" --target "${targets[@]}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
summary=build-fuzz/campaign.tsv
printf 'target\thours\texecutions\tcoverage\tfeatures\tcorpus\tresult\n' >"$summary"
failed=0
for name in "${targets[@]}"; do
  fuzzer=build-fuzz/fuzz/$name
  corpus=tests/fuzz/corpus/${name#fuzz_}
  crashes=tests/fuzz/crashes/${name#fuzz_}
  work=$(mktemp -d)
  mkdir -p "$corpus" "$crashes" "$work/corpus"
  log=build-fuzz/$name.campaign.log
  result=clean
  # --jobs N > 1 runs N fuzzing processes on the same work corpus (libFuzzer
  # writes their logs to fuzz-<n>.log in the current folder: a scratch one).
  parallel=()
  [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
  if ! (cd "$work" && "$OLDPWD/$fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
          -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$OLDPWD/$crashes/" "${parallel[@]}" \
          corpus "$OLDPWD/$corpus") >"$log" 2>&1; then
    result=FOUND; failed=1
  fi
  cat "$work"/fuzz-*.log >>"$log" 2>/dev/null || true
  "$fuzzer" -merge=1 "$corpus" "$work/corpus" >>"$log" 2>&1 || true
  rm -rf "$work"
  rmdir "$crashes" 2>/dev/null || true
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
  files=$(find "$corpus" -type f | wc -l)
  hours=$(awk -v s="$seconds" -v j="$jobs" 'BEGIN {printf "%.2f", s * j / 3600}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$hours" "$executions" "${coverage:-?}" \
    "${features:-?}" "$files" "$result" | tee -a "$summary"
done
rmdir tests/fuzz/crashes 2>/dev/null || true
exit $failed
