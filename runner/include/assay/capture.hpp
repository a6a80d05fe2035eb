// Buffer mode (-b): each test's stdout and stderr are captured and shown only when it fails.
#pragma once

#include <string>

#include <assay/result.hpp>

namespace assay {

/// Redirects file descriptors 1 and 2 into temporary files for the duration of one test.
class fd_capture {
 public:
  fd_capture();
  ~fd_capture();
  fd_capture(const fd_capture&) = delete;
  fd_capture& operator=(const fd_capture&) = delete;
  void begin();
  /// What was written since begin(), without ending the capture.
  void peek(std::string& out, std::string& err);
  void end();
  bool active() const { return active_; }

 private:
  int saved_[2] = {-1, -1};
  int files_[2] = {-1, -1};
  bool active_ = false;
};

/// A result decorator: captures each test's output, attaches it to failure and error events and,
/// as unittest does, echoes it after a failed test ("Stdout:" / "Stderr:").
class capture_result : public result {
 public:
  explicit capture_result(result& next) : next_(next) {}
  void on_event(const test_event& e) override;
  bool should_stop() const override { return next_.should_stop(); }

 private:
  result& next_;
  fd_capture capture_;
  bool failed_ = false;
};

}  // namespace assay
