// The last-run cache file: read before a run (--lf, --ff, known durations), merged and replaced after it.
#include <assay/last_run.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <assay/program.hpp>
#include <assay/retry.hpp>

namespace assay {

namespace {

const char* const header_line = "assay-cache 1";
// A cache is a few bytes per test: anything larger is not one, and is not read into memory.
constexpr off_t size_limit = 64 * 1024 * 1024;

// The id of a test's class (`module.Class`): its prefix without the dot.
std::string_view class_id_view(const test_info& t) {
  const std::string_view prefix = t.cls->id_prefix;
  return prefix.empty() ? prefix : prefix.substr(0, prefix.size() - 1);
}
std::string class_id(const test_info& t) { return std::string(class_id_view(t)); }

// What tells one version of the file from another: replaced (a new inode) or rewritten (size, time).
std::string identity_of(const struct stat& st) {
  char text[128];
  std::snprintf(text, sizeof text, "%llu %llu %lld %lld.%09ld", static_cast<unsigned long long>(st.st_dev),
                static_cast<unsigned long long>(st.st_ino), static_cast<long long>(st.st_size),
                static_cast<long long>(st.st_mtim.tv_sec), st.st_mtim.tv_nsec);
  return text;
}

bool read_file(const std::string& path, std::string& text, std::string& why, std::string* identity = nullptr) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) why = std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > size_limit) {
    why = "not a cache file";
    ::close(fd);
    return false;
  }
  if (identity) *identity = identity_of(st);
  text.resize(static_cast<std::size_t>(st.st_size) + 1);  // one more: a file that grew is read to its end
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) text.resize(text.size() * 2);
    const ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::strerror(errno);
      ::close(fd);
      text.clear();
      return false;
    }
    used += static_cast<std::size_t>(n);
  }
  text.resize(used);
  ::close(fd);
  return true;
}

bool write_all(int fd, const std::string& text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Seconds as the cache writes them (`%.6f`): whole microseconds, converted without the general decimal
// reader, which costs ten times more (every run reads and writes a line per test). Exact: both integers are
// below 2^53, and one correctly rounded division gives what a decimal reader gives.
const char* parse_seconds(const char* first, const char* last, double& seconds) {
  unsigned long long whole = 0, micros = 0;
  const char* p = first;
  while (p != last && *p >= '0' && *p <= '9' && p - first < 12) whole = whole * 10 + static_cast<unsigned>(*p++ - '0');
  if (p != first && p != last && *p == '.') {
    const char* const fraction = ++p;
    while (p != last && *p >= '0' && *p <= '9' && p - fraction < 6) micros = micros * 10 + static_cast<unsigned>(*p++ - '0');
    if (p - fraction == 6 && (p == last || *p < '0' || *p > '9')) {
      seconds = static_cast<double>(whole * 1000000 + micros) / 1e6;
      return p;
    }
  }
  const auto [stop, ec] = std::from_chars(first, last, seconds, std::chars_format::fixed);  // written by hand
  return ec == std::errc() ? stop : nullptr;
}

// `%.6f` of a duration (non-negative, below 10^12 s).
char* format_seconds(char* out, double seconds) {
  const auto micros = static_cast<unsigned long long>(seconds * 1e6 + 0.5);
  char digits[24];
  int n = 0;
  for (unsigned long long v = micros; n < 7 || v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
  while (n > 6) *out++ = digits[--n];
  *out++ = '.';
  while (n > 0) *out++ = digits[--n];
  return out;
}

// Parses the cache's text into views of it; false (and the line that is wrong) when it is not a cache of
// this version. (No copies: a cache of ten thousand tests is read in a fraction of a millisecond.)
bool parse(std::string_view text, std::vector<std::string_view>& failed,
           std::vector<std::pair<std::string_view, double>>& times, std::size_t& bad_line) {
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) {
      bad_line = line_no + 1;  // every line ends: a file without its last newline was cut short
      return false;
    }
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != header_line) return bad_line = 1, false;
      continue;
    }
    if (line.starts_with("failed ") && line.size() > 7) {
      failed.push_back(line.substr(7));
    } else if (line.starts_with("time ")) {
      double seconds = -1;
      const char* const first = line.data() + 5;
      const char* const last = line.data() + line.size();
      const char* const stop = parse_seconds(first, last, seconds);
      if (!stop || stop == last || *stop != ' ' || stop + 1 == last || !(seconds >= 0 && seconds < 1e12))
        return bad_line = line_no, false;
      times.emplace_back(line.substr(static_cast<std::size_t>(stop + 1 - line.data())), seconds);
    } else if (line.empty() || line[0] != '#') {
      return bad_line = line_no, false;  // (a later version adds lines only behind a new header)
    }
  }
  if (line_no == 0) return bad_line = 1, false;
  return true;
}

