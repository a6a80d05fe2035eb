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
#include <deque>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <assay/capture.hpp>
#include <assay/event_codec.hpp>
#include <assay/hang_dump.hpp>
#include <assay/last_run.hpp>
#include <assay/program.hpp>
#include <assay/schedule.hpp>
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

class coordinator;

// One worker slot: its journal, doorbell and capture files, the worker running in it and where that worker
// is in its positions. A serial run has one; -j N has N, driven by the coordinator's event loop.
class supervisor {
 public:
  supervisor(coordinator& run, std::size_t slot);
  ~supervisor();
  supervisor(const supervisor&) = delete;
  supervisor& operator=(const supervisor&) = delete;
  /// The descriptors a worker needs; false with the reason in `error`.
  bool prepare(std::string& error);
  /// Starts a worker on positions [first, end); false with errno set. `may_wait`: out of process slots,
  /// wait (with a bounded backoff) for one.
  bool start(std::size_t first, std::size_t end, bool may_wait);
  bool busy() const { return pid_ > 0; }
  /// Reads the journal, enforces the timeout; adds what the event loop must poll for and shortens
  /// `timeout_ms` to this worker's next deadline. False when the loop must not wait (records are waiting).
  bool before_poll(std::vector<pollfd>& fds, int& timeout_ms);
  /// After the poll (`fds`: this slot's two, or null): true once the worker has ended or finished.
  bool after_poll(const pollfd* fds);
  /// The worker has ended: reports what it was running if it died; the position to resume at.
  std::size_t conclude();
  void stop_worker() {
    if (pid_ > 0) ch_.header().stop.store(1);
  }
  enum kill_reason { not_killed, killed_timeout, killed_interrupt, killed_terminate };
  void kill_worker(kill_reason why);
  std::size_t end() const { return end_; }
  /// Offers the worker the positions it takes next (first == end: none, it ends after the ones it has).
  void offer(std::size_t first, std::size_t end) { ch_.assign(first, end); }
  /// The worker took the positions [first, end) offered (its record `wanting`).
  void took(std::size_t first, std::size_t end);

 private:
  bool launch();
  void drain();
  void handle(const record& r);
  void finish_worker(bool exited);
  // How report() treats a test's start_test: already had, to send quietly (the worker showed it), or to show.
  enum start_event { start_none, start_muted, start_shown };
  void report(const test_info& t, start_event start_mode, const std::string& type, const std::string& reason,
              const test_event* where);
  void reap(bool wait);
  void reached(std::size_t position);
  void emit(const test_event& e);
  void open_gate(bool is_open);
  // What this slot's reports receive (a sanitizer's pseudo-test too): the run's, in this slot's piece.
  struct slot_result : result {
    supervisor* s = nullptr;
    void on_event(const test_event& e) override { s->emit(e); }
    void on_passed(const test_info& t, double seconds) override;
  };
  slot_result events_;

  coordinator& run_;
  const std::size_t slot_;
  const run_plan& plan_;
  const options& opt_;
  output_gate& gate_;
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
  bool exited_ = false;
  std::size_t resume_ = 0;
  std::optional<test_event> terminate_;
  kill_reason killed_ = not_killed;
  double killed_after_ = 0;
  std::string hang_dump_;  // where the threads of a worker killed for a timeout were
};

// A contiguous piece of the plan handed to one worker slot, and (-j N) the events its workers sent, held
// until every earlier piece is reported: the reports see a parallel run in plan order.
struct piece {
  std::size_t first = 0, end = 0;
  bool complete = false;
  // A test that passed is a test and a time (most of a run: kept small); any other event is kept whole.
  struct held {
    const test_info* passed = nullptr;  // on_passed(*passed, seconds), else events_[index]
    double seconds = 0;
    std::size_t index = 0;
  };
  std::vector<held> events;
  std::vector<test_event> full;
};

