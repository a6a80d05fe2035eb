// Seven tests for three shards: round robin over the sorted ids puts a failure and a skip in different shards.
#include <assay/assay.hpp>

#include <vector>

class Alpha : public assay::TestCase<Alpha> {
  TEST(test_one) { assertEqual(2, 1 + 1); }
  TEST(test_two) { assertTrue(true); }
  TEST(test_three) { assertEqual(1 + 1, 3, "sharded failure"); }
};

class Beta : public assay::TestCase<Beta> {
  TEST(test_four) { assertFalse(false); }
  TEST(test_five, assay::skip("sharded skip")) { fail("a skipped test must not run"); }
  TEST(test_six) { assertIn(2, std::vector<int>{1, 2, 3}); }
};

class Gamma : public assay::TestCase<Gamma> {
  TEST(test_seven) { assertNotEqual(1, 2); }
};
