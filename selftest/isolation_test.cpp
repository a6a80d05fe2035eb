// Supervision's parts on their own: the journal's encoding and ring, the reasons a worker's end is
// reported with, the truncation of captured output, and the stream that keeps the report quiet.
#include <assay/assay.hpp>

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <assay/capture.hpp>
#include <assay/event_codec.hpp>
#include <assay/registry.hpp>
#include <assay/supervisor.hpp>

namespace {

using assay::detail::channel;
using assay::detail::record;
using assay::detail::record_type;

record round_trip(const record& r) {
  std::string bytes;
  assay::detail::encode(r, bytes);
  record back;
  bool ok = false;
  const std::size_t used = assay::detail::decode(bytes.data(), bytes.size(), back, ok);
  if (!ok || used != bytes.size()) back.type = record_type::done, back.position = 999999;
  return back;
}

std::string file_text(std::FILE* f) {
  std::fflush(f);
  std::string text;
  std::rewind(f);
  for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
  return text;
}

}  // namespace

class EventCodec : public assay::TestCase<EventCodec> {
 protected:
  TEST(test_event_with_every_field) {
    const assay::test_info* t = assay::all_tests().front();
    record r;
    r.type = record_type::event;
    r.time_ns = 1234567890123;
    r.event.kind = assay::event_kind::subtest;
    r.event.test = t;
    r.event.result = assay::outcome::failure;
    r.event.subtest = "(i=1)";
    r.event.type = "AssertionError";
    r.event.message = std::string("1 != 2\n\0binary", 14);
    r.event.file = "file.cpp";
    r.event.line = 42;
    r.event.function = "test_x";
    r.event.out = "out";
    r.event.err = "err";
    r.event.seconds = 0.25;
    const record back = round_trip(r);
    assertEqual(static_cast<int>(record_type::event), static_cast<int>(back.type));
    assertEqual(r.time_ns, back.time_ns);
    assertIs(t, back.event.test);
    assertEqual(static_cast<int>(assay::event_kind::subtest), static_cast<int>(back.event.kind));
    assertEqual(static_cast<int>(assay::outcome::failure), static_cast<int>(back.event.result));
    for (auto field : {&assay::test_event::subtest, &assay::test_event::type, &assay::test_event::message,
                       &assay::test_event::file, &assay::test_event::function, &assay::test_event::out,
                       &assay::test_event::err})
      assertEqual(r.event.*field, back.event.*field);
    assertEqual(42, back.event.line);
    assertEqual(0.25, back.event.seconds);
  }

  TEST(test_passing_test_events_carry_no_strings) {
    record r;
    r.event.kind = assay::event_kind::outcome;
    r.event.test = assay::all_tests().back();
    std::string bytes;
    assay::detail::encode(r, bytes);
    assertLessEqual(bytes.size(), 40u);
    assertIs(r.event.test, round_trip(r).event.test);
  }

  TEST(test_fixture_pseudo_tests_travel_by_name) {
    const assay::test_info* t = assay::all_tests().front();
    for (const assay::test_info* pseudo : {&assay::fixture_test("setUpClass", t->cls, t->module),
                                           &assay::fixture_test("tearDownModule", nullptr, t->module)}) {
      record r;
      r.type = record_type::fixture;
      r.event.test = pseudo;
      assertIs(pseudo, round_trip(r).event.test);
    }
  }

  TEST(test_begin_and_done_records) {
    for (record_type type : {record_type::begin, record_type::done}) {
      record r;
      r.type = type;
      r.position = 7;
      const record back = round_trip(r);
      assertEqual(static_cast<int>(type), static_cast<int>(back.type));
      assertEqual(7u, back.position);
    }
  }

  TEST(test_incomplete_and_malformed_bytes) {
    record r;
    r.event.message = "a message";
    std::string bytes;
    assay::detail::encode(r, bytes);
    record back;
    bool ok = false;
    assertEqual(0u, assay::detail::decode(bytes.data(), bytes.size() - 1, back, ok), "incomplete");
    assertTrue(ok);
    bytes[4] = 99;  // no such record type
    assertEqual(0u, assay::detail::decode(bytes.data(), bytes.size(), back, ok));
    assertFalse(ok);
  }
};

