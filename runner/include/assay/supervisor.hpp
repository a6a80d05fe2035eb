// Supervised runs: worker processes run the tests; a crash, exit or hang in one test ends only that test.
#pragma once

#include <signal.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <assay/result.hpp>

namespace assay {

struct options;
class run_plan;
class text_result;

/// A stream that writes through to `target` while open and drops everything while shut.
///
/// A worker writes its tests' progress (dots, verbose lines) to the report itself, interleaved exactly as
/// an in-process run interleaves it with the tests' own output; the supervisor's text report, fed the same
/// events, is shut meanwhile, and opened for what only the supervisor knows (a crash) and for the summary.
///
/// On a terminal every flush of the stream reaches the target at once. Otherwise (a file, a pipe), when
/// `batch` allows it, the bytes wait in a buffer and go out together: when it fills, when the last write
/// is 0.1 s old, at open() and at flush_pending(). A system call per test costs more than running an empty
/// test; progress dots lose nothing by arriving ten times a second.
///
/// What a test does to the process cannot lose the report: writes wait while the descriptor is
/// non-blocking and full (a test set O_NONBLOCK on the shared stdio), a reader that went away (EPIPE) ends
/// the report's text but never the run (no SIGPIPE), and a descriptor the test closed or replaced (found by
/// its identity, not its number) is not written: the text goes to relay_to()'s sink (a worker's journal) or,
/// failing that, to a new duplicate of the standard descriptor that still is the report's file.
class output_gate {
 public:
  output_gate(std::FILE* target, bool batch);
  ~output_gate();
  output_gate(const output_gate&) = delete;
  output_gate& operator=(const output_gate&) = delete;
  /// The gated stream (the target itself when the platform cannot gate).
  std::FILE* stream() const { return stream_; }
  std::FILE* target() const { return target_; }
  /// Opens or shuts the gate; either way, what was written so far reaches the target first.
  void open(bool is_open);
  bool is_open() const { return open_; }
  /// Writes the waiting bytes to the target now.
  void flush_pending();
  /// Keeps the waiting bytes in `area` (shared memory) from now on, so that another process can write
  /// them out if this one dies: a worker shares its journal's progress area with its supervisor.
  void share(char* area, std::size_t capacity, std::atomic<std::uint32_t>* size);
  /// Writes `size` bytes to the target at once (what a dead worker left in the shared area).
  void write_through(const char* data, std::size_t size);
  /// Calls `barrier(context)` before any byte reaches the target (not for write_through): a worker waits
  /// there until its supervisor has recorded the results those bytes show.
  void set_barrier(void (*barrier)(void*), void* context) {
    barrier_ = barrier;
    barrier_context_ = context;
  }
  /// Where the bytes go once the target's descriptor is lost (a test closed it): `relay(context, data, size)`.
  void relay_to(void (*relay)(void*, const char*, std::size_t), void* context);
  /// The target's reader went away (EPIPE or another write error): the text is dropped from then on.
  bool reader_gone() const { return gone_; }

  // The stream's write function (fopencookie).
  std::size_t accept(const char* data, std::size_t size);
  /// As accept(), open or shut: a parallel run's progress, which the supervisor itself writes.
  std::size_t pass(const char* data, std::size_t size);

 private:
  std::FILE* target_;
  std::FILE* stream_ = nullptr;
  bool open_ = true;
  bool live_ = true;  // the target is a terminal
  std::unique_ptr<char[]> own_;
  std::atomic<std::uint32_t> own_size_{0};
  char* area_ = nullptr;
  std::size_t capacity_ = 0;
  std::atomic<std::uint32_t>* size_ = nullptr;
  std::int64_t written_ns_ = 0;  // CLOCK_MONOTONIC_COARSE of the last write to the target
  void (*barrier_)(void*) = nullptr;
  void* barrier_context_ = nullptr;

  void put(const char* data, std::size_t size);
  bool descriptor_is_target() const;
  bool recover();
  int fd_ = -1;                // the target's descriptor (a new one after recover())
  bool known_ = false;         // its identity is known
  unsigned long long dev_ = 0, ino_ = 0;
  bool pipe_ = false;          // a pipe or socket: EPIPE (and SIGPIPE) possible
  bool gone_ = false;
  bool relaying_ = false;
  void (*relay_)(void*, const char*, std::size_t) = nullptr;
  void* relay_context_ = nullptr;
};

/// Runs `plan` in worker processes (one for the whole plan, a new one after each crash; with
/// `opt.isolate` one per test), feeding every event to `sink` as an in-process run would. `text` is the
/// run's text report: a forked worker writes progress through its copy of it, and `gate` (its stream)
/// keeps the supervisor's copy quiet while a worker's events arrive. Returns the plan position where
/// supervision ended: the plan's size, or where workers could not be started (run the rest in-process;
/// `unsupervised` then says why). `while_running` is called once, when the first worker has started: work
/// of the run's own (reading the last run's cache) done meanwhile costs the run no time on two cores.
std::size_t supervise(const run_plan& plan, const options& opt, result& sink, text_result& text,
                      output_gate& gate, std::string& unsupervised, void (*while_running)() = nullptr);

/// Waits for the workers that finished and were still exiting when supervise() returned (call it once the
/// run is reported: their exit overlaps the summary rather than delaying it).
void await_exiting_workers();

/// True when a debugger (any tracer: gdb, lldb, rr, strace) is attached to this process.
bool debugger_attached();

/// True in a worker process a supervisor started through exec: ASSAY_WORKER (`<fd>:<pid>:<token>`) names an
/// inherited journal whose header holds the parent's pid and the same random token. The variable is removed
/// from the environment at the first call, whatever it held: one inherited from elsewhere is ignored.
bool is_exec_worker();

/// The body of such a worker: runs the plan positions it was given, reporting to the journal, and exits.
/// `text` is its progress report, configured from the same command line as the supervisor's, writing to
/// `gate`'s stream.
[[noreturn]] void exec_worker_main(const options& opt, text_result& text, output_gate& gate);

/// Why a worker ended, as reported for the test it was running: `killed by signal SIGSEGV (Segmentation
/// fault)`, `exited with status 3 during the test`. `during` names the phase (`the test`, `setUpClass`).
std::string describe_worker_end(int wait_status, const std::string& during);

/// `timed out after 3.0s`: seconds as Python prints a float.
std::string describe_timeout(double seconds);

namespace detail {
class channel;
/// SIGPIPE's disposition before supervise() ignored it (a worker restores it for its tests).
extern bool pipe_was_default;
extern struct sigaction previous_pipe;
/// A worker's life after fork (or exec): runs plan positions [first, end) of `ch`, writes every event to
/// it and the progress to `text` (through `gate`, whose waiting bytes it keeps in the journal), then exits
/// without running atexit handlers (they are the supervisor's).
[[noreturn]] void run_worker(channel& ch, const options& opt, text_result& text, output_gate& gate);
}  // namespace detail

}  // namespace assay
