// assay::repr for every kind of value: strings, numbers, pointers, standard types, aggregates, user printing.
// fmt comes first, as in a project that uses it: assay then prints types through their fmt::formatter too.
// Without fmt (ASSAY_SELFTEST_WITH_FMT unset: cmake/AssayDependencies.cmake found none), those tests are left out.
#if defined(ASSAY_SELFTEST_WITH_FMT)
#define FMT_HEADER_ONLY
#include <fmt/format.h>
#endif

#include <assay/assay.hpp>
#if defined(ASSAY_SELFTEST_WITH_FMT)
#include <assay/fmt.hpp>  // the explicit opt-in; already included above through fmt's presence
#endif

#include <array>
#include <chrono>
#include <complex>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <forward_list>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace {

template <class T>
std::string r(const T& v) {
  return assay::repr(v);
}

struct Point {
  int x;
  int y;
};
struct Line {
  Point from;
  Point to;
  std::string label;
};
struct Everything {
  std::vector<int> xs;
  std::optional<std::string> name;
  std::map<std::string, double> weights;
  std::chrono::milliseconds timeout;
};
struct WithArray {
  char name[8];
  int pair[2];
};
struct WithBits {
  unsigned a : 1;
  unsigned b : 3;
};
struct MoveOnly {
  std::unique_ptr<int> p;
  int n;
};
struct Empty {};
struct Base {
  int x;
};
struct Derived : Base {
  int y;
};
template <class T>
struct Pair {
  T first_value;
  T second_value;
};

enum class Color { Red, Green, Blue };
enum Plain { Alpha, Beta };
enum Sparse { One = 1, Four = 4 };  // values 0 to 7 are valid; 2 has no name
enum class Wide : long long { Big = 1000 };
enum class Small : unsigned char { Zero, One };
namespace deep {
enum class Mode { On = 1 };
}
enum class Far { Away = 900 };

}  // namespace

// Widening the probed range for one enum (before its first repr).
template <>
struct assay::enum_range<Far> {
  static constexpr long long min = 890;
  static constexpr long long max = 910;
};

namespace {

class Opaque {
 public:
  int get() const { return secret_; }

 private:
  int secret_ = 42;
};

int plain_function(int v) { return v; }

}  // namespace

// A user's own printing, each of the three ways, declared next to the type as ADL finds it.
namespace shop {
struct Money {
  long cents;
};
std::string repr(const Money& m) {  // appends: g++ 12 -O3 sees a false -Wrestrict in `"$" + std::string`
  return std::string("$").append(std::to_string(m.cents / 100)).append(".").append(std::to_string(m.cents % 100));
}

struct Sku {
  int id;
};
std::ostream& operator<<(std::ostream& os, const Sku& s) { return os << "SKU-" << s.id; }

enum class Size { S, M };
std::ostream& operator<<(std::ostream& os, Size s) { return os << (s == Size::S ? "small" : "medium"); }

// A type fmt can format; fmt comes before operator<<, after repr.
struct Colour {
  int r, g, b;
};
std::ostream& operator<<(std::ostream& os, const Colour&) { return os << "from operator<<"; }
enum class Tier { Gold };

// repr wins over operator<< when a type has both.
struct Both {
  int v;
};
const char* repr(const Both&) { return "from repr"; }
std::ostream& operator<<(std::ostream& os, const Both&) { return os << "from operator<<"; }

// A class convertible to bool is not "printable" through ostream's operator<<(bool).
struct Truthy {
  explicit(false) operator bool() const { return true; }
};
}  // namespace shop

#if defined(ASSAY_SELFTEST_WITH_FMT)
template <>
struct fmt::formatter<shop::Colour> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  auto format(const shop::Colour& c, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
  }
};
template <>
struct fmt::formatter<shop::Tier> : fmt::formatter<const char*> {
  auto format(shop::Tier, fmt::format_context& ctx) const { return fmt::format_to(ctx.out(), "gold tier"); }
};
template <>
struct fmt::formatter<shop::Both> : fmt::formatter<const char*> {
  auto format(const shop::Both&, fmt::format_context& ctx) const { return fmt::format_to(ctx.out(), "from fmt"); }
};
#endif

