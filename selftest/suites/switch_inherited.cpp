// Inherited tests and class options seen from outside: one contract, run once per implementation.
#include <assay/assay.hpp>

#include "switch_contract.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

class VectorStack : public assay::TestCase<VectorStack, StackContract> {
 public:
  static void setUpClass() { std::printf("setUpClass VectorStack\n"); }
  static void tearDownClass() { std::printf("tearDownClass VectorStack\n"); }

 protected:
  std::unique_ptr<switch_stacks::stack> make() override { return std::make_unique<switch_stacks::vector_stack>(); }
  const char* name() const override { return "VectorStack"; }
};

class LeakyStack : public assay::TestCase<LeakyStack, StackContract> {
 protected:
  std::unique_ptr<switch_stacks::stack> make() override { return std::make_unique<switch_stacks::leaky_stack>(); }
  const char* name() const override { return "LeakyStack"; }

  // Its own test runs after the inherited ones.
  TEST(test_own) { assertTrue(make()->empty()); }
};

// A concrete base marked abstract runs nothing itself; its subclass runs its tests, and a level deeper too.
class Counting : public assay::TestCase<Counting> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::abstract);
  virtual int start() const { return 0; }
  TEST(test_start) { assertEqual(start(), 1); }
};

class CountingFromOne : public assay::TestCase<CountingFromOne, Counting> {
 protected:
  int start() const override { return 1; }
  TEST(test_plus_one) { assertEqual(start() + 1, 2); }
};

class CountingAgain : public assay::TestCase<CountingAgain, CountingFromOne> {
 protected:
  // Replaces the inherited test of that name.
  TEST(test_plus_one) { assertEqual(start() + 2, 3); }
};

// A class skip: every test reported skipped with its reason, setUpClass (which would fail) not run.
class SkippedClass : public assay::TestCase<SkippedClass> {
 public:
  ASSAY_CLASS_OPTIONS(assay::skip("no database here"));
  static void setUpClass() { throw std::runtime_error("setUpClass must not run"); }
  static void tearDownClass() { std::printf("tearDownClass must not run\n"); }

 protected:
  TEST(test_query) { fail("must not run"); }
  TEST(test_insert, assay::skip("its own reason")) { fail("must not run"); }
};

// skipIf / skipUnless on a class, false and true.
class SkipIfFalse : public assay::TestCase<SkipIfFalse> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(std::getenv("SWITCH_NO_SUCH_VARIABLE") != nullptr, "variable set"));
  TEST(test_runs) {}
};

class SkipUnlessFalse : public assay::TestCase<SkipUnlessFalse> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipUnless(std::getenv("SWITCH_NO_SUCH_VARIABLE") != nullptr, "needs the variable"));
  TEST(test_skipped) { fail("must not run"); }
};

// A subclass whose setUpClass fails: none of its inherited tests run, the error is its own.
class BrokenStack : public assay::TestCase<BrokenStack, StackContract> {
 public:
  static void setUpClass() { throw std::runtime_error("no stack today"); }

 protected:
  std::unique_ptr<switch_stacks::stack> make() override { return std::make_unique<switch_stacks::vector_stack>(); }
};

// A skipped base: its subclasses are skipped too (Python's decorator attribute is inherited).
class SkippedVectorStack : public assay::TestCase<SkippedVectorStack, VectorStack> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skip("skipped with all its inherited tests"));
};
