// A non-virtual method cannot be mocked: the generated override says so.
// expect: (marked 'override', but does not override|only virtual member functions can be marked 'override')
#include <assay/mock.hpp>

struct Counter {
  virtual ~Counter() = default;
  virtual int next() = 0;
  int peek() { return 0; }
};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockCounter, Counter, next);
#else
ASSAY_MOCK_CLASS(MockCounter, Counter, next, peek);
#endif
