// JUnit XML: escaping, the report kept valid in place during the run, and the final atomic rewrite.
#include <assay/junit_result.hpp>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>

#include <assay/retry.hpp>

namespace assay {

namespace {

// The current <testsuite> block is rewritten with every test; past this size it is closed and the next
// test opens a new block, so a test costs one write of at most a few KiB however long the run.
constexpr std::size_t block_limit = 4096;
// Space for the in-progress file is reserved this far ahead, so that a test's write cannot run out of it;
// only near a full file system, though (below `plenty` free): allocating the space at once costs the file
// system more than the writes do (a report replaced before it reached the disk never needs blocks).
constexpr off_t reserve_chunk = 64 * 1024;
constexpr unsigned long long plenty = 64ull * 1024 * 1024;
// A `message` attribute holds at most this many bytes of its message (the element's text holds all of it).
constexpr std::size_t message_limit = 1000;

const char* const xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const char* const progress_note = "  <!-- in progress: the run had not finished when this file was last written -->\n";
const char* const closing = "</testsuites>\n";
const char* const block_closing = "  </testsuite>\n";
const char* const block_and_file_closing = "  </testsuite>\n</testsuites>\n";

// Open reports, for flush_all() from a signal handler: plain slots, no allocation.
constexpr int max_reports = 8;
std::atomic<junit_result*> open_reports[max_reports];

// Length of the UTF-8 sequence at s[i] when it encodes a character XML 1.0 allows; 0 otherwise.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  char32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;  // overlong, too large
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;         // not XML characters
  return n;
}

// Appends `s` escaped for XML text or an attribute value. Bytes XML 1.0 cannot carry (control characters,
// invalid UTF-8) are written `\xNN`, as repr writes them, so the report stays parseable and still says what was there.
void escape_to(std::string& out, std::string_view s, bool attribute) {
  static const char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {
    // Plain printable ASCII goes out a run at a time.
    std::size_t run = i;
    while (run < s.size()) {
      const unsigned char p = static_cast<unsigned char>(s[run]);
      if (p < 0x20 || p >= 0x80 || p == '&' || p == '<' || p == '>' || p == '"') break;
      ++run;
    }
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_length(s, i)) {
        out.append(s.data() + i, n);
        i += n;
        continue;
      }
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      // In attributes a parser would turn raw newlines and tabs into spaces; character references keep them.
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\r': out += "&#13;"; break;
      default:
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    ++i;
  }
}

// Appends `s` as an element's text. libxml2-based readers reject a text node of more than 10 MB: a longer
// text is split into nodes by empty comments (readers join the pieces; the schema does not see comments).
void text_to(std::string& out, std::string_view s) {
  constexpr std::size_t piece = 1000 * 1000;  // at most 4 MB once escaped (`\xNN` for each byte)
  while (s.size() > piece) {
    std::size_t cut = piece;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // between characters
    escape_to(out, s.substr(0, cut), false);
    out += "<!---->";
    s.remove_prefix(cut);
  }
  escape_to(out, s, false);
}

void attribute(std::string& out, const char* name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  escape_to(out, value, true);
  out += '"';
}

// Seconds with 3 decimals (the Jenkins schema allows no more), without printf's cost: written per test.
std::string seconds_text(double seconds) {
  const long long ms = seconds > 0 ? static_cast<long long>(seconds * 1000 + 0.5) : 0;
  std::string text = std::to_string(ms / 1000);
  const int frac = static_cast<int>(ms % 1000);
  text += '.';
  text += static_cast<char>('0' + frac / 100);
  text += static_cast<char>('0' + frac / 10 % 10);
  text += static_cast<char>('0' + frac % 10);
  return text;
}

