// Tests that attack the run around them: its process group, its descriptors, its standard streams, its
// signals, and the framework itself from a forked child. verdict_process.cmake runs them from outside; each
// hostile test runs only when its VERDICT_* variable is set.
#include <assay/assay.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool enabled(const char* variable) { return std::getenv(variable) != nullptr; }

// Straight to the descriptor: a line in a stdio buffer would die with the process.
void say(const char* text) { (void)!::write(1, text, std::strlen(text)); }

// The process that runs the tests' report: the supervisor (this worker's parent, the same binary) or this one.
pid_t runner_pid() {
  char self[4096] = {}, parent[4096] = {};
  const std::string parent_exe = "/proc/" + std::to_string(::getppid()) + "/exe";
  const bool same = ::readlink("/proc/self/exe", self, sizeof self - 1) > 0 &&
                    ::readlink(parent_exe.c_str(), parent, sizeof parent - 1) > 0 && std::strcmp(self, parent) == 0;
  return same ? ::getppid() : ::getpid();
}

// VERDICT_INTERRUPT_START=<file>: a worker started through exec announces itself before assay's main runs
// and waits there until <file> exists, which a script creates once it has sent Ctrl-C. The Ctrl-C must be
// held for the worker until its handler is in place, not end it with SIGINT's default.
const bool waited_for_ctrl_c_at_start = [] {
  const char* sent = std::getenv("VERDICT_INTERRUPT_START");
  if (!sent || !enabled("ASSAY_WORKER")) return false;
  say("worker starting\n");
  for (int i = 0; i < 2000 && ::access(sent, F_OK) != 0; ++i) ::usleep(10000);  // (20 s at most)
  return true;
}();

}  // namespace

class Passing : public assay::TestCase<Passing> {
 protected:
  TEST(test_one) {
    // VERDICT_SLOW: time for a reader to go away before the report is written.
    if (enabled("VERDICT_SLOW")) ::usleep(300000);
  }
  TEST(test_two) { say("Passing.test_two writes to stdout\n"); }
  TEST(test_three) {
    // VERDICT_PRINTF: output left in stdio's buffer, written out by the framework after the test.
    if (enabled("VERDICT_PRINTF")) std::printf("Passing.test_three leaves this in a buffer\n");
    assertEqual(3, 1 + 2);
  }
};

// A worker started through exec takes ASSAY_WORKER from its supervisor and removes it at once.
class Environment : public assay::TestCase<Environment> {
 protected:
  TEST(test_no_worker_variable) { assertIsNone(std::getenv("ASSAY_WORKER")); }
};

// kill(0, SIGTERM): the test's process group. The run must not be in it.
class KillsGroup : public assay::TestCase<KillsGroup> {
 protected:
  TEST(test_kills_its_group, assay::skipUnless(enabled("VERDICT_KILL_GROUP"), "set VERDICT_KILL_GROUP")) {
    ::kill(0, SIGTERM);
    ::pause();
  }
  TEST(test_after_group_kill) {}
};

// SIGTERM to the run while this test runs (as a CI timeout sends it): VERDICT_TERM=self signals the
// runner itself; VERDICT_TERM=wait announces the test and waits for a script to send it.
class Terminated : public assay::TestCase<Terminated> {
 protected:
  TEST(test_before_term) {}
  TEST(test_running_at_term, assay::skipUnless(enabled("VERDICT_TERM"), "set VERDICT_TERM")) {
    if (std::strcmp(std::getenv("VERDICT_TERM"), "self") == 0) ::kill(runner_pid(), SIGTERM);
    say("test_running_at_term started\n");
    for (int i = 0; i < 100; ++i) ::usleep(100000);  // 10 s: the run is ended long before
  }
  TEST(test_not_run_after_term, assay::skipUnless(enabled("VERDICT_TERM"), "set VERDICT_TERM")) {
    say("test_not_run_after_term must not run\n");
  }
};

// Ctrl-C from a terminal reaches its foreground process group only: the run's, not the worker's. The
// run passes it on, so the test's own process sees it, as in-process (VERDICT_INTERRUPT).
class CtrlC : public assay::TestCase<CtrlC> {
 protected:
  TEST(test_child_sees_ctrl_c, assay::skipUnless(enabled("VERDICT_INTERRUPT"), "set VERDICT_INTERRUPT")) {
    const pid_t child = ::fork();
    if (child == 0) {
      ::execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    say("test_child_sees_ctrl_c started\n");
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
    }
    assertTrue(WIFSIGNALED(status), "the child was not killed by a signal");
    assertEqual(SIGINT, WTERMSIG(status));
  }
  // Between fork and exec a child still has its parent's handlers, -c's among them: Ctrl-C must end it
  // as it would have without -c. This child stays in that state (SIGINT blocked until it waits).
  TEST(test_forked_child_sees_ctrl_c,
       assay::skipUnless(enabled("VERDICT_INTERRUPT_FORKED"), "set VERDICT_INTERRUPT_FORKED")) {
    const pid_t child = ::fork();
    if (child == 0) {
      sigset_t sigint, before;
      sigemptyset(&sigint);
      sigaddset(&sigint, SIGINT);
      ::sigprocmask(SIG_BLOCK, &sigint, &before);
      say("test_forked_child_sees_ctrl_c started\n");
      ::sigsuspend(&before);  // returns once a handler took the signal (SIGINT blocked again)
      ::sigprocmask(SIG_SETMASK, &before, nullptr);  // what that handler raised, if it did, arrives now
      ::_exit(3);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
    }
    assertTrue(WIFSIGNALED(status), "the child was not killed by a signal: status " + std::to_string(status));
    assertEqual(SIGINT, WTERMSIG(status));
  }
  TEST(test_not_run_after_ctrl_c, assay::skipUnless(enabled("VERDICT_INTERRUPT"), "set VERDICT_INTERRUPT")) {
    say("test_not_run_after_ctrl_c must not run\n");
  }
};

