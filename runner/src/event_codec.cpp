// Journal records in bytes, and the shared-memory ring a worker writes them to and its supervisor reads.
#include <assay/event_codec.hpp>

#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <new>
#include <unordered_map>

namespace assay::detail {

namespace {

constexpr std::uint32_t channel_magic = 0x61737931;  // "asy1"
// Bytes between wake-ups of a supervisor that sleeps (1/16 of the ring, a thousand passed tests): what is
// left to read when the worker ends, the run's last wait, stays short.
constexpr std::size_t doorbell_every = 16 * 1024;

// How a record names its test.
enum ref_kind : std::uint8_t { ref_none, ref_test, ref_class_fixture, ref_module_fixture };

// A test of the class (or module) of a fixture pseudo-test: the pseudo-test is found again from it.
// A worker meets a few fixtures: a scan for each (cached) costs it less than indexing every test.
std::uint32_t representative(const test_info& pseudo) {
  const bool by_class = pseudo.kind == test_info::class_fixture;
  const void* key = by_class ? static_cast<const void*>(pseudo.cls) : static_cast<const void*>(pseudo.module);
  static std::unordered_map<const void*, std::uint32_t> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::uint32_t found = UINT32_MAX;
  for (const test_info* t : all_tests()) {
    if ((by_class ? static_cast<const void*>(t->cls) : static_cast<const void*>(t->module)) == key) {
      found = static_cast<std::uint32_t>(t->index);
      break;
    }
  }
  cache.emplace(key, found);
  return found;
}

// Every record starts with this, copied in one piece; only events with text append strings (each a
// u32 length and its bytes: the fixture's name, then subtest, type, message, file, function, frames, out, err).
struct wire {
  std::uint32_t size;
  std::uint8_t type, kind, result, ref;
  std::uint32_t position;
  std::uint32_t index;  // the test (ref_test) or a test of the fixture's class or module
  std::int32_t line;
  std::uint8_t strings;  // 0 or 1
  std::uint8_t further;  // test_event::further
  std::uint16_t unused;
  std::int64_t time_ns;
  double seconds;
};

// A test that passed (most records of a run): its position and time, in 16 bytes rather than a wire's 40.
// Told from a wire by its size; the test is the plan's at that position (the supervisor's decode_passed).
struct passed_wire {
  std::uint32_t size;
  std::uint32_t position;
  double seconds;
};
static_assert(sizeof(passed_wire) == 16 && sizeof(passed_wire) < sizeof(wire));

// --memory's figures of a stop_test, as the last string: 16 bytes, or none (then both are 0).
std::string figures_of(const test_event& e) {
  std::string s;
  if (e.peak_bytes == 0 && e.allocations == 0) return s;
  const std::uint64_t f[2] = {e.peak_bytes, e.allocations};
  s.assign(reinterpret_cast<const char*>(f), sizeof f);
  return s;
}

bool has_text(const test_event& e) {
  return !e.subtest.empty() || !e.type.empty() || !e.message.empty() || !e.file.empty() || !e.function.empty() ||
         !e.frames.empty() || !e.out.empty() || !e.err.empty() || !e.note.empty() || e.peak_bytes != 0 ||
         e.allocations != 0;
}

void put_string(std::string& out, const std::string& s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), sizeof n);
  out += s;
}

bool get_string(const char*& p, const char* end, std::string& s) {
  std::uint32_t n = 0;
  if (static_cast<std::size_t>(end - p) < sizeof n) return false;
  std::memcpy(&n, p, sizeof n);
  p += sizeof n;
  if (static_cast<std::size_t>(end - p) < n) return false;
  s.assign(p, n);
  p += n;
  return true;
}

// The record of an event without text (a passing test's start, outcome and stop) in `out`
// (sizeof(wire) bytes); false when the event needs strings.
bool encode_compact(record_type type, std::uint32_t position, std::int64_t time_ns, const test_event* event,
                    char* out) {
  wire w{};
  w.size = sizeof w;
  w.type = static_cast<std::uint8_t>(type);
  w.position = position;
  w.time_ns = time_ns;
  if (event) {
    const test_event& e = *event;
    w.kind = static_cast<std::uint8_t>(e.kind);
    w.result = static_cast<std::uint8_t>(e.result);
    w.line = e.line;
    w.seconds = e.seconds;
    w.further = e.further;
    if (e.test) {
      if (e.test->kind != test_info::test || has_text(e)) return false;
      w.ref = ref_test;
      w.index = static_cast<std::uint32_t>(e.test->index);
    } else if (has_text(e)) {
      return false;
    }
  }
  std::memcpy(out, &w, sizeof w);
  return true;
}

}  // namespace