// Ant's timestamp: local time, no zone.
std::string timestamp_text(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

// pwritev until everything is written (regular files rarely write short, but may). Async-signal-safe.
bool write_all(int fd, iovec* iov, int count, off_t offset) noexcept {
  while (count > 0) {
    const ssize_t n = ::pwritev(fd, iov, count, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    offset += n;
    std::size_t left = static_cast<std::size_t>(n);
    for (; count > 0 && left >= iov->iov_len; ++iov, --count) left -= iov->iov_len;
    if (count > 0) {
      iov->iov_base = static_cast<char*>(iov->iov_base) + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

bool write_all(int fd, const std::string& data, off_t offset) noexcept {
  iovec iov{const_cast<char*>(data.data()), data.size()};
  return write_all(fd, &iov, 1, offset);
}

// write() until everything is written, for what cannot be written at an offset (a FIFO, a device). A FIFO
// whose reader left fails with EPIPE rather than killing the run with SIGPIPE.
bool write_sequentially(int fd, const std::string& data) {
  sigset_t pipe_signal, old;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE);
  bool ok = true;
  for (std::size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      ok = false;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  const int saved = errno;
  if (!ok && saved == EPIPE && !was_pending) {
    const timespec now{};
    ::sigtimedwait(&pipe_signal, nullptr, &now);  // the SIGPIPE this write raised: not the process's
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return ok;
}

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// mkdir -p: CTest's XML_OUTPUT_DIR and Bazel's XML_OUTPUT_FILE may name directories that do not exist yet.
void make_directories(const std::string& dir) {
  for (std::size_t slash = dir.find('/', 1); ; slash = dir.find('/', slash + 1)) {
    const std::string prefix = slash == std::string::npos ? dir : dir.substr(0, slash);
    ::mkdir(prefix.c_str(), 0777);
    if (slash == std::string::npos) break;
  }
}

// A new file next to `path`, with the permissions a plain fopen would give it; -1 with errno on failure.
int make_temp(const std::string& path, std::string& temp) {
  temp = path + ".XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  return fd;
}

std::string error_text(const std::string& what, const std::string& path) {
  return "cannot " + what + " JUnit report '" + path + "': " + std::strerror(errno);
}

// This process's own descriptors (/dev/stdout, /dev/fd/N): written through even when they are regular
// files, for a replaced file would leave the shell's redirection writing to a deleted one.
bool is_descriptor_path(const std::string& path) {
  for (const char* prefix : {"/dev/fd/", "/proc/", "/dev/stdout", "/dev/stderr", "/dev/stdin"})
    if (path.compare(0, std::strlen(prefix), prefix) == 0) return true;
  return false;
}

// Where `path` leads, fixed now so that a test's chdir() cannot move the report: the absolute path of the
// regular file to replace (symbolic links followed to their target, which may not exist yet), or, with
// `through`, of what to write through (a device, a FIFO). False with errno on an error.
bool resolve_target(const std::string& path, std::string& target, bool& through) {
  std::string absolute = path;
  if (absolute.empty() || absolute[0] != '/') {
    char cwd[PATH_MAX];
    if (!::getcwd(cwd, sizeof cwd)) return false;
    absolute = std::string(cwd) + "/" + path;
  }
  make_directories(parent_of(absolute));
  struct stat st {};
  if (::stat(absolute.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      errno = EISDIR;
      return false;
    }
    through = !S_ISREG(st.st_mode) || is_descriptor_path(absolute);
    if (through) {
      target = absolute;
      return true;
    }
    char* real = ::realpath(absolute.c_str(), nullptr);
    if (!real) return false;
    target = real;
    std::free(real);
    return true;
  }
  if (errno != ENOENT) return false;
  // Nothing there yet, or a link to nothing: the report is created where the chain of links ends.
  std::string end = absolute;
  for (int hops = 0; hops < 40; ++hops) {
    char link[PATH_MAX];
    const ssize_t n = ::readlink(end.c_str(), link, sizeof link - 1);
    if (n < 0) break;
    link[n] = '\0';
    end = link[0] == '/' ? std::string(link) : parent_of(end) + "/" + link;
  }
  const std::string dir = parent_of(end);
  make_directories(dir);
  char* real = ::realpath(dir.c_str(), nullptr);
  if (!real) return false;
  target = real;
  std::free(real);
  if (target.back() != '/') target += '/';
  target += end.substr(end.find_last_of('/') + 1);
  through = false;
  return true;
}

// An attribute's share of a message: its first line, at most message_limit bytes (cut between UTF-8
// characters), with an ellipsis when cut. libxml2-based readers reject huge attributes; the element's
// text holds the whole message.
std::string brief(const std::string& message, bool& cut) {
  std::size_t end = std::min(message.find('\n'), message.size());
  if (end > message_limit) {
    end = message_limit;
    while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;
  }
  cut = end < message.size();
  return cut ? message.substr(0, end) + "\u2026" : message;
}

}  // namespace

junit_result::junit_result(junit_settings settings) : settings_(std::move(settings)) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) hostname_ = host;
}

junit_result::~junit_result() {
  for (auto& slot : open_reports) {
    junit_result* self = this;
    slot.compare_exchange_strong(self, nullptr);
  }
  if (fd_ >= 0) ::close(fd_);
}

// In-process, a test may close any descriptor and open a file of its own under the number: never write
// into it. Async-signal-safe (fstat), for flush().
bool junit_result::still_ours() noexcept {
  if (!settings_.shared_with_tests || fd_ < 0) return fd_ >= 0;
  if (lost_) return false;
  struct stat st {};
  lost_ = ::fstat(fd_, &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_;
  return !lost_;
}

bool junit_result::open(std::string& error) {
  const std::string& path = settings_.path;
  if (!resolve_target(path, target_, through_)) {
    error = error_text("create", path);
    return false;
  }
  rlimit limit{};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    size_limit_ = static_cast<off_t>(limit.rlim_cur);
  if (through_) {
    // Written once, at the end. A FIFO opens as a shell redirection opens it: once it has a reader.
    struct stat st {};
    const bool regular = ::stat(target_.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    const int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (regular ? O_APPEND : 0);
    fd_ = ::open(target_.c_str(), flags | O_NONBLOCK);
    if (fd_ < 0 && errno == ENXIO) {
      std::fprintf(stderr, "%s: waiting for a reader of the JUnit report FIFO '%s'\n", program_invocation_short_name,
                   path.c_str());
      fd_ = ::open(target_.c_str(), flags);
    } else if (fd_ >= 0) {
      ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);  // the report is written whole, at the end
    }
    if (fd_ < 0) {
      error = error_text("open", path);
      return false;
    }
  } else {
    std::string temp;
    const int fd = make_temp(target_, temp);
    if (fd < 0) {
      error = error_text("create", path);
      return false;
    }
    std::string head = xml_declaration;
    head += "<testsuites";
    attribute(head, "name", settings_.name);
    head += ">\n";
    head += progress_note;
    body_start_ = static_cast<off_t>(head.size());
    const std::string text = head + closing;
    fd_ = fd;
    if (!reserve(static_cast<off_t>(text.size())) || !write_all(fd, text, 0) ||
        ::rename(temp.c_str(), target_.c_str()) != 0) {
      error = error_text("write", path);
      ::close(fd);
      fd_ = -1;
      ::unlink(temp.c_str());
      return false;
    }
    end_ = static_cast<off_t>(text.size());
  }
  if (settings_.shared_with_tests) {
    struct stat st {};
    if (::fstat(fd_, &st) == 0) {
      dev_ = st.st_dev;
      ino_ = st.st_ino;
    }
  }
  for (auto& slot : open_reports) {
    junit_result* empty = nullptr;
    if (slot.compare_exchange_strong(empty, this)) break;
  }
  return true;
}

void junit_result::add_outcome(record& r, const test_event& e) {
  auto description = [&] {
    std::string d = r.test ? r.test->description() : r.name;
    return e.subtest.empty() ? d : d + " " + e.subtest;
  };
  auto with_subtest = [&](const std::string& text) {
    if (e.subtest.empty()) return text;
    return text.empty() ? e.subtest : e.subtest + ": " + text;
  };
  switch (e.result) {
    case outcome::success: return;
    case outcome::failure:
    case outcome::error: {
      problem p;
      p.error = e.result == outcome::error;
      p.subtest = !e.subtest.empty();
      p.type = e.type;
      p.message = with_subtest(e.message);
      p.header = (p.error ? "ERROR: " : "FAIL: ") + description();
      p.traceback = format_traceback(e);
      r.problems.push_back(std::move(p));
      // Captured output (-b) grows with each problem of a test: the last one holds all of it.
      if (!e.out.empty()) r.out = e.out;
      if (!e.err.empty()) r.err = e.err;
      return;
    }
    case outcome::skipped: r.skips.push_back(with_subtest(e.message)); return;
    case outcome::expected_failure: r.expected_failure = true; return;
    case outcome::unexpected_success: {
      problem p;
      p.type = "UnexpectedSuccess";
      p.message = "unexpected success";
      p.header = "UNEXPECTED SUCCESS: " + description();
      r.problems.push_back(std::move(p));
      return;
    }
  }
}

void junit_result::render(record& r, bool interrupted) const {
  std::vector<problem> problems = r.problems;
  if (interrupted) {
    problem p;
    p.error = true;
    p.type = "Interrupted";
    p.message = "the run stopped before this test finished";
    p.header = "ERROR: " + (r.test ? r.test->description() : r.name);
    problems.push_back(std::move(p));
  }
  std::string children;
  if (!problems.empty()) {
    // One element per test: consumers (Jenkins, GitLab) read only the first, so it carries every
    // failure of the test (subtests, tearDown, cleanups), each headed as unittest's error list heads it.
    // An <error> when any part errored: it then names the first error, else the first failure.
    const problem* first = &problems.front();
    for (const problem& p : problems) {
      if (p.error) {
        first = &p;
        break;
      }
    }
    const bool error = first->error;
    bool cut = false;
    std::string message = brief(first->message, cut);
    if (problems.size() > 1) message += " (and " + std::to_string(problems.size() - 1) + " more)";
    std::string text;
    if (problems.size() == 1 && !first->subtest) {
      text = first->traceback;
    } else {
      for (const problem& p : problems) {
        if (!text.empty()) text += "\n";
        text += p.header + "\n" + p.traceback;
      }
    }
    if (text.empty() && cut) text = first->message;  // the attribute holds only its start
    const char* tag = error ? "error" : "failure";
    children += "      <";
    children += tag;
    attribute(children, "type", first->type);
    attribute(children, "message", message);
    if (text.empty()) {
      children += "/>\n";
    } else {
      children += ">";
      text_to(children, text);
      children += "</";
      children += tag;
      children += ">\n";
    }
    r.status = error ? 'e' : 'f';
  } else if (r.expected_failure) {
    children += "      <skipped type=\"XFAIL\" message=\"expected failure\"/>\n";  // as pytest and xmlrunner
    r.status = 's';
  } else if (!r.skips.empty()) {
    bool cut = false;
    std::string message = brief(r.skips.front(), cut);
    if (r.skips.size() > 1) message += " (and " + std::to_string(r.skips.size() - 1) + " more)";
    children += "      <skipped";
    attribute(children, "message", message);
    if (cut) {
      // The whole reasons, which the attribute only begins.
      children += ">";
      for (std::size_t i = 0; i < r.skips.size(); ++i) {
        if (i > 0) children += "\n";
        text_to(children, r.skips[i]);
      }
      children += "</skipped>\n";
    } else {
      children += "/>\n";
    }
    r.status = 's';
  } else {
    r.status = 'p';
  }
  // Earlier failed attempts (--retries), as Maven Surefire writes them: flaky* when the test passed at last,
  // rerun* when its last attempt failed too.
  for (const attempt& a : r.reruns) {
    for (std::size_t i = 0; i < a.problems.size(); ++i) {
      const problem& p = a.problems[i];
      const bool flaky = problems.empty();
      const char* tag = flaky ? (p.error ? "flakyError" : "flakyFailure") : (p.error ? "rerunError" : "rerunFailure");
      bool cut = false;
      children += "      <";
      children += tag;
      attribute(children, "type", p.type);
      attribute(children, "message", brief(p.message, cut));
      children += ">";
      if (!p.traceback.empty()) {
        children += "<stackTrace>";
        text_to(children, p.subtest ? p.header + "\n" + p.traceback : p.traceback);
        children += "</stackTrace>";
      }
      // The attempt's captured output, once (its last problem holds all of it).
      for (const auto& [stream, data] : {std::pair<const char*, const std::string*>{"system-out", &a.out},
                                         std::pair<const char*, const std::string*>{"system-err", &a.err}}) {
        if (i + 1 != a.problems.size() || data->empty()) continue;
        children += "<";
        children += stream;
        children += ">";
        text_to(children, *data);
        children += "</";
        children += stream;
        children += ">";
      }
      children += "</";
      children += tag;
      children += ">\n";
    }
  }
  for (const auto& [tag, data] : {std::pair<const char*, const std::string*>{"system-out", &r.out},
                                  std::pair<const char*, const std::string*>{"system-err", &r.err}}) {
    if (data->empty()) continue;
    children += "      <";
    children += tag;
    children += ">";
    text_to(children, *data);
    children += "</";
    children += tag;
    children += ">\n";
  }
  std::string& x = r.xml;
  x = "    <testcase";
  attribute(x, "classname", r.classname);
  attribute(x, "name", r.name);
  attribute(x, "time", seconds_text(r.seconds));
  if (settings_.file_line && !r.file.empty()) {
    attribute(x, "file", r.file);
    if (r.line > 0) attribute(x, "line", std::to_string(r.line));
  }
  if (children.empty()) {
    x += "/>\n";
  } else {
    x += ">\n" + children + "    </testcase>\n";
  }
}

std::string junit_result::suite_head(const std::string& name, const std::string& timestamp, std::size_t tests,
                                     std::size_t failures, std::size_t errors, std::size_t skipped,
                                     double seconds, const std::string& tag_properties) const {
  std::string out = "  <testsuite";
  attribute(out, "name", name);
  attribute(out, "tests", std::to_string(tests));
  attribute(out, "failures", std::to_string(failures));
  attribute(out, "errors", std::to_string(errors));
  attribute(out, "skipped", std::to_string(skipped));
  attribute(out, "time", seconds_text(seconds));
  if (!timestamp.empty()) attribute(out, "timestamp", timestamp);
  if (!hostname_.empty()) attribute(out, "hostname", hostname_);
  out += ">\n";
  if (!settings_.properties.empty() || !tag_properties.empty()) {
    out += "    <properties>\n";
    for (const auto& [key, value] : settings_.properties) {
      out += "      <property";
      attribute(out, "name", key);
      attribute(out, "value", value);
      out += "/>\n";
    }
    out += tag_properties;
    out += "    </properties>\n";
  }
  return out;
}

// A test's tags as a property of its <testsuite> (`tags.test_x` = `db,slow`): the schema gives <testcase>
// no <properties>, and a report must validate.
std::string junit_result::tag_property(const record& r) {
  if (!r.test || r.test->kind != test_info::test || r.test->tags.empty()) return {};
  std::string tags;
  for (const std::string_view tag : r.test->tags) tags.append(tags.empty() ? "" : ",").append(tag);
  std::string out = "      <property";
  attribute(out, "name", "tags." + r.name);
  attribute(out, "value", tags);
  out += "/>\n";
  return out;
}

bool junit_result::starts_new_block(const record& r) const {
  return !have_block_ || block_.classname != r.classname || block_.body.size() >= block_limit;
}

off_t junit_result::next_block_offset() const {
  return have_block_ ? block_.offset + static_cast<off_t>(block_.written) : body_start_;
}

void junit_result::commit(record&& r) {
  render(r);
  if (starts_new_block(r)) {
    const off_t offset = next_block_offset();
    block_ = block{};
    block_.classname = r.classname;
    block_.timestamp = timestamp_text(r.started);
    block_.offset = offset;
    have_block_ = true;
  }
  block_.last = block_.body.size();
  block_.body += r.xml;
  block_.tag_properties += tag_property(r);
  ++block_.tests;
  block_.failures += r.status == 'f';
  block_.errors += r.status == 'e';
  block_.skipped += r.status == 's';
  block_.seconds += r.seconds;
  records_.push_back(std::move(r));
  write_current();
}

void junit_result::write_current() {
  snapshot_ready_.store(-1);  // the file is about to hold everything finished: nothing left for flush()
  if (through_ || !error_.empty()) return;
  const block& b = block_;
  const std::string head =
      suite_head(b.classname, b.timestamp, b.tests, b.failures, b.errors, b.skipped, b.seconds, b.tag_properties);
  if (!write_block(b.offset, head, b.body, nullptr)) return;
  block_.written = head.size() + b.body.size() + std::strlen(block_closing);
  tests_on_disk_ = records_.size();
}

// The running test as reported so far (a failure, an error, a skip): in the file before any reporter shows
// it (the results after this one show it), so that no screen holds a result the file does not.
void junit_result::write_running() {
  if (through_ || !error_.empty()) return;
  record copy = running_;
  render(copy);
  const std::size_t f = copy.status == 'f', e = copy.status == 'e', s = copy.status == 's';
  if (starts_new_block(copy)) {
    write_block(next_block_offset(),
                suite_head(copy.classname, timestamp_text(copy.started), 1, f, e, s, 0, tag_property(copy)), copy.xml,
                nullptr);
  } else {
    const block& b = block_;
    write_block(b.offset,
                suite_head(b.classname, b.timestamp, b.tests + 1, b.failures + f, b.errors + e, b.skipped + s, b.seconds,
                           b.tag_properties + tag_property(copy)),
                b.body, &copy.xml);
  }
}

// Writes a block (its opening tag, its records, one more record, the closing tags) at `offset`, in one
// write into space reserved before, so that the file holds either the last version or this one.
bool junit_result::write_block(off_t offset, const std::string& head, const std::string& body,
                               const std::string* more) {
  const std::size_t closing_size = std::strlen(block_and_file_closing);
  iovec iov[4] = {{const_cast<char*>(head.data()), head.size()},
                  {const_cast<char*>(body.data()), body.size()},
                  {more ? const_cast<char*>(more->data()) : nullptr, more ? more->size() : 0},
                  {const_cast<char*>(block_and_file_closing), closing_size}};
  const off_t end = offset + static_cast<off_t>(head.size() + body.size() + iov[2].iov_len + closing_size);
  if (!still_ours()) return true;  // the final report, written afresh, still holds everything
  if (!reserve(end) || !write_all(fd_, iov, 4, offset)) {
    failed("update");
    return false;
  }
  // Shorter than before only after a running test was written (by flush() or write_running()).
  if (end < end_ || flushed_) {
    (void)::ftruncate(fd_, end);
    reserved_ = end;  // truncating frees what lay beyond
  }
  flushed_ = 0;
  end_ = end;
  return true;
}

// Space for the file up to `end`, taken before writing: a write then cannot fail half-done for a full disk
// (the file system cannot give the space) or a file size limit (the write would stop at it).
bool junit_result::reserve(off_t end) noexcept {
  if (size_limit_ >= 0 && end > size_limit_) {
    errno = EFBIG;
    return false;
  }
  if (end <= reserved_ || !allocates_) return true;
  off_t goal = std::max(end, reserved_ + reserve_chunk);
  if (size_limit_ >= 0) goal = std::min(goal, size_limit_);
  struct statvfs fs {};
  if (::fstatvfs(fd_, &fs) == 0 && static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize > plenty) {
    reserved_ = goal;  // room enough: checked again a chunk later
    return true;
  }
  for (;;) {
    if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, reserved_, goal - reserved_) == 0) {
      reserved_ = goal;
      return true;
    }
    if (errno == EINTR) continue;
    if (errno == EOPNOTSUPP || errno == ENOSYS) {
      allocates_ = false;  // written without a reservation, as before
      return true;
    }
    if (goal == end) return false;
    goal = end;  // the chunk does not fit: just what this write needs
  }
}

// The first failed write: the error of the run; a failed update is said at once (the file stays as it was
// last written completely, and is no longer updated).
void junit_result::failed(const char* what) {
  if (!error_.empty()) return;
  error_ = error_text(what, settings_.path);
  if (!through_)
    error_ += "; the file keeps the " + std::to_string(tests_on_disk_) + " result" + (tests_on_disk_ == 1 ? "" : "s") +
              " written before" + (finished_ || std::strcmp(what, "update") == 0 ? "" : ", without totals");
  if (std::strcmp(what, "update") == 0) std::fprintf(stderr, "%s: error: %s\n", program_invocation_short_name, error_.c_str());
}

void junit_result::prepare_interrupted() {
  record copy = running_;
  render(copy, true);
  const int slot = snapshot_ready_.load() == 0 ? 1 : 0;
  snapshot& s = snapshot_[slot];
  if (starts_new_block(copy)) {
    s.offset = next_block_offset();
    s.head = suite_head(copy.classname, timestamp_text(copy.started), 1, 0, 1, 0, 0, tag_property(copy));
    s.with_body = false;
  } else {
    const block& b = block_;
    s.offset = b.offset;
    s.head = suite_head(b.classname, b.timestamp, b.tests + 1, b.failures, b.errors + 1, b.skipped, b.seconds,
                        b.tag_properties + tag_property(copy));
    s.with_body = true;
  }
  s.tail = copy.xml + block_and_file_closing;
  snapshot_ready_.store(slot);
}

void junit_result::on_event(const test_event& e) {
  if (fd_ < 0 || finished_) return;
  switch (e.kind) {
    case event_kind::start_run: return;
    case event_kind::stop_run:
      give_up_rerun();
      total_seconds_ = e.seconds;
      finish();
      return;
    case event_kind::start_test: {
      std::vector<attempt> earlier;
      if (rerun_test_ && rerun_test_ == e.test && attempts().test() == e.test && attempts().attempt() > 1) {
        earlier = std::move(rerun_.reruns);
        rerun_test_ = nullptr;
      }
      give_up_rerun();
      running_ = record{};
      running_.reruns = std::move(earlier);
      running_.test = e.test;
      running_.classname = e.test->module->name + "." + e.test->cls->name;
      running_.name = e.test->method;
      running_.file = e.test->file;
      running_.line = e.test->line;
      running_.started = std::time(nullptr);
      running_active_ = true;
      if (settings_.interruptible) prepare_interrupted();
      return;
    }
    case event_kind::stop_test:
      if (!running_active_ || running_.test != e.test) return;
      running_.seconds = e.seconds;
      running_.err += e.note;  // --leaks' report of a test that still passes
      running_active_ = false;
      if (attempts().rerun() == e.test) {
        // The test runs again: this attempt waits, to be written with the last one.
        running_.reruns.push_back(attempt{std::move(running_.problems), std::move(running_.out), std::move(running_.err)});
        rerun_ = std::move(running_);
        rerun_test_ = e.test;
        return;
      }
      commit(std::move(running_));
      return;
    case event_kind::outcome:
    case event_kind::subtest: break;
  }
  if (!e.test) return;
  if (running_active_ && e.test == running_.test) {
    add_outcome(running_, e);
    if (e.result != outcome::success) {
      write_running();
      if (settings_.interruptible) prepare_interrupted();  // the outcome belongs in what flush() writes too
    }
    return;
  }
  // A fixture (setUpClass, tearDownModule, their cleanups): unittest reports it as a test of its own,
  // `setUpClass (module.Class)`. Several errors of one fixture (tearDownClass, then a class cleanup) make one testcase.
  if (!records_.empty() && records_.back().test == e.test && e.test->kind != test_info::test) {
    record& last = records_.back();  // the last record of the current block
    add_outcome(last, e);
    const char before = last.status;
    render(last);
    const auto recount = [&](std::size_t& count, char status) {  // the record's status may have changed
      count += static_cast<std::size_t>(last.status == status);
      count -= static_cast<std::size_t>(before == status);
    };
    recount(block_.failures, 'f');
    recount(block_.errors, 'e');
    recount(block_.skipped, 's');
    block_.body.resize(block_.last);
    block_.body += last.xml;
    write_current();
    return;
  }
  record r;
  r.test = e.test;
  r.classname = e.test->id;  // `module.Class` for class fixtures, `module` for module fixtures
  r.name = e.test->method;
  r.file = e.test->file;
  r.line = e.test->line;
  r.started = std::time(nullptr);
  add_outcome(r, e);
  commit(std::move(r));
}

// A rerun that never came (the run stopped, its setUpClass failed): the last failed attempt is the result.
void junit_result::give_up_rerun() {
  if (!rerun_test_) return;
  rerun_test_ = nullptr;
  record r = std::move(rerun_);
  attempt last = std::move(r.reruns.back());
  r.reruns.pop_back();
  r.problems = std::move(last.problems);
  r.out = std::move(last.out);
  r.err = std::move(last.err);
  commit(std::move(r));
}

void junit_result::flush() noexcept {
  const int slot = snapshot_ready_.load();
  if (fd_ < 0 || slot < 0 || through_ || !error_.empty() || !still_ours()) return;
  const snapshot& s = snapshot_[slot];
  const std::string& body = s.with_body ? block_.body : s.tail;
  const std::size_t body_size = s.with_body ? body.size() : 0;
  iovec iov[3] = {{const_cast<char*>(s.head.data()), s.head.size()},
                  {const_cast<char*>(body.data()), body_size},
                  {const_cast<char*>(s.tail.data()), s.tail.size()}};
  const off_t end = s.offset + static_cast<off_t>(s.head.size() + body_size + s.tail.size());
  if (reserve(end) && write_all(fd_, iov, 3, s.offset)) {
    (void)::ftruncate(fd_, end);
    reserved_ = end;
  }
  flushed_ = 1;
}

void junit_result::flush_all() noexcept {
  for (auto& slot : open_reports)
    if (junit_result* r = slot.load()) r->flush();
}

bool junit_result::finish() {
  if (fd_ < 0 || finished_) return fd_ >= 0;
  // One <testsuite> per class, in the order classes first reported.
  std::vector<std::pair<std::string, std::vector<const record*>>> groups;
  std::map<std::string, std::size_t> group_of;
  std::size_t failures = 0, errors = 0;
  double seconds = 0;
  for (const record& r : records_) {
    auto [it, added] = group_of.emplace(r.classname, groups.size());
    if (added) groups.emplace_back(r.classname, std::vector<const record*>{});
    groups[it->second].second.push_back(&r);
    failures += r.status == 'f';
    errors += r.status == 'e';
    seconds += r.seconds;
  }
  std::string text = xml_declaration;
  text += "<testsuites";
  attribute(text, "name", settings_.name);
  attribute(text, "tests", std::to_string(records_.size()));
  attribute(text, "failures", std::to_string(failures));
  attribute(text, "errors", std::to_string(errors));
  attribute(text, "time", seconds_text(total_seconds_ >= 0 ? total_seconds_ : seconds));
  text += ">\n";
  for (const auto& [name, members] : groups) {
    std::size_t suite_failures = 0, suite_errors = 0, suite_skipped = 0;
    double suite_seconds = 0;
    std::string tag_properties;
    for (const record* r : members) {
      tag_properties += tag_property(*r);
      suite_failures += r->status == 'f';
      suite_errors += r->status == 'e';
      suite_skipped += r->status == 's';
      suite_seconds += r->seconds;
    }
    text += suite_head(name, timestamp_text(members.front()->started), members.size(), suite_failures, suite_errors,
                       suite_skipped, suite_seconds, tag_properties);
    for (const record* r : members) text += r->xml;
    text += block_closing;
  }
  text += closing;

  if (through_) {
    if (!still_ours()) {
      // A test closed the descriptor: the device or FIFO is opened again (its path was resolved at start).
      fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
      lost_ = fd_ < 0;
    }
    const bool ok = !lost_ && write_sequentially(fd_, text);
    if (!ok) failed("write");
    finished_ = true;
    snapshot_ready_.store(-1);
    return ok;
  }
  std::string temp;
  int fd = -1;
  bool ok = true;
  if (size_limit_ >= 0 && static_cast<off_t>(text.size()) > size_limit_) {
    errno = EFBIG;  // a write would stop at the limit
    ok = false;
  } else {
    // (No reservation: a temp file cut short is removed, and the in-progress file was never touched.)
    fd = make_temp(target_, temp);
    ok = fd >= 0 && write_all(fd, text, 0);
    if (fd >= 0 && ::close(fd) != 0) ok = false;
    if (ok && ::rename(temp.c_str(), target_.c_str()) != 0) ok = false;
  }
  if (!ok) {
    // The in-progress file stays: valid, with every test written so far, only without the totals.
    const int saved = errno;
    if (fd >= 0) ::unlink(temp.c_str());
    errno = saved;
    failed("write");
    return false;
  }
  finished_ = true;
  snapshot_ready_.store(-1);
  return true;
}

}  // namespace assay
