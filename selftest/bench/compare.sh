#!/usr/bin/env bash
# Whole-process comparison of assay with GoogleTest/gMock, Catch2, doctest, trompeloeil and a plain baseline.
#
# Generates equivalent suites per framework, builds them with direct compiler calls and measures
# compile time, binary size, assertion and mock-call speed, per-test overhead and listing, with
# repetitions interleaved across frameworks (one rep runs every framework once) and medians reported.
# Writes a Markdown fragment (tables, budgets, failure messages verbatim) to $OUT/compare.md.
#
# usage: compare.sh [--build-dir DIR] [--work-dir DIR] [--reps N] [--quick]
#   --build-dir  a Release build of assay (default: build/bench; selftest/bench/run.sh makes it)
#   --work-dir   where suites, objects and binaries go (default: <build-dir>/compare)
#   --reps       repetitions of every measurement (default 5; 3 with --quick)
#   --quick      smaller counts, fewer reps: a smoke test of the script, not figures to publish
set -euo pipefail
trap 'echo "compare.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$ROOT/build/bench
WORK=
REPS=5
QUICK=0
while (($#)); do
  case $1 in
    --build-dir) BUILD=$(cd "$2" && pwd); shift 2 ;;
    --work-dir) WORK=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --quick) QUICK=1; REPS=3; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
WORK=${WORK:-$BUILD/compare}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
SRC=$WORK/src OBJ=$WORK/obj BIN=$WORK/bin
CACHE=$WORK/cache  # objects of builds that are not timed, kept across runs (keyed by a hash of their inputs)
rm -rf "$SRC" "$OBJ" "$BIN"
mkdir -p "$SRC" "$OBJ" "$BIN" "$CACHE"

CXX=${CXX:-g++}
STD=-std=c++20
INT_N=10000000 STR_N=1000000 MOCK_N=1000000 FIXTURE_TUS=10 FIXTURE_PER_TU=1000
if ((QUICK)); then INT_N=1000000 STR_N=100000 MOCK_N=100000 FIXTURE_TUS=2 FIXTURE_PER_TU=100; fi
FIXTURE_TOTAL=$((FIXTURE_TUS * FIXTURE_PER_TU))

FRAMEWORKS=(plain assay doctest catch2 gtest)
MOCKS=(fake assay trompeloeil gmock gmock_on_call)

log() { printf '[compare %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---------------------------------------------------------------- assay's libraries and headers
ASSAY_INC="-I$ROOT/framework/include -I$ROOT/mock/include"
ASSAY_LIBS=()
for lib in libassay_main.a runner/libassay_runner.a mock/libassay_mock.a framework/libassay_framework.a; do
  [[ -f $BUILD/$lib ]] && ASSAY_LIBS+=("$BUILD/$lib")
done
# libassay_framework uses libdw and libelf (tracebacks of every frame) where the build found them, and libdl.
for var in ASSAY_LIBDW_LIBRARY ASSAY_LIBELF_LIBRARY; do
  lib=$(sed -n "s/^$var:FILEPATH=//p" "$BUILD/CMakeCache.txt" 2>/dev/null || true)
  if [[ -n $lib && $lib != *NOTFOUND ]]; then ASSAY_LIBS+=("$lib"); fi
done
ASSAY_LIBS+=(-ldl)
if [[ ! -f $BUILD/framework/libassay_framework.a ]]; then
  echo "compare.sh: no assay build in $BUILD (run selftest/bench/run.sh, or pass --build-dir)" >&2
  exit 2
fi
# Whatever the libraries need from the system (fmt, …); --as-needed drops what a binary does not use.
SYSLIBS=(-Wl,--as-needed -lfmt -pthread)

# ---------------------------------------------------------------- measurement helpers
declare -A SAMPLES=()
# timed <metric> <key> <command…>: runs the command (output discarded) through the `runtime` helper, which
# records its wall time in <metric> and the CPU time of the process and all its descendants (user + system,
# from the kernel's precise accounting) in <metric>_cpu, both in µs. On a busy machine the CPU time is the
# steadier figure; both are reported.
timed() {
  local metric=$1 key=$2 w c rc; shift 2
  read -r w c rc < <("$RUNTIME" /dev/null "$@")
  SAMPLES["$metric|$key"]+=" $w"
  SAMPLES["${metric}_cpu|$key"]+=" $c"
}
# timed_ok: as timed, but a failing command is an error of the script (compiles must succeed).
timed_ok() {
  local metric=$1 key=$2 w c rc; shift 2
  read -r w c rc < <("$RUNTIME" "$WORK/last.log" "$@")
  if [[ $rc != 0 ]]; then
    echo "compare.sh: failed ($rc): $*" >&2; cat "$WORK/last.log" >&2; exit 1
  fi
  SAMPLES["$metric|$key"]+=" $w"
  SAMPLES["${metric}_cpu|$key"]+=" $c"
}
record() { SAMPLES["$1|$2"]+=" $3"; }
# median <metric> <key>: the median of the samples, or empty when there are none.
median() {
  local s=${SAMPLES["$1|$2"]:-}
  [[ -z $s ]] && return 0
  printf '%s\n' $s | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
# fmt <value> <divisor> <decimals>: value/divisor formatted, or "n/a".
fmt() { [[ -z $1 ]] && { echo "n/a"; return; }; awk -v v="$1" -v d="$2" -v p="$3" 'BEGIN {printf "%.*f", p, v / d}'; }
ratio() { [[ -z $1 || -z $2 ]] && { echo "n/a"; return; }; awk -v a="$1" -v b="$2" 'BEGIN {if (b == 0) print "n/a"; else printf "%.2f×", a / b}'; }
# rotate <n> <items…>: the items rotated by n, so no framework always runs first in a repetition.
rotate() { local n=$1; shift; local a=("$@") k=${#a[@]} i; for ((i = 0; i < k; i++)); do printf '%s ' "${a[(i + n) % k]}"; done; }

# The timing helper: runs a command and prints "<wall µs> <CPU µs of it and its descendants> <exit status>".
cat >"$SRC/runtime.cpp" <<'EOF'
// Runs argv[2…] with stdout and stderr to the file argv[1]; prints "<wall µs> <CPU µs> <exit status>".
// The CPU time is the kernel's account of the command and every descendant it waited for (user + system).
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
static long long cpu_us() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1000000LL + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}
static long long wall_us() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}
int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const long long c0 = cpu_us(), w0 = wall_us();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); close(fd); }
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const long long w1 = wall_us(), c1 = cpu_us();
  std::printf("%lld %lld %d\n", w1 - w0, c1 - c0, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  return 0;
}
EOF
RUNTIME=$BIN/runtime
$CXX -O2 "$SRC/runtime.cpp" -o "$RUNTIME"

