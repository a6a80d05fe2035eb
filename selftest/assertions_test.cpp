// The exact failure message of every assertion, as CPython's unittest words it (diffs, hints and truncation).
#include <assay/assay.hpp>

#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

struct Point {
  int x;
  int y;
};
bool operator==(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }

struct Shape {
  std::string name;
  std::vector<Point> corners;
  std::optional<int> layer;
  bool operator==(const Shape&) const = default;
};

struct Animal {
  virtual ~Animal() = default;
};
struct Cat : Animal {};

class AssertionsCase : public assay::case_base {
 protected:
  template <class F>
  std::string message_of(F f) {
    return assertRaises<assay::AssertionError>(f).what();
  }
};

class ComparisonMessagesTest : public assay::TestCase<ComparisonMessagesTest, AssertionsCase> {
  TEST(test_comparisons) {
    assertEqual(message_of([&] { assertEqual(1, 2); }), "1 != 2");
    assertEqual(message_of([&] { assertNotEqual('a', 'a'); }), "'a' == 'a'");
    assertEqual(message_of([&] { assertGreater(1, 2); }), "1 not greater than 2");
    assertEqual(message_of([&] { assertGreaterEqual(1.5, 2); }), "1.5 not greater than or equal to 2");
    assertEqual(message_of([&] { assertLess(2, 1); }), "2 not less than 1");
    assertEqual(message_of([&] { assertLessEqual(2, 1); }), "2 not less than or equal to 1");
    // Two aggregates get the diff two dicts get (unittest has no aggregates; its dataclasses get none).
    assertEqual(message_of([&] { assertEqual(Point{1, 2}, Point{1, 3}); }),
                "Point{x=1, y=2} != Point{x=1, y=3}\n"
                "- Point{x=1, y=2}\n"
                "?              ^\n"
                "\n"
                "+ Point{x=1, y=3}\n"
                "?              ^\n");
  }
  TEST(test_truth_and_none) {
    assertEqual(message_of([&] { assertTrue(0); }), "0 is not true");
    assertEqual(message_of([&] { assertFalse(std::string("x").size()); }), "1 is not false");
    int i = 0;
    assertEqual(message_of([&] { assertIsNone(std::optional<int>(3)); }), "3 is not None");
    assertRegex(message_of([&] { assertIsNone(&i); }), "^0x[0-9a-f]+ is not None$");
    assertEqual(message_of([&] { assertIsNotNone(std::optional<int>()); }), "unexpectedly None");
  }
  TEST(test_membership) {
    assertEqual(message_of([&] { assertIn(4, std::vector<int>{1, 2, 3}); }), "4 not found in [1, 2, 3]");
    assertEqual(message_of([&] { assertNotIn(2, std::set<int>{1, 2}); }), "2 unexpectedly found in {1, 2}");
    assertEqual(message_of([&] { assertIn("z", std::string("abc")); }), R"("z" not found in "abc")");
    assertEqual(message_of([&] { assertIn(std::string("k"), std::map<std::string, int>{{"a", 1}}); }),
                R"("k" not found in {"a": 1})");
  }
  TEST(test_identity_and_instances) {
    int a = 1, b = 1;
    assertRegex(message_of([&] { assertIs(a, b); }), "^1 is not 1$");
    assertEqual(message_of([&] { assertIsNot(a, a); }), "unexpectedly identical: 1");
    Animal plain;
    Cat cat;
    assertRegex(message_of([&] { assertIsInstance<Cat>(plain); }), "^<Animal object at 0x[0-9a-f]+> is not an instance of Cat$");
    assertRegex(message_of([&] { assertNotIsInstance<Animal>(&cat); }), "^0x[0-9a-f]+ is an instance of Animal$");
  }
  TEST(test_almost_equal) {
    assertEqual(message_of([&] { assertAlmostEqual(1.0, 1.1); }),
                "1.0 != 1.1 within 7 places (0.10000000000000009 difference)");
    assertEqual(message_of([&] { assertAlmostEqual(1, 2); }), "1 != 2 within 7 places (1 difference)");
    assertEqual(message_of([&] { assertAlmostEqual(1.0, 1.5, assay::places(1)); }),
                "1.0 != 1.5 within 1 places (0.5 difference)");
    assertEqual(message_of([&] { assertAlmostEqual(1.0, 1.5, assay::delta(0.25)); }),
                "1.0 != 1.5 within 0.25 delta (0.5 difference)");
    assertEqual(message_of([&] { assertNotAlmostEqual(1.0, 1.00000001); }), "1.0 == 1.00000001 within 7 places");
    assertEqual(message_of([&] { assertNotAlmostEqual(1.0, 1.1, assay::delta(0.5)); }),
                "1.0 == 1.1 within 0.5 delta (0.10000000000000009 difference)");
    assertAlmostEqual(1.0, 1.00000001);
    assertNotAlmostEqual(1.0, 1.1);
  }
  TEST(test_regex) {
    assertEqual(message_of([&] { assertRegex(std::string("abc"), "x+"); }), R"(Regex didn't match: "x+" not found in "abc")");
    assertEqual(message_of([&] { assertNotRegex(std::string("abc"), "b."); }), R"(Regex matched: "bc" matches "b." in "abc")");
  }
  TEST(test_long_reprs_are_shortened_around_their_difference) {
    // unittest's _common_shorten_repr: both reprs keep their differing tail, the common prefix is cut.
    const std::vector<int> a(40, 7);
    std::vector<int> b = a;
    b.back() = 8;
    assertEqual(message_of([&] { assertNotEqual(a, a); }).size(), 2 * 120 + 4);  // assertNotEqual: never shortened
    const std::string m = message_of([&] { fail_compare_only(a, b); });
    assertEqual(m, "[7, 7[52 chars] 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7] != "
                   "[7, 7[52 chars] 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8]");
  }

