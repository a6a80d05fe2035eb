// assert_called_with takes exactly the mock's number of arguments.
// expect: (too few arguments|no matching (member )?function)
#include <assay/mock.hpp>

void use() {
  assay::mock::Mock<void(int, int)> add{"add"};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  add.assert_called_with(1, 2);
#else
  add.assert_called_with(1);
#endif
}
