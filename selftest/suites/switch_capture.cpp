// capture_output seen from outside: with and without -b, the output around a captured block is the test's
// (shown by -b for a failing test), the block's own is only the value.
#include <assay/assay.hpp>
#include <assay/capture_output.hpp>

#include <cstdio>
#include <iostream>
#include <stdexcept>

class Captures : public assay::TestCase<Captures> {
 protected:
  TEST(test_passes) {
    std::printf("before (pass)\n");
    const auto written = assay::capture_output([] {
      std::cout << "Fed 2 Meerkat(s)\n";
      std::cerr << "a warning\n";
    });
    std::printf("after (pass)\n");
    assertEqual(written.out, "Fed 2 Meerkat(s)\n");
    assertEqual(written.err, "a warning\n");
  }

  TEST(test_fails_after_capture) {
    std::printf("before (fail)\n");
    std::fprintf(stderr, "stderr before (fail)\n");
    const auto written = assay::capture_output([] { std::printf("captured, never shown\n"); });
    std::printf("after (fail)\n");
    assertEqual(written.out, "something else\n");
  }

  TEST(test_body_throws) {
    std::printf("before (throw)\n");
    (void)assay::capture_output([] {
      std::printf("captured, never shown\n");
      throw std::runtime_error("thrown inside capture_output");
    });
  }

  TEST(test_after_throw) { std::printf("the next test prints as usual\n"); }
};
