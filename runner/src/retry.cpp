// Numbering the attempts of tests that are rerun when they fail (--retries, assay::retries).
#include <assay/retry.hpp>

namespace assay {

void attempt_tracker::on_event(const test_event& e) {
  switch (e.kind) {
    case event_kind::start_test:
      // A rerun that was due and did not come (the run stopped, its setUpClass failed) is given up.
      attempt_ = e.test && e.test == rerun_ ? rerun_attempt_ : 1;
      rerun_ = nullptr;
      test_ = e.test;
      failed_ = false;
      return;
    case event_kind::outcome:
    case event_kind::subtest:
      if (e.test == test_ && (e.result == outcome::failure || e.result == outcome::error)) failed_ = true;
      return;
    case event_kind::stop_test:
      if (e.test == test_ && failed_ && may_rerun(test_)) {
        rerun_ = test_;
        rerun_attempt_ = attempt_ + 1;
      }
      failed_ = false;
      return;
    case event_kind::start_run:
    case event_kind::stop_run: return;
  }
}

attempt_tracker& attempts() {
  static attempt_tracker tracker;
  return tracker;
}

}  // namespace assay
