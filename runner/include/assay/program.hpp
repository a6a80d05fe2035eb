// The command line of a test binary: options, parsing and the run it drives.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <assay/leak_report.hpp>
#include <assay/registry.hpp>
#include <assay/shard.hpp>
#include <assay/terminal.hpp>

namespace assay {

/// Exit statuses, as unittest (3.12+) and argparse use them.
enum exit_status : int { exit_success = 0, exit_failure = 1, exit_usage = 2, exit_no_tests = 5 };

/// The parsed command line.
struct options {
  int verbosity = 1;
  bool failfast = false;
  bool catch_break = false;
  bool buffer = false;
  bool help = false;
  bool list = false;
  bool shuffle = false;
  bool seed_given = false;
  std::uint64_t seed = 0;
  int repeat = 1;
  int durations = -1;  // -1: off
  int skip_exit_code = -1;  // -1: all-skipped runs exit 0, as unittest
  std::vector<std::string> ids;
  std::vector<std::string> patterns;
  std::vector<std::string> tag_expressions;  // -m EXPR (repeatable: all must hold)
  std::vector<std::string> excludes;         // --exclude PATTERN (repeatable)
  // CTest, CI reports and build farms.
  bool list_ctest = false;                   // --list=ctest: the listing assay_discover_tests reads
  std::vector<std::string> exact_ids;        // --id ID: exactly that test, class or module
  std::string junit_xml;                     // --junit-xml FILE (default: $XML_OUTPUT_FILE)
  bool junit_file_line = false;              // --junit-file-line
  shard_spec shard;                          // --shard INDEX/TOTAL, or the sharding environment
  bool shard_given = false;
  color_mode color = color_mode::automatic;  // --color[=WHEN]
  bool github_annotations = false;           // --annotations=github
  // Supervision (supervisor.hpp): a crash, exit or hang in a test ends only that test.
  bool in_process = false;        // --in-process (also under a debugger and with --break-on-failure)
  bool isolate = false;           // --isolate: a fresh process per test
  int jobs = 1;                   // -j N, --jobs N: N workers at once (0 given: one per available CPU)
  double timeout = 0;             // --timeout SECONDS; 0: none (assay::timeout() sets one per test)
  bool break_on_failure = false;  // --break-on-failure: SIGTRAP where an assertion fails
  traceback_style traceback = traceback_style::long_;  // --tb=long|short|line|no
  bool no_catch = false;          // --no-catch: unexpected exceptions end the process (in-process)
  // Flaky tests and the last-failed cache (retry.hpp, last_run.hpp).
  int retries = 0;             // --retries N: rerun a failing test up to N times
  bool last_failed = false;    // --lf: only the tests that failed last time
  bool failed_first = false;   // --ff: those first, then the rest
  bool no_cache = false;       // --no-cache: neither read nor write the cache
  std::string cache_path;      // --cache-path FILE (default: ASSAY_CACHE_DIR, else beside the binary)
  leak_mode leaks = leak_mode::off;  // --leaks[=fail] (leak_report.hpp)
  int memory = -1;                   // --memory N: the N tests that allocated most; -1: off
};

/// Parses argv into `opt`; on a usage error returns non-zero with argparse's wording in `error`.
int parse_options(int argc, char** argv, options& opt, std::string& error);

/// Runs `selected` with reporters chosen by `opt`, writing the report to `stream`; returns the exit status.
int run(const options& opt, const std::vector<const test_info*>& selected, std::FILE* stream);

}  // namespace assay