class Channel : public assay::TestCase<Channel> {
 protected:
  // Every test of this binary as the plan, through a journal of a 4 KiB ring.
  const std::vector<const assay::test_info*> plan{assay::all_tests().begin(), assay::all_tests().end()};
  channel ch;
  void setUp() override {
    std::string error;
    assertTrue(ch.create(plan, 4096, error), error);
  }

  TEST(test_a_passed_record_is_its_position_and_time_in_16_bytes) {
    ch.reset(0, plan.size());
    ch.write_passed(plan.size() - 1, 0.5);
    const std::string_view bytes = ch.readable();
    assertEqual(16u, bytes.size());
    record r;
    r.event.message = "left from an earlier record";
    r.event.test = plan.front();
    bool ok = false;
    assertEqual(assay::detail::decode(bytes.data(), bytes.size(), r, ok), bytes.size());
    assertTrue(ok);
    assertEqual(r.type, record_type::passed);
    assertEqual(r.position, plan.size() - 1);
    assertIsNone(r.event.test);  // the plan names it
    assertEqual(r.event.seconds, 0.5);
    assertEqual(0u, assay::detail::decode(bytes.data(), bytes.size() - 1, r, ok), "incomplete");
    assertTrue(ok);
  }
  TEST(test_a_worker_started_through_exec_reads_the_plan_from_the_block) {
    channel attached;
    std::string error;
    assertTrue(attached.attach(::dup(ch.fd()), error), error);
    for (std::size_t at : {std::size_t{0}, plan.size() - 1, plan.size()}) assertIs(&attached.test_at(at), plan[at % plan.size()]);
  }
  TEST(test_a_plan_not_shared_leaves_the_block_untouched) {
    channel forked_only;
    std::string error;
    assertTrue(forked_only.create(plan, 4096, error, false), error);
    assertIs(&forked_only.test_at(plan.size() - 1), plan.back(), "the supervisor's copy");
    channel attached;
    assertTrue(attached.attach(::dup(forked_only.fd()), error), error);
    // Not written (zeros: the first test everywhere): only a forked worker may be given such a block.
    assertIs(&attached.test_at(plan.size() - 1), assay::all_tests().front());
  }
  TEST(test_offers_are_taken_in_order_and_the_last_says_none_left) {
    ch.reset(0, 1);
    // Offered ahead, more than once round the queue: the worker takes them as they were offered.
    std::vector<std::pair<std::size_t, std::size_t>> taken;
    for (std::size_t round = 0; round < 3; ++round) {
      for (std::size_t i = 0; i < assay::detail::channel_header::max_offers - 1; ++i) ch.assign(10 * i, 10 * i + 5);
      for (std::size_t i = 0; i < assay::detail::channel_header::max_offers - 1; ++i) {
        std::size_t first = 0, end = 0;
        assertTrue(ch.wait_for_work(first, end));
        taken.emplace_back(first, end);
      }
    }
    assertEqual(taken.size(), 3 * (assay::detail::channel_header::max_offers - 1));
    for (std::size_t k = 0; k < taken.size(); ++k) {
      const std::size_t i = k % (assay::detail::channel_header::max_offers - 1);
      assertEqual(taken[k], (std::pair<std::size_t, std::size_t>{10 * i, 10 * i + 5}));
    }
    ch.assign(0, 0);
    std::size_t first = 1, end = 1;
    assertFalse(ch.wait_for_work(first, end));
  }
  TEST(test_plan_and_records_through_a_small_ring) {
    ch.reset(0, plan.size());
    assertEqual(plan.size(), std::size_t{ch.header().end});
    assertIs(&ch.test_at(plan.size() - 1), plan.back());
    assertIs(&ch.test_at(2 * plan.size() - 1), plan.back(), "a repetition");
    // A writer far ahead of the reader: it waits for room; records larger than the ring arrive whole.
    std::thread writer([&] {
      for (std::uint32_t i = 0; i < 2000; ++i) {
        assay::test_event e;
        e.message = std::string(i % 7 == 0 ? 10000 : 10, static_cast<char>('a' + i % 26));
        ch.write(record_type::event, i, 0, &e);
      }
      ch.write(record_type::done, 2000, 0);
    });
    // The reader decodes in place while records fit the ring, and assembles larger ones aside.
    std::string big;
    std::uint32_t next = 0;
    bool done = false, in_order = true;
    while (!done) {
      const std::string_view bytes = ch.readable();
      if (!big.empty() || bytes.size() == 4096) {
        big.append(bytes.data(), bytes.size());
        ch.consume(bytes.size());
      }
      const std::string_view data = big.empty() ? bytes : std::string_view(big);
      std::size_t used = 0;
      record r;
      bool ok = true;
      while (std::size_t n = assay::detail::decode(data.data() + used, data.size() - used, r, ok)) {
        used += n;
        if (r.type == record_type::done) {
          done = true;
          break;
        }
        const std::size_t size = next % 7 == 0 ? 10000 : 10;
        in_order = in_order && r.position == next && r.event.message == std::string(size, static_cast<char>('a' + next % 26));
        ++next;
      }
      assertTrue(ok);
      if (big.empty()) ch.consume(used);
      else big.erase(0, used);
    }
    writer.join();
    assertTrue(in_order);
    assertEqual(2000u, next);
  }
};

