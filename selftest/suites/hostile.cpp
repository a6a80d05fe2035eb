// Tests that take their process down in every way a C++ test can, each between passing tests: a supervised
// run reports each as an ERROR naming the reason, re-establishes the fixtures and goes on.
#include <assay/assay.hpp>

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// Straight to the descriptor: a line in a stdio buffer would die with the process.
void say(const char* text) { (void)!::write(1, text, std::strlen(text)); }

// A real segmentation fault, not a null dereference (which the sanitizers would report themselves).
void segfault() {
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *static_cast<volatile int*>(page) = 1;
}

volatile bool keep_recursing = true;

int recurse(int depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  return keep_recursing ? recurse(depth + 1) + frame[0] : 0;
}

[[noreturn]] void throw_runtime_error() { throw std::runtime_error("thrown through a noexcept function"); }
void throw_in_noexcept() noexcept { throw_runtime_error(); }

struct ThrowsWhenDestroyed {
  ~ThrowsWhenDestroyed() noexcept(false) { throw std::runtime_error("thrown by a destructor"); }
};

bool enabled(const char* variable) { return std::getenv(variable) != nullptr; }

// The process that counts Ctrl-C: the supervisor (this worker's parent, the same binary) or this process.
pid_t runner_pid() {
  char self[4096] = {}, parent[4096] = {};
  const std::string parent_exe = "/proc/" + std::to_string(::getppid()) + "/exe";
  const bool same = ::readlink("/proc/self/exe", self, sizeof self - 1) > 0 &&
                    ::readlink(parent_exe.c_str(), parent, sizeof parent - 1) > 0 && std::strcmp(self, parent) == 0;
  return same ? ::getppid() : ::getpid();
}

long peak_memory_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

}  // namespace

SET_UP_MODULE() { say("setUpModule\n"); }
TEAR_DOWN_MODULE() { say("tearDownModule\n"); }

class Crashes : public assay::TestCase<Crashes> {
 protected:
  static void setUpClass() { say("Crashes.setUpClass\n"); }
  static void tearDownClass() { say("Crashes.tearDownClass\n"); }

  TEST(test_passes_first) {}
  TEST(test_segfault) {
    say("about to segfault\n");
    segfault();
  }
  TEST(test_after_segfault) {}
  TEST(test_abort) { std::abort(); }
  TEST(test_after_abort) {}
  TEST(test_terminate) { std::terminate(); }
  TEST(test_after_terminate) {}
  TEST(test_terminate_with_exception) { throw_in_noexcept(); }
  TEST(test_after_terminate_with_exception) {}
  TEST(test_throw_from_destructor_during_unwinding) {
    ThrowsWhenDestroyed guard;
    throw std::logic_error("unwinding");
  }
  TEST(test_after_throw_from_destructor) {}
  TEST(test_exit_zero) { std::exit(0); }
  TEST(test_after_exit_zero) {
    // Bazel's premature-exit file is the whole run's: a worker's exit must not remove it.
    if (const char* file = std::getenv("TEST_PREMATURE_EXIT_FILE"))
      assertEqual(0, ::access(file, F_OK), "TEST_PREMATURE_EXIT_FILE is gone");
  }
  TEST(test_exit_three) { std::exit(3); }
  TEST(test_after_exit_three) {}
  TEST(test_stack_overflow) { recurse(0); }
  TEST(test_after_stack_overflow) {}
  TEST(test_thread_crashes) {
    std::thread thread([] { segfault(); });
    thread.join();
  }
  TEST(test_after_thread_crash) {}
  TEST(test_failed_assertion_in_thread) {
    std::thread thread([this] { assertEqual(1, 2); });
    thread.join();
  }
  TEST(test_passes_last) {}
};

