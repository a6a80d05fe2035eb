// Google Benchmark figures for what a test body pays: passing and failing assertions, repr and subTest.
#include <assay/assay.hpp>
#include <assay/execution.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

// An assertions object outside any run: assertEqual and repr need nothing else (assertions is only a base).
struct standalone_assertions : assay::assertions {};
const assay::assertions& checks() {
  static const standalone_assertions a;
  return a;
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

// Failing assertions: the message is built (repr of both values) and AssertionError thrown and caught.
void BM_assertEqual_int_fail_caught(benchmark::State& state) {
  int a = 1, b = 2;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    try {
      checks().assertEqual(a, b);
    } catch (const assay::AssertionError& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
}
BENCHMARK(BM_assertEqual_int_fail_caught);

void BM_assertEqual_multiline_fail_caught(benchmark::State& state) {
  std::string a, b;
  for (int i = 0; i < 20; ++i) {
    a += "line " + std::to_string(i) + "\n";
    b += "line " + std::to_string(i == 10 ? 99 : i) + "\n";
  }
  for (auto _ : state) {
    try {
      checks().assertEqual(a, b);
    } catch (const assay::AssertionError& e) {
      benchmark::DoNotOptimize(e.what());
    }
  }
}
BENCHMARK(BM_assertEqual_multiline_fail_caught);

void BM_repr_int(benchmark::State& state) {
  int v = 123456;
  for (auto _ : state) {
    benchmark::DoNotOptimize(v);
    assay::text t = assay::repr(v);
    benchmark::DoNotOptimize(t.data());
  }
}
BENCHMARK(BM_repr_int);

void BM_repr_string(benchmark::State& state) {
  const std::string v = "hello,\tworld \"quoted\"\n";
  for (auto _ : state) {
    assay::text t = assay::repr(v);
    benchmark::DoNotOptimize(t.data());
  }
}
BENCHMARK(BM_repr_string);

struct Record {
  int id;
  double score;
  std::string name;
  bool active;
  long count;
};

void BM_repr_aggregate_5_fields(benchmark::State& state) {
  const Record v{7, 2.5, "meerkat", true, 123456789L};
  for (auto _ : state) {
    assay::text t = assay::repr(v);
    benchmark::DoNotOptimize(t.data());
  }
}
BENCHMARK(BM_repr_aggregate_5_fields);

void BM_repr_vector_1000(benchmark::State& state) {
  std::vector<int> v(1000);
  for (int i = 0; i < 1000; ++i) v[static_cast<std::size_t>(i)] = i * 37;
  for (auto _ : state) {
    assay::text t = assay::repr(v);
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_repr_vector_1000);

// subTest entry and exit needs a running test; the body of this (uncollected) test runs the benchmark loop.
benchmark::State* current_state = nullptr;

class SubTestBench : public assay::TestCase<SubTestBench> {
 protected:
  TEST(test_passing_subtests, assay::detail::not_collected) {
    int i = 0;
    for (auto _ : *current_state) {
      subTest({{"i", i}}, [&] { benchmark::DoNotOptimize(i); });
      ++i;
    }
  }
  TEST(test_plain_block, assay::detail::not_collected) {
    for (auto _ : *current_state) {
      subTest([&] {});
    }
  }
};

struct null_result : assay::result {
  void on_event(const assay::test_event&) override {}
};

void run_inner(benchmark::State& state, const char* id) {
  current_state = &state;
  null_result r;
  const assay::test_info* t = assay::find_test(id);
  if (!t) {
    state.SkipWithError("inner test not registered");
    return;
  }
  assay::run_test(*t, r);
}

void BM_subTest_with_param(benchmark::State& state) {
  run_inner(state, "assertions_bench.SubTestBench.test_passing_subtests");
}
BENCHMARK(BM_subTest_with_param);

void BM_subTest_plain(benchmark::State& state) { run_inner(state, "assertions_bench.SubTestBench.test_plain_block"); }
BENCHMARK(BM_subTest_plain);

}  // namespace
