// Per-test allocation accounting (--leaks, --memory): every operator new/delete and malloc/free of a test
// binary passes through allocations.cpp, which forwards to glibc and counts only while a test is watched.
#pragma once

#include <cstddef>
#include <cstdint>

namespace assay::detail::allocations {

/// Why this process cannot count its allocations (a sanitizer or valgrind owns the allocator), as a
/// phrase for `--leaks: off under …`; null when it can.
const char* unavailable();

/// Starts counting the allocations of every thread; with `sites`, each new block keeps the return addresses
/// of its allocation (an unwind: the slow mode). The blocks of the last count are forgotten, unless `keep`:
/// then freeing one of them counts in totals::freed_earlier_*.
void start(bool sites, bool keep = false);
/// Stops counting. The blocks still live stay known until the next start().
void stop();

struct totals {
  std::uint64_t peak_bytes = 0;   // the most bytes outstanding at once
  std::uint64_t allocations = 0;  // blocks allocated
  std::uint64_t live_bytes = 0;   // bytes allocated and not freed
  std::uint64_t live_blocks = 0;
  std::uint64_t freed_earlier_bytes = 0;  // blocks of the count before, freed during this one
  std::uint64_t freed_earlier_blocks = 0;
};
/// The figures since start().
totals figures();

/// A block allocated since start() and not freed: its size, the thread that allocated it (kernel id)
/// and, when counted with sites, its return addresses, innermost first.
struct live_block {
  std::size_t size;
  int thread;
  int count;
  const std::uintptr_t* pcs;
};
/// Calls `fn` for each live block (none allocates while it runs: the table is locked).
void for_each_live(void (*fn)(const live_block&, void*), void* context);

/// The owner of a block handed to a thread that has not started yet (live_block::thread).
constexpr int thread_not_started = -1;

/// The block `block` (if counted) belongs to `thread` from now on.
void give_to_thread(void* block, int thread);

/// The calling thread's kernel id.
int thread_id() noexcept;

/// While one lives, this thread's allocations are not counted: the framework's own (reports, capture).
/// Frees are always counted, whoever frees.
class pause {
 public:
  pause() noexcept;
  ~pause();
  pause(const pause&) = delete;
  pause& operator=(const pause&) = delete;
};

}  // namespace assay::detail::allocations