// A relative path made absolute now: a test may change directory before the cache is written.
std::string absolute(std::string path) {
  if (path.empty() || path[0] == '/') return path;
  char cwd[4096];
  return ::getcwd(cwd, sizeof cwd) ? std::string(cwd) + "/" + path : path;
}

}  // namespace

std::string last_run_cache::path_for(const options& opt) {
  if (opt.no_cache) return {};
  if (!opt.cache_path.empty()) return absolute(opt.cache_path);
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return {};
  exe[n] = '\0';
  const char* dir = std::getenv("ASSAY_CACHE_DIR");
  // Under `bazel test` the binary's directory is read-only and nothing outlives the sandboxed run: no
  // cache unless one is named.
  if ((!dir || !*dir) && (std::getenv("BAZEL_TEST") || std::getenv("TEST_SRCDIR"))) return {};
  if (dir && *dir) {
    const char* slash = std::strrchr(exe, '/');
    return absolute(std::string(dir) + "/" + (slash ? slash + 1 : exe) + ".assay-cache");
  }
  return std::string(exe) + ".assay-cache";
}

void last_run_cache::defer_load(const std::string& path) {
  path_ = path;
  loaded_ = false;
  deferred_warning_.clear();
}

void last_run_cache::load_deferred() {
  if (loaded_ || path_.empty()) return;
  const std::string path = path_;
  load(path, deferred_warning_);
}

void last_run_cache::load(const std::string& path, std::string& warning) {
  path_ = path;
  loaded_ = true;
  matches_binary_ = false;
  changed_ = 0;
  failed_.clear();
  identity_.clear();
  text_.clear();
  times_.clear();
  durations_.clear();
  durations_built_ = false;
  by_index_.clear();
  by_index_built_ = false;
  std::string why;
  if (!read_file(path, text_, why, &identity_)) {
    if (!why.empty()) warning = "ignoring the cache " + path + ": " + why;
    return;
  }
  std::vector<std::string_view> failed;
  std::size_t bad_line = 0;
  if (!parse(text_, failed, times_, bad_line)) {
    identity_.clear();
    text_.clear();
    times_.clear();
    warning = "ignoring the cache " + path + ": not an assay cache (line " + std::to_string(bad_line) +
              "); this run replaces it";
    return;
  }
  failed_.assign(failed.begin(), failed.end());
  // Whether the file is exactly this binary's tests, as save() would write them for an unchanged run: the
  // walk that tells it gives the durations by index too.
  if (!failed_.empty()) return;
  const std::vector<test_info*>& tests = all_tests();
  by_index_.assign(tests.size(), -1);
  std::size_t walk = 0;
  bool matches = true;
  for (const test_info* t : tests) {
    if (t->kind != test_info::test || t->id.find('\n') != std::string::npos) continue;
    if (walk >= times_.size() || times_[walk].first != t->id) {
      matches = false;
      break;
    }
    by_index_[t->index] = times_[walk++].second;
  }
  matches_binary_ = matches && walk == times_.size();
  by_index_built_ = matches_binary_;
  if (!matches_binary_) by_index_.clear();
}

const std::unordered_map<std::string_view, double>& last_run_cache::durations() const {
  if (!durations_built_) {
    durations_built_ = true;
    durations_.reserve(times_.size());
    for (const auto& [id, seconds] : times_) durations_[id] = seconds;
  }
  return durations_;
}

