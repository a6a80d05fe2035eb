// assay::main: the command line of a test binary (unittest.main / python -m unittest, plus what C++ needs).
#include <assay/program.hpp>

#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>

#include <assay/detail/internal.hpp>
#include <assay/capture.hpp>
#include <assay/junit_result.hpp>
#include <assay/last_run.hpp>
#include <assay/listing.hpp>
#include <assay/loader.hpp>
#include <assay/retry.hpp>
#include <assay/sanitizers.hpp>
#include <assay/schedule.hpp>
#include <assay/signals.hpp>
#include <assay/suite.hpp>
#include <assay/supervisor.hpp>
#include <assay/tag_expression.hpp>
#include <assay/text_result.hpp>

namespace assay {

namespace {

// A binary started with a standard descriptor closed (`./t >&- 2>&-`, `<&-`) would hand 0, 1 or 2 to the
// first file it opens: the journal or the JUnit report would then receive the tests' output, and the
// report text would go into a file. /dev/null holds each free one, before anything is opened.
void occupy_standard_descriptors() noexcept {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int got = ::open("/dev/null", O_RDWR);  // the lowest free number: `fd`
    if (got > 2) ::close(got);
  }
}

// As early as a program can run code (static initialisers of priority 101 run before every default one):
// a static initialiser of the test binary may open files too.
[[gnu::constructor(101)]] void occupy_standard_descriptors_at_start() { occupy_standard_descriptors(); }

const char* const usage_line =
    "usage: %s [-h] [-v] [-q] [-f] [-c] [-b] [-k PATTERN] [-m EXPR] [--durations N] [--list]\n"
    "       %*s [--shuffle[=SEED]] [--repeat N] [--skip-exit-code N] [--id ID]\n"
    "       %*s [--junit-xml FILE] [--shard I/N] [--color[=WHEN]] [--annotations=github]\n"
    "       %*s [--tb STYLE] [--in-process | --isolate] [-j N] [--timeout SECONDS]\n"
    "       %*s [--exclude PATTERN] [--break-on-failure] [--no-catch] [--retries N]\n"
    "       %*s [--lf | --ff] [--cache-path FILE] [--no-cache] [--leaks[=fail]]\n"
    "       %*s [--memory N] [tests ...]\n";

const char* const help_text =
    "\n"
    "positional arguments:\n"
    "  tests                test ids to run: module, module.Class, module.Class.test,\n"
    "                       Class or Class.test (default: all)\n"
    "\n"
    "options:\n"
    "  -h, --help           show this help message and exit\n"
    "  -v, --verbose        Verbose output\n"
    "  -q, --quiet          Quiet output\n"
    "  -f, --failfast       Stop on first fail or error\n"
    "  -c, --catch          Catch Ctrl-C and display results so far\n"
    "  -b, --buffer         Buffer stdout and stderr during tests\n"
    "  -k PATTERN           Only run tests which match the given substring or\n"
    "                       fnmatch pattern (case-sensitive, on module.Class.test)\n"
    "  -m EXPR              Only run tests whose tags (assay::tag) match EXPR: tags\n"
    "                       with and, or, not, parentheses ('slow and not db');\n"
    "                       repeatable (all must hold); an unknown tag is an error\n"
    "  --exclude PATTERN    Do not run tests which match PATTERN (as -k); repeatable\n"
    "  --durations N        Show the N slowest test cases (N=0 for all)\n"
    "  --list[=ctest]       Print the selected test ids, one per line, and exit\n"
    "                       (-v: with their tags; ctest: the marked, escaped listing\n"
    "                       assay_discover_tests reads)\n"
    "  --shuffle[=SEED]     Run modules, classes and tests in random order\n"
    "  --repeat N           Run the selected tests N times\n"
    "  --skip-exit-code N   Exit with N when every test that ran was skipped\n"
    "  --id ID              Run exactly the test, class (module.Class) or module ID;\n"
    "                       repeatable; no patterns, so any character in ID is safe\n"
    "  --junit-xml FILE     Write a JUnit XML report to FILE (default: $XML_OUTPUT_FILE)\n"
    "  --junit-file-line    Add file and line attributes to <testcase> (GitLab, GitHub)\n"
    "  --shard I/N          Run shard I (0-based) of N: every N-th selected test from the I-th\n"
    "                       (also TEST_SHARD_INDEX/TEST_TOTAL_SHARDS, GTEST_SHARD_INDEX/...)\n"
    "  --color[=WHEN]       Colour the report: auto (default), always, never;\n"
    "                       auto honours NO_COLOR, CLICOLOR_FORCE and TERM=dumb\n"
    "  --annotations=github Print GitHub Actions ::error annotations for failures\n"
    "  --in-process         Run the tests in this process, not in a worker process (the\n"
    "                       default under a debugger): a crash or exit ends the run\n"
    "  --isolate            Run each test in a fresh process\n"
    "  -j N, --jobs N       Run the tests in N worker processes at once (0: one per\n"
    "                       available CPU); a class's tests share a worker\n"
    "  --timeout SECONDS    Stop a test still running after SECONDS and report it as an\n"
    "                       error (assay::timeout(seconds) on TEST sets a test's own)\n"
    "  --break-on-failure   Raise SIGTRAP where an assertion fails, so a debugger stops\n"
    "                       there (implies --in-process)\n"
    "  --tb STYLE           Traceback style: long (every frame, the default), short (the\n"
    "                       innermost frame), line (one line per failure) or no\n"
    "  --no-catch           Do not catch unexpected exceptions: std::terminate ends the\n"
    "                       process at the throw, for a debugger or a core file (implies\n"
    "                       --in-process; assertion failures and skips are still reported)\n"
    "  --retries N          Rerun a failing or erroring test up to N times, each in a fresh\n"
    "                       worker (in-process: at once, on a fresh instance); a pass on a\n"
    "                       rerun is FLAKY (assay::retries(n) on TEST sets a test's own)\n"
    "  --lf, --last-failed  Rerun only the tests that failed last time (all if none did)\n"
    "  --ff, --failed-first Run the tests that failed last time first, then the rest\n"
    "  --cache-path FILE    Where the last run's failures and durations are kept (default:\n"
    "                       $ASSAY_CACHE_DIR/BINARY.assay-cache, else BINARY.assay-cache)\n"
    "  --no-cache           Neither read nor write that file\n"
    "  --leaks[=fail]       Report each passing test that leaves memory allocated after its\n"
    "                       tearDown and cleanups, with the allocation sites (tracemalloc's\n"
    "                       compare_to); =fail makes such a test a FAIL (default: report)\n"
    "  --memory N           Show the N tests that allocated most: peak bytes outstanding\n"
    "                       and allocations (N=0 for all)\n"
    "\n"
    "Exit status: 0 all passed, 1 failures or errors, 2 usage error,\n"
    "5 no tests ran, N (--skip-exit-code) every test skipped, 130 stopped by Ctrl-C (-c),\n"
    "143 ended by SIGTERM (129 SIGHUP).\n"
    "\n"
    "Examples:\n"
    "  %s                                   - run all tests\n"
    "  %s -v UtilsTestCase.test_to_str_bytes - run one test, verbosely\n"
    "  %s -k bytes -f -b --durations 5     - pattern, failfast, buffer, slowest 5\n";

const char* prog_name(const char* argv0) {
  const char* slash = std::strrchr(argv0, '/');
  return slash ? slash + 1 : argv0;
}

int usage_error(const char* prog, const std::string& message) {
  const int indent = static_cast<int>(std::strlen(prog));
  std::fprintf(stderr, usage_line, prog, indent, "", indent, "", indent, "", indent, "", indent, "", indent, "");
  std::fprintf(stderr, "%s: error: %s\n", prog, message.c_str());
  return exit_usage;
}

// A decimal count: digits only (no sign, no spaces, no trailing text), at most `max`. `out_of_range` tells a
// number too large (or below `min`) from text that is no number.
bool parse_count(const char* text, unsigned long long min, unsigned long long max, unsigned long long& out,
                 bool& out_of_range) {
  out_of_range = false;
  if (!text || !*text) return false;
  unsigned long long v = 0;
  bool overflow = false;  // read on: trailing text still makes it no number
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9') return false;
    const unsigned digit = static_cast<unsigned>(*p - '0');
    overflow = overflow || v > (ULLONG_MAX - digit) / 10;
    if (!overflow) v = v * 10 + digit;
  }
  if (overflow || v < min || v > max) {
    out_of_range = true;
    return false;
  }
  out = v;
  return true;
}

