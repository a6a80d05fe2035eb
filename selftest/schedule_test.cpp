// Scheduling a parallel run (-j N): the units of work, their order, and how many CPUs -j 0 takes.
#if defined(__GNUC__) && !defined(__clang__)
// g++ 12 at -O3 warns of an overlap inside std::string's own code here (-Wrestrict, GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <assay/assay.hpp>

#include <string>
#include <utility>
#include <vector>

#include <assay/schedule.hpp>

namespace {

using units = std::vector<std::pair<std::size_t, std::size_t>>;

class ScheduleTest : public assay::TestCase<ScheduleTest> {
 protected:
  // Tests of classes a, a, b, c, c, c (ids t0 … t5).
  void setUp() override {
    storage.resize(6);
    const int of[] = {0, 0, 1, 2, 2, 2};
    for (std::size_t i = 0; i < storage.size(); ++i) {
      storage[i].cls = &classes[of[i]];
      storage[i].id = "t" + std::to_string(i);
      storage[i].index = i;
      plan.push_back(&storage[i]);
    }
  }
  assay::class_info classes[3];
  std::vector<assay::test_info> storage;
  std::vector<const assay::test_info*> plan;

  TEST(test_a_class_is_one_unit) {
    assertEqual(assay::order_units(plan, false, {}), (units{{0, 2}, {2, 3}, {3, 6}}));
  }

  TEST(test_isolate_makes_every_test_a_unit) {
    assertEqual(assay::order_units(plan, true, {}), (units{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}}));
  }

  TEST(test_longest_first_when_durations_are_known) {
    const std::vector<double> durations{0.1, 0.1, 5.0, 1.0, -1};  // (t5 past the end: not known either)
    // c: 1.0 and two unknown tests at the mean (1.55) = 4.1; b: 5.0; a: 0.2.
    assertEqual(assay::order_units(plan, false, durations), (units{{2, 3}, {3, 6}, {0, 2}}));
  }

  TEST(test_durations_of_other_tests_keep_plan_order) {
    assertEqual(assay::order_units(plan, false, {-1, -1, -1, -1, -1, -1, 3.0}), (units{{0, 2}, {2, 3}, {3, 6}}));
  }

  TEST(test_empty_plan_has_no_units) { assertEqual(assay::order_units({}, false, {}).size(), 0u); }

  TEST(test_cgroup_quota) {
    assertEqual(assay::cpus_of_quota("max 100000\n"), 0);
    assertEqual(assay::cpus_of_quota("150000 100000\n"), 2);
    assertEqual(assay::cpus_of_quota("100000 100000"), 1);
    assertEqual(assay::cpus_of_quota("50000 100000"), 1);
    assertEqual(assay::cpus_of_quota(""), 0);
    assertEqual(assay::cpus_of_quota("-1 100000"), 0);  // cgroup v1's "no limit"
    assertEqual(assay::cpus_of_quota("garbage"), 0);
  }

  TEST(test_available_cpus_is_at_least_one) { assertGreaterEqual(assay::available_cpus(), 1); }
};

}  // namespace
