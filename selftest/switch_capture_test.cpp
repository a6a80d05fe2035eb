// capture_output: every way a test writes to stdout and stderr comes back as a value, and the
// descriptors are given back as they were (nesting, exceptions, a descriptor the test had closed).
#include <assay/assay.hpp>
#include <assay/capture_output.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

// The file a descriptor refers to: it must be the same one after a capture.
std::string identity(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return "closed";
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

}  // namespace

class CaptureOutputTest : public assay::TestCase<CaptureOutputTest> {
 protected:
  TEST(test_c_and_cpp_streams) {
    const auto written = assay::capture_output([&] {
      std::printf("printf ");
      std::cout << "cout ";
      std::fputs("fputs\n", stdout);
      std::fprintf(stderr, "fprintf ");
      std::cerr << "cerr ";
      std::clog << "clog\n";
    });
    assertEqual(written.out, "printf cout fputs\n");
    assertEqual(written.err, "fprintf cerr clog\n");
  }

  TEST(test_descriptors_and_children) {
    const auto written = assay::capture_output([&] {
      assertEqual(::write(1, "write\n", 6), ssize_t{6});
      assertEqual(::write(2, "two\n", 4), ssize_t{4});
      assertEqual(std::system("echo child; echo child-err >&2"), 0);
    });
    assertEqual(written.out, "write\nchild\n");
    assertEqual(written.err, "two\nchild-err\n");
  }

  TEST(test_nothing_written) {
    const auto written = assay::capture_output([&] {});
    assertEqual(written.out, "");
    assertEqual(written.err, "");
  }

  TEST(test_output_pending_before_is_not_captured) {
    std::string outer;
    const auto inner = assay::capture_output([&] {
      outer = assay::capture_output([&] {
                std::printf("pending, unflushed ");
                std::cout << "also pending ";
                const auto nested = assay::capture_output([&] { std::printf("innermost\n"); });
                assertEqual(nested.out, "innermost\n");
                std::printf("after\n");
              }).out;
      std::printf("outer only\n");
    }).out;
    assertEqual(outer, "pending, unflushed also pending after\n");
    assertEqual(inner, "outer only\n");
  }

  TEST(test_descriptors_restored) {
    const std::string out = identity(1), err = identity(2);
    (void)assay::capture_output([&] { std::printf("x\n"); });
    assertEqual(identity(1), out);
    assertEqual(identity(2), err);
  }

  TEST(test_exception_restores_and_propagates) {
    const std::string out = identity(1), err = identity(2);
    std::string seen;
    const auto e = assertRaises<std::runtime_error>([&] {
      (void)assay::capture_output([&] {
        std::printf("half a line");
        throw std::runtime_error("body failed");
      });
    });
    assertEqual(std::string(e.what()), "body failed");
    assertEqual(identity(1), out);
    assertEqual(identity(2), err);
    // What the body wrote went to its capture, not to the test's stdout afterwards.
    const auto after = assay::capture_output([&] { std::printf("after\n"); });
    assertEqual(after.out, "after\n");
  }

  TEST(test_assertion_inside_propagates) {
    assertRaises<assay::AssertionError>([&] {
      (void)assay::capture_output([&] { assertEqual(1, 2); });
    });
  }
};
