// A TYPED_TEST with an empty type list would be no test at all: refused.
// expect-first: a TYPED_TEST needs at least one type
#include <assay/assay.hpp>
#include <assay/param.hpp>

class Types : public assay::TestCase<Types> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TYPED_TEST(test_x, (int)) { assertEqual(T{}, T{}); }
#else
  TYPED_TEST(test_x, ()) {}
#endif
};
