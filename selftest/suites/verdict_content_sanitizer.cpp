// Purpose-built: a test that reads past the end of a heap block between two that pass. Built with
// -fsanitize=address, AddressSanitizer's report ends the worker: the test is an ERROR carrying the report,
// and the run goes on. Built without, it reads one byte too far and passes (the check is in the sanitizer).
#include <assay/assay.hpp>

namespace {
char* volatile block = nullptr;  // volatile: the access cannot be optimised away
volatile char seen = 0;
}  // namespace

class Overflow : public assay::TestCase<Overflow> {
 protected:
  TEST(test_before) {}
  TEST(test_overflow) {
    block = new char[8];
    seen = block[8];  // heap-buffer-overflow
    delete[] block;
    block = nullptr;
  }
  TEST(test_after) {}
};
