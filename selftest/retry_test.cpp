// The attempt numbering behind --retries and the last-run cache's file, fed with synthetic events.
#include <assay/assay.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <assay/last_run.hpp>
#include <assay/program.hpp>
#include <assay/retry.hpp>

namespace {

class Inner : public assay::TestCase<Inner> {
 protected:
  TEST(test_a, assay::detail::not_collected) {}
  TEST(test_b, assay::detail::not_collected, assay::retries(2)) {}
};

const assay::test_info& inner(const char* name) { return *assay::find_test(std::string("retry_test.Inner.") + name); }

// One attempt of `t` through `r`: start, the outcome, stop.
void attempt(assay::result& r, const assay::test_info& t, assay::outcome result, double seconds = 0.25) {
  assay::test_event e;
  e.test = &t;
  e.kind = assay::event_kind::start_test;
  r.on_event(e);
  e.kind = assay::event_kind::outcome;
  e.result = result;
  if (result != assay::outcome::success) e.type = "AssertionError";
  r.on_event(e);
  e.kind = assay::event_kind::stop_test;
  e.seconds = seconds;
  r.on_event(e);
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string temp_path() {
  char name[] = "/tmp/assay-retry-test-XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd >= 0) ::close(fd);
  std::remove(name);
  return name;
}

}  // namespace

class AttemptTrackerTest : public assay::TestCase<AttemptTrackerTest> {
 protected:
  TEST(test_no_retries_nothing_reruns) {
    assay::attempt_tracker a;
    attempt(a, inner("test_a"), assay::outcome::failure);
    assertIsNone(a.rerun());
    assertEqual(a.attempt(), 1u);
  }
  TEST(test_a_failure_with_attempts_left_reruns_next) {
    assay::attempt_tracker a;
    a.set_default(1);
    const assay::test_info& t = inner("test_a");
    attempt(a, t, assay::outcome::failure);
    assertIs(a.rerun(), &t);
    assertEqual(a.rerun_attempt(), 2u);
    attempt(a, t, assay::outcome::failure);  // the second attempt is the last
    assertEqual(a.attempt(), 2u);
    assertFalse(a.may_rerun(&t));
    assertIsNone(a.rerun());
  }
  TEST(test_a_pass_ends_the_reruns) {
    assay::attempt_tracker a;
    a.set_default(3);
    const assay::test_info& t = inner("test_a");
    attempt(a, t, assay::outcome::error);
    attempt(a, t, assay::outcome::success);
    assertEqual(a.attempt(), 2u);
    assertIsNone(a.rerun());
  }
  TEST(test_skips_and_expected_failures_are_not_rerun) {
    assay::attempt_tracker a;
    a.set_default(1);
    attempt(a, inner("test_a"), assay::outcome::skipped);
    assertIsNone(a.rerun());
    attempt(a, inner("test_a"), assay::outcome::expected_failure);
    assertIsNone(a.rerun());
    attempt(a, inner("test_a"), assay::outcome::unexpected_success);
    assertIsNone(a.rerun());
  }
  TEST(test_own_retries_win_over_the_default) {
    assay::attempt_tracker a;
    a.set_default(0);
    const assay::test_info& t = inner("test_b");  // assay::retries(2)
    assertEqual(a.retries(t), 2);
    attempt(a, t, assay::outcome::failure);
    attempt(a, t, assay::outcome::failure);
    assertIs(a.rerun(), &t);
    assertEqual(a.rerun_attempt(), 3u);
    attempt(a, t, assay::outcome::failure);
    assertIsNone(a.rerun());
  }
  TEST(test_a_rerun_that_does_not_come_is_given_up) {
    assay::attempt_tracker a;
    a.set_default(1);
    attempt(a, inner("test_a"), assay::outcome::failure);
    attempt(a, inner("test_b"), assay::outcome::success);  // another test starts instead
    assertEqual(a.attempt(), 1u);
    assertIsNone(a.rerun());
  }
  TEST(test_a_pass_told_at_once_is_the_three_events) {
    // What a supervisor replays for a worker's passing test: the same state as start, success, stop.
    for (const bool rerun_due : {false, true}) {
      subTest({{"rerun_due", rerun_due}}, [&] {
        const assay::test_info& t = inner("test_a");
        assay::attempt_tracker by_events, at_once;
        for (assay::attempt_tracker* a : {&by_events, &at_once}) {
          a->set_default(2);
          if (rerun_due) a->expect_rerun(t, 2);
        }
        attempt(by_events, t, assay::outcome::success);
        at_once.on_passed(t, 0.5);
        assertIs(at_once.test(), by_events.test());
        assertEqual(at_once.attempt(), by_events.attempt());
        assertEqual(at_once.attempt(), rerun_due ? 2u : 1u);
        assertIsNone(at_once.rerun());
        assertFalse(at_once.may_rerun(nullptr));
      });
    }
  }
  TEST(test_a_new_worker_continues_the_count) {
    assay::attempt_tracker a;
    a.set_default(2);
    const assay::test_info& t = inner("test_a");
    a.expect_rerun(t, 2);
    attempt(a, t, assay::outcome::failure);
    assertEqual(a.attempt(), 2u);
    assertEqual(a.rerun_attempt(), 3u);
  }
};

class LastRunCacheTest : public assay::TestCase<LastRunCacheTest> {
 protected:
  void setUp() override { path = temp_path(); }
  void tearDown() override { std::remove(path.c_str()); }
  std::string path;
  // A test of this binary that this test does not run (the cache keeps only ids the binary has).
  const std::string other = "retry_test.LastRunCacheTest.test_path_for";

