// A class mock may list only methods of its interface: Python's spec catches a misspelled name at run time, C++ at
// compile time.
// expect: assay: 'get_animal' is not a public method of the mocked interface \(misspelled\?\)
#include <assay/mock.hpp>
#include <string>

struct ZooDatabase {
  virtual ~ZooDatabase() = default;
  virtual int get_animals(const std::string& species) = 0;
};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);
#else
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animal);
#endif
