// The suite of DESIGN.md §1, written only against the fixed public spellings: it must compile unchanged.
#include <assay/assay.hpp>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

// The code under test, as small as the example needs.
struct Object {};
inline std::string bytes(const char* s) { return s; }
inline std::string to_str(const std::string& s) { return s; }
inline std::string to_str(Object) { throw std::invalid_argument("Must supply str or bytes"); }
inline std::string to_str(int) { throw std::invalid_argument("int is not text"); }
inline std::filesystem::path make_temp_dir() {
  auto p = std::filesystem::temp_directory_path() / "assay_design_spellings";
  std::filesystem::create_directories(p);
  return p;
}
inline bool is_posix() { return true; }
struct BadCase {
  int value;
  const char* why;
};
const std::vector<BadCase> bad_cases = {{1, "int is not"}, {2, "text"}};

SET_UP_MODULE() { std::puts("* Module setup"); }       // at most one of each per source file
TEAR_DOWN_MODULE() { std::puts("* Module clean-up"); }

class UtilsTestCase : public assay::TestCase<UtilsTestCase> {
 protected:
  void setUp() override { dir_ = make_temp_dir(); addCleanup([this] { remove_all(dir_); }); }
  static void setUpClass() { /* once, before the first test of the class */ }

  TEST(test_to_str_bytes) { assertEqual("hello", to_str(bytes("hello"))); }
  TEST(test_to_str_bad) {
    auto e = assertRaises<std::invalid_argument>([] { to_str(Object{}); });
    assertIn("Must supply", std::string(e.what()));
  }
  TEST(test_bad_cases) {
    for (const auto& c : bad_cases)   // (clang 14 cannot capture structured bindings)
      subTest({{"value", c.value}}, [&] { assertRaisesRegex<std::invalid_argument>(c.why, [&] { to_str(c.value); }); });
  }
  TEST(test_later, assay::skip("not today")) {}
  TEST(test_known_bug, assay::expectedFailure) { assertEqual(1, 2); }
  TEST(test_posix_only, assay::skipUnless(is_posix(), "needs POSIX")) {}

  std::filesystem::path dir_;
};

class OtherSpellings : public assay::TestCase<OtherSpellings> {
 protected:
  static void setUpClass() { addClassCleanup([] { std::puts("* class cleanup"); }); }
  TEST(test_skip_if, assay::skipIf(true, "always")) {}
  TEST(test_subtest_forms) {
    subTest([&] { assertTrue(true); });
    subTest("message", [&] { assertTrue(true); });
    subTest("message", {{"k", 1}}, [&] { assertTrue(true); });
  }
  TEST(test_keywords) {
    assertAlmostEqual(1.0, 1.00000001);
    assertAlmostEqual(1.0, 1.001, assay::places(2));
    assertAlmostEqual(1.0, 1.05, assay::delta(0.1));
    maxDiff = assay::no_limit;
    longMessage = false;
    assay::addModuleCleanup([] { std::puts("* module cleanup"); });
  }
  TEST(test_fail_spelling) {
    try {
      fail("spelled fail");
    } catch (const assay::AssertionError& e) {
      assertEqual(std::string(e.what()), "spelled fail");
    }
  }
};