namespace {

class StringsTest : public assay::TestCase<StringsTest> {
  TEST(test_quoted_with_c_escapes) {
    assertEqual(r(std::string("hello")), R"("hello")");
    assertEqual(r(std::string("tab\there\nnew \"quoted\" back\\slash")), R"("tab\there\nnew \"quoted\" back\\slash")");
    assertEqual(r(std::string("\x07\x1b\x7f\r")), R"("\x07\x1b\x7f\r")");
    assertEqual(r(std::string("nul\0byte", 8)), R"("nul\x00byte")");
  }
  TEST(test_utf8_kept_readable_invalid_bytes_escaped) {
    assertEqual(r(std::string("h\xc3\xa9llo")), "\"h\xc3\xa9llo\"");
    assertEqual(r(std::string("\xe2\x82\xac \xf0\x9f\x98\x80")), "\"\xe2\x82\xac \xf0\x9f\x98\x80\"");
    assertEqual(r(std::string("bad \xff \xc3")), R"("bad \xff \xc3")");
    assertEqual(r(std::string("overlong \xc0\xaf")), R"("overlong \xc0\xaf")");
    assertEqual(r(std::string("C1 \xc2\x85 and LS \xe2\x80\xa8")), R"("C1 \u0085 and LS \u2028")");
  }
  TEST(test_every_string_type) {
    assertEqual(r(std::string_view("view")), R"("view")");
    assertEqual(r("literal"), R"("literal")");
    const char* c = "pointer";
    assertEqual(r(c), R"("pointer")");
    assertEqual(r(static_cast<const char*>(nullptr)), "nullptr");
    char buffer[8] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};  // no NUL: stops at the end of the array
    assertEqual(r(buffer), R"("abcdefgh")");
    assertEqual(r(std::u8string(u8"h\u00e9")), "\"h\xc3\xa9\"");
    assertEqual(r(std::u16string(u"w\u00efde \U0001F600")), "\"w\xc3\xaf" "de \xf0\x9f\x98\x80\"");
    assertEqual(r(std::u32string(U"\u00fc")), "\"\xc3\xbc\"");
    assertEqual(r(std::wstring(L"wide")), R"("wide")");
    assertEqual(r(u8"lit"), R"("lit")");
    assertEqual(r(std::u16string(1, static_cast<char16_t>(0xD800))), R"("\ud800")");
  }
  TEST(test_characters) {
    assertEqual(r('a'), "'a'");
    assertEqual(r('\n'), R"('\n')");
    assertEqual(r('\''), R"('\'')");
    assertEqual(r('"'), "'\"'");
    assertEqual(r(u8'x'), "'x'");
    assertEqual(r(U'\u00e9'), "'\xc3\xa9'");
    assertEqual(r(L'z'), "'z'");
  }
};

class NumbersTest : public assay::TestCase<NumbersTest> {
  TEST(test_bool_and_integers) {
    assertEqual(r(true), "true");
    assertEqual(r(false), "false");
    assertEqual(r(42), "42");
    assertEqual(r(-7L), "-7");
    assertEqual(r(3u), "3");
    assertEqual(r(static_cast<signed char>(-3)), "-3");
    assertEqual(r(static_cast<unsigned char>(200)), "200");
    assertEqual(r(18446744073709551615ull), "18446744073709551615");
  }
  TEST(test_floats_in_shortest_round_trip_form) {
    assertEqual(r(0.1 + 0.2), "0.30000000000000004");
    assertEqual(r(0.3), "0.3");
    assertEqual(r(1.0), "1.0");
    assertEqual(r(-2.5), "-2.5");
    assertEqual(r(1e100), "1e+100");
    assertEqual(r(0.1f), "0.1");
    assertEqual(r(2.5L), "2.5");
    assertEqual(r(1.0 / 0.0), "inf");
    assertEqual(r(-1.0 / 0.0), "-inf");
    assertEqual(r(0.0 / 0.0), "nan");
  }
};

class PointersTest : public assay::TestCase<PointersTest> {
  TEST(test_pointers_as_addresses) {
    int i = 5;
    assertRegex(r(&i), "^0x[0-9a-f]+$");
    assertEqual(r(static_cast<int*>(nullptr)), "nullptr");
    assertEqual(r(nullptr), "nullptr");
    assertRegex(r(static_cast<const void*>(&i)), "^0x[0-9a-f]+$");
    assertRegex(r(&plain_function), "^<function plain_function at 0x[0-9a-f]+>$");
  }
  TEST(test_smart_pointers) {
    auto u = std::make_unique<int>(3);
    assertEqual(r(u), r(u.get()));
    assertEqual(r(std::shared_ptr<int>()), "nullptr");
    assertEqual(r(std::unique_ptr<int>()), "nullptr");
  }
};

