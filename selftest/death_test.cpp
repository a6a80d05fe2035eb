// Death tests: every way a body ends the process is told apart, the child leaves the parent's state alone,
// and every failure says what happened instead, with the child's stderr.
#include <assay/assay.hpp>
#include <assay/capture_output.hpp>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "running_thread.hpp"

namespace {

#if defined(__SANITIZE_THREAD__)
constexpr bool under_tsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool under_tsan = true;
#else
constexpr bool under_tsan = false;
#endif
#else
constexpr bool under_tsan = false;
#endif

// Set only around a death test: a handler of the parent's that runs in the child then writes to its stderr;
// in the parent, at the real exit, it is unset and silent.
volatile bool in_death_test = false;

void parent_atexit_handler() {
  if (in_death_test) std::fputs("parent atexit handler ran\n", stderr);
}

struct parent_static {
  ~parent_static() {
    if (in_death_test) std::fputs("parent static destructor ran\n", stderr);
  }
} the_parent_static;

void body_atexit_handler() { std::fputs("body atexit handler ran\n", stderr); }

[[noreturn]] void throw_from_noexcept() noexcept(false) { throw std::runtime_error("out of a noexcept"); }
void noexcept_caller() noexcept { throw_from_noexcept(); }

struct armed {
  armed() { in_death_test = true; }
  ~armed() { in_death_test = false; }
  armed(const armed&) = delete;
  armed& operator=(const armed&) = delete;
};


// Within 5 s, `pid` is gone, or a zombie waiting for whoever inherited it (a container's init may never reap it).
bool gone_soon(pid_t pid) {
  for (int i = 0; i < 500; ++i) {
    std::FILE* stat = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    char state = 'X';
    if (stat) {
      int read_pid = 0;
      char name[64] = {};
      if (std::fscanf(stat, "%d %63s %c", &read_pid, name, &state) != 3) state = '?';
      std::fclose(stat);
    }
    if (state == 'Z' || state == 'X') return true;
    ::usleep(10000);
  }
  return false;
}

}  // namespace

class DeathTest : public assay::TestCase<DeathTest> {
  // ThreadSanitizer starts a thread of its own once a test has started one: death tests are then refused.
  CLASS_OPTIONS(assay::skipIf(under_tsan, "ThreadSanitizer runs a thread of its own"));

 protected:
  TEST(test_deaths_that_pass) {
    assertDies([] { std::abort(); });
    assertDies([] { std::raise(SIGSEGV); });
    assertDies([] { std::exit(3); });
    assertDies([] { ::_exit(1); });
    assertDies([] { std::terminate(); });
    assertDies([] { throw std::runtime_error("uncaught"); });
    assertDies([] { std::raise(SIGKILL); });
  }

  TEST(test_exits) {
    assertExits(3, [] { std::exit(3); });
    assertExits(0, [] { std::exit(0); });
    assertExits(255, [] { ::_exit(255); });
  }

  TEST(test_killed_by) {
    assertKilledBy(SIGSEGV, [] { std::raise(SIGSEGV); });
    assertKilledBy(SIGABRT, [] { std::abort(); });
    assertKilledBy(SIGABRT, [] { std::terminate(); });
    assertKilledBy(SIGTERM, [] { std::raise(SIGTERM); });
  }

  TEST(test_stderr_regex) {
    assertDies([] { std::fputs("fatal: disk on fire\n", stderr); std::abort(); }, "disk on fire");
    assertExits(2, [] { std::fputs("usage: x\n", stderr); std::exit(2); }, "^usage: x\n$");
    assertKilledBy(SIGABRT, [] { throw std::logic_error("named"); }, "what\\(\\): +named");
    assertDies([] { std::abort(); }, "^$");
  }

  TEST(test_returned) {
    const auto e = assertRaises<assay::AssertionError>([&] { assertDies([] {}); });
    assertEqual(e.what(), std::string("did not die: the body returned\nstderr: nothing"));
    const auto x = assertRaises<assay::AssertionError>([&] { assertExits(3, [] { std::fputs("ok\n", stderr); }); });
    assertEqual(x.what(), std::string("did not die: the body returned, expected exit status 3\nstderr:\nok"));
  }

  TEST(test_exited_zero) {
    const auto e = assertRaises<assay::AssertionError>([&] { assertDies([] { std::exit(0); }); });
    assertEqual(e.what(), std::string("did not die: exited with status 0\nstderr: nothing"));
  }

  TEST(test_wrong_status) {
    const auto e = assertRaises<assay::AssertionError>([&] {
      assertExits(3, [] { std::fputs("bye\n", stderr); std::exit(1); });
    });
    assertEqual(e.what(), std::string("exited with status 1, expected exit status 3\nstderr:\nbye"));
    const auto k = assertRaises<assay::AssertionError>([&] { assertExits(3, [] { std::raise(SIGSEGV); }); });
    assertEqual(k.what(), std::string("killed by signal SIGSEGV (Segmentation fault), expected exit status 3\n"
                                      "stderr: nothing"));
  }

