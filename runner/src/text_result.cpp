// unittest's text output: progress glyphs or verbose lines, then the error list, durations and summary.
#include <assay/text_result.hpp>

#include <stdio_ext.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <assay/detail/internal.hpp>
#include <assay/retry.hpp>
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
  return glyph == '.' ? ansi::green : std::strchr("sxRf", glyph) ? ansi::yellow : ansi::red;
}

}  // namespace

void run_counts::count(const test_event& e) {
  if (e.kind == event_kind::start_test) {
    ++run;
    return;
  }
  if (e.kind == event_kind::stop_test && !e.note.empty()) ++leaks;
  if (e.kind != event_kind::outcome && e.kind != event_kind::subtest) return;
  if (e.further) return;  // the test (or subtest) is counted already
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
// Every text of an event goes out by its length: a message may hold NUL bytes, written as they are.
void text_result::put(std::string_view text) { std::fwrite(text.data(), 1, text.size(), out_); }

void text_result::write_status(const test_event& e, std::string_view status, outcome result) {
  const bool is_subtest = e.kind == event_kind::subtest;
  if (is_subtest || newline_) {
    if (!newline_) std::fputc('\n', out_);
    if (is_subtest) std::fputs("  ", out_);
    put(describe(e));
    std::fputs(" ... ", out_);
  }
  colored(status, color_of(result));
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

void text_result::colored(std::string_view text, const char* color) {
  if (color_) std::fputs(color, out_);
  put(text);
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

void text_result::add_timing(const test_event& e) {
  // Slower first; the heap's top is the fastest (of equal ones the latest): the first to go.
  const auto ranks_before = [](const timing& a, const timing& b) {
    return a.seconds > b.seconds || (a.seconds == b.seconds && a.order < b.order);
  };
  const std::size_t order = timed_++;
  const std::size_t keep = durations_ > 0 ? static_cast<std::size_t>(durations_) : SIZE_MAX;
  if (timings_.size() == keep) {
    if (!(e.seconds > timings_.front().seconds)) return;  // not among the slowest (an equal one came first)
    std::pop_heap(timings_.begin(), timings_.end(), ranks_before);
    timings_.pop_back();
  }
  timings_.push_back(timing{e.seconds, order, describe(e)});
  std::push_heap(timings_.begin(), timings_.end(), ranks_before);
}

void text_result::on_passed(const test_info& t, double seconds) {
  // What the three events amount to in the dots and quiet modes without durations (and no rerun under way).
  if (verbosity_ >= 2 || durations_ >= 0 || attempts().attempt() > 1) return result::on_passed(t, seconds);
  ++counts_.run;
  ++counts_.successes;
  if (verbosity_ == 1) glyph('.');
}

// --retries: the events of an attempt that is not the test's last word. True when `e` is handled.
bool text_result::on_attempt(const test_event& e) {
  const attempt_tracker& a = attempts();
  const bool verbose = verbosity_ >= 2, dots = verbosity_ == 1;
  switch (e.kind) {
    case event_kind::stop_run: give_up_reruns(); return false;
    case event_kind::start_test:
      if (e.test != a.test() || a.attempt() == 1) {
        give_up_reruns();
        return false;
      }
      if (verbose) {  // a rerun: shown again, counted once
        put(describe(e));
        std::fputs(" ... ", out_);
        std::fflush(out_);
        newline_ = false;
      }
      return true;
    case event_kind::outcome:
    case event_kind::subtest:
      // A failed attempt with attempts left is no result: what it says waits, its progress says RERUN.
      if (a.may_rerun(e.test) && (e.result == outcome::failure || e.result == outcome::error)) {
        hold(e);
        rerun_ = true;
      }
      if (rerun_ && a.may_rerun(e.test)) return true;
      if (e.kind == event_kind::outcome && e.result == outcome::success && e.test == a.test() && a.attempt() > 1)
        flaky_pass_ = true;
      return false;
    case event_kind::stop_test:
      if (rerun_) {
        rerun_ = false;
        passed_ = false;
        if (verbose) write_status(e, "RERUN", outcome::skipped);
        else if (dots) glyph('R');
        return true;
      }
      if (e.test == a.test() && a.attempt() > 1) {
        // The last attempt decides: a pass keeps the failed attempts' messages, anything else drops them.
        for (held_problem& h : held_)
          if (h.test == e.test && flaky_pass_)
            flaky_.emplace_back(h.description + ", attempt " + std::to_string(h.attempt) + " of " +
                                    std::to_string(a.retries(*e.test) + 1),
                                std::move(h.traceback));
        held_.erase(std::remove_if(held_.begin(), held_.end(), [&](const held_problem& h) { return h.test == e.test; }),
                    held_.end());
        if (flaky_pass_ && passed_) {
          flaky_pass_ = passed_ = false;
          ++counts_.flaky;
          if (verbose) write_status(e, "FLAKY", outcome::skipped);
          else if (dots) glyph('f');
          if (durations_ >= 0) add_timing(e);
          return true;
        }
        if (flaky_pass_) ++counts_.flaky;  // quiet
        flaky_pass_ = false;
      }
      return false;
    case event_kind::start_run: return false;
  }
  return false;
}

void text_result::hold(const test_event& e) {
  std::string text = format_traceback(e, traceback_);
  const bool blocks = traceback_ == traceback_style::long_ || traceback_ == traceback_style::short_;
  if (blocks && !e.out.empty()) text += "\nStdout:\n" + e.out + (e.out.back() == '\n' ? "" : "\n");
  if (blocks && !e.err.empty()) text += "\nStderr:\n" + e.err + (e.err.back() == '\n' ? "" : "\n");
  held_.push_back(held_problem{e.test, attempts().attempt(), e.result == outcome::error, describe(e), std::move(text)});
}

// A rerun that never came (the run stopped first, or the test's setUpClass failed on the rerun): its last
// failed attempt is its result.
void text_result::give_up_reruns() {
  if (held_.empty()) return;
  const test_info* test = held_.back().test;
  const unsigned last = held_.back().attempt;
  for (held_problem& h : held_) {
    if (h.test != test || h.attempt != last) continue;
    ++(h.error ? counts_.errors : counts_.failures);
    (h.error ? errors_ : failures_).emplace_back(std::move(h.description), std::move(h.traceback));
    if (failfast_) stop_ = true;
  }
  held_.clear();
}

void text_result::on_event(const test_event& e) {
  if (on_attempt(e)) return;
  counts_.count(e);
  const bool verbose = verbosity_ >= 2, dots = verbosity_ == 1;
  switch (e.kind) {
    case event_kind::start_run: return;
    case event_kind::stop_run: return print_summary(e.seconds);
    case event_kind::start_test:
      if (verbose) {
        put(describe(e));
        std::fputs(" ... ", out_);
        std::fflush(out_);
        newline_ = false;
      }
      return;
    case event_kind::stop_test:
      // A pass is shown at the test's stop, when the report (fed first) has recorded the whole test.
      if (passed_) {
        passed_ = false;
        if (verbose) write_status(e, "ok", outcome::success);
        else if (dots) glyph('.');
      }
      if (durations_ >= 0) add_timing(e);
      return;
    case event_kind::outcome:
    case event_kind::subtest: break;
  }
  const bool subtest = e.kind == event_kind::subtest;
  switch (e.result) {
    case outcome::success:
      if (subtest) return;  // passing subtests print nothing, as in unittest
      passed_ = verbose || dots;
      return;
    case outcome::failure:
    case outcome::error:
      add_problem(e);
      if (e.further) return;  // a block of its own; the test shows once
      if (verbose) write_status(e, e.result == outcome::failure ? "FAIL" : "ERROR", e.result);
      else if (dots) glyph(e.result == outcome::failure ? 'F' : 'E');
      return;
    case outcome::skipped:
      if (verbose) write_status(e, "skipped " + detail::python_str_repr(e.message), e.result);  // {reason!r}
      else if (dots) glyph('s');
      return;
    case outcome::expected_failure:
      if (verbose) write_status(e, "expected failure", e.result);
      else if (dots) glyph('x');
      return;
    case outcome::unexpected_success:
      unexpected_.push_back(describe(e));
      if (failfast_) stop_ = true;
      if (verbose) write_status(e, "unexpected success", e.result);
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
      if (traceback_ == traceback_style::line) put(traceback);
      if (traceback_ == traceback_style::line || traceback_ == traceback_style::no) continue;
      std::fprintf(out_, "%s\n%s: ", separator1, flavour);
      put(description);
      std::fprintf(out_, "\n%s\n", separator2);
      put(traceback);
      std::fputc('\n', out_);
    }
  }
  // A flaky test passed: its failed attempts follow the errors, as pytest-rerunfailures lists its reruns.
  for (const auto& [description, traceback] : flaky_) {
    if (traceback_ == traceback_style::line || traceback_ == traceback_style::no) break;
    std::fprintf(out_, "%s\nFLAKY: ", separator1);
    put(description);
    std::fprintf(out_, "\n%s\n", separator2);
    put(traceback);
    std::fputc('\n', out_);
  }
  if (!unexpected_.empty()) {
    std::fprintf(out_, "%s\n", separator1);
    for (const std::string& d : unexpected_) {
      std::fputs("UNEXPECTED SUCCESS: ", out_);
      put(d);
      std::fputc('\n', out_);
    }
  }
  if (part_) part_(out_, part_context_);
  if (durations_ >= 0 && !timings_.empty()) {
    std::sort(timings_.begin(), timings_.end(), [](const timing& a, const timing& b) {
      return a.seconds > b.seconds || (a.seconds == b.seconds && a.order < b.order);
    });
    std::fprintf(out_, "Slowest test durations\n%s\n", separator2);
    bool hidden = false;
    for (const timing& t : timings_) {
      if (verbosity_ < 2 && t.seconds < 0.001) {
        hidden = true;
        continue;
      }
      char time[32];
      std::snprintf(time, sizeof time, "%.3fs", t.seconds);
      std::fprintf(out_, "%-10s ", time);
      put(t.description);
      std::fputc('\n', out_);
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
  info("flaky", c.flaky);
  info("leaks", c.leaks);
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
