// Running a sequence of tests with their module and class fixtures (unittest's TestSuite).
#pragma once

#include <cstddef>
#include <vector>

#include <assay/result.hpp>

namespace assay {

/// The tests of a run in order: the selection, `repeat` times over (--repeat), never materialised.
class run_plan {
 public:
  /// The most positions a plan may have (the journal's positions are 32-bit, and one more must fit).
  static constexpr std::size_t max_size = 4294967294u;
  run_plan(const std::vector<const test_info*>& tests, std::size_t repeat) : tests_(&tests), repeat_(repeat) {}
  std::size_t size() const { return tests_->size() * repeat_; }
  const test_info* operator[](std::size_t position) const {
    const std::size_t n = tests_->size();
    return (*tests_)[position < n ? position : position % n];
  }
  /// One repetition: every distinct test of the plan.
  const std::vector<const test_info*>& cycle() const { return *tests_; }

 private:
  const std::vector<const test_info*>* tests_;
  std::size_t repeat_;
};

/// Tracks which module and class fixtures are up, so a sequence of tests can be run piecewise
/// (one test at a time in a worker) with unittest's setUpModule/setUpClass/teardown rules.
class fixture_state {
 public:
  /// Tears down what `next` does not share and sets up what it needs; false when `next` must not run.
  bool enter(const test_info& next, result& r);
  /// Tears down every fixture still up (the end of a run).
  void finish(result& r);
  /// Tears down the class fixture still up, keeping the module's (a worker's unit of a parallel run ends).
  void finish_class(result& r) { tear_down_class(r); }

  /// Called with a fixture's pseudo-test (`setUpClass (module.Class)`, …) before that fixture and its
  /// cleanups run: a worker journals it, so a crash inside is reported against the fixture.
  void (*before_fixture)(const test_info& pseudo, void* context) = nullptr;
  void* before_fixture_context = nullptr;

 private:
  void notify(const test_info& pseudo) {
    if (before_fixture) before_fixture(pseudo, before_fixture_context);
  }
  void tear_down_class(result& r);
  void tear_down_module(result& r);
  class_info* class_ = nullptr;
  module_info* module_ = nullptr;
  bool class_failed_ = false;
  bool module_failed_ = false;
};

/// Runs `tests` in order, with fixtures, until the result asks to stop.
void run_suite(const std::vector<const test_info*>& tests, result& r);
/// Runs plan positions [first, plan.size()) in order, with fixtures, until the result asks to stop.
void run_suite(const run_plan& plan, std::size_t first, result& r);

}  // namespace assay
