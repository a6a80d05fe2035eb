// Purpose-built: a test that leaks memory beside one that does not. Built with -fsanitize=address, the leak
// is an ERROR of the run in every mode; built without, both pass.
#include <assay/assay.hpp>

namespace {
char* volatile kept = nullptr;  // volatile: the allocation cannot be optimised away
}  // namespace

class Leaks : public assay::TestCase<Leaks> {
 protected:
  TEST(test_leaks) {
    kept = new char[7];
    kept = nullptr;  // the last pointer to it is gone: a leak
  }
  TEST(test_clean) {
    kept = new char[5];
    delete[] kept;
    kept = nullptr;
  }
};
