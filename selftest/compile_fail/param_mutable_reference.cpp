// A TEST_P parameter taken by non-const reference: the rows are shared by every run (--repeat), so refused.
// expect-first: TEST_P parameter is a value or a const reference
#include <assay/assay.hpp>
#include <assay/param.hpp>

class Rows : public assay::TestCase<Rows> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TEST_P(test_x, (1, 2))(const int& x) { assertGreater(x, 0); }
#else
  TEST_P(test_x, (1, 2))(int& x) { ++x; }
#endif
};
