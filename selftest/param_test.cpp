// TEST_P and TYPED_TEST through the registry: one record per row and per type, each run with its own values,
// setUp and tearDown around each; tables that make no rows report why.
#include <assay/assay.hpp>
#include <assay/loader.hpp>
#include <assay/param.hpp>
#include <assay/registry.hpp>

#include <array>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "recorder.hpp"

namespace {

using selftest::run_inner;
using strings = std::vector<std::string>;

std::vector<std::string> trail;

std::vector<std::tuple<std::string, int>> tuple_rows() { return {{"ab", 2}, {"abc", 3}}; }
std::vector<assay::row<int, int>> named_rows() { return {{assay::id("first"), 1, 1}, {2, 4}}; }
std::array<int, 2> array_rows{{5, 6}};
std::vector<int> throwing_rows() { throw std::out_of_range("row 7 of cases.txt"); }
std::vector<int> empty_rows() { return {}; }
int rows_made = 0;
std::vector<int> counted_rows() {
  ++rows_made;
  return {1, 2};
}

class Inner : public assay::TestCase<Inner> {
 public:
  void setUp() override { trail.push_back("setUp"); }
  void tearDown() override { trail.push_back("tearDown"); }
  TEST_P(test_pairs, ({1, "one"}, {2, "two"}), assay::detail::not_collected)(int n, const std::string& name) {
    trail.push_back(std::to_string(n) + "=" + name);
  }
  TEST_P(test_fails, (1, 2), assay::detail::not_collected)(int n) { assertEqual(n, 1); }
  TEST_P(test_tuples, tuple_rows, assay::detail::not_collected)(const std::string& s, std::size_t n) {
    assertEqual(s.size(), n);
  }
  TEST_P(test_named, named_rows, assay::detail::not_collected)(int x, int sq) { assertEqual(x * x, sq); }
  TEST_P(test_array, array_rows, assay::detail::not_collected)(int x) { trail.push_back(std::to_string(x)); }
  TEST_P(test_throws, throwing_rows, assay::detail::not_collected)(int) {}
  TEST_P(test_empty, empty_rows, assay::detail::not_collected)(int) {}
  TEST_P(test_counted, counted_rows, assay::detail::not_collected)(int) {}
  TEST_P(test_dups, (7, 7, 7), assay::detail::not_collected)(int) {}
  TEST_P(test_negative, (-1, -2), assay::detail::not_collected)(int) {}
  TEST_P(test_quote, ("it's"), assay::detail::not_collected)(const std::string&) {}
  TEST_P(test_accent, ("ok", "caf\xc3\xa9"), assay::detail::not_collected)(const std::string&) {}
  TYPED_TEST(test_types, (int, std::pair<int, long>), assay::detail::not_collected) {
    trail.push_back(std::to_string(sizeof(T)));
  }
  TYPED_TEST(test_dup_types, (int, int), assay::detail::not_collected) {}
};

bool has(const char* id) { return assay::find_test(id) != nullptr; }

class ParamTest : public assay::TestCase<ParamTest> {
 public:
  void setUp() override { trail.clear(); }

