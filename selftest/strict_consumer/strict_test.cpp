// A header-heavy test file as a team with strict warnings writes it: every kind of assertion, mixed
// arithmetic types, strings, containers, optionals, subTest, assertRaises, mocks, class mocks and patch.
// It must compile without a single warning under the flags of selftest/strict_consumer/CMakeLists.txt.
#if defined(STRICT_WITH_FMT)
#include <fmt/format.h>  // fmt first, as in a project that uses it: assay then prints through its formatters
#endif

#include <assay/assay.hpp>
#include <assay/mock.hpp>
#include <assay/param.hpp>
#if defined(STRICT_WITH_FMT)
#include <assay/fmt.hpp>
#endif

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

using assay::mock::ANY;
using assay::mock::call;
using assay::mock::Mock;
using assay::mock::patch;

namespace strict {
namespace {

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;
  virtual std::string get(const std::string& key) const = 0;
  virtual void put(const std::string& key, int value) = 0;
  virtual std::size_t size() const noexcept = 0;
};

struct Point {
  int x;
  int y;
  bool operator==(const Point&) const = default;
};

enum class Colour : std::uint8_t { red, green };

int counter = 1;
int twice(int x) { return 2 * x; }
int (*seam)(int) = &twice;
std::string exclaim(const std::string& s) { return s + "!"; }
std::string (*shout)(const std::string&) = &exclaim;

}  // namespace
}  // namespace strict

#if defined(STRICT_WITH_FMT)
namespace strict {
struct Money {
  long cents;
};
}  // namespace strict
template <>
struct fmt::formatter<strict::Money> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  auto format(const strict::Money& m, fmt::format_context& ctx) const { return fmt::format_to(ctx.out(), "${}", m.cents); }
};
#endif

// At namespace scope, as ASSAY_MOCK_CLASS must be.
namespace strict {
namespace {
ASSAY_MOCK_CLASS(MockStore, Store, get, put, size);
}  // namespace
}  // namespace strict
using strict::MockStore;

// The usual spelling: an interface and its mock in the global namespace.
class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock();
  virtual long now() const = 0;
};
Clock::~Clock() = default;
MOCK_CLASS(MockClock, Clock, now);

SET_UP_MODULE() {}
TEAR_DOWN_MODULE() {}

class Arithmetic : public assay::TestCase<Arithmetic> {
 protected:
  void setUp() override { base_ = 4; }
  void tearDown() override {}
  static void setUpClass() {}
  static void tearDownClass() {}

  TEST(test_mixed_types) {
    const float f = 4.0f;
    const double d = 4.0;
    const long l = 4;
    const unsigned u = 4;
    const std::size_t z = 4;
    const short s = 4;
    const unsigned char c = 4;
    const std::int64_t i64 = 4;
    assertEqual(f, 4);
    assertEqual(4, f);
    assertEqual(d, 4);
    assertEqual(f, d);
    assertEqual(l, 4);
    assertEqual(u, 4);
    assertEqual(4, u);
    assertEqual(z, base_);
    assertEqual(s, 4);
    assertEqual(c, 4);
    assertEqual(i64, u);
    assertNotEqual(f, 5);
    assertNotEqual(z, -1);
    assertGreater(f, 3);
    assertGreater(z, 3);
    assertGreaterEqual(u, 4);
    assertLess(-1, u);
    assertLess(s, 5.5);
    assertLessEqual(c, 4);
    assertAlmostEqual(f, 4);
    assertAlmostEqual(0.1 + 0.2, 0.3);
    assertAlmostEqual(f, 4.001, assay::places(2));
    assertAlmostEqual(z, 5, assay::delta(1.5));
    assertAlmostEqual(l, 5L, assay::delta(1));
    assertNotAlmostEqual(d, 5);
    assertNotAlmostEqual(u, 9u);
    assertNotAlmostEqual(f, 5.0f, assay::places(3));
  }

