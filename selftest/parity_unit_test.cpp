// unittest's behaviours that assay follows to the letter, checked one function at a time: Python's repr of a
// skip reason, str.splitlines' line boundaries in diffs, and a test named twice being selected twice.
#include <assay/assay.hpp>

#include <string>
#include <vector>

#include <assay/detail/diff.hpp>
#include <assay/detail/internal.hpp>
#include <assay/loader.hpp>
#include <assay/registry.hpp>

namespace {

class PythonStrReprTest : public assay::TestCase<PythonStrReprTest> {
 protected:
  // Each expectation is what CPython 3.13 prints for repr() of the same text.
  TEST(test_quotes_as_python_chooses_them) {
    assertEqual(assay::detail::python_str_repr("not today"), "'not today'");
    assertEqual(assay::detail::python_str_repr("it's"), "\"it's\"");
    assertEqual(assay::detail::python_str_repr("say \"hi\""), "'say \"hi\"'");
    assertEqual(assay::detail::python_str_repr("both ' and \""), "'both \\' and \"'");
    assertEqual(assay::detail::python_str_repr(""), "''");
  }
  TEST(test_escapes_as_python_does) {
    assertEqual(assay::detail::python_str_repr("tab\there \\ \x07\x7f\n\r"), "'tab\\there \\\\ \\x07\\x7f\\n\\r'");
    assertEqual(assay::detail::python_str_repr("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"),
                "'h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80'");  // printable: kept
    assertEqual(assay::detail::python_str_repr("\xc2\x85\xc2\xa0\xc2\xad\xe2\x80\xa8\xef\xbb\xbf"),
                "'\\x85\\xa0\\xad\\u2028\\ufeff'");
    assertEqual(assay::detail::python_str_repr("\xd8\x80\xf3\xa0\x80\x81\xe2\x81\xa6x"), "'\\u0600\\U000e0001\\u2066x'");
    assertEqual(assay::detail::python_str_repr(std::string("nul\0", 4)), "'nul\\x00'");
    assertEqual(assay::detail::python_str_repr("bad \xff"), "'bad \\xff'");  // no str holds it: a byte escape
  }
};

class LineBoundaryTest : public assay::TestCase<LineBoundaryTest> {
 protected:
  TEST(test_split_lines_as_str_splitlines) {
    using v = std::vector<std::string>;
    assertEqual(assay::detail::split_lines("a\r\nb\rc\nd\ve\ff\x1cg\x1dh\x1ei", true),
                v{"a\r\n", "b\r", "c\n", "d\v", "e\f", "f\x1c", "g\x1d", "h\x1e", "i"});
    assertEqual(assay::detail::split_lines("a\xc2\x85" "b\xe2\x80\xa8" "c\xe2\x80\xa9" "d", false), v{"a", "b", "c", "d"});
    assertEqual(assay::detail::split_lines("a\n\n", false), v{"a", ""});
  }
  TEST(test_a_line_keeps_its_boundary_and_escapes_the_rest) {
    assertEqual(assay::detail::displayed_line("a\r\n"), "a\r\n");
    assertEqual(assay::detail::displayed_line("a\r"), "a\r");
    assertEqual(assay::detail::displayed_line("a\xe2\x80\xa8"), "a\xe2\x80\xa8");
    assertEqual(assay::detail::displayed_line("a\rb\x07\n"), "a\\rb\\x07\n");
  }
  TEST(test_crlf_against_lf_gets_a_hint) {
    try {
      assertEqual("a\r\nb", "a\nb");
    } catch (const assay::AssertionError& e) {
      assertEqual(std::string(e.what()), "\"a\\r\\nb\" != \"a\\nb\"\n- a\r\n?  -\n+ a\n  b\n");
      return;
    }
    fail("assertEqual did not fail");
  }
};

class SelectTwiceTest : public assay::TestCase<SelectTwiceTest> {
 protected:
  TEST(test_a_name_given_twice_runs_twice) {
    assay::module_info m;
    m.name = "m";
    assay::class_info c;
    c.name = "C";
    c.module = &m;
    assay::test_info a, b;
    a.cls = b.cls = &c;
    a.module = b.module = &m;
    a.method = "test_a", a.id = "m.C.test_a";
    b.method = "test_b", b.id = "m.C.test_b";
    const std::vector<assay::test_info*> tests{&a, &b};
    std::string error;
    const auto chosen = assay::select_tests(tests, {"C.test_b", "m.C", "m.C.test_b"}, {}, error);
    assertEqual(error, "");
    std::vector<std::string> ids;
    for (const assay::test_info* t : chosen) ids.push_back(t->id);
    assertEqual(ids, std::vector<std::string>{"m.C.test_b", "m.C.test_a", "m.C.test_b", "m.C.test_b"});
  }
};

}  // namespace
