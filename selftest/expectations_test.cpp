// Non-fatal expectations tested with assay itself: the exact events of inner tests, counts, the wire format.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <assay/event_codec.hpp>
#include <assay/text_result.hpp>

#include "recorder.hpp"

namespace {

using strings = std::vector<std::string>;
strings trail;

// The recorder's log, a `+` after the outcome of an event that is `further` (a block, not a count).
strings run_logged(const std::string& id) {
  selftest::recorder r;
  const assay::test_info* t = assay::find_test(id);
  if (!t) return {"no such inner test: " + id};
  assay::run_test(*t, r);
  strings log;
  for (std::size_t i = 0; i < r.events.size(); ++i) log.push_back(r.log[i] + (r.events[i].further ? " +" : ""));
  return log;
}

class Inner : public assay::TestCase<Inner> {
 protected:
  TEST(test_pass, assay::detail::not_collected) {
    trail.push_back(expectEqual(1, 1) ? "true" : "false");
  }
  TEST(test_two, assay::detail::not_collected) {
    trail.push_back(expectEqual(1, 2) ? "true" : "false");
    expectTrue(false, "second");
    trail.push_back("went on");
  }
  TEST(test_then_assert, assay::detail::not_collected) {
    expectIn(4, std::vector<int>{1, 2});
    assertEqual(1, 3);
    trail.push_back("unreachable");
  }
  TEST(test_assert_then_teardown, assay::detail::not_collected) { fail("body"); }
  TEST(test_then_error, assay::detail::not_collected) {
    expectFalse(true);
    throw std::runtime_error("boom");
  }
  TEST(test_subtests, assay::detail::not_collected) {
    for (int i = 0; i < 2; ++i) {
      subTest({{"i", i}}, [&] {
        expectEqual(i, 5);
        expectLess(i, 0);
      });
    }
    expectEqual(2, 3, "outside");
  }
  TEST(test_xfail, assay::expectedFailure, assay::detail::not_collected) {
    expectEqual(1, 2);
    trail.push_back("went on");
  }
  TEST(test_xfail_passes, assay::expectedFailure, assay::detail::not_collected) { expectEqual(1, 1); }
  TEST(test_raises, assay::detail::not_collected) {
    trail.push_back(expectRaises<std::runtime_error>([] { throw std::runtime_error("x"); }) ? "true" : "false");
    trail.push_back(expectRaises<std::runtime_error>([] {}) ? "true" : "false");
    trail.push_back(expectRaisesRegex<std::runtime_error>("^y", [] { throw std::runtime_error("x"); }) ? "true"
                                                                                                     : "false");
    // A different exception is not swallowed: it escapes, as from assertRaises, and is an ERROR.
    expectRaises<std::invalid_argument>([] { throw std::logic_error("other"); });
  }
  TEST(test_mock, assay::detail::not_collected) {
    assay::mock::Mock<int(int)> m{"m"};
    m.return_value = 1;
    m(3);
    trail.push_back(m.expect_called_once_with(3) ? "true" : "false");
    trail.push_back(m.expect_called_with(4) ? "true" : "false");
    trail.push_back(m.expect_not_called() ? "true" : "false");
    trail.push_back(m.expect_has_calls({assay::mock::call(4)}) ? "true" : "false");
    trail.push_back(m.expect_has_calls({assay::mock::call(3)}) ? "true" : "false");
  }
  TEST(test_checks_object, assay::detail::not_collected) {
    // Checks of an object of its own (no TestCase): its failures are the running test's. (Outside any run
    // they raise as assertions: bootstrap.cpp.)
    struct checks : assay::expectations {} checks_object;
    checks_object.expectEqual(1, 2, "own object");
    trail.push_back("went on");
  }
  TEST(test_thread, assay::detail::not_collected) {
    std::thread t([this] { expectEqual(1, 2, "on a thread"); });
    t.join();
    trail.push_back("joined");
  }
};

class InTearDown : public assay::TestCase<InTearDown> {
 protected:
  void tearDown() override { expectEqual(1, 2, "tearDown"); }
  TEST(test_fails, assay::detail::not_collected) { fail("body"); }
  TEST(test_passes, assay::detail::not_collected) {}
};

class InSetUp : public assay::TestCase<InSetUp> {
 protected:
  void setUp() override {
    expectEqual(1, 2, "setUp");
    addCleanup([this] { expectEqual(3, 4, "cleanup"); });
  }
  TEST(test_runs, assay::detail::not_collected) { trail.push_back("test ran"); }
};


class ExpectationsTest : public assay::TestCase<ExpectationsTest> {
 protected:
  void setUp() override { trail.clear(); }