void encode(record_type type, std::uint32_t position, std::int64_t time_ns, const test_event* event,
            std::string& out, const test_info* near) {
  const std::size_t start = out.size();
  out.resize(start + sizeof(wire));
  if (encode_compact(type, position, time_ns, event, &out[start])) return;
  const test_event& e = *event;
  wire w{};
  w.type = static_cast<std::uint8_t>(type);
  w.kind = static_cast<std::uint8_t>(e.kind);
  w.result = static_cast<std::uint8_t>(e.result);
  w.position = position;
  w.line = e.line;
  w.strings = 1;
  w.further = e.further;
  w.time_ns = time_ns;
  w.seconds = e.seconds;
  if (e.test) {
    w.ref = e.test->kind == test_info::test ? ref_test
            : e.test->kind == test_info::class_fixture ? ref_class_fixture : ref_module_fixture;
    w.index = w.ref == ref_test ? static_cast<std::uint32_t>(e.test->index)
              : near                ? static_cast<std::uint32_t>(near->index)
                                    : representative(*e.test);
  }
  put_string(out, w.ref >= ref_class_fixture ? e.test->method : std::string());
  for (const std::string* s : {&e.subtest, &e.type, &e.message, &e.file, &e.function, &e.frames, &e.out, &e.err, &e.note})
    put_string(out, *s);
  put_string(out, figures_of(e));
  w.size = static_cast<std::uint32_t>(out.size() - start);
  std::memcpy(&out[start], &w, sizeof w);
}

std::size_t decode(const char* data, std::size_t size, record& r, bool& ok) {
  ok = true;
  wire w{};
  if (size < sizeof w.size) return 0;
  std::memcpy(&w.size, data, sizeof w.size);
  if (w.size == sizeof(passed_wire)) {
    if (size < w.size) return 0;
    passed_wire p;
    std::memcpy(&p, data, sizeof p);
    // Only the time is read besides: the test is named by the plan (supervisor::handle), the rest left as it was.
    r.type = record_type::passed;
    r.position = p.position;
    r.time_ns = 0;
    r.event.test = nullptr;
    r.event.seconds = p.seconds;
    return w.size;
  }
  if (w.size < sizeof w) return ok = false, 0;
  if (size < w.size) return 0;
  std::memcpy(&w, data, sizeof w);
  if (w.type < static_cast<std::uint8_t>(record_type::begin) || w.type > static_cast<std::uint8_t>(record_type::wanting) ||
      w.kind > static_cast<std::uint8_t>(event_kind::subtest) ||
      w.result > static_cast<std::uint8_t>(outcome::unexpected_success) || w.ref > ref_module_fixture ||
      w.strings > 1 || w.further > 1 || (w.strings == 0 && w.size != sizeof w))
    return ok = false, 0;
  r.type = static_cast<record_type>(w.type);
  r.position = w.position;
  r.time_ns = w.time_ns;
  test_event& e = r.event;
  if (r.type == record_type::passed) return ok = false, 0;  // (only ever a passed_wire)
  static const std::vector<test_info*>& tests = all_tests();  // one vector for the process's life
  e.kind = static_cast<event_kind>(w.kind);
  e.result = static_cast<outcome>(w.result);
  e.line = w.line;
  e.seconds = w.seconds;
  e.further = w.further != 0;
  e.peak_bytes = e.allocations = 0;
  e.test = nullptr;
  static thread_local std::string fixture_name;
  fixture_name.clear();
  if (w.strings) {
    const char* p = data + sizeof w;
    const char* end = data + w.size;
    bool read = get_string(p, end, fixture_name);
    for (std::string* s : {&e.subtest, &e.type, &e.message, &e.file, &e.function, &e.frames, &e.out, &e.err, &e.note})
      read = read && get_string(p, end, *s);
    static thread_local std::string figures;
    read = read && get_string(p, end, figures);
    if (!read || p != end || (!figures.empty() && figures.size() != 2 * sizeof(std::uint64_t))) return ok = false, 0;
    if (!figures.empty()) {
      std::uint64_t f[2];
      std::memcpy(f, figures.data(), sizeof f);
      e.peak_bytes = f[0];
      e.allocations = f[1];
    }
  } else {
    for (std::string* s : {&e.subtest, &e.type, &e.message, &e.file, &e.function, &e.frames, &e.out, &e.err, &e.note})
      s->clear();
  }
  if (w.ref != ref_none) {
    if (w.index >= tests.size()) return ok = false, 0;
    const test_info* t = tests[w.index];
    if (w.ref == ref_test) e.test = t;
    else if (w.ref == ref_class_fixture) e.test = &fixture_test(fixture_name.c_str(), t->cls, t->module);
    else e.test = &fixture_test(fixture_name.c_str(), nullptr, t->module);
  }
  return w.size;
}

