// The last module of the hostile suite: the run reaches it, with its own module fixture.
#include <assay/assay.hpp>

#include <unistd.h>

SET_UP_MODULE() { (void)!::write(1, "hostile_tail.setUpModule\n", 25); }

class Survivor : public assay::TestCase<Survivor> {
 protected:
  TEST(test_still_runs) {}
  TEST(test_fails_normally) { assertEqual(2 + 2, 5); }
};