  TEST(test_a_missing_file_is_an_empty_cache_without_warning) {
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    assertEqual(warning, "");
    assertTrue(c.failed().empty());
    assertTrue(c.enabled());
  }
  TEST(test_round_trip_failures_and_durations) {
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    attempt(c, inner("test_a"), assay::outcome::failure, 1.5);
    attempt(c, inner("test_b"), assay::outcome::success, 0.125);
    assertTrue(c.save(warning), warning);
    assay::last_run_cache again;
    again.load(path, warning);
    assertEqual(warning, "");
    assertListEqual(again.failed(), std::vector<std::string>{"retry_test.Inner.test_a"});
    assertAlmostEqual(again.durations().at("retry_test.Inner.test_a"), 1.5);
    assertAlmostEqual(again.durations().at("retry_test.Inner.test_b"), 0.125);
  }
  TEST(test_seconds_by_index_in_and_out_of_the_binarys_order) {
    const std::string next = "retry_test.LastRunCacheTest.test_round_trip_failures_and_durations";
    const assay::test_info& a = *assay::find_test(other);
    const assay::test_info& b = *assay::find_test(next);
    for (const bool reversed : {false, true}) {
      subTest({{"reversed", reversed}}, [&] {
        const std::string first = a.index < b.index ? other : next, second = a.index < b.index ? next : other;
        const std::string la = "time 2.500000 " + (reversed ? second : first) + "\n";
        const std::string lb = "time 0.000001 " + (reversed ? first : second) + "\n";
        write(path, "assay-cache 1\n" + la + lb);
        assay::last_run_cache c;
        std::string warning;
        c.load(path, warning);
        const std::vector<double>& seconds = c.seconds_by_index();
        assertEqual(seconds.size(), assay::all_tests().size());
        const assay::test_info& slow = *assay::find_test(reversed ? second : first);
        const assay::test_info& quick = *assay::find_test(reversed ? first : second);
        assertEqual(seconds[slow.index], 2.5);
        assertEqual(seconds[quick.index], 0.000001);
        for (std::size_t i = 0; i < seconds.size(); ++i)
          if (i != slow.index && i != quick.index) assertEqual(seconds[i], -1.0);
      });
    }
  }
  TEST(test_a_file_that_would_say_the_same_is_not_rewritten) {
    const std::string kept = "assay-cache 1\n# kept\ntime 0.250000 retry_test.Inner.test_b\n";
    struct run {
      const char* name;
      assay::outcome result;
      double seconds;
      bool rewritten;
    };
    for (const run& r : {run{"a tenth less", assay::outcome::success, 0.23, false},
                         run{"under a millisecond", assay::outcome::success, 0.2509, false},
                         run{"twice as long", assay::outcome::success, 0.5, true},
                         run{"now failing", assay::outcome::failure, 0.25, true}}) {
      subTest({{"run", std::string(r.name)}}, [&] {
        write(path, kept);
        assay::last_run_cache c;
        std::string warning;
        c.load(path, warning);
        attempt(c, inner("test_b"), r.result, r.seconds);
        assertTrue(c.save(warning), warning);
        if (r.rewritten) assertNotIn("# kept", read(path));
        else assertEqual(read(path), kept);
      });
    }
  }
  TEST(test_a_pass_clears_a_failure_and_others_are_kept) {
    write(path, "assay-cache 1\nfailed retry_test.Inner.test_a\nfailed " + other + "\n");
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    attempt(c, inner("test_a"), assay::outcome::success);
    assertTrue(c.save(warning), warning);
    assertIn("failed " + other + "\n", read(path));
    assertNotIn("failed retry_test.Inner.test_a", read(path));
  }
  TEST(test_a_file_replaced_meanwhile_is_merged) {
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    write(path, "assay-cache 1\nfailed " + other + "\n");  // another run finished meanwhile
    attempt(c, inner("test_a"), assay::outcome::failure);
    assertTrue(c.save(warning), warning);
    assertIn("failed " + other + "\nfailed retry_test.Inner.test_a\n", read(path));
  }
  TEST(test_unknown_ids_leave_the_file) {
    write(path, "assay-cache 1\nfailed retry_test.Gone.test_x\ntime 2.000000 retry_test.Gone.test_x\n");
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    attempt(c, inner("test_b"), assay::outcome::success);
    assertTrue(c.save(warning), warning);
    assertNotIn("Gone", read(path));
  }
  TEST(test_a_run_in_which_no_test_started_leaves_the_file) {
    const std::string text = "assay-cache 1\nfailed retry_test.Gone.test_x\n";
    write(path, text);
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    assertTrue(c.save(warning), warning);
    assertEqual(read(path), text);
    write(path, "not a cache\n");
    assay::last_run_cache deferred;
    deferred.defer_load(path);
    assertTrue(deferred.save(warning), warning);
    assertEqual(deferred.take_deferred_warning(), "", "not read either");
    assertEqual(read(path), "not a cache\n");
  }
  TEST(test_a_rerun_attempt_is_not_the_result) {
    // The global tracker numbers attempts in a real run; this one has no retries: a failure is final.
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    attempt(c, inner("test_a"), assay::outcome::error);
    assertTrue(c.save(warning), warning);
    assertIn("failed retry_test.Inner.test_a\n", read(path));
  }
  TEST(test_not_a_cache) {
    for (const char* text : {"", "assay-cache 1", "assay-cache 1\nfailed\n", "assay-cache 1\ntime 1x a\n",
                             "assay-cache 1\ntime -1 a\n", "assay-cache 1\ntime 1 \n", "assay-cache 1\nwho knows\n",
                             "\x7f" "ELF\x02\x01\n"}) {
      subTest({{"text", std::string(text)}}, [&] {
        write(path, text);
        assay::last_run_cache c;
        std::string warning;
        c.load(path, warning);
        assertIn("not an assay cache", warning);
        assertTrue(c.failed().empty());
        assertTrue(c.durations().empty());
      });
    }
  }
  TEST(test_comments_are_allowed) {
    write(path, "assay-cache 1\n# a note\nfailed retry_test.Inner.test_a\n");
    assay::last_run_cache c;
    std::string warning;
    c.load(path, warning);
    assertEqual(warning, "");
    assertEqual(c.failed().size(), 1u);
  }
  TEST(test_an_unwritable_place_is_a_warning) {
    assay::last_run_cache c;
    std::string warning;
    c.load("/nonexistent-dir/x.assay-cache", warning);
    assertEqual(warning, "");
    attempt(c, inner("test_a"), assay::outcome::success);
    assertFalse(c.save(warning));
    assertIn("cannot write the cache /nonexistent-dir/x.assay-cache: No such file or directory", warning);
  }
  TEST(test_path_for) {
    assay::options opt;
    opt.cache_path = "/some/file";
    assertEqual(assay::last_run_cache::path_for(opt), "/some/file");
    opt.cache_path = "relative.assay-cache";  // made absolute at once: a test may change directory
    char cwd[4096];
    assertEqual(assay::last_run_cache::path_for(opt), std::string(::getcwd(cwd, sizeof cwd)) + "/relative.assay-cache");
    opt.no_cache = true;
    assertEqual(assay::last_run_cache::path_for(opt), "");
    opt = assay::options{};
    if (std::getenv("ASSAY_CACHE_DIR")) skipTest("ASSAY_CACHE_DIR is set");
    const std::string beside = assay::last_run_cache::path_for(opt);
    assertRegex(beside, "/selftest\\.assay-cache$");
  }
};