// O_NONBLOCK on the standard streams (an open file description the report shares), then a summary larger
// than a pipe holds. (setUpClass too: with -b a test's own fd 1 and 2 are the capture files.)
void set_nonblocking() {
  if (enabled("VERDICT_NONBLOCK"))
    for (int fd : {1, 2}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

class NonBlocking : public assay::TestCase<NonBlocking> {
 protected:
  static void setUpClass() { set_nonblocking(); }
  TEST(test_sets_nonblocking, assay::skipUnless(enabled("VERDICT_NONBLOCK"), "set VERDICT_NONBLOCK")) {
    set_nonblocking();
  }
  TEST(test_many_failures, assay::skipUnless(enabled("VERDICT_NONBLOCK"), "set VERDICT_NONBLOCK")) {
    const std::string filler(1000, 'x');
    for (int i = 0; i < 200; ++i) subTest({{"i", i}}, [&] { fail("failure " + std::to_string(i) + " " + filler); });
  }
  // With -b: 4000 captured lines (more than a pipe holds; the last 64 KiB are kept), echoed after the
  // failure as well as shown in its report.
  TEST(test_prints_and_fails, assay::skipUnless(enabled("VERDICT_NONBLOCK_PRINT"), "set VERDICT_NONBLOCK_PRINT")) {
    for (int i = 0; i < 4000; ++i) std::printf("captured line %d\n", i);
    fail("after 4000 lines");
  }
};

// close_range(3, ~0U): every descriptor the framework holds in this process; then files of the test's own
// take their numbers (VERDICT_CLOSE names the file: nothing of the report may land in it).
class ClosesDescriptors : public assay::TestCase<ClosesDescriptors> {
 protected:
  TEST(test_closes_descriptors, assay::skipUnless(enabled("VERDICT_CLOSE"), "set VERDICT_CLOSE")) {
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);  // close_range(3, ~0U, 0), also where glibc lacks it
    for (int i = 0; i < 16; ++i) ::open(std::getenv("VERDICT_CLOSE"), O_WRONLY | O_APPEND | O_CLOEXEC);
  }
  TEST(test_after_close_one) {}
  TEST(test_after_close_two) {
    say("ClosesDescriptors.test_after_close_two writes to stdout\n");
    assertEqual(1, 2);
  }
  TEST(test_after_close_three) {}
};

// fork() in a test whose child returns into the framework, passing or failing: only the parent reports.
class Forks : public assay::TestCase<Forks> {
 protected:
  TEST(test_child_returns, assay::skipUnless(enabled("VERDICT_FORK"), "set VERDICT_FORK")) {
    const pid_t child = ::fork();
    if (child == 0) return;  // into the framework
    int status = 0;
    ::waitpid(child, &status, 0);
    assertTrue(WIFEXITED(status));
    assertEqual(0, WEXITSTATUS(status), "the child's exit status");
  }
  TEST(test_child_fails, assay::skipUnless(enabled("VERDICT_FORK"), "set VERDICT_FORK")) {
    const pid_t child = ::fork();
    if (child == 0) assertEqual(1, 2, "in the child");
    int status = 0;
    ::waitpid(child, &status, 0);
    assertTrue(WIFEXITED(status));
    assertEqual(1, WEXITSTATUS(status), "the child's exit status");
  }
  TEST(test_after_forks) {}
};

// Tests that leave a process behind holding the run's stdout and stderr, then hang (with --timeout) or
// pass: the run must end without waiting for those processes.
class LeavesChild : public assay::TestCase<LeavesChild> {
 protected:
  TEST(test_leaves_child_and_hangs, assay::skipUnless(enabled("VERDICT_ORPHAN"), "set VERDICT_ORPHAN")) {
    if (::fork() == 0) {
      ::execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (;;) ::pause();
  }
  TEST(test_leaves_child_and_passes, assay::skipUnless(enabled("VERDICT_ORPHAN"), "set VERDICT_ORPHAN")) {
    if (::fork() == 0) {
      ::execlp("sleep", "sleep", "30", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  TEST(test_after_orphan) {}
};

// A crash (not one a sanitizer can intercept), between passing tests.
class Crashes : public assay::TestCase<Crashes> {
 protected:
  TEST(test_before_crash) {}
  TEST(test_crash, assay::skipUnless(enabled("VERDICT_CRASH"), "set VERDICT_CRASH")) {
    say("test_crash writes to stdout\n");
    ::raise(SIGKILL);
  }
  TEST(test_after_crash) {}
};
