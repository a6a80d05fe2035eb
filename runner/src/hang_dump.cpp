// A hung worker's threads, stopped and unwound by its supervisor before the kill, as `eu-stack -p` does.
// ptrace from the parent works whatever state the worker is wedged in (a lock held inside malloc, signals
// blocked, a thread in a system call), where a signal handler in the worker might never run or could not
// unwind safely; the worker needs no code of its own for it.
#include <assay/hang_dump.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <assay/detail/internal.hpp>

#ifdef ASSAY_HAVE_LIBDW
#include <elfutils/libdwfl.h>
#endif

namespace assay {

#ifdef ASSAY_HAVE_LIBDW
namespace {

constexpr std::size_t max_frames = 64;  // a corrupt stack must not loop the unwinder

struct thread_stack {
  pid_t tid = 0;
  bool seized = false;
  bool stopped = false;
  bool gone = false;                // exited meanwhile (reaped by the wait)
  int error = 0;                    // why PTRACE_SEIZE failed
  std::vector<std::uintptr_t> pcs;  // the worker's return addresses, innermost first
};

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::vector<pid_t> list_threads(pid_t pid) {
  std::vector<pid_t> tids;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/task", static_cast<int>(pid));
  DIR* dir = ::opendir(path);
  if (!dir) return tids;
  while (const dirent* entry = ::readdir(dir)) {
    const int tid = std::atoi(entry->d_name);
    if (tid > 0) tids.push_back(tid);
  }
  ::closedir(dir);
  std::sort(tids.begin(), tids.end());
  return tids;
}

// Seizes and interrupts the threads not yet seen; false when there was none (threads a running thread
// starts meanwhile are found by the next call).
bool seize_new_threads(pid_t pid, std::vector<thread_stack>& threads) {
  bool added = false;
  for (const pid_t tid : list_threads(pid)) {
    if (std::any_of(threads.begin(), threads.end(), [&](const thread_stack& t) { return t.tid == tid; })) continue;
    thread_stack t;
    t.tid = tid;
    if (::ptrace(PTRACE_SEIZE, tid, nullptr, nullptr) == 0) {
      t.seized = true;
      ::ptrace(PTRACE_INTERRUPT, tid, nullptr, nullptr);
    } else {
      t.error = errno;
    }
    threads.push_back(std::move(t));
    added = true;
  }
  return added;
}

// Waits until every seized thread has stopped (or exited); false at the deadline.
bool await_stops(std::vector<thread_stack>& threads, std::int64_t deadline_ns) {
  for (;;) {
    bool waiting = false;
    for (thread_stack& t : threads) {
      if (!t.seized || t.stopped || t.gone) continue;
      int status = 0;
      const pid_t got = ::waitpid(t.tid, &status, __WALL | WNOHANG);
      if (got == t.tid) {
        if (WIFSTOPPED(status)) t.stopped = true;
        else t.gone = true;
      } else if (got < 0 && errno != EINTR) {
        t.gone = true;
      }
      waiting = waiting || (!t.stopped && !t.gone);
    }
    if (!waiting) return true;
    if (now_ns() >= deadline_ns) return false;
    const timespec pause{0, 1000000};
    ::nanosleep(&pause, nullptr);
  }
}

// Kills the worker's group and reaps the threads still traced (a traced thread that dies waits for its
// tracer, and the worker cannot be reaped before its threads): a thread that never stopped for the dump.
void kill_traced(pid_t pid, std::vector<thread_stack>& threads) {
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  const std::int64_t deadline_ns = now_ns() + 1000000000;
  for (bool waiting = true; waiting && now_ns() < deadline_ns;) {
    waiting = false;
    for (thread_stack& t : threads) {
      if (!t.seized || t.gone) continue;
      int status = 0;
      const pid_t got = ::waitpid(t.tid, &status, __WALL | WNOHANG);
      if ((got == t.tid && !WIFSTOPPED(status)) || (got < 0 && errno != EINTR)) t.gone = true;
      waiting = waiting || !t.gone;
    }
    const timespec pause{0, 1000000};
    if (waiting) ::nanosleep(&pause, nullptr);
  }
}

// The mappings of a process's files: the lowest address of each, and the file of every mapped range.
struct mappings {
  std::map<std::string, std::uintptr_t> base;
  struct range {
    std::uintptr_t start, end;
    std::string file;
  };
  std::vector<range> ranges;

  explicit mappings(const char* path) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      unsigned long long start = 0, end = 0;
      int name_at = 0;
      if (std::sscanf(line.c_str(), "%llx-%llx %*s %*s %*s %*s %n", &start, &end, &name_at) < 2 || name_at <= 0)
        continue;
      std::string file = line.substr(static_cast<std::size_t>(name_at));
      if (file.empty() || file[0] != '/') continue;  // anonymous memory, [stack], [vdso]: no code of a file
      ranges.push_back({static_cast<std::uintptr_t>(start), static_cast<std::uintptr_t>(end), file});
      auto [it, inserted] = base.emplace(file, static_cast<std::uintptr_t>(start));
      if (!inserted) it->second = std::min<std::uintptr_t>(it->second, static_cast<std::uintptr_t>(start));
    }
  }
};

// The C and C++ runtimes and other system libraries: their frames (libc's read, pthread's start_thread,
// __libc_start_main) say nothing about the test, and libc's debug information would name them all.
bool is_system_library(const std::string& file) {
  for (const char* dir : {"/usr/lib/", "/usr/lib64/", "/lib/", "/lib64/"})
    if (file.rfind(dir, 0) == 0) return true;
  return false;
}

