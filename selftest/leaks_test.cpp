// --leaks and --memory from inside: the allocation hooks' counts, tracemalloc's size format, the watch's
// events for leaking, clean and failing tests, the summary's text and the journal's record of a note.
#include <assay/assay.hpp>

#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <assay/allocations.hpp>
#include <assay/event_codec.hpp>
#include <assay/leak_report.hpp>

#include "recorder.hpp"

namespace {

namespace allocations = assay::detail::allocations;

// Under a sanitizer its runtime owns the allocator and the hooks step aside: what they count is not tested.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif
// An optimised build may elide a new/delete pair outright (allowed since C++14): nothing to count.
#if defined(__OPTIMIZE__)
constexpr bool optimised = true;
#else
constexpr bool optimised = false;
#endif
// A site is a file and line only where the binary has line tables.
#if defined(ASSAY_SELFTEST_DEBUG_INFO)
constexpr bool line_tables = true;
#else
constexpr bool line_tables = false;
#endif

// What the leaking tests keep (a fixed array: its own growth would be an allocation of the test).
void* kept[64];
int kept_count = 0;

class Inner : public assay::TestCase<Inner> {
 protected:
  TEST(test_leaky, assay::detail::not_collected) {
    // A block each run.
    kept[kept_count++ % 64] = std::malloc(1000);
  }
  TEST(test_clean, assay::detail::not_collected) { std::free(std::malloc(1000)); }
  TEST(test_lazy, assay::detail::not_collected) {
    static const std::string lazy(500, 'l');
    assertEqual(lazy.size(), 500u);
  }
  TEST(test_leaks_then_fails, assay::detail::not_collected) {
    static int runs = 0;
    kept[kept_count++ % 64] = std::malloc(10);
    if (++runs % 2 == 0) fail("the second run");
  }
  TEST(test_leaks_in_many_places, assay::detail::not_collected) {
    // Eleven places, the biggest first: the last is left out of the report.
    kept[kept_count++ % 64] = std::malloc(111);
    kept[kept_count++ % 64] = std::malloc(110);
    kept[kept_count++ % 64] = std::malloc(109);
    kept[kept_count++ % 64] = std::malloc(108);
    kept[kept_count++ % 64] = std::malloc(107);
    kept[kept_count++ % 64] = std::malloc(106);
    kept[kept_count++ % 64] = std::malloc(105);
    kept[kept_count++ % 64] = std::malloc(104);
    kept[kept_count++ % 64] = std::malloc(103);
    kept[kept_count++ % 64] = std::malloc(102);
    kept[kept_count++ % 64] = std::malloc(101);
  }
  TEST(test_failing_leaky, assay::detail::not_collected) {
    kept[kept_count++ % 64] = std::malloc(10);
    fail("no");
  }
};

const assay::test_info& inner(const char* name) {
  return *assay::find_test(std::string("leaks_test.Inner.") + name);
}

// The events of one test run through a watch.
selftest::recorder watched(const char* name, assay::leak_mode mode, bool memory) {
  selftest::recorder r;
  assay::leak_watch watch(r, mode, memory);
  assay::run_test(inner(name), watch);
  return r;
}

}  // namespace

class FormatSize : public assay::TestCase<FormatSize> {
 protected:
  // tracemalloc._format_size, whose output the seed shows (`2314 KiB`, `84.4 KiB`, `79 B`).
  TEST(test_bytes) {
    assertEqual(assay::format_size(0, false), "0 B");
    assertEqual(assay::format_size(130, false), "130 B");
    assertEqual(assay::format_size(10239, false), "10239 B");
    assertEqual(assay::format_size(79.4, false), "79 B");
  }
  TEST(test_units) {
    assertEqual(assay::format_size(10240, false), "10.0 KiB");
    assertEqual(assay::format_size(84.4 * 1024, false), "84.4 KiB");
    assertEqual(assay::format_size(2314 * 1024, false), "2314 KiB");
    assertEqual(assay::format_size(1.3 * 1024 * 1024, false), "1331 KiB");  // as tracemalloc prints it
    assertEqual(assay::format_size(13 * 1024 * 1024, false), "13.0 MiB");
    assertEqual(assay::format_size(5e15, false), "4547 TiB");
  }
  TEST(test_sign) {
    assertEqual(assay::format_size(13 * 1024 * 1024, true), "+13.0 MiB");
    assertEqual(assay::format_size(130, true), "+130 B");
    assertEqual(assay::format_size(-2048 * 1024, true), "-2048 KiB");
  }
};