class WorkerEnd : public assay::TestCase<WorkerEnd> {
 protected:
  TEST(test_signals) {
    assertEqual("killed by signal SIGSEGV (Segmentation fault)", assay::describe_worker_end(SIGSEGV, "the test"));
    assertEqual("killed by signal SIGABRT (Aborted)", assay::describe_worker_end(SIGABRT, "the test"));
    assertEqual("killed by signal SIGKILL (Killed)", assay::describe_worker_end(SIGKILL, "setUpClass"));
  }
  TEST(test_exit_statuses) {
    assertEqual("exited with status 0 during the test", assay::describe_worker_end(0, "the test"));
    assertEqual("exited with status 3 during the test", assay::describe_worker_end(3 << 8, "the test"));
    assertEqual("exited with status 1 during setUpModule", assay::describe_worker_end(1 << 8, "setUpModule"));
  }
  TEST(test_timeouts_read_as_python_floats) {
    assertEqual("timed out after 3.0s", assay::describe_timeout(3));
    assertEqual("timed out after 0.5s", assay::describe_timeout(0.5));
    assertEqual("timed out after 0.25s", assay::describe_timeout(0.25));
    assertEqual("timed out after 120.0s", assay::describe_timeout(120));
    assertEqual("timed out after 0.1s", assay::describe_timeout(0.1));
  }
};

class CapturedOutput : public assay::TestCase<CapturedOutput> {
 protected:
  TEST(test_short_output_is_kept_whole) {
    std::FILE* f = std::tmpfile();
    std::fputs("one\ntwo\n", f);
    std::fflush(f);
    assertEqual("one\ntwo\n", assay::read_captured(::fileno(f)));
    std::fclose(f);
  }
  TEST(test_a_flood_keeps_its_last_lines_behind_a_marker) {
    // 50 MB, sparse but for the last 70,000 bytes: lines of 99 'x' and a newline.
    std::FILE* f = std::tmpfile();
    const long total = 50000000, written = 70000;
    assertEqual(0, ::ftruncate(::fileno(f), total - written));
    std::fseek(f, 0, SEEK_END);
    const std::string line = std::string(99, 'x') + "\n";
    for (long i = 0; i < written / 100; ++i) std::fputs(line.c_str(), f);
    std::fflush(f);
    const std::string text = assay::read_captured(::fileno(f));
    const std::string marker = "[... 49.9 MB of output truncated ...]\n";
    assertEqual(marker, text.substr(0, marker.size()));
    const std::string kept = text.substr(marker.size());
    assertEqual(std::string::size_type{65500}, kept.size(), "whole lines of the last 64 KiB");
    assertEqual(line, kept.substr(0, line.size()));
    std::fclose(f);
  }
  TEST(test_small_amounts_are_counted_in_bytes_and_kilobytes) {
    std::FILE* f = std::tmpfile();
    for (int i = 0; i < 30; ++i) std::fputs("0123456789\n", f);  // 330 bytes
    std::fflush(f);
    assertEqual("[... 275 bytes of output truncated ...]\n0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n",
                assay::read_captured(::fileno(f), 60));
    for (int i = 0; i < 300; ++i) std::fputs("0123456789\n", f);
    std::fflush(f);
    const std::string text = assay::read_captured(::fileno(f), 11);
    assertEqual("[... 3.6 kB of output truncated ...]\n0123456789\n", text);
    std::fclose(f);
  }
};

