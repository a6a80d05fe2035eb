// The last-run cache: which ids failed in the last run and how long each test took (--lf, --ff, durations).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <assay/result.hpp>

namespace assay {

struct options;

/// The cache file of a test binary: small, versioned, line-based text (`assay-cache 1`, then `failed ID`
/// and `time SECONDS ID` lines). At the end of a run it is replaced atomically (temp file + rename), holding
/// what it held merged with this run's results: two runs at once never corrupt it (the last to finish wins),
/// and one CTest process per test still adds up to the whole suite. A file that cannot be read, is not such
/// a file, or names tests that no longer exist is never fatal: at most a warning, and it is rewritten.
class last_run_cache : public result {
 public:
  /// Where the cache of this binary lives: --cache-path, else `$ASSAY_CACHE_DIR/<binary>.assay-cache`, else
  /// `<binary>.assay-cache` beside the binary. Empty under --no-cache (or when the binary cannot be found).
  static std::string path_for(const options& opt);
  /// Reads the cache at `path` (no file yet: an empty cache). A file that is not a cache is ignored, and
  /// `warning` says why. The results recorded from now on are saved to `path`.
  void load(const std::string& path, std::string& warning);
  /// As load(), later: a run that needs nothing of the file before its tests reads it while they run
  /// (load_deferred(), from the supervisor once a worker has started), or else when it is saved.
  void defer_load(const std::string& path);
  /// Reads the file defer_load() named, once; its warning is then take_deferred_warning()'s.
  void load_deferred();
  std::string take_deferred_warning() { return std::exchange(deferred_warning_, {}); }
  bool enabled() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  /// The ids (tests, or `module.Class` / `module` for a fixture) that failed when they last ran.
  const std::vector<std::string>& failed() const { return failed_; }
  /// (Built on first use: only a parallel run orders by them.)
  /// Views of the file read (valid until the next load).
  const std::unordered_map<std::string_view, double>& durations() const;
  /// The same by test_info::index (-1: not known): matched walking the file alongside all_tests(), in whose
  /// order it was written, so a run does not hash ten thousand ids before its first worker starts.
  const std::vector<double>& seconds_by_index() const;

  /// Records this run's results (a test rerun after a failure counts once, with its last attempt).
  void on_event(const test_event& e) override;
  void on_passed(const test_info& t, double seconds) override;
  /// Writes the cache; false with `warning` when it cannot (a read-only directory, a full disk).
  bool save(std::string& warning);

 private:
  std::string path_;
  bool loaded_ = false;
  std::string deferred_warning_;
  // The file lists every test of this binary, in its order, and nothing else: a run whose results all
  // match it (none failed, none moved: `changed_`) leaves it as it is without comparing it line by line.
  bool matches_binary_ = false;
  bool recorded_unloaded_ = false;  // results recorded before the file was read: compared when saved
  std::size_t changed_ = 0;
  std::vector<std::string> failed_;
  std::string text_;  // the file as read; times_ views it
  std::string identity_;  // of the file read (empty: none, or not a cache): unchanged, save need not reread it
  std::vector<std::pair<std::string_view, double>> times_;
  mutable std::unordered_map<std::string_view, double> durations_;
  mutable bool durations_built_ = false;
  mutable std::vector<double> by_index_;
  mutable bool by_index_built_ = false;
  // This run's results: tests by their index in all_tests() (a test costs a store, not an allocation),
  // fixtures that failed by address.
  struct outcome_now {
    bool ran = false;
    bool failed = false;
    double seconds = 0;
  };
  std::vector<outcome_now> now_;
  const std::vector<test_info*>* tests_ = nullptr;  // all_tests(), looked up once
  std::unordered_map<const test_info*, outcome_now> uncollected_;  // inner cases a selftest runs by hand
  std::unordered_set<const test_info*> fixtures_failed_;
  void record(const test_info& t, bool failed, double seconds);
  std::unordered_set<const void*> passed_fixtures_;  // class_info and module_info whose tests ran
  const void* last_class_ = nullptr;  // the class of the last test started (its fixtures already noted)
  bool test_failed_ = false;
  void started(const test_info& t);
};

/// The cache of this process's run (loaded by main before the tests, saved after them).
last_run_cache& last_run();

/// Seconds each test took when it last ran, by test_info::index, as the cache read at the start of this run
/// holds them (-1: not known; empty when there is no cache): what longest-first scheduling needs.
const std::vector<double>& known_durations();

/// --lf keeps the selected tests that failed last time, --ff runs them first (after any --shuffle); with no
/// such test (or no cache) both keep the whole selection, as pytest does. `notes` gets the lines to show
/// before the run (pytest's `run-last-failure: …`, and ids that no longer exist).
void apply_last_failed(std::vector<const test_info*>& selected, const options& opt, const last_run_cache& cache,
                       std::vector<std::string>& notes);

}  // namespace assay