// The run: one worker slot, or (-j N) N of them in one event loop over their journals, handing out units
// (classes) as workers free up, and replaying their events into the reports in plan order.
class coordinator {
 public:
  coordinator(const run_plan& plan, const options& opt, result& sink, text_result& text, output_gate& gate,
              std::string& unsupervised, void (*while_running)())
      : plan_(plan), opt_(opt), sink_(sink), text_(text), gate_(gate), unsupervised_(unsupervised),
        while_running_(while_running) {}
  ~coordinator();
  std::size_t run();

  const run_plan& plan() const { return plan_; }
  const options& opts() const { return opt_; }
  output_gate& gate() { return gate_; }
  text_result& text() { return text_; }
  bool ordered() const { return ordered_; }
  bool report_first() const { return !opt_.junit_xml.empty(); }
  bool should_stop() const;
  /// An event of `slot`'s current piece.
  void emit(std::size_t slot, const test_event& e);
  void emit_passed(std::size_t slot, const test_info& t, double seconds);
  /// The worker of `slot` took the unit offered to it: offer the next (or nothing).
  void want(std::size_t slot);
  /// `pseudo` (at plan position `position`) failed or crashed: a setUpClass or setUpModule's tests of that
  /// repetition are not started in any worker.
  void fixture_failed(const test_info* pseudo, std::size_t position);
  result& sink() { return sink_; }

 private:
  bool next_unit(std::size_t& first, std::size_t& end);
  void offer_next(std::size_t slot, bool fresh);
  void complete(std::size_t slot);
  void replay();
  void run_parallel();
  // Progress (-j N): each slot's events feed a text report of their own, written out whole lines at a time.
  struct progress {
    std::string text;
    std::FILE* stream = nullptr;
    std::unique_ptr<text_result> report;
  };
  void show(std::size_t slot);

  const run_plan& plan_;
  const options& opt_;
  result& sink_;
  text_result& text_;
  output_gate& gate_;
  std::string& unsupervised_;
  void (*while_running_)();  // called once a worker runs (then null)
  bool ordered_ = false;
  std::vector<std::unique_ptr<supervisor>> slots_;
  std::vector<progress> progress_;
  std::vector<std::size_t> piece_of_;   // the index in pieces_ of each slot's current piece
  // -j N: the pieces offered to each slot's worker ahead, in order, to take as its current one ends: the end
  // of a unit costs the worker no round trip. Short units are offered further ahead (about 2 ms of them, by
  // how long the slot's units took), so that a worker never waits for the supervisor to wake. What a worker
  // that dies leaves untaken, the slot's next worker gets.
  std::vector<std::deque<std::size_t>> pending_;
  std::vector<char> offered_end_;          // the slot's worker was told nothing is left
  std::vector<std::int64_t> took_at_ns_;   // when the slot's worker started its current piece
  std::vector<std::int64_t> unit_ns_;      // how long the slot's units take, smoothed (0: not known yet)
  std::size_t offers_wanted(std::size_t slot) const;
  std::vector<piece> pieces_;           // every piece handed out (ordered runs)
  std::unordered_map<std::size_t, std::size_t> piece_at_;  // pieces_ index by first position, for the replay
  std::size_t add_piece(std::size_t first, std::size_t end, bool complete);
  std::size_t replayed_ = 0;            // the plan positions before this one are reported
  std::vector<std::pair<std::size_t, std::size_t>> units_;  // one repetition's units, in starting order
  std::size_t next_unit_ = 0;           // the next of units_ to hand out, over every repetition
  // --isolate -j N: where each position's class and module start in the cycle. A class's (a module's) other
  // tests start once its first has ended: a failing setUpClass then fails once, as in a serial run.
  std::vector<std::size_t> class_first_, module_first_;
  std::unordered_map<std::size_t, char> ended_;  // pieces (by first position) whose worker has ended
  // Fixtures that failed, with the repetition they failed in (the next repetition runs them again).
  std::vector<std::pair<const void*, std::size_t>> failed_;
  std::size_t skip_failed(std::size_t position) const;
  void loop();
  // The position each slot's worker resumes its piece at, and whether the slot holds an unfinished piece.
  std::vector<std::size_t> resume_;
  std::vector<char> holding_;
  bool whole_plan_ = false;  // serial: one unit, the whole plan
  bool fill(std::size_t slot, bool others_busy);
  std::size_t fallback_ = 0;  // where the run goes on in-process (no worker could start), else the plan's size
  bool stopping_ = false;
  int interrupts_ = 0;
};

