// The JUnit report under what tests, CI and the machine do to it: a test that changes directory, a huge
// message, many short tests for a run killed at a random point (selftest/verdict_report.sh drives it).
#include <assay/assay.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

class Plain : public assay::TestCase<Plain> {
  TEST(test_a) { assertTrue(true); }
  TEST(test_b) { assertEqual(2, 1 + 1); }
  TEST(test_fails) { assertEqual(1, 2, "expected to fail"); }
  TEST(test_skips) { skipTest("not here"); }
};

// Moves the process to VERDICT_CHDIR (a relative --junit-xml must not follow it).
class Chdir : public assay::TestCase<Chdir> {
  TEST(test_changes_directory) {
    const char* dir = std::getenv("VERDICT_CHDIR");
    if (!dir) skipTest("VERDICT_CHDIR not set");
    assertEqual(::chdir(dir), 0);
  }
  TEST(test_after_chdir) { assertTrue(true); }
};

// A message of VERDICT_HUGE bytes (10 MB unless set): a first line of multi-byte characters (cut in the
// attribute on a character boundary), then lines, ending in a marker the report's text must hold.
class Huge : public assay::TestCase<Huge> {
  TEST(test_huge_message) {
    const char* size_text = std::getenv("VERDICT_HUGE");
    const std::size_t size = size_text ? std::strtoul(size_text, nullptr, 10) : 10u * 1000 * 1000;
    std::string message;
    message.reserve(size + 64);
    while (message.size() < 3000) message += "\xc3\xa9";  // é: a cut must not split one
    message += '\n';
    while (message.size() < size) message += "line of a huge message\n";
    message += "END-OF-HUGE-MESSAGE";
    fail(message);
  }
  TEST(test_huge_skip) {
    std::string reason(5000, 'r');
    reason += "END-OF-HUGE-REASON";
    skipTest(reason);
  }
};

// VERDICT_MANY tests of VERDICT_SLEEP_US microseconds each (the stress script kills the run among them).
class Many : public assay::TestCase<Many> {
  void sleep_a_little() {
    const char* us = std::getenv("VERDICT_SLEEP_US");
    std::this_thread::sleep_for(std::chrono::microseconds(us ? std::atoi(us) : 0));
  }
#define VERDICT_MANY_TEST(n) \
  TEST(test_##n) { sleep_a_little(); }
#define VERDICT_MANY_TEN(n)                                                                            \
  VERDICT_MANY_TEST(n##0) VERDICT_MANY_TEST(n##1) VERDICT_MANY_TEST(n##2) VERDICT_MANY_TEST(n##3) \
  VERDICT_MANY_TEST(n##4) VERDICT_MANY_TEST(n##5) VERDICT_MANY_TEST(n##6) VERDICT_MANY_TEST(n##7) \
  VERDICT_MANY_TEST(n##8) VERDICT_MANY_TEST(n##9)
  VERDICT_MANY_TEN(10) VERDICT_MANY_TEN(11) VERDICT_MANY_TEN(12) VERDICT_MANY_TEN(13) VERDICT_MANY_TEN(14)
  VERDICT_MANY_TEN(15) VERDICT_MANY_TEN(16) VERDICT_MANY_TEN(17) VERDICT_MANY_TEN(18) VERDICT_MANY_TEN(19)
  VERDICT_MANY_TEN(20) VERDICT_MANY_TEN(21) VERDICT_MANY_TEN(22) VERDICT_MANY_TEN(23) VERDICT_MANY_TEN(24)
  VERDICT_MANY_TEN(25) VERDICT_MANY_TEN(26) VERDICT_MANY_TEN(27) VERDICT_MANY_TEN(28) VERDICT_MANY_TEN(29)
  // Now and then a failure and a skip, shown mid-test in -v (the report must already hold them).
  TEST(test_fails_among_many) {
    sleep_a_little();
    fail("among many");
  }
  TEST(test_skips_among_many) {
    sleep_a_little();
    skipTest("among many");
  }
  VERDICT_MANY_TEN(30) VERDICT_MANY_TEN(31) VERDICT_MANY_TEN(32) VERDICT_MANY_TEN(33) VERDICT_MANY_TEN(34)
#undef VERDICT_MANY_TEN
#undef VERDICT_MANY_TEST
};
