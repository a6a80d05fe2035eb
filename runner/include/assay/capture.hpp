// Buffer mode (-b): each test's stdout and stderr are captured and shown only when it fails.
#pragma once

#include <cstdint>
#include <string>

#include <assay/result.hpp>

namespace assay {

/// How much captured output is kept per stream: the last 64 KiB (a flood must not exhaust memory).
inline constexpr std::size_t capture_limit = 64 * 1024;

/// A file to capture output into: memory (memfd), else an unnamed file in $TMPDIR (or /tmp); -1 with the
/// reasons in `error` when neither can be had.
int open_capture_file(std::string& error);

/// The output captured in file `fd` (from its start), cut to its last `limit` bytes (from a line start)
/// behind a marker line: `[... 49.9 MB of output truncated ...]`.
std::string read_captured(int fd, std::size_t limit = capture_limit);

/// Mirrors a failed test's captured output to the real stdout and stderr, as unittest does at stopTest.
void echo_captured(const std::string& out, const std::string& err);

/// Redirects file descriptors 1 and 2 into temporary files for the duration of one test.
class fd_capture {
 public:
  fd_capture();
  /// Captures into the given files (duplicated): a supervisor reads them when a worker dies mid-test. The
  /// parent process (the supervisor) holds them as `out_fd` and `err_fd`: a test that closes descriptors
  /// cannot lose them, they are opened again from there.
  fd_capture(int out_fd, int err_fd);
  ~fd_capture();
  fd_capture(const fd_capture&) = delete;
  fd_capture& operator=(const fd_capture&) = delete;
  void begin();
  /// What was written since begin(), without ending the capture.
  void peek(std::string& out, std::string& err);
  void end();
  bool active() const { return active_; }
  /// Why the capture files could not be made (empty when they were).
  const std::string& error() const { return error_; }

 private:
  bool ensure(int& fd, const std::uint64_t (&identity)[2], int origin_fd, int flags);
  int saved_[2] = {-1, -1};
  int files_[2] = {-1, -1};
  bool active_ = false;
  std::string error_;
  // A test may close any descriptor and open its own under the number: each is known by its identity
  // (st_dev, st_ino), never written or truncated unless it still is that file.
  std::uint64_t file_ids_[2][2] = {};
  std::uint64_t saved_ids_[2][2] = {};
  int origin_pid_ = 0;  // a process holding the capture files and the real streams (a worker's supervisor)
  int origin_fds_[2] = {-1, -1};
};

/// A result decorator: captures each test's output, attaches it to failure and error events and,
/// as unittest does, echoes it after a failed test ("Stdout:" / "Stderr:").
class capture_result : public result {
 public:
  explicit capture_result(result& next) : next_(next), capture_() {}
  /// Captures into the given files (see fd_capture).
  capture_result(result& next, int out_fd, int err_fd) : next_(next), capture_(out_fd, err_fd) {}
  void on_event(const test_event& e) override;
  bool should_stop() const override { return next_.should_stop(); }
  /// Why output cannot be captured (empty when it can).
  const std::string& error() const { return capture_.error(); }

 private:
  result& next_;
  fd_capture capture_;
  bool failed_ = false;
};

}  // namespace assay
