// The exceptions a test uses to end itself: AssertionError (a FAIL) and SkipTest (a skip).
#pragma once

#include <assay/repr.hpp>

namespace assay {

// A debugger stop in the function that expands this, not in a libc frame below it: a trap instruction
// where the architecture has one (the debugger reports SIGTRAP there and `continue` goes on), raise(SIGTRAP)
// elsewhere. A macro, so that it adds no inlined frame of its own.
#if defined(__x86_64__) || defined(__i386__)
#define ASSAY_DETAIL_TRAP() __asm__ volatile("int3")
#elif defined(__aarch64__)
#define ASSAY_DETAIL_TRAP() __asm__ volatile("brk #0xf000")
#else
#define ASSAY_DETAIL_TRAP() ::assay::detail::break_here()
#endif
// An assertion failing under --break-on-failure traps at its call site, before its message is built (the
// test's variables are all there); then the failure goes on as usual. Frame 0 is the test's line where the
// compiler can hide the inlined assertion from the debugger (clang's nodebug), else one frame up.
// An expectation traps at its own call site, then lets its assertion fail: that one does not trap again.
#define ASSAY_DETAIL_BREAK_ON_FAILURE()                                                       \
  do {                                                                                        \
    if (::assay::detail::break_on_failure && !::assay::detail::trapped_at_call_site) {        \
      ::assay::detail::trapped_at_call_site = true;                                           \
      ASSAY_DETAIL_TRAP(); /* the failing call: up */                                         \
    }                                                                                         \
  } while (false)
#if defined(__clang__)
#define ASSAY_DETAIL_NODEBUG gnu::nodebug,
#else
#define ASSAY_DETAIL_NODEBUG
#endif

namespace detail {
/// --break-on-failure: a failing assertion traps (above); an AssertionError made elsewhere (a test's own
/// `throw`, an assertion of compiled code) raises SIGTRAP as it is made.
extern bool break_on_failure;
/// Set by a trap at the call site, so that the AssertionError that follows does not stop a second time.
extern bool trapped_at_call_site;
void break_here() noexcept;
/// An expectation's failure path: runs `check`; an AssertionError it throws is recorded as a failure of the
/// running test, which goes on, and false returned. Outside a run it propagates, as an assertion's would.
bool record_failure(fn_ref check);
}  // namespace detail

/// Thrown by every failed assertion, as unittest's failureException; the test becomes a FAIL.
class AssertionError : public std::exception {
 public:
  AssertionError(text message, location where) noexcept
      : message_(static_cast<text&&>(message)), where_(where), context_() {
    if (detail::break_on_failure) {
      if (!detail::trapped_at_call_site) detail::break_here();
      detail::trapped_at_call_site = false;
    }
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