class Hangs : public assay::TestCase<Hangs> {
 protected:
  TEST(test_infinite_loop, assay::timeout(0.5)) {
    std::atomic<bool> forever{true};
    while (forever.load(std::memory_order_relaxed)) {
    }
  }
  TEST(test_after_infinite_loop) {}
  // Only with --timeout (HOSTILE_HANG=1): it has no timeout of its own.
  TEST(test_sleeps_forever, assay::skipUnless(enabled("HOSTILE_HANG"), "set HOSTILE_HANG=1 and --timeout")) {
    for (;;) ::pause();
  }
  TEST(test_own_timeout_wins, assay::timeout(0.2), assay::skipUnless(enabled("HOSTILE_HANG"), "set HOSTILE_HANG=1")) {
    for (;;) ::pause();
  }
};

class ClassSetUpCrashes : public assay::TestCase<ClassSetUpCrashes> {
 protected:
  static void setUpClass() { segfault(); }
  TEST(test_never_runs) { say("ClassSetUpCrashes.test_never_runs must not run\n"); }
  TEST(test_never_runs_either) { say("ClassSetUpCrashes.test_never_runs_either must not run\n"); }
};

class AfterClassSetUpCrash : public assay::TestCase<AfterClassSetUpCrash> {
 protected:
  TEST(test_runs) { say("AfterClassSetUpCrash.test_runs\n"); }
};

// 50 MB on stdout, then a failure (HOSTILE_FLOOD=1; with -b the report keeps the last 64 KiB).
class Floods : public assay::TestCase<Floods> {
 protected:
  TEST(test_floods_stdout, assay::skipUnless(enabled("HOSTILE_FLOOD"), "set HOSTILE_FLOOD=1")) {
    std::string line(99, 'x');
    line += '\n';
    for (int i = 0; i < 500000; ++i) std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputs("the last line\n", stdout);
    fail("after 50 MB of output");
  }
  TEST(test_memory_stays_small, assay::skipUnless(enabled("HOSTILE_FLOOD"), "set HOSTILE_FLOOD=1")) {
    // The process that ran the flood (and captured it with -b) never held it in memory: it peaks near 5 MB,
    // 27 MB under ASan, and in-process the previous test's traceback adds libdw's tables (41 MB under ASan).
#if defined(__SANITIZE_ADDRESS__)
    constexpr long limit_kib = 64L * 1024;
#else
    constexpr long limit_kib = 40L * 1024;
#endif
    assertLess(peak_memory_kib(), limit_kib, "peak KiB: the 50 MB must not have been held");
  }
};

// Ctrl-C with -c (HOSTILE_INTERRUPT=1: once, =2: twice). A terminal sends SIGINT to every process of
// the run; here the test sends it to its runner and to itself.
class Interrupts : public assay::TestCase<Interrupts> {
 protected:
  TEST(test_before_interrupt, assay::skipUnless(enabled("HOSTILE_INTERRUPT"), "set HOSTILE_INTERRUPT")) {}
  TEST(test_interrupted, assay::skipUnless(enabled("HOSTILE_INTERRUPT"), "set HOSTILE_INTERRUPT")) {
    const pid_t runner = runner_pid();
    if (runner != ::getpid()) ::kill(::getpid(), SIGINT);
    ::kill(runner, SIGINT);
    if (std::atoi(std::getenv("HOSTILE_INTERRUPT")) < 2) {
      ::usleep(100000);
      return;  // the first Ctrl-C lets this test finish
    }
    // The second stops this test at once (signals sent too close together may merge: keep sending).
    for (;;) {
      ::usleep(50000);
      ::kill(runner, SIGINT);
    }
  }
  TEST(test_not_run_after_interrupt, assay::skipUnless(enabled("HOSTILE_INTERRUPT"), "set HOSTILE_INTERRUPT")) {
    say("Interrupts.test_not_run_after_interrupt must not run\n");
  }
};

// A class fixture that hangs (HOSTILE_HANG=1): --timeout covers fixtures too.
class FixtureHangs : public assay::TestCase<FixtureHangs> {
 protected:
  static void setUpClass() {
    if (enabled("HOSTILE_HANG"))
      for (;;) ::pause();
  }
  TEST(test_runs_unless_set_up_hangs) {}
};