  TEST(test_passing_is_silent_and_true) {
    assertEqual(run_logged("expectations_test.Inner.test_pass"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"true"});
  }
  TEST(test_each_failure_reported_test_goes_on) {
    assertEqual(run_logged("expectations_test.Inner.test_two"),
                strings{"start", "failure AssertionError: 1 != 2", "failure AssertionError: false is not true : second +",
                        "stop"});
    assertEqual(trail, (strings{"false", "went on"}));
  }
  TEST(test_then_an_assertion_both_reported_once_counted) {
    assertEqual(run_logged("expectations_test.Inner.test_then_assert"),
                strings{"start", "failure AssertionError: 4 not found in [1, 2]", "failure AssertionError: 1 != 3 +",
                        "stop"});
    assertEqual(trail, strings{});
  }
  TEST(test_then_an_error_is_counted_as_an_error) {
    assertEqual(run_logged("expectations_test.Inner.test_then_error"),
                strings{"start", "failure AssertionError: true is not false", "error std::runtime_error: boom", "stop"});
  }
  TEST(test_without_expectations_unittest_counts_hold) {
    // An assertion in the body and one in tearDown, no expectation: two failures, as unittest counts them.
    assertEqual(run_logged("expectations_test.Inner.test_assert_then_teardown"),
                strings{"start", "failure AssertionError: body", "stop"});
    assertEqual(run_logged("expectations_test.InTearDown.test_fails"),
                strings{"start", "failure AssertionError: body", "failure AssertionError: 1 != 2 : tearDown +", "stop"});
    assertEqual(run_logged("expectations_test.InTearDown.test_passes"),
                strings{"start", "failure AssertionError: 1 != 2 : tearDown", "stop"});
  }
  TEST(test_in_setup_and_cleanup_the_test_still_runs) {
    assertEqual(run_logged("expectations_test.InSetUp.test_runs"),
                strings{"start", "failure AssertionError: 1 != 2 : setUp", "failure AssertionError: 3 != 4 : cleanup +",
                        "stop"});
    assertEqual(trail, strings{"test ran"});
  }
  TEST(test_in_subtests_each_subtest_counted_once) {
    assertEqual(run_logged("expectations_test.Inner.test_subtests"),
                strings{"start", "subtest failure (i=0) AssertionError: 0 != 5",
                        "subtest failure (i=0) AssertionError: 0 not less than 0 +",
                        "subtest failure (i=1) AssertionError: 1 != 5",
                        "subtest failure (i=1) AssertionError: 1 not less than 0 +",
                        "failure AssertionError: 2 != 3 : outside", "stop"});
  }
  TEST(test_expected_failure) {
    assertEqual(run_logged("expectations_test.Inner.test_xfail"), strings{"start", "expected_failure", "stop"});
    assertEqual(trail, strings{"went on"});
    assertEqual(run_logged("expectations_test.Inner.test_xfail_passes"),
                strings{"start", "unexpected_success", "stop"});
  }
  TEST(test_raises_twins) {
    assertEqual(run_logged("expectations_test.Inner.test_raises"),
                strings{"start", "failure AssertionError: std::runtime_error not raised",
                        "failure AssertionError: \"^y\" does not match \"x\"\n\nDuring handling of: "
                        "std::runtime_error: x +",
                        "error std::logic_error: other", "stop"});
    assertEqual(trail, (strings{"true", "false", "false"}));
  }
  TEST(test_mock_twins) {
    const strings log = run_logged("expectations_test.Inner.test_mock");
    assertEqual(log.size(), 5u);
    assertEqual(log[1].rfind("failure AssertionError: expected call not found.", 0), 0u, log[1]);
    assertEqual(log[2].rfind("failure AssertionError: Expected 'm' to not have been called. Called 1 times.", 0), 0u,
                log[2]);
    assertEqual(log[3].rfind("failure AssertionError: Calls not found.", 0), 0u, log[3]);
    assertEqual(trail, (strings{"true", "false", "false", "false", "true"}));
  }
  TEST(test_on_another_thread) {
    assertEqual(run_logged("expectations_test.Inner.test_thread"),
                strings{"start", "failure AssertionError: 1 != 2 : on a thread", "stop"});
    assertEqual(trail, strings{"joined"});
  }
  TEST(test_an_object_of_checks_reports_to_the_running_test) {
    assertEqual(run_logged("expectations_test.Inner.test_checks_object"),
                strings{"start", "failure AssertionError: 1 != 2 : own object", "stop"});
    assertEqual(trail, strings{"went on"});
  }
  TEST(test_further_crosses_the_wire) {
    assay::detail::record r;
    r.event.kind = assay::event_kind::outcome;
    r.event.result = assay::outcome::failure;
    r.event.message = "second";
    for (const bool further : {false, true}) {
      r.event.further = further;
      std::string bytes;
      assay::detail::encode(r, bytes);
      assay::detail::record back;
      bool ok = false;
      assertEqual(assay::detail::decode(bytes.data(), bytes.size(), back, ok), bytes.size());
      assertTrue(ok);
      assertEqual(back.event.further, further);
    }
  }
  TEST(test_text_counts_and_shows_the_test_once) {
    char* buffer = nullptr;
    std::size_t size = 0;
    std::FILE* out = ::open_memstream(&buffer, &size);
    {
      assay::text_result text(out, 2, false, -1);
      assay::test_event e;
      e.test = assay::find_test("expectations_test.Inner.test_two");
      e.kind = assay::event_kind::start_test;
      text.on_event(e);
      e.kind = assay::event_kind::outcome;
      e.result = assay::outcome::failure;
      e.type = "AssertionError";
      e.message = "one";
      text.on_event(e);
      e.message = "two";
      e.further = true;
      text.on_event(e);
      e.further = false;
      e.kind = assay::event_kind::stop_test;
      text.on_event(e);
      e.kind = assay::event_kind::stop_run;
      text.on_event(e);
    }
    std::fclose(out);
    const std::string text(buffer, size);
    std::free(buffer);
    assertIn("test_two (expectations_test.Inner.test_two) ... FAIL\n\n", text);
    assertIn("AssertionError: one\n", text);
    assertIn("AssertionError: two\n", text);
    assertIn("FAILED (failures=1)", text);
  }
};

}  // namespace
