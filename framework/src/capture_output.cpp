// capture_output: descriptors 1 and 2 redirected into unnamed files around a block, then read back.
#include <assay/capture_output.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace assay {

namespace {

void flush_streams() {
  std::cout.flush();
  std::cerr.flush();
  std::clog.flush();
  std::fflush(stdout);
  std::fflush(stderr);
}

// Memory first (no file system involved), else an unnamed file in $TMPDIR or /tmp.
int open_file() {
  int fd = ::memfd_create("assay-capture-output", MFD_CLOEXEC);
  if (fd >= 0) return fd;
  const int memfd_errno = errno;
  const char* dir = std::getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  fd = ::open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  throw std::runtime_error(std::string("capture_output: no file to capture into (memfd_create: ") +
                           std::strerror(memfd_errno) + "; an unnamed file in " + dir + ": " + std::strerror(errno) +
                           ")");
}

std::string read_all(int fd) {
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) return data;
  data.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  for (ssize_t n; got < data.size() && (n = ::pread(fd, &data[got], data.size() - got, static_cast<off_t>(got))) > 0;)
    got += static_cast<std::size_t>(n);
  data.resize(got);
  return data;
}

// Descriptors 1 and 2 pointed at two files until destroyed, then given back what they were (closed, if they
// were): also when the body throws.
class redirection {
 public:
  redirection() {
    for (int i = 0; i < 2; ++i) {
      try {
        files_[i] = open_file();
      } catch (...) {
        close_files();
        throw;
      }
    }
    flush_streams();  // what was written before the block belongs to whoever captured it before
    for (int i = 0; i < 2; ++i) {
      saved_[i] = ::fcntl(i + 1, F_DUPFD_CLOEXEC, 3);  // -1 when the test had closed it
      ::dup2(files_[i], i + 1);
    }
  }
  ~redirection() {
    flush_streams();
    for (int i = 0; i < 2; ++i) {
      if (saved_[i] >= 0) {
        ::dup2(saved_[i], i + 1);
        ::close(saved_[i]);
      } else {
        ::close(i + 1);
      }
    }
    close_files();
  }
  redirection(const redirection&) = delete;
  redirection& operator=(const redirection&) = delete;

  captured_output read() const {
    flush_streams();
    return captured_output{read_all(files_[0]), read_all(files_[1])};
  }

 private:
  void close_files() {
    for (int& fd : files_)
      if (fd >= 0) ::close(fd), fd = -1;
  }
  int files_[2] = {-1, -1};
  int saved_[2] = {-1, -1};
};

}  // namespace

namespace detail {

captured_output capture_output(fn_ref body) {
  const redirection redirect;
  body();
  return redirect.read();
}

}  // namespace detail

}  // namespace assay
