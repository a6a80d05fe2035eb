// What a TEST_P row and a TYPED_TEST type cost beside a plain TEST: run through run_test (object made,
// setUp, body, tearDown, events to a null result), and made at start-up (the table read, ids built).
#include <assay/assay.hpp>
#include <assay/detail/internal.hpp>
#include <assay/execution.hpp>
#include <assay/param.hpp>
#include <assay/registry.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

std::vector<int> thousand_rows() {
  std::vector<int> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(i);
  return rows;
}

class Bench : public assay::TestCase<Bench> {
 public:
  void setUp() override { value_ = 1; }
  void tearDown() override { value_ = 0; }
  TEST(test_plain) { benchmark::DoNotOptimize(value_); }
  TEST_P(test_row, thousand_rows)(int x) { benchmark::DoNotOptimize(value_ + x); }
  TEST_P(test_pair_row, ({1, "one"}, {2, "two"}))(int x, const std::string& s) {
    benchmark::DoNotOptimize(value_ + x + static_cast<int>(s.size()));
  }
  TYPED_TEST(test_typed, (int, long)) { benchmark::DoNotOptimize(value_ + static_cast<int>(sizeof(T))); }

 private:
  int value_ = 0;
};

struct null_result : assay::result {
  void on_event(const assay::test_event&) override {}
};

void run(benchmark::State& state, const char* id) {
  const assay::test_info* t = assay::find_test(id);
  if (!t) {
    state.SkipWithError("no such test");
    return;
  }
  null_result r;
  for (auto _ : state) assay::run_test(*t, r);
}

void BM_run_plain_test(benchmark::State& state) { run(state, "param_bench.Bench.test_plain"); }
BENCHMARK(BM_run_plain_test);
void BM_run_row_int(benchmark::State& state) { run(state, "param_bench.Bench.test_row[500]"); }
BENCHMARK(BM_run_row_int);
void BM_run_row_int_string(benchmark::State& state) { run(state, "param_bench.Bench.test_pair_row[2-two]"); }
BENCHMARK(BM_run_row_int_string);
void BM_run_typed(benchmark::State& state) { run(state, "param_bench.Bench.test_typed[long]"); }
BENCHMARK(BM_run_typed);

// Start-up: a table of 1000 rows read, and their ids built and checked (the registry's records aside).
void BM_make_1000_rows(benchmark::State& state) {
  const assay::test_info* t = assay::find_test("param_bench.Bench.test_row[0]");
  if (!t) {
    state.SkipWithError("no such test");
    return;
  }
  std::vector<assay::detail::table_row> rows;
  std::string error;
  for (auto _ : state) {
    rows.clear();
    benchmark::DoNotOptimize(assay::detail::collect_table(*t, &Bench::assay_rows_test_row, rows, error));
  }
  state.counters["per_row"] =
      benchmark::Counter(1000, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_make_1000_rows)->Unit(benchmark::kMicrosecond)->Iterations(200);  // rows are never freed

}  // namespace
