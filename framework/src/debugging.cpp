// assay::breakpoint(): whether a debugger is there to stop at it.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <assay/case.hpp>

namespace assay::detail {

namespace {

// The TracerPid line of /proc/self/status: a debugger (or strace) has attached.
bool traced() noexcept {
  char text[4096];
  const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return false;
  text[n] = '\0';
  const char* tracer = std::strstr(text, "\nTracerPid:");
  return tracer && std::atoi(tracer + 11) != 0;
}

}  // namespace

bool breakpoint_wanted(location where) noexcept {
  if (traced()) return true;
  // Unbuffered and in one write: the line lands where the test's own stderr output is, in order.
  std::fprintf(stderr, "assay: breakpoint() at %s:%d: no debugger attached\n", where.file, where.line);
  return false;
}

}  // namespace assay::detail
