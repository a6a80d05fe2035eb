// A tag is checked when the test is compiled: a tag is an identifier, letters, digits and _ (it must be writable in -m).
// expect: a_tag_is_an_identifier_other_than_and_or_not
#include <assay/assay.hpp>

class Tagged : public assay::TestCase<Tagged> {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  TEST(test_x, assay::tag("slow_db")) {}
#else
  TEST(test_x, assay::tag("slow-db")) {}
#endif
};
