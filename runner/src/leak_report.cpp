// --leaks and --memory: which test leaves memory allocated, and where it was allocated, in tracemalloc's
// words (Snapshot.compare_to(…, 'lineno'), then the biggest one's traceback).
#include <assay/leak_report.hpp>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>

#include <assay/allocations.hpp>
#include <assay/detail/internal.hpp>
#include <assay/execution.hpp>

namespace assay {

namespace allocations = detail::allocations;

namespace {

constexpr std::size_t top_sites = 10;  // as tracemalloc's examples show the top 10

// The blocks a test left: those of threads that have ended or of the test's own thread. A thread the test
// started and that still runs keeps its blocks for its own use: not a leak of the test (yet).
struct leftovers {
  int test_thread;
  std::map<int, bool> alive;  // by thread id, asked once each
  std::uint64_t bytes = 0, blocks = 0;
  std::map<std::vector<std::uintptr_t>, std::pair<std::uint64_t, std::uint64_t>> by_stack;  // size, count
};

bool still_running(leftovers& l, int thread) {
  if (thread == l.test_thread) return false;
  if (thread == allocations::thread_not_started) return true;
  auto it = l.alive.find(thread);
  if (it == l.alive.end())
    it = l.alive.emplace(thread, ::syscall(SYS_tgkill, ::getpid(), thread, 0) == 0).first;
  return it->second;
}

void gather(const allocations::live_block& b, void* context) {
  // (Runs with the table locked: no allocation may count, and none does, the thread being paused.)
  auto& l = *static_cast<leftovers*>(context);
  if (still_running(l, b.thread)) return;
  l.bytes += b.size;
  ++l.blocks;
  if (b.pcs) {
    auto& [size, count] = l.by_stack[std::vector<std::uintptr_t>(b.pcs, b.pcs + b.count)];
    size += b.size;
    ++count;
  }
}

leftovers collect() {
  const allocations::pause pause;
  leftovers l{allocations::thread_id(), {}, 0, 0, {}};
  allocations::for_each_live(gather, &l);
  return l;
}

bool in_runtime(std::uintptr_t pc) {
  Dl_info info{};
  if (!::dladdr(reinterpret_cast<const void*>(pc - 1), &info) || !info.dli_fname) return false;
  const char* base = std::strrchr(info.dli_fname, '/');
  base = base ? base + 1 : info.dli_fname;
  for (const char* prefix : {"libc.so", "libstdc++.so", "libgcc_s.so", "ld-linux", "libc++.so", "libc++abi.so", "libm.so"})
    if (std::strncmp(base, prefix, std::strlen(prefix)) == 0) return true;
  return false;
}

// The frames of a stack as format_traceback shows them, without its first and last lines.
std::string format_frames(const std::vector<detail::frame>& frames) {
  test_event e;
  for (const detail::frame& f : frames) e.frames += f.file + "\t" + std::to_string(f.line) + "\t" + f.function + "\n";
  e.type = "-";
  std::string text = format_traceback(e);
  const std::size_t first = text.find('\n') + 1, last = text.rfind("\n-");
  return last == std::string::npos || last < first ? std::string() : text.substr(first, last + 1 - first);
}

std::string statistic(const std::string& where, std::uint64_t size, std::uint64_t count) {
  // StatisticDiff.__str__: against the snapshot before the second run, size and its difference are one.
  std::string s = where + ": size=" + format_size(static_cast<double>(size), false) + " (" +
                  format_size(static_cast<double>(size), true) + "), count=" + std::to_string(count) + " (+" +
                  std::to_string(count) + ")";
  if (count) s += ", average=" + format_size(static_cast<double>(size) / static_cast<double>(count), false);
  return s + "\n";
}

std::string report(leftovers& l, const allocations::totals& second) {
  struct site {
    std::uint64_t size = 0, count = 0;
    std::uint64_t biggest = 0;  // the size of the traceback shown
    std::vector<detail::frame> frames;
  };
  std::map<std::string, site> sites;
  std::map<std::uintptr_t, bool> standard;  // by return address: in the C or C++ runtime's objects
  for (const auto& [all, figures] : l.by_stack) {
    // The allocator's and the runtimes' own frames (std::string's, a thread's start) are not the site.
    std::vector<std::uintptr_t> pcs;
    for (const std::uintptr_t pc : all) {
      auto it = standard.find(pc);
      if (it == standard.end()) it = standard.emplace(pc, in_runtime(pc)).first;
      if (!it->second) pcs.push_back(pc);
    }
    std::vector<detail::frame> frames = detail::symbolize_addresses(pcs.data(), static_cast<int>(pcs.size()));
    // Keyed by the innermost frame that is neither assay's nor the standard library's (nor unknown).
    std::erase_if(frames, [](const detail::frame& f) { return f.file.empty(); });
    const std::string key = frames.empty() ? std::string("<unknown>")
                                           : frames.back().file + ":" + std::to_string(frames.back().line);
    site& s = sites[key];
    s.size += figures.first;
    s.count += figures.second;
    if (figures.first > s.biggest) {
      s.biggest = figures.first;
      s.frames = std::move(frames);
    }
  }
  std::vector<std::pair<std::string, site>> ranked(sites.begin(), sites.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second.size > b.second.size || (a.second.size == b.second.size && a.second.count > b.second.count);
  });
  // tracemalloc's snapshots around the second run: what it allocated and left, less what it freed of the
  // first run's blocks.
  std::string out = "Leaked " + format_size(static_cast<double>(l.bytes - second.freed_earlier_bytes), false) +
                    ": a second run of the test left " + format_size(static_cast<double>(l.bytes), false) + " in " +
                    std::to_string(l.blocks) + (l.blocks == 1 ? " block" : " blocks");
  if (second.freed_earlier_blocks)
    out += " and freed " + format_size(static_cast<double>(second.freed_earlier_bytes), false) + " of the first run's";
  out += ":\n";
  for (std::size_t i = 0; i < ranked.size() && i < top_sites; ++i) {
    out += statistic(ranked[i].first, ranked[i].second.size, ranked[i].second.count);
    out += format_frames(ranked[i].second.frames);
  }
  if (ranked.size() > top_sites) {
    const std::size_t more = ranked.size() - top_sites;
    out += "… and " + std::to_string(more) + (more == 1 ? " more place\n" : " more places\n");
  }
  return out;
}

// What the second run leaves of the run's results: whether it passed.
class quiet_result : public result {
 public:
  void on_event(const test_event& e) override {
    if (e.kind == event_kind::outcome && e.result == outcome::success) passed = true;
    if (e.kind != event_kind::start_test && e.kind != event_kind::stop_test && e.result != outcome::success)
      failed = true;
  }
  bool passed = false, failed = false;
};

}  // namespace

