#!/usr/bin/env bash
# CTest-scale check: 2,000 assay tests registered into CTest (one process per test, and one per class)
# run with `ctest -j2`, against the same suite run once by the test binary. Writes a Markdown fragment
# to <work-dir>/ctest_scale.md.
#
# usage: ctest_scale.sh [--build-dir DIR] [--work-dir DIR] [--reps N] [--quick]
#   --build-dir  assay's Release benchmark build (default build/bench); only its location is used
#   --work-dir   the scratch project's directory (default: <build-dir>/ctest_scale)
#   --reps       repetitions (default 5; ctest runs use at most 3)
#   --quick      200 tests instead of 2,000
set -euo pipefail
trap 'echo "ctest_scale.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/bench
WORK=
REPS=5
CLASSES=20 PER_CLASS=100
while (($#)); do
  case $1 in
    --build-dir) BUILD=$(cd "$2" && pwd); shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --quick) CLASSES=4; PER_CLASS=50; REPS=3; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ctest_scale.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
WORK=${WORK:-$BUILD/ctest_scale}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TOTAL=$((CLASSES * PER_CLASS))
CTEST_REPS=$((REPS < 3 ? REPS : 3))
log() { printf '[ctest_scale %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- the scratch project
SRC=$WORK/src
rm -rf "$SRC"
mkdir -p "$SRC"
for ((c = 0; c < CLASSES; c++)); do
  name=$(printf 'Class%02d' "$c")
  {
    echo '#include <assay/assay.hpp>'
    echo "class $name : public assay::TestCase<$name> {"
    echo ' protected:'
    echo '  int value = 0;'
    echo '  void setUp() override { value = 1; }'
    for ((t = 0; t < PER_CLASS; t++)); do printf '  TEST(test_%03d) { assertEqual(value, 1); }\n' "$t"; done
    echo '};'
  } >"$SRC/$(printf 'c%02d' "$c").cpp"
done
# One executable per registration style, so each discovery runs on its own target.
cat >"$SRC/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(ctest_scale CXX)
add_subdirectory("$ROOT" assay)
list(APPEND CMAKE_MODULE_PATH "$ROOT/cmake")
include(Assay OPTIONAL)
enable_testing()
file(GLOB sources \${CMAKE_CURRENT_SOURCE_DIR}/c*.cpp)
add_library(scale_objects OBJECT \${sources})
target_link_libraries(scale_objects PUBLIC assay::assay)
foreach(name scale_test scale_grouped scale_in_process)
  add_executable(\${name} \$<TARGET_OBJECTS:scale_objects>)
  target_link_libraries(\${name} PRIVATE assay::main)
endforeach()
if(COMMAND assay_discover_tests)
  set(ASSAY_SCALE_DISCOVERY "assay_discover_tests")
  assay_discover_tests(scale_test TEST_PREFIX "per_test:")
  assay_discover_tests(scale_grouped TEST_PREFIX "per_class:" PER_CLASS)
  if(ASSAY_SCALE_IN_PROCESS)
    assay_discover_tests(scale_in_process TEST_PREFIX "in_process:" EXTRA_ARGS --in-process)
  endif()
else()
  # No discovery in this tree yet: one add_test per id, as discovery would register them.
  set(ASSAY_SCALE_DISCOVERY "add_test per id (no assay_discover_tests in this tree)")
  foreach(c RANGE $((CLASSES - 1)))
    if(c LESS 10)
      set(c "0\${c}")
    endif()
    foreach(t RANGE $((PER_CLASS - 1)))
      if(t LESS 10)
        set(t "00\${t}")
      elseif(t LESS 100)
        set(t "0\${t}")
      endif()
      add_test(NAME "per_test:c\${c}.Class\${c}.test_\${t}" COMMAND scale_test "c\${c}.Class\${c}.test_\${t}")
    endforeach()
    add_test(NAME "per_class:c\${c}.Class\${c}" COMMAND scale_grouped "c\${c}.Class\${c}")
  endforeach()
endif()
# CTest's own cost per test: as many tests that run \`true\`.
foreach(i RANGE 1 $TOTAL)
  add_test(NAME "true:\${i}" COMMAND true)
endforeach()
file(WRITE \${CMAKE_BINARY_DIR}/discovery.txt "\${ASSAY_SCALE_DISCOVERY}")
EOF

OUT=$WORK/build
log "configuring and building the $TOTAL-test project in $OUT"
cmake -S "$SRC" -B "$OUT" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DCMAKE_CXX_COMPILER="${CXX:-g++}" >/dev/null
cmake --build "$OUT" >/dev/null
IN_PROCESS=0
if "$OUT/scale_test" --in-process --list >/dev/null 2>&1; then
  IN_PROCESS=1
  cmake -S "$SRC" -B "$OUT" -DASSAY_SCALE_IN_PROCESS=ON >/dev/null
  cmake --build "$OUT" >/dev/null
fi

# ---------------------------------------------------------------- measurements
declare -A SAMPLES=()
timed() {
  local key=$1; shift
  local t0=${EPOCHREALTIME//[.,]/}
  "$@" >"$WORK/last.log" 2>&1 || log "warning: '$*' exited non-zero (see $WORK/last.log)"
  local t1=${EPOCHREALTIME//[.,]/}
  SAMPLES[$key]+=" $((t1 - t0))"
}
median() {
  local s=${SAMPLES[$1]:-}
  [[ -z $s ]] && return 0
  printf '%s\n' $s | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
count() { (cd "$OUT" && ctest -N "$@" | sed -n 's/^Total Tests: //p'); }

N_PER_TEST=$(count -R '^per_test:')
N_PER_CLASS=$(count -R '^per_class:')
N_IN_PROCESS=$(count -R '^in_process:')
N_TRUE=$(count -R '^true:')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
"$OUT/scale_test" >/dev/null 2>&1 || true  # warm-up
for ((r = 0; r < REPS; r++)); do
  timed binary "$OUT/scale_test"
  ((IN_PROCESS)) && timed binary_in_process "$OUT/scale_test" --in-process
done
for ((r = 0; r < CTEST_REPS; r++)); do
  log "ctest repetition $((r + 1))/$CTEST_REPS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  timed per_test ctest --test-dir "$OUT" -j2 -R '^per_test:'
  timed per_class ctest --test-dir "$OUT" -j2 -R '^per_class:'
  timed true ctest --test-dir "$OUT" -j2 -R '^true:'
  ((IN_PROCESS)) && timed in_process ctest --test-dir "$OUT" -j2 -R '^in_process:'
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- report
s_() { [[ -z $1 ]] && { echo "n/a"; return; }; awk -v v="$1" 'BEGIN {printf "%.0f", v / 1e3}'; }
per() { [[ -z $1 ]] && { echo "n/a"; return; }; awk -v v="$1" -v n="$2" 'BEGIN {printf "%.0f", v / n}'; }
x() { [[ -z $1 || -z $2 ]] && { echo "n/a"; return; }; awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f×", a / b}'; }
B=$(median binary)
{
  echo "$TOTAL tests ($CLASSES classes × $PER_CLASS, each with setUp and one assertEqual), built -O2; registered with"
  echo "$(cat "$OUT/discovery.txt"). Wall times, median of $REPS runs for the binary and $CTEST_REPS for ctest."
  echo
  echo "| run | CTest tests | wall (ms) | µs per assay test | vs the binary once |"
  echo "|---|---:|---:|---:|---:|"
  echo "| \`scale_test\` once (default mode) | – | $(s_ "$B") | $(per "$B" "$TOTAL") | 1.0× |"
  ((IN_PROCESS)) && echo "| \`scale_test --in-process\` once | – | $(s_ "$(median binary_in_process)") | $(per "$(median binary_in_process)" "$TOTAL") | $(x "$(median binary_in_process)" "$B") |"
  echo "| \`ctest -j2\`, one CTest test per assay test | $N_PER_TEST | $(s_ "$(median per_test)") | $(per "$(median per_test)" "$TOTAL") | $(x "$(median per_test)" "$B") |"
  ((IN_PROCESS)) && echo "| \`ctest -j2\`, one per test, \`--in-process\` | $N_IN_PROCESS | $(s_ "$(median in_process)") | $(per "$(median in_process)" "$TOTAL") | $(x "$(median in_process)" "$B") |"
  echo "| \`ctest -j2\` of $N_TRUE tests running \`true\` (CTest's own cost) | $N_TRUE | $(s_ "$(median true)") | $(per "$(median true)" "$TOTAL") | $(x "$(median true)" "$B") |"
  echo "| \`ctest -j2\`, one CTest test per class (PER_CLASS) | $N_PER_CLASS | $(s_ "$(median per_class)") | $(per "$(median per_class)" "$TOTAL") | $(x "$(median per_class)" "$B") |"
  echo
  echo "Load average before $LOAD_BEFORE, after $LOAD_AFTER. Project: \`$SRC\`."
} >"$WORK/ctest_scale.md"
log "wrote $WORK/ctest_scale.md"
