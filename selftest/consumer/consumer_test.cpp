// A consumer's tests: one passes, one fails, one is skipped; and a banner printed before main.
#include <assay/assay.hpp>

#include <cstdio>

namespace {

const int banner = [] {
  std::puts("consumer: a library's banner, printed during static initialisation");
  return 0;
}();

}  // namespace

class ConsumerTest : public assay::TestCase<ConsumerTest> {
 protected:
  TEST(test_passes) { assertEqual(2, 1 + 1); }
  TEST(test_fails) { assertEqual("expected", "actual"); }
  TEST(test_skipped, assay::skip("not on this machine")) {}
};

class OtherTest : public assay::TestCase<OtherTest> {
 protected:
  TEST(test_x) { assertTrue(true); }
  TEST(test_x_more) { assertTrue(true); }  // `ctest -R 'OtherTest.test_x$'` must not run this one
};