supervisor::supervisor(coordinator& run, std::size_t slot)
    : run_(run), slot_(slot), plan_(run.plan()), opt_(run.opts()), gate_(run.gate()) {
  events_.s = this;
}

supervisor::~supervisor() {
  interrupt_handler::forward_to(0, slot_);  // (the journal's word goes with it)
  reap(false);
  for (int fd : {doorbell_[0], doorbell_[1], capture_[0], capture_[1], sanitizer_fd_})
    if (fd >= 0) ::close(fd);
}

void supervisor::open_gate(bool is_open) {
  if (!run_.ordered()) gate_.open(is_open);
}

void supervisor::emit(const test_event& e) { run_.emit(slot_, e); }

void supervisor::slot_result::on_passed(const test_info& t, double seconds) {
  s->run_.emit_passed(s->slot_, t, seconds);
}

// Supervision needs three descriptors (the journal and the doorbell's two ends; a pidfd too if one is
// left, and the two capture files with -b), and a process slot for each worker.
bool supervisor::prepare(std::string& error) {
  // First, while descriptors are free: reading /proc takes one, and a failure would mean "threads".
  fork_ = single_threaded();
  const bool created = ch_.create(plan_.cycle(), ring_bytes, error, !fork_);
  if (created && fork_) ch_.release_descriptor();  // only a worker started through exec needs it
  if (!created || ::pipe2(doorbell_, O_NONBLOCK) != 0) {
    if (error.empty()) error = std::strerror(errno);
    return false;
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
        error = "-b: " + error;
        return false;
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
  ch_.header().report_first = run_.report_first() ? 1 : 0;
  ch_.header().more = run_.ordered() && !opt_.isolate ? 1 : 0;
  ch_.header().quiet = run_.ordered() ? 1 : 0;
  return true;
}

bool supervisor::start(std::size_t first, std::size_t end, bool may_wait) {
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
  exited_ = false;
  resume_ = first;
  terminate_.reset();
  killed_ = not_killed;
  hang_dump_.clear();
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
    if (errno != EAGAIN || !may_wait || waited_ns >= 10000000000LL || run_.should_stop()) return false;
    reap(false);
    const timespec pause{0, static_cast<long>(pause_ns)};
    ::nanosleep(&pause, nullptr);
    waited_ns += pause_ns;
    errno = EAGAIN;
  }
  pidfd_ = open_pidfd(pid_);
  return true;
}

// Starts one worker, in a process group of its own: a test's kill(0, SIGTERM) must not reach the run, and
// the group is what the supervisor ends (the test's own processes too). False with errno set.
bool supervisor::launch() {
  // A Ctrl-C while the worker starts must reach its own handler: not a forked worker's copy of this
  // process's, nor the default of one started through exec (a crash of the next test). SIGINT is blocked
  // here until the run passes it on to the worker's group, and held for the worker until it is ready.
  const sigint_deferral deferred;
  ch_.header().sigint_blocked = deferred.was_blocked() ? 1 : 0;
  ch_.header().sigint.store(0);
  if (fork_) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::close(doorbell_[0]);
      gate_.open(true);  // the child's copy of the text report writes progress
      detail::run_worker(ch_, opt_, run_.text(), gate_);  // (SIGINT still blocked: it unblocks it)
    }
    if (pid_ > 0) ::setpgid(pid_, pid_);  // (also here: the group must exist before it is signalled)
    // Ctrl-C reaches the worker's group through this process.
    if (pid_ > 0) interrupt_handler::forward_to(pid_, slot_, &ch_.header().sigint);
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
  // The program's own mask: threads its static initialisers start, and their children, must not inherit
  // a blocked SIGINT (the held one waits in the journal instead).
  ::posix_spawnattr_setsigmask(&attr, &deferred.previous());
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK;
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
  if (pid_ > 0) interrupt_handler::forward_to(pid_, slot_, &ch_.header().sigint);
  return pid_ > 0;
}

