// A method listed with a signature must match the interface's exactly.
// expect: (marked 'override', but does not override|only virtual member functions can be marked 'override'|hides virtual member function)
#include <assay/mock.hpp>

struct Counter {
  virtual ~Counter() = default;
  virtual int next(int step) const = 0;
};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockCounter, Counter, (next, int(int) const));
#else
ASSAY_MOCK_CLASS(MockCounter, Counter, (next, int(int)));
#endif