# ---------------------------------------------------------------- per-framework build settings
cflags() {
  case $1 in
    assay*) echo "$ASSAY_INC" ;;
    *) echo "" ;;
  esac
}
# link <framework> <output> <objects…>
link() {
  local fw=$1 out=$2; shift 2
  case $fw in
    plain|fake) $CXX "$@" -o "$out" ;;
    assay) $CXX "$@" "${ASSAY_LIBS[@]}" "${SYSLIBS[@]}" -o "$out" ;;
    doctest|trompeloeil) $CXX "$@" "$OBJ/doctest_main.o" -o "$out" ;;
    catch2) $CXX "$@" "$OBJ/catch2_main.o" -o "$out" ;;
    gtest) $CXX "$@" -lgtest_main -lgtest -pthread -o "$out" ;;
    gmock|gmock_on_call) $CXX "$@" -lgmock_main -lgmock -lgtest -pthread -o "$out" ;;
  esac
}
compile() { local fw=$1 flags=$2 src=$3 obj=$4; $CXX $STD $flags $(cflags "$fw") -c "$src" -o "$obj"; }
# compile_cmd: the same compile as a command line, for `timed` (which runs commands, not shell functions).
compile_cmd() { local fw=$1 flags=$2 src=$3 obj=$4; echo "$CXX $STD $flags $(cflags "$fw") -c $src -o $obj"; }
# compile_cached: as compile, for builds that are not timed; reuses an object built from the same source,
# flags, compiler and headers (the peers' headers are fixed packages; assay's are hashed).
ASSAY_HEADERS_HASH=$(find "$ROOT"/framework/include "$ROOT"/mock/include -name '*.hpp' -print0 | sort -z |
  xargs -0 cat | sha1sum | cut -c1-40)