bool supervisor::before_poll(std::vector<pollfd>& fds, int& timeout_ms) {
  drain();
  if (done_) return false;
  if (killed_ == not_killed && phase_ != phase::idle && limit_ > 0) {
    const std::int64_t left = since_ns_ + static_cast<std::int64_t>(limit_ * 1e9) - now_ns();
    if (left <= 0) {
      killed_after_ = limit_;
      kill_worker(killed_timeout);
    } else {
      const int ms = static_cast<int>((left + 999999) / 1000000);
      if (timeout_ms < 0 || ms < timeout_ms) timeout_ms = ms;
    }
  }
  // The journal is read on a tick (short when a timeout may start counting), on the doorbell the
  // worker rings every few KiB, and when the worker exits.
  const int tick_ms = may_time_out_ ? 10 : 20;
  if (pidfd_ < 0 && (timeout_ms < 0 || timeout_ms > 5)) timeout_ms = 5;
  if (timeout_ms < 0 || timeout_ms > tick_ms) timeout_ms = tick_ms;
  fds.push_back({pidfd_, POLLIN, 0});
  fds.push_back({doorbell_[0], POLLIN, 0});
  // Not chasing the worker record by record: the cache lines it is writing would move between the
  // cores for every record. The next doorbell (or tick) brings the next batch.
  return ch_.readable().size() < ring_bytes / 2;
}

bool supervisor::after_poll(const pollfd* fds) {
  if (pid_ <= 0) return false;
  if (!done_) {
    drain_fd(doorbell_[0]);
    if (pidfd_ < 0 || (fds && (fds[0].revents & POLLIN)) || killed_ != not_killed) {
      const pid_t got = reap_worker(pid_, status_, !(pidfd_ < 0 && killed_ == not_killed));
      exited_ = got == pid_ || (got < 0 && errno == ECHILD);
    }
    drain();
  }
  // Once the worker has journaled `done` it only exits: the run goes on meanwhile (it is reaped later).
  if (!exited_ && !done_) return false;
  finish_worker(exited_);
  return true;
}

void supervisor::finish_worker(bool exited) {
  if (pidfd_ >= 0) ::close(pidfd_);
  pidfd_ = -1;
  interrupt_handler::forward_to(0, slot_);
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

void supervisor::kill_worker(kill_reason why) {
  if (killed_ != not_killed || pid_ <= 0) return;
  killed_ = why;
  // A hang explains itself: every thread's stack, taken before the kill (2 s at most).
  if (why == killed_timeout)
    hang_dump_ = dump_hung_worker(pid_, 2.0, phase_ == phase::fixture && current_ ? current_->method : "the test");
  ::kill(-pid_, SIGKILL);  // the worker's group: the test's own processes too
  ::kill(pid_, SIGKILL);
}

void supervisor::took(std::size_t first, std::size_t end) {
  end_ = end;
  position_ = first;
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
void supervisor::reached(std::size_t position) { position_ = position; }

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
      // A test that passed, in one record: the three events an in-process run gives, told at once. The
      // record holds its position only, which must be one of this worker's.
      if (r.position < position_ || r.position >= end_) {
        corrupt_ = true;
        return;
      }
      run_.emit_passed(slot_, *plan_[r.position], r.event.seconds);
      phase_ = phase::idle;
      position_ = r.position + 1;
      return;
    case record_type::done:
      done_ = true;
      resume_ = r.position;
      return;
    case record_type::wanting:
      phase_ = phase::idle;
      current_ = nullptr;
      position_ = r.position;
      run_.want(slot_);
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
    run_.fixture_failed(e.test, r.position);
  }
  emit(e);
}