// An option as the user would spell it in full: `-k`, or `--durations` for the long option whose value is `val`.
std::string option_name(int val, const ::option* long_options) {
  if (val > 0 && val < 256) return std::string("-") + static_cast<char>(val);
  for (const ::option* o = long_options; o->name; ++o)
    if (o->val == val) return std::string("--") + o->name;
  return "?";
}

// `argument --repeat: invalid count: 'x'`, or for a number outside the range
// `argument --repeat: 4294967297 is out of range (1 to 2147483647)`.
std::string count_error(const char* option, const char* what, const char* text, bool out_of_range,
                        unsigned long long min, unsigned long long max) {
  if (!out_of_range) return std::string("argument ") + option + ": invalid " + what + ": '" + text + "'";
  return std::string("argument ") + option + ": " + text + " is out of range (" + std::to_string(min) + " to " +
         std::to_string(max) + ")";
}

// Shuffles within each level, so module and class fixtures still run once per group.
void shuffle_tests(std::vector<const test_info*>& tests, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto shuffle = [&](auto& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
  };
  std::vector<std::vector<std::vector<const test_info*>>> modules;
  for (const test_info* t : tests) {
    if (modules.empty() || modules.back().back().back()->module != t->module) modules.emplace_back();
    auto& classes = modules.back();
    if (classes.empty() || classes.back().back()->cls != t->cls) classes.emplace_back();
    classes.back().push_back(t);
  }
  shuffle(modules);
  tests.clear();
  for (auto& classes : modules) {
    shuffle(classes);
    for (auto& group : classes) {
      shuffle(group);
      tests.insert(tests.end(), group.begin(), group.end());
    }
  }
}

