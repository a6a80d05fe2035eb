// unittest.case semantics checked with assay itself: outcomes, fixtures, subtests, assertRaises, messages.
#include <assay/assay.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "recorder.hpp"

using selftest::run_inner;
using strings = std::vector<std::string>;

namespace {

strings trail;

class Inner : public assay::TestCase<Inner> {
 protected:
  void setUp() override {
    trail.push_back("setUp");
    addCleanup([] { trail.push_back("cleanup1"); });
    addCleanup([] { trail.push_back("cleanup2"); });
  }
  void tearDown() override { trail.push_back("tearDown"); }

  TEST(test_pass, assay::detail::not_collected) { trail.push_back("test"); }
  TEST(test_skip_in_body, assay::detail::not_collected) { skipTest("later"); }
  TEST(test_decorator_skip, assay::detail::not_collected, assay::skip("never")) { trail.push_back("ran!"); }
  TEST(test_xfail, assay::detail::not_collected, assay::expectedFailure) { assertTrue(false); }
  TEST(test_xpass, assay::detail::not_collected, assay::expectedFailure) {}
  TEST(test_xfail_in_subtest, assay::detail::not_collected, assay::expectedFailure) {
    subTest({{"i", 1}}, [&] { fail("expected"); });
    trail.push_back("not reached: an expected failure in a subtest stops the test");
  }
  TEST(test_subtests, assay::detail::not_collected) {
    for (int i = 0; i < 3; ++i) subTest({{"i", i}}, [&] { assertNotEqual(i, 1); });
    trail.push_back("after subtests");
  }
  TEST(test_fail_then_cleanup_error, assay::detail::not_collected) {
    addCleanup([] { throw std::logic_error("cleanup"); });
    fail("first");
  }
};

class SetUpFailure : public assay::TestCase<SetUpFailure> {
 protected:
  void setUp() override {
    addCleanup([] { trail.push_back("cleanup"); });
    throw std::runtime_error("no setUp");
  }
  void tearDown() override { trail.push_back("tearDown"); }
  TEST(test_x, assay::detail::not_collected) { trail.push_back("test"); }
};

class CaseTest : public assay::TestCase<CaseTest> {
 protected:
  void setUp() override { trail.clear(); }

  TEST(test_order_of_parts) {
    assertEqual(run_inner("case_test.Inner.test_pass"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"setUp", "test", "tearDown", "cleanup2", "cleanup1"});
  }
  TEST(test_setup_failure_skips_test_and_teardown_but_not_cleanups) {
    assertEqual(run_inner("case_test.SetUpFailure.test_x"),
                strings{"start", "error std::runtime_error: no setUp", "stop"});
    assertEqual(trail, strings{"cleanup"});
  }
  TEST(test_skips) {
    assertEqual(run_inner("case_test.Inner.test_skip_in_body"), strings{"start", "skipped: later", "stop"});
    assertEqual(run_inner("case_test.Inner.test_decorator_skip"), strings{"start", "skipped: never", "stop"});
    assertNotIn(std::string("ran!"), trail);
  }
  TEST(test_expected_failures) {
    assertEqual(run_inner("case_test.Inner.test_xfail"), strings{"start", "expected_failure", "stop"});
    assertEqual(run_inner("case_test.Inner.test_xpass"), strings{"start", "unexpected_success", "stop"});
    assertEqual(run_inner("case_test.Inner.test_xfail_in_subtest"), strings{"start", "expected_failure", "stop"});
    assertEqual(trail.size(), 12u);  // three runs of setUp, tearDown and two cleanups; nothing after the xfail
    assertNotIn(std::string("not reached: an expected failure in a subtest stops the test"), trail);
  }
  TEST(test_subtests_report_each_and_continue) {
    assertEqual(run_inner("case_test.Inner.test_subtests"),
                strings{"start", "subtest success (i=0)", "subtest failure (i=1) AssertionError: 1 == 1",
                        "subtest success (i=2)", "stop"});
    assertIn(std::string("after subtests"), trail);
  }
  TEST(test_every_error_is_reported) {
    assertEqual(run_inner("case_test.Inner.test_fail_then_cleanup_error"),
                strings{"start", "failure AssertionError: first", "error std::logic_error: cleanup", "stop"});
  }
};

class AssertRaisesTest : public assay::TestCase<AssertRaisesTest> {
 protected:
  TEST(test_returns_the_exception) {
    auto e = assertRaises<std::invalid_argument>([] { throw std::invalid_argument("bad value"); });
    assertEqual(std::string(e.what()), "bad value");
  }
  TEST(test_catches_derived_types) {
    assertRaises<std::logic_error>([] { throw std::out_of_range("x"); });
  }
  TEST(test_not_raised_is_a_failure) {
    auto e = assertRaises<assay::AssertionError>([&] { assertRaises<std::invalid_argument>([] {}); });
    assertEqual(std::string(e.what()), "std::invalid_argument not raised");
  }
  TEST(test_other_exception_propagates) {
    assertRaises<std::runtime_error>([&] { assertRaises<std::invalid_argument>([] { throw std::runtime_error("x"); }); });
  }
  TEST(test_regex) {
    assertRaisesRegex<std::runtime_error>("dis.*ed", [] { throw std::runtime_error("disconnected"); });
    auto e = assertRaises<assay::AssertionError>(
        [&] { assertRaisesRegex<std::runtime_error>("^x", [] { throw std::runtime_error("boom"); }); });
    assertEqual(std::string(e.what()), R"("^x" does not match "boom")");
  }
};

// The standard message of each assertion, as unittest words it.
class MessagesTest : public assay::TestCase<MessagesTest> {
 protected:
  template <class F>
  std::string message_of(F f) {
    return assertRaises<assay::AssertionError>(f).what();
  }