class Counting : public assay::TestCase<Counting> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(sanitized, "a sanitizer owns the allocator"),
                      assay::skipIf(optimised, "an optimised build elides allocations"));
  void tearDown() override { allocations::stop(); }

  TEST(test_hooks_available) { assertIsNone(allocations::unavailable()); }
  TEST(test_malloc_and_new) {
    allocations::start(false);
    void* p = std::malloc(100);
    char* q = new char[50];
    delete[] q;
    const allocations::totals t = allocations::figures();
    allocations::stop();
    std::free(p);
    assertEqual(t.allocations, 2u);
    assertEqual(t.peak_bytes, 150u);
    assertEqual(t.live_bytes, 100u);
    assertEqual(t.live_blocks, 1u);
  }
  TEST(test_every_form) {
    allocations::start(false);
    struct alignas(64) wide {
      char bytes[128];
    };
    delete new wide;                                   // aligned new, sized aligned delete
    delete[] new wide[2];                              // array forms
    ::operator delete(::operator new(8, std::nothrow), std::nothrow);
    void* a = nullptr;
    assertEqual(::posix_memalign(&a, 64, 100), 0);
    a = std::realloc(a, 300);                          // the old block leaves, the new one is counted
    std::free(a);
    std::free(std::calloc(4, 25));
    std::free(std::aligned_alloc(32, 64));
    const allocations::totals t = allocations::figures();
    allocations::stop();
    assertEqual(t.live_blocks, 0u);
    assertEqual(t.live_bytes, 0u);
    assertEqual(t.allocations, 7u);
  }
  TEST(test_invalid_alignment) {
    void* p = nullptr;
    assertEqual(::posix_memalign(&p, 3, 10), EINVAL);
    assertIsNone(p);
  }
  TEST(test_free_of_an_earlier_block) {
    void* before = std::malloc(64);
    allocations::start(false);
    std::free(before);  // not a negative leak
    const allocations::totals t = allocations::figures();
    allocations::stop();
    assertEqual(t.live_blocks, 0u);
    assertEqual(t.live_bytes, 0u);
    assertEqual(t.freed_earlier_bytes, 0u);
  }
  TEST(test_pause) {
    allocations::start(false);
    void* p = nullptr;
    {
      const allocations::pause pause;
      p = std::malloc(10);
    }
    std::free(p);
    void* q = std::malloc(20);
    const allocations::totals t = allocations::figures();
    allocations::stop();
    std::free(q);
    assertEqual(t.allocations, 1u);
    assertEqual(t.live_bytes, 20u);
  }
  TEST(test_freed_by_another_thread) {
    allocations::start(false);
    std::vector<void*> blocks;
    std::thread([&] {
      for (int i = 0; i < 10; ++i) blocks.push_back(std::malloc(16));
    }).join();
    for (void* p : blocks) std::free(p);
    std::vector<void*>().swap(blocks);  // its buffer too, which the other thread allocated
    const allocations::totals t = allocations::figures();
    allocations::stop();
    assertEqual(t.live_blocks, 0u);
  }
  TEST(test_kept_count) {
    allocations::start(false);
    void* p = std::malloc(10);
    allocations::start(false, true);
    std::free(p);
    void* q = std::malloc(30);
    const allocations::totals t = allocations::figures();
    allocations::stop();
    std::free(q);
    assertEqual(t.freed_earlier_bytes, 10u);
    assertEqual(t.freed_earlier_blocks, 1u);
    assertEqual(t.live_bytes, 30u);
  }
  TEST(test_sites) {
    allocations::start(true);
    void* p = std::malloc(10);
    struct seen {
      int blocks = 0, frames = 0, thread = 0;
    } s;
    allocations::for_each_live(
        [](const allocations::live_block& b, void* c) {
          auto& s = *static_cast<seen*>(c);
          ++s.blocks;
          s.frames = b.count;
          s.thread = b.thread;
        },
        &s);
    allocations::stop();
    std::free(p);
    assertEqual(s.blocks, 1);
    assertGreater(s.frames, 1);
    assertEqual(s.thread, allocations::thread_id());
  }
  TEST(test_many_blocks) {
    // The table grows past its first size and keeps every block.
    allocations::start(false);
    std::vector<void*> blocks;
    {
      const allocations::pause pause;
      blocks.reserve(20000);
    }
    for (int i = 0; i < 20000; ++i) blocks.push_back(std::malloc(8));
    for (int i = 0; i < 20000; i += 2) std::free(blocks[static_cast<std::size_t>(i)]);
    const allocations::totals t = allocations::figures();
    allocations::stop();
    for (int i = 1; i < 20000; i += 2) std::free(blocks[static_cast<std::size_t>(i)]);
    assertEqual(t.live_blocks, 10000u);
    assertEqual(t.live_bytes, 80000u);
    assertEqual(t.peak_bytes, 160000u);
  }
};