// The JUnit report of a run: named after the binary, with the shard and seed as properties.
junit_settings report_settings(const options& opt, bool supervised) {
  junit_settings s;
  // Only an in-process run's second Ctrl-C writes the report from a signal handler (signals.cpp).
  s.interruptible = opt.catch_break && !supervised;
  s.shared_with_tests = !supervised;  // in-process, a test may close the report's descriptor
  s.path = opt.junit_xml;
  s.name = program_invocation_short_name;
  s.file_line = opt.junit_file_line;
  if (opt.shard.active())
    s.properties.emplace_back("shard", std::to_string(opt.shard.index) + "/" + std::to_string(opt.shard.total));
  if (opt.shuffle) s.properties.emplace_back("shuffle_seed", std::to_string(opt.seed));
  return s;
}

}  // namespace

int parse_options(int argc, char** argv, options& opt, std::string& error) {
  enum { o_durations = 256, o_list, o_shuffle, o_repeat, o_skip_code };
  enum { o_id = 300, o_junit_xml, o_junit_file_line, o_shard, o_color, o_annotations };
  enum { o_in_process = 400, o_isolate, o_timeout, o_break_on_failure, o_tb, o_no_catch, o_jobs = 'j' };
  enum { o_exclude = 540 };
  enum { o_retries = 500, o_last_failed, o_failed_first, o_cache_path, o_no_cache };
  enum { o_leaks = 520, o_memory };
  static const ::option long_options[] = {
      {"help", no_argument, nullptr, 'h'},
      {"verbose", no_argument, nullptr, 'v'},
      {"quiet", no_argument, nullptr, 'q'},
      {"failfast", no_argument, nullptr, 'f'},
      {"catch", no_argument, nullptr, 'c'},
      {"buffer", no_argument, nullptr, 'b'},
      {"durations", required_argument, nullptr, o_durations},
      {"list", optional_argument, nullptr, o_list},
      {"shuffle", optional_argument, nullptr, o_shuffle},
      {"repeat", required_argument, nullptr, o_repeat},
      {"skip-exit-code", required_argument, nullptr, o_skip_code},
      {"id", required_argument, nullptr, o_id},
      {"junit-xml", required_argument, nullptr, o_junit_xml},
      {"junit-file-line", no_argument, nullptr, o_junit_file_line},
      {"shard", required_argument, nullptr, o_shard},
      {"color", optional_argument, nullptr, o_color},
      {"annotations", required_argument, nullptr, o_annotations},
      {"in-process", no_argument, nullptr, o_in_process},
      {"isolate", no_argument, nullptr, o_isolate},
      {"jobs", required_argument, nullptr, o_jobs},
      {"timeout", required_argument, nullptr, o_timeout},
      {"break-on-failure", no_argument, nullptr, o_break_on_failure},
      {"tb", required_argument, nullptr, o_tb},
      {"no-catch", no_argument, nullptr, o_no_catch},
      {"exclude", required_argument, nullptr, o_exclude},
      {"retries", required_argument, nullptr, o_retries},
      {"lf", no_argument, nullptr, o_last_failed},
      {"last-failed", no_argument, nullptr, o_last_failed},
      {"ff", no_argument, nullptr, o_failed_first},
      {"failed-first", no_argument, nullptr, o_failed_first},
      {"cache-path", required_argument, nullptr, o_cache_path},
      {"no-cache", no_argument, nullptr, o_no_cache},
      {"leaks", optional_argument, nullptr, o_leaks},
      {"memory", required_argument, nullptr, o_memory},
      {nullptr, 0, nullptr, 0},
  };
  ::optind = 0;  // reset: parse_options may run more than once in a process (selftests)
  ::opterr = 0;
  unsigned long long n = 0;
  bool out_of_range = false;
  constexpr unsigned long long int_max = INT_MAX;
  // Options and test ids mix in any order, as in unittest ("-": ids come back as 1, in place, argv is not
  // permuted); "--" ends the options. ":" tells a missing value (returned as ':') from an unknown option.
  for (int c; (c = ::getopt_long(argc, argv, "-:hvqfcbk:m:j:", long_options, nullptr)) != -1;) {
    switch (c) {
      case 1: opt.ids.emplace_back(::optarg); break;
      case 'h': opt.help = true; break;
      case 'v': opt.verbosity = 2; break;
      case 'q': opt.verbosity = 0; break;
      case 'f': opt.failfast = true; break;
      case 'c': opt.catch_break = true; break;
      case 'b': opt.buffer = true; break;
      case 'k': opt.patterns.emplace_back(::optarg); break;
      case 'm': {
        // The syntax now, with the usage line; whether its tags exist, once the tests are known (main).
        std::vector<tag_expression> parsed;
        if (!parse_tag_expressions({::optarg}, parsed, error)) return 1;
        opt.tag_expressions.emplace_back(::optarg);
        break;
      }
      case o_exclude:
        // An empty pattern would match every id and silently run nothing.
        if (!*::optarg) return error = "argument --exclude: expected a non-empty pattern", 1;
        opt.excludes.emplace_back(::optarg);
        break;
      case o_durations:
        if (!parse_count(::optarg, 0, int_max, n, out_of_range))
          return error = count_error("--durations", "int value", ::optarg, out_of_range, 0, int_max), 1;
        opt.durations = static_cast<int>(n);
        break;
      case o_list:
        if (::optarg && std::strcmp(::optarg, "ctest") != 0)
          return error = "argument --list: invalid choice: '" + std::string(::optarg) + "' (choose from 'ctest')", 1;
        opt.list = true;
        opt.list_ctest = ::optarg != nullptr;
        break;
      case o_shuffle:
        opt.shuffle = true;
        if (::optarg) {
          if (!parse_count(::optarg, 0, UINT64_MAX, n, out_of_range))
            return error = count_error("--shuffle", "seed", ::optarg, out_of_range, 0, UINT64_MAX), 1;
          opt.seed = static_cast<std::uint64_t>(n);
          opt.seed_given = true;
        }
        break;
      case o_repeat:
        if (!parse_count(::optarg, 1, int_max, n, out_of_range))
          return error = count_error("--repeat", "count", ::optarg, out_of_range, 1, int_max), 1;
        opt.repeat = static_cast<int>(n);
        break;
      case o_skip_code:
        if (!parse_count(::optarg, 0, 255, n, out_of_range))
          return error = count_error("--skip-exit-code", "code", ::optarg, out_of_range, 0, 255), 1;
        opt.skip_exit_code = static_cast<int>(n);
        break;
      case o_id: opt.exact_ids.emplace_back(::optarg); break;
      case o_junit_xml: opt.junit_xml = ::optarg; break;
      case o_junit_file_line: opt.junit_file_line = true; break;
      case o_shard:
        if (!parse_shard(::optarg, opt.shard, error)) return 1;
        opt.shard_given = true;
        break;
      case o_color: {
        const std::string when = ::optarg ? ::optarg : "always";
        if (when == "auto") opt.color = color_mode::automatic;
        else if (when == "always") opt.color = color_mode::always;
        else if (when == "never") opt.color = color_mode::never;
        else return error = "argument --color: invalid choice: '" + when + "' (choose from 'auto', 'always', 'never')", 1;
        break;
      }
      case o_annotations:
        if (std::strcmp(::optarg, "github") != 0 && std::strcmp(::optarg, "none") != 0)
          return error = "argument --annotations: invalid choice: '" + std::string(::optarg) +
                         "' (choose from 'github', 'none')", 1;
        opt.github_annotations = std::strcmp(::optarg, "github") == 0;
        break;
      case o_in_process: opt.in_process = true; break;
      case o_isolate: opt.isolate = true; break;
      case o_jobs:
        if (!parse_count(::optarg, 0, max_jobs, n, out_of_range))
          return error = count_error("-j/--jobs", "count", ::optarg, out_of_range, 0, max_jobs), 1;
        opt.jobs = n == 0 ? available_cpus() : static_cast<int>(n);
        break;
      case o_timeout: {
        char* end = nullptr;
        const double seconds = std::strtod(::optarg, &end);
        if (!*::optarg || *end || seconds != seconds)
          return error = "argument --timeout: invalid float value: '" + std::string(::optarg) + "'", 1;
        if (!(seconds >= 0 && seconds <= 1e9))
          return error = "argument --timeout: " + std::string(::optarg) + " is out of range (0 to 1000000000 seconds)", 1;
        opt.timeout = seconds;
        break;
      }
      case o_break_on_failure: opt.break_on_failure = true; break;
      case o_tb: {
        const std::string style = ::optarg;
        if (style == "long") opt.traceback = traceback_style::long_;
        else if (style == "short") opt.traceback = traceback_style::short_;
        else if (style == "line") opt.traceback = traceback_style::line;
        else if (style == "no") opt.traceback = traceback_style::no;
        else return error = "argument --tb: invalid choice: '" + style + "' (choose from 'long', 'short', 'line', 'no')", 1;
        break;
      }
      case o_no_catch: opt.no_catch = true; break;
      case o_retries:
        if (!parse_count(::optarg, 0, int_max, n, out_of_range))
          return error = count_error("--retries", "count", ::optarg, out_of_range, 0, int_max), 1;
        opt.retries = static_cast<int>(n);
        break;
      case o_last_failed: opt.last_failed = true; break;
      case o_failed_first: opt.failed_first = true; break;
      case o_cache_path:
        if (!*::optarg) return error = "argument --cache-path: expected a file name", 1;
        opt.cache_path = ::optarg;
        break;
      case o_no_cache: opt.no_cache = true; break;
      case o_leaks:
        if (::optarg && std::strcmp(::optarg, "fail") != 0 && std::strcmp(::optarg, "report") != 0)
          return error = "argument --leaks: invalid choice: '" + std::string(::optarg) +
                         "' (choose from 'report', 'fail')", 1;
        opt.leaks = ::optarg && std::strcmp(::optarg, "fail") == 0 ? leak_mode::fail : leak_mode::report;
        break;
      case o_memory:
        if (!parse_count(::optarg, 0, int_max, n, out_of_range))
          return error = count_error("--memory", "int value", ::optarg, out_of_range, 0, int_max), 1;
        opt.memory = static_cast<int>(n);
        break;
      case ':':  // a value is missing: name the option as it is spelled in full (an abbreviation too)
        return error = "argument " + option_name(::optopt, long_options) + ": expected one argument", 1;
      case '?':
      default: {
        const char* arg = argv[::optind - 1];
        return error = "unrecognized arguments: " + std::string(arg ? arg : "?"), 1;
      }
    }
  }
  // After "--" everything is a test id, even one that starts with '-'.
  for (int i = ::optind; i < argc; ++i) opt.ids.emplace_back(argv[i]);
  if (!opt.exact_ids.empty() && !opt.ids.empty()) return error = "argument --id: not allowed with test ids", 1;
  if (opt.no_cache && (opt.last_failed || opt.failed_first || !opt.cache_path.empty()))
    return error = std::string("argument --no-cache: not allowed with argument ") +
                   (opt.last_failed ? "--lf" : opt.failed_first ? "--ff" : "--cache-path"), 1;
  if (opt.isolate && (opt.in_process || opt.break_on_failure || opt.no_catch))
    return error = std::string("argument --isolate: not allowed with argument ") +
                   (opt.in_process ? "--in-process" : opt.break_on_failure ? "--break-on-failure" : "--no-catch"), 1;
  if (opt.jobs > 1 && (opt.in_process || opt.break_on_failure || opt.no_catch))
    return error = std::string("argument -j/--jobs: more than one worker not allowed with argument ") +
                   (opt.in_process ? "--in-process" : opt.break_on_failure ? "--break-on-failure" : "--no-catch"), 1;
  return 0;
}

