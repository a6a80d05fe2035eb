// The allocation hooks behind --leaks and --memory: malloc and its family are interposed over glibc's
// __libc_* entry points, and every operator new/delete form is replaced, so a test binary's allocations
// (its own, the standard library's, other threads') pass here. Off, a hook is one predictable branch and a
// call to glibc; on, a block allocated on a thread that is not paused is entered in a table of live blocks
// (an mmap'd open-addressing table: the hooks must not allocate), and leaves it when freed.
#include <assay/allocations.hpp>

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <unwind.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>

#include <dlfcn.h>

#include <assay/detail/internal.hpp>
#include <assay/sanitizers.hpp>

// A sanitizer's runtime interposes the allocator itself: its hooks and these cannot both hold.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(ASSAY_SANITIZER_BUILD) || \
    defined(ASSAY_NO_ALLOCATION_HOOKS)
#define ASSAY_ALLOCATION_HOOKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(leak_sanitizer)
#define ASSAY_ALLOCATION_HOOKS 0
#endif
#endif
#ifndef ASSAY_ALLOCATION_HOOKS
#define ASSAY_ALLOCATION_HOOKS 1
#endif

extern "C" {
void* __libc_malloc(std::size_t);
void __libc_free(void*);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void* __libc_valloc(std::size_t);
void* __libc_pvalloc(std::size_t);
}

