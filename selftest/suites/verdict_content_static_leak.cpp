// Purpose-built: memory leaked during static initialisation, before any test. LeakSanitizer reports it at
// exit, but it is no test's doing: no test, nor any worker's tests, may be blamed for it. A test that leaks
// afterwards still is.
#include <assay/assay.hpp>

#include <cstdlib>

namespace {
char* volatile kept = nullptr;
[[maybe_unused]] const bool leaked_at_start = [] {
  kept = new char[11];
  kept = nullptr;
  return true;
}();
}  // namespace

class StaticLeak : public assay::TestCase<StaticLeak> {
 protected:
  TEST(test_clean) {}
  TEST(test_clean_too) {}
  TEST(test_leaks, assay::skipUnless(std::getenv("LEAK_IN_TEST") != nullptr, "LEAK_IN_TEST is not set")) {
    kept = new char[7];
    kept = nullptr;
  }
};
