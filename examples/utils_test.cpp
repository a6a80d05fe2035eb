// Seed item 76: related behaviours verified in TestCase subclasses, with assertRaises and subTest.
#include <assay/assay.hpp>

#include <string>
#include <vector>

#include "utils.hpp"

class UtilsTestCase : public assay::TestCase<UtilsTestCase> {
 protected:
  TEST(test_to_str_bytes) { assertEqual("hello", to_str(bytes("hello"))); }

  TEST(test_to_str_str) { assertEqual("hello", to_str(std::string("hello"))); }

  // Fails on purpose, to show a failure report: run it with `utils_test UtilsTestCase.test_failing`.
  // Tagged demo, so that `utils_test -m 'not demo'` runs everything else.
  TEST(test_failing, assay::tag("demo")) { assertEqual("incorrect", to_str(std::string("hello"))); }
};

class UtilsErrorTestCase : public assay::TestCase<UtilsErrorTestCase> {
 protected:
  TEST(test_to_str_bad) {
    auto e = assertRaises<std::invalid_argument>([] { to_str(Object{}); });
    assertIn("Must supply", std::string(e.what()));
  }

  TEST(test_to_str_bad_encoding) {
    assertRaises<UnicodeDecodeError>([] { to_str(bytes("\xfa\xfa")); });
  }
};

struct Case {
  Value value;
  const char* why;
};

class DataDrivenTestCase : public assay::TestCase<DataDrivenTestCase> {
 protected:
  TEST(test_to_str_good) {
    const std::vector<std::pair<std::string, Value>> good_cases = {
        {"hello", bytes("hello")}, {"hello", std::string("hello")}, {"héllo", bytes("h\xc3\xa9llo")}};
    for (const auto& [expected, value] : good_cases) {
      const std::string& want = expected;  // clang 14 cannot capture structured bindings
      const Value& v = value;
      subTest({{"value", v}}, [&] { assertEqual(want, to_str(v)); });
    }
  }

  TEST(test_to_str_bad_cases) {
    const std::vector<Case> bad_cases = {{Object{}, "Must supply"}, {bytes("\xfa\xfa"), "can't decode"}};
    for (const auto& c : bad_cases)
      subTest({{"value", c.value}}, [&] { assertRaisesRegex<std::invalid_argument>(c.why, [&] { to_str(c.value); }); });
  }
};