  TEST(test_wrong_signal) {
    const auto e = assertRaises<assay::AssertionError>([&] { assertKilledBy(SIGSEGV, [] { std::raise(SIGTERM); }); });
    assertEqual(e.what(), std::string("killed by signal SIGTERM (Terminated), expected signal SIGSEGV "
                                      "(Segmentation fault)\nstderr: nothing"));
    const auto x = assertRaises<assay::AssertionError>([&] { assertKilledBy(SIGSEGV, [] { std::exit(4); }); });
    assertEqual(x.what(), std::string("exited with status 4, expected signal SIGSEGV (Segmentation fault)\n"
                                      "stderr: nothing"));
  }

  TEST(test_stderr_mismatch) {
    const auto e = assertRaises<assay::AssertionError>([&] {
      assertDies([] { std::fputs("segfault in parser\n", stderr); std::abort(); }, "out of memory");
    });
    assertEqual(e.what(), std::string("ended as expected (killed by signal SIGABRT (Aborted)), but its stderr does "
                                      "not match \"out of memory\"\nstderr:\nsegfault in parser"));
  }

  TEST(test_throw_is_terminate) {
    const auto e = assertRaises<assay::AssertionError>([&] {
      assertExits(1, [] { throw std::runtime_error("boom"); });
    });
    assertEqual(e.what(), std::string("std::terminate called: the body threw std::runtime_error: boom (SIGABRT), "
                                      "expected exit status 1\nstderr:\nterminate called after "
                                      "throwing an instance of 'std::runtime_error'\n  what():  boom"));
    // A failed assertion in the body is an exception like any other.
    const auto a = assertRaises<assay::AssertionError>([&] { assertExits(1, [&] { assertEqual(1, 2); }); });
    assertIn(std::string("std::terminate called: the body threw AssertionError: 1 != 2 (SIGABRT), expected exit status 1"),
             std::string(a.what()));
  }

  TEST(test_terminate_names_the_exception) {
    const auto e = assertRaises<assay::AssertionError>([&] { assertExits(1, [] { noexcept_caller(); }); });
    assertIn(std::string("std::terminate called: std::runtime_error: out of a noexcept (SIGABRT), "
                         "expected exit status 1\nstderr:\nterminate called after throwing an instance of "
                         "'std::runtime_error'"),
             std::string(e.what()));
    const auto t = assertRaises<assay::AssertionError>([&] { assertExits(1, [] { std::terminate(); }); });
    assertEqual(t.what(), std::string("std::terminate called (SIGABRT), expected exit status 1\n"
                                      "stderr:\nterminate called without an active exception"));
  }

  TEST(test_hang_is_killed) {
    death_timeout = 0.2;
    const auto e = assertRaises<assay::AssertionError>([&] {
      assertDies([] {
        std::fputs("waiting\n", stderr);
        for (;;) ::pause();
      });
    });
    assertEqual(e.what(), std::string("did not die within 0.2s (death_timeout): killed\nstderr:\nwaiting"));
  }

  TEST(test_usage_errors) {
    const auto s = assertRaises<assay::AssertionError>([&] { assertExits(256, [] { std::exit(0); }); });
    assertEqual(s.what(), std::string("assertExits: exit status 256 is out of range (0 to 255)"));
    const auto n = assertRaises<assay::AssertionError>([&] { assertExits(-1, [] { std::exit(0); }); });
    assertEqual(n.what(), std::string("assertExits: exit status -1 is out of range (0 to 255)"));
    const auto g = assertRaises<assay::AssertionError>([&] { assertKilledBy(0, [] { std::abort(); }); });
    assertEqual(g.what(), std::string("assertKilledBy: 0 is not a signal (1 to 64)"));
    const auto r = assertRaises<assay::AssertionError>([&] { assertDies([] { std::abort(); }, "(unclosed"); });
    assertIn(std::string("invalid regular expression \"(unclosed\": "), std::string(r.what()));
    death_timeout = 0;
    const auto t = assertRaises<assay::AssertionError>([&] { assertDies([] { std::abort(); }); });
    assertEqual(t.what(), std::string("assertDies: death_timeout must be more than 0 seconds, not 0"));
  }

  TEST(test_bad_regex_runs_no_child) {
    // The body would write to the test's stdout: a pattern that does not compile must stop it first.
    const auto printed = assay::capture_output([&] {
      (void)assertRaises<assay::AssertionError>([&] { assertDies([] { std::puts("ran"); std::abort(); }, "["); });
    });
    assertEqual(printed.out, "");
  }

  TEST(test_threads_refused) {
    const running_thread other;
    const auto e = assertRaises<assay::AssertionError>([&] { assertDies([] { std::abort(); }); });
    assertEqual(e.what(), std::string("assertDies: cannot fork a death test: this process runs 2 threads, and the "
                                      "child would have only this one (a lock another thread holds would stay "
                                      "held); join the threads before the death test, or start them after it"));
  }

