// Google Benchmark figures for a passing expectation beside a passing assertion (built at -O0 and at -O2):
// expectEqual shares assertEqual's comparison; only its failure path differs (recorded, not thrown).
#include <assay/assay.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

// One object for both: expectations derives from assertions and neither needs a run to pass.
struct standalone_checks : assay::expectations {};
const assay::expectations& checks() {
  static const standalone_checks c;
  return c;
}

void BM_assertEqual_int_pass(benchmark::State& state) {
  int a = 42, b = 42;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    checks().assertEqual(a, b);
  }
}
BENCHMARK(BM_assertEqual_int_pass);

void BM_expectEqual_int_pass(benchmark::State& state) {
  int a = 42, b = 42;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    checks().expectEqual(a, b);
  }
}
BENCHMARK(BM_expectEqual_int_pass);

void BM_assertEqual_string_pass(benchmark::State& state) {
  // Longer than the small-string buffer, equal content, distinct storage: a real comparison each time.
  const std::string a = "the quick brown fox jumps", b = std::string("the quick brown fox ") + "jumps";
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(b.data());
    checks().assertEqual(a, b);
  }
}
BENCHMARK(BM_assertEqual_string_pass);

void BM_expectEqual_string_pass(benchmark::State& state) {
  const std::string a = "the quick brown fox jumps", b = std::string("the quick brown fox ") + "jumps";
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(b.data());
    checks().expectEqual(a, b);
  }
}
BENCHMARK(BM_expectEqual_string_pass);

void BM_assertTrue_pass(benchmark::State& state) {
  bool ready = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ready);
    checks().assertTrue(ready);
  }
}
BENCHMARK(BM_assertTrue_pass);

void BM_expectTrue_pass(benchmark::State& state) {
  bool ready = true;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ready);
    checks().expectTrue(ready);
  }
}
BENCHMARK(BM_expectTrue_pass);

}  // namespace
