// The bootstrap check: a plain main verifies a tiny run's events before any selftest trusts assay itself.
#include <assay/assay.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "recorder.hpp"

namespace {

std::vector<std::string> trail;

class Tiny : public assay::TestCase<Tiny> {
 protected:
  void setUp() override { trail.push_back("setUp"); }
  void tearDown() override { trail.push_back("tearDown"); }
  TEST(test_pass, assay::detail::not_collected) { trail.push_back("pass"); }
  TEST(test_fail, assay::detail::not_collected) { assertEqual(1, 2); }
  TEST(test_error, assay::detail::not_collected) { throw std::runtime_error("boom"); }
};

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bootstrap: FAILED: %s\n", what);
    ++failures;
  }
}

bool same(const std::vector<std::string>& got, const std::vector<std::string>& want) {
  if (got == want) return true;
  for (const auto& g : got) std::fprintf(stderr, "  got: %s\n", g.c_str());
  return false;
}

}  // namespace

int main() {
  using selftest::run_inner;
  expect(same(run_inner("bootstrap.Tiny.test_pass"), {"start", "success", "stop"}), "a passing test");
  expect(same(trail, {"setUp", "pass", "tearDown"}), "setUp, test, tearDown in order");
  expect(same(run_inner("bootstrap.Tiny.test_fail"), {"start", "failure AssertionError: 1 != 2", "stop"}),
         "a failing assertion is a failure");
  expect(same(run_inner("bootstrap.Tiny.test_error"), {"start", "error std::runtime_error: boom", "stop"}),
         "an exception is an error");
  expect(assay::all_tests().empty(), "inner cases are not collected");
  {
    // No test runs here: a failed expectation has no test to be reported with, so it raises as an assertion.
    struct standalone : assay::expectations {} checks;
    bool raised = false;
    try {
      checks.expectEqual(1, 2);
    } catch (const assay::AssertionError& e) {
      raised = std::string(e.what()) == "1 != 2";
    }
    expect(raised, "an expectation outside a run raises its AssertionError");
    expect(checks.expectEqual(2, 2), "a passing expectation outside a run returns true");
  }
  std::printf("bootstrap: %s\n", failures ? "FAILED" : "OK");
  return failures ? 1 : 0;
}
