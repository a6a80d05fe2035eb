// Signals during a run: Ctrl-C (unittest's -c, forwarded to the worker's process group) and termination.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <assay/result.hpp>

namespace assay {

/// Handles SIGINT while it lives, as unittest's installHandler does with -c.
///
/// The first SIGINT asks the run to stop once the current test has finished (interrupt_result); the run
/// then reports what ran. A second SIGINT stops at once: a supervisor kills its worker and still writes
/// the summary and the JUnit report; an in-process run (nothing can stop a test from outside) flushes its
/// JUnit reports and dies of the signal, as unittest dies of KeyboardInterrupt.
///
/// A worker runs in a process group of its own (a test's `kill(0, …)` must not reach the run), so a
/// terminal's Ctrl-C reaches only the supervisor: a supervised run's handler passes every SIGINT on to
/// the worker's group, and without -c then dies of it, as the whole foreground group would have.
///
/// A process the handler was not installed in (a test's child between fork and exec, which inherited it)
/// gets SIGINT's default action: a copy of the run's handler must not swallow a Ctrl-C meant to end it.
class interrupt_handler {
 public:
  /// Installs the handler when `catch_break` (-c) or `supervised`; `second_is_fatal` for in-process runs.
  interrupt_handler(bool catch_break, bool second_is_fatal, bool supervised = false);
  ~interrupt_handler();
  interrupt_handler(const interrupt_handler&) = delete;
  interrupt_handler& operator=(const interrupt_handler&) = delete;

  /// How many SIGINTs arrived while a handler was installed with -c.
  static int count() noexcept;
  /// The process group SIGINT is passed on to (a worker's), 0 for none; -j N: one per worker `slot`.
  /// With `ready` (the worker's channel_header::sigint) a SIGINT waits there until the worker has its own
  /// disposition (detail::take_held_sigint): until then it would die of the default, or exec lose it.
  static void forward_to(pid_t group, std::size_t slot = 0, std::atomic<std::uint32_t>* ready = nullptr) noexcept;
  /// Passes on what the handler could not: a SIGINT taken (on another thread) while a worker was being
  /// started, before its group was known. Called by the supervisor's loop; each SIGINT reaches a worker once.
  static void catch_up() noexcept;
};

/// Blocks SIGINT in the calling thread while it lives: a worker forked meanwhile has it blocked until it has
/// its own disposition, and a Ctrl-C arriving meanwhile is handled once the worker's group is known.
class sigint_deferral {
 public:
  sigint_deferral() noexcept;
  ~sigint_deferral();
  sigint_deferral(const sigint_deferral&) = delete;
  sigint_deferral& operator=(const sigint_deferral&) = delete;

  /// SIGINT was blocked already (by the program's caller): it stays so, in the worker too.
  bool was_blocked() const noexcept { return was_blocked_; }
  /// The signal mask as it was before.
  const sigset_t& previous() const noexcept { return previous_; }

 private:
  sigset_t previous_{};
  bool was_blocked_ = false;
};

namespace detail {

/// channel_header::sigint's bits: the worker has its SIGINT disposition; a SIGINT is held for it.
inline constexpr std::uint32_t sigint_ready = 1, sigint_held = 2;

/// In a worker, once its SIGINT disposition is set: marks `word` ready and raises a SIGINT held back
/// during its start; then unblocks SIGINT (blocked across fork) unless `keep_blocked`.
void take_held_sigint(std::atomic<std::uint32_t>& word, bool keep_blocked) noexcept;

/// In a handler installed by process `owner`: when another process runs it (a child that inherited it
/// through fork), gives `sig` its default action there (once the handler returns) and says true.
bool default_action_outside(pid_t owner, int sig) noexcept;

}  // namespace detail

/// SIGTERM and SIGHUP (a CI timeout's first word, a closed terminal) while it lives: the run ends as at a
/// second Ctrl-C. Supervised, the worker is killed, its running test is an ERROR (`Terminated`), the summary
/// and the JUnit report are completed and the run exits with 128 + the signal (143 for SIGTERM). In-process
/// nothing can stop the running test: with -c the JUnit reports are flushed (the running test an error);
/// either way the process then dies of the signal, as a Python run does. A signal the program's caller
/// ignores (nohup) stays ignored. A process the handler was not installed in (a test's child) gets the
/// signal's default action.
class termination_handler {
 public:
  explicit termination_handler(bool supervised);
  ~termination_handler();
  termination_handler(const termination_handler&) = delete;
  termination_handler& operator=(const termination_handler&) = delete;

  /// The termination signal that arrived (SIGTERM, SIGHUP), 0 while none did.
  static int signal() noexcept;
  /// In a forked worker: the dispositions the program had before the handler (the tests' own).
  static void restore() noexcept;
};

/// Asks the run to stop once Ctrl-C was pressed (unittest's result.stop()) or the run was terminated.
class interrupt_result : public result {
 public:
  void on_event(const test_event&) override {}
  void on_passed(const test_info&, double) override {}
  bool should_stop() const override { return interrupt_handler::count() > 0 || termination_handler::signal() != 0; }
};

/// The exit status of a run stopped by Ctrl-C: 128 + SIGINT, as shells report a process the signal ended.
inline constexpr int exit_interrupted = 130;
/// The exit status of a run ended by termination signal `sig`: 128 + sig (143 for SIGTERM).
inline constexpr int exit_terminated(int sig) { return 128 + sig; }

}  // namespace assay