// The worker has exited: if it did not finish its plan, report what it was running and resume after it.
std::size_t supervisor::conclude() {
  open_gate(true);
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
        report_sanitizer_finding(events_, *plan_[last], describe_tests_ran(*plan_[first], *plan_[last], last - first + 1),
                                 sanitizer, findings);
      }
    }
    open_gate(false);
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
    if (!hang_dump_.empty()) reason += "\n\n" + hang_dump_;
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
        run_.fixture_failed(current_, position_);
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
  open_gate(false);
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
    // Parallel runs show every start themselves (the workers show none).
    open_gate(start_mode == start_shown);
    emit(start);
    open_gate(true);
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
  emit(e);
  if (!is_test) return;
  if (captured) echo_captured(e.out, e.err);
  test_event stop;
  stop.kind = event_kind::stop_test;
  stop.test = &t;
  stop.seconds = static_cast<double>(now_ns() - since_ns_) / 1e9;
  emit(stop);
}

// ---- The run: one slot, or N of them ----

coordinator::~coordinator() {
  slots_.clear();
  for (progress& p : progress_)
    if (p.stream) std::fclose(p.stream);
}

bool coordinator::should_stop() const {
  if (stopping_ || sink_.should_stop()) return true;
  for (const progress& p : progress_)
    if (p.report && p.report->should_stop()) return true;
  return false;
}

void coordinator::emit(std::size_t slot, const test_event& e) {
  if (!ordered_) return sink_.on_event(e);
  piece& p = pieces_[piece_of_[slot]];
  p.events.push_back({nullptr, 0, p.full.size()});
  p.full.push_back(e);
  progress_[slot].report->on_event(e);
  show(slot);
}

void coordinator::emit_passed(std::size_t slot, const test_info& t, double seconds) {
  if (!ordered_) return sink_.on_passed(t, seconds);
  pieces_[piece_of_[slot]].events.push_back({&t, seconds, 0});
  // A dot needs no report of its own (the per-slot report counts nothing the run reads).
  if (opt_.verbosity == 1 && !report_first() && !text_.color() && progress_[slot].text.empty()) {
    gate_.pass(".", 1);
    return;
  }
  if (opt_.verbosity == 0) return;
  progress_[slot].report->on_passed(t, seconds);
  show(slot);
}

// A slot's progress, in whole lines with -v (a test's line is not cut by another's), straight to the report
// (-q and dots, too, as they come). With a JUnit report the replay shows it instead, once the file holds it.
void coordinator::show(std::size_t slot) {
  progress& p = progress_[slot];
  std::fflush(p.stream);
  if (p.text.empty()) return;
  if (report_first()) return p.text.clear();
  const std::size_t cut = opt_.verbosity >= 2 ? p.text.rfind('\n') + 1 : p.text.size();
  if (cut == 0) return;
  gate_.pass(p.text.data(), cut);
  p.text.erase(0, cut);
}

// The next unit to hand out, in starting order over every repetition of the plan (false: none now).
bool coordinator::next_unit(std::size_t& first, std::size_t& end) {
  const std::size_t cycle = plan_.cycle().size();
  if (whole_plan_) {
    if (next_unit_ > 0) return false;
    ++next_unit_;
    first = 0;
    end = plan_.size();
    return true;
  }
  while (!units_.empty() && next_unit_ < units_.size() * static_cast<std::size_t>(opt_.repeat)) {
    const std::size_t repetition_of_unit = next_unit_ / units_.size();
    const auto [a, b] = units_[next_unit_ % units_.size()];
    if (!class_first_.empty()) {
      const std::size_t base = repetition_of_unit * cycle;
      for (std::size_t gate : {class_first_[a], module_first_[a]})
        if (gate != a && !ended_.count(base + gate)) return false;  // for now
    }
    ++next_unit_;
    first = repetition_of_unit * cycle + a;
    end = repetition_of_unit * cycle + b;
    return true;
  }
  return false;
}

void coordinator::want(std::size_t slot) {
  if (pending_[slot].empty()) return;  // (it takes only what was offered)
  complete(slot);  // every event of the piece before came first
  piece_of_[slot] = pending_[slot].front();
  pending_[slot].pop_front();
  slots_[slot]->took(pieces_[piece_of_[slot]].first, pieces_[piece_of_[slot]].end);
  const std::int64_t now = now_ns();
  const std::int64_t took = now - took_at_ns_[slot];
  unit_ns_[slot] = unit_ns_[slot] == 0 ? took : (3 * unit_ns_[slot] + took) / 4;
  took_at_ns_[slot] = now;
  offer_next(slot, false);
}

