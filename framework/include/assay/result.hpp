// The result interface: the stream of plain events a test run produces and reporters consume (unittest.result).
#pragma once

#include <string>

#include <assay/registry.hpp>

namespace assay {

enum class outcome : unsigned char { success, failure, error, skipped, expected_failure, unexpected_success };

enum class event_kind : unsigned char { start_run, stop_run, start_test, stop_test, outcome, subtest };

/// One event of a run. Plain values only, so events can cross a process boundary unchanged.
struct test_event {
  event_kind kind = event_kind::outcome;
  const test_info* test = nullptr;  // null for start_run / stop_run
  outcome result = outcome::success;
  std::string subtest{};     // subtest events: `[msg] (i=1)`
  std::string type{};        // failures and errors: `AssertionError`, `std::runtime_error`, …
  std::string message{};     // failures and errors: the message; skips: the reason
  std::string file{};        // where it happened, when known
  int line = 0;
  std::string function{};    // `test_x`, `setUp`, `tearDown`, …
  // Failures and errors, where known: the traceback's frames, outermost first, a `file\tline\tfunction`
  // line each; then, after an empty line each, the frames of each cause in `message` (may be none).
  std::string frames{};
  std::string out{}, err{};  // captured output attached to failures (-b, workers)
  double seconds = 0;        // stop_test / stop_run: elapsed time
  // A failure joining one already reported for the same test (or subtest) where an expectation failed: it
  // gets a block of its own, but the test is counted and shown (-v, dots) once.
  bool further = false;
  // stop_test with --leaks / --memory (leak_report.hpp): a report that leaves the outcome as it is, and
  // the test's peak bytes outstanding and number of allocations.
  std::string note{};
  unsigned long long peak_bytes = 0, allocations = 0;
};

/// Receives the events of a run (unittest's TestResult). Reporters, captures and worker pipes implement it.
class result {
 public:
  virtual ~result() = default;
  virtual void on_event(const test_event& event) = 0;
  /// A test that started, passed and stopped after `seconds`, told at once (a supervisor replaying its
  /// worker's journal): the three events by default; reporters with less to do for a pass override it.
  virtual void on_passed(const test_info& test, double seconds) {
    test_event e;
    e.test = &test;
    e.kind = event_kind::start_test;
    on_event(e);
    e.kind = event_kind::outcome;
    on_event(e);
    e.kind = event_kind::stop_test;
    e.seconds = seconds;
    on_event(e);
  }
  /// Asked between tests (and subtests): stop the run (failfast, Ctrl-C).
  virtual bool should_stop() const { return false; }
};

/// How much of a traceback to show (pytest's --tb): every frame, the innermost one, one line, nothing.
enum class traceback_style : unsigned char { long_, short_, line, no };

/// Python-like traceback text of a failure or error event: a `Traceback …` line, then `  File "…", line N, in f`
/// and `    src` lines for each frame, then `Type: msg`.
/// `line` gives `file:line: Type: msg`, `no` an empty string.
std::string format_traceback(const test_event& event, traceback_style style = traceback_style::long_);

/// True when the outcome counts against the run (FAIL, ERROR, unexpected success).
constexpr bool is_problem(outcome o) noexcept {
  return o == outcome::failure || o == outcome::error || o == outcome::unexpected_success;
}

}  // namespace assay
