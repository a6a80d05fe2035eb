// A second module of the `naming` binary: it sorts after `naming`, and has its own Twin.
#include <assay/assay.hpp>

#include <cstdio>

TEAR_DOWN_MODULE() { std::puts("naming_other: tearDownModule"); }

namespace {
class Twin : public assay::TestCase<Twin> {
 protected:
  static void setUpClass() { std::puts("naming_other: Twin.setUpClass"); }
  TEST(test_in_naming_other) {}
};
}  // namespace
