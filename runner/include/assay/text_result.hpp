// The text reporter: unittest's TextTestResult and TextTestRunner output, line for line.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <assay/result.hpp>

namespace assay {

class output_gate;

/// Counts of a run, as unittest's TestResult keeps them; decides success and the exit status.
struct run_counts {
  std::size_t run = 0, failures = 0, errors = 0, skipped = 0, expected_failures = 0, unexpected_successes = 0;
  std::size_t successes = 0;  // tests that passed (not counting subtests)
  std::size_t flaky = 0;      // of those, tests that passed on a rerun (--retries)
  std::size_t leaks = 0;      // tests that left memory allocated (--leaks: a LEAK block each)
  void count(const test_event& e);
  bool successful() const { return failures == 0 && errors == 0 && unexpected_successes == 0; }
};

/// Forwards every event to several results (text + JUnit + …); stops when any of them asks to.
class tee_result : public result {
 public:
  void add(result& r) { targets_.push_back(&r); }
  void on_event(const test_event& e) override {
    for (result* r : targets_) r->on_event(e);
  }
  void on_passed(const test_info& t, double seconds) override {
    for (result* r : targets_) r->on_passed(t, seconds);
  }
  bool should_stop() const override {
    for (const result* r : targets_)
      if (r->should_stop()) return true;
    return false;
  }

 private:
  std::vector<result*> targets_;
};

/// Writes progress (dots or verbose lines), the error list, durations and the summary to `stream`.
class text_result : public result {
 public:
  /// verbosity: 0 quiet, 1 dots, 2 verbose. durations: -1 off, 0 all, N slowest.
  text_result(std::FILE* stream, int verbosity, bool failfast, int durations);
  text_result(const text_result&) = delete;
  text_result& operator=(const text_result&) = delete;
  void on_event(const test_event& e) override;
  void on_passed(const test_info& t, double seconds) override;
  bool should_stop() const override { return stop_; }
  /// Ask the run to stop after the current test (Ctrl-C).
  void request_stop() { stop_ = true; }
  const run_counts& counts() const { return counts_; }
  /// Colour the status words, glyphs and the final OK/FAILED line (ANSI; see use_color in terminal.hpp).
  void set_color(bool on) { color_ = on; }
  bool color() const { return color_; }
  /// `stream` is `gate`'s: progress glyphs go to the gate directly, without the stream's flush per test.
  void set_gate(output_gate* gate) { gate_ = gate; }
  /// --tb: how much of each failure's traceback the error list shows.
  void set_traceback(traceback_style style) { traceback_ = style; }
  /// Another reporter's part of the summary (--leaks, --memory), printed after the error list.
  void set_summary_part(void (*print)(std::FILE* out, void* context), void* context) {
    part_ = print;
    part_context_ = context;
  }

 private:
  void colored(std::string_view text, const char* color);
  void write_status(const test_event& e, std::string_view status, outcome result);
  void put(std::string_view text);
  void glyph(char c);
  void add_problem(const test_event& e);
  void print_summary(double seconds);
  std::string describe(const test_event& e) const;
  bool on_attempt(const test_event& e);
  void hold(const test_event& e);
  void give_up_reruns();

  std::FILE* out_;
  output_gate* gate_ = nullptr;
  int verbosity_;
  bool failfast_;
  int durations_;
  bool stop_ = false;
  bool newline_ = true;
  bool color_ = false;
  bool passed_ = false;  // the running test passed: shown at its stop, once every report has it
  traceback_style traceback_ = traceback_style::long_;
  run_counts counts_;
  std::vector<std::pair<std::string, std::string>> errors_, failures_;
  std::vector<std::string> unexpected_;
  // --retries (retry.hpp): the problems of failed attempts, kept until the test's last attempt; the running
  // attempt failed and runs again (RERUN); it passed after failed ones (FLAKY). A flaky test's attempts are
  // listed with the errors, under `FLAKY:`.
  struct held_problem {
    const test_info* test;
    unsigned attempt;
    bool error;
    std::string description, traceback;
  };
  std::vector<held_problem> held_;
  std::vector<std::pair<std::string, std::string>> flaky_;
  bool rerun_ = false;
  bool flaky_pass_ = false;
  // --durations N: the N slowest so far (all with N = 0), a heap whose top is the one to drop next, so that a
  // long run (--repeat) keeps N entries rather than one per test.
  struct timing {
    double seconds;
    std::size_t order;  // among equal times the earlier ranks first, as a stable sort would put it
    std::string description;
  };
  std::vector<timing> timings_;
  std::size_t timed_ = 0;
  void (*part_)(std::FILE*, void*) = nullptr;
  void* part_context_ = nullptr;
  void add_timing(const test_event& e);
};

}  // namespace assay
