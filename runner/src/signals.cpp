// Signals during a run: Ctrl-C for -c (a counter, passed on to the worker's group) and SIGTERM/SIGHUP.
#include <assay/signals.hpp>

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <assay/junit_result.hpp>

namespace assay {

namespace {

// (Atomics: a program with threads takes a SIGINT on any thread that does not block it, meanwhile.)
std::atomic<int> interrupts{0};
volatile std::sig_atomic_t counting = 0;  // -c: SIGINTs are counted; otherwise the first one ends the run
volatile std::sig_atomic_t fatal_second = 0;
// The workers' process groups (-j N: one per worker slot); `groups_used` slots are in use. A slot's
// `ready` word, if any, says whether its worker can take a SIGINT yet; `passed_on`, how many of the
// run's SIGINTs its worker has been given.
constexpr std::size_t max_groups = 1024;
std::atomic<pid_t> groups[max_groups] = {};
std::atomic<std::atomic<std::uint32_t>*> ready[max_groups] = {};
std::atomic<int> passed_on[max_groups] = {};
std::atomic<int> groups_used{0};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<std::atomic<std::uint32_t>*>::is_always_lock_free);
// The process that installed the handlers (a forked child runs them too, until it execs).
volatile std::sig_atomic_t owner = 0;
volatile std::sig_atomic_t terminated = 0;
struct sigaction previous_int {};
bool int_installed = false;

const int termination_signals[] = {SIGTERM, SIGHUP};
struct sigaction previous_term[2] {};
bool term_installed[2] = {false, false};
volatile std::sig_atomic_t term_fatal = 0;

// Gives the worker of `slot` the run's first `n` SIGINTs, unless it has them: from the handler, or from
// the supervisor's loop when the handler could not (the worker's group was not known yet).
void pass_on(std::size_t slot, int n) noexcept {
  const pid_t group = groups[slot].load();
  if (group <= 0) return;
  int given = passed_on[slot].load();
  do {
    if (given >= n) return;
  } while (!passed_on[slot].compare_exchange_weak(given, n));
  // A worker still starting takes it once ready (take_held_sigint): exactly one of the two sends it.
  std::atomic<std::uint32_t>* word = ready[slot].load();
  if (word && !(word->fetch_or(detail::sigint_held) & detail::sigint_ready)) return;
  ::kill(-group, SIGINT);
}

// Returns at once; a supervisor's poll (no SA_RESTART) wakes with EINTR, or at its next tick.
void on_sigint(int sig) {
  const int saved_errno = errno;
  if (detail::default_action_outside(owner, sig)) return;
  // Counted first: a worker whose group this misses gets it from the supervisor's loop (catch_up).
  const int n = interrupts.fetch_add(1) + 1;
  for (int i = 0; i < groups_used.load(); ++i) pass_on(static_cast<std::size_t>(i), n);
  if (!counting) {
    // No -c: the run ends of Ctrl-C, as it would have with the worker in the terminal's foreground group.
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
  if (n >= 2 && fatal_second) {
    // In-process: nothing can stop the running test, so end as an uncaught KeyboardInterrupt would, with
    // the JUnit report on disk holding every finished test and the running one.
    junit_result::flush_all();
    ::signal(SIGINT, SIG_DFL);
    ::raise(SIGINT);
  }
  errno = saved_errno;
}

void on_termination(int sig) {
  const int saved_errno = errno;
  if (detail::default_action_outside(owner, sig)) return;
  if (!terminated) terminated = sig;
  if (term_fatal) {
    junit_result::flush_all();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
  errno = saved_errno;
}

// Installs `handler` for `sig`; not where the program's caller ignores the signal, unless `even_ignored`.
bool install(int sig, void (*handler)(int), struct sigaction& previous, bool even_ignored = false) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a supervisor's poll must return at once
  if (::sigaction(sig, nullptr, &previous) != 0 || (previous.sa_handler == SIG_IGN && !even_ignored)) return false;
  return ::sigaction(sig, &action, nullptr) == 0;
}

}  // namespace

interrupt_handler::interrupt_handler(bool catch_break, bool second_is_fatal, bool supervised) {
  interrupts.store(0);
  if (!(catch_break || supervised) || int_installed) return;
  counting = catch_break;
  fatal_second = second_is_fatal;
  owner = ::getpid();
  // -c counts Ctrl-C whatever the caller did with SIGINT (as unittest's handler does); passing it on
  // alone respects a caller that ignores it (a background job).
  int_installed = install(SIGINT, on_sigint, previous_int, catch_break);
}

interrupt_handler::~interrupt_handler() {
  if (!int_installed) return;
  ::sigaction(SIGINT, &previous_int, nullptr);
  for (std::size_t i = 0; i < max_groups; ++i) {
    groups[i].store(0);
    ready[i].store(nullptr);
  }
  groups_used.store(0);
  int_installed = false;
}

int interrupt_handler::count() noexcept { return interrupts.load(); }

void interrupt_handler::forward_to(pid_t worker_group, std::size_t slot, std::atomic<std::uint32_t>* word) noexcept {
  if (slot >= max_groups) return;
  // The group last: a handler that sees it sees the rest. A new worker has had no SIGINT: one the run had
  // already is one that arrived while it was being started (no worker starts after Ctrl-C).
  groups[slot].store(0);
  ready[slot].store(worker_group > 0 ? word : nullptr);
  passed_on[slot].store(0);
  groups[slot].store(worker_group);
  if (worker_group > 0 && static_cast<int>(slot) >= groups_used.load()) groups_used.store(static_cast<int>(slot + 1));
}

void interrupt_handler::catch_up() noexcept {
  const int n = interrupts.load();
  if (n == 0) return;
  for (int i = 0; i < groups_used.load(); ++i) pass_on(static_cast<std::size_t>(i), n);
}

termination_handler::termination_handler(bool supervised) {
  terminated = 0;
  term_fatal = !supervised;
  owner = ::getpid();
  for (int i = 0; i < 2; ++i)
    if (!term_installed[i]) term_installed[i] = install(termination_signals[i], on_termination, previous_term[i]);
}

termination_handler::~termination_handler() {
  for (int i = 0; i < 2; ++i) {
    if (term_installed[i]) ::sigaction(termination_signals[i], &previous_term[i], nullptr);
    term_installed[i] = false;
  }
}

int termination_handler::signal() noexcept { return terminated; }

void termination_handler::restore() noexcept {
  for (int i = 0; i < 2; ++i)
    if (term_installed[i]) ::sigaction(termination_signals[i], &previous_term[i], nullptr);
}

sigint_deferral::sigint_deferral() noexcept {
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  ::pthread_sigmask(SIG_BLOCK, &sigint, &previous_);
  was_blocked_ = sigismember(&previous_, SIGINT) == 1;
}

sigint_deferral::~sigint_deferral() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

namespace detail {

void take_held_sigint(std::atomic<std::uint32_t>& word, bool keep_blocked) noexcept {
  if (word.fetch_or(sigint_ready) & sigint_held) ::raise(SIGINT);  // (pending while blocked)
  if (keep_blocked) return;
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  ::pthread_sigmask(SIG_UNBLOCK, &sigint, nullptr);
}

bool default_action_outside(pid_t owner, int sig) noexcept {
  if (owner == 0 || ::getpid() == owner) return false;
  const int saved_errno = errno;
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // blocked while its handler runs: delivered, with the default action, once it returns
  errno = saved_errno;
  return true;
}

}  // namespace detail

}  // namespace assay