 private:
  // The plain `a != b` message of unittest's _baseAssertEqual (assertEqual on two structs, for instance).
  template <class A, class B>
  void fail_compare_only(const A& a, const B& b) {
    assay::detail::fail_compare(*this, assay::detail::compare_op::equal, assay::detail::ref(a), assay::detail::ref(b),
                                {}, assay::location::here());
  }
};

class AggregateMessagesTest : public assay::TestCase<AggregateMessagesTest, AssertionsCase> {
  TEST(test_long_aggregates_are_diffed_field_by_field) {
    // The second repr is longer than 80 characters, the first is not: both are broken into fields.
    assertEqual(message_of([&] { assertEqual(Shape{"a square", {{0, 0}, {1, 1}}, 3}, Shape{"a square", {{0, 0}, {1, 2}}, {}}); }),
                "Shape[13 chars]re\", corners=[Point{x=0, y=0}, Point{x=1, y=1}], layer=3} != "
                "Shape[13 chars]re\", corners=[Point{x=0, y=0}, Point{x=1, y=2}], layer=nullopt}\n"
                "  Shape{name=\"a square\",\n"
                "-       corners=[Point{x=0, y=0}, Point{x=1, y=1}],\n"
                "?                                              ^\n"
                "\n"
                "+       corners=[Point{x=0, y=0}, Point{x=1, y=2}],\n"
                "?                                              ^\n"
                "\n"
                "-       layer=3}\n"
                "?             ^\n"
                "\n"
                "+       layer=nullopt}\n"
                "?             ^^^^^^^\n");
  }
};

