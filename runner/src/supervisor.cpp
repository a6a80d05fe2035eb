// The supervisor: starts workers, replays their journal into the run's results, and turns a worker's
// death (a signal, exit, std::terminate, a timeout) into an ERROR for what it was running.
#include <assay/supervisor.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio_ext.h>
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
#include <assay/signals.hpp>
#include <assay/text_result.hpp>

extern char** environ;

namespace assay {

namespace {

using detail::channel;
using detail::record;
using detail::record_type;

constexpr std::size_t ring_bytes = 256 * 1024;

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

void write_all(std::FILE* target, const char* data, std::size_t size) {
  if (size == 0) return;
  std::fflush(target);  // what went to the target's own buffer comes first
  const int fd = ::fileno(target);
  if (fd < 0) {
    std::fwrite(data, 1, size, target);
    std::fflush(target);
    return;
  }
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

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
  supervisor(const std::vector<const test_info*>& plan, const options& opt, result& sink, text_result& text,
             output_gate& gate)
      : plan_(plan), opt_(opt), sink_(sink), text_(text), gate_(gate) {}
  ~supervisor();
  std::size_t run();

 private:
  bool start(std::size_t first, std::size_t end);
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

  const std::vector<const test_info*>& plan_;
  const options& opt_;
  result& sink_;
  text_result& text_;
  output_gate& gate_;
  channel ch_;
  int doorbell_[2] = {-1, -1};
  int capture_[2] = {-1, -1};
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
  enum { not_killed, killed_timeout, killed_interrupt } killed_ = not_killed;
  double killed_after_ = 0;
  int interrupts_ = 0;

  const class_info* failed_class_ = nullptr;
  const module_info* failed_module_ = nullptr;
};

supervisor::~supervisor() {
  reap(false);
  for (int fd : {doorbell_[0], doorbell_[1], capture_[0], capture_[1]})
    if (fd >= 0) ::close(fd);
}

std::size_t supervisor::run() {
  std::string error;
  if (!ch_.create(plan_, ring_bytes, error) || ::pipe2(doorbell_, O_NONBLOCK) != 0) {
    std::fprintf(stderr, "assay: cannot supervise the run (%s); running the tests in-process\n",
                 error.empty() ? std::strerror(errno) : error.c_str());
    return 0;
  }
  ::fcntl(doorbell_[0], F_SETFD, FD_CLOEXEC);
  ch_.header().doorbell_fd = doorbell_[1];
  if (opt_.buffer) {
    // The files a worker captures each test's output into: read here when it dies mid-test.
    for (int i = 0; i < 2; ++i) {
      std::FILE* f = std::tmpfile();
      capture_[i] = f ? ::dup(::fileno(f)) : -1;
      if (f) std::fclose(f);
      ch_.header().capture_fds[i] = capture_[i];
    }
  }
  fork_ = single_threaded();
  may_time_out_ = opt_.timeout > 0;
  for (const test_info* t : plan_) may_time_out_ = may_time_out_ || t->timeout > 0;
  ch_.header().timeouts = may_time_out_ ? 1 : 0;
  gate_.open(false);
  std::size_t position = 0;
  while ((position = skip_failed_groups(position)) < plan_.size()) {
    if (sink_.should_stop()) break;
    const std::size_t end = opt_.isolate ? position + 1 : plan_.size();
    if (!start(position, end)) {
      gate_.open(true);
      std::fprintf(stderr, "assay: cannot start a worker process (%s); running the remaining tests in-process\n",
                   std::strerror(errno));
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
  if (fork_) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ch_.fd());
      ::close(doorbell_[0]);
      gate_.open(true);  // the child's copy of the text report writes progress
      detail::run_worker(ch_, opt_, text_, gate_);
    }
  } else {
    std::vector<std::string> args = own_command_line();
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "ASSAY_WORKER=", 13) != 0) env_strings.emplace_back(*e);
    env_strings.push_back("ASSAY_WORKER=" + std::to_string(ch_.fd()));
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, "/proc/self/exe", nullptr, nullptr, argv.data(), envp.data());
    if (rc != 0) {
      errno = rc;
      pid_ = -1;
    }
  }
  if (pid_ < 0) return false;
  pidfd_ = open_pidfd(pid_);
  return true;
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
    pollfd fds[3] = {{pidfd_, POLLIN, 0}, {doorbell_[0], POLLIN, 0}, {interrupt_handler::wake_fd(), POLLIN, 0}};
    // Not chasing the worker record by record: the cache lines it is writing would move between the
    // cores for every record. The next doorbell (or tick) brings the next batch.
    if (ch_.readable().size() < ring_bytes / 2) ::poll(fds, 3, timeout_ms);
    drain_fd(doorbell_[0]);
    drain_fd(interrupt_handler::wake_fd());
    if (pidfd_ < 0 || (fds[0].revents & POLLIN) || killed_ != not_killed) {
      const pid_t got = ::waitpid(pid_, &status_, pidfd_ < 0 && killed_ == not_killed ? WNOHANG : 0);
      exited = got == pid_ || (got < 0 && errno == ECHILD);
    }
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  pidfd_ = -1;
  if (!exited) exiting_.push_back(pid_);
  pid_ = -1;
  drain();
}

void supervisor::reap(bool wait) {
  for (std::size_t i = 0; i < exiting_.size();) {
    int status = 0;
    if (::waitpid(exiting_[i], &status, wait ? 0 : WNOHANG) != 0) {
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
      ch_.consume(used);
      return;
    }
    buffer_.erase(0, used);
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
  if (done_) {
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
  } else if (terminate_) {
    reason = "std::terminate called";
    if (!terminate_->type.empty()) reason += ": " + terminate_->type;
    if (!terminate_->message.empty()) reason += ": " + terminate_->message;
    if (!terminate_->file.empty()) where = &*terminate_;
  } else {
    reason = describe_worker_end(status_, during);
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
  const int fd = ::fileno(target_);
  live_ = !batch || fd < 0 || ::isatty(fd);
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

std::size_t output_gate::accept(const char* data, std::size_t size) {
  if (!open_ || size == 0) return size;
  if (live_) {
    write_all(target_, data, size);
    return size;
  }
  std::uint32_t held = size_->load(std::memory_order_relaxed);
  if (held + size > capacity_) {
    flush_pending();
    held = 0;
  }
  if (size > capacity_) {
    write_all(target_, data, size);
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
  write_all(target_, area_, held);
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
  write_all(target_, data, size);
}

void output_gate::open(bool is_open) {
  std::fflush(stream_);
  flush_pending();
  std::fflush(target_);
  open_ = is_open;
}

void await_exiting_workers() {
  for (pid_t pid : exiting_) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  exiting_.clear();
}

std::size_t supervise(const std::vector<const test_info*>& plan, const options& opt, result& sink,
                      text_result& text, output_gate& gate) {
  // Workers must be waited for (a program that ignores SIGCHLD would have them reaped unseen).
  struct sigaction child_default {}, previous {};
  child_default.sa_handler = SIG_DFL;
  ::sigaction(SIGCHLD, &child_default, &previous);
  std::size_t done = 0;
  {
    supervisor s(plan, opt, sink, text, gate);
    done = s.run();
  }
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
