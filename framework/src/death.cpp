// Death tests: the body runs in a forked child, whose end (exit status or signal) and stderr are checked.
#include <assay/death.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio_ext.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

#include <assay/execution.hpp>
#include <assay/detail/internal.hpp>

extern "C" {
// Sanitizer runtimes, when linked in (weak: a build without them has none).
void __sanitizer_set_report_fd(void* fd) __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));
}

namespace assay::detail {

namespace {

// The child's stderr is kept up to this much (its end, as -b keeps the end of a test's output).
constexpr std::size_t stderr_limit = 64 * 1024;

// The handler std::terminate had before assay's runner installed its own (libstdc++'s verbose one, which
// names the uncaught exception on stderr): the child dies as a program of its own would.
const std::terminate_handler program_terminate = std::get_terminate();

// The child's descriptor for telling its parent how the body ended, when it did not die on its own; only the
// child itself tells (a process the body forks may come back here too).
int status_fd = -1;
pid_t child_pid = 0;

thread_local std::string pending_failure;

void write_all(int fd, const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// `<letter><type>: <what>` on the status pipe: T the body threw, X std::terminate was called.
void tell_exception(char letter) noexcept {
  if (::getpid() != child_pid) return;
  std::string line(1, letter);
  try {
    if (std::current_exception()) {
      test_event e;
      describe_current_exception(e);
      line += e.type.empty() ? std::string("an exception") : e.type;
      if (!e.message.empty()) line += ": " + e.message;
    }
  } catch (...) {
  }
  write_all(status_fd, line.data(), line.size());
}

[[noreturn]] void child_terminate() noexcept {
  tell_exception('X');
  program_terminate();
  std::abort();  // a handler that returned
}

// exit() in the body: the body's own atexit handlers have run (registered after this one); the parent's,
// and the static destructors of the test binary, must not run twice.
void child_exit(int status, void*) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(status);
}

// What a fresh process would have: default dispositions for caught signals (assay's own, a sanitizer's),
// nothing blocked, no core file.
void reset_process_state() noexcept {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) != 0) continue;
    if (current.sa_handler == SIG_IGN || current.sa_handler == SIG_DFL) continue;
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    ::sigaction(sig, &fallback, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const struct rlimit no_core {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
}

[[noreturn]] void run_child(fn_ref body, int err_fd, int status_write, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed test must not leave its death test running
  if (::getppid() != parent) ::_exit(126);
  // A process group of its own: the body's kill(0, …) and a terminal's Ctrl-C do not cross between the test
  // and its child, and what the body leaves behind is killed with the group. Not in the terminal's
  // foreground, it must not be stopped for writing to it (a read fails with EIO instead), as a worker.
  ::setpgid(0, 0);
  ::dup2(err_fd, 2);
  ::close(err_fd);
  status_fd = status_write;
  child_pid = ::getpid();
  reset_process_state();
  ::signal(SIGTTOU, SIG_IGN);
  ::signal(SIGTTIN, SIG_IGN);
  // Sanitizer reports belong to the child's stderr, not to the supervisor's channel, and a sanitizer's death
  // is the child's own.
  if (&__sanitizer_set_report_fd != nullptr) __sanitizer_set_report_fd(reinterpret_cast<void*>(std::intptr_t{2}));
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(nullptr);
  std::set_terminate(child_terminate);
  // Output the parent had buffered is the parent's: it must not come out a second time at the child's exit.
  __fpurge(stdout);
  __fpurge(stderr);
  ::on_exit(child_exit, nullptr);
  try {
    body();
  } catch (...) {
    // Uncaught in a program of its own: std::terminate, with the exception named on stderr.
    tell_exception('T');
    std::set_terminate(program_terminate);
    std::terminate();
  }
  std::cout.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  if (::getpid() == child_pid) write_all(status_fd, "R", 1);
  ::_exit(0);
}

int thread_count() {
  DIR* dir = ::opendir("/proc/self/task");
  if (!dir) return 1;  // no /proc: nothing to tell
  int n = 0;
  while (const dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') ++n;
  ::closedir(dir);
  return n;
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  if (!abbrev) return "signal " + std::to_string(sig);
  const char* description = ::sigdescr_np(sig);
  return std::string("signal SIG") + abbrev + " (" + (description ? description : "?") + ")";
}

std::string seconds_text(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", s);
  return text;
}

// Reads what the child writes to stderr, keeping the last `stderr_limit` bytes, until it ends or the
// deadline passes (then it is killed). Returns the wait status; `timed_out` when it was killed.
int await_child(pid_t pid, int err_fd, double timeout, std::string& err, std::size_t& dropped, bool& timed_out) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout));
  bool open = true;
  char buffer[8192];
  auto keep = [&](const char* data, std::size_t n) {
    err.append(data, n);
    if (err.size() > stderr_limit) {
      dropped += err.size() - stderr_limit;
      err.erase(0, err.size() - stderr_limit);
    }
  };
  // The child's end wakes the wait at once through a pidfd (Linux 5.3); without one, it is polled.
#ifdef SYS_pidfd_open
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  const int pidfd = -1;
#endif
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0) {
      ::kill(-pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      timed_out = true;
      break;
    }
    pollfd p[2] = {{open ? err_fd : -1, POLLIN, 0}, {pidfd, POLLIN, 0}};
    // Without a pidfd, a closed pipe with the child still there (it closed stderr, or is exiting) is polled.
    const long most = pidfd >= 0 ? left : open ? 100 : 2;
    if (::poll(p, 2, static_cast<int>(left < most ? left : most)) <= 0 || !(p[0].revents & (POLLIN | POLLHUP))) continue;
    const ssize_t n = ::read(err_fd, buffer, sizeof buffer);
    if (n > 0) keep(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) open = false;
  }
  if (pidfd >= 0) ::close(pidfd);
  // What is left in the pipe (a process the child left behind may hold it open: read only what is there).
  ::fcntl(err_fd, F_SETFL, ::fcntl(err_fd, F_GETFL) | O_NONBLOCK);
  for (ssize_t n; open && (n = ::read(err_fd, buffer, sizeof buffer)) != 0;) {
    if (n > 0) keep(buffer, static_cast<std::size_t>(n));
    else if (errno != EINTR) break;
  }
  return status;
}

