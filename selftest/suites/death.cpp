// Death tests seen from outside: bodies that die as asserted pass; each way of not dying as asserted is a FAIL
// saying what happened instead, with the child's stderr; a crash in a child never costs the run its worker.
#include <assay/assay.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "../running_thread.hpp"

namespace {

// A real segmentation fault, not a null dereference (which the sanitizers would report themselves).
void segfault() {
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *static_cast<volatile int*>(page) = 1;
}

class Parser {
 public:
  int parse(const char* text) {
    if (!text) {
      std::fprintf(stderr, "Parser: null input\n");
      std::abort();
    }
    return 1;
  }
};


}  // namespace

class Deaths : public assay::TestCase<Deaths> {
 protected:
  TEST(test_abort_dies) {
    Parser p;
    assertDies([&] { p.parse(nullptr); }, "null input");
  }
  TEST(test_exit_status) {
    assertExits(3, [] { std::fputs("giving up\n", stderr); std::exit(3); }, "^giving up\n$");
  }
  TEST(test_segfault) { assertKilledBy(SIGSEGV, [] { segfault(); }); }
  TEST(test_terminate) { assertKilledBy(SIGABRT, [] { std::terminate(); }, "terminate called"); }
  TEST(test_uncaught_dies) {
    assertDies([] { throw std::runtime_error("no such file"); }, "what\\(\\): +no such file");
  }
  TEST(test_sanitizer_report) {
    // Built with AddressSanitizer, its report ends the child and is the child's stderr (not a finding of the
    // test); without it, the read goes unnoticed and abort() ends the child.
    assertDies([] {
      volatile char* bytes = new char[8];
      volatile int past = 8;
      std::fprintf(stderr, "%d", bytes[past] == 1 ? 1 : 0);
      std::fflush(stderr);
      std::abort();
    }, "heap-buffer-overflow|^[01]$");
  }
  TEST(test_output_around) {
    std::printf("before the death test\n");
    assertExits(0, [] { std::printf("in the child\n"); std::exit(0); });
    std::printf("after it\n");
  }
};

class Survivors : public assay::TestCase<Survivors> {
 protected:
  TEST(test_does_not_die) {
    Parser p;
    assertDies([&] { p.parse("ok"); }, "null input");
  }
  TEST(test_exits_zero) { assertDies([] { std::exit(0); }); }
  TEST(test_wrong_status) {
    assertExits(3, [] { std::fputs("unexpected input\n", stderr); std::exit(1); });
  }
  TEST(test_wrong_signal) { assertKilledBy(SIGSEGV, [] { std::abort(); }); }
  TEST(test_stderr_mismatch) {
    Parser p;
    assertDies([&] { p.parse(nullptr); }, "out of memory");
  }
  TEST(test_throws) { assertExits(2, [] { throw std::runtime_error("no such file"); }); }
  TEST(test_hangs) {
    death_timeout = 0.3;
    assertDies([] {
      std::fputs("waiting forever\n", stderr);
      for (;;) ::pause();
    });
  }
  TEST(test_bad_pattern) { assertDies([] { std::abort(); }, "(unclosed"); }
  TEST(test_bad_status) { assertExits(300, [] { std::exit(44); }); }
  TEST(test_threads) {
    const running_thread other;
    assertDies([] { std::abort(); });
  }
  TEST(test_output_kept) {
    std::printf("the parent says\n");
    assertExits(1, [] { std::printf("the child says\n"); std::fputs("the child complains\n", stderr); std::exit(2); });
  }
  TEST(test_after_all_that) { assertDies([] { std::abort(); }); }
};