// The worker's addresses as this process's: the same file at its offset here. A forked worker has this
// process's layout; a worker started through exec has its own (ASLR). Addresses of system libraries and of
// files not loaded here are dropped.
std::vector<std::uintptr_t> relocate(const std::vector<std::uintptr_t>& pcs, const mappings& worker,
                                     const mappings& own) {
  std::vector<std::uintptr_t> out;
  for (const std::uintptr_t pc : pcs) {
    const std::uintptr_t at = pc - 1;  // a return address belongs to the call before it
    for (const mappings::range& r : worker.ranges) {
      if (at < r.start || at >= r.end) continue;
      if (is_system_library(r.file)) break;
      const auto here = own.base.find(r.file);
      if (here != own.base.end()) out.push_back(pc - worker.base.at(r.file) + here->second);
      break;
    }
  }
  return out;
}

int take_frame(Dwfl_Frame* state, void* arg) {
  auto& pcs = *static_cast<std::vector<std::uintptr_t>*>(arg);
  Dwarf_Addr pc = 0;
  bool activation = false;
  if (!dwfl_frame_pc(state, &pc, &activation)) return DWARF_CB_ABORT;
  // Where an interrupted thread was is the instruction itself, not a return address: one past it reads
  // as one.
  pcs.push_back(static_cast<std::uintptr_t>(activation ? pc + 1 : pc));
  return pcs.size() < max_frames ? DWARF_CB_OK : DWARF_CB_ABORT;
}

// The stopped threads' stacks, read through libdw (its unwinder follows the CFI of every loaded object).
void unwind(pid_t pid, std::vector<thread_stack>& threads) {
  static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo, nullptr,
                                           nullptr};
  Dwfl* d = dwfl_begin(&callbacks);
  if (!d) return;
  dwfl_report_begin(d);
  const int failed = dwfl_linux_proc_report(d, pid);
  dwfl_report_end(d, nullptr, nullptr);
  // The threads are already stopped, by this process: libdw only reads them.
  if (failed == 0 && dwfl_linux_proc_attach(d, pid, true) == 0) {
    for (thread_stack& t : threads)
      if (t.stopped) dwfl_getthread_frames(d, t.tid, take_frame, &t.pcs);
  }
  dwfl_end(d);
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return text;
}

std::string format_threads(pid_t pid, std::vector<thread_stack>& threads, const std::string& running) {
  // The test's thread first (the worker runs tests on its main thread), the others as they were created.
  std::stable_partition(threads.begin(), threads.end(), [&](const thread_stack& t) { return t.tid == pid; });
  const mappings worker(("/proc/" + std::to_string(pid) + "/maps").c_str());
  const mappings own("/proc/self/maps");
  std::string out;
  int number = 0;
  for (const thread_stack& t : threads) {
    if (t.gone) continue;
    if (!out.empty()) out += "\n";
    out += "Thread " + std::to_string(++number) + " (LWP " + std::to_string(t.tid) + ")";
    if (t.tid == pid) out += ", running " + running;
    if (!t.seized) {
      out += ": not stopped: ptrace: " + std::string(std::strerror(t.error)) + "\n";
      continue;
    }
    out += " (most recent call first):\n";
    const std::vector<std::uintptr_t> pcs = relocate(t.pcs, worker, own);
    const std::vector<detail::frame> frames = detail::symbolize_addresses(pcs.data(), static_cast<int>(pcs.size()));
    for (std::size_t i = frames.size(); i-- > 0;) out += detail::format_frame(frames[i]);
    if (frames.empty()) out += "  (no frames outside the framework and the system's libraries)\n";
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace
#endif

std::string dump_hung_worker(pid_t pid, double deadline_seconds, const std::string& running) {
#ifndef ASSAY_HAVE_LIBDW
  (void)pid;
  (void)deadline_seconds;
  (void)running;
  return "(no thread stacks: assay was built without libdw)";
#else
  const std::int64_t deadline_ns = now_ns() + static_cast<std::int64_t>(deadline_seconds * 1e9);
  std::vector<thread_stack> threads;
  bool stopped = true;
  // Threads started while the others stop are stopped too (a few rounds: a thread starting threads in
  // a loop is stopped itself by the first).
  for (int round = 0; round < 4 && seize_new_threads(pid, threads); ++round) {
    stopped = await_stops(threads, deadline_ns);
    if (!stopped) break;
  }
  const bool any_seized =
      std::any_of(threads.begin(), threads.end(), [](const thread_stack& t) { return t.seized; });
  if (!any_seized) {
    const int error = threads.empty() ? ESRCH : threads.front().error;
    return "(no thread stacks: the worker cannot be traced: ptrace: " + std::string(std::strerror(error)) + ")";
  }
  if (!stopped) {
    std::string late;
    for (const thread_stack& t : threads)
      if (t.seized && !t.stopped && !t.gone) late += (late.empty() ? "LWP " : ", LWP ") + std::to_string(t.tid);
    kill_traced(pid, threads);
    return "(no thread stacks: " + late + " did not stop within " + seconds_text(deadline_seconds) +
           "s; the worker was killed without the dump)";
  }
  unwind(pid, threads);
  std::string text = format_threads(pid, threads, running);
  for (thread_stack& t : threads)
    if (t.stopped) ::ptrace(PTRACE_DETACH, t.tid, nullptr, nullptr);
  return text;
#endif
}

}  // namespace assay
