// A module whose setUpModule crashes: one ERROR for the fixture, none of its tests run, the next module does.
#include <assay/assay.hpp>

#include <sys/mman.h>
#include <unistd.h>

SET_UP_MODULE() {
  (void)!::write(1, "hostile_setup_module.setUpModule\n", 33);
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *static_cast<volatile int*>(page) = 1;
}

class ModuleSetUpCrashed : public assay::TestCase<ModuleSetUpCrashed> {
 protected:
  TEST(test_never_runs) { (void)!::write(1, "must not run\n", 13); }
};
