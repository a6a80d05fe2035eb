// Thirty-odd failing assertions, one per kind of value and message, for the golden file of failure messages.
#include <assay/assay.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <variant>
#include <vector>

namespace inventory {

struct Point {
  int x;
  int y;
  bool operator==(const Point&) const = default;
};
struct Box {
  std::string label;
  Point corner;
  std::vector<Point> path;
  std::optional<int> weight;
  bool operator==(const Box&) const = default;
};
enum class Status { Active, Retired };
struct Item {
  std::string name;
  Status status;
  double price;
  bool operator==(const Item&) const = default;
};

// A type with its own repr, and one that cannot be printed at all.
struct Sku {
  int id;
  bool operator==(const Sku&) const = default;
};
std::string repr(const Sku& s) { return "SKU-" + std::to_string(s.id); }
class Handle {
 public:
  explicit Handle(int fd) : fd_(fd) {}
  bool operator==(const Handle& o) const { return fd_ == o.fd_; }

 private:
  int fd_;
};

}  // namespace inventory

using namespace inventory;
using namespace std::chrono_literals;

class Values : public assay::TestCase<Values> {
  TEST(test_struct) { assertEqual(Point{1, 2}, Point{1, 3}); }
  TEST(test_nested_struct) {
    assertEqual(Box{"crate", {0, 0}, {{1, 1}}, 5}, Box{"crate", {0, 0}, {{1, 2}}, std::nullopt});
  }
  TEST(test_escapes) { assertEqual(std::string("tab\there\x07"), std::string("tab\there\x1b")); }
  TEST(test_utf8) { assertEqual(std::string("h\xc3\xa9llo w\xc3\xb6rld"), std::string("hello world")); }
  TEST(test_invalid_utf8) { assertEqual(std::string("ok \xff\xfe"), std::string("ok")); }
  TEST(test_char_vs_int) { assertEqual('a', 98); }
  TEST(test_enum) { assertEqual(Status::Active, Status::Retired); }
  TEST(test_enum_unnamed) { assertEqual(static_cast<Status>(7), Status::Active); }
  TEST(test_doubles) { assertEqual(0.1 + 0.2, 0.3); }
  TEST(test_almost_equal) { assertAlmostEqual(3.14159, 3.1416, assay::places(5)); }
  TEST(test_optional) { assertEqual(std::optional<int>(), std::optional<int>(4)); }
  TEST(test_variant) {
    assertEqual(std::variant<int, std::string>("one"), std::variant<int, std::string>(1));
  }
  TEST(test_tuple) { assertEqual(std::make_tuple(1, std::string("a"), 2.5), std::make_tuple(1, std::string("b"), 2.5)); }
  TEST(test_chrono) { assertEqual(std::chrono::milliseconds(1500), std::chrono::milliseconds(250)); }
  TEST(test_chrono_less) { assertLess(3h, std::chrono::hours(2)); }
  TEST(test_user_repr) { assertEqual(Sku{7}, Sku{8}); }
  TEST(test_unprintable) { assertEqual(Handle(3), Handle(4)); }
  TEST(test_struct_field_types) {
    assertEqual(Item{"lamp", Status::Active, 9.99}, Item{"lamp", Status::Retired, 9.99});
  }
};

class Containers : public assay::TestCase<Containers> {
  TEST(test_list) { assertEqual(std::vector<int>{1, 2, 3}, std::vector<int>{1, 2, 4}); }
  TEST(test_list_length) { assertEqual(std::vector<std::string>{"a", "b"}, std::vector<std::string>{"a", "b", "c"}); }
  TEST(test_long_list) {
    std::vector<int> a, b;
    for (int i = 0; i < 25; ++i) a.push_back(i * 11), b.push_back(i == 20 ? -1 : i * 11);
    assertEqual(a, b);
  }
  TEST(test_structs_in_list) {
    assertEqual(std::vector<Point>{{1, 2}, {3, 4}}, std::vector<Point>{{1, 2}, {3, 5}});
  }
  TEST(test_map) {
    assertEqual(std::map<std::string, int>{{"apples", 3}, {"pears", 5}},
                std::map<std::string, int>{{"apples", 3}, {"pears", 6}, {"plums", 1}});
  }
  TEST(test_set) { assertEqual(std::set<std::string>{"red", "green"}, std::set<std::string>{"green", "blue"}); }
  TEST(test_count_equal) { assertCountEqual(std::vector<int>{1, 1, 2}, std::vector<int>{2, 1, 3}); }
  TEST(test_in) { assertIn(4, std::vector<int>{1, 2, 3}); }
  TEST(test_in_map) { assertIn(std::string("kiwi"), std::unordered_map<std::string, int>{{"fig", 1}}); }
};

class Strings : public assay::TestCase<Strings> {
  TEST(test_short_strings) { assertEqual(std::string("incorrect"), "hello"); }
  TEST(test_multi_line) {
    assertEqual(std::string("first line\nline two\nthe end\n"), std::string("first line\nline 2\nthe end\n"));
  }
  TEST(test_missing_newline) { assertEqual(std::string("one\ntwo\n"), std::string("one\ntwo")); }
  TEST(test_long_string) {
    assertEqual(std::string(120, '=') + "[value]" + std::string(10, '-'), std::string(120, '=') + "[other]" + std::string(10, '-'));
  }
  TEST(test_long_diff_truncated) {
    std::string a, b;
    for (int i = 0; i < 80; ++i) {
      a += "row " + std::to_string(i) + "\n";
      b += "row " + std::to_string(i % 40 == 39 ? i * 10 : i) + "\n";
    }
    assertMultiLineEqual(a, b);
  }
  TEST(test_regex) { assertRegex(std::string("order #1234 shipped"), "#[0-9]+ delivered"); }
};

class Messages : public assay::TestCase<Messages> {
  TEST(test_msg) { assertEqual(2 + 2, 5, "arithmetic is off"); }
  TEST(test_msg_without_long_message) {
    longMessage = false;
    assertTrue(false, "only this message");
  }
  TEST(test_fail) { fail("gave up"); }
};

class Errors : public assay::TestCase<Errors> {
  static void load(const std::string& path) {
    try {
      throw std::invalid_argument("no such file: " + path);
    } catch (...) {
      std::throw_with_nested(std::runtime_error("cannot load config"));
    }
  }
  TEST(test_nested_exception) { load("app.ini"); }
  TEST(test_unexpected_exception) { throw std::out_of_range("index 7"); }
};
