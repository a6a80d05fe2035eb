// An overloaded method must be named with the signature of the overload to mock.
// expect: or it is overloaded: name one overload with its signature, as \(log, R\(Args...\)\)
#include <assay/mock.hpp>

struct Logger {
  virtual ~Logger() = default;
  virtual void log(int) = 0;
  virtual void log(const char*) {}
};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockLogger, Logger, (log, void(int)));
#else
ASSAY_MOCK_CLASS(MockLogger, Logger, log);
#endif
