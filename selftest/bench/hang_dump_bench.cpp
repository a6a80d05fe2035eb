// What a hung worker's thread dump costs the run: stopping, unwinding and symbolising every thread of a
// process with 1, 8 or 64 threads, then letting them go (the process is the benchmark's child, spinning).
#include <benchmark/benchmark.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include <assay/hang_dump.hpp>

namespace {

std::atomic<bool> forever{true};

[[gnu::noinline]] void spin() {
  while (forever.load(std::memory_order_relaxed)) std::this_thread::yield();
}

pid_t start_child(int threads) {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    for (int i = 1; i < threads; ++i) std::thread(spin).detach();
    (void)!::write(ready[1], "x", 1);
    spin();
    ::_exit(0);
  }
  char c;
  (void)!::read(ready[0], &c, 1);
  ::close(ready[0]);
  ::close(ready[1]);
  ::usleep(100000);  // its threads running
  return child;
}

void BM_dump_hung_worker(benchmark::State& state) {
  const pid_t child = start_child(static_cast<int>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) bytes = assay::dump_hung_worker(child, 5, "the test").size();
  state.counters["dump_bytes"] = static_cast<double>(bytes);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}
BENCHMARK(BM_dump_hung_worker)->Arg(1)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond);

}  // namespace