class StandardTypesTest : public assay::TestCase<StandardTypesTest> {
  TEST(test_optional_and_variant) {
    assertEqual(r(std::optional<int>(4)), "4");
    assertEqual(r(std::optional<int>()), "nullopt");
    assertEqual(r(std::nullopt), "nullopt");
    assertEqual(r(std::optional<std::string>("x")), R"("x")");
    assertEqual(r(std::variant<int, std::string>("v")), R"("v")");
    assertEqual(r(std::variant<int, std::string>(7)), "7");
    assertEqual(r(std::monostate{}), "monostate");
  }
  TEST(test_pairs_and_tuples_as_python_tuples) {
    assertEqual(r(std::pair<int, std::string>(1, "a")), R"((1, "a"))");
    assertEqual(r(std::make_tuple(1, "a", 2.5)), R"((1, "a", 2.5))");
    assertEqual(r(std::make_tuple(1)), "(1,)");
    assertEqual(r(std::tuple<>()), "()");
  }
  TEST(test_sequences) {
    assertEqual(r(std::vector<int>{1, 2, 3}), "[1, 2, 3]");
    assertEqual(r(std::vector<int>{}), "[]");
    assertEqual(r(std::list<std::string>{"a", "b"}), R"(["a", "b"])");
    assertEqual(r(std::deque<char>{'x'}), "['x']");
    assertEqual(r(std::array<int, 2>{4, 5}), "[4, 5]");
    assertEqual(r(std::forward_list<int>{9}), "[9]");
    assertEqual(r(std::vector<std::vector<int>>{{1}, {2, 3}}), "[[1], [2, 3]]");
    const int raw[3] = {1, 2, 3};
    assertEqual(r(raw), "[1, 2, 3]");
    assertEqual(r(std::span<const int>(raw)), "[1, 2, 3]");
  }
  TEST(test_sets_and_maps) {
    assertEqual(r(std::set<int>{2, 1}), "{1, 2}");
    assertEqual(r(std::unordered_set<int>{7}), "{7}");
    assertEqual(r(std::map<std::string, int>{{"a", 1}, {"b", 2}}), R"({"a": 1, "b": 2})");
    assertEqual(r(std::unordered_map<int, int>{{1, 2}}), "{1: 2}");
    assertEqual(r(std::map<int, std::vector<std::string>>{{1, {"x"}}}), R"({1: ["x"]})");
    assertEqual(r(std::multimap<int, char>{{1, 'a'}, {1, 'b'}}), "{1: 'a', 1: 'b'}");
  }
  TEST(test_chrono_durations) {
    using namespace std::chrono_literals;
    assertEqual(r(3h), "3h");
    assertEqual(r(250ms), "250ms");
    assertEqual(r(2min), "2min");
    assertEqual(r(7us), "7\xc2\xb5s");
    assertEqual(r(5ns), "5ns");
    assertEqual(r(std::chrono::seconds(9)), "9s");
    assertEqual(r(std::chrono::duration<double>(1.5)), "1.5s");
    assertEqual(r(std::chrono::days(2)), "2d");
    assertEqual(r(std::chrono::weeks(1)), "7d");  // the largest exact unit
    assertEqual(r(std::chrono::duration<int, std::ratio<1, 3>>(1)), "1[1/3]s");
  }
  TEST(test_chrono_time_points) {
    using namespace std::chrono;
    assertEqual(r(system_clock::time_point(seconds(1700000000))), "2023-11-14 22:13:20.000000000");
    assertEqual(r(sys_time<milliseconds>(milliseconds(1700000000123))), "2023-11-14 22:13:20.123");
    assertEqual(r(sys_seconds(seconds(-1))), "1969-12-31 23:59:59");
    assertEqual(r(steady_clock::time_point(seconds(5))), "steady_clock::time_point(5000000000ns)");
  }
  TEST(test_path_byte_and_exceptions) {
    assertEqual(r(std::filesystem::path("/tmp/a b")), R"(path("/tmp/a b"))");
    assertEqual(r(std::byte{42}), "0x2a");
    assertEqual(r(std::vector<std::byte>{std::byte{0}, std::byte{255}}), "[0x00, 0xff]");
    assertEqual(r(std::invalid_argument("bad")), R"(std::invalid_argument("bad"))");
    assertEqual(r(std::runtime_error("two\nlines")), R"(std::runtime_error("two\nlines"))");
    const std::out_of_range derived("range");
    const std::exception& as_base = derived;
    assertEqual(r(as_base), R"(std::out_of_range("range"))");  // the dynamic type
  }
  TEST(test_other_standard_types_use_their_operator_or_print_opaque) {
    assertEqual(r(std::complex<double>(1, 2)), "(1,2)");
    assertRegex(r(std::function<void()>()), "^<std::function<void ?\\(\\)> object at 0x[0-9a-f]+>$");
  }
};

