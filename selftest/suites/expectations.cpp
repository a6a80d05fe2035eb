// Non-fatal expectations from outside: each failure its own block, the test one FAIL, the run going on.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

class Expect : public assay::TestCase<Expect> {
  TEST(test_all_pass) {
    const std::vector<int> v{1, 2, 3};
    const int x = 1;
    expectEqual(2, 1 + 1);
    expectNotEqual(2, 3);
    expectTrue(true);
    expectFalse(false);
    expectIs(x, x);
    expectIsNot(x, v[0]);
    expectIsNone(nullptr);
    expectIsNotNone(&x);
    expectIn(2, v);
    expectNotIn(4, v);
    expectGreater(2, 1);
    expectGreaterEqual(2, 2);
    expectLess(1, 2);
    expectLessEqual(2, 2);
    expectAlmostEqual(1.0, 1.00000001);
    expectAlmostEqual(1.0, 1.001, assay::places(2));
    expectAlmostEqual(1.0, 1.1, assay::delta(0.2));
    expectNotAlmostEqual(1.0, 1.1);
    expectRegex(std::string("hello world"), "w.r");
    expectNotRegex(std::string("hello"), "^w");
    expectCountEqual(v, std::vector<int>{3, 1, 2});
    expectSequenceEqual(v, std::vector<int>{1, 2, 3});
    expectListEqual(v, v);
    expectSetEqual(std::set<int>{1, 2}, std::set<int>{2, 1});
    expectDictEqual(std::map<int, int>{{1, 2}}, std::map<int, int>{{1, 2}});
    expectMultiLineEqual(std::string("a\nb"), std::string("a\nb"));
    expectRaises<std::runtime_error>([] { throw std::runtime_error("x"); });
    expectRaisesRegex<std::runtime_error>("x+", [] { throw std::runtime_error("xx"); });
    assertTrue(expectEqual(1, 1), "a passing expectation returns true");
  }
  TEST(test_two_fail) {
    const int total = 2 + 2;
    expectEqual(total, 5, "first");
    expectTrue(total < 0);
    std::puts("still running after two failed expectations");
  }
  TEST(test_then_assertion) {
    const std::string name = "meerkat";
    expectIn("cat", name);
    expectIn("dog", name);
    assertEqual(name.size(), 3u);
    std::puts("unreachable: the assertion ended the test");
  }
  TEST(test_then_error) {
    expectEqual(1, 2);
    throw std::runtime_error("boom after an expectation");
  }
  TEST(test_guard) {
    const std::unique_ptr<int> animal;
    if (!expectIsNotNone(animal)) return;  // a failed expectation says so: the rest would crash
    expectEqual(*animal, 1);
  }
  TEST(test_in_subtests) {
    for (int i = 0; i < 3; ++i) {
      subTest({{"i", i}}, [&] {
        expectEqual(i % 2, 0);
        expectLess(i, 1);
      });
    }
  }
  TEST(test_raises) {
    expectRaises<std::invalid_argument>([] {});
    expectRaisesRegex<std::runtime_error>("^disk", [] { throw std::runtime_error("network down"); });
    expectRaisesRegex<std::runtime_error>("^disk", [] {});
  }
  TEST(test_containers) {
    expectListEqual(std::vector<int>{1, 2, 3}, std::vector<int>{1, 5, 3});
    expectCountEqual(std::vector<int>{1, 1, 2}, std::vector<int>{1, 2, 2});
    expectAlmostEqual(1.0, 1.5, assay::places(3));
  }
  TEST(test_mock) {
    assay::mock::Mock<void(int, std::string)> feed{"feed"};
    feed(2, "meerkat");
    feed(1, "lion");
    feed.expect_called_once_with(2, "meerkat");
    feed.expect_not_called();
    feed.expect_called_with(1, "lion");
    assertTrue(feed.expect_any_call(2, assay::mock::ANY), "a passing mock expectation returns true");
    using assay::mock::call;
    feed.expect_has_calls({call(1, "lion"), call(2, "meerkat")});
    feed.expect_has_calls({call(1, "lion"), call(2, "meerkat")}, true);
    feed.expect_has_calls(std::vector{call(3, "zebra")}, true);
  }
  TEST(test_thread) {
    // An expectation on a thread the test joins is the test's, reported when the test's part ends.
    std::thread worker([this] { expectEqual(std::string("from a thread"), std::string("expected")); });
    worker.join();
    std::puts("joined");
  }
  TEST(test_xfail, assay::expectedFailure) { expectEqual(1, 2); }
  TEST(test_passes_after) { expectTrue(true); }
};

class InFixtures : public assay::TestCase<InFixtures> {
 protected:
  void setUp() override {
    expectEqual(std::string("setUp"), std::string("set up"));
    addCleanup([this] { expectFalse(true, "in a cleanup"); });
  }
  void tearDown() override { expectGreater(1, 2, "in tearDown"); }
  TEST(test_body_runs) {
    std::puts("the body runs after setUp's failed expectation");
    expectEqual(1, 1);
  }
};
