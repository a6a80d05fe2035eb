// A run killed from outside half-way (SIGKILL of the whole runner): its JUnit report must stay valid.
#include <assay/assay.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// The runner's pid, taken at static initialisation of the first process and handed down through the
// environment, so a test kills the whole run whether it runs in the runner or in a worker process.
const pid_t runner_pid = [] {
  if (const char* pid = std::getenv("ASSAY_KILLED_SUITE_RUNNER")) return static_cast<pid_t>(std::atoi(pid));
  ::setenv("ASSAY_KILLED_SUITE_RUNNER", std::to_string(::getpid()).c_str(), 1);
  return ::getpid();
}();

}  // namespace

class BeforeKill : public assay::TestCase<BeforeKill> {
  // Big enough (> 4 KiB of XML) to close the in-progress <testsuite> block, so later tests open another.
  TEST(test_many_subtests) {
    for (int i = 0; i < 12; ++i) subTest({{"i", i}}, [&] { fail("recorded before the kill"); });
  }
  TEST(test_passes) {}
  TEST(test_fails) { assertEqual(1, 2); }
  TEST(test_skipped, assay::skip("skipped before the kill")) {}
};

// The report the runner writes (--junit-xml FILE on its command line, or XML_OUTPUT_FILE).
static std::string report_path() {
  std::ifstream cmdline("/proc/" + std::to_string(runner_pid) + "/cmdline", std::ios::binary);
  for (std::string arg; std::getline(cmdline, arg, '\0');)
    if (arg == "--junit-xml" && std::getline(cmdline, arg, '\0')) return arg;
  const char* env = std::getenv("XML_OUTPUT_FILE");
  return env ? env : "";
}

class Kill : public assay::TestCase<Kill> {
  TEST(test_kills_the_run) {
    // A supervisor records a worker's events a moment after they happen (assay's default): wait until the
    // report holds the tests before this one, as it does at once in-process, then kill the whole run.
    const std::string path = report_path();
    for (int i = 0; i < 1000; ++i) {
      std::ifstream in(path);
      const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (report.find("name=\"test_skipped\"") != std::string::npos) break;
      ::usleep(10000);
    }
    ::kill(runner_pid, SIGKILL);
    ::pause();
  }
  TEST(test_never_reached) {}
};
