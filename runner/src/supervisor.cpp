// The supervisor: starts workers, replays their journal into the run's results, and turns a worker's
// death (a signal, exit, std::terminate, a timeout) into an ERROR for what it was running.
#include <assay/supervisor.hpp>
#include <assay/sanitizers.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio_ext.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <assay/capture.hpp>
#include <assay/event_codec.hpp>
#include <assay/program.hpp>
#include <assay/retry.hpp>
#include <assay/signals.hpp>
#include <assay/suite.hpp>
#include <assay/terminal.hpp>
#include <assay/text_result.hpp>

extern char** environ;

namespace assay {

namespace {

using detail::channel;
using detail::record;
using detail::record_type;

constexpr std::size_t ring_bytes = 256 * 1024;

}  // namespace

namespace detail {
bool pipe_was_default = true;
struct sigaction previous_pipe {};
}  // namespace detail

namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// output_gate's stream: handed to the gate (see output_gate::accept).
ssize_t gate_write(void* cookie, const char* data, size_t size) {
  return static_cast<ssize_t>(static_cast<output_gate*>(cookie)->accept(data, size));
}

std::int64_t coarse_now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// How long written bytes may wait for the target when it is not a terminal.
constexpr std::int64_t batch_ns = 100000000;

// A /proc file of this process into `text` (NUL-terminated), with plain system calls: every supervised
// run reads two, and a stream costs more than the answer. False when it cannot be read.
bool read_proc_self(const char* path, char* text, std::size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = ::read(fd, text, size - 1);
  ::close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  return true;
}

// fork() copies only the calling thread: a process whose static initialisers started threads (a
// logger, a pool) would hand its workers locks nobody releases. Such a process re-executes itself.
bool single_threaded() {
  char text[1024];
  if (!read_proc_self("/proc/self/stat", text, sizeof text)) return false;
  // Field 20 (num_threads); fields 3 onwards follow the command name's closing parenthesis.
  const char* p = std::strrchr(text, ')');
  if (!p) return false;
  p += 2;
  for (int field = 3; field < 20 && *p; ++field) {
    p = std::strchr(p, ' ');
    if (!p) return false;
    ++p;
  }
  return std::strncmp(p, "1 ", 2) == 0;
}

// The command line this process started with (a user's main may have rewritten what assay::main saw).
std::vector<std::string> own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  return args;
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

// Reaps worker `pid` once it has exited (waiting for that when `wait`); 0 while it runs. What is left of its
// process group (processes its tests started, holding the run's pipes) is ended first: while the worker is
// a zombie, its group's id cannot be reused.
pid_t reap_worker(pid_t pid, int& status, bool wait) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | (wait ? 0 : WNOHANG)) != 0)
    if (errno != EINTR) return -1;
  if (info.si_pid != pid) return 0;
  ::kill(-pid, SIGKILL);
  pid_t got;
  while ((got = ::waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  return got;
}

// Empties a non-blocking pipe whose bytes only say "wake up".
void drain_fd(int fd) {
  char buf[256];
  while (fd >= 0 && ::read(fd, buf, sizeof buf) > 0) {
  }
}

bool is_fixture(const test_info* t, test_info::kind_t kind, const char* name) {
  return t && t->kind == kind && t->method == name;
}

// Workers that finished their plan and are exiting (tearing down their copy of the address space): waited
// for by await_exiting_workers() once the run is reported, so that the report does not wait for them.
std::vector<pid_t> exiting_;

// Where a worker is in its plan, from the journal.
enum class phase { idle, fixture, test };

class supervisor {
 public:
  supervisor(const run_plan& plan, const options& opt, result& sink, text_result& text,
             output_gate& gate, std::string& unsupervised)
      : plan_(plan), opt_(opt), sink_(sink), text_(text), gate_(gate), unsupervised_(unsupervised) {}
  ~supervisor();
  std::size_t run();

 private:
  bool start(std::size_t first, std::size_t end);
  bool launch();
  void watch();
  void drain();
  void handle(const record& r);
  std::size_t conclude();
  // How report() treats a test's start_test: already had, to send quietly (the worker showed it), or to show.
  enum start_event { start_none, start_muted, start_shown };
  void report(const test_info& t, start_event start_mode, const std::string& type, const std::string& reason,
              const test_event* where);
  std::size_t skip_failed_groups(std::size_t position) const;
  void kill_worker(int why);
  void reap(bool wait);
  void reached(std::size_t position);

  const run_plan& plan_;
  const options& opt_;
  result& sink_;
  text_result& text_;
  output_gate& gate_;
  std::string& unsupervised_;
  channel ch_;
  int doorbell_[2] = {-1, -1};
  int capture_[2] = {-1, -1};
  int sanitizer_fd_ = -1;  // the workers' sanitizer reports (sanitizer builds only)
  bool fork_ = true;
  bool may_time_out_ = false;

  pid_t pid_ = -1;
  int pidfd_ = -1;
  int status_ = 0;
  std::string buffer_;  // a record larger than the ring, being assembled
  bool corrupt_ = false;

  std::size_t end_ = 0;
  std::size_t position_ = 0;
  phase phase_ = phase::idle;
  const test_info* current_ = nullptr;
  std::int64_t since_ns_ = 0;
  std::int64_t read_at_ns_ = 0;
  double limit_ = 0;
  bool done_ = false;
  std::size_t resume_ = 0;
  std::optional<test_event> terminate_;
  enum { not_killed, killed_timeout, killed_interrupt, killed_terminate } killed_ = not_killed;
  double killed_after_ = 0;
  int interrupts_ = 0;

  const class_info* failed_class_ = nullptr;
  const module_info* failed_module_ = nullptr;
};

supervisor::~supervisor() {
  reap(false);
  for (int fd : {doorbell_[0], doorbell_[1], capture_[0], capture_[1], sanitizer_fd_})
    if (fd >= 0) ::close(fd);
}

// Supervision needs three descriptors (the journal and the doorbell's two ends; a pidfd too if one is
// left, and the two capture files with -b), and a process slot for each worker.
std::size_t supervisor::run() {
  std::string error;
  // First, while descriptors are free: reading /proc takes one, and a failure would mean "threads".
  fork_ = single_threaded();
  const bool created = ch_.create(plan_.cycle(), ring_bytes, error);
  if (created && fork_) ch_.release_descriptor();  // only a worker started through exec needs it
  if (!created || ::pipe2(doorbell_, O_NONBLOCK) != 0) {
    unsupervised_ = "cannot supervise the run: " + (error.empty() ? std::string(std::strerror(errno)) : error);
    return 0;
  }
  ::fcntl(doorbell_[0], F_SETFD, FD_CLOEXEC);
  ch_.header().doorbell_fd = doorbell_[1];
  struct stat doorbell {};
  if (::fstat(doorbell_[1], &doorbell) == 0) ch_.header().doorbell_ino = doorbell.st_ino;
  if (opt_.buffer) {
    // The files a worker captures each test's output into: read here when it dies mid-test.
    for (int i = 0; i < 2; ++i) {
      capture_[i] = open_capture_file(error);
      if (capture_[i] < 0) {
        unsupervised_ = "cannot supervise the run: -b: " + error;
        return 0;
      }
      ch_.header().capture_fds[i] = capture_[i];
    }
  }
  sanitizer_fd_ = open_sanitizer_report_file();
  ch_.header().sanitizer_fd = sanitizer_fd_;
  may_time_out_ = opt_.timeout > 0;
  for (const test_info* t : plan_.cycle()) may_time_out_ = may_time_out_ || t->timeout > 0;
  ch_.header().timeouts = may_time_out_ ? 1 : 0;
  // A report kept on disk during the run: a worker shows a result only once it is in the file.
  ch_.header().report_first = opt_.junit_xml.empty() ? 0 : 1;
  gate_.open(false);
  std::size_t position = 0;
  while ((position = skip_failed_groups(position)) < plan_.size()) {
    if (sink_.should_stop()) break;
    const std::size_t end = opt_.isolate ? position + 1 : plan_.size();
    if (!start(position, end)) {
      if (sink_.should_stop()) break;  // Ctrl-C or SIGTERM while waiting for a process slot
      gate_.open(true);
      unsupervised_ = std::string("cannot start a worker process: ") + std::strerror(errno);
      return position;
    }
    watch();
    position = conclude();
  }
  gate_.open(true);
  return plan_.size();
}

bool supervisor::start(std::size_t first, std::size_t end) {
  reap(false);
  ch_.reset(first, end);
  // A rerun of the test at `first` (retry.hpp): the worker numbers its attempt as this process does.
  const test_info* rerun = attempts().rerun();
  ch_.header().first_attempt = rerun && first < end && plan_[first] == rerun ? attempts().rerun_attempt() : 0;
  end_ = end;
  position_ = first;
  phase_ = phase::idle;
  current_ = nullptr;
  done_ = false;
  resume_ = first;
  terminate_.reset();
  killed_ = not_killed;
  buffer_.clear();
  corrupt_ = false;
  status_ = 0;
  drain_fd(doorbell_[0]);
  // Nothing buffered may be written twice (the child would flush its copy too).
  std::fflush(nullptr);
  // Out of process slots (RLIMIT_NPROC, a cgroup's pids.max): wait for one, with a bounded backoff (workers
  // still exiting free theirs), rather than run the tests unsupervised.
  std::int64_t waited_ns = 0;
  for (std::int64_t pause_ns = 1000000; !launch(); pause_ns = std::min<std::int64_t>(pause_ns * 2, 200000000)) {
    if (errno != EAGAIN || waited_ns >= 10000000000LL || sink_.should_stop()) return false;
    reap(false);
    const timespec pause{0, static_cast<long>(pause_ns)};
    ::nanosleep(&pause, nullptr);
    waited_ns += pause_ns;
    errno = EAGAIN;
  }
  pidfd_ = open_pidfd(pid_);
  interrupt_handler::forward_to(pid_);  // Ctrl-C reaches the worker's group through this process
  return true;
}

// Starts one worker, in a process group of its own: a test's kill(0, SIGTERM) must not reach the run, and
// the group is what the supervisor ends (the test's own processes too). False with errno set.
bool supervisor::launch() {
  if (fork_) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::close(doorbell_[0]);
      gate_.open(true);  // the child's copy of the text report writes progress
      detail::run_worker(ch_, opt_, text_, gate_);
    }
    if (pid_ > 0) ::setpgid(pid_, pid_);  // (also here: the group must exist before it is signalled)
    return pid_ > 0;
  }
  std::vector<std::string> args = own_command_line();
  if (args.empty()) {
    errno = EMFILE;  // /proc/self/cmdline could not be read: no descriptor left
    return false;
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "ASSAY_WORKER=", 13) != 0) env_strings.emplace_back(*e);
  // The worker checks all three (worker.cpp): only a worker this process started takes the worker's path.
  char variable[96];
  std::snprintf(variable, sizeof variable, "ASSAY_WORKER=%d:%d:%llx", ch_.fd(), static_cast<int>(::getpid()),
                static_cast<unsigned long long>(ch_.header().token));
  env_strings.emplace_back(variable);
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawnattr_t attr;
  ::posix_spawnattr_init(&attr);
  ::posix_spawnattr_setpgroup(&attr, 0);
  short flags = POSIX_SPAWN_SETPGROUP;
  // SIGPIPE is ignored here (supervise); the tests get what the program had.
  if (detail::pipe_was_default) {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    ::posix_spawnattr_setsigdefault(&attr, &pipe_only);
    flags |= POSIX_SPAWN_SETSIGDEF;
  }
  ::posix_spawnattr_setflags(&attr, flags);
  const int rc = ::posix_spawn(&pid_, "/proc/self/exe", nullptr, &attr, argv.data(), envp.data());
  ::posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    errno = rc;
    pid_ = -1;
  }
  return pid_ > 0;
}

