// Colour decisions (NO_COLOR, CLICOLOR_FORCE, TTYs), writes that survive what tests do to the streams, and
// GitHub workflow-command annotations.
#include <assay/terminal.hpp>

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <assay/retry.hpp>

namespace assay {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

std::string relative_to_workspace(const std::string& file) {
  const char* workspace = env("GITHUB_WORKSPACE");
  if (!workspace) return file;
  std::string prefix = workspace;
  if (prefix.back() != '/') prefix += '/';
  return file.compare(0, prefix.size(), prefix) == 0 ? file.substr(prefix.size()) : file;
}

}  // namespace

int write_fully(int fd, const char* data, std::size_t size, bool pipe) noexcept {
  sigset_t pipe_only, old;
  bool masked = false;
  if (pipe) {
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    masked = ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old) == 0 && !sigismember(&old, SIGPIPE);
  }
  int error = 0;
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
    }
    error = n < 0 ? errno : EIO;
    break;
  }
  if (masked) {
    if (error == EPIPE) {
      const timespec now{0, 0};
      while (::sigtimedwait(&pipe_only, nullptr, &now) == SIGPIPE) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  }
  return error;
}

void flush_quietly(std::FILE* stream, bool iostreams) noexcept {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  const bool masked = ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old) == 0 && !sigismember(&old, SIGPIPE);
  if (iostreams) {
    try {
      std::cout.flush();
      std::cerr.flush();
    } catch (...) {  // a stream a test set to throw: its state is the test's business
    }
  }
  std::fflush(stream);
  if (!masked) return;
  const timespec now{0, 0};
  while (::sigtimedwait(&pipe_only, nullptr, &now) == SIGPIPE) {
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

bool use_color(color_mode mode, int fd) {
  if (mode != color_mode::automatic) return mode == color_mode::always;
  if (env("NO_COLOR")) return false;  // no-color.org: present and not empty
  const char* force = env("CLICOLOR_FORCE");
  if ((force && std::strcmp(force, "0") != 0) || env("FORCE_COLOR")) return true;
  const char* term = env("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) == 1;
}

std::string github_escape_data(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string github_escape_property(const std::string& text) {
  std::string out;
  for (const char c : github_escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

github_annotations::github_annotations(std::FILE* stream, std::size_t limit) : out_(stream), limit_(limit) {}

void github_annotations::on_event(const test_event& e) {
  if (e.kind == event_kind::stop_run) {
    for (const std::string& line : lines_) {
      std::fwrite(line.data(), 1, line.size(), out_);  // by length: a message may hold NULs
      std::fputc('\n', out_);
    }
    if (problems_ > lines_.size()) {
      std::fprintf(out_, "::notice::%zu more failures are not annotated; see the log or the JUnit report\n",
                   problems_ - lines_.size());
    }
    std::fflush(out_);
    return;
  }
  if ((e.kind != event_kind::outcome && e.kind != event_kind::subtest) || !e.test || !is_problem(e.result)) return;
  if (attempts().may_rerun(e.test)) return;  // an attempt that runs again (--retries) is no failure yet
  if (++problems_ > limit_) return;
  const char* flavour = e.result == outcome::failure ? "FAIL" : e.result == outcome::error ? "ERROR"
                                                                                            : "UNEXPECTED SUCCESS";
  std::string title = std::string(flavour) + ": " + e.test->description();
  if (!e.subtest.empty()) title += " " + e.subtest;
  // An unexpected success has no failure location: point at the test itself.
  const std::string file = e.file.empty() ? e.test->file : e.file;
  const int line = e.file.empty() ? e.test->line : e.line;
  std::string message = e.result == outcome::unexpected_success ? "unexpected success" : format_traceback(e);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  std::string command = "::error ";
  if (!file.empty()) {
    command += "file=" + github_escape_property(relative_to_workspace(file)) + ",";
    if (line > 0) command += "line=" + std::to_string(line) + ",";
  }
  command += "title=" + github_escape_property(title) + "::" + github_escape_data(message);
  lines_.push_back(std::move(command));
}

}  // namespace assay
