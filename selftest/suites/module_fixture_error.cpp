// A module whose setUpModule fails: its tests do not run, tearDownModule does not run, cleanups do.
#include <assay/assay.hpp>

#include <cstdio>
#include <stdexcept>

SET_UP_MODULE() {
  assay::addModuleCleanup([] { std::puts("module cleanup runs"); });
  throw std::runtime_error("database down");
}

TEAR_DOWN_MODULE() { std::puts("tearDownModule must not run"); }

class NeedsDatabase : public assay::TestCase<NeedsDatabase> {
  TEST(test_query) { std::puts("must not run"); }
};