void supervisor::watch() {
  bool exited = false;
  // Once the worker has journaled `done` it only exits: the run goes on meanwhile (it is reaped later).
  while (!exited && !done_) {
    drain();
    if (done_) break;
    // Ctrl-C (-c): the first lets the running test finish, the second stops it at once.
    const int interrupts = interrupt_handler::count();
    if (interrupts != interrupts_) {
      interrupts_ = interrupts;
      ch_.header().stop.store(1);
      if (interrupts >= 2) kill_worker(killed_interrupt);
    }
    // SIGTERM or SIGHUP to the run: as a second Ctrl-C.
    if (termination_handler::signal() != 0) {
      ch_.header().stop.store(1);
      kill_worker(killed_terminate);
    }
    int timeout_ms = -1;
    if (killed_ == not_killed && phase_ != phase::idle && limit_ > 0) {
      const std::int64_t left = since_ns_ + static_cast<std::int64_t>(limit_ * 1e9) - now_ns();
      if (left <= 0) {
        killed_after_ = limit_;
        kill_worker(killed_timeout);
      } else {
        timeout_ms = static_cast<int>((left + 999999) / 1000000);
      }
    }
    // The journal is read on a tick (short when a timeout may start counting), on the doorbell the
    // worker rings every few KiB, and when the worker exits.
    const int tick_ms = may_time_out_ ? 10 : 20;
    if (pidfd_ < 0) timeout_ms = timeout_ms < 0 || timeout_ms > 5 ? 5 : timeout_ms;
    if (timeout_ms < 0 || timeout_ms > tick_ms) timeout_ms = tick_ms;
    // (A signal interrupts the poll: no SA_RESTART.)
    pollfd fds[2] = {{pidfd_, POLLIN, 0}, {doorbell_[0], POLLIN, 0}};
    // Not chasing the worker record by record: the cache lines it is writing would move between the
    // cores for every record. The next doorbell (or tick) brings the next batch.
    if (ch_.readable().size() < ring_bytes / 2) ::poll(fds, 2, timeout_ms);
    drain_fd(doorbell_[0]);
    if (pidfd_ < 0 || (fds[0].revents & POLLIN) || killed_ != not_killed) {
      const pid_t got = reap_worker(pid_, status_, !(pidfd_ < 0 && killed_ == not_killed));
      exited = got == pid_ || (got < 0 && errno == ECHILD);
    }
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  pidfd_ = -1;
  interrupt_handler::forward_to(0);
  if (!exited) exiting_.push_back(pid_);
  pid_ = -1;
  drain();
}

void supervisor::reap(bool wait) {
  for (std::size_t i = 0; i < exiting_.size();) {
    int status = 0;
    if (reap_worker(exiting_[i], status, wait) != 0) {
      exiting_[i] = exiting_.back();
      exiting_.pop_back();
    } else {
      ++i;
    }
  }
}

void supervisor::kill_worker(int why) {
  if (killed_ != not_killed || pid_ <= 0) return;
  killed_ = static_cast<decltype(killed_)>(why);
  ::kill(-pid_, SIGKILL);  // the worker's group: the test's own processes too
  ::kill(pid_, SIGKILL);
}

void supervisor::drain() {
  record r;
  while (!corrupt_) {
    const std::string_view bytes = ch_.readable();
    if (bytes.empty()) return;
    read_at_ns_ = now_ns();
    if (!buffer_.empty() || bytes.size() == ring_bytes) {
      // A record larger than the ring (a huge message): assembled here, the ring freed meanwhile.
      buffer_.append(bytes.data(), bytes.size());
      ch_.consume(bytes.size());
    }
    const std::string_view data = buffer_.empty() ? bytes : std::string_view(buffer_);
    std::size_t used = 0;
    for (bool ok = true;;) {
      const std::size_t n = detail::decode(data.data() + used, data.size() - used, r, ok);
      if (!ok) corrupt_ = true;  // not expected to happen; the worker's end is still reported
      if (n == 0) break;
      used += n;
      handle(r);
    }
    if (buffer_.empty()) {
      // Reported (the report written) before the worker may show it: set_handled wakes it if it waits.
      ch_.set_handled(ch_.header().tail.load(std::memory_order_relaxed) + used);
      ch_.consume(used);
      return;
    }
    buffer_.erase(0, used);
    ch_.set_handled(ch_.header().tail.load(std::memory_order_relaxed) - buffer_.size());
    if (used == 0 || buffer_.empty()) return;
  }
}

// The worker has reached plan position `position` (its fixtures or its test).
void supervisor::reached(std::size_t position) {
  position_ = position;
  if (position_ < plan_.size()) {
    if (plan_[position_]->cls != failed_class_) failed_class_ = nullptr;
    if (plan_[position_]->module != failed_module_) failed_module_ = nullptr;
  }
}

void supervisor::handle(const record& r) {
  switch (r.type) {
    case record_type::begin:
      reached(r.position);
      phase_ = phase::idle;
      current_ = nullptr;
      return;
    case record_type::fixture:
      reached(r.position);
      phase_ = phase::fixture;
      current_ = r.event.test;
      since_ns_ = r.time_ns;
      limit_ = opt_.timeout;
      return;
    case record_type::terminate: terminate_ = r.event; return;
    case record_type::passed:
      // A test that passed, in one record: the three events an in-process run gives, told at once.
      if (r.event.test) sink_.on_passed(*r.event.test, r.event.seconds);
      phase_ = phase::idle;
      position_ = r.position + 1;
      return;
    case record_type::done:
      done_ = true;
      resume_ = r.position;
      return;
    case record_type::output: gate_.write_through(r.event.message.data(), r.event.message.size()); return;
    case record_type::event: break;
  }
  const test_event& e = r.event;
  if (e.kind == event_kind::start_test) {
    reached(r.position);
    phase_ = phase::test;
    current_ = e.test;
    // Timed by the worker when a timeout applies; otherwise when this batch of records was read (only a
    // crashed test's duration needs it).
    since_ns_ = r.time_ns ? r.time_ns : read_at_ns_;
    limit_ = e.test && e.test->timeout > 0 ? e.test->timeout : opt_.timeout;
  } else if (e.kind == event_kind::stop_test) {
    phase_ = phase::idle;
    position_ = r.position + 1;  // where the worker goes next
  } else if (e.kind == event_kind::outcome) {
    // A class or module whose setUp failed runs none of its tests (a worker started later must not either).
    if (is_fixture(e.test, test_info::class_fixture, "setUpClass")) failed_class_ = e.test->cls;
    if (is_fixture(e.test, test_info::module_fixture, "setUpModule")) failed_module_ = e.test->module;
  }
  sink_.on_event(e);
}

std::size_t supervisor::skip_failed_groups(std::size_t position) const {
  while (position < plan_.size() && ((failed_class_ && plan_[position]->cls == failed_class_) ||
                                     (failed_module_ && plan_[position]->module == failed_module_)))
    ++position;
  return position;
}

// The worker has exited: if it did not finish its plan, report what it was running and resume after it.
std::size_t supervisor::conclude() {
  gate_.open(true);
  // A worker that died left its last progress in the journal: it comes before the report of its death.
  if (const std::uint32_t left = ch_.header().progress_size.load(std::memory_order_acquire); left > 0) {
    gate_.write_through(ch_.header().progress, std::min<std::size_t>(left, sizeof ch_.header().progress));
    ch_.header().progress_size.store(0, std::memory_order_relaxed);
  }
  // What a sanitizer reported on the worker's way out is a result: attached to its death, or (a worker that
  // ended normally: a recoverable finding) an ERROR of its own naming the tests the worker ran.
  const std::string findings = take_sanitizer_report(sanitizer_fd_);
  const std::string sanitizer = sanitizer_of(findings);
  if (done_) {
    if (!findings.empty()) {
      const std::size_t first = ch_.header().first;
      const std::size_t last = resume_ > first ? resume_ - 1 : first;
      if (sanitizer.empty()) {
        gate_.write_through(findings.data(), findings.size());  // not a finding: shown, as it would have been
      } else if (last < plan_.size()) {
        report_sanitizer_finding(sink_, *plan_[last], describe_tests_ran(*plan_[first], *plan_[last], last - first + 1),
                                 sanitizer, findings);
      }
    }
    gate_.open(false);
    return resume_;
  }
  record last;
  if (ch_.last_words(last)) terminate_ = last.event;
  // Where the worker was: a passing test's start is journaled only with its end, so the word `running`
  // says whether a test was under way.
  const std::uint32_t running = ch_.header().running.load(std::memory_order_relaxed);
  enum { in_fixture, in_test, in_unjournaled_test, between_tests } at = between_tests;
  if (running != 0 && !(phase_ == phase::test && position_ == running - 1)) at = in_unjournaled_test;
  else if (running != 0 || phase_ == phase::test) at = in_test;
  else if (phase_ == phase::fixture) at = in_fixture;
  std::string type = "Crash", reason;
  const test_event* where = nullptr;
  const std::string during = at == in_fixture && current_ ? current_->method : std::string("the test");
  if (killed_ == killed_timeout) {
    type = "Timeout";
    reason = describe_timeout(killed_after_);
  } else if (killed_ == killed_interrupt) {
    type = "KeyboardInterrupt";
    reason = "stopped by a second Ctrl-C";
  } else if (killed_ == killed_terminate || termination_handler::signal() != 0) {
    type = "Terminated";
    const char* abbrev = ::sigabbrev_np(termination_handler::signal());
    reason = std::string("the run received SIG") + (abbrev ? abbrev : "TERM");
  } else if (terminate_) {
    reason = "std::terminate called";
    if (!terminate_->type.empty()) reason += ": " + terminate_->type;
    if (!terminate_->message.empty()) reason += ": " + terminate_->message;
    if (!terminate_->file.empty()) where = &*terminate_;
  } else {
    reason = describe_worker_end(status_, during);
  }
  if (!findings.empty()) {
    if (!sanitizer.empty()) type = sanitizer;
    reason += "\n\n" + findings;
    while (reason.back() == '\n') reason.pop_back();
  }
  std::size_t resume = position_ + 1;
  switch (at) {
    case in_test:
      if (current_) report(*current_, start_none, type, reason, where);
      break;
    case in_unjournaled_test:
      // The worker wrote the test's start to the report itself; the results still need the event.
      report(*plan_[running - 1], start_muted, type, reason, where);
      resume = running;
      break;
    case in_fixture:
      resume = position_;  // the fixture ran before the test at position_ (or, at the end, after the last)
      if (current_) {
        report(*current_, start_none, type, reason, where);
        if (is_fixture(current_, test_info::class_fixture, "setUpClass")) failed_class_ = current_->cls;
        if (is_fixture(current_, test_info::module_fixture, "setUpModule")) failed_module_ = current_->module;
      }
      break;
    case between_tests:
      // A thread a test left behind, or the worker could not start: blame the next test, so that the run
      // moves on. Killed there on purpose (Ctrl-C), nothing ran and nothing is blamed.
      if (position_ < end_ && killed_ == not_killed) report(*plan_[position_], start_shown, type, reason, where);
      break;
  }
  // A crash retried counts as an attempt: a test that died with attempts left runs next, in a new worker.
  if (at != in_fixture && resume > 0 && resume - 1 < plan_.size() && attempts().rerun() == plan_[resume - 1])
    --resume;
  gate_.open(false);
  return resume > end_ ? end_ : resume;
}

// Emits the events of `t` dying: its start if the results have not had it, an error outcome (with the
// output -b captured) and, for a test, its stop.
void supervisor::report(const test_info& t, start_event start_mode, const std::string& type,
                        const std::string& reason, const test_event* where) {
  const bool is_test = t.kind == test_info::test;
  const bool whole_test = start_mode != start_none;
  if (whole_test) {
    test_event start;
    start.kind = event_kind::start_test;
    start.test = &t;
    gate_.open(start_mode == start_shown);
    sink_.on_event(start);
    gate_.open(true);
    since_ns_ = start_mode == start_muted && read_at_ns_ ? read_at_ns_ : now_ns();
  }
  test_event e;
  e.kind = event_kind::outcome;
  e.test = &t;
  e.result = outcome::error;
  e.type = type;
  e.message = reason;
  if (where) {
    e.file = where->file;
    e.line = where->line;
    e.frames = where->frames;
  } else {
    e.file = t.file;
    e.line = is_test ? t.line : 0;
  }
  // The worker names the function that threw when it knows the stack.
  e.function = where && !where->function.empty() ? where->function : t.method;
  // A test's output was being captured (-b) when it died; a fixture's goes to the real streams.
  const bool captured = is_test && start_mode != start_shown && capture_[0] >= 0;
  if (captured) {
    e.out = read_captured(capture_[0]);
    e.err = read_captured(capture_[1]);
  }
  sink_.on_event(e);
  if (!is_test) return;
  if (captured) echo_captured(e.out, e.err);
  test_event stop;
  stop.kind = event_kind::stop_test;
  stop.test = &t;
  stop.seconds = static_cast<double>(now_ns() - since_ns_) / 1e9;
  sink_.on_event(stop);
}

}  // namespace

