// Google Benchmark figures for what the runner pays per test: dispatch, --list, reports and process supervision.
// The binary registers 10,000 tests (100 classes x 100 tests with setUp/tearDown); run with
// ASSAY_BENCH_SUITE=1 in its environment it is an ordinary assay test binary, which the process
// benchmarks start as a child to time whole runs (in-process, supervised, --isolate).
#include <assay/assay.hpp>
#include <assay/execution.hpp>
#include <assay/junit_result.hpp>
#include <assay/program.hpp>
#include <assay/suite.hpp>

#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

extern char** environ;

namespace {

constexpr int classes = 100;
constexpr int tests_per_class = 100;
constexpr int total_tests = classes * tests_per_class;

template <class Derived>
class Fixture : public assay::TestCase<Derived> {
 public:
  void setUp() override { value_ = 1; }
  void tearDown() override { value_ = 0; }
  void test() { benchmark::DoNotOptimize(value_); }

 private:
  int value_ = 0;
};

template <class C>
void entry(assay::detail::entry_op op, assay::case_base*& obj) {
  switch (op) {
    case assay::detail::entry_op::make: obj = new C(); break;
    case assay::detail::entry_op::run: static_cast<C*>(obj)->test(); break;
    case assay::detail::entry_op::set_up_class: C::setUpClass(); break;
    case assay::detail::entry_op::tear_down_class: C::tearDownClass(); break;
    case assay::detail::entry_op::describe: break;  // no class options
  }
}

std::deque<std::string>& method_names() {
  static std::deque<std::string> names;
  return names;
}

// Registers `tests_per_class` tests of class C, as TEST would (names kept alive for the registry).
template <class C>
int register_class() {
  for (int i = 0; i < tests_per_class; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "test_%03d", i);
    const std::string& stored = method_names().emplace_back(name);
    assay::detail::register_test(assay::detail::type_name<C>(), stored.c_str(), &entry<C>, __FILE__, 100 + i, {});
  }
  return 0;
}

#define ASSAY_BENCH_CLASS(n) \
  class Class##n : public Fixture<Class##n> {}; \
  [[maybe_unused]] const int registered_##n = register_class<Class##n>();
