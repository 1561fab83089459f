#!/usr/bin/env bash
# A fuzzing campaign outside CI: libFuzzer targets for SECONDS each (default
# one hour), one after another, growing their corpora.
#   ./scripts/fuzz-campaign.sh [--seconds N] [--jobs N] [--until HOURS] [TARGET...]
#   ./scripts/fuzz-campaign.sh --totals
# With no TARGET, every target whose campaign total (tests/fuzz/campaign.tsv)
# is below HOURS (default 1), least-fuzzed first. Per target: the committed
# corpus tests/fuzz/corpus/<name>/ is the seed; the run writes new inputs to a
# work corpus, then `-merge=1` keeps in the committed corpus only what adds
# coverage. A crash, leak or timeout leaves its reproducer in
# tests/fuzz/crashes/<name>/ (commit it with the fix: CI replays
# tests/fuzz/corpus/ as unit tests). Each run appends one line to
# tests/fuzz/campaign.tsv (date, target, CPU hours, executions, coverage
# edges, features, corpus files, result): commit it with the corpora; the
# totals per target (--totals) go to docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ledger=tests/fuzz/campaign.tsv
seconds=3600 jobs=1 until=1 targets=() totals_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --until) until=$2; shift 2 ;;
    --totals) totals_only=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ -f "$ledger" ] || printf 'date\ttarget\thours\texecutions\tcoverage\tfeatures\tcorpus\tresult\n' >"$ledger"

# Campaign totals per target: hours and executions summed over runs, the
# last run's coverage, features and corpus size, and whether any run found
# something.
totals() {
  for source in tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    awk -F'\t' -v t="$name" '
      $2 == t { h += $3; e += $4; cov = $5; ft = $6; files = $7; if ($8 != "clean") found = 1 }
      END { printf "%s\t%.2f\t%d\t%s\t%s\t%s\t%s\n", t, h, e, cov == "" ? "-" : cov,
                   ft == "" ? "-" : ft, files == "" ? "-" : files, found ? "FOUND" : "clean" }' "$ledger"
  done
}
if [ "$totals_only" = 1 ]; then
  printf 'target\thours\texecutions\tcoverage\tfeatures\tcorpus\tresult\n'
  totals
  exit 0
fi
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(totals | awk -F'\t' -v u="$until" '$2 < u' | sort -t$'\t' -k2,2n -s | cut -f1)
  [ ${#targets[@]} -gt 0 ] || { echo "every target has had $until hours or more"; exit 0; }
fi
export CCACHE_BASEDIR="$PWD"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPACKLINE_FUZZ=ON -DPACKLINE_BUILD_TESTS=OFF -DPACKLINE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j"${PACKLINE_JOBS:-2}" --target "${targets[@]}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
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
  started=$SECONDS
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
  # CPU hours actually spent (a run that finds something stops early).
  hours=$(awk -v s="$((SECONDS - started))" -v j="$jobs" 'BEGIN {printf "%.2f", s * j / 3600}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%F)" "$name" "$hours" "$executions" \
    "${coverage:-?}" "${features:-?}" "$files" "$result" | tee -a "$ledger"
done
# tests/fuzz/crashes/ itself stays (its README says what goes there).
exit $failed
