// TEST at namespace scope: the first error says where TEST belongs, before anything about its expansion.
// expect-first: TEST must be inside a class derived from assay::TestCase
#include <assay/assay.hpp>

#ifdef ASSAY_COMPILE_FAIL_CONTROL
class Greeting : public assay::TestCase<Greeting> {
  TEST(test_hello) {}
};
#else
TEST(test_hello) {}
#endif
