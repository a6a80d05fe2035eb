// A tag is checked when the test is compiled: the words of -m expressions (and, or, not) are no tags.
// expect: a_tag_is_an_identifier_other_than_and_or_not
#include <assay/assay.hpp>

class Tagged : public assay::TestCase<Tagged> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TEST(test_x, assay::tags("slow db")) {}
#else
  TEST(test_x, assay::tags("slow not")) {}
#endif
};
