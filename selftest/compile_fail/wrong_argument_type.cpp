// A mock with a spec rejects a call with the wrong argument type, as the function it replaces would.
// expect: (invalid conversion|cannot convert|no match for call|no viable conversion|no matching function)
#include <assay/mock.hpp>
#include <string>

void use() {
  assay::mock::Mock<int(int, const std::string&)> get_count{"get_count"};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
  get_count(1, "Meerkat");
#else
  get_count("Meerkat", 1);
#endif
}