channel::~channel() { close(); }

void channel::close() {
  if (base_) ::munmap(base_, size_);
  if (fd_ >= 0) ::close(fd_);
  base_ = nullptr;
  header_ = nullptr;
  fd_ = -1;
}

void channel::release_descriptor() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

namespace {

std::size_t plan_offset() { return (sizeof(channel_header) + 63) / 64 * 64; }

std::size_t ring_offset(std::size_t plan_size) {
  return (plan_offset() + plan_size * sizeof(std::uint32_t) + 4095) / 4096 * 4096;
}

}  // namespace

// The ring is mapped twice, back to back: bytes that run past its end continue at its start, so records
// are written and decoded in one piece wherever they fall.
bool channel::map(int fd, std::size_t ring_at, std::size_t ring_bytes, std::string& error) {
  size_ = ring_at + 2 * ring_bytes;
  void* area = ::mmap(nullptr, size_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) {
    error = std::string("mmap: ") + std::strerror(errno);
    return false;
  }
  base_ = area;
  char* at = static_cast<char*>(area);
  const int rw = PROT_READ | PROT_WRITE;
  if (::mmap(at, ring_at, rw, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
      ::mmap(at + ring_at, ring_bytes, rw, MAP_SHARED | MAP_FIXED, fd, static_cast<off_t>(ring_at)) == MAP_FAILED ||
      ::mmap(at + ring_at + ring_bytes, ring_bytes, rw, MAP_SHARED | MAP_FIXED, fd, static_cast<off_t>(ring_at)) ==
          MAP_FAILED) {
    error = std::string("mmap: ") + std::strerror(errno);
    return false;
  }
  header_ = static_cast<channel_header*>(base_);
  plan_ = reinterpret_cast<std::uint32_t*>(at + plan_offset());
  ring_ = at + ring_at;
  return true;
}

bool channel::create(const std::vector<const test_info*>& plan, std::size_t ring_bytes, std::string& error,
                     bool share_plan) {
  const std::size_t ring_at = ring_offset(plan.size());
  fd_ = static_cast<int>(::syscall(SYS_memfd_create, "assay-journal", 0));
  if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(ring_at + ring_bytes)) != 0) {
    error = std::string("memfd_create: ") + std::strerror(errno);
    close();
    return false;
  }
  if (!map(fd_, ring_at, ring_bytes, error)) {
    close();
    return false;
  }
  // Default-initialised: the fresh memfd reads as zeros, and the large buffers' pages are then touched
  // only if used.
  header_ = new (base_) channel_header;
  header_->magic = channel_magic;
  header_->plan_size = static_cast<std::uint32_t>(plan.size());
  header_->ring_bytes = ring_bytes;
  header_->supervisor_pid = static_cast<std::int32_t>(::getpid());
  std::uint64_t token = 0;
  if (::getrandom(&token, sizeof token, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof token))
    token = static_cast<std::uint64_t>(std::time(nullptr)) * 2654435761u ^ static_cast<std::uint64_t>(::getpid());
  header_->token = token | 1;  // never 0
  local_plan_ = &plan;
  // (Not shared, its pages are never touched: a pass over ten thousand tests saved before the first starts.)
  if (share_plan)
    for (std::size_t i = 0; i < plan.size(); ++i) plan_[i] = static_cast<std::uint32_t>(plan[i]->index);
  return true;
}

const test_info& channel::test_at(std::size_t position) const {
  const std::size_t n = header_->plan_size;
  const std::size_t at = position < n ? position : position % n;
  if (local_plan_) return *(*local_plan_)[at];
  static const std::vector<test_info*>& tests = all_tests();
  return *tests[plan_[at]];
}

bool channel::peek_header(int fd, channel_header& head) {
  return ::pread(fd, &head, sizeof head, 0) == static_cast<ssize_t>(sizeof head) && head.magic == channel_magic;
}

