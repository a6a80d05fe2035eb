// Sanitizer findings as results: LeakSanitizer's check where a process's tests end, its report an ERROR.
#include <assay/sanitizers.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <utility>

#include <assay/capture.hpp>
#include <assay/program.hpp>
#include <assay/supervisor.hpp>
#include <assay/terminal.hpp>

// Defined by the sanitizer runtimes (sanitizer/lsan_interface.h, common_interface_defs.h); null without them.
extern "C" {
int __lsan_do_recoverable_leak_check() __attribute__((weak));
void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));
void __sanitizer_set_report_fd(void* fd) __attribute__((weak));
}

namespace assay {

namespace {

// Where this process's sanitizer reports go when route_sanitizer_reports() moved them from stderr.
int routed_fd = -1;

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
  flush_quietly(nullptr, true);  // a reader that is gone must not end the process here (SIGPIPE)
  if (routed_fd >= 0) {
    // Reports already go to the supervisor's file: this one is taken from there, and taken back, so that
    // the supervisor does not find it again.
    const off_t from = ::lseek(routed_fd, 0, SEEK_END);
    const bool leaks = __lsan_do_recoverable_leak_check() != 0;
    if (from >= 0) {
      if (leaks) {
        const off_t to = ::lseek(routed_fd, 0, SEEK_END);
        report.resize(to > from ? static_cast<std::size_t>(to - from) : 0);
        std::size_t got = 0;
        for (ssize_t n; got < report.size() &&
                        (n = ::pread(routed_fd, &report[got], report.size() - got, from + static_cast<off_t>(got))) > 0;)
          got += static_cast<std::size_t>(n);
        report.resize(got);
      }
      (void)::ftruncate(routed_fd, from);
      ::lseek(routed_fd, from, SEEK_SET);
    }
    return leaks;
  }
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

// The ERROR of the pseudo-test `<type> (module)`: the headline, then the sanitizer's report.
void report_finding(result& r, const test_info& last, const std::string& type, std::string headline,
                    const std::string& report) {
  test_event e;
  e.kind = event_kind::outcome;
  e.test = &fixture_test(type.c_str(), nullptr, last.module);
  e.result = outcome::error;
  e.type = type;
  e.message = std::move(headline);
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


int open_sanitizer_report_file() {
  if (&__sanitizer_set_report_fd == nullptr) return -1;
  // Not close-on-exec: a worker started through exec inherits it (the worker marks it so for the tests).
  return ::memfd_create("assay-sanitizer-reports", 0);
}

void route_sanitizer_reports(int fd) {
  if (fd < 0 || &__sanitizer_set_report_fd == nullptr) return;
  routed_fd = fd;
  __sanitizer_set_report_fd(reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
}

std::string take_sanitizer_report(int fd) {
  if (fd < 0) return {};
  std::string report = read_captured(fd, 1024 * 1024);
  (void)::ftruncate(fd, 0);
  ::lseek(fd, 0, SEEK_SET);  // the offset is shared with the next worker (one open file description)
  return report;
}

std::string sanitizer_of(const std::string& report) {
  // `==123==ERROR: AddressSanitizer: …`, `WARNING: ThreadSanitizer: data race`, UBSan's `runtime error:`.
  for (const char* marker : {"ERROR: ", "WARNING: "}) {
    for (std::size_t at = report.find(marker); at != std::string::npos; at = report.find(marker, at + 1)) {
      const std::size_t name = at + std::strlen(marker);
      const std::size_t colon = report.find(':', name);
      if (colon == std::string::npos) break;
      const std::string word = report.substr(name, colon - name);
      if (word.size() > 9 && word.compare(word.size() - 9, 9, "Sanitizer") == 0 &&
          word.find(' ') == std::string::npos)
        return word;
    }
  }
  if (report.find("runtime error:") != std::string::npos) return "UndefinedBehaviorSanitizer";
  return {};
}

void report_sanitizer_finding(result& r, const test_info& last, const std::string& tests, const std::string& type,
                              const std::string& report) {
  report_finding(r, last, type, "reported in the process that ran " + tests, report);
}

void report_leaks(result& r, const test_info& last, const std::string& tests, const std::string& report) {
  report_finding(r, last, "LeakSanitizer", "detected memory leaks in the process that ran " + tests, report);
}

void exit_failure_on_sanitizer_death() {
  if (&__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback([] { ::_exit(exit_failure); });
}

}  // namespace assay
