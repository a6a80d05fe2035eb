// What a newcomer does with a repr first: print it, concatenate it, compare it; and the reprs of durations
// and function pointers, which must read as a person would write them.
#include <assay/assay.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>

namespace {

int utcnow() { return 0; }  // static: only the full symbol table (.symtab) knows its name
struct Clock {
  static long now(int) { return 1; }
};
template <class T>
T identity(T v) {
  return v;
}

class NewcomerTextTest : public assay::TestCase<NewcomerTextTest> {
  TEST(test_streams_to_an_ostream) {
    std::ostringstream out;
    out << assay::repr(42) << ' ' << assay::repr("a\nb") << '|' << assay::repr(std::string()) << '|';
    assertEqual(out.str(), "42 \"a\\nb\"|\"\"|");
  }
  TEST(test_concatenates_with_std_string_as_a_std_string) {
    const std::string prefix = "got ";
    auto left = prefix + assay::repr(1);
    static_assert(std::is_same_v<decltype(left), std::string>);
    assertEqual(left, "got 1");
    auto right = assay::repr(2) + std::string(" items");
    static_assert(std::is_same_v<decltype(right), std::string>);
    assertEqual(right, "2 items");
    std::string grown = "x=";
    grown += assay::repr(3);
    assertEqual(grown, "x=3");
  }
  TEST(test_concatenates_with_c_strings_views_and_texts_as_a_text) {
    auto a = "a=" + assay::repr(1) + ", b=" + assay::repr('b');
    static_assert(std::is_same_v<decltype(a), assay::text>);
    assertEqual(std::string(a), "a=1, b='b'");
    assertEqual(std::string(assay::repr(1) + std::string_view("!")), "1!");
    assertEqual(std::string(std::string_view("?") + assay::repr(1)), "?1");
    auto t = assay::repr(1);
    t += ", ";
    t += std::string("two");
    t += std::string_view("");
    t += assay::repr(3);
    assertEqual(std::string(t), "1, two3");
    assertEqual(t.size(), std::string("1, two3").size());
    assertEqual(std::string(assay::text() + assay::text()), "");
  }
  TEST(test_compares_with_every_string_type_both_ways) {
    const std::string s = "\"x\"";
    const std::string_view v = s;
    const char* c = s.c_str();
    assertTrue(assay::repr("x") == s && s == assay::repr("x"));
    assertTrue(assay::repr("x") == v && v == assay::repr("x"));
    assertTrue(assay::repr("x") == c && c == assay::repr("x"));
    assertTrue(assay::repr("x") == "\"x\"" && "\"x\"" == assay::repr("x"));
    assertTrue(assay::repr("y") != s && s != assay::repr("y") && v != assay::repr(1) && c != assay::repr(1));
    assertFalse(assay::repr("x") != s);
  }
  TEST(test_converts_to_std_string) {
    std::string copied = assay::repr(1.5);
    const std::string direct(assay::repr(2));
    const auto cast = static_cast<std::string>(assay::repr(true));
    copied = assay::repr(nullptr);
    assertEqual(copied, "nullptr");
    assertEqual(direct, "2");
    assertEqual(cast, "true");
  }
};

class NewcomerDurationReprTest : public assay::TestCase<NewcomerDurationReprTest> {
  TEST(test_system_clock_duration_in_its_largest_exact_unit) {
    using namespace std::chrono;
    assertEqual(assay::repr(duration_cast<system_clock::duration>(hours(3))), "3h");
    assertEqual(assay::repr(duration_cast<system_clock::duration>(minutes(90))), "90min");
    assertEqual(assay::repr(duration_cast<system_clock::duration>(milliseconds(1500))), "1500ms");
    assertEqual(assay::repr(nanoseconds(10800000000001)), "10800000000001ns");
    assertEqual(assay::repr(seconds(-7200)), "-2h");
    assertEqual(assay::repr(seconds(86400 * 2)), "2d");
    assertEqual(assay::repr(minutes(120)), "2h");
    assertEqual(assay::repr(microseconds(3000)), "3ms");
  }
  TEST(test_zero_and_inexact_values_keep_their_own_unit) {
    using namespace std::chrono;
    assertEqual(assay::repr(nanoseconds(0)), "0ns");
    assertEqual(assay::repr(hours(0)), "0h");
    assertEqual(assay::repr(duration<int, std::ratio<1, 3>>(1)), "1[1/3]s");
    assertEqual(assay::repr(duration<int, std::ratio<1, 3>>(6)), "2s");
    assertEqual(assay::repr(duration<double, std::milli>(2.5)), "2.5ms");
    assertEqual(assay::repr(duration<long long, std::atto>(1)), "1as");
  }
};

class NewcomerFunctionReprTest : public assay::TestCase<NewcomerFunctionReprTest> {
  TEST(test_names_the_function_python_style) {
    assertRegex(assay::repr(&utcnow), "^<function utcnow at 0x[0-9a-f]+>$");
    assertRegex(assay::repr(&Clock::now), "^<function now at 0x[0-9a-f]+>$");
    assertRegex(assay::repr(&identity<int>), "^<function identity<int> at 0x[0-9a-f]+>$");
    int (*lambda)(int) = [](int x) { return x; };
    assertRegex(assay::repr(lambda), "^<function <lambda> at 0x[0-9a-f]+>$");
  }
  TEST(test_a_null_function_pointer_is_nullptr) {
    int (*none)() = nullptr;
    assertEqual(assay::repr(none), "nullptr");
  }
};

}  // namespace
