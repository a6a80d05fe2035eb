// Reruns of failing tests (--retries N, assay::retries(n)): which attempt of its test the running test is.
#pragma once

#include <assay/result.hpp>

namespace assay {

/// Follows the events of a run and numbers the attempts of each test: a test that fails or errors while
/// attempts are left is to be run again next, in a fresh worker (in-process: at once, on a fresh instance).
/// Whoever runs tests asks rerun() after a test; the reporters ask may_rerun() and attempt() to tell a
/// failed attempt (RERUN, not a result) and a pass after one (FLAKY) from the rest. One per process (see
/// attempts()); it must see every event before the reporters do.
class attempt_tracker : public result {
 public:
  /// --retries: the reruns a test gets when it sets none of its own.
  void set_default(int retries) { default_ = retries; }
  int retries(const test_info& t) const { return t.retries >= 0 ? t.retries : default_; }
  /// The running (or last) test, and which of its attempts it is (from 1).
  const test_info* test() const { return test_; }
  unsigned attempt() const { return attempt_; }
  /// The running test is `t`, and a failure or error of it now would be rerun.
  bool may_rerun(const test_info* t) const {
    return t && t == test_ && t->kind == test_info::test && attempt_ <= static_cast<unsigned>(retries(*t));
  }
  /// The last test failed with attempts left: it runs next, as attempt rerun_attempt(). Null otherwise.
  const test_info* rerun() const { return rerun_; }
  unsigned rerun_attempt() const { return rerun_attempt_; }
  /// A worker started to rerun `t`: the first start of `t` is attempt `attempt`.
  void expect_rerun(const test_info& t, unsigned attempt) {
    rerun_ = &t;
    rerun_attempt_ = attempt;
  }

  void on_event(const test_event& e) override;
  /// (A pass: its start, and a stop with nothing to rerun, without building the three events.)
  void on_passed(const test_info& t, double) override {
    attempt_ = &t == rerun_ ? rerun_attempt_ : 1;
    rerun_ = nullptr;
    test_ = &t;
    failed_ = false;
  }

 private:
  int default_ = 0;
  const test_info* test_ = nullptr;
  unsigned attempt_ = 1;
  bool failed_ = false;
  const test_info* rerun_ = nullptr;
  unsigned rerun_attempt_ = 0;
};

/// This process's tracker (a forked worker inherits the supervisor's, so both number attempts alike).
attempt_tracker& attempts();

}  // namespace assay
