// unittest's text output: progress glyphs or verbose lines, then the error list, durations and summary.
#include <assay/text_result.hpp>

#include <stdio_ext.h>

#include <algorithm>
#include <cstring>

#include <assay/supervisor.hpp>
#include <assay/terminal.hpp>

namespace assay {

namespace {

const char* const separator1 = "======================================================================";
const char* const separator2 = "----------------------------------------------------------------------";

// The colour of a status word or glyph, as Python 3.14's unittest colours them.
const char* color_of(outcome o) {
  switch (o) {
    case outcome::success: return ansi::green;
    case outcome::skipped:
    case outcome::expected_failure: return ansi::yellow;
    default: return ansi::red;
  }
}

const char* color_of(char glyph) {
  return glyph == '.' ? ansi::green : std::strchr("sx", glyph) ? ansi::yellow : ansi::red;
}

}  // namespace

void run_counts::count(const test_event& e) {
  if (e.kind == event_kind::start_test) {
    ++run;
    return;
  }
  if (e.kind != event_kind::outcome && e.kind != event_kind::subtest) return;
  switch (e.result) {
    case outcome::success:
      if (e.kind == event_kind::outcome) ++successes;
      break;
    case outcome::failure: ++failures; break;
    case outcome::error: ++errors; break;
    case outcome::skipped: ++skipped; break;
    case outcome::expected_failure: ++expected_failures; break;
    case outcome::unexpected_success: ++unexpected_successes; break;
  }
}

text_result::text_result(std::FILE* stream, int verbosity, bool failfast, int durations)
    : out_(stream), verbosity_(verbosity), failfast_(failfast), durations_(durations) {}

std::string text_result::describe(const test_event& e) const {
  std::string d = e.test ? e.test->description() : std::string();
  if (e.kind == event_kind::subtest) d += " " + e.subtest;
  return d;
}

// unittest's _write_status: a subtest or a line already ended gets its description written first.
void text_result::write_status(const test_event& e, const char* status) {
  const bool is_subtest = e.kind == event_kind::subtest;
  if (is_subtest || newline_) {
    if (!newline_) std::fputc('\n', out_);
    if (is_subtest) std::fputs("  ", out_);
    std::fputs(describe(e).c_str(), out_);
    std::fputs(" ... ", out_);
  }
  colored(status, color_of(e.result));
  std::fputc('\n', out_);
  std::fflush(out_);
  newline_ = true;
}

void text_result::glyph(char c) {
  char text[32];
  std::size_t size = 0;
  const auto put = [&](const char* s) {
    const std::size_t n = std::strlen(s);
    std::memcpy(text + size, s, n);
    size += n;
  };
  if (color_) put(color_of(c));
  text[size++] = c;
  if (color_) put(ansi::reset);
  // Straight to the gate when the stream holds nothing: a stream flush per test costs more than the test.
  if (gate_ && ::__fpending(out_) == 0) {
    gate_->accept(text, size);
  } else {
    std::fwrite(text, 1, size, out_);
    std::fflush(out_);
  }
  // Anything but a pass goes out at once: -b echoes a failing test's output right after its glyph.
  if (gate_ && c != '.') gate_->flush_pending();
}

void text_result::colored(const char* text, const char* color) {
  if (color_) std::fputs(color, out_);
  std::fputs(text, out_);
  if (color_) std::fputs(ansi::reset, out_);
}

void text_result::add_problem(const test_event& e) {
  std::string text = format_traceback(e, traceback_);
  const bool blocks = traceback_ == traceback_style::long_ || traceback_ == traceback_style::short_;
  if (blocks && !e.out.empty()) text += "\nStdout:\n" + e.out + (e.out.back() == '\n' ? "" : "\n");
  if (blocks && !e.err.empty()) text += "\nStderr:\n" + e.err + (e.err.back() == '\n' ? "" : "\n");
  (e.result == outcome::failure ? failures_ : errors_).emplace_back(describe(e), std::move(text));
  if (failfast_) stop_ = true;
}

void text_result::on_passed(const test_info& t, double seconds) {
  // What the three events amount to in the dots and quiet modes without durations.
  if (verbosity_ >= 2 || durations_ >= 0) return result::on_passed(t, seconds);
  ++counts_.run;
  ++counts_.successes;
  if (verbosity_ == 1) glyph('.');
}

void text_result::on_event(const test_event& e) {
  counts_.count(e);
  const bool verbose = verbosity_ >= 2, dots = verbosity_ == 1;
  switch (e.kind) {
    case event_kind::start_run: return;
    case event_kind::stop_run: return print_summary(e.seconds);
    case event_kind::start_test:
      if (verbose) {
        std::fputs(describe(e).c_str(), out_);
        std::fputs(" ... ", out_);
        std::fflush(out_);
        newline_ = false;
      }
      return;
    case event_kind::stop_test:
      if (durations_ >= 0) timings_.emplace_back(e.seconds, describe(e));
      return;
    case event_kind::outcome:
    case event_kind::subtest: break;
  }
  const bool subtest = e.kind == event_kind::subtest;
  switch (e.result) {
    case outcome::success:
      if (subtest) return;  // passing subtests print nothing, as in unittest
      if (verbose) write_status(e, "ok");
      else if (dots) glyph('.');
      return;
    case outcome::failure:
    case outcome::error:
      add_problem(e);
      if (verbose) write_status(e, e.result == outcome::failure ? "FAIL" : "ERROR");
      else if (dots) glyph(e.result == outcome::failure ? 'F' : 'E');
      return;
    case outcome::skipped:
      if (verbose) write_status(e, ("skipped '" + e.message + "'").c_str());
      else if (dots) glyph('s');
      return;
    case outcome::expected_failure:
      if (verbose) write_status(e, "expected failure");
      else if (dots) glyph('x');
      return;
    case outcome::unexpected_success:
      unexpected_.push_back(describe(e));
      if (failfast_) stop_ = true;
      if (verbose) write_status(e, "unexpected success");
      else if (dots) glyph('u');
      return;
  }
}

void text_result::print_summary(double seconds) {
  if (verbosity_ >= 1) std::fputc('\n', out_);
  for (auto* list : {&errors_, &failures_}) {
    const char* flavour = list == &errors_ ? "ERROR" : "FAIL";
    for (const auto& [description, traceback] : *list) {
      // --tb=line: pytest's one line per failure; --tb=no: only the summary.
      if (traceback_ == traceback_style::line) std::fputs(traceback.c_str(), out_);
      if (traceback_ == traceback_style::line || traceback_ == traceback_style::no) continue;
      std::fprintf(out_, "%s\n%s: %s\n%s\n%s\n", separator1, flavour, description.c_str(), separator2,
                   traceback.c_str());
    }
  }
  if (!unexpected_.empty()) {
    std::fprintf(out_, "%s\n", separator1);
    for (const std::string& d : unexpected_) std::fprintf(out_, "UNEXPECTED SUCCESS: %s\n", d.c_str());
  }
  if (durations_ >= 0 && !timings_.empty()) {
    std::stable_sort(timings_.begin(), timings_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (durations_ > 0 && timings_.size() > static_cast<std::size_t>(durations_)) timings_.resize(durations_);
    std::fprintf(out_, "Slowest test durations\n%s\n", separator2);
    bool hidden = false;
    for (const auto& [elapsed, description] : timings_) {
      if (verbosity_ < 2 && elapsed < 0.001) {
        hidden = true;
        continue;
      }
      char time[32];
      std::snprintf(time, sizeof time, "%.3fs", elapsed);
      std::fprintf(out_, "%-10s %s\n", time, description.c_str());
    }
    std::fputs(hidden ? "\n(durations < 0.001s were hidden; use -v to show these durations)\n" : "\n", out_);
  }
  const run_counts& c = counts_;
  std::fprintf(out_, "%s\nRan %zu test%s in %.3fs\n\n", separator2, c.run, c.run == 1 ? "" : "s", seconds);
  std::string infos;
  auto info = [&](const char* name, std::size_t n) {
    if (n) infos += (infos.empty() ? "" : ", ") + std::string(name) + "=" + std::to_string(n);
  };
  if (!c.successful()) {
    info("failures", c.failures);
    info("errors", c.errors);
  }
  info("skipped", c.skipped);
  info("expected failures", c.expected_failures);
  info("unexpected successes", c.unexpected_successes);
  const char* status = !c.successful() ? "FAILED" : (c.run == 0 && c.skipped == 0) ? "NO TESTS RAN" : "OK";
  colored(status, !c.successful() ? ansi::bold_red : *status == 'N' ? ansi::yellow : ansi::bold_green);
  if (infos.empty()) {
    std::fputc('\n', out_);
  } else {
    std::fprintf(out_, " (%s)\n", infos.c_str());
  }
  std::fflush(out_);
}

}  // namespace assay
