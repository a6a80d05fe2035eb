// Module and class fixtures around a sequence of tests, with unittest's rules for failures and teardown.
#include <assay/suite.hpp>

#include <assay/execution.hpp>
#include <assay/retry.hpp>

namespace assay {

namespace {

void call_plain(void* fn) { reinterpret_cast<void (*)()>(fn)(); }

void call_class_fixture(void* cls_ptr, detail::entry_op op) {
  auto* cls = static_cast<class_info*>(cls_ptr);
  case_base* none = nullptr;
  cls->entry(op, none);
}

}  // namespace

void fixture_state::tear_down_class(result& r) {
  if (!class_) return;
  const test_info& pseudo = fixture_test("tearDownClass", class_, class_->module);
  notify(pseudo);
  // tearDownClass runs only if setUpClass succeeded; class cleanups always run (unittest).
  if (!class_failed_ && !module_failed_ && !class_->skip) {
    run_fixture(pseudo, r, [](void* c) { call_class_fixture(c, detail::entry_op::tear_down_class); }, class_);
  }
  do_class_cleanups(pseudo, r);
  class_ = nullptr;
  class_failed_ = false;
}

void fixture_state::tear_down_module(result& r) {
  if (!module_) return;
  const test_info& pseudo = fixture_test("tearDownModule", nullptr, module_);
  notify(pseudo);
  if (!module_failed_ && module_->tear_down) {
    run_fixture(pseudo, r, call_plain, reinterpret_cast<void*>(module_->tear_down));
  }
  do_module_cleanups(pseudo, r);
  module_ = nullptr;
  module_failed_ = false;
}

bool fixture_state::enter(const test_info& next, result& r) {
  if (next.cls != class_) tear_down_class(r);
  if (next.module != module_) {
    tear_down_module(r);
    module_ = next.module;
    if (module_->set_up) {
      const test_info& pseudo = fixture_test("setUpModule", nullptr, module_);
      notify(pseudo);
      if (!run_fixture(pseudo, r, call_plain, reinterpret_cast<void*>(module_->set_up))) {
        module_failed_ = true;
        do_module_cleanups(pseudo, r);
      }
    }
  }
  if (next.cls != class_) {
    class_ = next.cls;
    // A skipped class (a class decorator) runs neither setUpClass nor tearDownClass (unittest's suite).
    if (!module_failed_ && !class_->skip) {
      const test_info& pseudo = fixture_test("setUpClass", class_, module_);
      notify(pseudo);
      if (!run_fixture(pseudo, r, [](void* c) { call_class_fixture(c, detail::entry_op::set_up_class); }, class_)) {
        class_failed_ = true;
        do_class_cleanups(pseudo, r);
      }
    }
  }
  return !class_failed_ && !module_failed_;
}

void fixture_state::finish(result& r) {
  tear_down_class(r);
  tear_down_module(r);
}

void run_suite(const std::vector<const test_info*>& tests, result& r) { run_suite(run_plan(tests, 1), 0, r); }

void run_suite(const run_plan& plan, std::size_t first, result& r) {
  fixture_state fixtures;
  for (std::size_t position = first, end = plan.size(); position < end; ++position) {
    if (r.should_stop()) break;
    const test_info& t = *plan[position];
    if (!fixtures.enter(t, r)) continue;
    run_test(t, r);
    // No fresh process in-process: a failed attempt with attempts left runs again at once, on a fresh
    // instance, within the same class and module fixtures.
    while (attempts().rerun() == &t && !r.should_stop()) run_test(t, r);
  }
  fixtures.finish(r);
}

}  // namespace assay