class OutputGate : public assay::TestCase<OutputGate> {
 protected:
  // What a reporter does: write to the gate's stream and flush it (the gate then holds or writes it).
  static void put(assay::output_gate& gate, const char* text) {
    std::fputs(text, gate.stream());
    std::fflush(gate.stream());
  }

  TEST(test_writes_only_while_open) {
    std::FILE* target = std::tmpfile();
    {
      assay::output_gate gate(target, false);
      std::fputs("shown ", gate.stream());
      gate.open(false);
      put(gate, "dropped ");
      gate.open(true);
      put(gate, "shown again");
    }
    assertEqual("shown shown again", file_text(target));
    std::fclose(target);
  }

  // A file is not a terminal: flushed writes wait in the gate until they are due.
  TEST(test_batches_writes_to_a_file) {
    std::FILE* target = std::tmpfile();
    {
      assay::output_gate gate(target, true);
      put(gate, "..");
      assertEqual("", file_text(target));
      gate.flush_pending();
      assertEqual("..", file_text(target));
      put(gate, "F.");
      assertEqual("..", file_text(target));
      gate.open(false);  // a sync point: what waited goes out first
      assertEqual("..F.", file_text(target));
      put(gate, "dropped");
      gate.open(true);
      std::fputs("\nsummary", gate.stream());
    }
    assertEqual("..F.\nsummary", file_text(target));
    std::fclose(target);
  }

  TEST(test_writes_a_file_at_once_when_batching_is_off) {
    std::FILE* target = std::tmpfile();
    assay::output_gate gate(target, false);
    put(gate, "..");
    assertEqual("..", file_text(target));
    std::fclose(target);
  }

  TEST(test_writes_out_a_full_buffer_and_oversized_writes) {
    std::FILE* target = std::tmpfile();
    {
      assay::output_gate gate(target, true);
      const std::string big(20000, 'x');  // more than the buffer holds
      put(gate, ".");
      std::fwrite(big.data(), 1, big.size(), gate.stream());
      std::fflush(gate.stream());
      assertGreater(file_text(target).size(), 0u);  // the buffer overflowed: what waited went out
    }
    assertEqual("." + std::string(20000, 'x'), file_text(target));
    std::fclose(target);
  }

  // A worker keeps what waits in shared memory: when it dies, its supervisor writes that out.
  TEST(test_shared_area_outlives_the_writer) {
    std::FILE* target = std::tmpfile();
    struct shared {
      std::atomic<std::uint32_t> size{0};
      char area[64];
    };
    void* block = ::mmap(nullptr, sizeof(shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    assertNotEqual(MAP_FAILED, block);
    auto* mem = new (block) shared;
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      assay::output_gate gate(target, true);
      put(gate, "before ");
      gate.share(mem->area, sizeof mem->area, &mem->size);  // what waited so far goes out first
      put(gate, "..E");
      ::_exit(0);  // dies with "..E" waiting
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    assertEqual("before ", file_text(target));
    assertEqual("..E", std::string(mem->area, mem->size.load()));
    assay::output_gate supervisor(target, true);
    supervisor.write_through(mem->area, mem->size.load());
    assertEqual("before ..E", file_text(target));
    ::munmap(block, sizeof(shared));
    std::fclose(target);
  }
};
