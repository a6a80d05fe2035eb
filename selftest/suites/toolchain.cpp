// A suite for the CTest, CI and build-farm side: output before main, odd bytes in reports, the environment.
#include <assay/assay.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace {

// Printed at static initialisation, as some libraries do, unterminated and shaped like a listing line:
// --list=ctest must stay parseable.
const int noise = [] {
  std::printf("static initialisation noise\nfake.Noise.test_x\tfake\tfake.Noise\tnoise.cpp\t1\nno newline");
  return 0;
}();

}  // namespace

class Bytes : public assay::TestCase<Bytes> {
  // Control characters and invalid UTF-8 in a message and in captured output: the JUnit report stays valid.
  TEST(test_control_characters) {
    std::printf("out: bell \a, escape \x1b[31m, invalid \xfa\xfb, fine é\n");
    throw std::runtime_error(std::string("nul-free but odd: \x01\x02 <&> \"quoted\" ]]> \xc3\x28 é"));
  }
  TEST(test_multiline_message) { fail("first line\nsecond line\twith a tab\r\nthird"); }
};

class Environment : public assay::TestCase<Environment> {
  // Bazel's TEST_TMPDIR reaches tests as TMPDIR (std::filesystem::temp_directory_path() reads it).
  TEST(test_tmpdir) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::printf("TMPDIR=%s\n", tmpdir ? tmpdir : "(unset)");
  }
  // Leaves Bazel's TEST_PREMATURE_EXIT_FILE behind when asked to, as a stray exit() in a test would.
  TEST(test_exit_early) {
    if (std::getenv("TOOLCHAIN_SUITE_EXIT")) std::exit(0);
  }
};
