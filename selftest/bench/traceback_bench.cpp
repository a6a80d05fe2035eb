// What tracebacks cost: a throw while a test part runs (its stack is kept), the same throw outside a part,
// and a failing assertion reported with every frame (symbolised), the first one in a process apart.
#include <assay/assay.hpp>
#include <assay/detail/internal.hpp>
#include <assay/execution.hpp>
#include <assay/result.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <stdexcept>

namespace {

// An assertions object outside any run (assertions is only a base).
struct standalone_assertions : assay::assertions {};
const assay::assertions& checks() {
  static const standalone_assertions a;
  return a;
}

// Three calls deep, as a throw in a test's helper would be; noinline so each is a frame.
[[gnu::noinline]] void throw_here(int v) {
  if (v >= 0) throw std::runtime_error("bad");
}
[[gnu::noinline]] void middle(int v) {
  throw_here(v);
  benchmark::ClobberMemory();
}
[[gnu::noinline]] void outer(int v) {
  middle(v);
  benchmark::ClobberMemory();
}
[[gnu::noinline]] void fail_deep(int v) {
  checks().assertEqual(v, v + 1);
  benchmark::ClobberMemory();
}

// assertRaises' shape: the exception is thrown and caught inside the part, never reported.
void BM_throw_caught_outside_part(benchmark::State& state) {
  for (auto _ : state) {
    try {
      outer(1);
    } catch (const std::runtime_error& e) {
      benchmark::DoNotOptimize(&e);
    }
  }
}
BENCHMARK(BM_throw_caught_outside_part);

void BM_throw_caught_in_part(benchmark::State& state) {
  const assay::detail::part_scope scope;  // as run_test's parts: the throw's stack is kept
  for (auto _ : state) {
    try {
      outer(1);
    } catch (const std::runtime_error& e) {
      benchmark::DoNotOptimize(&e);
    }
  }
}
BENCHMARK(BM_throw_caught_in_part);

struct Checks : assay::TestCase<Checks> {};

// A suite's 10,000 assertRaises: each throw is expected and caught there, so no stack is kept.
void assert_raises_10000(benchmark::State& state, bool in_part) {
  Checks checks;
  for (auto _ : state) {
    const auto run = [&] {
      for (int i = 0; i < 10000; ++i) checks.assertRaises<std::runtime_error>([&] { outer(i); });
    };
    if (in_part) {
      const assay::detail::part_scope scope;
      run();
    } else {
      run();
    }
  }
}
void BM_assertRaises_10000_outside_part(benchmark::State& state) { assert_raises_10000(state, false); }
void BM_assertRaises_10000_in_part(benchmark::State& state) { assert_raises_10000(state, true); }
BENCHMARK(BM_assertRaises_10000_outside_part)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_assertRaises_10000_in_part)->Unit(benchmark::kMillisecond);

// A failing assertion as the runner reports it: caught, described (stack symbolised), formatted.
void report_one() {
  const assay::detail::part_scope scope;
  try {
    fail_deep(1);
  } catch (...) {
    assay::test_event e;
    assay::describe_current_exception(e);
    std::string text = assay::format_traceback(e);
    benchmark::DoNotOptimize(text.data());
  }
}

// A failure at another place than the first: its unit's debug information is read, then kept.
[[gnu::noinline]] void fail_elsewhere(int v) {
  checks().assertEqual(v, v + 2);
  benchmark::ClobberMemory();
}

// The first report of a process also opens the debug information of the loaded objects (libdw).
void BM_failing_assertion_first_report(benchmark::State& state) {
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    report_one();
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}
BENCHMARK(BM_failing_assertion_first_report)->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_failing_assertion_second_place(benchmark::State& state) {
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const assay::detail::part_scope scope;
    try {
      fail_elsewhere(1);
    } catch (...) {
      assay::test_event e;
      assay::describe_current_exception(e);
      std::string text = assay::format_traceback(e);
      benchmark::DoNotOptimize(text.data());
    }
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}
BENCHMARK(BM_failing_assertion_second_place)->Iterations(1)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Again at a place already reported (a subtest's loop): its frames are remembered by address.
void BM_failing_assertion_report(benchmark::State& state) {
  for (auto _ : state) report_one();
}
BENCHMARK(BM_failing_assertion_report)->Unit(benchmark::kMicrosecond);

// The same failing assertion without a part: its stack is not kept, the traceback has one frame.
void BM_failing_assertion_report_one_frame(benchmark::State& state) {
  for (auto _ : state) {
    try {
      fail_deep(1);
    } catch (...) {
      assay::test_event e;
      assay::describe_current_exception(e);
      std::string text = assay::format_traceback(e);
      benchmark::DoNotOptimize(text.data());
    }
  }
}
BENCHMARK(BM_failing_assertion_report_one_frame)->Unit(benchmark::kMicrosecond);

}  // namespace
