// Sanitizer findings as results: LeakSanitizer's check, run where a process's tests end (a worker ends with
// _exit, which skips the check LSan would run at exit).
#pragma once

#include <cstddef>
#include <string>

#include <assay/result.hpp>

namespace assay {

/// True when this process runs under LeakSanitizer (found at run time: a weak symbol, so a program built
/// without sanitizers pays one null check).
bool leak_sanitizer_present();

/// Runs LeakSanitizer's check now (no-op without it, or with detect_leaks=0). True when it found leaks that
/// note_leaks_before_tests() had not seen; `report` then holds what it printed (fd 2 is redirected into
/// memory meanwhile).
bool check_for_leaks(std::string& report);

/// Before any test runs: notes the leaks already there (static initialisation), so that a process's check
/// does not pin them on its tests (every worker inherits them). LSan still reports them at exit.
void note_leaks_before_tests();

/// `module.Class.test_a`, `… and …`, or `3 tests, module.Class.test_a … module.Class.test_c`: the tests a
/// process ran, from `first` to `last`, `count` of them.
std::string describe_tests_ran(const test_info& first, const test_info& last, std::size_t count);

/// The ERROR for leaks LeakSanitizer found in a process that ran `tests` (described): an error of the
/// pseudo-test `LeakSanitizer (module)` of `last`'s module, as unittest reports fixtures, sent to `r`.
void report_leaks(result& r, const test_info& last, const std::string& tests, const std::string& report);

/// In-process, after leaks were reported: LSan finds them again at exit and ends the process with its own
/// exit status (23 for LeakSanitizer alone); make that the run's failure status instead.
void exit_failure_on_sanitizer_death();

}  // namespace assay
