// Tests that hang past their timeout with threads in every state (spinning, in a system call, with signals
// blocked, waiting for a child): a supervised run's ERROR shows where every thread of the worker was.
#include <assay/assay.hpp>

#include <pthread.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

std::atomic<bool> forever{true};
std::atomic<int> started{0};

// Never enters the kernel.
[[gnu::noinline]] void spin() {
  while (forever.load(std::memory_order_relaxed)) {
  }
}

// Blocked in read(2) on a pipe nobody writes.
[[gnu::noinline]] void block_in_read() {
  int fds[2];
  if (::pipe(fds) != 0) return;
  char c;
  started.fetch_add(1);
  (void)!::read(fds[0], &c, 1);
}

// A thread where no signal handler could ever run.
[[gnu::noinline]] void spin_with_signals_blocked() {
  sigset_t all;
  sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, nullptr);
  started.fetch_add(1);
  spin();
}

void await_started(int threads) {
  while (started.load() < threads) std::this_thread::yield();
}

// Straight to the descriptor: the -b capture is what the supervisor reads back.
void say(const char* text) { (void)!::write(1, text, std::strlen(text)); }

class Hangs : public assay::TestCase<Hangs> {
 protected:
  TEST(test_every_thread, assay::timeout(0.5)) {
    std::thread(block_in_read).detach();
    std::thread(spin_with_signals_blocked).detach();
    std::thread(::pause).detach();  // nothing but the C and C++ runtimes on its stack
    await_started(2);
    say("two threads started, now spinning\n");
    spin();
  }
  TEST(test_waits_for_child, assay::timeout(0.5)) {
    const pid_t child = ::fork();
    if (child == 0) {
      for (;;) ::pause();
    }
    say("waiting for a child that never exits\n");
    ::waitpid(child, nullptr, 0);
  }
  // Another tracer holds the test's thread (a debugger attached to the worker): no dump, and the reason.
  TEST(test_traced_by_another, assay::timeout(0.5)) {
    int ready[2];
    assertEqual(::pipe(ready), 0);
    const pid_t worker = ::getpid();
    if (::fork() == 0) {
      const char traced = ::ptrace(PTRACE_SEIZE, worker, nullptr, nullptr) == 0 ? 'y' : 'n';
      (void)!::write(ready[1], &traced, 1);
      for (;;) ::pause();
    }
    char traced = 'n';
    (void)!::read(ready[0], &traced, 1);
    assertEqual(traced, 'y');
    for (;;) ::pause();
  }
  // A thread that cannot stop: the dump's own deadline passes and the worker is killed without it.
  TEST(test_thread_cannot_stop, assay::timeout(0.5)) {
    std::thread([] {
      started.fetch_add(1);
      // The parent of a vfork waits for the child to exec or exit, and stops for no one meanwhile.
      if (::vfork() == 0) {
        for (;;) ::pause();
      }
    }).detach();
    await_started(1);
    spin();
  }
  TEST(test_after_hangs) {}
};

class FixtureHangs : public assay::TestCase<FixtureHangs> {
 protected:
  static void setUpClass() { spin(); }
  TEST(test_never_runs) { say("FixtureHangs.test_never_runs must not run\n"); }
};

}  // namespace
