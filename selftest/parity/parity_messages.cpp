// Twin of parity_messages.py: assertion messages and diffs, run by assay. Classes and tests are declared in
// the sorted order in which unittest's loader runs them.
#include <assay/assay.hpp>

#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

struct ValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace {

std::vector<int> range(int from, int to) {
  std::vector<int> v(static_cast<std::size_t>(to - from));
  std::iota(v.begin(), v.end(), from);
  return v;
}

std::string times(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string numbered_lines(int from) {
  std::string s;
  for (int i = 0; i < 20; ++i) s += (i ? "\nline " : "line ") + std::to_string(i + from);
  return s;
}

}  // namespace

class Diffs : public assay::TestCase<Diffs> {
  TEST(test_cr) { assertEqual("a\rb\n", "a\nb\n"); }
  TEST(test_crlf) { assertEqual("a\r\nb", "a\nb"); }
  TEST(test_dict) {
    assertEqual(std::map<std::string, int>{{"a", 1}, {"b", 2}}, std::map<std::string, int>{{"a", 1}, {"b", 3}});
  }
  TEST(test_list) { assertEqual(std::vector<int>{1, 2, 3}, std::vector<int>{1, 2, 4}); }
  TEST(test_list_longer) { assertEqual(std::vector<int>{1, 2}, std::vector<int>{1, 2, 3}); }
  TEST(test_long_lists) { assertEqual(range(0, 30), range(1, 31)); }
  TEST(test_max_diff) {
    maxDiff = 50;
    assertEqual(numbered_lines(0), numbered_lines(1));
  }
  TEST(test_max_diff_none) {
    maxDiff = assay::no_limit;
    assertEqual(range(0, 100), range(1, 101));
  }
  TEST(test_multiline) { assertEqual("first\nsecond line\nthird\n", "first\nsecond lime\nthird\nfourth\n"); }
  TEST(test_other_line_ends) { assertEqual("a\vb\fc\x1c" "d\u0085e\u2028f", "a\nb\nc\nd\ne\nf"); }
  TEST(test_set) { assertEqual(std::set<int>{1, 2, 3}, std::set<int>{2, 3, 4}); }
  TEST(test_short_strings) { assertEqual("spam", "eggs"); }
  TEST(test_tuple) { assertEqual(std::tuple<int, std::string>{1, "a"}, std::tuple<int, std::string>{1, "b"}); }
  TEST(test_unicode) { assertEqual("héllo wörld", "hello world"); }
  TEST(test_very_long_strings) { assertEqual(std::string(100, 'x') + "a", std::string(100, 'x') + "b"); }
};

class Messages : public assay::TestCase<Messages> {
  TEST(test_a_true) { assertTrue(false); }
  TEST(test_a_true_msg) { assertTrue(1 > 2, "one is not more"); }
  TEST(test_almost_equal) { assertAlmostEqual(1.0, 1.1); }
  TEST(test_almost_equal_delta) { assertAlmostEqual(1.0, 1.5, assay::delta(0.25)); }
  TEST(test_almost_equal_places) { assertAlmostEqual(1.0, 1.001, assay::places(4)); }
  TEST(test_count_equal) { assertCountEqual(std::vector<int>{1, 2, 2, 3}, std::vector<int>{1, 2, 3, 3}); }
  TEST(test_dict_long) {
    std::map<int, int> first, second;
    for (int i = 0; i < 20; ++i) first[i] = i, second[i] = i * i;
    assertEqual(first, second);
  }
  TEST(test_dict_missing_key) {
    assertDictEqual(std::map<std::string, int>{{"a", 1}, {"b", 2}}, std::map<std::string, int>{{"a", 1}});
  }
  TEST(test_float_repr) { assertEqual(0.1 + 0.2, 0.3); }
  TEST(test_greater) { assertGreater(1, 2); }
  TEST(test_greater_equal) { assertGreaterEqual(1, 2); }
  TEST(test_in) { assertIn(4, std::vector<int>{1, 2, 3}); }
  TEST(test_in_dict) { assertIn("c", std::map<std::string, int>{{"a", 1}}); }
  TEST(test_in_string) { assertIn("spam", "eggs and ham"); }
  TEST(test_is_none) { assertIsNone(std::optional<int>(5)); }
  TEST(test_is_not_none) { assertIsNotNone(std::optional<int>()); }
  TEST(test_less) { assertLess(2, 1); }
  TEST(test_list_of_long_strings) {
    assertEqual(std::vector<std::string>{times("a", 30), times("b", 30), times("c", 30)},
                std::vector<std::string>{times("a", 30), times("b", 30), times("d", 30)});
  }
  TEST(test_list_of_strings) {
    assertEqual(std::vector<std::string>{"spam", "eggs", "ham"}, std::vector<std::string>{"spam", "eggs", "jam"});
  }
  TEST(test_long_message_off) {
    longMessage = false;
    assertEqual(1, 2, "only this");
  }
  TEST(test_msg) { assertEqual(1, 2, "with context"); }
  TEST(test_nested_long) {
    using dict = std::map<std::string, std::vector<std::string>>;
    assertEqual(dict{{"first", {times("alpha", 5), times("beta", 5)}}, {"second", {times("gamma", 5)}}},
                dict{{"first", {times("alpha", 5), times("beta", 5)}}, {"second", {times("delta", 5)}}});
  }
  TEST(test_not_almost_equal) { assertNotAlmostEqual(1.0, 1.0000001); }
  TEST(test_not_equal) { assertNotEqual(3, 3); }
  TEST(test_not_in) { assertNotIn(2, std::vector<int>{1, 2, 3}); }
  TEST(test_not_regex) { assertNotRegex("good input", "go+d"); }
  TEST(test_raises) {
    assertRaises<ValueError>([] {});
  }
  TEST(test_raises_other_type) {
    assertRaises<ValueError>([] { throw RuntimeError("not a ValueError"); });
  }
  TEST(test_raises_regex) {
    assertRaisesRegex<ValueError>("bad", [] { throw ValueError("good input"); });
  }
  TEST(test_raises_regex_passes) {
    assertRaisesRegex<ValueError>("go+d", [] { throw ValueError("good input"); });
  }
  TEST(test_regex) { assertRegex("good input", "bad"); }
};
