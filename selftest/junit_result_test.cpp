// The JUnit reporter fed with synthetic events: what is on disk after each event, flush(), the final report.
#include <assay/assay.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <assay/junit_result.hpp>

namespace {

class Inner : public assay::TestCase<Inner> {
 protected:
  TEST(test_a, assay::detail::not_collected) {}
  TEST(test_b, assay::detail::not_collected) {}
};

class Other : public assay::TestCase<Other> {
 protected:
  TEST(test_c, assay::detail::not_collected) {}
};

class Tagged : public assay::TestCase<Tagged> {
 protected:
  TEST(test_slow, assay::tags("slow db"), assay::detail::not_collected) {}
  TEST(test_plain, assay::detail::not_collected) {}
  TEST(test_net, assay::tag("net"), assay::detail::not_collected) {}
};

const assay::test_info& inner(const char* id) { return *assay::find_test(std::string("junit_result_test.") + id); }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class JunitResultTest : public assay::TestCase<JunitResultTest> {
 protected:
  void setUp() override {
    std::string pattern = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : "/tmp") + "/junit.XXXXXX";
    dir_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
    assertFalse(dir_.empty());
    addCleanup([this] { std::system(("rm -rf '" + dir_ + "'").c_str()); });
    path_ = dir_ + "/sub/dir/report.xml";
  }

  void event(assay::junit_result& r, assay::event_kind kind, const assay::test_info* t,
             assay::outcome o = assay::outcome::success, const char* message = "") {
    assay::test_event e;
    e.kind = kind;
    e.test = t;
    e.result = o;
    e.message = message;
    if (o == assay::outcome::failure) e.type = "AssertionError";
    r.on_event(e);
  }
  void passing(assay::junit_result& r, const assay::test_info& t) {
    event(r, assay::event_kind::start_test, &t);
    event(r, assay::event_kind::outcome, &t);
    event(r, assay::event_kind::stop_test, &t);
  }

  TEST(test_valid_and_empty_once_opened) {
    assay::junit_result r({path_, "mine", false, {}});
    std::string error;
    assertTrue(r.open(error), error);  // the directories are created
    assertEqual(read(path_),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mine\">\n"
                "  <!-- in progress: the run had not finished when this file was last written -->\n</testsuites>\n");
  }

  TEST(test_every_finished_test_is_on_disk) {
    assay::junit_result r({path_, "mine", false, {}});
    std::string error;
    assertTrue(r.open(error), error);
    event(r, assay::event_kind::start_run, nullptr);
    passing(r, inner("Inner.test_a"));
    const std::string after_a = read(path_);
    assertIn("<testsuite name=\"junit_result_test.Inner\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"",
             after_a);
    assertIn("<testcase classname=\"junit_result_test.Inner\" name=\"test_a\" time=\"0.000\"/>\n  </testsuite>\n"
             "</testsuites>\n",
             after_a);
    event(r, assay::event_kind::start_test, &inner("Inner.test_b"));
    assertEqual(read(path_), after_a);  // a running test is not written (flush() writes it)
    event(r, assay::event_kind::outcome, &inner("Inner.test_b"), assay::outcome::failure, "1 != 2");
    event(r, assay::event_kind::stop_test, &inner("Inner.test_b"));
    const std::string after_b = read(path_);
    assertIn("tests=\"2\" failures=\"1\"", after_b);
    assertIn("<failure type=\"AssertionError\" message=\"1 != 2\">", after_b);
    assertEqual(occurrences(after_b, "<testsuite "), 1u);
  }

  TEST(test_flush_writes_the_running_test_as_an_error) {
    assay::junit_result r({path_, "mine", false, {}});
    std::string error;
    assertTrue(r.open(error), error);
    passing(r, inner("Inner.test_a"));
    const std::string before = read(path_);
    r.flush();  // between tests: nothing to add
    assertEqual(read(path_), before);
    event(r, assay::event_kind::start_test, &inner("Other.test_c"));
    assay::junit_result::flush_all();
    const std::string flushed = read(path_);
    assertIn("<testsuite name=\"junit_result_test.Other\" tests=\"1\" failures=\"0\" errors=\"1\"", flushed);
    assertIn("<error type=\"Interrupted\" message=\"the run stopped before this test finished\"/>", flushed);
    assertEqual(occurrences(flushed, "</testsuites>"), 1u);
    // The test then finishes after all (Ctrl-C once): the shorter, real record replaces the interrupted one.
    event(r, assay::event_kind::outcome, &inner("Other.test_c"));
    event(r, assay::event_kind::stop_test, &inner("Other.test_c"));
    const std::string finished = read(path_);
    assertNotIn("Interrupted", finished);
    assertIn("name=\"test_c\" time=\"0.000\"/>\n  </testsuite>\n</testsuites>\n", finished);
    assertEqual(finished.substr(finished.size() - 14), "</testsuites>\n");
  }