std::size_t coordinator::offers_wanted(std::size_t slot) const {
  constexpr std::int64_t ahead_ns = 2000000;
  const std::int64_t unit = unit_ns_[slot];
  if (unit <= 0 || unit >= ahead_ns) return 1;
  return static_cast<std::size_t>(std::min<std::int64_t>(ahead_ns / unit, detail::channel_header::max_offers - 1));
}

// Offers the worker of `slot` its next units ahead; `fresh`: a new worker, offered first what the slot's
// last left untaken.
void coordinator::offer_next(std::size_t slot, bool fresh) {
  if (fresh) {
    offered_end_[slot] = 0;
    took_at_ns_[slot] = now_ns();
    for (std::size_t index : pending_[slot]) slots_[slot]->offer(pieces_[index].first, pieces_[index].end);
  }
  while (!offered_end_[slot] && pending_[slot].size() < offers_wanted(slot)) {
    std::size_t first = 0, end = 0;
    if (should_stop() || !next_unit(first, end)) {
      // Nothing left: the worker tears down its fixtures and ends (its events still belong to its piece).
      slots_[slot]->offer(0, 0);
      offered_end_[slot] = 1;
      return;
    }
    const std::size_t unit = first;
    first = skip_failed(first);
    if (first >= end) {
      add_piece(first, end, true);  // a class or module whose set-up failed: nothing to run
      if (!class_first_.empty()) ended_[unit] = 1;
      replay();
      continue;
    }
    pending_[slot].push_back(add_piece(first, end, false));
    slots_[slot]->offer(first, end);
  }
}

std::size_t coordinator::add_piece(std::size_t first, std::size_t end, bool complete) {
  piece_at_[first] = pieces_.size();
  pieces_.push_back(piece{first, end, complete, {}, {}});
  return pieces_.size() - 1;
}

void coordinator::complete(std::size_t slot) {
  pieces_[piece_of_[slot]].complete = true;
  if (!class_first_.empty()) ended_[pieces_[piece_of_[slot]].first] = 1;
  replay();
}

// Feeds the reports every completed piece that follows the reported ones, in plan order.
void coordinator::replay() {
  for (;;) {
    const auto it = piece_at_.find(replayed_);
    if (it == piece_at_.end() || !pieces_[it->second].complete) return;
    piece& p = pieces_[it->second];
    for (const piece::held& h : p.events) {
      if (h.passed) sink_.on_passed(*h.passed, h.seconds);
      else sink_.on_event(p.full[h.index]);
    }
    p.events = {};
    p.full = {};
    replayed_ = p.end;
    piece_at_.erase(it);
  }
}

void coordinator::fixture_failed(const test_info* pseudo, std::size_t position) {
  const std::size_t repetition = plan_.cycle().empty() ? 0 : position / plan_.cycle().size();
  if (is_fixture(pseudo, test_info::class_fixture, "setUpClass")) failed_.emplace_back(pseudo->cls, repetition);
  if (is_fixture(pseudo, test_info::module_fixture, "setUpModule")) failed_.emplace_back(pseudo->module, repetition);
}

std::size_t coordinator::skip_failed(std::size_t position) const {
  const std::size_t cycle = plan_.cycle().size();
  while (position < plan_.size()) {
    const test_info& t = *plan_[position];
    const std::size_t repetition = position / cycle;
    bool failed = false;
    for (const auto& [fixture, in] : failed_)
      failed = failed || (in == repetition && (fixture == t.cls || fixture == t.module));
    if (!failed) return position;
    ++position;
  }
  return position;
}

namespace {
ssize_t progress_write(void* cookie, const char* data, size_t size) {
  static_cast<std::string*>(cookie)->append(data, size);
  return static_cast<ssize_t>(size);
}
}  // namespace

