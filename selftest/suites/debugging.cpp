// Tests for debugging from outside (debugging.cmake runs them under gdb and without one): each marked line
// (`// stop:` comments) is where the debugger must stop, or the throw --no-catch must leave on the stack.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

// Named so that a backtrace shows it: --no-catch must leave this frame on the stack.
[[gnu::noinline]] int parse_port(const std::string& text) {
  if (text.empty()) throw std::invalid_argument("no port given");  // stop: throw
  return std::stoi(text);
}

}  // namespace

class Stops : public assay::TestCase<Stops> {
 protected:
  void check_total(const std::vector<int>& values, int expected) {
    int total = 0;
    for (int v : values) total += v;
    assertEqual(total, expected);  // stop: helper
  }

  TEST(test_assertion) {
    const int answer = 6 * 7;
    assertEqual(answer, 43);  // stop: assertion
  }
  TEST(test_assertion_true) {
    const bool ready = false;
    assertTrue(ready);  // stop: assertion_true
  }
  TEST(test_helper) { check_total({1, 2, 3}, 7); }
  TEST(test_mock) {
    assay::mock::Mock<void(int)> send{"send"};
    send(1);
    send.assert_called_with(2);  // stop: mock
  }
  TEST(test_breakpoint) {
    const int before = 1;
    assay::breakpoint();  // stop: breakpoint
    assertEqual(before, 1);
  }
};

class Throws : public assay::TestCase<Throws> {
 protected:
  TEST(test_unexpected) {
    const std::string config(32, 'x');  // a local with a destructor: the unwinder must not run it first
    assertEqual(parse_port(""), 80);
    assertTrue(config.empty());
  }
  TEST(test_fails) { assertEqual(1, 2); }
  TEST(test_skips) { skipTest("not today"); }
  TEST(test_passes) { assertEqual(parse_port("80"), 80); }
};

// Expectations stop on their own line as assertions do (after every other class: the goldens keep their lines).
class StopsOnExpectation : public assay::TestCase<StopsOnExpectation> {
 protected:
  TEST(test_expectation) {
    const int answer = 6 * 7;
    expectEqual(answer, 43);  // stop: expectation
    assertEqual(answer, 42);
  }
  TEST(test_mock_expectation) {
    assay::mock::Mock<void(int)> send{"send"};
    send.expect_called();  // stop: mock_expectation
  }
};