  TEST(test_each_row_is_a_test_with_its_values) {
    assertEqual(run_inner("param_test.Inner.test_pairs[1-one]"), strings{"start", "success", "stop"});
    assertEqual(run_inner("param_test.Inner.test_pairs[2-two]"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"setUp", "1=one", "tearDown", "setUp", "2=two", "tearDown"});
  }
  TEST(test_a_failing_row_fails_alone) {
    assertEqual(run_inner("param_test.Inner.test_fails[1]"), strings{"start", "success", "stop"});
    assertEqual(run_inner("param_test.Inner.test_fails[2]"),
                strings{"start", "failure AssertionError: 2 != 1", "stop"});
  }
  TEST(test_rows_from_functions_and_ranges) {
    assertEqual(run_inner("param_test.Inner.test_tuples[abc-3]"), strings{"start", "success", "stop"});
    assertEqual(run_inner("param_test.Inner.test_named[first]"), strings{"start", "success", "stop"});
    assertEqual(run_inner("param_test.Inner.test_named[2-4]"), strings{"start", "success", "stop"});
    trail.clear();
    assertEqual(run_inner("param_test.Inner.test_array[6]"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"setUp", "6", "tearDown"});
  }
  TEST(test_the_table_is_read_once) {
    assertTrue(has("param_test.Inner.test_counted[1]") && has("param_test.Inner.test_counted[2]"));
    assertEqual(rows_made, 1);
  }
  TEST(test_the_declared_name_is_not_a_test_of_its_own) {
    assertFalse(has("param_test.Inner.test_pairs"));
    assertFalse(has("param_test.Inner.test_types"));
  }
  TEST(test_duplicate_ids_get_pytests_suffixes) {
    assertTrue(has("param_test.Inner.test_dups[7_0]") && has("param_test.Inner.test_dups[7_1]") &&
               has("param_test.Inner.test_dups[7_2]"));
    assertFalse(has("param_test.Inner.test_dups[7]"));
    assertTrue(has("param_test.Inner.test_negative[-1]") && has("param_test.Inner.test_negative[-2]"));
  }
  TEST(test_a_raising_table_is_one_error) {
    assertEqual(run_inner("param_test.Inner.test_throws"),
                strings{"start",
                        "error assay::CollectionError: rows of param_test.Inner.test_throws "
                        "could not be made: the table raised std::out_of_range: row 7 of cases.txt",
                        "stop"});
  }
  TEST(test_an_empty_table_is_one_error) {
    const strings log = run_inner("param_test.Inner.test_empty");
    assertEqual(log.size(), 3u);
    assertIn("rows of param_test.Inner.test_empty: the table is empty", log[1]);
  }
  TEST(test_an_id_with_a_quote_is_refused) {
    const strings log = run_inner("param_test.Inner.test_quote");
    assertEqual(log.size(), 3u);
    assertIn("row 0's id would be \"it's\", not a valid id (it has \"'\"", log[1]);
  }
  TEST(test_a_non_ascii_id_names_the_whole_character) {
    const strings log = run_inner("param_test.Inner.test_accent");
    assertEqual(log.size(), 3u);
    assertIn("row 1's id would be 'caf\xc3\xa9', not a valid id (it has '\xc3\xa9';", log[1]);
  }
  TEST(test_each_type_is_a_test) {
    assertEqual(run_inner("param_test.Inner.test_types[int]"), strings{"start", "success", "stop"});
    assertEqual(run_inner("param_test.Inner.test_types[std::pair<int,long>]"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"setUp", std::to_string(sizeof(int)), "tearDown", "setUp",
                               std::to_string(sizeof(std::pair<int, long>)), "tearDown"});
  }
  TEST(test_a_type_given_twice_is_one_error) {
    assertFalse(has("param_test.Inner.test_dup_types[int]"));
    const strings log = run_inner("param_test.Inner.test_dup_types");
    assertEqual(log.size(), 3u);
    assertIn("types 0 and 1 are both 'int' (ids must be unique)", log[1]);
  }
};

// Selection sees rows as tests: the test's name names every row, -k reads brackets literally too.
class RowSelectionTest : public assay::TestCase<RowSelectionTest> {
 public:
  TEST(test_a_test_name_selects_its_rows) {
    const assay::test_info& row = *assay::find_test("param_test.Inner.test_fails[2]");
    assertTrue(assay::matches_id("Inner.test_fails", row));
    assertTrue(assay::matches_id("param_test.Inner.test_fails", row));
    assertTrue(assay::matches_id("Inner.test_fails[2]", row));
    assertFalse(assay::matches_id("Inner.test_fail", row));
    assertFalse(assay::matches_id("Inner.test_fails[1]", row));
  }
  TEST(test_k_reads_a_rows_brackets_literally) {
    assertTrue(assay::matches_pattern("test_square[2-4]", "m.C.test_square[2-4]"));
    assertTrue(assay::matches_pattern("[2-4]", "m.C.test_square[2-4]"));
    assertFalse(assay::matches_pattern("test_square[2-4]", "m.C.test_square[3-9]"));
    // Still a glob as unittest's: `[2-4]` is a set where the id has no such text.
    assertTrue(assay::matches_pattern("test_[2-4]", "m.C.test_3"));
    assertTrue(assay::matches_pattern("*test_square[[]2*", "m.C.test_square[2-4]"));
  }
};

}  // namespace
