// A worker process: runs its share of the plan with unittest's fixtures and journals every event, so its
// supervisor can report the run even when a test takes the process down.
#include <assay/supervisor.hpp>

#include <fcntl.h>
#include <stdio_ext.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

#include <assay/capture.hpp>
#include <assay/detail/internal.hpp>
#include <assay/event_codec.hpp>
#include <assay/execution.hpp>
#include <assay/program.hpp>
#include <assay/retry.hpp>
#include <assay/sanitizers.hpp>
#include <assay/signals.hpp>
#include <assay/suite.hpp>
#include <assay/terminal.hpp>
#include <assay/text_result.hpp>

namespace assay {

namespace detail {

namespace {

constexpr const char* worker_variable = "ASSAY_WORKER";

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Every event goes to the journal with the plan position it belongs to. A test that passes costs one record:
// its start_test waits for the next event, and start, success and stop travel together. A test that may
// time out journals its start at once, with the time, so that the supervisor knows its deadline (and a
// crash before the next record is still pinned on the test: the supervisor knows where the worker is).
class journal_result : public result {
 public:
  journal_result(channel& ch, double default_timeout)
      : ch_(ch), default_timeout_(default_timeout), timeouts_(ch.header().timeouts != 0) {}
  void on_event(const test_event& e) override {
    switch (e.kind) {
      case event_kind::start_test:
        // No record, but a word the supervisor reads if the worker dies: which test was running.
        ch_.header().running.store(static_cast<std::uint32_t>(position + 1), std::memory_order_relaxed);
        // (The test's own timeout is read only when the plan has any: its record is a cache miss.)
        if (default_timeout_ > 0 || (timeouts_ && e.test && e.test->timeout > 0) || !plain(e)) {
          ch_.write(record_type::event, position, now_ns(), &e);
        } else {
          held_test_ = e.test;
          holding_ = start_held;
        }
        return;
      case event_kind::outcome:
        if (holding_ == start_held && e.result == outcome::success && e.test == held_test_ && plain(e)) {
          holding_ = success_held;
          return;
        }
        break;
      case event_kind::stop_test:
        ch_.header().running.store(0, std::memory_order_relaxed);
        if (holding_ == success_held && e.test == held_test_ && plain(e)) {
          holding_ = nothing_held;
          ch_.write_passed(position, e.seconds);
          return;
        }
        break;
      default: break;
    }
    release();
    ch_.write(record_type::event, position, 0, &e);
  }
  std::size_t position = 0;
  /// Ctrl-C reached this process, or the supervisor asks for a stop after the current test.
  bool should_stop() const override;

 private:
  // An event without text (the journal then needs no string).
  static bool plain(const test_event& e) {
    return e.subtest.empty() && e.type.empty() && e.message.empty() && e.file.empty() && e.function.empty() &&
           e.out.empty() && e.err.empty() && e.note.empty() && e.peak_bytes == 0 && e.allocations == 0;
  }
  // Writes the events held back, in order, before any other.
  void release() {
    if (holding_ == nothing_held) return;
    test_event held;
    held.kind = event_kind::start_test;
    held.test = held_test_;
    ch_.write(record_type::event, position, 0, &held);
    if (holding_ == success_held) {
      held.kind = event_kind::outcome;
      ch_.write(record_type::event, position, 0, &held);
    }
    holding_ = nothing_held;
  }

