// The channel from a worker process to its supervisor: shared memory holding the plan and a journal of records.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <assay/result.hpp>

namespace assay::detail {

/// What a journal record says.
enum class record_type : std::uint8_t {
  begin = 1,  ///< the worker starts on plan position `position` (events and fixtures carry it too)
  fixture,    ///< a module or class fixture (or its cleanups) is about to run: `event.test` is its pseudo-test
  event,      ///< a result event, `event`
  terminate,  ///< std::terminate was called; `event` holds the exception being handled, if any
  done,       ///< the worker stopped before plan position `position` (the end, failfast or Ctrl-C), fixtures torn down
  passed,     ///< the test at `position` started, passed and stopped after `event.seconds`: three events in one
              ///< (the record names no test: `event.test` is null, the plan says which)
  output,     ///< report text (`event.message`) the worker could not write itself: a test closed its descriptor
  wanting,    ///< the worker took the positions offered, starting at `position`: offer the next (-j: channel::assign)
};

/// One journal record.
struct record {
  record_type type = record_type::event;
  std::uint32_t position = 0;
  std::int64_t time_ns = 0;  ///< std::chrono::steady_clock when written: one clock for every process
  test_event event;
};

/// Appends the encoding of a record to `out` (`event` only for event, fixture and terminate records).
/// Tests travel as their index in all_tests() (stable for every process of one binary); fixture
/// pseudo-tests as their name and a test of their class or module.
/// `near`: a test of the fixture's class or module when `event->test` is a fixture pseudo-test (else looked up).
void encode(record_type type, std::uint32_t position, std::int64_t time_ns, const test_event* event,
            std::string& out, const test_info* near = nullptr);
inline void encode(const record& r, std::string& out) { encode(r.type, r.position, r.time_ns, &r.event, out); }

/// Decodes the record at the front of [data, data + size): its size in bytes, or 0 when the record is
/// incomplete. `ok` turns false when the bytes are not a record of this binary.
std::size_t decode(const char* data, std::size_t size, record& r, bool& ok);

/// The shared block, as both processes see it. Fields are grouped by who writes them and how often, one
/// cache line per group: a line one process writes for every test and the other reads would move between
/// the cores for every test.
struct channel_header {
  // Set by the supervisor before a worker starts.
  std::uint32_t magic = 0;
  std::uint32_t plan_size = 0;
  std::uint64_t ring_bytes = 0;      // a power of two
  std::uint32_t first = 0, end = 0;  // the plan positions the current worker runs
  std::int32_t doorbell_fd = -1;     // write end of the pipe that wakes the supervisor
  std::uint64_t doorbell_ino = 0;    // its inode: a test may close the descriptor and reuse its number
  std::int32_t capture_fds[2] = {-1, -1};  // -b: the files a worker captures a test's output into
  std::int32_t sanitizer_fd = -1;  // where a worker's sanitizer reports go (sanitizer builds only)
  std::int32_t supervisor_pid = 0;
  std::uint64_t token = 0;     // random: an exec'd worker's ASSAY_WORKER must name it (see is_exec_worker)
  std::uint32_t timeouts = 0;  // 1: some test of the plan may time out (its start is journaled at once)
  std::uint32_t report_first = 0;  // 1: a report file is kept up to date: progress waits until it holds the results
  std::uint32_t more = 0;   // 1 (-j N): at the end of its positions the worker takes the next ones offered
  std::uint32_t quiet = 0;  // 1 (-j N): the supervisor writes the progress; the worker writes none
  std::uint32_t first_attempt = 0;  // > 1: the worker reruns the test at `first`, as that attempt (retry.hpp)
  std::uint32_t sigint_blocked = 0;  // 1: the run's caller blocked SIGINT: the worker keeps it blocked
  // Ctrl-C while the worker starts (signals.hpp, detail::sigint_ready and sigint_held): a SIGINT the
  // supervisor holds back until the worker has its own disposition.
  std::atomic<std::uint32_t> sigint{0};
  // Written by the worker for each record; read by the supervisor once per batch.
  alignas(64) std::atomic<std::uint64_t> head{0};  // bytes the worker has written
  // Written by the supervisor once per batch; read by the worker when the ring looks full.
  alignas(64) std::atomic<std::uint64_t> tail{0};  // bytes the supervisor has read
  std::atomic<std::uint32_t> tail_moves{0};        // futex word: bumped when a waiting worker is woken
  std::atomic<std::uint64_t> handled{0};           // bytes whose records the supervisor has reported
  std::atomic<std::uint32_t> worker_waits{0};      // the worker waits for room in the ring
  // Written by the worker for each test; read by the supervisor only once the worker is gone.
  alignas(64) std::atomic<std::uint32_t> running{0};  // 1 + the plan position of the test running, 0 between
  std::uint64_t rung = 0;                             // `head` when the doorbell last rang
  // Read by the worker before each test; written by the supervisor at Ctrl-C.
  alignas(64) std::atomic<std::uint32_t> stop{0};  // stop after the current test
  // The worker's next positions, offered ahead while it runs the ones before so that it goes on at once:
  // offer k is offers[k % max_offers] ([first, end); none left when equal), `assigned` counts them (the
  // record `wanting` says the worker took one).
  static constexpr std::uint32_t max_offers = 16;
  std::uint32_t offers[max_offers][2] = {};
  std::atomic<std::uint32_t> assigned{0};  // futex word
  std::uint32_t assigned_at_start = 0;     // `assigned` when the worker's first positions were set
  std::atomic<std::uint32_t> awaiting_offer{0};  // the worker waits for an offer: wake it
  // std::terminate on any thread of a worker leaves a record here rather than in the ring, which only the
  // thread running the tests writes (so it needs no lock).
  alignas(64) std::atomic<std::uint32_t> last_words_claimed{0};
  std::atomic<std::uint32_t> last_words_size{0};
  char last_words[8192];
  // The worker's report output not yet written to the report's descriptor (see output_gate::share):
  // written by the worker while it lives, by the supervisor once it has died.
  alignas(64) std::atomic<std::uint32_t> progress_size{0};
  char progress[16384];
};

/// The plan and journal of one run, in a memfd mapped MAP_SHARED: created by the supervisor, inherited by
/// each worker (through fork, or by descriptor through exec). Writing a record costs a copy and an atomic
/// store, no system call; what was written stays readable after the worker dies. The ring is mapped
/// twice back to back, so a record is always one contiguous piece of memory.
class channel {
 public:
  channel() = default;
  ~channel();
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;

