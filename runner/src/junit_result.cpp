// JUnit XML: escaping, the report kept valid in place during the run, and the final atomic rewrite.
#include <assay/junit_result.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>

namespace assay {

namespace {

// The block of the current <testsuite> is rewritten with every test; past this size it is closed and
// the next test opens a new block, so a test costs one write of at most a few KiB however long the run.
constexpr std::size_t chunk_limit = 4096;

const char* const xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const char* const progress_note = "  <!-- in progress: the run had not finished when this file was last written -->\n";
const char* const closing = "</testsuites>\n";

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
        if (c < 0x20 || c >= 0x80) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

void attribute(std::string& out, const char* name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  escape_to(out, value, true);
  out += '"';
}

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds < 0 ? 0.0 : seconds);
  return buf;
}

// Ant's timestamp: local time, no zone.
std::string timestamp_text(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

bool write_all(int fd, const std::string& data, off_t offset) noexcept {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::pwrite(fd, p, left, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
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

bool junit_result::open(std::string& error) {
  const std::string& path = settings_.path;
  make_directories(parent_of(path));
  std::string temp;
  const int fd = make_temp(path, temp);
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
  if (!write_all(fd, text, 0) || ::rename(temp.c_str(), path.c_str()) != 0) {
    error = error_text("write", path);
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  }
  fd_ = fd;
  end_ = static_cast<off_t>(text.size());
  for (auto& slot : open_reports) {
    junit_result* empty = nullptr;
    if (slot.compare_exchange_strong(empty, this)) break;
  }
  return true;
}

void junit_result::add_outcome(record& r, const test_event& e) {
  std::string description = r.test ? r.test->description() : r.name;
  if (!e.subtest.empty()) description += " " + e.subtest;
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
      p.header = (p.error ? "ERROR: " : "FAIL: ") + description;
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
      p.header = "UNEXPECTED SUCCESS: " + description;
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
    std::string message = first->message;
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
    const char* tag = error ? "error" : "failure";
    children += "      <";
    children += tag;
    attribute(children, "type", first->type);
    attribute(children, "message", message);
    if (text.empty()) {
      children += "/>\n";
    } else {
      children += ">";
      escape_to(children, text, false);
      children += "</";
      children += tag;
      children += ">\n";
    }
    r.status = error ? 'e' : 'f';
  } else if (r.expected_failure) {
    children += "      <skipped type=\"XFAIL\" message=\"expected failure\"/>\n";  // as pytest and xmlrunner
    r.status = 's';
  } else if (!r.skips.empty()) {
    std::string message = r.skips.front();
    if (r.skips.size() > 1) message += " (and " + std::to_string(r.skips.size() - 1) + " more)";
    children += "      <skipped";
    attribute(children, "message", message);
    children += "/>\n";
    r.status = 's';
  } else {
    r.status = 'p';
  }
  for (const auto& [tag, data] : {std::pair<const char*, const std::string*>{"system-out", &r.out},
                                  std::pair<const char*, const std::string*>{"system-err", &r.err}}) {
    if (data->empty()) continue;
    children += "      <";
    children += tag;
    children += ">";
    escape_to(children, *data, false);
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

std::string junit_result::suite_block(const std::string& name, const record* const* records, std::size_t count,
                                      const std::string& indent) const {
  std::size_t failures = 0, errors = 0, skipped = 0;
  double seconds = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const record& r = *records[i];
    failures += r.status == 'f';
    errors += r.status == 'e';
    skipped += r.status == 's';
    seconds += r.seconds;
  }
  std::string out = indent + "<testsuite";
  attribute(out, "name", name);
  attribute(out, "tests", std::to_string(count));
  attribute(out, "failures", std::to_string(failures));
  attribute(out, "errors", std::to_string(errors));
  attribute(out, "skipped", std::to_string(skipped));
  attribute(out, "time", seconds_text(seconds));
  if (count) attribute(out, "timestamp", timestamp_text(records[0]->started));
  if (!hostname_.empty()) attribute(out, "hostname", hostname_);
  out += ">\n";
  if (!settings_.properties.empty()) {
    out += indent + "  <properties>\n";
    for (const auto& [key, value] : settings_.properties) {
      out += indent + "    <property";
      attribute(out, "name", key);
      attribute(out, "value", value);
      out += "/>\n";
    }
    out += indent + "  </properties>\n";
  }
  for (std::size_t i = 0; i < count; ++i) out += records[i]->xml;
  out += indent + "</testsuite>\n";
  return out;
}

bool junit_result::starts_new_chunk(const record& r) const {
  if (chunks_.empty()) return true;
  const chunk& c = chunks_.back();
  return records_[c.first].classname != r.classname || c.bytes >= chunk_limit;
}

void junit_result::commit(record&& r) {
  render(r);
  if (starts_new_chunk(r)) {
    chunk c;
    c.first = records_.size();
    c.offset = chunks_.empty() ? body_start_ : chunks_.back().offset + static_cast<off_t>(chunks_.back().written);
    chunks_.push_back(c);
  }
  chunk& c = chunks_.back();
  ++c.count;
  c.bytes += r.xml.size();
  records_.push_back(std::move(r));
  write_current();
}

void junit_result::write_current() {
  chunk& c = chunks_.back();
  std::vector<const record*> members;
  members.reserve(c.count);
  for (std::size_t i = 0; i < c.count; ++i) members.push_back(&records_[c.first + i]);
  const std::string block = suite_block(records_[c.first].classname, members.data(), members.size(), "  ");
  const std::string text = block + closing;
  snapshot_ready_.store(-1);  // the file is about to hold everything finished: nothing left for flush()
  if (!write_all(fd_, text, c.offset)) return;
  const off_t end = c.offset + static_cast<off_t>(text.size());
  // Shorter than before only after a flush() wrote a running test that has now finished.
  if (end < end_ || flushed_) (void)::ftruncate(fd_, end);
  flushed_ = 0;
  end_ = end;
  c.written = block.size();
}

void junit_result::prepare_interrupted() {
  record copy = running_;
  render(copy, true);
  std::vector<const record*> members;
  off_t offset = body_start_;
  if (starts_new_chunk(copy)) {
    if (!chunks_.empty()) offset = chunks_.back().offset + static_cast<off_t>(chunks_.back().written);
  } else {
    const chunk& c = chunks_.back();
    offset = c.offset;
    for (std::size_t i = 0; i < c.count; ++i) members.push_back(&records_[c.first + i]);
  }
  members.push_back(&copy);
  const int slot = snapshot_ready_.load() == 0 ? 1 : 0;
  snapshot_[slot] = suite_block(copy.classname, members.data(), members.size(), "  ") + closing;
  snapshot_offset_[slot] = offset;
  snapshot_ready_.store(slot);
}

void junit_result::on_event(const test_event& e) {
  if (fd_ < 0 || finished_) return;
  switch (e.kind) {
    case event_kind::start_run: return;
    case event_kind::stop_run:
      total_seconds_ = e.seconds;
      finish();
      return;
    case event_kind::start_test:
      running_ = record{};
      running_.test = e.test;
      running_.classname = e.test->module->name + "." + e.test->cls->name;
      running_.name = e.test->method;
      running_.file = e.test->file;
      running_.line = e.test->line;
      running_.started = std::time(nullptr);
      running_active_ = true;
      prepare_interrupted();
      return;
    case event_kind::stop_test:
      if (!running_active_ || running_.test != e.test) return;
      running_.seconds = e.seconds;
      running_active_ = false;
      commit(std::move(running_));
      return;
    case event_kind::outcome:
    case event_kind::subtest: break;
  }
  if (!e.test) return;
  if (running_active_ && e.test == running_.test) {
    add_outcome(running_, e);
    return;
  }
  // A fixture (setUpClass, tearDownModule, their cleanups): unittest reports it as a test of its own,
  // `setUpClass (module.Class)`. Several errors of one fixture (tearDownClass, then a class cleanup) make one testcase.
  if (!records_.empty() && records_.back().test == e.test && e.test->kind != test_info::test) {
    record& last = records_.back();
    chunk& c = chunks_.back();
    c.bytes -= last.xml.size();
    add_outcome(last, e);
    render(last);
    c.bytes += last.xml.size();
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

void junit_result::flush() noexcept {
  const int slot = snapshot_ready_.load();
  if (fd_ < 0 || slot < 0) return;
  const std::string& text = snapshot_[slot];
  if (write_all(fd_, text, snapshot_offset_[slot]))
    (void)::ftruncate(fd_, snapshot_offset_[slot] + static_cast<off_t>(text.size()));
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
  for (const auto& [name, members] : groups) text += suite_block(name, members.data(), members.size(), "  ");
  text += closing;

  const std::string& path = settings_.path;
  std::string temp;
  const int fd = make_temp(path, temp);
  bool ok = fd >= 0 && write_all(fd, text, 0);
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (ok && ::rename(temp.c_str(), path.c_str()) != 0) ok = false;
  if (!ok) {
    // The in-progress file stays: valid, with every test, only without the totals.
    std::fprintf(stderr, "warning: %s\n", error_text("write", path).c_str());
    if (fd >= 0) ::unlink(temp.c_str());
    return false;
  }
  finished_ = true;
  snapshot_ready_.store(-1);
  return true;
}

}  // namespace assay
