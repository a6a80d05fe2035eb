// TEST_P outside a TestCase: the error says where it belongs.
// expect-first: TEST_P must be inside a class derived from assay::TestCase
#include <assay/assay.hpp>
#include <assay/param.hpp>

#ifdef ASSAY_COMPILE_FAIL_CONTROL
class Rows : public assay::TestCase<Rows> {
  TEST_P(test_x, (1, 2))(int x) { assertGreater(x, 0); }
};
#else
struct Rows {
  TEST_P(test_x, (1, 2))(int x) { (void)x; }
};
#endif
