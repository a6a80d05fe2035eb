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

/// Supervisor: a file (memory) for the sanitizer reports of its workers, or -1 without a sanitizer runtime
/// (a build without sanitizers spends no descriptor on it).
int open_sanitizer_report_file();

/// Worker: the sanitizer runtime writes its reports to `fd` (from open_sanitizer_report_file) instead of
/// stderr, so that a report printed on the way out (ASan's heap-buffer-overflow, UBSan, TSan) reaches the
/// supervisor whole, as a result. No-op for -1.
void route_sanitizer_reports(int fd);

/// Supervisor, once a worker has ended: what its sanitizer wrote (then the file is emptied for the next).
std::string take_sanitizer_report(int fd);

/// The sanitizer that wrote `report` (`AddressSanitizer`, `UndefinedBehaviorSanitizer`, …), or "" when the
/// text reports no finding (a mere warning).
std::string sanitizer_of(const std::string& report);

/// The ERROR for what a sanitizer reported in a process that ran `tests` and still ended normally (a
/// recoverable finding): the pseudo-test `<Sanitizer> (module)` of `last`'s module, as for leaks.
void report_sanitizer_finding(result& r, const test_info& last, const std::string& tests, const std::string& type,
                              const std::string& report);

/// In-process, after leaks were reported: LSan finds them again at exit and ends the process with its own
/// exit status (23 for LeakSanitizer alone); make that the run's failure status instead.
void exit_failure_on_sanitizer_death();

}  // namespace assay
