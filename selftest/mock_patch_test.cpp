// assay::mock::patch checked with assay itself: variables, function pointers, std::function seams, mocks, cleanups.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <functional>
#include <stdexcept>
#include <string>

using assay::mock::Mock;
using assay::mock::patch;

namespace {

int counter = 1;
std::string greeting = "hello";
int twice(int x) { return 2 * x; }
int (*double_it)(int) = &twice;
int (*triple_it)(int) = [](int x) { return 3 * x; };
std::function<std::string(const std::string&)> shout = [](const std::string& s) { return s + "!"; };

int (*noexcept_seam)(int) noexcept = [](int x) noexcept { return x; };

struct Clock {
  static inline long (*now)() = [] { return 1L; };
};

}  // namespace

class PatchTest : public assay::TestCase<PatchTest> {
 protected:
  TEST(test_variable_restored_at_scope_exit) {
    {
      auto guard = patch(counter, 5);
      assertEqual(counter, 5);
      assertTrue(guard.active());
    }
    assertEqual(counter, 1);
  }

  TEST(test_restored_when_an_exception_flies) {
    assertRaises<std::runtime_error>([] {
      auto guard = patch(greeting, std::string("patched"));
      throw std::runtime_error("boom");
    });
    assertEqual(greeting, "hello");
  }

  TEST(test_stop_restores_once) {
    auto guard = patch(counter, 7);
    guard.stop();
    assertEqual(counter, 1);
    counter = 3;
    guard.stop();
    assertEqual(counter, 3);  // a second stop does nothing
    counter = 1;
  }

  TEST(test_nested_patches_unwind_in_order) {
    {
      auto outer = patch(counter, 2);
      {
        auto inner = patch(counter, 3);
        assertEqual(counter, 3);
      }
      assertEqual(counter, 2);
    }
    assertEqual(counter, 1);
  }

  TEST(test_function_pointer_with_a_plain_function) {
    {
      auto guard = patch(double_it, +[](int x) { return x + 100; });
      assertEqual(double_it(1), 101);
    }
    assertEqual(double_it(1), 2);
  }

  TEST(test_function_pointer_with_a_mock) {
    Mock<int(int)> m{"double_it"};
    m.return_value = 9;
    {
      auto guard = patch<double_it>(m);
      assertEqual(double_it(4), 9);
      m.assert_called_once_with(4);
    }
    assertEqual(double_it(4), 8);
  }

  TEST(test_same_signature_seams_patched_together) {
    Mock<int(int)> a, b;
    a.return_value = 1;
    b.return_value = 2;
    auto ga = patch<double_it>(a);
    auto gb = patch<triple_it>(b);
    assertEqual(double_it(0) + triple_it(0), 3);
    {
      Mock<int(int)> c;
      c.return_value = 30;
      auto gc = patch<double_it>(c);  // the same seam again: the inner mock wins, then the outer comes back
      assertEqual(double_it(0), 30);
    }
    assertEqual(double_it(0), 1);
  }

  TEST(test_noexcept_function_pointer) {
    {
      auto m = patch<noexcept_seam>();
      m.return_value = 5;
      assertEqual(noexcept_seam(1), 5);
    }
    assertEqual(noexcept_seam(1), 1);
  }

  TEST(test_std_function_seam) {
    Mock<std::string(const std::string&)> m{"shout"};
    m.return_value = "quiet";
    {
      auto guard = patch(shout, m);
      assertEqual(shout("hi"), "quiet");
    }
    assertEqual(shout("hi"), "hi!");
    m.assert_called_once_with("hi");
  }

  TEST(test_fresh_mock_named_after_the_seam) {
    {
      auto now = patch<Clock::now>();
      now.return_value = 42;
      assertEqual(Clock::now(), 42);
      auto e = assertRaises<assay::AssertionError>([&] { now.assert_not_called(); });
      assertEqual(e.what(), "Expected 'now' to not have been called. Called 1 times.\nCalls: [call()].");
    }
    assertEqual(Clock::now(), 1);
  }

  TEST(test_fresh_mock_for_std_function) {
    {
      auto m = patch<shout>();
      m.return_value = "mocked";
      assertEqual(shout("x"), "mocked");
      m.stop();
      assertEqual(shout("x"), "x!");
      m.assert_called_once_with("x");
    }
  }

  TEST(test_patch_multiple) {
    {
      auto [d, t, s] = assay::mock::patch_multiple<double_it, triple_it, shout>();
      d.return_value = 1;
      t.return_value = 2;
      assertEqual(double_it(5) + triple_it(5), 3);
      shout("a");
      s.assert_called_once_with("a");
      auto& double_mock = d;  // clang 14 cannot capture a structured binding in a lambda
      auto e = assertRaises<assay::AssertionError>([&] { double_mock.assert_called_once_with(6); });
      assertEqual(e.what(), "expected call not found.\nExpected: double_it(6)\n  Actual: double_it(5)");
    }
    assertEqual(double_it(5) + triple_it(5), 25);
    assertEqual(shout("a"), "a!");
  }
};

// Patches started in setUp are stopped by cleanups: unittest's `self.addCleanup(patcher.stop)`.
class PatchInSetUpTest : public assay::TestCase<PatchInSetUpTest> {
 protected:
  Mock<int(int)> double_mock{"double_it"};

  void setUp() override {
    addCleanup([this] { assertEqual(counter, 1); });  // runs last (cleanups are LIFO): both patches undone
    addCleanup(patch(counter, 10));
    addCleanup(patch<double_it>(double_mock));
  }

  TEST(test_patched_during_the_test) {
    assertEqual(counter, 10);
    double_mock.return_value = 4;
    assertEqual(double_it(1), 4);
  }
};
