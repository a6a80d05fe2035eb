// C++ cannot replace a function: patch needs a seam (a function pointer or std::function variable).
// expect: assay: C\+\+ cannot replace a function: call it through a seam
#include <assay/mock.hpp>

int get_time() { return 0; }
int (*get_time_seam)() = &get_time;

void use() {
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  auto now = assay::mock::patch<get_time_seam>();
#else
  auto now = assay::mock::patch<get_time>();
#endif
}
