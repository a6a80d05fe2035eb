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
  std::string path;            ///< where the report goes (parent directories are created), resolved by open()
  std::string name = "assay";  ///< `<testsuites name>`: the test binary's name
  bool file_line = false;      ///< add `file`/`line` to `<testcase>` (GitLab reads them; outside the Jenkins schema)
  std::vector<std::pair<std::string, std::string>> properties;  ///< `<property>`s of every `<testsuite>`
  /// Prepare, as each test starts, what flush() writes (the running test as an Interrupted error): only
  /// needed where a signal handler may call flush_all() (an in-process run with -c), and it costs a
  /// rendering per test.
  bool interruptible = true;
  /// The tests run in this process and may close the report's descriptor and open files of their own under
  /// its number: check that it still is the report's file before each write (an fstat).
  bool shared_with_tests = false;
};

/// Writes a JUnit XML report: `<testsuites>`, a `<testsuite>` per class, a `<testcase>` per test or failed fixture.
///
/// By default the report validates against the Jenkins xunit schema (`junit-10.xsd`). The file on disk is
/// valid XML after every event: a finished test is written in place with a single write of the current
/// `<testsuite>` block (its updated opening tag, its tests, the closing tags), so even a SIGKILL of the whole
/// run leaves a report of every test finished so far. A block is closed once it holds a few KiB, so a test
/// costs one small write however long the run (a class may then span several blocks until the end). A test's
/// failure, error or skip is written as it is reported, before its end, so that no reporter can show it
/// before the file holds it. At the end of the run the final report (one `<testsuite>` per class, totals on
/// `<testsuites>`) replaces the file atomically (temp file + rename).
///
/// Only a regular file (or nothing) at the path is replaced; a symbolic link is followed and its target
/// replaced. Anything else (a device, a FIFO, /dev/stdout) is written through, once, with the final report.
/// Near a full file system, space is reserved (fallocate) before an in-place write needs it, and no write
/// goes past a file size limit, so a full disk or `ulimit -f` leaves the file as it was last written
/// completely; any write that fails makes error() non-empty.
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
  /// Adds a `<property>` to every `<testsuite>` written from now on (so to all of the final report's).
  void add_property(std::string name, std::string value) {
    settings_.properties.emplace_back(std::move(name), std::move(value));
  }
  /// Writes the complete report atomically (temp file + rename); done at stop_run. False on an I/O error.
  bool finish();
  /// Empty while every write of the report succeeded; else what failed first, naming the path and the reason.
  const std::string& error() const { return error_; }

 private:
  struct problem {
    bool error = false;
    bool subtest = false;
    std::string type, message;
    std::string header;     // `FAIL: test_x (module.Class.test_x) (i=1)`, as unittest heads its error list
    std::string traceback;  // format_traceback()
  };
  // A failed attempt of a test that ran again (--retries): Surefire's flakyFailure/rerunFailure.
  struct attempt {
    std::vector<problem> problems;
    std::string out, err;
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
    std::vector<attempt> reruns;  // the failed attempts before this one
    std::string xml;  // rendered once the record is complete (or changed)
    char status = 'p';  // p(assed), f(ailure), e(rror), s(kipped): what the counts see
  };
  // The <testsuite> block written in place: its records' XML kept concatenated, so a finished test appends
  // its own XML and rewrites the block from its (small) opening tag on, in one write.
  struct block {
    std::string classname, timestamp;
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    std::string body;      // the records' XML
    std::string tag_properties;  // the records' tags, as <property> lines for the block's head
    std::size_t last = 0;  // where the last record starts in `body` (a fixture's record may still grow)
    off_t offset = 0;      // where the block starts in the file
    std::size_t written = 0;  // length of the block as last written
  };
  // What flush() writes: the current block with the running test as an error, prepared when the test starts.
  struct snapshot {
    off_t offset = 0;
    std::string head;        // the block's opening tag
    bool with_body = false;  // the current block's records go between head and tail
    std::string tail;        // the running test's record and the closing tags
  };

  void add_outcome(record& r, const test_event& e);
  void give_up_rerun();
  void render(record& r, bool interrupted = false) const;
  static std::string tag_property(const record& r);
  // `tag_properties`: the <property> lines naming the tags of the block's tests.
  std::string suite_head(const std::string& name, const std::string& timestamp, std::size_t tests,
                         std::size_t failures, std::size_t errors, std::size_t skipped, double seconds,
                         const std::string& tag_properties) const;
  bool starts_new_block(const record& r) const;
  off_t next_block_offset() const;
  void commit(record&& r);
  void write_current();
  void write_running();
  bool write_block(off_t offset, const std::string& head, const std::string& body, const std::string* more);
  void prepare_interrupted();
  bool reserve(off_t end) noexcept;
  void failed(const char* what);

  junit_settings settings_;
  std::string target_;     // the file replaced (absolute, symbolic links resolved), or what is written through
  bool through_ = false;   // not a regular file: written once, at the end, in sequence
  std::string error_;
  std::string hostname_;
  int fd_ = -1;
  unsigned long long dev_ = 0, ino_ = 0;  // fd_'s file, where settings_.shared_with_tests
  bool lost_ = false;                    // a test closed fd_: the in-progress file is no longer updated
  bool still_ours() noexcept;
  off_t reserved_ = 0;         // the in-progress file has room up to here (allocated, near a full disk)
  bool allocates_ = true;      // the file system reserves space (fallocate)
  off_t size_limit_ = -1;      // RLIMIT_FSIZE, when set: a write past it would fail half-done
  std::size_t tests_on_disk_ = 0;
  bool finished_ = false;
  double total_seconds_ = -1;  // stop_run's elapsed time
  std::vector<record> records_;
  bool have_block_ = false;
  block block_;
  off_t body_start_ = 0;  // where the first <testsuite> goes in the in-progress file
  off_t end_ = 0;         // length of the file as last written by commit
  record running_;
  bool running_active_ = false;
  // The failed attempts of a test that runs again, until its next attempt starts.
  const test_info* rerun_test_ = nullptr;
  record rerun_;
  // Two snapshots, so one can be prepared while a signal handler may be writing the other.
  snapshot snapshot_[2];
  std::atomic<int> snapshot_ready_{-1};
  volatile std::sig_atomic_t flushed_ = 0;
};

}  // namespace assay
