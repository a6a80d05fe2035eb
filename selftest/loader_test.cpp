// Selection rules (ids, -k patterns) and command-line parsing, checked with assay itself.
#include <assay/assay.hpp>

#include <string>
#include <vector>

#include <assay/loader.hpp>
#include <assay/program.hpp>

namespace {

class PatternTest : public assay::TestCase<PatternTest> {
 protected:
  TEST(test_substring_without_star) {
    assertTrue(assay::matches_pattern("bytes", "utils_test.UtilsTestCase.test_to_str_bytes"));
    assertFalse(assay::matches_pattern("Bytes", "utils_test.UtilsTestCase.test_to_str_bytes"));
  }
  TEST(test_fnmatch_with_star) {
    assertTrue(assay::matches_pattern("*Case.test_*", "m.UtilsTestCase.test_x"));
    assertFalse(assay::matches_pattern("test_*", "m.UtilsTestCase.test_x"));  // anchored once a * is given
  }
  // Without a `*`, other glob characters still make it a glob (unittest wraps it in `*…*`).
  TEST(test_glob_characters_without_star) {
    assertTrue(assay::matches_pattern("test_?", "m.C.test_x"));
    assertFalse(assay::matches_pattern("test_?", "m.C.test_"));
    assertTrue(assay::matches_pattern("C.test_[xy]", "m.C.test_y"));
    assertFalse(assay::matches_pattern("C.test_[xy]", "m.C.test_z"));
  }
  TEST(test_substring_at_either_end_and_whole) {
    assertTrue(assay::matches_pattern("m.C", "m.C.test_x"));
    assertTrue(assay::matches_pattern("test_x", "m.C.test_x"));
    assertTrue(assay::matches_pattern("m.C.test_x", "m.C.test_x"));
    assertFalse(assay::matches_pattern("m.C.test_xy", "m.C.test_x"));
    assertTrue(assay::matches_pattern("", "m.C.test_x"));  // `**` matches everything
  }
};

class OptionsTest : public assay::TestCase<OptionsTest> {
 protected:
  int parse(std::vector<std::string> args, assay::options& opt, std::string& error) {
    args.insert(args.begin(), "prog");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    return assay::parse_options(static_cast<int>(args.size()), argv.data(), opt, error);
  }

  TEST(test_flags_and_ids) {
    assay::options opt;
    std::string error;
    assertEqual(parse({"-v", "-f", "-k", "x", "-k", "y", "--durations", "3", "A.test_b", "C"}, opt, error), 0);
    assertEqual(opt.verbosity, 2);
    assertTrue(opt.failfast);
    assertEqual(opt.patterns, std::vector<std::string>{"x", "y"});
    assertEqual(opt.durations, 3);
    assertEqual(opt.ids, std::vector<std::string>{"A.test_b", "C"});
  }
  TEST(test_shuffle_seed) {
    assay::options opt;
    std::string error;
    assertEqual(parse({"--shuffle=42"}, opt, error), 0);
    assertTrue(opt.shuffle && opt.seed_given);
    assertEqual(opt.seed, 42u);
  }
  TEST(test_bad_values) {
    for (const char* bad : {"--durations=-1", "--repeat=0", "--shuffle=x", "--skip-exit-code=300", "--nope", "-z"}) {
      subTest({{"arg", bad}}, [&] {
        assay::options opt;
        std::string error;
        assertNotEqual(parse({bad}, opt, error), 0);
        assertFalse(error.empty());
      });
    }
  }
};

}  // namespace