  TEST(test_truth_and_identity) {
    const int* none = nullptr;
    std::unique_ptr<int> owned = std::make_unique<int>(3);
    std::optional<int> empty;
    std::optional<int> three = 3;
    assertTrue(base_);
    assertFalse(0);
    assertIsNone(none);
    assertIsNone(empty);
    assertIsNotNone(owned);
    assertIsNotNone(three);
    assertEqual(three, 3);
    assertEqual(*three, base_ - 1);
    assertIs(base_, base_);
    assertIsNot(owned.get(), none);
    const strict::Store* store = nullptr;
    MockStore mock;
    store = &mock;
    assertIsInstance<strict::Store>(store);
    assertNotIsInstance<MockStore>(&base_store_);
    assertEqual(strict::Colour::red, strict::Colour::red);
    assertNotEqual(strict::Colour::red, strict::Colour::green);
    assertEqual(std::chrono::milliseconds(250), std::chrono::milliseconds(250));
  }

  int base_ = 0;
  struct Plain : strict::Store {
    std::string get(const std::string&) const override { return {}; }
    void put(const std::string&, int) override {}
    std::size_t size() const noexcept override { return 0; }
  } base_store_{};
};

class Text : public assay::TestCase<Text> {
 protected:
  TEST(test_strings) {
    const std::string s = "hello";
    const std::string_view v = "hello";
    const char* p = "hello";
    assertEqual(s, "hello");
    assertEqual(v, s);
    assertEqual(p, v);
    assertNotEqual(s, "world");
    assertIn("ell", s);
    assertNotIn("xyz", v);
    assertRegex(s, "^h.*o$");
    assertNotRegex(p, "^x");
    assertMultiLineEqual(std::string("a\nb\n"), "a\nb\n");
    assertEqual('a', 'a');
    assertLess(std::string("a"), "b");
  }

  TEST(test_messages) {
    assertEqual(1, 1, "with a message");
    assertTrue(true, std::string("a std::string message"));
    longMessage = false;
    maxDiff = assay::no_limit;
    auto e = assertRaises<assay::AssertionError>([&] { assertEqual(std::string("a"), "b", "custom"); });
    assertEqual(std::string(e.what()), "custom");
    assertIn("!=", assay::repr(std::string("x")) == "\"x\"" ? std::string("a != b") : std::string());
  }
};

class Containers : public assay::TestCase<Containers> {
 protected:
  TEST(test_sequences) {
    const std::vector<int> v{1, 2, 3};
    const std::vector<long> w{1, 2, 3};
    const std::vector<double> d{1.0, 2.0, 3.0};
    assertEqual(v, std::vector<int>{1, 2, 3});
    assertEqual(v, w);
    assertSequenceEqual(v, d);
    assertListEqual(v, w);
    assertTupleEqual(std::make_tuple(1, std::string("a")), std::make_tuple(1, std::string("a")));
    assertTupleEqual(std::make_pair(1, 2.0), std::make_pair(1, 2.0));
    assertIn(2, v);
    assertNotIn(7u, v);
    assertCountEqual(v, std::vector<int>{3, 2, 1});
    assertEqual(std::vector<strict::Point>{{1, 2}}, std::vector<strict::Point>{{1, 2}});
    assertEqual(std::vector<std::optional<int>>{1, std::nullopt}, std::vector<std::optional<int>>{1, std::nullopt});
  }

  TEST(test_sets_and_maps) {
    const std::set<int> s{1, 2};
    const std::map<std::string, int> m{{"a", 1}, {"b", 2}};
    const std::unordered_map<int, std::string> u{{1, "one"}};
    assertSetEqual(s, std::set<int>{2, 1});
    assertEqual(s, std::set<int>{1, 2});
    assertDictEqual(m, std::map<std::string, int>{{"b", 2}, {"a", 1}});
    assertEqual(u, std::unordered_map<int, std::string>{{1, "one"}});
    assertIn("a", m);
    assertNotIn(2, u);
    assertEqual(assay::repr(m), "{\"a\": 1, \"b\": 2}");
  }
};