bool channel::attach(int fd, std::string& error) {
  channel_header head;
  if (::pread(fd, &head, sizeof head, 0) != static_cast<ssize_t>(sizeof head) || head.magic != channel_magic) {
    error = "not a journal of this binary";
    return false;
  }
  const bool mapped = map(fd, ring_offset(head.plan_size), head.ring_bytes, error);
  ::close(fd);  // the mapping stays; tests must not inherit the descriptor
  if (!mapped) close();
  else assignments_ = header_->assigned_at_start;  // (what was offered before this process attached counts)
  return mapped;
}

void channel::reset(std::size_t first, std::size_t end) {
  channel_header& h = *header_;
  h.first = static_cast<std::uint32_t>(first);
  h.end = static_cast<std::uint32_t>(end);
  h.head.store(0);
  h.running.store(0);
  h.tail.store(0);
  h.handled.store(0);
  h.worker_waits.store(0);
  h.stop.store(0);
  h.rung = 0;
  seen_tail_ = 0;
  results_at_ = 0;
  assignments_ = h.assigned_at_start = h.assigned.load();
  h.last_words_claimed.store(0);
  h.last_words_size.store(0);
  h.progress_size.store(0);
}

void channel::write(record_type type, std::size_t position, std::int64_t time_ns, const test_event* event,
                    const test_info* near) {
  char compact[sizeof(wire)];
  if (encode_compact(type, static_cast<std::uint32_t>(position), time_ns, event, compact)) {
    put(compact, sizeof compact);
  } else {
    scratch_.clear();
    encode(type, static_cast<std::uint32_t>(position), time_ns, event, scratch_, near);
    put(scratch_.data(), scratch_.size());
  }
  if (type == record_type::event && event && event->kind != event_kind::start_test)
    results_at_ = header_->head.load(std::memory_order_relaxed);
  // The last record of a worker: its supervisor reads it now rather than when the worker has exited.
  if (type == record_type::done || type == record_type::wanting) ring_doorbell();
}

void channel::write_passed(std::size_t position, double seconds) {
  const passed_wire p{sizeof(passed_wire), static_cast<std::uint32_t>(position), seconds};
  put(reinterpret_cast<const char*>(&p), sizeof p);
  results_at_ = header_->head.load(std::memory_order_relaxed);
}

void channel::write_last_words(const test_event& e, std::int64_t time_ns) {
  channel_header& h = *header_;
  if (h.last_words_claimed.exchange(1) != 0) return;
  test_event brief = e;
  // What does not fit is cut from the message: the reason stays readable.
  const std::size_t room = sizeof h.last_words - 512;
  if (brief.message.size() > room) brief.message.resize(room);
  brief.out.clear();
  brief.err.clear();
  std::string bytes;
  encode(record_type::terminate, 0, time_ns, &brief, bytes);
  if (bytes.size() > sizeof h.last_words) return;
  std::memcpy(h.last_words, bytes.data(), bytes.size());
  h.last_words_size.store(static_cast<std::uint32_t>(bytes.size()), std::memory_order_release);
}

bool channel::last_words(record& r) const {
  const std::uint32_t size = header_->last_words_size.load(std::memory_order_acquire);
  bool ok = false;
  return size > 0 && decode(header_->last_words, size, r, ok) == size && ok;
}

void channel::put(const char* data, std::size_t size) {
  channel_header& h = *header_;
  const std::uint64_t capacity = h.ring_bytes;
  while (size > 0) {
    const std::uint64_t head = h.head.load(std::memory_order_relaxed);
    // The supervisor's tail is read again only when the last one seen leaves too little room: the cache
    // line it lives on then moves between the processes once per read, not once per record.
    std::uint64_t room = capacity - (head - seen_tail_);
    if (room < size) {
      seen_tail_ = h.tail.load(std::memory_order_acquire);
      room = capacity - (head - seen_tail_);
    }
    if (room == 0) {
      wait_for_room();
      continue;
    }
    // Whole records are published at once when they fit, so a crash never leaves half of one behind.
    const std::uint64_t chunk = size <= room ? size : room;
    std::memcpy(ring_ + (head & (capacity - 1)), data, chunk);
    h.head.store(head + chunk, std::memory_order_release);
    data += chunk;
    size -= chunk;
  }
  // No system call per record: the supervisor reads on its own tick, and is woken only every few KiB so
  // that it reads while the worker runs rather than all at the end.
  if (h.head.load(std::memory_order_relaxed) - h.rung >= doorbell_every) ring_doorbell();
}

