// Death tests: assertions that a body ends the process, run in a child the test forks (GoogleTest's EXPECT_DEATH).
#pragma once

#include <assay/assertion_error.hpp>

namespace assay {

namespace detail {

/// What a death assertion expects of its child: any death, an exit status, or a signal; and its stderr.
struct death_expectation {
  enum kind_t : unsigned char { dies, exits, killed_by } kind;
  int code;      // the exit status (exits) or the signal (killed_by)
  str pattern;   // std::regex searched in the child's stderr; empty: any
  double timeout;
};

/// Forks, runs `body` in the child and waits for its end (compiled). True when it ended as expected;
/// otherwise fail_death_test() throws the message, after the call site's --break-on-failure trap.
bool run_death_test(const death_expectation& expected, fn_ref body, location where);
[[noreturn]] void fail_death_test(location where);

}  // namespace detail

/// The death assertions of a TestCase: `body` runs in a child process, which must end as asserted.
class death_assertions {
 protected:
  // Only a base (of case_base): not destroyed through, so no virtual destructor (-Wnon-virtual-dtor).
  death_assertions() = default;
  death_assertions(const death_assertions&) = default;
  death_assertions& operator=(const death_assertions&) = default;
  ~death_assertions() = default;

 public:
  /// Seconds a death test's child may run; then it is killed and the assertion fails.
  double death_timeout = 60;

  /// `body` ends the process abnormally: killed by any signal (std::terminate and abort() included) or
  /// exits with a non-zero status; its stderr must match `pattern` (std::regex search) when one is given.
  ///     assertDies([] { std::abort(); }, "^$");
  template <class F>
  void assertDies(F&& body, message pattern = {}, location where = location::here()) const {
    check({detail::death_expectation::dies, 0, pattern.text, death_timeout}, detail::fn_ref::of(body), where);
  }
  /// `body` ends the process with exit(status) or _exit(status) (`status` 0 to 255).
  template <class F>
  void assertExits(int status, F&& body, message pattern = {}, location where = location::here()) const {
    check({detail::death_expectation::exits, status, pattern.text, death_timeout}, detail::fn_ref::of(body), where);
  }
  /// `body` is killed by signal `sig` (SIGSEGV, SIGABRT for abort() and std::terminate, …).
  template <class F>
  void assertKilledBy(int sig, F&& body, message pattern = {}, location where = location::here()) const {
    check({detail::death_expectation::killed_by, sig, pattern.text, death_timeout}, detail::fn_ref::of(body), where);
  }

 private:
  static void check(const detail::death_expectation& expected, detail::fn_ref body, location where) {
    if (!detail::run_death_test(expected, body, where)) [[unlikely]] {
      ASSAY_DETAIL_BREAK_ON_FAILURE();  // --break-on-failure: the test is two frames up (in check)
      detail::fail_death_test(where);
    }
  }
};

}  // namespace assay
