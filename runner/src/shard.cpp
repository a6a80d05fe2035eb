// Sharding (round robin over the selection) and the variables of Bazel's test encyclopedia and GoogleTest.
#include <assay/shard.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>

namespace assay {

namespace {

// The value of `name`, or null when unset or empty (an empty variable asks for nothing).
const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// Digits only: no sign, no spaces, no trailing text.
bool parse_int(const char* text, int& out) {
  if (!text || !*text) return false;
  long long v = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9') return false;
    v = v * 10 + (*p - '0');
    if (v > INT_MAX) return false;
  }
  out = static_cast<int>(v);
  return true;
}

std::string describe(const shard_spec& s) { return std::to_string(s.index) + "/" + std::to_string(s.total); }

}  // namespace

bool parse_shard(const std::string& text, shard_spec& out, std::string& error) {
  const std::size_t slash = text.find('/');
  shard_spec s;
  if (slash == std::string::npos || !parse_int(text.substr(0, slash).c_str(), s.index) ||
      !parse_int(text.substr(slash + 1).c_str(), s.total) || s.total < 1 || s.index >= s.total) {
    error = "argument --shard: invalid value: '" + text + "' (expected INDEX/TOTAL with 0 <= INDEX < TOTAL)";
    return false;
  }
  out = s;
  return true;
}

bool shard_from_environment(shard_spec& shard, bool given, std::string& error) {
  struct source {
    const char* total;
    const char* index;
  };
  std::string first = given ? "--shard " + describe(shard) : std::string();  // the source that set `shard`
  for (const source& src : {source{"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX"},
                            source{"GTEST_TOTAL_SHARDS", "GTEST_SHARD_INDEX"}}) {
    const char* total = env(src.total);
    const char* index = env(src.index);
    if (!total && !index) continue;
    if (!total || !index) {
      error = std::string("invalid sharding: ") + (total ? src.total : src.index) + " is set but " +
              (total ? src.index : src.total) + " is not";
      return false;
    }
    shard_spec s;
    const char* bad = !parse_int(total, s.total) ? src.total : !parse_int(index, s.index) ? src.index : nullptr;
    if (bad) {
      error = std::string("invalid sharding: ") + bad + "='" + (bad == src.total ? total : index) +
              "' is not an integer from 0 to " + std::to_string(INT_MAX);
      return false;
    }
    if (s.total < 1) {
      error = std::string("invalid sharding: ") + src.total + "=" + total + " (there must be at least one shard)";
      return false;
    }
    if (s.index >= s.total) {
      error = std::string("invalid sharding: ") + src.index + "=" + index + " is not below " + src.total + "=" +
              total;
      return false;
    }
    const std::string here = std::string(src.index) + "=" + index + " and " + src.total + "=" + total;
    if (!first.empty() && !(s == shard)) {
      error = "invalid sharding: " + first + " conflicts with " + here;
      return false;
    }
    if (first.empty()) first = here;
    shard = s;
  }
  return true;
}

std::vector<const test_info*> take_shard(const std::vector<const test_info*>& selected, const shard_spec& shard) {
  if (!shard.active()) return selected;
  std::vector<const test_info*> mine;
  for (std::size_t k = static_cast<std::size_t>(shard.index); k < selected.size();
       k += static_cast<std::size_t>(shard.total))
    mine.push_back(selected[k]);
  return mine;
}

bool touch_shard_status_files(std::string& error) {
  for (const char* name : {"TEST_SHARD_STATUS_FILE", "GTEST_SHARD_STATUS_FILE"}) {
    const char* path = env(name);
    if (!path) continue;
    const int fd = ::open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0 || ::futimens(fd, nullptr) != 0) {
      error = std::string("cannot write ") + name + " '" + path + "': " + std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return false;
    }
    ::close(fd);
  }
  return true;
}

std::vector<std::string> testbridge_patterns() {
  std::vector<std::string> patterns;
  const char* filter = env("TESTBRIDGE_TEST_ONLY");
  if (!filter) return patterns;
  std::string text = filter;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t colon = text.find(':', start);
    const std::size_t end = colon == std::string::npos ? text.size() : colon;
    if (end > start) patterns.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return patterns;
}

std::string xml_output_file() {
  const char* path = env("XML_OUTPUT_FILE");
  return path ? path : "";
}

void use_test_tmpdir() {
  if (const char* dir = env("TEST_TMPDIR")) ::setenv("TMPDIR", dir, 1);
}

void create_premature_exit_file() {
  if (const char* path = env("TEST_PREMATURE_EXIT_FILE")) {
    const int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd >= 0) ::close(fd);
  }
}

void remove_premature_exit_file() {
  if (const char* path = env("TEST_PREMATURE_EXIT_FILE")) ::unlink(path);
}

void resolve_environment_paths() {
  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof cwd)) return;  // nothing to resolve against: left as given
  for (const char* name : {"TEST_TMPDIR", "TEST_PREMATURE_EXIT_FILE", "TEST_SHARD_STATUS_FILE", "GTEST_SHARD_STATUS_FILE"}) {
    const char* path = env(name);
    if (path && path[0] != '/') ::setenv(name, (std::string(cwd) + "/" + path).c_str(), 1);
  }
}

}  // namespace assay
