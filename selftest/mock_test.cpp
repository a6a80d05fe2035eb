// assay::mock::Mock checked with assay itself: every attribute, side effect and assertion, with exact messages.
#include <assay/assay.hpp>
#include <assay/mock.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using assay::mock::ANY;
using assay::mock::call;
using assay::mock::DEFAULT;
using assay::mock::Mock;
using assay::mock::sentinel;

namespace {

// Not copyable: recorded by identity.
struct Database {
  Database() = default;
  Database(const Database&) = delete;
};

// Copyable but without ==: also recorded by identity, as Python's default __eq__ compares identity.
struct Point {
  int x, y;
};

struct NoDefault {
  explicit NoDefault(int v) : value(v) {}
  int value;
  bool operator==(const NoDefault&) const = default;
};

struct NotStd {
  int code;
};

class Boom : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string take(std::string s) { return s; }
int (*take_seam)(int) = nullptr;

}  // namespace

class MockAttributesTest : public assay::TestCase<MockAttributesTest> {
 protected:
  // The message of the AssertionError `f` raises.
  template <class F>
  std::string message_of(F f) {
    auto e = assertRaises<assay::AssertionError>(f);
    return e.what();
  }

  TEST(test_fresh_mock) {
    Mock<int(int)> m;
    assertFalse(m.called);
    assertEqual(m.call_count, 0);
    assertFalse(static_cast<bool>(m.call_args));
    assertIsNone(m.call_args);
    assertEqual(assay::repr(m.call_args), "None");
    assertEqual(m.call_args_list.size(), 0u);
    assertEqual(m.mock_calls.size(), 0u);
    assertEqual(m(5), 0);  // a default-constructed R when nothing is configured
  }

  TEST(test_records_calls) {
    Mock<int(int, const std::string&)> m{"f"};
    m.return_value = 7;
    assertEqual(m(1, "a"), 7);
    assertEqual(m(2, "b"), 7);
    assertTrue(m.called);
    assertEqual(m.call_count, 2);
    assertEqual(m.call_args, call(2, "b"));
    assertEqual(m.call_args_list.size(), 2u);
    assertEqual(m.call_args_list[0], call(1, "a"));
    assertEqual(m.call_args_list[0].args<1>(), "a");
    assertEqual(m.call_args->args<0>(), 2);
    assertEqual(m.call_args_list, std::vector{call(1, "a"), call(2, "b")});
    assertEqual(&m.mock_calls, &m.call_args_list);
    assertEqual(assay::repr(m.call_args_list), R"([call(1, "a"), call(2, "b")])");
    assertEqual(assay::repr(m.call_args), R"(call(2, "b"))");
  }

  TEST(test_arguments_are_copied) {
    Mock<void(const std::string&, const char*)> m;
    {
      std::string s = "before";
      char buffer[] = "buffer";
      m(s, buffer);
      s = "after";
      buffer[0] = 'X';
    }
    m.assert_called_with("before", "buffer");
    assertEqual(m.call_args->args<1>(), "buffer");
    m(std::string("x"), nullptr);
    assertIsNone(m.call_args->args<1>());
    m.assert_called_with("x", nullptr);
    assertEqual(assay::repr(m.call_args), R"(call("x", nullptr))");
  }

  TEST(test_identity_for_uncopyable_and_incomparable) {
    Mock<void(Database&, const Point&)> m{"g"};
    Database a, b;
    Point p{1, 2}, q{1, 2};
    m(a, p);
    m.assert_called_with(a, p);
    assertIn("expected call not found", message_of([&] { m.assert_called_with(b, p); }));
    assertIn("expected call not found", message_of([&] { m.assert_called_with(a, q); }));  // equal fields, not same
    assertIs(m.call_args->args<0>(), a);
    assertEqual(m.call_args, call(a, p));
    assertNotEqual(m.call_args, call(b, p));
  }

