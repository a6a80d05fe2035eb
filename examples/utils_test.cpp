// Seed item 76: related behaviours verified in TestCase subclasses, with assertRaises, subTest, a
// parameterised test (a row per case, each a test of its own) and a typed test.
#include <assay/assay.hpp>
#include <assay/param.hpp>  // TEST_P, TYPED_TEST

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

// The same cases as rows: each is a test with its own id (`DataDrivenRowsTestCase.test_to_str_good[utf8]`),
// selectable, listed and registered with CTest one by one. A Value's repr would not make an id: the rows
// are named.
class DataDrivenRowsTestCase : public assay::TestCase<DataDrivenRowsTestCase> {
 protected:
  TEST_P(test_to_str_good, ({assay::id("bytes"), "hello", bytes("hello")},
                            {assay::id("str"), "hello", std::string("hello")},
                            {assay::id("utf8"), "h\xc3\xa9llo", bytes("h\xc3\xa9llo")}))
  (const std::string& expected, const Value& value) { assertEqual(expected, to_str(value)); }

  // Ids from the values, as pytest makes them (test_decodes_length[hello-5]), or given (ids keep ASCII
  // letters, digits and _ . + - : only).
  TEST_P(test_decodes_length, ({"hello", 5}, {"abc", 3}, {assay::id("accented"), "h\xc3\xa9", 3}))
  (const std::string& data, std::size_t size) { assertEqual(to_str(bytes(data)).size(), size); }

  // One test per type, the type named in the id: test_text_types[std::string], test_text_types[Bytes].
  TYPED_TEST(test_text_types, (std::string, Bytes)) { assertEqual("hello", to_str(T{"hello"})); }
};