  TEST(test_standard_messages) {
    assertEqual(message_of([&] { assertEqual(1, 2); }), "1 != 2");
    assertEqual(message_of([&] { assertNotEqual(1, 1); }), "1 == 1");
    assertEqual(message_of([&] { assertTrue(0); }), "0 is not true");
    assertEqual(message_of([&] { assertFalse(1); }), "1 is not false");
    assertEqual(message_of([&] { assertGreater(1, 2); }), "1 not greater than 2");
    assertEqual(message_of([&] { assertGreaterEqual(1, 2); }), "1 not greater than or equal to 2");
    assertEqual(message_of([&] { assertLess(2, 1); }), "2 not less than 1");
    assertEqual(message_of([&] { assertLessEqual(2, 1); }), "2 not less than or equal to 1");
    assertEqual(message_of([&] { assertIn(4, std::vector<int>{1, 2, 3}); }), "4 not found in [1, 2, 3]");
    assertEqual(message_of([&] { assertNotIn(2, std::vector<int>{1, 2, 3}); }), "2 unexpectedly found in [1, 2, 3]");
    assertEqual(message_of([&] { assertIsNotNone(nullptr); }), "unexpectedly None");
    assertEqual(message_of([&] { assertAlmostEqual(1.0, 1.1); }),
                "1.0 != 1.1 within 7 places (0.10000000000000009 difference)");
    assertEqual(message_of([&] { assertRegex(std::string("abc"), "x+"); }), R"(Regex didn't match: "x+" not found in "abc")");
    assertEqual(message_of([&] { assertCountEqual(std::vector<int>{1, 1, 2}, std::vector<int>{1, 2, 3}); }),
                "Element counts were not equal:\nFirst has 2, Second has 1:  1\nFirst has 0, Second has 1:  3");
  }
  TEST(test_msg_and_long_message) {
    assertEqual(message_of([&] { assertEqual(1, 2, "extra context"); }), "1 != 2 : extra context");
    longMessage = false;
    assertEqual(message_of([&] { assertEqual(1, 2, "only this"); }), "only this");
  }
  TEST(test_strings_compare_by_value) {
    const char* c = "hello";
    assertEqual(c, std::string("hello"));
    assertEqual(std::string("hello"), "hello");
    assertEqual(message_of([&] { assertEqual("a\x07", std::string("b")); }), "\"a\\x07\" != \"b\"\n- a\\x07\n+ b\n");
  }
  TEST(test_mixed_signedness_compares_values) {
    assertEqual(3u, 3);
    assertNotEqual(-1, static_cast<unsigned>(-1));
    assertLess(-1, 0u);
  }
  TEST(test_identity_and_none) {
    int a = 1, b = 1;
    assertIs(a, a);
    assertIsNot(a, b);
    int* p = nullptr;
    assertIsNone(p);
    assertIsNotNone(&a);
    assertIn("ell", std::string("hello"));
  }
};

struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {};

class InstanceTest : public assay::TestCase<InstanceTest> {
 protected:
  TEST(test_dynamic_type) {
    Derived d;
    const Base& b = d;
    assertIsInstance<Derived>(b);
    assertIsInstance<Base>(&d);
    Base plain;
    assertNotIsInstance<Derived>(plain);
  }
};

}  // namespace
