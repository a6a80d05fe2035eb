// A row whose values do not convert to the test's parameters does not compile.
// expect: row<int, int>
#include <assay/assay.hpp>
#include <assay/param.hpp>

class Rows : public assay::TestCase<Rows> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TEST_P(test_x, ({1, 2}, {3, 4}))(int x, int y) { assertLess(x, y); }
#else
  TEST_P(test_x, ({1, 2}, {3, "four"}))(int x, int y) { assertLess(x, y); }
#endif
};
