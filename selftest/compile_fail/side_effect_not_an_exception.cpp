// side_effect takes an exception object, a callable or a sequence; a plain value is none of these.
// expect: assay: side_effect takes an exception object \(of class type\)
#include <assay/mock.hpp>
#include <stdexcept>

void use() {
  assay::mock::Mock<int()> next{"next"};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  next.side_effect = std::runtime_error("x");
#else
  next.side_effect = 42;
#endif
}