std::size_t coordinator::run() {
  ordered_ = opt_.jobs > 1;
  whole_plan_ = !ordered_ && !opt_.isolate;
  // Longest first only when classes run side by side: a serial run keeps plan order, and so does
  // --isolate -j N, whose gating of a class's later tests on its first expects plan order.
  static const std::vector<double> none;
  const bool by_duration = ordered_ && !opt_.isolate;
  if (!whole_plan_) units_ = order_units(plan_.cycle(), opt_.isolate, by_duration ? known_durations() : none);
  if (ordered_ && opt_.isolate) {
    const auto& cycle = plan_.cycle();
    class_first_.resize(cycle.size());
    module_first_.resize(cycle.size());
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      class_first_[i] = i > 0 && cycle[i]->cls == cycle[i - 1]->cls ? class_first_[i - 1] : i;
      module_first_[i] = i > 0 && cycle[i]->module == cycle[i - 1]->module ? module_first_[i - 1] : i;
    }
  }
  const std::size_t wanted = ordered_ ? static_cast<std::size_t>(opt_.jobs) : 1;
  std::string error, lost;
  for (std::size_t i = 0; i < wanted; ++i) {
    auto slot = std::make_unique<supervisor>(*this, i);
    if (!slot->prepare(error)) {
      lost = error;
      break;
    }
    slots_.push_back(std::move(slot));
  }
  if (slots_.empty()) {
    unsupervised_ = "cannot supervise the run: " + lost;
    return 0;
  }
  if (slots_.size() < wanted) {
    // Descriptors ran out (ulimit -n): fewer workers, said before the tests.
    char text[512];
    const int n = std::snprintf(text, sizeof text, "assay: WARNING: -j %d: only %zu worker%s at once (%s)\n",
                                opt_.jobs, slots_.size(), slots_.size() == 1 ? "" : "s", lost.c_str());
    gate_.write_through(text, static_cast<std::size_t>(std::min<int>(n, sizeof text - 1)));
  }
  piece_of_.assign(slots_.size(), 0);
  pending_.assign(slots_.size(), {});
  offered_end_.assign(slots_.size(), 0);
  took_at_ns_.assign(slots_.size(), 0);
  unit_ns_.assign(slots_.size(), 0);
  resume_.assign(slots_.size(), 0);
  holding_.assign(slots_.size(), 0);
  if (ordered_) {
    progress_.resize(slots_.size());
    for (progress& p : progress_) {
      cookie_io_functions_t io{};
      io.write = progress_write;
      p.stream = ::fopencookie(&p.text, "w", io);
      if (!p.stream) p.stream = std::fopen("/dev/null", "w");
      p.report = std::make_unique<text_result>(p.stream, opt_.verbosity, opt_.failfast, -1);
      p.report->set_color(text_.color());
    }
  }
  // Serial, the worker writes the progress; -j N, the supervisor (or, with a JUnit report, the replay).
  gate_.open(ordered_ && report_first());
  fallback_ = plan_.size();
  loop();
  if (ordered_) {
    // What is left (a run stopped early): every piece, in plan order.
    for (piece& p : pieces_) p.complete = true;
    std::vector<std::size_t> firsts;
    for (const auto& [first, index] : piece_at_) firsts.push_back(first);
    std::sort(firsts.begin(), firsts.end());
    for (std::size_t first : firsts) {
      replayed_ = first;
      replay();
    }
  }
  gate_.open(true);
  if (fallback_ < plan_.size())
    unsupervised_ = std::string("cannot start a worker process: ") + std::strerror(errno);
  return fallback_;
}