COMPILER_ID=$($CXX --version | head -1)
compile_cached() {
  local fw=$1 flags=$2 src=$3 obj=$4 key
  local headers=""
  [[ $fw == assay* ]] && headers=$ASSAY_HEADERS_HASH
  key=$( { cat "$src" "$SRC"/*.h; echo "$src|$flags|$(cflags "$fw")|$COMPILER_ID|$headers"; } | sha1sum | cut -c1-40)
  if [[ ! -f $CACHE/$key.o ]]; then
    compile "$fw" "$flags" "$src" "$CACHE/$key.o.tmp" && mv "$CACHE/$key.o.tmp" "$CACHE/$key.o"
  fi
  cp "$CACHE/$key.o" "$obj"
}

# ---------------------------------------------------------------- generated sources
# Framework main()s, compiled once at -O2 like a prebuilt library (GoogleTest's and assay's are).
printf '#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN\n#include <doctest/doctest.h>\n' >"$SRC/doctest_main.cpp"
printf '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\n' >"$SRC/catch2_main.cpp"

header_of() {
  case $1 in
    plain) echo '#include <cstdio>' ;;
    assay) echo '#include <assay/assay.hpp>' ;;
    doctest) echo '#include <doctest/doctest.h>' ;;
    catch2) echo '#include <catch2/catch.hpp>' ;;
    gtest) echo '#include <gtest/gtest.h>' ;;
  esac
}

# One test, one assertion.
gen_one() {
  local fw=$1 f=$SRC/$1/one.cpp
  mkdir -p "$SRC/$fw"
  {
    header_of "$fw"
    case $fw in
      plain) cat <<'EOF'
static int failures = 0;
static int two() { return 2; }
static void test_one() {
  if (!(1 + 1 == two())) { std::fprintf(stderr, "%s:%d: 1 + 1 == two() failed\n", __FILE__, __LINE__); ++failures; }
}
int main() { test_one(); return failures != 0; }
EOF
      ;;
      assay) cat <<'EOF'
static int two() { return 2; }
class OneTest : public assay::TestCase<OneTest> {
 protected:
  TEST(test_one) { assertEqual(1 + 1, two()); }
};
EOF
      ;;
      doctest|catch2) cat <<'EOF'
static int two() { return 2; }
TEST_CASE("OneTest.test_one") { REQUIRE(1 + 1 == two()); }
EOF
      ;;
      gtest) cat <<'EOF'
static int two() { return 2; }
TEST(OneTest, test_one) { ASSERT_EQ(1 + 1, two()); }
EOF
      ;;
    esac
  } >"$f"
}

# 100 tests of 10 assertions each: ints, strings, a vector, truth.
gen_hundred() {
  local fw=$1 f=$SRC/$1/hundred.cpp i
  {
    header_of "$fw"
    printf '#include <string>\n#include <vector>\n'
    printf 'static int value(int i) { return i; }\nstatic std::string name(int i) { return "item" + std::to_string(i); }\n'
    case $fw in
      plain) printf 'static int failures = 0;\nstatic void fail(int line, const char* what) { std::fprintf(stderr, "%%s:%%d: %%s failed\\n", __FILE__, line, what); ++failures; }\n#define CHECK(e) do { if (!(e)) fail(__LINE__, #e); } while (0)\n' ;;
      assay) printf 'class HundredTest : public assay::TestCase<HundredTest> {\n protected:\n' ;;
    esac
    for ((i = 0; i < 100; i++)); do
      local pre='  const int n = value('$i'); const std::string s = name('$i'); const std::vector<int> v{n, n + 1};'
      case $fw in
        plain) cat <<EOF
static void test_$i() {
$pre
  CHECK(n == $i); CHECK(n != $i + 1); CHECK(n < $i + 1); CHECK(n >= $i); CHECK(n >= 0);
  CHECK(!(n < 0)); CHECK(s == "item$i"); CHECK(s == name($i)); CHECK((v == std::vector<int>{$i, $i + 1})); CHECK(n * 2 == 2 * $i);
}
EOF
        ;;
        assay) cat <<EOF
  TEST(test_$i) {
  $pre
    assertEqual(n, $i); assertNotEqual(n, $i + 1); assertLess(n, $i + 1); assertGreaterEqual(n, $i); assertTrue(n >= 0);
    assertFalse(n < 0); assertEqual(s, "item$i"); assertEqual(s, name($i)); assertEqual(v, std::vector<int>{$i, $i + 1}); assertEqual(n * 2, 2 * $i);
  }
EOF
        ;;
        doctest|catch2) cat <<EOF
TEST_CASE("HundredTest.test_$i") {
$pre
  REQUIRE(n == $i); REQUIRE(n != $i + 1); REQUIRE(n < $i + 1); REQUIRE(n >= $i); REQUIRE(n >= 0);
  REQUIRE_FALSE(n < 0); REQUIRE(s == "item$i"); REQUIRE(s == name($i)); REQUIRE(v == std::vector<int>{$i, $i + 1}); REQUIRE(n * 2 == 2 * $i);
}
EOF
        ;;
        gtest) cat <<EOF
TEST(HundredTest, test_$i) {
$pre
  ASSERT_EQ(n, $i); ASSERT_NE(n, $i + 1); ASSERT_LT(n, $i + 1); ASSERT_GE(n, $i); ASSERT_TRUE(n >= 0);
  ASSERT_FALSE(n < 0); ASSERT_EQ(s, "item$i"); ASSERT_EQ(s, name($i)); ASSERT_EQ(v, (std::vector<int>{$i, $i + 1})); ASSERT_EQ(n * 2, 2 * $i);
}
EOF
        ;;
      esac
    done
    case $fw in
      plain)
        printf 'int main() {\n'
        for ((i = 0; i < 100; i++)); do printf '  test_%d();\n' "$i"; done
        printf '  return failures != 0;\n}\n' ;;
      assay) printf '};\n' ;;
    esac
  } >"$f"
}

# Shared by the timing suites: a clock, counts from the environment, data the optimiser cannot see.
cat >"$SRC/bench_support.h" <<'EOF'
// Timing support for the generated suites: the loop times itself and appends "<what> <ns> <n>" to $BENCH_OUT.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
extern int bench_ints_a[1024], bench_ints_b[1024];
extern std::string bench_strs_a[16], bench_strs_b[16];
void bench_fill();
inline long bench_count(const char* var) { const char* v = std::getenv(var); return v ? std::atol(v) : 1000; }
// CPU time of the process, not wall time: other processes on a busy machine do not inflate the figures.
inline long long bench_now() { timespec ts; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); return ts.tv_sec * 1000000000LL + ts.tv_nsec; }
inline void bench_record(const char* what, long long ns, long n) {
  const char* path = std::getenv("BENCH_OUT");
  if (std::FILE* f = path ? std::fopen(path, "a") : nullptr) { std::fprintf(f, "%s %lld %ld\n", what, ns, n); std::fclose(f); }
}
EOF
cat >"$SRC/bench_data.cpp" <<'EOF'
// Data for the timing loops, in its own translation unit so the compiler cannot fold the comparisons.
#include "bench_support.h"
int bench_ints_a[1024], bench_ints_b[1024];
std::string bench_strs_a[16], bench_strs_b[16];
void bench_fill() {
  for (int i = 0; i < 1024; ++i) bench_ints_a[i] = bench_ints_b[i] = i * 7919;
  for (int i = 0; i < 16; ++i) {
    bench_strs_a[i] = "a string longer than sso #" + std::to_string(i);
    bench_strs_b[i] = std::string(bench_strs_a[i].data(), bench_strs_a[i].size());
  }
}
EOF

# The assertion loops: INT_N int equalities and STR_N std::string equalities, each timed inside its test.
gen_speed() {
  local fw=$1 f=$SRC/$1/speed.cpp
  local loop_int='bench_fill(); const long n = bench_count("BENCH_INT_N"); const long long t0 = bench_now();
  for (long i = 0; i < n; ++i) { CHECK_INT(bench_ints_a[i & 1023], bench_ints_b[i & 1023]); }
  bench_record("int", bench_now() - t0, n);'
  local loop_str='bench_fill(); const long n = bench_count("BENCH_STR_N"); const long long t0 = bench_now();
  for (long i = 0; i < n; ++i) { CHECK_STR(bench_strs_a[i & 15], bench_strs_b[i & 15]); }
  bench_record("string", bench_now() - t0, n);'
  {
    header_of "$fw"
    echo '#include "../bench_support.h"'
    case $fw in
      plain) cat <<EOF
static int failures = 0;
[[gnu::noinline]] static void fail(int line) { std::fprintf(stderr, "speed.cpp:%d: failed\\n", line); ++failures; }
#define CHECK_INT(a, b) if (!((a) == (b))) [[unlikely]] fail(__LINE__)
#define CHECK_STR(a, b) if (!((a) == (b))) [[unlikely]] fail(__LINE__)
static void test_int() { $loop_int }
static void test_string() { $loop_str }
int main() { test_int(); test_string(); return failures != 0; }
EOF
      ;;
      assay) cat <<EOF
#define CHECK_INT(a, b) assertEqual(a, b)
#define CHECK_STR(a, b) assertEqual(a, b)
class SpeedTest : public assay::TestCase<SpeedTest> {
 protected:
  TEST(test_int) { $loop_int }
  TEST(test_string) { $loop_str }
};
EOF
      ;;
      doctest|catch2) cat <<EOF
#define CHECK_INT(a, b) REQUIRE(a == b)
#define CHECK_STR(a, b) REQUIRE(a == b)
TEST_CASE("SpeedTest.test_int") { $loop_int }
TEST_CASE("SpeedTest.test_string") { $loop_str }
EOF
      ;;
      gtest) cat <<EOF
#define CHECK_INT(a, b) ASSERT_EQ(a, b)
#define CHECK_STR(a, b) ASSERT_EQ(a, b)
TEST(SpeedTest, test_int) { $loop_int }
TEST(SpeedTest, test_string) { $loop_str }
EOF
      ;;
    esac
  } >"$f"
}

# FIXTURE_TUS files of FIXTURE_PER_TU empty tests, each file one fixture class with setUp/tearDown.
gen_fixtures() {
  local fw=$1 k j
  for ((k = 0; k < FIXTURE_TUS; k++)); do
    {
      header_of "$fw"
      case $fw in
        plain) printf 'struct Fixture%d { int value = 0; void setUp() { value = 1; } void tearDown() { value = 0; } };\n' "$k" ;;
        assay) printf 'class Fixture%d : public assay::TestCase<Fixture%d> {\n protected:\n  int value = 0;\n  void setUp() override { value = 1; }\n  void tearDown() override { value = 0; }\n' "$k" "$k" ;;
        doctest|catch2) printf 'struct Fixture%d { int value = 1; ~Fixture%d() { value = 0; } };\n' "$k" "$k" ;;
        gtest) printf 'struct Fixture%d : ::testing::Test { int value = 0; void SetUp() override { value = 1; } void TearDown() override { value = 0; } };\n' "$k" ;;
      esac
      for ((j = 0; j < FIXTURE_PER_TU; j++)); do
        case $fw in
          plain) printf 'static void test_%d(Fixture%d&) {}\n' "$j" "$k" ;;
          assay) printf '  TEST(test_%d) {}\n' "$j" ;;
          doctest) printf 'TEST_CASE_FIXTURE(Fixture%d, "Fixture%d.test_%d") {}\n' "$k" "$k" "$j" ;;
          catch2) printf 'TEST_CASE_METHOD(Fixture%d, "Fixture%d.test_%d") {}\n' "$k" "$k" "$j" ;;
          gtest) printf 'TEST_F(Fixture%d, test_%d) {}\n' "$k" "$j" ;;
        esac
      done
      case $fw in
        assay) printf '};\n' ;;
        plain)
          # A hand-written runner: a table of names and functions, setUp/tearDown around each, --list.
          printf 'struct Case%d { const char* name; void (*fn)(Fixture%d&); };\nstatic const Case%d cases[] = {\n' "$k" "$k" "$k"
          for ((j = 0; j < FIXTURE_PER_TU; j++)); do printf '  {"Fixture%d.test_%d", test_%d},\n' "$k" "$j" "$j"; done
          printf '};\nint run_fixture%d(int mode) {\n  for (const Case%d& c : cases) {\n' "$k" "$k"
          printf '    if (mode == 1) { std::printf("%%s\\n", c.name); continue; }\n    if (mode == 2) continue;\n'
          printf '    Fixture%d f; f.setUp(); c.fn(f); f.tearDown();\n  }\n  return 0;\n}\n' "$k" ;;
      esac
    } >"$SRC/$fw/fixtures_$k.cpp"
  done
  if [[ $fw == plain ]]; then
    {
      echo '#include <cstdio>'
      echo '#include <cstring>'
      for ((k = 0; k < FIXTURE_TUS; k++)); do printf 'int run_fixture%d(int mode);\n' "$k"; done
      echo 'int main(int argc, char** argv) {'
      echo '  const int mode = argc > 1 ? (std::strcmp(argv[1], "--list") == 0 ? 1 : 2) : 0;'
      for ((k = 0; k < FIXTURE_TUS; k++)); do printf '  run_fixture%d(mode);\n' "$k"; done
      echo '  if (mode == 0) std::fprintf(stderr, "ran all\\n");'
      echo '  return 0;'
      echo '}'
    } >"$SRC/plain/fixtures_main.cpp"
  fi
}

# Failure messages: two unequal 5-field aggregates and two unequal multi-line strings.
gen_failures() {
  local fw=$1 f=$SRC/$1/failures.cpp
  {
    header_of "$fw"
    cat <<'EOF'
#include <string>
struct Animal {
  std::string name;
  int legs;
  double weight;
  bool wild;
  char grade;
  bool operator==(const Animal&) const = default;
};
static const Animal meerkat{"Meerkat", 4, 0.75, true, 'A'};
static const Animal bison{"Bison", 4, 900.0, true, 'B'};
static const std::string expected = "alpha\nbeta\ngamma\ndelta\n";
static const std::string actual = "alpha\nbeta\nGAMMA\ndelta\n";
EOF
    case $fw in
      plain) cat <<'EOF'
int main() {
  int failures = 0;
  if (!(meerkat == bison)) { std::fprintf(stderr, "failures.cpp:%d: meerkat == bison failed\n", __LINE__); ++failures; }
  if (!(expected == actual)) { std::fprintf(stderr, "failures.cpp:%d: expected == actual failed\n", __LINE__); ++failures; }
  return failures != 0;
}
EOF
      ;;
      assay) cat <<'EOF'
class FailureTest : public assay::TestCase<FailureTest> {
 protected:
  TEST(test_aggregates) { assertEqual(meerkat, bison); }
  TEST(test_multiline_strings) { assertEqual(expected, actual); }
};
EOF
      ;;
      doctest|catch2) cat <<'EOF'
TEST_CASE("FailureTest.test_aggregates") { REQUIRE(meerkat == bison); }
TEST_CASE("FailureTest.test_multiline_strings") { REQUIRE(expected == actual); }
EOF
      ;;
      gtest) cat <<'EOF'
TEST(FailureTest, test_aggregates) { ASSERT_EQ(meerkat, bison); }
TEST(FailureTest, test_multiline_strings) { ASSERT_EQ(expected, actual); }
EOF
      ;;
    esac
  } >"$f"
}

# Mocks: an interface with one value-returning method called MOCK_N times through a base reference;
# and a 10-method interface, mocked, with one test using it (compile cost).
cat >"$SRC/store.h" <<'EOF'
// The interface the mock-call benchmark calls through.
#pragma once
struct Store {
  virtual ~Store() = default;
  virtual int get(int key) = 0;
};
EOF
cat >"$SRC/service.h" <<'EOF'
// A 10-method interface: the compile cost of mocking it is measured.
#pragma once
#include <string>
struct Service {
  virtual ~Service() = default;
  virtual int m0(int) = 0;
  virtual int m1(int, int) = 0;
  virtual double m2(double) = 0;
  virtual bool m3(const std::string&) = 0;
  virtual std::string m4(int) = 0;
  virtual void m5() = 0;
  virtual void m6(int, const std::string&) = 0;
  virtual long m7(long, long, long) = 0;
  virtual int m8(const char*) const = 0;
  virtual bool m9(bool) = 0;
};
EOF

mock_loop='bench_fill(); const long n = bench_count("BENCH_MOCK_N"); Store* volatile hidden = &mock; Store& s = *hidden;
  long sum = 0; const long long t0 = bench_now();
  for (long i = 0; i < n; ++i) sum += s.get(static_cast<int>(i & 7));
  bench_record("mock", bench_now() - t0, n);'

gen_mock_speed() {
  local fw=$1 f=$SRC/mock_$1/speed.cpp
  mkdir -p "$SRC/mock_$fw"
  {
    case $fw in
      fake) cat <<EOF
#include "../bench_support.h"
#include "../store.h"
struct FakeStore : Store { int get(int) override { return 42; } };
int main() {
  FakeStore mock;
  $mock_loop
  return sum == 42L * n ? 0 : 1;
}
EOF
      ;;
      assay) cat <<EOF
#include <assay/assay.hpp>
$assay_mock_include
#include "../bench_support.h"
#include "../store.h"
$(assay_mock_store_decl)
class MockSpeed : public assay::TestCase<MockSpeed> {
 protected:
  TEST(test_calls) {
    MockStore mock;
    mock.get.return_value = 42;
    $mock_loop
    assertEqual(sum, 42L * n);
  }
};
EOF
      ;;
      trompeloeil) cat <<EOF
#include <doctest/doctest.h>
#include <doctest/trompeloeil.hpp>
#include "../bench_support.h"
#include "../store.h"
struct MockStore : Store { MAKE_MOCK1(get, int(int), override); };
TEST_CASE("MockSpeed.test_calls") {
  MockStore mock;
  ALLOW_CALL(mock, get(trompeloeil::_)).RETURN(42);
  $mock_loop
  REQUIRE(sum == 42L * n);
}
EOF
      ;;
      gmock|gmock_on_call)
        local setup='MockStore mock; EXPECT_CALL(mock, get(::testing::_)).WillRepeatedly(::testing::Return(42));'
        [[ $fw == gmock_on_call ]] && setup='::testing::NiceMock<MockStore> mock; ON_CALL(mock, get(::testing::_)).WillByDefault(::testing::Return(42));'
        cat <<EOF
#include <gmock/gmock.h>
#include "../bench_support.h"
#include "../store.h"
struct MockStore : Store { MOCK_METHOD(int, get, (int), (override)); };
TEST(MockSpeed, test_calls) {
  $setup
  $mock_loop
  ASSERT_EQ(sum, 42L * n);
}
EOF
      ;;
    esac
  } >"$f"
}

gen_mock_compile() {
  local fw=$1 f=$SRC/mock_$1/service.cpp
  [[ $fw == fake || $fw == gmock_on_call ]] && return 0
  {
    case $fw in
      assay) cat <<EOF
#include <assay/assay.hpp>
$assay_mock_include
#include "../service.h"
$(assay_mock_service_decl)
class ServiceTest : public assay::TestCase<ServiceTest> {
 protected:
  TEST(test_m0) {
    MockService mock;
    mock.m0.return_value = 1;
    Service& s = mock;
    assertEqual(s.m0(7), 1);
    mock.m0.assert_called_once_with(7);
  }
};
EOF
      ;;
      trompeloeil) cat <<'EOF'
#include <doctest/doctest.h>
#include <doctest/trompeloeil.hpp>
#include "../service.h"
struct MockService : Service {
  MAKE_MOCK1(m0, int(int), override);
  MAKE_MOCK2(m1, int(int, int), override);
  MAKE_MOCK1(m2, double(double), override);
  MAKE_MOCK1(m3, bool(const std::string&), override);
  MAKE_MOCK1(m4, std::string(int), override);
  MAKE_MOCK0(m5, void(), override);
  MAKE_MOCK2(m6, void(int, const std::string&), override);
  MAKE_MOCK3(m7, long(long, long, long), override);
  MAKE_CONST_MOCK1(m8, int(const char*), override);
  MAKE_MOCK1(m9, bool(bool), override);
};
TEST_CASE("ServiceTest.test_m0") {
  MockService mock;
  REQUIRE_CALL(mock, m0(7)).RETURN(1);
  Service& s = mock;
  REQUIRE(s.m0(7) == 1);
}
EOF
      ;;
      gmock) cat <<'EOF'
#include <gmock/gmock.h>
#include "../service.h"
struct MockService : Service {
  MOCK_METHOD(int, m0, (int), (override));
  MOCK_METHOD(int, m1, (int, int), (override));
  MOCK_METHOD(double, m2, (double), (override));
  MOCK_METHOD(bool, m3, (const std::string&), (override));
  MOCK_METHOD(std::string, m4, (int), (override));
  MOCK_METHOD(void, m5, (), (override));
  MOCK_METHOD(void, m6, (int, const std::string&), (override));
  MOCK_METHOD(long, m7, (long, long, long), (override));
  MOCK_METHOD(int, m8, (const char*), (const, override));
  MOCK_METHOD(bool, m9, (bool), (override));
};
TEST(ServiceTest, test_m0) {
  MockService mock;
  EXPECT_CALL(mock, m0(7)).WillOnce(::testing::Return(1));
  Service& s = mock;
  ASSERT_EQ(s.m0(7), 1);
}
EOF
      ;;
    esac
  } >"$f"
}

# assay's class mocks (Python's Mock(spec=Interface)).
assay_mock_include='#include <assay/mock.hpp>'
assay_mock_store_decl() { echo 'MOCK_CLASS(MockStore, Store, get);'; }
assay_mock_service_decl() { echo 'MOCK_CLASS(MockService, Service, m0, m1, m2, m3, m4, m5, m6, m7, m8, m9);'; }

for fw in "${FRAMEWORKS[@]}"; do
  gen_one "$fw"; gen_hundred "$fw"; gen_speed "$fw"; gen_fixtures "$fw"; gen_failures "$fw"
done
for fw in "${MOCKS[@]}"; do gen_mock_speed "$fw"; gen_mock_compile "$fw"; done

# ---------------------------------------------------------------- builds that are not measured
log "building framework mains, timing suites and failure programs (not timed)"
compile_cached doctest "-O2" "$SRC/doctest_main.cpp" "$OBJ/doctest_main.o"
compile_cached catch2 "-O2" "$SRC/catch2_main.cpp" "$OBJ/catch2_main.o"
# O2a: -O2 with loops aligned to 32 bytes, a control for code placement (a hot loop straddling a 32-byte
# boundary runs slower on many x86 cores whatever it contains).
opt_flags() { case $1 in O2a) echo "-O2 -falign-loops=32" ;; *) echo "-$1" ;; esac; }
for opt in O2 O0 O2a; do
  compile plain "$(opt_flags "$opt")" "$SRC/bench_data.cpp" "$OBJ/bench_data_$opt.o"
  for fw in "${FRAMEWORKS[@]}"; do
    compile_cached "$fw" "$(opt_flags "$opt")" "$SRC/$fw/speed.cpp" "$OBJ/${fw}_speed_$opt.o"
    link "$fw" "$BIN/${fw}_speed_$opt" "$OBJ/${fw}_speed_$opt.o" "$OBJ/bench_data_$opt.o"
  done
done
for fw in "${FRAMEWORKS[@]}"; do
  compile_cached "$fw" "-O0 -g" "$SRC/$fw/failures.cpp" "$OBJ/${fw}_failures.o"
  link "$fw" "$BIN/${fw}_failures" "$OBJ/${fw}_failures.o"
done

# Mocks: assay's take part only when its mock header exists and the generated declarations compile.
MOCKS_BUILT=()
for fw in "${MOCKS[@]}"; do
  if compile_cached "$fw" "-O2" "$SRC/mock_$fw/speed.cpp" "$OBJ/mock_${fw}_speed.o" 2>"$WORK/mock_$fw.log" &&
     link "$fw" "$BIN/mock_${fw}_speed" "$OBJ/mock_${fw}_speed.o" "$OBJ/bench_data_O2.o" 2>>"$WORK/mock_$fw.log"; then
    MOCKS_BUILT+=("$fw")
  else
    log "mock benchmark for $fw not built (see $WORK/mock_$fw.log)"
  fi
done
MOCK_COMPILE=()
for fw in "${MOCKS_BUILT[@]}"; do [[ -f $SRC/mock_$fw/service.cpp ]] && MOCK_COMPILE+=("$fw"); done

# The 10,000-test suites: test files at -O0 (a Debug test build), framework code at -O2 as above.
log "building the $FIXTURE_TOTAL-test fixture suites (test files at -O0, two at a time)"
fixture_jobs=()
for fw in "${FRAMEWORKS[@]}"; do
  for ((k = 0; k < FIXTURE_TUS; k++)); do fixture_jobs+=("$fw $k"); done
done
for job in "${fixture_jobs[@]}"; do
  read -r fw k <<<"$job"
  compile_cached "$fw" "-O0" "$SRC/$fw/fixtures_$k.cpp" "$OBJ/${fw}_fixtures_$k.o" &
  (($(jobs -rp | wc -l) < 2)) || wait -n
done
wait
compile plain "-O0" "$SRC/plain/fixtures_main.cpp" "$OBJ/plain_fixtures_main.o"
for fw in "${FRAMEWORKS[@]}"; do
  objs=("$OBJ/${fw}"_fixtures_*.o)
  link "$fw" "$BIN/${fw}_fixtures" "${objs[@]}"
done

# Supervision modes of assay, detected from the binary (they arrive with crash isolation).
ASSAY_MODES=(assay)
if "$BIN/assay_fixtures" --in-process --list >/dev/null 2>&1; then ASSAY_MODES+=(assay_in_process); fi
if "$BIN/assay_fixtures" --isolate --list >/dev/null 2>&1; then ASSAY_MODES+=(assay_isolate); fi
ISOLATE_TESTS=$FIXTURE_PER_TU  # --isolate runs one fixture class (one process per test)

# ---------------------------------------------------------------- warm-up (file cache, dynamic loader)
log "warm-up"
for fw in "${FRAMEWORKS[@]}"; do
  compile "$fw" "-O0 -g" "$SRC/$fw/one.cpp" "$OBJ/${fw}_one.o"
  "$BIN/${fw}_fixtures" --help >/dev/null 2>&1 || true
done

# ---------------------------------------------------------------- the measurements
list_args() {
  case $1 in
    plain) echo "--list" ;; assay*) echo "--list" ;; doctest) echo "--list-test-cases" ;;
    catch2) echo "--list-test-names-only" ;; gtest) echo "--gtest_list_tests" ;;
  esac
}
# Arguments selecting no test: the process's fixed cost (start, registration, argument parsing).
none_args() {
  case $1 in
    plain) echo "--none" ;; assay*) echo "-k no_such_test" ;; doctest) echo "--test-case=no_such_test" ;;
    catch2) echo "no_such_test" ;; gtest) echo "--gtest_filter=no_such_test" ;;
  esac
}
mode_args() {
  case $1 in
    assay_in_process) echo "--in-process" ;;
    assay_isolate) echo "--isolate Fixture0" ;;
    *) echo "" ;;
  esac
}
bin_of() { case $1 in assay*) echo assay ;; *) echo "$1" ;; esac; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
for ((rep = 0; rep < REPS; rep++)); do
  log "repetition $((rep + 1))/$REPS (load $(cut -d' ' -f1-3 /proc/loadavg))"
  order=($(rotate "$rep" "${FRAMEWORKS[@]}"))
  for fw in "${order[@]}"; do
    timed_ok one_O0 "$fw" $(compile_cmd "$fw" "-O0 -g" "$SRC/$fw/one.cpp" "$OBJ/${fw}_one.o")
    timed_ok one_O2 "$fw" $(compile_cmd "$fw" "-O2" "$SRC/$fw/one.cpp" "$OBJ/${fw}_one_O2.o")
  done
  for fw in "${order[@]}"; do
    timed_ok hundred_O0 "$fw" $(compile_cmd "$fw" "-O0 -g" "$SRC/$fw/hundred.cpp" "$OBJ/${fw}_hundred.o")
  done
  for fw in "${order[@]}"; do
    timed_ok hundred_O2 "$fw" $(compile_cmd "$fw" "-O2" "$SRC/$fw/hundred.cpp" "$OBJ/${fw}_hundred_O2.o")
  done
  for fw in "${order[@]}"; do
    for opt in O2 O0 O2a; do
      out=$WORK/speed.out
      rm -f "$out"
      BENCH_OUT=$out BENCH_INT_N=$INT_N BENCH_STR_N=$STR_N "$BIN/${fw}_speed_$opt" >/dev/null 2>&1 ||
        log "warning: ${fw}_speed_$opt exited non-zero"
      while read -r what ns n; do record "speed_${what}_$opt" "$fw" "$(awk -v a="$ns" -v b="$n" 'BEGIN {print a / b}')"; done <"$out"
    done
  done
  modes=($(rotate "$rep" "${FRAMEWORKS[@]}" "${ASSAY_MODES[@]:1}"))
  for m in "${modes[@]}"; do
    b=$BIN/$(bin_of "$m")_fixtures
    timed run "$m" "$b" $(mode_args "$m")
    timed none "$m" "$b" $(none_args "$m")
    [[ $m == assay_in_process || $m == assay_isolate ]] || timed list "$m" "$b" $(list_args "$m")
  done
  if ((${#MOCKS_BUILT[@]})); then
    for fw in $(rotate "$rep" "${MOCKS_BUILT[@]}"); do
      out=$WORK/mock.out
      rm -f "$out"
      BENCH_OUT=$out BENCH_MOCK_N=$MOCK_N "$BIN/mock_${fw}_speed" >/dev/null 2>&1 || log "warning: mock_${fw}_speed exited non-zero"
      while read -r what ns n; do record mock_call "$fw" "$(awk -v a="$ns" -v b="$n" 'BEGIN {print a / b}')"; done <"$out"
    done
  fi
  if ((${#MOCK_COMPILE[@]})); then
    for fw in $(rotate "$rep" "${MOCK_COMPILE[@]}"); do
      base=$fw; [[ $fw == trompeloeil ]] && base=doctest; [[ $fw == gmock ]] && base=gtest
      timed_ok mock_compile "$fw" $(compile_cmd "$base" "-O0 -g" "$SRC/mock_$fw/service.cpp" "$OBJ/mock_${fw}_service.o")
      timed_ok mock_compile_base "$fw" $(compile_cmd "$base" "-O0 -g" "$SRC/$base/one.cpp" "$OBJ/${base}_one_again.o")
    done
  fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# Binary sizes: the 100-test program linked at -O2.
declare -A SIZE=() STRIPPED=()
for fw in "${FRAMEWORKS[@]}"; do
  link "$fw" "$BIN/${fw}_hundred" "$OBJ/${fw}_hundred_O2.o"
  SIZE[$fw]=$(stat -c %s "$BIN/${fw}_hundred")
  strip -o "$BIN/${fw}_hundred.stripped" "$BIN/${fw}_hundred"
  STRIPPED[$fw]=$(stat -c %s "$BIN/${fw}_hundred.stripped")
  "$BIN/${fw}_hundred" >/dev/null 2>&1 || log "warning: ${fw}_hundred does not pass"
done

# ---------------------------------------------------------------- the report
# Compile and process figures use CPU time (user + system of the process and every descendant, from the
# kernel's accounting), which other jobs on the machine barely disturb; wall times are shown beside the
# process runs. In-test loops time themselves with the process's CPU clock.
ms() { fmt "$(median "$1" "$2")" 1000 "${3:-0}"; }
label() {
  case $1 in
    plain) echo "plain baseline" ;; assay) echo "**assay**" ;; doctest) echo "doctest 2.4.9" ;;
    catch2) echo "Catch2 2.13.10" ;; gtest) echo "GoogleTest 1.12.1" ;;
    assay_in_process) echo "**assay --in-process**" ;; assay_isolate) echo "**assay --isolate** ($ISOLATE_TESTS tests)" ;;
    fake) echo "hand-written fake" ;; trompeloeil) echo "trompeloeil 43 (ALLOW_CALL)" ;;
    gmock) echo "gMock 1.12.1 (EXPECT_CALL…WillRepeatedly)" ;; gmock_on_call) echo "gMock 1.12.1 (NiceMock + ON_CALL)" ;;
  esac
}
tests_of() { [[ $1 == assay_isolate ]] && echo "$ISOLATE_TESTS" || echo "$FIXTURE_TOTAL"; }
# per_test_us <mode> [suffix]: (run − start) / tests in µs, from CPU times (suffix _cpu, default) or wall ("").
per_test_us() {
  local sfx=${2-_cpu} r n
  r=$(median "run$sfx" "$1"); n=$(median "none$sfx" "$1")
  [[ -z $r || -z $n ]] && { echo ""; return; }
  awk -v r="$r" -v n="$n" -v t="$(tests_of "$1")" 'BEGIN {print (r - n) / t}'
}
mock_extra() {  # extra compile of the 10-method mock file over the 1-test file, µs of CPU
  local a b
  a=$(median mock_compile_cpu "$1"); b=$(median mock_compile_base_cpu "$1")
  [[ -z $a || -z $b ]] && { echo ""; return; }
  awk -v a="$a" -v b="$b" 'BEGIN {print a - b}'
}
times_of() { awk -v a="$1" -v f="$2" 'BEGIN {print a * f}'; }

OUTFILE=$WORK/compare.md
{
  echo "### Compile time and size (median of $REPS; CPU ms)"
  echo
  echo "One \`$CXX $STD -c\` per figure; \"1 test\" is the framework header and one test of one assertion,"
  echo "\"100×10\" is 100 tests of 10 assertions (ints, \`std::string\`s, a \`std::vector\`, truth) with"
  echo "\`<string>\` and \`<vector>\` included. Size: the 100×10 program linked at -O2 with the framework's"
  echo "main (static GoogleTest and assay libraries), unstripped / stripped."
  echo
  echo "| framework | 1 test -O0 -g | 1 test -O2 | 100×10 -O0 -g | 100×10 -O2 | size (KiB) | stripped (KiB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for fw in "${FRAMEWORKS[@]}"; do
    echo "| $(label "$fw") | $(ms one_O0_cpu "$fw") | $(ms one_O2_cpu "$fw") | $(ms hundred_O0_cpu "$fw") | $(ms hundred_O2_cpu "$fw") | $(fmt "${SIZE[$fw]}" 1024 0) | $(fmt "${STRIPPED[$fw]}" 1024 0) |"
  done
  echo
  echo "### Passing assertions (median of $REPS; ns per assertion)"
  echo
  echo "$INT_N \`int\` equalities and $STR_N \`std::string\` equalities (26-28 chars, distinct buffers), in a loop"
  echo "timed inside one test with the process CPU clock; data from another translation unit. Forms: \`assertEqual(a, b)\`,"
  echo "\`ASSERT_EQ(a, b)\`, \`REQUIRE(a == b)\`, plain \`if (!(a == b)) [[unlikely]] fail(…)\`. Framework code at -O2; the test file at the"
  echo "level shown."
  echo
  echo "The last two columns are a control for code placement: the same files at -O2 -falign-loops=32."
  echo
  echo "| framework | int -O2 | int -O0 | string -O2 | string -O0 | int -O2 vs plain | int -O0 vs GoogleTest | int -O2, aligned loops | vs plain, aligned |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for fw in "${FRAMEWORKS[@]}"; do
    echo "| $(label "$fw") | $(fmt "$(median speed_int_O2 "$fw")" 1 2) | $(fmt "$(median speed_int_O0 "$fw")" 1 2) | $(fmt "$(median speed_string_O2 "$fw")" 1 2) | $(fmt "$(median speed_string_O0 "$fw")" 1 2) | $(ratio "$(median speed_int_O2 "$fw")" "$(median speed_int_O2 plain)") | $(ratio "$(median speed_int_O0 "$fw")" "$(median speed_int_O0 gtest)") | $(fmt "$(median speed_int_O2a "$fw")" 1 2) | $(ratio "$(median speed_int_O2a "$fw")" "$(median speed_int_O2a plain)") |"
  done
  echo
  echo "### $FIXTURE_TOTAL empty tests with a fixture (median of $REPS)"
  echo
  echo "$FIXTURE_TUS files × $FIXTURE_PER_TU tests, one fixture class per file (setUp/tearDown; constructor/destructor"
  echo "for Catch2's and doctest's fixtures), test files at -O0. Whole processes, output to /dev/null, default reporters."
  echo "\"start\" runs the binary selecting no test (start-up, registration); per test = (run − start) / tests, from CPU"
  echo "time (all processes of the run); wall times beside. --isolate runs one class ($ISOLATE_TESTS tests)."
  echo
  echo "| framework | run CPU (ms) | run wall (ms) | start CPU (ms) | µs per test (CPU) | µs per test (wall) | list CPU (ms) | list wall (ms) | per test vs GoogleTest | list vs doctest |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for m in "${FRAMEWORKS[@]}" "${ASSAY_MODES[@]:1}"; do
    pt=$(per_test_us "$m")
    if [[ -n $(median list_cpu "$m") ]]; then
      lc=$(ms list_cpu "$m" 1); lw=$(ms list "$m" 1); lr=$(ratio "$(median list_cpu "$m")" "$(median list_cpu doctest)")
    else
      lc="–"; lw="–"; lr="–"
    fi
    echo "| $(label "$m") | $(ms run_cpu "$m" 1) | $(ms run "$m" 1) | $(ms none_cpu "$m" 1) | $(fmt "$pt" 1 2) | $(fmt "$(per_test_us "$m" "")" 1 2) | $lc | $lw | $(ratio "$pt" "$(per_test_us gtest)") | $lr |"
  done
  echo
  echo "### Mocks (median of $REPS)"
  echo
  echo "$MOCK_N calls of a mocked \`virtual int get(int)\` returning a configured value, through a \`Store&\` the"
  echo "optimiser cannot see through, test file at -O2, timed inside the test (CPU clock). Extra compile: a 10-method"
  echo "interface mocked plus one test using it, minus the framework's 1-test file, both at -O0 -g, CPU time"
  echo "(trompeloeil with doctest, gMock with GoogleTest; assay's class mock is \`MOCK_CLASS(MockService, Service, m0, …, m9)\`)."
  echo
  echo "| mock | ns per call | vs trompeloeil | extra compile, 10-method mock (ms) | vs trompeloeil |"
  echo "|---|---:|---:|---:|---:|"
  for fw in "${MOCKS[@]}"; do
    call=$(median mock_call "$fw")
    [[ -z $call ]] && continue
    extra=$(mock_extra "$fw")
    echo "| $(label "$fw") | $(fmt "$call" 1 1) | $(ratio "$call" "$(median mock_call trompeloeil)") | $(fmt "$extra" 1000 0) | $(ratio "$extra" "$(mock_extra trompeloeil)") |"
  done
  [[ " ${MOCKS_BUILT[*]} " == *" assay "* ]] || echo "| **assay** | not built (no class mocks in this tree, or see mock_assay.log) | | | |"
  echo
  # Budgets of issue 7, checked against this run.
  budget() {  # <figure> <assay value> <budget text> <ok: 1/0/empty>
    local mark="n/a"; [[ $4 == 1 ]] && mark="met"; [[ $4 == 0 ]] && mark="**missed**"
    echo "| $1 | $2 | $3 | $mark |"
  }
  le() { [[ -z $1 || -z $2 ]] && { echo ""; return; }; awk -v a="$1" -v b="$2" 'BEGIN {print (a <= b) ? 1 : 0}'; }
  echo "### Budgets (issue 7)"
  echo
  echo "| figure | assay | budget | |"
  echo "|---|---|---|---|"
  a=$(median one_O0_cpu assay); d=$(median one_O0_cpu doctest)
  budget "1-test file, -O0 -g" "$(fmt "$a" 1000 0) ms = $(ratio "$a" "$d") doctest" "≤ 1.5× doctest ($(fmt "$d" 1000 0) ms)" "$(le "$a" "$(times_of "$d" 1.5)")"
  a=$(median hundred_O0_cpu assay); d=$(median hundred_O0_cpu doctest)
  budget "100×10 file, -O0 -g" "$(fmt "$a" 1000 0) ms = $(ratio "$a" "$d") doctest" "≤ doctest ($(fmt "$d" 1000 0) ms)" "$(le "$a" "$d")"
  a=$(median speed_int_O2 assay); p=$(median speed_int_O2 plain)
  budget "passing int equality, -O2" "$(fmt "$a" 1 2) ns = $(ratio "$a" "$p") plain" "≤ 1.5× plain ($(fmt "$p" 1 2) ns)" "$(le "$a" "$(times_of "$p" 1.5)")"
  a=$(median speed_int_O2a assay); p=$(median speed_int_O2a plain)
  budget "… the same, loops aligned to 32 bytes (placement control)" "$(fmt "$a" 1 2) ns = $(ratio "$a" "$p") plain" "≤ 1.5× plain ($(fmt "$p" 1 2) ns)" "$(le "$a" "$(times_of "$p" 1.5)")"
  a=$(median speed_int_O0 assay); g=$(median speed_int_O0 gtest)
  budget "passing int equality, -O0" "$(fmt "$a" 1 2) ns = $(ratio "$a" "$g") GoogleTest" "≤ ½ GoogleTest ($(fmt "$g" 1 2) ns)" "$(le "$a" "$(times_of "$g" 0.5)")"
  g=$(per_test_us gtest)
  for m in "${ASSAY_MODES[@]}"; do
    [[ $m == assay_isolate ]] && continue
    a=$(per_test_us "$m")
    budget "per empty fixture test ($FIXTURE_TOTAL), $( [[ $m == assay ]] && echo "default mode" || echo "--in-process")" "$(fmt "$a" 1 2) µs = $(ratio "$a" "$g") GoogleTest" "≤ ¼ GoogleTest ($(fmt "$g" 1 2) µs)" "$(le "$a" "$(times_of "$g" 0.25)")"
  done
  if [[ " ${ASSAY_MODES[*]} " == *" assay_in_process "* ]]; then
    r=$(median run_cpu assay); i=$(median run_cpu assay_in_process)
    budget "supervised run vs in-process ($FIXTURE_TOTAL empty tests), CPU" "$(ratio "$r" "$i")" "≤ 1.10×" "$(le "$r" "$(times_of "$i" 1.10)")"
    r=$(median run assay); i=$(median run assay_in_process)
    budget "supervised run vs in-process ($FIXTURE_TOTAL empty tests), wall" "$(ratio "$r" "$i")" "≤ 1.10×" "$(le "$r" "$(times_of "$i" 1.10)")"
  else
    budget "supervised run vs in-process" "no supervision in this tree yet" "≤ 1.10×" ""
  fi
  a=$(median list_cpu assay); d=$(median list_cpu doctest)
  budget "listing $FIXTURE_TOTAL tests" "$(fmt "$a" 1000 1) ms = $(ratio "$a" "$d") doctest" "≤ ½ doctest ($(fmt "$d" 1000 1) ms)" "$(le "$a" "$(times_of "$d" 0.5)")"
  a=$(median mock_call assay); t=$(median mock_call trompeloeil)
  if [[ -n $a ]]; then
    budget "mock call returning a value, -O2" "$(fmt "$a" 1 1) ns = $(ratio "$a" "$t") trompeloeil" "≤ ⅕ trompeloeil ($(fmt "$t" 1 1) ns)" "$(le "$a" "$(times_of "$t" 0.2)")"
    a=$(mock_extra assay); t=$(mock_extra trompeloeil)
    budget "extra compile of a 10-method mock file, -O0" "$(fmt "$a" 1000 0) ms = $(ratio "$a" "$t") trompeloeil" "≤ ½ trompeloeil ($(fmt "$t" 1000 0) ms)" "$(le "$a" "$(times_of "$t" 0.5)")"
  else
    budget "mock call returning a value, -O2" "no class mocks built" "≤ ⅕ trompeloeil" ""
    budget "extra compile of a 10-method mock file, -O0" "no class mocks built" "≤ ½ trompeloeil" ""
  fi
  echo
  echo "### Failure messages, verbatim"
  echo
  echo "Two unequal 5-field aggregates (\`Animal{name, legs, weight, wild, grade}\` with a defaulted \`==\`, no printer)"
  echo "and two unequal multi-line strings; each framework's default output (stdout and stderr; build paths,"
  echo "times and addresses shortened)."
  for fw in "${FRAMEWORKS[@]}"; do
    echo
    echo "#### $(label "$fw")"
    echo
    echo '```'
    (cd "$SRC/$fw" && "$BIN/${fw}_failures" 2>&1 || true) | sed -e "s#$SRC/##g" -e "s#$BIN/##g" \
      -e 's/[0-9]\+\.[0-9]\+s$/N.NNNs/' -e 's/([0-9]\+ ms)/(N ms)/g' -e 's/([0-9]\+ ms total)/(N ms total)/g' \
      -e 's/0x[0-9a-f]\{6,\}/0x…/g'
    echo '```'
  done
  echo
  echo "Measured $STARTED; load average before $LOAD_BEFORE, after $LOAD_AFTER."
} >"$OUTFILE"
log "wrote $OUTFILE"