class SequenceMessagesTest : public assay::TestCase<SequenceMessagesTest, AssertionsCase> {
  TEST(test_first_differing_element) {
    assertEqual(message_of([&] { assertEqual(std::vector<int>{1, 2, 3}, std::vector<int>{1, 2, 4}); }),
                "Lists differ: [1, 2, 3] != [1, 2, 4]\n"
                "\n"
                "First differing element 2:\n"
                "3\n"
                "4\n"
                "\n"
                "- [1, 2, 3]\n"
                "?        ^\n"
                "\n"
                "+ [1, 2, 4]\n"
                "?        ^\n");
  }
  TEST(test_additional_elements) {
    assertEqual(message_of([&] { assertEqual(std::vector<int>{1, 2}, std::vector<int>{1, 2, 3}); }),
                "Lists differ: [1, 2] != [1, 2, 3]\n"
                "\n"
                "Second list contains 1 additional elements.\n"
                "First extra element 2:\n"
                "3\n"
                "\n"
                "- [1, 2]\n"
                "+ [1, 2, 3]\n"
                "?      +++\n");
    assertEqual(message_of([&] { assertSequenceEqual(std::list<int>{1, 2, 3, 4}, std::vector<int>{1, 2}); }),
                "Sequences differ: [1, 2, 3, 4] != [1, 2]\n"
                "\n"
                "First sequence contains 2 additional elements.\n"
                "First extra element 2:\n"
                "3\n"
                "\n"
                "- [1, 2, 3, 4]\n"
                "+ [1, 2]");
  }
  TEST(test_long_sequences_are_diffed_one_item_per_line) {
    std::vector<int> a, b;
    for (int i = 0; i < 30; ++i) a.push_back(i), b.push_back(i == 17 ? 99 : i);
    maxDiff = assay::no_limit;
    const std::string m = message_of([&] { assertEqual(a, b); });
    assertEqual(m.substr(0, m.find("\n  [0,\n")),
                "Lists differ: [0, 1[42 chars]14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29] != "
                "[0, 1[42 chars]14, 15, 16, 99, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]\n"
                "\n"
                "First differing element 17:\n"
                "17\n"
                "99\n");
    assertIn("\n  [0,\n   1,\n", m);
    assertIn("\n   16,\n-  17,\n+  99,\n   18,\n", m);
    assertEqual(m.substr(m.size() - 7), "\n   29]");
  }
  TEST(test_nested_sequences_are_pretty_printed_as_pprint_does) {
    std::vector<std::vector<int>> a{{}, {}, {7}}, b;
    for (int i = 0; i < 12; ++i) a[0].push_back(i), a[1].push_back(100 + i);
    b = a;
    b[1][5] = 0;
    assertEqual(message_of([&] { assertEqual(a, b); }),
                "Lists differ: [[0, [39 chars]0, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111], [7]] != "
                "[[0, [39 chars]0, 101, 102, 103, 104, 0, 106, 107, 108, 109, 110, 111], [7]]\n"
                "\n"
                "First differing element 1:\n"
                "[100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111]\n"
                "[100, 101, 102, 103, 104, 0, 106, 107, 108, 109, 110, 111]\n"
                "\n"
                "  [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],\n"
                "-  [100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111],\n"
                "?                            - -\n"
                "\n"
                "+  [100, 101, 102, 103, 104, 0, 106, 107, 108, 109, 110, 111],\n"
                "   [7]]");
  }
  TEST(test_tuples_and_pairs) {
    assertEqual(message_of([&] { assertEqual(std::make_tuple(1, std::string("a")), std::make_tuple(1, std::string("b"))); }),
                "Tuples differ: (1, \"a\") != (1, \"b\")\n"
                "\n"
                "First differing element 1:\n"
                "\"a\"\n"
                "\"b\"\n"
                "\n"
                "- (1, \"a\")\n"
                "?      ^\n"
                "\n"
                "+ (1, \"b\")\n"
                "?      ^\n");
    assertEqual(message_of([&] { assertTupleEqual(std::pair<int, int>(1, 2), std::pair<int, int>(3, 2)); }),
                "Tuples differ: (1, 2) != (3, 2)\n\nFirst differing element 0:\n1\n3\n\n- (1, 2)\n?  ^\n\n+ (3, 2)\n?  ^\n");
  }
  TEST(test_sequences_of_structs) {
    assertEqual(message_of([&] { assertListEqual(std::vector<Point>{{1, 2}}, std::vector<Point>{{1, 3}}); }),
                "Lists differ: [Point{x=1, y=2}] != [Point{x=1, y=3}]\n"
                "\n"
                "First differing element 0:\n"
                "Point{x=1, y=2}\n"
                "Point{x=1, y=3}\n"
                "\n"
                "- [Point{x=1, y=2}]\n"
                "?               ^\n"
                "\n"
                "+ [Point{x=1, y=3}]\n"
                "?               ^\n");
  }
};