// Gives an idle slot work: the rest of its piece, else the next unit. False when a worker could not be
// started; `fallback` is then where the run goes on in-process (no worker runs, and none could start).
bool coordinator::fill(std::size_t slot, bool others_busy) {
  supervisor& s = *slots_[slot];
  for (;;) {
    if (!holding_[slot] && !pending_[slot].empty()) {
      // Offered to a worker that ended without taking it: this slot's next worker starts with it.
      piece_of_[slot] = pending_[slot].front();
      pending_[slot].pop_front();
      resume_[slot] = pieces_[piece_of_[slot]].first;
      holding_[slot] = 1;
    }
    if (!holding_[slot]) {
      std::size_t first = 0, end = 0;
      if (should_stop() || !next_unit(first, end)) return true;
      const std::size_t unit = first;
      first = skip_failed(first);
      if (first >= end) {
        add_piece(first, end, true);
        if (!class_first_.empty()) ended_[unit] = 1;
        replay();
        continue;
      }
      piece_of_[slot] = add_piece(first, end, false);
      resume_[slot] = first;
      holding_[slot] = 1;
    }
    const piece& p = pieces_[piece_of_[slot]];
    const std::size_t from = skip_failed(resume_[slot]);
    if (from >= p.end || should_stop()) {
      holding_[slot] = 0;
      complete(slot);
      if (should_stop()) return true;
      continue;
    }
    const int saved = errno;
    if (s.start(from, p.end, !others_busy)) {
      if (ordered_ && !opt_.isolate) offer_next(slot, true);
      return true;
    }
    if (others_busy && errno == EAGAIN) {
      errno = saved;
      resume_[slot] = from;
      return true;  // tried again once another worker has ended
    }
    if (should_stop()) return true;
    // No worker at all: the rest runs in-process (pieces after it were never handed out, in plan order).
    resume_[slot] = from;
    fallback_ = from;
    const int why = errno;
    holding_[slot] = 0;
    complete(slot);
    errno = why;
    return false;
  }
}

// The event loop: polls every running worker's exit and doorbell, reads their journals, hands out work as
// workers free up, until nothing runs.
void coordinator::loop() {
  std::vector<pollfd> fds;
  std::vector<std::size_t> at(slots_.size());
  for (;;) {
    bool others_busy = false;
    for (auto& s : slots_) others_busy = others_busy || s->busy();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i]->busy()) continue;
      if (!fill(i, others_busy)) return;
      others_busy = others_busy || slots_[i]->busy();
    }
    if (!others_busy) return;
    if (while_running_) std::exchange(while_running_, nullptr)();
    fds.clear();
    int timeout_ms = -1;
    bool wait = true;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      at[i] = fds.size();
      if (slots_[i]->busy()) wait = slots_[i]->before_poll(fds, timeout_ms) && wait;
    }
    // Ctrl-C (-c): the first lets the running tests finish, the second stops them at once.
    interrupt_handler::catch_up();
    const int interrupts = interrupt_handler::count();
    if (interrupts != interrupts_) {
      interrupts_ = interrupts;
      for (auto& s : slots_) {
        s->stop_worker();
        if (interrupts >= 2) s->kill_worker(supervisor::killed_interrupt);
      }
    }
    // SIGTERM or SIGHUP to the run: as a second Ctrl-C.
    if (termination_handler::signal() != 0) {
      for (auto& s : slots_) {
        s->stop_worker();
        s->kill_worker(supervisor::killed_terminate);
      }
    }
    if (!stopping_ && should_stop()) {
      stopping_ = true;  // -f: every worker stops after its test
      for (auto& s : slots_) s->stop_worker();
    }
    // (A signal interrupts the poll: no SA_RESTART.)
    if (wait) ::poll(fds.data(), static_cast<nfds_t>(fds.size()), timeout_ms);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      supervisor& s = *slots_[i];
      if (!s.busy() || !s.after_poll(at[i] < fds.size() ? &fds[at[i]] : nullptr)) continue;
      resume_[i] = s.conclude();
    }
  }
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
  if (!open_) return size;
  return pass(data, size);
}

std::size_t output_gate::pass(const char* data, std::size_t size) {
  if (size == 0) return size;
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

std::size_t supervise(const run_plan& plan, const options& opt, result& sink, text_result& text,
                      output_gate& gate, std::string& unsupervised, void (*while_running)()) {
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
    coordinator c(plan, opt, sink, text, gate, unsupervised, while_running);
    done = c.run();
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
