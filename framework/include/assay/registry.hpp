// The registry: every test, class and module that registered itself at static initialisation.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include <assay/case.hpp>

namespace assay {

/// A source file's tests: unittest's module, named by the file's stem.
struct module_info {
  std::string name;
  std::string file;
  void (*set_up)() = nullptr;
  void (*tear_down)() = nullptr;
  std::size_t rank = 0;  // position among the modules, ordered by name (set by all_tests())
};

/// A TestCase class; `entry` is any of its tests' entry functions (all reach the same class fixtures).
struct class_info {
  std::string name;  // `ns.UtilsTestCase`
  module_info* module = nullptr;
  detail::entry_fn entry = nullptr;
  std::size_t order = 0;  // registration order of the class
  int first_line = 0;     // line of its first test: classes run in source order
  std::size_t rank = 0;   // position among all classes in run order (set by all_tests())
  std::string id_prefix;  // `module.ns.Class.`, shared by its tests' ids
  bool abstract = false;  // runs none of its tests (its subclasses do)
  bool skip = false;      // a class decorator skip: every test skipped, the class fixtures not run
};

/// One test method, or a pseudo-test standing for a fixture that failed (`setUpClass (module.Class)`).
struct alignas(64) test_info {
  enum kind_t : unsigned char { test, class_fixture, module_fixture };
  // What running and reporting a test reads first, in its first cache line: ten thousand records do not
  // fit in a core's cache, and every other line touched per test is a miss.
  kind_t kind = test;
  bool skip = false;
  bool expected_failure = false;
  bool collected = true;  // false: an inner case of assay's selftests, run by hand only
  int line = 0;
  double timeout = 0;  // seconds; 0: the run's default
  std::size_t index = 0;  // position in all_tests(): stable for every process of one binary
  class_info* cls = nullptr;
  module_info* module = nullptr;
  detail::entry_fn entry = nullptr;
  const char* file = "";  // the literal __FILE__ of the test's file (static storage)
  std::string method;  // `test_x`, or the fixture's name (`setUpClass`, `tearDownModule`, …)
  std::string id;      // `module.Class.test_x` (fixtures: `module.Class` / `module`)
  std::string skip_reason;
  std::size_t inherited = 0;  // 0: the class's own test; n: the n-th test inherited from its bases
  const void* row = nullptr;  // a TEST_P row's values (assay/param.hpp)
  // assay::tag/tags of the test, of its class and of the class's bases; sorted, each once. Views of the
  // options' string literals (static storage).
  std::vector<std::string_view> tags;
  int retries = -1;           // assay::retries(n); -1: the run's --retries

  /// unittest's str(test): `test_x (module.Class.test_x)`, or `setUpClass (module.Class)`.
  std::string description() const;
};

/// Every registered test, ordered as they run by default: modules by name, then declaration order.
const std::vector<test_info*>& all_tests();

/// The tests of abstract classes, which run only in their subclasses (for the loader's messages).
std::vector<const test_info*> abstract_tests();

/// A registered test by id, collected or not (selftests use it to run inner cases); null if unknown.
const test_info* find_test(const std::string& id);

/// A pseudo-test for a fixture of `cls` or `module` (stable address, owned by the registry).
const test_info& fixture_test(const char* fixture_name, class_info* cls, module_info* module);

}  // namespace assay