  /// Supervisor: creates the block for `plan` (one repetition of it: positions repeat it, and it outlives
  /// the channel) with a ring of `ring_bytes` (a power of two). `share_plan`: the plan is written into the
  /// block, for workers started through exec; a forked worker reads the supervisor's copy it inherits.
  bool create(const std::vector<const test_info*>& plan, std::size_t ring_bytes, std::string& error,
              bool share_plan = true);
  /// Reads the header of the block of descriptor `fd` into `head`; false when it is not a journal.
  static bool peek_header(int fd, channel_header& head);
  /// Worker started through exec: maps the block of descriptor `fd`.
  bool attach(int fd, std::string& error);
  /// Releases the mapping and descriptor in this process only.
  void close();
  /// Closes the descriptor and keeps the mapping (forked workers inherit the mapping: one descriptor less).
  void release_descriptor();

  int fd() const { return fd_; }
  channel_header& header() const { return *header_; }
  /// The test at plan position `position`.
  const test_info& test_at(std::size_t position) const;

  /// Supervisor: empties the ring and assigns plan positions [first, end) to the next worker.
  void reset(std::size_t first, std::size_t end);

  /// Worker, std::terminate on any thread: leaves `r` in the header (the first such record wins).
  void write_last_words(const test_event& e, std::int64_t time_ns);
  /// Supervisor: the record write_last_words() left, if any.
  bool last_words(record& r) const;

  /// Worker, the thread running the tests: appends a record; waits (and wakes the supervisor) while the
  /// ring is full.
  void write(record_type type, std::size_t position, std::int64_t time_ns, const test_event* event = nullptr,
             const test_info* near = nullptr);
  /// Worker: the `passed` record of the test at plan position `position` (what write() would write for
  /// its stop_test event, without reading the test's record).
  void write_passed(std::size_t position, double seconds);
  /// Supervisor: the bytes written and not yet consumed, in one piece (they stay until consume()).
  std::string_view readable() const;
  /// Supervisor: frees the first `bytes` of readable() for the worker.
  void consume(std::size_t bytes);
  /// Supervisor: every record in the first `bytes` of the journal has been reported (wakes a worker waiting).
  void set_handled(std::uint64_t bytes);
  /// Worker: waits until the supervisor has reported every result journaled so far (a test's end, an
  /// outcome), so that progress about to be shown is already in the report. Ends the process if the
  /// supervisor is gone (its results are then no one's).
  void wait_until_reported();
  /// Worker (-j N), at the end of its positions: the next ones offered (waiting for the offer if it has not
  /// come yet); false when no work is left.
  bool wait_for_work(std::size_t& first, std::size_t& end);
  /// Supervisor: offers a worker the positions [first, end) it takes next (first == end: nothing left).
  void assign(std::size_t first, std::size_t end);


 private:
  bool map(int fd, std::size_t ring_at, std::size_t ring_bytes, std::string& error);
  void put(const char* data, std::size_t size);
  void ring_doorbell();
  void wait_for_room();

  int fd_ = -1;
  std::size_t size_ = 0;
  void* base_ = nullptr;
  channel_header* header_ = nullptr;
  std::uint32_t* plan_ = nullptr;  // the plan as indexes in all_tests() (when shared)
  const std::vector<const test_info*>* local_plan_ = nullptr;  // the supervisor's (and a forked worker's)
  char* ring_ = nullptr;
  std::string scratch_;
  std::uint64_t seen_tail_ = 0;  // worker-side: the supervisor's tail when last read
  std::uint64_t results_at_ = 0;  // worker-side: `head` after the last record holding a result
  std::uint32_t assignments_ = 0;  // worker-side: `assigned` when its positions were last given
};

}  // namespace assay::detail