std::string read_status(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::string s;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) s.append(buffer, static_cast<std::size_t>(n));
  return s;
}

std::string expected_text(const death_expectation& e) {
  switch (e.kind) {
    case death_expectation::exits: return "exit status " + std::to_string(e.code);
    case death_expectation::killed_by: return signal_name(e.code);
    case death_expectation::dies: break;
  }
  return "death";
}

const char* assertion_name(const death_expectation& e) {
  switch (e.kind) {
    case death_expectation::exits: return "assertExits";
    case death_expectation::killed_by: return "assertKilledBy";
    case death_expectation::dies: break;
  }
  return "assertDies";
}

[[noreturn]] void raise_usage(const death_expectation& e, const std::string& why, location where) {
  const std::string message = std::string(assertion_name(e)) + ": " + why;
  throw AssertionError(text(message.data(), message.size()), where);
}

// How the child ended, in the words of a crash report; `exited_zero` and `returned` set when it did not die.
struct child_end {
  std::string text;
  bool returned = false, exited_zero = false, timed_out = false;
  int exit_code = -1, sig = 0;
};

child_end describe_end(int status, bool timed_out, const std::string& told, double timeout) {
  child_end end;
  if (timed_out) {
    end.timed_out = true;
    end.text = "did not die within " + seconds_text(timeout) + "s (death_timeout): killed";
  } else if (!told.empty() && told[0] == 'R') {
    end.returned = true;
    end.text = "the body returned";
  } else if (WIFEXITED(status)) {
    end.exit_code = WEXITSTATUS(status);
    end.exited_zero = end.exit_code == 0;
    end.text = "exited with status " + std::to_string(end.exit_code);
  } else if (WIFSIGNALED(status)) {
    end.sig = WTERMSIG(status);
    if (!told.empty() && told[0] == 'T') {
      end.text = "std::terminate called: the body threw " + told.substr(1);
    } else if (!told.empty() && told[0] == 'X') {
      end.text = "std::terminate called" + (told.size() > 1 ? ": " + told.substr(1) : std::string());
    } else {
      end.text = "killed by " + signal_name(end.sig);
    }
    if (!told.empty()) {
      const char* abbrev = ::sigabbrev_np(end.sig);
      end.text += abbrev ? std::string(" (SIG") + abbrev + ")" : " (" + signal_name(end.sig) + ")";
    }
  } else {
    end.text = "ended with wait status " + std::to_string(status);
  }
  return end;
}

