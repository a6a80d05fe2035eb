// A module whose name (the file's stem, set with #line) holds characters that CMake and CTest treat specially.
#include <assay/assay.hpp>

#line 4 "odd [mod];x=]$y.cpp"

class Odd : public assay::TestCase<Odd> {
 protected:
  TEST(test_passes) { assertTrue(true); }
};
