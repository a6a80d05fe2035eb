// Seed item 77: each test gets its own temporary directory, made in setUp and removed in tearDown.
#include <assay/assay.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace fs = std::filesystem;

class EnvironmentTest : public assay::TestCase<EnvironmentTest> {
 protected:
  void setUp() override {
    test_path = fs::temp_directory_path() / ("environment_test." + std::to_string(std::random_device{}()));
    fs::create_directory(test_path);
  }
  void tearDown() override { fs::remove_all(test_path); }

  TEST(test_modify_file) {
    {
      std::ofstream f(test_path / "data.bin");
      f << "hello";
    }
    assertTrue(fs::exists(test_path / "data.bin"));
    assertEqual(5u, fs::file_size(test_path / "data.bin"));
  }

  TEST(test_starts_empty) { assertTrue(fs::is_empty(test_path)); }

  fs::path test_path;
};
