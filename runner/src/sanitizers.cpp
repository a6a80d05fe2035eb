// Sanitizer findings as results: LeakSanitizer's check where a process's tests end, its report an ERROR.
#include <assay/sanitizers.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <assay/capture.hpp>
#include <assay/program.hpp>
#include <assay/supervisor.hpp>

// Defined by the sanitizer runtimes (sanitizer/lsan_interface.h, common_interface_defs.h); null without them.
extern "C" {
int __lsan_do_recoverable_leak_check() __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));
}

namespace assay {

namespace {

// The SUMMARY line of the leaks found before the tests ran ("" when none): LSan reports every leak at each
// check, so a check after the tests that ends in the same line found nothing new.
std::string leaks_before_tests;

std::string summary_line(const std::string& report) {
  const std::size_t at = report.rfind("SUMMARY:");
  return at == std::string::npos ? std::string() : report.substr(at, report.find('\n', at) - at);
}

bool run_leak_check(std::string& report) {
  report.clear();
  // LSan stops the world with ptrace, which a process under a debugger cannot take: it would die trying.
  if (!leak_sanitizer_present() || debugger_attached()) return false;
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  // The report goes to fd 2 (unless log_path names a file): into memory for the ERROR, not the terminal.
  const int file = ::memfd_create("assay-sanitizer-report", MFD_CLOEXEC);
  const int saved = file >= 0 ? ::dup(2) : -1;
  if (saved >= 0) ::dup2(file, 2);
  const bool leaks = __lsan_do_recoverable_leak_check() != 0;
  if (saved >= 0) {
    ::dup2(saved, 2);
    ::close(saved);
  }
  if (file >= 0) {
    if (leaks) report = read_captured(file, 1024 * 1024);
    ::close(file);
  }
  return leaks;
}

}  // namespace

bool leak_sanitizer_present() { return &__lsan_do_recoverable_leak_check != nullptr; }

void note_leaks_before_tests() {
  std::string report;
  if (run_leak_check(report)) leaks_before_tests = summary_line(report);
}

bool check_for_leaks(std::string& report) {
  if (!run_leak_check(report)) return false;
  if (!leaks_before_tests.empty() && summary_line(report) == leaks_before_tests) {
    report.clear();  // only what was there before the tests
    return false;
  }
  return true;
}

std::string describe_tests_ran(const test_info& first, const test_info& last, std::size_t count) {
  if (count <= 1) return last.id;
  if (count == 2) return first.id + " and " + last.id;
  return std::to_string(count) + " tests, " + first.id + " … " + last.id;
}

void report_leaks(result& r, const test_info& last, const std::string& tests, const std::string& report) {
  test_event e;
  e.kind = event_kind::outcome;
  e.test = &fixture_test("LeakSanitizer", nullptr, last.module);
  e.result = outcome::error;
  e.type = "LeakSanitizer";
  e.message = "detected memory leaks in the process that ran " + tests;
  if (report.empty()) {
    e.message += " (its report went to stderr or to the sanitizer's log_path)";
  } else {
    std::size_t from = 0;
    while (from < report.size() && report[from] == '\n') ++from;
    e.message += "\n\n";
    e.message.append(report, from);
    while (e.message.back() == '\n') e.message.pop_back();
  }
  r.on_event(e);
}

void exit_failure_on_sanitizer_death() {
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback([] { ::_exit(exit_failure); });
}

}  // namespace assay
