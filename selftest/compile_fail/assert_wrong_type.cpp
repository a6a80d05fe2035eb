// assert_called_with checks its expected arguments against the mock's parameter types.
// expect: assay: an expected argument cannot be compared with the mock's recorded argument
#include <assay/mock.hpp>

void use() {
  assay::mock::Mock<void(int)> feed{"feed"};
  feed(1);
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  feed.assert_called_with(1);
#else
  feed.assert_called_with("one");
#endif
}
