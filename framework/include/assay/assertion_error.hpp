// The exceptions a test uses to end itself: AssertionError (a FAIL) and SkipTest (a skip).
#pragma once

#include <exception>

#include <assay/repr.hpp>

namespace assay {

namespace detail {
/// --break-on-failure: every AssertionError raises SIGTRAP as it is made, so a debugger stops at the failure.
extern bool break_on_failure;
void break_here() noexcept;
}  // namespace detail

/// Thrown by every failed assertion, as unittest's failureException; the test becomes a FAIL.
class AssertionError : public std::exception {
 public:
  AssertionError(text message, location where) noexcept
      : message_(static_cast<text&&>(message)), where_(where), context_() {
    if (detail::break_on_failure) detail::break_here();
  }
  /// Raised while `context` ("ValueError: good input") was being handled, as Python's __context__.
  AssertionError(text message, location where, text context) noexcept
      : AssertionError(static_cast<text&&>(message), where) {
    context_ = static_cast<text&&>(context);
  }
  const char* what() const noexcept override;  // out of line: the vtable lives in the library (-Wweak-vtables)
  const text& message() const noexcept { return message_; }
  const location& where() const noexcept { return where_; }
  const text& context() const noexcept { return context_; }

 private:
  text message_;
  location where_;
  text context_;
};

/// Thrown by skipTest(); the test (or subtest) is reported as skipped with the reason.
class SkipTest : public std::exception {
 public:
  explicit SkipTest(text reason) noexcept : reason_(static_cast<text&&>(reason)) {}
  const char* what() const noexcept override;
  /// The whole reason (what() stops at a NUL byte).
  const text& reason() const noexcept { return reason_; }

 private:
  text reason_;
};

}  // namespace assay
