// TEST in a class that does not derive from assay::TestCase: the first error says so.
// expect-first: TEST must be inside a class derived from assay::TestCase
#include <assay/assay.hpp>

#ifdef ASSAY_COMPILE_FAIL_CONTROL
class Greeting : public assay::TestCase<Greeting> {
#else
class Greeting {
#endif
  TEST(test_hello) {}
};