  // Tags are properties of the test's <testsuite> (the schema has none in <testcase>), in every version of
  // the file: finished tests, a failing test still running, a flushed running test, the final report.
  TEST(test_tags_are_suite_properties) {
    assay::junit_result r({path_, "mine", false, {}});
    std::string error;
    assertTrue(r.open(error), error);
    event(r, assay::event_kind::start_run, nullptr);
    passing(r, inner("Tagged.test_slow"));
    const char* slow = "<properties>\n      <property name=\"tags.test_slow\" value=\"db,slow\"/>\n    </properties>\n";
    assertIn(slow, read(path_));
    passing(r, inner("Tagged.test_plain"));
    assertNotIn("tags.test_plain", read(path_));  // untagged: no property
    event(r, assay::event_kind::start_test, &inner("Tagged.test_net"));
    event(r, assay::event_kind::outcome, &inner("Tagged.test_net"), assay::outcome::failure, "1 != 2");
    const char* both = "<property name=\"tags.test_slow\" value=\"db,slow\"/>\n"
                       "      <property name=\"tags.test_net\" value=\"net\"/>\n    </properties>\n";
    assertIn(both, read(path_));  // written while it runs, as its failure is
    assay::junit_result::flush_all();
    assertIn(both, read(path_));
    assertEqual(occurrences(read(path_), "tags.test_net"), 1u);
    event(r, assay::event_kind::stop_test, &inner("Tagged.test_net"));
    event(r, assay::event_kind::stop_run, nullptr);
    const std::string final_report = read(path_);
    assertIn(both, final_report);
    assertEqual(occurrences(final_report, "<property "), 2u);
  }

  TEST(test_final_report_has_one_suite_per_class_and_totals) {
    assay::junit_result r({path_, "mine", false, {{"shard", "1/2"}}});
    std::string error;
    assertTrue(r.open(error), error);
    event(r, assay::event_kind::start_run, nullptr);
    passing(r, inner("Inner.test_a"));
    passing(r, inner("Other.test_c"));
    passing(r, inner("Inner.test_b"));  // class Inner again (--shuffle, --repeat): one suite in the end
    assertEqual(occurrences(read(path_), "<testsuite "), 3u);
    assay::test_event stop;
    stop.kind = assay::event_kind::stop_run;
    stop.seconds = 1.5;
    r.on_event(stop);
    const std::string text = read(path_);
    assertIn("<testsuites name=\"mine\" tests=\"3\" failures=\"0\" errors=\"0\" time=\"1.500\">", text);
    assertEqual(occurrences(text, "<testsuite "), 2u);
    assertIn("<testsuite name=\"junit_result_test.Inner\" tests=\"2\"", text);
    assertEqual(occurrences(text, "<property name=\"shard\" value=\"1/2\"/>"), 2u);
    assertNotIn("in progress", text);
  }

  TEST(test_large_classes_are_written_in_bounded_blocks) {
    assay::junit_result r({path_, "mine", false, {}});
    std::string error;
    assertTrue(r.open(error), error);
    event(r, assay::event_kind::start_run, nullptr);
    const std::string long_message(1000, 'x');
    for (int i = 0; i < 10; ++i) {
      event(r, assay::event_kind::start_test, &inner("Inner.test_a"));
      event(r, assay::event_kind::outcome, &inner("Inner.test_a"), assay::outcome::failure, long_message.c_str());
      event(r, assay::event_kind::stop_test, &inner("Inner.test_a"));
    }
    // In progress, the class is split into blocks of a few KiB, so a test rewrites only its own block.
    assertGreater(occurrences(read(path_), "<testsuite name=\"junit_result_test.Inner\""), 1u);
    event(r, assay::event_kind::stop_run, nullptr);
    const std::string text = read(path_);
    assertEqual(occurrences(text, "<testsuite name=\"junit_result_test.Inner\" tests=\"10\" failures=\"10\""), 1u);
  }

  TEST(test_unwritable_path_is_an_error) {
    { std::ofstream(dir_ + "/file") << "not a directory"; }
    const std::string path = dir_ + "/file/report.xml";
    assay::junit_result r({path, "mine", false, {}});
    std::string error;
    assertFalse(r.open(error));
    assertEqual(error, "cannot create JUnit report '" + path + "': Not a directory");
  }

  std::string dir_, path_;
};

}  // namespace
