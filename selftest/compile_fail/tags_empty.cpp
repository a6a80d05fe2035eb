// A tag is checked when the test is compiled: assay::tags needs at least one tag.
// expect: a_tag_list_needs_at_least_one_tag
#include <assay/assay.hpp>

class Tagged : public assay::TestCase<Tagged> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TEST(test_x, assay::tags(" slow ")) {}
#else
  TEST(test_x, assay::tags(" ")) {}
#endif
};
