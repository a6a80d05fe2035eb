// The call(…) objects of assert_has_calls are checked against the mock's parameter types too.
// expect: assay: an expected argument cannot be compared with the mock's recorded argument
#include <assay/mock.hpp>

void use() {
  assay::mock::Mock<void(int)> feed{"feed"};
  using assay::mock::call;
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  feed.assert_has_calls({call(1), call(2)}, true);
#else
  feed.assert_has_calls({call(1), call("two")}, true);
#endif
}
