// Sharding and the build-farm environment: parsing, the environment's rules, and that shards partition a selection.
#include <assay/assay.hpp>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include <assay/shard.hpp>

namespace {

const char* const sharding_variables[] = {"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "GTEST_TOTAL_SHARDS",
                                          "GTEST_SHARD_INDEX"};

class ShardTest : public assay::TestCase<ShardTest> {
 protected:
  // Sets environment variables for one test and restores the previous values afterwards.
  void set_env(const char* name, const char* value) {
    const char* old = std::getenv(name);
    addCleanup([name, had = old != nullptr, previous = std::string(old ? old : "")] {
      if (had) ::setenv(name, previous.c_str(), 1);
      else ::unsetenv(name);
    });
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  void setUp() override {
    for (const char* name : sharding_variables) set_env(name, nullptr);
  }

  TEST(test_parse_valid) {
    assay::shard_spec s;
    std::string error;
    assertTrue(assay::parse_shard("2/3", s, error));
    assertEqual(s.index, 2);
    assertEqual(s.total, 3);
    assertTrue(s.active());
    assertTrue(assay::parse_shard("0/1", s, error));
    assertFalse(s.active());
  }

  TEST(test_parse_invalid) {
    for (const char* bad : {"", "1", "a/2", "1/a", "2/2", "3/2", "0/0", "-1/2", "1/-2", " 1/2", "1/2 ", "1//2", "0/2/3",
                            "99999999999/100000000000"}) {
      subTest({{"value", bad}}, [&] {
        assay::shard_spec s;
        std::string error;
        assertFalse(assay::parse_shard(bad, s, error));
        assertEqual(error, "argument --shard: invalid value: '" + std::string(bad) +
                               "' (expected INDEX/TOTAL with 0 <= INDEX < TOTAL)");
      });
    }
  }

  TEST(test_environment_bazel_and_gtest) {
    assay::shard_spec s;
    std::string error;
    assertTrue(assay::shard_from_environment(s, false, error));
    assertFalse(s.active());  // nothing set: no sharding
    set_env("GTEST_TOTAL_SHARDS", "4");
    set_env("GTEST_SHARD_INDEX", "3");
    assertTrue(assay::shard_from_environment(s, false, error), error);
    assertEqual(s.index, 3);
    assertEqual(s.total, 4);
    set_env("TEST_TOTAL_SHARDS", "4");  // Bazel sets both spellings, equal
    set_env("TEST_SHARD_INDEX", "3");
    assertTrue(assay::shard_from_environment(s, false, error), error);
    assertEqual(s.index, 3);
  }

  TEST(test_environment_errors) {
    struct bad_case {
      std::vector<std::pair<const char*, const char*>> env;
      const char* shard;  // --shard, or null
      std::string error;
    };
    const bad_case cases[] = {
        {{{"TEST_SHARD_INDEX", "1"}}, nullptr, "invalid sharding: TEST_SHARD_INDEX is set but TEST_TOTAL_SHARDS is not"},
        {{{"GTEST_TOTAL_SHARDS", "2"}}, nullptr,
         "invalid sharding: GTEST_TOTAL_SHARDS is set but GTEST_SHARD_INDEX is not"},
        {{{"TEST_TOTAL_SHARDS", "two"}, {"TEST_SHARD_INDEX", "0"}}, nullptr,
         "invalid sharding: TEST_TOTAL_SHARDS='two' is not an integer from 0 to 2147483647"},
        {{{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "-1"}}, nullptr,
         "invalid sharding: TEST_SHARD_INDEX='-1' is not an integer from 0 to 2147483647"},
        {{{"GTEST_TOTAL_SHARDS", "4294967298"}, {"GTEST_SHARD_INDEX", "1"}}, nullptr,
         "invalid sharding: GTEST_TOTAL_SHARDS='4294967298' is not an integer from 0 to 2147483647"},
        {{{"TEST_TOTAL_SHARDS", "0"}, {"TEST_SHARD_INDEX", "0"}}, nullptr,
         "invalid sharding: TEST_TOTAL_SHARDS=0 (there must be at least one shard)"},
        {{{"TEST_TOTAL_SHARDS", "3"}, {"TEST_SHARD_INDEX", "3"}}, nullptr,
         "invalid sharding: TEST_SHARD_INDEX=3 is not below TEST_TOTAL_SHARDS=3"},
        {{{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "0"}, {"GTEST_TOTAL_SHARDS", "3"}, {"GTEST_SHARD_INDEX", "0"}},
         nullptr,
         "invalid sharding: TEST_SHARD_INDEX=0 and TEST_TOTAL_SHARDS=2 conflicts with GTEST_SHARD_INDEX=0 and "
         "GTEST_TOTAL_SHARDS=3"},
        {{{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "1"}}, "0/2",
         "invalid sharding: --shard 0/2 conflicts with TEST_SHARD_INDEX=1 and TEST_TOTAL_SHARDS=2"},
    };
    for (const bad_case& c : cases) {
      subTest({{"error", c.error}}, [&] {
        for (const char* name : sharding_variables) set_env(name, nullptr);
        for (const auto& [name, value] : c.env) set_env(name, value);
        assay::shard_spec s;
        std::string error;
        if (c.shard) assertTrue(assay::parse_shard(c.shard, s, error));
        assertFalse(assay::shard_from_environment(s, c.shard != nullptr, error));
        assertEqual(error, c.error);
      });
    }
  }

  TEST(test_option_agreeing_with_environment) {
    set_env("TEST_TOTAL_SHARDS", "2");
    set_env("TEST_SHARD_INDEX", "1");
    assay::shard_spec s;
    std::string error;
    assertTrue(assay::parse_shard("1/2", s, error));
    assertTrue(assay::shard_from_environment(s, true, error), error);
  }

  // Every test in exactly one shard, in selection order, shards within one test of each other in size.
  TEST(test_shards_partition_the_selection) {
    std::vector<assay::test_info> storage(23);
    std::vector<const assay::test_info*> selected;
    for (auto& t : storage) selected.push_back(&t);
    for (int total = 1; total <= 30; ++total) {
      subTest({{"total", total}}, [&] {
        std::vector<const assay::test_info*> seen;
        std::size_t smallest = selected.size(), largest = 0;
        for (int index = 0; index < total; ++index) {
          const auto shard = assay::take_shard(selected, assay::shard_spec{index, total});
          smallest = std::min(smallest, shard.size());
          largest = std::max(largest, shard.size());
          for (std::size_t k = 1; k < shard.size(); ++k) assertLess(shard[k - 1], shard[k]);  // order kept
          seen.insert(seen.end(), shard.begin(), shard.end());
        }
        assertEqual(seen.size(), selected.size());  // no test twice…
        assertEqual(std::set<const assay::test_info*>(seen.begin(), seen.end()).size(), selected.size());  // …none lost
        assertLessEqual(largest - smallest, 1u);
      });
    }
  }

  TEST(test_testbridge_patterns) {
    set_env("TESTBRIDGE_TEST_ONLY", "Passing.test_a::*Timing*:");
    assertEqual(assay::testbridge_patterns(), std::vector<std::string>{"Passing.test_a", "*Timing*"});
    set_env("TESTBRIDGE_TEST_ONLY", "");
    assertEqual(assay::testbridge_patterns(), std::vector<std::string>{});
  }

  TEST(test_status_and_premature_exit_files) {
    std::string dir = "/tmp/shard.XXXXXX";
    assertIsNotNone(::mkdtemp(dir.data()));
    addCleanup([dir] { std::system(("rm -rf '" + dir + "'").c_str()); });
    set_env("TEST_SHARD_STATUS_FILE", (dir + "/status").c_str());
    set_env("GTEST_SHARD_STATUS_FILE", (dir + "/gtest_status").c_str());
    std::string error;
    assertTrue(assay::touch_shard_status_files(error), error);
    struct stat st {};
    assertEqual(::stat((dir + "/status").c_str(), &st), 0);
    assertEqual(::stat((dir + "/gtest_status").c_str(), &st), 0);
    set_env("TEST_SHARD_STATUS_FILE", (dir + "/missing/status").c_str());
    assertFalse(assay::touch_shard_status_files(error));
    assertEqual(error, "cannot write TEST_SHARD_STATUS_FILE '" + dir + "/missing/status': No such file or directory");

    set_env("TEST_PREMATURE_EXIT_FILE", (dir + "/premature").c_str());
    assay::create_premature_exit_file();
    assertEqual(::stat((dir + "/premature").c_str(), &st), 0);
    assay::remove_premature_exit_file();
    assertEqual(::stat((dir + "/premature").c_str(), &st), -1);
  }
};

}  // namespace
