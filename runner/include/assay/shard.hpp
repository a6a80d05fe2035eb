// Sharding and the environment build farms give a test: GoogleTest's and Bazel's variables, and --shard I/N.
#pragma once

#include <string>
#include <vector>

#include <assay/registry.hpp>

namespace assay {

/// Which part of the selection a process runs: the tests at positions k (0-based, in selection order)
/// with k % total == index. Round robin, as GoogleTest and Catch2 shard.
struct shard_spec {
  int index = 0;
  int total = 1;
  bool active() const { return total > 1; }
  bool operator==(const shard_spec& o) const { return index == o.index && total == o.total; }
};

/// Parses `INDEX/TOTAL` with 0 <= INDEX < TOTAL; false with argparse's wording in `error` otherwise.
bool parse_shard(const std::string& text, shard_spec& out, std::string& error);

/// Reads TEST_TOTAL_SHARDS/TEST_SHARD_INDEX (Bazel) and GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX into `shard`.
/// `given`: --shard already set `shard`. Every source that is set must be complete, valid and agree with
/// the others; false with the reason in `error` otherwise.
bool shard_from_environment(shard_spec& shard, bool given, std::string& error);

/// The tests of `shard`: the k-th selected test goes to shard k % total, so the shards of one selection
/// are disjoint and together hold every test, in every process that sees the same selection.
std::vector<const test_info*> take_shard(const std::vector<const test_info*>& selected, const shard_spec& shard);

/// Touches TEST_SHARD_STATUS_FILE and GTEST_SHARD_STATUS_FILE when set: Bazel's sign that the binary shards.
bool touch_shard_status_files(std::string& error);

/// -k patterns from TESTBRIDGE_TEST_ONLY (`bazel test --test_filter=…`), split at `:` as GoogleTest splits it.
std::vector<std::string> testbridge_patterns();

/// XML_OUTPUT_FILE (Bazel's JUnit report path), or empty.
std::string xml_output_file();

/// Sets TMPDIR to TEST_TMPDIR when Bazel gives one, so the temporary files of tests and of the runner
/// (std::filesystem::temp_directory_path(), mkstemp under $TMPDIR) land in the test's private directory.
void use_test_tmpdir();

/// Bazel's TEST_PREMATURE_EXIT_FILE: created before the tests run and removed when the runner returns
/// normally, so a test that calls exit() leaves it behind and Bazel fails the run.
void create_premature_exit_file();
void remove_premature_exit_file();

/// Makes the relative paths in the environment that name the run's files (TEST_TMPDIR,
/// TEST_PREMATURE_EXIT_FILE, TEST_SHARD_STATUS_FILE, GTEST_SHARD_STATUS_FILE) absolute, at start-up: a test
/// that changes directory must not move them.
void resolve_environment_paths();

}  // namespace assay
