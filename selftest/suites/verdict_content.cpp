// Purpose-built: what a test hands the report must reach it whole — NUL bytes in every text, exceptions
// whose what() is null or whose destructor throws, output captured without a writable /tmp.
#include <assay/assay.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

// A broken what() override: null, where the standard asks for a C string.
struct BadWhat : std::exception {
  const char* what() const noexcept override { return nullptr; }
};

// An exception whose destructor throws: it runs where the handler that caught the exception ends.
struct ThrowingDestructor {
  ThrowingDestructor() = default;
  ThrowingDestructor(const ThrowingDestructor&) = default;
  ~ThrowingDestructor() noexcept(false) { throw std::runtime_error("from the destructor"); }
};

const std::string with_nul(const char* before, const char* after) {
  return std::string(before) + '\0' + after;
}

}  // namespace

class Nul : public assay::TestCase<Nul> {
 protected:
  TEST(test_fail_message) { fail(with_nul("before", "after")); }
  TEST(test_subtest_message) {
    subTest(with_nul("sub", "test"), [&] { fail("inside"); });
  }
  TEST(test_skip_reason) { skipTest(with_nul("skip", "reason")); }
  TEST(test_output) {
    const std::string out = with_nul("out", "put\n");
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    const std::string err = with_nul("err", "or\n");
    std::fwrite(err.data(), 1, err.size(), stderr);
    fail("after output");
  }
  TEST(test_after) {}
};

class Exceptions : public assay::TestCase<Exceptions> {
 protected:
  TEST(test_null_what) { throw BadWhat{}; }
  TEST(test_nested_null_what) {
    try {
      throw BadWhat{};
    } catch (...) {
      std::throw_with_nested(std::runtime_error("outer"));
    }
  }
  TEST(test_raises_regex_null_what) {
    assertRaisesRegex<BadWhat>("^$", [] { throw BadWhat{}; });
  }
  TEST(test_throwing_destructor) { throw ThrowingDestructor{}; }
  TEST(test_after) {}
};

class DestructorInSetUpClass : public assay::TestCase<DestructorInSetUpClass> {
 public:
  static void setUpClass() { throw ThrowingDestructor{}; }

 protected:
  TEST(test_not_run) {}
};

class Survivor : public assay::TestCase<Survivor> {
 protected:
  TEST(test_passes) {}
};

// -b: a failing test's output is shown; a passing test's is not.
class Capture : public assay::TestCase<Capture> {
 protected:
  TEST(test_prints_and_fails) {
    std::printf("captured stdout\n");
    std::fprintf(stderr, "captured stderr\n");
    fail("shows its output");
  }
  TEST(test_prints_and_passes) {
    std::printf("hidden stdout\n");
    std::fprintf(stderr, "hidden stderr\n");
  }
};

// --repeat streams the plan: a billion runs start at once, and failfast ends them at the third.
class Counted : public assay::TestCase<Counted> {
 protected:
  TEST(test_fails_on_third_run) {
    static int runs = 0;
    if (++runs == 3) fail("third run");
  }
};

// A timeout too long to count in nanoseconds is no timeout at all, not one already over.
class HugeTimeout : public assay::TestCase<HugeTimeout> {
 protected:
  TEST(test_passes_within_centuries, assay::timeout(1e12)) { nap(); }
  TEST(test_passes_within_forever, assay::timeout(__builtin_inf())) { nap(); }
  // Long enough for the supervisor to look at the deadline.
  static void nap() { std::this_thread::sleep_for(std::chrono::milliseconds(100)); }
};
