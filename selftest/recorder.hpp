// A result that records events as short lines, so selftests can assert the exact event sequence.
#pragma once

#include <string>
#include <vector>

#include <assay/execution.hpp>
#include <assay/result.hpp>

namespace selftest {

struct recorder : assay::result {
  std::vector<std::string> log;
  std::vector<assay::test_event> events;

  void on_event(const assay::test_event& e) override {
    events.push_back(e);
    static const char* const kinds[] = {"start_run", "stop_run", "start", "stop", "", "subtest"};
    static const char* const outcomes[] = {"success", "failure", "error", "skipped", "expected_failure",
                                           "unexpected_success"};
    std::string line = kinds[static_cast<int>(e.kind)];
    if (e.kind == assay::event_kind::outcome || e.kind == assay::event_kind::subtest) {
      // Appends only: g++ 12 -O3 sees a false -Wrestrict overlap in `"literal" + std::string`.
      if (!line.empty()) line += ' ';
      line += outcomes[static_cast<int>(e.result)];
      if (!e.subtest.empty()) line.append(" ").append(e.subtest);
      if (!e.type.empty()) line.append(" ").append(e.type);
      if (!e.message.empty()) line.append(": ").append(e.message);
    }
    log.push_back(line);
  }
};

/// Runs the inner (not collected) test `id` and returns its event log.
inline std::vector<std::string> run_inner(const std::string& id) {
  recorder r;
  const assay::test_info* t = assay::find_test(id);
  if (!t) return {"no such inner test: " + id};
  assay::run_test(*t, r);
  return r.log;
}

}  // namespace selftest