void channel::ring_doorbell() {
  channel_header& h = *header_;
  h.rung = h.head.load(std::memory_order_relaxed);
  struct stat st {};
  // Only into the doorbell: a test may have closed it and opened a file of its own under its number.
  if (h.doorbell_fd >= 0 && ::fstat(h.doorbell_fd, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_ino == h.doorbell_ino) {
    const char byte = 1;
    (void)!::write(h.doorbell_fd, &byte, 1);  // non-blocking: a full pipe already wakes the supervisor
  }
}

void channel::wait_for_room() {
  channel_header& h = *header_;
  const std::uint32_t moves = h.tail_moves.load(std::memory_order_acquire);
  h.worker_waits.store(1, std::memory_order_seq_cst);
  ring_doorbell();
  if (h.head.load(std::memory_order_relaxed) - h.tail.load(std::memory_order_seq_cst) < h.ring_bytes) return;
  // Bounded: the supervisor may be gone (the worker then dies of PR_SET_PDEATHSIG).
  const timespec timeout{0, 10 * 1000 * 1000};
  ::syscall(SYS_futex, &h.tail_moves, FUTEX_WAIT, moves, &timeout, nullptr, 0);
}

void channel::set_handled(std::uint64_t bytes) {
  channel_header& h = *header_;
  h.handled.store(bytes, std::memory_order_seq_cst);
  if (h.worker_waits.load(std::memory_order_seq_cst) && h.worker_waits.exchange(0)) {
    h.tail_moves.fetch_add(1, std::memory_order_release);
    ::syscall(SYS_futex, &h.tail_moves, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
}

void channel::wait_until_reported() {
  channel_header& h = *header_;
  const std::uint64_t target = results_at_;
  if (h.handled.load(std::memory_order_acquire) >= target) return;
  ring_doorbell();
  for (;;) {
    const std::uint32_t moves = h.tail_moves.load(std::memory_order_acquire);
    h.worker_waits.store(1, std::memory_order_seq_cst);
    if (h.handled.load(std::memory_order_seq_cst) >= target) return;
    // Bounded, to notice a supervisor that died: showing a result then would show one no report holds.
    const timespec timeout{0, 10 * 1000 * 1000};
    ::syscall(SYS_futex, &h.tail_moves, FUTEX_WAIT, moves, &timeout, nullptr, 0);
    if (::getppid() != h.supervisor_pid) ::_exit(1);
  }
}

bool channel::wait_for_work(std::size_t& first, std::size_t& end) {
  channel_header& h = *header_;
  for (;;) {
    const std::uint32_t seen = h.assigned.load(std::memory_order_acquire);
    if (seen != assignments_) {
      const std::uint32_t* offer = h.offers[assignments_++ % channel_header::max_offers];
      first = offer[0];
      end = offer[1];
      return first < end;
    }
    // Said before looking again, so that an offer made meanwhile either is seen or wakes the wait.
    h.awaiting_offer.store(1, std::memory_order_seq_cst);
    if (h.assigned.load(std::memory_order_seq_cst) == seen) {
      // Bounded, to notice a supervisor that died.
      const timespec timeout{0, 10 * 1000 * 1000};
      ::syscall(SYS_futex, &h.assigned, FUTEX_WAIT, seen, &timeout, nullptr, 0);
    }
    h.awaiting_offer.store(0, std::memory_order_relaxed);
    if (::getppid() != h.supervisor_pid) ::_exit(1);
  }
}

void channel::assign(std::size_t first, std::size_t end) {
  channel_header& h = *header_;
  std::uint32_t* offer = h.offers[h.assigned.load(std::memory_order_relaxed) % channel_header::max_offers];
  offer[0] = static_cast<std::uint32_t>(first);
  offer[1] = static_cast<std::uint32_t>(end);
  h.assigned.fetch_add(1, std::memory_order_seq_cst);
  if (h.awaiting_offer.load(std::memory_order_seq_cst)) ::syscall(SYS_futex, &h.assigned, FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

std::string_view channel::readable() const {
  const channel_header& h = *header_;
  const std::uint64_t head = h.head.load(std::memory_order_acquire);
  const std::uint64_t tail = h.tail.load(std::memory_order_relaxed);
  return {ring_ + (tail & (h.ring_bytes - 1)), static_cast<std::size_t>(head - tail)};
}

void channel::consume(std::size_t bytes) {
  channel_header& h = *header_;
  if (bytes == 0) return;
  h.tail.store(h.tail.load(std::memory_order_relaxed) + bytes, std::memory_order_seq_cst);
  if (h.worker_waits.load(std::memory_order_seq_cst) && h.worker_waits.exchange(0)) {
    h.tail_moves.fetch_add(1, std::memory_order_release);
    ::syscall(SYS_futex, &h.tail_moves, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  }
}

}  // namespace assay::detail
