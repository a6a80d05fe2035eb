// Tests whose verdict changes from one attempt to the next, for --retries, FLAKY and the last-run cache.
// Attempts are counted in files of a directory made afresh for each run of this binary (and removed at its
// end), so every run starts from attempt 1 and workers, forked or exec'd, share the count.
#include <assay/assay.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace {

// The run's own directory: made by the process that runs the suite (before main), inherited by its workers
// through the environment. (A global std::string would be initialised after this constructor ran.)
[[gnu::constructor]] void make_state_dir() {
  if (std::getenv("FLAKY_STATE_DIR")) return;
  static char name[] = "/tmp/assay-flaky-XXXXXX";
  if (!::mkdtemp(name)) return;
  ::setenv("FLAKY_STATE_DIR", name, 1);
  static pid_t owner = ::getpid();
  std::atexit([] {
    if (::getpid() == owner) std::system((std::string("rm -rf ") + name).c_str());  // (workers _exit)
  });
}

std::string state_file(const char* name) {
  const char* dir = std::getenv("FLAKY_STATE_DIR");
  return std::string(dir ? dir : "/nonexistent") + "/" + name;
}

// This attempt's number for `name`: 1 the first time it is asked in the run, 2 the next, ...
int next_attempt(const char* name) {
  const std::string path = state_file(name);
  int count = 0;
  if (std::FILE* f = std::fopen(path.c_str(), "r")) {
    if (std::fscanf(f, "%d", &count) != 1) count = 0;
    std::fclose(f);
  }
  ++count;
  if (std::FILE* f = std::fopen(path.c_str(), "w")) {
    std::fprintf(f, "%d\n", count);
    std::fclose(f);
  }
  return count;
}

bool broken() { return std::getenv("FLAKY_BROKEN") != nullptr; }

}  // namespace

class Flaky : public assay::TestCase<Flaky> {
 protected:
  TEST(test_stable) {}
  TEST(test_fails_once) {
    if (next_attempt("fails_once") == 1) fail("the first attempt fails");
  }
  TEST(test_errors_once) {
    if (next_attempt("errors_once") == 1) throw std::runtime_error("the first attempt errors");
  }
  TEST(test_subtest_fails_once) {
    const int attempt = next_attempt("subtest_fails_once");
    for (int i = 0; i < 2; ++i) subTest({{"i", i}}, [&] { assertFalse(attempt == 1 && i == 1); });
  }
  TEST(test_always_fails) {
    std::printf("attempt %d\n", next_attempt("always_fails"));
    assertEqual(1, 2);
  }
  TEST(test_own_retries, assay::retries(2)) {
    if (next_attempt("own_retries") <= 2) fail("the first two attempts fail");
  }
  TEST(test_never_retried, assay::retries(0)) {
    if (next_attempt("never_retried") == 1) fail("fails once, and is never rerun");
  }
  TEST(test_skipped_on_rerun) {
    if (next_attempt("skipped_on_rerun") == 1) fail("the first attempt fails");
    skipTest("the rerun skips");
  }
};

// A class option: every test of the class gets one rerun.
class FlakyClass : public assay::TestCase<FlakyClass> {
  CLASS_OPTIONS(assay::retries(1));

 protected:
  TEST(test_class_retries) {
    if (next_attempt("class_retries") == 1) fail("the first attempt fails");
  }
};

// What the last-run cache sees: FLAKY_BROKEN=1 breaks these.
class Toggle : public assay::TestCase<Toggle> {
 protected:
  TEST(test_passes) {}
  TEST(test_breaks) { assertFalse(broken(), "FLAKY_BROKEN is set"); }
  TEST(test_also_passes) {}
};

class ToggleFixture : public assay::TestCase<ToggleFixture> {
 protected:
  static void setUpClass() {
    if (broken()) throw std::runtime_error("setUpClass broken");
  }
  TEST(test_behind_fixture) {}
};

// Supervised only: a crash ends an in-process run.
class Crashy : public assay::TestCase<Crashy> {
 protected:
  static void setUpClass() { std::printf("Crashy.setUpClass\n"); }
  TEST(test_crashes_once) {
    if (next_attempt("crashes_once") == 1) std::raise(SIGSEGV);
  }
  TEST(test_crashes_always) {
    next_attempt("crashes_always");
    std::abort();
  }
  // Each attempt in a fresh worker: the second sees another process than the first.
  TEST(test_fresh_worker) {
    const std::string path = state_file("fresh_worker_pid");
    if (next_attempt("fresh_worker") == 1) {
      if (std::FILE* f = std::fopen(path.c_str(), "w")) {
        std::fprintf(f, "%d\n", static_cast<int>(::getpid()));
        std::fclose(f);
      }
      fail("the first attempt fails");
    }
    int first = 0;
    if (std::FILE* f = std::fopen(path.c_str(), "r")) {
      if (std::fscanf(f, "%d", &first) != 1) first = 0;
      std::fclose(f);
    }
    assertNotEqual(first, static_cast<int>(::getpid()), "the rerun ran in the same process");
  }
  TEST(test_after_crashes) {}
};