  TEST(test_any_matches_everything) {
    Mock<void(int, const std::string&)> m;
    m(1, "x");
    m.assert_called_with(ANY, "x");
    m.assert_called_with(ANY, ANY);
    assertEqual(m.call_args, call(ANY, "x"));
    assertEqual(assay::repr(call(ANY, 2)), "call(<ANY>, 2)");
  }

  TEST(test_reset_mock_keeps_configuration) {
    Mock<int()> m;
    m.return_value = 3;
    m.side_effect = {4, 5};
    assertEqual(m(), 4);
    m.reset_mock();
    assertFalse(m.called);
    assertEqual(m.call_count, 0);
    assertEqual(m.call_args_list.size(), 0u);
    assertEqual(m(), 5);  // the side_effect sequence goes on, as a Python iterator does
    m.side_effect = nullptr;
    assertEqual(m(), 3);
  }

  TEST(test_move_only_argument_is_kept) {
    Mock<void(std::unique_ptr<int>)> m;
    m(std::make_unique<int>(4));
    assertEqual(*m.call_args->args<0>(), 4);
  }

  TEST(test_reference_return) {
    Mock<int&()> m{"ref"};
    int x = 1;
    auto e = assertRaises<assay::mock::mock_error>([&] { m(); });
    assertRegex(e.what(),  // clang spells the type "int &"
                "^'ref' was called, but it returns int ?&, a reference, and has no return_value: set its "
                "return_value or side_effect$");
    m.return_value = x;
    m() = 5;
    assertEqual(x, 5);
  }

  TEST(test_no_default_constructor) {
    Mock<NoDefault()> m{"make"};
    auto e = assertRaises<assay::mock::mock_error>([&] { m(); });
    assertRegex(e.what(), "^'make' was called, but it returns .*NoDefault, which cannot be default-constructed, and "
                          "has no return_value: set its return_value or side_effect$");
    m.return_value = NoDefault(2);
    assertEqual(m().value, 2);
    m.side_effect = {NoDefault(3)};
    assertEqual(m().value, 3);
  }

  TEST(test_autospec_takes_name_and_signature) {
    auto m = assay::mock::autospec<take>();
    static_assert(std::is_same_v<decltype(m), Mock<std::string(std::string)>>);
    m("x");
    assertEqual(message_of([&] { m.assert_called_with("y"); }),
                "expected call not found.\nExpected: take(\"y\")\n  Actual: take(\"x\")");
    auto s = assay::mock::autospec<take_seam>();
    static_assert(std::is_same_v<decltype(s), Mock<int(int)>>);
    assertEqual(message_of([&] { s.assert_called(); }), "Expected 'take_seam' to have been called.");
  }

  TEST(test_sentinel) {
    assertEqual(sentinel("database"), sentinel("database"));
    assertNotEqual(sentinel("database"), sentinel("other"));
    assertEqual(assay::repr(sentinel("database")), "sentinel.database");
    Mock<void(Database*)> m;
    Database* db = sentinel("database");
    m(db);
    m.assert_called_with(static_cast<Database*>(sentinel("database")));
    Mock<assay::mock::sentinel_t()> r;
    r.return_value = sentinel("result");
    assertEqual(r(), sentinel("result"));
    assertEqual(assay::repr(DEFAULT), "DEFAULT");
  }
};

class SideEffectTest : public assay::TestCase<SideEffectTest> {
 protected:
  TEST(test_exception_object) {
    Mock<int(int)> m;
    m.side_effect = Boom("Whoops! Big problem");
    auto e = assertRaises<Boom>([&] { m(1); });
    assertEqual(e.what(), "Whoops! Big problem");
    assertEqual(m.call_count, 1);  // recorded before raising, as in Python
    assertTrue(static_cast<bool>(m.side_effect));
    m.side_effect = NotStd{7};  // any class can be thrown, not only std::exception's children
    assertEqual(assertRaises<NotStd>([&] { m(2); }).code, 7);
  }