  channel& ch_;
  double default_timeout_;
  bool timeouts_;
  enum { nothing_held, start_held, success_held } holding_ = nothing_held;
  const test_info* held_test_ = nullptr;  // the test whose start (and success) is held back
};

volatile std::sig_atomic_t interrupted = 0;
volatile std::sig_atomic_t worker_pid = 0;  // a test's child runs on_sigint too, until it execs

bool journal_result::should_stop() const {
  return interrupted || ch_.header().stop.load(std::memory_order_relaxed) != 0;
}

// With -c a terminal's Ctrl-C reaches the worker too: stop after this test at once, and leave the
// second one to the supervisor (it kills the worker).
void on_sigint(int sig) {
  if (!detail::default_action_outside(worker_pid, sig)) interrupted = 1;
}

channel* terminate_channel = nullptr;

// std::terminate in a worker: journal the exception being handled (its type and what()), then abort as
// the default handler would; the supervisor reports `std::terminate called: <type>: <what>`.
[[noreturn]] void on_terminate() noexcept {
  if (channel* ch = terminate_channel) {
    test_event e;
    if (std::exception_ptr current = std::current_exception()) {
      try {
        const detail::capture_pause pause;  // the exception keeps the stack of its throw
        std::rethrow_exception(current);
      } catch (...) {
        try {
          describe_current_exception(e);
        } catch (...) {
        }
      }
    }
    ch->write_last_words(e, now_ns());
  }
  std::abort();
}

// What the fixture journal needs: the channel, and the tests around the fixture (one of them shares its
// class or module, which saves looking it up among all tests).
struct fixture_journal {
  channel* ch = nullptr;
  std::size_t position = 0;
  const test_info* entering = nullptr;
  const test_info* previous = nullptr;
};

void journal_fixture(const test_info& pseudo, void* context) {
  const auto& j = *static_cast<fixture_journal*>(context);
  const test_info* near = nullptr;
  for (const test_info* t : {j.entering, j.previous}) {
    if (t && (pseudo.kind == test_info::class_fixture ? t->cls == pseudo.cls : t->module == pseudo.module)) {
      near = t;
      break;
    }
  }
  test_event e;
  e.test = &pseudo;
  j.ch->write(record_type::fixture, j.position, now_ns(), &e, near);
}

void close_on_exec(int fd) {
  if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Report text the worker cannot write itself (a test closed or replaced its descriptor): the supervisor
// writes it, in journal order.
void relay_output(void* context, const char* data, std::size_t size) {
  test_event e;
  e.message.assign(data, size);
  static_cast<channel*>(context)->write(record_type::output, 0, 0, &e);
}

}  // namespace

void run_worker(channel& ch, const options& opt, text_result& text, output_gate& gate) {
  channel_header& h = ch.header();
  claim_run();  // fork() marked this process as a test's child
  // Die with the supervisor (a SIGKILL of the run must not leave a worker behind).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != h.supervisor_pid) ::_exit(1);
  worker_pid = ::getpid();
  std::signal(SIGINT, opt.catch_break ? on_sigint : SIG_DFL);
  // Now a Ctrl-C can arrive: one held back while this worker started (launch), then any other.
  detail::take_held_sigint(h.sigint, h.sigint_blocked != 0);
  // The tests get the program's own dispositions, not the supervisor's (a forked worker inherits them).
  termination_handler::restore();
  if (pipe_was_default) std::signal(SIGPIPE, SIG_DFL);
  else ::sigaction(SIGPIPE, &previous_pipe, nullptr);
  // In a process group of its own the worker is not in the terminal's foreground: it must not be stopped
  // for writing to the terminal (TOSTOP) or reading it (a read fails with EIO instead).
  std::signal(SIGTTOU, SIG_IGN);
  std::signal(SIGTTIN, SIG_IGN);
  // Processes the tests start must not hold the supervisor's descriptors open.
  close_on_exec(h.doorbell_fd);
  close_on_exec(h.capture_fds[0]);
  close_on_exec(h.capture_fds[1]);
  route_sanitizer_reports(h.sanitizer_fd);
  close_on_exec(h.sanitizer_fd);
  terminate_channel = &ch;
  std::set_terminate(on_terminate);
  // Progress waiting for the report's descriptor stays in the journal, where the supervisor finds it if
  // this process dies.
  gate.share(h.progress, sizeof h.progress, &h.progress_size);
  // With a report file, progress shows only results the report already holds: a SIGKILL of the run cannot
  // leave a test seen `ok` and missing from the file.
  if (h.report_first) gate.set_barrier([](void* c) { static_cast<channel*>(c)->wait_until_reported(); }, &ch);
  gate.relay_to(relay_output, &ch);
  if (h.quiet) gate.open(false);  // -j N: the supervisor writes the progress, whole lines in completion order

  journal_result journal(ch, opt.timeout);
  tee_result tee;
  tee.add(journal);  // first: a crash between the two leaves the supervisor knowing more than was shown
  tee.add(attempts());  // before the progress, which shows a failed attempt to be rerun as such
  // The progress, when this process shows it (the supervisor's report counts and keeps everything): not
  // under -q, nor -j N's, which the supervisor writes. (-f stops on the worker's report's word.)
  if ((opt.verbosity > 0 && !h.quiet) || opt.failfast) tee.add(text);
  attempts().set_default(opt.retries);  // (an exec'd worker knows nothing of its supervisor's run)
  if (h.first_attempt > 1 && h.first < h.end) attempts().expect_rerun(ch.test_at(h.first), h.first_attempt);
  std::optional<capture_result> capture;
  if (opt.buffer) capture.emplace(tee, h.capture_fds[0], h.capture_fds[1]);
  result& captured = capture ? static_cast<result&>(*capture) : static_cast<result&>(tee);
  // --leaks, --memory: counted here, where the tests run (the supervisor said already if they cannot be).
  std::optional<leak_watch> watch;
  if ((opt.leaks != leak_mode::off || opt.memory >= 0) && leak_check_unavailable(opt.leaks, opt.memory).empty())
    watch.emplace(captured, opt.leaks, opt.memory >= 0);
  result& sink = watch ? static_cast<result&>(*watch) : captured;

  fixture_journal journal_context{&ch, 0, nullptr, nullptr};
  fixture_state fixtures;
  fixtures.before_fixture = journal_fixture;
  fixtures.before_fixture_context = &journal_context;
  std::size_t position = h.first, first = h.first, end = h.end, ran = 0;
  const test_info* first_ran = nullptr;
  for (;;) {
    for (position = first; position < end; ++position) {
      if (sink.should_stop()) break;
      const test_info& t = ch.test_at(position);
      journal.position = journal_context.position = position;
      journal_context.entering = &t;
      if (!first_ran) first_ran = &t;
      ++ran;
      const bool entered = fixtures.enter(t, sink);
      if (entered) run_test(t, sink);
      journal_context.previous = &t;
      // What a finished test printed must not die in a buffer with a later test's crash; the progress so
      // far goes first, as it would have on a terminal.
      if (::__fpending(stdout) > 0) {
        gate.flush_pending();
        flush_quietly(stdout);
      }
      // A failed attempt with attempts left: this worker ends, a fresh one runs the test again.
      if (entered && attempts().rerun() == &t) break;
    }
    // -j N: a unit is a class, and the next one the supervisor hands out is another's; the module stays up
    // in case it is the same module's.
    if (!h.more || position < end) break;
    journal_context.position = position;
    journal_context.entering = nullptr;
    fixtures.finish_class(sink);
    std::fflush(stdout);
    // Offered while this unit ran (a wait only when the supervisor has not answered yet).
    if (!ch.wait_for_work(first, end)) break;
    ch.write(record_type::wanting, first, 0);  // took them: the supervisor offers the next
  }
  journal_context.position = position;  // the last teardown belongs to no test
  journal_context.entering = nullptr;
  fixtures.finish(sink);
  // LeakSanitizer checks at exit, which _exit skips: here, while the journal still takes its ERROR.
  if (std::string report; ran > 0 && journal_context.previous && check_for_leaks(report)) {
    const test_info& last = *journal_context.previous;
    report_leaks(tee, last, describe_tests_ran(*first_ran, last, ran), report);
  }
  std::cout.flush();
  flush_quietly(nullptr);
  gate.flush_pending();
  // Nothing may reach the journal after `done`: the supervisor hands it to the next worker at once.
  terminate_channel = nullptr;
  ch.write(record_type::done, position, 0);
  ::_exit(0);
}

}  // namespace detail

namespace {

// The journal descriptor of a worker this process's own supervisor started (-1: none).
int exec_worker_fd() {
  static const int fd = [] {
    const char* value = std::getenv(detail::worker_variable);
    if (!value) return -1;
    // `<fd>:<supervisor pid>:<token>` (supervisor.cpp). A variable inherited from elsewhere (an environment
    // saved from a worker, a test running this binary again) names no journal of a parent of this process:
    // such a process runs as any other.
    int fd = -1;
    long long pid = 0;
    unsigned long long token = 0;
    int used = 0;
    const bool parsed = std::sscanf(value, "%d:%lld:%llx%n", &fd, &pid, &token, &used) == 3 && value[used] == '\0';
    ::unsetenv(detail::worker_variable);  // at once: the tests' own processes must not inherit it
    struct stat st {};
    detail::channel_header head;
    if (!parsed || fd < 3 || pid != ::getppid() || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        !detail::channel::peek_header(fd, head) || head.supervisor_pid != pid || head.token != token)
      return -1;
    return fd;
  }();
  return fd;
}

}  // namespace

bool is_exec_worker() { return exec_worker_fd() >= 0; }

void exec_worker_main(const options& opt, text_result& text, output_gate& gate) {
  note_leaks_before_tests();  // this process's own static initialisation (LeakSanitizer builds only)
  static detail::channel ch;
  std::string error;
  // What SIGPIPE is now is what the program had (the supervisor's SIG_IGN was not passed on).
  ::sigaction(SIGPIPE, nullptr, &detail::previous_pipe);
  detail::pipe_was_default = false;
  if (!ch.attach(exec_worker_fd(), error)) {
    std::fprintf(stderr, "assay: worker: %s\n", error.c_str());
    ::_exit(70);
  }
  detail::run_worker(ch, opt, text, gate);
}

}  // namespace assay
