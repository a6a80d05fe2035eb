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
  AssertionError(text message, location where) noexcept : message_(static_cast<text&&>(message)), where_(where) {
    if (detail::break_on_failure) detail::break_here();
  }
  const char* what() const noexcept override;  // out of line: the vtable lives in the library (-Wweak-vtables)
  const text& message() const noexcept { return message_; }
  const location& where() const noexcept { return where_; }

 private:
  text message_;
  location where_;
};

/// Thrown by skipTest(); the test (or subtest) is reported as skipped with the reason.
class SkipTest : public std::exception {
 public:
  explicit SkipTest(text reason) noexcept : reason_(static_cast<text&&>(reason)) {}
  const char* what() const noexcept override;

 private:
  text reason_;
};

}  // namespace assay