bool ended_as_expected(const death_expectation& e, const child_end& end) {
  switch (e.kind) {
    case death_expectation::exits: return end.exit_code == e.code;
    case death_expectation::killed_by: return end.sig == e.code;
    case death_expectation::dies: break;
  }
  return end.sig != 0 || end.exit_code > 0;
}

}  // namespace

bool run_death_test(const death_expectation& expected, fn_ref body, location where) {
  if (expected.kind == death_expectation::exits && (expected.code < 0 || expected.code > 255))
    raise_usage(expected, "exit status " + std::to_string(expected.code) + " is out of range (0 to 255)", where);
  if (expected.kind == death_expectation::killed_by && (expected.code <= 0 || expected.code >= NSIG))
    raise_usage(expected, std::to_string(expected.code) + " is not a signal (1 to " + std::to_string(NSIG - 1) + ")",
                where);
  if (!(expected.timeout > 0))
    raise_usage(expected, "death_timeout must be more than 0 seconds, not " + seconds_text(expected.timeout), where);
  (void)regex_search(str{"", 0}, expected.pattern);  // a bad pattern fails here, before any child runs
  // fork() copies only this thread: a lock another thread holds (malloc's, stdio's) would stay held in the
  // child forever. Refused, rather than re-execute the binary and run the test's earlier steps again.
  if (const int threads = thread_count(); threads > 1)
    raise_usage(expected, "cannot fork a death test: this process runs " + std::to_string(threads) +
                              " threads, and the child would have only this one (a lock another thread holds would "
                              "stay held); join the threads before the death test, or start them after it",
                where);

  // What the test wrote before the death test comes out before what the child writes.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
  const char* name = assertion_name(expected);
  int err_pipe[2], status_pipe[2];
  if (::pipe2(err_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string(name) + ": cannot make a pipe: " + std::strerror(errno));
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(err_pipe[0]), ::close(err_pipe[1]);
    throw std::runtime_error(std::string(name) + ": cannot make a pipe: " + std::strerror(e));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(err_pipe[0]);
    ::close(status_pipe[0]);
    run_child(body, err_pipe[1], status_pipe[1], parent);
  }
  const int fork_errno = errno;
  if (pid > 0) ::setpgid(pid, pid);  // as the child does: whichever runs first
  ::close(err_pipe[1]);
  ::close(status_pipe[1]);
  if (pid < 0) {
    ::close(err_pipe[0]), ::close(status_pipe[0]);
    throw std::runtime_error(std::string(name) + ": cannot fork: " + std::strerror(fork_errno));
  }
  std::string err;
  std::size_t dropped = 0;
  bool timed_out = false;
  const int status = await_child(pid, err_pipe[0], expected.timeout, err, dropped, timed_out);
  ::kill(-pid, SIGKILL);  // what the body left behind
  const std::string told = read_status(status_pipe[0]);
  ::close(err_pipe[0]);
  ::close(status_pipe[0]);

  const child_end end = describe_end(status, timed_out, told, expected.timeout);
  const bool as_expected = ended_as_expected(expected, end);
  const bool matched = expected.pattern.size == 0 || regex_search(str{err.data(), err.size()}, expected.pattern);
  if (as_expected && matched) return true;

  std::string message;
  if (as_expected) {
    writer w;
    w.write_quoted(expected.pattern);
    message = "ended as expected (" + end.text + "), but its stderr does not match " + std::string(w.data(), w.size());
  } else {
    message = end.returned || end.exited_zero ? "did not die: " + end.text : end.text;
    if (expected.kind != death_expectation::dies) message += ", expected " + expected_text(expected);
  }
  if (err.empty()) {
    message += "\nstderr: nothing";
  } else {
    message += "\nstderr:\n";
    if (dropped) message += "[... " + std::to_string(dropped) + " bytes of stderr truncated ...]\n";
    message += err;
    if (message.back() == '\n') message.pop_back();
  }
  pending_failure = std::move(message);
  return false;
}

void fail_death_test(location where) {
  std::string message = std::move(pending_failure);
  pending_failure.clear();
  throw AssertionError(text(message.data(), message.size()), where);
}

}  // namespace assay::detail
