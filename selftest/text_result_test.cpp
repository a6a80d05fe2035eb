// The text reporter fed with synthetic events: rules that depend on timing are checked here, not from outside.
#include <assay/assay.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <assay/text_result.hpp>

namespace {

class Dummy : public assay::TestCase<Dummy> {
 protected:
  TEST(test_fast, assay::detail::not_collected) {}
  TEST(test_slow, assay::detail::not_collected) {}
};

// Runs two synthetic tests of the given durations through a text_result and returns what it wrote.
std::string report(int verbosity, int durations, double fast, double slow) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    assay::text_result text(out, verbosity, false, durations);
    for (auto [id, seconds] : {std::pair{"text_result_test.Dummy.test_fast", fast},
                               std::pair{"text_result_test.Dummy.test_slow", slow}}) {
      assay::test_event e;
      e.test = assay::find_test(id);
      e.kind = assay::event_kind::start_test;
      text.on_event(e);
      e.kind = assay::event_kind::outcome;
      text.on_event(e);
      e.kind = assay::event_kind::stop_test;
      e.seconds = seconds;
      text.on_event(e);
    }
    assay::test_event stop;
    stop.kind = assay::event_kind::stop_run;
    stop.seconds = 0.5;
    text.on_event(stop);
  }
  std::fclose(out);
  std::string s(buffer, size);
  std::free(buffer);
  return s;
}

const char* const rule = "----------------------------------------------------------------------\n";

class DurationsTest : public assay::TestCase<DurationsTest> {
 protected:
  TEST(test_fast_tests_hidden_unless_verbose) {
    assertEqual(report(1, 0, 0.0004, 0.25),
                std::string("..\nSlowest test durations\n") + rule +
                    "0.250s     test_slow (text_result_test.Dummy.test_slow)\n"
                    "\n(durations < 0.001s were hidden; use -v to show these durations)\n" +
                    rule + "Ran 2 tests in 0.500s\n\nOK\n");
  }
  TEST(test_verbose_shows_all_slowest_first) {
    const std::string out = report(2, 0, 0.0004, 0.25);
    assertIn(std::string("0.250s     test_slow (text_result_test.Dummy.test_slow)\n"
                         "0.000s     test_fast (text_result_test.Dummy.test_fast)\n\n"),
             out);
  }
  TEST(test_n_limits_the_list) {
    const std::string out = report(2, 1, 0.0004, 0.25);
    assertIn(std::string("test_slow"), out.substr(out.find("Slowest")));
    assertNotIn(std::string("0.000s     test_fast"), out);
  }
  TEST(test_all_hidden) {
    assertIn(std::string("Slowest test durations\n") + rule +
                 "\n(durations < 0.001s were hidden; use -v to show these durations)\n",
             report(1, 0, 0.0001, 0.0002));
  }
  TEST(test_off_by_default) { assertNotIn(std::string("Slowest"), report(1, -1, 0.1, 0.2)); }
};

}  // namespace
