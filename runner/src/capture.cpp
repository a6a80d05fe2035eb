// Capturing a test's stdout and stderr at the file-descriptor level (printf, std::cout and child processes alike).
#include <assay/capture.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace assay {

namespace {

std::string read_all(int fd) {
  std::string data;
  ::lseek(fd, 0, SEEK_SET);
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
  return data;
}

void flush_streams() {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace

fd_capture::fd_capture() {
  for (int i = 0; i < 2; ++i) {
    std::FILE* f = std::tmpfile();
    files_[i] = f ? ::dup(::fileno(f)) : -1;
    if (f) std::fclose(f);
  }
}

fd_capture::~fd_capture() {
  end();
  for (int fd : files_)
    if (fd >= 0) ::close(fd);
}

void fd_capture::begin() {
  if (active_ || files_[0] < 0 || files_[1] < 0) return;
  flush_streams();
  for (int i = 0; i < 2; ++i) {
    (void)::ftruncate(files_[i], 0);
    ::lseek(files_[i], 0, SEEK_SET);
    saved_[i] = ::dup(i + 1);
    ::dup2(files_[i], i + 1);
  }
  active_ = true;
}

void fd_capture::peek(std::string& out, std::string& err) {
  if (!active_) return;
  flush_streams();
  out = read_all(files_[0]);
  err = read_all(files_[1]);
}

void fd_capture::end() {
  if (!active_) return;
  flush_streams();
  for (int i = 0; i < 2; ++i) {
    ::dup2(saved_[i], i + 1);
    ::close(saved_[i]);
    saved_[i] = -1;
  }
  active_ = false;
}

void capture_result::on_event(const test_event& e) {
  switch (e.kind) {
    case event_kind::start_test:
      failed_ = false;
      next_.on_event(e);
      capture_.begin();
      return;
    case event_kind::outcome:
    case event_kind::subtest:
      if (capture_.active() && (e.result == outcome::failure || e.result == outcome::error)) {
        test_event copy = e;
        capture_.peek(copy.out, copy.err);
        failed_ = true;
        next_.on_event(copy);
        return;
      }
      next_.on_event(e);
      return;
    case event_kind::stop_test: {
      std::string out, err;
      if (failed_) capture_.peek(out, err);
      capture_.end();
      // unittest mirrors a failed test's buffered output to the real streams when the test stops.
      if (!out.empty()) std::fprintf(stdout, "\nStdout:\n%s%s", out.c_str(), out.back() == '\n' ? "" : "\n");
      if (!err.empty()) std::fprintf(stderr, "\nStderr:\n%s%s", err.c_str(), err.back() == '\n' ? "" : "\n");
      std::fflush(stdout);
      std::fflush(stderr);
      next_.on_event(e);
      return;
    }
    default: next_.on_event(e); return;
  }
}

}  // namespace assay
