// Writes a file where Bazel keeps a test's undeclared outputs (bazel-testlogs/.../test.outputs).
#include <assay/assay.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

class Outputs : public assay::TestCase<Outputs> {
  TEST(test_writes_an_output) {
    const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    assertIsNotNone(dir, "Bazel sets TEST_UNDECLARED_OUTPUTS_DIR");
    std::ofstream(std::string(dir) + "/kept.txt") << "kept by bazel\n";
  }
};
