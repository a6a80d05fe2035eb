// The last-run cache file: read before a run (--lf, --ff, known durations), merged and replaced after it.
#include <assay/last_run.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include <assay/program.hpp>
#include <assay/retry.hpp>

namespace assay {

namespace {

const char* const header_line = "assay-cache 1";
// A cache is a few bytes per test: anything larger is not one, and is not read into memory.
constexpr off_t size_limit = 64 * 1024 * 1024;

// The id of a test's class (`module.Class`): its prefix without the dot.
std::string class_id(const test_info& t) {
  const std::string& prefix = t.cls->id_prefix;
  return prefix.empty() ? std::string() : prefix.substr(0, prefix.size() - 1);
}

bool read_file(const std::string& path, std::string& text, std::string& why) {
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
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      why = std::strerror(errno);
      ::close(fd);
      return false;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
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

// Parses the cache's text; false (and the line that is wrong) when it is not a cache of this version.
bool parse(const std::string& text, std::vector<std::string>& failed, std::unordered_map<std::string, double>& times,
           std::size_t& bad_line) {
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) {
      bad_line = line_no + 1;  // every line ends: a file without its last newline was cut short
      return false;
    }
    const std::string line = text.substr(at, end - at);
    at = end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != header_line) return bad_line = 1, false;
      continue;
    }
    if (line.compare(0, 7, "failed ") == 0 && line.size() > 7) {
      failed.push_back(line.substr(7));
    } else if (line.compare(0, 5, "time ") == 0) {
      const char* start = line.c_str() + 5;
      char* stop = nullptr;
      const double seconds = std::strtod(start, &stop);
      if (stop == start || *stop != ' ' || !(seconds >= 0 && seconds < 1e12) || !stop[1])
        return bad_line = line_no, false;
      times[stop + 1] = seconds;
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

void last_run_cache::load(const std::string& path, std::string& warning) {
  path_ = path;
  failed_.clear();
  durations_.clear();
  std::string text, why;
  if (!read_file(path, text, why)) {
    if (!why.empty()) warning = "ignoring the cache " + path + ": " + why;
    return;
  }
  std::size_t bad_line = 0;
  if (!parse(text, failed_, durations_, bad_line)) {
    failed_.clear();
    durations_.clear();
    warning = "ignoring the cache " + path + ": not an assay cache (line " + std::to_string(bad_line) +
              "); it is rewritten after this run";
  }
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
        now_[&t].failed = true;  // `module.Class` or `module`: --lf runs the fixture's tests again
      }
      return;
    case event_kind::stop_test:
      // An attempt to be rerun is not the test's result: its last attempt is.
      if (t.kind != test_info::test || attempts().rerun() == &t) return;
      now_[&t] = outcome_now{test_failed_, e.seconds};
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
  if (attempts().rerun() != &t) now_[&t] = outcome_now{false, seconds};
}

bool last_run_cache::save(std::string& warning) {
  if (path_.empty()) return true;
  // This run's results by id.
  std::unordered_map<std::string, bool> failed_now;
  std::unordered_map<std::string, double> seconds_now;
  for (const auto& [t, o] : now_) {
    failed_now[t->id] = o.failed;
    if (o.seconds >= 0) seconds_now[t->id] = o.seconds;
  }
  std::unordered_set<std::string> passed_fixtures;
  for (const test_info* t : all_tests()) {
    if (passed_fixtures_.count(t->module)) passed_fixtures.insert(t->module->name);
    if (passed_fixtures_.count(t->cls)) passed_fixtures.insert(class_id(*t));
  }
  // Merged with what the file holds now (another run may have replaced it since this one read it).
  std::vector<std::string> failed;
  std::unordered_map<std::string, double> times;
  {
    std::string text, why;
    std::size_t bad_line = 0;
    if (!read_file(path_, text, why) || !parse(text, failed, times, bad_line)) {
      failed.clear();
      times.clear();
    }
  }
  // Only ids of this binary are kept: renamed and removed tests leave the cache.
  std::unordered_set<std::string> known;
  for (const test_info* t : all_tests()) {
    known.insert(t->id);
    known.insert(class_id(*t));
    known.insert(t->module->name);
  }
  for (const auto& [id, seconds] : seconds_now) known.insert(id);
  std::vector<std::string> still_failed;
  std::unordered_set<std::string> listed;
  for (const std::string& id : failed) {
    auto now = failed_now.find(id);
    const bool fails = now != failed_now.end() ? now->second : !passed_fixtures.count(id);
    if (fails && known.count(id) && listed.insert(id).second) still_failed.push_back(id);
  }
  // This run's new failures in a stable order (ids sort as the tests run only roughly; sorted is stable).
  std::vector<std::string> added;
  for (const auto& [id, fails] : failed_now)
    if (fails && !listed.count(id) && id.find('\n') == std::string::npos) added.push_back(id);
  std::sort(added.begin(), added.end());
  still_failed.insert(still_failed.end(), added.begin(), added.end());
  for (const auto& [id, seconds] : seconds_now) times[id] = seconds;
  std::map<std::string, double> sorted_times;
  for (const auto& [id, seconds] : times)
    if (known.count(id) && id.find('\n') == std::string::npos) sorted_times.emplace(id, seconds);

  std::string text = std::string(header_line) + "\n# written by each run of the test binary; safe to delete\n";
  for (const std::string& id : still_failed) text += "failed " + id + "\n";
  char number[64];
  for (const auto& [id, seconds] : sorted_times) {
    std::snprintf(number, sizeof number, "%.6f", seconds);
    text += std::string("time ") + number + " " + id + "\n";
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

const std::unordered_map<std::string, double>& known_durations() { return last_run().durations(); }

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
