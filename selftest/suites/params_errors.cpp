// Tables that make no rows and ids that cannot be: each such test reports why as an ERROR; the others run.
#include <assay/assay.hpp>
#include <assay/param.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::vector<int> throwing_rows() { throw std::runtime_error("rows.txt: no such file"); }
std::vector<int> no_rows() { return {}; }

class Broken : public assay::TestCase<Broken> {
 public:
  TEST_P(test_throws, throwing_rows)(int) {}
  TEST_P(test_empty, no_rows)(int) {}
  TEST_P(test_space, ("fine", "two words"))(const std::string&) {}
  TEST_P(test_bad_name, ({assay::id("a/b"), 1}))(int) {}
  TEST_P(test_empty_string, (""))(const std::string&) {}
  TEST_P(test_same_name, ({assay::id("x"), 1}, {assay::id("y"), 2}, {assay::id("x"), 3}))(int) {}
  TYPED_TEST(test_same_type, (int, long, int)) {}
  TEST_P(test_fine, (1, 2))(int x) { assertGreater(x, 0); }
};

}  // namespace
