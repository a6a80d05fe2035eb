// Ids of classes in namespaces, shared helper bases, and same-named classes in two modules.
#include <assay/assay.hpp>

#include <cstdio>

SET_UP_MODULE() { std::puts("naming: setUpModule"); }

namespace {
class Twin : public assay::TestCase<Twin> {
 protected:
  static void setUpClass() { std::puts("naming: Twin.setUpClass"); }
  TEST(test_in_naming) {}
};
}  // namespace

namespace zoo::keepers {
class Schedule : public assay::TestCase<Schedule> {
 protected:
  TEST(test_namespaced) {}
};
}  // namespace zoo::keepers

// Helpers shared by several test cases live in a class derived from assay::case_base.
class ZooHelpers : public assay::case_base {
 protected:
  void assertFed(int fed) { assertGreater(fed, 0, "nobody was fed"); }
};

class UsesHelpers : public assay::TestCase<UsesHelpers, ZooHelpers> {
 protected:
  TEST(test_helper_passes) { assertFed(2); }
  TEST(test_helper_fails) { assertFed(0); }
};
