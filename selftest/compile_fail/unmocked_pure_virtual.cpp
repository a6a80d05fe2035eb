// Every pure virtual method must be mocked; the compiler then names the ones left out.
// expect: leaves a pure virtual method unmocked: list every pure virtual method of ZooDatabase
// expect: feed_animal
#include <assay/mock.hpp>
#include <string>

struct ZooDatabase {
  virtual ~ZooDatabase() = default;
  virtual int get_animals(const std::string& species) = 0;
  virtual void feed_animal(const std::string& name) = 0;
};
#ifdef ASSAY_COMPILE_FAIL_CONTROL
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals, feed_animal);
#else
ASSAY_MOCK_CLASS(MockZooDatabase, ZooDatabase, get_animals);
#endif
