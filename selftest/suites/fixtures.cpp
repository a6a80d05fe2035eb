// Fixture order and fixture failures: module, class and test fixtures, cleanups, as unittest runs them.
#include <assay/assay.hpp>

#include <cstdio>
#include <stdexcept>

SET_UP_MODULE() {
  std::puts("setUpModule");
  assay::addModuleCleanup([] { std::puts("module cleanup"); });
}

TEAR_DOWN_MODULE() { std::puts("tearDownModule"); }

class Ordered : public assay::TestCase<Ordered> {
 protected:
  static void setUpClass() {
    std::puts("  setUpClass");
    addClassCleanup([] { std::puts("  class cleanup"); });
  }
  static void tearDownClass() { std::puts("  tearDownClass"); }
  void setUp() override {
    std::puts("    setUp");
    addCleanup([] { std::puts("    cleanup 1 (runs last)"); });
    addCleanup([] { std::puts("    cleanup 2 (runs first)"); });
  }
  void tearDown() override { std::puts("    tearDown"); }

  TEST(test_one) { std::puts("      test_one"); }
  TEST(test_two) { std::puts("      test_two"); }
};

class SetUpFails : public assay::TestCase<SetUpFails> {
 protected:
  void setUp() override {
    addCleanup([] { std::puts("    SetUpFails cleanup still runs"); });
    fail("setUp broke");
  }
  void tearDown() override { std::puts("    SetUpFails tearDown must not run"); }
  TEST(test_never_runs) { std::puts("    SetUpFails test must not run"); }
};

class TearDownFails : public assay::TestCase<TearDownFails> {
 protected:
  void tearDown() override { throw std::runtime_error("tearDown broke"); }
  TEST(test_passes_then_teardown_errors) {}
};

class CleanupFails : public assay::TestCase<CleanupFails> {
 protected:
  TEST(test_cleanup_errors) {
    addCleanup([] { std::puts("    second cleanup still runs"); });
    addCleanup([] { throw std::runtime_error("cleanup broke"); });
  }
  TEST(test_fails_and_cleanup_fails) {
    addCleanup([this] { assertEqual(1, 2, "in a cleanup"); });
    assertEqual("a", "b");
  }
};

class ClassSetUpFails : public assay::TestCase<ClassSetUpFails> {
 protected:
  static void setUpClass() {
    addClassCleanup([] { std::puts("  ClassSetUpFails class cleanup still runs"); });
    throw std::runtime_error("setUpClass broke");
  }
  static void tearDownClass() { std::puts("  ClassSetUpFails tearDownClass must not run"); }
  TEST(test_not_run) { std::puts("ClassSetUpFails test must not run"); }
};

class ClassTearDownFails : public assay::TestCase<ClassTearDownFails> {
 protected:
  static void tearDownClass() { throw std::logic_error("tearDownClass broke"); }
  TEST(test_runs) {}
};

class AfterBroken : public assay::TestCase<AfterBroken> {
 protected:
  TEST(test_still_runs) { std::puts("      AfterBroken runs"); }
};
