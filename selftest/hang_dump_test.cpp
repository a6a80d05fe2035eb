// The thread dump of a hung worker, taken of a child process of the test: every thread's stack, the
// threads let go afterwards, and each way the dump cannot be had said in one line.
#include <assay/assay.hpp>

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <assay/hang_dump.hpp>

namespace {

std::atomic<bool> forever{true};

// Says so on `ready` from its own frame: whenever the dump comes, this frame is on the stack.
[[gnu::noinline]] void spin_in_child(int ready) {
  (void)!::write(ready, "x", 1);
  while (forever.load(std::memory_order_relaxed)) {
  }
}

std::atomic<int> running{0};  // the child's threads in their functions

[[gnu::noinline]] void sleep_in_child() {
  running.fetch_add(1);
  for (;;) ::pause();
}

// A child in a process group of its own (as a worker is), its threads started before it says so on `ready`.
pid_t start_child(int extra_threads, bool vfork_thread = false) {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::setpgid(0, 0);
    for (int i = 0; i < extra_threads; ++i) std::thread(sleep_in_child).detach();
    if (vfork_thread) {
      std::thread([] {
        running.fetch_add(1);
        if (::vfork() == 0) {
          for (;;) ::pause();
        }
      }).detach();
    }
    while (running.load() < extra_threads + (vfork_thread ? 1 : 0)) std::this_thread::yield();
    if (vfork_thread) ::usleep(100000);  // the vfork itself under way
    spin_in_child(ready[1]);
    ::_exit(0);
  }
  char c;
  (void)!::read(ready[0], &c, 1);
  ::close(ready[0]);
  ::close(ready[1]);
  return child;
}

std::string tracer_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("TracerPid:", 0) == 0) return line.substr(10);
  return "?";
}

void end_child(pid_t child) {
  ::kill(-child, SIGKILL);
  ::kill(child, SIGKILL);
  while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// The frames named here need a build with debug information that keeps its functions (-O0 -g); the
// threads counted here are the test's own, and ThreadSanitizer starts one of its own.
#if defined(__OPTIMIZE__) || !defined(ASSAY_SELFTEST_DEBUG_INFO)
constexpr bool optimised = true;
#else
constexpr bool optimised = false;
#endif
#if defined(__SANITIZE_THREAD__)
constexpr bool thread_sanitized = true;
#else
constexpr bool thread_sanitized = false;
#endif

class HangDumpTest : public assay::TestCase<HangDumpTest> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(optimised, "frames are named only in a -O0 -g build"),
                      assay::skipIf(thread_sanitized, "ThreadSanitizer adds a thread of its own"));
  TEST(test_every_thread_with_its_frames) {
    const pid_t child = start_child(2);
    addCleanup([child] { end_child(child); });
    const std::string dump = assay::dump_hung_worker(child, 5, "the test");
    const std::string lwp = std::to_string(child);
    assertTrue(dump.rfind("Thread 1 (LWP " + lwp + "), running the test (most recent call first):\n", 0) == 0, dump);
    assertIn(", in spin_in_child\n", dump);
    assertIn(", in start_child\n    spin_in_child(ready[1]);\n", dump);
    assertIn("\n\nThread 2 (LWP ", dump);
    assertIn("\n\nThread 3 (LWP ", dump);
    assertNotIn("Thread 4", dump);
    assertIn(", in sleep_in_child\n", dump);
    assertFalse(dump.back() == '\n');
  }
  TEST(test_threads_let_go) {
    const pid_t child = start_child(1);
    addCleanup([child] { end_child(child); });
    assay::dump_hung_worker(child, 5, "the test");
    assertEqual(tracer_of(child), "\t0");
    assertEqual(::waitpid(child, nullptr, WNOHANG), 0);  // still running: the kill is the caller's
    // A second dump finds it as the first did.
    assertIn("in spin_in_child", assay::dump_hung_worker(child, 5, "the test"));
  }
  TEST(test_running_names_the_fixture) {
    const pid_t child = start_child(0);
    addCleanup([child] { end_child(child); });
    assertIn("), running setUpClass (most recent call first):", assay::dump_hung_worker(child, 5, "setUpClass"));
  }
  TEST(test_no_such_process) {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    assertEqual(assay::dump_hung_worker(child, 1, "the test"),
                "(no thread stacks: the worker cannot be traced: ptrace: No such process)");
  }
  TEST(test_not_permitted) {
    // The test's own process: a thread cannot trace its own thread group.
    assertEqual(assay::dump_hung_worker(::getpid(), 1, "the test"),
                "(no thread stacks: the worker cannot be traced: ptrace: Operation not permitted)");
  }
  TEST(test_thread_held_by_another_tracer) {
    const pid_t child = start_child(1);
    pid_t other = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(child) + "/task"))
      if (const pid_t tid = std::atoi(entry.path().filename().c_str()); tid != child) other = tid;
    assertNotEqual(other, 0);
    // This process traces the second thread itself: the dump cannot, and says so for that thread only.
    assertEqual(::ptrace(PTRACE_SEIZE, other, nullptr, nullptr), 0L);
    addCleanup([child, other] {
      ::kill(child, SIGKILL);
      ::waitpid(other, nullptr, __WALL);  // a traced thread that dies waits for its tracer
      end_child(child);
    });
    const std::string dump = assay::dump_hung_worker(child, 5, "the test");
    assertIn(", in spin_in_child\n", dump);
    assertIn("\n\nThread 2 (LWP " + std::to_string(other) + "): not stopped: ptrace: Operation not permitted", dump);
  }
  TEST(test_deadline_kills_without_the_dump) {
    const pid_t child = start_child(0, true);
    addCleanup([child] { end_child(child); });
    const std::string dump = assay::dump_hung_worker(child, 0.2, "the test");
    assertTrue(dump.rfind("(no thread stacks: LWP ", 0) == 0, dump);
    assertIn(" did not stop within 0.2s; the worker was killed without the dump)", dump);
    assertNotIn("Thread 1", dump);
    // Killed, its threads reaped: nothing is left to wait for.
    const pid_t got = ::waitpid(child, nullptr, 0);
    assertTrue(got == child || (got < 0 && errno == ECHILD));
  }
};

}  // namespace