int run(const options& opt, const std::vector<const test_info*>& selected, std::FILE* stream) {
  // Workers run the tests unless asked otherwise; a debugger wants them in the process it is attached to
  // (unless --isolate says otherwise).
  const bool supervised =
      opt.isolate || (!opt.in_process && !opt.break_on_failure && !opt.no_catch && !debugger_attached());
  detail::break_on_failure = opt.break_on_failure;
  detail::no_catch = opt.no_catch;
  // Verbose lines stay live: a test's own output on stderr must land inside its line, as in unittest.
  output_gate gate(stream, opt.verbosity < 2);
  text_result text(gate.stream(), opt.verbosity, opt.failfast, opt.durations);
  text.set_traceback(opt.traceback);
  text.set_gate(&gate);
  text.set_color(use_color(opt.color, ::fileno(stream)));
  tee_result tee;
  // First: every reporter asks it whether the test running is an attempt to be rerun (retry.hpp).
  attempts().set_default(opt.retries);
  tee.add(attempts());
  // -b in this process: its files only when asked for and when tests run here (workers capture their own).
  // Without its files -b would silently capture nothing: an error, before any report is opened.
  std::optional<capture_result> capture;
  const auto capture_here = [&] {
    if (!capture.emplace(tee).error().empty()) {
      std::fprintf(stderr, "%s: error: -b: cannot capture the tests' output (%s)\n", program_invocation_short_name,
                   capture->error().c_str());
      return false;
    }
    return true;
  };
  if (opt.buffer && !supervised && !capture_here()) return exit_usage;
  // The report first: what the screen shows of a test, the file on disk already holds (a SIGKILL between
  // the two must not leave a result seen and not recorded).
  std::optional<junit_result> junit;
  if (!opt.junit_xml.empty()) {
    std::string error;
    if (!junit.emplace(report_settings(opt, supervised)).open(error)) {
      std::fprintf(stderr, "%s: error: %s\n", program_invocation_short_name, error.c_str());
      return exit_usage;
    }
    tee.add(*junit);
  }
  tee.add(text);
  interrupt_handler catch_break(opt.catch_break, !supervised, supervised);
  // (In-process, SIGTERM's default does all that can be done, unless -c's JUnit snapshot can be flushed.)
  std::optional<termination_handler> termination;
  if (supervised || opt.catch_break) termination.emplace(supervised);
  interrupt_result interrupted;
  tee.add(interrupted);
  std::optional<github_annotations> annotations;
  if (opt.github_annotations) tee.add(annotations.emplace(gate.stream()));
  if (last_run().enabled()) tee.add(last_run());
  const auto sink = [&]() -> result& { return capture ? static_cast<result&>(*capture) : static_cast<result&>(tee); };
  // --leaks, --memory: their part of the summary; the one line saying they step aside, before the tests.
  leak_summary leaks(opt.memory);
  const std::string leaks_off = leak_check_unavailable(opt.leaks, opt.memory);
  const bool watch_leaks = (opt.leaks != leak_mode::off || opt.memory >= 0) && leaks_off.empty();
  if (watch_leaks) {
    tee.add(leaks);
    text.set_summary_part(&leak_summary::print, &leaks);
  } else if (!leaks_off.empty()) {
    std::fprintf(gate.stream(), "%s\n", leaks_off.c_str());
    std::fflush(gate.stream());
  }

  const run_plan order(selected, static_cast<std::size_t>(opt.repeat));
  // In-process, the last run's cache is read before the tests (each result is then compared as it comes);
  // supervised, while the first worker runs them.
  if (!supervised) {
    last_run().load_deferred();
    if (const std::string read = last_run().take_deferred_warning(); !read.empty()) {
      std::fprintf(gate.stream(), "assay: warning: %s\n", read.c_str());
      std::fflush(gate.stream());
    }
  }
  note_leaks_before_tests();  // (LeakSanitizer builds only)
  const auto start = std::chrono::steady_clock::now();
  test_event begin;
  begin.kind = event_kind::start_run;
  sink().on_event(begin);
  // Supervised, events reach the results as they would in-process; the rest runs in-process when no
  // worker process could be started.
  std::string unsupervised;
  const std::size_t supervised_part =
      supervised ? supervise(order, opt, tee, text, gate, unsupervised, [] { last_run().load_deferred(); }) : 0;
  const bool run_here = supervised_part < order.size() && !tee.should_stop();
  // The tests left run here: -b's files now (before any test ran, a capture that cannot be made stops the
  // run; after, the rest runs uncaptured rather than lose what is already known).
  if (run_here && opt.buffer && !capture && !capture_here()) {
    if (supervised_part == 0) return exit_usage;
    capture.reset();
  }
  if (!unsupervised.empty()) {
    // Supervision was asked for and is impossible: the run goes on, and says so where it is read.
    unsupervised = std::to_string(order.size() - supervised_part) + " of " + std::to_string(order.size()) +
                   " tests ran in-process, unsupervised (" + unsupervised + "): a crash ends the run";
    std::fprintf(gate.stream(), "assay: WARNING: %s\n", unsupervised.c_str());
    std::fflush(gate.stream());
    if (junit) junit->add_property("assay.unsupervised", unsupervised);
  }
  if (run_here) {
    if (watch_leaks) {
      leak_watch watch(sink(), opt.leaks, opt.memory >= 0);
      run_suite(order, supervised_part, watch);
    } else {
      run_suite(order, supervised_part, sink());
    }
    // Checked before the summary, so that the leaks are an ERROR of the run (LSan's own check at exit
    // comes after the report).
    if (std::string report; check_for_leaks(report)) {
      report_leaks(sink(), *order[order.size() - 1], "the tests (in-process)", report);
      exit_failure_on_sanitizer_death();
    }
  }
  test_event end;
  end.kind = event_kind::stop_run;
  end.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sink().on_event(end);
  // The verdict is in: what is flushed on the way out (a test's buffered stdout) must not turn it into a
  // death by SIGPIPE when nobody reads any more.
  std::signal(SIGPIPE, SIG_IGN);
  if (!unsupervised.empty()) {
    std::fprintf(gate.stream(), "assay: WARNING: %s\n", unsupervised.c_str());
    std::fflush(gate.stream());
  }
  if (supervised) {
    std::fflush(nullptr);  // the report is out before waiting for the last worker to exit
    gate.flush_pending();
  }

  // The last-run cache (last_run.hpp): a file that could not be used (when read during the run) or written
  // is a warning, before the verdict's last words.
  const auto warn = [&](const std::string& warning) {
    std::fprintf(gate.stream(), "assay: warning: %s\n", warning.c_str());
    std::fflush(gate.stream());
  };
  std::string warning;
  const bool saved = last_run().save(warning);
  if (const std::string read = last_run().take_deferred_warning(); !read.empty()) warn(read);
  if (!saved) warn(warning);
  // (Written while the last worker's address space is torn down.)
  if (supervised) await_exiting_workers();
  const run_counts& c = text.counts();
  // A report that could not be written completely fails the run, whatever the tests did: said last, after
  // the summary, where it is seen.
  const bool report_failed = junit && !junit->error().empty();
  if (report_failed) {
    std::fprintf(gate.stream(), "%s: error: %s\n", program_invocation_short_name, junit->error().c_str());
    std::fflush(gate.stream());
  }
  if (const int sig = termination_handler::signal()) return exit_terminated(sig);
  if (interrupt_handler::count() > 0) return exit_interrupted;
  if (!c.successful() || report_failed) return exit_failure;
  if (c.run == 0 && c.skipped == 0) return exit_no_tests;
  if (opt.skip_exit_code >= 0 && c.successes == 0 && c.expected_failures == 0) return opt.skip_exit_code;
  return exit_success;
}