class SetAndDictMessagesTest : public assay::TestCase<SetAndDictMessagesTest, AssertionsCase> {
  TEST(test_sets) {
    assertEqual(message_of([&] { assertEqual(std::set<int>{1, 2, 3}, std::set<int>{2, 3, 4, 5}); }),
                "Items in the first set but not the second:\n"
                "1\n"
                "Items in the second set but not the first:\n"
                "4\n"
                "5");
    assertEqual(message_of([&] { assertSetEqual(std::set<std::string>{"a"}, std::set<std::string>{}); }),
                "Items in the first set but not the second:\n\"a\"");
    assertEqual(message_of([&] { assertEqual(std::multiset<int>{1, 1}, std::multiset<int>{1}); }), "{1, 1} != {1}");
  }
  TEST(test_dicts) {
    assertEqual(message_of([&] {
                  assertEqual(std::map<std::string, int>{{"a", 1}, {"b", 2}}, std::map<std::string, int>{{"a", 1}, {"b", 3}});
                }),
                "{\"a\": 1, \"b\": 2} != {\"a\": 1, \"b\": 3}\n"
                "- {\"a\": 1, \"b\": 2}\n"
                "?               ^\n"
                "\n"
                "+ {\"a\": 1, \"b\": 3}\n"
                "?               ^\n");
    assertEqual(message_of([&] { assertDictEqual(std::unordered_map<int, int>{{1, 2}}, std::map<int, int>{}); }),
                "{1: 2} != {}\n- {1: 2}\n+ {}");
  }
  TEST(test_hash_containers_are_sorted_in_the_diff) {
    // pprint sorts a dict's keys and a set's items: two hash maps built in different orders diff cleanly.
    std::unordered_map<int, int> a, b;
    for (int k : {100, 9, 10, 2}) a[k] = 1;
    for (int k : {2, 10, 9, 100}) b[k] = k == 9 ? 2 : 1;
    const std::string m = message_of([&] { assertEqual(a, b); });
    assertEqual(m.substr(m.find('\n')),
                "\n- {2: 1, 9: 1, 10: 1, 100: 1}\n"
                "?           ^\n"
                "\n"
                "+ {2: 1, 9: 2, 10: 1, 100: 1}\n"
                "?           ^\n");
  }
  TEST(test_long_dicts_one_entry_per_line) {
    std::map<std::string, std::string> a, b;
    for (char c = 'a'; c < 'h'; ++c) a[std::string(1, c)] = b[std::string(1, c)] = std::string(6, c);
    b["d"] = "changed";
    const std::string m = message_of([&] { assertEqual(a, b); });
    assertIn("\n  {\"a\": \"aaaaaa\",\n", m);
    assertIn("\n-  \"d\": \"dddddd\",\n+  \"d\": \"changed\",\n", m);
  }
  TEST(test_count_equal) {
    assertEqual(message_of([&] { assertCountEqual(std::vector<int>{1, 1, 2}, std::vector<int>{1, 2, 3}); }),
                "Element counts were not equal:\nFirst has 2, Second has 1:  1\nFirst has 0, Second has 1:  3");
    assertEqual(message_of([&] { assertCountEqual(std::vector<std::string>{"a"}, std::deque<std::string>{}); }),
                "Element counts were not equal:\nFirst has 1, Second has 0:  \"a\"");
    assertCountEqual(std::vector<int>{3, 1, 2}, std::list<int>{1, 2, 3});
  }
};