class EnumsTest : public assay::TestCase<EnumsTest> {
  TEST(test_named_values) {
    assertEqual(r(Color::Green), "Color::Green");
    assertEqual(r(Alpha), "Plain::Alpha");
    assertEqual(r(Small::One), "Small::One");
    assertEqual(r(deep::Mode::On), "Mode::On");  // without namespaces, as Python names a class
    assertEqual(r(std::vector<Color>{Color::Red, Color::Blue}), "[Color::Red, Color::Blue]");
  }
  TEST(test_unnamed_values_and_values_outside_the_probed_range) {
    assertEqual(r(Color(7)), "Color(7)");
    assertEqual(r(Sparse(2)), "Sparse(2)");
    assertEqual(r(Wide::Big), "Wide(1000)");
    assertEqual(r(Small(200)), "Small(200)");
  }

  TEST(test_enum_range_specialisation_widens_the_probe) { assertEqual(r(Far::Away), "Far::Away"); }
};

class AggregatesTest : public assay::TestCase<AggregatesTest> {
  TEST(test_fields_with_names) {
    assertEqual(r(Point{1, 2}), "Point{x=1, y=2}");
    assertEqual(r(Pair<int>{3, 4}), "Pair<int>{first_value=3, second_value=4}");
    assertEqual(r(Empty{}), "Empty{}");
  }
  TEST(test_nested_aggregates_recurse) {
    assertEqual(r(Line{{1, 2}, {3, 4}, "diagonal"}),
                R"(Line{from=Point{x=1, y=2}, to=Point{x=3, y=4}, label="diagonal"})");
    assertEqual(r(std::vector<Point>{{1, 2}}), "[Point{x=1, y=2}]");
    assertEqual(r(Everything{{1}, "n", {{"w", 0.5}}, std::chrono::milliseconds(10)}),
                R"(Everything{xs=[1], name="n", weights={"w": 0.5}, timeout=10ms})");
  }
  TEST(test_arrays_bitfields_and_move_only_members) {
    assertEqual(r(WithArray{"ab", {1, 2}}), R"(WithArray{name="ab", pair=[1, 2]})");
    assertEqual(r(WithBits{1, 5}), "WithBits{1, 5}");  // a bit-field has no address to name it by
    assertRegex(r(MoveOnly{nullptr, 3}), "^MoveOnly\\{p=nullptr, n=3\\}$");
  }
  TEST(test_what_cannot_be_taken_apart_prints_opaque) {
    assertRegex(r(Derived{{1}, 2}), "^<Derived object at 0x[0-9a-f]+>$");
    assertRegex(r(Opaque{}), "^<Opaque object at 0x[0-9a-f]+>$");
    int Point::*member = &Point::x;
    assertRegex(r(member), "^<int Point::\\* ?object at 0x[0-9a-f]+>$");
  }
};

class UserPrintingTest : public assay::TestCase<UserPrintingTest> {
  TEST(test_adl_repr) {
    assertEqual(r(shop::Money{1234}), "$12.34");
    assertEqual(r(std::vector<shop::Money>{{5}}), "[$0.5]");
  }
  TEST(test_operator_shift) {
    assertEqual(r(shop::Sku{7}), "SKU-7");
    assertEqual(r(shop::Size::M), "medium");
  }
  TEST(test_repr_before_fmt_and_operator_shift) { assertEqual(r(shop::Both{1}), "from repr"); }
#if defined(ASSAY_SELFTEST_WITH_FMT)
  TEST(test_fmt_formatter_before_operator_shift) {
    assertEqual(r(shop::Colour{255, 128, 0}), "#ff8000");
    assertEqual(r(shop::Tier::Gold), "gold tier");
    assertEqual(r(std::vector<shop::Colour>{{0, 0, 0}}), "[#000000]");
  }
#endif
  TEST(test_fmt_does_not_take_standard_types) {
    assertEqual(r(std::string("s")), R"("s")");
    assertEqual(r(Color::Red), "Color::Red");
  }
  TEST(test_implicit_conversions_are_not_printing) {
    assertEqual(r(shop::Truthy{}), "Truthy{}");
  }
};

}  // namespace