int main(int argc, char** argv) {
  occupy_standard_descriptors();  // (again: a caller's main may have closed them since)
  const char* prog = prog_name(argc > 0 ? argv[0] : "test");
  options opt;
  std::string error;
  if (parse_options(argc, argv, opt, error) != 0) return usage_error(prog, error);
  if (is_exec_worker()) {
    // A worker its supervisor started through exec (supervisor.hpp): it runs what its journal assigns.
    const int fd = ::dup(2);
    std::FILE* stream = fd >= 0 ? ::fdopen(fd, "w") : stderr;
    output_gate gate(stream, opt.verbosity < 2);
    text_result text(gate.stream(), opt.verbosity, opt.failfast, -1);
    text.set_traceback(opt.traceback);
    text.set_gate(&gate);
    text.set_color(use_color(opt.color, ::fileno(stream)));  // as run() configures the run's report
    exec_worker_main(opt, text, gate);
  }
  if (opt.help) {
    const int indent = static_cast<int>(std::strlen(prog));
    std::printf(usage_line, prog, indent, "", indent, "", indent, "", indent, "", indent, "", indent, "");
    std::printf(help_text, prog, prog, prog);
    return exit_success;
  }
  // The environment of build farms (Bazel, GoogleTest's sharding): see shard.hpp. Paths are resolved now,
  // before a test can change directory (the JUnit report's when it is opened, before any test).
  resolve_environment_paths();
  if (opt.junit_xml.empty()) opt.junit_xml = xml_output_file();
  if (opt.patterns.empty()) opt.patterns = testbridge_patterns();
  use_test_tmpdir();
  if (!shard_from_environment(opt.shard, opt.shard_given, error)) {
    std::fprintf(stderr, "%s: error: %s\n", prog, error.c_str());
    return exit_usage;
  }
  std::vector<const test_info*> selected = opt.exact_ids.empty()
                                               ? select_tests(all_tests(), opt.ids, opt.patterns, error)
                                               : select_exact(all_tests(), opt.exact_ids, opt.patterns, error);
  // Then -m and --exclude narrow the selection (whatever chose it: ids, --id, -k), before sharding: the
  // shards partition what is left. A tag no test has is an error, not an empty run.
  std::vector<tag_expression> tag_filter;
  if (error.empty() && parse_tag_expressions(opt.tag_expressions, tag_filter, error))
    error = unknown_tag_error(tag_filter, all_tests());
  if (!error.empty()) {
    std::fprintf(stderr, "%s: error: %s\n", prog, error.c_str());
    return exit_usage;
  }
  selected = select_tagged(exclude_tests(selected, opt.excludes), tag_filter);
  // Shard before shuffling: every shard must see the same order (see take_shard).
  const std::size_t selected_count = selected.size();
  selected = take_shard(selected, opt.shard);
  // Every run of a test has a plan position, and positions are 32-bit (the journal's).
  if (!selected.empty() && static_cast<std::size_t>(opt.repeat) > run_plan::max_size / selected.size()) {
    error = "argument --repeat: " + std::to_string(opt.repeat) + " runs of " + std::to_string(selected.size()) +
            " tests exceed " + std::to_string(run_plan::max_size) + " test runs";
    return usage_error(prog, error);
  }
  if (opt.shuffle) {
    if (!opt.seed_given) opt.seed = std::random_device{}() % 1000000000u;
    shuffle_tests(selected, opt.seed);
  }
  // The last run's cache, written only by a run of tests. Read now by a run that needs it before its tests
  // (--lf, --ff, -j N's longest-first order); any other reads it later (run(): in-process as its tests
  // start, supervised while the first worker runs them), and says then what was wrong with it.
  std::string cache_warning;
  if (const std::string path = last_run_cache::path_for(opt); !path.empty()) {
    if (opt.last_failed || opt.failed_first || (opt.jobs > 1 && !opt.isolate)) last_run().load(path, cache_warning);
    else last_run().defer_load(path);
  }
  std::vector<std::string> cache_notes;
  if (!cache_warning.empty()) cache_notes.insert(cache_notes.begin(), "assay: warning: " + cache_warning);
  apply_last_failed(selected, opt, last_run(), cache_notes);
  if (opt.list) {
    if (opt.last_failed || opt.failed_first)
      for (const std::string& note : cache_notes) std::fprintf(stderr, "%s\n", note.c_str());
    if (opt.list_ctest) {
      write_ctest_listing(stdout, selected);
      return exit_success;
    }
    for (const test_info* t : selected) {
      if (opt.verbosity < 2 || t->tags.empty()) {
        std::puts(t->id.c_str());  // (no copy of the id: ten thousand of them are listed in a few ms)
        continue;
      }
      std::string line = t->id + " (tags:";
      for (std::size_t i = 0; i < t->tags.size(); ++i) line.append(i ? ", " : " ").append(t->tags[i]);
      std::printf("%s)\n", line.c_str());
    }
    std::fflush(stdout);
    return exit_success;
  }
  if (!touch_shard_status_files(error)) {
    std::fprintf(stderr, "%s: error: %s\n", prog, error.c_str());
    return exit_usage;
  }
  // The report goes to its own handle on stderr, so that -b can redirect the tests' fd 2 and not ours.
  const int fd = ::dup(2);
  std::FILE* stream = fd >= 0 ? ::fdopen(fd, "w") : stderr;
  if (opt.shuffle) {
    std::fprintf(stream, "Using --shuffle=%llu\n", static_cast<unsigned long long>(opt.seed));
    std::fflush(stream);  // before the tests' own output, whatever process they run in
  }
  for (const std::string& note : cache_notes) std::fprintf(stream, "%s\n", note.c_str());
  std::fflush(stream);
  create_premature_exit_file();
  int status = run(opt, selected, stream);
  if (stream != stderr) std::fclose(stream);
  remove_premature_exit_file();
  // A shard left empty because there are more shards than tests is not "no tests selected".
  if (status == exit_no_tests && opt.shard.active() && selected_count > 0) status = exit_success;
  return status;
}

}  // namespace assay
