// A dependant must not reach assay's internal headers.
#include <assay/assay.hpp>
#include <assay/detail/internal.hpp>

class Peeks : public assay::TestCase<Peeks> {
  TEST(test_nothing) {}
};
