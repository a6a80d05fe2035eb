// Twin of parity_fixtures.py: module and class fixtures, their failures and cleanups, run by assay. Classes
// and tests are declared in the sorted order in which unittest's loader runs them.
#include <assay/assay.hpp>

#include <cstdio>
#include <stdexcept>

struct RuntimeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

SET_UP_MODULE() {
  std::puts("setUpModule");
  assay::addModuleCleanup([] { std::puts("module cleanup"); });
}

TEAR_DOWN_MODULE() {
  std::puts("tearDownModule");
  throw RuntimeError("tearDownModule broke");
}

class Broken : public assay::TestCase<Broken> {
 protected:
  static void setUpClass() {
    addClassCleanup([] { std::puts("Broken class cleanup still runs"); });
    throw RuntimeError("setUpClass broke");
  }
  static void tearDownClass() { std::puts("Broken tearDownClass must not run"); }
  TEST(test_not_run) { std::puts("Broken test must not run"); }
};

class ClassCleanupFails : public assay::TestCase<ClassCleanupFails> {
 protected:
  static void setUpClass() {
    addClassCleanup([] { throw RuntimeError("class cleanup broke"); });
  }
  TEST(test_runs) {}
};

class Counting : public assay::TestCase<Counting> {
 protected:
  static void setUpClass() { std::puts("Counting setUpClass"); }
  static void tearDownClass() { std::puts("Counting tearDownClass"); }
  void setUp() override {
    std::puts("  setUp");
    addCleanup([] { std::puts("  cleanup 1 (runs last)"); });
    addCleanup([] { std::puts("  cleanup 2 (runs first)"); });
  }
  void tearDown() override { std::puts("  tearDown"); }

  TEST(test_a) { std::puts("    test_a"); }
  TEST(test_b) { std::puts("    test_b"); }
};

class Other : public assay::TestCase<Other> {
  TEST(test_c) { std::puts("    test_c"); }
};

class SkippedClass : public assay::TestCase<SkippedClass> {
 protected:
  static void setUpClass() { throw assay::SkipTest(assay::text("no database", 11)); }  // no static skipTest
  TEST(test_one) {}
  TEST(test_two) {}
};

class TearDownClassFails : public assay::TestCase<TearDownClassFails> {
 protected:
  static void tearDownClass() { throw RuntimeError("tearDownClass broke"); }
  TEST(test_runs) {}
};
