// Twin of parity_outcomes.py: every outcome, fixture failure and subtest form, run by assay. Classes and
// tests are declared in the sorted order in which unittest's loader runs them.
#include <assay/assay.hpp>

#include <cstdio>
#include <stdexcept>

// Python's exception names, so the two reports name the same types.
struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CleanupFails : public assay::TestCase<CleanupFails> {
  TEST(test_cleanup_fails) {
    addCleanup([this] { fail("second cleanup, runs last"); });
    addCleanup([] { throw RuntimeError("first cleanup"); });
  }
  TEST(test_xfail_cleanup_fails, assay::expectedFailure) {
    addCleanup([] { throw RuntimeError("first cleanup"); });
    fail("expected");
  }
};

class Outcomes : public assay::TestCase<Outcomes> {
  TEST(test_error) { throw ValueError("boom"); }
  TEST(test_fail) { assertEqual(1 + 1, 3, "math is broken"); }
  TEST(test_fail_message) { fail("plain failure"); }
  TEST(test_pass) { assertEqual(2, 1 + 1); }
  TEST(test_skip, assay::skip("not today")) { fail("a skipped test must not run"); }
  TEST(test_skip_escapes, assay::skip("tab\there \\ é \x07")) {}
  TEST(test_skip_if, assay::skipIf(true, "say \"hi\"")) {}
  TEST(test_skip_in_body) {
    skipTest("it's raining");
    fail("unreachable");
  }
  TEST(test_skip_unless, assay::skipUnless(false, "both ' and \"")) {}
  TEST(test_xfail, assay::expectedFailure) { assertEqual(1, 2); }
  TEST(test_xpass, assay::expectedFailure) {}
};

class Printing : public assay::TestCase<Printing> {
  TEST(test_prints_and_errors) {
    std::puts("error output on stdout");
    throw ValueError("after printing");
  }
  TEST(test_prints_and_fails) {
    std::puts("hello from stdout");
    std::fputs("hello from stderr\n", stderr);
    fail("after printing");
  }
  TEST(test_prints_and_passes) { std::puts("quiet unless it fails"); }
};

class SetUpFails : public assay::TestCase<SetUpFails> {
 protected:
  void setUp() override {
    addCleanup([] {});
    throw RuntimeError("setUp broke");
  }
  void tearDown() override { throw RuntimeError("tearDown must not run"); }

  TEST(test_never_runs) {}
  TEST(test_xfail, assay::expectedFailure) {}
};

class Subtests : public assay::TestCase<Subtests> {
  TEST(test_forms) {
    subTest("checking pairs", {{"a", 1}, {"b", "x"}}, [&] { fail("pair"); });
    subTest([&] { fail("anonymous"); });
    subTest(42, [&] { throw RuntimeError("in a subtest"); });
    subTest({{"skipped", 1}}, [&] { skipTest("not this one"); });
    subTest({{"ok", 1}}, [&] {});
  }
  TEST(test_nested) {
    subTest({{"outer", 1}}, [&] { subTest({{"inner", 2}}, [&] { fail("nested"); }); });
  }
  TEST(test_nested_msg) {
    subTest("m1", {{"outer", 1}}, [&] { subTest("m2", {{"inner", 2}}, [&] { fail("nested with messages"); }); });
    subTest("m1", {{"outer", 1}}, [&] { subTest({{"inner", 2}}, [&] { fail("inner without a message"); }); });
  }
  TEST(test_nested_override) {
    subTest({{"k", 1}, {"a", 3}}, [&] { subTest({{"k", 2}, {"b", 4}}, [&] { fail("inner key wins"); }); });
  }
  TEST(test_params) {
    for (int i = 0; i < 4; ++i) subTest({{"i", i}}, [&] { assertEqual(i % 2, 0); });
  }
  TEST(test_xfail_subtest, assay::expectedFailure) {
    subTest({{"i", 1}}, [&] { fail("expected"); });
  }
};

class TearDownFails : public assay::TestCase<TearDownFails> {
 protected:
  void tearDown() override {
    if (teardown_error) throw RuntimeError("tearDown broke");
    fail("tearDown fails");
  }
  bool teardown_error = false;

  TEST(test_pass) {}
  TEST(test_xfail, assay::expectedFailure) { fail("expected"); }
  TEST(test_xfail_error, assay::expectedFailure) {
    teardown_error = true;
    fail("expected");
  }
  TEST(test_xpass, assay::expectedFailure) {}
};
