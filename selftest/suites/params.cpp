// Parameterised and typed tests as a user writes them: every row and every type a test of its own.
#include <assay/assay.hpp>
#include <assay/param.hpp>

#include <cstdio>
#include <fstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {

enum class Color { red, green };

// Rows read from a file beside this source: `text value` per line.
std::vector<std::pair<std::string, int>> rows_from_file() {
  std::string path = __FILE__;
  path = path.substr(0, path.find_last_of('/') + 1) + "params_rows.txt";
  std::ifstream in(path);
  std::vector<std::pair<std::string, int>> rows;
  std::string text;
  int value = 0;
  while (in >> text >> value) rows.emplace_back(text, value);
  return rows;
}

class Squares : public assay::TestCase<Squares> {
 public:
  // setUp and tearDown run around each row.
  void setUp() override { std::printf("setUp\n"); }
  void tearDown() override { std::printf("tearDown\n"); }

  static constexpr std::tuple<int, int> cubes[] = {{2, 8}, {3, 27}};

  TEST_P(test_square, ({2, 4}, {3, 9}, {-1, 1}))(int x, int square) { assertEqual(x * x, square); }
  TEST_P(test_wrong, ({2, 4}, {3, 10}))(int x, int square) { assertEqual(x * x, square); }
  TEST_P(test_named, ({assay::id("zero"), 0, 0}, {assay::id("big"), 1000, 1000000}))(long x, long square) {
    assertEqual(x * x, square);
  }
  TEST_P(test_cube, cubes)(int x, int cube) { assertEqual(x * x * x, cube); }
};

class Ids : public assay::TestCase<Ids> {
 public:
  TEST_P(test_strings, ("abc", "a.b", "x_y"))(const std::string& s) { assertFalse(s.empty()); }
  TEST_P(test_duplicates, (1, 1, 2))(int x) { assertGreater(x, 0); }
  TEST_P(test_duplicate_strings, ("a", "a", "a1"))(const std::string& s) { assertFalse(s.empty()); }
  TEST_P(test_floats, ({0.5, 0.25}, {1.5, 2.25}, {true, 1.0}))(double x, double square) { assertEqual(x * x, square); }
  TEST_P(test_enum, (Color::red, Color::green))(Color c) { assertTrue(c == Color::red || c == Color::green); }
  TEST_P(test_from_file, rows_from_file)(const std::string& text, int value) {
    assertEqual(static_cast<int>(text.size()), value);
  }
  TEST_P(test_options, (1, 2), assay::skip("rows share their test's options"))(int) {}
};

using widths = assay::types<int, double>;

class Typed : public assay::TestCase<Typed> {
 public:
  void setUp() override { std::printf("setUp\n"); }
  TYPED_TEST(test_roundtrip, (int, std::string, std::vector<unsigned int>)) {
    const T value{};
    T copy = value;
    assertEqual(copy, value);
  }
  TYPED_TEST(test_wide, widths) { assertGreaterEqual(sizeof(T), sizeof(int)); }
  TYPED_TEST(test_two_bytes, (char, short)) { assertEqual(sizeof(T), 2u); }
};

// Inherited rows and types run in the subclass, under its id.
class Contract : public assay::TestCase<Contract> {
 public:
  ASSAY_CLASS_OPTIONS(assay::abstract);
  TEST_P(test_inherited, (1, 2))(int x) { assertGreater(x, 0); }
  TYPED_TEST(test_inherited_type, (int)) { assertEqual(T{}, T{}); }
};
class Implementation : public assay::TestCase<Implementation, Contract> {};

}  // namespace
