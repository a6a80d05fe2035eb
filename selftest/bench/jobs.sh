#!/usr/bin/env bash
# -j N as whole-process timings: generated suites built against a Release build of assay (build/jobs-bench),
# each run alternately in the modes compared, the median wall time of REPS runs reported.
#
# usage: selftest/bench/jobs.sh [REPS]   (default 7; needs only g++ and cmake)
#   cpu    200 CPU-bound tests of ~10 ms in 20 classes:  -j 1 against -j 2
#   sleep  2,000 tests sleeping 5 ms in 200 classes:     -j 1 against -j 16
#   empty  10,000 empty tests in 100 classes:             --in-process, -j 1, -j 2
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/jobs-bench
REPS=${1:-7}
SRC=$BUILD/suites
mkdir -p "$SRC"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DASSAY_BUILD_TESTS=OFF -DASSAY_BUILD_EXAMPLES=OFF \
  >/dev/null
cmake --build "$BUILD" -j2 --target assay_main >/dev/null

gen() {  # gen NAME CLASSES PER_CLASS BODY: one translation unit per class (one of 10,000 tests builds for minutes)
  local name=$1 classes=$2 per=$3 body=$4 k j
  mkdir -p "$SRC/$name"
  for ((k = 0; k < classes; k++)); do
    {
      echo '#include <assay/assay.hpp>'
      echo '#include <chrono>'
      echo '#include <thread>'
      echo 'namespace {'
      echo 'volatile unsigned long sink;'
      echo '[[maybe_unused]] void spin_ms(int ms) {'
      echo '  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);'
      echo '  while (std::chrono::steady_clock::now() < until) sink = sink + 1;'
      echo '}'
      echo '}  // namespace'
      printf 'class C%d : public assay::TestCase<C%d> {\n protected:\n  int value = 0;\n' "$k" "$k"
      printf '  void setUp() override { value = 1; }\n  void tearDown() override { value = 0; }\n'
      for ((j = 0; j < per; j++)); do printf '  TEST(test_%d) { %s }\n' "$j" "$body"; done
      echo '};'
    } >"$SRC/$name/c$k.cpp"
  done
  local -a objects=()
  for ((k = 0; k < classes; k++)); do objects+=("$SRC/$name/c$k.o"); done
  for ((k = 0; k < classes; k++)); do  # (a pipeline: this loop runs in a subshell)
    echo "g++ -std=c++20 -O2 -I$ROOT/framework/include -I$ROOT/mock/include -c $SRC/$name/c$k.cpp -o $SRC/$name/c$k.o"
  done | xargs -P 2 -I{} sh -c '{}'
  g++ "${objects[@]}" -o "$BUILD/$name" "$BUILD/libassay_main.a" "$BUILD/mock/libassay_mock.a" \
    "$BUILD/runner/libassay_runner.a" "$BUILD/framework/libassay_framework.a" -ldw -lelf -ldl
}
gen cpu 20 10 'spin_ms(10);'
gen sleep 200 10 'std::this_thread::sleep_for(std::chrono::milliseconds(5));'
gen empty 100 100 ''

# median wall seconds of REPS runs of each mode, the modes alternating: time_modes BINARY "args" "args" …
time_modes() {
  local bin=$1
  shift
  local -a modes=("$@")
  local -A samples=()
  for ((r = 0; r < REPS; r++)); do
    for m in "${modes[@]}"; do
      local t0 t1
      t0=$(date +%s%N)
      # shellcheck disable=SC2086
      "$BUILD/$bin" -q $m >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      samples[$m]+="$(((t1 - t0) / 1000)) "
    done
  done
  for m in "${modes[@]}"; do
    local median
    median=$(tr ' ' '\n' <<<"${samples[$m]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-8s %-14s %10.1f ms\n' "$bin" "$m" "$(bc -l <<<"$median/1000")"
  done
}
echo "machine: $(nproc) CPUs, $(uname -sr), $(date -u +%F); median of $REPS runs, wall time"
time_modes cpu "-j 1" "-j 2"
time_modes sleep "-j 1" "-j 16"
time_modes empty "--in-process" "-j 1" "-j 2"
