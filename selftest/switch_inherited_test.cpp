// Inherited tests and class options checked with assay itself: which tests a subclass gets, on which
// object and fixtures they run, what an abstract or skipped class runs.
#include <assay/assay.hpp>
#include <assay/registry.hpp>
#include <assay/suite.hpp>

#include <string>
#include <vector>

#include "recorder.hpp"

using selftest::run_inner;
using strings = std::vector<std::string>;

namespace {

strings trail;

// Abstract by its pure virtual: runs none of its tests itself.
class Contract : public assay::TestCase<Contract> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::detail::not_collected);  // inner cases: run by hand below
  virtual const char* implementation() const = 0;
  void setUp() override { trail.push_back(std::string("setUp ") + implementation()); }
  TEST(test_first) { trail.push_back(std::string("first ") + implementation()); }
  TEST(test_second) {
    trail.push_back(std::string("second ") + implementation());
    assertEqual(std::string(implementation()), "First");
  }
};

class First : public assay::TestCase<First, Contract> {
 public:
  static void setUpClass() { trail.push_back("setUpClass First"); }

 protected:
  const char* implementation() const override { return "First"; }
};

class Second : public assay::TestCase<Second, Contract> {
 protected:
  const char* implementation() const override { return "Second"; }
  TEST(test_own) { trail.push_back("own Second"); }
  TEST(test_first) { trail.push_back("overridden Second"); }
};

// Marked abstract although it could be made: its subclass runs its tests, and is not abstract itself.
class Marked : public assay::TestCase<Marked> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::detail::not_collected, assay::abstract);
  TEST(test_marked) { trail.push_back("marked"); }
};
class MarkedChild : public assay::TestCase<MarkedChild, Marked> {};

// A skipped class: its tests skipped with the class's reason; its fixtures never run.
class Skipped : public assay::TestCase<Skipped> {
 public:
  ASSAY_CLASS_OPTIONS(assay::detail::not_collected, assay::skip("whole class"));
  static void setUpClass() { trail.push_back("setUpClass Skipped"); }
  static void tearDownClass() { trail.push_back("tearDownClass Skipped"); }

 protected:
  TEST(test_a) { trail.push_back("ran"); }
  TEST(test_b, assay::skip("own reason")) { trail.push_back("ran"); }
};
class SkippedChild : public assay::TestCase<SkippedChild, Skipped> {};

class NotSkipped : public assay::TestCase<NotSkipped> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::detail::not_collected, assay::skipIf(false, "never"), assay::expectedFailure,
                      assay::timeout(5));
  TEST(test_fails) { fail("expected"); }
  TEST(test_own_timeout, assay::timeout(2)) { fail("expected"); }
};

strings run_with_fixtures(const strings& ids) {
  std::vector<const assay::test_info*> tests;
  for (const std::string& id : ids) tests.push_back(assay::find_test(id));
  selftest::recorder r;
  assay::run_suite(tests, r);
  return r.log;
}

}  // namespace

class InheritedTestsTest : public assay::TestCase<InheritedTestsTest> {
 protected:
  void setUp() override { trail.clear(); }

  TEST(test_subclass_gets_inherited_tests_under_its_id) {
    const assay::test_info* t = assay::find_test("switch_inherited_test.First.test_second");
    assertIsNotNone(t);
    assertEqual(t->cls->name, std::string("First"));
    assertEqual(t->inherited, std::size_t{2});
    assertEqual(t->method, std::string("test_second"));
    assertIsNotNone(assay::find_test("switch_inherited_test.Second.test_second"));
    assertIsNotNone(assay::find_test("switch_inherited_test.MarkedChild.test_marked"));
    assertIsNotNone(assay::find_test("switch_inherited_test.SkippedChild.test_a"));
  }

  TEST(test_runs_on_the_subclass_object) {
    assertEqual(run_inner("switch_inherited_test.First.test_first"), strings{"start", "success", "stop"});
    const strings failed = run_inner("switch_inherited_test.Second.test_second");
    assertEqual(failed.size(), std::size_t{3});
    assertEqual(failed[1].substr(0, 35), std::string("failure AssertionError: \"Second\" !="));
    assertEqual(trail, strings{"setUp First", "first First", "setUp Second", "second Second"});
  }

  TEST(test_override_replaces_inherited) {
    const assay::test_info* t = assay::find_test("switch_inherited_test.Second.test_first");
    assertIsNotNone(t);
    assertEqual(t->inherited, std::size_t{0});
    assertEqual(run_inner("switch_inherited_test.Second.test_first"), strings{"start", "success", "stop"});
    assertEqual(trail, strings{"setUp Second", "overridden Second"});
    std::size_t copies = 0;
    for (const char* method : {"test_first", "test_second", "test_own"}) {
      const std::string id = std::string("switch_inherited_test.Second.") + method;
      assertIsNotNone(assay::find_test(id), id);
      ++copies;
    }
    assertEqual(copies, std::size_t{3});
  }

  TEST(test_abstract_classes) {
    assertTrue(assay::find_test("switch_inherited_test.Contract.test_first")->cls->abstract);
    assertTrue(assay::find_test("switch_inherited_test.Marked.test_marked")->cls->abstract);
    // assay::abstract is the marked class's own: its subclass runs.
    assertFalse(assay::find_test("switch_inherited_test.MarkedChild.test_marked")->cls->abstract);
    assertFalse(assay::find_test("switch_inherited_test.First.test_first")->cls->abstract);
    assertEqual(run_inner("switch_inherited_test.MarkedChild.test_marked"), strings{"start", "success", "stop"});
    for (const assay::test_info* t : assay::all_tests()) assertFalse(t->cls->abstract, t->id);
  }

  TEST(test_subclass_fixtures) {
    assertEqual(run_with_fixtures({"switch_inherited_test.First.test_first", "switch_inherited_test.Second.test_own"}),
                strings{"start", "success", "stop", "start", "success", "stop"});
    assertEqual(trail, strings{"setUpClass First", "setUp First", "first First", "setUp Second", "own Second"});
  }

  TEST(test_class_skip) {
    assertEqual(run_with_fixtures({"switch_inherited_test.Skipped.test_a", "switch_inherited_test.Skipped.test_b",
                                   "switch_inherited_test.SkippedChild.test_a"}),
                strings{"start", "skipped: whole class", "stop", "start", "skipped: whole class", "stop", "start",
                        "skipped: whole class", "stop"});
    assertEqual(trail, strings{});  // neither setUpClass nor tearDownClass, nor a test
  }

  TEST(test_class_options_apply_to_each_test) {
    const assay::test_info* t = assay::find_test("switch_inherited_test.NotSkipped.test_fails");
    assertFalse(t->skip);
    assertTrue(t->expected_failure);
    assertEqual(t->timeout, 5.0);
    assertEqual(assay::find_test("switch_inherited_test.NotSkipped.test_own_timeout")->timeout, 2.0);
    assertEqual(run_inner("switch_inherited_test.NotSkipped.test_fails"), strings{"start", "expected_failure", "stop"});
  }
};
