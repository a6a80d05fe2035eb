#!/usr/bin/env bash
# The one command behind assay's performance figures: a Release build with the benchmarks (build/bench),
# the Google Benchmark suites, the whole-process comparison with the peers (compare.sh) and the
# CTest-scale check (ctest_scale.sh); writes everything to selftest/bench/results.md.
#
# usage: selftest/bench/run.sh [--quick] [--reps N] [--no-setup]
#   --quick     smoke test: small counts, few repetitions (the figures are not for publishing)
#   --reps N    repetitions of every measurement (default 5)
#   --no-setup  do not run .ci/setup (which installs missing Debian packages)
# Takes about 20 minutes on 2 cores; run it on an otherwise idle machine.
set -euo pipefail
trap 'echo "run.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/bench
RESULTS=$ROOT/selftest/bench/results.md
COMMAND="selftest/bench/run.sh $*"
QUICK=()
REPS=5
SETUP=1
while (($#)); do
  case $1 in
    --quick) QUICK=(--quick); REPS=3; shift ;;
    --reps) REPS=$2; shift 2 ;;
    --no-setup) SETUP=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
cd "$ROOT"
log() { printf '[run %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

((SETUP)) && bash .ci/setup

# -O2, as the Debian packages of the peers are built (CMake's Release default would be -O3).
log "building assay and its benchmarks (Release, -O2) in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER="${CXX:-g++}" -DASSAY_BUILD_BENCHMARKS=ON -DASSAY_BUILD_TESTS=OFF \
  -DASSAY_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$BUILD"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "unknown")
DIRTY=$(git -C "$ROOT" diff --quiet HEAD -- framework runner mock 2>/dev/null || echo ", with uncommitted changes in framework/runner/mock")

# Google Benchmark: repetitions, medians shown.
MICRO=$BUILD/microbench.txt
: >"$MICRO"
min_time=0.5
((${#QUICK[@]})) && min_time=0.05
for b in assertions_bench mock_bench runner_bench expectations_bench_O0 expectations_bench_O2; do
  exe=$BUILD/selftest/bench/$b
  [[ -x $exe ]] || { log "$b not built (skipped)"; continue; }
  log "running $b"
  "$exe" --benchmark_repetitions="$REPS" --benchmark_min_time="$min_time" \
    --benchmark_display_aggregates_only=true --benchmark_out="$BUILD/$b.json" --benchmark_out_format=json \
    2>/dev/null | grep -E '^(Benchmark|-+$|BM_.*_median)' | sed 's/_median//' >>"$MICRO"
done

log "comparing with the peers"
bash "$ROOT/selftest/bench/compare.sh" --build-dir "$BUILD" --reps "$REPS" "${QUICK[@]}"
log "CTest-scale check"
bash "$ROOT/selftest/bench/ctest_scale.sh" --build-dir "$BUILD" --reps "$REPS" "${QUICK[@]}"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
{
  echo "# assay performance figures"
  echo
  echo "Produced by \`$COMMAND\` (started $STARTED; commit $COMMIT$DIRTY)."
  ((${#QUICK[@]})) && echo "**--quick run: smoke-test counts, not figures to publish.**"
  echo
  echo "- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr)"
  echo "- Load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after; other builds may have been running"
  echo "- Compiler: $(${CXX:-g++} --version | head -1); assay built -O2 (Release, CMAKE_CXX_FLAGS_RELEASE=-O2)"
  echo "- Peers (Debian packages): GoogleTest/gMock $(version libgtest-dev), Catch2 $(version catch2), doctest $(version doctest-dev), trompeloeil $(version libtrompeloeil-cpp-dev), Google Benchmark $(version libbenchmark-dev)"
  echo "- Every figure is a median of $REPS runs; runs of different frameworks are interleaved, so ratios within one table are taken side by side."
  echo
  echo "## Whole-process comparison (selftest/bench/compare.sh)"
  echo
  cat "$BUILD/compare/compare.md"
  echo
  echo "## CTest scale (selftest/bench/ctest_scale.sh)"
  echo
  cat "$BUILD/ctest_scale/ctest_scale.md"
  echo
  echo "## Google Benchmark (selftest/bench/*_bench.cpp), medians of $REPS repetitions"
  echo
  echo "\`per_test\` is the time per test where one iteration runs many. Debian's libbenchmark warns that it was"
  echo "built without NDEBUG; that affects the harness's bookkeeping only, outside the timed region."
  echo
  echo '```'
  cat "$MICRO"
  echo '```'
  echo
  # The explanations of the budgets missed: written from profiles, kept beside the figures.
  cat "$ROOT/selftest/bench/analysis.md"
} >"$RESULTS"
log "wrote $RESULTS"
