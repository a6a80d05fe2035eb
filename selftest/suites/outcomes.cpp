// Every outcome unittest knows, for golden tests of the text report, selection and options.
#include <assay/assay.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>

class Passing : public assay::TestCase<Passing> {
  TEST(test_a) { assertEqual(2, 1 + 1); }
  TEST(test_b) { assertTrue(true); }
};

class Outcomes : public assay::TestCase<Outcomes> {
  TEST(test_fail) { assertEqual(1 + 1, 3, "math is broken"); }
  TEST(test_error) { throw std::runtime_error("boom"); }
  TEST(test_error_not_std) { throw 42; }
  TEST(test_skip, assay::skip("not today")) { fail("a skipped test must not run"); }
  TEST(test_skip_in_body) {
    skipTest("no network");
    fail("unreachable");
  }
  TEST(test_skip_if, assay::skipIf(true, "condition held")) {}
  TEST(test_skip_unless, assay::skipUnless(true, "never shown")) {}
  TEST(test_xfail, assay::expectedFailure) { assertEqual(1, 2); }
  TEST(test_xpass, assay::expectedFailure) {}
  TEST(test_subtests) {
    for (int i = 0; i < 4; ++i) subTest({{"i", i}}, [&] { assertEqual(i % 2, 0); });
  }
  TEST(test_subtest_forms) {
    subTest("checking pairs", {{"a", 1}, {"b", "x"}}, [&] { fail("pair"); });
    subTest([&] { fail("anonymous"); });
    subTest(42, [&] { throw std::logic_error("in a subtest"); });
    subTest({{"outer", 1}}, [&] { subTest({{"inner", 2}}, [&] { fail("nested"); }); });
    subTest({{"skipped", true}}, [&] { skipTest("not this one"); });
    subTest({{"ok", true}}, [&] { assertTrue(true); });
  }
};

class Printing : public assay::TestCase<Printing> {
  TEST(test_prints_and_fails) {
    std::puts("hello from stdout");
    std::fputs("hello from stderr\n", stderr);
    fail("after printing");
  }
  TEST(test_prints_and_passes) { std::puts("quiet unless it fails"); }
};

class Skipping : public assay::TestCase<Skipping> {
  TEST(test_one, assay::skip("one")) {}
  TEST(test_two) { skipTest("two"); }
};

class Timing : public assay::TestCase<Timing> {
  TEST(test_fast) {}
  TEST(test_slow) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(30);
    while (std::chrono::steady_clock::now() < until) {
    }
  }
};
