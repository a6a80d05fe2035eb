// --leaks and --memory: a per-test tracemalloc. The watch sits between run_test and the results of the
// process that runs the tests; the summary sits among the run's reporters (the supervisor's, supervised).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <assay/result.hpp>

namespace assay {

enum class leak_mode : unsigned char { off, report, fail };

/// Counts each test's allocations (allocations.hpp) for the results below it. A test that passed and left
/// blocks allocated once its tearDown, cleanups and object are gone runs a second time, with sites, and the
/// blocks that second run leaves are its report: lazy statics and caches are filled by the first run.
/// --leaks: the report is the stop_test's note, the test passes; --leaks=fail: the report is a FAIL.
/// --memory: the stop_test carries the test's peak bytes outstanding and its number of allocations.
class leak_watch : public result {
 public:
  leak_watch(result& inner, leak_mode mode, bool memory)
      : inner_(inner), mode_(mode), memory_(memory), running_(nullptr), held_(false), checked_(false), success_() {}
  leak_watch(const leak_watch&) = delete;
  leak_watch& operator=(const leak_watch&) = delete;
  void on_event(const test_event& e) override;
  bool should_stop() const override { return inner_.should_stop(); }

 private:
  void forward(const test_event& e);
  std::string second_run(const test_info& t);

  result& inner_;
  leak_mode mode_;
  bool memory_;
  const test_info* running_;
  bool held_;     // the running test's success, held until its blocks are counted
  bool checked_;  // no failure, error or skip: the test is checked
  test_event success_;
};

/// The part of the summary the watch's notes and figures make: each report (as an ERROR block is shown),
/// then with --memory N the N tests that allocated most.
class leak_summary : public result {
 public:
  explicit leak_summary(int memory) : memory_(memory), order_(0), figures_(), notes_() {}
  void on_event(const test_event& e) override;
  /// For text_result::set_summary_part.
  static void print(std::FILE* out, void* self);

 private:
  int memory_;
  std::size_t order_;
  struct figure {
    unsigned long long peak, count;
    std::size_t order;
    std::string description;
  };
  std::vector<figure> figures_;
  std::vector<std::pair<std::string, std::string>> notes_;  // description, report
};

/// The one line saying why --leaks / --memory cannot count in this process ("" when they can).
std::string leak_check_unavailable(leak_mode mode, int memory);

/// tracemalloc's size format: `130 B`, `+1.3 MiB`.
std::string format_size(double size, bool sign);

}  // namespace assay