class Watch : public assay::TestCase<Watch> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(sanitized, "a sanitizer owns the allocator"),
                      assay::skipIf(optimised, "an optimised build elides allocations"),
                      assay::skipUnless(line_tables, "sites are named from line tables (-g)"));
  TEST(test_report_mode) {
    const selftest::recorder r = watched("test_leaky", assay::leak_mode::report, false);
    assertEqual(r.log, (std::vector<std::string>{"start", "success", "stop"}));
    const std::string& note = r.events.back().note;
    assertIn("Leaked 1000 B: a second run of the test left 1000 B in 1 block:\n", note);
    assertIn("leaks_test.cpp:55: size=1000 B (+1000 B), count=1 (+1), average=1000 B\n", note);
    assertIn("in test_leaky\n    kept[kept_count++ % 64] = std::malloc(1000);\n", note);
  }
  TEST(test_fail_mode) {
    const selftest::recorder r = watched("test_leaky", assay::leak_mode::fail, false);
    assertEqual(r.log.size(), 3u);
    assertEqual(r.log[1].substr(0, 34), "failure LeakError: Leaked 1000 B: ");
    assertEqual(r.events[1].function, "test_leaky");
    assertEqual(r.events.back().note, "");
  }
  TEST(test_clean_and_lazy) {
    for (const char* name : {"test_clean", "test_lazy"}) {
      subTest({{"name", name}}, [&] {
        const selftest::recorder r = watched(name, assay::leak_mode::fail, false);
        assertEqual(r.log, (std::vector<std::string>{"start", "success", "stop"}));
        assertEqual(r.events.back().note, "");
      });
    }
  }
  TEST(test_failing_test_not_checked) {
    const selftest::recorder r = watched("test_failing_leaky", assay::leak_mode::fail, false);
    assertEqual(r.log, (std::vector<std::string>{"start", "failure AssertionError: no", "stop"}));
  }
  TEST(test_second_run_fails) {
    // A test that fails the second time tells nothing sure about its leaks: no report.
    const selftest::recorder r = watched("test_leaks_then_fails", assay::leak_mode::fail, false);
    assertEqual(r.log, (std::vector<std::string>{"start", "success", "stop"}));
    assertEqual(r.events.back().note, "");
  }
  TEST(test_top_ten_places) {
    const selftest::recorder r = watched("test_leaks_in_many_places", assay::leak_mode::report, false);
    const std::string& note = r.events.back().note;
    assertIn("left 1166 B in 11 blocks:\n", note);
    assertIn("size=111 B (+111 B), count=1 (+1), average=111 B\n", note);
    assertIn("size=102 B", note);
    assertNotIn("size=101 B", note);
    assertTrue(note.ends_with("std::malloc(102);\n… and 1 more place\n"), note);
    assertLess(note.find("size=111 B"), note.find("size=110 B"));
  }
  TEST(test_memory_figures) {
    const selftest::recorder r = watched("test_clean", assay::leak_mode::off, true);
    // The block, and the test's object (the test's own: made and destroyed within it).
    assertEqual(r.events.back().peak_bytes, 1000u + sizeof(Inner));
    assertEqual(r.events.back().allocations, 2u);
    assertEqual(r.events.back().note, "");
  }
  TEST(test_no_figures_without_memory) {
    const selftest::recorder r = watched("test_clean", assay::leak_mode::report, false);
    assertEqual(r.events.back().peak_bytes, 0u);
  }
};