namespace assay::detail::allocations {

namespace {

// The deepest stack a block keeps (a second run of a leaking test only).
constexpr int max_pcs = 40;

// The one word the off path reads.
std::atomic<bool> counting{false};
bool with_sites = false;

// Per thread, without allocating (initial-exec TLS, no constructor): the kernel id. The pause depth is the
// framework's (detail::allocations_paused), which its reports raise too.
[[gnu::tls_model("initial-exec")]] constinit thread_local int cached_tid = 0;

// The table's lock: a spinlock (uncontended, two atomic operations, cheaper than a mutex on this path;
// held for a few hundred instructions at most, never across a call that allocates or unwinds).
std::atomic<bool> table_busy{false};

void lock_table() noexcept {
  for (int spins = 0; table_busy.exchange(true, std::memory_order_acquire); ++spins) {
    while (table_busy.load(std::memory_order_relaxed)) {
      if (++spins > 64) ::sched_yield();
      else __builtin_ia32_pause();
    }
  }
}
void unlock_table() noexcept { table_busy.store(false, std::memory_order_release); }

constexpr std::uintptr_t empty_key = 0, erased_key = 1;

struct entry {
  std::uintptr_t key;
  std::size_t size;
  int thread;
  std::uint32_t stack;       // offset + 1 in the stack pool; 0: none
  std::uint32_t generation;  // the start() that counted it
};

entry* table = nullptr;
std::size_t capacity = 0;  // a power of two
std::size_t used = 0;      // live and erased slots
totals sums;
std::uint64_t live_now = 0;
std::uint32_t generation = 0;

// The return addresses of the blocks counted with sites: a count, then the addresses, per block.
std::uintptr_t* pool = nullptr;
std::size_t pool_size = 0, pool_capacity = 0;  // in words

void* map(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

std::size_t slot_of(std::uintptr_t key, std::size_t cap) {
  return static_cast<std::size_t>(((key >> 4) * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

// Rehashes the live entries into a table of `cap` slots; false when there is no memory for it.
bool rehash(std::size_t cap) {
  auto* fresh = static_cast<entry*>(map(cap * sizeof(entry)));
  if (!fresh) return false;
  std::size_t n = 0;
  for (std::size_t i = 0; i < capacity; ++i) {
    const entry& e = table[i];
    if (e.key <= erased_key) continue;
    std::size_t s = slot_of(e.key, cap);
    while (fresh[s].key != empty_key) s = (s + 1) & (cap - 1);
    fresh[s] = e;
    ++n;
  }
  if (table) ::munmap(table, capacity * sizeof(entry));
  table = fresh;
  capacity = cap;
  used = n;
  return true;
}

std::uint32_t keep_stack(const std::uintptr_t* pcs, int count) {
  const std::size_t need = pool_size + 1 + static_cast<std::size_t>(count);
  if (need > pool_capacity || need > UINT32_MAX) {
    std::size_t cap = pool_capacity ? pool_capacity * 2 : 1 << 16;
    while (cap < need) cap *= 2;
    if (need > UINT32_MAX) return 0;
    void* p = pool ? ::mremap(pool, pool_capacity * sizeof *pool, cap * sizeof *pool, MREMAP_MAYMOVE) : map(cap * sizeof *pool);
    if (!p || p == MAP_FAILED) return 0;
    pool = static_cast<std::uintptr_t*>(p);
    pool_capacity = cap;
  }
  const auto at = static_cast<std::uint32_t>(pool_size);
  pool[pool_size++] = static_cast<std::uintptr_t>(count);
  std::memcpy(pool + pool_size, pcs, static_cast<std::size_t>(count) * sizeof *pcs);
  pool_size += static_cast<std::size_t>(count);
  return at + 1;
}

void insert(std::uintptr_t key, std::size_t size, const std::uintptr_t* pcs, int count) {
  lock_table();
  if ((used + 1) * 2 > capacity && !rehash(capacity ? (live_now + 1) * 4 > capacity ? capacity * 2 : capacity : 4096)) {
    unlock_table();
    return;  // no memory for the table: this block goes uncounted
  }
  std::size_t s = slot_of(key, capacity);
  std::size_t reuse = SIZE_MAX;
  for (; table[s].key != empty_key; s = (s + 1) & (capacity - 1)) {
    if (table[s].key == key) break;  // freed behind the hooks' back (cannot happen through them): replaced
    if (table[s].key == erased_key && reuse == SIZE_MAX) reuse = s;
  }
  entry& e = table[table[s].key == key ? s : reuse != SIZE_MAX ? reuse : s];
  if (e.key == key && e.generation == generation) {
    live_now -= 1;
    sums.live_bytes -= e.size;
  } else if (e.key == empty_key) {
    ++used;
  }
  e.key = key;
  e.size = size;
  e.thread = thread_id();
  e.stack = count > 0 ? keep_stack(pcs, count) : 0;
  e.generation = generation;
  ++live_now;
  ++sums.allocations;
  sums.live_bytes += size;
  if (sums.live_bytes > sums.peak_bytes) sums.peak_bytes = sums.live_bytes;
  unlock_table();
}

void erase(std::uintptr_t key) {
  lock_table();
  if (capacity) {
    for (std::size_t s = slot_of(key, capacity); table[s].key != empty_key; s = (s + 1) & (capacity - 1)) {
      if (table[s].key != key) continue;
      table[s].key = erased_key;
      if (table[s].generation == generation) {
        --live_now;
        sums.live_bytes -= table[s].size;
      } else {
        ++sums.freed_earlier_blocks;
        sums.freed_earlier_bytes += table[s].size;
      }
      break;
    }
  }
  unlock_table();
}

struct walk {
  std::uintptr_t* pcs;
  int count;
};

_Unwind_Reason_Code take_frame(_Unwind_Context* context, void* data) {
  auto* w = static_cast<walk*>(data);
  if (w->count == max_pcs) return _URC_END_OF_STACK;
  w->pcs[w->count++] = _Unwind_GetIP(context);
  return _URC_NO_REASON;
}

// A block a hook just allocated: entered unless this thread is paused (then it is the framework's, or
// the unwinder's own).
[[gnu::noinline]] void counted(void* p, std::size_t size) {
  if (!p || allocations_paused) return;
  ++allocations_paused;
  std::uintptr_t pcs[max_pcs];
  walk w{pcs, 0};
  // Unwound outside the table's lock: the unwinder takes the loader's lock, and another thread holding it
  // may be allocating.
  if (with_sites) _Unwind_Backtrace(&take_frame, &w);
  insert(reinterpret_cast<std::uintptr_t>(p), size, pcs, w.count);
  --allocations_paused;
}

[[gnu::noinline]] void freed(void* p) {
  if (p) erase(reinterpret_cast<std::uintptr_t>(p));
}

}  // namespace

int thread_id() noexcept {
  if (!cached_tid) cached_tid = static_cast<int>(::syscall(SYS_gettid));
  return cached_tid;
}

const char* unavailable() {
#if !ASSAY_ALLOCATION_HOOKS
#if defined(__SANITIZE_THREAD__)
  return "ThreadSanitizer";
#elif defined(__SANITIZE_ADDRESS__)
  return "AddressSanitizer";
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return "ThreadSanitizer";
#elif __has_feature(memory_sanitizer)
  return "MemorySanitizer";
#elif __has_feature(address_sanitizer)
  return "AddressSanitizer";
#elif __has_feature(leak_sanitizer)
  return "LeakSanitizer";
#endif
#endif
#ifdef ASSAY_SANITIZER_BUILD
  return "a sanitizer";
#endif
  return "a build of assay without its allocation hooks (ASSAY_ALLOCATION_HOOKS=OFF)";
#else
  static const char* const reason = []() -> const char* {
    if (leak_sanitizer_present()) return "LeakSanitizer";
    // Valgrind's preloaded objects replace the allocator (RUNNING_ON_VALGRIND needs valgrind's headers).
    if (std::FILE* maps = std::fopen("/proc/self/maps", "r")) {
      char line[512];
      bool valgrind = false;
      while (!valgrind && std::fgets(line, sizeof line, maps)) valgrind = std::strstr(line, "/vgpreload_") != nullptr;
      std::fclose(maps);
      if (valgrind) return "valgrind";
    }
    return nullptr;
  }();
  return reason;
#endif
}

void start(bool sites, bool keep) {
  lock_table();
  ++generation;
  if (keep) {
  } else if (capacity > 4096) {
    ::munmap(table, capacity * sizeof(entry));
    table = nullptr;
    capacity = 0;
  } else if (table) {
    std::memset(static_cast<void*>(table), 0, capacity * sizeof(entry));
  }
  if (!keep) used = 0;
  live_now = 0;
  sums = totals{};
  pool_size = 0;
  with_sites = sites;
  unlock_table();
  counting.store(true, std::memory_order_release);
}

void stop() { counting.store(false, std::memory_order_release); }

namespace {

// A fork while another thread holds the table must not leave the child a locked table.
[[gnu::constructor]] void hold_table_across_fork() {
  ::pthread_atfork([] { lock_table(); }, [] { unlock_table(); }, [] { unlock_table(); });
}

}  // namespace

totals figures() {
  lock_table();
  totals t = sums;
  t.live_blocks = live_now;
  unlock_table();
  return t;
}

void for_each_live(void (*fn)(const live_block&, void*), void* context) {
  lock_table();
  for (std::size_t i = 0; i < capacity; ++i) {
    const entry& e = table[i];
    if (e.key <= erased_key || e.generation != generation) continue;
    const std::uintptr_t* stack = e.stack ? pool + (e.stack - 1) : nullptr;
    fn(live_block{e.size, e.thread, stack ? static_cast<int>(stack[0]) : 0, stack ? stack + 1 : nullptr}, context);
  }
  unlock_table();
}

pause::pause() noexcept { ++allocations_paused; }
pause::~pause() { --allocations_paused; }

// A block handed to a new thread as its argument (std::thread's state) is the new thread's from its start:
// freed when it ends, and not the test's leak while it still runs.
void give_to_thread(void* block, int thread) {
  const auto key = reinterpret_cast<std::uintptr_t>(block);
  lock_table();
  if (capacity) {
    for (std::size_t s = slot_of(key, capacity); table[s].key != empty_key; s = (s + 1) & (capacity - 1)) {
      if (table[s].key != key) continue;
      table[s].thread = thread;
      break;
    }
  }
  unlock_table();
}

// The hooks, for the functions below.
namespace {

[[maybe_unused]] inline bool on() noexcept { return __builtin_expect(counting.load(std::memory_order_relaxed), 0); }

// Off, the call to glibc is the hook's last (a jump); a count that starts in between misses one block,
// whose free then finds nothing to erase.
[[gnu::noinline, maybe_unused]] void* allocate_counted(std::size_t n) noexcept {
  void* p = __libc_malloc(n);
  counted(p, n);
  return p;
}
[[maybe_unused]] inline void* allocate(std::size_t n) noexcept {
  if (on()) return allocate_counted(n);
  return __libc_malloc(n);
}

[[gnu::noinline, maybe_unused]] void* allocate_aligned_counted(std::size_t alignment, std::size_t n) noexcept {
  void* p = __libc_memalign(alignment, n);
  counted(p, n);
  return p;
}
[[maybe_unused]] inline void* allocate_aligned(std::size_t alignment, std::size_t n) noexcept {
  if (on()) return allocate_aligned_counted(alignment, n);
  return __libc_memalign(alignment, n);
}

[[maybe_unused]] inline void release(void* p) noexcept {
  if (on()) freed(p);
  __libc_free(p);
}

[[maybe_unused]] void* new_block(std::size_t n) {
  for (;;) {
    if (void* p = allocate(n ? n : 1)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

[[maybe_unused]] void* new_aligned(std::size_t n, std::align_val_t al) {
  for (;;) {
    if (void* p = allocate_aligned(static_cast<std::size_t>(al), n ? n : 1)) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

}  // namespace

}  // namespace assay::detail::allocations

#if ASSAY_ALLOCATION_HOOKS

namespace hooks = assay::detail::allocations;

extern "C" {

void* malloc(std::size_t n) { return hooks::allocate(n); }

void free(void* p) { hooks::release(p); }

void* calloc(std::size_t count, std::size_t size) {
  if (!hooks::on()) return __libc_calloc(count, size);
  void* p = __libc_calloc(count, size);
  hooks::counted(p, count * size);
  return p;
}

void* realloc(void* old, std::size_t n) {
  if (!hooks::on()) return __libc_realloc(old, n);
  void* p = __libc_realloc(old, n);
  // The old block is gone when realloc succeeded (or freed it: size 0).
  if (old && (p || n == 0)) hooks::freed(old);
  hooks::counted(p, n);
  return p;
}

void* reallocarray(void* old, std::size_t count, std::size_t size) {
  std::size_t n = 0;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(old, n);
}

void* memalign(std::size_t alignment, std::size_t n) { return hooks::allocate_aligned(alignment, n); }

void* aligned_alloc(std::size_t alignment, std::size_t n) { return hooks::allocate_aligned(alignment, n); }

int posix_memalign(void** out, std::size_t alignment, std::size_t n) {
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) return EINVAL;
  void* p = hooks::allocate_aligned(alignment, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(std::size_t n) {
  if (!hooks::on()) return __libc_valloc(n);
  void* p = __libc_valloc(n);
  hooks::counted(p, n);
  return p;
}

void* pvalloc(std::size_t n) {
  if (!hooks::on()) return __libc_pvalloc(n);
  void* p = __libc_pvalloc(n);
  hooks::counted(p, n);
  return p;
}

}  // extern "C"

// A thread started while allocations are counted starts in thread_start, which gives the new thread its
// argument block and then runs the real start routine.
namespace {

struct thread_start_args {
  void* (*routine)(void*);
  void* arg;
};

void* thread_start(void* p) {
  const thread_start_args a = *static_cast<thread_start_args*>(p);
  __libc_free(p);
  hooks::give_to_thread(a.arg, hooks::thread_id());
  return a.routine(a.arg);
}

using pthread_create_fn = int (*)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);

pthread_create_fn real_pthread_create() {
  static const auto real = [] {
    const hooks::pause pause;
    return reinterpret_cast<pthread_create_fn>(::dlsym(RTLD_NEXT, "pthread_create"));
  }();
  return real;
}

}  // namespace

extern "C" int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*routine)(void*), void* arg) {
  const pthread_create_fn real = real_pthread_create();
  if (!hooks::on()) return real(thread, attr, routine, arg);
  // The thread's own machinery (its TLS, a cached stack) is glibc's, freed or kept with the thread.
  const hooks::pause pause;
  auto* start = static_cast<thread_start_args*>(__libc_malloc(sizeof(thread_start_args)));
  if (!start) return real(thread, attr, routine, arg);
  *start = thread_start_args{routine, arg};
  // Until the thread starts, its argument is no thread's: not the test's leak if the test ends first.
  hooks::give_to_thread(arg, hooks::thread_not_started);
  const int rc = real(thread, attr, thread_start, start);
  if (rc != 0) {
    __libc_free(start);
    hooks::give_to_thread(arg, hooks::thread_id());
  }
  return rc;
}

// Every replaceable form ([new.delete]); the sized and aligned deletes free as the plain ones do.
void* operator new(std::size_t n) { return hooks::new_block(n); }
void* operator new[](std::size_t n) { return hooks::new_block(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return hooks::allocate(n ? n : 1); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return hooks::allocate(n ? n : 1); }
void* operator new(std::size_t n, std::align_val_t al) { return hooks::new_aligned(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return hooks::new_aligned(n, al); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return hooks::allocate_aligned(static_cast<std::size_t>(al), n ? n : 1);
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  return hooks::allocate_aligned(static_cast<std::size_t>(al), n ? n : 1);
}
void operator delete(void* p) noexcept { hooks::release(p); }
void operator delete[](void* p) noexcept { hooks::release(p); }
void operator delete(void* p, std::size_t) noexcept { hooks::release(p); }
void operator delete[](void* p, std::size_t) noexcept { hooks::release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { hooks::release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { hooks::release(p); }
void operator delete(void* p, std::align_val_t) noexcept { hooks::release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { hooks::release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { hooks::release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { hooks::release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { hooks::release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { hooks::release(p); }

#endif
