// Capturing a test's stdout and stderr at the file-descriptor level (printf, std::cout and child processes alike).
#include <assay/capture.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <assay/terminal.hpp>

namespace assay {

namespace {

// `1.5 MB`, `12.0 kB`, `300 bytes`: the size of what a truncation left out.
std::string human_size(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1000) {
    std::snprintf(text, sizeof text, "%llu byte%s", static_cast<unsigned long long>(bytes), bytes == 1 ? "" : "s");
  } else {
    const char* unit = bytes < 1000000 ? "kB" : bytes < 1000000000 ? "MB" : "GB";
    const double scale = bytes < 1000000 ? 1e3 : bytes < 1000000000 ? 1e6 : 1e9;
    std::snprintf(text, sizeof text, "%.1f %s", static_cast<double>(bytes) / scale, unit);
  }
  return text;
}

void flush_streams() {
  flush_quietly(stdout, true);
  flush_quietly(stderr);
}

}  // namespace

int open_capture_file(std::string& error) {
  // Memory first: no file system is involved (a read-only or full /tmp, a TMPDIR that does not exist).
  // Not close-on-exec: a worker started through exec inherits the supervisor's.
  int fd = ::memfd_create("assay-capture", 0);
  if (fd >= 0) return fd;
  const std::string memfd_error = std::strerror(errno);
  const char* dir = std::getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  fd = ::open(dir, O_TMPFILE | O_RDWR, 0600);
  if (fd >= 0) return fd;
  error = "memfd_create: " + memfd_error + "; an unnamed file in " + dir + ": " + std::strerror(errno);
  return -1;
}

std::string read_captured(int fd, std::size_t limit) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size <= 0) return {};
  const auto size = static_cast<std::uint64_t>(st.st_size);
  // One byte before the cut too: it tells whether the cut falls at the start of a line.
  const std::uint64_t start = size > limit ? size - limit - 1 : 0;
  std::string data(static_cast<std::size_t>(size - start), '\0');
  std::size_t got = 0;
  // pread: the file offset the test writes at stays where it is.
  for (ssize_t n; got < data.size() &&
                  (n = ::pread(fd, &data[got], data.size() - got, static_cast<off_t>(start + got))) > 0;)
    got += static_cast<std::size_t>(n);
  data.resize(got);
  if (size <= limit) return data;
  // Keep whole lines: drop the partial line the cut fell into, when the tail has a line break.
  std::size_t skip = 1;
  const std::size_t newline = data.find('\n');
  if (newline != std::string::npos && newline + 1 < data.size()) skip = newline + 1;
  while (skip < data.size() && (static_cast<unsigned char>(data[skip]) & 0xC0) == 0x80) ++skip;  // mid UTF-8
  return "[... " + human_size(start + skip) + " of output truncated ...]\n" + data.substr(skip);
}

void echo_captured(const std::string& out, const std::string& err) {
  // Straight to the descriptors, whole: a test may have made them non-blocking (stdio would drop what
  // meets EAGAIN) or left no reader; what the streams hold goes first.
  flush_streams();
  const std::string texts[2] = {out.empty() ? out : "\nStdout:\n" + out + (out.back() == '\n' ? "" : "\n"),
                                err.empty() ? err : "\nStderr:\n" + err + (err.back() == '\n' ? "" : "\n")};
  for (int i = 0; i < 2; ++i) write_fully(i + 1, texts[i].data(), texts[i].size());
}

namespace {

bool identify(int fd, std::uint64_t (&identity)[2]) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) return false;
  identity[0] = st.st_dev;
  identity[1] = st.st_ino;
  return true;
}

bool is_file(int fd, const std::uint64_t (&identity)[2]) {
  std::uint64_t now[2] = {};
  return identify(fd, now) && now[0] == identity[0] && now[1] == identity[1];
}

}  // namespace

fd_capture::fd_capture(int out_fd, int err_fd) {
  files_[0] = out_fd >= 0 ? ::dup(out_fd) : -1;
  files_[1] = err_fd >= 0 ? ::dup(err_fd) : -1;
  for (int i = 0; i < 2; ++i) identify(files_[i], file_ids_[i]);
  origin_pid_ = static_cast<int>(::getppid());
  origin_fds_[0] = out_fd;
  origin_fds_[1] = err_fd;
}

// `fd` (held as `origin_fd` by the origin process) is still the file `identity` names; if a test closed it,
// it is opened again from the origin (`/proc/<pid>/fd/<n>`: the same file), under a new number.
bool fd_capture::ensure(int& fd, const std::uint64_t (&identity)[2], int origin_fd, int flags) {
  if (is_file(fd, identity)) return true;
  fd = -1;
  if (origin_pid_ <= 0 || origin_fd < 0) return false;
  const std::string path = "/proc/" + std::to_string(origin_pid_) + "/fd/" + std::to_string(origin_fd);
  // A regular file (a log) is appended to: a new open file description starts at offset 0.
  fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd >= 0 && !is_file(fd, identity)) {
    ::close(fd);
    fd = -1;
  }
  return fd >= 0;
}

fd_capture::fd_capture() {
  for (int i = 0; i < 2; ++i) {
    if (error_.empty()) files_[i] = open_capture_file(error_);
    identify(files_[i], file_ids_[i]);
  }
}

fd_capture::~fd_capture() {
  end();
  for (int fd : files_)
    if (fd >= 0) ::close(fd);
}

void fd_capture::begin() {
  if (active_ || files_[0] < 0 || files_[1] < 0) return;
  if (!ensure(files_[0], file_ids_[0], origin_fds_[0], O_RDWR) ||
      !ensure(files_[1], file_ids_[1], origin_fds_[1], O_RDWR))
    return;  // uncaptured: the output still reaches the real streams, and no file of the test's is touched
  flush_streams();
  for (int i = 0; i < 2; ++i) {
    (void)::ftruncate(files_[i], 0);
    ::lseek(files_[i], 0, SEEK_SET);
    saved_[i] = ::dup(i + 1);
    identify(saved_[i], saved_ids_[i]);
    ::dup2(files_[i], i + 1);
  }
  active_ = true;
}

void fd_capture::peek(std::string& out, std::string& err) {
  if (!active_) return;
  flush_streams();
  out = read_captured(files_[0]);
  err = read_captured(files_[1]);
}

void fd_capture::end() {
  if (!active_) return;
  flush_streams();
  for (int i = 0; i < 2; ++i) {
    // The test may have closed the saved stream too: the origin still holds it as its own 1 and 2.
    // (A regular file, a log, is appended to: a new open file description would start at offset 0.)
    if (ensure(saved_[i], saved_ids_[i], i + 1, O_WRONLY | O_APPEND)) {
      ::dup2(saved_[i], i + 1);
      ::close(saved_[i]);
    }
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
      echo_captured(out, err);
      next_.on_event(e);
      return;
    }
    default: next_.on_event(e); return;
  }
}

}  // namespace assay