class Summary : public assay::TestCase<Summary> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(sanitized, "a sanitizer owns the allocator"));
  static std::string printed(assay::leak_summary& s) {
    std::FILE* f = std::tmpfile();
    assay::leak_summary::print(f, &s);
    std::rewind(f);
    std::string text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += static_cast<char>(c);
    std::fclose(f);
    return text;
  }
  static assay::test_event stop(const char* name, unsigned long long peak, unsigned long long count,
                                std::string note = {}) {
    assay::test_event e;
    e.kind = assay::event_kind::stop_test;
    e.test = &inner(name);
    e.peak_bytes = peak;
    e.allocations = count;
    e.note = std::move(note);
    return e;
  }

  TEST(test_top_n) {
    assay::leak_summary s(2);
    s.on_event(stop("test_clean", 100, 1));
    s.on_event(stop("test_lazy", 5000, 3));
    s.on_event(stop("test_leaky", 5000, 7));
    assertEqual(printed(s),
                "Largest test allocations (peak bytes outstanding, allocations)\n"
                "----------------------------------------------------------------------\n"
                "5000 B     7          test_leaky (leaks_test.Inner.test_leaky)\n"
                "5000 B     3          test_lazy (leaks_test.Inner.test_lazy)\n"
                "\n");
  }
  TEST(test_notes_without_memory) {
    assay::leak_summary s(-1);
    s.on_event(stop("test_clean", 0, 0));
    s.on_event(stop("test_leaky", 0, 0, "Leaked 1 B:\n"));
    assertEqual(printed(s),
                "======================================================================\n"
                "LEAK: test_leaky (leaks_test.Inner.test_leaky)\n"
                "----------------------------------------------------------------------\n"
                "Leaked 1 B:\n"
                "\n");
  }
  TEST(test_nothing) {
    assay::leak_summary s(0);
    assertEqual(printed(s), "");
  }
};

class Journal : public assay::TestCase<Journal> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(sanitized, "a sanitizer owns the allocator"));
  TEST(test_note_and_figures_cross) {
    assay::detail::record in;
    in.type = assay::detail::record_type::event;
    in.event.kind = assay::event_kind::stop_test;
    in.event.test = &inner("test_leaky");
    in.event.note = "Leaked 1 B:\n";
    in.event.peak_bytes = 1ull << 40;
    in.event.allocations = 12345;
    std::string bytes;
    assay::detail::encode(in, bytes);
    assay::detail::record out;
    bool ok = false;
    assertEqual(assay::detail::decode(bytes.data(), bytes.size(), out, ok), bytes.size());
    assertTrue(ok);
    assertEqual(out.event.note, "Leaked 1 B:\n");
    assertEqual(out.event.peak_bytes, 1ull << 40);
    assertEqual(out.event.allocations, 12345u);
  }
  TEST(test_figures_alone_cross) {
    assay::detail::record in;
    in.type = assay::detail::record_type::event;
    in.event.kind = assay::event_kind::stop_test;
    in.event.test = &inner("test_clean");
    in.event.peak_bytes = 7;
    std::string bytes;
    assay::detail::encode(in, bytes);
    assay::detail::record out;
    bool ok = false;
    assay::detail::decode(bytes.data(), bytes.size(), out, ok);
    assertTrue(ok);
    assertEqual(out.event.peak_bytes, 7u);
  }
};

class StepAside : public assay::TestCase<StepAside> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipIf(sanitized, "a sanitizer owns the allocator"));
  TEST(test_nothing_asked) { assertEqual(assay::leak_check_unavailable(assay::leak_mode::off, -1), ""); }
  TEST(test_hooks_here) { assertEqual(assay::leak_check_unavailable(assay::leak_mode::fail, 3), ""); }
};

class StepAsideSanitized : public assay::TestCase<StepAsideSanitized> {
 protected:
  ASSAY_CLASS_OPTIONS(assay::skipUnless(sanitized, "not a sanitizer build"));
  TEST(test_one_line) {
    const std::string line = assay::leak_check_unavailable(assay::leak_mode::fail, 3);
    assertRegex(line, "^assay: --leaks: off under (Address|Leak|Thread)Sanitizer, which owns the allocator");
  }
};