  TEST(test_callable) {
    Mock<int(int, int)> m;
    m.side_effect = [](int a, int b) { return a * b; };
    assertEqual(m(6, 7), 42);
    m.return_value = 9;
    m.side_effect = [](int, int) { return DEFAULT; };  // DEFAULT: use return_value
    assertEqual(m(1, 1), 9);
    int seen = 0;
    m.side_effect = [&](int a, int) { seen = a; };  // void: use return_value
    assertEqual(m(5, 0), 9);
    assertEqual(seen, 5);
    m.side_effect = [](int, int) -> int { throw Boom("from callable"); };
    assertRaises<Boom>([&] { m(0, 0); });
    assertEqual(m.call_count, 4);
  }

  TEST(test_sequence) {
    Mock<std::string()> m{"next"};
    m.return_value = "default";
    m.side_effect = {"a", DEFAULT, Boom("third"), "d"};
    assertEqual(m(), "a");
    assertEqual(m(), "default");
    assertRaises<Boom>([&] { m(); });
    assertEqual(m(), "d");
    auto e = assertRaises<assay::mock::mock_error>([&] { m(); });
    assertEqual(e.what(),
                "'next' was called more times than its side_effect has items (4): Python would raise StopIteration");
    m.side_effect = std::vector<std::string>{"x", "y"};
    assertEqual(m(), "x");
    assertEqual(m(), "y");
  }

  TEST(test_void_mock) {
    Mock<void(int)> m;
    m.side_effect = {DEFAULT, Boom("second")};
    m(1);
    assertRaises<Boom>([&] { m(2); });
    m.side_effect = Boom("always");
    assertRaises<Boom>([&] { m(3); });
    m.assert_called_with(3);
  }
};

// The failure messages, worded as Python 3.12's unittest.mock words them (repr is C++'s: "a" not 'a').
class MockAssertionsTest : public assay::TestCase<MockAssertionsTest> {
 protected:
  template <class F>
  std::string message_of(F f) {
    auto e = assertRaises<assay::AssertionError>(f);
    return e.what();
  }

  TEST(test_assert_called) {
    Mock<void()> m{"f"};
    assertEqual(message_of([&] { m.assert_called(); }), "Expected 'f' to have been called.");
    m();
    m.assert_called();
  }

  TEST(test_assert_called_once) {
    Mock<void(int)> m{"f"};
    assertEqual(message_of([&] { m.assert_called_once(); }), "Expected 'f' to have been called once. Called 0 times.");
    m(1);
    m.assert_called_once();
    m(2);
    assertEqual(message_of([&] { m.assert_called_once(); }),
                "Expected 'f' to have been called once. Called 2 times.\nCalls: [call(1), call(2)].");
  }

  TEST(test_assert_not_called) {
    Mock<void(const std::string&)> m{"feed_animal"};
    m.assert_not_called();
    m("Spot");
    assertEqual(message_of([&] { m.assert_not_called(); }),
                "Expected 'feed_animal' to not have been called. Called 1 times.\nCalls: [call(\"Spot\")].");
  }

  TEST(test_assert_called_with) {
    Mock<int(int, const std::string&)> m;
    assertEqual(message_of([&] { m.assert_called_with(1, "a"); }),
                "expected call not found.\nExpected: mock(1, \"a\")\n  Actual: not called.");
    m(1, "a");
    m(2, "b");
    m.assert_called_with(2, "b");
    assertEqual(message_of([&] { m.assert_called_with(1, "a"); }),
                "expected call not found.\nExpected: mock(1, \"a\")\n  Actual: mock(2, \"b\")");
    assertEqual(message_of([&] { m.assert_called_with(ANY, "a"); }),
                "expected call not found.\nExpected: mock(<ANY>, \"a\")\n  Actual: mock(2, \"b\")");
  }

