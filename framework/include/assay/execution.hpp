// Running one test and one fixture against a result: unittest's TestCase.run and the suite's fixture calls.
#pragma once

#include <assay/result.hpp>

namespace assay {

/// Runs `t`: setUp, the test, tearDown, cleanups; emits start_test, outcomes and stop_test to `r`.
void run_test(const test_info& t, result& r);

/// Calls `fn` as fixture `pseudo` (setUpClass, tearDownModule, …); an exception becomes an error event
/// for `pseudo` (a SkipTest a skip). Returns true when `fn` completed.
bool run_fixture(const test_info& pseudo, result& r, void (*fn)(void*), void* arg);

/// Runs the pending class cleanups (addClassCleanup), LIFO; errors are reported against `pseudo`.
void do_class_cleanups(const test_info& pseudo, result& r);
/// Runs the pending module cleanups (addModuleCleanup), LIFO; errors are reported against `pseudo`.
void do_module_cleanups(const test_info& pseudo, result& r);

/// Makes this process the one that reports the run: a supervisor's freshly forked worker calls it. Any
/// other process fork() made while tests ran (a test's child that returns into assay) leaves quietly once
/// its part of the test is over: `_exit(0)`, or `_exit(1)` when that part raised.
void claim_run() noexcept;

/// Fills `type`, `message`, `file` and `line` of `e` from the exception being handled.
/// Returns true for an AssertionError (a FAIL), false for anything else (an ERROR).
bool describe_current_exception(test_event& e);

}  // namespace assay