#define ASSAY_BENCH_CLASSES10(d)                                                                  \
  ASSAY_BENCH_CLASS(d##0) ASSAY_BENCH_CLASS(d##1) ASSAY_BENCH_CLASS(d##2) ASSAY_BENCH_CLASS(d##3) \
  ASSAY_BENCH_CLASS(d##4) ASSAY_BENCH_CLASS(d##5) ASSAY_BENCH_CLASS(d##6) ASSAY_BENCH_CLASS(d##7) \
  ASSAY_BENCH_CLASS(d##8) ASSAY_BENCH_CLASS(d##9)
ASSAY_BENCH_CLASSES10(0)
ASSAY_BENCH_CLASSES10(1)
ASSAY_BENCH_CLASSES10(2)
ASSAY_BENCH_CLASSES10(3)
ASSAY_BENCH_CLASSES10(4)
ASSAY_BENCH_CLASSES10(5)
ASSAY_BENCH_CLASSES10(6)
ASSAY_BENCH_CLASSES10(7)
ASSAY_BENCH_CLASSES10(8)
ASSAY_BENCH_CLASSES10(9)

struct null_result : assay::result {
  void on_event(const assay::test_event&) override {}
};

std::vector<const assay::test_info*> every_test() {
  const auto& all = assay::all_tests();
  return std::vector<const assay::test_info*>(all.begin(), all.end());
}

void per_test(benchmark::State& state, int tests_per_iteration) {
  state.counters["per_test"] = benchmark::Counter(static_cast<double>(tests_per_iteration),
                                                  benchmark::Counter::kIsIterationInvariantRate |
                                                      benchmark::Counter::kInvert);
}

// One test through run_test: object made, setUp, body, tearDown, destroyed, events to a null result.
void BM_run_test_fixture(benchmark::State& state) {
  const assay::test_info& t = *assay::all_tests().front();
  null_result r;
  for (auto _ : state) assay::run_test(t, r);
}
BENCHMARK(BM_run_test_fixture);

// The whole suite through run_suite (class fixtures included), null result.
void BM_run_suite_10000(benchmark::State& state) {
  const auto tests = every_test();
  null_result r;
  for (auto _ : state) assay::run_suite(tests, r);
  per_test(state, total_tests);
}
BENCHMARK(BM_run_suite_10000)->Unit(benchmark::kMillisecond);

// stdout sent to /dev/null for the duration of a scope (the --list path prints with printf).
class quiet_stdout {
 public:
  quiet_stdout() : saved_(::dup(1)) {
    std::fflush(stdout);
    const int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, 1);
    ::close(null_fd);
  }
  ~quiet_stdout() {
    std::fflush(stdout);
    ::dup2(saved_, 1);
    ::close(saved_);
  }
  quiet_stdout(const quiet_stdout&) = delete;
  quiet_stdout& operator=(const quiet_stdout&) = delete;

 private:
  int saved_;
};

// The --list path as a test binary runs it: options parsed, tests selected, ids printed.
void BM_list_10000(benchmark::State& state) {
  char prog[] = "runner_bench";
  char list[] = "--list";
  char* argv[] = {prog, list, nullptr};
  quiet_stdout quiet;
  for (auto _ : state) {
    if (assay::main(2, argv) != 0) state.SkipWithError("--list failed");
  }
  per_test(state, total_tests);
}
BENCHMARK(BM_list_10000)->Unit(benchmark::kMillisecond);

// The in-process run with the default text report (dots), written to /dev/null.
void BM_text_run_10000(benchmark::State& state) {
  const auto tests = every_test();
  assay::options opt;
  std::FILE* null_file = std::fopen("/dev/null", "w");
  for (auto _ : state) {
    if (assay::run(opt, tests, null_file) != 0) state.SkipWithError("run failed");
  }
  std::fclose(null_file);
  per_test(state, total_tests);
}
BENCHMARK(BM_text_run_10000)->Unit(benchmark::kMillisecond);

// Every event of one in-process run of the 10,000 tests, replayed into reporters.
struct recording_result : assay::result {
  std::vector<assay::test_event> events;
  void on_event(const assay::test_event& e) override { events.push_back(e); }
};

const std::vector<assay::test_event>& recorded_run() {
  static const std::vector<assay::test_event> events = [] {
    recording_result r;
    assay::test_event begin;
    begin.kind = assay::event_kind::start_run;
    r.on_event(begin);
    assay::run_suite(every_test(), r);
    assay::test_event end;
    end.kind = assay::event_kind::stop_run;
    r.on_event(end);
    return std::move(r.events);
  }();
  return events;
}

std::string scratch_path(const char* name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/assay_bench_" + std::to_string(::getpid()) + "_" + name;
}

// The JUnit report of 10,000 results: kept valid on disk as tests finish, then written whole at the end.
void BM_junit_10000(benchmark::State& state) {
  const auto& events = recorded_run();
  const std::string path = scratch_path("junit.xml");
  for (auto _ : state) {
    assay::junit_settings settings;
    settings.path = path;
    settings.name = "runner_bench";
    assay::junit_result junit(settings);
    std::string error;
    if (!junit.open(error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    for (const assay::test_event& e : events) junit.on_event(e);
  }
  std::remove(path.c_str());
  per_test(state, total_tests);
}
BENCHMARK(BM_junit_10000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Runs this binary as a test binary with `args`, output discarded; returns its exit status (-1: not run).
int run_self(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string self = "/proc/self/exe";
  argv.push_back(self.data());
  std::vector<std::string> copies = args;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings{"ASSAY_BENCH_SUITE=1"};
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// CPU time (user + system, seconds) of every finished child process, grandchildren included.
double children_cpu() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// Whole-process runs of this binary: startup, registration of 10,000 tests, the run and its report.
// Time is wall time; `cpu_per_test` is the CPU time of the run's processes (supervisor and workers)
// per test, which a busy machine disturbs less.
void process_run(benchmark::State& state, std::vector<std::string> args, int tests) {
  if (run_self(args) != 0) {
    state.SkipWithError("mode not supported by this build (the run did not exit 0)");
    return;
  }
  const double cpu_before = children_cpu();
  for (auto _ : state) run_self(args);
  per_test(state, tests);
  state.counters["cpu_per_test"] = benchmark::Counter(
      (children_cpu() - cpu_before) / (static_cast<double>(state.iterations()) * tests), benchmark::Counter::kDefaults);
}

void BM_process_list_10000(benchmark::State& state) { process_run(state, {"--list"}, total_tests); }
BENCHMARK(BM_process_list_10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_process_default_10000(benchmark::State& state) { process_run(state, {}, total_tests); }
BENCHMARK(BM_process_default_10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_process_junit_10000(benchmark::State& state) {
  process_run(state, {"--junit-xml", scratch_path("process_junit.xml")}, total_tests);
  std::remove(scratch_path("process_junit.xml").c_str());
}
BENCHMARK(BM_process_junit_10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_process_in_process_10000(benchmark::State& state) { process_run(state, {"--in-process"}, total_tests); }
BENCHMARK(BM_process_in_process_10000)->Unit(benchmark::kMillisecond)->UseRealTime();

// --isolate starts one process per test: one class (100 tests) per iteration keeps the run short.
void BM_process_isolate_100(benchmark::State& state) {
  process_run(state, {"--isolate", "Class42"}, tests_per_class);
}
BENCHMARK(BM_process_isolate_100)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_process_in_process_100(benchmark::State& state) {
  process_run(state, {"--in-process", "Class42"}, tests_per_class);
}
BENCHMARK(BM_process_in_process_100)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (std::getenv("ASSAY_BENCH_SUITE")) return assay::main(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