  TEST(test_assert_called_with_identity) {
    Mock<void(Database&, const std::string&)> m{"get_animals"};
    Database db;
    m(db, "Bison");
    assertRegex(message_of([&] { m.assert_called_with(ANY, "Meerkat"); }),
                "^expected call not found.\nExpected: get_animals\\(<ANY>, \"Meerkat\"\\)\n  Actual: "
                "get_animals\\(<.*Database object at 0x[0-9a-f]+>, \"Bison\"\\)$");
  }

  TEST(test_assert_called_once_with) {
    Mock<void(int)> m{"f"};
    assertEqual(message_of([&] { m.assert_called_once_with(1); }), "Expected 'f' to be called once. Called 0 times.");
    m(1);
    m.assert_called_once_with(1);
    assertEqual(message_of([&] { m.assert_called_once_with(2); }),
                "expected call not found.\nExpected: f(2)\n  Actual: f(1)");
    m(1);
    assertEqual(message_of([&] { m.assert_called_once_with(1); }),
                "Expected 'f' to be called once. Called 2 times.\nCalls: [call(1), call(1)].");
  }

  TEST(test_long_call_lists_wrap_like_pprint) {
    Mock<void(const std::string&)> m{"f"};
    for (const char* s : {"a fairly long first argument", "a fairly long second argument", "third"}) m(s);
    assertEqual(message_of([&] { m.assert_called_once(); }),
                "Expected 'f' to have been called once. Called 3 times.\n"
                "Calls: [call(\"a fairly long first argument\"),\n"
                " call(\"a fairly long second argument\"),\n"
                " call(\"third\")].");
  }

  TEST(test_assert_any_call) {
    Mock<void(int, int)> m{"f"};
    m(1, 2);
    m(3, 4);
    m.assert_any_call(1, 2);
    m.assert_any_call(ANY, 4);
    assertEqual(message_of([&] { m.assert_any_call(5, 6); }), "f(5, 6) call not found");
  }

  TEST(test_assert_has_calls_in_order) {
    Mock<void(int)> m{"f"};
    assertEqual(message_of([&] { m.assert_has_calls({call(1)}); }), "Calls not found.\nExpected: [call(1)]");
    for (int i = 1; i <= 4; ++i) m(i);
    m.assert_has_calls({call(2), call(3)});
    m.assert_has_calls({call(1), call(2), call(3), call(4)});
    m.assert_has_calls({});
    m.assert_has_calls(std::vector{call(3), call(4)});
    // Consecutive, as Python checks a sub-list: 1 and 3 are not.
    assertEqual(message_of([&] { m.assert_has_calls({call(1), call(3)}); }),
                "Calls not found.\nExpected: [call(1), call(3)]\n  Actual: [call(1), call(2), call(3), call(4)]");
  }

  TEST(test_assert_has_calls_any_order) {
    Mock<void(const std::string&)> m{"feed_animal"};
    m("Spot");
    m("Fluffy");
    m("Spot");
    m.assert_has_calls({call("Fluffy"), call("Spot")}, true);
    m.assert_has_calls({call("Spot"), call("Spot"), call("Fluffy")}, true);
    assertEqual(message_of([&] { m.assert_has_calls({call("Jojo"), call("Spot")}, true); }),
                "'feed_animal' does not contain all of (call(\"Jojo\"),) in its call list, found "
                "[call(\"Fluffy\"), call(\"Spot\")] instead");
    assertEqual(message_of([&] { m.assert_has_calls({call("Spot"), call("Spot"), call("Spot"), call("X")}, true); }),
                "'feed_animal' does not contain all of (call(\"Spot\"), call(\"X\")) in its call list, found "
                "[call(\"Fluffy\")] instead");
  }

  TEST(test_failure_points_at_the_caller) {
    Mock<void()> m;
    const int line = __LINE__ + 1;
    auto e = assertRaises<assay::AssertionError>([&] { m.assert_called(); });
    assertEqual(e.where().line, line);
    assertIn("mock_test.cpp", std::string(e.where().file));
  }
};
