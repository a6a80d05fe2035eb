// The JUnit XML reporter: a report CI servers read, kept valid on disk while the run goes.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include <assay/result.hpp>

namespace assay {

/// What a JUnit report holds besides the events.
struct junit_settings {
  std::string path;            ///< where the report goes (parent directories are created)
  std::string name = "assay";  ///< `<testsuites name>`: the test binary's name
  bool file_line = false;      ///< add `file`/`line` to `<testcase>` (GitLab reads them; outside the Jenkins schema)
  std::vector<std::pair<std::string, std::string>> properties;  ///< `<property>`s of every `<testsuite>`
};

/// Writes a JUnit XML report: `<testsuites>`, a `<testsuite>` per class, a `<testcase>` per test or failed fixture.
///
/// By default the report validates against the Jenkins xunit schema (`junit-10.xsd`). The file on disk is
/// valid XML after every event: a finished test is appended in place with a single write that also rewrites
/// the closing tags, so even a SIGKILL of the whole run leaves a report of every test finished so far.
/// In-place writes only touch the current `<testsuite>` block, which is closed once it exceeds a few KiB,
/// so each test costs one small write whatever the size of the run. At the end of the run the final report
/// (one `<testsuite>` per class, totals on `<testsuites>`) replaces the file atomically (temp file + rename).
class junit_result : public result {
 public:
  explicit junit_result(junit_settings settings);
  ~junit_result() override;
  junit_result(const junit_result&) = delete;
  junit_result& operator=(const junit_result&) = delete;

  /// Creates the report (valid, with no test yet); false with the reason in `error`.
  bool open(std::string& error);
  void on_event(const test_event& e) override;

  /// Async-signal-safe: makes the file on disk hold every finished test and, when a test is running, that
  /// test as an error ("the run stopped during this test"). For signal handlers and abnormal exits.
  void flush() noexcept;
  /// flush() of every open report in the process (at most a few), for a signal handler.
  static void flush_all() noexcept;
  /// Writes the complete report atomically (temp file + rename); done at stop_run. False on an I/O error.
  bool finish();

 private:
  struct problem {
    bool error = false;
    bool subtest = false;
    std::string type, message;
    std::string header;     // `FAIL: test_x (module.Class.test_x) (i=1)`, as unittest heads its error list
    std::string traceback;  // format_traceback()
  };
  struct record {
    const test_info* test = nullptr;
    std::string classname, name, file;
    int line = 0;
    double seconds = 0;
    std::time_t started = 0;
    std::vector<problem> problems;
    std::vector<std::string> skips;
    bool expected_failure = false;
    std::string out, err;
    std::string xml;  // rendered once the record is complete (or changed)
    char status = 'p';  // p(assed), f(ailure), e(rror), s(kipped): what the counts see
  };
  struct chunk {
    std::size_t first = 0, count = 0, bytes = 0;
    off_t offset = 0;
    std::size_t written = 0;  // length of the block last written at `offset`
  };

  void add_outcome(record& r, const test_event& e);
  void render(record& r, bool interrupted = false) const;
  std::string suite_block(const std::string& name, const record* const* records, std::size_t count,
                          const std::string& indent) const;
  bool starts_new_chunk(const record& r) const;
  void commit(record&& r);
  void write_current();
  void prepare_interrupted();

  junit_settings settings_;
  std::string hostname_;
  int fd_ = -1;
  bool finished_ = false;
  double total_seconds_ = -1;  // stop_run's elapsed time
  std::vector<record> records_;
  std::vector<chunk> chunks_;
  off_t body_start_ = 0;  // where the first <testsuite> goes in the in-progress file
  off_t end_ = 0;         // length of the file as last written by commit
  record running_;
  bool running_active_ = false;
  // flush(): a prepared snapshot (bytes to write at an offset), published through `snapshot_ready_`.
  std::string snapshot_[2];
  off_t snapshot_offset_[2] = {0, 0};
  std::atomic<int> snapshot_ready_{-1};
  volatile std::sig_atomic_t flushed_ = 0;
};

}  // namespace assay
