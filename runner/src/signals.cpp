// SIGINT handling for -c: a counter and a self-pipe, both safe to touch from a signal handler.
#include <assay/signals.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include <assay/junit_result.hpp>

namespace assay {

namespace {

volatile std::sig_atomic_t interrupts = 0;
volatile std::sig_atomic_t fatal_second = 0;
int wake_pipe[2] = {-1, -1};
struct sigaction previous {};
bool installed = false;

void on_sigint(int) {
  const int saved_errno = errno;
  interrupts = interrupts + 1;
  if (wake_pipe[1] >= 0) {
    const char byte = 1;
    (void)!::write(wake_pipe[1], &byte, 1);
  }
  if (interrupts >= 2 && fatal_second) {
    // In-process: nothing can stop the running test, so end as an uncaught KeyboardInterrupt would, with
    // the JUnit report on disk holding every finished test and the running one.
    junit_result::flush_all();
    ::signal(SIGINT, SIG_DFL);
    ::raise(SIGINT);
  }
  errno = saved_errno;
}

}  // namespace

interrupt_handler::interrupt_handler(bool enabled, bool second_is_fatal) {
  interrupts = 0;
  if (!enabled || installed) return;
  fatal_second = second_is_fatal;
  if (::pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0) wake_pipe[0] = wake_pipe[1] = -1;
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a supervisor's poll must return at once
  ::sigaction(SIGINT, &action, &previous);
  installed = true;
}

interrupt_handler::~interrupt_handler() {
  if (!installed) return;
  ::sigaction(SIGINT, &previous, nullptr);
  for (int& fd : wake_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  installed = false;
}

int interrupt_handler::count() noexcept { return interrupts; }

int interrupt_handler::wake_fd() noexcept { return wake_pipe[0]; }

}  // namespace assay