const std::vector<double>& last_run_cache::seconds_by_index() const {
  if (by_index_built_ || times_.empty()) return by_index_;
  by_index_built_ = true;
  const std::vector<test_info*>& tests = all_tests();
  by_index_.assign(tests.size(), -1);
  std::size_t walk = 0;
  for (const test_info* t : tests) {
    if (walk < times_.size() && times_[walk].first == t->id) {
      by_index_[t->index] = times_[walk++].second;
    } else if (const auto it = durations().find(t->id); it != durations().end()) {
      by_index_[t->index] = it->second;  // the binary changed since the file was written
    }
  }
  return by_index_;
}

namespace {
// A duration that moved by less than a millisecond or a tenth orders the tests no differently: the file
// need not change for it.
bool about_the_same(double now_seconds, double before) {
  return std::abs(now_seconds - before) < 0.001 || std::abs(now_seconds - before) < 0.1 * before;
}
}  // namespace

void last_run_cache::record(const test_info& t, bool failed, double seconds) {
  if (!tests_) tests_ = &all_tests();
  const std::vector<test_info*>& tests = *tests_;
  if (t.index >= tests.size() || tests[t.index] != &t) {
    uncollected_[&t] = outcome_now{true, failed, seconds};
    return;
  }
  if (now_.size() <= t.index) now_.resize(tests.size());
  outcome_now& o = now_[t.index];
  if (!loaded_) {
    recorded_unloaded_ = true;
  } else if (matches_binary_) {
    // What save() would find different for this test, by its latest result (--repeat records it again).
    const auto differs = [&](const outcome_now& r) {
      return r.ran && (r.failed || (r.seconds >= 0 && !about_the_same(std::min(r.seconds, 1e12), by_index_[t.index])));
    };
    const outcome_now latest{true, failed, seconds};
    changed_ = changed_ + (differs(latest) ? 1 : 0) - (differs(o) ? 1 : 0);
  }
  o = outcome_now{true, failed, seconds};
}

void last_run_cache::on_event(const test_event& e) {
  if (!e.test) return;
  const test_info& t = *e.test;
  switch (e.kind) {
    case event_kind::start_test:
      test_failed_ = false;
      started(t);
      return;
    case event_kind::outcome:
    case event_kind::subtest:
      if (!is_problem(e.result)) return;
      if (t.kind == test_info::test) {
        test_failed_ = true;
      } else {
        fixtures_failed_.insert(&t);  // `module.Class` or `module`: --lf runs the fixture's tests again
      }
      return;
    case event_kind::stop_test:
      // An attempt to be rerun is not the test's result: its last attempt is.
      if (t.kind != test_info::test || attempts().rerun() == &t) return;
      record(t, test_failed_, e.seconds);
      return;
    case event_kind::start_run:
    case event_kind::stop_run: return;
  }
}

// A test started: its setUpModule and setUpClass did not fail.
void last_run_cache::started(const test_info& t) {
  if (t.cls == last_class_) return;
  last_class_ = t.cls;
  passed_fixtures_.insert(t.module);
  passed_fixtures_.insert(t.cls);
}

void last_run_cache::on_passed(const test_info& t, double seconds) {
  started(t);
  if (attempts().rerun() != &t) record(t, false, seconds);
}

