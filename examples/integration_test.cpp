// Seed item 77: an expensive resource set up once per module, around per-test setUp and tearDown.
#include <assay/assay.hpp>

#include <cstdio>

SET_UP_MODULE() { std::puts("* Module setup"); }

TEAR_DOWN_MODULE() { std::puts("* Module clean-up"); }

class IntegrationTest : public assay::TestCase<IntegrationTest> {
 protected:
  // Every test here is tagged: `integration_test -m 'not integration'`, `ctest -L integration`.
  ASSAY_CLASS_OPTIONS(assay::tag("integration"));

  void setUp() override { std::puts("* Test setup"); }
  void tearDown() override { std::puts("* Test clean-up"); }

  TEST(test_end_to_end1) { std::puts("* Test 1"); }

  TEST(test_end_to_end2) { std::puts("* Test 2"); }
};
