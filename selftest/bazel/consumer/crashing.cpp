// One test dies of SIGSEGV between passing tests: only it is lost, as an error.
#include <assay/assay.hpp>

#include <csignal>

class Crashing : public assay::TestCase<Crashing> {
  TEST(test_a_before) { assertTrue(true); }
  TEST(test_b_crashes) { std::raise(SIGSEGV); }
  TEST(test_c_after) { assertEqual(4, 2 * 2); }
};
