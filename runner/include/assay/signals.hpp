// Ctrl-C during a run (unittest's -c, catchbreak): the first SIGINT stops after the current test, the second at once.
#pragma once

#include <assay/result.hpp>

namespace assay {

/// Handles SIGINT while it lives, as unittest's installHandler does with -c.
///
/// The first SIGINT asks the run to stop once the current test has finished (interrupt_result); the run
/// then reports what ran. A second SIGINT stops at once: a supervisor kills its worker and still writes
/// the summary and the JUnit report; an in-process run (nothing can stop a test from outside) flushes its
/// JUnit reports and dies of the signal, as unittest dies of KeyboardInterrupt.
class interrupt_handler {
 public:
  /// Installs the handler when `enabled` (-c); `second_is_fatal` for in-process runs.
  interrupt_handler(bool enabled, bool second_is_fatal);
  ~interrupt_handler();
  interrupt_handler(const interrupt_handler&) = delete;
  interrupt_handler& operator=(const interrupt_handler&) = delete;

  /// How many SIGINTs arrived while a handler was installed.
  static int count() noexcept;
  /// Readable after each SIGINT, so a supervisor's poll wakes; -1 without a handler.
  static int wake_fd() noexcept;
};

/// Asks the run to stop once Ctrl-C was pressed (unittest's result.stop()).
class interrupt_result : public result {
 public:
  void on_event(const test_event&) override {}
  void on_passed(const test_info&, double) override {}
  bool should_stop() const override { return interrupt_handler::count() > 0; }
};

/// The exit status of a run stopped by Ctrl-C: 128 + SIGINT, as shells report a process the signal ended.
inline constexpr int exit_interrupted = 130;

}  // namespace assay