output_gate::output_gate(std::FILE* target, bool batch) : target_(target), written_ns_(coarse_now_ns()) {
  fd_ = ::fileno(target_);
  live_ = !batch || fd_ < 0 || ::isatty(fd_);
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0) {
    known_ = true;
    dev_ = st.st_dev;
    ino_ = st.st_ino;
    pipe_ = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
  }
  if (!live_) {
    capacity_ = 16384;
    own_ = std::make_unique<char[]>(capacity_);
    area_ = own_.get();
    size_ = &own_size_;
  }
  cookie_io_functions_t io{};
  io.write = gate_write;
  stream_ = ::fopencookie(this, "w", io);
  if (!stream_) stream_ = target_;
  else ::__fsetlocking(stream_, FSETLOCKING_BYCALLER);  // only the run's thread writes the report
}

output_gate::~output_gate() {
  if (stream_ && stream_ != target_) {
    open_ = true;
    std::fclose(stream_);
  }
  flush_pending();
}

// The descriptor is still the report's file: a test may have closed it, and its number may since name a
// file of the test's.
bool output_gate::descriptor_is_target() const {
  if (!known_) return fd_ >= 0;
  struct stat st {};
  return ::fstat(fd_, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_;
}

// The report's descriptor was lost: from now on the relay takes the bytes, or a new duplicate of a standard
// descriptor that is still the report's file (stderr, usually). False when neither is left.
bool output_gate::recover() {
  if (relay_) {
    relaying_ = true;
    return true;
  }
  fd_ = -1;
  if (!known_) return false;
  for (int candidate : {2, 1}) {
    struct stat st {};
    if (::fstat(candidate, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) {
      fd_ = ::fcntl(candidate, F_DUPFD_CLOEXEC, 3);
      return fd_ >= 0;
    }
  }
  return false;
}

void output_gate::put(const char* data, std::size_t size) {
  if (size == 0 || gone_) return;
  if (!relaying_) {
    // What went to the target's own buffer comes first.
    if (::__fpending(target_) > 0 && descriptor_is_target()) std::fflush(target_);
    if (!descriptor_is_target() && !recover()) return;
  }
  if (relaying_) {
    relay_(relay_context_, data, size);
    return;
  }
  const int error = write_fully(fd_, data, size, pipe_);
  if (error == EBADF && recover()) {
    put(data, size);
  } else if (error != 0) {
    gone_ = true;  // EPIPE: nobody reads the report any more; the tests and the JUnit report go on
  }
}

void output_gate::relay_to(void (*relay)(void*, const char*, std::size_t), void* context) {
  relay_ = relay;
  relay_context_ = context;
}

std::size_t output_gate::accept(const char* data, std::size_t size) {
  if (!open_ || size == 0) return size;
  if (live_) {
    if (barrier_) barrier_(barrier_context_);
    put(data, size);
    return size;
  }
  std::uint32_t held = size_->load(std::memory_order_relaxed);
  if (held + size > capacity_) {
    flush_pending();
    held = 0;
  }
  if (size > capacity_) {
    if (barrier_) barrier_(barrier_context_);
    put(data, size);
    written_ns_ = coarse_now_ns();
    return size;
  }
  std::memcpy(area_ + held, data, size);
  size_->store(held + static_cast<std::uint32_t>(size), std::memory_order_release);
  if (coarse_now_ns() - written_ns_ >= batch_ns) flush_pending();
  return size;
}

void output_gate::flush_pending() {
  if (live_) return;
  const std::uint32_t held = size_->load(std::memory_order_acquire);
  if (held == 0) return;
  if (barrier_) barrier_(barrier_context_);
  put(area_, held);
  size_->store(0, std::memory_order_release);
  written_ns_ = coarse_now_ns();
}

void output_gate::share(char* area, std::size_t capacity, std::atomic<std::uint32_t>* size) {
  if (live_) return;
  flush_pending();
  area_ = area;
  capacity_ = capacity;
  size_ = size;
  size_->store(0, std::memory_order_release);
}

void output_gate::write_through(const char* data, std::size_t size) {
  flush_pending();
  put(data, size);
}

void output_gate::open(bool is_open) {
  std::fflush(stream_);
  flush_pending();
  if (::__fpending(target_) > 0 && descriptor_is_target()) std::fflush(target_);
  open_ = is_open;
}

void await_exiting_workers() {
  for (pid_t pid : exiting_) {
    int status = 0;
    reap_worker(pid, status, true);
  }
  exiting_.clear();
}

std::size_t supervise(const run_plan& plan, const options& opt, result& sink,
                      text_result& text, output_gate& gate, std::string& unsupervised) {
  // Workers must be waited for (a program that ignores SIGCHLD would have them reaped unseen).
  struct sigaction child_default {}, previous {};
  child_default.sa_handler = SIG_DFL;
  ::sigaction(SIGCHLD, &child_default, &previous);
  // A report stream nobody reads must not end the run: the supervisor runs no test, so SIGPIPE is ignored
  // here (write errors say EPIPE instead); workers restore what the program had.
  struct sigaction pipe_ignore {}, previous_pipe {};
  pipe_ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &pipe_ignore, &previous_pipe);
  detail::pipe_was_default = previous_pipe.sa_handler == SIG_DFL;
  detail::previous_pipe = previous_pipe;
  std::size_t done = 0;
  {
    supervisor s(plan, opt, sink, text, gate, unsupervised);
    done = s.run();
  }
  ::sigaction(SIGPIPE, &previous_pipe, nullptr);
  ::sigaction(SIGCHLD, &previous, nullptr);
  return done;
}

bool debugger_attached() {
  char text[4096];
  if (!read_proc_self("/proc/self/status", text, sizeof text)) return false;
  const char* tracer = std::strstr(text, "\nTracerPid:");
  return tracer && std::atoi(tracer + 11) != 0;
}

std::string describe_worker_end(int wait_status, const std::string& during) {
  char text[160];
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    const char* abbrev = ::sigabbrev_np(sig);
    const char* description = ::sigdescr_np(sig);
    if (abbrev) {
      std::snprintf(text, sizeof text, "killed by signal SIG%s (%s)", abbrev, description ? description : "?");
    } else {
      std::snprintf(text, sizeof text, "killed by signal %d", sig);
    }
    return text;
  }
  if (WIFEXITED(wait_status)) {
    std::snprintf(text, sizeof text, "exited with status %d during %s", WEXITSTATUS(wait_status), during.c_str());
    return text;
  }
  return "ended during " + during;
}

std::string describe_timeout(double seconds) {
  // As Python prints a float of this size: the fewest decimals (at least one) that read back the same.
  char text[64];
  for (int decimals = 1; decimals <= 17; ++decimals) {
    std::snprintf(text, sizeof text, "%.*f", decimals, seconds);
    if (std::strtod(text, nullptr) == seconds) break;
  }
  return "timed out after " + std::string(text) + "s";
}

}  // namespace assay