class Flow : public assay::TestCase<Flow> {
 protected:
  TEST(test_subtests) {
    for (int i = 0; i < 3; ++i) subTest({{"i", i}}, [&] { assertLess(i, 3); });
    subTest([&] { assertTrue(true); });
    subTest("message", [&] { assertTrue(true); });
    subTest("message", {{"k", 1}, {"name", "x"}}, [&] { assertTrue(true); });
  }

  TEST(test_raises) {
    auto e = assertRaises<std::invalid_argument>([] { throw std::invalid_argument("bad value"); });
    assertEqual(std::string(e.what()), "bad value");
    assertRaisesRegex<std::runtime_error>("^bo+m$", [] { throw std::runtime_error("boom"); });
    assertRaises<assay::AssertionError>([&] { fail("always"); });
  }

  TEST(test_cleanups) {
    int cleaned = 0;
    addCleanup([&cleaned] { ++cleaned; });
    addClassCleanup([] {});
    assay::addModuleCleanup([] {});
    assertEqual(cleaned, 0);
  }

  TEST(test_skipped, assay::skip("never here")) { assertTrue(false, "a skipped test ran"); }
  TEST(test_tagged, assay::tag("slow"), assay::tags("db net")) { assertTrue(true); }
  TEST(test_skip_if, assay::skipIf(false, "runs")) { assertTrue(true); }
  TEST(test_skip_unless, assay::skipUnless(true, "runs")) { assertTrue(true); }
  TEST(test_expected_failure, assay::expectedFailure) { assertEqual(1, 2); }
  TEST(test_timeout, assay::timeout(60)) { assertTrue(true); }
  TEST(test_skip_test) {
    if (skipping_) skipTest("skipped from the body");
  }
  bool skipping_ = true;
};

class Mocks : public assay::TestCase<Mocks> {
 protected:
  TEST(test_expectations) {
    // Every twin instantiated under the strict flags, passing (a failure would make the consumer's run fail).
    const float f = 4.0f;
    const unsigned u = 4;
    const std::vector<int> v{1, 2, 3};
    const std::string s = "meerkat";
    const int* none = nullptr;
    expectEqual(f, 4);
    expectEqual(u, 4);
    expectNotEqual(s, "lion");
    expectTrue(!v.empty());
    expectFalse(v.empty());
    expectIs(v, v);
    expectIsNot(&v, &s);
    expectIsNone(none);
    expectIsNotNone(&u);
    expectIn("kat", s);
    expectNotIn(4, v);
    expectIsInstance<assay::case_base>(*this);
    expectNotIsInstance<std::string>(static_cast<const assay::case_base*>(nullptr));
    expectGreater(u, 3);
    expectGreaterEqual(f, 4.0);
    expectLess(-1, u);
    expectLessEqual(u, 4u);
    expectAlmostEqual(f, 4.0);
    expectAlmostEqual(f, 4.001, assay::places(2));
    expectNotAlmostEqual(f, 5.0, assay::delta(0.5));
    expectRegex(s, "^mee");
    expectNotRegex(s, "^lion");
    expectCountEqual(v, std::vector<int>{3, 2, 1});
    expectSequenceEqual(v, std::vector<int>{1, 2, 3});
    expectListEqual(v, v);
    expectTupleEqual(std::pair<int, int>{1, 2}, std::pair<int, int>{1, 2});
    expectSetEqual(std::set<int>{1}, std::set<int>{1});
    expectDictEqual(std::map<std::string, int>{{"a", 1}}, std::map<std::string, int>{{"a", 1}});
    expectMultiLineEqual(s, std::string("meerkat"));
    expectRaises<std::runtime_error>([] { throw std::runtime_error("x"); });
    expectRaisesRegex<std::runtime_error>("x", [] { throw std::runtime_error("x"); });
    Mock<int(int, const std::string&)> m{"lookup"};
    m.return_value = 1;
    static_cast<void>(m(1, "a"));
    m.expect_called();
    m.expect_called_once();
    m.expect_called_with(1, "a");
    m.expect_called_once_with(1, ANY);
    m.expect_any_call(1, "a");
    m.expect_has_calls({call(1, "a")});
    m.expect_has_calls(std::vector{call(1, "a")}, true);
    Mock<void()> idle;
    idle.expect_not_called();
  }
  TEST(test_function_mock) {
    Mock<int(int, const std::string&)> m{"lookup"};
    m.return_value = 7;
    assertEqual(m(1, "a"), 7);
    m.side_effect = [](int a, const std::string& s) { return a + static_cast<int>(s.size()); };
    assertEqual(m(2, "bc"), 4);
    m.assert_called_with(2, "bc");
    m.assert_any_call(1, ANY);
    m.assert_has_calls({call(1, "a"), call(2, "bc")});
    assertEqual(m.call_count, 2);
    assertTrue(m.called);
    m.reset_mock();
    m.assert_not_called();
    Mock<void()> v;
    v();
    v.assert_called_once();
  }