class StringMessagesTest : public assay::TestCase<StringMessagesTest, AssertionsCase> {
  TEST(test_single_line_strings) {
    assertEqual(message_of([&] { assertEqual(std::string("incorrect"), "hello"); }),
                "\"incorrect\" != \"hello\"\n- incorrect\n+ hello\n");
    assertEqual(message_of([&] { assertEqual("spam", std::string("spum")); }),
                "\"spam\" != \"spum\"\n- spam\n?   ^\n+ spum\n?   ^\n");
  }
  TEST(test_multi_line_strings_with_hints) {
    assertEqual(message_of([&] {
                  assertMultiLineEqual(std::string("first line\nline two\nthird\n"),
                                       std::string("first line\nline 2\nthird\n"));
                }),
                "\"first line\\nline two\\nthird\\n\" != \"first line\\nline 2\\nthird\\n\"\n"
                "  first line\n"
                "- line two\n"
                "?      ^^^\n"
                "+ line 2\n"
                "?      ^\n"
                "  third\n");
    // A missing final newline is added to both sides, so the diff shows the difference in line endings.
    assertEqual(message_of([&] { assertEqual(std::string("a\nb"), std::string("a\nb\n")); }),
                "\"a\\nb\" != \"a\\nb\\n\"\n  a\n  b\n+ \n");
  }
  TEST(test_control_characters_are_escaped_in_the_diff) {
    assertEqual(message_of([&] { assertEqual(std::string("a\x07"), std::string("b")); }),
                "\"a\\x07\" != \"b\"\n- a\\x07\n+ b\n");
    assertEqual(message_of([&] { assertEqual(std::string("x\ty"), std::string("x\tz")); }),
                "\"x\\ty\" != \"x\\tz\"\n- x\ty\n?  \t^\n+ x\tz\n?  \t^\n");
  }
  TEST(test_utf8_hints_count_characters) {
    assertEqual(message_of([&] { assertEqual(std::string("h\xc3\xa9llo w"), std::string("hallo w")); }),
                "\"h\xc3\xa9llo w\" != \"hallo w\"\n- h\xc3\xa9llo w\n?  ^\n+ hallo w\n?  ^\n");
  }
  TEST(test_long_strings_are_shortened_and_the_diff_truncated) {
    const std::string a = std::string(100, 'a') + "x", b = std::string(100, 'a') + "y";
    const std::string m = message_of([&] { assertEqual(a, b); });
    assertEqual(m.substr(0, m.find('\n')),
                "\"aaaa[35 chars]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaax\" != "
                "\"aaaa[35 chars]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaay\"");
    std::string l1, l2;
    for (int i = 0; i < 100; ++i) {
      l1 += "line " + std::to_string(i) + "\n";
      l2 += "line " + std::to_string(i == 50 ? 500 : i) + "\n";
    }
    const std::string t = message_of([&] { assertEqual(l1, l2); });
    assertEqual(t.substr(t.find('\n')), "\nDiff is 1013 characters long. Set maxDiff to assay::no_limit to see it.");
    maxDiff = assay::no_limit;
    const std::string full = message_of([&] { assertEqual(l1, l2); });
    assertIn("\n- line 50\n+ line 500\n?        +\n", full);
    maxDiff = 5;
    const std::string short_diff = message_of([&] { assertEqual(std::vector<int>{1}, std::vector<int>{2}); });
    maxDiff = assay::no_limit;
    assertEqual(short_diff, "Lists differ: [1] != [2]\n\nFirst differing element 0:\n1\n2\n\n"
                            "Diff is 12 characters long. Set maxDiff to assay::no_limit to see it.");
  }
};

class MsgTest : public assay::TestCase<MsgTest, AssertionsCase> {
  TEST(test_long_message_appends_msg) {
    assertEqual(message_of([&] { assertEqual(1, 2, "extra context"); }), "1 != 2 : extra context");
    assertEqual(message_of([&] { assertTrue(false, std::string("why")); }), "false is not true : why");
    assertEqual(message_of([&] { assertEqual(std::set<int>{1}, std::set<int>{}, "sets"); }),
                "Items in the first set but not the second:\n1 : sets");
  }
  TEST(test_without_long_message_msg_replaces) {
    longMessage = false;
    assertEqual(message_of([&] { assertEqual(1, 2, "only this"); }), "only this");
    assertEqual(message_of([&] { assertEqual(1, 2); }), "1 != 2");
  }
  TEST(test_fail) {
    assertEqual(message_of([&] { fail("stop here"); }), "stop here");
    assertEqual(message_of([&] { fail(); }), "");
  }
};

}  // namespace
