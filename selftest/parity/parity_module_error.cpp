// Twin of parity_module_error.py: a module whose setUpModule fails, run by assay.
#include <assay/assay.hpp>

#include <cstdio>
#include <stdexcept>

struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

SET_UP_MODULE() {
  assay::addModuleCleanup([] { std::puts("module cleanup runs"); });
  throw RuntimeError("database down");
}

TEAR_DOWN_MODULE() { std::puts("tearDownModule must not run"); }

class NeedsDatabase : public assay::TestCase<NeedsDatabase> {
  TEST(test_query) { std::puts("must not run"); }
};