std::string format_size(double size, bool sign) {
  // tracemalloc._format_size.
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  char text[64] = "";
  for (const char* unit : units) {
    const bool last = unit == units[4];
    if (std::fabs(size) < 100 && unit != units[0]) {
      std::snprintf(text, sizeof text, sign ? "%+.1f %s" : "%.1f %s", size, unit);
      return text;
    }
    if (std::fabs(size) < 10 * 1024 || last) {
      std::snprintf(text, sizeof text, sign ? "%+.0f %s" : "%.0f %s", size, unit);
      return text;
    }
    size /= 1024;
  }
  return text;
}

void leak_watch::forward(const test_event& e) {
  const allocations::pause pause;  // what the results keep of an event is the framework's
  inner_.on_event(e);
}

std::string leak_watch::second_run(const test_info& t) {
  // The test's output was seen once: the second run's goes nowhere.
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = ::dup(1), saved_err = ::dup(2), null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, 1);
    ::dup2(null, 2);
  }
  quiet_result quiet;
  // The first run's blocks stay known: one the second run frees (a cache entry replaced) offsets a new one.
  allocations::start(true, true);
  run_test(t, quiet);
  allocations::stop();
  const allocations::totals second = allocations::figures();
  std::fflush(stdout);
  std::fflush(stderr);
  if (null >= 0) {
    if (saved_out >= 0) ::dup2(saved_out, 1);
    if (saved_err >= 0) ::dup2(saved_err, 2);
    ::close(null);
  }
  if (saved_out >= 0) ::close(saved_out);
  if (saved_err >= 0) ::close(saved_err);
  if (!quiet.passed || quiet.failed) return {};  // a second run that does not pass tells nothing sure
  leftovers l = collect();
  // Nothing left, or no more than the second run freed of the first's: lazy statics and caches.
  if (l.blocks == 0 || l.bytes <= second.freed_earlier_bytes) return {};
  const allocations::pause pause;
  return report(l, second);
}