  TEST(test_class_mock) {
    MockStore store;
    store.get.return_value = "value";
    store.size.return_value = 2;
    strict::Store& s = store;
    assertEqual(s.get("k"), "value");
    s.put("k", 3);
    assertEqual(s.size(), 2u);
    store.get.assert_called_once_with("k");
    store.put.assert_called_once_with("k", 3);
    MockClock clock;
    clock.now.return_value = 42L;
    const Clock& c = clock;
    assertEqual(c.now(), 42);
    clock.now.assert_called_once_with();
    clock.reset_mock();
    clock.now.assert_not_called();
  }

  TEST(test_patch) {
    {
      auto guard = patch(strict::counter, 5);
      assertEqual(strict::counter, 5);
    }
    assertEqual(strict::counter, 1);
    Mock<int(int)> fake;
    fake.return_value = 9;
    {
      auto guard = patch<strict::seam>(fake);
      assertEqual(strict::seam(1), 9);
    }
    assertEqual(strict::seam(1), 2);
    auto [loud, doubled] = assay::mock::patch_multiple<strict::shout, strict::seam>();
    loud.return_value = "quiet";
    doubled.return_value = 0;
    assertEqual(strict::shout("x"), "quiet");
    assertEqual(strict::seam(3), 0);
    std::function<int(int)> callback = [](int x) { return x; };
    {
      auto guard = patch(callback, fake);
      assertEqual(callback(1), 9);
    }
    assertEqual(callback(1), 1);
    addCleanup(patch(strict::counter, 2));
    auto seam_mock = patch<strict::seam>();
    seam_mock.return_value = 4;
    assertEqual(strict::seam(0), 4);
    seam_mock.assert_called_once_with(0);
  }
};

static std::vector<std::pair<std::string, long>> strict_rows() { return {{"a", 1L}, {"bb", 2L}}; }

class Parameterised : public assay::TestCase<Parameterised> {
 protected:
  TEST_P(test_rows, ({1, 1u}, {assay::id("two"), 2, 2u}))(int x, unsigned y) { assertEqual(x, y); }
  TEST_P(test_function_rows, strict_rows, assay::timeout(5))(const std::string& s, long n) {
    assertEqual(s.size(), n);
  }
  TEST_P(test_one, (1.5, 2.5))(double x) { assertGreater(x, 1.0); }
  TYPED_TEST(test_types, (int, std::string)) { assertEqual(T{}, T{}); }
};

#if defined(STRICT_WITH_FMT)
class Formatting : public assay::TestCase<Formatting> {
 protected:
  TEST(test_fmt_formatter) { assertEqual(assay::repr(strict::Money{250}), "$250"); }
};
#endif
