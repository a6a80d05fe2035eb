// Two tests finish, the third sleeps past Bazel's --test_timeout: Bazel sends SIGTERM (then SIGKILL).
#include <assay/assay.hpp>

#include <unistd.h>

class Hanging : public assay::TestCase<Hanging> {
  TEST(test_a_quick) { assertTrue(true); }
  TEST(test_b_quick) { assertEqual(1, 1); }
  TEST(test_c_hangs) {
    for (;;) ::pause();
  }
};