bool last_run_cache::save(std::string& warning) {
  if (path_.empty()) return true;
  // A run in which no test started (nothing selected, a fixture-less stop) has nothing to add: the file,
  // whatever it holds, is neither read nor written.
  if (now_.empty() && uncollected_.empty() && fixtures_failed_.empty() && passed_fixtures_.empty()) return true;
  load_deferred();
  const std::vector<test_info*>& collected = all_tests();
  std::vector<const test_info*> tests(collected.begin(), collected.end());
  for (const auto& [t, o] : uncollected_) tests.push_back(t);
  // Merged with what the file holds now (another run may have replaced it since this one read it).
  std::string file;
  std::vector<std::string_view> failed;
  std::vector<std::pair<std::string_view, double>> times;
  bool have_file = true;  // a cache file is there (to merge with, and perhaps to leave as it is)
  struct stat st {};
  if (!identity_.empty() && ::stat(path_.c_str(), &st) == 0 && identity_of(st) == identity_) {
    // Unchanged since this run read it, and this run changes nothing in it: no line need be compared.
    if (matches_binary_ && !recorded_unloaded_ && changed_ == 0 && uncollected_.empty() && fixtures_failed_.empty())
      return true;
    failed.assign(failed_.begin(), failed_.end());
    times = times_;
  } else {
    std::string why;
    std::size_t bad_line = 0;
    if (!read_file(path_, file, why) || !parse(file, failed, times, bad_line)) {
      have_file = false;
      failed.clear();
      times.clear();
    }
  }
  const auto now = [&](const test_info& t) -> const outcome_now* {
    if (t.index < now_.size() && collected[t.index] == &t) return now_[t.index].ran ? &now_[t.index] : nullptr;
    const auto it = uncollected_.find(&t);
    return it != uncollected_.end() ? &it->second : nullptr;
  };
  // Failures: the file's that still fail (or did not run), in its order, then this run's new ones, sorted.
  std::vector<std::string_view> still_failed;
  std::unordered_set<std::string_view> listed;
  if (!failed.empty()) {
    // Ids of this binary, with what this run says of each: a test's outcome, or whether a fixture's tests
    // ran (1) or it failed (2). Only ids of this binary are kept: renamed and removed tests leave the cache.
    std::unordered_map<std::string_view, const test_info*> test_ids;
    std::unordered_map<std::string_view, int> fixture_ids;
    for (const test_info* t : tests) {
      test_ids.emplace(t->id, t);
      fixture_ids.emplace(class_id_view(*t), passed_fixtures_.count(t->cls) ? 1 : 0);
      fixture_ids.emplace(t->module->name, passed_fixtures_.count(t->module) ? 1 : 0);
    }
    for (const test_info* f : fixtures_failed_) fixture_ids[f->id] = 2;
    for (std::string_view id : failed) {
      bool fails = false;
      if (const auto t = test_ids.find(id); t != test_ids.end()) {
        const outcome_now* o = now(*t->second);
        fails = o ? o->failed : true;
      } else if (const auto fx = fixture_ids.find(id); fx != fixture_ids.end()) {
        fails = fx->second != 1;
      }
      if (fails && listed.insert(id).second) still_failed.push_back(id);
    }
  }
  std::vector<std::string_view> added;
  for (const test_info* t : tests)
    if (const outcome_now* o = now(*t); o && o->failed && !listed.count(t->id)) added.push_back(t->id);
  for (const test_info* f : fixtures_failed_)
    if (!listed.count(f->id)) added.push_back(f->id);
  std::sort(added.begin(), added.end());
  added.erase(std::unique(added.begin(), added.end()), added.end());
  for (std::string_view id : added)
    if (id.find('\n') == std::string_view::npos) still_failed.push_back(id);

  // Durations in the binary's order: this run's, else the file's. The file was written in that order, so
  // its entries are matched walking alongside; a hash of them is built only when the two part.
  std::vector<std::pair<std::string_view, double>> lines;
  lines.reserve(tests.size());
  std::unordered_map<std::string_view, double> by_id;
  std::size_t walk = 0;
  for (const test_info* t : tests) {
    if (t->kind != test_info::test || t->id.find('\n') != std::string::npos) continue;
    double seconds = -1;
    if (const outcome_now* o = now(*t); o && o->seconds >= 0) {
      seconds = std::min(o->seconds, 1e12);
    } else if (walk < times.size() && times[walk].first == t->id) {
      seconds = times[walk].second;
    } else if (!times.empty()) {
      if (by_id.empty())
        for (const auto& [id, s] : times) by_id.emplace(id, s);
      if (const auto it = by_id.find(t->id); it != by_id.end()) seconds = it->second;
    }
    if (walk < times.size() && times[walk].first == t->id) ++walk;
    if (seconds >= 0) lines.emplace_back(t->id, seconds);
  }
  // A file that says the same is left alone: the same failures, and durations that moved by less than a
  // millisecond or a tenth, which orders the tests no differently. (Ten thousand lines are not rewritten
  // for a run of ten thousand empty tests, and a read-only copy of an unchanged cache is no warning.)
  if (have_file && failed == still_failed && times.size() == lines.size()) {
    bool same = true;
    for (std::size_t i = 0; same && i < lines.size(); ++i)
      same = times[i].first == lines[i].first && about_the_same(lines[i].second, times[i].second);
    if (same) return true;
  }
  std::string text = std::string(header_line) + "\n# written by each run of the test binary; safe to delete\n";
  for (std::string_view id : still_failed) text.append("failed ").append(id).append("\n");
  text.reserve(text.size() + lines.size() * 48);
  char number[64];
  for (const auto& [id, seconds] : lines) {
    const char* const end_of_number = format_seconds(number, seconds);
    text.append("time ", 5).append(number, static_cast<std::size_t>(end_of_number - number)).append(" ", 1);
    text.append(id).append("\n", 1);
  }
  // A temporary file beside the cache, then rename: readers see the old file or the new one, never a part.
  const std::string temp = path_ + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    warning = "cannot write the cache " + path_ + ": " + std::strerror(errno);
    return false;
  }
  // Past a file size limit (ulimit -f) a write raises SIGXFSZ, whose default ends the run: here it fails.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGXFSZ, &ignore, &previous);
  const bool written = write_all(fd, text);
  const int saved_errno = errno;
  ::sigaction(SIGXFSZ, &previous, nullptr);
  if (::close(fd) != 0 || !written || ::rename(temp.c_str(), path_.c_str()) != 0) {
    warning = "cannot write the cache " + path_ + ": " + std::strerror(written ? errno : saved_errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

last_run_cache& last_run() {
  static last_run_cache cache;
  return cache;
}

const std::vector<double>& known_durations() { return last_run().seconds_by_index(); }

void apply_last_failed(std::vector<const test_info*>& selected, const options& opt, const last_run_cache& cache,
                       std::vector<std::string>& notes) {
  if (!opt.last_failed && !opt.failed_first) return;
  std::unordered_set<std::string> known;
  for (const test_info* t : all_tests()) {
    known.insert(t->id);
    known.insert(class_id(*t));
    known.insert(t->module->name);
  }
  std::unordered_set<std::string> failed;
  std::string stale;
  std::size_t stale_count = 0;
  for (const std::string& id : cache.failed()) {
    if (known.count(id)) {
      failed.insert(id);
    } else {
      stale += (stale_count++ ? ", " : "") + id;
    }
  }
  if (stale_count > 0)
    notes.push_back("run-last-failure: " + std::to_string(stale_count) + " previous failure" +
                    (stale_count == 1 ? " names no test any more" : "s name no test any more") + ", ignored: " +
                    stale);
  const auto failed_before = [&](const test_info* t) {
    return failed.count(t->id) || failed.count(class_id(*t)) || failed.count(t->module->name);
  };
  const std::size_t count = static_cast<std::size_t>(std::count_if(selected.begin(), selected.end(), failed_before));
  if (failed.empty()) {
    notes.emplace_back("run-last-failure: no previously failed tests, not deselecting items.");
  } else if (count == 0) {
    notes.push_back("run-last-failure: " + std::to_string(failed.size()) + " known failure" +
                    (failed.size() == 1 ? "" : "s") + " not in selected tests");
  } else {
    if (opt.last_failed) {
      selected.erase(std::remove_if(selected.begin(), selected.end(), [&](const test_info* t) { return !failed_before(t); }),
                     selected.end());
    } else {
      std::stable_partition(selected.begin(), selected.end(), failed_before);
    }
    notes.push_back("run-last-failure: rerun previous " + std::to_string(count) + " failure" +
                    (count == 1 ? "" : "s") + (opt.last_failed ? "" : " first"));
  }
}

}  // namespace assay