  TEST(test_parent_atexit_and_statics_do_not_run) {
    std::atexit(parent_atexit_handler);
    const armed arm;
    assertExits(3, [] { std::exit(3); }, "^$");
    // The body's own handlers run, as in a program of its own.
    assertExits(4, [] { std::atexit(body_atexit_handler); std::exit(4); }, "^body atexit handler ran\n$");
  }

  TEST(test_stdout_once_in_order) {
    const auto printed = assay::capture_output([&] {
      std::printf("before ");
      assertExits(0, [] { std::printf("child "); std::exit(0); });
      std::printf("after");
    });
    assertEqual(printed.out, "before child after");
    assertEqual(printed.err, "");
  }

  TEST(test_stderr_goes_to_the_assertion_only) {
    const auto printed = assay::capture_output([&] {
      assertDies([] { std::fputs("to the pipe\n", stderr); std::abort(); }, "^to the pipe\n$");
    });
    assertEqual(printed.err, "");
  }

  TEST(test_stderr_is_limited) {
    const auto e = assertRaises<assay::AssertionError>([&] {
      assertDies([] {
        const std::string lots(100 * 1024, 'x');
        std::fputs(lots.c_str(), stderr);
        std::fputs("END", stderr);
        std::abort();
      }, "^y");
    });
    const std::string what = e.what();
    assertIn(std::string("\nstderr:\n[... 36867 bytes of stderr truncated ...]\nxxx"), what);
    assertEqual(what.substr(what.size() - 4), std::string("xEND"));
  }

  TEST(test_no_core_file) {
    assertExits(0, [] {
      rlimit core{};
      ::getrlimit(RLIMIT_CORE, &core);
      std::exit(core.rlim_cur == 0 && core.rlim_max == 0 ? 0 : 1);
    });
  }

  TEST(test_parent_signal_handlers_reset) {
    struct sigaction mine {}, previous {};
    mine.sa_handler = [](int) { ::_exit(42); };
    ::sigaction(SIGSEGV, &mine, &previous);
    addCleanup([previous] { ::sigaction(SIGSEGV, &previous, nullptr); });
    assertKilledBy(SIGSEGV, [] { std::raise(SIGSEGV); });
  }

  TEST(test_left_behind_process_does_not_hold_the_assertion) {
    // The body's own child keeps the stderr pipe open for 3 s; the assertion ends with the body.
    death_timeout = 2;
    assertKilledBy(SIGABRT, [] {
      if (::fork() == 0) {
        ::alarm(3);
        for (;;) ::pause();
      }
      std::abort();
    });
  }

  TEST(test_child_dies_with_its_parent) {
    // A process running a death test (as a worker would) is killed; its hanging child must not outlive it.
    int fds[2];
    assertEqual(::pipe(fds), 0);
    const pid_t runner = ::fork();
    if (runner == 0) {
      ::close(fds[0]);
      death_timeout = 30;
      try {
        assertDies([&] {
          const pid_t self = ::getpid();
          (void)!::write(fds[1], &self, sizeof self);
          for (;;) ::pause();
        });
      } catch (...) {
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    pid_t child = 0;
    const bool told = ::read(fds[0], &child, sizeof child) == static_cast<ssize_t>(sizeof child);
    ::close(fds[0]);
    ::kill(runner, SIGKILL);
    ::waitpid(runner, nullptr, 0);
    assertTrue(told);
    assertTrue(gone_soon(child), "the death test's child outlived the process that ran it");
  }

  TEST(test_body_forks_and_returns) {
    // The body's own child returns from the body: it must not speak for the child that died.
    assertKilledBy(SIGABRT, [] {
      if (::fork() == 0) return;
      ::wait(nullptr);
      std::abort();
    });
  }

  TEST(test_kill_zero_stays_in_the_child) {
    // kill(0, …) in the body reaches the child's group, not the test's.
    assertKilledBy(SIGTERM, [] { ::kill(0, SIGTERM); for (;;) ::pause(); });
  }

  TEST(test_left_behind_process_is_killed) {
    int fds[2];
    assertEqual(::pipe(fds), 0);
    assertKilledBy(SIGABRT, [&] {
      const pid_t left = ::fork();
      if (left == 0) {
        ::prctl(PR_SET_PDEATHSIG, 0);
        for (;;) ::pause();
      }
      (void)!::write(fds[1], &left, sizeof left);
      std::abort();
    });
    ::close(fds[1]);
    pid_t left = 0;
    const bool told = ::read(fds[0], &left, sizeof left) == static_cast<ssize_t>(sizeof left);
    ::close(fds[0]);
    assertTrue(told);
    assertTrue(gone_soon(left), "a process the body left behind outlived the death test");
  }

  TEST(test_nested) {
    assertExits(7, [&] {
      assertKilledBy(SIGABRT, [] { std::abort(); });
      std::exit(7);
    });
  }
};
