// What the allocation hooks behind --leaks and --memory cost (runner/src/allocations.cpp): new/delete of 32
// bytes in a loop. Built twice: allocation_bench links assay (its hooks interpose the allocator; off unless a
// benchmark starts them), allocation_bench_plain links nothing of assay (glibc's allocator, libstdc++'s new).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#ifdef ASSAY_HOOKS
#include <assay/allocations.hpp>
namespace allocations = assay::detail::allocations;
#endif

namespace {

// ::operator new called as a function: a new-expression's pair may be elided, a call may not.
void BM_new_delete_32(benchmark::State& state) {
  for (auto _ : state) {
    void* p = ::operator new(32);
    benchmark::DoNotOptimize(p);
    ::operator delete(p);
  }
}
BENCHMARK(BM_new_delete_32);

void BM_malloc_free_32(benchmark::State& state) {
  for (auto _ : state) {
    void* p = std::malloc(32);
    benchmark::DoNotOptimize(p);
    std::free(p);
  }
}
BENCHMARK(BM_malloc_free_32);

// A test's allocations while blocks are outstanding: 1000 live, then freed.
void BM_new_delete_32_x1000_live(benchmark::State& state) {
  std::vector<void*> blocks(1000);
  for (auto _ : state) {
    for (void*& p : blocks) p = ::operator new(32);
    benchmark::DoNotOptimize(blocks.data());
    for (void* p : blocks) ::operator delete(p);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_new_delete_32_x1000_live);

#ifdef ASSAY_HOOKS
// --leaks / --memory on: every block counted (the first run of each test).
void BM_counted_new_delete_32(benchmark::State& state) {
  allocations::start(false);
  for (auto _ : state) {
    void* p = ::operator new(32);
    benchmark::DoNotOptimize(p);
    ::operator delete(p);
  }
  allocations::stop();
}
BENCHMARK(BM_counted_new_delete_32);

void BM_counted_new_delete_32_x1000_live(benchmark::State& state) {
  std::vector<void*> blocks(1000);
  allocations::start(false);
  for (auto _ : state) {
    for (void*& p : blocks) p = ::operator new(32);
    benchmark::DoNotOptimize(blocks.data());
    for (void* p : blocks) ::operator delete(p);
  }
  allocations::stop();
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_counted_new_delete_32_x1000_live);

// Two threads allocating at once while counted (the table's lock is shared).
void BM_counted_new_delete_32_threads(benchmark::State& state) {
  if (state.thread_index() == 0) allocations::start(false);
  for (auto _ : state) {
    void* p = ::operator new(32);
    benchmark::DoNotOptimize(p);
    ::operator delete(p);
  }
  if (state.thread_index() == 0) allocations::stop();
}
BENCHMARK(BM_counted_new_delete_32_threads)->Threads(2);

// The second run of a leaking test: every block keeps its stack (an unwind each).
void BM_sites_new_delete_32(benchmark::State& state) {
  allocations::start(true);
  for (auto _ : state) {
    void* p = ::operator new(32);
    benchmark::DoNotOptimize(p);
    ::operator delete(p);
  }
  allocations::stop();
}
BENCHMARK(BM_sites_new_delete_32);
#endif

}  // namespace

BENCHMARK_MAIN();