void leak_watch::on_event(const test_event& e) {
  const bool ours = e.test && e.test->kind == test_info::test;
  switch (e.kind) {
    case event_kind::start_test:
      forward(e);
      if (!ours) return;
      running_ = e.test;
      held_ = false;
      checked_ = true;
      allocations::start(false);
      return;
    case event_kind::outcome:
    case event_kind::subtest:
      if (e.test == running_ && e.kind == event_kind::outcome && e.result == outcome::success && !held_) {
        const allocations::pause pause;
        success_ = e;
        held_ = true;
        return;
      }
      if (e.test == running_ && e.result != outcome::success) checked_ = false;
      forward(e);
      return;
    case event_kind::stop_test: {
      if (e.test != running_ || !running_) return forward(e);
      allocations::stop();
      running_ = nullptr;
      const allocations::totals first = allocations::figures();
      std::string leaked;
      if (mode_ != leak_mode::off && held_ && checked_ && first.live_blocks > 0 && collect().blocks > 0)
        leaked = second_run(*e.test);
      const allocations::pause pause;
      test_event stop = e;
      if (memory_) {
        stop.peak_bytes = first.peak_bytes;
        stop.allocations = first.allocations;
      }
      if (!leaked.empty() && mode_ == leak_mode::fail) {
        test_event failure;
        failure.kind = event_kind::outcome;
        failure.test = e.test;
        failure.result = outcome::failure;
        failure.type = "LeakError";
        if (!leaked.empty() && leaked.back() == '\n') leaked.pop_back();  // the block ends the line itself
        failure.message = std::move(leaked);
        failure.file = e.test->file;
        failure.line = e.test->line;
        failure.function = e.test->method;
        inner_.on_event(failure);
      } else {
        if (held_) inner_.on_event(success_);
        if (!leaked.empty()) stop.note = std::move(leaked);
      }
      held_ = false;
      inner_.on_event(stop);
      return;
    }
    case event_kind::start_run:
    case event_kind::stop_run: forward(e); return;
  }
}

void leak_summary::on_event(const test_event& e) {
  if (e.kind != event_kind::stop_test || !e.test) return;
  if (!e.note.empty()) notes_.emplace_back(e.test->description(), e.note);
  if (memory_ < 0) return;
  figures_.push_back(figure{e.peak_bytes, e.allocations, order_++, e.test->description()});
  // Only the N first are kept (all with N = 0): a long run (--repeat) does not grow with its tests.
  const auto ranks_before = [](const figure& a, const figure& b) {
    return a.peak > b.peak || (a.peak == b.peak && (a.count > b.count || (a.count == b.count && a.order < b.order)));
  };
  std::stable_sort(figures_.begin(), figures_.end(), ranks_before);
  if (memory_ > 0 && figures_.size() > static_cast<std::size_t>(memory_)) figures_.resize(static_cast<std::size_t>(memory_));
}

void leak_summary::print(std::FILE* out, void* context) {
  auto& self = *static_cast<leak_summary*>(context);
  static const char separator1[] = "======================================================================";
  static const char separator2[] = "----------------------------------------------------------------------";
  for (const auto& [description, text] : self.notes_) {
    std::fprintf(out, "%s\nLEAK: ", separator1);
    std::fwrite(description.data(), 1, description.size(), out);
    std::fprintf(out, "\n%s\n", separator2);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fputc('\n', out);
  }
  if (self.memory_ < 0 || self.figures_.empty()) return;
  std::fprintf(out, "Largest test allocations (peak bytes outstanding, allocations)\n%s\n", separator2);
  for (const figure& f : self.figures_) {
    const std::string peak = format_size(static_cast<double>(f.peak), false);
    std::fprintf(out, "%-10s %-10llu ", peak.c_str(), f.count);
    std::fwrite(f.description.data(), 1, f.description.size(), out);
    std::fputc('\n', out);
  }
  std::fputc('\n', out);
}

std::string leak_check_unavailable(leak_mode mode, int memory) {
  if (mode == leak_mode::off && memory < 0) return {};
  const char* why = allocations::unavailable();
  if (!why) return {};
  const std::string what = mode != leak_mode::off ? "--leaks" : "--memory";
  const std::string owner = why;
  const char* instead = owner == "valgrind"          ? "; valgrind's memcheck reports leaks"
                        : owner == "AddressSanitizer" || owner == "LeakSanitizer" ? "; LeakSanitizer reports leaks"
                                                                                   : "";
  return "assay: " + what + ": off under " + owner + ", which owns the allocator" + instead;
}

}  // namespace assay
