#!/usr/bin/env bash
# assay under real Bazel: builds the library as the main repository, then runs the consumer workspace
# (selftest/bazel/consumer, which depends on assay through local_repository) and checks what Bazel kept:
# sharding, a crash, a --test_timeout kill, --test_filter, --test_output=errors, test.xml against
# selftest/schemas/junit.xsd, undeclared outputs, internal headers hidden. Exits 0 when all is as expected.
#
#   selftest/bazel/run.sh BAZEL_DIR WORK_DIR
#
# BAZEL_DIR is where ../shared/tools/bazel/setup.sh installed Bazel (DIR/bazel and DIR/flags). WORK_DIR, outside
# the repository, holds Bazel's output root and the consumer's copy: a second run with it is warm.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bazel_dir="$(cd "${1:?usage: run.sh BAZEL_DIR WORK_DIR}" && pwd)"
work="${2:?usage: run.sh BAZEL_DIR WORK_DIR}"
mkdir -p "$work" && work="$(cd "$work" && pwd)"
case "$work/" in
  "$repo"/*) echo "run.sh: WORK_DIR must be outside the repository ($repo): Bazel symlinks the repository and would find its own output there"
             exit 2 ;;
esac
schema="$repo/selftest/schemas/junit.xsd"
command -v xmllint >/dev/null || { echo "run.sh: xmllint not found (Debian: libxml2-utils)"; exit 2; }
read -r -d '' -a flags < "$bazel_dir/flags"
# --max_idle_secs: a server this script could not shut down (it was killed) still goes away by itself.
startup=(--output_user_root="$work/root" --max_idle_secs=300)
common=("${flags[@]}" --symlink_prefix=/ --color=no --curses=no --show_progress_rate_limit=30)
failures=0

bazel() { "$bazel_dir/bazel" "${startup[@]}" "$@"; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# --- The Bazel source lists are CMake's: BUILD.bazel globs each part's src/, so every file there must be in
# the part's CMake list and every listed file must be there (a file in one build only is drift).
for part in framework mock runner; do
  listed="$(sed -n '/^add_library(/,/)/p' "$repo/$part/CMakeLists.txt" | grep -o 'src/[A-Za-z0-9_./-]*\.cpp' | sort)"
  present="$(cd "$repo/$part" && ls src/*.cpp | grep -v '^src/main\.cpp$' | sort)"
  if [ "$listed" = "$present" ]; then
    ok "$part: CMake lists the $(echo "$present" | wc -l) sources Bazel globs"
  else
    fail "$part: CMake's sources and src/*.cpp differ:"
    diff <(echo "$listed") <(echo "$present") | sed -n 's/^[<>]/  &/p'
  fi
done
grep -q 'runner/src/main.cpp' "$repo/CMakeLists.txt" || fail "the top CMakeLists.txt no longer builds main from runner/src/main.cpp"

# --- assay as the main repository (paths without external/): every target builds.
main_log="$work/main-build.log"
if (cd "$repo" && "$bazel_dir/bazel" --batch --output_user_root="$work/root" build "${common[@]}" \
      //:framework //:mock //:runner //:assay //:main) > "$main_log" 2>&1; then
  ok "bazel build of //:framework //:mock //:runner //:assay //:main in the assay workspace"
else
  fail "bazel build in the assay workspace:"
  tail -30 "$main_log"
fi

# --- The consumer, copied out of the tree with its local_repository pointed at this checkout.
consumer="$work/consumer"
rm -rf "$consumer"
cp -r "$repo/selftest/bazel/consumer" "$consumer"
sed -i "s|path = \"../../..\"|path = \"$repo\"|" "$consumer/WORKSPACE"
grep -q "path = \"$repo\"" "$consumer/WORKSPACE" || fail "could not point the consumer's WORKSPACE at $repo"
cd "$consumer" || exit 1
trap 'bazel shutdown >/dev/null 2>&1' EXIT
testlogs="$(bazel info "${common[@]}" bazel-testlogs 2>/dev/null)"
[ -n "$testlogs" ] || { fail "bazel info bazel-testlogs printed nothing"; exit 1; }

# ids (classname.name) of the testcases in XML files, one a line.
ids() { for f in "$@"; do xmllint --xpath '//testcase/@classname | //testcase/@name' "$f" 2>/dev/null; echo; done |
          grep -o '[a-z]*="[^"]*"' | paste -d' ' - - | sed 's/classname="\([^"]*\)" name="\([^"]*\)"/\1.\2/'; }
xpath() { xmllint --xpath "$1" "$2" 2>/dev/null; }
valid() {
  local f
  for f in "$@"; do
    if [ ! -s "$f" ]; then fail "${f#"$testlogs"/}: missing or empty"
    elif xmllint --noout --schema "$schema" "$f" 2>/dev/null; then ok "${f#"$testlogs"/}: valid against junit.xsd"
    else fail "${f#"$testlogs"/}: not valid against junit.xsd:"; xmllint --noout --schema "$schema" "$f" 2>&1 | head -5
    fi
  done
}
# Bazel's one-line verdict for a target, e.g. "//:sharded   FAILED in 1 out of 3 in 0.1s".
verdict() { grep -E "^//:$1 +" "$2" | head -1; }

# --- One run of every test: 'short' tests (hanging) get 5 s, the others 120 s.
log="$work/test.log"
bazel test "${common[@]}" //... --nocache_test_results --test_timeout=5,120,300,900 --test_output=errors > "$log" 2>&1
status=$?
if [ "$status" -eq 3 ]; then
  ok "bazel test //... exits 3 (some tests failed)"
else
  fail "bazel test //... exited $status, not 3:"
  tail -40 "$log"
  [ "$status" -eq 0 ] || exit 1  # nothing was tested: the checks below would only repeat it
fi

# Sharding: every test exactly once across the three shards, each shard told its index.
line="$(verdict sharded "$log")"
[[ "$line" == *"FAILED in 1 out of 3"* ]] && ok "//:sharded fails in 1 of its 3 shards" || fail "//:sharded: '$line'"
shards=("$testlogs"/sharded/shard_{1,2,3}_of_3/test.xml)
valid "${shards[@]}"
expected="sharded.Alpha.test_one sharded.Alpha.test_three sharded.Alpha.test_two sharded.Beta.test_five sharded.Beta.test_four sharded.Beta.test_six sharded.Gamma.test_seven"
got="$(ids "${shards[@]}" | sort | tr '\n' ' ' | sed 's/ $//')"
[ "$got" = "$expected" ] && ok "the 3 shards ran the 7 tests once each" || fail "tests across the shards: '$got', expected '$expected'"
for i in 1 2 3; do
  f="$testlogs/sharded/shard_${i}_of_3/test.xml"
  want="$((i - 1))/3"
  [ "$(xpath 'string((//property[@name="shard"])[1]/@value)' "$f")" = "$want" ] && ok "shard $i reports shard $want" ||
    fail "shard $i: test.xml does not report shard $want"
  [ -e "$testlogs/sharded/shard_${i}_of_3/test.shard" ] && ok "shard $i touched TEST_SHARD_STATUS_FILE" ||
    fail "shard $i: no test.shard (TEST_SHARD_STATUS_FILE untouched)"
done
msg="$(for f in "${shards[@]}"; do xpath 'string(//testcase[@name="test_three"]/failure/@message)' "$f"; echo; done | grep -v '^$')"
[ "$msg" = "2 != 3 : sharded failure" ] && ok "the failing test is a <failure>" || fail "test_three's failure message: '$msg'"
msg="$(for f in "${shards[@]}"; do xpath 'string(//testcase[@name="test_five"]/skipped/@message)' "$f"; echo; done | grep -v '^$')"
[ "$msg" = "sharded skip" ] && ok "the skipped test is <skipped>" || fail "test_five's skip message: '$msg'"
n="$(for f in "${shards[@]}"; do xpath 'count(//testcase[failure or error or skipped])' "$f"; echo; done | awk "{s += \$1} END {print s}")"
[ "$n" = 2 ] && ok "the other 5 tests passed" || fail "$n testcases across the shards are not passes (expected 2)"

# --test_output=errors: the failing shard's report, failure block and all, in Bazel's output.
for text in "FAIL: test_three (sharded.Alpha.test_three)" "AssertionError: 2 != 3 : sharded failure" \
            "ERROR: test_b_crashes (crashing.Crashing.test_b_crashes)"; do
  grep -qF "$text" "$log" && ok "--test_output=errors shows '$text'" || fail "--test_output=errors does not show '$text'"
done

# A crash: the target fails, the test that crashed is an error, the others' results are kept.
line="$(verdict crashing "$log")"
[[ "$line" == *FAILED* ]] && ok "//:crashing fails" || fail "//:crashing: '$line'"
f="$testlogs/crashing/test.xml"
valid "$f"
[ "$(ids "$f" | tr '\n' ' ')" = "crashing.Crashing.test_a_before crashing.Crashing.test_b_crashes crashing.Crashing.test_c_after " ] &&
  ok "crashing: all 3 tests in test.xml" || fail "crashing: test.xml has $(ids "$f" | tr '\n' ' ')"
[[ "$(xpath 'string(//testcase[@name="test_b_crashes"]/error/@message)' "$f")" == *SIGSEGV* ]] &&
  ok "crashing: the crash is an error naming SIGSEGV" || fail "crashing: test_b_crashes is not an error naming SIGSEGV"
[ "$(xpath 'count(//testcase[@name!="test_b_crashes"][failure or error or skipped])' "$f")" = 0 ] &&
  ok "crashing: the tests before and after it passed" || fail "crashing: a test besides the crash did not pass"

# --test_timeout: Bazel sends SIGTERM (SIGKILL 15 s later). The tests that finished must be in test.xml; the
# running one marked: assay handles SIGTERM, so the report is complete, the running test an error of type
# "Terminated", and the summary is printed.
line="$(verdict hanging "$log")"
[[ "$line" == *TIMEOUT* ]] && ok "//:hanging is a TIMEOUT" || fail "//:hanging: '$line'"
f="$testlogs/hanging/test.xml"
valid "$f"
got="$(ids "$f" | tr '\n' ' ')"
[[ "$got" == "hanging.Hanging.test_a_quick hanging.Hanging.test_b_quick "* ]] &&
  ok "hanging: the 2 tests that finished are in test.xml" || fail "hanging: test.xml has '$got'"
[ "$(xpath 'count(//testcase[@name!="test_c_hangs"][failure or error or skipped])' "$f")" = 0 ] &&
  ok "hanging: they passed" || fail "hanging: a finished test did not pass"
[[ "$(xpath 'string(//testcase[@name="test_c_hangs"]/error/@type)' "$f")" == Terminated ]] &&
  [[ "$(xpath 'string(//testcase[@name="test_c_hangs"]/error/@message)' "$f")" == *SIGTERM* ]] &&
  ok "hanging: the running test is an error 'Terminated'" || fail "hanging: test_c_hangs is not an error 'Terminated'"
grep -q 'in progress' "$f" && fail "hanging: test.xml is still the in-progress report" || ok "hanging: test.xml is complete"
grep -Eq '^Ran [0-9]+ tests? in ' "$testlogs/hanging/test.log" && grep -q '^FAILED' "$testlogs/hanging/test.log" &&
  ok "hanging: the summary is in test.log" || fail "hanging: no 'Ran N tests' and 'FAILED' summary in test.log"

# TEST_PREMATURE_EXIT_FILE: a run that ends (even with a crashed test) removes it, so Bazel keeps no
# test.exited_prematurely for it.
for t in crashing outputs sharded/shard_1_of_3 sharded/shard_2_of_3 sharded/shard_3_of_3; do
  [ ! -e "$testlogs/$t/test.exited_prematurely" ] && ok "$t: TEST_PREMATURE_EXIT_FILE removed at the end" ||
    fail "$t: Bazel kept test.exited_prematurely (TEST_PREMATURE_EXIT_FILE left behind)"
done

# Undeclared outputs: what a test writes to TEST_UNDECLARED_OUTPUTS_DIR survives in test.outputs.
line="$(verdict outputs "$log")"
[[ "$line" == *PASSED* ]] && ok "//:outputs passes" || fail "//:outputs: '$line'"
zip="$testlogs/outputs/test.outputs/outputs.zip"
if [ -s "$zip" ] && grep -qa kept.txt "$zip"; then
  ok "outputs: kept.txt is in test.outputs/outputs.zip"
  if command -v unzip >/dev/null; then
    [ "$(unzip -p "$zip" kept.txt)" = "kept by bazel" ] && ok "outputs: with its content" || fail "outputs: kept.txt's content"
  fi
elif [ -s "$testlogs/outputs/test.outputs/kept.txt" ]; then
  ok "outputs: kept.txt is in test.outputs/"
else
  fail "outputs: kept.txt is not in $testlogs/outputs/test.outputs"
fi

# --test_filter (TESTBRIDGE_TEST_ONLY): one id, so only it runs, in whichever shard has it, and the target passes.
log="$work/filter.log"
bazel test "${common[@]}" //:sharded --nocache_test_results --test_filter=sharded.Alpha.test_two > "$log" 2>&1
status=$?
[ "$status" -eq 0 ] && ok "--test_filter=sharded.Alpha.test_two: //:sharded passes" ||
  { fail "--test_filter=sharded.Alpha.test_two: bazel exited $status, not 0:"; tail -20 "$log"; }
present=()
for x in "$testlogs"/sharded/shard_{1,2,3}_of_3/test.xml; do [ -s "$x" ] && present+=("$x"); done
valid "${present[@]}"
got="$(ids "${present[@]}" | tr '\n' ' ')"
[ "$got" = "sharded.Alpha.test_two " ] && ok "--test_filter ran exactly sharded.Alpha.test_two" || fail "--test_filter ran '$got'"

# Internal headers: a dependant that includes one does not build.
log="$work/internal.log"
bazel build "${common[@]}" //:peeks_internal > "$log" 2>&1
status=$?
if [ "$status" -ne 0 ] && grep -q 'assay/detail/internal.hpp: No such file' "$log"; then
  ok "a dependant cannot include <assay/detail/internal.hpp>"
else
  fail "//:peeks_internal (includes <assay/detail/internal.hpp>): exit $status:"
  grep -E 'error|ERROR' "$log" | head -5
fi

if [ "$failures" -eq 0 ]; then
  echo "bazel: all checks passed"
else
  echo "bazel: $failures check(s) failed"
  exit 1
fi
